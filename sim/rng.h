/* rng.h: the simulator's seeded random numbers.
 *
 * Every random choice of a run (task durations, arrival gaps, the
 * generator's picks) comes from an rng seeded from the workload's seed and
 * the identity of what draws (a job's index), never from the clock: the
 * same seed gives the same run, byte for byte, and adding a job does not
 * change what the others draw. SplitMix64: small, fast, good enough for
 * simulation, and trivially seeded. */
#ifndef HDRF_SIM_RNG_H
#define HDRF_SIM_RNG_H

#include <stdint.h>

#include "sim/workload.h"

typedef struct rng {
    uint64_t state;
} rng;

/* A generator for stream `stream` of `seed`. */
rng rng_seeded(uint64_t seed, uint64_t stream);
uint64_t rng_next(rng *r);
/* Uniform in (0, 1): never 0, so logarithms and powers stay finite. */
double rng_unit(rng *r);
/* Uniform integer in [lo, hi]. */
long rng_range(rng *r, long lo, long hi);
/* An exponential gap of mean `mean`. */
hdrf_time rng_exponential(rng *r, hdrf_time mean);
/* A draw from a duration distribution; DIST_FOREVER gives -1. */
hdrf_time rng_duration(rng *r, const sim_dist *d);

#endif
