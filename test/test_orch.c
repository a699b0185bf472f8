/* test_orch.c: the orchestrator's transactions, offers and backoff.
 *
 * Owns the proof that scheduler/orch.c keeps applications as orch.h
 * promises, driven by a test clock (`now` is a plain variable advanced by
 * hand): every transaction kind with its completion and its deadline, the
 * rolling update's bound checked after every single event, scale down's
 * choice of victims, sticky rescheduling, gangs, restart backoff and its
 * reset, forced and unforced delete, SUPPRESS/REVIVE, timeouts of launches
 * and kills. Expected placements are traced by hand in the comments with
 * placement.h's rule: least loaded agent first, ties to the earlier offer.
 * Serialization and metrics have their own suite (test_orch_state.c). */
#include "test/test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/orch_fixture.h"

/* ---- launch ------------------------------------------------------------------- */

/* Three instances over two equal agents: a1 (empty), a2 (empty), then a1
 * again (tie 1-1, the earlier offer). The launches come grouped by offer. */
static void test_launch_spreads_and_completes(void)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(3, "cpus:1;mem:128"), 0, txn, &out));
    ASSERT_STR(txn, "txn-000000");
    CU_ASSERT_TRUE(out.dirty);
    REQUIRE_TRUE(out.n_revive == 1);
    ASSERT_STR(out.revive[0], "*");
    CU_ASSERT_EQUAL(out.n_suppress, 0);
    orch_out_free(&out);

    f.now = 1;
    of_offer(&f, "a1", "cpus:4;mem:1024");
    of_offer(&f, "a2", "cpus:4;mem:1024");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 3 && out.n_accepts == 2);
    CU_ASSERT_EQUAL(out.n_declines, 0);
    ASSERT_STR(out.launches[0].task_id, "web.0");
    ASSERT_STR(out.launches[1].task_id, "web.2");
    ASSERT_STR(out.launches[2].task_id, "web.1");
    CU_ASSERT(out.accepts[0].offer == 0 && out.accepts[0].first == 0 && out.accepts[0].n == 2);
    CU_ASSERT(out.accepts[1].offer == 1 && out.accepts[1].first == 2 && out.accepts[1].n == 1);
    ASSERT_STR(out.launches[0].app->id, "web");
    CU_ASSERT_EQUAL(out.launches[0].version, 1);
    /* Nothing left to launch: the role no longer wants offers. */
    REQUIRE_TRUE(out.n_suppress == 1);
    ASSERT_STR(out.suppress[0], "*");
    orch_out_free(&out);

    /* Recorded before anything is sent: LAUNCHING, with the agent. */
    of_expect_task(&f, "web.1", ORCH_TASK_LAUNCHING, "a2");
    of_update(&f, 2, "web.0", ORCH_TASK_RUNNING);
    of_update(&f, 2, "web.1", ORCH_TASK_STAGING);
    of_update(&f, 3, "web.1", ORCH_TASK_RUNNING);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->status, ORCH_TXN_PENDING);
    of_update_out(&f, 4, "web.2", ORCH_TASK_RUNNING, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, "txn-000000");
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_DONE);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->finished_at, 4);
    orch_out_free(&out);
    of_free(&f);
}

/* A deadline passes: FAILED at exactly created_at + timeout, not before;
 * the work goes on, and a later launch is no longer reported. */
static void test_deadline_expires(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 30, NULL, &out));
    orch_out_free(&out);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->deadline, 30);
    CU_ASSERT_EQUAL(orch_next_deadline(f.o), 30);
    of_tick(&f, 29.5, &out);
    CU_ASSERT_EQUAL(out.n_txns, 0);
    orch_out_free(&out);
    of_tick(&f, 30, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_FAILED);
    CU_ASSERT_EQUAL(out.txns[0].kind, ORCH_TXN_LAUNCH);
    orch_out_free(&out);
    /* Still launched when offers come. */
    f.now = 31;
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 1);
    orch_out_free(&out);
    of_update_out(&f, 32, "web.0", ORCH_TASK_RUNNING, &out);
    CU_ASSERT_EQUAL(out.n_txns, 0);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->status, ORCH_TXN_FAILED);
    orch_out_free(&out);
    of_free(&f);
}

/* Scale, update and delete each fail at their own deadline when the
 * cluster never lets them finish: no offers for the scale and the update,
 * no TASK_KILLED for the delete. Timeouts 10, 20 and 30 s. */
/* Deadlines per kind: the operator's own timeout first, then the kind's
 * (update: 100 s here), then the default (600 s). */
static void test_deadline_per_kind(void)
{
    orch_config cfg = {.kind_timeout_seconds = {[ORCH_TXN_UPDATE] = 100}};
    orch_fx f;
    orch_out out = {0};
    char launch[ORCH_TXN_ID_LENGTH], update[ORCH_TXN_ID_LENGTH], scale[ORCH_TXN_ID_LENGTH];
    REQUIRE_TRUE(of_init(&f, &cfg));
    f.now = 5;
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 0, launch, &out));
    orch_out_free(&out);
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(1, "cpus:2")), 0, 0, 7, update, &out, NULL) ==
                 HDRF_OK);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_scale(f.o, "web", 2, 30, 9, scale, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    CU_ASSERT_DOUBLE_EQUAL(of_txn(&f, launch)->deadline, 5 + 600, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(of_txn(&f, update)->deadline, 7 + 100, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(of_txn(&f, scale)->deadline, 9 + 30, 1e-9);
    of_free(&f);
}

static void test_deadlines_of_every_kind(void)
{
    orch_fx f;
    orch_out out = {0};
    char scale[ORCH_TXN_ID_LENGTH], update[ORCH_TXN_ID_LENGTH], del[ORCH_TXN_ID_LENGTH];
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(1, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(of_start(&f, WEB_ID("db", 1, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_scale(f.o, "web", 2, 10, 5, scale, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB_ID("db", 1, "cpus:2")), 0, 20, 5, update, &out,
                             NULL) == HDRF_OK);
    orch_out_free(&out);
    of_tick(&f, 14.5, &out);
    CU_ASSERT_EQUAL(out.n_txns, 0);
    orch_out_free(&out);
    of_tick(&f, 15, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, scale);
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_FAILED);
    orch_out_free(&out);
    /* The delete supersedes nothing of web's (its scale already failed). */
    REQUIRE_TRUE(orch_delete(f.o, "web", false, 30, 16, del, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(out.n_txns, 0);
    orch_out_free(&out);
    of_tick(&f, 25, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, update);
    CU_ASSERT_EQUAL(out.txns[0].kind, ORCH_TXN_UPDATE);
    orch_out_free(&out);
    of_tick(&f, 46, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, del);
    CU_ASSERT_EQUAL(out.txns[0].kind, ORCH_TXN_DELETE);
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_FAILED);
    orch_out_free(&out);
    /* A failed delete still deletes once its task reports. */
    CU_ASSERT_EQUAL(orch_app_count(f.o), 2);
    of_update(&f, 47, "web.0", ORCH_TASK_KILLED);
    CU_ASSERT_EQUAL(orch_app_count(f.o), 1);
    of_free(&f);
}

/* ---- scale ---------------------------------------------------------------------- */

/* Four instances packed on one agent (web.0 .. web.3); web.1 is still
 * STARTING. Scaling to 2 kills the one not yet RUNNING first, then the
 * newest RUNNING one: web.1 and web.3; web.0 and web.2 stay. */
static void test_scale_down_kills_the_right_ones(void)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(4, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:8");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 4);
    orch_out_free(&out);
    of_update(&f, 1, "web.0", ORCH_TASK_RUNNING);
    of_update(&f, 1, "web.1", ORCH_TASK_STARTING);
    of_update(&f, 1, "web.2", ORCH_TASK_RUNNING);
    of_update(&f, 1, "web.3", ORCH_TASK_RUNNING);

    REQUIRE_TRUE(orch_scale(f.o, "web", 2, 0, 5, txn, &out, NULL) == HDRF_OK);
    ASSERT_STR(txn, "txn-000001");
    REQUIRE_TRUE(out.n_kills == 2);
    ASSERT_STR(out.kills[0].task_id, "web.1");
    ASSERT_STR(out.kills[0].agent_id, "a1");
    ASSERT_STR(out.kills[1].task_id, "web.3");
    /* The launch was still pending: superseded by the scale. */
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, "txn-000000");
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_SUPERSEDED);
    orch_out_free(&out);

    of_update(&f, 6, "web.1", ORCH_TASK_KILLED);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_PENDING);
    of_update(&f, 7, "web.3", ORCH_TASK_KILLED);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_DONE);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 2);
    of_expect_task(&f, "web.0", ORCH_TASK_RUNNING, "a1");
    of_expect_task(&f, "web.2", ORCH_TASK_RUNNING, "a1");
    /* Killed on request: not a failure, nothing rescheduled. */
    REQUIRE_TRUE(orch_app_find(f.o, "web", &info));
    CU_ASSERT_EQUAL(info.failures, 0);
    CU_ASSERT_EQUAL(info.pending, 0);

    /* Up again: one more, with the next sequence number. */
    REQUIRE_TRUE(orch_scale(f.o, "web", 3, 0, 10, txn, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    orch_out_free(&out);
    f.now = 11;
    of_offer(&f, "a1", "cpus:8");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1);
    ASSERT_STR(out.launches[0].task_id, "web.4");
    orch_out_free(&out);
    of_update(&f, 12, "web.4", ORCH_TASK_RUNNING);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_DONE);
    CU_ASSERT_EQUAL(orch_scale(f.o, "nope", 1, 0, 13, NULL, &out, NULL), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(orch_scale(f.o, "web", -1, 0, 13, NULL, &out, NULL), HDRF_EINVAL);
    orch_out_free(&out);
    of_free(&f);
}

/* ---- rolling update ---------------------------------------------------------------- */

/* Drives an update to the end, one event at a time: every KILL is answered
 * by TASK_KILLED and every launch by TASK_RUNNING, in order, with a large
 * offer before each event. After every event the RUNNING tasks not being
 * killed must be at least instances - max_down. Returns the kills seen. */
static size_t drive_update(orch_fx *f, long instances, long max_down, const orch_out *first)
{
    of_queue q = {0};
    size_t kills = first->n_kills;
    of_queue_take(&q, first);
    for (int step = 0; step < 200; step++) {
        orch_out out = {0};
        of_offer(f, "a1", "cpus:100");
        if (!of_offers(f, &out))
            break;
        of_queue_take(&q, &out);
        orch_out_free(&out);
        if (q.n == 0)
            break;
        of_update_out(f, f->now + 1, q.ids[0], q.states[0], &out);
        of_queue_pop(&q);
        of_queue_take(&q, &out);
        kills += out.n_kills;
        orch_out_free(&out);
        CU_ASSERT_TRUE((long)of_up(f, "web") >= instances - max_down);
    }
    CU_ASSERT_EQUAL(q.n, 0);
    of_queue_free(&q);
    return kills;
}

static void check_update(long max_down, size_t kills_at_once)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    orch_task_info t;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(4, "cpus:1"), "a1", "cpus:100"));
    f.now = 10;
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(4, "cpus:2")), max_down, 0, f.now, txn, &out, NULL) ==
                 HDRF_OK);
    /* All four old ones RUNNING: 4 - 1 >= 4 - max_down allows max_down
     * kills right away, the newest first. */
    CU_ASSERT_EQUAL(out.n_kills, kills_at_once);
    if (kills_at_once > 0)
        ASSERT_STR(out.kills[0].task_id, "web.3");
    CU_ASSERT_EQUAL(drive_update(&f, 4, max_down, &out), 4);
    orch_out_free(&out);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_DONE);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 4);
    for (size_t i = 0; orch_task_at(f.o, i, &t); i++)
        CU_ASSERT(t.version == 2 && t.state == ORCH_TASK_RUNNING && !t.killing);
    of_free(&f);
}

static void test_update_one_down_at_most(void) { check_update(1, 1); }
static void test_update_none_down(void) { check_update(0, 0); }
static void test_update_two_down(void) { check_update(2, 2); }

/* An old task not yet RUNNING serves nobody: killed at once, whatever the
 * bound; and an update of an unknown app is refused. */
static void test_update_kills_unstarted_old_tasks(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(2, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:8");
    REQUIRE_TRUE(of_offers(&f, &out));
    orch_out_free(&out);
    of_update(&f, 1, "web.0", ORCH_TASK_RUNNING);
    of_update(&f, 1, "web.1", ORCH_TASK_STAGING);
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(2, "cpus:2")), 0, 0, 2, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "web.1");
    orch_out_free(&out);
    CU_ASSERT_EQUAL(
        orch_update(f.o, of_json(WEB_ID("db", 1, "cpus:1")), 1, 0, 3, NULL, &out, &f.err),
        HDRF_ENOTFOUND);
    ASSERT_STR(f.err.text, "db: no such application");
    CU_ASSERT_EQUAL(orch_update(f.o, of_json(WEB(2, "cpus:2")), -1, 0, 3, NULL, &out, NULL),
                    HDRF_EINVAL);
    orch_out_free(&out);
    of_free(&f);
}

/* ---- failures: backoff and sticky rescheduling ---------------------------------------- */

/* backoff 1 s, factor 2, cap 10, reset after 100 s; sticky wait 30 s. */
#define SVC                                                                                        \
    "{\"id\":\"svc\",\"resources\":\"cpus:1\",\"command\":\"run\",\"restart\":"                    \
    "{\"backoff_seconds\":1,\"backoff_factor\":2,\"max_backoff_seconds\":10,"                      \
    "\"reset_after_seconds\":100}}"

static void test_sticky_reschedule(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_config cfg = {.sticky_seconds = 30};
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, &cfg));
    REQUIRE_TRUE(of_start(&f, SVC, "a1", "cpus:2")); /* svc.0 on a1, RUNNING at 1 */

    /* Fails at 10 after 9 s: failure 1, held 1 s until 11, waits for a1
     * until 11 + 30 = 41. A reschedule transaction opens. */
    of_update_out(&f, 10, "svc.0", ORCH_TASK_FAILED, &out);
    CU_ASSERT_EQUAL(out.n_revive, 0); /* held: the role does not want offers yet */
    orch_out_free(&out);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
    CU_ASSERT_EQUAL(info.failures, 1);
    CU_ASSERT_EQUAL(info.held_until, 11);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000001")->kind, ORCH_TXN_RESCHEDULE);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000001")->deadline, 10 + 1 + 600);

    /* Held: offers at 10.5 are declined for the idle period. */
    f.now = 10.5;
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 0);
    REQUIRE_TRUE(out.n_declines == 1);
    CU_ASSERT_EQUAL(out.declines[0].refuse_seconds, 120);
    orch_out_free(&out);
    of_tick(&f, 11, &out);
    REQUIRE_TRUE(out.n_revive == 1);
    ASSERT_STR(out.revive[0], "*");
    orch_out_free(&out);

    /* a2 alone: the replacement waits for a1; a2 declined for 5 s. */
    f.now = 12;
    of_offer(&f, "a2", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 0);
    REQUIRE_TRUE(out.n_declines == 1);
    CU_ASSERT_EQUAL(out.declines[0].refuse_seconds, 5);
    orch_out_free(&out);

    /* a2 first and as empty as a1: a1 still wins, it is the old agent. */
    f.now = 13;
    of_offer(&f, "a2", "cpus:2");
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1 && out.n_accepts == 1);
    ASSERT_STR(out.launches[0].task_id, "svc.1");
    CU_ASSERT_EQUAL(out.accepts[0].offer, 1);
    orch_out_free(&out);
    of_update(&f, 14, "svc.1", ORCH_TASK_RUNNING);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000001")->status, ORCH_TXN_DONE);

    /* Fails at 20 (ran 6 s): failure 2, held 2 s until 22, waits for a1
     * until 52. a1 never offers: at 52 the wait is over, a2 takes it. */
    of_update(&f, 20, "svc.1", ORCH_TASK_FAILED);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
    CU_ASSERT_EQUAL(info.held_until, 22);
    CU_ASSERT_EQUAL(orch_next_deadline(f.o), 22);
    of_tick(&f, 22, &out);
    orch_out_free(&out);
    CU_ASSERT_EQUAL(orch_next_deadline(f.o), 52);
    f.now = 23;
    of_offer(&f, "a2", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 0);
    orch_out_free(&out);
    of_tick(&f, 52, &out);
    orch_out_free(&out);
    f.now = 53;
    of_offer(&f, "a2", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1);
    ASSERT_STR(out.launches[0].task_id, "svc.2");
    orch_out_free(&out);
    of_expect_task(&f, "svc.2", ORCH_TASK_LAUNCHING, "a2");

    /* Fails at 60 on a2: failure 3, held 4 s until 64. At 65 a2 offers
     * too little: the wait ends there and a1, in the same round, takes it. */
    of_update(&f, 54, "svc.2", ORCH_TASK_RUNNING);
    of_update(&f, 60, "svc.2", ORCH_TASK_FAILED);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
    CU_ASSERT_EQUAL(info.held_until, 64);
    of_tick(&f, 64, &out);
    orch_out_free(&out);
    f.now = 65;
    of_offer(&f, "a2", "cpus:0.5");
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1 && out.n_accepts == 1);
    CU_ASSERT_EQUAL(out.accepts[0].offer, 1);
    orch_out_free(&out);
    of_expect_task(&f, "svc.3", ORCH_TASK_LAUNCHING, "a1");
    of_free(&f);
}

/* svc.0 started on a1 ends in `how` at 10; after its 1 s backoff, at 11,
 * `agent` offers room: how many replacements that offer takes. */
static size_t replaced_on(orch_fx *f, orch_task_state how, const char *agent)
{
    orch_out out = {0};
    size_t n;
    if (!of_start(f, SVC, "a1", "cpus:2"))
        return SIZE_MAX;
    of_update(f, 10, "svc.0", how);
    of_tick(f, 11, &out);
    orch_out_free(&out);
    of_offer(f, agent, "cpus:2");
    if (!of_offers(f, &out))
        return SIZE_MAX;
    n = out.n_launches;
    orch_out_free(&out);
    return n;
}

/* TASK_GONE: the agent is gone for good, no waiting for it; after
 * TASK_FAILED the replacement waits for a1. */
static void test_gone_is_not_sticky(void)
{
    orch_fx f;
    REQUIRE_TRUE(of_init(&f, NULL));
    CU_ASSERT_EQUAL(replaced_on(&f, ORCH_TASK_GONE, "a2"), 1);
    of_free(&f);
    REQUIRE_TRUE(of_init(&f, NULL));
    CU_ASSERT_EQUAL(replaced_on(&f, ORCH_TASK_FAILED, "a2"), 0);
    of_free(&f);
}

/* Delays 1, 2, 4, 8, then the cap 10, 10: each failure after 1 s of
 * RUNNING. No launch before the delay is over, one at it. Then a task up
 * 150 s (>= 100) fails: the count starts over, 1 s again. */
static void test_backoff_grows_and_resets(void)
{
    static const double delay[] = {1, 2, 4, 8, 10, 10};
    orch_fx f;
    orch_out out = {0};
    orch_app_info info;
    char id[32];
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, SVC, "a1", "cpus:2")); /* svc.0 RUNNING at 1 */
    for (unsigned k = 0; k < 6; k++) {
        double failed_at = f.now + 1;
        snprintf(id, sizeof id, "svc.%u", k);
        of_update(&f, failed_at, id, ORCH_TASK_FAILED);
        REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
        CU_ASSERT_EQUAL(info.failures, k + 1);
        CU_ASSERT_DOUBLE_EQUAL(info.held_until, failed_at + delay[k], 1e-9);
        /* Just before: held, nothing launched. */
        of_tick(&f, info.held_until - 0.25, &out);
        orch_out_free(&out);
        f.now = info.held_until - 0.25;
        of_offer(&f, "a1", "cpus:2");
        REQUIRE_TRUE(of_offers(&f, &out));
        CU_ASSERT_EQUAL(out.n_launches, 0);
        orch_out_free(&out);
        /* At the end of the delay: launched, and RUNNING a second later. */
        of_tick(&f, failed_at + delay[k], &out);
        orch_out_free(&out);
        f.now = failed_at + delay[k];
        of_offer(&f, "a1", "cpus:2");
        REQUIRE_TRUE(of_offers(&f, &out));
        CU_ASSERT_EQUAL(out.n_launches, 1);
        orch_out_free(&out);
        snprintf(id, sizeof id, "svc.%u", k + 1);
        of_update(&f, f.now + 1, id, ORCH_TASK_RUNNING);
    }
    /* svc.6 RUNNING since f.now; it ends 150 s later. */
    of_update(&f, f.now + 150, "svc.6", ORCH_TASK_FINISHED);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
    CU_ASSERT_EQUAL(info.failures, 1);
    CU_ASSERT_DOUBLE_EQUAL(info.held_until, f.now + 1, 1e-9);
    of_free(&f);
}

/* Only "instances" differs: a scale, not a rolling restart. */
static void test_update_of_instances_only_is_a_scale(void)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(2, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(3, "cpus:1")), 0, 0, 5, txn, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->kind, ORCH_TXN_SCALE);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->target, 3);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_app_find(f.o, "web", &info));
    CU_ASSERT_EQUAL(info.version, 1);
    CU_ASSERT_EQUAL(info.desired, 3);
    CU_ASSERT_EQUAL(info.pending, 1);
    of_free(&f);
}

/* During an update an old task that fails is not replaced (its version is
 * on its way out) and counts no failure; the update it belongs to
 * superseded the scale before it. */
static void test_old_version_failure_during_update(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(2, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_scale(f.o, "web", 3, 0, 2, NULL, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(2, "cpus:2")), 0, 0, 3, NULL, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    REQUIRE_TRUE(out.n_txns == 1);
    ASSERT_STR(out.txns[0].txn_id, "txn-000001");
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_SUPERSEDED);
    orch_out_free(&out);
    of_update(&f, 4, "web.0", ORCH_TASK_FAILED);
    REQUIRE_TRUE(orch_app_find(f.o, "web", &info));
    CU_ASSERT_EQUAL(info.failures, 0);
    CU_ASSERT_EQUAL(info.held_until, 0);
    CU_ASSERT_EQUAL(info.pending, 2); /* two of version 2, as before */
    CU_ASSERT_EQUAL(orch_txn_count(f.o), 3);
    of_free(&f);
}

/* TASK_KILLED that nobody asked for is a failure like any other. */
static void test_unrequested_kill_is_a_failure(void)
{
    orch_fx f;
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, SVC, "a1", "cpus:2"));
    of_update(&f, 5, "svc.0", ORCH_TASK_KILLED);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &info));
    CU_ASSERT_EQUAL(info.failures, 1);
    CU_ASSERT_EQUAL(info.held_until, 6);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000001")->kind, ORCH_TXN_RESCHEDULE);
    of_free(&f);
}

/* UNREACHABLE: replaced at once (svc.1, on a1); when it reports back
 * RUNNING it is a task nobody knows any more, and is killed. */
static void test_unreachable_comes_back(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    CU_ASSERT_EQUAL(replaced_on(&f, ORCH_TASK_UNREACHABLE, "a1"), 1);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 1);
    of_update_out(&f, 12, "svc.0", ORCH_TASK_RUNNING, &out);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "svc.0");
    orch_out_free(&out);
    of_expect_task(&f, "svc.1", ORCH_TASK_LAUNCHING, "a1");
    of_free(&f);
}

/* A reschedule that never finds room fails at failed_at + delay + 600. */
static void test_reschedule_deadline(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, SVC, "a1", "cpus:2"));
    of_update(&f, 10, "svc.0", ORCH_TASK_LOST);
    of_tick(&f, 610.5, &out);
    CU_ASSERT_EQUAL(out.n_txns, 0);
    orch_out_free(&out);
    of_tick(&f, 611, &out);
    REQUIRE_TRUE(out.n_txns == 1);
    CU_ASSERT_EQUAL(out.txns[0].kind, ORCH_TXN_RESCHEDULE);
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_FAILED);
    orch_out_free(&out);
    of_free(&f);
}

/* Deleting in the middle of an update kills both versions. */
static void test_delete_during_update(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(2, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_update(f.o, of_json(WEB(2, "cpus:2")), 0, 0, 3, NULL, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:8");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 2); /* web.2, web.3 */
    orch_out_free(&out);
    REQUIRE_TRUE(orch_delete(f.o, "web", false, 0, 4, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_kills == 4);
    ASSERT_STR(out.kills[0].task_id, "web.3");
    ASSERT_STR(out.kills[1].task_id, "web.2");
    ASSERT_STR(out.kills[2].task_id, "web.1");
    ASSERT_STR(out.kills[3].task_id, "web.0");
    /* The update never finished: superseded by the delete. */
    REQUIRE_TRUE(out.n_txns == 1);
    CU_ASSERT_EQUAL(out.txns[0].kind, ORCH_TXN_UPDATE);
    CU_ASSERT_EQUAL(out.txns[0].status, ORCH_TXN_SUPERSEDED);
    orch_out_free(&out);
    of_free(&f);
}

/* Host ports reach the launches: two instances of an app asking for one any
 * port, on one offer of ports [31000-31001], get 31000 and 31001. */
static void test_host_ports(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f,
                           "{\"id\":\"web\",\"instances\":2,\"resources\":\"cpus:1\","
                           "\"command\":\"x\",\"ports\":[0]}",
                           0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:4;ports:[31000-31001]");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 2);
    CU_ASSERT_EQUAL(out.launches[0].ports[0], 31000);
    CU_ASSERT_EQUAL(out.launches[1].ports[0], 31001);
    orch_out_free(&out);
    of_free(&f);
}

/* An app's kill_grace_period goes with each KILL of its tasks (the KILL's
 * kill policy); an app without one gives none. */
static void test_kill_grace_period(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f,
                          "{\"id\":\"web\",\"instances\":1,\"resources\":\"cpus:1\","
                          "\"command\":\"x\",\"kill_grace_period\":12.5}",
                          "a1", "cpus:4"));
    REQUIRE_TRUE(of_start(&f, WEB_ID("db", 1, "cpus:1"), "a2", "cpus:4"));
    REQUIRE_TRUE(orch_delete(f.o, "web", false, 0, 5, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "web.0");
    CU_ASSERT_TRUE(out.kills[0].has_grace);
    CU_ASSERT_DOUBLE_EQUAL(out.kills[0].grace_seconds, 12.5, 1e-12);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_delete(f.o, "db", false, 0, 6, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_kills == 1);
    CU_ASSERT_FALSE(out.kills[0].has_grace);
    orch_out_free(&out);
    of_free(&f);
}

/* A task group's containers report as "<instance>.<container>": the
 * instance takes their states and ends with the first; kills and
 * reconciliation name its first container. */
static void test_task_group_updates(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f,
                           "{\"id\":\"grp\",\"executor_resources\":\"cpus:0.1\",\"containers\":["
                           "{\"name\":\"a\",\"resources\":\"cpus:1\",\"command\":\"x\"},"
                           "{\"name\":\"b\",\"resources\":\"cpus:1\",\"command\":\"y\"}]}",
                           0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:4");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1);
    ASSERT_STR(out.launches[0].task_id, "grp.0");
    orch_out_free(&out);
    of_update(&f, 1, "grp.0.b", ORCH_TASK_STARTING);
    of_expect_task(&f, "grp.0", ORCH_TASK_STARTING, "a1");
    of_update(&f, 2, "grp.0.a", ORCH_TASK_RUNNING);
    of_expect_task(&f, "grp.0", ORCH_TASK_RUNNING, "a1");
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->status, ORCH_TXN_DONE);
    REQUIRE_TRUE(orch_subscribed(f.o, "fw", 3, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_reconcile == 1);
    ASSERT_STR(out.reconcile[0].task_id, "grp.0.a");
    orch_out_free(&out);
    /* b fails: the instance fails; a's TASK_KILLED afterwards is news to
     * nobody. */
    of_update(&f, 10, "grp.0.b", ORCH_TASK_FAILED);
    REQUIRE_TRUE(orch_app_find(f.o, "grp", &info));
    CU_ASSERT_EQUAL(info.failures, 1);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 0);
    of_update_out(&f, 10.5, "grp.0.a", ORCH_TASK_KILLED, &out);
    CU_ASSERT(!out.dirty && out.n_kills == 0);
    orch_out_free(&out);
    /* The replacement, scaled away: its first container is killed. */
    of_tick(&f, 11, &out);
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:4");
    REQUIRE_TRUE(of_offers(&f, &out));
    orch_out_free(&out);
    of_update(&f, 12, "grp.1.a", ORCH_TASK_RUNNING);
    REQUIRE_TRUE(orch_scale(f.o, "grp", 0, 0, 13, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "grp.1.a");
    ASSERT_STR(out.kills[0].agent_id, "a1");
    orch_out_free(&out);
    /* And the document keeps the group's first task. */
    {
        json_t *doc = orch_to_json(f.o, 14);
        const json_t *t = json_object_get(json_object_get(doc, "tasks"), "grp.1");
        ASSERT_STR(json_string_value(json_object_get(t, "group_task")), "grp.1.a");
        json_decref(doc);
    }
    of_free(&f);
}

/* ---- gang ---------------------------------------------------------------------------- */

/* Three of cpus:2. a1 cpus:4 and a2 cpus:1 hold two: none placed, both
 * declined for 5 s (still wanted). a1 cpus:4 and a2 cpus:2 hold three: a1
 * (tie), a2 (a1 has 1), a1 (a2 is full). */
static void test_gang_all_or_none(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(
        of_submit(&f,
                  "{\"id\":\"g\",\"instances\":3,\"resources\":\"cpus:2\",\"command\":\"x\","
                  "\"gang\":true}",
                  0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:4");
    of_offer(&f, "a2", "cpus:1");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 0);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 0);
    REQUIRE_TRUE(out.n_declines == 2);
    CU_ASSERT(out.declines[0].refuse_seconds == 5 && out.declines[1].refuse_seconds == 5);
    orch_out_free(&out);
    f.now = 1;
    of_offer(&f, "a1", "cpus:4");
    of_offer(&f, "a2", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 3);
    ASSERT_STR(out.launches[0].task_id, "g.0");
    ASSERT_STR(out.launches[1].task_id, "g.2");
    ASSERT_STR(out.launches[2].task_id, "g.1");
    orch_out_free(&out);
    of_expect_task(&f, "g.1", ORCH_TASK_LAUNCHING, "a2");
    of_free(&f);
}

/* ---- delete ---------------------------------------------------------------------------- */

static void test_delete_waits_for_killed(void)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(2, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_delete(f.o, "web", false, 0, 5, txn, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(out.n_kills, 2);
    orch_out_free(&out);
    REQUIRE_TRUE(orch_app_find(f.o, "web", &info));
    CU_ASSERT_TRUE(info.deleting);
    CU_ASSERT_EQUAL(orch_delete(f.o, "web", false, 0, 5, NULL, &out, &f.err), HDRF_ENOTFOUND);
    ASSERT_STR(f.err.text, "web: being deleted");
    of_update(&f, 6, "web.1", ORCH_TASK_KILLED);
    CU_ASSERT_EQUAL(orch_app_count(f.o), 1);
    of_update(&f, 7, "web.0", ORCH_TASK_KILLED);
    CU_ASSERT_EQUAL(orch_app_count(f.o), 0);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 0);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_DONE);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->finished_at, 7);
    /* The id is free again. */
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    of_free(&f);
}

static void test_delete_forced(void)
{
    orch_fx f;
    orch_out out = {0};
    char txn[ORCH_TXN_ID_LENGTH];
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, WEB(2, "cpus:1"), "a1", "cpus:4"));
    REQUIRE_TRUE(orch_delete(f.o, "web", true, 0, 5, txn, &out, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(out.n_kills, 2); /* each killed once, not twice */
    orch_out_free(&out);
    CU_ASSERT_EQUAL(orch_app_count(f.o), 0);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 0);
    CU_ASSERT_EQUAL(of_txn(&f, txn)->status, ORCH_TXN_DONE);
    /* A forgotten task that reports RUNNING is killed; its end is news to
     * nobody. */
    of_update_out(&f, 6, "web.0", ORCH_TASK_RUNNING, &out);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "web.0");
    ASSERT_STR(out.kills[0].agent_id, "a1");
    CU_ASSERT_FALSE(out.dirty);
    orch_out_free(&out);
    of_update_out(&f, 7, "web.0", ORCH_TASK_KILLED, &out);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    orch_out_free(&out);
    of_free(&f);
}

/* ---- suppress, revive, subscribe ------------------------------------------------------- */

static void test_suppress_and_revive_per_role(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_start(&f, SVC, "a1", "cpus:2")); /* "*": revived, then suppressed */
    REQUIRE_TRUE(of_submit(&f,
                           "{\"id\":\"batch\",\"role\":\"eng\",\"instances\":0,"
                           "\"resources\":\"cpus:1\",\"command\":\"x\"}",
                           0, NULL, &out));
    /* eng has nothing to launch: suppressed from the start. */
    REQUIRE_TRUE(out.n_suppress == 1 && out.n_revive == 0);
    ASSERT_STR(out.suppress[0], "eng");
    orch_out_free(&out);
    REQUIRE_TRUE(orch_scale(f.o, "batch", 1, 0, 3, NULL, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_revive == 1 && out.n_suppress == 0);
    ASSERT_STR(out.revive[0], "eng");
    orch_out_free(&out);
    /* An offer of role "*" does not serve eng. */
    f.now = 4;
    of_offer_role(&f, "a1", "cpus:2", "*");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 0);
    REQUIRE_TRUE(out.n_declines == 1);
    CU_ASSERT_EQUAL(out.declines[0].refuse_seconds, 120);
    orch_out_free(&out);
    of_offer_role(&f, "a1", "cpus:2", "eng");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 1);
    REQUIRE_TRUE(out.n_suppress == 1);
    ASSERT_STR(out.suppress[0], "eng");
    orch_out_free(&out);
    /* A new subscription: every role told again, every task reconciled. */
    REQUIRE_TRUE(orch_subscribed(f.o, "fw-1", 5, &out, NULL) == HDRF_OK);
    CU_ASSERT_TRUE(out.dirty);
    CU_ASSERT_EQUAL(out.n_suppress, 2);
    CU_ASSERT_EQUAL(out.n_revive, 0);
    REQUIRE_TRUE(out.n_reconcile == 2);
    ASSERT_STR(out.reconcile[0].task_id, "svc.0");
    ASSERT_STR(out.reconcile[1].task_id, "batch.1");
    ASSERT_STR(out.reconcile[1].agent_id, "a1");
    orch_out_free(&out);
    ASSERT_STR(orch_framework_id(f.o), "fw-1");
    REQUIRE_TRUE(orch_subscribed(f.o, "fw-1", 6, &out, NULL) == HDRF_OK);
    CU_ASSERT_FALSE(out.dirty);
    orch_out_free(&out);
    of_free(&f);
}

/* ---- timeouts ------------------------------------------------------------------------ */

/* launch timeout 100 s, kill retry 30 s, reconciliation every 50 s. */
static void test_launch_and_kill_timeouts(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_config cfg = {
        .launch_timeout_seconds = 100, .kill_retry_seconds = 30, .reconcile_seconds = 50};
    orch_app_info info;
    REQUIRE_TRUE(of_init(&f, &cfg));
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    of_tick(&f, 0, &out); /* schedules reconciliation at 50 */
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    orch_out_free(&out);
    of_update(&f, 1, "web.0", ORCH_TASK_STAGING);
    of_tick(&f, 50, &out);
    CU_ASSERT_TRUE(out.reconcile_implicit);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    orch_out_free(&out);
    of_tick(&f, 99.5, &out);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    CU_ASSERT_FALSE(out.reconcile_implicit);
    orch_out_free(&out);
    of_tick(&f, 100, &out);
    REQUIRE_TRUE(out.n_kills == 1);
    ASSERT_STR(out.kills[0].task_id, "web.0");
    CU_ASSERT_TRUE(out.reconcile_implicit); /* 50 + 50 */
    /* Being killed, it no longer counts: a replacement is wanted. */
    REQUIRE_TRUE(out.n_revive == 1);
    orch_out_free(&out);
    of_tick(&f, 129, &out);
    CU_ASSERT_EQUAL(out.n_kills, 0);
    orch_out_free(&out);
    of_tick(&f, 130, &out);
    CU_ASSERT_EQUAL(out.n_kills, 1);
    orch_out_free(&out);
    of_update(&f, 131, "web.0", ORCH_TASK_KILLED);
    REQUIRE_TRUE(orch_app_find(f.o, "web", &info));
    CU_ASSERT_EQUAL(info.failures, 0);
    CU_ASSERT_EQUAL(info.pending, 1);
    of_free(&f);
}

/* ---- operator input ------------------------------------------------------------------- */

static void test_submit_errors_change_nothing(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    CU_ASSERT_EQUAL(
        orch_submit(f.o, of_json("{\"id\":\"web\",\"instances\":-1}"), 0, 0, NULL, &out, &f.err),
        HDRF_EINVAL);
    ASSERT_STR(f.err.text, "instances: -1: must be an integer >= 0");
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    CU_ASSERT_EQUAL(orch_submit(f.o, of_json(WEB(2, "cpus:1")), 0, 0, NULL, &out, &f.err),
                    HDRF_EEXIST);
    ASSERT_STR(f.err.text, "web: application exists (update it)");
    CU_ASSERT_EQUAL(orch_app_count(f.o), 1);
    CU_ASSERT_EQUAL(orch_txn_count(f.o), 1);
    orch_out_free(&out);
    of_free(&f);
}

/* set_apps: web unchanged (nothing), db new (launch), svc changed
 * (update with the configured max_down, 2); an app absent from the list
 * stays. A bad document changes nothing. */
static void test_set_apps(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_config cfg = {.default_max_down = 2};
    char doc[1024];
    REQUIRE_TRUE(of_init(&f, &cfg));
    REQUIRE_TRUE(of_submit(&f, WEB(1, "cpus:1"), 0, NULL, &out));
    REQUIRE_TRUE(of_submit(&f, SVC, 0, NULL, &out));
    REQUIRE_TRUE(of_submit(&f, WEB_ID("old", 1, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    snprintf(doc, sizeof doc, "{\"apps\":[%s,%s,%s]}", WEB(1, "cpus:1"), WEB_ID("db", 2, "cpus:1"),
             WEB_ID("svc", 1, "cpus:3"));
    REQUIRE_TRUE(orch_set_apps(f.o, of_json(doc), 1, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    CU_ASSERT_EQUAL(orch_app_count(f.o), 4);
    CU_ASSERT_EQUAL(orch_txn_count(f.o), 5);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000003")->kind, ORCH_TXN_LAUNCH);
    ASSERT_STR(of_txn(&f, "txn-000003")->app_id, "db");
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000004")->kind, ORCH_TXN_UPDATE);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000004")->max_down, 2);
    snprintf(doc, sizeof doc, "{\"apps\":[%s,%s]}", WEB_ID("new", 1, "cpus:1"),
             WEB_ID("new", 1, "cpus:1"));
    CU_ASSERT_EQUAL(orch_set_apps(f.o, of_json(doc), 2, &out, &f.err), HDRF_EINVAL);
    ASSERT_STR(f.err.text, "apps[1].id: \"new\": duplicate id");
    CU_ASSERT_EQUAL(orch_app_count(f.o), 4);
    orch_out_free(&out);
    of_free(&f);
}

/* ---- persist-then-send ------------------------------------------------------------------ */

static void test_abandon_forgets_the_launches(void)
{
    orch_fx f;
    orch_out out = {0};
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(2, "cpus:1"), 0, NULL, &out));
    orch_out_free(&out);
    of_offer(&f, "a1", "cpus:1");
    of_offer(&f, "a2", "cpus:1");
    of_offer(&f, "a3", "mem:1");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT(out.n_launches == 2 && out.n_accepts == 2 && out.n_declines == 1);
    /* The store refused the state: nothing of it may go out. */
    orch_abandon(f.o, &out);
    CU_ASSERT(out.n_launches == 0 && out.n_accepts == 0);
    REQUIRE_TRUE(out.n_declines == 3);
    CU_ASSERT_EQUAL(out.declines[1].offer, 0);
    CU_ASSERT_EQUAL(out.declines[2].offer, 1);
    CU_ASSERT_EQUAL(orch_task_count(f.o), 0);
    CU_ASSERT_EQUAL(orch_metrics(f.o)->launches, 0);
    CU_ASSERT_EQUAL(orch_metrics(f.o)->offers_declined, 3);
    orch_out_free(&out);
    /* Launched again from the next offers, with new ids. */
    of_offer(&f, "a1", "cpus:2");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 2);
    ASSERT_STR(out.launches[0].task_id, "web.2");
    orch_out_free(&out);
    of_free(&f);
}

/* ---- task states and transactions as names ---------------------------------------------- */

static void test_names(void)
{
    orch_task_state s;
    CU_ASSERT_EQUAL(orch_task_state_from_mesos(6, &s), HDRF_OK); /* mesos.proto: STAGING = 6 */
    CU_ASSERT_EQUAL(s, ORCH_TASK_STAGING);
    CU_ASSERT_EQUAL(orch_task_state_from_mesos(1, &s), HDRF_OK);
    CU_ASSERT_EQUAL(s, ORCH_TASK_RUNNING);
    CU_ASSERT_EQUAL(orch_task_state_from_mesos(12, &s), HDRF_OK);
    CU_ASSERT_EQUAL(s, ORCH_TASK_GONE_BY_OPERATOR);
    CU_ASSERT_EQUAL(orch_task_state_from_mesos(14, &s), HDRF_EINVAL);
    ASSERT_STR(orch_task_state_name(ORCH_TASK_UNREACHABLE), "TASK_UNREACHABLE");
    CU_ASSERT_EQUAL(orch_task_state_parse("TASK_KILLING", &s), HDRF_OK);
    CU_ASSERT_EQUAL(s, ORCH_TASK_KILLING);
    CU_ASSERT_EQUAL(orch_task_state_parse("RUNNING", &s), HDRF_EINVAL);
    CU_ASSERT_FALSE(orch_task_state_terminal(ORCH_TASK_KILLING));
    CU_ASSERT_TRUE(orch_task_state_terminal(ORCH_TASK_UNREACHABLE));
    ASSERT_STR(orch_txn_kind_name(ORCH_TXN_RESCHEDULE), "reschedule");
    ASSERT_STR(orch_txn_status_name(ORCH_TXN_SUPERSEDED), "superseded");
}

/* History: pending ones always kept, the oldest finished ones dropped. */
static void test_txn_trim(void)
{
    orch_txn_list l = {0};
    orch_txn *t;
    for (int i = 0; i < 5; i++)
        REQUIRE_TRUE(orch_txn_add(&l, ORCH_TXN_SCALE, "web", i, 0, i, i + 10, &t) == HDRF_OK);
    orch_txn_finish(&l.items[0], ORCH_TXN_DONE, 1);
    orch_txn_finish(&l.items[2], ORCH_TXN_DONE, 3);
    orch_txn_finish(&l.items[3], ORCH_TXN_FAILED, 13);
    orch_txn_trim(&l, 2);
    REQUIRE_TRUE(l.n == 4);
    ASSERT_STR(l.items[0].id, "txn-000001");
    ASSERT_STR(l.items[1].id, "txn-000002");
    ASSERT_STR(l.items[3].id, "txn-000004");
    CU_ASSERT_PTR_NULL(orch_txn_find(&l, "txn-000000"));
    orch_txn_trim(&l, 0);
    CU_ASSERT_EQUAL(l.n, 2);
    orch_txn_list_free(&l);
}

int suite_orch(void)
{
    static const test_case cases[] = {
        {"launch: spread, grouped per offer, done when all run", test_launch_spreads_and_completes},
        {"a deadline expires at exactly its time", test_deadline_expires},
        {"deadlines per kind of transaction", test_deadline_per_kind},
        {"an app's kill_grace_period goes with its KILLs", test_kill_grace_period},
        {"host ports reach the launches", test_host_ports},
        {"scale, update and delete fail at their deadlines", test_deadlines_of_every_kind},
        {"scale down kills unstarted, then newest", test_scale_down_kills_the_right_ones},
        {"update: at most 1 down after every event", test_update_one_down_at_most},
        {"update: none down, new before old", test_update_none_down},
        {"update: at most 2 down", test_update_two_down},
        {"update: unstarted old tasks go at once", test_update_kills_unstarted_old_tasks},
        {"reschedule: sticky, bounded wait, no fit", test_sticky_reschedule},
        {"reschedule: TASK_GONE is not sticky", test_gone_is_not_sticky},
        {"restart backoff grows, caps and resets", test_backoff_grows_and_resets},
        {"update of instances only is a scale", test_update_of_instances_only_is_a_scale},
        {"update: an old task's failure is not replaced", test_old_version_failure_during_update},
        {"an unrequested TASK_KILLED is a failure", test_unrequested_kill_is_a_failure},
        {"UNREACHABLE: replaced, killed when back", test_unreachable_comes_back},
        {"reschedule deadline", test_reschedule_deadline},
        {"delete during an update kills both versions", test_delete_during_update},
        {"task groups: container updates, kills, reconciliation", test_task_group_updates},
        {"gang: all or none", test_gang_all_or_none},
        {"delete waits for TASK_KILLED", test_delete_waits_for_killed},
        {"delete forced forgets at once", test_delete_forced},
        {"suppress and revive per role; subscribe", test_suppress_and_revive_per_role},
        {"launch timeout and kill retry", test_launch_and_kill_timeouts},
        {"submit errors change nothing", test_submit_errors_change_nothing},
        {"set_apps: new, changed, unchanged, bad", test_set_apps},
        {"abandon: launches forgotten, offers declined", test_abandon_forgets_the_launches},
        {"task state and transaction names", test_names},
        {"transaction history trimmed", test_txn_trim},
        {NULL, NULL},
    };
    return test_add_suite("orch", cases);
}
