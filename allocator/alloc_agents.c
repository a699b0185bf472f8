/* alloc_agents.c: agents and their events (spec §B.3, §D.6-§D.9, §D.13).
 *
 * An agent knows its total and, per framework, what it has offered or
 * allocated, including frameworks the allocator has not been told about yet
 * (after a master failover agents re-register before their frameworks).
 * What is available is derived: the total minus what is held, except that a
 * shared resource stays available however many copies are out (Mesos offers
 * shared volumes to several frameworks). It is kept up to date as holdings
 * change rather than computed afresh, which would cost a run three copies
 * per offer. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

static bool not_shared(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return !r->shared;
}

static bool has_shared(const hdrf_resources *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].shared)
            return true;
    return false;
}

hdrf_resources *agent_held_total(const agent *ag)
{
    hdrf_resources *sum = hdrf_resources_new();
    int rc = sum ? HDRF_OK : HDRF_ENOMEM;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (rc == HDRF_OK && strmap_next(&ag->held, &cursor, &key, &value)) {
        hdrf_resources *plain = hdrf_resources_copy(((holding *)value)->resources);
        rc = plain ? hdrf_resources_allocate(plain, NULL) : HDRF_ENOMEM;
        if (rc == HDRF_OK)
            rc = hdrf_resources_add(sum, plain);
        hdrf_resources_free(plain);
    }
    if (rc != HDRF_OK) {
        hdrf_resources_free(sum);
        sum = NULL;
    }
    return sum;
}

int agent_refresh_available(agent *ag)
{
    hdrf_resources *avail = hdrf_resources_filter(ag->total, not_shared, NULL);
    hdrf_resources *held_total = agent_held_total(ag);
    hdrf_resources *held = held_total ? hdrf_resources_filter(held_total, not_shared, NULL) : NULL;
    hdrf_resources *shared = hdrf_resources_shared(ag->total);
    int rc = HDRF_ENOMEM;
    if (avail && held && shared) {
        ag->clamped = !hdrf_resources_contains(avail, held);
        if (hdrf_resources_subtract(avail, held) == HDRF_OK &&
            hdrf_resources_add(avail, shared) == HDRF_OK) {
            hdrf_resources_free(ag->available);
            ag->available = avail;
            avail = NULL;
            rc = HDRF_OK;
        }
    }
    hdrf_resources_free(avail);
    hdrf_resources_free(held_total);
    hdrf_resources_free(held);
    hdrf_resources_free(shared);
    return rc;
}

/* `available` moves opposite to what is held, without its shared part. The
 * sum is only exact while nothing was clamped at zero (held within the
 * total, as always but when an agent shrinks under its holdings or reports
 * more use than it has): otherwise it is computed afresh. */
static int offset_available(agent *ag, const hdrf_resources *plain, int sign)
{
    if (!ag->available || ag->clamped)
        return agent_refresh_available(ag);
    hdrf_resources *unshared = NULL;
    const hdrf_resources *change = plain;
    if (has_shared(plain) && !(change = unshared = hdrf_resources_filter(plain, not_shared, NULL)))
        return HDRF_ENOMEM;
    int rc;
    if (sign > 0)
        rc = hdrf_resources_add(ag->available, change);
    else if (hdrf_resources_contains(ag->available, change))
        rc = hdrf_resources_subtract(ag->available, change);
    else
        rc = agent_refresh_available(ag);
    hdrf_resources_free(unshared);
    return rc;
}

/* What is held changed by `sign` times r (with allocation roles). */
static int held_changed(agent *ag, const hdrf_resources *r, int sign)
{
    hdrf_resources *plain = hdrf_resources_copy(r);
    int rc = plain ? hdrf_resources_allocate(plain, NULL) : HDRF_ENOMEM;
    if (rc == HDRF_OK)
        rc = offset_available(ag, plain, -sign);
    hdrf_resources_free(plain);
    return rc;
}

static void holding_free(holding *h)
{
    free(h->framework);
    hdrf_resources_free(h->resources);
    free(h);
}

/* The framework's holding record alone, +r or -r (r must be held then):
 * what is available is the caller's to keep. */
static int holding_add(agent *ag, const char *framework, const hdrf_resources *r)
{
    if (hdrf_resources_empty(r))
        return HDRF_OK;
    holding *h = strmap_get(&ag->held, framework);
    if (!h) {
        h = calloc(1, sizeof *h);
        if (!h || !(h->framework = strdup(framework)) || !(h->resources = hdrf_resources_new()) ||
            strmap_put(&ag->held, h->framework, h) != HDRF_OK) {
            if (h) {
                free(h->framework);
                hdrf_resources_free(h->resources);
            }
            free(h);
            return HDRF_ENOMEM;
        }
    }
    return hdrf_resources_add(h->resources, r);
}

static int holding_subtract(agent *ag, const char *framework, const hdrf_resources *r)
{
    holding *h = strmap_get(&ag->held, framework);
    if (!h || !hdrf_resources_contains(h->resources, r))
        return HDRF_ENOFIT;
    int rc = hdrf_resources_subtract(h->resources, r);
    if (rc == HDRF_OK && hdrf_resources_empty(h->resources)) {
        strmap_remove(&ag->held, framework);
        holding_free(h);
    }
    return rc;
}

int agent_hold(agent *ag, const char *framework, const hdrf_resources *r)
{
    if (hdrf_resources_empty(r))
        return HDRF_OK;
    int rc = holding_add(ag, framework, r);
    return rc == HDRF_OK ? held_changed(ag, r, +1) : rc;
}

int agent_release(agent *ag, const char *framework, const hdrf_resources *r)
{
    if (hdrf_resources_empty(r))
        return HDRF_OK;
    int rc = holding_subtract(ag, framework, r);
    return rc == HDRF_OK ? held_changed(ag, r, -1) : rc;
}

int agent_rehold(agent *ag, const char *framework, const hdrf_resources *before,
                 const hdrf_resources *after)
{
    int rc = hdrf_resources_empty(before) ? HDRF_OK : holding_subtract(ag, framework, before);
    return rc == HDRF_OK ? holding_add(ag, framework, after) : rc;
}

/* ---- totals -------------------------------------------------------------------- */

static bool is_gpu(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return r->type == HDRF_SCALAR && strcmp(r->name, "gpus") == 0 && r->scalar > 0;
}

static void note_kinds(agent *ag)
{
    ag->has_gpus = ag->has_revocable = false;
    for (size_t i = 0; i < ag->total->n; i++) {
        ag->has_gpus |= is_gpu(&ag->total->v[i], NULL);
        ag->has_revocable |= ag->total->v[i].revocable;
    }
}

/* Every sorter counts every agent's total (spec §B.5): the role sorter
 * hears of each agent, the framework sorters get the sum when next walked
 * (ledger_sorter_totals()). */
static int sorters_add_agent(hdrf_allocator *a, agent *ag)
{
    return hdrf_sorter_add_agent(a->role_sorter, ag->id, ag->total);
}

static void sorters_remove_agent(hdrf_allocator *a, agent *ag)
{
    hdrf_sorter_remove_agent(a->role_sorter, ag->id);
}

/* Takes a total out of the cluster's scalars (or in). Taking out needs no
 * memory, so it cannot fail: callers take an agent out before putting its
 * new total in, and ignore this status. */
static int count_total(hdrf_allocator *a, const hdrf_resources *total, int sign)
{
    a->totals_version++;
    if (sign < 0) {
        for (size_t i = 0; i < total->n; i++)
            if (total->v[i].type == HDRF_SCALAR)
                quantities_change(a->total_scalars, total->v[i].name, -total->v[i].scalar);
        return HDRF_OK;
    }
    hdrf_quantities *q = hdrf_quantities_of_scalars(total);
    int rc = q ? hdrf_quantities_add(a->total_scalars, q) : HDRF_ENOMEM;
    hdrf_quantities_free(q);
    return rc;
}

/* Takes the agent's total in (+1) or out (-1) of every sum that counts it. */
static int count_agent(hdrf_allocator *a, agent *ag, int sign)
{
    int rc;
    if (sign < 0) {
        sorters_remove_agent(a, ag);
        roles_track_reservations(a, ag->total, -1);
        return count_total(a, ag->total, -1);
    }
    if ((rc = roles_track_reservations(a, ag->total, +1)) != HDRF_OK ||
        (rc = count_total(a, ag->total, +1)) != HDRF_OK)
        return rc;
    return sorters_add_agent(a, ag);
}

int agent_set_total(hdrf_allocator *a, agent *ag, const hdrf_resources *total)
{
    hdrf_resources *copy = hdrf_resources_copy(total);
    if (!copy)
        return HDRF_ENOMEM;
    count_agent(a, ag, -1);
    hdrf_resources_free(ag->total);
    ag->total = copy;
    note_kinds(ag);
    int rc = count_agent(a, ag, +1);
    return rc == HDRF_OK ? agent_refresh_available(ag) : rc;
}

bool conversions_touch_shared(const hdrf_conversion *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (has_shared(c[i].consumed) || has_shared(c[i].converted))
            return true;
    return false;
}

/* Whether a conversion changes the scalar quantities it holds (only one
 * that removes what it consumes does). */
static int requantifies(const hdrf_conversion *c, bool *changed)
{
    hdrf_quantities *qin = hdrf_quantities_of_scalars(c->consumed);
    hdrf_quantities *qout = hdrf_quantities_of_scalars(c->converted);
    int rc = qin && qout ? HDRF_OK : HDRF_ENOMEM;
    if (rc == HDRF_OK)
        *changed |= !hdrf_quantities_equal(qin, qout);
    hdrf_quantities_free(qin);
    hdrf_quantities_free(qout);
    return rc;
}

int agent_convert_total(hdrf_allocator *a, agent *ag, const hdrf_conversion *c, size_t n)
{
    int rc = conversions_apply(ag->total, c, n);
    if (rc != HDRF_OK)
        return rc;
    note_kinds(ag);
    bool changed = false;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        /* converted first: a role losing and regaining reservations stays */
        if ((rc = roles_track_reservations(a, c[i].converted, +1)) == HDRF_OK &&
            (rc = roles_track_reservations(a, c[i].consumed, -1)) == HDRF_OK &&
            (rc = requantifies(&c[i], &changed)) == HDRF_OK &&
            (rc = count_total(a, c[i].converted, +1)) == HDRF_OK)
            rc = count_total(a, c[i].consumed, -1);
    }
    if (rc == HDRF_OK && changed) {
        sorters_remove_agent(a, ag);
        rc = sorters_add_agent(a, ag);
    }
    return rc;
}

/* ---- info ------------------------------------------------------------------------- */

static void attributes_free(hdrf_attribute *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) { /* v NULL: its calloc failed */
        free((char *)v[i].name);
        free((char *)v[i].text);
    }
    free(v);
}

static bool attribute_equal(const hdrf_attribute *x, const hdrf_attribute *y)
{
    return x->type == y->type && strcmp(x->name, y->name) == 0 && strcmp(x->text, y->text) == 0;
}

/* Mesos compares attributes as sets: order does not matter. */
static bool attributes_equal(const hdrf_attribute *x, size_t nx, const hdrf_attribute *y, size_t ny)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++) {
        bool found = false;
        for (size_t j = 0; j < ny && !found; j++)
            found = attribute_equal(&x[i], &y[j]);
        if (!found)
            return false;
    }
    return true;
}

static bool text_equal(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static bool info_equal(const agent *ag, const hdrf_agent_info *info)
{
    return text_equal(ag->hostname, info->hostname) && text_equal(ag->region, info->region) &&
           text_equal(ag->zone, info->zone) && ag->nattributes == info->nattributes &&
           (ag->nattributes == 0 ||
            attributes_equal(ag->attributes, ag->nattributes, info->attributes, info->nattributes));
}

static char *dup_opt(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = false;
    return d;
}

/* Replaces the descriptive part of an agent's info (not its id). */
static int set_info(agent *ag, const hdrf_agent_info *info)
{
    bool ok = true;
    char *hostname = dup_opt(info->hostname ? info->hostname : "", &ok);
    char *region = dup_opt(info->region, &ok);
    char *zone = dup_opt(info->zone, &ok);
    hdrf_attribute *attrs = info->nattributes ? calloc(info->nattributes, sizeof *attrs) : NULL;
    if (info->nattributes && !attrs)
        ok = false;
    for (size_t i = 0; ok && i < info->nattributes; i++) {
        attrs[i].type = info->attributes[i].type;
        attrs[i].name = dup_opt(info->attributes[i].name, &ok);
        attrs[i].text = dup_opt(info->attributes[i].text ? info->attributes[i].text : "", &ok);
    }
    if (!ok) {
        free(hostname);
        free(region);
        free(zone);
        attributes_free(attrs, info->nattributes);
        return HDRF_ENOMEM;
    }
    free(ag->hostname);
    free(ag->region);
    free(ag->zone);
    attributes_free(ag->attributes, ag->nattributes);
    ag->hostname = hostname;
    ag->region = region;
    ag->zone = zone;
    ag->attributes = attrs;
    ag->nattributes = info->nattributes;
    return HDRF_OK;
}

void agent_facts(const agent *ag, hdrf_agent_facts *facts)
{
    facts->hostname = ag->hostname;
    facts->region = ag->region;
    facts->zone = ag->zone;
    facts->attributes = ag->attributes;
    facts->nattributes = ag->nattributes;
}

/* ---- lifecycle ---------------------------------------------------------------------- */

static void agent_free(agent *ag)
{
    if (!ag)
        return;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&ag->held, &cursor, &key, &value))
        holding_free(value);
    strmap_free(&ag->held);
    cursor = 0;
    while (strmap_next(&ag->statuses, &cursor, &key, &value)) {
        free(((inverse_state *)value)->framework);
        free(value);
    }
    strmap_free(&ag->statuses);
    strmap_free(&ag->outstanding);
    free(ag->id);
    free(ag->hostname);
    free(ag->region);
    free(ag->zone);
    attributes_free(ag->attributes, ag->nattributes);
    hdrf_resources_free(ag->total);
    hdrf_resources_free(ag->used);
    hdrf_resources_free(ag->available);
    hdrf_resources_free(ag->offered_shared);
    refusal_release(ag->last_refusal);
    free(ag);
}

void agents_free_all(hdrf_allocator *a)
{
    for (size_t i = 0; i < a->nagents; i++)
        agent_free(a->agents[i]);
    free(a->agents);
    strmap_free(&a->agents_by_id);
}

static void clear_maintenance(agent *ag)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&ag->statuses, &cursor, &key, &value)) {
        free(((inverse_state *)value)->framework);
        free(value);
    }
    strmap_free(&ag->statuses);
    ag->statuses = (strmap)STRMAP_INIT;
    strmap_free(&ag->outstanding);
    ag->outstanding = (strmap)STRMAP_INIT;
    ag->maintained = false;
}

static void set_maintenance(agent *ag, const hdrf_unavailability *u)
{
    clear_maintenance(ag);
    if (u) {
        ag->maintained = true;
        ag->unavailability = *u;
    }
}

static bool all_allocated(const hdrf_resources *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].allocation_role)
            return false;
    return true;
}

int check_holdings(hdrf_allocator *a, const char *what, const hdrf_holding *used, size_t nused)
{
    for (size_t i = 0; i < nused; i++) {
        if (!used[i].id || !used[i].resources)
            return alloc_fail(a, HDRF_EINVAL, "%s[%zu]: an id and resources are required", what, i);
        if (!all_allocated(used[i].resources))
            return alloc_fail(a, HDRF_EINVAL,
                              "%s[%zu] (%s): every resource must carry the role it is "
                              "allocated to",
                              what, i, used[i].id);
    }
    return HDRF_OK;
}

/* Used resources of frameworks the allocator knows enter the ledger. */
static int track_used(hdrf_allocator *a, agent *ag, const char *framework_id,
                      const hdrf_resources *r)
{
    framework *fw = frameworks_find(a, framework_id);
    if (!fw)
        return HDRF_OK;
    int rc = ledger_allocated(a, fw, ag, r);
    return rc == HDRF_OK ? roles_track_used(a, r, +1) : rc;
}

int hdrf_allocator_add_agent(hdrf_allocator *a, const hdrf_agent_info *info,
                             const hdrf_resources *total, const hdrf_unavailability *unavailability,
                             const hdrf_holding *used, size_t nused)
{
    if (!info || !info->id || !*info->id || !total)
        return alloc_fail(a, HDRF_EINVAL, "add_agent: an id and a total are required");
    if (agents_find(a, info->id))
        return alloc_fail(a, HDRF_EEXIST, "add_agent: agent %s is already known", info->id);
    int rc = check_holdings(a, "add_agent: used", used, nused);
    if (rc != HDRF_OK)
        return rc;
    agent *ag = calloc(1, sizeof *ag);
    if (!ag || !(ag->id = strdup(info->id)) || !(ag->total = hdrf_resources_copy(total)) ||
        !(ag->used = hdrf_resources_new()) || set_info(ag, info) != HDRF_OK ||
        array_reserve(&a->agents, &a->agents_cap, a->nagents + 1, sizeof *a->agents) != HDRF_OK ||
        strmap_put(&a->agents_by_id, ag->id, ag) != HDRF_OK) {
        agent_free(ag);
        return alloc_fail(a, HDRF_ENOMEM, "add_agent: out of memory");
    }
    ag->capabilities = info->capabilities;
    ag->active = true;
    note_kinds(ag);
    set_maintenance(ag, unavailability);
    ag->slot = a->nagents;
    a->agents[a->nagents++] = ag;
    for (size_t i = 0; rc == HDRF_OK && i < nused; i++) {
        rc = holding_add(ag, used[i].id, used[i].resources); /* available: once, below */
        if (rc == HDRF_OK)
            rc = hdrf_resources_add(ag->used, used[i].resources);
    }
    if (rc == HDRF_OK)
        rc = agent_refresh_available(ag);
    if (rc == HDRF_OK)
        rc = count_agent(a, ag, +1);
    for (size_t i = 0; rc == HDRF_OK && i < nused; i++)
        rc = track_used(a, ag, used[i].id, used[i].resources);
    if (rc != HDRF_OK)
        return alloc_fail(a, rc, "add_agent %s: out of memory", ag->id);
    if (a->recovering && (int)a->nagents >= a->expected_agents) {
        a->recovering = false;
        hdrf_allocator_resume(a);
    }
    alloc_trigger(a, ag);
    return HDRF_OK;
}

int hdrf_allocator_remove_agent(hdrf_allocator *a, const char *id)
{
    agent *ag = agents_find(a, id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "remove_agent: unknown agent %s", id_text(id));
    roles_track_used(a, ag->used, -1);
    /* Out of the agents first: the ledger asks the others what a framework
     * still holds in a role it left (holds_anything() in alloc_ledger.c). */
    a->agents[ag->slot] = a->agents[--a->nagents];
    a->agents[ag->slot]->slot = ag->slot;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&ag->held, &cursor, &key, &value)) {
        holding *h = value;
        framework *fw = frameworks_find(a, h->framework);
        /* Mesos aborts on a holding of an unknown framework; it has no
         * ledger entry to undo, so hdrf just lets it go with the agent. */
        if (fw)
            ledger_unallocated(a, fw, ag, h->resources);
    }
    count_agent(a, ag, -1);
    filters_clear_agent(a, ag, true, true);
    strmap_remove(&a->agents_by_id, ag->id);
    agent_free(ag);
    return HDRF_OK;
}

int hdrf_allocator_update_agent(hdrf_allocator *a, const hdrf_agent_info *info,
                                const hdrf_resources *total, bool update_capabilities)
{
    agent *ag = info ? agents_find(a, info->id) : NULL;
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "update_agent: unknown agent %s",
                          id_text(info ? info->id : NULL));
    bool updated = false;
    int rc = HDRF_OK;
    if (!attributes_equal(ag->attributes, ag->nattributes, info->attributes, info->nattributes)) {
        /* what a framework refused may suit it on an agent that changed */
        filters_clear_agent(a, ag, true, true);
        updated = true;
    }
    if (!info_equal(ag, info)) {
        if ((rc = set_info(ag, info)) != HDRF_OK)
            return alloc_fail(a, rc, "update_agent %s: out of memory", ag->id);
        updated = true;
    }
    if (update_capabilities && ag->capabilities != info->capabilities) {
        ag->capabilities = info->capabilities;
        updated = true;
    }
    if (total && !hdrf_resources_equal(total, ag->total)) {
        if ((rc = agent_set_total(a, ag, total)) != HDRF_OK)
            return alloc_fail(a, rc, "update_agent %s: out of memory", ag->id);
        updated = true;
    }
    if (updated)
        alloc_trigger(a, ag);
    return HDRF_OK;
}

static int set_active(hdrf_allocator *a, const char *id, bool active, const char *call)
{
    agent *ag = agents_find(a, id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "%s: unknown agent %s", call, id_text(id));
    ag->active = active;
    return HDRF_OK;
}

int hdrf_allocator_activate_agent(hdrf_allocator *a, const char *agent)
{
    return set_active(a, agent, true, "activate_agent");
}

int hdrf_allocator_deactivate_agent(hdrf_allocator *a, const char *agent)
{
    return set_active(a, agent, false, "deactivate_agent");
}

int hdrf_allocator_add_resource_provider(hdrf_allocator *a, const char *id,
                                         const hdrf_resources *total, const hdrf_holding *used,
                                         size_t nused)
{
    agent *ag = agents_find(a, id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "add_resource_provider: unknown agent %s",
                          id_text(id));
    if (!total)
        return alloc_fail(a, HDRF_EINVAL, "add_resource_provider: a total is required");
    int rc = check_holdings(a, "add_resource_provider: used", used, nused);
    if (rc != HDRF_OK)
        return rc;
    hdrf_resources *grown = hdrf_resources_copy(ag->total);
    rc = grown ? hdrf_resources_add(grown, total) : HDRF_ENOMEM;
    if (rc == HDRF_OK)
        rc = agent_set_total(a, ag, grown);
    hdrf_resources_free(grown);
    /* As Mesos: frameworks not known are skipped entirely, and these
     * resources do not count as used by tasks (spec §D.9). */
    for (size_t i = 0; rc == HDRF_OK && i < nused; i++) {
        framework *fw = frameworks_find(a, used[i].id);
        if (!fw)
            continue;
        rc = agent_hold(ag, used[i].id, used[i].resources);
        if (rc == HDRF_OK)
            rc = ledger_allocated(a, fw, ag, used[i].resources);
    }
    return rc == HDRF_OK ? HDRF_OK
                         : alloc_fail(a, rc, "add_resource_provider %s: out of memory", id);
}

/* ---- maintenance -------------------------------------------------------------------------- */

int hdrf_allocator_update_unavailability(hdrf_allocator *a, const char *id,
                                         const hdrf_unavailability *unavailability)
{
    agent *ag = agents_find(a, id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "update_unavailability: unknown agent %s",
                          id_text(id));
    filters_clear_agent(a, ag, false, true);
    set_maintenance(ag, unavailability);
    alloc_trigger(a, ag);
    return HDRF_OK;
}

int hdrf_allocator_update_inverse_offer(hdrf_allocator *a, const char *agent_id,
                                        const char *framework_id, hdrf_inverse_status status,
                                        const double *refuse_seconds, hdrf_time now)
{
    agent *ag;
    framework *fw;
    int rc = alloc_find_pair(a, "update_inverse_offer", framework_id, agent_id, &fw, &ag);
    if (rc != HDRF_OK)
        return rc;
    if (!ag->maintained)
        return alloc_fail(a, HDRF_EINVAL, "update_inverse_offer: agent %s has no unavailability",
                          ag->id);
    if (status == HDRF_INVERSE_UNKNOWN || status < HDRF_INVERSE_NONE ||
        status > HDRF_INVERSE_DECLINE)
        return alloc_fail(a, HDRF_EINVAL,
                          "update_inverse_offer: status %d is not allowed (ACCEPT or DECLINE)",
                          (int)status);
    hdrf_time d = refuse_seconds ? filters_duration(*refuse_seconds) : 0;
    if (d && filters_add_inverse(fw, ag, now + d) != HDRF_OK)
        return alloc_fail(a, HDRF_ENOMEM, "update_inverse_offer: out of memory");
    if (!strmap_remove(&ag->outstanding, fw->id) || status == HDRF_INVERSE_NONE)
        return HDRF_OK; /* a late answer: only its filter counts, as in Mesos */
    inverse_state *st = strmap_get(&ag->statuses, fw->id);
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st || !(st->framework = strdup(fw->id)) ||
            strmap_put(&ag->statuses, st->framework, st) != HDRF_OK) {
            if (st)
                free(st->framework);
            free(st);
            return alloc_fail(a, HDRF_ENOMEM, "update_inverse_offer: out of memory");
        }
    }
    st->status = status;
    st->at = now;
    return HDRF_OK;
}

int hdrf_allocator_inverse_offer_statuses(const hdrf_allocator *a,
                                          void (*visit)(void *arg, const char *agent,
                                                        const char *framework,
                                                        hdrf_inverse_status status, hdrf_time at),
                                          void *arg)
{
    for (size_t i = 0; i < a->nagents; i++) {
        const agent *ag = a->agents[i];
        size_t cursor = 0;
        const char *key;
        void *value;
        while (ag->maintained && strmap_next(&ag->statuses, &cursor, &key, &value))
            visit(arg, ag->id, key, ((inverse_state *)value)->status, ((inverse_state *)value)->at);
    }
    return HDRF_OK;
}
