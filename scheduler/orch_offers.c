/* orch_offers.c: the orchestrator's offer round (see orch.h, "Offers").
 *
 * One round walks the applications that want offers, in submission order,
 * and lets placement.h choose among the offers of the app's role, each
 * offer shrunk by what earlier apps of the round took. Sticky replacements
 * are placed first, one by one, each only on the offer of its old agent.
 * Tasks are recorded (LAUNCHING) as they are placed, so that the returned
 * decisions and the state to persist are the same thing; a round that
 * fails half-way forgets the tasks it recorded. */
#include "scheduler/orch_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct placed {
    size_t offer;
    orch_task *task;
    const app *def;
    long ports[APP_MAX_PORTS]; /* the host ports placement picked, in the app's order */
} placed;

typedef struct round {
    const orch_offer *offers;
    size_t n_offers;
    hdrf_resources **remaining; /* per offer: what is left (placement's fit view) */
    unsigned *load;             /* per offer: live tasks on its agent, this round's too */
    placed *placed;
    size_t n_placed;
    size_t *eligible; /* scratch: offer indices of the current app's role */
    size_t n_eligible;
    placement_offer *view; /* scratch: the eligible offers as placement sees them */
} round;

static bool same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* An offer's agent, for sorting offers by agent id. */
typedef struct by_agent_key {
    const char *agent;
    size_t offer;
} by_agent_key;

static int by_agent(const void *x, const void *y)
{
    return strcmp(((const by_agent_key *)x)->agent, ((const by_agent_key *)y)->agent);
}

/* r->load: the live tasks the orchestrator knows on each offer's agent,
 * counted in one pass over the tasks with the offers sorted by agent id
 * (O(tasks x log offers), not tasks x offers). */
static int count_loads(const orch *o, round *r)
{
    by_agent_key *keys = malloc((r->n_offers ? r->n_offers : 1) * sizeof *keys);
    if (!keys)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < r->n_offers; i++) {
        const char *agent = r->offers[i].offer.agent.agent_id;
        keys[i] = (by_agent_key){agent ? agent : "", i};
    }
    qsort(keys, r->n_offers, sizeof *keys, by_agent);
    for (size_t t = 0; t < o->n_tasks; t++) {
        const char *agent = o->tasks[t]->agent.agent_id;
        size_t lo = 0, hi = r->n_offers;
        while (agent && lo < hi) { /* the first offer whose agent is not below */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(keys[mid].agent, agent) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; agent && lo < r->n_offers && strcmp(keys[lo].agent, agent) == 0; lo++)
            r->load[keys[lo].offer]++;
    }
    free(keys);
    return HDRF_OK;
}

static int round_init(const orch *o, round *r, const orch_offer *offers, size_t n)
{
    size_t slots = n ? n : 1;
    memset(r, 0, sizeof *r);
    r->offers = offers;
    r->n_offers = n;
    r->remaining = calloc(slots, sizeof *r->remaining);
    r->load = calloc(slots, sizeof *r->load);
    r->eligible = calloc(slots, sizeof *r->eligible);
    r->view = calloc(slots, sizeof *r->view);
    if (!r->remaining || !r->load || !r->eligible || !r->view)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(r->remaining[i] = hdrf_resources_copy(offers[i].offer.resources)))
            return HDRF_ENOMEM;
    return count_loads(o, r);
}

static void round_free(round *r)
{
    for (size_t i = 0; r->remaining && i < r->n_offers; i++)
        hdrf_resources_free(r->remaining[i]);
    free(r->remaining);
    free(r->load);
    free(r->placed);
    free(r->eligible);
    free(r->view);
}

/* Records a task of `a` on offer `i`. */
static int launch(orch *o, orch_app *a, round *r, size_t i, const long *ports, double now)
{
    char id[200], group[300];
    orch_task *t = calloc(1, sizeof *t);
    placed *p = realloc(r->placed, (r->n_placed + 1) * sizeof *p);
    if (p)
        r->placed = p;
    snprintf(id, sizeof id, "%s.%" PRIu64, a->def.id, o->next_task_seq);
    if (a->def.n_containers > 0)
        snprintf(group, sizeof group, "%s.%s", id, a->def.containers[0].name);
    if (!t || !p || !(t->id = strdup(id)) || !(t->app_id = strdup(a->def.id)) ||
        (a->def.n_containers > 0 && !(t->group_task = strdup(group))) ||
        orch_task_set_agent(t, &r->offers[i].offer.agent) != HDRF_OK ||
        orch_task_insert(o, a, t) != HDRF_OK) {
        orch_task_destroy(t);
        return HDRF_ENOMEM;
    }
    t->seq = o->next_task_seq++;
    t->version = a->version;
    t->state = ORCH_TASK_LAUNCHING;
    t->launched_at = now;
    r->placed[r->n_placed] = (placed){i, t, &a->def, {0}};
    memcpy(r->placed[r->n_placed++].ports, ports, a->def.n_ports * sizeof *ports);
    r->load[i]++;
    o->metrics.launches++;
    return HDRF_OK;
}

/* The agents of the app's live tasks that are staying (not being killed). */
static int running_agents(const orch_app *a, placement_agent **out, size_t *n)
{
    *n = 0;
    if (!(*out = malloc((a->n_tasks ? a->n_tasks : 1) * sizeof **out)))
        return HDRF_ENOMEM;
    for (size_t i = 0; i < a->n_tasks; i++)
        if (!a->tasks[i]->killing)
            (*out)[(*n)++] = a->tasks[i]->agent;
    return HDRF_OK;
}

/* Places up to `count` instances over the offers r->eligible[0 .. n)
 * through placement_place(), and launches what it placed. */
static int place_over(orch *o, orch_app *a, round *r, const size_t *which, size_t n, size_t count,
                      double now, size_t *placed_out)
{
    placement_agent *running;
    size_t n_running;
    placement_plan plan;
    int status = running_agents(a, &running, &n_running);
    *placed_out = 0;
    for (size_t j = 0; j < n; j++) {
        r->view[j] = r->offers[which[j]].offer;
        r->view[j].resources = r->remaining[which[j]];
        r->view[j].load = r->load[which[j]];
    }
    if (status == HDRF_OK)
        status = placement_place(&a->def, count, running, n_running, r->view, n, &plan, NULL);
    free(running);
    if (status != HDRF_OK)
        return status;
    for (size_t k = 0; k < plan.n_placed && status == HDRF_OK; k++)
        status = launch(o, a, r, which[plan.offer[k]], &plan.ports[k * APP_MAX_PORTS], now);
    /* The plan's leftovers are the offers' new remaining resources. */
    for (size_t j = 0; j < n; j++) {
        hdrf_resources *left = plan.remaining[j];
        plan.remaining[j] = r->remaining[which[j]];
        r->remaining[which[j]] = left;
    }
    *placed_out = plan.n_placed;
    placement_plan_free(&plan);
    return status;
}

/* The first eligible offer from `agent_id`, or n_eligible. */
static size_t offer_of_agent(const round *r, const char *agent_id)
{
    size_t j = 0;
    while (j < r->n_eligible && !same(r->offers[r->eligible[j]].offer.agent.agent_id, agent_id))
        j++;
    return j;
}

/* Sticky replacements: on their old agent's offer, or waiting for it.
 * Returns through *waiting how many still wait. */
static int place_sticky(orch *o, orch_app *a, round *r, size_t *pending, double now,
                        size_t *waiting)
{
    int status = HDRF_OK;
    *waiting = 0;
    for (size_t k = 0; k<a->n_hints && * pending> 0 && status == HDRF_OK;) {
        size_t j = offer_of_agent(r, a->hints[k].agent_id), got = 0;
        if (j == r->n_eligible) {
            (*waiting)++;
            k++;
            continue;
        }
        /* The agent offers: it takes the replacement if it still fits;
         * either way the wait is over. */
        status = place_over(o, a, r, &r->eligible[j], 1, 1, now, &got);
        *pending -= got;
        orch_hint_remove(a, k);
    }
    return status;
}

static bool role_accepts(const orch *o, const orch_app *a, const orch_offer *offer)
{
    return !offer->role || strcmp(offer->role, orch_app_role(o, a)) == 0;
}

static int place_app(orch *o, orch_app *a, round *r, double now)
{
    size_t pending = orch_app_pending(o, a), waiting = 0, got;
    int status = HDRF_OK;
    r->n_eligible = 0;
    for (size_t i = 0; i < r->n_offers; i++)
        if (role_accepts(o, a, &r->offers[i]))
            r->eligible[r->n_eligible++] = i;
    if (r->n_eligible == 0)
        return HDRF_OK;
    if (!a->def.gang)
        status = place_sticky(o, a, r, &pending, now, &waiting);
    if (status == HDRF_OK && pending > waiting)
        status = place_over(o, a, r, r->eligible, r->n_eligible, pending - waiting, now, &got);
    return status;
}

/* Whether an app that may use this offer still waits for offers
 * (wanting[i]: whether app i does). */
static bool offer_wanted(const orch *o, const bool *wanting, const orch_offer *offer)
{
    for (size_t i = 0; i < o->n_apps; i++)
        if (wanting[i] && role_accepts(o, o->apps[i], offer))
            return true;
    return false;
}

/* out->launches from the round's, grouped by offer in offer order (a
 * counting sort: first[i] is where offer i's launches start). */
static int group_launches(const round *r, size_t *first, orch_out *out)
{
    size_t n = r->n_placed, *next = calloc(r->n_offers + 1, sizeof *next);
    if (!next || !(out->launches = calloc(n ? n : 1, sizeof *out->launches))) {
        free(next);
        return HDRF_ENOMEM;
    }
    for (size_t k = 0; k < n; k++)
        first[r->placed[k].offer + 1]++;
    for (size_t i = 0; i < r->n_offers; i++)
        next[i] = first[i + 1] += first[i];
    for (size_t i = r->n_offers; i > 0; i--)
        next[i] = next[i - 1];
    next[0] = 0;
    for (size_t k = 0; k < n; k++) {
        orch_launch *l = &out->launches[next[r->placed[k].offer]++];
        l->app = r->placed[k].def;
        l->version = r->placed[k].task->version;
        memcpy(l->ports, r->placed[k].ports, sizeof l->ports);
        out->n_launches++;
        if (!(l->task_id = strdup(r->placed[k].task->id))) {
            free(next);
            return HDRF_ENOMEM;
        }
    }
    free(next);
    return HDRF_OK;
}

/* The round's launches, grouped by offer, an accept for each offer that
 * has some and a decline for every other. */
static int decide(orch *o, const round *r, double now, orch_out *out)
{
    size_t n_offers = r->n_offers, *first = calloc(n_offers + 1, sizeof *first);
    bool *wanting = calloc(o->n_apps ? o->n_apps : 1, sizeof *wanting);
    int status = HDRF_ENOMEM;
    if (first && wanting &&
        (out->accepts = calloc(n_offers ? n_offers : 1, sizeof *out->accepts)) &&
        (out->declines = calloc(n_offers ? n_offers : 1, sizeof *out->declines)))
        status = group_launches(r, first, out);
    for (size_t i = 0; status == HDRF_OK && i < o->n_apps; i++)
        wanting[i] = orch_app_wants(o, o->apps[i], now);
    for (size_t i = 0; status == HDRF_OK && i < n_offers; i++) {
        if (first[i + 1] > first[i]) {
            out->accepts[out->n_accepts++] = (orch_accept){i, first[i], first[i + 1] - first[i]};
            o->metrics.offers_used++;
        } else {
            double wait = offer_wanted(o, wanting, &r->offers[i]) ? o->cfg.decline_seconds
                                                                  : o->cfg.idle_decline_seconds;
            out->declines[out->n_declines++] = (orch_decline){i, wait};
            o->metrics.offers_declined++;
        }
    }
    free(first);
    free(wanting);
    return status;
}

/* Forgets the tasks this round recorded (a failed round). */
static void unlaunch(orch *o, const round *r)
{
    for (size_t k = 0; k < r->n_placed; k++)
        orch_task_remove(o, r->placed[k].task);
}

int orch_offers(orch *o, const orch_offer *offers, size_t n_offers, double now, orch_out *out,
                sched_error *err)
{
    round r;
    int status = round_init(o, &r, offers, n_offers);
    o->metrics.offers_received += n_offers;
    for (size_t i = 0; i < o->n_apps && status == HDRF_OK; i++)
        if (orch_app_wants(o, o->apps[i], now))
            status = place_app(o, o->apps[i], &r, now);
    out->dirty = out->dirty || r.n_placed > 0;
    if (status == HDRF_OK)
        status = decide(o, &r, now, out);
    if (status != HDRF_OK)
        unlaunch(o, &r);
    round_free(&r);
    if (status == HDRF_OK)
        status = orch_settle(o, now, out);
    return status == HDRF_OK ? HDRF_OK : sched_error_set(err, status, "offers: out of memory");
}

void orch_abandon(orch *o, orch_out *out)
{
    for (size_t k = 0; k < out->n_launches; k++) {
        orch_task *t = orch_task_get(o, out->launches[k].task_id);
        if (t)
            orch_task_remove(o, t);
        free(out->launches[k].task_id);
    }
    o->metrics.launches -= out->n_launches;
    /* The accepted offers are declined instead: nothing leaves for them.
     * (decide() sized the declines for every offer of the round.) */
    for (size_t k = 0; k < out->n_accepts; k++) {
        out->declines[out->n_declines++] =
            (orch_decline){out->accepts[k].offer, o->cfg.decline_seconds};
        o->metrics.offers_used--;
        o->metrics.offers_declined++;
    }
    free(out->launches);
    free(out->accepts);
    out->launches = NULL;
    out->accepts = NULL;
    out->n_launches = out->n_accepts = 0;
}
