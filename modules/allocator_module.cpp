// modules/allocator_module.cpp: io_hdrf_HierarchicalAllocator, the
// mesos::allocator::Allocator of Mesos 1.11.0 that Mesos loads.
//
// The facade the master calls: each method only dispatches to the actor
// (allocator_process.hpp) and returns, as Mesos's own MesosAllocator does;
// the two that return a Future return the actor's. The module's
// `parameters` are parsed here, once, by the core's parser (hdrf/params.h):
// a bad one fails module creation with the parser's message in the log.
#include <set>
#include <string>
#include <vector>

#include <glog/logging.h>

#include <mesos/allocator/allocator.hpp>
#include <mesos/module/allocator.hpp>

#include <process/dispatch.hpp>
#include <process/process.hpp>

#include "allocator_process.hpp"
#include "convert.hpp"

extern "C" {
#include "hdrf/params.h"
}

using mesos::FrameworkID;
using mesos::Resources;
using mesos::SlaveID;
using mesos::SlaveInfo;
using process::dispatch;
using std::set;
using std::string;
using std::vector;

namespace hdrf
{
namespace shim
{

class Allocator : public mesos::allocator::Allocator
{
  public:
    explicit Allocator(hdrf_params *params) : process(new AllocatorProcess(params))
    {
        process::spawn(process);
    }

    ~Allocator() override
    {
        process::terminate(process);
        process::wait(process);
        delete process;
    }

    void initialize(const mesos::allocator::Options &options, const OfferCallback &offerCallback,
                    const InverseOfferCallback &inverseOfferCallback) override
    {
        dispatch(process, &AllocatorProcess::initialize, options, offerCallback,
                 inverseOfferCallback);
    }

    void recover(int expectedAgentCount, const hashmap<string, mesos::Quota> &quotas) override
    {
        dispatch(process, &AllocatorProcess::recover, expectedAgentCount, quotas);
    }

    // The allocator's FrameworkOptions: the suppressed roles cross; the offer
    // constraints filter of 1.11 is opaque (no constraints reach the core).
    void addFramework(const FrameworkID &frameworkId, const mesos::FrameworkInfo &frameworkInfo,
                      const hashmap<SlaveID, Resources> &used, bool active,
                      mesos::allocator::FrameworkOptions &&options) override
    {
        AllocatorProcess::ConstraintsFilter constraints(
            std::make_shared<const mesos::allocator::OfferConstraintsFilter>(
                std::move(options.offerConstraintsFilter)));
        dispatch(process, &AllocatorProcess::addFramework, frameworkId, frameworkInfo, used, active,
                 options.suppressedRoles, constraints);
    }

    void removeFramework(const FrameworkID &frameworkId) override
    {
        dispatch(process, &AllocatorProcess::removeFramework, frameworkId);
    }

    void activateFramework(const FrameworkID &frameworkId) override
    {
        dispatch(process, &AllocatorProcess::activateFramework, frameworkId);
    }

    void deactivateFramework(const FrameworkID &frameworkId) override
    {
        dispatch(process, &AllocatorProcess::deactivateFramework, frameworkId);
    }

    void updateFramework(const FrameworkID &frameworkId, const mesos::FrameworkInfo &frameworkInfo,
                         mesos::allocator::FrameworkOptions &&options) override
    {
        AllocatorProcess::ConstraintsFilter constraints(
            std::make_shared<const mesos::allocator::OfferConstraintsFilter>(
                std::move(options.offerConstraintsFilter)));
        dispatch(process, &AllocatorProcess::updateFramework, frameworkId, frameworkInfo,
                 options.suppressedRoles, constraints);
    }

    void addSlave(const SlaveID &slaveId, const SlaveInfo &slaveInfo,
                  const vector<SlaveInfo::Capability> &capabilities,
                  const Option<mesos::Unavailability> &unavailability, const Resources &total,
                  const hashmap<FrameworkID, Resources> &used) override
    {
        dispatch(process, &AllocatorProcess::addSlave, slaveId, slaveInfo, capabilities,
                 unavailability, total, used);
    }

    void removeSlave(const SlaveID &slaveId) override
    {
        dispatch(process, &AllocatorProcess::removeSlave, slaveId);
    }

    void updateSlave(const SlaveID &slaveId, const SlaveInfo &slaveInfo,
                     const Option<Resources> &total = None(),
                     const Option<vector<SlaveInfo::Capability>> &capabilities = None()) override
    {
        dispatch(process, &AllocatorProcess::updateSlave, slaveId, slaveInfo, total, capabilities);
    }

    void addResourceProvider(const SlaveID &slaveId, const Resources &total,
                             const hashmap<FrameworkID, Resources> &used) override
    {
        dispatch(process, &AllocatorProcess::addResourceProvider, slaveId, total, used);
    }

    void activateSlave(const SlaveID &slaveId) override
    {
        dispatch(process, &AllocatorProcess::activateSlave, slaveId);
    }

    void deactivateSlave(const SlaveID &slaveId) override
    {
        dispatch(process, &AllocatorProcess::deactivateSlave, slaveId);
    }

    void updateWhitelist(const Option<hashset<string>> &whitelist) override
    {
        dispatch(process, &AllocatorProcess::updateWhitelist, whitelist);
    }

    // Mesos's allocator ignores requests too.
    void requestResources(const FrameworkID &, const vector<mesos::Request> &) override {}

    void updateAllocation(const FrameworkID &frameworkId, const SlaveID &slaveId,
                          const Resources &offeredResources,
                          const vector<mesos::ResourceConversion> &conversions) override
    {
        dispatch(process, &AllocatorProcess::updateAllocation, frameworkId, slaveId,
                 offeredResources, conversions);
    }

    process::Future<Nothing>
    updateAvailable(const SlaveID &slaveId,
                    const vector<mesos::Offer::Operation> &operations) override
    {
        return dispatch(process, &AllocatorProcess::updateAvailable, slaveId, operations);
    }

    void updateUnavailability(const SlaveID &slaveId,
                              const Option<mesos::Unavailability> &unavailability) override
    {
        dispatch(process, &AllocatorProcess::updateUnavailability, slaveId, unavailability);
    }

    // The unavailable resources only tell inverse offers apart; the core
    // keeps one per (agent, framework).
    void updateInverseOffer(const SlaveID &slaveId, const FrameworkID &frameworkId,
                            const Option<mesos::UnavailableResources> &,
                            const Option<mesos::allocator::InverseOfferStatus> &status,
                            const Option<mesos::Filters> &filters) override
    {
        dispatch(process, &AllocatorProcess::updateInverseOffer, slaveId, frameworkId, status,
                 filters);
    }

    process::Future<InverseOfferStatuses> getInverseOfferStatuses() override
    {
        return dispatch(process, &AllocatorProcess::getInverseOfferStatuses);
    }

    void transitionOfferedToAllocated(const SlaveID &slaveId, const Resources &resources) override
    {
        dispatch(process, &AllocatorProcess::transitionOfferedToAllocated, slaveId, resources);
    }

    void recoverResources(const FrameworkID &frameworkId, const SlaveID &slaveId,
                          const Resources &resources, const Option<mesos::Filters> &filters,
                          bool isAllocated) override
    {
        dispatch(process, &AllocatorProcess::recoverResources, frameworkId, slaveId, resources,
                 filters, isAllocated);
    }

    void suppressOffers(const FrameworkID &frameworkId, const set<string> &roles) override
    {
        dispatch(process, &AllocatorProcess::suppressOffers, frameworkId, roles);
    }

    void reviveOffers(const FrameworkID &frameworkId, const set<string> &roles) override
    {
        dispatch(process, &AllocatorProcess::reviveOffers, frameworkId, roles);
    }

    void updateQuota(const string &role, const mesos::Quota &quota) override
    {
        dispatch(process, &AllocatorProcess::updateQuota, role, quota);
    }

    void updateWeights(const vector<mesos::WeightInfo> &weightInfos) override
    {
        dispatch(process, &AllocatorProcess::updateWeights, weightInfos);
    }

    void pause() override { dispatch(process, &AllocatorProcess::pause); }

    void resume() override { dispatch(process, &AllocatorProcess::resume); }

  private:
    Allocator(const Allocator &) = delete;
    Allocator &operator=(const Allocator &) = delete;

    AllocatorProcess *process;
};

namespace
{

mesos::allocator::Allocator *create(const mesos::Parameters &parameters)
{
    const vector<hdrf_param> pairs = parameterPairs<hdrf_param>(parameters);
    hdrf_params *params = nullptr;
    hdrf_error error = hdrf_error();
    if (hdrf_params_parse(pairs.data(), pairs.size(), &params, &error) != HDRF_OK) {
        LOG(ERROR) << "io_hdrf_HierarchicalAllocator: " << error.text;
        return nullptr;
    }
    return new Allocator(params);
}

} // namespace

} // namespace shim
} // namespace hdrf

mesos::modules::Module<mesos::allocator::Allocator>
    io_hdrf_HierarchicalAllocator(MESOS_MODULE_API_VERSION, MESOS_VERSION, "hdrf", "",
                                  "hdrf: a hierarchical DRF allocator with Mesos 1.11's semantics.",
                                  nullptr, hdrf::shim::create);
