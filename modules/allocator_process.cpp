// modules/allocator_process.cpp: the libprocess actor that owns hdrf's core.
// See allocator_process.hpp: one core call per event, then the run it asks for.
#include "allocator_process.hpp"

#include <cstdlib>

#include <glog/logging.h>

#include <process/defer.hpp>
#include <process/delay.hpp>
#include <process/dispatch.hpp>
#include <process/metrics/metrics.hpp>

#include <stout/foreach.hpp>
#include <stout/json.hpp>
#include <stout/stopwatch.hpp>
#include <stout/stringify.hpp>
#include <stout/strings.hpp>

#include "convert.hpp"

using process::Future;
using process::http::Request;
using process::http::Response;
using process::http::authentication::Principal;

using std::set;
using std::string;
using std::vector;

namespace hdrf
{
namespace shim
{

namespace
{

// The actor's id: its HTTP routes live under /hdrf/.
const char *const ACTOR = "hdrf";

vector<const char *> pointers(const vector<string> &strings)
{
    vector<const char *> out;
    foreach (const string &s, strings) {
        out.push_back(s.c_str());
    }
    return out;
}

vector<string> strings(const set<string> &roles)
{
    return vector<string>(roles.begin(), roles.end());
}

// Filters.refuse_seconds as the core takes it: NULL without Filters.
const double *refuseSeconds(const Option<mesos::Filters> &filters, double *storage)
{
    if (filters.isNone()) {
        return nullptr;
    }
    *storage = filters->refuse_seconds();
    return storage;
}

} // namespace

AllocatorProcess::AllocatorProcess(hdrf_params *_params)
    : ProcessBase(ACTOR), params(_params), core(nullptr), logLevel(hdrf_params_log_level(_params)),
      flushScheduled(false), offersThisRun(0),
      allocationRun("allocator/mesos/allocation_run", Hours(1)),
      allocationRunLatency("allocator/mesos/allocation_run_latency", Hours(1))
{
    process::metrics::add(allocationRun);
    process::metrics::add(allocationRunLatency);
}

AllocatorProcess::~AllocatorProcess()
{
    process::metrics::remove(allocationRun);
    process::metrics::remove(allocationRunLatency);
    hdrf_allocator_free(core);
    hdrf_params_free(params);
}

void AllocatorProcess::finalize() { metrics.reset(); }

void AllocatorProcess::initialize(const mesos::allocator::Options &options,
                                  const OfferCallback &_offerCallback,
                                  const InverseOfferCallback &_inverseOfferCallback)
{
    offerCallback = _offerCallback;
    inverseOfferCallback = _inverseOfferCallback;
    interval = options.allocationInterval;

    // The master's own flags are the defaults; a module parameter given
    // explicitly overrides one (each said once, here), except its
    // --allocation_interval, which paces the batch runs (and is the shortest
    // offer filter). Its fault domain decides which agents are remote.
    vector<string> excludedNames;
    vector<const char *> excluded;
    if (options.fairnessExcludeResourceNames.isSome()) {
        excludedNames.assign(options.fairnessExcludeResourceNames->begin(),
                             options.fairnessExcludeResourceNames->end());
    }
    foreach (const string &name, excludedNames) {
        excluded.push_back(name.c_str());
    }
    string minimum;
    if (options.minAllocatableResources.isSome()) {
        vector<string> alternatives;
        foreach (const mesos::ResourceQuantities &quantities,
                 options.minAllocatableResources.get()) {
            vector<string> parts;
            for (const auto &quantity : quantities) {
                parts.push_back(quantity.first + ":" + stringify(quantity.second.value()));
            }
            alternatives.push_back(strings::join(";", parts));
        }
        minimum = strings::join("|", alternatives);
    }
    hdrf_master_options master = hdrf_master_options();
    master.allocation_interval = interval.ns();
    master.fairness_excluded =
        options.fairnessExcludeResourceNames.isSome() ? excluded.data() : nullptr;
    master.nfairness_excluded = excluded.size();
    master.filter_gpu_resources = options.filterGpuResources;
    master.min_allocatable_resources = minimum.empty() ? nullptr : minimum.c_str();
    master.agent_recovery_factor = options.agentRecoveryFactor;
    master.recovery_timeout = options.recoveryTimeout.ns();
    hdrf_allocator_options coreOptions;
    hdrf_params_under_master(params, &master, &coreOptions, onMasterNote, nullptr);
    string region;
    if (options.domain.isSome() && options.domain->has_fault_domain()) {
        region = options.domain->fault_domain().region().name();
        coreOptions.region = region.c_str();
    }

    hdrf_allocator_callbacks callbacks = {onOffer, onInverseOffer, this, onAgentExcluded};
    hdrf_error error = hdrf_error();
    if (hdrf_allocator_new(&coreOptions, &callbacks, &core, &error) != HDRF_OK) {
        LOG(FATAL) << "hdrf: cannot create the allocator: " << error.text;
    }
    if (hdrf_params_apply(params, core) != HDRF_OK) {
        LOG(FATAL) << "hdrf: cannot apply the module's weights and quotas: "
                   << hdrf_allocator_errmsg(core);
    }

    const process::PID<AllocatorProcess> pid = self();
    metrics.reset(new CoreMetrics([pid](const string &name) {
        return process::dispatch(pid, &AllocatorProcess::metricValue, name);
    }));
    metrics->refresh(core);

    route("/explain", options.readonlyHttpAuthenticationRealm,
          "Why each framework got no offer in a role in the last allocation "
          "run: a JSON object whose `explanations` lists "
          "{role, framework, reason}.",
          &AllocatorProcess::explain);
    route("/state", options.readonlyHttpAuthenticationRealm,
          "The allocator's state: the role tree with weights, shares, quota and "
          "H-DRF's blocked flags, and each framework's roles, suppression and "
          "offer filters (one JSON document).",
          &AllocatorProcess::state);

    LOG(INFO) << "hdrf: allocator initialized: role_sorter="
              << hdrf_params_value(params, "role_sorter")
              << ", framework_sorter=" << hdrf_params_value(params, "framework_sorter")
              << ", allocation interval " << interval << ", explanations at /" << ACTOR
              << "/explain";

    process::delay(interval, self(), &AllocatorProcess::batch);
}

void AllocatorProcess::recover(int expectedAgentCount, const hashmap<string, mesos::Quota> &quotas)
{
    vector<string> roles;
    vector<std::unique_ptr<QuotaC>> converted;
    foreachpair(const string &role, const mesos::Quota &quota, quotas)
    {
        Try<std::unique_ptr<QuotaC>> c = QuotaC::of(quota);
        if (c.isError()) {
            unconverted(c.error(), "recover");
            return;
        }
        roles.push_back(role);
        converted.push_back(std::move(c.get()));
    }

    vector<hdrf_role_quota> entries;
    for (size_t i = 0; i < roles.size(); i++) {
        entries.push_back({roles[i].c_str(), *converted[i]->get()});
    }
    ok(hdrf_allocator_recover(core, expectedAgentCount, entries.data(), entries.size(), now()),
       "recover");
}

void AllocatorProcess::addFramework(const mesos::FrameworkID &frameworkId,
                                    const mesos::FrameworkInfo &frameworkInfo,
                                    const hashmap<mesos::SlaveID, mesos::Resources> &used,
                                    bool active, const set<string> &suppressedRoles,
                                    const ConstraintsFilter &constraints)
{
    constraintFilters[frameworkId.value()] = constraints;
    Try<std::unique_ptr<FrameworkInfoC>> info =
        FrameworkInfoC::of(frameworkId, frameworkInfo, suppressedRoles);
    Try<HoldingsC> holdings = HoldingsC::of(used);
    if (info.isError() || holdings.isError()) {
        unconverted(info.isError() ? info.error() : holdings.error(), "addFramework");
        return;
    }
    hdrf_framework_info c = *info.get()->get();
    c.caller_constraints = true; // the master's filter decides (onAgentExcluded)
    ok(hdrf_allocator_add_framework(core, &c, holdings->data(), holdings->size(), active),
       "addFramework");
}

void AllocatorProcess::removeFramework(const mesos::FrameworkID &frameworkId)
{
    constraintFilters.erase(frameworkId.value());
    ok(hdrf_allocator_remove_framework(core, frameworkId.value().c_str()), "removeFramework");
}

void AllocatorProcess::activateFramework(const mesos::FrameworkID &frameworkId)
{
    ok(hdrf_allocator_activate_framework(core, frameworkId.value().c_str()), "activateFramework");
}

void AllocatorProcess::deactivateFramework(const mesos::FrameworkID &frameworkId)
{
    ok(hdrf_allocator_deactivate_framework(core, frameworkId.value().c_str()),
       "deactivateFramework");
}

void AllocatorProcess::updateFramework(const mesos::FrameworkID &frameworkId,
                                       const mesos::FrameworkInfo &frameworkInfo,
                                       const set<string> &suppressedRoles,
                                       const ConstraintsFilter &constraints)
{
    constraintFilters[frameworkId.value()] = constraints;
    Try<std::unique_ptr<FrameworkInfoC>> info =
        FrameworkInfoC::of(frameworkId, frameworkInfo, suppressedRoles);
    if (info.isError()) {
        unconverted(info.error(), "updateFramework");
        return;
    }
    hdrf_framework_info c = *info.get()->get();
    c.caller_constraints = true;
    ok(hdrf_allocator_update_framework(core, &c), "updateFramework");
}

void AllocatorProcess::addSlave(const mesos::SlaveID &slaveId, const mesos::SlaveInfo &slaveInfo,
                                const vector<mesos::SlaveInfo::Capability> &capabilities,
                                const Option<mesos::Unavailability> &unavailability,
                                const mesos::Resources &total,
                                const hashmap<mesos::FrameworkID, mesos::Resources> &used)
{
    mesos::SlaveInfo info = slaveInfo;
    info.mutable_id()->CopyFrom(slaveId);
    agentInfos[slaveId.value()] = info;
    AgentInfoC agent(info, capabilities);
    Try<CResources> totalC = toC(total);
    Try<HoldingsC> holdings = HoldingsC::of(used);
    if (totalC.isError() || holdings.isError()) {
        unconverted(totalC.isError() ? totalC.error() : holdings.error(), "addSlave");
        return;
    }
    hdrf_unavailability window;
    if (unavailability.isSome()) {
        window = toC(unavailability.get());
    }
    ok(hdrf_allocator_add_agent(core, agent.get(), totalC->get(),
                                unavailability.isSome() ? &window : nullptr, holdings->data(),
                                holdings->size()),
       "addSlave");
}

void AllocatorProcess::removeSlave(const mesos::SlaveID &slaveId)
{
    agentInfos.erase(slaveId.value());
    ok(hdrf_allocator_remove_agent(core, slaveId.value().c_str()), "removeSlave");
}

void AllocatorProcess::updateSlave(const mesos::SlaveID &slaveId, const mesos::SlaveInfo &slaveInfo,
                                   const Option<mesos::Resources> &total,
                                   const Option<vector<mesos::SlaveInfo::Capability>> &capabilities)
{
    mesos::SlaveInfo info = slaveInfo;
    info.mutable_id()->CopyFrom(slaveId);
    agentInfos[slaveId.value()] = info;
    AgentInfoC agent(info, capabilities.getOrElse(vector<mesos::SlaveInfo::Capability>()));
    Option<CResources> totalC;
    if (total.isSome()) {
        Try<CResources> converted = toC(total.get());
        if (converted.isError()) {
            unconverted(converted.error(), "updateSlave");
            return;
        }
        totalC = std::move(converted.get());
    }
    ok(hdrf_allocator_update_agent(core, agent.get(), totalC.isSome() ? totalC->get() : nullptr,
                                   capabilities.isSome()),
       "updateSlave");
}

void AllocatorProcess::addResourceProvider(
    const mesos::SlaveID &slaveId, const mesos::Resources &total,
    const hashmap<mesos::FrameworkID, mesos::Resources> &used)
{
    Try<CResources> totalC = toC(total);
    Try<HoldingsC> holdings = HoldingsC::of(used);
    if (totalC.isError() || holdings.isError()) {
        unconverted(totalC.isError() ? totalC.error() : holdings.error(), "addResourceProvider");
        return;
    }
    ok(hdrf_allocator_add_resource_provider(core, slaveId.value().c_str(), totalC->get(),
                                            holdings->data(), holdings->size()),
       "addResourceProvider");
}

void AllocatorProcess::activateSlave(const mesos::SlaveID &slaveId)
{
    ok(hdrf_allocator_activate_agent(core, slaveId.value().c_str()), "activateSlave");
}

void AllocatorProcess::deactivateSlave(const mesos::SlaveID &slaveId)
{
    ok(hdrf_allocator_deactivate_agent(core, slaveId.value().c_str()), "deactivateSlave");
}

void AllocatorProcess::updateWhitelist(const Option<hashset<string>> &whitelist)
{
    vector<string> hosts;
    if (whitelist.isSome()) {
        hosts.assign(whitelist->begin(), whitelist->end());
    }
    vector<const char *> names = pointers(hosts);
    ok(hdrf_allocator_update_whitelist(core, whitelist.isSome() ? names.data() : nullptr,
                                       names.size()),
       "updateWhitelist");
}

void AllocatorProcess::updateAllocation(const mesos::FrameworkID &frameworkId,
                                        const mesos::SlaveID &slaveId,
                                        const mesos::Resources &offeredResources,
                                        const vector<mesos::ResourceConversion> &conversions)
{
    Try<CResources> offered = toC(offeredResources);
    Try<ConversionsC> converted = ConversionsC::of(conversions);
    if (offered.isError() || converted.isError()) {
        unconverted(offered.isError() ? offered.error() : converted.error(), "updateAllocation");
        return;
    }
    ok(hdrf_allocator_update_allocation(core, frameworkId.value().c_str(), slaveId.value().c_str(),
                                        offered->get(), converted->data(), converted->size()),
       "updateAllocation");
}

Future<Nothing> AllocatorProcess::updateAvailable(const mesos::SlaveID &slaveId,
                                                  const vector<mesos::Offer::Operation> &operations)
{
    Try<OperationsC> converted = OperationsC::of(operations);
    if (converted.isError()) {
        return process::Failure(converted.error());
    }
    int status = hdrf_allocator_update_available(core, slaveId.value().c_str(), converted->data(),
                                                 converted->size());
    if (status != HDRF_OK) {
        // Refused operations are the caller's answer, not the allocator's
        // fault: the master reports them to the operator.
        return process::Failure(hdrf_allocator_errmsg(core));
    }
    metrics->touch();
    scheduleFlush();
    return Nothing();
}

void AllocatorProcess::updateUnavailability(const mesos::SlaveID &slaveId,
                                            const Option<mesos::Unavailability> &unavailability)
{
    hdrf_unavailability window;
    if (unavailability.isSome()) {
        window = toC(unavailability.get());
    }
    ok(hdrf_allocator_update_unavailability(core, slaveId.value().c_str(),
                                            unavailability.isSome() ? &window : nullptr),
       "updateUnavailability");
}

void AllocatorProcess::updateInverseOffer(
    const mesos::SlaveID &slaveId, const mesos::FrameworkID &frameworkId,
    const Option<mesos::allocator::InverseOfferStatus> &status,
    const Option<mesos::Filters> &filters)
{
    hdrf_inverse_status answer = HDRF_INVERSE_NONE;
    if (status.isSome()) {
        answer = static_cast<hdrf_inverse_status>(status->status());
    }
    double seconds;
    ok(hdrf_allocator_update_inverse_offer(core, slaveId.value().c_str(),
                                           frameworkId.value().c_str(), answer,
                                           refuseSeconds(filters, &seconds), now()),
       "updateInverseOffer");
}

InverseOfferStatuses AllocatorProcess::getInverseOfferStatuses()
{
    InverseOfferStatuses result;
    hdrf_allocator_inverse_offer_statuses(
        core,
        [](void *arg, const char *agent, const char *framework, hdrf_inverse_status status,
           hdrf_time at) {
            mesos::SlaveID slaveId;
            slaveId.set_value(agent);
            mesos::FrameworkID frameworkId;
            frameworkId.set_value(framework);
            mesos::allocator::InverseOfferStatus entry;
            entry.set_status(static_cast<mesos::allocator::InverseOfferStatus::Status>(status));
            entry.mutable_framework_id()->CopyFrom(frameworkId);
            entry.mutable_timestamp()->set_nanoseconds(at);
            (*static_cast<InverseOfferStatuses *>(arg))[slaveId][frameworkId] = entry;
        },
        &result);
    return result;
}

void AllocatorProcess::transitionOfferedToAllocated(const mesos::SlaveID &slaveId,
                                                    const mesos::Resources &resources)
{
    Try<CResources> converted = toC(resources);
    if (converted.isError()) {
        unconverted(converted.error(), "transitionOfferedToAllocated");
        return;
    }
    ok(hdrf_allocator_transition_offered_to_allocated(core, slaveId.value().c_str(),
                                                      converted->get()),
       "transitionOfferedToAllocated");
}

void AllocatorProcess::recoverResources(const mesos::FrameworkID &frameworkId,
                                        const mesos::SlaveID &slaveId,
                                        const mesos::Resources &resources,
                                        const Option<mesos::Filters> &filters, bool isAllocated)
{
    Try<CResources> converted = toC(resources);
    if (converted.isError()) {
        unconverted(converted.error(), "recoverResources");
        return;
    }
    double seconds;
    ok(hdrf_allocator_recover_resources(core, frameworkId.value().c_str(), slaveId.value().c_str(),
                                        converted->get(), refuseSeconds(filters, &seconds),
                                        isAllocated, now()),
       "recoverResources");
}

void AllocatorProcess::suppressOffers(const mesos::FrameworkID &frameworkId,
                                      const set<string> &roles)
{
    const vector<string> names = strings(roles);
    const vector<const char *> ptrs = pointers(names);
    ok(hdrf_allocator_suppress(core, frameworkId.value().c_str(), ptrs.data(), ptrs.size()),
       "suppressOffers");
}

void AllocatorProcess::reviveOffers(const mesos::FrameworkID &frameworkId, const set<string> &roles)
{
    const vector<string> names = strings(roles);
    const vector<const char *> ptrs = pointers(names);
    ok(hdrf_allocator_revive(core, frameworkId.value().c_str(), ptrs.data(), ptrs.size()),
       "reviveOffers");
}

void AllocatorProcess::updateQuota(const string &role, const mesos::Quota &quota)
{
    Try<std::unique_ptr<QuotaC>> converted = QuotaC::of(quota);
    if (converted.isError()) {
        unconverted(converted.error(), "updateQuota");
        return;
    }
    ok(hdrf_allocator_update_quota(core, role.c_str(), converted.get()->get()), "updateQuota");
}

void AllocatorProcess::updateWeights(const vector<mesos::WeightInfo> &infos)
{
    vector<string> roles;
    vector<double> weights;
    foreach (const mesos::WeightInfo &info, infos) {
        roles.push_back(info.role());
        weights.push_back(info.weight());
    }
    const vector<const char *> ptrs = pointers(roles);
    ok(hdrf_allocator_update_weights(core, ptrs.data(), weights.data(), weights.size()),
       "updateWeights");
}

void AllocatorProcess::pause() { hdrf_allocator_pause(core); }

void AllocatorProcess::resume()
{
    hdrf_allocator_resume(core);
    scheduleFlush();
}

void AllocatorProcess::batch()
{
    run(true);
    process::delay(interval, self(), &AllocatorProcess::batch);
}

void AllocatorProcess::flush()
{
    flushScheduled = false;
    allocationRunLatency.stop();
    run(false);
}

void AllocatorProcess::scheduleFlush()
{
    if (!flushScheduled && hdrf_allocator_pending(core)) {
        flushScheduled = true;
        allocationRunLatency.start();
        process::dispatch(self(), &AllocatorProcess::flush);
    }
}

// Runs even while paused: the core counts batch ticks then (offer filter
// expiry) and resumes itself when recover()'s timeout has passed.
void AllocatorProcess::run(bool whole)
{
    offersThisRun = 0;
    Stopwatch stopwatch;
    stopwatch.start();
    allocationRun.start();
    int status = whole ? hdrf_allocator_allocate(core, now()) : hdrf_allocator_flush(core, now());
    allocationRun.stop();
    ok(status, whole ? "allocate" : "flush");

    if (logLevel >= HDRF_LOG_INFO && offersThisRun > 0) {
        LOG(INFO) << "hdrf: " << (whole ? "batch" : "event") << " run: offers to " << offersThisRun
                  << " frameworks in " << stopwatch.elapsed();
    }
    if (logLevel >= HDRF_LOG_DEBUG && hdrf_params_explain(params)) {
        hdrf_allocator_explain(
            core,
            [](void *, const char *role, const char *framework, hdrf_reason why) {
                LOG(INFO) << "hdrf: no offer to framework " << framework << " in role " << role
                          << ": " << hdrf_reason_name(why);
            },
            nullptr);
    }

    metrics->touch();
    metrics->refresh(core);
}

bool AllocatorProcess::ok(int status, const char *call)
{
    metrics->touch();
    if (status == HDRF_OK) {
        scheduleFlush();
        return true;
    }
    if (logLevel >= HDRF_LOG_ERROR) {
        LOG(ERROR) << "hdrf: " << call << " refused (" << hdrf_strerror(status)
                   << "): " << hdrf_allocator_errmsg(core);
    }
    return false;
}

void AllocatorProcess::unconverted(const string &why, const char *call)
{
    if (logLevel >= HDRF_LOG_ERROR) {
        LOG(ERROR) << "hdrf: " << call << ": cannot convert its arguments: " << why;
    }
}

double AllocatorProcess::metricValue(const string &name)
{
    metrics->refresh(core);
    return metrics->value(name).getOrElse(0.0);
}

Future<Response> AllocatorProcess::explain(const Request &request, const Option<Principal> &)
{
    JSON::Object body;
    JSON::Array explanations;
    body.values["explain"] = hdrf_params_explain(params);
    if (hdrf_params_explain(params)) {
        hdrf_allocator_explain(
            core,
            [](void *arg, const char *role, const char *framework, hdrf_reason why) {
                JSON::Object entry;
                entry.values["role"] = role;
                entry.values["framework"] = framework;
                entry.values["reason"] = hdrf_reason_name(why);
                static_cast<JSON::Array *>(arg)->values.push_back(entry);
            },
            &explanations);
    }
    body.values["explanations"] = explanations;
    // role_sorter=hdrf: the roles left out of H-DRF's rescaling, and why.
    JSON::Array blocked;
    hdrf_allocator_explain_blocked(
        core,
        [](void *arg, const char *role, const char *why) {
            JSON::Object entry;
            entry.values["role"] = role;
            entry.values["why"] = why;
            static_cast<JSON::Array *>(arg)->values.push_back(entry);
        },
        &blocked);
    body.values["blocked"] = blocked;
    return process::http::OK(body, request.url.query.get("jsonp"));
}

Future<Response> AllocatorProcess::state(const Request &, const Option<Principal> &)
{
    char *text = nullptr;
    if (hdrf_allocator_state(core, &text) != HDRF_OK) {
        return process::http::InternalServerError("hdrf: out of memory");
    }
    const string body(text);
    free(text);
    process::http::OK response(body);
    response.headers["Content-Type"] = "application/json";
    return response;
}

bool AllocatorProcess::onAgentExcluded(void *arg, const char *framework, const char *role,
                                       const char *agent)
{
    const AllocatorProcess *self = static_cast<const AllocatorProcess *>(arg);
    const auto filter = self->constraintFilters.find(framework);
    const auto info = self->agentInfos.find(agent);
    if (filter == self->constraintFilters.end() || info == self->agentInfos.end() ||
        !filter->second) {
        return false;
    }
    return filter->second->isAgentExcluded(role, info->second);
}

void AllocatorProcess::onMasterNote(void *, const char *parameter, const char *flag,
                                    const char *value, bool applies)
{
    if (applies) {
        LOG(INFO) << "hdrf: parameter " << parameter << " = '" << value
                  << "' overrides the master's " << flag;
    } else {
        LOG(WARNING) << "hdrf: parameter " << parameter << " = '" << value
                     << "' is ignored in the master: its " << flag << " paces the allocation runs";
    }
}

void AllocatorProcess::onOffer(void *arg, const char *framework, const hdrf_offer_role *roles,
                               size_t nroles)
{
    AllocatorProcess *self = static_cast<AllocatorProcess *>(arg);
    hashmap<string, hashmap<mesos::SlaveID, mesos::Resources>> offers;
    for (size_t i = 0; i < nroles; i++) {
        for (size_t j = 0; j < roles[i].nagents; j++) {
            const hdrf_offer_agent &agent = roles[i].agents[j];
            Try<mesos::Resources> resources = fromC(agent.resources);
            if (resources.isError()) {
                self->unconverted(resources.error(), "offer");
                continue;
            }
            mesos::SlaveID slaveId;
            slaveId.set_value(agent.agent);
            if (self->logLevel >= HDRF_LOG_DEBUG) {
                LOG(INFO) << "hdrf: offer to framework " << framework << " in role "
                          << roles[i].role << " on agent " << agent.agent << ": "
                          << resources.get();
            }
            offers[roles[i].role][slaveId] = resources.get();
        }
    }

    mesos::FrameworkID frameworkId;
    frameworkId.set_value(framework);
    self->offersThisRun++;
    self->offerCallback(frameworkId, offers);
}

void AllocatorProcess::onInverseOffer(void *arg, const char *framework,
                                      const hdrf_inverse_offer *inverse, size_t n)
{
    AllocatorProcess *self = static_cast<AllocatorProcess *>(arg);
    hashmap<mesos::SlaveID, mesos::UnavailableResources> offers;
    for (size_t i = 0; i < n; i++) {
        mesos::SlaveID slaveId;
        slaveId.set_value(inverse[i].agent);
        offers[slaveId] =
            mesos::UnavailableResources{mesos::Resources(), fromC(inverse[i].unavailability)};
    }

    mesos::FrameworkID frameworkId;
    frameworkId.set_value(framework);
    self->inverseOfferCallback(frameworkId, offers);
}

} // namespace shim
} // namespace hdrf
