/* test_sorter.c: the DRF ordering against Mesos 1.11's DRF sorter.
 *
 * Each test replays a scenario of Mesos's own DRF sorter tests
 * (DRFSorterTest in src/tests/sorter_tests.cpp at tag 1.11.0) with the order
 * Mesos expects; the shares quoted in the comments are worked out by hand
 * from the allocations and totals. The tests Mesos types over both its
 * sorters (CommonSorterTest) are in test_sorter_common.c, run once per
 * ordering; RemoveLeafCollapseParent is also here, with the orders DRF
 * gives. Plus the API's error contract and the gpus fairness exclusion
 * (Mesos's DominantShareMetricsWithFairnessExclusion). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/sorter_fixture.h"
#include "test/test.h"

#define A FX_AGENT
#define EXPECT(s, want) CU_ASSERT_STRING_EQUAL(fx_order(s), want)
#define AL(s, c, text) fx_alloc(s, c, A, text)
#define UNAL(s, c, text) fx_unalloc(s, c, A, text)
/* add, activate and allocate: most of Mesos's steps */
#define ADD(s, c, text) (fx_add_active(s, c), AL(s, c, text))

static void set_total(hdrf_sorter *s, const char *total)
{
    fx_remove_agent(s, A);
    fx_agent(s, A, total);
}

/* sorter_tests.cpp: DRFSorterTest.DRF, with the client names given by
 * `names` (a..f, or nested paths for the Shallow/Deep variants). */
static void drf_script(const char *const names[6])
{
    const char *a = names[0], *b = names[1], *c = names[2], *d = names[3], *e = names[4],
               *f = names[5];
    char want[512];
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    EXPECT(s, "");

    fx_add_active(s, a);
    AL(s, a, "cpus:5;mem:5");
    fx_add_active(s, b);
    AL(s, b, "cpus:6;mem:6");
    snprintf(want, sizeof want, "%s,%s", a, b); /* .05 < .06 */
    EXPECT(s, want);

    fx_add_active(s, c);
    AL(s, c, "cpus:1;mem:1");
    fx_add_active(s, d);
    AL(s, d, "cpus:3;mem:1");
    snprintf(want, sizeof want, "%s,%s,%s,%s", c, d, a, b); /* .01 .03 .05 .06 */
    EXPECT(s, want);

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, a), HDRF_OK);
    UNAL(s, b, "cpus:4;mem:4");
    snprintf(want, sizeof want, "%s,%s,%s", c, b, d); /* .01 .02 .03 */
    EXPECT(s, want);

    fx_add_active(s, e);
    AL(s, e, "cpus:1;mem:5");
    set_total(s, "cpus:50;mem:100");
    snprintf(want, sizeof want, "%s,%s,%s,%s", c, b, e, d); /* .02 .04 .05 .06 */
    EXPECT(s, want);

    set_total(s, "cpus:50;mem:200");
    fx_add_active(s, f);
    AL(s, f, "cpus:5;mem:1");
    AL(s, c, "cpus:0;mem:15");
    /* e .025, b .04, d .06, c .08, f .1 */
    snprintf(want, sizeof want, "%s,%s,%s,%s,%s", e, b, d, c, f);
    EXPECT(s, want);

    CU_ASSERT_TRUE(hdrf_sorter_contains(s, b));
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, a));
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 5);

    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, d), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, d));
    snprintf(want, sizeof want, "%s,%s,%s,%s", e, b, c, f);
    EXPECT(s, want);
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 5);

    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, d), HDRF_OK);
    snprintf(want, sizeof want, "%s,%s,%s,%s,%s", e, b, d, c, f);
    EXPECT(s, want);
    hdrf_sorter_free(s);
}

static void test_drf(void)
{
    static const char *const flat[6] = {"a", "b", "c", "d", "e", "f"};
    drf_script(flat);
}

static void test_shallow_hierarchy(void)
{
    static const char *const shallow[6] = {"a/a", "b/b", "c/c", "d/d", "e/e", "f/f"};
    drf_script(shallow);
}

static void test_deep_hierarchy(void)
{
    static const char *const deep[6] = {"a/a/a/a/a", "b/b/b/b",     "c/c/c",
                                        "d/d",       "e/e/e/e/e/e", "f/f"};
    drf_script(deep);
}

static void test_weighted_drf(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "a", "cpus:5;mem:5");
    fx_add_active(s, "b");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "b", 2), HDRF_OK);
    AL(s, "b", "cpus:6;mem:6");
    EXPECT(s, "b,a"); /* .06/2 = .03 < .05 */

    ADD(s, "c", "cpus:4;mem:4");
    EXPECT(s, "b,c,a");

    fx_add_active(s, "d");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "d", 10), HDRF_OK);
    AL(s, "d", "cpus:10;mem:20");
    EXPECT(s, "d,b,c,a"); /* .2/10 = .02 */

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "b"), HDRF_OK);
    EXPECT(s, "d,c,a");

    AL(s, "d", "cpus:10;mem:25"); /* .45/10 = .045 */
    EXPECT(s, "c,d,a");

    fx_add_active(s, "e");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "e", 0.1), HDRF_OK);
    AL(s, "e", "cpus:1;mem:1"); /* .01/.1 = .1 */
    EXPECT(s, "c,d,a,e");

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a"), HDRF_OK);
    EXPECT(s, "c,d,e");
    hdrf_sorter_free(s);
}

static void test_update_weight(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "a", "cpus:5;mem:5");
    ADD(s, "b", "cpus:6;mem:6");
    EXPECT(s, "a,b");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "b", 2), HDRF_OK);
    EXPECT(s, "b,a");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_weight(s, "b"), 2.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_weighted_share(s, "b"), 0.03, 1e-12);
    hdrf_sorter_free(s);
}

static void test_allocation_count_tie_break(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    const char *names[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(hdrf_sorter_add(s, names[i]), HDRF_OK);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(hdrf_sorter_activate(s, names[i]), HDRF_OK);
    AL(s, "a", "cpus:3;mem:3");
    AL(s, "b", "cpus:3;mem:3");
    for (int i = 0; i < 3; i++)
        AL(s, "c", "cpus:1;mem:1");
    AL(s, "d", "cpus:2;mem:2");
    AL(s, "d", "cpus:1;mem:1");
    AL(s, "e", "cpus:3;mem:3");
    /* all at .03; counts a,b,e 1, d 2, c 3 */
    EXPECT(s, "a,b,e,d,c");
    CU_ASSERT_EQUAL(hdrf_sorter_allocation_count(s, "c"), 3);

    UNAL(s, "c", "cpus:3;mem:3");
    EXPECT(s, "c,a,b,e,d"); /* c at 0; its count stays 3 */
    AL(s, "c", "cpus:3;mem:3");
    EXPECT(s, "a,b,e,d,c"); /* count 4 */

    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "c"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "c"), HDRF_OK);
    EXPECT(s, "a,b,e,d,c");
    UNAL(s, "c", "cpus:3;mem:3");
    AL(s, "c", "cpus:3;mem:3");
    EXPECT(s, "a,b,e,d,c"); /* count 5 */

    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "a"), HDRF_OK);
    UNAL(s, "a", "cpus:1;mem:3");
    AL(s, "a", "cpus:1;mem:3"); /* counts while inactive: 2 */
    EXPECT(s, "b,e,d,c");
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "a"), HDRF_OK);
    EXPECT(s, "b,e,a,d,c"); /* a and d both 2: by path */
    hdrf_sorter_free(s);
}

static void test_hierarchical_allocation(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "b/c"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "b/d"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "b/c"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "b/d"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 3);
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "a"));
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, "b"));
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "b/c"));
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "b/d"));
    EXPECT(s, "a,b/c,b/d");

    AL(s, "a", "cpus:6;mem:6");
    EXPECT(s, "b/c,b/d,a");
    AL(s, "b/c", "cpus:4;mem:4");
    AL(s, "b/d", "cpus:3;mem:3");
    EXPECT(s, "a,b/d,b/c"); /* b .07 > a .06 */

    /* each client's allocation on the agent, and its quantities */
    CU_ASSERT_TRUE(fx_holds_text(s, "a", A, "cpus:6;mem:6"));
    CU_ASSERT_TRUE(fx_holds_text(s, "b/c", A, "cpus:4;mem:4"));
    CU_ASSERT_TRUE(fx_holds_text(s, "b/d", A, "cpus:3;mem:3"));
    CU_ASSERT_TRUE(fx_quantities_are(s, "a", "cpus:6;mem:6"));
    CU_ASSERT_TRUE(fx_quantities_are(s, "b/c", "cpus:4;mem:4"));
    CU_ASSERT_TRUE(fx_quantities_are(s, "b/d", "cpus:3;mem:3"));
    CU_ASSERT_TRUE(fx_quantities_are(s, NULL, "cpus:13;mem:13"));
    CU_ASSERT_EQUAL(fx_allocated(s, "b", "mem"), 7000); /* the internal node: hdrf's */

    AL(s, "a", "cpus:2;mem:2"); /* a .08 */
    EXPECT(s, "b/d,b/c,a");

    fx_add_active(s, "b/e/f");
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, "b/e"));
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "b/e/f"));
    EXPECT(s, "b/e/f,b/d,b/c,a");
    AL(s, "b/e/f", "cpus:3.5;mem:3.5"); /* b .105 */
    EXPECT(s, "a,b/d,b/e/f,b/c");

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "b/e/f"), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, "b/e/f"));
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 3);
    CU_ASSERT_EQUAL(hdrf_sorter_allocation_count(s, "b/e"), 0); /* gone with its leaf */
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "b/e"), -1.0, 0);
    EXPECT(s, "b/d,b/c,a");

    fx_update(s, "b/c", A, "cpus:4;mem:4", "cpus:1;mem:1");
    EXPECT(s, "b/c,b/d,a");

    ADD(s, "b/e/f", "cpus:3.5;mem:3.5"); /* b .075 < a .08 */
    EXPECT(s, "b/c,b/d,b/e/f,a");
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 4);
    hdrf_sorter_free(s);
}

static void test_hierarchical_iteration_order(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    fx_add_active(s, "a/b");
    fx_add_active(s, "c");
    fx_add_active(s, "d");
    fx_add_active(s, "d/e");
    EXPECT(s, "a/b,c,d,d/e"); /* "d/." sorts before "d/e" */
    AL(s, "c", "cpus:8;mem:8");
    EXPECT(s, "a/b,d,d/e,c");
    AL(s, "d", "cpus:3;mem:3");
    AL(s, "d/e", "cpus:2;mem:2");
    EXPECT(s, "a/b,d/e,d,c");
    AL(s, "a/b", "cpus:6;mem:6");
    EXPECT(s, "d/e,d,a/b,c");
    hdrf_sorter_free(s);
}

static void test_add_child_to_leaf(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "a", "cpus:10;mem:10");
    ADD(s, "b", "cpus:6;mem:6");
    EXPECT(s, "b,a");

    ADD(s, "a/c", "cpus:5;mem:5"); /* subtree a .15 */
    EXPECT(s, "b,a/c,a");
    /* the client a keeps what it held, in its virtual leaf */
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "cpus"), 10000);
    CU_ASSERT_EQUAL(hdrf_sorter_allocation_count(s, "a"), 1);

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a"), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, "a"));
    EXPECT(s, "a/c,b");

    ADD(s, "a", "cpus:10;mem:10");
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "a"));
    EXPECT(s, "b,a/c,a");

    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a/c", 0.2), HDRF_OK);
    EXPECT(s, "b,a,a/c"); /* a/c .05/.2 = .25 > a/. .10 */
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", 3), HDRF_OK);
    EXPECT(s, "a,a/c,b"); /* subtree .15/3 = .05 < b .06 */
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a/c", 1), HDRF_OK);
    EXPECT(s, "a/c,a,b");
    hdrf_sorter_free(s);
}

static void test_add_child_to_internal(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "x/a", "cpus:10;mem:10");
    ADD(s, "x/b", "cpus:6;mem:6");
    EXPECT(s, "x/b,x/a");
    ADD(s, "x", "cpus:7;mem:7");
    EXPECT(s, "x/b,x,x/a");
    ADD(s, "z", "cpus:20;mem:20"); /* x subtree .23 > .20 */
    EXPECT(s, "z,x/b,x,x/a");
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "x"), HDRF_OK);
    EXPECT(s, "x/b,x/a,z");
    hdrf_sorter_free(s);
}

static void test_add_child_to_inactive_leaf(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "a", "cpus:10;mem:10");
    ADD(s, "b", "cpus:6;mem:6");
    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "a"), HDRF_OK);
    EXPECT(s, "b");
    ADD(s, "a/c", "cpus:5;mem:5");
    EXPECT(s, "b,a/c");
    CU_ASSERT_FALSE(hdrf_sorter_is_active(s, "a"));
    hdrf_sorter_free(s);
}

static void test_remove_leaf_collapses_parent(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    ADD(s, "a", "cpus:10;mem:10");
    ADD(s, "b", "cpus:6;mem:6");
    ADD(s, "a/c", "cpus:5;mem:5");
    EXPECT(s, "b,a/c,a");
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a/c"), HDRF_OK);
    EXPECT(s, "b,a");
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "cpus"), 10000);

    /* Inactive variant: a folds back into an inactive leaf. */
    ADD(s, "a/c", "cpus:5;mem:5");
    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "a"), HDRF_OK);
    EXPECT(s, "b,a/c");
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a/c"), HDRF_OK);
    EXPECT(s, "b");
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "a"));
    CU_ASSERT_FALSE(hdrf_sorter_is_active(s, "a"));
    hdrf_sorter_free(s);
}

static void test_change_weight_on_subtree(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:100;mem:100");
    /* weights set before the nodes exist */
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "b", 3), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", 2), HDRF_OK);
    fx_add_active(s, "a/x");
    fx_add_active(s, "b/y");
    EXPECT(s, "a/x,b/y");
    AL(s, "a/x", "cpus:10;mem:10");
    AL(s, "b/y", "cpus:10;mem:10");
    EXPECT(s, "b/y,a/x"); /* b .1/3 < a .1/2 */
    ADD(s, "b/z", "cpus:5;mem:5");
    /* (15/100)/3 = 0.049999... < (10/100)/2 = 0.05: Mesos's float order */
    EXPECT(s, "b/z,b/y,a/x");
    ADD(s, "b", "cpus:4;mem:4"); /* b .19/3 = .0633 */
    EXPECT(s, "a/x,b,b/z,b/y");
    ADD(s, "a/zz", "cpus:2;mem:2"); /* a .12/2 = .06 */
    EXPECT(s, "a/zz,a/x,b,b/z,b/y");
    hdrf_sorter_free(s);
}

/* ---- shares: split resources, totals, revocable, shared ------------------------------ */

/* A disk of `size` reserved to role1 (statically), as Mesos's
 * "disk(role1):size"; and a persistent volume `id` on it (container path
 * path1), shared or not: Mesos's createDiskResource(size, "role1", id,
 * "path1", None(), shared). */
#define RESERVED_DISK(size)                                                                        \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" size "},"                      \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"role1\"}]}"
#define VOLUME(size, id, shared)                                                                   \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" size "},"                      \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"role1\"}],"                                 \
    "\"disk\":{\"persistence\":{\"id\":\"" id "\"},"                                               \
    "\"volume\":{\"container_path\":\"path1\",\"mode\":\"RW\"}}" shared "}"
#define SCALAR(name, v) "{\"name\":\"" name "\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" v "}}"

static void test_split_resource_shares(void)
{
    /* Two unreserved volumes of 5 with one id (Mesos's disk1 and disk2:
     * persistence ID2, container path "data") stay two items: b's disk is
     * 10, not 5, and b's share .10 is above a's .09. */
#define SPLIT_DISK                                                                                 \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":5},"                             \
    "\"disk\":{\"persistence\":{\"id\":\"ID2\"},"                                                  \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}}}"
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    fx_agent(s, A, "cpus:100;mem:100;disk:100");
    AL(s, "a", "cpus:9;mem:9;disk:9"); /* .09 */
    AL(s, "b",
       "[" SCALAR("cpus", "9") "," SCALAR("mem", "9") "," SPLIT_DISK "," SPLIT_DISK
                                                      "]"); /* disk 10: .10 */
    EXPECT(s, "a,b");
    CU_ASSERT_EQUAL(fx_allocated(s, "b", "disk"), 10000);
    hdrf_sorter_free(s);
#undef SPLIT_DISK
}

/* UpdateTotal: a new total for the one agent re-orders. */
static void test_update_total(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    fx_agent(s, A, "cpus:10;mem:100");
    AL(s, "a", "cpus:2;mem:1"); /* .2 (cpus) */
    AL(s, "b", "cpus:1;mem:2"); /* .1 (cpus) */
    EXPECT(s, "b,a");
    set_total(s, "cpus:100;mem:10"); /* a .1 (mem), b .2 (mem) */
    EXPECT(s, "a,b");
    hdrf_sorter_free(s);
}

/* MultipleSlavesUpdateTotal: the same with two agents, one re-added. */
static void test_multiple_slaves_update_total(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    fx_agent(s, "agentA", "cpus:5;mem:50");
    fx_agent(s, "agentB", "cpus:5;mem:50");
    fx_alloc(s, "a", "agentA", "cpus:2;mem:1"); /* .2 */
    fx_alloc(s, "b", "agentB", "cpus:1;mem:3"); /* .1 */
    EXPECT(s, "b,a");
    fx_remove_agent(s, "agentA");
    fx_agent(s, "agentA", "cpus:95;mem:50"); /* a .02 (cpus), b .03 (mem) */
    EXPECT(s, "a,b");
    hdrf_sorter_free(s);
}

static void test_remove_resources(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    fx_agent(s, A, "cpus:10");
    AL(s, "a", "cpus:6"); /* .6 */
    AL(s, "b", "cpus:4"); /* .4 */
    EXPECT(s, "b,a");
    set_total(s, "cpus:5");
    fx_update(s, "a", A, "cpus:6", "cpus:1"); /* a .2, b .8 */
    EXPECT(s, "a,b");
    hdrf_sorter_free(s);
}

static void test_revocable_resources(void)
{
    /* Revocable cpus count as cpus, in the totals and in allocations. */
#define REVOCABLE_CPUS(v)                                                                          \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" v "},\"revocable\":{}}"
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    fx_agent(s, A, "[" SCALAR("cpus", "10") "," SCALAR("mem", "100") "," REVOCABLE_CPUS("10") "]");
    const char *a = "cpus:2;mem:1"; /* .1 */
    const char *b =
        "[" SCALAR("cpus", "1") "," SCALAR("mem", "1") "," REVOCABLE_CPUS("9") "]"; /* 10/20 = .5 */
    AL(s, "a", a);
    AL(s, "b", b);
    CU_ASSERT_TRUE(fx_holds_text(s, "a", A, a));
    CU_ASSERT_TRUE(fx_holds_text(s, "b", A, b));
    EXPECT(s, "a,b");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "b"), 0.5, 1e-12);
    hdrf_sorter_free(s);
#undef REVOCABLE_CPUS
}

#define SHARED ",\"shared\":{}"
#define SHARED_100 VOLUME("100", "id1", SHARED)

static void test_shared_resources(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A,
             "[" SCALAR("cpus", "100") "," SCALAR("mem", "100") "," RESERVED_DISK(
                 "900") "," SHARED_100 "]");
    ADD(s, "a", "[" SCALAR("cpus", "5") "," SCALAR("mem", "5") "," SHARED_100 "]");
    ADD(s, "b", "cpus:6;mem:6");
    EXPECT(s, "b,a"); /* a .1 (disk), b .06 */
    ADD(s, "c", "[" SCALAR("cpus", "1") "," SCALAR("mem", "1") "," SHARED_100 "]");
    EXPECT(s, "b,a,c"); /* c .1 too */
    /* the root holds the shared volume once: 100 of disk, not 200 */
    CU_ASSERT_EQUAL(fx_allocated(s, NULL, "disk"), 100000);

    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(fx_allocated(s, NULL, "disk"), 100000); /* c still holds it */
    UNAL(s, "b", "cpus:4;mem:4");
    EXPECT(s, "b,c"); /* b .02, c .1 */
    ADD(s, "d", "[" SCALAR("cpus", "1") "," SCALAR("mem", "5") "," SHARED_100 "]");
    EXPECT(s, "b,c,d");
    CU_ASSERT_TRUE(hdrf_sorter_contains(s, "b"));
    CU_ASSERT_FALSE(hdrf_sorter_contains(s, "a"));
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 3);
    hdrf_sorter_free(s);
}

static void test_same_dominant_shared_across_clients(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A,
             "[" SCALAR("cpus", "100") "," SCALAR("mem", "100") "," RESERVED_DISK("100") "," VOLUME(
                 "900", "id1", SHARED) "]");
    fx_add_active(s, "b");
    AL(s, "b",
       "[" SCALAR("cpus", "5") "," SCALAR("mem", "20") "," VOLUME("900", "id1", SHARED) "]");
    fx_add_active(s, "c");
    AL(s, "c",
       "[" SCALAR("cpus", "10") "," SCALAR("mem", "6") "," VOLUME("900", "id1", SHARED) "]");
    EXPECT(s, "b,c"); /* both .9 */
    ADD(s, "a",
        "[" SCALAR("cpus", "50") "," SCALAR("mem", "40") "," VOLUME("900", "id1", SHARED) "]");
    EXPECT(s, "a,b,c");
    hdrf_sorter_free(s);
}

/* The shared-volume scenario above on a sorter without per-agent holdings
 * (hdrf_sorter_set_track_agents), in lockstep with one that has them: a
 * shared volume still counts once per agent, in every node, as copies come
 * and go and clients leave; releasing more than a client's totals cover is
 * refused; the per-agent queries answer nothing. */
static void both(hdrf_sorter **s, const char *op, const char *client, const char *text)
{
    for (int i = 0; i < 2; i++) {
        hdrf_resources *r = text ? fx_res(text) : NULL;
        int rc = op[0] == 'a'   ? hdrf_sorter_allocated(s[i], client, A, r)
                 : op[0] == 'u' ? hdrf_sorter_unallocated(s[i], client, A, r)
                                : hdrf_sorter_remove(s[i], client);
        CU_ASSERT_EQUAL(rc, HDRF_OK);
        hdrf_resources_free(r);
    }
    char *x = hdrf_sorter_dump(s[0]), *y = hdrf_sorter_dump(s[1]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    CU_ASSERT_STRING_EQUAL(x, y);
    free(x);
    free(y);
    CU_ASSERT_EQUAL(fx_allocated(s[0], NULL, "disk"), fx_allocated(s[1], NULL, "disk"));
}

static void test_totals_only_shared(void)
{
    hdrf_sorter *s[2] = {fx_sorter(HDRF_ORDER_DRF), fx_sorter(HDRF_ORDER_DRF)};
    CU_ASSERT_EQUAL(hdrf_sorter_set_track_agents(s[1], false), HDRF_OK);
    const char *vol = "[" VOLUME("100", "id1", SHARED) "]";
    const char *two = "[" VOLUME("100", "id1", SHARED) "," VOLUME("100", "id1", SHARED) "]";
    for (int i = 0; i < 2; i++) {
        fx_agent(s[i], A,
                 "[" SCALAR("cpus", "100") "," SCALAR("mem", "100") "," VOLUME(
                     "900", "plain", "") "," VOLUME("100", "id1", SHARED) "]");
        fx_add_active(s[i], "a");
        fx_add_active(s[i], "b");
        fx_add_active(s[i], "x/c");
        fx_add_active(s[i], "x/d");
    }
    CU_ASSERT_EQUAL(hdrf_sorter_set_track_agents(s[1], true), HDRF_EINVAL); /* has clients */
    both(s, "alloc", "a",
         "[" SCALAR("cpus", "5") "," SCALAR("mem", "5") "," VOLUME("100", "id1", SHARED) "]");
    both(s, "alloc", "b", "cpus:6;mem:6");
    both(s, "alloc", "x/c", "[" SCALAR("cpus", "1") "," VOLUME("100", "id1", SHARED) "]");
    both(s, "alloc", "x/d", two);
    CU_ASSERT_EQUAL(fx_allocated(s[1], NULL, "disk"), 100000);
    CU_ASSERT_EQUAL(fx_allocated(s[1], "x", "disk"), 100000);
    both(s, "unalloc", "x/d", vol);
    both(s, "remove", "x/c", NULL);
    CU_ASSERT_EQUAL(fx_allocated(s[1], "x", "disk"), 100000); /* x/d keeps one copy */
    both(s, "unalloc", "x/d", vol);
    CU_ASSERT_EQUAL(fx_allocated(s[1], "x/d", "disk"), 0);
    both(s, "alloc", "x/d", vol);
    both(s, "remove", "a", NULL);
    both(s, "unalloc", "b", "cpus:4;mem:4");
    /* more than the totals hold, or a shared volume not held: refused */
    hdrf_resources *much = fx_res("cpus:3"), *v = fx_res(vol);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s[1], "b", A, much), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s[1], "b", A, v), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s[1], "x/d", "agent2", v), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_update(s[1], "b", A, much, v), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(fx_allocated(s[1], "b", "cpus"), 2000);
    CU_ASSERT_PTR_NULL(hdrf_sorter_allocation(s[1], "b", A));
    CU_ASSERT_PTR_NOT_NULL(hdrf_sorter_allocation(s[0], "b", A));
    hdrf_resources_free(much);
    hdrf_resources_free(v);
    both(s, "remove", "x/d", NULL);
    CU_ASSERT_EQUAL(fx_allocated(s[1], NULL, "disk"), 0);
    hdrf_sorter_free(s[0]);
    hdrf_sorter_free(s[1]);
}

static void test_same_shared_resources_same_client(void)
{
#define SHARED_50 VOLUME("50", "id1", SHARED)
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A,
             "[" SCALAR("cpus",
                        "100") "," SCALAR("mem", "100") "," RESERVED_DISK("950") "," SHARED_50 "]");
    ADD(s, "a", "[" SCALAR("cpus", "2") "," SCALAR("mem", "2") "," SHARED_50 "]");
    ADD(s, "b", "cpus:6;mem:6");
    EXPECT(s, "a,b"); /* a .05 (disk), b .06 */
    /* three more copies of the same volume leave a's share at .05 */
    AL(s, "a", "[" SHARED_50 "," SHARED_50 "," SHARED_50 "]");
    EXPECT(s, "a,b");
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "disk"), 50000);
    hdrf_sorter_free(s);
#undef SHARED_50
}

static void test_shared_resources_unallocated(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A,
             "[" SCALAR("cpus", "100") "," SCALAR("mem", "100") "," RESERVED_DISK(
                 "900") "," SHARED_100 "]");
    ADD(s, "a",
        "[" SCALAR("cpus", "2") "," SCALAR("mem", "2") "," SHARED_100 "," SHARED_100 "," SHARED_100
                                                       "]");
    ADD(s, "b", "cpus:6;mem:6");
    EXPECT(s, "b,a");                 /* a .1 (disk), b .06 */
    UNAL(s, "a", "[" SHARED_100 "]"); /* two copies left: still .1 */
    EXPECT(s, "b,a");
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "disk"), 100000);
    UNAL(s, "a", "[" SHARED_100 "," SHARED_100 "]"); /* none left: a .02 */
    EXPECT(s, "a,b");
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "disk"), 0);
    hdrf_sorter_free(s);
}

/* ---- fairness exclusion ------------------------------------------------------------------- */

static void test_gpus_excluded_by_default(void)
{
    /* DominantShareMetricsWithFairnessExclusion: cpus:4;mem:4096;gpus:1;
     * A holds cpus:1;mem:1024;gpus:1 -> .25 (1.0 if gpus counted), B
     * holds cpus:3;mem:3072 -> .75. */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:4;mem:4096;gpus:1");
    fx_add_active(s, "roleA");
    fx_add_active(s, "roleB");
    AL(s, "roleA", "cpus:1;mem:1024;gpus:1");
    AL(s, "roleB", "cpus:3;mem:3072");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "roleA"), 0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "roleB"), 0.75, 1e-12);
    EXPECT(s, "roleA,roleB");
    hdrf_sorter_free(s);

    hdrf_sorter_options counted = {HDRF_ORDER_DRF, 0, NULL, 0};
    const char *none[1] = {NULL};
    counted.excluded = none;
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_new(&counted, &s), HDRF_OK);
    fx_agent(s, A, "cpus:4;mem:4096;gpus:1");
    fx_add_active(s, "roleA");
    fx_add_active(s, "roleB");
    AL(s, "roleA", "cpus:1;mem:1024;gpus:1");
    AL(s, "roleB", "cpus:3;mem:3072");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "roleA"), 1.0, 1e-12);
    EXPECT(s, "roleB,roleA");
    hdrf_sorter_free(s);
}

static void test_many_resource_names(void)
{
    /* More names than the sorter keeps inside a node (8): the vectors grow
     * while clients hold allocations, and shares stay right. r11 is the
     * scarcest: 3 of 4 held by b, i.e. .75; a holds 1 of every r_i (of 10
     * each, except r11), .25 on r11 as well. */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "r0:10;r1:10;r2:10;r3:10;r4:10");
    ADD(s, "a", "r0:1;r1:1;r2:1;r3:1;r4:1");
    ADD(s, "x/b", "r0:2");
    fx_agent(s, "agent2", "r5:10;r6:10;r7:10;r8:10;r9:10;r10:10;r11:4");
    fx_alloc(s, "a", "agent2", "r5:1;r6:1;r7:1;r8:1;r9:1;r10:1;r11:1");
    fx_alloc(s, "x/b", "agent2", "r11:3");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "a"), 0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "x/b"), 0.75, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "x"), 0.75, 1e-12);
    CU_ASSERT_EQUAL(fx_allocated(s, NULL, "r11"), 4000);
    CU_ASSERT_EQUAL(fx_allocated(s, "x", "r0"), 2000);
    EXPECT(s, "a,x/b");
    fx_unalloc(s, "x/b", "agent2", "r11:3");
    EXPECT(s, "x/b,a"); /* .2 on r0 < .25 */
    hdrf_sorter_free(s);
}

/* ---- the API's contract ------------------------------------------------------------------- */

static void test_errors_change_nothing(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:10;mem:10");
    ADD(s, "a", "cpus:2;mem:2");
    hdrf_resources *big = fx_res("cpus:3"), *one = fx_res("cpus:1");
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a"), HDRF_EEXIST);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, ""), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a//b"), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a/./b"), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a/"), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "zz"), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "zz"), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s, "a", A, big), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s, "a", "nowhere", one), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, "a", A, big, one), HDRF_ENOFIT);
    CU_ASSERT_EQUAL(hdrf_sorter_allocated(s, "zz", A, one), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", 0), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", -1), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", INFINITY), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "a", NAN), HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_sorter_add_agent(s, A, one), HDRF_EEXIST);
    CU_ASSERT_EQUAL(hdrf_sorter_remove_agent(s, "nowhere"), HDRF_ENOTFOUND);
    /* still exactly as before */
    CU_ASSERT_EQUAL(fx_allocated(s, "a", "cpus"), 2000);
    CU_ASSERT_EQUAL(hdrf_sorter_allocation_count(s, "a"), 1);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_weight(s, "a"), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_sorter_share(s, "a"), 0.2, 1e-12);
    CU_ASSERT_EQUAL(hdrf_sorter_count(s), 1);
    hdrf_quantities *t = hdrf_sorter_total_quantities(s);
    CU_ASSERT_EQUAL(hdrf_quantities_get(t, "cpus"), 10000);
    hdrf_quantities_free(t);
    EXPECT(s, "a");
    hdrf_resources_free(big);
    hdrf_resources_free(one);
    hdrf_sorter_free(s);
}

static void test_snapshot_and_rank(void)
{
    /* The order of one sort() stays put while allocations move shares; the
     * next sort() sees them. */
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(s, A, "cpus:10;mem:10");
    fx_add_active(s, "a");
    fx_add_active(s, "b");
    const char *const *order;
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_sort(s, &order), 2);
    CU_ASSERT_STRING_EQUAL(order[0], "a");
    AL(s, "a", "cpus:5");
    CU_ASSERT_STRING_EQUAL(order[0], "a");
    CU_ASSERT_STRING_EQUAL(order[1], "b");
    CU_ASSERT_EQUAL(hdrf_sorter_rank(s, "a"), 0);
    EXPECT(s, "b,a");
    CU_ASSERT_EQUAL(hdrf_sorter_rank(s, "a"), 1);
    CU_ASSERT_EQUAL(hdrf_sorter_rank(s, "zz"), -1);

    char *dump = hdrf_sorter_dump(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "sorter drf: 2 clients\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "b weight=1 share=0.000000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "a weight=1 share=0.500000 wshare=0.500000 count=1 "
                                        "active rank=1"));
    CU_ASSERT_TRUE(strstr(dump, "\nb ") < strstr(dump, "\na "));
    free(dump);
    hdrf_sorter_free(s);
}

/* The lazy walk: what sort() returns, stopping where the visitor says, with
 * each client's pointer handed back (also after its leaf is folded). */
typedef struct walk_log {
    char text[256];
    int budget; /* clients to visit before stopping; -1: all */
} walk_log;

static bool log_visit(void *arg, const char *client, void *data)
{
    walk_log *log = arg;
    size_t len = strlen(log->text);
    snprintf(log->text + len, sizeof log->text - len, "%s%s=%s", len ? "," : "", client,
             data ? (const char *)data : "-");
    return log->budget < 0 || --log->budget > 0;
}

static const char *walked(hdrf_sorter *s, int budget)
{
    static walk_log log;
    log.text[0] = '\0';
    log.budget = budget;
    CU_ASSERT_EQUAL(hdrf_sorter_walk(s, log_visit, &log), HDRF_OK);
    return log.text;
}

static void test_walk(void)
{
    for (int order = HDRF_ORDER_DRF; order <= HDRF_ORDER_HDRF; order++) {
        hdrf_sorter *s = fx_sorter((hdrf_order)order);
        REQUIRE(s);
        fx_agent(s, FX_AGENT, "cpus:10;mem:10");
        fx_add_active(s, "a");
        fx_add_active(s, "b");
        fx_add_active(s, "c");
        CU_ASSERT_EQUAL(hdrf_sorter_set_data(s, "a", "A"), HDRF_OK);
        CU_ASSERT_EQUAL(hdrf_sorter_set_data(s, "zz", "Z"), HDRF_ENOTFOUND);
        fx_alloc(s, "a", FX_AGENT, "cpus:3");
        fx_alloc(s, "b", FX_AGENT, "cpus:1");
        ASSERT_STR(walked(s, -1), "c=-,b=-,a=A");
        ASSERT_STR(walked(s, 2), "c=-,b=-");
        /* "a" becomes the virtual leaf a/. and keeps its pointer */
        fx_add_active(s, "a/x");
        fx_alloc(s, "a/x", FX_AGENT, "cpus:1");
        CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "c"), HDRF_OK);
        ASSERT_STR(walked(s, -1), "b=-,a/x=-,a=A"); /* a/x 0.1 < a/. 0.3 */
        ASSERT_STR(fx_order(s), "b,a/x,a");
        CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a/x"), HDRF_OK);
        CU_ASSERT_PTR_EQUAL(hdrf_sorter_data(s, "a"), "A");
        ASSERT_STR(walked(s, 1), "b=-");
        hdrf_sorter_free(s);
    }
}

static hdrf_quantities *quantities(const char *text)
{
    hdrf_resources *r = fx_res(text);
    hdrf_quantities *q = hdrf_quantities_of(r);
    hdrf_resources_free(r);
    return q;
}

/* Totals given at once order clients exactly as the same totals summed from
 * agents: WDRF's steps again, the totals set to what the agent held. */
static void test_set_totals(void)
{
    hdrf_sorter *s = fx_sorter(HDRF_ORDER_DRF);
    hdrf_quantities *q = quantities("cpus:100;mem:100");
    CU_ASSERT_EQUAL(hdrf_sorter_set_totals(s, q), HDRF_OK);
    ADD(s, "a", "cpus:5;mem:5");
    fx_add_active(s, "b");
    CU_ASSERT_EQUAL(hdrf_sorter_set_weight(s, "b", 2), HDRF_OK);
    AL(s, "b", "cpus:6;mem:6");
    EXPECT(s, "b,a"); /* .06/2 = .03 < .05 */
    /* halving the cpus doubles their shares: a .1, b .12/2 = .06 */
    hdrf_quantities *half = quantities("cpus:50;mem:100");
    CU_ASSERT_EQUAL(hdrf_sorter_set_totals(s, half), HDRF_OK);
    ADD(s, "c", "cpus:4;mem:2"); /* .08 */
    EXPECT(s, "b,c,a");
    hdrf_quantities *totals = hdrf_sorter_total_quantities(s);
    CU_ASSERT_TRUE(hdrf_quantities_equal(totals, half));
    /* one way or the other, not both */
    hdrf_resources *one = fx_res("cpus:1");
    CU_ASSERT_EQUAL(hdrf_sorter_add_agent(s, A, one), HDRF_EINVAL);
    hdrf_resources_free(one);
    hdrf_sorter *t = fx_sorter(HDRF_ORDER_DRF);
    fx_agent(t, A, "cpus:100;mem:100");
    CU_ASSERT_EQUAL(hdrf_sorter_set_totals(t, q), HDRF_EINVAL);
    hdrf_quantities_free(totals);
    hdrf_quantities_free(half);
    hdrf_quantities_free(q);
    hdrf_sorter_free(s);
    hdrf_sorter_free(t);
}

int suite_sorter(void)
{
    static const test_case cases[] = {
        {"DRF (Mesos DRFSorterTest.DRF)", test_drf},
        {"ShallowHierarchy", test_shallow_hierarchy},
        {"DeepHierarchy", test_deep_hierarchy},
        {"WDRF", test_weighted_drf},
        {"UpdateWeight", test_update_weight},
        {"AllocationCountTieBreak", test_allocation_count_tie_break},
        {"HierarchicalAllocation", test_hierarchical_allocation},
        {"HierarchicalIterationOrder", test_hierarchical_iteration_order},
        {"AddChildToLeaf", test_add_child_to_leaf},
        {"AddChildToInternal", test_add_child_to_internal},
        {"AddChildToInactiveLeaf", test_add_child_to_inactive_leaf},
        {"RemoveLeafCollapseParent (+Inactive): the drf orders", test_remove_leaf_collapses_parent},
        {"ChangeWeightOnSubtree", test_change_weight_on_subtree},
        {"SplitResourceShares", test_split_resource_shares},
        {"UpdateTotal", test_update_total},
        {"MultipleSlavesUpdateTotal", test_multiple_slaves_update_total},
        {"RemoveResources", test_remove_resources},
        {"RevocableResources", test_revocable_resources},
        {"SharedResources", test_shared_resources},
        {"SameDominantSharedResourcesAcrossClients", test_same_dominant_shared_across_clients},
        {"totals only: shared resources once per agent, as with holdings", test_totals_only_shared},
        {"SameSharedResourcesSameClient", test_same_shared_resources_same_client},
        {"SharedResourcesUnallocated", test_shared_resources_unallocated},
        {"gpus excluded from shares by default", test_gpus_excluded_by_default},
        {"more resource names than a node holds inline", test_many_resource_names},
        {"errors change nothing", test_errors_change_nothing},
        {"sort() snapshot, rank and dump", test_snapshot_and_rank},
        {"walk(): lazy, in sort() order, with client data", test_walk},
        {"totals given at once order as totals from agents", test_set_totals},
        {NULL, NULL}};
    return test_add_suite("sorter", cases);
}
