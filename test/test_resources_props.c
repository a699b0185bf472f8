/* test_resources_props.c: algebraic laws of resources over random cases.
 *
 * Random collections are written as text and parsed, so the generator knows
 * independently how much of each scalar it wrote. Two collections drawn
 * from disjoint halves of the port and set universes (a from the left, b
 * from the right) satisfy the laws Mesos's arithmetic promises:
 *   (a + b) - b == a, contains(a + b, a), a + b == b + a, a - a == {},
 *   quantities(a + b) == quantities(a) + quantities(b),
 *   parse(format(a)) == a and parse(format_json(a)) == a.
 * Seeds are fixed, so any failure replays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "test/prng.h"
#include "test/test.h"

#define ITERATIONS 3000

static const char *const names[] = {"cpus", "mem", "disk", "gpus"};
static const char *const roles[] = {NULL, "eng", "eng/batch", "ads"};

typedef struct generated {
    char text[2048];
    int64_t scalar[4]; /* milli written per name, all roles together */
} generated;

static void append(generated *g, const char *fmt, const char *a, const char *b)
{
    size_t len = strlen(g->text);
    snprintf(g->text + len, sizeof g->text - len, fmt, a, b);
}

/* side 0 draws ports from [0,500) and set items x0..x9; side 1 from
 * [500,1000) and y0..y9. */
static void generate(prng *p, int side, generated *g)
{
    memset(g, 0, sizeof *g);
    size_t items = 1 + prng_below(p, 6);
    for (size_t i = 0; i < items; i++) {
        const char *role = roles[prng_below(p, 4)];
        char head[64], value[128];
        snprintf(head, sizeof head, "%s%s%s", "", role ? "(" : "", role ? role : "");
        if (role)
            strcat(head, ")");
        switch (prng_below(p, 3)) {
        case 0: {
            size_t n = prng_below(p, 4);
            int64_t milli = (int64_t)prng_below(p, 100000);
            g->scalar[n] += milli;
            snprintf(value, sizeof value, "%lld.%03lld", (long long)(milli / 1000),
                     (long long)(milli % 1000));
            append(g, "%s", names[n], "");
            break;
        }
        case 1: {
            uint64_t b = 500 * (uint64_t)side + prng_below(p, 480);
            snprintf(value, sizeof value, "[%llu-%llu]", (unsigned long long)b,
                     (unsigned long long)(b + prng_below(p, 20)));
            append(g, "%s", "ports", "");
            break;
        }
        default:
            snprintf(value, sizeof value, "{%c%u,%c%u}", side ? 'y' : 'x',
                     (unsigned)prng_below(p, 5), side ? 'y' : 'x', 5 + (unsigned)prng_below(p, 5));
            append(g, "%s", "zones", "");
            break;
        }
        append(g, "%s:%s;", head, value);
    }
}

static hdrf_resources *parse_or_null(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    if (hdrf_resources_parse(text, NULL, &rs, &err) != HDRF_OK)
        fprintf(stderr, "\nunparsable '%s': %s at %d\n", text, err.text, err.position);
    return rs;
}

static void test_laws(void)
{
    prng p = {42};
    int failures = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        generated ga, gb;
        generate(&p, 0, &ga);
        generate(&p, 1, &gb);
        hdrf_resources *a = parse_or_null(ga.text), *b = parse_or_null(gb.text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        hdrf_resources *ab = hdrf_resources_copy(a), *ba = hdrf_resources_copy(b);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ab);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ba);
        failures += hdrf_resources_add(ab, b) != HDRF_OK;
        failures += hdrf_resources_add(ba, a) != HDRF_OK;
        failures += !hdrf_resources_equal(ab, ba);
        failures += !hdrf_resources_contains(ab, a) || !hdrf_resources_contains(ab, b);
        for (int n = 0; n < 4; n++)
            failures += hdrf_resources_scalar(ab, names[n]) != ga.scalar[n] + gb.scalar[n];

        hdrf_quantities *qa = hdrf_quantities_of(a), *qb = hdrf_quantities_of(b),
                        *qab = hdrf_quantities_of(ab);
        failures += hdrf_quantities_add(qa, qb) != HDRF_OK;
        failures += !hdrf_quantities_equal(qa, qab);

        failures += hdrf_resources_subtract(ab, b) != HDRF_OK;
        failures += !hdrf_resources_equal(ab, a);
        failures += hdrf_resources_subtract(ab, a) != HDRF_OK;
        failures += !hdrf_resources_empty(ab);

        /* a - b never grows: a contains it. */
        hdrf_resources *diff = hdrf_resources_copy(a);
        failures += hdrf_resources_subtract(diff, b) != HDRF_OK;
        failures += !hdrf_resources_contains(a, diff);

        char *text = hdrf_resources_format(a), *json = hdrf_resources_format_json(a);
        hdrf_resources *from_text = parse_or_null(text), *from_json = parse_or_null(json);
        failures += !from_text || !hdrf_resources_equal(from_text, a);
        failures += !from_json || !hdrf_resources_equal(from_json, a);
        if (failures) {
            fprintf(stderr, "\niteration %d: a='%s' b='%s'\n", iter, ga.text, gb.text);
            iter = ITERATIONS;
        }
        free(text);
        free(json);
        hdrf_resources_free(from_text);
        hdrf_resources_free(from_json);
        hdrf_resources_free(diff);
        hdrf_quantities_free(qa);
        hdrf_quantities_free(qb);
        hdrf_quantities_free(qab);
        hdrf_resources_free(a);
        hdrf_resources_free(b);
        hdrf_resources_free(ab);
        hdrf_resources_free(ba);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

/* Reservation round trips: push then pop gives back the original, whatever
 * the collection; flattening to a role keeps every scalar quantity (ranges
 * and sets of different roles may overlap, and their union counts once). */
static void test_reservation_laws(void)
{
    prng p = {7};
    int failures = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        generated g;
        generate(&p, (int)prng_below(&p, 2), &g);
        hdrf_resources *a = parse_or_null(g.text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        hdrf_resources *unreserved = hdrf_resources_unreserved(a);
        hdrf_resources *r = hdrf_resources_copy(unreserved);
        failures += hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, "eng", "p", NULL,
                                                    0) != HDRF_OK;
        failures += hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, "eng/batch", NULL,
                                                    NULL, 0) != HDRF_OK;
        hdrf_resources *offered = hdrf_resources_allocatable_to(r, "eng/batch/x");
        failures += !hdrf_resources_equal(offered, r);
        failures += hdrf_resources_pop_reservation(r) != HDRF_OK;
        failures += hdrf_resources_pop_reservation(r) != HDRF_OK;
        failures += !hdrf_resources_equal(r, unreserved);

        hdrf_resources *scalars = hdrf_resources_scalars(a);
        hdrf_quantities *before = hdrf_quantities_of(scalars);
        hdrf_resources *flat = hdrf_resources_copy(scalars);
        failures += hdrf_resources_flatten(flat, "ops") != HDRF_OK;
        hdrf_quantities *after = hdrf_quantities_of(flat);
        failures += !hdrf_quantities_equal(before, after);
        hdrf_resources *ops = hdrf_resources_reserved(flat, "ops");
        failures += !hdrf_resources_equal(ops, flat);
        if (failures) {
            fprintf(stderr, "\niteration %d: '%s'\n", iter, g.text);
            iter = ITERATIONS;
        }
        hdrf_resources_free(ops);
        hdrf_resources_free(scalars);
        hdrf_quantities_free(before);
        hdrf_quantities_free(after);
        hdrf_resources_free(flat);
        hdrf_resources_free(offered);
        hdrf_resources_free(r);
        hdrf_resources_free(unreserved);
        hdrf_resources_free(a);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

int suite_resources_props(void)
{
    static const test_case cases[] = {
        {"arithmetic laws (3,000 random pairs)", test_laws},
        {"reservation laws (3,000 random sets)", test_reservation_laws},
        {NULL, NULL},
    };
    return test_add_suite("resources_props", cases);
}
