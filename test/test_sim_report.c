/* test_sim_report.c: what the simulator reports about a run: averages
 * over a window, per resource; the CSV's totals; decisions.log at debug;
 * the warning about resources no framework may be offered.
 *
 * The run (worked out by hand). One agent of 4 CPUs and 4096 MB; roles
 * p/a and p/b under p. fa (p/a) gets two tasks of <1 CPU, 512 MB> at 0 s
 * that run 30 s; fb (p/b) one of <1 CPU, 2048 MB> at 60 s that runs to
 * the end (120 s). Nothing else competes, so each launches the instant
 * its work arrives. Samples every second (the allocation interval), each
 * standing for the second after it; so:
 *   p/a holds cpus 2/4 = .5, mem 1024/4096 = .25 during [0, 30), then 0;
 *   p/b holds cpus 1/4 = .25, mem 2048/4096 = .5 during [60, 120).
 * Window 0-60 s: p/a cpus .5 x 30/60 = .25, mem .125, dominant .25.
 * Window 15-45 s: p/a cpus .5 x 15/30 = .25, mem .125.
 * Window 30-90 s: p/b cpus .25 x 30/60 = .125, mem .25, dominant .25.
 * Default (second half, 60-120 s): p/b cpus .25, mem .5, dominant .5.
 * Window 0-120 s: p (the sum) cpus (.5 x 30 + .25 x 60)/120 = .25, mem
 * (.25 x 30 + .5 x 60)/120 = .3125; its dominant share is .5 during
 * [0, 30) and [60, 120), 0 between: (15 + 30)/120 = .375, not the larger
 * of its resource averages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report.h"
#include "test/sim_fixture.h"
#include "test/test.h"

#define S HDRF_SECOND

static const char *const cluster = "{\"agents\": [{\"hostname\": \"node\", "
                                   "\"resources\": \"cpus:4;mem:4096\"}]}";

static const char *const workload =
    "{\"duration\": \"2mins\", \"frameworks\": ["
    "{\"id\": \"fa\", \"role\": \"p/a\", \"refuse_seconds\": 0, \"jobs\": [{\"id\": \"j\", "
    "\"resources\": \"cpus:1;mem:512\", \"instances\": 2, \"duration\": \"30secs\"}]},"
    "{\"id\": \"fb\", \"role\": \"p/b\", \"refuse_seconds\": 0, \"jobs\": [{\"id\": \"k\", "
    "\"resources\": \"cpus:1;mem:2048\", \"arrival\": \"60secs\", \"duration\": \"forever\"}]}]}";

#define INTERVAL "{\"key\": \"allocation_interval\", \"value\": \"1secs\"}"
#define DEBUG "{\"key\": \"log_level\", \"value\": \"debug\"}"

/* The run above under `parameters`, its decisions in *log when asked. */
static sim_result *tiny_run(const char *parameters, char **log)
{
    sim_example x;
    sim_result *r = NULL;
    size_t len = 0;
    FILE *f = log ? open_memstream(log, &len) : NULL;
    if (sim_inline_load(&x, cluster, workload, parameters))
        r = sim_example_run_to(&x, 0, f, NULL);
    if (f)
        fclose(f);
    sim_example_unload(&x);
    return r;
}

static report_window window(const char *text, hdrf_time duration)
{
    report_window w = {-1, -1};
    char why[256];
    CU_ASSERT_EQUAL(report_window_parse(text, duration, &w, why, sizeof why), 0);
    return w;
}

/* ---- the window ---------------------------------------------------------------------------- */

static void test_window_averages(void)
{
    sim_result *r = tiny_run(INTERVAL, NULL);
    REQUIRE(r);
    size_t p = sim_example_entity(r, "p", true), a = sim_example_entity(r, "p/a", true),
           b = sim_example_entity(r, "p/b", true), fa = sim_example_entity(r, "fa", false);
    REQUIRE_TRUE(r->nres == 2 && strcmp(r->res_names[0], "cpus") == 0);
    CU_ASSERT_EQUAL(r->sample, 1 * S);
    report_window w0 = window("0secs-60secs", r->duration),
                  w1 = window("15secs-45secs", r->duration),
                  w2 = window("30secs-90secs", r->duration), all = window("0secs", r->duration);
    CU_ASSERT_EQUAL(report_window_samples(r, &w0), 60);
    CU_ASSERT_EQUAL(report_window_samples(r, &w1), 30);
    CU_ASSERT_EQUAL(report_window_samples(r, NULL), 60);
    CU_ASSERT_EQUAL(report_window_samples(r, &all), 120);
    const double eps = 1e-12;
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, a, 0, &w0), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, a, 1, &w0), 0.125, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, a, &w0), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, fa, 0, &w0), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, b, &w0), 0, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, a, 0, &w1), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, a, 1, &w1), 0.125, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, a, &w2), 0, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, b, 0, &w2), 0.125, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, b, 1, &w2), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, b, &w2), 0.25, eps);
    /* The default: the second half. */
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, a, NULL), 0, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, b, 0, NULL), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, b, 1, NULL), 0.5, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, b, NULL), 0.5, eps);
    /* The parent over the whole run. */
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, p, 0, &all), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_res_share(r, p, 1, &all), 0.3125, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_share(r, p, &all), 0.375, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_use(r, 0, &all), 0.25, eps);
    CU_ASSERT_DOUBLE_EQUAL(report_avg_use(r, 1, &all), 0.3125, eps);
    sim_result_free(r);
}

/* The summary says its window and has a row per entity of resource shares. */
static void test_summary_window(void)
{
    sim_result *r = tiny_run(INTERVAL, NULL);
    REQUIRE(r);
    report_window all = window("0secs-2mins", r->duration);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    REQUIRE(f);
    CU_ASSERT_EQUAL(report_summary(f, r, "tiny", &all), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(text,
                                  "\nwindow: averages from 0 s to 120 s of 120 s (120 samples)"
                                  "; counts and waits over the whole run\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\naverage share of each resource over the window (held / "
                                        "cluster total):\nrole / framework                 cpus  "
                                        "    mem\n"));
    /* p: weight 1, fair 1, dominant .375 over the window, .5 at the end. */
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "\np                              1.00  1.000     0.375     0.500 "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  p/b                           0.125    0.250\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nfa                              0.125    0.062\n"));
    free(text);
    text = NULL;
    /* The default window, said as such. */
    f = open_memstream(&text, &len);
    REQUIRE(f);
    CU_ASSERT_EQUAL(report_summary(f, r, "tiny", NULL), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "\nwindow: averages from 60 s to 120 s of 120 s (60 samples)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  p/b                           0.250    0.500\n"));
    free(text);
    sim_result_free(r);
}

/* A comparison averages both runs over the one window it names. */
static void test_compare_window(void)
{
    sim_result *a = tiny_run(INTERVAL, NULL),
               *b = tiny_run(INTERVAL ", {\"key\": \"role_sorter\", \"value\": \"hdrf\"}", NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = a && b ? open_memstream(&text, &len) : NULL;
    if (f) {
        report_window w = window("30secs-90secs", a->duration);
        CU_ASSERT_EQUAL(report_compare(f, a, "drf", b, "hdrf", &w), 0);
        fclose(f);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nwindow: averages of both from 30 s to 90 s of 120 s "
                                            "(60 samples)\n"));
        /* p/b: dominant .25 in both, the same: B-A 0. */
        CU_ASSERT_PTR_NOT_NULL(strstr(text,
                                      "\n  p/b                       0.500    0.250    0.250    "
                                      "+0.000 "));
        CU_ASSERT_PTR_NOT_NULL(
            strstr(text, "\n  p/b                      0.125/0.125   0.250/0.250\n"));
    }
    CU_ASSERT_PTR_NOT_NULL(text);
    free(text);
    sim_result_free(a);
    sim_result_free(b);
}

static void window_error(const char *text, const char *want)
{
    char why[512] = "";
    report_window w = {-1, -1};
    CU_ASSERT_EQUAL(report_window_parse(text, 3600 * S, &w, why, sizeof why), -1);
    CU_ASSERT_EQUAL(w.from, -1); /* untouched */
    ASSERT_STR(why, want);
}

static void test_window_parse(void)
{
    report_window w = window("10mins-30mins", 3600 * S);
    CU_ASSERT_EQUAL(w.from, 600 * S);
    CU_ASSERT_EQUAL(w.to, 1800 * S);
    w = window("10mins", 3600 * S);
    CU_ASSERT_EQUAL(w.from, 600 * S);
    CU_ASSERT_EQUAL(w.to, 3600 * S);
    w = window("0.5secs-1hrs", 3600 * S);
    CU_ASSERT_EQUAL(w.from, S / 2);
    CU_ASSERT_EQUAL(w.to, 3600 * S);
    w = report_default_window(3600 * S);
    CU_ASSERT_EQUAL(w.from, 1800 * S);
    CU_ASSERT_EQUAL(w.to, 3600 * S);
#define SYNTAX "expected FROM[-TO], Mesos durations such as 10mins-30mins or 10mins)"
    window_error("30mins-10mins",
                 "--window 30mins-10mins: FROM (1800 s) must come before TO (600 s)");
    window_error("10mins-10mins",
                 "--window 10mins-10mins: FROM (600 s) must come before TO (600 s)");
    window_error("10mins-2hrs",
                 "--window 10mins-2hrs: TO (7200 s) is past the end of the run (3600 s)");
    window_error("1hrs",
                 "--window 1hrs: FROM (3600 s) must come before the end of the run (3600 s)");
    window_error("0.5secs-2hrs",
                 "--window 0.5secs-2hrs: TO (7200 s) is past the end of the run (3600 s)");
    window_error("soon", "--window soon: \"soon\" is not a duration (" SYNTAX);
    window_error("10", "--window 10: \"10\" is not a duration (" SYNTAX);
    window_error("10mins-", "--window 10mins-: \"\" is not a duration (" SYNTAX);
    window_error("10mins-later", "--window 10mins-later: \"later\" is not a duration (" SYNTAX);
    window_error("-10mins", "--window -10mins: \"-10mins\" is not a duration (" SYNTAX);
#undef SYNTAX
}

/* ---- the CSV's totals ------------------------------------------------------------------------ */

static void test_csv_totals(void)
{
    sim_result *r = tiny_run(INTERVAL, NULL);
    REQUIRE(r);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    REQUIRE(f);
    CU_ASSERT_EQUAL(report_csv(f, r), 0);
    fclose(f);
    CU_ASSERT_EQUAL(strncmp(text, "time_s,kind,name,share,fair,cpus,mem,running,pending\n", 53), 0);
    /* One cluster_total row per sample, after that sample's cluster row. */
    size_t totals = 0;
    for (const char *at = text; (at = strstr(at, ",cluster_total,")); at++)
        totals++;
    CU_ASSERT_EQUAL(totals, r->nsamples);
    CU_ASSERT_EQUAL(r->nsamples, 121); /* 0, 1, ..., 120 s */
    CU_ASSERT_PTR_NOT_NULL(strstr(text,
                                  "\n0.000,cluster,*,0.500000,1.000000,2.000,1024.000,2,0\n"
                                  "0.000,cluster_total,*,1.000000,1.000000,4.000,4096.000,0,0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text,
                                  "\n120.000,cluster_total,*,1.000000,1.000000,4.000,4096.000,0,"
                                  "0\n"));
    /* p/b at 60 s holds 1 of 4 CPUs and 2048 of 4096 MB: shares .25 and .5,
     * the larger its dominant share. */
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "\n60.000,role,p/b,0.500000,0.500000,1.000,2048.000,1,0\n"));
    free(text);
    sim_result_free(r);
}

/* ---- decisions.log --------------------------------------------------------------------------- */

static void test_decisions_log(void)
{
    char *log = NULL, *again = NULL;
    sim_result *r = tiny_run(INTERVAL ", " DEBUG, &log);
    sim_result_free(r);
    r = tiny_run(INTERVAL ", " DEBUG, &again);
    sim_result_free(r);
    REQUIRE(log);
    /* Every offer (framework, role, agent, resources), every launch and
     * every task end (framework, task, agent, state), in order. */
    static const char *const want[] = {
        "0.000 offer fa p/a on node: cpus(allocated: p/a):4; mem(allocated: p/a):4096\n",
        "0.000 event run: offers to 1 frameworks\n",
        "0.000 launch fa j.1 on node: cpus(allocated: p/a):1; mem(allocated: p/a):512 "
        "(waited 0.000 s)\n",
        "0.000 launch fa j.2 on node: cpus(allocated: p/a):1; mem(allocated: p/a):512 "
        "(waited 0.000 s)\n",
        "0.000 decline fa p/a on node: cpus(allocated: p/a):2; mem(allocated: p/a):3072 "
        "(filter 0 s)\n",
        "30.000 end fa j.1 on node: TASK_FINISHED (ran 30.000 s)\n",
        "30.000 end fa j.2 on node: TASK_FINISHED (ran 30.000 s)\n",
        "60.000 offer fb p/b on node: cpus(allocated: p/b):4; mem(allocated: p/b):4096\n",
        "60.000 launch fb k.1 on node: cpus(allocated: p/b):1; mem(allocated: p/b):2048 "
        "(waited 0.000 s)\n"};
    const char *at = log;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *hit = strstr(at, want[i]);
        CU_ASSERT_PTR_NOT_NULL(hit);
        if (!hit) {
            fprintf(stderr, "\n  missing, or out of order: %s", want[i]);
            break;
        }
        at = hit + strlen(want[i]);
    }
    /* Two offers in all, and no other task ends (fb's runs forever). */
    size_t offers = 0, ends = 0;
    for (const char *p = log; (p = strstr(p, " offer ")); p++)
        offers++;
    for (const char *p = log; (p = strstr(p, " end ")); p++)
        ends++;
    CU_ASSERT_EQUAL(offers, 2);
    CU_ASSERT_EQUAL(ends, 2);
    /* No wall clock: the same run writes the same bytes. */
    CU_ASSERT_PTR_NOT_NULL(again);
    if (again)
        CU_ASSERT_STRING_EQUAL(log, again);
    free(log);
    free(again);
}

/* ---- resources no framework may be offered ----------------------------------------------------- */

static const char *const gpu_cluster =
    "{\"agents\": [{\"hostname\": \"node\", \"resources\": \"cpus:4;mem:4096\"},"
    "{\"hostname\": \"gpu\", \"count\": 7, \"resources\": \"cpus:4;mem:4096;gpus:1\"}]}";

/* The warnings of the run under `parameters` (with `capabilities` for fa,
 * a JSON array or NULL), as the summary and `warn` show them. */
static sim_result *gpu_run(const char *parameters, const char *capabilities, char **warn,
                           char **summary)
{
    char w[2048];
    snprintf(w, sizeof w,
             "{\"duration\": \"10secs\", \"frameworks\": ["
             "{\"id\": \"fa\", \"role\": \"a\", %s%s%s \"jobs\": [{\"id\": \"j\", "
             "\"resources\": \"cpus:1;mem:512\", \"duration\": \"5secs\"}]},"
             "{\"id\": \"fb\", \"role\": \"b\", \"jobs\": [{\"id\": \"k\", "
             "\"resources\": \"cpus:1;mem:512\", \"duration\": \"5secs\"}]}]}",
             capabilities ? "\"capabilities\": " : "", capabilities ? capabilities : "",
             capabilities ? "," : "");
    sim_example x;
    sim_result *r = NULL;
    size_t len = 0;
    FILE *f = open_memstream(warn, &len);
    if (sim_inline_load(&x, gpu_cluster, w, parameters))
        r = sim_example_run_to(&x, 0, NULL, f);
    fclose(f);
    sim_example_unload(&x);
    f = r ? open_memstream(summary, &len) : NULL;
    if (f) {
        CU_ASSERT_EQUAL(report_summary(f, r, "gpu", NULL), 0);
        fclose(f);
    }
    return r;
}

static void test_gpu_warning(void)
{
    char *warn = NULL, *summary = NULL;
    const char *agents = "7 agents are never offered to any framework (they have GPUs; "
                         "filter_gpu_resources=true offers them only to GPU_RESOURCES "
                         "frameworks): gpu-1, gpu-2, gpu-3, gpu-4, gpu-5 and 2 more",
               *fws = "none of the workload's frameworks (2) has the GPU_RESOURCES capability "
                      "(filter_gpu_resources=false would also open those agents): fa, fb";
    sim_result *r = gpu_run("", NULL, &warn, &summary);
    REQUIRE(r);
    REQUIRE_TRUE(r->nwarnings == 2);
    ASSERT_STR(r->warnings[0], agents);
    ASSERT_STR(r->warnings[1], fws);
    char want[1024];
    snprintf(want, sizeof want, "hdrf-sim: warning: %s\nhdrf-sim: warning: %s\n", agents, fws);
    ASSERT_STR(warn, want);
    /* In the summary, wrapped under "warning: ". */
    CU_ASSERT_PTR_NOT_NULL(strstr(summary, "\nwarning: 7 agents are never offered to any "
                                           "framework (they have GPUs;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(summary, "\nwarning: none of the workload's frameworks (2)"));
    /* Indeed never offered: no GPU is ever held. */
    for (size_t s = 0; s < r->nsamples; s++)
        CU_ASSERT_EQUAL(r->used[s * r->nres + 1], 0); /* cpus, gpus, mem */
    sim_result_free(r);
    free(warn);
    free(summary);

    /* GPU agents open to every framework, or a framework that takes them:
     * nothing to warn about. */
    warn = summary = NULL;
    r = gpu_run("{\"key\": \"filter_gpu_resources\", \"value\": \"false\"}", NULL, &warn, &summary);
    CU_ASSERT_TRUE(r && r->nwarnings == 0);
    CU_ASSERT_TRUE(warn && !*warn);
    CU_ASSERT_TRUE(summary && !strstr(summary, "warning"));
    sim_result_free(r);
    free(warn);
    free(summary);
    warn = summary = NULL;
    r = gpu_run("", "[\"GPU_RESOURCES\"]", &warn, &summary);
    CU_ASSERT_TRUE(r && r->nwarnings == 0);
    CU_ASSERT_TRUE(warn && !*warn);
    sim_result_free(r);
    free(warn);
    free(summary);
}

/* The same for agents of another region when no framework is REGION_AWARE. */
static void test_region_warning(void)
{
    sim_example x;
    if (sim_inline_load(&x,
                        "{\"region\": \"eu\", \"agents\": [{\"hostname\": \"here\", \"resources\": "
                        "\"cpus:4\", \"domain\": {\"region\": \"eu\", \"zone\": \"a\"}}, "
                        "{\"hostname\": \"far\", \"resources\": \"cpus:4\", \"domain\": "
                        "{\"region\": \"us\", \"zone\": \"b\"}}]}",
                        "{\"duration\": \"10secs\", \"frameworks\": [{\"id\": \"fa\", \"role\": "
                        "\"a\", \"jobs\": [{\"id\": \"j\", \"resources\": \"cpus:1\", "
                        "\"duration\": \"5secs\"}]}]}",
                        "")) {
        sim_result *r = sim_example_run(&x, 0);
        CU_ASSERT_TRUE(r && r->nwarnings == 2);
        if (r && r->nwarnings == 2) {
            ASSERT_STR(r->warnings[0], "1 agent is never offered to any framework (it has a "
                                       "region other than the master's; only REGION_AWARE "
                                       "frameworks are offered remote agents): far");
            ASSERT_STR(r->warnings[1], "none of the workload's frameworks (1) has the "
                                       "REGION_AWARE capability: fa");
        }
        sim_result_free(r);
    }
    sim_example_unload(&x);
}

/* ---- frameworks' minimums ------------------------------------------------------------------- */

/* A framework's min_allocatable_resources reaches the allocator: on one
 * agent of cpus:1;mem:1024, a framework asking for cpus:2 at least is never
 * offered anything (below its minimum), whatever its tasks need, while its
 * twin without the minimum launches at once. */
static void test_framework_minimum(void)
{
    static const char *one = "{\"agents\": [{\"hostname\": \"n\", \"resources\": "
                             "\"cpus:1;mem:1024\"}]}";
    const char *fw = "{\"duration\": \"30secs\", \"frameworks\": [{\"id\": \"f\", \"role\": "
                     "\"a\", %s\"jobs\": [{\"id\": \"j\", \"resources\": \"cpus:1;mem:512\", "
                     "\"duration\": \"forever\"}]}]}";
    for (int with = 0; with < 2; with++) {
        char workload[512];
        snprintf(workload, sizeof workload, fw,
                 with ? "\"min_allocatable_resources\": \"cpus:2\", " : "");
        sim_example x;
        if (sim_inline_load(&x, one, workload, INTERVAL)) {
            sim_result *r = sim_example_run(&x, 0);
            REQUIRE(r);
            size_t e = sim_example_entity(r, "f", false);
            CU_ASSERT_EQUAL(r->entities[e].launched, with ? 0 : 1);
            if (with) /* every run: the agent's cpus:1 is below its minimum */
                CU_ASSERT_TRUE(r->entities[e].reasons[HDRF_REASON_MIN_ALLOCATABLE] > 0);
            sim_result_free(r);
        }
        sim_example_unload(&x);
    }
}

int suite_sim_report(void)
{
    static const test_case cases[] = {
        {"averages over a window, per resource, by hand", test_window_averages},
        {"the summary names its window and shows each resource", test_summary_window},
        {"a comparison shows both runs over one window", test_compare_window},
        {"--window: values read, errors in one line", test_window_parse},
        {"timeseries.csv: a cluster_total row per sample", test_csv_totals},
        {"decisions.log at debug: offers, launches, task ends; no wall clock", test_decisions_log},
        {"GPU agents no framework may be offered: warned", test_gpu_warning},
        {"remote agents no framework may be offered: warned", test_region_warning},
        {"a framework's min_allocatable_resources reaches the allocator", test_framework_minimum},
        {NULL, NULL}};
    return test_add_suite("sim_report", cases);
}
