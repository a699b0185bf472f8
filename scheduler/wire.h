/* wire.h: scheduler Events in and Calls out, in either of Mesos's content
 * types.
 *
 * The v1 scheduler API speaks `application/x-protobuf` or
 * `application/json`, chosen by the scheduler (its request's Content-Type
 * and Accept) and echoed by the master in the SUBSCRIBE response's
 * Content-Type. Each RecordIO record of the event stream is one Event; each
 * request body is one Call. Protobuf goes through the protobuf-c code
 * generated from proto/mesos/v1/scheduler/scheduler.proto; JSON through the
 * generic converter of pbjson.h into the very same C structs, so the rest of
 * the scheduler never knows which content type is in use.
 *
 * A record that does not decode (bytes that are not a valid message, JSON
 * that does not parse or does not fit the schema, an Event without a type)
 * is an error with a message, never a crash; the caller then ends the
 * connection as issue 6 prescribes.
 *
 * Ownership: decoded messages are new; free them with wire_event_free() /
 * wire_call_free(). Encoded bodies are new buffers (free()). Inputs are
 * borrowed.
 */
#ifndef HDRF_SCHED_WIRE_H
#define HDRF_SCHED_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "mesos/v1/scheduler/scheduler.pb-c.h"
#include "lib/sched_error.h"

typedef Mesos__V1__Scheduler__Event sched_event;
typedef Mesos__V1__Scheduler__Call sched_call;

typedef enum wire_content_type {
    WIRE_PROTOBUF, /* application/x-protobuf */
    WIRE_JSON      /* application/json */
} wire_content_type;

/* The media type to send in Content-Type and Accept. */
const char *wire_content_type_name(wire_content_type type);

/* Reads a Content-Type header value such as "application/json;
 * charset=utf-8" (media type case-insensitive, parameters ignored, `len`
 * bytes, no NUL needed). HDRF_EINVAL for any other media type. */
int wire_content_type_parse(const char *value, size_t len, wire_content_type *out,
                            sched_error *err);

/* Decodes one record of the event stream. The Event must have a type. */
int wire_event_decode(wire_content_type type, const uint8_t *data, size_t len, sched_event **out,
                      sched_error *err);
void wire_event_free(sched_event *event); /* NULL is a no-op */

/* Mesos's name of the event's type ("SUBSCRIBED", "OFFERS"...), or
 * "UNKNOWN" for a number our schema does not name. Static. */
const char *wire_event_type_name(const sched_event *event);

/* Encodes a Call as a request body: *out is a new buffer of *len bytes (for
 * JSON, compact text without a terminating NUL). HDRF_EINVAL when the call
 * misses a required field or holds what JSON cannot carry. */
int wire_call_encode(wire_content_type type, const sched_call *call, uint8_t **out, size_t *len,
                     sched_error *err);

/* Decodes a Call (what a master reads; used by tests and tools). */
int wire_call_decode(wire_content_type type, const uint8_t *data, size_t len, sched_call **out,
                     sched_error *err);
void wire_call_free(sched_call *call); /* NULL is a no-op */

/* The same for an Event, for tests, the simulator and a fake master. */
int wire_event_encode(wire_content_type type, const sched_event *event, uint8_t **out, size_t *len,
                      sched_error *err);

#endif
