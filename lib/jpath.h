/* jpath.h: the one JSON reader: the path of a value, typed getters, the
 * unknown-key check, and refusals that name the path.
 *
 * Every reader of JSON in hdrf (resources, offer constraints, application
 * definitions, the protobuf converter, the orchestrator's state, the
 * simulator's files) walks its document with a jread, which knows the path
 * of the value being read, as `apps[2].constraints[0]` or
 * `role_constraints.eng.groups[0]`, and where a refusal goes. A reader
 * pushes a component when it descends and restores the returned length when
 * it comes back up. The path lives in the struct (no allocation); a path
 * longer than the buffer is cut, never overflowed.
 *
 * A refusal is formatted once, here, and put into one of two reports:
 *   - the scheduler's sched_error (also the simulator's), as one line
 *     "<path>: <value>: <what>", the path's front elided past 120 bytes
 *     (escaped), the value compact JSON cut at 60 bytes and left out when
 *     there is none:
 *         apps[2].instances: -1: must be an integer >= 0
 *   - the core's hdrf_error (hdrf/status.h): the path is the token (its
 *     front elided when too long, so that the field stays visible), `what`
 *     the text, the reader's name the source, and line, column and position
 *     -1; the value is not shown (a caller that wants it says it in `what`).
 * On failure the path stays on the value at fault; on success every getter
 * restores it.
 *
 * Ownership: strings the getters return are borrowed from the document.
 */
#ifndef HDRF_LIB_JPATH_H
#define HDRF_LIB_JPATH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hdrf/status.h"
#include "lib/sched_error.h"

/* ---- paths ---------------------------------------------------------------- */

typedef struct jpath {
    char text[512];
} jpath;

/* Each push returns the length to restore to. */
size_t jpath_field(jpath *p, const char *name);              /* .name (no dot at the top) */
size_t jpath_index(jpath *p, size_t index);                  /* [index] */
size_t jpath_item(jpath *p, const char *name, size_t index); /* .name[index] */
size_t jpath_key(jpath *p, const char *key);                 /* ["key"], for map keys */
size_t jpath_raw(jpath *p, const char *text);                /* text as is: another reader's path */
void jpath_restore(jpath *p, size_t len);

/* The path, or "(top)" for the document itself. Borrowed from p. */
const char *jpath_str(const jpath *p);

/* The first key of `obj` not in `allowed` (NULL-terminated), or NULL when
 * every key is allowed (or obj is no object). Borrowed from obj. */
const char *jpath_unknown_key(const json_t *obj, const char *const *allowed);

/* Whether json_loads() or json_loadb() failed for want of memory rather
 * than for the text, given their error zeroed before the call: jansson says
 * so in the error's code, except when it fails before reading a byte (its
 * lexer's buffer), where it leaves the error without any text. */
bool jpath_load_out_of_memory(const json_error_t *e);

/* ---- the reader ----------------------------------------------------------- */

/* A walk through one document and where its refusals go: exactly one of
 * `err` and `error` is the report (both may be NULL: refusals are then
 * only returned). Caller-allocated; initialise with jr_init or jr_init_core. */
typedef struct jread {
    jpath path;
    sched_error *err;   /* the scheduler's report, or NULL */
    hdrf_error *error;  /* the core's report, or NULL */
    const char *source; /* hdrf_error's source ("json", "constraints"); static */
} jread;

/* A reader reporting into `err`, starting at `path` (NULL: the top). */
void jr_init(jread *r, sched_error *err, const char *path);
/* A reader reporting into the core's `error` under `source`. */
void jr_init_core(jread *r, hdrf_error *error, const char *source, const char *path);

/* Refuses the value at the current path: fills the report (see above) with
 * `v` shown (NULL: nothing shown) and returns HDRF_EINVAL. */
int jr_fail(jread *r, const json_t *v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with another status (HDRF_ENOMEM for "out of memory"...). */
int jr_fail_status(jread *r, int status, const json_t *v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "<path>: out of memory"; returns HDRF_ENOMEM. */
int jr_no_memory(jread *r);
/* Passes on the refusal of a value read by one of the core's parsers:
 * appends its path (the token, unless "(top)") and fails with its text. */
int jr_fail_nested(jread *r, const hdrf_error *e);

/* How jr_keys words an unknown key: "unknown field", "unknown field;
 * allowed: a, b, c" (the allowed names, in order) or "unknown member". */
typedef enum jr_unknown { JR_UNKNOWN_FIELD, JR_UNKNOWN_LISTED, JR_UNKNOWN_MEMBER } jr_unknown;

/* The unknown-key check: refuses the first key of `obj` not in `allowed`
 * (NULL-terminated), with the path on that key. */
int jr_keys(jread *r, const json_t *obj, const char *const *allowed, jr_unknown says);
/* jr_keys after refusing anything but an object ("expected an object"). */
int jr_object(jread *r, const json_t *obj, const char *const *allowed, jr_unknown says);

/* obj[name] unless absent or null, with `name` pushed on the path either
 * way; *mark is what to restore to (jr_leave). */
const json_t *jr_enter(jread *r, const json_t *obj, const char *name, size_t *mark);
/* Restores the path to `mark`; returns HDRF_OK. */
int jr_leave(jread *r, size_t mark);

/* Typed getters of obj[name]. An absent (or null) field leaves *out as the
 * caller initialised it, unless `required`. Each refusal says what is
 * allowed: "expected a non-empty string", "expected an integer from 0 to
 * 10", "expected a number from 0 to 1", "expected true or false". */
int jr_string(jread *r, const json_t *obj, const char *name, bool required, const char **out);
int jr_long(jread *r, const json_t *obj, const char *name, long min, long max, long *out);
int jr_number(jread *r, const json_t *obj, const char *name, double min, double max, double *out);
int jr_bool(jread *r, const json_t *obj, const char *name, bool *out);

#endif
