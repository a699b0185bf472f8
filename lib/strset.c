/* strset.c: sorted string sets (see strset.h). */
#include "lib/strset.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

void strset_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int reserve(strset *s, size_t want)
{
    return array_reserve(&s->v, &s->cap, want, sizeof *s->v);
}

int strset_copy(strset *dst, const strset *src)
{
    *dst = (strset)STRSET_INIT;
    if (reserve(dst, src->n) != HDRF_OK)
        return HDRF_ENOMEM;
    for (; dst->n < src->n; dst->n++) {
        if (!(dst->v[dst->n] = strdup(src->v[dst->n]))) {
            strset_free(dst);
            return HDRF_ENOMEM;
        }
    }
    return HDRF_OK;
}

/* Index of the first item >= key. */
static size_t lower_bound(const strset *s, const char *key)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool strset_has(const strset *s, const char *item)
{
    size_t i = lower_bound(s, item);
    return i < s->n && strcmp(s->v[i], item) == 0;
}

int strset_insert(strset *s, const char *item)
{
    size_t i = lower_bound(s, item);
    if (i < s->n && strcmp(s->v[i], item) == 0)
        return HDRF_EEXIST;
    char *copy = strdup(item);
    if (!copy || reserve(s, s->n + 1) != HDRF_OK) {
        free(copy);
        return HDRF_ENOMEM;
    }
    memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
    s->v[i] = copy;
    s->n++;
    return HDRF_OK;
}

int strset_add(strset *dst, const strset *src)
{
    strset merged = STRSET_INIT;
    size_t i = 0, j = 0;
    if (src->n == 0)
        return HDRF_OK;
    if (reserve(&merged, dst->n + src->n) != HDRF_OK)
        return HDRF_ENOMEM;
    /* First copy src's new items; only then take ownership of dst's, so a
     * failure leaves dst untouched. */
    char **fresh = calloc(src->n, sizeof *fresh);
    if (!fresh) {
        free(merged.v);
        return HDRF_ENOMEM;
    }
    for (j = 0; j < src->n; j++) {
        if (strset_has(dst, src->v[j]))
            continue;
        if (!(fresh[j] = strdup(src->v[j]))) {
            for (size_t k = 0; k < j; k++)
                free(fresh[k]);
            free(fresh);
            free(merged.v);
            return HDRF_ENOMEM;
        }
    }
    for (i = 0, j = 0; i < dst->n || j < src->n;) {
        if (j < src->n && !fresh[j]) {
            j++; /* already in dst */
        } else if (j == src->n || (i < dst->n && strcmp(dst->v[i], src->v[j]) < 0)) {
            merged.v[merged.n++] = dst->v[i++];
        } else {
            merged.v[merged.n++] = fresh[j++];
        }
    }
    free(fresh);
    free(dst->v);
    *dst = merged;
    return HDRF_OK;
}

void strset_subtract(strset *dst, const strset *src)
{
    size_t n = 0, j = 0;
    for (size_t i = 0; i < dst->n; i++) {
        while (j < src->n && strcmp(src->v[j], dst->v[i]) < 0)
            j++;
        if (j < src->n && strcmp(src->v[j], dst->v[i]) == 0)
            free(dst->v[i]);
        else
            dst->v[n++] = dst->v[i];
    }
    dst->n = n;
}

bool strset_contains(const strset *a, const strset *b)
{
    size_t i = 0;
    for (size_t j = 0; j < b->n; j++) {
        while (i < a->n && strcmp(a->v[i], b->v[j]) < 0)
            i++;
        if (i == a->n || strcmp(a->v[i], b->v[j]) != 0)
            return false;
    }
    return true;
}

bool strset_equal(const strset *a, const strset *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}
