/* hdrf/resources.h: Mesos-compatible resources.
 *
 * An hdrf_resources is what Mesos calls `Resources`: a collection of named
 * resources, each a scalar (cpus:2.5), ranges (ports:[31000-32000]) or a set
 * (zones:{a,b}), with metadata: the role it is allocated to, a stack of
 * reservations (static or dynamic, refined from a role to its descendants),
 * disk info (persistent volume, source), revocable, shared, resource provider.
 *
 * Semantics follow Mesos 1.11 (src/common/resources.cpp):
 *  - Two resources combine into one only when their name, type and all their
 *    metadata match. Exclusive disks (MOUNT, BLOCK, RAW with an id) and
 *    persistent volumes never combine; they are added and removed whole.
 *  - A shared resource is kept once with a count: adding it again increments
 *    the count, subtracting decrements it.
 *  - Subtraction removes what it can and drops an element that becomes empty
 *    or would become negative, exactly as Mesos does; check contains() first
 *    when "not enough" must be an error.
 *  - Scalars are fixed-point milli-units (int64): Mesos rounds every scalar to
 *    three decimals, so hdrf stores 0.5 cpus as 500 and never drifts.
 *  - A reservation's role is the role of the last entry of its stack; a
 *    resource is allocatable to role R when it is unreserved, reserved to R,
 *    or reserved to an ancestor of R (`eng` resources for `eng/batch`).
 *
 * Ownership: a function that returns `hdrf_resources *` returns a new
 * collection the caller frees with hdrf_resources_free(); NULL means out of
 * memory. Arguments are borrowed; nothing keeps a pointer to them after the
 * call. A `const hdrf_resource *` from hdrf_resources_at() and the strings it
 * yields are borrowed from the collection and valid until the collection is
 * next modified or freed. A collection is not thread-safe; distinct
 * collections are independent.
 */
#ifndef HDRF_RESOURCES_H
#define HDRF_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/export.h"
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdrf_resources hdrf_resources;
typedef struct hdrf_resource hdrf_resource;

/* Values mirror mesos.v1.Value.Type and Resource.ReservationInfo.Type. */
typedef enum hdrf_value_type { HDRF_SCALAR = 0, HDRF_RANGES = 1, HDRF_SET = 2 } hdrf_value_type;

typedef enum hdrf_reservation_type {
    HDRF_RESERVATION_STATIC = 1,
    HDRF_RESERVATION_DYNAMIC = 2
} hdrf_reservation_type;

/* Values mirror mesos.v1.Resource.DiskInfo.Source.Type. */
typedef enum hdrf_disk_source_type {
    HDRF_DISK_SOURCE_NONE = 0, /* the default disk of the agent */
    HDRF_DISK_SOURCE_PATH = 1,
    HDRF_DISK_SOURCE_MOUNT = 2,
    HDRF_DISK_SOURCE_BLOCK = 3,
    HDRF_DISK_SOURCE_RAW = 4
} hdrf_disk_source_type;

/* An inclusive range of values, as in mesos.v1.Value.Range. */
typedef struct hdrf_range {
    uint64_t begin;
    uint64_t end;
} hdrf_range;

/* A label; `value` may be NULL (a label with a key only). */
typedef struct hdrf_label {
    const char *key;
    const char *value;
} hdrf_label;

/* One milli-unit: a scalar of 1.0 is stored as HDRF_MILLI. */
#define HDRF_MILLI INT64_C(1000)

/* ---- lifecycle ---------------------------------------------------------- */

HDRF_API hdrf_resources *hdrf_resources_new(void);
HDRF_API hdrf_resources *hdrf_resources_copy(const hdrf_resources *resources);
HDRF_API void hdrf_resources_free(hdrf_resources *resources); /* NULL is a no-op */

/* ---- parsing and formatting -------------------------------------------- */

/* Parses what Mesos's --resources flag accepts: either a JSON array of
 * mesos.v1.Resource objects, or the text form
 *   name[(role)]:value[;name[(role)]:value...]
 * where value is a scalar (`24`, `0.5`), ranges (`[31000-32000,33000-33100]`)
 * or a set (`{a,b}`), and `(role)` statically reserves to that role.
 * Resources without a role get `default_role` (NULL or "*" for unreserved).
 * Equal resources combine. On success *out is a new collection; on failure
 * *out is NULL, nothing is leaked, and `error` (may be NULL) names the
 * offending token and its position. Returns HDRF_OK, HDRF_EINVAL, HDRF_ENOMEM. */
HDRF_API int hdrf_resources_parse(const char *text, const char *default_role, hdrf_resources **out,
                                  hdrf_error *error);

/* Mesos's text form, as Mesos logs it: `cpus:24; mem:4096; ports:[1-2]`.
 * Resources the flag syntax can express print as flags accept them
 * (`disk(eng):100`); others print Mesos's annotations, e.g.
 * `disk(allocated: eng)(reservations: [(DYNAMIC,eng,alice)])[ID:/data]:64`.
 * Returns a new string (free() it), or NULL when out of memory. */
HDRF_API char *hdrf_resources_format(const hdrf_resources *resources);

/* The JSON array form (mesos.v1.Resource as JSON), lossless: parsing it gives
 * back an equal collection. New string, or NULL when out of memory. */
HDRF_API char *hdrf_resources_format_json(const hdrf_resources *resources);

/* ---- inspection ----------------------------------------------------------- */

HDRF_API size_t hdrf_resources_size(const hdrf_resources *resources);
HDRF_API bool hdrf_resources_empty(const hdrf_resources *resources);
HDRF_API const hdrf_resource *hdrf_resources_at(const hdrf_resources *resources, size_t i);

/* Sum of the scalar resources named `name` (any metadata), in milli-units. */
HDRF_API int64_t hdrf_resources_scalar(const hdrf_resources *resources, const char *name);

HDRF_API const char *hdrf_resource_name(const hdrf_resource *r);
HDRF_API hdrf_value_type hdrf_resource_type(const hdrf_resource *r);
HDRF_API int64_t hdrf_resource_scalar(const hdrf_resource *r); /* milli */
HDRF_API const hdrf_range *hdrf_resource_ranges(const hdrf_resource *r, size_t *count);
HDRF_API const char *const *hdrf_resource_set(const hdrf_resource *r, size_t *count);
HDRF_API const char *hdrf_resource_allocation_role(const hdrf_resource *r); /* or NULL */
/* The role of the last reservation, or NULL when unreserved. */
HDRF_API const char *hdrf_resource_reservation_role(const hdrf_resource *r);
HDRF_API size_t hdrf_resource_reservation_count(const hdrf_resource *r);
/* Reservation i of the stack (0 is the first, outermost). Strings borrowed. */
HDRF_API hdrf_reservation_type hdrf_resource_reservation(const hdrf_resource *r, size_t i,
                                                         const char **role, const char **principal);
HDRF_API bool hdrf_resource_is_revocable(const hdrf_resource *r);
HDRF_API bool hdrf_resource_is_shared(const hdrf_resource *r);
HDRF_API unsigned hdrf_resource_shared_count(const hdrf_resource *r); /* 0 if not shared */
HDRF_API bool hdrf_resource_is_persistent_volume(const hdrf_resource *r);
HDRF_API const char *hdrf_resource_persistence_id(const hdrf_resource *r); /* or NULL */
HDRF_API hdrf_disk_source_type hdrf_resource_disk_source(const hdrf_resource *r);
HDRF_API const char *hdrf_resource_provider_id(const hdrf_resource *r); /* or NULL */

/* ---- predicates (Mesos's Resources::isX) --------------------------------- */

HDRF_API bool hdrf_resource_is_unreserved(const hdrf_resource *r);
/* Reserved to exactly `role`; with role NULL, reserved to any role. */
HDRF_API bool hdrf_resource_is_reserved(const hdrf_resource *r, const char *role);
HDRF_API bool hdrf_resource_is_dynamically_reserved(const hdrf_resource *r);
/* Unreserved, reserved to `role`, or reserved to an ancestor of `role`. */
HDRF_API bool hdrf_resource_is_allocatable_to(const hdrf_resource *r, const char *role);
/* Reserved to `role` or to one of its descendants. */
HDRF_API bool hdrf_resource_is_reserved_to_subtree(const hdrf_resource *r, const char *role);

/* True when `role` equals `ancestor` or lies below it (`a/b` under `a`). */
HDRF_API bool hdrf_role_is_in_subtree(const char *role, const char *ancestor);

/* Mesos's role name rules: "*", or '/'-separated components that are not
 * empty, ".", ".." or "*", do not start with '-' and hold no whitespace or
 * DEL. Returns NULL when valid, else a static description of the problem. */
HDRF_API const char *hdrf_role_invalid(const char *role);

/* ---- arithmetic ------------------------------------------------------------ */

/* dst += src. On HDRF_ENOMEM dst is unchanged. */
HDRF_API int hdrf_resources_add(hdrf_resources *dst, const hdrf_resources *src);
/* dst -= src, Mesos semantics (see above). On HDRF_ENOMEM dst is unchanged. */
HDRF_API int hdrf_resources_subtract(hdrf_resources *dst, const hdrf_resources *src);
/* True when every resource of `that` is in `resources` (metadata included). */
HDRF_API bool hdrf_resources_contains(const hdrf_resources *resources, const hdrf_resources *that);
/* Contain each other: the same resources whatever their order. */
HDRF_API bool hdrf_resources_equal(const hdrf_resources *a, const hdrf_resources *b);

/* ---- filters: each returns a new collection, NULL when out of memory ------- */

typedef bool (*hdrf_resource_predicate)(const hdrf_resource *r, void *arg);
HDRF_API hdrf_resources *hdrf_resources_filter(const hdrf_resources *resources,
                                               hdrf_resource_predicate keep, void *arg);

HDRF_API hdrf_resources *hdrf_resources_unreserved(const hdrf_resources *resources);
/* Reserved to exactly `role`, or to any role when role is NULL. */
HDRF_API hdrf_resources *hdrf_resources_reserved(const hdrf_resources *resources, const char *role);
/* What `role` may be offered: unreserved or reserved to it or an ancestor. */
HDRF_API hdrf_resources *hdrf_resources_allocatable_to(const hdrf_resources *resources,
                                                       const char *role);
HDRF_API hdrf_resources *hdrf_resources_revocable(const hdrf_resources *resources);
HDRF_API hdrf_resources *hdrf_resources_non_revocable(const hdrf_resources *resources);
HDRF_API hdrf_resources *hdrf_resources_persistent_volumes(const hdrf_resources *resources);
HDRF_API hdrf_resources *hdrf_resources_shared(const hdrf_resources *resources);
HDRF_API hdrf_resources *hdrf_resources_non_shared(const hdrf_resources *resources);
HDRF_API hdrf_resources *hdrf_resources_scalars(const hdrf_resources *resources);
/* Allocated to exactly `role`; with role NULL, not allocated to any role. */
HDRF_API hdrf_resources *hdrf_resources_allocated_to(const hdrf_resources *resources,
                                                     const char *role);

/* ---- allocation role ------------------------------------------------------- */

/* Marks every resource as allocated to `role` (Mesos's Resources::allocate);
 * role NULL removes the mark (unallocate). Equal resources recombine. */
HDRF_API int hdrf_resources_allocate(hdrf_resources *resources, const char *role);

/* The role the collection is allocated to. Returns HDRF_OK with *role set
 * (borrowed) when every resource carries the same allocation role,
 * HDRF_OK with *role NULL when none carries one (or the collection is
 * empty), and HDRF_EINVAL when they disagree. */
HDRF_API int hdrf_resources_allocation_role(const hdrf_resources *resources, const char **role);

/* ---- reservations ---------------------------------------------------------- */

/* Pushes a reservation onto every resource's stack (Mesos's RESERVE and its
 * refinement). A refinement must name a descendant of the current role and
 * `type` DYNAMIC; otherwise HDRF_EINVAL and nothing changes. `labels` may be
 * NULL with nlabels 0. */
HDRF_API int hdrf_resources_push_reservation(hdrf_resources *resources, hdrf_reservation_type type,
                                             const char *role, const char *principal,
                                             const hdrf_label *labels, size_t nlabels);
/* Pops the last reservation of every resource (UNRESERVE). HDRF_EINVAL, with
 * nothing changed, if a resource is unreserved or its last one is static. */
HDRF_API int hdrf_resources_pop_reservation(hdrf_resources *resources);
/* Removes every reservation from every resource. */
HDRF_API int hdrf_resources_to_unreserved(hdrf_resources *resources);
/* Flattening: replaces every reservation stack with a single static
 * reservation to `role` (unreserved when role is NULL or "*"), keeping the
 * other metadata, so the amounts can be compared or re-reserved as one. */
HDRF_API int hdrf_resources_flatten(hdrf_resources *resources, const char *role);

/* ---- quantities ------------------------------------------------------------ */

/* Amounts by name (Mesos's ResourceQuantities): a scalar counts its value, a
 * range set the number of values it holds, a set its number of items; all in
 * milli-units. Entries are sorted by name and always positive. */
typedef struct hdrf_quantities hdrf_quantities;

HDRF_API hdrf_quantities *hdrf_quantities_new(void);
HDRF_API hdrf_quantities *hdrf_quantities_of(const hdrf_resources *resources);
/* The same over the scalar resources only (Mesos's scalars().toQuantities()). */
HDRF_API hdrf_quantities *hdrf_quantities_of_scalars(const hdrf_resources *resources);
HDRF_API hdrf_quantities *hdrf_quantities_copy(const hdrf_quantities *q);
HDRF_API void hdrf_quantities_free(hdrf_quantities *q);
/* Parses `cpus:4;mem:1024` (scalars only). Same error contract as parse. */
HDRF_API int hdrf_quantities_parse(const char *text, hdrf_quantities **out, hdrf_error *error);
/* Parses Mesos's --min_allocatable_resources form, alternatives separated by
 * '|' (`cpus:0.01|mem:32`): *out gets a new array of *n new quantities,
 * each freed with hdrf_quantities_free_all(). An empty alternative, or one
 * that is not a list of name:amount, is HDRF_EINVAL with the error naming
 * it (position in `text`); nothing is returned then. */
HDRF_API int hdrf_quantities_parse_alternatives(const char *text, hdrf_quantities ***out, size_t *n,
                                                hdrf_error *error);
/* Frees n quantities and their array (NULL is a no-op). */
HDRF_API void hdrf_quantities_free_all(hdrf_quantities **v, size_t n);
HDRF_API size_t hdrf_quantities_size(const hdrf_quantities *q);
HDRF_API const char *hdrf_quantities_name(const hdrf_quantities *q, size_t i);
HDRF_API int64_t hdrf_quantities_value(const hdrf_quantities *q, size_t i);
HDRF_API int64_t hdrf_quantities_get(const hdrf_quantities *q, const char *name);
/* Sets name's amount; 0 or less removes it. */
HDRF_API int hdrf_quantities_set(hdrf_quantities *q, const char *name, int64_t milli);
HDRF_API int hdrf_quantities_add(hdrf_quantities *dst, const hdrf_quantities *src);
/* dst -= src, flooring each amount at zero as Mesos does. */
HDRF_API int hdrf_quantities_subtract(hdrf_quantities *dst, const hdrf_quantities *src);
HDRF_API bool hdrf_quantities_contains(const hdrf_quantities *q, const hdrf_quantities *that);
HDRF_API bool hdrf_quantities_equal(const hdrf_quantities *a, const hdrf_quantities *b);

#ifdef __cplusplus
}
#endif

#endif
