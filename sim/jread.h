/* jread.h: what the simulator's JSON input files add to the reader.
 *
 * Every input file (cluster, workload) is read through one jread of
 * lib/jpath.h (its typed getters, its unknown-key check) reporting into a
 * sched_error, so that any refusal becomes one line naming the file, the
 * field and the problem:
 *   sim/examples/x/workload.json: frameworks[0].jobs[1].duration: "9 min": expected ...
 * Here are the getters only the simulator needs (durations, resources),
 * which follow the reader's rules: an absent (or null) field leaves *out as
 * the caller initialised it, unless required; on failure the path stays on
 * the bad field. */
#ifndef HDRF_SIM_JREAD_H
#define HDRF_SIM_JREAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hdrf/allocator.h"
#include "hdrf/resources.h"
#include "lib/jpath.h"
#include "lib/sched_error.h"

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
void jr_message(const char *file, const sched_error *err, char *why, size_t whylen);

/* Loads a JSON file; on failure fills why ("file:line:column: what", or
 * "file: cannot open: why"). */
json_t *jr_load(const char *path, char *why, size_t whylen);

#endif
