/* desired.h: where the scheduler's state lives in ZooKeeper, and the
 * operators' desired applications.
 *
 * Under the root given by --zk (e.g. /hdrf-scheduler):
 *
 *   <root>/desired/apps/<app id>   what operators asked for (zk_store.h documents)
 *   <root>/state/framework/state   the leader's state: framework id, sequences, roles
 *   <root>/state/apps/<app id>     ... its applications, tasks and transactions
 *   <root>/state/tasks/<task id>       (orch.h, "Serialization"; persist.h)
 *   <root>/state/txns/<txn id>
 *   <root>/leader/member-...       the leader election (zk_election.h)
 *
 * Operators write only under desired/, the leader only under state/ (and
 * removes a desired application once it has deleted it): two writers never
 * share a document, and each write is compare-and-set on the version read.
 * A desired application is
 *
 *   {"app": {<the application's JSON, app.h; "instances" is the desired count>},
 *    "deleted": false, "force": false}
 *
 * `submit` creates it or replaces "app", `scale` changes app.instances,
 * `delete` sets "deleted" (and "force"). The leader watches desired/ and
 * brings its orchestrator to match (daemon.h).
 *
 * Ownership: desired_app borrows from the document it was read from.
 */
#ifndef HDRF_SCHED_PROG_DESIRED_H
#define HDRF_SCHED_PROG_DESIRED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/sched_error.h"

#define DESIRED_PATH_SIZE 600

/* The three roots under `root`. */
typedef struct desired_paths {
    char desired[DESIRED_PATH_SIZE]; /* <root>/desired: a zk_store root */
    char state[DESIRED_PATH_SIZE];   /* <root>/state: a zk_store root */
    char leader[DESIRED_PATH_SIZE];  /* <root>/leader: the election path */
} desired_paths;

void desired_paths_make(const char *root, desired_paths *out);

typedef struct desired_app {
    const char *id;
    const json_t *app; /* the application's JSON, borrowed */
    long instances;    /* app.instances (1 when absent, as app.h reads it) */
    bool deleted;
    bool force;
} desired_app;

/* Reads a desired application document; HDRF_EINVAL names what is wrong.
 * The application itself is checked by app_parse(). */
int desired_read(const json_t *doc, desired_app *out, sched_error *err);

/* A new document for `app` (borrowed, deep-copied); NULL without memory. */
json_t *desired_make(const json_t *app, bool deleted, bool force);

/* Checks one application's JSON with app_parse(); `path` prefixes errors. */
int desired_check_app(const json_t *app, const char *path, sched_error *err);

/* The applications of a document, one application {"id": ...} or
 * {"apps": [...]}: every application is checked and ids are unique, or
 * nothing is returned. On success *apps is a new JSON array; errors name
 * the JSON path ("apps[1].instances: -1: must be an integer >= 0"). */
int desired_apps_from_json(const json_t *doc, json_t **apps, sched_error *err);

/* Reads an application file, one application {"id": ...} or {"apps": [...]}
 * (what `submit` and --app_file take): every application is checked and
 * ids are unique, or nothing is returned. On success *apps is a new JSON
 * array (json_decref); errors name the file and the JSON path. */
int desired_load_apps(const char *file, json_t **apps, sched_error *err);

#endif
