/* api_server.c: the API's HTTP transport on libmicrohttpd (see api_server.h).
 *
 * A request and a stream are each shared by two sides, the connection's
 * thread and the loop, and counted: each side drops its reference when it
 * is done, and the last one frees. The connection's side ends when
 * libmicrohttpd reports the request completed (the answer sent or the
 * client gone), the loop's when it answers. Each object has its own lock;
 * the server's lock guards only the queue. */
#include "scheduler/prog/api_server.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "scheduler/prog/api_auth.h"

#define IDLE_TIMEOUT_SECONDS 60 /* a connection silent this long is closed */
#define JSON_TYPE "application/json"

struct api_server {
    struct MHD_Daemon *mhd;
    api_auth *auth; /* NULL: no authentication */
    sched_logger log;
    bool tls;
    uint16_t port;
    atomic_bool stopping;
    atomic_bool started; /* libmicrohttpd's lines before: said by our own error instead */
    int pipe_rd, pipe_wr;
    pthread_mutex_t lock; /* the queue */
    api_request *head, *tail;
};

typedef struct answer_copy {
    int status;
    char *content_type, *body, *location;
    size_t len;
    int retry_after;
} answer_copy;

struct api_request {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int refs;
    api_server *server;
    char *method, *path;
    json_t *query;      /* name -> value */
    char *query_string; /* "?..." or "" */
    char *body;         /* NUL-terminated */
    size_t len, cap;    /* of body */
    bool too_large;
    bool queued;   /* handed to the loop */
    bool answered; /* the loop answered (or the connection stopped waiting) */
    answer_copy answer;
    api_stream *stream; /* the loop opened one */
    api_request *next;  /* in the queue */
};

struct api_stream {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int refs;
    api_server *server;
    char *buf;
    size_t len, off, cap;
    bool ended; /* the loop is done with it */
    bool gone;  /* the client is */
};

/* ---- shared objects ---------------------------------------------------------------- */

static void answer_free(answer_copy *a)
{
    free(a->content_type);
    free(a->body);
    free(a->location);
    memset(a, 0, sizeof *a);
}

/* Drops one reference under `lock`; true when it was the last. */
static bool ref_drop(pthread_mutex_t *lock, int *refs)
{
    int left;
    pthread_mutex_lock(lock);
    left = --*refs;
    pthread_mutex_unlock(lock);
    return left == 0;
}

static void request_release(api_request *r)
{
    if (!ref_drop(&r->lock, &r->refs))
        return;
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->cond);
    free(r->method);
    free(r->path);
    json_decref(r->query);
    free(r->query_string);
    free(r->body);
    answer_free(&r->answer);
    free(r);
}

static void stream_release(api_stream *st)
{
    if (!ref_drop(&st->lock, &st->refs))
        return;
    pthread_mutex_destroy(&st->lock);
    pthread_cond_destroy(&st->cond);
    free(st->buf);
    free(st);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    if (key)
        json_object_set_new(cls, key, json_string(value ? value : ""));
    return MHD_YES;
}

static void percent_encode(FILE *f, const char *text)
{
    for (; *text; text++) {
        unsigned char ch = (unsigned char)*text;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-._~", ch))
            fputc(ch, f);
        else
            fprintf(f, "%%%02X", ch);
    }
}

/* The parsed query written again (the library hands it over parsed). */
static char *query_string(const json_t *query)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *key;
    json_t *value;
    bool first = true;
    if (!f)
        return NULL;
    json_object_foreach((json_t *)query, key, value)
    {
        fputc(first ? '?' : '&', f);
        percent_encode(f, key);
        if (json_string_length(value) > 0) {
            fputc('=', f);
            percent_encode(f, json_string_value(value));
        }
        first = false;
    }
    fclose(f);
    return text;
}

static api_request *request_new(api_server *s, struct MHD_Connection *c, const char *method,
                                const char *url)
{
    api_request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->refs = 1;
    r->server = s;
    r->method = strdup(method);
    r->path = strdup(url);
    r->query = json_object();
    r->body = calloc(1, 1);
    if (!r->method || !r->path || !r->query || !r->body) {
        request_release(r);
        return NULL;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, r->query);
    if (!(r->query_string = query_string(r->query))) {
        request_release(r);
        return NULL;
    }
    return r;
}

static bool append_body(api_request *r, const char *data, size_t n)
{
    if (r->len + n > API_MAX_BODY) {
        r->too_large = true;
        return true;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = (r->len + n + 1) * 2;
        char *grown = realloc(r->body, cap);
        if (!grown)
            return false;
        r->body = grown;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return true;
}

/* ---- the connection's thread ----------------------------------------------------- */

static enum MHD_Result send_text(struct MHD_Connection *c, int status, const char *type,
                                 const char *body, size_t len, const answer_copy *extra)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;
    char seconds[16];
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type ? type : JSON_TYPE);
    if (extra && extra->location)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, extra->location);
    if (extra && extra->retry_after > 0) {
        snprintf(seconds, sizeof seconds, "%d", extra->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Basic realm=\"hdrf-scheduler\", Bearer realm=\"hdrf-scheduler\"");
    rc = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* The API's error shape, for what the transport refuses itself. */
static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message)
{
    json_t *doc = json_pack("{s:s}", "error", message);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    enum MHD_Result rc = text ? send_text(c, status, JSON_TYPE, text, strlen(text), NULL) : MHD_NO;
    free(text);
    json_decref(doc);
    return rc;
}

static ssize_t read_stream(void *cls, uint64_t pos, char *out, size_t max)
{
    api_stream *st = cls;
    ssize_t n = MHD_CONTENT_READER_END_OF_STREAM;
    int idle = 0;
    (void)pos;
    pthread_mutex_lock(&st->lock);
    while (st->off == st->len && !st->ended && !atomic_load(&st->server->stopping) &&
           idle < API_KEEPALIVE_SECONDS) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 1;
        if (pthread_cond_timedwait(&st->cond, &st->lock, &t) == ETIMEDOUT)
            idle++;
    }
    if (st->off < st->len) {
        size_t take = st->len - st->off < max ? st->len - st->off : max;
        memcpy(out, st->buf + st->off, take);
        st->off += take;
        if (st->off == st->len)
            st->off = st->len = 0;
        n = (ssize_t)take;
    } else if (!st->ended && !atomic_load(&st->server->stopping)) {
        static const char keepalive[] = ": keep-alive\n\n"; /* a comment: SSE clients skip it */
        n = (ssize_t)(sizeof keepalive - 1 < max ? sizeof keepalive - 1 : max);
        memcpy(out, keepalive, (size_t)n);
    }
    pthread_mutex_unlock(&st->lock);
    return n;
}

static void stream_gone(void *cls)
{
    api_stream *st = cls;
    pthread_mutex_lock(&st->lock);
    st->gone = true;
    pthread_mutex_unlock(&st->lock);
    stream_release(st);
}

static enum MHD_Result send_stream(struct MHD_Connection *c, api_stream *st)
{
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_stream, st, stream_gone);
    enum MHD_Result rc;
    if (!resp) {
        stream_gone(st);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return rc;
}

static void enqueue(api_server *s, api_request *r)
{
    ssize_t n;
    pthread_mutex_lock(&r->lock);
    r->refs++; /* the loop's */
    r->queued = true;
    pthread_mutex_unlock(&r->lock);
    pthread_mutex_lock(&s->lock);
    if (s->tail)
        s->tail->next = r;
    else
        s->head = r;
    s->tail = r;
    n = write(s->pipe_wr, "", 1); /* a full pipe wakes the loop all the same */
    (void)n;
    pthread_mutex_unlock(&s->lock);
}

/* Hands the request to the loop and waits for its answer. */
static enum MHD_Result serve(api_server *s, struct MHD_Connection *c, api_request *r)
{
    int waited = 0;
    enum MHD_Result rc;
    enqueue(s, r);
    pthread_mutex_lock(&r->lock);
    while (!r->answered && !atomic_load(&s->stopping) && waited < API_ANSWER_SECONDS) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 1;
        if (pthread_cond_timedwait(&r->cond, &r->lock, &t) == ETIMEDOUT)
            waited++;
    }
    if (!r->answered) {
        r->answered = true; /* an answer coming later is dropped */
        pthread_mutex_unlock(&r->lock);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                          atomic_load(&s->stopping) ? "the scheduler is stopping"
                                                    : "the scheduler did not answer in time");
    }
    pthread_mutex_unlock(&r->lock);
    /* answered: the loop no longer touches the answer */
    if (r->stream)
        rc = send_stream(c, r->stream);
    else
        rc = send_text(c, r->answer.status, r->answer.content_type, r->answer.body, r->answer.len,
                       &r->answer);
    r->stream = NULL;
    return rc;
}

/* Marks a request refused at its headers (401): its body, if any, is skipped. */
static char refused_marker;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    api_server *s = cls;
    api_request *r = *con_cls;
    (void)version;
    if (*con_cls == &refused_marker) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (!r) { /* the headers: the body, if any, follows in the next calls */
        if (s->auth &&
            !api_auth_check(s->auth, MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                                 MHD_HTTP_HEADER_AUTHORIZATION))) {
            *con_cls = &refused_marker;
            return send_error(c, MHD_HTTP_UNAUTHORIZED,
                              "authentication required: HTTP Basic or a bearer token "
                              "(--http_credentials)");
        }
        if (!(*con_cls = request_new(s, c, method, url)))
            return MHD_NO;
        return MHD_YES;
    }
    if (*upload_size) {
        bool ok = append_body(r, upload_data, *upload_size);
        *upload_size = 0;
        return ok ? MHD_YES : MHD_NO;
    }
    if (r->too_large) {
        char message[96];
        snprintf(message, sizeof message, "the request body is over %d bytes", API_MAX_BODY);
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, message);
    }
    return serve(s, c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    if (*con_cls && *con_cls != &refused_marker)
        request_release(*con_cls);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    api_server *s = cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    /* a failure to start is one line, start_mhd()'s: the library's own
     * (e.g. "Failed to bind to port 0") only at debug level */
    sched_log(&s->log, atomic_load(&s->started) ? SCHED_LOG_WARN : SCHED_LOG_DEBUG, "HTTP API: %s",
              line);
}

/* ---- start and stop ---------------------------------------------------------------- */

/* A whole file's text (NUL-terminated), or NULL with the reason. */
static char *read_file(const char *flag, const char *path, sched_error *err)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t len = 0;
    FILE *mem = f ? open_memstream(&text, &len) : NULL;
    int ch;
    if (!f) {
        sched_error_set(err, HDRF_EINVAL, "--%s=%s: %s", flag, path,
                        errno == ENOENT ? "no such file" : strerror(errno));
        return NULL;
    }
    while (mem && (ch = fgetc(f)) != EOF)
        fputc(ch, mem);
    fclose(f);
    if (!mem || fclose(mem) != 0) {
        free(text);
        sched_error_set(err, HDRF_ENOMEM, "--%s: out of memory", flag);
        return NULL;
    }
    return text;
}

/* "HOST:PORT" or "[ADDR]:PORT" resolved for listening. */
static int resolve(const char *address, struct addrinfo **res, sched_error *err)
{
    char host[256];
    const char *colon = strrchr(address, ':'), *port;
    size_t n;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    int rc;
    if (!colon || !colon[1])
        return sched_error_set(err, HDRF_EINVAL,
                               "--http_address=%s: expected HOST:PORT, e.g. 127.0.0.1:8080",
                               address);
    port = colon + 1;
    n = (size_t)(colon - address);
    if (n >= 2 && address[0] == '[' && address[n - 1] == ']') {
        address++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof host)
        return sched_error_set(err, HDRF_EINVAL,
                               "--http_address=%s: expected HOST:PORT, e.g. 127.0.0.1:8080",
                               address);
    memcpy(host, address, n);
    host[n] = '\0';
    if ((rc = getaddrinfo(host, port, &hints, res)) != 0)
        return sched_error_set(err, HDRF_EINVAL, "--http_address: host %s, port %s: %s", host, port,
                               gai_strerror(rc));
    return HDRF_OK;
}

static int open_pipe(api_server *s, sched_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return sched_error_set(err, HDRF_ENOMEM, "HTTP API: pipe: %s", strerror(errno));
    s->pipe_rd = fds[0];
    s->pipe_wr = fds[1];
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return HDRF_OK;
}

static int start_mhd(api_server *s, const api_server_config *cfg, const struct addrinfo *ai,
                     const char *key, const char *cert, sched_error *err)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
                     (s->tls ? MHD_USE_TLS : 0);
    const union MHD_DaemonInfo *info;
    /* the logger first: options before it would log through libmicrohttpd's own */
    s->mhd = s->tls
                 ? MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                                    on_mhd_log, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                                    MHD_OPTION_CONNECTION_LIMIT, (unsigned)API_MAX_CONNECTIONS,
                                    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_SECONDS,
                                    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                    MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_CERT, cert,
                                    MHD_OPTION_END)
                 : MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                                    on_mhd_log, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                                    MHD_OPTION_CONNECTION_LIMIT, (unsigned)API_MAX_CONNECTIONS,
                                    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_SECONDS,
                                    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->mhd)
        return sched_error_set(err, HDRF_EINVAL, "--http_address=%s: cannot listen%s%s",
                               cfg->address, errno ? ": " : "", errno ? strerror(errno) : "");
    atomic_store(&s->started, true);
    info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return HDRF_OK;
}

int api_server_start(const api_server_config *cfg, api_server **out, sched_error *err)
{
    api_server *s = calloc(1, sizeof *s);
    struct addrinfo *ai = NULL;
    char *key = NULL, *cert = NULL;
    int rc = s ? HDRF_OK : sched_error_set(err, HDRF_ENOMEM, "HTTP API: out of memory");
    bool tls = cfg->cert_file && cfg->cert_file[0];
    *out = NULL;
    if (rc == HDRF_OK) {
        pthread_mutex_init(&s->lock, NULL);
        s->pipe_rd = s->pipe_wr = -1;
        s->log = cfg->log;
        s->tls = tls;
        rc = open_pipe(s, err);
    }
    if (rc == HDRF_OK && tls != (cfg->key_file && cfg->key_file[0]))
        rc = sched_error_set(err, HDRF_EINVAL,
                             "--http_tls_cert and --http_tls_key: both or neither (HTTPS needs "
                             "the certificate and its key)");
    if (rc == HDRF_OK && tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        rc = sched_error_set(err, HDRF_EINVAL,
                             "--http_tls_cert: this libmicrohttpd was built without TLS");
    if (rc == HDRF_OK && tls &&
        (!(cert = read_file("http_tls_cert", cfg->cert_file, err)) ||
         !(key = read_file("http_tls_key", cfg->key_file, err))))
        rc = err ? err->status : HDRF_EINVAL;
    if (rc == HDRF_OK && cfg->credentials_file && cfg->credentials_file[0])
        rc = api_auth_load(cfg->credentials_file, &s->auth, err);
    if (rc == HDRF_OK)
        rc = resolve(cfg->address, &ai, err);
    if (rc == HDRF_OK) {
        errno = 0;
        rc = start_mhd(s, cfg, ai, key, cert, err);
    }
    if (ai)
        freeaddrinfo(ai);
    if (key)
        memset(key, 0, strlen(key));
    free(key);
    free(cert);
    if (rc == HDRF_OK)
        *out = s;
    else
        api_server_stop(s);
    return rc;
}

void api_server_stop(api_server *s)
{
    api_request *r, *next;
    if (!s)
        return;
    atomic_store(&s->stopping, true);
    if (s->mhd)
        MHD_stop_daemon(s->mhd); /* connection threads end: they check `stopping` each second */
    for (r = s->head; r; r = next) {
        next = r->next;
        request_release(r); /* never taken by the loop */
    }
    api_auth_free(s->auth);
    if (s->pipe_rd >= 0)
        close(s->pipe_rd);
    if (s->pipe_wr >= 0)
        close(s->pipe_wr);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int api_server_fd(const api_server *s) { return s->pipe_rd; }

uint16_t api_server_port(const api_server *s) { return s->port; }

bool api_server_tls(const api_server *s) { return s->tls; }

api_request *api_server_next(api_server *s)
{
    char buf[64];
    api_request *r;
    while (read(s->pipe_rd, buf, sizeof buf) > 0)
        ;
    pthread_mutex_lock(&s->lock);
    if ((r = s->head)) {
        s->head = r->next;
        if (!s->head)
            s->tail = NULL;
        r->next = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

/* ---- the loop's side --------------------------------------------------------------- */

const char *api_request_method(const api_request *r) { return r->method; }

const char *api_request_path(const api_request *r) { return r->path; }

const char *api_request_query(const api_request *r, const char *name)
{
    return json_string_value(json_object_get(r->query, name));
}

const char *api_request_query_string(const api_request *r) { return r->query_string; }

const char *api_request_body(const api_request *r, size_t *len)
{
    *len = r->len;
    return r->body;
}

static char *dup_or_null(const char *text, size_t len)
{
    char *copy = text ? malloc(len + 1) : NULL;
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

void api_request_answer(api_request *r, const api_answer *a)
{
    size_t len = a->body && !a->len ? strlen(a->body) : a->len;
    pthread_mutex_lock(&r->lock);
    if (!r->answered) {
        r->answer.status = a->status;
        r->answer.content_type =
            dup_or_null(a->content_type, a->content_type ? strlen(a->content_type) : 0);
        r->answer.body = dup_or_null(a->body ? a->body : "", len);
        r->answer.len = r->answer.body ? len : 0;
        r->answer.location = dup_or_null(a->location, a->location ? strlen(a->location) : 0);
        r->answer.retry_after = a->retry_after;
        r->answered = true;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    request_release(r);
}

api_stream *api_request_stream(api_request *r)
{
    api_stream *st = calloc(1, sizeof *st);
    if (!st) {
        api_answer a = {.status = 503, .body = "{\"error\": \"out of memory\"}"};
        api_request_answer(r, &a);
        return NULL;
    }
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->cond, NULL);
    st->refs = 2; /* the loop's and the connection's */
    st->server = r->server;
    pthread_mutex_lock(&r->lock);
    if (!r->answered) {
        r->stream = st;
        r->answered = true;
        pthread_cond_broadcast(&r->cond);
    } else {
        st->gone = true; /* the connection stopped waiting: nobody reads */
        st->refs = 1;
    }
    pthread_mutex_unlock(&r->lock);
    request_release(r);
    return st;
}

bool api_stream_send(api_stream *st, const char *text, size_t len)
{
    bool ok;
    pthread_mutex_lock(&st->lock);
    /* not st->server: it may be freed by now; stopping it ended the
     * connection, which marked the stream gone */
    ok = !st->gone && !st->ended;
    if (ok && st->len + len > API_MAX_BODY) {
        st->ended = true; /* a client this far behind is let go */
        ok = false;
    }
    if (ok && st->len + len > st->cap) {
        size_t cap = (st->len + len) * 2;
        char *grown = realloc(st->buf, cap);
        ok = grown != NULL;
        if (grown) {
            st->buf = grown;
            st->cap = cap;
        }
    }
    if (ok) {
        memcpy(st->buf + st->len, text, len);
        st->len += len;
    }
    pthread_cond_broadcast(&st->cond);
    pthread_mutex_unlock(&st->lock);
    return ok;
}

void api_stream_free(api_stream *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&st->lock);
    st->ended = true;
    pthread_cond_broadcast(&st->cond);
    pthread_mutex_unlock(&st->lock);
    stream_release(st);
}
