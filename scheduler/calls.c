/* calls.c: building scheduler Calls (see calls.h).
 *
 * Each builder lays the call out on its own stack, pointing at the caller's
 * strings, and finish() turns it into a Call wholly on the heap by packing
 * and unpacking it: one allocation path, all-or-nothing, and a result that
 * wire_call_free() releases like any decoded call. Calls are rare (a few
 * per offer cycle), so the extra copy costs nothing that matters. Only
 * the variable-length arrays (offer ids, reconciled tasks) need the heap
 * while building. The casts from `const char *` only let the stack message
 * borrow the caller's strings for packing; nothing writes through them. */
#include "scheduler/calls.h"

#include <stdlib.h>
#include <string.h>

typedef Mesos__V1__Scheduler__Call__Type call_type;

static int missing(sched_error *err, const char *call, const char *what)
{
    return sched_error_set(err, HDRF_EINVAL, "%s: %s must be a non-empty string", call, what);
}

static int empty(const char *s) { return !s || !*s; }

/* Copies the stack-built `call` to the heap. */
static int finish(const sched_call *call, sched_call **out, sched_error *err)
{
    const char *name = protobuf_c_enum_descriptor_get_value(
                           &mesos__v1__scheduler__call__type__descriptor, (int)call->type)
                           ->name;
    size_t size = protobuf_c_message_get_packed_size(&call->base);
    uint8_t *buf;
    if (!protobuf_c_message_check(&call->base))
        return sched_error_set(err, HDRF_EINVAL, "%s: a required field is missing", name);
    if (!(buf = malloc(size ? size : 1)))
        return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", name);
    protobuf_c_message_pack(&call->base, buf);
    *out = (sched_call *)protobuf_c_message_unpack(&mesos__v1__scheduler__call__descriptor, NULL,
                                                   size, buf);
    free(buf);
    return *out ? HDRF_OK : sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", name);
}

static void set_type(sched_call *call, call_type type)
{
    call->has_type = 1;
    call->type = type;
}

/* Offer ids on the heap for the time of one builder. */
typedef struct offer_ids {
    Mesos__V1__OfferID *ids;
    Mesos__V1__OfferID **ptrs;
} offer_ids;

static int offer_ids_make(offer_ids *o, const char *const *values, size_t n, const char *call,
                          sched_error *err)
{
    o->ids = NULL;
    o->ptrs = NULL;
    if (n == 0)
        return sched_error_set(err, HDRF_EINVAL, "%s: no offer id", call);
    for (size_t i = 0; i < n; i++)
        if (empty(values[i]))
            return missing(err, call, "every offer id");
    o->ids = calloc(n, sizeof *o->ids);
    o->ptrs = calloc(n, sizeof *o->ptrs);
    if (!o->ids || !o->ptrs) {
        free(o->ids);
        free(o->ptrs);
        return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", call);
    }
    for (size_t i = 0; i < n; i++) {
        mesos__v1__offer_id__init(&o->ids[i]);
        o->ids[i].value = (char *)values[i];
        o->ptrs[i] = &o->ids[i];
    }
    return HDRF_OK;
}

static void offer_ids_free(offer_ids *o)
{
    free(o->ids);
    free(o->ptrs);
}

int sched_call_subscribe(const Mesos__V1__FrameworkInfo *info, const char *framework_id,
                         sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Subscribe sub = MESOS__V1__SCHEDULER__CALL__SUBSCRIBE__INIT;
    Mesos__V1__FrameworkInfo fi;
    Mesos__V1__FrameworkID id = MESOS__V1__FRAMEWORK_ID__INIT;
    *out = NULL;
    if (!info || empty(info->user) || empty(info->name))
        return sched_error_set(err, HDRF_EINVAL,
                               "SUBSCRIBE: the FrameworkInfo needs a user and a name");
    fi = *info; /* shallow: only the id differs */
    if (!framework_id && info->id)
        framework_id = info->id->value ? info->id->value : "";
    if (framework_id) {
        if (!*framework_id)
            return missing(err, "SUBSCRIBE", "the framework id");
        id.value = (char *)framework_id;
        fi.id = &id;
        call.framework_id = &id;
    }
    sub.framework_info = &fi;
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE);
    call.subscribe = &sub;
    return finish(&call, out, err);
}

static void set_filters(Mesos__V1__Filters *f, double refuse_seconds, Mesos__V1__Filters **slot)
{
    if (refuse_seconds < 0)
        return;
    f->has_refuse_seconds = 1;
    f->refuse_seconds = refuse_seconds;
    *slot = f;
}

/* ACCEPT and DECLINE answer offers alike: ids, a filter, and for ACCEPT
 * the operations. */
static int offers_call(call_type type, const char *name, const char *const *offer_ids_in,
                       size_t n_offers, const Mesos__V1__Offer__Operation *const *ops, size_t n_ops,
                       double refuse_seconds, sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Accept accept = MESOS__V1__SCHEDULER__CALL__ACCEPT__INIT;
    Mesos__V1__Scheduler__Call__Decline decline = MESOS__V1__SCHEDULER__CALL__DECLINE__INIT;
    Mesos__V1__Filters filters = MESOS__V1__FILTERS__INIT;
    offer_ids ids;
    int status;
    *out = NULL;
    if ((status = offer_ids_make(&ids, offer_ids_in, n_offers, name, err)) != HDRF_OK)
        return status;
    for (size_t i = 0; i < n_ops; i++)
        if (!ops[i])
            status = sched_error_set(err, HDRF_EINVAL, "%s: operation %zu is NULL", name, i);
    set_type(&call, type);
    if (type == MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT) {
        accept.n_offer_ids = n_offers;
        accept.offer_ids = ids.ptrs;
        accept.n_operations = n_ops;
        accept.operations = (Mesos__V1__Offer__Operation **)ops;
        set_filters(&filters, refuse_seconds, &accept.filters);
        call.accept = &accept;
    } else {
        decline.n_offer_ids = n_offers;
        decline.offer_ids = ids.ptrs;
        set_filters(&filters, refuse_seconds, &decline.filters);
        call.decline = &decline;
    }
    if (status == HDRF_OK)
        status = finish(&call, out, err);
    offer_ids_free(&ids);
    return status;
}

int sched_call_accept(const char *const *offer_ids_in, size_t n_offers,
                      const Mesos__V1__Offer__Operation *const *ops, size_t n_ops,
                      double refuse_seconds, sched_call **out, sched_error *err)
{
    return offers_call(MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, "ACCEPT", offer_ids_in, n_offers,
                       ops, n_ops, refuse_seconds, out, err);
}

int sched_call_decline(const char *const *offer_ids_in, size_t n_offers, double refuse_seconds,
                       sched_call **out, sched_error *err)
{
    return offers_call(MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, "DECLINE", offer_ids_in, n_offers,
                       NULL, 0, refuse_seconds, out, err);
}

/* SUPPRESS and REVIVE carry the same message shape: a list of roles. */
static int roles_call(call_type type, const char *name, const char *const *roles, size_t n,
                      sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Suppress suppress = MESOS__V1__SCHEDULER__CALL__SUPPRESS__INIT;
    Mesos__V1__Scheduler__Call__Revive revive = MESOS__V1__SCHEDULER__CALL__REVIVE__INIT;
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (empty(roles[i]))
            return missing(err, name, "every role");
    set_type(&call, type);
    if (type == MESOS__V1__SCHEDULER__CALL__TYPE__SUPPRESS) {
        suppress.n_roles = n;
        suppress.roles = (char **)roles;
        call.suppress = &suppress;
    } else {
        revive.n_roles = n;
        revive.roles = (char **)roles;
        call.revive = &revive;
    }
    return finish(&call, out, err);
}

int sched_call_suppress(const char *const *roles, size_t n_roles, sched_call **out,
                        sched_error *err)
{
    return roles_call(MESOS__V1__SCHEDULER__CALL__TYPE__SUPPRESS, "SUPPRESS", roles, n_roles, out,
                      err);
}

int sched_call_revive(const char *const *roles, size_t n_roles, sched_call **out, sched_error *err)
{
    return roles_call(MESOS__V1__SCHEDULER__CALL__TYPE__REVIVE, "REVIVE", roles, n_roles, out, err);
}

int sched_call_kill(const char *task_id, const char *agent_id, const double *grace_seconds,
                    sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Kill kill = MESOS__V1__SCHEDULER__CALL__KILL__INIT;
    Mesos__V1__TaskID task = MESOS__V1__TASK_ID__INIT;
    Mesos__V1__AgentID agent = MESOS__V1__AGENT_ID__INIT;
    Mesos__V1__KillPolicy policy = MESOS__V1__KILL_POLICY__INIT;
    Mesos__V1__DurationInfo grace = MESOS__V1__DURATION_INFO__INIT;
    *out = NULL;
    if (empty(task_id))
        return missing(err, "KILL", "the task id");
    if (agent_id && !*agent_id)
        return missing(err, "KILL", "the agent id, when given,");
    task.value = (char *)task_id;
    kill.task_id = &task;
    if (agent_id) {
        agent.value = (char *)agent_id;
        kill.agent_id = &agent;
    }
    if (grace_seconds) {
        if (!(*grace_seconds >= 0 && *grace_seconds <= 86400))
            return sched_error_set(err, HDRF_EINVAL,
                                   "KILL: the grace period must be 0 to 86400 seconds");
        grace.nanoseconds = (int64_t)(*grace_seconds * 1e9 + 0.5);
        policy.grace_period = &grace;
        kill.kill_policy = &policy;
    }
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__KILL);
    call.kill = &kill;
    return finish(&call, out, err);
}

int sched_call_acknowledge(const Mesos__V1__TaskStatus *status, sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Acknowledge ack = MESOS__V1__SCHEDULER__CALL__ACKNOWLEDGE__INIT;
    *out = NULL;
    if (!status || !status->task_id || empty(status->task_id->value))
        return missing(err, "ACKNOWLEDGE", "the status's task id");
    if (!status->has_uuid || !status->agent_id || empty(status->agent_id->value))
        return sched_error_set(err, HDRF_EINVAL,
                               "ACKNOWLEDGE: the status of task '%s' has no uuid or no agent: "
                               "it needs no acknowledgement",
                               status->task_id->value);
    ack.agent_id = status->agent_id;
    ack.task_id = status->task_id;
    ack.uuid = status->uuid;
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__ACKNOWLEDGE);
    call.acknowledge = &ack;
    return finish(&call, out, err);
}

int sched_call_reconcile(const sched_task_ref *tasks, size_t n_tasks, sched_call **out,
                         sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Reconcile rec = MESOS__V1__SCHEDULER__CALL__RECONCILE__INIT;
    Mesos__V1__Scheduler__Call__Reconcile__Task *items = NULL, **ptrs = NULL;
    Mesos__V1__TaskID *task_ids = NULL;
    Mesos__V1__AgentID *agent_ids = NULL;
    int status = HDRF_OK;
    *out = NULL;
    for (size_t i = 0; i < n_tasks; i++)
        if (empty(tasks[i].task_id) || (tasks[i].agent_id && !*tasks[i].agent_id))
            return sched_error_set(err, HDRF_EINVAL,
                                   "RECONCILE: task %zu: the task id must be a non-empty string "
                                   "and the agent id NULL or non-empty",
                                   i);
    if (n_tasks &&
        (!(items = calloc(n_tasks, sizeof *items)) || !(ptrs = calloc(n_tasks, sizeof *ptrs)) ||
         !(task_ids = calloc(n_tasks, sizeof *task_ids)) ||
         !(agent_ids = calloc(n_tasks, sizeof *agent_ids)))) {
        status = sched_error_set(err, HDRF_ENOMEM, "RECONCILE: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_tasks; i++) {
        mesos__v1__scheduler__call__reconcile__task__init(&items[i]);
        mesos__v1__task_id__init(&task_ids[i]);
        task_ids[i].value = (char *)tasks[i].task_id;
        items[i].task_id = &task_ids[i];
        if (tasks[i].agent_id) {
            mesos__v1__agent_id__init(&agent_ids[i]);
            agent_ids[i].value = (char *)tasks[i].agent_id;
            items[i].agent_id = &agent_ids[i];
        }
        ptrs[i] = &items[i];
    }
    rec.n_tasks = n_tasks;
    rec.tasks = ptrs;
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE);
    call.reconcile = &rec;
    status = finish(&call, out, err);
out:
    free(items);
    free(ptrs);
    free(task_ids);
    free(agent_ids);
    return status;
}

int sched_call_message(const char *agent_id, const char *executor_id, const void *data, size_t len,
                       sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    Mesos__V1__Scheduler__Call__Message msg = MESOS__V1__SCHEDULER__CALL__MESSAGE__INIT;
    Mesos__V1__AgentID agent = MESOS__V1__AGENT_ID__INIT;
    Mesos__V1__ExecutorID executor = MESOS__V1__EXECUTOR_ID__INIT;
    *out = NULL;
    if (empty(agent_id))
        return missing(err, "MESSAGE", "the agent id");
    if (empty(executor_id))
        return missing(err, "MESSAGE", "the executor id");
    if (len && !data)
        return sched_error_set(err, HDRF_EINVAL, "MESSAGE: %zu bytes of data at NULL", len);
    agent.value = (char *)agent_id;
    executor.value = (char *)executor_id;
    msg.agent_id = &agent;
    msg.executor_id = &executor;
    msg.data.len = len;
    msg.data.data = (uint8_t *)data;
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__MESSAGE);
    call.message = &msg;
    return finish(&call, out, err);
}

int sched_call_teardown(sched_call **out, sched_error *err)
{
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    *out = NULL;
    set_type(&call, MESOS__V1__SCHEDULER__CALL__TYPE__TEARDOWN);
    return finish(&call, out, err);
}
