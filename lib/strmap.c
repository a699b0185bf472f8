/* strmap.c: open-addressing string map (see strmap.h). */
#include "lib/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "hdrf/status.h"

/* FNV-1a, then a final mix so that the low bits used for the index depend on
 * every byte. Ids are short; this is cheap and spreads well. */
static uint64_t hash_key(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * UINT64_C(1099511628211);
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    return h ^ (h >> 33);
}

void strmap_free(strmap *m)
{
    free(m->slots);
    *m = (strmap)STRMAP_INIT;
}

static size_t find(const strmap *m, const char *key, uint64_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == hash && strcmp(s->key, key) == 0))
            return i;
    }
}

void *strmap_get(const strmap *m, const char *key)
{
    if (m->n == 0)
        return NULL;
    return m->slots[find(m, key, hash_key(key))].value;
}

static int grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 4; /* most maps are small: a client on few agents */
    strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return HDRF_ENOMEM;
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            m->slots[find(m, old.slots[i].key, old.slots[i].hash)] = old.slots[i];
    free(old.slots);
    return HDRF_OK;
}

/* The load stays under 3/4 so that probe runs stay short. */
int strmap_reserve(strmap *m, size_t extra)
{
    while ((m->n + extra) * 4 > m->cap * 3)
        if (grow(m) != HDRF_OK)
            return HDRF_ENOMEM;
    return HDRF_OK;
}

int strmap_put(strmap *m, const char *key, void *value)
{
    uint64_t hash = hash_key(key);
    if (strmap_reserve(m, 1) != HDRF_OK)
        return HDRF_ENOMEM;
    size_t i = find(m, key, hash);
    if (m->slots[i].key)
        return HDRF_EEXIST;
    m->slots[i] = (strmap_slot){key, value, hash};
    m->n++;
    return HDRF_OK;
}

void *strmap_remove(strmap *m, const char *key)
{
    if (m->n == 0)
        return NULL;
    size_t mask = m->cap - 1, hole = find(m, key, hash_key(key));
    void *value = m->slots[hole].value;
    if (!m->slots[hole].key)
        return NULL;
    /* Backward shift: pull later entries of the run into the hole when their
     * home slot does not lie cyclically between the hole and them. */
    for (size_t j = (hole + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = m->slots[j].hash & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole] = (strmap_slot){NULL, NULL, 0};
    m->n--;
    return value;
}

int strmap_set(strmap *m, const char *key, void *value)
{
    if (m->n) {
        strmap_slot *s = &m->slots[find(m, key, hash_key(key))];
        if (s->key) {
            s->value = value;
            return HDRF_OK;
        }
    }
    return strmap_put(m, key, value);
}

int strmap_next(const strmap *m, size_t *cursor, const char **key, void **value)
{
    for (; *cursor < m->cap; (*cursor)++) {
        const strmap_slot *s = &m->slots[*cursor];
        if (s->key) {
            *key = s->key;
            *value = s->value;
            (*cursor)++;
            return 1;
        }
    }
    return 0;
}
