/* conversions.c: resource conversions, in the resource model.
 *
 * Mesos describes every operation that changes what resources are (RESERVE,
 * CREATE a volume...) as conversions "consumed becomes converted"
 * (getResourceConversions, beside Resources in Mesos's resources.hpp), and
 * the allocator applies those to an allocation and to the agent's total
 * alike. This file owns both halves on resources alone: computing an
 * operation's conversions and applying conversions to a collection. It
 * calls only the resource model (resources, resource, reservations), so the
 * allocator's event files (operations.c, alloc_agents.c) both build on it
 * instead of on each other. */
#include <stdlib.h>

#include "allocator/conversions.h"
#include "allocator/resources_internal.h"
#include "lib/error.h"

void hdrf_conversions_free(hdrf_conversion *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        hdrf_resources_free((hdrf_resources *)c[i].consumed);
        hdrf_resources_free((hdrf_resources *)c[i].converted);
    }
    free(c);
}

int conversions_apply(hdrf_resources *r, const hdrf_conversion *c, size_t n)
{
    /* In place, since r can be an agent's whole total: a copy would cost
     * every operation the size of the agent. A failure undoes what was
     * applied, newest first, with the same exact arithmetic backwards. */
    int rc = HDRF_OK;
    size_t done = 0;
    while (rc == HDRF_OK && done < n) {
        const hdrf_conversion *x = &c[done];
        if (!hdrf_resources_contains(r, x->consumed))
            rc = HDRF_ENOFIT;
        else if ((rc = hdrf_resources_subtract(r, x->consumed)) == HDRF_OK &&
                 (rc = hdrf_resources_add(r, x->converted)) != HDRF_OK)
            hdrf_resources_add(r, x->consumed);
        if (rc == HDRF_OK)
            done++;
    }
    while (rc != HDRF_OK && done > 0) {
        const hdrf_conversion *x = &c[--done];
        hdrf_resources_subtract(r, x->converted);
        hdrf_resources_add(r, x->consumed);
    }
    return rc;
}

/* ---- operations as conversions ---------------------------------------------------- */

/* A volume as it was before CREATE: no persistence, no volume, not shared;
 * the disk info goes entirely when it has no source (the agent's root disk). */
static void strip_volume(hdrf_resource *r)
{
    r->shared = false;
    r->shared_count = 0;
    if (!r->disk)
        return;
    if (r->disk->source_type == HDRF_DISK_SOURCE_NONE) {
        disk_info_free(r->disk);
        r->disk = NULL;
        return;
    }
    disk_info *d = r->disk;
    free(d->persistence_id);
    free(d->persistence_principal);
    free(d->volume_container_path);
    free(d->volume_host_path);
    d->persistence_id = d->persistence_principal = NULL;
    d->volume_container_path = d->volume_host_path = NULL;
    d->has_persistence = d->has_volume = false;
    d->volume_mode = 0;
}

static bool is_volume(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return r->disk && r->disk->has_persistence;
}

typedef struct builder {
    hdrf_conversion *v;
    size_t n;
    int rc;
} builder;

/* Appends one conversion, taking both collections (freed on failure). */
static void append(builder *b, hdrf_resources *consumed, hdrf_resources *converted)
{
    if (b->rc == HDRF_OK && (!consumed || !converted))
        b->rc = HDRF_ENOMEM;
    if (b->rc != HDRF_OK) {
        hdrf_resources_free(consumed);
        hdrf_resources_free(converted);
        return;
    }
    b->v[b->n++] = (hdrf_conversion){consumed, converted};
}

/* One resource of a collection as a collection of its own. */
static hdrf_resources *single(const hdrf_resource *r)
{
    hdrf_resources *out = hdrf_resources_new();
    hdrf_resource copy;
    if (!out || resource_copy(&copy, r) != HDRF_OK || resources_add_owned(out, &copy) != HDRF_OK) {
        hdrf_resources_free(out);
        return NULL;
    }
    return out;
}

static hdrf_resources *stripped(const hdrf_resource *r)
{
    hdrf_resources *out = hdrf_resources_new();
    hdrf_resource copy;
    if (!out || resource_copy(&copy, r) != HDRF_OK) {
        hdrf_resources_free(out);
        return NULL;
    }
    strip_volume(&copy);
    if (resources_add_owned(out, &copy) != HDRF_OK) {
        hdrf_resources_free(out);
        return NULL;
    }
    return out;
}

static int invalid(hdrf_error *e, const char *what, const char *why)
{
    return error_named(e, "operation", what, "%s", why);
}

static int single_volume(const hdrf_operation *op, const char *name, hdrf_error *e)
{
    if (!op->resources || op->resources->n != 1 || !is_volume(&op->resources->v[0], NULL))
        return invalid(e, name, "needs exactly one persistent volume in `resources`");
    return HDRF_OK;
}

static void grow(builder *b, const hdrf_operation *op)
{
    hdrf_resources *consumed = hdrf_resources_copy(op->resources);
    hdrf_resources *converted = hdrf_resources_copy(op->resources);
    if (consumed && b->rc == HDRF_OK)
        b->rc = hdrf_resources_add(consumed, op->source);
    if (converted)
        converted->v[0].scalar += hdrf_resources_scalar(op->source, "disk");
    append(b, consumed, converted);
}

static void shrink(builder *b, const hdrf_operation *op)
{
    hdrf_resources *consumed = hdrf_resources_copy(op->resources);
    hdrf_resources *converted = hdrf_resources_copy(op->resources);
    hdrf_resources *freed = stripped(&op->resources->v[0]);
    if (converted)
        converted->v[0].scalar -= op->subtract;
    if (freed) {
        freed->v[0].scalar = op->subtract;
        if (converted && b->rc == HDRF_OK)
            b->rc = hdrf_resources_add(converted, freed);
    }
    hdrf_resources_free(freed);
    append(b, consumed, converted);
}

int hdrf_operation_conversions(const hdrf_operation *op, hdrf_conversion **out, size_t *n,
                               hdrf_error *error)
{
    *out = NULL;
    *n = 0;
    if (!op->resources || hdrf_resources_empty(op->resources))
        return invalid(error, "resources", "an operation needs resources");
    const hdrf_resources *rs = op->resources;
    builder b = {calloc(rs->n + 1, sizeof *b.v), 0, HDRF_OK};
    if (!b.v)
        return HDRF_ENOMEM;
    switch (op->type) {
    case HDRF_OP_RESERVE: {
        hdrf_resources *before =
            op->source ? hdrf_resources_copy(op->source) : hdrf_resources_copy(rs);
        int rc = before && !op->source ? hdrf_resources_pop_reservation(before) : HDRF_OK;
        if (rc != HDRF_OK) {
            hdrf_resources_free(before);
            b.rc = rc == HDRF_ENOMEM
                       ? rc
                       : invalid(error, "RESERVE", "every resource must carry a reservation");
            break;
        }
        append(&b, before, hdrf_resources_copy(rs));
        break;
    }
    case HDRF_OP_UNRESERVE:
        for (size_t i = 0; b.rc == HDRF_OK && i < rs->n; i++) {
            hdrf_resources *after = single(&rs->v[i]);
            int rc = after ? hdrf_resources_pop_reservation(after) : HDRF_OK;
            if (rc != HDRF_OK) {
                hdrf_resources_free(after);
                b.rc = rc == HDRF_ENOMEM
                           ? rc
                           : invalid(error, "UNRESERVE",
                                     "every resource must carry a dynamic reservation");
                break;
            }
            append(&b, single(&rs->v[i]), after);
        }
        break;
    case HDRF_OP_CREATE:
    case HDRF_OP_DESTROY:
        for (size_t i = 0; b.rc == HDRF_OK && i < rs->n; i++) {
            if (!is_volume(&rs->v[i], NULL)) {
                b.rc = invalid(error, op->type == HDRF_OP_CREATE ? "CREATE" : "DESTROY",
                               "every resource must be a persistent volume");
                break;
            }
            if (op->type == HDRF_OP_CREATE)
                append(&b, stripped(&rs->v[i]), single(&rs->v[i]));
            else
                append(&b, single(&rs->v[i]), stripped(&rs->v[i]));
        }
        break;
    case HDRF_OP_GROW_VOLUME:
        if ((b.rc = single_volume(op, "GROW_VOLUME", error)) == HDRF_OK && !op->source)
            b.rc = invalid(error, "GROW_VOLUME", "needs the addition in `source`");
        if (b.rc == HDRF_OK)
            grow(&b, op);
        break;
    case HDRF_OP_SHRINK_VOLUME:
        if ((b.rc = single_volume(op, "SHRINK_VOLUME", error)) == HDRF_OK &&
            (op->subtract <= 0 || op->subtract >= rs->v[0].scalar))
            b.rc = invalid(error, "SHRINK_VOLUME",
                           "`subtract` must be positive and less than the volume");
        if (b.rc == HDRF_OK)
            shrink(&b, op);
        break;
    default:
        b.rc = invalid(error, "type", "not a supported operation");
    }
    if (b.rc != HDRF_OK) {
        hdrf_conversions_free(b.v, b.n);
        return b.rc;
    }
    *out = b.v;
    *n = b.n;
    return HDRF_OK;
}
