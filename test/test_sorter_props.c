/* test_sorter_props.c: the sorter under long random operation sequences.
 *
 * After every few operations of a random mix (add, remove, activate,
 * deactivate, allocate, release, update, weights, agent totals):
 *  1. the incremental DRF order equals a from-scratch rebuild of the same
 *     state (every level re-sorted);
 *  2. an independent model (client allocations summed per subtree, shares
 *     and weights per Mesos's rules) agrees with the order: at every level,
 *     siblings appear by non-decreasing weighted share, and every active
 *     client appears exactly once;
 *  3. each client's share equals the model's.
 * And H-DRF on a flat tree with nothing saturated equals DRF, as the
 * definitions say (no internal node to rescale, no blocked client). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/sorter_internal.h"
#include "test/prng.h"
#include "test/sorter_fixture.h"
#include "test/test.h"

#define NPATHS 39 /* x, y, z and their children and grandchildren */
#define NAGENTS 3

typedef struct model {
    char paths[NPATHS][8];
    bool present[NPATHS], active[NPATHS];
    long long held[NPATHS][NAGENTS][2]; /* cpus, mem in milli */
    double weight[NPATHS];
    long long total[NAGENTS][2];
} model;

static void model_init(model *m)
{
    static const char c[] = "xyz";
    int k = 0;
    memset(m, 0, sizeof *m);
    for (int i = 0; i < 3; i++) {
        snprintf(m->paths[k++], 8, "%c", c[i]);
        for (int j = 0; j < 3; j++) {
            snprintf(m->paths[k++], 8, "%c/%c", c[i], c[j]);
            for (int l = 0; l < 3; l++)
                snprintf(m->paths[k++], 8, "%c/%c/%c", c[i], c[j], c[l]);
        }
    }
    for (int i = 0; i < NPATHS; i++)
        m->weight[i] = 1.0;
}

static bool in_subtree(const char *path, const char *node)
{
    size_t n = strlen(node);
    return strncmp(path, node, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static double to_double(long long milli)
{
    return (double)(milli / 1000) + (milli % 1000) / 1000.0;
}

/* Model share of a tree node: the sum over the clients below it (or, for a
 * virtual leaf, the client alone), max over cpus and mem of sum / total. */
static double model_share(const model *m, const char *node, bool alone)
{
    long long sum[2] = {0, 0}, total[2] = {0, 0};
    for (int a = 0; a < NAGENTS; a++)
        for (int r = 0; r < 2; r++)
            total[r] += m->total[a][r];
    for (int i = 0; i < NPATHS; i++) {
        if (!m->present[i] ||
            !(alone ? strcmp(m->paths[i], node) == 0 : in_subtree(m->paths[i], node)))
            continue;
        for (int a = 0; a < NAGENTS; a++)
            for (int r = 0; r < 2; r++)
                sum[r] += m->held[i][a][r];
    }
    double share = 0;
    for (int r = 0; r < 2; r++)
        if (total[r] > 0 && sum[r] > 0 && to_double(sum[r]) / to_double(total[r]) > share)
            share = to_double(sum[r]) / to_double(total[r]);
    return share;
}

static int path_index(const model *m, const char *path)
{
    for (int i = 0; i < NPATHS; i++)
        if (strcmp(m->paths[i], path) == 0)
            return i;
    return -1;
}

static double weight_of(const model *m, const char *path)
{
    int i = path_index(m, path);
    return i >= 0 ? m->weight[i] : 1.0;
}

/* Whether any present client lies strictly below `path`. */
static bool has_descendant(const model *m, const char *path)
{
    for (int i = 0; i < NPATHS; i++)
        if (m->present[i] && strcmp(m->paths[i], path) != 0 && in_subtree(m->paths[i], path))
            return true;
    return false;
}

static int components(const char *p)
{
    int n = 1;
    for (; *p; p++)
        n += *p == '/';
    return n;
}

/* The tree node of client c at depth d (0: a child of the root): its path
 * cut after d + 1 components; one level below its own path, its virtual
 * leaf when it has clients below it. Returns false past the client's leaf. */
static bool node_at(const model *m, const char *c, int d, char *out, bool *virtual_leaf)
{
    int n = components(c);
    *virtual_leaf = d == n && has_descendant(m, c);
    if (d > n || (d == n && !*virtual_leaf))
        return false;
    const char *end = c;
    for (int k = 0; k <= d && end; k++)
        end = strchr(k ? end + 1 : end, '/');
    size_t len = end && d < n ? (size_t)(end - c) : strlen(c);
    memcpy(out, c, len);
    out[len] = '\0';
    return true;
}

/* A node's weighted share as its parent compares it: a virtual leaf holds
 * the client alone and weighs 1; other nodes hold their subtree. */
static double model_wshare(const model *m, const char *node, bool virtual_leaf)
{
    return virtual_leaf ? model_share(m, node, true)
                        : model_share(m, node, false) / weight_of(m, node);
}

/* Property 2: two consecutive clients part at some level of the tree; there
 * the node of the first must not weigh more than that of the second. */
static int check_levels(const model *m, const char *const *order, long n)
{
    int bad = 0;
    for (long k = 1; k < n; k++) {
        const char *p = order[k - 1], *q = order[k];
        for (int d = 0;; d++) {
            char np[16], nq[16];
            bool vp, vq;
            bool hp = node_at(m, p, d, np, &vp), hq = node_at(m, q, d, nq, &vq);
            if (!hp || !hq) {
                bad++; /* two clients cannot share their whole path */
                break;
            }
            if (strcmp(np, nq) == 0 && vp == vq)
                continue;
            double wp = model_wshare(m, np, vp), wq = model_wshare(m, nq, vq);
            if (wp > wq + 1e-12) {
                fprintf(stderr, "\n%s before %s at depth %d: %.6f > %.6f\n", p, q, d, wp, wq);
                bad++;
            }
            break;
        }
    }
    return bad;
}

static hdrf_resources *scalars(long long cpus, long long mem)
{
    char text[96];
    snprintf(text, sizeof text, "cpus:%lld.%03lld;mem:%lld.%03lld", cpus / 1000, cpus % 1000,
             mem / 1000, mem % 1000);
    return fx_res(text);
}

static void set_agent(hdrf_sorter *s, model *m, int a, prng *p, bool replace)
{
    char id[16];
    snprintf(id, sizeof id, "agent%d", a);
    m->total[a][0] = (long long)(1 + prng_below(p, 64)) * 1000;
    m->total[a][1] = (long long)(1 + prng_below(p, 256)) * 1000;
    if (replace)
        CU_ASSERT_EQUAL(hdrf_sorter_remove_agent(s, id), HDRF_OK);
    hdrf_resources *t = scalars(m->total[a][0], m->total[a][1]);
    CU_ASSERT_EQUAL(hdrf_sorter_add_agent(s, id, t), HDRF_OK);
    hdrf_resources_free(t);
}

static void random_step(hdrf_sorter *s, model *m, prng *p)
{
    int i = (int)prng_below(p, NPATHS), a = (int)prng_below(p, NAGENTS);
    const char *c = m->paths[i];
    char agent[16];
    snprintf(agent, sizeof agent, "agent%d", a);
    switch (prng_below(p, 10)) {
    case 0:
        CU_ASSERT_EQUAL(hdrf_sorter_add(s, c), m->present[i] ? HDRF_EEXIST : HDRF_OK);
        m->present[i] = true;
        break;
    case 1:
        if (prng_below(p, 3) == 0) { /* removals rarer than additions */
            CU_ASSERT_EQUAL(hdrf_sorter_remove(s, c), m->present[i] ? HDRF_OK : HDRF_ENOTFOUND);
            m->present[i] = m->active[i] = false;
            memset(m->held[i], 0, sizeof m->held[i]);
        }
        break;
    case 2:
    case 3:
        if (m->present[i]) {
            bool on = prng_below(p, 4) != 0;
            CU_ASSERT_EQUAL((on ? hdrf_sorter_activate : hdrf_sorter_deactivate)(s, c), HDRF_OK);
            m->active[i] = on;
        }
        break;
    case 4:
    case 5:
    case 6:
        if (m->present[i]) {
            long long cpus = (long long)prng_below(p, 8) * 500,
                      mem = (long long)prng_below(p, 32) * 250;
            hdrf_resources *r = scalars(cpus, mem);
            CU_ASSERT_EQUAL(hdrf_sorter_allocated(s, c, agent, r), HDRF_OK);
            hdrf_resources_free(r);
            m->held[i][a][0] += cpus;
            m->held[i][a][1] += mem;
        }
        break;
    case 7:
        if (m->present[i]) {
            long long cpus = m->held[i][a][0] / 2, mem = m->held[i][a][1];
            hdrf_resources *r = scalars(cpus, mem);
            bool as_update = prng_below(p, 2);
            hdrf_resources *none = hdrf_resources_new();
            CU_ASSERT_EQUAL(as_update ? hdrf_sorter_update(s, c, agent, r, none)
                                      : hdrf_sorter_unallocated(s, c, agent, r),
                            HDRF_OK);
            hdrf_resources_free(none);
            hdrf_resources_free(r);
            m->held[i][a][0] -= cpus;
            m->held[i][a][1] -= mem;
        }
        break;
    case 8: {
        static const double weights[] = {0.5, 1, 1.5, 2, 4};
        m->weight[i] = weights[prng_below(p, 5)];
        CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, c, m->weight[i]), HDRF_OK);
        break;
    }
    case 9:
        set_agent(s, m, a, p, true);
        break;
    }
}

/* Property 1: the order kept incrementally equals a from-scratch rebuild of
 * every level (which inserts into empty trees, never re-positions). */
static bool incremental_is_scratch(hdrf_sorter *s)
{
    static char incremental[8192];
    snprintf(incremental, sizeof incremental, "%s", fx_order(s));
    sorter_mark_dirty(s);
    return strcmp(incremental, fx_order(s)) == 0;
}

static void check_state(hdrf_sorter *s, const model *m, int *bad)
{
    const char *const *order;
    *bad += !incremental_is_scratch(s);
    /* 2. levels, and each active client once */
    long n = hdrf_sorter_sort(s, &order);
    *bad += check_levels(m, order, n);
    long active = 0;
    for (int i = 0; i < NPATHS; i++) {
        active += m->active[i];
        if (m->present[i] && (hdrf_sorter_rank(s, m->paths[i]) >= 0) != m->active[i])
            (*bad)++;
        /* 3. shares */
        if (m->present[i] &&
            fabs(hdrf_sorter_share(s, m->paths[i]) - model_share(m, m->paths[i], true)) > 1e-12)
            (*bad)++;
    }
    *bad += active != n;
}

static void test_incremental_equals_scratch(void)
{
    const uint64_t seeds[] = {1, 2, 3, 4};
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        prng p = {seeds[k]};
        model m;
        model_init(&m);
        hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
        for (int a = 0; a < NAGENTS; a++)
            set_agent(s, &m, a, &p, false);
        int bad = 0;
        for (int op = 0; op < 20000 && !bad; op++) {
            random_step(s, &m, &p);
            if (prng_below(&p, 4) == 0)
                check_state(s, &m, &bad);
            if (bad)
                fprintf(stderr, "\nseed %llu op %d\n", (unsigned long long)seeds[k], op);
        }
        CU_ASSERT_EQUAL(bad, 0);
        /* both ways of re-positioning a node were taken */
        CU_ASSERT(s->rekey_moves > 500 && s->rekeys - s->rekey_moves > 500);
        hdrf_sorter_free(s);
    }
}

/* The same property where siblings are many: 4 roles of 60 clients, small
 * allocations and releases of cpus and mem. A client then often stays
 * between its neighbours (re-keyed in place) and often passes a few
 * (moved), at every position of an AVL tree of 60, and the roles swap
 * places at the top now and then. */
static void test_many_siblings_small_steps(void)
{
    enum { CLIENTS = 240 };
    static long long held[CLIENTS][2]; /* cpus, mem in milli */
    prng p = {9};
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, "agent1", "cpus:1000;mem:4000");
    char name[32];
    memset(held, 0, sizeof held);
    for (int i = 0; i < CLIENTS; i++) {
        snprintf(name, sizeof name, "r%d/c%d", i % 4, i);
        fx_add_active(s, name);
    }
    int bad = 0;
    for (int op = 0; op < 20000 && !bad; op++) {
        int i = (int)prng_below(&p, CLIENTS);
        long long cpus = 1 + (long long)prng_below(&p, 2000), mem = (long long)prng_below(&p, 6000);
        bool release = prng_below(&p, 3) == 0 && held[i][0] >= cpus && held[i][1] >= mem;
        snprintf(name, sizeof name, "r%d/c%d", i % 4, i);
        hdrf_resources *r = scalars(cpus, mem);
        CU_ASSERT_EQUAL(release ? hdrf_sorter_unallocated(s, name, "agent1", r)
                                : hdrf_sorter_allocated(s, name, "agent1", r),
                        HDRF_OK);
        hdrf_resources_free(r);
        held[i][0] += release ? -cpus : cpus;
        held[i][1] += release ? -mem : mem;
        if (op % 50 == 0 && !incremental_is_scratch(s)) {
            fprintf(stderr, "\nop %d\n", op);
            bad++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(s->rekey_moves > 5000 && s->rekeys - s->rekey_moves > 5000);
    hdrf_sorter_free(s);
}

static void test_hdrf_flat_equals_drf(void)
{
    prng p = {77};
    hdrf_sorter *drf = fx_sorter(HDRF_ORDER_DRF), *hdrf = fx_sorter(HDRF_ORDER_HDRF);
    hdrf_sorter *both[2] = {drf, hdrf};
    char name[16];
    for (int k = 0; k < 2; k++) {
        fx_agent(both[k], "agent1", "cpus:100000;mem:100000");
        for (int i = 0; i < 50; i++) {
            snprintf(name, sizeof name, "c%d", i);
            fx_add_active(both[k], name);
        }
    }
    int differ = 0;
    for (int op = 0; op < 5000; op++) {
        snprintf(name, sizeof name, "c%d", (int)prng_below(&p, 50));
        char text[64];
        snprintf(text, sizeof text, "cpus:%d;mem:%d", (int)prng_below(&p, 4),
                 (int)prng_below(&p, 4));
        double w = 0.5 + (double)prng_below(&p, 4);
        for (int k = 0; k < 2; k++) {
            fx_alloc(both[k], name, "agent1", text);
            if (op % 97 == 0)
                CU_ASSERT_EQUAL(hdrf_sorter_set_weight(both[k], name, w), HDRF_OK);
        }
        char first[2048];
        snprintf(first, sizeof first, "%s", fx_order(drf));
        differ += strcmp(first, fx_order(hdrf)) != 0;
    }
    CU_ASSERT_EQUAL(differ, 0);
    hdrf_sorter_free(drf);
    hdrf_sorter_free(hdrf);
}

/* A sorter without per-agent holdings (hdrf_sorter_set_track_agents) is
 * the same sorter to everything but the per-agent queries: run the random
 * mix on both in lockstep and compare their whole state (the dump: every
 * node's weight, shares, count and state, in order) and the model's
 * shares. Releases never exceed what a client holds (the caller's side of
 * the contract), so both accept every step. */
static void test_totals_only_equals_tracking(void)
{
    const uint64_t seeds[] = {5, 6};
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        prng p = {seeds[k]}, q = {seeds[k]};
        model m, n;
        model_init(&m);
        model_init(&n);
        hdrf_sorter *tracking = fx_sorter(HDRF_ORDER_DRF), *totals = fx_sorter(HDRF_ORDER_DRF);
        CU_ASSERT_EQUAL_FATAL(hdrf_sorter_set_track_agents(totals, false), HDRF_OK);
        for (int a = 0; a < NAGENTS; a++) {
            set_agent(tracking, &m, a, &p, false);
            set_agent(totals, &n, a, &q, false);
        }
        int bad = 0;
        for (int op = 0; op < 10000 && !bad; op++) {
            random_step(tracking, &m, &p);
            random_step(totals, &n, &q);
            bool check = prng_below(&p, 8) == 0;
            if (prng_below(&q, 8) != 0 || !check) /* both streams advance alike */
                continue;
            char *x = hdrf_sorter_dump(tracking), *y = hdrf_sorter_dump(totals);
            bad += !x || !y || strcmp(x, y) != 0;
            free(x);
            free(y);
            check_state(tracking, &m, &bad); /* both sorted: the same ranks */
            check_state(totals, &n, &bad);
            if (bad)
                fprintf(stderr, "\nseed %llu op %d\n", (unsigned long long)seeds[k], op);
        }
        CU_ASSERT_EQUAL(bad, 0);
        /* what per-agent detail it has not: none, and no record behind it */
        size_t cursor = 0;
        const char *agent;
        const hdrf_resources *held;
        for (int i = 0; i < NPATHS; i++) {
            CU_ASSERT_PTR_NULL(hdrf_sorter_allocation(totals, n.paths[i], "agent0"));
            CU_ASSERT_FALSE(
                hdrf_sorter_allocation_next(totals, n.paths[i], &cursor, &agent, &held));
        }
        CU_ASSERT_EQUAL(totals->nodes.n, tracking->nodes.n);
        hdrf_sorter_free(tracking);
        hdrf_sorter_free(totals);
    }
}

int suite_sorter_props(void)
{
    static const test_case cases[] = {
        {"DRF: incremental = from scratch = model, 4 seeds x 20,000 ops",
         test_incremental_equals_scratch},
        {"DRF: 240 clients, small steps: incremental = from scratch",
         test_many_siblings_small_steps},
        {"H-DRF on a flat unsaturated tree = DRF", test_hdrf_flat_equals_drf},
        {"totals only (no per-agent holdings) = tracking, 2 seeds x 10,000 ops",
         test_totals_only_equals_tracking},
        {NULL, NULL}};
    return test_add_suite("sorter_props", cases);
}
