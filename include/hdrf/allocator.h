/* hdrf/allocator.h: the hierarchical allocator, Mesos 1.11's built-in
 * allocator (HierarchicalDRFAllocator) as a deterministic C core.
 *
 * One call per event of mesos::allocator::Allocator, plus the two points at
 * which Mesos would run an allocation: hdrf_allocator_allocate() for the
 * periodic batch run and hdrf_allocator_flush() for the run that events
 * triggered. Offers and inverse offers leave through callbacks given at
 * creation, grouped per framework as framework -> role -> agent -> resources.
 *
 * Where an operator configures nothing new, the semantics are those of Mesos
 * 1.11 (docs/reference/mesos-allocator-semantics.md cites the code line by
 * line). hdrf differs on purpose in these points, each documented where it
 * applies below and in docs/mesos-conformance.md:
 *  - Bad input is refused with a status and a message (hdrf_allocator_errmsg)
 *    and changes nothing; Mesos aborts the master (CHECK).
 *  - Quota may be set on nested roles (Mesos 1.11's master accepts it on
 *    top-level roles only). By default a role is held to its own limits, as
 *    in Mesos; with nested_quota=hdrf a role's limit bounds every role below
 *    it too.
 *  - An inactive framework is never offered anything; Mesos's
 *    updateFramework() and reviveOffers() can re-activate it in its sorter.
 *  - The order of agents in a run is shuffled from a seed, so runs are
 *    reproducible; Mesos shuffles with an unseeded generator.
 *  - Inverse-offer callbacks with nothing in them are not made.
 *  - update_allocation() refuses conversions that would create resources
 *    (Mesos's quantity check clamps at zero and lets increases through).
 *  - add_agent() is accepted while paused (Mesos aborts unless recovering).
 *
 * Time. The core never reads a clock: calls that depend on time take `now`,
 * nanoseconds on the caller's clock (any epoch, never going backwards).
 *
 * Coalescing. As in Mesos, events that add work (a new agent, an activated
 * framework, a revive...) do not allocate at once: they add agents to the
 * pending run's candidates, and hdrf_allocator_flush() runs once over all of
 * them. Mesos runs that allocation when its event queue drains; a caller
 * flushes after each burst of events (the shim: when its actor's queue is
 * empty; the simulator: after each batch of simultaneous events).
 *
 * Ownership. Every argument is borrowed for the duration of the call; the
 * allocator copies what it keeps. Pointers handed to a callback (ids,
 * resources, arrays) are valid only during that callback, and a callback
 * must not call back into the allocator. Errors: calls return HDRF_OK or a
 * negative status (hdrf/status.h); hdrf_allocator_errmsg() says why the
 * last call failed, naming the ids involved. An allocator is
 * single-threaded; two allocators in one process are independent. */
#ifndef HDRF_ALLOCATOR_H
#define HDRF_ALLOCATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdrf/constraints.h"
#include "hdrf/export.h"
#include "hdrf/resources.h"
#include "hdrf/sorter.h"
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdrf_allocator hdrf_allocator;

/* Nanoseconds on the caller's clock. */
typedef int64_t hdrf_time;
#define HDRF_SECOND INT64_C(1000000000)

/* ---- capabilities -------------------------------------------------------- */

/* mesos.v1.FrameworkInfo.Capability, as the allocator reads them. */
enum {
    HDRF_FRAMEWORK_REVOCABLE_RESOURCES = 1u << 0,
    HDRF_FRAMEWORK_GPU_RESOURCES = 1u << 1,
    HDRF_FRAMEWORK_SHARED_RESOURCES = 1u << 2,
    HDRF_FRAMEWORK_MULTI_ROLE = 1u << 3,
    HDRF_FRAMEWORK_RESERVATION_REFINEMENT = 1u << 4,
    HDRF_FRAMEWORK_REGION_AWARE = 1u << 5
};

/* mesos.v1.AgentInfo.Capability that matter to allocation. Agents of Mesos
 * 1.11 have all three (HDRF_AGENT_DEFAULT). */
enum {
    HDRF_AGENT_MULTI_ROLE = 1u << 0,
    HDRF_AGENT_HIERARCHICAL_ROLE = 1u << 1,
    HDRF_AGENT_RESERVATION_REFINEMENT = 1u << 2
};
#define HDRF_AGENT_DEFAULT                                                                         \
    (HDRF_AGENT_MULTI_ROLE | HDRF_AGENT_HIERARCHICAL_ROLE | HDRF_AGENT_RESERVATION_REFINEMENT)

/* ---- options ----------------------------------------------------------------- */

/* How a nested role's offers meet the quota limits of its ancestors. */
typedef enum hdrf_nested_quota {
    /* Mesos 1.11: a role is held to its own limits only. What a subtree
     * consumes counts against each ancestor's quota (the ancestor's own
     * frameworks stop at its limit), but does not cap the descendants
     * (Mesos's QuotaWithNestedRoleAllocation test). */
    HDRF_NESTED_QUOTA_MESOS = 0,
    /* hdrf: every ancestor's limit caps the offers of the roles below it
     * too, so a subtree never exceeds the limit set on its top (the outcome
     * that test names as Mesos's TODO). */
    HDRF_NESTED_QUOTA_HDRF
} hdrf_nested_quota;

typedef struct hdrf_allocator_options {
    /* Period of batch runs (Mesos's --allocation_interval); also the least
     * time an offer filter lasts. Default 1 s. */
    hdrf_time allocation_interval;
    /* Resource names left out of fairness (--fair_sharing_excluded_resource_names).
     * NULL: {"gpus"}; a non-NULL list of length 0 excludes nothing. */
    const char *const *fairness_excluded;
    size_t nfairness_excluded;
    /* Offer agents with GPUs only to GPU_RESOURCES frameworks. Default true. */
    bool filter_gpu_resources;
    /* The master's fault-domain region; agents elsewhere are offered only to
     * REGION_AWARE frameworks. NULL (default): every agent is local. */
    const char *region;
    /* Mesos's --min_allocatable_resources: alternatives separated by '|',
     * each `name:amount;...`; an offer must hold at least one alternative
     * whole. Default "cpus:0.01|mem:32" (the master's); NULL: no minimum. */
    const char *min_allocatable_resources;
    /* After a master failover (hdrf_allocator_recover), allocation waits
     * until this fraction of the expected agents is back, or the timeout
     * passes. Defaults 0.80 and 10 minutes. */
    double agent_recovery_factor;
    hdrf_time recovery_timeout;
    /* Orderings of roles and of frameworks within a role. Default drf. */
    /* HDRF_ORDER_HDRF: the allocator tells the role sorter which roles are
     * blocked and which resources are saturated (H-DRF needs both; see
     * hdrf/sorter.h). A role is blocked while none of its frameworks can
     * take more: each is inactive, suppressed there, or declined what it was
     * offered for the role without launching since its last offer, and
     * nothing changed for it since (a task of its ended, a filter of its
     * expired, it revived, an agent was added, grew or came back). A
     * resource is saturated when no active agent has an allocatable amount
     * of it free (min_allocatable_resources' smallest amount for it alone,
     * or any amount). */
    hdrf_order role_order;
    hdrf_order framework_order;
    /* Seeds the agent shuffle of each run and the random orderings. */
    uint64_t seed;
    /* Whether ancestors' quota limits cap nested roles. Default
     * HDRF_NESTED_QUOTA_MESOS. */
    hdrf_nested_quota nested_quota;
} hdrf_allocator_options;

/* Fills *options with the defaults above. */
HDRF_API void hdrf_allocator_options_init(hdrf_allocator_options *options);

/* ---- callbacks -------------------------------------------------------------------- */

typedef struct hdrf_offer_agent {
    const char *agent;
    const hdrf_resources *resources; /* each carries its allocation role */
} hdrf_offer_agent;

typedef struct hdrf_offer_role {
    const char *role;
    const hdrf_offer_agent *agents;
    size_t nagents;
} hdrf_offer_role;

/* mesos.v1.Unavailability: a start and an optional duration. */
typedef struct hdrf_unavailability {
    hdrf_time start;
    bool has_duration;
    hdrf_time duration;
} hdrf_unavailability;

typedef struct hdrf_inverse_offer {
    const char *agent;
    hdrf_unavailability unavailability;
} hdrf_inverse_offer;

typedef struct hdrf_allocator_callbacks {
    /* Once per framework per run that offers it anything: every role, agent
     * and resource it got in that run (roles and agents sorted by name). */
    void (*offer)(void *arg, const char *framework, const hdrf_offer_role *roles, size_t nroles);
    /* Once per framework per run that has inverse offers for it. */
    void (*inverse_offer)(void *arg, const char *framework, const hdrf_inverse_offer *offers,
                          size_t n);
    void *arg;
    /* For a framework added with caller_constraints: whether its offer
     * constraints exclude the agent for the role (Mesos's
     * OfferConstraintsFilter::isAgentExcluded). Asked where the allocator
     * would evaluate its own constraints: for each (framework, role) pair on
     * each agent a run considers, before anything is offered there; it must
     * not call the allocator. NULL: such frameworks are not constrained. */
    bool (*agent_excluded)(void *arg, const char *framework, const char *role, const char *agent);
} hdrf_allocator_callbacks;

/* ---- lifecycle ------------------------------------------------------------------------ */

/* Creates an allocator (Mesos's initialize()). `options` may be NULL for the
 * defaults. HDRF_EINVAL with `error` filled for a bad option (the field, the
 * value and what is allowed). */
HDRF_API int hdrf_allocator_new(const hdrf_allocator_options *options,
                                const hdrf_allocator_callbacks *callbacks, hdrf_allocator **out,
                                hdrf_error *error);
HDRF_API void hdrf_allocator_free(hdrf_allocator *a); /* NULL is a no-op */

/* Why the last failed call failed, naming the ids and values involved.
 * Owned by the allocator, valid until its next call. After HDRF_ENOMEM an
 * event may have been applied in part: free the allocator. */
HDRF_API const char *hdrf_allocator_errmsg(const hdrf_allocator *a);

/* ---- frameworks ------------------------------------------------------------------------ */

/* A framework's offer_filters[role].min_allocatable_resources: it overrides
 * the global minimum for that role; zero alternatives mean "no minimum". */
typedef struct hdrf_role_minimum {
    const char *role;
    const hdrf_quantities *const *alternatives;
    size_t nalternatives;
} hdrf_role_minimum;

typedef struct hdrf_framework_info {
    const char *id;
    const char *name;
    /* The roles the framework subscribes to (MULTI_ROLE: all of them;
     * otherwise Mesos takes the one `role`: pass exactly one). */
    const char *const *roles;
    size_t nroles;
    unsigned capabilities; /* HDRF_FRAMEWORK_* */
    const hdrf_role_minimum *minimums;
    size_t nminimums;
    /* Offer constraints (FrameworkOptions.offerConstraintsFilter), or NULL.
     * Taken over by the allocator when the call succeeds (freed with the
     * framework or when replaced); still the caller's when it fails. */
    hdrf_constraints *constraints;
    /* FrameworkOptions.suppressedRoles: a subset of `roles`. */
    const char *const *suppressed_roles;
    size_t nsuppressed_roles;
    /* The caller decides this framework's offer constraints: the allocator
     * asks callbacks.agent_excluded for each of its roles and agents
     * instead of evaluating `constraints` (which should then be NULL). A
     * real master's OfferConstraintsFilter (RE2) decides that way. */
    bool caller_constraints;
} hdrf_framework_info;

/* Resources held by one framework on one agent. In add_framework `id` names
 * the agent; in add_agent and add_resource_provider, the framework. The
 * resources carry their allocation role. */
typedef struct hdrf_holding {
    const char *id;
    const hdrf_resources *resources;
} hdrf_holding;

HDRF_API int hdrf_allocator_add_framework(hdrf_allocator *a, const hdrf_framework_info *info,
                                          const hdrf_holding *used, size_t nused, bool active);
/* Frees everything the framework was offered or allocated (no run is
 * triggered, as in Mesos). */
HDRF_API int hdrf_allocator_remove_framework(hdrf_allocator *a, const char *framework);
HDRF_API int hdrf_allocator_activate_framework(hdrf_allocator *a, const char *framework);
/* Keeps its allocations; drops all its offer and inverse-offer filters. */
HDRF_API int hdrf_allocator_deactivate_framework(hdrf_allocator *a, const char *framework);
/* Replaces roles, capabilities, minimums, constraints and suppressed roles. */
HDRF_API int hdrf_allocator_update_framework(hdrf_allocator *a, const hdrf_framework_info *info);
/* Suppress or revive offers for some roles of a framework (all its roles when
 * nroles is 0). Revive also clears the roles' offer filters and all the
 * framework's inverse-offer filters, and triggers a run. */
HDRF_API int hdrf_allocator_suppress(hdrf_allocator *a, const char *framework,
                                     const char *const *roles, size_t nroles);
HDRF_API int hdrf_allocator_revive(hdrf_allocator *a, const char *framework,
                                   const char *const *roles, size_t nroles);

/* ---- agents ------------------------------------------------------------------------------- */

typedef struct hdrf_agent_info {
    const char *id;
    const char *hostname;
    const hdrf_attribute *attributes;
    size_t nattributes;
    const char *region; /* fault domain, or NULL */
    const char *zone;
    unsigned capabilities; /* HDRF_AGENT_* */
} hdrf_agent_info;

/* `unavailability` may be NULL. `used` may name frameworks not added yet:
 * their resources are unavailable, and enter fairness when they are added. */
HDRF_API int hdrf_allocator_add_agent(hdrf_allocator *a, const hdrf_agent_info *info,
                                      const hdrf_resources *total,
                                      const hdrf_unavailability *unavailability,
                                      const hdrf_holding *used, size_t nused);
HDRF_API int hdrf_allocator_remove_agent(hdrf_allocator *a, const char *agent);
/* Replaces the agent's info; `total` NULL keeps the total; capabilities are
 * replaced only when `update_capabilities`. Changed attributes drop every
 * filter on the agent. A run on the agent is triggered if anything changed.
 * A total below what is allocated is allowed (over-allocation). */
HDRF_API int hdrf_allocator_update_agent(hdrf_allocator *a, const hdrf_agent_info *info,
                                         const hdrf_resources *total, bool update_capabilities);
HDRF_API int hdrf_allocator_activate_agent(hdrf_allocator *a, const char *agent);
HDRF_API int hdrf_allocator_deactivate_agent(hdrf_allocator *a, const char *agent);
/* Adds a resource provider's resources to an agent's total. */
HDRF_API int hdrf_allocator_add_resource_provider(hdrf_allocator *a, const char *agent,
                                                  const hdrf_resources *total,
                                                  const hdrf_holding *used, size_t nused);
/* Only agents whose hostname is listed are offered; hostnames NULL: all. */
HDRF_API int hdrf_allocator_update_whitelist(hdrf_allocator *a, const char *const *hostnames,
                                             size_t n);

/* ---- resources ------------------------------------------------------------------------------- */

/* Refused resources come back (DECLINE, an offer rescinded, a task ended).
 * `refuse_seconds` NULL: no filter (Mesos: no Filters); else a filter for
 * max(allocation interval, refuse_seconds) from `now`, read as Mesos 1.11
 * reads it: above 365 days (+inf too): 365 days; negative: 5 s; NaN: the
 * allocation interval; 0: no filter.
 * `is_allocated`: they were used by tasks (quota consumption). Ids of a
 * framework or agent already removed are accepted and ignored, as in Mesos. */
HDRF_API int hdrf_allocator_recover_resources(hdrf_allocator *a, const char *framework,
                                              const char *agent, const hdrf_resources *resources,
                                              const double *refuse_seconds, bool is_allocated,
                                              hdrf_time now);
/* Offered resources that tasks now use. */
HDRF_API int hdrf_allocator_transition_offered_to_allocated(hdrf_allocator *a, const char *agent,
                                                            const hdrf_resources *resources);

/* A resource conversion (Mesos's ResourceConversion): `consumed` becomes
 * `converted`. */
typedef struct hdrf_conversion {
    const hdrf_resources *consumed;
    const hdrf_resources *converted;
} hdrf_conversion;

/* Operations a framework or operator applies to resources. */
typedef enum hdrf_operation_type {
    HDRF_OP_RESERVE,      /* resources; source: the resources before (optional) */
    HDRF_OP_UNRESERVE,    /* resources */
    HDRF_OP_CREATE,       /* resources: the volumes */
    HDRF_OP_DESTROY,      /* resources: the volumes */
    HDRF_OP_GROW_VOLUME,  /* resources: the volume; source: the addition */
    HDRF_OP_SHRINK_VOLUME /* resources: the volume; subtract: the amount */
} hdrf_operation_type;

typedef struct hdrf_operation {
    hdrf_operation_type type;
    const hdrf_resources *resources;
    const hdrf_resources *source;
    int64_t subtract; /* milli */
} hdrf_operation;

/* Applies conversions to resources offered or allocated to a framework on an
 * agent (operations accepted on an offer), rewriting the agent's total.
 * HDRF_ENOFIT when `offered` is not held or a conversion does not apply. */
HDRF_API int hdrf_allocator_update_allocation(hdrf_allocator *a, const char *framework,
                                              const char *agent, const hdrf_resources *offered,
                                              const hdrf_conversion *conversions, size_t n);
/* Applies operations to an agent's unallocated resources (the operator API).
 * HDRF_ENOFIT, with nothing changed, when they do not apply. */
HDRF_API int hdrf_allocator_update_available(hdrf_allocator *a, const char *agent,
                                             const hdrf_operation *operations, size_t n);

/* The conversions an operation amounts to (Mesos's getResourceConversions).
 * On HDRF_OK *out is a new array of *n conversions whose resources are new
 * collections: free it with hdrf_conversions_free(). HDRF_EINVAL (error
 * filled) for an operation that is not well formed. */
HDRF_API int hdrf_operation_conversions(const hdrf_operation *op, hdrf_conversion **out, size_t *n,
                                        hdrf_error *error);
HDRF_API void hdrf_conversions_free(hdrf_conversion *conversions, size_t n);

/* ---- maintenance ------------------------------------------------------------------------------ */

/* Sets (or, with NULL, clears) an agent's unavailability; drops its inverse
 * offer filters and triggers a run on it. */
HDRF_API int hdrf_allocator_update_unavailability(hdrf_allocator *a, const char *agent,
                                                  const hdrf_unavailability *unavailability);

/* mesos.v1.InverseOfferStatus.Status; NONE: no status in the response. */
typedef enum hdrf_inverse_status {
    HDRF_INVERSE_NONE = 0,
    HDRF_INVERSE_UNKNOWN = 1,
    HDRF_INVERSE_ACCEPT = 2,
    HDRF_INVERSE_DECLINE = 3
} hdrf_inverse_status;

/* A framework's answer to an inverse offer; `refuse_seconds` as in
 * recover_resources but without the allocation-interval minimum. */
HDRF_API int hdrf_allocator_update_inverse_offer(hdrf_allocator *a, const char *agent,
                                                 const char *framework, hdrf_inverse_status status,
                                                 const double *refuse_seconds, hdrf_time now);
/* Calls `visit` for every (agent under maintenance, framework) last status,
 * with `at`, the `now` of the update that gave it (Mesos's
 * InverseOfferStatus.timestamp). */
HDRF_API int hdrf_allocator_inverse_offer_statuses(const hdrf_allocator *a,
                                                   void (*visit)(void *arg, const char *agent,
                                                                 const char *framework,
                                                                 hdrf_inverse_status status,
                                                                 hdrf_time at),
                                                   void *arg);

/* ---- roles: quota and weights --------------------------------------------------------------- */

/* A quota limit: unlike guarantees, a limit of 0 is kept (it forbids). */
typedef struct hdrf_limit {
    const char *name;
    int64_t milli;
} hdrf_limit;

typedef struct hdrf_quota {
    const hdrf_quantities *guarantees; /* NULL: none */
    const hdrf_limit *limits;
    size_t nlimits;
} hdrf_quota;

/* Sets a role's quota; no guarantees and no limits removes it. */
HDRF_API int hdrf_allocator_update_quota(hdrf_allocator *a, const char *role,
                                         const hdrf_quota *quota);
HDRF_API int hdrf_allocator_update_weights(hdrf_allocator *a, const char *const *roles,
                                           const double *weights, size_t n);

/* After a master failover: sets quotas and, when there are any, pauses
 * allocation until agent_recovery_factor * expected_agents agents are back
 * or the recovery timeout has passed since `now`. Only before any agent. */
typedef struct hdrf_role_quota {
    const char *role;
    hdrf_quota quota;
} hdrf_role_quota;

HDRF_API int hdrf_allocator_recover(hdrf_allocator *a, int expected_agents,
                                    const hdrf_role_quota *quotas, size_t n, hdrf_time now);

/* ---- running --------------------------------------------------------------------------------- */

HDRF_API void hdrf_allocator_pause(hdrf_allocator *a);
HDRF_API void hdrf_allocator_resume(hdrf_allocator *a);
HDRF_API bool hdrf_allocator_paused(const hdrf_allocator *a);

/* The periodic batch run: allocates over every agent. */
HDRF_API int hdrf_allocator_allocate(hdrf_allocator *a, hdrf_time now);
/* The run that events since the last run triggered, over their agents; a
 * no-op when nothing is pending. */
HDRF_API int hdrf_allocator_flush(hdrf_allocator *a, hdrf_time now);
HDRF_API bool hdrf_allocator_pending(const hdrf_allocator *a);

/* ---- observing -------------------------------------------------------------------------------- */

/* Calls `emit` for every metric, with Mesos's names where Mesos has one
 * (allocator/mesos/allocation_runs, .../roles/<role>/shares/dominant, ...).
 * With the hdrf role ordering, a dominant share is H-DRF's as of the role
 * sorter's last ordering (H-DRF shares are computed when ordering), so it
 * can lag the offers of the run's last agent; drf shares are always current.
 * Timers (allocation_run, allocation_run_latency) need a clock: the caller
 * measures them around allocate() and flush(). Returns HDRF_OK, or
 * HDRF_ENOMEM before emitting anything. Cost: a pass over every agent's
 * holdings; meant for a metrics scrape, not for every event. */
HDRF_API int hdrf_allocator_metrics(const hdrf_allocator *a,
                                    void (*emit)(void *arg, const char *name, double value),
                                    void *arg);

/* Why a framework got nothing in a role in the last run. */
typedef enum hdrf_reason {
    HDRF_REASON_INACTIVE,          /* the framework is deactivated */
    HDRF_REASON_SUPPRESSED,        /* it suppressed offers for the role */
    HDRF_REASON_NOTHING_AVAILABLE, /* no agent had anything free for the role */
    HDRF_REASON_FILTERED,          /* it declined what was free, with a filter */
    HDRF_REASON_QUOTA_LIMIT,       /* the role (or an ancestor) is at its limit */
    HDRF_REASON_HEADROOM,          /* what is free is held for others' guarantees */
    HDRF_REASON_CAPABILITY,        /* GPU, region, revocable, shared, refinement, multi-role */
    HDRF_REASON_MIN_ALLOCATABLE,   /* what is free is below the minimum */
    HDRF_REASON_CONSTRAINT,        /* its offer constraints exclude the agents */
    HDRF_REASON_NO_RUN_REACHED     /* others, earlier in fair order, took everything */
} hdrf_reason;

HDRF_API const char *hdrf_reason_name(hdrf_reason reason); /* "filtered", ... */

/* Calls `visit` once per (role, framework) subscribed pair that got no offer
 * in the last run, with the reason (the most telling one met on any agent). */
HDRF_API int hdrf_allocator_explain(const hdrf_allocator *a,
                                    void (*visit)(void *arg, const char *role,
                                                  const char *framework, hdrf_reason reason),
                                    void *arg);

/* role_sorter=hdrf: calls `visit` for every role that H-DRF's role sorter
 * left out of its parent's rescaling at its last ordering (blocked), in
 * path order, with one line saying why: "blocked: no framework of it can
 * take more (framework1 declined what it was offered; framework2 is
 * inactive)", "blocked: it holds cpus, of which no agent has anything
 * allocatable left", or "blocked: every role below it is blocked". `why` is
 * valid during the call. Nothing is visited under another role order.
 * HDRF_OK, or HDRF_ENOMEM (some roles may have been visited). */
HDRF_API int hdrf_allocator_explain_blocked(const hdrf_allocator *a,
                                            void (*visit)(void *arg, const char *role,
                                                          const char *why),
                                            void *arg);

/* The allocator's state as one JSON document, for an operator to read or
 * plot (/hdrf/state): {"role_sorter", "framework_sorter", "roles": [{"role",
 * "weight", "share", "weighted_share" (the role sorter's, null for a role it
 * does not order), "blocked" (H-DRF's, as of its last ordering),
 * "frameworks" (how many it tracks), "allocated" and "reserved" (its
 * subtree's, by resource name), "quota": {"guarantees", "limits",
 * "consumed"} (only for a role with quota)}], "frameworks": [{"id", "name",
 * "active", "roles": [{"role", "subscribed", "suppressed", "filters" (offer
 * filters in force), "declined" (declined what it was last offered, under
 * role_sorter=hdrf)}]}]}; roles by path, frameworks by id, amounts in the
 * resources' units. *out is new (free() it). HDRF_OK or HDRF_ENOMEM. */
HDRF_API int hdrf_allocator_state(const hdrf_allocator *a, char **out);

#ifdef __cplusplus
}
#endif

#endif
