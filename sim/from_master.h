/* from_master.h: an example directory built from a live master's state, so
 * that a weight or quota change is previewed on the real cluster's shape.
 *
 * Inputs are files saved from a running master (the simulator does no
 * network I/O):
 *  - `state`: Mesos's GET /master/state. Each of its `slaves` becomes an
 *    agent: its `hostname`, its resources (`unreserved_resources` plus each
 *    role's `reserved_resources`, reserved statically here; or `resources`
 *    when those are absent), its `attributes` and its fault domain. Each of
 *    its `frameworks` becomes a framework with its `roles` (or `role`) and
 *    `capabilities`, and one job per distinct role and resources of its
 *    running tasks (TASK_STAGING, TASK_STARTING, TASK_RUNNING), as many
 *    instances as it runs, each running forever: the demand the cluster
 *    holds now. Scalar resources only are asked for (ports and other ranges
 *    and sets would pin tasks to exact values).
 *  - `hdrf_state` (or NULL): hdrf's GET /hdrf/state, for the role and
 *    framework sorters, every weight other than 1 and every quota.
 * Writes `cluster.json`, `workload.json` and `modules.json` into `dir`
 * (which must exist). Returns 0, or -1 with one line in `why` naming the
 * file and the field. */
#ifndef HDRF_SIM_FROM_MASTER_H
#define HDRF_SIM_FROM_MASTER_H

#include <stddef.h>

int sim_from_master(const char *state, const char *hdrf_state, const char *dir, char *why,
                    size_t whylen);

#endif
