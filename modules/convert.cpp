// modules/convert.cpp: Mesos 1.11 C++ values to hdrf's C ABI and back.
// See convert.hpp for what crosses how.
#include "convert.hpp"

#include <cmath>

#include <mesos/values.hpp>

#include <process/clock.hpp>

#include <stout/foreach.hpp>
#include <stout/stringify.hpp>

extern "C" {
#include "hdrf/resources_pb.h"
}

using std::string;
using std::vector;

namespace hdrf
{
namespace shim
{

namespace
{

int64_t milli(double value) { return static_cast<int64_t>(std::llround(value * 1000.0)); }

Error coreError(const char *what, const hdrf_error &error)
{
    return Error(string(what) + ": " + error.text);
}

// An attribute's value as the core compares it: TEXT as is, the others in
// Mesos's text form ("123", "[1-17]", "{a,b}").
string attributeText(const mesos::Attribute &attribute)
{
    switch (attribute.type()) {
    case mesos::Value::SCALAR:
        return stringify(attribute.scalar());
    case mesos::Value::RANGES:
        return stringify(attribute.ranges());
    case mesos::Value::SET:
        return stringify(attribute.set());
    case mesos::Value::TEXT:
        break;
    }
    return attribute.text().value();
}

hdrf_attribute_type attributeType(mesos::Value::Type type)
{
    switch (type) {
    case mesos::Value::SCALAR:
        return HDRF_ATTR_SCALAR;
    case mesos::Value::RANGES:
        return HDRF_ATTR_RANGES;
    case mesos::Value::SET:
        return HDRF_ATTR_SET;
    case mesos::Value::TEXT:
        break;
    }
    return HDRF_ATTR_TEXT;
}

} // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
const string &legacyRole(const mesos::FrameworkInfo &framework) { return framework.role(); }
#pragma GCC diagnostic pop

hdrf_time now() { return process::Clock::now().duration().ns(); }

Try<CResources> toC(const mesos::Resources &resources)
{
    CResources out(hdrf_resources_new());
    if (!out) {
        return Error("out of memory");
    }

    // Iterating Resources yields a shared resource once; add it as many
    // times as it is held.
    foreach (const mesos::Resource &resource, resources) {
        const string bytes = resource.SerializeAsString();
        const size_t times = mesos::Resources::isShared(resource) ? resources.count(resource) : 1;
        for (size_t i = 0; i < times; i++) {
            hdrf_error error = hdrf_error();
            if (hdrf_resources_add_packed(out.get(),
                                          reinterpret_cast<const uint8_t *>(bytes.data()),
                                          bytes.size(), &error) != HDRF_OK) {
                return coreError("resources", error);
            }
        }
    }

    return out;
}

Try<mesos::Resources> fromC(const hdrf_resources *resources)
{
    Mesos__V1__Resource **messages = nullptr;
    size_t n = 0;
    if (hdrf_resources_to_pb(resources, &messages, &n) != HDRF_OK) {
        return Error("out of memory");
    }

    mesos::Resources out;
    Option<Error> error;
    string buffer;
    for (size_t i = 0; i < n && error.isNone(); i++) {
        buffer.resize(mesos__v1__resource__get_packed_size(messages[i]));
        mesos__v1__resource__pack(messages[i], reinterpret_cast<uint8_t *>(&buffer[0]));

        mesos::Resource resource;
        if (!resource.ParseFromString(buffer)) {
            error = Error("a resource the core wrote does not parse");
        } else {
            out += resource;
        }
    }
    hdrf_resources_pb_free(messages, n);

    if (error.isSome()) {
        return error.get();
    }
    return out;
}

template <typename Id> Try<HoldingsC> HoldingsC::of(const hashmap<Id, mesos::Resources> &used)
{
    HoldingsC out;
    foreachpair(const Id &id, const mesos::Resources &resources, used)
    {
        Try<CResources> converted = toC(resources);
        if (converted.isError()) {
            return Error(id.value() + ": " + converted.error());
        }
        out.ids.push_back(id.value());
        out.resources.push_back(std::move(converted.get()));
    }

    for (size_t i = 0; i < out.ids.size(); i++) {
        out.holdings.push_back({out.ids[i].c_str(), out.resources[i].get()});
    }
    return out;
}

template Try<HoldingsC> HoldingsC::of(const hashmap<mesos::SlaveID, mesos::Resources> &);
template Try<HoldingsC> HoldingsC::of(const hashmap<mesos::FrameworkID, mesos::Resources> &);

AgentInfoC::AgentInfoC(const mesos::SlaveInfo &slave,
                       const vector<mesos::SlaveInfo::Capability> &capabilities)
    : id(slave.id().value()), hostname(slave.hostname()), info()
{
    bool hasDomain = slave.has_domain() && slave.domain().has_fault_domain();
    if (hasDomain) {
        region = slave.domain().fault_domain().region().name();
        zone = slave.domain().fault_domain().zone().name();
    }

    foreach (const mesos::Attribute &attribute, slave.attributes()) {
        names.push_back(attribute.name());
        texts.push_back(attributeText(attribute));
    }
    for (int i = 0; i < slave.attributes_size(); i++) {
        attributes.push_back(
            {names[i].c_str(), attributeType(slave.attributes(i).type()), texts[i].c_str()});
    }

    unsigned flags = 0;
    foreach (const mesos::SlaveInfo::Capability &capability, capabilities) {
        switch (capability.type()) {
        case mesos::SlaveInfo::Capability::MULTI_ROLE:
            flags |= HDRF_AGENT_MULTI_ROLE;
            break;
        case mesos::SlaveInfo::Capability::HIERARCHICAL_ROLE:
            flags |= HDRF_AGENT_HIERARCHICAL_ROLE;
            break;
        case mesos::SlaveInfo::Capability::RESERVATION_REFINEMENT:
            flags |= HDRF_AGENT_RESERVATION_REFINEMENT;
            break;
        default:
            break;
        }
    }

    info.id = id.c_str();
    info.hostname = hostname.c_str();
    info.attributes = attributes.data();
    info.nattributes = attributes.size();
    info.region = hasDomain ? region.c_str() : nullptr;
    info.zone = hasDomain ? zone.c_str() : nullptr;
    info.capabilities = flags;
}

Try<std::unique_ptr<FrameworkInfoC>> FrameworkInfoC::of(const mesos::FrameworkID &frameworkId,
                                                        const mesos::FrameworkInfo &framework,
                                                        const std::set<string> &suppressedRoles)
{
    std::unique_ptr<FrameworkInfoC> out(new FrameworkInfoC());
    out->id = frameworkId.value();
    out->name = framework.name();

    unsigned flags = 0;
    foreach (const mesos::FrameworkInfo::Capability &capability, framework.capabilities()) {
        switch (capability.type()) {
        case mesos::FrameworkInfo::Capability::REVOCABLE_RESOURCES:
            flags |= HDRF_FRAMEWORK_REVOCABLE_RESOURCES;
            break;
        case mesos::FrameworkInfo::Capability::GPU_RESOURCES:
            flags |= HDRF_FRAMEWORK_GPU_RESOURCES;
            break;
        case mesos::FrameworkInfo::Capability::SHARED_RESOURCES:
            flags |= HDRF_FRAMEWORK_SHARED_RESOURCES;
            break;
        case mesos::FrameworkInfo::Capability::MULTI_ROLE:
            flags |= HDRF_FRAMEWORK_MULTI_ROLE;
            break;
        case mesos::FrameworkInfo::Capability::RESERVATION_REFINEMENT:
            flags |= HDRF_FRAMEWORK_RESERVATION_REFINEMENT;
            break;
        case mesos::FrameworkInfo::Capability::REGION_AWARE:
            flags |= HDRF_FRAMEWORK_REGION_AWARE;
            break;
        default:
            break;
        }
    }

    // As Mesos's protobuf::framework::getRoles(): `roles` with MULTI_ROLE,
    // else the one `role`.
    if (flags & HDRF_FRAMEWORK_MULTI_ROLE) {
        out->roles.assign(framework.roles().begin(), framework.roles().end());
    } else {
        out->roles.push_back(legacyRole(framework));
    }
    out->suppressed.assign(suppressedRoles.begin(), suppressedRoles.end());

    // offer_filters[role].min_allocatable_resources, when set, replaces the
    // global minimum for the role (no alternatives: no minimum).
    vector<size_t> counts;
    for (const auto &entry : framework.offer_filters()) {
        if (!entry.second.has_min_allocatable_resources()) {
            continue;
        }
        out->minimumRoles.push_back(entry.first);
        counts.push_back(0);
        foreach (const mesos::OfferFilters::ResourceQuantities &alternative,
                 entry.second.min_allocatable_resources().quantities()) {
            CQuantities quantities(hdrf_quantities_new());
            if (!quantities) {
                return Error("out of memory");
            }
            for (const auto &quantity : alternative.quantities()) {
                if (hdrf_quantities_set(quantities.get(), quantity.first.c_str(),
                                        milli(quantity.second.value())) != HDRF_OK) {
                    return Error("out of memory");
                }
            }
            out->quantities.push_back(std::move(quantities));
            counts.back()++;
        }
    }

    size_t next = 0;
    for (size_t i = 0; i < counts.size(); i++) {
        vector<const hdrf_quantities *> alternatives;
        for (size_t j = 0; j < counts[i]; j++) {
            alternatives.push_back(out->quantities[next++].get());
        }
        out->alternatives.push_back(std::move(alternatives));
    }
    for (size_t i = 0; i < counts.size(); i++) {
        out->minimums.push_back({out->minimumRoles[i].c_str(), out->alternatives[i].data(),
                                 out->alternatives[i].size()});
    }

    foreach (const string &role, out->roles) {
        out->rolePtrs.push_back(role.c_str());
    }
    foreach (const string &role, out->suppressed) {
        out->suppressedPtrs.push_back(role.c_str());
    }

    hdrf_framework_info &info = out->info;
    info = hdrf_framework_info();
    info.id = out->id.c_str();
    info.name = out->name.c_str();
    info.roles = out->rolePtrs.data();
    info.nroles = out->rolePtrs.size();
    info.capabilities = flags;
    info.minimums = out->minimums.data();
    info.nminimums = out->minimums.size();
    info.constraints = nullptr;
    info.suppressed_roles = out->suppressedPtrs.data();
    info.nsuppressed_roles = out->suppressedPtrs.size();
    return out;
}

Try<std::unique_ptr<QuotaC>> QuotaC::of(const mesos::Quota &quota)
{
    std::unique_ptr<QuotaC> out(new QuotaC());

    if (!quota.guarantees.empty()) {
        out->guarantees.reset(hdrf_quantities_new());
        if (!out->guarantees) {
            return Error("out of memory");
        }
        foreachpair(const string &name, const mesos::Value::Scalar &amount, quota.guarantees)
        {
            if (hdrf_quantities_set(out->guarantees.get(), name.c_str(), milli(amount.value())) !=
                HDRF_OK) {
                return Error("out of memory");
            }
        }
    }

    vector<int64_t> amounts;
    foreachpair(const string &name, const mesos::Value::Scalar &amount, quota.limits)
    {
        out->names.push_back(name);
        amounts.push_back(milli(amount.value()));
    }
    for (size_t i = 0; i < amounts.size(); i++) {
        out->limits.push_back({out->names[i].c_str(), amounts[i]});
    }

    out->quota.guarantees = out->guarantees.get();
    out->quota.limits = out->limits.data();
    out->quota.nlimits = out->limits.size();
    return out;
}

Try<ConversionsC> ConversionsC::of(const vector<mesos::ResourceConversion> &conversions)
{
    ConversionsC out;
    foreach (const mesos::ResourceConversion &conversion, conversions) {
        Try<CResources> consumed = toC(conversion.consumed);
        if (consumed.isError()) {
            return Error("consumed " + consumed.error());
        }
        Try<CResources> converted = toC(conversion.converted);
        if (converted.isError()) {
            return Error("converted " + converted.error());
        }
        out.resources.push_back(std::move(consumed.get()));
        out.resources.push_back(std::move(converted.get()));
    }

    for (size_t i = 0; i + 1 < out.resources.size(); i += 2) {
        out.conversions.push_back({out.resources[i].get(), out.resources[i + 1].get()});
    }
    return out;
}

Try<OperationsC> OperationsC::of(const vector<mesos::Offer::Operation> &operations)
{
    using mesos::Offer;
    using mesos::Resources;

    // Per operation: its type, its resources, its optional source and the
    // amount it subtracts; collections are indexed into out.resources.
    struct Plan {
        hdrf_operation_type type;
        Resources resources;
        Option<Resources> source;
        int64_t subtract;
    };

    vector<Plan> plans;
    foreach (const Offer::Operation &operation, operations) {
        switch (operation.type()) {
        case Offer::Operation::RESERVE: {
            Option<Resources> source;
            if (operation.reserve().source_size() > 0) {
                source = Resources(operation.reserve().source());
            }
            plans.push_back(
                {HDRF_OP_RESERVE, Resources(operation.reserve().resources()), source, 0});
            break;
        }
        case Offer::Operation::UNRESERVE:
            plans.push_back(
                {HDRF_OP_UNRESERVE, Resources(operation.unreserve().resources()), None(), 0});
            break;
        case Offer::Operation::CREATE:
            plans.push_back({HDRF_OP_CREATE, Resources(operation.create().volumes()), None(), 0});
            break;
        case Offer::Operation::DESTROY:
            plans.push_back({HDRF_OP_DESTROY, Resources(operation.destroy().volumes()), None(), 0});
            break;
        case Offer::Operation::GROW_VOLUME:
            plans.push_back({HDRF_OP_GROW_VOLUME, Resources(operation.grow_volume().volume()),
                             Resources(operation.grow_volume().addition()), 0});
            break;
        case Offer::Operation::SHRINK_VOLUME:
            plans.push_back({HDRF_OP_SHRINK_VOLUME, Resources(operation.shrink_volume().volume()),
                             None(), milli(operation.shrink_volume().subtract().value())});
            break;
        default:
            return Error("operation " + Offer::Operation::Type_Name(operation.type()) +
                         " does not apply to an agent's available resources");
        }
    }

    OperationsC out;
    vector<std::pair<size_t, Option<size_t>>> slots;
    foreach (const Plan &plan, plans) {
        Try<CResources> resources = toC(plan.resources);
        if (resources.isError()) {
            return Error(resources.error());
        }
        out.resources.push_back(std::move(resources.get()));
        size_t at = out.resources.size() - 1;
        Option<size_t> sourceAt;
        if (plan.source.isSome()) {
            Try<CResources> source = toC(plan.source.get());
            if (source.isError()) {
                return Error(source.error());
            }
            out.resources.push_back(std::move(source.get()));
            sourceAt = out.resources.size() - 1;
        }
        slots.push_back({at, sourceAt});
    }

    for (size_t i = 0; i < plans.size(); i++) {
        hdrf_operation operation = hdrf_operation();
        operation.type = plans[i].type;
        operation.resources = out.resources[slots[i].first].get();
        operation.source =
            slots[i].second.isSome() ? out.resources[slots[i].second.get()].get() : nullptr;
        operation.subtract = plans[i].subtract;
        out.operations.push_back(operation);
    }
    return out;
}

hdrf_unavailability toC(const mesos::Unavailability &unavailability)
{
    hdrf_unavailability out = hdrf_unavailability();
    out.start = unavailability.start().nanoseconds();
    out.has_duration = unavailability.has_duration();
    if (out.has_duration) {
        out.duration = unavailability.duration().nanoseconds();
    }
    return out;
}

mesos::Unavailability fromC(const hdrf_unavailability &unavailability)
{
    mesos::Unavailability out;
    out.mutable_start()->set_nanoseconds(unavailability.start);
    if (unavailability.has_duration) {
        out.mutable_duration()->set_nanoseconds(unavailability.duration);
    }
    return out;
}

vector<hdrf_label> toC(const mesos::Labels &labels)
{
    vector<hdrf_label> out;
    foreach (const mesos::Label &label, labels.labels()) {
        out.push_back({label.key().c_str(), label.has_value() ? label.value().c_str() : nullptr});
    }
    return out;
}

mesos::Labels fromC(const hdrf_label *labels, size_t n)
{
    mesos::Labels out;
    for (size_t i = 0; i < n; i++) {
        mesos::Label *label = out.add_labels();
        label->set_key(labels[i].key);
        if (labels[i].value != nullptr) {
            label->set_value(labels[i].value);
        }
    }
    return out;
}

} // namespace shim
} // namespace hdrf
