/* test_hooks.c: the label policy of the hook module.
 *
 * Owns the proof that hooks/ reads the module's parameters as hdrf/hooks.h
 * documents (defaults, the label-list syntax with its spaces, escapes and
 * placeholders) and refuses every bad one with an exact message naming the
 * parameter, its value and what is allowed; and that decorating a task gives
 * the label list worked out by hand below: the task's own labels untouched
 * and in order, forged ones under the reserved prefix stripped or refusing
 * the launch, the configured labels appended and filled from the launch,
 * shares printed with four decimals, and "keep as is" when nothing changes. */
#include "test/test.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/hooks.h"

/* The launch most cases decorate. */
static const hdrf_hooks_launch launch_eng = {
    .role = "eng/batch",
    .framework_id = "fw-0001",
    .framework_name = "spark",
    .agent_id = "agent-7",
    .agent_hostname = "a7.example.com",
    .has_dominant_share = true,
    .dominant_share = 0.25,
};

/* Creates a policy from key, value, ..., NULL. */
static int make_v(hdrf_hooks **h, hdrf_error *err, const char *const *kv)
{
    hdrf_hooks_param params[8];
    size_t n = 0;
    for (; kv[2 * n] && n < 8; n++)
        params[n] = (hdrf_hooks_param){kv[2 * n], kv[2 * n + 1]};
    return hdrf_hooks_new(params, n, h, err);
}

#define PARAMS(...) ((const char *const[]){__VA_ARGS__, NULL})

static hdrf_hooks *make(const char *const *kv)
{
    hdrf_hooks *h = NULL;
    hdrf_error err;
    int status = make_v(&h, &err, kv);
    CU_ASSERT_EQUAL(status, HDRF_OK);
    if (status != HDRF_OK)
        fprintf(stderr, "\n  unexpected refusal: %s\n", err.text);
    return h;
}

/* Creation must fail with exactly `want`. */
static void check_bad(const char *const *kv, const char *want)
{
    hdrf_hooks *h = (hdrf_hooks *)&h; /* must be reset to NULL */
    hdrf_error err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_EQUAL(make_v(&h, &err, kv), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_STRING_EQUAL(err.text, want);
    if (strcmp(err.text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err.text, want);
}

/* The result must replace the labels with want[0..n). */
static void check_labels(const hdrf_hooks_result *r, const hdrf_label *want, size_t n)
{
    CU_ASSERT_EQUAL(r->verdict, HDRF_HOOKS_REPLACE);
    CU_ASSERT_EQUAL(r->nlabels, n);
    for (size_t i = 0; i < n && i < r->nlabels; i++) {
        const hdrf_label *got = &r->labels[i];
        bool same = strcmp(got->key, want[i].key) == 0 &&
                    (got->value && want[i].value ? strcmp(got->value, want[i].value) == 0
                                                 : got->value == want[i].value);
        CU_ASSERT_TRUE(same);
        if (!same)
            fprintf(stderr, "\n  label %zu: got %s=%s, want %s=%s\n", i, got->key,
                    got->value ? got->value : "(none)", want[i].key,
                    want[i].value ? want[i].value : "(none)");
    }
}

#define LABELS(...) ((const hdrf_label[]){__VA_ARGS__})
#define NLABELS(...) (sizeof LABELS(__VA_ARGS__) / sizeof(hdrf_label))
#define EXPECT(r, ...) check_labels((r), LABELS(__VA_ARGS__), NLABELS(__VA_ARGS__))

static int decorate(const hdrf_hooks *h, hdrf_hooks_stage stage, const hdrf_label *labels, size_t n,
                    hdrf_hooks_result *r)
{
    hdrf_error err;
    int status = hdrf_hooks_decorate(h, stage, labels, n, &launch_eng, r, &err);
    if (status != HDRF_OK)
        fprintf(stderr, "\n  decorate failed: %s\n", err.text);
    return status;
}

/* ---- defaults and the label-list syntax -------------------------------------- */

/* No parameters: nothing added, `hdrf.` protected by stripping, in the master only. */
static void test_defaults(void)
{
    hdrf_hooks *h = make(PARAMS(NULL));
    hdrf_hooks_result r;
    const hdrf_label task[] = {{"a", "1"}, {"hdrf.role", "ops"}, {"b", NULL}};
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 3, &r), HDRF_OK);
    EXPECT(&r, {"a", "1"}, {"b", NULL});
    hdrf_hooks_result_free(&r);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_PTR_NULL(r.labels);
    CU_ASSERT_EQUAL(r.nlabels, 0);
    /* Nothing forged and nothing to add: keep as is. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 1, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_PTR_NULL(r.labels);
    /* The agent trusts what the master let through. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, task, 3, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    hdrf_hooks_free(h);
    hdrf_hooks_free(NULL);
    hdrf_hooks_result_free(NULL);
}

/* Spaces around keys and values dropped, escapes, key-only and empty values,
 * `=` inside a value, UTF-8, and escaped spaces kept. */
static void test_list_syntax(void)
{
    hdrf_hooks *h =
        make(PARAMS("labels", "  team = ads ,canary,  empty= , url=http://x/?a=b&c=d , "
                              "pad=\\ in\\ , esc=a\\,b\\=c\\{d\\}e\\\\f,k\\ ey=v, équipe=données"));
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &r), HDRF_OK);
    EXPECT(&r, {"team", "ads"}, {"canary", NULL}, {"empty", ""}, {"url", "http://x/?a=b&c=d"},
           {"pad", " in "}, {"esc", "a,b=c{d}e\\f"}, {"k ey", "v"}, {"équipe", "données"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);

    /* Blank lists say "no labels" explicitly. */
    h = make(PARAMS("labels", "", "agent_labels", "   "));
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, NULL, 0, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    hdrf_hooks_free(h);
}

/* ---- decorating ---------------------------------------------------------------- */

/* Static labels follow the task's own, which keep their order and values. */
static void test_static_labels_appended(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "team=ads,tier=batch,canary"));
    const hdrf_label task[] = {{"z", "1"}, {"a", "2"}, {"m", NULL}, {"b", ""}};
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 4, &r), HDRF_OK);
    EXPECT(&r, {"z", "1"}, {"a", "2"}, {"m", NULL}, {"b", ""}, {"team", "ads"}, {"tier", "batch"},
           {"canary", NULL});
    hdrf_hooks_result_free(&r);
    /* The master's labels are not the agent's. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, task, 4, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    hdrf_hooks_free(h);
}

/* Every placeholder, alone and mixed with text. */
static void test_every_placeholder(void)
{
    hdrf_hooks *h =
        make(PARAMS("labels", "hdrf.role={role}, hdrf.framework={framework.id}, "
                              "hdrf.framework_name={framework.name}, hdrf.agent={agent.id}, "
                              "hdrf.host={agent.hostname}, hdrf.share={role.dominant_share}, "
                              "hdrf.who= {framework.name}@{agent.hostname} in {role}\\ , "
                              "hdrf.all={role}{role.dominant_share}{framework.id}{framework.name}"
                              "{agent.id}{agent.hostname}"));
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, LABELS({"app", "etl"}), 1, &r), HDRF_OK);
    EXPECT(&r, {"app", "etl"}, {"hdrf.role", "eng/batch"}, {"hdrf.framework", "fw-0001"},
           {"hdrf.framework_name", "spark"}, {"hdrf.agent", "agent-7"},
           {"hdrf.host", "a7.example.com"}, {"hdrf.share", "0.2500"},
           {"hdrf.who", "spark@a7.example.com in eng/batch "},
           {"hdrf.all", "eng/batch0.2500fw-0001sparkagent-7a7.example.com"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
}

/* The agent knows every fact but the share; its labels are its own. */
static void test_agent_labels(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "hdrf.share={role.dominant_share}", "agent_labels",
                                "hdrf.ran_on={agent.hostname}/{agent.id}, hdrf.by={framework.id} "
                                "({framework.name}) as {role}"));
    const hdrf_label task[] = {{"app", "etl"}, {"hdrf.share", "0.2500"}};
    hdrf_hooks_result r;
    REQUIRE(h);
    /* The master's label stays: the agent does not strip under the prefix. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, task, 2, &r), HDRF_OK);
    EXPECT(&r, {"app", "etl"}, {"hdrf.share", "0.2500"}, {"hdrf.ran_on", "a7.example.com/agent-7"},
           {"hdrf.by", "fw-0001 (spark) as eng/batch"});
    hdrf_hooks_result_free(&r);
    /* In the master, the same task's hdrf.share is forged: replaced by the hook's. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 2, &r), HDRF_OK);
    EXPECT(&r, {"app", "etl"}, {"hdrf.share", "0.2500"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
}

static const char *share_text(const hdrf_hooks *h, double share, hdrf_hooks_result *r)
{
    hdrf_hooks_launch launch = launch_eng;
    launch.dominant_share = share;
    if (hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &launch, r, NULL) != HDRF_OK ||
        r->nlabels != 1)
        return NULL;
    return r->labels[0].value;
}

/* Four decimals, half away from zero, never exponent notation. */
static void test_share_formatting(void)
{
    static const struct {
        double share;
        const char *text;
    } cases[] = {
        {0.0, "0.0000"},
        {-0.0, "0.0000"},
        {0.25, "0.2500"},
        {1.0 / 3, "0.3333"},
        {2.0 / 3, "0.6667"},
        {1.0, "1.0000"},
        {0.123456, "0.1235"},
        {0.00004, "0.0000"},
        {0.99996, "1.0000"},
        {1e-9, "0.0000"},
        /* 1/32 is exact in binary: 312.5 ten-thousandths, a true tie, goes up
         * (printf's "%.4f" would give 0.0312). */
        {0.03125, "0.0313"},
        {12.5, "12.5000"},
        {999999999.99994, "999999999.9999"},
    };
    hdrf_hooks *h = make(PARAMS("labels", "s={role.dominant_share}"));
    hdrf_hooks_result r;
    REQUIRE(h);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = share_text(h, cases[i].share, &r);
        ASSERT_STR(got, cases[i].text);
        if (!got || strcmp(got, cases[i].text) != 0)
            fprintf(stderr, "\n  share %.17g: got %s, want %s\n", cases[i].share,
                    got ? got : "(failure)", cases[i].text);
        hdrf_hooks_result_free(&r);
    }
    hdrf_hooks_free(h);
}

static void check_bad_share(const hdrf_hooks *h, double share, const char *want)
{
    hdrf_hooks_launch launch = launch_eng;
    hdrf_hooks_result r;
    hdrf_error err;
    launch.dominant_share = share;
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &launch, &r, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_PTR_NULL(r.labels);
    ASSERT_STR(err.text, want);
}

/* A share the allocator cannot have computed is the caller's bug. */
static void test_bad_shares(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "s={role.dominant_share}"));
    REQUIRE(h);
    check_bad_share(h, -0.5, "dominant share -0.5: must be finite, >= 0 and below 1e9");
    check_bad_share(h, NAN, "dominant share nan: must be finite, >= 0 and below 1e9");
    check_bad_share(h, INFINITY, "dominant share inf: must be finite, >= 0 and below 1e9");
    check_bad_share(h, 1e9, "dominant share 1e+09: must be finite, >= 0 and below 1e9");
    hdrf_hooks_free(h);
}

/* A fact the caller does not know leaves out the labels that need it. */
static void test_unknown_facts(void)
{
    hdrf_hooks *h = make(PARAMS("labels",
                                "hdrf.share={role.dominant_share},team=ads,"
                                "hdrf.owner={framework.name}@{agent.hostname}",
                                "agent_labels", "hdrf.host={agent.hostname}"));
    hdrf_hooks_launch launch = launch_eng;
    hdrf_hooks_result r;
    REQUIRE(h);
    launch.has_dominant_share = false; /* say, the builtin allocator runs */
    launch.dominant_share = NAN;       /* ignored without the flag */
    launch.framework_name = NULL;
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &launch, &r, NULL), HDRF_OK);
    EXPECT(&r, {"team", "ads"});
    hdrf_hooks_result_free(&r);
    /* When no label can be filled and nothing is forged: keep as is. */
    launch.agent_hostname = NULL;
    CU_ASSERT_EQUAL(
        hdrf_hooks_decorate(h, HDRF_HOOKS_AGENT, LABELS({"a", "1"}), 1, &launch, &r, NULL),
        HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    /* A zeroed launch knows nothing. */
    launch = (hdrf_hooks_launch){0};
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &launch, &r, NULL), HDRF_OK);
    EXPECT(&r, {"team", "ads"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
}

/* Forged labels are removed wherever they sit; the rest keep their order. A
 * key is under the prefix by its exact leading bytes. */
static void test_forged_stripped(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "hdrf.role={role}"));
    const hdrf_label task[] = {
        {"z", "1"},           {"hdrf.role", "ops"}, {"a", NULL},
        {"hdrf.", "x"},       {"hdrf", "kept"},     {"HDRF.role", "kept"},
        {"hdrf.share", NULL}, {"xhdrf.y", "kept"},  {"hdrf.role", "root"},
        {"b", "2"},
    };
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 10, &r), HDRF_OK);
    EXPECT(&r, {"z", "1"}, {"a", NULL}, {"hdrf", "kept"}, {"HDRF.role", "kept"},
           {"xhdrf.y", "kept"}, {"b", "2"}, {"hdrf.role", "eng/batch"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);

    /* Every label forged and nothing added: an empty list replaces them. */
    h = make(PARAMS("reserved_prefix", "acme/"));
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, LABELS({"acme/a", "1"}, {"acme/", NULL}), 2, &r),
                    HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_REPLACE);
    CU_ASSERT_EQUAL(r.nlabels, 0);
    hdrf_hooks_result_free(&r);
    /* `hdrf.` is no longer protected once the prefix is another. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, LABELS({"hdrf.a", "1"}), 1, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    hdrf_hooks_free(h);
}

/* on_forged_label=reject: the first forged key is named, the others counted. */
static void test_forged_rejected(void)
{
    hdrf_hooks *h = make(PARAMS("on_forged_label", "reject", "labels", "team=ads"));
    hdrf_hooks_result r;
    hdrf_error err;
    REQUIRE(h);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER,
                                        LABELS({"a", "1"}, {"hdrf.role", "ops"}), 2, &launch_eng,
                                        &r, &err),
                    HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_REFUSE);
    CU_ASSERT_PTR_NULL(r.labels);
    ASSERT_STR(err.token, "hdrf.role");
    ASSERT_STR(err.text, "label 'hdrf.role' set by the framework: keys under 'hdrf.' are "
                         "reserved to hdrf's label hook (on_forged_label=reject)");
    CU_ASSERT_EQUAL(
        hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER,
                            LABELS({"hdrf.x", NULL}, {"b", "1"}, {"hdrf.x", "2"}, {"hdrf.y", "3"}),
                            4, &launch_eng, &r, &err),
        HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_REFUSE);
    ASSERT_STR(err.text, "label 'hdrf.x' (and 2 more) set by the framework: keys under 'hdrf.' "
                         "are reserved to hdrf's label hook (on_forged_label=reject)");
    /* Clean tasks pass; the agent refuses nothing. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, LABELS({"a", "1"}), 1, &r), HDRF_OK);
    EXPECT(&r, {"a", "1"}, {"team", "ads"});
    hdrf_hooks_result_free(&r);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, LABELS({"hdrf.x", "1"}), 1, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    hdrf_hooks_free(h);
}

/* Duplicate keys in the task are all kept (or all stripped); an added key the
 * task already has outside the prefix replaces nothing. */
static void test_duplicate_keys(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "a=3,hdrf.r={role}"));
    const hdrf_label task[] = {
        {"a", "1"}, {"hdrf.r", "x"}, {"a", "2"}, {"a", NULL}, {"hdrf.r", "y"}};
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 5, &r), HDRF_OK);
    EXPECT(&r, {"a", "1"}, {"a", "2"}, {"a", NULL}, {"a", "3"}, {"hdrf.r", "eng/batch"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
}

/* The example of docs/module.md, with the manifest's lists (modules.json.example). */
static void test_readme_example(void)
{
    const char *const kv[] = {
        "labels",
        "hdrf.role={role},hdrf.framework={framework.name},hdrf.share={role.dominant_share}",
        "agent_labels", "hdrf.ran_on={agent.hostname}", NULL};
    const hdrf_label task[] = {{"app", "etl"}, {"hdrf.role", "ops"}};
    hdrf_hooks *h = make(kv), *strict = NULL;
    hdrf_hooks_result r, at_agent;
    hdrf_error err;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, task, 2, &r), HDRF_OK);
    EXPECT(&r, {"app", "etl"}, {"hdrf.role", "eng/batch"}, {"hdrf.framework", "spark"},
           {"hdrf.share", "0.2500"});
    /* What the agent then receives and adds to. */
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, r.labels, r.nlabels, &at_agent), HDRF_OK);
    EXPECT(&at_agent, {"app", "etl"}, {"hdrf.role", "eng/batch"}, {"hdrf.framework", "spark"},
           {"hdrf.share", "0.2500"}, {"hdrf.ran_on", "a7.example.com"});
    hdrf_hooks_result_free(&at_agent);
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);

    strict = make(PARAMS("on_forged_label", "reject"));
    REQUIRE(strict);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(strict, HDRF_HOOKS_MASTER, task, 2, &launch_eng, &r, &err),
                    HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_REFUSE);
    ASSERT_STR(err.text, "label 'hdrf.role' set by the framework: keys under 'hdrf.' are "
                         "reserved to hdrf's label hook (on_forged_label=reject)");
    hdrf_hooks_free(strict);
}

/* Empty task label lists, with and without labels to add. */
static void test_empty_task_labels(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "team=ads"));
    hdrf_hooks_result r;
    REQUIRE(h);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &r), HDRF_OK);
    EXPECT(&r, {"team", "ads"});
    hdrf_hooks_result_free(&r);
    CU_ASSERT_EQUAL(decorate(h, HDRF_HOOKS_AGENT, NULL, 0, &r), HDRF_OK);
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_PTR_NULL(r.labels);
    CU_ASSERT_EQUAL(r.nlabels, 0);
    hdrf_hooks_free(h);
}

/* The result owns its strings: it outlives the task's labels and the launch. */
static void test_result_is_owned(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "hdrf.host={agent.hostname}"));
    hdrf_hooks_launch launch = launch_eng;
    hdrf_label task[2];
    hdrf_hooks_result r;
    char *k0 = strdup("app"), *v0 = strdup("etl"), *k1 = strdup("solo"), *host = strdup("h1");
    REQUIRE(h);
    REQUIRE_TRUE(k0 && v0 && k1 && host);
    task[0] = (hdrf_label){k0, v0};
    task[1] = (hdrf_label){k1, NULL};
    launch.agent_hostname = host;
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, task, 2, &launch, &r, NULL), HDRF_OK);
    memset(k0, '#', 3);
    memset(host, '#', 2);
    free(k0), free(v0), free(k1), free(host);
    EXPECT(&r, {"app", "etl"}, {"solo", NULL}, {"hdrf.host", "h1"});
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
}

/* Caller errors are refused with a message and change nothing. */
static void test_bad_calls(void)
{
    hdrf_hooks *h = make(PARAMS("labels", "team=ads"));
    hdrf_hooks_result r;
    hdrf_error err;
    REQUIRE(h);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, LABELS({"a", "1"}, {NULL, "x"}), 2,
                                        &launch_eng, &r, &err),
                    HDRF_EINVAL);
    ASSERT_STR(err.text, "task label 2 has no key; Mesos requires one");
    CU_ASSERT_EQUAL(r.verdict, HDRF_HOOKS_KEEP);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, NULL, &r, &err),
                    HDRF_EINVAL);
    ASSERT_STR(err.text, "hdrf_hooks_decorate: NULL argument");
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 1, &launch_eng, &r, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(NULL, HDRF_HOOKS_MASTER, NULL, 0, &launch_eng, &r, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, (hdrf_hooks_stage)7, NULL, 0, &launch_eng, &r, &err),
                    HDRF_EINVAL);
    ASSERT_STR(err.text, "hdrf_hooks_decorate: bad policy or stage");
    CU_ASSERT_EQUAL(hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, NULL, 0, &launch_eng, NULL, &err),
                    HDRF_EINVAL);
    CU_ASSERT_EQUAL(hdrf_hooks_new(NULL, 0, NULL, &err), HDRF_EINVAL);
    hdrf_hooks_free(h);
}

/* ---- bad parameters ---------------------------------------------------------------- */

static void test_bad_parameters(void)
{
    check_bad(PARAMS("label", "team=ads"),
              "label = 'team=ads': unknown parameter; known: labels, agent_labels, "
              "reserved_prefix, on_forged_label");
    check_bad(PARAMS("on_forged_label", "drop"),
              "on_forged_label = 'drop': allowed values are strip (the default: forged labels "
              "are removed) and reject (a forged label fails the launch)");
    check_bad(PARAMS("on_forged_label", "Reject"),
              "on_forged_label = 'Reject': allowed values are strip (the default: forged labels "
              "are removed) and reject (a forged label fails the launch)");
    check_bad(PARAMS("on_forged_label", "strip", "labels", "", "on_forged_label", "reject"),
              "on_forged_label = 'reject': given twice (first as 'strip'); give each parameter "
              "once");
    check_bad(PARAMS("reserved_prefix", ""),
              "reserved_prefix = '': must be a non-empty key prefix such as hdrf. (an empty one "
              "would claim every label)");
    check_bad(PARAMS("reserved_prefix", "a\tb"),
              "reserved_prefix = 'a\\x09b': must be UTF-8 text without control characters");
    check_bad(PARAMS("labels", "a=1", "agent_labels", "b=2,a=3"),
              "agent_labels = 'b=2,a=3': key 'a' is also in labels; a task would carry it twice");
    check_bad(PARAMS("agent_labels", "a=1", "labels", "a"),
              "agent_labels = 'a=1': key 'a' is also in labels; a task would carry it twice");
    check_bad(PARAMS("agent_labels", "hdrf.s=x{role.dominant_share}"),
              "agent_labels = 'hdrf.s=x{role.dominant_share}': {role.dominant_share} is known "
              "only to the master hook, where the allocator runs");
}

static void test_missing_key_or_value(void)
{
    hdrf_hooks_param params[] = {{"labels", "a=1"}, {"on_forged_label", NULL}};
    hdrf_hooks *h = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_hooks_new(params, 2, &h, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(h);
    ASSERT_STR(err.text, "parameter 2 has no value; each needs a key and a value");
    params[0].key = NULL;
    CU_ASSERT_EQUAL(hdrf_hooks_new(params, 2, &h, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "parameter 1 has no key; each needs a key and a value");
}

/* A bad label list: the message, and where the error points. */
static void check_bad_list(const char *value, const char *want, int position, const char *token)
{
    hdrf_hooks_param param = {"labels", value};
    hdrf_hooks *h = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_hooks_new(&param, 1, &h, &err), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_STRING_EQUAL(err.text, want);
    if (strcmp(err.text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err.text, want);
    ASSERT_STR(err.source, "labels");
    CU_ASSERT_EQUAL(err.position, position);
    ASSERT_STR(err.token, token);
}

static void test_bad_label_lists(void)
{
    check_bad_list("a=1,,b=2",
                   "labels = 'a=1,,b=2': entry 2 is empty; write key=value entries separated by "
                   "commas",
                   4, ",");
    check_bad_list("a=1, ",
                   "labels = 'a=1, ': entry 2 is empty; write key=value entries "
                   "separated by commas",
                   5, "");
    check_bad_list(",",
                   "labels = ',': entry 1 is empty; write key=value entries separated by "
                   "commas",
                   0, ",");
    check_bad_list("a=1, =x",
                   "labels = 'a=1, =x': entry 2 has an empty key; write key=value, "
                   "or key alone for a label without a value",
                   5, "=");
    check_bad_list("x={role.share}",
                   "labels = 'x={role.share}': unknown placeholder {role.share}; known: {role} "
                   "{role.dominant_share} {framework.id} {framework.name} {agent.id} "
                   "{agent.hostname}",
                   2, "{role.share}");
    check_bad_list("x={ role }",
                   "labels = 'x={ role }': unknown placeholder { role }; known: "
                   "{role} {role.dominant_share} {framework.id} {framework.name} "
                   "{agent.id} {agent.hostname}",
                   2, "{ role }");
    check_bad_list("x={role,y=1}",
                   "labels = 'x={role,y=1}': the placeholder at position 2 has "
                   "no closing }; write \\{ for a literal brace",
                   2, "{role");
    check_bad_list("x=a}b",
                   "labels = 'x=a}b': } at position 3 closes no placeholder; write \\} "
                   "for a literal brace",
                   3, "}");
    check_bad_list("x=a\\",
                   "labels = 'x=a\\': a backslash at position 3 escapes nothing; it may "
                   "precede only \\ , = { } or a space",
                   3, "\\");
    check_bad_list("x=a\\n",
                   "labels = 'x=a\\n': a backslash at position 3 escapes nothing; it "
                   "may precede only \\ , = { } or a space",
                   3, "\\n");
    check_bad_list("hdrf.{role}=x",
                   "labels = 'hdrf.{role}=x': keys are literal: { at position 5; "
                   "placeholders belong in values, write \\{ for a brace in a key",
                   5, "{");
    check_bad_list("a=1,b=2, a =3",
                   "labels = 'a=1,b=2, a =3': key 'a' is given twice; each key "
                   "at most once",
                   9, "a =3");
    check_bad_list("a=1,a", "labels = 'a=1,a': key 'a' is given twice; each key at most once", 4,
                   "a");
}

/* Values shown in messages are cut and escaped, so they stay readable and
 * the explanation after them always fits. */
static void test_messages_stay_readable(void)
{
    hdrf_hooks_param param = {"labels", "a=\n"};
    hdrf_hooks *h = NULL;
    hdrf_error err;
    CU_ASSERT_EQUAL(hdrf_hooks_new(&param, 1, &h, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "labels = 'a=\\x0A': not valid UTF-8 or holds a control character; "
                         "labels are UTF-8 text without control characters");
    CU_ASSERT_EQUAL(err.position, -1);
    param.value = "a=\xff\xfe";
    CU_ASSERT_EQUAL(hdrf_hooks_new(&param, 1, &h, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "labels = 'a=\\xFF\\xFE': not valid UTF-8 or holds a control character; "
                         "labels are UTF-8 text without control characters");

    param.value = "hdrf.owner={framework.name},hdrf.where={agent.hostname}/{agent.identifier}";
    CU_ASSERT_EQUAL(hdrf_hooks_new(&param, 1, &h, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "labels = 'hdrf.owner={framework.name},hdrf...': unknown placeholder "
                         "{agent.identifier}; known: {role} {role.dominant_share} {framework.id} "
                         "{framework.name} {agent.id} {agent.hostname}");
    CU_ASSERT_EQUAL(err.position, 56);
    ASSERT_STR(err.token, "{agent.identifier}");

    /* A long placeholder and a cut inside a two-byte character (é). */
    param.value = "ééééééééééééééééé={a.very.long.placeholder.name.indeed}";
    CU_ASSERT_EQUAL(hdrf_hooks_new(&param, 1, &h, &err), HDRF_EINVAL);
    ASSERT_STR(err.text, "labels = 'éééééééééééééééé...': unknown placeholder "
                         "{a.very.long.placeholder...; known: {role} {role.dominant_share} "
                         "{framework.id} {framework.name} {agent.id} {agent.hostname}");
    CU_ASSERT_EQUAL(err.position, 35); /* bytes: 17 two-byte characters and = */
    ASSERT_STR(err.token, "{a.very.long.placeholder.name.indeed}");
    CU_ASSERT_PTR_NULL(h);
}

int suite_hooks(void)
{
    static const test_case cases[] = {
        {"defaults: nothing added, hdrf. stripped in the master", test_defaults},
        {"label lists: spaces, escapes, key-only, empty values", test_list_syntax},
        {"static labels follow the task's, in order", test_static_labels_appended},
        {"every placeholder, alone and mixed", test_every_placeholder},
        {"agent labels; the agent keeps the master's", test_agent_labels},
        {"shares: four decimals, half away from zero", test_share_formatting},
        {"shares out of range are refused", test_bad_shares},
        {"unknown launch facts leave their labels out", test_unknown_facts},
        {"forged labels stripped, the rest in order", test_forged_stripped},
        {"forged labels refuse the launch", test_forged_rejected},
        {"duplicate keys kept, stripped, never replaced", test_duplicate_keys},
        {"docs/module.md's example, master then agent", test_readme_example},
        {"empty task label lists", test_empty_task_labels},
        {"the result owns its strings", test_result_is_owned},
        {"bad calls", test_bad_calls},
        {"bad parameters: exact messages", test_bad_parameters},
        {"parameters without key or value", test_missing_key_or_value},
        {"bad label lists: message, position, token", test_bad_label_lists},
        {"messages cut and escape what they show", test_messages_stay_readable},
        {NULL, NULL},
    };
    return test_add_suite("hooks", cases);
}
