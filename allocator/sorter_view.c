/* sorter_view.c: what the sorter tells about itself.
 *
 * Read-only questions (what a client holds, its share and rank) and the
 * tree dump for logs and the simulator. Kept apart from sorter.c so that the
 * file that changes state stays about changing state. */
#include <stdlib.h>
#include <string.h>

#include "lib/sbuf.h"
#include "allocator/sorter_internal.h"

const hdrf_resources *hdrf_sorter_allocation(const hdrf_sorter *s, const char *client,
                                             const char *agent)
{
    const snode *leaf = sorter_client(s, client);
    const held *h = leaf && agent ? strmap_get(&leaf->holdings, agent) : NULL;
    return h ? h->resources : NULL;
}

bool hdrf_sorter_allocation_next(const hdrf_sorter *s, const char *client, size_t *cursor,
                                 const char **agent, const hdrf_resources **resources)
{
    const snode *leaf = sorter_client(s, client);
    void *value;
    if (!leaf || !strmap_next(&leaf->holdings, cursor, agent, &value))
        return false;
    *resources = ((const held *)value)->resources;
    return true;
}

/* A client's leaf first (Mesos answers for the client, not its subtree),
 * else the internal node of that path. */
static const snode *path_node(const hdrf_sorter *s, const char *path)
{
    if (!path)
        return NULL;
    const snode *n = sorter_client(s, path);
    return n ? n : sorter_find(s, path);
}

static hdrf_quantities *quantities_of(const hdrf_sorter *s, const int64_t *vec)
{
    hdrf_quantities *q = hdrf_quantities_new();
    for (size_t d = 0; q && d < s->ndims; d++) {
        if (vec[d] > 0 && hdrf_quantities_set(q, s->dim_names[d], vec[d]) != HDRF_OK) {
            hdrf_quantities_free(q);
            q = NULL;
        }
    }
    return q;
}

hdrf_quantities *hdrf_sorter_allocated_quantities(const hdrf_sorter *s, const char *path)
{
    const snode *n = path ? path_node(s, path) : &s->root;
    return n ? quantities_of(s, n->alloc) : NULL;
}

hdrf_quantities *hdrf_sorter_total_quantities(const hdrf_sorter *s)
{
    return quantities_of(s, s->total);
}

/* DRF and random shares are current; H-DRF's are those of the last sort(). */
static double share_of(const hdrf_sorter *s, const snode *n)
{
    return s->order == HDRF_ORDER_HDRF ? n->share : sorter_drf_share(s, n->alloc);
}

double hdrf_sorter_share(const hdrf_sorter *s, const char *path)
{
    const snode *n = path_node(s, path);
    return n ? share_of(s, n) : -1.0;
}

double hdrf_sorter_weighted_share(const hdrf_sorter *s, const char *path)
{
    const snode *n = path_node(s, path);
    return n ? share_of(s, n) / n->weight : -1.0;
}

bool hdrf_sorter_hdrf_blocked(const hdrf_sorter *s, const char *path)
{
    const snode *n = s->order == HDRF_ORDER_HDRF ? path_node(s, path) : NULL;
    return n && n->hblocked;
}

uint64_t hdrf_sorter_allocation_count(const hdrf_sorter *s, const char *path)
{
    const snode *n = path_node(s, path);
    return n ? n->count : 0;
}

long hdrf_sorter_rank(const hdrf_sorter *s, const char *client)
{
    const snode *leaf = sorter_client(s, client);
    return leaf ? leaf->rank : -1;
}

/* ---- dump ----------------------------------------------------------------------------------- */

static void dump_children(const hdrf_sorter *s, const snode *n, int depth, sbuf *b);

static void dump_node(const hdrf_sorter *s, const snode *n, int depth, sbuf *b)
{
    const char *slash = strrchr(n->path, '/');
    double share = share_of(s, n);
    sbuf_printf(b, "%*s%s weight=%g share=%.6f wshare=%.6f count=%llu", 2 * depth, "",
                slash ? slash + 1 : n->path, n->weight, share, share / n->weight,
                (unsigned long long)n->count);
    if (n->leaf)
        sbuf_printf(b, " %s%s", n->active ? "active" : "inactive", n->blocked ? " blocked" : "");
    if (s->order == HDRF_ORDER_HDRF && n->hblocked)
        sbuf_puts(b, " hdrf-blocked");
    if (n->rank >= 0)
        sbuf_printf(b, " rank=%ld", n->rank);
    sbuf_putc(b, '\n');
    dump_children(s, n, depth + 1, b);
}

/* In fairness order; the random sorter has none, so in tree order. */
static void dump_children(const hdrf_sorter *s, const snode *n, int depth, sbuf *b)
{
    if (s->order == HDRF_ORDER_RANDOM) {
        for (const snode *c = n->first_child; c; c = c->next_sibling)
            dump_node(s, c, depth, b);
        return;
    }
    ordtree_iter it;
    ordtree_iter_init(&it, &n->order);
    for (ordnode *x; (x = ordtree_iter_next(&it));)
        dump_node(s, SNODE_OF(x), depth, b);
}

char *hdrf_sorter_dump(hdrf_sorter *s)
{
    static const char *const names[] = {"drf", "hdrf", "random"};
    sbuf b = SBUF_INIT;
    if (sorter_refresh(s) != HDRF_OK)
        return NULL;
    sbuf_printf(&b, "sorter %s: %zu clients\n", names[s->order], s->clients.n);
    dump_children(s, &s->root, 0, &b);
    return sbuf_finish(&b);
}
