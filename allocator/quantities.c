/* quantities.c: amounts of resources by name (Mesos's ResourceQuantities).
 *
 * What the sorter and quota need: "how much cpus" regardless of role,
 * reservation or disk. A short array sorted by name: clusters have a handful
 * of resource names, so a linear merge beats any hash. Entries are always
 * positive; subtraction floors at zero, as Mesos does. Names are rstr
 * (lib/rstr.h), so the well-known ones are their static strings and a
 * lookup of one (what resources carry) is a pointer comparison. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/error.h"
#include "lib/rstr.h"
#include "allocator/resources_internal.h"
#include "allocator/resources_text.h"

typedef struct quantity {
    char *name;
    int64_t milli;
} quantity;

struct hdrf_quantities {
    quantity *v;
    size_t n;
    size_t cap;
};

hdrf_quantities *hdrf_quantities_new(void) { return calloc(1, sizeof(hdrf_quantities)); }

void hdrf_quantities_free(hdrf_quantities *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        rstr_release(q->v[i].name);
    free(q->v);
    free(q);
}

hdrf_quantities *hdrf_quantities_copy(const hdrf_quantities *src)
{
    hdrf_quantities *q = hdrf_quantities_new();
    if (!q || hdrf_quantities_add(q, src) != HDRF_OK) {
        hdrf_quantities_free(q);
        return NULL;
    }
    return q;
}

size_t hdrf_quantities_size(const hdrf_quantities *q) { return q->n; }
const char *hdrf_quantities_name(const hdrf_quantities *q, size_t i) { return q->v[i].name; }
int64_t hdrf_quantities_value(const hdrf_quantities *q, size_t i) { return q->v[i].milli; }

static size_t lower_bound(const hdrf_quantities *q, const char *name)
{
    if (rstr_known(name) >= 0)
        for (size_t i = 0; i < q->n; i++)
            if (q->v[i].name == name)
                return i;
    size_t lo = 0, hi = q->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(q->v[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool found_at(const hdrf_quantities *q, size_t i, const char *name)
{
    return i < q->n && (q->v[i].name == name || strcmp(q->v[i].name, name) == 0);
}

int64_t hdrf_quantities_get(const hdrf_quantities *q, const char *name)
{
    size_t i = lower_bound(q, name);
    return found_at(q, i, name) ? q->v[i].milli : 0;
}

/* Inserts an entry at i, the lower bound of its name, in room reserved. */
static void insert_at(hdrf_quantities *q, size_t i, char *name, int64_t milli)
{
    memmove(q->v + i + 1, q->v + i, (q->n - i) * sizeof *q->v);
    q->v[i] = (quantity){name, milli};
    q->n++;
}

/* set() at i, the lower bound of name. */
static int set_at(hdrf_quantities *q, size_t i, const char *name, int64_t milli)
{
    bool present = found_at(q, i, name);
    if (present && milli > 0) {
        q->v[i].milli = milli;
    } else if (present) {
        rstr_release(q->v[i].name);
        memmove(q->v + i, q->v + i + 1, (q->n - i - 1) * sizeof *q->v);
        q->n--;
    } else if (milli > 0) {
        char *copy = rstr_ndup(name, strlen(name));
        if (!copy)
            return HDRF_ENOMEM;
        if (array_reserve(&q->v, &q->cap, q->n + 1, sizeof *q->v) != HDRF_OK) {
            rstr_release(copy);
            return HDRF_ENOMEM;
        }
        insert_at(q, i, copy, milli);
    }
    return HDRF_OK;
}

int hdrf_quantities_set(hdrf_quantities *q, const char *name, int64_t milli)
{
    return set_at(q, lower_bound(q, name), name, milli);
}

/* Adds `milli` to name's amount, saturating instead of overflowing (one
 * lookup: the role tree's sums take one of these per resource and role). */
static int add_one(hdrf_quantities *q, const char *name, int64_t milli)
{
    size_t i = lower_bound(q, name);
    int64_t now = found_at(q, i, name) ? q->v[i].milli : 0;
    int64_t sum = milli > 0 && now > INT64_MAX - milli ? INT64_MAX : now + milli;
    return set_at(q, i, name, sum);
}

int quantities_change(hdrf_quantities *q, const char *name, int64_t milli)
{
    return add_one(q, name, milli);
}

int hdrf_quantities_add(hdrf_quantities *dst, const hdrf_quantities *src)
{
    if (dst == src) {
        for (size_t i = 0; i < dst->n; i++)
            dst->v[i].milli = dst->v[i].milli > INT64_MAX / 2 ? INT64_MAX : dst->v[i].milli * 2;
        return HDRF_OK;
    }
    /* Names new to dst need room: reserve it all first, so that a failure
     * leaves dst as it was. The names are src's own, shared (rstr), so
     * nothing else can fail. */
    size_t fresh = 0;
    for (size_t i = 0; i < src->n; i++)
        fresh += !found_at(dst, lower_bound(dst, src->v[i].name), src->v[i].name);
    if (fresh && array_reserve(&dst->v, &dst->cap, dst->n + fresh, sizeof *dst->v) != HDRF_OK)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < src->n; i++) {
        size_t at = lower_bound(dst, src->v[i].name);
        if (found_at(dst, at, src->v[i].name))
            add_one(dst, src->v[i].name, src->v[i].milli); /* present: cannot fail */
        else
            insert_at(dst, at, rstr_retain(src->v[i].name), src->v[i].milli);
    }
    return HDRF_OK;
}

int hdrf_quantities_subtract(hdrf_quantities *dst, const hdrf_quantities *src)
{
    if (dst == src) {
        for (size_t i = 0; i < dst->n; i++)
            rstr_release(dst->v[i].name);
        dst->n = 0;
        return HDRF_OK;
    }
    for (size_t i = 0; i < src->n; i++) /* removal never allocates */
        hdrf_quantities_set(dst, src->v[i].name,
                            hdrf_quantities_get(dst, src->v[i].name) - src->v[i].milli);
    return HDRF_OK;
}

bool hdrf_quantities_contains(const hdrf_quantities *q, const hdrf_quantities *that)
{
    for (size_t i = 0; i < that->n; i++)
        if (hdrf_quantities_get(q, that->v[i].name) < that->v[i].milli)
            return false;
    return true;
}

bool hdrf_quantities_equal(const hdrf_quantities *a, const hdrf_quantities *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].name, b->v[i].name) != 0 || a->v[i].milli != b->v[i].milli)
            return false;
    return true;
}

static int64_t amount(const hdrf_resource *r)
{
    uint64_t count;
    switch (r->type) {
    case HDRF_SCALAR:
        return r->scalar;
    case HDRF_RANGES:
        count = rangelist_count(&r->ranges);
        return count > (uint64_t)(INT64_MAX / HDRF_MILLI) ? INT64_MAX : (int64_t)count * HDRF_MILLI;
    case HDRF_SET:
        return (int64_t)r->set.n * HDRF_MILLI;
    }
    return 0;
}

static hdrf_quantities *quantities_of(const hdrf_resources *rs, bool scalars_only)
{
    hdrf_quantities *q = hdrf_quantities_new();
    for (size_t i = 0; q && i < rs->n; i++) {
        if (scalars_only && rs->v[i].type != HDRF_SCALAR)
            continue;
        if (add_one(q, rs->v[i].name, amount(&rs->v[i])) != HDRF_OK) {
            hdrf_quantities_free(q);
            q = NULL;
        }
    }
    return q;
}

hdrf_quantities *hdrf_quantities_of(const hdrf_resources *rs) { return quantities_of(rs, false); }

hdrf_quantities *hdrf_quantities_of_scalars(const hdrf_resources *rs)
{
    return quantities_of(rs, true);
}

/* `cpus:4;mem:1024`: the text form restricted to unreserved scalars. */
int hdrf_quantities_parse(const char *text, hdrf_quantities **out, hdrf_error *error)
{
    hdrf_resources *rs = NULL;
    int status;
    *out = NULL;
    if (!text)
        return error_named(error, "quantities", "", "no quantities text given");
    if (text[strspn(text, " \t\r\n")] == '[')
        return error_at(error, "quantities", text, strspn(text, " \t\r\n"), 1,
                        "quantities take the text form 'name:amount;...', not JSON");
    if ((status = hdrf_resources_parse(text, NULL, &rs, error)) != HDRF_OK)
        return status;
    for (size_t i = 0; i < rs->n; i++) {
        const hdrf_resource *r = &rs->v[i];
        const char *at = strstr(text, r->name);
        size_t pos = at ? (size_t)(at - text) : 0;
        if (r->type != HDRF_SCALAR || r->nreservations) {
            status = error_at(error, "quantities", text, pos, strlen(r->name),
                              "quantities are unreserved scalars: 'name:amount'");
            hdrf_resources_free(rs);
            return status;
        }
    }
    *out = hdrf_quantities_of(rs);
    hdrf_resources_free(rs);
    return *out ? HDRF_OK : HDRF_ENOMEM;
}
