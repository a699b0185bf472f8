/* sorter_order.c: shares and the three orderings of the sorter.
 *
 * DRF keeps each internal node's children in an ordtree keyed by (weighted
 * share, count, path) and re-positions one node per level when an
 * allocation changes, so sort() is a plain depth-first walk. A node whose
 * new key still lies between its neighbours stays where it is: one
 * comparison instead of a removal and an insertion, the common case above
 * the leaves, where a small change barely moves a subtree's share. H-DRF
 * cannot be kept that way: rescaling ties every sibling to the
 * least-served one, so sort() recomputes the tree bottom-up (the paper's
 * own algorithm does the same per pick). Random ignores shares and draws
 * a weighted order per sort(). All three emit the same thing: active
 * leaves, as client paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "allocator/sorter_internal.h"

/* Mesos keeps scalars as doubles rounded to three decimals; converting our
 * milli-units the way it does keeps ties (and their absence) identical. */
static double to_double(int64_t milli)
{
    return (double)(milli / HDRF_MILLI) + (double)(milli % HDRF_MILLI) / 1000.0;
}

/* Whether dimension d takes part in shares right now. */
static bool counts_in_share(const hdrf_sorter *s, size_t d)
{
    return !s->excluded[d] && s->total[d] > 0;
}

void sorter_total_changed(hdrf_sorter *s, size_t d) { s->total_units[d] = to_double(s->total[d]); }

double sorter_drf_share(const hdrf_sorter *s, const int64_t *alloc)
{
    double share = 0.0;
    for (size_t d = 0; d < s->ndims; d++) {
        if (!counts_in_share(s, d) || alloc[d] <= 0)
            continue;
        /* max of the ratios first, then the weight: Mesos's evaluation order */
        double ratio = to_double(alloc[d]) / s->total_units[d];
        if (ratio > share)
            share = ratio;
    }
    return share;
}

/* Sibling order: (H-DRF only) non-blocked first, then weighted share, then
 * allocation count, then path, which makes it total. */
static int compare_nodes(const ordnode *x, const ordnode *y, const void *ctx)
{
    const hdrf_sorter *s = ctx;
    const snode *a = SNODE_OF(x), *b = SNODE_OF(y);
    if (s->order == HDRF_ORDER_HDRF && a->hblocked != b->hblocked)
        return a->hblocked ? 1 : -1;
    if (a->wshare != b->wshare)
        return a->wshare < b->wshare ? -1 : 1;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    if (a->name_key != b->name_key)
        return a->name_key < b->name_key ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Whether orders are maintained incrementally right now. */
static bool maintained(const hdrf_sorter *s) { return s->order == HDRF_ORDER_DRF && !s->dirty; }

void sorter_mark_dirty(hdrf_sorter *s) { s->dirty = true; }

static void refresh_drf_share(const hdrf_sorter *s, snode *n)
{
    n->share = sorter_drf_share(s, n->alloc);
    n->wshare = n->share / n->weight;
}

void sorter_detach(hdrf_sorter *s, snode *n)
{
    if (maintained(s) && n->parent)
        ordtree_remove(&n->parent->order, &n->link);
}

void sorter_attach(hdrf_sorter *s, snode *n)
{
    if (maintained(s) && n->parent) {
        refresh_drf_share(s, n);
        ordtree_insert(&n->parent->order, &n->link);
    }
}

void sorter_rekey(hdrf_sorter *s, snode *n, bool counted)
{
    if (!maintained(s) || !n->parent)
        return;
    double before = n->wshare;
    refresh_drf_share(s, n);
    /* The key is (weighted share, count, name) and a count only grows, so
     * the key grew, shrank or stayed as the share did, or with the count
     * when the share stayed; a node whose key stayed stays in place. */
    int direction = n->wshare != before ? (n->wshare > before ? 1 : -1) : counted;
    if (direction == 0)
        return;
    s->rekeys++;
    s->rekey_moves += ordtree_update(&n->parent->order, &n->link, direction);
}

/* Re-orders n's children from scratch (their keys already computed). */
static void reorder_children(hdrf_sorter *s, snode *n)
{
    ordtree_init(&n->order, compare_nodes, s);
    for (snode *c = n->first_child; c; c = c->next_sibling)
        ordtree_insert(&n->order, &c->link);
}

/* ---- DRF: rebuild after totals or weights changed ------------------------------ */

static void drf_rebuild(hdrf_sorter *s, snode *n)
{
    for (snode *c = n->first_child; c; c = c->next_sibling) {
        if (!c->leaf)
            drf_rebuild(s, c);
        refresh_drf_share(s, c);
    }
    reorder_children(s, n);
}

/* ---- H-DRF ----------------------------------------------------------------------- */

/* Per dimension: saturated. Marked by the caller once it has said which
 * are (it knows what is allocatable; offered resources count as allocated
 * here); until then, fully allocated. */
static void find_saturated(const hdrf_sorter *s, bool *saturated)
{
    for (size_t d = 0; d < s->ndims; d++)
        saturated[d] = s->caller_saturation
                           ? s->marked[d]
                           : s->total[d] > 0 && s->total[d] - s->root.alloc[d] <= 0;
}

static double max_usage(const hdrf_sorter *s, const snode *n, const bool *skip)
{
    double share = 0.0;
    for (size_t d = 0; d < s->ndims; d++)
        if (counts_in_share(s, d) && !(skip && skip[d]) && n->usage[d] > share)
            share = n->usage[d];
    return share;
}

/* A leaf cannot grow when a resource its tasks need is saturated; what it
 * holds is what its tasks need, as far as the sorter can know. */
static bool holds_saturated(const hdrf_sorter *s, const snode *n, const bool *saturated)
{
    for (size_t d = 0; d < s->ndims; d++)
        if (counts_in_share(s, d) && n->alloc[d] > 0 && saturated[d])
            return true;
    return false;
}

static void hdrf_leaf(const hdrf_sorter *s, snode *n, const bool *saturated)
{
    for (size_t d = 0; d < s->ndims; d++)
        n->usage[d] = counts_in_share(s, d) ? to_double(n->alloc[d]) / s->total_units[d] : 0.0;
    n->share = max_usage(s, n, NULL);
    n->hblocked = !n->active || n->blocked || holds_saturated(s, n, saturated);
}

/* The heart of H-DRF: every non-blocked child counts as if it had progressed
 * only as far as the least-served non-blocked sibling (M); blocked children
 * count as they are; saturated resources do not count at all. */
static void hdrf_internal(const hdrf_sorter *s, snode *n, const bool *saturated)
{
    double least = INFINITY;
    for (snode *c = n->first_child; c; c = c->next_sibling)
        if (!c->hblocked && c->wshare < least)
            least = c->wshare;
    n->hblocked = least == INFINITY;
    memset(n->usage, 0, s->ndims * sizeof *n->usage);
    for (snode *c = n->first_child; c; c = c->next_sibling) {
        double scale = 1.0;
        if (!c->hblocked)
            scale = c->wshare > 0 ? least / c->wshare : 0.0;
        for (size_t d = 0; d < s->ndims; d++)
            n->usage[d] += scale * c->usage[d];
    }
    n->share = max_usage(s, n, saturated);
}

static void hdrf_rebuild(hdrf_sorter *s, snode *n, const bool *saturated)
{
    for (snode *c = n->first_child; c; c = c->next_sibling) {
        if (c->leaf)
            hdrf_leaf(s, c, saturated);
        else
            hdrf_rebuild(s, c, saturated);
        c->wshare = c->share / c->weight;
    }
    if (n->first_child)
        hdrf_internal(s, n, saturated);
    reorder_children(s, n);
}

/* ---- the walk --------------------------------------------------------------------- */

static void emit(hdrf_sorter *s, snode *leaf)
{
    leaf->rank = (long)s->nsorted;
    s->sorted[s->nsorted] = leaf;
    s->sorted_clients[s->nsorted] = leaf->client;
    s->nsorted++;
}

static void walk(hdrf_sorter *s, const snode *n)
{
    ordtree_iter it;
    ordtree_iter_init(&it, &n->order);
    for (ordnode *x; (x = ordtree_iter_next(&it));) {
        snode *c = SNODE_OF(x);
        if (!c->leaf)
            walk(s, c);
        else if (c->active)
            emit(s, c);
    }
}

/* ---- random -------------------------------------------------------------------------- */

/* Mesos's random sorter: one weighted sample without replacement over all
 * active leaves, a leaf weighing the product down its path of its weight
 * relative to its active siblings. Internal nodes without an active leaf do
 * not count as siblings. */
static size_t count_active_leaves(snode *n)
{
    if (n->leaf)
        return n->nactive = n->active;
    n->nactive = 0;
    for (snode *c = n->first_child; c; c = c->next_sibling)
        n->nactive += count_active_leaves(c);
    return n->nactive;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Efraimidis-Spirakis: sorting by u^(1/w) descending samples without
 * replacement proportionally to w; log(u)/w is the same order without
 * underflow for small weights. u is in (0, 1). */
static void draw_keys(hdrf_sorter *s, snode *n, double relative)
{
    double sum = 0.0;
    for (snode *c = n->first_child; c; c = c->next_sibling)
        if (c->nactive)
            sum += c->weight;
    for (snode *c = n->first_child; c; c = c->next_sibling) {
        if (!c->nactive)
            continue;
        double rw = relative * c->weight / sum;
        if (!c->leaf) {
            draw_keys(s, c, rw);
            continue;
        }
        double u = ((double)(splitmix64(&s->rng) >> 11) + 0.5) / 9007199254740992.0;
        c->key = log(u) / rw;
        emit(s, c);
    }
}

static int by_key_descending(const void *x, const void *y)
{
    const snode *a = *(snode *const *)x, *b = *(snode *const *)y;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return strcmp(a->path, b->path);
}

static void random_order(hdrf_sorter *s)
{
    count_active_leaves(&s->root);
    draw_keys(s, &s->root, 1.0);
    if (s->nsorted > 1) /* an empty sorter may have no array at all */
        qsort(s->sorted, s->nsorted, sizeof *s->sorted, by_key_descending);
    for (size_t i = 0; i < s->nsorted; i++) {
        s->sorted[i]->rank = (long)i;
        s->sorted_clients[i] = s->sorted[i]->client;
    }
}

/* ---- sort() ------------------------------------------------------------------------------ */

void sorter_forget_order(hdrf_sorter *s)
{
    for (size_t i = 0; i < s->nsorted; i++)
        s->sorted[i]->rank = -1;
    s->nsorted = 0;
}

int sorter_refresh(hdrf_sorter *s)
{
    if (s->order == HDRF_ORDER_DRF && s->dirty) {
        drf_rebuild(s, &s->root);
        s->dirty = false;
    } else if (s->order == HDRF_ORDER_HDRF) {
        bool *saturated = malloc((s->ndims ? s->ndims : 1) * sizeof *saturated);
        if (!saturated)
            return HDRF_ENOMEM;
        find_saturated(s, saturated);
        hdrf_rebuild(s, &s->root, saturated);
        free(saturated);
    }
    return HDRF_OK;
}

long hdrf_sorter_sort(hdrf_sorter *s, const char *const **order)
{
    *order = NULL;
    size_t cap = s->sorted_cap;
    if (array_reserve(&s->sorted, &cap, s->nleaves, sizeof *s->sorted) != HDRF_OK)
        return HDRF_ENOMEM;
    cap = s->sorted_cap;
    if (array_reserve(&s->sorted_clients, &cap, s->nleaves, sizeof *s->sorted_clients) != HDRF_OK)
        return HDRF_ENOMEM;
    s->sorted_cap = cap;
    if (sorter_refresh(s) != HDRF_OK)
        return HDRF_ENOMEM;
    sorter_forget_order(s);
    if (s->order == HDRF_ORDER_RANDOM)
        random_order(s);
    else
        walk(s, &s->root);
    *order = s->sorted_clients;
    return (long)s->nsorted;
}

/* The lazy walk: the same depth-first order as walk(), stopping early. */
static bool visit_subtree(const snode *n, hdrf_sorter_visit visit, void *arg)
{
    ordtree_iter it;
    ordtree_iter_init(&it, &n->order);
    for (ordnode *x; (x = ordtree_iter_next(&it));) {
        snode *c = SNODE_OF(x);
        if (!c->leaf) {
            if (!visit_subtree(c, visit, arg))
                return false;
        } else if (c->active && !visit(arg, c->client, c->data)) {
            return false;
        }
    }
    return true;
}

int hdrf_sorter_walk(hdrf_sorter *s, hdrf_sorter_visit visit, void *arg)
{
    if (s->order == HDRF_ORDER_RANDOM) {
        /* a fresh draw each time, as sort() makes */
        const char *const *order;
        long n = hdrf_sorter_sort(s, &order);
        if (n < 0)
            return (int)n;
        for (long i = 0; i < n && visit(arg, order[i], s->sorted[i]->data); i++)
            ;
        return HDRF_OK;
    }
    if (sorter_refresh(s) != HDRF_OK)
        return HDRF_ENOMEM;
    visit_subtree(&s->root, visit, arg);
    return HDRF_OK;
}

void sorter_order_init(hdrf_sorter *s, snode *n) { ordtree_init(&n->order, compare_nodes, s); }
