/* ordtree.c: AVL tree with parent links (see ordtree.h).
 *
 * Insertion descends from the root; removal unlinks in place. Both then
 * retrace towards the root, rebalancing, and stop at the first subtree
 * whose height did not change: nothing above it can be out of balance, and
 * on a large tree this spares the cache misses of reading the whole path. */
#include "lib/ordtree.h"

static int height(const ordnode *x) { return x ? x->height : 0; }

static void fix_height(ordnode *x)
{
    int l = height(x->left), r = height(x->right);
    x->height = (l > r ? l : r) + 1;
}

/* Puts `to` where `from` hangs below `parent` (the root when NULL). */
static void replace_child(ordtree *t, ordnode *parent, const ordnode *from, ordnode *to)
{
    if (!parent)
        t->root = to;
    else if (parent->left == from)
        parent->left = to;
    else
        parent->right = to;
    if (to)
        to->parent = parent;
}

static ordnode *rotate_right(ordtree *t, ordnode *x)
{
    ordnode *l = x->left;
    x->left = l->right;
    if (x->left)
        x->left->parent = x;
    replace_child(t, x->parent, x, l);
    l->right = x;
    x->parent = l;
    fix_height(x);
    fix_height(l);
    return l;
}

static ordnode *rotate_left(ordtree *t, ordnode *x)
{
    ordnode *r = x->right;
    x->right = r->left;
    if (x->right)
        x->right->parent = x;
    replace_child(t, x->parent, x, r);
    r->left = x;
    x->parent = r;
    fix_height(x);
    fix_height(r);
    return r;
}

/* Restores the balance of x's subtree; returns its (maybe new) root. */
static ordnode *rebalance(ordtree *t, ordnode *x)
{
    fix_height(x);
    int balance = height(x->left) - height(x->right);
    if (balance > 1) {
        if (height(x->left->left) < height(x->left->right))
            rotate_left(t, x->left);
        return rotate_right(t, x);
    }
    if (balance < -1) {
        if (height(x->right->right) < height(x->right->left))
            rotate_right(t, x->right);
        return rotate_left(t, x);
    }
    return x;
}

/* From x up: rebalance until a subtree keeps both its root and height. */
static void retrace(ordtree *t, ordnode *x)
{
    while (x) {
        ordnode *parent = x->parent;
        int before = x->height;
        if (rebalance(t, x) == x && x->height == before)
            return;
        x = parent;
    }
}

void ordtree_init(ordtree *t, ordtree_cmp cmp, const void *ctx)
{
    t->root = NULL;
    t->n = 0;
    t->cmp = cmp;
    t->ctx = ctx;
}

void ordtree_insert(ordtree *t, ordnode *x)
{
    ordnode *parent = NULL, **link = &t->root;
    while (*link) {
        parent = *link;
        link = t->cmp(x, parent, t->ctx) < 0 ? &parent->left : &parent->right;
    }
    x->left = x->right = NULL;
    x->parent = parent;
    x->height = 1;
    *link = x;
    t->n++;
    retrace(t, parent);
}

void ordtree_remove(ordtree *t, ordnode *x)
{
    ordnode *from; /* the lowest node whose subtree changed */
    if (x->left && x->right) {
        /* x's successor y, leftmost in x's right subtree, takes x's place */
        ordnode *y = x->right;
        while (y->left)
            y = y->left;
        if (y == x->right) {
            from = y;
        } else {
            from = y->parent;
            replace_child(t, y->parent, y, y->right);
            y->right = x->right;
            y->right->parent = y;
        }
        y->left = x->left;
        y->left->parent = y;
        y->height = x->height;
        replace_child(t, x->parent, x, y);
    } else {
        from = x->parent;
        replace_child(t, x->parent, x, x->left ? x->left : x->right);
    }
    t->n--;
    retrace(t, from);
}

bool ordtree_update(ordtree *t, ordnode *x, int direction)
{
    ordnode *y;
    if ((direction < 0 || !(y = ordtree_next(x)) || t->cmp(x, y, t->ctx) < 0) &&
        (direction > 0 || !(y = ordtree_prev(x)) || t->cmp(y, x, t->ctx) < 0))
        return false;
    ordtree_remove(t, x);
    ordtree_insert(t, x);
    return true;
}

ordnode *ordtree_next(ordnode *x)
{
    if (x->right) {
        x = x->right;
        while (x->left)
            x = x->left;
        return x;
    }
    while (x->parent && x == x->parent->right)
        x = x->parent;
    return x->parent;
}

ordnode *ordtree_prev(ordnode *x)
{
    if (x->left) {
        x = x->left;
        while (x->right)
            x = x->right;
        return x;
    }
    while (x->parent && x == x->parent->left)
        x = x->parent;
    return x->parent;
}

static void push_left(ordtree_iter *it, ordnode *x)
{
    for (; x; x = x->left)
        it->stack[it->depth++] = x;
}

void ordtree_iter_init(ordtree_iter *it, const ordtree *t)
{
    it->depth = 0;
    push_left(it, t->root);
}

ordnode *ordtree_iter_next(ordtree_iter *it)
{
    if (it->depth == 0)
        return NULL;
    ordnode *x = it->stack[--it->depth];
    push_left(it, x->right);
    return x;
}
