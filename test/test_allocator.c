/* test_allocator.c: the allocator against Mesos 1.11's own allocator tests
 * (src/tests/hierarchical_allocator_tests.cpp), one hdrf test per Mesos
 * test, named after it; docs/mesos-conformance.md maps every row. The
 * expected offers are the ones Mesos's tests expect, derived there by hand
 * from DRF shares; the comments repeat the arithmetic where it decides. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_fixture.h"
#include "test/test.h"

/* F.1 ---------------------------------------------------------------------- */

static void test_unreserved_drf(void)
{
    af *f = af_new(NULL);
    const char *a;
    a = af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_framework(f, "role2", 0);
    af_expect_none(f);
    af_agent(f, "cpus:1;mem:512;disk:0");
    af_expect(f, "framework2", "role2@agent2=cpus:1;mem:512");
    /* role1 2/6 cpus = 0.33 > role2 1/6 */
    af_agent(f, "cpus:3;mem:2048;disk:0");
    af_expect(f, "framework2", "role2@agent3=cpus:3;mem:2048");
    /* role1 2/10 = 0.2 < role2 4/10; f3 (0) before f1 inside role1 */
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:4;mem:4096;disk:0");
    af_expect(f, "framework3", "role1@agent4=cpus:4;mem:4096");
    /* role1 6/11 = 0.55 and 5120/8192 = 0.63 > role2 4/11 = 0.36 */
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:1;mem:512;disk:0");
    af_expect(f, "framework2", "role2@agent5=cpus:1;mem:512");
    af_expect_none(f);
    (void)a;
    af_free(f);
}

static void test_reserved_drf(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:1;mem:512;cpus(role1):100;mem(role1):1024");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:512;cpus(role1):100;mem(role1):1024");
    af_framework(f, "role2", 0);
    af_agent(f, "cpus:2;mem:512");
    af_expect(f, "framework2", "role2@agent2=cpus:2;mem:512");
    /* reserved resources count in role1's share: cpus 101/105 */
    af_agent(f, "cpus:2;mem:512");
    af_expect(f, "framework2", "role2@agent3=cpus:2;mem:512");
    af_framework(f, "role1", 0);
    af_agent(f, "cpus(role1):2;mem(role1):1024");
    af_expect(f, "framework3", "role1@agent4=cpus(role1):2;mem(role1):1024");
    af_expect_none(f);
    af_free(f);
}

static void test_nested_role_drf(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "a/b", 0);
    af_expect(f, "framework1", "a/b@agent1=cpus:2;mem:1024");
    af_framework(f, "a/c", 0);
    af_framework(f, "d/e", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework3", "d/e@agent2=cpus:1;mem:512");
    af_framework(f, "d/f", 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect(f, "framework4", "d/f@agent3=cpus:2;mem:1024");
    af_expect_none(f);
    af_free(f);
}

/* Mesos checks every one of the ten offers to be the whole agent for role
 * "*" (to whichever framework), and five offers to each framework. */
static void test_same_share_fairness(void)
{
    af *f = af_new(NULL);
    af_framework(f, "*", 0);
    af_framework(f, "*", 0);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    int got[2] = {0, 0};
    for (int i = 0; i < 10; i++) {
        const af_offer *o = af_take(f);
        REQUIRE(o);
        bool first = strcmp(o->framework, "framework1") == 0;
        bool whole =
            af_offer_is(o, first ? "framework1" : "framework2", "*@agent1=cpus:2;mem:1024;disk:0");
        CU_ASSERT_TRUE(whole);
        if (!whole)
            af_print_offer(o);
        got[first ? 0 : 1]++;
        af_decline(f, o, AF_NO_FILTER);
        af_batch(f);
    }
    CU_ASSERT_EQUAL(got[0], 5);
    CU_ASSERT_EQUAL(got[1], 5);
    af_free(f);
}

/* An offer that is one whole agent (cpus:2;mem:1024) for `role`; its agent
 * in *agent. */
static bool whole_agent_for(const af_offer *o, const char *role, const char **agent)
{
    if (o->n != 1)
        return false;
    char spec[128];
    snprintf(spec, sizeof spec, "%s@%s=cpus:2;mem:1024;disk:0", role, o->items[0].agent);
    *agent = o->items[0].agent;
    return af_offer_is(o, o->framework, spec);
}

/* Allocation is per agent: with two frameworks and two equal agents, each
 * framework gets one whole agent for its own role (Mesos does not say
 * which). */
static void test_coarse_grained(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024 | role1@agent2=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "role1", "cpus:2;mem:1024", AF_NO_FILTER);
    af_recover(f, "framework1", "agent2", "role1", "cpus:2;mem:1024", AF_NO_FILTER);
    af_framework(f, "role2", 0);
    const af_offer *o1 = af_take(f), *o2 = af_take(f);
    REQUIRE_TRUE(o1 && o2);
    if (strcmp(o1->framework, "framework2") == 0) {
        const af_offer *t = o1;
        o1 = o2;
        o2 = t;
    }
    ASSERT_STR(o1->framework, "framework1");
    ASSERT_STR(o2->framework, "framework2");
    const char *agent1 = NULL, *agent2 = NULL;
    CU_ASSERT_TRUE(whole_agent_for(o1, "role1", &agent1));
    CU_ASSERT_TRUE(whole_agent_for(o2, "role2", &agent2));
    CU_ASSERT_TRUE(agent1 && agent2 && strcmp(agent1, agent2) != 0);
    af_expect_none(f);
    af_free(f);
}

/* F.2 ---------------------------------------------------------------------- */

static void test_offer_filter(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    af_recover(f, "framework1", "agent1", "role", "cpus:1;mem:512", 2.0);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 1, 0);
    af_batch(f); /* t = 1: filtered */
    af_expect_none(f);
    af_batch(f); /* t = 2: the filter's timer fired first */
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 0, 0);
    af_free(f);
}

/* Two frameworks refuse the same resources on one agent: the filters share
 * what was refused, and each lives and dies on its own. */
static void test_shared_refusal(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role", 0);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");              /* tie: the first */
    af_recover(f, "framework1", "agent1", "role", "cpus:1;mem:512", 10.0); /* to t = 10 */
    af_batch(f);                                                           /* t = 1 */
    af_expect(f, "framework2", "role@agent1=cpus:1;mem:512");
    af_recover(f, "framework2", "agent1", "role", "cpus:1;mem:512", 2.0); /* to t = 3 */
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 2, 0);
    af_batch(f); /* t = 2: both filtered */
    af_expect_none(f);
    af_batch(f); /* t = 3: framework2's filter is gone, framework1's stays */
    af_expect(f, "framework2", "role@agent1=cpus:1;mem:512");
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 1, 0);
    af_recover(f, "framework2", "agent1", "role", "cpus:1;mem:512", AF_NO_FILTER);
    af_batch(f); /* t = 4: framework1 still refuses */
    af_expect(f, "framework2", "role@agent1=cpus:1;mem:512");
    af_recover(f, "framework2", "agent1", "role", "cpus:1;mem:512", AF_NO_FILTER);
    af_revive(f, "framework1", "role"); /* drops the last filter */
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 0, 0);
    af_free(f);
}

static void test_small_offer_filter_timeout(void)
{
    hdrf_allocator_options o;
    af_options(&o);
    o.allocation_interval = 60 * HDRF_SECOND;
    af *f = af_new(&o);
    af_framework(f, "role", 0);
    af_framework(f, "role", 0);
    af_agent_used(f, "cpus:1;mem:512", "framework1", "role", "cpus:1;mem:512");
    af_expect_none(f);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework2", "role@agent2=cpus:1;mem:512");
    af_recover(f, "framework2", "agent2", "role", "cpus:1;mem:512", 1.0); /* lasts 60 s */
    af_advance(f, 1);
    af_expect_none(f);
    af_batch(f); /* t = 61 s: the first batch after the filter still sees it */
    af_expect(f, "framework1", "role@agent2=cpus:1;mem:512");
    af_recover(f, "framework1", "agent2", "role", "cpus:1;mem:512", AF_NO_FILTER);
    af_batch(f);
    af_expect(f, "framework2", "role@agent2=cpus:1;mem:512");
    af_free(f);
}

/* F.7 ---------------------------------------------------------------------- */

static void test_quota_provides_guarantee(void)
{
    af *f = af_new(NULL);
    af_framework(f, "quota-role", 0);
    af_quota(f, "quota-role", "cpus:2;mem:1024", "cpus:2;mem:1024");
    af_framework(f, "no-quota-role", 0);
    af_expect_none(f);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "quota-role@agent1=cpus:1;mem:512");
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "quota-role@agent2=cpus:1;mem:512");
    af_recover(f, "framework1", "agent2", "quota-role", "cpus:1;mem:512", 2.0);
    af_batch(f); /* t = 1: framework2 cannot have the headroom */
    af_expect_none(f);
    af_batch(f);
    af_expect(f, "framework1", "quota-role@agent2=cpus:1;mem:512");
    af_free(f);
}

static void test_quota_allocation_granularity(void)
{
    af *f = af_new(NULL);
    af_framework(f, "quota-role", 0);
    af_quota(f, "quota-role", "cpus:0.5;mem:200", "cpus:0.5;mem:200");
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "quota-role@agent1=cpus:0.5;mem:200");
    af_framework(f, "no-quota-role", 0);
    af_expect(f, "framework2", "no-quota-role@agent1=cpus:0.5;mem:312");
    af_free(f);
}

static void test_reservations(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus(role1):2;mem(role1):1024");
    af_agent(f, "cpus(role2):2;mem(role2):1024;cpus:1;mem:1024");
    af_agent(f, "cpus(role3):1;mem(role3):1024");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1",
              "role1@agent1=cpus(role1):2;mem(role1):1024 | role1@agent2=cpus:1;mem:1024");
    af_framework(f, "role2", 0);
    af_expect(f, "framework2", "role2@agent2=cpus(role2):2;mem(role2):1024");
    af_expect_none(f);
    af_free(f);
}

static void test_recover_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus(role1):1;mem(role1):200;cpus:1;mem:200");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus(role1):1;mem(role1):200;cpus:1;mem:200");
    af_recover(f, "framework1", "agent1", "role1", "cpus(role1):1;mem(role1):200", AF_NO_FILTER);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus(role1):1;mem(role1):200");
    af_recover(f, "framework1", "agent1", "role1", "cpus:1;mem:200", AF_NO_FILTER);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:200");
    af_free(f);
}

/* Offer constraints through the allocator (Mesos 1.11 has no allocator test
 * for them: spec §E.3). The framework in role r1 accepts only hostnames
 * matching agent[2-3]; its constraint for r2, a role it does not subscribe
 * to, is never consulted. */
static void explain_one(void *arg, const char *role, const char *framework, hdrf_reason reason)
{
    (void)role;
    (void)framework;
    *(hdrf_reason *)arg = reason;
}

static void test_offer_constraints(void)
{
    af *f = af_new(NULL);
    hdrf_attribute_constraint host = {HDRF_SELECT_HOSTNAME, NULL, HDRF_TEXT_MATCHES, "agent[2-3]"};
    hdrf_attribute_constraint never = {HDRF_SELECT_HOSTNAME, NULL, HDRF_TEXT_EQUALS, "none"};
    hdrf_constraint_group g1 = {&host, 1}, g2 = {&never, 1};
    hdrf_role_constraints rc[2] = {{"r1", &g1, 1}, {"r2", &g2, 1}};
    hdrf_constraints *c = NULL;
    hdrf_error e;
    REQUIRE_TRUE(hdrf_constraints_compile(rc, 2, NULL, &c, &e) == HDRF_OK);
    const char *roles[] = {"r1"};
    hdrf_framework_info info = {.id = "fw",
                                .name = "fw",
                                .roles = roles,
                                .nroles = 1,
                                .capabilities = HDRF_FRAMEWORK_MULTI_ROLE,
                                .constraints = c};
    CU_ASSERT_EQUAL(hdrf_allocator_add_framework(f->a, &info, NULL, 0, true), HDRF_OK);
    af_agent(f, "cpus:1;mem:512");
    af_expect_none(f); /* agent1 is excluded */
    hdrf_reason why = HDRF_REASON_INACTIVE;
    hdrf_allocator_explain(f->a, explain_one, &why);
    CU_ASSERT_EQUAL(why, HDRF_REASON_CONSTRAINT);
    af_agent(f, "cpus:2;mem:512");
    af_expect(f, "fw", "r1@agent2=cpus:2;mem:512");
    af_agent(f, "cpus:3;mem:512");
    af_expect(f, "fw", "r1@agent3=cpus:3;mem:512");
    af_agent(f, "cpus:4;mem:512");
    af_expect_none(f);
    af_free(f); /* frees the constraints with the framework */
}

/* A framework whose offer constraints the caller decides (a real master's
 * OfferConstraintsFilter): the allocator asks callbacks.agent_excluded for
 * its role on each agent, and never for a framework without
 * caller_constraints. Here the caller excludes agent1 for fw1's role r1. */
typedef struct asked {
    int fw1, fw2;
    char last[128];
} asked;

static bool exclude_agent1(void *arg, const char *framework, const char *role, const char *agent)
{
    asked *k = arg;
    if (strcmp(framework, "fw1") == 0)
        k->fw1++;
    else
        k->fw2++;
    snprintf(k->last, sizeof k->last, "%s %s %s", framework, role, agent);
    return strcmp(agent, "agent1") == 0;
}

static void test_offer_constraints_by_caller(void)
{
    af *f = af_new(NULL);
    asked k = {0, 0, ""};
    f->excluded = exclude_agent1;
    f->excluded_arg = &k;
    const char *r1[] = {"r1"}, *r2[] = {"r2"};
    hdrf_framework_info fw1 = {.id = "fw1",
                               .name = "fw1",
                               .roles = r1,
                               .nroles = 1,
                               .capabilities = HDRF_FRAMEWORK_MULTI_ROLE,
                               .caller_constraints = true};
    CU_ASSERT_EQUAL(hdrf_allocator_add_framework(f->a, &fw1, NULL, 0, true), HDRF_OK);
    af_agent(f, "cpus:1;mem:512");
    af_expect_none(f); /* agent1: excluded by the caller */
    CU_ASSERT_EQUAL(k.fw1, 1);
    ASSERT_STR(k.last, "fw1 r1 agent1");
    hdrf_reason why = HDRF_REASON_INACTIVE;
    hdrf_allocator_explain(f->a, explain_one, &why);
    CU_ASSERT_EQUAL(why, HDRF_REASON_CONSTRAINT);
    af_agent(f, "cpus:2;mem:512");
    af_expect(f, "fw1", "r1@agent2=cpus:2;mem:512");
    CU_ASSERT_EQUAL(k.fw1, 2);
    ASSERT_STR(k.last, "fw1 r1 agent2");
    /* fw2 leaves its constraints to the allocator (it has none): never asked */
    hdrf_framework_info fw2 = {.id = "fw2",
                               .name = "fw2",
                               .roles = r2,
                               .nroles = 1,
                               .capabilities = HDRF_FRAMEWORK_MULTI_ROLE};
    CU_ASSERT_EQUAL(hdrf_allocator_add_framework(f->a, &fw2, NULL, 0, true), HDRF_OK);
    af_expect(f, "fw2", "r2@agent1=cpus:1;mem:512");
    CU_ASSERT_EQUAL(k.fw2, 0);
    /* updated without caller_constraints, fw1 is no longer asked */
    fw1.caller_constraints = false;
    CU_ASSERT_EQUAL(hdrf_allocator_update_framework(f->a, &fw1), HDRF_OK);
    af_recover(f, "fw1", "agent2", "r1", "cpus:2;mem:512", AF_NO_FILTER);
    af_recover(f, "fw2", "agent1", "r2", "cpus:1;mem:512", AF_NO_FILTER);
    int before = k.fw1;
    af_batch(f);
    CU_ASSERT_EQUAL(k.fw1, before);
    af_free(f);
}

/* RoleTreeTest.RolesTracking (sorter_tests.cpp): a role, with every
 * ancestor, is tracked while it has a weight, a quota, a reservation or a
 * framework, and untracked with all of them once it has none. Mesos's
 * RoleTree adds a role's metrics when it tracks it (RoleTree::operator[])
 * and removes them when it untracks it (tryRemove), so the filter gauge
 * allocator/mesos/offer_filters/roles/<role>/active is how a role being
 * tracked shows; that is what this port checks, for a, a/b and a/b/c. */
static bool role_tracked(af *f, const char *role)
{
    char name[128];
    snprintf(name, sizeof name, "allocator/mesos/offer_filters/roles/%s/active", role);
    return !isnan(af_metric(f, name));
}

static void expect_tracked(af *f, bool tracked)
{
    static const char *const path[] = {"a", "a/b", "a/b/c"};
    for (size_t i = 0; i < 3; i++) {
        bool got = role_tracked(f, path[i]);
        CU_ASSERT_EQUAL(got, tracked);
        if (got != tracked)
            fprintf(stderr, "role %s: %s\n", path[i], got ? "tracked" : "not tracked");
    }
}

static void test_roles_tracking(void)
{
    af *f = af_new(NULL);
    expect_tracked(f, false);

    /* by weight; the default weight untracks */
    af_weight(f, "a/b/c", 2.0);
    expect_tracked(f, true);
    af_weight(f, "a/b/c", 1.0);
    expect_tracked(f, false);

    /* by quota; the default (no) quota untracks */
    af_quota(f, "a/b/c", "cpus:1", "cpus:1");
    expect_tracked(f, true);
    CU_ASSERT_DOUBLE_EQUAL(
        af_metric(f, "allocator/mesos/quota/roles/a/b/c/resources/cpus/guarantee"), 1, 0);
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/quota/roles/a/b/resources/cpus/guarantee")));
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/quota/roles/a/resources/cpus/guarantee")));
    af_quota(f, "a/b/c", NULL, NULL);
    expect_tracked(f, false);

    /* by reservation: an agent with cpus(a/b/c):1, then without it */
    af_agent(f, "cpus(a/b/c):1");
    expect_tracked(f, true);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(f->a, "agent1"), HDRF_OK);
    expect_tracked(f, false);

    /* by framework */
    af_framework(f, "a/b/c", 0);
    expect_tracked(f, true);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_framework(f->a, "framework1"), HDRF_OK);
    expect_tracked(f, false);
    af_free(f);
}

int suite_allocator(void)
{
    static const test_case cases[] = {
        {"UnreservedDRF", test_unreserved_drf},
        {"ReservedDRF", test_reserved_drf},
        {"NestedRoleDRF", test_nested_role_drf},
        {"SameShareFairness", test_same_share_fairness},
        {"CoarseGrained", test_coarse_grained},
        {"OfferFilter", test_offer_filter},
        {"two filters share one refusal and expire apart", test_shared_refusal},
        {"SmallOfferFilterTimeout", test_small_offer_filter_timeout},
        {"QuotaProvidesGuarantee", test_quota_provides_guarantee},
        {"QuotaAllocationGranularity", test_quota_allocation_granularity},
        {"Reservations", test_reservations},
        {"RecoverResources", test_recover_resources},
        {"offer constraints decided by the caller", test_offer_constraints_by_caller},
        {"offer constraints exclude agents per role", test_offer_constraints},
        {"RoleTreeTest.RolesTracking", test_roles_tracking},
        {NULL, NULL}};
    return test_add_suite("allocator", cases);
}
