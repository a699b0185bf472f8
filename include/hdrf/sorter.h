/* hdrf/sorter.h: who is offered next: weighted DRF over a tree of roles.
 *
 * A sorter orders *clients*: role paths (`eng`, `eng/batch`) for the role
 * sorter, framework ids for the per-role framework sorters. It tracks each
 * client's allocation (per agent, unless told not to) and the cluster's
 * totals, and answers "in which order should clients be offered
 * resources?" with one of three orderings chosen at creation:
 *
 *  HDRF_ORDER_DRF     Mesos 1.11's DRF sorter, exactly: at every level of the
 *                     role tree, siblings sorted by weighted share, then by
 *                     allocation count, then by path; leaves listed by a
 *                     depth-first walk. An internal node's share is that of the
 *                     plain sum of its subtree's allocations.
 *  HDRF_ORDER_HDRF    Hierarchical DRF (Bhattacharya et al., SoCC 2013), for
 *                     offers: the same walk, but an internal node's share is
 *                     computed as H-DRF prescribes, so that a subtree whose
 *                     children use different resources is neither starved nor
 *                     favoured (rules below).
 *  HDRF_ORDER_RANDOM  Mesos's random sorter: a weighted random order, each
 *                     leaf weighted by the product over its path of its
 *                     weight relative to its active siblings; seeded.
 *
 * Tree. A client `a/b` implies internal nodes `a` while any client lies
 * below them. A client that also has clients below it (`a` and `a/b`) is
 * represented, as in Mesos, by a virtual leaf `a/.` under the internal node
 * `a`; removing the last client below `a` folds it back. Clients are added
 * inactive; sort() lists only active clients, but allocations of inactive
 * clients still count in their ancestors' shares.
 *
 * Shares. share(n) = max over scalar resource names r (not excluded from
 * fairness, total > 0) of allocated_r(n) / total_r, with totals summed over
 * the agents added; weighted share = share / weight(n). Weights are per path
 * and not multiplied down the tree: a node's weight divides its own share
 * when it competes with its siblings (default 1; a virtual leaf `a/.` always
 * weighs 1). Revocable and reserved amounts count under their name. A shared
 * resource counts once per agent, however many copies a node holds.
 * The allocation count of a node (the tie-breaker) grows by one at every
 * allocated() call in its subtree and never decreases.
 *
 * H-DRF rules (HDRF_ORDER_HDRF), applied bottom-up at every sort(), after
 * Bhattacharya et al., "Hierarchical Scheduling for Diverse Datacenter
 * Workloads", SoCC 2013, section 4 (dynamic H-DRF: rescaling to the
 * minimum node, blocked nodes, saturated resources ignored):
 *  - A resource is *saturated* when its total allocation reaches its total,
 *    until the caller says which resources are saturated
 *    (hdrf_sorter_set_saturated); from the first such call on, the caller's
 *    set alone decides (an allocator knows that nothing of a resource is
 *    allocatable any more, where the sorter counts offers as allocated).
 *  - A leaf is *blocked* when it is inactive, when the caller marks it blocked
 *    (hdrf_sorter_set_blocked: its frameworks declined what they were
 *    offered), or when it holds some of a saturated resource: what it holds
 *    is what its tasks need, and a task needing a saturated resource cannot
 *    start (the paper: a leaf is blocked when any resource it demands is
 *    saturated). An internal node is blocked when all its children are.
 *  - An internal node's usage vector is the sum of its children's, where each
 *    non-blocked child c is first rescaled by M * w(c) / s(c), M being the
 *    smallest weighted share among the non-blocked children: every
 *    non-blocked child counts as if it had progressed only as far as the
 *    least-served one. Blocked children count unscaled. Its share is the
 *    maximum of that vector over the non-saturated resources.
 *  - Siblings are ordered non-blocked first, then by weighted share, count
 *    and path. This makes the paper's starving example fair: see the tests.
 *
 * Cost. DRF keeps every level ordered as allocations change: allocated(),
 * unallocated() and update() re-position the client's path in
 * O(depth * log siblings), and sort() is a walk, O(nodes). H-DRF's rescaling
 * couples every sibling to the least-served one, so it cannot be kept
 * incrementally: its sort() recomputes shares and orders in
 * O(nodes * resources + nodes log siblings). Random draws a fresh order at
 * every sort(), O(leaves log leaves). Adding or removing an agent changes
 * every share: the next sort() re-orders all levels.
 *
 * Snapshot semantics. sort() returns the active clients in order as an
 * array owned by the sorter. It stays valid and unchanged, whatever
 * allocations happen meanwhile, until the next sort(), remove() or free():
 * the caller walks one stable order per allocation round while its
 * allocated() calls already prepare the next one (as Mesos's allocator does
 * with the copy its sort() returns).
 *
 * Errors and ownership: calls return HDRF_OK or a negative hdrf status
 * (HDRF_EINVAL bad argument, HDRF_ENOTFOUND unknown client or agent,
 * HDRF_EEXIST duplicate, HDRF_ENOFIT releasing what is not allocated,
 * HDRF_ENOMEM); on failure nothing changes. Arguments are borrowed. Returned
 * strings and collections are borrowed from the sorter and valid until the
 * sorter next changes, unless said otherwise. A sorter is single-threaded;
 * separate sorters are independent. */
#ifndef HDRF_SORTER_H
#define HDRF_SORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/export.h"
#include "hdrf/resources.h"
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdrf_sorter hdrf_sorter;

typedef enum hdrf_order {
    HDRF_ORDER_DRF = 0,
    HDRF_ORDER_HDRF = 1,
    HDRF_ORDER_RANDOM = 2
} hdrf_order;

typedef struct hdrf_sorter_options {
    hdrf_order order;
    uint64_t seed; /* HDRF_ORDER_RANDOM: the same seed gives the same orders */
    /* Resource names left out of shares. NULL means Mesos's usual {"gpus"};
     * a non-NULL list of length 0 excludes nothing. */
    const char *const *excluded;
    size_t nexcluded;
} hdrf_sorter_options;

/* Creates a sorter; options may be NULL (drf, seed 0, gpus excluded). */
HDRF_API int hdrf_sorter_new(const hdrf_sorter_options *options, hdrf_sorter **out);
HDRF_API void hdrf_sorter_free(hdrf_sorter *s); /* NULL is a no-op */

/* Whether the sorter records what each client holds on each agent (true,
 * the default: Mesos's sorter does, and hdrf_sorter_allocation() and
 * hdrf_sorter_allocation_next() answer from that record). false keeps
 * scalar totals only, per client and per node of the tree; shares, orders
 * and every other answer stay the same, and what changes is:
 *  - hdrf_sorter_allocation() answers NULL, hdrf_sorter_allocation_next()
 *    false: the caller keeps the per-agent detail (an allocator already
 *    does, per agent and framework; a second copy here would cost every
 *    allocation a copy of its resources);
 *  - unallocated() and update() check that the client's scalar totals
 *    cover what is released (HDRF_ENOFIT if not), not that the client holds
 *    exactly those resources on that agent: the caller releases only what
 *    it allocated there.
 * Shared resources still count once per agent: for them alone a per-agent
 * record is kept, and only while a client holds some. Set it before adding
 * clients: HDRF_EINVAL once the sorter has any. (A setter, not a field of
 * hdrf_sorter_options: callers built against the older struct keep
 * working.) */
HDRF_API int hdrf_sorter_set_track_agents(hdrf_sorter *s, bool track);

/* ---- clients --------------------------------------------------------------- */

/* Adds an inactive client. HDRF_EINVAL for an invalid role path (see
 * hdrf_role_invalid; "*" is a valid client), HDRF_EEXIST if present. */
HDRF_API int hdrf_sorter_add(hdrf_sorter *s, const char *client);
/* Removes a client and takes its allocation out of its ancestors; ends the
 * snapshot of the last sort() (see below). */
HDRF_API int hdrf_sorter_remove(hdrf_sorter *s, const char *client);
HDRF_API int hdrf_sorter_activate(hdrf_sorter *s, const char *client);
HDRF_API int hdrf_sorter_deactivate(hdrf_sorter *s, const char *client);
HDRF_API bool hdrf_sorter_contains(const hdrf_sorter *s, const char *client);
/* Attaches the caller's pointer to a client (NULL until set), handed back by
 * hdrf_sorter_walk() and hdrf_sorter_data(); the sorter never uses it. */
HDRF_API int hdrf_sorter_set_data(hdrf_sorter *s, const char *client, void *data);
HDRF_API void *hdrf_sorter_data(const hdrf_sorter *s, const char *client);
HDRF_API bool hdrf_sorter_is_active(const hdrf_sorter *s, const char *client);
HDRF_API size_t hdrf_sorter_count(const hdrf_sorter *s); /* clients, active or not */

/* Sets the weight of a path, present or not yet (positive and finite). */
HDRF_API int hdrf_sorter_set_weight(hdrf_sorter *s, const char *path, double weight);
HDRF_API double hdrf_sorter_weight(const hdrf_sorter *s, const char *path);

/* ---- agents --------------------------------------------------------------------- */

/* Adds an agent's total (its scalar quantities count; others are ignored).
 * HDRF_EINVAL once hdrf_sorter_set_totals() was used. */
HDRF_API int hdrf_sorter_add_agent(hdrf_sorter *s, const char *agent, const hdrf_resources *total);
HDRF_API int hdrf_sorter_remove_agent(hdrf_sorter *s, const char *agent);
/* The other way to give totals: the cluster's scalar totals at once (names
 * absent count 0), for a sorter that needs no per-agent record. Many
 * sorters over one cluster (Mesos keeps one per role) can then be told the
 * totals when they are next used, instead of each hearing of every agent:
 * memory O(roles), not O(roles x agents). Orders rebuild lazily, as after
 * any change of totals. HDRF_EINVAL with agents added, HDRF_ENOMEM with
 * nothing changed. */
HDRF_API int hdrf_sorter_set_totals(hdrf_sorter *s, const hdrf_quantities *totals);

/* ---- allocations ------------------------------------------------------------- */

HDRF_API int hdrf_sorter_allocated(hdrf_sorter *s, const char *client, const char *agent,
                                   const hdrf_resources *resources);
/* HDRF_ENOFIT if the client does not hold `resources` on that agent. */
HDRF_API int hdrf_sorter_unallocated(hdrf_sorter *s, const char *client, const char *agent,
                                     const hdrf_resources *resources);
/* Replaces `before` (held) with `after` on that agent, as operations such as
 * RESERVE or CREATE do; the count does not change. Shared resources count
 * once per agent here too (Mesos's update() skips that rule; hdrf keeps it,
 * so that shares never depend on how an allocation was reached). */
HDRF_API int hdrf_sorter_update(hdrf_sorter *s, const char *client, const char *agent,
                                const hdrf_resources *before, const hdrf_resources *after);

/* The client's resources on one agent, or NULL when it holds none there
 * (always NULL after hdrf_sorter_set_track_agents(s, false); the walk below
 * then ends at once). */
HDRF_API const hdrf_resources *hdrf_sorter_allocation(const hdrf_sorter *s, const char *client,
                                                      const char *agent);
/* Walks a client's allocations: start with *cursor = 0; returns false at the
 * end (or for an unknown client). */
HDRF_API bool hdrf_sorter_allocation_next(const hdrf_sorter *s, const char *client, size_t *cursor,
                                          const char **agent, const hdrf_resources **resources);
/* Scalar quantities allocated to a path (a client, or an internal node: its
 * whole subtree); NULL path: everything. A new object the caller frees;
 * NULL for an unknown path or when out of memory. */
HDRF_API hdrf_quantities *hdrf_sorter_allocated_quantities(const hdrf_sorter *s, const char *path);
/* Scalar totals of all agents. New object, as above. */
HDRF_API hdrf_quantities *hdrf_sorter_total_quantities(const hdrf_sorter *s);

/* ---- H-DRF inputs (ignored by the other orderings) ------------------------------ */

/* Marks a client as unable to take more now (see the H-DRF rules). */
HDRF_API int hdrf_sorter_set_blocked(hdrf_sorter *s, const char *client, bool blocked);
/* Replaces the set of resource names marked saturated by the caller. */
HDRF_API int hdrf_sorter_set_saturated(hdrf_sorter *s, const char *const *names, size_t n);

/* ---- order ----------------------------------------------------------------------- */

/* The active clients in allocation order; *order is owned by the sorter
 * (see "Snapshot semantics"). Returns the count; on HDRF_ENOMEM (negative)
 * *order is NULL. */
HDRF_API long hdrf_sorter_sort(hdrf_sorter *s, const char *const **order);

/* Visits the active clients in the order sort() would return them, lazily:
 * the walk stops as soon as `visit` returns false, so finding the first few
 * clients of a long order costs only those (for drf; hdrf and random compute
 * a whole sort() first). `visit` must not change the sorter: an allocator
 * that allocates while walking records its allocations and applies them
 * after the walk, which also gives it one stable order per walk. Ends the
 * snapshot of the last sort() for random only. HDRF_OK or HDRF_ENOMEM. */
typedef bool (*hdrf_sorter_visit)(void *arg, const char *client, void *data);
HDRF_API int hdrf_sorter_walk(hdrf_sorter *s, hdrf_sorter_visit visit, void *arg);

/* ---- introspection ----------------------------------------------------------------- */

/* Share and weighted share of a path under the sorter's ordering (for
 * HDRF_ORDER_HDRF, as of the last sort()); -1 for an unknown path. */
HDRF_API double hdrf_sorter_share(const hdrf_sorter *s, const char *path);
HDRF_API double hdrf_sorter_weighted_share(const hdrf_sorter *s, const char *path);
/* HDRF_ORDER_HDRF: whether the path was blocked (left out of its parent's
 * rescaling) at the last sort(); false for the other orderings and for an
 * unknown path. A client's virtual leaf answers for the client. */
HDRF_API bool hdrf_sorter_hdrf_blocked(const hdrf_sorter *s, const char *path);
/* The allocation count of a path (the DRF tie-breaker); 0 if unknown. */
HDRF_API uint64_t hdrf_sorter_allocation_count(const hdrf_sorter *s, const char *path);
/* Position of a client in the last sort() (0 first), or -1. */
HDRF_API long hdrf_sorter_rank(const hdrf_sorter *s, const char *client);
/* The tree as indented text, one node per line with its weight, shares,
 * count, and state, in the current order. New string (free()), or NULL. */
HDRF_API char *hdrf_sorter_dump(hdrf_sorter *s);

#ifdef __cplusplus
}
#endif

#endif
