/* test_calls.c: the Calls the scheduler builds (scheduler/calls.c).
 *
 * Owns the proof that each builder makes the call Mesos expects, byte for
 * byte: every call is packed by protobuf-c and compared with what Google's
 * `protoc --encode` makes of the same call written out by hand in protobuf
 * text. The SUBSCRIBE is the recorded one (test/data/subscribe-call.txt);
 * the ACCEPT is the recorded session's (session.h); the ACKNOWLEDGE's uuid
 * is the one the recorded master sent for TASK_STARTING (base64
 * MMiXlu70TeKzEZepDyCiaQ== in session.calls.json, octal escapes below).
 * Bad arguments are refused with a message naming the call and what. */
#include "test/protoc_harness.h"
#include "test/session.h"
#include "test/test.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/calls.h"

#define CALL "mesos.v1.scheduler.Call"
#define UUID_TEXT "\\060\\310\\227\\226\\356\\364\\115\\342\\263\\021\\227\\251\\017\\040\\242\\151"

/* Checks a builder's result against the text, then frees it. */
static void check_call(int status, sched_call *call, const char *text)
{
    CU_ASSERT_EQUAL(status, HDRF_OK);
    CU_ASSERT_PTR_NOT_NULL(call);
    if (call)
        check_protoc_encodes(&call->base, CALL, text);
    wire_call_free(call);
}

/* The builder runs first: `call` is read only after it filled it. */
#define CHECK_CALL(build, text)                                                                    \
    do {                                                                                           \
        int built_ = (build);                                                                      \
        check_call(built_, call, text);                                                            \
        call = NULL;                                                                               \
    } while (0)

static void check_refused(int status, sched_call *call, const sched_error *err, const char *want)
{
    CU_ASSERT_EQUAL(status, HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(call);
    ASSERT_STR(err->text, want);
    if (strcmp(err->text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err->text, want);
}

#define CHECK_REFUSED(build, want)                                                                 \
    do {                                                                                           \
        int built_ = (build);                                                                      \
        check_refused(built_, call, &err, want);                                                   \
    } while (0)

/* The FrameworkInfo of subscribe-call.txt. */
static void recorded_framework(Mesos__V1__FrameworkInfo *fi,
                               Mesos__V1__FrameworkInfo__Capability *caps,
                               Mesos__V1__FrameworkInfo__Capability **cap_ptrs, char **roles)
{
    mesos__v1__framework_info__init(fi);
    fi->user = "root";
    fi->name = "fixture-protobuf";
    roles[0] = "eng";
    fi->n_roles = 1;
    fi->roles = roles;
    for (int i = 0; i < 2; i++) {
        mesos__v1__framework_info__capability__init(&caps[i]);
        caps[i].has_type = 1;
        cap_ptrs[i] = &caps[i];
    }
    caps[0].type = MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__MULTI_ROLE;
    caps[1].type = MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__RESERVATION_REFINEMENT;
    fi->n_capabilities = 2;
    fi->capabilities = cap_ptrs;
    fi->has_failover_timeout = 1;
    fi->failover_timeout = 60;
}

static void test_subscribe(void)
{
    Mesos__V1__FrameworkInfo fi;
    Mesos__V1__FrameworkInfo__Capability caps[2], *cap_ptrs[2];
    char *roles[1], *text = NULL;
    sched_call *call = NULL;
    sched_error err;
    long len = test_read_file(test_data_path("subscribe-call.txt"), &text);
    REQUIRE_TRUE(len > 0);
    recorded_framework(&fi, caps, cap_ptrs, roles);
    CHECK_CALL(sched_call_subscribe(&fi, NULL, &call, &err), text);
    /* Failover: the id goes into the call and into the FrameworkInfo. */
    CHECK_CALL(sched_call_subscribe(&fi, SESSION_FRAMEWORK, &call, &err),
               "framework_id { value: \"" SESSION_FRAMEWORK "\" }\n"
               "type: SUBSCRIBE\n"
               "subscribe { framework_info { user: \"root\" name: \"fixture-protobuf\"\n"
               "  id { value: \"" SESSION_FRAMEWORK "\" }\n"
               "  failover_timeout: 60 roles: \"eng\"\n"
               "  capabilities { type: MULTI_ROLE } capabilities { type: RESERVATION_REFINEMENT }"
               " } }\n");
    free(text);
    fi.user = NULL;
    CHECK_REFUSED(sched_call_subscribe(&fi, NULL, &call, &err),
                  "SUBSCRIBE: the FrameworkInfo needs a user and a name");
}

static void test_accept(void)
{
    static const char framework_line[] = "framework_id {\n  value: \"" SESSION_FRAMEWORK "\"\n}\n";
    const char *text = SESSION_ACCEPT_TEXT("");
    const char *offer = MASTER_ID "-O2";
    owned wire = {NULL, 0};
    sched_call *recorded = NULL, *call = NULL;
    sched_error err;
    /* The recorded ACCEPT's operations, read by protoc, go in again. */
    REQUIRE_TRUE(protoc_run("--encode=" CALL, text, strlen(text), &wire) == 0);
    recorded = mesos__v1__scheduler__call__unpack(NULL, wire.len, (uint8_t *)wire.data);
    free(wire.data);
    REQUIRE(recorded);
    CU_ASSERT_EQUAL(strncmp(text, framework_line, strlen(framework_line)), 0);
    CHECK_CALL(
        sched_call_accept(&offer, 1,
                          (const Mesos__V1__Offer__Operation *const *)recorded->accept->operations,
                          recorded->accept->n_operations, 5, &call, &err),
        text + strlen(framework_line));
    wire_call_free(recorded);
    CHECK_CALL(sched_call_accept(&offer, 1, NULL, 0, SCHED_CALL_NO_FILTER, &call, &err),
               "type: ACCEPT accept { offer_ids { value: \"" MASTER_ID "-O2\" } }");
    CHECK_REFUSED(sched_call_accept(&offer, 0, NULL, 0, 5, &call, &err), "ACCEPT: no offer id");
}

static void test_decline(void)
{
    const char *offers[] = {MASTER_ID "-O1", MASTER_ID "-O2"}, *bad[] = {"o", ""};
    sched_call *call = NULL;
    sched_error err;
    CHECK_CALL(sched_call_decline(offers, 2, 3600, &call, &err),
               "type: DECLINE decline {\n"
               "  offer_ids { value: \"" MASTER_ID "-O1\" }\n"
               "  offer_ids { value: \"" MASTER_ID "-O2\" }\n"
               "  filters { refuse_seconds: 3600 } }");
    /* Without a filter the master applies its default of 5 s. */
    CHECK_CALL(sched_call_decline(offers, 1, SCHED_CALL_NO_FILTER, &call, &err),
               "type: DECLINE decline { offer_ids { value: \"" MASTER_ID "-O1\" } }");
    /* Zero is a filter too: offer again at the next allocation. */
    CHECK_CALL(sched_call_decline(offers + 1, 1, 0, &call, &err),
               "type: DECLINE decline { offer_ids { value: \"" MASTER_ID "-O2\" }"
               " filters { refuse_seconds: 0 } }");
    CHECK_REFUSED(sched_call_decline(bad, 2, 1, &call, &err),
                  "DECLINE: every offer id must be a non-empty string");
}

static void test_suppress_and_revive(void)
{
    const char *roles[] = {"eng", "eng/batch"}, *bad[] = {""};
    sched_call *call = NULL;
    sched_error err;
    CHECK_CALL(sched_call_suppress(roles, 2, &call, &err),
               "type: SUPPRESS suppress { roles: \"eng\" roles: \"eng/batch\" }");
    CHECK_CALL(sched_call_revive(roles + 1, 1, &call, &err),
               "type: REVIVE revive { roles: \"eng/batch\" }");
    /* No role: every role of the framework (an empty message is present). */
    CHECK_CALL(sched_call_revive(NULL, 0, &call, &err), "type: REVIVE revive { }");
    CHECK_CALL(sched_call_suppress(NULL, 0, &call, &err), "type: SUPPRESS suppress { }");
    CHECK_REFUSED(sched_call_revive(bad, 1, &call, &err),
                  "REVIVE: every role must be a non-empty string");
}

static void test_kill(void)
{
    sched_call *call = NULL;
    sched_error err;
    CHECK_CALL(sched_call_kill("hello-1", AGENT_ID, NULL, &call, &err),
               "type: KILL kill { task_id { value: \"hello-1\" }"
               " agent_id { value: \"" AGENT_ID "\" } }");
    CHECK_CALL(sched_call_kill("hello-1", NULL, NULL, &call, &err),
               "type: KILL kill { task_id { value: \"hello-1\" } }");
    /* the app's kill_grace_period: 2.5 s is 2,500,000,000 ns */
    double grace = 2.5;
    CHECK_CALL(sched_call_kill("hello-1", NULL, &grace, &call, &err),
               "type: KILL kill { task_id { value: \"hello-1\" }"
               " kill_policy { grace_period { nanoseconds: 2500000000 } } }");
    CHECK_REFUSED(sched_call_kill(NULL, AGENT_ID, NULL, &call, &err),
                  "KILL: the task id must be a non-empty string");
    grace = -1;
    CHECK_REFUSED(sched_call_kill("hello-1", NULL, &grace, &call, &err),
                  "KILL: the grace period must be 0 to 86400 seconds");
}

static void test_acknowledge(void)
{
    static const char status_text[] = "task_id { value: \"hello-1\" } state: TASK_STARTING\n"
                                      "agent_id { value: \"" AGENT_ID "\" }\n"
                                      "uuid: \"" UUID_TEXT "\"\n";
    owned wire = {NULL, 0};
    Mesos__V1__TaskStatus *status;
    sched_call *call = NULL;
    sched_error err;
    REQUIRE_TRUE(
        protoc_run("--encode=mesos.v1.TaskStatus", status_text, strlen(status_text), &wire) == 0);
    status = mesos__v1__task_status__unpack(NULL, wire.len, (uint8_t *)wire.data);
    free(wire.data);
    REQUIRE(status);
    CHECK_CALL(sched_call_acknowledge(status, &call, &err),
               "type: ACKNOWLEDGE acknowledge { agent_id { value: \"" AGENT_ID "\" }\n"
               "  task_id { value: \"hello-1\" } uuid: \"" UUID_TEXT "\" }");
    status->has_uuid = 0; /* e.g. a reconciliation answer: nothing to acknowledge */
    CHECK_REFUSED(sched_call_acknowledge(status, &call, &err),
                  "ACKNOWLEDGE: the status of task 'hello-1' has no uuid or no agent: it needs "
                  "no acknowledgement");
    status->has_uuid = 1;
    mesos__v1__task_status__free_unpacked(status, NULL);
}

static void test_reconcile(void)
{
    const sched_task_ref tasks[] = {{"hello-1", AGENT_ID}, {"hello-2", NULL}};
    const sched_task_ref bad[] = {{"ok", NULL}, {"", NULL}};
    sched_call *call = NULL;
    sched_error err;
    CHECK_CALL(sched_call_reconcile(tasks, 2, &call, &err),
               "type: RECONCILE reconcile {\n"
               "  tasks { task_id { value: \"hello-1\" } agent_id { value: \"" AGENT_ID "\" } }\n"
               "  tasks { task_id { value: \"hello-2\" } } }");
    CHECK_CALL(sched_call_reconcile(NULL, 0, &call, &err), "type: RECONCILE reconcile { }");
    CHECK_REFUSED(sched_call_reconcile(bad, 2, &call, &err),
                  "RECONCILE: task 1: the task id must be a non-empty string and the agent id "
                  "NULL or non-empty");
}

static void test_message_and_teardown(void)
{
    sched_call *call = NULL;
    sched_error err;
    CHECK_CALL(sched_call_message(AGENT_ID, "default", "hi\0!", 4, &call, &err),
               "type: MESSAGE message { agent_id { value: \"" AGENT_ID "\" }\n"
               "  executor_id { value: \"default\" } data: \"hi\\000!\" }");
    CHECK_CALL(sched_call_message(AGENT_ID, "default", NULL, 0, &call, &err),
               "type: MESSAGE message { agent_id { value: \"" AGENT_ID "\" }\n"
               "  executor_id { value: \"default\" } data: \"\" }");
    CHECK_REFUSED(sched_call_message(AGENT_ID, NULL, "x", 1, &call, &err),
                  "MESSAGE: the executor id must be a non-empty string");
    CHECK_CALL(sched_call_teardown(&call, &err), "type: TEARDOWN");
}

int suite_calls(void)
{
    static const test_case cases[] = {
        {"SUBSCRIBE, first and failover", test_subscribe},
        {"ACCEPT of the recorded session", test_accept},
        {"DECLINE with and without filters", test_decline},
        {"SUPPRESS and REVIVE per role", test_suppress_and_revive},
        {"KILL", test_kill},
        {"ACKNOWLEDGE of a status update", test_acknowledge},
        {"RECONCILE explicit and implicit", test_reconcile},
        {"MESSAGE and TEARDOWN", test_message_and_teardown},
        {NULL, NULL},
    };
    return test_add_suite("calls", cases);
}
