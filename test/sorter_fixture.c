/* sorter_fixture.c: see sorter_fixture.h. */
#include "test/sorter_fixture.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

hdrf_sorter *fx_sorter(hdrf_order order)
{
    hdrf_sorter_options o = {order, 42, NULL, 0};
    hdrf_sorter *s = NULL;
    CU_ASSERT_EQUAL_FATAL(hdrf_sorter_new(&o, &s), HDRF_OK);
    return s;
}

hdrf_resources *fx_res(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    int status = hdrf_resources_parse(text, NULL, &rs, &err);
    if (status != HDRF_OK)
        fprintf(stderr, "\n%s: %s\n", text, err.text);
    CU_ASSERT_EQUAL_FATAL(status, HDRF_OK);
    return rs;
}

void fx_agent(hdrf_sorter *s, const char *agent, const char *total)
{
    hdrf_resources *rs = fx_res(total);
    CU_ASSERT_EQUAL(hdrf_sorter_add_agent(s, agent, rs), HDRF_OK);
    hdrf_resources_free(rs);
}

void fx_remove_agent(hdrf_sorter *s, const char *agent)
{
    CU_ASSERT_EQUAL(hdrf_sorter_remove_agent(s, agent), HDRF_OK);
}

void fx_add_active(hdrf_sorter *s, const char *client)
{
    CU_ASSERT_EQUAL(hdrf_sorter_add(s, client), HDRF_OK);
    CU_ASSERT_EQUAL(hdrf_sorter_activate(s, client), HDRF_OK);
}

void fx_alloc(hdrf_sorter *s, const char *client, const char *agent, const char *text)
{
    hdrf_resources *rs = fx_res(text);
    CU_ASSERT_EQUAL(hdrf_sorter_allocated(s, client, agent, rs), HDRF_OK);
    hdrf_resources_free(rs);
}

void fx_unalloc(hdrf_sorter *s, const char *client, const char *agent, const char *text)
{
    hdrf_resources *rs = fx_res(text);
    CU_ASSERT_EQUAL(hdrf_sorter_unallocated(s, client, agent, rs), HDRF_OK);
    hdrf_resources_free(rs);
}

void fx_update(hdrf_sorter *s, const char *client, const char *agent, const char *before,
               const char *after)
{
    hdrf_resources *b = fx_res(before), *a = fx_res(after);
    CU_ASSERT_EQUAL(hdrf_sorter_update(s, client, agent, b, a), HDRF_OK);
    hdrf_resources_free(b);
    hdrf_resources_free(a);
}

/* Joins n names with commas into buf. */
static const char *join(char *buf, size_t size, const char *const *names, long n)
{
    buf[0] = '\0';
    for (long i = 0; i < n; i++) {
        if (i)
            strncat(buf, ",", size - strlen(buf) - 1);
        strncat(buf, names[i], size - strlen(buf) - 1);
    }
    return buf;
}

const char *fx_order(hdrf_sorter *s)
{
    static char buf[8192];
    const char *const *order;
    long n = hdrf_sorter_sort(s, &order);
    CU_ASSERT_FATAL(n >= 0);
    return join(buf, sizeof buf, order, n);
}

const char *fx_client_set(hdrf_sorter *s)
{
    static char buf[8192];
    const char *const *order;
    long n = hdrf_sorter_sort(s, &order);
    CU_ASSERT_FATAL(n >= 0);
    const char **sorted = malloc((size_t)n * sizeof *sorted + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sorted);
    memcpy(sorted, order, (size_t)n * sizeof *sorted);
    array_sort_strings(sorted, (size_t)n);
    join(buf, sizeof buf, sorted, n);
    free(sorted);
    return buf;
}

long long fx_allocated(const hdrf_sorter *s, const char *path, const char *name)
{
    hdrf_quantities *q = hdrf_sorter_allocated_quantities(s, path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    long long v = hdrf_quantities_get(q, name);
    hdrf_quantities_free(q);
    return v;
}

bool fx_holds(const hdrf_sorter *s, const char *client, const char *agent,
              const hdrf_resources *want)
{
    const hdrf_resources *got = hdrf_sorter_allocation(s, client, agent);
    return got && hdrf_resources_equal(got, want);
}

bool fx_holds_text(const hdrf_sorter *s, const char *client, const char *agent, const char *want)
{
    hdrf_resources *w = fx_res(want);
    bool ok = fx_holds(s, client, agent, w);
    hdrf_resources_free(w);
    return ok;
}

size_t fx_agents_held(const hdrf_sorter *s, const char *client)
{
    size_t cursor = 0, n = 0;
    const char *agent;
    const hdrf_resources *rs;
    while (hdrf_sorter_allocation_next(s, client, &cursor, &agent, &rs))
        n++;
    return n;
}

bool fx_quantities_are(const hdrf_sorter *s, const char *path, const char *want)
{
    hdrf_quantities *got = hdrf_sorter_allocated_quantities(s, path), *w = NULL;
    hdrf_error e;
    CU_ASSERT_EQUAL_FATAL(hdrf_quantities_parse(want, &w, &e), HDRF_OK);
    bool ok = got && hdrf_quantities_equal(got, w);
    if (!ok)
        fprintf(stderr, "\nallocated to %s: not %s\n", path ? path : "(all)", want);
    hdrf_quantities_free(got);
    hdrf_quantities_free(w);
    return ok;
}
