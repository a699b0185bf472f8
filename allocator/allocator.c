/* allocator.c: the allocator's lifecycle, options and the events that are
 * neither a framework's nor an agent's: resources coming back, quota,
 * weights, recovery, the whitelist, and the two kinds of run. It sits
 * above the event files: it calls them and none of them calls it (what
 * they share, pause and resume among it, is in alloc_state.c).
 *
 * Runs. Mesos allocates periodically (every allocation interval, over all
 * agents) and after events that add work (over the agents they concern,
 * coalesced until the event queue drains). hdrf_allocator_allocate() is the
 * first, hdrf_allocator_flush() the second; events only mark candidates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/error.h"

#define DEFAULT_INTERVAL HDRF_SECOND
#define DEFAULT_RECOVERY_TIMEOUT (600 * HDRF_SECOND)

void hdrf_allocator_options_init(hdrf_allocator_options *o)
{
    memset(o, 0, sizeof *o);
    o->allocation_interval = DEFAULT_INTERVAL;
    o->filter_gpu_resources = true;
    o->min_allocatable_resources = "cpus:0.01|mem:32";
    o->agent_recovery_factor = 0.80;
    o->recovery_timeout = DEFAULT_RECOVERY_TIMEOUT;
    o->role_order = HDRF_ORDER_DRF;
    o->framework_order = HDRF_ORDER_DRF;
}

/* ---- creation --------------------------------------------------------------------- */

/* Mesos's --min_allocatable_resources: `cpus:0.01|mem:32`. */
static int parse_minimum(hdrf_allocator *a, const char *text, hdrf_error *error)
{
    if (text[strspn(text, " \t\r\n|")] == '\0')
        return error_named(error, "options", "min_allocatable_resources",
                           "'%s' holds no alternative; expected e.g. \"cpus:0.01|mem:32\"", text);
    hdrf_error e;
    int rc = hdrf_quantities_parse_alternatives(text, &a->minimum, &a->nminimum, &e);
    if (rc == HDRF_EINVAL)
        return error_named(error, "options", "min_allocatable_resources",
                           "'%s' is not a list of name:amount (%s); expected e.g. "
                           "\"cpus:0.01|mem:32\"",
                           text, e.text);
    a->has_minimum = rc == HDRF_OK;
    return rc;
}

static int check_options(const hdrf_allocator_options *o, hdrf_error *error)
{
    if (o->allocation_interval <= 0)
        return error_named(error, "options", "allocation_interval",
                           "%lld ns is not allowed: it must be positive",
                           (long long)o->allocation_interval);
    if (!(o->agent_recovery_factor > 0.0 && o->agent_recovery_factor <= 1.0))
        return error_named(error, "options", "agent_recovery_factor",
                           "%g is not allowed: it must be in (0, 1]", o->agent_recovery_factor);
    if (o->recovery_timeout < 0)
        return error_named(error, "options", "recovery_timeout",
                           "%lld ns is not allowed: it must not be negative",
                           (long long)o->recovery_timeout);
    if ((unsigned)o->nested_quota > HDRF_NESTED_QUOTA_HDRF)
        return error_named(error, "options", "nested_quota",
                           "unknown nested quota rule: use mesos or hdrf");
    if ((unsigned)o->role_order > HDRF_ORDER_RANDOM ||
        (unsigned)o->framework_order > HDRF_ORDER_RANDOM)
        return error_named(error, "options", "role_order",
                           "unknown ordering: use drf, hdrf or random");
    return HDRF_OK;
}

static int copy_excluded(hdrf_allocator *a, const hdrf_allocator_options *o)
{
    a->excluded_default = o->fairness_excluded == NULL;
    if (a->excluded_default || o->nfairness_excluded == 0)
        return HDRF_OK;
    a->excluded = calloc(o->nfairness_excluded, sizeof *a->excluded);
    if (!a->excluded)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < o->nfairness_excluded; i++) {
        if (!(a->excluded[i] = strdup(o->fairness_excluded[i])))
            return HDRF_ENOMEM;
        a->nexcluded++;
    }
    return HDRF_OK;
}

int hdrf_allocator_new(const hdrf_allocator_options *options,
                       const hdrf_allocator_callbacks *callbacks, hdrf_allocator **out,
                       hdrf_error *error)
{
    hdrf_allocator_options defaults;
    if (!options) {
        hdrf_allocator_options_init(&defaults);
        options = &defaults;
    }
    *out = NULL;
    int rc = check_options(options, error);
    if (rc != HDRF_OK)
        return rc;
    hdrf_allocator *a = calloc(1, sizeof *a);
    if (!a)
        return HDRF_ENOMEM;
    a->options = *options;
    a->options.fairness_excluded = NULL;
    a->options.min_allocatable_resources = NULL;
    a->options.region = NULL;
    a->rng = options->seed;
    if (callbacks)
        a->callbacks = *callbacks;
    rc = copy_excluded(a, options);
    if (rc == HDRF_OK && options->region && !(a->region = strdup(options->region)))
        rc = HDRF_ENOMEM;
    if (rc == HDRF_OK && options->min_allocatable_resources)
        rc = parse_minimum(a, options->min_allocatable_resources, error);
    if (rc == HDRF_OK) {
        hdrf_sorter_options so = {options->role_order, options->seed,
                                  a->excluded_default ? NULL : (const char *const *)a->excluded,
                                  a->nexcluded};
        memset(&a->root, 0, sizeof a->root);
        a->root.weight = 1.0;
        /* The sorters keep totals only: per-agent detail is the agents'. */
        if (hdrf_sorter_new(&so, &a->role_sorter) != HDRF_OK ||
            hdrf_sorter_set_track_agents(a->role_sorter, false) != HDRF_OK ||
            !(a->root.path = strdup("")) || !(a->root.guarantees = hdrf_quantities_new()) ||
            !(a->root.reserved = hdrf_quantities_new()) ||
            !(a->root.used_unreserved = hdrf_quantities_new()) ||
            !(a->root.consumed = hdrf_quantities_new()) ||
            !(a->total_scalars = hdrf_quantities_new()) || scalar_names_init(&a->names) != HDRF_OK)
            rc = HDRF_ENOMEM;
    }
    if (rc != HDRF_OK) {
        hdrf_allocator_free(a);
        return rc;
    }
    a->totals_version = 1; /* a new framework sorter (0) is never current */
    *out = a;
    return HDRF_OK;
}

static void whitelist_clear(hdrf_allocator *a)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->whitelist, &cursor, &key, &value))
        free(value);
    strmap_free(&a->whitelist);
    a->whitelist = (strmap)STRMAP_INIT;
    a->has_whitelist = false;
}

void hdrf_allocator_free(hdrf_allocator *a)
{
    if (!a)
        return;
    frameworks_free_all(a);
    agents_free_all(a);
    roles_free_all(a);
    hdrf_sorter_free(a->role_sorter);
    blocked_free(a);
    whitelist_clear(a);
    for (size_t i = 0; i < a->nexcluded; i++)
        free(a->excluded[i]);
    free(a->excluded);
    free(a->region);
    hdrf_quantities_free_all(a->minimum, a->nminimum);
    hdrf_quantities_free(a->total_scalars);
    scalar_vec_free(&a->sorted_scalars);
    scalar_names_free(&a->names);
    for (size_t i = 0; i < a->npieces; i++) {
        hdrf_resources_free(a->pieces[i].resources);
        scalar_summary_free(&a->pieces[i].scalars);
    }
    free(a->pieces);
    free(a->run_agents);
    free(a);
}

/* ---- runs ---------------------------------------------------------------------------- */

/* recover()'s timer: it resumes whatever paused the allocator (as Mesos). */
static void resume_if_due(hdrf_allocator *a, hdrf_time now)
{
    if (a->resume_due && now >= a->resume_at) {
        a->resume_due = false;
        a->recovering = false;
        hdrf_allocator_resume(a);
    }
}

static int run_or_fail(hdrf_allocator *a, hdrf_time now, bool batch)
{
    int rc = run_allocation(a, now, batch);
    return rc == HDRF_OK ? HDRF_OK : alloc_fail(a, rc, "allocation run: out of memory");
}

int hdrf_allocator_allocate(hdrf_allocator *a, hdrf_time now)
{
    resume_if_due(a, now);
    a->batches++; /* a tick counts for the filter tie rule even when paused */
    if (a->paused)
        return HDRF_OK;
    alloc_trigger(a, NULL);
    return run_or_fail(a, now, true);
}

int hdrf_allocator_flush(hdrf_allocator *a, hdrf_time now)
{
    resume_if_due(a, now);
    if (!hdrf_allocator_pending(a))
        return HDRF_OK;
    return run_or_fail(a, now, false);
}

/* ---- resources coming back ---------------------------------------------------------- */

int hdrf_allocator_recover_resources(hdrf_allocator *a, const char *framework_id,
                                     const char *agent_id, const hdrf_resources *resources,
                                     const double *refuse_seconds, bool is_allocated, hdrf_time now)
{
    if (!resources || hdrf_resources_empty(resources))
        return HDRF_OK;
    agent *ag = agents_find(a, agent_id);
    framework *fw = frameworks_find(a, framework_id);
    const char *role_name = NULL;
    /* Check everything first: a refusal changes nothing. */
    if (is_allocated && ag && !hdrf_resources_contains(ag->used, resources))
        return alloc_fail(a, HDRF_ENOFIT,
                          "recover_resources: agent %s has no such resources in use", ag->id);
    if (fw && ag &&
        (hdrf_resources_allocation_role(resources, &role_name) != HDRF_OK || !role_name))
        return alloc_fail(a, HDRF_EINVAL,
                          "recover_resources: framework %s, agent %s: resources must be "
                          "allocated to one role",
                          fw->id, ag->id);
    int rc = HDRF_OK;
    /* The agent checks that the framework holds them, and changes nothing
     * when it does not: no second search here. */
    if (fw && ag && (rc = agent_release(ag, fw->id, resources)) == HDRF_ENOFIT)
        return alloc_fail(a, HDRF_ENOFIT,
                          "recover_resources: framework %s does not hold those resources "
                          "on agent %s",
                          fw->id, ag->id);
    if (rc == HDRF_OK && is_allocated && ag) {
        rc = hdrf_resources_subtract(ag->used, resources);
        if (rc == HDRF_OK)
            rc = roles_track_used(a, resources, -1);
    }
    if (rc != HDRF_OK || !fw || !ag)
        return rc == HDRF_OK ? HDRF_OK : alloc_fail(a, rc, "recover_resources: out of memory");
    /* Only what the ledger has (a holding added with the agent only, for a
     * framework added later without it, was never in the sorters). */
    if (ledger_fw_role(fw, role_name))
        ledger_unallocated(a, fw, ag, resources);
    hdrf_time d = refuse_seconds ? filters_duration(*refuse_seconds) : 0;
    fw_role *fr = ledger_fw_role(fw, role_name);
    if (fr && is_allocated)
        blocked_changed(a, fr); /* a task of its ended */
    else if (fr && refuse_seconds)
        blocked_declined(a, fr);
    if (d == 0 || !fr)
        return HDRF_OK;
    if (d < a->options.allocation_interval)
        d = a->options.allocation_interval;
    rc = filters_add_offer(a, fr, ag, resources, now + d);
    return rc == HDRF_OK ? HDRF_OK : alloc_fail(a, rc, "recover_resources: out of memory");
}

/* role_sorter=hdrf: the frameworks of the resources' role that hold them
 * there launched from their offer (alloc_blocked.c). */
static void note_launch(hdrf_allocator *a, agent *ag, const hdrf_resources *resources)
{
    const char *role_name = NULL;
    if (a->options.role_order != HDRF_ORDER_HDRF ||
        hdrf_resources_allocation_role(resources, &role_name) != HDRF_OK || !role_name)
        return;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&ag->held, &cursor, &key, &value)) {
        const holding *h = value;
        framework *fw = frameworks_find(a, h->framework);
        fw_role *fr = fw ? ledger_fw_role(fw, role_name) : NULL;
        if (fr && hdrf_resources_contains(h->resources, resources))
            blocked_launched(a, fr);
    }
}

int hdrf_allocator_transition_offered_to_allocated(hdrf_allocator *a, const char *agent_id,
                                                   const hdrf_resources *resources)
{
    agent *ag = agents_find(a, agent_id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "transition_offered_to_allocated: unknown agent %s",
                          id_text(agent_id));
    if (!resources)
        return alloc_fail(a, HDRF_EINVAL, "transition_offered_to_allocated: agent %s: no resources",
                          ag->id);
    int rc = hdrf_resources_add(ag->used, resources);
    if (rc == HDRF_OK)
        rc = roles_track_used(a, resources, +1);
    if (rc == HDRF_OK)
        note_launch(a, ag, resources);
    return rc == HDRF_OK ? HDRF_OK
                         : alloc_fail(a, rc, "transition_offered_to_allocated: out of memory");
}

/* ---- roles --------------------------------------------------------------------------------- */

static int check_role(hdrf_allocator *a, const char *call, const char *role)
{
    const char *why = role ? hdrf_role_invalid(role) : "missing";
    return why ? alloc_fail(a, HDRF_EINVAL, "%s: role '%s' is invalid: %s", call, role ? role : "",
                            why)
               : HDRF_OK;
}

static int check_quota(hdrf_allocator *a, const char *call, const char *role, const hdrf_quota *q)
{
    int rc = check_role(a, call, role);
    if (rc != HDRF_OK)
        return rc;
    if (!q)
        return alloc_fail(a, HDRF_EINVAL, "%s: role %s: a quota is required", call, role);
    for (size_t i = 0; i < q->nlimits; i++)
        if (!q->limits[i].name || !*q->limits[i].name || q->limits[i].milli < 0)
            return alloc_fail(a, HDRF_EINVAL,
                              "%s: role %s: limit %zu (%s:%.3f) must name a resource and not "
                              "be negative",
                              call, role, i, q->limits[i].name ? q->limits[i].name : "",
                              (double)q->limits[i].milli / 1000.0);
    return HDRF_OK;
}

int hdrf_allocator_update_quota(hdrf_allocator *a, const char *role, const hdrf_quota *quota)
{
    int rc = check_quota(a, "update_quota", role, quota);
    if (rc == HDRF_OK && (rc = roles_set_quota(a, role, quota)) != HDRF_OK)
        return alloc_fail(a, rc, "update_quota: out of memory");
    return rc;
}

int hdrf_allocator_update_weights(hdrf_allocator *a, const char *const *roles,
                                  const double *weights, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = check_role(a, "update_weights", roles[i]);
        if (rc != HDRF_OK)
            return rc;
        if (!(weights[i] > 0.0) || !isfinite(weights[i]))
            return alloc_fail(a, HDRF_EINVAL,
                              "update_weights: role %s: weight %g is not allowed: it must be "
                              "positive and finite",
                              roles[i], weights[i]);
    }
    for (size_t i = 0; i < n; i++) {
        role *r = roles_get(a, roles[i]);
        if (!r || hdrf_sorter_set_weight(a->role_sorter, roles[i], weights[i]) != HDRF_OK)
            return alloc_fail(a, HDRF_ENOMEM, "update_weights: out of memory");
        r->weight = weights[i];
        r->has_weight = weights[i] != 1.0;
        roles_prune(a, r);
    }
    return HDRF_OK;
}

int hdrf_allocator_recover(hdrf_allocator *a, int expected_agents, const hdrf_role_quota *quotas,
                           size_t n, hdrf_time now)
{
    if (a->nagents)
        return alloc_fail(a, HDRF_EINVAL,
                          "recover: %zu agents were added already (recover must come first)",
                          a->nagents);
    if (expected_agents < 0)
        return alloc_fail(a, HDRF_EINVAL, "recover: expected_agents %d is negative",
                          expected_agents);
    for (size_t i = 0; i < n; i++) {
        int rc = check_quota(a, "recover", quotas[i].role, &quotas[i].quota);
        if (rc != HDRF_OK)
            return rc;
    }
    if (n == 0)
        return HDRF_OK; /* Mesos: no quota, no recovery wait */
    for (size_t i = 0; i < n; i++)
        if (roles_set_quota(a, quotas[i].role, &quotas[i].quota) != HDRF_OK)
            return alloc_fail(a, HDRF_ENOMEM, "recover: out of memory");
    a->expected_agents = (int)(expected_agents * a->options.agent_recovery_factor);
    if (a->expected_agents == 0)
        return HDRF_OK;
    hdrf_allocator_pause(a);
    a->recovering = true;
    a->resume_due = true;
    a->resume_at = now + a->options.recovery_timeout;
    return HDRF_OK;
}

int hdrf_allocator_update_whitelist(hdrf_allocator *a, const char *const *hostnames, size_t n)
{
    whitelist_clear(a);
    if (!hostnames)
        return HDRF_OK;
    a->has_whitelist = true;
    for (size_t i = 0; i < n; i++) {
        if (!hostnames[i] || strmap_get(&a->whitelist, hostnames[i]))
            continue;
        char *copy = strdup(hostnames[i]);
        if (!copy || strmap_put(&a->whitelist, copy, copy) != HDRF_OK) {
            free(copy);
            return alloc_fail(a, HDRF_ENOMEM, "update_whitelist: out of memory");
        }
    }
    blocked_changed_all(a);
    return HDRF_OK;
}
