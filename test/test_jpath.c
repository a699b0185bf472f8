/* test_jpath.c: the one JSON reader (lib/jpath.h).
 *
 * The readers built on it (resources, constraints, apps, the protobuf
 * converter, the orchestrator's state, the simulator's files) test their own
 * messages; here are the reader's rules themselves: the path as it is built,
 * the two reports a refusal goes to, the unknown-key check in its three
 * wordings, and the typed getters. */
#include <string.h>

#include "lib/jpath.h"
#include "test/test.h"

static json_t *doc(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(j);
    return j;
}

static void test_path_building(void)
{
    jpath p = {""};
    CU_ASSERT_STRING_EQUAL(jpath_str(&p), "(top)");
    size_t top = jpath_item(&p, "apps", 2);
    size_t mark = jpath_field(&p, "environment");
    jpath_key(&p, "A B");
    CU_ASSERT_STRING_EQUAL(jpath_str(&p), "apps[2].environment[\"A B\"]");
    jpath_restore(&p, mark);
    jpath_raw(&p, "[0].role");
    CU_ASSERT_STRING_EQUAL(jpath_str(&p), "apps[2][0].role");
    jpath_restore(&p, top);
    CU_ASSERT_STRING_EQUAL(jpath_str(&p), "(top)");
}

static void test_sched_report(void)
{
    json_t *j = doc("{\"n\": -1, \"long\": \"" /* 70 characters */
                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}");
    sched_error err;
    jread r;
    jr_init(&r, &err, "apps[2]");
    jpath_field(&r.path, "n");
    CU_ASSERT_EQUAL(jr_fail(&r, json_object_get(j, "n"), "must be an integer >= %d", 0),
                    HDRF_EINVAL);
    ASSERT_STR(err.text, "apps[2].n: -1: must be an integer >= 0");
    CU_ASSERT_EQUAL(err.status, HDRF_EINVAL);
    CU_ASSERT_EQUAL(jr_fail(&r, NULL, "no value shown"), HDRF_EINVAL);
    ASSERT_STR(err.text, "apps[2].n: no value shown");
    jr_init(&r, &err, NULL);
    jr_fail(&r, json_object_get(j, "long"), "cut");
    ASSERT_STR(err.text, "(top): \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "...: cut"); /* 56 bytes of the value, then "..." */
    CU_ASSERT_EQUAL(jr_no_memory(&r), HDRF_ENOMEM);
    ASSERT_STR(err.text, "(top): out of memory");
    jr_init(&r, NULL, NULL); /* no report: the status only */
    CU_ASSERT_EQUAL(jr_fail(&r, NULL, "x"), HDRF_EINVAL);
    json_decref(j);
}

/* A path too long for the line (a key of control characters, four bytes
 * each once escaped) loses its front, never the problem. */
static void test_sched_report_long_path(void)
{
    char key[101], expected[SCHED_ERROR_LENGTH];
    sched_error err;
    jread r;
    memset(key, 1, 100);
    key[100] = '\0';
    jr_init(&r, &err, "agents[0]");
    jpath_field(&r.path, key);
    jpath_field(&r.path, "count");
    jr_fail(&r, NULL, "unknown field");
    /* at most 117 bytes of the end, whole escapes: 27 "\x01", ".count" */
    snprintf(expected, sizeof expected, "...");
    for (int i = 0; i < 27; i++)
        strcat(expected, "\\x01");
    strcat(expected, ".count: unknown field");
    ASSERT_STR(err.text, expected);
}

static void test_core_report(void)
{
    hdrf_error e;
    jread r;
    jr_init_core(&r, &e, "constraints", "role_constraints");
    jpath_field(&r.path, "eng");
    CU_ASSERT_EQUAL(jr_fail(&r, NULL, "empty: %s", "a group"), HDRF_EINVAL);
    ASSERT_STR(e.source, "constraints");
    ASSERT_STR(e.token, "role_constraints.eng");
    ASSERT_STR(e.text, "empty: a group");
    CU_ASSERT_EQUAL(e.line, -1);
    CU_ASSERT_EQUAL(e.position, -1);
    /* A path longer than the token keeps its end, which names the field. */
    for (int i = 0; i < 10; i++)
        jpath_field(&r.path, "groups_and_more");
    jr_fail(&r, NULL, "long");
    CU_ASSERT_EQUAL(strlen(e.token), HDRF_ERROR_TOKEN_LENGTH - 1);
    CU_ASSERT_NSTRING_EQUAL(e.token, "...", 3);
    CU_ASSERT(strcmp(e.token + strlen(e.token) - 16, ".groups_and_more") == 0);
    /* An error from a core parser, passed on by a scheduler reader. */
    sched_error err;
    hdrf_error nested = {.token = "[1].name", .text = "a resource needs a name"};
    jr_init(&r, &err, "apps[0].resources");
    CU_ASSERT_EQUAL(jr_fail_nested(&r, &nested), HDRF_EINVAL);
    ASSERT_STR(err.text, "apps[0].resources[1].name: a resource needs a name");
}

static void test_unknown_keys(void)
{
    static const char *const allowed[] = {"id", "role", NULL};
    json_t *ok = doc("{\"id\": 1, \"role\": 2}"), *typo = doc("{\"id\": 1, \"rol\": 2}"),
           *array = doc("[1]");
    sched_error err;
    jread r;
    jr_init(&r, &err, "apps[0]");
    CU_ASSERT_EQUAL(jr_keys(&r, ok, allowed, JR_UNKNOWN_LISTED), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(jpath_str(&r.path), "apps[0]");
    CU_ASSERT_EQUAL(jr_keys(&r, typo, allowed, JR_UNKNOWN_LISTED), HDRF_EINVAL);
    ASSERT_STR(err.text, "apps[0].rol: unknown field; allowed: id, role");
    jr_init(&r, &err, NULL);
    jr_keys(&r, typo, allowed, JR_UNKNOWN_FIELD);
    ASSERT_STR(err.text, "rol: unknown field");
    jr_init(&r, &err, NULL);
    jr_keys(&r, typo, allowed, JR_UNKNOWN_MEMBER);
    ASSERT_STR(err.text, "rol: unknown member");
    jr_init(&r, &err, NULL);
    CU_ASSERT_EQUAL(jr_object(&r, array, allowed, JR_UNKNOWN_FIELD), HDRF_EINVAL);
    ASSERT_STR(err.text, "(top): [1]: expected an object");
    json_decref(ok);
    json_decref(typo);
    json_decref(array);
}

static void test_typed_getters(void)
{
    json_t *j = doc("{\"s\": \"x\", \"empty\": \"\", \"n\": 5, \"f\": 0.5, \"b\": true, "
                    "\"null\": null}");
    sched_error err;
    jread r;
    const char *s = "unset";
    long n = -1;
    double f = -1;
    bool b = false;
    jr_init(&r, &err, "top");
    CU_ASSERT_EQUAL(jr_string(&r, j, "s", true, &s), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(s, "x");
    CU_ASSERT_EQUAL(jr_long(&r, j, "n", 0, 10, &n), HDRF_OK);
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_EQUAL(jr_number(&r, j, "f", 0, 1, &f), HDRF_OK);
    CU_ASSERT_DOUBLE_EQUAL(f, 0.5, 1e-12);
    CU_ASSERT_EQUAL(jr_bool(&r, j, "b", &b), HDRF_OK);
    CU_ASSERT(b);
    /* absent or null: left as initialised, the path restored */
    CU_ASSERT_EQUAL(jr_long(&r, j, "null", 0, 10, &n), HDRF_OK);
    CU_ASSERT_EQUAL(jr_long(&r, j, "absent", 0, 10, &n), HDRF_OK);
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_STRING_EQUAL(jpath_str(&r.path), "top");
    CU_ASSERT_EQUAL(jr_string(&r, j, "absent", true, &s), HDRF_EINVAL);
    ASSERT_STR(err.text, "top.absent: missing: expected a string");
    jr_init(&r, &err, "top");
    jr_string(&r, j, "empty", false, &s);
    ASSERT_STR(err.text, "top.empty: \"\": expected a non-empty string");
    jr_init(&r, &err, "top");
    jr_long(&r, j, "n", 0, 3, &n);
    ASSERT_STR(err.text, "top.n: 5: expected an integer from 0 to 3");
    jr_init(&r, &err, "top");
    jr_number(&r, j, "s", 0, 1, &f);
    ASSERT_STR(err.text, "top.s: \"x\": expected a number from 0 to 1");
    jr_init(&r, &err, "top");
    jr_bool(&r, j, "n", &b);
    ASSERT_STR(err.text, "top.n: 5: expected true or false");
    json_decref(j);
}

int suite_jpath(void)
{
    static const test_case cases[] = {
        {"paths are built and restored", test_path_building},
        {"the scheduler's report: path: value: what", test_sched_report},
        {"the scheduler's report: a long path loses its front", test_sched_report_long_path},
        {"the core's report: the path as token", test_core_report},
        {"the unknown-key check and its wordings", test_unknown_keys},
        {"typed getters say what is allowed", test_typed_getters},
        {NULL, NULL},
    };
    return test_add_suite("jpath", cases);
}
