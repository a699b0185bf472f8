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
 * election still names leaves it and joins again at the back.
 *
 * Owns d->election, persist, phase and rejoin; makes and frees d->orch. */
#include "scheduler/prog/daemon_internal.h"

#include <string.h>

void leadership_step_down(daemon *d, bool deposed, const char *why)
{
    if (d->phase == STANDBY)
        return;
    sched_log(&d->log, deposed ? SCHED_LOG_ERROR : SCHED_LOG_WARN, "no longer leading: %s", why);
    master_conn_close(d);
    outbox_reset(d);
    orch_free(d->orch);
    d->orch = NULL;
    persist_free(d->persist);
    d->persist = NULL;
    desired_sync_stop(d);
    d->phase = STANDBY;
    d->rejoin = !*d->stop_requested && d->election && zk_election_leading(d->election);
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
    d->phase = ACTIVE;
    if (desired_sync_start(d, &e) != HDRF_OK) {
        leadership_step_down(d, false, e.text);
        return;
    }
    d->next_tick = now_s() + TICK_S;
    /* The subscription starts once the desired applications are read
     * (desired_sync.c), so that the first offers find them. */
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
        leadership_step_down(d, false, e.text);
        return;
    }
    desired_sync_record_applied(d, state);
    sched_log(&d->log, SCHED_LOG_INFO, "state loaded: %zu application(s), %zu task(s)",
              orch_app_count(d->orch), orch_task_count(d->orch));
    d->phase = CLAIMING;
    if (persist_claim(d->persist, on_claimed, d, &e) != HDRF_OK)
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
        leadership_step_down(d, false, err.text);
}

int leadership_join(daemon *d, sched_error *err)
{
    return zk_election_new(d->zk, d->paths.leader, d->owner, strlen(d->owner), on_leading, d,
                           &d->election, err);
}

void leadership_rejoin(daemon *d)
{
    sched_error err;
    if (!d->rejoin)
        return;
    d->rejoin = false;
    zk_election_free(d->election);
    d->election = NULL;
    if (leadership_join(d, &err) != HDRF_OK)
        sched_log(&d->log, SCHED_LOG_ERROR, "rejoining the election: %s", err.text);
}

void leadership_leave(daemon *d)
{
    leadership_step_down(d, false, "stopping");
    zk_election_free(d->election);
    d->election = NULL;
}
