/* master_conn.c: the master connection (see daemon_internal.h): where the
 * master is, the subscription, and what the master's events ask of the
 * orchestrator.
 *
 * The master's address is --master's, or the detector's (zk_detector.h),
 * which may move it at any time; the client (sched_http.h) follows. The
 * client exists while leading, from the first read of the desired
 * applications on, and subscribes with the orchestrator's framework id so
 * that the master sees a failover of the same framework. Events go to the
 * orchestrator; its decisions go to the outbox. An ERROR event is only
 * recorded here, in the client's callback, and acted on by the loop
 * (master_conn_handle_refusal()).
 *
 * Owns d->masters_zk, detector, http, fw (with caps, cap_ptrs, roles,
 * user, hostname), refused, have_master, master and subscriptions. */
#include "scheduler/prog/daemon_internal.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/base64.h"

/* ---- the framework ----------------------------------------------------------------- */

void master_conn_framework_info(daemon *d)
{
    static const Mesos__V1__FrameworkInfo__Capability__Type types[] = {
        MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__MULTI_ROLE,
        MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__PARTITION_AWARE,
        MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__TASK_KILLING_STATE};
    const sched_options *o = d->o;
    struct passwd *pw = getpwuid(getuid());
    Mesos__V1__FrameworkInfo init = MESOS__V1__FRAMEWORK_INFO__INIT;
    d->fw = init;
    snprintf(d->user, sizeof d->user, "%s", o->user[0] ? o->user : pw ? pw->pw_name : "root");
    if (o->hostname[0])
        snprintf(d->hostname, sizeof d->hostname, "%s", o->hostname);
    else if (gethostname(d->hostname, sizeof d->hostname - 1) != 0)
        snprintf(d->hostname, sizeof d->hostname, "localhost");
    d->fw.user = d->user;
    d->fw.name = (char *)o->framework_name;
    d->fw.hostname = d->hostname;
    d->fw.has_failover_timeout = true;
    d->fw.failover_timeout = o->failover_timeout_s;
    d->fw.has_checkpoint = true;
    d->fw.checkpoint = o->checkpoint;
    if (o->principal[0])
        d->fw.principal = (char *)o->principal;
    for (size_t i = 0; i < o->n_roles; i++)
        d->roles[i] = (char *)o->roles[i];
    d->fw.n_roles = o->n_roles;
    d->fw.roles = d->roles;
    for (size_t i = 0; i < 3; i++) {
        Mesos__V1__FrameworkInfo__Capability c = MESOS__V1__FRAMEWORK_INFO__CAPABILITY__INIT;
        c.has_type = true;
        c.type = types[i];
        d->caps[i] = c;
        d->cap_ptrs[i] = &d->caps[i];
    }
    d->fw.n_capabilities = 3;
    d->fw.capabilities = d->cap_ptrs;
}

/* ---- the master's events ----------------------------------------------------------- */

static void handle_offers(daemon *d, const sched_event *ev, double now)
{
    size_t n = ev->offers->n_offers, read = 0;
    orch_offer *offers = calloc(n ? n : 1, sizeof *offers);
    placement_pb_offer *pb = calloc(n ? n : 1, sizeof *pb);
    orch_out out = {0};
    sched_error err;
    int rc = offers && pb ? HDRF_OK : sched_error_set(&err, HDRF_ENOMEM, "out of memory");
    for (; rc == HDRF_OK && read < n; read++) {
        const Mesos__V1__Offer *o = ev->offers->offers[read];
        if ((rc = placement_offer_from_pb(o, &pb[read], &err)) != HDRF_OK)
            break;
        offers[read].offer_id = o->id->value;
        offers[read].role = o->allocation_info ? o->allocation_info->role : NULL;
        offers[read].offer = pb[read].offer;
    }
    if (rc == HDRF_OK)
        rc = orch_offers(d->orch, offers, n, now, &out, &err);
    if (rc == HDRF_OK) {
        outbox_enqueue(d, &out, ev);
    } else {
        /* Offers the orchestrator could not take go back at once, whole. */
        sched_log(&d->log, SCHED_LOG_ERROR, "offers: %s", err.text);
        outbox_decline_now(d, ev->offers->offers, n);
        orch_out_free(&out);
    }
    for (size_t i = 0; i < read && pb; i++)
        placement_pb_offer_free(&pb[i]);
    free(pb);
    free(offers);
}

static void handle_update(daemon *d, const sched_event *ev, double now)
{
    const Mesos__V1__TaskStatus *st = ev->update->status;
    const ProtobufCEnumValue *name;
    orch_out out = {0};
    orch_task_state state;
    sched_error err;
    if (!st || !st->task_id)
        return;
    name = protobuf_c_enum_descriptor_get_value(&mesos__v1__task_state__descriptor, st->state);
    sched_log(&d->log, SCHED_LOG_INFO, "status update: %s %s%s%s", st->task_id->value,
              name ? name->name : "?", st->message ? ": " : "", st->message ? st->message : "");
    api_event(d, "status_update",
              json_pack("{s:s, s:s, s:s*, s:s*}", "task_id", st->task_id->value, "state",
                        name ? name->name : "?", "agent_id",
                        st->agent_id ? st->agent_id->value : NULL, "message", st->message));
    /* A container of a task group reports under its own id; the
     * orchestrator maps it to its instance (orch.h, "Task groups"). */
    if (orch_task_state_from_mesos(st->state, &state) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "task %s: unknown state %d", st->task_id->value,
                  st->state);
    else if (orch_status_update(d->orch, st->task_id->value, state,
                                st->agent_id ? st->agent_id->value : NULL, now, &out,
                                &err) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "task %s: %s", st->task_id->value, err.text);
    if (st->has_healthy)
        (void)orch_task_health(d->orch, st->task_id->value, st->healthy); /* unknown: ignored */
    outbox_enqueue(d, &out, ev); /* the ACKNOWLEDGE goes after the save */
}

static void handle_subscribed(daemon *d, const sched_event *ev, double now)
{
    orch_out out = {0};
    sched_error err;
    d->subscriptions++;
    sched_log(&d->log, SCHED_LOG_INFO, "subscribed as framework %s",
              ev->subscribed->framework_id->value);
    api_event(d, "subscribed",
              json_pack("{s:s}", "framework_id", ev->subscribed->framework_id->value));
    if (orch_subscribed(d->orch, ev->subscribed->framework_id->value, now, &out, &err) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_ERROR, "subscribed: %s", err.text);
    outbox_enqueue(d, &out, ev);
}

/* An executor's message: told to the event streams (data in base64). */
static void framework_message(daemon *d, const Mesos__V1__Scheduler__Event__Message *m)
{
    char *data = base64_encode(m->data.data, m->data.len);
    api_event(d, "framework_message",
              json_pack("{s:s*, s:s*, s:s*}", "agent_id", m->agent_id ? m->agent_id->value : NULL,
                        "executor_id", m->executor_id ? m->executor_id->value : NULL, "data",
                        data));
    free(data);
}

static void on_event(void *arg, const sched_event *ev)
{
    daemon *d = arg;
    double now = now_s();
    if (!d->orch)
        return;
    switch (ev->type) {
    case MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED:
        handle_subscribed(d, ev, now);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS:
        if (ev->offers)
            handle_offers(d, ev, now);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE:
        if (ev->update)
            handle_update(d, ev, now);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__MESSAGE:
        if (ev->message)
            framework_message(d, ev->message);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__ERROR: {
        /* Mesos 1.11 ends the subscription after an ERROR; the scheduler
         * cannot go on as it was. Acted on outside the client's callback. */
        const char *why = ev->error && ev->error->message ? ev->error->message : "?";
        sched_log(&d->log, SCHED_LOG_ERROR, "the master reports an error: %s", why);
        d->refused =
            strcmp(why, "Framework has been removed") == 0 ? MASTER_REMOVED : MASTER_REFUSED;
        break;
    }
    case MESOS__V1__SCHEDULER__EVENT__TYPE__FAILURE:
        sched_log(&d->log, SCHED_LOG_WARN, "the master reports a failure of agent %s",
                  ev->failure && ev->failure->agent_id ? ev->failure->agent_id->value : "?");
        break;
    default:
        break;
    }
}

/* ---- the client -------------------------------------------------------------------- */

/* The client has logged why a connection failed (one line per failure:
 * the reason and the delay); the program only counts reconnections. */
static void on_http_state(void *arg, sched_http_state state, const sched_error *why)
{
    daemon *d = arg;
    (void)why;
    if (state == SCHED_HTTP_SUBSCRIBING && d->subscriptions > 0 && d->orch)
        orch_metrics(d->orch)->reconnects++;
}

static void on_call_done(void *arg, uint64_t id, const sched_error *result)
{
    daemon *d = arg;
    if (result->status != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "call %llu refused: %s", (unsigned long long)id,
                  result->text);
}

void master_conn_open(daemon *d)
{
    sched_http_config cfg = {0};
    Mesos__V1__FrameworkID id = MESOS__V1__FRAMEWORK_ID__INIT;
    const char *fid = orch_framework_id(d->orch);
    sched_error err;
    cfg.master = d->master;
    cfg.framework = &d->fw;
    cfg.content_type = d->o->content_type;
    cfg.callbacks = (sched_http_callbacks){on_event, on_http_state, on_call_done, d};
    cfg.log = d->log;
    cfg.backoff.seed = (uint64_t)getpid();
    cfg.backoff.jitter_permille = 200;
    if (fid) {
        id.value = (char *)fid;
        d->fw.id = &id;
        sched_log(&d->log, SCHED_LOG_INFO, "re-subscribing as framework %s", fid);
    }
    if (sched_http_create(&cfg, &d->http, &err) != HDRF_OK)
        leadership_step_down(d, false, err.text);
    d->fw.id = NULL;
    if (d->http && d->have_master)
        sched_http_start(d->http);
}

void master_conn_close(daemon *d)
{
    sched_http_destroy(d->http);
    d->http = NULL;
}

/* The master removed the framework: its id is forgotten, saved, and the
 * next subscription makes a new framework. The tasks the orchestrator knew
 * went with the old framework; reconciliation reports them unknown, and
 * they are replaced. Calls queued for the old framework are dropped. */
static void forget_framework(daemon *d, double now)
{
    json_t *state = orch_to_json(d->orch, now);
    orch *fresh = NULL;
    orch_out out = {0};
    sched_error err = {0};
    int rc;
    if (state) {
        json_object_set_new(state, "framework_id", json_null());
        rc = orch_from_json(&d->ocfg, state, now, &fresh, &err);
    } else {
        rc = sched_error_set(&err, HDRF_ENOMEM, "out of memory forgetting the framework id");
    }
    json_decref(state);
    if (rc != HDRF_OK) {
        leadership_step_down(d, false, err.text);
        return;
    }
    sched_log(&d->log, SCHED_LOG_WARN, "subscribing as a new framework");
    master_conn_close(d);
    outbox_drop(d);
    orch_free(d->orch);
    d->orch = fresh;
    out.dirty = true; /* the id is gone from the stored state too */
    outbox_enqueue(d, &out, NULL);
    if (d->phase == ACTIVE)
        master_conn_open(d);
}

void master_conn_handle_refusal(daemon *d, double now)
{
    master_error e = d->refused;
    d->refused = MASTER_OK;
    if (e == MASTER_REMOVED && d->phase == ACTIVE)
        forget_framework(d, now);
    else if (e == MASTER_REFUSED)
        leadership_step_down(d, false, "the master refused the framework");
}

/* ---- where the master is ----------------------------------------------------------- */

static void on_master(void *arg, const master_info *leader, const sched_error *why)
{
    daemon *d = arg;
    if (!leader) {
        sched_log(&d->log, SCHED_LOG_WARN, "no leading master%s%s", why ? ": " : "",
                  why ? why->text : "");
        return;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "leading master: %s:%u (%s)", leader->addr.host,
              (unsigned)leader->addr.port, leader->id);
    d->master = leader->addr;
    d->have_master = true;
    if (d->http) {
        sched_http_set_master(d->http, &d->master);
        sched_http_start(d->http);
    }
}

int master_conn_init(daemon *d, sched_error *err)
{
    const sched_options *o = d->o;
    int rc;
    if (o->master.kind == MASTER_SPEC_HOST) {
        d->master = o->master.addr;
        d->have_master = true;
        return HDRF_OK;
    }
    if (o->master.kind != MASTER_SPEC_ZK)
        return HDRF_OK;
    /* The masters' ensemble gets a session of its own only when it is
     * not the scheduler's. */
    if ((strcmp(o->master.zk_servers, o->zk_servers) != 0 ||
         strcmp(o->master.zk_auth, o->zk_auth) != 0) &&
        (rc = zk_session_new(o->master.zk_servers, o->zk_session_timeout_ms, o->master.zk_auth,
                             &d->masters_zk, err)) != HDRF_OK)
        return rc;
    return zk_detector_new(d->masters_zk ? d->masters_zk : d->zk, o->master.zk_path, on_master, d,
                           &d->detector, err);
}

void master_conn_free(daemon *d)
{
    zk_detector_free(d->detector);
    d->detector = NULL;
    if (d->masters_zk)
        zk_session_free(d->masters_zk);
    d->masters_zk = NULL;
}
