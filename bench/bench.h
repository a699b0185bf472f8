/* bench.h: what every hdrf benchmark shares: a monotonic clock and the peak
 * resident set size. Benchmarks live at the edge, so they may read the clock;
 * the core never does. */
#ifndef HDRF_BENCH_H
#define HDRF_BENCH_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set size of this process, in MiB. */
static inline double bench_peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

#endif
