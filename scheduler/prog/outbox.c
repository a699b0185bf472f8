/* outbox.c: the outgoing call queue, where persist-then-send (orch.h) is
 * kept (see daemon_internal.h).
 *
 * Everything the orchestrator decides goes through here: each decision
 * becomes an item holding the Calls it implies, built at once (the
 * orchestrator's app pointers and the event's offers are valid only then);
 * at most one save runs, covering every item queued before it started;
 * when it succeeds those items' calls go out, in queue order. A save
 * refused or failed ends leadership: the queued calls are never sent.
 *
 * Owns d->items, n_items, cap_items, covered and saving. */
#include "scheduler/prog/daemon_internal.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/calls.h"
#include "scheduler/task_build.h"

/* ---- one item: the calls of one decision ------------------------------------------- */

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

/* One RECONCILE: explicit for the tasks `out` names, else implicit. */
static void add_reconcile(daemon *d, item *it, const orch_out *out)
{
    sched_task_ref *refs = calloc(out->n_reconcile ? out->n_reconcile : 1, sizeof *refs);
    sched_call *call = NULL;
    sched_error err;
    int rc;
    for (size_t i = 0; refs && i < out->n_reconcile; i++)
        refs[i] = (sched_task_ref){out->reconcile[i].task_id, out->reconcile[i].agent_id};
    rc = refs ? sched_call_reconcile(refs, out->n_reconcile, &call, &err)
              : sched_error_set(&err, HDRF_ENOMEM, "out of memory");
    add_call(d, it, call, rc, &err, out->n_reconcile ? "RECONCILE (explicit)" : "RECONCILE");
    free(refs);
}

/* The calls of `out`, in the order orch.h prescribes: ACCEPTs, DECLINEs,
 * KILLs, SUPPRESS/REVIVE, RECONCILE, and the ACKNOWLEDGE of the update
 * `ev` answers (ev: the OFFERS or UPDATE event, or NULL). */
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
        rc = sched_call_kill(out->kills[i].task_id, out->kills[i].agent_id,
                             out->kills[i].has_grace ? &out->kills[i].grace_seconds : NULL, &call,
                             &err);
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
    if (out->n_reconcile || out->reconcile_implicit)
        add_reconcile(d, it, out);
    for (size_t i = 0; i < out->n_txns; i++)
        sched_log(&d->log, SCHED_LOG_INFO, "transaction %s (%s): %s", out->txns[i].txn_id,
                  orch_txn_kind_name(out->txns[i].kind), orch_txn_status_name(out->txns[i].status));
    if (ev && ev->update && ev->update->status && ev->update->status->has_uuid) {
        rc = sched_call_acknowledge(ev->update->status, &call, &err);
        add_call(d, it, call, rc, &err, "ACKNOWLEDGE");
    }
}

/* ---- the queue and its save -------------------------------------------------------- */

static void pump(daemon *d);

static void on_saved(void *arg, int status, const sched_error *err)
{
    daemon *d = arg;
    size_t n = d->covered;
    d->saving = false;
    if (status != HDRF_OK) {
        leadership_step_down(d, true, err ? err->text : "the state could not be saved");
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
        leadership_step_down(d, false, "the election no longer names this instance");
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
        leadership_step_down(d, false, "out of memory serializing the state");
        return;
    }
    d->saving = true;
    if (persist_save(d->persist, state, on_saved, d, &err) != HDRF_OK) {
        d->saving = false;
        leadership_step_down(d, false, err.text);
    }
    json_decref(state);
}

void outbox_enqueue(daemon *d, orch_out *out, const sched_event *ev)
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
            leadership_step_down(d, false, "out of memory");
            return;
        }
        d->items = grown;
        d->cap_items = cap;
    }
    d->items[d->n_items++] = it;
    pump(d);
}

void outbox_decline_now(daemon *d, Mesos__V1__Offer *const *offers, size_t n)
{
    item it = {0};
    add_declines(d, &it, offers, NULL, n);
    send_calls(d, &it);
    free_item(&it);
}

void outbox_drop(daemon *d)
{
    for (size_t i = 0; i < d->n_items; i++)
        free_item(&d->items[i]);
    d->n_items = d->covered = 0;
}

void outbox_reset(daemon *d)
{
    outbox_drop(d);
    d->saving = false;
}

void outbox_free(daemon *d)
{
    outbox_drop(d);
    free(d->items);
    d->items = NULL;
    d->cap_items = 0;
}
