/* bench.h: what every hdrf benchmark shares: the clocks (the process's CPU
 * time, in which figures are given, and the wall clock beside it), medians,
 * memory figures (peak and current resident set, heap in use) and a parser
 * that exits on error. Benchmarks live at the edge, so they may read the
 * clock; the core never does. */
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

/* The process's CPU time, not the wall clock: the machines these figures
 * come from are shared, and a moment spent descheduled would be charged to
 * the code measured. Neighbours still compete for caches and memory, so runs
 * vary: compare medians of several. */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A stopwatch on both clocks: started by bench_start(), read (in seconds
 * since the start) by bench_elapsed(). */
typedef struct bench_watch {
    double cpu;
    double wall;
} bench_watch;

static inline bench_watch bench_start(void)
{
    bench_watch w = {bench_cpu_now(), bench_now()};
    return w;
}

static inline bench_watch bench_elapsed(bench_watch start)
{
    bench_watch w = {bench_cpu_now() - start.cpu, bench_now() - start.wall};
    return w;
}

/* "12.345 ms (wall 13.0 ms)" into buf; returns buf, for printf. */
static inline const char *bench_format(bench_watch w, char *buf, size_t size)
{
    snprintf(buf, size, "%.3f ms (wall %.1f ms)", w.cpu * 1e3, w.wall * 1e3);
    return buf;
}

static inline int bench_compare_doubles(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The median of v[0..n) (n > 0); sorts v in place. */
static inline double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, bench_compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
