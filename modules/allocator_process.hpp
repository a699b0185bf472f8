// modules/allocator_process.hpp: the libprocess actor that owns hdrf's core.
//
// Every mesos::allocator::Allocator call reaches this actor by dispatch
// (allocator_module.cpp), so the master never waits on the core. Here each
// call is converted (convert.hpp), handed to the core, and followed by the
// run the event asked for: as in Mesos, events only mark agents, and one
// coalesced run (hdrf_allocator_flush) is dispatched behind the events
// already queued. A batch run (hdrf_allocator_allocate) fires every
// allocation interval by delay() on the process clock. Offers and inverse
// offers leave through the master's callbacks. The actor also publishes the
// core's metrics (metrics.hpp) and serves the last run's explanations on
// /hdrf/explain.
#ifndef HDRF_MODULES_ALLOCATOR_PROCESS_HPP
#define HDRF_MODULES_ALLOCATOR_PROCESS_HPP

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <mesos/allocator/allocator.hpp>
#include <mesos/maintenance/maintenance.hpp>

#include <process/future.hpp>
#include <process/http.hpp>
#include <process/metrics/timer.hpp>
#include <process/process.hpp>

#include <stout/duration.hpp>
#include <stout/hashmap.hpp>
#include <stout/hashset.hpp>
#include <stout/lambda.hpp>

#include "metrics.hpp"

extern "C" {
#include "hdrf/allocator.h"
#include "hdrf/params.h"
}

namespace hdrf
{
namespace shim
{

using OfferCallback =
    lambda::function<void(const mesos::FrameworkID &,
                          const hashmap<std::string, hashmap<mesos::SlaveID, mesos::Resources>> &)>;

using InverseOfferCallback = lambda::function<void(
    const mesos::FrameworkID &, const hashmap<mesos::SlaveID, mesos::UnavailableResources> &)>;

using InverseOfferStatuses =
    hashmap<mesos::SlaveID, hashmap<mesos::FrameworkID, mesos::allocator::InverseOfferStatus>>;

class AllocatorProcess : public process::Process<AllocatorProcess>
{
  public:
    // Takes over `params` (parsed and checked by the module's create()).
    explicit AllocatorProcess(hdrf_params *params);
    ~AllocatorProcess() override;

    void initialize(const mesos::allocator::Options &options, const OfferCallback &offerCallback,
                    const InverseOfferCallback &inverseOfferCallback);

    void recover(int expectedAgentCount, const hashmap<std::string, mesos::Quota> &quotas);

    // The master's OfferConstraintsFilter of a framework (move-only, hence
    // shared to cross dispatch()).
    using ConstraintsFilter = std::shared_ptr<const mesos::allocator::OfferConstraintsFilter>;

    void addFramework(const mesos::FrameworkID &frameworkId,
                      const mesos::FrameworkInfo &frameworkInfo,
                      const hashmap<mesos::SlaveID, mesos::Resources> &used, bool active,
                      const std::set<std::string> &suppressedRoles,
                      const ConstraintsFilter &constraints);
    void removeFramework(const mesos::FrameworkID &frameworkId);
    void activateFramework(const mesos::FrameworkID &frameworkId);
    void deactivateFramework(const mesos::FrameworkID &frameworkId);
    void updateFramework(const mesos::FrameworkID &frameworkId,
                         const mesos::FrameworkInfo &frameworkInfo,
                         const std::set<std::string> &suppressedRoles,
                         const ConstraintsFilter &constraints);

    void addSlave(const mesos::SlaveID &slaveId, const mesos::SlaveInfo &slaveInfo,
                  const std::vector<mesos::SlaveInfo::Capability> &capabilities,
                  const Option<mesos::Unavailability> &unavailability,
                  const mesos::Resources &total,
                  const hashmap<mesos::FrameworkID, mesos::Resources> &used);
    void removeSlave(const mesos::SlaveID &slaveId);
    void updateSlave(const mesos::SlaveID &slaveId, const mesos::SlaveInfo &slaveInfo,
                     const Option<mesos::Resources> &total,
                     const Option<std::vector<mesos::SlaveInfo::Capability>> &capabilities);
    void addResourceProvider(const mesos::SlaveID &slaveId, const mesos::Resources &total,
                             const hashmap<mesos::FrameworkID, mesos::Resources> &used);
    void activateSlave(const mesos::SlaveID &slaveId);
    void deactivateSlave(const mesos::SlaveID &slaveId);
    void updateWhitelist(const Option<hashset<std::string>> &whitelist);

    void updateAllocation(const mesos::FrameworkID &frameworkId, const mesos::SlaveID &slaveId,
                          const mesos::Resources &offeredResources,
                          const std::vector<mesos::ResourceConversion> &conversions);
    process::Future<Nothing>
    updateAvailable(const mesos::SlaveID &slaveId,
                    const std::vector<mesos::Offer::Operation> &operations);

    void updateUnavailability(const mesos::SlaveID &slaveId,
                              const Option<mesos::Unavailability> &unavailability);
    void updateInverseOffer(const mesos::SlaveID &slaveId, const mesos::FrameworkID &frameworkId,
                            const Option<mesos::allocator::InverseOfferStatus> &status,
                            const Option<mesos::Filters> &filters);
    InverseOfferStatuses getInverseOfferStatuses();

    void transitionOfferedToAllocated(const mesos::SlaveID &slaveId,
                                      const mesos::Resources &resources);
    void recoverResources(const mesos::FrameworkID &frameworkId, const mesos::SlaveID &slaveId,
                          const mesos::Resources &resources, const Option<mesos::Filters> &filters,
                          bool isAllocated);

    void suppressOffers(const mesos::FrameworkID &frameworkId, const std::set<std::string> &roles);
    void reviveOffers(const mesos::FrameworkID &frameworkId, const std::set<std::string> &roles);

    void updateQuota(const std::string &role, const mesos::Quota &quota);
    void updateWeights(const std::vector<mesos::WeightInfo> &weightInfos);

    void pause();
    void resume();

  protected:
    void finalize() override;

  private:
    // The periodic batch run; re-arms itself.
    void batch();
    // The coalesced run of the events since the last run.
    void flush();
    // After an event: dispatches one flush behind the queued events if the
    // core has agents pending and none is dispatched yet.
    void scheduleFlush();
    // Runs the core (allocate or flush), timed, then refreshes the metrics.
    void run(bool whole);

    // A failed core call: logged (per log_level) with the core's message.
    bool ok(int status, const char *call);
    // Arguments that did not convert: logged, the event is dropped.
    void unconverted(const std::string &why, const char *call);

    double metricValue(const std::string &name);

    process::Future<process::http::Response>
    explain(const process::http::Request &request,
            const Option<process::http::authentication::Principal> &principal);

    // /hdrf/state: hdrf_allocator_state(), the allocator's state as JSON.
    process::Future<process::http::Response>
    state(const process::http::Request &request,
          const Option<process::http::authentication::Principal> &principal);

    static void onOffer(void *arg, const char *framework, const hdrf_offer_role *roles,
                        size_t nroles);
    // hdrf_params_under_master(): a parameter given for a master's setting.
    static void onMasterNote(void *arg, const char *parameter, const char *flag, const char *value,
                             bool applies);
    static void onInverseOffer(void *arg, const char *framework, const hdrf_inverse_offer *offers,
                               size_t n);
    // callbacks.agent_excluded: the master's filter decides, as in Mesos's
    // own allocator (isAgentExcluded for each framework, role and agent).
    static bool onAgentExcluded(void *arg, const char *framework, const char *role,
                                const char *agent);

    hdrf_params *params;
    hdrf_allocator *core;
    hdrf_log_level logLevel;
    Duration interval;
    OfferCallback offerCallback;
    InverseOfferCallback inverseOfferCallback;

    bool flushScheduled;
    size_t offersThisRun;

    // What the master's offer constraints filters read: each framework's
    // filter, each agent's SlaveInfo (with its id).
    hashmap<std::string, ConstraintsFilter> constraintFilters;
    hashmap<std::string, mesos::SlaveInfo> agentInfos;

    std::unique_ptr<CoreMetrics> metrics;
    process::metrics::Timer<Milliseconds> allocationRun;
    process::metrics::Timer<Milliseconds> allocationRunLatency;
};

} // namespace shim
} // namespace hdrf

#endif
