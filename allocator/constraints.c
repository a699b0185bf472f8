/* constraints.c: compiling and evaluating offer constraints
 * (see hdrf/constraints.h).
 *
 * A compiled filter owns copies of every string and one compiled regular
 * expression per TextMatches / TextNotMatches constraint, so the caller's
 * data can go as soon as compile returns. Roles are kept sorted by name and
 * found by binary search: the allocator asks once per (framework, role,
 * agent), and a framework has few roles. Groups and constraints are
 * evaluated in the order given, stopping at the first group that holds, as
 * Mesos does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/constraints_plain.h"
#include "lib/error.h"
#include "lib/jpath.h"
#include "lib/regex.h"

#define SRC "constraints"

typedef struct oc_constraint {
    hdrf_selector selector;
    char *attribute;
    hdrf_predicate predicate;
    char *value;
    regex_prog *re; /* the two regex predicates */
} oc_constraint;

typedef struct oc_group {
    oc_constraint *constraints;
    size_t n;
} oc_group;

typedef struct oc_role {
    char *role;
    oc_group *groups;
    size_t ngroups;
} oc_role;

struct hdrf_constraints {
    oc_role *roles; /* sorted by name */
    size_t nroles;
};

void hdrf_constraints_free(hdrf_constraints *c)
{
    if (!c)
        return;
    for (size_t r = 0; r < c->nroles; r++) {
        oc_role *role = &c->roles[r];
        for (size_t g = 0; role->groups && g < role->ngroups; g++) {
            oc_group *group = &role->groups[g];
            for (size_t k = 0; group->constraints && k < group->n; k++) {
                free(group->constraints[k].attribute);
                free(group->constraints[k].value);
                regex_free(group->constraints[k].re);
            }
            free(group->constraints);
        }
        free(role->groups);
        free(role->role);
    }
    free(c->roles);
    free(c);
}

void constraints_plain_free(hdrf_role_constraints *roles, size_t nroles)
{
    for (size_t r = 0; roles && r < nroles; r++) {
        hdrf_constraint_group *groups = (hdrf_constraint_group *)roles[r].groups;
        for (size_t g = 0; groups && g < roles[r].ngroups; g++)
            free((hdrf_attribute_constraint *)groups[g].constraints);
        free(groups);
    }
    free(roles);
}

int constraints_plain_compile(int status, hdrf_role_constraints *roles, size_t nroles,
                              const hdrf_regex_limits *limits, hdrf_constraints **out,
                              hdrf_error *error)
{
    if (status == HDRF_OK)
        status = hdrf_constraints_compile(roles, nroles, limits, out, error);
    else if (status == HDRF_ENOMEM)
        error_named(error, SRC, "role_constraints", "out of memory");
    constraints_plain_free(roles, nroles);
    return status;
}

/* Where compile is (a jread of lib/jpath.h, at the value at fault), and
 * its refusals. */
#define refuse(w, ...) jr_fail(w, NULL, __VA_ARGS__)

/* A pattern for a message: at most 48 bytes, cut at a character boundary. */
static void shorten(char *out, size_t outlen, const char *pattern)
{
    size_t len = strlen(pattern), keep = len;
    if (len > 48) {
        keep = 45;
        while (keep && ((unsigned char)pattern[keep] & 0xC0) == 0x80)
            keep--;
    }
    snprintf(out, outlen, "%.*s%s", (int)keep, pattern, keep < len ? "..." : "");
}

/* ---- compile ------------------------------------------------------------------ */

static const char *predicate_field(hdrf_predicate p)
{
    switch (p) {
    case HDRF_TEXT_EQUALS:
        return "text_equals.value";
    case HDRF_TEXT_NOT_EQUALS:
        return "text_not_equals.value";
    case HDRF_TEXT_MATCHES:
        return "text_matches.regex";
    case HDRF_TEXT_NOT_MATCHES:
        return "text_not_matches.regex";
    default:
        return NULL;
    }
}

static int compile_regex(jread *w, oc_constraint *k, const hdrf_regex_limits *limits)
{
    char why[HDRF_ERROR_TEXT_LENGTH], shown[64];
    int status =
        regex_compile(k->value, strlen(k->value), limits->max_mem, &k->re, why, sizeof why);
    shorten(shown, sizeof shown, k->value);
    if (status == HDRF_ENOMEM)
        return status;
    if (status != HDRF_OK)
        return refuse(w, "Failed to construct regex from pattern '%s': %s", shown, why);
    size_t size = regex_program_size(k->re);
    if (size > limits->max_program_size)
        return refuse(
            w,
            "Regex '%s' is too complex: program size of %zu is larger than maximum of %zu allowed",
            shown, size, limits->max_program_size);
    return HDRF_OK;
}

static int compile_constraint(jread *w, const hdrf_attribute_constraint *in, oc_constraint *k,
                              const hdrf_regex_limits *limits)
{
    size_t mark;
    int status = HDRF_OK;
    switch (in->selector) {
    case HDRF_SELECT_ATTRIBUTE:
        if (!in->attribute) {
            jpath_field(&w->path, "selector.attribute_name");
            return refuse(w, "missing: an attribute selector needs the attribute's name");
        }
        break;
    case HDRF_SELECT_HOSTNAME:
    case HDRF_SELECT_REGION:
    case HDRF_SELECT_ZONE:
        break;
    default:
        jpath_field(&w->path, "selector");
        return refuse(w, "not set: exactly one of attribute_name or pseudoattribute_type "
                         "(HOSTNAME, REGION, ZONE) is required");
    }
    const char *field = predicate_field(in->predicate);
    if (!field && in->predicate != HDRF_EXISTS && in->predicate != HDRF_NOT_EXISTS) {
        jpath_field(&w->path, "predicate");
        return refuse(w, "not set: one of exists, not_exists, text_equals, text_not_equals, "
                         "text_matches, text_not_matches is required");
    }
    k->selector = in->selector;
    k->predicate = in->predicate;
    if (in->selector == HDRF_SELECT_ATTRIBUTE && !(k->attribute = strdup(in->attribute)))
        return HDRF_ENOMEM;
    if (!field)
        return HDRF_OK;
    mark = jpath_field(&w->path, "predicate");
    jpath_field(&w->path, field);
    if (!in->value)
        status = refuse(w, "missing: required by this predicate");
    else if (!(k->value = strdup(in->value)))
        status = HDRF_ENOMEM;
    else if (in->predicate == HDRF_TEXT_MATCHES || in->predicate == HDRF_TEXT_NOT_MATCHES)
        status = compile_regex(w, k, limits);
    jpath_restore(&w->path, mark);
    return status;
}

/* Error paths return without popping the path: the error already holds it. */
static int compile_role(jread *w, const hdrf_role_constraints *in, oc_role *out,
                        const hdrf_regex_limits *limits)
{
    if (!(out->role = strdup(in->role)))
        return HDRF_ENOMEM;
    size_t mark = jpath_field(&w->path, "groups");
    if (in->ngroups == 0 || !in->groups)
        return refuse(w, "empty: a role's constraints need at least one group");
    if (!(out->groups = calloc(in->ngroups, sizeof *out->groups)))
        return HDRF_ENOMEM;
    out->ngroups = in->ngroups;
    for (size_t g = 0; g < in->ngroups; g++) {
        const hdrf_constraint_group *group = &in->groups[g];
        oc_group *compiled = &out->groups[g];
        size_t gmark = jpath_index(&w->path, g);
        jpath_field(&w->path, "attribute_constraints");
        if (group->n == 0 || !group->constraints)
            return refuse(w, "empty: a group needs at least one constraint");
        if (!(compiled->constraints = calloc(group->n, sizeof *compiled->constraints)))
            return HDRF_ENOMEM;
        compiled->n = group->n;
        for (size_t k = 0; k < group->n; k++) {
            size_t kmark = jpath_index(&w->path, k);
            int status =
                compile_constraint(w, &group->constraints[k], &compiled->constraints[k], limits);
            if (status != HDRF_OK)
                return status;
            jpath_restore(&w->path, kmark);
        }
        jpath_restore(&w->path, gmark);
    }
    jpath_restore(&w->path, mark);
    return HDRF_OK;
}

static int cmp_role(const void *a, const void *b)
{
    return strcmp(((const oc_role *)a)->role, ((const oc_role *)b)->role);
}

int hdrf_constraints_compile(const hdrf_role_constraints *roles, size_t nroles,
                             const hdrf_regex_limits *limits, hdrf_constraints **out,
                             hdrf_error *error)
{
    static const hdrf_regex_limits defaults = {HDRF_REGEX_DEFAULT_MAX_MEM,
                                               HDRF_REGEX_DEFAULT_MAX_PROGRAM_SIZE};
    jread w;
    int status = HDRF_OK;
    hdrf_constraints *c = calloc(1, sizeof *c);
    *out = NULL;
    jr_init_core(&w, error, SRC, "role_constraints");
    if (!limits)
        limits = &defaults;
    if (nroles && !roles) {
        status = refuse(&w, "missing: %zu roles announced, none given", nroles);
        goto done;
    }
    if (!c || (nroles && !(c->roles = calloc(nroles, sizeof *c->roles)))) {
        status = HDRF_ENOMEM;
        goto done;
    }
    for (size_t r = 0; r < nroles; r++) {
        if (!roles[r].role) {
            jpath_index(&w.path, r);
            status = refuse(&w, "missing: the role's name");
            goto done;
        }
        c->nroles = r + 1; /* so that free() sees what is filled */
        size_t mark = jpath_field(&w.path, roles[r].role);
        status = compile_role(&w, &roles[r], &c->roles[r], limits);
        if (status != HDRF_OK)
            goto done;
        jpath_restore(&w.path, mark);
    }
    if (nroles > 1)
        qsort(c->roles, nroles, sizeof *c->roles, cmp_role);
    for (size_t r = 1; r < nroles; r++)
        if (strcmp(c->roles[r - 1].role, c->roles[r].role) == 0) {
            jpath_field(&w.path, c->roles[r].role);
            status = refuse(&w, "duplicate: a role has one set of constraints");
            goto done;
        }
    *out = c;
    c = NULL;
done:
    if (status == HDRF_ENOMEM)
        error_named(error, SRC, "role_constraints", "out of memory");
    hdrf_constraints_free(c);
    return status == HDRF_OK ? HDRF_OK : status == HDRF_ENOMEM ? HDRF_ENOMEM : HDRF_EINVAL;
}

/* ---- evaluate ----------------------------------------------------------------- */

static const oc_role *find_role(const hdrf_constraints *c, const char *role)
{
    size_t lo = 0, hi = c->nroles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(role, c->roles[mid].role);
        if (cmp == 0)
            return &c->roles[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

bool hdrf_constraints_has_role(const hdrf_constraints *c, const char *role)
{
    return c && role && find_role(c, role);
}

/* The selected value, Mesos's three cases: absent, a string, or an
 * attribute that is not TEXT. */
typedef enum selected { ABSENT, STRING, NOT_TEXT } selected;

static selected select_value(const oc_constraint *k, const hdrf_agent_facts *agent, const char **s)
{
    switch (k->selector) {
    case HDRF_SELECT_ATTRIBUTE:
        for (size_t i = 0; i < agent->nattributes; i++) {
            const hdrf_attribute *a = &agent->attributes[i];
            if (a->name && strcmp(a->name, k->attribute) == 0) {
                if (a->type != HDRF_ATTR_TEXT)
                    return NOT_TEXT;
                *s = a->text ? a->text : "";
                return STRING;
            }
        }
        return ABSENT;
    case HDRF_SELECT_HOSTNAME:
        *s = agent->hostname ? agent->hostname : "";
        return STRING;
    case HDRF_SELECT_REGION:
        *s = agent->region;
        return agent->region ? STRING : ABSENT;
    case HDRF_SELECT_ZONE:
        *s = agent->zone;
        return agent->zone ? STRING : ABSENT;
    default:
        return ABSENT; /* compile admits no other selector */
    }
}

static bool holds(const oc_constraint *k, const hdrf_agent_facts *agent)
{
    const char *s = NULL;
    selected sel = select_value(k, agent, &s);
    bool negative = k->predicate == HDRF_NOT_EXISTS || k->predicate == HDRF_TEXT_NOT_EQUALS ||
                    k->predicate == HDRF_TEXT_NOT_MATCHES;
    if (sel == ABSENT)
        return negative;
    if (sel == NOT_TEXT) /* Mesos leaves non-TEXT attributes to the scheduler */
        return k->predicate != HDRF_NOT_EXISTS;
    switch (k->predicate) {
    case HDRF_EXISTS:
        return true;
    case HDRF_NOT_EXISTS:
        return false;
    case HDRF_TEXT_EQUALS:
        return strcmp(s, k->value) == 0;
    case HDRF_TEXT_NOT_EQUALS:
        return strcmp(s, k->value) != 0;
    case HDRF_TEXT_MATCHES:
        return regex_full_match(k->re, s, strlen(s));
    case HDRF_TEXT_NOT_MATCHES:
        return !regex_full_match(k->re, s, strlen(s));
    default:
        return false;
    }
}

bool hdrf_constraints_excludes(const hdrf_constraints *c, const char *role,
                               const hdrf_agent_facts *agent)
{
    const oc_role *r = c && role ? find_role(c, role) : NULL;
    if (!r)
        return false;
    for (size_t g = 0; g < r->ngroups; g++) {
        const oc_group *group = &r->groups[g];
        size_t k = 0;
        while (k < group->n && holds(&group->constraints[k], agent))
            k++;
        if (k == group->n)
            return false;
    }
    return true;
}
