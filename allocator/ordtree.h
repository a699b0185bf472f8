/* ordtree.h: an intrusive ordered set (AVL tree) for the sorter (private).
 *
 * The sorter keeps every internal node's children in fairness order and
 * moves one child when its share changes: remove with the old key, update,
 * insert with the new key, O(log siblings) each. An AVL tree gives that with
 * a walk in order and no allocation: the links live in the element
 * (`ordnode`, embedded in the caller's struct).
 *
 * The comparator must be a total order on the elements in the tree (break
 * ties by a unique name). An element's key must not change while it is in
 * the tree: remove it, change it, insert it again. */
#ifndef HDRF_ORDTREE_H
#define HDRF_ORDTREE_H

#include <stddef.h>

typedef struct ordnode {
    struct ordnode *left, *right;
    int height;
} ordnode;

typedef int (*ordtree_cmp)(const ordnode *a, const ordnode *b, const void *ctx);

typedef struct ordtree {
    ordnode *root;
    size_t n;
    ordtree_cmp cmp;
    const void *ctx;
} ordtree;

void ordtree_init(ordtree *t, ordtree_cmp cmp, const void *ctx);
void ordtree_insert(ordtree *t, ordnode *x);
void ordtree_remove(ordtree *t, ordnode *x);

/* In-order iteration without parent links: an explicit stack. An AVL tree
 * of height 90 would hold more elements than memory, so 96 frames suffice.
 * The tree must not change during the walk. */
typedef struct ordtree_iter {
    ordnode *stack[96];
    int depth;
} ordtree_iter;

void ordtree_iter_init(ordtree_iter *it, const ordtree *t);
ordnode *ordtree_iter_next(ordtree_iter *it); /* NULL at the end */

#endif
