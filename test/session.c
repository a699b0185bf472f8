/* session.c: the recorded Mesos 1.11.0 session's offer, for the suites
 * that place or launch on it, and its events replayed by the stub master
 * (see session.h). */
#include "test/session.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/recordio.h"
#include "test/test.h"

static int keep_offers(const uint8_t *data, size_t len, void *arg, sched_error *err)
{
    sched_event **offers = arg, *ev = NULL;
    int status = wire_event_decode(WIRE_PROTOBUF, data, len, &ev, err);
    if (status == HDRF_OK && ev->type == MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS && !*offers)
        *offers = ev;
    else
        wire_event_free(ev);
    return status;
}

sched_event *session_offers(void)
{
    char *buf = NULL;
    long len = test_read_file(test_data_path("session.recordio"), &buf);
    sched_event *ev = NULL;
    recordio_decoder d;
    recordio_decoder_init(&d, 1 << 20);
    if (len > 0)
        recordio_decoder_feed(&d, buf, (size_t)len, keep_offers, &ev, NULL);
    recordio_decoder_free(&d);
    free(buf);
    return ev;
}

/* The first `records` records of a RecordIO stream: their byte length. */
size_t session_records_prefix(const char *data, size_t len, int records)
{
    size_t at = 0;
    for (int i = 0; i < records && at < len; i++) {
        char *end = NULL;
        unsigned long n = strtoul(data + at, &end, 10);
        if (!end || *end != '\n')
            return 0;
        at = (size_t)(end - data) + 1 + n;
    }
    return at <= len ? at : 0;
}

/* Queues a SUBSCRIBE reply: the first `records` recorded events (3:
 * SUBSCRIBED, HEARTBEAT, OFFERS; 6: and the three UPDATEs of task
 * hello-1), then the stream stays open. */
int session_push_subscription(http_stub *stub, int records)
{
    char *head = NULL, *body = NULL;
    long hl = test_read_file(test_data_path("sub-pb.headers"), &head);
    long bl = test_read_file(test_data_path("session.recordio"), &body);
    size_t len = bl > 0 ? session_records_prefix(body, (size_t)bl, records) : 0;
    stub_reply r = {head, body, len, 64, STUB_HOLD};
    int rc = hl > 0 && len > 0 ? stub_push(stub, &r) : -1;
    free(head);
    free(body);
    return rc;
}
