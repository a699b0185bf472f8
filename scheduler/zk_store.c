/* zk_store.c: JSON documents in ZooKeeper with compare-and-set writes (see
 * zk_store.h).
 *
 * Each call becomes a `store_req` on the store's list of calls in flight,
 * passed to the session as the request's argument; freeing the store frees
 * the list, and the session drops the answers (the store's zk_user is gone
 * with it). A request is taken off the list before its callback runs, so a
 * callback may free the store.
 *
 * The kind directories are not made in advance: a create that finds its
 * parent missing makes the path and tries once more. Since a session serves
 * its requests in order, the retry runs after the path exists.
 */
#include "scheduler/zk_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

#define PATH_SIZE 768 /* root (at most 512), kind, name (at most 200) */

static const char *const kind_names[ZK_STORE_KINDS] = {"framework", "apps", "tasks", "txns"};

typedef enum req_op { REQ_PUT, REQ_DELETE, REQ_GET, REQ_LIST, REQ_LOAD_LIST, REQ_LOAD_GET } req_op;

typedef struct load_state {
    struct load_state *prev, *next;
    zk_store_load_fn fn;
    void *arg;
    size_t outstanding; /* requests of this load in flight */
    sched_error err;    /* status HDRF_OK while all is well */
    zk_store_doc *docs[ZK_STORE_KINDS];
    size_t n[ZK_STORE_KINDS], cap[ZK_STORE_KINDS];
} load_state;

typedef struct store_req {
    struct store_req *prev, *next;
    req_op op;
    zk_store_kind kind;
    char path[PATH_SIZE]; /* the document's node, or the kind's */
    const char *name;     /* in path: the document's name */
    char *text;           /* put: the encoded document */
    int len;
    int version; /* put, delete */
    bool retried;
    zk_store_write_fn write;
    zk_store_read_fn read;
    zk_store_list_fn list;
    void *arg;
    load_state *load;
} store_req;

struct zk_store {
    zk_user *user;
    char *root;
    store_req *reqs;
    load_state *loads;
};

const char *zk_store_kind_name(zk_store_kind kind)
{
    return kind >= 0 && kind < ZK_STORE_KINDS ? kind_names[kind] : "?";
}

/* ---- requests ------------------------------------------------------------------- */

static bool valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > ZK_STORE_MAX_NAME || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* A request for `name` of `kind` (NULL: the kind's directory), put on the
 * list in *out. */
static int new_req(zk_store *st, req_op op, zk_store_kind kind, const char *name, store_req **out,
                   sched_error *err)
{
    store_req *q;
    if (kind < 0 || kind >= ZK_STORE_KINDS)
        return sched_error_set(err, HDRF_EINVAL, "store: kind %d: no such kind", (int)kind);
    if (name && !valid_name(name))
        return sched_error_set(err, HDRF_EINVAL,
                               "store %s: name '%.*s': must be 1 to %d characters of A-Z a-z 0-9 "
                               ". _ - and not '.' or '..'",
                               kind_names[kind], ZK_STORE_MAX_NAME + 1, name, ZK_STORE_MAX_NAME);
    if (!(q = calloc(1, sizeof *q)))
        return sched_error_set(err, HDRF_ENOMEM, "store: out of memory");
    q->op = op;
    q->kind = kind;
    if (name) {
        int at = snprintf(q->path, sizeof q->path, "%s/%s/", st->root, kind_names[kind]);
        snprintf(q->path + at, sizeof q->path - (size_t)at, "%s", name);
        q->name = q->path + at;
    } else {
        snprintf(q->path, sizeof q->path, "%s/%s", st->root, kind_names[kind]);
    }
    q->next = st->reqs;
    if (st->reqs)
        st->reqs->prev = q;
    st->reqs = q;
    *out = q;
    return HDRF_OK;
}

static void unlink_req(zk_store *st, store_req *q)
{
    if (q->prev)
        q->prev->next = q->next;
    else
        st->reqs = q->next;
    if (q->next)
        q->next->prev = q->prev;
    q->prev = q->next = NULL;
}

static void free_req(store_req *q)
{
    if (q) {
        free(q->text);
        free(q);
    }
}

/* Drops a request that could not be sent (out of memory). */
static int abandon(zk_store *st, store_req *q, sched_error *err)
{
    unlink_req(st, q);
    free_req(q);
    return sched_error_set(err, HDRF_ENOMEM, "store: out of memory");
}

/* ---- writes ----------------------------------------------------------------------- */

static void on_put(void *owner, void *arg, const zk_result *r);

static int send_put(zk_store *st, store_req *q)
{
    if (q->version == ZK_STORE_NEW)
        return zk_create(st->user, q->path, q->text, q->len, ZOO_PERSISTENT, on_put, q);
    return zk_set(st->user, q->path, q->text, q->len, q->version, on_put, q);
}

static void on_put(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    sched_error err;
    int status, version = -1;
    char dir[PATH_SIZE];
    if (r->rc == ZNONODE && q->version == ZK_STORE_NEW && !q->retried) {
        /* The kind's directory is missing: make it, then create again. */
        q->retried = true;
        snprintf(dir, sizeof dir, "%.*s", (int)(q->name - 1 - q->path), q->path);
        if (zk_create_path(st->user, dir, NULL, NULL) == HDRF_OK && send_put(st, q) == HDRF_OK)
            return;
        status = sched_error_set(&err, HDRF_ENOMEM, "store %s: out of memory", q->path);
    } else if (r->rc == ZNODEEXISTS) {
        status = sched_error_set(&err, ZK_ECONFLICT, "store %s: already exists", q->path);
    } else if (r->rc == ZBADVERSION || (r->rc == ZNONODE && q->version != ZK_STORE_NEW)) {
        status = sched_error_set(&err, ZK_ECONFLICT,
                                 "store %s: no longer at version %d (%s): read it again", q->path,
                                 q->version, r->rc == ZNONODE ? "deleted" : "changed");
    } else if ((status = zk_status(r->rc, q->path, &err)) == HDRF_OK) {
        version = r->stat ? r->stat->version : 0; /* a created node is at version 0 */
    }
    unlink_req(st, q);
    q->write(q->arg, status, version, status == HDRF_OK ? NULL : &err);
    free_req(q);
}

int zk_store_put(zk_store *st, zk_store_kind kind, const char *name, const json_t *doc, int version,
                 zk_store_write_fn fn, void *arg, sched_error *err)
{
    store_req *q = NULL;
    char *text = NULL;
    size_t len = 0;
    int status;
    if (version < 0 && version != ZK_STORE_NEW)
        return sched_error_set(err, HDRF_EINVAL,
                               "store %s: version %d: expected a version >= 0 or ZK_STORE_NEW",
                               name, version);
    if (!(text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)))
        return sched_error_set(err, HDRF_ENOMEM, "store: out of memory");
    if ((len = strlen(text)) > ZK_STORE_MAX_DOC) {
        free(text);
        return sched_error_set(err, HDRF_EINVAL, "store %s: %zu bytes: at most %d", name, len,
                               ZK_STORE_MAX_DOC);
    }
    if ((status = new_req(st, REQ_PUT, kind, name, &q, err)) != HDRF_OK) {
        free(text);
        return status;
    }
    q->text = text;
    q->len = (int)len;
    q->version = version;
    q->write = fn;
    q->arg = arg;
    return send_put(st, q) == HDRF_OK ? HDRF_OK : abandon(st, q, err);
}

static void on_delete(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    sched_error err;
    int status;
    if (r->rc == ZBADVERSION)
        status = sched_error_set(&err, ZK_ECONFLICT,
                                 "store %s: no longer at version %d (changed): read it again",
                                 q->path, q->version);
    else
        status = zk_status(r->rc, q->path, &err);
    unlink_req(st, q);
    q->write(q->arg, status, -1, status == HDRF_OK ? NULL : &err);
    free_req(q);
}

int zk_store_delete(zk_store *st, zk_store_kind kind, const char *name, int version,
                    zk_store_write_fn fn, void *arg, sched_error *err)
{
    store_req *q = NULL;
    int status = new_req(st, REQ_DELETE, kind, name, &q, err);
    if (status != HDRF_OK)
        return status;
    q->version = version;
    q->write = fn;
    q->arg = arg;
    if (zk_delete(st->user, q->path, version == ZK_STORE_ANY ? -1 : version, on_delete, q) !=
        HDRF_OK)
        return abandon(st, q, err);
    return HDRF_OK;
}

/* ---- reads -------------------------------------------------------------------------- */

/* Parses what a node holds; NULL with the reason in err. */
static json_t *parse(const store_req *q, const zk_result *r, sched_error *err)
{
    json_error_t jerr;
    json_t *doc =
        json_loadb(r->data ? r->data : "", r->data ? (size_t)r->len : 0, JSON_DECODE_ANY, &jerr);
    if (!doc)
        sched_error_set(err, HDRF_EINVAL, "store %s: not a JSON document: line %d, column %d: %s",
                        q->path, jerr.line, jerr.column, jerr.text);
    return doc;
}

static void on_get(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    sched_error err;
    zk_store_doc doc = {.name = q->name};
    int status = zk_status(r->rc, q->path, &err);
    if (status == HDRF_OK) {
        doc.version = r->stat ? r->stat->version : 0;
        if (!(doc.json = parse(q, r, &err)))
            status = err.status;
    }
    unlink_req(st, q);
    q->read(q->arg, status, status == HDRF_OK ? &doc : NULL, status == HDRF_OK ? NULL : &err);
    json_decref(doc.json);
    free_req(q);
}

int zk_store_get(zk_store *st, zk_store_kind kind, const char *name, zk_store_read_fn fn, void *arg,
                 sched_error *err)
{
    store_req *q = NULL;
    int status = new_req(st, REQ_GET, kind, name, &q, err);
    if (status != HDRF_OK)
        return status;
    q->read = fn;
    q->arg = arg;
    return zk_get(st->user, q->path, false, on_get, q) == HDRF_OK ? HDRF_OK : abandon(st, q, err);
}

static void on_list(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    sched_error err;
    const char **names = NULL;
    int status = r->rc == ZNONODE ? HDRF_OK : zk_status(r->rc, q->path, &err);
    if (status == HDRF_OK && r->n_names) {
        if ((names = malloc(r->n_names * sizeof *names))) {
            memcpy(names, r->names, r->n_names * sizeof *names);
            array_sort_strings(names, r->n_names);
        } else {
            status = sched_error_set(&err, HDRF_ENOMEM, "store %s: out of memory", q->path);
        }
    }
    unlink_req(st, q);
    q->list(q->arg, status, names, status == HDRF_OK ? r->n_names : 0,
            status == HDRF_OK ? NULL : &err);
    free(names);
    free_req(q);
}

int zk_store_list(zk_store *st, zk_store_kind kind, zk_store_list_fn fn, void *arg,
                  sched_error *err)
{
    store_req *q = NULL;
    int status = new_req(st, REQ_LIST, kind, NULL, &q, err);
    if (status != HDRF_OK)
        return status;
    q->list = fn;
    q->arg = arg;
    return zk_children(st->user, q->path, false, on_list, q) == HDRF_OK ? HDRF_OK
                                                                        : abandon(st, q, err);
}

/* ---- loading everything --------------------------------------------------------------- */

static void on_load_list(void *owner, void *arg, const zk_result *r);

static void free_load(load_state *l)
{
    for (int k = 0; k < ZK_STORE_KINDS; k++) {
        for (size_t i = 0; i < l->n[k]; i++) {
            free((char *)l->docs[k][i].name);
            json_decref(l->docs[k][i].json);
        }
        free(l->docs[k]);
    }
    free(l);
}

static int compare_docs(const void *a, const void *b)
{
    return strcmp(((const zk_store_doc *)a)->name, ((const zk_store_doc *)b)->name);
}

/* One request of the load is over: the last one reports. */
static void load_step(zk_store *st, load_state *l)
{
    zk_store_snapshot snap;
    if (--l->outstanding > 0)
        return;
    if (l->prev)
        l->prev->next = l->next;
    else
        st->loads = l->next;
    if (l->next)
        l->next->prev = l->prev;
    for (int k = 0; k < ZK_STORE_KINDS; k++) {
        if (l->n[k] > 1) /* an empty kind has no array: qsort must not see NULL */
            qsort(l->docs[k], l->n[k], sizeof *l->docs[k], compare_docs);
        snap.docs[k] = l->docs[k];
        snap.n[k] = l->n[k];
    }
    if (l->err.status == HDRF_OK)
        l->fn(l->arg, HDRF_OK, &snap, NULL);
    else
        l->fn(l->arg, l->err.status, NULL, &l->err);
    free_load(l);
}

static void load_failed(load_state *l, int status, const sched_error *err)
{
    if (l->err.status == HDRF_OK) /* the first failure tells */
        l->err = *err;
    l->err.status = status;
}

/* Room for one more document of kind k. */
static bool grow(load_state *l, int k)
{
    return array_reserve(&l->docs[k], &l->cap[k], l->n[k] + 1, sizeof *l->docs[k]) == HDRF_OK;
}

static void on_load_get(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    load_state *l = q->load;
    sched_error err;
    json_t *doc = NULL;
    char *name = NULL;
    int k = (int)q->kind;
    /* A document deleted since the listing is simply not there. */
    int status = r->rc == ZNONODE ? HDRF_OK : zk_status(r->rc, q->path, &err);
    if (status == HDRF_OK && r->rc == ZOK && l->err.status == HDRF_OK) {
        if (!(doc = parse(q, r, &err)))
            status = err.status;
        else if (!(name = strdup(q->name)) || !grow(l, k))
            status = sched_error_set(&err, HDRF_ENOMEM, "store: out of memory");
        if (status == HDRF_OK) {
            l->docs[k][l->n[k]++] = (zk_store_doc){name, doc, r->stat ? r->stat->version : 0};
            doc = NULL;
            name = NULL;
        }
    }
    if (status != HDRF_OK)
        load_failed(l, status, &err);
    json_decref(doc);
    free(name);
    unlink_req(st, q);
    free_req(q);
    load_step(st, l);
}

/* Sends a request of the load; counts it, or records why it could not. */
static void load_send(zk_store *st, load_state *l, req_op op, zk_store_kind kind, const char *name)
{
    sched_error err;
    store_req *q = NULL;
    int sent;
    if (new_req(st, op, kind, name, &q, &err) != HDRF_OK) {
        load_failed(l, err.status, &err);
        return;
    }
    q->load = l;
    if (op == REQ_LOAD_LIST)
        sent = zk_children(st->user, q->path, false, on_load_list, q);
    else
        sent = zk_get(st->user, q->path, false, on_load_get, q);
    if (sent != HDRF_OK) {
        abandon(st, q, &err);
        load_failed(l, err.status, &err);
        return;
    }
    l->outstanding++;
}

static void on_load_list(void *owner, void *arg, const zk_result *r)
{
    zk_store *st = owner;
    store_req *q = arg;
    load_state *l = q->load;
    sched_error err;
    int status = r->rc == ZNONODE ? HDRF_OK : zk_status(r->rc, q->path, &err);
    if (status != HDRF_OK)
        load_failed(l, status, &err);
    for (size_t i = 0; i < r->n_names && l->err.status == HDRF_OK; i++)
        if (valid_name(r->names[i])) /* nodes the store did not write are not its */
            load_send(st, l, REQ_LOAD_GET, q->kind, r->names[i]);
    unlink_req(st, q);
    free_req(q);
    load_step(st, l);
}

int zk_store_load(zk_store *st, zk_store_load_fn fn, void *arg, sched_error *err)
{
    load_state *l = calloc(1, sizeof *l);
    if (!l)
        return sched_error_set(err, HDRF_ENOMEM, "store: out of memory");
    l->fn = fn;
    l->arg = arg;
    l->next = st->loads;
    if (st->loads)
        st->loads->prev = l;
    st->loads = l;
    /* Held by the caller until every listing is sent, so that no answer
     * can complete the load half-way. Answers come from dispatch only,
     * but a request refused at once is answered there too. */
    l->outstanding = 1;
    for (int k = 0; k < ZK_STORE_KINDS && l->err.status == HDRF_OK; k++)
        load_send(st, l, REQ_LOAD_LIST, (zk_store_kind)k, NULL);
    if (l->outstanding == 1 && l->err.status != HDRF_OK) {
        int status = l->err.status;
        if (err)
            *err = l->err;
        st->loads = l->next;
        if (l->next)
            l->next->prev = NULL;
        free_load(l);
        return status;
    }
    l->outstanding--;
    return HDRF_OK;
}

/* ---- the store --------------------------------------------------------------------- */

int zk_store_new(zk_session *s, const char *root, zk_store **out, sched_error *err)
{
    zk_store *st;
    int status;
    *out = NULL;
    if (root[0] != '/' || strlen(root) > 512 || (strlen(root) > 1 && root[strlen(root) - 1] == '/'))
        return sched_error_set(err, HDRF_EINVAL,
                               "store: root '%s': must be an absolute path of at most 512 "
                               "characters, without a trailing '/'",
                               root);
    if (!(st = calloc(1, sizeof *st)) || !(st->root = strdup(strcmp(root, "/") ? root : ""))) {
        free(st);
        return sched_error_set(err, HDRF_ENOMEM, "store: out of memory");
    }
    if ((status = zk_user_new(s, NULL, st, &st->user, err)) != HDRF_OK) {
        free(st->root);
        free(st);
        return status;
    }
    *out = st;
    return HDRF_OK;
}

void zk_store_free(zk_store *st)
{
    if (!st)
        return;
    zk_user_free(st->user);
    while (st->reqs) {
        store_req *q = st->reqs;
        st->reqs = q->next;
        free_req(q);
    }
    while (st->loads) {
        load_state *l = st->loads;
        st->loads = l->next;
        free_load(l);
    }
    free(st->root);
    free(st);
}
