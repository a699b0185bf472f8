/* sorter.c: the sorter's public API: clients, weights, agents, allocations.
 *
 * An allocation change is one walk from a leaf to the root: every node on the
 * path adds the change to its allocation vector and, under DRF, is
 * re-positioned among its siblings (sorter_rekey); nothing else in the tree
 * is touched. Dimensions (resource names) are interned once, so the hot path
 * does integer arithmetic on short vectors, not name lookups per node. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "allocator/sorter_internal.h"
#include "allocator/sorter_vector.h"

static void agent_total_free(agent_total *a)
{
    free(a->id);
    free(a);
}

/* ---- dimensions ------------------------------------------------------------------ */

static bool name_listed(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static int grow_vector(void *vec, size_t elem, size_t old_cap, size_t cap)
{
    void **v = vec;
    char *grown = realloc(*v, cap * elem);
    if (!grown)
        return HDRF_ENOMEM;
    memset(grown + old_cap * elem, 0, (cap - old_cap) * elem);
    *v = grown;
    return HDRF_OK;
}

static int grow_node(snode *n, size_t old_cap, size_t cap)
{
    if (grow_vector(&n->alloc, sizeof *n->alloc, old_cap, cap) != HDRF_OK ||
        grow_vector(&n->usage, sizeof *n->usage, old_cap, cap) != HDRF_OK)
        return HDRF_ENOMEM;
    return HDRF_OK;
}

/* Grows every per-dimension vector. A failure part-way leaves some vectors
 * larger than dim_cap, which is harmless: dim_cap stays the bound in use. */
static int grow_dims(hdrf_sorter *s)
{
    size_t old = s->dim_cap, cap = old * 2;
    size_t cursor = 0;
    const char *key;
    void *value;
    if (grow_vector(&s->dim_names, sizeof *s->dim_names, old, cap) != HDRF_OK ||
        grow_vector(&s->excluded, sizeof *s->excluded, old, cap) != HDRF_OK ||
        grow_vector(&s->marked, sizeof *s->marked, old, cap) != HDRF_OK ||
        grow_vector(&s->total, sizeof *s->total, old, cap) != HDRF_OK ||
        grow_vector(&s->total_units, sizeof *s->total_units, old, cap) != HDRF_OK ||
        grow_vector(&s->delta, sizeof *s->delta, old, cap) != HDRF_OK ||
        grow_node(&s->root, old, cap) != HDRF_OK)
        return HDRF_ENOMEM;
    while (strmap_next(&s->nodes, &cursor, &key, &value))
        if (grow_node(value, old, cap) != HDRF_OK)
            return HDRF_ENOMEM;
    s->dim_cap = cap;
    return HDRF_OK;
}

static long intern_dim(hdrf_sorter *s, const char *name)
{
    void *found = strmap_get(&s->dims, name);
    if (found)
        return (long)((uintptr_t)found - 1);
    if (s->ndims == s->dim_cap && grow_dims(s) != HDRF_OK)
        return -1;
    if (strmap_reserve(&s->dims, 1) != HDRF_OK)
        return -1;
    char *copy = strdup(name);
    if (!copy)
        return -1;
    size_t d = s->ndims++;
    s->dim_names[d] = copy;
    s->excluded[d] = name_listed(s->excluded_names, s->nexcluded, name);
    s->marked[d] = name_listed(s->marked_names, s->nmarked, name);
    s->total[d] = 0;
    s->total_units[d] = 0.0;
    strmap_put(&s->dims, copy, (void *)(uintptr_t)(d + 1));
    return (long)d;
}

/* The lookup every allocation change makes per resource: the well-known
 * names (lib/rstr.h: one static string each, which every resource carries)
 * by pointer, the others through `dims`. */
long sorter_dim(hdrf_sorter *s, const char *name)
{
    int k = rstr_known(name);
    if (k >= 0 && s->known_dim[k] >= 0)
        return s->known_dim[k];
    long d = intern_dim(s, name);
    if (k >= 0 && d >= 0)
        s->known_dim[k] = d;
    return d;
}

/* ---- creation ------------------------------------------------------------------- */

static int copy_names(const char *const *names, size_t n, char ***out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!((*out)[i] = strdup(names[i])))
            return HDRF_ENOMEM;
    return HDRF_OK;
}

static void free_names(char **names, size_t n)
{
    if (names)
        for (size_t i = 0; i < n; i++)
            free(names[i]);
    free(names);
}

int hdrf_sorter_new(const hdrf_sorter_options *options, hdrf_sorter **out)
{
    static const char *const default_excluded[] = {"gpus"};
    hdrf_sorter_options defaults = {HDRF_ORDER_DRF, 0, NULL, 0};
    const hdrf_sorter_options *o = options ? options : &defaults;
    *out = NULL;
    if (o->order != HDRF_ORDER_DRF && o->order != HDRF_ORDER_HDRF && o->order != HDRF_ORDER_RANDOM)
        return HDRF_EINVAL;
    const char *const *excluded = o->excluded ? o->excluded : default_excluded;
    size_t nexcluded = o->excluded ? o->nexcluded : 1;

    hdrf_sorter *s = calloc(1, sizeof *s);
    if (!s)
        return HDRF_ENOMEM;
    s->order = o->order;
    s->track_agents = true;
    for (size_t k = 0; k < RSTR_NKNOWN; k++)
        s->known_dim[k] = -1;
    pool_init(&s->node_pool, sizeof(snode));
    s->rng = o->seed;
    s->dim_cap = 8;
    s->nexcluded = nexcluded;
    s->root.path = strdup("");
    s->dim_names = calloc(s->dim_cap, sizeof *s->dim_names);
    s->excluded = calloc(s->dim_cap, sizeof *s->excluded);
    s->marked = calloc(s->dim_cap, sizeof *s->marked);
    s->total = calloc(s->dim_cap, sizeof *s->total);
    s->total_units = calloc(s->dim_cap, sizeof *s->total_units);
    s->delta = calloc(s->dim_cap, sizeof *s->delta);
    s->root.alloc = calloc(s->dim_cap, sizeof *s->root.alloc);
    s->root.usage = calloc(s->dim_cap, sizeof *s->root.usage);
    sorter_node_init(s, &s->root);
    int rc = copy_names(excluded, nexcluded, &s->excluded_names);
    if (rc != HDRF_OK || !s->root.path || !s->dim_names || !s->excluded || !s->marked ||
        !s->total || !s->total_units || !s->delta || !s->root.alloc || !s->root.usage) {
        hdrf_sorter_free(s);
        return HDRF_ENOMEM;
    }
    *out = s;
    return HDRF_OK;
}

/* Releases what the nodes own; their memory goes with the pool. */
static void release_nodes(snode *n)
{
    for (snode *c = n->first_child; c; c = c->next_sibling) {
        release_nodes(c);
        sorter_node_release(c);
    }
}

void hdrf_sorter_free(hdrf_sorter *s)
{
    if (!s)
        return;
    size_t cursor = 0;
    const char *key;
    void *value;
    release_nodes(&s->root);
    sorter_node_release(&s->root);
    pool_destroy(&s->node_pool);
    while (strmap_next(&s->weights, &cursor, &key, &value))
        free(value);
    cursor = 0;
    while (strmap_next(&s->agents, &cursor, &key, &value))
        agent_total_free(value);
    strmap_free(&s->nodes);
    strmap_free(&s->clients);
    strmap_free(&s->weights);
    strmap_free(&s->agents);
    strmap_free(&s->dims);
    free(s->vector_dims);
    free_names(s->dim_names, s->ndims);
    free_names(s->excluded_names, s->nexcluded);
    free_names(s->marked_names, s->nmarked);
    free(s->excluded);
    free(s->marked);
    free(s->total);
    free(s->total_units);
    free(s->delta);
    free(s->sorted);
    free(s->sorted_clients);
    free(s);
}

int hdrf_sorter_set_track_agents(hdrf_sorter *s, bool track)
{
    if (s->clients.n > 0)
        return HDRF_EINVAL;
    s->track_agents = track;
    return HDRF_OK;
}

/* ---- clients ------------------------------------------------------------------------- */

/* Clients are role paths or framework ids: non-empty components, none of
 * them "." (reserved for virtual leaves) or "..". */
static bool path_valid(const char *path)
{
    if (!path || !*path)
        return false;
    for (const char *c = path;;) {
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return false;
        if (!c[n])
            return true;
        c += n + 1;
    }
}

snode *sorter_client(const hdrf_sorter *s, const char *client)
{
    return client ? strmap_get(&s->clients, client) : NULL;
}

int hdrf_sorter_add(hdrf_sorter *s, const char *client)
{
    if (!path_valid(client))
        return HDRF_EINVAL;
    if (sorter_client(s, client))
        return HDRF_EEXIST;
    return sorter_tree_add(s, client);
}

static int set_active(hdrf_sorter *s, const char *client, bool active)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    leaf->active = active;
    return HDRF_OK;
}

int hdrf_sorter_set_data(hdrf_sorter *s, const char *client, void *data)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    leaf->data = data;
    return HDRF_OK;
}

void *hdrf_sorter_data(const hdrf_sorter *s, const char *client)
{
    snode *leaf = sorter_client(s, client);
    return leaf ? leaf->data : NULL;
}

int hdrf_sorter_activate(hdrf_sorter *s, const char *client) { return set_active(s, client, true); }

int hdrf_sorter_deactivate(hdrf_sorter *s, const char *client)
{
    return set_active(s, client, false);
}

bool hdrf_sorter_contains(const hdrf_sorter *s, const char *client)
{
    return sorter_client(s, client) != NULL;
}

bool hdrf_sorter_is_active(const hdrf_sorter *s, const char *client)
{
    const snode *leaf = sorter_client(s, client);
    return leaf && leaf->active;
}

size_t hdrf_sorter_count(const hdrf_sorter *s) { return s->clients.n; }

int hdrf_sorter_set_blocked(hdrf_sorter *s, const char *client, bool blocked)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    leaf->blocked = blocked;
    return HDRF_OK;
}

/* ---- weights ---------------------------------------------------------------------------- */

double hdrf_sorter_weight(const hdrf_sorter *s, const char *path)
{
    return sorter_weight_of(s, path);
}

int hdrf_sorter_set_weight(hdrf_sorter *s, const char *path, double weight)
{
    if (!path_valid(path) || !isfinite(weight) || weight <= 0)
        return HDRF_EINVAL;
    weight_entry *e = strmap_get(&s->weights, path);
    if (!e) {
        size_t len = strlen(path);
        if (strmap_reserve(&s->weights, 1) != HDRF_OK || !(e = malloc(sizeof *e + len + 1)))
            return HDRF_ENOMEM;
        memcpy(e->path, path, len + 1);
        strmap_put(&s->weights, e->path, e);
    }
    e->weight = weight;
    /* The node named by the path takes the weight (for a client with
     * clients below it, the internal node: its virtual leaf weighs 1). */
    snode *n = sorter_find(s, path);
    if (n) {
        n->weight = weight;
        sorter_rekey(s, n, false);
    }
    return HDRF_OK;
}

/* ---- agents ----------------------------------------------------------------------------- */

int hdrf_sorter_add_agent(hdrf_sorter *s, const char *agent, const hdrf_resources *total)
{
    if (!agent || !total || s->totals_given)
        return HDRF_EINVAL;
    if (strmap_get(&s->agents, agent))
        return HDRF_EEXIST;
    size_t n = hdrf_resources_size(total), len = strlen(agent);
    for (size_t i = 0; i < n; i++) {
        const hdrf_resource *r = hdrf_resources_at(total, i);
        if (hdrf_resource_type(r) == HDRF_SCALAR && sorter_dim(s, hdrf_resource_name(r)) < 0)
            return HDRF_ENOMEM;
    }
    agent_total *a = malloc(sizeof *a + n * sizeof a->items[0]);
    char *id = malloc(len + 1);
    if (!a || !id || strmap_reserve(&s->agents, 1) != HDRF_OK) {
        free(a);
        free(id);
        return HDRF_ENOMEM;
    }
    a->id = memcpy(id, agent, len + 1);
    a->n = 0;
    for (size_t i = 0; i < n; i++) {
        const hdrf_resource *r = hdrf_resources_at(total, i);
        if (hdrf_resource_type(r) != HDRF_SCALAR)
            continue;
        size_t d = (size_t)sorter_dim(s, hdrf_resource_name(r));
        a->items[a->n].dim = d;
        a->items[a->n].amount = hdrf_resource_scalar(r);
        s->total[d] += a->items[a->n].amount;
        sorter_total_changed(s, d);
        a->n++;
    }
    strmap_put(&s->agents, a->id, a);
    sorter_mark_dirty(s);
    return HDRF_OK;
}

int hdrf_sorter_remove_agent(hdrf_sorter *s, const char *agent)
{
    agent_total *a = agent ? strmap_remove(&s->agents, agent) : NULL;
    if (!a)
        return HDRF_ENOTFOUND;
    for (size_t i = 0; i < a->n; i++) {
        s->total[a->items[i].dim] -= a->items[i].amount;
        sorter_total_changed(s, a->items[i].dim);
    }
    agent_total_free(a);
    sorter_mark_dirty(s);
    return HDRF_OK;
}

int hdrf_sorter_set_totals(hdrf_sorter *s, const hdrf_quantities *totals)
{
    if (!totals || s->agents.n > 0)
        return HDRF_EINVAL;
    size_t n = hdrf_quantities_size(totals);
    for (size_t i = 0; i < n; i++) /* every name first: a failure changes nothing */
        if (sorter_dim(s, hdrf_quantities_name(totals, i)) < 0)
            return HDRF_ENOMEM;
    s->totals_given = true;
    bool changed = false;
    for (size_t d = 0; d < s->ndims; d++) {
        int64_t want = hdrf_quantities_get(totals, s->dim_names[d]);
        if (want != s->total[d]) {
            s->total[d] = want;
            sorter_total_changed(s, d);
            changed = true;
        }
    }
    if (changed)
        sorter_mark_dirty(s);
    return HDRF_OK;
}

/* ---- allocations ------------------------------------------------------------------------ */

/* Fills s->delta with the non-shared scalar amounts of rs, interning their
 * names (one lookup each: this is the hot path), and tells whether rs holds
 * shared resources. Interning may grow s->delta; its new slots are zero. */
static int prepare_delta(hdrf_sorter *s, const hdrf_resources *rs, bool *shared)
{
    size_t n = hdrf_resources_size(rs);
    *shared = false;
    memset(s->delta, 0, s->ndims * sizeof *s->delta);
    for (size_t i = 0; i < n; i++) {
        const hdrf_resource *r = hdrf_resources_at(rs, i);
        if (hdrf_resource_type(r) != HDRF_SCALAR)
            continue;
        long d = sorter_dim(s, hdrf_resource_name(r));
        if (d < 0)
            return HDRF_ENOMEM;
        if (hdrf_resource_is_shared(r))
            *shared = true;
        else
            s->delta[d] += hdrf_resource_scalar(r);
    }
    return HDRF_OK;
}

/* Adds `sign` times one copy of every distinct shared scalar in `held`. */
static void count_shared(hdrf_sorter *s, const hdrf_resources *held, int64_t *vec, int sign)
{
    size_t n = held ? hdrf_resources_size(held) : 0;
    for (size_t i = 0; i < n; i++) {
        const hdrf_resource *r = hdrf_resources_at(held, i);
        if (hdrf_resource_type(r) == HDRF_SCALAR)
            vec[sorter_dim(s, hdrf_resource_name(r))] += sign * hdrf_resource_scalar(r);
    }
}

/* The holding of `agent` in map m, created empty when `create` is set. */
static held *holding(strmap *m, const char *agent, bool create)
{
    held *h = strmap_get(m, agent);
    if (h || !create)
        return h;
    if (!(h = held_new(agent)))
        return NULL;
    if (strmap_put(m, h->agent, h) != HDRF_OK) {
        held_free(h);
        return NULL;
    }
    return h;
}

/* Drops holding h of map m once it is empty. Taking the holding, not the
 * agent, spares a second lookup per call on the hot path. */
static void drop_if_empty(strmap *m, held *h)
{
    if (hdrf_resources_empty(h->resources))
        held_free(strmap_remove(m, h->agent));
}

/* Applies shared resources to a node's per-agent shared holdings; the node's
 * allocation changes by what becomes present or absent on that agent. */
static int change_shared(hdrf_sorter *s, snode *n, const char *agent, const hdrf_resources *shared,
                         int sign)
{
    held *h = holding(&n->shared, agent, true);
    if (!h)
        return HDRF_ENOMEM;
    count_shared(s, h->resources, n->alloc, -1);
    int rc = sign > 0 ? hdrf_resources_add(h->resources, shared)
                      : hdrf_resources_subtract(h->resources, shared);
    count_shared(s, h->resources, n->alloc, +1);
    drop_if_empty(&n->shared, h);
    return rc;
}

/* The walk every allocation change makes: from `from` up to the root, each
 * node takes `sign` times s->delta (see prepare_delta) plus its change in
 * `shared` (rs's shared resources, or NULL when it has none) and, for
 * allocated(), one more count. Only the shared bookkeeping can fail (out of
 * memory), and then nothing has changed; taking away up to 16 resources
 * needs no memory (hdrf_resources_subtract works on the stack then). */
static int apply_shared_delta(hdrf_sorter *s, snode *from, const char *agent,
                              const hdrf_resources *shared, int sign, bool counted)
{
    snode *failed = NULL;
    for (snode *n = from; shared && n && !failed; n = n->parent)
        if (change_shared(s, n, agent, shared, sign) != HDRF_OK)
            failed = n;
    if (failed) { /* undo the shared holdings changed so far */
        for (snode *n = from; n != failed; n = n->parent)
            change_shared(s, n, agent, shared, -sign);
        return HDRF_ENOMEM;
    }
    for (snode *n = from; n; n = n->parent) {
        for (size_t d = 0; d < s->ndims; d++)
            n->alloc[d] += sign * s->delta[d];
        n->count += counted;
        sorter_rekey(s, n, counted);
    }
    return HDRF_OK;
}

static int apply_delta(hdrf_sorter *s, snode *from, const char *agent, const hdrf_resources *rs,
                       bool any_shared, int sign, bool counted)
{
    hdrf_resources *shared = any_shared ? hdrf_resources_shared(rs) : NULL;
    if (any_shared && !shared)
        return HDRF_ENOMEM;
    int rc = apply_shared_delta(s, from, agent, shared, sign, counted);
    hdrf_resources_free(shared);
    return rc;
}

static int change_path(hdrf_sorter *s, snode *from, const char *agent, const hdrf_resources *rs,
                       int sign, bool counted)
{
    bool shared;
    int rc = prepare_delta(s, rs, &shared);
    return rc == HDRF_OK ? apply_delta(s, from, agent, rs, shared, sign, counted) : rc;
}

int hdrf_sorter_allocated(hdrf_sorter *s, const char *client, const char *agent,
                          const hdrf_resources *resources)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    if (!agent || !resources)
        return HDRF_EINVAL;
    if (!s->track_agents)
        return change_path(s, leaf, agent, resources, +1, true);
    held *h = holding(&leaf->holdings, agent, true);
    if (!h)
        return HDRF_ENOMEM;
    bool shared;
    int rc = prepare_delta(s, resources, &shared);
    if (rc == HDRF_OK)
        rc = hdrf_resources_add(h->resources, resources);
    /* apply_delta fails only on shared resources (a copy of the holding
     * would cost every allocation): undo the add then */
    if (rc == HDRF_OK && (rc = apply_delta(s, leaf, agent, resources, shared, +1, true)) != HDRF_OK)
        hdrf_resources_subtract(h->resources, resources);
    drop_if_empty(&leaf->holdings, h);
    return rc;
}

/* Whether the leaf's totals cover the non-shared scalars of s->delta and,
 * for `shared` (may be NULL), its shared record on the agent covers them. */
static bool covers(const hdrf_sorter *s, const snode *leaf, const char *agent,
                   const hdrf_resources *shared)
{
    for (size_t d = 0; d < s->ndims; d++)
        if (leaf->alloc[d] < s->delta[d])
            return false;
    if (!shared)
        return true;
    const held *h = strmap_get(&leaf->shared, agent);
    return h && hdrf_resources_contains(h->resources, shared);
}

/* replace() for a sorter without per-agent holdings: the totals must cover
 * `before`; then its walk down and the walk up of `after`. Only shared
 * resources can fail (out of memory), and then the first walk is undone. */
static int replace_totals(hdrf_sorter *s, snode *leaf, const char *agent,
                          const hdrf_resources *before, const hdrf_resources *after)
{
    bool any_shared;
    int rc = prepare_delta(s, before, &any_shared);
    if (rc != HDRF_OK)
        return rc;
    hdrf_resources *shared = any_shared ? hdrf_resources_shared(before) : NULL;
    if (any_shared && !shared)
        return HDRF_ENOMEM;
    bool fits = covers(s, leaf, agent, shared);
    hdrf_resources_free(shared);
    if (!fits)
        return HDRF_ENOFIT;
    if ((rc = apply_delta(s, leaf, agent, before, any_shared, -1, false)) != HDRF_OK)
        return rc;
    if (after && (rc = change_path(s, leaf, agent, after, +1, false)) != HDRF_OK)
        change_path(s, leaf, agent, before, +1, false);
    return rc;
}

/* Replaces `before` (which the client must hold on `agent`) with `after`
 * (NULL: nothing), the common step of unallocated() and update(). Shared
 * resources can fail part-way, so they take a copy first; the common case
 * changes the holding in place (atomic) and then the path (cannot fail). */
static int replace(hdrf_sorter *s, const char *client, const char *agent,
                   const hdrf_resources *before, const hdrf_resources *after)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    if (!agent || !before)
        return HDRF_EINVAL;
    if (!s->track_agents)
        return replace_totals(s, leaf, agent, before, after);
    held *h = holding(&leaf->holdings, agent, after != NULL);
    if (!h) /* nothing held there: only releasing nothing fits */
        return after ? HDRF_ENOMEM : hdrf_resources_empty(before) ? HDRF_OK : HDRF_ENOFIT;
    int rc = HDRF_ENOFIT;
    hdrf_resources *next = NULL;
    if (!hdrf_resources_contains(h->resources, before))
        goto out;
    bool shared;
    if ((rc = prepare_delta(s, before, &shared)) != HDRF_OK)
        goto out;
    if (!after && !shared) {
        if ((rc = hdrf_resources_subtract(h->resources, before)) == HDRF_OK)
            apply_delta(s, leaf, agent, before, false, -1, false);
        goto out;
    }
    rc = HDRF_ENOMEM;
    if (!(next = hdrf_resources_copy(h->resources)) ||
        hdrf_resources_subtract(next, before) != HDRF_OK ||
        (after && hdrf_resources_add(next, after) != HDRF_OK))
        goto out;
    if ((rc = change_path(s, leaf, agent, before, -1, false)) != HDRF_OK)
        goto out;
    if (after && (rc = change_path(s, leaf, agent, after, +1, false)) != HDRF_OK) {
        change_path(s, leaf, agent, before, +1, false);
        goto out;
    }
    hdrf_resources *old = h->resources;
    h->resources = next;
    next = old;
out:
    hdrf_resources_free(next);
    drop_if_empty(&leaf->holdings, h);
    return rc;
}

int hdrf_sorter_unallocated(hdrf_sorter *s, const char *client, const char *agent,
                            const hdrf_resources *resources)
{
    return replace(s, client, agent, resources, NULL);
}

int hdrf_sorter_update(hdrf_sorter *s, const char *client, const char *agent,
                       const hdrf_resources *before, const hdrf_resources *after)
{
    if (!after)
        return HDRF_EINVAL;
    return replace(s, client, agent, before, after);
}

/* ---- allocations as scalar vectors (sorter_vector.h) ---------------------------------- */

/* The dimension of the caller's name id, cached; -1 when out of memory. */
static long vector_dim(hdrf_sorter *s, char *const *names, size_t id)
{
    if (id >= s->nvector_dims) {
        size_t cap = 2 * (id + 1);
        long *grown = realloc(s->vector_dims, cap * sizeof *grown);
        if (!grown)
            return -1;
        for (size_t i = s->nvector_dims; i < cap; i++)
            grown[i] = -1;
        s->vector_dims = grown;
        s->nvector_dims = cap;
    }
    if (s->vector_dims[id] < 0)
        s->vector_dims[id] = sorter_dim(s, names[id]);
    return s->vector_dims[id];
}

/* prepare_delta() for a vector: s->delta holds vec by dimension. */
static int prepare_vector_delta(hdrf_sorter *s, char *const *names, const int64_t *vec, size_t n)
{
    for (size_t i = 0; i < n; i++) /* interning first: it may grow s->delta */
        if (vec[i] && vector_dim(s, names, i) < 0)
            return HDRF_ENOMEM;
    memset(s->delta, 0, s->ndims * sizeof *s->delta);
    for (size_t i = 0; i < n; i++)
        if (vec[i])
            s->delta[s->vector_dims[i]] += vec[i];
    return HDRF_OK;
}

/* The leaf of a sorter without per-agent holdings, or NULL with *rc. */
static snode *totals_leaf(hdrf_sorter *s, const char *client, int *rc)
{
    snode *leaf = sorter_client(s, client);
    *rc = !leaf ? HDRF_ENOTFOUND : s->track_agents ? HDRF_EINVAL : HDRF_OK;
    return *rc == HDRF_OK ? leaf : NULL;
}

int sorter_allocated_vector(hdrf_sorter *s, const char *client, char *const *names,
                            const int64_t *vec, size_t n)
{
    int rc;
    snode *leaf = totals_leaf(s, client, &rc);
    if (leaf && (rc = prepare_vector_delta(s, names, vec, n)) == HDRF_OK)
        rc = apply_delta(s, leaf, NULL, NULL, false, +1, true); /* no shared: cannot fail */
    return rc;
}

int sorter_unallocated_vector(hdrf_sorter *s, const char *client, char *const *names,
                              const int64_t *vec, size_t n)
{
    int rc;
    snode *leaf = totals_leaf(s, client, &rc);
    if (leaf && (rc = prepare_vector_delta(s, names, vec, n)) == HDRF_OK)
        rc = covers(s, leaf, NULL, NULL) ? apply_delta(s, leaf, NULL, NULL, false, -1, false)
                                         : HDRF_ENOFIT;
    return rc;
}

/* Takes every record of m (the leaf's holdings, or its shared records) out
 * of the leaf's ancestors. A record is subtracted whole from their shared
 * holdings: only its shared resources match there. Unlike change_path(),
 * this needs no copy of the shared part, so for a record of up to 16
 * resources (what the allocator's shared records hold) it cannot fail. */
static void remove_records(hdrf_sorter *s, snode *leaf, const strmap *m)
{
    size_t cursor = 0;
    const char *agent;
    void *value;
    bool any_shared;
    while (strmap_next(m, &cursor, &agent, &value)) {
        const hdrf_resources *rs = ((held *)value)->resources;
        (void)prepare_delta(s, rs, &any_shared); /* names known: cannot fail */
        (void)apply_shared_delta(s, leaf->parent, agent, any_shared ? rs : NULL, -1, false);
    }
}

/* Takes a leaf without per-agent holdings out of its ancestors: its shared
 * records agent by agent (so that each ancestor counts what stays shared
 * below it), then the rest of its totals in one walk. */
static void remove_totals(hdrf_sorter *s, snode *leaf)
{
    size_t cursor = 0;
    const char *agent;
    void *value;
    remove_records(s, leaf, &leaf->shared);
    memcpy(s->delta, leaf->alloc, s->ndims * sizeof *s->delta);
    while (strmap_next(&leaf->shared, &cursor, &agent, &value))
        count_shared(s, ((held *)value)->resources, s->delta, -1);
    for (snode *n = leaf->parent; n; n = n->parent) {
        for (size_t d = 0; d < s->ndims; d++)
            n->alloc[d] -= s->delta[d];
        sorter_rekey(s, n, false);
    }
}

int hdrf_sorter_remove(hdrf_sorter *s, const char *client)
{
    snode *leaf = sorter_client(s, client);
    if (!leaf)
        return HDRF_ENOTFOUND;
    sorter_forget_order(s);
    if (s->track_agents)
        remove_records(s, leaf, &leaf->holdings);
    else
        remove_totals(s, leaf);
    sorter_tree_remove(s, leaf);
    return HDRF_OK;
}

int hdrf_sorter_set_saturated(hdrf_sorter *s, const char *const *names, size_t n)
{
    char **copy;
    if (n && !names)
        return HDRF_EINVAL;
    if (copy_names(names, n, &copy) != HDRF_OK) {
        free_names(copy, n);
        return HDRF_ENOMEM;
    }
    free_names(s->marked_names, s->nmarked);
    s->marked_names = copy;
    s->nmarked = n;
    s->caller_saturation = true;
    for (size_t d = 0; d < s->ndims; d++)
        s->marked[d] = name_listed(copy, n, s->dim_names[d]);
    return HDRF_OK;
}
