/* rangelist.h: sets of integers kept as sorted, disjoint, coalesced ranges.
 *
 * This is the value of a RANGES resource (ports:[31000-32000]). Every list
 * that leaves a function here is normalised: ranges sorted by begin, no two
 * overlapping or adjacent ([1-3],[4-5] is stored as [1-5]), so equality is a
 * plain comparison and union, difference and containment are linear merges. */
#ifndef HDRF_RANGELIST_H
#define HDRF_RANGELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/resources.h"

typedef struct rangelist {
    hdrf_range *v;
    size_t n;
    size_t cap;
} rangelist;

#define RANGELIST_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void rangelist_free(rangelist *r);
/* dst must be empty or freed; returns HDRF_OK or HDRF_ENOMEM. */
int rangelist_copy(rangelist *dst, const rangelist *src);
/* Appends without normalising: call rangelist_normalize() when done. */
int rangelist_append(rangelist *r, uint64_t begin, uint64_t end);
/* Sorts and coalesces; ranges with begin > end must not be present. */
void rangelist_normalize(rangelist *r);
/* dst = dst ∪ src. On HDRF_ENOMEM dst is unchanged. */
int rangelist_add(rangelist *dst, const rangelist *src);
/* dst = dst \ src; a range with a hole in its middle splits in two. */
int rangelist_subtract(rangelist *dst, const rangelist *src);
bool rangelist_contains(const rangelist *a, const rangelist *b);
bool rangelist_equal(const rangelist *a, const rangelist *b);
/* Number of values held, saturating at UINT64_MAX. */
uint64_t rangelist_count(const rangelist *r);

#endif
