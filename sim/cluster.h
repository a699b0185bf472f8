/* cluster.h: a simulated cluster read from a JSON file.
 *
 * The file lists agent groups; each group is `count` identical agents:
 *   {"agents": [
 *      {"hostname": "web", "count": 4,
 *       "resources": "cpus:24;mem:4096;ports:[31000-32000]"},
 *      {"hostname": "gpu-1", "resources": [{"name": "gpus", ...}]}]}
 * `resources` takes Mesos's text form or its JSON array form; `count`
 * defaults to 1 and names agents `<hostname>-<i>` when above 1. */
#ifndef HDRF_SIM_CLUSTER_H
#define HDRF_SIM_CLUSTER_H

#include <stddef.h>

#include "hdrf/resources.h"

typedef struct sim_agent_group {
    char *hostname;
    size_t count;
    hdrf_resources *resources; /* of one agent */
} sim_agent_group;

typedef struct sim_cluster {
    sim_agent_group *groups;
    size_t ngroups;
    size_t nagents;
} sim_cluster;

/* Loads `path`. On failure returns NULL and writes one line to `why`
 * naming the file, the field and the problem. */
sim_cluster *sim_cluster_load(const char *path, char *why, size_t whylen);
void sim_cluster_free(sim_cluster *cluster);
/* Sum of every agent's resources; a new collection, NULL when out of memory. */
hdrf_resources *sim_cluster_total(const sim_cluster *cluster);

#endif
