/* test_recordio.c: the incremental RecordIO decoder and the encoder.
 *
 * Owns the proof that scheduler/recordio.c frames records exactly as Mesos
 * does, whatever the chunking: the recorded SUBSCRIBE streams of a real
 * Mesos 1.11.0 master (test/data/, from the shared fixtures) decode into the
 * records whose lengths their own length lines announce, fed in one piece,
 * split at every byte, byte by byte and in random chunks; re-encoding the
 * records gives back the files byte for byte. Malformed lengths, oversize
 * records and streams cut inside a record each fail with their own status
 * and a message, and the failure is sticky. */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/recordio.h"
#include "test/prng.h"

#define MAX_RECORDS 16
#define LIMIT (1u << 20)

/* What a callback saw: copies of every record, concatenated. */
typedef struct seen {
    size_t n;
    size_t len[MAX_RECORDS];
    size_t start[MAX_RECORDS];
    uint8_t bytes[8192];
    size_t used;
    int refuse_at; /* refuse record number refuse_at (1-based); 0: never */
} seen;

static int collect(const uint8_t *data, size_t len, void *arg, sched_error *err)
{
    seen *s = arg;
    if (s->n == MAX_RECORDS || s->used + len > sizeof s->bytes)
        return sched_error_set(err, HDRF_EINVAL, "test: too many records");
    s->start[s->n] = s->used;
    s->len[s->n] = len;
    memcpy(s->bytes + s->used, data, len);
    s->used += len;
    s->n++;
    if (s->refuse_at && (int)s->n == s->refuse_at)
        return sched_error_set(err, HDRF_ENOTFOUND, "test: refused record %zu", s->n);
    return HDRF_OK;
}

/* Feeds buf in chunks whose sizes come from `cut` (NULL: one piece), then
 * finishes. Returns the first non-OK status, or HDRF_OK. */
static int decode(const char *buf, size_t len, const size_t *cuts, size_t ncuts, seen *s,
                  sched_error *err)
{
    recordio_decoder d;
    size_t pos = 0;
    int status = HDRF_OK;
    recordio_decoder_init(&d, LIMIT);
    for (size_t i = 0; i <= ncuts && status == HDRF_OK; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        status = recordio_decoder_feed(&d, buf + pos, end - pos, collect, s, err);
        pos = end;
    }
    if (status == HDRF_OK)
        status = recordio_decoder_finish(&d, err);
    recordio_decoder_free(&d);
    return status;
}

static long load(const char *file, char **buf)
{
    long len = test_read_file(test_data_path(file), buf);
    CU_ASSERT(len > 0);
    return len;
}

/* Checks that s holds the same records as want. */
static int same_records(const seen *s, const seen *want)
{
    if (s->n != want->n || s->used != want->used)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] != want->len[i])
            return 0;
    return memcmp(s->bytes, want->bytes, s->used) == 0;
}

/* ---- the recorded streams, whole ----------------------------------------- */

/* sub-json.recordio announces 431, 20 and 909 bytes (its length lines), and
 * its records are the JSON events SUBSCRIBED, HEARTBEAT, OFFERS. */
static void test_json_stream_whole(void)
{
    char *buf = NULL;
    long len = load("sub-json.recordio", &buf);
    seen s = {0};
    sched_error err;
    static const char *const starts[] = {"{\"type\":\"SUBSCRIBED\"", "{\"type\":\"HEARTBEAT\"}",
                                         "{\"type\":\"OFFERS\""};
    if (len <= 0)
        return;
    CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &s, &err), HDRF_OK);
    CU_ASSERT_EQUAL(s.n, 3);
    CU_ASSERT_EQUAL(s.len[0], 431);
    CU_ASSERT_EQUAL(s.len[1], 20);
    CU_ASSERT_EQUAL(s.len[2], 909);
    /* the three length lines plus the records are the whole file */
    CU_ASSERT_EQUAL((size_t)len, 4 + 431 + 3 + 20 + 4 + 909);
    for (size_t i = 0; i < s.n && i < 3; i++) {
        CU_ASSERT(memcmp(s.bytes + s.start[i], starts[i], strlen(starts[i])) == 0);
        CU_ASSERT_EQUAL(s.bytes[s.start[i] + s.len[i] - 1], '}');
    }
    free(buf);
}

/* sub-pb.recordio starts "188\n" and holds 3 records; session.recordio 6. */
static void test_protobuf_streams_whole(void)
{
    char *buf = NULL;
    long len = load("sub-pb.recordio", &buf);
    seen s = {0};
    if (len > 0) {
        CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &s, NULL), HDRF_OK);
        CU_ASSERT_EQUAL(s.n, 3);
        CU_ASSERT_EQUAL(s.len[0], 188);
        /* every protobuf Event starts with field 1 (type), varint: 0x08 */
        for (size_t i = 0; i < s.n; i++)
            CU_ASSERT_EQUAL(s.bytes[s.start[i]], 0x08);
    }
    free(buf);
    buf = NULL;
    memset(&s, 0, sizeof s);
    len = load("session.recordio", &buf);
    if (len > 0) {
        CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &s, NULL), HDRF_OK);
        CU_ASSERT_EQUAL(s.n, 6);
    }
    free(buf);
}

/* ---- the same streams, split anywhere -------------------------------------- */

static void check_every_split(const char *file)
{
    char *buf = NULL;
    long len = load(file, &buf);
    seen whole = {0};
    int failures = 0;
    if (len <= 0)
        return;
    CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &whole, NULL), HDRF_OK);
    for (size_t cut = 0; cut <= (size_t)len; cut++) { /* two pieces */
        seen s = {0};
        failures +=
            decode(buf, (size_t)len, &cut, 1, &s, NULL) != HDRF_OK || !same_records(&s, &whole);
    }
    for (size_t a = 0; a < (size_t)len; a += 7) /* three pieces */
        for (size_t b = a; b <= (size_t)len; b += 5) {
            size_t cuts[] = {a, b};
            seen s = {0};
            failures +=
                decode(buf, (size_t)len, cuts, 2, &s, NULL) != HDRF_OK || !same_records(&s, &whole);
        }
    CU_ASSERT_EQUAL(failures, 0);
    free(buf);
}

static void test_split_everywhere(void)
{
    check_every_split("sub-json.recordio");
    check_every_split("sub-pb.recordio");
    check_every_split("session.recordio");
}

static void test_byte_by_byte_and_random_chunks(void)
{
    char *buf = NULL;
    long len = load("session.recordio", &buf);
    seen whole = {0}, s = {0};
    size_t *cuts;
    prng p = {6};
    int failures = 0;
    if (len <= 0)
        return;
    cuts = malloc((size_t)len * sizeof *cuts);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cuts);
    CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &whole, NULL), HDRF_OK);
    for (size_t i = 0; i < (size_t)len; i++)
        cuts[i] = i;
    CU_ASSERT_EQUAL(decode(buf, (size_t)len, cuts, (size_t)len, &s, NULL), HDRF_OK);
    CU_ASSERT(same_records(&s, &whole));
    for (int round = 0; round < 500; round++) {
        size_t n = 0;
        for (size_t at = prng_below(&p, 40); at < (size_t)len; at += 1 + prng_below(&p, 60))
            cuts[n++] = at;
        memset(&s, 0, sizeof s);
        failures +=
            decode(buf, (size_t)len, cuts, n, &s, NULL) != HDRF_OK || !same_records(&s, &whole);
    }
    CU_ASSERT_EQUAL(failures, 0);
    free(cuts);
    free(buf);
}

/* ---- records at the edges ------------------------------------------------- */

static void test_empty_and_tiny_records(void)
{
    static const char stream[] = "0\n1\nx0\n3\nabc";
    seen s = {0};
    CU_ASSERT_EQUAL(decode(stream, sizeof stream - 1, NULL, 0, &s, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(s.n, 4);
    CU_ASSERT_EQUAL(s.len[0], 0);
    CU_ASSERT_EQUAL(s.len[1], 1);
    CU_ASSERT_EQUAL(s.len[2], 0);
    CU_ASSERT_EQUAL(s.len[3], 3);
    CU_ASSERT(memcmp(s.bytes, "xabc", 4) == 0);
    memset(&s, 0, sizeof s); /* an empty stream is a clean end */
    CU_ASSERT_EQUAL(decode("", 0, NULL, 0, &s, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(s.n, 0);
}

/* A record of exactly the limit passes; one byte more fails as soon as the
 * length says so, before any data arrives. */
static void test_size_limit(void)
{
    recordio_decoder d;
    sched_error err;
    seen s = {0};
    recordio_decoder_init(&d, 5);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "5\nhello", 7, collect, &s, &err), HDRF_OK);
    CU_ASSERT_EQUAL(s.n, 1);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "6", 1, collect, &s, &err), RECORDIO_ETOOBIG);
    CU_ASSERT_EQUAL(err.status, RECORDIO_ETOOBIG);
    CU_ASSERT_STRING_EQUAL(err.text, "recordio: byte 7: a record longer than the limit of 5 bytes");
    recordio_decoder_free(&d);

    /* a length of 25 digits is refused as too big, without overflowing */
    recordio_decoder_init(&d, LIMIT);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "9999999999999999999999999\n", 26, collect, &s, &err),
                    RECORDIO_ETOOBIG);
    CU_ASSERT(strstr(err.text, "limit of 1048576 bytes") != NULL);
    recordio_decoder_free(&d);
}

static void check_malformed(const char *stream, const char *want)
{
    sched_error err;
    seen s = {0};
    CU_ASSERT_EQUAL(decode(stream, strlen(stream), NULL, 0, &s, &err), RECORDIO_EMALFORMED);
    CU_ASSERT_EQUAL(err.status, RECORDIO_EMALFORMED);
    CU_ASSERT_STRING_EQUAL(err.text, want);
    if (strcmp(err.text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err.text, want);
}

static void test_malformed_lengths(void)
{
    check_malformed("12x\nabc", "recordio: byte 2: 'x' in a record length: expected decimal "
                                "digits then a newline");
    check_malformed("\nabc", "recordio: byte 0: empty record length: expected decimal digits "
                             "then a newline");
    check_malformed("-1\n", "recordio: byte 0: '-' in a record length: expected decimal "
                            "digits then a newline");
    check_malformed(" 5\nhello", "recordio: byte 0: ' ' in a record length: expected decimal "
                                 "digits then a newline");
    check_malformed("5\r\nhello", "recordio: byte 1: byte 0x0d in a record length: expected "
                                  "decimal digits then a newline");
    /* a stream that puts a newline after each record (not RecordIO) */
    check_malformed("2\nab\n2\ncd", "recordio: byte 4: empty record length: expected decimal "
                                    "digits then a newline");
}

static void test_truncated(void)
{
    sched_error err;
    seen s = {0};
    CU_ASSERT_EQUAL(decode("5\nabc", 5, NULL, 0, &s, &err), RECORDIO_ETRUNCATED);
    CU_ASSERT_STRING_EQUAL(err.text, "recordio: byte 5: the stream ended inside a record: 3 of "
                                     "5 bytes received");
    CU_ASSERT_EQUAL(s.n, 0);
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(decode("3\nabc12", 7, NULL, 0, &s, &err), RECORDIO_ETRUNCATED);
    CU_ASSERT_STRING_EQUAL(err.text, "recordio: byte 7: the stream ended inside a record length "
                                     "(2 digits read)");
    CU_ASSERT_EQUAL(s.n, 1);
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(decode("3\n", 2, NULL, 0, &s, &err), RECORDIO_ETRUNCATED);
    CU_ASSERT(strstr(err.text, "0 of 3 bytes") != NULL);
}

/* The recorded stream cut one byte short: truncated, with the records
 * before the cut delivered. */
static void test_truncated_recording(void)
{
    char *buf = NULL;
    long len = load("sub-json.recordio", &buf);
    sched_error err;
    seen s = {0};
    if (len <= 0)
        return;
    CU_ASSERT_EQUAL(decode(buf, (size_t)len - 1, NULL, 0, &s, &err), RECORDIO_ETRUNCATED);
    CU_ASSERT_EQUAL(s.n, 2);
    CU_ASSERT(strstr(err.text, "908 of 909 bytes") != NULL);
    free(buf);
}

static void test_failure_is_sticky(void)
{
    recordio_decoder d;
    sched_error err;
    seen s = {0};
    recordio_decoder_init(&d, LIMIT);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "x", 1, collect, &s, &err), RECORDIO_EMALFORMED);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "1\na", 3, collect, &s, &err), RECORDIO_EMALFORMED);
    CU_ASSERT(strstr(err.text, "already failed") != NULL);
    CU_ASSERT_EQUAL(recordio_decoder_finish(&d, &err), RECORDIO_EMALFORMED);
    CU_ASSERT_EQUAL(s.n, 0);
    recordio_decoder_reset(&d); /* a new stream starts clean */
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "1\na", 3, collect, &s, &err), HDRF_OK);
    CU_ASSERT_EQUAL(s.n, 1);
    CU_ASSERT_EQUAL(recordio_decoder_finish(&d, &err), HDRF_OK);
    recordio_decoder_free(&d);
}

/* A callback's refusal stops the feed with the callback's status and
 * message, and sticks like any failure. */
static void test_callback_refusal(void)
{
    recordio_decoder d;
    sched_error err;
    seen s = {0};
    s.refuse_at = 2;
    recordio_decoder_init(&d, LIMIT);
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "1\na1\nb1\nc", 9, collect, &s, &err),
                    HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(s.n, 2);
    CU_ASSERT_STRING_EQUAL(err.text, "test: refused record 2");
    CU_ASSERT_EQUAL(recordio_decoder_feed(&d, "1\nd", 3, collect, &s, &err), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(s.n, 2);
    recordio_decoder_free(&d);
}

/* ---- encoding --------------------------------------------------------------- */

static void test_encode(void)
{
    uint8_t *out = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(recordio_encode("hello", 5, &out, &len), HDRF_OK);
    CU_ASSERT_EQUAL(len, 7);
    CU_ASSERT(out && memcmp(out, "5\nhello", 7) == 0);
    free(out);
    CU_ASSERT_EQUAL(recordio_encode(NULL, 0, &out, &len), HDRF_OK);
    CU_ASSERT(len == 2 && out && memcmp(out, "0\n", 2) == 0);
    free(out);
}

/* Re-framing every decoded record rebuilds the recorded files exactly. */
static void check_reencodes(const char *file)
{
    char *buf = NULL, *rebuilt;
    long len = load(file, &buf);
    seen s = {0};
    size_t at = 0;
    if (len <= 0)
        return;
    rebuilt = malloc((size_t)len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rebuilt);
    CU_ASSERT_EQUAL(decode(buf, (size_t)len, NULL, 0, &s, NULL), HDRF_OK);
    for (size_t i = 0; i < s.n; i++) {
        uint8_t *out = NULL;
        size_t n = 0;
        CU_ASSERT_EQUAL(recordio_encode(s.bytes + s.start[i], s.len[i], &out, &n), HDRF_OK);
        if (out && at + n <= (size_t)len)
            memcpy(rebuilt + at, out, n);
        at += n;
        free(out);
    }
    CU_ASSERT(at == (size_t)len && memcmp(rebuilt, buf, at) == 0);
    free(rebuilt);
    free(buf);
}

static void test_reencode_recordings(void)
{
    check_reencodes("sub-json.recordio");
    check_reencodes("sub-pb.recordio");
    check_reencodes("session.recordio");
}

int suite_recordio(void)
{
    static const test_case cases[] = {
        {"recorded JSON stream: records of the announced lengths", test_json_stream_whole},
        {"recorded protobuf streams: record counts and first length", test_protobuf_streams_whole},
        {"recorded streams split at every byte, and in three pieces", test_split_everywhere},
        {"byte by byte and 500 random chunkings", test_byte_by_byte_and_random_chunks},
        {"empty and one-byte records", test_empty_and_tiny_records},
        {"size limit: exact fits, one more fails early", test_size_limit},
        {"malformed lengths: distinct status, byte offset", test_malformed_lengths},
        {"truncated inside a record or a length", test_truncated},
        {"a recording cut one byte short", test_truncated_recording},
        {"a failure is sticky until reset", test_failure_is_sticky},
        {"a callback's refusal stops the stream", test_callback_refusal},
        {"encoding frames a record", test_encode},
        {"re-encoding the recordings gives the files back", test_reencode_recordings},
        {NULL, NULL},
    };
    return test_add_suite("recordio", cases);
}
