/* app.c: reading application definitions (see app.h).
 *
 * One reader per value kind (id, instances, role, resources, command,
 * pairs, constraint, restart policy, container), each given the JSON value
 * and the path it sits at (a jread of lib/jpath.h), each either filling its
 * output or failing with the reader's "path: value: what" message.
 * app_parse() strings them together and, on any failure, frees what was
 * built with app_free(), which accepts a half-filled app: that is the
 * single cleanup path. */
#include "apps/app.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources_json.h"
#include "lib/jpath.h"

/* The reader of lib/jpath.h, reporting into a sched_error. */
typedef jread reader;

static const char *const op_names[] = {"UNIQUE", "CLUSTER",  "LIKE",
                                       "UNLIKE", "GROUP_BY", "MAX_PER"};

#define N_OPS (sizeof op_names / sizeof op_names[0])

/* "1 to 64 characters of ...": ids and container names. */
#define NAME_RULE                                                                                  \
    "must be 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"

/* A refusal, with the value shown (NULL: none), as jpath.h formats it. */
#define bad(r, ...) jr_fail(r, __VA_ARGS__)

static char *dup_or_null(reader *r, const char *s, int *status)
{
    char *copy = strdup(s);
    if (!copy)
        *status = jr_no_memory(r);
    return copy;
}

/* ---- scalars ---------------------------------------------------------------------- */

static int read_name(reader *r, const json_t *v, char **out)
{
    const char *s = json_string_value(v);
    size_t len = s ? strlen(s) : 0;
    int status = HDRF_OK;
    bool ok =
        len >= 1 && len <= 64 && (islower((unsigned char)s[0]) || isdigit((unsigned char)s[0]));
    for (size_t i = 0; ok && i < len; i++)
        ok = islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' ||
             s[i] == '_';
    if (!ok || json_string_length(v) != len)
        return bad(r, v, NAME_RULE);
    *out = dup_or_null(r, s, &status);
    return status;
}

static int read_instances(reader *r, const json_t *v, long *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad(r, v, "must be an integer >= 0");
    if (json_integer_value(v) > APP_MAX_INSTANCES)
        return bad(r, v, "must be at most %d", APP_MAX_INSTANCES);
    *out = (long)json_integer_value(v);
    return HDRF_OK;
}

static int read_role(reader *r, const json_t *v, char **out)
{
    const char *why;
    int status = HDRF_OK;
    if (!json_is_string(v))
        return bad(r, v, "must be a string: a Mesos role such as \"eng\" or \"eng/batch\"");
    if ((why = hdrf_role_invalid(json_string_value(v))))
        return bad(r, v, "not a valid Mesos role: %s", why);
    *out = dup_or_null(r, json_string_value(v), &status);
    return status;
}

static int read_bool(reader *r, const json_t *v, bool *out)
{
    if (!json_is_boolean(v))
        return bad(r, v, "must be true or false");
    *out = json_is_true(v);
    return HDRF_OK;
}

/* A number in [min, max]; `rule` says so in words. */
static int read_double(reader *r, const json_t *v, double min, double max, const char *rule,
                       double *out)
{
    if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max)
        return bad(r, v, "%s", rule);
    *out = json_number_value(v);
    return HDRF_OK;
}

/* ---- resources -------------------------------------------------------------------- */

static int read_resources(reader *r, const json_t *v, hdrf_resources **out)
{
    hdrf_error e;
    int status;
    if (json_is_string(v)) {
        status = hdrf_resources_parse(json_string_value(v), NULL, out, &e);
        if (status == HDRF_EINVAL && e.position >= 0)
            return bad(r, v, "position %d, token '%s': %s", e.position, e.token, e.text);
        if (status == HDRF_EINVAL) /* JSON text: the token is a path */
            return bad(r, v, "%s%s%s", e.token, *e.token ? ": " : "", e.text);
    } else if (json_is_array(v)) {
        status = hdrf_resources_from_json(v, NULL, out, &e);
        if (status == HDRF_EINVAL) /* at the resource parser's own path */
            return jr_fail_nested(r, &e);
    } else {
        return bad(r, v,
                   "must be Mesos resource text (\"cpus:0.5;mem:64\") or a JSON array "
                   "of Resource objects");
    }
    if (status != HDRF_OK)
        return jr_no_memory(r);
    if (hdrf_resources_empty(*out)) {
        hdrf_resources_free(*out);
        *out = NULL;
        return bad(r, v, "must not be empty: a task needs some resources");
    }
    return HDRF_OK;
}

/* ---- command ---------------------------------------------------------------------- */

static int read_args(reader *r, const json_t *v, app_command *c)
{
    size_t n = json_array_size(v);
    int status = HDRF_OK;
    if (!json_is_array(v) || n == 0)
        return bad(r, v, "must be a non-empty array of strings: the program and its arguments");
    if (!(c->argv = calloc(n, sizeof *c->argv)))
        return jr_no_memory(r);
    for (size_t i = 0; i < n && status == HDRF_OK; i++) {
        const json_t *item = json_array_get(v, i);
        size_t mark = jpath_index(&r->path, i);
        if (!json_is_string(item) || (i == 0 && json_string_length(item) == 0))
            status = bad(r, item,
                         i == 0 ? "must be a non-empty string: the program" : "must be a string");
        else if ((c->argv[i] = dup_or_null(r, json_string_value(item), &status)))
            c->argc++;
        jpath_restore(&r->path, mark);
    }
    return status;
}

/* Reads `command` or `args` of obj, if any; *given says whether one was. */
static int read_command(reader *r, const json_t *obj, app_command *c, bool *given)
{
    size_t mark;
    const json_t *shell = jr_enter(r, obj, "command", &mark), *args;
    int status = HDRF_OK;
    if (shell && (!json_is_string(shell) || json_string_length(shell) == 0))
        status = bad(r, shell, "must be a non-empty string: a shell command");
    else if (shell)
        c->shell = dup_or_null(r, json_string_value(shell), &status);
    jpath_restore(&r->path, mark);
    args = jr_enter(r, obj, "args", &mark);
    if (status == HDRF_OK && args && shell)
        status = bad(r, NULL,
                     "give either command (run by a shell) or args (run directly), "
                     "not both");
    else if (status == HDRF_OK && args)
        status = read_args(r, args, c);
    jpath_restore(&r->path, mark);
    *given = shell || args;
    return status;
}

static void command_free(app_command *c)
{
    free(c->shell);
    for (size_t i = 0; i < c->argc; i++)
        free(c->argv[i]);
    free(c->argv);
}

/* ---- environment and labels ---------------------------------------------------------- */

static bool env_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    while (*++s)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* An object of strings; environment names must be NAME-like. */
static int read_pairs(reader *r, const json_t *v, bool environment, app_pair **out, size_t *n)
{
    const char *key;
    json_t *value;
    int status = HDRF_OK;
    if (!json_is_object(v))
        return bad(r, v,
                   environment ? "must be an object of NAME: \"value\" strings"
                               : "must be an object of \"key\": \"value\" strings");
    if (json_object_size(v) && !(*out = calloc(json_object_size(v), sizeof **out)))
        return jr_no_memory(r);
    json_object_foreach((json_t *)v, key, value)
    {
        size_t mark = jpath_key(&r->path, key);
        if (environment && !env_name(key))
            status = bad(r, NULL,
                         "not a variable name: letters, digits and '_', not starting "
                         "with a digit");
        else if (!environment && !*key)
            status = bad(r, NULL, "a label needs a non-empty key");
        else if (!json_is_string(value))
            status = bad(r, value, "must be a string");
        else {
            app_pair *p = &(*out)[(*n)++]; /* counted at once: pairs_free() takes NULLs */
            p->key = dup_or_null(r, key, &status);
            if (status == HDRF_OK)
                p->value = dup_or_null(r, json_string_value(value), &status);
        }
        jpath_restore(&r->path, mark);
        if (status != HDRF_OK)
            break;
    }
    return status;
}

static void pairs_free(app_pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].value);
    }
    free(p);
}

/* ---- constraints ------------------------------------------------------------------------ */

/* A positive integer from constraint text ("3"). */
static bool positive(const char *s, long *out)
{
    char *end;
    long v;
    if (!isdigit((unsigned char)*s))
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end || errno || v < 1 || v > 1000000)
        return false;
    *out = v;
    return true;
}

/* The three parts of a constraint, from ["f", "OP", "v"] or "f OP v". The
 * strings point into the JSON or into *scratch (free it). Returns the number
 * of parts, or 0 when the shape is wrong. */
static size_t constraint_parts(const json_t *v, const char *parts[3], char **scratch)
{
    char *p;
    size_t n = 0;
    *scratch = NULL;
    if (json_is_array(v)) {
        if (json_array_size(v) < 2 || json_array_size(v) > 3)
            return 0;
        for (; n < json_array_size(v); n++)
            if (!(parts[n] = json_string_value(json_array_get(v, n))))
                return 0;
        return n;
    }
    if (!json_is_string(v) || !(p = *scratch = strdup(json_string_value(v))))
        return 0;
    for (; n < 2; n++) {
        while (isspace((unsigned char)*p))
            p++;
        parts[n] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    while (isspace((unsigned char)*p))
        p++;
    for (char *end = p + strlen(p); end > p && isspace((unsigned char)end[-1]);)
        *--end = '\0';
    parts[2] = p;
    return *parts[0] && *parts[1] ? (*p ? 3 : 2) : 0;
}

/* Checks the value against the operator and compiles LIKE/UNLIKE. */
static int constraint_value(reader *r, const json_t *v, app_constraint *c, const char *value)
{
    const char *op = op_names[c->op];
    char why[160];
    int rc;
    switch (c->op) {
    case APP_UNIQUE:
        return value ? bad(r, v, "UNIQUE takes no value") : HDRF_OK;
    case APP_CLUSTER:
        return HDRF_OK;
    case APP_GROUP_BY:
    case APP_MAX_PER:
        if ((value || c->op == APP_MAX_PER) && (!value || !positive(value, &c->number)))
            return bad(r, v, "%s needs a count from 1 to 1000000 as its value", op);
        return HDRF_OK;
    case APP_LIKE:
    case APP_UNLIKE:
        if (!value || !*value)
            return bad(r, v, "%s needs a regular expression as its value", op);
        /* RE2 syntax, full match (see app.h): no anchors to add */
        rc = regex_compile(value, strlen(value), APP_REGEX_MAX_MEM, &c->regex, why, sizeof why);
        if (rc == HDRF_ENOMEM)
            return jr_no_memory(r);
        if (rc != HDRF_OK) {
            /* one line: the report escapes control characters (lib/line.h) */
            return bad(r, v, "not a valid RE2 regular expression: %s", why);
        }
        return HDRF_OK;
    }
    return HDRF_OK;
}

static int read_constraint(reader *r, const json_t *v, app_constraint *c)
{
    const char *parts[3] = {NULL, NULL, NULL};
    char *scratch = NULL;
    size_t n = constraint_parts(v, parts, &scratch), op = 0;
    int status = HDRF_OK;
    if (n == 0)
        status = bad(r, v,
                     "must be [\"field\", \"OPERATOR\"(, \"value\")] or \"field OPERATOR "
                     "value\"");
    while (status == HDRF_OK && op < N_OPS && strcmp(parts[1], op_names[op]) != 0)
        op++;
    if (status == HDRF_OK && op == N_OPS)
        status = bad(r, v,
                     "unknown operator '%s'; allowed: UNIQUE, CLUSTER, LIKE, UNLIKE, "
                     "GROUP_BY, MAX_PER",
                     parts[1]);
    if (status == HDRF_OK) {
        c->op = (app_constraint_op)op;
        status = constraint_value(r, v, c, n == 3 ? parts[2] : NULL);
    }
    if (status == HDRF_OK && (c->field = dup_or_null(r, parts[0], &status)) && n == 3)
        c->value = dup_or_null(r, parts[2], &status);
    free(scratch);
    return status;
}

static void constraints_free(app_constraint *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].field);
        free(c[i].value);
        regex_free(c[i].regex);
    }
    free(c);
}

bool app_constraint_matches(const app_constraint *c, const char *value)
{
    return c->regex && regex_full_match(c->regex, value, strlen(value));
}

static int read_constraints(reader *r, const json_t *v, app *a)
{
    int status = HDRF_OK;
    if (!json_is_array(v))
        return bad(r, v, "must be an array of constraints");
    if (json_array_size(v) &&
        !(a->constraints = calloc(json_array_size(v), sizeof *a->constraints)))
        return jr_no_memory(r);
    for (size_t i = 0; i < json_array_size(v) && status == HDRF_OK; i++) {
        size_t mark = jpath_index(&r->path, i);
        app_constraint *c = &a->constraints[a->n_constraints];
        /* counted at once: a failure leaves it for constraints_free() */
        a->n_constraints++;
        status = read_constraint(r, json_array_get(v, i), c);
        jpath_restore(&r->path, mark);
    }
    return status;
}

/* ---- restart policy ----------------------------------------------------------------------- */

static int read_restart(reader *r, const json_t *v, app_restart *rp)
{
    static const char *const keys[] = {"backoff_seconds", "backoff_factor", "max_backoff_seconds",
                                       "reset_after_seconds", NULL};
    static const char *const rules[] = {
        "must be a number of seconds from 0 to 86400", "must be a number from 1 to 100",
        "must be a number of seconds from 0 to 86400, and at least backoff_seconds",
        "must be a number of seconds from 1 to 31536000"};
    static const double min[] = {0, 1, 0, 1}, max[] = {86400, 100, 86400, 31536000};
    double *fields[] = {&rp->backoff_seconds, &rp->backoff_factor, &rp->max_backoff_seconds,
                        &rp->reset_after_seconds};
    int status;
    if (!json_is_object(v))
        return bad(r, v, "must be an object");
    if ((status = jr_keys(r, v, keys, JR_UNKNOWN_LISTED)) != HDRF_OK)
        return status;
    for (size_t i = 0; i < 4 && status == HDRF_OK; i++) {
        size_t mark;
        const json_t *item = jr_enter(r, v, keys[i], &mark);
        if (item)
            status = read_double(r, item, min[i], max[i], rules[i], fields[i]);
        if (status == HDRF_OK && i == 2 && rp->max_backoff_seconds < rp->backoff_seconds)
            status = bad(r, item, "%s", rules[2]);
        jpath_restore(&r->path, mark);
    }
    return status;
}

void app_restart_defaults(app_restart *r)
{
    r->backoff_seconds = 1;
    r->backoff_factor = 1.15;
    r->max_backoff_seconds = 300;
    r->reset_after_seconds = 600;
}

double app_restart_delay(const app_restart *r, unsigned failures)
{
    double d;
    if (failures == 0)
        return 0;
    d = r->backoff_seconds * pow(r->backoff_factor, (double)(failures - 1));
    return isfinite(d) && d < r->max_backoff_seconds ? d : r->max_backoff_seconds;
}

/* ---- task groups --------------------------------------------------------------------------- */

static void container_free(app_container *c)
{
    free(c->name);
    hdrf_resources_free(c->resources);
    command_free(&c->command);
    pairs_free(c->env, c->n_env);
}

static int read_container(reader *r, const json_t *v, app_container *c)
{
    static const char *const keys[] = {"name", "resources", "command", "args", "environment", NULL};
    const json_t *item;
    size_t mark;
    bool has_command = false;
    int status;
    if (!json_is_object(v))
        return bad(r, v, "must be an object: a container of the task group");
    if ((status = jr_keys(r, v, keys, JR_UNKNOWN_LISTED)) != HDRF_OK)
        return status;
    item = jr_enter(r, v, "name", &mark);
    status =
        item ? read_name(r, item, &c->name) : bad(r, NULL, "missing: every container needs a name");
    if (status != HDRF_OK)
        return status;
    jpath_restore(&r->path, mark);
    item = jr_enter(r, v, "resources", &mark);
    status = item ? read_resources(r, item, &c->resources)
                  : bad(r, NULL, "missing: every container needs resources");
    if (status != HDRF_OK)
        return status;
    jpath_restore(&r->path, mark);
    if ((status = read_command(r, v, &c->command, &has_command)) != HDRF_OK)
        return status;
    if (!has_command)
        return bad(r, NULL, "missing: a container needs command or args");
    if ((item = jr_enter(r, v, "environment", &mark)))
        status = read_pairs(r, item, true, &c->env, &c->n_env);
    if (status == HDRF_OK)
        jpath_restore(&r->path, mark);
    return status;
}

static int read_containers(reader *r, const json_t *v, app *a)
{
    int status = HDRF_OK;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return bad(r, v, "must be a non-empty array of containers");
    if (!(a->containers = calloc(json_array_size(v), sizeof *a->containers)))
        return jr_no_memory(r);
    for (size_t i = 0; i < json_array_size(v) && status == HDRF_OK; i++) {
        size_t mark = jpath_index(&r->path, i);
        a->n_containers++;
        status = read_container(r, json_array_get(v, i), &a->containers[i]);
        for (size_t k = 0; status == HDRF_OK && k < i; k++)
            if (strcmp(a->containers[k].name, a->containers[i].name) == 0) {
                jpath_field(&r->path, "name");
                status = bad(r, json_object_get(json_array_get(v, i), "name"),
                             "duplicate of containers[%zu].name", k);
            }
        jpath_restore(&r->path, mark);
    }
    return status;
}

/* What one instance needs: the task's resources, or every container's and
 * the executor's. */
static int sum_instance_resources(reader *r, app *a)
{
    int status = HDRF_OK;
    if (!a->n_containers) {
        a->instance_resources = hdrf_resources_copy(a->resources);
        return a->instance_resources ? HDRF_OK : jr_no_memory(r);
    }
    if (!(a->instance_resources = hdrf_resources_copy(a->executor_resources)))
        return jr_no_memory(r);
    for (size_t i = 0; i < a->n_containers && status == HDRF_OK; i++)
        status = hdrf_resources_add(a->instance_resources, a->containers[i].resources);
    return status == HDRF_OK ? HDRF_OK : jr_no_memory(r);
}

/* ---- one app --------------------------------------------------------------------------------- */

static const char *const app_keys[] = {
    "id",          "instances",     "role",        "resources",
    "command",     "args",          "containers",  "executor_resources",
    "environment", "labels",        "constraints", "gang",
    "restart",     "fetch",         "user",        "kill_grace_period",
    "ports",       "health_checks", NULL};

size_t app_field_count(void) { return sizeof app_keys / sizeof app_keys[0] - 1; }

const char *app_field_name(size_t i) { return i < app_field_count() ? app_keys[i] : NULL; }

const char *app_reference(void)
{
    return "An application file is {\"apps\": [APP, ...]}; each APP an object of:\n"
           "  id                  a-z 0-9 - _, at most 64 characters, unique\n"
           "  instances           0 to 100000 (default 1)\n"
           "  role                a Mesos role (default: the framework's first, --role)\n"
           "  resources           of one instance, Mesos's text or JSON array form\n"
           "  command             run by /bin/sh -c\n"
           "  args                [\"./server\", \"-v\"]: run directly, no shell\n"
           "  containers          [{\"name\", \"resources\", \"command\" or \"args\",\n"
           "                      \"environment\"}, ...]: a task group\n"
           "  executor_resources  task groups: the default executor's (cpus:0.1;mem:32;disk:10)\n"
           "  environment         {\"NAME\": \"value\"}\n"
           "  labels              {\"team\": \"search\"}\n"
           "  constraints         Marathon's: [\"hostname\", \"UNIQUE\"], \"zone LIKE eu-.*\";\n"
           "                      UNIQUE, CLUSTER [v], LIKE re, UNLIKE re, GROUP_BY [n],\n"
           "                      MAX_PER n (re: RE2, the whole value)\n"
           "  gang                true: all instances at once or none\n"
           "  restart             {\"backoff_seconds\": 1, \"backoff_factor\": 1.15,\n"
           "                      \"max_backoff_seconds\": 300, \"reset_after_seconds\": 600}\n"
           "  fetch               artifacts the agent fetches into the sandbox first:\n"
           "                      [\"https://x/app.tgz\", {\"uri\": ..., \"executable\": false,\n"
           "                      \"extract\": true, \"cache\": false, \"output_file\": name}]\n"
           "  user                the user the tasks run as (default: the agent's)\n"
           "  kill_grace_period   seconds from SIGTERM to SIGKILL when a task is killed\n"
           "                      (0 to 86400; default: the agent's)\n"
           "  ports               host ports of a single task: [0, 8080, {\"port\": 0,\n"
           "                      \"name\": \"http\"}] (0: any free port of the offer), set\n"
           "                      as PORT0, PORT1.., PORTS (all, comma-separated), PORT_HTTP\n"
           "  health_checks       at most one check the agent runs on each task:\n"
           "                      [{\"protocol\": \"HTTP\" | \"TCP\" | \"COMMAND\", \"path\": "
           "\"/\",\n"
           "                      \"port_index\": 0 (into ports) or \"port\": 8080, \"command\",\n"
           "                      \"grace_period_seconds\": 10, \"interval_seconds\": 10,\n"
           "                      \"timeout_seconds\": 20, \"delay_seconds\": 15,\n"
           "                      \"max_consecutive_failures\": 3}] (Mesos's defaults)\n";
}

/* The fields every app may have, each read by an adapter of one reader. */
typedef int (*field_reader)(reader *r, const json_t *v, app *a);

static int field_instances(reader *r, const json_t *v, app *a)
{
    return read_instances(r, v, &a->instances);
}
static int field_role(reader *r, const json_t *v, app *a) { return read_role(r, v, &a->role); }
static int field_env(reader *r, const json_t *v, app *a)
{
    return read_pairs(r, v, true, &a->env, &a->n_env);
}
static int field_labels(reader *r, const json_t *v, app *a)
{
    return read_pairs(r, v, false, &a->labels, &a->n_labels);
}
static int field_gang(reader *r, const json_t *v, app *a) { return read_bool(r, v, &a->gang); }
static int field_restart(reader *r, const json_t *v, app *a)
{
    return read_restart(r, v, &a->restart);
}

/* One fetch entry: a URI alone, or an object. */
static int read_fetch_one(reader *r, const json_t *v, app_fetch *f)
{
    static const char *const keys[] = {"uri",   "executable",  "extract",
                                       "cache", "output_file", NULL};
    size_t mark;
    int status = HDRF_OK;
    const json_t *uri = json_is_string(v) ? v : NULL, *item;
    f->extract = true;
    if (!uri) {
        if (!json_is_object(v))
            return bad(r, v, "must be a URI or an object with a uri");
        if ((status = jr_keys(r, v, keys, JR_UNKNOWN_LISTED)) != HDRF_OK)
            return status;
        if (!(uri = jr_enter(r, v, "uri", &mark)))
            return bad(r, NULL, "missing: the URI to fetch");
        jpath_restore(&r->path, mark);
    }
    if (!json_string_length(uri) || strlen(json_string_value(uri)) != json_string_length(uri))
        return bad(r, uri, "must be a non-empty URI");
    static const char *const flags[] = {"executable", "extract", "cache"};
    bool *slots[] = {&f->executable, &f->extract, &f->cache};
    for (size_t i = 0; uri != v && status == HDRF_OK && i < 3; i++) {
        if ((item = jr_enter(r, v, flags[i], &mark)))
            status = read_bool(r, item, slots[i]);
        jpath_restore(&r->path, mark);
    }
    if (status == HDRF_OK && uri != v && (item = jr_enter(r, v, "output_file", &mark))) {
        const char *s = json_string_value(item);
        if (!s || !s[0] || strchr(s, '/') || strlen(s) != json_string_length(item))
            return bad(r, item, "must be a file name in the sandbox (no '/')");
        f->output_file = dup_or_null(r, s, &status);
        jpath_restore(&r->path, mark);
    }
    if (status == HDRF_OK)
        f->uri = dup_or_null(r, json_string_value(uri), &status);
    return status;
}

static void fetch_free(app_fetch *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].uri);
        free(f[i].output_file);
    }
    free(f);
}

static int field_fetch(reader *r, const json_t *v, app *a)
{
    if (!json_is_array(v))
        return bad(r, v, "must be an array of URIs or {\"uri\": ...} objects");
    if (!(a->fetch = calloc(json_array_size(v) + 1, sizeof *a->fetch)))
        return jr_no_memory(r);
    int status = HDRF_OK;
    for (size_t i = 0; status == HDRF_OK && i < json_array_size(v); i++) {
        size_t mark = jpath_index(&r->path, i);
        status = read_fetch_one(r, json_array_get(v, i), &a->fetch[i]);
        a->n_fetch++; /* counted even half-read: app_free frees what it holds */
        if (status == HDRF_OK)
            jpath_restore(&r->path, mark);
    }
    return status;
}

/* A POSIX user name: 1 to 32 of a-z A-Z 0-9 . _ -, not starting with '-'. */
static int field_user(reader *r, const json_t *v, app *a)
{
    const char *s = json_string_value(v);
    size_t len = s ? strlen(s) : 0;
    bool ok = len >= 1 && len <= 32 && s[0] != '-' && json_string_length(v) == len;
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '-';
    if (!ok)
        return bad(r, v,
                   "must be a user name: 1 to 32 of a-z, A-Z, 0-9, '.', '_' and '-', "
                   "not starting with '-'");
    int status = HDRF_OK;
    a->user = dup_or_null(r, s, &status);
    return status;
}

/* One port: a number (0: any), or {"port": n, "name": NAME}. */
static int read_port(reader *r, const json_t *v, app_port *p)
{
    static const char *const keys[] = {"port", "name", NULL};
    const json_t *num = v, *name = NULL;
    size_t mark;
    int status = HDRF_OK;
    if (json_is_object(v)) {
        if ((status = jr_keys(r, v, keys, JR_UNKNOWN_LISTED)) != HDRF_OK)
            return status;
        num = json_object_get(v, "port");
        name = jr_enter(r, v, "name", &mark);
        if (name) {
            const char *s = json_string_value(name);
            bool ok = s && (isalpha((unsigned char)s[0]) || s[0] == '_') &&
                      strlen(s) == json_string_length(name) && strlen(s) <= 32;
            for (size_t i = 0; ok && s[i]; i++)
                ok = isalnum((unsigned char)s[i]) || s[i] == '_';
            if (!ok)
                return bad(r, name,
                           "must be a name of letters, digits and '_' (at most 32), "
                           "not starting with a digit: it names PORT_<NAME>");
            p->name = dup_or_null(r, s, &status);
        }
        jpath_restore(&r->path, mark); /* pushed, present or not */
        if (!num)
            return status; /* any port */
        mark = jpath_field(&r->path, "port");
        if (!json_is_integer(num) || json_integer_value(num) < 0 || json_integer_value(num) > 65535)
            return bad(r, num, "must be a port from 1 to 65535, or 0 for any");
        jpath_restore(&r->path, mark);
    } else if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 65535) {
        return bad(r, v, "must be a port from 1 to 65535, 0 for any, or {\"port\", \"name\"}");
    }
    p->port = (long)json_integer_value(num);
    return status;
}

static int field_ports(reader *r, const json_t *v, app *a)
{
    if (!json_is_array(v) || json_array_size(v) > APP_MAX_PORTS)
        return bad(r, v, "must be an array of at most %d ports", APP_MAX_PORTS);
    if (!(a->ports = calloc(json_array_size(v) + 1, sizeof *a->ports)))
        return jr_no_memory(r);
    int status = HDRF_OK;
    for (size_t i = 0; status == HDRF_OK && i < json_array_size(v); i++) {
        size_t mark = jpath_index(&r->path, i);
        status = read_port(r, json_array_get(v, i), &a->ports[i]);
        a->n_ports++;
        for (size_t k = 0; status == HDRF_OK && k < i; k++) {
            const app_port *x = &a->ports[k], *y = &a->ports[i];
            if (y->port && x->port == y->port)
                status = bad(r, json_array_get(v, i), "port %ld is asked for twice", y->port);
            else if (y->name && x->name && strcmp(x->name, y->name) == 0)
                status = bad(r, json_array_get(v, i), "the name %s is given twice", y->name);
        }
        if (status == HDRF_OK)
            jpath_restore(&r->path, mark);
    }
    return status;
}

/* One number field of a health check, within [min, max]. */
static int check_number(reader *r, const json_t *v, const char *name, double min, double max,
                        double *out)
{
    size_t mark;
    const json_t *item = jr_enter(r, v, name, &mark);
    int status = HDRF_OK;
    if (item &&
        (!json_is_number(item) || json_number_value(item) < min || json_number_value(item) > max))
        status = bad(r, item, "must be a number from %g to %g", min, max);
    else if (item)
        *out = json_number_value(item);
    if (status == HDRF_OK)
        jpath_restore(&r->path, mark);
    return status;
}

static int read_health(reader *r, const json_t *v, app *a)
{
    static const char *const keys[] = {"protocol",
                                       "path",
                                       "port_index",
                                       "port",
                                       "command",
                                       "grace_period_seconds",
                                       "interval_seconds",
                                       "timeout_seconds",
                                       "delay_seconds",
                                       "max_consecutive_failures",
                                       NULL};
    app_health *h = &a->health;
    size_t mark;
    int status;
    if (!json_is_object(v))
        return bad(r, v,
                   "must be an object: {\"protocol\": \"HTTP\" | \"TCP\" | \"COMMAND\", ...}");
    if ((status = jr_keys(r, v, keys, JR_UNKNOWN_LISTED)) != HDRF_OK)
        return status;
    /* Mesos's defaults, as TaskInfo.health_check has them */
    *h = (app_health){.port_index = -1,
                      .grace_period_seconds = 10,
                      .interval_seconds = 10,
                      .timeout_seconds = 20,
                      .delay_seconds = 15,
                      .max_consecutive_failures = 3};
    a->has_health = true;
    const json_t *proto = jr_enter(r, v, "protocol", &mark);
    const char *p = json_string_value(proto);
    if (!proto)
        return bad(r, NULL, "missing: HTTP, TCP or COMMAND");
    if (p && strcmp(p, "HTTP") == 0)
        h->kind = APP_CHECK_HTTP;
    else if (p && strcmp(p, "TCP") == 0)
        h->kind = APP_CHECK_TCP;
    else if (p && strcmp(p, "COMMAND") == 0)
        h->kind = APP_CHECK_COMMAND;
    else
        return bad(r, proto, "must be HTTP, TCP or COMMAND");
    jpath_restore(&r->path, mark);
    const json_t *item;
    if ((item = jr_enter(r, v, "command", &mark))) {
        if (h->kind != APP_CHECK_COMMAND || !json_string_length(item))
            return bad(r, item, "a COMMAND check's command: a non-empty string");
        h->command = dup_or_null(r, json_string_value(item), &status);
    } else if (h->kind == APP_CHECK_COMMAND) {
        return bad(r, NULL, "missing: what a COMMAND check runs");
    }
    jpath_restore(&r->path, mark);
    if ((item = jr_enter(r, v, "path", &mark))) {
        const char *s = json_string_value(item);
        if (h->kind != APP_CHECK_HTTP || !s || s[0] != '/')
            return bad(r, item, "an HTTP check's path: a string starting with '/'");
        h->path = dup_or_null(r, s, &status);
    }
    jpath_restore(&r->path, mark);
    const json_t *index = jr_enter(r, v, "port_index", &mark);
    if (index && (h->kind == APP_CHECK_COMMAND || !json_is_integer(index) ||
                  json_integer_value(index) < 0 || (size_t)json_integer_value(index) >= a->n_ports))
        return bad(r, index, "an HTTP or TCP check's port: an index into ports (0 to %zu)",
                   a->n_ports ? a->n_ports - 1 : 0);
    if (index)
        h->port_index = (long)json_integer_value(index);
    jpath_restore(&r->path, mark);
    const json_t *port = jr_enter(r, v, "port", &mark);
    if (port && (h->kind == APP_CHECK_COMMAND || index || !json_is_integer(port) ||
                 json_integer_value(port) < 1 || json_integer_value(port) > 65535))
        return bad(r, port, "an HTTP or TCP check's fixed port, 1 to 65535, when no port_index");
    if (port)
        h->port = (long)json_integer_value(port);
    jpath_restore(&r->path, mark);
    if (h->kind != APP_CHECK_COMMAND && !index && !port) {
        if (!a->n_ports)
            return bad(r, NULL, "an HTTP or TCP check needs port_index (into ports) or port");
        h->port_index = 0;
    }
    double failures = (double)h->max_consecutive_failures;
    if (status == HDRF_OK)
        status = check_number(r, v, "grace_period_seconds", 0, 86400, &h->grace_period_seconds);
    if (status == HDRF_OK)
        status = check_number(r, v, "interval_seconds", 0.1, 86400, &h->interval_seconds);
    if (status == HDRF_OK)
        status = check_number(r, v, "timeout_seconds", 0.1, 86400, &h->timeout_seconds);
    if (status == HDRF_OK)
        status = check_number(r, v, "delay_seconds", 0, 86400, &h->delay_seconds);
    if (status == HDRF_OK)
        status = check_number(r, v, "max_consecutive_failures", 1, 1000, &failures);
    if (failures != (double)(long)failures)
        return bad(r, json_object_get(v, "max_consecutive_failures"), "must be a whole number");
    h->max_consecutive_failures = (long)failures;
    return status;
}

static int field_health(reader *r, const json_t *v, app *a)
{
    if (!json_is_array(v) || json_array_size(v) > 1)
        return bad(r, v, "must be an array of at most one check (Mesos runs one per task)");
    if (json_array_size(v) == 0)
        return HDRF_OK;
    size_t mark = jpath_index(&r->path, 0);
    int status = read_health(r, json_array_get(v, 0), a);
    if (status == HDRF_OK)
        jpath_restore(&r->path, mark);
    return status;
}

static int field_kill_grace(reader *r, const json_t *v, app *a)
{
    a->has_kill_grace = true;
    return read_double(r, v, 0, 86400, "must be a number of seconds from 0 to 86400",
                       &a->kill_grace_seconds);
}

static const struct {
    const char *name;
    field_reader read;
} common_fields[] = {
    {"instances", field_instances},
    {"role", field_role},
    {"environment", field_env},
    {"labels", field_labels},
    {"constraints", read_constraints},
    {"gang", field_gang},
    {"restart", field_restart},
    {"fetch", field_fetch},
    {"user", field_user},
    {"kill_grace_period", field_kill_grace},
    {"ports", field_ports},
    {"health_checks", field_health},
};

static int read_common(reader *r, const json_t *obj, app *a)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, "id", &mark);
    int status = v ? read_name(r, v, &a->id) : bad(r, NULL, "missing: every app needs an id");
    for (size_t i = 0; status == HDRF_OK && i < sizeof common_fields / sizeof common_fields[0];
         i++) {
        jpath_restore(&r->path, mark);
        if ((v = jr_enter(r, obj, common_fields[i].name, &mark)))
            status = common_fields[i].read(r, v, a);
    }
    if (status == HDRF_OK)
        jpath_restore(&r->path, mark);
    return status;
}

/* A command app (resources + command or args) or a task group (containers
 * + optional executor_resources): one or the other, completely. */
static int read_workload(reader *r, const json_t *obj, app *a)
{
    const json_t *resources, *containers, *executor;
    size_t mark;
    bool has_command = false;
    int status = read_command(r, obj, &a->command, &has_command);
    containers = json_object_get(obj, "containers");
    resources = json_object_get(obj, "resources");
    executor = json_object_get(obj, "executor_resources");
    if (status != HDRF_OK)
        return status;
    if (has_command && containers)
        return bad(r, NULL,
                   "give command or args for a single task, or containers for a task "
                   "group, not both");
    if (!has_command && !containers)
        return bad(r, NULL, "missing: an app needs command, args or containers");
    if (has_command && executor) {
        jpath_field(&r->path, "executor_resources");
        return bad(r, NULL, "only a task group (containers) has an executor");
    }
    if (containers && resources) {
        jpath_field(&r->path, "resources");
        return bad(r, NULL, "a task group's resources go in each container");
    }
    if (containers && a->has_health) {
        jpath_field(&r->path, "health_checks");
        return bad(r, NULL,
                   "only a single task (command or args) takes a health check, not a "
                   "task group");
    }
    if (containers && a->n_ports) {
        jpath_field(&r->path, "ports");
        return bad(r, NULL, "only a single task (command or args) takes ports, not a task group");
    }
    if (has_command) {
        if (!(resources = jr_enter(r, obj, "resources", &mark)))
            return bad(r, NULL, "missing: the task needs resources");
        status = read_resources(r, resources, &a->resources);
    } else {
        mark = jpath_field(&r->path, "containers");
        status = read_containers(r, containers, a);
        jpath_restore(&r->path, mark);
        executor = jr_enter(r, obj, "executor_resources", &mark);
        if (status == HDRF_OK && executor)
            status = read_resources(r, executor, &a->executor_resources);
        else if (status == HDRF_OK && hdrf_resources_parse("cpus:0.1;mem:32;disk:10", NULL,
                                                           &a->executor_resources, NULL) != HDRF_OK)
            status = jr_no_memory(r);
    }
    if (status == HDRF_OK)
        jpath_restore(&r->path, mark);
    return status == HDRF_OK ? sum_instance_resources(r, a) : status;
}

static int parse_app(reader *r, const json_t *json, app *out)
{
    int status;
    if (!json_is_object(json))
        return bad(r, json, "must be an object: an application");
    if ((status = jr_keys(r, json, app_keys, JR_UNKNOWN_LISTED)) != HDRF_OK ||
        (status = read_common(r, json, out)) != HDRF_OK)
        return status;
    return read_workload(r, json, out);
}

int app_parse(const json_t *json, const char *path, app *out, sched_error *err)
{
    reader r;
    int status;
    jr_init(&r, err, path);
    memset(out, 0, sizeof *out);
    out->instances = 1;
    app_restart_defaults(&out->restart);
    if ((status = parse_app(&r, json, out)) != HDRF_OK) {
        app_free(out);
        memset(out, 0, sizeof *out);
    }
    return status;
}

void app_free(app *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->role);
    hdrf_resources_free(a->resources);
    command_free(&a->command);
    for (size_t i = 0; i < a->n_containers; i++)
        container_free(&a->containers[i]);
    free(a->containers);
    hdrf_resources_free(a->executor_resources);
    hdrf_resources_free(a->instance_resources);
    pairs_free(a->env, a->n_env);
    pairs_free(a->labels, a->n_labels);
    constraints_free(a->constraints, a->n_constraints);
    fetch_free(a->fetch, a->n_fetch);
    free(a->health.path);
    free(a->health.command);
    for (size_t i = 0; i < a->n_ports; i++)
        free(a->ports[i].name);
    free(a->ports);
    free(a->user);
}

const char *app_constraint_op_name(app_constraint_op op)
{
    return (size_t)op < N_OPS ? op_names[op] : "UNKNOWN";
}

/* ---- the list -----------------------------------------------------------------------------------
 */

typedef struct id_entry {
    const char *id;
    size_t index;
} id_entry;

static int by_id(const void *a, const void *b)
{
    const id_entry *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Ids must be unique: sorted, equal ids are neighbours. */
static int check_unique(const app_list *list, const json_t *apps, sched_error *err)
{
    id_entry *order = malloc((list->n ? list->n : 1) * sizeof *order);
    int status = HDRF_OK;
    if (!order)
        return sched_error_set(err, HDRF_ENOMEM, "apps: out of memory");
    for (size_t i = 0; i < list->n; i++)
        order[i] = (id_entry){list->apps[i].id, i};
    qsort(order, list->n, sizeof *order, by_id);
    for (size_t i = 1; i < list->n && status == HDRF_OK; i++) {
        reader r;
        if (strcmp(order[i].id, order[i - 1].id) != 0)
            continue;
        jr_init(&r, err, "apps");
        jpath_index(&r.path, order[i].index);
        jpath_field(&r.path, "id");
        status = jr_fail(&r, json_object_get(json_array_get(apps, order[i].index), "id"),
                         "duplicate of apps[%zu].id", order[i - 1].index);
    }
    free(order);
    return status;
}

int app_list_parse(const char *text, size_t len, app_list *out, sched_error *err)
{
    static const char *const keys[] = {"apps", NULL};
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *apps;
    reader r;
    int status = HDRF_OK;
    jr_init(&r, err, NULL);
    out->apps = NULL;
    out->n = 0;
    if (!doc)
        return sched_error_set(err, HDRF_EINVAL, "apps: not JSON: line %d, column %d: %s",
                               jerr.line, jerr.column, jerr.text);
    apps = json_object_get(doc, "apps");
    if (!json_is_object(doc))
        status = bad(&r, doc, "must be an object: {\"apps\": [...]}");
    else if (!apps || !json_is_array(apps)) {
        jpath_field(&r.path, "apps");
        status = bad(&r, apps, "must be an array of apps");
    } else if ((status = jr_keys(&r, doc, keys, JR_UNKNOWN_LISTED)) == HDRF_OK &&
               json_array_size(apps) &&
               !(out->apps = calloc(json_array_size(apps), sizeof *out->apps)))
        status = sched_error_set(err, HDRF_ENOMEM, "apps: out of memory");
    for (size_t i = 0; status == HDRF_OK && i < json_array_size(apps); i++) {
        char path[32];
        snprintf(path, sizeof path, "apps[%zu]", i);
        if ((status = app_parse(json_array_get(apps, i), path, &out->apps[i], err)) == HDRF_OK)
            out->n++;
    }
    if (status == HDRF_OK)
        status = check_unique(out, apps, err);
    if (status != HDRF_OK)
        app_list_free(out);
    json_decref(doc);
    return status;
}

void app_list_free(app_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        app_free(&list->apps[i]);
    free(list->apps);
    list->apps = NULL;
    list->n = 0;
}

const app *app_list_find(const app_list *list, const char *id)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->apps[i].id, id) == 0)
            return &list->apps[i];
    return NULL;
}
