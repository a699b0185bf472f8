/* rstr.h: immutable strings shared by reference count.
 *
 * A resource's name and allocation role are copied with every copy of the
 * resource, and a run copies resources many times over (offers, holdings,
 * what is available). Sharing the text instead of duplicating it makes such
 * a copy a counter increment instead of a malloc, a strlen and a memcpy,
 * and lets comparisons stop at pointer equality.
 *
 * An rstr is a plain `char *` to NUL-terminated text, readable like any
 * string; only its owner's release differs: rstr_release(), never free().
 * The count is atomic, so collections that share text may still live on
 * different threads (resources.h: distinct collections are independent).
 * NULL stands for "no string" everywhere and costs nothing. */
#ifndef HDRF_RSTR_H
#define HDRF_RSTR_H

#include <stdbool.h>
#include <stddef.h>

/* A new rstr holding a copy of s (NULL for NULL); *ok is cleared when out of
 * memory, as str_dup_opt() does. */
char *rstr_dup(const char *s, bool *ok);
/* A new rstr holding the first n bytes of s; NULL when out of memory. */
char *rstr_ndup(const char *s, size_t n);
/* Another reference to the rstr s (NULL for NULL); cannot fail. */
char *rstr_retain(char *s);
/* Drops a reference; the last one frees the text. */
void rstr_release(char *s);
/* Whether two rstr (or NULL) hold the same text; the well-known resource
 * names (cpus, mem, disk, ports, gpus) are one static string each, so
 * they compare by pointer alone. */
bool rstr_same(const char *a, const char *b);

/* The well-known names by number: for s one of their static strings (the
 * pointer, not the text: what rstr_dup() of such a name returns), its index
 * below RSTR_NKNOWN; -1 for any other pointer. Lets a table indexed by
 * name (a sorter's dimensions, a quantity list) find these names without a
 * hash or a strcmp. */
#define RSTR_NKNOWN 5
int rstr_known(const char *s);

#endif
