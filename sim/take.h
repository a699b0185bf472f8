/* take.h: which of an offer's resources a task launched on it uses.
 *
 * `need` is what one task needs, unreserved and unallocated (as app.h's
 * instance_resources); `offer` is what the allocator offered to `role`
 * (every resource carries that allocation mark). On HDRF_OK *out is a new
 * collection contained in `offer`: the same amounts as `need`, with the
 * offer's metadata, taken from reserved resources before unreserved ones.
 * HDRF_ENOFIT when the offer cannot hold it, HDRF_ENOMEM. Arguments are
 * borrowed. */
#ifndef HDRF_SIM_TAKE_H
#define HDRF_SIM_TAKE_H

#include "hdrf/resources.h"

int take_resources(const hdrf_resources *offer, const hdrf_resources *need, const char *role,
                   hdrf_resources **out);

#endif
