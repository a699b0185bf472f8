/* sched_error.c: the scheduler's error report (see sched_error.h). */
#include "lib/sched_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/line.h"

int sched_error_set(sched_error *e, int status, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return status;
    e->status = status;
    va_start(ap, fmt);
    line_vformat(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    return status;
}

int sched_error_wrap(sched_error *e, int status, const char *fmt, ...)
{
    char prefix[SCHED_ERROR_LENGTH];
    size_t plen, room, keep;
    va_list ap;
    if (!e)
        return status;
    e->status = status;
    va_start(ap, fmt);
    line_vformat(prefix, sizeof prefix - 2, fmt, ap);
    va_end(ap);
    strcat(prefix, ": ");
    plen = strlen(prefix);
    room = sizeof e->text - 1;
    keep = strlen(e->text);
    if (plen > room)
        plen = room;
    if (keep > room - plen)
        keep = room - plen;
    memmove(e->text + plen, e->text, keep);
    memcpy(e->text, prefix, plen);
    e->text[plen + keep] = '\0';
    return status;
}

void sched_error_clear(sched_error *e)
{
    if (!e)
        return;
    e->status = HDRF_OK;
    e->text[0] = '\0';
}
