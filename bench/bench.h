/* bench.h: what every hdrf benchmark shares: a monotonic clock, memory
 * figures (peak and current resident set, heap in use) and a parser that
 * exits on error. Benchmarks live at the edge, so they may read the clock;
 * the core never does. */
#ifndef HDRF_BENCH_H
#define HDRF_BENCH_H

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "hdrf/resources.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses a resource text or exits: benchmarks have no error path. */
static inline hdrf_resources *bench_parse(const char *text)
{
    hdrf_resources *rs = NULL;
    hdrf_error err;
    if (hdrf_resources_parse(text, NULL, &rs, &err) != HDRF_OK) {
        fprintf(stderr, "bench: cannot parse '%s': %s\n", text, err.text);
        exit(1);
    }
    return rs;
}

/* Peak resident set size of this process, in MiB. */
static inline double bench_peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Bytes currently allocated with malloc (glibc's accounting): unlike the
 * resident set it does not count memory freed earlier and kept for reuse. */
static inline double bench_heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Current resident set size, in MiB (from /proc/self/statm; 0 if unknown). */
static inline double bench_rss_mib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

#endif
