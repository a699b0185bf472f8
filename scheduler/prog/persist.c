/* persist.c: the leader's state in ZooKeeper, fenced (see persist.h).
 *
 * The persister remembers, per kind, each document as it last wrote or
 * read it and its version: what a save compares with, and the version its
 * compare-and-set names. A save runs in two steps, the framework document
 * (the fence), then every other changed document at once; the save's
 * requests live in one array freed when the last answer came (or with the
 * persister). */
#include "scheduler/prog/persist.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/zk_store.h"

#define FW_NAME "state"

static const zk_store_kind doc_kinds[] = {ZK_STORE_APP, ZK_STORE_TASK, ZK_STORE_TXN};
#define N_DOC_KINDS (sizeof doc_kinds / sizeof doc_kinds[0])

typedef struct save_req {
    struct persist *p;
    zk_store_kind kind;
    char *name;  /* a copy: the key may go with the document it names */
    json_t *doc; /* what is written (borrowed from the state), NULL: deleted */
} save_req;

struct persist {
    zk_store *st;
    char *owner;
    json_t *docs[ZK_STORE_KINDS];     /* name -> document as stored */
    json_t *versions[ZK_STORE_KINDS]; /* name -> version */
    long epoch;
    bool claimed;
    /* the load, claim or save in flight */
    bool busy;
    persist_done_fn done;
    persist_load_fn loaded;
    void *arg;
    json_t *saving; /* the state being saved (a copy) */
    json_t *fw;     /* the framework document being written */
    save_req *reqs;
    size_t n_reqs, outstanding;
    sched_error first_err;
};

static void forget(persist *p)
{
    for (int k = 0; k < ZK_STORE_KINDS; k++) {
        json_decref(p->docs[k]);
        json_decref(p->versions[k]);
        p->docs[k] = json_object();
        p->versions[k] = json_object();
    }
}

int persist_new(zk_session *s, const char *root, const char *owner, persist **out, sched_error *err)
{
    persist *p = calloc(1, sizeof *p);
    int rc;
    if (!p || !(p->owner = strdup(owner))) {
        free(p);
        return sched_error_set(err, HDRF_ENOMEM, "persist: out of memory");
    }
    forget(p);
    if ((rc = zk_store_new(s, root, &p->st, err)) != HDRF_OK) {
        persist_free(p);
        return rc;
    }
    *out = p;
    return HDRF_OK;
}

static void end_save(persist *p)
{
    for (size_t i = 0; i < p->n_reqs; i++)
        free(p->reqs[i].name);
    free(p->reqs);
    p->reqs = NULL;
    p->n_reqs = p->outstanding = 0;
    json_decref(p->saving);
    json_decref(p->fw);
    p->saving = p->fw = NULL;
    p->busy = false;
}

void persist_free(persist *p)
{
    if (!p)
        return;
    zk_store_free(p->st);
    end_save(p);
    for (int k = 0; k < ZK_STORE_KINDS; k++) {
        json_decref(p->docs[k]);
        json_decref(p->versions[k]);
    }
    free(p->owner);
    free(p);
}

long persist_epoch(const persist *p) { return p->claimed ? p->epoch : 0; }

static int version_of(const persist *p, zk_store_kind kind, const char *name)
{
    const json_t *v = json_object_get(p->versions[kind], name);
    return v ? (int)json_integer_value(v) : ZK_STORE_NEW;
}

static void remember(persist *p, zk_store_kind kind, const char *name, json_t *doc, int version)
{
    if (doc) {
        json_object_set(p->docs[kind], name, doc);
        json_object_set_new(p->versions[kind], name, json_integer(version));
    } else {
        json_object_del(p->docs[kind], name);
        json_object_del(p->versions[kind], name);
    }
}

/* ---- load -------------------------------------------------------------------------- */

/* The framework document holds only the fence and nothing else is stored:
 * an empty state's claim, as written before claims carried the state. */
static bool fence_only(const persist *p, const json_t *fw)
{
    size_t others = 0;
    for (size_t k = 0; k < N_DOC_KINDS; k++)
        others += json_object_size(p->docs[doc_kinds[k]]);
    return fw && others == 0 && json_object_size(fw) == 2 && json_object_get(fw, "leader") &&
           json_object_get(fw, "epoch");
}

static void on_loaded(void *arg, int status, const zk_store_snapshot *snap, const sched_error *err)
{
    persist *p = arg;
    json_t *state = NULL;
    bool any = false;
    p->busy = false;
    if (status == HDRF_OK) {
        forget(p);
        for (int k = 0; k < ZK_STORE_KINDS; k++)
            for (size_t i = 0; i < snap->n[k]; i++) {
                remember(p, (zk_store_kind)k, snap->docs[k][i].name, snap->docs[k][i].json,
                         snap->docs[k][i].version);
                any = true;
            }
    }
    if (status == HDRF_OK) {
        const json_t *fw = json_object_get(p->docs[ZK_STORE_FRAMEWORK], FW_NAME);
        p->epoch = json_integer_value(json_object_get(fw, "epoch"));
        if (any && !fence_only(p, fw)) {
            state = fw ? json_deep_copy(fw) : json_object();
            json_object_del(state, "epoch");
            json_object_del(state, "leader");
            for (size_t k = 0; k < N_DOC_KINDS; k++)
                json_object_set(state, zk_store_kind_name(doc_kinds[k]), p->docs[doc_kinds[k]]);
        }
    }
    p->loaded(p->arg, status, state, err);
    json_decref(state);
}

int persist_load(persist *p, persist_load_fn fn, void *arg, sched_error *err)
{
    int rc;
    if (p->busy)
        return sched_error_set(err, HDRF_EINVAL, "persist: a load or save is under way");
    p->loaded = fn;
    p->arg = arg;
    p->claimed = false;
    if ((rc = zk_store_load(p->st, on_loaded, p, err)) == HDRF_OK)
        p->busy = true;
    return rc;
}

/* ---- the framework document: claim, and the first step of a save ------------------- */

static json_t *framework_doc(const persist *p, const json_t *state, long epoch)
{
    json_t *fw = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)state, key, value)
    {
        bool member = false;
        for (size_t k = 0; k < N_DOC_KINDS; k++)
            member |= strcmp(key, zk_store_kind_name(doc_kinds[k])) == 0;
        if (!member && fw)
            json_object_set(fw, key, value);
    }
    if (fw && (json_object_set_new(fw, "leader", json_string(p->owner)) != 0 ||
               json_object_set_new(fw, "epoch", json_integer(epoch)) != 0)) {
        json_decref(fw);
        fw = NULL;
    }
    return fw;
}

static void finish(persist *p, int status, const sched_error *err)
{
    persist_done_fn fn = p->done;
    void *arg = p->arg;
    end_save(p);
    fn(arg, status, err);
}

static void on_claimed(void *arg, int status, int version, const sched_error *err)
{
    persist *p = arg;
    json_t *fw = p->fw;
    if (status == HDRF_OK) {
        p->epoch++;
        p->claimed = true;
        remember(p, ZK_STORE_FRAMEWORK, FW_NAME, fw, version);
    }
    finish(p, status, err);
}

int persist_claim(persist *p, const json_t *state, persist_done_fn fn, void *arg, sched_error *err)
{
    json_t *fw;
    int rc;
    if (p->busy)
        return sched_error_set(err, HDRF_EINVAL, "persist: a load or save is under way");
    if (!(fw = framework_doc(p, state, p->epoch + 1)))
        return sched_error_set(err, HDRF_ENOMEM, "persist: out of memory");
    p->done = fn;
    p->arg = arg;
    p->fw = fw;
    rc = zk_store_put(p->st, ZK_STORE_FRAMEWORK, FW_NAME, fw,
                      version_of(p, ZK_STORE_FRAMEWORK, FW_NAME), on_claimed, p, err);
    if (rc == HDRF_OK)
        p->busy = true;
    else
        end_save(p);
    return rc;
}

/* ---- save -------------------------------------------------------------------------- */

/* Equal but for top-level numbers with a fraction (ages; see persist.h). */
static bool same_but_ages(const json_t *a, const json_t *b)
{
    const char *key;
    json_t *va;
    if (!json_is_object(a) || !json_is_object(b))
        return json_equal(a, b);
    if (json_object_size(a) != json_object_size(b))
        return false;
    json_object_foreach((json_t *)a, key, va)
    {
        const json_t *vb = json_object_get(b, key);
        if (!vb)
            return false;
        if (!(json_is_real(va) && json_is_real(vb)) && !json_equal(va, vb))
            return false;
    }
    return true;
}

static void on_doc_written(void *arg, int status, int version, const sched_error *err)
{
    save_req *q = arg;
    persist *p = q->p;
    if (status == HDRF_OK || (status == HDRF_ENOTFOUND && !q->doc))
        remember(p, q->kind, q->name, q->doc, version);
    else if (p->first_err.status == HDRF_OK)
        p->first_err = *err;
    if (--p->outstanding == 0)
        finish(p, p->first_err.status, p->first_err.status == HDRF_OK ? NULL : &p->first_err);
}

static bool plan(persist *p, zk_store_kind kind, const char *name, json_t *doc)
{
    save_req *q = &p->reqs[p->n_reqs];
    if (!(q->name = strdup(name)))
        return false;
    q->p = p;
    q->kind = kind;
    q->doc = doc;
    p->n_reqs++;
    return true;
}

/* Lists in p->reqs every document of `state` that changed, and every one gone. */
static bool plan_writes(persist *p, const json_t *state)
{
    size_t cap = 0;
    for (size_t k = 0; k < N_DOC_KINDS; k++)
        cap += json_object_size(json_object_get(state, zk_store_kind_name(doc_kinds[k]))) +
               json_object_size(p->docs[doc_kinds[k]]);
    if (cap && !(p->reqs = calloc(cap, sizeof *p->reqs)))
        return false;
    for (size_t k = 0; k < N_DOC_KINDS; k++) {
        zk_store_kind kind = doc_kinds[k];
        json_t *now = json_object_get(state, zk_store_kind_name(kind));
        const char *name;
        json_t *doc;
        json_object_foreach(now, name, doc)
        {
            if (!same_but_ages(json_object_get(p->docs[kind], name), doc) &&
                !plan(p, kind, name, doc))
                return false;
        }
        json_object_foreach(p->docs[kind], name, doc)
        {
            if (!json_object_get(now, name) && !plan(p, kind, name, NULL))
                return false;
        }
    }
    return true;
}

static void on_fence(void *arg, int status, int version, const sched_error *err)
{
    persist *p = arg;
    json_t *fw = p->fw;
    sched_error e;
    if (status != HDRF_OK) {
        sched_error_set(&e, status, "fenced: %s", err ? err->text : "?");
        finish(p, status, &e);
        return;
    }
    remember(p, ZK_STORE_FRAMEWORK, FW_NAME, fw, version);
    sched_error_clear(&p->first_err);
    p->outstanding = 1; /* held until every request is out */
    for (size_t i = 0; i < p->n_reqs; i++) {
        save_req *q = &p->reqs[i];
        int rc = q->doc ? zk_store_put(p->st, q->kind, q->name, q->doc,
                                       version_of(p, q->kind, q->name), on_doc_written, q, &e)
                        : zk_store_delete(p->st, q->kind, q->name, version_of(p, q->kind, q->name),
                                          on_doc_written, q, &e);
        if (rc == HDRF_OK)
            p->outstanding++;
        else if (p->first_err.status == HDRF_OK)
            p->first_err = e;
    }
    if (--p->outstanding == 0)
        finish(p, p->first_err.status, p->first_err.status == HDRF_OK ? NULL : &p->first_err);
}

int persist_save(persist *p, const json_t *state, persist_done_fn fn, void *arg, sched_error *err)
{
    int rc;
    if (p->busy || !p->claimed)
        return sched_error_set(err, HDRF_EINVAL, "persist: %s",
                               p->busy ? "a load or save is under way" : "not claimed");
    /* The saved state and its framework document stay alive with the save. */
    if (!(p->saving = json_incref((json_t *)state)) ||
        !(p->fw = framework_doc(p, state, p->epoch)) || !plan_writes(p, p->saving)) {
        end_save(p);
        return sched_error_set(err, HDRF_ENOMEM, "persist: out of memory");
    }
    p->done = fn;
    p->arg = arg;
    rc = zk_store_put(p->st, ZK_STORE_FRAMEWORK, FW_NAME, p->fw,
                      version_of(p, ZK_STORE_FRAMEWORK, FW_NAME), on_fence, p, err);
    if (rc == HDRF_OK)
        p->busy = true;
    else
        end_save(p);
    return rc;
}
