/* sorter_vector.h: the sorter's allocation calls on scalar vectors, for the
 * allocator (private; implemented in sorter.c).
 *
 * The allocator computes one vector per offer (allocator/scalars.h) and
 * feeds it to both the role sorter and the role's framework sorter, instead
 * of each sorter walking the full resources and looking each name up.
 * `names` is the caller's name table (by id), the same one for the sorter's
 * whole life: the sorter caches, per id, its own dimension. Only for a
 * sorter without per-agent holdings (hdrf_sorter_set_track_agents(false)),
 * and only for non-shared scalars: shared ones need the resources (the
 * sorter's per-agent shared record), so callers use hdrf_sorter_allocated()
 * for those. */
#ifndef HDRF_SORTER_VECTOR_H
#define HDRF_SORTER_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "hdrf/sorter.h"

/* As hdrf_sorter_allocated() and hdrf_sorter_unallocated() of resources
 * whose scalars are vec[0..n) (by id of names[]): HDRF_ENOTFOUND for an
 * unknown client, HDRF_EINVAL when the sorter tracks agents, HDRF_ENOFIT
 * (unallocated) when the client does not hold that much; nothing changes
 * on failure. */
int sorter_allocated_vector(hdrf_sorter *s, const char *client, char *const *names,
                            const int64_t *vec, size_t n);
int sorter_unallocated_vector(hdrf_sorter *s, const char *client, char *const *names,
                              const int64_t *vec, size_t n);

#endif
