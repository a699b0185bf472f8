/* recordio.c: incremental RecordIO decoding and encoding (see recordio.h).
 *
 * The decoder is a three-state machine: LENGTH (accumulating decimal digits
 * until '\n'), DATA (collecting `length` bytes), FAILED (sticky). A record
 * that lies whole inside one chunk is handed to the callback in place, with
 * no copy; only a record split across chunks is assembled in the buffer,
 * which is sized to the announced length once the length is known to be
 * within the limit. */
#include "scheduler/recordio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STATE_LENGTH, STATE_DATA, STATE_FAILED };

const char *recordio_strerror(int status)
{
    switch (status) {
    case RECORDIO_EMALFORMED:
        return "malformed record length";
    case RECORDIO_ETOOBIG:
        return "record over the size limit";
    case RECORDIO_ETRUNCATED:
        return "stream ended inside a record";
    }
    return hdrf_strerror(status);
}

void recordio_decoder_init(recordio_decoder *d, size_t max_record)
{
    memset(d, 0, sizeof *d);
    d->max_record = max_record;
    d->state = STATE_LENGTH;
}

void recordio_decoder_reset(recordio_decoder *d)
{
    d->state = STATE_LENGTH;
    d->status = HDRF_OK;
    d->length = d->digits = d->have = 0;
    d->offset = d->records = 0;
}

void recordio_decoder_free(recordio_decoder *d)
{
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
}

/* Enters the sticky failed state with a message about stream byte `at`. */
static int fail(recordio_decoder *d, sched_error *err, int status, uint64_t at, const char *what)
{
    d->state = STATE_FAILED;
    d->status = status;
    return sched_error_set(err, status, "recordio: byte %llu: %s", (unsigned long long)at, what);
}

/* The sticky failure again, for a call after the stream broke. */
static int failed_before(const recordio_decoder *d, sched_error *err)
{
    return sched_error_set(err, d->status, "recordio: the stream already failed (%s)",
                           recordio_strerror(d->status));
}

/* Shows one byte of a bad length readably: 'x', or its hex code. */
static void describe_byte(char *out, size_t size, uint8_t c)
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, size, "'%c'", c);
    else
        snprintf(out, size, "byte 0x%02x", c);
}

/* Takes one byte of a length. Returns HDRF_OK, or a failure. */
static int length_byte(recordio_decoder *d, uint8_t c, sched_error *err)
{
    char what[160], shown[16];
    if (c >= '0' && c <= '9') {
        size_t digit = (size_t)(c - '0');
        d->digits++;
        /* Compare before multiplying: no overflow however many digits. */
        if (digit > d->max_record || d->length > (d->max_record - digit) / 10) {
            snprintf(what, sizeof what, "a record longer than the limit of %zu bytes",
                     d->max_record);
            return fail(d, err, RECORDIO_ETOOBIG, d->offset, what);
        }
        d->length = d->length * 10 + digit;
        return HDRF_OK;
    }
    if (c == '\n' && d->digits > 0)
        return HDRF_OK;
    if (c == '\n')
        return fail(d, err, RECORDIO_EMALFORMED, d->offset,
                    "empty record length: expected decimal digits then a newline");
    describe_byte(shown, sizeof shown, c);
    snprintf(what, sizeof what, "%s in a record length: expected decimal digits then a newline",
             shown);
    return fail(d, err, RECORDIO_EMALFORMED, d->offset, what);
}

/* Hands a finished record of `len` bytes to the callback and returns to
 * LENGTH. A callback's refusal makes the decoder fail too: the caller
 * abandons the stream. */
static int deliver(recordio_decoder *d, const uint8_t *data, size_t len,
                   recordio_record_fn on_record, void *arg, sched_error *err)
{
    int status = HDRF_OK;
    d->state = STATE_LENGTH;
    d->length = d->digits = d->have = 0;
    d->records++;
    if (on_record)
        status = on_record(data, len, arg, err);
    if (status != HDRF_OK) {
        d->state = STATE_FAILED;
        d->status = status;
    }
    return status;
}

/* Makes room for a record of d->length bytes. */
static int reserve(recordio_decoder *d, sched_error *err)
{
    uint8_t *grown;
    if (d->cap >= d->length)
        return HDRF_OK;
    grown = realloc(d->buf, d->length);
    if (!grown)
        return fail(d, err, HDRF_ENOMEM, d->offset, "out of memory for a record");
    d->buf = grown;
    d->cap = d->length;
    return HDRF_OK;
}

/* Consumes data bytes from p[*pos..len) into the current record. */
static int data_bytes(recordio_decoder *d, const uint8_t *p, size_t len, size_t *pos,
                      recordio_record_fn on_record, void *arg, sched_error *err)
{
    size_t avail = len - *pos, need = d->length - d->have, take;
    int status;
    if (d->have == 0 && avail >= need) { /* whole in this chunk: no copy */
        *pos += need;
        d->offset += need;
        return deliver(d, p + *pos - need, need, on_record, arg, err);
    }
    if ((status = reserve(d, err)) != HDRF_OK)
        return status;
    take = avail < need ? avail : need;
    memcpy(d->buf + d->have, p + *pos, take);
    d->have += take;
    *pos += take;
    d->offset += take;
    if (d->have < d->length)
        return HDRF_OK;
    return deliver(d, d->buf, d->length, on_record, arg, err);
}

int recordio_decoder_feed(recordio_decoder *d, const void *data, size_t len,
                          recordio_record_fn on_record, void *arg, sched_error *err)
{
    const uint8_t *p = data;
    size_t pos = 0;
    int status = HDRF_OK;
    if (d->state == STATE_FAILED)
        return failed_before(d, err);
    while (pos < len && status == HDRF_OK) {
        if (d->state == STATE_DATA) {
            status = data_bytes(d, p, len, &pos, on_record, arg, err);
            continue;
        }
        uint8_t c = p[pos];
        if ((status = length_byte(d, c, err)) != HDRF_OK)
            break;
        pos++;
        d->offset++;
        if (c != '\n')
            continue;
        if (d->length == 0) /* an empty record: nothing more to read */
            status = deliver(d, p + pos, 0, on_record, arg, err);
        else
            d->state = STATE_DATA;
    }
    return status;
}

int recordio_decoder_finish(recordio_decoder *d, sched_error *err)
{
    char what[160];
    if (d->state == STATE_FAILED)
        return failed_before(d, err);
    if (d->state == STATE_LENGTH && d->digits == 0)
        return HDRF_OK;
    if (d->state == STATE_LENGTH)
        snprintf(what, sizeof what, "the stream ended inside a record length (%zu digits read)",
                 d->digits);
    else
        snprintf(what, sizeof what, "the stream ended inside a record: %zu of %zu bytes received",
                 d->have, d->length);
    return fail(d, err, RECORDIO_ETRUNCATED, d->offset, what);
}

int recordio_encode(const void *data, size_t len, uint8_t **out, size_t *out_len)
{
    char header[24];
    int n = snprintf(header, sizeof header, "%zu\n", len);
    *out_len = 0;
    *out = len <= SIZE_MAX - (size_t)n ? malloc((size_t)n + len) : NULL;
    if (!*out)
        return HDRF_ENOMEM;
    memcpy(*out, header, (size_t)n);
    if (len)
        memcpy(*out + n, data, len);
    *out_len = (size_t)n + len;
    return HDRF_OK;
}
