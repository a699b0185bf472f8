/* cluster.c: reading a simulated cluster from JSON (see cluster.h).
 *
 * Every error names the file, the JSON path of the field and what is wrong,
 * so an operator can fix the file without reading code. */
#include "cluster.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources_json.h"

static void group_free(sim_agent_group *g)
{
    free(g->hostname);
    hdrf_resources_free(g->resources);
}

void sim_cluster_free(sim_cluster *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ngroups; i++)
        group_free(&c->groups[i]);
    free(c->groups);
    free(c);
}

static int read_resources(const json_t *value, hdrf_resources **out, hdrf_error *err)
{
    if (json_is_string(value))
        return hdrf_resources_parse(json_string_value(value), NULL, out, err);
    return hdrf_resources_from_json(value, NULL, out, err);
}

/* Reads agents[i] into g; on failure fills why and returns -1. */
static int read_group(const char *path, size_t i, const json_t *obj, sim_agent_group *g,
                      char *why, size_t whylen)
{
    static const char *const allowed[] = {"hostname", "count", "resources", NULL};
    const char *key;
    json_t *value, *resources;
    hdrf_error err;
    if (!json_is_object(obj)) {
        snprintf(why, whylen, "%s: agents[%zu]: expected an object", path, i);
        return -1;
    }
    json_object_foreach((json_t *)obj, key, value) {
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, key) == 0;
        if (!known) {
            snprintf(why, whylen, "%s: agents[%zu].%s: unknown field (allowed: hostname, "
                                  "count, resources)", path, i, key);
            return -1;
        }
    }
    value = json_object_get(obj, "hostname");
    if (!json_is_string(value) || !json_string_length(value)) {
        snprintf(why, whylen, "%s: agents[%zu].hostname: expected a non-empty string", path, i);
        return -1;
    }
    if (!(g->hostname = strdup(json_string_value(value)))) {
        snprintf(why, whylen, "%s: out of memory", path);
        return -1;
    }
    value = json_object_get(obj, "count");
    g->count = 1;
    if (value && (!json_is_integer(value) || json_integer_value(value) < 1 ||
                  json_integer_value(value) > 1000000)) {
        snprintf(why, whylen, "%s: agents[%zu].count: expected an integer from 1 to 1000000",
                 path, i);
        return -1;
    }
    if (value)
        g->count = (size_t)json_integer_value(value);
    resources = json_object_get(obj, "resources");
    if (!resources) {
        snprintf(why, whylen, "%s: agents[%zu].resources: missing", path, i);
        return -1;
    }
    if (read_resources(resources, &g->resources, &err) != HDRF_OK) {
        if (err.position >= 0)
            snprintf(why, whylen, "%s: agents[%zu].resources: %s at '%s' (column %d)", path,
                     i, err.text, err.token, err.column);
        else
            snprintf(why, whylen, "%s: agents[%zu].resources%s: %s", path, i, err.token,
                     err.text);
        return -1;
    }
    return 0;
}

sim_cluster *sim_cluster_load(const char *path, char *why, size_t whylen)
{
    json_error_t jerr;
    sim_cluster *c = NULL;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr), *agents;
    if (!root) {
        snprintf(why, whylen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    agents = json_object_get(root, "agents");
    if (!json_is_object(root) || !json_is_array(agents) || json_array_size(agents) == 0) {
        snprintf(why, whylen, "%s: expected {\"agents\": [...]} with at least one agent", path);
        goto fail;
    }
    if (!(c = calloc(1, sizeof *c)) ||
        !(c->groups = calloc(json_array_size(agents), sizeof *c->groups))) {
        snprintf(why, whylen, "%s: out of memory", path);
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(agents); i++) {
        c->ngroups++;
        if (read_group(path, i, json_array_get(agents, i), &c->groups[i], why, whylen) != 0)
            goto fail;
        c->nagents += c->groups[i].count;
    }
    json_decref(root);
    return c;
fail:
    sim_cluster_free(c);
    json_decref(root);
    return NULL;
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
