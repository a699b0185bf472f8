/* http_request.c: one POST to a master over libcurl (see http_request.h). */
#include "scheduler/http_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/http_header.h"

#define DEFAULT_LIMIT (64 * 1024)

/* Copies a header value into a fixed field; false when it does not fit. */
static bool keep_value(char *dst, size_t size, const char *value, size_t len)
{
    if (len >= size)
        return false;
    memcpy(dst, value, len);
    dst[len] = '\0';
    return true;
}

/* A status line starts a new response: a 100 Continue is followed by the
 * real one, whose headers are the only ones that count. */
static void status_line(http_request *r, int code, const char *line, size_t len)
{
    const char *space = memchr(line, ' ', len); /* http_header_status() vetted the form */
    size_t start = space ? (size_t)(space - line) + 4 : len, end = len, n;
    r->status = code;
    r->content_type[0] = r->stream_id[0] = r->location[0] = '\0';
    r->headers_done = r->header_too_long = false;
    while (start < end && line[start] == ' ')
        start++;
    while (end > start && (line[end - 1] == '\r' || line[end - 1] == '\n'))
        end--;
    n = end - start < sizeof r->reason ? end - start : sizeof r->reason - 1;
    memcpy(r->reason, line + start, n);
    r->reason[n] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nitems, void *arg)
{
    http_request *r = arg;
    size_t len = size * nitems;
    static const struct {
        const char *name;
        size_t offset, size;
    } kept[] = {
        {"Content-Type", offsetof(http_request, content_type), sizeof r->content_type},
        {"Mesos-Stream-Id", offsetof(http_request, stream_id), sizeof r->stream_id},
        {"Location", offsetof(http_request, location), sizeof r->location},
    };
    const char *value;
    size_t value_len;
    int code = http_header_status(line, len);
    if (code >= 0) {
        status_line(r, code, line, len);
        return len;
    }
    if (len <= 2 && (line[0] == '\r' || line[0] == '\n')) {
        r->headers_done = r->status >= 200;
        return len;
    }
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (http_header_match(line, len, kept[i].name, &value, &value_len) &&
            !keep_value((char *)r + kept[i].offset, kept[i].size, value, value_len))
            r->header_too_long = true;
    return len;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
    http_request *r = arg;
    size_t len = size * nmemb, take = len;
    if (r->in_len + len > r->limit) {
        if (r->streaming && r->in_len > 0) {
            r->paused = true;
            return CURL_WRITEFUNC_PAUSE; /* libcurl keeps the bytes for later */
        }
        if (!r->streaming) {
            take = r->limit - r->in_len;
            r->dropped += len - take;
        }
    }
    if (r->in_len + take > r->in_cap) {
        size_t cap = r->in_cap ? r->in_cap : 4096;
        uint8_t *grown;
        while (cap < r->in_len + take)
            cap *= 2;
        if (!(grown = realloc(r->in, cap)))
            return 0; /* libcurl ends the transfer with CURLE_WRITE_ERROR */
        r->in = grown;
        r->in_cap = cap;
    }
    memcpy(r->in + r->in_len, data, take);
    r->in_len += take;
    return len;
}

/* Appends "name: value" to the request's headers. */
static bool add_header(http_request *r, const char *name, const char *value)
{
    char line[256];
    struct curl_slist *grown;
    if ((size_t)snprintf(line, sizeof line, "%s: %s", name, value) >= sizeof line)
        return false;
    if (!(grown = curl_slist_append(r->headers, line)))
        return false;
    r->headers = grown;
    return true;
}

int http_request_new(const http_request_options *opt, uint8_t *body, size_t len, http_request **out,
                     sched_error *err)
{
    http_request *r = calloc(1, sizeof *r);
    CURL *e;
    int status = HDRF_OK;
    *out = NULL;
    if (!r) {
        free(body);
        return sched_error_set(err, HDRF_ENOMEM, "HTTP request: out of memory");
    }
    r->body = body;
    r->body_len = len;
    r->streaming = opt->streaming;
    r->limit = opt->buffer_limit ? opt->buffer_limit : DEFAULT_LIMIT;
    if (!(e = r->easy = curl_easy_init()) || !add_header(r, "Content-Type", opt->media_type) ||
        !add_header(r, "Accept", opt->media_type) ||
        (opt->stream_id && !add_header(r, "Mesos-Stream-Id", opt->stream_id)) ||
        /* No "Expect: 100-continue" round trip before a large body. */
        !add_header(r, "Expect", "")) {
        status = sched_error_set(err, HDRF_ENOMEM, "HTTP request: out of memory");
        goto out;
    }
    if (curl_easy_setopt(e, CURLOPT_URL, opt->url) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, (char *)r->body) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HEADERDATA, r) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEDATA, r) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_error) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PRIVATE, r) != CURLE_OK ||
        /* Signals would reach the whole program; the scheduler is one loop. */
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        /* The master's answers are plain HTTP/1.1; a redirect is the
         * scheduler's decision (it re-subscribes), never libcurl's. */
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, opt->connect_timeout_ms) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, opt->timeout_ms) != CURLE_OK ||
        /* A stream may be silent for a heartbeat interval: let TCP notice a
         * peer that vanished without a FIN. */
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK)
        status = sched_error_set(err, HDRF_EINVAL,
                                 "HTTP request to '%s': libcurl refused an "
                                 "option",
                                 opt->url);
out:
    if (status != HDRF_OK)
        http_request_free(r);
    else
        *out = r;
    return status;
}

int http_request_start(http_request *r, CURLM *multi, sched_error *err)
{
    CURLMcode rc = curl_multi_add_handle(multi, r->easy);
    if (rc != CURLM_OK)
        return sched_error_set(err, rc == CURLM_OUT_OF_MEMORY ? HDRF_ENOMEM : HDRF_EINVAL,
                               "HTTP request: %s", curl_multi_strerror(rc));
    r->multi = multi;
    return HDRF_OK;
}

void http_request_consume(http_request *r)
{
    r->in_len = 0;
    if (r->paused) {
        r->paused = false;
        curl_easy_pause(r->easy, CURLPAUSE_CONT);
    }
}

bool http_request_ok(const http_request *r) { return r->status >= 200 && r->status < 300; }

int http_request_failure(const http_request *r, CURLcode result, int status, const char *what,
                         sched_error *err)
{
    char text[201];
    size_t n = 0;
    if (result != CURLE_OK)
        return sched_error_set(err, status, "%s: %s", what,
                               r->curl_error[0] ? r->curl_error : curl_easy_strerror(result));
    /* The master's reason is plain text; keep it one printable line. */
    for (size_t i = 0; i < r->in_len && n < sizeof text - 1; i++)
        text[n++] = r->in[i] >= 0x20 && r->in[i] < 0x7f ? (char)r->in[i] : ' ';
    while (n > 0 && text[n - 1] == ' ')
        n--;
    text[n] = '\0';
    return sched_error_set(err, status, "%s: %d%s%s%s%s", what, r->status, r->reason[0] ? " " : "",
                           r->reason, n ? ": " : "", text);
}

void http_request_free(http_request *r)
{
    if (!r)
        return;
    if (r->multi)
        curl_multi_remove_handle(r->multi, r->easy);
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    free(r->body);
    free(r->in);
    free(r);
}
