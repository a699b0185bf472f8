/* zk_store.h: the scheduler's durable state, as JSON documents in ZooKeeper.
 *
 * What a standby needs to take over with nothing lost: the framework id
 * (to re-subscribe as the same framework, within its failover timeout), the
 * applications operators asked for, the tasks launched (so that none is
 * forgotten or launched twice) and the transactions still pending. Each is a
 * JSON document (jansson) in its own node under a configurable root:
 *
 *   <root>/framework/<name>   e.g. "id": {"value": "<framework id>"}
 *   <root>/apps/<app id>
 *   <root>/tasks/<task id>
 *   <root>/txns/<transaction id>
 *
 * Writes are compare-and-set on ZooKeeper's version of the node: creating
 * succeeds only if the document does not exist (ZK_STORE_NEW), updating and
 * deleting only at the version last read or written. A writer that lost a
 * race (another instance, or an operator command, wrote in between) gets
 * ZK_ECONFLICT and must read again before deciding; so two instances that
 * both believe they lead can never silently overwrite each other's state.
 * A write whose answer was lost with the connection reports ZK_EUNAVAILABLE:
 * it may or may not have happened, and reading says which.
 *
 * zk_store_load() reads everything with its versions: what a new leader
 * does before acting. Documents are written compactly with sorted keys, at
 * most ZK_STORE_MAX_DOC bytes (ZooKeeper's default limit on a node is 1 MiB).
 *
 * Every call is asynchronous: its callback runs from zk_session_dispatch(),
 * exactly once, unless the store is freed first (then never). A call
 * refused at once (a bad name, a document too large, out of memory) returns
 * the status and its callback never runs.
 *
 * Ownership: the caller owns the store and its session, and frees the store
 * first. Documents passed in are borrowed (encoded during the call). What a
 * callback receives (documents, names, snapshot, error) is the store's and
 * valid only during the callback: json_incref() a document to keep it.
 */
#ifndef HDRF_SCHED_ZK_STORE_H
#define HDRF_SCHED_ZK_STORE_H

#include <jansson.h>
#include <stddef.h>

#include "scheduler/zk_session.h"

#define ZK_STORE_NEW (-1)        /* put: the document must not exist yet */
#define ZK_STORE_ANY (-2)        /* delete: whatever its version */
#define ZK_STORE_MAX_DOC 1000000 /* bytes of an encoded document */
#define ZK_STORE_MAX_NAME 200    /* characters of a document's name */

typedef enum zk_store_kind {
    ZK_STORE_FRAMEWORK, /* "framework" */
    ZK_STORE_APP,       /* "apps" */
    ZK_STORE_TASK,      /* "tasks" */
    ZK_STORE_TXN,       /* "txns" */
    ZK_STORE_KINDS
} zk_store_kind;

typedef struct zk_store zk_store;

typedef struct zk_store_doc {
    const char *name;
    json_t *json; /* borrowed */
    int version;  /* ZooKeeper's data version: what the next write must name */
} zk_store_doc;

/* Every document, by kind, each kind sorted by name. */
typedef struct zk_store_snapshot {
    const zk_store_doc *docs[ZK_STORE_KINDS];
    size_t n[ZK_STORE_KINDS];
} zk_store_snapshot;

/* put, delete: the document's version after the write (put), or -1. */
typedef void (*zk_store_write_fn)(void *arg, int status, int version, const sched_error *err);
/* get: HDRF_ENOTFOUND when there is no such document. */
typedef void (*zk_store_read_fn)(void *arg, int status, const zk_store_doc *doc,
                                 const sched_error *err);
typedef void (*zk_store_list_fn)(void *arg, int status, const char *const *names, size_t n,
                                 const sched_error *err);
typedef void (*zk_store_load_fn)(void *arg, int status, const zk_store_snapshot *snap,
                                 const sched_error *err);

/* A store under `root` (an absolute path, created when first written). */
int zk_store_new(zk_session *s, const char *root, zk_store **out, sched_error *err);

/* Frees the store; callbacks of calls in flight never run. NULL is ignored. */
void zk_store_free(zk_store *st);

/* The directory name of a kind ("apps", ...). */
const char *zk_store_kind_name(zk_store_kind kind);

/* Writes `doc` as document `name` of `kind`: creates it when `version` is
 * ZK_STORE_NEW, else replaces it if it is still at `version`. Names are 1
 * to ZK_STORE_MAX_NAME characters of A-Z a-z 0-9 . _ -, not "." or "..". */
int zk_store_put(zk_store *st, zk_store_kind kind, const char *name, const json_t *doc, int version,
                 zk_store_write_fn fn, void *arg, sched_error *err);

/* Deletes a document if it is still at `version` (or ZK_STORE_ANY). A
 * document already gone reports HDRF_ENOTFOUND. */
int zk_store_delete(zk_store *st, zk_store_kind kind, const char *name, int version,
                    zk_store_write_fn fn, void *arg, sched_error *err);

int zk_store_get(zk_store *st, zk_store_kind kind, const char *name, zk_store_read_fn fn, void *arg,
                 sched_error *err);

/* The names of a kind's documents, sorted (none when nothing was stored). */
int zk_store_list(zk_store *st, zk_store_kind kind, zk_store_list_fn fn, void *arg,
                  sched_error *err);

/* Every document of every kind with its version. A document deleted while
 * loading is left out; any other failure fails the whole load. */
int zk_store_load(zk_store *st, zk_store_load_fn fn, void *arg, sched_error *err);

#endif
