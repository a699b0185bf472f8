/* http_header.h: reading single HTTP/1.1 response header lines.
 *
 * libcurl hands a client each header line on its own (status line first,
 * CRLF included, no NUL); the scheduler needs only a few of them: the
 * status code, Content-Type, Mesos-Stream-Id and a redirect's Location.
 * These helpers read a line in place without copying or allocating; the
 * value they find points into the caller's line.
 */
#ifndef HDRF_SCHED_HTTP_HEADER_H
#define HDRF_SCHED_HTTP_HEADER_H

#include <stdbool.h>
#include <stddef.h>

/* The status code of a status line ("HTTP/1.1 307 Temporary Redirect" ->
 * 307), or -1 when `line` is not one. */
int http_header_status(const char *line, size_t len);

/* Whether `line` is the header `name` (compared case-insensitively, as
 * HTTP requires). If so, *value and *value_len give its value without the
 * surrounding blanks and line end (borrowed from `line`). */
bool http_header_match(const char *line, size_t len, const char *name, const char **value,
                       size_t *value_len);

#endif
