/* alloc_observe.c: what an operator can see of the allocator: metrics under
 * Mesos's names (spec §B.6), and why frameworks got no offer.
 *
 * Under role_sorter=hdrf, also why a role is blocked (left out of its
 * parent's rescaling: alloc_blocked.c says when).
 *
 * All are read-only walks over the state; nothing here is on the
 * allocation path. Timers (allocation_run, allocation_run_latency) need a
 * clock, which the core does not read: the shim and the simulator time
 * their calls to allocate() and flush() themselves. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/alloc_internal.h"
#include "lib/array.h"
#include "lib/sbuf.h"

static const char *const headline[] = {"cpus", "mem", "disk"};

typedef struct emitter {
    void (*emit)(void *arg, const char *name, double value);
    void *arg;
    char name[512];
} emitter;

static void put(emitter *e, double value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(emitter *e, double value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->name, sizeof e->name, fmt, ap);
    va_end(ap);
    e->emit(e->arg, e->name, value);
}

static double milli(int64_t v) { return (double)v / (double)HDRF_MILLI; }

/* Mesos URL-encodes framework names in metric keys. */
static void url_encode(const char *in, char *out, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < len; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

/* `offered`: what the role sorter counts for the role, or NULL for none. */
static void role_quota_metrics(emitter *e, const role *r, const hdrf_quantities *offered)
{
    const char *p = r->path;
    for (size_t i = 0; i < hdrf_quantities_size(r->guarantees); i++)
        put(e, milli(hdrf_quantities_value(r->guarantees, i)),
            "allocator/mesos/quota/roles/%s/resources/%s/guarantee", p,
            hdrf_quantities_name(r->guarantees, i));
    for (size_t i = 0; i < r->nlimits; i++)
        put(e, milli(r->limits[i].milli), "allocator/mesos/quota/roles/%s/resources/%s/limit", p,
            r->limits[i].name);
    /* consumed and offered_or_allocated for every name quota mentions */
    for (size_t i = 0; i < hdrf_quantities_size(r->guarantees) + r->nlimits; i++) {
        size_t ng = hdrf_quantities_size(r->guarantees);
        const char *n = i < ng ? hdrf_quantities_name(r->guarantees, i) : r->limits[i - ng].name;
        if (i >= ng && hdrf_quantities_get(r->guarantees, n) > 0)
            continue; /* named by a guarantee already */
        int64_t consumed =
            hdrf_quantities_get(r->used_unreserved, n) + hdrf_quantities_get(r->reserved, n);
        put(e, milli(consumed), "allocator/mesos/quota/roles/%s/resources/%s/consumed", p, n);
        put(e, milli(offered ? hdrf_quantities_get(offered, n) : 0),
            "allocator/mesos/quota/roles/%s/resources/%s/offered_or_allocated", p, n);
    }
}

static void free_offered(hdrf_quantities **offered, size_t n)
{
    for (size_t i = 0; offered && i < n; i++)
        hdrf_quantities_free(offered[i]);
    free(offered);
}

/* What the role sorter counts for each role with quota, in the order
 * role_metrics() walks the roles, computed before anything is emitted; NULL
 * when out of memory. */
static hdrf_quantities **quota_offered(const hdrf_allocator *a)
{
    hdrf_quantities **offered = calloc(a->roles.n ? a->roles.n : 1, sizeof *offered);
    size_t cursor = 0, i = 0;
    const char *key;
    void *value;
    while (offered && strmap_next(&a->roles, &cursor, &key, &value)) {
        const role *r = value;
        if (role_has_quota(r) && hdrf_sorter_contains(a->role_sorter, r->path) &&
            !(offered[i] = hdrf_sorter_allocated_quantities(a->role_sorter, r->path))) {
            free_offered(offered, i);
            return NULL;
        }
        i++;
    }
    return offered;
}

static void role_metrics(emitter *e, const hdrf_allocator *a, hdrf_quantities **offered)
{
    size_t cursor = 0, i = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->roles, &cursor, &key, &value)) {
        const role *r = value;
        put(e, (double)r->nfilters, "allocator/mesos/offer_filters/roles/%s/active", r->path);
        if (hdrf_sorter_contains(a->role_sorter, r->path))
            put(e, hdrf_sorter_weighted_share(a->role_sorter, r->path),
                "allocator/mesos/roles/%s/shares/dominant", r->path);
        if (role_has_quota(r))
            role_quota_metrics(e, r, offered[i]);
        i++;
    }
}

static void framework_metrics(emitter *e, const hdrf_allocator *a)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    char name[256];
    while (strmap_next(&a->frameworks, &cursor, &key, &value)) {
        const framework *fw = value;
        url_encode(fw->name, name, sizeof name);
        size_t rc = 0;
        void *frv;
        while (strmap_next(&fw->roles, &rc, &key, &frv)) {
            const fw_role *fr = frv;
            if (fr->subscribed)
                put(e, fr->suppressed ? 1.0 : 0.0, "master/frameworks/%s/%s/roles/%s/suppressed",
                    name, fw->id, fr->name);
        }
    }
}

int hdrf_allocator_metrics(const hdrf_allocator *a,
                           void (*emit)(void *arg, const char *name, double value), void *arg)
{
    emitter e = {emit, arg, {0}};
    enum { NHEADLINE = sizeof headline / sizeof *headline };
    int64_t held[NHEADLINE] = {0};
    hdrf_quantities **offered = quota_offered(a); /* first: nothing is emitted on failure */
    if (!offered)
        return HDRF_ENOMEM;
    for (size_t j = 0; j < a->nagents; j++) {
        hdrf_resources *sum = agent_held_total(a->agents[j]);
        if (!sum) {
            free_offered(offered, a->roles.n);
            return HDRF_ENOMEM;
        }
        for (size_t i = 0; i < NHEADLINE; i++)
            held[i] += hdrf_resources_scalar(sum, headline[i]);
        hdrf_resources_free(sum);
    }
    put(&e, (double)a->runs, "allocator/mesos/allocation_runs");
    put(&e, a->pending ? 1.0 : 0.0, "allocator/mesos/event_queue_dispatches");
    for (size_t i = 0; i < NHEADLINE; i++) {
        put(&e, milli(hdrf_quantities_get(a->total_scalars, headline[i])),
            "allocator/mesos/resources/%s/total", headline[i]);
        put(&e, milli(held[i]), "allocator/mesos/resources/%s/offered_or_allocated", headline[i]);
    }
    role_metrics(&e, a, offered);
    framework_metrics(&e, a);
    free_offered(offered, a->roles.n);
    return HDRF_OK;
}

/* ---- explanations -------------------------------------------------------------------- */

const char *hdrf_reason_name(hdrf_reason reason)
{
    switch (reason) {
    case HDRF_REASON_INACTIVE:
        return "inactive";
    case HDRF_REASON_SUPPRESSED:
        return "suppressed";
    case HDRF_REASON_NOTHING_AVAILABLE:
        return "nothing available";
    case HDRF_REASON_FILTERED:
        return "filtered";
    case HDRF_REASON_QUOTA_LIMIT:
        return "quota limit";
    case HDRF_REASON_HEADROOM:
        return "headroom held for quota guarantees";
    case HDRF_REASON_CAPABILITY:
        return "capability";
    case HDRF_REASON_MIN_ALLOCATABLE:
        return "below min allocatable";
    case HDRF_REASON_CONSTRAINT:
        return "offer constraints";
    case HDRF_REASON_NO_RUN_REACHED:
        return "fair share: others came first";
    }
    return "unknown";
}

typedef struct explanation {
    const char *role;
    const char *framework;
    hdrf_reason reason;
} explanation;

static int by_role_framework(const void *x, const void *y)
{
    const explanation *p = x, *q = y;
    int c = strcmp(p->role, q->role);
    return c ? c : strcmp(p->framework, q->framework);
}

static hdrf_reason reason_of(const hdrf_allocator *a, const fw_role *fr)
{
    if (!fr->fw->active)
        return HDRF_REASON_INACTIVE;
    if (fr->suppressed)
        return HDRF_REASON_SUPPRESSED;
    if (fr->has_reason)
        return fr->reason;
    return a->last_run_agents ? HDRF_REASON_NO_RUN_REACHED : HDRF_REASON_NOTHING_AVAILABLE;
}

int hdrf_allocator_explain(const hdrf_allocator *a,
                           void (*visit)(void *arg, const char *role, const char *framework,
                                         hdrf_reason reason),
                           void *arg)
{
    explanation *v = NULL;
    size_t n = 0, cap = 0;
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->frameworks, &cursor, &key, &value)) {
        const framework *fw = value;
        size_t rc = 0;
        void *frv;
        while (strmap_next(&fw->roles, &rc, &key, &frv)) {
            const fw_role *fr = frv;
            if (!fr->subscribed || fr->offered)
                continue;
            if (array_reserve(&v, &cap, n + 1, sizeof *v) != HDRF_OK) {
                free(v);
                return HDRF_ENOMEM;
            }
            v[n++] = (explanation){fr->name, fw->id, reason_of(a, fr)};
        }
    }
    if (n)
        qsort(v, n, sizeof *v, by_role_framework);
    for (size_t i = 0; i < n; i++)
        visit(arg, v[i].role, v[i].framework, v[i].reason);
    free(v);
    return HDRF_OK;
}

/* ---- blocked roles (role_sorter=hdrf) ------------------------------------------------ */

/* What keeps each framework of the role from taking more. */
static void frameworks_why(const hdrf_allocator *a, const char *path, sbuf *why)
{
    size_t cursor = 0, n = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->frameworks, &cursor, &key, &value)) {
        const framework *fw = value;
        const fw_role *fr = strmap_get(&fw->roles, path);
        if (!fr)
            continue;
        const char *state = !fr->subscribed  ? "left the role"
                            : !fw->active    ? "is inactive"
                            : fr->suppressed ? "suppressed its offers"
                            : fr->stuck      ? "declined what it was offered"
                                             : "can take more";
        sbuf_printf(why, "%s%s %s", n++ ? "; " : "", fw->id, state);
    }
}

/* The saturated resources the role holds some of. */
static void saturated_held(const hdrf_allocator *a, const char *path, sbuf *why)
{
    hdrf_quantities *held = hdrf_sorter_allocated_quantities(a->role_sorter, path);
    size_t n = 0;
    for (size_t i = 0; held && i < a->nsaturated; i++)
        if (hdrf_quantities_get(held, a->saturated[i]) > 0)
            sbuf_printf(why, "%s%s", n++ ? ", " : "", a->saturated[i]);
    hdrf_quantities_free(held);
}

static void blocked_why(const hdrf_allocator *a, const role *r, sbuf *why)
{
    sbuf_puts(why, "blocked: ");
    if (!r->sorter) {
        sbuf_puts(why, "every role below it is blocked");
    } else if (r->nable == 0) {
        sbuf_puts(why, "no framework of it can take more (");
        frameworks_why(a, r->path, why);
        sbuf_puts(why, ")");
    } else {
        sbuf_puts(why, "it holds ");
        saturated_held(a, r->path, why);
        sbuf_puts(why, ", of which no agent has anything allocatable left");
    }
}

int hdrf_allocator_explain_blocked(const hdrf_allocator *a,
                                   void (*visit)(void *arg, const char *role, const char *why),
                                   void *arg)
{
    if (a->options.role_order != HDRF_ORDER_HDRF)
        return HDRF_OK;
    const char **paths = NULL;
    size_t n = 0, cap = 0, cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(&a->roles, &cursor, &key, &value)) {
        const role *r = value;
        if (!hdrf_sorter_hdrf_blocked(a->role_sorter, r->path))
            continue;
        if (array_reserve(&paths, &cap, n + 1, sizeof *paths) != HDRF_OK) {
            free(paths);
            return HDRF_ENOMEM;
        }
        paths[n++] = r->path;
    }
    array_sort_strings(paths, n);
    int rc = HDRF_OK;
    for (size_t i = 0; i < n && rc == HDRF_OK; i++) {
        sbuf why = {0};
        blocked_why(a, roles_find(a, paths[i]), &why);
        if (why.failed)
            rc = HDRF_ENOMEM;
        else
            visit(arg, paths[i], why.data);
        sbuf_discard(&why);
    }
    free(paths);
    return rc;
}
