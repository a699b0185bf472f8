/* workload.c: reading frameworks and jobs (see workload.h).
 *
 * A job is an application definition of the companion scheduler (app.h)
 * plus the simulator's own fields (how many tasks arrive, when, for how
 * long they run). The simulator's fields are read here and removed from a
 * copy of the object, which then goes to app_parse(), so that an app in a
 * workload is exactly what the scheduler would read, with its messages.
 * On failure everything built is freed by sim_workload_free(), which takes
 * a half-built workload. */
#include "sim/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- durations ------------------------------------------------------------------------------- */

int workload_read_dist(jread *r, const json_t *v, sim_dist *d)
{
    static const char *const keys[] = {"distribution", "mean", "shape", "min", "max", NULL};
    static const char *const kinds[] = {"fixed", "exponential", "pareto", "uniform"};
    const char *kind = NULL;
    memset(d, 0, sizeof *d);
    if (json_is_string(v) && strcmp(json_string_value(v), "forever") == 0) {
        d->kind = DIST_FOREVER;
        return HDRF_OK;
    }
    if (!json_is_object(v)) {
        d->kind = DIST_FIXED;
        return jr_duration_value(r, v, &d->mean);
    }
    int rc = jr_object(r, v, keys, JR_UNKNOWN_LISTED);
    if (rc == HDRF_OK)
        rc = jr_string(r, v, "distribution", true, &kind);
    if (rc != HDRF_OK)
        return rc;
    size_t k = 0;
    while (k < 4 && strcmp(kinds[k], kind) != 0)
        k++;
    if (k == 4) {
        jpath_field(&r->path, "distribution");
        return jr_fail(r, json_object_get(v, "distribution"),
                       "expected fixed, exponential, pareto or uniform");
    }
    d->kind = (sim_dist_kind)k;
    d->shape = 1.5;
    if ((rc = jr_duration(r, v, "mean", &d->mean)) != HDRF_OK ||
        (rc = jr_duration(r, v, "min", &d->min)) != HDRF_OK ||
        (rc = jr_duration(r, v, "max", &d->max)) != HDRF_OK ||
        (rc = jr_number(r, v, "shape", 1.01, 100, &d->shape)) != HDRF_OK)
        return rc;
    if (d->kind == DIST_UNIFORM && !(d->max > d->min))
        return jpath_field(&r->path, "max"),
               jr_fail(r, json_object_get(v, "max"), "a uniform distribution needs max > min");
    if (d->kind != DIST_UNIFORM && d->mean <= 0)
        return jpath_field(&r->path, "mean"),
               jr_fail(r, json_object_get(v, "mean"), "expected a positive mean duration");
    return HDRF_OK;
}

/* ---- arrivals -------------------------------------------------------------------------------- */

static int read_arrivals(jread *r, const json_t *job, sim_arrivals *a)
{
    static const char *const processes[] = {"fixed", "poisson", "bursty"};
    const char *process = "fixed";
    const json_t *repeat = json_object_get(job, "repeat");
    int rc;
    memset(a, 0, sizeof *a);
    a->repeat = 1;
    if ((rc = jr_duration(r, job, "arrival", &a->first)) != HDRF_OK ||
        (rc = jr_duration(r, job, "every", &a->every)) != HDRF_OK ||
        (rc = jr_string(r, job, "process", false, &process)) != HDRF_OK)
        return rc;
    size_t k = 0;
    while (k < 3 && strcmp(processes[k], process) != 0)
        k++;
    if (k == 3)
        return jpath_field(&r->path, "process"),
               jr_fail(r, json_object_get(job, "process"), "expected fixed, poisson or bursty");
    a->process = (sim_process)k;
    if (json_is_string(repeat) && strcmp(json_string_value(repeat), "forever") == 0)
        a->repeat = 0;
    else if (repeat && (rc = jr_long(r, job, "repeat", 1, 1000000000, &a->repeat)) != HDRF_OK)
        return jr_fail(r, repeat, "expected an integer from 1 to 1000000000, or \"forever\"");
    if (a->repeat != 1 && a->every <= 0)
        return jpath_field(&r->path, "every"),
               jr_fail(r, json_object_get(job, "every"),
                       "a job that arrives more than once needs a positive interval");
    if (a->process == ARRIVE_BURSTY) {
        static const char *const keys[] = {"on", "off", NULL};
        const json_t *burst = json_object_get(job, "burst");
        size_t mark = jpath_field(&r->path, "burst");
        if (!burst)
            return jr_fail(r, NULL, "missing: bursty arrivals need {\"on\": ..., \"off\": ...}");
        if ((rc = jr_object(r, burst, keys, JR_UNKNOWN_LISTED)) != HDRF_OK ||
            (rc = jr_duration(r, burst, "on", &a->on)) != HDRF_OK ||
            (rc = jr_duration(r, burst, "off", &a->off)) != HDRF_OK)
            return rc;
        if (a->on <= 0)
            return jr_fail(r, burst, "the on window must be positive");
        jpath_restore(&r->path, mark);
    }
    return HDRF_OK;
}

/* ---- jobs ------------------------------------------------------------------------------------ */

static const char *const sim_keys[] = {"instances", "duration", "arrival", "every",
                                       "repeat",    "process",  "burst",   NULL};

static int read_instances(jread *r, const json_t *job, sim_job *out)
{
    const json_t *v = json_object_get(job, "instances");
    size_t mark = jpath_field(&r->path, "instances");
    out->instances_min = out->instances_max = 1;
    if (json_is_integer(v) && json_integer_value(v) >= 1 &&
        json_integer_value(v) <= APP_MAX_INSTANCES) {
        out->instances_min = out->instances_max = (long)json_integer_value(v);
    } else if (json_is_array(v) && json_array_size(v) == 2 &&
               json_is_integer(json_array_get(v, 0)) && json_is_integer(json_array_get(v, 1)) &&
               json_integer_value(json_array_get(v, 0)) >= 1 &&
               json_integer_value(json_array_get(v, 1)) >=
                   json_integer_value(json_array_get(v, 0)) &&
               json_integer_value(json_array_get(v, 1)) <= APP_MAX_INSTANCES) {
        out->instances_min = (long)json_integer_value(json_array_get(v, 0));
        out->instances_max = (long)json_integer_value(json_array_get(v, 1));
    } else if (v) {
        return jr_fail(r, v, "expected tasks per arrival: an integer from 1 to %d, or [min, max]",
                       APP_MAX_INSTANCES);
    }
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

/* The object app_parse() reads: the job without the simulator's fields,
 * with a command when it has none (simulated tasks run nothing). */
static json_t *app_object(const json_t *job)
{
    json_t *copy = json_copy((json_t *)job);
    if (!copy)
        return NULL;
    for (const char *const *k = sim_keys; *k; k++)
        json_object_del(copy, *k);
    if (!json_object_get(copy, "command") && !json_object_get(copy, "args") &&
        !json_object_get(copy, "containers") &&
        json_object_set_new(copy, "command", json_string("sleep")) != 0) {
        json_decref(copy);
        return NULL;
    }
    return copy;
}

int workload_read_job(jread *r, const json_t *job, const sim_framework *fw, sim_job *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(job))
        return jr_fail(r, job, "expected a job object");
    int rc = read_instances(r, job, out);
    if (rc == HDRF_OK) {
        size_t mark = jpath_field(&r->path, "duration");
        const json_t *d = json_object_get(job, "duration");
        if (!d)
            return jr_fail(r, NULL,
                           "missing: how long each task runs (e.g. \"60secs\" or "
                           "\"forever\")");
        if ((rc = workload_read_dist(r, d, &out->duration)) != HDRF_OK)
            return rc;
        jpath_restore(&r->path, mark);
        rc = read_arrivals(r, job, &out->arrivals);
    }
    if (rc != HDRF_OK)
        return rc;
    json_t *obj = app_object(job);
    if (!obj)
        return jr_no_memory(r);
    rc = app_parse(obj, jpath_str(&r->path), &out->app, r->err);
    json_decref(obj);
    if (rc != HDRF_OK)
        return rc;
    out->role = out->app.role ? out->app.role : fw->roles[0];
    for (size_t i = 0; i < fw->nroles; i++)
        if (strcmp(fw->roles[i], out->role) == 0)
            return HDRF_OK;
    app_free(&out->app); /* not yet counted in the framework's jobs */
    jpath_field(&r->path, "role");
    return jr_fail(r, json_object_get(job, "role"), "not one of the framework's roles");
}

/* ---- frameworks ------------------------------------------------------------------------------ */

void workload_framework_free(sim_framework *fw)
{
    free(fw->id);
    free(fw->name);
    for (size_t i = 0; i < fw->nroles; i++)
        free(fw->roles[i]);
    free(fw->roles);
    hdrf_quantities_free_all(fw->minimum, fw->nminimum);
    for (size_t i = 0; i < fw->njobs; i++)
        app_free(&fw->jobs[i].app);
    free(fw->jobs);
}

void sim_workload_free(sim_workload *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nframeworks; i++)
        workload_framework_free(&w->frameworks[i]);
    free(w->frameworks);
    free(w->description);
    free(w);
}

static int read_capabilities(jread *r, const json_t *fwj, sim_framework *fw)
{
    static const struct {
        const char *name;
        unsigned bit;
    } caps[] = {{"REVOCABLE_RESOURCES", HDRF_FRAMEWORK_REVOCABLE_RESOURCES},
                {"GPU_RESOURCES", HDRF_FRAMEWORK_GPU_RESOURCES},
                {"SHARED_RESOURCES", HDRF_FRAMEWORK_SHARED_RESOURCES},
                {"MULTI_ROLE", HDRF_FRAMEWORK_MULTI_ROLE},
                {"RESERVATION_REFINEMENT", HDRF_FRAMEWORK_RESERVATION_REFINEMENT},
                {"REGION_AWARE", HDRF_FRAMEWORK_REGION_AWARE}};
    const json_t *v = json_object_get(fwj, "capabilities");
    size_t mark = jpath_field(&r->path, "capabilities");
    /* The companion scheduler is a v1 framework and always MULTI_ROLE. */
    fw->capabilities = HDRF_FRAMEWORK_MULTI_ROLE;
    if (v && !json_is_array(v))
        return jr_fail(r, v, "expected an array of capability names");
    for (size_t i = 0; v && i < json_array_size(v); i++) {
        const json_t *c = json_array_get(v, i);
        size_t k = 0, n = sizeof caps / sizeof *caps;
        while (json_is_string(c) && k < n && strcmp(caps[k].name, json_string_value(c)) != 0)
            k++;
        if (!json_is_string(c) || k == n) {
            jpath_index(&r->path, i);
            return jr_fail(r, c,
                           "expected one of REVOCABLE_RESOURCES, GPU_RESOURCES, "
                           "SHARED_RESOURCES, MULTI_ROLE, RESERVATION_REFINEMENT, "
                           "REGION_AWARE");
        }
        fw->capabilities |= caps[k].bit;
    }
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

static int add_role(jread *r, sim_framework *fw, const json_t *v)
{
    const char *why = json_is_string(v) ? hdrf_role_invalid(json_string_value(v)) : "";
    if (!json_is_string(v) || why)
        return jr_fail(r, v, "expected a role name%s%s", why && *why ? ": " : "", why ? why : "");
    for (size_t i = 0; i < fw->nroles; i++)
        if (strcmp(fw->roles[i], json_string_value(v)) == 0)
            return jr_fail(r, v, "role given twice");
    if (!(fw->roles[fw->nroles] = strdup(json_string_value(v))))
        return jr_no_memory(r);
    fw->nroles++;
    return HDRF_OK;
}

static int read_roles(jread *r, const json_t *fwj, sim_framework *fw)
{
    const json_t *roles = json_object_get(fwj, "roles"), *role = json_object_get(fwj, "role");
    size_t mark = jpath_field(&r->path, roles ? "roles" : "role");
    if ((roles && role) || (!roles && !role))
        return jr_fail(r, NULL, "give either role (one) or roles (an array)");
    if (roles && (!json_is_array(roles) || json_array_size(roles) == 0))
        return jr_fail(r, roles, "expected a non-empty array of role names");
    size_t n = roles ? json_array_size(roles) : 1;
    if (!(fw->roles = calloc(n, sizeof *fw->roles)))
        return jr_no_memory(r);
    for (size_t i = 0; i < n; i++) {
        size_t imark = roles ? jpath_index(&r->path, i) : strlen(r->path.text);
        int rc = add_role(r, fw, roles ? json_array_get(roles, i) : role);
        if (rc != HDRF_OK)
            return rc;
        jpath_restore(&r->path, imark);
    }
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

/* "min_allocatable_resources": Mesos's alternatives form, as the master's
 * flag of that name writes it. */
static int read_minimum(jread *r, const json_t *fwj, sim_framework *fw)
{
    const char *text = NULL;
    int rc = jr_string(r, fwj, "min_allocatable_resources", false, &text);
    if (rc != HDRF_OK || !text)
        return rc;
    hdrf_error e;
    const json_t *v = json_object_get(fwj, "min_allocatable_resources");
    size_t mark = jpath_field(&r->path, "min_allocatable_resources");
    rc = hdrf_quantities_parse_alternatives(text, &fw->minimum, &fw->nminimum, &e);
    if (rc == HDRF_EINVAL)
        rc = jr_fail(r, v,
                     "%s; expected name:amount lists separated by '|', e.g. "
                     "\"cpus:2;mem:1024|gpus:1\"",
                     e.text);
    else if (rc != HDRF_OK)
        rc = jr_no_memory(r);
    jpath_restore(&r->path, mark);
    return rc;
}

static int read_framework(jread *r, const json_t *fwj, sim_framework *fw)
{
    static const char *const keys[] = {"id",
                                       "name",
                                       "role",
                                       "roles",
                                       "capabilities",
                                       "refuse_seconds",
                                       "max_tasks_per_offer",
                                       "suppress_when_idle",
                                       "min_allocatable_resources",
                                       "jobs",
                                       NULL};
    const char *id = NULL, *name = NULL;
    int rc = jr_object(r, fwj, keys, JR_UNKNOWN_LISTED);
    if (rc == HDRF_OK)
        rc = jr_string(r, fwj, "id", true, &id);
    if (rc == HDRF_OK)
        rc = jr_string(r, fwj, "name", false, &name);
    if (rc == HDRF_OK && (!(fw->id = strdup(id)) || !(fw->name = strdup(name ? name : id))))
        rc = jr_no_memory(r);
    fw->refuse_seconds = 5.0;
    fw->suppress_idle = true;
    if (rc == HDRF_OK)
        rc = read_roles(r, fwj, fw);
    if (rc == HDRF_OK)
        rc = read_capabilities(r, fwj, fw);
    if (rc == HDRF_OK)
        rc = jr_number(r, fwj, "refuse_seconds", 0, 31536000, &fw->refuse_seconds);
    if (rc == HDRF_OK)
        rc = jr_long(r, fwj, "max_tasks_per_offer", 0, 1000000, &fw->max_tasks_per_offer);
    if (rc == HDRF_OK)
        rc = jr_bool(r, fwj, "suppress_when_idle", &fw->suppress_idle);
    if (rc == HDRF_OK)
        rc = read_minimum(r, fwj, fw);
    if (rc != HDRF_OK)
        return rc;
    const json_t *jobs = json_object_get(fwj, "jobs");
    size_t mark = jpath_field(&r->path, "jobs");
    if (!json_is_array(jobs))
        return jr_fail(r, jobs, "expected an array of jobs");
    if (!(fw->jobs = calloc(json_array_size(jobs) + 1, sizeof *fw->jobs)))
        return jr_no_memory(r);
    for (size_t i = 0; i < json_array_size(jobs); i++) {
        size_t jmark = jpath_index(&r->path, i);
        if ((rc = workload_read_job(r, json_array_get(jobs, i), fw, &fw->jobs[i])) != HDRF_OK)
            return rc;
        fw->njobs++;
        for (size_t k = 0; k < i; k++)
            if (strcmp(fw->jobs[k].app.id, fw->jobs[i].app.id) == 0) {
                jpath_field(&r->path, "id");
                return jr_fail(r, json_object_get(json_array_get(jobs, i), "id"),
                               "job id given twice in this framework");
            }
        jpath_restore(&r->path, jmark);
    }
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

/* ---- the file -------------------------------------------------------------------------------- */

static int read_top(jread *r, const json_t *root, const uint64_t *override, sim_workload *w)
{
    static const char *const keys[] = {"description", "duration",  "seed", "sample_interval",
                                       "frameworks",  "generator", NULL};
    long seed = 1;
    const char *description = NULL;
    int rc = jr_object(r, root, keys, JR_UNKNOWN_LISTED);
    w->duration = 600 * HDRF_SECOND;
    if (rc == HDRF_OK)
        rc = jr_string(r, root, "description", false, &description);
    if (rc == HDRF_OK && description && !(w->description = strdup(description)))
        rc = jr_no_memory(r);
    if (rc == HDRF_OK)
        rc = jr_duration(r, root, "duration", &w->duration);
    if (rc == HDRF_OK)
        rc = jr_duration(r, root, "sample_interval", &w->sample);
    if (rc == HDRF_OK)
        rc = jr_long(r, root, "seed", 0, 2147483647L, &seed);
    w->seed = override ? *override : (uint64_t)seed;
    if (rc == HDRF_OK && w->duration <= 0) {
        jpath_field(&r->path, "duration");
        rc = jr_fail(r, json_object_get(root, "duration"), "expected a positive duration");
    }
    return rc;
}

static int read_frameworks(jread *r, const json_t *root, sim_workload *w)
{
    const json_t *fws = json_object_get(root, "frameworks");
    const json_t *gen = json_object_get(root, "generator");
    size_t listed = json_is_array(fws) ? json_array_size(fws) : 0;
    size_t generated = gen ? workload_generated_count(gen) : 0;
    size_t mark = jpath_field(&r->path, "frameworks");
    if (fws && !json_is_array(fws))
        return jr_fail(r, fws, "expected an array of frameworks");
    if (!fws && !gen)
        return jr_fail(r, NULL, "missing: give frameworks, a generator, or both");
    if (!(w->frameworks = calloc(listed + generated + 1, sizeof *w->frameworks)))
        return jr_no_memory(r);
    for (size_t i = 0; i < listed; i++) {
        size_t imark = jpath_index(&r->path, i);
        w->nframeworks++;
        int rc = read_framework(r, json_array_get(fws, i), &w->frameworks[i]);
        if (rc != HDRF_OK)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(w->frameworks[k].id, w->frameworks[i].id) == 0) {
                jpath_field(&r->path, "id");
                return jr_fail(r, json_object_get(json_array_get(fws, i), "id"),
                               "framework id given twice");
            }
        jpath_restore(&r->path, imark);
    }
    jpath_restore(&r->path, mark);
    if (gen) {
        mark = jpath_field(&r->path, "generator");
        int rc = workload_generate(r, gen, w, generated);
        if (rc != HDRF_OK)
            return rc;
        jpath_restore(&r->path, mark);
    }
    return HDRF_OK;
}

sim_workload *sim_workload_load(const char *path, const uint64_t *seed, char *why, size_t whylen)
{
    sched_error err = {HDRF_OK, ""};
    jread r;
    json_t *root = jr_load(path, why, whylen);
    sim_workload *w = NULL;
    if (!root)
        return NULL;
    jr_init(&r, &err, NULL);
    int rc = (w = calloc(1, sizeof *w)) ? HDRF_OK : jr_no_memory(&r);
    if (rc == HDRF_OK)
        rc = read_top(&r, root, seed, w);
    if (rc == HDRF_OK)
        rc = read_frameworks(&r, root, w);
    json_decref(root);
    if (rc != HDRF_OK) {
        jr_message(path, &err, why, whylen);
        sim_workload_free(w);
        return NULL;
    }
    return w;
}
