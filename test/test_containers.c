/* test_containers.c: the core's hash map and ordered tree against naive
 * oracles (an array searched linearly; qsort), over random operations. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/line.h"
#include "lib/ordtree.h"
#include "lib/sched_error.h"
#include "lib/pool.h"
#include "lib/strmap.h"
#include "hdrf/status.h"
#include "test/prng.h"
#include "test/test.h"

#define KEYS 2000
#define ITEMS 500 /* elements of the ordtree tests */

static void test_strmap_against_array(void)
{
    static char names[KEYS][24];
    static int present[KEYS];
    strmap m = STRMAP_INIT;
    prng p = {99};
    int failures = 0;
    size_t live = 0;
    memset(present, 0, sizeof present);
    for (int i = 0; i < KEYS; i++)
        snprintf(names[i], sizeof names[i], "agent-%d", i);
    for (int op = 0; op < 200000; op++) {
        int k = (int)prng_below(&p, KEYS);
        switch (prng_below(&p, 3)) {
        case 0: {
            int status = strmap_put(&m, names[k], &present[k]);
            failures += status != (present[k] ? HDRF_EEXIST : HDRF_OK);
            if (!present[k] && status == HDRF_OK)
                present[k] = 1, live++;
            break;
        }
        case 1:
            failures += strmap_remove(&m, names[k]) != (present[k] ? &present[k] : NULL);
            if (present[k])
                present[k] = 0, live--;
            break;
        default: {
            char copy[24]; /* lookups by content, not by pointer */
            memcpy(copy, names[k], sizeof copy);
            failures += strmap_get(&m, copy) != (present[k] ? &present[k] : NULL);
        }
        }
        failures += m.n != live;
    }
    size_t cursor = 0, walked = 0;
    const char *key;
    void *value;
    while (strmap_next(&m, &cursor, &key, &value)) {
        walked++;
        failures += *(int *)value != 1;
    }
    CU_ASSERT_EQUAL(walked, live);
    CU_ASSERT_EQUAL(failures, 0);
    strmap_free(&m);
}

typedef struct item {
    ordnode link;
    int key;
    int id;
} item;

static int cmp_items(const ordnode *a, const ordnode *b, const void *ctx)
{
    (void)ctx;
    const item *x = (const item *)a, *y = (const item *)b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_ptrs(const void *a, const void *b)
{
    return cmp_items(*(ordnode *const *)a, *(ordnode *const *)b, NULL);
}

/* Heights, balance and parent links of the subtree at x. */
static int avl_ok(const ordnode *x, const ordnode *parent, int *h)
{
    int hl = 0, hr = 0;
    if (!x) {
        *h = 0;
        return 1;
    }
    if (x->parent != parent || !avl_ok(x->left, x, &hl) || !avl_ok(x->right, x, &hr))
        return 0;
    *h = (hl > hr ? hl : hr) + 1;
    return x->height == *h && abs(hl - hr) <= 1;
}

/* Failures of tree t against the items marked in `in`, sorted by qsort:
 * the walk in order, both neighbour functions, size and shape. */
static int check_tree(const ordtree *t, item *items, const int *in)
{
    ordnode *expect[ITEMS];
    size_t n = 0;
    int failures = 0;
    for (int i = 0; i < ITEMS; i++)
        if (in[i])
            expect[n++] = &items[i].link;
    qsort(expect, n, sizeof expect[0], cmp_ptrs);
    ordtree_iter it;
    ordtree_iter_init(&it, t);
    size_t got = 0;
    for (ordnode *x; (x = ordtree_iter_next(&it)); got++) {
        failures += got >= n || x != expect[got];
        failures += ordtree_prev(x) != (got > 0 && got <= n ? expect[got - 1] : NULL);
    }
    int h;
    failures += got != n || t->n != n || !avl_ok(t->root, NULL, &h);
    return failures;
}

static void test_ordtree_against_qsort(void)
{
    enum { N = ITEMS };
    static item items[N];
    static int in[N];
    ordtree t;
    prng p = {5};
    int failures = 0;
    ordtree_init(&t, cmp_items, NULL);
    memset(in, 0, sizeof in);
    for (int i = 0; i < N; i++)
        items[i].id = i;
    for (int op = 0; op < 20000; op++) {
        int k = (int)prng_below(&p, N);
        if (in[k]) { /* re-key: remove, change, insert */
            ordtree_remove(&t, &items[k].link);
            if (prng_below(&p, 2)) {
                in[k] = 0;
                continue;
            }
        }
        items[k].key = (int)prng_below(&p, 50); /* many ties, broken by id */
        ordtree_insert(&t, &items[k].link);
        in[k] = 1;
        if (op % 97 == 0)
            failures += check_tree(&t, items, in);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

/* ordtree_update, the sorter's move: keys change in place, and the element
 * must stay exactly when its new key still lies between its neighbours in
 * the order before the change (found here by a linear scan, not the tree),
 * whether the direction of the change is given or not. Small steps on few
 * distinct keys make both outcomes common, at every position: a leaf or
 * not, a neighbour above or below, either end. */
static void test_ordtree_update_in_place(void)
{
    enum { N = ITEMS };
    static item items[N];
    static int in[N];
    ordtree t;
    prng p = {11};
    int failures = 0, stayed = 0, moved = 0, ends = 0;
    ordtree_init(&t, cmp_items, NULL);
    for (int i = 0; i < N; i++) {
        items[i] = (item){.key = (int)prng_below(&p, 100), .id = i};
        ordtree_insert(&t, &items[i].link);
        in[i] = 1;
    }
    for (int op = 0; op < 20000; op++) {
        item *x = &items[prng_below(&p, N)];
        const item *prev = NULL, *next = NULL;
        for (int i = 0; i < N; i++) {
            const item *y = &items[i];
            if (cmp_items(&y->link, &x->link, NULL) < 0 &&
                (!prev || cmp_items(&y->link, &prev->link, NULL) > 0))
                prev = y;
            if (cmp_items(&y->link, &x->link, NULL) > 0 &&
                (!next || cmp_items(&y->link, &next->link, NULL) < 0))
                next = y;
        }
        int delta = (int)prng_below(&p, 5) - 2;
        x->key += delta;
        bool fits = (!prev || cmp_items(&prev->link, &x->link, NULL) < 0) &&
                    (!next || cmp_items(&x->link, &next->link, NULL) < 0);
        /* the direction when known, as the sorter passes it, or 0 */
        int direction = prng_below(&p, 2) ? (delta > 0) - (delta < 0) : 0;
        bool did_move = ordtree_update(&t, &x->link, direction);
        failures += did_move == fits;
        stayed += !did_move;
        moved += did_move;
        ends += !did_move && (!prev || !next);
        if (op % 97 == 0)
            failures += check_tree(&t, items, in);
    }
    failures += check_tree(&t, items, in);
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT(stayed > 1000 && moved > 1000 && ends > 0);
}

static void test_pool_reuse_and_zeroing(void)
{
    /* 10,000 objects span many chunks; each comes zeroed, distinct, on a
     * cache line of its own, and freed ones are handed out again before
     * new memory. */
    enum { N = 10000 };
    typedef struct obj {
        long id;
        char pad[40];
    } obj;
    static obj *objs[N];
    pool p;
    pool_init(&p, sizeof(obj));
    int dirty = 0, clashes = 0, misaligned = 0;
    for (int i = 0; i < N; i++) {
        objs[i] = pool_alloc(&p);
        CU_ASSERT_PTR_NOT_NULL_FATAL(objs[i]);
        dirty += objs[i]->id != 0 || objs[i]->pad[39] != 0;
        misaligned += (uintptr_t)objs[i] % POOL_LINE != 0;
        objs[i]->id = i + 1;
        memset(objs[i]->pad, 0xAB, sizeof objs[i]->pad);
    }
    for (int i = 0; i < N; i++)
        clashes += objs[i]->id != i + 1;
    CU_ASSERT_EQUAL(dirty, 0);
    CU_ASSERT_EQUAL(clashes, 0);
    CU_ASSERT_EQUAL(misaligned, 0);
    size_t chunks = p.nchunks;
    for (int i = 0; i < N; i += 2)
        pool_free(&p, objs[i]);
    for (int i = 0; i < N; i += 2) {
        obj *again = pool_alloc(&p);
        dirty += again->id != 0 || again->pad[0] != 0;
        again->id = i + 1;
    }
    CU_ASSERT_EQUAL(dirty, 0);
    CU_ASSERT_EQUAL(p.nchunks, chunks); /* all from the free list */
    pool_free(&p, NULL);
    pool_destroy(&p);
    CU_ASSERT_EQUAL(p.nchunks, 0);
}

static void format_line(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line_vformat(buf, size, fmt, ap);
    va_end(ap);
}

/* Messages stay on one line: control characters become C escapes, worked
 * out by hand; a cut never leaves half an escape. */
static void test_line_escapes(void)
{
    char buf[32];
    format_line(buf, sizeof buf, "key '%s': unknown", "a\nb");
    CU_ASSERT_STRING_EQUAL(buf, "key 'a\\nb': unknown"); /* a newline: '\\' and 'n' */
    format_line(buf, sizeof buf, "key '%s': unknown", "a\\b");
    CU_ASSERT_STRING_EQUAL(buf, "key 'a\\b': unknown"); /* a backslash stays as it is */
    format_line(buf, sizeof buf, "key '%s': unknown", "a\nb\t\r\x01");
    CU_ASSERT_STRING_EQUAL(buf, "key 'a\\nb\\t\\r\\x01': unknown");
    format_line(buf, sizeof buf, "%s", "one\ntwo\x7f");
    CU_ASSERT_STRING_EQUAL(buf, "one\\ntwo\\x7f");
    /* 29 characters of text, then "\n" (2) fits in 31; "\x01" (4) does not */
    format_line(buf, sizeof buf, "%s\n", "abcdefghijklmnopqrstuvwxyzabc");
    CU_ASSERT_STRING_EQUAL(buf, "abcdefghijklmnopqrstuvwxyzabc\\n");
    format_line(buf, sizeof buf, "%s\x01", "abcdefghijklmnopqrstuvwxyzabc");
    CU_ASSERT_STRING_EQUAL(buf, "abcdefghijklmnopqrstuvwxyzabc");
    sched_error e;
    sched_error_set(&e, HDRF_EINVAL, "apps[0]: key '%s': unknown", "x\ny");
    sched_error_wrap(&e, HDRF_EINVAL, "file '%s'", "a\tb.json");
    CU_ASSERT_STRING_EQUAL(e.text, "file 'a\\tb.json': apps[0]: key 'x\\ny': unknown");
}

int suite_containers(void)
{
    static const test_case cases[] = {
        {"pool: zeroed objects, reuse before growth", test_pool_reuse_and_zeroing},
        {"line: messages keep to one line, control characters escaped", test_line_escapes},
        {"strmap: 200,000 operations against an array", test_strmap_against_array},
        {"ordtree: 20,000 operations against qsort", test_ordtree_against_qsort},
        {"ordtree: keys changed in place, moved only when out of order",
         test_ordtree_update_in_place},
        {NULL, NULL},
    };
    return test_add_suite("containers", cases);
}
