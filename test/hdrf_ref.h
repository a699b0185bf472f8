/* hdrf_ref.h: independent references for the fairness of a role tree, written
 * from the papers and not from hdrf's sorter, for the property suites to
 * compare the allocator's steady states against.
 *
 * A tree is given as nodes in an array, node 0 the root; each other node names
 * its parent (an earlier index), a weight, and, for a leaf, the demand of one
 * of its tasks (a vector over the cluster's resources). Every leaf always has
 * work pending: it takes whatever it is given.
 *
 *  ref_hdrf()   Static H-DRF (Bhattacharya et al., "Hierarchical Scheduling for
 *               Diverse Datacenter Workloads", SoCC 2013, section 4, Algorithm
 *               1): progressive filling from an empty cluster. At every level
 *               the non-blocked children's weighted dominant shares grow
 *               together; a node's dominant share is the largest share of its
 *               subtree's summed allocation over the resources not saturated
 *               (a saturated resource is one of which nothing is left); a leaf
 *               is blocked once a resource it demands is saturated, an internal
 *               node once all its children are. Filling is done in steps of a
 *               small fraction of a task: each step descends from the root to
 *               the non-blocked child of least weighted dominant share (ties:
 *               the lower index) and gives that leaf its step, so siblings stay
 *               within a step of each other, as the paper's equal rates keep
 *               them equal.
 *
 *  ref_nested_drf()  Mesos's nested DRF under churn, the order of
 *               `role_sorter=drf`: a cluster pool (no agents) where every task
 *               of a leaf runs for the same time and is replaced, as it ends,
 *               by the task of whichever leaf the nested order picks (at every
 *               level the child of least weighted dominant share over every
 *               resource, saturated or not, among those whose task still fits).
 *               Starting from a fill in that order, it runs `rounds` times as
 *               many task ends as the cluster holds tasks and averages the
 *               allocation over the second half. Task ends are taken oldest
 *               first, so the run is deterministic.
 *
 * Allocations are written to alloc[leaf * nres + r] as a fraction of each
 * resource's total (0 for internal nodes). Both return false on a malformed
 * tree or a failed allocation. */
#ifndef HDRF_TEST_HDRF_REF_H
#define HDRF_TEST_HDRF_REF_H

#include <stdbool.h>
#include <stddef.h>

#define REF_MAX_NODES 64
#define REF_MAX_RES 4

typedef struct ref_tree {
    size_t nnodes, nres;
    int parent[REF_MAX_NODES];    /* -1 for the root */
    double weight[REF_MAX_NODES]; /* > 0 */
    /* leaves: one task's demand, in units of the resource (> 0 somewhere) */
    double demand[REF_MAX_NODES][REF_MAX_RES];
    double total[REF_MAX_RES]; /* the cluster's, > 0 */
} ref_tree;

/* Whether node i has no children. */
bool ref_is_leaf(const ref_tree *t, size_t i);

bool ref_hdrf(const ref_tree *t, double *alloc);
bool ref_nested_drf(const ref_tree *t, int rounds, double *alloc);

#endif
