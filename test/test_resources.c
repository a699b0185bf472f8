/* test_resources.c: the resource model against Mesos's documented behaviour.
 *
 * Expected values are worked out by hand from Mesos 1.11's semantics
 * (src/common/resources.cpp and the docs' "Resources" page): parsing the
 * flag syntax, fixed-point scalars, combining only with equal metadata,
 * subtraction that drops what goes negative, shared counts, exclusive disks,
 * reservations and their refinement, the allocation role, errors with
 * positions. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "hdrf/resources_json.h"
#include "test/test.h"

static hdrf_resources *parse(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    int status = hdrf_resources_parse(text, NULL, &rs, &err);
    CU_ASSERT_EQUAL_FATAL(status, HDRF_OK);
    return rs;
}

static void assert_format(const hdrf_resources *rs, const char *want)
{
    char *got = hdrf_resources_format(rs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

static void test_parse_flag_syntax(void)
{
    hdrf_resources *rs = parse("cpus:24;mem:4096;disk(role):100;ports:[31000-32000];zones:{a,b}");
    CU_ASSERT_EQUAL(hdrf_resources_size(rs), 5);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(rs, "cpus"), 24000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(rs, "mem"), 4096000);

    const hdrf_resource *disk = hdrf_resources_at(rs, 2);
    CU_ASSERT_STRING_EQUAL(hdrf_resource_name(disk), "disk");
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(disk), "role");
    const char *role, *principal;
    CU_ASSERT_EQUAL(hdrf_resource_reservation(disk, 0, &role, &principal), HDRF_RESERVATION_STATIC);
    CU_ASSERT_PTR_NULL(principal);

    size_t n;
    const hdrf_range *ports = hdrf_resource_ranges(hdrf_resources_at(rs, 3), &n);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(ports[0].begin, 31000);
    CU_ASSERT_EQUAL(ports[0].end, 32000);

    const char *const *zones = hdrf_resource_set(hdrf_resources_at(rs, 4), &n);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_STRING_EQUAL(zones[0], "a");
    CU_ASSERT_STRING_EQUAL(zones[1], "b");

    assert_format(rs, "cpus:24; mem:4096; disk(role):100; ports:[31000-32000]; zones:{a, b}");
    hdrf_resources_free(rs);
}

static void test_parse_whitespace_and_empty_items(void)
{
    /* Mesos drops spaces inside values and skips empty items. */
    hdrf_resources *rs = parse(" cpus : 2 ; ; ports:[ 1-2 , 4 - 5 ];zones:{ x , y };");
    CU_ASSERT_EQUAL(hdrf_resources_size(rs), 3);
    assert_format(rs, "cpus:2; ports:[1-2, 4-5]; zones:{x, y}");
    hdrf_resources_free(rs);
}

static void test_default_role(void)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_resources_parse("cpus:1;mem(*):2;disk(ads):3", "eng", &rs, &err), HDRF_OK);
    /* No role: the default. "(*)": explicitly unreserved. "(ads)": its own. */
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(hdrf_resources_at(rs, 0)), "eng");
    CU_ASSERT_TRUE(hdrf_resource_is_unreserved(hdrf_resources_at(rs, 1)));
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(hdrf_resources_at(rs, 2)), "ads");
    hdrf_resources_free(rs);
    CU_ASSERT_EQUAL(hdrf_resources_parse("cpus:1", "/bad", &rs, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(rs);
    CU_ASSERT_STRING_EQUAL(err.token, "/bad");
}

static void test_scalars_are_fixed_point(void)
{
    /* 0.1 has no exact double; a million additions of it in doubles drift. */
    hdrf_resources *sum = hdrf_resources_new(), *tenth = parse("cpus:0.1");
    int failures = 0;
    for (int i = 0; i < 1000000; i++)
        failures += hdrf_resources_add(sum, tenth) != HDRF_OK;
    CU_ASSERT_EQUAL(hdrf_resources_scalar(sum, "cpus"), 100000 * HDRF_MILLI);
    for (int i = 0; i < 999999; i++)
        failures += hdrf_resources_subtract(sum, tenth) != HDRF_OK;
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_TRUE(hdrf_resources_equal(sum, tenth));
    assert_format(sum, "cpus:0.1");
    hdrf_resources_free(sum);
    hdrf_resources_free(tenth);

    /* Mesos rounds to three decimals: 0.0005 -> 0.001, 2.0004 -> 2. */
    hdrf_resources *r = parse("cpus:0.0005;mem:2.0004;disk:1.25");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(r, "cpus"), 1);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(r, "mem"), 2000);
    assert_format(r, "cpus:0.001; mem:2; disk:1.25");
    hdrf_resources_free(r);
}

static void test_combine_only_equal_metadata(void)
{
    hdrf_resources *rs = parse("cpus:1;cpus:2;cpus(eng):3;cpus(eng):0.5");
    CU_ASSERT_EQUAL(hdrf_resources_size(rs), 2);
    assert_format(rs, "cpus:3; cpus(eng):3.5");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(rs, "cpus"), 6500);
    hdrf_resources_free(rs);

    /* Ranges and sets merge too: adjacent ranges coalesce. */
    rs = parse("ports:[1-3];ports:[4-5,10-12];zones:{a};zones:{b,a}");
    assert_format(rs, "ports:[1-5, 10-12]; zones:{a, b}");
    hdrf_resources_free(rs);

    /* Revocable and non-revocable cpus stay apart. */
    hdrf_resources *a = parse("cpus:1"), *b = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(
        hdrf_resources_parse("[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2},"
                             "\"revocable\":{}}]",
                             NULL, &b, &err),
        HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_add(a, b), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_size(a), 2);
    assert_format(a, "cpus:1; cpus{REV}:2");
    hdrf_resources *rev = hdrf_resources_revocable(a), *nonrev = hdrf_resources_non_revocable(a);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(rev, "cpus"), 2000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(nonrev, "cpus"), 1000);
    hdrf_resources_free(rev);
    hdrf_resources_free(nonrev);
    hdrf_resources_free(a);
    hdrf_resources_free(b);
}

static void test_subtract_mesos_semantics(void)
{
    hdrf_resources *a = parse("cpus:2;mem:10;ports:[1-10];zones:{a,b,c}");
    hdrf_resources *b = parse("cpus:3;mem:4;ports:[3-4];zones:{b,z}");
    CU_ASSERT_FALSE(hdrf_resources_contains(a, b));
    CU_ASSERT_EQUAL(hdrf_resources_subtract(a, b), HDRF_OK);
    /* cpus would go negative: dropped. The range splits around [3-4]. A set
     * difference is defined even for items not present (z). */
    assert_format(a, "mem:6; ports:[1-2, 5-10]; zones:{a, c}");
    hdrf_resources_free(b);

    /* Reserved resources are not taken from unreserved ones. */
    b = parse("mem(eng):6");
    CU_ASSERT_EQUAL(hdrf_resources_subtract(a, b), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a, "mem"), 6000);
    hdrf_resources_free(b);

    /* Subtracting itself empties it. */
    CU_ASSERT_EQUAL(hdrf_resources_subtract(a, a), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_resources_empty(a));
    hdrf_resources_free(a);
}

static void test_contains_and_equal(void)
{
    hdrf_resources *all = parse("cpus:2;mem:10;ports:[31000-32000]");
    hdrf_resources *part = parse("cpus:1;ports:[31000-31010,31500-31500]");
    hdrf_resources *reserved = parse("cpus(eng):1");
    hdrf_resources *gpus = parse("gpus:1");
    hdrf_resources *reordered = parse("ports:[31000-32000];mem:10;cpus:1.5;cpus:0.5");
    CU_ASSERT_TRUE(hdrf_resources_contains(all, part));
    CU_ASSERT_FALSE(hdrf_resources_contains(part, all));
    CU_ASSERT_FALSE(hdrf_resources_contains(all, reserved));
    CU_ASSERT_FALSE(hdrf_resources_contains(all, gpus));
    CU_ASSERT_TRUE(hdrf_resources_equal(all, reordered));
    CU_ASSERT_FALSE(hdrf_resources_equal(all, part));
    hdrf_resources *empty = hdrf_resources_new();
    CU_ASSERT_TRUE(hdrf_resources_contains(all, empty));
    CU_ASSERT_TRUE(hdrf_resources_empty(empty));
    hdrf_resources_free(empty);
    hdrf_resources_free(all);
    hdrf_resources_free(part);
    hdrf_resources_free(reserved);
    hdrf_resources_free(gpus);
    hdrf_resources_free(reordered);
}

static hdrf_resources *parse_json(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    int status = hdrf_resources_parse(text, NULL, &rs, &err);
    if (status != HDRF_OK)
        fprintf(stderr, "\n%s: %s at %s\n", text, err.text, err.token);
    CU_ASSERT_EQUAL_FATAL(status, HDRF_OK);
    return rs;
}

#define SHARED_VOLUME                                                                              \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"                            \
    "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"eng\",\"principal\":\"p\"}],"              \
    "\"disk\":{\"persistence\":{\"id\":\"shared1\"},"                                              \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}},\"shared\":{}}"

static void test_shared_resources_count(void)
{
    /* Mesos keeps one copy of a shared resource and counts it. */
    hdrf_resources *two = parse_json("[" SHARED_VOLUME "," SHARED_VOLUME "]");
    hdrf_resources *one = parse_json("[" SHARED_VOLUME "]");
    CU_ASSERT_EQUAL(hdrf_resources_size(two), 1);
    CU_ASSERT_EQUAL(hdrf_resource_shared_count(hdrf_resources_at(two, 0)), 2);
    CU_ASSERT_TRUE(hdrf_resource_is_shared(hdrf_resources_at(two, 0)));
    CU_ASSERT_TRUE(hdrf_resources_contains(two, one));
    CU_ASSERT_FALSE(hdrf_resources_contains(one, two));

    hdrf_resources *shared = hdrf_resources_shared(two), *plain = hdrf_resources_non_shared(two);
    CU_ASSERT_EQUAL(hdrf_resources_size(shared), 1);
    CU_ASSERT_TRUE(hdrf_resources_empty(plain));
    hdrf_resources_free(shared);
    hdrf_resources_free(plain);

    CU_ASSERT_EQUAL(hdrf_resources_subtract(two, one), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resource_shared_count(hdrf_resources_at(two, 0)), 1);
    CU_ASSERT_TRUE(hdrf_resources_equal(two, one));
    CU_ASSERT_EQUAL(hdrf_resources_subtract(two, one), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_resources_empty(two));
    hdrf_resources_free(two);
    hdrf_resources_free(one);
}

#define VOLUME(id)                                                                                 \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":10},"                            \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"}],"                                   \
    "\"disk\":{\"persistence\":{\"id\":\"" id "\"}}}"
#define MOUNT(root, size)                                                                          \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" size "},"                      \
    "\"disk\":{\"source\":{\"type\":\"MOUNT\",\"mount\":{\"root\":\"" root "\"}}}}"

static void test_exclusive_disks_stay_whole(void)
{
    /* Persistent volumes never merge, not even with themselves. */
    hdrf_resources *vols = parse_json("[" VOLUME("v1") "," VOLUME("v2") "," VOLUME("v1") "]");
    CU_ASSERT_EQUAL(hdrf_resources_size(vols), 3);
    hdrf_resources *pv = hdrf_resources_persistent_volumes(vols);
    CU_ASSERT_EQUAL(hdrf_resources_size(pv), 3);
    CU_ASSERT_STRING_EQUAL(hdrf_resource_persistence_id(hdrf_resources_at(vols, 1)), "v2");
    hdrf_resources_free(pv);
    hdrf_resources *v1 = parse_json("[" VOLUME("v1") "]");
    hdrf_resources *v1v1 = parse_json("[" VOLUME("v1") "," VOLUME("v1") "]");
    CU_ASSERT_TRUE(hdrf_resources_contains(vols, v1v1));
    CU_ASSERT_FALSE(hdrf_resources_contains(v1, v1v1));
    CU_ASSERT_EQUAL(hdrf_resources_subtract(vols, v1), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_size(vols), 2);
    hdrf_resources_free(vols);
    hdrf_resources_free(v1);
    hdrf_resources_free(v1v1);

    /* A MOUNT disk is used whole: part of it cannot be taken away. */
    hdrf_resources *mounts = parse_json("[" MOUNT("/mnt/a", "100") "," MOUNT("/mnt/a", "100") "]");
    hdrf_resources *part = parse_json("[" MOUNT("/mnt/a", "40") "]");
    hdrf_resources *whole = parse_json("[" MOUNT("/mnt/a", "100") "]");
    CU_ASSERT_EQUAL(hdrf_resources_size(mounts), 2);
    CU_ASSERT_EQUAL(hdrf_resource_disk_source(hdrf_resources_at(mounts, 0)),
                    HDRF_DISK_SOURCE_MOUNT);
    CU_ASSERT_FALSE(hdrf_resources_contains(mounts, part));
    CU_ASSERT_EQUAL(hdrf_resources_subtract(mounts, part), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_size(mounts), 2);
    CU_ASSERT_EQUAL(hdrf_resources_subtract(mounts, whole), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_size(mounts), 1);
    assert_format(mounts, "disk[MOUNT:/mnt/a]:100");
    hdrf_resources_free(mounts);
    hdrf_resources_free(part);
    hdrf_resources_free(whole);
}

static void test_role_filters(void)
{
    hdrf_resources *rs = parse("cpus:1;cpus(eng):2;cpus(eng/batch):4;cpus(ads):8");
    struct {
        hdrf_resources *got;
        int64_t cpus;
    } cases[] = {
        {hdrf_resources_unreserved(rs), 1000},
        {hdrf_resources_reserved(rs, NULL), 14000},
        {hdrf_resources_reserved(rs, "eng"), 2000},
        /* eng/batch may use its own, eng's (an ancestor's) and unreserved. */
        {hdrf_resources_allocatable_to(rs, "eng/batch"), 7000},
        {hdrf_resources_allocatable_to(rs, "eng"), 3000},
        {hdrf_resources_allocatable_to(rs, "engineering"), 1000},
        {hdrf_resources_scalars(rs), 15000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(cases[i].got);
        CU_ASSERT_EQUAL(hdrf_resources_scalar(cases[i].got, "cpus"), cases[i].cpus);
        hdrf_resources_free(cases[i].got);
    }
    const hdrf_resource *batch = hdrf_resources_at(rs, 2);
    CU_ASSERT_TRUE(hdrf_resource_is_reserved_to_subtree(batch, "eng"));
    CU_ASSERT_FALSE(hdrf_resource_is_reserved_to_subtree(batch, "eng/batch/x"));
    CU_ASSERT_FALSE(hdrf_resource_is_dynamically_reserved(batch));
    hdrf_resources_free(rs);
}

static void test_roles(void)
{
    CU_ASSERT_TRUE(hdrf_role_is_in_subtree("eng/batch", "eng"));
    CU_ASSERT_TRUE(hdrf_role_is_in_subtree("eng", "eng"));
    CU_ASSERT_FALSE(hdrf_role_is_in_subtree("engineering", "eng"));
    CU_ASSERT_FALSE(hdrf_role_is_in_subtree("eng", "eng/batch"));
    const char *ok[] = {"*", "eng", "eng/batch", "a.b", "x-y", "a/b/c"};
    const char *bad[] = {"",    "/eng", "eng/", "a//b", ".",   "a/..",
                         "a/*", "-a",   "b/-a", "a b",  "a\tb"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        CU_ASSERT_PTR_NULL(hdrf_role_invalid(ok[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CU_ASSERT_PTR_NOT_NULL(hdrf_role_invalid(bad[i]));
}

static void test_reservation_stack(void)
{
    hdrf_resources *rs = parse("cpus:4;mem:64");
    hdrf_label labels[] = {{"purpose", "batch"}, {"flag", NULL}};
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(rs, HDRF_RESERVATION_DYNAMIC, "eng", "alice", labels, 2),
        HDRF_OK);
    assert_format(rs, "cpus(reservations: [(DYNAMIC,eng,alice,{purpose: batch, flag})]):4; "
                      "mem(reservations: [(DYNAMIC,eng,alice,{purpose: batch, flag})]):64");
    /* Refinement must go down the tree and be dynamic. */
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(rs, HDRF_RESERVATION_DYNAMIC, "ads", NULL, NULL, 0),
        HDRF_EINVAL);
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(rs, HDRF_RESERVATION_STATIC, "eng/batch", NULL, NULL, 0),
        HDRF_EINVAL);
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(rs, HDRF_RESERVATION_DYNAMIC, "eng", NULL, NULL, 0),
        HDRF_EINVAL);
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(rs, HDRF_RESERVATION_DYNAMIC, "eng/batch", "bob", NULL, 0),
        HDRF_OK);
    const hdrf_resource *cpus = hdrf_resources_at(rs, 0);
    CU_ASSERT_EQUAL(hdrf_resource_reservation_count(cpus), 2);
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(cpus), "eng/batch");
    CU_ASSERT_TRUE(hdrf_resource_is_dynamically_reserved(cpus));
    /* Refined to eng/batch: no longer offered to eng itself. */
    hdrf_resources *for_eng = hdrf_resources_allocatable_to(rs, "eng");
    CU_ASSERT_TRUE(hdrf_resources_empty(for_eng));
    hdrf_resources_free(for_eng);

    CU_ASSERT_EQUAL(hdrf_resources_pop_reservation(rs), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(hdrf_resources_at(rs, 0)), "eng");
    CU_ASSERT_EQUAL(hdrf_resources_pop_reservation(rs), HDRF_OK);
    hdrf_resources *plain = parse("cpus:4;mem:64");
    CU_ASSERT_TRUE(hdrf_resources_equal(rs, plain));
    /* Nothing to pop, and static reservations cannot be popped. */
    CU_ASSERT_EQUAL(hdrf_resources_pop_reservation(rs), HDRF_EINVAL);
    hdrf_resources *stat = parse("cpus(eng):1");
    CU_ASSERT_EQUAL(hdrf_resources_pop_reservation(stat), HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(hdrf_resource_reservation_role(hdrf_resources_at(stat, 0)), "eng");
    hdrf_resources_free(stat);
    hdrf_resources_free(plain);
    hdrf_resources_free(rs);
}

static void test_unreserve_and_flatten(void)
{
    /* Popping makes equal resources combine again. */
    hdrf_resources *rs = parse("cpus:1;cpus(eng):2;cpus(ads):4");
    CU_ASSERT_EQUAL(hdrf_resources_flatten(rs, "ops"), HDRF_OK);
    assert_format(rs, "cpus(ops):7");
    CU_ASSERT_EQUAL(hdrf_resources_flatten(rs, "*"), HDRF_OK);
    assert_format(rs, "cpus:7");
    hdrf_resources_free(rs);

    rs = parse("cpus(eng):2;mem(ads):4;mem:1");
    CU_ASSERT_EQUAL(hdrf_resources_to_unreserved(rs), HDRF_OK);
    assert_format(rs, "cpus:2; mem:5");
    CU_ASSERT_EQUAL(hdrf_resources_flatten(rs, "a//b"), HDRF_EINVAL);
    assert_format(rs, "cpus:2; mem:5");
    hdrf_resources_free(rs);
}

static void test_allocation_role(void)
{
    hdrf_resources *rs = parse("cpus:1;mem:2"), *other = parse("cpus:3");
    const char *role = "unset";
    CU_ASSERT_EQUAL(hdrf_resources_allocation_role(rs, &role), HDRF_OK);
    CU_ASSERT_PTR_NULL(role);
    CU_ASSERT_EQUAL(hdrf_resources_allocate(rs, "eng"), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_allocation_role(rs, &role), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(role, "eng");
    assert_format(rs, "cpus(allocated: eng):1; mem(allocated: eng):2");
    /* Allocated and unallocated cpus are different resources. */
    CU_ASSERT_EQUAL(hdrf_resources_add(rs, other), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_resources_size(rs), 3);
    CU_ASSERT_EQUAL(hdrf_resources_allocation_role(rs, &role), HDRF_EINVAL);
    hdrf_resources *eng = hdrf_resources_allocated_to(rs, "eng");
    hdrf_resources *none = hdrf_resources_allocated_to(rs, NULL);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(eng, "cpus"), 1000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(none, "cpus"), 3000);
    hdrf_resources_free(eng);
    hdrf_resources_free(none);
    /* Unallocating merges them back. */
    CU_ASSERT_EQUAL(hdrf_resources_allocate(rs, NULL), HDRF_OK);
    assert_format(rs, "cpus:4; mem:2");
    hdrf_resources_free(rs);
    hdrf_resources_free(other);
}

static void test_annotated_format(void)
{
    hdrf_resources *rs = parse_json(
        "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"
        "\"allocation_info\":{\"role\":\"eng\"},"
        "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"eng\",\"principal\":\"alice\"}],"
        "\"disk\":{\"persistence\":{\"id\":\"v1\"},"
        "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}}}]");
    /* Mesos's operator<< for this Resource, written out by hand. */
    assert_format(rs, "disk(allocated: eng)(reservations: [(DYNAMIC,eng,alice)])[v1:data]:64");
    CU_ASSERT_TRUE(hdrf_resource_is_persistent_volume(hdrf_resources_at(rs, 0)));
    hdrf_resources_free(rs);
}

static void test_json_form(void)
{
    /* The pre-refinement format is upgraded: role + reservation = DYNAMIC. */
    hdrf_resources *rs = parse_json(
        "[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1.5},"
        "\"role\":\"eng\",\"reservation\":{\"principal\":\"p\"}},"
        " {\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2},\"role\":\"eng\"},"
        " {\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":"
        "[{\"begin\":5,\"end\":9},{\"begin\":1,\"end\":3}]}},"
        " {\"name\":\"zones\",\"type\":\"SET\",\"set\":{\"item\":[\"b\",\"a\"]}}]");
    const char *role, *principal;
    CU_ASSERT_EQUAL(hdrf_resource_reservation(hdrf_resources_at(rs, 0), 0, &role, &principal),
                    HDRF_RESERVATION_DYNAMIC);
    CU_ASSERT_STRING_EQUAL(role, "eng");
    CU_ASSERT_STRING_EQUAL(principal, "p");
    CU_ASSERT_EQUAL(hdrf_resource_reservation(hdrf_resources_at(rs, 1), 0, &role, &principal),
                    HDRF_RESERVATION_STATIC);
    assert_format(rs, "cpus(reservations: [(DYNAMIC,eng,p)]):1.5; mem(eng):2; "
                      "ports:[1-3, 5-9]; zones:{a, b}");

    char *json = hdrf_resources_format_json(rs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    CU_ASSERT_STRING_EQUAL(
        json, "[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1.5},"
              "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"eng\",\"principal\":\"p\"}]},"
              "{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2},"
              "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"}]},"
              "{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":"
              "[{\"begin\":1,\"end\":3},{\"begin\":5,\"end\":9}]}},"
              "{\"name\":\"zones\",\"type\":\"SET\",\"set\":{\"item\":[\"a\",\"b\"]}}]");
    hdrf_resources *back = parse_json(json);
    CU_ASSERT_TRUE(hdrf_resources_equal(rs, back));
    free(json);
    hdrf_resources_free(back);

    /* The jansson-level API reads the same array. */
    json_t *value = hdrf_resources_to_json(rs);
    hdrf_resources *again = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_resources_from_json(value, NULL, &again, &err), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_resources_equal(rs, again));
    json_decref(value);
    hdrf_resources_free(again);
    hdrf_resources_free(rs);
}

typedef struct bad_input {
    const char *text;
    int position;       /* -1: a JSON path, see token */
    const char *token;  /* exact offending token */
    const char *reason; /* a substring of the message */
} bad_input;

static void test_errors_name_token_and_position(void)
{
    static const bad_input cases[] = {
        {"cpus:abc", 5, "abc", "expected a number"},
        {"cpus:1;mem", 7, "mem", "name:value"},
        {"cpus:1;:2", 7, ":", "missing resource name"},
        {"ports:[10-5]", 7, "10-5", "begins after it ends"},
        {"ports:[1-5,4-8]", 11, "4-8", "overlaps"},
        {"ports:[1-5", 6, "[1-5", "closing ']'"},
        {"ports:[7]", 7, "7", "begin-end"},
        {"ports:[1-x]", 7, "1-x", "unsigned 64-bit"},
        {"zones:{a,a}", 9, "a", "duplicate"},
        {"cpus(eng:1", 4, "(eng", "missing ')'"},
        {"cpus(/eng):1", 5, "/eng", "cannot start with '/'"},
        {"cpus:-1", 5, "-1", "negative"},
        {"cpus:0.0001", 5, "0.0001", "rounds to 0"},
        {"cpus:1e400", 5, "1e400", "finite"},
        {"cpus:", 5, "", "missing value"},
        {"my cpus:1", 0, "my cpus", "cannot contain spaces"},
        {"mem:1;\ncpus:x", 12, "x", "expected a number"},
        {"zo\xae"
         "es:{a}",
         0,
         "zo\xae"
         "es:{a}",
         "UTF-8"},
        {"cpus:1;ze\x01n:2", 7, "ze\\x01n:2", "control characters"}, /* token escaped */
        {"zones:{caf\xc3\xa9,\xc3}", 0, "zones:{caf\xc3\xa9,\xc3}", "UTF-8"},
        {"[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scaler\":{\"value\":1}}]", -1, "[0].scaler",
         "unknown field"},
        {"[{\"name\":\"p\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":5,\"end\":1}]}}]",
         -1, "[0].ranges.range[0]", "begins after it ends"},
        {"[{\"name\":\"cpus\",\"type\":\"TEXT\"}]", -1, "[0]", "SCALAR, RANGES or SET"},
        {"[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"
         "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"a\"},"
         "{\"type\":\"DYNAMIC\",\"role\":\"b\"}]}]",
         -1, "[0].reservations[1]", "descendant"},
        {"[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"
         "\"disk\":{}}]",
         -1, "[0]", "only a resource named \"disk\""},
        {"[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":\"1\"}}]", -1, "[0]",
         "scalar"},
        {"[1]", -1, "[0]", "expected an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdrf_resources *rs = (hdrf_resources *)1;
        hdrf_error err;
        memset(&err, 0, sizeof err);
        CU_ASSERT_EQUAL(hdrf_resources_parse(cases[i].text, NULL, &rs, &err), HDRF_EINVAL);
        CU_ASSERT_PTR_NULL(rs);
        CU_ASSERT_EQUAL(err.position, cases[i].position);
        CU_ASSERT_STRING_EQUAL(err.token, cases[i].token);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, cases[i].reason));
        if (err.position != cases[i].position || strcmp(err.token, cases[i].token) ||
            !strstr(err.text, cases[i].reason))
            fprintf(stderr, "\ncase %zu '%s': position %d token '%s' text '%s'\n", i, cases[i].text,
                    err.position, err.token, err.text);
    }
}

static void test_json_syntax_error_has_line_and_column(void)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_resources_parse("[\n  {\"name\": }\n]", NULL, &rs, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(rs);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_EQUAL(err.column, 12);
    CU_ASSERT_STRING_EQUAL(err.source, "json");
    CU_ASSERT_TRUE(strlen(err.text) > 0);
    /* A NULL error pointer is allowed. */
    CU_ASSERT_EQUAL(hdrf_resources_parse("cpus:x", NULL, &rs, NULL), HDRF_EINVAL);
}

static void test_quantities(void)
{
    hdrf_resources *rs = parse("cpus:2;cpus(eng):1;ports:[1-10,21-30];zones:{a,b};mem:0.5");
    hdrf_quantities *q = hdrf_quantities_of(rs);
    CU_ASSERT_EQUAL(hdrf_quantities_size(q), 4);
    CU_ASSERT_STRING_EQUAL(hdrf_quantities_name(q, 0), "cpus"); /* sorted by name */
    CU_ASSERT_EQUAL(hdrf_quantities_get(q, "cpus"), 3000);
    CU_ASSERT_EQUAL(hdrf_quantities_get(q, "ports"), 20000);
    CU_ASSERT_EQUAL(hdrf_quantities_get(q, "zones"), 2000);
    CU_ASSERT_EQUAL(hdrf_quantities_get(q, "mem"), 500);
    CU_ASSERT_EQUAL(hdrf_quantities_get(q, "gpus"), 0);

    hdrf_quantities *small = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_quantities_parse("cpus:1;mem:0.5;gpus:1", &small, &err), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_quantities_contains(q, small)); /* no gpus */
    CU_ASSERT_EQUAL(hdrf_quantities_set(small, "gpus", 0), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_quantities_size(small), 2);
    CU_ASSERT_TRUE(hdrf_quantities_contains(q, small));
    /* Subtraction floors at zero and drops what reaches it. */
    CU_ASSERT_EQUAL(hdrf_quantities_subtract(small, q), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_quantities_size(small), 0);
    CU_ASSERT_EQUAL(hdrf_quantities_add(small, q), HDRF_OK);
    CU_ASSERT_TRUE(hdrf_quantities_equal(small, q));
    hdrf_quantities *copy = hdrf_quantities_copy(q);
    CU_ASSERT_EQUAL(hdrf_quantities_add(copy, copy), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_quantities_get(copy, "cpus"), 6000);

    hdrf_quantities *bad = (hdrf_quantities *)1;
    CU_ASSERT_EQUAL(hdrf_quantities_parse("cpus:1;ports:[1-2]", &bad, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(bad);
    CU_ASSERT_STRING_EQUAL(err.token, "ports");
    CU_ASSERT_EQUAL(hdrf_quantities_parse("cpus(eng):1", &bad, &err), HDRF_EINVAL);

    /* Mesos's --min_allocatable_resources form: alternatives split on '|' */
    hdrf_quantities **alt = NULL;
    size_t nalt = 99;
    CU_ASSERT_EQUAL(
        hdrf_quantities_parse_alternatives("cpus:0.01| mem:32;disk:1", &alt, &nalt, &err), HDRF_OK);
    CU_ASSERT_EQUAL(nalt, 2);
    if (alt && nalt == 2) {
        CU_ASSERT_EQUAL(hdrf_quantities_get(alt[0], "cpus"), 10);
        CU_ASSERT_EQUAL(hdrf_quantities_size(alt[0]), 1);
        CU_ASSERT_EQUAL(hdrf_quantities_get(alt[1], "mem"), 32000);
        CU_ASSERT_EQUAL(hdrf_quantities_get(alt[1], "disk"), 1000);
    }
    hdrf_quantities_free_all(alt, nalt);
    /* an empty alternative is named by its position (the second, at 7) */
    CU_ASSERT_EQUAL(hdrf_quantities_parse_alternatives("cpus:1||mem:32", &alt, &nalt, &err),
                    HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(alt);
    CU_ASSERT_EQUAL(nalt, 0);
    CU_ASSERT_EQUAL(err.position, 7);
    CU_ASSERT_EQUAL(hdrf_quantities_parse_alternatives("cpus:1|ports:[1-2]", &alt, &nalt, &err),
                    HDRF_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.token, "ports");
    CU_ASSERT_PTR_NULL(alt);
    hdrf_quantities_free(copy);
    hdrf_quantities_free(small);
    hdrf_quantities_free(q);
    hdrf_resources_free(rs);
}

static void test_status_strings(void)
{
    CU_ASSERT_STRING_EQUAL(hdrf_strerror(HDRF_OK), "ok");
    CU_ASSERT_STRING_EQUAL(hdrf_strerror(HDRF_ENOMEM), "out of memory");
    CU_ASSERT_STRING_EQUAL(hdrf_strerror(12345), "unknown status");
}

int suite_resources(void)
{
    static const test_case cases[] = {
        {"parse the flag syntax", test_parse_flag_syntax},
        {"whitespace and empty items", test_parse_whitespace_and_empty_items},
        {"default role", test_default_role},
        {"scalars are fixed point", test_scalars_are_fixed_point},
        {"combine only with equal metadata", test_combine_only_equal_metadata},
        {"subtract with Mesos semantics", test_subtract_mesos_semantics},
        {"contains and equal", test_contains_and_equal},
        {"shared resources count copies", test_shared_resources_count},
        {"exclusive disks stay whole", test_exclusive_disks_stay_whole},
        {"role filters", test_role_filters},
        {"role names", test_roles},
        {"reservation stack", test_reservation_stack},
        {"unreserve and flatten", test_unreserve_and_flatten},
        {"allocation role", test_allocation_role},
        {"annotated format", test_annotated_format},
        {"JSON form", test_json_form},
        {"errors name token and position", test_errors_name_token_and_position},
        {"JSON syntax error line and column", test_json_syntax_error_has_line_and_column},
        {"quantities", test_quantities},
        {"status strings", test_status_strings},
        {NULL, NULL},
    };
    return test_add_suite("resources", cases);
}
