/* app_view.c: the applications as operators see them (see app_view.h). */
#include "scheduler/prog/app_view.h"

#include <string.h>

json_t *app_view_loaded(const zk_store_snapshot *snap)
{
    json_t *loaded = json_object();
    for (int k = 0; loaded && k < ZK_STORE_KINDS; k++) {
        json_t *kind = json_object();
        for (size_t i = 0; kind && i < snap->n[k]; i++)
            json_object_set(kind, snap->docs[k][i].name, snap->docs[k][i].json);
        if (!kind || json_object_set_new(loaded, zk_store_kind_name((zk_store_kind)k), kind) != 0) {
            json_decref(loaded);
            loaded = NULL;
        }
    }
    return loaded;
}

const json_t *app_view_kind(const json_t *loaded, zk_store_kind kind)
{
    return json_object_get(loaded, zk_store_kind_name(kind));
}

const char *app_view_str(const json_t *value, const char *otherwise)
{
    return json_is_string(value) ? json_string_value(value) : otherwise;
}

app_counts app_view_counts(const json_t *state, const char *app_id)
{
    app_counts c = {0, 0};
    const char *name;
    const json_t *task;
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TASK), name, task)
    {
        if (strcmp(app_view_str(json_object_get(task, "app"), ""), app_id) != 0)
            continue;
        c.tasks++;
        c.running += strcmp(app_view_str(json_object_get(task, "state"), ""), "TASK_RUNNING") == 0;
    }
    return c;
}

const char *app_view_phase(const json_t *state, const desired_app *d, app_counts c)
{
    if (d->deleted)
        return "deleting";
    if (!json_object_get(app_view_kind(state, ZK_STORE_APP), d->id))
        return "waiting for the leader";
    return c.running == (size_t)d->instances && c.tasks == (size_t)d->instances ? "running"
                                                                                : "deploying";
}

json_t *app_view_app(const json_t *state, const json_t *desired_doc)
{
    desired_app d;
    app_counts c;
    if (desired_read(desired_doc, &d, NULL) != HDRF_OK)
        return NULL;
    c = app_view_counts(state, d.id);
    return json_pack("{s:s, s:I, s:I, s:I, s:s, s:b, s:O}", "id", d.id, "instances",
                     (json_int_t)d.instances, "tasks_running", (json_int_t)c.running, "tasks_live",
                     (json_int_t)c.tasks, "state", app_view_phase(state, &d, c), "deleted",
                     d.deleted, "app", d.app);
}

json_t *app_view_tasks(const json_t *state, const char *app_id)
{
    json_t *list = json_array();
    const char *name;
    const json_t *task;
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TASK), name, task)
    {
        const char *app = app_view_str(json_object_get(task, "app"), "");
        const json_t *agent = json_object_get(task, "agent");
        if (app_id && strcmp(app, app_id) != 0)
            continue;
        if (json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", name, "app", app, "state",
                                app_view_str(json_object_get(task, "state"), "?"), "host",
                                app_view_str(json_object_get(agent, "hostname"), "?"), "agent",
                                app_view_str(json_object_get(agent, "id"), "?"))) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

json_t *app_view_txns(const json_t *state, bool pending_only)
{
    json_t *list = json_array();
    const char *name;
    const json_t *txn;
    json_object_foreach((json_t *)app_view_kind(state, ZK_STORE_TXN), name, txn)
    {
        const char *status = app_view_str(json_object_get(txn, "status"), "?");
        if (pending_only && strcmp(status, "pending") != 0)
            continue;
        if (json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", name, "app",
                                app_view_str(json_object_get(txn, "app"), "?"), "kind",
                                app_view_str(json_object_get(txn, "kind"), "?"), "status", status,
                                "target", json_integer_value(json_object_get(txn, "target")))) !=
            0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}
