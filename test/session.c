/* session.c: the recorded Mesos 1.11.0 session's offer, for the suites
 * that place or launch on it (see session.h). */
#include "test/session.h"

#include <stdlib.h>

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
