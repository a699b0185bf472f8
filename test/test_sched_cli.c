/* test_sched_cli.c: hdrf-scheduler's command line and operator commands.
 *
 * The flag table against --help and against bad input (each message
 * written out here by hand: the flag, the value, what is allowed), then
 * the operator commands against a real ZooKeeper server (test/zk_server.h)
 * started for the suite: what submit, scale and delete leave in the desired
 * state is read back with the store (not with the commands' own reader),
 * and what list and status print is compared line by line with what the
 * documents written by hand say. */
#include "apps/app.h"
#include "test/test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hdrf/version.h"
#include "scheduler/prog/desired.h"
#include "scheduler/prog/flags.h"
#include "scheduler/prog/opcmd.h"
#include "scheduler/prog/zk_wait.h"
#include "scheduler/zk_store.h"
#include "test/opcmd_run.h"
#include "test/zk_server.h"

static zk_server server;

/* ---- flags ------------------------------------------------------------------------- */

static int parse(sched_options *o, sched_error *err, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"hdrf-scheduler";
    for (; *args && argc < 31; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return flags_parse(argc, argv, o, err);
}

static char *help_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    flags_print_help(f);
    fclose(f);
    return text;
}

/* Joins the wrapped lines of each flag's help (lines indented by six) into one. */
static void unwrap(char *text)
{
    char *from = text, *to = text;
    bool in_help = false;
    while (*from) {
        if (*from == '\n' && in_help && strncmp(from + 1, "      ", 6) == 0) {
            *to++ = ' ';
            from += 7;
            continue;
        }
        if (*from == '\n')
            in_help = strncmp(from + 1, "      ", 6) == 0;
        *to++ = *from++;
    }
    *to = '\0';
}

static void test_help_lists_every_flag(void)
{
    size_t n = 0;
    const flag_info *table = flags_table(&n);
    char *help = help_text();
    REQUIRE(help);
    unwrap(help);
    CU_ASSERT_TRUE(n >= 20);
    for (size_t i = 0; i < n; i++) {
        char want[256];
        snprintf(want, sizeof want, "  --%s%s%s\n      %s", table[i].name,
                 table[i].value ? "=" : "", table[i].value ? table[i].value : "", table[i].help);
        CU_ASSERT_PTR_NOT_NULL(strstr(help, want));
        if (table[i].def) {
            snprintf(want, sizeof want, "%s Default: %s.\n", table[i].help, table[i].def);
            CU_ASSERT_PTR_NOT_NULL(strstr(help, want));
        }
    }
    /* every command is in the usage */
    CU_ASSERT_PTR_NOT_NULL(strstr(help, "hdrf-scheduler submit <app.json>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(help, "hdrf-scheduler scale <app id> <instances>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(help, "hdrf-scheduler delete <app id> [--force]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(help, "hdrf-scheduler list"));
    CU_ASSERT_PTR_NOT_NULL(strstr(help, "hdrf-scheduler status [<app id>]"));
    free(help);
}

/* docs/scheduler.md's section on running the program has a row for every
 * flag, and no row for a flag the program does not have. */
static void test_readme_lists_every_flag(void)
{
    char *readme = NULL, *section, *end, *row;
    size_t n = 0, rows = 0;
    const flag_info *table = flags_table(&n);
    REQUIRE_TRUE(test_read_file(HDRF_SRCDIR "/docs/scheduler.md", &readme) > 0);
    section = strstr(readme, "## Running the scheduler against a Mesos master");
    if (!section) {
        CU_FAIL("docs/scheduler.md: no section on running the scheduler");
        free(readme);
        return;
    }
    if ((end = strstr(section + 3, "\n## ")))
        *end = '\0';
    for (size_t i = 0; i < n; i++) {
        char want[96];
        snprintf(want, sizeof want, "\n| `--%s` |", table[i].name);
        CU_ASSERT_PTR_NOT_NULL(strstr(section, want));
        if (!strstr(section, want))
            fprintf(stderr, "\n  docs/scheduler.md: no row for --%s", table[i].name);
    }
    for (row = strstr(section, "\n| `--"); row; row = strstr(row + 1, "\n| `--"))
        rows++;
    CU_ASSERT_EQUAL(rows, n);
    free(readme);
}

static void test_flags_read(void)
{
    sched_options o;
    sched_error err;
    static const char *const args[] = {"--master=zk://10.0.0.1:2181,10.0.0.2:2181/mesos",
                                       "--zk",
                                       "zk://127.0.0.1:2181/hdrf",
                                       "--role=eng,eng/batch",
                                       "--failover_timeout=2days",
                                       "--checkpoint=false",
                                       "--log_level=debug",
                                       "--reconcile_interval=30secs",
                                       "--content_type=json",
                                       "--zk_session_timeout=500ms",
                                       NULL};
    REQUIRE_TRUE(parse(&o, &err, args) == HDRF_OK);
    CU_ASSERT_EQUAL(o.command, SCHED_CMD_RUN);
    CU_ASSERT_EQUAL(o.master.kind, MASTER_SPEC_ZK);
    ASSERT_STR(o.master.zk_servers, "10.0.0.1:2181,10.0.0.2:2181");
    ASSERT_STR(o.master.zk_path, "/mesos");
    ASSERT_STR(o.zk_servers, "127.0.0.1:2181");
    ASSERT_STR(o.zk_root, "/hdrf");
    CU_ASSERT_EQUAL(o.n_roles, 2);
    ASSERT_STR(o.roles[1], "eng/batch");
    CU_ASSERT_DOUBLE_EQUAL(o.failover_timeout_s, 2 * 86400.0, 1e-9);
    CU_ASSERT_FALSE(o.checkpoint);
    CU_ASSERT_EQUAL(o.log_level, SCHED_LOG_DEBUG);
    CU_ASSERT_DOUBLE_EQUAL(o.reconcile_interval_s, 30.0, 1e-9);
    CU_ASSERT_EQUAL(o.content_type, WIRE_JSON);
    CU_ASSERT_EQUAL(o.zk_session_timeout_ms, 500);
    /* defaults */
    ASSERT_STR(o.framework_name, "hdrf-scheduler");
    CU_ASSERT_DOUBLE_EQUAL(o.metrics_interval_s, 15.0, 1e-9);

    static const char *const scale[] = {"scale", "web", "--zk=zk://h:1/x", "7", NULL};
    REQUIRE_TRUE(parse(&o, &err, scale) == HDRF_OK);
    CU_ASSERT_EQUAL(o.command, SCHED_CMD_SCALE);
    CU_ASSERT_EQUAL(o.n_args, 2);
    ASSERT_STR(o.args[0], "web");
    ASSERT_STR(o.args[1], "7");
    static const char *const del[] = {"delete", "web", "--force", "--zk=zk://h:1/x", NULL};
    REQUIRE_TRUE(parse(&o, &err, del) == HDRF_OK);
    CU_ASSERT_TRUE(o.force);
    static const char *const help[] = {"list", "--bogus=1", "--help", NULL};
    CU_ASSERT_EQUAL(parse(&o, &err, help), HDRF_EINVAL); /* the bad flag comes first */
    static const char *const help2[] = {"--help", "--bogus=1", NULL};
    REQUIRE_TRUE(parse(&o, &err, help2) == HDRF_OK);
    CU_ASSERT_EQUAL(o.command, SCHED_CMD_HELP);
}

static void expect_refused(const char *const *args, const char *message)
{
    sched_options o;
    sched_error err;
    int rc = parse(&o, &err, args);
    CU_ASSERT_EQUAL(rc, HDRF_EINVAL);
    if (rc == HDRF_EINVAL) {
        ASSERT_STR(err.text, message);
        if (strcmp(err.text, message) != 0)
            fprintf(stderr, "\n  got:  %s\n  want: %s\n", err.text, message);
    }
}

/* --txn_timeouts: a deadline per kind of transaction; 0 for the kinds not
 * given (--txn_timeout applies to them). */
static void test_txn_timeouts(void)
{
    sched_options o;
    sched_error err;
    static const char *const args[] = {"run", "--zk=zk://127.0.0.1:2181/hdrf", "--master=m:5050",
                                       "--txn_timeouts=update=30mins,delete=5mins", NULL};
    REQUIRE_TRUE(parse(&o, &err, args) == HDRF_OK);
    CU_ASSERT_DOUBLE_EQUAL(o.kind_timeout_s[ORCH_TXN_UPDATE], 1800, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(o.kind_timeout_s[ORCH_TXN_DELETE], 300, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(o.kind_timeout_s[ORCH_TXN_LAUNCH], 0, 0);
    static const char *const bad[] = {"run", "--zk=zk://127.0.0.1:2181/hdrf", "--master=m:5050",
                                      "--txn_timeouts=upgrade=1mins", NULL};
    expect_refused(bad, "--txn_timeouts=upgrade=1mins: 'upgrade': expected KIND=DURATION, KIND one "
                        "of launch, scale, update, delete, reschedule");
}

#define ZK "--zk=zk://127.0.0.1:2181/hdrf"
#define MASTER "--master=127.0.0.1:5050"

static void test_flags_refused(void)
{
    const char *a1[] = {ZK, MASTER, "--failover_timeout=1week", NULL};
    expect_refused(a1, "--failover_timeout=1week: expected a Mesos duration: a number and one of "
                       "ns, us, ms, secs, mins, hrs, days, weeks (e.g. 1weeks)");
    const char *a2[] = {ZK, MASTER, "--wieght=3", NULL};
    expect_refused(a2, "--wieght: unknown flag (see --help)");
    const char *a3[] = {ZK, MASTER, "--role=eng,-x", NULL};
    expect_refused(a3, "--role=eng,-x: role '-x': a role component cannot start with '-'");
    const char *a4[] = {ZK, MASTER, "--checkpoint=yes", NULL};
    expect_refused(a4, "--checkpoint=yes: expected true or false");
    const char *a5[] = {ZK, MASTER, "--log_level=trace", NULL};
    expect_refused(a5, "--log_level=trace: expected debug, info, warn or error");
    const char *a6[] = {ZK, "--master", NULL};
    expect_refused(a6, "--master: missing its value, HOST:PORT | "
                       "zk://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/PATH");
    const char *a7[] = {"--zk=127.0.0.1:2181", NULL};
    expect_refused(a7, "--zk=127.0.0.1:2181: expected zk://[user:password@]host:port[,host:port...]"
                       "/path (the path holds the scheduler's state)");
    const char *a8[] = {"lst", ZK, NULL};
    expect_refused(a8, "'lst': unknown command; expected run, submit, scale, delete, list, "
                       "status, validate or help (see --help)");
    const char *a9[] = {"scale", "web", ZK, NULL};
    expect_refused(a9, "scale: expected `hdrf-scheduler scale <app id> <instances>`");
    const char *a10[] = {"list", NULL};
    expect_refused(a10, "list: --zk is needed: where the scheduler's state is "
                        "(zk://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/PATH)");
    const char *a11[] = {ZK, NULL};
    expect_refused(a11, "run: --master is needed: HOST:PORT or "
                        "zk://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/PATH");
    const char *a12[] = {"list", ZK, "--force", NULL};
    expect_refused(a12, "--force: only for delete");
    const char *a13[] = {ZK, MASTER, "--reconcile_interval=0secs", NULL};
    expect_refused(a13, "--reconcile_interval=0secs: must be longer than 0");
    const char *a14[] = {ZK, MASTER, "--content_type=xml", NULL};
    expect_refused(a14, "--content_type=xml: expected protobuf or json");
    const char *a15[] = {"status", "a", "b", ZK, NULL};
    expect_refused(a15, "status: expected `hdrf-scheduler status [<app id>]`");
    const char *a16[] = {"scale", "a", "1", "2", ZK, NULL};
    expect_refused(a16, "scale: expected `hdrf-scheduler scale <app id> <instances>`");
}

static bool starts_with(const char *text, const char *prefix)
{
    return text && strncmp(text, prefix, strlen(prefix)) == 0;
}

/* What flags_print_info() prints for a command line, and its exit status. */
static char *info_text(const char *const *args, int *status)
{
    sched_options o;
    sched_error err;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    if (parse(&o, &err, args) != HDRF_OK || !(f = open_memstream(&text, &len)))
        return NULL;
    *status = flags_print_info(&o, f);
    fclose(f);
    return text;
}

static void test_help_and_version(void)
{
    static const char *const none[] = {NULL};
    static const char *const version[] = {"--version", NULL};
    static const char *const list_version[] = {"list", "--version", NULL};
    static const char *const help[] = {"help", NULL};
    static const char *const dash_help[] = {"--help", NULL};
    static const char *const help_submit[] = {"help", "submit", NULL};
    static const char *const submit_help[] = {"submit", "x.json", "--help", NULL};
    static const char *const help_delete[] = {"help", "delete", NULL};
    static const char *const help_run[] = {"help", "run", NULL};
    static const char *const help_validate[] = {"validate", "--help", NULL};
    char *all = help_text(), *text, *other;
    int status = -1;
    REQUIRE(all);
    /* a bare call: the commands, where to read more; status 2 */
    REQUIRE(text = info_text(none, &status));
    CU_ASSERT_EQUAL(status, 2);
    CU_ASSERT_TRUE(starts_with(text, "Usage:\n  hdrf-scheduler run\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "  hdrf-scheduler validate <app.json>...\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nMore: `hdrf-scheduler help <command>` (its flags), "
                                        "`--help` (every flag).\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "--master")); /* no flags in the short usage */
    free(text);
    /* --version, anywhere */
    REQUIRE(text = info_text(version, &status));
    CU_ASSERT_EQUAL(status, 0);
    ASSERT_STR(text, "hdrf-scheduler " HDRF_VERSION "\n");
    free(text);
    REQUIRE(text = info_text(list_version, &status));
    ASSERT_STR(text, "hdrf-scheduler " HDRF_VERSION "\n");
    free(text);
    /* help and --help alone: everything */
    REQUIRE(text = info_text(help, &status));
    CU_ASSERT_EQUAL(status, 0);
    ASSERT_STR(text, all);
    free(text);
    REQUIRE(text = info_text(dash_help, &status));
    ASSERT_STR(text, all);
    free(text);
    /* help submit = submit --help: its usage, what it does, its flags only */
    REQUIRE(text = info_text(help_submit, &status));
    CU_ASSERT_EQUAL(status, 0);
    CU_ASSERT_TRUE(starts_with(text, "Usage: hdrf-scheduler submit <app.json>...\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "none is written if"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --zk=zk://"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --zk_session_timeout=DURATION\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "\n  --master="));
    CU_ASSERT_PTR_NULL(strstr(text, "\n  --force\n"));
    REQUIRE(other = info_text(submit_help, &status));
    ASSERT_STR(other, text);
    free(other);
    free(text);
    REQUIRE(text = info_text(help_delete, &status));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --force\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "\n  --master="));
    free(text);
    REQUIRE(text = info_text(help_run, &status));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --master="));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --failover_timeout=DURATION\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "\n  --force\n"));
    free(text);
    /* validate needs no ZooKeeper: no --zk among its flags */
    REQUIRE(text = info_text(help_validate, &status));
    CU_ASSERT_TRUE(starts_with(text, "Usage: hdrf-scheduler validate <app.json>...\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "\n  --zk="));
    free(text);
    /* help app: the application files' fields, every one the reader takes */
    const char *help_app[] = {"help", "app", NULL};
    REQUIRE(text = info_text(help_app, &status));
    CU_ASSERT_EQUAL(status, 0);
    CU_ASSERT_TRUE(starts_with(text, "An application file is {\"apps\": [APP, ...]}"));
    for (size_t i = 0; i < app_field_count(); i++) {
        char entry[64];
        snprintf(entry, sizeof entry, "\n  %s ", app_field_name(i));
        CU_ASSERT_PTR_NOT_NULL(strstr(text, entry));
        if (!strstr(text, entry))
            fprintf(stderr, "\n  help app lacks %s\n", app_field_name(i));
    }
    free(text);
    free(all);
    const char *bad[] = {"help", "lst", NULL};
    expect_refused(bad, "'lst': unknown command; expected run, submit, scale, delete, list, "
                        "status, validate or help (see --help)");
    const char *two[] = {"help", "list", "status", NULL};
    expect_refused(two, "help: expected `hdrf-scheduler help [<command> | app]`");
}

/* The program itself: its exit status, stdout and stderr. */
typedef struct program_run {
    int status;
    char *out, *err;
} program_run;

static char *slurp_fd(int fd)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len), *in = fdopen(fd, "r");
    int c;
    while (f && in && (c = fgetc(in)) != EOF)
        fputc(c, f);
    if (in)
        fclose(in);
    if (f)
        fclose(f);
    return text;
}

/* Runs build/hdrf-scheduler with `args` (NULL-terminated); stdout and
 * stderr each through a temporary file. */
static int run_program(const char *const *args, program_run *r)
{
    char out_path[] = "/tmp/hdrf-cli-out-XXXXXX", err_path[] = "/tmp/hdrf-cli-err-XXXXXX";
    char *argv[16];
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path), n = 0, status = 0;
    pid_t pid;
    memset(r, 0, sizeof *r);
    if (out_fd < 0 || err_fd < 0)
        return -1;
    argv[n++] = (char *)"hdrf-scheduler";
    for (; *args && n < 15; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    if ((pid = fork()) == 0) {
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        execv(HDRF_SCHED_BIN, argv);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    r->out = slurp_fd(out_fd);
    r->err = slurp_fd(err_fd);
    unlink(out_path);
    unlink(err_path);
    return 0;
}

static void run_free(program_run *r)
{
    free(r->out);
    free(r->err);
}

/* What an operator sees: plain words for a file that is not there, a
 * directory, a ZooKeeper host that does not resolve; one line each. */
static void test_program_messages(void)
{
    program_run r;
    static const char *const bare[] = {NULL};
    static const char *const missing[] = {"submit", "/nonexistent/web.json",
                                          "--zk=zk://127.0.0.1:1/x", NULL};
    static const char *const dir[] = {"submit", "/", "--zk=zk://127.0.0.1:1/x", NULL};
    static const char *const dns[] = {"list", "--zk=zk://no-such-host.invalid:2181/x", NULL};
    static const char *const version[] = {"--version", NULL};
    struct sockaddr_in held = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t held_len = sizeof held;
    int held_fd = socket(AF_INET, SOCK_STREAM, 0);
    char http[64], want[160];
    static const char *const validate[] = {"validate", "/nonexistent/web.json", NULL};
    REQUIRE_TRUE(run_program(validate, &r) == 0); /* no --zk: none needed */
    CU_ASSERT_EQUAL(r.status, 1);
    ASSERT_STR(r.out, "/nonexistent/web.json: no such file\n");
    ASSERT_STR(r.err, "hdrf-scheduler: validate: 1 of 1 file(s) refused\n");
    run_free(&r);
    REQUIRE_TRUE(run_program(bare, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 2);
    ASSERT_STR(r.out, "");
    CU_ASSERT_TRUE(starts_with(r.err, "Usage:\n"));
    run_free(&r);
    REQUIRE_TRUE(run_program(version, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    ASSERT_STR(r.out, "hdrf-scheduler " HDRF_VERSION "\n");
    run_free(&r);
    /* the file is read before ZooKeeper is tried (port 1: nothing there) */
    REQUIRE_TRUE(run_program(missing, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 1);
    ASSERT_STR(r.err, "hdrf-scheduler: /nonexistent/web.json: no such file\n");
    run_free(&r);
    REQUIRE_TRUE(run_program(dir, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 1);
    ASSERT_STR(r.err, "hdrf-scheduler: /: a directory, not an application file\n");
    run_free(&r);
    /* the resolver's own words follow in parentheses; they vary with it */
    REQUIRE_TRUE(run_program(dns, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 1);
    CU_ASSERT_TRUE(starts_with(r.err, "hdrf-scheduler: ZooKeeper no-such-host.invalid:2181: host "
                                      "no-such-host.invalid not found ("));
    CU_ASSERT_PTR_NULL(strstr(r.err, "No such file or directory"));
    CU_ASSERT_PTR_NOT_NULL(strchr(r.err, '\n'));
    CU_ASSERT_EQUAL(strchr(r.err, '\n')[1], '\0'); /* one line */
    run_free(&r);
    /* the API's port taken: one line, ours (port 0 in bind(): the kernel picks one) */
    REQUIRE_TRUE(held_fd >= 0 && bind(held_fd, (struct sockaddr *)&held, sizeof held) == 0 &&
                 listen(held_fd, 1) == 0 &&
                 getsockname(held_fd, (struct sockaddr *)&held, &held_len) == 0);
    snprintf(http, sizeof http, "--http_address=127.0.0.1:%u", (unsigned)ntohs(held.sin_port));
    {
        const char *taken[] = {"run", "--master=127.0.0.1:1", "--zk=zk://127.0.0.1:1/x", http,
                               NULL};
        REQUIRE_TRUE(run_program(taken, &r) == 0);
    }
    close(held_fd);
    CU_ASSERT_EQUAL(r.status, 1);
    snprintf(want, sizeof want, "hdrf-scheduler: %s: cannot listen: Address already in use\n",
             http);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, want));
    CU_ASSERT_PTR_NULL(strstr(r.err, "HTTP API"));
    run_free(&r);
}

/* ---- operator commands against ZooKeeper ------------------------------------------- */

static int suite_start(void) { return zk_server_start_quiet(&server); }

static int suite_stop(void)
{
    zk_server_destroy_quiet(&server);
    return 0;
}

/* Runs a command line; its output in *out (caller frees), the error in err. */
int test_opcmd_run(const char *servers, const char *root, char **out, sched_error *err,
                   const char *const *args)
{
    char zk[256];
    snprintf(zk, sizeof zk, "--zk=zk://%s%s", servers, root);
    return test_opcmd_run_with(zk, out, err, args);
}

int test_opcmd_run_with(const char *flag, char **out, sched_error *err, const char *const *args)
{
    char *argv[16];
    int argc = 0, rc;
    size_t len = 0;
    sched_options o;
    FILE *f;
    argv[argc++] = (char *)"hdrf-scheduler";
    for (; *args && argc < 14; args++)
        argv[argc++] = (char *)*args;
    argv[argc++] = (char *)flag;
    argv[argc] = NULL;
    *out = NULL;
    if ((rc = flags_parse(argc, argv, &o, err)) != HDRF_OK)
        return rc;
    if (!(f = open_memstream(out, &len)))
        return HDRF_ENOMEM;
    rc = opcmd_run(&o, f, err);
    fclose(f);
    return rc;
}

static int run_cmd(const char *root, char **out, sched_error *err, const char *const *args)
{
    return test_opcmd_run(server.servers, root, out, err, args);
}

static const char *write_temp(const char *text)
{
    static char path[64];
    int fd;
    snprintf(path, sizeof path, "/tmp/hdrf-cli-XXXXXX");
    if ((fd = mkstemp(path)) < 0)
        return NULL;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}

/* A document read back with the store, on a session of its own. */
typedef struct read_back {
    bool done;
    int status;
    json_t *json;
} read_back;

static void on_read_back(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    read_back *r = arg;
    (void)err;
    r->status = status;
    r->json = doc ? json_incref(doc->json) : NULL;
    r->done = true;
}

static json_t *store_read(const char *root, const char *sub, zk_store_kind kind, const char *name)
{
    zk_session *s = NULL;
    zk_store *st = NULL;
    read_back r = {0};
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, sub);
    if (zk_wait_connect(server.servers, "", 5000, 10000, &s, NULL) != HDRF_OK)
        return NULL;
    if (zk_store_new(s, path, &st, NULL) == HDRF_OK &&
        zk_store_get(st, kind, name, on_read_back, &r, NULL) == HDRF_OK)
        zk_wait_flag(s, &r.done, 10000);
    zk_store_free(st);
    zk_session_free(s);
    return r.json;
}

static void on_written(void *arg, int status, int version, const sched_error *err)
{
    (void)version;
    (void)err;
    *(int *)arg = status == HDRF_OK ? 1 : -1;
}

/* Writes a document of the leader's state by hand. */
static int store_write(const char *root, zk_store_kind kind, const char *name, const char *text)
{
    zk_session *s = NULL;
    zk_store *st = NULL;
    json_t *doc = json_loads(text, 0, NULL);
    char path[256];
    int done = 0;
    bool flag = false;
    snprintf(path, sizeof path, "%s/state", root);
    if (doc && zk_wait_connect(server.servers, "", 5000, 10000, &s, NULL) == HDRF_OK &&
        zk_store_new(s, path, &st, NULL) == HDRF_OK &&
        zk_store_put(st, kind, name, doc, ZK_STORE_NEW, on_written, &done, NULL) == HDRF_OK) {
        long long deadline = zk_wait_now_ms() + 10000;
        while (!done && zk_wait_now_ms() < deadline)
            zk_wait_flag(s, &flag, 50);
    }
    zk_store_free(st);
    if (s)
        zk_session_free(s);
    json_decref(doc);
    return done == 1 ? 0 : -1;
}

#define APPS                                                                                       \
    "{\"apps\": [{\"id\": \"web\", \"instances\": 3, \"resources\": \"cpus:0.5;mem:64\","          \
    " \"command\": \"./server\"},"                                                                 \
    " {\"id\": \"batch\", \"resources\": \"cpus:1;mem:128\", \"command\": \"./job\"}]}"

static void test_submit_scale_delete(void)
{
    const char *root = "/cli-write";
    char *out = NULL;
    sched_error err;
    json_t *doc, *want;
    const char *file = write_temp(APPS);
    REQUIRE(file);
    const char *submit[] = {"submit", file, NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, submit) == HDRF_OK);
    ASSERT_STR(out, "web: submitted, 3 instance(s)\nbatch: submitted, 1 instance(s)\n");
    free(out);
    doc = store_read(root, "desired", ZK_STORE_APP, "web");
    want =
        json_pack("{s:{s:s, s:i, s:s, s:s}, s:b, s:b}", "app", "id", "web", "instances", 3,
                  "resources", "cpus:0.5;mem:64", "command", "./server", "deleted", 0, "force", 0);
    CU_ASSERT_TRUE(json_equal(doc, want));
    json_decref(doc);
    json_decref(want);

    /* again: nothing changes */
    REQUIRE_TRUE(run_cmd(root, &out, &err, submit) == HDRF_OK);
    ASSERT_STR(out, "web: unchanged, 3 instance(s)\nbatch: unchanged, 1 instance(s)\n");
    free(out);

    /* a new definition of batch alone: updated */
    file = write_temp("{\"id\": \"batch\", \"resources\": \"cpus:2;mem:128\", \"command\": "
                      "\"./job\", \"instances\": 2}");
    REQUIRE(file);
    const char *submit2[] = {"submit", file, NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, submit2) == HDRF_OK);
    ASSERT_STR(out, "batch: updated, 2 instance(s)\n");
    free(out);

    const char *scale[] = {"scale", "web", "5", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, scale) == HDRF_OK);
    ASSERT_STR(out, "web: scaled from 3 to 5 instance(s)\n");
    free(out);
    doc = store_read(root, "desired", ZK_STORE_APP, "web");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(doc, "app"), "instances")),
                    5);
    ASSERT_STR(json_string_value(json_object_get(json_object_get(doc, "app"), "command")),
               "./server");
    json_decref(doc);

    const char *del[] = {"delete", "batch", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, del) == HDRF_OK);
    ASSERT_STR(out, "batch: deleting (its tasks are killed)\n");
    free(out);
    doc = store_read(root, "desired", ZK_STORE_APP, "batch");
    CU_ASSERT_TRUE(json_is_true(json_object_get(doc, "deleted")));
    CU_ASSERT_TRUE(json_is_false(json_object_get(doc, "force")));
    json_decref(doc);

    /* what cannot be done says why, and changes nothing */
    const char *scale_gone[] = {"scale", "nope", "2", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, scale_gone), HDRF_ENOTFOUND);
    ASSERT_STR(err.text, "nope: no such application");
    free(out);
    const char *scale_deleting[] = {"scale", "batch", "2", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, scale_deleting), HDRF_EEXIST);
    ASSERT_STR(err.text, "batch: being deleted");
    free(out);
    const char *scale_bad[] = {"scale", "web", "-1", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, scale_bad), HDRF_EINVAL);
    ASSERT_STR(err.text, "scale web -1: instances must be an integer from 0 to 100000");
    free(out);
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit2), HDRF_EEXIST);
    ASSERT_STR(err.text, "batch: being deleted; submit it again once `status batch` shows it gone");
    free(out);
    const char *del_gone[] = {"delete", "nope", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, del_gone), HDRF_ENOTFOUND);
    ASSERT_STR(err.text, "nope: no such application");
    free(out);

    /* a bad file: nothing written, the error names file, app and field */
    file = write_temp("{\"apps\": [{\"id\": \"ok\", \"command\": \"x\", \"resources\": \"cpus:1\"},"
                      " {\"id\": \"bad\", \"instances\": -1, \"command\": \"x\","
                      " \"resources\": \"cpus:1\"}]}");
    REQUIRE(file);
    const char *submit3[] = {"submit", file, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit3), HDRF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "apps[1].instances: -1: must be an integer"));
    CU_ASSERT_EQUAL(strncmp(err.text, file, strlen(file)), 0);
    free(out);
    doc = store_read(root, "desired", ZK_STORE_APP, "ok");
    CU_ASSERT_PTR_NULL(doc);
    json_decref(doc);
}

/* write_temp() into a buffer of the caller's (its own is reused). */
static const char *temp_file(char *path, size_t size, const char *text)
{
    const char *made = write_temp(text);
    if (!made)
        return NULL;
    snprintf(path, size, "%s", made);
    return path;
}

#define BAD_APPS                                                                                   \
    "{\"apps\": [{\"id\": \"ok\", \"command\": \"x\", \"resources\": \"cpus:1\"},"                 \
    " {\"id\": \"bad\", \"instances\": -1, \"command\": \"x\", \"resources\": \"cpus:1\"}]}"

/* validate: offline, one line per file, submit's messages. */
static void test_validate(void)
{
    const char *root = "/cli-validate";
    char good[64], bad[64], want[512], *out = NULL;
    sched_error err, submit_err;
    REQUIRE_TRUE(temp_file(good, sizeof good, APPS) && temp_file(bad, sizeof bad, BAD_APPS));
    const char *submit_bad[] = {"submit", bad, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &submit_err, submit_bad), HDRF_EINVAL);
    free(out);
    snprintf(want, sizeof want, "%s: apps[1].instances: -1: must be an integer >= 0", bad);
    ASSERT_STR(submit_err.text, want);

    const char *validate[] = {"validate", good, bad, "/", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, validate), HDRF_EINVAL);
    ASSERT_STR(err.text, "validate: 2 of 3 file(s) refused");
    snprintf(want, sizeof want,
             "%s: valid, 2 application(s): web, batch\n%s\n/: a directory, not an application "
             "file\n",
             good, submit_err.text);
    ASSERT_STR(out, want);
    free(out);
    const char *validate_good[] = {"validate", good, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, validate_good), HDRF_OK);
    snprintf(want, sizeof want, "%s: valid, 2 application(s): web, batch\n", good);
    ASSERT_STR(out, want);
    free(out);
    /* nothing was written by any of it */
    CU_ASSERT_PTR_NULL(store_read(root, "desired", ZK_STORE_APP, "web"));
    CU_ASSERT_PTR_NULL(store_read(root, "desired", ZK_STORE_APP, "ok"));
}

#define ONE_APP(id) "{\"id\": \"" id "\", \"resources\": \"cpus:1\", \"command\": \"./x\"}"

/* submit of several applications: all or none. */
static void test_submit_all_or_none(void)
{
    const char *root = "/cli-atomic";
    char old[64], both[64], fresh[64], other[64], bad[64], *out = NULL;
    sched_error err;
    json_t *doc;
    REQUIRE_TRUE(
        temp_file(old, sizeof old, ONE_APP("old")) &&
        temp_file(both, sizeof both, "{\"apps\": [" ONE_APP("fresh") ", " ONE_APP("old") "]}") &&
        temp_file(fresh, sizeof fresh, ONE_APP("fresh")) &&
        temp_file(other, sizeof other, ONE_APP("other")) && temp_file(bad, sizeof bad, BAD_APPS));
    const char *submit_old[] = {"submit", old, NULL};
    const char *delete_old[] = {"delete", "old", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, submit_old) == HDRF_OK);
    free(out);
    REQUIRE_TRUE(run_cmd(root, &out, &err, delete_old) == HDRF_OK);
    free(out);
    /* one of two is being deleted: neither is written */
    const char *submit_both[] = {"submit", both, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit_both), HDRF_EEXIST);
    ASSERT_STR(err.text, "old: being deleted; submit it again once `status old` shows it gone");
    free(out);
    CU_ASSERT_PTR_NULL(store_read(root, "desired", ZK_STORE_APP, "fresh"));
    /* a bad second file: the first's application is not written either */
    const char *submit_bad[] = {"submit", fresh, bad, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit_bad), HDRF_EINVAL);
    CU_ASSERT_TRUE(strncmp(err.text, bad, strlen(bad)) == 0);
    free(out);
    CU_ASSERT_PTR_NULL(store_read(root, "desired", ZK_STORE_APP, "fresh"));
    /* one id in two files */
    const char *submit_twice[] = {"submit", fresh, fresh, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit_twice), HDRF_EINVAL);
    {
        char want[256];
        snprintf(want, sizeof want, "%s: \"fresh\": given twice (also in %s)", fresh, fresh);
        ASSERT_STR(err.text, want);
    }
    free(out);
    CU_ASSERT_PTR_NULL(store_read(root, "desired", ZK_STORE_APP, "fresh"));
    /* two good files: both, in order */
    const char *submit_two[] = {"submit", fresh, other, NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, submit_two), HDRF_OK);
    ASSERT_STR(out, "fresh: submitted, 1 instance(s)\nother: submitted, 1 instance(s)\n");
    free(out);
    doc = store_read(root, "desired", ZK_STORE_APP, "other");
    CU_ASSERT_PTR_NOT_NULL(doc);
    json_decref(doc);
    doc = store_read(root, "desired", ZK_STORE_APP, "fresh");
    CU_ASSERT_PTR_NOT_NULL(doc);
    json_decref(doc);
}

static void test_list_and_status(void)
{
    const char *root = "/cli-read";
    char *out = NULL;
    sched_error err;
    const char *file = write_temp(APPS);
    REQUIRE(file);
    const char *submit[] = {"submit", file, NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, submit) == HDRF_OK);
    free(out);

    /* Nothing from a leader yet. */
    const char *list[] = {"list", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, list) == HDRF_OK);
    ASSERT_STR(out, "ID                       INSTANCES RUNNING TASKS  STATE\n"
                    "batch                            1       0     0  waiting for the leader\n"
                    "web                              3       0     0  waiting for the leader\n");
    free(out);

    /* The leader's state, written by hand in orch.h's format: web known
     * with three tasks, two of them running; batch known with its one task
     * running. */
    static const struct {
        zk_store_kind kind;
        const char *name, *text;
    } docs[] = {
        {ZK_STORE_FRAMEWORK, "state", "{\"format\": 1, \"framework_id\": \"fw-1\"}"},
        {ZK_STORE_APP, "web", "{\"version\": 1}"},
        {ZK_STORE_APP, "batch", "{\"version\": 2}"},
        {ZK_STORE_TASK, "web.1",
         "{\"app\": \"web\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S0\", "
         "\"hostname\": \"a1\"}}"},
        {ZK_STORE_TASK, "web.2",
         "{\"app\": \"web\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S1\", "
         "\"hostname\": \"a2\"}}"},
        {ZK_STORE_TASK, "web.3",
         "{\"app\": \"web\", \"state\": \"TASK_STAGING\", \"agent\": {\"id\": \"S0\", "
         "\"hostname\": \"a1\"}}"},
        {ZK_STORE_TASK, "batch.4",
         "{\"app\": \"batch\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S1\", "
         "\"hostname\": \"a2\"}}"},
        {ZK_STORE_TXN, "txn-000001",
         "{\"app\": \"web\", \"kind\": \"launch\", \"status\": \"pending\", \"target\": 3}"},
        {ZK_STORE_TXN, "txn-000002",
         "{\"app\": \"batch\", \"kind\": \"launch\", \"status\": \"done\", \"target\": 1}"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        REQUIRE_TRUE(store_write(root, docs[i].kind, docs[i].name, docs[i].text) == 0);
    REQUIRE_TRUE(run_cmd(root, &out, &err, list) == HDRF_OK);
    ASSERT_STR(out, "ID                       INSTANCES RUNNING TASKS  STATE\n"
                    "batch                            1       1     1  running\n"
                    "web                              3       2     3  deploying\n");
    free(out);

    const char *status_web[] = {"status", "web", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, status_web) == HDRF_OK);
    ASSERT_STR(out, "app: web\n"
                    "desired: 3 instance(s)\n"
                    "state: deploying\n"
                    "version: 1\n"
                    "tasks: 3 (2 running)\n"
                    "  web.1 TASK_RUNNING on a1 (S0)\n"
                    "  web.2 TASK_RUNNING on a2 (S1)\n"
                    "  web.3 TASK_STAGING on a1 (S0)\n"
                    "transactions:\n"
                    "  txn-000001 launch pending, target 3\n");
    free(out);

    const char *status[] = {"status", NULL};
    REQUIRE_TRUE(run_cmd(root, &out, &err, status) == HDRF_OK);
    ASSERT_STR(out, "leader: none\n"
                    "framework id: fw-1\n"
                    "applications: 2 desired, 2 known to the leader\n"
                    "tasks: 4\n"
                    "transactions pending: 1\n");
    free(out);

    const char *status_none[] = {"status", "nope", NULL};
    CU_ASSERT_EQUAL(run_cmd(root, &out, &err, status_none), HDRF_ENOTFOUND);
    ASSERT_STR(err.text, "nope: no such application");
    free(out);
}

static void test_unreachable(void)
{
    char *argv[] = {(char *)"hdrf-scheduler", (char *)"list", (char *)"--zk=zk://127.0.0.1:1/x",
                    (char *)"--zk_session_timeout=1secs", NULL};
    sched_options o;
    sched_error err;
    REQUIRE_TRUE(flags_parse(4, argv, &o, &err) == HDRF_OK);
    /* opcmd waits 15 s for a server: too long for a unit test; the
     * connection helper's own bound is checked instead. */
    zk_session *s = NULL;
    long long t0 = zk_wait_now_ms();
    CU_ASSERT_EQUAL(zk_wait_connect(o.zk_servers, "", 1000, 300, &s, &err), ZK_EUNAVAILABLE);
    CU_ASSERT_TRUE(zk_wait_now_ms() - t0 < 3000);
    ASSERT_STR(err.text, "ZooKeeper 127.0.0.1:1: no server answered within 300 ms");
}

int suite_sched_cli(void)
{
    static const test_case flag_cases[] = {
        {"--help lists every flag of the table", test_help_lists_every_flag},
        {"docs/scheduler.md lists every flag", test_readme_lists_every_flag},
        {"flags are read", test_flags_read},
        {"--txn_timeouts: a deadline per kind", test_txn_timeouts},
        {"bad flags name flag, value and what is allowed", test_flags_refused},
        {"help, help <command>, <command> --help, --version, a bare call", test_help_and_version},
        {"the program's messages: missing file, directory, unknown host", test_program_messages},
        {NULL, NULL},
    };
    static const test_case zk_cases[] = {
        {"submit, scale, delete write the desired state", test_submit_scale_delete},
        {"list and status read desired and leader state", test_list_and_status},
        {"an unreachable ensemble ends the wait", test_unreachable},
        {"validate checks files offline with submit's messages", test_validate},
        {"submit of several applications is all or none", test_submit_all_or_none},
        {NULL, NULL},
    };
    if (test_add_suite("sched_cli", flag_cases) != 0)
        return -1;
    return test_add_suite_with("sched_cli_zk", suite_start, suite_stop, zk_cases);
}
