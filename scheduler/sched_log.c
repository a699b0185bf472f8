/* sched_log.c: log lines through a callback (see sched_log.h). */
#include "scheduler/sched_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "lib/line.h"

const char *sched_log_level_name(sched_log_level level)
{
    switch (level) {
    case SCHED_LOG_DEBUG:
        return "debug";
    case SCHED_LOG_INFO:
        return "info";
    case SCHED_LOG_WARN:
        return "warn";
    case SCHED_LOG_ERROR:
        break;
    }
    return "error";
}

void sched_log(const sched_logger *log, sched_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (!log || !log->fn || level < log->min_level)
        return;
    va_start(ap, fmt);
    line_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    log->fn(log->arg, level, line);
}

void sched_log_stderr(void *arg, sched_log_level level, const char *line)
{
    struct timespec now;
    struct tm utc;
    char stamp[40] = "";
    (void)arg;
    if (clock_gettime(CLOCK_REALTIME, &now) == 0 && gmtime_r(&now.tv_sec, &utc)) {
        size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
        snprintf(stamp + n, sizeof stamp - n, ".%03ldZ ", now.tv_nsec / 1000000L);
    }
    fprintf(stderr, "%s%s: %s\n", stamp, sched_log_level_name(level), line);
}
