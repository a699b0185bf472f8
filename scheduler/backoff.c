/* backoff.c: exponential backoff with seeded jitter (see backoff.h). */
#include "scheduler/backoff.h"

/* One splitmix64 step: tiny, fast, and good enough to spread reconnects. */
static uint64_t next_draw(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void backoff_init(backoff *b, const backoff_config *cfg)
{
    b->cfg = *cfg;
    if (b->cfg.initial_ms <= 0)
        b->cfg.initial_ms = 1000;
    if (b->cfg.max_ms < b->cfg.initial_ms)
        b->cfg.max_ms = b->cfg.initial_ms > 60000 ? b->cfg.initial_ms : 60000;
    if (!(b->cfg.factor >= 1.0))
        b->cfg.factor = 2.0;
    if (b->cfg.jitter_permille > 1000)
        b->cfg.jitter_permille = 1000;
    b->rng = b->cfg.seed;
    b->failures = 0;
    b->base = (double)b->cfg.initial_ms;
}

int64_t backoff_next(backoff *b)
{
    int64_t base = b->base >= (double)b->cfg.max_ms ? b->cfg.max_ms : (int64_t)b->base;
    int64_t span = base * (int64_t)b->cfg.jitter_permille / 1000;
    int64_t delay = base;
    if (span > 0)
        delay -= (int64_t)(next_draw(&b->rng) % (uint64_t)(span + 1));
    /* Stop growing at the cap: the double then never overflows. */
    if (b->base < (double)b->cfg.max_ms)
        b->base *= b->cfg.factor;
    b->failures++;
    return delay;
}

void backoff_reset(backoff *b)
{
    b->base = (double)b->cfg.initial_ms;
    b->failures = 0;
}
