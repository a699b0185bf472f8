/* alloc_filters.c: offer filters and inverse-offer filters (spec §D.13, §D.14).
 *
 * A framework that declines resources with Filters{refuse_seconds} is not
 * offered a subset of them on that agent, in that role, until the filter
 * expires; anything more (resources freed by others, a larger total) passes.
 * Mesos removes a filter when its timer fires and never looks at the time
 * when checking one. hdrf has no timers: each run first drops the filters
 * whose timers would have fired before it, by the rule that reproduces
 * Mesos's timer order exactly (see filters_expire in alloc_filters_sweep.c).
 *
 * This file owns the lists of one framework (in one role, or for inverse
 * offers); the sweeps over every framework are in alloc_filters_sweep.c. */
#include <math.h>
#include <stdlib.h>

#include "allocator/alloc_internal.h"

#define DEFAULT_REFUSE (5 * HDRF_SECOND)
#define MAX_REFUSE_DAYS 365
#define MAX_REFUSE (MAX_REFUSE_DAYS * 24 * 3600 * HDRF_SECOND)

hdrf_time filters_duration(double refuse_seconds)
{
    /* Mesos 1.11 (hierarchical.cpp, recoverResources() and
     * updateInverseOffer()) tests the value in this order: more than 365
     * days, +inf and 1e300 included, is 365 days; a negative value, -inf
     * included, is the 5 s default. NaN fails both tests and reaches
     * Duration::create(), whose cast to int64 then yields, on x86-64, the
     * most negative duration: a filter whose timer has already fired, which
     * for an offer filter lasts the allocation interval that Mesos takes as
     * the minimum. hdrf gives NaN the shortest filter there is, 1 ns, to the
     * same effect on both paths. */
    if (isnan(refuse_seconds))
        return 1;
    if (refuse_seconds > MAX_REFUSE_DAYS * 24 * 3600.0)
        return MAX_REFUSE;
    if (refuse_seconds < 0)
        return DEFAULT_REFUSE;
    return (hdrf_time)(refuse_seconds * (double)HDRF_SECOND);
}

void refusal_release(refusal *r)
{
    if (r && --r->refs == 0) {
        hdrf_resources_free(r->resources);
        free(r);
    }
}

void free_offer_list(offer_filter *f)
{
    while (f) {
        offer_filter *next = f->next;
        refusal_release(f->refused);
        free(f);
        f = next;
    }
}

/* The agent's last refusal when it refused the same, else a new one that
 * becomes the agent's last; NULL when out of memory. What a decline storm
 * refuses is the offer as handed out, element by element the last refusal:
 * shared by reference, with no copy. */
static refusal *refusal_of(agent *ag, const hdrf_resources *refused)
{
    if (ag->last_refusal &&
        resources_same_in_order_any_role(ag->last_refusal->resources, refused)) {
        ag->last_refusal->refs++;
        return ag->last_refusal;
    }
    hdrf_resources *plain = hdrf_resources_copy(refused);
    refusal *r = NULL;
    if (!plain || hdrf_resources_allocate(plain, NULL) != HDRF_OK)
        goto out;
    if (ag->last_refusal && hdrf_resources_equal(ag->last_refusal->resources, plain)) {
        r = ag->last_refusal;
        r->refs++;
        goto out;
    }
    if (!(r = malloc(sizeof *r)))
        goto out;
    *r = (refusal){2, plain}; /* the filter's and the agent's */
    plain = NULL;
    refusal_release(ag->last_refusal);
    ag->last_refusal = r;
out:
    hdrf_resources_free(plain);
    return r;
}

size_t list_length(const offer_filter *f)
{
    size_t n = 0;
    for (; f; f = f->next)
        n++;
    return n;
}

int filters_add_offer(hdrf_allocator *a, fw_role *fr, agent *ag, const hdrf_resources *refused,
                      hdrf_time expiry)
{
    offer_filter *f = calloc(1, sizeof *f);
    if (!f || !(f->refused = refusal_of(ag, refused)))
        goto fail;
    f->expiry = expiry;
    f->batches = a->batches;
    f->next = strmap_get(&fr->filters, ag->id);
    if (strmap_set(&fr->filters, ag->id, f) != HDRF_OK) {
        f->next = NULL;
        goto fail;
    }
    fr->role->nfilters++;
    return HDRF_OK;
fail:
    free_offer_list(f);
    return HDRF_ENOMEM;
}

bool filters_offer_applies(const fw_role *fr, const agent *ag, const hdrf_resources *offer)
{
    for (const offer_filter *f = strmap_get(&fr->filters, ag->id); f; f = f->next)
        if (hdrf_resources_contains(f->refused->resources, offer))
            return true;
    return false;
}

int filters_add_inverse(framework *fw, agent *ag, hdrf_time expiry)
{
    inverse_filter *f = malloc(sizeof *f);
    if (!f)
        return HDRF_ENOMEM;
    f->expiry = expiry;
    f->next = strmap_get(&fw->inverse_filters, ag->id);
    if (strmap_set(&fw->inverse_filters, ag->id, f) != HDRF_OK) {
        free(f);
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

bool filters_inverse_applies(const framework *fw, const agent *ag, hdrf_time now)
{
    /* Mesos's inverse filters test their timeout, not a timer. */
    for (const inverse_filter *f = strmap_get(&fw->inverse_filters, ag->id); f; f = f->next)
        if (now < f->expiry)
            return true;
    return false;
}

void free_inverse_list(inverse_filter *f)
{
    while (f) {
        inverse_filter *next = f->next;
        free(f);
        f = next;
    }
}

void filters_free_lists(strmap *filters)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(filters, &cursor, &key, &value))
        free_offer_list(value);
    strmap_free(filters);
    *filters = (strmap)STRMAP_INIT;
}

void filters_clear_role(hdrf_allocator *a, fw_role *fr)
{
    blocked_changed(a, fr);
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fr->filters, &cursor, &key, &value)) {
        fr->role->nfilters -= list_length(value);
        free_offer_list(value);
    }
    strmap_free(&fr->filters);
    fr->filters = (strmap)STRMAP_INIT;
}

void filters_clear_inverse(framework *fw)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->inverse_filters, &cursor, &key, &value))
        free_inverse_list(value);
    strmap_free(&fw->inverse_filters);
    fw->inverse_filters = (strmap)STRMAP_INIT;
}
