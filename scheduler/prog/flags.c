/* flags.c: the command line of hdrf-scheduler (see flags.h).
 *
 * One table row per flag holds what --help prints and the function that
 * reads the value, so a flag cannot be documented without being parsed or
 * parsed without being documented. */
#include "scheduler/prog/flags.h"

#include <stdlib.h>
#include <string.h>

#include "hdrf/allocator.h"
#include "hdrf/params.h"
#include "hdrf/resources.h"
#include "hdrf/version.h"
#include "apps/app.h"

#define DURATION_HELP                                                                              \
    "expected a Mesos duration: a number and one of ns, us, ms, secs, mins, hrs, days, weeks "     \
    "(e.g. %s)"

typedef int (*flag_setter)(sched_options *o, const char *name, const char *value, sched_error *err);

typedef struct flag_row {
    flag_info info;
    flag_setter set;
} flag_row;

/* ---- value readers ----------------------------------------------------------------- */

static int set_text(char *dst, size_t size, const char *name, const char *value, bool may_be_empty,
                    sched_error *err)
{
    size_t n = strlen(value);
    if (n == 0 && !may_be_empty)
        return sched_error_set(err, HDRF_EINVAL, "--%s='': must not be empty", name);
    if (n >= size)
        return sched_error_set(err, HDRF_EINVAL, "--%s='%.40s...': longer than %zu characters",
                               name, value, size - 1);
    memcpy(dst, value, n + 1);
    return HDRF_OK;
}

static int read_duration(const char *name, const char *value, const char *example, bool may_be_zero,
                         double *out, sched_error *err)
{
    hdrf_time ns = 0;
    if (!hdrf_duration_parse(value, &ns))
        return sched_error_set(err, HDRF_EINVAL, "--%s=%s: " DURATION_HELP, name, value, example);
    if (ns == 0 && !may_be_zero)
        return sched_error_set(err, HDRF_EINVAL, "--%s=%s: must be longer than 0", name, value);
    *out = (double)ns / 1e9;
    return HDRF_OK;
}

static int read_bool(const char *name, const char *value, bool *out, sched_error *err)
{
    if (strcmp(value, "true") == 0 || strcmp(value, "on") == 0)
        *out = true;
    else if (strcmp(value, "false") == 0 || strcmp(value, "off") == 0)
        *out = false;
    else
        return sched_error_set(err, HDRF_EINVAL, "--%s=%s: expected true or false", name, value);
    return HDRF_OK;
}

/* ---- one setter per flag ----------------------------------------------------------- */

static int set_master(sched_options *o, const char *name, const char *value, sched_error *err)
{
    int rc = master_info_parse_spec(value, &o->master, err);
    if (rc != HDRF_OK)
        return sched_error_wrap(err, rc, "--%s", name);
    o->has_master = true;
    return HDRF_OK;
}

static int set_zk(sched_options *o, const char *name, const char *value, sched_error *err)
{
    master_spec spec;
    if (strncmp(value, "zk://", 5) != 0 || master_info_parse_spec(value, &spec, err) != HDRF_OK ||
        spec.kind != MASTER_SPEC_ZK)
        return sched_error_set(err, HDRF_EINVAL,
                               "--%s=%s: expected zk://[user:password@]host:port[,host:port...]"
                               "/path (the path holds the scheduler's state)",
                               name, value);
    if (strcmp(spec.zk_path, "/") == 0)
        return sched_error_set(err, HDRF_EINVAL,
                               "--%s=%s: the path must name a node below /, e.g. /hdrf-scheduler",
                               name, value);
    memcpy(o->zk_servers, spec.zk_servers, sizeof o->zk_servers);
    memcpy(o->zk_root, spec.zk_path, sizeof o->zk_root);
    memcpy(o->zk_auth, spec.zk_auth, sizeof o->zk_auth);
    o->has_zk = true;
    return HDRF_OK;
}

static int set_zk_timeout(sched_options *o, const char *name, const char *value, sched_error *err)
{
    double s = 0;
    int rc = read_duration(name, value, "10secs", false, &s, err);
    if (rc == HDRF_OK && (s < 0.1 || s > 600))
        rc = sched_error_set(err, HDRF_EINVAL, "--%s=%s: must be between 100ms and 10mins", name,
                             value);
    if (rc == HDRF_OK)
        o->zk_session_timeout_ms = (int)(s * 1000);
    return rc;
}

static int set_name(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->framework_name, sizeof o->framework_name, name, value, false, err);
}

static int set_roles(sched_options *o, const char *name, const char *value, sched_error *err)
{
    const char *p = value;
    o->n_roles = 0;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *why;
        if (o->n_roles == FLAGS_MAX_ROLES)
            return sched_error_set(err, HDRF_EINVAL, "--%s=%s: at most %d roles", name, value,
                                   FLAGS_MAX_ROLES);
        if (len >= sizeof o->roles[0])
            return sched_error_set(err, HDRF_EINVAL, "--%s=%s: a role longer than %zu characters",
                                   name, value, sizeof o->roles[0] - 1);
        memcpy(o->roles[o->n_roles], p, len);
        o->roles[o->n_roles][len] = '\0';
        if ((why = hdrf_role_invalid(o->roles[o->n_roles])))
            return sched_error_set(err, HDRF_EINVAL, "--%s=%s: role '%s': %s", name, value,
                                   o->roles[o->n_roles], why);
        for (size_t i = 0; i < o->n_roles; i++)
            if (strcmp(o->roles[i], o->roles[o->n_roles]) == 0)
                return sched_error_set(err, HDRF_EINVAL, "--%s=%s: role '%s' given twice", name,
                                       value, o->roles[i]);
        o->n_roles++;
        if (!p[len])
            return HDRF_OK;
        p += len + 1;
    }
}

static int set_principal(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->principal, sizeof o->principal, name, value, true, err);
}

static int set_user(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->user, sizeof o->user, name, value, true, err);
}

static int set_hostname(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->hostname, sizeof o->hostname, name, value, true, err);
}

static int set_failover(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_duration(name, value, "1weeks", true, &o->failover_timeout_s, err);
}

static int set_checkpoint(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_bool(name, value, &o->checkpoint, err);
}

static int set_content_type(sched_options *o, const char *name, const char *value, sched_error *err)
{
    if (strcmp(value, "protobuf") == 0)
        o->content_type = WIRE_PROTOBUF;
    else if (strcmp(value, "json") == 0)
        o->content_type = WIRE_JSON;
    else
        return sched_error_set(err, HDRF_EINVAL, "--%s=%s: expected protobuf or json", name, value);
    return HDRF_OK;
}

static int set_log_level(sched_options *o, const char *name, const char *value, sched_error *err)
{
    static const sched_log_level levels[] = {SCHED_LOG_DEBUG, SCHED_LOG_INFO, SCHED_LOG_WARN,
                                             SCHED_LOG_ERROR};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(value, sched_log_level_name(levels[i])) == 0) {
            o->log_level = levels[i];
            return HDRF_OK;
        }
    return sched_error_set(err, HDRF_EINVAL, "--%s=%s: expected debug, info, warn or error", name,
                           value);
}

static int set_metrics_file(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->metrics_file, sizeof o->metrics_file, name, value, true, err);
}

static int set_metrics_interval(sched_options *o, const char *name, const char *value,
                                sched_error *err)
{
    return read_duration(name, value, "15secs", false, &o->metrics_interval_s, err);
}

static int set_reconcile(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_duration(name, value, "10mins", false, &o->reconcile_interval_s, err);
}

static int set_app_file(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->app_file, sizeof o->app_file, name, value, true, err);
}

static int set_txn_timeout(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_duration(name, value, "10mins", false, &o->txn_timeout_s, err);
}

/* --txn_timeouts=launch=10mins,update=30mins: per kind of transaction. */
static int set_txn_timeouts(sched_options *o, const char *name, const char *value, sched_error *err)
{
    double got[ORCH_TXN_KINDS] = {0};
    char item[128];
    for (const char *s = value; *s;) {
        size_t len = strcspn(s, ",");
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), s);
        char *eq = strchr(item, '=');
        size_t k = 0;
        if (eq)
            *eq = '\0';
        while (k < ORCH_TXN_KINDS && strcmp(orch_txn_kind_name((orch_txn_kind)k), item) != 0)
            k++;
        if (!eq || k == ORCH_TXN_KINDS)
            return sched_error_set(err, HDRF_EINVAL,
                                   "--%s=%s: '%s': expected KIND=DURATION, KIND one of launch, "
                                   "scale, update, delete, reschedule",
                                   name, value, item);
        int rc = read_duration(name, eq + 1, "10mins", false, &got[k], err);
        if (rc != HDRF_OK)
            return rc;
        s += len + (s[len] == ',');
    }
    memcpy(o->kind_timeout_s, got, sizeof got);
    return HDRF_OK;
}

static int set_launch_timeout(sched_options *o, const char *name, const char *value,
                              sched_error *err)
{
    return read_duration(name, value, "5mins", false, &o->launch_timeout_s, err);
}

static int set_decline(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_duration(name, value, "5secs", false, &o->decline_s, err);
}

static int set_idle_decline(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_duration(name, value, "2mins", false, &o->idle_decline_s, err);
}

static int set_http_address(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->http_address, sizeof o->http_address, name, value, true, err);
}

static int set_http_credentials(sched_options *o, const char *name, const char *value,
                                sched_error *err)
{
    return set_text(o->http_credentials, sizeof o->http_credentials, name, value, true, err);
}

static int set_http_tls_cert(sched_options *o, const char *name, const char *value,
                             sched_error *err)
{
    return set_text(o->http_tls_cert, sizeof o->http_tls_cert, name, value, true, err);
}

static int set_http_tls_key(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->http_tls_key, sizeof o->http_tls_key, name, value, true, err);
}

static int set_api(sched_options *o, const char *name, const char *value, sched_error *err)
{
    if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
        return sched_error_set(err, HDRF_EINVAL,
                               "--%s=%s: expected http://HOST:PORT or https://HOST:PORT (a "
                               "scheduler's --http_address)",
                               name, value);
    return set_text(o->api, sizeof o->api, name, value, false, err);
}

static int set_api_token(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return set_text(o->api_token, sizeof o->api_token, name, value, false, err);
}

static int set_force(sched_options *o, const char *name, const char *value, sched_error *err)
{
    return read_bool(name, value, &o->force, err);
}

static int set_help(sched_options *o, const char *name, const char *value, sched_error *err)
{
    (void)name;
    (void)value;
    (void)err;
    o->command = SCHED_CMD_HELP;
    return HDRF_OK;
}

static int set_version(sched_options *o, const char *name, const char *value, sched_error *err)
{
    (void)name;
    (void)value;
    (void)err;
    o->command = SCHED_CMD_VERSION;
    return HDRF_OK;
}

/* ---- the table --------------------------------------------------------------------- */

#define ZK_FORM "zk://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/PATH"

static const flag_row rows[] = {
    {{"master", "HOST:PORT | " ZK_FORM, NULL,
      "The Mesos master: one master's address, or the ZooKeeper node under which the masters "
      "contend (as mesos-master's --zk), followed to whichever master leads. Needed to run.",
      FLAG_FOR_RUN},
     set_master},
    {{"zk", ZK_FORM, NULL,
      "Where the scheduler keeps its state: the node PATH holds the desired applications "
      "(desired/), the leader's state (state/: framework id, apps, tasks, transactions) and the "
      "leader election (leader/). Needed by every command but validate and help.",
      FLAG_FOR_ALL},
     set_zk},
    {{"zk_session_timeout", "DURATION", "10secs",
      "ZooKeeper session timeout: a leader silent this long loses leadership to a standby.",
      FLAG_FOR_ALL},
     set_zk_timeout},
    {{"framework_name", "NAME", "hdrf-scheduler", "FrameworkInfo.name.", FLAG_FOR_RUN}, set_name},
    {{"role", "ROLE[,ROLE...]", "*",
      "The framework's roles (MULTI_ROLE); an application without a role runs in the first.",
      FLAG_FOR_RUN},
     set_roles},
    {{"principal", "NAME", NULL, "FrameworkInfo.principal, for the master's authorization.",
      FLAG_FOR_RUN},
     set_principal},
    {{"user", "NAME", NULL, "FrameworkInfo.user, whom tasks run as (default: this process's user).",
      FLAG_FOR_RUN},
     set_user},
    {{"hostname", "NAME", NULL, "FrameworkInfo.hostname (default: this machine's name).",
      FLAG_FOR_RUN},
     set_hostname},
    {{"failover_timeout", "DURATION", "1weeks",
      "How long the master keeps the framework's tasks while no instance is subscribed; the "
      "framework id stored in ZooKeeper is reused within it.",
      FLAG_FOR_RUN},
     set_failover},
    {{"checkpoint", "true|false", "true", "FrameworkInfo.checkpoint: tasks survive agent restarts.",
      FLAG_FOR_RUN},
     set_checkpoint},
    {{"content_type", "protobuf|json", "protobuf", "Encoding of calls and events.", FLAG_FOR_RUN},
     set_content_type},
    {{"log_level", "debug|info|warn|error", "info", "Log lines below this level are dropped.",
      FLAG_FOR_ALL},
     set_log_level},
    {{"metrics_file", "PATH", NULL,
      "Prometheus text-format metrics, rewritten (atomically) every --metrics_interval by the "
      "leader; for node_exporter's textfile collector.",
      FLAG_FOR_RUN},
     set_metrics_file},
    {{"metrics_interval", "DURATION", "15secs", "How often --metrics_file is rewritten.",
      FLAG_FOR_RUN},
     set_metrics_interval},
    {{"reconcile_interval", "DURATION", "10mins",
      "Period of implicit reconciliation (an explicit one follows every subscription).",
      FLAG_FOR_RUN},
     set_reconcile},
    {{"app_file", "PATH", NULL,
      "Applications (a file as `submit` takes) the leader adds to the desired state when it "
      "starts, each only if no application of that id is there yet; none if the file is bad.",
      FLAG_FOR_RUN},
     set_app_file},
    {{"txn_timeout", "DURATION", "10mins",
      "Deadline of a transaction (launch, scale, update, delete, reschedule).", FLAG_FOR_RUN},
     set_txn_timeout},
    {{"txn_timeouts", "KIND=DURATION,...", "",
      "Deadlines per kind of transaction, over --txn_timeout: e.g. "
      "launch=10mins,update=30mins,delete=5mins (kinds: launch, scale, update, delete, "
      "reschedule).",
      FLAG_FOR_RUN},
     set_txn_timeouts},
    {{"launch_timeout", "DURATION", "5mins",
      "A task not RUNNING this long after its launch is killed and replaced.", FLAG_FOR_RUN},
     set_launch_timeout},
    {{"offer_refuse", "DURATION", "5secs",
      "refuse_seconds of declined offers while some application waits for resources.",
      FLAG_FOR_RUN},
     set_decline},
    {{"idle_offer_refuse", "DURATION", "2mins",
      "refuse_seconds of declined offers when nothing waits.", FLAG_FOR_RUN},
     set_idle_decline},
    {{"http_address", "HOST:PORT", "127.0.0.1:8080",
      "Where the operator HTTP API listens (port 0: any free one; empty: no API). Every "
      "instance serves it; a standby answers reads itself and sends writes to the leader.",
      FLAG_FOR_RUN},
     set_http_address},
    {{"http_credentials", "PATH", NULL,
      "A file of credentials the API asks for, one a line: `basic USER:PASSWORD` or `bearer "
      "TOKEN` (default: none asked).",
      FLAG_FOR_RUN},
     set_http_credentials},
    {{"http_tls_cert", "PATH", NULL,
      "The API's certificate (PEM), with --http_tls_key: HTTPS only (default: plain HTTP).",
      FLAG_FOR_RUN},
     set_http_tls_cert},
    {{"http_tls_key", "PATH", NULL, "The private key (PEM) of --http_tls_cert.", FLAG_FOR_RUN},
     set_http_tls_key},
    {{"api", "URL", NULL,
      "Operator commands: talk to a scheduler's HTTP API at URL (any instance; HTTP Basic as "
      "http://USER:PASSWORD@HOST:PORT) instead of ZooKeeper (then --zk is not needed).",
      FLAG_FOR_ALL},
     set_api},
    {{"api_token", "TOKEN", NULL, "With --api: a bearer token for the API's credentials.",
      FLAG_FOR_ALL},
     set_api_token},
    {{"force", NULL, "false",
      "delete: forget the application and its tasks at once, without waiting for them to be "
      "killed.",
      FLAG_FOR_DELETE},
     set_force},
    {{"help", NULL, NULL,
      "Print this help and exit; after a command, that command's help (as `help <command>`).",
      FLAG_GENERAL},
     set_help},
    {{"version", NULL, NULL, "Print the program's version and exit.", FLAG_GENERAL}, set_version},
};

#define N_ROWS (sizeof rows / sizeof rows[0])

const flag_info *flags_table(size_t *n)
{
    static flag_info infos[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++)
        infos[i] = rows[i].info;
    *n = N_ROWS;
    return infos;
}

void flags_defaults(sched_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = SCHED_CMD_RUN;
    o->zk_session_timeout_ms = 10000;
    snprintf(o->framework_name, sizeof o->framework_name, "hdrf-scheduler");
    snprintf(o->roles[0], sizeof o->roles[0], "*");
    o->n_roles = 1;
    o->failover_timeout_s = 7 * 86400.0;
    o->checkpoint = true;
    o->content_type = WIRE_PROTOBUF;
    o->log_level = SCHED_LOG_INFO;
    o->metrics_interval_s = 15;
    o->reconcile_interval_s = 600;
    o->txn_timeout_s = 600;
    o->launch_timeout_s = 300;
    o->decline_s = 5;
    o->idle_decline_s = 120;
    snprintf(o->http_address, sizeof o->http_address, "127.0.0.1:8080");
}

/* ---- parsing ----------------------------------------------------------------------- */

static const flag_row *find_row(const char *name, size_t len)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (strlen(rows[i].info.name) == len && strncmp(rows[i].info.name, name, len) == 0)
            return &rows[i];
    return NULL;
}

typedef struct command_row {
    const char *name;
    sched_command command;
    size_t min_args, max_args;
    bool needs_zk;
    const char *usage;
    const char *what;   /* one line, in the usage */
    const char *detail; /* more, in `help <command>` */
} command_row;

static const command_row commands[] = {
    {"run", SCHED_CMD_RUN, 0, 0, true, "run",
     "the scheduler (also flags alone, no command); instances elect one leader",
     "Every instance joins the election under --zk; the leader loads the state, subscribes "
     "to --master and keeps the desired applications running. SIGTERM or SIGINT leave the "
     "election (a standby takes over at once) without tearing the framework down."},
    {"submit", SCHED_CMD_SUBMIT, 1, FLAGS_MAX_ARGS, true, "submit <app.json>...",
     "add or update applications in the desired state",
     "Every application of every file is checked first, and none is written if one is "
     "refused (a bad field, an id given twice, an application being deleted). A known id "
     "gets the new definition (a rolling update); a change of instances alone is a scale."},
    {"scale", SCHED_CMD_SCALE, 2, 2, true, "scale <app id> <instances>",
     "change an application's instance count", "<instances>: an integer from 0 to 100000."},
    {"delete", SCHED_CMD_DELETE, 1, 1, true, "delete <app id> [--force]",
     "kill an application's tasks, then forget it",
     "The leader kills the tasks and removes the application once they are gone; --force "
     "forgets them at once."},
    {"list", SCHED_CMD_LIST, 0, 0, true, "list", "applications: instances desired and running",
     "One line per application: ID, INSTANCES (desired), RUNNING, TASKS and STATE (waiting "
     "for the leader, deploying, running, deleting)."},
    {"status", SCHED_CMD_STATUS, 0, 1, true, "status [<app id>]",
     "the leader and framework; an application's tasks and transactions",
     "Without an id: the leader, the framework id and counts. With one: the application's "
     "tasks (state, host, agent) and transactions (kind, status, target)."},
    {"validate", SCHED_CMD_VALIDATE, 1, FLAGS_MAX_ARGS, false, "validate <app.json>...",
     "check application files offline, as submit would",
     "Needs no ZooKeeper. One line per file: its applications, or why submit would refuse it "
     "(the same message); exit status 1 if any file is refused."},
    {"help", SCHED_CMD_HELP, 0, 1, false, "help [<command> | app]",
     "this text, one command's usage and flags, or (app) the application files' fields",
     "Also `<command> --help`."},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command_row *find_command(const char *name)
{
    for (size_t c = 0; c < N_COMMANDS; c++)
        if (strcmp(name, commands[c].name) == 0)
            return &commands[c];
    return NULL;
}

static const command_row *command_of(sched_command command)
{
    for (size_t c = 0; c < N_COMMANDS; c++)
        if (commands[c].command == command)
            return &commands[c];
    return NULL;
}

/* Reads argv[*i] (a flag), maybe consuming argv[*i + 1] as its value. */
static int parse_flag(int argc, char **argv, int *i, sched_options *o, sched_error *err)
{
    const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const flag_row *row = find_row(arg, len);
    const char *value = eq ? eq + 1 : NULL;
    if (!row)
        return sched_error_set(err, HDRF_EINVAL, "--%.*s: unknown flag (see --help)", (int)len,
                               arg);
    if (!value && !row->info.value)
        value = "true"; /* a bare switch */
    if (!value) {
        if (*i + 1 >= argc)
            return sched_error_set(err, HDRF_EINVAL, "--%s: missing its value, %s", row->info.name,
                                   row->info.value);
        value = argv[++*i];
    }
    return row->set(o, row->info.name, value, err);
}

static int unknown_command(const char *word, sched_error *err)
{
    return sched_error_set(err, HDRF_EINVAL,
                           "'%s': unknown command; expected run, submit, scale, delete, list, "
                           "status, validate or help (see --help)",
                           word);
}

static int set_command(const char *word, sched_options *o, bool *have, sched_error *err)
{
    const command_row *c = find_command(word);
    if (!c)
        return unknown_command(word, err);
    o->command = c->command;
    *have = true;
    return HDRF_OK;
}

/* The command has its operands and the flags it needs. */
static int check_command(sched_options *o, sched_error *err)
{
    const command_row *c = command_of(o->command);
    if (!c)
        return HDRF_OK;
    if (o->n_args < c->min_args || o->n_args > c->max_args)
        return sched_error_set(err, HDRF_EINVAL, "%s: expected `hdrf-scheduler %s`", c->name,
                               c->usage);
    if (o->command == SCHED_CMD_HELP) {
        o->help_topic = o->n_args ? o->args[0] : NULL;
        return o->help_topic && strcmp(o->help_topic, "app") != 0 && !find_command(o->help_topic)
                   ? unknown_command(o->help_topic, err)
                   : HDRF_OK;
    }
    if (o->api[0] && (o->command == SCHED_CMD_RUN || o->command == SCHED_CMD_VALIDATE))
        return sched_error_set(err, HDRF_EINVAL,
                               "--api: only for submit, scale, delete, list "
                               "and status");
    if (c->needs_zk && !o->has_zk && !o->api[0])
        return sched_error_set(err, HDRF_EINVAL,
                               "%s: --zk is needed: where the scheduler's state is (" ZK_FORM ")",
                               c->name);
    if (o->command == SCHED_CMD_RUN && !o->has_master)
        return sched_error_set(err, HDRF_EINVAL, "run: --master is needed: HOST:PORT or " ZK_FORM);
    if (o->force && o->command != SCHED_CMD_DELETE)
        return sched_error_set(err, HDRF_EINVAL, "--force: only for delete");
    return HDRF_OK;
}

int flags_parse(int argc, char **argv, sched_options *o, sched_error *err)
{
    bool have_command = false;
    int rc = HDRF_OK;
    flags_defaults(o);
    if (argc <= 1) {
        o->command = SCHED_CMD_HELP;
        o->bare = true;
        return HDRF_OK;
    }
    for (int i = 1; i < argc && rc == HDRF_OK; i++) {
        if (strncmp(argv[i], "--", 2) == 0 && argv[i][2]) {
            sched_command was = o->command;
            rc = parse_flag(argc, argv, &i, o, err);
            if (rc == HDRF_OK && o->command == SCHED_CMD_VERSION)
                return HDRF_OK;
            if (rc == HDRF_OK && o->command == SCHED_CMD_HELP && was != SCHED_CMD_HELP) {
                /* --help: about the command named before it, if any */
                o->help_topic = have_command ? command_of(was)->name : NULL;
                return HDRF_OK;
            }
        } else if (!have_command) {
            rc = set_command(argv[i], o, &have_command, err);
        } else if (o->n_args < FLAGS_MAX_ARGS) {
            o->args[o->n_args++] = argv[i];
        } else {
            rc = sched_error_set(err, HDRF_EINVAL, "'%s': one operand too many (see --help)",
                                 argv[i]);
        }
    }
    return rc == HDRF_OK ? check_command(o, err) : rc;
}

/* `text` in lines of at most HELP_WIDTH columns, each indented by six. */
#define HELP_WIDTH 78
static void print_wrapped(FILE *out, const char *text)
{
    size_t col = 0;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > 0 && col + 1 + word > HELP_WIDTH - 6) {
            fputc('\n', out);
            col = 0;
        }
        fprintf(out, "%s%.*s", col ? " " : "      ", (int)word, text);
        col += word + (col ? 1 : 0);
        text += word;
        while (*text == ' ')
            text++;
    }
    fputc('\n', out);
}

static void print_flag(FILE *out, const flag_info *f)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s%s%s", f->help, f->def ? " Default: " : "",
             f->def ? f->def : "", f->def ? "." : "");
    fprintf(out, "  --%s%s%s\n", f->name, f->value ? "=" : "", f->value ? f->value : "");
    print_wrapped(out, text);
}

static void print_commands(FILE *out)
{
    fprintf(out, "Usage:\n");
    for (size_t c = 0; c < N_COMMANDS; c++) {
        fprintf(out, "  hdrf-scheduler %s\n", commands[c].usage);
        print_wrapped(out, commands[c].what);
    }
}

void flags_print_help(FILE *out)
{
    print_commands(out);
    fprintf(out, "\nFlags (--name=value or --name value):\n");
    for (size_t i = 0; i < N_ROWS; i++)
        print_flag(out, &rows[i].info);
}

void flags_print_usage(FILE *out)
{
    print_commands(out);
    fprintf(out, "\nMore: `hdrf-scheduler help <command>` (its flags), `--help` (every flag).\n");
}

/* Whether `help <command>` lists the flag. */
static bool flag_for(const command_row *c, flag_scope scope)
{
    switch (scope) {
    case FLAG_FOR_ALL:
        return c->needs_zk;
    case FLAG_FOR_RUN:
        return c->command == SCHED_CMD_RUN;
    case FLAG_FOR_DELETE:
        return c->command == SCHED_CMD_DELETE;
    case FLAG_GENERAL:
        break;
    }
    return true;
}

int flags_print_command_help(FILE *out, const char *command, sched_error *err)
{
    if (strcmp(command, "app") == 0) { /* not a command: the application files' fields */
        fputs(app_reference(), out);
        return HDRF_OK;
    }
    const command_row *c = find_command(command);
    if (!c)
        return unknown_command(command, err);
    fprintf(out, "Usage: hdrf-scheduler %s\n", c->usage);
    print_wrapped(out, c->what);
    print_wrapped(out, c->detail);
    fprintf(out, "\nFlags:\n");
    for (size_t i = 0; i < N_ROWS; i++)
        if (flag_for(c, rows[i].info.scope))
            print_flag(out, &rows[i].info);
    return HDRF_OK;
}

int flags_print_info(const sched_options *o, FILE *out)
{
    if (o->command == SCHED_CMD_VERSION) {
        fprintf(out, "hdrf-scheduler %s\n", HDRF_VERSION);
    } else if (o->bare) {
        flags_print_usage(out);
        return 2;
    } else if (o->help_topic) {
        flags_print_command_help(out, o->help_topic, NULL);
    } else {
        flags_print_help(out);
    }
    return 0;
}
