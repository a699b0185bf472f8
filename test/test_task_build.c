/* test_task_build.c: the LAUNCH and LAUNCH_GROUP operations of an ACCEPT.
 *
 * Owns the proof that scheduler/task_build.c writes what Mesos accepts:
 * the recorded session's ACCEPT (the one a real Mesos 1.11.0 master took)
 * is rebuilt from its offer and an app, and `protoc --decode` prints it
 * exactly; resources are taken out of the offer with their metadata,
 * reserved first, a scalar split over reserved and unreserved, ports
 * whole, and a task that no longer fits is refused by name; a task group
 * gets the default executor and one task per container; an orchestrator's
 * round on the recorded offer builds end to end. */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/calls.h"
#include "scheduler/pbjson.h"
#include "scheduler/task_build.h"
#include "test/protoc_harness.h"
#include "test/session.h"

#define CALL "mesos.v1.scheduler.Call"

/* One app from its JSON (app.h); false with the error shown. */
static bool parse_app(const char *text, app *out)
{
    json_error_t je;
    sched_error err;
    json_t *j = json_loads(text, 0, &je);
    int status = j ? app_parse(j, "", out, &err) : HDRF_EINVAL;
    if (status != HDRF_OK)
        fprintf(stderr, "\n  app: %s\n", j ? err.text : je.text);
    json_decref(j);
    return status == HDRF_OK;
}

/* An offer from its JSON (mesos.v1.Offer); free with protobuf_c_message_free_unpacked. */
static Mesos__V1__Offer *parse_offer(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    ProtobufCMessage *msg = NULL;
    CU_ASSERT_EQUAL(pbjson_decode(&mesos__v1__offer__descriptor, j, &msg, NULL), HDRF_OK);
    json_decref(j);
    return (Mesos__V1__Offer *)msg;
}

/* The decisions of one accept of `n` launches of `a`, ids as given. */
typedef struct one_accept {
    orch_launch launches[4];
    orch_accept accept;
    orch_out out;
} one_accept;

static void one_accept_make(one_accept *x, const app *a, const char *const *ids, size_t n)
{
    memset(x, 0, sizeof *x);
    for (size_t i = 0; i < n; i++)
        x->launches[i] = (orch_launch){.task_id = (char *)ids[i], .app = a, .version = 1};
    x->accept = (orch_accept){0, 0, n};
    x->out.launches = x->launches;
    x->out.n_launches = n;
    x->out.accepts = &x->accept;
    x->out.n_accepts = 1;
}

/* The recorded ACCEPT: app "hello" (role eng, cpus 0.5, mem 64, a shell
 * command) as task hello-1 on the recorded offer, refuse_seconds 5. The
 * recorded JSON has no `shell`; ours says shell: true, Mesos's default. */
static void test_recorded_accept(void)
{
    static const char framework_line[] = "framework_id {\n  value: \"" SESSION_FRAMEWORK "\"\n}\n";
    const char *want = SESSION_ACCEPT_TEXT("          shell: true\n") + strlen(framework_line);
    const char *ids[] = {"hello-1"}, *offer_id = MASTER_ID "-O2";
    sched_event *ev = session_offers();
    Mesos__V1__Offer__Operation **ops = NULL;
    size_t n_ops = 0;
    sched_call *call = NULL;
    one_accept x;
    app a;
    REQUIRE(ev);
    if (!parse_app("{\"id\":\"hello\",\"role\":\"eng\",\"resources\":\"cpus:0.5;mem:64\","
                   "\"command\":\"echo hello; sleep 1\"}",
                   &a)) {
        wire_event_free(ev);
        return;
    }
    one_accept_make(&x, &a, ids, 1);
    CU_ASSERT_EQUAL(task_build_accept(&x.out, 0, ev->offers->offers[0], NULL, &ops, &n_ops, NULL),
                    HDRF_OK);
    CU_ASSERT_EQUAL(n_ops, 1);
    if (n_ops == 1 &&
        sched_call_accept(&offer_id, 1, (const Mesos__V1__Offer__Operation *const *)ops, n_ops, 5,
                          &call, NULL) == HDRF_OK) {
        check_protoc_decodes(&call->base, CALL, want);
        wire_call_free(call);
    }
    task_build_free(ops, n_ops);
    app_free(&a);
    wire_event_free(ev);
}

/* cpus 1 reserved to eng and 3 unreserved, all allocated to eng; ports
 * 31000-32000. Task 1 (cpus 1.5, port 31000): the reserved 1, then 0.5
 * unreserved, and port 31000 with the offer's allocation. Task 2 (the same
 * again): 1.5 unreserved; its port 31000 is gone: refused by name. */
#define SPLIT_OFFER                                                                                \
    "{\"id\":{\"value\":\"o1\"},\"framework_id\":{\"value\":\"f\"},"                               \
    "\"agent_id\":{\"value\":\"s1\"},\"hostname\":\"h1\",\"resources\":["                          \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"                             \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"}],"                                   \
    "\"allocation_info\":{\"role\":\"eng\"}},"                                                     \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":3},"                             \
    "\"allocation_info\":{\"role\":\"eng\"}},"                                                     \
    "{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":31000,"             \
    "\"end\":32000}]},\"allocation_info\":{\"role\":\"eng\"}}]}"

static void check_resource(const Mesos__V1__Resource *r, const char *name, double value,
                           bool reserved)
{
    ASSERT_STR(r->name, name);
    CU_ASSERT_TRUE(r->allocation_info && r->allocation_info->role &&
                   strcmp(r->allocation_info->role, "eng") == 0);
    CU_ASSERT_EQUAL(r->n_reservations, reserved ? 1 : 0);
    if (r->scalar)
        CU_ASSERT_DOUBLE_EQUAL(r->scalar->value, value, 1e-9);
}

static void test_resources_from_the_offer(void)
{
    const char *ids[] = {"w.0", "w.1"};
    Mesos__V1__Offer *offer = parse_offer(SPLIT_OFFER);
    Mesos__V1__Offer__Operation **ops = NULL;
    Mesos__V1__TaskInfo *t;
    size_t n_ops = 0;
    sched_error err;
    one_accept x;
    app a;
    REQUIRE(offer);
    if (!parse_app("{\"id\":\"w\",\"resources\":\"cpus:1.5;ports:[31000-31000]\","
                   "\"args\":[\"./w\",\"-v\"]}",
                   &a)) {
        protobuf_c_message_free_unpacked(&offer->base, NULL);
        return;
    }
    one_accept_make(&x, &a, ids, 1);
    REQUIRE_TRUE(task_build_accept(&x.out, 0, offer, NULL, &ops, &n_ops, NULL) == HDRF_OK);
    REQUIRE_TRUE(n_ops == 1 && ops[0]->launch && ops[0]->launch->n_task_infos == 1);
    t = ops[0]->launch->task_infos[0];
    ASSERT_STR(t->name, "w");
    ASSERT_STR(t->task_id->value, "w.0");
    ASSERT_STR(t->agent_id->value, "s1");
    REQUIRE_TRUE(t->n_resources == 3);
    check_resource(t->resources[0], "cpus", 1, true);
    check_resource(t->resources[1], "cpus", 0.5, false);
    check_resource(t->resources[2], "ports", 0, false);
    REQUIRE_TRUE(t->resources[2]->ranges && t->resources[2]->ranges->n_range == 1);
    CU_ASSERT(t->resources[2]->ranges->range[0]->begin == 31000 &&
              t->resources[2]->ranges->range[0]->end == 31000);
    /* args: no shell, the program and the whole vector. */
    REQUIRE(t->command);
    CU_ASSERT(t->command->has_shell && !t->command->shell);
    ASSERT_STR(t->command->value, "./w");
    REQUIRE_TRUE(t->command->n_arguments == 2);
    ASSERT_STR(t->command->arguments[1], "-v");
    task_build_free(ops, n_ops);

    /* Two on the same offer: the second one's port is taken. */
    one_accept_make(&x, &a, ids, 2);
    CU_ASSERT_EQUAL(task_build_accept(&x.out, 0, offer, NULL, &ops, &n_ops, &err), HDRF_ENOFIT);
    CU_ASSERT_PTR_NULL(ops);
    ASSERT_STR(err.text, "task w.1: resources: the offer has no room for its ports");
    app_free(&a);

    /* Without ports, the second takes 1.5 unreserved cpus. */
    REQUIRE_TRUE(parse_app("{\"id\":\"w\",\"resources\":\"cpus:1.5\",\"command\":\"w\"}", &a));
    one_accept_make(&x, &a, ids, 2);
    CU_ASSERT_EQUAL(task_build_accept(&x.out, 0, offer, NULL, &ops, &n_ops, NULL), HDRF_OK);
    if (n_ops == 2) {
        t = ops[1]->launch->task_infos[0];
        REQUIRE_TRUE(t->n_resources == 1);
        check_resource(t->resources[0], "cpus", 1.5, false);
    }
    task_build_free(ops, n_ops);
    app_free(&a);
    protobuf_c_message_free_unpacked(&offer->base, NULL);
}

/* Two containers and the default executor's share, with environments:
 * the app's variables first, then the container's. */
static void test_task_group(void)
{
    const char *ids[] = {"g.7"};
    Mesos__V1__Offer *offer = parse_offer(SPLIT_OFFER);
    Mesos__V1__Offer__Operation **ops = NULL;
    Mesos__V1__Offer__Operation__LaunchGroup *g;
    Mesos__V1__TaskInfo *t;
    size_t n_ops = 0;
    one_accept x;
    app a;
    REQUIRE(offer);
    if (!parse_app("{\"id\":\"g\",\"executor_resources\":\"cpus:0.5\","
                   "\"environment\":{\"MODE\":\"prod\"},\"labels\":{\"team\":\"s\"},"
                   "\"containers\":[{\"name\":\"web\",\"resources\":\"cpus:1\","
                   "\"command\":\"serve\",\"environment\":{\"PORT\":\"80\"}},"
                   "{\"name\":\"log\",\"resources\":\"cpus:0.25\",\"args\":[\"tail\"]}]}",
                   &a)) {
        protobuf_c_message_free_unpacked(&offer->base, NULL);
        return;
    }
    one_accept_make(&x, &a, ids, 1);
    REQUIRE_TRUE(task_build_accept(&x.out, 0, offer, "fw-1", &ops, &n_ops, NULL) == HDRF_OK);
    REQUIRE_TRUE(n_ops == 1);
    CU_ASSERT_EQUAL(ops[0]->type, MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH_GROUP);
    g = ops[0]->launch_group;
    REQUIRE_TRUE(g && g->executor && g->task_group && g->task_group->n_tasks == 2);
    CU_ASSERT_EQUAL(g->executor->type, MESOS__V1__EXECUTOR_INFO__TYPE__DEFAULT);
    ASSERT_STR(g->executor->executor_id->value, "g.7");
    ASSERT_STR(g->executor->framework_id->value, "fw-1");
    /* The executor first: the reserved cpus (0.5 of the reserved 1). */
    REQUIRE_TRUE(g->executor->n_resources == 1);
    check_resource(g->executor->resources[0], "cpus", 0.5, true);
    t = g->task_group->tasks[0];
    ASSERT_STR(t->name, "web");
    ASSERT_STR(t->task_id->value, "g.7.web");
    /* web: the reserved 0.5 left, then 0.5 unreserved. */
    REQUIRE_TRUE(t->n_resources == 2);
    check_resource(t->resources[0], "cpus", 0.5, true);
    check_resource(t->resources[1], "cpus", 0.5, false);
    REQUIRE_TRUE(t->command && t->command->environment &&
                 t->command->environment->n_variables == 2);
    ASSERT_STR(t->command->environment->variables[0]->name, "MODE");
    ASSERT_STR(t->command->environment->variables[1]->value, "80");
    REQUIRE_TRUE(t->labels && t->labels->n_labels == 1);
    ASSERT_STR(t->labels->labels[0]->key, "team");
    t = g->task_group->tasks[1];
    ASSERT_STR(t->task_id->value, "g.7.log");
    REQUIRE_TRUE(t->command && t->command->environment);
    CU_ASSERT_EQUAL(t->command->environment->n_variables, 1);
    CU_ASSERT_FALSE(t->command->shell);
    task_build_free(ops, n_ops);
    app_free(&a);
    protobuf_c_message_free_unpacked(&offer->base, NULL);
}

/* End to end: the orchestrator places two instances of hello on the
 * recorded offer (role eng), and both build; protoc reads the call. */
static void test_from_the_orchestrator(void)
{
    sched_event *ev = session_offers();
    placement_pb_offer po;
    orch_offer offer;
    orch *o = NULL;
    orch_out out = {0};
    Mesos__V1__Offer__Operation **ops = NULL;
    size_t n_ops = 0;
    sched_call *call = NULL;
    const char *offer_id;
    json_t *j = json_loads("{\"id\":\"hello\",\"role\":\"eng\",\"instances\":2,"
                           "\"resources\":\"cpus:0.5;mem:64\",\"command\":\"echo hi\"}",
                           0, NULL);
    REQUIRE(ev);
    REQUIRE_TRUE(placement_offer_from_pb(ev->offers->offers[0], &po, NULL) == HDRF_OK);
    offer_id = ev->offers->offers[0]->id->value;
    offer = (orch_offer){offer_id, "eng", po.offer};
    CU_ASSERT_EQUAL(orch_new(NULL, &o, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(orch_submit(o, j, 0, 0, NULL, &out, NULL), HDRF_OK);
    orch_out_free(&out);
    CU_ASSERT_EQUAL(orch_offers(o, &offer, 1, 1, &out, NULL), HDRF_OK);
    CU_ASSERT_EQUAL(out.n_accepts, 1);
    if (out.n_accepts == 1 && task_build_accept(&out, 0, ev->offers->offers[0], SESSION_FRAMEWORK,
                                                &ops, &n_ops, NULL) == HDRF_OK) {
        CU_ASSERT_EQUAL(n_ops, 2);
        ASSERT_STR(ops[1]->launch->task_infos[0]->task_id->value, "hello.1");
        CU_ASSERT_EQUAL(sched_call_accept(&offer_id, 1,
                                          (const Mesos__V1__Offer__Operation *const *)ops, n_ops,
                                          -1, &call, NULL),
                        HDRF_OK);
        CU_ASSERT_EQUAL(count_unknown(&call->base), 0);
        wire_call_free(call);
    }
    task_build_free(ops, n_ops);
    orch_out_free(&out);
    orch_free(o);
    json_decref(j);
    placement_pb_offer_free(&po);
    wire_event_free(ev);
}

/* fetch, user and kill_grace_period: the command's URIs (Mesos's defaults
 * written out), its user, and the TaskInfo's kill policy, as protoc reads
 * them (text format: fields by number). */
static void test_fetch_user_kill_policy(void)
{
    const char *ids[] = {"web-1"};
    Mesos__V1__Offer *offer = parse_offer(SPLIT_OFFER);
    Mesos__V1__Offer__Operation **ops = NULL;
    size_t n_ops = 0;
    one_accept x;
    app a;
    REQUIRE(offer);
    if (!parse_app("{\"id\":\"web\",\"resources\":\"cpus:1\",\"command\":\"./run\","
                   "\"fetch\":[\"https://x/app.tgz\",{\"uri\":\"https://x/run.sh\","
                   "\"executable\":true,\"extract\":false,\"cache\":true,"
                   "\"output_file\":\"run\"}],\"user\":\"nobody\",\"kill_grace_period\":2.5}",
                   &a)) {
        protobuf_c_message_free_unpacked(&offer->base, NULL);
        return;
    }
    one_accept_make(&x, &a, ids, 1);
    REQUIRE_TRUE(task_build_accept(&x.out, 0, offer, NULL, &ops, &n_ops, NULL) == HDRF_OK);
    REQUIRE_TRUE(n_ops == 1 && ops[0]->launch && ops[0]->launch->n_task_infos == 1);
    const Mesos__V1__TaskInfo *t = ops[0]->launch->task_infos[0];
    REQUIRE_TRUE(t->command && t->kill_policy);
    check_protoc_decodes(&t->command->base, "mesos.v1.CommandInfo",
                         "uris {\n"
                         "  value: \"https://x/app.tgz\"\n"
                         "  executable: false\n"
                         "  extract: true\n"
                         "  cache: false\n"
                         "}\n"
                         "uris {\n"
                         "  value: \"https://x/run.sh\"\n"
                         "  executable: true\n"
                         "  extract: false\n"
                         "  cache: true\n"
                         "  output_file: \"run\"\n"
                         "}\n"
                         "value: \"./run\"\n"
                         "user: \"nobody\"\n"
                         "shell: true\n");
    check_protoc_decodes(&t->kill_policy->base, "mesos.v1.KillPolicy",
                         "grace_period {\n  nanoseconds: 2500000000\n}\n");
    task_build_free(ops, n_ops);
    app_free(&a);
    protobuf_c_message_free_unpacked(&offer->base, NULL);
}

/* ports: the host ports placement picked are taken from the offer's range
 * (with its allocation) and set as PORT0, PORT1, PORT_HTTP and PORTS. */
static void test_host_ports(void)
{
    const char *ids[] = {"web-1"};
    Mesos__V1__Offer *offer = parse_offer(SPLIT_OFFER);
    Mesos__V1__Offer__Operation **ops = NULL;
    size_t n_ops = 0;
    one_accept x;
    app a;
    REQUIRE(offer);
    if (!parse_app("{\"id\":\"web\",\"resources\":\"cpus:1\",\"command\":\"./run\","
                   "\"environment\":{\"MODE\":\"prod\"},\"ports\":[0,{\"name\":\"http\"}],"
                   "\"health_checks\":[{\"protocol\":\"HTTP\",\"path\":\"/health\","
                   "\"port_index\":1,\"max_consecutive_failures\":5}]}",
                   &a)) {
        protobuf_c_message_free_unpacked(&offer->base, NULL);
        return;
    }
    one_accept_make(&x, &a, ids, 1);
    x.launches[0].ports[0] = 31000;
    x.launches[0].ports[1] = 31001;
    REQUIRE_TRUE(task_build_accept(&x.out, 0, offer, NULL, &ops, &n_ops, NULL) == HDRF_OK);
    REQUIRE_TRUE(n_ops == 1 && ops[0]->launch && ops[0]->launch->n_task_infos == 1);
    const Mesos__V1__TaskInfo *t = ops[0]->launch->task_infos[0];
    /* cpus (the reserved 1), then the ports */
    REQUIRE_TRUE(t->n_resources == 2);
    check_resource(t->resources[0], "cpus", 1, true);
    const Mesos__V1__Resource *ports = t->resources[1];
    ASSERT_STR(ports->name, "ports");
    REQUIRE_TRUE(ports->ranges && ports->ranges->n_range == 1);
    CU_ASSERT_EQUAL(ports->ranges->range[0]->begin, 31000);
    CU_ASSERT_EQUAL(ports->ranges->range[0]->end, 31001);
    ASSERT_STR(ports->allocation_info->role, "eng");
    const Mesos__V1__Environment *env = t->command->environment;
    REQUIRE_TRUE(env && env->n_variables == 5);
    const char *want[][2] = {{"MODE", "prod"},
                             {"PORT0", "31000"},
                             {"PORT1", "31001"},
                             {"PORT_HTTP", "31001"},
                             {"PORTS", "31000,31001"}};
    for (size_t i = 0; i < 5; i++) {
        ASSERT_STR(env->variables[i]->name, want[i][0]);
        ASSERT_STR(env->variables[i]->value, want[i][1]);
    }
    /* the health check on PORT1 (31001), Mesos's defaults written out but
     * the 5 failures asked for; protoc prints fields by number */
    REQUIRE(t->health_check);
    check_protoc_decodes(&t->health_check->base, "mesos.v1.HealthCheck",
                         "http {\n"
                         "  port: 31001\n"
                         "  path: \"/health\"\n"
                         "}\n"
                         "delay_seconds: 15\n"
                         "interval_seconds: 10\n"
                         "timeout_seconds: 20\n"
                         "consecutive_failures: 5\n"
                         "grace_period_seconds: 10\n"
                         "type: HTTP\n");
    task_build_free(ops, n_ops);
    app_free(&a);
    protobuf_c_message_free_unpacked(&offer->base, NULL);
}

int suite_task_build(void)
{
    static const test_case cases[] = {
        {"the recorded ACCEPT, rebuilt", test_recorded_accept},
        {"resources out of the offer: reserved first, split, ports", test_resources_from_the_offer},
        {"a task group with the default executor", test_task_group},
        {"end to end from the orchestrator", test_from_the_orchestrator},
        {"fetch, user and kill_grace_period", test_fetch_user_kill_policy},
        {"host ports: taken from the offer, set in the environment", test_host_ports},
        {NULL, NULL},
    };
    return test_add_suite("task_build", cases);
}
