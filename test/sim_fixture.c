/* sim_fixture.c: loading and running the simulator's examples in tests
 * (see sim_fixture.h). */
#include "test/sim_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/report.h"
#include "test/test.h"

bool sim_example_load(sim_example *x, const char *name, const char *modules, const uint64_t *seed)
{
    char path[4096], why[1024];
    char *text = NULL;
    hdrf_error e;
    memset(x, 0, sizeof *x);
    snprintf(x->cluster_file, sizeof x->cluster_file, "%s/sim/examples/%s/cluster.json",
             HDRF_SRCDIR, name);
    x->cluster = sim_cluster_load(x->cluster_file, why, sizeof why);
    snprintf(path, sizeof path, "%s/sim/examples/%s/workload.json", HDRF_SRCDIR, name);
    x->workload = sim_workload_load(path, seed, why, sizeof why);
    snprintf(path, sizeof path, "%s/sim/examples/%s/%s", HDRF_SRCDIR, name, modules);
    if (test_read_file(path, &text) >= 0)
        hdrf_params_from_modules_json(text, path, NULL, &x->params, &e);
    free(text);
    CU_ASSERT_PTR_NOT_NULL(x->cluster);
    CU_ASSERT_PTR_NOT_NULL(x->workload);
    CU_ASSERT_PTR_NOT_NULL(x->params);
    return x->cluster && x->workload && x->params;
}

/* Writes `text` to a new temporary file named in path[len]. */
static bool temp_write(const char *text, char *path, size_t len)
{
    snprintf(path, len, "/tmp/hdrf-sim-inline-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok;
}

bool sim_inline_load(sim_example *x, const char *cluster, const char *workload,
                     const char *parameters)
{
    char path[64], why[1024], *modules = NULL;
    hdrf_error e;
    memset(x, 0, sizeof *x);
    if (temp_write(cluster, x->cluster_file, sizeof x->cluster_file)) {
        x->cluster = sim_cluster_load(x->cluster_file, why, sizeof why);
        if (!x->cluster)
            fprintf(stderr, "\n  cluster: %s\n", why);
    }
    unlink(x->cluster_file);
    if (temp_write(workload, path, sizeof path)) {
        x->workload = sim_workload_load(path, NULL, why, sizeof why);
        if (!x->workload)
            fprintf(stderr, "\n  workload: %s\n", why);
    }
    unlink(path);
    const char *head = "{\"libraries\": [{\"file\": \"libhdrf-mesos.so\", \"modules\": [{\"name\": "
                       "\"io_hdrf_HierarchicalAllocator\", \"parameters\": [";
    if ((modules = malloc(strlen(head) + strlen(parameters) + 8))) {
        sprintf(modules, "%s%s]}]}]}", head, parameters);
        if (hdrf_params_from_modules_json(modules, "modules.json", NULL, &x->params, &e) != HDRF_OK)
            fprintf(stderr, "\n  modules.json: %s\n", e.text);
    }
    free(modules);
    CU_ASSERT_PTR_NOT_NULL(x->cluster);
    CU_ASSERT_PTR_NOT_NULL(x->workload);
    CU_ASSERT_PTR_NOT_NULL(x->params);
    return x->cluster && x->workload && x->params;
}

void sim_example_unload(sim_example *x)
{
    sim_cluster_free(x->cluster);
    sim_workload_free(x->workload);
    hdrf_params_free(x->params);
}

sim_result *sim_example_run(const sim_example *x, hdrf_time duration)
{
    return sim_example_run_to(x, duration, NULL, NULL);
}

sim_result *sim_example_run_to(const sim_example *x, hdrf_time duration, FILE *log, FILE *warn)
{
    sim_inputs in = {x->cluster, x->cluster_file, x->workload, x->params, duration, 0,
                     NULL,       false,           log,         warn};
    sim_result *r = NULL;
    char why[1024];
    int rc = sim_run(&in, &r, why, sizeof why);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "sim_run: %s\n", why);
    return r;
}

size_t sim_example_entity(const sim_result *r, const char *name, bool role)
{
    long i = report_entity(r, name, role);
    CU_ASSERT_TRUE(i >= 0);
    return i < 0 ? 0 : (size_t)i;
}
