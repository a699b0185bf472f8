/* test_alloc_errors.c: bad input to every event. Mesos aborts the master
 * (CHECK) on most of these; hdrf refuses the call with a status and a
 * message naming the id or value at fault, and changes nothing
 * (allocator.h). "Changes nothing" is checked the strongest way a caller
 * could see it: an allocator that got the bad call and a twin that did not
 * have the same metrics and explanations, and make the same offers and
 * inverse offers in the triggered run and the next batch run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/alloc_helpers.h"
#include "test/test.h"

/* A state with something of everything: quota on r1, framework1 (r1)
 * holding agent1 whole, framework2 (r2) holding agent2 but cpus:1 it
 * declined with a 30 s filter, agent2 under maintenance with an inverse
 * offer out to framework2. */
static af *setup(void)
{
    af *f = af_new(NULL);
    af_quota(f, "r1", "cpus:1", NULL);
    af_framework(f, "r1", 0);
    af_agent(f, "cpus:4;mem:2048");
    af_expect(f, "framework1", "r1@agent1=cpus:4;mem:2048");
    af_framework(f, "r2", 0);
    af_agent(f, "cpus:2;mem:1024");
    af_expect(f, "framework2", "r2@agent2=cpus:2;mem:1024");
    hdrf_unavailability u = {100 * HDRF_SECOND, true, 3600 * HDRF_SECOND};
    CU_ASSERT_EQUAL(hdrf_allocator_update_unavailability(f->a, "agent2", &u), HDRF_OK);
    af_settle(f);
    af_recover(f, "framework2", "agent2", "r2", "cpus:1", 30);
    return f;
}

typedef int (*bad_call)(af *f);

typedef struct bad_case {
    const char *name;
    bad_call call;
    int status;
    const char *named; /* the message must contain it */
} bad_case;

static int framework_info_call(af *f, bool add, const char *id, const char *role,
                               const char *suppressed)
{
    const char *roles[] = {role};
    const char *sup[] = {suppressed};
    hdrf_framework_info info = {.id = id,
                                .name = id,
                                .roles = roles,
                                .nroles = role ? 1 : 0,
                                .capabilities = HDRF_FRAMEWORK_MULTI_ROLE,
                                .suppressed_roles = sup,
                                .nsuppressed_roles = suppressed ? 1 : 0};
    return add ? hdrf_allocator_add_framework(f->a, &info, NULL, 0, true)
               : hdrf_allocator_update_framework(f->a, &info);
}

/* ---- frameworks ---- */
static int add_framework_duplicate(af *f)
{
    return framework_info_call(f, true, "framework1", "r3", NULL);
}
static int add_framework_invalid_role(af *f)
{
    return framework_info_call(f, true, "framework9", "a//b", NULL);
}
static int add_framework_no_role(af *f)
{
    return framework_info_call(f, true, "framework9", NULL, NULL);
}
static int add_framework_bad_suppressed(af *f)
{
    return framework_info_call(f, true, "framework9", "r3", "r4");
}
static int add_framework_unallocated_used(af *f)
{
    const char *roles[] = {"r3"};
    hdrf_framework_info info = {.id = "framework9",
                                .name = "framework9",
                                .roles = roles,
                                .nroles = 1,
                                .capabilities = HDRF_FRAMEWORK_MULTI_ROLE};
    hdrf_resources *r = ah_res(NULL, "cpus:1", NULL); /* no allocation role */
    hdrf_holding h = {"agent1", r};
    int rc = hdrf_allocator_add_framework(f->a, &info, &h, 1, true);
    hdrf_resources_free(r);
    return rc;
}
static int remove_framework_unknown(af *f)
{
    return hdrf_allocator_remove_framework(f->a, "framework9");
}
static int activate_framework_unknown(af *f)
{
    return hdrf_allocator_activate_framework(f->a, "framework9");
}
static int deactivate_framework_unknown(af *f)
{
    return hdrf_allocator_deactivate_framework(f->a, "framework9");
}
static int update_framework_unknown(af *f)
{
    return framework_info_call(f, false, "framework9", "r1", NULL);
}
static int update_framework_invalid_role(af *f)
{
    return framework_info_call(f, false, "framework1", "-r", NULL);
}
static int update_framework_bad_suppressed(af *f)
{
    return framework_info_call(f, false, "framework1", "r1", "r2");
}
static int suppress_unknown(af *f) { return hdrf_allocator_suppress(f->a, "framework9", NULL, 0); }
static int suppress_unsubscribed(af *f)
{
    const char *roles[] = {"r1", "r2"};
    return hdrf_allocator_suppress(f->a, "framework1", roles, 2);
}
static int revive_unsubscribed(af *f)
{
    const char *roles[] = {"r3"};
    return hdrf_allocator_revive(f->a, "framework2", roles, 1);
}

/* ---- agents ---- */
static int add_agent_duplicate(af *f)
{
    hdrf_agent_info info = {"agent1", "agent1", NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    hdrf_resources *r = ah_res(NULL, "cpus:8;mem:8192", NULL);
    int rc = hdrf_allocator_add_agent(f->a, &info, r, NULL, NULL, 0);
    hdrf_resources_free(r);
    return rc;
}
static int add_agent_unallocated_used(af *f)
{
    hdrf_agent_info info = {"agent9", "agent9", NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    hdrf_resources *r = ah_res(NULL, "cpus:8;mem:8192", NULL);
    hdrf_holding h = {"framework1", r};
    int rc = hdrf_allocator_add_agent(f->a, &info, r, NULL, &h, 1);
    hdrf_resources_free(r);
    return rc;
}
static int remove_agent_unknown(af *f) { return hdrf_allocator_remove_agent(f->a, "agent9"); }
static int update_agent_unknown(af *f)
{
    hdrf_agent_info info = {"agent9", "agent9", NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    return hdrf_allocator_update_agent(f->a, &info, NULL, true);
}
static int activate_agent_unknown(af *f) { return hdrf_allocator_activate_agent(f->a, "agent9"); }
static int deactivate_agent_unknown(af *f)
{
    return hdrf_allocator_deactivate_agent(f->a, "agent9");
}
static int add_resource_provider_unknown(af *f)
{
    hdrf_resources *r = ah_res(NULL, "disk:100", NULL);
    int rc = hdrf_allocator_add_resource_provider(f->a, "agent9", r, NULL, 0);
    hdrf_resources_free(r);
    return rc;
}
static int add_resource_provider_unallocated_used(af *f)
{
    hdrf_resources *r = ah_res(NULL, "disk:100", NULL);
    hdrf_holding h = {"framework1", r};
    int rc = hdrf_allocator_add_resource_provider(f->a, "agent1", r, &h, 1);
    hdrf_resources_free(r);
    return rc;
}

/* ---- resources ---- */
static int recover_not_held(af *f)
{
    hdrf_resources *r = ah_res("r1", "cpus:5", NULL); /* it holds 4 */
    int rc = hdrf_allocator_recover_resources(f->a, "framework1", "agent1", r, NULL, false, f->now);
    hdrf_resources_free(r);
    return rc;
}
static int recover_two_roles(af *f)
{
    hdrf_resources *r = ah_res("r1", "cpus:1", NULL), *m = ah_res("r2", "mem:1", NULL);
    hdrf_resources_add(r, m);
    int rc = hdrf_allocator_recover_resources(f->a, "framework1", "agent1", r, NULL, false, f->now);
    hdrf_resources_free(r);
    hdrf_resources_free(m);
    return rc;
}
static int recover_unused_allocated(af *f)
{
    hdrf_resources *r = ah_res("r1", "cpus:1", NULL); /* no task uses it */
    int rc = hdrf_allocator_recover_resources(f->a, "framework1", "agent1", r, NULL, true, f->now);
    hdrf_resources_free(r);
    return rc;
}
static int transition_unknown_agent(af *f)
{
    hdrf_resources *r = ah_res("r1", "cpus:1", NULL);
    int rc = hdrf_allocator_transition_offered_to_allocated(f->a, "agent9", r);
    hdrf_resources_free(r);
    return rc;
}

static int update_allocation_with(af *f, const char *framework, const char *agent,
                                  const char *offered, const char *consumed, const char *converted)
{
    hdrf_resources *o = ah_res("r1", offered, NULL);
    hdrf_resources *c = ah_res("r1", consumed, NULL), *v = ah_res("r1", converted, NULL);
    hdrf_conversion conv = {c, v};
    int rc = hdrf_allocator_update_allocation(f->a, framework, agent, o, &conv, 1);
    hdrf_resources_free(o);
    hdrf_resources_free(c);
    hdrf_resources_free(v);
    return rc;
}
static int update_allocation_unknown_framework(af *f)
{
    return update_allocation_with(f, "framework9", "agent1", "cpus:4", "cpus:1", "cpus:1");
}
static int update_allocation_unknown_agent(af *f)
{
    return update_allocation_with(f, "framework1", "agent9", "cpus:4", "cpus:1", "cpus:1");
}
static int update_allocation_not_held(af *f)
{
    return update_allocation_with(f, "framework1", "agent1", "cpus:8", "cpus:1", "cpus:1");
}
static int update_allocation_does_not_apply(af *f)
{
    return update_allocation_with(f, "framework1", "agent1", "cpus:4;mem:2048", "disk:10",
                                  "disk(r1):10");
}
static int update_allocation_changes_quantities(af *f)
{
    return update_allocation_with(f, "framework1", "agent1", "cpus:4;mem:2048", "cpus:1", "cpus:2");
}

static int update_available_with(af *f, const char *agent, const char *text)
{
    hdrf_resources *r = ah_res(NULL, text, NULL);
    hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, "r2", "ops", NULL, 0);
    hdrf_operation ops[2] = {{HDRF_OP_RESERVE, r, NULL, 0}, {HDRF_OP_RESERVE, r, NULL, 0}};
    int rc = hdrf_allocator_update_available(f->a, agent, ops, 2);
    hdrf_resources_free(r);
    return rc;
}
static int update_available_unknown(af *f) { return update_available_with(f, "agent9", "cpus:1"); }
static int update_available_second_does_not_fit(af *f)
{
    /* agent2 has cpus:1 free: the first reserve fits, the second not */
    return update_available_with(f, "agent2", "cpus:1");
}
static int update_available_invalid(af *f)
{
    hdrf_resources *r = ah_res(NULL, "cpus:1", NULL);
    hdrf_operation op = {HDRF_OP_UNRESERVE, r, NULL, 0}; /* nothing to unreserve */
    int rc = hdrf_allocator_update_available(f->a, "agent2", &op, 1);
    hdrf_resources_free(r);
    return rc;
}

/* ---- maintenance ---- */
static int update_unavailability_unknown(af *f)
{
    return hdrf_allocator_update_unavailability(f->a, "agent9", NULL);
}
static int update_inverse_offer_unknown_agent(af *f)
{
    return hdrf_allocator_update_inverse_offer(f->a, "agent9", "framework2", HDRF_INVERSE_ACCEPT,
                                               NULL, f->now);
}
static int update_inverse_offer_unknown_framework(af *f)
{
    return hdrf_allocator_update_inverse_offer(f->a, "agent2", "framework9", HDRF_INVERSE_ACCEPT,
                                               NULL, f->now);
}
static int update_inverse_offer_no_maintenance(af *f)
{
    return hdrf_allocator_update_inverse_offer(f->a, "agent1", "framework1", HDRF_INVERSE_ACCEPT,
                                               NULL, f->now);
}
static int update_inverse_offer_status_unknown(af *f)
{
    double refuse = 100;
    return hdrf_allocator_update_inverse_offer(f->a, "agent2", "framework2", HDRF_INVERSE_UNKNOWN,
                                               &refuse, f->now);
}

/* ---- roles ---- */
static int quota_with(af *f, const char *role, int64_t limit)
{
    hdrf_limit l = {"cpus", limit};
    hdrf_quota q = {NULL, &l, 1};
    return hdrf_allocator_update_quota(f->a, role, &q);
}
static int update_quota_invalid_role(af *f) { return quota_with(f, "r1/", 1000); }
static int update_quota_negative_limit(af *f) { return quota_with(f, "r2", -1000); }
static int weights_with(af *f, const char *role, double w)
{
    const char *roles[] = {"r2", role};
    double weights[] = {2.0, w};
    return hdrf_allocator_update_weights(f->a, roles, weights, 2);
}
static int update_weights_zero(af *f) { return weights_with(f, "r1", 0); }
static int update_weights_negative(af *f) { return weights_with(f, "r1", -2); }
static int update_weights_nan(af *f) { return weights_with(f, "r1", NAN); }
static int update_weights_invalid_role(af *f) { return weights_with(f, "a b", 2); }
static int recover_after_agents(af *f) { return hdrf_allocator_recover(f->a, 10, NULL, 0, f->now); }

static const bad_case cases[] = {
    {"add_framework duplicate", add_framework_duplicate, HDRF_EEXIST, "framework1"},
    {"add_framework invalid role", add_framework_invalid_role, HDRF_EINVAL, "a//b"},
    {"add_framework no role", add_framework_no_role, HDRF_EINVAL, "framework9"},
    {"add_framework suppressed role not subscribed", add_framework_bad_suppressed, HDRF_EINVAL,
     "r4"},
    {"add_framework used without role", add_framework_unallocated_used, HDRF_EINVAL, "agent1"},
    {"remove_framework unknown", remove_framework_unknown, HDRF_ENOTFOUND, "framework9"},
    {"activate_framework unknown", activate_framework_unknown, HDRF_ENOTFOUND, "framework9"},
    {"deactivate_framework unknown", deactivate_framework_unknown, HDRF_ENOTFOUND, "framework9"},
    {"update_framework unknown", update_framework_unknown, HDRF_ENOTFOUND, "framework9"},
    {"update_framework invalid role", update_framework_invalid_role, HDRF_EINVAL, "-r"},
    {"update_framework suppressed role not subscribed", update_framework_bad_suppressed,
     HDRF_EINVAL, "r2"},
    {"suppress unknown", suppress_unknown, HDRF_ENOTFOUND, "framework9"},
    {"suppress role not subscribed", suppress_unsubscribed, HDRF_EINVAL, "r2"},
    {"revive role not subscribed", revive_unsubscribed, HDRF_EINVAL, "r3"},
    {"add_agent duplicate", add_agent_duplicate, HDRF_EEXIST, "agent1"},
    {"add_agent used without role", add_agent_unallocated_used, HDRF_EINVAL, "framework1"},
    {"remove_agent unknown", remove_agent_unknown, HDRF_ENOTFOUND, "agent9"},
    {"update_agent unknown", update_agent_unknown, HDRF_ENOTFOUND, "agent9"},
    {"activate_agent unknown", activate_agent_unknown, HDRF_ENOTFOUND, "agent9"},
    {"deactivate_agent unknown", deactivate_agent_unknown, HDRF_ENOTFOUND, "agent9"},
    {"add_resource_provider unknown", add_resource_provider_unknown, HDRF_ENOTFOUND, "agent9"},
    {"add_resource_provider used without role", add_resource_provider_unallocated_used, HDRF_EINVAL,
     "framework1"},
    {"recover_resources not held", recover_not_held, HDRF_ENOFIT, "framework1"},
    {"recover_resources two roles", recover_two_roles, HDRF_EINVAL, "framework1"},
    {"recover_resources allocated but unused", recover_unused_allocated, HDRF_ENOFIT, "agent1"},
    {"transition_offered_to_allocated unknown", transition_unknown_agent, HDRF_ENOTFOUND, "agent9"},
    {"update_allocation unknown framework", update_allocation_unknown_framework, HDRF_ENOTFOUND,
     "framework9"},
    {"update_allocation unknown agent", update_allocation_unknown_agent, HDRF_ENOTFOUND, "agent9"},
    {"update_allocation not held", update_allocation_not_held, HDRF_ENOFIT, "agent1"},
    {"update_allocation conversion does not apply", update_allocation_does_not_apply, HDRF_ENOFIT,
     "framework1"},
    {"update_allocation changes quantities", update_allocation_changes_quantities, HDRF_EINVAL,
     "framework1"},
    {"update_available unknown", update_available_unknown, HDRF_ENOTFOUND, "agent9"},
    {"update_available second operation does not fit", update_available_second_does_not_fit,
     HDRF_ENOFIT, "agent2"},
    {"update_available invalid operation", update_available_invalid, HDRF_EINVAL, "UNRESERVE"},
    {"update_unavailability unknown", update_unavailability_unknown, HDRF_ENOTFOUND, "agent9"},
    {"update_inverse_offer unknown agent", update_inverse_offer_unknown_agent, HDRF_ENOTFOUND,
     "agent9"},
    {"update_inverse_offer unknown framework", update_inverse_offer_unknown_framework,
     HDRF_ENOTFOUND, "framework9"},
    {"update_inverse_offer no maintenance", update_inverse_offer_no_maintenance, HDRF_EINVAL,
     "agent1"},
    {"update_inverse_offer status UNKNOWN", update_inverse_offer_status_unknown, HDRF_EINVAL,
     "status 1"},
    {"update_quota invalid role", update_quota_invalid_role, HDRF_EINVAL, "r1/"},
    {"update_quota negative limit", update_quota_negative_limit, HDRF_EINVAL, "cpus"},
    {"update_weights zero", update_weights_zero, HDRF_EINVAL, "weight 0"},
    {"update_weights negative", update_weights_negative, HDRF_EINVAL, "weight -2"},
    {"update_weights NaN", update_weights_nan, HDRF_EINVAL, "nan"},
    {"update_weights invalid role", update_weights_invalid_role, HDRF_EINVAL, "a b"},
    {"recover after agents", recover_after_agents, HDRF_EINVAL, "agents"},
};

static void test_bad_input_changes_nothing(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        af *x = setup(), *y = setup();
        int rc = cases[i].call(x);
        if (rc != cases[i].status || !strstr(hdrf_allocator_errmsg(x->a), cases[i].named))
            fprintf(stderr, "case '%s':\n", cases[i].name);
        ah_expect_error(x, rc, cases[i].status, cases[i].named);
        ah_expect_same(x, y);
        af_free(x);
        af_free(y);
    }
}

/* Calls for ids already gone are accepted and ignored, as in Mesos: the
 * master may recover resources after removing their framework or agent. */
static void test_late_recovery_is_ignored(void)
{
    af *x = setup(), *y = setup();
    af *both[2] = {x, y};
    for (int i = 0; i < 2; i++)
        CU_ASSERT_EQUAL(hdrf_allocator_remove_framework(both[i]->a, "framework1"), HDRF_OK);
    hdrf_resources *r = ah_res("r1", "cpus:4;mem:2048", NULL);
    double refuse = 100;
    CU_ASSERT_EQUAL(
        hdrf_allocator_recover_resources(x->a, "framework1", "agent1", r, &refuse, false, x->now),
        HDRF_OK);
    CU_ASSERT_EQUAL(
        hdrf_allocator_recover_resources(x->a, "framework2", "agent9", r, &refuse, false, x->now),
        HDRF_OK);
    ah_expect_same(x, y);
    hdrf_resources_free(r);
    af_free(x);
    af_free(y);
}

/* Bad options are refused at creation, naming the option and the value. */
static void test_bad_options(void)
{
    hdrf_allocator_options o;
    hdrf_allocator *a = NULL;
    hdrf_error e;
    hdrf_allocator_options_init(&o);
    o.allocation_interval = 0;
    CU_ASSERT_EQUAL(hdrf_allocator_new(&o, NULL, &a, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(a);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "0 ns"));
    hdrf_allocator_options_init(&o);
    o.agent_recovery_factor = 1.5;
    CU_ASSERT_EQUAL(hdrf_allocator_new(&o, NULL, &a, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "1.5"));
    hdrf_allocator_options_init(&o);
    o.min_allocatable_resources = "cpus:x";
    CU_ASSERT_EQUAL(hdrf_allocator_new(&o, NULL, &a, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "cpus:x"));
    CU_ASSERT_PTR_NULL(a);
}

int suite_alloc_errors(void)
{
    static const test_case list[] = {{"BadInputChangesNothing", test_bad_input_changes_nothing},
                                     {"LateRecoveryIsIgnored", test_late_recovery_is_ignored},
                                     {"BadOptions", test_bad_options},
                                     {NULL, NULL}};
    return test_add_suite("alloc_errors", list);
}
