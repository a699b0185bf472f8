/* test_sorter_random.c: the weighted random ordering (Mesos's random sorter).
 *
 * Expected frequencies are computed exactly, independently of the sorter:
 * sampling without replacement with weights w gives a permutation p the
 * probability prod_i w[p_i] / (sum of the weights not yet drawn); summing
 * over all permutations gives P(client at position k). A leaf's weight is
 * the product down its path of its weight relative to its active siblings
 * (Mesos's RandomSorter). With N = 10,000 draws a frequency's standard
 * deviation is at most sqrt(0.25 / N) = 0.005; the tolerance of 0.02 is four
 * of them, so a correct sampler fails a cell with probability ~6e-5 for an
 * arbitrary seed (and, the seed being fixed, the test is repeatable). */
#include <math.h>
#include <string.h>

#include "test/sorter_fixture.h"
#include "test/test.h"

#define DRAWS 10000
#define TOLERANCE 0.02
#define MAXN 5

/* prob[i][k] += P(client i at position k), over all permutations. */
static void exact_positions(const double *w, int n, double prob[MAXN][MAXN])
{
    int perm[MAXN], used[MAXN] = {0};
    memset(prob, 0, sizeof(double) * MAXN * MAXN);
    /* iterative depth-first enumeration of permutations */
    int depth = 0;
    perm[0] = -1;
    while (depth >= 0) {
        int next = perm[depth] + 1;
        if (perm[depth] >= 0)
            used[perm[depth]] = 0;
        while (next < n && used[next])
            next++;
        if (next == n) {
            depth--;
            continue;
        }
        perm[depth] = next;
        used[next] = 1;
        if (depth + 1 < n) {
            perm[++depth] = -1;
            continue;
        }
        double p = 1.0, left = 0.0;
        for (int i = 0; i < n; i++)
            left += w[i];
        for (int k = 0; k < n; k++) {
            p *= w[perm[k]] / left;
            left -= w[perm[k]];
        }
        for (int k = 0; k < n; k++)
            prob[perm[k]][k] += p;
    }
}

static int index_of(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* Mesos's tables (sorter_tests.cpp): P(client i at position k), rounded to
 * two decimals from a long run of its weighted shuffle. */
static const double mesos_flat[MAXN][MAXN] = {{0.07, 0.08, 0.12, 0.20, 0.54},
                                              {0.13, 0.16, 0.20, 0.28, 0.23},
                                              {0.20, 0.22, 0.24, 0.22, 0.12},
                                              {0.27, 0.26, 0.23, 0.17, 0.07},
                                              {0.33, 0.28, 0.21, 0.13, 0.04}};
static const double mesos_hierarchical[MAXN][MAXN] = {{0.11, 0.15, 0.23, 0.51},
                                                      {0.22, 0.27, 0.30, 0.21},
                                                      {0.22, 0.27, 0.30, 0.21},
                                                      {0.44, 0.31, 0.18, 0.07}};
/* Mesos's own bound on |table - observed frequency|. */
#define MESOS_TOLERANCE 0.05

/* Draws DRAWS orders and compares position frequencies with the exact ones
 * and, given Mesos's table for the case (or NULL), with it: the exact
 * probabilities agree with the table to its rounding (0.005, plus a little
 * for Mesos's own sampling), and the frequencies are within Mesos's 0.05. */
static void check_distribution(hdrf_sorter *s, const char *const *names, const double *w, int n,
                               const double (*mesos)[MAXN])
{
    double want[MAXN][MAXN], seen[MAXN][MAXN] = {{0}};
    exact_positions(w, n, want);
    for (int i = 0; mesos && i < n; i++)
        for (int k = 0; k < n; k++)
            CU_ASSERT_DOUBLE_EQUAL(want[i][k], mesos[i][k], 0.006);
    for (int d = 0; d < DRAWS; d++) {
        const char *const *order;
        CU_ASSERT_EQUAL_FATAL(hdrf_sorter_sort(s, &order), n);
        for (int k = 0; k < n; k++) {
            int i = index_of(names, n, order[k]);
            CU_ASSERT_FATAL(i >= 0);
            seen[i][k] += 1.0 / DRAWS;
        }
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            CU_ASSERT_DOUBLE_EQUAL(seen[i][k], want[i][k], TOLERANCE);
            if (mesos)
                CU_ASSERT_DOUBLE_EQUAL(seen[i][k], mesos[i][k], MESOS_TOLERANCE);
        }
}

static void test_flat_weights(void)
{
    /* RandomSorterTest.ProbabilityDistribution (and WeightedShuffleTest's,
     * the same table): clients 0..4 weigh 1..5; first place goes to client
     * i with probability (i+1)/15. */
    static const char *const names[] = {"0", "1", "2", "3", "4"};
    const double w[] = {1, 2, 3, 4, 5};
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_RANDOM);
    for (int i = 0; i < 5; i++) {
        fx_add_active(s, names[i]);
        CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, names[i], w[i]), HDRF_OK);
    }
    double want[MAXN][MAXN];
    exact_positions(w, 5, want);
    CU_ASSERT_DOUBLE_EQUAL(want[4][0], 5.0 / 15, 1e-12); /* the enumeration itself */
    check_distribution(s, names, w, 5, mesos_flat);
    hdrf_sorter_free(s);
}

static void test_hierarchical_weights(void)
{
    /* RandomSorterTest.HierarchicalProbabilityDistribution: a, a/b, c/d,
     * c/e with weights a=1, a/b=2, c=2, c/d=1, c/e=2. a and c split 1:2;
     * inside a, a/. (weight 1) and a/b 1:2; inside c, c/d and c/e 1:2. So
     * a = 1/9, a/b = 2/9, c/d = 2/9, c/e = 4/9, drawn as one flat sample. */
    static const char *const names[] = {"a", "a/b", "c/d", "c/e"};
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_RANDOM);
    for (int i = 0; i < 4; i++)
        fx_add_active(s, names[i]);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", 1), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a/b", 2), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "c", 2), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "c/d", 1), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "c/e", 2), HDRF_OK);
    const double w[] = {1.0 / 9, 2.0 / 9, 2.0 / 9, 4.0 / 9};
    check_distribution(s, names, w, 4, mesos_hierarchical);

    /* Inactive clients do not count as siblings: without c/e, c/d carries
     * all of c's 2/3. */
    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "c/e"), HDRF_OK);
    const double w3[] = {1.0 / 9, 2.0 / 9, 6.0 / 9};
    check_distribution(s, names, w3, 3, NULL);
    hdrf_sorter_free(s);
}

static void test_seeded_repeatable(void)
{
    static const char *const names[] = {"a", "b", "c", "d/e", "d/f"};
    hdrf_sorter_options o = {HDRF_ORDER_RANDOM, 7, NULL, 0};
    hdrf_sorter *s[3];
    for (int k = 0; k < 3; k++) {
        o.seed = k < 2 ? 7 : 8;
        CU_ASSERT_EQUAL_FATAL(hdrf_sorter_new(&o, &s[k]), HDRF_OK);
        for (int i = 0; i < 5; i++)
            fx_add_active(s[k], names[i]);
    }
    int same = 0, differs = 0;
    for (int d = 0; d < 100; d++) {
        char first[128];
        strcpy(first, fx_order(s[0]));
        same += strcmp(first, fx_order(s[1])) == 0;
        differs += strcmp(first, fx_order(s[2])) != 0;
    }
    CU_ASSERT_EQUAL(same, 100);
    /* another seed: 120 orders, so nearly every draw differs */
    CU_ASSERT_TRUE(differs > 50);
    for (int k = 0; k < 3; k++)
        hdrf_sorter_free(s[k]);
}

static bool count_visit(void *arg, const char *client, void *data)
{
    (void)client;
    (void)data;
    ++*(int *)arg;
    return true;
}

/* A random sorter with no client (a role whose frameworks all left) sorts
 * and walks to nothing; it once handed qsort() a NULL array. */
static void test_empty(void)
{
    hdrf_sorter_options o = {HDRF_ORDER_RANDOM, 7, NULL, 0};
    hdrf_sorter *s;
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_new(&o, &s), HDRF_OK);
    const char *const *order = NULL;
    CU_ASSERT_EQUAL(hdrf_sorter_sort(s, &order), 0);
    int visited = 0;
    CU_ASSERT_EQUAL(hdrf_sorter_walk(s, count_visit, &visited), HDRF_OK);
    CU_ASSERT_EQUAL(visited, 0);
    hdrf_sorter_free(s);
}

int suite_sorter_random(void)
{
    static const test_case cases[] = {
        {"flat weights 1..5: exact position frequencies", test_flat_weights},
        {"nested weights: product of relative weights", test_hierarchical_weights},
        {"same seed, same orders", test_seeded_repeatable},
        {"no clients: an empty order", test_empty},
        {NULL, NULL}};
    return test_add_suite("sorter_random", cases);
}
