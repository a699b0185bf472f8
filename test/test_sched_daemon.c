/* test_sched_daemon.c: the hdrf-scheduler program, two instances, failover.
 *
 * Real parts only: a ZooKeeper server (test/zk_server.h), the loopback stub
 * master (test/http_stub.h) replaying the recorded Mesos 1.11.0 session
 * (SUBSCRIBED, HEARTBEAT and the OFFERS of test/data/session.recordio:
 * offer O2 of agent S0, cpus:4;mem:4096 allocated to role eng), and the
 * program itself, build/hdrf-scheduler, run twice as child processes.
 * What is checked comes from the recording and from Mesos's rules, not
 * from the program: the framework id is the recorded master's, a
 * re-subscription must carry it, the one instance asked for fits the one
 * offer, so exactly one ACCEPT may ever reach the master.
 *
 * Also the fence (persist.h) in-process: once a second instance has
 * claimed the state, a save of the first is refused and writes nothing.
 *
 * Child logs go to the server's directory; a failing test prints them.
 */
#include "test/test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheduler/orch.h"
#include "scheduler/prog/persist.h"
#include "scheduler/prog/zk_wait.h"
#include "scheduler/wire.h"
#include "scheduler/zk_store.h"
#include "test/child.h"
#include "test/http_stub.h"
#include "test/opcmd_run.h"
#include "test/session.h"
#include "test/zk_server.h"

#define WAIT_MS 15000

static zk_server server;

static int suite_start(void) { return zk_server_start_quiet(&server); }

static int suite_stop(void)
{
    zk_server_destroy_quiet(&server);
    return 0;
}

/* ---- the stub master's script ------------------------------------------------------ */

/* The calls the stub received (SUBSCRIBEs included), decoded, in order. */
typedef struct calls_seen {
    sched_call *calls[64];
    size_t n;
} calls_seen;

static void calls_read(http_stub *stub, calls_seen *seen)
{
    size_t n = stub_count(stub);
    seen->n = 0;
    for (size_t i = 0; i < n && seen->n < 64; i++) {
        stub_request r;
        sched_error err;
        sched_call *call = NULL;
        if (stub_request_get(stub, i, &r) != 0)
            continue;
        if (wire_call_decode(WIRE_PROTOBUF, r.body, r.body_len, &call, &err) == HDRF_OK)
            seen->calls[seen->n++] = call;
        stub_request_free(&r);
    }
}

static void calls_free(calls_seen *seen)
{
    for (size_t i = 0; i < seen->n; i++)
        wire_call_free(seen->calls[i]);
    seen->n = 0;
}

static size_t count_type(const calls_seen *seen, Mesos__V1__Scheduler__Call__Type type, size_t from)
{
    size_t n = 0;
    for (size_t i = from; i < seen->n; i++)
        n += seen->calls[i]->type == type;
    return n;
}

/* Index of the k-th call (0-based) of `type`, or seen->n. */
static size_t index_of(const calls_seen *seen, Mesos__V1__Scheduler__Call__Type type, size_t k)
{
    for (size_t i = 0; i < seen->n; i++)
        if (seen->calls[i]->type == type && k-- == 0)
            return i;
    return seen->n;
}

/* Waits until the stub has seen at least `n` calls of `type`. */
static bool wait_calls(http_stub *stub, Mesos__V1__Scheduler__Call__Type type, size_t n)
{
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    for (;;) {
        calls_seen seen;
        size_t have;
        calls_read(stub, &seen);
        have = count_type(&seen, type, 0);
        calls_free(&seen);
        if (have >= n)
            return true;
        if (zk_wait_now_ms() > deadline)
            return false;
        child_sleep_ms(50);
    }
}

/* ---- the program ------------------------------------------------------------------- */

typedef struct instance {
    pid_t pid;
    char log[PATH_MAX + 32];
    char metrics[PATH_MAX + 32];
} instance;

/* Starts the program with --master=`master_flag` and `extra` (a flag, or NULL). */
static int spawn_with(instance *in, const char *name, const char *master_flag, const char *root,
                      const char *extra)
{
    char master[256], zk[128], metrics[PATH_MAX + 64];
    pid_t pid;
    snprintf(in->log, sizeof in->log, "%s/%s.log", server.dir, name);
    snprintf(in->metrics, sizeof in->metrics, "%s/%s.prom", server.dir, name);
    snprintf(metrics, sizeof metrics, "--metrics_file=%s", in->metrics);
    snprintf(master, sizeof master, "--master=%s", master_flag);
    snprintf(zk, sizeof zk, "--zk=zk://%s%s", server.servers, root);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *f = freopen(in->log, "w", stderr);
        (void)f;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execl(HDRF_SCHED_BIN, "hdrf-scheduler", "run", master, zk, "--role=eng",
              "--zk_session_timeout=1secs", "--log_level=debug", metrics,
              "--metrics_interval=100ms", "--http_address=127.0.0.1:0", extra, (char *)NULL);
        _exit(127);
    }
    in->pid = pid;
    return 0;
}

/* The same with the stub master on loopback at `master_port`. */
static int spawn(instance *in, const char *name, uint16_t master_port, const char *root)
{
    char master[32];
    snprintf(master, sizeof master, "127.0.0.1:%u", (unsigned)master_port);
    return spawn_with(in, name, master, root, NULL);
}

static void dump_log(const instance *in) { child_dump_log(in->log); }

/* Stops the instance, its log printed first if a test failed. */
static void finish_instance(instance *in) { child_finish(&in->pid, in->log, WAIT_MS); }

/* SIGTERM, and the exit status (-1 if it had to be killed). */
static int stop_instance(instance *in) { return child_stop(&in->pid, WAIT_MS); }

/* Waits until the file holds `text`. */
static bool wait_file_holds(const char *path, const char *text)
{
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    for (;;) {
        char *body = NULL;
        bool found = test_read_file(path, &body) > 0 && strstr(body, text);
        free(body);
        if (found)
            return true;
        if (zk_wait_now_ms() > deadline) {
            fprintf(stderr, "\n  %s: no line %s", path, text);
            return false;
        }
        child_sleep_ms(50);
    }
}

/* An operator command, in-process. */
static int operator(const char *root, char **out, const char *const *args)
{
    sched_error err;
    int rc = test_opcmd_run(server.servers, root, out, &err, args);
    if (rc != HDRF_OK)
        fprintf(stderr, "\n  %s\n", err.text);
    return rc;
}

static const char *app_file(void)
{
    static char path[PATH_MAX + 16];
    FILE *f;
    snprintf(path, sizeof path, "%s/hello.json", server.dir);
    if (!(f = fopen(path, "w")))
        return NULL;
    fputs("{\"id\": \"hello\", \"role\": \"eng\", \"resources\": \"cpus:0.5;mem:64\","
          " \"command\": \"echo hello; sleep 1\"}",
          f);
    fclose(f);
    return path;
}

/* ---- the tests --------------------------------------------------------------------- */

static void check_launch(const sched_call *accept)
{
    const Mesos__V1__Offer__Operation *op;
    const Mesos__V1__TaskInfo *t;
    REQUIRE(accept->accept);
    REQUIRE_TRUE(accept->accept->n_offer_ids == 1 && accept->accept->n_operations == 1);
    ASSERT_STR(accept->accept->offer_ids[0]->value, MASTER_ID "-O2");
    ASSERT_STR(accept->framework_id->value, SESSION_FRAMEWORK);
    op = accept->accept->operations[0];
    CU_ASSERT_EQUAL(op->type, MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH);
    REQUIRE_TRUE(op->launch && op->launch->n_task_infos == 1);
    t = op->launch->task_infos[0];
    ASSERT_STR(t->name, "hello");
    ASSERT_STR(t->task_id->value, "hello.0");
    ASSERT_STR(t->agent_id->value, AGENT_ID);
    ASSERT_STR(t->command->value, "echo hello; sleep 1");
    CU_ASSERT_TRUE(t->command->shell);
    REQUIRE_TRUE(t->n_resources == 2);
    for (size_t i = 0; i < 2; i++) {
        const Mesos__V1__Resource *r = t->resources[i];
        CU_ASSERT_DOUBLE_EQUAL(r->scalar->value, strcmp(r->name, "cpus") == 0 ? 0.5 : 64, 1e-9);
        REQUIRE(r->allocation_info);
        ASSERT_STR(r->allocation_info->role, "eng");
    }
}

/* The ACKNOWLEDGEs after call `from`: one per recorded UPDATE, with its
 * task, agent and uuid (decoded here from the recording itself). */
static void check_acks(const calls_seen *seen, size_t from)
{
    char *body = NULL;
    long bl = test_read_file(test_data_path("session.recordio"), &body);
    size_t at = 0, matched = 0;
    REQUIRE_TRUE(bl > 0);
    for (int rec = 0; rec < 6; rec++) {
        char *end = NULL;
        unsigned long n = strtoul(body + at, &end, 10);
        sched_event *ev = NULL;
        sched_error err;
        at = (size_t)(end - body) + 1;
        if (rec >= 3 &&
            wire_event_decode(WIRE_PROTOBUF, (const uint8_t *)body + at, n, &ev, &err) == HDRF_OK) {
            const Mesos__V1__TaskStatus *st = ev->update->status;
            for (size_t i = from; i < seen->n; i++) {
                const Mesos__V1__Scheduler__Call__Acknowledge *a = seen->calls[i]->acknowledge;
                if (seen->calls[i]->type == MESOS__V1__SCHEDULER__CALL__TYPE__ACKNOWLEDGE &&
                    a->uuid.len == st->uuid.len &&
                    memcmp(a->uuid.data, st->uuid.data, st->uuid.len) == 0) {
                    ASSERT_STR(a->task_id->value, "hello-1");
                    ASSERT_STR(a->agent_id->value, AGENT_ID);
                    matched++;
                }
            }
        }
        wire_event_free(ev);
        at += n;
    }
    CU_ASSERT_EQUAL(matched, 3);
    CU_ASSERT_EQUAL(count_type(seen, MESOS__V1__SCHEDULER__CALL__TYPE__ACKNOWLEDGE, from), 3);
    free(body);
}

/* Leader A launches the instance (task hello.0: the orchestrator numbers
 * tasks from 0); standby B waits; A is killed; B takes over as the same
 * framework, reconciles the task A launched and launches nothing again;
 * B stops, and C, started afresh, subscribes as the same framework. */
static void test_failover(void)
{
    const char *root = "/failover";
    http_stub *stub = stub_start();
    instance a = {0}, b = {0}, c = {0};
    calls_seen seen = {0};
    char *out = NULL;
    size_t sub2;
    const char *file = app_file();
    REQUIRE(stub);
    const char *submit[] = {"submit", file, NULL};
    if (!file || session_push_subscription(stub, 3) != 0 ||
        session_push_subscription(stub, 6) != 0 || operator(root, &out, submit) != HDRF_OK) {
        CU_FAIL("setup");
        goto out;
    }
    ASSERT_STR(out, "hello: submitted, 1 instance(s)\n");
    free(out);
    out = NULL;

    REQUIRE_TRUE(spawn(&a, "a", stub_port(stub), root) == 0);
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 1));
    REQUIRE_TRUE(spawn(&b, "b", stub_port(stub), root) == 0);
    child_sleep_ms(1500); /* B is up, in the election, behind A */
    CU_ASSERT_EQUAL(stub_subscribes(stub), 1);

    /* The operator sees A lead, the task and the framework. */
    const char *status[] = {"status", NULL};
    if (operator(root, &out, status) == HDRF_OK) {
        char want[128];
        snprintf(want, sizeof want, ":%d (member-", (int)a.pid);
        CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "framework id: " SESSION_FRAMEWORK "\n"));
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "tasks: 1\n"));
    }
    free(out);
    out = NULL;

    kill(a.pid, SIGKILL);
    waitpid(a.pid, NULL, 0);
    a.pid = 0;
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 2));
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 1));
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, 1));
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__ACKNOWLEDGE, 3));
    child_sleep_ms(500); /* anything late would show now */

    calls_read(stub, &seen);
    sub2 = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 1);
    REQUIRE_TRUE(sub2 < seen.n);
    /* One launch ever, by A, of the one instance on the one offer. */
    CU_ASSERT_EQUAL(count_type(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 0), 1);
    CU_ASSERT_TRUE(index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 0) < sub2);
    check_launch(seen.calls[index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 0)]);
    /* B re-subscribed as the same framework (failover), in the call and in
     * its FrameworkInfo, with the failover timeout. */
    {
        const sched_call *s = seen.calls[sub2];
        REQUIRE(s->framework_id);
        ASSERT_STR(s->framework_id->value, SESSION_FRAMEWORK);
        REQUIRE_TRUE(s->subscribe && s->subscribe->framework_info->id);
        ASSERT_STR(s->subscribe->framework_info->id->value, SESSION_FRAMEWORK);
        CU_ASSERT_DOUBLE_EQUAL(s->subscribe->framework_info->failover_timeout, 7 * 86400.0, 1e-6);
        CU_ASSERT_PTR_NULL(seen.calls[0]->subscribe->framework_info->id); /* A's: new */
    }
    /* B reconciled the task A launched, explicitly, and declined the offer. */
    {
        size_t i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 0);
        bool found = false;
        REQUIRE_TRUE(i < seen.n && i > sub2);
        for (size_t k = 0; k < seen.calls[i]->reconcile->n_tasks; k++)
            found |= strcmp(seen.calls[i]->reconcile->tasks[k]->task_id->value, "hello.0") == 0;
        CU_ASSERT_TRUE(found);
        i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, 0);
        REQUIRE_TRUE(i < seen.n && i > sub2);
        ASSERT_STR(seen.calls[i]->decline->offer_ids[0]->value, MASTER_ID "-O2");
    }
    /* The recorded updates are of task hello-1, which this framework never
     * launched: each is acknowledged explicitly with its own uuid, and the
     * task is killed while it reports itself alive (STARTING, RUNNING). */
    check_acks(&seen, sub2);
    CU_ASSERT_EQUAL(count_type(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__KILL, sub2), 2);
    for (size_t i = sub2; i < seen.n; i++)
        if (seen.calls[i]->type == MESOS__V1__SCHEDULER__CALL__TYPE__KILL)
            ASSERT_STR(seen.calls[i]->kill->task_id->value, "hello-1");
    /* B's metrics file counts what B saw: one offer, declined; the three
     * updates by state. */
    CU_ASSERT_TRUE(wait_file_holds(b.metrics, "hdrf_sched_offers_received_total 1\n"));
    CU_ASSERT_TRUE(wait_file_holds(b.metrics, "hdrf_sched_offers_declined_total 1\n"));
    CU_ASSERT_TRUE(wait_file_holds(b.metrics, "hdrf_sched_launches_total 0\n"));
    CU_ASSERT_TRUE(wait_file_holds(
        b.metrics, "hdrf_sched_task_status_updates_total{state=\"TASK_RUNNING\"} 1\n"));
    /* and what it holds: the one app, its one task launched by A */
    CU_ASSERT_TRUE(wait_file_holds(b.metrics, "hdrf_sched_apps 1\n"));
    CU_ASSERT_TRUE(wait_file_holds(b.metrics, "hdrf_sched_tasks{state=\"TASK_LAUNCHING\"} 1\n"));
    /* The leader follows the desired state: a delete kills the task. */
    const char *del[] = {"delete", "hello", NULL};
    CU_ASSERT_EQUAL(operator(root, &out, del), HDRF_OK);
    free(out);
    out = NULL;
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__KILL, 3));
    calls_free(&seen);
    calls_read(stub, &seen);
    CU_ASSERT_EQUAL(count_type(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__KILL, sub2), 3);
    {
        size_t i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__KILL, 2);
        REQUIRE_TRUE(i < seen.n);
        ASSERT_STR(seen.calls[i]->kill->task_id->value, "hello.0");
        ASSERT_STR(seen.calls[i]->kill->agent_id->value, AGENT_ID);
    }
    /* A clean stop (and, under ASan, no leak). */
    CU_ASSERT_EQUAL(stop_instance(&b), 0);

    /* The framework id survives a restart: a new instance C, alone, loads
     * it and re-subscribes with it; the task being deleted is still known. */
    REQUIRE_TRUE(session_push_subscription(stub, 3) == 0);
    REQUIRE_TRUE(spawn(&c, "c", stub_port(stub), root) == 0);
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 3));
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 2));
    calls_free(&seen);
    calls_read(stub, &seen);
    {
        size_t i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 2);
        REQUIRE_TRUE(i < seen.n);
        REQUIRE(seen.calls[i]->subscribe->framework_info->id);
        ASSERT_STR(seen.calls[i]->subscribe->framework_info->id->value, SESSION_FRAMEWORK);
        i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 1);
        REQUIRE_TRUE(i < seen.n && seen.calls[i]->reconcile->n_tasks == 1);
        ASSERT_STR(seen.calls[i]->reconcile->tasks[0]->task_id->value, "hello.0");
        CU_ASSERT_EQUAL(count_type(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 0), 1);
    }
    CU_ASSERT_EQUAL(stop_instance(&c), 0);
out:
    if (CU_get_number_of_failures() > 0) {
        dump_log(&a);
        dump_log(&b);
        dump_log(&c);
    }
    calls_free(&seen);
    if (a.pid > 0) {
        kill(a.pid, SIGKILL);
        waitpid(a.pid, NULL, 0);
    }
    stop_instance(&b);
    stop_instance(&c);
    stub_stop(stub);
}

/* ---- the master from ZooKeeper ----------------------------------------------------- */

/* Creates a node holding `data`, or deletes it (data NULL); the ZooKeeper code. */
static int zk_node(zk_session *s, const char *path, const char *data)
{
    zk_user *u = NULL;
    zk_wait_call d = {0};
    int rc = ZSYSTEMERROR;
    if (zk_user_new(s, NULL, NULL, &u, NULL) != HDRF_OK)
        return rc;
    if ((data ? zk_create(u, path, data, (int)strlen(data), ZOO_PERSISTENT, zk_wait_done, &d)
              : zk_delete(u, path, -1, zk_wait_done, &d)) == HDRF_OK &&
        zk_wait_flag(s, &d.done, WAIT_MS))
        rc = d.rc;
    zk_user_free(u);
    return rc;
}

/* The recorded MasterInfo node with its port (5050) changed to `port`. */
static char *master_node(uint16_t port)
{
    char *text = NULL, *out, *at;
    char digits[8];
    size_t n = 0;
    if (test_read_file(test_data_path("json.info_0000000001.json"), &text) <= 0)
        return NULL;
    snprintf(digits, sizeof digits, "%u", (unsigned)port);
    out = calloc(strlen(text) * 2 + 1, 1);
    for (at = text; out && *at;) {
        if (strncmp(at, "5050", 4) == 0) {
            memcpy(out + n, digits, strlen(digits));
            n += strlen(digits);
            at += 4;
        } else {
            out[n++] = *at++;
        }
    }
    free(text);
    return out;
}

/* --master=zk://...: the program subscribes to the master the lowest
 * json.info_ node names, and follows the next one when that node goes,
 * as the same framework. */
static void test_master_from_zookeeper(void)
{
    const char *root = "/detect";
    http_stub *one = stub_start(), *two = stub_start();
    zk_session *s = NULL;
    instance a = {0};
    char *node1 = NULL, *node2 = NULL, flag[128];
    calls_seen seen = {0};
    if (!one || !two || zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s, NULL) != HDRF_OK ||
        !(node1 = master_node(stub_port(one))) || !(node2 = master_node(stub_port(two))) ||
        session_push_subscription(one, 3) != 0 || session_push_subscription(two, 3) != 0 ||
        zk_node(s, "/mesos-detect", "") != ZOK ||
        zk_node(s, "/mesos-detect/json.info_0000000001", node1) != ZOK ||
        zk_node(s, "/mesos-detect/json.info_0000000002", node2) != ZOK) {
        CU_FAIL("setup");
        goto out;
    }
    snprintf(flag, sizeof flag, "zk://%s/mesos-detect", server.servers);
    if (spawn_with(&a, "detect", flag, root, "--reconcile_interval=1secs") != 0) {
        CU_FAIL("spawn");
        goto out;
    }
    CU_ASSERT_TRUE(wait_calls(one, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 1));
    CU_ASSERT_EQUAL(stub_subscribes(two), 0);
    /* The leading master's node goes: the next one leads. */
    CU_ASSERT_EQUAL(zk_node(s, "/mesos-detect/json.info_0000000001", NULL), ZOK);
    CU_ASSERT_TRUE(wait_calls(two, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 1));
    calls_read(two, &seen);
    if (seen.n >= 1 && seen.calls[0]->subscribe->framework_info->id)
        ASSERT_STR(seen.calls[0]->subscribe->framework_info->id->value, SESSION_FRAMEWORK);
    else
        CU_FAIL("no re-subscription with the framework id at the second master");
    calls_free(&seen);
    /* --reconcile_interval: an implicit RECONCILE (no task named) a second
     * after the subscription. */
    CU_ASSERT_TRUE(wait_calls(two, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 1));
    calls_read(two, &seen);
    {
        size_t i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__RECONCILE, 0);
        if (i < seen.n)
            CU_ASSERT_EQUAL(seen.calls[i]->reconcile->n_tasks, 0);
    }
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    calls_free(&seen);
    finish_instance(&a);
    if (s)
        zk_session_free(s);
    free(node1);
    free(node2);
    stub_stop(one);
    stub_stop(two);
}

/* ---- fencing, the program ---------------------------------------------------------- */

typedef struct doc_read {
    bool done;
    int status, version;
    json_t *json;
} doc_read;

static void on_doc_read(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    doc_read *r = arg;
    (void)err;
    r->status = status;
    if (doc) {
        r->json = json_incref(doc->json);
        r->version = doc->version;
    }
    r->done = true;
}

static void on_doc_put(void *arg, int status, int version, const sched_error *err)
{
    doc_read *r = arg;
    (void)err;
    r->status = status;
    r->version = version;
    r->done = true;
}

/* The framework document of the state `st`, and its version. */
static json_t *read_framework_doc(zk_session *s, zk_store *st, int *version)
{
    doc_read r = {0};
    if (zk_store_get(st, ZK_STORE_FRAMEWORK, "state", on_doc_read, &r, NULL) != HDRF_OK ||
        !zk_wait_flag(s, &r.done, WAIT_MS) || r.status != HDRF_OK)
        return NULL;
    *version = r.version;
    return r.json;
}

/* The framework document's "leader", or "". */
static const char *leader_of(const json_t *fw)
{
    const char *v = json_string_value(json_object_get(fw, "leader"));
    return v ? v : "";
}

/* Another instance claims the state behind the leader's back: the
 * leader's next save is refused, it steps down, rejoins the election
 * and, alone, leads again from a fresh load with the next epoch. */
static void test_fenced_program(void)
{
    const char *root = "/fenced";
    http_stub *stub = stub_start();
    instance a = {0};
    zk_session *s = NULL;
    zk_store *st = NULL;
    json_t *fw = NULL;
    doc_read put = {0};
    char *out = NULL, *log = NULL, prefix[64];
    int version = -1;
    const char *file = app_file();
    const char *submit[] = {"submit", file, NULL};
    const char *scale[] = {"scale", "hello", "2", NULL};
    if (!stub || !file || session_push_subscription(stub, 3) != 0 ||
        session_push_subscription(stub, 3) != 0 || operator(root, &out, submit) != HDRF_OK ||
        zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s, NULL) != HDRF_OK ||
        zk_store_new(s, "/fenced/state", &st, NULL) != HDRF_OK ||
        spawn(&a, "f", stub_port(stub), root) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    free(out);
    out = NULL;
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT, 1));
    REQUIRE(fw = read_framework_doc(s, st, &version));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(fw, "epoch")), 1);
    snprintf(prefix, sizeof prefix, "%s/leader/member-", root);
    CU_ASSERT_EQUAL(strncmp(leader_of(fw), prefix, strlen(prefix)), 0);
    /* The intruder's claim: epoch 2, at the version the leader left. */
    json_object_set_new(fw, "epoch", json_integer(2));
    json_object_set_new(fw, "leader", json_string("intruder"));
    CU_ASSERT_EQUAL(
        zk_store_put(st, ZK_STORE_FRAMEWORK, "state", fw, version, on_doc_put, &put, NULL),
        HDRF_OK);
    CU_ASSERT_TRUE(zk_wait_flag(s, &put.done, WAIT_MS) && put.status == HDRF_OK);
    json_decref(fw);
    fw = NULL;
    /* A change makes the leader save: refused; it steps down, leads again. */
    CU_ASSERT_EQUAL(operator(root, &out, scale), HDRF_OK);
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 2));
    CU_ASSERT_TRUE(test_read_file(a.log, &log) > 0 &&
                   strstr(log, "error: no longer leading: fenced: store /fenced/state/framework/"
                               "state: no longer at version"));
    {
        long long deadline = zk_wait_now_ms() + WAIT_MS;
        long epoch = 0;
        while (epoch != 3 && zk_wait_now_ms() < deadline) {
            json_decref(fw);
            fw = read_framework_doc(s, st, &version);
            epoch = (long)json_integer_value(json_object_get(fw, "epoch"));
        }
        CU_ASSERT_EQUAL(epoch, 3);
        CU_ASSERT_EQUAL(strncmp(leader_of(fw), prefix, strlen(prefix)), 0);
    }
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
    free(out);
    free(log);
    json_decref(fw);
    zk_store_free(st);
    if (s)
        zk_session_free(s);
    stub_stop(stub);
}

/* ---- fencing ----------------------------------------------------------------------- */

typedef struct sync_persist {
    bool done;
    int status;
    json_t *state;
} sync_persist;

static void on_persisted(void *arg, int status, const sched_error *err)
{
    sync_persist *s = arg;
    (void)err;
    s->status = status;
    s->done = true;
}

static void on_persist_loaded(void *arg, int status, const json_t *state, const sched_error *err)
{
    sync_persist *s = arg;
    (void)err;
    s->status = status;
    s->state = state ? json_deep_copy(state) : NULL;
    s->done = true;
}

static int persist_sync(zk_session *zs, persist *p, int op, const json_t *state, json_t **loaded)
{
    sync_persist s = {0};
    int rc = op == 0   ? persist_load(p, on_persist_loaded, &s, NULL)
             : op == 1 ? persist_claim(p, state, on_persisted, &s, NULL)
                       : persist_save(p, state, on_persisted, &s, NULL);
    if (rc != HDRF_OK)
        return rc;
    if (!zk_wait_flag(zs, &s.done, WAIT_MS))
        return ZK_EUNAVAILABLE;
    if (loaded)
        *loaded = s.state;
    else
        json_decref(s.state);
    return s.status;
}

#define LOAD 0
#define CLAIM 1
#define SAVE 2

/* An empty orchestrator's document, orch.h's format 1 (new reference). */
static json_t *empty_state(void)
{
    return json_loads("{\"format\": 1, \"framework_id\": null, \"seq\": {\"app\": 0,"
                      " \"task\": 0, \"txn\": 0}, \"apps\": {}, \"tasks\": {}, \"txns\": {}}",
                      0, NULL);
}

static void test_fencing(void)
{
    zk_session *s1 = NULL, *s2 = NULL;
    persist *p1 = NULL, *p2 = NULL;
    json_t *state1 = json_loads("{\"format\": 1, \"framework_id\": \"fw\", \"apps\": {},"
                                " \"tasks\": {\"web.1\": {\"app\": \"web\", \"state\":"
                                " \"TASK_LAUNCHING\", \"launched_ago\": 0.5}}, \"txns\": {}}",
                                0, NULL);
    json_t *state2 = json_loads("{\"format\": 1, \"framework_id\": \"fw\", \"apps\": {},"
                                " \"tasks\": {\"web.2\": {\"app\": \"web\", \"state\":"
                                " \"TASK_LAUNCHING\"}}, \"txns\": {}}",
                                0, NULL);
    json_t *empty = empty_state();
    json_t *loaded = NULL;
    REQUIRE_TRUE(state1 && state2 && empty);
    REQUIRE_TRUE(zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s1, NULL) == HDRF_OK);
    if (zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s2, NULL) != HDRF_OK ||
        persist_new(s1, "/fence/state", "first", &p1, NULL) != HDRF_OK ||
        persist_new(s2, "/fence/state", "second", &p2, NULL) != HDRF_OK) {
        CU_FAIL("setup");
        goto out;
    }
    /* The first leader claims an empty state; the claim alone leaves a
     * state that loads, the one claimed (an orchestrator's empty document,
     * orch.h's format 1); then it saves a task. */
    CU_ASSERT_EQUAL(persist_sync(s1, p1, LOAD, NULL, &loaded), HDRF_OK);
    CU_ASSERT_PTR_NULL(loaded);
    CU_ASSERT_EQUAL(persist_sync(s1, p1, CLAIM, empty, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(persist_epoch(p1), 1);
    {
        persist *reader = NULL;
        orch *o = NULL;
        orch_config cfg = {.default_role = "eng"};
        CU_ASSERT_EQUAL(persist_new(s2, "/fence/state", "reader", &reader, NULL), HDRF_OK);
        CU_ASSERT_EQUAL(persist_sync(s2, reader, LOAD, NULL, &loaded), HDRF_OK);
        CU_ASSERT_TRUE(json_equal(loaded, empty));
        CU_ASSERT_EQUAL(orch_from_json(&cfg, loaded, 0, &o, NULL), HDRF_OK);
        orch_free(o);
        persist_free(reader);
        json_decref(loaded);
        loaded = NULL;
    }
    CU_ASSERT_EQUAL(persist_sync(s1, p1, SAVE, state1, NULL), HDRF_OK);

    /* The second loads what the first saved, exactly, and claims it. */
    CU_ASSERT_EQUAL(persist_sync(s2, p2, LOAD, NULL, &loaded), HDRF_OK);
    CU_ASSERT_TRUE(json_equal(loaded, state1));
    CU_ASSERT_EQUAL(persist_sync(s2, p2, CLAIM, loaded, NULL), HDRF_OK);
    json_decref(loaded);
    loaded = NULL;
    CU_ASSERT_EQUAL(persist_epoch(p2), 2);

    /* The first, deposed, cannot write: refused at the fence, nothing written. */
    CU_ASSERT_EQUAL(persist_sync(s1, p1, SAVE, state2, NULL), ZK_ECONFLICT);
    CU_ASSERT_EQUAL(persist_sync(s2, p2, SAVE, state1, NULL), HDRF_OK);
    {
        persist *reader = NULL;
        CU_ASSERT_EQUAL(persist_new(s1, "/fence/state", "reader", &reader, NULL), HDRF_OK);
        CU_ASSERT_EQUAL(persist_sync(s1, reader, LOAD, NULL, &loaded), HDRF_OK);
        CU_ASSERT_TRUE(json_equal(loaded, state1)); /* web.1 only: no web.2 from the first */
        persist_free(reader);
        json_decref(loaded);
        loaded = NULL;
    }
    /* The second's saves go on; a task gone is deleted; an age alone is
     * not rewritten. */
    json_object_del(json_object_get(state1, "tasks"), "web.1");
    json_object_set_new(
        json_object_get(state1, "tasks"), "web.3",
        json_pack("{s:s, s:s, s:f}", "app", "web", "state", "TASK_RUNNING", "running_for", 1.0));
    CU_ASSERT_EQUAL(persist_sync(s2, p2, SAVE, state1, NULL), HDRF_OK);
    json_object_set_new(json_object_get(json_object_get(state1, "tasks"), "web.3"), "running_for",
                        json_real(9.0));
    CU_ASSERT_EQUAL(persist_sync(s2, p2, SAVE, state1, NULL), HDRF_OK);
    {
        persist *reader = NULL;
        const json_t *task;
        CU_ASSERT_EQUAL(persist_new(s1, "/fence/state", "reader", &reader, NULL), HDRF_OK);
        CU_ASSERT_EQUAL(persist_sync(s1, reader, LOAD, NULL, &loaded), HDRF_OK);
        CU_ASSERT_EQUAL(json_object_size(json_object_get(loaded, "tasks")), 1);
        task = json_object_get(json_object_get(loaded, "tasks"), "web.3");
        CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(task, "running_for")), 1.0, 1e-9);
        persist_free(reader);
        json_decref(loaded);
    }
out:
    persist_free(p1);
    persist_free(p2);
    if (s1)
        zk_session_free(s1);
    if (s2)
        zk_session_free(s2);
    json_decref(state1);
    json_decref(state2);
    json_decref(empty);
}

/* Writes the framework document of the state under `root` by hand. */
static int put_framework_doc(zk_session *s, const char *root, const char *text, int version)
{
    zk_store *st = NULL;
    json_t *doc = json_loads(text, 0, NULL);
    doc_read put = {0};
    int rc = -1;
    if (doc && zk_store_new(s, root, &st, NULL) == HDRF_OK &&
        zk_store_put(st, ZK_STORE_FRAMEWORK, "state", doc, version, on_doc_put, &put, NULL) ==
            HDRF_OK &&
        zk_wait_flag(s, &put.done, WAIT_MS) && put.status == HDRF_OK)
        rc = 0;
    zk_store_free(st);
    json_decref(doc);
    return rc;
}

/* Versions before claims carried the state left a framework document
 * with only the fence when a leader stopped before any save: it loads as
 * nothing stored, and the next claim goes on from its epoch. */
static void test_fence_only_document(void)
{
    zk_session *s = NULL;
    persist *p = NULL;
    json_t *loaded = NULL, *empty = empty_state();
    if (!empty || zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s, NULL) != HDRF_OK ||
        put_framework_doc(s, "/fence-only/state", "{\"leader\": \"old\", \"epoch\": 4}",
                          ZK_STORE_NEW) != 0 ||
        persist_new(s, "/fence-only/state", "new", &p, NULL) != HDRF_OK) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_EQUAL(persist_sync(s, p, LOAD, NULL, &loaded), HDRF_OK);
    CU_ASSERT_PTR_NULL(loaded);
    CU_ASSERT_EQUAL(persist_sync(s, p, CLAIM, empty, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(persist_epoch(p), 5);
out:
    json_decref(loaded);
    json_decref(empty);
    persist_free(p);
    if (s)
        zk_session_free(s);
}

/* How many times `text` occurs in the file. */
static size_t count_in_file(const char *path, const char *text)
{
    char *body = NULL;
    size_t n = 0;
    if (test_read_file(path, &body) > 0)
        for (const char *at = strstr(body, text); at; at = strstr(at + 1, text))
            n++;
    free(body);
    return n;
}

/* Whether the line holding `text` in the file begins, right before it, with
 * a UTC time "YYYY-MM-DDTHH:MM:SS.mmmZ " (sched_log_stderr's). */
static bool stamped(const char *path, const char *text)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ ";
    char *body = NULL;
    bool ok = false;
    const char *at;
    if (test_read_file(path, &body) > 0 && (at = strstr(body, text)) &&
        at - body >= (long)sizeof form - 1) {
        const char *line = at - (sizeof form - 1);
        ok = line == body || line[-1] == '\n';
        for (size_t i = 0; ok && i < sizeof form - 1; i++)
            ok = form[i] == 'd' ? line[i] >= '0' && line[i] <= '9' : line[i] == form[i];
    }
    free(body);
    return ok;
}

/* The election-loop regression: an instance that leads and stops before
 * anything changed (no application, the master unreachable: it never
 * subscribes) must leave a state the next start loads. That start leads
 * with the next epoch from its first election, and stays: one election
 * member created in all (sequence 1, after the first run's 0), not one
 * per ZooKeeper round trip. */
static void test_restart_never_subscribed(void)
{
    const char *root = "/lone";
    instance a = {0}, b = {0};
    zk_session *s = NULL;
    zk_store *st = NULL;
    json_t *fw = NULL;
    int version = -1;
    /* port 1 on loopback: refused, so neither run ever subscribes */
    if (spawn_with(&a, "lone-a", "127.0.0.1:1", root, NULL) != 0) {
        CU_FAIL("spawn");
        goto out;
    }
    CU_ASSERT_TRUE(wait_file_holds(a.log, "leading (epoch 1)"));
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
    /* what the claim left: orch.h's format, the fence */
    if (zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s, NULL) == HDRF_OK &&
        zk_store_new(s, "/lone/state", &st, NULL) == HDRF_OK)
        fw = read_framework_doc(s, st, &version);
    REQUIRE(fw);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(fw, "format")), 1);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(fw, "epoch")), 1);

    REQUIRE_TRUE(spawn_with(&b, "lone-b", "127.0.0.1:1", root, NULL) == 0);
    CU_ASSERT_TRUE(wait_file_holds(b.log, "leading (epoch 2)"));
    child_sleep_ms(1500); /* a spinning instance would have rejoined hundreds of times by now */
    CU_ASSERT_EQUAL(count_in_file(b.log, "elected ("), 1);
    CU_ASSERT_EQUAL(count_in_file(b.log, "-0000000001); loading the state"), 1);
    CU_ASSERT_EQUAL(count_in_file(b.log, "no longer leading"), 0);
    CU_ASSERT_EQUAL(count_in_file(b.log, "cannot be loaded"), 0);
    /* the log: times on each line; each failed subscription one line */
    CU_ASSERT_TRUE(stamped(b.log, "info: leading (epoch 2)"));
    CU_ASSERT_TRUE(count_in_file(b.log, "; reconnecting in ") >= 1);
    CU_ASSERT_EQUAL(count_in_file(b.log, "Couldn't connect to server"),
                    count_in_file(b.log, "; reconnecting in "));
    CU_ASSERT_EQUAL(stop_instance(&b), 0);
out:
    if (CU_get_number_of_failures() > 0) {
        dump_log(&a);
        dump_log(&b);
    }
    stop_instance(&a);
    stop_instance(&b);
    json_decref(fw);
    zk_store_free(st);
    if (s)
        zk_session_free(s);
}

/* A state this version cannot load (an unknown format) is reported once
 * and tried again after 1 s, 2 s, 4 s (each up to a fifth shorter: the
 * jitter), not at once: in 3.5 s, three elections (at 0, by 1 s, by 3 s),
 * one error line. Once the document is mended, the next attempt leads,
 * with the epoch after the stored one. */
static void test_unloadable_state_waits(void)
{
    const char *root = "/unloadable";
    instance a = {0};
    zk_session *s = NULL;
    zk_store *st = NULL;
    json_t *fw = NULL;
    int version = -1;
    size_t elections;
    if (zk_wait_connect(server.servers, "", 2000, WAIT_MS, &s, NULL) != HDRF_OK ||
        put_framework_doc(s, "/unloadable/state",
                          "{\"format\": 99, \"framework_id\": null, \"seq\": {\"app\": 0, "
                          "\"task\": 0, \"txn\": 0}, \"leader\": \"x\", \"epoch\": 3}",
                          ZK_STORE_NEW) != 0 ||
        spawn_with(&a, "unloadable", "127.0.0.1:1", root, NULL) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_TRUE(wait_file_holds(a.log, "elected ("));
    child_sleep_ms(3500);
    elections = count_in_file(a.log, "elected (");
    CU_ASSERT_TRUE(elections >= 2 && elections <= 3);
    CU_ASSERT_EQUAL(count_in_file(a.log, "error: the state under /unloadable/state cannot be "
                                         "loaded: format: 99: only 1 is known; not leading, "
                                         "trying again in "),
                    1);
    CU_ASSERT_EQUAL(count_in_file(a.log, "(again only at debug level)"), 1);
    CU_ASSERT_EQUAL(count_in_file(a.log, "debug: the state under /unloadable/state cannot be "
                                         "loaded: format: 99"),
                    elections - 1);
    CU_ASSERT_EQUAL(count_in_file(a.log, "leading (epoch"), 0);
    /* mended: an empty state of format 1 at the version read */
    if (zk_store_new(s, "/unloadable/state", &st, NULL) == HDRF_OK)
        fw = read_framework_doc(s, st, &version);
    CU_ASSERT_EQUAL(put_framework_doc(s, "/unloadable/state",
                                      "{\"format\": 1, \"framework_id\": null, \"seq\": {\"app\": "
                                      "0, \"task\": 0, \"txn\": 0}, \"leader\": \"x\", "
                                      "\"epoch\": 3}",
                                      version),
                    0);
    CU_ASSERT_TRUE(wait_file_holds(a.log, "leading (epoch 4)"));
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
    json_decref(fw);
    zk_store_free(st);
    if (s)
        zk_session_free(s);
}

/* Queues a SUBSCRIBE reply that is one ERROR event, after which the
 * stream ends: what Mesos 1.11 answers a subscription it refuses. */
static int push_error(http_stub *stub, const char *message)
{
    Mesos__V1__Scheduler__Event ev = MESOS__V1__SCHEDULER__EVENT__INIT;
    Mesos__V1__Scheduler__Event__Error error = MESOS__V1__SCHEDULER__EVENT__ERROR__INIT;
    char *head = NULL, body[512];
    uint8_t record[256];
    ev.has_type = true;
    ev.type = MESOS__V1__SCHEDULER__EVENT__TYPE__ERROR;
    error.message = (char *)message;
    ev.error = &error;
    size_t n = mesos__v1__scheduler__event__get_packed_size(&ev);
    int rc = -1;
    if (n <= sizeof record && test_read_file(test_data_path("sub-pb.headers"), &head) > 0) {
        mesos__v1__scheduler__event__pack(&ev, record);
        int hl = snprintf(body, sizeof body, "%zu\n", n);
        memcpy(body + hl, record, n);
        stub_reply r = {head, body, (size_t)hl + n, 64, STUB_END};
        rc = stub_push(stub, &r);
    }
    free(head);
    return rc;
}

/* Whether a SUBSCRIBE asks for an existing framework: its id, or NULL. */
static const char *subscribed_id(const sched_call *call)
{
    const Mesos__V1__FrameworkInfo *fw = call->subscribe ? call->subscribe->framework_info : NULL;
    return fw && fw->id ? fw->id->value : NULL;
}

/* The master answers a re-subscription with "Framework has been removed"
 * (its failover timeout ran out): the program forgets the id and
 * subscribes as a new framework, instead of retrying the dead one forever. */
static void test_framework_removed(void)
{
    const char *root = "/removed";
    http_stub *stub = stub_start();
    instance a = {0}, b = {0};
    calls_seen seen = {0};
    REQUIRE(stub);
    /* a first run subscribes and stores the recorded framework id */
    if (session_push_subscription(stub, 3) != 0 ||
        spawn(&a, "removed-a", stub_port(stub), root) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_TRUE(wait_file_holds(a.log, "subscribed as framework"));
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
    /* the next run is refused, then subscribes anew */
    if (push_error(stub, "Framework has been removed") != 0 ||
        session_push_subscription(stub, 3) != 0 ||
        spawn(&b, "removed-b", stub_port(stub), root) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 3));
    CU_ASSERT_TRUE(wait_file_holds(b.log, "subscribing as a new framework"));
    calls_read(stub, &seen);
    size_t first = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 0);
    size_t second = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 1);
    size_t third = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE, 2);
    REQUIRE_TRUE(third < seen.n);
    CU_ASSERT_PTR_NULL(subscribed_id(seen.calls[first])); /* a fresh start */
    REQUIRE(subscribed_id(seen.calls[second]));
    ASSERT_STR(subscribed_id(seen.calls[second]), SESSION_FRAMEWORK); /* the stored id */
    CU_ASSERT_PTR_NULL(subscribed_id(seen.calls[third]));             /* forgotten */
    CU_ASSERT_EQUAL(stop_instance(&b), 0);
out:
    if (CU_get_number_of_failures() > 0) {
        dump_log(&a);
        dump_log(&b);
    }
    calls_free(&seen);
    stop_instance(&a);
    stop_instance(&b);
    stub_stop(stub);
}

/* Queues a SUBSCRIBE reply: the recorded SUBSCRIBED and HEARTBEAT, then
 * the recorded OFFERS event with its offer repeated `copies` times under
 * ids <offer id>-<k>; the stream then stays open. */
static int push_offers(http_stub *stub, int copies)
{
    char *head = NULL, *body = NULL, *out = NULL;
    long hl = test_read_file(test_data_path("sub-pb.headers"), &head);
    long bl = test_read_file(test_data_path("session.recordio"), &body);
    size_t pre = bl > 0 ? session_records_prefix(body, (size_t)bl, 2) : 0;
    char *end = NULL;
    unsigned long n = pre ? strtoul(body + pre, &end, 10) : 0;
    sched_event *ev = NULL;
    sched_error err;
    int rc = -1;
    if (hl <= 0 || !n ||
        wire_event_decode(WIRE_PROTOBUF, (const uint8_t *)end + 1, n, &ev, &err) != HDRF_OK ||
        !ev->offers || ev->offers->n_offers != 1)
        goto out;
    Mesos__V1__Offer copy[8], *list[8];
    Mesos__V1__OfferID ids[8];
    char names[8][128];
    Mesos__V1__Offer **recorded = ev->offers->offers;
    for (int k = 0; k < copies && k < 8; k++) {
        copy[k] = *recorded[0];
        ids[k] = *recorded[0]->id;
        snprintf(names[k], sizeof names[k], "%s-%d", recorded[0]->id->value, k);
        ids[k].value = names[k];
        copy[k].id = &ids[k];
        list[k] = &copy[k];
    }
    ev->offers->offers = list;
    ev->offers->n_offers = (size_t)copies;
    size_t len = mesos__v1__scheduler__event__get_packed_size(ev);
    if ((out = malloc(pre + 32 + len))) {
        memcpy(out, body, pre);
        int w = snprintf(out + pre, 32, "%zu\n", len);
        mesos__v1__scheduler__event__pack(ev, (uint8_t *)out + pre + w);
        stub_reply r = {head, out, pre + (size_t)w + len, 64, STUB_HOLD};
        rc = stub_push(stub, &r);
    }
    ev->offers->offers = recorded;
    ev->offers->n_offers = 1;
out:
    wire_event_free(ev);
    free(out);
    free(head);
    free(body);
    return rc;
}

/* Nothing to launch: the three offers of a round are declined in one
 * DECLINE call (one per refuse_seconds), not one call each. */
static void test_declines_grouped(void)
{
    const char *root = "/declines";
    http_stub *stub = stub_start();
    instance a = {0};
    calls_seen seen = {0};
    REQUIRE(stub);
    if (push_offers(stub, 3) != 0 || spawn(&a, "declines", stub_port(stub), root) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_TRUE(wait_calls(stub, MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, 1));
    child_sleep_ms(300); /* any further DECLINE would have been sent with the first */
    calls_read(stub, &seen);
    CU_ASSERT_EQUAL(count_type(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, 0), 1);
    size_t i = index_of(&seen, MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE, 0);
    REQUIRE_TRUE(i < seen.n);
    const Mesos__V1__Scheduler__Call__Decline *dc = seen.calls[i]->decline;
    REQUIRE(dc);
    REQUIRE_TRUE(dc->n_offer_ids == 3);
    for (size_t k = 0; k < 3; k++) {
        char want[128];
        snprintf(want, sizeof want, MASTER_ID "-O2-%zu", k);
        ASSERT_STR(dc->offer_ids[k]->value, want);
    }
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    calls_free(&seen);
    finish_instance(&a);
    stub_stop(stub);
}

/* Waits until `list` names `id`. */
static bool wait_listed(const char *root, const char *id)
{
    const char *list[] = {"list", NULL};
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    for (;;) {
        char *out = NULL;
        bool found = operator(root, &out, list) == HDRF_OK && out && strstr(out, id);
        free(out);
        if (found || zk_wait_now_ms() > deadline)
            return found;
        child_sleep_ms(50);
    }
}

/* --app_file seeds the desired state as `submit` would. */
static void test_app_file(void)
{
    const char *root = "/seeded";
    http_stub *stub = stub_start();
    instance a = {0};
    char flag[PATH_MAX + 16], master[32];
    const char *file = app_file();
    REQUIRE(stub);
    snprintf(flag, sizeof flag, "--app_file=%s", file ? file : "");
    snprintf(master, sizeof master, "127.0.0.1:%u", (unsigned)stub_port(stub));
    if (!file || session_push_subscription(stub, 3) != 0 ||
        spawn_with(&a, "seeded", master, root, flag) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_TRUE(wait_listed(root, "hello"));
    CU_ASSERT_TRUE(wait_file_holds(a.log, "--app_file: application added to the desired state"));
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
    stub_stop(stub);
}

int suite_sched_daemon(void)
{
    static const test_case cases[] = {
        {"a deposed leader's save is refused", test_fencing},
        {"a fence-only document loads as nothing stored", test_fence_only_document},
        {"a lone instance restarted leads at once, once", test_restart_never_subscribed},
        {"a state that cannot be loaded waits, said once", test_unloadable_state_waits},
        {"two instances: one leads, the standby takes over", test_failover},
        {"the master found and followed in ZooKeeper", test_master_from_zookeeper},
        {"a leader fenced off steps down and leads again", test_fenced_program},
        {"a removed framework subscribes anew", test_framework_removed},
        {"a round's declines go in one call", test_declines_grouped},
        {"--app_file seeds the desired state", test_app_file},
        {NULL, NULL},
    };
    return test_add_suite_with("sched_daemon", suite_start, suite_stop, cases);
}
