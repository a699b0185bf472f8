/* workload_gen.c: a seeded workload generator (see workload.h).
 *
 *   "generator": {
 *     "frameworks": 50,                    how many (ids gen-01, gen-02, ...)
 *     "roles": ["eng/web", "ads"],         given to frameworks in turn
 *     "jobs_per_framework": 2,             default 2
 *     "task_sizes": ["cpus:1;mem:1024"],   each job picks one (default this one)
 *     "instances": [1, 10],                tasks per arrival (default [1, 10])
 *     "pattern": "steady" | "bursty",      Poisson arrivals, or in on/off bursts
 *     "every": "60secs",                   mean time between a job's arrivals
 *     "burst": {"on": "2mins", "off": "8mins"},
 *     "duration": {"distribution": "pareto", "mean": "5mins", "shape": 1.5},
 *     "refuse_seconds": 5, "max_tasks_per_offer": 0, "suppress_when_idle": true}
 *
 * Each generated job is written as the JSON a person would have written
 * and read by workload_read_job(), so generated and hand-written workloads
 * obey the same rules. Choices come from the workload's seed only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/workload.h"

#define MAX_GENERATED 10000

size_t workload_generated_count(const json_t *gen)
{
    const json_t *n = json_object_get(gen, "frameworks");
    return json_is_integer(n) && json_integer_value(n) >= 1 &&
                   json_integer_value(n) <= MAX_GENERATED
               ? (size_t)json_integer_value(n)
               : 0;
}

typedef struct gen_spec {
    const json_t *roles, *sizes, *instances, *burst, *duration, *every;
    const char *pattern;
    long jobs;
    double refuse_seconds;
    long max_tasks;
    bool suppress;
} gen_spec;

static int read_spec(jread *r, const json_t *gen, gen_spec *s)
{
    static const char *const keys[] = {"frameworks",
                                       "roles",
                                       "jobs_per_framework",
                                       "task_sizes",
                                       "instances",
                                       "pattern",
                                       "every",
                                       "burst",
                                       "duration",
                                       "refuse_seconds",
                                       "max_tasks_per_offer",
                                       "suppress_when_idle",
                                       NULL};
    long frameworks = 0;
    int rc = jr_object(r, gen, keys, JR_UNKNOWN_LISTED);
    s->jobs = 2;
    s->pattern = "steady";
    s->refuse_seconds = 5;
    s->max_tasks = 0;
    s->suppress = true;
    if (rc == HDRF_OK)
        rc = jr_long(r, gen, "frameworks", 1, MAX_GENERATED, &frameworks);
    if (rc == HDRF_OK && frameworks == 0)
        return jpath_field(&r->path, "frameworks"),
               jr_fail(r, NULL, "missing: how many frameworks to generate");
    if (rc == HDRF_OK)
        rc = jr_long(r, gen, "jobs_per_framework", 1, 1000, &s->jobs);
    if (rc == HDRF_OK)
        rc = jr_string(r, gen, "pattern", false, &s->pattern);
    if (rc == HDRF_OK)
        rc = jr_number(r, gen, "refuse_seconds", 0, 31536000, &s->refuse_seconds);
    if (rc == HDRF_OK)
        rc = jr_long(r, gen, "max_tasks_per_offer", 0, 1000000, &s->max_tasks);
    if (rc == HDRF_OK)
        rc = jr_bool(r, gen, "suppress_when_idle", &s->suppress);
    if (rc != HDRF_OK)
        return rc;
    if (strcmp(s->pattern, "steady") != 0 && strcmp(s->pattern, "bursty") != 0)
        return jpath_field(&r->path, "pattern"),
               jr_fail(r, json_object_get(gen, "pattern"), "expected steady or bursty");
    s->roles = json_object_get(gen, "roles");
    if (!json_is_array(s->roles) || json_array_size(s->roles) == 0)
        return jpath_field(&r->path, "roles"),
               jr_fail(r, s->roles, "expected a non-empty array of role names");
    s->sizes = json_object_get(gen, "task_sizes");
    if (s->sizes && (!json_is_array(s->sizes) || json_array_size(s->sizes) == 0))
        return jpath_field(&r->path, "task_sizes"),
               jr_fail(r, s->sizes, "expected a non-empty array of resources");
    /* Each size is read here, so that an error names its place in the
     * list rather than the job it would have become. */
    size_t mark = jpath_field(&r->path, "task_sizes");
    for (size_t i = 0; s->sizes && i < json_array_size(s->sizes); i++) {
        hdrf_resources *size = NULL;
        size_t imark = jpath_index(&r->path, i);
        rc = jr_resources_value(r, json_array_get(s->sizes, i), &size);
        hdrf_resources_free(size);
        if (rc != HDRF_OK)
            return rc;
        jpath_restore(&r->path, imark);
    }
    jpath_restore(&r->path, mark);
    s->instances = json_object_get(gen, "instances");
    s->burst = json_object_get(gen, "burst");
    s->duration = json_object_get(gen, "duration");
    s->every = json_object_get(gen, "every");
    return HDRF_OK;
}

/* The JSON of generated job `j` of a framework. */
static json_t *job_json(const gen_spec *s, rng *g, long j)
{
    char id[32];
    snprintf(id, sizeof id, "job-%ld", j + 1);
    long pick = s->sizes ? rng_range(g, 0, (long)json_array_size(s->sizes) - 1) : 0;
    json_t *size = s->sizes ? json_incref(json_array_get(s->sizes, (size_t)pick))
                            : json_string("cpus:1;mem:1024");
    json_t *job =
        json_pack("{s:s, s:o, s:s, s:s}", "id", id, "resources", size, "repeat", "forever",
                  "process", strcmp(s->pattern, "bursty") == 0 ? "bursty" : "poisson");
    if (!job)
        return NULL;
    json_t *instances =
        s->instances ? json_incref((json_t *)s->instances) : json_pack("[ii]", 1, 10);
    json_t *duration =
        s->duration ? json_incref((json_t *)s->duration)
                    : json_pack("{s:s, s:s}", "distribution", "exponential", "mean", "5mins");
    json_t *every = s->every ? json_incref((json_t *)s->every) : json_string("60secs");
    int bad = json_object_set_new(job, "instances", instances) ||
              json_object_set_new(job, "duration", duration) ||
              json_object_set_new(job, "every", every);
    if (!bad && s->burst)
        bad = json_object_set(job, "burst", (json_t *)s->burst);
    if (bad) {
        json_decref(job);
        return NULL;
    }
    return job;
}

/* Spreads the first arrivals of the generated jobs over one interval, so
 * that they do not all come at time 0. */
static void spread_first(sim_job *job, rng *g)
{
    if (job->arrivals.every > 0)
        job->arrivals.first = (hdrf_time)(rng_unit(g) * (double)job->arrivals.every);
}

static int generate_one(jread *r, const gen_spec *s, size_t i, rng *g, sim_framework *fw)
{
    char id[32];
    snprintf(id, sizeof id, "gen-%02zu", i + 1);
    const json_t *role = json_array_get(s->roles, i % json_array_size(s->roles));
    const char *why = json_is_string(role) ? hdrf_role_invalid(json_string_value(role)) : "";
    if (why) {
        jpath_item(&r->path, "roles", i % json_array_size(s->roles));
        return jr_fail(r, role, "expected a role name%s%s", *why ? ": " : "", why);
    }
    if (!(fw->id = strdup(id)) || !(fw->name = strdup(id)) ||
        !(fw->roles = calloc(1, sizeof *fw->roles)) ||
        !(fw->roles[0] = strdup(json_string_value(role))) ||
        !(fw->jobs = calloc((size_t)s->jobs, sizeof *fw->jobs)))
        return jr_no_memory(r);
    fw->nroles = 1;
    fw->capabilities = HDRF_FRAMEWORK_MULTI_ROLE;
    fw->refuse_seconds = s->refuse_seconds;
    fw->max_tasks_per_offer = s->max_tasks;
    fw->suppress_idle = s->suppress;
    for (long j = 0; j < s->jobs; j++) {
        json_t *job = job_json(s, g, j);
        if (!job)
            return jr_no_memory(r);
        int rc = workload_read_job(r, job, fw, &fw->jobs[j]);
        json_decref(job);
        if (rc != HDRF_OK)
            return rc;
        fw->njobs++;
        spread_first(&fw->jobs[j], g);
    }
    return HDRF_OK;
}

int workload_generate(jread *r, const json_t *gen, sim_workload *w, size_t room)
{
    gen_spec s;
    int rc = read_spec(r, gen, &s);
    rng g = rng_seeded(w->seed, UINT64_C(0x67656e)); /* the generator's own stream */
    for (size_t i = 0; rc == HDRF_OK && i < room; i++) {
        sim_framework *fw = &w->frameworks[w->nframeworks++];
        rc = generate_one(r, &s, i, &g, fw);
        for (size_t k = 0; rc == HDRF_OK && k + 1 < w->nframeworks; k++)
            if (strcmp(w->frameworks[k].id, fw->id) == 0)
                rc = jr_fail(r, NULL, "generated framework id %s is also listed in frameworks",
                             fw->id);
    }
    return rc;
}
