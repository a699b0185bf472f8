/* engine_internal.h: the simulation's state, shared by engine.c (setup,
 * the event loop, samples) and frameworks.c (what the simulated frameworks
 * do: arrivals, answering offers, tasks ending, suppress and revive).
 * Private to sim/. Everything here is owned by the engine and freed by
 * engine_free(). */
#ifndef HDRF_SIM_ENGINE_INTERNAL_H
#define HDRF_SIM_ENGINE_INTERNAL_H

#include "sim/engine.h"
#include "sim/eventq.h"
#include "lib/array.h"
#include "apps/placement.h"
#include "sim/rng.h"

/* Event kinds, in the order they are handled at one instant. */
enum { EV_END = 0, EV_ARRIVAL = 1, EV_TICK = 2 };

typedef struct agent_rt {
    char *id; /* also its hostname */
    hdrf_resources *total;
    hdrf_attribute *attrs;  /* as the allocator reads them */
    placement_attr *pattrs; /* as placement reads them */
    size_t nattrs;
    placement_agent pa;
    const char *region, *zone; /* borrowed from the cluster */
} agent_rt;

typedef struct pending_task {
    hdrf_time submitted;
    hdrf_time duration; /* -1: forever */
} pending_task;

typedef struct job_rt {
    const sim_job *def;
    size_t fw;       /* index in engine.fws */
    size_t role;     /* index in the framework's roles */
    size_t role_ent; /* entity of that role */
    rng draw;
    long arrivals;
    long launches;   /* names its tasks: <job id>.<n>, n from 1 */
    pending_task *q; /* a ring: q[(head + i) % cap] */
    size_t head, n, cap;
    hdrf_resources *need; /* one task, fit view */
    size_t *running;      /* task ids, for constraints */
    size_t nrunning, caprunning;
} job_rt;

typedef struct fw_rt {
    const sim_framework *def;
    size_t ent;
    size_t *role_ents; /* per role of def */
    bool *suppressed;
    long *pending; /* per role of def */
    long running;
    unsigned *load; /* its tasks per agent */
    int64_t *held;  /* per resource */
    bool dirty;     /* its pending work changed: check suppress/revive */
} fw_rt;

typedef struct task_rt {
    size_t job, agent, slot; /* slot: index in the job's running list */
    long seq;                /* its name: <job id>.<seq> */
    hdrf_time started;
    hdrf_resources *used;
    bool live;
} task_rt;

typedef struct offer_item {
    size_t agent;
    size_t role; /* index in the framework's roles */
    hdrf_resources *res;
} offer_item;

typedef struct offer_batch {
    size_t fw, first, n;
} offer_batch;

typedef struct engine {
    const sim_inputs *in;
    hdrf_allocator *a;
    sim_result *res;
    hdrf_log_level level;
    bool explain;
    agent_rt *agents;
    size_t nagents;
    size_t *agents_by_id; /* indexes sorted by id, for the callbacks */
    fw_rt *fws;
    size_t nfws;
    size_t *fws_by_id;
    job_rt *jobs;
    size_t njobs;
    task_rt *tasks;
    size_t ntasks, captasks;
    size_t *free_tasks;
    size_t nfree, capfree;
    eventq q;
    offer_item *items;
    size_t nitems, capitems;
    offer_batch *batches;
    size_t nbatches, capbatches;
    int64_t *role_held; /* own, [role * nres + k] */
    long *role_pending, *role_running;
    int64_t *used; /* [k] */
    hdrf_time now, duration;
    int failed; /* a status from inside a callback */
    char why[512];
} engine;

/* frameworks.c */
int fw_arrival(engine *e, size_t job);
int fw_task_end(engine *e, size_t task);
int fw_answer_offers(engine *e);
int fw_update_suppression(engine *e);
void fw_offer_callback(void *arg, const char *framework, const hdrf_offer_role *roles,
                       size_t nroles);
void fw_explain(void *arg, const char *role, const char *framework, hdrf_reason reason);

/* engine.c */
int engine_fail(engine *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An agent's or framework's index from its id; the count when unknown. */
size_t engine_agent(const engine *e, const char *id);
size_t engine_framework(const engine *e, const char *id);
int engine_push(engine *e, hdrf_time t, int kind, size_t id);
/* Makes room for `need` elements of `size` in *v (capacity *cap), doubling;
 * HDRF_ENOMEM leaves *v as it was. */
void engine_log(engine *e, hdrf_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a launched task's wait and counts to its framework, role and the
 * role's ancestors. */
int engine_count_launch(engine *e, const job_rt *j, int64_t wait);
void engine_count_finish(engine *e, const job_rt *j);
/* Adds (sign +1) or removes (-1) a task's resources from what its role,
 * its framework and the cluster hold. */
void engine_hold(engine *e, const job_rt *j, const hdrf_resources *used, int sign);

#endif
