/* test_sched_http.c: the scheduler's connection to a master, over sockets.
 *
 * Owns the proof that scheduler/sched_http.c speaks the v1 scheduler API
 * as a real Mesos 1.11.0 master expects and survives what a master and a
 * network do to it. A loopback stub (http_stub.h) replays the recorded
 * traffic of test/data/ (copied from the shared fixtures): the protobuf
 * and JSON SUBSCRIBE streams with their headers, the whole protobuf
 * session, the 307 of a non-leading master (pointed at a second stub),
 * the 400 with its text, and cut, oversize and undecodable streams made
 * from the recordings. Time is the test's clock, moved by hand. The
 * expectations come from elsewhere than the code under test:
 *  - the SUBSCRIBE body is what `protoc --encode` makes of
 *    subscribe-call.txt (the recorded call), the other calls what protoc
 *    makes of their text written out here, or, for the session, the calls
 *    the recorded scheduler sent (session.calls.json);
 *  - events, ids and the stream id are read off the recordings;
 *  - reconnect delays follow the backoff worked out by hand (and, with
 *    jitter, drawn from test/prng.h's splitmix64 with the same seed);
 *  - failures name what the recordings make them: the master's 400 text,
 *    the byte where a frame was cut. */
#include "test/http_stub.h"
#include "test/prng.h"
#include "test/protoc_harness.h"
#include "test/session.h"
#include "test/test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler/calls.h"
#include "scheduler/recordio.h"
#include "scheduler/sched_http.h"

#define CALL "mesos.v1.scheduler.Call"
#define SUB_PB_FRAMEWORK MASTER_ID "-0001"
#define SUB_PB_STREAM "05971cd6-efc7-4c0e-bee6-0667c987a301"
#define SUB_JSON_FRAMEWORK MASTER_ID "-0000"
#define SUB_JSON_STREAM "308383b8-90fe-4ee2-8216-9cab1b059c4c"
#define API "/master/api/v1/scheduler"
#define MAX_SEEN 32

/* ---- the harness: a client, its stubs, and what its callbacks saw ---------------- */

typedef struct harness harness;

struct harness {
    int64_t now; /* the client's clock */
    http_stub *stub, *stub2;
    sched_http *c;
    Mesos__V1__Scheduler__Call *subscribe; /* holds the recorded FrameworkInfo */
    sched_event *events[MAX_SEEN];
    size_t n_events;
    sched_http_state states[MAX_SEEN];
    sched_error whys[MAX_SEEN]; /* status HDRF_OK where no reason came */
    size_t n_states;
    size_t cursor; /* states[cursor] is the next one a test checks */
    uint64_t done_ids[MAX_SEEN];
    sched_error done[MAX_SEEN];
    size_t n_done;
    char errors[MAX_SEEN][400]; /* log lines at error level */
    size_t n_errors;
    void (*react)(harness *h, const sched_event *ev); /* the test's framework logic */
    void *data;
};

static int64_t test_clock(void *arg) { return ((harness *)arg)->now; }

static void on_event(void *arg, const sched_event *ev)
{
    harness *h = arg;
    uint8_t *wire = NULL;
    size_t len = 0;
    if (h->n_events < MAX_SEEN && pack(&ev->base, &wire, &len) == 0)
        h->events[h->n_events++] = mesos__v1__scheduler__event__unpack(NULL, len, wire);
    free(wire);
    if (h->react)
        h->react(h, ev);
}

static void on_state(void *arg, sched_http_state state, const sched_error *why)
{
    harness *h = arg;
    if (h->n_states == MAX_SEEN)
        return;
    h->states[h->n_states] = state;
    if (why)
        h->whys[h->n_states] = *why;
    else
        sched_error_clear(&h->whys[h->n_states]);
    h->n_states++;
}

static void on_call_done(void *arg, uint64_t id, const sched_error *result)
{
    harness *h = arg;
    if (h->n_done == MAX_SEEN)
        return;
    h->done_ids[h->n_done] = id;
    h->done[h->n_done++] = *result;
}

static void on_log(void *arg, sched_log_level level, const char *line)
{
    harness *h = arg;
    if (getenv("SCHED_HTTP_TRACE"))
        fprintf(stderr, "[%lld] %s: %s\n", (long long)h->now, sched_log_level_name(level), line);
    if (level == SCHED_LOG_ERROR && h->n_errors < MAX_SEEN)
        snprintf(h->errors[h->n_errors++], sizeof h->errors[0], "%s", line);
}

/* The SUBSCRIBE call of subscribe-call.txt, as protoc encodes it. */
static int recorded_subscribe(owned *wire)
{
    char *text = NULL;
    long len = test_read_file(test_data_path("subscribe-call.txt"), &text);
    int rc = len > 0 ? protoc_run("--encode=" CALL, text, (size_t)len, wire) : -1;
    free(text);
    return rc;
}

static sched_http_config base_config(harness *h, uint16_t port, wire_content_type type)
{
    sched_http_config cfg = {
        .framework = h->subscribe->subscribe->framework_info,
        .content_type = type,
        .callbacks = {on_event, on_state, on_call_done, h},
        .log = {on_log, h, SCHED_LOG_DEBUG},
        .clock = {test_clock, h},
        .backoff = {.initial_ms = 1000, .max_ms = 60000},
        .connect_timeout_ms = 2000,
        .call_timeout_ms = 2000,
    };
    snprintf(cfg.master.host, sizeof cfg.master.host, "127.0.0.1");
    cfg.master.port = port;
    snprintf(cfg.master.path, sizeof cfg.master.path, API);
    return cfg;
}

/* Starts the stub and prepares the harness; the client comes with connect(). */
static int setup(harness *h)
{
    owned wire = {NULL, 0};
    memset(h, 0, sizeof *h);
    h->now = 1000000;
    if (recorded_subscribe(&wire) != 0 ||
        !(h->subscribe =
              mesos__v1__scheduler__call__unpack(NULL, wire.len, (uint8_t *)wire.data)) ||
        !(h->stub = stub_start())) {
        free(wire.data);
        CU_FAIL("test setup failed");
        return -1;
    }
    free(wire.data);
    return 0;
}

static int connect_with(harness *h, const sched_http_config *cfg)
{
    sched_error err;
    int rc = sched_http_create(cfg, &h->c, &err);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        return -1;
    sched_http_start(h->c);
    return 0;
}

static void teardown(harness *h)
{
    sched_http_destroy(h->c);
    stub_stop(h->stub);
    stub_stop(h->stub2);
    for (size_t i = 0; i < h->n_events; i++)
        wire_event_free(h->events[i]);
    wire_call_free(h->subscribe);
}

/* Queues the reply made of a recorded head and a recorded (or given) body. */
static int push_recorded(http_stub *stub, const char *head_file, const char *body_file,
                         size_t body_len, size_t chunk, stub_end end)
{
    char *head = NULL, *body = NULL;
    long hl = test_read_file(test_data_path(head_file), &head);
    long bl = body_file ? test_read_file(test_data_path(body_file), &body) : 0;
    stub_reply r = {head, body, body_len && (long)body_len < bl ? body_len : (size_t)bl, chunk,
                    end};
    int rc = hl > 0 && bl >= 0 ? stub_push(stub, &r) : -1;
    free(head);
    free(body);
    CU_ASSERT_EQUAL(rc, 0);
    return rc;
}

/* ---- driving the loop ----------------------------------------------------------------- */

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef enum { EVENTS, STATES, DONE, SUBSCRIBES, SUBSCRIBES2, REQUESTS } counter;

static size_t count(harness *h, counter what)
{
    switch (what) {
    case EVENTS:
        return h->n_events;
    case STATES:
        return h->n_states;
    case DONE:
        return h->n_done;
    case SUBSCRIBES:
        return stub_subscribes(h->stub);
    case SUBSCRIBES2:
        return stub_subscribes(h->stub2);
    case REQUESTS:
        break;
    }
    return stub_count(h->stub);
}

/* Polls until `what` reaches n (true), or 5 s of real time pass (false). */
static bool pump_until(harness *h, counter what, size_t n)
{
    int64_t give_up = real_ms() + 5000;
    sched_error err;
    while (count(h, what) < n && real_ms() < give_up)
        if (sched_http_poll(h->c, NULL, 0, 5, &err) != HDRF_OK)
            return false;
    return count(h, what) >= n;
}

/* Polls for `ms` of real time: for checking that nothing happens. */
static void pump_for(harness *h, int ms)
{
    int64_t until = real_ms() + ms;
    sched_error err;
    while (real_ms() < until)
        sched_http_poll(h->c, NULL, 0, 5, &err);
}

/* Waits for the next state change not checked yet and checks it; returns
 * its reason. */
static const sched_error *expect_state(harness *h, sched_http_state want)
{
    size_t seen = h->cursor++;
    bool arrived = pump_until(h, STATES, seen + 1);
    CU_ASSERT_TRUE(arrived);
    if (!arrived)
        return NULL;
    CU_ASSERT_EQUAL(h->states[seen], want);
    if (h->states[seen] != want)
        fprintf(stderr, "\n  state %s, want %s (%s)\n", sched_http_state_name(h->states[seen]),
                sched_http_state_name(want), h->whys[seen].text);
    return &h->whys[seen];
}

/* Passes over the state changes so far: the test checks later ones. */
static void skip_states(harness *h) { h->cursor = h->n_states; }

static void expect_text(const char *got, const char *want)
{
    ASSERT_STR(got, want);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", got, want);
}

/* "http://127.0.0.1:<port>/master/api/v1/scheduler" */
static const char *url_of(http_stub *stub)
{
    static char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u" API, (unsigned)stub_port(stub));
    return url;
}

/* Sends the call a builder put in *call (read only once `built` is
 * known), frees it, and waits for its answer; returns its index in done. */
static size_t send_and_wait(harness *h, int built, sched_call **call)
{
    uint64_t id = 0;
    sched_error err;
    size_t before = h->n_done;
    CU_ASSERT_EQUAL(built, HDRF_OK);
    CU_ASSERT_PTR_NOT_NULL(*call);
    if (*call)
        CU_ASSERT_EQUAL(sched_http_send(h->c, *call, &id, &err), HDRF_OK);
    wire_call_free(*call);
    *call = NULL;
    CU_ASSERT_TRUE(pump_until(h, DONE, before + 1));
    CU_ASSERT_EQUAL(h->n_done > before ? h->done_ids[before] : 0, id);
    return before;
}

/* Checks request `i` of `stub`: a call with the stream id, in `type`. */
static void expect_call_request(http_stub *stub, size_t i, const char *media, const char *stream,
                                stub_request *r)
{
    memset(r, 0, sizeof *r);
    CU_ASSERT_EQUAL_FATAL(stub_request_get(stub, i, r), 0);
    ASSERT_STR(r->method, "POST");
    ASSERT_STR(r->path, API);
    ASSERT_STR(r->content_type, media);
    ASSERT_STR(r->accept, media);
    CU_ASSERT_TRUE(r->has_stream_id);
    ASSERT_STR(r->stream_id, stream);
}

/* ---- subscription and calls, protobuf ------------------------------------------------- */

static void test_protobuf_subscription(void)
{
    harness h;
    sched_http_config cfg;
    stub_request r;
    owned want = {NULL, 0};
    sched_call *call = NULL;
    sched_error err;
    const char *offer = MASTER_ID "-O1", *role = "eng";
    const sched_event *ev;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    if (push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 100, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    /* Calls need the subscription's stream id: none before it. */
    CU_ASSERT_EQUAL(sched_call_teardown(&call, &err), HDRF_OK);
    CU_ASSERT_EQUAL(sched_http_send(h.c, call, NULL, &err), SCHED_HTTP_ENOTSUBSCRIBED);
    expect_text(err.text, "TEARDOWN: not subscribed (subscribing)");
    wire_call_free(call);

    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    REQUIRE_TRUE(h.n_events == 3);
    CU_ASSERT_EQUAL(h.events[0]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED);
    CU_ASSERT_EQUAL(h.events[1]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT);
    CU_ASSERT_EQUAL(h.events[2]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS);
    ev = h.events[0];
    CU_ASSERT_TRUE(ev->subscribed && ev->subscribed->heartbeat_interval_seconds == 15);
    ev = h.events[2];
    REQUIRE_TRUE(ev->offers && ev->offers->n_offers == 1);
    ASSERT_STR(ev->offers->offers[0]->id->value, MASTER_ID "-O1");
    ASSERT_STR(ev->offers->offers[0]->hostname, "localhost");
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBED);
    ASSERT_STR(sched_http_stream_id(h.c), SUB_PB_STREAM);
    ASSERT_STR(sched_http_framework_id(h.c), SUB_PB_FRAMEWORK);
    CU_ASSERT_TRUE(h.n_states == 2 && h.states[0] == SCHED_HTTP_SUBSCRIBING &&
                   h.states[1] == SCHED_HTTP_SUBSCRIBED);

    /* The SUBSCRIBE went out as the recorded scheduler sent it. */
    CU_ASSERT_EQUAL(stub_subscribes(h.stub), 1);
    CU_ASSERT_EQUAL_FATAL(stub_request_get(h.stub, 0, &r), 0);
    ASSERT_STR(r.method, "POST");
    ASSERT_STR(r.path, API);
    ASSERT_STR(r.content_type, "application/x-protobuf");
    ASSERT_STR(r.accept, "application/x-protobuf");
    CU_ASSERT_FALSE(r.has_stream_id);
    CU_ASSERT_EQUAL(recorded_subscribe(&want), 0);
    CU_ASSERT_TRUE(r.body_len == want.len && memcmp(r.body, want.data, want.len) == 0);
    free(want.data);
    stub_request_free(&r);

    /* Calls: each on its own request with the stream id, its body what
     * protoc encodes from the text, the framework id stamped in. */
    static const struct {
        const char *text;
    } expected[] = {
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: DECLINE decline {"
         " offer_ids { value: \"" MASTER_ID "-O1\" } filters { refuse_seconds: 3600 } }"},
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: SUPPRESS suppress {"
         " roles: \"eng\" }"},
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: REVIVE revive { roles: \"eng\" }"},
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: KILL kill {"
         " task_id { value: \"hello-1\" } agent_id { value: \"" AGENT_ID "\" } }"},
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: RECONCILE reconcile { }"},
        {"framework_id { value: \"" SUB_PB_FRAMEWORK "\" } type: MESSAGE message {"
         " agent_id { value: \"" AGENT_ID "\" } executor_id { value: \"default\" }"
         " data: \"ping\" }"},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        int built = HDRF_EINVAL;
        size_t k;
        switch (i) {
        case 0:
            built = sched_call_decline(&offer, 1, 3600, &call, &err);
            break;
        case 1:
            built = sched_call_suppress(&role, 1, &call, &err);
            break;
        case 2:
            built = sched_call_revive(&role, 1, &call, &err);
            break;
        case 3:
            built = sched_call_kill("hello-1", AGENT_ID, NULL, &call, &err);
            break;
        case 4:
            built = sched_call_reconcile(NULL, 0, &call, &err);
            break;
        case 5:
            built = sched_call_message(AGENT_ID, "default", "ping", 4, &call, &err);
            break;
        }
        k = send_and_wait(&h, built, &call);
        call = NULL;
        CU_ASSERT_EQUAL(h.done[k].status, HDRF_OK);
        expect_call_request(h.stub, i + 1, "application/x-protobuf", SUB_PB_STREAM, &r);
        check_protoc_encodes_bytes(r.body, r.body_len, CALL, expected[i].text);
        stub_request_free(&r);
    }
out:
    teardown(&h);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* Compares a JSON body with JSON text written out here. */
static void expect_json(const uint8_t *body, size_t len, const char *want_text)
{
    json_t *got = json_loadb((const char *)body, len, 0, NULL);
    json_t *want = json_loads(want_text, 0, NULL);
    CU_ASSERT_TRUE(got && want && json_equal(got, want));
    if (!(got && want && json_equal(got, want)))
        fprintf(stderr, "\n  got  %.*s\n  want %s\n", (int)len, (const char *)body, want_text);
    json_decref(got);
    json_decref(want);
}

static void test_json_subscription(void)
{
    harness h;
    sched_http_config cfg;
    stub_request r;
    sched_call *call = NULL;
    sched_error err;
    const char *offer = MASTER_ID "-O0";
    const Mesos__V1__Scheduler__Event__Subscribed *sub;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_JSON);
    if (push_recorded(h.stub, "sub-json.headers", "sub-json.recordio", 0, 64, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    REQUIRE_TRUE(h.n_events == 3);
    sub = h.events[0]->subscribed;
    REQUIRE(sub);
    ASSERT_STR(sub->framework_id->value, SUB_JSON_FRAMEWORK);
    CU_ASSERT_EQUAL(sub->heartbeat_interval_seconds, 15);
    ASSERT_STR(sub->master_info->pid, "master@127.0.0.1:5050");
    CU_ASSERT_EQUAL(h.events[1]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT);
    REQUIRE_TRUE(h.events[2]->offers && h.events[2]->offers->n_offers == 1);
    ASSERT_STR(h.events[2]->offers->offers[0]->id->value, MASTER_ID "-O0");
    ASSERT_STR(sched_http_stream_id(h.c), SUB_JSON_STREAM);

    /* subscribe-call.txt in Mesos's JSON, by hand. */
    CU_ASSERT_EQUAL_FATAL(stub_request_get(h.stub, 0, &r), 0);
    ASSERT_STR(r.content_type, "application/json");
    ASSERT_STR(r.accept, "application/json");
    expect_json(r.body, r.body_len,
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\","
                "\"name\":\"fixture-protobuf\",\"roles\":[\"eng\"],\"capabilities\":[{\"type\":"
                "\"MULTI_ROLE\"},{\"type\":\"RESERVATION_REFINEMENT\"}],"
                "\"failover_timeout\":60.0}}}");
    stub_request_free(&r);

    send_and_wait(&h, sched_call_decline(&offer, 1, 3600, &call, &err), &call);
    expect_call_request(h.stub, 1, "application/json", SUB_JSON_STREAM, &r);
    expect_json(r.body, r.body_len,
                "{\"framework_id\":{\"value\":\"" SUB_JSON_FRAMEWORK "\"},\"type\":\"DECLINE\","
                "\"decline\":{\"offer_ids\":[{\"value\":\"" MASTER_ID "-O0\"}],"
                "\"filters\":{\"refuse_seconds\":3600.0}}}");
    stub_request_free(&r);
out:
    teardown(&h);
}

/* ---- the recorded session -------------------------------------------------------------- */

/* The recorded scheduler's logic: accept the offer with the recorded
 * launch, acknowledge every update. `data` holds the recorded ACCEPT. */
static void session_logic(harness *h, const sched_event *ev)
{
    const sched_call *recorded = h->data;
    const char *offer;
    sched_call *call = NULL;
    sched_error err;
    int built = HDRF_EINVAL;
    if (ev->type == MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS) {
        offer = ev->offers->offers[0]->id->value;
        built = sched_call_accept(
            &offer, 1, (const Mesos__V1__Offer__Operation *const *)recorded->accept->operations,
            recorded->accept->n_operations, recorded->accept->filters->refuse_seconds, &call, &err);
    } else if (ev->type == MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE) {
        built = sched_call_acknowledge(ev->update->status, &call, &err);
    } else {
        return;
    }
    CU_ASSERT_EQUAL(built, HDRF_OK);
    if (call)
        CU_ASSERT_EQUAL(sched_http_send(h->c, call, NULL, &err), HDRF_OK);
    wire_call_free(call);
}

/* The recorded calls of session.calls.json, packed. */
static size_t recorded_calls(uint8_t **wire, size_t *len, size_t max, sched_call **accept)
{
    char *text = NULL;
    long tl = test_read_file(test_data_path("session.calls.json"), &text);
    json_t *doc = tl > 0 ? json_loads(text, 0, NULL) : NULL, *calls = json_object_get(doc, "calls");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(calls) && n < max; i++) {
        char *one = json_dumps(json_object_get(json_array_get(calls, i), "call"), JSON_COMPACT);
        sched_call *call = NULL;
        if (one &&
            wire_call_decode(WIRE_JSON, (uint8_t *)one, strlen(one), &call, NULL) == HDRF_OK &&
            pack(&call->base, &wire[n], &len[n]) == 0)
            n++;
        if (call && call->type == MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT && !*accept)
            *accept = call;
        else
            wire_call_free(call);
        free(one);
    }
    json_decref(doc);
    free(text);
    return n;
}

static void test_recorded_session(void)
{
    harness h;
    sched_http_config cfg;
    uint8_t *want[8] = {NULL};
    size_t want_len[8], n_want;
    sched_call *accept = NULL, *call = NULL;
    sched_error err;
    bool matched[8] = {false};
    if (setup(&h) != 0)
        return;
    n_want = recorded_calls(want, want_len, 8, &accept);
    CU_ASSERT_EQUAL(n_want, 5); /* ACCEPT, 3 ACKNOWLEDGE, TEARDOWN */
    /* The session's master id names the framework; its stream id header
     * was not recorded, so the stub sends the protobuf subscription's. */
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    h.react = session_logic;
    h.data = accept;
    if (n_want != 5 || !accept ||
        push_recorded(h.stub, "sub-pb.headers", "session.recordio", 0, 37, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 6));
    CU_ASSERT_TRUE(pump_until(&h, DONE, 4));
    CU_ASSERT_EQUAL(sched_call_teardown(&call, &err), HDRF_OK);
    send_and_wait(&h, HDRF_OK, &call);
    CU_ASSERT_EQUAL(stub_count(h.stub), 6);
    /* Every recorded call was sent once, byte for byte (the ACKNOWLEDGEs
     * may overtake each other: they travel on parallel connections). */
    for (size_t i = 1; i < stub_count(h.stub); i++) {
        stub_request r;
        expect_call_request(h.stub, i, "application/x-protobuf", SUB_PB_STREAM, &r);
        for (size_t k = 0; k < n_want; k++)
            if (!matched[k] && r.body_len == want_len[k] &&
                memcmp(r.body, want[k], r.body_len) == 0) {
                matched[k] = true;
                break;
            }
        stub_request_free(&r);
    }
    for (size_t k = 0; k < n_want; k++)
        CU_ASSERT_TRUE(matched[k]);
    for (size_t i = 0; i < h.n_done; i++)
        CU_ASSERT_EQUAL(h.done[i].status, HDRF_OK);
    /* The master ends the stream of a torn-down framework: no reconnect. */
    skip_states(&h);
    stub_close_held(h.stub);
    expect_state(&h, SCHED_HTTP_DISCONNECTED);
    h.now += 3600 * 1000;
    pump_for(&h, 30);
    CU_ASSERT_EQUAL(stub_subscribes(h.stub), 1);
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_DISCONNECTED);
out:
    for (size_t i = 0; i < 8; i++)
        free(want[i]);
    wire_call_free(accept);
    teardown(&h);
}

/* ---- redirects -------------------------------------------------------------------------- */

static void test_redirect_to_leader(void)
{
    harness h;
    sched_http_config cfg;
    char *head = NULL, *edited = NULL, *at;
    char port[16];
    stub_request r;
    sched_call *call = NULL;
    sched_error err;
    const char *offer = MASTER_ID "-O1";
    const sched_error *why;
    long len;
    if (setup(&h) != 0)
        return;
    /* The recorded 307 names localhost:5050; the leader here is stub2. */
    h.stub2 = stub_start();
    len = test_read_file(test_data_path("redirect.headers"), &head);
    REQUIRE_TRUE(h.stub2 && len > 0 && (at = strstr(head, "localhost:5050")));
    snprintf(port, sizeof port, "%u", (unsigned)stub_port(h.stub2));
    edited = calloc(1, (size_t)len + 16);
    if (edited) {
        memcpy(edited, head, (size_t)(at - head) + strlen("localhost:"));
        strcat(edited, port);
        strcat(edited, at + strlen("localhost:5050"));
        CU_ASSERT_EQUAL(stub_push(h.stub, &(stub_reply){edited, "", 0, 0, STUB_END}), 0);
    }
    free(head);
    free(edited);
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    if (push_recorded(h.stub2, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    CU_ASSERT_EQUAL(stub_subscribes(h.stub), 1);
    CU_ASSERT_EQUAL(stub_subscribes(h.stub2), 1);
    ASSERT_STR(sched_http_master(h.c)->host, "localhost");
    CU_ASSERT_EQUAL(sched_http_master(h.c)->port, stub_port(h.stub2));
    ASSERT_STR(sched_http_master(h.c)->path, API);
    /* The same SUBSCRIBE, re-sent to the leader at the Location's path. */
    CU_ASSERT_EQUAL_FATAL(stub_request_get(h.stub2, 0, &r), 0);
    ASSERT_STR(r.path, API);
    CU_ASSERT_FALSE(r.has_stream_id);
    stub_request_free(&r);
    /* Calls go to the leader, with its stream id. */
    send_and_wait(&h, sched_call_decline(&offer, 1, 1, &call, &err), &call);
    CU_ASSERT_EQUAL(stub_count(h.stub), 1);
    expect_call_request(h.stub2, 1, "application/x-protobuf", SUB_PB_STREAM, &r);
    stub_request_free(&r);
    /* When the leader's stream ends, the next attempt asks the configured
     * master again: leadership may have moved since the redirect. */
    skip_states(&h);
    stub_close_held(h.stub2);
    why = expect_state(&h, SCHED_HTTP_BACKOFF);
    CU_ASSERT_TRUE(why && why->status == SCHED_HTTP_ETRANSPORT);
    h.now += 1000;
    CU_ASSERT_TRUE(pump_until(&h, SUBSCRIBES, 2));
    CU_ASSERT_EQUAL(stub_subscribes(h.stub2), 1);
out:
    teardown(&h);
}

/* ---- the master's errors, heartbeats and backoff ----------------------------------------- */

static void test_bad_request(void)
{
    harness h;
    sched_http_config cfg;
    char want[400], *head = NULL, *body = NULL;
    const char *offer = MASTER_ID "-O1";
    const sched_error *why;
    sched_call *call = NULL;
    sched_error err;
    size_t k;
    long hl, bl;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    if (push_recorded(h.stub, "badreq.headers", "badreq.body", 0, 0, STUB_END) != 0 ||
        push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_SUBSCRIBING));
    why = expect_state(&h, SCHED_HTTP_BACKOFF);
    REQUIRE(why);
    snprintf(want, sizeof want,
             "SUBSCRIBE to %s: 400 Bad Request: Failed to validate scheduler::Call: Expecting "
             "'subscribe' to be present",
             url_of(h.stub));
    CU_ASSERT_EQUAL(why->status, SCHED_HTTP_EHTTP);
    expect_text(why->text, want);
    strcat(want, "; reconnecting in 1000 ms");
    CU_ASSERT_TRUE(h.n_errors == 1);
    expect_text(h.errors[0], want);
    CU_ASSERT_EQUAL(sched_http_retry_at(h.c), h.now + 1000);
    /* Not a millisecond early. */
    h.now += 999;
    pump_for(&h, 20);
    CU_ASSERT_EQUAL(stub_subscribes(h.stub), 1);
    h.now += 1;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBED);

    /* A call the master refuses: the answer carries its message. */
    hl = test_read_file(test_data_path("badreq.headers"), &head);
    bl = test_read_file(test_data_path("badreq.body"), &body);
    CU_ASSERT_TRUE(
        hl > 0 && bl > 0 &&
        stub_set_call_reply(h.stub, &(stub_reply){head, body, (size_t)bl, 0, STUB_END}) == 0);
    free(head);
    free(body);
    k = send_and_wait(&h, sched_call_decline(&offer, 1, 1, &call, &err), &call);
    CU_ASSERT_EQUAL(h.done[k].status, SCHED_HTTP_EHTTP);
    expect_text(h.done[k].text, "DECLINE (call 1): 400 Bad Request: Failed to validate "
                                "scheduler::Call: Expecting 'subscribe' to be present");
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBED); /* a call's failure only */
out:
    teardown(&h);
}

/* Moves the clock to `t`, expects the next attempt there, and checks how
 * it ends: in BACKOFF until t + delay (503: no SUBSCRIBE queued). */
static void expect_retry_fails(harness *h, int64_t t, int64_t delay, size_t attempt)
{
    const sched_error *why;
    char want[300];
    h->now = t;
    CU_ASSERT_TRUE(pump_until(h, SUBSCRIBES, attempt));
    CU_ASSERT_PTR_NOT_NULL(expect_state(h, SCHED_HTTP_SUBSCRIBING));
    why = expect_state(h, SCHED_HTTP_BACKOFF);
    snprintf(want, sizeof want,
             "SUBSCRIBE to %s: 503 Service Unavailable: No master is currently leading",
             url_of(h->stub));
    if (why)
        expect_text(why->text, want);
    CU_ASSERT_EQUAL(sched_http_retry_at(h->c), t + delay);
}

static void test_heartbeat_timeout_and_backoff(void)
{
    harness h;
    sched_http_config cfg;
    const sched_error *why;
    char want[300];
    const int64_t t0 = 1000000;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    cfg.heartbeat_misses = 2; /* 2 x the recorded 15 s */
    cfg.backoff = (backoff_config){.initial_ms = 1000, .max_ms = 4000, .factor = 2};
    cfg.stable_ms = 20000;
    if (push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    skip_states(&h);
    /* The stream then goes silent. The last data came at t0. */
    h.now = t0 + 29999;
    pump_for(&h, 20);
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBED);
    h.now = t0 + 30000;
    why = expect_state(&h, SCHED_HTTP_BACKOFF);
    snprintf(want, sizeof want,
             "event stream from %s: nothing for 30000 ms (2 heartbeat intervals of 15000 ms)",
             url_of(h.stub));
    CU_ASSERT_TRUE(why && why->status == SCHED_HTTP_ETIMEOUT);
    if (why)
        expect_text(why->text, want);
    /* 1 s, then doubling to the cap of 4 s while the master answers 503. */
    CU_ASSERT_EQUAL(sched_http_retry_at(h.c), t0 + 31000);
    expect_retry_fails(&h, t0 + 31000, 2000, 2);
    expect_retry_fails(&h, t0 + 33000, 4000, 3);
    expect_retry_fails(&h, t0 + 37000, 4000, 4);
    /* Back, but the stream ends after 4 s: not stable, no reset. */
    push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD);
    h.now = t0 + 41000;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 6));
    ASSERT_STR(sched_http_framework_id(h.c), SUB_PB_FRAMEWORK);
    h.now = t0 + 45000;
    skip_states(&h);
    stub_close_held(h.stub);
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_BACKOFF));
    CU_ASSERT_EQUAL(sched_http_retry_at(h.c), t0 + 49000);
    /* Subscribed for 30 s >= stable_ms: the next failure starts over. */
    push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD);
    h.now = t0 + 49000;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 9));
    skip_states(&h);
    h.now = t0 + 79000;
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_BACKOFF));
    CU_ASSERT_EQUAL(sched_http_retry_at(h.c), t0 + 80000);
out:
    teardown(&h);
}

/* A failover re-subscription carries the framework id it was given. */
static void test_resubscribe_with_framework_id(void)
{
    harness h;
    sched_http_config cfg;
    stub_request r;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    cfg.heartbeat_misses = 1;
    if (push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    skip_states(&h);
    h.now += 15000;
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_BACKOFF));
    h.now += 1000;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 6));
    CU_ASSERT_EQUAL_FATAL(stub_request_get(h.stub, 1, &r), 0);
    check_protoc_encodes_bytes(r.body, r.body_len, CALL,
                               "framework_id { value: \"" SUB_PB_FRAMEWORK "\" }\n"
                               "type: SUBSCRIBE\n"
                               "subscribe { framework_info { user: \"root\"\n"
                               "  name: \"fixture-protobuf\"\n"
                               "  id { value: \"" SUB_PB_FRAMEWORK "\" }\n"
                               "  failover_timeout: 60 roles: \"eng\"\n"
                               "  capabilities { type: MULTI_ROLE }\n"
                               "  capabilities { type: RESERVATION_REFINEMENT } } }\n");
    stub_request_free(&r);
out:
    teardown(&h);
}

static void test_jittered_reconnects(void)
{
    harness h;
    sched_http_config cfg;
    prng p = {99};
    int64_t t, base = 1000;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    cfg.backoff =
        (backoff_config){.initial_ms = 1000, .max_ms = 60000, .jitter_permille = 500, .seed = 99};
    if (connect_with(&h, &cfg) != 0) /* nothing queued: every attempt gets 503 */
        goto out;
    t = h.now;
    for (size_t attempt = 1; attempt <= 4; attempt++, base *= 2) {
        int64_t delay = base - (int64_t)(prng_next(&p) % (uint64_t)(base / 2 + 1));
        expect_retry_fails(&h, t, delay, attempt);
        t += delay;
    }
out:
    teardown(&h);
}

/* A master that answers 200 but never sends SUBSCRIBED is given up on
 * after subscribe_timeout_ms; a new leader announced (from ZooKeeper, say)
 * is subscribed to at once, without backoff. */
static void test_subscribe_timeout_and_new_leader(void)
{
    harness h;
    sched_http_config cfg;
    const sched_error *why;
    char want[300];
    master_addr leader = {.port = 0};
    if (setup(&h) != 0)
        return;
    h.stub2 = stub_start();
    REQUIRE(h.stub2);
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    cfg.subscribe_timeout_ms = 5000;
    if (push_recorded(h.stub, "sub-pb.headers", NULL, 0, 0, STUB_HOLD) != 0 ||
        push_recorded(h.stub2, "sub-pb.headers", "sub-pb.recordio", 0, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_TRUE(pump_until(&h, SUBSCRIBES, 1));
    pump_for(&h, 20);
    h.now += 4999;
    pump_for(&h, 20);
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBING);
    h.now += 1;
    skip_states(&h);
    why = expect_state(&h, SCHED_HTTP_BACKOFF);
    snprintf(want, sizeof want, "SUBSCRIBE to %s: no SUBSCRIBED within 5000 ms", url_of(h.stub));
    CU_ASSERT_TRUE(why && why->status == SCHED_HTTP_ETIMEOUT);
    if (why)
        expect_text(why->text, want);
    /* In the middle of the backoff, the leader moves to stub2. */
    snprintf(leader.host, sizeof leader.host, "127.0.0.1");
    leader.port = stub_port(h.stub2);
    snprintf(leader.path, sizeof leader.path, API);
    sched_http_set_master(h.c, &leader);
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, 3));
    CU_ASSERT_EQUAL(stub_subscribes(h.stub2), 1);
    CU_ASSERT_EQUAL(sched_http_master(h.c)->port, stub_port(h.stub2));
out:
    teardown(&h);
}

/* ---- bad input from the wire ---------------------------------------------------------------- */

/* Serves `body` (a stream made from the recording) after the recorded
 * headers, expects the events that precede the fault, then a failure with
 * `status` and the message `detail` after "event stream from <url>: ", and
 * a reconnect that works. */
static void expect_stream_fault(const void *body, size_t len, stub_end end, size_t max_record,
                                size_t events_before, int status, const char *detail)
{
    harness h;
    sched_http_config cfg;
    const sched_error *why;
    char *head = NULL, want[400];
    long hl;
    if (setup(&h) != 0)
        return;
    cfg = base_config(&h, stub_port(h.stub), WIRE_PROTOBUF);
    cfg.max_record = max_record;
    hl = test_read_file(test_data_path("sub-pb.headers"), &head);
    CU_ASSERT_TRUE(hl > 0 && stub_push(h.stub, &(stub_reply){head, body, len, 50, end}) == 0);
    free(head);
    /* The reconnection gets SUBSCRIBED and HEARTBEAT (196 bytes). */
    if (push_recorded(h.stub, "sub-pb.headers", "sub-pb.recordio", 196, 0, STUB_HOLD) != 0 ||
        connect_with(&h, &cfg) != 0)
        goto out;
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_SUBSCRIBING));
    CU_ASSERT_PTR_NOT_NULL(expect_state(&h, SCHED_HTTP_SUBSCRIBED));
    why = expect_state(&h, SCHED_HTTP_BACKOFF);
    CU_ASSERT_EQUAL(h.n_events, events_before);
    snprintf(want, sizeof want, "event stream from %s: %s", url_of(h.stub), detail);
    CU_ASSERT_TRUE(why && why->status == status);
    if (why)
        expect_text(why->text, want);
    CU_ASSERT_EQUAL(h.n_errors, 1);
    /* Nothing broke: the next connection works. */
    h.now += 1000;
    CU_ASSERT_TRUE(pump_until(&h, EVENTS, events_before + 2));
    CU_ASSERT_EQUAL(sched_http_get_state(h.c), SCHED_HTTP_SUBSCRIBED);
out:
    teardown(&h);
}

static void test_truncated_frame(void)
{
    char *stream = NULL;
    long len = test_read_file(test_data_path("sub-pb.recordio"), &stream);
    REQUIRE_TRUE(len == 547);
    /* The OFFERS record is announced at byte 196 ("347\n") and starts at
     * 200: cut at 300, 100 of its 347 bytes have arrived; the HTTP body
     * itself ends properly. */
    expect_stream_fault(stream, 300, STUB_END, 1 << 20, 2, RECORDIO_ETRUNCATED,
                        "recordio: byte 300: the stream ended inside a record: 100 of 347 bytes "
                        "received");
    /* The same cut with the connection closed mid-body: a transport error. */
    expect_stream_fault(stream, 300, STUB_CUT, 1 << 20, 2, SCHED_HTTP_ETRANSPORT,
                        "transfer closed with outstanding read data remaining");
    free(stream);
}

static void test_oversize_record(void)
{
    char *stream = NULL;
    long len = test_read_file(test_data_path("sub-pb.recordio"), &stream);
    REQUIRE_TRUE(len == 547);
    /* With a limit of 300 bytes the third length, "347", is refused at
     * its last digit, byte 198. */
    expect_stream_fault(stream, 547, STUB_HOLD, 300, 2, RECORDIO_ETOOBIG,
                        "recordio: byte 198: a record longer than the limit of 300 bytes");
    free(stream);
}

static void test_undecodable_event(void)
{
    char *stream = NULL, *bad = NULL;
    long len = test_read_file(test_data_path("sub-pb.recordio"), &stream);
    REQUIRE_TRUE(len == 547);
    /* SUBSCRIBED as recorded, then a record of three bytes that are no
     * protobuf message (a field header whose varint never ends). */
    bad = malloc(192 + 5);
    REQUIRE(bad);
    memcpy(bad, stream, 192);
    memcpy(bad + 192, "3\n\xff\xff\xff", 5);
    expect_stream_fault(bad, 197, STUB_HOLD, 1 << 20, 1, HDRF_EINVAL,
                        "event 2: mesos.v1.scheduler.Event: 3 bytes that are not a valid "
                        "protobuf message (malformed, or a required field missing)");
    free(bad);
    free(stream);
}

int suite_sched_http(void)
{
    static const test_case cases[] = {
        {"protobuf subscription, events and calls", test_protobuf_subscription},
        {"JSON subscription and calls", test_json_subscription},
        {"the recorded session's calls", test_recorded_session},
        {"307 to the leading master", test_redirect_to_leader},
        {"400 with the master's message", test_bad_request},
        {"heartbeat timeout and backoff", test_heartbeat_timeout_and_backoff},
        {"re-subscription with the framework id", test_resubscribe_with_framework_id},
        {"jittered reconnects", test_jittered_reconnects},
        {"subscribe timeout, then a new leader", test_subscribe_timeout_and_new_leader},
        {"truncated frame", test_truncated_frame},
        {"oversize record", test_oversize_record},
        {"undecodable event", test_undecodable_event},
        {NULL, NULL},
    };
    return test_add_suite("sched_http", cases);
}
