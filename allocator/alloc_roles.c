/* alloc_roles.c: the allocator's role tree (spec §B.4).
 *
 * Quota needs to know, for every role, what its whole subtree holds: the
 * reservations on agents' totals, what is offered or allocated (reserved, and
 * unreserved non-revocable apart), and what tasks use. Every change is
 * applied to the role and each ancestor up to the root, so a run reads any
 * role's subtree sum in O(1) instead of walking the subtree.
 *
 * A role exists while something keeps it: a weight or quota, a framework, a
 * reservation, a descendant, or resources it still holds (Mesos aborts in
 * that last case; hdrf keeps the role until they are recovered). */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"

bool role_has_quota(const role *r)
{
    return hdrf_quantities_size(r->guarantees) > 0 || r->nlimits > 0;
}

static void limits_free(limit_entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) /* v NULL: its calloc failed */
        free(v[i].name);
    free(v);
}

static void role_release(role *r)
{
    free(r->path);
    hdrf_quantities_free(r->guarantees);
    limits_free(r->limits, r->nlimits);
    hdrf_sorter_free(r->sorter);
    hdrf_quantities_free(r->reserved);
    hdrf_quantities_free(r->held_unreserved);
    hdrf_quantities_free(r->held_reserved);
    hdrf_quantities_free(r->used_unreserved);
    hdrf_quantities_free(r->consumed);
}

static int role_init(role *r, const char *path, role *parent)
{
    memset(r, 0, sizeof *r);
    r->path = strdup(path);
    r->parent = parent;
    r->weight = 1.0;
    r->guarantees = hdrf_quantities_new();
    r->reserved = hdrf_quantities_new();
    r->held_unreserved = hdrf_quantities_new();
    r->held_reserved = hdrf_quantities_new();
    r->used_unreserved = hdrf_quantities_new();
    r->consumed = hdrf_quantities_new();
    if (!r->path || !r->guarantees || !r->reserved || !r->held_unreserved || !r->held_reserved ||
        !r->used_unreserved || !r->consumed) {
        role_release(r);
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

role *roles_find(const hdrf_allocator *a, const char *path)
{
    if (!*path)
        return (role *)&a->root;
    return strmap_get(&a->roles, path);
}

/* Creates one role under an existing parent. */
static role *role_create(hdrf_allocator *a, const char *path, role *parent)
{
    role *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    if (role_init(r, path, parent) != HDRF_OK) {
        free(r);
        return NULL;
    }
    if (strmap_put(&a->roles, r->path, r) != HDRF_OK) {
        role_release(r);
        free(r);
        return NULL;
    }
    parent->nchildren++;
    return r;
}

role *roles_get(hdrf_allocator *a, const char *path)
{
    role *r = roles_find(a, path);
    if (r)
        return r;
    char *prefix = strdup(path);
    if (!prefix)
        return NULL;
    role *parent = &a->root;
    for (char *slash = prefix;; slash++) {
        slash = strchr(slash, '/');
        if (slash)
            *slash = '\0';
        r = roles_find(a, prefix);
        if (!r)
            r = role_create(a, prefix, parent);
        if (!r || !slash)
            break;
        *slash = '/';
        parent = r;
    }
    free(prefix);
    /* A failure part-way leaves created ancestors that nothing keeps. */
    if (!r)
        roles_prune(a, parent);
    return r;
}

static bool role_kept(const role *r)
{
    return r->has_weight || role_has_quota(r) || r->nframeworks > 0 || r->nchildren > 0 ||
           hdrf_quantities_size(r->reserved) > 0 || hdrf_quantities_size(r->held_unreserved) > 0 ||
           hdrf_quantities_size(r->held_reserved) > 0 ||
           hdrf_quantities_size(r->used_unreserved) > 0;
}

void roles_prune(hdrf_allocator *a, role *r)
{
    while (r && r != &a->root && !role_kept(r)) {
        role *parent = r->parent;
        strmap_remove(&a->roles, r->path);
        parent->nchildren--;
        role_release(r);
        free(r);
        r = parent;
    }
}

void roles_free_all(hdrf_allocator *a)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->roles, &cursor, &key, &value)) {
        role_release(value);
        free(value);
    }
    strmap_free(&a->roles);
    role_release(&a->root);
}

/* ---- subtree sums --------------------------------------------------------------- */

typedef enum which { RESERVED, HELD_UNRESERVED, HELD_RESERVED, USED_UNRESERVED } which;

static hdrf_quantities *sum_of(role *r, which w)
{
    switch (w) {
    case RESERVED:
        return r->reserved;
    case HELD_UNRESERVED:
        return r->held_unreserved;
    case HELD_RESERVED:
        return r->held_reserved;
    default:
        return r->used_unreserved;
    }
}

/* Adds `milli` (signed) of `name` to a role and every ancestor. Additions
 * only grow arrays (the ENOMEM case); subtractions never fail. */
static int apply_up(role *r, which w, const char *name, int64_t milli)
{
    for (; r; r = r->parent)
        if (quantities_change(sum_of(r, w), name, milli) != HDRF_OK)
            return HDRF_ENOMEM;
    return HDRF_OK;
}

/* The role a scalar counts under for `w`, or NULL when it does not count. */
static const char *counting_role(const hdrf_resource *r, which w)
{
    if (r->type != HDRF_SCALAR)
        return NULL;
    switch (w) {
    case RESERVED:
        return r->nreservations ? r->reservations[r->nreservations - 1].role : NULL;
    case HELD_RESERVED:
        return r->nreservations ? r->allocation_role : NULL;
    default: /* unreserved non-revocable, by allocation role */
        return !r->nreservations && !r->revocable ? r->allocation_role : NULL;
    }
}

static int track(hdrf_allocator *a, const hdrf_resources *rs, which w, int sign)
{
    const char *last_path = NULL; /* additions: the role of the last resource */
    role *last = NULL;
    for (size_t i = 0; i < rs->n; i++) {
        const hdrf_resource *res = &rs->v[i];
        const char *path = counting_role(res, w);
        if (!path)
            continue;
        /* A holding's resources mostly share one role (one rstr): look it
         * up once. Only for additions, which never prune a role. */
        role *r = last && (path == last_path || strcmp(path, last_path) == 0) ? last
                  : sign > 0                                                  ? roles_get(a, path)
                                                                              : roles_find(a, path);
        if (sign > 0) {
            last = r;
            last_path = path;
        }
        if (!r)
            return sign > 0 ? HDRF_ENOMEM : HDRF_ENOTFOUND;
        if (apply_up(r, w, res->name, sign * res->scalar) != HDRF_OK)
            return HDRF_ENOMEM;
        if (sign < 0)
            roles_prune(a, r);
    }
    return HDRF_OK;
}

int roles_track_reservations(hdrf_allocator *a, const hdrf_resources *total, int sign)
{
    return track(a, total, RESERVED, sign);
}

int roles_track_held(hdrf_allocator *a, const hdrf_resources *resources, int sign)
{
    int rc = track(a, resources, HELD_UNRESERVED, sign);
    return rc == HDRF_OK ? track(a, resources, HELD_RESERVED, sign) : rc;
}

int roles_track_used(hdrf_allocator *a, const hdrf_resources *resources, int sign)
{
    return track(a, resources, USED_UNRESERVED, sign);
}

/* ---- quota ------------------------------------------------------------------------ */

bool role_limit(const role *r, const char *name, int64_t *milli)
{
    for (size_t i = 0; i < r->nlimits; i++) {
        if (strcmp(r->limits[i].name, name) == 0) {
            *milli = r->limits[i].milli;
            return true;
        }
    }
    return false;
}

int roles_set_quota(hdrf_allocator *a, const char *path, const hdrf_quota *quota)
{
    hdrf_quantities *guarantees =
        quota->guarantees ? hdrf_quantities_copy(quota->guarantees) : hdrf_quantities_new();
    limit_entry *limits = quota->nlimits ? calloc(quota->nlimits, sizeof *limits) : NULL;
    size_t nlimits = quota->nlimits; /* of `limits`, to free */
    role *r = NULL;
    int rc = HDRF_ENOMEM;
    if (!guarantees || (quota->nlimits && !limits))
        goto out;
    for (size_t i = 0; i < quota->nlimits; i++) {
        limits[i].milli = quota->limits[i].milli;
        if (!(limits[i].name = strdup(quota->limits[i].name)))
            goto out;
    }
    if (!(r = roles_get(a, path)))
        goto out;
    /* swap: the old quota is freed below */
    hdrf_quantities *old_guarantees = r->guarantees;
    limit_entry *old_limits = r->limits;
    size_t old_n = r->nlimits;
    r->guarantees = guarantees;
    r->limits = limits;
    r->nlimits = nlimits;
    guarantees = old_guarantees;
    limits = old_limits;
    nlimits = old_n;
    roles_prune(a, r);
    rc = HDRF_OK;
out:
    hdrf_quantities_free(guarantees);
    limits_free(limits, nlimits);
    return rc;
}
