/* hdrf_ref.c: the fairness references of hdrf_ref.h: static H-DRF by
 * progressive filling and Mesos's nested DRF under churn, each a plain walk
 * over an array tree, sharing nothing with allocator/. */
#include "test/hdrf_ref.h"

#include <stdlib.h>
#include <string.h>

/* Steps per task in progressive filling: the siblings' shares stay within
 * 1/REF_STEPS of a task of each other. */
#define REF_STEPS 64
#define REF_EPS 1e-9

bool ref_is_leaf(const ref_tree *t, size_t i)
{
    for (size_t j = 1; j < t->nnodes; j++)
        if (t->parent[j] == (int)i)
            return false;
    return true;
}

static bool ref_valid(const ref_tree *t)
{
    if (t->nnodes < 2 || t->nnodes > REF_MAX_NODES || t->nres < 1 || t->nres > REF_MAX_RES ||
        t->parent[0] != -1)
        return false;
    for (size_t r = 0; r < t->nres; r++)
        if (!(t->total[r] > 0))
            return false;
    for (size_t i = 1; i < t->nnodes; i++) {
        if (t->parent[i] < 0 || t->parent[i] >= (int)i || !(t->weight[i] > 0))
            return false;
        if (ref_is_leaf(t, i)) {
            double sum = 0;
            for (size_t r = 0; r < t->nres; r++)
                sum += t->demand[i][r];
            if (!(sum > 0))
                return false;
        }
    }
    return true;
}

/* The filling's state: what each node's subtree holds (in units), which
 * resources are saturated, which nodes are blocked. */
typedef struct ref_state {
    const ref_tree *t;
    double held[REF_MAX_NODES][REF_MAX_RES];
    double used[REF_MAX_RES];
    bool saturated[REF_MAX_RES];
    bool blocked[REF_MAX_NODES];
    bool leaf[REF_MAX_NODES];
} ref_state;

/* Weighted dominant share of node i: over every resource when `all`, else
 * over the resources not saturated. */
static double ref_wshare(const ref_state *s, size_t i, bool all)
{
    double best = 0;
    for (size_t r = 0; r < s->t->nres; r++)
        if (all || !s->saturated[r]) {
            double share = s->held[i][r] / s->t->total[r];
            if (share > best)
                best = share;
        }
    return best / s->t->weight[i];
}

/* Adds `amount` tasks' worth of leaf i's demand along its path (negative to
 * take back). */
static void ref_give(ref_state *s, size_t leaf, double amount)
{
    const ref_tree *t = s->t;
    for (size_t r = 0; r < t->nres; r++) {
        double d = t->demand[leaf][r] * amount;
        s->used[r] += d;
        for (int n = (int)leaf; n >= 0; n = t->parent[n])
            s->held[n][r] += d;
    }
}

/* The largest part of one task of leaf i that still fits (1 at most). */
static double ref_room(const ref_state *s, size_t leaf)
{
    double room = 1;
    for (size_t r = 0; r < s->t->nres; r++)
        if (s->t->demand[leaf][r] > 0) {
            double left = (s->t->total[r] - s->used[r]) / s->t->demand[leaf][r];
            if (left < room)
                room = left;
        }
    return room < 0 ? 0 : room;
}

/* Marks internal nodes blocked when all their children are (children have
 * higher indices than their parents: a backward pass settles each node
 * after its children). */
static void ref_block_internal(ref_state *s)
{
    const ref_tree *t = s->t;
    for (size_t i = t->nnodes; i-- > 0;) {
        if (s->leaf[i])
            continue;
        bool all = true;
        for (size_t j = i + 1; j < t->nnodes; j++)
            if (t->parent[j] == (int)i && !s->blocked[j])
                all = false;
        s->blocked[i] = all;
    }
}

/* From the root, the non-blocked child of least weighted share at every
 * level (over every resource when `all_resources`, else the unsaturated
 * ones), down to a leaf; -1 when everything is blocked. */
static int ref_descend(const ref_state *s, bool all_resources, const bool *eligible)
{
    const ref_tree *t = s->t;
    int node = 0;
    for (;;) {
        int best = -1;
        double best_share = 0;
        for (size_t j = (size_t)node + 1; j < t->nnodes; j++) {
            if (t->parent[j] != node || !eligible[j])
                continue;
            double share = ref_wshare(s, j, all_resources);
            if (best < 0 || share < best_share - REF_EPS) {
                best = (int)j;
                best_share = share;
            }
        }
        if (best < 0)
            return -1;
        if (s->leaf[best])
            return best;
        node = best;
    }
}

static void ref_init(ref_state *s, const ref_tree *t)
{
    memset(s, 0, sizeof *s);
    s->t = t;
    for (size_t i = 0; i < t->nnodes; i++)
        s->leaf[i] = i > 0 && ref_is_leaf(t, i);
}

static void ref_write(const ref_state *s, double *alloc)
{
    const ref_tree *t = s->t;
    for (size_t i = 0; i < t->nnodes; i++)
        for (size_t r = 0; r < t->nres; r++)
            alloc[i * t->nres + r] = s->leaf[i] ? s->held[i][r] / t->total[r] : 0;
}

bool ref_hdrf(const ref_tree *t, double *alloc)
{
    if (!ref_valid(t))
        return false;
    ref_state *s = malloc(sizeof *s);
    if (!s)
        return false;
    ref_init(s, t);
    for (;;) {
        ref_block_internal(s);
        bool eligible[REF_MAX_NODES];
        for (size_t i = 0; i < t->nnodes; i++)
            eligible[i] = !s->blocked[i];
        int leaf = ref_descend(s, false, eligible);
        if (leaf < 0)
            break;
        double step = ref_room(s, (size_t)leaf);
        if (step > 1.0 / REF_STEPS)
            step = 1.0 / REF_STEPS;
        ref_give(s, (size_t)leaf, step);
        /* A resource with nothing left saturates; every leaf demanding it
         * is blocked from then on. */
        for (size_t r = 0; r < t->nres; r++)
            if (t->total[r] - s->used[r] <= REF_EPS * t->total[r])
                s->saturated[r] = true;
        for (size_t i = 1; i < t->nnodes; i++)
            if (s->leaf[i])
                for (size_t r = 0; r < t->nres; r++)
                    if (t->demand[i][r] > 0 && s->saturated[r])
                        s->blocked[i] = true;
    }
    ref_write(s, alloc);
    free(s);
    return true;
}

/* Nested DRF's pick among the leaves whose whole task fits now. */
static int ref_drf_pick(ref_state *s)
{
    const ref_tree *t = s->t;
    bool eligible[REF_MAX_NODES];
    for (size_t i = 0; i < t->nnodes; i++)
        s->blocked[i] = s->leaf[i] && ref_room(s, i) < 1 - REF_EPS;
    ref_block_internal(s);
    for (size_t i = 0; i < t->nnodes; i++)
        eligible[i] = !s->blocked[i];
    return ref_descend(s, true, eligible);
}

bool ref_nested_drf(const ref_tree *t, int rounds, double *alloc)
{
    if (!ref_valid(t) || rounds < 2)
        return false;
    bool ok = false;
    ref_state *s = malloc(sizeof *s);
    int *running = NULL; /* leaves of the running tasks, oldest first */
    double sum[REF_MAX_NODES][REF_MAX_RES] = {{0}};
    if (!s)
        goto out;
    ref_init(s, t);
    size_t n = 0, cap = 0;
    for (int leaf; (leaf = ref_drf_pick(s)) >= 0;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            int *grown = realloc(running, cap * sizeof *running);
            if (!grown)
                goto out;
            running = grown;
        }
        running[n++] = leaf;
        ref_give(s, (size_t)leaf, 1);
    }
    if (n == 0)
        goto out;
    /* A ring: the task that ends is the oldest; its replacement is the
     * youngest, in the slot it frees. */
    size_t ends = (size_t)rounds * n, head = 0, averaged = 0;
    for (size_t e = 0; e < ends; e++) {
        ref_give(s, (size_t)running[head], -1);
        int leaf = ref_drf_pick(s);
        if (leaf < 0) /* cannot happen: the task that ended fits again */
            goto out;
        ref_give(s, (size_t)leaf, 1);
        running[head] = leaf;
        head = (head + 1) % n;
        if (e >= ends / 2) {
            for (size_t i = 0; i < t->nnodes; i++)
                for (size_t r = 0; r < t->nres; r++)
                    sum[i][r] += s->held[i][r];
            averaged++;
        }
    }
    for (size_t i = 0; i < t->nnodes; i++)
        for (size_t r = 0; r < t->nres; r++)
            s->held[i][r] = sum[i][r] / (double)averaged;
    ref_write(s, alloc);
    ok = true;
out:
    free(running);
    free(s);
    return ok;
}
