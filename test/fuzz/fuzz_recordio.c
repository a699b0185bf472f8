/* fuzz_recordio.c: libFuzzer target for the RecordIO decoder (make fuzz).
 *
 * The first byte of the input seeds the chunking; the rest is a stream.
 * Fed in random chunks, the decoder must deliver exactly the records (and
 * the verdict) that one whole feed delivers: a master's stream reaches the
 * scheduler cut anywhere. Every record it delivers must re-encode to the
 * bytes it was read from, and every failure message is one line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/recordio.h"

#define MAX_RECORD 4096

typedef struct seen {
    uint8_t *bytes; /* the records, each re-encoded, back to back */
    size_t len, cap;
} seen;

static int on_record(const uint8_t *data, size_t len, void *arg, sched_error *err)
{
    seen *s = arg;
    uint8_t *framed;
    size_t n;
    (void)err;
    if (recordio_encode(data, len, &framed, &n) != HDRF_OK)
        abort();
    if (s->len + n > s->cap) {
        size_t cap = (s->len + n) * 2;
        uint8_t *grown = realloc(s->bytes, cap);
        if (!grown)
            abort();
        s->bytes = grown, s->cap = cap;
    }
    memcpy(s->bytes + s->len, framed, n);
    s->len += n;
    free(framed);
    return HDRF_OK;
}

/* Decodes `data` in chunks chosen by `seed` (0: one feed); the status. */
static int decode(const uint8_t *data, size_t size, unsigned seed, seen *out, sched_error *err)
{
    recordio_decoder d;
    int status = HDRF_OK;
    recordio_decoder_init(&d, MAX_RECORD);
    for (size_t at = 0; at < size && status == HDRF_OK;) {
        size_t n = seed ? 1 + (seed = seed * 1103515245u + 12345u) % 7 : size;
        if (n > size - at)
            n = size - at;
        status = recordio_decoder_feed(&d, data + at, n, on_record, out, err);
        at += n;
    }
    if (status == HDRF_OK)
        status = recordio_decoder_finish(&d, err);
    recordio_decoder_free(&d);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen whole = {0}, chunked = {0};
    sched_error e1, e2;
    if (size == 0)
        return 0;
    int s1 = decode(data + 1, size - 1, 0, &whole, &e1);
    int s2 = decode(data + 1, size - 1, 1u + data[0], &chunked, &e2);
    if (s1 != s2 || whole.len != chunked.len ||
        (whole.len && memcmp(whole.bytes, chunked.bytes, whole.len) != 0))
        abort();
    /* Re-encoded with minimal lengths, what was delivered never outgrows
     * the stream it came from. */
    if (whole.len > size - 1)
        abort();
    if (s1 != HDRF_OK && (!e1.text[0] || strchr(e1.text, '\n')))
        abort();
    free(whole.bytes);
    free(chunked.bytes);
    return 0;
}
