/* test_resources_pb.c: resources to and from protobuf-c, checked by protoc.
 *
 * The model written as mesos.v1.Resource messages must decode with Google's
 * protoc into the text written out by hand below (fields in field-number
 * order, as protoc prints them), and text that protoc encodes, in the
 * pre-refinement format a Mesos 1.x master may still send, must read back
 * into the upgraded model. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "hdrf/resources_pb.h"
#include "test/protoc_harness.h"
#include "test/test.h"

static hdrf_resources *parse(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_parse(text, NULL, &rs, &err), HDRF_OK);
    return rs;
}

static const char *const want_text[] = {
    "name: \"cpus\"\n"
    "type: SCALAR\n"
    "scalar {\n  value: 0.5\n}\n"
    "allocation_info {\n  role: \"eng/batch\"\n}\n"
    "reservations {\n  role: \"eng\"\n  type: STATIC\n}\n", /* role = 3, type = 4 */

    "name: \"ports\"\n"
    "type: RANGES\n"
    "ranges {\n  range {\n    begin: 31000\n    end: 31005\n  }\n"
    "  range {\n    begin: 31010\n    end: 31010\n  }\n}\n"
    "allocation_info {\n  role: \"eng/batch\"\n}\n",

    "name: \"zones\"\n"
    "type: SET\n"
    "set {\n  item: \"a\"\n  item: \"b\"\n}\n"
    "allocation_info {\n  role: \"eng/batch\"\n}\n",
};

static void test_protoc_decodes_what_we_write(void)
{
    hdrf_resources *rs = parse("cpus(eng):0.5;ports:[31000-31005,31010-31010];zones:{b,a}");
    Mesos__V1__Resource **msgs = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(hdrf_resources_allocate(rs, "eng/batch"), HDRF_OK);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_to_pb(rs, &msgs, &n), HDRF_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    for (size_t i = 0; i < n; i++)
        check_protoc_decodes(&msgs[i]->base, "mesos.v1.Resource", want_text[i]);
    hdrf_resources_pb_free(msgs, n);
    hdrf_resources_free(rs);
}

/* What a pre-refinement master sends for a dynamically reserved disk. */
static const char legacy_text[] =
    "name: \"disk\"\n"
    "type: SCALAR\n"
    "scalar { value: 128 }\n"
    "role: \"eng\"\n"
    "reservation { principal: \"ops\" labels { labels { key: \"k\" value: \"v\" } } }\n"
    "disk { persistence { id: \"vol-1\" principal: \"ops\" }\n"
    "       volume { container_path: \"data\" mode: RO } }\n";

static void test_we_read_what_protoc_writes(void)
{
    owned packed = {NULL, 0};
    CU_ASSERT_EQUAL_FATAL(
        protoc_run("--encode=mesos.v1.Resource", legacy_text, strlen(legacy_text), &packed), 0);
    hdrf_resources *rs = hdrf_resources_new();
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_resources_add_packed(rs, (const uint8_t *)packed.data, packed.len, &err),
                    HDRF_OK);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_size(rs), 1);
    const hdrf_resource *disk = hdrf_resources_at(rs, 0);
    const char *role, *principal;
    CU_ASSERT_EQUAL(hdrf_resource_reservation_count(disk), 1);
    CU_ASSERT_EQUAL(hdrf_resource_reservation(disk, 0, &role, &principal),
                    HDRF_RESERVATION_DYNAMIC);
    CU_ASSERT_STRING_EQUAL(role, "eng");
    CU_ASSERT_STRING_EQUAL(principal, "ops");
    CU_ASSERT_STRING_EQUAL(hdrf_resource_persistence_id(disk), "vol-1");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(rs, "disk"), 128000);
    char *text = hdrf_resources_format(rs);
    CU_ASSERT_STRING_EQUAL(text, "disk(reservations: [(DYNAMIC,eng,ops,{k: v})])[vol-1:data]:128");
    free(text);

    /* A malformed buffer is refused and leaves the collection as it was. */
    CU_ASSERT_EQUAL(hdrf_resources_add_packed(rs, (const uint8_t *)"\xff\xff", 2, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_resources_size(rs), 1);
    free(packed.data);
    hdrf_resources_free(rs);
}

static void test_round_trip(void)
{
#define SHARED_MOUNT_VOLUME                                                                        \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"                            \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"},"                                    \
    "{\"type\":\"DYNAMIC\",\"role\":\"eng/x\",\"principal\":\"p\","                                \
    "\"labels\":{\"labels\":[{\"key\":\"a\"}]}}],"                                                 \
    "\"disk\":{\"persistence\":{\"id\":\"v\"},"                                                    \
    "\"source\":{\"type\":\"MOUNT\",\"mount\":{\"root\":\"/m\"},\"id\":\"d1\","                    \
    "\"metadata\":{\"labels\":[]}}},\"shared\":{}}"
    /* The shared volume twice: a count of 2 must come back as 2. */
    static const char *const inputs[] = {
        "cpus:24;mem:4096;disk(role):100;ports:[31000-32000];zones:{a,b}",
        "[" SHARED_MOUNT_VOLUME "," SHARED_MOUNT_VOLUME ","
        "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":0.001},"
        "\"revocable\":{},\"provider_id\":{\"value\":\"rp\"},"
        "\"allocation_info\":{\"role\":\"a/b\"}}]",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        hdrf_resources *rs = parse(inputs[i]), *back = NULL;
        Mesos__V1__Resource **msgs = NULL;
        size_t n = 0;
        hdrf_error err;
        CU_ASSERT_EQUAL_FATAL(hdrf_resources_to_pb(rs, &msgs, &n), HDRF_OK);
        for (size_t k = 0; k < n; k++)
            CU_ASSERT_EQUAL(count_unknown(&msgs[k]->base), 0);
        CU_ASSERT_EQUAL(hdrf_resources_from_pb(msgs, n, NULL, &back, &err), HDRF_OK);
        CU_ASSERT_PTR_NOT_NULL_FATAL(back);
        CU_ASSERT_TRUE(hdrf_resources_equal(rs, back));
        CU_ASSERT_EQUAL(hdrf_resources_size(rs), hdrf_resources_size(back));
        hdrf_resources_pb_free(msgs, n);
        hdrf_resources_free(back);
        hdrf_resources_free(rs);
    }
}

static void test_bad_messages(void)
{
    Mesos__V1__Value__Range range = MESOS__V1__VALUE__RANGE__INIT;
    Mesos__V1__Value__Range *ranges_v[] = {&range};
    Mesos__V1__Value__Ranges ranges = MESOS__V1__VALUE__RANGES__INIT;
    Mesos__V1__Resource ports = MESOS__V1__RESOURCE__INIT;
    Mesos__V1__Resource *msgs[] = {&ports};
    hdrf_resources *out = (hdrf_resources *)1;
    hdrf_error err;
    range.begin = 10;
    range.end = 5;
    ranges.n_range = 1;
    ranges.range = ranges_v;
    ports.name = "ports";
    ports.type = MESOS__V1__VALUE__TYPE__RANGES;
    ports.ranges = &ranges;
    CU_ASSERT_EQUAL(hdrf_resources_from_pb(msgs, 1, NULL, &out, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_STRING_EQUAL(err.token, "[0]");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "begins after it ends"));

    /* A refinement that does not go down the role tree. */
    Mesos__V1__Value__Scalar one = MESOS__V1__VALUE__SCALAR__INIT;
    Mesos__V1__Resource__ReservationInfo a = MESOS__V1__RESOURCE__RESERVATION_INFO__INIT,
                                         b = MESOS__V1__RESOURCE__RESERVATION_INFO__INIT;
    Mesos__V1__Resource__ReservationInfo *stack[] = {&a, &b};
    Mesos__V1__Resource cpus = MESOS__V1__RESOURCE__INIT;
    one.value = 1;
    a.has_type = b.has_type = 1;
    a.type = MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__STATIC;
    b.type = MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__DYNAMIC;
    a.role = "eng";
    b.role = "ads";
    cpus.name = "cpus";
    cpus.type = MESOS__V1__VALUE__TYPE__SCALAR;
    cpus.scalar = &one;
    cpus.n_reservations = 2;
    cpus.reservations = stack;
    msgs[0] = &cpus;
    CU_ASSERT_EQUAL(hdrf_resources_from_pb(msgs, 1, NULL, &out, &err), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.token, "[0].reservations[1]");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "descendant"));
}

int suite_resources_pb(void)
{
    static const test_case cases[] = {
        {"protoc decodes what we write", test_protoc_decodes_what_we_write},
        {"we read what protoc writes (pre-refinement)", test_we_read_what_protoc_writes},
        {"round trip", test_round_trip},
        {"bad messages", test_bad_messages},
        {NULL, NULL},
    };
    return test_add_suite("resources_pb", cases);
}
