/* test_sorter_common.c: Mesos's sorter tests typed over both its sorters.
 *
 * src/tests/sorter_tests.cpp (tag 1.11.0) runs its CommonSorterTest cases
 * (TYPED_TEST) once with the DRFSorter and once with the RandomSorter: they
 * check what every sorter must do whatever its order (allocation tracking,
 * folding a virtual leaf back into its parent). Here the same table of cases
 * runs once per hdrf ordering: drf and random as in Mesos, and hdrf as well,
 * since H-DRF keeps the same tree and the same bookkeeping. Each ordering is
 * its own CUnit suite, "sorter_common/<order>", whose setup selects it.
 *
 * Where Mesos only compares sets of clients (it sorts sort()'s output
 * alphabetically, the random order being arbitrary), so do these tests. The
 * expected values are the ones Mesos's tests state. */
#include "hdrf/allocator.h"
#include "test/sorter_fixture.h"
#include "test/test.h"

/* The ordering the running suite tests; set by the suite's setup. */
static hdrf_order order_under_test;

/* Mesos's `oldAllocation.apply(CREATE(volume))`: the resources with the
 * volume made out of the disk it consumes. A new collection. */
static hdrf_resources *apply_create(const hdrf_resources *old, const hdrf_resources *volume)
{
    hdrf_operation op = {HDRF_OP_CREATE, volume, NULL, 0};
    hdrf_conversion *conv = NULL;
    size_t n = 0;
    hdrf_error e;
    CU_ASSERT_EQUAL_FATAL(hdrf_operation_conversions(&op, &conv, &n, &e), HDRF_OK);
    hdrf_resources *out = hdrf_resources_copy(old);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_TRUE(hdrf_resources_contains(out, conv[i].consumed));
        CU_ASSERT_EQUAL(hdrf_resources_subtract(out, conv[i].consumed), HDRF_OK);
        CU_ASSERT_EQUAL(hdrf_resources_add(out, conv[i].converted), HDRF_OK);
    }
    hdrf_conversions_free(conv, n);
    return out;
}

/* Mesos's volume: 5 of unreserved disk, persistence id "ID", container path
 * "data". */
#define VOLUME_ID                                                                                  \
    "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":5},"                            \
    "\"disk\":{\"persistence\":{\"id\":\"ID\"},"                                                   \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}}}]"

#define AGENT "agentId"

/* ---- RemoveLeafCollapseParent, RemoveLeafCollapseParentInactive ----------------- */

/* Mesos's shared setup: a and b, then a/c under the client a (which
 * becomes the virtual leaf a/.). */
static hdrf_sorter *collapse_setup(void)
{
    hdrf_sorter *s = fx_sorter(order_under_test);
    fx_agent(s, AGENT, "cpus:100;mem:100");
    fx_add_active(s, "a");
    fx_alloc(s, "a", AGENT, "cpus:10;mem:10");
    fx_add_active(s, "b");
    fx_alloc(s, "b", AGENT, "cpus:6;mem:6");
    fx_add_active(s, "a/c");
    fx_alloc(s, "a/c", AGENT, "cpus:5;mem:5");
    return s;
}

static void test_remove_leaf_collapse_parent(void)
{
    hdrf_sorter *s = collapse_setup();
    ASSERT_STR(fx_client_set(s), "a,a/c,b");
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a/c"), HDRF_OK);
    ASSERT_STR(fx_client_set(s), "a,b");
    hdrf_sorter_free(s);
}

static void test_remove_leaf_collapse_parent_inactive(void)
{
    hdrf_sorter *s = collapse_setup();
    CU_ASSERT_EQUAL(hdrf_sorter_deactivate(s, "a"), HDRF_OK);
    ASSERT_STR(fx_client_set(s), "a/c,b");
    CU_ASSERT_EQUAL(hdrf_sorter_remove(s, "a/c"), HDRF_OK);
    /* a folds back inactive: only b, in sort() order itself */
    ASSERT_STR(fx_order(s), "b");
    hdrf_sorter_free(s);
}

/* ---- UpdateAllocation, UpdateAllocationNestedClient ---------------------------- */

/* Both tests: `client` holds cpus:10;mem:10;disk:10 and turns 5 of the disk
 * into a persistent volume; its allocation is then the new resources on the
 * one agent, and the quantities do not change. */
static void update_to_volume(hdrf_sorter *s, const char *client)
{
    fx_agent(s, AGENT, "cpus:10;mem:10;disk:10");
    fx_alloc(s, client, AGENT, "cpus:10;mem:10;disk:10");

    hdrf_resources *volume = fx_res(VOLUME_ID);
    const hdrf_resources *held = hdrf_sorter_allocation(s, client, AGENT);
    REQUIRE(held);
    hdrf_resources *old = hdrf_resources_copy(held);
    hdrf_resources *updated = apply_create(old, volume);
    CU_ASSERT_FALSE(hdrf_resources_equal(old, updated)); /* the volume is there */
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, client, AGENT, old, updated), HDRF_OK);

    CU_ASSERT_EQUAL(fx_agents_held(s, client), 1);
    CU_ASSERT_TRUE(fx_holds(s, client, AGENT, updated));
    CU_ASSERT_TRUE(fx_quantities_are(s, client, "cpus:10;mem:10;disk:10"));
    CU_ASSERT_TRUE(fx_quantities_are(s, NULL, "cpus:10;mem:10;disk:10"));
    /* hdrf's contract beyond Mesos's test: update() is not an allocation */
    CU_ASSERT_EQUAL(hdrf_sorter_allocation_count(s, client), 1);
    hdrf_resources_free(volume);
    hdrf_resources_free(old);
    hdrf_resources_free(updated);
}

static void test_update_allocation(void)
{
    hdrf_sorter *s = fx_sorter(order_under_test);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "b"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "b"), HDRF_OK);
    update_to_volume(s, "a");

    /* Updating an allocation to nothing leaves the client holding nothing.
     * Mesos's test gives the new agent's id to its first SlaveID by mistake
     * (slaveId.set_value("agentId2")), so it adds agentId2 and allocates on
     * an agent it never added; so does this port. */
    fx_add_active(s, "c");
    fx_agent(s, "agentId2", "cpus:10;mem:10;disk:10");
    hdrf_resources *c = fx_res("cpus:10;mem:10;disk:10"), *none = hdrf_resources_new();
    CU_ASSERT_EQUAL(hdrf_sorter_allocated(s, "c", "agentId3", c), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, "c", "agentId3", c, none), HDRF_OK);
    CU_ASSERT_EQUAL(fx_agents_held(s, "c"), 0);
    CU_ASSERT_PTR_NULL(hdrf_sorter_allocation(s, "c", "agentId3"));
    hdrf_resources_free(c);
    hdrf_resources_free(none);
    hdrf_sorter_free(s);
}

static void test_update_allocation_nested_client(void)
{
    hdrf_sorter *s = fx_sorter(order_under_test);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a/x"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "b/y"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "a/x"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "b/y"), HDRF_OK);
    update_to_volume(s, "a/x");
    hdrf_sorter_free(s);
}

/* ---- AllocationForInactiveClient ------------------------------------------------ */

static void test_allocation_for_inactive_client(void)
{
    hdrf_sorter *s = fx_sorter(order_under_test);
    fx_agent(s, AGENT, "cpus:10;mem:10");
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "a"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, "b"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, "b"), HDRF_OK); /* a stays inactive */
    fx_alloc(s, "a", AGENT, "cpus:2;mem:2");
    fx_alloc(s, "b", AGENT, "cpus:3;mem:3");

    CU_ASSERT_EQUAL(fx_agents_held(s, "a"), 1);
    CU_ASSERT_TRUE(fx_holds_text(s, "a", AGENT, "cpus:2;mem:2"));
    CU_ASSERT_TRUE(fx_quantities_are(s, "a", "cpus:2;mem:2"));
    CU_ASSERT_EQUAL(fx_agents_held(s, "b"), 1);
    CU_ASSERT_TRUE(fx_holds_text(s, "b", AGENT, "cpus:3;mem:3"));
    CU_ASSERT_TRUE(fx_quantities_are(s, "b", "cpus:3;mem:3"));
    CU_ASSERT_TRUE(fx_quantities_are(s, NULL, "cpus:5;mem:5"));
    hdrf_sorter_free(s);
}

/* ---- MultipleSlaves, MultipleSlavesUpdateAllocation ---------------------------- */

/* One client holding all of two equal agents, ports included: no resource
 * vanishes when the sorter aggregates them. The totals are the scalars. */
static hdrf_sorter *two_full_agents(const char *agent_resources, const char *agent_scalars)
{
    hdrf_sorter *s = fx_sorter(order_under_test);
    fx_add_active(s, "framework");
    fx_agent(s, "agentA", agent_scalars);
    fx_agent(s, "agentB", agent_scalars);
    fx_alloc(s, "framework", "agentA", agent_resources);
    fx_alloc(s, "framework", "agentB", agent_resources);
    return s;
}

static void test_multiple_slaves(void)
{
    const char *agent = "cpus:2;mem:512;ports:[31000-32000]";
    hdrf_sorter *s = two_full_agents(agent, "cpus:2;mem:512");
    CU_ASSERT_EQUAL(fx_agents_held(s, "framework"), 2);
    CU_ASSERT_TRUE(fx_holds_text(s, "framework", "agentA", agent));
    CU_ASSERT_TRUE(fx_holds_text(s, "framework", "agentB", agent));
    CU_ASSERT_TRUE(fx_quantities_are(s, "framework", "cpus:4;mem:1024"));
    CU_ASSERT_TRUE(fx_quantities_are(s, NULL, "cpus:4;mem:1024"));
    hdrf_sorter_free(s);
}

static void test_multiple_slaves_update_allocation(void)
{
    const char *agent = "cpus:2;mem:512;disk:10;ports:[31000-32000]";
    hdrf_sorter *s = two_full_agents(agent, "cpus:2;mem:512;disk:10");
    hdrf_resources *before = fx_res(agent), *volume = fx_res(VOLUME_ID);
    hdrf_resources *after = apply_create(before, volume);
    CU_ASSERT_FALSE(hdrf_resources_equal(before, after));
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, "framework", "agentA", before, after), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, "framework", "agentB", before, after), HDRF_OK);

    CU_ASSERT_EQUAL(fx_agents_held(s, "framework"), 2);
    CU_ASSERT_TRUE(fx_holds(s, "framework", "agentA", after));
    CU_ASSERT_TRUE(fx_holds(s, "framework", "agentB", after));
    CU_ASSERT_TRUE(fx_quantities_are(s, "framework", "cpus:4;mem:1024;disk:20"));
    CU_ASSERT_TRUE(fx_quantities_are(s, NULL, "cpus:4;mem:1024;disk:20"));
    hdrf_resources_free(before);
    hdrf_resources_free(volume);
    hdrf_resources_free(after);
    hdrf_sorter_free(s);
}

/* ---- the table, once per ordering ------------------------------------------------- */

static const test_case common_cases[] = {
    {"RemoveLeafCollapseParent", test_remove_leaf_collapse_parent},
    {"RemoveLeafCollapseParentInactive", test_remove_leaf_collapse_parent_inactive},
    {"UpdateAllocation", test_update_allocation},
    {"UpdateAllocationNestedClient", test_update_allocation_nested_client},
    {"AllocationForInactiveClient", test_allocation_for_inactive_client},
    {"MultipleSlaves", test_multiple_slaves},
    {"MultipleSlavesUpdateAllocation", test_multiple_slaves_update_allocation},
    {NULL, NULL}};

static int use_drf(void)
{
    order_under_test = HDRF_ORDER_DRF;
    return 0;
}

static int use_random(void)
{
    order_under_test = HDRF_ORDER_RANDOM;
    return 0;
}

static int use_hdrf(void)
{
    order_under_test = HDRF_ORDER_HDRF;
    return 0;
}

int suite_sorter_common(void)
{
    static const struct {
        const char *name;
        CU_InitializeFunc select;
    } orders[] = {{"sorter_common/drf", use_drf},
                  {"sorter_common/random", use_random},
                  {"sorter_common/hdrf", use_hdrf}};
    for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++)
        if (test_add_suite_with(orders[i].name, orders[i].select, NULL, common_cases) != 0)
            return -1;
    return 0;
}
