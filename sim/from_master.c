/* from_master.c: Mesos's /master/state (and hdrf's /hdrf/state) turned into
 * the simulator's cluster, workload and modules files; see from_master.h. */
#include "sim/from_master.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/line.h"
#include "lib/sbuf.h"

typedef struct conv {
    const char *file; /* named in refusals */
    char *why;
    size_t whylen;
} conv;

static int fail(conv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(conv *c, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(c->why, c->whylen, "%s: %s", c->file, text);
    return -1;
}

static json_t *load(conv *c, const char *path)
{
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    if (!doc)
        fail(c, "line %d: %s", e.line, e.text);
    else if (!json_is_object(doc)) {
        fail(c, "expected a JSON object");
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

/* Appends the resources of a /state object (`{"cpus": 4, "ports":
 * "[31000-32000]"}`) in Mesos's text form, names sorted, each reserved to
 * `role` when given; ranges and sets only when `scalars_only` is false. */
static void put_resources(sbuf *b, const json_t *obj, const char *role, bool scalars_only)
{
    size_t n = json_object_size(obj), k = 0;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    const char *name;
    const json_t *v;
    if (!names) {
        b->failed = true;
        return;
    }
    json_object_foreach((json_t *)obj, name, v) names[k++] = name;
    array_sort_strings(names, k);
    for (size_t i = 0; i < k; i++) {
        v = json_object_get(obj, names[i]);
        const char *sep = b->len ? ";" : "";
        char reserved[256] = "";
        if (role)
            snprintf(reserved, sizeof reserved, "(%s)", role);
        if (json_is_number(v) && json_number_value(v) > 0)
            sbuf_printf(b, "%s%s%s:%.17g", sep, names[i], reserved, json_number_value(v));
        else if (json_is_string(v) && !scalars_only && json_string_value(v)[0])
            sbuf_printf(b, "%s%s%s:%s", sep, names[i], reserved, json_string_value(v));
    }
    free(names);
}

/* An agent's resources: unreserved plus each role's reserved, or its total. */
static char *agent_resources(const json_t *slave)
{
    sbuf b = SBUF_INIT;
    const json_t *unreserved = json_object_get(slave, "unreserved_resources");
    const json_t *reserved = json_object_get(slave, "reserved_resources");
    if (json_is_object(unreserved)) {
        put_resources(&b, unreserved, NULL, false);
        const char *role;
        const json_t *v;
        json_object_foreach((json_t *)reserved, role, v) put_resources(&b, v, role, false);
    } else {
        put_resources(&b, json_object_get(slave, "resources"), NULL, false);
    }
    return sbuf_finish(&b);
}

/* A /state domain {"fault_domain": {"region": {"name": ..}, "zone": ..}}
 * as the cluster file's {"region": .., "zone": ..}; NULL when absent. */
static json_t *domain_of(const json_t *slave)
{
    const json_t *fd = json_object_get(json_object_get(slave, "domain"), "fault_domain");
    const char *region = json_string_value(json_object_get(json_object_get(fd, "region"), "name"));
    const char *zone = json_string_value(json_object_get(json_object_get(fd, "zone"), "name"));
    return region && zone ? json_pack("{s:s, s:s}", "region", region, "zone", zone) : NULL;
}

static int write_doc(conv *c, const char *dir, const char *name, json_t *doc)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = doc && json_dump_file(doc, path, JSON_INDENT(1) | JSON_SORT_KEYS) == 0
                 ? 0
                 : fail(c, "cannot write %s", path);
    json_decref(doc);
    return rc;
}

static int cluster(conv *c, const json_t *state, const char *dir)
{
    const json_t *slaves = json_object_get(state, "slaves");
    if (!json_is_array(slaves))
        return fail(c, "slaves: missing or not an array (expected Mesos's /master/state)");
    json_t *agents = json_array();
    size_t i;
    const json_t *slave;
    json_array_foreach(slaves, i, slave)
    {
        const char *host = json_string_value(json_object_get(slave, "hostname"));
        char *res = agent_resources(slave);
        if (!host || !res || !res[0]) {
            free(res);
            json_decref(agents);
            return fail(c, "slaves[%zu]: expected a hostname and resources", i);
        }
        json_t *agent = json_pack("{s:s, s:s}", "hostname", host, "resources", res);
        free(res);
        const json_t *attributes = json_object_get(slave, "attributes");
        if (agent && json_object_size(attributes))
            json_object_set(agent, "attributes", (json_t *)attributes);
        json_t *domain = domain_of(slave);
        if (agent && domain)
            json_object_set_new(agent, "domain", domain);
        else
            json_decref(domain);
        if (!agent || json_array_append_new(agents, agent) != 0) {
            json_decref(agents);
            return fail(c, "out of memory");
        }
    }
    return write_doc(c, dir, "cluster.json", json_pack("{s:o}", "agents", agents));
}

static bool running(const json_t *task)
{
    const char *s = json_string_value(json_object_get(task, "state"));
    return s && (!strcmp(s, "TASK_STAGING") || !strcmp(s, "TASK_STARTING") ||
                 !strcmp(s, "TASK_RUNNING"));
}

/* One job per distinct (role, scalar resources) of the framework's running
 * tasks; NULL on failure, an empty array when it runs nothing. */
static json_t *jobs_of(const json_t *fw, const char *default_role)
{
    json_t *jobs = json_array(), *index = json_object(); /* "role resources" -> job */
    size_t i;
    const json_t *task;
    json_array_foreach(json_object_get(fw, "tasks"), i, task)
    {
        if (!running(task))
            continue;
        const char *role = json_string_value(json_object_get(task, "role"));
        sbuf res = SBUF_INIT, key = SBUF_INIT;
        put_resources(&res, json_object_get(task, "resources"), NULL, true);
        role = role ? role : default_role;
        sbuf_printf(&key, "%s %s", role ? role : "", res.data ? res.data : "");
        json_t *job = key.data ? json_object_get(index, key.data) : NULL;
        if (job) {
            json_object_set_new(
                job, "instances",
                json_integer(json_integer_value(json_object_get(job, "instances")) + 1));
        } else if (role && res.data && res.data[0] && key.data) {
            char id[32];
            snprintf(id, sizeof id, "t%zu", json_array_size(jobs) + 1);
            job = json_pack("{s:s, s:s, s:s, s:i, s:s}", "id", id, "role", role, "resources",
                            res.data, "instances", 1, "duration", "forever");
            if (job) {
                json_object_set(index, key.data, job);
                json_array_append_new(jobs, job);
            }
        }
        sbuf_discard(&res);
        sbuf_discard(&key);
    }
    json_decref(index);
    return jobs;
}

static int workload(conv *c, const json_t *state, const char *dir)
{
    json_t *fws = json_array();
    size_t i;
    const json_t *fw;
    json_array_foreach(json_object_get(state, "frameworks"), i, fw)
    {
        const char *id = json_string_value(json_object_get(fw, "id"));
        const json_t *roles = json_object_get(fw, "roles");
        const char *role = json_string_value(json_object_get(fw, "role"));
        if (!id)
            continue;
        if (!json_array_size(roles) && !role) {
            json_decref(fws);
            return fail(c, "frameworks[%zu]: expected roles or a role", i);
        }
        json_t *jobs = jobs_of(
            fw, json_array_size(roles) ? json_string_value(json_array_get(roles, 0)) : role);
        if (!jobs || !json_array_size(jobs)) { /* nothing running: no demand to replay */
            json_decref(jobs);
            continue;
        }
        const char *name = json_string_value(json_object_get(fw, "name"));
        json_t *entry =
            json_pack("{s:s, s:s, s:o}", "id", id, "name", name ? name : id, "jobs", jobs);
        if (entry && json_array_size(roles))
            json_object_set(entry, "roles", (json_t *)roles);
        else if (entry)
            json_object_set_new(entry, "role", json_string(role));
        const json_t *caps = json_object_get(fw, "capabilities");
        if (entry && json_array_size(caps))
            json_object_set(entry, "capabilities", (json_t *)caps);
        if (!entry || json_array_append_new(fws, entry) != 0) {
            json_decref(fws);
            return fail(c, "out of memory");
        }
    }
    return write_doc(c, dir, "workload.json",
                     json_pack("{s:s, s:s, s:o}", "description",
                               "The master's agents and the tasks its frameworks run, each held "
                               "forever: its current demand (hdrf-sim --from-master).",
                               "duration", "10mins", "frameworks", fws));
}

/* "role=cpus:1;mem:2,..." from each role's quota part `what` */
static void put_quota(sbuf *b, const json_t *roles, const char *what)
{
    size_t i;
    const json_t *r;
    json_array_foreach(roles, i, r)
    {
        const json_t *q = json_object_get(json_object_get(r, "quota"), what);
        if (!json_object_size(q))
            continue;
        sbuf_printf(b, "%s%s=", b->len ? "," : "", json_string_value(json_object_get(r, "role")));
        sbuf amounts = SBUF_INIT;
        put_resources(&amounts, q, NULL, true);
        sbuf_puts(b, amounts.data ? amounts.data : "");
        b->failed |= amounts.failed;
        sbuf_discard(&amounts);
    }
}

static json_t *param(const char *key, const char *value)
{
    return json_pack("{s:s, s:s}", "key", key, "value", value);
}

static int modules(conv *c, const json_t *hs, const char *dir)
{
    json_t *params = json_array();
    sbuf weights = SBUF_INIT, guarantees = SBUF_INIT, limits = SBUF_INIT;
    const char *rs = json_string_value(json_object_get(hs, "role_sorter"));
    const char *fs = json_string_value(json_object_get(hs, "framework_sorter"));
    const json_t *roles = json_object_get(hs, "roles");
    size_t i;
    const json_t *r;
    json_array_foreach(roles, i, r)
    {
        double w = json_number_value(json_object_get(r, "weight"));
        if (w > 0 && w != 1)
            sbuf_printf(&weights, "%s%s=%.17g", weights.len ? "," : "",
                        json_string_value(json_object_get(r, "role")), w);
    }
    put_quota(&guarantees, roles, "guarantees");
    put_quota(&limits, roles, "limits");
    if (rs)
        json_array_append_new(params, param("role_sorter", rs));
    if (fs)
        json_array_append_new(params, param("framework_sorter", fs));
    if (weights.len)
        json_array_append_new(params, param("weights", weights.data));
    if (guarantees.len)
        json_array_append_new(params, param("quota_guarantees", guarantees.data));
    if (limits.len)
        json_array_append_new(params, param("quota_limits", limits.data));
    bool failed = weights.failed || guarantees.failed || limits.failed;
    sbuf_discard(&weights);
    sbuf_discard(&guarantees);
    sbuf_discard(&limits);
    if (failed) {
        json_decref(params);
        return fail(c, "out of memory");
    }
    return write_doc(c, dir, "modules.json",
                     json_pack("{s:[{s:s, s:[{s:s, s:o}]}]}", "libraries", "file",
                               "/usr/local/lib/libhdrf-mesos.so", "modules", "name",
                               "io_hdrf_HierarchicalAllocator", "parameters", params));
}

int sim_from_master(const char *state_path, const char *hdrf_state_path, const char *dir, char *why,
                    size_t whylen)
{
    conv c = {state_path, why, whylen};
    json_t *state = load(&c, state_path), *hs = NULL;
    int rc = state ? 0 : -1;
    if (rc == 0)
        rc = cluster(&c, state, dir);
    if (rc == 0)
        rc = workload(&c, state, dir);
    if (rc == 0 && hdrf_state_path) {
        c.file = hdrf_state_path;
        if (!(hs = load(&c, hdrf_state_path)))
            rc = -1;
    }
    if (rc == 0)
        rc = modules(&c, hs, dir);
    if (rc != 0)
        line_escape(why, whylen);
    json_decref(state);
    json_decref(hs);
    return rc;
}
