/* resources.c: the hdrf_resources collection (Mesos's `Resources`).
 *
 * Arithmetic is all-or-nothing. add() and subtract() first prepare, in fresh
 * memory, every element that will change (a merged range list, a copy to
 * append), and only then commit, with no further allocation. So a failed
 * allocation leaves the destination exactly as it was, and the allocator's
 * books never hold half an operation. Scalars, the common case, change in
 * place and need no preparation. */
#include "allocator/resources_internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/error.h"
#include "lib/sbuf.h"

hdrf_resources *hdrf_resources_new(void) { return calloc(1, sizeof(hdrf_resources)); }

void hdrf_resources_free(hdrf_resources *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        resource_free(&rs->v[i]);
    free(rs->v);
    free(rs);
}

static int reserve(hdrf_resources *rs, size_t want)
{
    return array_reserve(&rs->v, &rs->cap, want, sizeof *rs->v);
}

hdrf_resources *hdrf_resources_copy(const hdrf_resources *src)
{
    hdrf_resources *rs = hdrf_resources_new();
    if (!rs || reserve(rs, src->n) != HDRF_OK)
        goto fail;
    for (; rs->n < src->n; rs->n++)
        if (resource_copy(&rs->v[rs->n], &src->v[rs->n]) != HDRF_OK)
            goto fail;
    return rs;
fail:
    hdrf_resources_free(rs);
    return NULL;
}

static size_t find(const hdrf_resources *rs, const hdrf_resource *r,
                   bool (*match)(const hdrf_resource *, const hdrf_resource *))
{
    /* every match needs the same type and name: checked inline first */
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].type == r->type && rstr_same(rs->v[i].name, r->name) && match(&rs->v[i], r))
            return i;
    return SIZE_MAX;
}

int resources_add_owned(hdrf_resources *rs, hdrf_resource *r)
{
    int status = HDRF_OK;
    if (resource_is_empty(r))
        goto done;
    size_t i = find(rs, r, resource_addable);
    if (i != SIZE_MAX) {
        status = resource_value_add(&rs->v[i], r);
        goto done;
    }
    if ((status = reserve(rs, rs->n + 1)) != HDRF_OK)
        goto done;
    rs->v[rs->n++] = *r;
    return HDRF_OK; /* ownership moved into the collection */
done:
    resource_free(r);
    return status;
}

int resources_read_new(resources_reader read, const void *input, const char *default_role,
                       hdrf_resources **out, hdrf_error *error)
{
    *out = NULL;
    if (default_role && strcmp(default_role, "*") != 0 && hdrf_role_invalid(default_role))
        return error_named(error, "default role", default_role, "invalid role: %s",
                           hdrf_role_invalid(default_role));
    hdrf_resources *rs = hdrf_resources_new();
    if (!rs)
        return HDRF_ENOMEM;
    int status = read(input, default_role, rs, error);
    if (status != HDRF_OK) {
        hdrf_resources_free(rs);
        return status;
    }
    *out = rs;
    return HDRF_OK;
}

/* ---- all-or-nothing add and subtract ------------------------------------ */

/* One element of `src` about to be applied to the destination: either in
 * place (scalars and shared counts, which cannot fail), by replacing element
 * `target` with `value`, or by appending `value` (target == SIZE_MAX). */
typedef struct change {
    size_t target;
    const hdrf_resource *operand;
    bool in_place;
    hdrf_resource value;
} change;

typedef int (*value_op)(hdrf_resource *, const hdrf_resource *);

static bool changes_in_place(const hdrf_resource *r) { return r->shared || r->type == HDRF_SCALAR; }

static void free_changes(change *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!c[i].in_place)
            resource_free(&c[i].value);
}

/* Applies `src` to `dst` with `op`, matching elements with `match`.
 * Unmatched elements are appended when `append` is set, ignored otherwise.
 * Returns HDRF_OK or HDRF_ENOMEM with dst unchanged. */
static int apply(hdrf_resources *dst, const hdrf_resources *src,
                 bool (*match)(const hdrf_resource *, const hdrf_resource *), value_op op,
                 bool append)
{
    change stack[16], *c = stack;
    size_t n = 0, appended = 0;
    int status = HDRF_OK;
    if (src->n > sizeof stack / sizeof stack[0] && !(c = malloc(src->n * sizeof *c)))
        return HDRF_ENOMEM;
    for (size_t i = 0; i < src->n && status == HDRF_OK; i++) {
        const hdrf_resource *r = &src->v[i];
        size_t target = find(dst, r, match);
        if (resource_is_empty(r) || (target == SIZE_MAX && !append))
            continue;
        change *ch = &c[n];
        *ch = (change){target, r, target != SIZE_MAX && changes_in_place(r), {0}};
        if (ch->in_place) {
            n++;
        } else if (target == SIZE_MAX) {
            if ((status = resource_copy(&ch->value, r)) == HDRF_OK)
                n++, appended++;
        } else if ((status = resource_copy(&ch->value, &dst->v[target])) == HDRF_OK) {
            n++;
            status = op(&ch->value, r);
        }
    }
    if (status == HDRF_OK)
        status = reserve(dst, dst->n + appended);
    if (status != HDRF_OK) {
        free_changes(c, n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i].in_place) {
            op(&dst->v[c[i].target], c[i].operand); /* scalar: cannot fail */
        } else if (c[i].target == SIZE_MAX) {
            dst->v[dst->n++] = c[i].value;
        } else {
            resource_free(&dst->v[c[i].target]);
            dst->v[c[i].target] = c[i].value;
        }
    }
out:
    if (c != stack)
        free(c);
    return status;
}

/* Drops elements that became empty or negative, keeping the others' order. */
static void compact(hdrf_resources *rs)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++) {
        if (resource_is_empty(&rs->v[i]) || resource_is_negative(&rs->v[i]))
            resource_free(&rs->v[i]);
        else
            rs->v[n++] = rs->v[i];
    }
    rs->n = n;
}

int hdrf_resources_add(hdrf_resources *dst, const hdrf_resources *src)
{
    if (dst == src) {
        hdrf_resources *copy = hdrf_resources_copy(src);
        int status = copy ? hdrf_resources_add(dst, copy) : HDRF_ENOMEM;
        hdrf_resources_free(copy);
        return status;
    }
    return apply(dst, src, resource_addable, resource_value_add, true);
}

int hdrf_resources_subtract(hdrf_resources *dst, const hdrf_resources *src)
{
    if (dst == src) {
        for (size_t i = 0; i < dst->n; i++)
            resource_free(&dst->v[i]);
        dst->n = 0;
        return HDRF_OK;
    }
    int status = apply(dst, src, resource_subtractable, resource_value_subtract, false);
    if (status == HDRF_OK)
        compact(dst);
    return status;
}

/* ---- comparison ------------------------------------------------------------ */

static size_t count_equal(const hdrf_resources *rs, const hdrf_resource *r)
{
    size_t k = 0;
    for (size_t i = 0; i < rs->n; i++)
        k += resource_equal(&rs->v[i], r);
    return k;
}

/* Elements that never merge (exclusive disks, persistent volumes) can repeat
 * in a collection; each copy in `that` needs its own copy here. Everything
 * else has at most one element per metadata, so one match decides. */
bool hdrf_resources_contains(const hdrf_resources *rs, const hdrf_resources *that)
{
    for (size_t j = 0; j < that->n; j++) {
        const hdrf_resource *r = &that->v[j];
        if (find(rs, r, resource_contains) == SIZE_MAX)
            return false;
        if (!r->shared && !resource_addable(r, r) && count_equal(rs, r) < count_equal(that, r))
            return false;
    }
    return true;
}

/* Element x equals y, shared count included; with `any_role`, x is read
 * with y's allocation role (a view: nothing is copied). */
static bool same_element(const hdrf_resource *x, const hdrf_resource *y, bool any_role)
{
    hdrf_resource view;
    if (any_role) {
        view = *x;
        view.allocation_role = y->allocation_role;
        x = &view;
    }
    return resource_equal(x, y) && x->shared_count == y->shared_count;
}

static bool same_in_order(const hdrf_resources *a, const hdrf_resources *b, bool any_role)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!same_element(&a->v[i], &b->v[i], any_role))
            return false;
    return true;
}

bool resources_same_in_order(const hdrf_resources *a, const hdrf_resources *b)
{
    return same_in_order(a, b, false);
}

bool resources_same_in_order_any_role(const hdrf_resources *a, const hdrf_resources *b)
{
    return same_in_order(a, b, true);
}

/* A copy keeps the order, so equal collections are most often equal
 * element by element: that test first, the search only when it fails. */
bool hdrf_resources_equal(const hdrf_resources *a, const hdrf_resources *b)
{
    return resources_same_in_order(a, b) ||
           (hdrf_resources_contains(a, b) && hdrf_resources_contains(b, a));
}

/* ---- inspection -------------------------------------------------------------- */

size_t hdrf_resources_size(const hdrf_resources *rs) { return rs->n; }
bool hdrf_resources_empty(const hdrf_resources *rs) { return rs->n == 0; }

const hdrf_resource *hdrf_resources_at(const hdrf_resources *rs, size_t i)
{
    return i < rs->n ? &rs->v[i] : NULL;
}

int64_t hdrf_resources_scalar(const hdrf_resources *rs, const char *name)
{
    int64_t total = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].type == HDRF_SCALAR && strcmp(rs->v[i].name, name) == 0)
            total += rs->v[i].scalar;
    return total;
}

const char *hdrf_resource_name(const hdrf_resource *r) { return r->name; }
hdrf_value_type hdrf_resource_type(const hdrf_resource *r) { return r->type; }
int64_t hdrf_resource_scalar(const hdrf_resource *r) { return r->scalar; }
const char *hdrf_resource_allocation_role(const hdrf_resource *r) { return r->allocation_role; }
bool hdrf_resource_is_revocable(const hdrf_resource *r) { return r->revocable; }
bool hdrf_resource_is_shared(const hdrf_resource *r) { return r->shared; }
const char *hdrf_resource_provider_id(const hdrf_resource *r) { return r->provider_id; }
size_t hdrf_resource_reservation_count(const hdrf_resource *r) { return r->nreservations; }

const hdrf_range *hdrf_resource_ranges(const hdrf_resource *r, size_t *count)
{
    *count = r->ranges.n;
    return r->ranges.v;
}

const char *const *hdrf_resource_set(const hdrf_resource *r, size_t *count)
{
    *count = r->set.n;
    return (const char *const *)r->set.v;
}

unsigned hdrf_resource_shared_count(const hdrf_resource *r)
{
    return r->shared ? (unsigned)r->shared_count : 0;
}

const char *hdrf_resource_reservation_role(const hdrf_resource *r)
{
    return r->nreservations ? r->reservations[r->nreservations - 1].role : NULL;
}

hdrf_reservation_type hdrf_resource_reservation(const hdrf_resource *r, size_t i, const char **role,
                                                const char **principal)
{
    *role = r->reservations[i].role;
    *principal = r->reservations[i].principal;
    return r->reservations[i].type;
}

bool hdrf_resource_is_persistent_volume(const hdrf_resource *r)
{
    return r->disk && r->disk->has_persistence;
}

const char *hdrf_resource_persistence_id(const hdrf_resource *r)
{
    return hdrf_resource_is_persistent_volume(r) ? r->disk->persistence_id : NULL;
}

hdrf_disk_source_type hdrf_resource_disk_source(const hdrf_resource *r)
{
    return r->disk ? r->disk->source_type : HDRF_DISK_SOURCE_NONE;
}

/* ---- predicates ---------------------------------------------------------------- */

bool hdrf_resource_is_unreserved(const hdrf_resource *r) { return r->nreservations == 0; }

bool hdrf_resource_is_reserved(const hdrf_resource *r, const char *role)
{
    const char *reserved = hdrf_resource_reservation_role(r);
    return reserved && (!role || strcmp(reserved, role) == 0);
}

bool hdrf_resource_is_dynamically_reserved(const hdrf_resource *r)
{
    return r->nreservations &&
           r->reservations[r->nreservations - 1].type == HDRF_RESERVATION_DYNAMIC;
}

bool hdrf_resource_is_allocatable_to(const hdrf_resource *r, const char *role)
{
    const char *reserved = hdrf_resource_reservation_role(r);
    return !reserved || hdrf_role_is_in_subtree(role, reserved);
}

bool hdrf_resource_is_reserved_to_subtree(const hdrf_resource *r, const char *role)
{
    const char *reserved = hdrf_resource_reservation_role(r);
    return reserved && hdrf_role_is_in_subtree(reserved, role);
}

/* ---- filters ---------------------------------------------------------------- */

hdrf_resources *hdrf_resources_filter(const hdrf_resources *rs, hdrf_resource_predicate keep,
                                      void *arg)
{
    hdrf_resources *out = hdrf_resources_new();
    if (!out)
        return NULL;
    for (size_t i = 0; i < rs->n; i++) {
        if (!keep(&rs->v[i], arg))
            continue;
        if (reserve(out, out->n + 1) != HDRF_OK ||
            resource_copy(&out->v[out->n], &rs->v[i]) != HDRF_OK) {
            hdrf_resources_free(out);
            return NULL;
        }
        out->n++;
    }
    return out;
}

static bool keep_unreserved(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return hdrf_resource_is_unreserved(r);
}
static bool keep_reserved(const hdrf_resource *r, void *role)
{
    return hdrf_resource_is_reserved(r, role);
}
static bool keep_allocatable(const hdrf_resource *r, void *role)
{
    return hdrf_resource_is_allocatable_to(r, role);
}
static bool keep_revocable(const hdrf_resource *r, void *want)
{
    return r->revocable == (want != NULL);
}
static bool keep_persistent(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return hdrf_resource_is_persistent_volume(r);
}
static bool keep_shared(const hdrf_resource *r, void *want) { return r->shared == (want != NULL); }
static bool keep_scalar(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return r->type == HDRF_SCALAR;
}
static bool keep_allocated_to(const hdrf_resource *r, void *role)
{
    return str_eq_opt(r->allocation_role, role);
}

/* The predicates take `void *`; `yes` marks the positive variant. */
static char yes;

hdrf_resources *hdrf_resources_unreserved(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_unreserved, NULL);
}
hdrf_resources *hdrf_resources_reserved(const hdrf_resources *rs, const char *role)
{
    return hdrf_resources_filter(rs, keep_reserved, (void *)role);
}
hdrf_resources *hdrf_resources_allocatable_to(const hdrf_resources *rs, const char *role)
{
    return hdrf_resources_filter(rs, keep_allocatable, (void *)role);
}
hdrf_resources *hdrf_resources_revocable(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_revocable, &yes);
}
hdrf_resources *hdrf_resources_non_revocable(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_revocable, NULL);
}
hdrf_resources *hdrf_resources_persistent_volumes(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_persistent, NULL);
}
hdrf_resources *hdrf_resources_shared(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_shared, &yes);
}
hdrf_resources *hdrf_resources_non_shared(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_shared, NULL);
}
hdrf_resources *hdrf_resources_scalars(const hdrf_resources *rs)
{
    return hdrf_resources_filter(rs, keep_scalar, NULL);
}
hdrf_resources *hdrf_resources_allocated_to(const hdrf_resources *rs, const char *role)
{
    return hdrf_resources_filter(rs, keep_allocated_to, (void *)role);
}

int hdrf_resources_allocation_role(const hdrf_resources *rs, const char **role)
{
    *role = rs->n ? rs->v[0].allocation_role : NULL;
    for (size_t i = 1; i < rs->n; i++)
        if (!str_eq_opt(rs->v[i].allocation_role, *role)) {
            *role = NULL;
            return HDRF_EINVAL;
        }
    return HDRF_OK;
}
