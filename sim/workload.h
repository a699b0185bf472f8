/* workload.h: what the simulated frameworks want, read from a JSON file.
 *
 *   {"description": "...",          what the scenario shows and what to expect;
 *                                   printed at the top of the summary
 *    "duration": "10mins",          virtual time simulated (default 10mins)
 *    "seed": 1,                     seeds durations, arrivals, the generator
 *    "sample_interval": "5secs",    time series step (default: the allocation
 *                                   interval, or duration/1000 if coarser)
 *    "frameworks": [{
 *       "id": "fw-a", "name": "A",  name defaults to id
 *       "roles": ["a"],             or "role": "a"
 *       "capabilities": ["GPU_RESOURCES"],  Mesos's names; MULTI_ROLE always
 *       "refuse_seconds": 5,        filter on declined offers (Mesos's default 5)
 *       "max_tasks_per_offer": 1,   0 (default): as many as fit
 *       "suppress_when_idle": true, SUPPRESS with nothing pending, REVIVE on work
 *       "min_allocatable_resources": "cpus:2;mem:1024|gpus:1",
 *                                   FrameworkInfo.offer_filters[role]
 *                                   .min_allocatable_resources for each of its
 *                                   roles: the smallest offer it can use
 *       "jobs": [{
 *          "id": "a-tasks", "role": "a", "resources": "cpus:1;mem:4096",
 *          ... any other field of the scheduler's app definitions (app.h):
 *          constraints, gang, containers, executor_resources ...
 *          "instances": 3 or [1, 20],   tasks per arrival (uniform in range)
 *          "duration": "60secs" | "forever" |
 *              {"distribution": "exponential" | "pareto" | "uniform" | "fixed",
 *               "mean": "60secs", "shape": 1.5, "min": ..., "max": ...},
 *          "arrival": "0secs",          first arrival
 *          "repeat": 1 | "forever",     how many arrivals
 *          "every": "30secs",           time between arrivals (mean)
 *          "process": "fixed" | "poisson" | "bursty",
 *          "burst": {"on": "1mins", "off": "4mins"}}]}],
 *    "generator": {...}}            see workload_gen.c
 *
 * Durations are Mesos's syntax or numbers of seconds. Pareto durations
 * (heavy-tailed) take the mean and a shape > 1, cut at `max` when given.
 * Bursty arrivals come as a Poisson process during `on` windows only,
 * each window followed by an `off` one.
 *
 * Ownership: a sim_workload owns everything; sim_workload_free(). The
 * `app` inside a job holds compiled regexes: jobs are never moved. */
#ifndef HDRF_SIM_WORKLOAD_H
#define HDRF_SIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/app.h"
#include "hdrf/allocator.h"
#include "sim/jread.h"

typedef enum sim_dist_kind {
    DIST_FIXED,
    DIST_EXPONENTIAL,
    DIST_PARETO,
    DIST_UNIFORM,
    DIST_FOREVER
} sim_dist_kind;

typedef struct sim_dist {
    sim_dist_kind kind;
    hdrf_time mean;     /* fixed: the value */
    hdrf_time min, max; /* uniform: the range; pareto: max > 0 cuts */
    double shape;       /* pareto */
} sim_dist;

typedef enum sim_process { ARRIVE_FIXED, ARRIVE_POISSON, ARRIVE_BURSTY } sim_process;

typedef struct sim_arrivals {
    sim_process process;
    hdrf_time first, every;
    hdrf_time on, off; /* bursty */
    long repeat;       /* arrivals in all; 0: forever */
} sim_arrivals;

typedef struct sim_job {
    app app;
    const char *role; /* the app's role, or the framework's first; borrowed */
    sim_dist duration;
    sim_arrivals arrivals;
    long instances_min, instances_max;
} sim_job;

typedef struct sim_framework {
    char *id;
    char *name;
    char **roles;
    size_t nroles;
    unsigned capabilities; /* HDRF_FRAMEWORK_* */
    double refuse_seconds;
    long max_tasks_per_offer; /* 0: no limit */
    bool suppress_idle;
    hdrf_quantities **minimum; /* its min_allocatable_resources, or NULL */
    size_t nminimum;
    sim_job *jobs;
    size_t njobs;
} sim_framework;

typedef struct sim_workload {
    sim_framework *frameworks;
    size_t nframeworks;
    hdrf_time duration;
    hdrf_time sample; /* 0: choose */
    uint64_t seed;
    char *description; /* or NULL */
} sim_workload;

/* Loads `path`; NULL with one line in `why` (file, field, problem).
 * `seed` (or NULL) replaces the file's seed, before the generator runs. */
sim_workload *sim_workload_load(const char *path, const uint64_t *seed, char *why, size_t whylen);
void sim_workload_free(sim_workload *w);

/* Shared with the generator (workload_gen.c). */
int workload_read_dist(jread *r, const json_t *v, sim_dist *d);
/* Fills a job from an app definition object plus the simulator's fields
 * (`job` is the JSON object; fields of app.h go to app_parse). */
int workload_read_job(jread *r, const json_t *job, const sim_framework *fw, sim_job *out);
/* Reads the "generator" object into frameworks appended to w (whose array
 * has room for `room` more). */
int workload_generate(jread *r, const json_t *gen, sim_workload *w, size_t room);
/* How many frameworks a generator object asks for (0 if none or bad). */
size_t workload_generated_count(const json_t *gen);
void workload_framework_free(sim_framework *fw);

#endif
