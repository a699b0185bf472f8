/* daemon.c: the scheduler's loop (see daemon.h).
 *
 * One thread. The loop polls the HTTP client's sockets and the ZooKeeper
 * session's descriptor together (sched_http_poll() with the session's fd as
 * an extra), then dispatches ZooKeeper and runs what is due. Everything
 * the orchestrator decides goes through one queue: each decision becomes
 * an item holding the Calls it implies, built at once (the orchestrator's
 * app pointers and the event's offers are valid only then); at most one
 * save runs, covering every item queued before it started; when it
 * succeeds those items' calls go out, in queue order. */
#include "scheduler/prog/daemon.h"

#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/calls.h"
#include "scheduler/orch.h"
#include "scheduler/sched_http.h"
#include "scheduler/task_build.h"
#include "scheduler/zk_detector.h"
#include "scheduler/zk_election.h"
#include "scheduler/zk_store.h"
#include "scheduler/prog/desired.h"
#include "scheduler/prog/metrics_file.h"
#include "scheduler/prog/persist.h"

#define TICK_S 1.0
#define DEFAULT_MAX_DOWN 1

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef enum phase { STANDBY, LOADING, CLAIMING, ACTIVE } phase;

typedef struct item {
    bool dirty;         /* the decision changed the state: a save must cover it */
    sched_call **calls; /* in the order they go out */
    const char **names; /* each call's name, for the log (static strings) */
    size_t n_calls;
} item;

/* What an ERROR event from the master means for this instance. */
typedef enum master_error {
    MASTER_OK,
    MASTER_REMOVED, /* the framework id is gone for good (its failover timeout ran out,
                       or an operator tore it down): subscribe as a new framework */
    MASTER_REFUSED  /* anything else, "Framework failed over" among them: stop leading */
} master_error;

typedef struct daemon {
    const sched_options *o;
    sched_logger log;
    desired_paths paths;
    char owner[300]; /* published in the election node */
    zk_session *zk;
    zk_session *masters_zk; /* the masters' ensemble when it is not --zk's; else NULL */
    zk_election *election;
    zk_detector *detector;
    zk_user *watcher;
    zk_store *desired;
    persist *persist;
    orch_config ocfg;
    orch *orch;
    sched_http *http;
    Mesos__V1__FrameworkInfo fw;
    Mesos__V1__FrameworkInfo__Capability caps[3], *cap_ptrs[3];
    char *roles[FLAGS_MAX_ROLES];
    char user[128], hostname[256];
    phase phase;
    bool rejoin; /* stepped down while still elected: leave and join again (tick()) */
    master_error refused; /* an ERROR event from the master, acted on in tick() */
    bool have_master;
    master_addr master;
    uint64_t subscriptions;
    /* the desired applications */
    json_t *desired_docs; /* id -> {"doc": ..., "version": n} */
    json_t *applied;      /* id -> the definition (without instances) given to orch */
    json_t *removing;     /* id -> true while its desired document is being deleted */
    bool desired_wanted, desired_loading;
    bool desired_known; /* read at least once since leading: an app missing there is deleted */
    /* persist-then-send */
    item *items;
    size_t n_items, cap_items, covered;
    bool saving;
    double next_tick, next_metrics;
} daemon;

static double now_s(void) { return (double)sched_clock_monotonic(NULL) / 1000.0; }

/* ---- sending what the orchestrator decided ----------------------------------------- */

static void send_calls(daemon *d, const item *it)
{
    for (size_t i = 0; i < it->n_calls; i++) {
        sched_error e;
        uint64_t id;
        if (sched_http_send(d->http, it->calls[i], &id, &e) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_WARN, "%s not sent: %s", it->names[i], e.text);
        else
            sched_log(&d->log, SCHED_LOG_DEBUG, "%s sent (call %llu)", it->names[i],
                      (unsigned long long)id);
    }
}

static void free_item(item *it)
{
    for (size_t i = 0; i < it->n_calls; i++)
        wire_call_free(it->calls[i]);
    free(it->calls);
    free(it->names);
    memset(it, 0, sizeof *it);
}

/* Appends a call built with status `built` (or logs why it was not). */
static void add_call(daemon *d, item *it, sched_call *call, int built, const sched_error *err,
                     const char *name)
{
    sched_call **calls;
    const char **names;
    if (built != HDRF_OK) {
        sched_log(&d->log, SCHED_LOG_ERROR, "%s: %s", name, err->text);
        return;
    }
    calls = realloc(it->calls, (it->n_calls + 1) * sizeof *calls);
    if (calls)
        it->calls = calls;
    names = calls ? realloc(it->names, (it->n_calls + 1) * sizeof *names) : NULL;
    if (names)
        it->names = names;
    if (!calls || !names) {
        sched_log(&d->log, SCHED_LOG_ERROR, "%s: out of memory", name);
        wire_call_free(call);
        return;
    }
    it->calls[it->n_calls] = call;
    it->names[it->n_calls++] = name;
}

static void add_accept(daemon *d, item *it, const orch_out *out, size_t accept,
                       const Mesos__V1__Offer *offer)
{
    Mesos__V1__Offer__Operation **ops = NULL;
    const char *offer_id = offer->id->value;
    sched_call *call = NULL;
    sched_error err;
    size_t n_ops = 0;
    int rc = task_build_accept(out, accept, offer, orch_framework_id(d->orch), &ops, &n_ops, &err);
    if (rc == HDRF_OK)
        rc = sched_call_accept(&offer_id, 1, (const Mesos__V1__Offer__Operation *const *)ops, n_ops,
                               SCHED_CALL_NO_FILTER, &call, &err);
    add_call(d, it, call, rc, &err, "ACCEPT");
    task_build_free(ops, n_ops);
}

/* The calls of `out`, in the order orch.h prescribes: ACCEPTs, DECLINEs,
 * KILLs, SUPPRESS/REVIVE, RECONCILE, and the ACKNOWLEDGE of the update
 * `ev` answers (ev: the OFFERS or UPDATE event, or NULL). */
/* DECLINEs, one call per distinct refuse_seconds, so that a round's
 * declines go in one or two calls rather than one per offer: the offers
 * `declines` names, or (declines NULL) all n offers, without a filter. */
static void add_declines(daemon *d, item *it, Mesos__V1__Offer *const *offers,
                         const orch_decline *declines, size_t n)
{
    bool *done = calloc(n ? n : 1, sizeof *done);
    const char **group = malloc((n ? n : 1) * sizeof *group);
    if (!done || !group) {
        sched_log(&d->log, SCHED_LOG_ERROR, "DECLINE: out of memory");
        n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        double refuse = declines ? declines[i].refuse_seconds : SCHED_CALL_NO_FILTER;
        size_t k = 0;
        sched_call *call = NULL;
        sched_error err;
        if (done[i])
            continue;
        for (size_t j = i; j < n; j++) {
            if (done[j] || (declines && declines[j].refuse_seconds != refuse))
                continue;
            group[k++] = offers[declines ? declines[j].offer : j]->id->value;
            done[j] = true;
        }
        int rc = sched_call_decline(group, k, refuse, &call, &err);
        add_call(d, it, call, rc, &err, "DECLINE");
    }
    free(done);
    free(group);
}

static void build_calls(daemon *d, item *it, const orch_out *out, const sched_event *ev)
{
    Mesos__V1__Offer *const *offers = ev && ev->offers ? ev->offers->offers : NULL;
    sched_call *call = NULL;
    sched_error err;
    int rc;
    for (size_t i = 0; offers && i < out->n_accepts; i++)
        add_accept(d, it, out, i, offers[out->accepts[i].offer]);
    if (offers)
        add_declines(d, it, offers, out->declines, out->n_declines);
    for (size_t i = 0; i < out->n_kills; i++) {
        rc = sched_call_kill(out->kills[i].task_id, out->kills[i].agent_id, &call, &err);
        add_call(d, it, call, rc, &err, "KILL");
    }
    if (out->n_suppress) {
        rc = sched_call_suppress((const char *const *)out->suppress, out->n_suppress, &call, &err);
        add_call(d, it, call, rc, &err, "SUPPRESS");
    }
    if (out->n_revive) {
        rc = sched_call_revive((const char *const *)out->revive, out->n_revive, &call, &err);
        add_call(d, it, call, rc, &err, "REVIVE");
    }
    if (out->n_reconcile || out->reconcile_implicit) {
        sched_task_ref *refs = calloc(out->n_reconcile ? out->n_reconcile : 1, sizeof *refs);
        for (size_t i = 0; refs && i < out->n_reconcile; i++)
            refs[i] = (sched_task_ref){out->reconcile[i].task_id, out->reconcile[i].agent_id};
        rc = refs ? sched_call_reconcile(refs, out->n_reconcile, &call, &err)
                  : sched_error_set(&err, HDRF_ENOMEM, "out of memory");
        add_call(d, it, call, rc, &err, out->n_reconcile ? "RECONCILE (explicit)" : "RECONCILE");
        free(refs);
    }
    for (size_t i = 0; i < out->n_txns; i++)
        sched_log(&d->log, SCHED_LOG_INFO, "transaction %s (%s): %s", out->txns[i].txn_id,
                  orch_txn_kind_name(out->txns[i].kind), orch_txn_status_name(out->txns[i].status));
    if (ev && ev->update && ev->update->status && ev->update->status->has_uuid) {
        rc = sched_call_acknowledge(ev->update->status, &call, &err);
        add_call(d, it, call, rc, &err, "ACKNOWLEDGE");
    }
}

static void drop_items(daemon *d)
{
    for (size_t i = 0; i < d->n_items; i++)
        free_item(&d->items[i]);
    d->n_items = d->covered = 0;
}

static void pump(daemon *d);
static void start_http(daemon *d);

/* Drops everything leading holds. `deposed`: another instance took the
 * state (logged as an error). Whatever the reason, an instance the
 * election still names leaves it and joins again at the back (tick()),
 * so that leadership never rests with an instance that has stopped
 * acting; if it is alone it leads again, from a fresh load. */
static void step_down(daemon *d, bool deposed, const char *why)
{
    if (d->phase == STANDBY)
        return;
    sched_log(&d->log, deposed ? SCHED_LOG_ERROR : SCHED_LOG_WARN, "no longer leading: %s", why);
    sched_http_destroy(d->http);
    d->http = NULL;
    drop_items(d);
    orch_free(d->orch);
    d->orch = NULL;
    persist_free(d->persist);
    d->persist = NULL;
    zk_user_cancel(d->watcher);
    zk_store_free(d->desired);
    d->desired = NULL;
    json_object_clear(d->desired_docs);
    json_object_clear(d->applied);
    json_object_clear(d->removing);
    d->desired_loading = d->saving = d->desired_known = false;
    d->phase = STANDBY;
    d->rejoin = !stop_requested && d->election && zk_election_leading(d->election);
}

static void on_saved(void *arg, int status, const sched_error *err)
{
    daemon *d = arg;
    size_t n = d->covered;
    d->saving = false;
    if (status != HDRF_OK) {
        step_down(d, true, err ? err->text : "the state could not be saved");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        send_calls(d, &d->items[i]);
        free_item(&d->items[i]);
    }
    memmove(d->items, d->items + n, (d->n_items - n) * sizeof *d->items);
    d->n_items -= n;
    d->covered = 0;
    pump(d);
}

/* Starts a save covering every queued item, or sends them at once when
 * none changed the state. */
static void pump(daemon *d)
{
    bool dirty = false;
    json_t *state;
    sched_error err;
    if (d->saving || d->phase != ACTIVE || d->n_items == 0)
        return;
    /* The epoch is the fence; the election is checked too, so that a
     * leader whose session ended stops before ZooKeeper refuses it. */
    if (!zk_election_leading(d->election)) {
        step_down(d, false, "the election no longer names this instance");
        return;
    }
    for (size_t i = 0; i < d->n_items; i++)
        dirty |= d->items[i].dirty;
    d->covered = d->n_items;
    if (!dirty) {
        on_saved(d, HDRF_OK, NULL);
        return;
    }
    if (!(state = orch_to_json(d->orch, now_s()))) {
        step_down(d, false, "out of memory serializing the state");
        return;
    }
    d->saving = true;
    if (persist_save(d->persist, state, on_saved, d, &err) != HDRF_OK) {
        d->saving = false;
        step_down(d, false, err.text);
    }
    json_decref(state);
}

/* Queues the calls of the decisions in *out (then freed) and of the event
 * `ev` (borrowed, may be NULL) they answer. */
static void enqueue(daemon *d, orch_out *out, const sched_event *ev)
{
    item it = {.dirty = out->dirty};
    build_calls(d, &it, out, ev);
    orch_out_free(out);
    if (!it.dirty && it.n_calls == 0)
        return;
    if (d->n_items == d->cap_items) {
        size_t cap = d->cap_items ? 2 * d->cap_items : 16;
        item *grown = realloc(d->items, cap * sizeof *grown);
        if (!grown) {
            free_item(&it);
            step_down(d, false, "out of memory");
            return;
        }
        d->items = grown;
        d->cap_items = cap;
    }
    d->items[d->n_items++] = it;
    pump(d);
}

/* ---- the desired applications ------------------------------------------------------ */

/* The application's JSON without "instances": what an update changes. */
static json_t *definition_of(const json_t *app)
{
    json_t *copy = json_deep_copy(app);
    json_object_del(copy, "instances");
    return copy;
}

static void report(daemon *d, int rc, const char *what, const char *id, const sched_error *err)
{
    if (rc == HDRF_OK)
        sched_log(&d->log, SCHED_LOG_INFO, "%s %s", what, id);
    else
        sched_log(&d->log, SCHED_LOG_WARN, "%s %s refused: %s", what, id, err->text);
}

static void on_desired_removed(void *arg, int status, int version, const sched_error *err)
{
    daemon *d = arg;
    (void)version;
    (void)status;
    (void)err;
    d->desired_wanted = true; /* read again what is left */
}

/* One desired application against the orchestrator. */
static void apply_one(daemon *d, const char *id, const json_t *entry, double now)
{
    desired_app want;
    orch_app_info have;
    orch_out out = {0};
    sched_error err;
    int rc = HDRF_OK;
    bool known;
    if (desired_read(json_object_get(entry, "doc"), &want, &err) != HDRF_OK)
        return;
    known = orch_app_find(d->orch, id, &have);
    if (want.deleted) {
        json_object_del(d->applied, id); /* submitted again later: a new application */
        if (known && !have.deleting) {
            rc = orch_delete(d->orch, id, want.force, 0, now, NULL, &out, &err);
            report(d, rc, "delete", id, &err);
        } else if (!known && !json_object_get(d->removing, id)) {
            json_object_set_new(d->removing, id, json_true());
            if (zk_store_delete(d->desired, ZK_STORE_APP, id,
                                (int)json_integer_value(json_object_get(entry, "version")),
                                on_desired_removed, d, &err) != HDRF_OK)
                json_object_del(d->removing, id);
        }
    } else {
        json_t *def = definition_of(want.app);
        const json_t *seen = json_object_get(d->applied, id);
        if (!known) {
            if (!json_equal(seen, def)) {
                rc = orch_submit(d->orch, want.app, 0, now, NULL, &out, &err);
                report(d, rc, "submit", id, &err);
            }
        } else if (have.deleting) {
            /* submitted again while its deletion goes on: once it is gone */
        } else if (!json_equal(seen, def)) {
            rc = orch_update(d->orch, want.app, DEFAULT_MAX_DOWN, 0, now, NULL, &out, &err);
            report(d, rc, "update", id, &err);
        } else if (have.desired != want.instances) {
            rc = orch_scale(d->orch, id, want.instances, 0, now, NULL, &out, &err);
            report(d, rc, "scale", id, &err);
        }
        /* Recorded even when refused: a bad definition is not retried
         * every second, only when it changes. */
        if (!known || !have.deleting)
            json_object_set(d->applied, id, def);
        json_decref(def);
    }
    enqueue(d, &out, NULL);
}

/* Brings the orchestrator to the desired applications. */
static void apply_desired(daemon *d, double now)
{
    const char *id;
    json_t *entry;
    orch_app_info have;
    if (d->phase != ACTIVE || !d->desired_known)
        return;
    json_object_foreach(d->desired_docs, id, entry) apply_one(d, id, entry, now);
    /* An application with no desired document left is deleted. */
    for (size_t i = 0; d->orch && i < orch_app_count(d->orch); i++) {
        orch_out out = {0};
        sched_error err;
        if (!orch_app_at(d->orch, i, &have) || have.deleting ||
            json_object_get(d->desired_docs, have.def->id))
            continue;
        report(d, orch_delete(d->orch, have.def->id, false, 0, now, NULL, &out, &err), "delete",
               have.def->id, &err);
        enqueue(d, &out, NULL);
    }
}

static void on_desired_loaded(void *arg, int status, const zk_store_snapshot *snap,
                              const sched_error *err)
{
    daemon *d = arg;
    d->desired_loading = false;
    if (status != HDRF_OK) {
        sched_log(&d->log, SCHED_LOG_WARN, "reading the desired applications: %s", err->text);
        d->desired_wanted = true;
        return;
    }
    json_object_clear(d->desired_docs);
    json_object_clear(d->removing); /* what was removed is gone now, or is retried */
    d->desired_known = true;
    for (size_t i = 0; i < snap->n[ZK_STORE_APP]; i++) {
        const zk_store_doc *doc = &snap->docs[ZK_STORE_APP][i];
        json_object_set_new(d->desired_docs, doc->name,
                            json_pack("{s:O, s:i}", "doc", doc->json, "version", doc->version));
    }
    apply_desired(d, now_s());
    if (d->phase == ACTIVE && !d->http)
        start_http(d);
}

static void on_desired_child(void *owner, void *arg, const zk_result *r)
{
    (void)owner;
    (void)arg;
    (void)r;
}

/* The children watch answered: watch each child, then read them all. */
static void on_desired_children(void *owner, void *arg, const zk_result *r)
{
    daemon *d = owner;
    char path[DESIRED_PATH_SIZE + 260];
    sched_error err;
    (void)arg;
    for (size_t i = 0; r->rc == ZOK && i < r->n_names; i++) {
        snprintf(path, sizeof path, "%s/apps/%s", d->paths.desired, r->names[i]);
        zk_exists(d->watcher, path, true, on_desired_child, NULL);
    }
    if (zk_store_load(d->desired, on_desired_loaded, d, &err) != HDRF_OK) {
        d->desired_loading = false;
        d->desired_wanted = true;
    }
}

static void read_desired(daemon *d)
{
    char path[DESIRED_PATH_SIZE + 8];
    if (d->phase != ACTIVE || d->desired_loading || !d->desired_wanted)
        return;
    d->desired_wanted = false;
    d->desired_loading = true;
    snprintf(path, sizeof path, "%s/apps", d->paths.desired);
    /* Ensure the node exists so the children watch can be left on it. */
    zk_create_path(d->watcher, path, NULL, NULL);
    if (zk_children(d->watcher, path, true, on_desired_children, NULL) != HDRF_OK) {
        d->desired_loading = false;
        d->desired_wanted = true;
    }
}

static void on_watch_event(void *owner, const zk_event *ev)
{
    daemon *d = owner;
    size_t n = strlen(d->paths.desired);
    if ((ev->kind == ZK_EVENT_NODE && strncmp(ev->path, d->paths.desired, n) == 0) ||
        (ev->kind == ZK_EVENT_CONNECTED && ev->new_session))
        d->desired_wanted = true;
}

static void on_seeded(void *arg, int status, int version, const sched_error *err)
{
    daemon *d = arg;
    (void)version;
    if (status == HDRF_OK)
        sched_log(&d->log, SCHED_LOG_INFO, "--app_file: application added to the desired state");
    else if (status != ZK_ECONFLICT)
        sched_log(&d->log, SCHED_LOG_WARN, "--app_file: %s", err->text);
}

/* --app_file: each application not desired yet is added; a file with a
 * bad application adds none (as `submit` would refuse it). */
static void seed_app_file(daemon *d)
{
    json_t *apps, *app;
    sched_error err;
    size_t i;
    if (!d->o->app_file[0])
        return;
    if (desired_load_apps(d->o->app_file, &apps, &err) != HDRF_OK) {
        sched_log(&d->log, SCHED_LOG_ERROR, "--app_file: %s", err.text);
        return;
    }
    json_array_foreach(apps, i, app)
    {
        json_t *want = desired_make(app, false, false);
        if (want &&
            zk_store_put(d->desired, ZK_STORE_APP, json_string_value(json_object_get(app, "id")),
                         want, ZK_STORE_NEW, on_seeded, d, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_WARN, "--app_file: %s", err.text);
        json_decref(want);
    }
    json_decref(apps);
}

/* ---- the master connection --------------------------------------------------------- */

static void on_event(void *arg, const sched_event *ev);

static void on_http_state(void *arg, sched_http_state state, const sched_error *why)
{
    daemon *d = arg;
    if (why)
        sched_log(&d->log, SCHED_LOG_WARN, "master connection: %s: %s",
                  sched_http_state_name(state), why->text);
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

static void start_http(daemon *d)
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
        step_down(d, false, err.text);
    d->fw.id = NULL;
    if (d->http && d->have_master)
        sched_http_start(d->http);
}

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
        enqueue(d, &out, ev);
    } else {
        /* Offers the orchestrator could not take go back at once, whole. */
        item it = {0};
        sched_log(&d->log, SCHED_LOG_ERROR, "offers: %s", err.text);
        add_declines(d, &it, ev->offers->offers, NULL, n);
        send_calls(d, &it);
        free_item(&it);
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
    /* A container of a task group reports under its own id; the
     * orchestrator maps it to its instance (orch.h, "Task groups"). */
    if (orch_task_state_from_mesos(st->state, &state) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "task %s: unknown state %d", st->task_id->value,
                  st->state);
    else if (orch_status_update(d->orch, st->task_id->value, state,
                                st->agent_id ? st->agent_id->value : NULL, now, &out,
                                &err) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "task %s: %s", st->task_id->value, err.text);
    enqueue(d, &out, ev); /* the ACKNOWLEDGE goes after the save */
}

static void on_event(void *arg, const sched_event *ev)
{
    daemon *d = arg;
    double now = now_s();
    orch_out out = {0};
    sched_error err;
    if (!d->orch)
        return;
    switch (ev->type) {
    case MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED:
        d->subscriptions++;
        sched_log(&d->log, SCHED_LOG_INFO, "subscribed as framework %s",
                  ev->subscribed->framework_id->value);
        if (orch_subscribed(d->orch, ev->subscribed->framework_id->value, now, &out, &err) !=
            HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "subscribed: %s", err.text);
        enqueue(d, &out, ev);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS:
        if (ev->offers)
            handle_offers(d, ev, now);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE:
        if (ev->update)
            handle_update(d, ev, now);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__ERROR: {
        /* Mesos 1.11 ends the subscription after an ERROR; the scheduler
         * cannot go on as it was. Acted on outside the client's callback. */
        const char *why = ev->error && ev->error->message ? ev->error->message : "?";
        sched_log(&d->log, SCHED_LOG_ERROR, "the master reports an error: %s", why);
        d->refused = strcmp(why, "Framework has been removed") == 0 ? MASTER_REMOVED
                                                                     : MASTER_REFUSED;
        break;
    }
    case MESOS__V1__SCHEDULER__EVENT__TYPE__FAILURE:
        sched_log(&d->log, SCHED_LOG_WARN, "the master reports a failure of agent %s",
                  ev->failure && ev->failure->agent_id ? ev->failure->agent_id->value : "?");
        break;
    default:
        break;
    }
    orch_out_free(&out);
}

/* ---- leadership -------------------------------------------------------------------- */

static void on_claimed(void *arg, int status, const sched_error *err)
{
    daemon *d = arg;
    sched_error e;
    if (status != HDRF_OK) {
        step_down(d, true, err ? err->text : "claim refused");
        return;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "leading (epoch %ld)", persist_epoch(d->persist));
    d->phase = ACTIVE;
    if (zk_store_new(d->zk, d->paths.desired, &d->desired, &e) != HDRF_OK) {
        step_down(d, false, e.text);
        return;
    }
    seed_app_file(d);
    d->desired_wanted = true;
    read_desired(d);
    d->next_tick = now_s() + TICK_S;
    /* The subscription starts once the desired applications are read
     * (on_desired_loaded), so that the first offers find them. */
}

static void on_state_loaded(void *arg, int status, const json_t *state, const sched_error *err)
{
    daemon *d = arg;
    sched_error e;
    const char *id;
    json_t *app;
    if (status == HDRF_OK)
        status = state ? orch_from_json(&d->ocfg, state, now_s(), &d->orch, &e)
                       : orch_new(&d->ocfg, &d->orch, &e);
    else
        e = *err;
    if (status != HDRF_OK) {
        step_down(d, false, e.text);
        return;
    }
    /* What the orchestrator was given, so that only changes are applied. */
    json_object_foreach(json_object_get(state, "apps"), id, app)
    {
        json_t *def = definition_of(json_object_get(app, "definition"));
        json_object_set_new(d->applied, id, def);
    }
    sched_log(&d->log, SCHED_LOG_INFO, "state loaded: %zu application(s), %zu task(s)",
              orch_app_count(d->orch), orch_task_count(d->orch));
    d->phase = CLAIMING;
    if (persist_claim(d->persist, on_claimed, d, &e) != HDRF_OK)
        step_down(d, false, e.text);
}

static void on_leading(void *arg, bool leading)
{
    daemon *d = arg;
    sched_error err;
    const char *node = zk_election_node(d->election);
    if (!leading) {
        step_down(d, false, "the election moved on (session ended)");
        return;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "elected (%s); loading the state", node ? node : "?");
    d->phase = LOADING;
    if (persist_new(d->zk, d->paths.state, node ? node : d->owner, &d->persist, &err) != HDRF_OK ||
        persist_load(d->persist, on_state_loaded, d, &err) != HDRF_OK)
        step_down(d, false, err.text);
}

static int join_election(daemon *d, sched_error *err)
{
    return zk_election_new(d->zk, d->paths.leader, d->owner, strlen(d->owner), on_leading, d,
                           &d->election, err);
}

/* ---- the loop ---------------------------------------------------------------------- */

/* The master removed the framework: its id is forgotten, saved, and the
 * next subscription makes a new framework. The tasks the orchestrator knew
 * went with the old framework; reconciliation reports them unknown, and
 * they are replaced. Calls queued for the old framework are dropped. */
static void forget_framework(daemon *d, double now)
{
    json_t *state = orch_to_json(d->orch, now);
    orch *fresh = NULL;
    sched_error err = {0};
    if (state)
        json_object_set_new(state, "framework_id", json_null());
    if (!state || orch_from_json(&d->ocfg, state, now, &fresh, &err) != HDRF_OK) {
        json_decref(state);
        step_down(d, false, state ? err.text : "out of memory forgetting the framework id");
        return;
    }
    json_decref(state);
    sched_log(&d->log, SCHED_LOG_WARN, "subscribing as a new framework");
    sched_http_destroy(d->http);
    d->http = NULL;
    drop_items(d);
    orch_free(d->orch);
    d->orch = fresh;
    orch_out out = {0};
    out.dirty = true; /* the id is gone from the stored state too */
    enqueue(d, &out, NULL);
    if (d->phase == ACTIVE)
        start_http(d);
}

/* An ERROR event from the master (on_event()), acted on here. */
static void handle_refusal(daemon *d, double now)
{
    master_error e = d->refused;
    d->refused = MASTER_OK;
    if (e == MASTER_REMOVED && d->phase == ACTIVE)
        forget_framework(d, now);
    else if (e == MASTER_REFUSED)
        step_down(d, false, "the master refused the framework");
}

static void tick(daemon *d)
{
    double now = now_s();
    sched_error err;
    if (d->refused != MASTER_OK)
        handle_refusal(d, now);
    if (d->phase == ACTIVE && now >= d->next_tick) {
        orch_out out = {0};
        d->next_tick = now + TICK_S;
        if (orch_tick(d->orch, now, &out, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "tick: %s", err.text);
        enqueue(d, &out, NULL);
        apply_desired(d, now);
    }
    read_desired(d);
    if (d->phase == ACTIVE && d->o->metrics_file[0] && now >= d->next_metrics) {
        char *text = orch_metrics_text(d->orch);
        d->next_metrics = now + d->o->metrics_interval_s;
        if (text && metrics_file_write(d->o->metrics_file, text, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_WARN, "%s", err.text);
        free(text);
    }
    if (d->rejoin) {
        d->rejoin = false;
        zk_election_free(d->election);
        d->election = NULL;
        if (join_election(d, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "rejoining the election: %s", err.text);
    }
}

static void poll_once(daemon *d)
{
    zk_session *sessions[2] = {d->zk, d->masters_zk};
    unsigned n = d->masters_zk ? 2 : 1;
    int wait = 200;
    sched_error err;
    for (unsigned i = 0; i < n; i++) {
        int t = zk_session_timeout(sessions[i]);
        if (t >= 0 && t < wait)
            wait = t;
    }
    if (d->http) {
        sched_http_waitfd fds[2];
        for (unsigned i = 0; i < n; i++)
            fds[i] = (sched_http_waitfd){zk_session_fd(sessions[i]), POLLIN, 0};
        if (sched_http_poll(d->http, fds, n, wait, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "poll: %s", err.text);
        for (unsigned i = 0; i < n; i++)
            zk_session_dispatch(sessions[i]);
    } else {
        zk_session_poll(sessions, n, wait);
    }
    tick(d);
}

static void build_framework_info(daemon *d)
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

static int start(daemon *d, sched_error *err)
{
    const sched_options *o = d->o;
    int rc;
    desired_paths_make(o->zk_root, &d->paths);
    build_framework_info(d);
    snprintf(d->owner, sizeof d->owner, "%s:%d", d->hostname, (int)getpid());
    d->ocfg = (orch_config){.default_role = o->roles[0],
                            .txn_timeout_seconds = o->txn_timeout_s,
                            .decline_seconds = o->decline_s,
                            .idle_decline_seconds = o->idle_decline_s,
                            .launch_timeout_seconds = o->launch_timeout_s,
                            .reconcile_seconds = o->reconcile_interval_s,
                            .sticky_seconds = -1,
                            .default_max_down = DEFAULT_MAX_DOWN};
    if (!(d->desired_docs = json_object()) || !(d->applied = json_object()) ||
        !(d->removing = json_object()))
        return sched_error_set(err, HDRF_ENOMEM, "out of memory");
    if (o->master.kind == MASTER_SPEC_HOST) {
        d->master = o->master.addr;
        d->have_master = true;
    }
    if ((rc = zk_session_new(o->zk_servers, o->zk_session_timeout_ms, o->zk_auth, &d->zk, err)) !=
            HDRF_OK ||
        (rc = zk_user_new(d->zk, on_watch_event, d, &d->watcher, err)) != HDRF_OK)
        return rc;
    if (o->master.kind == MASTER_SPEC_ZK) {
        /* The masters' ensemble gets a session of its own only when it is
         * not the scheduler's. */
        if ((strcmp(o->master.zk_servers, o->zk_servers) != 0 ||
             strcmp(o->master.zk_auth, o->zk_auth) != 0) &&
            (rc = zk_session_new(o->master.zk_servers, o->zk_session_timeout_ms, o->master.zk_auth,
                                 &d->masters_zk, err)) != HDRF_OK)
            return rc;
        if ((rc = zk_detector_new(d->masters_zk ? d->masters_zk : d->zk, o->master.zk_path,
                                  on_master, d, &d->detector, err)) != HDRF_OK)
            return rc;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "instance %s joins the election under %s", d->owner,
              d->paths.leader);
    return join_election(d, err);
}

static void stop(daemon *d)
{
    step_down(d, false, "stopping");
    zk_election_free(d->election);
    zk_detector_free(d->detector);
    zk_user_free(d->watcher);
    if (d->zk)
        zk_session_free(d->zk);
    if (d->masters_zk)
        zk_session_free(d->masters_zk);
    free(d->items);
    json_decref(d->desired_docs);
    json_decref(d->applied);
    json_decref(d->removing);
}

int daemon_run(const sched_options *o, sched_error *err)
{
    daemon d = {.o = o, .log = {sched_log_stderr, NULL, o->log_level}};
    struct sigaction sa = {0};
    int rc;
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((rc = start(&d, err)) == HDRF_OK)
        while (!stop_requested)
            poll_once(&d);
    stop(&d);
    return rc;
}
