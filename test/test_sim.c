/* test_sim.c: the simulator (sim/) end to end on its shipped examples.
 *
 *  - drf-paper: the DRF paper's example reproduces its allocation: A runs
 *    3 tasks and B 2, both at a dominant share of exactly 2/3.
 *  - weighted: weights 3:1 give shares 0.75 and 0.25, each within 0.03
 *    (averaged over the second half of the run, once the start is over).
 *  - nested-roles: Mesos's nested DRF starves n2/b (share 0, n1 takes all
 *    the memory); hdrf gives n1 and n2/b half of it each.
 *  - quota: prod's guarantee gets its 16 tasks placed within 30 s of their
 *    arrival, batch never holds more than its 20-cpu limit; without quota
 *    prod waits over 100 s.
 *  - large: 1,000 agents and 50 generated frameworks load and run.
 *  - the same seed gives byte-identical CSV, another seed another one.
 *  - bad input files: one line naming the file, the field and the problem. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../sim/engine.h"
#include "../sim/report.h"
#include "test.h"

typedef struct example {
    sim_cluster *cluster;
    sim_workload *workload;
    hdrf_params *params;
    char cluster_file[4096];
} example;

static char *slurp(const char *path)
{
    char *text = NULL;
    return test_read_file(path, &text) < 0 ? NULL : text;
}

/* Loads sim/examples/<name> with the given modules file; false on failure. */
static bool load(example *x, const char *name, const char *modules, const uint64_t *seed)
{
    char path[4096], why[1024];
    hdrf_error e;
    memset(x, 0, sizeof *x);
    snprintf(x->cluster_file, sizeof x->cluster_file, "%s/sim/examples/%s/cluster.json",
             HDRF_SRCDIR, name);
    x->cluster = sim_cluster_load(x->cluster_file, why, sizeof why);
    snprintf(path, sizeof path, "%s/sim/examples/%s/workload.json", HDRF_SRCDIR, name);
    x->workload = sim_workload_load(path, seed, why, sizeof why);
    snprintf(path, sizeof path, "%s/sim/examples/%s/%s", HDRF_SRCDIR, name, modules);
    char *text = slurp(path);
    if (text)
        hdrf_params_from_modules_json(text, path, NULL, &x->params, &e);
    free(text);
    CU_ASSERT_PTR_NOT_NULL(x->cluster);
    CU_ASSERT_PTR_NOT_NULL(x->workload);
    CU_ASSERT_PTR_NOT_NULL(x->params);
    return x->cluster && x->workload && x->params;
}

static void unload(example *x)
{
    sim_cluster_free(x->cluster);
    sim_workload_free(x->workload);
    hdrf_params_free(x->params);
}

static sim_result *run(example *x, hdrf_time duration)
{
    sim_inputs in = {x->cluster, x->cluster_file, x->workload, x->params, duration, 0,
                     NULL,       false,           NULL};
    sim_result *r = NULL;
    char why[1024];
    int rc = sim_run(&in, &r, why, sizeof why);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "sim_run: %s\n", why);
    return r;
}

static size_t entity(const sim_result *r, const char *name, bool role)
{
    long i = report_entity(r, name, role);
    CU_ASSERT_TRUE(i >= 0);
    return i < 0 ? 0 : (size_t)i;
}

static long final_running(const sim_result *r, size_t e)
{
    return r->running[sim_at(r, r->nsamples - 1, e)];
}

static void test_drf_paper(void)
{
    example x;
    if (!load(&x, "drf-paper", "modules.json", NULL))
        return unload(&x);
    sim_result *r = run(&x, 0);
    if (r) {
        size_t a = entity(r, "a", true), b = entity(r, "b", true);
        CU_ASSERT_EQUAL(final_running(r, a), 3);
        CU_ASSERT_EQUAL(final_running(r, b), 2);
        CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, a), 2.0 / 3, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, b), 2.0 / 3, 1e-9);
        /* A: 3 x <1 CPU, 4 GB> = 3 CPUs, 12 GB; B: 2 x <3 CPUs, 1 GB>. */
        const int64_t *held = &r->held[sim_at(r, r->nsamples - 1, a) * r->nres];
        CU_ASSERT_EQUAL(held[0], 3000);
        CU_ASSERT_EQUAL(held[1], 12288000);
    }
    sim_result_free(r);
    unload(&x);
}

/* The mean share of entity e over the second half of the samples. */
static double late_share(const sim_result *r, size_t e)
{
    double sum = 0;
    size_t n = 0;
    for (size_t s = r->nsamples / 2; s < r->nsamples; s++, n++)
        sum += r->share[sim_at(r, s, e)];
    return n ? sum / (double)n : 0;
}

static void test_weighted(void)
{
    example x;
    if (!load(&x, "weighted", "modules.json", NULL))
        return unload(&x);
    sim_result *r = run(&x, 0);
    if (r) {
        double gold = late_share(r, entity(r, "gold", true));
        double silver = late_share(r, entity(r, "silver", true));
        CU_ASSERT_DOUBLE_EQUAL(gold, 0.75, 0.03);
        CU_ASSERT_DOUBLE_EQUAL(silver, 0.25, 0.03);
        CU_ASSERT_DOUBLE_EQUAL(r->entities[entity(r, "gold", true)].fair, 0.75, 1e-12);
    }
    sim_result_free(r);
    unload(&x);
}

static void test_nested_roles(void)
{
    example x, y;
    if (load(&x, "nested-roles", "modules.json", NULL)) {
        sim_result *r = run(&x, 0);
        if (r) {
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, entity(r, "n2/b", true)), 0.0, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, entity(r, "n1", true)), 1.0, 1e-9);
            CU_ASSERT_EQUAL(final_running(r, entity(r, "n2/a", true)), 10);
        }
        sim_result_free(r);
    }
    unload(&x);
    if (load(&y, "nested-roles", "modules-hdrf.json", NULL)) {
        sim_result *r = run(&y, 0);
        if (r) {
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, entity(r, "n2/b", true)), 0.5, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, entity(r, "n1", true)), 0.5, 1e-9);
            CU_ASSERT_EQUAL(final_running(r, entity(r, "n2/a", true)), 10);
        }
        sim_result_free(r);
    }
    unload(&y);
}

static void test_quota(void)
{
    example x, y;
    if (load(&x, "quota", "modules.json", NULL)) {
        sim_result *r = run(&x, 0);
        if (r) {
            size_t batch = entity(r, "batch", true), prod = entity(r, "prod", true);
            int64_t most = 0;
            for (size_t s = 0; s < r->nsamples; s++)
                if (r->held[sim_at(r, s, batch) * r->nres] > most) /* cpus: the first name */
                    most = r->held[sim_at(r, s, batch) * r->nres];
            CU_ASSERT_TRUE(most <= 20000);
            CU_ASSERT_TRUE(most >= 15000); /* the limit binds, not a lack of demand */
            CU_ASSERT_EQUAL(final_running(r, prod), 16);
            CU_ASSERT_TRUE(report_p99_wait(&r->entities[prod]) < 30);
        }
        sim_result_free(r);
    }
    unload(&x);
    if (load(&y, "quota", "modules-noquota.json", NULL)) {
        sim_result *r = run(&y, 0);
        if (r)
            CU_ASSERT_TRUE(report_p99_wait(&r->entities[entity(r, "prod", true)]) > 100);
        sim_result_free(r);
    }
    unload(&y);
}

static void test_large(void)
{
    example x;
    if (!load(&x, "large", "modules.json", NULL))
        return unload(&x);
    sim_result *r = run(&x, 10 * HDRF_SECOND); /* a glimpse: the whole run takes long */
    if (r) {
        CU_ASSERT_EQUAL(r->nagents, 1000);
        CU_ASSERT_EQUAL(r->nframeworks, 50);
        long launched = 0;
        for (size_t i = r->nroles; i < r->nentities; i++)
            launched += r->entities[i].launched;
        CU_ASSERT_TRUE(launched > 100);
        CU_ASSERT_TRUE(report_final_use(r, 0) > 0.01); /* cpus */
    }
    sim_result_free(r);
    unload(&x);
}

/* The CSV of a run of the quota example (Poisson arrivals, random
 * durations: everything the seed drives) as a new string. */
static char *csv_of(uint64_t seed)
{
    example x;
    char *text = NULL;
    size_t len = 0;
    if (load(&x, "quota", "modules.json", &seed)) {
        sim_result *r = run(&x, 300 * HDRF_SECOND);
        FILE *f = r ? open_memstream(&text, &len) : NULL;
        if (f) {
            CU_ASSERT_EQUAL(report_csv(f, r), 0);
            fclose(f);
        }
        sim_result_free(r);
    }
    unload(&x);
    return text;
}

static void test_same_seed_same_csv(void)
{
    char *a = csv_of(5), *b = csv_of(5), *c = csv_of(6);
    CU_ASSERT_PTR_NOT_NULL(a);
    if (a && b && c) {
        CU_ASSERT_TRUE(strlen(a) > 1000);
        CU_ASSERT_STRING_EQUAL(a, b);
        CU_ASSERT_TRUE(strcmp(a, c) != 0);
    }
    free(a);
    free(b);
    free(c);
}

/* ---- bad input ------------------------------------------------------------------------------ */

/* Writes `text` to a temporary file; its path in `path`. */
static bool temp_file(const char *text, char *path, size_t len)
{
    snprintf(path, len, "/tmp/hdrf-sim-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok;
}

static void bad_cluster(const char *text, const char *want)
{
    char path[64], why[1024], expect[1024];
    REQUIRE_TRUE(temp_file(text, path, sizeof path));
    sim_cluster *c = sim_cluster_load(path, why, sizeof why);
    CU_ASSERT_PTR_NULL(c);
    sim_cluster_free(c);
    snprintf(expect, sizeof expect, "%s: %s", path, want);
    CU_ASSERT_STRING_EQUAL(why, expect);
    if (strcmp(why, expect) != 0)
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", why, expect);
    unlink(path);
}

static void bad_workload(const char *text, const char *want)
{
    char path[64], why[1024], expect[1024];
    REQUIRE_TRUE(temp_file(text, path, sizeof path));
    sim_workload *w = sim_workload_load(path, NULL, why, sizeof why);
    CU_ASSERT_PTR_NULL(w);
    sim_workload_free(w);
    snprintf(expect, sizeof expect, "%s: %s", path, want);
    CU_ASSERT_STRING_EQUAL(why, expect);
    if (strcmp(why, expect) != 0)
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", why, expect);
    unlink(path);
}

static void test_bad_cluster(void)
{
    bad_cluster("{\"agents\": []}", "agents: []: expected an array of at least one agent group");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\"}]}",
                "agents[0].resources: missing: expected resources (e.g. \"cpus:1;mem:128\")");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"resources\": \"cpus:x\"}]}",
                "agents[0].resources: expected a number, [ranges] or {set} at 'x' (column 6)");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"count\": 0, \"resources\": \"cpus:1\"}]}",
                "agents[0].count: 0: expected an integer from 1 to 1000000");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"cpus\": 1}]}",
                "agents[0].cpus: unknown field; allowed: hostname, count, resources, attributes, "
                "domain, reservations");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"resources\": \"cpus:1\", "
                "\"attributes\": {\"rack\": []}}]}",
                "agents[0].attributes.rack: []: expected a value or a non-empty array of values");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"resources\": \"cpus:1\", "
                "\"domain\": {\"region\": \"eu\"}}]}",
                "agents[0].domain.zone: missing: a fault domain has a zone (or an array spread "
                "over the group)");
    bad_cluster("{\"agents\": [{\"hostname\": \"a\", \"resources\": \"cpus:1\", "
                "\"reservations\": [{\"role\": \"*\", \"resources\": \"cpus:1\"}]}]}",
                "agents[0].reservations[0].role: \"*\": not a role one can reserve for");
}

static void test_bad_workload(void)
{
#define FW(jobs) "{\"frameworks\": [{\"id\": \"f\", \"role\": \"a\", \"jobs\": [" jobs "]}]}"
    bad_workload("{\"duration\": \"10 mins\", \"frameworks\": []}",
                 "duration: \"10 mins\": expected a duration: a number of seconds, or a number "
                 "and a unit of ns, us, ms, secs, mins, hrs, days, weeks (e.g. \"30secs\")");
    bad_workload("{\"seed\": 1}", "frameworks: missing: give frameworks, a generator, or both");
    bad_workload(FW("{\"id\": \"j\", \"resources\": \"cpus:1\"}"),
                 "frameworks[0].jobs[0].duration: missing: how long each task runs (e.g. "
                 "\"60secs\" or \"forever\")");
    bad_workload(FW("{\"id\": \"j\", \"resources\": \"cpus:1\", \"duration\": {\"distribution\": "
                    "\"normal\", \"mean\": 5}}"),
                 "frameworks[0].jobs[0].duration.distribution: \"normal\": expected fixed, "
                 "exponential, pareto or uniform");
    bad_workload(FW("{\"id\": \"j\", \"resources\": \"cpus:1\", \"duration\": 5, \"instances\": "
                    "-1}"),
                 "frameworks[0].jobs[0].instances: -1: expected tasks per arrival: an integer "
                 "from 1 to 100000, or [min, max]");
    bad_workload(FW("{\"id\": \"j\", \"resources\": \"cpus:1\", \"duration\": 5, \"repeat\": 3}"),
                 "frameworks[0].jobs[0].every: a job that arrives more than once needs a "
                 "positive interval");
    bad_workload(FW("{\"id\": \"j\", \"role\": \"b\", \"resources\": \"cpus:1\", \"duration\": "
                    "5}"),
                 "frameworks[0].jobs[0].role: \"b\": not one of the framework's roles");
    /* Fields of the scheduler's apps are checked by its own reader. */
    bad_workload(FW("{\"id\": \"J!\", \"resources\": \"cpus:1\", \"duration\": 5}"),
                 "frameworks[0].jobs[0].id: \"J!\": must be 1 to 64 characters of a-z, 0-9, '-' "
                 "and '_', starting with a letter or digit");
    bad_workload("{\"generator\": {\"frameworks\": 3, \"roles\": [\"a\"], \"pattern\": \"spiky\"}}",
                 "generator.pattern: \"spiky\": expected steady or bursty");
#undef FW
}

int suite_sim(void)
{
    static const test_case cases[] = {
        {"the DRF paper's example: A 3 tasks, B 2, shares 2/3", test_drf_paper},
        {"weights 3:1 converge to shares .75/.25 (+-.03)", test_weighted},
        {"nested roles: drf starves n2/b, hdrf halves the memory", test_nested_roles},
        {"quota: guarantee placed fast, limit never passed", test_quota},
        {"1,000 agents, 50 generated frameworks", test_large},
        {"same seed, byte-identical CSV", test_same_seed_same_csv},
        {"bad cluster files", test_bad_cluster},
        {"bad workload files", test_bad_workload},
        {NULL, NULL}};
    return test_add_suite("sim", cases);
}
