/* test_alloc_behaviours.c: behaviours of Mesos 1.11's allocator that no
 * Mesos test covers (spec §F.15), and hdrf's explanations of why a
 * framework got nothing. Each test is named after the behaviour; expected
 * offers follow from spec §C and §D, with the arithmetic where it decides. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

#define SUPPRESSED_R1 "master/frameworks/framework1/framework1/roles/r1/suppressed"

/* ---- capabilities ----------------------------------------------------------- */

/* An agent with GPUs is offered whole to GPU_RESOURCES frameworks only
 * (the whole agent is skipped for the others), unless filter_gpu_resources
 * is off: then to anyone, GPUs included. */
static void test_gpu_agent_filtering(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:1;mem:512;gpus:1");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "role1", "framework1"), HDRF_REASON_CAPABILITY);
    af_framework(f, "role2", HDRF_FRAMEWORK_GPU_RESOURCES);
    af_expect(f, "framework2", "role2@agent1=cpus:1;mem:512;gpus:1");
    /* an agent without GPUs: anyone (role1 0 < role2 1) */
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "role1@agent2=cpus:1;mem:512");
    af_expect_none(f);
    af_free(f);

    hdrf_allocator_options o;
    af_options(&o);
    o.filter_gpu_resources = false;
    f = af_new(&o);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:1;mem:512;gpus:1");
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:512;gpus:1");
    af_free(f);
}

/* With the master in region "east", an agent in "west" goes only to
 * REGION_AWARE frameworks; agents without a fault domain are local. */
static void test_region_awareness(void)
{
    hdrf_allocator_options o;
    af_options(&o);
    o.region = "east";
    af *f = af_new(&o);
    af_framework(f, "role1", 0);
    hdrf_resources *r = ah_res(NULL, "cpus:1;mem:512", NULL);
    ah_agent(f, r, HDRF_AGENT_DEFAULT, "west", NULL, 0);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "role1", "framework1"), HDRF_REASON_CAPABILITY);
    ah_agent(f, r, HDRF_AGENT_DEFAULT, NULL, NULL, 0);
    af_expect(f, "framework1", "role1@agent2=cpus:1;mem:512");
    ah_agent(f, r, HDRF_AGENT_DEFAULT, "east", NULL, 0);
    af_expect(f, "framework1", "role1@agent3=cpus:1;mem:512");
    af_framework(f, "role2", HDRF_FRAMEWORK_REGION_AWARE);
    af_expect(f, "framework2", "role2@agent1=cpus:1;mem:512");
    af_expect_none(f);
    hdrf_resources_free(r);
    af_free(f);
}

/* A nested role is not offered agents without HIERARCHICAL_ROLE. */
static void test_hierarchical_role_capability(void)
{
    af *f = af_new(NULL);
    af_framework(f, "a/b", 0);
    af_agent_full(f, "cpus:1;mem:512", HDRF_AGENT_MULTI_ROLE, NULL, NULL, NULL, NULL);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "a/b", "framework1"), HDRF_REASON_CAPABILITY);
    af_framework(f, "a", 0);
    af_expect(f, "framework2", "a@agent1=cpus:1;mem:512");
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "a/b@agent2=cpus:1;mem:512");
    af_expect_none(f);
    af_free(f);
}

/* A refined reservation (a stack of two) is never offered to a framework
 * without RESERVATION_REFINEMENT, even in its own role. */
static void test_refined_reservations(void)
{
    af *f = af_new(NULL);
    char cpus[512], mem[512];
    hdrf_resources *total =
        ah_res(NULL, "cpus:1;mem:512", ah_reserved(cpus, sizeof cpus, "cpus", 2, "a,a/b", false),
               ah_reserved(mem, sizeof mem, "mem", 256, "a,a/b", false), NULL);
    af_framework(f, "a/b", 0);
    ah_agent(f, total, HDRF_AGENT_DEFAULT, NULL, NULL, 0);
    af_expect(f, "framework1", "a/b@agent1=cpus:1;mem:512");
    af_batch(f);
    af_expect_none(f);
    af_framework(f, "a/b", HDRF_FRAMEWORK_RESERVATION_REFINEMENT);
    hdrf_resources *refined = ah_res("a/b", cpus, mem, NULL);
    ah_expect(f, "framework2", "a/b", "agent1", refined);
    af_expect_none(f);
    hdrf_resources_free(refined);
    hdrf_resources_free(total);
    af_free(f);
}

/* ---- framework events --------------------------------------------------------- */

static int update_roles(af *f, const char *id, const char *const *roles, size_t n,
                        const char *const *suppressed, size_t ns)
{
    hdrf_framework_info info = {.id = id,
                                .name = id,
                                .roles = roles,
                                .nroles = n,
                                .capabilities = HDRF_FRAMEWORK_MULTI_ROLE,
                                .suppressed_roles = suppressed,
                                .nsuppressed_roles = ns};
    int rc = hdrf_allocator_update_framework(f->a, &info);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "update_framework: %s\n", hdrf_allocator_errmsg(f->a));
    return rc;
}

/* update_framework: a new role is offered at the next run (the update
 * itself triggers none); suppressed roles follow the info; a role left
 * loses its filters, and the framework stays tracked there while it holds
 * resources in it. */
static void test_update_framework_roles(void)
{
    static const char *const r1[] = {"r1"}, *const r2[] = {"r2"}, *const both[] = {"r1", "r2"};
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "r1", 0);
    af_expect(f, "framework1", "r1@agent1=cpus:2;mem:1024");

    update_roles(f, "framework1", both, 2, r1, 1);
    af_expect_none(f);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, SUPPRESSED_R1), 1, 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect(f, "framework1", "r2@agent2=cpus:2;mem:1024"); /* r1 suppressed */
    af_recover(f, "framework1", "agent2", "r2", "cpus:2;mem:1024", 1000);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r1", "framework1"), HDRF_REASON_SUPPRESSED);
    CU_ASSERT_EQUAL(ah_reason(f, "r2", "framework1"), HDRF_REASON_FILTERED);

    /* leave r2 (its filter goes), r1 no longer suppressed */
    update_roles(f, "framework1", r1, 1, NULL, 0);
    af_expect_none(f);
    /* r2 had nothing else: it left the role tree, with its filter metric */
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/offer_filters/roles/r2/active")));
    af_batch(f);
    af_expect(f, "framework1", "r1@agent2=cpus:2;mem:1024");

    /* back in r2, r1 suppressed: r2's old filter is gone */
    af_recover(f, "framework1", "agent2", "r1", "cpus:2;mem:1024", AF_NO_FILTER);
    update_roles(f, "framework1", both, 2, r1, 1);
    af_batch(f);
    af_expect(f, "framework1", "r2@agent2=cpus:2;mem:1024");

    /* leave r1 while holding agent1 there: still tracked under r1 */
    update_roles(f, "framework1", r2, 1, NULL, 0);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/roles/r1/shares/dominant"), 0.5, 1e-9);
    CU_ASSERT_EQUAL(ah_reason(f, "r1", "framework1"), -1); /* not subscribed: not explained */
    af_recover(f, "framework1", "agent1", "r1", "cpus:2;mem:1024", AF_NO_FILTER);
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/roles/r1/shares/dominant")));
    CU_ASSERT_TRUE(isnan(af_metric(f, SUPPRESSED_R1)));
    af_batch(f);
    af_expect(f, "framework1", "r2@agent1=cpus:2;mem:1024");
    af_expect_none(f);
    af_free(f);
}

/* hdrf differs from Mesos on purpose here (allocator.h, spec §H.1 #3):
 * Mesos's updateFramework() and reviveOffers() activate an inactive
 * framework's entries in the framework sorters, so it could be offered
 * resources (and stage 1 would then CHECK-fail on it); hdrf never offers an
 * inactive framework anything, until activate_framework(). */
static void test_inactive_framework_stays_inactive(void)
{
    static const char *const both[] = {"r1", "r2"};
    af *f = af_new(NULL);
    af_framework_full(f, "r1", 0, false, NULL, NULL, NULL);
    af_agent(f, "cpus:1;mem:512");
    af_expect_none(f);
    update_roles(f, "framework1", both, 2, NULL, 0); /* Mesos: active in r2 */
    CU_ASSERT_EQUAL(hdrf_allocator_revive(f->a, "framework1", NULL, 0), HDRF_OK);
    af_expect_none(f);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r1", "framework1"), HDRF_REASON_INACTIVE);
    CU_ASSERT_EQUAL(ah_reason(f, "r2", "framework1"), HDRF_REASON_INACTIVE);
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework1"), HDRF_OK);
    /* r1 and r2 tie at share 0 and no allocations: r1 first by name */
    af_expect(f, "framework1", "r1@agent1=cpus:1;mem:512");
    af_free(f);
}

/* remove_framework frees what it held; nothing is offered until the next
 * trigger or batch. */
static void test_remove_framework(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "role", 0);
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:1024");
    af_framework(f, "role", 0);
    af_expect_none(f);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_framework(f->a, "framework1"), HDRF_OK);
    af_expect_none(f);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/resources/cpus/offered_or_allocated"), 0,
                           0);
    af_batch(f);
    af_expect(f, "framework2", "role@agent1=cpus:2;mem:1024");
    af_free(f);
}

/* ---- agents ------------------------------------------------------------------------ */

/* A deactivated agent is never offered; reactivating it triggers no run. */
static void test_activate_deactivate_agent(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:2;mem:1024");
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_agent(f->a, "agent1"), HDRF_OK);
    af_expect_none(f); /* the pending run skips it */
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "role", "framework1"), HDRF_REASON_NOTHING_AVAILABLE);
    CU_ASSERT_EQUAL(hdrf_allocator_activate_agent(f->a, "agent1"), HDRF_OK);
    af_expect_none(f);
    af_batch(f);
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:1024");
    /* deactivation keeps what is offered or allocated */
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_agent(f->a, "agent1"), HDRF_OK);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/resources/cpus/offered_or_allocated"), 2,
                           0);
    af_free(f);
}

/* ---- filters ------------------------------------------------------------------------- */

/* The batch at which the agent comes back after a decline with `refuse`,
 * counting batches from the decline (at most `most`). */
static int back_after(af *f, double refuse, int most)
{
    af_recover(f, "framework1", "agent1", "role", "cpus:1;mem:512", refuse);
    for (int k = 1; k <= most; k++) {
        af_batch(f);
        if (f->head < f->noffers) {
            af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
            return k;
        }
    }
    return 0;
}

/* refuse_seconds, as Mesos 1.11's recoverResources() reads it: 0 means no
 * filter; negative (however large) means the 5 s default; above 365 days (+inf and
 * 1e300 too) means 365 days; NaN and anything below the interval mean the
 * interval. A filter whose expiry falls on the first batch after it was
 * made still applies to that batch (spec §D.14). */
static void test_refuse_seconds_edge_cases(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    CU_ASSERT_EQUAL(back_after(f, 0, 10), 1); /* no filter */
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/offer_filters/roles/role/active"), 0, 0);
    CU_ASSERT_EQUAL(back_after(f, -1, 10), 5);
    CU_ASSERT_EQUAL(back_after(f, -1e200, 10), 5); /* (the fixture reads -inf as no Filters) */
    CU_ASSERT_EQUAL(back_after(f, NAN, 10), 2);    /* the 1 s interval */
    /* 0.5 s -> 1 s: expires at the first batch, which still sees it */
    CU_ASSERT_EQUAL(back_after(f, 0.5, 10), 2);
    CU_ASSERT_EQUAL(back_after(f, 3, 10), 3);
    af_free(f);

    /* 365 days at most: with a one-day interval, back at day 365 */
    hdrf_allocator_options o;
    af_options(&o);
    o.allocation_interval = 86400 * HDRF_SECOND;
    f = af_new(&o);
    af_framework(f, "role", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "role@agent1=cpus:1;mem:512");
    CU_ASSERT_EQUAL(back_after(f, 1e9, 400), 365);
    CU_ASSERT_EQUAL(back_after(f, 2147483647.0, 400), 365); /* INT_MAX, as DeclineOffers */
    CU_ASSERT_EQUAL(back_after(f, INFINITY, 400), 365);
    CU_ASSERT_EQUAL(back_after(f, 1e300, 400), 365); /* no Duration holds it: cut first */
    af_free(f);
}

/* ---- quota ------------------------------------------------------------------------- */

/* Stage 1 lets a quota role burst above its guarantee up to its limit, on
 * an agent that gives it guaranteed resources, as far as the headroom for
 * others' guarantees allows. */
static void test_burst_above_guarantee(void)
{
    af *f = af_new(NULL);
    af_quota(f, "q", "cpus:1", "cpus:4");
    af_framework(f, "q", 0);
    af_framework(f, "other", 0);
    af_agent(f, "cpus:8;mem:1024");
    /* guaranteed cpus:1; additional cpus:7 cut by the limit 4 - 0 - 1 = 3;
     * headroom 8 - 1 = 7 cuts nothing; mem has no limit: all of it */
    af_expect(f, "framework1", "q@agent1=cpus:4;mem:1024");
    /* stage 2: q is at its limit; the rest goes to `other` */
    af_expect(f, "framework2", "other@agent1=cpus:4");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "q", "framework1"), -1);
    af_free(f);

    f = af_new(NULL);
    af_quota(f, "q", "cpus:1", "cpus:4");
    af_quota(f, "g", "cpus:6", NULL); /* no framework: its guarantee is headroom */
    af_framework(f, "q", 0);
    af_framework(f, "other", 0);
    af_agent(f, "cpus:8;mem:1024");
    /* required headroom 1 + 6 = 7 of 8: the burst is cut to 8 - 7 = 1 more */
    af_expect(f, "framework1", "q@agent1=cpus:2;mem:1024");
    /* left cpus:6 = what g is still owed: `other` gets nothing */
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "other", "framework2"), HDRF_REASON_HEADROOM);
    af_free(f);
}

/* ---- explanations ---------------------------------------------------------------- */

/* Each reason hdrf_allocator_explain() gives, in the situation it names. */
static void test_explanations(void)
{
    af *f = af_new(NULL);
    af_framework(f, "idle", 0);
    af_settle(f); /* a run with no agent */
    CU_ASSERT_EQUAL(ah_reason(f, "idle", "framework1"), HDRF_REASON_NOTHING_AVAILABLE);
    af_free(f);

    /* suppressed and inactive, with something free */
    f = af_new(NULL);
    af_framework(f, "s", 0);
    af_framework(f, "i", 0);
    const char *s[] = {"s"};
    CU_ASSERT_EQUAL(hdrf_allocator_suppress(f->a, "framework1", s, 1), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_framework(f->a, "framework2"), HDRF_OK);
    af_agent(f, "cpus:1;mem:512");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "s", "framework1"), HDRF_REASON_SUPPRESSED);
    CU_ASSERT_EQUAL(ah_reason(f, "i", "framework2"), HDRF_REASON_INACTIVE);
    ASSERT_STR(hdrf_reason_name(HDRF_REASON_SUPPRESSED), "suppressed");
    ASSERT_STR(hdrf_reason_name(HDRF_REASON_INACTIVE), "inactive");
    af_free(f);

    /* filtered */
    f = af_new(NULL);
    af_framework(f, "r", 0);
    af_agent(f, "cpus:1;mem:512");
    af_expect(f, "framework1", "r@agent1=cpus:1;mem:512");
    af_recover(f, "framework1", "agent1", "r", "cpus:1;mem:512", 60);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r", "framework1"), HDRF_REASON_FILTERED);
    CU_ASSERT_EQUAL(ah_reason(f, "r", "nobody"), -1);
    af_free(f);

    /* quota limit: limit cpus:1;mem:512, held already */
    f = af_new(NULL);
    af_quota(f, "q", NULL, "cpus:1;mem:512");
    af_framework(f, "q", 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect(f, "framework1", "q@agent1=cpus:1;mem:512");
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "q", "framework1"), HDRF_REASON_QUOTA_LIMIT);
    af_free(f);

    /* headroom: a whole agent held for a guarantee without a framework */
    f = af_new(NULL);
    af_quota(f, "g", "cpus:2;mem:1024", NULL);
    af_framework(f, "r", 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r", "framework1"), HDRF_REASON_HEADROOM);
    af_free(f);

    /* capability: revocable only, for a framework that cannot take it */
    f = af_new(NULL);
    af_framework(f, "r", 0);
    char rev[256];
    hdrf_resources *total = ah_res(NULL, ah_revocable(rev, sizeof rev, "cpus", 4), NULL);
    ah_agent(f, total, HDRF_AGENT_DEFAULT, NULL, NULL, 0);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r", "framework1"), HDRF_REASON_CAPABILITY);
    hdrf_resources_free(total);
    af_free(f);

    /* min allocatable */
    f = af_new(NULL);
    af_framework(f, "r", 0);
    af_agent(f, "cpus:0.001;mem:1");
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "r", "framework1"), HDRF_REASON_MIN_ALLOCATABLE);
    af_free(f);
}

/* ---- the state document (/hdrf/state) ------------------------------------------------ */

static json_t *state_of(af *f)
{
    char *text = NULL;
    CU_ASSERT_EQUAL(hdrf_allocator_state(f->a, &text), HDRF_OK);
    json_error_t e;
    json_t *doc = text ? json_loads(text, 0, &e) : NULL;
    CU_ASSERT_PTR_NOT_NULL(doc);
    free(text);
    return doc;
}

static double num(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    CU_ASSERT_TRUE(json_is_number(v));
    return json_number_value(v);
}

/* eng weighs 2 with a limit of 10 cpus; framework1 in eng/web, framework2
 * in ads. agent1 (4 cpus, 4 GB) goes to ads first (shares and counts tie,
 * then names) and is declined with a 5 s filter; agent2 then goes to eng
 * (count 0 against ads' 1). Totals 8 cpus, 8 GB: eng and eng/web hold half
 * of each, share .5; eng's weighted share .25. */
static af *state_setup(void)
{
    af *f = af_new(NULL);
    af_weight(f, "eng", 2);
    af_quota(f, "eng", NULL, "cpus:10");
    af_framework(f, "eng/web", 0);
    af_framework(f, "ads", 0);
    af_agent(f, "cpus:4;mem:4096");
    af_expect(f, "framework2", "ads@agent1=cpus:4;mem:4096");
    af_recover(f, "framework2", "agent1", "ads", "cpus:4;mem:4096", 5);
    af_agent(f, "cpus:4;mem:4096");
    af_expect(f, "framework1", "eng/web@agent2=cpus:4;mem:4096");
    return f;
}

static void test_state_document(void)
{
    af *f = state_setup();
    json_t *doc = state_of(f);
    REQUIRE(doc);
    ASSERT_STR(json_string_value(json_object_get(doc, "role_sorter")), "drf");
    const json_t *roles = json_object_get(doc, "roles");
    REQUIRE_TRUE(json_array_size(roles) == 3); /* ads, eng, eng/web */
    const json_t *ads = json_array_get(roles, 0), *eng = json_array_get(roles, 1),
                 *web = json_array_get(roles, 2);
    ASSERT_STR(json_string_value(json_object_get(ads, "role")), "ads");
    CU_ASSERT_DOUBLE_EQUAL(num(ads, "share"), 0, 1e-9);
    CU_ASSERT_EQUAL(json_object_size(json_object_get(ads, "allocated")), 0);
    CU_ASSERT_PTR_NULL(json_object_get(ads, "quota"));
    ASSERT_STR(json_string_value(json_object_get(eng, "role")), "eng");
    CU_ASSERT_DOUBLE_EQUAL(num(eng, "weight"), 2, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(eng, "share"), 0.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(eng, "weighted_share"), 0.25, 1e-9);
    CU_ASSERT_EQUAL(num(eng, "frameworks"), 0); /* its frameworks are in eng/web */
    CU_ASSERT_DOUBLE_EQUAL(num(json_object_get(eng, "allocated"), "cpus"), 4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(json_object_get(eng, "allocated"), "mem"), 4096, 1e-9);
    const json_t *quota = json_object_get(eng, "quota");
    CU_ASSERT_EQUAL(json_object_size(json_object_get(quota, "guarantees")), 0);
    CU_ASSERT_DOUBLE_EQUAL(num(json_object_get(quota, "limits"), "cpus"), 10, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(json_object_get(quota, "consumed"), "cpus"), 4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(web, "share"), 0.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(web, "weighted_share"), 0.5, 1e-9);
    CU_ASSERT_EQUAL(num(web, "frameworks"), 1);
    const json_t *fws = json_object_get(doc, "frameworks");
    REQUIRE_TRUE(json_array_size(fws) == 2);
    const json_t *fw2 = json_array_get(fws, 1);
    ASSERT_STR(json_string_value(json_object_get(fw2, "id")), "framework2");
    CU_ASSERT_TRUE(json_is_true(json_object_get(fw2, "active")));
    const json_t *fw2_ads = json_array_get(json_object_get(fw2, "roles"), 0);
    ASSERT_STR(json_string_value(json_object_get(fw2_ads, "role")), "ads");
    CU_ASSERT_TRUE(json_is_true(json_object_get(fw2_ads, "subscribed")));
    CU_ASSERT_TRUE(json_is_false(json_object_get(fw2_ads, "suppressed")));
    CU_ASSERT_EQUAL(num(fw2_ads, "filters"), 1);
    CU_ASSERT_TRUE(json_is_false(json_object_get(fw2_ads, "declined"))); /* drf: not kept */
    json_decref(doc);
    af_free(f);

    /* Under hdrf: a framework that declined without launching (and no
     * agent added since) blocks its role, as the next run's ordering says */
    hdrf_allocator_options o;
    af_options(&o);
    o.role_order = HDRF_ORDER_HDRF;
    f = af_new(&o);
    af_framework(f, "ads", 0);
    af_agent(f, "cpus:4;mem:4096");
    af_expect(f, "framework1", "ads@agent1=cpus:4;mem:4096");
    af_recover(f, "framework1", "agent1", "ads", "cpus:4;mem:4096", 0);
    af_batch(f); /* blocked, and alone: offered all the same */
    af_expect(f, "framework1", "ads@agent1=cpus:4;mem:4096");
    doc = state_of(f);
    REQUIRE(doc);
    ASSERT_STR(json_string_value(json_object_get(doc, "role_sorter")), "hdrf");
    ads = json_array_get(json_object_get(doc, "roles"), 0);
    CU_ASSERT_TRUE(json_is_true(json_object_get(ads, "blocked")));
    fw2_ads = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "frameworks"), 0), "roles"), 0);
    CU_ASSERT_TRUE(json_is_true(json_object_get(fw2_ads, "declined")));
    CU_ASSERT_EQUAL(num(fw2_ads, "filters"), 0); /* declined without a filter */
    json_decref(doc);
    af_free(f);
}

int suite_alloc_behaviours(void)
{
    static const test_case cases[] = {
        {"GpuAgentFiltering", test_gpu_agent_filtering},
        {"RegionAwareness", test_region_awareness},
        {"HierarchicalRoleCapability", test_hierarchical_role_capability},
        {"RefinedReservations", test_refined_reservations},
        {"UpdateFrameworkRoles", test_update_framework_roles},
        {"InactiveFrameworkStaysInactive", test_inactive_framework_stays_inactive},
        {"RemoveFramework", test_remove_framework},
        {"ActivateDeactivateAgent", test_activate_deactivate_agent},
        {"RefuseSecondsEdgeCases", test_refuse_seconds_edge_cases},
        {"BurstAboveGuarantee", test_burst_above_guarantee},
        {"Explanations", test_explanations},
        {"StateDocument", test_state_document},
        {NULL, NULL}};
    return test_add_suite("alloc_behaviours", cases);
}
