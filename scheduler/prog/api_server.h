/* api_server.h: the HTTP server of hdrf-scheduler's operator API, on GNU
 * libmicrohttpd, beside the scheduler's loop.
 *
 * Threads. libmicrohttpd listens in a thread of its own and serves each
 * connection in a thread of its own (at most API_MAX_CONNECTIONS at once):
 * that thread reads the request and its body (at most API_MAX_BODY bytes,
 * else 413), checks the credentials (api_auth.h; 401 else) and writes the
 * answer. A complete request is handed to the scheduler's loop through a
 * queue: the loop polls api_server_fd(), takes each request with
 * api_server_next() and answers it with api_request_answer(), at once or
 * later (after a ZooKeeper read), while the connection's thread waits for
 * that answer (at most API_ANSWER_SECONDS, then 503). So a slow client
 * holds its own thread only, never the loop, and nothing of the loop's
 * state is touched outside the loop.
 *
 * Streams. Instead of answering, the loop may open a stream on a request
 * (api_request_stream()): the connection's thread then sends whatever the
 * loop writes to it (api_stream_send()) as it comes, and a comment line
 * every API_KEEPALIVE_SECONDS while nothing does, until the client goes or
 * the server stops. GET /v1/events, server-sent events, is one.
 *
 * TLS: with a certificate and a key file, the server speaks HTTPS only
 * (GnuTLS, inside libmicrohttpd).
 *
 * Ownership: the loop owns the server. A request taken with
 * api_server_next() is the loop's until it answers it or opens a stream on
 * it (exactly one of the two, once); a stream is the loop's until
 * api_stream_free(). Both stay valid, if useless, after the client has
 * gone or the server has stopped: what the loop sends then goes nowhere.
 */
#ifndef HDRF_SCHED_PROG_API_SERVER_H
#define HDRF_SCHED_PROG_API_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"
#include "scheduler/sched_log.h"

#define API_MAX_BODY (1024 * 1024) /* a request's body; ZooKeeper's node limit is 1 MiB */
#define API_MAX_CONNECTIONS 64
#define API_ANSWER_SECONDS 30
#define API_KEEPALIVE_SECONDS 15

typedef struct api_server api_server;
typedef struct api_request api_request;
typedef struct api_stream api_stream;

typedef struct api_server_config {
    const char *address;          /* "HOST:PORT" (PORT 0: any free one), IPv6 as [ADDR]:PORT */
    const char *cert_file;        /* PEM; with key_file: HTTPS. NULL or "": plain HTTP */
    const char *key_file;         /* PEM */
    const char *credentials_file; /* api_auth.h; NULL or "": no authentication */
    sched_logger log;             /* the library's own errors (copied; any thread) */
} api_server_config;

/* Listens on the address. HDRF_EINVAL names the flag, the value and the
 * reason (a bad address, a port taken, an unreadable certificate, TLS not
 * built into libmicrohttpd). */
int api_server_start(const api_server_config *cfg, api_server **out, sched_error *err);

/* Stops listening, wakes every waiting connection (503) and stream (end),
 * and frees the server. NULL ignored. */
void api_server_stop(api_server *s);

/* Readable when a request waits for the loop. */
int api_server_fd(const api_server *s);

/* The port listened on (the one chosen when the address said 0). */
uint16_t api_server_port(const api_server *s);

/* Whether it speaks HTTPS. */
bool api_server_tls(const api_server *s);

/* The next complete request, or NULL when none waits. */
api_request *api_server_next(api_server *s);

/* ---- a request, on the loop's side -------------------------------------------------- */

const char *api_request_method(const api_request *r); /* "GET", ... */
const char *api_request_path(const api_request *r);   /* without the query, e.g. /v1/apps */
/* A query parameter's value ("" for `?flag`), or NULL when absent. */
const char *api_request_query(const api_request *r, const char *name);
/* The query again, "?name=value&..." (values percent-encoded), or "". */
const char *api_request_query_string(const api_request *r);
/* The body (NUL-terminated; may hold NULs) and its length. */
const char *api_request_body(const api_request *r, size_t *len);

typedef struct api_answer {
    int status;               /* 200, 404, ... */
    const char *content_type; /* NULL: application/json */
    const char *body;         /* copied; NULL: empty */
    size_t len;               /* of body; 0 with a body: strlen */
    const char *location;     /* a Location header (307), or NULL */
    int retry_after;          /* a Retry-After header in seconds (503), or 0 */
} api_answer;

/* Sends the answer (copied) and gives the request back. */
void api_request_answer(api_request *r, const api_answer *a);

/* Answers 200 text/event-stream and keeps the connection open: the
 * returned stream (NULL when out of memory: then the request was answered
 * 503) carries what api_stream_send() writes. Gives the request back. */
api_stream *api_request_stream(api_request *r);

/* ---- a stream, on the loop's side --------------------------------------------------- */

/* Queues text for the client (copied). False once the client has gone or
 * the server stopped (free the stream), or when the client lags more than
 * API_MAX_BODY behind (then the stream is ended). */
bool api_stream_send(api_stream *st, const char *text, size_t len);

/* Ends the stream (the client sees the end) and gives it back. NULL ignored. */
void api_stream_free(api_stream *st);

#endif
