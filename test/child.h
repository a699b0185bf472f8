/* child.h: the scheduler program run by a suite as a child process.
 *
 * Shared by the suites that start build/hdrf-scheduler (the daemon's and
 * the HTTP API's): stopping it as an operator would (SIGTERM, then SIGKILL
 * after a bound) with its exit status, and its log printed when a test
 * failed. */
#ifndef HDRF_TEST_CHILD_H
#define HDRF_TEST_CHILD_H

#include <sys/types.h>

/* SIGTERM, then waits up to `wait_ms` (then SIGKILL). The exit status, or
 * -1 if it had to be killed or did not exit normally; *pid becomes 0. A
 * pid <= 0 is no child: 0. */
int child_stop(pid_t *pid, int wait_ms);

/* Prints the log file to stderr under a "---- <path>" line, if it has text. */
void child_dump_log(const char *path);

/* The end of a test with a child: its log printed (child_dump_log()) if
 * the run has failures so far, then child_stop(). */
void child_finish(pid_t *pid, const char *log, int wait_ms);

/* Sleeps `ms` milliseconds. */
void child_sleep_ms(long ms);

#endif
