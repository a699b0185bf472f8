/* backoff.h: exponential backoff with seeded jitter, for reconnecting.
 *
 * The n-th consecutive failure waits
 *     base(n) = min(max_ms, initial_ms * factor^n)       (n = 0, 1, ...)
 * shortened by a random part of at most `jitter_permille` thousandths of it:
 *     delay(n) = base(n) - r mod (floor(base(n) * jitter_permille / 1000) + 1)
 * where r is the next draw of a splitmix64 generator seeded by `seed`.
 * The jitter spreads the reconnects of many schedulers that lost the same
 * master, so that they do not all hit its successor in the same second;
 * taking it off the base (never adding) keeps max_ms a true bound. The seed
 * is injected so that a test knows every delay in advance and a run can
 * be replayed. The caller resets the sequence once a connection has proved
 * stable, so that a failure after hours of service is retried at once
 * rather than after the cap.
 *
 * Ownership: caller-allocated, no heap.
 */
#ifndef HDRF_SCHED_BACKOFF_H
#define HDRF_SCHED_BACKOFF_H

#include <stdint.h>

typedef struct backoff_config {
    int64_t initial_ms;       /* the first delay; <= 0 means 1000 */
    int64_t max_ms;           /* the cap; < initial_ms means 60000 (or initial_ms if larger) */
    double factor;            /* growth per failure; < 1 means 2 */
    unsigned jitter_permille; /* 0..1000; more is taken as 1000 */
    uint64_t seed;            /* the jitter's generator seed */
} backoff_config;

typedef struct backoff {
    backoff_config cfg; /* with the defaults applied */
    double base;        /* base(n) of the next delay, before the cap */
    uint64_t rng;       /* splitmix64 state */
    unsigned failures;  /* delays handed out since the last reset */
} backoff;

/* Starts at base(0) with the generator at `seed`. `cfg` is copied. */
void backoff_init(backoff *b, const backoff_config *cfg);

/* The delay before the next attempt, in ms (>= 0), and advances n. */
int64_t backoff_next(backoff *b);

/* Back to base(0); the generator goes on (a reset is no reason to repeat
 * the same jitter). */
void backoff_reset(backoff *b);

#endif
