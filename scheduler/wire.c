/* wire.c: Events and Calls in protobuf or JSON (see wire.h).
 *
 * Both message kinds go through the same two functions, decode() and
 * encode(), parameterised by the protobuf-c descriptor; the public verbs
 * only name the message type. */
#include "scheduler/wire.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scheduler/pbjson.h"

const char *wire_content_type_name(wire_content_type type)
{
    return type == WIRE_JSON ? "application/json" : "application/x-protobuf";
}

int wire_content_type_parse(const char *value, size_t len, wire_content_type *out, sched_error *err)
{
    size_t start = 0, end;
    while (start < len && (value[start] == ' ' || value[start] == '\t'))
        start++;
    end = start;
    while (end < len && value[end] != ';')
        end++;
    while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t'))
        end--;
    for (int t = WIRE_PROTOBUF; t <= WIRE_JSON; t++) {
        const char *name = wire_content_type_name((wire_content_type)t);
        if (end - start == strlen(name) && strncasecmp(value + start, name, end - start) == 0) {
            *out = (wire_content_type)t;
            return HDRF_OK;
        }
    }
    return sched_error_set(err, HDRF_EINVAL,
                           "content type '%.*s': expected application/x-protobuf or "
                           "application/json",
                           (int)(end - start > 80 ? 80 : end - start), value + start);
}

/* ---- the two directions, for any message ---------------------------------------- */

static int decode(const ProtobufCMessageDescriptor *d, wire_content_type type, const uint8_t *data,
                  size_t len, ProtobufCMessage **out, sched_error *err)
{
    json_error_t jerr;
    json_t *doc;
    int status;
    *out = NULL;
    if (type == WIRE_PROTOBUF) {
        /* NULL means malformed bytes, a required field missing, or (rarely)
         * no memory: protobuf-c does not say which. */
        *out = protobuf_c_message_unpack(d, NULL, len, data);
        return *out ? HDRF_OK
                    : sched_error_set(err, HDRF_EINVAL,
                                      "%s: %zu bytes that are not a valid protobuf message "
                                      "(malformed, or a required field missing)",
                                      d->name, len);
    }
    if (!(doc = json_loadb((const char *)data, len, 0, &jerr)))
        return sched_error_set(err, HDRF_EINVAL, "%s: not JSON: line %d, column %d: %s", d->name,
                               jerr.line, jerr.column, jerr.text);
    status = pbjson_decode(d, doc, out, err);
    json_decref(doc);
    return status == HDRF_OK ? HDRF_OK : sched_error_wrap(err, status, "%s", d->name);
}

static int encode(wire_content_type type, const ProtobufCMessage *msg, uint8_t **out, size_t *len,
                  sched_error *err)
{
    json_t *doc = NULL;
    char *text;
    int status;
    *out = NULL;
    *len = 0;
    if (type == WIRE_PROTOBUF) {
        size_t size = protobuf_c_message_get_packed_size(msg);
        if (!protobuf_c_message_check(msg))
            return sched_error_set(err, HDRF_EINVAL, "%s: a required field is missing",
                                   msg->descriptor->name);
        if (!(*out = malloc(size ? size : 1)))
            return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", msg->descriptor->name);
        *len = protobuf_c_message_pack(msg, *out);
        return HDRF_OK;
    }
    if ((status = pbjson_encode(msg, &doc, err)) != HDRF_OK)
        return sched_error_wrap(err, status, "%s", msg->descriptor->name);
    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", msg->descriptor->name);
    *out = (uint8_t *)text;
    *len = strlen(text);
    return HDRF_OK;
}

/* ---- Events ---------------------------------------------------------------------- */

int wire_event_decode(wire_content_type type, const uint8_t *data, size_t len, sched_event **out,
                      sched_error *err)
{
    ProtobufCMessage *msg = NULL;
    int status = decode(&mesos__v1__scheduler__event__descriptor, type, data, len, &msg, err);
    *out = (sched_event *)msg;
    if (status == HDRF_OK && !(*out)->has_type) {
        wire_event_free(*out);
        *out = NULL;
        status = sched_error_set(err, HDRF_EINVAL, "mesos.v1.scheduler.Event: no type");
    }
    return status;
}

void wire_event_free(sched_event *event)
{
    if (event)
        protobuf_c_message_free_unpacked(&event->base, NULL);
}

const char *wire_event_type_name(const sched_event *event)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
        &mesos__v1__scheduler__event__type__descriptor, (int)event->type);
    return event->has_type && v ? v->name : "UNKNOWN";
}

int wire_event_encode(wire_content_type type, const sched_event *event, uint8_t **out, size_t *len,
                      sched_error *err)
{
    return encode(type, &event->base, out, len, err);
}

/* ---- Calls ------------------------------------------------------------------------ */

int wire_call_encode(wire_content_type type, const sched_call *call, uint8_t **out, size_t *len,
                     sched_error *err)
{
    return encode(type, &call->base, out, len, err);
}

int wire_call_decode(wire_content_type type, const uint8_t *data, size_t len, sched_call **out,
                     sched_error *err)
{
    ProtobufCMessage *msg = NULL;
    int status = decode(&mesos__v1__scheduler__call__descriptor, type, data, len, &msg, err);
    *out = (sched_call *)msg;
    return status;
}

void wire_call_free(sched_call *call)
{
    if (call)
        protobuf_c_message_free_unpacked(&call->base, NULL);
}
