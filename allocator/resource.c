/* resource.c: one resource: copy, free, metadata rules and value arithmetic.
 *
 * The comparisons mirror Mesos 1.11 rule for rule (src/common/resources.cpp):
 *  - equality of metadata ignores a disk's Volume and persistence principal
 *    (they describe a use of the disk, not the disk);
 *  - shared resources combine only when wholly equal, counting copies;
 *  - MOUNT and BLOCK disks, RAW disks with an id, and persistent volumes are
 *    never merged, and are subtracted only whole. */
#include "allocator/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rstr.h"
#include "lib/sbuf.h"

/* ---- labels, reservations, disk info ------------------------------------- */

void labels_free(labels *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    *l = (labels){NULL, 0, false};
}

int labels_copy(labels *dst, const labels *src)
{
    bool ok = true;
    *dst = (labels){NULL, 0, src->present};
    if (src->n == 0)
        return HDRF_OK;
    if (!(dst->v = calloc(src->n, sizeof *dst->v)))
        return HDRF_ENOMEM;
    dst->n = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->v[i].key = str_dup_opt(src->v[i].key, &ok);
        dst->v[i].value = str_dup_opt(src->v[i].value, &ok);
    }
    if (!ok) {
        labels_free(dst);
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

static bool label_equal(const label *a, const label *b)
{
    return strcmp(a->key, b->key) == 0 && str_eq_opt(a->value, b->value);
}

/* Mesos compares Labels ignoring order: same size, each left label on the right. */
bool labels_equal(const labels *a, const labels *b)
{
    if (a->present != b->present || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n && !found; j++)
            found = label_equal(&a->v[i], &b->v[j]);
        if (!found)
            return false;
    }
    return true;
}

void reservation_free(reservation *r)
{
    free(r->role);
    free(r->principal);
    labels_free(&r->labels);
    r->role = r->principal = NULL;
}

int reservation_copy(reservation *dst, const reservation *src)
{
    bool ok = true;
    dst->type = src->type;
    dst->role = str_dup_opt(src->role, &ok);
    dst->principal = str_dup_opt(src->principal, &ok);
    if (labels_copy(&dst->labels, &src->labels) != HDRF_OK)
        ok = false;
    if (!ok) {
        reservation_free(dst);
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

bool reservation_equal(const reservation *a, const reservation *b)
{
    return a->type == b->type && str_eq_opt(a->role, b->role) &&
           str_eq_opt(a->principal, b->principal) && labels_equal(&a->labels, &b->labels);
}

void disk_info_free(disk_info *d)
{
    if (!d)
        return;
    free(d->persistence_id);
    free(d->persistence_principal);
    free(d->volume_container_path);
    free(d->volume_host_path);
    free(d->source_root);
    free(d->source_vendor);
    free(d->source_id);
    free(d->source_profile);
    labels_free(&d->source_metadata);
    free(d);
}

static disk_info *disk_info_copy(const disk_info *src, bool *ok)
{
    disk_info *d = malloc(sizeof *d);
    if (!d) {
        *ok = false;
        return NULL;
    }
    *d = *src;
    d->persistence_id = str_dup_opt(src->persistence_id, ok);
    d->persistence_principal = str_dup_opt(src->persistence_principal, ok);
    d->volume_container_path = str_dup_opt(src->volume_container_path, ok);
    d->volume_host_path = str_dup_opt(src->volume_host_path, ok);
    d->source_root = str_dup_opt(src->source_root, ok);
    d->source_vendor = str_dup_opt(src->source_vendor, ok);
    d->source_id = str_dup_opt(src->source_id, ok);
    d->source_profile = str_dup_opt(src->source_profile, ok);
    if (labels_copy(&d->source_metadata, &src->source_metadata) != HDRF_OK) {
        d->source_metadata = (labels){NULL, 0, false};
        *ok = false;
    }
    return d;
}

static bool disk_source_equal(const disk_info *a, const disk_info *b)
{
    return a->source_type == b->source_type && a->source_has_dir == b->source_has_dir &&
           str_eq_opt(a->source_root, b->source_root) &&
           str_eq_opt(a->source_vendor, b->source_vendor) &&
           str_eq_opt(a->source_id, b->source_id) &&
           labels_equal(&a->source_metadata, &b->source_metadata) &&
           str_eq_opt(a->source_profile, b->source_profile);
}

/* Mesos's DiskInfo equality: source and persistence id; Volume is ignored. */
static bool disk_equal(const disk_info *a, const disk_info *b)
{
    if (!a || !b)
        return a == b;
    return disk_source_equal(a, b) && a->has_persistence == b->has_persistence &&
           (!a->has_persistence || str_eq_opt(a->persistence_id, b->persistence_id));
}

/* ---- whole resources ------------------------------------------------------ */

void resource_free(hdrf_resource *r)
{
    rstr_release(r->name);
    rangelist_free(&r->ranges);
    strset_free(&r->set);
    rstr_release(r->allocation_role);
    for (size_t i = 0; i < r->nreservations; i++)
        reservation_free(&r->reservations[i]);
    free(r->reservations);
    disk_info_free(r->disk);
    free(r->provider_id);
    memset(r, 0, sizeof *r);
}

int resource_copy(hdrf_resource *dst, const hdrf_resource *src)
{
    bool ok = true;
    *dst = *src;
    dst->ranges = (rangelist)RANGELIST_INIT;
    dst->set = (strset)STRSET_INIT;
    dst->reservations = NULL;
    dst->nreservations = 0;
    dst->disk = NULL;
    dst->name = rstr_retain(src->name);
    dst->allocation_role = rstr_retain(src->allocation_role);
    dst->provider_id = str_dup_opt(src->provider_id, &ok);
    if (src->disk)
        dst->disk = disk_info_copy(src->disk, &ok);
    if (rangelist_copy(&dst->ranges, &src->ranges) != HDRF_OK ||
        strset_copy(&dst->set, &src->set) != HDRF_OK)
        ok = false;
    if (ok && src->nreservations > 0) {
        dst->reservations = calloc(src->nreservations, sizeof *dst->reservations);
        for (size_t i = 0; dst->reservations && i < src->nreservations; i++, dst->nreservations++)
            if (reservation_copy(&dst->reservations[i], &src->reservations[i]) != HDRF_OK)
                break;
        ok = dst->reservations && dst->nreservations == src->nreservations;
    }
    if (!ok) {
        resource_free(dst);
        return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

bool resource_is_empty(const hdrf_resource *r)
{
    if (r->shared)
        return r->shared_count == 0;
    switch (r->type) {
    case HDRF_SCALAR:
        return r->scalar == 0;
    case HDRF_RANGES:
        return r->ranges.n == 0;
    case HDRF_SET:
        return r->set.n == 0;
    }
    return true;
}

bool resource_is_negative(const hdrf_resource *r)
{
    if (r->shared)
        return r->shared_count < 0;
    return r->type == HDRF_SCALAR && r->scalar < 0;
}

static bool reservations_equal(const hdrf_resource *a, const hdrf_resource *b)
{
    if (a->nreservations != b->nreservations)
        return false;
    for (size_t i = 0; i < a->nreservations; i++)
        if (!reservation_equal(&a->reservations[i], &b->reservations[i]))
            return false;
    return true;
}

/* Everything but the value and the shared flag (compared by the callers). */
static bool core_metadata_equal(const hdrf_resource *a, const hdrf_resource *b)
{
    return a->type == b->type && rstr_same(a->name, b->name) &&
           str_eq_opt(a->allocation_role, b->allocation_role) && reservations_equal(a, b) &&
           disk_equal(a->disk, b->disk) && a->revocable == b->revocable &&
           str_eq_opt(a->provider_id, b->provider_id);
}

bool resource_same_metadata(const hdrf_resource *a, const hdrf_resource *b)
{
    return a->shared == b->shared && core_metadata_equal(a, b);
}

static bool value_equal(const hdrf_resource *a, const hdrf_resource *b)
{
    switch (a->type) {
    case HDRF_SCALAR:
        return a->scalar == b->scalar;
    case HDRF_RANGES:
        return rangelist_equal(&a->ranges, &b->ranges);
    case HDRF_SET:
        return strset_equal(&a->set, &b->set);
    }
    return false;
}

/* Equality of the Resource messages, ignoring how many shared copies are held. */
bool resource_equal(const hdrf_resource *a, const hdrf_resource *b)
{
    return resource_same_metadata(a, b) && value_equal(a, b);
}

bool resource_addable(const hdrf_resource *a, const hdrf_resource *b)
{
    if (a->shared || b->shared)
        return resource_equal(a, b);
    if (!core_metadata_equal(a, b))
        return false;
    if (a->disk) {
        switch (a->disk->source_type) {
        case HDRF_DISK_SOURCE_MOUNT:
        case HDRF_DISK_SOURCE_BLOCK:
            return false; /* exclusive disks stay whole */
        case HDRF_DISK_SOURCE_RAW:
            if (a->disk->source_id)
                return false;
            break;
        case HDRF_DISK_SOURCE_NONE:
        case HDRF_DISK_SOURCE_PATH:
            break;
        }
        if (a->disk->has_persistence)
            return false;
    }
    return true;
}

bool resource_subtractable(const hdrf_resource *a, const hdrf_resource *b)
{
    if (a->shared || b->shared)
        return resource_equal(a, b);
    if (!core_metadata_equal(a, b))
        return false;
    if (a->disk) {
        bool whole_only = a->disk->has_persistence ||
                          a->disk->source_type == HDRF_DISK_SOURCE_MOUNT ||
                          a->disk->source_type == HDRF_DISK_SOURCE_BLOCK ||
                          (a->disk->source_type == HDRF_DISK_SOURCE_RAW && a->disk->source_id);
        if (whole_only && !value_equal(a, b))
            return false;
    }
    return true;
}

bool resource_contains(const hdrf_resource *a, const hdrf_resource *b)
{
    if (a->shared != b->shared)
        return false;
    if (a->shared)
        return resource_equal(a, b) && a->shared_count >= b->shared_count;
    if (!resource_subtractable(a, b))
        return false;
    switch (a->type) {
    case HDRF_SCALAR:
        return b->scalar <= a->scalar;
    case HDRF_RANGES:
        return rangelist_contains(&a->ranges, &b->ranges);
    case HDRF_SET:
        return strset_contains(&a->set, &b->set);
    }
    return false;
}

int resource_value_add(hdrf_resource *a, const hdrf_resource *b)
{
    if (a->shared) {
        a->shared_count += b->shared_count;
        return HDRF_OK;
    }
    switch (a->type) {
    case HDRF_SCALAR:
        a->scalar += b->scalar;
        return HDRF_OK;
    case HDRF_RANGES:
        return rangelist_add(&a->ranges, &b->ranges);
    case HDRF_SET:
        return strset_add(&a->set, &b->set);
    }
    return HDRF_EINVAL;
}

int resource_value_subtract(hdrf_resource *a, const hdrf_resource *b)
{
    if (a->shared) {
        a->shared_count -= b->shared_count;
        return HDRF_OK;
    }
    switch (a->type) {
    case HDRF_SCALAR:
        a->scalar -= b->scalar;
        return HDRF_OK;
    case HDRF_RANGES:
        return rangelist_subtract(&a->ranges, &b->ranges);
    case HDRF_SET:
        strset_subtract(&a->set, &b->set);
        return HDRF_OK;
    }
    return HDRF_EINVAL;
}

/* ---- building from parsed input ---------------------------------------- */

int resource_append_range(hdrf_resource *r, uint64_t begin, uint64_t end, const char **why)
{
    if (begin > end) {
        *why = "range begins after it ends";
        return HDRF_EINVAL;
    }
    for (size_t k = 0; k < r->ranges.n; k++) {
        if (begin <= r->ranges.v[k].end && r->ranges.v[k].begin <= end) {
            *why = "range overlaps another range of the resource";
            return HDRF_EINVAL;
        }
    }
    return rangelist_append(&r->ranges, begin, end);
}

int resource_insert_item(hdrf_resource *r, const char *item, const char **why)
{
    int status = strset_insert(&r->set, item);
    if (status == HDRF_EEXIST) {
        *why = "duplicate item in set";
        return HDRF_EINVAL;
    }
    return status;
}

static const char *check_reservation(const hdrf_resource *r, size_t i)
{
    const reservation *res = &r->reservations[i];
    if (!res->role || strcmp(res->role, "*") == 0)
        return "a reservation needs a role other than \"*\"";
    if (hdrf_role_invalid(res->role))
        return hdrf_role_invalid(res->role);
    if (i > 0 && (strcmp(res->role, r->reservations[i - 1].role) == 0 ||
                  !hdrf_role_is_in_subtree(res->role, r->reservations[i - 1].role)))
        return "a refined reservation must name a descendant of the role before it";
    if (i > 0 && res->type != HDRF_RESERVATION_DYNAMIC)
        return "a refined reservation must be DYNAMIC";
    return NULL;
}

static bool labels_clean(const labels *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!str_is_clean_utf8(l->v[i].key) || !str_is_clean_utf8(l->v[i].value))
            return false;
    return true;
}

/* Every string of the resource, so that any of them can be written as JSON
 * or protobuf. */
static bool strings_clean(const hdrf_resource *r)
{
    bool ok = str_is_clean_utf8(r->name) && str_is_clean_utf8(r->allocation_role) &&
              str_is_clean_utf8(r->provider_id);
    for (size_t i = 0; ok && i < r->set.n; i++)
        ok = str_is_clean_utf8(r->set.v[i]);
    for (size_t i = 0; ok && i < r->nreservations; i++)
        ok = str_is_clean_utf8(r->reservations[i].role) &&
             str_is_clean_utf8(r->reservations[i].principal) &&
             labels_clean(&r->reservations[i].labels);
    if (ok && r->disk) {
        const disk_info *d = r->disk;
        ok = str_is_clean_utf8(d->persistence_id) && str_is_clean_utf8(d->persistence_principal) &&
             str_is_clean_utf8(d->volume_container_path) &&
             str_is_clean_utf8(d->volume_host_path) && str_is_clean_utf8(d->source_root) &&
             str_is_clean_utf8(d->source_vendor) && str_is_clean_utf8(d->source_id) &&
             str_is_clean_utf8(d->source_profile) && labels_clean(&d->source_metadata);
    }
    return ok;
}

const char *resource_check(const hdrf_resource *r, char *where, size_t wherelen)
{
    where[0] = '\0';
    if (!r->name || !r->name[0])
        return "a resource needs a non-empty name";
    if (!strings_clean(r))
        return "strings must be valid UTF-8 without control characters";
    for (size_t i = 0; i < r->nreservations; i++) {
        const char *why = check_reservation(r, i);
        if (why) {
            snprintf(where, wherelen, ".reservations[%zu]", i);
            return why;
        }
    }
    if (r->allocation_role && hdrf_role_invalid(r->allocation_role)) {
        snprintf(where, wherelen, ".allocation_info");
        return hdrf_role_invalid(r->allocation_role);
    }
    if (r->disk && strcmp(r->name, "disk") != 0)
        return "only a resource named \"disk\" can have disk info";
    if (r->disk && r->disk->has_persistence && !r->disk->persistence_id) {
        snprintf(where, wherelen, ".disk.persistence");
        return "a persistent volume needs an id";
    }
    return NULL;
}
