/* pool.c: chunked object pool (see pool.h). */
#include "lib/pool.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

/* Chunks double from 64 objects up to 4,096: small sorters stay small,
 * large ones get long contiguous runs. */
enum { FIRST_CHUNK = 64, LARGEST_CHUNK = 4096 };

void pool_init(pool *p, size_t size)
{
    memset(p, 0, sizeof *p);
    p->size = (size + POOL_LINE - 1) / POOL_LINE * POOL_LINE;
    if (p->size == 0)
        p->size = POOL_LINE;
}

static int new_chunk(pool *p)
{
    size_t cap = p->cap ? p->cap * 2 : FIRST_CHUNK;
    if (cap > LARGEST_CHUNK)
        cap = LARGEST_CHUNK;
    if (array_reserve(&p->chunks, &p->chunks_cap, p->nchunks + 1, sizeof *p->chunks) != 0)
        return -1;
    char *chunk = aligned_alloc(POOL_LINE, cap * p->size); /* a multiple of the line */
    if (!chunk)
        return -1;
    p->chunks[p->nchunks++] = chunk;
    p->chunk = chunk;
    p->used = 0;
    p->cap = cap;
    return 0;
}

void *pool_alloc(pool *p)
{
    void *object = p->free_list;
    if (object) {
        memcpy(&p->free_list, object, sizeof p->free_list);
    } else {
        if (p->used == p->cap && new_chunk(p) != 0)
            return NULL;
        object = p->chunk + p->used++ * p->size;
    }
    return memset(object, 0, p->size);
}

void pool_free(pool *p, void *object)
{
    if (object) {
        memcpy(object, &p->free_list, sizeof p->free_list);
        p->free_list = object;
    }
}

void pool_destroy(pool *p)
{
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    pool_init(p, p->size);
}
