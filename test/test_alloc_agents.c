/* test_alloc_agents.c: agents (totals, capabilities, removal, resource
 * providers, whitelist, bookkeeping) and the framework capabilities and
 * minimum allocatable resources, against Mesos 1.11's allocator tests (spec
 * §F.10, §F.11; src/tests/hierarchical_allocator_tests.cpp). One hdrf test
 * per Mesos test, named after it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

/* F.10 --------------------------------------------------------------------- */

static void update_total(af *f, const char *agent, const char *text, const char *json)
{
    hdrf_resources *total = ah_res(NULL, text, json, NULL);
    ah_update_agent(f, agent, total, NULL, NULL, 0);
    hdrf_resources_free(total);
}

/* A changed total triggers a run on the agent; a total below what is
 * allocated is allowed and offers nothing. */
static void test_update_slave_oversubscribed_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", HDRF_FRAMEWORK_REVOCABLE_RESOURCES);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");
    char rev[256];
    update_total(f, "agent1", "cpus:100;mem:100;disk:100",
                 ah_revocable(rev, sizeof rev, "cpus", 10));
    hdrf_resources *want = ah_res("role1", rev, NULL);
    ah_expect(f, "framework1", "role1", "agent1", want);
    hdrf_resources_free(want);
    /* 12 revocable: the framework holds 10, so 2 are new */
    update_total(f, "agent1", "cpus:100;mem:100;disk:100",
                 ah_revocable(rev, sizeof rev, "cpus", 12));
    want = ah_res("role1", ah_revocable(rev, sizeof rev, "cpus", 2), NULL);
    ah_expect(f, "framework1", "role1", "agent1", want);
    hdrf_resources_free(want);
    /* 5 revocable: it holds 12 > 5, nothing to offer */
    update_total(f, "agent1", "cpus:100;mem:100;disk:100",
                 ah_revocable(rev, sizeof rev, "cpus", 5));
    af_expect_none(f);
    af_free(f);
}

static void test_update_slave_total_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");
    update_total(f, "agent1", "cpus:112;mem:100;disk:100", NULL);
    af_expect(f, "framework1", "role1@agent1=cpus:12");
    /* shrunk below the allocation: over-allocated, nothing offered */
    update_total(f, "agent1", "cpus:50;mem:50;disk:50", NULL);
    af_expect_none(f);
    af_recover(f, "framework1", "agent1", "role1", "cpus:112;mem:100;disk:100", AF_NO_FILTER);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus:50;mem:50;disk:50");
    /* back to 100 each: it holds 50 each, the other 50 each are new */
    update_total(f, "agent1", "cpus:100;mem:100;disk:100", NULL);
    af_expect(f, "framework1", "role1@agent1=cpus:50;mem:50;disk:50");
    af_expect_none(f);
    af_free(f);
}

/* An agent without MULTI_ROLE is filtered for MULTI_ROLE frameworks (the
 * fixture's are); gaining the capability counts as an update. */
static void test_update_slave_capabilities(void)
{
    af *f = af_new(NULL);
    af_agent_full(f, "cpus:1;mem:1;disk:1", 0, NULL, NULL, NULL, NULL);
    af_framework(f, "role1", 0);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "role1", "framework1"), HDRF_REASON_CAPABILITY);
    unsigned caps = HDRF_AGENT_DEFAULT;
    ah_update_agent(f, "agent1", NULL, &caps, NULL, 0);
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:1;disk:1");
    af_free(f);
}

/* Removing an agent untracks what was allocated on it (MESOS-621). */
static void test_remove_slave_recover_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:200");
    af_framework(f, "role", 0);
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:200");
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:100");
    af_expect(f, "framework2", "role@agent2=cpus:1;mem:100");
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(f->a, "agent1"), HDRF_OK);
    /* framework1's share fell to 0 < framework2's 1/2 */
    af_agent(f, "cpus:1;mem:100");
    af_expect(f, "framework1", "role@agent3=cpus:1;mem:100");
    af_expect_none(f);
    af_free(f);
}

/* Reservations of non-scalars are not tracked in the role tree: adding and
 * removing agents with reserved ports leaves no trace (MESOS-9555). */
static void test_non_scalar_reservation_tracking(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:1;mem:1;disk:1;ports(role):[1-2]");
    af_agent(f, "cpus:1;mem:1;disk:1;ports(role):[1-2]");
    /* only scalar reservations make a role exist (as in Mesos) */
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/offer_filters/roles/role/active")));
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(f->a, "agent1"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(f->a, "agent2"), HDRF_OK);
    af_expect_none(f);
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/offer_filters/roles/role/active")));
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/resources/cpus/total"), 0, 1e-9);
    af_free(f);
}

static void add_provider(af *f, const char *agent, const char *total, const char *framework,
                         const char *role, const char *used)
{
    hdrf_resources *t = ah_res(NULL, total, NULL);
    hdrf_resources *u = ah_res(role, used, NULL);
    hdrf_holding h = {framework, u};
    int rc = hdrf_allocator_add_resource_provider(f->a, agent, t, &h, 1);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "add_resource_provider: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_resources_free(t);
    hdrf_resources_free(u);
}

/* A resource provider's used resources count in the sorters and make the
 * agent's resources unavailable. */
static void test_add_resource_provider(void)
{
    af *f = af_new(NULL);
    af_framework_full(f, "role1", 0, false, NULL, NULL, NULL);
    af_framework_full(f, "role2", 0, false, NULL, NULL, NULL);
    af_agent(f, "cpus:1;mem:100;disk:10");
    af_expect_none(f);
    add_provider(f, "agent1", "cpus:2;mem:200;disk:20", "framework1", "role1",
                 "cpus:2;mem:200;disk:20");
    af_expect_none(f); /* no run */
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework2"), HDRF_OK);
    af_expect(f, "framework2", "role2@agent1=cpus:1;mem:100;disk:10");
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework1"), HDRF_OK);
    af_expect_none(f);
    /* with agent2: role1 holds 2/4, role2 1/4 */
    af_agent(f, "cpus:1;mem:100;disk:10");
    af_expect(f, "framework2", "role2@agent2=cpus:1;mem:100;disk:10");
    af_expect_none(f);
    af_free(f);
}

static void test_add_resource_provider_overallocated(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:200;disk:20");
    af_framework_full(f, "role", 0, false, NULL, NULL, NULL);
    af_expect_none(f);
    add_provider(f, "agent1", "", "framework1", "role", "cpus:1;mem:100;disk:10");
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework1"), HDRF_OK);
    af_batch(f);
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:100;disk:10");
    af_expect_none(f);
    af_free(f);
}

static void test_whitelist(void)
{
    af *f = af_new(NULL);
    const char *dummy[] = {"dummy-agent"};
    CU_ASSERT_EQUAL(hdrf_allocator_update_whitelist(f->a, dummy, 1), HDRF_OK);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "*", 0);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "*", "framework1"), HDRF_REASON_NOTHING_AVAILABLE);
    const char *both[] = {"dummy-agent", "agent1"};
    CU_ASSERT_EQUAL(hdrf_allocator_update_whitelist(f->a, both, 2), HDRF_OK);
    af_expect_none(f); /* no run is triggered */
    af_batch(f);
    af_expect(f, "framework1", "*@agent1=cpus:2;mem:1024");
    /* an empty whitelist offers nothing at all; NULL lifts it */
    af_recover(f, "framework1", "agent1", "*", "cpus:2;mem:1024", AF_NO_FILTER);
    CU_ASSERT_EQUAL(hdrf_allocator_update_whitelist(f->a, both, 0), HDRF_OK);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(hdrf_allocator_update_whitelist(f->a, NULL, 0), HDRF_OK);
    af_batch(f);
    af_expect(f, "framework1", "*@agent1=cpus:2;mem:1024");
    af_free(f);
}

/* Used resources are counted once whichever of agent and framework comes
 * first. */
static void test_no_double_accounting(void)
{
    af *f = af_new(NULL);
    /* agent1 is not known yet: framework1's used resources are ignored */
    af_framework_full(f, "ROLE1", 0, true, "agent1", "ROLE1", "cpus:1");
    af_agent_used(f, "cpus:1;mem:0;disk:0", "framework1", "ROLE1", "cpus:1");
    /* framework2 is not known yet: agent2 holds its resources apart */
    af_agent_used(f, "cpus:1;mem:0;disk:0", "framework2", "ROLE2", "cpus:1");
    af_framework_full(f, "ROLE2", 0, true, "agent2", "ROLE2", "cpus:1");
    af_expect_none(f);
    double s1 = af_metric(f, "allocator/mesos/roles/ROLE1/shares/dominant");
    double s2 = af_metric(f, "allocator/mesos/roles/ROLE2/shares/dominant");
    CU_ASSERT_DOUBLE_EQUAL(s1, 0.5, 1e-9); /* 1 of 2 cpus */
    CU_ASSERT_DOUBLE_EQUAL(s2, 0.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/resources/cpus/offered_or_allocated"), 2,
                           1e-9);
    af_free(f);
}

/* F.11 --------------------------------------------------------------------- */

/* framework2 sorts first in parent/child but cannot take refined
 * reservations: stripped to nothing, it is skipped and the walk goes on to
 * framework1 (MESOS-9554). */
static void test_framework_loop_mesos_9554(void)
{
    af *f = af_new(NULL);
    af_framework(f, "parent/child", HDRF_FRAMEWORK_RESERVATION_REFINEMENT);
    af_agent(f, "cpus:1;mem:1;disk:1");
    af_expect(f, "framework1", "parent/child@agent1=cpus:1;mem:1;disk:1");
    af_framework(f, "parent/child", 0);
    af_expect_none(f);
    hdrf_resources *refined = ah_res(NULL, "cpus:1;mem:1;disk:1", NULL);
    CU_ASSERT_EQUAL(hdrf_resources_push_reservation(refined, HDRF_RESERVATION_DYNAMIC, "parent",
                                                    "ops", NULL, 0),
                    HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_push_reservation(refined, HDRF_RESERVATION_DYNAMIC,
                                                    "parent/child", "ops", NULL, 0),
                    HDRF_OK);
    ah_agent(f, refined, HDRF_AGENT_DEFAULT, NULL, NULL, 0);
    hdrf_resources *want = hdrf_resources_copy(refined);
    hdrf_resources_allocate(want, "parent/child");
    ah_expect(f, "framework1", "parent/child", "agent2", want);
    af_expect_none(f);
    hdrf_resources_free(want);
    hdrf_resources_free(refined);
    af_free(f);
}

/* The minimum is cpus:0.01 OR mem:32, counted over every resource of the
 * name, reserved or not. */
static void test_allocatable(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:0.005;mem:16;disk:128");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "role1", "framework1"), HDRF_REASON_MIN_ALLOCATABLE);
    af_agent(f, "cpus:0.01;mem:16;disk:128");
    af_expect(f, "framework1", "role1@agent2=cpus:0.01;mem:16;disk:128");
    af_agent(f, "cpus:0.005;mem:32;disk:128");
    af_expect(f, "framework1", "role1@agent3=cpus:0.005;mem:32;disk:128");
    af_agent(f, "cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128");
    af_expect(f, "framework1",
              "role1@agent4=cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128");
    af_expect_none(f);
    af_free(f);
}

/* framework1 subscribed to role1 with `minimums` (n alternatives, or a
 * present but empty list when n is 0). */
static int set_minimum(af *f, bool add, const char *text)
{
    hdrf_quantities *q = NULL;
    hdrf_error e;
    if (text)
        CU_ASSERT_EQUAL(hdrf_quantities_parse(text, &q, &e), HDRF_OK);
    const char *roles[] = {"role1"};
    const hdrf_quantities *alts[1] = {q};
    hdrf_role_minimum m = {"role1", alts, q ? 1 : 0};
    hdrf_framework_info info = {.id = "framework1",
                                .name = "framework1",
                                .roles = roles,
                                .nroles = 1,
                                .capabilities = HDRF_FRAMEWORK_MULTI_ROLE,
                                .minimums = &m,
                                .nminimums = 1};
    int rc = add ? hdrf_allocator_add_framework(f->a, &info, NULL, 0, true)
                 : hdrf_allocator_update_framework(f->a, &info);
    if (add)
        f->frameworks++;
    hdrf_quantities_free(q);
    return rc;
}

/* The framework's own minimum for a role replaces the global one. */
static void test_framework_min_allocatable(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:0.005;mem:16;disk:128");
    af_expect_none(f);
    /* 0.01 / 3 cpus = 0.003 (Mesos keeps three decimals) <= 0.005 */
    CU_ASSERT_EQUAL(set_minimum(f, false, "cpus:0.00333"), HDRF_OK);
    af_expect_none(f); /* update_framework triggers nothing */
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus:0.005;mem:16;disk:128");
    af_free(f);
}

/* A minimum that is present but lists nothing means "no minimum". */
static void test_framework_empty_min_allocatable(void)
{
    af *f = af_new(NULL);
    CU_ASSERT_EQUAL(set_minimum(f, true, NULL), HDRF_OK);
    af_agent(f, "cpus:0.005;mem:16;disk:128");
    af_expect(f, "framework1", "role1@agent1=cpus:0.005;mem:16;disk:128");
    af_free(f);
}

int suite_alloc_agents(void)
{
    static const test_case cases[] = {
        {"UpdateSlaveOversubscribedResources", test_update_slave_oversubscribed_resources},
        {"UpdateSlaveTotalResources", test_update_slave_total_resources},
        {"UpdateSlaveCapabilities", test_update_slave_capabilities},
        {"RemoveSlaveRecoverResources", test_remove_slave_recover_resources},
        {"NonScalarReservationTrackingMESOS_9555", test_non_scalar_reservation_tracking},
        {"AddResourceProvider", test_add_resource_provider},
        {"AddResourceProviderOverallocated", test_add_resource_provider_overallocated},
        {"Whitelist", test_whitelist},
        {"NoDoubleAccounting", test_no_double_accounting},
        {"FrameworkLoopMESOS_9554", test_framework_loop_mesos_9554},
        {"Allocatable", test_allocatable},
        {"FrameworkMinAllocatable", test_framework_min_allocatable},
        {"FrameworkEmptyMinAllocatable", test_framework_empty_min_allocatable},
        {NULL, NULL}};
    return test_add_suite("alloc_agents", cases);
}
