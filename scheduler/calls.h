/* calls.h: the scheduler Calls a framework sends, built from plain C values.
 *
 * wire.h encodes any Call; this module knows what each call type must
 * hold so that the rest of the scheduler never fills protobuf-c structs by
 * hand: SUBSCRIBE, ACCEPT, DECLINE (with refuse_seconds), SUPPRESS and
 * REVIVE (per role), KILL, ACKNOWLEDGE (from the status update itself),
 * RECONCILE (explicit, or implicit with no task), MESSAGE and TEARDOWN.
 *
 * No call but SUBSCRIBE carries a framework id here: the HTTP client
 * (sched_http.h) stamps the id of its subscription on every call it sends,
 * so a call built before a failover still goes out with the right one.
 *
 * Ownership: inputs are borrowed for the call; *out is a new Call, wholly
 * on the heap, freed with wire_call_free(). On failure *out is NULL and err
 * says which argument was refused.
 */
#ifndef HDRF_SCHED_CALLS_H
#define HDRF_SCHED_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"
#include "scheduler/wire.h"

/* Mesos's default refuse_seconds (Filters) when a call passes none. */
#define SCHED_CALL_NO_FILTER (-1.0)

/* SUBSCRIBE with the FrameworkInfo `info`; a non-NULL `framework_id`
 * re-subscribes that framework (it then goes into the call and into the
 * FrameworkInfo, as Mesos requires for failover). */
int sched_call_subscribe(const Mesos__V1__FrameworkInfo *info, const char *framework_id,
                         sched_call **out, sched_error *err);

/* ACCEPT offers with operations (LAUNCH, LAUNCH_GROUP, RESERVE, ...);
 * `refuse_seconds` < 0 leaves the master's default filter. */
int sched_call_accept(const char *const *offer_ids, size_t n_offers,
                      const Mesos__V1__Offer__Operation *const *ops, size_t n_ops,
                      double refuse_seconds, sched_call **out, sched_error *err);

/* DECLINE offers, not to be offered again for `refuse_seconds` (< 0: the
 * master's default of 5 s). */
int sched_call_decline(const char *const *offer_ids, size_t n_offers, double refuse_seconds,
                       sched_call **out, sched_error *err);

/* SUPPRESS / REVIVE offers for `roles` (none: every role of the framework). */
int sched_call_suppress(const char *const *roles, size_t n_roles, sched_call **out,
                        sched_error *err);
int sched_call_revive(const char *const *roles, size_t n_roles, sched_call **out, sched_error *err);

/* KILL a task; `agent_id` may be NULL; `grace_seconds` (or NULL) is the
 * kill policy's grace period, overriding the one the task was launched with. */
int sched_call_kill(const char *task_id, const char *agent_id, const double *grace_seconds,
                    sched_call **out, sched_error *err);

/* ACKNOWLEDGE the status update `status` (of an UPDATE event). Refused
 * (HDRF_EINVAL) for a status without uuid or agent: Mesos wants no
 * acknowledgement for those. */
int sched_call_acknowledge(const Mesos__V1__TaskStatus *status, sched_call **out, sched_error *err);

/* One task to reconcile; agent_id may be NULL. */
typedef struct sched_task_ref {
    const char *task_id;
    const char *agent_id;
} sched_task_ref;

/* RECONCILE `tasks`; with n_tasks == 0 an implicit reconciliation (the
 * master then reports every task it knows of the framework). */
int sched_call_reconcile(const sched_task_ref *tasks, size_t n_tasks, sched_call **out,
                         sched_error *err);

/* MESSAGE: `len` bytes of data to an executor. */
int sched_call_message(const char *agent_id, const char *executor_id, const void *data, size_t len,
                       sched_call **out, sched_error *err);

/* TEARDOWN: the framework ends; the master kills its tasks. */
int sched_call_teardown(sched_call **out, sched_error *err);

#endif
