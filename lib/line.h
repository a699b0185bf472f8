/* line.h: messages that stay on one line.
 *
 * Every message hdrf prints or hands back (error texts, log lines) is one
 * line: operators grep logs, and a raw newline from a JSON key, a label or
 * jansson's own text would split one event into two and forge the second.
 * The sinks that store a message (hdrf_error, sched_error, the allocator's
 * last error, log lines) format it through line_vformat(), which writes
 * control characters as C escapes (\n, \t, \r, \xHH) and a backslash as
 * itself: the text is otherwise unchanged, and a message without control
 * characters is byte for byte what vsnprintf() would give. */
#ifndef HDRF_LIB_LINE_H
#define HDRF_LIB_LINE_H

#include <stdarg.h>
#include <stddef.h>

/* vsnprintf() into buf[size] (size > 0), then line_escape(). */
void line_vformat(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Rewrites the NUL-terminated text in buf[size] with its control characters
 * escaped, cutting the end (never an escape in half) when it no longer fits. */
void line_escape(char *buf, size_t size);

#endif
