/* rstr.c: reference-counted immutable strings (rstr.h).
 *
 * The count sits in a header just before the text, so the text pointer is
 * all a holder keeps. */
#include "lib/rstr.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct rstr_head {
    atomic_size_t refs;
    char text[];
} rstr_head;

/* The names every cluster uses, shared by every collection in the process
 * and never freed: the same name is then the same pointer. */
static char known[][8] = {"cpus", "mem", "disk", "ports", "gpus"};
#define NKNOWN (sizeof known / sizeof known[0])
_Static_assert(NKNOWN == RSTR_NKNOWN, "rstr.h counts the well-known names");

/* One contiguous array: a pointer into it at a row start is a known name.
 * (Kept static and inline: every comparison of two names asks.) */
static inline int known_index(const char *s)
{
    uintptr_t off = (uintptr_t)s - (uintptr_t)known;
    return off < sizeof known && off % sizeof known[0] == 0 ? (int)(off / sizeof known[0]) : -1;
}

int rstr_known(const char *s) { return known_index(s); }

static bool is_known(const char *s) { return known_index(s) >= 0; }

static char *known_name(const char *s, size_t n)
{
    for (size_t i = 0; i < NKNOWN; i++)
        if (strncmp(known[i], s, n) == 0 && known[i][n] == '\0')
            return known[i];
    return NULL;
}

static rstr_head *head_of(char *s) { return (rstr_head *)(void *)(s - offsetof(rstr_head, text)); }

bool rstr_same(const char *a, const char *b)
{
    if (a == b)
        return true;
    if (!a || !b || (is_known(a) && is_known(b)))
        return false;
    return strcmp(a, b) == 0;
}

char *rstr_ndup(const char *s, size_t n)
{
    char *k = known_name(s, n);
    if (k)
        return k;
    rstr_head *h = malloc(sizeof *h + n + 1);
    if (!h)
        return NULL;
    atomic_init(&h->refs, 1);
    memcpy(h->text, s, n);
    h->text[n] = '\0';
    return h->text;
}

char *rstr_dup(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *copy = rstr_ndup(s, strlen(s));
    if (!copy)
        *ok = false;
    return copy;
}

char *rstr_retain(char *s)
{
    if (s && !is_known(s))
        atomic_fetch_add_explicit(&head_of(s)->refs, 1, memory_order_relaxed);
    return s;
}

void rstr_release(char *s)
{
    if (s && !is_known(s) &&
        atomic_fetch_sub_explicit(&head_of(s)->refs, 1, memory_order_acq_rel) == 1)
        free(head_of(s));
}
