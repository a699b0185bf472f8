/* alloc_snapshot.c: the allocator's state as one JSON document, for an
 * operator to read or plot (/hdrf/state on the master's port).
 *
 * The role tree with weights, shares as the role sorter computes them,
 * H-DRF's blocked flags, what each subtree holds and has reserved, and each
 * quota with what it counts as consumed; then each framework with its roles,
 * suppression, offer filters and whether it declined what it was last
 * offered. A read-only walk, off the allocation path: its cost is the
 * state's size. Amounts are in the resources' units (1.5 cpus, not 1500
 * milli-units). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"

static const char *order_name(hdrf_order o)
{
    return o == HDRF_ORDER_HDRF ? "hdrf" : o == HDRF_ORDER_RANDOM ? "random" : "drf";
}

/* Sets obj[key] to v, taking v; false when either failed. */
static bool put(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

/* Sets obj[name] to an amount given in milli-units. */
static bool put_amount(json_t *obj, const char *name, int64_t milli)
{
    return put(obj, name, json_real((double)milli / (double)HDRF_MILLI));
}

static json_t *amounts(const hdrf_quantities *q)
{
    json_t *o = json_object();
    for (size_t i = 0; o && q && i < hdrf_quantities_size(q); i++)
        if (!put_amount(o, hdrf_quantities_name(q, i), hdrf_quantities_value(q, i))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* The vector plus `extra`, as amounts. */
static json_t *sum_amounts(const hdrf_allocator *a, const scalar_vec *v,
                           const hdrf_quantities *extra)
{
    hdrf_quantities *q = scalar_vec_quantities(v, &a->names);
    json_t *o = q && hdrf_quantities_add(q, extra) == HDRF_OK ? amounts(q) : NULL;
    hdrf_quantities_free(q);
    return o;
}

/* Offered or allocated in the role's subtree, reserved or not. */
static json_t *held(const hdrf_allocator *a, const role *r)
{
    hdrf_quantities *reserved = scalar_vec_quantities(&r->held_reserved, &a->names);
    json_t *o = reserved ? sum_amounts(a, &r->held_unreserved, reserved) : NULL;
    hdrf_quantities_free(reserved);
    return o;
}

static json_t *limits(const role *r)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < r->nlimits; i++)
        if (!put_amount(o, r->limits[i].name, r->limits[i].milli)) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* Guarantees, limits, and what quota counts as consumed (spec §B.4):
 * offered or allocated unreserved non-revocable resources, plus every
 * reservation of the subtree. */
static json_t *quota(const hdrf_allocator *a, const role *r)
{
    json_t *q = json_object();
    if (q && put(q, "guarantees", amounts(r->guarantees)) && put(q, "limits", limits(r)) &&
        put(q, "consumed", sum_amounts(a, &r->held_unreserved, r->reserved)))
        return q;
    json_decref(q);
    return NULL;
}

/* A share as the role sorter has it, or null for a role it does not order. */
static json_t *share(double v) { return v < 0 ? json_null() : json_real(v); }

static json_t *role_entry(const hdrf_allocator *a, const role *r)
{
    json_t *o = json_object();
    const hdrf_sorter *s = a->role_sorter;
    bool ok = o && put(o, "role", json_string(r->path)) && put(o, "weight", json_real(r->weight)) &&
              put(o, "share", share(hdrf_sorter_share(s, r->path))) &&
              put(o, "weighted_share", share(hdrf_sorter_weighted_share(s, r->path))) &&
              put(o, "blocked", json_boolean(hdrf_sorter_hdrf_blocked(s, r->path))) &&
              put(o, "frameworks", json_integer((json_int_t)r->nframeworks)) &&
              put(o, "allocated", held(a, r)) && put(o, "reserved", amounts(r->reserved));
    if (ok && role_has_quota(r))
        ok = put(o, "quota", quota(a, r));
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static size_t filters_of(const fw_role *fr)
{
    size_t n = 0, cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&fr->filters, &cursor, &key, &value))
        n += list_length(value);
    return n;
}

static json_t *fw_role_entry(const fw_role *fr)
{
    json_t *o = json_object();
    if (!o || !put(o, "role", json_string(fr->name)) ||
        !put(o, "subscribed", json_boolean(fr->subscribed)) ||
        !put(o, "suppressed", json_boolean(fr->suppressed)) ||
        !put(o, "filters", json_integer((json_int_t)filters_of(fr))) ||
        !put(o, "declined", json_boolean(fr->stuck))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The map's keys, sorted (a new array of borrowed keys, or NULL). */
static const char **sorted_keys(const strmap *m, size_t *n)
{
    const char **keys = malloc((m->n ? m->n : 1) * sizeof *keys);
    size_t cursor = 0;
    const char *key;
    void *value;
    *n = 0;
    while (keys && strmap_next(m, &cursor, &key, &value))
        keys[(*n)++] = key;
    if (keys)
        array_sort_strings(keys, *n);
    return keys;
}

static json_t *framework_entry(const framework *fw)
{
    json_t *o = json_object(), *roles = json_array();
    size_t n = 0;
    const char **names = sorted_keys(&fw->roles, &n);
    bool ok = o && roles && names && put(o, "id", json_string(fw->id)) &&
              put(o, "name", json_string(fw->name)) && put(o, "active", json_boolean(fw->active));
    for (size_t i = 0; ok && i < n; i++) {
        json_t *e = fw_role_entry(strmap_get(&fw->roles, names[i]));
        ok = e && json_array_append_new(roles, e) == 0;
    }
    free(names);
    if (ok) {
        ok = put(o, "roles", roles);
        roles = NULL;
    }
    json_decref(roles);
    if (ok)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *snapshot(const hdrf_allocator *a)
{
    json_t *doc = json_object(), *roles = json_array(), *fws = json_array();
    size_t nroles = 0, nfws = 0;
    const char **paths = sorted_keys(&a->roles, &nroles);
    const char **ids = sorted_keys(&a->frameworks, &nfws);
    bool ok = doc && roles && fws && paths && ids &&
              put(doc, "role_sorter", json_string(order_name(a->options.role_order))) &&
              put(doc, "framework_sorter", json_string(order_name(a->options.framework_order)));
    for (size_t i = 0; ok && i < nroles; i++) {
        json_t *e = role_entry(a, roles_find(a, paths[i]));
        ok = e && json_array_append_new(roles, e) == 0;
    }
    for (size_t i = 0; ok && i < nfws; i++) {
        json_t *e = framework_entry(strmap_get(&a->frameworks, ids[i]));
        ok = e && json_array_append_new(fws, e) == 0;
    }
    free(paths);
    free(ids);
    if (ok) {
        ok = put(doc, "roles", roles);
        roles = NULL;
    }
    if (ok) {
        ok = put(doc, "frameworks", fws);
        fws = NULL;
    }
    json_decref(roles);
    json_decref(fws);
    if (ok)
        return doc;
    json_decref(doc);
    return NULL;
}

int hdrf_allocator_state(const hdrf_allocator *a, char **out)
{
    json_t *doc = snapshot(a);
    *out = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(doc);
    return *out ? HDRF_OK : HDRF_ENOMEM;
}
