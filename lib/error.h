/* error.h: filling an hdrf_error from the core's parsers (private). */
#ifndef HDRF_ERROR_H
#define HDRF_ERROR_H

#include <stddef.h>

#include "hdrf/status.h"

/* Records a refusal of `input` at byte `pos`: computes line and column,
 * copies the token of `toklen` bytes at `pos` (shortened with "..." when too
 * long), and formats the message. `e` may be NULL. Returns HDRF_EINVAL so
 * callers can `return error_at(...)`. */
int error_at(hdrf_error *e, const char *source, const char *input, size_t pos, size_t toklen,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The same for inputs without a byte position (a JSON path, a key). */
int error_named(hdrf_error *e, const char *source, const char *token, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
