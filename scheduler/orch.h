/* orch.h: the companion scheduler's brain, events in and decisions out.
 *
 * The orchestrator keeps applications running: it holds the desired state
 * (application definitions and instance counts), the tasks it launched
 * with their agent and state, and the transactions under way; each event
 * (an operator command, offers, a status update, time passing) changes that
 * state and returns the calls the program must send. It does no I/O and
 * never reads a clock: `now` is an argument (seconds on any clock that
 * never goes back), so tests drive it with a test clock and the simulator
 * with simulated time. The program (main, ZooKeeper, HTTP) turns decisions
 * into Calls (calls.h) and persists the state (zk_store.h).
 *
 * ---- Desired state and convergence ---------------------------------------
 * Each application has a definition (app.h; its JSON document is kept as
 * given, and is what gets persisted), a version (1, then +1 per update), a
 * desired instance count (the definition's `instances`, changed by scale)
 * and live tasks. A task is live until a terminal state (orch_task.h);
 * then it is forgotten. The application's pending count is
 *     desired - (live tasks of the current version not being killed)
 * and that many instances are launched as offers allow. An application has
 * CONVERGED when it has exactly `desired` tasks, all RUNNING, all of the
 * current version, none being killed (for a deleted one: no task left).
 * Every pending transaction of an application becomes DONE when it
 * converges (orch_txn.h).
 *
 * ---- Transactions ---------------------------------------------------------
 *  - launch   orch_submit() of a new id: `instances` tasks started.
 *  - scale    orch_scale(): up launches more; down kills the excess at
 *             once, choosing first tasks not yet RUNNING, then the most
 *             recently launched (the lowest sequence numbers survive).
 *  - update   orch_update(): a new definition, version + 1. New-version
 *             instances are launched right away (up to `instances` of
 *             them, as offers allow); an old-version task is killed only
 *             while the RUNNING, not-being-killed tasks of either version
 *             stay at least `instances - max_down` after the kill, so the
 *             orchestrator's own kills never take more than `max_down`
 *             instances down (failures can, and are replaced). Old tasks
 *             not yet RUNNING are killed at once: they serve nobody.
 *             max_down = 0 starts every new instance before the first old
 *             one goes. A definition that differs from the current one in
 *             nothing but `instances` is a scale instead (transaction kind
 *             scale, same version, no task restarted).
 *  - delete   orch_delete(): desired 0, every task killed; the application
 *             is forgotten when its last task reports a terminal state.
 *             `force` forgets it and its tasks at once: the kills are still
 *             returned once, but no TASK_KILLED is awaited (a later update
 *             of a forgotten task is an unknown task, see below).
 *  - reschedule  created by the orchestrator when a live task it did not
 *             kill reaches a terminal state: FINISHED counts as a failure
 *             too, a service is meant to run. The replacement waits for the
 *             application's restart backoff (below) and is then sticky:
 *             for `sticky_seconds` it is placed only on an offer from the
 *             agent the failed task ran on, if that offer can take it; an
 *             offer from that agent that cannot take it, or the wait
 *             running out, frees it to go anywhere. Not sticky: tasks
 *             GONE or GONE_BY_OPERATOR (the agent is gone for good), and
 *             gang applications (they are placed whole).
 * Each has a deadline: created_at + `timeout` (<= 0: the configured
 * default; a reschedule adds its backoff delay). orch_tick() fails the
 * pending transactions whose deadline has passed.
 *
 * ---- Restart backoff ------------------------------------------------------
 * Per application, as Marathon does: each failure (above) increments a
 * failure count and holds every launch of the application until
 *     failed_at + app_restart_delay(&app->restart, failures)
 * A failed task that had been RUNNING for at least `reset_after_seconds`
 * first resets the count to 0: a crash after a long healthy run restarts
 * after `backoff_seconds`, not after the delay an earlier crash loop grew.
 *
 * ---- Offers ---------------------------------------------------------------
 * orch_offers() gives each application with a pending count, not held by
 * backoff, in order of submission, the offers allocated to its role (an
 * offer's `role`; NULL accepts any), through placement.h: constraints,
 * least-loaded agent first (load: the live tasks the orchestrator knows on
 * the agent, plus those placed in this round), several instances packed
 * into one offer, gang all or none. Sticky replacements go first. An offer
 * that takes a task is accepted with its launches; every other offer is
 * declined, for `decline_seconds` while some application still waits for
 * offers, for `idle_decline_seconds` when none does.
 *
 * ---- Suppress and revive --------------------------------------------------
 * A role WANTS offers when one of its applications has a pending count
 * and is not held by backoff. Each entry point compares the want of the
 * roles it may have changed (a status update: its app's role, when that
 * app's own want changed; every other entry point: every role) with what
 * the master was last told, and returns SUPPRESS for a role that no longer
 * wants offers and REVIVE for one that does again; a backoff that runs
 * out is told by the next orch_tick(). After orch_subscribed() the
 * master's view is unknown, so every known role gets one or the other.
 *
 * ---- Status updates -------------------------------------------------------
 * A known task takes the new state; a terminal one is forgotten (and
 * replaced unless it was being killed, its application deleted, or its
 * version replaced by an update). An
 * update for a task the orchestrator does not know, in a non-terminal
 * state, returns a KILL: a task of a forgotten application, or one a
 * standby never heard of, must not keep running beside its replacement.
 * A task being killed that has not reported a terminal state
 * `kill_retry_seconds` after its last KILL is killed again (orch_tick()).
 * A task still LAUNCHING / STAGING / STARTING `launch_timeout_seconds`
 * after its launch is killed, and replaced once it reports terminal.
 *
 * ---- Task groups ----------------------------------------------------------
 * An instance of an app with containers is one orchestrator task whose id
 * names the group; Mesos runs its containers as tasks
 * "<task id>.<container name>" under the default executor (task_build.h).
 * An update of any of them is an update of the instance: it takes that
 * state (RUNNING as soon as one container runs) and ends with the first
 * container that ends (the default executor then kills the others, whose
 * last updates find the instance forgotten and change nothing). KILLs and
 * explicit reconciliation name the first container's task (orch_kill,
 * orch_task_ref): killing one task of a group kills the group.
 *
 * ---- Reconciliation -------------------------------------------------------
 * orch_subscribed() returns an explicit RECONCILE of every live task;
 * orch_tick() an implicit one every `reconcile_seconds` after it.
 *
 * ---- The persist-then-send rule -------------------------------------------
 * So that a standby neither forgets nor launches twice, a task is recorded
 * (state LAUNCHING, with its agent) BEFORE its ACCEPT leaves. Every entry
 * point returns its decisions in an orch_out with `dirty` set when the
 * state changed; the program then
 *   1. persists orch_to_json() (e.g. zk_store_put per key, see below),
 *   2. only when that succeeded sends the calls of the orch_out, in the
 *      order: ACCEPTs, DECLINEs, KILLs, SUPPRESS/REVIVE, RECONCILE, and
 *      ACKNOWLEDGEs of status updates last (an update acknowledged before
 *      its effect is stored would be lost with a crash: the master
 *      re-sends unacknowledged updates to the next leader).
 *   3. If persisting failed, orch_abandon() forgets the launches of that
 *      orch_out (their ACCEPT never leaves) and turns its accepts into
 *      declines; the rest (declines, kills...) is safe to send or to drop.
 * A LAUNCHING task whose ACCEPT was lost anyway is answered by Mesos with
 * TASK_LOST or TASK_DROPPED on reconciliation, and replaced.
 * Before the first SUBSCRIBED (e.g. orch_set_apps() at start, or the
 * state just loaded by a new leader) there is no connection to send on:
 * the program persists and drops the calls; orch_subscribed() then tells
 * every role again and reconciles every task. Offers only come once
 * subscribed, so no launch is ever dropped this way.
 *
 * ---- Serialization --------------------------------------------------------
 * orch_to_json() returns the whole state as one document:
 *   {"format": 1, "framework_id": "..." | null,
 *    "seq": {"app": n, "task": n, "txn": n},
 *    "apps":  {"<app id>":  {"definition": {...}, "version": 2, ...}},
 *    "tasks": {"<task id>": {"app": "...", "agent": {...}, "state": ...}},
 *    "txns":  {"<txn id>":  {"kind": "update", "status": ..., ...}}}
 * keyed so that the program may store each member of apps/tasks/txns as a
 * document of its own (zk_store kinds APP, TASK, TXN; the keys are valid
 * names) and the rest under FRAMEWORK, and rebuild the same shape when it
 * loads. Times are stored as ages relative to `now` at serialization
 * ("deadline_in": 30.5, "running_for": 12) and rebased on `now` at
 * loading, so the program may use a monotonic clock that differs between
 * instances; the time between saving and loading does not count. Not
 * stored: the metrics (a new process starts its counters at zero, as
 * Prometheus expects), what each role was told (orch_subscribed() starts
 * over) and the reconciliation timer.
 * orch_from_json() of a document gives an orchestrator that makes the
 * same decisions as the one that wrote it.
 *
 * Task ids are "<app id>.<n>", n the orchestrator's task sequence number
 * (never reused, persisted): a replacement is a new task.
 *
 * Cost: tasks are found by id in a hash map, and each app keeps the list
 * of its tasks. A status update settles its app and its role (O(apps +
 * the app's tasks); forgetting a task also walks the launch-order list);
 * an offer round places app by app through placement.h, which copies
 * every offer for every app that wants offers; operator commands and
 * ticks settle every app (O(apps + tasks)). bench/orch measures it
 * (bench/README.md).
 *
 * Ownership: the orchestrator owns its state; inputs are borrowed for the
 * call (JSON documents are copied). An orch_out is the caller's struct,
 * filled by the orchestrator with memory it owns, released by
 * orch_out_free(); the `app` pointers in its launches are the
 * orchestrator's and valid until the next call that changes the state.
 * Info structs filled by the accessors borrow the orchestrator's strings,
 * valid until the next call that changes the state.
 */
#ifndef HDRF_SCHED_ORCH_H
#define HDRF_SCHED_ORCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/app.h"
#include "scheduler/orch_task.h"
#include "scheduler/orch_txn.h"
#include "apps/placement.h"
#include "lib/sched_error.h"
#include "scheduler/sched_metrics.h"

typedef struct orch_config {
    const char *default_role;   /* the framework's role: apps without one; "*" if NULL */
    double txn_timeout_seconds; /* default transaction deadline (<= 0: 600) */
    /* per kind (ORCH_TXN_LAUNCH..RESCHEDULE), overriding the default (<= 0: the default) */
    double kind_timeout_seconds[ORCH_TXN_KINDS];
    double sticky_seconds;         /* a replacement waits this long for its agent (<= 0: 60) */
    double decline_seconds;        /* refuse_seconds while work is pending (<= 0: 5) */
    double idle_decline_seconds;   /* refuse_seconds when nothing is pending (<= 0: 120) */
    double launch_timeout_seconds; /* not RUNNING by then: killed (<= 0: 300) */
    double kill_retry_seconds;     /* KILL again after this (<= 0: 30) */
    double reconcile_seconds;      /* implicit reconciliation period (<= 0: 600) */
    long default_max_down;         /* orch_set_apps()'s updates' max_down (< 0: 0) */
    size_t txn_history;            /* finished transactions kept (0: 100) */
} orch_config;

typedef struct orch orch;

/* An offer as the orchestrator reads it: placement's view plus its id and
 * the role it is allocated to (Offer.allocation_info.role; NULL: any).
 * `offer.load` is ignored: the orchestrator counts its own tasks. */
typedef struct orch_offer {
    const char *offer_id;
    const char *role;
    placement_offer offer;
} orch_offer;

/* One task to launch. Build its TaskInfo (command apps) or TaskGroupInfo
 * (apps with containers, LAUNCH_GROUP with the default executor) from
 * `app`, with `task_id` as TaskID, on the offer's agent. */
typedef struct orch_launch {
    char *task_id;
    const app *app;            /* the orchestrator's; see Ownership */
    long version;              /* the definition's version this task runs */
    long ports[APP_MAX_PORTS]; /* its host ports, app->n_ports of them, in the app's order */
} orch_launch;

/* ACCEPT of offer number `offer` (an index into the offers passed) with
 * launches[first .. first + n - 1]. */
typedef struct orch_accept {
    size_t offer;
    size_t first, n;
} orch_accept;

typedef struct orch_decline {
    size_t offer;
    double refuse_seconds;
} orch_decline;

typedef struct orch_kill {
    char *task_id;
    char *agent_id; /* NULL when unknown */
    bool has_grace; /* the app's kill_grace_period, for the KILL's policy */
    double grace_seconds;
} orch_kill;

/* A transaction that left PENDING during this call. */
typedef struct orch_txn_event {
    char txn_id[ORCH_TXN_ID_LENGTH];
    orch_txn_kind kind;
    orch_txn_status status;
} orch_txn_event;

typedef struct orch_task_ref {
    char *task_id;
    char *agent_id; /* NULL when unknown */
} orch_task_ref;

/* The decisions of one call: pass each call a zeroed orch_out, and
 * orch_out_free() it once its calls are sent. */
typedef struct orch_out {
    bool dirty; /* the state changed: persist before sending */
    orch_launch *launches;
    size_t n_launches;
    orch_accept *accepts;
    size_t n_accepts;
    orch_decline *declines;
    size_t n_declines;
    orch_kill *kills;
    size_t n_kills;
    char **suppress; /* roles */
    size_t n_suppress;
    char **revive; /* roles */
    size_t n_revive;
    orch_task_ref *reconcile; /* explicit reconciliation of these tasks */
    size_t n_reconcile;
    bool reconcile_implicit; /* RECONCILE with no task */
    orch_txn_event *txns;
    size_t n_txns;
} orch_out;

/* Releases what `out` holds and zeroes it. */
void orch_out_free(orch_out *out);

/* ---- life ----------------------------------------------------------------- */

/* A new, empty orchestrator; `cfg` copied (default_role too). */
int orch_new(const orch_config *cfg, orch **out, sched_error *err);
void orch_free(orch *o); /* NULL is a no-op */

/* The framework id to persist (from SUBSCRIBED), or NULL. */
const char *orch_framework_id(const orch *o);

/* The program (re)subscribed as `framework_id`: sets the id, returns an
 * explicit reconciliation of every live task and the SUPPRESS/REVIVE of
 * every role (the master's view after a subscription is unknown). */
int orch_subscribed(orch *o, const char *framework_id, double now, orch_out *out, sched_error *err);

/* The counters (sched_metrics.h); the program increments `reconnects`. */
sched_metrics *orch_metrics(orch *o);

/* The metrics in Prometheus text, gauges set from the current state: a
 * new string (free()), NULL when out of memory. */
char *orch_metrics_text(orch *o);

/* ---- operator commands ------------------------------------------------------
 * Each creates one transaction and writes its id into `txn_id` (may be
 * NULL); `timeout` <= 0 takes the configured default. Errors change
 * nothing: HDRF_EINVAL (a bad definition, err names the field),
 * HDRF_EEXIST (submit of a known id), HDRF_ENOTFOUND (an unknown id, or
 * one being deleted), HDRF_ENOMEM. */

/* A new application from its JSON object (app.h; borrowed, copied). */
int orch_submit(orch *o, const json_t *app_json, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err);

/* A new definition for a known application, rolled out with at most
 * `max_down` (>= 0) instances down at once. */
int orch_update(orch *o, const json_t *app_json, long max_down, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err);

/* `instances` (0 .. APP_MAX_INSTANCES) for a known application. */
int orch_scale(orch *o, const char *app_id, long instances, double timeout, double now,
               char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err);

/* Deletes an application; `force` forgets it and its tasks at once. */
int orch_delete(orch *o, const char *app_id, bool force, double timeout, double now,
                char txn_id[ORCH_TXN_ID_LENGTH], orch_out *out, sched_error *err);

/* The desired applications from a document {"apps": [...]} (app.h): each
 * new one submitted, each changed one updated with default_max_down, an
 * unchanged one left alone; applications not in the list stay (deleting
 * is always an explicit command). All parsed before any is applied: a bad
 * document changes nothing. */
int orch_set_apps(orch *o, const json_t *doc, double now, orch_out *out, sched_error *err);

/* ---- events from the master ------------------------------------------------ */

/* Offers: launches and accepts for those used, declines for the rest
 * (every offer is in exactly one of the two). On failure (HDRF_ENOMEM)
 * nothing of the round is recorded: decline every offer. */
int orch_offers(orch *o, const orch_offer *offers, size_t n_offers, double now, orch_out *out,
                sched_error *err);

/* A status update of `task_id` (agent_id may be NULL). The program
 * acknowledges it (when it has a uuid) after persisting. */
int orch_status_update(orch *o, const char *task_id, orch_task_state state, const char *agent_id,
                       double now, orch_out *out, sched_error *err);

/* A status update's `healthy` (TaskStatus.healthy, sent for a task with a
 * health check): kept per task for the operator and the metrics; a task
 * group's container answers for its instance. HDRF_ENOTFOUND for a task the
 * orchestrator does not know. */
int orch_task_health(orch *o, const char *task_id, bool healthy);

/* Offers rescinded need nothing: the orchestrator keeps no offer. */

/* ---- time ------------------------------------------------------------------ */

/* Deadlines passed (transactions FAILED), backoffs over (REVIVE), sticky
 * waits over, kills to retry, launches timed out, implicit reconciliation
 * due. Call it at least every second or so; orch_next_deadline() says
 * when something is next due. */
int orch_tick(orch *o, double now, orch_out *out, sched_error *err);

/* The earliest time a tick would change anything (INFINITY: never). */
double orch_next_deadline(const orch *o);

/* ---- persist-then-send ------------------------------------------------------ */

/* Forgets the tasks `out` launched (their ACCEPT must not be sent) and
 * clears its launches and accepts. */
void orch_abandon(orch *o, orch_out *out);

/* The whole state (see Serialization): a new reference, NULL when out of
 * memory. */
json_t *orch_to_json(const orch *o, double now);

/* A new orchestrator with `cfg` and the state `doc` (borrowed) holds.
 * HDRF_EINVAL names the member at fault. */
int orch_from_json(const orch_config *cfg, const json_t *doc, double now, orch **out,
                   sched_error *err);

/* ---- reading the state (list, status) ------------------------------------- */

typedef struct orch_app_info {
    const app *def;
    long version;
    long desired;
    size_t live;    /* tasks not yet terminal, any version */
    size_t running; /* of those, RUNNING */
    size_t pending; /* instances still to launch */
    unsigned failures;
    double held_until; /* backoff: no launch before (0: none) */
    bool deleting;
} orch_app_info;

typedef struct orch_task_info {
    const char *id;
    const char *app_id;
    const char *agent_id;
    const char *hostname;
    orch_task_state state;
    long version;
    bool killing;
    double launched_at;
    bool running;         /* has been RUNNING */
    double running_since; /* since when (0 while not running) */
    int healthy;          /* its health check's last word: 1, 0, or -1 when none reported */
} orch_task_info;

/* Applications in submission order; tasks in launch order; transactions
 * in creation order. *_at() return false past the end; *_find() false
 * for an unknown id. */
size_t orch_app_count(const orch *o);
bool orch_app_at(const orch *o, size_t i, orch_app_info *out);
bool orch_app_find(const orch *o, const char *id, orch_app_info *out);
size_t orch_task_count(const orch *o);
bool orch_task_at(const orch *o, size_t i, orch_task_info *out);
bool orch_task_find(const orch *o, const char *id, orch_task_info *out);
size_t orch_txn_count(const orch *o);
const orch_txn *orch_txn_at(const orch *o, size_t i);
const orch_txn *orch_txn_get(const orch *o, const char *id);

#endif
