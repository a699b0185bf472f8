/* alloc_harness.h: the set-up and the timed steps that Mesos 1.11's
 * allocator benchmarks share, over hdrf's public API, so that each case in
 * bench/alloc_*.c says only what differs: its agents, its frameworks' roles
 * and what happens between two allocation runs.
 *
 * Mesos's fixtures (src/tests/hierarchical_allocator_tests.cpp and
 * hierarchical_allocator_benchmarks.cpp) pause the libprocess clock, issue a
 * burst of calls, wait for them to settle, and time that; "batch" advances
 * the clock by one allocation interval and times the periodic run. Here a
 * burst is the calls followed by one hdrf_allocator_flush() (the run the
 * burst triggered), and a batch is hdrf_allocator_allocate() one interval
 * later on the harness's clock. Times are given in CPU time with the wall
 * time beside them (bench.h).
 *
 * Every failure exits the program with a message: benchmarks have no error
 * path. Ownership: an ab owns its allocator, the offers it kept and the ids
 * and roles of its frameworks; ab_free() releases them. */
#ifndef HDRF_BENCH_ALLOC_HARNESS_H
#define HDRF_BENCH_ALLOC_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/bench.h"
#include "hdrf/allocator.h"

#define AB_ID_SIZE 48

/* One (framework, role, agent) record of an offer callback: what Mesos's
 * benchmarks collect as OfferedResources. */
typedef struct ab_offer {
    char framework[AB_ID_SIZE];
    char agent[AB_ID_SIZE];
    hdrf_resources *resources; /* owned; carries the allocation role */
} ab_offer;

typedef struct ab {
    hdrf_allocator *a;
    hdrf_time now; /* the harness's clock, advanced one interval per batch */
    /* Offers since the last ab_recover_offers(), kept only when asked (a
     * copy per record, as Mesos's callbacks make); counted always. */
    bool keep_offers;
    ab_offer *offers;
    size_t noffers, capacity;
    size_t records;   /* (framework, role, agent) records since ab_reset_counts() */
    size_t callbacks; /* offer callbacks since ab_reset_counts() */
    size_t recovered; /* records given back by ab_recover_offers(), in all */
    /* Frameworks in the order added: framework i is "framework<i+1>". */
    int nframeworks;
    char (*framework_ids)[AB_ID_SIZE];
    char **framework_roles;
} ab;

/* A new allocator as Mesos's fixtures configure theirs: interval 1 s,
 * minimum allocatable cpus:0.01 | mem:32, no resource left out of fairness,
 * `order` for roles and for frameworks within a role. */
ab *ab_new(hdrf_order order, bool keep_offers);
void ab_free(ab *b);

/* Exits, naming `what` and the allocator's message, unless rc is HDRF_OK. */
void ab_check(const ab *b, int rc, const char *what);

/* Writes framework i's role into role[0..size). */
typedef void (*ab_role_fn)(const void *arg, int i, char *role, size_t size);
void ab_role_fixed(const void *role, int i, char *out, size_t size);   /* arg: the role */
void ab_role_listed(const void *roles, int i, char *out, size_t size); /* arg: char *[] */

/* Adds n more active frameworks (capabilities MULTI_ROLE | `capabilities`)
 * in the roles role_of gives (i counts from the first framework ever
 * added), flushes, and prints "Added n frameworks in T". */
void ab_add_frameworks(ab *b, int n, ab_role_fn role_of, const void *arg, unsigned capabilities);

/* Agents for ab_add_agents(): agent i is "agent<i+1>" with `total`; when
 * `used` is given, framework (i % frameworks) holds it on agent i, allocated
 * to that framework's role; `more_used`, when given, builds more for agent
 * i inside the timed loop (as Mesos's ResourceLabels does; a new
 * collection, allocated to `role`; only when there are frameworks). */
typedef struct ab_agents {
    int n;
    const char *total;
    const char *used;
    hdrf_resources *(*more_used)(int agent, const char *role);
} ab_agents;

/* Adds the agents, flushes, and prints "Added n agents in T; made K offers
 * in C callbacks". */
void ab_add_agents(ab *b, const ab_agents *agents);

void ab_agent_id(int i, char *out, size_t size); /* "agent<i+1>" */

/* Flushes the run the last burst of calls triggered (a burst's "settle"). */
void ab_flush(ab *b);

/* Gives every kept offer back with `refuse_seconds` (NULL: no filter), as
 * declined, and forgets it. */
void ab_recover_offers(ab *b, const double *refuse_seconds);

void ab_reset_counts(ab *b);

/* Advances the clock one allocation interval and times the batch run. */
bench_watch ab_batch(ab *b);

/* Allocation rounds: each gives the outstanding offers back (with `refuse`),
 * calls `before` (may be NULL), times one batch and prints "round i
 * allocate() took T to make K offers" and what `describe` adds (may be
 * NULL); then the median over the rounds. */
typedef struct ab_rounds {
    int rounds;
    const double *refuse;
    void (*before)(ab *b, int round, void *arg);
    void (*describe)(ab *b, int round, char *out, size_t size, void *arg);
    void *arg;
} ab_rounds;

void ab_run_rounds(ab *b, const ab_rounds *spec);

/* Prints "<what>: median T over n (min, max)" of CPU times in seconds;
 * sorts v. */
void ab_print_median(const char *what, double *v, size_t n);

#endif
