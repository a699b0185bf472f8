/* api_write.c: the operator HTTP API's writes, on the leader's loop (see
 * api.c for the routes, daemon_internal.h for the files).
 *
 * A write changes the desired applications in ZooKeeper exactly as the
 * CLI does (desired_change.h, the same refusals and messages): it reads
 * every application's document, decides every change, and only then
 * writes them, compare-and-set at the versions read, one after the other;
 * the answer (2xx) goes once every write has succeeded, so a write
 * accepted is durable. The leader picks the change up through its watch,
 * as it does for the CLI's. A refusal answers before anything is written
 * (all or none); a race lost to another writer (ZK_ECONFLICT) starts over
 * from the reads, a few times, as the CLI does.
 *
 * Owns d->api_writes. */
#include "scheduler/prog/daemon_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app.h"
#include "scheduler/prog/api_server.h"
#include "scheduler/prog/desired_change.h"

#define RETRIES 5 /* compare-and-set attempts, as the CLI's */

/* One application of a write: its document as read, and its change. */
typedef struct write_doc {
    char id[ZK_STORE_MAX_NAME + 1];
    const json_t *app; /* submit: the application (borrowed from w->apps) */
    json_t *cur;       /* as read; NULL: none */
    int version;
    json_t *next; /* to write; NULL: unchanged */
    bool written;
    char said[256];
} write_doc;

struct api_write {
    daemon *d;
    api_request *req;
    api_write_kind kind;
    json_t *apps; /* submit: the applications */
    long instances;
    bool force;
    write_doc *docs;
    size_t n, at; /* the documents; the one being read or written */
    int attempt;
    struct api_write *next;
};

static void write_free(api_write *w)
{
    for (api_write **p = &w->d->api_writes; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    for (size_t i = 0; i < w->n; i++) {
        json_decref(w->docs[i].cur);
        json_decref(w->docs[i].next);
    }
    free(w->docs);
    json_decref(w->apps);
    free(w);
}

static void refuse(api_write *w, int status, const sched_error *err)
{
    int http = status == HDRF_ENOTFOUND                          ? 404
               : status == HDRF_EEXIST || status == ZK_ECONFLICT ? 409
               : status == HDRF_EINVAL                           ? 400
                                                                 : 503;
    api_answer_error(w->req, http, err->text);
    write_free(w);
}

static void done(api_write *w)
{
    json_t *list = json_array(), *doc;
    for (size_t i = 0; list && i < w->n; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "id", w->docs[i].id, "message", w->docs[i].said));
    doc = list ? json_pack("{s:o}", "apps", list) : NULL;
    api_answer_json(w->req, w->kind == API_WRITE_DELETE ? 202 : 200, doc);
    write_free(w);
}

static void read_next(api_write *w);
static void write_next(api_write *w);

static void on_written(void *arg, int status, int version, const sched_error *err)
{
    api_write *w = arg;
    sched_error e;
    (void)version;
    if (status == ZK_ECONFLICT && ++w->attempt < RETRIES) {
        w->at = 0; /* another writer came between: read again */
        read_next(w);
        return;
    }
    if (status == ZK_ECONFLICT) {
        sched_error_set(&e, status, "%s: changed by another writer meanwhile, %d times; try again",
                        w->docs[w->at].id, RETRIES);
        refuse(w, status, &e);
        return;
    }
    if (status != HDRF_OK) {
        refuse(w, status, err);
        return;
    }
    w->docs[w->at].written = true;
    w->at++;
    write_next(w);
}

/* Writes the next changed document, or answers once none is left. */
static void write_next(api_write *w)
{
    sched_error e;
    while (w->at < w->n && !w->docs[w->at].next)
        w->at++;
    if (w->at == w->n) {
        done(w);
        return;
    }
    if (zk_store_put(w->d->api_desired, ZK_STORE_APP, w->docs[w->at].id, w->docs[w->at].next,
                     w->docs[w->at].version, on_written, w, &e) != HDRF_OK)
        refuse(w, e.status, &e);
}

/* Every document read: every change decided, or the first refusal. */
static void plan(api_write *w)
{
    for (size_t i = 0; i < w->n; i++) {
        write_doc *doc = &w->docs[i];
        const void *arg = w->kind == API_WRITE_SUBMIT  ? (const void *)doc->app
                          : w->kind == API_WRITE_SCALE ? (const void *)&w->instances
                                                       : (const void *)&w->force;
        desired_change_fn fn = w->kind == API_WRITE_SUBMIT  ? desired_change_submit
                               : w->kind == API_WRITE_SCALE ? desired_change_scale
                                                            : desired_change_delete;
        char said[256] = "";
        sched_error e;
        json_t *next = fn(doc->id, doc->cur, arg, said, sizeof said, &e);
        if (!next) {
            refuse(w, e.status, &e);
            return;
        }
        json_decref(doc->next);
        doc->next = json_equal(next, doc->cur) ? NULL : json_incref(next);
        json_decref(next);
        if (!doc->written) /* a line once written stays what it said */
            memcpy(doc->said, said, sizeof said);
    }
    w->at = 0;
    write_next(w);
}

static void on_read(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    api_write *w = arg;
    write_doc *d = &w->docs[w->at];
    if (status != HDRF_OK && status != HDRF_ENOTFOUND) {
        refuse(w, status, err);
        return;
    }
    json_decref(d->cur);
    d->cur = doc ? json_incref(doc->json) : NULL;
    d->version = doc ? doc->version : ZK_STORE_NEW;
    w->at++;
    read_next(w);
}

/* Reads the next document; after the last, plans. */
static void read_next(api_write *w)
{
    sched_error e;
    if (w->at == w->n) {
        plan(w);
        return;
    }
    if (zk_store_get(w->d->api_desired, ZK_STORE_APP, w->docs[w->at].id, on_read, w, &e) != HDRF_OK)
        refuse(w, e.status, &e);
}

/* ---- starting a write -------------------------------------------------------------- */

static api_write *write_new(daemon *d, api_request *r, api_write_kind kind, size_t n)
{
    api_write *w = calloc(1, sizeof *w);
    if (w && !(w->docs = calloc(n ? n : 1, sizeof *w->docs))) {
        free(w);
        w = NULL;
    }
    if (!w) {
        api_answer_error(r, 503, "out of memory");
        return NULL;
    }
    w->d = d;
    w->req = r;
    w->kind = kind;
    w->n = n;
    w->next = d->api_writes;
    d->api_writes = w;
    return w;
}

/* The request's body as JSON, or NULL after answering 400. */
static json_t *body_json(api_request *r)
{
    size_t len;
    const char *body = api_request_body(r, &len);
    json_error_t e;
    json_t *doc = json_loadb(body, len, JSON_DECODE_ANY, &e);
    char message[256];
    if (!doc) {
        snprintf(message, sizeof message, "body: line %d, column %d: %s", e.line, e.column, e.text);
        api_answer_error(r, 400, message);
    }
    return doc;
}

/* POST /v1/apps (one application or {"apps": [...]}) and PUT
 * /v1/apps/<id> (one, whose id is the path's). */
static void start_submit(daemon *d, api_request *r, const char *path_id)
{
    json_t *doc = body_json(r), *apps = NULL;
    sched_error e;
    api_write *w;
    char message[ZK_STORE_MAX_NAME * 2 + 64];
    if (!doc)
        return;
    if (path_id && json_is_object(doc) && !json_object_get(doc, "id"))
        json_object_set_new(doc, "id", json_string(path_id));
    if (path_id && json_is_object(doc) && json_is_string(json_object_get(doc, "id")) &&
        strcmp(json_string_value(json_object_get(doc, "id")), path_id) != 0) {
        snprintf(message, sizeof message, "id: \"%s\": must be the path's, \"%s\"",
                 json_string_value(json_object_get(doc, "id")), path_id);
        api_answer_error(r, 400, message);
    } else if (path_id && json_object_get(doc, "apps")) {
        api_answer_error(r, 400,
                         "apps: one application here, not a list (POST /v1/apps takes "
                         "lists)");
    } else if (desired_apps_from_json(doc, &apps, &e) != HDRF_OK) {
        api_answer_error(r, 400, e.text);
    } else if ((w = write_new(d, r, API_WRITE_SUBMIT, json_array_size(apps)))) {
        w->apps = json_incref(apps);
        for (size_t i = 0; i < w->n; i++) {
            w->docs[i].app = json_array_get(apps, i);
            snprintf(w->docs[i].id, sizeof w->docs[i].id, "%s",
                     json_string_value(json_object_get(w->docs[i].app, "id")));
        }
        read_next(w);
    }
    json_decref(apps);
    json_decref(doc);
}

/* POST /v1/apps/<id>/scale {"instances": n} */
static void start_scale(daemon *d, api_request *r, const char *id)
{
    json_t *doc = body_json(r);
    const json_t *n = json_object_get(doc, "instances");
    char message[128];
    api_write *w;
    if (!doc)
        return;
    if (!json_is_integer(n) || json_integer_value(n) < 0 ||
        json_integer_value(n) > APP_MAX_INSTANCES) {
        char *value = n ? json_dumps(n, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        snprintf(message, sizeof message, "instances: %.40s: must be an integer from 0 to %d",
                 value ? value : "missing", APP_MAX_INSTANCES);
        free(value);
        api_answer_error(r, 400, message);
    } else if ((w = write_new(d, r, API_WRITE_SCALE, 1))) {
        w->instances = (long)json_integer_value(n);
        snprintf(w->docs[0].id, sizeof w->docs[0].id, "%s", id);
        read_next(w);
    }
    json_decref(doc);
}

void api_write_start(daemon *d, api_request *r, api_write_kind kind, const char *id)
{
    api_write *w;
    const char *force = api_request_query(r, "force");
    switch (kind) {
    case API_WRITE_SUBMIT:
        start_submit(d, r, id);
        break;
    case API_WRITE_SCALE:
        start_scale(d, r, id);
        break;
    case API_WRITE_DELETE:
        if ((w = write_new(d, r, API_WRITE_DELETE, 1))) {
            w->force = force && (strcmp(force, "true") == 0 || strcmp(force, "") == 0);
            snprintf(w->docs[0].id, sizeof w->docs[0].id, "%s", id);
            read_next(w);
        }
        break;
    }
}

void api_write_stop_all(daemon *d)
{
    while (d->api_writes) {
        api_answer_error(d->api_writes->req, 503, "the scheduler is stopping");
        write_free(d->api_writes);
    }
}
