/* daemon.c: the scheduler's loop (see daemon.h), and the run around it:
 * start, the loop's turns, stop.
 *
 * One thread. The loop polls the HTTP client's sockets and the ZooKeeper
 * sessions' descriptors together (sched_http_poll() with the sessions' fds
 * as extras), then dispatches ZooKeeper and runs what is due: every ZooKeeper
 * and master callback runs inside a turn, and what is due is done after
 * them. The concerns live in files of their own, which the loop calls
 * (daemon_internal.h draws which calls which).
 *
 * The HTTP API's requests come through a descriptor polled with the rest
 * (api.c routes them after ZooKeeper's callbacks).
 *
 * Owns the run's members of daemon (daemon_internal.h): the options, the
 * log, the signal flag, the paths and the owner's name, the scheduler's
 * ZooKeeper session, the orchestrator's configuration and the deadlines. */
#include "scheduler/prog/daemon.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/prog/daemon_internal.h"
#include "scheduler/prog/metrics_file.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* ---- the loop ---------------------------------------------------------------------- */

static void write_metrics(daemon *d, double now)
{
    sched_error err;
    char *text = orch_metrics_text(d->orch);
    d->next_metrics = now + d->o->metrics_interval_s;
    if (text && metrics_file_write(d->o->metrics_file, text, &err) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_WARN, "%s", err.text);
    free(text);
}

/* What is due after a turn's callbacks. */
static void tick(daemon *d)
{
    double now = now_s();
    sched_error err;
    if (d->refused != MASTER_OK)
        master_conn_handle_refusal(d, now);
    if (d->phase == ACTIVE && now >= d->next_tick) {
        orch_out out = {0};
        d->next_tick = now + TICK_S;
        if (orch_tick(d->orch, now, &out, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "tick: %s", err.text);
        outbox_enqueue(d, &out, NULL);
        desired_sync_apply(d, now);
    }
    desired_sync_read(d);
    if (d->phase == ACTIVE && d->o->metrics_file[0] && now >= d->next_metrics)
        write_metrics(d, now);
    leadership_rejoin(d);
}

static void poll_once(daemon *d)
{
    zk_session *sessions[2] = {d->zk, d->masters_zk};
    unsigned n = d->masters_zk ? 2 : 1;
    sched_http_waitfd fds[3];
    unsigned n_fds = 0;
    int wait = 200;
    sched_error err;
    for (unsigned i = 0; i < n; i++) {
        int t = zk_session_timeout(sessions[i]);
        if (t >= 0 && t < wait)
            wait = t;
        fds[n_fds++] = (sched_http_waitfd){zk_session_fd(sessions[i]), POLLIN, 0};
    }
    if (api_fd(d) >= 0)
        fds[n_fds++] = (sched_http_waitfd){api_fd(d), POLLIN, 0};
    if (d->http) {
        if (sched_http_poll(d->http, fds, n_fds, wait, &err) != HDRF_OK)
            sched_log(&d->log, SCHED_LOG_ERROR, "poll: %s", err.text);
    } else {
        struct pollfd p[3];
        for (unsigned i = 0; i < n_fds; i++)
            p[i] = (struct pollfd){fds[i].fd, fds[i].events, 0};
        poll(p, n_fds, wait);
    }
    /* dispatching reads the sessions' pipes without blocking: cheap when idle */
    for (unsigned i = 0; i < n; i++)
        zk_session_dispatch(sessions[i]);
    api_serve(d);
    tick(d);
}

/* ---- start and stop ---------------------------------------------------------------- */

static int start(daemon *d, sched_error *err)
{
    const sched_options *o = d->o;
    int rc;
    desired_paths_make(o->zk_root, &d->paths);
    master_conn_framework_info(d);
    snprintf(d->owner, sizeof d->owner, "%s:%d", d->hostname, (int)getpid());
    d->ocfg = (orch_config){.default_role = o->roles[0],
                            .txn_timeout_seconds = o->txn_timeout_s,
                            .decline_seconds = o->decline_s,
                            .idle_decline_seconds = o->idle_decline_s,
                            .launch_timeout_seconds = o->launch_timeout_s,
                            .reconcile_seconds = o->reconcile_interval_s,
                            .sticky_seconds = -1,
                            .default_max_down = DEFAULT_MAX_DOWN};
    memcpy(d->ocfg.kind_timeout_seconds, o->kind_timeout_s, sizeof o->kind_timeout_s);
    if ((rc = zk_session_new(o->zk_servers, o->zk_session_timeout_ms, o->zk_auth, &d->zk, err)) !=
            HDRF_OK ||
        (rc = desired_sync_init(d, err)) != HDRF_OK || (rc = master_conn_init(d, err)) != HDRF_OK ||
        (rc = api_start(d, err)) != HDRF_OK)
        return rc;
    sched_log(&d->log, SCHED_LOG_INFO, "instance %s joins the election under %s", d->owner,
              d->paths.leader);
    return leadership_join(d, err);
}

/* Undoes start(), however far it went. */
static void stop(daemon *d)
{
    leadership_leave(d); /* the event streams hear it, then the API stops */
    api_stop(d);
    master_conn_free(d);
    desired_sync_free(d);
    if (d->zk)
        zk_session_free(d->zk);
    outbox_free(d);
}

int daemon_run(const sched_options *o, sched_error *err)
{
    daemon d = {
        .o = o, .log = {sched_log_stderr, NULL, o->log_level}, .stop_requested = &stop_requested};
    struct sigaction sa = {0};
    int rc;
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((rc = start(&d, err)) == HDRF_OK)
        while (!stop_requested)
            poll_once(&d);
    stop(&d);
    return rc;
}
