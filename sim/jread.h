/* jread.h: strict readers for the simulator's JSON input files.
 *
 * Every input file (cluster, workload) is read through one jread, which
 * knows the file's name and the JSON path being read, so that any refusal
 * becomes one line naming the file, the field and the problem:
 *   sim/examples/x/workload.json: frameworks[0].jobs[1].duration: "9 min": expected ...
 * Getters look up obj[name] and push `name` on the path; an absent (or
 * null) field leaves *out as the caller initialised it, unless required.
 * On success the path is restored; on failure it stays on the bad field
 * and err holds the message (jpath_fail's "path: value: what").
 *
 * Ownership: strings returned are borrowed from the JSON document. */
#ifndef HDRF_SIM_JREAD_H
#define HDRF_SIM_JREAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hdrf/allocator.h"
#include "hdrf/resources.h"
#include "lib/jpath.h"
#include "lib/sched_error.h"

typedef struct jread {
    const char *file;
    jpath path;
    sched_error err;
} jread;

void jr_init(jread *r, const char *file);

/* Fails at the current path with `v` shown (may be NULL). HDRF_EINVAL. */
int jr_fail(jread *r, const json_t *v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int jr_no_memory(jread *r);

/* Refuses any key of obj not in `allowed` (NULL-terminated); `list` is the
 * allowed names as the message shows them. */
int jr_keys(jread *r, const json_t *obj, const char *const *allowed, const char *list);

int jr_string(jread *r, const json_t *obj, const char *name, bool required, const char **out);
int jr_long(jread *r, const json_t *obj, const char *name, long min, long max, long *out);
int jr_number(jread *r, const json_t *obj, const char *name, double min, double max,
              double *out);
int jr_bool(jread *r, const json_t *obj, const char *name, bool *out);
/* A duration: Mesos's syntax ("30secs") or a number of seconds (>= 0). */
int jr_duration(jread *r, const json_t *obj, const char *name, hdrf_time *out);
/* A value (not a field) read as a duration, at the current path. */
int jr_duration_value(jread *r, const json_t *v, hdrf_time *out);
/* Resources in Mesos's text form or JSON array form; *out is new. */
int jr_resources(jread *r, const json_t *obj, const char *name, bool required,
                 hdrf_resources **out);
/* A value (not a field) read as resources, at the current path. */
int jr_resources_value(jread *r, const json_t *v, hdrf_resources **out);

/* The whole message: "<file>: <path>: <value>: <what>". */
void jr_message(const jread *r, char *why, size_t whylen);

/* Loads a JSON file; on failure fills why ("file:line:column: what", or
 * "file: cannot open: why"). */
json_t *jr_load(const char *path, char *why, size_t whylen);

#endif
