/* orch_json.c: the orchestrator's state as one JSON document and back
 * (see orch.h, "Serialization").
 *
 * Times leave as ages relative to the `now` of saving and come back
 * rebased on the `now` of loading, so that two instances with different
 * monotonic clocks agree. Reading is strict, like every JSON reader of the
 * scheduler: unknown members, wrong types and dangling references (a task
 * of an unknown app) are errors naming the member. Tasks and apps are put
 * back in their sequence order whatever order the document lists them in
 * (ZooKeeper lists names sorted, and "web.10" sorts before "web.9"). */
#include "scheduler/orch_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jpath.h"

#define FORMAT 1

/* ---- writing ---------------------------------------------------------------------- */

/* Sets obj[key] = value (stolen); false when either is NULL or out of memory. */
static bool put(json_t *obj, const char *key, json_t *value)
{
    return obj && value && json_object_set_new(obj, key, value) == 0;
}

static json_t *app_to_json(const orch_app *a, double now)
{
    json_t *j = json_object(), *hints = json_array();
    bool ok = put(j, "definition", json_deep_copy(a->json)) &&
              put(j, "seq", json_integer((json_int_t)a->seq)) &&
              put(j, "version", json_integer(a->version)) &&
              put(j, "max_down", json_integer(a->max_down)) &&
              put(j, "failures", json_integer(a->failures)) &&
              put(j, "deleting", json_boolean(a->deleting)) &&
              (a->held_until <= 0 || put(j, "held_for", json_real(a->held_until - now)));
    for (size_t i = 0; ok && i < a->n_hints; i++)
        ok = json_array_append_new(hints, json_pack("{s:s, s:f}", "agent", a->hints[i].agent_id,
                                                    "wait", a->hints[i].until - now)) == 0;
    if (!ok || !put(j, "hints", hints)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *agent_to_json(const placement_agent *agent)
{
    json_t *j = json_object(), *attrs = json_object();
    bool ok = put(j, "id", agent->agent_id ? json_string(agent->agent_id) : json_null()) &&
              put(j, "hostname", agent->hostname ? json_string(agent->hostname) : json_null());
    for (size_t i = 0; ok && i < agent->n_attrs; i++)
        ok = put(attrs, agent->attrs[i].name, json_string(agent->attrs[i].value));
    if (!ok || !put(j, "attributes", attrs)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *task_to_json(const orch_task *t, double now)
{
    json_t *j = json_object();
    bool ok =
        put(j, "app", json_string(t->app_id)) && put(j, "seq", json_integer((json_int_t)t->seq)) &&
        put(j, "version", json_integer(t->version)) && put(j, "agent", agent_to_json(&t->agent)) &&
        put(j, "state", json_string(orch_task_state_name(t->state))) &&
        (!t->group_task || put(j, "group_task", json_string(t->group_task))) &&
        put(j, "launched_ago", json_real(now - t->launched_at)) &&
        (!t->running || put(j, "running_for", json_real(now - t->running_since))) &&
        (!t->killing || put(j, "kill_sent_ago", json_real(now - t->kill_sent_at)));
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *orch_to_json(const orch *o, double now)
{
    json_t *doc = json_object(), *apps = json_object(), *tasks = json_object(),
           *txns = json_object();
    bool ok =
        put(doc, "format", json_integer(FORMAT)) &&
        put(doc, "framework_id", o->framework_id ? json_string(o->framework_id) : json_null()) &&
        put(doc, "seq",
            json_pack("{s:I, s:I, s:I}", "app", (json_int_t)o->next_app_seq, "task",
                      (json_int_t)o->next_task_seq, "txn", (json_int_t)o->txns.next_seq));
    for (size_t i = 0; ok && i < o->n_apps; i++)
        ok = put(apps, o->apps[i]->def.id, app_to_json(o->apps[i], now));
    for (size_t i = 0; ok && i < o->n_tasks; i++)
        ok = put(tasks, o->tasks[i]->id, task_to_json(o->tasks[i], now));
    for (size_t i = 0; ok && i < o->txns.n; i++)
        ok = put(txns, o->txns.items[i].id, orch_txn_to_json(&o->txns.items[i], now));
    ok = ok && put(doc, "apps", apps);
    apps = NULL;
    ok = ok && put(doc, "tasks", tasks);
    tasks = NULL;
    ok = ok && put(doc, "txns", txns);
    txns = NULL;
    json_decref(apps);
    json_decref(tasks);
    json_decref(txns);
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* ---- reading ---------------------------------------------------------------------- */

static int fail(sched_error *err, const char *where, const char *key, const char *what)
{
    return sched_error_set(err, HDRF_EINVAL, "%s.%s: %s", where, key, what);
}

static int check_keys(const json_t *obj, const char *const *allowed, const char *where,
                      const char *key, sched_error *err)
{
    jread r;
    jr_init(&r, err, where);
    jpath_field(&r.path, key);
    if (!json_is_object(obj))
        return jr_fail(&r, NULL, "must be an object");
    return jr_keys(&r, obj, allowed, JR_UNKNOWN_MEMBER);
}

static int read_hints(orch_app *a, const json_t *hints, double now, const char *id,
                      sched_error *err)
{
    size_t i;
    json_t *h;
    if (!json_is_array(hints))
        return fail(err, "apps", id, "hints: must be an array");
    json_array_foreach(hints, i, h)
    {
        const char *agent;
        double wait;
        json_error_t e;
        if (json_unpack_ex(h, &e, JSON_STRICT, "{s:s, s:F}", "agent", &agent, "wait", &wait) != 0)
            return sched_error_set(err, HDRF_EINVAL, "apps.%s.hints[%zu]: %s", id, i, e.text);
        if (orch_hint_add(a, agent, now + wait) != HDRF_OK)
            return sched_error_set(err, HDRF_ENOMEM, "apps.%s: out of memory", id);
    }
    return HDRF_OK;
}

static int read_app(orch *o, const char *id, const json_t *j, double now, sched_error *err)
{
    static const char *const keys[] = {"definition", "seq",      "version", "max_down", "failures",
                                       "deleting",   "held_for", "hints",   NULL};
    json_t *def = NULL, *hints = NULL;
    json_int_t seq, version, max_down, failures;
    int deleting, status;
    double held_for = 0;
    json_error_t e;
    orch_app *a;
    if ((status = check_keys(j, keys, "apps", id, err)) != HDRF_OK)
        return status;
    if (json_unpack_ex((json_t *)j, &e, 0, "{s:o, s:I, s:I, s:I, s:I, s:b, s?F, s:o}", "definition",
                       &def, "seq", &seq, "version", &version, "max_down", &max_down, "failures",
                       &failures, "deleting", &deleting, "held_for", &held_for, "hints",
                       &hints) != 0)
        return sched_error_set(err, HDRF_EINVAL, "apps.%s: %s", id, e.text);
    if ((status = orch_app_create(def, &a, err)) != HDRF_OK)
        return sched_error_wrap(err, status, "apps.%s.definition", id);
    if (strcmp(a->def.id, id) != 0 || orch_app_get(o, id)) {
        orch_app_destroy(a);
        return fail(err, "apps", id, "the definition's id differs, or is listed twice");
    }
    a->seq = (uint64_t)seq;
    a->version = (long)version;
    a->max_down = (long)max_down;
    a->failures = (unsigned)failures;
    a->deleting = deleting;
    a->desired = deleting ? 0 : a->def.instances;
    a->held_until = json_object_get(j, "held_for") ? now + held_for : 0;
    if ((status = read_hints(a, hints, now, id, err)) != HDRF_OK ||
        (status = orch_app_insert(o, a)) != HDRF_OK) {
        orch_app_destroy(a);
        return status == HDRF_ENOMEM ? sched_error_set(err, status, "apps: out of memory") : status;
    }
    return HDRF_OK;
}

static int read_agent(orch_task *t, const json_t *j, const char *id, sched_error *err)
{
    static const char *const keys[] = {"id", "hostname", "attributes", NULL};
    const json_t *attrs = json_object_get(j, "attributes");
    const char *name;
    json_t *v;
    placement_agent agent = {0};
    placement_attr *pairs;
    size_t n = 0;
    int status;
    if ((status = check_keys(j, keys, "tasks", id, err)) != HDRF_OK)
        return status;
    if (!json_is_object(attrs))
        return fail(err, "tasks", id, "agent.attributes: must be an object");
    agent.agent_id = json_string_value(json_object_get(j, "id"));
    agent.hostname = json_string_value(json_object_get(j, "hostname"));
    if (!(pairs = calloc(json_object_size(attrs) + 1, sizeof *pairs)))
        return sched_error_set(err, HDRF_ENOMEM, "tasks: out of memory");
    json_object_foreach((json_t *)attrs, name, v)
    {
        if (!json_is_string(v)) {
            free(pairs);
            return fail(err, "tasks", id, "agent.attributes: values must be strings");
        }
        pairs[n++] = (placement_attr){name, json_string_value(v)};
    }
    agent.attrs = pairs;
    agent.n_attrs = n;
    status = orch_task_set_agent(t, &agent);
    free(pairs);
    return status == HDRF_OK ? HDRF_OK : sched_error_set(err, status, "tasks: out of memory");
}

static int read_task(orch *o, const char *id, const json_t *j, double now, sched_error *err)
{
    static const char *const keys[] = {
        "app",          "seq",         "version",       "agent",      "state",
        "launched_ago", "running_for", "kill_sent_ago", "group_task", NULL};
    const char *app_id, *state, *group_task = NULL;
    json_t *agent;
    json_int_t seq, version;
    double launched_ago, running_for = 0, kill_sent_ago = 0;
    json_error_t e;
    orch_task *t;
    orch_app *owner;
    int status;
    if ((status = check_keys(j, keys, "tasks", id, err)) != HDRF_OK)
        return status;
    if (json_unpack_ex((json_t *)j, &e, 0, "{s:s, s:I, s:I, s:o, s:s, s:F, s?F, s?F, s?s}", "app",
                       &app_id, "seq", &seq, "version", &version, "agent", &agent, "state", &state,
                       "launched_ago", &launched_ago, "running_for", &running_for, "kill_sent_ago",
                       &kill_sent_ago, "group_task", &group_task) != 0)
        return sched_error_set(err, HDRF_EINVAL, "tasks.%s: %s", id, e.text);
    if (!(owner = orch_app_get(o, app_id)))
        return fail(err, "tasks", id, "app: no such application in the document");
    if (!(t = calloc(1, sizeof *t)) || !(t->id = strdup(id)) || !(t->app_id = strdup(app_id)) ||
        (group_task && !(t->group_task = strdup(group_task)))) {
        orch_task_destroy(t);
        return sched_error_set(err, HDRF_ENOMEM, "tasks: out of memory");
    }
    if (orch_task_state_parse(state, &t->state) != HDRF_OK || orch_task_state_terminal(t->state))
        status = fail(err, "tasks", id, "state: not the state of a live task");
    else
        status = read_agent(t, agent, id, err);
    t->seq = (uint64_t)seq;
    t->version = (long)version;
    t->launched_at = now - launched_ago;
    t->running = json_object_get(j, "running_for") != NULL;
    t->running_since = t->running ? now - running_for : 0;
    t->killing = json_object_get(j, "kill_sent_ago") != NULL;
    t->kill_sent_at = t->killing ? now - kill_sent_ago : 0;
    if (status == HDRF_OK && orch_task_insert(o, owner, t) != HDRF_OK)
        status = sched_error_set(err, HDRF_ENOMEM, "tasks: out of memory");
    if (status != HDRF_OK)
        orch_task_destroy(t);
    return status;
}

static int by_app_seq(const void *x, const void *y)
{
    const orch_app *a = *(orch_app *const *)x, *b = *(orch_app *const *)y;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int by_task_seq(const void *x, const void *y)
{
    const orch_task *a = *(orch_task *const *)x, *b = *(orch_task *const *)y;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Creation order: by the number after "txn-" (past 999999 the ids grow a
 * digit, and text order would put txn-1000000 first). */
static int by_txn_id(const void *x, const void *y)
{
    const char *a = ((const orch_txn *)x)->id, *b = ((const orch_txn *)y)->id;
    unsigned long long m = strtoull(a + strcspn(a, "0123456789"), NULL, 10),
                       n = strtoull(b + strcspn(b, "0123456789"), NULL, 10);
    return m != n ? (m > n) - (m < n) : strcmp(a, b);
}

static int read_members(orch *o, const json_t *doc, double now, sched_error *err)
{
    const json_t *apps = json_object_get(doc, "apps"), *tasks = json_object_get(doc, "tasks"),
                 *txns = json_object_get(doc, "txns");
    const char *key;
    json_t *v;
    int status = HDRF_OK;
    if (!json_is_object(apps) || !json_is_object(tasks) || !json_is_object(txns))
        return sched_error_set(err, HDRF_EINVAL, "apps, tasks, txns: must be objects");
    json_object_foreach((json_t *)apps, key, v) if (status == HDRF_OK) status =
        read_app(o, key, v, now, err);
    json_object_foreach((json_t *)tasks, key, v) if (status == HDRF_OK) status =
        read_task(o, key, v, now, err);
    json_object_foreach((json_t *)txns, key, v) if (status == HDRF_OK) status =
        orch_txn_from_json(&o->txns, key, v, now, err);
    if (status != HDRF_OK)
        return status;
    if (o->n_apps)
        qsort(o->apps, o->n_apps, sizeof *o->apps, by_app_seq);
    if (o->n_tasks)
        qsort(o->tasks, o->n_tasks, sizeof *o->tasks, by_task_seq);
    for (size_t i = 0; i < o->n_apps; i++)
        if (o->apps[i]->n_tasks)
            qsort(o->apps[i]->tasks, o->apps[i]->n_tasks, sizeof *o->apps[i]->tasks, by_task_seq);
    if (o->txns.n)
        qsort(o->txns.items, o->txns.n, sizeof *o->txns.items, by_txn_id);
    for (size_t i = 0; i < o->txns.n; i++) {
        orch_app *a = orch_app_get(o, o->txns.items[i].app_id);
        if (a && o->txns.items[i].status == ORCH_TXN_PENDING)
            a->pending_txns++;
    }
    return HDRF_OK;
}

int orch_from_json(const orch_config *cfg, const json_t *doc, double now, orch **out,
                   sched_error *err)
{
    static const char *const keys[] = {"format", "framework_id", "seq", "apps",
                                       "tasks",  "txns",         NULL};
    static const char *const seq_keys[] = {"app", "task", "txn", NULL};
    json_int_t format, app_seq, task_seq, txn_seq;
    json_t *framework_id = NULL;
    json_error_t e;
    jread r;
    orch *o;
    int status;
    *out = NULL;
    jr_init(&r, err, NULL);
    if (!json_is_object(doc))
        return sched_error_set(err, HDRF_EINVAL, "state: must be an object");
    if ((status = jr_keys(&r, doc, keys, JR_UNKNOWN_MEMBER)) != HDRF_OK)
        return status;
    if (json_unpack_ex((json_t *)doc, &e, 0, "{s:I, s:o, s:{s:I, s:I, s:I}}", "format", &format,
                       "framework_id", &framework_id, "seq", "app", &app_seq, "task", &task_seq,
                       "txn", &txn_seq) != 0)
        return sched_error_set(err, HDRF_EINVAL, "state: %s", e.text);
    size_t mark = jpath_field(&r.path, "seq");
    if ((status = jr_keys(&r, json_object_get(doc, "seq"), seq_keys, JR_UNKNOWN_MEMBER)) != HDRF_OK)
        return status;
    jpath_restore(&r.path, mark);
    if (format != FORMAT)
        return sched_error_set(err, HDRF_EINVAL, "format: %lld: only %d is known",
                               (long long)format, FORMAT);
    if (!json_is_null(framework_id) && !json_is_string(framework_id))
        return sched_error_set(err, HDRF_EINVAL, "framework_id: must be a string or null");
    if (orch_alloc(cfg, &o) != HDRF_OK)
        return sched_error_set(err, HDRF_ENOMEM, "state: out of memory");
    o->next_app_seq = (uint64_t)app_seq;
    o->next_task_seq = (uint64_t)task_seq;
    o->txns.next_seq = (uint64_t)txn_seq;
    status = read_members(o, doc, now, err);
    if (status == HDRF_OK && json_is_string(framework_id) &&
        !(o->framework_id = strdup(json_string_value(framework_id))))
        status = sched_error_set(err, HDRF_ENOMEM, "state: out of memory");
    if (status != HDRF_OK) {
        orch_free(o);
        return status;
    }
    *out = o;
    return HDRF_OK;
}
