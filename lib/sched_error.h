/* sched_error.h: the companion scheduler's error report.
 *
 * Every fallible scheduler function returns an `int` status, HDRF_OK or a
 * negative code (hdrf/status.h, plus the RecordIO codes of recordio.h), and
 * fills a caller-allocated sched_error with one readable line that names what
 * was refused and what is allowed, e.g.
 *   apps[2].instances: -1: must be an integer >= 0
 * The scheduler logs that line as it is; tests compare it. Like SQLite's
 * sqlite3_errmsg(), the message is separate from the code, and like jansson's
 * json_error_t it lives in the caller's storage: no allocation, no lifetime.
 */
#ifndef HDRF_SCHED_ERROR_H
#define HDRF_SCHED_ERROR_H

#include "hdrf/status.h"

#define SCHED_ERROR_LENGTH 320

typedef struct sched_error {
    int status;                    /* the code the failing call returned */
    char text[SCHED_ERROR_LENGTH]; /* NUL-terminated, truncated if longer */
} sched_error;

/* Records `status` and the formatted message in `e` (which may be NULL) and
 * returns `status`, so callers can `return sched_error_set(e, ...)`. */
int sched_error_set(sched_error *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the message already in `e` (e may be NULL) and
 * returns `status`: how a caller adds the context it knows to a failure
 * reported by a callee. */
int sched_error_wrap(sched_error *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resets `e` to "no error" (status HDRF_OK, empty text). */
void sched_error_clear(sched_error *e);

#endif
