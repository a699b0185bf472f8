/* status.c: status code names and error reports (see hdrf/status.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "lib/line.h"

const char *hdrf_strerror(int status)
{
    switch (status) {
    case HDRF_OK:
        return "ok";
    case HDRF_EINVAL:
        return "invalid argument";
    case HDRF_ENOMEM:
        return "out of memory";
    case HDRF_ENOTFOUND:
        return "not found";
    case HDRF_EEXIST:
        return "already exists";
    case HDRF_ENOFIT:
        return "resources not available";
    }
    return "unknown status";
}

static void copy_token(hdrf_error *e, const char *token, size_t len)
{
    const size_t room = sizeof e->token - 1;
    if (len <= room) {
        memcpy(e->token, token, len);
        e->token[len] = '\0';
    } else {
        memcpy(e->token, token, room - 3);
        memcpy(e->token + room - 3, "...", 4);
    }
    line_escape(e->token, sizeof e->token);
}

static void set_text(hdrf_error *e, const char *fmt, va_list ap)
{
    line_vformat(e->text, sizeof e->text, fmt, ap);
}

int error_at(hdrf_error *e, const char *source, const char *input, size_t pos, size_t toklen,
             const char *fmt, ...)
{
    if (!e)
        return HDRF_EINVAL;
    int line = 1, column = 1;
    for (size_t i = 0; i < pos && input[i]; i++) {
        if (input[i] == '\n')
            line++, column = 1;
        else
            column++;
    }
    e->line = line;
    e->column = column;
    e->position = (int)pos;
    snprintf(e->source, sizeof e->source, "%s", source);
    copy_token(e, input + pos, strnlen(input + pos, toklen));
    va_list ap;
    va_start(ap, fmt);
    set_text(e, fmt, ap);
    va_end(ap);
    return HDRF_EINVAL;
}

int error_named(hdrf_error *e, const char *source, const char *token, const char *fmt, ...)
{
    if (!e)
        return HDRF_EINVAL;
    e->line = e->column = e->position = -1;
    snprintf(e->source, sizeof e->source, "%s", source);
    copy_token(e, token, strlen(token));
    va_list ap;
    va_start(ap, fmt);
    set_text(e, fmt, ap);
    va_end(ap);
    return HDRF_EINVAL;
}
