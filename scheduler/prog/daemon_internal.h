/* daemon_internal.h: the state the scheduler's loop (daemon.h) shares
 * among its files, and what each file offers the others.
 *
 * One struct, one thread, five files, each owning a group of its members.
 * Who calls whom (an arrow: "calls"):
 *
 *   daemon.c        the loop: start, poll, what is due each turn, stop
 *      |            -> leadership, desired_sync, master_conn, outbox
 *      v
 *   leadership.c    the election, loading and claiming the state, stepping down
 *      |            -> desired_sync (start, stop, record), master_conn (close), outbox (reset)
 *      v
 *   desired_sync.c  the desired applications in ZooKeeper -> the orchestrator
 *      |            -> master_conn (open, once first read), outbox (enqueue)
 *      v
 *   master_conn.c   the subscription to the master and what its events ask
 *      |            -> outbox (enqueue, decline now, drop)
 *      v
 *   outbox.c        the orchestrator's decisions as Calls, sent once saved
 *
 *   api.c           the operator HTTP API's routes (beside them: called by the
 *   api_write.c     loop, it reads ZooKeeper and the members it shows; every
 *                   file may hand it an event for GET /v1/events, api_event())
 *
 *   and back up, the one edge against the order:
 *   outbox.c, master_conn.c  -> leadership_step_down()
 *
 * A file calls only files below it. The exception: outbox.c and
 * master_conn.c end leadership on a failure (a save refused, a client not
 * created, the master refusing the framework). Stepping down tears down
 * every file's state at once, and a failure met in a callback cannot wait
 * for the loop's next turn: other callbacks of the same turn would act on
 * a state that is already lost.
 *
 * Lifetimes. The struct lives on daemon_run()'s stack for the whole run
 * and owns what its members point to, but the options (the caller's) and
 * the signal flag (daemon.c's). Members marked "while leading" exist from
 * election (or claim) to step-down only.
 */
#ifndef HDRF_SCHED_PROG_DAEMON_INTERNAL_H
#define HDRF_SCHED_PROG_DAEMON_INTERNAL_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scheduler/backoff.h"
#include "scheduler/orch.h"
#include "scheduler/sched_clock.h"
#include "scheduler/sched_http.h"
#include "scheduler/zk_detector.h"
#include "scheduler/zk_election.h"
#include "scheduler/zk_store.h"
#include "scheduler/prog/desired.h"
#include "scheduler/prog/flags.h"
#include "scheduler/prog/persist.h"

#define TICK_S 1.0
#define DEFAULT_MAX_DOWN 1

typedef enum phase { STANDBY, LOADING, CLAIMING, ACTIVE } phase;

/* One decision of the orchestrator, waiting in the outbox. */
typedef struct item {
    bool dirty;         /* the decision changed the state: a save must cover it */
    sched_call **calls; /* in the order they go out */
    const char **names; /* each call's name, for the log (static strings) */
    size_t n_calls;
} item;

/* What an ERROR event from the master means for this instance. */
typedef enum master_error {
    MASTER_OK,
    MASTER_REMOVED, /* the framework id is gone for good (its failover timeout ran out,
                       or an operator tore it down): subscribe as a new framework */
    MASTER_REFUSED  /* anything else, "Framework failed over" among them: stop leading */
} master_error;

typedef struct daemon {
    /* daemon.c: the run */
    const sched_options *o;
    sched_logger log;
    const volatile sig_atomic_t *stop_requested; /* set by SIGTERM and SIGINT */
    desired_paths paths;
    char owner[300]; /* "<hostname>:<pid>", published in the election node */
    zk_session *zk;
    orch_config ocfg;
    orch *orch; /* while leading; made by leadership.c, remade by master_conn.c when the
                   master forgets the framework */
    double next_tick, next_metrics;
    /* leadership.c */
    zk_election *election;
    persist *persist; /* while leading */
    phase phase;
    bool rejoin;          /* stepped down while still elected: leave and join again (the loop) */
    double rejoin_at;     /* ... not before this time: a state that would not load waits */
    backoff load_backoff; /* between attempts at a state that would not load */
    char load_error[SCHED_ERROR_LENGTH]; /* the last such failure, logged once */
    /* desired_sync.c: the desired applications */
    zk_user *watcher;
    zk_store *desired;    /* while leading */
    json_t *desired_docs; /* id -> {"doc": ..., "version": n} */
    json_t *applied;      /* id -> the definition (without instances) given to orch */
    json_t *removing;     /* id -> true while its desired document is being deleted */
    bool desired_wanted, desired_loading;
    bool desired_known; /* read at least once since leading: an app missing there is deleted */
    /* master_conn.c */
    zk_session *masters_zk; /* the masters' ensemble when it is not --zk's; else NULL */
    zk_detector *detector;
    sched_http *http; /* while leading, once the desired applications are read */
    Mesos__V1__FrameworkInfo fw;
    Mesos__V1__FrameworkInfo__Capability caps[3], *cap_ptrs[3];
    char *roles[FLAGS_MAX_ROLES];
    char user[128], hostname[256];
    master_error refused; /* an ERROR event from the master, acted on by the loop */
    bool have_master;
    master_addr master;
    uint64_t subscriptions;
    /* api.c: the operator HTTP API (api_server.h), when --http_address is set */
    struct api_server *api;
    char api_url[320];     /* how others reach it, e.g. http://10.0.0.5:8080 */
    char member_data[700]; /* the election node's data: owner, then api_url if any */
    zk_user *api_zk;       /* the election, read for /v1/leader */
    zk_store *api_desired, *api_state;
    struct api_read *api_reads;      /* reads in flight */
    struct api_write *api_writes;    /* api_write.c: writes in flight */
    struct api_stream **api_streams; /* GET /v1/events: the open streams */
    size_t n_api_streams;
    json_t *api_txn_seen;     /* transaction id -> its status at the last turn */
    const orch *api_txn_orch; /* the orchestrator those statuses are of */
    /* outbox.c: persist-then-send */
    item *items;
    size_t n_items, cap_items, covered;
    bool saving;
} daemon;

static inline double now_s(void) { return (double)sched_clock_monotonic(NULL) / 1000.0; }

/* ---- api.c ----------------------------------------------------------------------------- */

typedef struct api_read api_read;

/* Starts the HTTP API (nothing without --http_address) and sets
 * d->member_data; after d->zk and d->hostname exist, before the election. */
int api_start(daemon *d, sched_error *err);

/* The descriptor the loop polls for requests, or -1 without an API. */
int api_fd(const daemon *d);

/* Routes every request waiting (reads answer later, from ZooKeeper's
 * callbacks), and tells the event streams of transactions that changed. */
void api_serve(daemon *d);

/* Answers 503 to the reads and writes in flight and stops the server. */
void api_stop(daemon *d);

struct api_request;

/* Sends the server-sent event `type` with `data` (stolen; NULL ignored)
 * to every GET /v1/events stream. Any file may call it: it only queues
 * text for the streams' connections, and nothing when none is open. */
void api_event(daemon *d, const char *type, json_t *data);

/* Answers `doc` (stolen; NULL: 503, out of memory) as JSON. */
void api_answer_json(struct api_request *r, int status, json_t *doc);

/* Answers the error shape {"error": message, "field": ..., "value": ...}:
 * the field and the value are read from a message of the form
 * "<path>: <JSON value>: <reason>" (jpath.h's), else left out. 503 adds
 * Retry-After. */
void api_answer_error(struct api_request *r, int status, const char *message);

/* ---- api_write.c ----------------------------------------------------------------------- */

typedef struct api_write api_write;

typedef enum api_write_kind {
    API_WRITE_SUBMIT, /* POST /v1/apps, PUT /v1/apps/<id> (id given) */
    API_WRITE_SCALE,  /* POST /v1/apps/<id>/scale */
    API_WRITE_DELETE  /* DELETE /v1/apps/<id>[?force=true] */
} api_write_kind;

/* Starts a write on the leader (`id`: the path's application, or NULL);
 * it answers once the desired state in ZooKeeper has it. */
void api_write_start(daemon *d, struct api_request *r, api_write_kind kind, const char *id);

/* Answers 503 to every write in flight and forgets them (their store is gone). */
void api_write_stop_all(daemon *d);

/* ---- leadership.c ---------------------------------------------------------------------- */

/* Joins the election under <root>/leader with d->member_data (the first call also
 * sets up the backoff of failed loads). */
int leadership_join(daemon *d, sched_error *err);

/* Drops everything leading holds. `deposed`: another instance took the
 * state (logged as an error). Whatever the reason, an instance the
 * election still names leaves it and joins again at the back
 * (leadership_rejoin()), so that leadership never rests with an instance
 * that has stopped acting; if it is alone it leads again, from a fresh
 * load. A standby does nothing. */
void leadership_step_down(daemon *d, bool deposed, const char *why);

/* Leaves the election and joins it again if a step-down asked for it:
 * at once, or after a backoff (1 s doubling to 60 s) when the state could
 * not be loaded, so that an instance alone with a state it cannot read
 * does not create election members as fast as ZooKeeper answers. */
void leadership_rejoin(daemon *d);

/* Steps down ("stopping") and leaves the election for good. */
void leadership_leave(daemon *d);

/* ---- desired_sync.c -------------------------------------------------------------------- */

/* Allocates the maps and the ZooKeeper user that watches <root>/desired. */
int desired_sync_init(daemon *d, sched_error *err);

/* Frees what desired_sync_init() made; leadership has ended before. */
void desired_sync_free(daemon *d);

/* What the loaded state's applications were given, so that only changes
 * are applied (state: the orchestrator's document, or NULL). */
void desired_sync_record_applied(daemon *d, const json_t *state);

/* On leading: opens the desired store, seeds it from --app_file and reads
 * it; the subscription starts once it is read, so that the first offers
 * find the applications. */
int desired_sync_start(daemon *d, sched_error *err);

/* On stepping down: forgets the desired applications and stops watching. */
void desired_sync_stop(daemon *d);

/* Reads the desired applications again if a watch or a failure asked for it. */
void desired_sync_read(daemon *d);

/* Brings the orchestrator to the desired applications (once read). */
void desired_sync_apply(daemon *d, double now);

/* ---- master_conn.c --------------------------------------------------------------------- */

/* The FrameworkInfo (and d->hostname, which d->owner names) from the flags. */
void master_conn_framework_info(daemon *d);

/* Where the master is: --master's fixed address, or a detector following
 * it in ZooKeeper (on a session of its own when the masters' ensemble is
 * not --zk's). After d->zk exists. */
int master_conn_init(daemon *d, sched_error *err);

/* Frees the detector and the masters' session; leadership has ended before. */
void master_conn_free(daemon *d);

/* Subscribes, with the orchestrator's framework id if it has one (the
 * client's first attempt waits for a master's address). A client that
 * cannot be made steps down. */
void master_conn_open(daemon *d);

/* Drops the subscription. */
void master_conn_close(daemon *d);

/* Acts on an ERROR event from the master, outside the client's callback. */
void master_conn_handle_refusal(daemon *d, double now);

/* ---- outbox.c -------------------------------------------------------------------------- */

/* Queues the calls of the decisions in *out (then freed) and of the event
 * `ev` (borrowed, may be NULL) they answer, and saves or sends them when
 * the persist-then-send rule allows. */
void outbox_enqueue(daemon *d, orch_out *out, const sched_event *ev);

/* Declines the n offers at once, whole, without a filter and without a save. */
void outbox_decline_now(daemon *d, Mesos__V1__Offer *const *offers, size_t n);

/* Drops the queued items; a save in flight still answers. */
void outbox_drop(daemon *d);

/* Drops the queued items and forgets the save in flight (its persister is freed). */
void outbox_reset(daemon *d);

/* Frees the queue; leadership has ended before. */
void outbox_free(daemon *d);

#endif
