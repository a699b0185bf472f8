/* sim_fixture.c: loading and running the simulator's examples in tests
 * (see sim_fixture.h). */
#include "test/sim_fixture.h"

#include <stdio.h>
#include <stdlib.h>

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

void sim_example_unload(sim_example *x)
{
    sim_cluster_free(x->cluster);
    sim_workload_free(x->workload);
    hdrf_params_free(x->params);
}

sim_result *sim_example_run(const sim_example *x, hdrf_time duration)
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

size_t sim_example_entity(const sim_result *r, const char *name, bool role)
{
    long i = report_entity(r, name, role);
    CU_ASSERT_TRUE(i >= 0);
    return i < 0 ? 0 : (size_t)i;
}
