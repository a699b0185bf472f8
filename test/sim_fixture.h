/* sim_fixture.h: a shipped simulator example (sim/examples/<name>), or one
 * given as text, loaded and run for a test. Every helper asserts its own success with CUnit.
 *
 * Ownership: a sim_example owns what it loaded until sim_example_unload();
 * a sim_result from sim_example_run() is the caller's (sim_result_free). */
#ifndef HDRF_TEST_SIM_FIXTURE_H
#define HDRF_TEST_SIM_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/engine.h"

typedef struct sim_example {
    sim_cluster *cluster;
    sim_workload *workload;
    hdrf_params *params;
    char cluster_file[4096];
} sim_example;

/* Loads the example's cluster.json, workload.json (with `seed`, or NULL
 * for the file's) and the modules file named `modules`; false when any
 * failed (unload it all the same). */
bool sim_example_load(sim_example *x, const char *name, const char *modules, const uint64_t *seed);
/* The same from text: a cluster.json, a workload.json and the module's
 * `parameters` array's members (e.g. {"key": "log_level", "value":
 * "debug"}), written to temporary files, loaded, removed. */
bool sim_inline_load(sim_example *x, const char *cluster, const char *workload,
                     const char *parameters);
void sim_example_unload(sim_example *x);

/* Runs it for `duration` (0: the workload's); NULL on failure. */
sim_result *sim_example_run(const sim_example *x, hdrf_time duration);
/* The same, with the decisions written to `log` and warnings to `warn`
 * (each NULL: none). */
sim_result *sim_example_run_to(const sim_example *x, hdrf_time duration, FILE *log, FILE *warn);

/* The role (or framework) named `name`, asserted present (0 if not). */
size_t sim_example_entity(const sim_result *r, const char *name, bool role);

#endif
