/* test_orch_state.c: the orchestrator's state across a failover, and its
 * metrics.
 *
 * Owns the proof that orch_to_json() / orch_from_json() carry everything a
 * standby needs: a restored orchestrator (at the same time, and 1000 s
 * later on another clock) writes the same document back and makes the
 * same decisions for the same events as the one that saved it; a standby
 * restored from a hand-written document launches only what is missing and
 * reconciles what was launched. And that the Prometheus text of
 * sched_metrics_render() is, line by line, the exposition of counts worked
 * out by hand for a scripted run. */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/orch_fixture.h"

/* backoff 1 s, factor 2, cap 10, reset after 100 s. */
#define SVC                                                                                        \
    "{\"id\":\"svc\",\"resources\":\"cpus:1\",\"command\":\"run\",\"restart\":"                    \
    "{\"backoff_seconds\":1,\"backoff_factor\":2,\"max_backoff_seconds\":10,"                      \
    "\"reset_after_seconds\":100}}"

/* ---- decisions as text, to compare two orchestrators ------------------------------------ */

static char *out_text(const orch_out *out, const orch_offer *offers)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fprintf(f, "dirty %d\n", out->dirty);
    for (size_t i = 0; i < out->n_accepts; i++)
        for (size_t k = out->accepts[i].first; k < out->accepts[i].first + out->accepts[i].n; k++)
            fprintf(f, "launch %s v%ld %s on %s\n", out->launches[k].task_id,
                    out->launches[k].version, out->launches[k].app->id,
                    offers[out->accepts[i].offer].offer.agent.agent_id);
    for (size_t i = 0; i < out->n_declines; i++)
        fprintf(f, "decline %s %g\n", offers[out->declines[i].offer].offer.agent.agent_id,
                out->declines[i].refuse_seconds);
    for (size_t i = 0; i < out->n_kills; i++)
        fprintf(f, "kill %s %s\n", out->kills[i].task_id,
                out->kills[i].agent_id ? out->kills[i].agent_id : "-");
    for (size_t i = 0; i < out->n_suppress; i++)
        fprintf(f, "suppress %s\n", out->suppress[i]);
    for (size_t i = 0; i < out->n_revive; i++)
        fprintf(f, "revive %s\n", out->revive[i]);
    for (size_t i = 0; i < out->n_reconcile; i++)
        fprintf(f, "reconcile %s %s\n", out->reconcile[i].task_id, out->reconcile[i].agent_id);
    if (out->reconcile_implicit)
        fprintf(f, "reconcile all\n");
    for (size_t i = 0; i < out->n_txns; i++)
        fprintf(f, "txn %s %s %s\n", out->txns[i].txn_id, orch_txn_kind_name(out->txns[i].kind),
                orch_txn_status_name(out->txns[i].status));
    fclose(f);
    return text;
}

/* One scripted event, at `at` seconds past a run's origin. */
typedef enum ev_kind { EV_TICK, EV_OFFERS, EV_UPDATE, EV_SUBSCRIBED } ev_kind;

typedef struct event {
    ev_kind kind;
    double at;
    const char *a, *b, *c, *d; /* offers: agent, res, agent, res; update: task, state name */
} event;

/* Runs `ev` on f at origin + ev->at; returns its decisions as text. */
static char *run_event(orch_fx *f, double origin, const event *ev)
{
    orch_out out = {0};
    orch_offer offers[2];
    orch_task_state state;
    char *text;
    int status = HDRF_OK;
    f->now = origin + ev->at;
    switch (ev->kind) {
    case EV_TICK:
        status = orch_tick(f->o, f->now, &out, NULL);
        break;
    case EV_OFFERS:
        of_offer(f, ev->a, ev->b);
        if (ev->c)
            of_offer(f, ev->c, ev->d);
        memcpy(offers, f->offers, f->n_offers * sizeof *offers);
        status = of_offers(f, &out) ? HDRF_OK : HDRF_EINVAL;
        break;
    case EV_UPDATE:
        CU_ASSERT_EQUAL(orch_task_state_parse(ev->b, &state), HDRF_OK);
        status = orch_status_update(f->o, ev->a, state, "a1", f->now, &out, NULL);
        break;
    case EV_SUBSCRIBED:
        status = orch_subscribed(f->o, ev->a, f->now, &out, NULL);
        break;
    }
    CU_ASSERT_EQUAL(status, HDRF_OK);
    text = out_text(&out, offers);
    orch_out_free(&out);
    return text;
}

/* The saved state of the round trip, at 12 s:
 *   web: 4 instances, updated at 10 to version 2 with max_down 1: web.0-2
 *        RUNNING (v1), web.3 being killed since 10 (v1), web.5 STAGING and
 *        web.6 LAUNCHING (v2, two of cpus:2 in a1's cpus:5 at 11).
 *   svc: svc.4 failed at 12 after 10 s: failure 1, held 1 s (until 13),
 *        waiting for a2 until 13 + 30 = 43; reschedule txn-000003.
 *   framework id fw-7. */
static bool build_saved_state(orch_fx *f)
{
    orch_out out = {0};
    orch_config cfg = {.sticky_seconds = 30};
    bool ok = of_init(f, &cfg) && of_start(f, WEB(4, "cpus:1"), "a1", "cpus:8");
    ok = ok && of_start(f, SVC, "a2", "cpus:2"); /* svc.4 RUNNING at 2 */
    ok = ok && orch_subscribed(f->o, "fw-7", 2.5, &out, NULL) == HDRF_OK;
    orch_out_free(&out);
    ok = ok && orch_update(f->o, of_json(WEB(4, "cpus:2")), 1, 0, 10, NULL, &out, NULL) == HDRF_OK;
    orch_out_free(&out);
    f->now = 11;
    of_offer(f, "a1", "cpus:5");
    ok = ok && of_offers(f, &out) && out.n_launches == 2;
    orch_out_free(&out);
    of_update(f, 11.5, "web.5", ORCH_TASK_STAGING);
    of_update(f, 12, "svc.4", ORCH_TASK_FAILED);
    return ok;
}

/* doc.a.b(.c): the path's keys, the last one may be NULL. */
static const json_t *at(const json_t *doc, const char *a, const char *b, const char *c)
{
    const json_t *v = json_object_get(json_object_get(doc, a), b);
    return c ? json_object_get(v, c) : v;
}

static double num(const json_t *doc, const char *a, const char *b, const char *c)
{
    const json_t *v = at(doc, a, b, c);
    CU_ASSERT_TRUE(json_is_number(v));
    return json_number_value(v);
}

static const char *str(const json_t *doc, const char *a, const char *b, const char *c)
{
    return json_string_value(at(doc, a, b, c));
}

/* The saved document holds what build_saved_state() did, as ages at 12. */
static void check_saved_document(const json_t *doc)
{
    const json_t *hints =
        json_object_get(json_object_get(json_object_get(doc, "apps"), "svc"), "hints");
    ASSERT_STR(json_string_value(json_object_get(doc, "framework_id")), "fw-7");
    CU_ASSERT_EQUAL(num(doc, "seq", "task", NULL), 7);
    CU_ASSERT_EQUAL(num(doc, "seq", "txn", NULL), 4);
    CU_ASSERT_EQUAL(json_object_size(json_object_get(doc, "tasks")), 6);
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(doc, "tasks"), "svc.4"));
    ASSERT_STR(str(doc, "tasks", "web.3", "state"), "TASK_RUNNING");
    CU_ASSERT_EQUAL(num(doc, "tasks", "web.3", "kill_sent_ago"), 2);
    CU_ASSERT_EQUAL(num(doc, "tasks", "web.3", "running_for"), 11);
    CU_ASSERT_EQUAL(num(doc, "tasks", "web.3", "version"), 1);
    ASSERT_STR(str(doc, "tasks", "web.5", "state"), "TASK_STAGING");
    CU_ASSERT_EQUAL(num(doc, "tasks", "web.5", "launched_ago"), 1);
    CU_ASSERT_EQUAL(num(doc, "tasks", "web.5", "version"), 2);
    ASSERT_STR(str(doc, "tasks", "web.6", "state"), "TASK_LAUNCHING");
    CU_ASSERT_EQUAL(num(doc, "apps", "web", "version"), 2);
    CU_ASSERT_EQUAL(num(doc, "apps", "web", "max_down"), 1);
    CU_ASSERT_EQUAL(num(doc, "apps", "svc", "failures"), 1);
    CU_ASSERT_EQUAL(num(doc, "apps", "svc", "held_for"), 1);
    REQUIRE_TRUE(json_array_size(hints) == 1);
    ASSERT_STR(json_string_value(json_object_get(json_array_get(hints, 0), "agent")), "a2");
    CU_ASSERT_EQUAL(json_number_value(json_object_get(json_array_get(hints, 0), "wait")), 31);
    ASSERT_STR(str(doc, "txns", "txn-000002", "kind"), "update");
    CU_ASSERT_EQUAL(num(doc, "txns", "txn-000002", "deadline_in"), 598);
    ASSERT_STR(str(doc, "txns", "txn-000003", "kind"), "reschedule");
    ASSERT_STR(str(doc, "txns", "txn-000003", "status"), "pending");
    CU_ASSERT_EQUAL(num(doc, "txns", "txn-000003", "deadline_in"), 601);
    ASSERT_STR(str(doc, "txns", "txn-000000", "status"), "done");
}

/* A standby subscribes first, then events come. */
static const event script[] = {
    {EV_SUBSCRIBED, 12.5, "fw-7", NULL, NULL, NULL},
    {EV_TICK, 13, NULL, NULL, NULL, NULL},
    {EV_OFFERS, 13.5, "a1", "cpus:8", "a2", "cpus:2"},
    {EV_UPDATE, 14, "web.5", "TASK_RUNNING", NULL, NULL},
    {EV_UPDATE, 14.5, "web.3", "TASK_KILLED", NULL, NULL},
    {EV_OFFERS, 15, "a1", "cpus:8", NULL, NULL},
    {EV_TICK, 50, NULL, NULL, NULL, NULL},
    {EV_UPDATE, 51, "web.6", "TASK_RUNNING", NULL, NULL},
    {EV_UPDATE, 52, "web.7", "TASK_RUNNING", NULL, NULL},
};

#define N_SCRIPT (sizeof script / sizeof script[0])

/* Both restored orchestrators write `doc` back, each at its own time. */
static void check_same_document(orch_fx *same, double same_now, orch_fx *later, double later_now,
                                const json_t *doc)
{
    json_t *a = orch_to_json(same->o, same_now), *b = orch_to_json(later->o, later_now);
    CU_ASSERT_TRUE(json_equal(a, doc));
    CU_ASSERT_TRUE(json_equal(b, doc));
    json_decref(a);
    json_decref(b);
}

static void test_round_trip_same_decisions(void)
{
    orch_fx saved, same, later;
    json_t *doc;
    orch_config cfg = {.sticky_seconds = 30};
    REQUIRE_TRUE(build_saved_state(&saved));
    doc = orch_to_json(saved.o, 12);
    REQUIRE(doc);
    check_saved_document(doc);
    memset(&same, 0, sizeof same);
    memset(&later, 0, sizeof later);
    CU_ASSERT_EQUAL(orch_from_json(&cfg, doc, 12, &same.o, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(orch_from_json(&cfg, doc, 1012, &later.o, NULL), HDRF_OK);
    if (same.o && later.o) {
        /* The same document back, at the same time and on another clock. */
        check_same_document(&same, 12, &later, 1012, doc);
        for (size_t i = 0; i < N_SCRIPT; i++) {
            char *a = run_event(&saved, 0, &script[i]), *b = run_event(&same, 0, &script[i]),
                 *c = run_event(&later, 1000, &script[i]);
            CU_ASSERT_TRUE(a && b && c && strcmp(a, b) == 0 && strcmp(a, c) == 0);
            if (i == 3) /* web.5 up: 4 RUNNING, one old one may go, the newest */
                ASSERT_STR(a, "dirty 1\nkill web.2 a1\n");
            if (i == 5) /* nothing wanted any more */
                ASSERT_STR(a, "dirty 0\ndecline a1 120\n");
            free(a);
            free(b);
            free(c);
        }
        json_decref(doc);
        doc = orch_to_json(saved.o, 60);
        check_same_document(&same, 60, &later, 1060, doc);
    }
    json_decref(doc);
    of_free(&saved);
    of_free(&same);
    of_free(&later);
}

/* What a standby reads from ZooKeeper, written by hand: web wants 2, one
 * task (web.3) was launched before the old leader died. The standby
 * reconciles web.3, launches exactly one more (web.5: the stored sequence
 * goes on), and the pending launch completes when both run. */
#define STANDBY_DOC                                                                                \
    "{\"format\":1,\"framework_id\":\"fw-1\",\"seq\":{\"app\":1,\"task\":5,\"txn\":1},"            \
    "\"apps\":{\"web\":{\"definition\":" WEB(                                                      \
        2, "cpus:1") ",\"seq\":0,\"version\":1,"                                                   \
                     "\"max_down\":0,\"failures\":0,\"deleting\":false,\"hints\":[]}},"            \
                     "\"tasks\":{\"web.3\":{\"app\":\"web\",\"seq\":3,\"version\":1,\"agent\":{"   \
                     "\"id\":\"a1\","                                                              \
                     "\"hostname\":\"h1\",\"attributes\":{\"rack\":\"r1\"}},\"state\":\"TASK_"     \
                     "LAUNCHING\","                                                                \
                     "\"launched_ago\":2}},"                                                       \
                     "\"txns\":{\"txn-000000\":{\"app\":\"web\",\"kind\":\"launch\",\"status\":"   \
                     "\"pending\","                                                                \
                     "\"target\":2,\"max_down\":0,\"age\":2,\"deadline_in\":598}}}"

static void test_standby_launches_only_what_is_missing(void)
{
    orch_fx f;
    orch_out out = {0};
    orch_task_info t;
    memset(&f, 0, sizeof f);
    REQUIRE_TRUE(orch_from_json(NULL, of_json(STANDBY_DOC), 100, &f.o, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->deadline, 698);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->created_at, 98);
    REQUIRE_TRUE(orch_task_find(f.o, "web.3", &t));
    ASSERT_STR(t.hostname, "h1");
    CU_ASSERT_EQUAL(t.launched_at, 98);
    REQUIRE_TRUE(orch_subscribed(f.o, "fw-1", 100, &out, NULL) == HDRF_OK);
    REQUIRE_TRUE(out.n_reconcile == 1);
    ASSERT_STR(out.reconcile[0].task_id, "web.3");
    ASSERT_STR(out.reconcile[0].agent_id, "a1");
    REQUIRE_TRUE(out.n_revive == 1);
    orch_out_free(&out);
    f.now = 101;
    of_offer(&f, "a1", "cpus:4");
    REQUIRE_TRUE(of_offers(&f, &out));
    REQUIRE_TRUE(out.n_launches == 1);
    ASSERT_STR(out.launches[0].task_id, "web.5");
    orch_out_free(&out);
    of_update(&f, 102, "web.3", ORCH_TASK_RUNNING);
    of_update(&f, 103, "web.5", ORCH_TASK_RUNNING);
    CU_ASSERT_EQUAL(of_txn(&f, "txn-000000")->status, ORCH_TXN_DONE);
    of_free(&f);
}

static void check_bad_state(const char *text, const char *why)
{
    orch *o = NULL;
    sched_error err;
    CU_ASSERT_EQUAL(orch_from_json(NULL, of_json(text), 0, &o, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(o);
    ASSERT_STR(err.text, why);
}

#define EMPTY_SEQ "\"format\":1,\"framework_id\":null,\"seq\":{\"app\":0,\"task\":0,\"txn\":0}"

static void test_bad_state_documents(void)
{
    check_bad_state("{" EMPTY_SEQ ",\"apps\":{},\"tasks\":{},\"txns\":{},\"x\":1}",
                    "x: unknown member");
    check_bad_state("{\"format\":1,\"framework_id\":null,\"seq\":{\"app\":0,\"task\":0,"
                    "\"txn\":0,\"apps\":{}},\"apps\":{},\"tasks\":{},\"txns\":{}}",
                    "seq.apps: unknown member");
    check_bad_state("{\"format\":2,\"framework_id\":null,\"seq\":{\"app\":0,\"task\":0,\"txn\":0},"
                    "\"apps\":{},\"tasks\":{},\"txns\":{}}",
                    "format: 2: only 1 is known");
    check_bad_state("{" EMPTY_SEQ ",\"apps\":{},\"tasks\":{\"x.0\":{\"app\":\"x\",\"seq\":0,"
                    "\"version\":1,\"agent\":{\"id\":\"a\",\"hostname\":\"a\",\"attributes\":{}},"
                    "\"state\":\"TASK_RUNNING\",\"launched_ago\":1}},\"txns\":{}}",
                    "tasks.x.0: app: no such application in the document");
    check_bad_state(
        "{" EMPTY_SEQ ",\"apps\":{\"web\":{\"definition\":" WEB(
            1,
            "cpus:1") ",\"seq\":0,\"version\":1,\"max_down\":0,\"failures\":0,\"deleting\":false,"
                      "\"hints\":[]}},\"tasks\":{\"web.0\":{\"app\":\"web\",\"seq\":0,\"version\":"
                      "1,"
                      "\"agent\":{\"id\":\"a\",\"hostname\":\"a\",\"attributes\":{}},"
                      "\"state\":\"TASK_FAILED\",\"launched_ago\":1}},\"txns\":{}}",
        "tasks.web.0: state: not the state of a live task");
    check_bad_state(
        "{" EMPTY_SEQ ",\"apps\":{\"db\":{\"definition\":" WEB(
            1,
            "cpus:1") ",\"seq\":0,\"version\":1,\"max_down\":0,\"failures\":0,\"deleting\":false,"
                      "\"hints\":[]}},\"tasks\":{},\"txns\":{}}",
        "apps.db: the definition's id differs, or is listed twice");
    check_bad_state("{" EMPTY_SEQ ",\"apps\":{},\"tasks\":{},\"txns\":{\"txn-000000\":{"
                    "\"app\":\"web\",\"kind\":\"resize\",\"status\":\"pending\",\"target\":1,"
                    "\"max_down\":0,\"age\":0,\"deadline_in\":1}}}",
                    "txns.txn-000000.kind: \"resize\": unknown kind");
    check_bad_state("{" EMPTY_SEQ ",\"apps\":{},\"tasks\":{},\"txns\":{\"txn-000000\":{"
                    "\"app\":\"web\",\"kind\":\"scale\",\"status\":\"done\",\"target\":1,"
                    "\"max_down\":0,\"age\":0,\"deadline_in\":1}}}",
                    "txns.txn-000000.finished_ago: missing: required once the status is done");
    of_json(NULL); /* releases the last document */
}

/* A task that has run for longer than the standby's clock has existed (a
 * monotonic clock of a freshly booted machine): it is still known to have
 * run, its running time is written back, and its failure after more than
 * reset_after_seconds of running starts the backoff over (failures 1, not
 * 4). */
static void test_running_longer_than_the_clock(void)
{
    orch_fx f;
    orch_task_info t;
    orch_app_info a;
    json_t *doc;
    memset(&f, 0, sizeof f);
    REQUIRE_TRUE(
        orch_from_json(NULL,
                       of_json("{" EMPTY_SEQ ",\"apps\":{\"svc\":{\"definition\":" SVC
                               ",\"seq\":0,\"version\":1,\"max_down\":0,\"failures\":3,"
                               "\"deleting\":false,\"hints\":[]}},\"tasks\":{\"svc.0\":{"
                               "\"app\":\"svc\",\"seq\":0,\"version\":1,\"agent\":{\"id\":"
                               "\"a1\",\"hostname\":\"h1\",\"attributes\":{}},\"state\":"
                               "\"TASK_RUNNING\",\"launched_ago\":5001,\"running_for\":5000}},"
                               "\"txns\":{}}"),
                       10, &f.o, NULL) == HDRF_OK);
    REQUIRE_TRUE(orch_task_find(f.o, "svc.0", &t));
    CU_ASSERT_TRUE(t.running);
    CU_ASSERT_EQUAL(t.running_since, -4990);
    doc = orch_to_json(f.o, 10);
    CU_ASSERT_EQUAL(json_real_value(json_object_get(
                        json_object_get(json_object_get(doc, "tasks"), "svc.0"), "running_for")),
                    5000);
    json_decref(doc);
    of_update(&f, 11, "svc.0", ORCH_TASK_FAILED);
    REQUIRE_TRUE(orch_app_find(f.o, "svc", &a));
    CU_ASSERT_EQUAL(a.failures, 1);
    of_free(&f);
    of_json(NULL);
}

/* Transactions come back in creation order, past six digits too. */
static void test_txn_order_restored(void)
{
    orch *o = NULL;
    const char *doc =
        "{" EMPTY_SEQ ",\"apps\":{},\"tasks\":{},\"txns\":{"
        "\"txn-1000000\":{\"app\":\"web\",\"kind\":\"scale\",\"status\":\"done\",\"target\":1,"
        "\"max_down\":0,\"age\":1,\"deadline_in\":1,\"finished_ago\":0},"
        "\"txn-999999\":{\"app\":\"web\",\"kind\":\"launch\",\"status\":\"done\",\"target\":1,"
        "\"max_down\":0,\"age\":2,\"deadline_in\":1,\"finished_ago\":1}}}";
    REQUIRE_TRUE(orch_from_json(NULL, of_json(doc), 10, &o, NULL) == HDRF_OK);
    REQUIRE_TRUE(orch_txn_count(o) == 2);
    ASSERT_STR(orch_txn_at(o, 0)->id, "txn-999999");
    ASSERT_STR(orch_txn_at(o, 1)->id, "txn-1000000");
    CU_ASSERT_EQUAL(orch_txn_at(o, 0)->created_at, 8);
    CU_ASSERT_EQUAL(orch_txn_at(o, 0)->finished_at, 9);
    orch_free(o);
    of_json(NULL); /* releases the document */
}

/* ---- metrics ------------------------------------------------------------------------- */

/* The run, and its counts by hand:
 *   0  submit web (3 of cpus:1;mem:128)                         txn-000000
 *   1  offers a1, a2 (role any) and a3 (role "other"): 3 received; web.0,
 *      web.2 on a1 and web.1 on a2: 2 used, 3 launches; a3 declined: 1
 *   2  web.0, web.1 RUNNING; 3 web.2 STAGING; 4 web.2 RUNNING: launch done
 *      after 4 s (bucket le=5)
 *   10 scale to 1: kills web.2 and web.1 (newest first): 2 kills
 *   11, 12 both TASK_KILLED: scale done after 2 s (le=5)         txn-000001
 *   20 submit db with a 30 s timeout; 50 tick: failed after 30 s (le=30)
 *   the program counts 1 reconnect.
 * Updates: STAGING 1, RUNNING 3, KILLED 2. Latency sum 4 + 2 + 30 = 36.
 * Now: 2 apps (web, db); web.0 RUNNING is the only task (db never got an
 * offer). */
static const char *const expected_metrics[] = {
    "# HELP hdrf_sched_offers_received_total Offers received from the master.",
    "# TYPE hdrf_sched_offers_received_total counter",
    "hdrf_sched_offers_received_total 3",
    "# HELP hdrf_sched_offers_used_total Offers accepted with at least one task.",
    "# TYPE hdrf_sched_offers_used_total counter",
    "hdrf_sched_offers_used_total 2",
    "# HELP hdrf_sched_offers_declined_total Offers declined whole.",
    "# TYPE hdrf_sched_offers_declined_total counter",
    "hdrf_sched_offers_declined_total 1",
    "# HELP hdrf_sched_launches_total Tasks launched.",
    "# TYPE hdrf_sched_launches_total counter",
    "hdrf_sched_launches_total 3",
    "# HELP hdrf_sched_kills_total Kill requests sent, repeats included.",
    "# TYPE hdrf_sched_kills_total counter",
    "hdrf_sched_kills_total 2",
    "# HELP hdrf_sched_reconnects_total Connections to the master lost and tried again.",
    "# TYPE hdrf_sched_reconnects_total counter",
    "hdrf_sched_reconnects_total 1",
    "# HELP hdrf_sched_task_status_updates_total Task status updates received, by task state.",
    "# TYPE hdrf_sched_task_status_updates_total counter",
    "hdrf_sched_task_status_updates_total{state=\"TASK_STAGING\"} 1",
    "hdrf_sched_task_status_updates_total{state=\"TASK_STARTING\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_RUNNING\"} 3",
    "hdrf_sched_task_status_updates_total{state=\"TASK_KILLING\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_FINISHED\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_FAILED\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_KILLED\"} 2",
    "hdrf_sched_task_status_updates_total{state=\"TASK_ERROR\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_LOST\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_DROPPED\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_UNREACHABLE\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_GONE\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_GONE_BY_OPERATOR\"} 0",
    "hdrf_sched_task_status_updates_total{state=\"TASK_UNKNOWN\"} 0",
    "# HELP hdrf_sched_transactions_total Transactions finished, by kind and outcome.",
    "# TYPE hdrf_sched_transactions_total counter",
    "hdrf_sched_transactions_total{kind=\"launch\",status=\"done\"} 1",
    "hdrf_sched_transactions_total{kind=\"launch\",status=\"failed\"} 1",
    "hdrf_sched_transactions_total{kind=\"launch\",status=\"superseded\"} 0",
    "hdrf_sched_transactions_total{kind=\"scale\",status=\"done\"} 1",
    "hdrf_sched_transactions_total{kind=\"scale\",status=\"failed\"} 0",
    "hdrf_sched_transactions_total{kind=\"scale\",status=\"superseded\"} 0",
    "hdrf_sched_transactions_total{kind=\"update\",status=\"done\"} 0",
    "hdrf_sched_transactions_total{kind=\"update\",status=\"failed\"} 0",
    "hdrf_sched_transactions_total{kind=\"update\",status=\"superseded\"} 0",
    "hdrf_sched_transactions_total{kind=\"delete\",status=\"done\"} 0",
    "hdrf_sched_transactions_total{kind=\"delete\",status=\"failed\"} 0",
    "hdrf_sched_transactions_total{kind=\"delete\",status=\"superseded\"} 0",
    "hdrf_sched_transactions_total{kind=\"reschedule\",status=\"done\"} 0",
    "hdrf_sched_transactions_total{kind=\"reschedule\",status=\"failed\"} 0",
    "hdrf_sched_transactions_total{kind=\"reschedule\",status=\"superseded\"} 0",
    "# HELP hdrf_sched_transaction_seconds Time from a transaction's creation to its end (done "
    "or failed).",
    "# TYPE hdrf_sched_transaction_seconds histogram",
    "hdrf_sched_transaction_seconds_bucket{le=\"1\"} 0",
    "hdrf_sched_transaction_seconds_bucket{le=\"5\"} 2",
    "hdrf_sched_transaction_seconds_bucket{le=\"10\"} 2",
    "hdrf_sched_transaction_seconds_bucket{le=\"30\"} 3",
    "hdrf_sched_transaction_seconds_bucket{le=\"60\"} 3",
    "hdrf_sched_transaction_seconds_bucket{le=\"300\"} 3",
    "hdrf_sched_transaction_seconds_bucket{le=\"600\"} 3",
    "hdrf_sched_transaction_seconds_bucket{le=\"1800\"} 3",
    "hdrf_sched_transaction_seconds_bucket{le=\"+Inf\"} 3",
    "hdrf_sched_transaction_seconds_sum 36",
    "hdrf_sched_transaction_seconds_count 3",
    "# HELP hdrf_sched_apps Applications kept running (being deleted included).",
    "# TYPE hdrf_sched_apps gauge",
    "hdrf_sched_apps 2",
    "# HELP hdrf_sched_tasks Live tasks, by state.",
    "# TYPE hdrf_sched_tasks gauge",
    "hdrf_sched_tasks{state=\"TASK_LAUNCHING\"} 0",
    "hdrf_sched_tasks{state=\"TASK_STAGING\"} 0",
    "hdrf_sched_tasks{state=\"TASK_STARTING\"} 0",
    "hdrf_sched_tasks{state=\"TASK_RUNNING\"} 1",
    "hdrf_sched_tasks{state=\"TASK_KILLING\"} 0",
    "# HELP hdrf_sched_tasks_health Live tasks, by their health check's last report (unknown: "
    "none).",
    "# TYPE hdrf_sched_tasks_health gauge",
    "hdrf_sched_tasks_health{health=\"unknown\"} 0",
    "hdrf_sched_tasks_health{health=\"healthy\"} 0",
    "hdrf_sched_tasks_health{health=\"unhealthy\"} 1",
};

static void test_metrics_text(void)
{
    orch_fx f;
    orch_out out = {0};
    char *text, *line, *save = NULL;
    size_t n = 0, want = sizeof expected_metrics / sizeof expected_metrics[0];
    REQUIRE_TRUE(of_init(&f, NULL));
    REQUIRE_TRUE(of_submit(&f, WEB(3, "cpus:1;mem:128"), 0, NULL, &out));
    orch_out_free(&out);
    f.now = 1;
    of_offer(&f, "a1", "cpus:4;mem:1024");
    of_offer(&f, "a2", "cpus:4;mem:1024");
    of_offer_role(&f, "a3", "cpus:4;mem:1024", "other");
    REQUIRE_TRUE(of_offers(&f, &out));
    CU_ASSERT_EQUAL(out.n_launches, 3);
    orch_out_free(&out);
    of_update(&f, 2, "web.0", ORCH_TASK_RUNNING);
    of_update(&f, 2, "web.1", ORCH_TASK_RUNNING);
    of_update(&f, 3, "web.2", ORCH_TASK_STAGING);
    of_update(&f, 4, "web.2", ORCH_TASK_RUNNING);
    REQUIRE_TRUE(orch_scale(f.o, "web", 1, 0, 10, NULL, &out, NULL) == HDRF_OK);
    orch_out_free(&out);
    of_update(&f, 11, "web.2", ORCH_TASK_KILLED);
    of_update(&f, 12, "web.1", ORCH_TASK_KILLED);
    f.now = 20;
    REQUIRE_TRUE(of_submit(&f, WEB_ID("db", 1, "cpus:1"), 30, NULL, &out));
    orch_out_free(&out);
    of_tick(&f, 50, &out);
    orch_out_free(&out);
    orch_metrics(f.o)->reconnects++;
    /* web.0, the one live task, reported healthy, then unhealthy */
    orch_task_info info;
    REQUIRE_TRUE(orch_task_find(f.o, "web.0", &info));
    CU_ASSERT_EQUAL(info.healthy, -1);
    CU_ASSERT_EQUAL(orch_task_health(f.o, "web.0", true), HDRF_OK);
    CU_ASSERT_EQUAL(orch_task_health(f.o, "web.0", false), HDRF_OK);
    CU_ASSERT_EQUAL(orch_task_health(f.o, "nope.0", true), HDRF_ENOTFOUND);
    REQUIRE_TRUE(orch_task_find(f.o, "web.0", &info));
    CU_ASSERT_EQUAL(info.healthy, 0);

    text = orch_metrics_text(f.o);
    REQUIRE(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
        if (n < want && strcmp(line, expected_metrics[n]) != 0)
            fprintf(stderr, "\n  line %zu: got  %s\n           want %s\n", n + 1, line,
                    expected_metrics[n]);
        CU_ASSERT_TRUE(n < want && strcmp(line, expected_metrics[n]) == 0);
    }
    CU_ASSERT_EQUAL(n, want);
    free(text);
    of_free(&f);
}

int suite_orch_state(void)
{
    static const test_case cases[] = {
        {"round trip: same document, same decisions", test_round_trip_same_decisions},
        {"a standby launches only what is missing", test_standby_launches_only_what_is_missing},
        {"a task running longer than the clock", test_running_longer_than_the_clock},
        {"bad state documents name the member", test_bad_state_documents},
        {"transactions restored in creation order", test_txn_order_restored},
        {"metrics text, line by line", test_metrics_text},
        {NULL, NULL},
    };
    return test_add_suite("orch_state", cases);
}
