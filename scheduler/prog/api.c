/* api.c: the operator HTTP API's routes, on the scheduler's loop (see
 * daemon_internal.h; the transport is api_server.h).
 *
 * Every instance serves the API. Reads are answered from ZooKeeper, the
 * same documents `list` and `status` read (app_view.h), so a standby and
 * the leader give the same answers, and an answer never shows what the
 * leader has not stored yet: each read loads the desired applications,
 * the leader's state and the election, asynchronously on the loop's
 * session (the request waits, the loop does not), then renders one route.
 * /health and /metrics are answered from memory at once.
 *
 * Writes go to the leader (api_write.c); a standby answers them 307 with
 * the leader's URL, which the election names (each member publishes
 * "<hostname>:<pid> <API URL>"), or 503 while none is known.
 *
 * GET /v1/events is a stream of server-sent events: api_event(), which
 * any file of the loop may call, writes one to every open stream; this
 * file adds one per change of a transaction's status.
 *
 * Errors have one shape, {"error": "...", "field": "...", "value": ...}
 * (field and value when the error is about one): 400 for bad input, 404
 * for an unknown route or application, 405 for a method a route does not
 * serve, 409 for a conflicting change, 501 for a route not served yet,
 * 503 with Retry-After when ZooKeeper fails or no leader is known.
 *
 * Owns d->api, api_url, member_data, api_zk, api_desired, api_state,
 * api_reads, api_streams, api_txn_seen and api_txn_orch. */
#include "scheduler/prog/daemon_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/orch_txn.h"
#include "scheduler/zk_election.h"
#include "scheduler/prog/api_server.h"
#include "scheduler/prog/app_view.h"

#define RETRY_AFTER_SECONDS 1

typedef enum route {
    ROUTE_LEADER,
    ROUTE_APPS,
    ROUTE_APP,
    ROUTE_TASKS,
    ROUTE_DEPLOYMENTS,
    ROUTE_TRANSACTIONS,
    ROUTE_REDIRECT /* a write on a standby: 307 to the leader */
} route;

/* A read in flight: the loads it waits for, then the route it renders. */
struct api_read {
    daemon *d;
    api_request *req;
    route route;
    char id[ZK_STORE_MAX_NAME + 1]; /* ROUTE_APP, ROUTE_TASKS */
    json_t *desired, *state;        /* loaded documents (app_view.h) */
    char member[256];               /* the leading member's name, "" : none */
    char data[700];                 /* what its node holds */
    struct api_read *next;
};

/* ---- answers ----------------------------------------------------------------------- */

void api_answer_json(api_request *r, int status, json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    api_answer a = {.status = text ? status : 503,
                    .body = text ? text : "{\"error\": \"out of memory\"}"};
    api_request_answer(r, &a);
    free(text);
    json_decref(doc);
}

/* The error shape; `field` and `value` (borrowed) may be NULL. */
static void answer_error_at(api_request *r, int status, const char *message, const char *field,
                            const json_t *value)
{
    json_t *doc = json_pack("{s:s}", "error", message);
    char *text;
    api_answer a = {.status = status};
    if (doc && field)
        json_object_set_new(doc, "field", json_string(field));
    if (doc && field && value)
        json_object_set_new(doc, "value", json_deep_copy(value));
    text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    a.body = text ? text : "{\"error\": \"out of memory\"}";
    a.retry_after = status == 503 ? RETRY_AFTER_SECONDS : 0;
    api_request_answer(r, &a);
    free(text);
    json_decref(doc);
}

/* Whether `text` is a JSON path as jpath.h writes them (apps[1].instances). */
static bool is_path(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]", text[i]))
            return false;
    return n > 0;
}

void api_answer_error(api_request *r, int status, const char *message)
{
    const char *sep = strstr(message, ": "), *sep2 = sep ? strstr(sep + 2, ": ") : NULL;
    char field[128];
    json_t *value = NULL;
    size_t n = sep ? (size_t)(sep - message) : 0;
    if (sep2 && is_path(message, n) && n < sizeof field)
        value = json_loadb(sep + 2, (size_t)(sep2 - sep - 2), JSON_DECODE_ANY, NULL);
    if (value) {
        memcpy(field, message, n);
        field[n] = '\0';
    }
    answer_error_at(r, status, message, value ? field : NULL, value);
    json_decref(value);
}

/* ---- memory: /health and /metrics -------------------------------------------------- */

static bool subscribed(const daemon *d)
{
    return d->http && sched_http_get_state(d->http) == SCHED_HTTP_SUBSCRIBED;
}

static void serve_health(daemon *d, api_request *r)
{
    api_answer_json(r, 200,
                    json_pack("{s:s, s:b, s:b}", "status", "ok", "leading", d->phase == ACTIVE,
                              "zookeeper_connected", zk_session_connected(d->zk)));
}

static void gauge(FILE *f, const char *name, const char *help, double value)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, value);
}

/* The leader's per-application gauges, one family at a time as the text
 * format wants (every sample of a metric together). */
static void app_gauges(FILE *f, const orch *o)
{
    static const struct {
        const char *name, *help;
    } families[] = {
        {"hdrf_sched_app_instances", "Instances the application asks for."},
        {"hdrf_sched_app_tasks", "The application's tasks not yet ended."},
        {"hdrf_sched_app_running", "The application's tasks RUNNING."},
    };
    for (size_t k = 0; k < sizeof families / sizeof families[0]; k++) {
        fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", families[k].name, families[k].help,
                families[k].name);
        for (size_t i = 0; i < orch_app_count(o); i++) {
            orch_app_info a;
            double v;
            if (!orch_app_at(o, i, &a))
                continue;
            v = k == 0 ? (double)a.desired : k == 1 ? (double)a.live : (double)a.running;
            /* application ids are a-z 0-9 - _ (apps/app.h): nothing to escape */
            fprintf(f, "%s{app=\"%s\"} %g\n", families[k].name, a.def->id, v);
        }
    }
}

static void serve_metrics(daemon *d, api_request *r)
{
    char *text = NULL, *orch_text = d->orch ? orch_metrics_text(d->orch) : NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    api_answer a = {.status = 200, .content_type = "text/plain; version=0.0.4; charset=utf-8"};
    if (!f) {
        free(orch_text);
        api_answer_error(r, 503, "out of memory");
        return;
    }
    if (orch_text)
        fputs(orch_text, f);
    gauge(f, "hdrf_sched_leader", "1 while this instance leads.", d->phase == ACTIVE);
    gauge(f, "hdrf_sched_subscribed", "1 while this instance is subscribed to a master.",
          subscribed(d));
    gauge(f, "hdrf_sched_zookeeper_connected", "1 while the ZooKeeper session is connected.",
          zk_session_connected(d->zk));
    if (d->orch)
        app_gauges(f, d->orch);
    fclose(f);
    a.body = text;
    a.len = len;
    api_request_answer(r, &a);
    free(text);
    free(orch_text);
}

/* ---- ZooKeeper: the reads ---------------------------------------------------------- */

static void read_free(api_read *rd)
{
    daemon *d = rd->d;
    for (api_read **p = &d->api_reads; *p; p = &(*p)->next)
        if (*p == rd) {
            *p = rd->next;
            break;
        }
    json_decref(rd->desired);
    json_decref(rd->state);
    free(rd);
}

static void read_failed(api_read *rd, const char *what, const sched_error *err)
{
    char message[SCHED_ERROR_LENGTH + 64];
    snprintf(message, sizeof message, "%s: %s", what, err ? err->text : "failed");
    api_answer_error(rd->req, 503, message);
    read_free(rd);
}

/* The leading member's "<hostname>:<pid>" and its API's URL ("" if none). */
static json_t *leader_json(const api_read *rd)
{
    size_t n = strcspn(rd->data, " ");
    if (!rd->member[0])
        return json_null();
    return json_pack("{s:s%, s:s, s:s}", "instance", rd->data, n, "member", rd->member, "api",
                     rd->data[n] ? rd->data + n + 1 : "");
}

static json_t *render_leader(const api_read *rd)
{
    const daemon *d = rd->d;
    const json_t *fw = json_object_get(app_view_kind(rd->state, ZK_STORE_FRAMEWORK), "state");
    const json_t *fid = json_object_get(fw, "framework_id");
    return json_pack("{s:o, s:O, s:{s:s, s:s, s:b, s:b}}", "leader", leader_json(rd),
                     "framework_id", json_is_string(fid) ? fid : json_null(), "this", "instance",
                     d->owner, "api", d->api_url, "leading", d->phase == ACTIVE, "subscribed",
                     subscribed(d));
}

static json_t *render_apps(const api_read *rd)
{
    json_t *list = json_array();
    const char *name;
    const json_t *doc;
    json_object_foreach((json_t *)app_view_kind(rd->desired, ZK_STORE_APP), name, doc)
    {
        json_t *view = app_view_app(rd->state, doc);
        if (view)
            json_array_append_new(list, view);
    }
    return json_pack("{s:o}", "apps", list);
}

/* One application, with its tasks (ROUTE_APP), or its tasks alone. */
static void render_app(api_read *rd)
{
    const json_t *doc = json_object_get(app_view_kind(rd->desired, ZK_STORE_APP), rd->id);
    json_t *id = json_string(rd->id), *view = doc ? app_view_app(rd->state, doc) : NULL;
    char message[ZK_STORE_MAX_NAME + 64];
    if (!doc) {
        snprintf(message, sizeof message, "%s: no such application", rd->id);
        answer_error_at(rd->req, 404, message, "id", id);
    } else if (rd->route == ROUTE_TASKS) {
        api_answer_json(rd->req, 200,
                        json_pack("{s:o}", "tasks", app_view_tasks(rd->state, rd->id)));
    } else {
        if (view)
            json_object_set_new(view, "tasks", app_view_tasks(rd->state, rd->id));
        api_answer_json(rd->req, view ? 200 : 503, json_incref(view));
    }
    json_decref(view);
    json_decref(id);
}

/* A write reached a standby: the leader's API, if the election names one
 * that serves it; else 503 until one does. */
static void redirect(api_read *rd)
{
    size_t n = strcspn(rd->data, " ");
    const char *url = rd->member[0] && rd->data[n] ? rd->data + n + 1 : NULL;
    char location[1200], message[1300];
    api_answer a = {.status = 307, .location = location};
    if (!url || strcmp(url, rd->d->api_url) == 0) {
        api_answer_error(rd->req, 503,
                         url ? "this instance is becoming the leader; try again"
                             : "no leader is known (or it serves no API); try again");
        return;
    }
    snprintf(location, sizeof location, "%s%s%s", url, api_request_path(rd->req),
             api_request_query_string(rd->req));
    snprintf(message, sizeof message, "{\"leader\": \"%s\"}", url);
    a.body = message;
    api_request_answer(rd->req, &a);
}

static void render(api_read *rd)
{
    switch (rd->route) {
    case ROUTE_LEADER:
        api_answer_json(rd->req, 200, render_leader(rd));
        break;
    case ROUTE_APPS:
        api_answer_json(rd->req, 200, render_apps(rd));
        break;
    case ROUTE_APP:
    case ROUTE_TASKS:
        render_app(rd);
        break;
    case ROUTE_DEPLOYMENTS:
        api_answer_json(rd->req, 200,
                        json_pack("{s:o}", "deployments", app_view_txns(rd->state, true)));
        break;
    case ROUTE_TRANSACTIONS:
        api_answer_json(rd->req, 200,
                        json_pack("{s:o}", "transactions", app_view_txns(rd->state, false)));
        break;
    case ROUTE_REDIRECT:
        redirect(rd);
        break;
    }
    read_free(rd);
}

static void on_member_data(void *owner, void *arg, const zk_result *r)
{
    api_read *rd = arg;
    (void)owner;
    if (r->rc == ZOK && r->data)
        snprintf(rd->data, sizeof rd->data, "%.*s", r->len, r->data);
    else
        rd->member[0] = '\0'; /* gone meanwhile: no leader to name */
    render(rd);
}

static void on_members(void *owner, void *arg, const zk_result *r)
{
    api_read *rd = arg;
    daemon *d = rd->d;
    const char *best = NULL;
    char path[DESIRED_PATH_SIZE + 300];
    (void)owner;
    for (size_t i = 0; r->rc == ZOK && i < r->n_names; i++) {
        long long seq = zk_election_sequence(r->names[i]);
        if (seq >= 0 && (!best || seq < zk_election_sequence(best)))
            best = r->names[i];
    }
    if (!best) {
        render(rd); /* nobody in the election (or no election yet) */
        return;
    }
    snprintf(rd->member, sizeof rd->member, "%s", best);
    snprintf(path, sizeof path, "%s/%s", d->paths.leader, best);
    if (zk_get(d->api_zk, path, false, on_member_data, rd) != HDRF_OK)
        read_failed(rd, "reading the election", NULL);
}

static void on_state_loaded(void *arg, int status, const zk_store_snapshot *snap,
                            const sched_error *err)
{
    api_read *rd = arg;
    if (status != HDRF_OK || !(rd->state = app_view_loaded(snap))) {
        read_failed(rd, "reading the leader's state", err);
        return;
    }
    if (zk_children(rd->d->api_zk, rd->d->paths.leader, false, on_members, rd) != HDRF_OK)
        read_failed(rd, "reading the election", NULL);
}

static void on_desired_loaded(void *arg, int status, const zk_store_snapshot *snap,
                              const sched_error *err)
{
    api_read *rd = arg;
    sched_error e;
    if (status != HDRF_OK || !(rd->desired = app_view_loaded(snap))) {
        read_failed(rd, "reading the desired applications", err);
        return;
    }
    if (zk_store_load(rd->d->api_state, on_state_loaded, rd, &e) != HDRF_OK)
        read_failed(rd, "reading the leader's state", &e);
}

static void start_read(daemon *d, api_request *r, route route, const char *id)
{
    api_read *rd = calloc(1, sizeof *rd);
    sched_error e;
    if (!rd) {
        api_answer_error(r, 503, "out of memory");
        return;
    }
    rd->d = d;
    rd->req = r;
    rd->route = route;
    snprintf(rd->id, sizeof rd->id, "%s", id ? id : "");
    rd->next = d->api_reads;
    d->api_reads = rd;
    if (zk_store_load(d->api_desired, on_desired_loaded, rd, &e) != HDRF_OK)
        read_failed(rd, "reading the desired applications", &e);
}

/* ---- events: GET /v1/events ------------------------------------------------------- */

/* One server-sent event to every stream; streams whose client went are dropped. */
static void publish(daemon *d, const char *text, size_t len)
{
    size_t kept = 0;
    for (size_t i = 0; i < d->n_api_streams; i++) {
        if (api_stream_send(d->api_streams[i], text, len))
            d->api_streams[kept++] = d->api_streams[i];
        else
            api_stream_free(d->api_streams[i]);
    }
    d->n_api_streams = kept;
}

/* "event: <type>\ndata: <JSON>\n\n", the JSON on one line. */
static char *event_text(const char *type, const json_t *data)
{
    char *json = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t size = json ? strlen(type) + strlen(json) + sizeof "event: \ndata: \n\n" : 0;
    char *text = json ? malloc(size) : NULL;
    if (text)
        snprintf(text, size, "event: %s\ndata: %s\n\n", type, json);
    free(json);
    return text;
}

void api_event(daemon *d, const char *type, json_t *data)
{
    char *text = d->n_api_streams && data ? event_text(type, data) : NULL;
    if (text)
        publish(d, text, strlen(text));
    free(text);
    json_decref(data);
}

/* A "transaction" event for every transaction of the leader's
 * orchestrator whose status changed since the last turn (a deployment's
 * steps: pending, then done, failed or superseded). A new orchestrator
 * (leading anew, or rebuilt) is taken as it is, without a burst of its
 * past. */
static void watch_transactions(daemon *d)
{
    bool seed;
    if (!d->orch || d->phase != ACTIVE) {
        d->api_txn_orch = NULL; /* seeded again once leading */
        return;
    }
    seed = d->orch != d->api_txn_orch;
    if (seed) {
        json_decref(d->api_txn_seen);
        d->api_txn_seen = json_object();
        d->api_txn_orch = d->orch;
    }
    for (size_t i = 0; d->orch && d->api_txn_seen && i < orch_txn_count(d->orch); i++) {
        const orch_txn *t = orch_txn_at(d->orch, i);
        const char *status = orch_txn_status_name(t->status);
        const char *seen = json_string_value(json_object_get(d->api_txn_seen, t->id));
        if (seen && strcmp(seen, status) == 0)
            continue;
        json_object_set_new(d->api_txn_seen, t->id, json_string(status));
        if (!seed)
            api_event(d, "transaction",
                      json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", t->id, "app", t->app_id, "kind",
                                orch_txn_kind_name(t->kind), "status", status, "target",
                                (json_int_t)t->target));
    }
}

static void serve_events(daemon *d, api_request *r)
{
    api_stream **grown = realloc(d->api_streams, (d->n_api_streams + 1) * sizeof *grown);
    api_stream *st;
    json_t *hello;
    char *text;
    if (!grown) {
        api_answer_error(r, 503, "out of memory");
        return;
    }
    d->api_streams = grown;
    if (!(st = api_request_stream(r)))
        return;
    hello = json_pack("{s:s, s:s, s:b}", "instance", d->owner, "api", d->api_url, "leading",
                      d->phase == ACTIVE);
    text = hello ? event_text("hello", hello) : NULL;
    /* the client reconnects after 2 s if the stream breaks (the SSE "retry" field) */
    if (!api_stream_send(st, "retry: 2000\n\n", 13) || !text ||
        !api_stream_send(st, text, strlen(text)))
        api_stream_free(st);
    else
        d->api_streams[d->n_api_streams++] = st;
    free(text);
    json_decref(hello);
}

/* ---- routing ----------------------------------------------------------------------- */

/* "/v1/apps/<id>[/<rest>]": the id (into `id`) and what follows ("" or "tasks"...). */
static const char *app_path(const char *path, char *id, size_t size)
{
    const char *at = path + strlen("/v1/apps/");
    size_t n = strcspn(at, "/");
    if (n == 0 || n >= size)
        return NULL;
    memcpy(id, at, n);
    id[n] = '\0';
    return at[n] ? at + n + 1 : "";
}

static void not_allowed(api_request *r, const char *allowed)
{
    char message[160];
    snprintf(message, sizeof message, "%s %s: method not allowed here (allowed: %s)",
             api_request_method(r), api_request_path(r), allowed);
    api_answer_error(r, 405, message);
}

/* Routes the issue names that need the orchestrator's own operations
 * (a restart, a task killed, a deployment cancelled): not served yet. */
static void not_yet(api_request *r)
{
    char message[400];
    snprintf(message, sizeof message, "%s %.300s: not implemented yet", api_request_method(r),
             api_request_path(r));
    api_answer_error(r, 501, message);
}

/* A write: the leader does it; a standby sends it there. */
static void route_write(daemon *d, api_request *r, api_write_kind kind, const char *id)
{
    if (d->phase == ACTIVE)
        api_write_start(d, r, kind, id);
    else
        start_read(d, r, ROUTE_REDIRECT, NULL);
}

static void route_request(daemon *d, api_request *r)
{
    const char *method = api_request_method(r), *path = api_request_path(r), *rest;
    bool get = strcmp(method, "GET") == 0;
    char id[ZK_STORE_MAX_NAME + 1], message[400];
    static const struct {
        const char *path;
        route route;
    } reads[] = {{"/v1/leader", ROUTE_LEADER},
                 {"/v1/apps", ROUTE_APPS},
                 {"/v1/deployments", ROUTE_DEPLOYMENTS},
                 {"/v1/transactions", ROUTE_TRANSACTIONS}};
    if (strcmp(path, "/health") == 0) {
        get ? serve_health(d, r) : not_allowed(r, "GET");
        return;
    }
    if (strcmp(path, "/v1/events") == 0) {
        get ? serve_events(d, r) : not_allowed(r, "GET");
        return;
    }
    if (strcmp(path, "/metrics") == 0) {
        get ? serve_metrics(d, r) : not_allowed(r, "GET");
        return;
    }
    if (strcmp(path, "/v1/apps") == 0 && strcmp(method, "POST") == 0) {
        route_write(d, r, API_WRITE_SUBMIT, NULL);
        return;
    }
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
        if (strcmp(path, reads[i].path) == 0) {
            get ? start_read(d, r, reads[i].route, NULL)
                : not_allowed(r, reads[i].route == ROUTE_APPS ? "GET, POST" : "GET");
            return;
        }
    if (strncmp(path, "/v1/apps/", 9) == 0 && (rest = app_path(path, id, sizeof id))) {
        if (strcmp(rest, "") == 0) {
            if (get)
                start_read(d, r, ROUTE_APP, id);
            else if (strcmp(method, "PUT") == 0 || strcmp(method, "DELETE") == 0)
                route_write(d, r, method[0] == 'P' ? API_WRITE_SUBMIT : API_WRITE_DELETE, id);
            else
                not_allowed(r, "GET, PUT, DELETE");
            return;
        }
        if (strcmp(rest, "tasks") == 0) {
            get ? start_read(d, r, ROUTE_TASKS, id) : not_allowed(r, "GET");
            return;
        }
        if (strcmp(rest, "scale") == 0) {
            strcmp(method, "POST") == 0 ? route_write(d, r, API_WRITE_SCALE, id)
                                        : not_allowed(r, "POST");
            return;
        }
        if (strcmp(rest, "restart") == 0 || strncmp(rest, "tasks/", 6) == 0) {
            not_yet(r);
            return;
        }
    }
    if (strncmp(path, "/v1/deployments/", 16) == 0) {
        not_yet(r);
        return;
    }
    snprintf(message, sizeof message,
             "%s %.300s: no such route (see the API's routes in "
             "docs/scheduler.md)",
             method, path);
    api_answer_error(r, 404, message);
}

/* ---- the server's life ------------------------------------------------------------- */

/* The URL other instances and clients reach this one at: the listening
 * host, or this machine's name when it listens on every address. */
static void make_url(daemon *d)
{
    char host[256];
    const char *address = d->o->http_address, *colon = strrchr(address, ':');
    size_t n = colon ? (size_t)(colon - address) : 0;
    snprintf(host, sizeof host, "%.*s", (int)n, address);
    if (!host[0] || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "[::]") == 0)
        snprintf(host, sizeof host, "%s", d->hostname);
    snprintf(d->api_url, sizeof d->api_url, "%s://%s:%u", api_server_tls(d->api) ? "https" : "http",
             host, (unsigned)api_server_port(d->api));
}

int api_start(daemon *d, sched_error *err)
{
    const sched_options *o = d->o;
    api_server_config cfg = {o->http_address, o->http_tls_cert, o->http_tls_key,
                             o->http_credentials, d->log};
    int rc = HDRF_OK;
    snprintf(d->member_data, sizeof d->member_data, "%s", d->owner);
    if (!o->http_address[0])
        return HDRF_OK;
    if ((rc = api_server_start(&cfg, &d->api, err)) == HDRF_OK &&
        (rc = zk_user_new(d->zk, NULL, NULL, &d->api_zk, err)) == HDRF_OK &&
        (rc = zk_store_new(d->zk, d->paths.desired, &d->api_desired, err)) == HDRF_OK)
        rc = zk_store_new(d->zk, d->paths.state, &d->api_state, err);
    if (rc != HDRF_OK)
        return rc;
    make_url(d);
    snprintf(d->member_data, sizeof d->member_data, "%s %s", d->owner, d->api_url);
    sched_log(&d->log, SCHED_LOG_INFO, "HTTP API on %s", d->api_url);
    return HDRF_OK;
}

int api_fd(const daemon *d) { return d->api ? api_server_fd(d->api) : -1; }

void api_serve(daemon *d)
{
    api_request *r;
    while (d->api && (r = api_server_next(d->api)))
        route_request(d, r);
    if (d->api)
        watch_transactions(d);
}

void api_stop(daemon *d)
{
    /* the stores first: no read callback runs after this */
    zk_store_free(d->api_desired);
    zk_store_free(d->api_state);
    zk_user_free(d->api_zk);
    d->api_desired = d->api_state = NULL;
    d->api_zk = NULL;
    for (size_t i = 0; i < d->n_api_streams; i++)
        api_stream_free(d->api_streams[i]);
    free(d->api_streams);
    d->api_streams = NULL;
    d->n_api_streams = 0;
    json_decref(d->api_txn_seen);
    d->api_txn_seen = NULL;
    api_write_stop_all(d);
    while (d->api_reads) {
        api_answer_error(d->api_reads->req, 503, "the scheduler is stopping");
        read_free(d->api_reads);
    }
    api_server_stop(d->api);
    d->api = NULL;
}
