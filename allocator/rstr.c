/* rstr.c: reference-counted immutable strings (rstr.h).
 *
 * The count sits in a header just before the text, so the text pointer is
 * all a holder keeps. */
#include "rstr.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct rstr_head {
    atomic_size_t refs;
    char text[];
} rstr_head;

static rstr_head *head_of(char *s)
{
    return (rstr_head *)(void *)(s - offsetof(rstr_head, text));
}

char *rstr_ndup(const char *s, size_t n)
{
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
    if (s)
        atomic_fetch_add_explicit(&head_of(s)->refs, 1, memory_order_relaxed);
    return s;
}

void rstr_release(char *s)
{
    if (s && atomic_fetch_sub_explicit(&head_of(s)->refs, 1, memory_order_acq_rel) == 1)
        free(head_of(s));
}
