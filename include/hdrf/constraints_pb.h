/* hdrf/constraints_pb.h: offer constraints from protobuf-c messages.
 *
 * The Mesos shim hands a framework's OfferConstraints to the core as the
 * serialized mesos.v1.scheduler.OfferConstraints message; the companion
 * scheduler holds it unpacked. Separate from constraints.h so that only
 * callers that use protobuf-c see the generated types.
 */
#ifndef HDRF_CONSTRAINTS_PB_H
#define HDRF_CONSTRAINTS_PB_H

#include <stddef.h>
#include <stdint.h>

#include "hdrf/constraints.h"
#include "hdrf/export.h"
#include "mesos/v1/scheduler/scheduler.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads and compiles `msg` (borrowed); limits as for
 * hdrf_constraints_compile(). A role repeated in the map counts once, with
 * its last entry (protobuf's rule for maps). A pseudoattribute type other
 * than HOSTNAME, REGION or ZONE is refused, as Mesos refuses UNKNOWN. On
 * failure *out is NULL and `error` names the field path. */
HDRF_API int hdrf_constraints_from_pb(const Mesos__V1__Scheduler__OfferConstraints *msg,
                                      const hdrf_regex_limits *limits, hdrf_constraints **out,
                                      hdrf_error *error);

/* The same for the `len` serialized bytes at `data`. */
HDRF_API int hdrf_constraints_from_packed(const uint8_t *data, size_t len,
                                          const hdrf_regex_limits *limits, hdrf_constraints **out,
                                          hdrf_error *error);

#ifdef __cplusplus
}
#endif

#endif
