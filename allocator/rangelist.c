/* rangelist.c: union, difference and containment of normalised range lists.
 *
 * Each operation builds its result in a new array sized for the worst case
 * (n + m ranges) and swaps it in only on success, so a failed allocation
 * leaves the destination as it was. */
#include "allocator/rangelist.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

void rangelist_free(rangelist *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

int rangelist_copy(rangelist *dst, const rangelist *src)
{
    dst->v = NULL;
    dst->n = dst->cap = 0;
    if (src->n == 0)
        return HDRF_OK;
    dst->v = malloc(src->n * sizeof *dst->v);
    if (!dst->v)
        return HDRF_ENOMEM;
    memcpy(dst->v, src->v, src->n * sizeof *dst->v);
    dst->n = dst->cap = src->n;
    return HDRF_OK;
}

int rangelist_append(rangelist *r, uint64_t begin, uint64_t end)
{
    if (array_reserve(&r->v, &r->cap, r->n + 1, sizeof *r->v) != HDRF_OK)
        return HDRF_ENOMEM;
    r->v[r->n].begin = begin;
    r->v[r->n].end = end;
    r->n++;
    return HDRF_OK;
}

/* Appends [begin, end] to a sorted output, merging with the last range when
 * they overlap or touch. `out` has room: callers size it for the worst case. */
static void emit(hdrf_range *out, size_t *n, uint64_t begin, uint64_t end)
{
    if (*n > 0) {
        hdrf_range *last = &out[*n - 1];
        if (last->end == UINT64_MAX || begin <= last->end + 1) {
            if (end > last->end)
                last->end = end;
            return;
        }
    }
    out[*n].begin = begin;
    out[*n].end = end;
    (*n)++;
}

static int by_begin(const void *a, const void *b)
{
    const hdrf_range *x = a, *y = b;
    return x->begin < y->begin ? -1 : x->begin > y->begin;
}

void rangelist_normalize(rangelist *r)
{
    size_t n = 0;
    if (r->n < 2)
        return;
    qsort(r->v, r->n, sizeof *r->v, by_begin);
    for (size_t i = 0; i < r->n; i++)
        emit(r->v, &n, r->v[i].begin, r->v[i].end);
    r->n = n;
}

static void replace(rangelist *dst, hdrf_range *v, size_t n, size_t cap)
{
    free(dst->v);
    dst->v = v;
    dst->n = n;
    dst->cap = cap;
}

int rangelist_add(rangelist *dst, const rangelist *src)
{
    if (src->n == 0)
        return HDRF_OK;
    size_t cap = dst->n + src->n, n = 0, i = 0, j = 0;
    hdrf_range *out = malloc(cap * sizeof *out);
    if (!out)
        return HDRF_ENOMEM;
    while (i < dst->n || j < src->n) {
        const hdrf_range *next;
        if (j == src->n || (i < dst->n && dst->v[i].begin <= src->v[j].begin))
            next = &dst->v[i++];
        else
            next = &src->v[j++];
        emit(out, &n, next->begin, next->end);
    }
    replace(dst, out, n, cap);
    return HDRF_OK;
}

int rangelist_subtract(rangelist *dst, const rangelist *src)
{
    if (src->n == 0 || dst->n == 0)
        return HDRF_OK;
    size_t cap = dst->n + src->n, n = 0, j = 0;
    hdrf_range *out = malloc(cap * sizeof *out);
    if (!out)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < dst->n; i++) {
        uint64_t cur = dst->v[i].begin, end = dst->v[i].end;
        bool covered = false; /* the rest of [cur, end] is removed */
        while (j < src->n && src->v[j].end < cur)
            j++;
        for (size_t k = j; k < src->n && src->v[k].begin <= end; k++) {
            if (src->v[k].begin > cur)
                emit(out, &n, cur, src->v[k].begin - 1);
            if (src->v[k].end >= end) {
                covered = true;
                break;
            }
            cur = src->v[k].end + 1;
        }
        if (!covered)
            emit(out, &n, cur, end);
    }
    replace(dst, out, n, cap);
    return HDRF_OK;
}

bool rangelist_contains(const rangelist *a, const rangelist *b)
{
    size_t i = 0;
    for (size_t j = 0; j < b->n; j++) {
        while (i < a->n && a->v[i].end < b->v[j].begin)
            i++;
        if (i == a->n || a->v[i].begin > b->v[j].begin || a->v[i].end < b->v[j].end)
            return false;
    }
    return true;
}

bool rangelist_equal(const rangelist *a, const rangelist *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

uint64_t rangelist_count(const rangelist *r)
{
    uint64_t total = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint64_t width = r->v[i].end - r->v[i].begin;
        if (width == UINT64_MAX || total > UINT64_MAX - width - 1)
            return UINT64_MAX;
        total += width + 1;
    }
    return total;
}
