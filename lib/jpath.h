/* jpath.h: the path of a value inside a JSON document, for error messages.
 *
 * Readers of JSON (the protobuf converter, application definitions) say
 * where a refused value sits, as `apps[2].constraints[0]` or
 * `offers.offers[0].resources[1].scalar.value`, and show the value itself:
 *     apps[2].instances: -1: must be an integer >= 0
 * A reader pushes a component when it descends and restores the returned
 * length when it comes back up. The path lives in the struct (no
 * allocation); a path longer than the buffer is cut, never overflowed.
 */
#ifndef HDRF_SCHED_JPATH_H
#define HDRF_SCHED_JPATH_H

#include <jansson.h>
#include <stddef.h>

#include "lib/sched_error.h"

typedef struct jpath {
    char text[256];
} jpath;

/* Each push returns the length to restore to. */
size_t jpath_field(jpath *p, const char *name); /* .name (no dot at the top) */
size_t jpath_index(jpath *p, size_t index);     /* [index] */
size_t jpath_key(jpath *p, const char *key);    /* ["key"], for map keys */
size_t jpath_raw(jpath *p, const char *text);   /* text as is: another reader's path */
void jpath_restore(jpath *p, size_t len);

/* The first key of `obj` not in `allowed` (NULL-terminated), or NULL when
 * every key is allowed. Borrowed from obj. */
const char *jpath_unknown_key(const json_t *obj, const char *const *allowed);

/* The path, or "(top)" for the document itself. Borrowed from p. */
const char *jpath_str(const jpath *p);

/* Fills err with "<path>: <value>: <what>" (the value compact JSON, cut at
 * 60 bytes; left out when `value` is NULL) and returns `status`. */
int jpath_fail(const jpath *p, sched_error *err, int status, const json_t *value, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));

#endif
