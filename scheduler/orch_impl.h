/* orch_impl.h: the orchestrator's internal state, shared by its files.
 *
 * Not a public header: orch.c (events and convergence), orch_offers.c (the
 * offer round) and orch_json.c (serialization) include it; everyone else
 * goes through orch.h. Applications and tasks are arrays of pointers so
 * that an entry never moves (an app holds compiled regexes and must not be
 * copied, see app.h) and pointers to it stay valid while others come and
 * go.
 */
#ifndef HDRF_SCHED_ORCH_IMPL_H
#define HDRF_SCHED_ORCH_IMPL_H

#include "lib/array.h"
#include "lib/strmap.h"
#include "scheduler/orch.h"

/* A replacement waiting for the agent its failed task ran on. */
typedef struct orch_hint {
    char *agent_id;
    double until;
} orch_hint;

typedef struct orch_task orch_task;

typedef struct orch_app {
    app def;      /* parsed from json */
    json_t *json; /* the definition, owned; "instances" kept equal to desired */
    uint64_t seq; /* submission order */
    long version;
    long desired;
    long max_down; /* of the last update: the bound while old tasks remain */
    unsigned failures;
    double held_until; /* backoff; 0: not held */
    bool deleting;
    orch_hint *hints;
    size_t n_hints;
    orch_task **tasks; /* its tasks in launch order (owned by the orch's list) */
    size_t n_tasks, cap_tasks;
    size_t pending_txns; /* its transactions still PENDING */
} orch_app;

struct orch_task {
    orch_app *owner;
    char *id;
    char *app_id;
    char *group_task; /* task groups: the first container's Mesos task; else NULL */
    uint64_t seq;
    long version;
    placement_agent agent; /* all strings owned, attrs too */
    orch_task_state state;
    bool killing;
    double kill_sent_at;
    double launched_at;
    bool running;         /* has been RUNNING, since running_since */
    double running_since; /* any time: 0 or less too, on a young clock */
    unsigned char health; /* TaskStatus.healthy: 0 not reported, 1 healthy, 2 unhealthy */
};

/* What the master was last told about a role's offers. */
typedef enum orch_told { ORCH_TOLD_UNKNOWN, ORCH_TOLD_SUPPRESS, ORCH_TOLD_REVIVE } orch_told;

typedef struct orch_role {
    char *name;
    orch_told told;
} orch_role;

struct orch {
    orch_config cfg; /* defaults applied; default_role points at role_storage */
    char *role_storage;
    char *framework_id;
    orch_app **apps;
    size_t n_apps, cap_apps;
    uint64_t next_app_seq;
    orch_task **tasks; /* launch order */
    size_t n_tasks, cap_tasks;
    strmap by_id; /* task id -> task (keys borrowed from the tasks) */
    uint64_t next_task_seq;
    orch_txn_list txns;
    orch_role *roles;
    size_t n_roles;
    double reconcile_due; /* 0: not scheduled yet */
    sched_metrics metrics;
};

/* ---- orch.c ------------------------------------------------------------------ */

/* An empty orchestrator with the configuration's defaults applied. */
int orch_alloc(const orch_config *cfg, orch **out);

orch_app *orch_app_get(const orch *o, const char *id);
const char *orch_app_role(const orch *o, const orch_app *a);

/* Instances still to launch; whether the app waits for offers now. */
size_t orch_app_pending(const orch *o, const orch_app *a);
bool orch_app_wants(const orch *o, const orch_app *a, double now);

/* A parsed definition from `json` (copied) as a new entry, not yet listed. */
int orch_app_create(const json_t *json, orch_app **out, sched_error *err);
int orch_app_insert(orch *o, orch_app *a);
void orch_app_destroy(orch_app *a);

/* Appends a task of `a` (owned by the orchestrator from then on);
 * HDRF_EEXIST for an id already known. */
int orch_task_insert(orch *o, orch_app *a, orch_task *t);
orch_task *orch_task_get(const orch *o, const char *id); /* NULL: unknown */
void orch_task_destroy(orch_task *t);
/* A copy of `agent` into `t->agent`. */
int orch_task_set_agent(orch_task *t, const placement_agent *agent);
/* Forgets and frees a task. */
void orch_task_remove(orch *o, orch_task *t);
/* The Mesos task id that kills and reconciles the task (see orch.h). */
const char *orch_task_mesos_id(const orch_task *t);

int orch_hint_add(orch_app *a, const char *agent_id, double until);
void orch_hint_remove(orch_app *a, size_t i);

/* Growing the arrays of an orch_out. */
int orch_out_kill(orch_out *out, const char *task_id, const char *agent_id);
int orch_out_txn(orch_out *out, const orch_txn *t);

/* Kills, convergence and SUPPRESS/REVIVE after any change (see orch.h). */
int orch_settle(orch *o, double now, orch_out *out);

#endif
