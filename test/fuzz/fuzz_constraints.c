/* fuzz_constraints.c: libFuzzer target for offer constraints in JSON (make fuzz).
 *
 * Input: an OfferConstraints document as a framework sends it. A refusal
 * builds nothing, says why on one non-empty line and names a path inside
 * the input: the value at fault, or a field missing under one (`...
 * .predicate.text_equals.value`), its front elided when long. Accepted
 * constraints are evaluated on a few fixed agents and on one made of the
 * input's own attribute names and values, and each verdict is checked
 * against the table of hdrf/constraints.h applied to the document
 * directly (regular expressions by lib/regex.h, which fuzz_regex checks).
 * A role the document does not name is never filtered. Seeds: every good
 * and bad document of the constraints suite. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/constraints_json.h"
#include "lib/regex.h"
#include "lib/sbuf.h"
#include "test/fuzz/json_paths.h"

#define MAX_ECHO 64

static const hdrf_regex_limits limits = {HDRF_REGEX_DEFAULT_MAX_MEM,
                                         HDRF_REGEX_DEFAULT_MAX_PROGRAM_SIZE};

/* ---- refusals: a path inside the input --------------------------------------- */

/* Whether `s` is a run of `.field` components (lower case and '_'). */
static bool missing_fields(const char *s)
{
    if (!*s)
        return true;
    if (*s != '.' || !s[1])
        return false;
    for (s++; *s; s++)
        if (*s != '.' && *s != '_' && (*s < 'a' || *s > 'z'))
            return false;
    return true;
}

static bool ends_with(const char *s, const char *end, size_t len)
{
    size_t n = strlen(s);
    return n >= len && memcmp(s + n - len, end, len) == 0;
}

/* Whether the token's body names the node whose (escaped) path is `path`,
 * or a field missing under it. `elided`: the front was cut ("..."); `cut`:
 * the end may have been cut too (a long token whose escapes grew it). */
static bool names(const char *path, const char *body, bool elided, bool cut)
{
    size_t len = strlen(body);
    if (cut && strstr(path, body))
        return true;
    for (size_t head = len + 1; head-- > 0;) {
        if (!missing_fields(body + head))
            continue;
        if (elided ? ends_with(path, body, head)
                   : head == strlen(path) && memcmp(path, body, head) == 0)
            return true;
    }
    return false;
}

typedef struct token {
    const char *body; /* the token without its "..." */
    bool elided, cut;
} token;

static bool names_path(const char *path, const void *arg)
{
    const token *t = arg;
    return names(path, t->body, t->elided, t->cut);
}

static void check_refusal(const json_t *doc, const hdrf_error *e)
{
    token t = {e->token, strncmp(e->token, "...", 3) == 0, strlen(e->token) >= sizeof e->token - 8};
    t.body += t.elided ? 3 : 0;
    if (!e->text[0] || strchr(e->text, '\n') || strchr(e->token, '\n') ||
        !fuzz_any_path(doc, names_path, &t))
        abort();
}

/* ---- the reference: the table of hdrf/constraints.h on the document ------------ */

/* The selected value of agent `a` for `sel`; NULL when absent. *text: a
 * TEXT value (else the attribute satisfies every text predicate). */
static const char *selected(const json_t *sel, const hdrf_agent_facts *a, bool *text)
{
    const char *name = json_string_value(json_object_get(sel, "attribute_name"));
    const char *pseudo = json_string_value(json_object_get(sel, "pseudoattribute_type"));
    *text = true;
    if (!name)
        return strcmp(pseudo, "HOSTNAME") == 0 ? (a->hostname ? a->hostname : "")
               : strcmp(pseudo, "REGION") == 0 ? a->region
                                               : a->zone;
    for (size_t i = 0; i < a->nattributes; i++)
        if (strcmp(a->attributes[i].name, name) == 0) {
            *text = a->attributes[i].type == HDRF_ATTR_TEXT;
            return a->attributes[i].text;
        }
    return NULL;
}

static bool matches(const char *pattern, const char *s)
{
    regex_prog *re;
    char why[256];
    if (regex_compile(pattern, strlen(pattern), limits.max_mem, &re, why, sizeof why) != HDRF_OK)
        abort(); /* accepted constraints hold only patterns that compile */
    bool m = regex_full_match(re, s, strlen(s));
    regex_free(re);
    return m;
}

static bool holds(const json_t *k, const hdrf_agent_facts *a)
{
    const json_t *pred = json_object_get(k, "predicate");
    bool text;
    const char *s = selected(json_object_get(k, "selector"), a, &text);
    const char *key;
    json_t *arg;
    json_object_foreach((json_t *)pred, key, arg)
    {
        const char *operand =
            json_string_value(json_object_get(arg, strstr(key, "matches") ? "regex" : "value"));
        bool negative = strncmp(key, "not_", 4) == 0 || strstr(key, "_not_");
        if (strcmp(key, "exists") == 0 || strcmp(key, "not_exists") == 0)
            return (s != NULL) != negative;
        if (!s)
            return negative;
        if (!text)
            return true;
        bool positive = strstr(key, "matches") ? matches(operand, s) : strcmp(operand, s) == 0;
        return positive != negative;
    }
    abort(); /* accepted constraints have a predicate */
}

static bool reference_excludes(const json_t *role, const hdrf_agent_facts *a)
{
    const json_t *groups = json_object_get(role, "groups");
    for (size_t g = 0; g < json_array_size(groups); g++) {
        const json_t *ks = json_object_get(json_array_get(groups, g), "attribute_constraints");
        bool all = true;
        for (size_t i = 0; all && i < json_array_size(ks); i++)
            all = holds(json_array_get(ks, i), a);
        if (all)
            return false;
    }
    return true;
}

/* ---- the agents ------------------------------------------------------------- */

static const hdrf_attribute rich_attrs[] = {
    {"rack", HDRF_ATTR_TEXT, "r1"},
    {"gpus", HDRF_ATTR_SCALAR, "2"},
    {"ports", HDRF_ATTR_RANGES, "[1-17]"},
    {"os", HDRF_ATTR_SET, "{linux,bsd}"},
    {"", HDRF_ATTR_TEXT, ""},
    {"rack", HDRF_ATTR_TEXT, "r2"},
};
static const hdrf_agent_facts fixed[] = {
    {"h1", "eu", "eu-1", rich_attrs, sizeof rich_attrs / sizeof rich_attrs[0]},
    {NULL, NULL, NULL, NULL, 0},
    {"", "us", "us-2", rich_attrs + 4, 1},
};

/* One TEXT attribute per attribute name of the document, valued with its
 * constraint's operand: the agent that text_equals selects. */
static size_t echo_agent(const json_t *role, hdrf_attribute *attrs, hdrf_agent_facts *a)
{
    const json_t *groups = json_object_get(role, "groups");
    size_t n = 0;
    memset(a, 0, sizeof *a);
    for (size_t g = 0; g < json_array_size(groups); g++) {
        const json_t *ks = json_object_get(json_array_get(groups, g), "attribute_constraints");
        for (size_t i = 0; n < MAX_ECHO && i < json_array_size(ks); i++) {
            const json_t *k = json_array_get(ks, i);
            const char *name = json_string_value(
                json_object_get(json_object_get(k, "selector"), "attribute_name"));
            const char *value = NULL, *key;
            json_t *arg;
            json_object_foreach((json_t *)json_object_get(k, "predicate"), key, arg) value =
                json_string_value(json_object_get(arg, "value"));
            if (!a->hostname && value)
                a->hostname = a->region = a->zone = value;
            if (name)
                attrs[n++] = (hdrf_attribute){name, HDRF_ATTR_TEXT, value ? value : "x"};
        }
    }
    a->attributes = attrs;
    a->nattributes = n;
    return n;
}

static void check_verdicts(const json_t *doc, const hdrf_constraints *c)
{
    const json_t *map = json_object_get(doc, "role_constraints");
    const char *role;
    json_t *v;
    hdrf_attribute attrs[MAX_ECHO];
    hdrf_agent_facts echo;
    sbuf other = SBUF_INIT;
    json_object_foreach((json_t *)map, role, v)
    {
        if (!hdrf_constraints_has_role(c, role))
            abort();
        echo_agent(v, attrs, &echo);
        if (hdrf_constraints_excludes(c, role, &echo) != reference_excludes(v, &echo))
            abort();
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            if (hdrf_constraints_excludes(c, role, &fixed[i]) != reference_excludes(v, &fixed[i]))
                abort();
    }
    /* a role the document does not name: longer than every key */
    sbuf_putc(&other, 'r');
    json_object_foreach((json_t *)map, role, v) sbuf_printf(&other, "%s", role);
    if (hdrf_constraints_has_role(c, other.data) ||
        hdrf_constraints_excludes(c, other.data, &fixed[0]))
        abort();
    sbuf_discard(&other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, 0, &jerr);
    hdrf_constraints *c = (hdrf_constraints *)&jerr; /* must become NULL on refusal */
    hdrf_error e;
    if (!doc)
        return 0;
    int status = hdrf_constraints_from_json(doc, &limits, &c, &e);
    if (status == HDRF_OK) {
        check_verdicts(doc, c);
        hdrf_constraints_free(c);
    } else if (c || status != HDRF_EINVAL) {
        abort();
    } else {
        check_refusal(doc, &e);
    }
    json_decref(doc);
    return 0;
}
