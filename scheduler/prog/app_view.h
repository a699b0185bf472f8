/* app_view.h: what operators see of the applications, from the documents
 * in ZooKeeper: the desired applications (desired.h) beside the leader's
 * state (persist.h), as both `list`/`status` (opcmd.h) and the HTTP API
 * (api.c) show them.
 *
 * A "loaded" document is a store's snapshot as JSON, one object per kind:
 *   {"framework": {name: doc}, "apps": {...}, "tasks": {...}, "txns": {...}}
 * Everything here is pure: no I/O, nothing kept.
 *
 * Ownership: the functions returning json_t* return new references; the
 * strings returned are borrowed from the documents (or static).
 */
#ifndef HDRF_SCHED_PROG_APP_VIEW_H
#define HDRF_SCHED_PROG_APP_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "scheduler/zk_store.h"
#include "scheduler/prog/desired.h"

/* The snapshot as a loaded document; NULL without memory. */
json_t *app_view_loaded(const zk_store_snapshot *snap);

/* One kind's documents of a loaded document (name -> doc), or NULL. */
const json_t *app_view_kind(const json_t *loaded, zk_store_kind kind);

/* A string member's value, or `otherwise`. */
const char *app_view_str(const json_t *value, const char *otherwise);

typedef struct app_counts {
    size_t tasks, running;
} app_counts;

/* The leader's tasks of an application, and how many run. */
app_counts app_view_counts(const json_t *state, const char *app_id);

/* "running", "deploying", "waiting for the leader" or "deleting". */
const char *app_view_phase(const json_t *state, const desired_app *d, app_counts c);

/* The API's views (api.c), from the loaded desired state and leader state. */

/* {"id", "instances", "tasks_running", "tasks_live", "state", "deleted",
 * "app": {...}} of a desired application document ("tasks_live": the
 * leader's tasks of it, "state" as app_view_phase()); NULL if unreadable. */
json_t *app_view_app(const json_t *state, const json_t *desired_doc);

/* [{"id", "app", "state", "host", "agent"}] of an application's tasks
 * (NULL: every task), in the order of their names. */
json_t *app_view_tasks(const json_t *state, const char *app_id);

/* [{"id", "app", "kind", "status", "target"}] of the transactions, only
 * the pending ones (deployments) when `pending_only`. */
json_t *app_view_txns(const json_t *state, bool pending_only);

#endif
