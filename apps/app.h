/* app.h: application definitions, read from JSON.
 *
 * An application is what an operator asks the scheduler to keep running:
 * `instances` copies of one task (a command) or of one task group (several
 * containers sharing an executor), each needing the same resources, placed
 * under constraints, restarted with exponential backoff when they fail.
 * The definitions arrive as JSON (a file at start, `submit` later):
 *
 *   {"apps": [{
 *     "id": "web",                        a-z 0-9 - _, at most 64, unique
 *     "instances": 3,                     0 to 100000 (default 1)
 *     "role": "eng",                      Mesos role (default: the framework's)
 *     "resources": "cpus:0.5;mem:64",     Mesos text or JSON array form
 *     "command": "exec ./server",         run by /bin/sh -c
 *       or "args": ["./server", "-v"],    run directly, no shell
 *       or "containers": [{"name": "a", "resources": ..., "command": ...,
 *                          "environment": {...}}, ...]   a task group
 *     "executor_resources": "cpus:0.1;mem:32;disk:10",  task groups only
 *     "environment": {"MODE": "prod"},    NAME: value
 *     "labels": {"team": "search"},
 *     "constraints": [["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"],
 *                     "zone LIKE eu-.*"],  Marathon's operators, array or text
 *     "gang": true,                       launch all instances at once or none
 *     "fetch": ["https://x/app.tgz",      artifacts the agent fetches first:
 *               {"uri": "https://x/run.sh", "executable": true,
 *                "extract": false, "cache": true, "output_file": "run"}],
 *     "ports": [0, 8080, {"name": "http", "port": 0}],
 *                                         host ports (0: any free one), as
 *                                         PORT0.., PORTS, PORT_HTTP; command apps
 *     "health_checks": [{"protocol": "HTTP", "path": "/health", "port_index": 0,
 *                        "grace_period_seconds": 10, "interval_seconds": 10,
 *                        "timeout_seconds": 20, "max_consecutive_failures": 3}],
 *                                         at most one (Mesos runs one per task):
 *                                         HTTP (path, port_index or port), TCP
 *                                         (port_index or port), COMMAND (command)
 *     "user": "nobody",                   the tasks' user (default: the agent's)
 *     "kill_grace_period": 30,            seconds from SIGTERM to SIGKILL
 *     "restart": {"backoff_seconds": 1, "backoff_factor": 1.15,
 *                 "max_backoff_seconds": 300, "reset_after_seconds": 600}
 *   }]}
 *
 * Constraints, as Marathon defines them, on `hostname` or an agent attribute:
 *   UNIQUE        no two instances share a value
 *   CLUSTER v     every instance on value v (no v: all on one value)
 *   LIKE re       the value matches re (RE2 syntax, the whole value)
 *   UNLIKE re     the value does not match re (an agent without it passes)
 *   GROUP_BY [n]  instances spread evenly over the values (n: how many)
 *   MAX_PER n     at most n instances per value
 *
 * LIKE/UNLIKE patterns are RE2's syntax, as are the offer constraints that
 * frameworks send Mesos, and are compiled by the same engine (lib/regex.h):
 * one dialect for hdrf. A pattern matches the whole value, as Marathon
 * anchors it at both ends (`eu-.*` matches "eu-west" but not "x-eu-west").
 * The memory limit is RE2's max_mem of APP_REGEX_MAX_MEM bytes.
 *
 * Reading is strict: unknown keys, wrong types, out-of-range numbers, bad
 * regexes, duplicate ids are errors, each naming the JSON path, the value
 * and what is allowed, e.g. `apps[2].instances: -1: must be an integer >=
 * 0`. Nothing is half-built: on failure the output holds nothing to free.
 *
 * Ownership: an app_list or app owns everything it points to (strings,
 * resources, compiled regexes) until app_list_free()/app_free(). An app
 * holds compiled regexes, so it must not be copied by value; the list
 * allocates its array once and never moves it.
 */
#ifndef HDRF_SCHED_APP_H
#define HDRF_SCHED_APP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hdrf/resources.h"
#include "lib/regex.h"
#include "lib/sched_error.h"

#define APP_MAX_INSTANCES 100000
#define APP_MAX_PORTS 16 /* host ports one instance may ask for */

/* RE2's max_mem for LIKE/UNLIKE patterns: at most 5,409 of RE2's
 * instructions (`a{1000}` is 1,004; refused beyond with RE2's "pattern too
 * large - compile failed"), so that no pattern holds more than about 350 KiB
 * or costs more than about 11,000 steps per character of an attribute value. */
#define APP_REGEX_MAX_MEM (64 * 1024)

typedef enum app_constraint_op {
    APP_UNIQUE,
    APP_CLUSTER,
    APP_LIKE,
    APP_UNLIKE,
    APP_GROUP_BY,
    APP_MAX_PER
} app_constraint_op;

typedef struct app_constraint {
    char *field; /* "hostname" or an attribute name */
    app_constraint_op op;
    char *value;       /* CLUSTER's value, LIKE/UNLIKE's pattern; else NULL */
    long number;       /* GROUP_BY's n (0: not given), MAX_PER's n; else 0 */
    regex_prog *regex; /* LIKE/UNLIKE: the compiled pattern, owned; else NULL */
} app_constraint;

/* A NAME=value pair: an environment variable or a label. */
typedef struct app_pair {
    char *key;
    char *value;
} app_pair;

/* What a task runs: a shell command, or an argument vector (argv[0] the
 * program). Exactly one is set. */
typedef struct app_command {
    char *shell;
    char **argv;
    size_t argc;
} app_command;

/* One task of a task group. */
typedef struct app_container {
    char *name;
    hdrf_resources *resources;
    app_command command;
    app_pair *env; /* the container's own; the app's applies too */
    size_t n_env;
} app_container;

/* One artifact the agent's fetcher puts into the sandbox before the task
 * starts (Mesos's CommandInfo.URI). */
typedef struct app_fetch {
    char *uri;
    char *output_file; /* its name in the sandbox, or NULL: the URI's basename */
    bool executable;   /* chmod +x (default false) */
    bool extract;      /* unpack archives (default true, as Mesos's) */
    bool cache;        /* through the agent's fetcher cache (default false) */
} app_fetch;

/* A host port an instance needs: a fixed number, or 0 for any free one the
 * offer holds; exposed to the task as PORT<i> (and PORT_<NAME>). */
typedef struct app_port {
    long port;  /* 1..65535, or 0: any */
    char *name; /* or NULL */
} app_port;

/* The agent's check of a task's health (Mesos's TaskInfo.health_check). */
typedef enum app_check_kind { APP_CHECK_HTTP, APP_CHECK_TCP, APP_CHECK_COMMAND } app_check_kind;

typedef struct app_health {
    app_check_kind kind;
    char *path;      /* HTTP: the GET path ("/" by default) */
    long port_index; /* HTTP, TCP: an index into ports, or -1 */
    long port;       /* HTTP, TCP: a fixed port when port_index is -1 */
    char *command;   /* COMMAND: run by /bin/sh -c in the task's sandbox */
    double grace_period_seconds, interval_seconds, timeout_seconds, delay_seconds;
    long max_consecutive_failures;
} app_health;

typedef struct app_restart {
    double backoff_seconds;     /* delay before the first restart */
    double backoff_factor;      /* multiplies it after each further failure */
    double max_backoff_seconds; /* the delay never exceeds this */
    double reset_after_seconds; /* a task up this long resets the failure count */
} app_restart;

typedef struct app {
    char *id;
    long instances;
    char *role;                /* NULL: the framework's role */
    hdrf_resources *resources; /* command apps: the task's; else NULL */
    app_command command;       /* command apps */
    app_container *containers; /* task groups: n_containers >= 1 */
    size_t n_containers;
    hdrf_resources *executor_resources; /* task groups: the default executor's */
    hdrf_resources *instance_resources; /* what one instance needs in all */
    app_pair *env;
    size_t n_env;
    app_pair *labels;
    size_t n_labels;
    app_constraint *constraints;
    size_t n_constraints;
    bool gang;
    app_restart restart;
    app_port *ports; /* command apps: in order, PORT0.. */
    size_t n_ports;
    bool has_health;
    app_health health; /* command apps */
    app_fetch *fetch;  /* for the task, and each container of a group */
    size_t n_fetch;
    char *user;                /* the tasks run as this user; NULL: the agent's default */
    bool has_kill_grace;       /* a KillPolicy on the tasks */
    double kill_grace_seconds; /* between SIGTERM and SIGKILL */
} app;

typedef struct app_list {
    app *apps;
    size_t n;
} app_list;

/* Reads one application object (`json` borrowed); `path` prefixes error
 * paths ("apps[2]", or "" for a lone app). On success *out owns its
 * contents (app_free); on failure *out holds nothing. */
int app_parse(const json_t *json, const char *path, app *out, sched_error *err);

/* Reads a document {"apps": [...]} of `len` bytes: JSON syntax, each app,
 * and unique ids. */
int app_list_parse(const char *text, size_t len, app_list *out, sched_error *err);

void app_free(app *a); /* frees the contents; `a` itself is the caller's */

/* Every field an application object may have, in the reference's order
 * (app_field_name(i) for i < app_field_count()), and the reference itself,
 * as `hdrf-scheduler help app` prints it: one entry per field. Static. */
size_t app_field_count(void);
const char *app_field_name(size_t i);
const char *app_reference(void);
void app_list_free(app_list *list);

/* The app named `id`, or NULL. Borrowed from the list. */
const app *app_list_find(const app_list *list, const char *id);

/* Marathon's defaults: 1 s, factor 1.15, at most 300 s; reset after 600 s. */
void app_restart_defaults(app_restart *r);

/* The delay before restarting after `failures` consecutive failures: 0 for
 * none, else backoff_seconds * backoff_factor^(failures - 1), at most
 * max_backoff_seconds. */
double app_restart_delay(const app_restart *r, unsigned failures);

/* Whether `value` (borrowed) matches a LIKE/UNLIKE constraint's pattern as
 * a whole. Not thread-safe per constraint: see regex_full_match(). */
bool app_constraint_matches(const app_constraint *c, const char *value);

/* The operator's name ("UNIQUE", "GROUP_BY"...); static. */
const char *app_constraint_op_name(app_constraint_op op);

#endif
