/* test_alloc_props.c: the allocator's invariants under random events.
 *
 * A model outside the allocator follows what it is told (agents, frameworks,
 * suppressions, filters) and what it does (offers). After every event, and
 * for every offer, the model checks what must always hold:
 *  - an offer fits in what its agent has left: nothing is allocated twice
 *    and no agent gives more than its total;
 *  - what is offered is conserved: taking back every offer restores the
 *    agent (recovering it never fails);
 *  - reserved resources go only to their role's subtree;
 *  - a quota limit never grows past itself through offers: with
 *    nested_quota=hdrf (odd seeds) the subtree of "a" stays within a's
 *    limit; with Mesos's rule (even seeds) a's own frameworks gain at most
 *    what the limit left before the run (a/b's offers are not capped);
 *  - no inactive framework, suppressed role or unsubscribed role is offered;
 *  - no offer falls inside a refusal before the refusal's filter expires.
 * Operations (RESERVE, UNRESERVE of held resources) change the agents'
 * totals as they go, so the first invariant also checks that what the
 * allocator keeps as available follows them.
 * `make test` runs a few seeds briefly; `make check-long` sets
 * HDRF_PROPS_EVENTS=1000000 for the full run (make check-long). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/allocator.h"
#include "test/prng.h"
#include "test/test.h"

#define NAGENTS 20
#define NFRAMEWORKS 10
#define NFILTERS 64

static const char *const role_names[] = {"a", "a/b", "c", "*"};
#define NROLES 4

typedef struct m_agent {
    bool present;
    char id[32];
    hdrf_resources *total;
} m_agent;

typedef struct m_framework {
    bool present, active;
    char id[32];
    bool subscribed[NROLES];
    bool suppressed[NROLES];
    unsigned caps;
    hdrf_resources *held[NAGENTS]; /* with allocation roles */
} m_framework;

typedef struct m_filter {
    int fw, role, agent;
    hdrf_resources *refused;
    hdrf_time expiry;
} m_filter;

typedef struct model {
    hdrf_allocator *a;
    prng rng;
    hdrf_time now;
    int serial;
    m_agent agents[NAGENTS];
    m_framework fws[NFRAMEWORKS];
    m_filter filters[NFILTERS];
    size_t nfilters;
    int64_t limit_a_cpus; /* quota limit on role "a", or -1 */
    int64_t held_a_before, held_a_own_before;
    bool nested_hdrf; /* nested_quota=hdrf */
    bool failed;
    long offers;     /* pieces offered: the run must exercise the allocator */
    long operations; /* RESERVE / UNRESERVE applied to held resources */
} model;

static int role_index(const char *role)
{
    for (int i = 0; i < NROLES; i++)
        if (strcmp(role_names[i], role) == 0)
            return i;
    return -1;
}

static int find_agent(model *m, const char *id)
{
    for (int i = 0; i < NAGENTS; i++)
        if (m->agents[i].present && strcmp(m->agents[i].id, id) == 0)
            return i;
    return -1;
}

static int find_fw(model *m, const char *id)
{
    for (int i = 0; i < NFRAMEWORKS; i++)
        if (m->fws[i].present && strcmp(m->fws[i].id, id) == 0)
            return i;
    return -1;
}

static void fail(model *m, const char *what, const char *fw, const char *agent)
{
    if (!m->failed)
        fprintf(stderr, "invariant broken: %s (framework %s, agent %s)\n", what, fw, agent);
    m->failed = true;
}

/* What an agent has given out, allocation roles stripped. */
static hdrf_resources *given(model *m, int ag)
{
    hdrf_resources *sum = hdrf_resources_new();
    for (int f = 0; f < NFRAMEWORKS; f++)
        if (m->fws[f].present && m->fws[f].held[ag])
            hdrf_resources_add(sum, m->fws[f].held[ag]);
    hdrf_resources_allocate(sum, NULL);
    return sum;
}

/* Unreserved non-revocable cpus held in the subtree of "a" (or, without
 * `subtree`, by "a" itself). */
static int64_t held_by_a(model *m, bool subtree)
{
    int64_t sum = 0;
    for (int f = 0; f < NFRAMEWORKS; f++)
        for (int g = 0; g < NAGENTS; g++) {
            const hdrf_resources *h = m->fws[f].held[g];
            for (size_t i = 0; h && i < hdrf_resources_size(h); i++) {
                const hdrf_resource *r = hdrf_resources_at(h, i);
                const char *role = hdrf_resource_allocation_role(r);
                if (strcmp(hdrf_resource_name(r), "cpus") == 0 && hdrf_resource_is_unreserved(r) &&
                    !hdrf_resource_is_revocable(r) &&
                    (subtree ? hdrf_role_is_in_subtree(role, "a") : strcmp(role, "a") == 0))
                    sum += hdrf_resource_scalar(r);
            }
        }
    return sum;
}

static bool covered_by_filter(model *m, int f, int role, int ag, const hdrf_resources *offer)
{
    hdrf_resources *plain = hdrf_resources_copy(offer);
    hdrf_resources_allocate(plain, NULL);
    bool covered = false;
    for (size_t i = 0; i < m->nfilters && !covered; i++) {
        const m_filter *x = &m->filters[i];
        covered = x->fw == f && x->role == role && x->agent == ag && m->now < x->expiry &&
                  hdrf_resources_contains(x->refused, plain);
    }
    hdrf_resources_free(plain);
    return covered;
}

static void check_piece(model *m, int f, const char *role, int ag, const hdrf_resources *r)
{
    m_framework *fw = &m->fws[f];
    const char *fid = fw->id, *aid = m->agents[ag].id;
    int ri = role_index(role);
    if (ri < 0 || !fw->subscribed[ri])
        fail(m, "offer in a role the framework does not subscribe to", fid, aid);
    else if (!fw->active)
        fail(m, "offer to an inactive framework", fid, aid);
    else if (fw->suppressed[ri])
        fail(m, "offer in a suppressed role", fid, aid);
    if (ri >= 0 && covered_by_filter(m, f, ri, ag, r))
        fail(m, "offer inside a refusal before its filter expired", fid, aid);
    for (size_t i = 0; i < hdrf_resources_size(r); i++) {
        const hdrf_resource *x = hdrf_resources_at(r, i);
        const char *res_role = hdrf_resource_reservation_role(x);
        if (res_role && !hdrf_role_is_in_subtree(role, res_role))
            fail(m, "reserved resources offered outside their role's subtree", fid, aid);
    }
    hdrf_resources *left = hdrf_resources_copy(m->agents[ag].total);
    hdrf_resources *out = given(m, ag), *plain = hdrf_resources_copy(r);
    hdrf_resources_allocate(plain, NULL);
    if (!hdrf_resources_contains(left, out))
        fail(m, "an agent gave more than its total", fid, aid);
    hdrf_resources_subtract(left, out);
    if (!hdrf_resources_contains(left, plain))
        fail(m, "an offer does not fit in what the agent has left", fid, aid);
    hdrf_resources_free(left);
    hdrf_resources_free(out);
    hdrf_resources_free(plain);
}

static void on_offer(void *arg, const char *framework, const hdrf_offer_role *roles, size_t n)
{
    model *m = arg;
    int f = find_fw(m, framework);
    if (f < 0) {
        fail(m, "offer to an unknown framework", framework, "-");
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < roles[i].nagents; j++) {
            int ag = find_agent(m, roles[i].agents[j].agent);
            if (ag < 0) {
                fail(m, "offer on an unknown agent", framework, roles[i].agents[j].agent);
                continue;
            }
            check_piece(m, f, roles[i].role, ag, roles[i].agents[j].resources);
            m->offers++;
            if (!m->fws[f].held[ag])
                m->fws[f].held[ag] = hdrf_resources_new();
            hdrf_resources_add(m->fws[f].held[ag], roles[i].agents[j].resources);
        }
}

/* ---- events ------------------------------------------------------------------------ */

static const char *const agent_totals[] = {
    "cpus:8;mem:8192;disk:1000;ports:[31000-31009]",
    "cpus:4;mem:2048;cpus(a):2;mem(a):1024",
    "cpus:2;mem:4096;cpus(a/b):1;mem(a/b):512;ports:[1-5]",
    "cpus:16;mem:1024;cpus(c):4;mem(c):4096",
};

static void ev_add_agent(model *m, int i)
{
    m_agent *ag = &m->agents[i];
    snprintf(ag->id, sizeof ag->id, "agent%d", ++m->serial);
    hdrf_error e;
    hdrf_resources_parse(agent_totals[prng_below(&m->rng, 4)], NULL, &ag->total, &e);
    hdrf_agent_info info = {ag->id, ag->id, NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    CU_ASSERT_EQUAL(hdrf_allocator_add_agent(m->a, &info, ag->total, NULL, NULL, 0), HDRF_OK);
    ag->present = true;
}

static void ev_remove_agent(model *m, int i)
{
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(m->a, m->agents[i].id), HDRF_OK);
    for (int f = 0; f < NFRAMEWORKS; f++) {
        hdrf_resources_free(m->fws[f].held[i]);
        m->fws[f].held[i] = NULL;
    }
    for (size_t k = 0; k < m->nfilters;) {
        if (m->filters[k].agent == i) {
            hdrf_resources_free(m->filters[k].refused);
            m->filters[k] = m->filters[--m->nfilters];
        } else {
            k++;
        }
    }
    hdrf_resources_free(m->agents[i].total);
    m->agents[i].total = NULL;
    m->agents[i].present = false;
}

static void drop_filters(model *m, int f, int role /* -1: all */)
{
    for (size_t k = 0; k < m->nfilters;) {
        if (m->filters[k].fw == f && (role < 0 || m->filters[k].role == role)) {
            hdrf_resources_free(m->filters[k].refused);
            m->filters[k] = m->filters[--m->nfilters];
        } else {
            k++;
        }
    }
}

static void ev_add_framework(model *m, int i)
{
    m_framework *fw = &m->fws[i];
    memset(fw, 0, sizeof *fw);
    snprintf(fw->id, sizeof fw->id, "framework%d", ++m->serial);
    const char *roles[NROLES];
    size_t n = 0;
    for (int r = 0; r < NROLES; r++)
        if ((fw->subscribed[r] = prng_below(&m->rng, 2)))
            roles[n++] = role_names[r];
    if (n == 0) {
        fw->subscribed[0] = true;
        roles[n++] = role_names[0];
    }
    fw->caps =
        HDRF_FRAMEWORK_MULTI_ROLE | (prng_below(&m->rng, 2) ? HDRF_FRAMEWORK_GPU_RESOURCES : 0);
    fw->active = prng_below(&m->rng, 4) != 0;
    hdrf_framework_info info = {
        .id = fw->id, .name = fw->id, .roles = roles, .nroles = n, .capabilities = fw->caps};
    CU_ASSERT_EQUAL(hdrf_allocator_add_framework(m->a, &info, NULL, 0, fw->active), HDRF_OK);
    fw->present = true;
}

static void ev_remove_framework(model *m, int i)
{
    CU_ASSERT_EQUAL(hdrf_allocator_remove_framework(m->a, m->fws[i].id), HDRF_OK);
    for (int g = 0; g < NAGENTS; g++) {
        hdrf_resources_free(m->fws[i].held[g]);
        m->fws[i].held[g] = NULL;
    }
    drop_filters(m, i, -1);
    m->fws[i].present = false;
}

/* Gives back one role's part of what a framework holds on an agent. */
static void ev_recover(model *m, int f, int g)
{
    m_framework *fw = &m->fws[f];
    const hdrf_resources *h = fw->held[g];
    /* the role's index, not its string: subtracting below frees it */
    int role = role_index(hdrf_resource_allocation_role(hdrf_resources_at(h, 0)));
    hdrf_resources *part = hdrf_resources_allocated_to(h, role_names[role]);
    double refuse = (double)prng_below(&m->rng, 4); /* 0: no filter */
    bool filter = prng_below(&m->rng, 2);
    int rc = hdrf_allocator_recover_resources(m->a, fw->id, m->agents[g].id, part,
                                              filter ? &refuse : NULL, false, m->now);
    if (rc != HDRF_OK)
        fail(m, "recovering an offer failed", fw->id, m->agents[g].id);
    hdrf_resources_subtract(fw->held[g], part);
    if (filter && refuse > 0 && m->nfilters < NFILTERS) {
        m_filter *x = &m->filters[m->nfilters++];
        x->fw = f;
        x->role = role;
        x->agent = g;
        x->refused = hdrf_resources_copy(part);
        hdrf_resources_allocate(x->refused, NULL);
        hdrf_time d = (hdrf_time)(refuse * (double)HDRF_SECOND);
        x->expiry = m->now + (d < HDRF_SECOND ? HDRF_SECOND : d);
    }
    hdrf_resources_free(part);
}

static bool is_element(const hdrf_resource *r, void *arg) { return r == arg; }

/* Applies conversions to a model collection, allocation roles stripped or
 * not (they are what the allocator applies to what is held, and to the total). */
static void convert(hdrf_resources *r, const hdrf_conversion *c, size_t n, bool strip)
{
    for (size_t i = 0; i < n; i++) {
        hdrf_resources *in = hdrf_resources_copy(c[i].consumed);
        hdrf_resources *out = hdrf_resources_copy(c[i].converted);
        if (strip) {
            hdrf_resources_allocate(in, NULL);
            hdrf_resources_allocate(out, NULL);
        }
        hdrf_resources_subtract(r, in);
        hdrf_resources_add(r, out);
        hdrf_resources_free(in);
        hdrf_resources_free(out);
    }
}

/* The operation's resources: UNRESERVE of a dynamically reserved scalar the
 * framework holds, or RESERVE of one unit of an unreserved one for the
 * holding's role; NULL when the holding has neither. */
static hdrf_resources *operation_target(const hdrf_resources *held, const char *role,
                                        bool unreserve, hdrf_operation_type *type)
{
    for (size_t i = 0; i < hdrf_resources_size(held); i++) {
        const hdrf_resource *x = hdrf_resources_at(held, i);
        if (hdrf_resource_type(x) != HDRF_SCALAR || hdrf_resource_is_revocable(x))
            continue;
        if (unreserve && hdrf_resource_is_dynamically_reserved(x)) {
            *type = HDRF_OP_UNRESERVE;
            return hdrf_resources_filter(held, is_element, (void *)x);
        }
        if (!unreserve && hdrf_resource_is_unreserved(x) && hdrf_resource_scalar(x) >= HDRF_MILLI) {
            char text[64];
            snprintf(text, sizeof text, "%s:1", hdrf_resource_name(x));
            hdrf_resources *one;
            hdrf_error e;
            hdrf_resources_parse(text, NULL, &one, &e);
            hdrf_resources_push_reservation(one, HDRF_RESERVATION_DYNAMIC, role, NULL, NULL, 0);
            hdrf_resources_allocate(one, role);
            *type = HDRF_OP_RESERVE;
            return one;
        }
    }
    return NULL;
}

/* An operation on what a framework holds in one role (Mesos's
 * updateAllocation): the holding and the agent's total change alike. */
static void ev_operate(model *m, int f, int g)
{
    m_framework *fw = &m->fws[f];
    const hdrf_resources *h = fw->held[g];
    int role = role_index(hdrf_resource_allocation_role(hdrf_resources_at(h, 0)));
    if (role < 0 || strcmp(role_names[role], "*") == 0)
        return; /* "*" cannot reserve */
    hdrf_resources *offered = hdrf_resources_allocated_to(h, role_names[role]);
    hdrf_operation op = {HDRF_OP_RESERVE, NULL, NULL, 0};
    hdrf_resources *target =
        operation_target(offered, role_names[role], prng_below(&m->rng, 2), &op.type);
    hdrf_conversion *c = NULL;
    size_t n = 0;
    hdrf_error e;
    op.resources = target;
    if (target && hdrf_operation_conversions(&op, &c, &n, &e) == HDRF_OK) {
        int rc = hdrf_allocator_update_allocation(m->a, fw->id, m->agents[g].id, offered, c, n);
        if (rc != HDRF_OK)
            fail(m, "an operation on held resources failed", fw->id, m->agents[g].id);
        convert(fw->held[g], c, n, false);
        convert(m->agents[g].total, c, n, true);
        m->operations++;
    }
    hdrf_conversions_free(c, n);
    hdrf_resources_free(target);
    hdrf_resources_free(offered);
}

static void ev_suppress_or_revive(model *m, int f)
{
    m_framework *fw = &m->fws[f];
    int r = (int)prng_below(&m->rng, NROLES);
    if (!fw->subscribed[r])
        return;
    const char *role = role_names[r];
    bool suppress = prng_below(&m->rng, 2);
    int rc = suppress ? hdrf_allocator_suppress(m->a, fw->id, &role, 1)
                      : hdrf_allocator_revive(m->a, fw->id, &role, 1);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    fw->suppressed[r] = suppress;
    if (!suppress)
        drop_filters(m, f, r);
}

static void ev_activate(model *m, int f)
{
    m_framework *fw = &m->fws[f];
    fw->active = !fw->active;
    int rc = fw->active ? hdrf_allocator_activate_framework(m->a, fw->id)
                        : hdrf_allocator_deactivate_framework(m->a, fw->id);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (!fw->active)
        drop_filters(m, f, -1);
}

static void ev_quota(model *m)
{
    m->limit_a_cpus = prng_below(&m->rng, 3) ? (int64_t)prng_below(&m->rng, 12) * HDRF_MILLI : -1;
    hdrf_limit l = {"cpus", m->limit_a_cpus};
    hdrf_quota q = {NULL, &l, m->limit_a_cpus >= 0 ? 1 : 0};
    CU_ASSERT_EQUAL(hdrf_allocator_update_quota(m->a, "a", &q), HDRF_OK);
}

static void run_and_check(model *m, bool batch)
{
    m->held_a_before = held_by_a(m, true);
    m->held_a_own_before = held_by_a(m, false);
    int rc = batch ? hdrf_allocator_allocate(m->a, m->now) : hdrf_allocator_flush(m->a, m->now);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    int64_t after = held_by_a(m, true), gained = held_by_a(m, false) - m->held_a_own_before;
    int64_t room = m->limit_a_cpus - m->held_a_before;
    if (m->limit_a_cpus < 0)
        return;
    if (m->nested_hdrf && after > m->limit_a_cpus && after > m->held_a_before)
        fail(m, "the quota limit of role a was exceeded", "-", "-");
    if (!m->nested_hdrf && gained > 0 && gained > (room > 0 ? room : 0))
        fail(m, "role a's frameworks got more than a's quota limit left", "-", "-");
}

/* Filters whose time is up can no longer be checked against. */
static void expire_filters(model *m)
{
    for (size_t k = 0; k < m->nfilters;) {
        if (m->now >= m->filters[k].expiry) {
            hdrf_resources_free(m->filters[k].refused);
            m->filters[k] = m->filters[--m->nfilters];
        } else {
            k++;
        }
    }
}

static void step(model *m)
{
    expire_filters(m);
    int i = (int)prng_below(&m->rng, NAGENTS), f = (int)prng_below(&m->rng, NFRAMEWORKS);
    int g = (int)prng_below(&m->rng, NAGENTS);
    switch (prng_below(&m->rng, 10)) {
    case 0:
        m->agents[i].present ? ev_remove_agent(m, i) : ev_add_agent(m, i);
        break;
    case 1:
        m->fws[f].present ? ev_remove_framework(m, f) : ev_add_framework(m, f);
        break;
    case 2:
    case 3:
    case 4:
        /* some holding, found from a random starting point */
        for (int k = 0; k < NFRAMEWORKS * NAGENTS; k++) {
            int ff = (f + k / NAGENTS) % NFRAMEWORKS, gg = (g + k) % NAGENTS;
            if (m->fws[ff].present && m->agents[gg].present && m->fws[ff].held[gg] &&
                !hdrf_resources_empty(m->fws[ff].held[gg])) {
                if (prng_below(&m->rng, 3) == 0)
                    ev_operate(m, ff, gg);
                else
                    ev_recover(m, ff, gg);
                break;
            }
        }
        break;
    case 5:
        if (m->fws[f].present)
            ev_suppress_or_revive(m, f);
        break;
    case 6:
        if (m->fws[f].present)
            ev_activate(m, f);
        break;
    case 7:
        ev_quota(m);
        break;
    default:
        m->now += HDRF_SECOND;
        run_and_check(m, true);
        return;
    }
    run_and_check(m, false);
}

static long events_per_seed(void)
{
    const char *env = getenv("HDRF_PROPS_EVENTS");
    return env ? atol(env) : 5000;
}

static void run_seed(uint64_t seed)
{
    model m;
    memset(&m, 0, sizeof m);
    m.limit_a_cpus = -1;
    m.rng.state = seed;
    hdrf_allocator_options o;
    hdrf_allocator_options_init(&o);
    o.seed = seed;
    m.nested_hdrf = seed % 2 == 1;
    o.nested_quota = m.nested_hdrf ? HDRF_NESTED_QUOTA_HDRF : HDRF_NESTED_QUOTA_MESOS;
    hdrf_allocator_callbacks cb = {.offer = on_offer, .inverse_offer = NULL, .arg = &m};
    hdrf_error e;
    REQUIRE_TRUE(hdrf_allocator_new(&o, &cb, &m.a, &e) == HDRF_OK);
    long n = events_per_seed();
    for (long k = 0; k < n && !m.failed; k++)
        step(&m);
    CU_ASSERT_FALSE(m.failed);
    CU_ASSERT_TRUE(m.offers > n / 20);
    CU_ASSERT_TRUE(m.operations > n / 100);
    /* Conservation: every offer can be given back, and then every agent is
     * whole again (checked by recovering everything without error). */
    for (int f = 0; f < NFRAMEWORKS; f++)
        for (int g = 0; g < NAGENTS; g++)
            while (m.fws[f].present && m.agents[g].present && m.fws[f].held[g] &&
                   !hdrf_resources_empty(m.fws[f].held[g]))
                ev_recover(&m, f, g);
    CU_ASSERT_FALSE(m.failed);
    hdrf_allocator_free(m.a);
    for (int i = 0; i < NAGENTS; i++)
        hdrf_resources_free(m.agents[i].total);
    for (int f = 0; f < NFRAMEWORKS; f++)
        for (int g = 0; g < NAGENTS; g++)
            hdrf_resources_free(m.fws[f].held[g]);
    for (size_t k = 0; k < m.nfilters; k++)
        hdrf_resources_free(m.filters[k].refused);
}

static void test_invariants(void)
{
    for (uint64_t seed = 1; seed <= 4; seed++)
        run_seed(seed);
}

int suite_alloc_props(void)
{
    static const test_case cases[] = {
        {"invariants hold after every random event (4 seeds)", test_invariants}, {NULL, NULL}};
    return test_add_suite("alloc_props", cases);
}
