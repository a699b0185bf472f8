/* test_app.c: application definitions read from JSON.
 *
 * Owns the proof that apps/app.c reads every documented field into the
 * values the JSON spells (resources in milli-units as hdrf keeps them:
 * cpus 0.5 is 500), applies Marathon's defaults, compiles constraint
 * patterns anchored at both ends, computes restart delays as the formula in
 * app.h says (worked out by hand below), and refuses bad definitions with a
 * message naming the JSON path, the value and what is allowed. Each bad
 * case sits at apps[2], after two good apps, so the paths are checked too. */
#include "test/test.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app.h"

static int parse(const char *text, app_list *list, sched_error *err)
{
    return app_list_parse(text, strlen(text), list, err);
}

static void check_message(const sched_error *err, const char *want)
{
    CU_ASSERT_STRING_EQUAL(err->text, want);
    if (strcmp(err->text, want) != 0)
        fprintf(stderr, "\n  got  %s\n  want %s\n", err->text, want);
}

static int matches(const app_constraint *c, const char *value)
{
    return app_constraint_matches(c, value);
}

/* ---- good definitions ---------------------------------------------------------- */

static const char full_app[] =
    "{\"apps\": [{"
    "  \"id\": \"web\", \"instances\": 3, \"role\": \"eng/web\","
    "  \"resources\": \"cpus:0.5;mem:64;ports:[31000-31001]\","
    "  \"command\": \"exec python3 -m http.server $PORT0\","
    "  \"environment\": {\"MODE\": \"prod\", \"_X1\": \"\"},"
    "  \"labels\": {\"team\": \"search\", \"tier\": \"front end\"},"
    "  \"constraints\": [[\"hostname\", \"UNIQUE\"], [\"rack\", \"CLUSTER\", \"r1\"],"
    "                    [\"zone\", \"LIKE\", \"eu-.*\"], \"zone UNLIKE  eu-(west|north)  \","
    "                    [\"rack\", \"GROUP_BY\", \"3\"], \"rack MAX_PER 2\", [\"rack\", "
    "\"GROUP_BY\"],"
    "                    [\"dc\", \"CLUSTER\"]],"
    "  \"gang\": true,"
    "  \"restart\": {\"backoff_seconds\": 2, \"backoff_factor\": 2, \"max_backoff_seconds\": 60,"
    "              \"reset_after_seconds\": 3600}"
    "}]}";

static void test_full_command_app(void)
{
    app_list list;
    sched_error err;
    const app *a;
    CU_ASSERT_EQUAL(parse(full_app, &list, &err), HDRF_OK);
    REQUIRE_TRUE(list.n == 1);
    a = &list.apps[0];
    CU_ASSERT_STRING_EQUAL(a->id, "web");
    CU_ASSERT_EQUAL(a->instances, 3);
    CU_ASSERT_STRING_EQUAL(a->role, "eng/web");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->resources, "cpus"), 500);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->resources, "mem"), 64000);
    CU_ASSERT_EQUAL(hdrf_resources_size(a->resources), 3);
    CU_ASSERT_TRUE(hdrf_resources_equal(a->instance_resources, a->resources));
    CU_ASSERT_STRING_EQUAL(a->command.shell, "exec python3 -m http.server $PORT0");
    CU_ASSERT_EQUAL(a->command.argc, 0);
    CU_ASSERT_EQUAL(a->n_containers, 0);
    CU_ASSERT_PTR_NULL(a->executor_resources);
    REQUIRE_TRUE(a->n_env == 2 && a->n_labels == 2);
    CU_ASSERT_STRING_EQUAL(a->env[0].key, "MODE");
    CU_ASSERT_STRING_EQUAL(a->env[0].value, "prod");
    CU_ASSERT_STRING_EQUAL(a->env[1].key, "_X1");
    CU_ASSERT_STRING_EQUAL(a->env[1].value, "");
    CU_ASSERT_STRING_EQUAL(a->labels[1].key, "tier");
    CU_ASSERT_STRING_EQUAL(a->labels[1].value, "front end");
    REQUIRE_TRUE(a->n_constraints == 8);
    CU_ASSERT_STRING_EQUAL(a->constraints[0].field, "hostname");
    CU_ASSERT_EQUAL(a->constraints[0].op, APP_UNIQUE);
    CU_ASSERT_PTR_NULL(a->constraints[0].value);
    CU_ASSERT_EQUAL(a->constraints[1].op, APP_CLUSTER);
    CU_ASSERT_STRING_EQUAL(a->constraints[1].value, "r1");
    CU_ASSERT_EQUAL(a->constraints[2].op, APP_LIKE);
    CU_ASSERT_EQUAL(a->constraints[3].op, APP_UNLIKE);
    CU_ASSERT_STRING_EQUAL(a->constraints[3].value, "eu-(west|north)"); /* trimmed */
    CU_ASSERT_EQUAL(a->constraints[4].op, APP_GROUP_BY);
    CU_ASSERT_EQUAL(a->constraints[4].number, 3);
    CU_ASSERT_EQUAL(a->constraints[5].op, APP_MAX_PER);
    CU_ASSERT_STRING_EQUAL(a->constraints[5].field, "rack");
    CU_ASSERT_EQUAL(a->constraints[5].number, 2);
    CU_ASSERT_EQUAL(a->constraints[6].number, 0); /* GROUP_BY without a count */
    CU_ASSERT_PTR_NULL(a->constraints[7].value);  /* CLUSTER on whatever comes first */
    CU_ASSERT_STRING_EQUAL(app_constraint_op_name(a->constraints[5].op), "MAX_PER");
    CU_ASSERT_TRUE(a->gang);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.backoff_seconds, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.backoff_factor, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.max_backoff_seconds, 60, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.reset_after_seconds, 3600, 0);
    CU_ASSERT_PTR_EQUAL(app_list_find(&list, "web"), a);
    CU_ASSERT_PTR_NULL(app_list_find(&list, "db"));
    app_list_free(&list);
    CU_ASSERT_EQUAL(list.n, 0);
}

/* LIKE and UNLIKE match the whole value, as Marathon's do. */
static void test_patterns_are_anchored(void)
{
    app_list list;
    const app_constraint *like, *unlike;
    int status = parse(full_app, &list, NULL);
    REQUIRE_TRUE(status == HDRF_OK);
    like = &list.apps[0].constraints[2];
    unlike = &list.apps[0].constraints[3];
    CU_ASSERT_TRUE(like->regex && unlike->regex);
    CU_ASSERT_TRUE(matches(like, "eu-west"));
    CU_ASSERT_TRUE(matches(like, "eu-"));
    CU_ASSERT_FALSE(matches(like, "us-eu-west"));
    CU_ASSERT_FALSE(matches(like, "EU-west"));
    CU_ASSERT_TRUE(matches(unlike, "eu-west"));
    CU_ASSERT_TRUE(matches(unlike, "eu-north"));
    CU_ASSERT_FALSE(matches(unlike, "eu-westx"));
    CU_ASSERT_FALSE(matches(unlike, "eu-south"));
    app_list_free(&list);
}

/* LIKE/UNLIKE are RE2's syntax (lib/regex.h), not POSIX ERE: each of these
 * is refused by regcomp(REG_EXTENDED) or read differently there (`\d` as
 * 'd', `*?` as an optional star, `(?i)` an error). */
static void test_patterns_are_re2(void)
{
    static const struct {
        const char *pattern, *value;
        int want;
    } cases[] = {
        {"rack-\\d+", "rack-12", 1},
        {"rack-\\d+", "rack-d", 0},
        {"(?i)EU-.*", "eu-west", 1},
        {"(?i)EU-.*", "us-west", 0},
        {"eu-.*?", "eu-west", 1},
        {"a.*?b", "axbxb", 1},
        {"[[:alpha:]]+-\\w+", "eu-west_1", 1},
        {"\\Qa.b\\E", "a.b", 1},
        {"\\Qa.b\\E", "axb", 0},
        {"node{01}", "node{01}", 1}, /* RE2: a leading zero is no count */
        {"node{01}", "node", 0},
        {"\\x{65}u", "eu", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app a;
        sched_error err;
        json_t *json = json_pack("{s:s, s:s, s:s, s:[[s,s,s]]}", "id", "a", "resources", "cpus:1",
                                 "command", "x", "constraints", "zone", "LIKE", cases[i].pattern);
        REQUIRE(json);
        int status = app_parse(json, "", &a, &err);
        json_decref(json);
        if (status != HDRF_OK)
            fprintf(stderr, "\n  %s: %s\n", cases[i].pattern, err.text);
        REQUIRE_TRUE(status == HDRF_OK);
        int got = matches(&a.constraints[0], cases[i].value);
        if (got != cases[i].want)
            fprintf(stderr, "\n  /%s/ on \"%s\": got %d\n", cases[i].pattern, cases[i].value, got);
        CU_ASSERT_EQUAL(got, cases[i].want);
        app_free(&a);
    }
}

static void test_defaults_and_forms(void)
{
    static const char text[] =
        "{\"apps\": [{\"id\": \"a\", \"resources\": \"cpus:1\", \"command\": \"true\"},"
        "{\"id\": \"b-2_x\", \"instances\": 0, \"args\": [\"/bin/echo\", \"hello world\", \"\"],"
        " \"resources\": [{\"name\": \"cpus\", \"type\": \"SCALAR\","
        "                \"scalar\": {\"value\": 0.25}},"
        "               {\"name\": \"mem\", \"type\": \"SCALAR\", \"scalar\": {\"value\": 16}}],"
        " \"restart\": {\"backoff_factor\": 1}, \"role\": null}]}";
    app_list list;
    sched_error err;
    const app *a, *b;
    CU_ASSERT_EQUAL(parse(text, &list, &err), HDRF_OK);
    REQUIRE_TRUE(list.n == 2);
    a = &list.apps[0];
    b = &list.apps[1];
    CU_ASSERT_EQUAL(a->instances, 1);
    CU_ASSERT_PTR_NULL(a->role);
    CU_ASSERT_FALSE(a->gang);
    CU_ASSERT_EQUAL(a->n_constraints + a->n_env + a->n_labels, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.backoff_seconds, 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.backoff_factor, 1.15, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.max_backoff_seconds, 300, 0);
    CU_ASSERT_DOUBLE_EQUAL(a->restart.reset_after_seconds, 600, 0);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->resources, "cpus"), 1000);
    CU_ASSERT_EQUAL(b->instances, 0);
    CU_ASSERT_PTR_NULL(b->command.shell);
    REQUIRE_TRUE(b->command.argc == 3);
    CU_ASSERT_STRING_EQUAL(b->command.argv[0], "/bin/echo");
    CU_ASSERT_STRING_EQUAL(b->command.argv[1], "hello world");
    CU_ASSERT_STRING_EQUAL(b->command.argv[2], "");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(b->resources, "cpus"), 250);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(b->resources, "mem"), 16000);
    CU_ASSERT_DOUBLE_EQUAL(b->restart.backoff_factor, 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(b->restart.backoff_seconds, 1, 0); /* the rest stay default */
    app_list_free(&list);
}

/* A task group: two containers and the default executor's cpus:0.1;mem:32;
 * disk:10. One instance needs cpus 0.1+0.5+0.25 = 0.85, mem 32+64+32 = 128,
 * disk 10+5 = 15. */
static void test_task_group(void)
{
    static const char text[] =
        "{\"apps\": [{\"id\": \"pod\", \"instances\": 2, \"environment\": {\"A\": \"1\"},"
        "  \"containers\": ["
        "    {\"name\": \"web\", \"resources\": \"cpus:0.5;mem:64\", \"command\": \"./web\","
        "     \"environment\": {\"PORT\": \"8080\"}},"
        "    {\"name\": \"sidecar\", \"resources\": \"cpus:0.25;mem:32;disk:5\","
        "     \"args\": [\"/bin/proxy\", \"-v\"]}]},"
        " {\"id\": \"pod2\", \"executor_resources\": \"cpus:0.2;mem:64\","
        "  \"containers\": [{\"name\": \"only\", \"resources\": \"cpus:1\","
        "                  \"command\": \"x\"}]}]}";
    app_list list;
    sched_error err;
    const app *a, *b;
    CU_ASSERT_EQUAL(parse(text, &list, &err), HDRF_OK);
    REQUIRE_TRUE(list.n == 2);
    a = &list.apps[0];
    CU_ASSERT_PTR_NULL(a->resources);
    CU_ASSERT_PTR_NULL(a->command.shell);
    REQUIRE_TRUE(a->n_containers == 2);
    CU_ASSERT_STRING_EQUAL(a->containers[0].name, "web");
    CU_ASSERT_STRING_EQUAL(a->containers[0].command.shell, "./web");
    REQUIRE_TRUE(a->containers[0].n_env == 1);
    CU_ASSERT_STRING_EQUAL(a->containers[0].env[0].key, "PORT");
    CU_ASSERT_EQUAL(a->containers[1].command.argc, 2);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->containers[1].resources, "disk"), 5000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->executor_resources, "cpus"), 100);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->executor_resources, "mem"), 32000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->executor_resources, "disk"), 10000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->instance_resources, "cpus"), 850);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->instance_resources, "mem"), 128000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(a->instance_resources, "disk"), 15000);
    CU_ASSERT_EQUAL(a->n_env, 1);
    b = &list.apps[1];
    CU_ASSERT_EQUAL(hdrf_resources_scalar(b->instance_resources, "cpus"), 1200);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(b->instance_resources, "mem"), 64000);
    CU_ASSERT_EQUAL(hdrf_resources_scalar(b->instance_resources, "disk"), 0);
    app_list_free(&list);
}

/* delay(n) = backoff * factor^(n-1), capped. Defaults 1 s, 1.15, 300 s:
 * 1, 1.15, 1.3225; 1.15^40 = 267.86..., 1.15^41 = 308.0... > 300. */
static void test_restart_delay(void)
{
    app_restart d, r = {0.5, 2, 10, 60};
    app_restart_defaults(&d);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 0), 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 1), 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 2), 1.15, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 3), 1.3225, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 41), 267.863, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, 42), 300, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&d, UINT_MAX), 300, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&r, 1), 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&r, 2), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&r, 5), 8, 0);
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&r, 6), 10, 0); /* 16, capped */
    r.backoff_seconds = 0;
    CU_ASSERT_DOUBLE_EQUAL(app_restart_delay(&r, 1000), 0, 0);
}

/* ---- bad definitions ------------------------------------------------------------ */

#define GOOD                                                                                       \
    "{\"id\":\"a\",\"resources\":\"cpus:1\",\"command\":\"x\"},"                                   \
    "{\"id\":\"b\",\"resources\":\"cpus:1\",\"command\":\"x\"},"
#define AT2(app) "{\"apps\":[" GOOD app "]}"
#define CMD "\"resources\":\"cpus:1\",\"command\":\"x\""
#define ALLOWED                                                                                    \
    "allowed: id, instances, role, resources, command, args, containers, executor_resources, "     \
    "environment, labels, constraints, gang, restart, fetch, user, kill_grace_period, ports, "     \
    "health_checks"
#define CONSTRAINT_FORMS                                                                           \
    "must be [\"field\", \"OPERATOR\"(, \"value\")] or \"field OPERATOR value\""
#define COUNT "needs a count from 1 to 1000000 as its value"
/* RE2's syntax, but over APP_REGEX_MAX_MEM: 5,504 instructions */
#define TOO_LARGE "a{1000}b{1000}c{1000}d{1000}e{1000}f{500}"

typedef struct bad_case {
    const char *json;
    const char *want; /* ending in "..." compares only what comes before */
} bad_case;

static const bad_case bad_apps[] = {
    {AT2("{\"id\":\"c\",\"instances\":-1," CMD "}"),
     "apps[2].instances: -1: must be an integer >= 0"},
    {AT2("{\"id\":\"c\",\"instances\":2.5," CMD "}"),
     "apps[2].instances: 2.5: must be an integer >= 0"},
    {AT2("{\"id\":\"c\",\"instances\":\"3\"," CMD "}"),
     "apps[2].instances: \"3\": must be an integer >= 0"},
    {AT2("{\"id\":\"c\",\"instances\":100001," CMD "}"),
     "apps[2].instances: 100001: must be at most 100000"},
    {AT2("{" CMD "}"), "apps[2].id: missing: every app needs an id"},
    {AT2("{\"id\":\"Web App\"," CMD "}"),
     "apps[2].id: \"Web App\": must be 1 to 64 characters of a-z, 0-9, '-' and '_', starting "
     "with a letter or digit"},
    {AT2("{\"id\":\"-web\"," CMD "}"), "apps[2].id: \"-web\": must be 1 to 64 characters..."},
    {AT2("{\"id\":\"a\"," CMD "}"), "apps[2].id: \"a\": duplicate of apps[0].id"},
    {AT2("{\"id\":\"c\",\"instnces\":2," CMD "}"), "apps[2].instnces: unknown field; " ALLOWED},
    {AT2("{\"id\":\"c\",\"role\":\"eng//x\"," CMD "}"),
     "apps[2].role: \"eng//x\": not a valid Mesos role: a role cannot contain '//'"},
    {AT2("{\"id\":\"c\",\"role\":7," CMD "}"),
     "apps[2].role: 7: must be a string: a Mesos role such as \"eng\" or \"eng/batch\""},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:abc\",\"command\":\"x\"}"),
     "apps[2].resources: \"cpus:abc\": position 5, token 'abc': expected a number, [ranges] or "
     "{set}"},
    {AT2("{\"id\":\"c\",\"resources\":\"\",\"command\":\"x\"}"),
     "apps[2].resources: \"\": must not be empty: a task needs some resources"},
    {AT2("{\"id\":\"c\",\"resources\":4,\"command\":\"x\"}"),
     "apps[2].resources: 4: must be Mesos resource text (\"cpus:0.5;mem:64\") or a JSON array "
     "of Resource objects"},
    {AT2("{\"id\":\"c\",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\"}],\"command\":"
         "\"x\"}"),
     "apps[2].resources[0]..."},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\"}"),
     "apps[2]: missing: an app needs command, args or containers"},
    {AT2("{\"id\":\"c\",\"command\":\"x\"}"),
     "apps[2].resources: missing: the task needs resources"},
    {AT2("{\"id\":\"c\"," CMD ",\"args\":[\"y\"]}"),
     "apps[2].args: give either command (run by a shell) or args (run directly), not both"},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\",\"command\":\"\"}"),
     "apps[2].command: \"\": must be a non-empty string: a shell command"},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\",\"args\":[]}"),
     "apps[2].args: []: must be a non-empty array of strings: the program and its arguments"},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\",\"args\":[\"p\",3]}"),
     "apps[2].args[1]: 3: must be a string"},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\",\"args\":[\"\"]}"),
     "apps[2].args[0]: \"\": must be a non-empty string: the program"},
    {AT2("{\"id\":\"c\"," CMD ",\"environment\":{\"1X\":\"y\"}}"),
     "apps[2].environment[\"1X\"]: not a variable name: letters, digits and '_', not starting "
     "with a digit"},
    {AT2("{\"id\":\"c\"," CMD ",\"environment\":{\"X\":1}}"),
     "apps[2].environment[\"X\"]: 1: must be a string"},
    {AT2("{\"id\":\"c\"," CMD ",\"labels\":[]}"),
     "apps[2].labels: []: must be an object of \"key\": \"value\" strings"},
    {AT2("{\"id\":\"c\"," CMD ",\"labels\":{\"\":\"v\"}}"),
     "apps[2].labels[\"\"]: a label needs a non-empty key"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":{}}"),
     "apps[2].constraints: {}: must be an array of constraints"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"hostname\",\"UNIQUE\",\"x\"]]}"),
     "apps[2].constraints[0]: [\"hostname\",\"UNIQUE\",\"x\"]: UNIQUE takes no value"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"hostname\",\"UNIQUE\"],\"rack NEAR r1\"]}"),
     "apps[2].constraints[1]: \"rack NEAR r1\": unknown operator 'NEAR'; allowed: UNIQUE, "
     "CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"zone\",\"LIKE\",\"a(\"]]}"),
     "apps[2].constraints[0]: [\"zone\",\"LIKE\",\"a(\"]: not a valid RE2 regular "
     "expression: missing ): a("},
    /* POSIX ERE takes these; RE2 refuses them, and so does hdrf */
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"zone LIKE (a)\\\\1\"]}"),
     "apps[2].constraints[0]: \"zone LIKE (a)\\\\1\": not a valid RE2 regular expression: "
     "invalid escape sequence: \\1"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"zone UNLIKE a**\"]}"),
     "apps[2].constraints[0]: \"zone UNLIKE a**\": not a valid RE2 regular expression: bad "
     "repetition operator: **"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"zone LIKE a{1001}\"]}"),
     "apps[2].constraints[0]: \"zone LIKE a{1001}\": not a valid RE2 regular expression: "
     "invalid repetition size: {1001}"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"zone LIKE (a{100}){11}\"]}"),
     "apps[2].constraints[0]: \"zone LIKE (a{100}){11}\": not a valid RE2 regular expression: "
     "invalid repetition size: {11}"},
    /* within RE2's syntax but over APP_REGEX_MAX_MEM */
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"zone LIKE " TOO_LARGE "\"]}"),
     "apps[2].constraints[0]: \"zone LIKE " TOO_LARGE "\": not a valid RE2 regular expression: "
     "pattern too large - compile failed"},
    /* the engine quotes the pattern: a control character stays on the line */
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"zone\",\"LIKE\",\"a\\n(\"]]}"),
     "apps[2].constraints[0]: [\"zone\",\"LIKE\",\"a\\n(\"]: not a valid RE2 regular "
     "expression: missing ): a\\n("},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"zone\",\"UNLIKE\"]]}"),
     "apps[2].constraints[0]: [\"zone\",\"UNLIKE\"]: UNLIKE needs a regular expression as its "
     "value"},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"rack\",\"MAX_PER\"]]}"),
     "apps[2].constraints[0]: [\"rack\",\"MAX_PER\"]: MAX_PER " COUNT},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"rack GROUP_BY 0\"]}"),
     "apps[2].constraints[0]: \"rack GROUP_BY 0\": GROUP_BY " COUNT},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"rack MAX_PER two\"]}"),
     "apps[2].constraints[0]: \"rack MAX_PER two\": MAX_PER " COUNT},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[\"hostname\"]}"),
     "apps[2].constraints[0]: \"hostname\": " CONSTRAINT_FORMS},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"a\",\"LIKE\",\"b\",\"c\"]]}"),
     "apps[2].constraints[0]: [\"a\",\"LIKE\",\"b\",\"c\"]: " CONSTRAINT_FORMS},
    {AT2("{\"id\":\"c\"," CMD ",\"constraints\":[[\"rack\",\"MAX_PER\",2]]}"),
     "apps[2].constraints[0]: [\"rack\",\"MAX_PER\",2]: " CONSTRAINT_FORMS},
    {AT2("{\"id\":\"c\"," CMD ",\"gang\":\"yes\"}"),
     "apps[2].gang: \"yes\": must be true or false"},
    {AT2("{\"id\":\"c\"," CMD ",\"restart\":{\"backoff_factor\":0.5}}"),
     "apps[2].restart.backoff_factor: 0.5: must be a number from 1 to 100"},
    {AT2("{\"id\":\"c\"," CMD ",\"restart\":{\"backoff_seconds\":10,\"max_backoff_seconds\":5}}"),
     "apps[2].restart.max_backoff_seconds: 5: must be a number of seconds from 0 to 86400, and "
     "at least backoff_seconds"},
    {AT2("{\"id\":\"c\"," CMD ",\"restart\":{\"reset_after_seconds\":0}}"),
     "apps[2].restart.reset_after_seconds: 0: must be a number of seconds from 1 to 31536000"},
    {AT2("{\"id\":\"c\"," CMD ",\"restart\":{\"jitter\":1}}"),
     "apps[2].restart.jitter: unknown field; allowed: backoff_seconds, backoff_factor, "
     "max_backoff_seconds, reset_after_seconds"},
    {AT2("{\"id\":\"c\",\"containers\":[]}"),
     "apps[2].containers: []: must be a non-empty array of containers"},
    {AT2("{\"id\":\"c\",\"containers\":[{\"name\":\"w\",\"resources\":\"cpus:1\"}]}"),
     "apps[2].containers[0]: missing: a container needs command or args"},
    {AT2("{\"id\":\"c\",\"containers\":[{\"resources\":\"cpus:1\",\"command\":\"x\"}]}"),
     "apps[2].containers[0].name: missing: every container needs a name"},
    {AT2("{\"id\":\"c\",\"containers\":[{\"name\":\"w\",\"command\":\"x\"}]}"),
     "apps[2].containers[0].resources: missing: every container needs resources"},
    {AT2("{\"id\":\"c\",\"containers\":[{\"name\":\"w\",\"resources\":\"cpus:1\",\"command\":"
         "\"x\"},{\"name\":\"w\",\"resources\":\"cpus:1\",\"command\":\"y\"}]}"),
     "apps[2].containers[1].name: \"w\": duplicate of containers[0].name"},
    {AT2("{\"id\":\"c\",\"containers\":[{\"name\":\"w\",\"resources\":\"cpus:1\",\"cmd\":\"x\"}]}"),
     "apps[2].containers[0].cmd: unknown field; allowed: name, resources, command, args, "
     "environment"},
    {AT2("{\"id\":\"c\",\"resources\":\"cpus:1\",\"containers\":[{\"name\":\"w\","
         "\"resources\":\"cpus:1\",\"command\":\"x\"}]}"),
     "apps[2].resources: a task group's resources go in each container"},
    {AT2("{\"id\":\"c\",\"command\":\"x\",\"containers\":[{\"name\":\"w\","
         "\"resources\":\"cpus:1\",\"command\":\"x\"}]}"),
     "apps[2]: give command or args for a single task, or containers for a task group, not "
     "both"},
    {AT2("{\"id\":\"c\"," CMD ",\"executor_resources\":\"cpus:0.1\"}"),
     "apps[2].executor_resources: only a task group (containers) has an executor"},
    {AT2("7"), "apps[2]: 7: must be an object: an application"},
    {"{\"apps\":{}}", "apps: {}: must be an array of apps"},
    {"{}", "apps: must be an array of apps"},
    {"[]", "(top): []: must be an object: {\"apps\": [...]}"},
    {"{\"apps\":[],\"app\":[]}", "app: unknown field; allowed: apps"},
    {"{\"apps\":[" GOOD "]", "apps: not JSON: line 1, column ..."},
    {"{\"apps\":[],\"apps\":[]}", "apps: not JSON: line 1, column ..."},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":\"https://x/a\"}"),
     "apps[2].fetch: \"https://x/a\": must be an array of URIs or {\"uri\": ...} objects"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[\"\"]}"),
     "apps[2].fetch[0]: \"\": must be a non-empty URI"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[7]}"),
     "apps[2].fetch[0]: 7: must be a URI or an object with a uri"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[{\"url\":\"https://x/a\"}]}"),
     "apps[2].fetch[0].url: unknown field; allowed: uri, executable, extract, cache, "
     "output_file"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[{\"cache\":true}]}"),
     "apps[2].fetch[0].uri: missing: the URI to fetch"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[{\"uri\":\"u\",\"extract\":\"no\"}]}"),
     "apps[2].fetch[0].extract: \"no\": must be true or false"},
    {AT2("{\"id\":\"c\"," CMD ",\"fetch\":[{\"uri\":\"u\",\"output_file\":\"a/b\"}]}"),
     "apps[2].fetch[0].output_file: \"a/b\": must be a file name in the sandbox (no '/')"},
    {AT2("{\"id\":\"c\"," CMD ",\"user\":\"-root\"}"),
     "apps[2].user: \"-root\": must be a user name: 1 to 32 of a-z, A-Z, 0-9, '.', '_' and '-', "
     "not starting with '-'"},
    {AT2("{\"id\":\"c\"," CMD ",\"ports\":[70000]}"),
     "apps[2].ports[0]: 70000: must be a port from 1 to 65535, 0 for any, or {\"port\", \"name\"}"},
    {AT2("{\"id\":\"c\"," CMD ",\"ports\":[8080,8080]}"),
     "apps[2].ports[1]: 8080: port 8080 is asked for twice"},
    {AT2("{\"id\":\"c\"," CMD ",\"ports\":[{\"name\":\"1x\"}]}"),
     "apps[2].ports[0].name: \"1x\": must be a name of letters, digits and '_' (at most 32), not "
     "starting with a digit: it names PORT_<NAME>"},
    {AT2("{\"id\":\"c\"," CMD ",\"ports\":[{\"port\":\"x\"}]}"),
     "apps[2].ports[0].port: \"x\": must be a port from 1 to 65535, or 0 for any"},
    {AT2("{\"id\":\"c\",\"ports\":[0],\"containers\":[{\"name\":\"w\","
         "\"resources\":\"cpus:1\",\"command\":\"x\"}]}"),
     "apps[2].ports: only a single task (command or args) takes ports, not a task group"},
    {AT2("{\"id\":\"c\"," CMD ",\"health_checks\":[{\"protocol\":\"UDP\"}]}"),
     "apps[2].health_checks[0].protocol: \"UDP\": must be HTTP, TCP or COMMAND"},
    {AT2("{\"id\":\"c\"," CMD ",\"health_checks\":[{\"protocol\":\"HTTP\"}]}"),
     "apps[2].health_checks[0]: an HTTP or TCP check needs port_index (into ports) or port"},
    {AT2("{\"id\":\"c\"," CMD ",\"ports\":[0],\"health_checks\":[{\"protocol\":\"TCP\","
         "\"port_index\":1}]}"),
     "apps[2].health_checks[0].port_index: 1: an HTTP or TCP check's port: an index into ports "
     "(0 to 0)"},
    {AT2("{\"id\":\"c\"," CMD ",\"health_checks\":[{\"protocol\":\"COMMAND\"}]}"),
     "apps[2].health_checks[0].command: missing: what a COMMAND check runs"},
    {AT2("{\"id\":\"c\"," CMD ",\"health_checks\":[{\"protocol\":\"TCP\",\"port\":80},"
         "{\"protocol\":\"TCP\",\"port\":81}]}"),
     "apps[2].health_checks: "
     "[{\"protocol\":\"TCP\",\"port\":80},{\"protocol\":\"TCP\",\"port\":81}]: "
     "must be an array of at most one check (Mesos runs one per task)"},
    {AT2("{\"id\":\"c\"," CMD ",\"health_checks\":[{\"protocol\":\"TCP\",\"port\":80,"
         "\"grace_period_seconds\":-1}]}"),
     "apps[2].health_checks[0].grace_period_seconds: -1: must be a number from 0 to 86400"},
    {AT2("{\"id\":\"c\"," CMD ",\"kill_grace_period\":-1}"),
     "apps[2].kill_grace_period: -1: must be a number of seconds from 0 to 86400"},
};

static void test_bad_apps(void)
{
    for (size_t i = 0; i < sizeof bad_apps / sizeof bad_apps[0]; i++) {
        app_list list = {(app *)&list, 99}; /* must come back empty */
        sched_error err = {0, ""};
        const char *want = bad_apps[i].want;
        size_t cmp = strlen(want) > 3 && strcmp(want + strlen(want) - 3, "...") == 0
                         ? strlen(want) - 3
                         : sizeof err.text;
        CU_ASSERT_EQUAL(parse(bad_apps[i].json, &list, &err), HDRF_EINVAL);
        CU_ASSERT_EQUAL(err.status, HDRF_EINVAL);
        CU_ASSERT(list.n == 0 && list.apps == NULL);
        CU_ASSERT(strncmp(err.text, want, cmp) == 0);
        if (strncmp(err.text, want, cmp) != 0)
            fprintf(stderr, "\n  case %zu\n  got  %s\n  want %s\n", i, err.text, want);
    }
}

/* A lone app object, as `submit` will send it: paths start at its fields. */
static void test_lone_app(void)
{
    json_t *doc = json_loads("{\"id\":\"x\",\"instances\":-2," CMD "}", 0, NULL);
    app a;
    sched_error err;
    CU_ASSERT_EQUAL(app_parse(doc, "", &a, &err), HDRF_EINVAL);
    check_message(&err, "instances: -2: must be an integer >= 0");
    CU_ASSERT_PTR_NULL(a.id);
    json_decref(doc);
    doc = json_loads("{\"id\":\"x\"," CMD "}", 0, NULL);
    CU_ASSERT_EQUAL(app_parse(doc, "app", &a, &err), HDRF_OK);
    CU_ASSERT_STRING_EQUAL(a.id, "x");
    app_free(&a);
    json_decref(doc);
}

/* fetch: a URI alone takes Mesos's defaults (extract, no exec, no cache);
 * an object sets each; user and kill_grace_period as given, none by default. */
static void test_fetch_user_grace(void)
{
    app_list list;
    sched_error err;
    CU_ASSERT_EQUAL(
        parse("{\"apps\":[{\"id\":\"w\",\"resources\":\"cpus:1\",\"command\":\"x\","
              "\"fetch\":[\"https://x/a.tgz\",{\"uri\":\"https://x/r\","
              "\"executable\":true,\"extract\":false,\"cache\":true,"
              "\"output_file\":\"run\"}],\"user\":\"svc.web\",\"kill_grace_period\":30},"
              "{\"id\":\"plain\",\"resources\":\"cpus:1\",\"command\":\"x\"}]}",
              &list, &err),
        HDRF_OK);
    REQUIRE_TRUE(list.n == 2);
    const app *a = &list.apps[0];
    REQUIRE_TRUE(a->n_fetch == 2);
    ASSERT_STR(a->fetch[0].uri, "https://x/a.tgz");
    CU_ASSERT_TRUE(a->fetch[0].extract && !a->fetch[0].executable && !a->fetch[0].cache);
    CU_ASSERT_PTR_NULL(a->fetch[0].output_file);
    CU_ASSERT_TRUE(!a->fetch[1].extract && a->fetch[1].executable && a->fetch[1].cache);
    ASSERT_STR(a->fetch[1].output_file, "run");
    ASSERT_STR(a->user, "svc.web");
    CU_ASSERT_TRUE(a->has_kill_grace);
    CU_ASSERT_DOUBLE_EQUAL(a->kill_grace_seconds, 30, 1e-12);
    const app *b = &list.apps[1];
    CU_ASSERT_EQUAL(b->n_fetch, 0);
    CU_ASSERT_PTR_NULL(b->user);
    CU_ASSERT_FALSE(b->has_kill_grace);
    CU_ASSERT_EQUAL(b->n_ports, 0);
    CU_ASSERT_FALSE(b->has_health);
    app_list_free(&list);
}

/* health_checks: Mesos's defaults unless given; an HTTP check without a
 * port takes the first of ports; TCP on a fixed port; COMMAND. */
static void test_health_checks(void)
{
    app_list list;
    sched_error err;
    CU_ASSERT_EQUAL(
        parse("{\"apps\":[{\"id\":\"h\",\"resources\":\"cpus:1\",\"command\":\"x\",\"ports\":[0],"
              "\"health_checks\":[{\"protocol\":\"HTTP\"}]},"
              "{\"id\":\"t\",\"resources\":\"cpus:1\",\"command\":\"x\",\"health_checks\":"
              "[{\"protocol\":\"TCP\",\"port\":6379,\"interval_seconds\":2.5}]},"
              "{\"id\":\"c\",\"resources\":\"cpus:1\",\"command\":\"x\",\"health_checks\":"
              "[{\"protocol\":\"COMMAND\",\"command\":\"test -f ok\","
              "\"max_consecutive_failures\":1}]}]}",
              &list, &err),
        HDRF_OK);
    REQUIRE_TRUE(list.n == 3);
    const app_health *h = &list.apps[0].health;
    CU_ASSERT_TRUE(list.apps[0].has_health);
    CU_ASSERT_EQUAL(h->kind, APP_CHECK_HTTP);
    CU_ASSERT_EQUAL(h->port_index, 0);
    CU_ASSERT_PTR_NULL(h->path); /* "/" when built */
    CU_ASSERT_DOUBLE_EQUAL(h->grace_period_seconds, 10, 0);
    CU_ASSERT_DOUBLE_EQUAL(h->interval_seconds, 10, 0);
    CU_ASSERT_DOUBLE_EQUAL(h->timeout_seconds, 20, 0);
    CU_ASSERT_DOUBLE_EQUAL(h->delay_seconds, 15, 0);
    CU_ASSERT_EQUAL(h->max_consecutive_failures, 3);
    h = &list.apps[1].health;
    CU_ASSERT_EQUAL(h->kind, APP_CHECK_TCP);
    CU_ASSERT_EQUAL(h->port_index, -1);
    CU_ASSERT_EQUAL(h->port, 6379);
    CU_ASSERT_DOUBLE_EQUAL(h->interval_seconds, 2.5, 0);
    h = &list.apps[2].health;
    CU_ASSERT_EQUAL(h->kind, APP_CHECK_COMMAND);
    ASSERT_STR(h->command, "test -f ok");
    CU_ASSERT_EQUAL(h->max_consecutive_failures, 1);
    app_list_free(&list);
}

int suite_app(void)
{
    static const test_case cases[] = {
        {"a command app with every field", test_full_command_app},
        {"LIKE and UNLIKE match whole values", test_patterns_are_anchored},
        {"LIKE and UNLIKE patterns are RE2's syntax", test_patterns_are_re2},
        {"defaults, args and JSON resources", test_defaults_and_forms},
        {"task groups and what an instance needs", test_task_group},
        {"restart delays: exponential, capped", test_restart_delay},
        {"bad definitions: path, value, what is allowed", test_bad_apps},
        {"a lone app object", test_lone_app},
        {"fetch, user and kill_grace_period", test_fetch_user_grace},
        {"health checks: HTTP, TCP, COMMAND, Mesos's defaults", test_health_checks},
        {NULL, NULL},
    };
    return test_add_suite("app", cases);
}
