/* alloc_grid.c: the cases of Mesos 1.11's HierarchicalAllocator_BENCHMARK_Test
 * (src/tests/hierarchical_allocator_tests.cpp), parameterised as there by
 * agents N and frameworks F (Mesos's grid: N in 1,000..50,000, F in
 * 1..6,000): AddAndUpdateSlave, DeclineOffers, ResourceLabels,
 * SuppressOffers, ExtremeSuppressOffers; and hdrf's DeclineOffers over
 * frameworks in three levels of roles. docs/reference/
 * mesos-allocator-semantics.md §G.1 has each case's set-up and its expected
 * offer counts. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/alloc_cases.h"
#include "bench/alloc_harness.h"

/* The 16 port fragments Mesos's benchmarks mark as used:
 * fragment([31000-32000], 16) in src/tests/resources_utils.cpp. */
#define FRAGMENT_PORTS                                                                             \
    "ports:[31000-31000,31002-31002,31004-31004,31006-31006,31008-31008,31010-31010,"              \
    "31012-31012,31014-31014,31016-31016,31018-31018,31020-31020,31022-31022,31024-31024,"         \
    "31026-31026,31028-31028,31030-32000]"

#define DECLINE_AGENT "cpus:24;mem:4096;disk:4096;ports:[31000-32000]"

/* Mesos's refuse_seconds = INT_MAX: the filter outlives the benchmark. */
static const double refuse_forever = (double)INT_MAX;

/* ---- AddAndUpdateSlave ------------------------------------------------------ */

/* Adds N agents, a part of each used by a framework, then adds revocable
 * cpus:10 to every agent's total; each burst's offers are counted. */
void case_add_and_update_agents(int nagents, int nframeworks)
{
    printf("AddAndUpdateSlave: %d agents, %d frameworks\n", nagents, nframeworks);
    ab *b = ab_new(HDRF_ORDER_DRF, false);
    ab_add_frameworks(b, nframeworks, ab_role_fixed, "*", HDRF_FRAMEWORK_REVOCABLE_RESOURCES);
    const char *total_text = "cpus:2;mem:1024;disk:4096;ports:[31000-32000]";
    ab_agents agents = {nagents, total_text,
                        "cpus:1;mem:128;disk:1024;"
                        "ports:[31126-31510,31512-31623,31810-31852,31854-31964]",
                        NULL};
    ab_add_agents(b, &agents);

    hdrf_resources *total = bench_parse(total_text);
    hdrf_resources *revocable = bench_parse(
        "[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":10},\"revocable\":{}}]");
    ab_check(b, hdrf_resources_add(total, revocable), "add revocable");
    ab_reset_counts(b);
    bench_watch w = bench_start();
    for (int i = 0; i < nagents; i++) {
        char id[AB_ID_SIZE];
        ab_agent_id(i, id, sizeof id);
        hdrf_agent_info info = {id, id, NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
        ab_check(b, hdrf_allocator_update_agent(b->a, &info, total, false), "update_agent");
    }
    ab_flush(b);
    char took[64];
    printf("  Updated %d agents in %s; made %zu offers in %zu callbacks\n", nagents,
           bench_format(bench_elapsed(w), took, sizeof took), b->records, b->callbacks);
    hdrf_resources_free(revocable);
    hdrf_resources_free(total);
    ab_free(b);
}

/* ---- DeclineOffers and ResourceLabels ----------------------------------------------- */

static void describe_declined(ab *b, int round, char *out, size_t size, void *arg)
{
    (void)round;
    (void)arg;
    snprintf(out, size, " after filtering %zu offers", b->recovered);
}

/* Every round declines every outstanding offer for ever, so each agent goes
 * to the next framework in fair order that has not refused it: N offers a
 * round for F - 1 rounds, none after (Mesos runs 2F rounds). */
static void decline_rounds(ab *b, int rounds)
{
    ab_rounds spec = {rounds, &refuse_forever, NULL, describe_declined, NULL};
    ab_run_rounds(b, &spec);
}

static void decline_offers(const char *name, int nagents, int nframeworks, int rounds,
                           ab_role_fn role_of, const void *arg)
{
    printf("%s: %d agents, %d frameworks, %d rounds\n", name, nagents, nframeworks, rounds);
    ab *b = ab_new(HDRF_ORDER_DRF, true);
    ab_add_frameworks(b, nframeworks, role_of, arg, 0);
    ab_agents agents = {nagents, DECLINE_AGENT, "cpus:16;mem:2014;disk:1024;" FRAGMENT_PORTS, NULL};
    ab_add_agents(b, &agents);
    decline_rounds(b, rounds);
    ab_free(b);
}

void case_decline_offers(int nagents, int nframeworks, int rounds)
{
    decline_offers("DeclineOffers", nagents, nframeworks, rounds, ab_role_fixed, "*");
}

/* Framework i's role: a<i % 50>/b<i / 50 % 10>/c<i>, i.e. 50 top-level
 * roles of 10 children each, and a leaf per framework. */
static void role_three_levels(const void *arg, int i, char *out, size_t size)
{
    (void)arg;
    snprintf(out, size, "a%d/b%d/c%d", i % 50, i / 50 % 10, i);
}

void case_decline_offers_nested(int nagents, int nframeworks, int rounds)
{
    decline_offers("DeclineOffers, 3-level roles", nagents, nframeworks, rounds, role_three_levels,
                   NULL);
}

/* `count` labels key<i>:value<i>, i = 0..count-1, their text in `text`. */
static void numbered_labels(hdrf_label *labels, char (*text)[2][32], int count)
{
    for (int i = 0; i < count; i++) {
        snprintf(text[i][0], sizeof text[i][0], "key%d", i);
        snprintf(text[i][1], sizeof text[i][1], "value%d", i);
        labels[i] = (hdrf_label){text[i][0], text[i][1]};
    }
}

static hdrf_resources *labelled_cpus(const char *role, const hdrf_label *labels, size_t n)
{
    hdrf_resources *r = bench_parse("cpus:8");
    ab_check(
        NULL,
        hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, role, "principal1", labels, n),
        "reserve");
    return r;
}

/* ResourceLabels's extra used resources on agent i: cpus:8 twice, each
 * dynamically reserved with 12 labels that differ only in the last, unique
 * to the agent. Mesos's code adds both unique labels to the first set
 * (labels1 gets 13, labels2 11); replayed as written. */
static hdrf_resources *labelled_reservations(int agent, const char *role)
{
    char text[11][2][32], value[32];
    hdrf_label labels1[13], labels2[11];
    numbered_labels(labels1, text, 11);
    memcpy(labels2, labels1, sizeof labels2);
    snprintf(value, sizeof value, "value_%d", agent);
    labels1[11] = (hdrf_label){"unique_key_1", value};
    labels1[12] = (hdrf_label){"unique_key_2", value};
    hdrf_resources *used = labelled_cpus(role, labels1, 13);
    hdrf_resources *second = labelled_cpus(role, labels2, 11);
    ab_check(NULL, hdrf_resources_add(used, second), "add reservations");
    ab_check(NULL, hdrf_resources_allocate(used, role), "allocate");
    hdrf_resources_free(second);
    return used;
}

void case_resource_labels(int nagents, int nframeworks, int rounds)
{
    printf("ResourceLabels: %d agents, %d frameworks, %d rounds\n", nagents, nframeworks, rounds);
    ab *b = ab_new(HDRF_ORDER_DRF, true);
    ab_add_frameworks(b, nframeworks, ab_role_fixed, "role1", 0);
    ab_agents agents = {nagents, DECLINE_AGENT, "mem:2014;disk:1024;" FRAGMENT_PORTS,
                        labelled_reservations};
    ab_add_agents(b, &agents);
    decline_rounds(b, rounds);
    ab_free(b);
}

/* ---- SuppressOffers and ExtremeSuppressOffers ------------------------------------------- */

#define SUPPRESS_ROUNDS 5

typedef struct suppressing {
    int count; /* frameworks suppressed so far, in the order added */
    int step;  /* how many more before each round */
} suppressing;

static void suppress_more(ab *b, int round, void *arg)
{
    (void)round;
    suppressing *s = arg;
    for (int i = 0; i < s->step && s->count < b->nframeworks; i++, s->count++)
        ab_check(b, hdrf_allocator_suppress(b->a, b->framework_ids[s->count], NULL, 0), "suppress");
    ab_flush(b);
}

static void describe_suppressed(ab *b, int round, char *out, size_t size, void *arg)
{
    (void)round;
    snprintf(out, size, " with %d out of %d frameworks suppressing offers",
             ((suppressing *)arg)->count, b->nframeworks);
}

/* Offers come back without a filter before each round, so only suppression
 * keeps frameworks from being offered. `first` frameworks are suppressed
 * before the rounds, `step` more before each. */
static void suppress_offers(const char *name, int nagents, int nframeworks, int first, int step)
{
    printf("%s: %d agents, %d frameworks, %d rounds\n", name, nagents, nframeworks,
           SUPPRESS_ROUNDS);
    ab *b = ab_new(HDRF_ORDER_DRF, true);
    ab_add_frameworks(b, nframeworks, ab_role_fixed, "*", 0);
    ab_agents agents = {nagents, DECLINE_AGENT, "cpus:16;mem:1024;disk:1024;" FRAGMENT_PORTS, NULL};
    ab_add_agents(b, &agents);
    suppressing s = {0, first};
    suppress_more(b, 0, &s);
    s.step = step;
    ab_rounds spec = {SUPPRESS_ROUNDS, NULL, suppress_more, describe_suppressed, &s};
    ab_run_rounds(b, &spec);
    ab_free(b);
}

/* F / 5 more frameworks suppress before each of the 5 rounds. */
void case_suppress_offers(int nagents, int nframeworks)
{
    suppress_offers("SuppressOffers", nagents, nframeworks, 0, nframeworks / SUPPRESS_ROUNDS);
}

/* 99% of the frameworks suppress before the first round. */
void case_extreme_suppress_offers(int nagents, int nframeworks)
{
    suppress_offers("ExtremeSuppressOffers", nagents, nframeworks, (int)(nframeworks * 0.99), 0);
}
