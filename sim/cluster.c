/* cluster.c: reading a simulated cluster from JSON (see cluster.h).
 *
 * Every error names the file, the JSON path of the field and what is wrong,
 * so an operator can fix the file without reading code. Reading fills a
 * calloc'ed cluster field by field; on any failure sim_cluster_free() takes
 * whatever was built (the single cleanup path). */
#include "sim/cluster.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/jread.h"

static void group_free(sim_agent_group *g)
{
    free(g->hostname);
    hdrf_resources_free(g->resources);
    for (size_t i = 0; i < g->nattrs; i++) {
        for (size_t j = 0; j < g->attrs[i].nvalues; j++)
            free(g->attrs[i].values[j]);
        free(g->attrs[i].values);
        free(g->attrs[i].name);
    }
    free(g->attrs);
    free(g->region);
    for (size_t i = 0; i < g->nzones; i++)
        free(g->zones[i]);
    free(g->zones);
    for (size_t i = 0; i < g->nreservations; i++) {
        free(g->reservations[i].role);
        free(g->reservations[i].principal);
        hdrf_resources_free(g->reservations[i].resources);
    }
    free(g->reservations);
}

void sim_cluster_free(sim_cluster *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ngroups; i++)
        group_free(&c->groups[i]);
    free(c->groups);
    free(c->region);
    free(c);
}

/* ---- attributes ---------------------------------------------------------------------- */

/* Mesos's --attributes rules for one value's type. */
static hdrf_attribute_type type_of(const char *text)
{
    char *end;
    if (*text == '[')
        return HDRF_ATTR_RANGES;
    if (*text == '{')
        return HDRF_ATTR_SET;
    if ((isdigit((unsigned char)*text) || *text == '-' || *text == '.') &&
        (strtod(text, &end), *end == '\0'))
        return HDRF_ATTR_SCALAR;
    return HDRF_ATTR_TEXT;
}

/* One value as text: strings as given, numbers as Mesos prints them. */
static int value_text(jread *r, const json_t *v, char **out)
{
    char buf[64];
    if (json_is_string(v) && json_string_length(v) > 0)
        *out = strdup(json_string_value(v));
    else if (json_is_number(v))
        snprintf(buf, sizeof buf, "%g", json_number_value(v)), *out = strdup(buf);
    else
        return jr_fail(r, v, "expected a non-empty string or a number");
    return *out ? HDRF_OK : jr_no_memory(r);
}

/* `value` is one value or an array spread over the group. */
static int read_values(jread *r, const json_t *value, char ***values, size_t *n)
{
    size_t count = json_is_array(value) ? json_array_size(value) : 1;
    if (count == 0)
        return jr_fail(r, value, "expected a value or a non-empty array of values");
    if (!(*values = calloc(count, sizeof **values)))
        return jr_no_memory(r);
    for (size_t i = 0; i < count; i++) {
        const json_t *v = json_is_array(value) ? json_array_get(value, i) : value;
        size_t mark = json_is_array(value) ? jpath_index(&r->path, i) : strlen(r->path.text);
        int rc = value_text(r, v, &(*values)[i]);
        if (rc != HDRF_OK)
            return rc;
        (*n)++;
        jpath_restore(&r->path, mark);
    }
    return HDRF_OK;
}

static int add_attr(jread *r, sim_agent_group *g, const char *name, const json_t *value)
{
    sim_attr *a = &g->attrs[g->nattrs];
    size_t mark = jpath_field(&r->path, name);
    if (!*name || strpbrk(name, ":;"))
        return jr_fail(r, NULL, "an attribute name must be non-empty, without ':' or ';'");
    if (!(a->name = strdup(name)))
        return jr_no_memory(r);
    g->nattrs++;
    int rc = read_values(r, value, &a->values, &a->nvalues);
    if (rc != HDRF_OK)
        return rc;
    a->type = json_is_number(json_is_array(value) ? json_array_get(value, 0) : value)
                  ? HDRF_ATTR_SCALAR
                  : type_of(a->values[0]);
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

/* Mesos's text form: `rack:r1;cores:24`. */
static int read_attr_text(jread *r, sim_agent_group *g, const json_t *v)
{
    const char *text = json_string_value(v);
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ';';
    if (!(g->attrs = calloc(n, sizeof *g->attrs)))
        return jr_no_memory(r);
    char *copy = strdup(text), *save = NULL;
    int rc = copy ? HDRF_OK : jr_no_memory(r);
    for (char *item = copy ? strtok_r(copy, ";", &save) : NULL; item && rc == HDRF_OK;
         item = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(item, ':');
        if (!colon || colon == item || !colon[1]) {
            rc = jr_fail(r, v, "'%s' is not name:value (Mesos's --attributes form)", item);
            break;
        }
        *colon = '\0';
        json_t *value = json_string(colon + 1);
        rc = value ? add_attr(r, g, item, value) : jr_no_memory(r);
        json_decref(value);
    }
    free(copy);
    return rc;
}

static int read_attrs(jread *r, const json_t *obj, sim_agent_group *g)
{
    size_t mark = jpath_field(&r->path, "attributes");
    const json_t *v = json_object_get(obj, "attributes");
    const char *name;
    json_t *value;
    int rc = HDRF_OK;
    if (!v || json_is_null(v)) {
        jpath_restore(&r->path, mark);
        return HDRF_OK;
    }
    if (json_is_string(v))
        rc = read_attr_text(r, g, v);
    else if (!json_is_object(v))
        return jr_fail(r, v, "expected an object {name: value} or \"name:value;...\"");
    else if (!(g->attrs = calloc(json_object_size(v) + 1, sizeof *g->attrs)))
        return jr_no_memory(r);
    else
        json_object_foreach((json_t *)v, name, value)
        {
            if ((rc = add_attr(r, g, name, value)) != HDRF_OK)
                break;
        }
    if (rc == HDRF_OK)
        jpath_restore(&r->path, mark);
    return rc;
}

/* ---- domain and reservations ----------------------------------------------------------- */

static int read_domain(jread *r, const json_t *obj, sim_agent_group *g)
{
    static const char *const keys[] = {"region", "zone", NULL};
    size_t mark = jpath_field(&r->path, "domain");
    const json_t *d = json_object_get(obj, "domain");
    const char *region = NULL;
    int rc;
    if (!d) {
        jpath_restore(&r->path, mark);
        return HDRF_OK;
    }
    if ((rc = jr_object(r, d, keys, JR_UNKNOWN_LISTED)) != HDRF_OK ||
        (rc = jr_string(r, d, "region", true, &region)) != HDRF_OK)
        return rc;
    if (!(g->region = strdup(region)))
        return jr_no_memory(r);
    const json_t *zone = json_object_get(d, "zone");
    size_t zmark = jpath_field(&r->path, "zone");
    if (!zone)
        return jr_fail(r, NULL,
                       "missing: a fault domain has a zone (or an array spread over "
                       "the group)");
    if ((rc = read_values(r, zone, &g->zones, &g->nzones)) != HDRF_OK)
        return rc;
    jpath_restore(&r->path, zmark);
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

static int read_reservations(jread *r, const json_t *obj, sim_agent_group *g)
{
    static const char *const keys[] = {"role", "principal", "resources", NULL};
    size_t mark = jpath_field(&r->path, "reservations");
    const json_t *v = json_object_get(obj, "reservations");
    if (!v) {
        jpath_restore(&r->path, mark);
        return HDRF_OK;
    }
    if (!json_is_array(v))
        return jr_fail(r, v, "expected an array of {role, principal, resources}");
    if (!(g->reservations = calloc(json_array_size(v) + 1, sizeof *g->reservations)))
        return jr_no_memory(r);
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *item = json_array_get(v, i);
        sim_reservation *s = &g->reservations[g->nreservations];
        const char *role = NULL, *principal = NULL, *why;
        size_t imark = jpath_index(&r->path, i);
        int rc = jr_object(r, item, keys, JR_UNKNOWN_LISTED);
        if (rc == HDRF_OK)
            rc = jr_string(r, item, "role", true, &role);
        if (rc == HDRF_OK)
            rc = jr_string(r, item, "principal", false, &principal);
        if (rc != HDRF_OK)
            return rc;
        if ((why = hdrf_role_invalid(role)) || strcmp(role, "*") == 0) {
            jpath_field(&r->path, "role");
            return jr_fail(r, json_object_get(item, "role"), "not a role one can reserve for%s%s",
                           why ? ": " : "", why ? why : "");
        }
        if (!(s->role = strdup(role)) || (principal && !(s->principal = strdup(principal))))
            return free(s->role), jr_no_memory(r);
        g->nreservations++;
        if ((rc = jr_resources(r, item, "resources", true, &s->resources)) != HDRF_OK)
            return rc;
        jpath_restore(&r->path, imark);
    }
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

/* ---- groups ------------------------------------------------------------------------------ */

static int read_group(jread *r, const json_t *obj, sim_agent_group *g)
{
    static const char *const keys[] = {"hostname", "count",        "resources", "attributes",
                                       "domain",   "reservations", NULL};
    const char *hostname = NULL;
    long count = 1;
    int rc = jr_object(r, obj, keys, JR_UNKNOWN_LISTED);
    if (rc == HDRF_OK)
        rc = jr_string(r, obj, "hostname", true, &hostname);
    if (rc == HDRF_OK && !(g->hostname = strdup(hostname)))
        rc = jr_no_memory(r);
    if (rc == HDRF_OK)
        rc = jr_long(r, obj, "count", 1, 1000000, &count);
    g->count = (size_t)count;
    if (rc == HDRF_OK)
        rc = jr_resources(r, obj, "resources", true, &g->resources);
    if (rc == HDRF_OK)
        rc = read_attrs(r, obj, g);
    if (rc == HDRF_OK)
        rc = read_domain(r, obj, g);
    if (rc == HDRF_OK)
        rc = read_reservations(r, obj, g);
    return rc;
}

sim_cluster *sim_cluster_load(const char *path, char *why, size_t whylen)
{
    static const char *const keys[] = {"region", "agents", NULL};
    sched_error err = {HDRF_OK, ""};
    jread r;
    sim_cluster *c = NULL;
    const char *region = NULL;
    json_t *root = jr_load(path, why, whylen), *agents;
    if (!root)
        return NULL;
    jr_init(&r, &err, NULL);
    int rc = jr_object(&r, root, keys, JR_UNKNOWN_LISTED);
    if (rc == HDRF_OK)
        rc = jr_string(&r, root, "region", false, &region);
    agents = json_object_get(root, "agents");
    if (rc == HDRF_OK && (!json_is_array(agents) || json_array_size(agents) == 0)) {
        jpath_field(&r.path, "agents");
        rc = jr_fail(&r, agents, "expected an array of at least one agent group");
    }
    if (rc == HDRF_OK && (!(c = calloc(1, sizeof *c)) ||
                          !(c->groups = calloc(json_array_size(agents), sizeof *c->groups)) ||
                          (region && !(c->region = strdup(region)))))
        rc = jr_no_memory(&r);
    for (size_t i = 0; rc == HDRF_OK && i < json_array_size(agents); i++) {
        size_t mark = jpath_item(&r.path, "agents", i);
        c->ngroups++;
        rc = read_group(&r, json_array_get(agents, i), &c->groups[i]);
        if (rc == HDRF_OK) {
            c->nagents += c->groups[i].count;
            jpath_restore(&r.path, mark);
        }
    }
    json_decref(root);
    if (rc != HDRF_OK) {
        jr_message(path, &err, why, whylen);
        sim_cluster_free(c);
        return NULL;
    }
    return c;
}

hdrf_resources *sim_cluster_total(const sim_cluster *c)
{
    hdrf_resources *total = hdrf_resources_new();
    for (size_t i = 0; total && i < c->ngroups; i++) {
        for (size_t k = 0; k < c->groups[i].count; k++) {
            if (hdrf_resources_add(total, c->groups[i].resources) != HDRF_OK) {
                hdrf_resources_free(total);
                return NULL;
            }
        }
    }
    return total;
}
