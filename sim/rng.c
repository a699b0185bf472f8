/* rng.c: seeded draws for the simulator (see rng.h). */
#include "sim/rng.h"

#include <math.h>

rng rng_seeded(uint64_t seed, uint64_t stream)
{
    /* Mix the stream in so that neighbouring streams start far apart. */
    rng r = {seed ^ (stream * UINT64_C(0xd1b54a32d192ed03))};
    rng_next(&r);
    return r;
}

uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

double rng_unit(rng *r) { return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0; }

long rng_range(rng *r, long lo, long hi)
{
    if (hi <= lo)
        return lo;
    return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

hdrf_time rng_exponential(rng *r, hdrf_time mean)
{
    return (hdrf_time)llround(-log(rng_unit(r)) * (double)mean);
}

hdrf_time rng_duration(rng *r, const sim_dist *d)
{
    double v = 0;
    switch (d->kind) {
    case DIST_FOREVER:
        return -1;
    case DIST_FIXED:
        return d->mean;
    case DIST_EXPONENTIAL:
        v = -log(rng_unit(r)) * (double)d->mean;
        break;
    case DIST_UNIFORM:
        v = (double)d->min + rng_unit(r) * (double)(d->max - d->min);
        break;
    case DIST_PARETO:
        /* Scale x_m = mean (shape - 1) / shape gives the requested mean. */
        v = (double)d->mean * (d->shape - 1) / d->shape / pow(rng_unit(r), 1.0 / d->shape);
        break;
    }
    if (d->kind != DIST_UNIFORM && d->max > 0 && v > (double)d->max)
        v = (double)d->max;
    if (v > 9e18)
        v = 9e18;
    return (hdrf_time)llround(v);
}
