/* sched_log.h: the scheduler's log lines, with levels, through a callback.
 *
 * Library code never writes to stderr or to a file itself: the program
 * decides where lines go (stderr, syslog, a test's buffer), so that tests
 * can read what a component said and two components can log differently.
 * A line is one formatted sentence without a trailing newline; the sink
 * gets it borrowed, valid only during the call.
 */
#ifndef HDRF_SCHED_LOG_H
#define HDRF_SCHED_LOG_H

typedef enum sched_log_level {
    SCHED_LOG_DEBUG,
    SCHED_LOG_INFO,
    SCHED_LOG_WARN,
    SCHED_LOG_ERROR
} sched_log_level;

typedef void (*sched_log_fn)(void *arg, sched_log_level level, const char *line);

/* Where a component's lines go. A NULL `fn` drops every line; lines below
 * `min_level` are dropped before they are formatted. Caller-owned, copied
 * by whoever keeps it. */
typedef struct sched_logger {
    sched_log_fn fn;
    void *arg;
    sched_log_level min_level;
} sched_logger;

/* "debug", "info", "warn" or "error". Static. */
const char *sched_log_level_name(sched_log_level level);

/* Formats one line (truncated past 1 KiB) and hands it to the sink.
 * `log` may be NULL. */
void sched_log(const sched_logger *log, sched_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A ready sink for programs: "<time> <level>: <line>\n" on stderr, the
 * time in UTC to the millisecond, ISO 8601 ("2026-01-31T12:00:00.250Z"),
 * so that lines can be matched with the master's and ZooKeeper's logs. */
void sched_log_stderr(void *arg, sched_log_level level, const char *line);

#endif
