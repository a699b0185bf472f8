/* test_alloc_maintenance.c: maintenance and inverse offers (spec §F.12,
 * §C.6, §D.13), and the events that stop and restart allocation: recover()
 * after a master failover and pause()/resume() (spec §D.1, §D.17; no Mesos
 * test covers them, spec §F.15). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

static void unavailable(af *f, const char *agent, hdrf_time start)
{
    hdrf_unavailability u = {start, false, 0};
    CU_ASSERT_EQUAL(hdrf_allocator_update_unavailability(f->a, agent, &u), HDRF_OK);
}

/* Takes the next inverse-offer callback: to `framework`, exactly `agent`,
 * starting at `start`. */
static void expect_inverse(af *f, const char *framework, const char *agent, hdrf_time start)
{
    const af_inverse *v = af_take_inverse(f);
    REQUIRE(v);
    ASSERT_STR(v->framework, framework);
    CU_ASSERT_EQUAL(v->n, 1);
    if (v->n >= 1) {
        ASSERT_STR(v->agents[0], agent);
        CU_ASSERT_EQUAL(v->unavailability[0].start, start);
        CU_ASSERT_FALSE(v->unavailability[0].has_duration);
    }
}

/* F.12 --------------------------------------------------------------------- */

/* An agent under maintenance holding resources of a framework the
 * allocator does not know: that framework is skipped when inverse offers
 * are made (MESOS-10109). */
static void test_add_agent_with_unknown_framework_and_maintenance(void)
{
    af *f = af_new(NULL);
    hdrf_unavailability year = {f->now + 365 * 24 * 3600 * HDRF_SECOND, false, 0};
    af_agent_full(f, "cpus:2;mem:1024;disk:0", HDRF_AGENT_DEFAULT, &year, "unknown", "role",
                  "cpus:2;mem:1024");
    af_framework(f, "role", 0);
    af_expect_none(f);
    af_expect_no_inverse(f);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_expect(f, "framework1", "role@agent2=cpus:2;mem:1024");
    hdrf_time start = f->now + 60 * HDRF_SECOND;
    unavailable(f, "agent2", start);
    expect_inverse(f, "framework1", "agent2", start);
    af_expect_no_inverse(f);
    af_free(f);
}

/* Inverse offers go only to frameworks holding something on the agent. */
static void test_maintenance_inverse_offers(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_framework(f, "*", 0);
    af_expect(f, "framework1", "*@agent1=cpus:2;mem:1024");
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_expect(f, "framework1", "*@agent2=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent2", "*", "cpus:2;mem:1024", 24 * 3600.0);
    hdrf_time start = f->now + 60 * HDRF_SECOND;
    unavailable(f, "agent1", start);
    unavailable(f, "agent2", start);
    /* one run for both triggers, one callback: agent1 only */
    expect_inverse(f, "framework1", "agent1", start);
    af_expect_no_inverse(f);
    af_expect_none(f); /* agent2 is filtered for a day */
    af_free(f);
}

/* F.15: inverse-offer filters and statuses -------------------------------- */

typedef struct status_seen {
    int n;
    char agent[32], framework[32];
    hdrf_inverse_status status;
    hdrf_time at;
} status_seen;

static void on_status(void *arg, const char *agent, const char *framework,
                      hdrf_inverse_status status, hdrf_time at)
{
    status_seen *s = arg;
    s->n++;
    snprintf(s->agent, sizeof s->agent, "%s", agent);
    snprintf(s->framework, sizeof s->framework, "%s", framework);
    s->status = status;
    s->at = at;
}

static status_seen statuses(af *f)
{
    status_seen s = {0, "", "", HDRF_INVERSE_NONE, 0};
    CU_ASSERT_EQUAL(hdrf_allocator_inverse_offer_statuses(f->a, on_status, &s), HDRF_OK);
    return s;
}

/* An answer stores its status and filters the inverse offer for
 * refuse_seconds, without the allocation interval's minimum; a new
 * unavailability clears statuses and filters and makes a new inverse offer
 * at once. */
static void test_inverse_offer_filters_and_statuses(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "role", 0);
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:1024");
    hdrf_time start = 100 * HDRF_SECOND;
    unavailable(f, "agent1", start);
    expect_inverse(f, "framework1", "agent1", start);
    CU_ASSERT_EQUAL(statuses(f).n, 0); /* outstanding, not answered */
    /* while outstanding, batches make no second inverse offer */
    af_batch(f);
    af_expect_no_inverse(f);

    double ten = 10;
    hdrf_time answered = f->now; /* t = 1 s */
    CU_ASSERT_EQUAL(hdrf_allocator_update_inverse_offer(f->a, "agent1", "framework1",
                                                        HDRF_INVERSE_ACCEPT, &ten, f->now),
                    HDRF_OK);
    status_seen s = statuses(f);
    CU_ASSERT_EQUAL(s.n, 1);
    ASSERT_STR(s.agent, "agent1");
    ASSERT_STR(s.framework, "framework1");
    CU_ASSERT_EQUAL(s.status, HDRF_INVERSE_ACCEPT);
    CU_ASSERT_EQUAL(s.at, answered);
    /* filtered while now < answered + 10 s: batches at t = 2..10 */
    while (f->tick + f->interval < answered + 10 * HDRF_SECOND) {
        af_batch(f);
        af_expect_no_inverse(f);
    }
    af_batch(f); /* t = 11 s: expired */
    CU_ASSERT_EQUAL(f->tick, answered + 10 * HDRF_SECOND);
    expect_inverse(f, "framework1", "agent1", start);

    /* a DECLINE with a long filter, then a new unavailability */
    double hour = 3600;
    CU_ASSERT_EQUAL(hdrf_allocator_update_inverse_offer(f->a, "agent1", "framework1",
                                                        HDRF_INVERSE_DECLINE, &hour, f->now),
                    HDRF_OK);
    CU_ASSERT_EQUAL(statuses(f).status, HDRF_INVERSE_DECLINE);
    af_batch(f);
    af_expect_no_inverse(f);
    unavailable(f, "agent1", 2 * start);
    CU_ASSERT_EQUAL(statuses(f).n, 0);
    expect_inverse(f, "framework1", "agent1", 2 * start);

    /* an answer without a status or filter: no status, no filter */
    CU_ASSERT_EQUAL(hdrf_allocator_update_inverse_offer(f->a, "agent1", "framework1",
                                                        HDRF_INVERSE_NONE, NULL, f->now),
                    HDRF_OK);
    CU_ASSERT_EQUAL(statuses(f).n, 0);
    af_batch(f);
    expect_inverse(f, "framework1", "agent1", 2 * start);

    /* maintenance lifted: no statuses, no inverse offers */
    CU_ASSERT_EQUAL(hdrf_allocator_update_unavailability(f->a, "agent1", NULL), HDRF_OK);
    af_batch(f);
    af_expect_no_inverse(f);
    CU_ASSERT_EQUAL(statuses(f).n, 0);
    af_expect_none(f);
    af_free(f);
}

/* Deactivated frameworks get no inverse offers, and deactivation drops
 * their inverse-offer filters; revive drops them too. */
static void test_inverse_offers_active_frameworks_only(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024");
    af_framework(f, "role", 0);
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:1024");
    CU_ASSERT_EQUAL(hdrf_allocator_deactivate_framework(f->a, "framework1"), HDRF_OK);
    unavailable(f, "agent1", 50 * HDRF_SECOND);
    af_expect_no_inverse(f);
    CU_ASSERT_EQUAL(hdrf_allocator_activate_framework(f->a, "framework1"), HDRF_OK);
    expect_inverse(f, "framework1", "agent1", 50 * HDRF_SECOND);
    double day = 86400;
    CU_ASSERT_EQUAL(hdrf_allocator_update_inverse_offer(f->a, "agent1", "framework1",
                                                        HDRF_INVERSE_DECLINE, &day, f->now),
                    HDRF_OK);
    af_batch(f);
    af_expect_no_inverse(f);
    CU_ASSERT_EQUAL(hdrf_allocator_revive(f->a, "framework1", NULL, 0), HDRF_OK);
    expect_inverse(f, "framework1", "agent1", 50 * HDRF_SECOND);
    af_expect_none(f);
    af_free(f);
}

/* F.15: recover() ------------------------------------------------------------ */

static int recover_quota(af *f, int expected)
{
    hdrf_quantities *g = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL(hdrf_quantities_parse("cpus:1", &g, &e), HDRF_OK);
    hdrf_role_quota q = {"quota-role", {g, NULL, 0}};
    int rc = hdrf_allocator_recover(f->a, expected, &q, 1, f->now);
    hdrf_quantities_free(g);
    return rc;
}

/* After a failover with quota, allocation waits until 0.8 x 10 = 8 agents
 * are back; the 8th agent is allocated at once. */
static void test_recover_pauses_until_agents_return(void)
{
    af *f = af_new(NULL);
    CU_ASSERT_EQUAL(recover_quota(f, 10), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_allocator_paused(f->a));
    af_framework(f, "role1", 0);
    for (int i = 0; i < 7; i++) {
        af_agent(f, "cpus:2;mem:1024");
        af_batch(f); /* skipped while paused */
    }
    af_expect_none(f);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/allocation_runs"), 0, 0);
    af_agent(f, "cpus:2;mem:1024");
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    /* the run the 8th agent triggers covers only agent8: the other triggers
     * were dropped while paused. Headroom for quota-role's cpus:1 leaves
     * 16 - 1 = 15 cpus, so agent8 goes whole. */
    af_expect(f, "framework1", "role1@agent8=cpus:2;mem:1024");
    af_expect_none(f);
    af_batch(f); /* the next batch covers the other seven */
    const af_offer *o = af_take(f);
    REQUIRE(o);
    CU_ASSERT_EQUAL(o->n, 7);
    /* 16 - 2 = 14 cpus free, 1 held for quota-role: 13 offered */
    int64_t cpus = 0;
    for (size_t i = 0; i < o->n; i++)
        cpus += hdrf_resources_scalar(o->items[i].resources, "cpus");
    CU_ASSERT_EQUAL(cpus, 13 * HDRF_MILLI);
    af_free(f);
}

/* Without enough agents, the recovery timeout resumes allocation. */
static void test_recover_timeout_resumes(void)
{
    hdrf_allocator_options o;
    af_options(&o);
    o.recovery_timeout = 5 * HDRF_SECOND;
    af *f = af_new(&o);
    CU_ASSERT_EQUAL(recover_quota(f, 10), HDRF_OK);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:2;mem:1024");
    for (int i = 1; i < 5; i++) { /* batches at t = 1..4 s */
        af_batch(f);
        af_expect_none(f);
        CU_ASSERT_TRUE(hdrf_allocator_paused(f->a));
    }
    af_batch(f); /* t = 5 s: resumed, then allocates */
    /* quota-role's guarantee cpus:1 is held back: 2 - 1 = 1 cpu to offer */
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:1024");
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    af_free(f);
}

/* No pause: an expected count that truncates to 0 (0.8 x 1), or no quota.
 * recover() is refused once agents are back or for a negative count. */
static void test_recover_without_pause(void)
{
    af *f = af_new(NULL);
    CU_ASSERT_EQUAL(recover_quota(f, 1), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/quota/roles/quota-role/resources/cpus/"
                                        "guarantee"),
                           1, 0);
    af_free(f);

    f = af_new(NULL);
    CU_ASSERT_EQUAL(hdrf_allocator_recover(f->a, 100, NULL, 0, f->now), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    ah_expect_error(f, recover_quota(f, -1), HDRF_EINVAL, "-1");
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    ah_expect_error(f, recover_quota(f, 10), HDRF_EINVAL, "agents");
    CU_ASSERT_FALSE(hdrf_allocator_paused(f->a));
    CU_ASSERT_TRUE(isnan(af_metric(f, "allocator/mesos/quota/roles/quota-role/resources/cpus/"
                                      "guarantee")));
    af_free(f);
}

/* F.15: pause() / resume() -------------------------------------------------- */

/* While paused, triggers are dropped and batches skipped; a run pending
 * from before the pause is kept for after it. hdrf accepts an agent while
 * paused (Mesos CHECK-fails, spec §D.6): it is offered at the next batch. */
static void test_pause_resume(void)
{
    af *f = af_new(NULL);
    af_framework(f, "role1", 0);
    af_agent(f, "cpus:1;mem:512"); /* a run is pending for agent1 */
    hdrf_allocator_pause(f->a);
    hdrf_allocator_pause(f->a); /* idempotent */
    CU_ASSERT_TRUE(hdrf_allocator_paused(f->a));
    CU_ASSERT_FALSE(hdrf_allocator_pending(f->a));
    af_agent(f, "cpus:2;mem:512"); /* dropped */
    af_batch(f);                   /* skipped */
    af_expect_none(f);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/allocation_runs"), 0, 0);
    hdrf_allocator_resume(f->a);
    hdrf_allocator_resume(f->a);
    /* the pending run covers agent1 only */
    af_expect(f, "framework1", "role1@agent1=cpus:1;mem:512");
    af_expect_none(f);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent2=cpus:2;mem:512");
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/allocation_runs"), 2, 0);
    af_free(f);
}

int suite_alloc_maintenance(void)
{
    static const test_case cases[] = {
        {"AddAgentWithUnknownFrameworkAndMaintenance",
         test_add_agent_with_unknown_framework_and_maintenance},
        {"MaintenanceInverseOffers", test_maintenance_inverse_offers},
        {"InverseOfferFiltersAndStatuses", test_inverse_offer_filters_and_statuses},
        {"InverseOffersActiveFrameworksOnly", test_inverse_offers_active_frameworks_only},
        {"RecoverPausesUntilAgentsReturn", test_recover_pauses_until_agents_return},
        {"RecoverTimeoutResumes", test_recover_timeout_resumes},
        {"RecoverWithoutPause", test_recover_without_pause},
        {"PauseResume", test_pause_resume},
        {NULL, NULL}};
    return test_add_suite("alloc_maintenance", cases);
}
