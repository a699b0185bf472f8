/* pbjson.h: protobuf-c messages to and from JSON, as Mesos writes them.
 *
 * One generic converter driven by protobuf-c's descriptors, so that every
 * message of the v1 API (Event, Call and all they reach) maps with no
 * per-field code. The mapping is Mesos's own (stout's JSON::protobuf and
 * protobuf::parse, 3rdparty/stout/include/stout/protobuf.hpp):
 *   - keys are the .proto field names (`framework_id`, `offer_ids`);
 *   - enums are their value names (`"SCALAR"`, `"TASK_RUNNING"`);
 *   - bytes are base64 strings (`"uuid": "MMiXlu70TeKzEZepDyCiaQ=="`);
 *   - numbers are JSON numbers; 64-bit integers may also come as decimal
 *     strings (proto3 JSON writes them so), and an integral real (5050.0)
 *     is accepted for an integer field;
 *   - repeated fields are arrays; `null` means absent;
 *   - a `map<string, V>` is an object keyed by the key (TaskInfo.limits:
 *     {"cpus": {"value": 2}}); the array-of-entries form
 *     ([{"key": "cpus", "value": {...}}]) is read as well.
 * Reading follows Mesos's leniency where a newer master may say more than
 * our schema knows: keys of no field are ignored, and an enum name we do
 * not know leaves an optional field unset and drops a repeated element
 * (proto2's rule for unknown enum values). A required field that is absent
 * or whose enum name is unknown is an error. Everything else that does not
 * fit the schema is an error naming the path of the value
 * (`offers.offers[0].resources[1].scalar.value: "four": expected a number`).
 *
 * Writing emits the fields that are set (`has_` flags, non-NULL pointers
 * other than a default, non-empty repeated fields), in field-number order;
 * unlike Mesos it does not add unset fields' defaults, which every reader
 * fills in anyway. An enum value with no name in our schema is left out, as
 * Mesos leaves out what its v1 API cannot name (an empty capability `{}`).
 * Unknown protobuf fields (kept by protobuf-c) have no JSON name and are
 * dropped. A uint64 above 2^63-1 is written as a decimal string.
 *
 * Ownership: a decoded message is new, built with malloc, and freed with
 * protobuf_c_message_free_unpacked(msg, NULL), like one from ..._unpack().
 * The JSON passed in is borrowed; the JSON returned is a new reference.
 */
#ifndef HDRF_SCHED_PBJSON_H
#define HDRF_SCHED_PBJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "lib/sched_error.h"

/* Reads the JSON object `json` as a message of type `desc` into *out.
 * Returns HDRF_OK, HDRF_EINVAL (err names the path) or HDRF_ENOMEM; on
 * failure *out is NULL and nothing is leaked. */
int pbjson_decode(const ProtobufCMessageDescriptor *desc, const json_t *json,
                  ProtobufCMessage **out, sched_error *err);

/* Writes `msg` as a new JSON object in *out. Returns HDRF_OK, HDRF_EINVAL
 * (a required field missing, a string that is not UTF-8, a non-finite
 * number: err names the path) or HDRF_ENOMEM; on failure *out is NULL. */
int pbjson_encode(const ProtobufCMessage *msg, json_t **out, sched_error *err);

#endif
