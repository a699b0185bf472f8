/* resources_internal.h: the collection's layout and the helpers the parsers,
 * formatters and converters share. Private to the core. */
#ifndef HDRF_RESOURCES_INTERNAL_H
#define HDRF_RESOURCES_INTERNAL_H

#include "hdrf/resources.h"
#include "allocator/resource.h"

/* Invariant: no element is empty and no two elements are addable, except
 * exclusive disks and persistent volumes, which never are. */
struct hdrf_resources {
    hdrf_resource *v;
    size_t n;
    size_t cap;
};

/* Adds one resource, taking ownership of *r's contents in every case (on
 * failure they are freed). Merges with an addable element or appends; an
 * empty resource is dropped. */
int resources_add_owned(hdrf_resources *rs, hdrf_resource *r);

/* Whether a and b hold equal elements in the same order (shared counts
 * included): enough for them to be equal, and cheap; a copy passes. */
bool resources_same_in_order(const hdrf_resources *a, const hdrf_resources *b);
/* The same test with allocation roles ignored: b stripped of them would
 * equal a (a valid collection: no two of its elements combine). */
bool resources_same_in_order_any_role(const hdrf_resources *a, const hdrf_resources *b);

/* Reads `input` into a new collection with `read` (which may leave partial
 * contents on failure), after checking `default_role`. Every public parser
 * goes through here: on success *out holds the collection; on failure it is
 * NULL, the error is filled and nothing is leaked. */
typedef int (*resources_reader)(const void *input, const char *default_role, hdrf_resources *rs,
                                hdrf_error *error);
int resources_read_new(resources_reader read, const void *input, const char *default_role,
                       hdrf_resources **out, hdrf_error *error);

/* Adds `milli` (signed) to name's quantity in one lookup, as
 * hdrf_quantities_set(q, name, get + milli) would (zero or less removes
 * it; saturates at INT64_MAX). HDRF_ENOMEM only when the name is new. */
int quantities_change(hdrf_quantities *q, const char *name, int64_t milli);

#endif
