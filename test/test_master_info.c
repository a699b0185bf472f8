/* test_master_info.c: finding the leading master, and reading HTTP headers.
 *
 * Owns the proof that scheduler/master_info.c and scheduler/http_header.c
 * read what a real Mesos 1.11.0 deployment produces: the leading master's
 * ZooKeeper node (json.info_0000000001.json), the 307 a non-leading master
 * answers (redirect.headers), the SUBSCRIBE response headers
 * (sub-json.headers) and a 400 (badreq.*), all copied from the shared
 * fixtures. Expected addresses are read off those files: the node's pid is
 * master@127.0.0.1:5050 (Mesos's scheduler library connects to the pid's
 * address, at /master/api/v1/scheduler), the redirect says
 * //localhost:5050/master/api/v1/scheduler. Variants of the node are made
 * from the fixture by removing fields, so the fallbacks are tested on real
 * data; bad --master flags fail with messages that say what is accepted. */
#include "test/test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/http_header.h"
#include "scheduler/master_info.h"
#include "scheduler/wire.h"

#define LEADER_ID "ea52ead8-3734-4ad2-a67a-a5cff37e3679"

static void check_message(const sched_error *err, const char *want)
{
    CU_ASSERT_STRING_EQUAL(err->text, want);
    if (strcmp(err->text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err->text, want);
}

/* ---- the ZooKeeper node ---------------------------------------------------------- */

static void test_leader_node_fixture(void)
{
    char *json = NULL, url[512];
    long len = test_read_file(test_data_path("json.info_0000000001.json"), &json);
    master_info mi;
    sched_error err;
    CU_ASSERT_FATAL(len > 0);
    CU_ASSERT_EQUAL(master_info_parse(json, (size_t)len, &mi, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(mi.id, LEADER_ID);
    CU_ASSERT_STRING_EQUAL(mi.addr.host, "127.0.0.1");
    CU_ASSERT_EQUAL(mi.addr.port, 5050);
    CU_ASSERT_STRING_EQUAL(mi.addr.path, "/master/api/v1/scheduler");
    CU_ASSERT_STRING_EQUAL(mi.hostname, "localhost");
    CU_ASSERT_STRING_EQUAL(mi.version, "1.11.0");
    CU_ASSERT_EQUAL(master_info_url(&mi.addr, url, sizeof url), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(url, "http://127.0.0.1:5050/master/api/v1/scheduler");
    CU_ASSERT_EQUAL(master_info_url(&mi.addr, url, 10), HDRF_EINVAL);
    free(json);
}

/* Parses the fixture node after `edit` changed it. */
static int parse_edited(void (*edit)(json_t *), master_info *mi, sched_error *err)
{
    char *text = NULL, *edited = NULL;
    json_t *doc;
    int status = HDRF_ENOMEM;
    if (test_read_file(test_data_path("json.info_0000000001.json"), &text) < 0)
        return HDRF_ENOTFOUND;
    doc = json_loads(text, 0, NULL);
    if (doc) {
        edit(doc);
        edited = json_dumps(doc, JSON_COMPACT);
    }
    if (edited)
        status = master_info_parse(edited, strlen(edited), mi, err);
    free(edited);
    json_decref(doc);
    free(text);
    return status;
}

static void drop_pid(json_t *d) { json_object_del(d, "pid"); }

static void drop_pid_and_address(json_t *d)
{
    json_object_del(d, "pid");
    json_object_del(d, "address");
}

static void other_pid(json_t *d)
{
    json_object_set_new(d, "pid", json_string("master2@10.0.0.5:5051"));
}

static void bad_pid(json_t *d) { json_object_set_new(d, "pid", json_string("10.0.0.5:5051")); }

static void drop_id(json_t *d) { json_object_del(d, "id"); }

static void zero_port(json_t *d)
{
    drop_pid_and_address(d);
    json_object_set_new(d, "port", json_integer(0));
}

static void test_leader_node_fallbacks(void)
{
    master_info mi;
    sched_error err;
    /* no pid: the address object (ip 127.0.0.1, port 5050) */
    CU_ASSERT_EQUAL(parse_edited(drop_pid, &mi, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(mi.addr.host, "127.0.0.1");
    CU_ASSERT_EQUAL(mi.addr.port, 5050);
    CU_ASSERT_STRING_EQUAL(mi.addr.path, "/master/api/v1/scheduler");
    /* neither: the legacy ip 16777343, i.e. bytes 127,0,0,1 in network order */
    CU_ASSERT_EQUAL(parse_edited(drop_pid_and_address, &mi, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(mi.addr.host, "127.0.0.1");
    CU_ASSERT_EQUAL(mi.addr.port, 5050);
    /* the pid names the process: its id is the API's first path component */
    CU_ASSERT_EQUAL(parse_edited(other_pid, &mi, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(mi.addr.host, "10.0.0.5");
    CU_ASSERT_EQUAL(mi.addr.port, 5051);
    CU_ASSERT_STRING_EQUAL(mi.addr.path, "/master2/api/v1/scheduler");
}

static void evil_address(json_t *d)
{
    json_object_del(d, "pid");
    json_object_set_new(json_object_get(d, "address"), "ip", json_string("evil.com/x?"));
}

static void empty_address(json_t *d)
{
    json_object_del(d, "pid");
    json_object_set_new(json_object_get(d, "address"), "ip", json_string(""));
}

static void evil_pid_name(json_t *d)
{
    json_object_set_new(d, "pid", json_string("x/../admin?@10.0.0.5:5051"));
}

static void test_leader_node_errors(void)
{
    master_info mi;
    sched_error err;
    CU_ASSERT_EQUAL(parse_edited(bad_pid, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: pid '10.0.0.5:5051': expected name@host:port");
    CU_ASSERT_EQUAL(parse_edited(drop_id, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: id: missing, and required");
    CU_ASSERT_EQUAL(parse_edited(zero_port, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: port 0: must be from 1 to 65535");
    /* what becomes the URL's authority or path is an address, a name, a path */
    CU_ASSERT_EQUAL(parse_edited(evil_address, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: address 'evil.com/x?': the host may hold only letters, "
                        "digits, '-', '.' and '_' (or an IPv6 address in brackets)");
    CU_ASSERT_EQUAL(parse_edited(empty_address, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: address '': no host before the port");
    CU_ASSERT_EQUAL(parse_edited(evil_pid_name, &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: pid 'x/../admin?@10.0.0.5:5051': the process name may hold "
                        "only letters, digits and -_.()");
    CU_ASSERT_EQUAL(master_info_parse("{\"id\":", 6, &mi, &err), HDRF_EINVAL);
    CU_ASSERT(strncmp(err.text, "master info: not JSON: line 1, column 6: ", 41) == 0);
    static const char ip_as_text[] = "{\"id\":\"x\",\"ip\":\"127.0.0.1\",\"port\":5050}";
    CU_ASSERT_EQUAL(master_info_parse(ip_as_text, strlen(ip_as_text), &mi, &err), HDRF_EINVAL);
    check_message(&err, "master info: ip: \"127.0.0.1\": expected an integer from 0 to 4294967295");
}

/* ---- choosing the leader among the children ------------------------------------------ */

static void test_leader_choice(void)
{
    /* what `ls /mesos` shows with three masters and the replicated log */
    static const char *const children[] = {"log_replicas", "json.info_0000000003",
                                           "json.info_0000000001", "info_0000000000",
                                           "json.info_0000000002"};
    static const char *const strays[] = {"log_replicas", "json.info_", "json.info_12a",
                                         "json.info"};
    size_t index = 99;
    sched_error err;
    CU_ASSERT_EQUAL(master_info_leader(children, 5, &index, &err), HDRF_OK);
    CU_ASSERT_EQUAL(index, 2);
    CU_ASSERT_EQUAL(master_info_leader(children, 2, &index, &err), HDRF_OK);
    CU_ASSERT_EQUAL(index, 1);
    CU_ASSERT_EQUAL(master_info_leader(strays, 4, &index, &err), HDRF_ENOTFOUND);
    check_message(&err, "no master: none of the 4 nodes is a json.info_<sequence> node");
    CU_ASSERT_EQUAL(master_info_leader(NULL, 0, &index, &err), HDRF_ENOTFOUND);
}

/* ---- the --master flag ----------------------------------------------------------------- */

static void test_specs(void)
{
    master_spec s;
    sched_error err;
    char url[512];
    CU_ASSERT_EQUAL(master_info_parse_spec("zk://127.0.0.1:2181/mesos", &s, &err), HDRF_OK);
    CU_ASSERT_EQUAL(s.kind, MASTER_SPEC_ZK);
    CU_ASSERT_STRING_EQUAL(s.zk_servers, "127.0.0.1:2181");
    CU_ASSERT_STRING_EQUAL(s.zk_path, "/mesos");
    CU_ASSERT_STRING_EQUAL(s.zk_auth, "");
    CU_ASSERT_EQUAL(master_info_parse_spec("zk://ops:s3@cret@zk1:2181,zk2.example.com:2182,"
                                           "[fd00::1]:2183/mesos/prod",
                                           &s, &err),
                    HDRF_OK);
    CU_ASSERT_STRING_EQUAL(s.zk_auth, "ops:s3@cret");
    CU_ASSERT_STRING_EQUAL(s.zk_servers, "zk1:2181,zk2.example.com:2182,[fd00::1]:2183");
    CU_ASSERT_STRING_EQUAL(s.zk_path, "/mesos/prod");
    CU_ASSERT_EQUAL(master_info_parse_spec("localhost:5050", &s, &err), HDRF_OK);
    CU_ASSERT_EQUAL(s.kind, MASTER_SPEC_HOST);
    CU_ASSERT_STRING_EQUAL(s.addr.host, "localhost");
    CU_ASSERT_EQUAL(s.addr.port, 5050);
    CU_ASSERT_STRING_EQUAL(s.addr.path, "/master/api/v1/scheduler");
    CU_ASSERT_EQUAL(master_info_parse_spec("[::1]:5050", &s, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(s.addr.host, "::1");
    CU_ASSERT_EQUAL(master_info_url(&s.addr, url, sizeof url), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(url, "http://[::1]:5050/master/api/v1/scheduler");
}

typedef struct bad_spec {
    const char *spec;
    const char *want;
} bad_spec;

#define ACCEPTED "; expected host:port or zk://host:port[,host:port...]/path"

static const bad_spec bad_specs[] = {
    {"localhost", "master 'localhost': no port" ACCEPTED},
    {"localhost:", "master 'localhost:': no port after ':'" ACCEPTED},
    {":5050", "master ':5050': no host before the port" ACCEPTED},
    {"localhost:0", "master 'localhost:0': the port must be a number from 1 to 65535" ACCEPTED},
    {"localhost:65536",
     "master 'localhost:65536': the port must be a number from 1 to 65535" ACCEPTED},
    {"localhost:50x", "master 'localhost:50x': the port must be a number from 1 to 65535" ACCEPTED},
    {"::1:5050", "master '::1:5050': more than one ':' (an IPv6 address goes in brackets: "
                 "[::1]:5050)" ACCEPTED},
    {"[::1:5050", "master '[::1:5050': an IPv6 address needs its closing ']'" ACCEPTED},
    {"my host:5050", "master 'my host:5050': the host may hold only letters, digits, '-', '.' "
                     "and '_' (or an IPv6 address in brackets)" ACCEPTED},
    {"", "master '': empty" ACCEPTED},
    {"evil.com/x?:5050", "master 'evil.com/x?:5050': the host may hold only letters, digits, "
                         "'-', '.' and '_' (or an IPv6 address in brackets)" ACCEPTED},
    {"256.0.0.1:5050", "master '256.0.0.1:5050': not an IPv4 address" ACCEPTED},
    {"10.0.0:5050", "master '10.0.0:5050': not an IPv4 address" ACCEPTED},
    {"[fd00::g]:5050", "master '[fd00::g]:5050': not an IPv6 address" ACCEPTED},
    {"[10.0.0.1]:5050", "master '[10.0.0.1]:5050': not an IPv6 address" ACCEPTED},
    {"-m1:5050",
     "master '-m1:5050': a label of the host name must not begin or end with '-'" ACCEPTED},
    {"m1..example:5050", "master 'm1..example:5050': the host name needs labels of 1 to 63 "
                         "characters between its dots" ACCEPTED},
    {"http://m1:5050", "master 'http://m1:5050': unsupported scheme" ACCEPTED},
    {"zk://zk1:2181", "master 'zk://zk1:2181': no path after the servers" ACCEPTED},
    {"zk://zk1/mesos", "master 'zk://zk1/mesos': ZooKeeper server 'zk1': no port; expected "
                       "host:port"},
    {"zk://zk1:2181,/mesos", "master 'zk://zk1:2181,/mesos': ZooKeeper server '': empty; "
                             "expected host:port"},
    {"zk:///mesos", "master 'zk:///mesos': ZooKeeper server '': empty; expected host:port"},
    {"zk://ops@zk1:2181/mesos", "master 'zk://ops@zk1:2181/mesos': the credentials before '@' "
                                "must be user:password (at most 255 characters)"},
    {"zk://zk1:2181/mesos/", "master 'zk://zk1:2181/mesos/': ZooKeeper path '/mesos/': the path "
                             "must not contain an empty component or end with '/'"},
    {"zk://zk1:2181/a//b", "master 'zk://zk1:2181/a//b': ZooKeeper path '/a//b': the path must "
                           "not contain an empty component or end with '/'"},
    {"zk://zk1:2181/a/../b", "master 'zk://zk1:2181/a/../b': ZooKeeper path '/a/../b': the path "
                             "must not contain '.' or '..' components"},
};

static void test_bad_specs(void)
{
    for (size_t i = 0; i < sizeof bad_specs / sizeof bad_specs[0]; i++) {
        master_spec s;
        sched_error err;
        CU_ASSERT_EQUAL(master_info_parse_spec(bad_specs[i].spec, &s, &err), HDRF_EINVAL);
        check_message(&err, bad_specs[i].want);
    }
}

/* ---- HTTP headers of the recordings ------------------------------------------------------ */

/* Calls `visit` on every line of a recorded header block, CRLF included, as
 * libcurl's header callback sees them. */
static void each_line(const char *file, void (*visit)(const char *, size_t, void *), void *arg)
{
    char *text = NULL;
    long len = test_read_file(test_data_path(file), &text);
    CU_ASSERT_FATAL(len > 0);
    for (char *p = text, *nl; p < text + len; p = nl + 1) {
        if (!(nl = memchr(p, '\n', (size_t)(text + len - p))))
            nl = text + len - 1;
        visit(p, (size_t)(nl - p + 1), arg);
    }
    free(text);
}

typedef struct response {
    int status;
    int lines;
    char location[256];
    char content_type[128];
    char stream_id[64];
} response;

static void copy_value(char *dst, size_t size, const char *v, size_t len)
{
    snprintf(dst, size, "%.*s", (int)len, v);
}

static void read_header(const char *line, size_t len, void *arg)
{
    response *r = arg;
    const char *v;
    size_t vlen;
    if (r->lines++ == 0)
        r->status = http_header_status(line, len);
    else if (http_header_match(line, len, "location", &v, &vlen))
        copy_value(r->location, sizeof r->location, v, vlen);
    else if (http_header_match(line, len, "Content-Type", &v, &vlen))
        copy_value(r->content_type, sizeof r->content_type, v, vlen);
    else if (http_header_match(line, len, "MESOS-STREAM-ID", &v, &vlen))
        copy_value(r->stream_id, sizeof r->stream_id, v, vlen);
}

static void test_redirect_to_leader(void)
{
    response r = {0};
    master_addr addr;
    sched_error err;
    each_line("redirect.headers", read_header, &r);
    CU_ASSERT_EQUAL(r.status, 307);
    CU_ASSERT_STRING_EQUAL(r.location, "//localhost:5050/master/api/v1/scheduler");
    CU_ASSERT_EQUAL(master_info_parse_location(r.location, strlen(r.location), &addr, &err),
                    HDRF_OK);
    CU_ASSERT_STRING_EQUAL(addr.host, "localhost");
    CU_ASSERT_EQUAL(addr.port, 5050);
    CU_ASSERT_STRING_EQUAL(addr.path, "/master/api/v1/scheduler");
}

static void test_locations(void)
{
    static const char full[] = "https://10.0.0.2:5050/master/api/v1/scheduler";
    static const char v6[] = "//[fd00::2]:5050";
    static const char relative[] = "/master/api/v1/scheduler";
    static const char portless[] = "//m2/master/api/v1/scheduler";
    master_addr addr;
    sched_error err;
    CU_ASSERT_EQUAL(master_info_parse_location(full, strlen(full), &addr, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(addr.host, "10.0.0.2");
    CU_ASSERT_STRING_EQUAL(addr.path, "/master/api/v1/scheduler");
    CU_ASSERT_EQUAL(master_info_parse_location(v6, strlen(v6), &addr, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(addr.host, "fd00::2");
    CU_ASSERT_STRING_EQUAL(addr.path, "/");
    CU_ASSERT_EQUAL(master_info_parse_location(relative, strlen(relative), &addr, &err),
                    HDRF_EINVAL);
    check_message(&err, "redirect to '/master/api/v1/scheduler': expected //host:port/path or "
                        "http://host:port/path");
    CU_ASSERT_EQUAL(master_info_parse_location(portless, strlen(portless), &addr, &err),
                    HDRF_EINVAL);
    check_message(&err, "redirect to '//m2/master/api/v1/scheduler': no port");
    static const char query[] = "//m2:5050/master/api/v1/scheduler?to=evil.com";
    static const char spaced[] = "//m2:5050/master/api v1";
    static const char hostless[] = "//:5050/master/api/v1/scheduler";
    static const char badhost[] = "//evil.com@m2:5050/x";
    CU_ASSERT_EQUAL(master_info_parse_location(query, strlen(query), &addr, &err), HDRF_EINVAL);
    check_message(&err, "redirect to '//m2:5050/master/api/v1/scheduler?to=evil.com': the path "
                        "may hold only letters, digits and -._~!$&'()*+,;=:@/% (no query, "
                        "fragment, space or control character)");
    CU_ASSERT_EQUAL(master_info_parse_location(spaced, strlen(spaced), &addr, &err), HDRF_EINVAL);
    CU_ASSERT_EQUAL(master_info_parse_location(hostless, strlen(hostless), &addr, &err),
                    HDRF_EINVAL);
    check_message(&err, "redirect to '//:5050/master/api/v1/scheduler': no host before the port");
    CU_ASSERT_EQUAL(master_info_parse_location(badhost, strlen(badhost), &addr, &err), HDRF_EINVAL);
}

static void test_subscribe_response_headers(void)
{
    response r = {0};
    wire_content_type type = WIRE_PROTOBUF;
    each_line("sub-json.headers", read_header, &r);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(r.stream_id, "308383b8-90fe-4ee2-8216-9cab1b059c4c");
    CU_ASSERT_EQUAL(wire_content_type_parse(r.content_type, strlen(r.content_type), &type, NULL),
                    HDRF_OK);
    CU_ASSERT_EQUAL(type, WIRE_JSON);
}

static void test_bad_request(void)
{
    response r = {0};
    char *body = NULL;
    sched_error err;
    wire_content_type type;
    each_line("badreq.headers", read_header, &r);
    CU_ASSERT_EQUAL(r.status, 400);
    CU_ASSERT_STRING_EQUAL(r.stream_id, "");
    CU_ASSERT_EQUAL(wire_content_type_parse(r.content_type, strlen(r.content_type), &type, &err),
                    HDRF_EINVAL);
    CU_ASSERT(test_read_file(test_data_path("badreq.body"), &body) == 71);
    CU_ASSERT(body && strstr(body, "Expecting 'subscribe' to be present") != NULL);
    free(body);
}

static void test_header_lines(void)
{
    const char *v;
    size_t n;
    CU_ASSERT_EQUAL(http_header_status("HTTP/1.1 202 Accepted\r\n", 23), 202);
    CU_ASSERT_EQUAL(http_header_status("HTTP/1.1 202", 12), 202);
    CU_ASSERT_EQUAL(http_header_status("HTTP/1.1 20", 11), -1);
    CU_ASSERT_EQUAL(http_header_status("HTTP/1.1 2024 x", 15), -1);
    CU_ASSERT_EQUAL(http_header_status("Location: //a:1/", 16), -1);
    CU_ASSERT_TRUE(http_header_match("Content-Length:  0 \r\n", 21, "content-length", &v, &n));
    CU_ASSERT(n == 1 && v[0] == '0');
    CU_ASSERT_TRUE(http_header_match("X-Empty:\r\n", 10, "x-empty", &v, &n));
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_FALSE(http_header_match("Content-Type-X: a\r\n", 19, "Content-Type", &v, &n));
    CU_ASSERT_FALSE(http_header_match("Content-Type", 12, "Content-Type", &v, &n));
}

int suite_master_info(void)
{
    static const test_case cases[] = {
        {"the leading master's ZooKeeper node", test_leader_node_fixture},
        {"the node without pid, without address, another pid", test_leader_node_fallbacks},
        {"bad nodes: errors name the field", test_leader_node_errors},
        {"leader: the lowest json.info_ sequence", test_leader_choice},
        {"--master: host:port and zk:// forms", test_specs},
        {"--master: bad forms say what is accepted", test_bad_specs},
        {"the recorded 307 leads to the leader", test_redirect_to_leader},
        {"Location forms", test_locations},
        {"the recorded SUBSCRIBE response headers", test_subscribe_response_headers},
        {"the recorded 400", test_bad_request},
        {"header lines", test_header_lines},
        {NULL, NULL},
    };
    return test_add_suite("master_info", cases);
}
