/* placement.h: which offers an application's new instances go to.
 *
 * The offer-consuming decision of the scheduler, with no I/O and no clock,
 * so that the simulator runs the very same code as the framework: given an
 * app, how many instances to start, where its instances already run, and
 * the offers at hand, it says which offer each new instance takes.
 *
 *  - Fit: an instance takes the app's `instance_resources` (its task's, or
 *    all its containers' and the executor's) out of what is left of an
 *    offer. Fit is judged on the offer as the app's role may use it: its
 *    allocation mark and reservations are set aside (an offer only holds
 *    what the role may use), so `cpus:1` fits in `cpus(eng):4`, while
 *    ranges keep their exact values (two instances cannot both take port
 *    31000 of one offer).
 *  - Constraints (app.h) are checked against the agent's hostname and
 *    attributes and against every instance of the app, running or placed in
 *    this plan: UNIQUE (a value used by no other instance), CLUSTER (the
 *    given value, or the value of the first instance), LIKE / UNLIKE
 *    (whole-value RE2 regex; an agent without the attribute fails LIKE and
 *    passes UNLIKE), GROUP_BY (the value holds no more instances than the
 *    emptiest known value; with a count n, fewer than n known values means
 *    an unseen one is emptier, so only values with no instance qualify),
 *    MAX_PER (fewer than n instances on the value). UNIQUE, CLUSTER,
 *    GROUP_BY and MAX_PER refuse an agent without the attribute.
 *  - Spread: among the offers an instance fits and the constraints allow,
 *    the least loaded agent wins: the tasks the caller counts on it, plus the
 *    instances this plan has put there; ties go to the earlier offer. The
 *    same offer takes several instances while it stays the best choice
 *    (packing); an offer nobody takes is for the caller to decline.
 *  - Gang: an app with `gang` gets every requested instance or none.
 *  - Ports: an app's `ports` are taken from the offer's `ports` ranges on
 *    top of its resources: a fixed one as asked, each 0 as the lowest port
 *    left (after the fixed ones and those of instances placed before it),
 *    so that two instances on one offer never get the same port.
 *
 * Attribute values are text, compared as strings: TEXT as is, SCALAR as
 * Mesos prints it (%g), RANGES as [a-b,c-d], SET as {a,b}.
 *
 * Cost: O(count x offers x (instances + offers)) constraint checks; meant
 * for the offers of one cycle, not for a whole cluster at once.
 *
 * Ownership: every input is borrowed for the call. A plan owns its arrays
 * and resources until placement_plan_free().
 */
#ifndef HDRF_SCHED_PLACEMENT_H
#define HDRF_SCHED_PLACEMENT_H

#include <stddef.h>

#include "apps/app.h"
#include "hdrf/resources.h"
#include "mesos/v1/mesos.pb-c.h"
#include "lib/sched_error.h"

typedef struct placement_attr {
    const char *name;
    const char *value;
} placement_attr;

/* Where an instance runs or could run. */
typedef struct placement_agent {
    const char *agent_id;
    const char *hostname;
    const placement_attr *attrs;
    size_t n_attrs;
} placement_agent;

typedef struct placement_offer {
    placement_agent agent;
    const hdrf_resources *resources; /* what the offer holds */
    unsigned load;                   /* tasks already on the agent (any app) */
} placement_offer;

typedef struct placement_plan {
    size_t n_placed;
    size_t *offer; /* the offer index of each placed instance, in order */
    /* the host ports of placed instance k, in the app's order:
     * ports[k * APP_MAX_PORTS + i] for i < app->n_ports */
    long *ports;
    size_t n_offers;
    hdrf_resources **remaining; /* per offer: what is left, in the fit view above */
    char why[160];              /* when fewer than asked were placed: why; else "" */
} placement_plan;

/* Plans `count` new instances of `a` over `offers`, given the agents its
 * `n_running` instances run on. On HDRF_OK *plan holds the decision (maybe
 * fewer instances than asked, with plan->why); HDRF_ENOMEM otherwise. */
int placement_place(const app *a, size_t count, const placement_agent *running, size_t n_running,
                    const placement_offer *offers, size_t n_offers, placement_plan *plan,
                    sched_error *err);

void placement_plan_free(placement_plan *plan);

/* Host ports as Mesos resources, `ports:[a-a,b-b]` (sorted); new, or NULL
 * when out of memory (or more than APP_MAX_PORTS). */
hdrf_resources *placement_ports_resources(const long *ports, size_t n);

/* A placement_offer read from a protobuf Offer, with the storage it needs. */
typedef struct placement_pb_offer {
    placement_offer offer; /* ids and hostname borrowed from the message */
    placement_attr *attrs; /* names borrowed, values owned */
    hdrf_resources *resources;
} placement_pb_offer;

/* Reads `msg` (borrowed; keep it alive while `out` is used). `load` is
 * left 0 for the caller to set. HDRF_EINVAL when its resources do not
 * read (err says why), HDRF_ENOMEM. */
int placement_offer_from_pb(const Mesos__V1__Offer *msg, placement_pb_offer *out, sched_error *err);
void placement_pb_offer_free(placement_pb_offer *o);

#endif
