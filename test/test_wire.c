/* test_wire.c: scheduler Events and Calls in protobuf and JSON.
 *
 * Owns the proof that scheduler/wire.c and the generic converter
 * scheduler/pbjson.c read and write what a real Mesos 1.11.0 master reads
 * and writes. Every expectation comes from the recordings in test/data/
 * (copied from the shared fixtures) or from Google's protoc, never from the
 * code under test:
 *  - the JSON event stream (sub-json.recordio) decodes to the values it
 *    spells out, and, packed to protobuf, prints under `protoc --decode`
 *    exactly as the protobuf recording of the same kind of session
 *    (session.events.txt) once the ids that differ are swapped;
 *  - re-encoding those JSON events as JSON gives back the master's JSON;
 *  - the recorded calls (session.calls.json) decode from JSON, re-encode to
 *    the same JSON, and as protobuf print under protoc as written out here;
 *    an ACKNOWLEDGE's base64 uuid is the very uuid of the status update it
 *    acknowledges in the protobuf recording;
 *  - the SUBSCRIBE call, built from JSON, packs to the same bytes as
 *    `protoc --encode` of subscribe-call.txt;
 *  - what does not fit the schema fails with the path of the value. */
#include "test/protoc_harness.h"
#include "test/session.h"
#include "test/test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/pbjson.h"
#include "scheduler/recordio.h"
#include "scheduler/wire.h"

#define MAX_RECORDS 8

typedef struct records {
    size_t n;
    uint8_t *data[MAX_RECORDS];
    size_t len[MAX_RECORDS];
} records;

static int keep(const uint8_t *data, size_t len, void *arg, sched_error *err)
{
    records *r = arg;
    if (r->n == MAX_RECORDS || !(r->data[r->n] = malloc(len + 1)))
        return sched_error_set(err, HDRF_ENOMEM, "test: cannot keep a record");
    memcpy(r->data[r->n], data, len);
    r->data[r->n][len] = '\0';
    r->len[r->n++] = len;
    return HDRF_OK;
}

static void records_free(records *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->data[i]);
    r->n = 0;
}

/* Splits a recorded stream with the (separately tested) RecordIO decoder. */
static int load_records(const char *file, records *r)
{
    char *buf = NULL;
    long len = test_read_file(test_data_path(file), &buf);
    recordio_decoder d;
    int status = HDRF_EINVAL;
    memset(r, 0, sizeof *r);
    recordio_decoder_init(&d, 1 << 20);
    if (len > 0 && recordio_decoder_feed(&d, buf, (size_t)len, keep, r, NULL) == HDRF_OK)
        status = recordio_decoder_finish(&d, NULL);
    recordio_decoder_free(&d);
    free(buf);
    CU_ASSERT_EQUAL(status, HDRF_OK);
    return status;
}

/* Section `index` of session.events.txt (sections end with a "---" line),
 * as a new string. */
static char *events_text_section(int index)
{
    char *text = NULL, *out = NULL;
    const char *start;
    if (test_read_file(test_data_path("session.events.txt"), &text) < 0)
        return NULL;
    start = text;
    for (int i = 0; i < index && start; i++)
        if ((start = strstr(start, "---\n")))
            start += 4;
    const char *end = start ? strstr(start, "---\n") : NULL;
    if (end)
        out = strndup(start, (size_t)(end - start));
    free(text);
    return out;
}

/* Replaces every `from` in *s by `to` (same or any length). */
static void replace_all(char **s, const char *from, const char *to)
{
    size_t n = 0, fl = strlen(from), tl = strlen(to);
    char *p, *out, *o;
    if (!*s)
        return;
    for (p = *s; (p = strstr(p, from)); p += fl)
        n++;
    if (!(out = malloc(strlen(*s) + n * tl + 1))) {
        free(*s);
        *s = NULL;
        return;
    }
    o = out;
    for (p = *s;;) {
        char *hit = strstr(p, from);
        size_t keep_len = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(o, p, keep_len);
        o += keep_len;
        if (!hit)
            break;
        memcpy(o, to, tl);
        o += tl;
        p = hit + fl;
    }
    *o = '\0';
    free(*s);
    *s = out;
}

/* JSON equality where 5 and 5.0 are the same number: Mesos writes doubles
 * as 4.0, the recording client wrote them as 4, jansson keeps the two apart. */
static int json_same(const json_t *a, const json_t *b)
{
    const char *key;
    json_t *value;
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!json_same(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    }
    if (json_is_object(a) && json_is_object(b)) {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_foreach((json_t *)a, key, value)
        {
            if (!json_same(value, json_object_get(b, key)))
                return 0;
        }
        return 1;
    }
    return a && b && json_equal(a, b);
}

/* Packs `msg` and checks that protoc prints `want` for it. */
static void check_protoc_text(const ProtobufCMessage *msg, const char *type, const char *want)
{
    CU_ASSERT_PTR_NOT_NULL(want);
    if (want)
        check_protoc_decodes(msg, type, want);
}

/* ---- events from the JSON recording ---------------------------------------- */

static void check_json_subscribed(const sched_event *ev)
{
    const Mesos__V1__MasterInfo *mi;
    CU_ASSERT_EQUAL(ev->type, MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED);
    ASSERT_STR(wire_event_type_name(ev), "SUBSCRIBED");
    REQUIRE(ev->subscribed);
    REQUIRE(ev->subscribed->framework_id);
    ASSERT_STR(ev->subscribed->framework_id->value, MASTER_ID "-0000");
    CU_ASSERT_TRUE(ev->subscribed->has_heartbeat_interval_seconds);
    CU_ASSERT_DOUBLE_EQUAL(ev->subscribed->heartbeat_interval_seconds, 15.0, 0);
    REQUIRE(mi = ev->subscribed->master_info);
    ASSERT_STR(mi->id, MASTER_ID);
    CU_ASSERT_EQUAL(mi->ip, 16777343u);
    CU_ASSERT_EQUAL(mi->port, 5050u);
    ASSERT_STR(mi->pid, "master@127.0.0.1:5050");
    ASSERT_STR(mi->hostname, "localhost");
    ASSERT_STR(mi->version, "1.11.0");
    REQUIRE(mi->address);
    ASSERT_STR(mi->address->hostname, "localhost");
    ASSERT_STR(mi->address->ip, "127.0.0.1");
    CU_ASSERT_EQUAL(mi->address->port, 5050);
    REQUIRE_TRUE(mi->n_capabilities == 3);
    CU_ASSERT_TRUE(mi->capabilities[0]->has_type);
    CU_ASSERT_EQUAL(mi->capabilities[0]->type,
                    MESOS__V1__MASTER_INFO__CAPABILITY__TYPE__AGENT_UPDATE);
    CU_ASSERT_EQUAL(mi->capabilities[1]->type,
                    MESOS__V1__MASTER_INFO__CAPABILITY__TYPE__AGENT_DRAINING);
    /* the capability v1 JSON cannot name arrives as {}: present, no type */
    CU_ASSERT_FALSE(mi->capabilities[2]->has_type);
}

static void check_json_offers(const sched_event *ev)
{
    const Mesos__V1__Offer *o;
    const Mesos__V1__Resource *const *r;
    static const char *const scalars[] = {"cpus", "mem", "disk"};
    static const double amounts[] = {4, 4096, 1000};
    CU_ASSERT_EQUAL(ev->type, MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS);
    REQUIRE(ev->offers);
    REQUIRE_TRUE(ev->offers->n_offers == 1);
    o = ev->offers->offers[0];
    ASSERT_STR(o->id->value, MASTER_ID "-O0");
    ASSERT_STR(o->framework_id->value, MASTER_ID "-0000");
    ASSERT_STR(o->agent_id->value, AGENT_ID);
    ASSERT_STR(o->hostname, "localhost");
    REQUIRE_TRUE(o->url && o->url->address);
    ASSERT_STR(o->url->scheme, "http");
    ASSERT_STR(o->url->address->hostname, "localhost");
    ASSERT_STR(o->url->address->ip, "127.0.0.1");
    CU_ASSERT_EQUAL(o->url->address->port, 5051);
    ASSERT_STR(o->url->path, "/slave(1)");
    REQUIRE_TRUE(o->n_resources == 4);
    r = (const Mesos__V1__Resource *const *)o->resources;
    ASSERT_STR(r[0]->name, "ports");
    CU_ASSERT_EQUAL(r[0]->type, MESOS__V1__VALUE__TYPE__RANGES);
    REQUIRE(r[0]->ranges);
    REQUIRE_TRUE(r[0]->ranges->n_range == 1);
    CU_ASSERT_EQUAL(r[0]->ranges->range[0]->begin, 31000u);
    CU_ASSERT_EQUAL(r[0]->ranges->range[0]->end, 32000u);
    for (int i = 0; i < 3; i++) {
        ASSERT_STR(r[i + 1]->name, scalars[i]);
        CU_ASSERT_EQUAL(r[i + 1]->type, MESOS__V1__VALUE__TYPE__SCALAR);
        REQUIRE(r[i + 1]->scalar);
        CU_ASSERT_DOUBLE_EQUAL(r[i + 1]->scalar->value, amounts[i], 0);
    }
    for (int i = 0; i < 4; i++) {
        REQUIRE(r[i]->allocation_info);
        ASSERT_STR(r[i]->allocation_info->role, "eng");
    }
    REQUIRE_TRUE(o->n_attributes == 2);
    ASSERT_STR(o->attributes[0]->name, "rack");
    CU_ASSERT_EQUAL(o->attributes[0]->type, MESOS__V1__VALUE__TYPE__TEXT);
    ASSERT_STR(o->attributes[0]->text->value, "r1");
    ASSERT_STR(o->attributes[1]->name, "zone");
    ASSERT_STR(o->attributes[1]->text->value, "a");
    REQUIRE(o->allocation_info);
    ASSERT_STR(o->allocation_info->role, "eng");
}

static void test_json_events(void)
{
    records r;
    sched_event *ev[3] = {NULL, NULL, NULL};
    sched_error err;
    if (load_records("sub-json.recordio", &r) != HDRF_OK)
        return;
    CU_ASSERT_EQUAL(r.n, 3);
    for (size_t i = 0; i < r.n && i < 3; i++) {
        CU_ASSERT_EQUAL(wire_event_decode(WIRE_JSON, r.data[i], r.len[i], &ev[i], &err), HDRF_OK);
        if (!ev[i])
            fprintf(stderr, "\n  %s\n", err.text);
    }
    if (ev[0])
        check_json_subscribed(ev[0]);
    if (ev[1]) {
        CU_ASSERT_EQUAL(ev[1]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT);
        ASSERT_STR(wire_event_type_name(ev[1]), "HEARTBEAT");
        CU_ASSERT_PTR_NULL(ev[1]->subscribed);
    }
    if (ev[2])
        check_json_offers(ev[2]);
    for (int i = 0; i < 3; i++)
        wire_event_free(ev[i]);
    records_free(&r);
}

/* The JSON session and the protobuf session are the same kind of session
 * with the same master and agent: packed to protobuf, the JSON events print
 * under protoc as the protobuf recording does, ids swapped (-0002/-O2 there,
 * -0000/-O0 here), and the capability JSON could not name (protobuf carries
 * it as number 3, which our v1 schema and protoc print as `1: 3`) empty. */
static void test_json_events_match_protobuf_recording(void)
{
    records r;
    if (load_records("sub-json.recordio", &r) != HDRF_OK)
        return;
    for (size_t i = 0; i < r.n; i++) {
        sched_event *ev = NULL;
        char *want = events_text_section((int)i);
        replace_all(&want, "-0002\"", "-0000\"");
        replace_all(&want, "-O2\"", "-O0\"");
        replace_all(&want, "capabilities {\n      1: 3\n    }", "capabilities {\n    }");
        CU_ASSERT_EQUAL(wire_event_decode(WIRE_JSON, r.data[i], r.len[i], &ev, NULL), HDRF_OK);
        if (ev)
            check_protoc_text(&ev->base, "mesos.v1.scheduler.Event", want);
        wire_event_free(ev);
        free(want);
    }
    records_free(&r);
}

/* JSON in, JSON out: the master's own JSON comes back (as a value: key
 * order and number spelling aside). */
static void test_json_events_reencode(void)
{
    records r;
    if (load_records("sub-json.recordio", &r) != HDRF_OK)
        return;
    for (size_t i = 0; i < r.n; i++) {
        sched_event *ev = NULL;
        uint8_t *out = NULL;
        size_t len = 0;
        json_t *want = json_loadb((const char *)r.data[i], r.len[i], 0, NULL), *got = NULL;
        CU_ASSERT_EQUAL(wire_event_decode(WIRE_JSON, r.data[i], r.len[i], &ev, NULL), HDRF_OK);
        if (ev)
            CU_ASSERT_EQUAL(wire_event_encode(WIRE_JSON, ev, &out, &len, NULL), HDRF_OK);
        if (out)
            got = json_loadb((const char *)out, len, 0, NULL);
        CU_ASSERT(want && got && json_same(want, got));
        json_decref(want);
        json_decref(got);
        free(out);
        wire_event_free(ev);
    }
    records_free(&r);
}

/* ---- events from the protobuf recordings -------------------------------------- */

static void test_protobuf_events(void)
{
    static const Mesos__V1__Scheduler__Event__Type types[] = {
        MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT,
        MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS,     MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE,
        MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE,     MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE};
    static const Mesos__V1__TaskState states[] = {MESOS__V1__TASK_STATE__TASK_STARTING,
                                                  MESOS__V1__TASK_STATE__TASK_RUNNING,
                                                  MESOS__V1__TASK_STATE__TASK_FINISHED};
    records r;
    if (load_records("session.recordio", &r) != HDRF_OK)
        return;
    REQUIRE_TRUE(r.n == 6);
    for (size_t i = 0; i < r.n; i++) {
        sched_event *ev = NULL;
        CU_ASSERT_EQUAL(wire_event_decode(WIRE_PROTOBUF, r.data[i], r.len[i], &ev, NULL), HDRF_OK);
        if (!ev)
            continue;
        CU_ASSERT_EQUAL(ev->type, types[i]);
        if (i == 0) {
            ASSERT_STR(ev->subscribed->framework_id->value, MASTER_ID "-0002");
            CU_ASSERT_DOUBLE_EQUAL(ev->subscribed->heartbeat_interval_seconds, 15.0, 0);
        }
        if (i == 2) {
            ASSERT_STR(ev->offers->offers[0]->id->value, MASTER_ID "-O2");
            CU_ASSERT_EQUAL(ev->offers->offers[0]->n_resources, 4);
        }
        if (i >= 3) {
            ASSERT_STR(ev->update->status->task_id->value, "hello-1");
            CU_ASSERT_EQUAL(ev->update->status->state, states[i - 3]);
        }
        wire_event_free(ev);
    }
    records_free(&r);
}

/* ---- calls from the JSON recording -------------------------------------------- */

/* The recorded calls, as JSON values (borrowed from *doc). */
static size_t recorded_calls(json_t **doc, json_t **calls)
{
    char *text = NULL;
    json_t *list;
    size_t n = 0;
    *doc = NULL;
    if (test_read_file(test_data_path("session.calls.json"), &text) < 0)
        return 0;
    *doc = json_loads(text, 0, NULL);
    free(text);
    list = json_object_get(*doc, "calls");
    for (size_t i = 0; i < json_array_size(list) && n < MAX_RECORDS; i++)
        calls[n++] = json_object_get(json_array_get(list, i), "call");
    return n;
}

static sched_call *call_from_json(const json_t *value, sched_error *err)
{
    sched_call *call = NULL;
    char *text = json_dumps(value, JSON_COMPACT);
    if (text)
        wire_call_decode(WIRE_JSON, (const uint8_t *)text, strlen(text), &call, err);
    free(text);
    return call;
}

static void test_calls_json_round_trip(void)
{
    json_t *doc, *calls[MAX_RECORDS];
    size_t n = recorded_calls(&doc, calls);
    sched_error err;
    CU_ASSERT_EQUAL(n, 5);
    for (size_t i = 0; i < n; i++) {
        sched_call *call = call_from_json(calls[i], &err);
        uint8_t *out = NULL;
        size_t len = 0;
        json_t *got = NULL;
        CU_ASSERT_PTR_NOT_NULL(call);
        if (call && wire_call_encode(WIRE_JSON, call, &out, &len, &err) == HDRF_OK)
            got = json_loadb((const char *)out, len, 0, NULL);
        CU_ASSERT(got && json_same(got, calls[i]));
        json_decref(got);
        free(out);
        wire_call_free(call);
    }
    json_decref(doc);
}

static const char want_accept[] = SESSION_ACCEPT_TEXT("");

static const char want_teardown[] = "framework_id {\n"
                                    "  value: \"" MASTER_ID "-0002\"\n"
                                    "}\n"
                                    "type: TEARDOWN\n";

/* The ACKNOWLEDGE of update k (0-based among the three), with its uuid line
 * taken from the protobuf recording's decoded text of that update. */
static char *want_acknowledge(int k)
{
    char *section = events_text_section(3 + k), *out = NULL;
    const char *uuid = section ? strstr(section, "    uuid: ") : NULL;
    const char *end = uuid ? strchr(uuid, '\n') : NULL;
    static const char head[] = "framework_id {\n"
                               "  value: \"" MASTER_ID "-0002\"\n"
                               "}\n"
                               "type: ACKNOWLEDGE\n"
                               "acknowledge {\n"
                               "  agent_id {\n"
                               "    value: \"" AGENT_ID "\"\n"
                               "  }\n"
                               "  task_id {\n"
                               "    value: \"hello-1\"\n"
                               "  }\n";
    if (end && (out = malloc(sizeof head + (size_t)(end - uuid) + 8)))
        sprintf(out, "%s  %.*s\n}\n", head, (int)(end - uuid - 4), uuid + 4);
    free(section);
    return out;
}

static void test_calls_protobuf_under_protoc(void)
{
    json_t *doc, *calls[MAX_RECORDS];
    size_t n = recorded_calls(&doc, calls);
    REQUIRE_TRUE(n == 5);
    for (size_t i = 0; i < n; i++) {
        sched_call *call = call_from_json(calls[i], NULL);
        char *ack = i >= 1 && i <= 3 ? want_acknowledge((int)i - 1) : NULL;
        const char *want = i == 0 ? want_accept : i == 4 ? want_teardown : ack;
        uint8_t *wire = NULL;
        size_t len = 0;
        owned text = {NULL, 0};
        CU_ASSERT_PTR_NOT_NULL(want);
        if (call && want && wire_call_encode(WIRE_PROTOBUF, call, &wire, &len, NULL) == HDRF_OK &&
            protoc_run("--decode=mesos.v1.scheduler.Call", wire, len, &text) == 0)
            assert_same_text(text.data, text.len, want, strlen(want));
        else
            CU_FAIL("call not encoded or not decoded by protoc");
        free(text.data);
        free(wire);
        free(ack);
        wire_call_free(call);
    }
    json_decref(doc);
}

/* An ACKNOWLEDGE's uuid, base64 in JSON, is the 16 bytes of the update it
 * acknowledges in the protobuf stream. */
static void test_acknowledge_uuid_is_the_update_uuid(void)
{
    json_t *doc, *calls[MAX_RECORDS];
    size_t n = recorded_calls(&doc, calls);
    records r;
    if (n != 5 || load_records("session.recordio", &r) != HDRF_OK) {
        CU_FAIL("recordings missing");
        json_decref(doc);
        return;
    }
    for (int k = 0; k < 3; k++) {
        sched_call *call = call_from_json(calls[1 + k], NULL);
        sched_event *ev = NULL;
        wire_event_decode(WIRE_PROTOBUF, r.data[3 + k], r.len[3 + k], &ev, NULL);
        CU_ASSERT(call && ev && call->acknowledge && ev->update && ev->update->status);
        if (call && ev && call->acknowledge && ev->update && ev->update->status) {
            const ProtobufCBinaryData *a = &call->acknowledge->uuid, *b = &ev->update->status->uuid;
            CU_ASSERT_EQUAL(a->len, 16);
            CU_ASSERT(a->len == b->len && memcmp(a->data, b->data, a->len) == 0);
        }
        wire_event_free(ev);
        wire_call_free(call);
    }
    records_free(&r);
    json_decref(doc);
}

/* subscribe-call.txt, spelled in Mesos's JSON by hand. */
static const char subscribe_json[] =
    "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\","
    "\"name\":\"fixture-protobuf\",\"roles\":[\"eng\"],\"capabilities\":[{\"type\":"
    "\"MULTI_ROLE\"},{\"type\":\"RESERVATION_REFINEMENT\"}],\"failover_timeout\":60}}}";

static void test_subscribe_packs_like_protoc(void)
{
    char *text = NULL;
    long text_len = test_read_file(test_data_path("subscribe-call.txt"), &text);
    owned want = {NULL, 0};
    sched_call *call = NULL;
    uint8_t *got = NULL;
    size_t len = 0;
    sched_error err;
    CU_ASSERT(text_len > 0 &&
              protoc_run("--encode=mesos.v1.scheduler.Call", text, (size_t)text_len, &want) == 0);
    CU_ASSERT_EQUAL(wire_call_decode(WIRE_JSON, (const uint8_t *)subscribe_json,
                                     strlen(subscribe_json), &call, &err),
                    HDRF_OK);
    if (call)
        CU_ASSERT_EQUAL(wire_call_encode(WIRE_PROTOBUF, call, &got, &len, &err), HDRF_OK);
    CU_ASSERT(got && want.data && len == want.len && memcmp(got, want.data, len) == 0);
    free(got);
    free(want.data);
    free(text);
    wire_call_free(call);
}

/* ---- content types ------------------------------------------------------------ */

static void test_content_types(void)
{
    wire_content_type t = WIRE_PROTOBUF;
    sched_error err;
    /* the values in sub-json.headers, sub-pb.headers and badreq.headers */
    static const char json[] = "application/json", pb[] = "application/x-protobuf",
                      text[] = "text/plain; charset=utf-8";
    CU_ASSERT_EQUAL(wire_content_type_parse(json, strlen(json), &t, &err), HDRF_OK);
    CU_ASSERT_EQUAL(t, WIRE_JSON);
    CU_ASSERT_EQUAL(wire_content_type_parse(pb, strlen(pb), &t, &err), HDRF_OK);
    CU_ASSERT_EQUAL(t, WIRE_PROTOBUF);
    CU_ASSERT_EQUAL(wire_content_type_parse(" Application/JSON ; charset=utf-8", 34, &t, &err),
                    HDRF_OK);
    CU_ASSERT_EQUAL(t, WIRE_JSON);
    CU_ASSERT_EQUAL(wire_content_type_parse(text, strlen(text), &t, &err), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.text, "content type 'text/plain': expected "
                                     "application/x-protobuf or application/json");
    ASSERT_STR(wire_content_type_name(WIRE_JSON), json);
    ASSERT_STR(wire_content_type_name(WIRE_PROTOBUF), pb);
}

/* ---- what does not fit -------------------------------------------------------- */

#define OFFER_HEAD                                                                                 \
    "{\"type\":\"OFFERS\",\"offers\":{\"offers\":[{\"id\":{\"value\":\"o\"},\"framework_id\":"     \
    "{\"value\":\"f\"},\"agent_id\":{\"value\":\"a\"},\"hostname\":\"h\",\"resources\":["

typedef struct bad_case {
    const char *json;
    const char *want;
} bad_case;

static const bad_case bad_events[] = {
    {OFFER_HEAD "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":\"four\"}}]}]}}",
     "mesos.v1.scheduler.Event: offers.offers[0].resources[0].scalar.value: \"four\": "
     "expected a number"},
    {OFFER_HEAD "{\"name\":\"cpus\",\"scalar\":{\"value\":1}}]}]}}",
     "mesos.v1.scheduler.Event: offers.offers[0].resources[0].type: missing, and required"},
    {OFFER_HEAD "{\"name\":\"cpus\",\"type\":\"SCALARS\",\"scalar\":{\"value\":1}}]}]}}",
     "mesos.v1.scheduler.Event: offers.offers[0].resources[0].type: \"SCALARS\": expected a "
     "name of mesos.v1.Value.Type: SCALAR RANGES SET TEXT"},
    {OFFER_HEAD "{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":-1,"
                "\"end\":2}]}}]}]}}",
     "mesos.v1.scheduler.Event: offers.offers[0].resources[0].ranges.range[0].begin: -1: "
     "expected an integer from 0 to 18446744073709551615"},
    {"{\"type\":\"OFFERS\",\"offers\":{\"offers\":[{\"framework_id\":{\"value\":\"f\"}}]}}",
     "mesos.v1.scheduler.Event: offers.offers[0].id: missing, and required"},
    {"{\"type\":\"OFFERS\",\"offers\":{\"offers\":{\"id\":1}}}",
     "mesos.v1.scheduler.Event: offers.offers: {\"id\":1}: expected an array"},
    {"{\"type\":\"UPDATE\",\"update\":{\"status\":{\"task_id\":{\"value\":\"t\"},\"state\":"
     "\"TASK_RUNNING\",\"uuid\":\"MMiX!u70\"}}}",
     "mesos.v1.scheduler.Event: update.status.uuid: \"MMiX!u70\": not base64 (at character 4)"},
    {"{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":\"f\"},"
     "\"heartbeat_interval_seconds\":true}}",
     "mesos.v1.scheduler.Event: subscribed.heartbeat_interval_seconds: true: expected a "
     "number"},
    {"{\"type\":\"ERROR\",\"error\":{\"message\":7}}",
     "mesos.v1.scheduler.Event: error.message: 7: expected a string"},
    {"{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":\"f\"},"
     "\"master_info\":{\"id\":\"m\",\"ip\":4294967296,\"port\":5050}}}",
     "mesos.v1.scheduler.Event: subscribed.master_info.ip: 4294967296: expected an integer "
     "from 0 to 4294967295"},
    {"[]", "mesos.v1.scheduler.Event: (top): []: expected an object"},
    {"{}", "mesos.v1.scheduler.Event: no type"},
    /* an enum name from a newer master: the optional type stays unset */
    {"{\"type\":\"FROBNICATE\"}", "mesos.v1.scheduler.Event: no type"},
    /* (jansson's own words follow; only our part is compared) */
    {"{\"type\":", "mesos.v1.scheduler.Event: not JSON: line 1, column 8: "},
};

static void test_bad_json_events(void)
{
    for (size_t i = 0; i < sizeof bad_events / sizeof bad_events[0]; i++) {
        sched_event *ev = (sched_event *)&ev; /* must come back NULL */
        sched_error err = {0, ""};
        int status = wire_event_decode(WIRE_JSON, (const uint8_t *)bad_events[i].json,
                                       strlen(bad_events[i].json), &ev, &err);
        CU_ASSERT_EQUAL(status, HDRF_EINVAL);
        CU_ASSERT_EQUAL(err.status, HDRF_EINVAL);
        CU_ASSERT_PTR_NULL(ev);
        const char *want = bad_events[i].want;
        size_t cmp = want[strlen(want) - 1] == ' ' ? strlen(want) : sizeof err.text;
        CU_ASSERT(strncmp(err.text, want, cmp) == 0);
        if (strncmp(err.text, want, cmp) != 0)
            fprintf(stderr, "\n  case %zu\n  got  %s\n  want %s\n", i, err.text,
                    bad_events[i].want);
        if (status == HDRF_OK)
            wire_event_free(ev);
    }
}

/* Mesos's leniency: unknown keys ignored, null as absent, 64-bit integers as
 * strings, integral reals for integers. */
static void test_lenient_json(void)
{
    static const char json[] =
        "{\"type\":\"OFFERS\",\"from_the_future\":{\"x\":[1,2]},\"subscribed\":null,"
        "\"offers\":{\"offers\":[{\"id\":{\"value\":\"o\"},\"framework_id\":{\"value\":\"f\"},"
        "\"agent_id\":{\"value\":\"a\"},\"hostname\":\"h\",\"resources\":[{\"name\":\"ports\","
        "\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":\"31000\",\"end\":32000.0},"
        "{\"begin\":\"18446744073709551615\",\"end\":\"18446744073709551615\"}]}}]}]}}";
    sched_event *ev = NULL;
    uint8_t *out = NULL;
    size_t len = 0;
    json_t *doc = NULL;
    CU_ASSERT_EQUAL(wire_event_decode(WIRE_JSON, (const uint8_t *)json, strlen(json), &ev, NULL),
                    HDRF_OK);
    REQUIRE(ev);
    CU_ASSERT_PTR_NULL(ev->subscribed);
    CU_ASSERT_EQUAL(ev->base.n_unknown_fields, 0);
    if (ev->offers && ev->offers->n_offers == 1 && ev->offers->offers[0]->n_resources == 1) {
        const Mesos__V1__Value__Ranges *r = ev->offers->offers[0]->resources[0]->ranges;
        CU_ASSERT(r && r->n_range == 2);
        if (r && r->n_range == 2) {
            CU_ASSERT_EQUAL(r->range[0]->begin, 31000u);
            CU_ASSERT_EQUAL(r->range[0]->end, 32000u);
            CU_ASSERT_EQUAL(r->range[1]->begin, UINT64_MAX);
        }
    } else {
        CU_FAIL("offer not decoded");
    }
    /* what JSON integers cannot hold is written back as a decimal string */
    CU_ASSERT_EQUAL(wire_event_encode(WIRE_JSON, ev, &out, &len, NULL), HDRF_OK);
    doc = out ? json_loadb((const char *)out, len, 0, NULL) : NULL;
    {
        json_t *range = json_array_get(
            json_object_get(
                json_object_get(
                    json_array_get(
                        json_object_get(
                            json_array_get(
                                json_object_get(json_object_get(doc, "offers"), "offers"), 0),
                            "resources"),
                        0),
                    "ranges"),
                "range"),
            1);
        ASSERT_STR(json_string_value(json_object_get(range, "begin")), "18446744073709551615");
    }
    json_decref(doc);
    free(out);
    wire_event_free(ev);
}

/* map<string, V>: TaskInfo.limits as Mesos's JSON object, both ways, and
 * protoc agrees on the entries. */
static void test_maps(void)
{
    static const char json[] =
        "{\"type\":\"ACCEPT\",\"accept\":{\"operations\":[{\"type\":\"LAUNCH\",\"launch\":"
        "{\"task_infos\":[{\"name\":\"t\",\"task_id\":{\"value\":\"t1\"},\"agent_id\":"
        "{\"value\":\"a\"},\"limits\":{\"cpus\":{\"value\":2.5},\"mem\":{\"value\":128}}}]}}]}}";
    static const char want[] = "type: ACCEPT\n"
                               "accept {\n"
                               "  operations {\n"
                               "    type: LAUNCH\n"
                               "    launch {\n"
                               "      task_infos {\n"
                               "        name: \"t\"\n"
                               "        task_id {\n"
                               "          value: \"t1\"\n"
                               "        }\n"
                               "        agent_id {\n"
                               "          value: \"a\"\n"
                               "        }\n"
                               "        limits {\n"
                               "          key: \"cpus\"\n"
                               "          value {\n"
                               "            value: 2.5\n"
                               "          }\n"
                               "        }\n"
                               "        limits {\n"
                               "          key: \"mem\"\n"
                               "          value {\n"
                               "            value: 128\n"
                               "          }\n"
                               "        }\n"
                               "      }\n"
                               "    }\n"
                               "  }\n"
                               "}\n";
    sched_call *call = NULL;
    uint8_t *out = NULL;
    size_t len = 0;
    json_t *a = json_loads(json, 0, NULL), *b = NULL;
    sched_error err;
    CU_ASSERT_EQUAL(wire_call_decode(WIRE_JSON, (const uint8_t *)json, strlen(json), &call, &err),
                    HDRF_OK);
    REQUIRE(call);
    check_protoc_decodes(&call->base, "mesos.v1.scheduler.Call", want);
    CU_ASSERT_EQUAL(wire_call_encode(WIRE_JSON, call, &out, &len, &err), HDRF_OK);
    b = out ? json_loadb((const char *)out, len, 0, NULL) : NULL;
    CU_ASSERT(a && b && json_same(a, b));
    json_decref(a);
    json_decref(b);
    free(out);
    wire_call_free(call);

    /* a wrong value inside a map names the key */
    static const char bad[] = "{\"type\":\"ACCEPT\",\"accept\":{\"operations\":[{\"launch\":"
                              "{\"task_infos\":[{\"name\":\"t\",\"task_id\":{\"value\":\"t1\"},"
                              "\"agent_id\":{\"value\":\"a\"},\"limits\":{\"cpus\":{\"value\":"
                              "\"lots\"}}}]}}]}}";
    CU_ASSERT_EQUAL(wire_call_decode(WIRE_JSON, (const uint8_t *)bad, strlen(bad), &call, &err),
                    HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.text, "mesos.v1.scheduler.Call: accept.operations[0].launch."
                                     "task_infos[0].limits[\"cpus\"].value: \"lots\": expected "
                                     "a number");
}

static void test_bad_protobuf(void)
{
    static const uint8_t garbage[] = {0x0a, 0xff, 0xff};
    static const uint8_t no_type[] = {0x12, 0x00}; /* subscribed {} and no type */
    sched_event *ev = NULL;
    sched_error err;
    CU_ASSERT_EQUAL(wire_event_decode(WIRE_PROTOBUF, garbage, sizeof garbage, &ev, &err),
                    HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(ev);
    CU_ASSERT_STRING_EQUAL(err.text, "mesos.v1.scheduler.Event: 3 bytes that are not a valid "
                                     "protobuf message (malformed, or a required field missing)");
    CU_ASSERT_EQUAL(wire_event_decode(WIRE_PROTOBUF, no_type, sizeof no_type, &ev, &err),
                    HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(ev);
}

/* A Call missing a required field is refused in both encodings, and JSON
 * refuses what it cannot carry. */
static void test_bad_calls(void)
{
    Mesos__V1__FrameworkID fw = MESOS__V1__FRAMEWORK_ID__INIT; /* value (required) unset */
    Mesos__V1__Scheduler__Call__Message msg = MESOS__V1__SCHEDULER__CALL__MESSAGE__INIT;
    Mesos__V1__AgentID agent = MESOS__V1__AGENT_ID__INIT;
    Mesos__V1__ExecutorID exec = MESOS__V1__EXECUTOR_ID__INIT;
    sched_call call = MESOS__V1__SCHEDULER__CALL__INIT;
    uint8_t *out = NULL;
    size_t len = 0;
    sched_error err;
    call.has_type = 1;
    call.type = MESOS__V1__SCHEDULER__CALL__TYPE__TEARDOWN;
    call.framework_id = &fw;
    CU_ASSERT_EQUAL(wire_call_encode(WIRE_PROTOBUF, &call, &out, &len, &err), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.text, "mesos.v1.scheduler.Call: a required field is missing");
    CU_ASSERT_EQUAL(wire_call_encode(WIRE_JSON, &call, &out, &len, &err), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.text,
                           "mesos.v1.scheduler.Call: framework_id.value: missing, and required");
    CU_ASSERT_PTR_NULL(out);

    fw.value = "f";
    agent.value = "a\xff"; /* not UTF-8 */
    exec.value = "e";
    msg.agent_id = &agent;
    msg.executor_id = &exec;
    msg.data.data = (uint8_t *)"hi";
    msg.data.len = 2;
    call.type = MESOS__V1__SCHEDULER__CALL__TYPE__MESSAGE;
    call.message = &msg;
    CU_ASSERT_EQUAL(wire_call_encode(WIRE_JSON, &call, &out, &len, &err), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.text, "mesos.v1.scheduler.Call: message.agent_id.value: a string "
                                     "that is not valid UTF-8");
    agent.value = "a";
    CU_ASSERT_EQUAL(wire_call_encode(WIRE_JSON, &call, &out, &len, &err), HDRF_OK);
    /* bytes go out as base64: "hi" is "aGk=" */
    CU_ASSERT(out && strstr((const char *)out, "\"data\":\"aGk=\"") != NULL);
    free(out);
}

int suite_wire(void)
{
    static const test_case cases[] = {
        {"JSON events of the recording: every value", test_json_events},
        {"JSON events print under protoc as the protobuf recording",
         test_json_events_match_protobuf_recording},
        {"JSON events re-encode to the master's JSON", test_json_events_reencode},
        {"protobuf events of the recorded session", test_protobuf_events},
        {"recorded calls: JSON in, the same JSON out", test_calls_json_round_trip},
        {"recorded calls as protobuf, decoded by protoc", test_calls_protobuf_under_protoc},
        {"an ACKNOWLEDGE's uuid is its update's uuid", test_acknowledge_uuid_is_the_update_uuid},
        {"SUBSCRIBE from JSON packs like protoc --encode", test_subscribe_packs_like_protoc},
        {"content types", test_content_types},
        {"bad JSON events: status and path", test_bad_json_events},
        {"lenient JSON: unknown keys, null, 64-bit strings", test_lenient_json},
        {"map fields as JSON objects", test_maps},
        {"bad protobuf events", test_bad_protobuf},
        {"bad calls: required fields, UTF-8, base64 out", test_bad_calls},
        {NULL, NULL},
    };
    return test_add_suite("wire", cases);
}
