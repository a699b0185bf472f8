/* test_zookeeper.c: the scheduler's ZooKeeper modules against a real server.
 *
 * The suite starts one ZooKeeper server (test/zk_server.h) for all its
 * tests and stops it and removes its directory at the end, whatever the
 * outcome; each test works under its own root node so that tests do not
 * see each other's nodes. Nothing is mocked: sessions, watches, ephemeral
 * nodes, expiry and server restarts are ZooKeeper's own.
 *
 * Waiting is bounded: every wait polls the sessions until a condition holds
 * or a deadline (a few seconds) passes, so a broken build fails rather than
 * hangs. Sessions use short timeouts (the server's ticks are 100 ms).
 */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheduler/zk_detector.h"
#include "scheduler/zk_election.h"
#include "scheduler/zk_session.h"
#include "scheduler/zk_store.h"
#include "test/zk_server.h"

#define SESSION_MS 2000 /* requested session timeout */
#define WAIT_MS                                                                                    \
    30000 /* the longest any condition may take to hold: under ASan on a
                       * loaded 2-core machine, a session expiry has taken over 10 s */

static zk_server server;

/* ---- waiting ----------------------------------------------------------------------- */

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Dispatches the sessions until *flag becomes true; false after WAIT_MS. */
static bool wait_flag(zk_session *const *ss, size_t n, const bool *flag)
{
    long long deadline = now_ms() + WAIT_MS;
    while (!*flag && now_ms() < deadline)
        zk_session_poll(ss, n, 50);
    return *flag;
}

/* Dispatches the sessions until *value >= want; false after WAIT_MS. */
static bool wait_count(zk_session *const *ss, size_t n, const int *value, int want)
{
    long long deadline = now_ms() + WAIT_MS;
    while (*value < want && now_ms() < deadline)
        zk_session_poll(ss, n, 50);
    return *value >= want;
}

/* Dispatches the sessions for `ms` milliseconds, come what may. */
static void run_for(zk_session *const *ss, size_t n, long ms)
{
    long long deadline = now_ms() + ms;
    while (now_ms() < deadline)
        zk_session_poll(ss, n, 20);
}

/* A session to the suite's server, connected. */
static zk_session *connect_session(int timeout_ms)
{
    zk_session *s = NULL;
    sched_error err;
    long long deadline;
    if (zk_session_new(server.servers, timeout_ms, NULL, &s, &err) != HDRF_OK) {
        fprintf(stderr, "\n  %s\n", err.text);
        return NULL;
    }
    deadline = now_ms() + WAIT_MS;
    while (!zk_session_connected(s) && now_ms() < deadline)
        zk_session_poll(&s, 1, 50);
    if (!zk_session_connected(s)) {
        zk_session_free(s);
        return NULL;
    }
    return s;
}

/* ---- one request at a time, for setting up and checking --------------------------- */

typedef struct sync_result {
    bool done;
    int rc;
    int version;
    char data[4096];
    int len;
    char names[16][64];
    size_t n_names;
} sync_result;

static void sync_done(void *owner, void *arg, const zk_result *r)
{
    sync_result *out = arg;
    (void)owner;
    out->rc = r->rc;
    out->version = r->stat ? r->stat->version : -1;
    out->len = 0;
    if (r->data && r->len < (int)sizeof out->data) {
        memcpy(out->data, r->data, (size_t)r->len);
        out->data[r->len] = '\0';
        out->len = r->len;
    }
    if (r->path)
        snprintf(out->data, sizeof out->data, "%s", r->path);
    out->n_names = 0;
    for (size_t i = 0; i < r->n_names && i < 16; i++)
        snprintf(out->names[out->n_names++], 64, "%s", r->names[i]);
    out->done = true;
}

typedef enum op { OP_GET, OP_CREATE, OP_SET, OP_DELETE, OP_CHILDREN, OP_PATH } op;

/* Runs one request on its own user of `s` and waits for its result;
 * returns the ZooKeeper code (ZSYSTEMERROR when none came). */
static int zk_sync(zk_session *s, op o, const char *path, const char *data, int arg,
                   sync_result *out)
{
    zk_user *u = NULL;
    sync_result local;
    int len = data ? (int)strlen(data) : -1;
    if (!out)
        out = &local;
    memset(out, 0, sizeof *out);
    out->rc = ZSYSTEMERROR;
    if (zk_user_new(s, NULL, NULL, &u, NULL) != HDRF_OK)
        return ZSYSTEMERROR;
    switch (o) {
    case OP_GET:
        zk_get(u, path, false, sync_done, out);
        break;
    case OP_CREATE:
        zk_create(u, path, data, len, arg, sync_done, out);
        break;
    case OP_SET:
        zk_set(u, path, data, len, arg, sync_done, out);
        break;
    case OP_DELETE:
        zk_delete(u, path, arg, sync_done, out);
        break;
    case OP_CHILDREN:
        zk_children(u, path, false, sync_done, out);
        break;
    case OP_PATH:
        zk_create_path(u, path, sync_done, out);
        break;
    }
    wait_flag(&s, 1, &out->done);
    zk_user_free(u);
    return out->rc;
}

/* ---- the session ------------------------------------------------------------------- */

typedef struct event_log {
    int connected, new_sessions, disconnected, expired, nodes;
    char last_node[256];
} event_log;

static void log_event(void *owner, const zk_event *ev)
{
    event_log *l = owner;
    switch (ev->kind) {
    case ZK_EVENT_CONNECTED:
        l->connected++;
        l->new_sessions += ev->new_session;
        break;
    case ZK_EVENT_DISCONNECTED:
        l->disconnected++;
        break;
    case ZK_EVENT_EXPIRED:
        l->expired++;
        break;
    case ZK_EVENT_AUTH_FAILED:
        break;
    case ZK_EVENT_NODE:
        l->nodes++;
        snprintf(l->last_node, sizeof l->last_node, "%s", ev->path);
        break;
    }
}

/* Requests, results and watches through the caller's thread. */
static void test_session_requests(void)
{
    zk_session *s = connect_session(SESSION_MS);
    sync_result r;
    REQUIRE(s);
    CU_ASSERT_EQUAL(zk_sync(s, OP_PATH, "/t-session/a/b", NULL, 0, &r), ZOK);
    CU_ASSERT_EQUAL(zk_sync(s, OP_PATH, "/t-session/a/b", NULL, 0, &r), ZOK); /* exists: fine */
    CU_ASSERT_EQUAL(zk_sync(s, OP_CREATE, "/t-session/a/b/x", "one", ZOO_PERSISTENT, &r), ZOK);
    ASSERT_STR(r.data, "/t-session/a/b/x");
    CU_ASSERT_EQUAL(zk_sync(s, OP_CREATE, "/t-session/a/b/x", "two", ZOO_PERSISTENT, &r),
                    ZNODEEXISTS);
    CU_ASSERT_EQUAL(zk_sync(s, OP_GET, "/t-session/a/b/x", NULL, 0, &r), ZOK);
    ASSERT_STR(r.data, "one");
    CU_ASSERT_EQUAL(r.version, 0);
    CU_ASSERT_EQUAL(zk_sync(s, OP_SET, "/t-session/a/b/x", "three", 0, &r), ZOK);
    CU_ASSERT_EQUAL(r.version, 1);
    CU_ASSERT_EQUAL(zk_sync(s, OP_SET, "/t-session/a/b/x", "four", 0, &r), ZBADVERSION);
    CU_ASSERT_EQUAL(zk_sync(s, OP_CHILDREN, "/t-session/a/b", NULL, 0, &r), ZOK);
    CU_ASSERT_EQUAL(r.n_names, 1);
    ASSERT_STR(r.names[0], "x");
    CU_ASSERT_EQUAL(zk_sync(s, OP_DELETE, "/t-session/a/b/x", NULL, 1, &r), ZOK);
    CU_ASSERT_EQUAL(zk_sync(s, OP_GET, "/t-session/a/b/x", NULL, 0, &r), ZNONODE);
    CU_ASSERT_EQUAL(zk_sync(s, OP_GET, "no-slash", NULL, 0, &r), ZBADARGUMENTS);
    zk_session_free(s);
}

/* Makes the ensemble expire `s`'s session: a second client joins the same
 * session and closes it, which is how ZooKeeper's own tests do it. */
static bool expire_session(zk_session *s)
{
    const clientid_t *id = zk_session_client_id(s);
    zhandle_t *zh;
    long long deadline = now_ms() + WAIT_MS;
    if (!id)
        return false;
    zh = zookeeper_init(server.servers, NULL, zk_session_negotiated_timeout(s), id, NULL, 0);
    if (!zh)
        return false;
    while (zoo_state(zh) != ZOO_CONNECTED_STATE && now_ms() < deadline)
        run_for(&s, 1, 20);
    zookeeper_close(zh);
    return true;
}

static void test_session_expiry(void)
{
    zk_session *s = connect_session(SESSION_MS);
    zk_user *u = NULL;
    event_log log = {0};
    int64_t first;
    sync_result r;
    REQUIRE(s);
    REQUIRE_TRUE(zk_user_new(s, log_event, &log, &u, NULL) == HDRF_OK);
    first = zk_session_id(s);
    CU_ASSERT_EQUAL(zk_sync(s, OP_PATH, "/t-expiry", NULL, 0, &r), ZOK);
    CU_ASSERT_EQUAL(zk_sync(s, OP_CREATE, "/t-expiry/mine", "", ZOO_EPHEMERAL, &r), ZOK);
    CU_ASSERT_TRUE(expire_session(s));
    {
        long long deadline = now_ms() + WAIT_MS;
        while ((log.expired == 0 || log.new_sessions == 0) && now_ms() < deadline)
            zk_session_poll(&s, 1, 50);
    }
    CU_ASSERT_EQUAL(log.expired, 1);
    CU_ASSERT_EQUAL(log.new_sessions, 1);
    CU_ASSERT_NOT_EQUAL(zk_session_id(s), first);
    CU_ASSERT_EQUAL(zk_sync(s, OP_GET, "/t-expiry/mine", NULL, 0, &r), ZNONODE);
    zk_user_free(u);
    zk_session_free(s);
}

/* ---- master detection ------------------------------------------------------------- */

/* The recorded Mesos 1.11 leader node, re-addressed: what a master at
 * `ip`:`port` writes into its json.info_ node (id, pid, address, port). */
static char *master_node(const char *ip, int port)
{
    char *text = NULL, *out = NULL, pid[64], id[64];
    json_t *doc = NULL, *address;
    if (test_read_file(test_data_path("json.info_0000000001.json"), &text) < 0)
        return NULL;
    snprintf(pid, sizeof pid, "master@%s:%d", ip, port);
    snprintf(id, sizeof id, "master-%s-%d", ip, port);
    if ((doc = json_loads(text, 0, NULL)) && (address = json_object_get(doc, "address")) &&
        json_object_set_new(doc, "pid", json_string(pid)) == 0 &&
        json_object_set_new(doc, "id", json_string(id)) == 0 &&
        json_object_set_new(doc, "port", json_integer(port)) == 0 &&
        json_object_set_new(address, "ip", json_string(ip)) == 0 &&
        json_object_set_new(address, "port", json_integer(port)) == 0)
        out = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    free(text);
    return out;
}

/* A master contending as Mesos's do: an ephemeral sequential json.info_
 * child holding its MasterInfo; `name` instead names the node itself. The
 * created node's path goes to `node`. */
static int contend(zk_session *s, const char *dir, const char *name, const char *ip, int port,
                   char *node, size_t size)
{
    char *json = master_node(ip, port), path[256];
    sync_result r;
    int rc = ZSYSTEMERROR;
    snprintf(path, sizeof path, "%s/%s", dir, name ? name : "json.info_");
    if (json)
        rc = zk_sync(s, OP_CREATE, path, json, ZOO_EPHEMERAL | (name ? 0 : ZOO_SEQUENCE), &r);
    if (rc == ZOK)
        snprintf(node, size, "%.200s", r.data);
    free(json);
    return rc;
}

typedef struct detect_log {
    int reports;
    bool has;
    master_info last;
    char why[SCHED_ERROR_LENGTH];
} detect_log;

static void on_detect(void *arg, const master_info *leader, const sched_error *why)
{
    detect_log *l = arg;
    l->reports++;
    l->has = leader != NULL;
    if (leader)
        l->last = *leader;
    snprintf(l->why, sizeof l->why, "%s", why ? why->text : "");
}

/* Masters come and go under a path that does not exist yet: the lowest
 * sequence leads whatever the creation order, a deleted leader hands over
 * to the next, a closed session takes its master away, an unreadable
 * leader is reported with the reason, and other children are ignored. */
static void test_detector_follows_leader(void)
{
    zk_session *ss[3] = {connect_session(SESSION_MS), connect_session(SESSION_MS),
                         connect_session(SESSION_MS)};
    zk_detector *d = NULL;
    detect_log log = {0};
    char a[256], b[256], c[256], e[256];
    sched_error err;
    sync_result r;
    REQUIRE_TRUE(ss[0] && ss[1] && ss[2]);
    REQUIRE_TRUE(zk_detector_new(ss[0], "/t-detect/mesos", on_detect, &log, &d, &err) == HDRF_OK);
    run_for(ss, 3, 200);
    CU_ASSERT_EQUAL(log.reports, 0); /* no path: no leader, and none was known */

    /* A stray node with a high sequence, created first, and log_replicas. */
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_PATH, "/t-detect/mesos/log_replicas", NULL, 0, &r), ZOK);
    CU_ASSERT_EQUAL(
        contend(ss[1], "/t-detect/mesos", "json.info_0000000050", "10.9.9.9", 5050, c, sizeof c),
        ZOK);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 1));
    CU_ASSERT_TRUE(log.has);
    ASSERT_STR(log.last.addr.host, "10.9.9.9");

    /* Sequential contenders get lower sequences: the first one leads. */
    CU_ASSERT_EQUAL(contend(ss[1], "/t-detect/mesos", NULL, "127.0.0.1", 5050, a, sizeof a), ZOK);
    CU_ASSERT_EQUAL(contend(ss[2], "/t-detect/mesos", NULL, "127.0.0.2", 5051, b, sizeof b), ZOK);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 2));
    CU_ASSERT_TRUE(log.has);
    ASSERT_STR(log.last.addr.host, "127.0.0.1");
    CU_ASSERT_EQUAL(log.last.addr.port, 5050);
    ASSERT_STR(log.last.addr.path, "/master/api/v1/scheduler");
    ASSERT_STR(log.last.id, "master-127.0.0.1-5050");
    ASSERT_STR(log.last.version, "1.11.0");
    run_for(ss, 3, 200);
    CU_ASSERT_EQUAL(log.reports, 2); /* b behind a changes nothing */

    /* The leader's node goes: the next sequence leads. */
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_DELETE, a, NULL, -1, &r), ZOK);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 3));
    ASSERT_STR(log.last.addr.host, "127.0.0.2");
    CU_ASSERT_EQUAL(log.last.addr.port, 5051);
    CU_ASSERT_PTR_NOT_NULL(zk_detector_leader(d));

    /* Its session closes: the stray node leads again. */
    zk_session_free(ss[2]);
    ss[2] = connect_session(SESSION_MS);
    REQUIRE(ss[2]);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 4));
    ASSERT_STR(log.last.addr.host, "10.9.9.9");

    /* An unreadable leader: no leader, with the reason; then a good one. */
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_CREATE, "/t-detect/mesos/json.info_", "not json",
                            ZOO_EPHEMERAL | ZOO_SEQUENCE, &r),
                    ZOK);
    snprintf(c, sizeof c, "%.200s", r.data);
    CU_ASSERT_EQUAL(contend(ss[2], "/t-detect/mesos", NULL, "127.0.0.3", 5052, e, sizeof e), ZOK);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 5));
    CU_ASSERT_FALSE(log.has);
    CU_ASSERT_PTR_NOT_NULL(strstr(log.why, "not JSON"));
    CU_ASSERT_PTR_NOT_NULL(strstr(log.why, c + strlen("/t-detect/mesos/")));
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_DELETE, c, NULL, -1, &r), ZOK);
    REQUIRE_TRUE(wait_count(ss, 3, &log.reports, 6));
    ASSERT_STR(log.last.addr.host, "127.0.0.3");

    /* Every contender gone: no leader. */
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_DELETE, "/t-detect/mesos/json.info_0000000050", NULL, -1, &r),
                    ZOK);
    zk_session_free(ss[2]);
    ss[2] = NULL;
    REQUIRE_TRUE(wait_count(ss, 2, &log.reports, 7));
    CU_ASSERT_FALSE(log.has);
    ASSERT_STR(log.why, "");
    CU_ASSERT_PTR_NULL(zk_detector_leader(d));
    zk_detector_free(d);
    for (int i = 0; i < 3; i++)
        zk_session_free(ss[i]);
}

/* The detector's own session expires: no leader at once, as Mesos's group
 * decides, then the same leader again from the new session. */
static void test_detector_session_expiry(void)
{
    zk_session *ss[2] = {connect_session(SESSION_MS), connect_session(SESSION_MS)};
    zk_detector *d = NULL;
    detect_log log = {0};
    char a[256];
    sched_error err;
    sync_result r;
    REQUIRE_TRUE(ss[0] && ss[1]);
    CU_ASSERT_EQUAL(zk_sync(ss[1], OP_PATH, "/t-detect-expiry", NULL, 0, &r), ZOK);
    CU_ASSERT_EQUAL(contend(ss[1], "/t-detect-expiry", NULL, "127.0.0.1", 5050, a, sizeof a), ZOK);
    REQUIRE_TRUE(zk_detector_new(ss[0], "/t-detect-expiry", on_detect, &log, &d, &err) == HDRF_OK);
    REQUIRE_TRUE(wait_count(ss, 2, &log.reports, 1));
    CU_ASSERT_TRUE(log.has);
    CU_ASSERT_TRUE(expire_session(ss[0]));
    REQUIRE_TRUE(wait_count(ss, 2, &log.reports, 2));
    CU_ASSERT_FALSE(log.has);
    CU_ASSERT_PTR_NOT_NULL(strstr(log.why, "session expired"));
    REQUIRE_TRUE(wait_count(ss, 2, &log.reports, 3));
    CU_ASSERT_TRUE(log.has);
    ASSERT_STR(log.last.addr.host, "127.0.0.1");
    zk_detector_free(d);
    zk_session_free(ss[0]);
    zk_session_free(ss[1]);
}

/* ---- leader election ------------------------------------------------------------- */

typedef struct instance {
    zk_session *s;
    zk_election *e;
    int gained, lost;
} instance;

static void on_leading(void *arg, bool leading)
{
    instance *in = arg;
    if (leading)
        in->gained++;
    else
        in->lost++;
}

/* A scheduler instance: its own session, joined to the election. */
static bool join(instance *in, const char *path, const char *name)
{
    sched_error err;
    memset(in, 0, sizeof *in);
    if (!(in->s = connect_session(SESSION_MS)))
        return false;
    if (zk_election_new(in->s, path, name, strlen(name), on_leading, in, &in->e, &err) != HDRF_OK) {
        fprintf(stderr, "\n  %s\n", err.text);
        return false;
    }
    return true;
}

static void leave(instance *in)
{
    zk_election_free(in->e);
    zk_session_free(in->s);
    memset(in, 0, sizeof *in);
}

/* Dispatches every instance's session until `in` has a node. */
static bool wait_member(instance *all, size_t n, const instance *in)
{
    zk_session *ss[4];
    long long deadline = now_ms() + WAIT_MS;
    for (size_t i = 0; i < n; i++)
        ss[i] = all[i].s;
    while (!zk_election_node(in->e) && now_ms() < deadline)
        zk_session_poll(ss, n, 20);
    return zk_election_node(in->e) != NULL;
}

/* Dispatches until `in` has gained leadership `times` times in all. */
static bool wait_gained(instance *all, size_t n, const instance *in, int times)
{
    zk_session *ss[4];
    for (size_t i = 0; i < n; i++)
        ss[i] = all[i].s;
    return wait_count(ss, n, &in->gained, times);
}

static int leaders(const instance *all, size_t n)
{
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += all[i].e && zk_election_leading(all[i].e);
    return count;
}

/* An instance in a child process, killed as a crash kills a scheduler: it
 * joins, writes 'L' to `report` once it leads, and serves until killed (or
 * until the test process dies). Forked before the test makes any session,
 * so that no client thread of the parent is copied half-way. */
static pid_t spawn_leader(const char *path, int report)
{
    pid_t pid;
    fflush(NULL);
    if ((pid = fork()) != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    {
        zk_session *s = NULL;
        zk_election *e = NULL;
        instance self = {0};
        bool told = false;
        if (zk_session_new(server.servers, 1000, NULL, &s, NULL) != HDRF_OK ||
            zk_election_new(s, path, "child", 5, on_leading, &self, &e, NULL) != HDRF_OK)
            _exit(1);
        for (;;) {
            zk_session_poll(&s, 1, 100);
            if (!told && self.gained)
                told = write(report, "L", 1) == 1;
        }
    }
}

/* Reads one byte from `fd` within WAIT_MS. */
static bool read_byte(int fd, char *c)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, WAIT_MS) == 1 && read(fd, c, 1) == 1;
}

/* Two instances, each with its own session: the first to join leads, the
 * second follows, and takes over when the leader's process is killed (its
 * session then times out on the server); a new instance follows, and takes
 * over at once when the leader leaves the election. */
static void test_election_failover(void)
{
    instance in[2] = {{0}};
    int fds[2];
    pid_t child;
    char c = 0;
    sync_result r;
    REQUIRE_TRUE(pipe(fds) == 0);
    child = spawn_leader("/t-elect/a/sched", fds[1]);
    close(fds[1]);
    CU_ASSERT_TRUE(child > 0 && read_byte(fds[0], &c) && c == 'L');
    close(fds[0]);
    if (child <= 0 || c != 'L') {
        if (child > 0) {
            kill(child, SIGKILL);
            waitpid(child, NULL, 0);
        }
        return;
    }
    CU_ASSERT_TRUE(join(&in[1], "/t-elect/a/sched", "second"));
    CU_ASSERT_TRUE(in[1].e && wait_member(&in[1], 1, &in[1]));
    if (in[1].e) {
        run_for(&in[1].s, 1, 300);
        CU_ASSERT_FALSE(zk_election_leading(in[1].e));
        CU_ASSERT_PTR_NULL(zk_election_error(in[1].e));
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    REQUIRE(in[1].e);
    REQUIRE_TRUE(wait_gained(&in[1], 1, &in[1], 1));
    /* What each instance published is in its node. */
    CU_ASSERT_EQUAL(zk_sync(in[1].s, OP_GET, zk_election_node(in[1].e), NULL, 0, &r), ZOK);
    ASSERT_STR(r.data, "second");

    /* A new instance follows; the leader leaves: it leads at once. */
    REQUIRE_TRUE(join(&in[0], "/t-elect/a/sched", "third"));
    REQUIRE_TRUE(wait_member(in, 2, &in[0]));
    run_for((zk_session *[]){in[0].s, in[1].s}, 2, 200);
    CU_ASSERT_EQUAL(in[0].gained, 0);
    CU_ASSERT_EQUAL(leaders(in, 2), 1);
    zk_election_free(in[1].e);
    in[1].e = NULL;
    CU_ASSERT_TRUE(wait_gained(in, 2, &in[0], 1));
    CU_ASSERT_EQUAL(leaders(in, 2), 1);
    leave(&in[0]);
    leave(&in[1]);
}

/* Three instances: a follower that leaves changes nothing for the leader,
 * and the last one re-watches its new predecessor; the leader's session
 * expiring costs it leadership at once, the survivor leads, and the old
 * leader rejoins from its new session as a follower. */
static void test_election_expiry(void)
{
    instance in[3];
    REQUIRE_TRUE(join(&in[0], "/t-elect/b", "one"));
    REQUIRE_TRUE(wait_gained(in, 1, &in[0], 1));
    REQUIRE_TRUE(join(&in[1], "/t-elect/b", "two"));
    REQUIRE_TRUE(wait_member(in, 2, &in[1]));
    REQUIRE_TRUE(join(&in[2], "/t-elect/b", "three"));
    REQUIRE_TRUE(wait_member(in, 3, &in[2]));

    leave(&in[1]); /* the middle one: in[2] must now watch in[0] */
    run_for((zk_session *[]){in[0].s, in[2].s}, 2, 300);
    CU_ASSERT_TRUE(zk_election_leading(in[0].e));
    CU_ASSERT_EQUAL(in[2].gained, 0);

    CU_ASSERT_TRUE(expire_session(in[0].s));
    {
        zk_session *ss[2] = {in[0].s, in[2].s};
        REQUIRE_TRUE(wait_count(ss, 2, &in[0].lost, 1));
        REQUIRE_TRUE(wait_count(ss, 2, &in[2].gained, 1));
        /* The old leader is back in the election, behind the new one. */
        long long deadline = now_ms() + WAIT_MS;
        while (!zk_election_node(in[0].e) && now_ms() < deadline)
            zk_session_poll(ss, 2, 20);
        run_for(ss, 2, 200);
    }
    CU_ASSERT_PTR_NOT_NULL(zk_election_node(in[0].e));
    CU_ASSERT_FALSE(zk_election_leading(in[0].e));
    CU_ASSERT_EQUAL(in[0].gained, 1);
    CU_ASSERT_TRUE(zk_election_leading(in[2].e));
    leave(&in[0]);
    leave(&in[2]);
}

/* ---- the state store -------------------------------------------------------------- */

/* What a store call answered. */
typedef struct answer {
    bool done;
    int status;
    int version;
    json_t *doc;     /* get: a reference of our own */
    char text[8192]; /* list: names, space-separated; load: every document */
    char why[SCHED_ERROR_LENGTH];
} answer;

static void answer_reset(answer *a)
{
    json_decref(a->doc);
    memset(a, 0, sizeof *a);
}

static void got_write(void *arg, int status, int version, const sched_error *err)
{
    answer *a = arg;
    a->status = status;
    a->version = version;
    snprintf(a->why, sizeof a->why, "%s", err ? err->text : "");
    a->done = true;
}

static void got_read(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    answer *a = arg;
    a->status = status;
    a->version = doc ? doc->version : -1;
    a->doc = doc ? json_incref(doc->json) : NULL;
    snprintf(a->why, sizeof a->why, "%s", err ? err->text : "");
    a->done = true;
}

static void got_list(void *arg, int status, const char *const *names, size_t n,
                     const sched_error *err)
{
    answer *a = arg;
    a->status = status;
    for (size_t i = 0; i < n; i++)
        snprintf(a->text + strlen(a->text), sizeof a->text - strlen(a->text), "%s%s", i ? " " : "",
                 names[i]);
    snprintf(a->why, sizeof a->why, "%s", err ? err->text : "");
    a->done = true;
}

/* The snapshot as text: "kind/name@version=json" lines, in order. */
static void got_load(void *arg, int status, const zk_store_snapshot *snap, const sched_error *err)
{
    answer *a = arg;
    a->status = status;
    for (int k = 0; snap && k < ZK_STORE_KINDS; k++)
        for (size_t i = 0; i < snap->n[k]; i++) {
            char *json = json_dumps(snap->docs[k][i].json, JSON_COMPACT | JSON_SORT_KEYS);
            size_t used = strlen(a->text);
            snprintf(a->text + used, sizeof a->text - used, "%s/%s@%d=%s\n",
                     zk_store_kind_name((zk_store_kind)k), snap->docs[k][i].name,
                     snap->docs[k][i].version, json ? json : "?");
            free(json);
        }
    snprintf(a->why, sizeof a->why, "%s", err ? err->text : "");
    a->done = true;
}

/* Puts `json` (text) and waits; returns the status, the version in *version. */
static int put(zk_session *s, zk_store *st, zk_store_kind kind, const char *name, const char *json,
               int version, answer *a)
{
    json_t *doc = json_loads(json, JSON_DECODE_ANY, NULL);
    int status;
    answer_reset(a);
    status = zk_store_put(st, kind, name, doc, version, got_write, a, NULL);
    json_decref(doc);
    if (status != HDRF_OK)
        return status;
    return wait_flag(&s, 1, &a->done) ? a->status : ZSYSTEMERROR;
}

static int get(zk_session *s, zk_store *st, zk_store_kind kind, const char *name, answer *a)
{
    answer_reset(a);
    if (zk_store_get(st, kind, name, got_read, a, NULL) != HDRF_OK)
        return ZSYSTEMERROR;
    return wait_flag(&s, 1, &a->done) ? a->status : ZSYSTEMERROR;
}

static int load(zk_session *s, zk_store *st, answer *a)
{
    answer_reset(a);
    if (zk_store_load(st, got_load, a, NULL) != HDRF_OK)
        return ZSYSTEMERROR;
    return wait_flag(&s, 1, &a->done) ? a->status : ZSYSTEMERROR;
}

/* A document is created once, then replaced only at the version last
 * seen; stale versions, second creations and stale deletes are conflicts;
 * names are checked; listing and reading what is not there. */
static void test_store_documents(void)
{
    zk_session *s = connect_session(SESSION_MS);
    zk_store *st = NULL;
    answer a = {0};
    sched_error err;
    json_t *empty = json_object();
    REQUIRE_TRUE(s && empty);
    REQUIRE_TRUE(zk_store_new(s, "/t-store/a/hdrf", &st, &err) == HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 3}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(a.version, 0);
    CU_ASSERT_EQUAL(get(s, st, ZK_STORE_APP, "web", &a), HDRF_OK);
    CU_ASSERT_EQUAL(a.version, 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(a.doc, "instances")), 3);

    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 9}", ZK_STORE_NEW, &a),
                    ZK_ECONFLICT);
    ASSERT_STR(a.why, "store /t-store/a/hdrf/apps/web: already exists");
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 4}", 0, &a), HDRF_OK);
    CU_ASSERT_EQUAL(a.version, 1);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 5}", 0, &a), ZK_ECONFLICT);
    ASSERT_STR(a.why,
               "store /t-store/a/hdrf/apps/web: no longer at version 0 (changed): read it again");
    CU_ASSERT_EQUAL(get(s, st, ZK_STORE_APP, "web", &a), HDRF_OK);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(a.doc, "instances")), 4);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "db", "{}", ZK_STORE_NEW, &a), HDRF_OK);

    answer_reset(&a);
    CU_ASSERT_EQUAL(zk_store_list(st, ZK_STORE_APP, got_list, &a, NULL), HDRF_OK);
    CU_ASSERT_TRUE(wait_flag(&s, 1, &a.done));
    ASSERT_STR(a.text, "db web");
    answer_reset(&a);
    CU_ASSERT_EQUAL(zk_store_list(st, ZK_STORE_TXN, got_list, &a, NULL), HDRF_OK);
    CU_ASSERT_TRUE(wait_flag(&s, 1, &a.done));
    CU_ASSERT_EQUAL(a.status, HDRF_OK);
    ASSERT_STR(a.text, "");

    answer_reset(&a);
    CU_ASSERT_EQUAL(zk_store_delete(st, ZK_STORE_APP, "web", 0, got_write, &a, NULL), HDRF_OK);
    CU_ASSERT_TRUE(wait_flag(&s, 1, &a.done));
    CU_ASSERT_EQUAL(a.status, ZK_ECONFLICT);
    answer_reset(&a);
    CU_ASSERT_EQUAL(zk_store_delete(st, ZK_STORE_APP, "web", 1, got_write, &a, NULL), HDRF_OK);
    CU_ASSERT_TRUE(wait_flag(&s, 1, &a.done));
    CU_ASSERT_EQUAL(a.status, HDRF_OK);
    CU_ASSERT_EQUAL(get(s, st, ZK_STORE_APP, "web", &a), HDRF_ENOTFOUND);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{}", 1, &a), ZK_ECONFLICT);
    ASSERT_STR(a.why,
               "store /t-store/a/hdrf/apps/web: no longer at version 1 (deleted): read it again");

    CU_ASSERT_EQUAL(
        zk_store_put(st, ZK_STORE_TASK, "a/b", empty, ZK_STORE_NEW, got_write, &a, &err),
        HDRF_EINVAL);
    ASSERT_STR(err.text, "store tasks: name 'a/b': must be 1 to 200 characters of A-Z a-z 0-9 . "
                         "_ - and not '.' or '..'");
    CU_ASSERT_EQUAL(zk_store_get(st, ZK_STORE_TASK, "..", got_read, &a, &err), HDRF_EINVAL);
    CU_ASSERT_EQUAL(zk_store_put(st, ZK_STORE_TASK, "t", empty, -5, got_write, &a, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(zk_store_new(s, "relative", &(zk_store *){NULL}, &err), HDRF_EINVAL);
    answer_reset(&a);
    json_decref(empty);
    zk_store_free(st);
    zk_session_free(s);
}

/* Two instances read the same version and both write it: exactly one
 * wins, the other is told, reads the winner's document and writes on top. */
static void test_store_compare_and_set(void)
{
    zk_session *ss[2] = {connect_session(SESSION_MS), connect_session(SESSION_MS)};
    zk_store *st[2] = {NULL, NULL};
    answer a[2] = {{0}, {0}};
    json_t *doc[2];
    int winner;
    REQUIRE_TRUE(ss[0] && ss[1]);
    REQUIRE_TRUE(zk_store_new(ss[0], "/t-store/b", &st[0], NULL) == HDRF_OK);
    REQUIRE_TRUE(zk_store_new(ss[1], "/t-store/b", &st[1], NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(
        put(ss[0], st[0], ZK_STORE_FRAMEWORK, "id", "{\"value\": \"f-1\"}", ZK_STORE_NEW, &a[0]),
        HDRF_OK);
    CU_ASSERT_EQUAL(get(ss[1], st[1], ZK_STORE_FRAMEWORK, "id", &a[1]), HDRF_OK);
    CU_ASSERT_EQUAL(a[1].version, 0);

    /* Both write version 0, neither having heard of the other. */
    doc[0] = json_pack("{ss}", "value", "from-0");
    doc[1] = json_pack("{ss}", "value", "from-1");
    for (int i = 0; i < 2; i++) {
        answer_reset(&a[i]);
        CU_ASSERT_EQUAL(
            zk_store_put(st[i], ZK_STORE_FRAMEWORK, "id", doc[i], 0, got_write, &a[i], NULL),
            HDRF_OK);
    }
    {
        long long deadline = now_ms() + WAIT_MS;
        while (!(a[0].done && a[1].done) && now_ms() < deadline)
            zk_session_poll(ss, 2, 50);
    }
    REQUIRE_TRUE(a[0].done && a[1].done);
    CU_ASSERT_EQUAL((a[0].status == HDRF_OK) + (a[1].status == HDRF_OK), 1);
    CU_ASSERT_EQUAL((a[0].status == ZK_ECONFLICT) + (a[1].status == ZK_ECONFLICT), 1);
    winner = a[0].status == HDRF_OK ? 0 : 1;
    CU_ASSERT_EQUAL(a[winner].version, 1);

    /* The loser reads again and writes on top of the winner. */
    CU_ASSERT_EQUAL(get(ss[1 - winner], st[1 - winner], ZK_STORE_FRAMEWORK, "id", &a[1 - winner]),
                    HDRF_OK);
    CU_ASSERT_TRUE(json_equal(a[1 - winner].doc, doc[winner]));
    CU_ASSERT_EQUAL(a[1 - winner].version, 1);
    CU_ASSERT_EQUAL(put(ss[1 - winner], st[1 - winner], ZK_STORE_FRAMEWORK, "id",
                        "{\"value\": \"merged\"}", 1, &a[1 - winner]),
                    HDRF_OK);
    CU_ASSERT_EQUAL(a[1 - winner].version, 2);
    CU_ASSERT_EQUAL(put(ss[winner], st[winner], ZK_STORE_FRAMEWORK, "id", "{}", 1, &a[winner]),
                    ZK_ECONFLICT);
    for (int i = 0; i < 2; i++) {
        json_decref(doc[i]);
        answer_reset(&a[i]);
        zk_store_free(st[i]);
        zk_session_free(ss[i]);
    }
}

/* What a scheduler writes, as a snapshot's text. */
#define STATE_TEXT                                                                                 \
    "framework/id@0={\"value\":\"f-1\"}\n"                                                         \
    "apps/db@0={\"instances\":1}\n"                                                                \
    "apps/web@1={\"instances\":3}\n"                                                               \
    "tasks/web.1@0={\"agent\":\"s1\",\"state\":\"TASK_RUNNING\"}\n"                                \
    "tasks/web.2@0={\"agent\":\"s2\",\"state\":\"TASK_STAGING\"}\n"                                \
    "txns/t-7@0={\"app\":\"web\",\"deadline\":120,\"kind\":\"scale\"}\n"

static void write_state(zk_session *s, zk_store *st)
{
    answer a = {0};
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_FRAMEWORK, "id", "{\"value\": \"f-1\"}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 2}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 3}", 0, &a), HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "db", "{\"instances\": 1}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_TASK, "web.2",
                        "{\"state\": \"TASK_STAGING\", \"agent\": \"s2\"}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_TASK, "web.1",
                        "{\"state\": \"TASK_RUNNING\", \"agent\": \"s1\"}", ZK_STORE_NEW, &a),
                    HDRF_OK);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_TXN, "t-7",
                        "{\"kind\": \"scale\", \"app\": \"web\", \"deadline\": 120}", ZK_STORE_NEW,
                        &a),
                    HDRF_OK);
    answer_reset(&a);
}

/* Closes a client's store and session and opens new ones, as a restarted
 * scheduler does. */
static bool restart_client(zk_session **s, zk_store **st, const char *root)
{
    zk_store_free(*st);
    zk_session_free(*s);
    *st = NULL;
    return (*s = connect_session(1000)) && zk_store_new(*s, root, st, NULL) == HDRF_OK;
}

/* The state outlives the client that wrote it and a crash of the server:
 * a new client loads it whole, with the versions to write on; a client
 * that lived through the crash finds its session expired (the server was
 * away longer than the session timeout), gets a new one, and reads and
 * writes as before. */
static void test_store_restarts(void)
{
    zk_session *s = connect_session(1000);
    zk_store *st = NULL;
    zk_user *u = NULL;
    event_log log = {0};
    answer a = {0};
    REQUIRE(s);
    REQUIRE_TRUE(zk_store_new(s, "/t-store/c", &st, NULL) == HDRF_OK);
    write_state(s, st);

    /* The scheduler restarts. */
    REQUIRE_TRUE(restart_client(&s, &st, "/t-store/c"));
    CU_ASSERT_EQUAL(load(s, st, &a), HDRF_OK);
    ASSERT_STR(a.text, STATE_TEXT);
    REQUIRE_TRUE(zk_user_new(s, log_event, &log, &u, NULL) == HDRF_OK);

    /* ZooKeeper crashes and stays away longer than the session timeout. */
    zk_server_stop(&server, true);
    {
        long long deadline = now_ms() + WAIT_MS;
        while (log.expired == 0 && now_ms() < deadline)
            zk_session_poll(&s, 1, 50);
    }
    CU_ASSERT_EQUAL(log.disconnected, 1);
    CU_ASSERT_EQUAL(log.expired, 1); /* decided locally: no server to say so */
    CU_ASSERT_FALSE(zk_session_connected(s));
    answer_reset(&a);
    REQUIRE_TRUE(zk_server_resume(&server) == 0);
    CU_ASSERT_TRUE(wait_count(&s, 1, &log.new_sessions, 1));
    CU_ASSERT_EQUAL(load(s, st, &a), HDRF_OK);
    ASSERT_STR(a.text, STATE_TEXT);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_APP, "web", "{\"instances\": 5}", 1, &a), HDRF_OK);
    CU_ASSERT_EQUAL(a.version, 2);
    CU_ASSERT_EQUAL(put(s, st, ZK_STORE_TASK, "web.3", "{}", ZK_STORE_NEW, &a), HDRF_OK);
    answer_reset(&a);
    zk_user_free(u);

    /* And a client that never saw the crash reads it all. */
    REQUIRE_TRUE(restart_client(&s, &st, "/t-store/c"));
    CU_ASSERT_EQUAL(load(s, st, &a), HDRF_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(a.text, "apps/web@2={\"instances\":5}\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.text, "tasks/web.3@0={}\n"));
    answer_reset(&a);
    zk_store_free(st);
    zk_session_free(s);
}
/* ---- the suite ------------------------------------------------------------------------ */

static int suite_start(void) { return zk_server_start_quiet(&server); }

static int suite_stop(void)
{
    zk_server_destroy_quiet(&server);
    return 0;
}

/* Member names as ZooKeeper makes them (a 10-digit sequence after the
 * last dash); anything else is not a member, whatever digits it ends in. */
static void test_election_sequence(void)
{
    CU_ASSERT_EQUAL(zk_election_sequence("member-010001a1fddf0001-0000000042"), 42);
    CU_ASSERT_EQUAL(zk_election_sequence("member-x-0000000000"), 0);
    CU_ASSERT_EQUAL(zk_election_sequence("member-x"), -1);
    CU_ASSERT_EQUAL(zk_election_sequence("member-abc-00000000z1"), -1);
    CU_ASSERT_EQUAL(zk_election_sequence("member-abc-42"), -1);
    CU_ASSERT_EQUAL(zk_election_sequence("leader-abc-0000000001"), -1);
}

int suite_zookeeper(void)
{
    static const test_case cases[] = {
        {"session requests", test_session_requests},
        {"session expiry", test_session_expiry},
        {"detector follows the leader", test_detector_follows_leader},
        {"detector across session expiry", test_detector_session_expiry},
        {"election failover", test_election_failover},
        {"election across session expiry", test_election_expiry},
        {"election member names and their sequence", test_election_sequence},
        {"store documents", test_store_documents},
        {"store compare-and-set between instances", test_store_compare_and_set},
        {"store across client and server restarts", test_store_restarts},
        {NULL, NULL},
    };
    return test_add_suite_with("zookeeper", suite_start, suite_stop, cases);
}
