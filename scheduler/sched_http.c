/* sched_http.c: the connection to a master as a state machine (see
 * sched_http.h).
 *
 * Everything happens in sched_http_poll(), in this order: fire deadlines,
 * wait, let libcurl move bytes, check the stream's headers, feed the new
 * stream bytes to the decoders (events reach the caller here), handle
 * finished transfers (redirects, failures, call answers), fire deadlines
 * again. Events are delivered outside libcurl's callbacks, so the event
 * callback may send calls or drop the connection; while events are being
 * delivered from the stream's buffer, a dropped stream request is only
 * retired (taken out of the multi handle) and freed once the decoder has
 * let go of that buffer. A generation counter, bumped whenever the stream
 * is dropped, tells the delivery loop that the bytes it holds belong to a
 * connection that is gone. */
#include "scheduler/sched_http.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/calls.h"
#include "scheduler/http_request.h"
#include "scheduler/recordio.h"

#define STREAM_BUFFER (256 * 1024)
#define ERROR_BODY_LIMIT 4096
#define MAX_EXTRA_FDS 16

/* A call on its way, until its answer. */
typedef struct pending_call {
    uint64_t id;
    const char *type; /* "DECLINE"...: static */
    bool teardown;
    http_request *req;
    struct pending_call *next;
} pending_call;

struct sched_http {
    sched_http_config cfg;               /* with defaults; cfg.framework is NULL: see framework */
    Mesos__V1__FrameworkInfo *framework; /* deep copy */
    CURLM *multi;
    sched_http_state state;
    master_addr home;   /* the configured (or last announced) leader */
    master_addr target; /* where the current subscription goes */
    char url[600];      /* of target */
    http_request *stream;
    http_request *retired; /* dropped while its bytes were being delivered */
    bool headers_checked;
    bool delivering;
    uint64_t generation;
    recordio_decoder rio;
    char stream_id[128];
    char *framework_id; /* NULL until known */
    int64_t heartbeat_ms;
    int64_t started_at, subscribed_at, last_activity, retry_at;
    unsigned redirects;
    bool tearing_down;
    backoff backoff;
    pending_call *calls;
    uint64_t next_call_id;
    sched_http_stats stats;
};

const char *sched_http_strerror(int status)
{
    switch (status) {
    case SCHED_HTTP_ENOTSUBSCRIBED:
        return "not subscribed";
    case SCHED_HTTP_EHTTP:
        return "the master answered an error";
    case SCHED_HTTP_ETRANSPORT:
        return "connection failed";
    case SCHED_HTTP_ETIMEOUT:
        return "timed out";
    case SCHED_HTTP_ECLOSED:
        return "the master closed the event stream";
    }
    return recordio_strerror(status);
}

const char *sched_http_state_name(sched_http_state state)
{
    static const char *const names[] = {"disconnected", "subscribing", "subscribed", "backoff"};
    return state <= SCHED_HTTP_BACKOFF ? names[state] : "unknown";
}

static int64_t now(const sched_http *c) { return sched_clock_read(&c->cfg.clock); }

static void set_state(sched_http *c, sched_http_state state, const sched_error *why)
{
    if (c->state == state && !why)
        return;
    c->state = state;
    if (c->cfg.callbacks.state)
        c->cfg.callbacks.state(c->cfg.callbacks.arg, state, why);
}

static bool same_addr(const master_addr *a, const master_addr *b)
{
    return a->port == b->port && strcmp(a->host, b->host) == 0 && strcmp(a->path, b->path) == 0;
}

/* ---- the stream's lifetime --------------------------------------------------------- */

static void drop_stream(sched_http *c)
{
    if (!c->stream)
        return;
    if (c->delivering) {
        curl_multi_remove_handle(c->multi, c->stream->easy);
        c->stream->multi = NULL;
        c->retired = c->stream;
    } else {
        http_request_free(c->stream);
    }
    c->stream = NULL;
    c->generation++;
    c->stream_id[0] = '\0';
}

/* Ends the connection for `why` and schedules the next attempt. */
static void fail(sched_http *c, const sched_error *why)
{
    int64_t t = now(c), delay;
    if (c->state == SCHED_HTTP_SUBSCRIBED && t - c->subscribed_at >= c->cfg.stable_ms)
        backoff_reset(&c->backoff);
    drop_stream(c);
    delay = backoff_next(&c->backoff);
    c->retry_at = t + delay;
    c->target = c->home;
    c->redirects = 0;
    c->stats.failures++;
    sched_log(&c->cfg.log, SCHED_LOG_ERROR, "%s; reconnecting in %lld ms", why->text,
              (long long)delay);
    set_state(c, SCHED_HTTP_BACKOFF, why);
}

static void fail_with(sched_http *c, int status, const char *fmt, const char *detail)
{
    sched_error why;
    sched_error_set(&why, status, fmt, c->url, detail);
    fail(c, &why);
}

static void start_subscribe(sched_http *c)
{
    sched_call *call = NULL;
    uint8_t *body = NULL;
    size_t len = 0;
    sched_error err;
    http_request_options opt = {
        .url = c->url,
        .media_type = wire_content_type_name(c->cfg.content_type),
        .connect_timeout_ms = c->cfg.connect_timeout_ms,
        .streaming = true,
        .buffer_limit = STREAM_BUFFER,
    };
    int status = master_info_url(&c->target, c->url, sizeof c->url);
    if (status != HDRF_OK)
        sched_error_set(&err, status, "master %s:%u: the URL is too long", c->target.host,
                        (unsigned)c->target.port);
    else if ((status = sched_call_subscribe(c->framework, c->framework_id, &call, &err)) ==
                 HDRF_OK &&
             (status = wire_call_encode(c->cfg.content_type, call, &body, &len, &err)) == HDRF_OK &&
             (status = http_request_new(&opt, body, len, &c->stream, &err)) == HDRF_OK)
        status = http_request_start(c->stream, c->multi, &err);
    wire_call_free(call);
    recordio_decoder_reset(&c->rio);
    c->headers_checked = false;
    c->started_at = c->last_activity = now(c);
    set_state(c, SCHED_HTTP_SUBSCRIBING, NULL);
    if (status != HDRF_OK) {
        sched_error_wrap(&err, status, "SUBSCRIBE to %s", c->url);
        fail(c, &err);
        return;
    }
    sched_log(&c->cfg.log, SCHED_LOG_INFO, "subscribing to %s%s%s", c->url,
              c->framework_id ? " as framework " : "", c->framework_id ? c->framework_id : "");
}

/* ---- events ------------------------------------------------------------------------- */

/* What the client itself does with an event before the caller sees it. */
static int take_event(sched_http *c, const sched_event *ev, sched_error *err)
{
    const Mesos__V1__Scheduler__Event__Subscribed *sub = ev->subscribed;
    char *id;
    switch (ev->type) {
    case MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED:
        if (!sub || !sub->framework_id || !sub->framework_id->value)
            return sched_error_set(err, HDRF_EINVAL, "SUBSCRIBED without a framework id");
        if (!(id = strdup(sub->framework_id->value)))
            return sched_error_set(err, HDRF_ENOMEM, "SUBSCRIBED: out of memory");
        free(c->framework_id);
        c->framework_id = id;
        /* Mesos's default interval when a master does not say. */
        c->heartbeat_ms = sub->has_heartbeat_interval_seconds
                              ? (int64_t)(sub->heartbeat_interval_seconds * 1000.0)
                              : 15000;
        if (c->heartbeat_ms <= 0)
            c->heartbeat_ms = 15000;
        c->subscribed_at = now(c);
        c->redirects = 0;
        c->stats.subscriptions++;
        sched_log(&c->cfg.log, SCHED_LOG_INFO,
                  "subscribed to %s as framework %s (stream %s, heartbeat every %lld ms)", c->url,
                  id, c->stream_id, (long long)c->heartbeat_ms);
        set_state(c, SCHED_HTTP_SUBSCRIBED, NULL);
        break;
    case MESOS__V1__SCHEDULER__EVENT__TYPE__ERROR:
        sched_log(&c->cfg.log, SCHED_LOG_ERROR, "the master sent ERROR: %s",
                  ev->error && ev->error->message ? ev->error->message : "(no message)");
        break;
    default:
        break;
    }
    return HDRF_OK;
}

static int on_record(const uint8_t *data, size_t len, void *arg, sched_error *err)
{
    sched_http *c = arg;
    uint64_t generation = c->generation;
    sched_event *ev = NULL;
    int status;
    if (!c->stream) /* dropped by a callback: the rest of these bytes is moot */
        return SCHED_HTTP_ECLOSED;
    if ((status = wire_event_decode(c->cfg.content_type, data, len, &ev, err)) != HDRF_OK)
        return sched_error_wrap(err, status, "event %llu", (unsigned long long)c->rio.records);
    c->stats.events++;
    sched_log(&c->cfg.log, SCHED_LOG_DEBUG, "event %s", wire_event_type_name(ev));
    if ((status = take_event(c, ev, err)) == HDRF_OK && c->generation == generation &&
        c->cfg.callbacks.event)
        c->cfg.callbacks.event(c->cfg.callbacks.arg, ev);
    wire_event_free(ev);
    return status;
}

/* The first look at a 200's headers: the stream must be what was asked. */
static void check_headers(sched_http *c)
{
    http_request *s = c->stream;
    wire_content_type type;
    sched_error err;
    if (!s || c->headers_checked || !s->headers_done)
        return;
    c->headers_checked = true;
    if (s->status != 200)
        return; /* judged when the answer is complete, with its body */
    if (s->header_too_long)
        fail_with(c, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: %s", "a header too long to keep");
    else if (!s->stream_id[0])
        fail_with(c, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: %s", "200 OK without Mesos-Stream-Id");
    else if (wire_content_type_parse(s->content_type, strlen(s->content_type), &type, &err) !=
             HDRF_OK)
        fail_with(c, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: %s", err.text);
    else if (type != c->cfg.content_type)
        fail_with(c, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: %s",
                  "the master answered in another content type than asked");
    else
        strcpy(c->stream_id, s->stream_id);
}

/* Feeds what the stream brought since the last poll to the decoders. */
static void deliver(sched_http *c)
{
    sched_error err;
    while (c->stream && c->stream->in_len > 0 && c->stream->status == 200 && c->stream_id[0]) {
        http_request *s = c->stream;
        uint64_t generation = c->generation;
        int status;
        c->last_activity = now(c);
        c->delivering = true;
        status = recordio_decoder_feed(&c->rio, s->in, s->in_len, on_record, c, &err);
        c->delivering = false;
        http_request_free(c->retired);
        c->retired = NULL;
        if (c->generation != generation)
            return;
        if (status != HDRF_OK) {
            sched_error_wrap(&err, status, "event stream from %s", c->url);
            fail(c, &err);
            return;
        }
        http_request_consume(s); /* may bring more bytes at once */
    }
}

/* ---- finished transfers --------------------------------------------------------------- */

static void redirect(sched_http *c)
{
    master_addr to;
    sched_error err;
    const char *loc = c->stream->location;
    if (master_info_parse_location(loc, strlen(loc), &to, &err) != HDRF_OK) {
        sched_error_wrap(&err, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: 307", c->url);
        fail(c, &err);
        return;
    }
    if (c->redirects >= c->cfg.max_redirects) {
        sched_error_set(&err, SCHED_HTTP_EHTTP, "SUBSCRIBE to %s: %u redirects in a row", c->url,
                        c->redirects + 1);
        fail(c, &err);
        return;
    }
    c->redirects++;
    c->stats.redirects++;
    sched_log(&c->cfg.log, SCHED_LOG_INFO, "%s redirects to the leading master at %s", c->url, loc);
    drop_stream(c);
    c->target = to;
    start_subscribe(c);
}

static void stream_done(sched_http *c, CURLcode result)
{
    http_request *s = c->stream;
    sched_error err;
    char what[sizeof c->url + 32];
    if (result == CURLE_OK && s->status == 307) {
        redirect(c);
        return;
    }
    if (c->tearing_down) { /* however it ended: the framework is gone */
        sched_log(&c->cfg.log, SCHED_LOG_INFO, "the stream from %s ended after TEARDOWN", c->url);
        drop_stream(c);
        c->tearing_down = false;
        set_state(c, SCHED_HTTP_DISCONNECTED, NULL);
        return;
    }
    snprintf(what, sizeof what, "%s %s", s->status == 200 ? "event stream from" : "SUBSCRIBE to",
             c->url);
    if (result != CURLE_OK || !http_request_ok(s)) {
        http_request_failure(
            s, result, result != CURLE_OK ? SCHED_HTTP_ETRANSPORT : SCHED_HTTP_EHTTP, what, &err);
    } else if (recordio_decoder_finish(&c->rio, &err) != HDRF_OK) {
        sched_error_wrap(&err, err.status, "%s", what);
    } else {
        sched_error_set(&err, SCHED_HTTP_ECLOSED, "%s: the master ended the stream", what);
    }
    fail(c, &err);
}

static void call_done(sched_http *c, pending_call *pc, CURLcode result)
{
    sched_error res;
    sched_error_clear(&res);
    if (result != CURLE_OK || !http_request_ok(pc->req)) {
        char what[sizeof c->url + 48];
        snprintf(what, sizeof what, "%s (call %llu)", pc->type, (unsigned long long)pc->id);
        http_request_failure(pc->req, result,
                             result != CURLE_OK ? SCHED_HTTP_ETRANSPORT : SCHED_HTTP_EHTTP, what,
                             &res);
        sched_log(&c->cfg.log, SCHED_LOG_ERROR, "%s", res.text);
        c->stats.calls_failed++;
        if (pc->teardown)
            c->tearing_down = false;
    }
    if (c->cfg.callbacks.call_done)
        c->cfg.callbacks.call_done(c->cfg.callbacks.arg, pc->id, &res);
}

static void finished_transfers(sched_http *c)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(c->multi, &left))) {
        http_request *r = NULL;
        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        if (r && r == c->stream) {
            stream_done(c, msg->data.result);
            continue;
        }
        for (pending_call **p = &c->calls; r && *p; p = &(*p)->next) {
            pending_call *pc = *p;
            if (pc->req != r)
                continue;
            *p = pc->next; /* unlinked first: the callback may send more */
            call_done(c, pc, msg->data.result);
            http_request_free(pc->req);
            free(pc);
            break;
        }
    }
}

/* ---- deadlines -------------------------------------------------------------------------- */

static int64_t next_deadline(const sched_http *c)
{
    switch (c->state) {
    case SCHED_HTTP_BACKOFF:
        return c->retry_at;
    case SCHED_HTTP_SUBSCRIBING:
        return c->started_at + c->cfg.subscribe_timeout_ms;
    case SCHED_HTTP_SUBSCRIBED:
        return c->last_activity + (int64_t)c->cfg.heartbeat_misses * c->heartbeat_ms;
    case SCHED_HTTP_DISCONNECTED:
        break;
    }
    return INT64_MAX;
}

static void fire_deadlines(sched_http *c)
{
    sched_error why;
    if (now(c) < next_deadline(c))
        return;
    switch (c->state) {
    case SCHED_HTTP_BACKOFF:
        start_subscribe(c);
        break;
    case SCHED_HTTP_SUBSCRIBING:
        sched_error_set(&why, SCHED_HTTP_ETIMEOUT, "SUBSCRIBE to %s: no SUBSCRIBED within %lld ms",
                        c->url, (long long)c->cfg.subscribe_timeout_ms);
        fail(c, &why);
        break;
    case SCHED_HTTP_SUBSCRIBED:
        sched_error_set(&why, SCHED_HTTP_ETIMEOUT,
                        "event stream from %s: nothing for %lld ms (%u heartbeat intervals of "
                        "%lld ms)",
                        c->url, (long long)(now(c) - c->last_activity), c->cfg.heartbeat_misses,
                        (long long)c->heartbeat_ms);
        fail(c, &why);
        break;
    case SCHED_HTTP_DISCONNECTED:
        break;
    }
}

/* ---- the public verbs ------------------------------------------------------------------- */

static void apply_defaults(sched_http_config *cfg)
{
    if (cfg->stable_ms <= 0)
        cfg->stable_ms = 60000;
    if (!cfg->heartbeat_misses)
        cfg->heartbeat_misses = 5;
    if (cfg->subscribe_timeout_ms <= 0)
        cfg->subscribe_timeout_ms = 30000;
    if (!cfg->max_redirects)
        cfg->max_redirects = 5;
    if (!cfg->max_record)
        cfg->max_record = 16u << 20;
    if (cfg->connect_timeout_ms <= 0)
        cfg->connect_timeout_ms = 10000;
    if (cfg->call_timeout_ms <= 0)
        cfg->call_timeout_ms = 30000;
}

/* A deep copy of a FrameworkInfo, by packing and unpacking it. */
static Mesos__V1__FrameworkInfo *copy_framework(const Mesos__V1__FrameworkInfo *fi)
{
    size_t size = protobuf_c_message_get_packed_size(&fi->base);
    uint8_t *buf = malloc(size ? size : 1);
    Mesos__V1__FrameworkInfo *copy = NULL;
    if (buf) {
        protobuf_c_message_pack(&fi->base, buf);
        copy = mesos__v1__framework_info__unpack(NULL, size, buf);
    }
    free(buf);
    return copy;
}

int sched_http_create(const sched_http_config *cfg, sched_http **out, sched_error *err)
{
    sched_http *c;
    int status = HDRF_OK;
    *out = NULL;
    if (!cfg->framework || !protobuf_c_message_check(&cfg->framework->base))
        return sched_error_set(err, HDRF_EINVAL,
                               "scheduler connection: a complete FrameworkInfo is required");
    if (!(c = calloc(1, sizeof *c)))
        return sched_error_set(err, HDRF_ENOMEM, "scheduler connection: out of memory");
    c->cfg = *cfg;
    c->cfg.framework = NULL;
    apply_defaults(&c->cfg);
    recordio_decoder_init(&c->rio, c->cfg.max_record);
    backoff_init(&c->backoff, &c->cfg.backoff);
    c->home = c->target = cfg->master;
    c->heartbeat_ms = 15000;
    c->retry_at = -1;
    c->next_call_id = 1;
    if (!(c->framework = copy_framework(cfg->framework)) ||
        (cfg->framework->id && cfg->framework->id->value &&
         !(c->framework_id = strdup(cfg->framework->id->value))) ||
        !(c->multi = curl_multi_init())) {
        status = sched_error_set(err, HDRF_ENOMEM, "scheduler connection: out of memory");
        goto out;
    }
    if (master_info_url(&c->home, c->url, sizeof c->url) != HDRF_OK)
        status = sched_error_set(err, HDRF_EINVAL, "scheduler connection: master '%s': too long",
                                 c->home.host);
out:
    if (status != HDRF_OK)
        sched_http_destroy(c);
    else
        *out = c;
    return status;
}

static void drop_calls(sched_http *c)
{
    while (c->calls) {
        pending_call *pc = c->calls;
        c->calls = pc->next;
        http_request_free(pc->req);
        free(pc);
    }
}

void sched_http_destroy(sched_http *c)
{
    if (!c)
        return;
    drop_calls(c);
    http_request_free(c->stream);
    http_request_free(c->retired);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    recordio_decoder_free(&c->rio);
    if (c->framework)
        mesos__v1__framework_info__free_unpacked(c->framework, NULL);
    free(c->framework_id);
    free(c);
}

void sched_http_start(sched_http *c)
{
    if (c->state != SCHED_HTTP_DISCONNECTED)
        return;
    c->target = c->home;
    if (!c->delivering) {
        start_subscribe(c);
        return;
    }
    /* Called from the event callback: the decoder is still busy with the
     * old stream's bytes, so the new stream starts at the next poll. */
    c->retry_at = now(c);
    c->state = SCHED_HTTP_BACKOFF;
}

void sched_http_stop(sched_http *c)
{
    drop_stream(c);
    drop_calls(c);
    c->tearing_down = false;
    c->retry_at = -1;
    set_state(c, SCHED_HTTP_DISCONNECTED, NULL);
}

void sched_http_set_master(sched_http *c, const master_addr *master)
{
    bool moved = !same_addr(&c->target, master);
    c->home = *master;
    if (c->state == SCHED_HTTP_DISCONNECTED || !moved)
        return;
    sched_log(&c->cfg.log, SCHED_LOG_INFO, "the leading master is now %s:%u", master->host,
              (unsigned)master->port);
    drop_stream(c);
    c->target = c->home;
    c->redirects = 0;
    c->retry_at = now(c);
    set_state(c, SCHED_HTTP_BACKOFF, NULL);
}

int sched_http_poll(sched_http *c, sched_http_waitfd *extra, unsigned n_extra, int max_wait_ms,
                    sched_error *err)
{
    struct curl_waitfd fds[MAX_EXTRA_FDS];
    int64_t wait = max_wait_ms < 0 ? 0 : max_wait_ms, until;
    int running;
    CURLMcode rc;
    if (n_extra > MAX_EXTRA_FDS)
        return sched_error_set(err, HDRF_EINVAL, "poll: at most %d extra descriptors",
                               MAX_EXTRA_FDS);
    fire_deadlines(c);
    until = next_deadline(c);
    if (until != INT64_MAX && until - now(c) < wait)
        wait = until - now(c) < 0 ? 0 : until - now(c);
    for (unsigned i = 0; i < n_extra; i++) {
        fds[i].fd = extra[i].fd;
        fds[i].events = (short)(((extra[i].events & POLLIN) ? CURL_WAIT_POLLIN : 0) |
                                ((extra[i].events & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
                                ((extra[i].events & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
        fds[i].revents = 0;
    }
    if ((rc = curl_multi_poll(c->multi, fds, n_extra, (int)wait, NULL)) != CURLM_OK ||
        (rc = curl_multi_perform(c->multi, &running)) != CURLM_OK)
        return sched_error_set(err, rc == CURLM_OUT_OF_MEMORY ? HDRF_ENOMEM : HDRF_EINVAL,
                               "poll: %s", curl_multi_strerror(rc));
    for (unsigned i = 0; i < n_extra; i++)
        extra[i].revents = (short)(((fds[i].revents & CURL_WAIT_POLLIN) ? POLLIN : 0) |
                                   ((fds[i].revents & CURL_WAIT_POLLPRI) ? POLLPRI : 0) |
                                   ((fds[i].revents & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
    check_headers(c);
    deliver(c);
    finished_transfers(c);
    fire_deadlines(c);
    return HDRF_OK;
}

int sched_http_send(sched_http *c, const sched_call *call, uint64_t *call_id, sched_error *err)
{
    const ProtobufCEnumValue *tv = protobuf_c_enum_descriptor_get_value(
        &mesos__v1__scheduler__call__type__descriptor, (int)call->type);
    const char *type = call->has_type && tv ? tv->name : "UNKNOWN";
    sched_call stamped = *call; /* shallow: only the framework id is ours */
    Mesos__V1__FrameworkID fid = MESOS__V1__FRAMEWORK_ID__INIT;
    http_request_options opt = {
        .url = c->url,
        .media_type = wire_content_type_name(c->cfg.content_type),
        .stream_id = c->stream_id,
        .connect_timeout_ms = c->cfg.connect_timeout_ms,
        .timeout_ms = c->cfg.call_timeout_ms,
        .buffer_limit = ERROR_BODY_LIMIT,
    };
    pending_call *pc = NULL;
    uint8_t *body = NULL;
    size_t len;
    int status;
    if (c->state != SCHED_HTTP_SUBSCRIBED || !c->framework_id)
        return sched_error_set(err, SCHED_HTTP_ENOTSUBSCRIBED, "%s: not subscribed (%s)", type,
                               sched_http_state_name(c->state));
    fid.value = c->framework_id;
    stamped.framework_id = &fid;
    if ((status = wire_call_encode(c->cfg.content_type, &stamped, &body, &len, err)) != HDRF_OK)
        return status;
    if (!(pc = calloc(1, sizeof *pc))) {
        free(body);
        return sched_error_set(err, HDRF_ENOMEM, "%s: out of memory", type);
    }
    if ((status = http_request_new(&opt, body, len, &pc->req, err)) != HDRF_OK ||
        (status = http_request_start(pc->req, c->multi, err)) != HDRF_OK) {
        http_request_free(pc->req);
        free(pc);
        return sched_error_wrap(err, status, "%s", type);
    }
    pc->id = c->next_call_id++;
    pc->type = type;
    pc->teardown = call->type == MESOS__V1__SCHEDULER__CALL__TYPE__TEARDOWN;
    pc->next = c->calls;
    c->calls = pc;
    if (pc->teardown)
        c->tearing_down = true;
    c->stats.calls_sent++;
    if (call_id)
        *call_id = pc->id;
    sched_log(&c->cfg.log, SCHED_LOG_DEBUG, "call %llu: %s to %s", (unsigned long long)pc->id, type,
              c->url);
    return HDRF_OK;
}

sched_http_state sched_http_get_state(const sched_http *c) { return c->state; }

const char *sched_http_stream_id(const sched_http *c) { return c->stream_id; }

const char *sched_http_framework_id(const sched_http *c)
{
    return c->framework_id ? c->framework_id : "";
}

const master_addr *sched_http_master(const sched_http *c) { return &c->target; }

int64_t sched_http_retry_at(const sched_http *c)
{
    return c->state == SCHED_HTTP_BACKOFF ? c->retry_at : -1;
}

void sched_http_get_stats(const sched_http *c, sched_http_stats *out) { *out = c->stats; }
