/* alloc_blocked.c: which roles cannot take more now, from what their
 * frameworks do, and which resources are saturated: the two facts H-DRF's
 * sorter needs (role_sorter=hdrf) and cannot see in holdings alone.
 *
 * H-DRF (Bhattacharya et al., SoCC 2013, section 4) leaves a blocked node out
 * of its parent's rescaling: the paper knows each leaf's demand, Mesos's
 * allocator does not. A framework shows it when it declines: if it declined
 * what it was offered for a role without launching anything from its offers
 * since, it is *stuck* there until something changes for it (a task of its
 * ends, a filter of its expires or is cleared by a revive, an agent is added
 * or grows). A role is *blocked* while none of its frameworks can take more:
 * each is unsubscribed, inactive, suppressed there or stuck. Each change
 * costs O(1): a role counts its frameworks that are able to grow, and the
 * role sorter hears of a role only when that count reaches or leaves zero;
 * an event that changes things for every framework costs what is stuck.
 *
 * A resource is *saturated* when no active agent has an allocatable amount
 * of it left: less than the smallest single-resource minimum that
 * min_allocatable_resources names for it, or nothing at all when none names
 * it. It is found once per run, before the order is taken, and the role
 * sorter hears of it only when the set changes.
 *
 * With another role order nothing here runs: Mesos's DRF and random sorters
 * do not use either fact. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

static bool tracking(const hdrf_allocator *a) { return a->options.role_order == HDRF_ORDER_HDRF; }

static bool able(const fw_role *fr)
{
    return fr->subscribed && fr->fw->active && !fr->suppressed && !fr->stuck;
}

/* Tells the role sorter when the role's blocked state changed. */
static void tell_role(hdrf_allocator *a, role *r)
{
    bool blocked = r->nable == 0;
    if (blocked == r->told_blocked || !r->sorter)
        return;
    if (hdrf_sorter_set_blocked(a->role_sorter, r->path, blocked) == HDRF_OK)
        r->told_blocked = blocked;
}

void blocked_sync(hdrf_allocator *a, fw_role *fr)
{
    if (!tracking(a))
        return;
    bool now = able(fr);
    if (now != fr->able) {
        fr->able = now;
        if (now)
            fr->role->nable++;
        else
            fr->role->nable--;
    }
    tell_role(a, fr->role);
}

/* The stuck pairs are listed (fr->stuck_slot in a->stuck), so that an
 * event that unsticks them all costs what is stuck, not every pair. Out of
 * memory, a pair is just not marked: it stays able, as before hdrf knew. */
static void set_stuck(hdrf_allocator *a, fw_role *fr, bool stuck)
{
    if (fr->stuck == stuck)
        return;
    if (stuck) {
        if (array_reserve(&a->stuck, &a->stuck_cap, a->nstuck + 1, sizeof *a->stuck) != HDRF_OK)
            return;
        fr->stuck_slot = a->nstuck;
        a->stuck[a->nstuck++] = fr;
    } else {
        fw_role *last = a->stuck[--a->nstuck];
        a->stuck[fr->stuck_slot] = last;
        last->stuck_slot = fr->stuck_slot;
    }
    fr->stuck = stuck;
    blocked_sync(a, fr);
}

void blocked_forget(hdrf_allocator *a, fw_role *fr)
{
    if (!tracking(a))
        return;
    set_stuck(a, fr, false);
    if (!fr->able)
        return;
    fr->able = false;
    fr->role->nable--;
    tell_role(a, fr->role);
}

void blocked_offered(hdrf_allocator *a, fw_role *fr)
{
    if (tracking(a))
        fr->launched = false;
}

void blocked_declined(hdrf_allocator *a, fw_role *fr)
{
    if (tracking(a) && !fr->launched)
        set_stuck(a, fr, true);
}

void blocked_launched(hdrf_allocator *a, fw_role *fr)
{
    if (!tracking(a))
        return;
    fr->launched = true;
    set_stuck(a, fr, false);
}

void blocked_changed(hdrf_allocator *a, fw_role *fr)
{
    if (tracking(a))
        set_stuck(a, fr, false);
}

void blocked_changed_all(hdrf_allocator *a)
{
    while (a->nstuck > 0)
        set_stuck(a, a->stuck[a->nstuck - 1], false);
}

/* ---- saturation ------------------------------------------------------------------ */

/* The smallest amount of `name` that the minimum allows alone (0: any). */
static int64_t least_allocatable(const hdrf_allocator *a, const char *name)
{
    int64_t least = 0;
    bool found = false;
    for (size_t i = 0; a->has_minimum && i < a->nminimum; i++) {
        const hdrf_quantities *q = a->minimum[i];
        if (hdrf_quantities_size(q) != 1 || strcmp(hdrf_quantities_name(q, 0), name) != 0)
            continue;
        int64_t m = hdrf_quantities_value(q, 0);
        if (!found || m < least)
            least = m;
        found = true;
    }
    return least;
}

/* Whether some active agent has an allocatable amount of `name` free. */
static bool free_somewhere(const hdrf_allocator *a, const char *name, int64_t least)
{
    for (size_t i = 0; i < a->nagents; i++) {
        const agent *ag = a->agents[i];
        if (!ag->active)
            continue;
        int64_t free_milli = 0;
        for (size_t j = 0; j < ag->available->n; j++) {
            const hdrf_resource *r = &ag->available->v[j];
            if (r->type == HDRF_SCALAR && strcmp(r->name, name) == 0)
                free_milli += r->scalar;
        }
        if (free_milli > 0 && free_milli >= least)
            return true;
    }
    return false;
}

static bool same_names(char *const *x, size_t nx, char *const *y, size_t ny)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++)
        if (strcmp(x[i], y[i]) != 0)
            return false;
    return true;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int blocked_feed_saturation(hdrf_allocator *a)
{
    if (!tracking(a))
        return HDRF_OK;
    size_t total = hdrf_quantities_size(a->total_scalars), n = 0;
    char **names = calloc(total ? total : 1, sizeof *names);
    if (!names)
        return HDRF_ENOMEM;
    int rc = HDRF_OK;
    for (size_t i = 0; i < total && rc == HDRF_OK; i++) {
        const char *name = hdrf_quantities_name(a->total_scalars, i);
        if (hdrf_quantities_value(a->total_scalars, i) <= 0 ||
            free_somewhere(a, name, least_allocatable(a, name)))
            continue;
        if (!(names[n++] = strdup(name)))
            rc = HDRF_ENOMEM;
    }
    /* Told at the first run even when empty: from then on the sorter
     * takes the allocator's word for what is saturated. */
    if (rc == HDRF_OK && (!a->saturated || !same_names(names, n, a->saturated, a->nsaturated)))
        rc = hdrf_sorter_set_saturated(a->role_sorter, (const char *const *)names, n);
    if (rc == HDRF_OK) {
        free_names(a->saturated, a->nsaturated);
        a->saturated = names;
        a->nsaturated = n;
    } else {
        free_names(names, n);
    }
    return rc;
}

void blocked_free(hdrf_allocator *a)
{
    free(a->stuck);
    a->stuck = NULL;
    a->nstuck = a->stuck_cap = 0;
    free_names(a->saturated, a->nsaturated);
    a->saturated = NULL;
    a->nsaturated = 0;
}
