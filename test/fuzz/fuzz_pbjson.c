/* fuzz_pbjson.c: libFuzzer target for the protobuf JSON converter (make fuzz).
 *
 * Input: a JSON document, read as a scheduler Event and as a Call (the two
 * messages the scheduler reads and writes as JSON). A refusal is one
 * non-empty line and leaves no message. An accepted message passes
 * protobuf-c's own check, and its JSON (pbjson_encode) reads back to the
 * same message, byte for byte once packed, whose JSON is the same document
 * again, and whose packed bytes protobuf-c unpacks and packs to the same
 * bytes: what Mesos sends survives our reading and writing. Seeds: every
 * Event and Call of the recorded Mesos 1.11.0 traffic of test/data. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mesos/v1/scheduler/scheduler.pb-c.h"
#include "scheduler/pbjson.h"

static void check_refusal(const sched_error *err, int status, const ProtobufCMessage *msg)
{
    if (msg || status != HDRF_EINVAL || !err->text[0] || strchr(err->text, '\n'))
        abort();
}

/* The packed bytes of msg, in a new buffer of *len bytes. */
static uint8_t *pack(const ProtobufCMessage *msg, size_t *len)
{
    uint8_t *bytes = malloc(protobuf_c_message_get_packed_size(msg) + 1);
    if (!bytes)
        abort();
    *len = protobuf_c_message_pack(msg, bytes);
    return bytes;
}

/* msg -> JSON -> msg: the same bytes, and the same JSON written again.
 * Writing cannot fail: what was read holds only what JSON carries (the
 * schema has no float, and jansson reads no number that is not finite). */
static void round_trip(const ProtobufCMessage *msg)
{
    ProtobufCMessage *again = NULL;
    json_t *doc = NULL, *doc2 = NULL;
    sched_error err;
    size_t len, len2;
    if (pbjson_encode(msg, &doc, &err) != HDRF_OK)
        abort();
    if (pbjson_decode(msg->descriptor, doc, &again, &err) != HDRF_OK ||
        pbjson_encode(again, &doc2, &err) != HDRF_OK || !json_equal(doc, doc2))
        abort();
    uint8_t *bytes = pack(msg, &len), *bytes2 = pack(again, &len2);
    if (len != len2 || memcmp(bytes, bytes2, len) != 0)
        abort();
    free(bytes2);
    /* and the packed form is one protobuf-c reads back, as it was */
    ProtobufCMessage *unpacked = protobuf_c_message_unpack(msg->descriptor, NULL, len, bytes);
    if (!unpacked)
        abort();
    bytes2 = pack(unpacked, &len2);
    if (len != len2 || memcmp(bytes, bytes2, len) != 0)
        abort();
    protobuf_c_message_free_unpacked(unpacked, NULL);
    free(bytes);
    free(bytes2);
    json_decref(doc);
    json_decref(doc2);
    protobuf_c_message_free_unpacked(again, NULL);
}

static void one(const ProtobufCMessageDescriptor *desc, const json_t *doc)
{
    ProtobufCMessage *msg = NULL;
    sched_error err;
    int status = pbjson_decode(desc, doc, &msg, &err);
    if (status != HDRF_OK) {
        check_refusal(&err, status, msg);
        return;
    }
    if (!msg || !protobuf_c_message_check(msg))
        abort();
    round_trip(msg);
    protobuf_c_message_free_unpacked(msg, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, 0, &jerr);
    if (!doc)
        return 0;
    one(&mesos__v1__scheduler__event__descriptor, doc);
    one(&mesos__v1__scheduler__call__descriptor, doc);
    json_decref(doc);
    return 0;
}
