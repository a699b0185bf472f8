/* alloc_update.c: Mesos 1.11's UpdateAllocation benchmark
 * (HierarchicalAllocator__BENCHMARK_WithResourceParam in
 * src/tests/hierarchical_allocator_tests.cpp; docs/reference/
 * mesos-allocator-semantics.md §G.3): the cost of one framework's RESERVE
 * and UNRESERVE on an agent that holds many resources.
 *
 * One agent; R roles, each "role-" and 36 random letters with one framework;
 * per role K reservations of cpus:100, mem:100, disk:100 and P single-port
 * ranges, each resource dynamically reserved to the role with a random
 * label so that none combine: 4·R·K resource objects, all used by their
 * role's framework. One framework then unreserves and re-reserves what it
 * holds, 20 times. Mesos runs (R, K, P) = (50,1,1), (100,1,1), (200,1,1);
 * hdrf adds (1600,1,1), the 6,400 resources of the figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/alloc_cases.h"
#include "bench/alloc_harness.h"

#define REPETITIONS 20
#define RANDOM_LENGTH 36

static uint64_t rng = 88172645463325252u;

/* `length` random lowercase letters after `prefix`, into out. */
static void random_name(const char *prefix, char *out, size_t size)
{
    int n = snprintf(out, size, "%s", prefix);
    for (int i = 0; i < RANDOM_LENGTH && (size_t)n + 1 < size; i++, n++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        out[n] = (char)('a' + rng % 26);
    }
    out[n] = '\0';
}

/* One reservation's four resources for `role`, each with its own label. */
static hdrf_resources *reservation(const char *role, int port_ranges)
{
    size_t size = 16 + 24 * (size_t)port_ranges;
    char *ports = malloc(size);
    if (!ports)
        ab_check(NULL, HDRF_ENOMEM, "ports");
    size_t len = (size_t)snprintf(ports, size, "ports:[");
    for (int k = 1; k <= port_ranges; k++)
        len += (size_t)snprintf(ports + len, size - len, "%s%d-%d", k > 1 ? "," : "", 2 * k, 2 * k);
    snprintf(ports + len, size - len, "]");
    const char *texts[4] = {"cpus:100", "mem:100", "disk:100", ports};
    hdrf_resources *all = hdrf_resources_new();
    for (int i = 0; i < 4; i++) {
        hdrf_resources *r = bench_parse(texts[i]);
        char value[64];
        random_name("", value, sizeof value);
        hdrf_label label = {"Label", value};
        ab_check(
            NULL,
            hdrf_resources_push_reservation(r, HDRF_RESERVATION_DYNAMIC, role, NULL, &label, 1),
            "reserve");
        ab_check(NULL, all ? hdrf_resources_add(all, r) : HDRF_ENOMEM, "add");
        hdrf_resources_free(r);
    }
    free(ports);
    return all;
}

/* Applies `op` on `offered` to framework1's holding on agent1: computing
 * the conversions is part of the time, as in Mesos. */
static double timed_operation(ab *b, hdrf_operation_type type, const hdrf_resources *reserved,
                              const hdrf_resources *offered)
{
    bench_watch w = bench_start();
    hdrf_operation op = {type, reserved, NULL, 0};
    hdrf_conversion *c = NULL;
    size_t n = 0;
    hdrf_error e;
    if (hdrf_operation_conversions(&op, &c, &n, &e) != HDRF_OK) {
        fprintf(stderr, "bench: conversions: %s\n", e.text);
        exit(1);
    }
    ab_check(b, hdrf_allocator_update_allocation(b->a, "framework1", "agent1", offered, c, n),
             "update_allocation");
    ab_flush(b);
    double cpu = bench_elapsed(w).cpu;
    hdrf_conversions_free(c, n);
    return cpu;
}

static void print_operations(const char *name, double *cpu)
{
    double total = 0;
    for (int i = 0; i < REPETITIONS; i++)
        total += cpu[i];
    printf("  %d %s operations took %.3f ms, each takes %.3f ms (cpu)\n", REPETITIONS, name,
           total * 1e3, total / REPETITIONS * 1e3);
    ab_print_median(name, cpu, REPETITIONS);
}

void case_update_allocation(int nroles, int nreservations, int port_ranges)
{
    printf("UpdateAllocation: %d roles, %d reservations per role, %d ranges per port "
           "resource\n",
           nroles, nreservations, port_ranges);
    ab *b = ab_new(HDRF_ORDER_DRF, false);
    char **roles = calloc((size_t)nroles, sizeof *roles);
    hdrf_holding *used = calloc((size_t)nroles, sizeof *used);
    hdrf_resources *total = hdrf_resources_new();
    if (!roles || !used || !total)
        ab_check(NULL, HDRF_ENOMEM, "set-up");
    for (int r = 0; r < nroles; r++) {
        char name[64];
        random_name("role-", name, sizeof name);
        roles[r] = strdup(name);
        if (!roles[r])
            ab_check(NULL, HDRF_ENOMEM, "role");
    }
    ab_add_frameworks(b, nroles, ab_role_listed, roles, 0);
    for (int r = 0; r < nroles; r++) {
        hdrf_resources *held = hdrf_resources_new();
        for (int k = 0; k < nreservations; k++) {
            hdrf_resources *one = reservation(roles[r], port_ranges);
            ab_check(NULL, held ? hdrf_resources_add(held, one) : HDRF_ENOMEM, "add");
            hdrf_resources_free(one);
        }
        ab_check(NULL, hdrf_resources_add(total, held), "add");
        ab_check(NULL, hdrf_resources_allocate(held, roles[r]), "allocate");
        used[r] = (hdrf_holding){b->framework_ids[r], held};
    }
    hdrf_agent_info info = {"agent1", "agent1", NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    char took[64];
    bench_watch w = bench_start();
    ab_check(b, hdrf_allocator_add_agent(b->a, &info, total, NULL, used, (size_t)nroles),
             "add_agent");
    ab_flush(b);
    printf("  Added the agent in %s\n", bench_format(bench_elapsed(w), took, sizeof took));

    /* framework1 holds used[0]: unreserve it, then reserve it again */
    hdrf_resources *unreserved = hdrf_resources_copy(used[0].resources);
    ab_check(NULL, unreserved ? hdrf_resources_to_unreserved(unreserved) : HDRF_ENOMEM,
             "unreserve");
    double reserve[REPETITIONS], unreserve[REPETITIONS];
    for (int i = 0; i < REPETITIONS; i++) {
        unreserve[i] = timed_operation(b, HDRF_OP_UNRESERVE, used[0].resources, used[0].resources);
        reserve[i] = timed_operation(b, HDRF_OP_RESERVE, used[0].resources, unreserved);
    }
    printf("  Agent resource object count: %zu (%d roles, %d reservations per role, %d ranges "
           "per port resource)\n",
           hdrf_resources_size(total), nroles, nreservations, port_ranges);
    print_operations("RESERVE", reserve);
    print_operations("UNRESERVE", unreserve);

    hdrf_resources_free(unreserved);
    for (int r = 0; r < nroles; r++) {
        hdrf_resources_free((hdrf_resources *)used[r].resources);
        free(roles[r]);
    }
    free(used);
    free(roles);
    hdrf_resources_free(total);
    ab_free(b);
}
