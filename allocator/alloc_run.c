/* alloc_run.c: one allocation run (spec §C).
 *
 * Stage 1 gives roles with quota guarantees what they are still owed; stage
 * 2 shares the rest by fair order, within quota limits, keeping back the
 * headroom that unsatisfied guarantees still need. Both walk the candidate
 * agents in a shuffled order and, on each agent, the roles and then each
 * role's frameworks in sorter order; a framework takes all it can of the
 * agent in one offer.
 *
 * One stable order per agent. Mesos sorts roles (and each role's frameworks)
 * afresh for every agent, so what is offered on one agent moves the order
 * only from the next agent on. hdrf gets the same by walking the sorters
 * lazily (no copy of the order) and applying an agent's offers to the
 * sorters only when the agent is done: the walk stops as soon as the agent
 * has nothing left, so a run costs what it offers, not agents x clients.
 * Everything else (the agent's available resources, the quota consumed in
 * this run, the headroom) changes at once, as in Mesos. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

typedef struct run {
    hdrf_allocator *a;
    int stage;
    hdrf_quantities *required;  /* headroom that unsatisfied guarantees need */
    hdrf_quantities *available; /* headroom there is */
    agent *ag;
    hdrf_quantities *unsatisfied; /* stage 1: the role's guarantees still owed */
    /* What the agent has for `cached_for` (available_for()), computed once
     * per (agent, role) and shared by the role's frameworks until the agent
     * gives something away. */
    hdrf_resources *cached;
    const role *cached_for;
    hdrf_resources *stripped; /* the candidate, when capabilities cut it */
    int rc;
} run;

/* ---- preparation --------------------------------------------------------------- */

/* What quota counts as consumed by a role's subtree: offered or allocated
 * unreserved non-revocable resources, plus every reservation, offered or
 * not (spec §B.4). */
static int prepare_consumed(hdrf_allocator *a)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->roles, &cursor, &key, &value)) {
        role *r = value;
        if (!role_has_quota(r))
            continue;
        hdrf_quantities *c = hdrf_quantities_copy(r->held_unreserved);
        if (!c || hdrf_quantities_add(c, r->reserved) != HDRF_OK) {
            hdrf_quantities_free(c);
            return HDRF_ENOMEM;
        }
        hdrf_quantities_free(r->consumed);
        r->consumed = c;
    }
    return HDRF_OK;
}

static bool has_guarantees(const role *r) { return hdrf_quantities_size(r->guarantees) > 0; }

/* Roles whose guarantees headroom must cover: those with guarantees and no
 * ancestor with guarantees (in Mesos 1.11, every quota role: all are
 * top-level). */
static bool headroom_root(const role *r)
{
    if (!has_guarantees(r))
        return false;
    for (const role *p = r->parent; p; p = p->parent)
        if (has_guarantees(p))
            return false;
    return true;
}

/* Whether some guarantee of r is not consumed yet: unsatisfied_of() not
 * empty, without its copy (every agent asks every role with guarantees,
 * and most of them, most of the time, are satisfied). */
static bool owes(const role *r)
{
    for (size_t i = 0; i < hdrf_quantities_size(r->guarantees); i++)
        if (hdrf_quantities_get(r->consumed, hdrf_quantities_name(r->guarantees, i)) <
            hdrf_quantities_value(r->guarantees, i))
            return true;
    return false;
}

static hdrf_quantities *unsatisfied_of(const role *r)
{
    hdrf_quantities *q = hdrf_quantities_copy(r->guarantees);
    if (q)
        hdrf_quantities_subtract(q, r->consumed);
    return q;
}

static int add_revocable_available(hdrf_allocator *a, hdrf_quantities *sum)
{
    for (size_t i = 0; i < a->nagents; i++) {
        agent *ag = a->agents[i];
        if (!ag->has_revocable)
            continue;
        hdrf_resources *rev = hdrf_resources_revocable(ag->available);
        hdrf_quantities *q = rev ? hdrf_quantities_of_scalars(rev) : NULL;
        int rc = q ? hdrf_quantities_add(sum, q) : HDRF_ENOMEM;
        hdrf_quantities_free(q);
        hdrf_resources_free(rev);
        if (rc != HDRF_OK)
            return rc;
    }
    return HDRF_OK;
}

/* Spec §C.1 steps 3-5. */
static int prepare_headroom(run *rn)
{
    hdrf_allocator *a = rn->a;
    rn->required = hdrf_quantities_new();
    rn->available = hdrf_quantities_copy(a->total_scalars);
    hdrf_quantities *unallocated_reservations = hdrf_quantities_copy(a->root.reserved);
    hdrf_quantities *revocable = hdrf_quantities_new();
    int rc = HDRF_ENOMEM;
    if (!rn->required || !rn->available || !unallocated_reservations || !revocable)
        goto out;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->roles, &cursor, &key, &value)) {
        role *r = value;
        if (!headroom_root(r))
            continue;
        hdrf_quantities *owed = unsatisfied_of(r);
        rc = owed ? hdrf_quantities_add(rn->required, owed) : HDRF_ENOMEM;
        hdrf_quantities_free(owed);
        if (rc != HDRF_OK)
            goto out;
    }
    if ((rc = add_revocable_available(a, revocable)) != HDRF_OK)
        goto out;
    hdrf_quantities_subtract(unallocated_reservations, a->root.held_reserved);
    hdrf_quantities_subtract(rn->available, a->sorted_scalars);
    hdrf_quantities_subtract(rn->available, unallocated_reservations);
    hdrf_quantities_subtract(rn->available, revocable);
    rc = HDRF_OK;
out:
    hdrf_quantities_free(unallocated_reservations);
    hdrf_quantities_free(revocable);
    return rc;
}

static bool whitelisted(const hdrf_allocator *a, const agent *ag)
{
    return !a->has_whitelist || strmap_get(&a->whitelist, ag->hostname);
}

static void shuffle(hdrf_allocator *a, agent **v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(alloc_random(a) % i);
        agent *t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Candidates that exist, are active and whitelisted, in addition order. */
static size_t select_agents(hdrf_allocator *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nagents; i++) {
        agent *ag = a->agents[i];
        if (ag->candidate && ag->active && whitelisted(a, ag))
            a->run_agents[n++] = ag;
    }
    return n;
}

/* ---- the reasons a framework got nothing ------------------------------------------ */

/* When a framework is passed over for several reasons across agents, the
 * one reported is the highest in this ranking: what the operator or the
 * framework can act on first. Its own refusal comes first: a framework that
 * declined an agent with a filter would have been offered it otherwise,
 * whatever quota or headroom then did with what was left. */
static int rank_of(hdrf_reason r)
{
    static const hdrf_reason ranking[] = {
        HDRF_REASON_NO_RUN_REACHED, HDRF_REASON_NOTHING_AVAILABLE, HDRF_REASON_CAPABILITY,
        HDRF_REASON_CONSTRAINT,     HDRF_REASON_MIN_ALLOCATABLE,   HDRF_REASON_HEADROOM,
        HDRF_REASON_QUOTA_LIMIT,    HDRF_REASON_FILTERED};
    for (size_t i = 0; i < sizeof ranking / sizeof *ranking; i++)
        if (ranking[i] == r)
            return (int)i;
    return -1;
}

static void note(fw_role *fr, hdrf_reason reason)
{
    if (!fr->has_reason || rank_of(reason) > rank_of(fr->reason)) {
        fr->reason = reason;
        fr->has_reason = true;
    }
}

/* ---- one framework on one agent ------------------------------------------------------ */

static bool excluded(const framework *fw, const char *role_name, const agent *ag)
{
    if (!fw->constraints)
        return false;
    hdrf_agent_facts facts;
    agent_facts(ag, &facts);
    return hdrf_constraints_excludes(fw->constraints, role_name, &facts);
}

/* Mesos's isFiltered() beyond offer filters: agents too old for what the
 * framework or role needs (MESOS-6940, hierarchical roles). */
static bool agent_lacks_capability(const framework *fw, const char *role_name, const agent *ag)
{
    if ((fw->capabilities & HDRF_FRAMEWORK_MULTI_ROLE) &&
        !(ag->capabilities & HDRF_AGENT_MULTI_ROLE))
        return true;
    return strchr(role_name, '/') && !(ag->capabilities & HDRF_AGENT_HIERARCHICAL_ROLE);
}

/* What the agent has for the role: unreserved, or reserved to the role or an
 * ancestor, minus shared resources offered already in this run. */
static hdrf_resources *available_for(const agent *ag, const char *role_name)
{
    hdrf_resources *r = hdrf_resources_allocatable_to(ag->available, role_name);
    if (r && ag->offered_shared && hdrf_resources_subtract(r, ag->offered_shared) != HDRF_OK) {
        hdrf_resources_free(r);
        return NULL;
    }
    return r;
}

static void forget_available(run *rn)
{
    hdrf_resources_free(rn->cached);
    rn->cached = NULL;
    rn->cached_for = NULL;
}

static bool any_reserved(const hdrf_resources *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].nreservations)
            return true;
    return false;
}

/* available_for() the role of fr, borrowed from the run: valid until the
 * next commit or the next agent. Without reservations on the agent, every
 * role has the same: one copy serves them all. */
static const hdrf_resources *cached_available(run *rn, const fw_role *fr)
{
    if (rn->cached && !any_reserved(rn->ag->available))
        rn->cached_for = fr->role;
    if (rn->cached_for != fr->role) {
        forget_available(rn);
        if ((rn->cached = available_for(rn->ag, fr->name)))
            rn->cached_for = fr->role;
    }
    return rn->cached;
}

typedef struct keep_ctx {
    const char *role; /* stage 1: reserved to exactly this role; NULL: any */
} keep_ctx;

/* What goes with an offer untouched by quota: reservations (stage 1: the
 * role's own), non-scalars and revocable resources. */
static bool goes_whole(const hdrf_resource *r, void *arg)
{
    const keep_ctx *k = arg;
    if (r->type != HDRF_SCALAR || r->revocable)
        return true;
    if (!r->nreservations)
        return false;
    return !k->role || strcmp(r->reservations[r->nreservations - 1].role, k->role) == 0;
}

static int add_quantities_of(hdrf_quantities *q, const hdrf_resources *r)
{
    hdrf_quantities *x = hdrf_quantities_of(r);
    int rc = x ? hdrf_quantities_add(q, x) : HDRF_ENOMEM;
    hdrf_quantities_free(x);
    return rc;
}

/* Whether ancestors' limits cap a role's offers (nested_quota=hdrf). */
static bool nested_limits(const run *rn)
{
    return rn->a->options.nested_quota == HDRF_NESTED_QUOTA_HDRF;
}

/* The quota of the role and of every ancestor with quota counts `inc`. */
static int consume(role *r, const hdrf_quantities *inc)
{
    for (; r; r = r->parent)
        if (role_has_quota(r) && hdrf_quantities_add(r->consumed, inc) != HDRF_OK)
            return HDRF_ENOMEM;
    return HDRF_OK;
}

/* The offer is made: the agent gives it, and the run remembers it; the
 * sorters learn of it when the agent is done. */
static int commit(run *rn, fw_role *fr, hdrf_resources *offer)
{
    hdrf_allocator *a = rn->a;
    agent *ag = rn->ag;
    int rc = hdrf_resources_allocate(offer, fr->name);
    if (rc == HDRF_OK)
        rc = array_reserve(&a->pieces, &a->pieces_cap, a->npieces + 1, sizeof *a->pieces);
    if (rc != HDRF_OK)
        return rc;
    hdrf_resources *shared = hdrf_resources_shared(offer);
    if (!shared)
        return HDRF_ENOMEM;
    if (!hdrf_resources_empty(shared)) {
        if (!ag->offered_shared && !(ag->offered_shared = hdrf_resources_new()))
            rc = HDRF_ENOMEM;
        if (rc == HDRF_OK) {
            rc = hdrf_resources_allocate(shared, NULL);
            if (rc == HDRF_OK)
                rc = hdrf_resources_add(ag->offered_shared, shared);
        }
    }
    hdrf_resources_free(shared);
    if (rc == HDRF_OK)
        rc = agent_hold(ag, fr->fw->id, offer);
    if (rc != HDRF_OK)
        return rc;
    if (fr->fw->run_seq != a->runs) {
        fr->fw->run_seq = a->runs;
        fr->fw->run_order = a->npieces;
    }
    a->pieces[a->npieces++] = (offer_piece){fr->fw, fr, ag, offer};
    fr->offered = true;
    forget_available(rn);
    return HDRF_OK;
}

/* The checks both stages make before shaping an offer (spec §C.4). Returns
 * the role's available resources, without what the framework cannot take,
 * borrowed from the run until the next commit; NULL with *stop when the
 * agent has nothing for the role (the walk moves to the next role), NULL
 * without when this framework is skipped. */
static const hdrf_resources *candidate(run *rn, fw_role *fr, bool *stop)
{
    framework *fw = fr->fw;
    *stop = false;
    if (excluded(fw, fr->name, rn->ag)) {
        note(fr, HDRF_REASON_CONSTRAINT);
        return NULL;
    }
    const hdrf_resources *avail = cached_available(rn, fr);
    if (!avail) {
        rn->rc = HDRF_ENOMEM;
        *stop = true;
        return NULL;
    }
    if (hdrf_resources_empty(avail)) {
        note(fr, HDRF_REASON_NOTHING_AVAILABLE);
        *stop = true;
        return NULL;
    }
    if (!offer_allocatable(avail, offer_minimum(rn->a, fr))) {
        note(fr, HDRF_REASON_MIN_ALLOCATABLE);
        return NULL;
    }
    if (!offer_capable_agent(rn->a, fw, rn->ag)) {
        note(fr, HDRF_REASON_CAPABILITY);
        return NULL;
    }
    if (offer_takes_all(avail, fw->capabilities))
        return avail;
    hdrf_resources_free(rn->stripped);
    if (!(rn->stripped = offer_takeable(avail, fw->capabilities))) {
        rn->rc = HDRF_ENOMEM;
        *stop = true;
        return NULL;
    }
    /* Mesos goes on and fails allocatable(toOffer) later; toOffer is part
     * of what is left here, so skipping now offers the same, and names
     * the reason: what the framework cannot take is all there was. */
    if (!offer_allocatable(rn->stripped, offer_minimum(rn->a, fr))) {
        note(fr, HDRF_REASON_CAPABILITY);
        return NULL;
    }
    return rn->stripped;
}

/* The offer goes out: quota counts `inc` (NULL: unbounded(), nothing to
 * count), the headroom shrinks, the agent gives it. */
static int grant(run *rn, fw_role *fr, hdrf_resources *offer, const hdrf_quantities *inc)
{
    int rc = HDRF_OK;
    if (inc) {
        rc = consume(fr->role, inc);
        hdrf_quantities_subtract(rn->available, inc);
    }
    return rc == HDRF_OK ? commit(rn, fr, offer) : rc;
}

/* Stage 2 without quota in play: no limit on the role or above it and no
 * headroom to keep, so the offer is all the role may take, and no quota
 * counts it (spec §C.3 with every cut a no-op). */
static bool unbounded(const run *rn, const role *r)
{
    if (hdrf_quantities_size(rn->required))
        return false;
    for (; r; r = r->parent)
        if (role_has_quota(r))
            return false;
    return true;
}

/* The last checks: worth offering, and not filtered. */
static bool acceptable(run *rn, fw_role *fr, const hdrf_resources *offer, hdrf_reason cut_by,
                       bool was_cut)
{
    if (!offer_allocatable(offer, offer_minimum(rn->a, fr))) {
        note(fr, was_cut ? cut_by : HDRF_REASON_MIN_ALLOCATABLE);
        return false;
    }
    if (agent_lacks_capability(fr->fw, fr->name, rn->ag)) {
        note(fr, HDRF_REASON_CAPABILITY);
        return false;
    }
    if (filters_offer_applies(fr, rn->ag, offer)) {
        note(fr, HDRF_REASON_FILTERED);
        return false;
    }
    return true;
}

/* The sum of the scalars in r: how much a cut took, compared before/after. */
static int64_t scalar_total(const hdrf_resources *r)
{
    int64_t sum = 0;
    for (size_t i = 0; i < r->n; i++)
        sum += r->v[i].scalar;
    return sum;
}

/* Cuts `additional` to the surplus headroom; *cut says whether it shrank. */
static int keep_headroom(run *rn, hdrf_resources *additional, bool *cut)
{
    *cut = false;
    if (!hdrf_quantities_size(rn->required) || hdrf_resources_empty(additional))
        return HDRF_OK;
    hdrf_quantities *surplus = hdrf_quantities_copy(rn->available);
    if (!surplus)
        return HDRF_ENOMEM;
    hdrf_quantities_subtract(surplus, rn->required);
    int64_t before = scalar_total(additional);
    int rc = offer_shrink_quantities(additional, surplus);
    *cut = scalar_total(additional) != before;
    hdrf_quantities_free(surplus);
    return rc;
}

/* Stage 1 for one framework (spec §C.2). Returns false to stop the walk. */
static bool stage1_framework(void *arg, const char *client, void *data)
{
    (void)client;
    run *rn = arg;
    fw_role *fr = data;
    if (!hdrf_quantities_size(rn->unsatisfied))
        return false;
    bool stop;
    const hdrf_resources *avail = candidate(rn, fr, &stop);
    if (!avail)
        return !stop;
    hdrf_resources *quota_part = offer_quota_part(avail);
    hdrf_resources *guaranteed = quota_part ? hdrf_resources_copy(quota_part) : NULL;
    hdrf_resources *offer = NULL;
    hdrf_quantities *inc = NULL;
    int rc = guaranteed ? offer_shrink_quantities(guaranteed, rn->unsatisfied) : HDRF_ENOMEM;
    if (rc != HDRF_OK || hdrf_resources_empty(guaranteed))
        goto out;
    keep_ctx own = {fr->name};
    hdrf_resources *additional = quota_part; /* becomes quota_part - guaranteed */
    quota_part = NULL;
    hdrf_quantities *pending = hdrf_quantities_of(guaranteed);
    bool cut = false;
    rc = pending ? hdrf_resources_subtract(additional, guaranteed) : HDRF_ENOMEM;
    if (rc == HDRF_OK)
        rc = offer_shrink_limits(additional, fr->role, pending, nested_limits(rn));
    if (rc == HDRF_OK)
        rc = keep_headroom(rn, additional, &cut);
    offer = hdrf_resources_filter(avail, goes_whole, &own);
    if (rc == HDRF_OK && !offer)
        rc = HDRF_ENOMEM;
    if (rc == HDRF_OK)
        rc = hdrf_resources_add(offer, guaranteed);
    if (rc == HDRF_OK)
        rc = hdrf_resources_add(offer, additional);
    inc = pending;
    if (rc == HDRF_OK)
        rc = add_quantities_of(inc, additional);
    hdrf_resources_free(additional);
    if (rc != HDRF_OK || !acceptable(rn, fr, offer, HDRF_REASON_HEADROOM, cut))
        goto out;
    hdrf_quantities_subtract(rn->unsatisfied, inc);
    hdrf_quantities *g = hdrf_quantities_of(guaranteed);
    rc = g ? grant(rn, fr, offer, inc) : HDRF_ENOMEM;
    if (rc == HDRF_OK) {
        hdrf_quantities_subtract(rn->required, g);
        offer = NULL;
    }
    hdrf_quantities_free(g);
out:
    if (rc != HDRF_OK)
        rn->rc = rc;
    hdrf_quantities_free(inc);
    hdrf_resources_free(offer);
    hdrf_resources_free(guaranteed);
    hdrf_resources_free(quota_part);
    return rn->rc == HDRF_OK;
}

/* Stage 2 for one framework (spec §C.3). */
static bool stage2_framework(void *arg, const char *client, void *data)
{
    (void)client;
    run *rn = arg;
    fw_role *fr = data;
    bool stop;
    const hdrf_resources *avail = candidate(rn, fr, &stop);
    if (!avail)
        return !stop;
    if (unbounded(rn, fr->role)) {
        hdrf_resources *whole = NULL;
        int rc = HDRF_OK;
        if (acceptable(rn, fr, avail, HDRF_REASON_HEADROOM, false)) {
            whole = hdrf_resources_copy(avail);
            rc = whole ? grant(rn, fr, whole, NULL) : HDRF_ENOMEM;
        }
        if (rc != HDRF_OK) {
            hdrf_resources_free(whole);
            rn->rc = rc;
        }
        return rn->rc == HDRF_OK;
    }
    keep_ctx any = {NULL};
    hdrf_resources *offer = hdrf_resources_filter(avail, goes_whole, &any);
    hdrf_resources *additional = offer_quota_part(avail);
    hdrf_quantities *inc = NULL;
    int rc = offer && additional ? HDRF_OK : HDRF_ENOMEM;
    bool limited = false, held_back = false;
    if (rc == HDRF_OK && offer_role_limited(fr->role, nested_limits(rn))) {
        int64_t had = scalar_total(additional);
        rc = offer_shrink_limits(additional, fr->role, NULL, nested_limits(rn));
        limited = had && !scalar_total(additional);
    }
    if (rc == HDRF_OK)
        rc = keep_headroom(rn, additional, &held_back);
    if (rc == HDRF_OK)
        rc = hdrf_resources_add(offer, additional);
    if (rc == HDRF_OK && !(inc = hdrf_quantities_of(additional)))
        rc = HDRF_ENOMEM;
    if (rc != HDRF_OK ||
        !acceptable(rn, fr, offer, limited ? HDRF_REASON_QUOTA_LIMIT : HDRF_REASON_HEADROOM,
                    limited || held_back))
        goto out;
    if ((rc = grant(rn, fr, offer, inc)) == HDRF_OK)
        offer = NULL;
out:
    if (rc != HDRF_OK)
        rn->rc = rc;
    hdrf_quantities_free(inc);
    hdrf_resources_free(additional);
    hdrf_resources_free(offer);
    return rn->rc == HDRF_OK;
}

/* ---- roles on one agent ------------------------------------------------------------------ */

/* Walks the role's frameworks in their sorter's order. */
static bool walk_frameworks(run *rn, role *r, hdrf_sorter_visit visit)
{
    int rc = ledger_sorter_totals(rn->a, r);
    if (rc == HDRF_OK)
        rc = hdrf_sorter_walk(r->sorter, visit, rn);
    if (rc != HDRF_OK)
        rn->rc = rc;
    return rn->rc == HDRF_OK;
}

static bool visit_role(void *arg, const char *client, void *data)
{
    (void)client;
    run *rn = arg;
    role *r = data;
    if (rn->stage == 1 && !owes(r))
        return true;
    if (hdrf_resources_empty(rn->ag->available))
        return false;
    if (rn->stage == 2)
        return walk_frameworks(rn, r, stage2_framework);
    if (!(rn->unsatisfied = unsatisfied_of(r))) {
        rn->rc = HDRF_ENOMEM;
        return false;
    }
    bool go_on = walk_frameworks(rn, r, stage1_framework);
    hdrf_quantities_free(rn->unsatisfied);
    rn->unsatisfied = NULL;
    return go_on;
}

/* The agent is done: its offers enter the sorters and the role tree. */
static int settle_agent(hdrf_allocator *a, size_t first)
{
    for (size_t i = first; i < a->npieces; i++) {
        offer_piece *p = &a->pieces[i];
        int rc = ledger_allocated(a, p->fw, p->ag, p->resources);
        if (rc != HDRF_OK)
            return rc;
    }
    return HDRF_OK;
}

static int run_stage(run *rn, size_t nagents)
{
    hdrf_allocator *a = rn->a;
    for (size_t i = 0; rn->rc == HDRF_OK && i < nagents; i++) {
        rn->ag = a->run_agents[i];
        forget_available(rn);
        size_t first = a->npieces;
        int rc = hdrf_sorter_walk(a->role_sorter, visit_role, rn);
        if (rc == HDRF_OK)
            rc = settle_agent(a, first);
        if (rc != HDRF_OK)
            rn->rc = rc;
    }
    return rn->rc;
}

/* ---- delivering ------------------------------------------------------------------------------ */

static int by_framework_role_agent(const void *x, const void *y)
{
    const offer_piece *p = x, *q = y;
    if (p->fw->run_order != q->fw->run_order)
        return p->fw->run_order < q->fw->run_order ? -1 : 1;
    int c = strcmp(p->fr->name, q->fr->name);
    return c ? c : strcmp(p->ag->id, q->ag->id);
}

/* Merges the pieces of one (framework, role, agent): a framework can get a
 * stage-1 and a stage-2 offer on the same agent. */
static size_t merge_pieces(hdrf_allocator *a, int *rc)
{
    size_t n = 0;
    for (size_t i = 0; i < a->npieces; i++) {
        offer_piece *p = &a->pieces[i];
        offer_piece *last = n ? &a->pieces[n - 1] : NULL;
        if (last && last->fr == p->fr && last->ag == p->ag) {
            if (*rc == HDRF_OK)
                *rc = hdrf_resources_add(last->resources, p->resources);
            hdrf_resources_free(p->resources);
            continue;
        }
        a->pieces[n++] = *p;
    }
    return n;
}

static int deliver(hdrf_allocator *a)
{
    int rc = HDRF_OK;
    if (a->npieces == 0)
        return HDRF_OK;
    qsort(a->pieces, a->npieces, sizeof *a->pieces, by_framework_role_agent);
    a->npieces = merge_pieces(a, &rc);
    hdrf_offer_agent *agents = malloc((a->npieces ? a->npieces : 1) * sizeof *agents);
    hdrf_offer_role *roles = malloc((a->npieces ? a->npieces : 1) * sizeof *roles);
    if (!agents || !roles)
        rc = HDRF_ENOMEM;
    for (size_t i = 0; rc == HDRF_OK && i < a->npieces;) {
        framework *fw = a->pieces[i].fw;
        size_t nroles = 0;
        for (; i < a->npieces && a->pieces[i].fw == fw; i++) {
            offer_piece *p = &a->pieces[i];
            if (!nroles || strcmp(roles[nroles - 1].role, p->fr->name) != 0)
                roles[nroles++] = (hdrf_offer_role){p->fr->name, &agents[i], 0};
            agents[i] = (hdrf_offer_agent){p->ag->id, p->resources};
            roles[nroles - 1].nagents++;
        }
        if (a->callbacks.offer)
            a->callbacks.offer(a->callbacks.arg, fw->id, roles, nroles);
    }
    free(agents);
    free(roles);
    for (size_t i = 0; i < a->npieces; i++)
        hdrf_resources_free(a->pieces[i].resources);
    a->npieces = 0;
    return rc;
}

/* ---- inverse offers (spec §C.6) ------------------------------------------------------------ */

typedef struct inverse_item {
    framework *fw;
    hdrf_inverse_offer offer;
} inverse_item;

static int by_framework(const void *x, const void *y)
{
    const inverse_item *p = x, *q = y;
    int c = strcmp(p->fw->id, q->fw->id);
    return c ? c : strcmp(p->offer.agent, q->offer.agent);
}

static int inverse_offers(hdrf_allocator *a, hdrf_time now)
{
    inverse_item *items = NULL;
    size_t n = 0, cap = 0;
    int rc = HDRF_OK;
    for (size_t i = 0; rc == HDRF_OK && i < a->nagents; i++) {
        agent *ag = a->agents[i];
        if (!ag->candidate || !ag->maintained)
            continue;
        size_t cursor = 0;
        const char *key;
        void *value;
        while (rc == HDRF_OK && strmap_next(&ag->held, &cursor, &key, &value)) {
            framework *fw = frameworks_find(a, key);
            if (!fw || !fw->active || strmap_get(&ag->outstanding, fw->id) ||
                filters_inverse_applies(fw, ag, now))
                continue;
            rc = array_reserve(&items, &cap, n + 1, sizeof *items);
            if (rc == HDRF_OK)
                rc = strmap_put(&ag->outstanding, fw->id, fw);
            if (rc == HDRF_OK)
                items[n++] = (inverse_item){fw, {ag->id, ag->unavailability}};
        }
    }
    if (n == 0) {
        free(items); /* reserved before a failed strmap_put */
        return rc;
    }
    qsort(items, n, sizeof *items, by_framework);
    hdrf_inverse_offer *offers = malloc((n ? n : 1) * sizeof *offers);
    if (!offers)
        rc = HDRF_ENOMEM;
    for (size_t i = 0; rc == HDRF_OK && i < n;) {
        size_t k = 0;
        framework *fw = items[i].fw;
        for (; i < n && items[i].fw == fw; i++)
            offers[k++] = items[i].offer;
        if (a->callbacks.inverse_offer)
            a->callbacks.inverse_offer(a->callbacks.arg, fw->id, offers, k);
    }
    free(offers);
    free(items);
    return rc;
}

/* ---- the run ----------------------------------------------------------------------------------- */

static void reset_reason(fw_role *fr, void *arg)
{
    (void)arg;
    fr->offered = false;
    fr->has_reason = false;
}

int run_allocation(hdrf_allocator *a, hdrf_time now, bool batch)
{
    run rn = {.a = a, .stage = 1, .rc = HDRF_OK};
    a->runs++;
    a->pending = false;
    filters_expire(a, now, batch);
    frameworks_each_role(a, reset_reason, NULL);
    if (array_reserve(&a->run_agents, &a->run_agents_cap, a->nagents ? a->nagents : 1,
                      sizeof *a->run_agents) != HDRF_OK)
        return HDRF_ENOMEM;
    size_t n = select_agents(a);
    a->last_run_agents = n;
    if ((rn.rc = prepare_consumed(a)) == HDRF_OK)
        rn.rc = prepare_headroom(&rn);
    shuffle(a, a->run_agents, n);
    if (rn.rc == HDRF_OK)
        run_stage(&rn, n);
    rn.stage = 2;
    shuffle(a, a->run_agents, n);
    if (rn.rc == HDRF_OK)
        run_stage(&rn, n);
    for (size_t i = 0; i < n; i++) {
        hdrf_resources_free(a->run_agents[i]->offered_shared);
        a->run_agents[i]->offered_shared = NULL;
    }
    int rc = deliver(a);
    if (rn.rc == HDRF_OK)
        rn.rc = rc;
    if (rn.rc == HDRF_OK)
        rn.rc = inverse_offers(a, now);
    for (size_t i = 0; i < a->nagents; i++)
        a->agents[i]->candidate = false;
    forget_available(&rn);
    hdrf_resources_free(rn.stripped);
    hdrf_quantities_free(rn.required);
    hdrf_quantities_free(rn.available);
    return rn.rc;
}
