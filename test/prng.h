/* prng.h: a seeded generator for property tests (splitmix64).
 *
 * Property tests must replay: every run with the same seed draws the same
 * cases, so a failure names a seed and an iteration that reproduce it. */
#ifndef HDRF_TEST_PRNG_H
#define HDRF_TEST_PRNG_H

#include <stdint.h>

typedef struct prng {
    uint64_t state;
} prng;

static inline uint64_t prng_next(prng *p)
{
    uint64_t z = (p->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0 (the modulo bias is irrelevant at test sizes). */
static inline uint64_t prng_below(prng *p, uint64_t n) { return prng_next(p) % n; }

#endif
