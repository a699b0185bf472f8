/* alloc_helpers.c: see alloc_helpers.h. */
#include "test/alloc_helpers.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/test.h"

hdrf_resources *ah_res(const char *role, ...)
{
    hdrf_resources *sum = hdrf_resources_new();
    va_list ap;
    va_start(ap, role);
    for (const char *part = va_arg(ap, const char *); part; part = va_arg(ap, const char *)) {
        hdrf_resources *r = NULL;
        hdrf_error e;
        int rc = hdrf_resources_parse(part, NULL, &r, &e);
        CU_ASSERT_EQUAL(rc, HDRF_OK);
        if (rc != HDRF_OK) {
            fprintf(stderr, "ah_res: cannot parse %s: %s\n", part, e.text);
            continue;
        }
        CU_ASSERT_EQUAL(hdrf_resources_add(sum, r), HDRF_OK);
        hdrf_resources_free(r);
    }
    va_end(ap);
    if (role)
        CU_ASSERT_EQUAL(hdrf_resources_allocate(sum, role), HDRF_OK);
    return sum;
}

const char *ah_disk(char *buf, size_t len, double size, const char *role, const char *id,
                    const char *container_path, bool shared)
{
    char reservation[128] = "", disk[256] = "";
    if (role)
        snprintf(reservation, sizeof reservation,
                 ",\"reservations\":[{\"type\":\"STATIC\",\"role\":\"%s\"}]", role);
    if (id) {
        char volume[128] = "";
        if (container_path)
            snprintf(volume, sizeof volume,
                     ",\"volume\":{\"container_path\":\"%s\",\"mode\":\"RW\"}", container_path);
        snprintf(disk, sizeof disk, ",\"disk\":{\"persistence\":{\"id\":\"%s\"}%s}", id, volume);
    }
    snprintf(buf, len, "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":%g}%s%s%s}]",
             size, reservation, disk, shared ? ",\"shared\":{}" : "");
    return buf;
}

const char *ah_revocable(char *buf, size_t len, const char *name, double value)
{
    snprintf(buf, len,
             "[{\"name\":\"%s\",\"type\":\"SCALAR\",\"scalar\":{\"value\":%g},\"revocable\":{}}]",
             name, value);
    return buf;
}

const char *ah_reserved(char *buf, size_t len, const char *name, double value, const char *roles,
                        bool first_static)
{
    char stack[512] = "", copy[256];
    snprintf(copy, sizeof copy, "%s", roles);
    char *save = NULL;
    size_t k = 0, used = 0;
    for (char *r = strtok_r(copy, ",", &save); r && used < sizeof stack;
         r = strtok_r(NULL, ",", &save), k++) {
        if (k == 0 && first_static)
            used += (size_t)snprintf(stack + used, sizeof stack - used,
                                     "{\"type\":\"STATIC\",\"role\":\"%s\"}", r);
        else
            used += (size_t)snprintf(stack + used, sizeof stack - used,
                                     "%s{\"type\":\"DYNAMIC\",\"role\":\"%s\","
                                     "\"principal\":\"ops\"}",
                                     k ? "," : "", r);
    }
    snprintf(buf, len,
             "[{\"name\":\"%s\",\"type\":\"SCALAR\",\"scalar\":{\"value\":%g},"
             "\"reservations\":[%s]}]",
             name, value, stack);
    return buf;
}

void ah_expect(af *f, const char *framework, const char *role, const char *agent,
               const hdrf_resources *want)
{
    const af_offer *o = af_take(f);
    if (!o) {
        char *s = hdrf_resources_format(want);
        fprintf(stderr, "expected an offer to %s: %s@%s=%s, got none\n", framework, role, agent, s);
        free(s);
        return;
    }
    bool ok = strcmp(o->framework, framework) == 0 && o->n == 1 &&
              strcmp(o->items[0].role, role) == 0 && strcmp(o->items[0].agent, agent) == 0 &&
              hdrf_resources_equal(o->items[0].resources, want);
    CU_ASSERT_TRUE(ok);
    if (!ok) {
        char *s = hdrf_resources_format(want);
        fprintf(stderr, "expected %s: %s@%s=%s\n", framework, role, agent, s);
        free(s);
        af_print_offer(o);
    }
}

hdrf_resources *ah_update_allocation(af *f, const char *framework, const char *agent,
                                     const hdrf_resources *offered, const hdrf_operation *op)
{
    hdrf_conversion *c = NULL;
    size_t n = 0;
    hdrf_error e;
    int rc = hdrf_operation_conversions(op, &c, &n, &e);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK) {
        fprintf(stderr, "operation: %s\n", e.text);
        return NULL;
    }
    hdrf_resources *updated = hdrf_resources_copy(offered);
    for (size_t i = 0; i < n; i++) {
        /* the framework's view: the offered resources carry their role */
        const char *role = NULL;
        hdrf_resources_allocation_role(offered, &role);
        hdrf_resources_allocate((hdrf_resources *)c[i].consumed, role);
        hdrf_resources_allocate((hdrf_resources *)c[i].converted, role);
        CU_ASSERT_TRUE(hdrf_resources_contains(updated, c[i].consumed));
        hdrf_resources_subtract(updated, c[i].consumed);
        hdrf_resources_add(updated, c[i].converted);
    }
    rc = hdrf_allocator_update_allocation(f->a, framework, agent, offered, c, n);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "update_allocation: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_conversions_free(c, n);
    return updated;
}

const char *ah_agent(af *f, const hdrf_resources *total, unsigned capabilities, const char *region,
                     const hdrf_attribute *attributes, size_t nattributes)
{
    snprintf(f->name, sizeof f->name, "agent%d", ++f->agents);
    hdrf_agent_info info = {f->name, f->name, attributes, nattributes, region, NULL, capabilities};
    int rc = hdrf_allocator_add_agent(f->a, &info, total, NULL, NULL, 0);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "add_agent: %s\n", hdrf_allocator_errmsg(f->a));
    return f->name;
}

void ah_update_agent(af *f, const char *agent, const hdrf_resources *total,
                     const unsigned *capabilities, const hdrf_attribute *attributes,
                     size_t nattributes)
{
    hdrf_agent_info info = {agent,
                            agent,
                            attributes,
                            nattributes,
                            NULL,
                            NULL,
                            capabilities ? *capabilities : HDRF_AGENT_DEFAULT};
    int rc = hdrf_allocator_update_agent(f->a, &info, total, capabilities != NULL);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "update_agent: %s\n", hdrf_allocator_errmsg(f->a));
}

typedef struct reason_query {
    const char *role, *framework;
    int reason;
} reason_query;

static void find_reason(void *arg, const char *role, const char *framework, hdrf_reason reason)
{
    reason_query *q = arg;
    if (strcmp(role, q->role) == 0 && strcmp(framework, q->framework) == 0)
        q->reason = (int)reason;
}

int ah_reason(af *f, const char *role, const char *framework)
{
    reason_query q = {role, framework, -1};
    CU_ASSERT_EQUAL(hdrf_allocator_explain(f->a, find_reason, &q), HDRF_OK);
    return q.reason;
}

/* ---- comparing two allocators -------------------------------------------------------- */

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void add_line(lines *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = strdup(s);
}

static void on_metric(void *arg, const char *name, double value)
{
    char buf[600];
    snprintf(buf, sizeof buf, "metric %s = %.6f", name, value);
    add_line(arg, buf);
}

static void on_reason(void *arg, const char *role, const char *framework, hdrf_reason reason)
{
    char buf[600];
    snprintf(buf, sizeof buf, "explain %s %s: %s", role, framework, hdrf_reason_name(reason));
    add_line(arg, buf);
}

static int by_text(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Everything observable, one line each, in a fixed order. */
static void snapshot(af *f, lines *l)
{
    hdrf_allocator_metrics(f->a, on_metric, l);
    hdrf_allocator_explain(f->a, on_reason, l);
    size_t n = l->n;
    qsort(l->v, n, sizeof *l->v, by_text);
    char buf[4096];
    for (size_t i = f->head; i < f->noffers; i++) {
        const af_offer *o = &f->offers[i];
        for (size_t j = 0; j < o->n; j++) {
            char *s = hdrf_resources_format(o->items[j].resources);
            snprintf(buf, sizeof buf, "offer %s %s@%s=%s", o->framework, o->items[j].role,
                     o->items[j].agent, s);
            free(s);
            add_line(l, buf);
        }
    }
    f->head = f->noffers;
    for (size_t i = f->ihead; i < f->ninverse; i++)
        for (size_t j = 0; j < f->inverse[i].n; j++) {
            snprintf(buf, sizeof buf, "inverse %s %s", f->inverse[i].framework,
                     f->inverse[i].agents[j]);
            add_line(l, buf);
        }
    f->ihead = f->ninverse;
}

static void compare(af *x, af *y, const char *when)
{
    lines lx = {0}, ly = {0};
    snapshot(x, &lx);
    snapshot(y, &ly);
    bool same = lx.n == ly.n;
    for (size_t i = 0; same && i < lx.n; i++)
        same = strcmp(lx.v[i], ly.v[i]) == 0;
    CU_ASSERT_TRUE(same);
    if (!same) {
        fprintf(stderr, "state differs %s (refused call | without it):\n", when);
        for (size_t i = 0; i < lx.n || i < ly.n; i++)
            if (i >= lx.n || i >= ly.n || strcmp(lx.v[i], ly.v[i]) != 0)
                fprintf(stderr, "  %s | %s\n", i < lx.n ? lx.v[i] : "-", i < ly.n ? ly.v[i] : "-");
    }
    for (size_t i = 0; i < lx.n; i++)
        free(lx.v[i]);
    for (size_t i = 0; i < ly.n; i++)
        free(ly.v[i]);
    free(lx.v);
    free(ly.v);
}

void ah_expect_same(af *x, af *y)
{
    compare(x, y, "before any run");
    af_settle(x);
    af_settle(y);
    compare(x, y, "after the triggered run");
    af_batch(x);
    af_batch(y);
    compare(x, y, "after a batch run");
}

void ah_expect_error(af *f, int rc, int want, const char *what)
{
    CU_ASSERT_EQUAL(rc, want);
    const char *msg = hdrf_allocator_errmsg(f->a);
    bool named = msg && strstr(msg, what) != NULL;
    CU_ASSERT_TRUE(named);
    if (rc != want || !named)
        fprintf(stderr, "expected status %d naming '%s', got %d: %s\n", want, what, rc,
                msg ? msg : "(null)");
}
