/* sbuf.h: a growable string buffer and the small string helpers the core uses.
 *
 * Formatting code appends with sbuf_printf() and checks one flag at the end
 * instead of every call: after an allocation failure the buffer stays failed
 * and sbuf_finish() returns NULL. */
#ifndef HDRF_SBUF_H
#define HDRF_SBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} sbuf;

#define SBUF_INIT                                                                                  \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void sbuf_putc(sbuf *b, char c);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a milli-unit scalar as Mesos prints it: 24, 0.5, 0.001. */
void sbuf_put_milli(sbuf *b, long long milli);
/* Returns the NUL-terminated string (caller frees), or NULL after a failure. */
char *sbuf_finish(sbuf *b);
void sbuf_discard(sbuf *b);

/* strdup that maps NULL to NULL; *ok is cleared when an allocation fails. */
char *str_dup_opt(const char *s, bool *ok);
/* Whether s is valid UTF-8 without control characters (protobuf and JSON
 * strings must be UTF-8; controls have no place in names). NULL is valid. */
bool str_is_clean_utf8(const char *s);
/* NULL-aware equality: two NULLs are equal, NULL never equals a string. */
bool str_eq_opt(const char *a, const char *b);

#endif
