/* alloc_offer.c: shaping one candidate offer (spec §C.1 "helper definitions").
 *
 * Before a framework is offered what an agent has free in a role, Mesos
 * checks the agent suits the framework (GPUs, region), drops what the
 * framework cannot take (shared, revocable, refined reservations), cuts the
 * quota-counted part to the role's limit and to the headroom that others'
 * guarantees leave, and checks the result is worth offering (the minimum
 * allocatable resources). These are those steps, one function each.
 *
 * Cutting follows Mesos's shrink(): each resource is kept whole when the
 * allowance for its name covers it, else cut to the allowance when it can be
 * split (an indivisible disk, a MOUNT disk or a volume, is dropped instead).
 * Mesos visits resources in a random order; hdrf visits them in the
 * collection's order, so the same state always gives the same offer. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"

minimum_set offer_minimum(const hdrf_allocator *a, const fw_role *fr)
{
    if (fr->has_minimum)
        return (minimum_set){fr->minimum, fr->nminimum};
    if (a->has_minimum)
        return (minimum_set){a->minimum, a->nminimum};
    return (minimum_set){NULL, 0};
}

/* How much of `name` r holds, counting every resource of that name
 * (any reservation, revocable or shared), as Resources::contains(quantities). */
static int64_t amount_of(const hdrf_resources *r, const char *name)
{
    int64_t sum = 0;
    for (size_t i = 0; i < r->n; i++) {
        const hdrf_resource *x = &r->v[i];
        if (strcmp(x->name, name) != 0)
            continue;
        if (x->type == HDRF_SCALAR)
            sum += x->scalar;
        else if (x->type == HDRF_SET)
            sum += (int64_t)x->set.n * HDRF_MILLI;
        else
            sum += (int64_t)rangelist_count(&x->ranges) * HDRF_MILLI;
    }
    return sum;
}

bool offer_allocatable(const hdrf_resources *r, minimum_set min)
{
    if (hdrf_resources_empty(r))
        return false;
    if (min.n == 0)
        return true;
    for (size_t i = 0; i < min.n; i++) {
        const hdrf_quantities *q = min.alternatives[i];
        bool enough = true;
        for (size_t j = 0; enough && j < hdrf_quantities_size(q); j++)
            enough = amount_of(r, hdrf_quantities_name(q, j)) >= hdrf_quantities_value(q, j);
        if (enough)
            return true;
    }
    return false;
}

bool offer_capable_agent(const hdrf_allocator *a, const framework *fw, const agent *ag)
{
    if (a->options.filter_gpu_resources && ag->has_gpus &&
        !(fw->capabilities & HDRF_FRAMEWORK_GPU_RESOURCES))
        return false;
    bool remote = a->region && ag->region && strcmp(a->region, ag->region) != 0;
    return !remote || (fw->capabilities & HDRF_FRAMEWORK_REGION_AWARE);
}

static bool takes(const hdrf_resource *r, void *arg)
{
    unsigned caps = *(const unsigned *)arg;
    if (r->shared && !(caps & HDRF_FRAMEWORK_SHARED_RESOURCES))
        return false;
    if (r->revocable && !(caps & HDRF_FRAMEWORK_REVOCABLE_RESOURCES))
        return false;
    return r->nreservations <= 1 || (caps & HDRF_FRAMEWORK_RESERVATION_REFINEMENT);
}

/* Replaces r's contents with `kept` (a new collection), freeing the old. */
static int replace_with(hdrf_resources *r, hdrf_resources *kept)
{
    if (!kept)
        return HDRF_ENOMEM;
    hdrf_resources old = *r;
    *r = *kept;
    *kept = old;
    hdrf_resources_free(kept);
    return HDRF_OK;
}

bool offer_takes_all(const hdrf_resources *r, unsigned capabilities)
{
    for (size_t i = 0; i < r->n; i++)
        if (!takes(&r->v[i], &capabilities))
            return false;
    return true;
}

hdrf_resources *offer_takeable(const hdrf_resources *r, unsigned capabilities)
{
    return hdrf_resources_filter(r, takes, &capabilities);
}

static bool counts_for_quota(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return r->type == HDRF_SCALAR && r->nreservations == 0 && !r->revocable;
}

hdrf_resources *offer_quota_part(const hdrf_resources *r)
{
    return hdrf_resources_filter(r, counts_for_quota, NULL);
}

/* ---- cutting -------------------------------------------------------------------- */

/* The allowance left per resource name during one cut. */
typedef struct allowance {
    const char *name;
    bool limited;
    int64_t left;
} allowance;

typedef void (*allowance_fn)(const void *ctx, const char *name, allowance *out);

/* Keeps x whole, cut to `left`, or not at all; *kept_amount says how much. */
static int keep_part(const hdrf_resource *x, int64_t left, hdrf_resources *out,
                     int64_t *kept_amount)
{
    hdrf_resource part;
    *kept_amount = 0;
    if (left <= 0)
        return HDRF_OK;
    if (resource_copy(&part, x) != HDRF_OK)
        return HDRF_ENOMEM;
    if (x->scalar > left) {
        part.scalar = left;
        /* a disk with disk info may be indivisible (MOUNT, a volume) */
        if (x->disk && !resource_contains(x, &part)) {
            resource_free(&part);
            return HDRF_OK;
        }
    }
    *kept_amount = part.scalar;
    return resources_add_owned(out, &part);
}

static int cut(hdrf_resources *r, allowance_fn allow, const void *ctx)
{
    allowance *seen = calloc(r->n ? r->n : 1, sizeof *seen);
    hdrf_resources *out = hdrf_resources_new();
    int rc = seen && out ? HDRF_OK : HDRF_ENOMEM;
    size_t nseen = 0;
    for (size_t i = 0; rc == HDRF_OK && i < r->n; i++) {
        const hdrf_resource *x = &r->v[i];
        allowance *al = NULL;
        for (size_t j = 0; j < nseen && !al; j++)
            if (strcmp(seen[j].name, x->name) == 0)
                al = &seen[j];
        if (!al) {
            al = &seen[nseen++];
            al->name = x->name;
            allow(ctx, x->name, al);
        }
        if (!al->limited || x->type != HDRF_SCALAR) {
            hdrf_resource whole;
            rc = resource_copy(&whole, x);
            if (rc == HDRF_OK)
                rc = resources_add_owned(out, &whole);
            continue;
        }
        int64_t kept;
        rc = keep_part(x, al->left, out, &kept);
        al->left -= kept;
    }
    free(seen);
    if (rc != HDRF_OK) {
        hdrf_resources_free(out);
        return rc;
    }
    return replace_with(r, out);
}

static void from_quantities(const void *ctx, const char *name, allowance *out)
{
    out->limited = true; /* a name absent from the quantities gets nothing */
    out->left = hdrf_quantities_get(ctx, name);
}

int offer_shrink_quantities(hdrf_resources *r, const hdrf_quantities *q)
{
    return cut(r, from_quantities, q);
}

typedef struct limits_ctx {
    const role *role;
    const hdrf_quantities *pending;
    bool ancestors;
} limits_ctx;

/* The least that the role, and with `ancestors` each ancestor, with a limit
 * on `name` still allow: limit - consumed - pending (Mesos 1.11 bounds a
 * role by its own limits only, spec §H.1 #1; nested_quota=hdrf by its
 * ancestors' too). */
static void from_limits(const void *ctx, const char *name, allowance *out)
{
    const limits_ctx *lc = ctx;
    int64_t pending = lc->pending ? hdrf_quantities_get(lc->pending, name) : 0;
    out->limited = false;
    for (const role *r = lc->role; r; r = lc->ancestors ? r->parent : NULL) {
        int64_t limit;
        if (!role_limit(r, name, &limit))
            continue;
        int64_t left = limit - hdrf_quantities_get(r->consumed, name) - pending;
        if (left < 0)
            left = 0;
        if (!out->limited || left < out->left)
            out->left = left;
        out->limited = true;
    }
}

bool offer_role_limited(const role *r0, bool ancestors)
{
    for (const role *x = r0; x; x = ancestors ? x->parent : NULL)
        if (x->nlimits)
            return true;
    return false;
}

int offer_shrink_limits(hdrf_resources *r, const role *r0, const hdrf_quantities *pending,
                        bool ancestors)
{
    limits_ctx ctx = {r0, pending, ancestors};
    return offer_role_limited(r0, ancestors) ? cut(r, from_limits, &ctx) : HDRF_OK;
}
