/* conversions.h: resource conversions, part of the resource model (private).
 *
 * A conversion (Mesos's ResourceConversion, which Mesos keeps beside
 * Resources in resources.hpp) says "consumed becomes converted". The type
 * and the public functions, hdrf_operation_conversions() and
 * hdrf_conversions_free(), are declared in hdrf/allocator.h; conversions.c
 * defines them, and what the allocator applies them with, on resources
 * alone: it calls nothing of the allocator's state. */
#ifndef HDRF_CONVERSIONS_H
#define HDRF_CONVERSIONS_H

#include <stddef.h>

#include "hdrf/allocator.h"

/* Applies conversions to `r` in place, at the cost of the conversions, not
 * of r. HDRF_ENOFIT when one does not apply, HDRF_ENOMEM: r then holds what
 * it held (its elements possibly reordered), unless memory also ran out
 * while undoing. */
int conversions_apply(hdrf_resources *r, const hdrf_conversion *c, size_t n);

#endif
