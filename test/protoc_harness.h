/* protoc_harness.h: running Google's real protoc from the CUnit suites.
 *
 * Wire compatibility is proven against the reference implementation, not
 * against ourselves: messages packed by protobuf-c are decoded by `protoc
 * --decode`, text is encoded by `protoc --encode`. protoc runs with the
 * project's proto/ as its import path, on anonymous temporary files. */
#ifndef HDRF_TEST_PROTOC_HARNESS_H
#define HDRF_TEST_PROTOC_HARNESS_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

/* A malloc'd buffer, NUL-terminated for convenience. */
typedef struct owned {
    char *data;
    size_t len;
} owned;

/* Runs `protoc --proto_path=<project>/proto <mode> scheduler.proto` (which
 * imports mesos.proto) with `in` on stdin; its stdout lands in *out (free
 * out->data). Returns 0 when protoc exited with status 0. */
int protoc_run(const char *mode, const void *in, size_t in_len, owned *out);
/* Packs msg into a new buffer. Returns 0 or -1. */
int pack(const ProtobufCMessage *msg, uint8_t **out, size_t *len);
/* Compares text exactly and shows both sides on stderr when they differ. */
void assert_same_text(const char *got, size_t got_len, const char *want, size_t want_len);
/* Packs msg in C and checks `protoc --decode=<type>` prints exactly `want`. */
void check_protoc_decodes(const ProtobufCMessage *msg, const char *type, const char *want);
/* Checks that `len` bytes equal what `protoc --encode=<type>` makes of
 * `text`; on a difference shows protoc's decoding of both sides. */
void check_protoc_encodes_bytes(const void *got, size_t len, const char *type, const char *text);
/* The same for msg, packed in C. */
void check_protoc_encodes(const ProtobufCMessage *msg, const char *type, const char *text);
/* Unknown fields in msg and every message below it. */
size_t count_unknown(const ProtobufCMessage *msg);

#endif
