/* params_internal.h: what the modules.json reader needs of the parameter
 * parser (private to allocator/params*.c). */
#ifndef HDRF_PARAMS_INTERNAL_H
#define HDRF_PARAMS_INTERNAL_H

#include "hdrf/params.h"

/* hdrf_params_parse(), also saying which pair was refused: on HDRF_EINVAL
 * *bad is its index (for a guarantee above its limit, the index of the
 * quota_guarantees pair), or n when no pair is to blame. */
int params_parse_pairs(const hdrf_param *params, size_t n, hdrf_params **out, hdrf_error *error,
                       size_t *bad);

#endif
