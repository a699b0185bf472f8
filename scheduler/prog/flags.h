/* flags.h: the command line of `hdrf-scheduler`, one table for parsing and --help.
 *
 *   hdrf-scheduler run --master=... --zk=... [flags]       the scheduler itself
 *   hdrf-scheduler submit <app.json>... --zk=...           operator commands:
 *   hdrf-scheduler scale <app id> <instances> --zk=...     they write or read the
 *   hdrf-scheduler delete <app id> [--force] --zk=...      desired state in
 *   hdrf-scheduler list --zk=...                           ZooKeeper (opcmd.h)
 *   hdrf-scheduler status [<app id>] --zk=...
 *   hdrf-scheduler validate <app.json>...                  offline: no ZooKeeper
 *   hdrf-scheduler help [<command>], <command> --help, --version
 *
 * A bare `hdrf-scheduler` prints the short usage (exit status 2); a line
 * with flags and no command word runs the scheduler, as before there were
 * other commands.
 *
 * Flags are Mesos-style, `--name=value` or `--name value`, anywhere on the
 * line; booleans also stand alone (`--checkpoint` is `--checkpoint=true`).
 * Every flag is a row of one table (flags_table()): its name, the form of
 * its value, its default and its help; --help prints the table, so that the
 * two can never disagree. A bad flag stops parsing with one line naming the
 * flag, the value and what is allowed, e.g.
 *   --failover_timeout=1week: expected a Mesos duration: a number and one of
 *   ns, us, ms, secs, mins, hrs, days, weeks (e.g. 1weeks)
 *
 * Ownership: sched_options holds copies in fixed-size fields; no heap.
 */
#ifndef HDRF_SCHED_PROG_FLAGS_H
#define HDRF_SCHED_PROG_FLAGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scheduler/master_info.h"
#include "scheduler/orch_txn.h"
#include "lib/sched_error.h"
#include "scheduler/sched_log.h"
#include "scheduler/wire.h"

#define FLAGS_MAX_ROLES 16

typedef enum sched_command {
    SCHED_CMD_RUN,
    SCHED_CMD_SUBMIT,
    SCHED_CMD_SCALE,
    SCHED_CMD_DELETE,
    SCHED_CMD_LIST,
    SCHED_CMD_STATUS,
    SCHED_CMD_VALIDATE,
    SCHED_CMD_HELP,   /* help_topic: a command's name, or NULL for everything */
    SCHED_CMD_VERSION /* --version */
} sched_command;

#define FLAGS_MAX_ARGS 64

typedef struct sched_options {
    sched_command command;
    const char *args[FLAGS_MAX_ARGS]; /* the command's operands (borrowed from argv) */
    size_t n_args;
    const char *help_topic; /* HELP: the command asked about (borrowed), or NULL */
    bool bare;              /* HELP: nothing on the line at all: print the short usage */

    bool has_master;
    master_spec master;    /* --master */
    bool has_zk;           /* --zk: the scheduler's own ZooKeeper */
    char zk_servers[1024]; /* "h1:2181,h2:2181" */
    char zk_root[512];     /* e.g. "/hdrf-scheduler" */
    char zk_auth[256];     /* "user:password" or "" */
    int zk_session_timeout_ms;

    char framework_name[128];
    char roles[FLAGS_MAX_ROLES][128];
    size_t n_roles;
    char principal[128]; /* "" when none */
    char user[128];      /* "" : the user the program runs as */
    char hostname[256];  /* "" : gethostname() */
    double failover_timeout_s;
    bool checkpoint;
    wire_content_type content_type;

    sched_log_level log_level;
    char metrics_file[PATH_MAX]; /* "" when none */
    double metrics_interval_s;
    double reconcile_interval_s;
    char app_file[PATH_MAX]; /* "" when none */
    double txn_timeout_s;
    double kind_timeout_s[ORCH_TXN_KINDS]; /* --txn_timeouts; 0: --txn_timeout */
    double launch_timeout_s;
    double decline_s;
    double idle_decline_s;

    char http_address[300];          /* the API's HOST:PORT; "" : none */
    char http_credentials[PATH_MAX]; /* "" : no authentication */
    char http_tls_cert[PATH_MAX];    /* "" : plain HTTP */
    char http_tls_key[PATH_MAX];

    char api[512];       /* operator commands: a scheduler's API URL; "" : ZooKeeper */
    char api_token[256]; /* its bearer token, or "" */

    bool force; /* delete --force */
} sched_options;

/* Which commands a flag is for, in `help <command>`. */
typedef enum flag_scope {
    FLAG_FOR_ALL,    /* every command that talks to ZooKeeper */
    FLAG_FOR_RUN,    /* the scheduler only */
    FLAG_FOR_DELETE, /* delete only */
    FLAG_GENERAL     /* --help, --version */
} flag_scope;

/* One row of the flag table. */
typedef struct flag_info {
    const char *name;  /* without the dashes */
    const char *value; /* the value's form, e.g. "DURATION"; NULL for a bare switch */
    const char *def;   /* the default as text, or NULL when there is none */
    const char *help;
    flag_scope scope;
} flag_info;

/* The table, in --help order; *n receives its length. Static. */
const flag_info *flags_table(size_t *n);

/* The defaults of every flag; command RUN, no operand. */
void flags_defaults(sched_options *o);

/* Parses argv[1..argc-1] into *o (defaults first). HDRF_EINVAL with the
 * message in err for a bad flag, a missing value, an unknown command or
 * the wrong number of operands; checks too that the command has what it
 * needs (--zk but for validate, --master to run). --help anywhere gives
 * command HELP about the command named before it (if any), --version
 * command VERSION, and nothing else is checked; `help [<command>]` is
 * HELP too, the command checked. No argument at all: HELP, bare. */
int flags_parse(int argc, char **argv, sched_options *o, sched_error *err);

/* Writes the usage and every flag of the table to `out`. */
void flags_print_help(FILE *out);

/* The short usage: one line per command, and where to read more. */
void flags_print_usage(FILE *out);

/* One command's usage, what it does and the flags it takes (`help
 * <command>`); HDRF_EINVAL, with nothing written, for an unknown one. */
int flags_print_command_help(FILE *out, const char *command, sched_error *err);

/* What the option's command asks for: help (bare, a topic or all) or the
 * version, on `out`. Returns the exit status (2 for the bare usage). */
int flags_print_info(const sched_options *o, FILE *out);

#endif
