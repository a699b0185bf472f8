/* base64.h: the standard base64 alphabet (RFC 4648, section 4), both ways.
 *
 * Mesos's JSON carries protobuf `bytes` fields (a status update's uuid, a
 * message's data) as base64 with '=' padding; this is the codec the
 * JSON<->protobuf converter uses for them. Encoding always pads; decoding
 * accepts padded and unpadded text and refuses anything else (whitespace,
 * the URL-safe alphabet, '=' in the middle).
 */
#ifndef HDRF_SCHED_BASE64_H
#define HDRF_SCHED_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* A new NUL-terminated string (free() it) encoding `len` bytes, or NULL when
 * out of memory. */
char *base64_encode(const uint8_t *data, size_t len);

/* Decodes `len` characters of `text` into a new buffer *out of *out_len
 * bytes (free() it; never NULL on success, even for empty input). Returns
 * HDRF_OK, HDRF_EINVAL (then *bad is the offset of the first offending
 * character, or `len` when the length is impossible) or HDRF_ENOMEM. */
int base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len, size_t *bad);

#endif
