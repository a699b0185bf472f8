/* sorter_internal.h: the sorter's tree, shared by its four files (private).
 * Lowest first; each calls only the files listed before it, never back
 * (scripts/check-layers checks it):
 *
 *   sorter_order.c  shares, the three orderings and sort()
 *   sorter_tree.c   the role tree: nodes, virtual leaves, add and remove, weights
 *   sorter.c        the public API: clients, weights, agents, allocations
 *   sorter_view.c   read-only queries: shares, ranks, quantities, the dump
 *
 * Data model. Every node keeps its subtree's allocation as a dense vector
 * of milli-units, one slot per resource name ("dimension") the sorter has
 * seen; all vectors grow together when a new name appears. That vector is
 * all an allocation change touches: it walks from the leaf to the root
 * adding the change, and re-positions each node among its siblings. What a
 * client holds on each agent (`holdings`: agent id -> full resources) is
 * kept only when the sorter tracks agents (the default, for Mesos's
 * per-agent queries); the allocator turns it off, because its agents
 * already record, per framework, what is held there, and a second and third
 * copy cost every offer a resources add and every release a contains and a
 * subtract; it then gives each allocation change as a vector over its own
 * name ids (sorter_vector.h), which `vector_dims` maps to dimensions. The one per-agent record every sorter keeps is `shared`, for
 * the nodes whose subtree holds shared resources on an agent (a shared
 * resource counts once per agent, however many copies): empty, and free,
 * otherwise. A node's children form a list (the
 * structure) and an ordtree (the order). For DRF the ordtree is kept current
 * as allocations change, keyed by (weighted share, count, path); when totals
 * or weights change the sorter turns `dirty`, stops maintaining the trees and
 * rebuilds them all at the next sort(), so that a burst of agent additions
 * costs one rebuild. H-DRF and random rebuild their order at every sort(). */
#ifndef HDRF_SORTER_INTERNAL_H
#define HDRF_SORTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/sorter.h"
#include "lib/ordtree.h"
#include "lib/pool.h"
#include "lib/rstr.h"
#include "lib/strmap.h"

/* Resources held on one agent: the value of the holdings and shared maps,
 * which also owns the key. */
typedef struct held {
    hdrf_resources *resources;
    char agent[];
} held;

typedef struct snode {
    /* Nodes start on a cache line (pool.h). An allocation change reads the
     * first two lines of each node on its path and the first line of the
     * siblings it compares them with; the rest is cold. */
    /* Line 1: the sibling order's link and key, one line per comparison. */
    ordnode link;      /* in parent->order */
    double wshare;     /* share / weight */
    uint64_t count;    /* allocated() calls in the subtree, never decreasing */
    uint64_t name_key; /* the name's first 8 bytes, big-endian: most path ties */
    const char *name;  /* the last component of path */

    /* Line 2: the rest of what an allocation change touches. */
    struct snode *parent; /* NULL for the root */
    int64_t *alloc;       /* subtree allocation per dimension, milli-units */
    double share;         /* DRF: current unless dirty; H-DRF: as of the last sort() */
    double weight;
    strmap holdings; /* leaves: agent id -> held (the client's resources
                           * there); empty unless track_agents */
    bool leaf;
    bool active;   /* leaves */
    bool blocked;  /* leaves: marked by the caller (H-DRF) */
    bool hblocked; /* H-DRF: blocked as of the last sort() */

    /* Line 3: what sort() and walk() read besides the flags. */
    const char *client; /* leaves: the client path ("a" for "a/."), borrowed */
    long rank;          /* leaves: position in the last sort(), or -1 */
    ordtree order;      /* children, in fairness order */
    void *data;         /* leaves: the caller's pointer (hdrf_sorter_set_data) */

    char *path; /* tree path: "a", "a/b", "a/." for a virtual leaf */
    struct snode *first_child, *prev_sibling, *next_sibling;
    size_t nchildren;
    double *usage;  /* H-DRF scratch: usage as fractions of the totals */
    double key;     /* random: the sampling key of the last sort() */
    size_t nactive; /* random: active leaves in the subtree, at sort() */

    /* Agent id -> held: the shared resources of the subtree there, so that a
     * shared resource counts once per agent however many copies (Mesos). */
    strmap shared;
} snode;

/* The node that embeds an ordtree link. */
#define SNODE_OF(x) ((snode *)((char *)(x)-offsetof(snode, link)))

/* One agent's scalar totals, as (dimension, amount) pairs. */
typedef struct agent_total {
    char *id;
    size_t n;
    struct {
        size_t dim;
        int64_t amount;
    } items[];
} agent_total;

struct hdrf_sorter {
    hdrf_order order;
    uint64_t rng; /* random: splitmix64 state */

    snode root;
    pool node_pool; /* every node but the root: contiguous, see pool.h */
    strmap nodes;   /* tree path -> node (all but the root) */
    strmap clients; /* client path -> leaf */
    strmap weights; /* path -> weight_entry */
    size_t nleaves;

    strmap dims;                 /* resource name -> dimension index + 1 (as a pointer) */
    long known_dim[RSTR_NKNOWN]; /* the well-known names' dimensions, -1: none yet */
    char **dim_names;            /* owned; the keys of `dims` */
    size_t ndims, dim_cap;
    bool *excluded;      /* per dimension: left out of shares */
    bool *marked;        /* per dimension: marked saturated by the caller */
    int64_t *total;      /* per dimension, all agents */
    double *total_units; /* per dimension: total as a double, the divisor of shares */
    int64_t *delta;      /* per dimension: scratch for one allocation change */
    char **excluded_names;
    size_t nexcluded;
    char **marked_names;
    size_t nmarked;
    bool caller_saturation; /* set_saturated() was called: the marks alone decide */

    bool track_agents; /* leaves keep holdings (hdrf_sorter_set_track_agents) */
    long *vector_dims; /* the caller's name ids -> dimension, -1: not seen (sorter_vector.h) */
    size_t nvector_dims;
    strmap agents;     /* agent id -> agent_total */
    bool totals_given; /* hdrf_sorter_set_totals() sets the totals: no agents */
    bool dirty;        /* DRF: the children orders are stale until the next sort() */
    /* DRF: sorter_rekey() calls that changed a key, and those that had to
     * move the node; the tests check that both paths are taken. */
    uint64_t rekeys, rekey_moves;

    snode **sorted; /* the last sort(): leaves in order */
    const char **sorted_clients;
    size_t nsorted, sorted_cap;
};

/* A configured weight: the value of `weights`, which also owns the key. */
typedef struct weight_entry {
    double weight;
    char path[];
} weight_entry;

/* sorter.c */
/* The dimension of resource `name`, created (and every vector grown) when
 * new. Returns the index, or -1 when out of memory. */
long sorter_dim(hdrf_sorter *s, const char *name);
/* The leaf of a client, or NULL. */
snode *sorter_client(const hdrf_sorter *s, const char *client);

/* sorter_tree.c */
/* The weight configured for a tree path (1 when none; "a/." always 1). */
double sorter_weight_of(const hdrf_sorter *s, const char *path);
held *held_new(const char *agent); /* empty resources; NULL when out of memory */
void held_free(held *h);
void sorter_node_init(hdrf_sorter *s, snode *n);
void sorter_node_release(snode *n); /* frees what n owns, not n */
snode *sorter_find(const hdrf_sorter *s, const char *path);
int sorter_tree_add(hdrf_sorter *s, const char *client);
/* Unlinks and frees `leaf` (its allocation already taken out of its
 * ancestors), pruning and folding ancestors as Mesos does. */
void sorter_tree_remove(hdrf_sorter *s, snode *leaf);

/* sorter_order.c */
/* Sets up n's (empty) children order. */
void sorter_order_init(hdrf_sorter *s, snode *n);
/* After s->total[d] changed: updates what shares divide by. */
void sorter_total_changed(hdrf_sorter *s, size_t d);
/* Share of a node from its allocation, as DRF defines it (not weighted). */
double sorter_drf_share(const hdrf_sorter *s, const int64_t *alloc);
/* Take a node out of its parent's order (before it leaves the tree or
 * changes shape), and put it back with a fresh share. Both are no-ops while
 * the order is not maintained (dirty, or not DRF). */
void sorter_detach(hdrf_sorter *s, snode *n);
void sorter_attach(hdrf_sorter *s, snode *n);
/* After a node's allocation or weight changed, and its count grew by one
 * when `counted`: refreshes its share and re-positions it among its
 * siblings, in place when it still lies between its neighbours. A no-op
 * while orders are not maintained. */
void sorter_rekey(hdrf_sorter *s, snode *n, bool counted);
/* Marks every order stale (totals or weights changed). */
void sorter_mark_dirty(hdrf_sorter *s);
/* Brings every order up to date as sort() would, without emitting. */
int sorter_refresh(hdrf_sorter *s);
/* Forgets the last sort() (a leaf in it is about to disappear). */
void sorter_forget_order(hdrf_sorter *s);

#endif
