// modules/label_hook.cpp: io_hdrf_LabelHook, the mesos::Hook of Mesos 1.11.0
// that decorates task labels.
//
// A mechanical shim over the C policy (hdrf/hooks.h): the module's
// `parameters` go to hdrf_hooks_new() once; at each launch the task's
// labels and what is known of the launch go to hdrf_hooks_decorate(), whose
// verdict maps onto Result<Labels>: KEEP is None, REPLACE is Some, REFUSE
// is an Error that fails the launch. The role's dominant share comes from
// the allocator module's latest metrics (shares.hpp), when it is loaded.
#include <string>
#include <vector>

#include <glog/logging.h>

#include <mesos/hook.hpp>
#include <mesos/module/hook.hpp>
#include <mesos/resources.hpp>

#include <stout/foreach.hpp>
#include <stout/result.hpp>

#include "convert.hpp"
#include "shares.hpp"

extern "C" {
#include "hdrf/hooks.h"
}

using std::string;
using std::vector;

namespace hdrf
{
namespace shim
{

namespace
{

// The role a task's resources are allocated to (the master sets
// allocation_info on offered resources); else a single-role framework's.
string launchRole(const mesos::TaskInfo &task, const mesos::FrameworkInfo &framework)
{
    foreach (const mesos::Resource &resource, task.resources()) {
        if (resource.has_allocation_info() && resource.allocation_info().has_role()) {
            return resource.allocation_info().role();
        }
    }
    return framework.roles_size() > 0 ? framework.roles(0) : legacyRole(framework);
}

} // namespace

class LabelHook : public mesos::Hook
{
  public:
    explicit LabelHook(hdrf_hooks *_policy) : policy(_policy) {}
    ~LabelHook() override { hdrf_hooks_free(policy); }

    Result<mesos::Labels> masterLaunchTaskLabelDecorator(const mesos::TaskInfo &task,
                                                         const mesos::FrameworkInfo &framework,
                                                         const mesos::SlaveInfo &agent) override
    {
        return decorate(HDRF_HOOKS_MASTER, task, framework, agent);
    }

    Result<mesos::Labels> slaveRunTaskLabelDecorator(const mesos::TaskInfo &task,
                                                     const mesos::ExecutorInfo &,
                                                     const mesos::FrameworkInfo &framework,
                                                     const mesos::SlaveInfo &agent) override
    {
        return decorate(HDRF_HOOKS_AGENT, task, framework, agent);
    }

  private:
    LabelHook(const LabelHook &) = delete;
    LabelHook &operator=(const LabelHook &) = delete;

    Result<mesos::Labels> decorate(hdrf_hooks_stage stage, const mesos::TaskInfo &task,
                                   const mesos::FrameworkInfo &framework,
                                   const mesos::SlaveInfo &agent)
    {
        const string role = launchRole(task, framework);
        hdrf_hooks_launch launch = hdrf_hooks_launch();
        launch.role = role.c_str();
        launch.framework_id = framework.has_id() ? framework.id().value().c_str() : nullptr;
        launch.framework_name = framework.name().c_str();
        launch.agent_id = agent.has_id() ? agent.id().value().c_str() : nullptr;
        launch.agent_hostname = agent.hostname().c_str();
        const Option<double> share = dominantShare(role);
        launch.has_dominant_share = share.isSome();
        launch.dominant_share = share.getOrElse(0.0);

        const vector<hdrf_label> labels = toC(task.labels());
        hdrf_hooks_result result = hdrf_hooks_result();
        hdrf_error error = hdrf_error();
        int status = hdrf_hooks_decorate(policy, stage, labels.data(), labels.size(), &launch,
                                         &result, &error);
        if (status != HDRF_OK) {
            // The policy could not judge (out of memory, a bad share): the task
            // keeps its labels rather than failing its launch.
            LOG(ERROR) << "io_hdrf_LabelHook: task " << task.task_id().value() << ": "
                       << error.text;
            return None();
        }

        Result<mesos::Labels> answer = None();
        switch (result.verdict) {
        case HDRF_HOOKS_KEEP:
            break;
        case HDRF_HOOKS_REPLACE:
            answer = fromC(result.labels, result.nlabels);
            break;
        case HDRF_HOOKS_REFUSE:
            answer = Error(error.text);
            break;
        }
        hdrf_hooks_result_free(&result);
        return answer;
    }

    hdrf_hooks *policy;
};

namespace
{

mesos::Hook *createHook(const mesos::Parameters &parameters)
{
    const vector<hdrf_hooks_param> pairs = parameterPairs<hdrf_hooks_param>(parameters);
    hdrf_hooks *policy = nullptr;
    hdrf_error error = hdrf_error();
    if (hdrf_hooks_new(pairs.data(), pairs.size(), &policy, &error) != HDRF_OK) {
        LOG(ERROR) << "io_hdrf_LabelHook: " << error.text;
        return nullptr;
    }
    return new LabelHook(policy);
}

} // namespace

} // namespace shim
} // namespace hdrf

mesos::modules::Module<mesos::Hook>
    io_hdrf_LabelHook(MESOS_MODULE_API_VERSION, MESOS_VERSION, "hdrf", "",
                      "hdrf: task labels from the launch, with a protected key prefix.", nullptr,
                      hdrf::shim::createHook);
