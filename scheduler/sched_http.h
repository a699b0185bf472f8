/* sched_http.h: the scheduler's connection to a Mesos master, v1 HTTP API.
 *
 * One subscription at a time, kept alive for as long as the scheduler runs:
 *
 *   DISCONNECTED --start--> SUBSCRIBING --SUBSCRIBED event--> SUBSCRIBED
 *                               ^   |  \                          |
 *                     307 (Location)|   `-- any failure --.       | any failure
 *                                   |                      v      v
 *                                   `---- delay over ---- BACKOFF <'
 *
 *  - SUBSCRIBING: a POST of the SUBSCRIBE call to the master's
 *    /api/v1/scheduler, in protobuf or JSON; the answer is `200 OK` with a
 *    `Mesos-Stream-Id` header and a RecordIO stream of Events, fed as it
 *    arrives through the RecordIO decoder (recordio.h) and the event decoder
 *    (wire.h) to the event callback, in order. The first event is
 *    SUBSCRIBED, which gives the framework id and the heartbeat interval.
 *  - SUBSCRIBED: calls go out on separate short requests to the same
 *    master, each with the subscription's Mesos-Stream-Id and framework id.
 *    The master sends a HEARTBEAT every `heartbeat_interval_seconds`; when
 *    nothing at all has arrived for `heartbeat_misses` intervals, the
 *    connection is taken for dead.
 *  - A `307 Temporary Redirect` names the leading master (Location, read by
 *    master_info.h): the client subscribes there at once (at most
 *    `max_redirects` times in a row). Every other failure drops the
 *    connection, says why (log line, state callback) and goes to BACKOFF:
 *    `503` (the master is not the leader, or none is elected yet), any
 *    other non-2xx answer with the master's message, a refused connection,
 *    the stream's end, a truncated RecordIO frame, a record over
 *    `max_record`, an event that does not decode, a missed heartbeat, no
 *    SUBSCRIBED within `subscribe_timeout_ms`. Bad input never crashes and
 *    never stops the client: it reconnects.
 *  - BACKOFF: waits the next delay of an exponential backoff with seeded
 *    jitter (backoff.h), then subscribes again to the configured master
 *    (not to where a redirect led: leadership may have moved on). A
 *    connection that stayed SUBSCRIBED for `stable_ms` resets the backoff,
 *    so an outage after long service is retried after the initial delay.
 *    Re-subscriptions carry the framework id, so the master treats them as
 *    failover of the same framework.
 *  - After a TEARDOWN is accepted the stream's end is final: DISCONNECTED.
 *
 * Threads and time: none of its own. The caller's one loop calls
 * sched_http_poll(), which waits on the client's sockets (and the caller's
 * own descriptors, e.g. ZooKeeper's), runs libcurl, delivers events and
 * call results, and fires deadlines. Deadlines run on the injected clock
 * (sched_clock.h), so a test moves time by hand; only libcurl's connect and
 * transfer timeouts run on real time, as sockets do.
 *
 * Callbacks run inside sched_http_poll() (the state callback also inside
 * sched_http_start(), _stop() and _set_master()), never inside libcurl.
 * They may send calls, stop, start, or change the master; they must not
 * destroy the client.
 *
 * Ownership: the client is opaque, created and destroyed by the caller.
 * It copies its configuration (the FrameworkInfo deeply); the strings and
 * events handed to callbacks are borrowed for the time of the call. Calls
 * passed to sched_http_send() stay the caller's.
 *
 * libcurl: the program calls curl_global_init() once before creating
 * clients (libcurl's rule, as it is not thread-safe on every platform).
 */
#ifndef HDRF_SCHED_HTTP_H
#define HDRF_SCHED_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scheduler/backoff.h"
#include "scheduler/master_info.h"
#include "scheduler/sched_clock.h"
#include "lib/sched_error.h"
#include "scheduler/sched_log.h"
#include "scheduler/wire.h"

/* The client's own failures, beside hdrf/status.h and recordio.h's codes. */
enum {
    SCHED_HTTP_ENOTSUBSCRIBED = -110, /* a call while there is no subscription */
    SCHED_HTTP_EHTTP = -111,          /* the master answered a non-2xx status */
    SCHED_HTTP_ETRANSPORT = -112,     /* connection refused, reset, timed out */
    SCHED_HTTP_ETIMEOUT = -113,       /* no heartbeat, or no SUBSCRIBED in time */
    SCHED_HTTP_ECLOSED = -114         /* the master ended the event stream */
};

/* A static name for any status the client reports; never NULL. */
const char *sched_http_strerror(int status);

typedef enum sched_http_state {
    SCHED_HTTP_DISCONNECTED,
    SCHED_HTTP_SUBSCRIBING,
    SCHED_HTTP_SUBSCRIBED,
    SCHED_HTTP_BACKOFF
} sched_http_state;

/* "disconnected", "subscribing", "subscribed", "backoff". Static. */
const char *sched_http_state_name(sched_http_state state);

typedef struct sched_http_callbacks {
    /* Every event of the stream, in order, SUBSCRIBED and HEARTBEAT
     * included (the client has acted on them first). */
    void (*event)(void *arg, const sched_event *event);
    /* Each change of state; `why` says what failed when the change is due
     * to a failure (its status is one of the codes above or recordio.h's),
     * NULL otherwise. */
    void (*state)(void *arg, sched_http_state state, const sched_error *why);
    /* The answer to a call sent with sched_http_send(): status HDRF_OK for
     * a 2xx, else the reason with the master's message. */
    void (*call_done)(void *arg, uint64_t call_id, const sched_error *result);
    void *arg;
} sched_http_callbacks;

typedef struct sched_http_config {
    master_addr master;                        /* where to subscribe (master_info.h) */
    const Mesos__V1__FrameworkInfo *framework; /* copied; its id, if set, re-subscribes */
    wire_content_type content_type;            /* of calls and events */
    sched_http_callbacks callbacks;
    sched_logger log;
    sched_clock clock;            /* NULL `now`: the monotonic clock */
    backoff_config backoff;       /* see backoff.h; zeros: 1 s doubling to 60 s */
    int64_t stable_ms;            /* subscribed this long resets backoff; 0: 60 s */
    unsigned heartbeat_misses;    /* intervals without data before giving up; 0: 5 */
    int64_t subscribe_timeout_ms; /* SUBSCRIBE to SUBSCRIBED; 0: 30 s */
    unsigned max_redirects;       /* 307s in a row before backing off; 0: 5 */
    size_t max_record;            /* largest event accepted, bytes; 0: 16 MiB */
    long connect_timeout_ms;      /* libcurl's, real time; 0: 10 s */
    long call_timeout_ms;         /* one call's whole request, real time; 0: 30 s */
} sched_http_config;

typedef struct sched_http sched_http;

/* Counters, for logs and metrics. */
typedef struct sched_http_stats {
    uint64_t subscriptions; /* SUBSCRIBED events received */
    uint64_t failures;      /* connections dropped for a failure */
    uint64_t redirects;
    uint64_t events;
    uint64_t calls_sent, calls_failed;
} sched_http_stats;

/* A descriptor of the caller's to wait on in sched_http_poll(). `events`
 * and `revents` use poll()'s POLLIN, POLLPRI and POLLOUT. */
typedef struct sched_http_waitfd {
    int fd;
    short events;
    short revents;
} sched_http_waitfd;

/* Creates a client in DISCONNECTED. HDRF_EINVAL for a configuration
 * without FrameworkInfo, HDRF_ENOMEM. */
int sched_http_create(const sched_http_config *cfg, sched_http **out, sched_error *err);

/* Drops every request and frees the client. NULL is a no-op. */
void sched_http_destroy(sched_http *c);

/* DISCONNECTED -> SUBSCRIBING: sends the SUBSCRIBE (from inside the event
 * callback, at the next poll). No effect in other states. */
void sched_http_start(sched_http *c);

/* Drops the subscription and every call in flight; DISCONNECTED. */
void sched_http_stop(sched_http *c);

/* A new leading master (from ZooKeeper, say). When the client is connected
 * elsewhere it drops that connection and subscribes to `master` at the
 * next poll, without backoff. */
void sched_http_set_master(sched_http *c, const master_addr *master);

/* Waits up to `max_wait_ms` (real time, shortened to the client's next
 * deadline) for the client's sockets or `extra` to be ready, then does
 * all that is due: transfers, events, call results, deadlines. Fills the
 * extras' revents. Returns HDRF_OK, or HDRF_EINVAL / HDRF_ENOMEM when
 * libcurl itself fails (connection failures are the state machine's). */
int sched_http_poll(sched_http *c, sched_http_waitfd *extra, unsigned n_extra, int max_wait_ms,
                    sched_error *err);

/* Sends `call` (borrowed) with the subscription's framework id and stream
 * id; its answer comes to the call_done callback with *call_id. Returns
 * SCHED_HTTP_ENOTSUBSCRIBED outside SUBSCRIBED (Mesos would refuse it
 * without a stream id), or an encoding error. */
int sched_http_send(sched_http *c, const sched_call *call, uint64_t *call_id, sched_error *err);

sched_http_state sched_http_get_state(const sched_http *c);

/* The Mesos-Stream-Id and the framework id of the subscription ("" while
 * unknown); valid until the next poll. */
const char *sched_http_stream_id(const sched_http *c);
const char *sched_http_framework_id(const sched_http *c);

/* The master of the current or last subscription. */
const master_addr *sched_http_master(const sched_http *c);

/* In BACKOFF, the clock time of the next attempt; otherwise -1. */
int64_t sched_http_retry_at(const sched_http *c);

void sched_http_get_stats(const sched_http *c, sched_http_stats *out);

#endif
