/* test_backoff.c: the reconnect backoff of the scheduler's HTTP client.
 *
 * Owns the proof that scheduler/backoff.c hands out the delays its header
 * promises. The expected delays are worked out here, not read from the
 * code: the doubling and capped sequences by hand, the jittered ones by
 * drawing from the test's own splitmix64 (test/prng.h, the generator the
 * header names) with the same seed. */
#include "test/test.h"

#include "scheduler/backoff.h"
#include "test/prng.h"

static void check_sequence(backoff *b, const int64_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = backoff_next(b);
        CU_ASSERT_EQUAL(got, want[i]);
    }
}

static void test_defaults_double_to_a_minute(void)
{
    backoff_config cfg = {0};
    backoff b;
    const int64_t want[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    backoff_init(&b, &cfg);
    check_sequence(&b, want, sizeof want / sizeof want[0]);
}

static void test_factor_and_cap(void)
{
    backoff_config cfg = {.initial_ms = 1000, .max_ms = 5000, .factor = 1.5};
    backoff b;
    /* 1000 * 1.5^n: 1000, 1500, 2250, 3375, 5062.5 -> capped. */
    const int64_t want[] = {1000, 1500, 2250, 3375, 5000, 5000};
    backoff_init(&b, &cfg);
    check_sequence(&b, want, sizeof want / sizeof want[0]);
}

static void test_reset_starts_over(void)
{
    backoff_config cfg = {.initial_ms = 250, .max_ms = 1000};
    backoff b;
    const int64_t first[] = {250, 500, 1000, 1000};
    backoff_init(&b, &cfg);
    check_sequence(&b, first, 4);
    backoff_reset(&b);
    check_sequence(&b, first, 4);
}

/* delay(n) = base(n) - r mod (base(n) * permille / 1000 + 1), r drawn in order. */
static void test_jitter_from_the_seed(void)
{
    backoff_config cfg = {.initial_ms = 1000, .max_ms = 8000, .jitter_permille = 250, .seed = 42};
    const int64_t bases[] = {1000, 2000, 4000, 8000, 8000, 1000, 2000};
    prng p = {42};
    backoff b;
    backoff_init(&b, &cfg);
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint64_t span = (uint64_t)(bases[i] * 250 / 1000);
        int64_t want = bases[i] - (int64_t)(prng_next(&p) % (span + 1));
        if (i == 5)
            backoff_reset(&b); /* the generator goes on past a reset */
        CU_ASSERT_EQUAL(backoff_next(&b), want);
        CU_ASSERT_TRUE(want <= bases[i] && want >= bases[i] - (int64_t)span);
    }
}

static void test_jitter_bounds_and_spread(void)
{
    backoff_config cfg = {.initial_ms = 1000, .max_ms = 60000, .jitter_permille = 500};
    int64_t first_of[64];
    size_t distinct = 0;
    for (uint64_t seed = 0; seed < 64; seed++) {
        backoff a, b;
        cfg.seed = seed;
        backoff_init(&a, &cfg);
        backoff_init(&b, &cfg);
        for (int64_t base = 1000, n = 0; n<10; n++, base = base * 2> 60000 ? 60000 : base * 2) {
            int64_t d = backoff_next(&a);
            CU_ASSERT_TRUE(d >= base / 2 && d <= base);
            CU_ASSERT_EQUAL(backoff_next(&b), d); /* the same seed, the same delays */
            if (n == 0)
                first_of[seed] = d;
        }
    }
    /* Different seeds spread the first reconnect of many schedulers. */
    for (size_t i = 0; i < 64; i++) {
        size_t j = 0;
        while (j < i && first_of[j] != first_of[i])
            j++;
        distinct += j == i;
    }
    CU_ASSERT_TRUE(distinct > 50);
}

int suite_backoff(void)
{
    static const test_case cases[] = {
        {"defaults double to a minute", test_defaults_double_to_a_minute},
        {"factor and cap", test_factor_and_cap},
        {"reset starts over", test_reset_starts_over},
        {"jitter drawn from the seed", test_jitter_from_the_seed},
        {"jitter bounds and spread", test_jitter_bounds_and_spread},
        {NULL, NULL},
    };
    return test_add_suite("backoff", cases);
}
