/* sched_clock.h: the time the scheduler's state machines run on.
 *
 * Deadlines (heartbeat timeouts, reconnect backoff) are read from a clock
 * the caller injects rather than from the system, so that tests move time
 * by hand and check a 75-second timeout in microseconds, and so that the
 * simulator can run the same code on simulated time. Milliseconds on a
 * clock that never goes back; its origin is irrelevant.
 */
#ifndef HDRF_SCHED_CLOCK_H
#define HDRF_SCHED_CLOCK_H

#include <stdint.h>

/* Returns the current time in milliseconds; `arg` is the clock's own. */
typedef int64_t (*sched_clock_fn)(void *arg);

typedef struct sched_clock {
    sched_clock_fn now;
    void *arg;
} sched_clock;

/* The system's monotonic clock (CLOCK_MONOTONIC); `arg` is unused. */
int64_t sched_clock_monotonic(void *arg);

/* Reads `clock`, or the monotonic clock when clock->now is NULL. */
int64_t sched_clock_read(const sched_clock *clock);

#endif
