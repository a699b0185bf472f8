/* reservations.c: changing the metadata of a whole collection: the
 * reservation stack (RESERVE, UNRESERVE, refinement, flattening) and the
 * allocation role.
 *
 * Each change rewrites every element of a copy and re-adds it to a new
 * collection, because elements that differed only in the changed metadata may
 * now combine (two reservations popped to the same role become one). The new
 * collection replaces the old only on success: all or nothing. */
#include <stdlib.h>
#include <string.h>

#include "allocator/resources_internal.h"
#include "lib/rstr.h"
#include "lib/sbuf.h"

typedef int (*rewrite_fn)(hdrf_resource *r, const void *arg);

static int rewrite(hdrf_resources *rs, rewrite_fn fn, const void *arg)
{
    hdrf_resources *out = hdrf_resources_new();
    int status = out ? HDRF_OK : HDRF_ENOMEM;
    for (size_t i = 0; i < rs->n && status == HDRF_OK; i++) {
        hdrf_resource copy;
        if ((status = resource_copy(&copy, &rs->v[i])) != HDRF_OK)
            break;
        if ((status = fn(&copy, arg)) != HDRF_OK) {
            resource_free(&copy);
            break;
        }
        status = resources_add_owned(out, &copy);
    }
    if (status == HDRF_OK) {
        hdrf_resources swap = *rs;
        *rs = *out;
        *out = swap;
    }
    hdrf_resources_free(out);
    return status;
}

static void pop_last(hdrf_resource *r)
{
    reservation_free(&r->reservations[--r->nreservations]);
    if (r->nreservations == 0) {
        free(r->reservations);
        r->reservations = NULL;
    }
}

static int push(hdrf_resource *r, const reservation *res)
{
    reservation *v = realloc(r->reservations, (r->nreservations + 1) * sizeof *v);
    if (!v)
        return HDRF_ENOMEM;
    r->reservations = v;
    if (reservation_copy(&v[r->nreservations], res) != HDRF_OK)
        return HDRF_ENOMEM;
    r->nreservations++;
    return HDRF_OK;
}

static int push_rewrite(hdrf_resource *r, const void *arg) { return push(r, arg); }

static int pop_rewrite(hdrf_resource *r, const void *arg)
{
    (void)arg;
    pop_last(r);
    return HDRF_OK;
}

static int unreserve_rewrite(hdrf_resource *r, const void *arg)
{
    (void)arg;
    while (r->nreservations)
        pop_last(r);
    return HDRF_OK;
}

static int flatten_rewrite(hdrf_resource *r, const void *arg)
{
    unreserve_rewrite(r, NULL);
    return arg ? push(r, arg) : HDRF_OK;
}

static int allocate_rewrite(hdrf_resource *r, const void *role)
{
    bool ok = true;
    rstr_release(r->allocation_role);
    r->allocation_role = rstr_dup(role, &ok);
    return ok ? HDRF_OK : HDRF_ENOMEM;
}

/* A push is valid on an empty stack (static or dynamic) or as a dynamic
 * refinement to a strict descendant of the current reservation role. */
static bool push_allowed(const hdrf_resource *r, const reservation *res)
{
    const char *current = hdrf_resource_reservation_role(r);
    if (!current)
        return true;
    return res->type == HDRF_RESERVATION_DYNAMIC && strcmp(current, res->role) != 0 &&
           hdrf_role_is_in_subtree(res->role, current);
}

int hdrf_resources_push_reservation(hdrf_resources *rs, hdrf_reservation_type type,
                                    const char *role, const char *principal,
                                    const hdrf_label *labels, size_t nlabels)
{
    if (!role || strcmp(role, "*") == 0 || hdrf_role_invalid(role) ||
        (type != HDRF_RESERVATION_STATIC && type != HDRF_RESERVATION_DYNAMIC))
        return HDRF_EINVAL;
    label *owned = NULL;
    if (nlabels && !(owned = malloc(nlabels * sizeof *owned)))
        return HDRF_ENOMEM;
    for (size_t i = 0; i < nlabels; i++)
        owned[i] = (label){(char *)labels[i].key, (char *)labels[i].value};
    /* Borrowed strings: `res` is only copied from, never freed. */
    reservation res = {type, (char *)role, (char *)principal, {owned, nlabels, labels != NULL}};
    int status = HDRF_OK;
    for (size_t i = 0; i < rs->n && status == HDRF_OK; i++)
        if (!push_allowed(&rs->v[i], &res))
            status = HDRF_EINVAL;
    if (status == HDRF_OK)
        status = rewrite(rs, push_rewrite, &res);
    free(owned);
    return status;
}

int hdrf_resources_pop_reservation(hdrf_resources *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!hdrf_resource_is_dynamically_reserved(&rs->v[i]))
            return HDRF_EINVAL;
    return rewrite(rs, pop_rewrite, NULL);
}

int hdrf_resources_to_unreserved(hdrf_resources *rs)
{
    return rewrite(rs, unreserve_rewrite, NULL);
}

int hdrf_resources_flatten(hdrf_resources *rs, const char *role)
{
    if (!role || strcmp(role, "*") == 0)
        return rewrite(rs, flatten_rewrite, NULL);
    if (hdrf_role_invalid(role))
        return HDRF_EINVAL;
    reservation res = {HDRF_RESERVATION_STATIC, (char *)role, NULL, {NULL, 0, false}};
    return rewrite(rs, flatten_rewrite, &res);
}

static bool same_text(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

static bool one_allocation_role(const hdrf_resources *rs)
{
    for (size_t i = 1; i < rs->n; i++)
        if (!same_text(rs->v[i].allocation_role, rs->v[0].allocation_role))
            return false;
    return true;
}

/* When every element has the same allocation role, giving them all another
 * one cannot make two of them combine, so the roles change in place: the
 * common case (an offer allocated to its role), without a rewrite's copies.
 * The elements share one string. */
static int allocate_in_place(hdrf_resources *rs, const char *role)
{
    bool ok = true;
    char *text = rstr_dup(role, &ok);
    if (!ok)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < rs->n; i++) {
        rstr_release(rs->v[i].allocation_role);
        rs->v[i].allocation_role = rstr_retain(text);
    }
    rstr_release(text);
    return HDRF_OK;
}

int hdrf_resources_allocate(hdrf_resources *rs, const char *role)
{
    if (role && hdrf_role_invalid(role))
        return HDRF_EINVAL;
    if (one_allocation_role(rs))
        return allocate_in_place(rs, role);
    return rewrite(rs, allocate_rewrite, role);
}
