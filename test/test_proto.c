/* test_proto.c: wire compatibility of hdrf's Mesos v1 schemas with Google's protobuf.
 *
 * Owns the proof that proto/mesos/v1/mesos.proto and scheduler/scheduler.proto,
 * compiled by protoc-c, read and write the same bytes as the reference
 * implementation: messages packed in C are decoded by the real `protoc`, text
 * encoded by `protoc` is unpacked in C, and traffic recorded from a real Mesos
 * 1.11.0 master (test/data/, copied from the shared fixtures) unpacks in C,
 * re-packs to the same bytes and prints under our schema exactly as under
 * Mesos's own, so no field of it is unknown to us. Expected values are written
 * out by hand from test/data/session.events.txt. */
#include "test/test.h"
#include "test/protoc_harness.h"
#include "test/session.h"

#include "mesos/v1/mesos.pb-c.h"
#include "mesos/v1/scheduler/scheduler.pb-c.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef Mesos__V1__Scheduler__Event Event;
typedef Mesos__V1__Scheduler__Call Call;
typedef Mesos__V1__Resource Resource;
typedef Mesos__V1__Offer Offer;

#define MAX_RECORDS 16

typedef struct span {
    const uint8_t *data;
    size_t len;
} span;

/* ---- RecordIO and the decoded-text fixture ---------------------------------- */

/* Splits RecordIO framing, `<decimal length>\n<bytes>` repeated with no
 * trailing newline, into at most max spans pointing into buf. Returns the
 * number of records, or -1 when the framing is broken or has too many. */
static long recordio_split(const char *buf, size_t len, span *out, size_t max)
{
    size_t pos = 0, n = 0;
    while (pos < len) {
        size_t size = 0, digits = 0;
        for (; pos < len && buf[pos] >= '0' && buf[pos] <= '9'; pos++, digits++) {
            if (size > (SIZE_MAX - 9) / 10)
                return -1;
            size = size * 10 + (size_t)(buf[pos] - '0');
        }
        if (digits == 0 || pos >= len || buf[pos++] != '\n' || size > len - pos || n == max)
            return -1;
        out[n].data = (const uint8_t *)buf + pos;
        out[n++].len = size;
        pos += size;
    }
    return (long)n;
}

/* Splits text into sections ended by a line "---" (a last unterminated,
 * non-empty section counts too). Returns how many, or -1 past max. */
static long sections_split(const char *text, size_t len, span *out, size_t max)
{
    size_t start = 0, n = 0;
    for (size_t pos = 0; pos <= len; pos++) {
        int at_line = pos == 0 || text[pos - 1] == '\n';
        int marker = at_line && len - pos >= 4 && memcmp(text + pos, "---\n", 4) == 0;
        if (!marker && !(pos == len && pos > start))
            continue;
        if (n == max)
            return -1;
        out[n].data = (const uint8_t *)text + start;
        out[n++].len = pos - start;
        start = pos + 4;
        pos += 3;
    }
    return (long)n;
}

/* Loads test/data/<file>, splits it and unpacks every record as an Event into
 * ev[]. Returns the record count, or -1 (then nothing is left allocated). */
static long load_events(const char *file, Event **ev, size_t max)
{
    char *buf = NULL;
    long size = test_read_file(test_data_path(file), &buf), n = -1, done = 0;
    span rec[MAX_RECORDS];
    if (size < 0)
        goto out;
    n = recordio_split(buf, (size_t)size, rec, max < MAX_RECORDS ? max : MAX_RECORDS);
    for (; done < n; done++) {
        ev[done] = mesos__v1__scheduler__event__unpack(NULL, rec[done].len, rec[done].data);
        if (!ev[done])
            break;
    }
    if (done < n) {
        while (done > 0)
            mesos__v1__scheduler__event__free_unpacked(ev[--done], NULL);
        n = -1;
    }
out:
    free(buf);
    return n;
}

static void free_events(Event **ev, long n)
{
    for (long i = 0; i < n; i++)
        mesos__v1__scheduler__event__free_unpacked(ev[i], NULL);
}

/* ---- a. a Resource with a reservation refinement stack ---------------------- */

static const char want_resource[] = "name: \"disk\"\n"
                                    "type: SCALAR\n"
                                    "scalar {\n"
                                    "  value: 2048\n"
                                    "}\n"
                                    "disk {\n"
                                    "  persistence {\n"
                                    "    id: \"vol-1\"\n"
                                    "    principal: \"ops\"\n"
                                    "  }\n"
                                    "  volume {\n"
                                    "    container_path: \"data\"\n"
                                    "    mode: RW\n"
                                    "  }\n"
                                    "}\n"
                                    "shared {\n"
                                    "}\n"
                                    "allocation_info {\n"
                                    "  role: \"eng/batch\"\n"
                                    "}\n"
                                    "reservations {\n"
                                    "  role: \"eng\"\n"
                                    "  type: STATIC\n"
                                    "}\n"
                                    "reservations {\n"
                                    "  principal: \"ops\"\n"
                                    "  labels {\n"
                                    "    labels {\n"
                                    "      key: \"owner\"\n"
                                    "      value: \"batch\"\n"
                                    "    }\n"
                                    "  }\n"
                                    "  role: \"eng/batch\"\n"
                                    "  type: DYNAMIC\n"
                                    "}\n";

static void test_resource_refined_reservation(void)
{
    Mesos__V1__Value__Scalar size = MESOS__V1__VALUE__SCALAR__INIT;
    Mesos__V1__Resource__ReservationInfo stat = MESOS__V1__RESOURCE__RESERVATION_INFO__INIT;
    Mesos__V1__Resource__ReservationInfo dyn = MESOS__V1__RESOURCE__RESERVATION_INFO__INIT;
    Mesos__V1__Resource__ReservationInfo *stack[] = {&stat, &dyn};
    Mesos__V1__Label owner = MESOS__V1__LABEL__INIT;
    Mesos__V1__Label *owner_list[] = {&owner};
    Mesos__V1__Labels labels = MESOS__V1__LABELS__INIT;
    Mesos__V1__Resource__DiskInfo__Persistence persistence =
        MESOS__V1__RESOURCE__DISK_INFO__PERSISTENCE__INIT;
    Mesos__V1__Volume volume = MESOS__V1__VOLUME__INIT;
    Mesos__V1__Resource__DiskInfo disk = MESOS__V1__RESOURCE__DISK_INFO__INIT;
    Mesos__V1__Resource__AllocationInfo alloc = MESOS__V1__RESOURCE__ALLOCATION_INFO__INIT;
    Mesos__V1__Resource__SharedInfo shared = MESOS__V1__RESOURCE__SHARED_INFO__INIT;
    Resource res = MESOS__V1__RESOURCE__INIT;

    size.value = 2048;
    stat.has_type = 1;
    stat.type = MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__STATIC;
    stat.role = "eng";
    owner.key = "owner";
    owner.value = "batch";
    labels.n_labels = 1;
    labels.labels = owner_list;
    dyn.has_type = 1;
    dyn.type = MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__DYNAMIC;
    dyn.role = "eng/batch";
    dyn.principal = "ops";
    dyn.labels = &labels;
    persistence.id = "vol-1";
    persistence.principal = "ops";
    volume.container_path = "data";
    volume.mode = MESOS__V1__VOLUME__MODE__RW;
    disk.persistence = &persistence;
    disk.volume = &volume;
    alloc.role = "eng/batch";
    res.name = "disk";
    res.type = MESOS__V1__VALUE__TYPE__SCALAR;
    res.scalar = &size;
    res.n_reservations = 2;
    res.reservations = stack;
    res.disk = &disk;
    res.allocation_info = &alloc;
    res.shared = &shared;
    check_protoc_decodes(&res.base, "mesos.v1.Resource", want_resource);
}

/* ---- b. scheduler calls: ACCEPT with LAUNCH, DECLINE, SUPPRESS -------------- */

static const char want_accept[] = SESSION_ACCEPT_TEXT("          shell: true\n");

static void test_call_accept_launch(void)
{
    Mesos__V1__FrameworkID fw = MESOS__V1__FRAMEWORK_ID__INIT;
    Mesos__V1__OfferID offer = MESOS__V1__OFFER_ID__INIT;
    Mesos__V1__OfferID *offers[] = {&offer};
    Mesos__V1__Resource__AllocationInfo alloc = MESOS__V1__RESOURCE__ALLOCATION_INFO__INIT;
    Mesos__V1__Value__Scalar cpus_value = MESOS__V1__VALUE__SCALAR__INIT;
    Mesos__V1__Value__Scalar mem_value = MESOS__V1__VALUE__SCALAR__INIT;
    Resource cpus = MESOS__V1__RESOURCE__INIT, mem = MESOS__V1__RESOURCE__INIT;
    Resource *resources[] = {&cpus, &mem};
    Mesos__V1__TaskID task_id = MESOS__V1__TASK_ID__INIT;
    Mesos__V1__AgentID agent_id = MESOS__V1__AGENT_ID__INIT;
    Mesos__V1__CommandInfo command = MESOS__V1__COMMAND_INFO__INIT;
    Mesos__V1__TaskInfo task = MESOS__V1__TASK_INFO__INIT;
    Mesos__V1__TaskInfo *tasks[] = {&task};
    Mesos__V1__Offer__Operation__Launch launch = MESOS__V1__OFFER__OPERATION__LAUNCH__INIT;
    Mesos__V1__Offer__Operation op = MESOS__V1__OFFER__OPERATION__INIT;
    Mesos__V1__Offer__Operation *ops[] = {&op};
    Mesos__V1__Filters filters = MESOS__V1__FILTERS__INIT;
    Mesos__V1__Scheduler__Call__Accept accept = MESOS__V1__SCHEDULER__CALL__ACCEPT__INIT;
    Call call = MESOS__V1__SCHEDULER__CALL__INIT;

    fw.value = SESSION_FRAMEWORK;
    offer.value = MASTER_ID "-O2";
    alloc.role = "eng";
    cpus_value.value = 0.5;
    mem_value.value = 64;
    cpus.name = "cpus";
    cpus.scalar = &cpus_value;
    cpus.allocation_info = &alloc;
    mem.name = "mem";
    mem.scalar = &mem_value;
    mem.allocation_info = &alloc;
    task_id.value = "hello-1";
    agent_id.value = AGENT_ID;
    command.has_shell = 1;
    command.shell = 1;
    command.value = "echo hello; sleep 1";
    task.name = "hello";
    task.task_id = &task_id;
    task.agent_id = &agent_id;
    task.n_resources = 2;
    task.resources = resources;
    task.command = &command;
    launch.n_task_infos = 1;
    launch.task_infos = tasks;
    op.has_type = 1;
    op.type = MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH;
    op.launch = &launch;
    filters.has_refuse_seconds = 1;
    filters.refuse_seconds = 5;
    accept.n_offer_ids = 1;
    accept.offer_ids = offers;
    accept.n_operations = 1;
    accept.operations = ops;
    accept.filters = &filters;
    call.framework_id = &fw;
    call.has_type = 1;
    call.type = MESOS__V1__SCHEDULER__CALL__TYPE__ACCEPT;
    call.accept = &accept;
    check_protoc_decodes(&call.base, "mesos.v1.scheduler.Call", want_accept);
}

static const char want_decline[] = "framework_id {\n"
                                   "  value: \"1e8bba61-ce12-4c72-8fc3-5014c0521afd-0002\"\n"
                                   "}\n"
                                   "type: DECLINE\n"
                                   "decline {\n"
                                   "  offer_ids {\n"
                                   "    value: \"1e8bba61-ce12-4c72-8fc3-5014c0521afd-O3\"\n"
                                   "  }\n"
                                   "  offer_ids {\n"
                                   "    value: \"1e8bba61-ce12-4c72-8fc3-5014c0521afd-O4\"\n"
                                   "  }\n"
                                   "  filters {\n"
                                   "    refuse_seconds: 60\n"
                                   "  }\n"
                                   "}\n";

static void test_call_decline(void)
{
    Mesos__V1__FrameworkID fw = MESOS__V1__FRAMEWORK_ID__INIT;
    Mesos__V1__OfferID o3 = MESOS__V1__OFFER_ID__INIT, o4 = MESOS__V1__OFFER_ID__INIT;
    Mesos__V1__OfferID *offers[] = {&o3, &o4};
    Mesos__V1__Filters filters = MESOS__V1__FILTERS__INIT;
    Mesos__V1__Scheduler__Call__Decline decline = MESOS__V1__SCHEDULER__CALL__DECLINE__INIT;
    Call call = MESOS__V1__SCHEDULER__CALL__INIT;

    fw.value = SESSION_FRAMEWORK;
    o3.value = MASTER_ID "-O3";
    o4.value = MASTER_ID "-O4";
    filters.has_refuse_seconds = 1;
    filters.refuse_seconds = 60;
    decline.n_offer_ids = 2;
    decline.offer_ids = offers;
    decline.filters = &filters;
    call.framework_id = &fw;
    call.has_type = 1;
    call.type = MESOS__V1__SCHEDULER__CALL__TYPE__DECLINE;
    call.decline = &decline;
    check_protoc_decodes(&call.base, "mesos.v1.scheduler.Call", want_decline);
}

static const char want_suppress[] = "framework_id {\n"
                                    "  value: \"1e8bba61-ce12-4c72-8fc3-5014c0521afd-0002\"\n"
                                    "}\n"
                                    "type: SUPPRESS\n"
                                    "suppress {\n"
                                    "  roles: \"eng\"\n"
                                    "  roles: \"eng/batch\"\n"
                                    "}\n";

static void test_call_suppress(void)
{
    Mesos__V1__FrameworkID fw = MESOS__V1__FRAMEWORK_ID__INIT;
    char *roles[] = {"eng", "eng/batch"};
    Mesos__V1__Scheduler__Call__Suppress suppress = MESOS__V1__SCHEDULER__CALL__SUPPRESS__INIT;
    Call call = MESOS__V1__SCHEDULER__CALL__INIT;

    fw.value = SESSION_FRAMEWORK;
    suppress.n_roles = 2;
    suppress.roles = roles;
    call.framework_id = &fw;
    call.has_type = 1;
    call.type = MESOS__V1__SCHEDULER__CALL__TYPE__SUPPRESS;
    call.suppress = &suppress;
    check_protoc_decodes(&call.base, "mesos.v1.scheduler.Call", want_suppress);
}

/* ---- c. protoc encodes the recorded SUBSCRIBE, protobuf-c reads it ---------- */

static void check_subscribe_call(const Call *call)
{
    const Mesos__V1__FrameworkInfo *fi;
    CU_ASSERT_TRUE(call->has_type);
    CU_ASSERT_EQUAL(call->type, MESOS__V1__SCHEDULER__CALL__TYPE__SUBSCRIBE);
    CU_ASSERT_PTR_NULL(call->framework_id);
    REQUIRE(call->subscribe);
    CU_ASSERT_EQUAL(call->subscribe->n_suppressed_roles, 0);
    fi = call->subscribe->framework_info;
    REQUIRE(fi);
    ASSERT_STR(fi->user, "root");
    ASSERT_STR(fi->name, "fixture-protobuf");
    CU_ASSERT_PTR_NULL(fi->id);
    CU_ASSERT_TRUE(fi->has_failover_timeout);
    CU_ASSERT_DOUBLE_EQUAL(fi->failover_timeout, 60.0, 1e-9);
    REQUIRE_TRUE(fi->n_roles == 1);
    ASSERT_STR(fi->roles[0], "eng");
    REQUIRE_TRUE(fi->n_capabilities == 2);
    CU_ASSERT_TRUE(fi->capabilities[0]->has_type);
    CU_ASSERT_EQUAL(fi->capabilities[0]->type,
                    MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__MULTI_ROLE);
    CU_ASSERT_TRUE(fi->capabilities[1]->has_type);
    CU_ASSERT_EQUAL(fi->capabilities[1]->type,
                    MESOS__V1__FRAMEWORK_INFO__CAPABILITY__TYPE__RESERVATION_REFINEMENT);
}

static void test_subscribe_call_from_protoc(void)
{
    char *text = NULL;
    long len = test_read_file(test_data_path("subscribe-call.txt"), &text);
    owned wire = {NULL, 0};
    Call *call = NULL;
    if (len < 0) {
        CU_FAIL("cannot read subscribe-call.txt");
        goto out;
    }
    if (protoc_run("--encode=mesos.v1.scheduler.Call", text, (size_t)len, &wire) != 0) {
        CU_FAIL("protoc --encode failed");
        goto out;
    }
    call = mesos__v1__scheduler__call__unpack(NULL, wire.len, (const uint8_t *)wire.data);
    CU_ASSERT_PTR_NOT_NULL(call);
    if (!call)
        goto out;
    CU_ASSERT_EQUAL(count_unknown(&call->base), 0);
    check_subscribe_call(call);
out:
    if (call)
        mesos__v1__scheduler__call__free_unpacked(call, NULL);
    free(wire.data);
    free(text);
}

/* ---- d. and f. the recorded event streams, unpacked in C -------------------- */

static void check_scalar(const Resource *r, const char *name, double value)
{
    ASSERT_STR(r->name, name);
    CU_ASSERT_EQUAL(r->type, MESOS__V1__VALUE__TYPE__SCALAR);
    REQUIRE(r->scalar);
    CU_ASSERT_DOUBLE_EQUAL(r->scalar->value, value, 1e-9);
}

static void check_text_attribute(const Mesos__V1__Attribute *a, const char *name, const char *value)
{
    ASSERT_STR(a->name, name);
    CU_ASSERT_EQUAL(a->type, MESOS__V1__VALUE__TYPE__TEXT);
    REQUIRE(a->text);
    ASSERT_STR(a->text->value, value);
}

static void check_subscribed(const Event *ev, const char *framework_id)
{
    const Mesos__V1__MasterInfo *mi;
    CU_ASSERT_EQUAL(ev->type, MESOS__V1__SCHEDULER__EVENT__TYPE__SUBSCRIBED);
    REQUIRE(ev->subscribed);
    REQUIRE(ev->subscribed->framework_id);
    ASSERT_STR(ev->subscribed->framework_id->value, framework_id);
    CU_ASSERT_TRUE(ev->subscribed->has_heartbeat_interval_seconds);
    CU_ASSERT_DOUBLE_EQUAL(ev->subscribed->heartbeat_interval_seconds, 15.0, 1e-9);
    mi = ev->subscribed->master_info;
    REQUIRE(mi);
    ASSERT_STR(mi->id, MASTER_ID);
    CU_ASSERT_EQUAL(mi->ip, 16777343u); /* 127.0.0.1, network order */
    CU_ASSERT_EQUAL(mi->port, 5050u);
    ASSERT_STR(mi->version, "1.11.0");
    REQUIRE(mi->address);
    ASSERT_STR(mi->address->ip, "127.0.0.1");
    REQUIRE_TRUE(mi->n_capabilities == 3);
    CU_ASSERT_EQUAL(mi->capabilities[0]->type,
                    MESOS__V1__MASTER_INFO__CAPABILITY__TYPE__AGENT_UPDATE);
    CU_ASSERT_EQUAL(mi->capabilities[1]->type,
                    MESOS__V1__MASTER_INFO__CAPABILITY__TYPE__AGENT_DRAINING);
    /* v1 has no name for 3 (QUOTA_V2 exists only in the v0 API); protobuf-c
     * keeps the raw number where Google's proto2 runtime makes it unknown. */
    CU_ASSERT_TRUE(mi->capabilities[2]->has_type);
    CU_ASSERT_EQUAL((int)mi->capabilities[2]->type, 3);
}

static void check_offer(const Event *ev, const char *offer_id, const char *framework_id)
{
    const Offer *o;
    CU_ASSERT_EQUAL(ev->type, MESOS__V1__SCHEDULER__EVENT__TYPE__OFFERS);
    REQUIRE(ev->offers);
    REQUIRE_TRUE(ev->offers->n_offers == 1);
    o = ev->offers->offers[0];
    ASSERT_STR(o->id->value, offer_id);
    ASSERT_STR(o->framework_id->value, framework_id);
    ASSERT_STR(o->agent_id->value, AGENT_ID);
    ASSERT_STR(o->hostname, "localhost");
    REQUIRE(o->allocation_info);
    ASSERT_STR(o->allocation_info->role, "eng");
    REQUIRE_TRUE(o->n_resources == 4);
    ASSERT_STR(o->resources[0]->name, "ports");
    CU_ASSERT_EQUAL(o->resources[0]->type, MESOS__V1__VALUE__TYPE__RANGES);
    REQUIRE(o->resources[0]->ranges);
    REQUIRE_TRUE(o->resources[0]->ranges->n_range == 1);
    CU_ASSERT_EQUAL(o->resources[0]->ranges->range[0]->begin, 31000u);
    CU_ASSERT_EQUAL(o->resources[0]->ranges->range[0]->end, 32000u);
    check_scalar(o->resources[1], "cpus", 4);
    check_scalar(o->resources[2], "mem", 4096);
    check_scalar(o->resources[3], "disk", 1000);
    for (size_t i = 0; i < o->n_resources; i++) {
        REQUIRE(o->resources[i]->allocation_info);
        ASSERT_STR(o->resources[i]->allocation_info->role, "eng");
        CU_ASSERT_EQUAL(o->resources[i]->n_reservations, 0);
    }
    REQUIRE_TRUE(o->n_attributes == 2);
    check_text_attribute(o->attributes[0], "rack", "r1");
    check_text_attribute(o->attributes[1], "zone", "a");
    REQUIRE(o->url);
    ASSERT_STR(o->url->scheme, "http");
    CU_ASSERT_EQUAL(o->url->address->port, 5051);
    ASSERT_STR(o->url->path, "/slave(1)");
}

/* uuid: the 16 raw bytes protoc printed as an escaped string. */
static void check_update(const Event *ev, Mesos__V1__TaskState state, const char *uuid,
                         const char *message)
{
    const Mesos__V1__TaskStatus *st;
    CU_ASSERT_EQUAL(ev->type, MESOS__V1__SCHEDULER__EVENT__TYPE__UPDATE);
    REQUIRE(ev->update);
    st = ev->update->status;
    REQUIRE(st);
    ASSERT_STR(st->task_id->value, "hello-1");
    CU_ASSERT_EQUAL(st->state, state);
    ASSERT_STR(st->agent_id->value, AGENT_ID);
    REQUIRE(st->executor_id);
    ASSERT_STR(st->executor_id->value, "hello-1");
    CU_ASSERT_TRUE(st->has_source);
    CU_ASSERT_EQUAL(st->source, MESOS__V1__TASK_STATUS__SOURCE__SOURCE_EXECUTOR);
    CU_ASSERT_TRUE(st->has_uuid);
    REQUIRE_TRUE(st->uuid.len == 16);
    CU_ASSERT_EQUAL(memcmp(st->uuid.data, uuid, 16), 0);
    if (message) {
        ASSERT_STR(st->message, message);
    } else {
        CU_ASSERT_PTR_NULL(st->message);
    }
    REQUIRE(st->container_status);
    CU_ASSERT_EQUAL(st->container_status->executor_pid, 3282u);
    REQUIRE(st->container_status->container_id);
    ASSERT_STR(st->container_status->container_id->value, "eac8efa6-e81a-465e-a5f7-14fe3ed31704");
}

/* Every record re-packs to its own bytes and leaves nothing unknown. */
static void check_round_trip(const char *file, Event *const *ev, long n)
{
    char *buf = NULL;
    long size = test_read_file(test_data_path(file), &buf);
    span rec[MAX_RECORDS];
    if (size < 0 || recordio_split(buf, (size_t)size, rec, MAX_RECORDS) != n) {
        CU_FAIL("cannot re-read the records");
        free(buf);
        return;
    }
    for (long i = 0; i < n; i++) {
        uint8_t *wire = NULL;
        size_t len = 0;
        CU_ASSERT_EQUAL(count_unknown(&ev[i]->base), 0);
        CU_ASSERT(pack(&ev[i]->base, &wire, &len) == 0 && len == rec[i].len &&
                  memcmp(wire, rec[i].data, len) == 0);
        free(wire);
    }
    free(buf);
}

static void test_session_events(void)
{
    Event *ev[MAX_RECORDS];
    long n = load_events("session.recordio", ev, MAX_RECORDS);
    const ProtobufCFieldDescriptor *uuid = protobuf_c_message_descriptor_get_field_by_name(
        &mesos__v1__task_status__descriptor, "uuid");
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT(uuid && uuid->type == PROTOBUF_C_TYPE_BYTES);
    if (n != 6)
        goto out;
    check_subscribed(ev[0], SESSION_FRAMEWORK);
    CU_ASSERT_EQUAL(ev[1]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT);
    check_offer(ev[2], MASTER_ID "-O2", SESSION_FRAMEWORK);
    check_update(ev[3], MESOS__V1__TASK_STATE__TASK_STARTING,
                 "0\310\227\226\356\364M\342\263\021\227\251\017 \242i", NULL);
    check_update(ev[4], MESOS__V1__TASK_STATE__TASK_RUNNING,
                 "w\346\303\310\240HI\203\211\304\204\350;\nz\262", NULL);
    check_update(ev[5], MESOS__V1__TASK_STATE__TASK_FINISHED,
                 "\257\272\257\250\370\266G\031\201\340P\375\340\306\231\357",
                 "Command exited with status 0");
    check_round_trip("session.recordio", ev, n);
out:
    free_events(ev, n);
}

static void test_sub_pb_events(void)
{
    Event *ev[MAX_RECORDS];
    long n = load_events("sub-pb.recordio", ev, MAX_RECORDS);
    CU_ASSERT_EQUAL(n, 3);
    if (n != 3)
        goto out;
    check_subscribed(ev[0], MASTER_ID "-0001");
    CU_ASSERT_EQUAL(ev[1]->type, MESOS__V1__SCHEDULER__EVENT__TYPE__HEARTBEAT);
    check_offer(ev[2], MASTER_ID "-O1", MASTER_ID "-0001");
    check_round_trip("sub-pb.recordio", ev, n);
out:
    free_events(ev, n);
}

/* ---- e. protoc prints each record exactly as the fixture recorded ----------- */

static void test_session_text_matches_fixture(void)
{
    char *stream = NULL, *text = NULL;
    long stream_len = test_read_file(test_data_path("session.recordio"), &stream);
    long text_len = test_read_file(test_data_path("session.events.txt"), &text);
    span rec[MAX_RECORDS], sec[MAX_RECORDS];
    long n_rec, n_sec;
    if (stream_len < 0 || text_len < 0) {
        CU_FAIL("cannot read session.recordio or session.events.txt");
        goto out;
    }
    n_rec = recordio_split(stream, (size_t)stream_len, rec, MAX_RECORDS);
    n_sec = sections_split(text, (size_t)text_len, sec, MAX_RECORDS);
    CU_ASSERT_EQUAL(n_rec, 6);
    CU_ASSERT_EQUAL(n_sec, n_rec);
    for (long i = 0; i < n_rec && n_sec == n_rec; i++) {
        owned got = {NULL, 0};
        if (protoc_run("--decode=mesos.v1.scheduler.Event", rec[i].data, rec[i].len, &got) == 0)
            assert_same_text(got.data, got.len, (const char *)sec[i].data, sec[i].len);
        else
            CU_FAIL("protoc --decode failed");
        free(got.data);
    }
out:
    free(stream);
    free(text);
}

int suite_proto(void)
{
    static const test_case cases[] = {
        {"C-packed Resource with refined reservation decodes in protoc",
         test_resource_refined_reservation},
        {"C-packed ACCEPT with LAUNCH decodes in protoc", test_call_accept_launch},
        {"C-packed DECLINE decodes in protoc", test_call_decline},
        {"C-packed SUPPRESS with roles decodes in protoc", test_call_suppress},
        {"protoc-encoded SUBSCRIBE unpacks in C", test_subscribe_call_from_protoc},
        {"recorded session unpacks in C", test_session_events},
        {"recorded session prints like the fixture", test_session_text_matches_fixture},
        {"recorded protobuf subscription unpacks in C", test_sub_pb_events},
        {NULL, NULL},
    };
    return test_add_suite("proto", cases);
}
