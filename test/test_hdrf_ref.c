/* test_hdrf_ref.c: the fairness references of hdrf_ref.h, on examples worked
 * out by hand: the DRF paper's, H-DRF's starvation and blocking examples, and
 * weights. bench/hdrf_trees.c compares the simulator's steady states with
 * these references on random trees. */
#include <math.h>
#include <string.h>

#include "test/hdrf_ref.h"
#include "test/test.h"

#define CLOSE(x, want) (fabs((x) - (want)) < 1e-6)

/* Adds node `parent`'s child with `weight`; for a leaf, its task's demand. */
static size_t tree_add(ref_tree *t, int parent, double weight, const double *demand)
{
    size_t i = t->nnodes++;
    t->parent[i] = parent;
    t->weight[i] = weight;
    for (size_t r = 0; r < t->nres && demand; r++)
        t->demand[i][r] = demand[r];
    return i;
}

static void tree_start(ref_tree *t, size_t nres, const double *total)
{
    memset(t, 0, sizeof *t);
    t->nres = nres;
    memcpy(t->total, total, nres * sizeof *total);
    tree_add(t, -1, 1, NULL);
}

/* The DRF paper (Ghodsi et al., NSDI 2011, section 4): <9 CPU, 18 GB>, A's
 * tasks <1, 4>, B's <3, 1>. Equal dominant shares 4x/18 = 3y/9 and the CPUs
 * full, x + 3y = 9: x = 3 tasks of A, y = 2 of B; A holds 3/9 of the CPUs and
 * 12/18 of the memory, B 6/9 and 2/18. A flat tree is the same under both. */
static void test_ref_drf_paper(void)
{
    ref_tree t;
    tree_start(&t, 2, (double[]){9, 18});
    size_t a = tree_add(&t, 0, 1, (double[]){1, 4});
    size_t b = tree_add(&t, 0, 1, (double[]){3, 1});
    double h[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_hdrf(&t, h));
    /* Progressive filling in 1/64-task steps: within a step of the fluid. */
    CU_ASSERT_DOUBLE_EQUAL(h[a * 2 + 0], 3.0 / 9, 1.0 / 64);
    CU_ASSERT_DOUBLE_EQUAL(h[a * 2 + 1], 12.0 / 18, 4.0 / 64 / 18 * 4);
    CU_ASSERT_DOUBLE_EQUAL(h[b * 2 + 0], 6.0 / 9, 3.0 / 64 / 9 * 2);
    CU_ASSERT_DOUBLE_EQUAL(h[b * 2 + 1], 2.0 / 18, 1.0 / 64);
    double d[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_nested_drf(&t, 4, d));
    /* Whole tasks, in DRF order: A, B, A, B, A; then nothing fits. Each end
     * is refilled by the same leaf. */
    CU_ASSERT_TRUE(CLOSE(d[a * 2 + 0], 3.0 / 9) && CLOSE(d[a * 2 + 1], 12.0 / 18));
    CU_ASSERT_TRUE(CLOSE(d[b * 2 + 0], 6.0 / 9) && CLOSE(d[b * 2 + 1], 2.0 / 18));
}

/* H-DRF's starvation example (SoCC 2013, "naive H-DRF"): resources <CPU, X>,
 * n1 and n2 weight 1, n2's children a (tasks of CPU) and b (tasks of X), n1
 * tasks of X. Filling: n1 = n2 = s, a = b = s inside n2; X holds n1 + b = 2s
 * and saturates at s = 1/2; n1 and b block; a goes on to every CPU. Static
 * H-DRF: n1 1/2 of X, a all CPUs, b 1/2 of X. Nested DRF under churn: once a
 * holds every CPU, n2's share is 1, so every X that b frees goes to n1: b
 * starves (0) and n1 ends with all of X. */
static void test_ref_starvation(void)
{
    ref_tree t;
    tree_start(&t, 2, (double[]){10, 10});
    size_t n1 = tree_add(&t, 0, 1, (double[]){0, 1});
    size_t n2 = tree_add(&t, 0, 1, NULL);
    size_t a = tree_add(&t, (int)n2, 1, (double[]){1, 0});
    size_t b = tree_add(&t, (int)n2, 1, (double[]){0, 1});
    double h[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_hdrf(&t, h));
    CU_ASSERT_DOUBLE_EQUAL(h[n1 * 2 + 1], 0.5, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[b * 2 + 1], 0.5, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[a * 2 + 0], 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(h[n2 * 2 + 0], 0, 1e-9); /* internal nodes: 0 */
    double d[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_nested_drf(&t, 4, d));
    CU_ASSERT_DOUBLE_EQUAL(d[n1 * 2 + 1], 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d[b * 2 + 1], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d[a * 2 + 0], 1.0, 1e-9);
}

/* H-DRF's blocking example (SoCC 2013): n1, n2 tasks of CPU; n3 with n3,1
 * (CPU) and n3,2 (GPU); n4 GPU. All grow alike to s: CPU holds n1 + n2 + n3,1
 * = 3s and saturates at 1/3, blocking n1, n2 and n3,1; n3's share over the
 * unsaturated GPU is then n3,2's, equal to n4's: they share the GPUs, 1/2
 * each. */
static void test_ref_blocking(void)
{
    ref_tree t;
    tree_start(&t, 2, (double[]){30, 30});
    size_t n1 = tree_add(&t, 0, 1, (double[]){1, 0});
    size_t n2 = tree_add(&t, 0, 1, (double[]){1, 0});
    size_t n3 = tree_add(&t, 0, 1, NULL);
    size_t n4 = tree_add(&t, 0, 1, (double[]){0, 1});
    size_t n31 = tree_add(&t, (int)n3, 1, (double[]){1, 0});
    size_t n32 = tree_add(&t, (int)n3, 1, (double[]){0, 1});
    double h[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_hdrf(&t, h));
    CU_ASSERT_DOUBLE_EQUAL(h[n1 * 2 + 0], 1.0 / 3, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[n2 * 2 + 0], 1.0 / 3, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[n31 * 2 + 0], 1.0 / 3, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[n32 * 2 + 1], 0.5, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[n4 * 2 + 1], 0.5, 0.01);
}

/* Weights divide a node's share among its siblings: a (weight 2) and b
 * (weight 1) both of CPU tasks: a/2 = b and a + b = 1, a = 2/3. */
static void test_ref_weights(void)
{
    ref_tree t;
    tree_start(&t, 1, (double[]){30});
    size_t a = tree_add(&t, 0, 2, (double[]){1});
    size_t b = tree_add(&t, 0, 1, (double[]){1});
    double h[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_hdrf(&t, h));
    CU_ASSERT_DOUBLE_EQUAL(h[a], 2.0 / 3, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(h[b], 1.0 / 3, 0.01);
    double d[REF_MAX_NODES * REF_MAX_RES];
    REQUIRE_TRUE(ref_nested_drf(&t, 4, d));
    CU_ASSERT_DOUBLE_EQUAL(d[a], 20.0 / 30, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d[b], 10.0 / 30, 1e-9);
}

int suite_hdrf_ref(void)
{
    static const test_case cases[] = {
        {"the DRF paper's example", test_ref_drf_paper},
        {"H-DRF's starvation example", test_ref_starvation},
        {"H-DRF's blocking example", test_ref_blocking},
        {"weights", test_ref_weights},
        {NULL, NULL},
    };
    return test_add_suite("hdrf_ref", cases);
}
