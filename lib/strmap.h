/* strmap.h: a hash map from borrowed string keys to pointers (private).
 *
 * Frameworks, agents and sorter clients are found by id on every event, so
 * the core needs one fast map. Open addressing with linear probing and
 * backward-shift deletion (no tombstones, so lookups stay short after many
 * removals); each slot caches the key's hash to skip most string compares.
 *
 * Keys are borrowed: the map stores the pointer, and the caller keeps the
 * string alive and unchanged while it is in the map (typically the key is
 * the id owned by the value itself). Values are opaque pointers, never NULL.
 * Iteration order is unspecified; the map must not change during a walk. */
#ifndef HDRF_STRMAP_H
#define HDRF_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap_slot {
    const char *key; /* NULL: empty */
    void *value;
    uint64_t hash;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} strmap;

#define STRMAP_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void strmap_free(strmap *m); /* frees the table, not keys or values */
void *strmap_get(const strmap *m, const char *key);
/* Adds key -> value. HDRF_EEXIST if key is present (nothing changes),
 * HDRF_ENOMEM if the table could not grow. */
int strmap_put(strmap *m, const char *key, void *value);
/* Sets key -> value, replacing the value when key is present (the table's
 * layout does not change then, so it is safe during a walk). */
int strmap_set(strmap *m, const char *key, void *value);
/* Grows the table so that `extra` more puts cannot fail. */
int strmap_reserve(strmap *m, size_t extra);
/* Removes key; returns its value, or NULL when absent. */
void *strmap_remove(strmap *m, const char *key);
/* Iteration: start with *cursor = 0; returns 0 at the end. */
int strmap_next(const strmap *m, size_t *cursor, const char **key, void **value);

#endif
