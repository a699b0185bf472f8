/* alloc_internal.h: the allocator's state, shared by its files (private).
 *
 * The files of allocator/, in layers, lowest first. A file calls only files
 * of its own layer or of the layers below it, and no calls between files
 * form a cycle: scripts/check-layers checks both in `make test`, from the
 * symbols each object file defines and needs, against this drawing. (An
 * entry written with a `*` would be one unit whose files may call each
 * other; none is needed: the sorter's files are layered too.)
 *
 *   [1] the resource model: resources alone, no allocator state
 *   rangelist.c           union, difference and containment of range lists
 *   roles.c               role names and the role tree relation
 *   resource.c            one resource: metadata rules and value arithmetic
 *   resources.c           the collection (Mesos's Resources)
 *   reservations.c        a whole collection's reservations and allocation role
 *   resources_text.c      the text form, both ways
 *   resources_json.c      the JSON array form, both ways
 *   resources_pb.c        the protobuf form, both ways
 *   resources_parse.c     hdrf_resources_parse(): text of either form
 *   quantities.c          amounts by name (Mesos's ResourceQuantities)
 *   scalars.c             interned resource names, and scalar vectors over them
 *   conversions.c         operations as conversions, and applying conversions
 *   [2] the sorter and offer constraints, on the resource model
 *   sorter_order.c        the sorter's shares, orderings and sort()
 *   sorter_tree.c         the sorter's role tree: nodes, virtual leaves, weights
 *   sorter.c              the sorter's public API (hdrf/sorter.h)
 *   sorter_view.c         the sorter's read-only queries
 *   constraints.c         offer constraints: compiling and evaluating
 *   constraints_json.c    offer constraints from JSON
 *   constraints_pb.c      offer constraints from protobuf
 *   [3] the allocator's state
 *   alloc_state.c         lookups by id, errors, pause/resume, triggers, random
 *   alloc_blocked.c       blocked roles and saturated resources, for H-DRF's sorter
 *   alloc_roles.c         the role tree: weights, quota, reservations, what roles hold
 *   alloc_filters.c       one framework's offer and inverse-offer filters
 *   alloc_offer.c         cutting a candidate offer: quota, headroom, capabilities, minimums
 *   [4] the ledger
 *   alloc_ledger.c        who holds what: frameworks under roles, sorters, agents' holdings
 *   [5] the filters' sweeps, which walk the ledger's pairs
 *   alloc_filters_sweep.c filters over every framework: expiry, an agent's filters
 *   [6] the agents
 *   alloc_agents.c        agent events and agents' available resources
 *   [7] the events and views that use the agents
 *   alloc_frameworks.c    framework events
 *   operations.c          the events that apply operations
 *   alloc_observe.c       metrics and explanations
 *   alloc_snapshot.c      the allocator's state as one JSON document, for operators
 *   [8] the run
 *   alloc_run.c           the allocation run: stage 1 (guarantees), stage 2 (fair share)
 *   [9] the allocator
 *   allocator.c           lifecycle, options, recovery, quota, weights, runs' entry points
 *   [10] the module's parameters
 *   params.c              the allocator module's parameters, on the public API
 *   params_manifest.c     the parameters read from a whole modules.json
 *
 * The model is Mesos 1.11's (docs/reference/mesos-allocator-semantics.md,
 * cited below as "spec §x"). Every quantity is exact (milli-units), so what is
 * added is always subtracted back to zero.
 *
 * Data model: where each fact lives, once.
 *  - Per agent: its total, and `held` (framework id -> holding: the full
 *    resources offered or allocated to that framework there, with their
 *    allocation roles). This is the allocator's ledger of per-agent detail,
 *    for known and not-yet-known frameworks alike; `available` and `used`
 *    are kept beside it as they change (an offer of everything available
 *    moves into the holding, and its decline back, without copies).
 *  - The sorters (the role sorter, one framework sorter per role) keep
 *    scalar totals only (hdrf_sorter_set_track_agents(false)): per client
 *    and per node of the role tree a dense vector of milli-units, plus a
 *    per-agent record of shared resources only where some are held. For a
 *    known framework they count exactly what the agents' records hold for
 *    it (Mesos's contract: a framework arrives with the `used` its agents
 *    arrived with), so the ledger asks the agents, not the sorters, what a
 *    framework still holds (alloc_ledger.c, holds_anything()).
 *  - Resource names are interned once per allocator into small ids
 *    (`names`, scalars.h; the well-known names hold the first ids). An
 *    offer's scalars are summarised once, when it is made (offer_piece) or
 *    recovered, as dense vectors over those ids (scalar_summary: every
 *    scalar, unreserved non-revocable, reserved); both sorters
 *    (sorter_vector.h), the role tree's held sums and `sorted_scalars` take
 *    that summary instead of walking the resources by name. Only shared
 *    resources still reach the sorters as resources (their per-agent
 *    shared record).
 *  - The role tree keeps per-role subtree sums: what is offered or
 *    allocated (unreserved non-revocable, reserved) as scalar vectors;
 *    reservations and what tasks use by name (hdrf_quantities).
 * Full hdrf_resources exist at the edges: an agent's total and holdings, a
 * refusal, an offer being cut and handed out. */
#ifndef HDRF_ALLOC_INTERNAL_H
#define HDRF_ALLOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/allocator.h"
#include "allocator/conversions.h"
#include "allocator/resources_internal.h"
#include "allocator/scalars.h"
#include "lib/strmap.h"

/* ---- roles ----------------------------------------------------------------- */

typedef struct limit_entry {
    char *name;
    int64_t milli;
} limit_entry;

typedef struct role {
    char *path; /* "" for the root */
    struct role *parent;
    size_t nchildren;
    double weight; /* 1 unless set */
    bool has_weight;
    hdrf_quantities *guarantees; /* never NULL; empty: none */
    limit_entry *limits;
    size_t nlimits;
    /* Frameworks tracked under the role (subscribed, or holding resources
     * allocated to it) and their sorter, which exists while there are any. */
    size_t nframeworks;
    hdrf_sorter *sorter;
    uint64_t totals_seen; /* the allocator's totals_version the sorter has */
    /* Subtree sums (the role and every descendant), spec §B.4. */
    hdrf_quantities *reserved;        /* reservations on agents' totals */
    scalar_vec held_unreserved;       /* offered or allocated, unreserved non-revocable */
    scalar_vec held_reserved;         /* offered or allocated, reserved */
    hdrf_quantities *used_unreserved; /* allocated to tasks, unreserved non-revocable */
    size_t nfilters;                  /* offer filters of this role, all frameworks */
    /* role_sorter=hdrf: its frameworks able to take more (alloc_blocked.c),
     * and whether the role sorter was last told it is blocked. */
    size_t nable;
    bool told_blocked;
    /* Scratch of one run: what the quota counts as consumed. */
    hdrf_quantities *consumed;
} role;

bool role_has_quota(const role *r);

/* ---- frameworks ------------------------------------------------------------ */

/* What a framework refused, shared by the filters that refused the same
 * (in a decline storm, every framework refuses the same offer of an agent:
 * one copy instead of one per framework). */
typedef struct refusal {
    size_t refs;
    hdrf_resources *resources; /* allocation role stripped */
} refusal;

typedef struct offer_filter {
    struct offer_filter *next;
    refusal *refused;
    hdrf_time expiry;
    uint64_t batches; /* batch runs counted when it was made: the tie rule */
} offer_filter;

typedef struct inverse_filter {
    struct inverse_filter *next;
    hdrf_time expiry;
} inverse_filter;

typedef struct framework framework;

/* A framework in one role: subscribed to it, or still holding resources
 * allocated to it after leaving it ("tracked"). */
typedef struct fw_role {
    char *name;
    role *role;
    framework *fw;
    bool subscribed;
    bool suppressed;
    /* offer_filters[role]: agent id -> offer_filter list */
    strmap filters;
    /* offer_filters[role].min_allocatable_resources, when the framework set it */
    bool has_minimum;
    hdrf_quantities **minimum;
    size_t nminimum;
    /* role_sorter=hdrf (alloc_blocked.c): counted in role->nable; declined
     * without launching since its last offer; launched since it. */
    bool able, stuck, launched;
    size_t stuck_slot; /* in allocator.stuck, while stuck */
    /* The last run: whether it got anything, and why not. */
    bool offered;
    bool has_reason;
    hdrf_reason reason;
} fw_role;

struct framework {
    char *id;
    char *name;
    unsigned capabilities;
    bool active;
    strmap roles; /* role name -> fw_role */
    hdrf_constraints *constraints;
    bool caller_constraints; /* callbacks.agent_excluded decides, not `constraints` */
    strmap inverse_filters;  /* agent id -> inverse_filter list */
    uint64_t run_seq;        /* the run in which run_order was set */
    uint64_t run_order;      /* position of its first offer in that run */
};

/* ---- agents ------------------------------------------------------------------ */

typedef struct holding {
    char *framework;           /* the key: a framework id, known to the allocator or not */
    hdrf_resources *resources; /* with allocation roles */
} holding;

typedef struct inverse_state {
    char *framework;
    hdrf_inverse_status status;
    hdrf_time at; /* when the status was given */
} inverse_state;

typedef struct agent {
    char *id;
    char *hostname;
    char *region, *zone;
    hdrf_attribute *attributes; /* owned strings */
    size_t nattributes;
    unsigned capabilities;
    bool active;
    hdrf_resources *total;
    strmap held;               /* framework id -> holding: offered or allocated */
    hdrf_resources *used;      /* of which tasks use (Mesos's totalAllocated) */
    hdrf_resources *available; /* total - what is held (+ shared), kept as it changes */
    bool clamped;              /* what is held exceeds the total somewhere */
    bool has_gpus;
    bool has_revocable;
    size_t slot; /* index in allocator.agents */
    bool candidate;
    /* maintenance */
    bool maintained;
    hdrf_unavailability unavailability;
    strmap statuses;    /* framework id -> inverse_state */
    strmap outstanding; /* framework id -> framework: inverse offers out */
    /* Scratch of one run: shared resources offered already. */
    hdrf_resources *offered_shared;
    refusal *last_refusal; /* the newest refusal of a filter here, to share */
} agent;

/* ---- the allocator ------------------------------------------------------------- */

typedef struct offer_piece {
    framework *fw;
    fw_role *fr;
    agent *ag;
    hdrf_resources *resources;
    scalar_summary scalars; /* of resources, computed once when the offer is made */
} offer_piece;

struct hdrf_allocator {
    hdrf_allocator_options options;
    char **excluded; /* copies of options.fairness_excluded */
    size_t nexcluded;
    bool excluded_default;
    char *region;
    hdrf_quantities **minimum; /* the global minimum's alternatives */
    size_t nminimum;
    bool has_minimum;
    hdrf_allocator_callbacks callbacks;

    char errmsg[256];

    strmap frameworks; /* id -> framework */
    strmap agents_by_id;
    agent **agents; /* in order of addition, holes closed by moving the last */
    size_t nagents, agents_cap;
    strmap roles; /* path -> role (not the root) */
    role root;
    hdrf_sorter *role_sorter;
    scalar_names names;             /* resource names -> ids of every scalar vector */
    hdrf_quantities *total_scalars; /* scalar quantities of every agent's total */
    uint64_t totals_version;        /* counts changes of total_scalars */
    scalar_vec sorted_scalars;      /* offered or allocated to known frameworks */
    fw_role **stuck;                /* the fw_roles stuck (alloc_blocked.c) */
    size_t nstuck, stuck_cap;
    char **saturated; /* resource names the role sorter was told */
    size_t nsaturated;

    strmap whitelist; /* hostname -> itself (owned); used when has_whitelist */
    bool has_whitelist;

    bool paused;
    bool recovering; /* paused by recover(): expected_agents is set */
    int expected_agents;
    hdrf_time resume_at;
    bool pending;           /* an event-triggered run is due */
    bool resume_due;        /* recover() set a resume at resume_at */
    uint64_t batches;       /* batch ticks, paused or not: the filter tie rule */
    uint64_t runs;          /* allocation_runs */
    size_t last_run_agents; /* agents the last run considered */
    uint64_t rng;

    /* Scratch of one run. */
    offer_piece *pieces;
    size_t npieces, pieces_cap;
    agent **run_agents;
    size_t run_agents_cap;
};

/* alloc_state.c */
/* An id as messages show it: "(null)" for a missing one. */
static inline const char *id_text(const char *id) { return id ? id : "(null)"; }
framework *frameworks_find(const hdrf_allocator *a, const char *id);
agent *agents_find(const hdrf_allocator *a, const char *id);
/* What `framework` holds on the agent (with allocation roles), or NULL. */
const hdrf_resources *agent_holding(const agent *ag, const char *framework);
/* Finds both, or fails naming the unknown one (HDRF_ENOTFOUND). */
int alloc_find_pair(hdrf_allocator *a, const char *call, const char *framework_id,
                    const char *agent_id, framework **fw, agent **ag);
/* Formats the message of the failing call and returns `status`. */
int alloc_fail(hdrf_allocator *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t alloc_random(hdrf_allocator *a);
/* Adds an agent (or all, with NULL) to the pending run's candidates. */
void alloc_trigger(hdrf_allocator *a, agent *ag);

/* alloc_blocked.c: see the file. Each call does nothing unless the role
 * order is hdrf. */
/* The framework's subscription, activity or suppression there changed. */
void blocked_sync(hdrf_allocator *a, fw_role *fr);
/* It leaves the role. */
void blocked_forget(hdrf_allocator *a, fw_role *fr);
/* A run offered it resources for the role; it declined some (a filter or
 * not); it launched from an offer; something changed for it (a task
 * ended, a filter expired or was cleared). */
void blocked_offered(hdrf_allocator *a, fw_role *fr);
void blocked_declined(hdrf_allocator *a, fw_role *fr);
void blocked_launched(hdrf_allocator *a, fw_role *fr);
void blocked_changed(hdrf_allocator *a, fw_role *fr);
/* Something changed for every framework: an agent added, grown, activated. */
void blocked_changed_all(hdrf_allocator *a);
/* Finds the saturated resources and tells the role sorter when they changed. */
int blocked_feed_saturation(hdrf_allocator *a);
void blocked_free(hdrf_allocator *a);

/* alloc_roles.c */
role *roles_find(const hdrf_allocator *a, const char *path); /* "" is the root */
/* Creates the path like mkdir -p; NULL when out of memory. */
role *roles_get(hdrf_allocator *a, const char *path);
/* Removes r and its ancestors while nothing keeps them (spec §B.4). */
void roles_prune(hdrf_allocator *a, role *r);
void roles_free_all(hdrf_allocator *a);
/* Adds (sign +1) or removes (-1) the reserved scalars of an agent's total. */
int roles_track_reservations(hdrf_allocator *a, const hdrf_resources *total, int sign);
/* Offered or allocated resources (with allocation roles): +1 or -1. */
int roles_track_held(hdrf_allocator *a, const hdrf_resources *resources, int sign);
/* The same for resources allocated to one role, from their summary. */
int roles_track_held_scalars(hdrf_allocator *a, const char *role_name, const scalar_summary *s,
                             int sign);
/* Resources tasks use (with allocation roles): +1 or -1. */
int roles_track_used(hdrf_allocator *a, const hdrf_resources *resources, int sign);
int roles_set_quota(hdrf_allocator *a, const char *path, const hdrf_quota *quota);
/* A role's limit on `name`: true with *milli when it has one. */
bool role_limit(const role *r, const char *name, int64_t *milli);

/* alloc_ledger.c */
fw_role *ledger_fw_role(framework *fw, const char *role);
/* Calls fn for every (framework, role) pair; fn must not add or remove any. */
void frameworks_each_role(hdrf_allocator *a, void (*fn)(fw_role *fr, void *arg), void *arg);
/* Puts the framework under a role (its sorter, the role sorter): the role
 * must be subscribed or about to hold resources. */
int ledger_track(hdrf_allocator *a, framework *fw, const char *role, fw_role **out);
/* Takes it out when it is neither subscribed nor holding anything there. */
void ledger_untrack_if_idle(hdrf_allocator *a, fw_role *fr);
/* Takes it out unconditionally (a framework being removed). */
void ledger_untrack(hdrf_allocator *a, fw_role *fr);
/* Gives a role's framework sorter the cluster's totals when they changed
 * since it last had them; call before walking it. */
int ledger_sorter_totals(hdrf_allocator *a, role *r);
/* Whether the framework's sorter entry should be active, and making it so. */
void ledger_sync_active(hdrf_allocator *a, fw_role *fr);
/* Offered or allocated resources of a known framework on an agent, in the
 * sorters and the role tree (not the agent: see agent_hold). */
int ledger_allocated(hdrf_allocator *a, framework *fw, agent *ag, const hdrf_resources *r);
int ledger_unallocated(hdrf_allocator *a, framework *fw, agent *ag, const hdrf_resources *r);
/* ledger_allocated() of resources allocated to one role, whose summary
 * the caller computed (it is not recomputed). */
int ledger_allocated_one(hdrf_allocator *a, framework *fw, agent *ag, const char *role_name,
                         const hdrf_resources *r, const scalar_summary *scalars);
/* An operation changed what a framework holds there (the count stays). */
int ledger_update(hdrf_allocator *a, framework *fw, agent *ag, const char *role_name,
                  const hdrf_resources *before, const hdrf_resources *after);
void fw_role_free(fw_role *fr);

/* alloc_frameworks.c */
void frameworks_free_all(hdrf_allocator *a);

/* alloc_agents.c */
/* The agent's own record of what a framework holds: +r or -r. */
int agent_hold(agent *ag, const char *framework, const hdrf_resources *r);
int agent_release(agent *ag, const char *framework, const hdrf_resources *r);
/* The run's hold of an offer it cut from what is available (no allocation
 * role yet): what is available gives it up without a containment check
 * (and with no search when it is everything there), then the offer is
 * allocated to `role` in place and recorded. */
int agent_hold_offer(agent *ag, const char *framework, hdrf_resources *offer, const char *role);
/* An operation turned `before` (held) into `after`: the record alone
 * changes; what is available is the caller's (agent_convert_total()). */
int agent_rehold(agent *ag, const char *framework, const hdrf_resources *before,
                 const hdrf_resources *after);
/* What the frameworks hold there, allocation roles stripped (new, or NULL). */
hdrf_resources *agent_held_total(const agent *ag);
/* Recomputes `available` (total minus what is held; shared stays). */
int agent_refresh_available(agent *ag);
/* Replaces the total, with the role tree, sorters and totals. */
int agent_set_total(hdrf_allocator *a, agent *ag, const hdrf_resources *total);
/* Applies conversions (no allocation roles) to the total, and to the sums
 * that count it by what they change: O(size of the conversions), not of the
 * agent, except the sorters' totals when scalar quantities change.
 * HDRF_ENOFIT, with nothing changed, when they do not apply. What is
 * available does not change when the conversions apply to held resources
 * (held and total change alike); the caller refreshes it when the agent is
 * clamped or conversions_touch_shared() (shared resources stay available). */
int agent_convert_total(hdrf_allocator *a, agent *ag, const hdrf_conversion *c, size_t n);
bool conversions_touch_shared(const hdrf_conversion *c, size_t n);
void agent_facts(const agent *ag, hdrf_agent_facts *facts);
/* Validates `used` arguments: ids, and resources that carry their role. */
int check_holdings(hdrf_allocator *a, const char *what, const hdrf_holding *used, size_t nused);
void agents_free_all(hdrf_allocator *a);

/* alloc_filters.c */
/* Mesos's Filters.refuse_seconds as a duration (spec §D.14); 0: no filter. */
hdrf_time filters_duration(double refuse_seconds);
int filters_add_offer(hdrf_allocator *a, fw_role *fr, agent *ag, const hdrf_resources *refused,
                      hdrf_time expiry);
bool filters_offer_applies(const fw_role *fr, const agent *ag, const hdrf_resources *offer);
int filters_add_inverse(framework *fw, agent *ag, hdrf_time expiry);
bool filters_inverse_applies(const framework *fw, const agent *ag, hdrf_time now);
void filters_clear_role(hdrf_allocator *a, fw_role *fr);
/* Frees a filter map's lists (counts are not kept: the role goes too). */
void filters_free_lists(strmap *filters);
void filters_clear_inverse(framework *fw);
/* Drops one reference to a refusal (NULL: none). */
void refusal_release(refusal *r);
/* A list's parts, for the sweeps: frees a whole list (counts are the
 * caller's), and counts its filters. */
void free_offer_list(offer_filter *f);
void free_inverse_list(inverse_filter *f);
size_t list_length(const offer_filter *f);

/* alloc_filters_sweep.c */
void filters_clear_agent(hdrf_allocator *a, agent *ag, bool offer, bool inverse);
/* Drops the filters that expire before a run at `now` (batch or not). */
void filters_expire(hdrf_allocator *a, hdrf_time now, bool batch);

/* alloc_offer.c: see the file */
typedef struct minimum_set {
    hdrf_quantities *const *alternatives;
    size_t n;
} minimum_set;
minimum_set offer_minimum(const hdrf_allocator *a, const fw_role *fr);
bool offer_allocatable(const hdrf_resources *r, minimum_set min);
bool offer_capable_agent(const hdrf_allocator *a, const framework *fw, const agent *ag);
/* Whether the framework can take all of r (shared, revocable and refined
 * resources need capabilities), and the part it can take (new, or NULL). */
bool offer_takes_all(const hdrf_resources *r, unsigned capabilities);
hdrf_resources *offer_takeable(const hdrf_resources *r, unsigned capabilities);
/* Quota's part: scalar, unreserved, non-revocable. New collection or NULL. */
hdrf_resources *offer_quota_part(const hdrf_resources *r);
/* Cuts r (quota part) to the quantities q; q absent names cut to nothing. */
int offer_shrink_quantities(hdrf_resources *r, const hdrf_quantities *q);
/* Cuts r by what `r0`, and with `ancestors` each role above it, allows:
 * limit - consumed - pending (pending: about to be offered in the same
 * offer, may be NULL). `ancestors`: the options' nested_quota is hdrf. */
int offer_shrink_limits(hdrf_resources *r, const role *r0, const hdrf_quantities *pending,
                        bool ancestors);
bool offer_role_limited(const role *r0, bool ancestors);

/* alloc_run.c */
int run_allocation(hdrf_allocator *a, hdrf_time now, bool batch);

#endif
