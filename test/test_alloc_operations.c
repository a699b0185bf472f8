/* test_alloc_operations.c: operations on offered and unoffered resources,
 * shared and revocable resources, against Mesos 1.11's allocator tests
 * (spec §F.8, §F.9; src/tests/hierarchical_allocator_tests.cpp). One hdrf
 * test per Mesos test, named after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

/* F.8 ---------------------------------------------------------------------- */

/* The framework hands resources back, without a filter. */
static void give_back(af *f, const char *framework, const char *agent, const hdrf_resources *r)
{
    int rc = hdrf_allocator_recover_resources(f->a, framework, agent, r, NULL, false, f->now);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "recover_resources: %s\n", hdrf_allocator_errmsg(f->a));
}

/* CREATE of a persistent volume on offered resources rewrites the agent's
 * total: the recovered resources come back as they now are. */
static void test_update_allocation(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");

    char vol[512];
    ah_disk(vol, sizeof vol, 5, NULL, "ID", "data", false);
    hdrf_resources *volume = ah_res("role1", vol, NULL);
    hdrf_resources *offered = ah_res("role1", "cpus:100;mem:100;disk:100", NULL);
    hdrf_operation create = {HDRF_OP_CREATE, volume, NULL, 0};
    hdrf_resources *updated = ah_update_allocation(f, "framework1", "agent1", offered, &create);
    REQUIRE(updated);
    /* disk 100 - 5 stays plain; the 5 are the volume */
    hdrf_resources *want = ah_res("role1", "cpus:100;mem:100;disk:95", vol, NULL);
    CU_ASSERT_TRUE(hdrf_resources_equal(updated, want));

    give_back(f, "framework1", "agent1", updated);
    af_expect_none(f); /* recovering triggers nothing */
    af_batch(f);
    ah_expect(f, "framework1", "role1", "agent1", want);
    af_expect_none(f);
    hdrf_resources_free(want);
    hdrf_resources_free(updated);
    hdrf_resources_free(offered);
    hdrf_resources_free(volume);
    af_free(f);
}

/* A conversion with nothing converted removes what it consumes from the
 * allocation and from the agent's total. */
static void test_update_allocation_remove_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");

    hdrf_resources *offered = ah_res("role1", "cpus:100;mem:100;disk:100", NULL);
    hdrf_resources *removed = ah_res("role1", "disk:100", NULL);
    hdrf_resources *nothing = hdrf_resources_new();
    hdrf_conversion c = {removed, nothing};
    CU_ASSERT_EQUAL(hdrf_allocator_update_allocation(f->a, "framework1", "agent1", offered, &c, 1),
                    HDRF_OK);
    hdrf_resources *updated = ah_res("role1", "cpus:100;mem:100", NULL);
    give_back(f, "framework1", "agent1", updated);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100");
    /* the total lost its disk too */
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/resources/disk/total"), 0, 1e-9);
    af_expect_none(f);
    hdrf_resources_free(updated);
    hdrf_resources_free(nothing);
    hdrf_resources_free(removed);
    hdrf_resources_free(offered);
    af_free(f);
}

/* CREATE then DESTROY of a shared volume brings back the original agent. */
static void test_update_allocation_shared_persistent_volume(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk(role1):100");
    af_framework(f, "role1", HDRF_FRAMEWORK_SHARED_RESOURCES);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk(role1):100");

    char vol[512];
    ah_disk(vol, sizeof vol, 5, "role1", "id1", NULL, true);
    hdrf_resources *volume = ah_res("role1", vol, NULL);
    hdrf_resources *original = ah_res("role1", "cpus:100;mem:100;disk(role1):100", NULL);
    hdrf_operation create = {HDRF_OP_CREATE, volume, NULL, 0};
    hdrf_resources *update = ah_update_allocation(f, "framework1", "agent1", original, &create);
    REQUIRE(update);
    hdrf_resources *want = ah_res("role1", "cpus:100;mem:100;disk(role1):95", vol, NULL);
    CU_ASSERT_TRUE(hdrf_resources_equal(update, want));
    give_back(f, "framework1", "agent1", update);
    af_batch(f);
    ah_expect(f, "framework1", "role1", "agent1", update);

    hdrf_operation destroy = {HDRF_OP_DESTROY, volume, NULL, 0};
    hdrf_resources *back = ah_update_allocation(f, "framework1", "agent1", update, &destroy);
    REQUIRE(back);
    CU_ASSERT_TRUE(hdrf_resources_equal(back, original));
    give_back(f, "framework1", "agent1", back);
    af_batch(f);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk(role1):100");
    af_expect_none(f);
    hdrf_resources_free(back);
    hdrf_resources_free(want);
    hdrf_resources_free(update);
    hdrf_resources_free(original);
    hdrf_resources_free(volume);
    af_free(f);
}

/* Shared resources go only to SHARED_RESOURCES frameworks. */
static void test_shared_resources_capability(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk(role1):100");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk(role1):100");

    char vol[512];
    ah_disk(vol, sizeof vol, 5, "role1", "id1", NULL, true);
    hdrf_resources *volume = ah_res("role1", vol, NULL);
    hdrf_resources *original = ah_res("role1", "cpus:100;mem:100;disk(role1):100", NULL);
    hdrf_operation create = {HDRF_OP_CREATE, volume, NULL, 0};
    hdrf_resources *update = ah_update_allocation(f, "framework1", "agent1", original, &create);
    REQUIRE(update);
    give_back(f, "framework1", "agent1", update);
    af_batch(f);
    /* update - volume: framework1 cannot take the shared volume */
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk(role1):95");
    af_recover(f, "framework1", "agent1", "role1", "cpus:100;mem:100;disk(role1):95", AF_NO_FILTER);

    /* framework2 sorts first: both shares are 0, it has fewer allocations */
    af_framework(f, "role1", HDRF_FRAMEWORK_SHARED_RESOURCES);
    ah_expect(f, "framework2", "role1", "agent1", update);
    /* the volume stays available (shared) but framework1 cannot take it */
    af_batch(f);
    af_expect_none(f);
    hdrf_resources_free(update);
    hdrf_resources_free(original);
    hdrf_resources_free(volume);
    af_free(f);
}

static hdrf_resources *reserve_ops(const char *text, const char *role)
{
    hdrf_resources *r = ah_res(NULL, text, NULL);
    CU_ASSERT_EQUAL(
        hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, role, "ops", NULL, 0),
        HDRF_OK);
    return r;
}

/* The operator reserves unoffered resources: the total changes. */
static void test_update_available_success(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_expect_none(f);
    hdrf_resources *reserved = reserve_ops("cpus:25;mem:50", "role1");
    hdrf_operation reserve = {HDRF_OP_RESERVE, reserved, NULL, 0};
    CU_ASSERT_EQUAL(hdrf_allocator_update_available(f->a, "agent1", &reserve, 1), HDRF_OK);
    af_expect_none(f); /* no run is triggered */

    af_framework(f, "role1", 0);
    hdrf_resources *want = ah_res("role1", "cpus:75;mem:50;disk:100", NULL);
    hdrf_resources *r = hdrf_resources_copy(reserved);
    hdrf_resources_allocate(r, "role1");
    hdrf_resources_add(want, r);
    ah_expect(f, "framework1", "role1", "agent1", want);
    af_expect_none(f);
    hdrf_resources_free(r);
    hdrf_resources_free(want);
    hdrf_resources_free(reserved);
    af_free(f);
}

/* Nothing is available: the reservation fails and changes nothing. */
static void test_update_available_fail(void)
{
    af *x = af_new(NULL), *y = af_new(NULL);
    af *both[2] = {x, y};
    for (int i = 0; i < 2; i++) {
        af_agent(both[i], "cpus:100;mem:100;disk:100");
        af_framework(both[i], "role1", 0);
        af_expect(both[i], "framework1", "role1@agent1=cpus:100;mem:100;disk:100");
    }
    hdrf_resources *reserved = reserve_ops("cpus:25;mem:50", "role1");
    hdrf_operation reserve = {HDRF_OP_RESERVE, reserved, NULL, 0};
    ah_expect_error(x, hdrf_allocator_update_available(x->a, "agent1", &reserve, 1), HDRF_ENOFIT,
                    "agent1");
    /* same metrics (totals, shares) and, once the offer is back, the same offer */
    af_recover(x, "framework1", "agent1", "role1", "cpus:100;mem:100;disk:100", AF_NO_FILTER);
    af_recover(y, "framework1", "agent1", "role1", "cpus:100;mem:100;disk:100", AF_NO_FILTER);
    ah_expect_same(x, y);
    hdrf_resources_free(reserved);
    af_free(x);
    af_free(y);
}

/* F.9 ---------------------------------------------------------------------- */

/* A shared volume in use by framework1's task is offered to framework2 as
 * well; with quota on role1 (the parameterised variant) the same offer. */
static void allocate_shared_resources(bool quota)
{
    af *f = af_new(NULL);
    af_framework(f, "role1", HDRF_FRAMEWORK_SHARED_RESOURCES);
    af_framework(f, "role1", HDRF_FRAMEWORK_SHARED_RESOURCES);
    if (quota)
        af_quota(f, "role1", "cpus:8;mem:2048;disk:4096", "cpus:8;mem:2048;disk:4096");
    af_agent(f, "cpus:4;mem:1024;disk(role1):2048");
    af_expect(f, "framework1", "role1@agent1=cpus:4;mem:1024;disk(role1):2048");

    char vol[512];
    ah_disk(vol, sizeof vol, 5, "role1", "id1", NULL, true);
    hdrf_resources *volume = ah_res("role1", vol, NULL);
    hdrf_resources *offered = ah_res("role1", "cpus:4;mem:1024;disk(role1):2048", NULL);
    hdrf_operation create = {HDRF_OP_CREATE, volume, NULL, 0};
    hdrf_resources *updated = ah_update_allocation(f, "framework1", "agent1", offered, &create);
    REQUIRE(updated);
    /* a task keeps cpus:1;mem:5 and the volume */
    hdrf_resources *task = ah_res("role1", "cpus:1;mem:5", vol, NULL);
    hdrf_resources_subtract(updated, task);
    give_back(f, "framework1", "agent1", updated);
    af_batch(f);
    /* framework2 (share 0) first: 4-1 cpus, 1024-5 mem, 2048-5 reserved
     * disk, and the volume again. With quota, stage 1 gives the same: the
     * guarantees cpus:7;mem:2043 cover the unreserved part, and role1's own
     * reservations go with the offer. */
    hdrf_resources *want = ah_res("role1", "cpus:3;mem:1019;disk(role1):2043", vol, NULL);
    ah_expect(f, "framework2", "role1", "agent1", want);
    af_expect_none(f);
    hdrf_resources_free(want);
    hdrf_resources_free(task);
    hdrf_resources_free(updated);
    hdrf_resources_free(offered);
    hdrf_resources_free(volume);
    af_free(f);
}

static void test_allocate_shared_resources(void) { allocate_shared_resources(false); }

static void test_allocate_shared_resources_quota(void) { allocate_shared_resources(true); }

/* Revocable resources go only to REVOCABLE_RESOURCES frameworks; stripped,
 * nothing is left to offer. */
static void test_oversubscribed_not_allocated(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", 0);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");
    char rev[256];
    hdrf_resources *total =
        ah_res(NULL, "cpus:100;mem:100;disk:100", ah_revocable(rev, sizeof rev, "cpus", 10), NULL);
    ah_update_agent(f, "agent1", total, NULL, NULL, 0);
    af_expect_none(f);
    /* the revocable cpus are all there is, and it cannot take them */
    CU_ASSERT_EQUAL(ah_reason(f, "role1", "framework1"), HDRF_REASON_CAPABILITY);
    hdrf_resources_free(total);
    af_free(f);
}

static void test_recover_oversubscribed_resources(void)
{
    af *f = af_new(NULL);
    af_agent(f, "cpus:100;mem:100;disk:100");
    af_framework(f, "role1", HDRF_FRAMEWORK_REVOCABLE_RESOURCES);
    af_expect(f, "framework1", "role1@agent1=cpus:100;mem:100;disk:100");
    char rev[256];
    hdrf_resources *total =
        ah_res(NULL, "cpus:100;mem:100;disk:100", ah_revocable(rev, sizeof rev, "cpus", 10), NULL);
    ah_update_agent(f, "agent1", total, NULL, NULL, 0);
    hdrf_resources *oversubscribed = ah_res("role1", rev, NULL);
    ah_expect(f, "framework1", "role1", "agent1", oversubscribed);

    hdrf_resources *recovered =
        ah_res("role1", ah_revocable(rev, sizeof rev, "cpus", 6), "cpus:2", NULL);
    give_back(f, "framework1", "agent1", recovered);
    af_batch(f);
    ah_expect(f, "framework1", "role1", "agent1", recovered);
    af_expect_none(f);
    hdrf_resources_free(recovered);
    hdrf_resources_free(oversubscribed);
    hdrf_resources_free(total);
    af_free(f);
}

int suite_alloc_operations(void)
{
    static const test_case cases[] = {
        {"UpdateAllocation", test_update_allocation},
        {"UpdateAllocationRemoveResources", test_update_allocation_remove_resources},
        {"UpdateAllocationSharedPersistentVolume", test_update_allocation_shared_persistent_volume},
        {"SharedResourcesCapability", test_shared_resources_capability},
        {"UpdateAvailableSuccess", test_update_available_success},
        {"UpdateAvailableFail", test_update_available_fail},
        {"AllocateSharedResources", test_allocate_shared_resources},
        {"AllocateSharedResources/quota", test_allocate_shared_resources_quota},
        {"OversubscribedNotAllocated", test_oversubscribed_not_allocated},
        {"RecoverOversubscribedResources", test_recover_oversubscribed_resources},
        {NULL, NULL}};
    return test_add_suite("alloc_operations", cases);
}
