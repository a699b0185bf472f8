/* test_alloc_metrics.c: the metrics snapshot against Mesos 1.11's metrics
 * tests (spec §F.14, §B.6), and the quota-consumed metric that follows
 * transition_offered_to_allocated() and recover_resources(is_allocated)
 * (spec §F.15). Values are compared exactly where Mesos's are integers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

#define RES "allocator/mesos/resources/"
#define QUOTA "allocator/mesos/quota/roles/role/resources/"

static void expect_metric(af *f, const char *name, double want)
{
    double got = af_metric(f, name);
    CU_ASSERT_DOUBLE_EQUAL(got, want, 1e-9);
    if (!(fabs(got - want) <= 1e-9))
        fprintf(stderr, "metric %s: got %g, expected %g\n", name, got, want);
}

static void expect_absent(af *f, const char *name)
{
    double got = af_metric(f, name);
    CU_ASSERT_TRUE(isnan(got));
    if (!isnan(got))
        fprintf(stderr, "metric %s: got %g, expected none\n", name, got);
}

/* The six resource gauges: totals and offered-or-allocated of cpus, mem, disk. */
static void expect_resources(af *f, double cpus, double mem, double disk, double ocpus, double omem,
                             double odisk)
{
    expect_metric(f, RES "cpus/total", cpus);
    expect_metric(f, RES "mem/total", mem);
    expect_metric(f, RES "disk/total", disk);
    expect_metric(f, RES "cpus/offered_or_allocated", ocpus);
    expect_metric(f, RES "mem/offered_or_allocated", omem);
    expect_metric(f, RES "disk/offered_or_allocated", odisk);
}

static void test_resource_metrics(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_settle(f);
    expect_resources(f, 2, 1024, 0, 0, 0, 0);
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    expect_resources(f, 2, 1024, 0, 2, 1024, 0);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_agent(f->a, "agent1"), HDRF_OK);
    expect_resources(f, 0, 0, 0, 0, 0, 0);
    af_free(f);
}

/* Guarantee and limit gauges exist for the names the quota mentions, and
 * go with the quota. */
static void test_quota_metrics(void)
{
    af *f = af_new(NULL);
    expect_absent(f, QUOTA "cpus/guarantee");
    expect_absent(f, QUOTA "cpus/limit");
    expect_absent(f, QUOTA "mem/guarantee");
    expect_absent(f, QUOTA "mem/limit");
    af_quota(f, "role", "cpus:1", "mem:1024");
    expect_metric(f, QUOTA "cpus/guarantee", 1);
    expect_absent(f, QUOTA "cpus/limit");
    expect_absent(f, QUOTA "mem/guarantee");
    expect_metric(f, QUOTA "mem/limit", 1024);
    af_quota(f, "role", "cpus:2", "mem:1024");
    expect_metric(f, QUOTA "cpus/guarantee", 2);
    af_quota(f, "role", NULL, NULL);
    expect_absent(f, QUOTA "cpus/guarantee");
    expect_absent(f, QUOTA "cpus/limit");
    expect_absent(f, QUOTA "mem/guarantee");
    expect_absent(f, QUOTA "mem/limit");
    af_free(f);
}

/* Mesos has the gauges before initialize(); an hdrf allocator exists only
 * initialised, and has them from creation. */
static void test_resource_metrics_uninitialized(void)
{
    af *f = af_new(NULL);
    expect_resources(f, 0, 0, 0, 0, 0, 0);
    af_free(f);
}

static void test_allocation_runs_metric(void)
{
    af *f = af_new(NULL);
    expect_metric(f, "allocator/mesos/allocation_runs", 0);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    af_settle(f);
    expect_metric(f, "allocator/mesos/allocation_runs", 1);
    af_framework(f, "role", 0);
    af_settle(f);
    expect_metric(f, "allocator/mesos/allocation_runs", 2);
    /* triggers coalesce: three events, one run */
    af_agent(f, "cpus:1;mem:1");
    af_agent(f, "cpus:1;mem:1");
    CU_ASSERT_EQUAL(hdrf_allocator_revive(f->a, "framework1", NULL, 0), HDRF_OK);
    af_settle(f);
    af_settle(f); /* nothing pending: no run */
    expect_metric(f, "allocator/mesos/allocation_runs", 3);
    af_free(f);
}

/* The timers (allocation_run_ms, allocation_run_latency_ms and their
 * statistics) need a clock, which the core never reads (allocator.h): the
 * caller times its calls to allocate() and flush(). What the core owes the
 * caller for that: it never emits the timer names itself (no stale or
 * double series), allocation_runs says whether a call ran, and pending()
 * says whether a flush will run (the latency runs from the event that made
 * it pending to the flush). */
static void no_timer_metrics(af *f, const char *timer)
{
    static const char *const stats[] = {"",     "/count", "/min",  "/max",  "/p50",
                                        "/p95", "/p99",   "/p999", "/p9999"};
    char name[128];
    for (size_t i = 0; i < sizeof stats / sizeof *stats; i++) {
        snprintf(name, sizeof name, "allocator/mesos/%s%s", timer, stats[i]);
        expect_absent(f, name);
    }
}

static void timer_metrics(const char *timer)
{
    af *f = af_new(NULL);
    no_timer_metrics(f, timer);
    CU_ASSERT_FALSE(hdrf_allocator_pending(f->a));
    af_agent(f, "cpus:2;mem:1024;disk:0");
    CU_ASSERT_TRUE(hdrf_allocator_pending(f->a)); /* latency starts here */
    af_settle(f);
    CU_ASSERT_FALSE(hdrf_allocator_pending(f->a));
    expect_metric(f, "allocator/mesos/allocation_runs", 1);
    af_framework(f, "role1", 0);
    CU_ASSERT_TRUE(hdrf_allocator_pending(f->a));
    af_expect(f, "framework1", "role1@agent1=cpus:2;mem:1024");
    expect_metric(f, "allocator/mesos/allocation_runs", 2);
    no_timer_metrics(f, timer);
    af_free(f);
}

static void test_allocation_run_timer_metrics(void) { timer_metrics("allocation_run_ms"); }

static void test_allocation_run_latency_metrics(void)
{
    timer_metrics("allocation_run_latency_ms");
}

/* Filters are counted per role, across frameworks and agents; a filtered
 * framework is skipped for the next. */
static void test_active_offer_filters_metrics(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:2;mem:1024;disk:0");
    double refuse = 100; /* 100 x the interval */
    af_framework(f, "roleA", 0);
    af_expect(f, "framework1", "roleA@agent1=cpus:2;mem:1024");
    af_recover(f, "framework1", "agent1", "roleA", "cpus:2;mem:1024", refuse);
    expect_metric(f, "allocator/mesos/offer_filters/roles/roleA/active", 1);
    af_framework(f, "roleB", 0);
    af_expect(f, "framework2", "roleB@agent1=cpus:2;mem:1024");
    af_recover(f, "framework2", "agent1", "roleB", "cpus:2;mem:1024", refuse);
    expect_metric(f, "allocator/mesos/offer_filters/roles/roleA/active", 1);
    expect_metric(f, "allocator/mesos/offer_filters/roles/roleB/active", 1);
    af_framework(f, "roleA", 0);
    af_expect(f, "framework3", "roleA@agent1=cpus:2;mem:1024");
    af_recover(f, "framework3", "agent1", "roleA", "cpus:2;mem:1024", refuse);
    expect_metric(f, "allocator/mesos/offer_filters/roles/roleA/active", 2);
    expect_metric(f, "allocator/mesos/offer_filters/roles/roleB/active", 1);
    af_batch(f);
    af_expect_none(f);
    CU_ASSERT_EQUAL(ah_reason(f, "roleA", "framework1"), HDRF_REASON_FILTERED);
    CU_ASSERT_EQUAL(ah_reason(f, "roleB", "framework2"), HDRF_REASON_FILTERED);
    af_free(f);
}

static void test_dominant_share_metrics(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:1;mem:1024");
    af_framework(f, "roleA", 0);
    af_expect(f, "framework1", "roleA@agent1=cpus:1;mem:1024");
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 1);
    af_recover(f, "framework1", "agent1", "roleA", "cpus:1;mem:1024", AF_NO_FILTER);
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 0);
    /* roleB sorts first at share 0: fewer allocations */
    af_framework(f, "roleB", 0);
    af_expect(f, "framework2", "roleB@agent1=cpus:1;mem:1024");
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 0);
    expect_metric(f, "allocator/mesos/roles/roleB/shares/dominant", 1);
    af_agent(f, "cpus:1;mem:1024");
    af_expect(f, "framework1", "roleA@agent2=cpus:1;mem:1024");
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 0.5);
    expect_metric(f, "allocator/mesos/roles/roleB/shares/dominant", 0.5);
    CU_ASSERT_EQUAL(hdrf_allocator_remove_framework(f->a, "framework2"), HDRF_OK);
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 0.5);
    expect_absent(f, "allocator/mesos/roles/roleB/shares/dominant");
    af_expect_none(f); /* removing a framework triggers no run */
    af_free(f);
}

static void test_dominant_share_metrics_with_fairness_exclusion(void)
{
    hdrf_allocator_options o;
    af_options(&o);
    static const char *const gpus[] = {"gpus"};
    o.fairness_excluded = gpus;
    o.nfairness_excluded = 1;
    af *f = af_new(&o);
    af_agent(f, "cpus:1;mem:1024;gpus:1");
    af_framework(f, "roleA", HDRF_FRAMEWORK_GPU_RESOURCES);
    af_expect(f, "framework1", "roleA@agent1=cpus:1;mem:1024;gpus:1");
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 1);
    af_framework(f, "roleB", 0);
    af_agent(f, "cpus:3;mem:3072");
    af_expect(f, "framework2", "roleB@agent2=cpus:3;mem:3072");
    /* gpus left out: roleA 1/4 cpus, roleB 3/4 */
    expect_metric(f, "allocator/mesos/roles/roleA/shares/dominant", 0.25);
    expect_metric(f, "allocator/mesos/roles/roleB/shares/dominant", 0.75);
    af_free(f);
}

/* F.15: quota consumed counts what tasks use (and every reservation), not
 * what is merely offered. */
static void test_quota_consumed_metric(void)
{
    af *f = af_new(NULL);
    af_quota(f, "role", "cpus:4", "cpus:4");
    af_framework(f, "role", 0);
    af_agent(f, "cpus:2;mem:1024;cpus(role):1");
    af_expect(f, "framework1", "role@agent1=cpus:2;mem:1024;cpus(role):1");
    /* offered: consumed = the reservation only; offered_or_allocated all 3 */
    expect_metric(f, QUOTA "cpus/consumed", 1);
    expect_metric(f, QUOTA "cpus/offered_or_allocated", 3);
    hdrf_resources *task = ah_res("role", "cpus:1.5", NULL);
    CU_ASSERT_EQUAL(hdrf_allocator_transition_offered_to_allocated(f->a, "agent1", task), HDRF_OK);
    expect_metric(f, QUOTA "cpus/consumed", 2.5);
    /* the task ends: its resources come back as allocated ones */
    CU_ASSERT_EQUAL(
        hdrf_allocator_recover_resources(f->a, "framework1", "agent1", task, NULL, true, f->now),
        HDRF_OK);
    expect_metric(f, QUOTA "cpus/consumed", 1);
    expect_metric(f, QUOTA "cpus/offered_or_allocated", 1.5);
    /* is_allocated for resources no task uses is refused, naming the agent */
    ah_expect_error(
        f, hdrf_allocator_recover_resources(f->a, "framework1", "agent1", task, NULL, true, f->now),
        HDRF_ENOFIT, "agent1");
    expect_metric(f, QUOTA "cpus/consumed", 1);
    hdrf_resources_free(task);
    af_free(f);
}

int suite_alloc_metrics(void)
{
    static const test_case cases[] = {
        {"ResourceMetrics", test_resource_metrics},
        {"QuotaMetrics", test_quota_metrics},
        {"ResourceMetricsUninitialized", test_resource_metrics_uninitialized},
        {"AllocationRunsMetric", test_allocation_runs_metric},
        {"AllocationRunTimerMetrics", test_allocation_run_timer_metrics},
        {"AllocationRunLatencyMetrics", test_allocation_run_latency_metrics},
        {"ActiveOfferFiltersMetrics", test_active_offer_filters_metrics},
        {"DominantShareMetrics", test_dominant_share_metrics},
        {"DominantShareMetricsWithFairnessExclusion",
         test_dominant_share_metrics_with_fairness_exclusion},
        {"QuotaConsumedMetric", test_quota_consumed_metric},
        {NULL, NULL}};
    return test_add_suite("alloc_metrics", cases);
}
