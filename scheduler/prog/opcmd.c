/* opcmd.c: submit, scale, delete, list, status, validate (see opcmd.h).
 *
 * Every command is: connect, read, maybe write at the version read, print.
 * A write that loses a race (ZK_ECONFLICT: another operator or the leader
 * changed the document) is retried from the read, a few times. submit
 * reads and checks its files before connecting, then reads every
 * application's document and decides every change before it writes one,
 * so that a refusal (a bad field, an application being deleted) writes
 * nothing; validate is that first step alone. */
#include "scheduler/prog/opcmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app.h"
#include "scheduler/zk_election.h"
#include "scheduler/zk_store.h"
#include "scheduler/prog/app_view.h"
#include "scheduler/prog/desired.h"
#include "scheduler/prog/desired_change.h"
#include "scheduler/prog/zk_wait.h"

#define WAIT_MS 15000 /* the longest one request may take */
#define RETRIES 5     /* compare-and-set attempts */

typedef struct ctx {
    zk_session *s;
    zk_store *desired, *state;
    desired_paths paths;
    FILE *out;
} ctx;

/* ---- one store call at a time ------------------------------------------------------ */

typedef struct sync_call {
    bool done;
    int status;
    sched_error err;
    json_t *doc; /* get: a new reference */
    int version;
    json_t *loaded; /* load: {"apps": {name: doc}, ...}, new */
} sync_call;

static void on_write(void *arg, int status, int version, const sched_error *err)
{
    sync_call *c = arg;
    c->status = status;
    c->version = version;
    if (err)
        c->err = *err;
    c->done = true;
}

static void on_read(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    sync_call *c = arg;
    c->status = status;
    if (doc) {
        c->doc = json_incref(doc->json);
        c->version = doc->version;
    }
    if (err)
        c->err = *err;
    c->done = true;
}

static void on_load(void *arg, int status, const zk_store_snapshot *snap, const sched_error *err)
{
    sync_call *c = arg;
    c->status = status;
    if (err)
        c->err = *err;
    if (status == HDRF_OK && !(c->loaded = app_view_loaded(snap)))
        c->status = sched_error_set(&c->err, HDRF_ENOMEM, "out of memory");
    c->done = true;
}

/* Waits for the call started with status `started`; returns its status. */
static int finish(ctx *x, sync_call *c, int started, sched_error *err)
{
    if (started != HDRF_OK)
        return started;
    if (!zk_wait_flag(x->s, &c->done, WAIT_MS))
        return sched_error_set(err, ZK_EUNAVAILABLE, "ZooKeeper did not answer within %d ms",
                               WAIT_MS);
    if (c->status != HDRF_OK && err)
        *err = c->err;
    return c->status;
}

static int get_doc(ctx *x, zk_store *st, zk_store_kind kind, const char *name, json_t **doc,
                   int *version, sched_error *err)
{
    sync_call c = {0};
    int rc = finish(x, &c, zk_store_get(st, kind, name, on_read, &c, err), err);
    *doc = c.doc;
    *version = c.version;
    return rc;
}

static int put_doc(ctx *x, zk_store *st, zk_store_kind kind, const char *name, const json_t *doc,
                   int version, sched_error *err)
{
    sync_call c = {0};
    return finish(x, &c, zk_store_put(st, kind, name, doc, version, on_write, &c, err), err);
}

static int load(ctx *x, zk_store *st, json_t **out, sched_error *err)
{
    sync_call c = {0};
    int rc = finish(x, &c, zk_store_load(st, on_load, &c, err), err);
    *out = c.loaded;
    return rc;
}

/* ---- changing one desired application ---------------------------------------------- */

static int change(ctx *x, const char *id, desired_change_fn fn, const void *arg, sched_error *err)
{
    char said[256] = "";
    int rc = HDRF_OK;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        json_t *cur = NULL, *next = NULL;
        int version = ZK_STORE_NEW;
        rc = get_doc(x, x->desired, ZK_STORE_APP, id, &cur, &version, err);
        if (rc == HDRF_ENOTFOUND) {
            version = ZK_STORE_NEW;
            rc = HDRF_OK;
        }
        if (rc == HDRF_OK && !(next = fn(id, cur, arg, said, sizeof said, err)))
            rc = err ? err->status : HDRF_EINVAL;
        if (rc == HDRF_OK && !json_equal(cur, next))
            rc = put_doc(x, x->desired, ZK_STORE_APP, id, next, version, err);
        json_decref(cur);
        json_decref(next);
        if (rc != ZK_ECONFLICT)
            break;
    }
    if (rc == HDRF_OK)
        fprintf(x->out, "%s\n", said);
    return rc;
}

/* ---- the commands ------------------------------------------------------------------ */

/* ---- submit and validate: files read before anything else ------------------------- */

int opcmd_load_files(const char *const *files, size_t n, json_t **out, sched_error *err)
{
    json_t *all = json_array();
    int rc = all ? HDRF_OK : sched_error_set(err, HDRF_ENOMEM, "out of memory");
    for (size_t f = 0; rc == HDRF_OK && f < n; f++) {
        json_t *apps = NULL;
        rc = desired_load_apps(files[f], &apps, err);
        for (size_t i = 0; rc == HDRF_OK && i < json_array_size(apps); i++) {
            const json_t *app = json_array_get(apps, i);
            const char *id = json_string_value(json_object_get(app, "id"));
            for (size_t j = 0; rc == HDRF_OK && j < json_array_size(all); j++) {
                const json_t *seen = json_array_get(all, j);
                if (strcmp(id, json_string_value(
                                   json_object_get(json_object_get(seen, "app"), "id"))) == 0)
                    rc = sched_error_set(err, HDRF_EINVAL, "%s: \"%s\": given twice (also in %s)",
                                         files[f], id,
                                         json_string_value(json_object_get(seen, "file")));
            }
            if (rc == HDRF_OK && json_array_append_new(all, json_pack("{s:s, s:O}", "file",
                                                                      files[f], "app", app)) != 0)
                rc = sched_error_set(err, HDRF_ENOMEM, "out of memory");
        }
        json_decref(apps);
    }
    if (rc != HDRF_OK) {
        json_decref(all);
        all = NULL;
    }
    *out = all;
    return rc;
}

/* validate: one line per file, its applications or why submit would
 * refuse it; refused if any file is. */
static int cmd_validate(const char *const *files, size_t n, FILE *out, sched_error *err)
{
    size_t refused = 0;
    for (size_t f = 0; f < n; f++) {
        json_t *apps = NULL;
        sched_error e;
        if (desired_load_apps(files[f], &apps, &e) != HDRF_OK) {
            fprintf(out, "%s\n", e.text);
            refused++;
            continue;
        }
        fprintf(out, "%s: valid, %zu application(s):", files[f], json_array_size(apps));
        for (size_t i = 0; i < json_array_size(apps); i++)
            fprintf(out, "%s %s", i ? "," : "",
                    json_string_value(json_object_get(json_array_get(apps, i), "id")));
        fputc('\n', out);
        json_decref(apps);
    }
    if (refused)
        return sched_error_set(err, HDRF_EINVAL, "validate: %zu of %zu file(s) refused", refused,
                               n);
    return HDRF_OK;
}

/* One application of a submit: what is stored, and what becomes of it. */
typedef struct planned {
    const json_t *app; /* borrowed from the loaded files */
    const char *id;
    json_t *next; /* the document to write; NULL when unchanged */
    int version;
    bool written;
    char said[256];
} planned;

/* Reads every application's document and decides its change; a refusal of
 * any one refuses them all, before anything is written. */
static int plan_submit(ctx *x, planned *p, size_t n, sched_error *err)
{
    int rc = HDRF_OK;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        json_t *cur = NULL, *next = NULL;
        char said[256] = "";
        json_decref(p[i].next);
        p[i].next = NULL;
        rc = get_doc(x, x->desired, ZK_STORE_APP, p[i].id, &cur, &p[i].version, err);
        if (rc == HDRF_ENOTFOUND) {
            p[i].version = ZK_STORE_NEW;
            rc = HDRF_OK;
        }
        if (rc == HDRF_OK &&
            !(next = desired_change_submit(p[i].id, cur, p[i].app, said, sizeof said, err)))
            rc = err ? err->status : HDRF_EINVAL;
        if (rc == HDRF_OK && !json_equal(cur, next))
            p[i].next = json_incref(next);
        if (rc == HDRF_OK && !p[i].written) /* a line once written stays what it said */
            memcpy(p[i].said, said, sizeof said);
        json_decref(cur);
        json_decref(next);
    }
    return rc;
}

/* Writes what the plan changes; ZK_ECONFLICT when another writer came
 * between the read and a write (the caller plans again). */
static int write_submit(ctx *x, planned *p, size_t n, sched_error *err)
{
    int rc = HDRF_OK;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        if (!p[i].next)
            continue;
        rc = put_doc(x, x->desired, ZK_STORE_APP, p[i].id, p[i].next, p[i].version, err);
        p[i].written |= rc == HDRF_OK;
    }
    return rc;
}

static int cmd_submit(ctx *x, const json_t *loaded, sched_error *err)
{
    size_t n = json_array_size(loaded);
    planned *p = calloc(n ? n : 1, sizeof *p);
    int rc = p ? HDRF_OK : sched_error_set(err, HDRF_ENOMEM, "out of memory");
    for (size_t i = 0; p && i < n; i++) {
        p[i].app = json_object_get(json_array_get(loaded, i), "app");
        p[i].id = json_string_value(json_object_get(p[i].app, "id"));
    }
    for (int attempt = 0; rc == HDRF_OK && attempt < RETRIES; attempt++) {
        rc = plan_submit(x, p, n, err);
        if (rc == HDRF_OK)
            rc = write_submit(x, p, n, err);
        if (rc != ZK_ECONFLICT)
            break;
        rc = HDRF_OK; /* raced: read again; what was written stays written */
    }
    for (size_t i = 0; rc == HDRF_OK && i < n; i++)
        fprintf(x->out, "%s\n", p[i].said);
    for (size_t i = 0; p && i < n; i++)
        json_decref(p[i].next);
    free(p);
    return rc;
}

int opcmd_scale_count(const char *id, const char *count, long *n, sched_error *err)
{
    char *end = NULL;
    errno = 0;
    *n = strtol(count, &end, 10);
    if (errno || end == count || *end || *n < 0 || *n > APP_MAX_INSTANCES)
        return sched_error_set(err, HDRF_EINVAL,
                               "scale %s %s: instances must be an integer from 0 to %d", id, count,
                               APP_MAX_INSTANCES);
    return HDRF_OK;
}

static int cmd_scale(ctx *x, const char *id, const char *count, sched_error *err)
{
    long n;
    int rc = opcmd_scale_count(id, count, &n, err);
    return rc == HDRF_OK ? change(x, id, desired_change_scale, &n, err) : rc;
}

static int cmd_delete(ctx *x, const char *id, bool force, sched_error *err)
{
    return change(x, id, desired_change_delete, &force, err);
}

/* ---- reading ----------------------------------------------------------------------- */

static int cmd_list(ctx *x, sched_error *err)
{
    json_t *desired = NULL, *state = NULL;
    const char *name;
    const json_t *doc;
    int rc = load(x, x->desired, &desired, err);
    if (rc == HDRF_OK)
        rc = load(x, x->state, &state, err);
    if (rc == HDRF_OK)
        fprintf(x->out, "%-24s %9s %7s %5s  %s\n", "ID", "INSTANCES", "RUNNING", "TASKS", "STATE");
    json_object_foreach((json_t *)(rc == HDRF_OK ? app_view_kind(desired, ZK_STORE_APP) : NULL),
                        name, doc)
    {
        desired_app d;
        app_counts c;
        if (desired_read(doc, &d, NULL) != HDRF_OK)
            continue;
        c = app_view_counts(state, d.id);
        fprintf(x->out, "%-24s %9ld %7zu %5zu  %s\n", d.id, d.instances, c.running, c.tasks,
                app_view_phase(state, &d, c));
    }
    json_decref(desired);
    json_decref(state);
    return rc;
}

/* The data of the leading member of the election, or "none". */
typedef struct leader_read {
    zk_user *u;
    bool done;
    int rc;
    char member[256];
    char data[DESIRED_PATH_SIZE + 100];
} leader_read;

static void on_leader_data(void *owner, void *arg, const zk_result *r)
{
    leader_read *l = arg;
    (void)owner;
    if (r->rc == ZOK && r->data)
        snprintf(l->data, sizeof l->data, "%.*s", r->len, r->data);
    l->rc = r->rc;
    l->done = true;
}

static void on_members(void *owner, void *arg, const zk_result *r)
{
    leader_read *l = arg;
    const char *best = NULL;
    char path[DESIRED_PATH_SIZE + 300];
    for (size_t i = 0; r->rc == ZOK && i < r->n_names; i++) {
        long long seq = zk_election_sequence(r->names[i]);
        if (seq >= 0 && (!best || seq < zk_election_sequence(best)))
            best = r->names[i];
    }
    if (!best) {
        l->rc = r->rc == ZOK ? ZNONODE : r->rc;
        l->done = true;
        return;
    }
    snprintf(l->member, sizeof l->member, "%s", best);
    snprintf(path, sizeof path, "%s/%s", l->data, best);
    l->data[0] = '\0';
    (void)owner;
    if (zk_get(l->u, path, false, on_leader_data, l) != HDRF_OK)
        l->done = true;
}

static void read_leader(ctx *x, leader_read *l)
{
    memset(l, 0, sizeof *l);
    l->rc = ZSYSTEMERROR;
    snprintf(l->data, sizeof l->data, "%s", x->paths.leader); /* on_members reads the path here */
    if (zk_user_new(x->s, NULL, NULL, &l->u, NULL) != HDRF_OK)
        return;
    if (zk_children(l->u, x->paths.leader, false, on_members, l) == HDRF_OK)
        zk_wait_flag(x->s, &l->done, WAIT_MS);
    zk_user_free(l->u);
}

static void print_overview(ctx *x, const json_t *desired, const json_t *state)
{
    leader_read l;
    const json_t *fw = json_object_get(app_view_kind(state, ZK_STORE_FRAMEWORK), "state");
    const char *fid = json_string_value(json_object_get(fw, "framework_id"));
    size_t pending = 0;
    const char *name;
    const json_t *txn;
    read_leader(x, &l);
    if (l.rc == ZOK) {
        /* "<hostname>:<pid>", then its API's URL if it serves one */
        size_t n = strcspn(l.data, " ");
        fprintf(x->out, "leader: %.*s (%s)\n", n ? (int)n : 1, n ? l.data : "?", l.member);
        if (l.data[n])
            fprintf(x->out, "leader api: %s\n", l.data + n + 1);
    } else {
        fprintf(x->out, "leader: none\n");
    }
    fprintf(x->out, "framework id: %s\n", fid ? fid : "none yet");
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TXN), name, txn) pending +=
        strcmp(app_view_str(json_object_get(txn, "status"), ""), "pending") == 0;
    fprintf(x->out, "applications: %zu desired, %zu known to the leader\n",
            json_object_size(app_view_kind(desired, ZK_STORE_APP)),
            json_object_size(app_view_kind(state, ZK_STORE_APP)));
    fprintf(x->out, "tasks: %zu\n", json_object_size(app_view_kind(state, ZK_STORE_TASK)));
    fprintf(x->out, "transactions pending: %zu\n", pending);
}

static int print_app(ctx *x, const json_t *desired, const json_t *state, const char *id,
                     sched_error *err)
{
    const json_t *doc = json_object_get(app_view_kind(desired, ZK_STORE_APP), id);
    const json_t *known = json_object_get(app_view_kind(state, ZK_STORE_APP), id);
    const char *name;
    const json_t *item;
    desired_app d = {.id = id};
    app_counts c = app_view_counts(state, id);
    if (!doc && !known)
        return sched_error_set(err, HDRF_ENOTFOUND, "%s: no such application", id);
    if (doc && desired_read(doc, &d, err) != HDRF_OK)
        return err ? err->status : HDRF_EINVAL;
    fprintf(x->out, "app: %s\n", id);
    if (doc)
        fprintf(x->out, "desired: %ld instance(s)%s\n", d.instances, d.deleted ? ", deleted" : "");
    else
        fprintf(x->out, "desired: none (deleted)\n");
    fprintf(x->out, "state: %s\n", doc ? app_view_phase(state, &d, c) : "deleting");
    if (known)
        fprintf(x->out, "version: %" JSON_INTEGER_FORMAT "\n",
                json_integer_value(json_object_get(known, "version")));
    fprintf(x->out, "tasks: %zu (%zu running)\n", c.tasks, c.running);
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TASK), name, item)
    {
        const json_t *agent = json_object_get(item, "agent");
        if (strcmp(app_view_str(json_object_get(item, "app"), ""), id) != 0)
            continue;
        fprintf(x->out, "  %s %s on %s (%s)\n", name,
                app_view_str(json_object_get(item, "state"), "?"),
                app_view_str(json_object_get(agent, "hostname"), "?"),
                app_view_str(json_object_get(agent, "id"), "?"));
    }
    fprintf(x->out, "transactions:\n");
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TXN), name, item)
    {
        if (strcmp(app_view_str(json_object_get(item, "app"), ""), id) != 0)
            continue;
        fprintf(x->out, "  %s %s %s, target %" JSON_INTEGER_FORMAT "\n", name,
                app_view_str(json_object_get(item, "kind"), "?"),
                app_view_str(json_object_get(item, "status"), "?"),
                json_integer_value(json_object_get(item, "target")));
    }
    return HDRF_OK;
}

static int cmd_status(ctx *x, const char *id, sched_error *err)
{
    json_t *desired = NULL, *state = NULL;
    int rc = load(x, x->desired, &desired, err);
    if (rc == HDRF_OK)
        rc = load(x, x->state, &state, err);
    if (rc == HDRF_OK && !id)
        print_overview(x, desired, state);
    else if (rc == HDRF_OK)
        rc = print_app(x, desired, state, id, err);
    json_decref(desired);
    json_decref(state);
    return rc;
}

int opcmd_run(const sched_options *o, FILE *out, sched_error *err)
{
    ctx x = {.out = out};
    json_t *loaded = NULL;
    int rc = HDRF_OK;
    if (o->command == SCHED_CMD_VALIDATE)
        return cmd_validate(o->args, o->n_args, out, err);
    if (o->api[0])
        return opcmd_api_run(o, out, err);
    /* A file submit refuses is said before any connection is tried. */
    if (o->command == SCHED_CMD_SUBMIT)
        rc = opcmd_load_files(o->args, o->n_args, &loaded, err);
    desired_paths_make(o->zk_root, &x.paths);
    if (rc == HDRF_OK)
        rc = zk_wait_connect(o->zk_servers, o->zk_auth, o->zk_session_timeout_ms,
                             o->zk_session_timeout_ms, &x.s, err);
    if (rc == HDRF_OK)
        rc = zk_store_new(x.s, x.paths.desired, &x.desired, err);
    if (rc == HDRF_OK)
        rc = zk_store_new(x.s, x.paths.state, &x.state, err);
    if (rc == HDRF_OK) {
        switch (o->command) {
        case SCHED_CMD_SUBMIT:
            rc = cmd_submit(&x, loaded, err);
            break;
        case SCHED_CMD_SCALE:
            rc = cmd_scale(&x, o->args[0], o->args[1], err);
            break;
        case SCHED_CMD_DELETE:
            rc = cmd_delete(&x, o->args[0], o->force, err);
            break;
        case SCHED_CMD_LIST:
            rc = cmd_list(&x, err);
            break;
        case SCHED_CMD_STATUS:
            rc = cmd_status(&x, o->n_args ? o->args[0] : NULL, err);
            break;
        default:
            rc = sched_error_set(err, HDRF_EINVAL, "not an operator command");
        }
    }
    json_decref(loaded);
    zk_store_free(x.desired);
    zk_store_free(x.state);
    if (x.s)
        zk_session_free(x.s);
    return rc;
}
