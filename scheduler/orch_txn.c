/* orch_txn.c: the orchestrator's transactions (see orch_txn.h).
 *
 * A growing array in creation order: operators ask for recent ones, and
 * the history is trimmed from the front, so order is all the structure it
 * needs. */
#include "scheduler/orch_txn.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/jpath.h"

static const char *const kind_names[ORCH_TXN_KINDS] = {"launch", "scale", "update", "delete",
                                                       "reschedule"};
static const char *const status_names[ORCH_TXN_STATUSES] = {"pending", "done", "failed",
                                                            "superseded"};

const char *orch_txn_kind_name(orch_txn_kind kind)
{
    return (unsigned)kind < ORCH_TXN_KINDS ? kind_names[kind] : "?";
}

const char *orch_txn_status_name(orch_txn_status status)
{
    return (unsigned)status < ORCH_TXN_STATUSES ? status_names[status] : "?";
}

static int grow(orch_txn_list *l)
{
    return array_reserve(&l->items, &l->cap, l->n + 1, sizeof *l->items);
}

/* Appends a transaction with the given id; its app id copied. */
static int append(orch_txn_list *l, const char *id, orch_txn_kind kind, const char *app_id,
                  orch_txn **out)
{
    orch_txn *t;
    char *copy;
    if (grow(l) != HDRF_OK || !(copy = strdup(app_id)))
        return HDRF_ENOMEM;
    t = &l->items[l->n++];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", id);
    t->app_id = copy;
    t->kind = kind;
    *out = t;
    return HDRF_OK;
}

int orch_txn_add(orch_txn_list *l, orch_txn_kind kind, const char *app_id, long target,
                 long max_down, double now, double deadline, orch_txn **out)
{
    char id[ORCH_TXN_ID_LENGTH];
    orch_txn *t;
    snprintf(id, sizeof id, "txn-%06" PRIu64, l->next_seq);
    if (append(l, id, kind, app_id, &t) != HDRF_OK)
        return HDRF_ENOMEM;
    l->next_seq++;
    t->status = ORCH_TXN_PENDING;
    t->target = target;
    t->max_down = max_down;
    t->created_at = now;
    t->deadline = deadline;
    *out = t;
    return HDRF_OK;
}

void orch_txn_finish(orch_txn *t, orch_txn_status status, double now)
{
    t->status = status;
    t->finished_at = now;
}

orch_txn *orch_txn_find(const orch_txn_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

void orch_txn_trim(orch_txn_list *l, size_t keep)
{
    size_t finished = 0, kept = 0;
    for (size_t i = 0; i < l->n; i++)
        finished += l->items[i].status != ORCH_TXN_PENDING;
    /* Walk in order, dropping finished ones while more than `keep` remain. */
    for (size_t i = 0; i < l->n; i++) {
        orch_txn *t = &l->items[i];
        if (t->status != ORCH_TXN_PENDING && finished > keep) {
            free(t->app_id);
            finished--;
            continue;
        }
        l->items[kept++] = *t;
    }
    l->n = kept;
}

void orch_txn_list_free(orch_txn_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].app_id);
    free(l->items);
    memset(l, 0, sizeof *l);
}

json_t *orch_txn_to_json(const orch_txn *t, double now)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:f, s:f}", "app", t->app_id, "kind",
                          orch_txn_kind_name(t->kind), "status", orch_txn_status_name(t->status),
                          "target", (json_int_t)t->target, "max_down", (json_int_t)t->max_down,
                          "age", now - t->created_at, "deadline_in", t->deadline - now);
    if (j && t->status != ORCH_TXN_PENDING &&
        json_object_set_new(j, "finished_ago", json_real(now - t->finished_at)) != 0) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static int name_index(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int orch_txn_from_json(orch_txn_list *l, const char *id, const json_t *json, double now,
                       sched_error *err)
{
    static const char *const keys[] = {"app", "kind",        "status",       "target", "max_down",
                                       "age", "deadline_in", "finished_ago", NULL};
    const char *app_id, *kind, *status;
    json_int_t target, max_down;
    double age, deadline_in, finished_ago = 0;
    json_error_t e;
    jread r;
    int k, s, rc;
    orch_txn *t;
    jr_init(&r, err, "txns");
    jpath_field(&r.path, id);
    if (!json_is_object(json))
        return jr_fail(&r, NULL, "must be an object");
    if ((rc = jr_keys(&r, json, keys, JR_UNKNOWN_FIELD)) != HDRF_OK)
        return rc;
    if (json_unpack_ex((json_t *)json, &e, JSON_STRICT, "{s:s, s:s, s:s, s:I, s:I, s:F, s:F, s?F}",
                       "app", &app_id, "kind", &kind, "status", &status, "target", &target,
                       "max_down", &max_down, "age", &age, "deadline_in", &deadline_in,
                       "finished_ago", &finished_ago) != 0)
        return sched_error_set(err, HDRF_EINVAL, "txns.%s: %s", id, e.text);
    if ((k = name_index(kind, kind_names, ORCH_TXN_KINDS)) < 0)
        return sched_error_set(err, HDRF_EINVAL, "txns.%s.kind: \"%s\": unknown kind", id, kind);
    if ((s = name_index(status, status_names, ORCH_TXN_STATUSES)) < 0)
        return sched_error_set(err, HDRF_EINVAL, "txns.%s.status: \"%s\": unknown status", id,
                               status);
    if (s != ORCH_TXN_PENDING && !json_object_get(json, "finished_ago"))
        return sched_error_set(err, HDRF_EINVAL,
                               "txns.%s.finished_ago: missing: required once the status is %s", id,
                               status);
    if (strlen(id) >= ORCH_TXN_ID_LENGTH)
        return sched_error_set(err, HDRF_EINVAL, "txns.%s: id too long", id);
    if (append(l, id, (orch_txn_kind)k, app_id, &t) != HDRF_OK)
        return sched_error_set(err, HDRF_ENOMEM, "txns.%s: out of memory", id);
    t->status = (orch_txn_status)s;
    t->target = (long)target;
    t->max_down = (long)max_down;
    t->created_at = now - age;
    t->deadline = now + deadline_in;
    t->finished_at = t->status == ORCH_TXN_PENDING ? 0 : now - finished_ago;
    return HDRF_OK;
}
