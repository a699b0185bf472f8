/* leadership.c: becoming the leader and ceasing to be (see daemon.h for the
 * steps, daemon_internal.h for the files).
 *
 * The election (zk_election.h) names the leader; being named is not yet
 * leading. The phases: STANDBY until elected; LOADING the state under
 * <root>/state (persist.h) and rebuilding the orchestrator from it;
 * CLAIMING the state, which fences off a deposed leader's writes; ACTIVE
 * once claimed, when the desired applications are read and the master
 * subscribed to. Any failure, a refused save above all, steps down: this
 * file drops what every other file holds for leading, and an instance the
 * election still names leaves it and joins again at the back: at once,
 * except when the state could not be loaded, which would fail again just
 * as fast; then it waits, with a backoff, and says why once.
 *
 * Owns d->election, persist, phase, rejoin, rejoin_at, load_backoff and
 * load_error; makes and frees d->orch. */
#include "scheduler/prog/daemon_internal.h"

#include <string.h>
#include <unistd.h>

/* Between attempts at a state that would not load: 1 s doubling to 60 s. */
#define LOAD_RETRY_FIRST_MS 1000
#define LOAD_RETRY_MAX_MS 60000
#define LOAD_RETRY_JITTER_PERMILLE 200

/* Drops what leading holds; an instance still elected is to rejoin. */
static void tear_down(daemon *d)
{
    master_conn_close(d);
    outbox_reset(d);
    orch_free(d->orch);
    d->orch = NULL;
    persist_free(d->persist);
    d->persist = NULL;
    desired_sync_stop(d);
    d->phase = STANDBY;
    d->rejoin = !*d->stop_requested && d->election && zk_election_leading(d->election);
    d->rejoin_at = 0;
    api_event(d, "leader", json_pack("{s:s, s:b}", "instance", d->owner, "leading", 0));
}

void leadership_step_down(daemon *d, bool deposed, const char *why)
{
    if (d->phase == STANDBY)
        return;
    sched_log(&d->log, deposed ? SCHED_LOG_ERROR : SCHED_LOG_WARN, "no longer leading: %s", why);
    tear_down(d);
}

/* The state could not be read or rebuilt. Loading it again at once would
 * fail the same way: the instance leaves the election (a standby may read
 * it) and joins again after a backoff. The reason is logged once as an
 * error; the same reason again only at debug level. */
static void load_failed(daemon *d, const char *why)
{
    double delay_s;
    bool repeated = strcmp(d->load_error, why) == 0;
    if (d->phase == STANDBY)
        return;
    delay_s = (double)backoff_next(&d->load_backoff) / 1000.0;
    sched_log(&d->log, repeated ? SCHED_LOG_DEBUG : SCHED_LOG_ERROR,
              "the state under %s cannot be loaded: %s; not leading, trying again in %.1f s%s",
              d->paths.state, why, delay_s, repeated ? "" : " (again only at debug level)");
    snprintf(d->load_error, sizeof d->load_error, "%s", why);
    tear_down(d);
    d->rejoin_at = now_s() + delay_s;
}

static void on_claimed(void *arg, int status, const sched_error *err)
{
    daemon *d = arg;
    sched_error e;
    if (status != HDRF_OK) {
        leadership_step_down(d, true, err ? err->text : "claim refused");
        return;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "leading (epoch %ld)", persist_epoch(d->persist));
    api_event(d, "leader",
              json_pack("{s:s, s:b, s:I, s:s}", "instance", d->owner, "leading", 1, "epoch",
                        (json_int_t)persist_epoch(d->persist), "api", d->api_url));
    backoff_reset(&d->load_backoff);
    d->load_error[0] = '\0';
    d->phase = ACTIVE;
    if (desired_sync_start(d, &e) != HDRF_OK) {
        leadership_step_down(d, false, e.text);
        return;
    }
    d->next_tick = now_s() + TICK_S;
    /* The subscription starts once the desired applications are read
     * (desired_sync.c), so that the first offers find them. */
}

/* Claims with the orchestrator's own document, so that the claim alone
 * leaves a state that loads (persist.h). */
static int claim(daemon *d, sched_error *err)
{
    json_t *state = orch_to_json(d->orch, now_s());
    int rc = state ? persist_claim(d->persist, state, on_claimed, d, err)
                   : sched_error_set(err, HDRF_ENOMEM, "claiming the state: out of memory");
    json_decref(state);
    return rc;
}

static void on_state_loaded(void *arg, int status, const json_t *state, const sched_error *err)
{
    daemon *d = arg;
    sched_error e;
    if (status == HDRF_OK)
        status = state ? orch_from_json(&d->ocfg, state, now_s(), &d->orch, &e)
                       : orch_new(&d->ocfg, &d->orch, &e);
    else
        e = *err;
    if (status != HDRF_OK) {
        load_failed(d, e.text);
        return;
    }
    desired_sync_record_applied(d, state);
    sched_log(&d->log, SCHED_LOG_INFO, "state loaded: %zu application(s), %zu task(s)",
              orch_app_count(d->orch), orch_task_count(d->orch));
    d->phase = CLAIMING;
    if (claim(d, &e) != HDRF_OK)
        leadership_step_down(d, false, e.text);
}

static void on_leading(void *arg, bool leading)
{
    daemon *d = arg;
    sched_error err;
    const char *node = zk_election_node(d->election);
    if (!leading) {
        leadership_step_down(d, false, "the election moved on (session ended)");
        return;
    }
    sched_log(&d->log, SCHED_LOG_INFO, "elected (%s); loading the state", node ? node : "?");
    d->phase = LOADING;
    if (persist_new(d->zk, d->paths.state, node ? node : d->owner, &d->persist, &err) != HDRF_OK ||
        persist_load(d->persist, on_state_loaded, d, &err) != HDRF_OK)
        load_failed(d, err.text);
}

int leadership_join(daemon *d, sched_error *err)
{
    if (d->load_backoff.cfg.initial_ms == 0) { /* the first join: set up once */
        backoff_config cfg = {LOAD_RETRY_FIRST_MS, LOAD_RETRY_MAX_MS, 2.0,
                              LOAD_RETRY_JITTER_PERMILLE, (uint64_t)getpid()};
        backoff_init(&d->load_backoff, &cfg);
    }
    return zk_election_new(d->zk, d->paths.leader, d->member_data, strlen(d->member_data),
                           on_leading, d, &d->election, err);
}

void leadership_rejoin(daemon *d)
{
    sched_error err;
    if (!d->rejoin)
        return;
    zk_election_free(d->election); /* leave now, even when joining again must wait */
    d->election = NULL;
    if (now_s() < d->rejoin_at)
        return;
    if (leadership_join(d, &err) == HDRF_OK) {
        d->rejoin = false;
        return;
    }
    sched_log(&d->log, SCHED_LOG_ERROR, "rejoining the election: %s", err.text);
    d->rejoin_at = now_s() + (double)backoff_next(&d->load_backoff) / 1000.0;
}

void leadership_leave(daemon *d)
{
    leadership_step_down(d, false, "stopping");
    zk_election_free(d->election);
    d->election = NULL;
}
