/* alloc_frameworks.c: framework events (spec §D.2-§D.5, §D.15).
 *
 * A framework subscribes to roles; in each it is an active client of the
 * role's sorter only while it is active and not suppressed there. Leaving a
 * role while holding resources in it keeps the framework tracked there
 * (inactive) until those resources come back. */
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"

static bool listed(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

static int check_info(hdrf_allocator *a, const char *call, const hdrf_framework_info *info)
{
    if (!info || !info->id || !*info->id)
        return alloc_fail(a, HDRF_EINVAL, "%s: a framework id is required", call);
    if (info->nroles == 0 || !info->roles)
        return alloc_fail(a, HDRF_EINVAL, "%s: framework %s subscribes to no role", call, info->id);
    for (size_t i = 0; i < info->nroles; i++) {
        const char *why = info->roles[i] ? hdrf_role_invalid(info->roles[i]) : "missing";
        if (why)
            return alloc_fail(a, HDRF_EINVAL, "%s: framework %s: role '%s' is invalid: %s", call,
                              info->id, info->roles[i] ? info->roles[i] : "", why);
    }
    for (size_t i = 0; i < info->nsuppressed_roles; i++)
        if (!info->suppressed_roles[i] ||
            !listed(info->roles, info->nroles, info->suppressed_roles[i]))
            return alloc_fail(
                a, HDRF_EINVAL, "%s: framework %s: suppressed role '%s' is not one of its roles",
                call, info->id, info->suppressed_roles[i] ? info->suppressed_roles[i] : "");
    for (size_t i = 0; i < info->nminimums; i++)
        for (size_t j = 0; j < info->minimums[i].nalternatives; j++)
            if (!info->minimums[i].role || !info->minimums[i].alternatives[j])
                return alloc_fail(a, HDRF_EINVAL,
                                  "%s: framework %s: minimums[%zu] needs a role and quantities",
                                  call, info->id, i);
    return HDRF_OK;
}

/* The framework's own minimum for a role, from its info. */
static int set_minimum(fw_role *fr, const hdrf_framework_info *info)
{
    for (size_t i = 0; i < fr->nminimum; i++)
        hdrf_quantities_free(fr->minimum[i]);
    free(fr->minimum);
    fr->minimum = NULL;
    fr->nminimum = 0;
    fr->has_minimum = false;
    for (size_t i = 0; i < info->nminimums; i++) {
        const hdrf_role_minimum *m = &info->minimums[i];
        if (strcmp(m->role, fr->name) != 0)
            continue;
        fr->has_minimum = true;
        if (m->nalternatives && !(fr->minimum = calloc(m->nalternatives, sizeof *fr->minimum)))
            return HDRF_ENOMEM;
        for (size_t j = 0; j < m->nalternatives; j++) {
            if (!(fr->minimum[j] = hdrf_quantities_copy(m->alternatives[j])))
                return HDRF_ENOMEM;
            fr->nminimum++;
        }
        break;
    }
    return HDRF_OK;
}

static void framework_free(framework *fw)
{
    if (!fw)
        return;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->roles, &cursor, &key, &value))
        fw_role_free(value);
    strmap_free(&fw->roles);
    filters_clear_inverse(fw);
    hdrf_constraints_free(fw->constraints);
    free(fw->id);
    free(fw->name);
    free(fw);
}

void frameworks_free_all(hdrf_allocator *a)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->frameworks, &cursor, &key, &value))
        framework_free(value);
    strmap_free(&a->frameworks);
}

static void sync_all(framework *fw)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->roles, &cursor, &key, &value))
        ledger_sync_active(value);
}

/* Subscribes to the roles of `info` that the framework is not in yet, and
 * applies suppression and minimums to all of them. */
static int subscribe(hdrf_allocator *a, framework *fw, const hdrf_framework_info *info)
{
    for (size_t i = 0; i < info->nroles; i++) {
        fw_role *fr;
        int rc = ledger_track(a, fw, info->roles[i], &fr);
        if (rc == HDRF_OK)
            rc = set_minimum(fr, info);
        if (rc != HDRF_OK)
            return rc;
        bool suppressed = listed(info->suppressed_roles, info->nsuppressed_roles, fr->name);
        /* lifting a suppression through an update revives the role */
        if (fr->subscribed && fr->suppressed && !suppressed) {
            filters_clear_role(a, fr);
            filters_clear_inverse(fw);
        }
        fr->subscribed = true;
        fr->suppressed = suppressed;
    }
    return HDRF_OK;
}

static int set_name(framework *fw, const char *name)
{
    char *copy = strdup(name ? name : "");
    if (!copy)
        return HDRF_ENOMEM;
    free(fw->name);
    fw->name = copy;
    return HDRF_OK;
}

int hdrf_allocator_add_framework(hdrf_allocator *a, const hdrf_framework_info *info,
                                 const hdrf_holding *used, size_t nused, bool active)
{
    int rc = check_info(a, "add_framework", info);
    if (rc != HDRF_OK)
        return rc;
    if (frameworks_find(a, info->id))
        return alloc_fail(a, HDRF_EEXIST, "add_framework: framework %s is already known", info->id);
    if ((rc = check_holdings(a, "add_framework: used", used, nused)) != HDRF_OK)
        return rc;
    framework *fw = calloc(1, sizeof *fw);
    if (!fw || !(fw->id = strdup(info->id)) || set_name(fw, info->name) != HDRF_OK ||
        strmap_put(&a->frameworks, fw->id, fw) != HDRF_OK) {
        framework_free(fw);
        return alloc_fail(a, HDRF_ENOMEM, "add_framework: out of memory");
    }
    fw->capabilities = info->capabilities;
    fw->active = active;
    rc = subscribe(a, fw, info);
    /* Resources on agents the allocator knows; the agent counted them
     * already when it was added with them (spec §D.2). */
    for (size_t i = 0; rc == HDRF_OK && i < nused; i++) {
        agent *ag = agents_find(a, used[i].id);
        if (!ag)
            continue;
        rc = ledger_allocated(a, fw, ag, used[i].resources);
        if (rc == HDRF_OK)
            rc = roles_track_used(a, used[i].resources, +1);
    }
    if (rc != HDRF_OK)
        return alloc_fail(a, rc, "add_framework %s: out of memory", fw->id);
    fw->constraints = info->constraints;
    sync_all(fw);
    if (active)
        alloc_trigger(a, NULL);
    return HDRF_OK;
}

int hdrf_allocator_remove_framework(hdrf_allocator *a, const char *id)
{
    framework *fw = frameworks_find(a, id);
    if (!fw)
        return alloc_fail(a, HDRF_ENOTFOUND, "remove_framework: unknown framework %s", id_text(id));
    for (size_t i = 0; i < a->nagents; i++) {
        agent *ag = a->agents[i];
        const hdrf_resources *held = agent_holding(ag, fw->id);
        strmap_remove(&ag->outstanding, fw->id);
        if (!held)
            continue;
        hdrf_resources *copy = hdrf_resources_copy(held);
        if (!copy)
            return alloc_fail(a, HDRF_ENOMEM, "remove_framework %s: out of memory", fw->id);
        int rc = ledger_unallocated(a, fw, ag, copy);
        if (rc == HDRF_OK)
            rc = agent_release(ag, fw->id, copy);
        hdrf_resources_free(copy);
        if (rc != HDRF_OK)
            return alloc_fail(a, rc, "remove_framework %s: out of memory", fw->id);
    }
    /* Everything it held is released: every role lets it go. */
    const char *key;
    void *value;
    for (size_t cursor = 0; strmap_next(&fw->roles, &cursor, &key, &value); cursor = 0)
        ledger_untrack(a, value);
    strmap_remove(&a->frameworks, fw->id);
    framework_free(fw);
    return HDRF_OK;
}

static int set_framework_active(hdrf_allocator *a, const char *id, bool active, const char *call)
{
    framework *fw = frameworks_find(a, id);
    if (!fw)
        return alloc_fail(a, HDRF_ENOTFOUND, "%s: unknown framework %s", call, id_text(id));
    fw->active = active;
    sync_all(fw);
    if (active) {
        alloc_trigger(a, NULL);
        return HDRF_OK;
    }
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->roles, &cursor, &key, &value))
        filters_clear_role(a, value);
    filters_clear_inverse(fw);
    return HDRF_OK;
}

int hdrf_allocator_activate_framework(hdrf_allocator *a, const char *framework)
{
    return set_framework_active(a, framework, true, "activate_framework");
}

int hdrf_allocator_deactivate_framework(hdrf_allocator *a, const char *framework)
{
    return set_framework_active(a, framework, false, "deactivate_framework");
}

int hdrf_allocator_update_framework(hdrf_allocator *a, const hdrf_framework_info *info)
{
    int rc = check_info(a, "update_framework", info);
    if (rc != HDRF_OK)
        return rc;
    framework *fw = frameworks_find(a, info->id);
    if (!fw)
        return alloc_fail(a, HDRF_ENOTFOUND, "update_framework: unknown framework %s", info->id);
    if ((rc = set_name(fw, info->name)) != HDRF_OK || (rc = subscribe(a, fw, info)) != HDRF_OK)
        return alloc_fail(a, rc, "update_framework %s: out of memory", fw->id);
    /* roles left: filters go; the framework stays tracked while it holds
     * resources there */
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->roles, &cursor, &key, &value)) {
        fw_role *fr = value;
        if (!fr->subscribed || listed(info->roles, info->nroles, fr->name))
            continue;
        fr->subscribed = false;
        fr->suppressed = false;
        filters_clear_role(a, fr);
        ledger_sync_active(fr);
        ledger_untrack_if_idle(a, fr);
        cursor = 0;
    }
    fw->capabilities = info->capabilities;
    if (fw->constraints != info->constraints) {
        hdrf_constraints_free(fw->constraints);
        fw->constraints = info->constraints;
    }
    sync_all(fw);
    return HDRF_OK;
}

/* Applies `apply` to the listed roles, or to every subscribed role when
 * none are listed; every listed role must be subscribed. */
static int for_roles(hdrf_allocator *a, const char *call, const char *id, const char *const *roles,
                     size_t n, bool suppress)
{
    framework *fw = frameworks_find(a, id);
    if (!fw)
        return alloc_fail(a, HDRF_ENOTFOUND, "%s: unknown framework %s", call, id_text(id));
    for (size_t i = 0; i < n; i++) {
        fw_role *fr = roles[i] ? ledger_fw_role(fw, roles[i]) : NULL;
        if (!fr || !fr->subscribed)
            return alloc_fail(a, HDRF_EINVAL, "%s: framework %s does not subscribe to role '%s'",
                              call, fw->id, roles[i] ? roles[i] : "");
    }
    if (!suppress)
        filters_clear_inverse(fw);
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fw->roles, &cursor, &key, &value)) {
        fw_role *fr = value;
        if (!fr->subscribed || (n && !listed(roles, n, fr->name)))
            continue;
        if (!suppress)
            filters_clear_role(a, fr);
        fr->suppressed = suppress;
        ledger_sync_active(fr);
    }
    if (!suppress)
        alloc_trigger(a, NULL);
    return HDRF_OK;
}

int hdrf_allocator_suppress(hdrf_allocator *a, const char *framework, const char *const *roles,
                            size_t nroles)
{
    return for_roles(a, "suppress", framework, roles, nroles, true);
}

int hdrf_allocator_revive(hdrf_allocator *a, const char *framework, const char *const *roles,
                          size_t nroles)
{
    return for_roles(a, "revive", framework, roles, nroles, false);
}
