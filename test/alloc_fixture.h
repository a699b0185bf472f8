/* alloc_fixture.h: Mesos's allocator test harness, in C, so that each hdrf
 * test reads like the Mesos test it mirrors (src/tests/hierarchical_allocator_tests.cpp).
 *
 * Like Mesos's fixture: agents are agent1, agent2... (hostname = id) with
 * every 1.11 agent capability; frameworks are framework1, framework2...,
 * always MULTI_ROLE; the minimum allocatable resources are cpus:0.01 or
 * mem:32; nothing is excluded from fairness; the clock only moves when a
 * test advances it. Offers go to a FIFO queue and a test takes them in
 * order: an unexpected offer fails the next expectation. Every helper
 * asserts its own success. */
#ifndef HDRF_TEST_ALLOC_FIXTURE_H
#define HDRF_TEST_ALLOC_FIXTURE_H

#include <stdbool.h>

#include "hdrf/allocator.h"

typedef struct af_item {
    char *role;
    char *agent;
    hdrf_resources *resources;
} af_item;

typedef struct af_offer {
    char *framework;
    af_item *items;
    size_t n;
} af_offer;

typedef struct af_inverse {
    char *framework;
    char **agents;
    hdrf_unavailability *unavailability;
    size_t n;
} af_inverse;

typedef struct af {
    hdrf_allocator *a;
    hdrf_time now;
    hdrf_time tick; /* the last batch run's time */
    hdrf_time interval;
    int agents, frameworks;
    af_offer *offers;
    size_t noffers, head, cap;
    af_inverse *inverse;
    size_t ninverse, ihead, icap;
    char name[64];
    /* callbacks.agent_excluded, forwarded when set (NULL: never asked) */
    bool (*excluded)(void *arg, const char *framework, const char *role, const char *agent);
    void *excluded_arg;
} af;

/* options NULL: the harness's; otherwise used as given. */
af *af_new(const hdrf_allocator_options *options);
void af_free(af *f);
/* The harness's options, to adjust before af_new. */
void af_options(hdrf_allocator_options *o);

/* Parses Mesos's text form; `role` (or NULL) becomes the allocation role. */
hdrf_resources *af_res(const char *text, const char *role);

/* Adds agentN with `resources`; `used_by`/`used` (or NULL) say that a
 * framework already uses part of it (allocated to `used_role`). Returns the
 * id, valid until the next af_agent call. */
const char *af_agent(af *f, const char *resources);
const char *af_agent_used(af *f, const char *resources, const char *used_by, const char *used_role,
                          const char *used);
/* The same with explicit capabilities and unavailability. */
const char *af_agent_full(af *f, const char *resources, unsigned capabilities,
                          const hdrf_unavailability *u, const char *used_by, const char *used_role,
                          const char *used);
/* Adds frameworkN subscribed to `roles` (comma-separated), MULTI_ROLE plus
 * `capabilities`, active. */
const char *af_framework(af *f, const char *roles, unsigned capabilities);
const char *af_framework_full(af *f, const char *roles, unsigned capabilities, bool active,
                              const char *used_on, const char *used_role, const char *used);

/* An event-triggered run (Mesos: Clock::settle()). */
void af_settle(af *f);
/* The clock advances one interval and the batch run happens. */
void af_batch(af *f);
void af_advance(af *f, double seconds); /* no run */

/* Takes the next offer and checks it is exactly this one. `spec` lists
 * entries "role@agent=resources" separated by " | ". */
void af_expect(af *f, const char *framework, const char *spec);
/* Takes the next offer, whatever it is; NULL (and a failure) if none. */
const af_offer *af_take(af *f);
/* Checks that no offer is queued. */
void af_expect_none(af *f);
/* Resources of the next queued offer's single entry, for declining it. */
void af_recover(af *f, const char *framework, const char *agent, const char *role,
                const char *resources, double refuse_seconds /* < -1e300: none */);
#define AF_NO_FILTER (-1e308)
/* Declines everything of an offer taken with af_take. */
void af_decline(af *f, const af_offer *o, double refuse_seconds);

const af_inverse *af_take_inverse(af *f);
void af_expect_no_inverse(af *f);

/* Prints an offer to stderr, for failure messages. */
void af_print_offer(const af_offer *o);

/* A metric's value, or NAN when absent. */
double af_metric(af *f, const char *name);

/* ---- more of Mesos's harness: roles, frameworks, resources, offers ---- */

/* Sets a role's quota: `guarantees` and `limits` as `name:amount;...`
 * (NULL or "": none; a limit of 0 is kept). Mesos's createQuota("X") is
 * af_quota(f, role, "X", "X"); both NULL removes the quota (DEFAULT_QUOTA). */
void af_quota(af *f, const char *role, const char *guarantees, const char *limits);
void af_weight(af *f, const char *role, double weight);
/* Suppress or revive some roles (comma-separated) of a framework; NULL: all
 * its roles. */
void af_suppress(af *f, const char *framework, const char *roles);
void af_revive(af *f, const char *framework, const char *roles);

/* Unreserved resources parsed from `text` with one reservation pushed:
 * Mesos's Resources::pushReservation (a DYNAMIC one without principal, as
 * the parameterised tests build it, unless `principal` is given). */
hdrf_resources *af_reserve(const char *text, hdrf_reservation_type type, const char *role,
                           const char *principal);
/* af_agent_used for a total (and a used part, with its allocation role)
 * given as collections; `used` may be NULL. */
const char *af_agent_with(af *f, const hdrf_resources *total, const char *used_by,
                          const hdrf_resources *used);

/* af_recover for resources given as a collection (allocated to `role` here). */
void af_recover_res(af *f, const char *framework, const char *agent, const char *role,
                    const hdrf_resources *resources, double refuse_seconds);

/* Takes the next offer and checks it is one entry: `resources` (allocated
 * to `role` here) on `agent`. */
void af_expect_res(af *f, const char *framework, const char *role, const char *agent,
                   const hdrf_resources *resources);
/* Whether an offer taken with af_take is exactly `spec` (as af_expect). */
bool af_offer_is(const af_offer *o, const char *framework, const char *spec);
/* The sum of an offer's entries, allocation roles kept. */
hdrf_resources *af_offer_sum(const af_offer *o);

#endif
