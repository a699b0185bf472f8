/* test_alloc_hdrf.c: what the allocator tells H-DRF's role sorter
 * (role_sorter=hdrf; allocator/alloc_blocked.c): a role whose frameworks
 * declined what they were offered, without launching, is blocked until
 * something changes for one of them, and blocked roles are offered after the
 * others; resources with nothing allocatable left are saturated. Each offer
 * below follows from the sorter's rules (include/hdrf/sorter.h) by hand; the
 * same steps under role_sorter=drf show Mesos's order, which ignores both. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

static af *hdrf_fixture(hdrf_order order)
{
    hdrf_allocator_options o;
    af_options(&o);
    o.role_order = order;
    return af_new(&o);
}

/* Tasks launch from an offer: the master's transitionOfferedToAllocated. */
static void launch(af *f, const char *agent, const char *role, const char *text)
{
    hdrf_resources *used = af_res(text, role);
    CU_ASSERT_EQUAL(hdrf_allocator_transition_offered_to_allocated(f->a, agent, used), HDRF_OK);
    hdrf_resources_free(used);
}

/* framework1 in role a launches all of agent1 (cpus:1;mem:1024); then
 * framework2 in role b, at share 0, is offered agent2 (cpus:4;mem:4096) and
 * declines it all without a filter (refuse_seconds 0). */
static af *declined_setup(hdrf_order order)
{
    af *f = hdrf_fixture(order);
    af_framework(f, "a", 0);
    af_agent(f, "cpus:1;mem:1024");
    af_expect(f, "framework1", "a@agent1=cpus:1;mem:1024");
    launch(f, "agent1", "a", "cpus:1;mem:1024");
    af_framework(f, "b", 0);
    af_agent(f, "cpus:4;mem:4096");
    /* a holds 1 of 5 cpus (.20), b nothing: b first */
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    af_recover(f, "framework2", "agent2", "b", "cpus:4;mem:4096", 0);
    return f;
}

/* Mesos's order: b's share (0) is below a's (.20), and no filter was made:
 * b is offered agent2 again at the next batch. */
static void test_drf_ignores_declines(void)
{
    af *f = declined_setup(HDRF_ORDER_DRF);
    af_batch(f);
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    af_expect_none(f);
    af_free(f);
}

/* H-DRF: framework2 declined without launching, so b is blocked and comes
 * after a, whose share is higher: framework1 is offered agent2. When a's
 * framework declines too, both are blocked and the order is by share again:
 * b (0) first. */
static void test_declined_role_blocked(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    af_batch(f);
    af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
    af_recover(f, "framework1", "agent2", "a", "cpus:4;mem:4096", 0);
    af_batch(f);
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    af_expect_none(f);
    af_free(f);
}

/* A framework that launched from its offer is not blocked by declining the
 * rest: framework1 takes cpus:1;mem:1024 of agent2 and declines the rest;
 * a (2 of 5 cpus, .40) stays unblocked while b (0) is blocked: a first. */
static void test_launch_keeps_role_unblocked(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    af_batch(f);
    af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
    launch(f, "agent2", "a", "cpus:1;mem:1024");
    af_recover(f, "framework1", "agent2", "a", "cpus:3;mem:3072", 0);
    af_batch(f);
    af_expect(f, "framework1", "a@agent2=cpus:3;mem:3072");
    af_expect_none(f);
    af_free(f);
}

/* A revive unblocks the role, and so does a filter of its expiring: each
 * time b (share 0) goes back before a (.20). */
static void test_revive_and_expiry_unblock(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    af_revive(f, "framework2", NULL);
    af_batch(f);
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    /* declined with a 5 s filter: b is blocked (and filtered on agent2) */
    af_recover(f, "framework2", "agent2", "b", "cpus:4;mem:4096", 5);
    af_batch(f);
    af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
    af_recover(f, "framework1", "agent2", "a", "cpus:4;mem:4096", 0);
    /* a blocked too, and b filtered: agent2 goes to a while the filter
     * lasts, at the batches of 3, 4 and 5 s */
    for (int tick = 3; tick <= 5; tick++) {
        af_batch(f);
        af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
        af_recover(f, "framework1", "agent2", "a", "cpus:4;mem:4096", 0);
    }
    af_batch(f); /* 6 s: b's filter (from 1 s) expired, and b is unblocked */
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    af_expect_none(f);
    af_free(f);
}

/* A new agent unblocks every role: b (0) before a (.20) for agent3. Were b
 * still blocked, a would be offered it. */
static void test_new_agent_unblocks(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    af_agent(f, "cpus:1;mem:1024");
    af_expect(f, "framework2", "b@agent3=cpus:1;mem:1024");
    af_expect_none(f);
    af_free(f);
}

/* A task of framework1 ends: a is unblocked while b stays blocked, so a goes
 * first; both shares are 0 then, and were both blocked b would win on the
 * allocation count (a 2, b 1). */
static void test_task_end_unblocks(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    af_batch(f);
    af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
    af_recover(f, "framework1", "agent2", "a", "cpus:4;mem:4096", 0);
    hdrf_resources *ended = af_res("cpus:1;mem:1024", "a");
    CU_ASSERT_EQUAL(
        hdrf_allocator_recover_resources(f->a, "framework1", "agent1", ended, NULL, true, f->now),
        HDRF_OK);
    hdrf_resources_free(ended);
    af_batch(f);
    af_expect(f, "framework1", "a@agent1=cpus:1;mem:1024 | a@agent2=cpus:4;mem:4096");
    af_expect_none(f);
    af_free(f);
}

/* Why a role is blocked, as the operator reads it (/hdrf/explain). */
static void collect_why(void *arg, const char *role, const char *why)
{
    char *out = arg;
    size_t len = strlen(out);
    snprintf(out + len, 1024 - len, "%s: %s\n", role, why);
}

static void test_explain_blocked(void)
{
    af *f = declined_setup(HDRF_ORDER_HDRF);
    char why[1024] = "";
    af_batch(f); /* the run's ordering finds b blocked */
    af_expect(f, "framework1", "a@agent2=cpus:4;mem:4096");
    CU_ASSERT_EQUAL(hdrf_allocator_explain_blocked(f->a, collect_why, why), HDRF_OK);
    ASSERT_STR(why, "b: blocked: no framework of it can take more (framework2 declined what it "
                    "was offered)\n");
    /* a declines too; framework1 is deactivated: both blocked, each with
     * its reason */
    af_recover(f, "framework1", "agent2", "a", "cpus:4;mem:4096", 0);
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_framework(f->a, "framework1"), HDRF_OK);
    af_batch(f);
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    why[0] = '\0';
    CU_ASSERT_EQUAL(hdrf_allocator_explain_blocked(f->a, collect_why, why), HDRF_OK);
    ASSERT_STR(why, "a: blocked: no framework of it can take more (framework1 is inactive)\n"
                    "b: blocked: no framework of it can take more (framework2 declined what it "
                    "was offered)\n");
    af_free(f);

    /* Under drf nothing is blocked, and nothing is said */
    f = declined_setup(HDRF_ORDER_DRF);
    af_batch(f);
    af_expect(f, "framework2", "b@agent2=cpus:4;mem:4096");
    why[0] = '\0';
    CU_ASSERT_EQUAL(hdrf_allocator_explain_blocked(f->a, collect_why, why), HDRF_OK);
    ASSERT_STR(why, "");
    af_free(f);
}

int suite_alloc_hdrf(void)
{
    static const test_case cases[] = {
        {"drf: a decline changes nothing in the order", test_drf_ignores_declines},
        {"hdrf: a role that declined without launching is blocked", test_declined_role_blocked},
        {"hdrf: launching from an offer keeps the role unblocked",
         test_launch_keeps_role_unblocked},
        {"hdrf: a revive and a filter's expiry unblock", test_revive_and_expiry_unblock},
        {"hdrf: a new agent unblocks", test_new_agent_unblocks},
        {"hdrf: a task ending unblocks", test_task_end_unblocks},
        {"hdrf: explain says why each blocked role is", test_explain_blocked},
        {NULL, NULL},
    };
    return test_add_suite("alloc_hdrf", cases);
}
