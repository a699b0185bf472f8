/* orch_fixture.h: an orchestrator on a test clock, for the orch suites.
 *
 * A fixture holds one orchestrator, the test clock `now` (seconds, moved
 * by hand: every update and tick sets it to the time it is given), the
 * offers gathered for the next round, and an error report. Offers have
 * ids "o1", "o2"... in the order made; agents are named by their id, which
 * is also their hostname. Status updates come from agent "a1" (the agent
 * matters only for a task the orchestrator does not know). */
#ifndef HDRF_TEST_ORCH_FIXTURE_H
#define HDRF_TEST_ORCH_FIXTURE_H

#include <jansson.h>
#include <stdbool.h>

#include "scheduler/orch.h"

#define OF_MAX_OFFERS 8

/* A command app named `id` with `n` instances of `res`. */
#define WEB_ID(id, n, res)                                                                         \
    "{\"id\":\"" id "\",\"instances\":" #n ",\"resources\":\"" res "\",\"command\":\"run\"}"
#define WEB(n, res) WEB_ID("web", n, res)

typedef struct orch_fx {
    orch *o;
    double now;
    sched_error err;
    orch_offer offers[OF_MAX_OFFERS];
    hdrf_resources *resources[OF_MAX_OFFERS];
    char offer_ids[OF_MAX_OFFERS][16];
    size_t n_offers;
    unsigned offer_seq;
} orch_fx;

bool of_init(orch_fx *f, const orch_config *cfg);
void of_free(orch_fx *f);

/* The JSON document `text`, valid until the next call (or of_free());
 * of_json(NULL) releases the last one. */
const json_t *of_json(const char *text);

/* orch_submit() at f->now; false (with the error printed) on failure. */
bool of_submit(orch_fx *f, const char *app_text, double timeout, char *txn, orch_out *out);

/* Submits `app_text` at f->now, launches all its instances on one offer
 * of `agent` with `res`, and has them RUNNING one second later. */
bool of_start(orch_fx *f, const char *app_text, const char *agent, const char *res);

/* An offer for the next round (role: any, or `role`). */
void of_offer(orch_fx *f, const char *agent, const char *res);
void of_offer_role(orch_fx *f, const char *agent, const char *res, const char *role);

/* orch_offers() over the gathered offers at f->now; they are then gone. */
bool of_offers(orch_fx *f, orch_out *out);

/* A status update at `now`; the _out form keeps the decisions. */
void of_update(orch_fx *f, double now, const char *task_id, orch_task_state state);
void of_update_out(orch_fx *f, double now, const char *task_id, orch_task_state state,
                   orch_out *out);
void of_tick(orch_fx *f, double now, orch_out *out);

/* The transaction `id` (a placeholder with an impossible status when
 * unknown, after a failed assertion). */
const orch_txn *of_txn(orch_fx *f, const char *id);

/* Asserts the task's state and agent. */
void of_expect_task(orch_fx *f, const char *id, orch_task_state state, const char *agent);

/* RUNNING tasks of the app not being killed. */
size_t of_up(orch_fx *f, const char *app_id);

/* Status updates to deliver, first in first out: TASK_KILLED for every
 * KILL of a decision, TASK_RUNNING for every launch. */
typedef struct of_queue {
    char **ids;
    orch_task_state *states;
    size_t n;
} of_queue;

void of_queue_take(of_queue *q, const orch_out *out);
void of_queue_pop(of_queue *q);
void of_queue_free(of_queue *q);

#endif
