/* ordtree.c: AVL insertion and removal, recursive (depth is logarithmic). */
#include "ordtree.h"

static int height(const ordnode *x) { return x ? x->height : 0; }

static void fix_height(ordnode *x)
{
    int l = height(x->left), r = height(x->right);
    x->height = (l > r ? l : r) + 1;
}

static ordnode *rotate_right(ordnode *x)
{
    ordnode *l = x->left;
    x->left = l->right;
    l->right = x;
    fix_height(x);
    fix_height(l);
    return l;
}

static ordnode *rotate_left(ordnode *x)
{
    ordnode *r = x->right;
    x->right = r->left;
    r->left = x;
    fix_height(x);
    fix_height(r);
    return r;
}

static ordnode *rebalance(ordnode *x)
{
    fix_height(x);
    int balance = height(x->left) - height(x->right);
    if (balance > 1) {
        if (height(x->left->left) < height(x->left->right))
            x->left = rotate_left(x->left);
        return rotate_right(x);
    }
    if (balance < -1) {
        if (height(x->right->right) < height(x->right->left))
            x->right = rotate_right(x->right);
        return rotate_left(x);
    }
    return x;
}

/* Insertion and removal stop rebalancing where a subtree's height did not
 * change: nothing above it can be out of balance, and on a large tree this
 * spares the cache misses of reading the siblings of the whole path. */
static ordnode *insert(const ordtree *t, ordnode *root, ordnode *x)
{
    if (!root)
        return x;
    ordnode **side = t->cmp(x, root, t->ctx) < 0 ? &root->left : &root->right;
    int before = height(*side);
    *side = insert(t, *side, x);
    return height(*side) == before ? root : rebalance(root);
}

static ordnode *remove_min(ordnode *root, ordnode **min)
{
    if (!root->left) {
        *min = root;
        return root->right;
    }
    root->left = remove_min(root->left, min);
    return rebalance(root);
}

static ordnode *remove_node(const ordtree *t, ordnode *root, ordnode *x)
{
    if (!root)
        return NULL; /* not in the tree: a caller bug, tolerated */
    if (root == x) {
        ordnode *min;
        if (!x->left || !x->right)
            return x->left ? x->left : x->right;
        ordnode *right = remove_min(x->right, &min);
        min->left = x->left;
        min->right = right;
        return rebalance(min);
    }
    ordnode **side = t->cmp(x, root, t->ctx) < 0 ? &root->left : &root->right;
    int before = height(*side);
    *side = remove_node(t, *side, x);
    return height(*side) == before ? root : rebalance(root);
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
    x->left = x->right = NULL;
    x->height = 1;
    t->root = insert(t, t->root, x);
    t->n++;
}

void ordtree_remove(ordtree *t, ordnode *x)
{
    t->root = remove_node(t, t->root, x);
    t->n--;
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
