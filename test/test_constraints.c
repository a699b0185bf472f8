/* test_constraints.c: offer constraints (hdrf/constraints.h and its readers).
 *
 * Every case of Mesos 1.11's offer_constraints_filter_tests.cpp, built the
 * way Mesos builds them (constraints from JSON, agents from attribute text
 * such as "foo:123;bar:[1-17]"); the truth table of every predicate on every
 * selector, fault domain or not; compile errors with their paths and texts;
 * and the JSON and protobuf readers, the latter fed by Google's protoc. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/constraints.h"
#include "hdrf/constraints_json.h"
#include "hdrf/constraints_pb.h"
#include "test/protoc_harness.h"
#include "test/test.h"

/* ---- helpers ------------------------------------------------------------------ */

/* An agent parsed from Mesos attribute text ("name:value;..."), typed as
 * Mesos's Attributes::parse types them: a number is SCALAR, [..] RANGES,
 * {..} SET, anything else TEXT. Holds at most 8 attributes. */
typedef struct agent {
    char buf[256];
    hdrf_attribute attrs[8];
    hdrf_agent_facts facts;
} agent;

static bool is_number(const char *s)
{
    char *end;
    if (!*s)
        return false;
    (void)strtod(s, &end);
    return *end == '\0';
}

static const hdrf_agent_facts *agent_with(agent *a, const char *attributes)
{
    memset(a, 0, sizeof *a);
    snprintf(a->buf, sizeof a->buf, "%s", attributes);
    a->facts.hostname = "agent1";
    a->facts.attributes = a->attrs;
    char *save = NULL;
    for (char *item = strtok_r(a->buf, ";", &save); item && a->facts.nattributes < 8;
         item = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(item, ':');
        hdrf_attribute *at = &a->attrs[a->facts.nattributes++];
        *colon = '\0';
        at->name = item;
        at->text = colon + 1;
        at->type = colon[1] == '['        ? HDRF_ATTR_RANGES
                   : colon[1] == '{'      ? HDRF_ATTR_SET
                   : is_number(colon + 1) ? HDRF_ATTR_SCALAR
                                          : HDRF_ATTR_TEXT;
    }
    return &a->facts;
}

/* Compiles JSON text with Mesos's test limits (4 KiB, 100); NULL when
 * refused, with the error in *e. */
static hdrf_constraints *from_json(const char *text, hdrf_error *e)
{
    json_error_t je;
    json_t *json = json_loads(text, 0, &je);
    hdrf_constraints *c = NULL;
    const hdrf_regex_limits limits = {4096, 100};
    if (!json) {
        fprintf(stderr, "\n  bad JSON in test: %s", je.text);
        return NULL;
    }
    if (hdrf_constraints_from_json(json, &limits, &c, e) != HDRF_OK)
        c = NULL;
    json_decref(json);
    return c;
}

/* One constraint on `bar` for roleA: {"selector": ..., "predicate": PRED}. */
static hdrf_constraints *one(const char *predicate, hdrf_error *e)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"role_constraints\": {\"roleA\": {\"groups\": [{\"attribute_constraints\": ["
             "{\"selector\": {\"attribute_name\": \"bar\"}, \"predicate\": %s}]}]}}}",
             predicate);
    return from_json(text, e);
}

/* Whether roleA excludes an agent with these attributes. */
static bool ex(const hdrf_constraints *c, const char *attributes)
{
    agent a;
    return hdrf_constraints_excludes(c, "roleA", agent_with(&a, attributes));
}

/* ---- Mesos's offer_constraints_filter_tests.cpp, case by case ------------------- */

static void test_named_attribute_exists(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"exists\": {}}", &e);
    REQUIRE(c);
    CU_ASSERT_FALSE(ex(c, "bar:123"));
    CU_ASSERT_TRUE(ex(c, "foo:123"));
    CU_ASSERT_FALSE(ex(c, "foo:123;bar:456"));
    hdrf_constraints_free(c);
}

static void test_named_attribute_not_exists(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"not_exists\": {}}", &e);
    REQUIRE(c);
    CU_ASSERT_TRUE(ex(c, "bar:123"));
    CU_ASSERT_FALSE(ex(c, "foo:123"));
    CU_ASSERT_TRUE(ex(c, "foo:123;bar:456"));
    hdrf_constraints_free(c);
}

static void test_named_attribute_text_equals(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_equals\": {\"value\": \"baz\"}}", &e);
    REQUIRE(c);
    CU_ASSERT_FALSE(ex(c, "bar:baz"));
    CU_ASSERT_FALSE(ex(c, "bar:123"));    /* non-TEXT: true */
    CU_ASSERT_FALSE(ex(c, "bar:[1-17]")); /* non-TEXT: true */
    CU_ASSERT_TRUE(ex(c, "bar:zab"));
    CU_ASSERT_TRUE(ex(c, "foo:baz"));
    hdrf_constraints_free(c);
}

static void test_named_attribute_text_not_equals(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_not_equals\": {\"value\": \"baz\"}}", &e);
    REQUIRE(c);
    CU_ASSERT_TRUE(ex(c, "bar:baz"));
    CU_ASSERT_FALSE(ex(c, "bar:123"));
    CU_ASSERT_FALSE(ex(c, "bar:[1-17]"));
    CU_ASSERT_FALSE(ex(c, "bar:zab"));
    CU_ASSERT_FALSE(ex(c, "foo:baz"));
    hdrf_constraints_free(c);
}

static void test_two_attributes_with_the_same_name(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_equals\": {\"value\": \"baz\"}}", &e);
    REQUIRE(c);
    CU_ASSERT_FALSE(ex(c, "bar:baz;bar:foo"));
    CU_ASSERT_FALSE(ex(c, "bar:123;bar:foo"));
    CU_ASSERT_TRUE(ex(c, "bar:foo;bar:baz")); /* the first one counts */
    CU_ASSERT_TRUE(ex(c, "bar:foo;bar:123"));
    hdrf_constraints_free(c);
}

static void test_named_attribute_text_matches(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_matches\": {\"regex\": \"[a-d]+\"}}", &e);
    REQUIRE(c);
    CU_ASSERT_FALSE(ex(c, "bar:abcd"));
    CU_ASSERT_FALSE(ex(c, "bar:123"));
    CU_ASSERT_FALSE(ex(c, "bar:[1-17]"));
    CU_ASSERT_TRUE(ex(c, "bar:bcde")); /* the whole value must match */
    CU_ASSERT_TRUE(ex(c, "foo:abcd"));
    hdrf_constraints_free(c);
}

static void test_named_attribute_text_not_matches(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_not_matches\": {\"regex\": \"[a-d]+\"}}", &e);
    REQUIRE(c);
    CU_ASSERT_TRUE(ex(c, "bar:abcd"));
    CU_ASSERT_FALSE(ex(c, "bar:123"));
    CU_ASSERT_FALSE(ex(c, "bar:[1-17]"));
    CU_ASSERT_FALSE(ex(c, "bar:bcde"));
    CU_ASSERT_FALSE(ex(c, "foo:abcd"));
    hdrf_constraints_free(c);
}

static void test_invalid_text_matches(void)
{
    hdrf_error e;
    CU_ASSERT_PTR_NULL(one("{\"text_matches\": {\"regex\": \"[a-d\"}}", &e));
    ASSERT_STR(e.text, "Failed to construct regex from pattern '[a-d': missing ]: [a-d");
    ASSERT_STR(e.token,
               "...raints.roleA.groups[0].attribute_constraints[0].predicate.text_matches.regex");
    CU_ASSERT_PTR_NULL(one("{\"text_not_matches\": {\"regex\": \"[a-d\"}}", &e));
    ASSERT_STR(e.text, "Failed to construct regex from pattern '[a-d': missing ]: [a-d");
}

static void test_regex_too_complex(void)
{
    hdrf_error e;
    hdrf_constraints *c = one("{\"text_not_matches\": {\"regex\": \"(a+){10}\"}}", &e);
    CU_ASSERT_PTR_NOT_NULL(c);
    hdrf_constraints_free(c);

    /* fits the memory budget, but the program is too large */
    CU_ASSERT_PTR_NULL(one("{\"text_not_matches\": {\"regex\": \"(a+){50}\"}}", &e));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too complex"));
    ASSERT_STR(e.text, "Regex '(a+){50}' is too complex: program size of 204 is larger than "
                       "maximum of 100 allowed");

    /* does not even fit the memory budget */
    CU_ASSERT_PTR_NULL(one("{\"text_not_matches\": {\"regex\": \"(a+){500}\"}}", &e));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "pattern too large - compile failed"));
}

static void test_two_constraints_in_group(void)
{
    hdrf_error e;
    hdrf_constraints *c = from_json(
        "{\"role_constraints\": {\"roleA\": {\"groups\": [{\"attribute_constraints\": ["
        "{\"selector\": {\"attribute_name\": \"foo\"}, \"predicate\": {\"exists\": {}}},"
        "{\"selector\": {\"attribute_name\": \"bar\"}, \"predicate\": {\"not_exists\": {}}}]}]}}}",
        &e);
    REQUIRE(c);
    CU_ASSERT_TRUE(ex(c, ""));
    CU_ASSERT_FALSE(ex(c, "foo:123"));
    CU_ASSERT_TRUE(ex(c, "bar:456"));
    CU_ASSERT_TRUE(ex(c, "bar:123;foo:456"));
    CU_ASSERT_FALSE(ex(c, "baz:123;foo:456"));
    hdrf_constraints_free(c);
}

static void test_two_groups(void)
{
    hdrf_error e;
    hdrf_constraints *c =
        from_json("{\"role_constraints\": {\"roleA\": {\"groups\": ["
                  "{\"attribute_constraints\": [{\"selector\": {\"attribute_name\": \"foo\"},"
                  " \"predicate\": {\"exists\": {}}}]},"
                  "{\"attribute_constraints\": [{\"selector\": {\"attribute_name\": \"bar\"},"
                  " \"predicate\": {\"not_exists\": {}}}]}]}}}",
                  &e);
    REQUIRE(c);
    CU_ASSERT_FALSE(ex(c, ""));
    CU_ASSERT_FALSE(ex(c, "baz:123"));
    CU_ASSERT_TRUE(ex(c, "bar:123"));
    CU_ASSERT_FALSE(ex(c, "bar:123;foo:456"));
    hdrf_constraints_free(c);
}

static void test_two_roles(void)
{
    hdrf_error e;
    hdrf_constraints *c =
        from_json("{\"role_constraints\": {"
                  "\"roleA\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
                  "{\"attribute_name\": \"foo\"}, \"predicate\": {\"exists\": {}}}]}]},"
                  "\"roleB\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
                  "{\"attribute_name\": \"bar\"}, \"predicate\": {\"exists\": {}}}]}]}}}",
                  &e);
    REQUIRE(c);
    agent a;
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "roleA", agent_with(&a, "bar:123")));
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "roleA", agent_with(&a, "foo:123")));
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "roleB", agent_with(&a, "bar:123")));
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "roleB", agent_with(&a, "foo:123")));
    /* a role without constraints is not filtered */
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "roleC", agent_with(&a, "")));
    CU_ASSERT_TRUE(hdrf_constraints_has_role(c, "roleB"));
    CU_ASSERT_FALSE(hdrf_constraints_has_role(c, "roleC"));
    hdrf_constraints_free(c);
}

static void test_default_offer_constraints(void)
{
    hdrf_error e;
    hdrf_constraints *c = from_json("{}", &e);
    REQUIRE(c);
    hdrf_agent_facts empty = {0};
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "role", &empty));
    CU_ASSERT_FALSE(hdrf_constraints_excludes(NULL, "role", &empty));
    hdrf_constraints_free(c);
    CU_ASSERT_EQUAL(hdrf_constraints_compile(NULL, 0, NULL, &c, &e), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "role", &empty));
    hdrf_constraints_free(c);
}

/* ---- the truth table, every selector ---------------------------------------------- */

/* Whether the single constraint (selector, predicate, value) holds, i.e.
 * the agent is not excluded. */
static int holds(hdrf_selector sel, const char *attribute, hdrf_predicate pred, const char *value,
                 const hdrf_agent_facts *facts)
{
    hdrf_attribute_constraint k = {sel, attribute, pred, value};
    hdrf_constraint_group g = {&k, 1};
    hdrf_role_constraints r = {"r", &g, 1};
    hdrf_constraints *c;
    hdrf_error e;
    if (hdrf_constraints_compile(&r, 1, NULL, &c, &e) != HDRF_OK)
        return -1;
    int result = !hdrf_constraints_excludes(c, "r", facts);
    hdrf_constraints_free(c);
    return result;
}

static void test_truth_table(void)
{
    /* Values: absent, a string equal to "x", a string "y", a non-TEXT
     * attribute. Expected per predicate, value "x" / regex "x|z". */
    static const struct {
        hdrf_predicate pred;
        const char *value;
        int absent, equal, other, not_text;
    } rows[] = {
        {HDRF_EXISTS, NULL, 0, 1, 1, 1},        {HDRF_NOT_EXISTS, NULL, 1, 0, 0, 0},
        {HDRF_TEXT_EQUALS, "x", 0, 1, 0, 1},    {HDRF_TEXT_NOT_EQUALS, "x", 1, 0, 1, 1},
        {HDRF_TEXT_MATCHES, "x|z", 0, 1, 0, 1}, {HDRF_TEXT_NOT_MATCHES, "x|z", 1, 0, 1, 1},
    };
    agent a;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *v = rows[i].value;
        hdrf_predicate p = rows[i].pred;
        /* a named attribute */
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "n", p, v, agent_with(&a, "m:x")),
                        rows[i].absent);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "n", p, v, agent_with(&a, "n:x")),
                        rows[i].equal);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "n", p, v, agent_with(&a, "n:y")),
                        rows[i].other);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "n", p, v, agent_with(&a, "n:1")),
                        rows[i].not_text);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "n", p, v, agent_with(&a, "n:{x}")),
                        rows[i].not_text);
        /* HOSTNAME: always present */
        hdrf_agent_facts f = {.hostname = "x"};
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_HOSTNAME, NULL, p, v, &f), rows[i].equal);
        f.hostname = "y";
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_HOSTNAME, NULL, p, v, &f), rows[i].other);
        /* REGION and ZONE: absent without a fault domain */
        f = (hdrf_agent_facts){.hostname = "x"};
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_REGION, NULL, p, v, &f), rows[i].absent);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ZONE, NULL, p, v, &f), rows[i].absent);
        f = (hdrf_agent_facts){.hostname = "h", .region = "x", .zone = "y"};
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_REGION, NULL, p, v, &f), rows[i].equal);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ZONE, NULL, p, v, &f), rows[i].other);
        f = (hdrf_agent_facts){.hostname = "h", .region = "y", .zone = "x"};
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_REGION, NULL, p, v, &f), rows[i].other);
        CU_ASSERT_EQUAL(holds(HDRF_SELECT_ZONE, NULL, p, v, &f), rows[i].equal);
    }
    /* the hostname a pseudo-attribute is compared as a string, never as an
     * attribute of the same name */
    hdrf_attribute host = {"hostname", HDRF_ATTR_TEXT, "y"};
    hdrf_agent_facts f = {.hostname = "x", .attributes = &host, .nattributes = 1};
    CU_ASSERT_EQUAL(holds(HDRF_SELECT_HOSTNAME, NULL, HDRF_TEXT_EQUALS, "x", &f), 1);
    CU_ASSERT_EQUAL(holds(HDRF_SELECT_ATTRIBUTE, "hostname", HDRF_TEXT_EQUALS, "x", &f), 0);
}

/* ---- compile errors ------------------------------------------------------------- */

static void test_compile_errors(void)
{
    hdrf_error e;
    hdrf_constraints *c = (hdrf_constraints *)1;
    hdrf_attribute_constraint ok = {HDRF_SELECT_HOSTNAME, NULL, HDRF_EXISTS, NULL};
    hdrf_constraint_group g = {&ok, 1}, empty_group = {NULL, 0};
    hdrf_role_constraints r = {"eng", &g, 1};

    hdrf_role_constraints no_groups = {"eng", NULL, 0};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&no_groups, 1, NULL, &c, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(c);
    ASSERT_STR(e.token, "role_constraints.eng.groups");
    ASSERT_STR(e.text, "empty: a role's constraints need at least one group");

    hdrf_constraint_group two[] = {g, empty_group};
    hdrf_role_constraints with_empty = {"eng", two, 2};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&with_empty, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng.groups[1].attribute_constraints");
    ASSERT_STR(e.text, "empty: a group needs at least one constraint");

    hdrf_attribute_constraint ks[] = {ok, {HDRF_SELECT_UNSET, NULL, HDRF_EXISTS, NULL}};
    hdrf_constraint_group g2 = {ks, 2};
    hdrf_role_constraints r2 = {"eng", &g2, 1};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng.groups[0].attribute_constraints[1].selector");
    ASSERT_STR(e.text, "not set: exactly one of attribute_name or pseudoattribute_type "
                       "(HOSTNAME, REGION, ZONE) is required");

    ks[1] = (hdrf_attribute_constraint){HDRF_SELECT_ATTRIBUTE, NULL, HDRF_EXISTS, NULL};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token,
               "role_constraints.eng.groups[0].attribute_constraints[1].selector.attribute_name");
    ASSERT_STR(e.text, "missing: an attribute selector needs the attribute's name");

    ks[1] = (hdrf_attribute_constraint){HDRF_SELECT_ZONE, NULL, HDRF_PREDICATE_UNSET, NULL};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng.groups[0].attribute_constraints[1].predicate");
    ASSERT_STR(e.text, "not set: one of exists, not_exists, text_equals, text_not_equals, "
                       "text_matches, text_not_matches is required");

    ks[1] = (hdrf_attribute_constraint){HDRF_SELECT_ZONE, NULL, HDRF_TEXT_EQUALS, NULL};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token,
               "...nstraints.eng.groups[0].attribute_constraints[1].predicate.text_equals.value");
    ASSERT_STR(e.text, "missing: required by this predicate");

    ks[1] = (hdrf_attribute_constraint){HDRF_SELECT_ZONE, NULL, HDRF_TEXT_MATCHES, "a**"};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.text, "Failed to construct regex from pattern 'a**': bad repetition operator: **");

    hdrf_role_constraints twice[] = {r, r};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(twice, 2, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng");
    ASSERT_STR(e.text, "duplicate: a role has one set of constraints");

    hdrf_role_constraints nameless = {NULL, &g, 1};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&nameless, 1, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints[0]");

    /* custom limits, and a long pattern shortened in the message */
    const hdrf_regex_limits tight = {4096, 10};
    ks[1] = (hdrf_attribute_constraint){HDRF_SELECT_ZONE, NULL, HDRF_TEXT_MATCHES,
                                        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, &tight, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.text, "Regex 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs...' is too complex: "
                       "program size of 56 is larger than maximum of 10 allowed");
    const hdrf_regex_limits roomy = {0, 1000};
    CU_ASSERT_EQUAL(hdrf_constraints_compile(&r2, 1, &roomy, &c, &e), HDRF_OK);
    hdrf_constraints_free(c);
}

/* ---- the JSON reader ------------------------------------------------------------ */

static void test_json_reader(void)
{
    static const struct {
        const char *json, *token, *text;
    } bad[] = {
        {"[]", "(top)", "expected an object"},
        {"{\"role_constraint\": {}}", "role_constraint", "unknown field"},
        {"{\"role_constraints\": []}", "role_constraints",
         "expected an object (role -> RoleConstraints)"},
        {"{\"role_constraints\": {\"a\": {\"groups\": {}}}}", "role_constraints.a.groups",
         "expected an array"},
        {"{\"role_constraints\": {\"a\": {}}}", "role_constraints.a.groups",
         "empty: a role's constraints need at least one group"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{}]}}}",
         "role_constraints.a.groups[0].attribute_constraints",
         "empty: a group needs at least one constraint"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{}]}]}}}",
         "role_constraints.a.groups[0].attribute_constraints[0].selector",
         "not set: exactly one of attribute_name or pseudoattribute_type (HOSTNAME, REGION, ZONE) "
         "is required"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": \"r\", \"pseudoattribute_type\": \"ZONE\"}}]}]}}}",
         "role_constraints.a.groups[0].attribute_constraints[0].selector",
         "both attribute_name and pseudoattribute_type are set: exactly one is allowed"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"pseudoattribute_type\": \"RACK\"}}]}]}}}",
         "...nstraints.a.groups[0].attribute_constraints[0].selector.pseudoattribute_type",
         "\"RACK\": expected HOSTNAME, REGION or ZONE"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": 7}}]}]}}}",
         "role_constraints.a.groups[0].attribute_constraints[0].selector.attribute_name",
         "expected a string"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": \"r\"}, \"predicate\": {\"exists\": {}, \"not_exists\": {}}}]}]}}}",
         "role_constraints.a.groups[0].attribute_constraints[0].predicate",
         "both exists and not_exists are set: exactly one predicate is allowed"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": \"r\"}, \"predicate\": {\"text_equals\": {\"regex\": \"x\"}}}]}]}}}",
         "...constraints.a.groups[0].attribute_constraints[0].predicate.text_equals.regex",
         "unknown field"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": \"r\"}, \"predicate\": {\"text_equals\": {}}}]}]}}}",
         "...constraints.a.groups[0].attribute_constraints[0].predicate.text_equals.value",
         "missing: required by this predicate"},
        {"{\"role_constraints\": {\"a\": {\"groups\": [{\"attribute_constraints\": [{\"selector\": "
         "{\"attribute_name\": \"r\"}, \"predicate\": {\"exists\": []}}]}]}}}",
         "role_constraints.a.groups[0].attribute_constraints[0].predicate.exists",
         "expected an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hdrf_error e;
        CU_ASSERT_PTR_NULL(from_json(bad[i].json, &e));
        if (strcmp(e.token, bad[i].token) != 0)
            fprintf(stderr, "\n  token %s", e.token);
        ASSERT_STR(e.token, bad[i].token);
        ASSERT_STR(e.text, bad[i].text);
    }

    /* every selector and predicate from JSON */
    hdrf_error e;
    hdrf_constraints *c =
        from_json("{\"role_constraints\": {\"eng\": {\"groups\": [{\"attribute_constraints\": ["
                  "{\"selector\": {\"pseudoattribute_type\": \"HOSTNAME\"}, \"predicate\": "
                  "{\"text_matches\": {\"regex\": \"h[0-9]+\"}}},"
                  "{\"selector\": {\"pseudoattribute_type\": \"REGION\"}, \"predicate\": "
                  "{\"text_equals\": {\"value\": \"eu\"}}},"
                  "{\"selector\": {\"pseudoattribute_type\": \"ZONE\"}, \"predicate\": "
                  "{\"text_not_equals\": {\"value\": \"eu-1\"}}},"
                  "{\"selector\": {\"attribute_name\": \"rack\"}, \"predicate\": "
                  "{\"text_not_matches\": {\"regex\": \"r9.*\"}}}"
                  "]}]}}}",
                  &e);
    REQUIRE(c);
    hdrf_attribute rack = {"rack", HDRF_ATTR_TEXT, "r1"};
    hdrf_agent_facts f = {"h12", "eu", "eu-2", &rack, 1};
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "eng", &f));
    f.zone = "eu-1";
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "eng", &f));
    f.zone = "eu-2", f.hostname = "h12x";
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "eng", &f));
    f.hostname = "h1", rack.text = "r99";
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "eng", &f));
    hdrf_constraints_free(c);
}

/* ---- the protobuf reader -------------------------------------------------------- */

/* Encodes text format with Google's protoc and reads the bytes. */
static int from_protoc(const char *text, hdrf_constraints **c, hdrf_error *e)
{
    owned bytes = {0};
    if (protoc_run("--encode=mesos.v1.scheduler.OfferConstraints", text, strlen(text), &bytes) !=
        0) {
        free(bytes.data);
        return -100;
    }
    int status = hdrf_constraints_from_packed((const uint8_t *)bytes.data, bytes.len, NULL, c, e);
    free(bytes.data);
    return status;
}

static void test_protobuf_reader(void)
{
    hdrf_constraints *c;
    hdrf_error e;
    int status =
        from_protoc("role_constraints { key: \"eng\" value { groups { attribute_constraints {\n"
                    "  selector { attribute_name: \"rack\" } predicate { text_matches { regex: "
                    "\"r[12]\" } } }\n"
                    "  attribute_constraints { selector { pseudoattribute_type: ZONE }\n"
                    "    predicate { not_exists {} } } } } }\n"
                    "role_constraints { key: \"ops\" value { groups { attribute_constraints {\n"
                    "  selector { pseudoattribute_type: HOSTNAME } predicate { text_equals { "
                    "value: \"a\" } } } } } }\n"
                    /* a repeated key: the last entry wins, as for any protobuf map */
                    "role_constraints { key: \"ops\" value { groups { attribute_constraints {\n"
                    "  selector { pseudoattribute_type: HOSTNAME } predicate { text_equals { "
                    "value: \"b\" } } } } } }\n",
                    &c, &e);
    REQUIRE_TRUE(status == HDRF_OK);
    hdrf_attribute rack = {"rack", HDRF_ATTR_TEXT, "r2"};
    hdrf_agent_facts f = {"a", NULL, NULL, &rack, 1};
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "eng", &f));
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "ops", &f));
    f.hostname = "b";
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "ops", &f));
    f.zone = "z", f.region = "r";
    CU_ASSERT_TRUE(hdrf_constraints_excludes(c, "eng", &f));
    hdrf_constraints_free(c);

    /* Mesos refuses UNKNOWN; an empty message filters nothing */
    CU_ASSERT_EQUAL(
        from_protoc("role_constraints { key: \"eng\" value { groups { attribute_constraints {\n"
                    "  selector { pseudoattribute_type: UNKNOWN } predicate { exists {} } } } } }",
                    &c, &e),
        HDRF_EINVAL);
    ASSERT_STR(e.token,
               "...traints.eng.groups[0].attribute_constraints[0].selector.pseudoattribute_type");
    ASSERT_STR(e.text, "0: expected HOSTNAME (1), REGION (2) or ZONE (3)");
    CU_ASSERT_EQUAL(
        from_protoc("role_constraints { key: \"eng\" value { groups { attribute_constraints {\n"
                    "  selector { attribute_name: \"r\" }\n"
                    "  predicate { text_not_matches { regex: \"(a+){50}\" } } } } } }",
                    &c, &e),
        HDRF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too complex"));
    CU_ASSERT_EQUAL(from_protoc("role_constraints { key: \"eng\" value { } }", &c, &e),
                    HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng.groups");
    CU_ASSERT_EQUAL(from_protoc("", &c, &e), HDRF_OK);
    CU_ASSERT_FALSE(hdrf_constraints_excludes(c, "eng", &f));
    hdrf_constraints_free(c);

    /* bytes that are not the message */
    static const uint8_t junk[] = {0x0a, 0x05, 0x01};
    CU_ASSERT_EQUAL(hdrf_constraints_from_packed(junk, sizeof junk, NULL, &c, &e), HDRF_EINVAL);
    CU_ASSERT_PTR_NULL(c);
    ASSERT_STR(e.text, "not a valid serialized mesos.v1.scheduler.OfferConstraints");

    /* a message built in C with no selector and no predicate */
    Mesos__V1__Scheduler__AttributeConstraint k = MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__INIT;
    Mesos__V1__Scheduler__AttributeConstraint *kp = &k;
    Mesos__V1__Scheduler__OfferConstraints__RoleConstraints__Group grp =
        MESOS__V1__SCHEDULER__OFFER_CONSTRAINTS__ROLE_CONSTRAINTS__GROUP__INIT;
    grp.n_attribute_constraints = 1;
    grp.attribute_constraints = &kp;
    Mesos__V1__Scheduler__OfferConstraints__RoleConstraints__Group *gp = &grp;
    Mesos__V1__Scheduler__OfferConstraints__RoleConstraints rc =
        MESOS__V1__SCHEDULER__OFFER_CONSTRAINTS__ROLE_CONSTRAINTS__INIT;
    rc.n_groups = 1;
    rc.groups = &gp;
    Mesos__V1__Scheduler__OfferConstraints__RoleConstraintsEntry entry =
        MESOS__V1__SCHEDULER__OFFER_CONSTRAINTS__ROLE_CONSTRAINTS_ENTRY__INIT;
    entry.key = "eng";
    entry.value = &rc;
    Mesos__V1__Scheduler__OfferConstraints__RoleConstraintsEntry *ep = &entry;
    Mesos__V1__Scheduler__OfferConstraints msg = MESOS__V1__SCHEDULER__OFFER_CONSTRAINTS__INIT;
    msg.n_role_constraints = 1;
    msg.role_constraints = &ep;
    CU_ASSERT_EQUAL(hdrf_constraints_from_pb(&msg, NULL, &c, &e), HDRF_EINVAL);
    ASSERT_STR(e.token, "role_constraints.eng.groups[0].attribute_constraints[0].selector");
}

int suite_constraints(void)
{
    static const test_case cases[] = {
        {"NamedAttributeExists", test_named_attribute_exists},
        {"NamedAttributeNotExists", test_named_attribute_not_exists},
        {"NamedAttributeTextEquals", test_named_attribute_text_equals},
        {"NamedAttributeTextNotEquals", test_named_attribute_text_not_equals},
        {"TwoAttributesWithTheSameName", test_two_attributes_with_the_same_name},
        {"NamedAttributeTextMatches", test_named_attribute_text_matches},
        {"NamedAttributeTextNotMatches", test_named_attribute_text_not_matches},
        {"InvalidTextMatches / InvalidTextNotMatches", test_invalid_text_matches},
        {"RegexTooComplex", test_regex_too_complex},
        {"TwoConstraintsInGroup", test_two_constraints_in_group},
        {"TwoGroups", test_two_groups},
        {"TwoRoles", test_two_roles},
        {"DefaultOfferConstraints", test_default_offer_constraints},
        {"truth table: every predicate on every selector", test_truth_table},
        {"compile errors name the path", test_compile_errors},
        {"JSON reader", test_json_reader},
        {"protobuf reader, fed by protoc", test_protobuf_reader},
        {NULL, NULL},
    };
    return test_add_suite("constraints", cases);
}
