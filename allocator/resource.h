/* resource.h: one Mesos resource and the rules for combining two of them.
 *
 * Private to the core. `struct hdrf_resource` is the element type of an
 * hdrf_resources collection; the public header sees it only through
 * accessors. The metadata rules (equal, addable, subtractable) follow Mesos
 * 1.11's src/common/resources.cpp, rule for rule, and are the heart of "two
 * resources combine only when all their metadata match". */
#ifndef HDRF_RESOURCE_H
#define HDRF_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/resources.h"
#include "allocator/rangelist.h"
#include "lib/rstr.h"
#include "lib/strset.h"

typedef struct label {
    char *key;
    char *value; /* NULL: a key-only label */
} label;

/* mesos.v1.Labels. `present` distinguishes "no Labels message" from an empty
 * one, which Mesos's equality does too. */
typedef struct labels {
    label *v;
    size_t n;
    bool present;
} labels;

typedef struct reservation {
    hdrf_reservation_type type;
    char *role;
    char *principal; /* NULL: unset */
    labels labels;
} reservation;

/* mesos.v1.Resource.DiskInfo, with the parts of Volume that Mesos prints. */
typedef struct disk_info {
    bool has_persistence;
    char *persistence_id;
    char *persistence_principal;
    bool has_volume;
    char *volume_container_path;
    char *volume_host_path;
    int volume_mode;                   /* 0 unset, 1 RW, 2 RO (mesos.v1.Volume.Mode) */
    hdrf_disk_source_type source_type; /* NONE: no Source message */
    bool source_has_dir;               /* Source.path or Source.mount present */
    char *source_root;
    char *source_vendor;
    char *source_id;
    char *source_profile;
    labels source_metadata;
} disk_info;

/* `name` and `allocation_role` are rstr (rstr.h): copies share them. */
struct hdrf_resource {
    char *name;
    hdrf_value_type type;
    int64_t scalar; /* milli-units */
    rangelist ranges;
    strset set;
    char *allocation_role; /* NULL: not allocated */
    reservation *reservations;
    size_t nreservations;
    disk_info *disk; /* NULL: no DiskInfo */
    bool revocable;
    bool shared;
    int64_t shared_count; /* copies held, for shared resources */
    char *provider_id;    /* NULL: not from a resource provider */
};

void resource_free(hdrf_resource *r);
/* Deep copy into uninitialised *dst; HDRF_OK or HDRF_ENOMEM (dst zeroed). */
int resource_copy(hdrf_resource *dst, const hdrf_resource *src);
bool resource_is_empty(const hdrf_resource *r);

/* Mesos's rules: metadata equal (compareResourceMetadata), and whether two
 * resources may be merged (addable) or taken from one another (subtractable). */
bool resource_same_metadata(const hdrf_resource *a, const hdrf_resource *b);
bool resource_equal(const hdrf_resource *a, const hdrf_resource *b);
bool resource_addable(const hdrf_resource *a, const hdrf_resource *b);
bool resource_subtractable(const hdrf_resource *a, const hdrf_resource *b);
/* Whether `a` holds all of `b` (Mesos's Resource_::contains). */
bool resource_contains(const hdrf_resource *a, const hdrf_resource *b);

/* a += b and a -= b for addable / subtractable pairs. Subtracting may leave a
 * negative scalar or zero count: the caller drops such an element. */
int resource_value_add(hdrf_resource *a, const hdrf_resource *b);
int resource_value_subtract(hdrf_resource *a, const hdrf_resource *b);
bool resource_is_negative(const hdrf_resource *r);

/* Label and reservation helpers shared by the parsers and reservation ops. */
void labels_free(labels *l);
int labels_copy(labels *dst, const labels *src);
bool labels_equal(const labels *a, const labels *b);
void reservation_free(reservation *r);
int reservation_copy(reservation *dst, const reservation *src);
bool reservation_equal(const reservation *a, const reservation *b);
void disk_info_free(disk_info *d);

#endif

/* ---- building a resource from parsed input (shared by every reader) ---- */

/* Appends one range to a RANGES resource being built, refusing inverted or
 * overlapping ranges (Mesos's validation). On HDRF_EINVAL *why says which.
 * Call rangelist_normalize() on r->ranges when all are in. */
int resource_append_range(hdrf_resource *r, uint64_t begin, uint64_t end, const char **why);
/* Inserts one item into a SET resource being built; duplicates are refused. */
int resource_insert_item(hdrf_resource *r, const char *item, const char **why);
/* Checks what no single field shows: disk info only on "disk", valid roles,
 * each reservation refining the one before it, a persistence id. Returns
 * NULL when valid, else why, with the field at fault (".reservations[1]")
 * written to `where` (empty when it is the resource as a whole). */
const char *resource_check(const hdrf_resource *r, char *where, size_t wherelen);
