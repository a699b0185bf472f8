/* scalars.h: scalar vectors, amounts indexed by interned resource names (private).
 *
 * Where only how much of each scalar counts (the sorters, the role tree's
 * sums, the allocator's totals), the allocator works on dense vectors of
 * milli-units with one slot per resource name, instead of walking full
 * resources and looking every name up in every sum. Names are interned once
 * per allocator into small ids (scalar_names); the well-known names of
 * lib/rstr.h hold the first ids and are found by pointer, so the common case
 * costs no lookup at all. Ids never change while the table lives. A vector
 * may be shorter than the table: the slots past its length are zero.
 *
 * An offer's vectors (scalar_summary) are computed once, when it is made or
 * recovered, and every sum that counts it reads them. */
#ifndef HDRF_SCALARS_H
#define HDRF_SCALARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/resources.h"
#include "lib/strmap.h"

typedef struct scalar_names {
    strmap ids;   /* names other than the well-known -> id + 1 (as a pointer) */
    char **names; /* by id, rstr (owned); the first RSTR_NKNOWN are the well-known */
    size_t n, cap;
} scalar_names;

int scalar_names_init(scalar_names *t);
void scalar_names_free(scalar_names *t);
/* The id of `name`, interned when new; -1 when out of memory. */
long scalar_names_id(scalar_names *t, const char *name);
static inline const char *scalar_names_name(const scalar_names *t, size_t id)
{
    return t->names[id];
}

/* A vector the allocator keeps (the role tree's held sums, the sum of
 * what is offered or allocated): slots floor at zero and saturate at
 * INT64_MAX, as hdrf_quantities do, so it reads as they would. */
typedef struct scalar_vec {
    int64_t *v; /* owned */
    size_t n, cap;
} scalar_vec;

#define SCALAR_VEC_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void scalar_vec_free(scalar_vec *x);
/* x += sign * d[0..n), slot by slot; HDRF_ENOMEM (x unchanged) when it
 * must grow and cannot. */
int scalar_vec_change(scalar_vec *x, const int64_t *d, size_t n, int sign);
/* One slot: x[id] += milli. */
int scalar_vec_change_one(scalar_vec *x, size_t id, int64_t milli);
bool scalar_vec_empty(const scalar_vec *x);
/* q -= x by name, floored at zero (hdrf_quantities_subtract). */
void scalar_vec_subtract_from(hdrf_quantities *q, const scalar_vec *x, const scalar_names *t);
/* x as quantities: new, or NULL when out of memory. */
hdrf_quantities *scalar_vec_quantities(const scalar_vec *x, const scalar_names *t);

/* What the allocator's sums count of a collection allocated to one role,
 * each kind a vector over the same ids:
 *  - SCALARS_ALL: every scalar (the allocator's sum of what is offered or
 *    allocated; the sorters' allocations when none is shared);
 *  - SCALARS_UNRESERVED: unreserved non-revocable scalars, and
 *    SCALARS_RESERVED: reserved ones (the role tree's held sums).
 * Small summaries (the common case: the well-known names and a custom one)
 * live inline, so an offer's costs no allocation. */
enum { SCALARS_ALL, SCALARS_UNRESERVED, SCALARS_RESERVED, SCALARS_KINDS };
#define SCALARS_INLINE 6

typedef struct scalar_summary {
    int64_t *heap; /* the vectors when n > SCALARS_INLINE (owned), else NULL */
    size_t n;      /* slots per kind: the ids below n */
    bool shared;   /* some scalar is shared: the sorters need the resources */
    int64_t inline_v[SCALARS_KINDS * SCALARS_INLINE];
} scalar_summary;

#define SCALAR_SUMMARY_INIT                                                                        \
    {                                                                                              \
        NULL, 0, false, { 0 }                                                                      \
    }

/* Fills *s (initialised, or freed) with the summary of r, interning its
 * names; HDRF_OK or HDRF_ENOMEM (then *s is empty). A summary may be
 * copied as a value (the copy then owns it). */
int scalar_summary_of(scalar_summary *s, scalar_names *t, const hdrf_resources *r);
void scalar_summary_free(scalar_summary *s);
/* The vector of one kind: n slots. */
static inline const int64_t *scalar_summary_kind(const scalar_summary *s, int kind)
{
    return (s->heap ? s->heap : s->inline_v) + (size_t)kind * s->n;
}

#endif
