/* line.c: messages that stay on one line (see line.h). */
#include "lib/line.h"

#include <stdio.h>
#include <string.h>

void line_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    vsnprintf(buf, size, fmt, ap);
    line_escape(buf, size);
}

/* The escape of control character c into out[5]; its length. */
static size_t escape_of(unsigned char c, char out[5])
{
    switch (c) {
    case '\n':
        memcpy(out, "\\n", 3);
        return 2;
    case '\r':
        memcpy(out, "\\r", 3);
        return 2;
    case '\t':
        memcpy(out, "\\t", 3);
        return 2;
    }
    snprintf(out, 5, "\\x%02x", c);
    return 4;
}

static int is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

void line_escape(char *buf, size_t size)
{
    size_t len = strlen(buf), grown = len;
    for (size_t i = 0; i < len; i++)
        if (is_control((unsigned char)buf[i])) {
            char esc[5];
            grown += escape_of((unsigned char)buf[i], esc) - 1;
        }
    if (grown == len)
        return; /* the common case: nothing to do */
    /* Rewrite from the end, so that each byte moves at most once. */
    size_t out = grown < size ? grown : size - 1;
    buf[out] = '\0';
    for (size_t i = len, end = grown; i-- > 0;) {
        char esc[5];
        unsigned char c = (unsigned char)buf[i];
        size_t n = is_control(c) ? escape_of(c, esc) : 1;
        end -= n;
        if (end + n > out) { /* past the cut: dropped whole */
            if (end < out)
                out = end, buf[out] = '\0';
            continue;
        }
        if (n == 1)
            buf[end] = (char)c;
        else
            memcpy(buf + end, esc, n);
    }
}
