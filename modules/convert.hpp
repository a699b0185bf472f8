// modules/convert.hpp: Mesos 1.11 C++ values to hdrf's C ABI and back.
//
// The shim's whole translation layer, kept apart from the actor so that the
// actor reads as one core call per allocator event. Resources cross as
// serialized Resource messages (mesos.Resource and mesos.v1.Resource share
// their wire format), read by the core's protobuf-c reader; everything else
// is copied field by field. Each *C holder owns the strings and arrays its
// C struct points into, so the struct stays valid for the holder's life.
#ifndef HDRF_MODULES_CONVERT_HPP
#define HDRF_MODULES_CONVERT_HPP

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <mesos/allocator/allocator.hpp>
#include <mesos/mesos.hpp>
#include <mesos/quota/quota.hpp>
#include <mesos/resources.hpp>

#include <stout/hashmap.hpp>
#include <stout/option.hpp>
#include <stout/try.hpp>

extern "C" {
#include "hdrf/allocator.h"
#include "hdrf/hooks.h"
}

namespace hdrf
{
namespace shim
{

struct ResourcesFree {
    void operator()(hdrf_resources *r) const { hdrf_resources_free(r); }
};
using CResources = std::unique_ptr<hdrf_resources, ResourcesFree>;

struct QuantitiesFree {
    void operator()(hdrf_quantities *q) const { hdrf_quantities_free(q); }
};
using CQuantities = std::unique_ptr<hdrf_quantities, QuantitiesFree>;

// Resources (shared ones as often as they are held) into a new collection.
Try<CResources> toC(const mesos::Resources &resources);

// A collection back into Mesos's Resources.
Try<mesos::Resources> fromC(const hdrf_resources *resources);

// Nanoseconds on the process clock (libprocess's Clock::now()).
hdrf_time now();

// Per-framework or per-agent holdings (hdrf_holding) with their storage.
class HoldingsC
{
  public:
    template <typename Id> static Try<HoldingsC> of(const hashmap<Id, mesos::Resources> &used);

    const hdrf_holding *data() const { return holdings.data(); }
    size_t size() const { return holdings.size(); }

  private:
    std::vector<std::string> ids;
    std::vector<CResources> resources;
    std::vector<hdrf_holding> holdings;
};

// SlaveInfo and capabilities as hdrf_agent_info.
class AgentInfoC
{
  public:
    AgentInfoC(const mesos::SlaveInfo &info,
               const std::vector<mesos::SlaveInfo::Capability> &capabilities);

    const hdrf_agent_info *get() const { return &info; }

  private:
    std::string id, hostname, region, zone;
    std::vector<std::string> names, texts;
    std::vector<hdrf_attribute> attributes;
    hdrf_agent_info info;
};

// FrameworkInfo (roles, capabilities, offer_filters) and the roles it
// suppresses as hdrf_framework_info. Offer constraints reach the allocator
// as an opaque OfferConstraintsFilter in 1.11: the actor keeps it and
// answers the core's callbacks.agent_excluded with it.
class FrameworkInfoC
{
  public:
    static Try<std::unique_ptr<FrameworkInfoC>> of(const mesos::FrameworkID &id,
                                                   const mesos::FrameworkInfo &info,
                                                   const std::set<std::string> &suppressedRoles);

    const hdrf_framework_info *get() const { return &info; }

  private:
    FrameworkInfoC() = default;

    std::string id, name;
    std::vector<std::string> roles, suppressed, minimumRoles;
    std::vector<const char *> rolePtrs, suppressedPtrs;
    std::vector<CQuantities> quantities;
    std::vector<std::vector<const hdrf_quantities *>> alternatives;
    std::vector<hdrf_role_minimum> minimums;
    hdrf_framework_info info;
};

// FrameworkInfo.role: deprecated since MULTI_ROLE, still the one role of
// a framework without that capability.
const std::string &legacyRole(const mesos::FrameworkInfo &framework);

// A Quota (guarantees and limits) as hdrf_quota.
class QuotaC
{
  public:
    static Try<std::unique_ptr<QuotaC>> of(const mesos::Quota &quota);

    const hdrf_quota *get() const { return &quota; }

  private:
    QuotaC() = default;

    CQuantities guarantees;
    std::vector<std::string> names;
    std::vector<hdrf_limit> limits;
    hdrf_quota quota;
};

// Resource conversions (updateAllocation) with their collections.
class ConversionsC
{
  public:
    static Try<ConversionsC> of(const std::vector<mesos::ResourceConversion> &conversions);

    const hdrf_conversion *data() const { return conversions.data(); }
    size_t size() const { return conversions.size(); }

  private:
    std::vector<CResources> resources;
    std::vector<hdrf_conversion> conversions;
};

// Operations on an agent's unallocated resources (updateAvailable):
// RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME, SHRINK_VOLUME.
class OperationsC
{
  public:
    static Try<OperationsC> of(const std::vector<mesos::Offer::Operation> &operations);

    const hdrf_operation *data() const { return operations.data(); }
    size_t size() const { return operations.size(); }

  private:
    std::vector<CResources> resources;
    std::vector<hdrf_operation> operations;
};

// A module's `parameters` block as key/value pairs borrowing its strings:
// hdrf_param (allocator) or hdrf_hooks_param (hook), both {key, value}.
template <typename Pair> std::vector<Pair> parameterPairs(const mesos::Parameters &parameters)
{
    std::vector<Pair> pairs;
    for (const mesos::Parameter &parameter : parameters.parameter()) {
        pairs.push_back({parameter.key().c_str(), parameter.value().c_str()});
    }
    return pairs;
}

hdrf_unavailability toC(const mesos::Unavailability &unavailability);
mesos::Unavailability fromC(const hdrf_unavailability &unavailability);

// A label list (TaskInfo.labels) as hdrf_label, borrowing its strings.
std::vector<hdrf_label> toC(const mesos::Labels &labels);
mesos::Labels fromC(const hdrf_label *labels, size_t n);

} // namespace shim
} // namespace hdrf

#endif
