/* pool.h: a pool of fixed-size objects, allocated in growing chunks (private).
 *
 * The sorter walks its nodes by pointer on every update; from malloc they
 * scatter among the strings and vectors allocated between them, and at
 * 10,000 clients each step of a tree descent becomes a cache and TLB miss.
 * Taking them from chunks keeps them side by side (bench/sorter: -20% per
 * update at 10,000 clients). Objects start on a cache line and take whole
 * lines, so that fields a caller puts together at the start of its struct
 * are read with one miss, not two (another 5-10% off an update). Objects come
 * zeroed; freed ones are reused first; all memory returns to the system
 * when the pool is destroyed. */
#ifndef HDRF_POOL_H
#define HDRF_POOL_H

#include <stddef.h>

#define POOL_LINE 64 /* the cache line of the x86-64 and arm64 CPUs hdrf runs on */

typedef struct pool {
    size_t size;      /* object size, rounded up to whole lines */
    void *free_list;  /* freed objects, linked through their first bytes */
    char *chunk;      /* the chunk being carved */
    size_t used, cap; /* objects carved from it, and its capacity */
    void **chunks;    /* every chunk, for destroy */
    size_t nchunks, chunks_cap;
} pool;

void pool_init(pool *p, size_t size);
/* A zeroed object, or NULL when out of memory. */
void *pool_alloc(pool *p);
void pool_free(pool *p, void *object); /* NULL is a no-op */
void pool_destroy(pool *p);            /* frees every chunk */

#endif
