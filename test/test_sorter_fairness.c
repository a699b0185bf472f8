/* test_sorter_fairness.c: allocation outcomes of DRF and H-DRF, by hand.
 *
 * The sorter only orders; these tests drive it the way an allocator does
 * (progressive filling: sort, give one task to the first client in order
 * whose task still fits, repeat) and compare the task counts with traces
 * worked out by hand from the papers' definitions:
 *  - the DRF paper's example (Ghodsi et al., NSDI 2011, section 4) and its
 *    weighted variant;
 *  - H-DRF's starvation example (Bhattacharya et al., SoCC 2013, "naive
 *    H-DRF"), where Mesos-style nested DRF starves a leaf and H-DRF keeps
 *    the hierarchical share guarantee;
 *  - H-DRF's blocking example and a weighted tree. */
#include <stdlib.h>
#include <string.h>

#include "test/sorter_fixture.h"
#include "test/test.h"

#define A FX_AGENT

typedef struct job {
    const char *client;
    const char *task; /* the resources of one task */
    int tasks;        /* launched so far */
} job;

typedef struct cluster {
    hdrf_sorter *sorter;
    hdrf_resources *free;
    job *jobs;
    size_t njobs;
} cluster;

static void cluster_init(cluster *c, hdrf_order order, const char *total, job *jobs, size_t njobs)
{
    c->sorter = fx_sorter(order);
    c->free = fx_res(total);
    c->jobs = jobs;
    c->njobs = njobs;
    fx_agent(c->sorter, A, total);
    for (size_t i = 0; i < njobs; i++) {
        fx_add_active(c->sorter, jobs[i].client);
        jobs[i].tasks = 0;
    }
}

static void cluster_free(cluster *c)
{
    hdrf_sorter_free(c->sorter);
    hdrf_resources_free(c->free);
}

static job *job_of(cluster *c, const char *client)
{
    for (size_t i = 0; i < c->njobs; i++)
        if (strcmp(c->jobs[i].client, client) == 0)
            return &c->jobs[i];
    CU_FAIL_FATAL("unknown client");
    return NULL;
}

static void launch(cluster *c, job *j)
{
    hdrf_resources *task = fx_res(j->task);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_subtract(c->free, task), HDRF_OK);
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_allocated(c->sorter, j->client, A, task), HDRF_OK);
    j->tasks++;
    hdrf_resources_free(task);
}

static void finish(cluster *c, const char *client)
{
    job *j = job_of(c, client);
    hdrf_resources *task = fx_res(j->task);
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_unallocated(c->sorter, client, A, task), HDRF_OK);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_add(c->free, task), HDRF_OK);
    j->tasks--;
    hdrf_resources_free(task);
}

/* One step of progressive filling; returns the client served, or NULL. */
static const char *step(cluster *c)
{
    const char *const *order;
    long n = hdrf_sorter_sort(c->sorter, &order);
    CU_ASSERT_FATAL(n >= 0);
    for (long i = 0; i < n; i++) {
        job *j = job_of(c, order[i]);
        hdrf_resources *task = fx_res(j->task);
        bool fits = hdrf_resources_contains(c->free, task);
        hdrf_resources_free(task);
        if (fits) {
            launch(c, j);
            return j->client;
        }
    }
    return NULL;
}

static void fill(cluster *c)
{
    for (int guard = 0; guard < 10000 && step(c);)
        guard++;
}

/* ---- the DRF paper -------------------------------------------------------------------- */

static void test_drf_paper_example(void)
{
    /* 9 CPUs, 18 GB. A's tasks <1 CPU, 4 GB> (dominant: memory, 2/9 per
     * task), B's <3 CPUs, 1 GB> (dominant: CPU, 1/3 per task). By hand:
     * A, B, A, B, A; then A and B tie at 2/3 and nothing fits (CPUs are
     * used up). A 3 tasks, B 2, both at 2/3. */
    job jobs[] = {{"A", "cpus:1;mem:4", 0}, {"B", "cpus:3;mem:1", 0}};
    cluster c;
    cluster_init(&c, HDRF_ORDER_DRF, "cpus:9;mem:18", jobs, 2);
    const char *trace[5];
    for (int i = 0; i < 5; i++)
        trace[i] = step(&c);
    CU_ASSERT_STRING_EQUAL(trace[0], "A"); /* 0 = 0: by name */
    CU_ASSERT_STRING_EQUAL(trace[1], "B");
    CU_ASSERT_STRING_EQUAL(trace[2], "A"); /* 2/9 < 1/3 */
    CU_ASSERT_STRING_EQUAL(trace[3], "B"); /* 4/9 > 1/3 */
    CU_ASSERT_STRING_EQUAL(trace[4], "A"); /* 4/9 < 2/3 */
    CU_ASSERT_PTR_NULL(step(&c));
    CU_ASSERT_EQUAL(jobs[0].tasks, 3);
    CU_ASSERT_EQUAL(jobs[1].tasks, 2);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(c.sorter, "A"), 2.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(c.sorter, "B"), 2.0 / 3, 1e-12);
    cluster_free(&c);
}

static void test_drf_paper_weighted(void)
{
    /* Weights A:B = 2:1: A gains 1/9 of weighted share per task, B 1/3.
     * By hand: A (tie at 0, name), B (1/9 < ... no: A 1/9 > B 0), A (1/9 <
     * 1/3), A (2/9 < 1/3); now A = (12/18)/2 = 1/3 = B exactly, and Mesos
     * breaks the tie by allocation count: B (1 < 3) takes <3,1>, using the
     * last CPUs. A 3, B 2; weighted shares A 1/3, B 2/3. */
    job jobs[] = {{"A", "cpus:1;mem:4", 0}, {"B", "cpus:3;mem:1", 0}};
    cluster c;
    cluster_init(&c, HDRF_ORDER_DRF, "cpus:9;mem:18", jobs, 2);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(c.sorter, "A", 2), HDRF_OK);
    const char *want[] = {"A", "B", "A", "A", "B"};
    for (int i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(step(&c), want[i]);
    CU_ASSERT_PTR_NULL(step(&c));
    CU_ASSERT_EQUAL(jobs[0].tasks, 3);
    CU_ASSERT_EQUAL(jobs[1].tasks, 2);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_weighted_share(c.sorter, "A"), 1.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_weighted_share(c.sorter, "B"), 2.0 / 3, 1e-12);
    cluster_free(&c);
}

/* ---- H-DRF: the starvation example ------------------------------------------------------ */

/* root -> n1 (uses R2 only), n2 -> {n2/a (R1 only), n2/b (R2 only)}; all
 * weights 1; 10 of each resource (cpus as R1, mem as R2). n2 is guaranteed
 * half the cluster; n2/b half of n2's R2, i.e. 5. */
#define STARVATION_JOBS                                                                            \
    {                                                                                              \
        {"n1", "mem:1", 0}, {"n2/a", "cpus:1", 0}, { "n2/b", "mem:1", 0 }                          \
    }

static void test_hdrf_starvation_from_empty(void)
{
    /* H-DRF by hand: n1, n2/a, n2/b in rotation (n2 counts as far as its
     * least-served child) until mem is full at 5/5; then n1 and n2/b are
     * blocked and n2/a takes the rest of the cpus. */
    job jobs[] = STARVATION_JOBS;
    cluster c;
    cluster_init(&c, HDRF_ORDER_HDRF, "cpus:10;mem:10", jobs, 3);
    const char *rotation[] = {"n1", "n2/a", "n2/b", "n1", "n2/a", "n2/b"};
    for (int i = 0; i < 6; i++)
        CU_ASSERT_STRING_EQUAL(step(&c), rotation[i]);
    fill(&c);
    CU_ASSERT_EQUAL(jobs[0].tasks, 5);
    CU_ASSERT_EQUAL(jobs[1].tasks, 10);
    CU_ASSERT_EQUAL(jobs[2].tasks, 5);
    cluster_free(&c);

    /* Mesos's nested DRF by hand: n2's share is the max of its summed
     * usage, so n2/a's cpus make n2 look rich and n1 wins every tie on
     * count: n1 6, n2/a 10, n2/b 4; n2/b gets less than its guarantee. */
    job naive[] = STARVATION_JOBS;
    cluster_init(&c, HDRF_ORDER_DRF, "cpus:10;mem:10", naive, 3);
    fill(&c);
    CU_ASSERT_EQUAL(naive[0].tasks, 6);
    CU_ASSERT_EQUAL(naive[1].tasks, 10);
    CU_ASSERT_EQUAL(naive[2].tasks, 4);
    cluster_free(&c);
}

/* From n1 5, n2/a 10, n2/b 5 (the H-DRF state), mem tasks finish in turn,
 * n2/b's first, and each freed unit is offered again. */
static void churn(hdrf_order order, int rounds, int *n1, int *n2b)
{
    job jobs[] = STARVATION_JOBS;
    cluster c;
    cluster_init(&c, order, "cpus:10;mem:10", jobs, 3);
    for (int i = 0; i < 5; i++)
        launch(&c, &jobs[0]);
    for (int i = 0; i < 10; i++)
        launch(&c, &jobs[1]);
    for (int i = 0; i < 5; i++)
        launch(&c, &jobs[2]);
    for (int r = 0; r < rounds; r++) {
        const char *leaving = r % 2 == 0 ? "n2/b" : "n1";
        if (job_of(&c, leaving)->tasks > 0)
            finish(&c, leaving);
        fill(&c);
        n1[r] = jobs[0].tasks;
        n2b[r] = jobs[2].tasks;
    }
    cluster_free(&c);
}

static void test_hdrf_starvation_churn(void)
{
    /* Nested DRF by hand: n2 = max(10/10 cpus, x/10 mem) = 1 > n1's share,
     * so every freed mem unit goes to n1: (6,4) (6,4) (7,3) (7,3) ... and
     * n2/b starves. H-DRF: n2/a is blocked (cpus saturated), n2 counts
     * n2/b's mem only, and the freed unit returns to whoever lost it. */
    int n1[10], n2b[10];
    const int naive_n1[10] = {6, 6, 7, 7, 8, 8, 9, 9, 10, 10};
    const int naive_n2b[10] = {4, 4, 3, 3, 2, 2, 1, 1, 0, 0};
    churn(HDRF_ORDER_DRF, 10, n1, n2b);
    for (int r = 0; r < 10; r++) {
        CU_ASSERT_EQUAL(n1[r], naive_n1[r]);
        CU_ASSERT_EQUAL(n2b[r], naive_n2b[r]);
    }
    churn(HDRF_ORDER_HDRF, 10, n1, n2b);
    for (int r = 0; r < 10; r++) {
        CU_ASSERT_EQUAL(n1[r], 5);
        CU_ASSERT_EQUAL(n2b[r], 5);
    }
}

static void test_hdrf_blocked_nodes_ignored(void)
{
    /* root -> n1 (R1), n2 (R1), n3 -> {n3/a (R1), n3/b (R2)}, n4 (R2); 6 of
     * each. By hand: n1 n2 n3/a n3/b n4 twice (R1 is then full), then n3
     * counts only n3/b (n3/a blocked, R1 ignored) and ties n4: n3/b n4.
     * R1 2/2/2 among n1, n2, n3/a; R2 3/3 between n3/b and n4. */
    job jobs[] = {{"n1", "cpus:1", 0},
                  {"n2", "cpus:1", 0},
                  {"n3/a", "cpus:1", 0},
                  {"n3/b", "mem:1", 0},
                  {"n4", "mem:1", 0}};
    cluster c;
    cluster_init(&c, HDRF_ORDER_HDRF, "cpus:6;mem:6", jobs, 5);
    fill(&c);
    const int want[] = {2, 2, 2, 3, 3};
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(jobs[i].tasks, want[i]);
    cluster_free(&c);
}

static void test_hdrf_weighted_tree(void)
{
    /* root -> a (weight 2, R1), b (weight 1) -> {b/1 (R1), b/2 (R2)}; 12
     * of each. R1 splits 2:1 between a and b: a 8, b/1 4; a does not want
     * R2, so b/2 takes all 12. */
    job jobs[] = {{"a", "cpus:1", 0}, {"b/1", "cpus:1", 0}, {"b/2", "mem:1", 0}};
    cluster c;
    cluster_init(&c, HDRF_ORDER_HDRF, "cpus:12;mem:12", jobs, 3);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(c.sorter, "a", 2), HDRF_OK);
    fill(&c);
    CU_ASSERT_EQUAL(jobs[0].tasks, 8);
    CU_ASSERT_EQUAL(jobs[1].tasks, 4);
    CU_ASSERT_EQUAL(jobs[2].tasks, 12);
    cluster_free(&c);
}

static void test_hdrf_caller_blocking(void)
{
    /* A client the caller marks blocked (say, its frameworks decline what
     * is free) stops holding its subtree back: b's rescaling ignores it. */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_HDRF);
    fx_agent(s, A, "cpus:100;mem:100");
    fx_add_active(s, "a");
    fx_add_active(s, "b/x");
    fx_add_active(s, "b/y");
    fx_alloc(s, "a", A, "cpus:20");
    fx_alloc(s, "b/x", A, "cpus:30");
    /* b/y holds nothing: b counts as 0 and goes first */
    CU_ASSERT_STRING_EQUAL(fx_order(s), "b/y,b/x,a");
    CU_ASSERT_EQUAL(hdrf_sorter_set_blocked(s, "b/y", true), HDRF_OK);
    /* now b counts b/x's .30 (rescaled to itself): a (.20) goes first, and
     * the blocked b/y comes last inside b */
    CU_ASSERT_STRING_EQUAL(fx_order(s), "a,b/x,b/y");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "b"), 0.30, 1e-12);
    /* With cpus marked saturated, a and b/x hold only saturated resources:
     * every client is blocked, so the order falls back to shares, where b
     * counts nothing (cpus no longer count for internal nodes) and a keeps
     * its leaf share .20; inside b, b/y (0) before b/x (.30). */
    const char *cpus[] = {"cpus"};
    CU_ASSERT_EQUAL(hdrf_sorter_set_saturated(s, cpus, 1), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(fx_order(s), "b/y,b/x,a");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "b"), 0.0, 1e-12);
    char *dump = hdrf_sorter_dump(s);
    CU_ASSERT_PTR_NOT_NULL(dump && strstr(dump, "y weight=1 share=0.000000 wshare=0.000000 "
                                                "count=0 active blocked hdrf-blocked"));
    free(dump);
    hdrf_sorter_free(s);
}

static void test_hdrf_multi_resource_leaf(void)
{
    /* A leaf that holds two resources cannot grow once either is saturated
     * (its tasks need both). 100 cpus, 100 mem; n1 holds 30 cpus (.30);
     * n2/a 10 cpus and 10 mem (.10); n2/b 30 mem (.30). */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_HDRF);
    fx_agent(s, A, "cpus:100;mem:100");
    fx_add_active(s, "n1");
    fx_add_active(s, "n2/a");
    fx_add_active(s, "n2/b");
    fx_alloc(s, "n1", A, "cpus:30");
    fx_alloc(s, "n2/a", A, "cpus:10;mem:10");
    fx_alloc(s, "n2/b", A, "mem:30");
    /* Nothing saturated: M = .10 (n2/a), n2/b rescaled by 1/3 to mem .10;
     * n2 = cpus .10, mem .20: share .20 < n1's .30, so n2 goes first. */
    CU_ASSERT_STRING_EQUAL(fx_order(s), "n2/a,n2/b,n1");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "n2"), 0.20, 1e-12);
    /* mem saturated (the caller says so): both children of n2 hold mem and
     * are blocked, n2/a although its cpus are not saturated (were only a
     * leaf holding nothing but saturated resources blocked, n2/a would set
     * M = .10 and n2 would count .10 and still go first). n2 is blocked and
     * counts its children unscaled over cpus alone, .10; n1 is not blocked
     * and goes first. Inside n2 the blocked children go by share. */
    const char *mem[] = {"mem"};
    CU_ASSERT_EQUAL(hdrf_sorter_set_saturated(s, mem, 1), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(fx_order(s), "n1,n2/a,n2/b");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "n2"), 0.10, 1e-12);
    char *dump = hdrf_sorter_dump(s);
    CU_ASSERT_PTR_NOT_NULL(dump && strstr(dump, "a weight=1 share=0.100000 wshare=0.100000 "
                                                "count=1 active hdrf-blocked"));
    free(dump);
    hdrf_sorter_free(s);
}

static void test_hdrf_caller_saturation_decides(void)
{
    /* Until the caller says which resources are saturated, a fully
     * allocated one is; once it has (even "none"), its word alone decides:
     * an allocator counts outstanding offers as allocated, and knows what
     * is still allocatable. a (weight 4) holds all 10 cpus: share 1, .25
     * weighted; b holds 50 of 100 mem: .50. */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_HDRF);
    fx_agent(s, A, "cpus:10;mem:100");
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", 4), HDRF_OK);
    fx_alloc(s, "a", A, "cpus:10");
    fx_alloc(s, "b", A, "mem:50");
    /* cpus fully allocated: a is blocked and goes after b */
    CU_ASSERT_STRING_EQUAL(fx_order(s), "b,a");
    /* the caller says nothing is saturated: by weighted share, a first */
    CU_ASSERT_EQUAL(hdrf_sorter_set_saturated(s, NULL, 0), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(fx_order(s), "a,b");
    hdrf_sorter_free(s);
}

int suite_sorter_fairness(void)
{
    static const test_case cases[] = {
        {"DRF paper: 9 CPUs, 18 GB gives A 3 tasks, B 2", test_drf_paper_example},
        {"DRF paper, weights 2:1, Mesos tie-break", test_drf_paper_weighted},
        {"H-DRF vs nested DRF from empty: 5/10/5 vs 6/10/4", test_hdrf_starvation_from_empty},
        {"H-DRF vs nested DRF under churn: no starvation", test_hdrf_starvation_churn},
        {"H-DRF ignores blocked nodes and saturated resources", test_hdrf_blocked_nodes_ignored},
        {"H-DRF weighted tree", test_hdrf_weighted_tree},
        {"H-DRF caller-blocked clients and saturated names", test_hdrf_caller_blocking},
        {"H-DRF: a leaf holding a saturated resource is blocked", test_hdrf_multi_resource_leaf},
        {"H-DRF: the caller's saturation decides once given", test_hdrf_caller_saturation_decides},
        {NULL, NULL}};
    return test_add_suite("sorter_fairness", cases);
}
