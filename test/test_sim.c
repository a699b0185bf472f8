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
 *  - large: 1,000 agents, 50 generated frameworks wanting more than the
 *    cluster has: from 1 min on, CPU use >= 90% and each role's mean share
 *    is its weighted fair share of the CPUs in use within 5% (its fair
 *    share within 10%).
 *  - every configuration (modules*.json) of every example is one of the
 *    above, and each example's workload describes what to expect.
 *  - the same seed gives byte-identical CSV, another seed another one.
 *  - bad input files: one line naming the file, the field and the problem. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/from_master.h"
#include "sim/report.h"
#include "test/sim_fixture.h"
#include "test/test.h"

static size_t role_of(const sim_result *r, const char *name)
{
    return sim_example_entity(r, name, true);
}

static long final_running(const sim_result *r, size_t e)
{
    return r->running[sim_at(r, r->nsamples - 1, e)];
}

static void test_drf_paper(void)
{
    sim_example x;
    if (!sim_example_load(&x, "drf-paper", "modules.json", NULL))
        return sim_example_unload(&x);
    sim_result *r = sim_example_run(&x, 0);
    if (r) {
        size_t a = role_of(r, "a"), b = role_of(r, "b");
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
    sim_example_unload(&x);
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
    sim_example x;
    if (!sim_example_load(&x, "weighted", "modules.json", NULL))
        return sim_example_unload(&x);
    sim_result *r = sim_example_run(&x, 0);
    if (r) {
        double gold = late_share(r, role_of(r, "gold"));
        double silver = late_share(r, role_of(r, "silver"));
        CU_ASSERT_DOUBLE_EQUAL(gold, 0.75, 0.03);
        CU_ASSERT_DOUBLE_EQUAL(silver, 0.25, 0.03);
        CU_ASSERT_DOUBLE_EQUAL(r->entities[role_of(r, "gold")].fair, 0.75, 1e-12);
    }
    sim_result_free(r);
    sim_example_unload(&x);
}

static void test_nested_roles(void)
{
    sim_example x, y;
    if (sim_example_load(&x, "nested-roles", "modules.json", NULL)) {
        sim_result *r = sim_example_run(&x, 0);
        if (r) {
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, role_of(r, "n2/b")), 0.0, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, role_of(r, "n1")), 1.0, 1e-9);
            CU_ASSERT_EQUAL(final_running(r, role_of(r, "n2/a")), 10);
        }
        sim_result_free(r);
    }
    sim_example_unload(&x);
    if (sim_example_load(&y, "nested-roles", "modules-hdrf.json", NULL)) {
        sim_result *r = sim_example_run(&y, 0);
        if (r) {
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, role_of(r, "n2/b")), 0.5, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(report_final_share(r, role_of(r, "n1")), 0.5, 1e-9);
            CU_ASSERT_EQUAL(final_running(r, role_of(r, "n2/a")), 10);
        }
        sim_result_free(r);
    }
    sim_example_unload(&y);
}

static void test_quota(void)
{
    sim_example x, y;
    if (sim_example_load(&x, "quota", "modules.json", NULL)) {
        sim_result *r = sim_example_run(&x, 0);
        if (r) {
            size_t batch = role_of(r, "batch"), prod = role_of(r, "prod");
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
    sim_example_unload(&x);
    if (sim_example_load(&y, "quota", "modules-noquota.json", NULL)) {
        sim_result *r = sim_example_run(&y, 0);
        if (r)
            CU_ASSERT_TRUE(report_p99_wait(&r->entities[role_of(r, "prod")]) > 100);
        sim_result_free(r);
    }
    sim_example_unload(&y);
}

/* large: every role wants more than it gets, so DRF's progressive filling
 * gives each its weighted share of what is in use. By hand from the
 * weights (eng 2 = eng/web 1 + eng/batch 1, ads 1, search 1, ml 1,
 * analytics 0.5; 5.5 in all at the top): eng 2/5.5 = 4/11, its children
 * half of that, 2/11; ads, search, ml 1/5.5 = 2/11; analytics 0.5/5.5 =
 * 1/11. Every task asks for 4096 MB per CPU, the ratio of the cluster's
 * totals (85,196,800 MB over 20,800 CPUs), so CPU is each role's dominant
 * resource (memory ties it) and a share is a share of the CPUs. */
static const struct {
    const char *role;
    double fair;
} large_fair[] = {{"eng", 4.0 / 11},      {"eng/web", 2.0 / 11}, {"eng/batch", 2.0 / 11},
                  {"ads", 2.0 / 11},      {"search", 2.0 / 11},  {"ml", 2.0 / 11},
                  {"analytics", 1.0 / 11}};
#define LARGE_FROM (60 * HDRF_SECOND) /* the window checked: 1 min to the end (4 min) */

static void test_large(void)
{
    sim_example x;
    if (!sim_example_load(&x, "large", "modules.json", NULL))
        return sim_example_unload(&x);
    sim_result *r = sim_example_run(&x, 0); /* the whole example, as stated */
    if (r) {
        CU_ASSERT_EQUAL(r->nagents, 1000);
        CU_ASSERT_EQUAL(r->nframeworks, 50);
        CU_ASSERT_EQUAL(r->nroles, sizeof large_fair / sizeof *large_fair);
        CU_ASSERT_EQUAL(r->duration, 240 * HDRF_SECOND);
        REQUIRE_TRUE(strcmp(r->res_names[0], "cpus") == 0); /* sorted: cpus, disk, gpus, mem */
        /* Demand exceeds supply in the window: CPU use >= 90%, tasks
         * pending in every role at every sample. */
        double use = 0;
        size_t n = 0;
        for (size_t s = 0; s < r->nsamples; s++) {
            if (r->times[s] < LARGE_FROM)
                continue;
            double cpus = (double)r->used[s * r->nres] / (double)r->res_total[0];
            CU_ASSERT_TRUE(cpus >= 0.90);
            for (size_t i = 0; i < r->nroles; i++)
                CU_ASSERT_TRUE(r->pending[sim_at(r, s, i)] > 0);
            use += cpus;
            n++;
        }
        CU_ASSERT_EQUAL(n, 37); /* 60, 65, ..., 240 s */
        use /= (double)(n ? n : 1);
        for (size_t k = 0; k < sizeof large_fair / sizeof *large_fair; k++) {
            size_t i = role_of(r, large_fair[k].role);
            double fair = large_fair[k].fair, mean = 0;
            for (size_t s = 0; s < r->nsamples; s++)
                if (r->times[s] >= LARGE_FROM)
                    mean += r->share[sim_at(r, s, i)] / (double)n;
            CU_ASSERT_DOUBLE_EQUAL(r->entities[i].fair, fair, 1e-12);
            CU_ASSERT_DOUBLE_EQUAL(mean, fair * use, 0.05 * fair * use);
            CU_ASSERT_DOUBLE_EQUAL(mean, fair, 0.10 * fair);
            if (fabs(mean - fair * use) > 0.05 * fair * use)
                fprintf(stderr, "\n  %s: mean share %.4f, fair %.4f x use %.4f = %.4f\n",
                        large_fair[k].role, mean, fair, use, fair * use);
        }
    }
    sim_result_free(r);
    sim_example_unload(&x);
}

/* The CSV of a run of the quota example (Poisson arrivals, random
 * durations: everything the seed drives) as a new string. */
static char *csv_of(uint64_t seed)
{
    sim_example x;
    char *text = NULL;
    size_t len = 0;
    if (sim_example_load(&x, "quota", "modules.json", &seed)) {
        sim_result *r = sim_example_run(&x, 300 * HDRF_SECOND);
        FILE *f = r ? open_memstream(&text, &len) : NULL;
        if (f) {
            CU_ASSERT_EQUAL(report_csv(f, r), 0);
            fclose(f);
        }
        sim_result_free(r);
    }
    sim_example_unload(&x);
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

/* Every configuration of every shipped example, each run by a case above
 * that checks its expected outcome. */
static const char *const checked[][2] = {
    {"drf-paper", "modules.json"},    {"weighted", "modules.json"},
    {"nested-roles", "modules.json"}, {"nested-roles", "modules-hdrf.json"},
    {"quota", "modules.json"},        {"quota", "modules-noquota.json"},
    {"large", "modules.json"}};

static bool is_checked(const char *example, const char *modules)
{
    for (size_t i = 0; i < sizeof checked / sizeof *checked; i++)
        if (strcmp(checked[i][0], example) == 0 && strcmp(checked[i][1], modules) == 0)
            return true;
    return false;
}

/* Each modules*.json of one example is checked, and its workload says
 * what to expect. Returns how many modules files it has. */
static size_t check_example(const char *name)
{
    char path[4096], why[1024];
    size_t n = 0;
    snprintf(path, sizeof path, "%s/sim/examples/%s", HDRF_SRCDIR, name);
    DIR *d = opendir(path);
    CU_ASSERT_PTR_NOT_NULL(d);
    for (struct dirent *f; d && (f = readdir(d));)
        if (strncmp(f->d_name, "modules", 7) == 0 && strstr(f->d_name, ".json")) {
            n++;
            CU_ASSERT_TRUE(is_checked(name, f->d_name));
            if (!is_checked(name, f->d_name))
                fprintf(stderr, "\n  %s/%s: no test checks it\n", name, f->d_name);
        }
    if (d)
        closedir(d);
    snprintf(path, sizeof path, "%s/sim/examples/%s/workload.json", HDRF_SRCDIR, name);
    sim_workload *w = sim_workload_load(path, NULL, why, sizeof why);
    CU_ASSERT_TRUE(w && w->description && strstr(w->description, "Expected (checked by"));
    sim_workload_free(w);
    return n;
}

static void test_every_example_checked(void)
{
    char path[4096];
    size_t examples = 0, configurations = 0;
    snprintf(path, sizeof path, "%s/sim/examples", HDRF_SRCDIR);
    DIR *d = opendir(path);
    REQUIRE(d);
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            examples++;
            configurations += check_example(e->d_name);
        }
    closedir(d);
    CU_ASSERT_EQUAL(examples, 5);
    CU_ASSERT_EQUAL(configurations, sizeof checked / sizeof *checked);
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

/* hdrf-sim --from-master: a master's /master/state (test/data/from-master,
 * written after Mesos's documented format) and hdrf's /hdrf/state become an
 * example: node-1 with 6 cpus unreserved and 2 reserved for ads, node-2;
 * the web framework's running tasks (two of cpus:1;mem:1024, one staging of
 * cpus:2;mem:2048; the finished one left out) as two jobs held forever, the
 * batch framework's one, the idle framework none; hdrf's sorter, eng's
 * weight and ads's quota as parameters. */
static void test_from_master(void)
{
    char dir[] = "/tmp/hdrf-from-master-XXXXXX", why[1024] = "", path[4200];
    REQUIRE(mkdtemp(dir));
    char state[4096], hstate[4096];
    snprintf(state, sizeof state, "%s", test_data_path("from-master/state.json"));
    snprintf(hstate, sizeof hstate, "%s", test_data_path("from-master/hdrf-state.json"));
    CU_ASSERT_EQUAL(sim_from_master(state, hstate, dir, why, sizeof why), 0);
    snprintf(path, sizeof path, "%s/cluster.json", dir);
    sim_cluster *c = sim_cluster_load(path, why, sizeof why);
    CU_ASSERT_PTR_NOT_NULL(c);
    if (c) {
        CU_ASSERT_EQUAL(c->nagents, 2);
        /* 6 + 2 (reserved) + 4 cpus, 12288 + 4096 + 8192 MB, 150000 MB of disk */
        hdrf_resources *total = sim_cluster_total(c);
        hdrf_quantities *q = total ? hdrf_quantities_of_scalars(total) : NULL;
        CU_ASSERT_EQUAL(hdrf_quantities_get(q, "cpus"), 12000);
        CU_ASSERT_EQUAL(hdrf_quantities_get(q, "mem"), 24576000);
        CU_ASSERT_EQUAL(hdrf_quantities_get(q, "disk"), 150000000);
        char *text = total ? hdrf_resources_format(total) : NULL;
        CU_ASSERT_PTR_NOT_NULL(text && strstr(text, "cpus(ads):2; mem(ads):4096"));
        if (text && !strstr(text, "cpus(ads):2; mem(ads):4096"))
            fprintf(stderr, "\n  cluster total: %s\n", text);
        free(text);
        hdrf_quantities_free(q);
        hdrf_resources_free(total);
        sim_cluster_free(c);
    }
    snprintf(path, sizeof path, "%s/workload.json", dir);
    sim_workload *w = sim_workload_load(path, NULL, why, sizeof why);
    CU_ASSERT_PTR_NOT_NULL(w);
    if (w) {
        REQUIRE_TRUE(w->nframeworks == 2); /* the idle one runs nothing */
        ASSERT_STR(w->frameworks[0].id, "f1-0001");
        CU_ASSERT_EQUAL(w->frameworks[0].njobs, 2);
        CU_ASSERT_EQUAL(w->frameworks[0].jobs[0].instances_min, 2);
        CU_ASSERT_EQUAL(w->frameworks[0].jobs[1].instances_min, 1);
        CU_ASSERT_EQUAL(w->frameworks[0].jobs[0].duration.kind, DIST_FOREVER);
        ASSERT_STR(w->frameworks[1].roles[0], "ads");
        sim_workload_free(w);
    }
    snprintf(path, sizeof path, "%s/modules.json", dir);
    char *text = NULL;
    hdrf_params *p = NULL;
    hdrf_error e;
    CU_ASSERT_TRUE(test_read_file(path, &text) > 0);
    CU_ASSERT_EQUAL(hdrf_params_from_modules_json(text, path, NULL, &p, &e), HDRF_OK);
    if (p) {
        ASSERT_STR(hdrf_params_value(p, "role_sorter"), "hdrf");
        ASSERT_STR(hdrf_params_value(p, "weights"), "eng=2");
        ASSERT_STR(hdrf_params_value(p, "quota_limits"), "ads=cpus:4;mem:8192");
        hdrf_params_free(p);
    }
    free(text);
    /* Refusals name the file and the field */
    snprintf(path, sizeof path, "%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fputs("{\"frameworks\": []}", f);
    fclose(f);
    CU_ASSERT_EQUAL(sim_from_master(path, NULL, dir, why, sizeof why), -1);
    char want[4400];
    snprintf(want, sizeof want,
             "%s: slaves: missing or not an array (expected Mesos's /master/state)", path);
    ASSERT_STR(why, want);
    const char *names[] = {"cluster.json", "workload.json", "modules.json", "bad.json"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void test_bad_cluster(void)
{
    char why[1024];
    CU_ASSERT_PTR_NULL(sim_cluster_load("/nonexistent/cluster.json", why, sizeof why));
    ASSERT_STR(why, "/nonexistent/cluster.json: cannot open: No such file or directory");
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
    bad_workload("{\"description\": [\"x\"], \"frameworks\": []}",
                 "description: [\"x\"]: expected a non-empty string");
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
    bad_workload(
        "{\"frameworks\": [{\"id\": \"f\", \"role\": \"a\", \"min_allocatable_resources\": "
        "\"cpus:1||mem:32\", \"jobs\": []}]}",
        "frameworks[0].min_allocatable_resources: \"cpus:1||mem:32\": an alternative is "
        "empty; expected name:amount lists separated by '|', e.g. "
        "\"cpus:2;mem:1024|gpus:1\"");
    bad_workload("{\"generator\": {\"frameworks\": 3, \"roles\": [\"a\"], \"pattern\": \"spiky\"}}",
                 "generator.pattern: \"spiky\": expected steady or bursty");
    bad_workload("{\"generator\": {\"frameworks\": 3, \"roles\": [\"a\"], \"task_sizes\": "
                 "[\"cpus:1\", \"cpus:x\"]}}",
                 "generator.task_sizes[1]: expected a number, [ranges] or {set} at 'x' (column 6)");
#undef FW
}

int suite_sim(void)
{
    static const test_case cases[] = {
        {"the DRF paper's example: A 3 tasks, B 2, shares 2/3", test_drf_paper},
        {"weights 3:1 converge to shares .75/.25 (+-.03)", test_weighted},
        {"nested roles: drf starves n2/b, hdrf halves the memory", test_nested_roles},
        {"quota: guarantee placed fast, limit never passed", test_quota},
        {"1,000 agents, 50 frameworks: weighted shares of a full cluster", test_large},
        {"every example's every configuration is checked", test_every_example_checked},
        {"same seed, byte-identical CSV", test_same_seed_same_csv},
        {"--from-master: a master's state as an example", test_from_master},
        {"bad cluster files", test_bad_cluster},
        {"bad workload files", test_bad_workload},
        {NULL, NULL}};
    return test_add_suite("sim", cases);
}
