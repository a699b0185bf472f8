/* operations.c: the two events that apply operations (spec §D.10, §D.11).
 *
 * Mesos describes every operation that changes what resources are (RESERVE,
 * CREATE a volume...) as conversions "consumed becomes converted", and the
 * allocator applies those to an allocation and to the agent's total alike.
 * hdrf computes the same conversions (Mesos's getResourceConversions, in
 * conversions.c with the resource model) so that a caller holding
 * operations and one holding conversions (the shim: Mesos hands it
 * conversions) end in the same state. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

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
    if (!offered || hdrf_resources_allocation_role(offered, &role_name) != HDRF_OK || !role_name ||
        !ledger_fw_role(fw, role_name))
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
        alloc_fail(a, rc, "update_allocation: a conversion does not apply to agent %s", ag->id);
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
