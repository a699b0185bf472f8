/* test_ranges.c: range lists, by hand and against a brute-force bitmap.
 *
 * The bitmap is the independent oracle: over a universe of 256 values, a
 * range list is a set of bits, union is OR, difference is AND NOT,
 * containment is "no bit of b outside a", the count is a popcount. Every
 * result must also be normalised (sorted, disjoint, non-adjacent). */
#include <string.h>

#include "allocator/rangelist.h"
#include "test/prng.h"
#include "test/test.h"

#define UNIVERSE 256

typedef struct bitmap {
    uint8_t bit[UNIVERSE];
} bitmap;

static bitmap to_bitmap(const rangelist *r)
{
    bitmap m;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; i < r->n; i++)
        for (uint64_t v = r->v[i].begin; v <= r->v[i].end; v++)
            m.bit[v] = 1;
    return m;
}

static int normalised(const rangelist *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->v[i].begin > r->v[i].end)
            return 0;
        if (i > 0 && r->v[i].begin <= r->v[i - 1].end + 1)
            return 0;
    }
    return 1;
}

static rangelist random_list(prng *p)
{
    rangelist r = RANGELIST_INIT;
    size_t k = prng_below(p, 6);
    for (size_t i = 0; i < k; i++) {
        uint64_t b = prng_below(p, UNIVERSE), len = prng_below(p, 40);
        uint64_t e = b + len < UNIVERSE ? b + len : UNIVERSE - 1;
        CU_ASSERT_EQUAL_FATAL(rangelist_append(&r, b, e), HDRF_OK);
    }
    rangelist_normalize(&r);
    return r;
}

static rangelist make(const uint64_t *pairs, size_t n)
{
    rangelist r = RANGELIST_INIT;
    for (size_t i = 0; i < n; i += 2)
        CU_ASSERT_EQUAL_FATAL(rangelist_append(&r, pairs[i], pairs[i + 1]), HDRF_OK);
    rangelist_normalize(&r);
    return r;
}

static void assert_ranges(const rangelist *r, const uint64_t *pairs, size_t n)
{
    CU_ASSERT_EQUAL_FATAL(r->n, n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        CU_ASSERT_EQUAL(r->v[i].begin, pairs[2 * i]);
        CU_ASSERT_EQUAL(r->v[i].end, pairs[2 * i + 1]);
    }
}

static void test_coalesce(void)
{
    /* Overlapping and adjacent ranges merge; disjoint ones stay apart. */
    rangelist r = make((uint64_t[]){10, 20, 1, 3, 4, 5, 15, 25, 30, 30}, 10);
    assert_ranges(&r, (uint64_t[]){1, 5, 10, 25, 30, 30}, 6);
    CU_ASSERT_EQUAL(rangelist_count(&r), 5 + 16 + 1);
    rangelist_free(&r);
}

static void test_subtract_splits(void)
{
    rangelist a = make((uint64_t[]){31000, 32000}, 2);
    rangelist b = make((uint64_t[]){31000, 31000, 31500, 31509, 32000, 32000}, 6);
    CU_ASSERT_EQUAL(rangelist_subtract(&a, &b), HDRF_OK);
    assert_ranges(&a, (uint64_t[]){31001, 31499, 31510, 31999}, 4);
    CU_ASSERT_EQUAL(rangelist_count(&a), 499 + 490);
    rangelist_free(&a);
    rangelist_free(&b);
}

static void test_extremes(void)
{
    /* The top of the 64-bit space must not overflow "end + 1". */
    rangelist a = make((uint64_t[]){UINT64_MAX - 5, UINT64_MAX, 0, 0}, 4);
    rangelist b = make((uint64_t[]){UINT64_MAX - 2, UINT64_MAX - 2}, 2);
    CU_ASSERT_EQUAL(rangelist_subtract(&a, &b), HDRF_OK);
    assert_ranges(
        &a, (uint64_t[]){0, 0, UINT64_MAX - 5, UINT64_MAX - 3, UINT64_MAX - 1, UINT64_MAX}, 6);
    CU_ASSERT_EQUAL(rangelist_add(&a, &b), HDRF_OK);
    assert_ranges(&a, (uint64_t[]){0, 0, UINT64_MAX - 5, UINT64_MAX}, 4);
    rangelist all = make((uint64_t[]){0, UINT64_MAX}, 2);
    CU_ASSERT_EQUAL(rangelist_count(&all), UINT64_MAX); /* saturates */
    CU_ASSERT_TRUE(rangelist_contains(&all, &a));
    CU_ASSERT_EQUAL(rangelist_add(&all, &a), HDRF_OK);
    assert_ranges(&all, (uint64_t[]){0, UINT64_MAX}, 2);
    rangelist_free(&a);
    rangelist_free(&b);
    rangelist_free(&all);
}

static void test_against_bitmap(void)
{
    prng p = {20261125};
    int failures = 0;
    for (int iter = 0; iter < 20000; iter++) {
        rangelist a = random_list(&p), b = random_list(&p), sum, diff;
        bitmap ma = to_bitmap(&a), mb = to_bitmap(&b);
        int contains = 1;
        uint64_t count = 0;
        for (int v = 0; v < UNIVERSE; v++) {
            contains &= !(mb.bit[v] && !ma.bit[v]);
            count += ma.bit[v];
        }
        failures += rangelist_copy(&sum, &a) != HDRF_OK || rangelist_add(&sum, &b) != HDRF_OK;
        failures +=
            rangelist_copy(&diff, &a) != HDRF_OK || rangelist_subtract(&diff, &b) != HDRF_OK;
        bitmap ms = to_bitmap(&sum), md = to_bitmap(&diff);
        for (int v = 0; v < UNIVERSE; v++) {
            failures += ms.bit[v] != (ma.bit[v] | mb.bit[v]);
            failures += md.bit[v] != (ma.bit[v] & !mb.bit[v]);
        }
        failures += !normalised(&sum) + !normalised(&diff);
        failures += rangelist_contains(&a, &b) != contains;
        failures += rangelist_count(&a) != count;
        failures += !rangelist_contains(&sum, &a) || !rangelist_contains(&sum, &b);
        failures += rangelist_equal(&a, &b) != (memcmp(&ma, &mb, sizeof ma) == 0);
        rangelist_free(&a);
        rangelist_free(&b);
        rangelist_free(&sum);
        rangelist_free(&diff);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

int suite_ranges(void)
{
    static const test_case cases[] = {
        {"coalesce", test_coalesce},
        {"subtract splits", test_subtract_splits},
        {"extremes of uint64", test_extremes},
        {"20,000 cases against a bitmap", test_against_bitmap},
        {NULL, NULL},
    };
    return test_add_suite("ranges", cases);
}
