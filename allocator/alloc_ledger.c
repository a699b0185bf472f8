/* alloc_ledger.c: who holds what, in the sorters and the role tree.
 *
 * A framework is "tracked" under a role while it subscribes to it or still
 * holds resources allocated to it (Mesos lets a framework leave a role
 * before its tasks there end). Tracking makes the framework a client of the
 * role's framework sorter, and the role a client of the role sorter; both
 * sorters and the role tree then follow every offer and release. The
 * agent's own record of holdings is kept apart (alloc_agents.c), because
 * Mesos counts resources of frameworks it does not know yet on the agent
 * only (spec §D.2, §D.6). The ledger also walks every (framework, role)
 * pair it tracks, for the files above it (frameworks_each_role). */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "allocator/sorter_vector.h"

fw_role *ledger_fw_role(framework *fw, const char *role) { return strmap_get(&fw->roles, role); }

void frameworks_each_role(hdrf_allocator *a, void (*fn)(fw_role *fr, void *arg), void *arg)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->frameworks, &cursor, &key, &value)) {
        framework *fw = value;
        size_t rc = 0;
        void *fr;
        while (strmap_next(&fw->roles, &rc, &key, &fr))
            fn(fr, arg);
    }
}

void fw_role_free(fw_role *fr)
{
    if (!fr)
        return;
    for (size_t i = 0; i < fr->nminimum; i++)
        hdrf_quantities_free(fr->minimum[i]);
    free(fr->minimum);
    filters_free_lists(&fr->filters);
    free(fr->name);
    free(fr);
}

/* A framework sorter sees the whole cluster, as every Mesos one does, but
 * is told the cluster's totals (hdrf_sorter_set_totals()) when it is next
 * walked rather than hearing of every agent: a sorter per role would
 * otherwise cost roles x agents in memory and in adding agents. Like the
 * role sorter it keeps totals only: what a framework holds on an agent is
 * the agent's record (holds_anything()). */
static int new_framework_sorter(hdrf_allocator *a, hdrf_sorter **out)
{
    hdrf_sorter_options o = {a->options.framework_order, a->options.seed,
                             a->excluded_default ? NULL : (const char *const *)a->excluded,
                             a->nexcluded};
    int rc = hdrf_sorter_new(&o, out);
    if (rc == HDRF_OK)
        (void)hdrf_sorter_set_track_agents(*out, false); /* no clients yet: cannot fail */
    return rc;
}

int ledger_sorter_totals(hdrf_allocator *a, role *r)
{
    if (r->totals_seen == a->totals_version)
        return HDRF_OK;
    int rc = hdrf_sorter_set_totals(r->sorter, a->total_scalars);
    if (rc == HDRF_OK)
        r->totals_seen = a->totals_version;
    return rc;
}

/* The role gains its first framework: its sorter and its role-sorter client. */
static int open_role(hdrf_allocator *a, role *r)
{
    r->totals_seen = 0; /* never current: totals_version starts at 1 */
    int rc = new_framework_sorter(a, &r->sorter);
    if (rc == HDRF_OK) {
        rc = hdrf_sorter_add(a->role_sorter, r->path);
        if (rc == HDRF_OK)
            rc = hdrf_sorter_activate(a->role_sorter, r->path);
        if (rc == HDRF_OK)
            rc = hdrf_sorter_set_data(a->role_sorter, r->path, r);
        if (rc != HDRF_OK) {
            hdrf_sorter_remove(a->role_sorter, r->path);
            hdrf_sorter_free(r->sorter);
            r->sorter = NULL;
        }
    }
    return rc;
}

static void close_role(hdrf_allocator *a, role *r)
{
    r->told_blocked = false;
    hdrf_sorter_remove(a->role_sorter, r->path);
    hdrf_sorter_free(r->sorter);
    r->sorter = NULL;
}

int ledger_track(hdrf_allocator *a, framework *fw, const char *name, fw_role **out)
{
    fw_role *fr = ledger_fw_role(fw, name);
    if (fr) {
        *out = fr;
        return HDRF_OK;
    }
    int rc = HDRF_ENOMEM;
    role *r = NULL;
    fr = calloc(1, sizeof *fr);
    if (!fr || !(fr->name = strdup(name)) || !(r = roles_get(a, name)))
        goto fail;
    fr->role = r;
    fr->fw = fw;
    if (r->nframeworks == 0 && (rc = open_role(a, r)) != HDRF_OK)
        goto fail;
    r->nframeworks++;
    if ((rc = hdrf_sorter_add(r->sorter, fw->id)) != HDRF_OK ||
        (rc = strmap_put(&fw->roles, fr->name, fr)) != HDRF_OK) {
        hdrf_sorter_remove(r->sorter, fw->id);
        if (--r->nframeworks == 0)
            close_role(a, r);
        goto fail;
    }
    hdrf_sorter_set_data(r->sorter, fw->id, fr);
    *out = fr;
    return HDRF_OK;
fail:
    if (r)
        roles_prune(a, r);
    fw_role_free(fr);
    return rc;
}

/* Whether the framework still holds something allocated to the role. The
 * sorters keep totals only, so the agents' records answer: they hold, for a
 * known framework, exactly what its sorters count (Mesos's contract: a
 * framework is added with the `used` its agents were added with, spec §D.2,
 * §D.6; callers release a holding from the agent before or with the
 * ledger, see hdrf_allocator_remove_agent). Asked only of roles the
 * framework left; scalar totals answer at once, and only a framework left
 * with non-scalar resources alone costs a look at every agent. */
static bool holds_anything(hdrf_allocator *a, const fw_role *fr)
{
    hdrf_quantities *q = hdrf_sorter_allocated_quantities(fr->role->sorter, fr->fw->id);
    bool holds = !q || hdrf_quantities_size(q) > 0; /* out of memory: keep it tracked */
    hdrf_quantities_free(q);
    for (size_t i = 0; !holds && i < a->nagents; i++) {
        const hdrf_resources *h = agent_holding(a->agents[i], fr->fw->id);
        for (size_t j = 0; h && !holds && j < h->n; j++)
            holds = h->v[j].allocation_role && strcmp(h->v[j].allocation_role, fr->name) == 0;
    }
    return holds;
}

void ledger_untrack_if_idle(hdrf_allocator *a, fw_role *fr)
{
    if (!fr->subscribed && !holds_anything(a, fr))
        ledger_untrack(a, fr);
}

void ledger_untrack(hdrf_allocator *a, fw_role *fr)
{
    role *r = fr->role;
    blocked_forget(a, fr);
    filters_clear_role(a, fr);
    hdrf_sorter_remove(r->sorter, fr->fw->id);
    strmap_remove(&fr->fw->roles, fr->name);
    if (--r->nframeworks == 0)
        close_role(a, r);
    fw_role_free(fr);
    roles_prune(a, r);
}

void ledger_sync_active(hdrf_allocator *a, fw_role *fr)
{
    blocked_sync(a, fr);
    /* hdrf requires `active` too: Mesos can activate an inactive
     * framework's entry (updateFramework, revive), spec §H.1 #3. */
    if (fr->subscribed && fr->fw->active && !fr->suppressed)
        hdrf_sorter_activate(fr->role->sorter, fr->fw->id);
    else
        hdrf_sorter_deactivate(fr->role->sorter, fr->fw->id);
}

/* ---- allocations ------------------------------------------------------------------ */

/* The allocator's sum of what is offered or allocated, by r's scalars. */
static int add_scalars(hdrf_allocator *a, const hdrf_resources *r, int sign)
{
    scalar_summary sc = SCALAR_SUMMARY_INIT;
    int rc = scalar_summary_of(&sc, &a->names, r);
    if (rc == HDRF_OK)
        rc = scalar_vec_change(&a->sorted_scalars, scalar_summary_kind(&sc, SCALARS_ALL), sc.n,
                               sign);
    scalar_summary_free(&sc);
    return rc;
}

/* Both sorters' part: from the summary's vector, unless shared resources
 * need the sorters' per-agent record. */
static int sorters_change(hdrf_allocator *a, fw_role *fr, agent *ag, const hdrf_resources *part,
                          const scalar_summary *sc, int sign)
{
    hdrf_sorter *fs = fr->role->sorter, *rs = a->role_sorter;
    const char *fw = fr->fw->id, *name = fr->name;
    char *const *names = a->names.names;
    const int64_t *v = scalar_summary_kind(sc, SCALARS_ALL); /* when none is shared */
    int rc;
    if (sc->shared && sign > 0) {
        if ((rc = hdrf_sorter_allocated(fs, fw, ag->id, part)) == HDRF_OK)
            rc = hdrf_sorter_allocated(rs, name, ag->id, part);
    } else if (sc->shared) {
        if ((rc = hdrf_sorter_unallocated(fs, fw, ag->id, part)) == HDRF_OK)
            rc = hdrf_sorter_unallocated(rs, name, ag->id, part);
    } else if (sign > 0) {
        if ((rc = sorter_allocated_vector(fs, fw, names, v, sc->n)) == HDRF_OK)
            rc = sorter_allocated_vector(rs, name, names, v, sc->n);
    } else {
        if ((rc = sorter_unallocated_vector(fs, fw, names, v, sc->n)) == HDRF_OK)
            rc = sorter_unallocated_vector(rs, name, names, v, sc->n);
    }
    return rc;
}

/* One role's part of a framework's resources on an agent, with its summary. */
static int account(hdrf_allocator *a, framework *fw, agent *ag, const char *name,
                   const hdrf_resources *part, const scalar_summary *sc, int sign)
{
    fw_role *fr = NULL;
    int rc = sign > 0                          ? ledger_track(a, fw, name, &fr)
             : (fr = ledger_fw_role(fw, name)) ? HDRF_OK
                                               : HDRF_ENOFIT;
    if (rc != HDRF_OK)
        return rc;
    if ((rc = sorters_change(a, fr, ag, part, sc, sign)) != HDRF_OK)
        return rc;
    if ((rc = scalar_vec_change(&a->sorted_scalars, scalar_summary_kind(sc, SCALARS_ALL), sc->n,
                                sign)) != HDRF_OK)
        return rc;
    if ((rc = roles_track_held_scalars(a, name, sc, sign)) != HDRF_OK)
        return rc;
    if (sign < 0)
        ledger_untrack_if_idle(a, fr);
    return HDRF_OK;
}

/* account() of one role's part, its summary computed here. */
static int account_part(hdrf_allocator *a, framework *fw, agent *ag, const char *name,
                        const hdrf_resources *part, int sign)
{
    scalar_summary sc = SCALAR_SUMMARY_INIT;
    int rc = scalar_summary_of(&sc, &a->names, part);
    if (rc == HDRF_OK)
        rc = account(a, fw, ag, name, part, &sc, sign);
    scalar_summary_free(&sc);
    return rc;
}

/* Splits by allocation role; resources without one are refused. */
static int account_all(hdrf_allocator *a, framework *fw, agent *ag, const hdrf_resources *r,
                       int sign)
{
    const char *single;
    if (hdrf_resources_empty(r))
        return HDRF_OK;
    if (hdrf_resources_allocation_role(r, &single) == HDRF_OK)
        return single ? account_part(a, fw, ag, single, r, sign) : HDRF_EINVAL;
    int rc = HDRF_OK;
    for (size_t i = 0; rc == HDRF_OK && i < r->n; i++) {
        const char *name = r->v[i].allocation_role;
        if (!name)
            return HDRF_EINVAL;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(r->v[j].allocation_role, name) == 0;
        if (seen)
            continue;
        hdrf_resources *part = hdrf_resources_allocated_to(r, name);
        rc = part ? account_part(a, fw, ag, name, part, sign) : HDRF_ENOMEM;
        hdrf_resources_free(part);
    }
    return rc;
}

int ledger_allocated(hdrf_allocator *a, framework *fw, agent *ag, const hdrf_resources *r)
{
    return account_all(a, fw, ag, r, +1);
}

int ledger_allocated_one(hdrf_allocator *a, framework *fw, agent *ag, const char *role_name,
                         const hdrf_resources *r, const scalar_summary *scalars)
{
    return hdrf_resources_empty(r) ? HDRF_OK : account(a, fw, ag, role_name, r, scalars, +1);
}

int ledger_unallocated(hdrf_allocator *a, framework *fw, agent *ag, const hdrf_resources *r)
{
    return account_all(a, fw, ag, r, -1);
}

int ledger_update(hdrf_allocator *a, framework *fw, agent *ag, const char *role_name,
                  const hdrf_resources *before, const hdrf_resources *after)
{
    fw_role *fr = ledger_fw_role(fw, role_name);
    if (!fr)
        return HDRF_ENOFIT;
    int rc = hdrf_sorter_update(fr->role->sorter, fw->id, ag->id, before, after);
    if (rc == HDRF_OK)
        rc = hdrf_sorter_update(a->role_sorter, role_name, ag->id, before, after);
    if (rc == HDRF_OK)
        rc = add_scalars(a, before, -1);
    if (rc == HDRF_OK)
        rc = add_scalars(a, after, +1);
    if (rc == HDRF_OK)
        rc = roles_track_held(a, before, -1);
    if (rc == HDRF_OK)
        rc = roles_track_held(a, after, +1);
    return rc;
}
