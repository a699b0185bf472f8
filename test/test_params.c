/* test_params.c: the allocator module's parameters (hdrf/params.h).
 *
 * Every key with good values (what they mean in the options) and bad ones
 * (the exact message an operator reads), the defaults, the shipped
 * modules.json.example, manifests that are wrong in each place, and
 * weights and quotas reaching a real allocator. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "test/alloc_fixture.h"
#include "hdrf/params.h"
#include "test/test.h"

/* Parses one key = value; NULL on failure (then `e` holds why). */
static hdrf_params *one(const char *key, const char *value, hdrf_error *e)
{
    hdrf_param p = {key, value};
    hdrf_params *out = NULL;
    int rc = hdrf_params_parse(&p, 1, &out, e);
    CU_ASSERT_EQUAL(rc == HDRF_OK, out != NULL);
    return out;
}

/* Checks that key = value is refused with exactly `message`. */
static void refused(const char *key, const char *value, const char *message)
{
    hdrf_error e;
    hdrf_params *p = one(key, value, &e);
    CU_ASSERT_PTR_NULL(p);
    hdrf_params_free(p);
    if (p)
        return;
    ASSERT_STR(e.text, message);
    ASSERT_STR(e.source, "parameters");
    ASSERT_STR(e.token, key);
    if (strcmp(e.text, message) != 0)
        fprintf(stderr, "\n  %s = '%s'\n  got:  %s\n  want: %s\n", key, value, e.text, message);
}

static void test_defaults(void)
{
    hdrf_params *p = NULL;
    hdrf_error e;
    REQUIRE_TRUE(hdrf_params_parse(NULL, 0, &p, &e) == HDRF_OK);
    const hdrf_allocator_options *o = hdrf_params_options(p);
    CU_ASSERT_EQUAL(o->allocation_interval, HDRF_SECOND);
    CU_ASSERT_EQUAL(o->recovery_timeout, 600 * HDRF_SECOND);
    CU_ASSERT_DOUBLE_EQUAL(o->agent_recovery_factor, 0.8, 1e-12);
    CU_ASSERT_EQUAL(o->role_order, HDRF_ORDER_DRF);
    CU_ASSERT_EQUAL(o->framework_order, HDRF_ORDER_DRF);
    CU_ASSERT_EQUAL(o->seed, 0);
    CU_ASSERT_TRUE(o->filter_gpu_resources);
    ASSERT_STR(o->min_allocatable_resources, "cpus:0.01|mem:32");
    REQUIRE_TRUE(o->nfairness_excluded == 1 && o->fairness_excluded);
    ASSERT_STR(o->fairness_excluded[0], "gpus");
    CU_ASSERT_PTR_NULL(o->region);
    CU_ASSERT_TRUE(hdrf_params_explain(p));
    CU_ASSERT_EQUAL(hdrf_params_log_level(p), HDRF_LOG_INFO);
    CU_ASSERT_EQUAL(hdrf_params_weight_count(p), 0);
    CU_ASSERT_EQUAL(hdrf_params_quota_count(p), 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_weight(p, "eng"), 1.0, 0);
    /* Every key reads back its default text. */
    CU_ASSERT_EQUAL(o->nested_quota, HDRF_NESTED_QUOTA_MESOS);
    CU_ASSERT_EQUAL(hdrf_params_key_count(), 15);
    for (size_t i = 0; i < hdrf_params_key_count(); i++)
        ASSERT_STR(hdrf_params_value(p, hdrf_params_key(i)), hdrf_params_default(i));
    CU_ASSERT_PTR_NULL(hdrf_params_value(p, "nope"));
    hdrf_params_free(p);
}

static void test_weights(void)
{
    hdrf_error e;
    hdrf_params *p = one("weights", "eng=3, eng/batch=0.5 ,ads=1", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_weight_count(p), 3);
    ASSERT_STR(hdrf_params_weight_role(p, 1), "eng/batch");
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_weight_value(p, 1), 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_weight(p, "eng"), 3.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_weight(p, "ads"), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_weight(p, "other"), 1.0, 0);
    ASSERT_STR(hdrf_params_value(p, "weights"), "eng=3, eng/batch=0.5 ,ads=1");
    hdrf_params_free(p);
    p = one("weights", "", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_weight_count(p), 0);
    hdrf_params_free(p);

    refused("weights", "eng=-1",
            "weights = 'eng=-1': role 'eng': weight '-1' must be a positive finite number");
    refused("weights", "eng=0",
            "weights = 'eng=0': role 'eng': weight '0' must be a positive finite number");
    refused("weights", "eng=inf",
            "weights = 'eng=inf': role 'eng': weight 'inf' must be a positive finite number");
    refused("weights", "eng=1e999",
            "weights = 'eng=1e999': role 'eng': weight '1e999' must be a positive finite "
            "number");
    refused("weights", "eng=3x",
            "weights = 'eng=3x': role 'eng': weight '3x' must be a positive finite number");
    refused("weights",
            "eng=", "weights = 'eng=': role 'eng': weight '' must be a positive finite number");
    refused("weights", "eng3",
            "weights = 'eng3': 'eng3' is not role=weight; expected e.g. eng=3,eng/batch=0.5");
    refused("weights", "eng=1,,ads=2",
            "weights = 'eng=1,,ads=2': '' is not role=weight; expected e.g. "
            "eng=3,eng/batch=0.5");
    refused("weights", "eng/../x=2",
            "weights = 'eng/../x=2': role 'eng/../x' is invalid: a role component cannot be "
            "'..'");
    refused("weights", "eng=1,eng=2", "weights = 'eng=1,eng=2': role 'eng' is given twice");
    /* A long value is cut in the message, which stays one line. */
    refused("weights", "aaaaaaaaaa=1,bbbbbbbbbb=1,cccccccccc=1,dddddddddd=1,eeeeeeeeee=-1",
            "weights = 'aaaaaaaaaa=1,bbbbbbbbbb=1,cccccccccc=1,dddddd...': role 'eeeeeeeeee': "
            "weight '-1' must be a positive finite number");
}

static void test_sorters_and_seed(void)
{
    hdrf_error e;
    hdrf_params *p = one("role_sorter", "hdrf", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->role_order, HDRF_ORDER_HDRF);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->framework_order, HDRF_ORDER_DRF);
    hdrf_params_free(p);
    p = one("framework_sorter", "random", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->framework_order, HDRF_ORDER_RANDOM);
    hdrf_params_free(p);
    p = one("random_seed", "18446744073709551615", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->seed, UINT64_MAX);
    hdrf_params_free(p);

    refused("role_sorter", "DRF", "role_sorter = 'DRF': must be drf, hdrf or random");
    refused("framework_sorter", "fair", "framework_sorter = 'fair': must be drf, hdrf or random");
    refused("random_seed", "-1",
            "random_seed = '-1': must be an integer from 0 to 18446744073709551615");
    refused("random_seed", "18446744073709551616",
            "random_seed = '18446744073709551616': must be an integer from 0 to "
            "18446744073709551615");
    refused("random_seed", "12a",
            "random_seed = '12a': must be an integer from 0 to 18446744073709551615");
    refused("random_seed", "",
            "random_seed = '': must be an integer from 0 to "
            "18446744073709551615");
}

static void test_resources_keys(void)
{
    hdrf_error e;
    hdrf_params *p = one("fairness_excluded_resources", "gpus, fpgas", &e);
    REQUIRE(p);
    const hdrf_allocator_options *o = hdrf_params_options(p);
    REQUIRE_TRUE(o->nfairness_excluded == 2);
    ASSERT_STR(o->fairness_excluded[0], "gpus");
    ASSERT_STR(o->fairness_excluded[1], "fpgas");
    hdrf_params_free(p);
    p = one("fairness_excluded_resources", "", &e); /* empty: nothing excluded */
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->nfairness_excluded, 0);
    /* an empty list, not NULL, which the allocator reads as its default (gpus) */
    CU_ASSERT_PTR_NOT_NULL(hdrf_params_options(p)->fairness_excluded);
    hdrf_params_free(p);
    p = one("filter_gpu_resources", "off", &e);
    REQUIRE(p);
    CU_ASSERT_FALSE(hdrf_params_options(p)->filter_gpu_resources);
    hdrf_params_free(p);
    p = one("min_allocatable_resources", "cpus:1;mem:128|disk:1024", &e);
    REQUIRE(p);
    ASSERT_STR(hdrf_params_options(p)->min_allocatable_resources, "cpus:1;mem:128|disk:1024");
    hdrf_params_free(p);
    p = one("min_allocatable_resources", " ", &e); /* empty: no minimum */
    REQUIRE(p);
    CU_ASSERT_PTR_NULL(hdrf_params_options(p)->min_allocatable_resources);
    hdrf_params_free(p);

    refused("fairness_excluded_resources", "gpus,,x",
            "fairness_excluded_resources = 'gpus,,x': '' is not a resource name; expected "
            "names separated by commas (e.g. gpus)");
    refused("fairness_excluded_resources", "gpus;x",
            "fairness_excluded_resources = 'gpus;x': 'gpus;x' is not a resource name; expected "
            "names separated by commas (e.g. gpus)");
    refused("fairness_excluded_resources", "gpus,gpus",
            "fairness_excluded_resources = 'gpus,gpus': resource 'gpus' is given twice");
    refused("filter_gpu_resources", "yes",
            "filter_gpu_resources = 'yes': must be true or false (or on/off)");
    refused("min_allocatable_resources", "cpus:0.01||mem:32",
            "min_allocatable_resources = 'cpus:0.01||mem:32': an alternative is empty; expected "
            "name:amount lists separated by '|' (e.g. cpus:0.01|mem:32)");
    hdrf_error qe;
    hdrf_quantities *q = NULL;
    REQUIRE_TRUE(hdrf_quantities_parse("mem:x", &q, &qe) == HDRF_EINVAL);
    char want[512];
    snprintf(want, sizeof want, "min_allocatable_resources = 'cpus:1|mem:x': 'mem:x': %s", qe.text);
    refused("min_allocatable_resources", "cpus:1|mem:x", want);
}

static void test_recovery_and_interval(void)
{
    static const struct {
        const char *text;
        hdrf_time ns;
    } good[] = {{"10mins", 600 * HDRF_SECOND},
                {"30secs", 30 * HDRF_SECOND},
                {"0.5secs", HDRF_SECOND / 2},
                {"250ms", HDRF_SECOND / 4},
                {"1hrs", 3600 * HDRF_SECOND},
                {"2days", 172800 * HDRF_SECOND},
                {"1weeks", 604800 * HDRF_SECOND},
                {"7us", 7000},
                {"3ns", 3}};
    hdrf_error e;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        hdrf_params *p = one("recovery_timeout", good[i].text, &e);
        REQUIRE(p);
        CU_ASSERT_EQUAL(hdrf_params_options(p)->recovery_timeout, good[i].ns);
        hdrf_params_free(p);
        p = one("allocation_interval", good[i].text, &e);
        REQUIRE(p);
        CU_ASSERT_EQUAL(hdrf_params_options(p)->allocation_interval, good[i].ns);
        hdrf_params_free(p);
    }
    hdrf_params *p = one("recovery_timeout", "0secs", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->recovery_timeout, 0);
    hdrf_params_free(p);
    p = one("agent_recovery_factor", "1", &e);
    REQUIRE(p);
    CU_ASSERT_DOUBLE_EQUAL(hdrf_params_options(p)->agent_recovery_factor, 1.0, 0);
    hdrf_params_free(p);

    const char *rule = "expected a number and a unit of ns, us, ms, secs, mins, hrs, days, "
                       "weeks (e.g. 30secs)";
    const char *bad_durations[] = {"10",   "10min",   "10 mins",          "-1secs",
                                   "secs", "1e3secs", "99999999999weeks", ""};
    for (size_t i = 0; i < sizeof bad_durations / sizeof *bad_durations; i++) {
        char want[512];
        snprintf(want, sizeof want, "recovery_timeout = '%s': %s", bad_durations[i], rule);
        refused("recovery_timeout", bad_durations[i], want);
        snprintf(want, sizeof want, "allocation_interval = '%s': %s", bad_durations[i], rule);
        refused("allocation_interval", bad_durations[i], want);
    }
    refused("allocation_interval", "0secs",
            "allocation_interval = '0secs': must be a positive duration (e.g. 1secs)");
    refused("agent_recovery_factor", "0",
            "agent_recovery_factor = '0': must be a number in (0, 1], e.g. 0.8");
    refused("agent_recovery_factor", "1.01",
            "agent_recovery_factor = '1.01': must be a number in (0, 1], e.g. 0.8");
    refused("agent_recovery_factor", "nan",
            "agent_recovery_factor = 'nan': must be a number in (0, 1], e.g. 0.8");
}

static void test_quotas(void)
{
    hdrf_param pairs[] = {{"quota_guarantees", "prod=cpus:10;mem:4096, ads=cpus:2"},
                          {"quota_limits", "prod=cpus:20;mem:8192,batch=cpus:0"}};
    hdrf_params *p = NULL;
    hdrf_error e;
    REQUIRE_TRUE(hdrf_params_parse(pairs, 2, &p, &e) == HDRF_OK);
    REQUIRE_TRUE(hdrf_params_quota_count(p) == 3);
    const hdrf_role_quota *q = hdrf_params_quota(p, 0); /* sorted: ads, batch, prod */
    ASSERT_STR(q->role, "ads");
    CU_ASSERT_EQUAL(hdrf_quantities_get(q->quota.guarantees, "cpus"), 2000);
    CU_ASSERT_EQUAL(q->quota.nlimits, 0);
    q = hdrf_params_quota(p, 1);
    ASSERT_STR(q->role, "batch");
    CU_ASSERT_PTR_NULL(q->quota.guarantees);
    REQUIRE_TRUE(q->quota.nlimits == 1);
    ASSERT_STR(q->quota.limits[0].name, "cpus");
    CU_ASSERT_EQUAL(q->quota.limits[0].milli, 0); /* a zero limit is kept */
    q = hdrf_params_quota(p, 2);
    ASSERT_STR(q->role, "prod");
    CU_ASSERT_EQUAL(hdrf_quantities_get(q->quota.guarantees, "mem"), 4096000);
    REQUIRE_TRUE(q->quota.nlimits == 2);
    ASSERT_STR(q->quota.limits[1].name, "mem");
    CU_ASSERT_EQUAL(q->quota.limits[1].milli, 8192000);
    CU_ASSERT_PTR_NULL(hdrf_params_quota(p, 3));
    hdrf_params_free(p);

    refused("quota_guarantees", "prod",
            "quota_guarantees = 'prod': 'prod' is not role=quantities; expected "
            "role=name:amount;...,role=... (e.g. prod=cpus:10;mem:4096,ads=cpus:2)");
    refused("quota_guarantees", "prod=",
            "quota_guarantees = 'prod=': role 'prod' has no quantities; expected "
            "role=name:amount;...,role=... (e.g. prod=cpus:10;mem:4096,ads=cpus:2)");
    refused("quota_limits", "*=cpus:1", "quota_limits = '*=cpus:1': role '*' cannot have a quota");
    refused("quota_limits", "-x=cpus:1",
            "quota_limits = '-x=cpus:1': role '-x' is invalid: a role component cannot start "
            "with '-'");
    refused("quota_guarantees", "a=cpus:1,a=mem:2",
            "quota_guarantees = 'a=cpus:1,a=mem:2': role 'a' is given twice");
    refused("quota_limits", "a=cpus:1;cpus:2",
            "quota_limits = 'a=cpus:1;cpus:2': role 'a': resource 'cpus' is given twice");
}

/* Messages that embed the resource parser's own words are built from it. */
static void test_quota_messages_from_resources(void)
{
    hdrf_error qe;
    hdrf_quantities *q = NULL;
    char want[512];
    REQUIRE_TRUE(hdrf_quantities_parse("cpus", &q, &qe) == HDRF_EINVAL);
    snprintf(want, sizeof want, "quota_limits = 'a=cpus': role 'a': 'cpus': %s", qe.text);
    refused("quota_limits", "a=cpus", want);
    REQUIRE_TRUE(hdrf_quantities_parse("cpus:-1", &q, &qe) == HDRF_EINVAL);
    snprintf(want, sizeof want, "quota_guarantees = 'a=cpus:-1': role 'a': %s", qe.text);
    refused("quota_guarantees", "a=cpus:-1", want);

    hdrf_param pairs[] = {{"quota_limits", "prod=cpus:5"},
                          {"quota_guarantees", "prod=cpus:10;mem:64"}};
    hdrf_params *p = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL(hdrf_params_parse(pairs, 2, &p, &e), HDRF_EINVAL);
    ASSERT_STR(e.text, "quota_guarantees = 'prod=cpus:10;mem:64': role 'prod': guarantee "
                       "cpus:10.000 exceeds its limit cpus:5.000 (quota_limits)");
    ASSERT_STR(e.token, "quota_guarantees");
}

static void test_switches(void)
{
    hdrf_error e;
    hdrf_params *p = one("explain", "false", &e);
    REQUIRE(p);
    CU_ASSERT_FALSE(hdrf_params_explain(p));
    hdrf_params_free(p);
    const char *levels[] = {"off", "error", "warning", "info", "debug"};
    for (int i = 0; i < 5; i++) {
        p = one("log_level", levels[i], &e);
        REQUIRE(p);
        CU_ASSERT_EQUAL(hdrf_params_log_level(p), (hdrf_log_level)i);
        ASSERT_STR(hdrf_log_level_name(hdrf_params_log_level(p)), levels[i]);
        hdrf_params_free(p);
    }
    p = one("nested_quota", "hdrf", &e);
    REQUIRE(p);
    CU_ASSERT_EQUAL(hdrf_params_options(p)->nested_quota, HDRF_NESTED_QUOTA_HDRF);
    hdrf_params_free(p);
    refused("nested_quota", "strict",
            "nested_quota = 'strict': must be mesos (a role is held to "
            "its own limits) or hdrf (to its ancestors' too)");
    refused("explain", "1", "explain = '1': must be true or false (or on/off)");
    refused("log_level", "INFO", "log_level = 'INFO': must be off, error, warning, info or debug");
}

static void test_keys(void)
{
    refused("wieghts", "eng=3", "wieghts = 'eng=3': unknown parameter; did you mean 'weights'?");
    refused("role_sorer", "drf",
            "role_sorer = 'drf': unknown parameter; did you mean 'role_sorter'?");
    refused("fair_sharing_excluded_resource_names", "gpus",
            "fair_sharing_excluded_resource_names = 'gpus': unknown parameter; hdrf knows 15 "
            "keys (docs/module.md and modules.json.example list them)");
    hdrf_param twice[] = {{"role_sorter", "drf"}, {"explain", "on"}, {"role_sorter", "hdrf"}};
    hdrf_params *p = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL(hdrf_params_parse(twice, 3, &p, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(p);
    ASSERT_STR(e.text, "role_sorter = 'hdrf': given twice (first as 'drf')");
    /* The first bad pair is the one reported. */
    hdrf_param two_bad[] = {{"explain", "maybe"}, {"log_level", "loud"}};
    CU_ASSERT_EQUAL(hdrf_params_parse(two_bad, 2, &p, &e), HDRF_EINVAL);
    ASSERT_STR(e.text, "explain = 'maybe': must be true or false (or on/off)");
}

/* Under a master, its flags are the defaults: a parameter given wins (and
 * is noted), except allocation_interval, which the master's flag keeps. */
typedef struct notes {
    char text[512];
} notes;

static void note_one(void *arg, const char *parameter, const char *flag, const char *value,
                     bool applies)
{
    notes *n = arg;
    size_t len = strlen(n->text);
    snprintf(n->text + len, sizeof n->text - len, "%s=%s %s %s;", parameter, value,
             applies ? "overrides" : "yields to", flag);
}

static void test_under_master(void)
{
    hdrf_param given[] = {{"filter_gpu_resources", "false"},
                          {"allocation_interval", "5secs"},
                          {"role_sorter", "hdrf"}};
    hdrf_params *p = NULL;
    hdrf_error e;
    REQUIRE_TRUE(hdrf_params_parse(given, 3, &p, &e) == HDRF_OK);
    CU_ASSERT_TRUE(hdrf_params_given(p, "filter_gpu_resources"));
    CU_ASSERT_FALSE(hdrf_params_given(p, "min_allocatable_resources"));
    CU_ASSERT_FALSE(hdrf_params_given(p, "no_such_key"));
    hdrf_master_options m = {.allocation_interval = 2 * HDRF_SECOND,
                             .fairness_excluded = NULL,
                             .filter_gpu_resources = true,
                             .min_allocatable_resources = "cpus:1",
                             .agent_recovery_factor = 0.5,
                             .recovery_timeout = 60 * HDRF_SECOND};
    hdrf_allocator_options o;
    notes n = {""};
    hdrf_params_under_master(p, &m, &o, note_one, &n);
    CU_ASSERT_EQUAL(o.allocation_interval, 2 * HDRF_SECOND);
    /* Mesos excludes nothing when its flag is not given (hdrf's own
     * default, gpus, is not the master's) */
    CU_ASSERT_PTR_NOT_NULL(o.fairness_excluded);
    CU_ASSERT_EQUAL(o.nfairness_excluded, 0);
    CU_ASSERT_FALSE(o.filter_gpu_resources); /* given: it wins */
    ASSERT_STR(o.min_allocatable_resources, "cpus:1");
    CU_ASSERT_DOUBLE_EQUAL(o.agent_recovery_factor, 0.5, 1e-12);
    CU_ASSERT_EQUAL(o.recovery_timeout, 60 * HDRF_SECOND);
    CU_ASSERT_EQUAL(o.role_order, HDRF_ORDER_HDRF); /* hdrf's own: kept */
    ASSERT_STR(n.text, "filter_gpu_resources=false overrides --filter_gpu_resources;"
                       "allocation_interval=5secs yields to --allocation_interval;");
    /* The master's exclusion list when it gives one */
    const char *gpus[] = {"gpus"};
    m.fairness_excluded = gpus;
    m.nfairness_excluded = 1;
    hdrf_params_under_master(p, &m, &o, NULL, NULL);
    CU_ASSERT_EQUAL(o.nfairness_excluded, 1);
    ASSERT_STR(o.fairness_excluded[0], "gpus");
    hdrf_params_free(p);
    ASSERT_STR(hdrf_params_master_flag("filter_gpu_resources"), "--filter_gpu_resources");
    ASSERT_STR(hdrf_params_master_flag("fairness_excluded_resources"),
               "--fair_sharing_excluded_resource_names");
    CU_ASSERT_PTR_NULL(hdrf_params_master_flag("weights"));
    CU_ASSERT_PTR_NULL(hdrf_params_master_flag("no_such_key"));
}

static char *read_example(void)
{
    char path[4096], *text = NULL;
    snprintf(path, sizeof path, "%s/modules.json.example", HDRF_SRCDIR);
    return test_read_file(path, &text) < 0 ? NULL : text;
}

static void test_example_manifest(void)
{
    char *text = read_example();
    REQUIRE(text);
    hdrf_params *p = NULL;
    hdrf_error e;
    int rc = hdrf_params_from_modules_json(text, "modules.json.example", NULL, &p, &e);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "%s: %s: %s\n", e.source, e.token, e.text);
    /* It lists every key only hdrf has, each with its default, in the
     * documented order; none of those a master flag owns (given, they would
     * override the master's flags). */
    json_t *root = json_loads(text, 0, NULL);
    json_t *params = json_object_get(
        json_array_get(
            json_object_get(json_array_get(json_object_get(root, "libraries"), 0), "modules"), 0),
        "parameters");
    size_t listed = 0;
    for (size_t k = 0; k < hdrf_params_key_count(); k++) {
        if (hdrf_params_master_flag(hdrf_params_key(k)))
            continue;
        json_t *item = json_array_get(params, listed++);
        ASSERT_STR(json_string_value(json_object_get(item, "key")), hdrf_params_key(k));
        ASSERT_STR(json_string_value(json_object_get(item, "value")), hdrf_params_default(k));
    }
    CU_ASSERT_EQUAL(json_array_size(params), listed);
    json_decref(root);
    hdrf_params_free(p);
    /* By name too; and the hook is not an allocator. */
    rc = hdrf_params_from_modules_json(text, "m.json", "io_hdrf_HierarchicalAllocator", &p, &e);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    hdrf_params_free(p);
    CU_ASSERT_EQUAL(hdrf_params_from_modules_json(text, "m.json", "io_hdrf_Nope", &p, &e),
                    HDRF_EINVAL);
    ASSERT_STR(e.source, "m.json");
    ASSERT_STR(e.token, "libraries");
    ASSERT_STR(e.text, "no module named 'io_hdrf_Nope'");
    free(text);
}

/* A manifest `text` is refused with this token and text. */
static void manifest_refused(const char *text, const char *token, const char *message)
{
    hdrf_params *p = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL(hdrf_params_from_modules_json(text, "hdrf.json", NULL, &p, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(p);
    ASSERT_STR(e.source, "hdrf.json");
    ASSERT_STR(e.token, token);
    ASSERT_STR(e.text, message);
    if (strcmp(e.token, token) != 0 || strcmp(e.text, message) != 0)
        fprintf(stderr, "\n  got: %s: %s\n", e.token, e.text);
}

#define LIB(modules) "{\"libraries\": [{\"file\": \"x.so\", \"modules\": [" modules "]}]}"
#define ALLOC(params) "{\"name\": \"org_apache_mesos_hdrf_HDRFAllocator\", " params "}"

static void test_manifest_errors(void)
{
    manifest_refused("{\"libraries\": [", "(syntax)", "']' expected near end of file");
    manifest_refused("[]", "(top)", "expected an object with \"libraries\"");
    manifest_refused("{\"libraries\": {}}", "libraries", "expected an array of libraries");
    manifest_refused("{\"libraries\": [3]}", "libraries[0]", "expected an object with \"modules\"");
    manifest_refused(LIB("{\"name\": 3}"), "libraries[0].modules[0].name",
                     "expected the module's name as a string");
    manifest_refused(LIB("{\"name\": \"io_hdrf_LabelHook\"}"), "libraries",
                     "no allocator module: none has a name holding 'hdrf' and 'allocator'");
    manifest_refused(LIB(ALLOC("\"parameters\": {}")), "libraries[0].modules[0].parameters",
                     "expected an array of {\"key\", \"value\"}");
    manifest_refused(LIB(ALLOC("\"parameters\": [\"weights\"]")),
                     "libraries[0].modules[0].parameters[0]",
                     "expected an object {\"key\": ..., \"value\": ...}");
    manifest_refused(LIB(ALLOC("\"parameters\": [{\"key\": \"explain\", \"value\": true}]")),
                     "libraries[0].modules[0].parameters[0].value",
                     "expected a string (Mesos's Parameter has string key and value)");
    manifest_refused(LIB("{\"name\": \"io_hdrf_LabelHook\"}, " ALLOC(
                         "\"parameters\": [{\"key\": \"explain\", \"value\": \"on\"}, "
                         "{\"key\": \"weights\", \"value\": \"eng=0\"}]")),
                     "libraries[0].modules[1].parameters[1]",
                     "weights = 'eng=0': role 'eng': weight '0' must be a positive finite "
                     "number");
    /* Syntax errors carry line and column. */
    hdrf_params *p = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL(hdrf_params_from_modules_json("{\n  \"libraries\": [,]}", "x", NULL, &p, &e),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(e.line, 2);
    /* No parameters at all: the defaults. */
    CU_ASSERT_EQUAL(hdrf_params_from_modules_json(LIB(ALLOC("\"x\": 1")), "x", NULL, &p, &e),
                    HDRF_OK);
    hdrf_params_free(p);
}

/* Weights and quotas reach the allocator; the options create one. */
static void test_apply(void)
{
    hdrf_param pairs[] = {{"weights", "eng=3"},
                          {"quota_guarantees", "prod=cpus:4"},
                          {"quota_limits", "prod=cpus:8"},
                          {"framework_sorter", "random"},
                          {"allocation_interval", "2secs"}};
    hdrf_params *p = NULL;
    hdrf_error e;
    REQUIRE_TRUE(hdrf_params_parse(pairs, 5, &p, &e) == HDRF_OK);
    af *f = af_new(hdrf_params_options(p));
    CU_ASSERT_EQUAL(f->interval, 2 * HDRF_SECOND);
    CU_ASSERT_EQUAL(hdrf_params_apply(p, f->a), HDRF_OK);
#define PROD_CPUS "allocator/mesos/quota/roles/prod/resources/cpus/"
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, PROD_CPUS "guarantee"), 4.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, PROD_CPUS "limit"), 8.0, 1e-9);
    /* prod's guarantee keeps 4 cpus back (headroom); eng's weight 3
     * divides its share: all the memory is 1/3 weighted. */
    af_agent(f, "cpus:8;mem:1024");
    const char *fw = af_framework(f, "eng", 0);
    af_expect(f, fw, "eng@agent1=cpus:4;mem:1024");
    CU_ASSERT_DOUBLE_EQUAL(af_metric(f, "allocator/mesos/roles/eng/shares/dominant"), 1.0 / 3,
                           1e-9);
    af_free(f);
    hdrf_params_free(p);
}

int suite_params(void)
{
    static const test_case cases[] = {
        {"defaults", test_defaults},
        {"weights", test_weights},
        {"sorters and seed", test_sorters_and_seed},
        {"resource keys", test_resources_keys},
        {"durations and recovery", test_recovery_and_interval},
        {"quotas", test_quotas},
        {"quota messages", test_quota_messages_from_resources},
        {"explain and log level", test_switches},
        {"unknown and repeated keys", test_keys},
        {"under a master: its flags are the defaults", test_under_master},
        {"modules.json.example", test_example_manifest},
        {"manifest errors", test_manifest_errors},
        {"weights and quotas applied", test_apply},
        {NULL, NULL}};
    return test_add_suite("params", cases);
}
