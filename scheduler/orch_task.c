/* orch_task.c: task states as the orchestrator sees them (see orch_task.h). */
#include "scheduler/orch_task.h"

#include <string.h>

#include "mesos/v1/mesos.pb-c.h"

static const char *const names[ORCH_TASK_STATES] = {
    "TASK_LAUNCHING", "TASK_STAGING",          "TASK_STARTING",
    "TASK_RUNNING",   "TASK_KILLING",          "TASK_FINISHED",
    "TASK_FAILED",    "TASK_KILLED",           "TASK_ERROR",
    "TASK_LOST",      "TASK_DROPPED",          "TASK_UNREACHABLE",
    "TASK_GONE",      "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN"};

/* Mesos's numbers, in the order of orch_task_state; LAUNCHING has none. */
static const int mesos_numbers[ORCH_TASK_STATES] = {-1,
                                                    MESOS__V1__TASK_STATE__TASK_STAGING,
                                                    MESOS__V1__TASK_STATE__TASK_STARTING,
                                                    MESOS__V1__TASK_STATE__TASK_RUNNING,
                                                    MESOS__V1__TASK_STATE__TASK_KILLING,
                                                    MESOS__V1__TASK_STATE__TASK_FINISHED,
                                                    MESOS__V1__TASK_STATE__TASK_FAILED,
                                                    MESOS__V1__TASK_STATE__TASK_KILLED,
                                                    MESOS__V1__TASK_STATE__TASK_ERROR,
                                                    MESOS__V1__TASK_STATE__TASK_LOST,
                                                    MESOS__V1__TASK_STATE__TASK_DROPPED,
                                                    MESOS__V1__TASK_STATE__TASK_UNREACHABLE,
                                                    MESOS__V1__TASK_STATE__TASK_GONE,
                                                    MESOS__V1__TASK_STATE__TASK_GONE_BY_OPERATOR,
                                                    MESOS__V1__TASK_STATE__TASK_UNKNOWN};

const char *orch_task_state_name(orch_task_state s)
{
    return (unsigned)s < ORCH_TASK_STATES ? names[s] : "TASK_UNKNOWN";
}

int orch_task_state_parse(const char *name, orch_task_state *out)
{
    for (int i = 0; i < ORCH_TASK_STATES; i++)
        if (strcmp(names[i], name) == 0) {
            *out = (orch_task_state)i;
            return HDRF_OK;
        }
    return HDRF_EINVAL;
}

int orch_task_state_from_mesos(int mesos, orch_task_state *out)
{
    for (int i = ORCH_TASK_STAGING; i < ORCH_TASK_STATES; i++)
        if (mesos_numbers[i] == mesos) {
            *out = (orch_task_state)i;
            return HDRF_OK;
        }
    return HDRF_EINVAL;
}

bool orch_task_state_terminal(orch_task_state s) { return s >= ORCH_TASK_FINISHED; }
