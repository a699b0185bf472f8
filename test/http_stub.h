/* http_stub.h: a loopback HTTP/1.1 server that plays a Mesos master.
 *
 * The scheduler's HTTP client is tested against real sockets, not mocks:
 * the stub listens on 127.0.0.1 at an ephemeral port and serves, from a
 * thread of its own, replies the test scripts from recorded traffic. A
 * request without a Mesos-Stream-Id header is a SUBSCRIBE (Mesos refuses
 * the header there and requires it everywhere else): it gets the next
 * queued reply, or a 503 when none is queued. Every other request gets
 * the call reply (202 Accepted unless the test sets another). Every request
 * is recorded, headers and body, for the test to inspect.
 *
 * A reply is a head (status line and headers as recorded, CRLF included,
 * up to and with the blank line) and a body. With `Transfer-Encoding:
 * chunked` in the head the body is sent in chunks of `chunk` bytes, so
 * that records arrive split across chunks as they do from a real master.
 * After the body the reply either ends (the terminating chunk; the
 * connection stays open for the next request), holds (nothing more is
 * sent, the connection stays open: a stream that went silent) or is cut
 * (the socket is closed without ending the body).
 *
 * Ownership: replies are copied when queued; request copies are the
 * caller's (stub_request_free). The stub is the caller's until stub_stop().
 */
#ifndef HDRF_TEST_HTTP_STUB_H
#define HDRF_TEST_HTTP_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum stub_end { STUB_END, STUB_HOLD, STUB_CUT } stub_end;

typedef struct stub_reply {
    const char *head;
    const void *body;
    size_t body_len;
    size_t chunk; /* chunked bodies: bytes per chunk; 0: one chunk */
    stub_end end;
} stub_reply;

typedef struct stub_request {
    char method[16];
    char path[256];
    char content_type[128];
    char accept[128];
    char stream_id[128];
    bool has_stream_id;
    uint8_t *body;
    size_t body_len;
} stub_request;

typedef struct http_stub http_stub;

/* Listens on 127.0.0.1:<ephemeral> and starts serving. NULL on failure. */
http_stub *stub_start(void);

/* Closes every connection, stops the thread, frees the stub. */
void stub_stop(http_stub *s);

uint16_t stub_port(const http_stub *s);

/* Queues the reply to the next SUBSCRIBE. Returns 0, or -1 without memory. */
int stub_push(http_stub *s, const stub_reply *r);

/* The reply to every call from now on. Returns 0, or -1 without memory. */
int stub_set_call_reply(http_stub *s, const stub_reply *r);

/* Closes the connections of held replies: a master ending its streams. */
void stub_close_held(http_stub *s);

/* How many requests arrived; how many of them were SUBSCRIBEs. */
size_t stub_count(http_stub *s);
size_t stub_subscribes(http_stub *s);

/* Copies request `i` (in arrival order) into *out. Returns 0, or -1 when
 * there is no such request or no memory. */
int stub_request_get(http_stub *s, size_t i, stub_request *out);
void stub_request_free(stub_request *r);

#endif
