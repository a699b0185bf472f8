/* task_build.h: the LAUNCH and LAUNCH_GROUP operations of an ACCEPT.
 *
 * The orchestrator (orch.h) says which tasks go on which offer; this
 * module writes them as the Offer.Operations Mesos expects, so that the
 * program only hands them to sched_call_accept():
 *
 *  - A command app's instance is one TaskInfo in a LAUNCH: name = the app
 *    id, task_id = the orchestrator's task id, agent_id = the offer's,
 *    command = the app's (`command`: shell=true and the text; `args`:
 *    shell=false, value argv[0], arguments argv), environment variables
 *    from `environment`, labels from `labels`.
 *  - A task-group app's instance is a LAUNCH_GROUP with the default
 *    executor (ExecutorInfo type DEFAULT, executor_id "<task id>", the
 *    app's `executor_resources`, the framework id when given) and one
 *    TaskInfo per container, named after it, with task_id
 *    "<task id>.<container name>" (orch.h, "Task groups", maps it back),
 *    its own resources and command, and the app's environment followed by
 *    the container's.
 *
 * Resources are taken out of the offer, so that each task names resources
 * the offer really holds, with their metadata (allocation role,
 * reservations): for every resource the app asks for, the offer's
 * resources of that name are used reserved ones first, then unreserved, in
 * the order of the offer; a scalar may be split over several (cpus(eng):1
 * and cpus:1 for cpus:2), ranges and sets must sit whole in one offered
 * resource. Revocable, shared resources and persistent volumes are never
 * taken. Tasks of one offer take from what earlier ones left.
 *
 * Ownership: inputs are borrowed. *ops is a new array of new Operations,
 * freed with task_build_free(); on failure it is NULL and err says which
 * task and resource could not be built (HDRF_ENOFIT: the offer does not
 * hold it, which placement should have prevented).
 */
#ifndef HDRF_SCHED_TASK_BUILD_H
#define HDRF_SCHED_TASK_BUILD_H

#include <stddef.h>

#include "mesos/v1/mesos.pb-c.h"
#include "scheduler/orch.h"
#include "lib/sched_error.h"

/* The operations for accept number `accept` of `out` on its offer
 * `offer` (the Offer message the orchestrator's offer came from).
 * `framework_id` may be NULL (the master fills the executor's in). */
int task_build_accept(const orch_out *out, size_t accept, const Mesos__V1__Offer *offer,
                      const char *framework_id, Mesos__V1__Offer__Operation ***ops, size_t *n_ops,
                      sched_error *err);

void task_build_free(Mesos__V1__Offer__Operation **ops, size_t n_ops); /* NULL is a no-op */

#endif
