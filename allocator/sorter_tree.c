/* sorter_tree.c: the shape of the sorter's role tree.
 *
 * Clients are paths; the nodes above them exist while a client lies below.
 * Mesos keeps clients at the leaves, so a client `a` that gains a client
 * `a/b` below it moves into a virtual leaf `a/.` under the now internal node
 * `a`, and folds back when `a/b` goes. This file owns exactly that: creating
 * the chain of nodes for a new client (all memory obtained before anything
 * changes), and pruning or folding the chain when a client leaves. Shares and
 * orders belong to sorter_order.c; allocations to sorter.c. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "allocator/sorter_internal.h"

double sorter_weight_of(const hdrf_sorter *s, const char *path)
{
    const weight_entry *e = strmap_get(&s->weights, path);
    return e ? e->weight : 1.0;
}

/* ---- children list ---------------------------------------------------------- */

static void child_append(snode *parent, snode *child)
{
    child->parent = parent;
    child->prev_sibling = NULL;
    child->next_sibling = parent->first_child;
    if (parent->first_child)
        parent->first_child->prev_sibling = child;
    parent->first_child = child;
    parent->nchildren++;
}

static void child_unlink(snode *child)
{
    snode *parent = child->parent;
    if (child->prev_sibling)
        child->prev_sibling->next_sibling = child->next_sibling;
    else
        parent->first_child = child->next_sibling;
    if (child->next_sibling)
        child->next_sibling->prev_sibling = child->prev_sibling;
    parent->nchildren--;
    child->prev_sibling = child->next_sibling = NULL;
}

/* ---- nodes --------------------------------------------------------------------- */

held *held_new(const char *agent)
{
    size_t len = strlen(agent);
    held *h = malloc(sizeof *h + len + 1);
    if (!h)
        return NULL;
    memcpy(h->agent, agent, len + 1);
    if (!(h->resources = hdrf_resources_new())) {
        free(h);
        return NULL;
    }
    return h;
}

void held_free(held *h)
{
    if (h) {
        hdrf_resources_free(h->resources);
        free(h);
    }
}

static void free_held_map(strmap *m)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    while (strmap_next(m, &cursor, &key, &value))
        held_free(value);
    strmap_free(m);
}

void sorter_node_release(snode *n)
{
    free_held_map(&n->holdings);
    free_held_map(&n->shared);
    free(n->alloc);
    free(n->usage);
    free(n->path);
}

static void node_free(hdrf_sorter *s, snode *n)
{
    if (n) {
        sorter_node_release(n);
        pool_free(&s->node_pool, n);
    }
}

/* Siblings share their parent's path, so comparing names orders them as
 * Mesos's comparison of whole paths does. */
static void set_name(snode *n)
{
    const char *slash = strrchr(n->path, '/');
    n->name = slash ? slash + 1 : n->path;
    n->name_key = 0;
    for (size_t i = 0; i < 8; i++) {
        n->name_key <<= 8;
        if (n->name[i] == '\0') {
            n->name_key <<= 8 * (7 - i);
            break;
        }
        n->name_key |= (unsigned char)n->name[i];
    }
}

void sorter_node_init(hdrf_sorter *s, snode *n)
{
    if (n->path)
        set_name(n);
    n->rank = -1;
    n->weight = n->path ? sorter_weight_of(s, n->path) : 1.0;
    n->holdings = (strmap)STRMAP_INIT;
    n->shared = (strmap)STRMAP_INIT;
    sorter_order_init(s, n);
}

/* A detached node for tree path path[0..len), zero allocation. */
static snode *node_new(hdrf_sorter *s, const char *path, size_t len, bool leaf)
{
    size_t cap = s->dim_cap ? s->dim_cap : 1;
    snode *n = pool_alloc(&s->node_pool);
    if (!n)
        return NULL;
    n->path = strndup(path, len);
    n->alloc = calloc(cap, sizeof *n->alloc);
    n->usage = calloc(cap, sizeof *n->usage);
    if (!n->path || !n->alloc || !n->usage) {
        free(n->path);
        free(n->alloc);
        free(n->usage);
        pool_free(&s->node_pool, n);
        return NULL;
    }
    n->leaf = leaf;
    n->client = leaf ? n->path : NULL;
    sorter_node_init(s, n);
    return n;
}

snode *sorter_find(const hdrf_sorter *s, const char *path) { return strmap_get(&s->nodes, path); }

/* Copies a map of agent id -> resources (the shared holdings of a node). */
static int copy_held_map(const strmap *from, strmap *to)
{
    size_t cursor = 0;
    const char *key;
    void *value;
    *to = (strmap)STRMAP_INIT;
    if (strmap_reserve(to, from->n) != HDRF_OK)
        return HDRF_ENOMEM;
    while (strmap_next(from, &cursor, &key, &value)) {
        const held *h = value;
        held *copy = held_new(h->agent);
        if (!copy || hdrf_resources_add(copy->resources, h->resources) != HDRF_OK) {
            held_free(copy);
            free_held_map(to);
            return HDRF_ENOMEM;
        }
        strmap_put(to, copy->agent, copy); /* reserved: cannot fail */
    }
    return HDRF_OK;
}

/* ---- add --------------------------------------------------------------------- */

/* What adding a client needs, all obtained before the tree changes. */
typedef struct add_plan {
    snode *at;       /* the deepest existing node on the path (maybe root) */
    size_t consumed; /* bytes of the client path `at` stands for */
    bool fold_out;   /* `at` is a client leaf that becomes internal */
    snode *dot;      /* the virtual leaf `at/.`, when one is needed */
    strmap dot_shared;
    snode **fresh; /* nodes for the rest of the path, top-down */
    size_t nfresh;
} add_plan;

static size_t count_components(const char *path)
{
    size_t n = 1;
    for (const char *c = path; *c; c++)
        n += *c == '/';
    return n;
}

/* Finds the deepest existing node on the client's path. Mesos stops at the
 * first leaf: a client that is a proper prefix of the new one. `probe` is a
 * writable copy of the client path. */
static void find_deepest(hdrf_sorter *s, char *probe, add_plan *plan)
{
    size_t len = strlen(probe);
    plan->at = &s->root;
    plan->consumed = 0;
    for (size_t end = 0; end <= len && !(plan->at != &s->root && plan->at->leaf); end++) {
        char c = probe[end];
        if (c != '/' && c != '\0')
            continue;
        probe[end] = '\0';
        snode *n = sorter_find(s, probe);
        probe[end] = c;
        if (!n)
            break;
        plan->at = n;
        plan->consumed = end;
    }
}

static void plan_free(hdrf_sorter *s, add_plan *plan)
{
    for (size_t i = 0; i < plan->nfresh; i++)
        node_free(s, plan->fresh[i]);
    free(plan->fresh);
    node_free(s, plan->dot);
    free_held_map(&plan->dot_shared);
}

static int plan_add(hdrf_sorter *s, const char *client, add_plan *plan)
{
    size_t len = strlen(client);
    int rc = HDRF_ENOMEM;
    char *probe = strdup(client);
    if (!probe)
        return rc;
    find_deepest(s, probe, plan);
    free(probe);
    bool complete = plan->at != &s->root && plan->consumed == len;
    plan->fold_out = !complete && plan->at != &s->root && plan->at->leaf;
    if (complete || plan->fold_out) {
        size_t plen = strlen(plan->at->path);
        char *dot_path = malloc(plen + 3);
        if (!dot_path)
            return rc;
        memcpy(dot_path, plan->at->path, plen);
        memcpy(dot_path + plen, "/.", 3);
        plan->dot = node_new(s, dot_path, plen + 2, true);
        free(dot_path);
        if (!plan->dot)
            return rc;
        if (plan->fold_out && copy_held_map(&plan->at->shared, &plan->dot_shared) != HDRF_OK)
            return rc;
    }
    size_t start = plan->at == &s->root ? 0 : plan->consumed + 1;
    if (!complete) {
        plan->fresh = calloc(count_components(client + start), sizeof *plan->fresh);
        if (!plan->fresh)
            return rc;
        for (size_t end = start; end <= len; end++) {
            if (client[end] != '/' && client[end] != '\0')
                continue;
            snode *n = node_new(s, client, end, end == len);
            if (!n)
                return rc;
            plan->fresh[plan->nfresh++] = n;
        }
    }
    if (strmap_reserve(&s->nodes, plan->nfresh + (plan->dot != NULL)) != HDRF_OK ||
        strmap_reserve(&s->clients, 1) != HDRF_OK)
        return rc;
    return HDRF_OK;
}

static void insert_node(hdrf_sorter *s, snode *parent, snode *n)
{
    child_append(parent, n);
    strmap_put(&s->nodes, n->path, n); /* reserved by plan_add */
    sorter_attach(s, n);
}

/* A client leaf `at` that gains children: its holdings, state and a copy of
 * its allocation move into the virtual leaf `at/.` (Mesos copies the count
 * too); `at` keeps its allocation, now the aggregate of its subtree. */
static void fold_out(hdrf_sorter *s, snode *at, snode *dot, strmap *dot_shared)
{
    sorter_detach(s, at);
    dot->active = at->active;
    dot->blocked = at->blocked;
    dot->data = at->data;
    dot->count = at->count;
    dot->client = at->path;
    memcpy(dot->alloc, at->alloc, s->ndims * sizeof *at->alloc);
    dot->holdings = at->holdings;
    dot->shared = *dot_shared;
    *dot_shared = (strmap)STRMAP_INIT;
    at->holdings = (strmap)STRMAP_INIT;
    at->leaf = false;
    at->active = at->blocked = false;
    at->data = NULL;
    sorter_order_init(s, at); /* a leaf's order may hold stale links */
    at->client = NULL;
    strmap_remove(&s->clients, at->path);
    strmap_put(&s->clients, dot->client, dot); /* the slot just freed */
    sorter_attach(s, at);
}

int sorter_tree_add(hdrf_sorter *s, const char *client)
{
    add_plan plan = {0};
    plan.dot_shared = (strmap)STRMAP_INIT;
    int rc = plan_add(s, client, &plan);
    if (rc != HDRF_OK) {
        plan_free(s, &plan);
        return rc;
    }
    if (plan.fold_out)
        fold_out(s, plan.at, plan.dot, &plan.dot_shared);
    if (plan.dot) {
        insert_node(s, plan.at, plan.dot);
        if (!plan.fold_out) {
            plan.dot->client = plan.at->path;
            strmap_put(&s->clients, plan.dot->client, plan.dot);
        }
        plan.dot = NULL;
    }
    snode *parent = plan.at;
    for (size_t i = 0; i < plan.nfresh; i++) {
        insert_node(s, parent, plan.fresh[i]);
        parent = plan.fresh[i];
    }
    if (plan.nfresh) {
        strmap_put(&s->clients, parent->client, parent);
        plan.nfresh = 0;
    }
    s->nleaves++;
    plan_free(s, &plan);
    return HDRF_OK;
}

/* ---- remove ----------------------------------------------------------------------- */

static void delete_node(hdrf_sorter *s, snode *n)
{
    sorter_detach(s, n);
    child_unlink(n);
    strmap_remove(&s->nodes, n->path);
    node_free(s, n);
}

/* An internal node left with only its virtual leaf becomes that client's
 * leaf again; it keeps its own count, the history of its whole subtree. */
static void fold_in(hdrf_sorter *s, snode *n)
{
    snode *dot = n->first_child;
    sorter_detach(s, n);
    n->leaf = true;
    n->active = dot->active;
    n->blocked = dot->blocked;
    n->data = dot->data;
    n->client = n->path;
    memcpy(n->alloc, dot->alloc, s->ndims * sizeof *n->alloc);
    strmap held = n->holdings, shared = n->shared;
    n->holdings = dot->holdings;
    n->shared = dot->shared;
    dot->holdings = held;
    dot->shared = shared;
    strmap_remove(&s->clients, n->path);
    delete_node(s, dot);
    /* While orders are not maintained, the removal above left the link of
     * the freed node in n's order: start it afresh. */
    sorter_order_init(s, n);
    strmap_put(&s->clients, n->client, n); /* the slot just freed */
    sorter_attach(s, n);
}

void sorter_tree_remove(hdrf_sorter *s, snode *leaf)
{
    strmap_remove(&s->clients, leaf->client);
    s->nleaves--;
    snode *n = leaf;
    while (n != &s->root) {
        snode *parent = n->parent;
        if (n->nchildren == 0)
            delete_node(s, n);
        else if (n->nchildren == 1 && n->first_child->leaf && n->first_child->client == n->path)
            fold_in(s, n);
        n = parent;
    }
}
