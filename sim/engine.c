/* engine.c: setting up a simulation, its event loop and its samples (see
 * engine.h; what frameworks do is in frameworks.c).
 *
 * Setup turns the inputs into the engine's flat arrays: resources (the
 * cluster's scalar names), roles (every role a framework uses, with its
 * ancestors), agents (groups expanded), frameworks and jobs, then creates
 * the allocator from the parameters and tells it about agents and
 * frameworks, as a master would on start. The loop then runs instants
 * until the duration; samples are taken between instants, where the state
 * is constant. Every failure path goes through engine_fail() and ends in
 * engine_free(), which takes a half-built engine. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/line.h"
#include "sim/engine_internal.h"

int engine_fail(engine *e, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line_vformat(e->why, sizeof e->why, fmt, ap);
    va_end(ap);
    e->failed = status;
    return status;
}

static int no_memory(engine *e) { return engine_fail(e, HDRF_ENOMEM, "out of memory"); }

void engine_log(engine *e, hdrf_log_level level, const char *fmt, ...)
{
    if (!e->in->log || level > e->level)
        return;
    va_list ap;
    fprintf(e->in->log, "%.3f ", (double)e->now / (double)HDRF_SECOND);
    va_start(ap, fmt);
    vfprintf(e->in->log, fmt, ap);
    va_end(ap);
    fputc('\n', e->in->log);
}

int engine_push(engine *e, hdrf_time t, int kind, size_t id)
{
    return eventq_push(&e->q, t, kind, id) == HDRF_OK ? HDRF_OK : no_memory(e);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- lookups ----------------------------------------------------------------------------- */

static const engine *sort_engine; /* qsort has no argument; setup is single-threaded */

static int agent_cmp(const void *x, const void *y)
{
    return strcmp(sort_engine->agents[*(const size_t *)x].id,
                  sort_engine->agents[*(const size_t *)y].id);
}

static int fw_cmp(const void *x, const void *y)
{
    return strcmp(sort_engine->fws[*(const size_t *)x].def->id,
                  sort_engine->fws[*(const size_t *)y].def->id);
}

size_t engine_agent(const engine *e, const char *id)
{
    size_t lo = 0, hi = e->nagents;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(e->agents[e->agents_by_id[mid]].id, id);
        if (c == 0)
            return e->agents_by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return e->nagents;
}

size_t engine_framework(const engine *e, const char *id)
{
    size_t lo = 0, hi = e->nfws;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(e->fws[e->fws_by_id[mid]].def->id, id);
        if (c == 0)
            return e->fws_by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return e->nfws;
}

/* ---- counting ------------------------------------------------------------------------------ */

static int add_wait(sim_entity *s, int64_t wait)
{
    if (array_reserve((void **)&s->waits, &s->capwaits, s->nwaits + 1, sizeof *s->waits))
        return HDRF_ENOMEM;
    s->waits[s->nwaits++] = wait;
    s->launched++;
    return HDRF_OK;
}

int engine_count_launch(engine *e, const job_rt *j, int64_t wait)
{
    sim_entity *ents = e->res->entities;
    if (add_wait(&ents[e->fws[j->fw].ent], wait) != HDRF_OK)
        return no_memory(e);
    for (int r = (int)j->role_ent; r >= 0; r = ents[r].parent)
        if (add_wait(&ents[r], wait) != HDRF_OK)
            return no_memory(e);
    return HDRF_OK;
}

void engine_count_finish(engine *e, const job_rt *j)
{
    sim_entity *ents = e->res->entities;
    ents[e->fws[j->fw].ent].finished++;
    for (int r = (int)j->role_ent; r >= 0; r = ents[r].parent)
        ents[r].finished++;
}

void engine_hold(engine *e, const job_rt *j, const hdrf_resources *used, int sign)
{
    const sim_result *res = e->res;
    fw_rt *f = &e->fws[j->fw];
    for (size_t k = 0; k < res->nres; k++) {
        int64_t v = sign * hdrf_resources_scalar(used, res->res_names[k]);
        e->role_held[j->role_ent * res->nres + k] += v;
        f->held[k] += v;
        e->used[k] += v;
    }
    e->role_running[j->role_ent] += sign;
    f->running += sign;
}

/* ---- setup: resources and roles ------------------------------------------------------------ */

static bool excluded(const hdrf_allocator_options *o, const char *name)
{
    if (!o->fairness_excluded)
        return strcmp(name, "gpus") == 0;
    for (size_t i = 0; i < o->nfairness_excluded; i++)
        if (strcmp(o->fairness_excluded[i], name) == 0)
            return true;
    return false;
}

static int setup_resources(engine *e)
{
    sim_result *r = e->res;
    hdrf_resources *total = sim_cluster_total(e->in->cluster);
    hdrf_quantities *q = total ? hdrf_quantities_of_scalars(total) : NULL;
    int rc = q ? HDRF_OK : no_memory(e);
    size_t n = q ? hdrf_quantities_size(q) : 0;
    if (rc == HDRF_OK && (!(r->res_names = calloc(n + 1, sizeof *r->res_names)) ||
                          !(r->res_total = calloc(n + 1, sizeof *r->res_total)) ||
                          !(r->res_fair = calloc(n + 1, sizeof *r->res_fair))))
        rc = no_memory(e);
    for (size_t k = 0; rc == HDRF_OK && k < n; k++) {
        if (!(r->res_names[k] = strdup(hdrf_quantities_name(q, k)))) {
            rc = no_memory(e);
            break;
        }
        r->nres++;
        r->res_total[k] = hdrf_quantities_value(q, k);
        r->res_fair[k] = !excluded(hdrf_params_options(e->in->params), r->res_names[k]);
    }
    hdrf_quantities_free(q);
    hdrf_resources_free(total);
    return rc;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every role a framework subscribes to, and their ancestors, sorted. */
static int collect_roles(engine *e, char ***out, size_t *n)
{
    const sim_workload *w = e->in->workload;
    size_t cap = 0;
    for (size_t i = 0; i < w->nframeworks; i++)
        for (size_t r = 0; r < w->frameworks[i].nroles; r++)
            for (const char *p = w->frameworks[i].roles[r]; *p; p++)
                cap += *p == '/';
    for (size_t i = 0; i < w->nframeworks; i++)
        cap += w->frameworks[i].nroles;
    char **v = calloc(cap + 1, sizeof *v);
    if (!v)
        return no_memory(e);
    *out = v;
    for (size_t i = 0; i < w->nframeworks; i++)
        for (size_t r = 0; r < w->frameworks[i].nroles; r++) {
            const char *role = w->frameworks[i].roles[r];
            for (const char *p = role;; p++) {
                if (*p != '/' && *p != '\0')
                    continue;
                char *prefix = strndup(role, (size_t)(p - role));
                if (!prefix)
                    return no_memory(e);
                v[(*n)++] = prefix;
                if (!*p)
                    break;
            }
        }
    qsort(v, *n, sizeof *v, by_name);
    size_t u = 0;
    for (size_t i = 0; i < *n; i++) {
        if (u && strcmp(v[u - 1], v[i]) == 0)
            free(v[i]);
        else
            v[u++] = v[i];
    }
    *n = u;
    return HDRF_OK;
}

static int role_index(const sim_result *r, const char *name)
{
    for (size_t i = 0; i < r->nroles; i++)
        if (strcmp(r->entities[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The weighted fair share: what a role gets when every role with a
 * framework below it wants more than its share. Siblings that have
 * frameworks split their parent's share in proportion to their weights,
 * from the whole cluster at the top. A framework's is its role's, split
 * evenly among the role's frameworks. */
static void sim_fair(engine *e, const bool *in_use)
{
    sim_result *r = e->res;
    for (size_t i = 0; i < r->nroles; i++) {
        sim_entity *s = &r->entities[i];
        double parent = s->parent < 0 ? 1.0 : r->entities[s->parent].fair, sum = 0;
        if (!in_use[i])
            continue;
        for (size_t k = 0; k < r->nroles; k++)
            if (in_use[k] && r->entities[k].parent == s->parent)
                sum += r->entities[k].weight;
        s->fair = parent * s->weight / sum;
    }
}

static int setup_entities(engine *e)
{
    sim_result *r = e->res;
    const sim_workload *w = e->in->workload;
    char **roles = NULL;
    size_t nroles = 0;
    bool *in_use = NULL;
    long *per_role = NULL;
    int rc = collect_roles(e, &roles, &nroles);
    size_t nents = nroles + w->nframeworks + 1;
    if (rc == HDRF_OK && (!(r->entities = calloc(nents, sizeof *r->entities)) ||
                          !(in_use = calloc(nroles + 1, sizeof *in_use)) ||
                          !(per_role = calloc(nroles + 1, sizeof *per_role))))
        rc = no_memory(e);
    for (size_t i = 0; rc == HDRF_OK && i < nroles; i++) {
        sim_entity *s = &r->entities[i];
        s->name = roles[i];
        roles[i] = NULL;
        s->is_role = true;
        s->weight = hdrf_params_weight(e->in->params, s->name);
        const char *slash = strrchr(s->name, '/');
        s->parent = -1;
        for (const char *p = s->name; *p; p++)
            s->depth += *p == '/';
        r->nroles++;
        if (slash) {
            char *parent = strndup(s->name, (size_t)(slash - s->name));
            if (!parent) {
                rc = no_memory(e);
                break;
            }
            s->parent = role_index(r, parent); /* sorted: the parent came first */
            free(parent);
        }
    }
    for (size_t i = 0; rc == HDRF_OK && i < w->nframeworks; i++) {
        sim_entity *s = &r->entities[r->nroles + i];
        if (!(s->name = strdup(w->frameworks[i].id))) {
            rc = no_memory(e);
            break;
        }
        s->parent = -1;
        r->nframeworks++;
        for (size_t k = 0; k < w->frameworks[i].nroles; k++)
            for (int x = role_index(r, w->frameworks[i].roles[k]); x >= 0;
                 x = r->entities[x].parent)
                in_use[x] = true;
        per_role[role_index(r, w->frameworks[i].roles[0])]++;
    }
    r->nentities = r->nroles + r->nframeworks;
    if (rc == HDRF_OK) {
        sim_fair(e, in_use);
        for (size_t i = 0; i < w->nframeworks; i++) {
            int x = role_index(r, w->frameworks[i].roles[0]);
            r->entities[r->nroles + i].fair = r->entities[x].fair / (double)per_role[x];
        }
    }
    for (size_t i = 0; roles && i < nroles; i++)
        free(roles[i]);
    free(roles);
    free(in_use);
    free(per_role);
    return rc;
}

/* ---- setup: agents ------------------------------------------------------------------------- */

static int setup_agent(engine *e, const sim_agent_group *g, size_t gi, size_t k, agent_rt *ag)
{
    char id[256];
    if (g->count > 1)
        snprintf(id, sizeof id, "%s-%zu", g->hostname, k + 1);
    else
        snprintf(id, sizeof id, "%s", g->hostname);
    if (!(ag->id = strdup(id)) || !(ag->total = hdrf_resources_copy(g->resources)) ||
        !(ag->attrs = calloc(g->nattrs + 1, sizeof *ag->attrs)) ||
        !(ag->pattrs = calloc(g->nattrs + 1, sizeof *ag->pattrs)))
        return no_memory(e);
    for (size_t i = 0; i < g->nattrs; i++) {
        const char *value = g->attrs[i].values[k % g->attrs[i].nvalues];
        ag->attrs[i] = (hdrf_attribute){g->attrs[i].name, g->attrs[i].type, value};
        ag->pattrs[i] = (placement_attr){g->attrs[i].name, value};
    }
    ag->nattrs = g->nattrs;
    ag->region = g->region;
    ag->zone = g->nzones ? g->zones[k % g->nzones] : NULL;
    ag->pa = (placement_agent){ag->id, ag->id, ag->pattrs, ag->nattrs};
    hdrf_agent_info info = {ag->id,     ag->id,   ag->attrs,         ag->nattrs,
                            ag->region, ag->zone, HDRF_AGENT_DEFAULT};
    int rc = hdrf_allocator_add_agent(e->a, &info, ag->total, NULL, NULL, 0);
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "%s: agents[%zu]: %s", e->in->cluster_file, gi,
                           hdrf_allocator_errmsg(e->a));
    /* Dynamic reservations, as an operator's RESERVE on the new agent. */
    for (size_t i = 0; i < g->nreservations; i++) {
        const sim_reservation *s = &g->reservations[i];
        hdrf_resources *reserved = hdrf_resources_copy(s->resources);
        if (!reserved)
            return no_memory(e);
        rc = hdrf_resources_push_reservation(reserved, HDRF_RESERVATION_DYNAMIC, s->role,
                                             s->principal, NULL, 0);
        hdrf_operation op = {HDRF_OP_RESERVE, reserved, s->resources, 0};
        if (rc == HDRF_OK)
            rc = hdrf_allocator_update_available(e->a, ag->id, &op, 1);
        hdrf_resources_free(reserved);
        if (rc != HDRF_OK)
            return engine_fail(e, rc,
                               "%s: agents[%zu].reservations[%zu]: cannot reserve on agent "
                               "%s: %s",
                               e->in->cluster_file, gi, i, ag->id, hdrf_allocator_errmsg(e->a));
    }
    return HDRF_OK;
}

static int setup_agents(engine *e)
{
    const sim_cluster *c = e->in->cluster;
    if (!(e->agents = calloc(c->nagents + 1, sizeof *e->agents)) ||
        !(e->agents_by_id = calloc(c->nagents + 1, sizeof *e->agents_by_id)))
        return no_memory(e);
    for (size_t g = 0; g < c->ngroups; g++)
        for (size_t k = 0; k < c->groups[g].count; k++) {
            agent_rt *ag = &e->agents[e->nagents];
            e->agents_by_id[e->nagents] = e->nagents;
            e->nagents++;
            int rc = setup_agent(e, &c->groups[g], g, k, ag);
            if (rc != HDRF_OK)
                return rc;
        }
    sort_engine = e;
    qsort(e->agents_by_id, e->nagents, sizeof *e->agents_by_id, agent_cmp);
    for (size_t i = 1; i < e->nagents; i++)
        if (strcmp(e->agents[e->agents_by_id[i - 1]].id, e->agents[e->agents_by_id[i]].id) == 0)
            return engine_fail(e, HDRF_EINVAL, "%s: two agents are named %s", e->in->cluster_file,
                               e->agents[e->agents_by_id[i]].id);
    e->res->nagents = e->nagents;
    return HDRF_OK;
}

/* ---- setup: frameworks and jobs ------------------------------------------------------------ */

static int setup_framework(engine *e, size_t i)
{
    const sim_framework *d = &e->in->workload->frameworks[i];
    fw_rt *f = &e->fws[i];
    f->def = d;
    f->ent = e->res->nroles + i;
    f->dirty = true;
    if (!(f->role_ents = calloc(d->nroles, sizeof *f->role_ents)) ||
        !(f->suppressed = calloc(d->nroles, sizeof *f->suppressed)) ||
        !(f->pending = calloc(d->nroles, sizeof *f->pending)) ||
        !(f->load = calloc(e->nagents + 1, sizeof *f->load)) ||
        !(f->held = calloc(e->res->nres + 1, sizeof *f->held)))
        return no_memory(e);
    for (size_t r = 0; r < d->nroles; r++)
        f->role_ents[r] = (size_t)role_index(e->res, d->roles[r]);
    /* Its min_allocatable_resources, the same for each of its roles. */
    hdrf_role_minimum *minimums = NULL;
    if (d->minimum && !(minimums = calloc(d->nroles, sizeof *minimums)))
        return no_memory(e);
    for (size_t r = 0; minimums && r < d->nroles; r++)
        minimums[r] = (hdrf_role_minimum){d->roles[r], (const hdrf_quantities *const *)d->minimum,
                                          d->nminimum};
    hdrf_framework_info info = {.id = d->id,
                                .name = d->name,
                                .roles = (const char *const *)d->roles,
                                .nroles = d->nroles,
                                .capabilities = d->capabilities,
                                .minimums = minimums,
                                .nminimums = minimums ? d->nroles : 0};
    int rc = hdrf_allocator_add_framework(e->a, &info, NULL, 0, true);
    free(minimums);
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "framework %s: %s", d->id, hdrf_allocator_errmsg(e->a));
    return HDRF_OK;
}

static int setup_job(engine *e, size_t fw, const sim_job *def, size_t index)
{
    job_rt *j = &e->jobs[e->njobs++];
    const fw_rt *f = &e->fws[fw];
    j->def = def;
    j->fw = fw;
    while (strcmp(f->def->roles[j->role], def->role) != 0)
        j->role++;
    j->role_ent = f->role_ents[j->role];
    j->draw = rng_seeded(e->in->workload->seed, index + 1);
    if (!(j->need = hdrf_resources_copy(def->app.instance_resources)) ||
        hdrf_resources_allocate(j->need, NULL) != HDRF_OK ||
        hdrf_resources_flatten(j->need, NULL) != HDRF_OK)
        return no_memory(e);
    if (def->arrivals.first <= e->duration)
        return engine_push(e, def->arrivals.first, EV_ARRIVAL, e->njobs - 1);
    return HDRF_OK;
}

static int setup_frameworks(engine *e)
{
    const sim_workload *w = e->in->workload;
    size_t njobs = 0;
    for (size_t i = 0; i < w->nframeworks; i++)
        njobs += w->frameworks[i].njobs;
    if (!(e->fws = calloc(w->nframeworks + 1, sizeof *e->fws)) ||
        !(e->fws_by_id = calloc(w->nframeworks + 1, sizeof *e->fws_by_id)) ||
        !(e->jobs = calloc(njobs + 1, sizeof *e->jobs)))
        return no_memory(e);
    for (size_t i = 0; i < w->nframeworks; i++) {
        e->fws_by_id[i] = i;
        e->nfws++;
        int rc = setup_framework(e, i);
        if (rc != HDRF_OK)
            return rc;
    }
    sort_engine = e;
    qsort(e->fws_by_id, e->nfws, sizeof *e->fws_by_id, fw_cmp);
    for (size_t i = 0; i < w->nframeworks; i++)
        for (size_t k = 0; k < w->frameworks[i].njobs; k++) {
            int rc = setup_job(e, i, &w->frameworks[i].jobs[k], e->njobs);
            if (rc != HDRF_OK)
                return rc;
        }
    return HDRF_OK;
}

/* ---- setup: warnings -------------------------------------------------------------------- */

#define NAMED 5 /* agents or frameworks named in a warning; the rest counted */

static int add_warning(engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_warning(engine *e, const char *fmt, ...)
{
    sim_result *r = e->res;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    line_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    char **v = realloc(r->warnings, (r->nwarnings + 1) * sizeof *v);
    if (!v)
        return no_memory(e);
    r->warnings = v;
    if (!(v[r->nwarnings] = strdup(line)))
        return no_memory(e);
    r->nwarnings++;
    if (e->in->warn)
        fprintf(e->in->warn, "hdrf-sim%s%s: warning: %s\n", e->in->label ? " " : "",
                e->in->label ? e->in->label : "", line);
    return HDRF_OK;
}

/* Appends ", name" for the first NAMED of n, then " and N more". */
static void name_list(char *buf, size_t len, size_t i, size_t n, const char *name)
{
    size_t at = strlen(buf);
    if (i < NAMED)
        snprintf(buf + at, len - at, "%s%s", i ? ", " : "", name);
    else if (i == n - 1)
        snprintf(buf + at, len - at, " and %zu more", n - NAMED);
}

/* One kind of agent that the allocator offers only to frameworks with
 * `capability` (see offer_capable_agent in allocator/alloc_offer.c). */
typedef struct unofferable {
    bool (*applies)(const engine *, const agent_rt *);
    unsigned capability;
    const char *what;    /* what the agents have */
    const char *because; /* the rule */
    const char *fix;     /* what would open them */
} unofferable;

static bool gpu_rule(const engine *e, const agent_rt *ag)
{
    return hdrf_params_options(e->in->params)->filter_gpu_resources &&
           hdrf_resources_scalar(ag->total, "gpus") > 0;
}

static bool region_rule(const engine *e, const agent_rt *ag)
{
    const char *master = e->in->cluster->region;
    return master && ag->region && strcmp(master, ag->region) != 0;
}

static const unofferable rules[] = {
    {gpu_rule, HDRF_FRAMEWORK_GPU_RESOURCES, "GPUs",
     "filter_gpu_resources=true offers them only to GPU_RESOURCES frameworks",
     "the GPU_RESOURCES capability (filter_gpu_resources=false would also open those agents)"},
    {region_rule, HDRF_FRAMEWORK_REGION_AWARE, "a region other than the master's",
     "only REGION_AWARE frameworks are offered remote agents", "the REGION_AWARE capability"},
};

/* Resources that no framework may ever be offered: warned before the run. */
static int warn_unofferable(engine *e)
{
    for (size_t k = 0; k < sizeof rules / sizeof *rules; k++) {
        const unofferable *u = &rules[k];
        size_t n = 0;
        bool capable = false;
        for (size_t f = 0; f < e->nfws; f++)
            capable |= (e->fws[f].def->capabilities & u->capability) != 0;
        for (size_t i = 0; i < e->nagents; i++)
            n += u->applies(e, &e->agents[i]);
        if (capable || n == 0)
            continue;
        char agents[512] = "", fws[512] = "";
        for (size_t i = 0, x = 0; i < e->nagents; i++)
            if (u->applies(e, &e->agents[i]))
                name_list(agents, sizeof agents, x++, n, e->agents[i].id);
        for (size_t f = 0; f < e->nfws; f++)
            name_list(fws, sizeof fws, f, e->nfws, e->fws[f].def->id);
        int rc = add_warning(e, "%zu agent%s never offered to any framework (%s %s; %s): %s", n,
                             n == 1 ? " is" : "s are", n == 1 ? "it has" : "they have", u->what,
                             u->because, agents);
        if (rc == HDRF_OK)
            rc = add_warning(e, "none of the workload's frameworks (%zu) has %s: %s", e->nfws,
                             u->fix, fws);
        if (rc != HDRF_OK)
            return rc;
    }
    return HDRF_OK;
}

/* ---- setup: the allocator and the result ----------------------------------------------------- */

/* The parameters that differ from the defaults, as `key=value ...`. */
static char *config_line(const hdrf_params *p)
{
    size_t len = 1;
    for (size_t i = 0; i < hdrf_params_key_count(); i++)
        len += strlen(hdrf_params_key(i)) + strlen(hdrf_params_value(p, hdrf_params_key(i))) + 4;
    char *s = calloc(len, 1);
    for (size_t i = 0; s && i < hdrf_params_key_count(); i++) {
        const char *v = hdrf_params_value(p, hdrf_params_key(i));
        if (strcmp(v, hdrf_params_default(i)) != 0)
            sprintf(s + strlen(s), "%s%s=%s", *s ? " " : "", hdrf_params_key(i), v);
    }
    if (s && !*s)
        strcpy(s, "defaults");
    return s;
}

static hdrf_time choose_sample(const engine *e)
{
    hdrf_time interval = hdrf_params_options(e->in->params)->allocation_interval;
    hdrf_time s = e->in->sample ? e->in->sample : e->in->workload->sample;
    if (s > 0)
        return s;
    if (e->duration / interval <= 1000)
        return interval;
    return (e->duration / 1000 + interval - 1) / interval * interval;
}

static int setup(engine *e)
{
    const hdrf_params *p = e->in->params;
    hdrf_allocator_options o = *hdrf_params_options(p);
    hdrf_allocator_callbacks cb = {.offer = fw_offer_callback, .inverse_offer = NULL, .arg = e};
    hdrf_error err;
    sim_result *r = e->res;
    o.region = e->in->cluster->region;
    e->level = hdrf_params_log_level(p);
    e->explain = hdrf_params_explain(p);
    e->duration = e->in->duration ? e->in->duration : e->in->workload->duration;
    r->duration = e->duration;
    r->interval = o.allocation_interval;
    r->sample = choose_sample(e);
    if (!(r->config = config_line(p)) ||
        (e->in->workload->description && !(r->description = strdup(e->in->workload->description))))
        return no_memory(e);
    int rc = hdrf_allocator_new(&o, &cb, &e->a, &err);
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "allocator: %s", rc == HDRF_EINVAL ? err.text : "out of memory");
    if ((rc = hdrf_params_apply(p, e->a)) != HDRF_OK)
        return engine_fail(e, rc, "parameters: %s", hdrf_allocator_errmsg(e->a));
    if ((rc = setup_resources(e)) != HDRF_OK || (rc = setup_entities(e)) != HDRF_OK)
        return rc;
    size_t ns = (size_t)(e->duration / r->sample) + 1, ne = r->nentities, nk = r->nres;
    if (!(r->times = calloc(ns, sizeof *r->times)) ||
        !(r->share = calloc(ns * ne + 1, sizeof *r->share)) ||
        !(r->held = calloc(ns * ne * nk + 1, sizeof *r->held)) ||
        !(r->pending = calloc(ns * ne + 1, sizeof *r->pending)) ||
        !(r->running = calloc(ns * ne + 1, sizeof *r->running)) ||
        !(r->used = calloc(ns * nk + 1, sizeof *r->used)) ||
        !(e->role_held = calloc(r->nroles * nk + 1, sizeof *e->role_held)) ||
        !(e->role_pending = calloc(r->nroles + 1, sizeof *e->role_pending)) ||
        !(e->role_running = calloc(r->nroles + 1, sizeof *e->role_running)) ||
        !(e->used = calloc(nk + 1, sizeof *e->used)))
        return no_memory(e);
    if ((rc = setup_agents(e)) != HDRF_OK || (rc = setup_frameworks(e)) != HDRF_OK ||
        (rc = warn_unofferable(e)) != HDRF_OK)
        return rc;
    return engine_push(e, r->interval, EV_TICK, 0);
}

/* ---- samples ------------------------------------------------------------------------------- */

static double dominant(const sim_result *r, const int64_t *held)
{
    double best = 0;
    for (size_t k = 0; k < r->nres; k++)
        if (r->res_fair[k] && r->res_total[k] > 0) {
            double s = (double)held[k] / (double)r->res_total[k];
            if (s > best)
                best = s;
        }
    return best;
}

static void record(engine *e, hdrf_time t)
{
    sim_result *r = e->res;
    size_t s = r->nsamples++, nk = r->nres;
    r->times[s] = t;
    for (size_t i = 0; i < r->nroles; i++) {
        memcpy(&r->held[sim_at(r, s, i) * nk], &e->role_held[i * nk], nk * sizeof(int64_t));
        r->pending[sim_at(r, s, i)] = e->role_pending[i];
        r->running[sim_at(r, s, i)] = e->role_running[i];
    }
    /* Subtrees: deepest roles first add into their parents. */
    int maxdepth = 0;
    for (size_t i = 0; i < r->nroles; i++)
        if (r->entities[i].depth > maxdepth)
            maxdepth = r->entities[i].depth;
    for (int d = maxdepth; d > 0; d--)
        for (size_t i = 0; i < r->nroles; i++) {
            int p = r->entities[i].parent;
            if (r->entities[i].depth != d || p < 0)
                continue;
            for (size_t k = 0; k < nk; k++)
                r->held[sim_at(r, s, (size_t)p) * nk + k] += r->held[sim_at(r, s, i) * nk + k];
            r->pending[sim_at(r, s, (size_t)p)] += r->pending[sim_at(r, s, i)];
            r->running[sim_at(r, s, (size_t)p)] += r->running[sim_at(r, s, i)];
        }
    for (size_t f = 0; f < e->nfws; f++) {
        size_t x = sim_at(r, s, e->fws[f].ent);
        memcpy(&r->held[x * nk], e->fws[f].held, nk * sizeof(int64_t));
        r->running[x] = e->fws[f].running;
        for (size_t k = 0; k < e->fws[f].def->nroles; k++)
            r->pending[x] += e->fws[f].pending[k];
    }
    for (size_t i = 0; i < r->nentities; i++)
        r->share[sim_at(r, s, i)] = dominant(r, &r->held[sim_at(r, s, i) * nk]);
    memcpy(&r->used[s * nk], e->used, nk * sizeof(int64_t));
}

/* ---- the loop -------------------------------------------------------------------------------- */

static int add_cycle(engine *e, bool batch, double wall)
{
    sim_result *r = e->res;
    if (array_reserve((void **)&r->cycles, &r->capcycles, r->ncycles + 1, sizeof *r->cycles))
        return no_memory(e);
    r->cycles[r->ncycles++] = (sim_cycle){e->now, batch, wall};
    return HDRF_OK;
}

/* One allocation run, timed; then, if asked, why frameworks got nothing. */
static int run(engine *e, bool batch)
{
    size_t before = e->nbatches;
    double t0 = wall_now();
    int rc = batch ? hdrf_allocator_allocate(e->a, e->now) : hdrf_allocator_flush(e->a, e->now);
    double wall = wall_now() - t0;
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "allocation run at %.3f s: %s",
                           (double)e->now / (double)HDRF_SECOND, hdrf_allocator_errmsg(e->a));
    if (e->failed)
        return e->failed;
    /* No wall clock in the log: the same inputs give the same bytes. */
    engine_log(e, HDRF_LOG_INFO, "%s run: offers to %zu frameworks", batch ? "batch" : "event",
               e->nbatches - before);
    if (e->explain && hdrf_allocator_explain(e->a, fw_explain, e) != HDRF_OK)
        return no_memory(e);
    return add_cycle(e, batch, wall);
}

static int instant(engine *e)
{
    const sim_event *ev;
    bool tick = false;
    int rc = HDRF_OK;
    while (rc == HDRF_OK && (ev = eventq_peek(&e->q)) && ev->t == e->now) {
        sim_event v = *ev;
        eventq_pop(&e->q);
        if (v.kind == EV_END)
            rc = fw_task_end(e, v.id);
        else if (v.kind == EV_ARRIVAL)
            rc = fw_arrival(e, v.id);
        else
            tick = true;
        if (v.kind == EV_TICK && e->now + e->res->interval <= e->duration)
            rc = engine_push(e, e->now + e->res->interval, EV_TICK, 0);
    }
    if (rc == HDRF_OK)
        rc = fw_update_suppression(e);
    if (rc == HDRF_OK && tick)
        rc = run(e, true);
    if (rc == HDRF_OK && hdrf_allocator_pending(e->a))
        rc = run(e, false);
    if (rc == HDRF_OK)
        rc = fw_answer_offers(e);
    if (rc == HDRF_OK)
        rc = fw_update_suppression(e);
    return rc;
}

static void progress(engine *e, double start, double *last, bool final)
{
    double now = wall_now();
    if (!e->in->progress || now - start < 1.0 || (!final && now - *last < 1.0))
        return;
    *last = now;
    long launched = 0, running = 0;
    for (size_t f = 0; f < e->nfws; f++) {
        launched += e->res->entities[e->fws[f].ent].launched;
        running += e->fws[f].running;
    }
    fprintf(stderr,
            "\rhdrf-sim%s%s: %.0f of %.0f s simulated (%.0f%%), %ld tasks launched, %ld "
            "running, %.0f s wall\033[K%s",
            e->in->label ? " " : "", e->in->label ? e->in->label : "",
            (double)e->now / (double)HDRF_SECOND, (double)e->duration / (double)HDRF_SECOND,
            100.0 * (double)e->now / (double)e->duration, launched, running, now - start,
            final ? "\n" : "");
}

static int loop(engine *e)
{
    double start = wall_now(), last = start;
    hdrf_time next_sample = 0;
    int rc = HDRF_OK;
    bool printed = false;
    e->now = 0;
    rc = instant(e); /* time 0: agents and frameworks are there */
    for (unsigned step = 1; rc == HDRF_OK; step++) {
        const sim_event *ev = eventq_peek(&e->q);
        hdrf_time next = ev && ev->t <= e->duration ? ev->t : e->duration + 1;
        /* The state is constant from now until the next instant. */
        while (next_sample < next && next_sample <= e->duration) {
            record(e, next_sample);
            next_sample += e->res->sample;
        }
        if (next > e->duration)
            break;
        e->now = next;
        rc = instant(e);
        if (step % 64 == 0) {
            progress(e, start, &last, false);
            printed |= last != start;
        }
    }
    if (printed)
        progress(e, start, &last, true);
    e->res->wall = wall_now() - start;
    return rc;
}

/* ---- teardown ------------------------------------------------------------------------------- */

static void engine_free(engine *e)
{
    hdrf_allocator_free(e->a);
    for (size_t i = 0; i < e->nagents; i++) {
        free(e->agents[i].id);
        hdrf_resources_free(e->agents[i].total);
        free(e->agents[i].attrs);
        free(e->agents[i].pattrs);
    }
    free(e->agents);
    free(e->agents_by_id);
    for (size_t i = 0; i < e->nfws; i++) {
        free(e->fws[i].role_ents);
        free(e->fws[i].suppressed);
        free(e->fws[i].pending);
        free(e->fws[i].load);
        free(e->fws[i].held);
    }
    free(e->fws);
    free(e->fws_by_id);
    for (size_t i = 0; i < e->njobs; i++) {
        free(e->jobs[i].q);
        hdrf_resources_free(e->jobs[i].need);
        free(e->jobs[i].running);
    }
    free(e->jobs);
    for (size_t i = 0; i < e->ntasks; i++)
        hdrf_resources_free(e->tasks[i].used);
    free(e->tasks);
    free(e->free_tasks);
    eventq_free(&e->q);
    for (size_t i = 0; i < e->nitems; i++)
        hdrf_resources_free(e->items[i].res);
    free(e->items);
    free(e->batches);
    free(e->role_held);
    free(e->role_pending);
    free(e->role_running);
    free(e->used);
}

void sim_result_free(sim_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nres; i++)
        free(r->res_names[i]);
    free(r->res_names);
    free(r->res_total);
    free(r->res_fair);
    for (size_t i = 0; r->entities && i < r->nroles + r->nframeworks; i++) {
        free(r->entities[i].name);
        free(r->entities[i].waits);
    }
    free(r->entities);
    free(r->times);
    free(r->share);
    free(r->held);
    free(r->pending);
    free(r->running);
    free(r->used);
    free(r->cycles);
    free(r->config);
    free(r->description);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    free(r);
}

int sim_run(const sim_inputs *in, sim_result **out, char *why, size_t whylen)
{
    engine e;
    memset(&e, 0, sizeof e);
    e.in = in;
    *out = NULL;
    int rc = (e.res = calloc(1, sizeof *e.res)) ? HDRF_OK : no_memory(&e);
    if (rc == HDRF_OK)
        rc = setup(&e);
    if (rc == HDRF_OK)
        rc = loop(&e);
    if (rc == HDRF_OK && e.failed)
        rc = e.failed;
    engine_free(&e);
    if (rc != HDRF_OK) {
        snprintf(why, whylen, "%s", e.why[0] ? e.why : hdrf_strerror(rc));
        sim_result_free(e.res);
        return rc;
    }
    *out = e.res;
    return HDRF_OK;
}
