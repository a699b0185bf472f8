/* constraints_json.c: OfferConstraints from JSON (see hdrf/constraints_json.h).
 *
 * Translates the JSON object into the plain arrays of hdrf/constraints.h,
 * with strings borrowed from `json`, checks only what the JSON form adds
 * (types, unknown keys, oneofs with two members, enum names) and leaves every
 * other check to hdrf_constraints_compile(), so that JSON, protobuf and
 * plain input are refused with the same messages. */
#include <stdlib.h>
#include <string.h>

#include "allocator/constraints_plain.h"
#include "hdrf/constraints_json.h"
#include "lib/jpath.h"

#define SRC "json"

/* Refusals go into the caller's hdrf_error (the reader of lib/jpath.h). */
#define bad(rd, ...) jr_fail(rd, NULL, __VA_ARGS__)

/* The string at `key` of `obj` into *out (borrowed; NULL when absent). */
static int string_at(jread *rd, const json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v)
        return HDRF_OK;
    size_t mark = jpath_field(&rd->path, key);
    if (!json_is_string(v))
        return bad(rd, "expected a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return bad(rd, "a string must not contain NUL");
    *out = json_string_value(v);
    jpath_restore(&rd->path, mark);
    return HDRF_OK;
}

static int read_selector(jread *rd, const json_t *sel, hdrf_attribute_constraint *k)
{
    static const char *const fields[] = {"attribute_name", "pseudoattribute_type", NULL};
    static const char *const pseudo[] = {"HOSTNAME", "REGION", "ZONE"};
    static const hdrf_selector kinds[] = {HDRF_SELECT_HOSTNAME, HDRF_SELECT_REGION,
                                          HDRF_SELECT_ZONE};
    const char *name, *type;
    int status = jr_object(rd, sel, fields, JR_UNKNOWN_FIELD);
    if (status == HDRF_OK)
        status = string_at(rd, sel, "attribute_name", &name);
    if (status == HDRF_OK)
        status = string_at(rd, sel, "pseudoattribute_type", &type);
    if (status != HDRF_OK)
        return status;
    if (name && type)
        return bad(rd,
                   "both attribute_name and pseudoattribute_type are set: exactly one is allowed");
    if (name) {
        k->selector = HDRF_SELECT_ATTRIBUTE;
        k->attribute = name;
    }
    if (!type)
        return HDRF_OK;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(type, pseudo[i]) == 0) {
            k->selector = kinds[i];
            return HDRF_OK;
        }
    jpath_field(&rd->path, "pseudoattribute_type");
    return bad(rd, "\"%s\": expected HOSTNAME, REGION or ZONE", type);
}

static int read_predicate(jread *rd, const json_t *pred, hdrf_attribute_constraint *k)
{
    static const char *const fields[] = {
        "exists",       "not_exists",       "text_equals", "text_not_equals",
        "text_matches", "text_not_matches", NULL};
    static const hdrf_predicate kinds[] = {HDRF_EXISTS,       HDRF_NOT_EXISTS,
                                           HDRF_TEXT_EQUALS,  HDRF_TEXT_NOT_EQUALS,
                                           HDRF_TEXT_MATCHES, HDRF_TEXT_NOT_MATCHES};
    static const char *const operand[] = {NULL, NULL, "value", "value", "regex", "regex"};
    int status = jr_object(rd, pred, fields, JR_UNKNOWN_FIELD);
    const char *set = NULL;
    for (size_t i = 0; status == HDRF_OK && fields[i]; i++) {
        json_t *v = json_object_get(pred, fields[i]);
        if (!v)
            continue;
        if (set)
            return bad(rd, "both %s and %s are set: exactly one predicate is allowed", set,
                       fields[i]);
        set = fields[i];
        k->predicate = kinds[i];
        size_t mark = jpath_field(&rd->path, fields[i]);
        const char *const allowed[] = {operand[i], NULL};
        status = jr_object(rd, v, allowed, JR_UNKNOWN_FIELD);
        if (status == HDRF_OK && operand[i])
            status = string_at(rd, v, operand[i], &k->value);
        if (status == HDRF_OK)
            jpath_restore(&rd->path, mark);
    }
    return status;
}

static int read_constraint(jread *rd, const json_t *v, hdrf_attribute_constraint *k)
{
    static const char *const fields[] = {"selector", "predicate", NULL};
    int status = jr_object(rd, v, fields, JR_UNKNOWN_FIELD);
    json_t *sel = json_object_get(v, "selector"), *pred = json_object_get(v, "predicate");
    if (status == HDRF_OK && sel) {
        size_t mark = jpath_field(&rd->path, "selector");
        if ((status = read_selector(rd, sel, k)) == HDRF_OK)
            jpath_restore(&rd->path, mark);
    }
    if (status == HDRF_OK && pred) {
        size_t mark = jpath_field(&rd->path, "predicate");
        if ((status = read_predicate(rd, pred, k)) == HDRF_OK)
            jpath_restore(&rd->path, mark);
    }
    return status;
}

/* The array at `key` of `obj`, or NULL when absent (an empty list). */
static int array_at(jread *rd, const json_t *obj, const char *key, const json_t **out)
{
    *out = json_object_get(obj, key);
    if (*out && !json_is_array(*out)) {
        jpath_field(&rd->path, key);
        return bad(rd, "expected an array");
    }
    return HDRF_OK;
}

static int read_group(jread *rd, const json_t *v, hdrf_constraint_group *group)
{
    static const char *const fields[] = {"attribute_constraints", NULL};
    const json_t *list;
    int status = jr_object(rd, v, fields, JR_UNKNOWN_FIELD);
    if (status == HDRF_OK)
        status = array_at(rd, v, "attribute_constraints", &list);
    if (status != HDRF_OK || !list || json_array_size(list) == 0)
        return status;
    hdrf_attribute_constraint *ks = calloc(json_array_size(list), sizeof *ks);
    if (!ks)
        return HDRF_ENOMEM;
    group->constraints = ks;
    group->n = json_array_size(list);
    for (size_t i = 0; i < group->n && status == HDRF_OK; i++) {
        size_t mark = jpath_item(&rd->path, "attribute_constraints", i);
        if ((status = read_constraint(rd, json_array_get(list, i), &ks[i])) == HDRF_OK)
            jpath_restore(&rd->path, mark);
    }
    return status;
}

static int read_role(jread *rd, const json_t *v, hdrf_role_constraints *role)
{
    static const char *const fields[] = {"groups", NULL};
    const json_t *list;
    int status = jr_object(rd, v, fields, JR_UNKNOWN_FIELD);
    if (status == HDRF_OK)
        status = array_at(rd, v, "groups", &list);
    if (status != HDRF_OK || !list || json_array_size(list) == 0)
        return status;
    hdrf_constraint_group *groups = calloc(json_array_size(list), sizeof *groups);
    if (!groups)
        return HDRF_ENOMEM;
    role->groups = groups;
    role->ngroups = json_array_size(list);
    for (size_t i = 0; i < role->ngroups && status == HDRF_OK; i++) {
        size_t mark = jpath_item(&rd->path, "groups", i);
        if ((status = read_group(rd, json_array_get(list, i), &groups[i])) == HDRF_OK)
            jpath_restore(&rd->path, mark);
    }
    return status;
}

int hdrf_constraints_from_json(const json_t *json, const hdrf_regex_limits *limits,
                               hdrf_constraints **out, hdrf_error *error)
{
    static const char *const fields[] = {"role_constraints", NULL};
    jread rd;
    hdrf_role_constraints *roles = NULL;
    size_t nroles = 0;
    const json_t *map = NULL;
    int status;
    *out = NULL;
    jr_init_core(&rd, error, SRC, NULL);
    status = jr_object(&rd, json, fields, JR_UNKNOWN_FIELD);
    if (status == HDRF_OK && (map = json_object_get(json, "role_constraints")) != NULL) {
        jpath_field(&rd.path, "role_constraints");
        if (!json_is_object(map))
            status = bad(&rd, "expected an object (role -> RoleConstraints)");
    }
    if (status == HDRF_OK && map && json_object_size(map) &&
        !(roles = calloc(json_object_size(map), sizeof *roles)))
        status = HDRF_ENOMEM;
    const char *key;
    json_t *value;
    if (status == HDRF_OK && map)
        json_object_foreach((json_t *)map, key, value)
        {
            size_t mark = jpath_field(&rd.path, key);
            roles[nroles].role = key;
            status = read_role(&rd, value, &roles[nroles++]);
            if (status != HDRF_OK)
                break;
            jpath_restore(&rd.path, mark);
        }
    return constraints_plain_compile(status, roles, nroles, limits, out, error);
}
