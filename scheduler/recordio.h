/* recordio.h: Mesos's RecordIO framing, decoded incrementally and encoded.
 *
 * The SUBSCRIBE response of the v1 scheduler API is one endless HTTP body in
 * which each event is framed as
 *     <length in decimal ASCII>\n<length bytes of the record>
 * with nothing between records (no trailing newline). The body reaches us
 * in whatever chunks the network and HTTP's chunked encoding make, split
 * anywhere: inside the length, between the newline and the data, inside the
 * data. The decoder is fed those chunks as they come and hands every whole
 * record to a callback; it keeps only the record being assembled (up to a
 * limit the caller sets, so a hostile or broken length cannot make it
 * allocate without bound).
 *
 * Bad input is never fatal to the process: a length that is not decimal
 * digits followed by '\n', a record over the limit, or a stream that ends
 * inside a record each get a distinct status and a message naming the byte
 * offset in the stream. A failure is sticky: the decoder then refuses all
 * further input until recordio_decoder_reset(), because a stream whose
 * framing broke cannot be resynchronised; the caller drops the connection.
 *
 * Ownership: the decoder is caller-allocated (stack or struct member) and
 * owns one internal buffer, released by recordio_decoder_free(). A record
 * passed to the callback is borrowed: valid only during the call.
 */
#ifndef HDRF_SCHED_RECORDIO_H
#define HDRF_SCHED_RECORDIO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"

/* RecordIO's own failures, distinct from each other and from hdrf/status.h. */
enum {
    RECORDIO_EMALFORMED = -100, /* the length is not decimal digits then '\n' */
    RECORDIO_ETOOBIG = -101,    /* a record longer than the decoder's limit */
    RECORDIO_ETRUNCATED = -102  /* the stream ended inside a length or a record */
};

/* A static name for a RecordIO or hdrf status code; never NULL. */
const char *recordio_strerror(int status);

/* Receives one whole record (borrowed, `len` may be 0). Returns HDRF_OK to go
 * on; any other status stops the feed, which returns it, and then the
 * callback has said why in `err` (the feed's own, possibly NULL). */
typedef int (*recordio_record_fn)(const uint8_t *data, size_t len, void *arg, sched_error *err);

typedef struct recordio_decoder {
    size_t max_record; /* the limit, in bytes, of one record */
    int state;         /* reading a length, reading data, or failed */
    int status;        /* the sticky failure, HDRF_OK while healthy */
    size_t length;     /* the length being read, then the record's length */
    size_t digits;     /* digits of the length read so far */
    size_t have;       /* bytes of the record assembled in buf */
    uint8_t *buf;      /* the record being assembled across chunks */
    size_t cap;
    uint64_t offset;  /* bytes of the stream consumed, for messages */
    uint64_t records; /* records delivered */
} recordio_decoder;

/* Prepares `d` for a new stream whose records are at most `max_record`
 * bytes. Allocates nothing. */
void recordio_decoder_init(recordio_decoder *d, size_t max_record);

/* Forgets the current stream (and a sticky failure) to start another one;
 * keeps the limit and the buffer. */
void recordio_decoder_reset(recordio_decoder *d);

/* Releases the buffer; `d` may then be initialised again. */
void recordio_decoder_free(recordio_decoder *d);

/* Consumes `len` bytes of the stream, calling `on_record` for every record
 * they complete, in order. Returns HDRF_OK; RECORDIO_EMALFORMED or
 * RECORDIO_ETOOBIG; HDRF_ENOMEM; or what `on_record` returned. On failure
 * `err` (may be NULL) says why, and every later call fails the same way. */
int recordio_decoder_feed(recordio_decoder *d, const void *data, size_t len,
                          recordio_record_fn on_record, void *arg, sched_error *err);

/* Declares the end of the stream: HDRF_OK when it ended between records,
 * RECORDIO_ETRUNCATED when inside one (or the sticky failure). */
int recordio_decoder_finish(recordio_decoder *d, sched_error *err);

/* Frames one record: *out is a new buffer (free() it) holding
 * "<len>\n" and the `len` bytes of `data`; *out_len its size. Returns
 * HDRF_OK or HDRF_ENOMEM (then *out is NULL). */
int recordio_encode(const void *data, size_t len, uint8_t **out, size_t *out_len);

#endif
