/* test_sched_launch.c: the operations hdrf-scheduler launches with.
 *
 * Applications written out here are read with app_parse() and turned into
 * Offer.Operations for an offer of role eng on agent S0; every field is
 * compared with what Mesos expects of a LAUNCH (one TaskInfo, resources
 * allocated to the offer's role) and of a LAUNCH_GROUP with the default
 * executor (mesos.proto: ExecutorInfo.type DEFAULT, one TaskInfo per
 * container), and the operation round-trips through an ACCEPT call's
 * protobuf encoding. */
#include "test.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../scheduler/app.h"
#include "../scheduler/calls.h"
#include "../scheduler/prog/launch.h"

typedef struct fake_offer {
    Mesos__V1__Offer offer;
    Mesos__V1__OfferID id;
    Mesos__V1__AgentID agent;
    Mesos__V1__Resource__AllocationInfo alloc;
} fake_offer;

static void make_offer(fake_offer *f)
{
    Mesos__V1__Offer offer = MESOS__V1__OFFER__INIT;
    Mesos__V1__OfferID id = MESOS__V1__OFFER_ID__INIT;
    Mesos__V1__AgentID agent = MESOS__V1__AGENT_ID__INIT;
    Mesos__V1__Resource__AllocationInfo alloc = MESOS__V1__RESOURCE__ALLOCATION_INFO__INIT;
    f->offer = offer;
    f->id = id;
    f->agent = agent;
    f->alloc = alloc;
    f->id.value = (char *)"O1";
    f->agent.value = (char *)"S0";
    f->alloc.role = (char *)"eng";
    f->offer.id = &f->id;
    f->offer.agent_id = &f->agent;
    f->offer.allocation_info = &f->alloc;
}

static int parse_app(const char *text, app *out)
{
    json_t *json = json_loads(text, 0, NULL);
    sched_error err;
    int rc = json ? app_parse(json, "", out, &err) : HDRF_EINVAL;
    if (rc != HDRF_OK && json)
        fprintf(stderr, "\n  %s\n", err.text);
    json_decref(json);
    return rc;
}

/* The scalar named `name` among `rs`, allocated to eng; -1 if absent. */
static double scalar(Mesos__V1__Resource *const *rs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i]->name, name) == 0 && rs[i]->allocation_info &&
            strcmp(rs[i]->allocation_info->role, "eng") == 0 && rs[i]->scalar)
            return rs[i]->scalar->value;
    return -1;
}

static void test_launch_command(void)
{
    app a;
    fake_offer f;
    Mesos__V1__Offer__Operation *op = NULL;
    sched_error err;
    const Mesos__V1__TaskInfo *t;
    make_offer(&f);
    REQUIRE_TRUE(parse_app("{\"id\": \"web\", \"resources\": \"cpus:0.5;mem:64\","
                           " \"args\": [\"./server\", \"-v\"], \"environment\": {\"MODE\": \"prod\"},"
                           " \"labels\": {\"team\": \"search\"}}",
                           &a) == HDRF_OK);
    CU_ASSERT_EQUAL(launch_operation(&a, "web.7", &f.offer, &op, &err), HDRF_OK);
    if (op) {
        CU_ASSERT_EQUAL(op->type, MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH);
        REQUIRE_TRUE(op->launch && op->launch->n_task_infos == 1);
        t = op->launch->task_infos[0];
        ASSERT_STR(t->name, "web");
        ASSERT_STR(t->task_id->value, "web.7");
        ASSERT_STR(t->agent_id->value, "S0");
        CU_ASSERT_EQUAL(t->n_resources, 2);
        CU_ASSERT_DOUBLE_EQUAL(scalar(t->resources, t->n_resources, "cpus"), 0.5, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(scalar(t->resources, t->n_resources, "mem"), 64, 1e-9);
        /* args: no shell; value is the program, arguments the whole argv */
        CU_ASSERT_TRUE(t->command->has_shell && !t->command->shell);
        ASSERT_STR(t->command->value, "./server");
        REQUIRE_TRUE(t->command->n_arguments == 2);
        ASSERT_STR(t->command->arguments[0], "./server");
        ASSERT_STR(t->command->arguments[1], "-v");
        REQUIRE_TRUE(t->command->environment && t->command->environment->n_variables == 1);
        ASSERT_STR(t->command->environment->variables[0]->name, "MODE");
        ASSERT_STR(t->command->environment->variables[0]->value, "prod");
        REQUIRE_TRUE(t->labels && t->labels->n_labels == 1);
        ASSERT_STR(t->labels->labels[0]->key, "team");
        ASSERT_STR(t->labels->labels[0]->value, "search");
        CU_ASSERT_PTR_NULL(t->executor);
    }
    launch_operation_free(op);
    app_free(&a);
}

static void test_launch_group(void)
{
    app a;
    fake_offer f;
    Mesos__V1__Offer__Operation *op = NULL;
    sched_error err;
    sched_call *call = NULL, *back = NULL;
    const char *offer_id = "O1";
    uint8_t *wire = NULL;
    size_t len = 0;
    make_offer(&f);
    REQUIRE_TRUE(parse_app("{\"id\": \"pod\", \"environment\": {\"A\": \"1\"},"
                           " \"executor_resources\": \"cpus:0.1;mem:32\","
                           " \"containers\": ["
                           "  {\"name\": \"main\", \"resources\": \"cpus:1;mem:128\","
                           "   \"command\": \"./main\", \"environment\": {\"B\": \"2\"}},"
                           "  {\"name\": \"side\", \"resources\": \"cpus:0.2;mem:16\","
                           "   \"command\": \"./side\"}]}",
                           &a) == HDRF_OK);
    CU_ASSERT_EQUAL(launch_operation(&a, "pod.3", &f.offer, &op, &err), HDRF_OK);
    REQUIRE(op);
    CU_ASSERT_EQUAL(op->type, MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH_GROUP);
    if (op->launch_group) {
        const Mesos__V1__ExecutorInfo *e = op->launch_group->executor;
        const Mesos__V1__TaskGroupInfo *g = op->launch_group->task_group;
        CU_ASSERT_TRUE(e->has_type && e->type == MESOS__V1__EXECUTOR_INFO__TYPE__DEFAULT);
        ASSERT_STR(e->executor_id->value, "pod.3.executor");
        CU_ASSERT_DOUBLE_EQUAL(scalar(e->resources, e->n_resources, "cpus"), 0.1, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(scalar(e->resources, e->n_resources, "mem"), 32, 1e-9);
        CU_ASSERT_PTR_NULL(e->command); /* the default executor runs no command of ours */
        REQUIRE_TRUE(g->n_tasks == 2);
        ASSERT_STR(g->tasks[0]->task_id->value, "pod.3.main");
        ASSERT_STR(g->tasks[1]->task_id->value, "pod.3.side");
        ASSERT_STR(g->tasks[0]->name, "main");
        ASSERT_STR(g->tasks[0]->agent_id->value, "S0");
        CU_ASSERT_DOUBLE_EQUAL(scalar(g->tasks[0]->resources, g->tasks[0]->n_resources, "cpus"),
                               1, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(scalar(g->tasks[1]->resources, g->tasks[1]->n_resources, "mem"),
                               16, 1e-9);
        CU_ASSERT_TRUE(g->tasks[0]->command->shell);
        ASSERT_STR(g->tasks[0]->command->value, "./main");
        /* the app's environment, then the container's own */
        REQUIRE_TRUE(g->tasks[0]->command->environment->n_variables == 2);
        ASSERT_STR(g->tasks[0]->command->environment->variables[0]->name, "A");
        ASSERT_STR(g->tasks[0]->command->environment->variables[1]->name, "B");
        CU_ASSERT_EQUAL(g->tasks[1]->command->environment->n_variables, 1);
    }
    /* The operation goes into an ACCEPT that encodes and decodes whole. */
    const Mesos__V1__Offer__Operation *ops[] = {op};
    CU_ASSERT_EQUAL(sched_call_accept(&offer_id, 1, ops, 1, SCHED_CALL_NO_FILTER, &call, &err),
                    HDRF_OK);
    if (call && wire_call_encode(WIRE_PROTOBUF, call, &wire, &len, &err) == HDRF_OK &&
        wire_call_decode(WIRE_PROTOBUF, wire, len, &back, &err) == HDRF_OK) {
        const Mesos__V1__TaskGroupInfo *g =
            back->accept->operations[0]->launch_group->task_group;
        ASSERT_STR(g->tasks[1]->task_id->value, "pod.3.side");
    } else {
        CU_FAIL("ACCEPT with LAUNCH_GROUP does not encode and decode");
    }
    free(wire);
    wire_call_free(back);
    wire_call_free(call);
    launch_operation_free(op);
    /* A container's status is its instance's; a KILL names the first container. */
    char id[64];
    launch_instance_id("pod.3.side", id, sizeof id);
    ASSERT_STR(id, "pod.3");
    launch_instance_id("web.12", id, sizeof id);
    ASSERT_STR(id, "web.12");
    launch_kill_id(&a, "pod.3", id, sizeof id);
    ASSERT_STR(id, "pod.3.main");
    launch_kill_id(NULL, "web.12", id, sizeof id);
    ASSERT_STR(id, "web.12");
    app_free(&a);
}

int suite_sched_launch(void)
{
    static const test_case cases[] = {
        {"a command app: LAUNCH of one TaskInfo", test_launch_command},
        {"a task group: LAUNCH_GROUP with the default executor", test_launch_group},
        {NULL, NULL},
    };
    return test_add_suite("sched_launch", cases);
}
