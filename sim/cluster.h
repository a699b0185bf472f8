/* cluster.h: a simulated cluster read from a JSON file.
 *
 * The file lists agent groups; each group is `count` agents alike:
 *   {"region": "eu",                                  the master's region
 *    "agents": [
 *      {"hostname": "web", "count": 4,
 *       "resources": "cpus:24;mem:4096;disk(ads):100;ports:[31000-32000]",
 *       "attributes": {"rack": ["r1", "r2"], "cores": 24, "ssd": "true"},
 *       "domain": {"region": "eu", "zone": ["eu-a", "eu-b"]},
 *       "reservations": [{"role": "eng", "principal": "ops",
 *                         "resources": "cpus:4;mem:1024"}]},
 *      {"hostname": "gpu-1", "resources": [{"name": "gpus", ...}]}]}
 *  - `resources`: Mesos's text form (a `(role)` reserves statically) or its
 *    JSON array form. `count` defaults to 1; agents of a group of more than
 *    one are named `<hostname>-<i>` (i from 1).
 *  - `attributes`: an object (a string value follows Mesos's --attributes
 *    rules: a number is a SCALAR, `[a-b]` RANGES, `{a,b}` a SET, anything
 *    else TEXT; a JSON number is a SCALAR), or Mesos's text form
 *    `rack:r1;cores:24`. An array of values spreads over the group: agent i
 *    takes value i modulo its length. Same for the domain's `zone`.
 *  - `reservations`: dynamic reservations made on each agent of the group
 *    when it joins, as an operator's RESERVE would.
 *
 * Ownership: a sim_cluster owns everything in it; sim_cluster_free(). */
#ifndef HDRF_SIM_CLUSTER_H
#define HDRF_SIM_CLUSTER_H

#include <stddef.h>

#include "hdrf/constraints.h"
#include "hdrf/resources.h"

typedef struct sim_attr {
    char *name;
    hdrf_attribute_type type; /* of the first value; all values of one name share it */
    char **values;            /* spread over the group's agents */
    size_t nvalues;
} sim_attr;

typedef struct sim_reservation {
    char *role;
    char *principal; /* or NULL */
    hdrf_resources *resources;
} sim_reservation;

typedef struct sim_agent_group {
    char *hostname;
    size_t count;
    hdrf_resources *resources; /* of one agent */
    sim_attr *attrs;
    size_t nattrs;
    char *region; /* or NULL: no fault domain */
    char **zones;
    size_t nzones;
    sim_reservation *reservations;
    size_t nreservations;
} sim_agent_group;

typedef struct sim_cluster {
    sim_agent_group *groups;
    size_t ngroups;
    size_t nagents;
    char *region; /* the master's, or NULL */
} sim_cluster;

/* Loads `path`. On failure returns NULL and writes one line to `why`
 * naming the file, the field and the problem. */
sim_cluster *sim_cluster_load(const char *path, char *why, size_t whylen);
void sim_cluster_free(sim_cluster *cluster);
/* Sum of every agent's resources; a new collection, NULL when out of memory. */
hdrf_resources *sim_cluster_total(const sim_cluster *cluster);

#endif
