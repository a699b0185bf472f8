/* engine.h: the discrete-event simulation of a cluster under hdrf.
 *
 * The real allocator core (hdrf/allocator.h), configured from a parsed
 * modules.json block (hdrf/params.h), runs over a simulated cluster in
 * virtual time. Frameworks are the companion scheduler's offer-consuming
 * code (apps/placement.h): they accept what fits their pending tasks,
 * decline the rest with their filter, SUPPRESS when nothing is pending and
 * REVIVE when work arrives. Tasks run for their drawn durations and give
 * their resources back. At every virtual instant, in this order:
 *   1. events of that time: tasks ending, then jobs arriving, then the
 *      allocation tick (every allocation_interval from time 0);
 *   2. frameworks revive the roles that got work;
 *   3. the batch run on a tick (hdrf_allocator_allocate), then the run the
 *      events triggered (hdrf_allocator_flush), each timed on the wall clock;
 *   4. frameworks answer their offers (launch, decline);
 *   5. frameworks suppress the roles left with nothing pending.
 * Nothing reads the clock except those timings and the progress line, so
 * the same inputs give the same result, sample for sample.
 *
 * Results. Samples every `sample` of virtual time from 0 to the duration:
 * per entity (roles, with their ancestors summing their subtree, then
 * frameworks) the dominant share (max over resources not excluded from
 * fairness of held/total, held meaning used by running tasks), the amount
 * held of each scalar resource, pending and running tasks; per resource
 * the cluster's use. Per entity: tasks launched and finished and the wait
 * of each launched task from its arrival.
 *
 * Warnings. Before the run, resources that no framework of the workload
 * may ever be offered, whatever happens: agents with GPUs under
 * filter_gpu_resources=true when no framework has GPU_RESOURCES, and
 * agents outside the master's region when none is REGION_AWARE (the
 * allocator offers such an agent to nobody else). Each is two lines: the
 * agents (the first few by name, and the count) and the frameworks. They
 * go to `warn`, prefixed "hdrf-sim: warning: ", and stay in the result.
 *
 * Decisions (`log`, per the parameters' log_level), each line starting
 * with the virtual time in seconds: at info, one line per allocation run;
 * at debug also every arrival, offer (framework, role, agent, resources),
 * launch (framework, task, agent, resources, wait), decline (with its
 * filter), task end (framework, task, agent, state, run time), failed
 * placement, suppress and revive. A task is named <job>.<n>, the job's
 * n-th launch, as the companion scheduler names its tasks.
 *
 * Ownership: inputs are borrowed for the run; a sim_result owns all of its
 * arrays until sim_result_free(). */
#ifndef HDRF_SIM_ENGINE_H
#define HDRF_SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/cluster.h"
#include "hdrf/params.h"
#include "sim/workload.h"

#define SIM_REASONS 10 /* hdrf_reason values */

typedef struct sim_inputs {
    const sim_cluster *cluster;
    const char *cluster_file; /* named in errors about the cluster */
    const sim_workload *workload;
    const hdrf_params *params;
    hdrf_time duration; /* 0: the workload's */
    hdrf_time sample;   /* 0: the workload's, or chosen */
    const char *label;  /* names the run on the progress line */
    bool progress;      /* a progress line on stderr for runs over a second */
    FILE *log;          /* allocation decisions (per log_level), or NULL */
    FILE *warn;         /* the warnings, as found before the run starts, or NULL */
} sim_inputs;

typedef struct sim_entity {
    char *name;
    bool is_role;
    int parent;    /* roles: the parent role's index, or -1; frameworks: -1 */
    int depth;     /* roles: components - 1 */
    double weight; /* roles: configured weight */
    double fair;   /* weighted fair share (see sim_fair in engine.c) */
    long launched, finished;
    int64_t *waits; /* ns, one per launched task */
    size_t nwaits, capwaits;
    long reasons[SIM_REASONS]; /* frameworks: runs without an offer while pending */
} sim_entity;

typedef struct sim_cycle {
    hdrf_time at;
    bool batch;  /* allocate() rather than flush() */
    double wall; /* seconds of wall clock */
} sim_cycle;

typedef struct sim_result {
    size_t nres;
    char **res_names;                      /* scalar resources of the cluster, sorted */
    int64_t *res_total;                    /* milli */
    bool *res_fair;                        /* counted in dominant shares */
    size_t nroles, nframeworks, nentities; /* entities: roles, then frameworks */
    sim_entity *entities;
    size_t nsamples;
    hdrf_time *times;
    double *share; /* [sample * nentities + e] */
    int64_t *held; /* [(sample * nentities + e) * nres + k] milli */
    long *pending; /* [sample * nentities + e] */
    long *running; /* [sample * nentities + e] */
    int64_t *used; /* [sample * nres + k] milli */
    sim_cycle *cycles;
    size_t ncycles, capcycles;
    hdrf_time duration, sample, interval;
    double wall; /* seconds for the whole run */
    long offers, declines;
    size_t nagents;
    char *config;      /* one line: the parameters that differ from the defaults */
    char *description; /* the workload's, or NULL */
    char **warnings;   /* one line each: what the inputs make impossible (below) */
    size_t nwarnings;
} sim_result;

/* Runs one simulation. HDRF_OK with *out; else a status and one line in
 * `why` (a refused cluster or workload names its file and field). */
int sim_run(const sim_inputs *in, sim_result **out, char *why, size_t whylen);
void sim_result_free(sim_result *r);

/* Index helpers for the result arrays. */
static inline size_t sim_at(const sim_result *r, size_t sample, size_t e)
{
    return sample * r->nentities + e;
}

#endif
