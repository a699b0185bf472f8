/* desired_sync.c: the desired applications (desired.h) brought to the
 * orchestrator (see daemon_internal.h).
 *
 * While leading, <root>/desired/apps is watched (the children and each
 * child) and read again at every change. Each read, and every second, the
 * orchestrator is brought to it: a new application is submitted, a
 * changed definition updated, a changed count scaled, a deleted one
 * deleted, and its document removed once the orchestrator has forgotten
 * it (which is why it runs every second, not only at changes); an
 * application that has no document is deleted. What was last given to the
 * orchestrator (d->applied) keeps a refused definition from being retried
 * until it changes. The first read also starts the subscription, so that
 * the first offers find the applications.
 *
 * Owns d->watcher, desired, desired_docs, applied, removing,
 * desired_wanted, desired_loading and desired_known. */
#include "scheduler/prog/daemon_internal.h"

#include <string.h>

/* The application's JSON without "instances": what an update changes. */
static json_t *definition_of(const json_t *app)
{
    json_t *copy = json_deep_copy(app);
    json_object_del(copy, "instances");
    return copy;
}

/* Logs a change given to the orchestrator, and tells the event streams
 * (a "deployment": the start of a transaction, or its refusal). */
static void report(daemon *d, int rc, const char *what, const char *id, const sched_error *err)
{
    if (rc == HDRF_OK)
        sched_log(&d->log, SCHED_LOG_INFO, "%s %s", what, id);
    else
        sched_log(&d->log, SCHED_LOG_WARN, "%s %s refused: %s", what, id, err->text);
    api_event(d, "deployment",
              json_pack("{s:s, s:s, s:s}", "app", id, "action", what, "result",
                        rc == HDRF_OK ? "started" : err->text));
}

/* ---- applying ---------------------------------------------------------------------- */

static void on_desired_removed(void *arg, int status, int version, const sched_error *err)
{
    daemon *d = arg;
    (void)version;
    (void)status;
    (void)err;
    d->desired_wanted = true; /* read again what is left */
}

/* A deleted application: deleted from the orchestrator, then its document. */
static void apply_deleted(daemon *d, const char *id, const json_t *entry, const desired_app *want,
                          double now, orch_out *out)
{
    orch_app_info have;
    sched_error err;
    bool known = orch_app_find(d->orch, id, &have);
    json_object_del(d->applied, id); /* submitted again later: a new application */
    if (known && !have.deleting) {
        report(d, orch_delete(d->orch, id, want->force, 0, now, NULL, out, &err), "delete", id,
               &err);
    } else if (!known && !json_object_get(d->removing, id)) {
        json_object_set_new(d->removing, id, json_true());
        if (zk_store_delete(d->desired, ZK_STORE_APP, id,
                            (int)json_integer_value(json_object_get(entry, "version")),
                            on_desired_removed, d, &err) != HDRF_OK)
            json_object_del(d->removing, id);
    }
}

/* A wanted application: submitted, updated or scaled to match. */
static void apply_wanted(daemon *d, const char *id, const desired_app *want, double now,
                         orch_out *out)
{
    orch_app_info have;
    sched_error err;
    bool known = orch_app_find(d->orch, id, &have);
    json_t *def = definition_of(want->app);
    const json_t *seen = json_object_get(d->applied, id);
    if (!known) {
        if (!json_equal(seen, def))
            report(d, orch_submit(d->orch, want->app, 0, now, NULL, out, &err), "submit", id, &err);
    } else if (have.deleting) {
        /* submitted again while its deletion goes on: once it is gone */
    } else if (!json_equal(seen, def)) {
        report(d, orch_update(d->orch, want->app, DEFAULT_MAX_DOWN, 0, now, NULL, out, &err),
               "update", id, &err);
    } else if (have.desired != want->instances) {
        report(d, orch_scale(d->orch, id, want->instances, 0, now, NULL, out, &err), "scale", id,
               &err);
    }
    /* Recorded even when refused: a bad definition is not retried
     * every second, only when it changes. */
    if (!known || !have.deleting)
        json_object_set(d->applied, id, def);
    json_decref(def);
}

/* One desired application against the orchestrator. */
static void apply_one(daemon *d, const char *id, const json_t *entry, double now)
{
    desired_app want;
    orch_out out = {0};
    sched_error err;
    if (desired_read(json_object_get(entry, "doc"), &want, &err) != HDRF_OK)
        return;
    if (want.deleted)
        apply_deleted(d, id, entry, &want, now, &out);
    else
        apply_wanted(d, id, &want, now, &out);
    outbox_enqueue(d, &out, NULL);
}

void desired_sync_apply(daemon *d, double now)
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
        outbox_enqueue(d, &out, NULL);
    }
}

void desired_sync_record_applied(daemon *d, const json_t *state)
{
    const char *id;
    json_t *app;
    json_object_foreach(json_object_get(state, "apps"), id, app)
    {
        json_t *def = definition_of(json_object_get(app, "definition"));
        json_object_set_new(d->applied, id, def);
    }
}

/* ---- reading ----------------------------------------------------------------------- */

/* A read did not happen: the loop tries again. */
static void read_again(daemon *d)
{
    d->desired_loading = false;
    d->desired_wanted = true;
}

static void on_desired_loaded(void *arg, int status, const zk_store_snapshot *snap,
                              const sched_error *err)
{
    daemon *d = arg;
    if (status != HDRF_OK) {
        sched_log(&d->log, SCHED_LOG_WARN, "reading the desired applications: %s", err->text);
        read_again(d);
        return;
    }
    d->desired_loading = false;
    json_object_clear(d->desired_docs);
    json_object_clear(d->removing); /* what was removed is gone now, or is retried */
    d->desired_known = true;
    for (size_t i = 0; i < snap->n[ZK_STORE_APP]; i++) {
        const zk_store_doc *doc = &snap->docs[ZK_STORE_APP][i];
        json_object_set_new(d->desired_docs, doc->name,
                            json_pack("{s:O, s:i}", "doc", doc->json, "version", doc->version));
    }
    desired_sync_apply(d, now_s());
    if (d->phase == ACTIVE && !d->http)
        master_conn_open(d);
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
    if (zk_store_load(d->desired, on_desired_loaded, d, &err) != HDRF_OK)
        read_again(d);
}

void desired_sync_read(daemon *d)
{
    char path[DESIRED_PATH_SIZE + 8];
    if (d->phase != ACTIVE || d->desired_loading || !d->desired_wanted)
        return;
    d->desired_wanted = false;
    d->desired_loading = true;
    snprintf(path, sizeof path, "%s/apps", d->paths.desired);
    /* Ensure the node exists so the children watch can be left on it. */
    zk_create_path(d->watcher, path, NULL, NULL);
    if (zk_children(d->watcher, path, true, on_desired_children, NULL) != HDRF_OK)
        read_again(d);
}

static void on_watch_event(void *owner, const zk_event *ev)
{
    daemon *d = owner;
    size_t n = strlen(d->paths.desired);
    if ((ev->kind == ZK_EVENT_NODE && strncmp(ev->path, d->paths.desired, n) == 0) ||
        (ev->kind == ZK_EVENT_CONNECTED && ev->new_session))
        d->desired_wanted = true;
}

/* ---- seeding from --app_file ------------------------------------------------------- */

static void on_seeded(void *arg, int status, int version, const sched_error *err)
{
    daemon *d = arg;
    (void)version;
    if (status == HDRF_OK)
        sched_log(&d->log, SCHED_LOG_INFO, "--app_file: application added to the desired state");
    else if (status != ZK_ECONFLICT)
        sched_log(&d->log, SCHED_LOG_WARN, "--app_file: %s", err->text);
}

/* Each application of the file not desired yet is added; a file with a
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

/* ---- leading and standing by ------------------------------------------------------- */

int desired_sync_start(daemon *d, sched_error *err)
{
    int rc = zk_store_new(d->zk, d->paths.desired, &d->desired, err);
    if (rc != HDRF_OK)
        return rc;
    seed_app_file(d);
    d->desired_wanted = true;
    desired_sync_read(d);
    return HDRF_OK;
}

void desired_sync_stop(daemon *d)
{
    zk_user_cancel(d->watcher);
    zk_store_free(d->desired);
    d->desired = NULL;
    json_object_clear(d->desired_docs);
    json_object_clear(d->applied);
    json_object_clear(d->removing);
    d->desired_loading = d->desired_known = false;
}

int desired_sync_init(daemon *d, sched_error *err)
{
    if (!(d->desired_docs = json_object()) || !(d->applied = json_object()) ||
        !(d->removing = json_object()))
        return sched_error_set(err, HDRF_ENOMEM, "out of memory");
    return zk_user_new(d->zk, on_watch_event, d, &d->watcher, err);
}

void desired_sync_free(daemon *d)
{
    zk_user_free(d->watcher);
    d->watcher = NULL;
    json_decref(d->desired_docs);
    json_decref(d->applied);
    json_decref(d->removing);
    d->desired_docs = d->applied = d->removing = NULL;
}
