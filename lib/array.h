/* array.h: growing the core's plain dynamic arrays (private).
 *
 * Collections in the core are (pointer, count, capacity) triples. This one
 * helper grows any of them geometrically, so no file carries its own copy of
 * the doubling loop; another sorts an array of strings, so none carries its
 * own comparator. */
#ifndef HDRF_ARRAY_H
#define HDRF_ARRAY_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/status.h"

/* Ensures *items (a pointer to the array pointer) holds at least `want`
 * elements of `size` bytes, doubling from 4. Returns HDRF_OK or HDRF_ENOMEM
 * with the array untouched. */
static inline int array_reserve(void *items, size_t *cap, size_t want, size_t size)
{
    void **v = items;
    if (want <= *cap)
        return HDRF_OK;
    size_t n = *cap ? *cap : 4;
    while (n < want)
        n *= 2;
    void *grown = realloc(*v, n * size);
    if (!grown)
        return HDRF_ENOMEM;
    *v = grown;
    *cap = n;
    return HDRF_OK;
}

static inline int array_compare_strings(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sorts n borrowed strings in place by strcmp (v may be NULL when n is 0). */
static inline void array_sort_strings(const char **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, array_compare_strings);
}

#endif
