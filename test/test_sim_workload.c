/* test_sim_workload.c: the simulator's random workload, against what its
 * parameters promise (sim/rng.c, sim/frameworks.c's arrivals).
 *
 *  - durations: 200,000 draws of each distribution have the mean asked
 *    for (exponential within 1%; Pareto of shape 3 within 2%, never below
 *    its scale mean (shape - 1) / shape, cut at max when given; uniform
 *    within its range, mean at its middle);
 *  - bursty arrivals (on 1 min, off 4 min, every 10 s on average) come
 *    only in the on windows, at the stated mean rate: 20 minutes hold 4
 *    windows, 1,200 s / 10 s = 120 arrivals expected (Poisson: within
 *    +-40, over 3.5 standard deviations). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/rng.h"
#include "test/sim_fixture.h"
#include "test/test.h"

#define DRAWS 200000

/* The mean of DRAWS draws, in seconds; the smallest and largest in lo, hi. */
static double mean_of(const sim_dist *d, double *lo, double *hi)
{
    rng g = rng_seeded(7, 1);
    double sum = 0;
    *lo = INFINITY;
    *hi = 0;
    for (int i = 0; i < DRAWS; i++) {
        double v = (double)rng_duration(&g, d) / (double)HDRF_SECOND;
        sum += v;
        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
    return sum / DRAWS;
}

static void test_durations(void)
{
    double lo, hi;
    sim_dist exp = {DIST_EXPONENTIAL, 60 * HDRF_SECOND, 0, 0, 0};
    CU_ASSERT_DOUBLE_EQUAL(mean_of(&exp, &lo, &hi), 60, 0.6);
    sim_dist pareto = {DIST_PARETO, 60 * HDRF_SECOND, 0, 0, 3.0};
    CU_ASSERT_DOUBLE_EQUAL(mean_of(&pareto, &lo, &hi), 60, 1.2);
    CU_ASSERT_TRUE(lo >= 40 - 1e-6); /* scale: 60 x 2/3 */
    CU_ASSERT_TRUE(hi > 400);        /* heavy-tailed: far past the mean */
    pareto.max = 120 * HDRF_SECOND;
    mean_of(&pareto, &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(hi, 120, 1e-9);
    sim_dist uniform = {DIST_UNIFORM, 0, 60 * HDRF_SECOND, 180 * HDRF_SECOND, 0};
    CU_ASSERT_DOUBLE_EQUAL(mean_of(&uniform, &lo, &hi), 120, 1.2);
    CU_ASSERT_TRUE(lo >= 60 && hi <= 180);
    sim_dist fixed = {DIST_FIXED, 30 * HDRF_SECOND, 0, 0, 0};
    CU_ASSERT_DOUBLE_EQUAL(mean_of(&fixed, &lo, &hi), 30, 1e-9);
    sim_dist forever = {DIST_FOREVER, 0, 0, 0, 0};
    rng g = rng_seeded(1, 1);
    CU_ASSERT_EQUAL(rng_duration(&g, &forever), -1);
}

static const char bursty[] =
    "{\"duration\": \"20mins\", \"seed\": 5, \"sample_interval\": \"1secs\",\n"
    " \"frameworks\": [{\"id\": \"f\", \"role\": \"a\", \"refuse_seconds\": 0,\n"
    "   \"jobs\": [{\"id\": \"j\", \"resources\": \"cpus:0.1;mem:16\", \"duration\": \"forever\",\n"
    "     \"repeat\": \"forever\", \"every\": \"10secs\", \"process\": \"bursty\",\n"
    "     \"burst\": {\"on\": \"1mins\", \"off\": \"4mins\"}}]}]}\n";

static void test_bursty_arrivals(void)
{
    char path[] = "/tmp/hdrf-sim-bursty-XXXXXX", why[1024];
    sim_example x;
    memset(&x, 0, sizeof x);
    int fd = mkstemp(path);
    REQUIRE_TRUE(fd >= 0);
    bool written = write(fd, bursty, sizeof bursty - 1) == (ssize_t)(sizeof bursty - 1);
    close(fd);
    /* The weighted example's cluster (160 CPUs): room for every task. */
    if (written && sim_example_load(&x, "weighted", "modules.json", NULL)) {
        sim_workload_free(x.workload);
        x.workload = sim_workload_load(path, NULL, why, sizeof why);
        CU_ASSERT_PTR_NOT_NULL(x.workload);
    }
    sim_result *r = x.workload ? sim_example_run(&x, 0) : NULL;
    if (r) {
        size_t a = sim_example_entity(r, "a", true);
        long launched = r->nsamples ? r->running[sim_at(r, 0, a)] : 0;
        for (size_t s = 1; s < r->nsamples; s++) {
            long added = r->running[sim_at(r, s, a)] - r->running[sim_at(r, s - 1, a)];
            /* Arrived in an on window [300k, 300k + 60) s, launched at the
             * run that REVIVE triggers or the tick after: by 1 s later. */
            hdrf_time phase = r->times[s] % (300 * HDRF_SECOND);
            if (added > 0)
                CU_ASSERT_TRUE(phase <= 61 * HDRF_SECOND);
            launched += added;
        }
        CU_ASSERT_EQUAL(launched, r->entities[a].launched);
        CU_ASSERT_TRUE(launched >= 80 && launched <= 160);
    }
    sim_result_free(r);
    sim_example_unload(&x);
    unlink(path);
}

int suite_sim_workload(void)
{
    static const test_case cases[] = {
        {"durations: exponential, Pareto, uniform have their means", test_durations},
        {"bursty arrivals only in on windows, at the mean rate", test_bursty_arrivals},
        {NULL, NULL}};
    return test_add_suite("sim_workload", cases);
}
