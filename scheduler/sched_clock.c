/* sched_clock.c: the injected clock and the real one (see sched_clock.h). */
#include "scheduler/sched_clock.h"

#include <time.h>

int64_t sched_clock_monotonic(void *arg)
{
    struct timespec ts;
    (void)arg;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sched_clock_read(const sched_clock *clock)
{
    return clock->now ? clock->now(clock->arg) : sched_clock_monotonic(NULL);
}
