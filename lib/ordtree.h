/* ordtree.h: an intrusive ordered set (AVL tree) for the sorter (private).
 *
 * The sorter keeps every internal node's children in fairness order and
 * re-positions one child whenever its share changes. An AVL tree gives that
 * in O(log siblings) with a walk in order and no allocation: the links live
 * in the element (`ordnode`, embedded in the caller's struct).
 *
 * Elements link to their parent too. That makes an element's in-order
 * neighbours a step or two away, which is what ordtree_update() needs: most
 * changes of a key leave the element between its neighbours, and then
 * nothing moves. It also makes removal need no key and no comparison.
 *
 * The comparator must be a total order on the elements in the tree (break
 * ties by a unique name). An element's key may change while it is in the
 * tree only if ordtree_update() follows before any other call on the tree. */
#ifndef HDRF_ORDTREE_H
#define HDRF_ORDTREE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ordnode {
    struct ordnode *left, *right, *parent;
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
/* After x's key changed: puts x back in order. `direction` > 0 says the
 * key can only have grown, < 0 only shrunk, 0 unknown: a key that grew
 * can only have passed its successor, so only that neighbour is read.
 * Returns whether x had to move (false: it still lies between its
 * neighbours, and one or two comparisons were all it cost). */
bool ordtree_update(ordtree *t, ordnode *x, int direction);

/* In-order neighbours of an element in a tree, NULL at either end. */
ordnode *ordtree_next(ordnode *x);
ordnode *ordtree_prev(ordnode *x);

/* In-order iteration with an explicit stack rather than parent links:
 * climbing back through the ancestors costs more instructions per step.
 * An AVL tree of height 90 would hold more elements than memory, so 96
 * frames suffice. The tree must not change during the walk. */
typedef struct ordtree_iter {
    ordnode *stack[96];
    int depth;
} ordtree_iter;

void ordtree_iter_init(ordtree_iter *it, const ordtree *t);
ordnode *ordtree_iter_next(ordtree_iter *it); /* NULL at the end */

#endif
