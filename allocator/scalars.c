/* scalars.c: interned resource names and the scalar vectors over them
 * (scalars.h).
 *
 * The table keeps the well-known names at ids 0 to RSTR_NKNOWN - 1, in
 * rstr_known()'s order, so that their id is their rstr_known() index: what
 * nearly every resource carries is found without a hash or a compare. */
#include "allocator/scalars.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/error.h"
#include "lib/rstr.h"
#include "allocator/resource.h"
#include "allocator/resources_internal.h"

static const char *const well_known[RSTR_NKNOWN] = {"cpus", "mem", "disk", "ports", "gpus"};

int scalar_names_init(scalar_names *t)
{
    memset(t, 0, sizeof *t);
    if (array_reserve(&t->names, &t->cap, RSTR_NKNOWN, sizeof *t->names) != HDRF_OK)
        return HDRF_ENOMEM;
    for (size_t k = 0; k < RSTR_NKNOWN; k++) {
        char *name = rstr_ndup(well_known[k], strlen(well_known[k])); /* static: cannot fail */
        if (rstr_known(name) != (int)k) {
            rstr_release(name);
            scalar_names_free(t);
            return HDRF_EINVAL; /* lib/rstr.c and this table disagree */
        }
        t->names[t->n++] = name;
    }
    return HDRF_OK;
}

void scalar_names_free(scalar_names *t)
{
    for (size_t i = 0; i < t->n; i++)
        rstr_release(t->names[i]);
    free(t->names);
    strmap_free(&t->ids);
    memset(t, 0, sizeof *t);
}

long scalar_names_id(scalar_names *t, const char *name)
{
    int k = rstr_known(name);
    if (k >= 0)
        return k;
    void *found = strmap_get(&t->ids, name);
    if (found)
        return (long)((uintptr_t)found - 1);
    char *copy = rstr_ndup(name, strlen(name));
    if (!copy)
        return -1;
    k = rstr_known(copy); /* the text of a well-known name, in another string */
    if (k >= 0)
        return k;
    if (array_reserve(&t->names, &t->cap, t->n + 1, sizeof *t->names) != HDRF_OK ||
        strmap_put(&t->ids, copy, (void *)(uintptr_t)(t->n + 1)) != HDRF_OK) {
        rstr_release(copy);
        return -1;
    }
    t->names[t->n] = copy;
    return (long)t->n++;
}

/* ---- vectors -------------------------------------------------------------------- */

void scalar_vec_free(scalar_vec *x)
{
    free(x->v);
    *x = (scalar_vec)SCALAR_VEC_INIT;
}

static int grow(scalar_vec *x, size_t n)
{
    if (n <= x->n)
        return HDRF_OK;
    if (array_reserve(&x->v, &x->cap, n, sizeof *x->v) != HDRF_OK)
        return HDRF_ENOMEM;
    memset(x->v + x->n, 0, (n - x->n) * sizeof *x->v);
    x->n = n;
    return HDRF_OK;
}

/* As quantities_change() on one name: saturating, floored at zero. */
static int64_t changed(int64_t now, int64_t milli)
{
    int64_t sum = milli > 0 && now > INT64_MAX - milli ? INT64_MAX : now + milli;
    return sum > 0 ? sum : 0;
}

int scalar_vec_change(scalar_vec *x, const int64_t *d, size_t n, int sign)
{
    size_t need = n;
    while (need > x->n && !d[need - 1]) /* trailing zeros need no slot */
        need--;
    if (sign > 0 && grow(x, need) != HDRF_OK)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < need && i < x->n; i++)
        if (d[i])
            x->v[i] = changed(x->v[i], sign * d[i]);
    return HDRF_OK;
}

int scalar_vec_change_one(scalar_vec *x, size_t id, int64_t milli)
{
    if (milli > 0 && grow(x, id + 1) != HDRF_OK)
        return HDRF_ENOMEM;
    if (id < x->n)
        x->v[id] = changed(x->v[id], milli);
    return HDRF_OK;
}

bool scalar_vec_empty(const scalar_vec *x)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i])
            return false;
    return true;
}

void scalar_vec_subtract_from(hdrf_quantities *q, const scalar_vec *x, const scalar_names *t)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i])
            (void)quantities_change(q, t->names[i], -x->v[i]); /* removing: cannot fail */
}

hdrf_quantities *scalar_vec_quantities(const scalar_vec *x, const scalar_names *t)
{
    hdrf_quantities *q = hdrf_quantities_new();
    for (size_t i = 0; q && i < x->n; i++) {
        if (x->v[i] && hdrf_quantities_set(q, t->names[i], x->v[i]) != HDRF_OK) {
            hdrf_quantities_free(q);
            q = NULL;
        }
    }
    return q;
}

/* ---- summaries ------------------------------------------------------------------ */

void scalar_summary_free(scalar_summary *s)
{
    free(s->heap);
    s->heap = NULL;
    s->n = 0;
    s->shared = false;
}

/* The largest id among r's scalars, interning them; -1: none; -2: out of memory. */
static long largest_id(scalar_names *t, const hdrf_resources *r)
{
    long top = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (r->v[i].type != HDRF_SCALAR)
            continue;
        long id = scalar_names_id(t, r->v[i].name);
        if (id < 0)
            return -2;
        if (id > top)
            top = id;
    }
    return top;
}

int scalar_summary_of(scalar_summary *s, scalar_names *t, const hdrf_resources *r)
{
    scalar_summary_free(s);
    long top = largest_id(t, r);
    if (top < -1)
        return HDRF_ENOMEM;
    size_t n = (size_t)(top + 1);
    int64_t *v = s->inline_v;
    if (n > SCALARS_INLINE && !(v = s->heap = calloc(SCALARS_KINDS * n, sizeof *v)))
        return HDRF_ENOMEM;
    if (n <= SCALARS_INLINE)
        memset(v, 0, SCALARS_KINDS * n * sizeof *v);
    s->n = n;
    for (size_t i = 0; i < r->n; i++) {
        const hdrf_resource *x = &r->v[i];
        if (x->type != HDRF_SCALAR)
            continue;
        size_t id = (size_t)scalar_names_id(t, x->name); /* interned above */
        v[SCALARS_ALL * n + id] += x->scalar;
        s->shared |= x->shared;
        if (x->nreservations)
            v[SCALARS_RESERVED * n + id] += x->scalar;
        else if (!x->revocable)
            v[SCALARS_UNRESERVED * n + id] += x->scalar;
    }
    return HDRF_OK;
}
