/* desired_change.h: what the operator commands do to one desired
 * application's document (desired.h), shared by the CLI (opcmd.h) and the
 * HTTP API (api_write.c), so that both refuse with the same messages.
 *
 * Each change takes the current document (NULL: there is none) and returns
 * the document to write (a new reference; equal to the current one when
 * nothing changes), or NULL with the refusal in err: HDRF_ENOTFOUND for an
 * unknown application ("web: no such application"), HDRF_EEXIST for one
 * being deleted ("web: being deleted"), HDRF_ENOMEM. `said` receives the
 * line that reports the change ("web: scaled from 3 to 5 instance(s)").
 * Pure: no I/O.
 */
#ifndef HDRF_SCHED_PROG_DESIRED_CHANGE_H
#define HDRF_SCHED_PROG_DESIRED_CHANGE_H

#include <jansson.h>
#include <stddef.h>

#include "lib/sched_error.h"

typedef json_t *(*desired_change_fn)(const char *id, const json_t *current, const void *arg,
                                     char *said, size_t size, sched_error *err);

/* arg: the application's JSON (const json_t *), already checked. A new id
 * is "submitted", a known one "updated" or "unchanged". */
json_t *desired_change_submit(const char *id, const json_t *current, const void *arg, char *said,
                              size_t size, sched_error *err);

/* arg: the new instance count (const long *), 0 to APP_MAX_INSTANCES. */
json_t *desired_change_scale(const char *id, const json_t *current, const void *arg, char *said,
                             size_t size, sched_error *err);

/* arg: whether to forget the tasks at once (const bool *). */
json_t *desired_change_delete(const char *id, const json_t *current, const void *arg, char *said,
                              size_t size, sched_error *err);

#endif
