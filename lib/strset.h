/* strset.h: sets of strings kept sorted, the value of a SET resource.
 *
 * Sorted (by strcmp) and free of duplicates, so equality is element-wise and
 * union, difference and subset are linear merges. The set owns its strings. */
#ifndef HDRF_STRSET_H
#define HDRF_STRSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strset {
    char **v;
    size_t n;
    size_t cap;
} strset;

#define STRSET_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void strset_free(strset *s);
int strset_copy(strset *dst, const strset *src);
/* Inserts a copy of item; HDRF_EEXIST when it is already present. */
int strset_insert(strset *s, const char *item);
bool strset_has(const strset *s, const char *item);
/* dst = dst ∪ src; on HDRF_ENOMEM dst is unchanged. */
int strset_add(strset *dst, const strset *src);
/* dst = dst \ src. */
void strset_subtract(strset *dst, const strset *src);
bool strset_contains(const strset *a, const strset *b);
bool strset_equal(const strset *a, const strset *b);

#endif
