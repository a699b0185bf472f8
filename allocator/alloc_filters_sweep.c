/* alloc_filters_sweep.c: the sweeps of filters over every framework: the
 * expiry before a run (spec §D.14) and an agent's filters when it goes or
 * changes.
 *
 * A filter list belongs to one framework in one role (alloc_filters.c,
 * below the ledger, which frees a role's filters when it stops tracking the
 * framework there). A sweep walks every (framework, role) pair, which the
 * ledger keeps (frameworks_each_role): so the sweeps sit above the ledger,
 * apart from the lists, and neither file calls the other in a cycle. */
#include <stdlib.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

typedef struct agent_filters {
    agent *ag;
    bool offer;
} agent_filters;

static void clear_agent_role(fw_role *fr, void *arg)
{
    const agent_filters *af = arg;
    offer_filter *list = strmap_remove(&fr->filters, af->ag->id);
    fr->role->nfilters -= list_length(list);
    free_offer_list(list);
}

void filters_clear_agent(hdrf_allocator *a, agent *ag, bool offer, bool inverse)
{
    agent_filters af = {ag, offer};
    if (offer)
        frameworks_each_role(a, clear_agent_role, &af);
    size_t cursor = 0;
    const char *key;
    void *value;
    while (inverse && strmap_next(&a->frameworks, &cursor, &key, &value))
        free_inverse_list(strmap_remove(&((framework *)value)->inverse_filters, ag->id));
}

/* Mesos arms a filter's timer when the filter is made, and the timer of
 * batch run k when run k-1 ends; timers due at the same instant fire in the
 * order they were armed. So a run at `now` no longer sees a filter that
 * expired earlier, and sees one expiring exactly at `now` only when it is the
 * first batch since the filter was made (its timer was armed before the
 * filter's). Event-triggered runs come after every timer due at `now`. */
static bool expired(const hdrf_allocator *a, const offer_filter *f, hdrf_time now, bool batch)
{
    /* a->batches already counts this run when it is a batch */
    if (now != f->expiry)
        return now > f->expiry;
    return !batch || a->batches - 1 > f->batches;
}

static offer_filter *expire_list(const hdrf_allocator *a, offer_filter *f, hdrf_time now,
                                 bool batch, size_t *dropped)
{
    offer_filter *keep = NULL, **tail = &keep;
    while (f) {
        offer_filter *next = f->next;
        if (expired(a, f, now, batch)) {
            f->next = NULL;
            free_offer_list(f);
            (*dropped)++;
        } else {
            *tail = f;
            tail = &f->next;
        }
        f = next;
    }
    *tail = NULL;
    return keep;
}

/* Keys whose lists became empty are removed after the walk: removing from
 * an open-addressing table moves other entries under the cursor. */
typedef struct doomed {
    const char **keys;
    size_t n, cap;
} doomed;

static void doom(doomed *d, const char *key)
{
    /* Out of memory, the empty list stays in place: harmless (an agent
     * with no filters), and dropped with the agent or the role. */
    if (array_reserve(&d->keys, &d->cap, d->n + 1, sizeof *d->keys) == HDRF_OK)
        d->keys[d->n++] = key;
}

static void expire_role(hdrf_allocator *a, fw_role *fr, hdrf_time now, bool batch, doomed *d)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    d->n = 0;
    while (strmap_next(&fr->filters, &cursor, &key, &value)) {
        size_t dropped = 0;
        offer_filter *kept = expire_list(a, value, now, batch, &dropped);
        fr->role->nfilters -= dropped;
        if (dropped)
            blocked_changed(a, fr);
        if (kept)
            strmap_set(&fr->filters, key, kept);
        else
            doom(d, key); /* its list is freed: removed below */
    }
    for (size_t i = 0; i < d->n; i++)
        strmap_remove(&fr->filters, d->keys[i]);
}

static void expire_inverse(framework *fw, hdrf_time now, doomed *d)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    d->n = 0;
    while (strmap_next(&fw->inverse_filters, &cursor, &key, &value)) {
        inverse_filter *keep = NULL, *f = value;
        while (f) {
            inverse_filter *next = f->next;
            if (now < f->expiry) {
                f->next = keep;
                keep = f;
            } else {
                free(f);
            }
            f = next;
        }
        if (keep)
            strmap_set(&fw->inverse_filters, key, keep);
        else
            doom(d, key);
    }
    for (size_t i = 0; i < d->n; i++)
        strmap_remove(&fw->inverse_filters, d->keys[i]);
}

typedef struct expiry {
    hdrf_allocator *a;
    hdrf_time now;
    bool batch;
    doomed d;
} expiry;

static void expire_one_role(fw_role *fr, void *arg)
{
    expiry *x = arg;
    expire_role(x->a, fr, x->now, x->batch, &x->d);
}

void filters_expire(hdrf_allocator *a, hdrf_time now, bool batch)
{
    expiry x = {a, now, batch, {NULL, 0, 0}};
    frameworks_each_role(a, expire_one_role, &x);
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->frameworks, &cursor, &key, &value))
        expire_inverse(value, now, &x.d);
    free(x.d.keys);
}
