/* launch.h: the Offer.Operation that starts one instance the orchestrator
 * decided to launch (orch.h, orch_launch).
 *
 *  - A command application: LAUNCH of one TaskInfo: name = the app id,
 *    task id = the launch's, the offer's agent, the app's resources
 *    allocated to the offer's role (Mesos requires the allocation role of
 *    a MULTI_ROLE framework's resources), a CommandInfo (`command`: shell;
 *    `args`: argv, no shell), the app's environment and labels.
 *  - A task group: LAUNCH_GROUP with the default executor (ExecutorInfo
 *    type DEFAULT, id "<task id>.executor", the app's executor_resources)
 *    and one TaskInfo per container, with task id "<task id>.<container>",
 *    its resources, command and environment (the app's, then its own).
 *    Status updates of a container's task are its instance's:
 *    launch_instance_id() maps them back.
 * Resources are the app's unreserved ones: an offer of reserved
 * resources fits in placement's view but the master refuses a task that
 * asks for unreserved ones (not handled yet).
 *
 * Ownership: *out is a new tree, freed with launch_operation_free(); the
 * inputs are borrowed.
 */
#ifndef HDRF_SCHED_PROG_LAUNCH_H
#define HDRF_SCHED_PROG_LAUNCH_H

#include <stddef.h>

#include "../app.h"
#include "../sched_error.h"
#include "mesos/v1/mesos.pb-c.h"

/* The operation starting instance `task_id` of `a` on `offer`. */
int launch_operation(const app *a, const char *task_id, const Mesos__V1__Offer *offer,
                     Mesos__V1__Offer__Operation **out, sched_error *err);
void launch_operation_free(Mesos__V1__Offer__Operation *op); /* NULL is a no-op */

/* The instance's task id ("web.3") of a task id that may be a container's
 * ("web.3.sidecar"): everything before the second dot. */
void launch_instance_id(const char *task_id, char *out, size_t size);

/* The first container's task id of a task-group instance, what a KILL
 * names (killing one task of a group kills the group); for a command
 * app, the task id itself. */
void launch_kill_id(const app *a, const char *task_id, char *out, size_t size);

#endif
