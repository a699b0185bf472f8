/* orch.c: the orchestrator's state and events (see orch.h).
 *
 * Every entry point changes the state, then calls orch_settle(), the one
 * place that derives decisions from the state: kills an application's
 * excess and its old version within the update's bound, finishes the
 * transactions of converged applications, forgets deleted ones, and tells
 * the master which roles want offers. Keeping that derivation in one
 * function is what makes a restored orchestrator decide like the one that
 * saved it: decisions depend on the state, not on the path that led to it.
 * The offer round lives in orch_offers.c, serialization in orch_json.c. */
#include "scheduler/orch_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------------ */

/* Appends one zeroed element to an array that keeps no capacity (orch_out's,
 * an app's hints): every append reallocates, and these arrays are short. */
static void *append(void **items, size_t *n, size_t size)
{
    char *p = realloc(*items, (*n + 1) * size);
    if (!p)
        return NULL;
    *items = p;
    memset(p + *n * size, 0, size);
    return p + (*n)++ * size;
}

static char *dup_opt(const char *s, bool *ok)
{
    char *copy = s ? strdup(s) : NULL;
    if (s && !copy)
        *ok = false;
    return copy;
}

void orch_out_free(orch_out *out)
{
    for (size_t i = 0; i < out->n_launches; i++)
        free(out->launches[i].task_id);
    for (size_t i = 0; i < out->n_kills; i++) {
        free(out->kills[i].task_id);
        free(out->kills[i].agent_id);
    }
    for (size_t i = 0; i < out->n_suppress; i++)
        free(out->suppress[i]);
    for (size_t i = 0; i < out->n_revive; i++)
        free(out->revive[i]);
    for (size_t i = 0; i < out->n_reconcile; i++) {
        free(out->reconcile[i].task_id);
        free(out->reconcile[i].agent_id);
    }
    free(out->launches);
    free(out->accepts);
    free(out->declines);
    free(out->kills);
    free(out->suppress);
    free(out->revive);
    free(out->reconcile);
    free(out->txns);
    memset(out, 0, sizeof *out);
}

int orch_out_kill(orch_out *out, const char *task_id, const char *agent_id)
{
    bool ok = true;
    orch_kill *k = append((void **)&out->kills, &out->n_kills, sizeof *k);
    if (!k)
        return HDRF_ENOMEM;
    k->task_id = dup_opt(task_id, &ok);
    k->agent_id = dup_opt(agent_id, &ok);
    return ok ? HDRF_OK : HDRF_ENOMEM;
}

int orch_out_txn(orch_out *out, const orch_txn *t)
{
    orch_txn_event *e = append((void **)&out->txns, &out->n_txns, sizeof *e);
    if (!e)
        return HDRF_ENOMEM;
    memcpy(e->txn_id, t->id, sizeof e->txn_id);
    e->kind = t->kind;
    e->status = t->status;
    return HDRF_OK;
}

static int out_role(char ***roles, size_t *n, const char *role)
{
    char **slot = append((void **)roles, n, sizeof *slot);
    if (!slot)
        return HDRF_ENOMEM;
    return (*slot = strdup(role)) ? HDRF_OK : HDRF_ENOMEM;
}

/* ---- life -------------------------------------------------------------------- */

int orch_alloc(const orch_config *cfg, orch **out)
{
    orch *o = calloc(1, sizeof *o);
    orch_config c = cfg ? *cfg : (orch_config){0};
    if (!o || !(o->role_storage = strdup(c.default_role ? c.default_role : "*"))) {
        free(o);
        return HDRF_ENOMEM;
    }
    c.default_role = o->role_storage;
    if (c.txn_timeout_seconds <= 0)
        c.txn_timeout_seconds = 600;
    if (c.sticky_seconds <= 0)
        c.sticky_seconds = 60;
    if (c.decline_seconds <= 0)
        c.decline_seconds = 5;
    if (c.idle_decline_seconds <= 0)
        c.idle_decline_seconds = 120;
    if (c.launch_timeout_seconds <= 0)
        c.launch_timeout_seconds = 300;
    if (c.kill_retry_seconds <= 0)
        c.kill_retry_seconds = 30;
    if (c.reconcile_seconds <= 0)
        c.reconcile_seconds = 600;
    if (c.default_max_down < 0)
        c.default_max_down = 0;
    if (c.txn_history == 0)
        c.txn_history = 100;
    o->cfg = c;
    *out = o;
    return HDRF_OK;
}

int orch_new(const orch_config *cfg, orch **out, sched_error *err)
{
    *out = NULL;
    if (orch_alloc(cfg, out) != HDRF_OK)
        return sched_error_set(err, HDRF_ENOMEM, "orchestrator: out of memory");
    return HDRF_OK;
}

void orch_free(orch *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n_apps; i++)
        orch_app_destroy(o->apps[i]);
    for (size_t i = 0; i < o->n_tasks; i++)
        orch_task_destroy(o->tasks[i]);
    for (size_t i = 0; i < o->n_roles; i++)
        free(o->roles[i].name);
    free(o->apps);
    free(o->tasks);
    strmap_free(&o->by_id);
    free(o->roles);
    orch_txn_list_free(&o->txns);
    free(o->framework_id);
    free(o->role_storage);
    free(o);
}

const char *orch_framework_id(const orch *o) { return o->framework_id; }

sched_metrics *orch_metrics(orch *o) { return &o->metrics; }

char *orch_metrics_text(orch *o)
{
    memset(o->metrics.tasks, 0, sizeof o->metrics.tasks);
    memset(o->metrics.health, 0, sizeof o->metrics.health);
    o->metrics.apps = o->n_apps;
    for (size_t i = 0; i < o->n_tasks; i++)
        if (o->tasks[i]->state < ORCH_TASK_FINISHED) {
            o->metrics.tasks[o->tasks[i]->state]++;
            o->metrics.health[o->tasks[i]->health]++;
        }
    return sched_metrics_render(&o->metrics);
}

/* ---- applications ------------------------------------------------------------ */

orch_app *orch_app_get(const orch *o, const char *id)
{
    for (size_t i = 0; i < o->n_apps; i++)
        if (strcmp(o->apps[i]->def.id, id) == 0)
            return o->apps[i];
    return NULL;
}

static size_t app_index(const orch *o, const orch_app *a)
{
    size_t i = 0;
    while (i < o->n_apps && o->apps[i] != a)
        i++;
    return i;
}

const char *orch_app_role(const orch *o, const orch_app *a)
{
    return a->def.role ? a->def.role : o->cfg.default_role;
}

int orch_app_create(const json_t *json, orch_app **out, sched_error *err)
{
    orch_app *a = calloc(1, sizeof *a);
    int status;
    *out = NULL;
    if (!a)
        return sched_error_set(err, HDRF_ENOMEM, "application: out of memory");
    if ((status = app_parse(json, "", &a->def, err)) != HDRF_OK) {
        free(a);
        return status;
    }
    if (!(a->json = json_deep_copy(json))) {
        app_free(&a->def);
        free(a);
        return sched_error_set(err, HDRF_ENOMEM, "application: out of memory");
    }
    a->version = 1;
    a->desired = a->def.instances;
    *out = a;
    return HDRF_OK;
}

void orch_app_destroy(orch_app *a)
{
    if (!a)
        return;
    app_free(&a->def);
    json_decref(a->json);
    for (size_t i = 0; i < a->n_hints; i++)
        free(a->hints[i].agent_id);
    free(a->hints);
    free(a->tasks);
    free(a);
}

/* The entry of role `name`, added (told nothing yet) when new; NULL with
 * *status HDRF_ENOMEM when it cannot be. */
static orch_role *role_get(orch *o, const char *name, int *status)
{
    orch_role *r;
    for (size_t i = 0; i < o->n_roles; i++)
        if (strcmp(o->roles[i].name, name) == 0)
            return &o->roles[i];
    if (!(r = append((void **)&o->roles, &o->n_roles, sizeof *r)) || !(r->name = strdup(name))) {
        if (r)
            o->n_roles--;
        *status = HDRF_ENOMEM;
        return NULL;
    }
    r->told = ORCH_TOLD_UNKNOWN;
    return r;
}

/* Listing its role at once: a role must be told SUPPRESS when its last app
 * goes, even if that happens before anything was told about it (a
 * restored orchestrator deleting an app with no task). */
int orch_app_insert(orch *o, orch_app *a)
{
    int status = HDRF_OK;
    if (!role_get(o, orch_app_role(o, a), &status) ||
        array_reserve(&o->apps, &o->cap_apps, o->n_apps + 1, sizeof *o->apps) != HDRF_OK)
        return HDRF_ENOMEM;
    o->apps[o->n_apps++] = a;
    return HDRF_OK;
}

static void app_remove(orch *o, orch_app *a)
{
    size_t i = app_index(o, a);
    memmove(&o->apps[i], &o->apps[i + 1], (o->n_apps - i - 1) * sizeof *o->apps);
    o->n_apps--;
    orch_app_destroy(a);
}

int orch_hint_add(orch_app *a, const char *agent_id, double until)
{
    orch_hint *h = append((void **)&a->hints, &a->n_hints, sizeof *h);
    if (!h)
        return HDRF_ENOMEM;
    h->until = until;
    if (!(h->agent_id = strdup(agent_id))) {
        a->n_hints--;
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

void orch_hint_remove(orch_app *a, size_t i)
{
    free(a->hints[i].agent_id);
    memmove(&a->hints[i], &a->hints[i + 1], (a->n_hints - i - 1) * sizeof *a->hints);
    a->n_hints--;
}

/* ---- tasks ------------------------------------------------------------------- */

void orch_task_destroy(orch_task *t)
{
    if (!t)
        return;
    free(t->id);
    free(t->app_id);
    free(t->group_task);
    free((char *)t->agent.agent_id);
    free((char *)t->agent.hostname);
    for (size_t i = 0; i < t->agent.n_attrs; i++) {
        free((char *)t->agent.attrs[i].name);
        free((char *)t->agent.attrs[i].value);
    }
    free((placement_attr *)t->agent.attrs);
    free(t);
}

int orch_task_set_agent(orch_task *t, const placement_agent *agent)
{
    bool ok = true;
    placement_attr *attrs = calloc(agent->n_attrs ? agent->n_attrs : 1, sizeof *attrs);
    t->agent.agent_id = dup_opt(agent->agent_id, &ok);
    t->agent.hostname = dup_opt(agent->hostname, &ok);
    t->agent.attrs = attrs;
    if (!attrs)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < agent->n_attrs; i++) {
        attrs[i].name = dup_opt(agent->attrs[i].name, &ok);
        attrs[i].value = dup_opt(agent->attrs[i].value, &ok);
        t->agent.n_attrs++;
    }
    return ok ? HDRF_OK : HDRF_ENOMEM;
}

int orch_task_insert(orch *o, orch_app *a, orch_task *t)
{
    if (strmap_reserve(&o->by_id, 1) != HDRF_OK ||
        array_reserve(&o->tasks, &o->cap_tasks, o->n_tasks + 1, sizeof *o->tasks) != HDRF_OK ||
        array_reserve(&a->tasks, &a->cap_tasks, a->n_tasks + 1, sizeof *a->tasks) != HDRF_OK)
        return HDRF_ENOMEM;
    if (strmap_put(&o->by_id, t->id, t) != HDRF_OK)
        return HDRF_EEXIST;
    o->tasks[o->n_tasks++] = t;
    a->tasks[a->n_tasks++] = t;
    t->owner = a;
    return HDRF_OK;
}

/* Removes `t` from an array of task pointers of length *n. */
static void unlist(orch_task **tasks, size_t *n, const orch_task *t)
{
    size_t k = 0;
    while (k < *n && tasks[k] != t)
        k++;
    if (k == *n)
        return;
    memmove(&tasks[k], &tasks[k + 1], (*n - k - 1) * sizeof *tasks);
    (*n)--;
}

void orch_task_remove(orch *o, orch_task *t)
{
    strmap_remove(&o->by_id, t->id);
    unlist(t->owner->tasks, &t->owner->n_tasks, t);
    unlist(o->tasks, &o->n_tasks, t);
    orch_task_destroy(t);
}

orch_task *orch_task_get(const orch *o, const char *id) { return strmap_get(&o->by_id, id); }

const char *orch_task_mesos_id(const orch_task *t) { return t->group_task ? t->group_task : t->id; }

/* The task an update of Mesos task `id` is about: the task itself, or the
 * group instance "<instance>.<container>" belongs to; NULL if none. */
static orch_task *update_task(const orch *o, const char *id)
{
    orch_task *t = orch_task_get(o, id);
    const char *dot = strrchr(id, '.');
    char instance[256];
    if (t || !dot || (size_t)(dot - id) >= sizeof instance)
        return t;
    memcpy(instance, id, (size_t)(dot - id));
    instance[dot - id] = '\0';
    t = orch_task_get(o, instance);
    return t && t->group_task ? t : NULL;
}

int orch_task_health(orch *o, const char *task_id, bool healthy)
{
    orch_task *t = task_id ? update_task(o, task_id) : NULL;
    if (!t)
        return HDRF_ENOTFOUND;
    t->health = healthy ? 1 : 2;
    return HDRF_OK;
}

/* Tasks of the current version not being killed: what the desired count
 * is measured against. */
static size_t current_live(const orch_app *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_tasks; i++)
        n += a->tasks[i]->version == a->version && !a->tasks[i]->killing;
    return n;
}

size_t orch_app_pending(const orch *o, const orch_app *a)
{
    size_t live = current_live(a);
    (void)o;
    if (a->deleting || (long)live >= a->desired)
        return 0;
    return (size_t)a->desired - live;
}

bool orch_app_wants(const orch *o, const orch_app *a, double now)
{
    return orch_app_pending(o, a) > 0 && now >= a->held_until;
}

/* ---- settling: kills, convergence, roles ------------------------------------ */

static int kill_task(orch *o, orch_task *t, double now, orch_out *out)
{
    t->killing = true;
    t->kill_sent_at = now;
    o->metrics.kills++;
    out->dirty = true;
    int status = orch_out_kill(out, orch_task_mesos_id(t), t->agent.agent_id);
    if (status == HDRF_OK && t->owner && t->owner->def.has_kill_grace) {
        out->kills[out->n_kills - 1].has_grace = true;
        out->kills[out->n_kills - 1].grace_seconds = t->owner->def.kill_grace_seconds;
    }
    return status;
}

/* The app's next victim among live tasks not being killed that `pick`
 * accepts: first one not RUNNING, then the highest sequence number. */
static orch_task *victim(const orch_app *a, bool old_version)
{
    orch_task *best = NULL;
    for (size_t i = 0; i < a->n_tasks; i++) {
        orch_task *t = a->tasks[i];
        bool running, best_running;
        if (t->killing || (t->version != a->version) != old_version)
            continue;
        running = t->state == ORCH_TASK_RUNNING;
        best_running = best && best->state == ORCH_TASK_RUNNING;
        if (!best || (!running && best_running) || (running == best_running && t->seq > best->seq))
            best = t;
    }
    return best;
}

/* RUNNING tasks of the app, any version, not being killed. */
static size_t up(const orch_app *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_tasks; i++)
        n += !a->tasks[i]->killing && a->tasks[i]->state == ORCH_TASK_RUNNING;
    return n;
}

static int kill_excess(orch *o, orch_app *a, double now, orch_out *out)
{
    int status = HDRF_OK;
    orch_task *t;
    if (a->deleting) {
        while (status == HDRF_OK && (t = victim(a, false)))
            status = kill_task(o, t, now, out);
        while (status == HDRF_OK && (t = victim(a, true)))
            status = kill_task(o, t, now, out);
        return status;
    }
    while (status == HDRF_OK && (long)current_live(a) > a->desired)
        status = kill_task(o, victim(a, false), now, out);
    /* The rolling update: old tasks not RUNNING go at once; a RUNNING one
     * only while the kill leaves at least desired - max_down up. */
    while (status == HDRF_OK && (t = victim(a, true))) {
        if (t->state == ORCH_TASK_RUNNING && (long)up(a) - 1 < a->desired - a->max_down)
            break;
        status = kill_task(o, t, now, out);
    }
    return status;
}

static bool converged(const orch_app *a)
{
    long n = 0;
    for (size_t i = 0; i < a->n_tasks; i++) {
        const orch_task *t = a->tasks[i];
        if (a->deleting || t->killing || t->version != a->version || t->state != ORCH_TASK_RUNNING)
            return false;
        n++;
    }
    return a->deleting || n == a->desired;
}

static int finish_txn(orch *o, orch_txn *t, orch_txn_status status, double now, orch_out *out)
{
    orch_app *a = orch_app_get(o, t->app_id);
    if (a && a->pending_txns > 0)
        a->pending_txns--;
    orch_txn_finish(t, status, now);
    sched_metrics_txn_finished(&o->metrics, t->kind, status, now - t->created_at);
    out->dirty = true;
    return orch_out_txn(out, t);
}

/* Finishes the app's pending transactions of `kind` (ORCH_TXN_KINDS: all). */
static int finish_app_txns(orch *o, const char *app_id, orch_txn_kind kind, orch_txn_status status,
                           double now, orch_out *out)
{
    int rc = HDRF_OK;
    for (size_t i = 0; rc == HDRF_OK && i < o->txns.n; i++) {
        orch_txn *t = &o->txns.items[i];
        if (t->status == ORCH_TXN_PENDING && strcmp(t->app_id, app_id) == 0 &&
            (kind == ORCH_TXN_KINDS || t->kind == kind))
            rc = finish_txn(o, t, status, now, out);
    }
    return rc;
}

/* SUPPRESS or REVIVE for role `r` if what it wants changed. */
static int tell_role(orch *o, orch_role *r, double now, orch_out *out)
{
    bool wants = false;
    for (size_t k = 0; k < o->n_apps && !wants; k++)
        wants = orch_app_wants(o, o->apps[k], now) &&
                strcmp(orch_app_role(o, o->apps[k]), r->name) == 0;
    if (wants && r->told != ORCH_TOLD_REVIVE) {
        r->told = ORCH_TOLD_REVIVE;
        return out_role(&out->revive, &out->n_revive, r->name);
    }
    if (!wants && r->told != ORCH_TOLD_SUPPRESS) {
        r->told = ORCH_TOLD_SUPPRESS;
        return out_role(&out->suppress, &out->n_suppress, r->name);
    }
    return HDRF_OK;
}

static int tell_roles(orch *o, double now, orch_out *out)
{
    int status = HDRF_OK;
    for (size_t i = 0; i < o->n_apps && status == HDRF_OK; i++)
        role_get(o, orch_app_role(o, o->apps[i]), &status);
    for (size_t i = 0; i < o->n_roles && status == HDRF_OK; i++)
        status = tell_role(o, &o->roles[i], now, out);
    return status;
}

/* Kills, sticky waits and convergence of one app; *gone when a deleted
 * app was forgotten. */
static int settle_app(orch *o, orch_app *a, double now, orch_out *out, bool *gone)
{
    size_t pending;
    int status = kill_excess(o, a, now, out);
    *gone = false;
    if (status != HDRF_OK)
        return status;
    /* More sticky waits than instances to launch: the newest go. */
    for (pending = orch_app_pending(o, a); a->n_hints > pending; out->dirty = true)
        orch_hint_remove(a, a->n_hints - 1);
    if (!converged(a))
        return HDRF_OK;
    if (a->pending_txns > 0)
        status = finish_app_txns(o, a->def.id, ORCH_TXN_KINDS, ORCH_TXN_DONE, now, out);
    if (a->deleting) {
        app_remove(o, a);
        *gone = true;
    }
    return status;
}

int orch_settle(orch *o, double now, orch_out *out)
{
    int status = HDRF_OK;
    bool gone;
    for (size_t i = 0; i < o->n_apps && status == HDRF_OK; i += !gone)
        status = settle_app(o, o->apps[i], now, out, &gone); /* gone: the next moved to i */
    if (status == HDRF_OK)
        status = tell_roles(o, now, out);
    return status;
}

/* The same for an event that concerns `a` alone (a status update): the
 * other apps cannot have changed, so neither can its role's want unless
 * the app's own did (`wanted`: whether it wanted offers before). */
static int settle_one(orch *o, orch_app *a, bool wanted, double now, orch_out *out)
{
    int status = HDRF_OK;
    orch_role *r = role_get(o, orch_app_role(o, a), &status);
    bool gone;
    if (status == HDRF_OK)
        status = settle_app(o, a, now, out, &gone);
    if (status != HDRF_OK ||
        (r->told != ORCH_TOLD_UNKNOWN && !gone && orch_app_wants(o, a, now) == wanted))
        return status;
    return tell_role(o, r, now, out);
}

/* ---- operator commands -------------------------------------------------------- */

/* The deadline of a transaction of `kind`: the operator's timeout when
 * given, else the kind's, else the default. */
static double deadline(const orch *o, orch_txn_kind kind, double timeout, double now)
{
    double kind_timeout = o->cfg.kind_timeout_seconds[kind];
    return now + (timeout > 0        ? timeout
                  : kind_timeout > 0 ? kind_timeout
                                     : o->cfg.txn_timeout_seconds);
}

/* A new operator transaction on `a`, superseding the pending ones. */
static int operator_txn(orch *o, orch_app *a, orch_txn_kind kind, long max_down, double timeout,
                        double now, char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out)
{
    orch_txn *t;
    int status = HDRF_OK;
    for (size_t i = 0; i < o->txns.n && status == HDRF_OK; i++) {
        orch_txn *p = &o->txns.items[i];
        if (p->status == ORCH_TXN_PENDING && strcmp(p->app_id, a->def.id) == 0 &&
            p->kind != ORCH_TXN_RESCHEDULE)
            status = finish_txn(o, p, ORCH_TXN_SUPERSEDED, now, out);
    }
    if (status != HDRF_OK || orch_txn_add(&o->txns, kind, a->def.id, a->desired, max_down, now,
                                          deadline(o, kind, timeout, now), &t) != HDRF_OK)
        return HDRF_ENOMEM;
    a->pending_txns++;
    if (txn_id)
        memcpy(txn_id, t->id, ORCH_TXN_ID_LENGTH);
    out->dirty = true;
    return orch_settle(o, now, out);
}

static int live_app(const orch *o, const char *id, orch_app **out, sched_error *err)
{
    *out = orch_app_get(o, id);
    if (!*out)
        return sched_error_set(err, HDRF_ENOTFOUND, "%s: no such application", id);
    if ((*out)->deleting)
        return sched_error_set(err, HDRF_ENOTFOUND, "%s: being deleted", id);
    return HDRF_OK;
}

static int nomem(sched_error *err, const char *what)
{
    return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", what);
}

int orch_submit(orch *o, const json_t *app_json, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err)
{
    orch_app *a;
    int status = orch_app_create(app_json, &a, err);
    if (status != HDRF_OK)
        return status;
    if (orch_app_get(o, a->def.id)) {
        status = sched_error_set(err, HDRF_EEXIST, "%s: application exists (update it)", a->def.id);
        orch_app_destroy(a);
        return status;
    }
    a->seq = o->next_app_seq;
    if (orch_app_insert(o, a) != HDRF_OK) {
        orch_app_destroy(a);
        return nomem(err, "submit");
    }
    o->next_app_seq++;
    if (operator_txn(o, a, ORCH_TXN_LAUNCH, 0, timeout, now, txn_id, out) != HDRF_OK)
        return nomem(err, "submit");
    return HDRF_OK;
}

/* Whether two definitions differ in nothing but "instances" (false when
 * out of memory: the caller then takes the longer, safe way). */
static bool same_but_instances(const json_t *x, const json_t *y)
{
    json_t *a = json_copy((json_t *)x), *b = json_copy((json_t *)y);
    bool same = a && b;
    if (same) {
        json_object_del(a, "instances");
        json_object_del(b, "instances");
        same = json_equal(a, b);
    }
    json_decref(a);
    json_decref(b);
    return same;
}

int orch_update(orch *o, const json_t *app_json, long max_down, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err)
{
    orch_app *a, *old;
    long instances;
    int status;
    if (max_down < 0)
        return sched_error_set(err, HDRF_EINVAL, "max_down: %ld: must be >= 0", max_down);
    if ((status = orch_app_create(app_json, &a, err)) != HDRF_OK)
        return status;
    if ((status = live_app(o, a->def.id, &old, err)) != HDRF_OK) {
        orch_app_destroy(a);
        return status;
    }
    if (same_but_instances(old->json, a->json)) {
        /* Nothing to roll out: a scale, and no task restarts. */
        instances = a->def.instances;
        orch_app_destroy(a);
        return orch_scale(o, old->def.id, instances, timeout, now, txn_id, out, err);
    }
    /* The new entry takes the old one's place and bookkeeping; tasks and
     * hints refer to the app by id, so nothing else changes. An app is
     * never copied by value (app.h): its entry is swapped whole. */
    a->seq = old->seq;
    a->version = old->version + 1;
    a->max_down = max_down;
    a->failures = old->failures;
    a->held_until = old->held_until;
    a->hints = old->hints;
    a->n_hints = old->n_hints;
    a->tasks = old->tasks;
    a->n_tasks = old->n_tasks;
    a->cap_tasks = old->cap_tasks;
    a->pending_txns = old->pending_txns;
    for (size_t i = 0; i < a->n_tasks; i++)
        a->tasks[i]->owner = a;
    old->hints = NULL;
    old->n_hints = 0;
    old->tasks = NULL;
    old->n_tasks = 0;
    o->apps[app_index(o, old)] = a;
    orch_app_destroy(old);
    if (operator_txn(o, a, ORCH_TXN_UPDATE, max_down, timeout, now, txn_id, out) != HDRF_OK)
        return nomem(err, "update");
    return HDRF_OK;
}

int orch_scale(orch *o, const char *app_id, long instances, double timeout, double now,
               char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err)
{
    orch_app *a;
    int status;
    if (instances < 0 || instances > APP_MAX_INSTANCES)
        return sched_error_set(err, HDRF_EINVAL, "instances: %ld: must be 0 to %d", instances,
                               APP_MAX_INSTANCES);
    if ((status = live_app(o, app_id, &a, err)) != HDRF_OK)
        return status;
    if (json_object_set_new(a->json, "instances", json_integer(instances)) != 0)
        return nomem(err, "scale");
    a->desired = a->def.instances = instances;
    if (operator_txn(o, a, ORCH_TXN_SCALE, 0, timeout, now, txn_id, out) != HDRF_OK)
        return nomem(err, "scale");
    return HDRF_OK;
}

/* Forced delete: kill every task once, forget them and the app. */
static int forget_app(orch *o, orch_app *a, double now, orch_out *out)
{
    int status = HDRF_OK;
    while (a->n_tasks > 0 && status == HDRF_OK) {
        orch_task *t = a->tasks[0];
        if (!t->killing)
            status = kill_task(o, t, now, out);
        orch_task_remove(o, t);
    }
    if (status == HDRF_OK)
        status = finish_app_txns(o, a->def.id, ORCH_TXN_KINDS, ORCH_TXN_DONE, now, out);
    app_remove(o, a);
    return status;
}

int orch_delete(orch *o, const char *app_id, bool force, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err)
{
    orch_app *a;
    int status;
    if ((status = live_app(o, app_id, &a, err)) != HDRF_OK)
        return status;
    a->deleting = true;
    a->desired = 0;
    status = operator_txn(o, a, ORCH_TXN_DELETE, 0, timeout, now, txn_id, out);
    /* operator_txn settled: an app with no task is gone already. */
    if (status == HDRF_OK && force && (a = orch_app_get(o, app_id)))
        status = forget_app(o, a, now, out);
    if (status == HDRF_OK)
        status = orch_settle(o, now, out);
    return status == HDRF_OK ? HDRF_OK : nomem(err, "delete");
}

int orch_set_apps(orch *o, const json_t *doc, double now, orch_out *out, sched_error *err)
{
    const json_t *apps = json_object_get(doc, "apps");
    size_t i, n;
    int status = HDRF_OK;
    char path[32];
    if (!json_is_array(apps))
        return sched_error_set(err, HDRF_EINVAL, "apps: must be an array of applications");
    n = json_array_size(apps);
    /* Everything checked before anything changes. */
    for (i = 0; i < n && status == HDRF_OK; i++) {
        app parsed;
        snprintf(path, sizeof path, "apps[%zu]", i);
        if ((status = app_parse(json_array_get(apps, i), path, &parsed, err)) == HDRF_OK) {
            for (size_t k = 0; k < i && status == HDRF_OK; k++)
                if (json_equal(json_object_get(json_array_get(apps, k), "id"),
                               json_object_get(json_array_get(apps, i), "id")))
                    status = sched_error_set(err, HDRF_EINVAL, "%s.id: \"%s\": duplicate id", path,
                                             parsed.id);
            app_free(&parsed);
        }
    }
    for (i = 0; i < n && status == HDRF_OK; i++) {
        const json_t *j = json_array_get(apps, i);
        orch_app *a = orch_app_get(o, json_string_value(json_object_get(j, "id")));
        if (!a)
            status = orch_submit(o, j, 0, now, NULL, out, err);
        else if (!a->deleting && !json_equal(a->json, j))
            status = orch_update(o, j, o->cfg.default_max_down, 0, now, NULL, out, err);
    }
    return status;
}

/* ---- events from the master ---------------------------------------------------- */

int orch_subscribed(orch *o, const char *framework_id, double now, orch_out *out, sched_error *err)
{
    if (framework_id && (!o->framework_id || strcmp(o->framework_id, framework_id) != 0)) {
        char *copy = strdup(framework_id);
        if (!copy)
            return nomem(err, "subscribed");
        free(o->framework_id);
        o->framework_id = copy;
        out->dirty = true;
    }
    for (size_t i = 0; i < o->n_tasks; i++) {
        bool ok = true;
        orch_task_ref *r = append((void **)&out->reconcile, &out->n_reconcile, sizeof *r);
        if (!r)
            return nomem(err, "subscribed");
        r->task_id = dup_opt(orch_task_mesos_id(o->tasks[i]), &ok);
        r->agent_id = dup_opt(o->tasks[i]->agent.agent_id, &ok);
        if (!ok)
            return nomem(err, "subscribed");
    }
    for (size_t i = 0; i < o->n_roles; i++)
        o->roles[i].told = ORCH_TOLD_UNKNOWN;
    o->reconcile_due = now + o->cfg.reconcile_seconds;
    return orch_settle(o, now, out) == HDRF_OK ? HDRF_OK : nomem(err, "subscribed");
}

/* A live task the orchestrator did not kill ended: back off, remember
 * its agent, open a reschedule transaction. */
static int task_failed(orch *o, orch_app *a, const orch_task *t, orch_task_state state, double now)
{
    orch_txn *txn;
    double delay;
    if (t->running && now - t->running_since >= a->def.restart.reset_after_seconds)
        a->failures = 0;
    a->failures++;
    delay = app_restart_delay(&a->def.restart, a->failures);
    a->held_until = now + delay;
    if (!a->def.gang && t->agent.agent_id && state != ORCH_TASK_GONE &&
        state != ORCH_TASK_GONE_BY_OPERATOR &&
        orch_hint_add(a, t->agent.agent_id, a->held_until + o->cfg.sticky_seconds) != HDRF_OK)
        return HDRF_ENOMEM;
    if (orch_txn_add(&o->txns, ORCH_TXN_RESCHEDULE, a->def.id, a->desired, 0, now,
                     deadline(o, ORCH_TXN_RESCHEDULE, 0, now + delay), &txn) != HDRF_OK)
        return HDRF_ENOMEM;
    a->pending_txns++;
    return HDRF_OK;
}

int orch_status_update(orch *o, const char *task_id, orch_task_state state, const char *agent_id,
                       double now, orch_out *out, sched_error *err)
{
    orch_task *t = update_task(o, task_id);
    orch_app *a;
    bool wanted;
    int status = HDRF_OK;
    if ((unsigned)state >= ORCH_TASK_STATES || state == ORCH_TASK_LAUNCHING)
        return sched_error_set(err, HDRF_EINVAL, "%s: %d: not a task state of an update", task_id,
                               (int)state);
    o->metrics.task_states[state]++;
    if (!t) {
        /* Unknown: a forgotten app's task, or one we never launched. */
        if (!orch_task_state_terminal(state)) {
            o->metrics.kills++;
            status = orch_out_kill(out, task_id, agent_id);
        }
        return status == HDRF_OK ? HDRF_OK : nomem(err, "status update");
    }
    a = t->owner;
    wanted = orch_app_wants(o, a, now);
    if (orch_task_state_terminal(state)) {
        if (!t->killing && !a->deleting && t->version == a->version)
            status = task_failed(o, a, t, state, now);
        orch_task_remove(o, t);
        out->dirty = true;
    } else if (t->state != state) {
        t->state = state;
        if (state == ORCH_TASK_RUNNING && !t->running) {
            t->running = true;
            t->running_since = now;
        }
        out->dirty = true;
    }
    if (status == HDRF_OK)
        status = settle_one(o, a, wanted, now, out);
    return status == HDRF_OK ? HDRF_OK : nomem(err, "status update");
}

/* ---- time ---------------------------------------------------------------------- */

static int expire(orch *o, double now, orch_out *out)
{
    int status = HDRF_OK;
    for (size_t i = 0; i < o->txns.n && status == HDRF_OK; i++) {
        orch_txn *t = &o->txns.items[i];
        if (t->status == ORCH_TXN_PENDING && now >= t->deadline)
            status = finish_txn(o, t, ORCH_TXN_FAILED, now, out);
    }
    return status;
}

static void wake(orch *o, double now, orch_out *out)
{
    for (size_t i = 0; i < o->n_apps; i++) {
        orch_app *a = o->apps[i];
        if (a->held_until > 0 && now >= a->held_until) {
            a->held_until = 0;
            out->dirty = true;
        }
        for (size_t k = 0; k < a->n_hints;)
            if (now >= a->hints[k].until) {
                orch_hint_remove(a, k);
                out->dirty = true;
            } else {
                k++;
            }
    }
}

static bool launch_overdue(const orch *o, const orch_task *t, double now)
{
    return !t->killing && t->state != ORCH_TASK_RUNNING && t->state != ORCH_TASK_KILLING &&
           now >= t->launched_at + o->cfg.launch_timeout_seconds;
}

static int chase_tasks(orch *o, double now, orch_out *out)
{
    int status = HDRF_OK;
    for (size_t i = 0; i < o->n_tasks && status == HDRF_OK; i++) {
        orch_task *t = o->tasks[i];
        if ((t->killing && now >= t->kill_sent_at + o->cfg.kill_retry_seconds) ||
            launch_overdue(o, t, now))
            status = kill_task(o, t, now, out);
    }
    return status;
}

int orch_tick(orch *o, double now, orch_out *out, sched_error *err)
{
    int status;
    wake(o, now, out);
    if ((status = expire(o, now, out)) == HDRF_OK)
        status = chase_tasks(o, now, out);
    if (o->reconcile_due == 0)
        o->reconcile_due = now + o->cfg.reconcile_seconds;
    else if (now >= o->reconcile_due) {
        out->reconcile_implicit = true;
        o->reconcile_due = now + o->cfg.reconcile_seconds;
    }
    if (status == HDRF_OK)
        status = orch_settle(o, now, out);
    orch_txn_trim(&o->txns, o->cfg.txn_history);
    return status == HDRF_OK ? HDRF_OK : nomem(err, "tick");
}

static void earliest(double *at, double t)
{
    if (t < *at)
        *at = t;
}

double orch_next_deadline(const orch *o)
{
    double at = INFINITY;
    for (size_t i = 0; i < o->txns.n; i++)
        if (o->txns.items[i].status == ORCH_TXN_PENDING)
            earliest(&at, o->txns.items[i].deadline);
    for (size_t i = 0; i < o->n_apps; i++) {
        const orch_app *a = o->apps[i];
        if (a->held_until > 0)
            earliest(&at, a->held_until);
        for (size_t k = 0; k < a->n_hints; k++)
            earliest(&at, a->hints[k].until);
    }
    for (size_t i = 0; i < o->n_tasks; i++) {
        const orch_task *t = o->tasks[i];
        if (t->killing)
            earliest(&at, t->kill_sent_at + o->cfg.kill_retry_seconds);
        else if (t->state != ORCH_TASK_RUNNING && t->state != ORCH_TASK_KILLING)
            earliest(&at, t->launched_at + o->cfg.launch_timeout_seconds);
    }
    if (o->reconcile_due > 0)
        earliest(&at, o->reconcile_due);
    return at;
}

/* ---- reading the state ------------------------------------------------------- */

size_t orch_app_count(const orch *o) { return o->n_apps; }

static void app_info(const orch *o, const orch_app *a, orch_app_info *out)
{
    memset(out, 0, sizeof *out);
    out->def = &a->def;
    out->version = a->version;
    out->desired = a->desired;
    out->live = a->n_tasks;
    for (size_t i = 0; i < a->n_tasks; i++)
        out->running += a->tasks[i]->state == ORCH_TASK_RUNNING;
    out->pending = orch_app_pending(o, a);
    out->failures = a->failures;
    out->held_until = a->held_until;
    out->deleting = a->deleting;
}

bool orch_app_at(const orch *o, size_t i, orch_app_info *out)
{
    if (i >= o->n_apps)
        return false;
    app_info(o, o->apps[i], out);
    return true;
}

bool orch_app_find(const orch *o, const char *id, orch_app_info *out)
{
    const orch_app *a = orch_app_get(o, id);
    if (a)
        app_info(o, a, out);
    return a != NULL;
}

size_t orch_task_count(const orch *o) { return o->n_tasks; }

static void task_info(const orch_task *t, orch_task_info *out)
{
    out->id = t->id;
    out->app_id = t->app_id;
    out->agent_id = t->agent.agent_id;
    out->hostname = t->agent.hostname;
    out->state = t->state;
    out->version = t->version;
    out->killing = t->killing;
    out->launched_at = t->launched_at;
    out->running = t->running;
    out->running_since = t->running ? t->running_since : 0;
    out->healthy = t->health == 1 ? 1 : t->health == 2 ? 0 : -1;
}

bool orch_task_at(const orch *o, size_t i, orch_task_info *out)
{
    if (i >= o->n_tasks)
        return false;
    task_info(o->tasks[i], out);
    return true;
}

bool orch_task_find(const orch *o, const char *id, orch_task_info *out)
{
    const orch_task *t = orch_task_get(o, id);
    if (t)
        task_info(t, out);
    return t != NULL;
}

size_t orch_txn_count(const orch *o) { return o->txns.n; }

const orch_txn *orch_txn_at(const orch *o, size_t i)
{
    return i < o->txns.n ? &o->txns.items[i] : NULL;
}

const orch_txn *orch_txn_get(const orch *o, const char *id) { return orch_txn_find(&o->txns, id); }
