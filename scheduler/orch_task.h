/* orch_task.h: task states as the orchestrator sees them.
 *
 * Mesos's TaskState plus one state of our own, LAUNCHING: decided and
 * recorded, the ACCEPT maybe sent, no status update heard yet. A task in
 * LAUNCHING is as alive as a RUNNING one: it counts toward its
 * application's instances, it is persisted, and a standby reconciles it
 * rather than launching it again.
 *
 * Terminal, for the orchestrator: FINISHED, FAILED, KILLED, ERROR, LOST,
 * DROPPED, GONE, GONE_BY_OPERATOR, UNKNOWN, and also UNREACHABLE: Mesos
 * may yet see an unreachable task again, but the orchestrator replaces it
 * at once and kills it if it ever reports back (see orch.h).
 */
#ifndef HDRF_SCHED_ORCH_TASK_H
#define HDRF_SCHED_ORCH_TASK_H

#include <stdbool.h>

#include "lib/sched_error.h"

typedef enum orch_task_state {
    ORCH_TASK_LAUNCHING,
    ORCH_TASK_STAGING,
    ORCH_TASK_STARTING,
    ORCH_TASK_RUNNING,
    ORCH_TASK_KILLING,
    ORCH_TASK_FINISHED,
    ORCH_TASK_FAILED,
    ORCH_TASK_KILLED,
    ORCH_TASK_ERROR,
    ORCH_TASK_LOST,
    ORCH_TASK_DROPPED,
    ORCH_TASK_UNREACHABLE,
    ORCH_TASK_GONE,
    ORCH_TASK_GONE_BY_OPERATOR,
    ORCH_TASK_UNKNOWN,
    ORCH_TASK_STATES
} orch_task_state;

/* Mesos's name ("TASK_RUNNING"); LAUNCHING is "TASK_LAUNCHING". Static. */
const char *orch_task_state_name(orch_task_state s);

/* The state named `name` (as orch_task_state_name() prints it).
 * HDRF_EINVAL for any other text. */
int orch_task_state_parse(const char *name, orch_task_state *out);

/* The state of Mesos's v1 TaskState number `mesos` (mesos.proto's enum:
 * TASK_STAGING = 6, TASK_RUNNING = 1, ...). HDRF_EINVAL for a number the
 * schema does not name. */
int orch_task_state_from_mesos(int mesos, orch_task_state *out);

/* Whether the orchestrator forgets a task in this state (see above). */
bool orch_task_state_terminal(orch_task_state s);

#endif
