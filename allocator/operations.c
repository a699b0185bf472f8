/* operations.c: operations on resources as conversions, and the two events
 * that apply them (spec §D.10, §D.11).
 *
 * Mesos describes every operation that changes what resources are (RESERVE,
 * CREATE a volume...) as conversions "consumed becomes converted", and the
 * allocator applies those to an allocation and to the agent's total alike.
 * hdrf computes the same conversions (Mesos's getResourceConversions) so
 * that a caller holding operations and one holding conversions (the shim:
 * Mesos hands it conversions) end in the same state. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"
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
        hdrf_resources *before = op->source ? hdrf_resources_copy(op->source)
                                            : hdrf_resources_copy(rs);
        if (before && !op->source && hdrf_resources_pop_reservation(before) != HDRF_OK) {
            hdrf_resources_free(before);
            b.rc = invalid(error, "RESERVE", "every resource must carry a reservation");
            break;
        }
        append(&b, before, hdrf_resources_copy(rs));
        break;
    }
    case HDRF_OP_UNRESERVE:
        for (size_t i = 0; b.rc == HDRF_OK && i < rs->n; i++) {
            hdrf_resources *after = single(&rs->v[i]);
            if (after && hdrf_resources_pop_reservation(after) != HDRF_OK) {
                hdrf_resources_free(after);
                b.rc = invalid(error, "UNRESERVE",
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

/* ---- the events ---------------------------------------------------------------------- */

/* Conversions without allocation roles, for the agent's total. Those with
 * nothing consumed (extra copies of a shared volume) do not change it. */
static int total_conversions(const hdrf_conversion *c, size_t n, hdrf_conversion **out,
                             size_t *nout, hdrf_resources *removed)
{
    *out = calloc(n ? n : 1, sizeof **out);
    *nout = 0;
    if (!*out)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (hdrf_resources_empty(c[i].consumed))
            continue;
        hdrf_resources *consumed = hdrf_resources_copy(c[i].consumed);
        hdrf_resources *converted = hdrf_resources_copy(c[i].converted);
        (*out)[(*nout)++] = (hdrf_conversion){consumed, converted};
        if (!consumed || !converted || hdrf_resources_allocate(consumed, NULL) != HDRF_OK ||
            hdrf_resources_allocate(converted, NULL) != HDRF_OK)
            return HDRF_ENOMEM;
        if (hdrf_resources_empty(converted) && hdrf_resources_add(removed, consumed) != HDRF_OK)
            return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

/* MESOS-8825: conversions keep quantities, or remove what they consume.
 * Exactly: before + extra shared copies (conversions that consume nothing)
 * = after + removed. Mesos compares clamped differences (before - after,
 * dropping what would be negative), which lets a conversion that creates
 * resources (cpus:1 -> cpus:2) through; no operation makes one, so hdrf
 * refuses it rather than grow the agent's total out of nothing. Returns
 * HDRF_OK, HDRF_EINVAL or HDRF_ENOMEM. */
static int quantities_kept(const hdrf_resources *before, const hdrf_resources *after,
                           const hdrf_resources *removed, const hdrf_conversion *c, size_t n)
{
    hdrf_quantities *b = hdrf_quantities_of_scalars(before), *a = hdrf_quantities_of_scalars(after),
                    *r = hdrf_quantities_of_scalars(removed);
    int rc = b && a && r ? HDRF_OK : HDRF_ENOMEM;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        if (!hdrf_resources_empty(c[i].consumed))
            continue;
        hdrf_quantities *copies = hdrf_quantities_of_scalars(c[i].converted);
        rc = copies ? hdrf_quantities_add(b, copies) : HDRF_ENOMEM;
        hdrf_quantities_free(copies);
    }
    if (rc == HDRF_OK)
        rc = hdrf_quantities_add(a, r);
    if (rc == HDRF_OK && !hdrf_quantities_equal(b, a))
        rc = HDRF_EINVAL;
    hdrf_quantities_free(b);
    hdrf_quantities_free(a);
    hdrf_quantities_free(r);
    return rc;
}

int hdrf_allocator_update_allocation(hdrf_allocator *a, const char *framework_id,
                                     const char *agent_id, const hdrf_resources *offered,
                                     const hdrf_conversion *conversions, size_t n)
{
    framework *fw;
    agent *ag;
    int rc = alloc_find_pair(a, "update_allocation", framework_id, agent_id, &fw, &ag);
    if (rc != HDRF_OK)
        return rc;
    const char *role_name;
    if (!offered || hdrf_resources_allocation_role(offered, &role_name) != HDRF_OK ||
        !role_name || !ledger_fw_role(fw, role_name))
        return alloc_fail(a, HDRF_EINVAL,
                          "update_allocation: the resources must be allocated to one role of "
                          "framework %s",
                          fw->id);
    const hdrf_resources *held = agent_holding(ag, fw->id);
    if (!held || !hdrf_resources_contains(held, offered))
        return alloc_fail(a, HDRF_ENOFIT,
                          "update_allocation: framework %s does not hold those resources on "
                          "agent %s",
                          fw->id, ag->id);
    hdrf_resources *updated = hdrf_resources_copy(offered);
    hdrf_resources *removed = hdrf_resources_new();
    hdrf_conversion *tc = NULL;
    size_t ntc = 0;
    rc = updated && removed ? HDRF_OK : HDRF_ENOMEM;
    if (rc == HDRF_OK && (rc = conversions_apply(updated, conversions, n)) == HDRF_ENOFIT)
        alloc_fail(a, rc,
                   "update_allocation: framework %s on agent %s: a conversion does not apply "
                   "to the offer",
                   fw->id, ag->id);
    if (rc == HDRF_OK)
        rc = total_conversions(conversions, n, &tc, &ntc, removed);
    if (rc == HDRF_OK &&
        (rc = quantities_kept(offered, updated, removed, conversions, n)) == HDRF_EINVAL)
        alloc_fail(a, rc,
                   "update_allocation: framework %s on agent %s: conversions must keep "
                   "quantities or remove what they consume",
                   fw->id, ag->id);
    /* the last check, and the first change: nothing changed if it fails */
    if (rc == HDRF_OK && (rc = agent_convert_total(a, ag, tc, ntc)) == HDRF_ENOFIT)
        alloc_fail(a, rc, "update_allocation: a conversion does not apply to agent %s",
                   ag->id);
    if (rc == HDRF_OK)
        rc = agent_rehold(ag, fw->id, offered, updated);
    if (rc == HDRF_OK)
        rc = ledger_update(a, fw, ag, role_name, offered, updated);
    if (rc == HDRF_OK && (ag->clamped || conversions_touch_shared(conversions, n)))
        rc = agent_refresh_available(ag);
    if (rc == HDRF_ENOMEM)
        alloc_fail(a, rc, "update_allocation: out of memory");
    hdrf_conversions_free(tc, ntc);
    hdrf_resources_free(updated);
    hdrf_resources_free(removed);
    return rc;
}

int hdrf_allocator_update_available(hdrf_allocator *a, const char *agent_id,
                                    const hdrf_operation *operations, size_t n)
{
    agent *ag = agents_find(a, agent_id);
    if (!ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "update_available: unknown agent %s",
                          id_text(agent_id));
    hdrf_resources *avail = hdrf_resources_copy(ag->available);
    hdrf_conversion *all = NULL;
    size_t nall = 0, cap = 0;
    int rc = avail ? HDRF_OK : HDRF_ENOMEM;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        hdrf_conversion *c;
        size_t nc;
        hdrf_error e;
        rc = hdrf_operation_conversions(&operations[i], &c, &nc, &e);
        if (rc == HDRF_EINVAL) {
            alloc_fail(a, rc, "update_available: operation %zu: %s: %s", i, e.token, e.text);
            break;
        }
        if (rc == HDRF_OK && (rc = conversions_apply(avail, c, nc)) == HDRF_ENOFIT)
            alloc_fail(a, rc,
                       "update_available: operation %zu does not fit the resources available "
                       "on agent %s",
                       i, ag->id);
        if (rc == HDRF_OK)
            rc = array_reserve(&all, &cap, nall + nc, sizeof *all);
        if (rc == HDRF_OK) {
            memcpy(&all[nall], c, nc * sizeof *c); /* the collections move into `all` */
            nall += nc;
            free(c);
        } else {
            hdrf_conversions_free(c, nc);
        }
    }
    /* what is available and the total change by the same conversions */
    if (rc == HDRF_OK && (rc = agent_convert_total(a, ag, all, nall)) == HDRF_ENOFIT)
        alloc_fail(a, rc, "update_available: the operations do not apply to agent %s", ag->id);
    if (rc == HDRF_OK) {
        hdrf_resources *old = ag->available;
        ag->available = avail;
        avail = old;
        if (ag->clamped)
            rc = agent_refresh_available(ag);
    }
    if (rc == HDRF_ENOMEM)
        alloc_fail(a, rc, "update_available: out of memory");
    hdrf_conversions_free(all, nall);
    hdrf_resources_free(avail);
    return rc;
}
