/* http_request.h: one POST to a Mesos master over libcurl, and its answer.
 *
 * Both kinds of request of the v1 scheduler API go through here: the
 * SUBSCRIBE whose answer is an endless stream of events, and the short
 * calls answered by `202 Accepted` (or by an error with a text body). A
 * request owns its libcurl easy handle, its headers and body, and gathers
 * the parts of the answer the scheduler reads: the status line, the
 * Content-Type, Mesos-Stream-Id and Location headers, and the body bytes.
 *
 * Bytes are only gathered in libcurl's callbacks, never interpreted there:
 * libcurl forbids calling into the multi handle from its callbacks, and the
 * scheduler's reaction to an event (sending a call, dropping the
 * connection) does exactly that. The owner reads the gathered bytes after
 * curl_multi_perform() returns. A streaming request holds at most
 * `buffer_limit` unread bytes: past that, libcurl is told to pause the
 * transfer until http_request_consume(), so a fast master cannot make the
 * buffer grow without bound. A non-streaming request keeps the first
 * `buffer_limit` bytes of its body and counts the rest (error bodies are
 * for a message, not to be stored whole).
 *
 * Ownership: the request owns everything it allocates, the body passed to
 * http_request_new() included, until http_request_free(), which also takes
 * it out of the multi handle it was started on.
 */
#ifndef HDRF_SCHED_HTTP_REQUEST_H
#define HDRF_SCHED_HTTP_REQUEST_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"

typedef struct http_request_options {
    const char *url;         /* borrowed for the call (libcurl copies it) */
    const char *media_type;  /* Content-Type and Accept */
    const char *stream_id;   /* Mesos-Stream-Id to send, or NULL */
    long connect_timeout_ms; /* libcurl's, on real time; 0: libcurl's default */
    long timeout_ms;         /* whole transfer, real time; 0: none (a stream) */
    bool streaming;          /* pause at buffer_limit rather than truncate */
    size_t buffer_limit;     /* see above; 0 means 64 KiB */
} http_request_options;

typedef struct http_request {
    CURL *easy;
    CURLM *multi; /* where it runs, once started */
    struct curl_slist *headers;
    uint8_t *body; /* the request body, owned */
    size_t body_len;
    bool streaming;
    size_t limit;
    /* The answer. Each new status line (a 100 Continue, then the real
     * one) starts these over. */
    int status; /* 0 until a status line arrived */
    char reason[64];
    char content_type[128];
    char stream_id[128];
    char location[512];
    bool headers_done;    /* the final response's headers are all in */
    bool header_too_long; /* one of the kept headers did not fit */
    /* Body bytes not read yet (all of them for a non-streaming request). */
    uint8_t *in;
    size_t in_len, in_cap;
    uint64_t dropped; /* bytes beyond the limit of a non-streaming request */
    bool paused;
    char curl_error[CURL_ERROR_SIZE];
    void *owner; /* the owner's tag for this request */
} http_request;

/* Prepares a POST of `body` (`len` bytes; taken over: freed with the
 * request, or at once on failure). Returns HDRF_OK, HDRF_ENOMEM, or
 * HDRF_EINVAL when libcurl refuses an option. */
int http_request_new(const http_request_options *opt, uint8_t *body, size_t len, http_request **out,
                     sched_error *err);

/* Hands the request to `multi`, where curl_multi_perform() runs it. */
int http_request_start(http_request *r, CURLM *multi, sched_error *err);

/* Forgets the body bytes read so far, and lets a paused transfer go on
 * (libcurl may hand it more bytes before this returns). */
void http_request_consume(http_request *r);

/* Whether the final status is 2xx. */
bool http_request_ok(const http_request *r);

/* Describes how the request ended for an error message, after `what`:
 *   "<what>: 400 Bad Request: <the body, printable, at most 200 bytes>"
 *   "<what>: <libcurl's error>"            (when `result` is not CURLE_OK)
 * Returns `status` after setting err. */
int http_request_failure(const http_request *r, CURLcode result, int status, const char *what,
                         sched_error *err);

/* Takes the request out of its multi handle and frees it. NULL is a no-op. */
void http_request_free(http_request *r);

#endif
