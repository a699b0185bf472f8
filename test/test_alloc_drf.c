/* test_alloc_drf.c: Mesos 1.11's allocator tests on fair sharing, offer
 * filters, suppression and weights (spec §F.1-§F.4: the rows not already in
 * test_allocator.c), one hdrf test per Mesos test, named after it. Each
 * expectation is the next offer of the FIFO, as in Mesos's harness, so an
 * unexpected extra offer fails the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_fixture.h"
#include "test/test.h"

/* F.1 ---------------------------------------------------------------------- */

/* UnreservedDRF's sequence with gpus excluded from fairness. The step that
 * tells: agent4, where role1 holds cpus 2/10 and mem 1024/7680 (0.2) and
 * role2 4/10 (0.4). Were gpus counted, role1's share would be 1/1 = 1.0 and
 * role2 would get agent4. */
static void test_drf_with_fairness_exclusion(void)
{
    static const char *const gpus[] = {"gpus"};
    hdrf_allocator_options o;
    af_options(&o);
    o.fairness_excluded = gpus;
    o.nfairness_excluded = 1;
    af *f = af_new(&o);
    af_agent(f, "cpus:2;mem:1024;disk:0;gpus:1");
    af_framework(f, "role1", HDRF_FRAMEWORK_GPU_RESOURCES);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024;gpus:1");
    af_framework(f, "role2", 0);
    af_expect_none(f); /* nothing is free */
    /* role1 2/3 cpus (gpus ignored) > role2 0 */
    af_agent(f, "cpus:1;mem:512;disk:0");
    af_expect(f, "framework2", "role2@agent2=cpus:1;mem:512");
    /* role1 2/6 = 0.33 > role2 1/6 = 0.16 */
    af_agent(f, "cpus:3;mem:2048;disk:0");
    af_expect(f, "framework2", "role2@agent3=cpus:3;mem:2048");
    /* role1 max(2/10, 1024/7680) = 0.2 < role2 max(4/10, 2560/7680) = 0.4;
     * inside role1, framework3 (0) before framework1 */
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:4;mem:4096;disk:0");
    af_expect(f, "framework3", "role1@agent4=cpus:4;mem:4096");
    /* role1 max(6/11, 5120/8192) = 0.63 > role2 max(4/11, 2560/8192) = 0.36,
     * although framework4 has nothing */
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:1;mem:512;disk:0");
    af_expect(f, "framework2", "role2@agent5=cpus:1;mem:512");
    af_expect_none(f);
    af_free(f);
}

/* F.2 ---------------------------------------------------------------------- */

/* New attributes on an agent drop every filter on it and trigger a run. */
static void test_remove_filters(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:512;disk:0");
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    af_recover(f, "framework1", "agent1", "role", "cpus:1;mem:512", 2.0);
    af_batch(f); /* t = 1: the filter (until t = 2) holds */
    af_expect_none(f);
    static const hdrf_attribute attrs[] = {{"foo", HDRF_ATTR_TEXT, "bar"},
                                           {"baz", HDRF_ATTR_TEXT, "quux"}};
    hdrf_agent_info info = {"agent1", "agent1", attrs, 2, NULL, NULL, HDRF_AGENT_DEFAULT};
    hdrf_resources *total = af_res("cpus:1;mem:512;disk:0", NULL);
    CU_ASSERT_EQUAL(hdrf_allocator_update_agent(f->a, &info, total, true), HDRF_OK);
    hdrf_resources_free(total);
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    af_expect_none(f);
    af_free(f);
}

/* F.3 ---------------------------------------------------------------------- */

static void test_deactivate_and_reactivate_framework(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "role1", "cpus:2;mem:1024", AF_NO_FILTER);
    af_suppress(f, "framework1", NULL);
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_framework(f->a, "framework1"), HDRF_OK);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework1"), HDRF_OK);
    /* Not in Mesos's test, which revives at once: the run activation
     * triggers offers nothing, as the role is still suppressed. */
    af_expect_none(f);
    af_revive(f, "framework1", NULL);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_expect_none(f);
    af_free(f);
}

static void test_suppress_and_revive_offers(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_revive(f, "framework1", NULL); /* redundant: tolerated, nothing free */
    af_expect_none(f);
    af_recover(f, "framework1", "agent1", "role1", "cpus:2;mem:1024", AF_NO_FILTER);
    af_suppress(f, "framework1", NULL);
    af_batch(f);
    af_expect_none(f);
    af_revive(f, "framework1", NULL);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_expect_none(f);
    af_free(f);
}

static void test_revive_offers(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "role1", "cpus:2;mem:1024", 1000.0);
    af_batch(f);
    af_expect_none(f);
    af_revive(f, "framework1", NULL); /* drops the filter and triggers a run */
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_expect_none(f);
    af_free(f);
}

/* Suppression and filters are per role of a multi-role framework. */
static void test_suppress_and_revive_offers_with_multi_role(void)
{
    const double day = 86400.0;
    af *f = af_new(NULL);
    af_framework(f, "role1,role2", 0);
    af_suppress(f, "framework1", "role1");
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_expect(f, "framework1", "role2@agent1=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "role2", "cpus:2;mem:1024", day);
    af_batch(f);
    af_expect_none(f);
    /* reviving role1 leaves role2's filter in place */
    af_revive(f, "framework1", "role1");
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "role1", "cpus:2;mem:1024", day);
    af_batch(f);
    af_expect_none(f); /* both roles filtered now */
    af_free(f);
}

/* MESOS-6940: an agent without MULTI_ROLE is not offered to a MULTI_ROLE
 * framework (every framework of the harness is MULTI_ROLE). */
static void test_dont_offer_old_agent_to_multi_role_framework(void)
{
    af *f = af_new(NULL);
    af_framework(f, "foo", HDRF_FRAMEWORK_MULTI_ROLE);
    af_agent_full(f, "cpus:2;mem:1024;disk:0", 0, NULL, NULL, NULL, NULL);
    af_batch(f);
    af_expect_none(f);
    af_free(f);
}

/* F.4 ---------------------------------------------------------------------- */

/* Takes `n` offers, one per framework: frameworkK must get, in roleK,
 * `agents[K-1]` whole agents of cpus:2;mem:1024 (which agents is the
 * shuffle's choice, as in Mesos). Then no other offer; `recover` declines
 * them all without a filter. */
static void expect_split(af *f, const int *agents, size_t n, bool recover)
{
    bool seen[8] = {false};
    for (size_t i = 0; i < n; i++) {
        const af_offer *o = af_take(f);
        REQUIRE(o);
        int k = atoi(o->framework + strlen("framework"));
        REQUIRE_TRUE(k >= 1 && (size_t)k <= n && !seen[k - 1]);
        seen[k - 1] = true;
        char role[16], spec[64];
        snprintf(role, sizeof role, "role%d", k);
        snprintf(spec, sizeof spec, "cpus:%d;mem:%d", 2 * agents[k - 1], 1024 * agents[k - 1]);
        hdrf_resources *sum = af_offer_sum(o), *want = af_res(spec, role);
        CU_ASSERT_TRUE(hdrf_resources_equal(sum, want));
        CU_ASSERT_EQUAL(o->n, (size_t)agents[k - 1]);
        for (size_t j = 0; j < o->n; j++)
            ASSERT_STR(o->items[j].role, role);
        if (!hdrf_resources_equal(sum, want)) {
            char *s = hdrf_resources_format(sum);
            fprintf(stderr, "%s got %s, expected %s\n", o->framework, s, spec);
            free(s);
        }
        hdrf_resources_free(sum);
        hdrf_resources_free(want);
        if (recover)
            af_decline(f, o, AF_NO_FILTER);
    }
    af_expect_none(f);
}

/* Weighted DRF: a role's share is divided by its weight. Six agents of
 * cpus:2;mem:1024, each 1/6 of the cluster. */
static void test_update_weight(void)
{
    af *f = af_new(NULL);
    for (int i = 0; i < 6; i++)
        af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "role1", 0);
    const af_offer *o = af_take(f); /* framework1 alone: all six agents */
    REQUIRE(o);
    hdrf_resources *sum = af_offer_sum(o), *all = af_res("cpus:12;mem:6144", "role1");
    CU_ASSERT_STRING_EQUAL(o->framework, "framework1");
    CU_ASSERT_TRUE(hdrf_resources_equal(sum, all));
    hdrf_resources_free(sum);
    hdrf_resources_free(all);
    af_framework(f, "role2", 0);
    af_settle(f);                        /* its run finds nothing free */
    REQUIRE_TRUE(f->head == f->noffers); /* so `o` is still valid */
    af_decline(f, o, AF_NO_FILTER);

    /* weights 1:1 -> 3 agents each (shares 0.5 / 0.5) */
    af_batch(f);
    expect_split(f, (const int[]){3, 3}, 2, true);

    /* weights 1:2 -> role1 2 agents (1/3), role2 4 (2/3: 0.66 / 2 = 0.33) */
    af_weight(f, "role2", 2.0);
    af_batch(f);
    expect_split(f, (const int[]){2, 4}, 2, true);

    /* weights 1:2:3 and framework3 added: its run splits 1:2:3
     * (weighted shares 1/6, 2/6 / 2, 3/6 / 3 all = 1/6) */
    af_weight(f, "role3", 3.0);
    af_framework(f, "role3", 0);
    expect_split(f, (const int[]){1, 2, 3}, 3, false);
    af_free(f);
}

int suite_alloc_drf(void)
{
    static const test_case cases[] = {
        {"DRFWithFairnessExclusion", test_drf_with_fairness_exclusion},
        {"RemoveFilters", test_remove_filters},
        {"DeactivateAndReactivateFramework", test_deactivate_and_reactivate_framework},
        {"SuppressAndReviveOffers", test_suppress_and_revive_offers},
        {"ReviveOffers", test_revive_offers},
        {"SuppressAndReviveOffersWithMultiRole", test_suppress_and_revive_offers_with_multi_role},
        {"DontOfferOldAgentToMultiRoleFramework",
         test_dont_offer_old_agent_to_multi_role_framework},
        {"UpdateWeight", test_update_weight},
        {NULL, NULL}};
    return test_add_suite("alloc_drf", cases);
}
