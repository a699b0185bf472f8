/* test_sched_api.c: hdrf-scheduler's operator HTTP API, against the real
 * server.
 *
 * The program runs as a child process (build/hdrf-scheduler) against a
 * real ZooKeeper server (test/zk_server.h) with --http_address on
 * loopback; a libcurl client asks it. What is expected comes from
 * documents written by hand: the desired applications through `submit`,
 * the leader's state written with the store in orch.h's format (web: three
 * tasks, two running; batch: one, running; one launch pending), and the
 * election, where the test holds the lowest member itself, so that the
 * program stays a standby and must answer from ZooKeeper alone. Then a
 * lone instance that leads, with credentials, and one over TLS with a
 * certificate the test makes with openssl. The credentials' parser and
 * check are also tested in-process.
 *
 * Child logs go to the server's directory; a failing test prints them.
 */
#include "test/test.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheduler/prog/api_auth.h"
#include "scheduler/prog/api_server.h"
#include "scheduler/prog/zk_wait.h"
#include "scheduler/zk_store.h"
#include "test/child.h"
#include "test/http_stub.h"
#include "test/opcmd_run.h"
#include "test/session.h"
#include "test/zk_server.h"

#define WAIT_MS 15000

static zk_server server;

static int suite_start(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    return zk_server_start_quiet(&server);
}

static int suite_stop(void)
{
    zk_server_destroy_quiet(&server);
    curl_global_cleanup();
    return 0;
}

/* ---- the client -------------------------------------------------------------------- */

typedef struct http_res {
    long status; /* 0: no answer */
    char *body, *headers;
    json_t *json; /* the body, parsed, when it is JSON */
} http_res;

static size_t to_stream(char *data, size_t size, size_t n, void *f)
{
    return fwrite(data, size, n, f) * size;
}

typedef struct http_opts {
    const char *auth;   /* an Authorization header's value, or NULL */
    const char *cainfo; /* a CA file for https, or NULL */
    const char *body;   /* NULL: none */
    size_t len;
} http_opts;

static int http_call(const char *method, const char *url, const http_opts *o, http_res *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *headers = NULL;
    size_t body_len = 0, head_len = 0;
    FILE *body = open_memstream(&r->body, &body_len),
         *head = open_memstream(&r->headers, &head_len);
    char auth[512];
    CURLcode rc = CURLE_FAILED_INIT;
    r->status = 0;
    r->json = NULL;
    if (c && body && head) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_stream);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, to_stream);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, head);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)WAIT_MS);
        if (o && o->auth) {
            snprintf(auth, sizeof auth, "Authorization: %s", o->auth);
            headers = curl_slist_append(headers, auth);
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        }
        if (o && o->cainfo)
            curl_easy_setopt(c, CURLOPT_CAINFO, o->cainfo);
        if (o && o->body) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, o->body);
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->len);
        }
        rc = curl_easy_perform(c);
        if (rc == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    }
    if (body)
        fclose(body);
    if (head)
        fclose(head);
    curl_slist_free_all(headers);
    if (c)
        curl_easy_cleanup(c);
    if (r->body && (r->body[0] == '{' || r->body[0] == '['))
        r->json = json_loads(r->body, 0, NULL);
    return rc == CURLE_OK ? 0 : -1;
}

static void res_free(http_res *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* GET base + path, without credentials. */
static int get(const char *base, const char *path, http_res *r)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", base, path);
    return http_call("GET", url, NULL, r);
}

/* A member of the answer's JSON by a dotted path ("leader.api", "apps.0.id"). */
static const json_t *at(const http_res *r, const char *path)
{
    const json_t *v = r->json;
    char key[64];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        v = json_is_array(v) ? json_array_get(v, strtoul(key, NULL, 10)) : json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return v;
}

static const char *str_at(const http_res *r, const char *path)
{
    return json_string_value(at(r, path));
}

static long long int_at(const http_res *r, const char *path)
{
    return json_integer_value(at(r, path));
}

/* A request with a JSON body; the answer in *r. */
static int send_json(const char *method, const char *base, const char *path, const char *body,
                     http_res *r)
{
    char url[512];
    http_opts o = {.body = body, .len = strlen(body)};
    snprintf(url, sizeof url, "%s%s", base, path);
    return http_call(method, url, &o, r);
}

typedef struct got_doc {
    bool done;
    json_t *doc;
} got_doc;

static void on_got(void *arg, int status, const zk_store_doc *doc, const sched_error *err)
{
    got_doc *got = arg;
    (void)status;
    (void)err;
    got->doc = doc ? json_incref(doc->json) : NULL;
    got->done = true;
}

/* A desired application's document, read back with the store. */
static json_t *desired_doc(zk_session *s, const char *root, const char *id)
{
    zk_store *st = NULL;
    char path[128];
    got_doc got = {false, NULL};
    snprintf(path, sizeof path, "%s/desired", root);
    if (zk_store_new(s, path, &st, NULL) != HDRF_OK)
        return NULL;
    if (zk_store_get(st, ZK_STORE_APP, id, on_got, &got, NULL) == HDRF_OK)
        zk_wait_flag(s, &got.done, WAIT_MS);
    zk_store_free(st);
    return got.doc;
}

static long long desired_instances(zk_session *s, const char *root, const char *id)
{
    json_t *doc = desired_doc(s, root, id);
    const json_t *n = json_object_get(json_object_get(doc, "app"), "instances");
    long long v = doc ? (n ? json_integer_value(n) : 1) : -1;
    json_decref(doc);
    return v;
}

/* ---- the program ------------------------------------------------------------------- */

typedef struct instance {
    pid_t pid;
    char log[PATH_MAX + 32];
    char base[128]; /* http://127.0.0.1:<port> */
} instance;

/* Starts the program on `root` with its API on a free loopback port and
 * the flags `extra` (NULL-terminated, may be NULL); waits until /health
 * answers (with `auth`, if given; over https with `cainfo`). */
static int spawn(instance *in, const char *name, const char *root, const char *const *extra,
                 const http_opts *health_opts)
{
    char zk[128], http[64];
    const char *argv[24];
    int n = 0, port = zk_server_free_port();
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    snprintf(in->log, sizeof in->log, "%s/%s.log", server.dir, name);
    snprintf(zk, sizeof zk, "--zk=zk://%s%s", server.servers, root);
    snprintf(http, sizeof http, "--http_address=127.0.0.1:%d", port);
    snprintf(in->base, sizeof in->base, "%s://127.0.0.1:%d",
             health_opts && health_opts->cainfo ? "https" : "http", port);
    argv[n++] = "hdrf-scheduler";
    argv[n++] = "run";
    argv[n++] = "--master=127.0.0.1:1"; /* refused: these instances never subscribe */
    argv[n++] = zk;
    argv[n++] = http;
    argv[n++] = "--zk_session_timeout=1secs";
    argv[n++] = "--log_level=debug";
    for (; extra && *extra && n < 22; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    if (port < 0 || (in->pid = fork()) < 0)
        return -1;
    if (in->pid == 0) {
        FILE *f = freopen(in->log, "w", stderr);
        (void)f;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execv(HDRF_SCHED_BIN, (char *const *)argv);
        _exit(127);
    }
    for (;;) {
        http_res r = {0};
        char url[160];
        snprintf(url, sizeof url, "%s/health", in->base);
        if (http_call("GET", url, health_opts, &r) == 0 && r.status == 200) {
            res_free(&r);
            return 0;
        }
        res_free(&r);
        if (zk_wait_now_ms() > deadline)
            return -1;
        child_sleep_ms(50);
    }
}

/* Waits until /health says the instance leads. */
static bool wait_leading(const instance *in, const http_opts *o)
{
    char url[160];
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    snprintf(url, sizeof url, "%s/health", in->base);
    for (;;) {
        http_res r = {0};
        bool leading = http_call("GET", url, o, &r) == 0 && json_is_true(at(&r, "leading"));
        res_free(&r);
        if (leading || zk_wait_now_ms() > deadline)
            return leading;
        child_sleep_ms(50);
    }
}

/* SIGTERM, and the exit status (-1 if it had to be killed). */
static int stop_instance(instance *in) { return child_stop(&in->pid, WAIT_MS); }

static void dump_log(const instance *in) { child_dump_log(in->log); }

/* Stops the instance, its log printed first if a test failed. */
static void finish_instance(instance *in) { child_finish(&in->pid, in->log, WAIT_MS); }

/* ---- ZooKeeper by hand ------------------------------------------------------------- */

static void on_written(void *arg, int status, int version, const sched_error *err)
{
    (void)version;
    (void)err;
    *(int *)arg = status == HDRF_OK ? 1 : -1;
}

/* Writes the documents of the leader's state under <root>/state. */
static int write_state(zk_session *s, const char *root, const char *const (*docs)[3], size_t n)
{
    static const struct {
        const char *name;
        zk_store_kind kind;
    } kinds[] = {{"framework", ZK_STORE_FRAMEWORK},
                 {"apps", ZK_STORE_APP},
                 {"tasks", ZK_STORE_TASK},
                 {"txns", ZK_STORE_TXN}};
    zk_store *st = NULL;
    char path[128];
    int rc = 0;
    snprintf(path, sizeof path, "%s/state", root);
    if (zk_store_new(s, path, &st, NULL) != HDRF_OK)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *doc = json_loads(docs[i][2], 0, NULL);
        int done = 0;
        bool never = false;
        zk_store_kind kind = ZK_STORE_APP;
        long long deadline = zk_wait_now_ms() + WAIT_MS;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(kinds[k].name, docs[i][0]) == 0)
                kind = kinds[k].kind;
        rc = -1;
        if (doc && zk_store_put(st, kind, docs[i][1], doc, ZK_STORE_NEW, on_written, &done, NULL) ==
                       HDRF_OK) {
            while (!done && zk_wait_now_ms() < deadline)
                zk_wait_flag(s, &never, 20);
            rc = done == 1 ? 0 : -1;
        }
        json_decref(doc);
    }
    zk_store_free(st);
    return rc;
}

/* The lowest election member, held by the test's session (ephemeral):
 * the program joins behind it and stays a standby. */
static int hold_election(zk_session *s, zk_user *u, const char *root, const char *data)
{
    char path[128];
    zk_wait_call d = {0};
    snprintf(path, sizeof path, "%s/leader", root);
    if (zk_create_path(u, path, zk_wait_done, &d) != HDRF_OK ||
        !zk_wait_flag(s, &d.done, WAIT_MS) || d.rc != ZOK)
        return -1;
    snprintf(path, sizeof path, "%s/leader/member-0000000000000000-", root);
    d = (zk_wait_call){0};
    if (zk_create(u, path, data, (int)strlen(data), ZOO_EPHEMERAL | ZOO_SEQUENCE, zk_wait_done,
                  &d) != HDRF_OK ||
        !zk_wait_flag(s, &d.done, WAIT_MS))
        return -1;
    return d.rc == ZOK ? 0 : -1;
}

static const char *write_temp(const char *text)
{
    static char path[PATH_MAX + 32];
    static int serial;
    FILE *f;
    snprintf(path, sizeof path, "%s/api-%d.txt", server.dir, serial++);
    if (!(f = fopen(path, "w")))
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

#define APPS                                                                                       \
    "{\"apps\": [{\"id\": \"web\", \"instances\": 3, \"resources\": \"cpus:0.5;mem:64\","          \
    " \"command\": \"./server\"},"                                                                 \
    " {\"id\": \"batch\", \"resources\": \"cpus:1;mem:128\", \"command\": \"./job\"}]}"

/* The leader's state by hand, orch.h's format (what test_sched_cli.c's
 * `list` test reads too): web with three tasks, two RUNNING; batch with
 * one RUNNING; web's launch pending, batch's done. */
static const char *const state_docs[][3] = {
    {"framework", "state",
     "{\"format\": 1, \"framework_id\": \"fw-1\", \"leader\": \"x\", \"epoch\": 1}"},
    {"apps", "web", "{\"version\": 1}"},
    {"apps", "batch", "{\"version\": 2}"},
    {"tasks", "web.1",
     "{\"app\": \"web\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S0\", "
     "\"hostname\": \"a1\"}}"},
    {"tasks", "web.2",
     "{\"app\": \"web\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S1\", "
     "\"hostname\": \"a2\"}}"},
    {"tasks", "web.3",
     "{\"app\": \"web\", \"state\": \"TASK_STAGING\", \"agent\": {\"id\": \"S0\", "
     "\"hostname\": \"a1\"}}"},
    {"tasks", "batch.4",
     "{\"app\": \"batch\", \"state\": \"TASK_RUNNING\", \"agent\": {\"id\": \"S1\", "
     "\"hostname\": \"a2\"}}"},
    {"txns", "txn-000001",
     "{\"app\": \"web\", \"kind\": \"launch\", \"status\": \"pending\", \"target\": 3}"},
    {"txns", "txn-000002",
     "{\"app\": \"batch\", \"kind\": \"launch\", \"status\": \"done\", \"target\": 1}"},
};

/* ---- the tests --------------------------------------------------------------------- */

/* The app of the list with this id, as the path "apps.<i>", or "". */
static const char *app_index(const http_res *r, const char *id, char *buf, size_t size)
{
    for (size_t i = 0; i < json_array_size(at(r, "apps")); i++) {
        snprintf(buf, size, "apps.%zu.id", i);
        if (str_at(r, buf) && strcmp(str_at(r, buf), id) == 0) {
            snprintf(buf, size, "apps.%zu", i);
            return buf;
        }
    }
    return "";
}

static void check_apps(const char *base)
{
    http_res r = {0};
    char web[32], batch[32], key[64];
    REQUIRE_TRUE(get(base, "/v1/apps", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(json_array_size(at(&r, "apps")), 2);
    app_index(&r, "web", web, sizeof web);
    app_index(&r, "batch", batch, sizeof batch);
    snprintf(key, sizeof key, "%s.instances", web);
    CU_ASSERT_EQUAL(int_at(&r, key), 3);
    snprintf(key, sizeof key, "%s.tasks_running", web);
    CU_ASSERT_EQUAL(int_at(&r, key), 2);
    snprintf(key, sizeof key, "%s.tasks_live", web);
    CU_ASSERT_EQUAL(int_at(&r, key), 3);
    snprintf(key, sizeof key, "%s.state", web);
    ASSERT_STR(str_at(&r, key), "deploying");
    snprintf(key, sizeof key, "%s.app.command", web);
    ASSERT_STR(str_at(&r, key), "./server");
    snprintf(key, sizeof key, "%s.state", batch);
    ASSERT_STR(str_at(&r, key), "running");
    res_free(&r);

    REQUIRE_TRUE(get(base, "/v1/apps/web", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "id"), "web");
    CU_ASSERT_EQUAL(json_array_size(at(&r, "tasks")), 3);
    ASSERT_STR(str_at(&r, "tasks.0.id"), "web.1");
    ASSERT_STR(str_at(&r, "tasks.0.host"), "a1");
    ASSERT_STR(str_at(&r, "tasks.0.agent"), "S0");
    ASSERT_STR(str_at(&r, "tasks.2.state"), "TASK_STAGING");
    res_free(&r);

    REQUIRE_TRUE(get(base, "/v1/apps/batch/tasks", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(json_array_size(at(&r, "tasks")), 1);
    ASSERT_STR(str_at(&r, "tasks.0.id"), "batch.4");
    ASSERT_STR(str_at(&r, "tasks.0.state"), "TASK_RUNNING");
    res_free(&r);

    REQUIRE_TRUE(get(base, "/v1/deployments", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(json_array_size(at(&r, "deployments")), 1);
    ASSERT_STR(str_at(&r, "deployments.0.id"), "txn-000001");
    ASSERT_STR(str_at(&r, "deployments.0.kind"), "launch");
    CU_ASSERT_EQUAL(int_at(&r, "deployments.0.target"), 3);
    res_free(&r);

    REQUIRE_TRUE(get(base, "/v1/transactions", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(json_array_size(at(&r, "transactions")), 2);
    ASSERT_STR(str_at(&r, "transactions.1.status"), "done");
    res_free(&r);
}

static void check_errors(const char *base)
{
    http_res r = {0};
    char url[160];
    char *big;
    REQUIRE_TRUE(get(base, "/v1/apps/nope", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    ASSERT_STR(str_at(&r, "error"), "nope: no such application");
    ASSERT_STR(str_at(&r, "field"), "id");
    ASSERT_STR(str_at(&r, "value"), "nope");
    res_free(&r);
    REQUIRE_TRUE(get(base, "/v1/apps/nope/tasks", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    res_free(&r);
    REQUIRE_TRUE(get(base, "/v2/apps", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    ASSERT_STR(str_at(&r, "error"),
               "GET /v2/apps: no such route (see the API's routes in docs/scheduler.md)");
    res_free(&r);
    snprintf(url, sizeof url, "%s/health", base);
    REQUIRE_TRUE(http_call("DELETE", url, NULL, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 405);
    ASSERT_STR(str_at(&r, "error"), "DELETE /health: method not allowed here (allowed: GET)");
    res_free(&r);
    /* a body one byte over the bound: refused before the loop sees it */
    REQUIRE(big = malloc(API_MAX_BODY + 1));
    memset(big, 'x', API_MAX_BODY + 1);
    {
        http_opts o = {.body = big, .len = API_MAX_BODY + 1};
        snprintf(url, sizeof url, "%s/v1/apps", base);
        CU_ASSERT_EQUAL(http_call("POST", url, &o, &r), 0);
        CU_ASSERT_EQUAL(r.status, 413);
        ASSERT_STR(str_at(&r, "error"), "the request body is over 1048576 bytes");
        res_free(&r);
    }
    free(big);
}

/* A client that sends half a request and waits holds its own connection
 * only: the loop answers others meanwhile. */
static void check_slow_client(const instance *in)
{
    static const char half[] =
        "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"apps\"";
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    const char *colon = strrchr(in->base, ':');
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    http_res r = {0};
    long long t0;
    addr.sin_port = htons((uint16_t)atoi(colon + 1));
    REQUIRE_TRUE(fd >= 0);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        write(fd, half, sizeof half - 1) != (ssize_t)(sizeof half - 1)) {
        CU_FAIL("the slow client's half request");
        close(fd);
        return;
    }
    t0 = zk_wait_now_ms();
    CU_ASSERT_EQUAL(get(in->base, "/health", &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_TRUE(zk_wait_now_ms() - t0 < 2000);
    res_free(&r);
    REQUIRE_TRUE(get(in->base, "/v1/apps", &r) == 0); /* a read through ZooKeeper too */
    CU_ASSERT_EQUAL(r.status, 200);
    res_free(&r);
    close(fd);
}

/* A standby (the test holds the election) answers every read from
 * ZooKeeper: applications, tasks, deployments, transactions, the leader
 * the election names; its metrics say it does not lead. */
static void test_standby_reads(void)
{
    const char *root = "/api-read";
    zk_session *s = NULL;
    zk_user *u = NULL;
    instance a = {0};
    http_res r = {0};
    char *out = NULL;
    sched_error err;
    const char *file = write_temp(APPS);
    const char *submit[] = {"submit", file, NULL};
    if (!file || test_opcmd_run(server.servers, root, &out, &err, submit) != HDRF_OK ||
        zk_wait_connect(server.servers, "", 5000, WAIT_MS, &s, NULL) != HDRF_OK ||
        zk_user_new(s, NULL, NULL, &u, NULL) != HDRF_OK ||
        write_state(s, root, state_docs, sizeof state_docs / sizeof state_docs[0]) != 0 ||
        hold_election(s, u, root, "tester:1 http://leader.example:9999") != 0 ||
        spawn(&a, "api-standby", root, NULL, NULL) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    check_apps(a.base);
    check_errors(a.base);
    check_slow_client(&a);

    REQUIRE_TRUE(get(a.base, "/v1/leader", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "leader.instance"), "tester:1");
    ASSERT_STR(str_at(&r, "leader.api"), "http://leader.example:9999");
    ASSERT_STR(str_at(&r, "leader.member"), "member-0000000000000000-0000000000");
    ASSERT_STR(str_at(&r, "framework_id"), "fw-1");
    CU_ASSERT_TRUE(json_is_false(at(&r, "this.leading")));
    ASSERT_STR(str_at(&r, "this.api"), a.base);
    res_free(&r);

    /* a write on a standby: 307 to the leader the election names */
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps", APPS, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 307);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.headers, "Location: http://leader.example:9999/v1/apps\r\n"));
    res_free(&r);
    {
        char url[160];
        snprintf(url, sizeof url, "%s/v1/apps/web?force=true", a.base);
        REQUIRE_TRUE(http_call("DELETE", url, NULL, &r) == 0);
        CU_ASSERT_EQUAL(r.status, 307);
        CU_ASSERT_PTR_NOT_NULL(
            strstr(r.headers, "Location: http://leader.example:9999/v1/apps/web?force=true\r\n"));
        res_free(&r);
    }
    /* the leader publishes no API: 503, and when to try again */
    {
        zk_wait_call d = {0};
        char member[128];
        snprintf(member, sizeof member, "%s/leader/member-0000000000000000-0000000000", root);
        CU_ASSERT_TRUE(zk_set(u, member, "tester:1", 8, -1, zk_wait_done, &d) == HDRF_OK &&
                       zk_wait_flag(s, &d.done, WAIT_MS) && d.rc == ZOK);
    }
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps/web/scale", "{\"instances\": 1}", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 503);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.headers, "Retry-After: 1\r\n"));
    ASSERT_STR(str_at(&r, "error"), "no leader is known (or it serves no API); try again");
    res_free(&r);

    REQUIRE_TRUE(get(a.base, "/health", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "status"), "ok");
    CU_ASSERT_TRUE(json_is_false(at(&r, "leading")));
    res_free(&r);

    REQUIRE_TRUE(get(a.base, "/metrics", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.headers, "Content-Type: text/plain; version=0.0.4"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nhdrf_sched_leader 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nhdrf_sched_zookeeper_connected 1\n"));
    CU_ASSERT_PTR_NULL(strstr(r.body, "hdrf_sched_offers_received_total")); /* the leader's */
    res_free(&r);
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
    free(out);
    zk_user_free(u);
    if (s)
        zk_session_free(s);
}

static const char *credentials_file(void)
{
    return write_temp("# operators\nbasic alice:s3cret\n\nbearer tok-123\n");
}

/* A lone instance leads; with --http_credentials every route asks for
 * them: none, a wrong password or token get 401; Basic and bearer pass. */
static void test_leader_with_auth(void)
{
    const char *root = "/api-auth";
    instance a = {0};
    http_res r = {0};
    char flag[PATH_MAX + 32], url[160], pid[32];
    const char *creds = credentials_file();
    const char *extra[] = {flag, NULL};
    /* "alice:s3cret" in base64 (RFC 4648: "ali" -> YWxp, "ce:" -> Y2U6, "s3c" -> czNj,
     * "ret" -> cmV0) */
    http_opts basic = {.auth = "Basic YWxpY2U6czNjcmV0"};
    http_opts wrong = {.auth = "Basic YWxpY2U6czNjcmV1"}; /* alice:s3creu */
    http_opts bearer = {.auth = "Bearer tok-123"};
    http_opts bad_bearer = {.auth = "Bearer tok-124"};
    REQUIRE(creds);
    snprintf(flag, sizeof flag, "--http_credentials=%s", creds);
    if (spawn(&a, "api-auth", root, extra, &basic) != 0) {
        CU_FAIL("spawn");
        goto out;
    }
    snprintf(url, sizeof url, "%s/v1/leader", a.base);
    REQUIRE_TRUE(http_call("GET", url, NULL, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 401);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.headers, "WWW-Authenticate: Basic realm=\"hdrf-scheduler\""));
    ASSERT_STR(str_at(&r, "error"),
               "authentication required: HTTP Basic or a bearer token (--http_credentials)");
    res_free(&r);
    REQUIRE_TRUE(http_call("GET", url, &wrong, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 401);
    res_free(&r);
    REQUIRE_TRUE(http_call("GET", url, &bad_bearer, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 401);
    res_free(&r);
    REQUIRE_TRUE(http_call("GET", url, &bearer, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    res_free(&r);
    /* it leads (alone): the election names it, with its API */
    CU_ASSERT_TRUE(wait_leading(&a, &basic));
    REQUIRE_TRUE(http_call("GET", url, &basic, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_TRUE(json_is_true(at(&r, "this.leading")));
    CU_ASSERT_TRUE(json_is_false(at(&r, "this.subscribed"))); /* the master refuses */
    ASSERT_STR(str_at(&r, "leader.api"), a.base);
    snprintf(pid, sizeof pid, ":%d", (int)a.pid);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(str_at(&r, "leader.instance") ? str_at(&r, "leader.instance") : "", pid));
    CU_ASSERT_TRUE(json_is_null(at(&r, "framework_id"))); /* never subscribed */
    res_free(&r);
    /* the leader's metrics: the orchestrator's counters too */
    snprintf(url, sizeof url, "%s/metrics", a.base);
    REQUIRE_TRUE(http_call("GET", url, &bearer, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nhdrf_sched_leader 1\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nhdrf_sched_subscribed 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "hdrf_sched_offers_received_total 0\n"));
    res_free(&r);
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
}

/* HTTPS with a certificate the test makes (openssl, for 127.0.0.1): the
 * client that trusts it gets answers; plain HTTP to the port gets none. */
static void test_tls(void)
{
    const char *root = "/api-tls";
    instance a = {0};
    http_res r = {0};
    char cert[PATH_MAX + 32], key[PATH_MAX + 32], cmd[3 * PATH_MAX], cert_flag[PATH_MAX + 48],
        key_flag[PATH_MAX + 48], url[160];
    const char *extra[] = {cert_flag, key_flag, NULL};
    http_opts trust = {.cainfo = cert};
    snprintf(cert, sizeof cert, "%s/api-cert.pem", server.dir);
    snprintf(key, sizeof key, "%s/api-key.pem", server.dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s >/dev/null 2>&1",
             key, cert);
    if (system(cmd) != 0) {
        /* no openssl: the certificate cannot be made here; say so */
        fprintf(stderr, "\n  test_tls: openssl could not make a certificate: not tested");
        CU_PASS("TLS not tested: no openssl");
        return;
    }
    snprintf(cert_flag, sizeof cert_flag, "--http_tls_cert=%s", cert);
    snprintf(key_flag, sizeof key_flag, "--http_tls_key=%s", key);
    if (spawn(&a, "api-tls", root, extra, &trust) != 0) {
        CU_FAIL("spawn");
        goto out;
    }
    CU_ASSERT_EQUAL(strncmp(a.base, "https://", 8), 0);
    snprintf(url, sizeof url, "%s/v1/leader", a.base);
    REQUIRE_TRUE(http_call("GET", url, &trust, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(strncmp(str_at(&r, "this.api") ? str_at(&r, "this.api") : "", "https://", 8),
                    0);
    res_free(&r);
    /* without trusting the certificate: refused by the client */
    CU_ASSERT_EQUAL(http_call("GET", url, NULL, &r), -1);
    res_free(&r);
    /* plain HTTP to the TLS port: no HTTP answer */
    snprintf(url, sizeof url, "http://%s/health", a.base + 8);
    http_call("GET", url, NULL, &r);
    CU_ASSERT_NOT_EQUAL(r.status, 200);
    res_free(&r);
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
}

/* ---- writes ----------------------------------------------------------------------- */

/* The leader writes the desired state as the CLI does, durably before it
 * answers: the document is in ZooKeeper when the 2xx comes. */
static void test_leader_writes(void)
{
    const char *root = "/api-write";
    instance a = {0};
    http_res r = {0};
    zk_session *s = NULL;
    json_t *doc;
    if (zk_wait_connect(server.servers, "", 5000, WAIT_MS, &s, NULL) != HDRF_OK ||
        spawn(&a, "api-write", root, NULL, NULL) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    /* wait until it leads: writes are the leader's */
    CU_ASSERT_TRUE(wait_leading(&a, NULL));
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps", APPS, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "apps.0.message"), "web: submitted, 3 instance(s)");
    ASSERT_STR(str_at(&r, "apps.1.message"), "batch: submitted, 1 instance(s)");
    res_free(&r);
    CU_ASSERT_EQUAL(desired_instances(s, root, "web"), 3);
    CU_ASSERT_EQUAL(desired_instances(s, root, "batch"), 1);

    /* one bad application: 400 naming the field and value; nothing written */
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps",
                           "{\"apps\": [{\"id\": \"ok\", \"command\": \"x\", \"resources\": "
                           "\"cpus:1\"}, {\"id\": \"bad\", \"instances\": -1, \"command\": \"x\", "
                           "\"resources\": \"cpus:1\"}]}",
                           &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);
    ASSERT_STR(str_at(&r, "error"), "apps[1].instances: -1: must be an integer >= 0");
    ASSERT_STR(str_at(&r, "field"), "apps[1].instances");
    CU_ASSERT_EQUAL(int_at(&r, "value"), -1);
    res_free(&r);
    CU_ASSERT_PTR_NULL(doc = desired_doc(s, root, "ok"));
    json_decref(doc);
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps", "{\"apps\": [", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);
    CU_ASSERT_EQUAL(strncmp(str_at(&r, "error") ? str_at(&r, "error") : "", "body: line 1,", 13),
                    0);
    res_free(&r);

    /* PUT: one application, its id the path's */
    REQUIRE_TRUE(send_json("PUT", a.base, "/v1/apps/web",
                           "{\"instances\": 4, \"resources\": \"cpus:0.5;mem:64\", \"command\": "
                           "\"./server\"}",
                           &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "apps.0.message"), "web: updated, 4 instance(s)");
    res_free(&r);
    CU_ASSERT_EQUAL(desired_instances(s, root, "web"), 4);
    REQUIRE_TRUE(send_json("PUT", a.base, "/v1/apps/web",
                           "{\"id\": \"other\", \"resources\": \"cpus:1\", \"command\": \"x\"}",
                           &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);
    ASSERT_STR(str_at(&r, "error"), "id: \"other\": must be the path's, \"web\"");
    ASSERT_STR(str_at(&r, "field"), "id");
    ASSERT_STR(str_at(&r, "value"), "other");
    res_free(&r);

    /* scale */
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps/web/scale", "{\"instances\": 5}", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ASSERT_STR(str_at(&r, "apps.0.message"), "web: scaled from 4 to 5 instance(s)");
    res_free(&r);
    CU_ASSERT_EQUAL(desired_instances(s, root, "web"), 5);
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps/web/scale", "{\"instances\": -2}", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);
    ASSERT_STR(str_at(&r, "error"), "instances: -2: must be an integer from 0 to 100000");
    ASSERT_STR(str_at(&r, "field"), "instances");
    CU_ASSERT_EQUAL(int_at(&r, "value"), -2);
    res_free(&r);
    REQUIRE_TRUE(send_json("POST", a.base, "/v1/apps/nope/scale", "{\"instances\": 1}", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    ASSERT_STR(str_at(&r, "error"), "nope: no such application");
    res_free(&r);

    /* delete: accepted (202); the document says deleted at once */
    {
        char url[160];
        snprintf(url, sizeof url, "%s/v1/apps/batch", a.base);
        REQUIRE_TRUE(http_call("DELETE", url, NULL, &r) == 0);
        CU_ASSERT_EQUAL(r.status, 202);
        ASSERT_STR(str_at(&r, "apps.0.message"), "batch: deleting (its tasks are killed)");
        res_free(&r);
        snprintf(url, sizeof url, "%s/v1/apps/nope", a.base);
        REQUIRE_TRUE(http_call("DELETE", url, NULL, &r) == 0);
        CU_ASSERT_EQUAL(r.status, 404);
        res_free(&r);
        /* routes of the issue that need the orchestrator's own operations */
        snprintf(url, sizeof url, "%s/v1/apps/web/restart", a.base);
        REQUIRE_TRUE(http_call("POST", url, NULL, &r) == 0);
        CU_ASSERT_EQUAL(r.status, 501);
        ASSERT_STR(str_at(&r, "error"), "POST /v1/apps/web/restart: not implemented yet");
        res_free(&r);
    }
    /* what was written reads back through the API */
    REQUIRE_TRUE(get(a.base, "/v1/apps/web", &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(int_at(&r, "instances"), 5);
    res_free(&r);
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    finish_instance(&a);
    if (s)
        zk_session_free(s);
}

/* ---- the CLI through --api --------------------------------------------------------- */

/* An operator command with --api=<base> and no --zk, in-process. */
static int api_cmd(const char *base, char **out, sched_error *err, const char *const *args)
{
    char api[192];
    snprintf(api, sizeof api, "--api=%s", base);
    return test_opcmd_run_with(api, out, err, args);
}

/* `list` through ZooKeeper, until it shows `text`. */
static char *zk_list_once(const char *root, const char *text)
{
    const char *list[] = {"list", NULL};
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    for (;;) {
        char *out = NULL;
        sched_error err;
        if (test_opcmd_run(server.servers, root, &out, &err, list) == HDRF_OK && out &&
            strstr(out, text))
            return out;
        free(out);
        if (zk_wait_now_ms() > deadline)
            return NULL;
        child_sleep_ms(50);
    }
}

/* The operator commands with --api instead of --zk: the same lines as
 * through ZooKeeper, the same refusals; a standby's 307 is followed to
 * the leader. */
static void test_cli_through_api(void)
{
    const char *root = "/api-cli";
    instance a = {0}, b = {0};
    char *out = NULL, *zk_out = NULL;
    sched_error err;
    const char *file = write_temp(APPS);
    const char *submit[] = {"submit", file, NULL};
    const char *scale[] = {"scale", "web", "5", NULL};
    const char *scale_bad[] = {"scale", "web", "-1", NULL};
    const char *scale_back[] = {"scale", "web", "2", NULL};
    const char *del[] = {"delete", "nope", NULL};
    const char *list[] = {"list", NULL};
    const char *status[] = {"status", "web", NULL};
    if (!file || spawn(&a, "api-cli-a", root, NULL, NULL) != 0 || !wait_leading(&a, NULL) ||
        spawn(&b, "api-cli-b", root, NULL, NULL) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    CU_ASSERT_EQUAL(api_cmd(a.base, &out, &err, submit), HDRF_OK);
    ASSERT_STR(out, "web: submitted, 3 instance(s)\nbatch: submitted, 1 instance(s)\n");
    free(out);
    CU_ASSERT_EQUAL(api_cmd(a.base, &out, &err, scale), HDRF_OK);
    ASSERT_STR(out, "web: scaled from 3 to 5 instance(s)\n");
    free(out);
    /* refusals: the CLI's own, and the server's */
    CU_ASSERT_EQUAL(api_cmd(a.base, &out, &err, scale_bad), HDRF_EINVAL);
    ASSERT_STR(err.text, "scale web -1: instances must be an integer from 0 to 100000");
    free(out);
    CU_ASSERT_EQUAL(api_cmd(a.base, &out, &err, del), HDRF_ENOTFOUND);
    ASSERT_STR(err.text, "nope: no such application");
    free(out);
    /* through the standby: 307 to the leader, followed */
    CU_ASSERT_EQUAL(api_cmd(b.base, &out, &err, scale_back), HDRF_OK);
    ASSERT_STR(out, "web: scaled from 5 to 2 instance(s)\n");
    free(out);
    /* list: the same table as through ZooKeeper, once the leader has the apps */
    REQUIRE(zk_out = zk_list_once(root, "2       0     0  deploying"));
    CU_ASSERT_EQUAL(api_cmd(b.base, &out, &err, list), HDRF_OK);
    ASSERT_STR(out, zk_out);
    free(out);
    free(zk_out);
    /* status web: ZooKeeper's lines but the version (the API does not show it) */
    CU_ASSERT_EQUAL(api_cmd(a.base, &out, &err, status), HDRF_OK);
    if (test_opcmd_run(server.servers, root, &zk_out, &err, status) == HDRF_OK && zk_out) {
        char *version = strstr(zk_out, "version: "), *end = version ? strchr(version, '\n') : NULL;
        if (end)
            memmove(version, end + 1, strlen(end + 1) + 1);
        CU_ASSERT_PTR_NOT_NULL(end);
        ASSERT_STR(out, zk_out);
    } else {
        CU_FAIL("status through ZooKeeper");
    }
    free(zk_out);
    zk_out = NULL;
    CU_ASSERT_EQUAL(stop_instance(&b), 0);
    CU_ASSERT_EQUAL(stop_instance(&a), 0);
out:
    if (CU_get_number_of_failures() > 0) {
        dump_log(&a);
        dump_log(&b);
        if (out)
            fprintf(stderr, "\n---- out\n%s", out);
    }
    free(out);
    stop_instance(&a);
    stop_instance(&b);
}

/* ---- events ------------------------------------------------------------------------ */

typedef struct sse_reader {
    char url[160];
    pthread_mutex_t lock;
    char *text; /* what came so far */
    size_t len;
    long status;
} sse_reader;

static size_t sse_data(char *data, size_t size, size_t n, void *arg)
{
    sse_reader *s = arg;
    char *grown;
    pthread_mutex_lock(&s->lock);
    if ((grown = realloc(s->text, s->len + size * n + 1))) {
        s->text = grown;
        memcpy(s->text + s->len, data, size * n);
        s->len += size * n;
        s->text[s->len] = '\0';
    }
    pthread_mutex_unlock(&s->lock);
    return grown ? size * n : 0;
}

/* Reads the stream until the server ends it (or 20 s). */
static void *sse_read(void *arg)
{
    sse_reader *s = arg;
    CURL *c = curl_easy_init();
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, s->url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sse_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
        curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &s->status);
        curl_easy_cleanup(c);
    }
    return NULL;
}

static bool sse_has(sse_reader *s, const char *text)
{
    long long deadline = zk_wait_now_ms() + WAIT_MS;
    for (;;) {
        bool found;
        pthread_mutex_lock(&s->lock);
        found = s->text && strstr(s->text, text);
        pthread_mutex_unlock(&s->lock);
        if (found || zk_wait_now_ms() > deadline) {
            if (!found)
                fprintf(stderr, "\n  no %s in the stream", text);
            return found;
        }
        child_sleep_ms(20);
    }
}

/* GET /v1/events on a standby; the test then lets it lead (it frees the
 * election): the stream tells the leadership, the subscription and the
 * recorded status updates of task hello-1 (STARTING, RUNNING, ...), as
 * server-sent events. */
static void test_events(void)
{
    const char *root = "/api-events";
    http_stub *stub = stub_start();
    zk_session *s = NULL;
    zk_user *u = NULL;
    instance a = {0};
    sse_reader reader = {.lock = PTHREAD_MUTEX_INITIALIZER};
    pthread_t thread;
    bool reading = false;
    char master[64], member[128];
    const char *extra[] = {master, "--role=eng", NULL};
    zk_wait_call d = {0};
    char *out = NULL;
    sched_error err;
    /* one instance of the recorded offer's size class: launched on it */
    const char *file = write_temp("{\"id\": \"hello\", \"role\": \"eng\", \"resources\": "
                                  "\"cpus:0.5;mem:64\", \"command\": \"sleep 1\"}");
    const char *submit[] = {"submit", file, NULL};
    REQUIRE(stub);
    snprintf(master, sizeof master, "--master=127.0.0.1:%u", (unsigned)stub_port(stub));
    if (!file || test_opcmd_run(server.servers, root, &out, &err, submit) != HDRF_OK ||
        session_push_subscription(stub, 6) != 0 ||
        zk_wait_connect(server.servers, "", 5000, WAIT_MS, &s, NULL) != HDRF_OK ||
        zk_user_new(s, NULL, NULL, &u, NULL) != HDRF_OK ||
        hold_election(s, u, root, "tester:1") != 0 ||
        spawn(&a, "api-events", root, extra, NULL) != 0) {
        CU_FAIL("setup");
        goto out;
    }
    snprintf(reader.url, sizeof reader.url, "%s/v1/events", a.base);
    REQUIRE_TRUE(pthread_create(&thread, NULL, sse_read, &reader) == 0);
    reading = true;
    CU_ASSERT_TRUE(sse_has(&reader, "retry: 2000\n\nevent: hello\ndata: {"));
    CU_ASSERT_TRUE(sse_has(&reader, "\"leading\":false}\n\n"));
    /* let it lead */
    snprintf(member, sizeof member, "%s/leader/member-0000000000000000-0000000000", root);
    CU_ASSERT_TRUE(zk_delete(u, member, -1, zk_wait_done, &d) == HDRF_OK &&
                   zk_wait_flag(s, &d.done, WAIT_MS) && d.rc == ZOK);
    CU_ASSERT_TRUE(sse_has(&reader, "event: leader\ndata: {\"instance\":\""));
    CU_ASSERT_TRUE(sse_has(&reader, "\"leading\":true,\"epoch\":1,\"api\":\"http://127.0.0.1:"));
    CU_ASSERT_TRUE(sse_has(
        &reader, "event: subscribed\ndata: {\"framework_id\":\"" SESSION_FRAMEWORK "\"}\n\n"));
    CU_ASSERT_TRUE(sse_has(&reader,
                           "event: status_update\ndata: {\"task_id\":\"hello-1\","
                           "\"state\":\"TASK_RUNNING\",\"agent_id\":\"" AGENT_ID "\"}\n\n"));
    CU_ASSERT_TRUE(sse_has(&reader, "\"state\":\"TASK_FINISHED\",\"agent_id\":\"" AGENT_ID
                                    "\",\"message\":\"Command exited with status 0\"}\n\n"));
    /* the application's deployment: given to the orchestrator, its launch pending */
    CU_ASSERT_TRUE(sse_has(&reader, "event: deployment\ndata: {\"app\":\"hello\",\"action\":"
                                    "\"submit\",\"result\":\"started\"}\n\n"));
    CU_ASSERT_TRUE(sse_has(&reader, "event: transaction\ndata: {\"id\":\"txn-000000\",\"app\":"
                                    "\"hello\",\"kind\":\"launch\",\"status\":\"pending\","
                                    "\"target\":1}\n\n"));
    CU_ASSERT_EQUAL(stop_instance(&a), 0); /* ends the stream */
    pthread_join(thread, NULL);
    reading = false;
    CU_ASSERT_EQUAL(reader.status, 200);
out:
    if (CU_get_number_of_failures() > 0) {
        dump_log(&a);
        if (reader.text)
            fprintf(stderr, "\n---- the stream\n%s", reader.text);
    }
    stop_instance(&a);
    if (reading)
        pthread_join(thread, NULL);
    free(reader.text);
    free(out);
    zk_user_free(u);
    if (s)
        zk_session_free(s);
    stub_stop(stub);
}

/* The credentials file in-process: its refusals, and the check. */
static void test_credentials(void)
{
    api_auth *a = NULL;
    sched_error err;
    const char *bad = write_temp("basic alice:pw\nsecret-without-kind\n"), *no_colon, *empty;
    char want[PATH_MAX + 160];
    REQUIRE(bad);
    snprintf(want, sizeof want,
             "--http_credentials=%s: line 2: expected `basic USER:PASSWORD` or `bearer TOKEN`",
             bad);
    CU_ASSERT_EQUAL(api_auth_load(bad, &a, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, want);
    /* each file written just before it is read: write_temp() reuses its buffer */
    CU_ASSERT_EQUAL(api_auth_load("/nonexistent/creds", &a, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "--http_credentials=/nonexistent/creds: no such file");
    REQUIRE(no_colon = write_temp("basic alice\n"));
    CU_ASSERT_EQUAL(api_auth_load(no_colon, &a, &err), HDRF_EINVAL);
    snprintf(want, sizeof want, "--http_credentials=%s: line 1: expected USER:PASSWORD after basic",
             no_colon);
    ASSERT_STR(err.text, want);
    REQUIRE(empty = write_temp("# nothing\n\n"));
    CU_ASSERT_EQUAL(api_auth_load(empty, &a, &err), HDRF_EINVAL);
    snprintf(want, sizeof want,
             "--http_credentials=%s: no credential in it (expected lines `basic USER:PASSWORD` "
             "or `bearer TOKEN`)",
             empty);
    ASSERT_STR(err.text, want);
    REQUIRE_TRUE(api_auth_load(credentials_file(), &a, &err) == HDRF_OK);
    CU_ASSERT_TRUE(api_auth_check(a, "Basic YWxpY2U6czNjcmV0"));  /* alice:s3cret */
    CU_ASSERT_TRUE(api_auth_check(a, "basic YWxpY2U6czNjcmV0"));  /* the scheme in any case */
    CU_ASSERT_FALSE(api_auth_check(a, "Basic YWxpY2U6czNjcmU=")); /* alice:s3cre */
    CU_ASSERT_FALSE(api_auth_check(a, "Basic !!!"));              /* not base64 */
    CU_ASSERT_TRUE(api_auth_check(a, "Bearer tok-123"));
    CU_ASSERT_FALSE(api_auth_check(a, "Bearer tok-1234"));
    CU_ASSERT_FALSE(api_auth_check(a, "Bearer alice:s3cret")); /* a Basic secret as a token */
    CU_ASSERT_FALSE(api_auth_check(a, "Digest x"));
    CU_ASSERT_FALSE(api_auth_check(a, NULL));
    api_auth_free(a);
}

int suite_sched_api(void)
{
    static const test_case cases[] = {
        {"credentials: the file's refusals, the check", test_credentials},
        {"a standby answers every read from ZooKeeper; errors", test_standby_reads},
        {"the leader, behind Basic and bearer credentials", test_leader_with_auth},
        {"HTTPS with a certificate made by the test", test_tls},
        {"the leader's writes: durable before 2xx, the CLI's refusals", test_leader_writes},
        {"GET /v1/events: leadership, subscription, status updates", test_events},
        {"the CLI through --api: the same lines, a standby's 307 followed", test_cli_through_api},
        {NULL, NULL},
    };
    return test_add_suite_with("sched_api", suite_start, suite_stop, cases);
}
