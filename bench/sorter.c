/* sorter.c: cost of the sorter at 1,000 / 10,000 / 100,000 clients.
 *
 * Two shapes: flat (every client a child of the root) and 3-level
 * (r<i>/g<j>/c<k>, fan-out ~ cube root of the count). 100 agents; every
 * client is active and holds a small allocation. For each, prints:
 *  - update: one allocated() or unallocated() of cpus:1;mem:128 on a random
 *    client and agent, i.e. what the allocator does per offer (target: under
 *    1 us at 10,000 clients);
 *  - walk: one sort() with nothing changed since the last, under DRF (the
 *    order is kept incrementally, so this is the walk alone);
 *  - rebuild: a sort() right after an agent was added (every share changes);
 *  - hdrf and random: one sort() under those orderings;
 *  - memory per client: heap in use before and after building the sorter
 *    (the client holding one task on one agent).
 * Times are this process's CPU time (see bench_cpu_now). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "hdrf/sorter.h"

#define AGENTS 100

static void check(int status, const char *what)
{
    if (status != HDRF_OK) {
        fprintf(stderr, "bench: %s failed: %s\n", what, hdrf_strerror(status));
        exit(1);
    }
}

static uint64_t rng = 12345;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void client_name(char *buf, size_t size, int i, int fanout, bool nested)
{
    if (nested)
        snprintf(buf, size, "r%d/g%d/c%d", i / (fanout * fanout), i / fanout % fanout, i);
    else
        snprintf(buf, size, "c%d", i);
}

/* A sorter of n active clients over AGENTS agents, each client holding one
 * task on one agent. */
static hdrf_sorter *build(hdrf_order order, int n, char **names, const hdrf_resources *task)
{
    hdrf_sorter_options o = {order, 1, NULL, 0};
    hdrf_sorter *s;
    check(hdrf_sorter_new(&o, &s), "new");
    hdrf_resources *total = bench_parse("cpus:64;mem:262144;disk:1000000;ports:[31000-32000]");
    char agent[32];
    for (int a = 0; a < AGENTS; a++) {
        snprintf(agent, sizeof agent, "agent-%d", a);
        check(hdrf_sorter_add_agent(s, agent, total), "add_agent");
    }
    hdrf_resources_free(total);
    for (int i = 0; i < n; i++) {
        check(hdrf_sorter_add(s, names[i]), "add");
        check(hdrf_sorter_activate(s, names[i]), "activate");
        snprintf(agent, sizeof agent, "agent-%d", i % AGENTS);
        check(hdrf_sorter_allocated(s, names[i], agent, task), "allocated");
    }
    return s;
}

static double time_sort(hdrf_sorter *s, int rounds)
{
    const char *const *order;
    double t0 = bench_cpu_now();
    for (int r = 0; r < rounds; r++)
        if (hdrf_sorter_sort(s, &order) < 0)
            check(HDRF_ENOMEM, "sort");
    return (bench_cpu_now() - t0) / rounds;
}

static void run(int n, bool nested)
{
    int fanout = (int)ceil(cbrt((double)n));
    char **names = malloc((size_t)n * sizeof *names);
    for (int i = 0; i < n; i++) {
        char buf[64];
        client_name(buf, sizeof buf, i, fanout, nested);
        names[i] = strdup(buf);
    }
    hdrf_resources *task = bench_parse("cpus:1;mem:128");
    hdrf_resources *extra = bench_parse("cpus:1;mem:1");
    const char *shape = nested ? "3-level" : "flat";

    double heap0 = bench_heap_bytes();
    hdrf_sorter *s = build(HDRF_ORDER_DRF, n, names, task);
    double per_client = (bench_heap_bytes() - heap0) / n;
    time_sort(s, 1);

    int updates = 200000;
    char agent[32], agents[AGENTS][16];
    for (int a = 0; a < AGENTS; a++)
        snprintf(agents[a], sizeof agents[a], "agent-%d", a);
    int *picked = malloc(sizeof(int) * updates);
    for (int u = 0; u < updates; u++)
        picked[u] = (int)(next_random() % (uint64_t)n);
    double t0 = bench_cpu_now();
    for (int u = 0; u < updates; u++)
        check(hdrf_sorter_allocated(s, names[picked[u]], agents[picked[u] % AGENTS], task),
              "allocated");
    double alloc_ns = (bench_cpu_now() - t0) * 1e9 / updates;
    t0 = bench_cpu_now();
    for (int u = 0; u < updates; u++)
        check(hdrf_sorter_unallocated(s, names[picked[u]], agents[picked[u] % AGENTS], task),
              "unallocated");
    double unalloc_ns = (bench_cpu_now() - t0) * 1e9 / updates;
    free(picked);

    int rounds = n >= 100000 ? 10 : 100;
    double walk = time_sort(s, rounds);
    t0 = bench_cpu_now();
    for (int r = 0; r < rounds; r++) {
        snprintf(agent, sizeof agent, "extra-%d", r);
        check(hdrf_sorter_add_agent(s, agent, extra), "add_agent");
        time_sort(s, 1);
    }
    double rebuild = (bench_cpu_now() - t0) / rounds;
    hdrf_sorter_free(s);

    s = build(HDRF_ORDER_HDRF, n, names, task);
    double hdrf = time_sort(s, rounds);
    hdrf_sorter_free(s);
    s = build(HDRF_ORDER_RANDOM, n, names, task);
    double random = time_sort(s, rounds);
    hdrf_sorter_free(s);

    printf("sorter: %6d clients %-7s  allocated %6.0f ns  unallocated %6.0f ns  "
           "walk %8.3f ms  rebuild %8.3f ms  hdrf %8.3f ms  random %8.3f ms  "
           "%5.0f B/client\n",
           n, shape, alloc_ns, unalloc_ns, walk * 1e3, rebuild * 1e3, hdrf * 1e3, random * 1e3,
           per_client);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    hdrf_resources_free(task);
    hdrf_resources_free(extra);
}

/* With arguments (a client count, then "flat" or "nested"), runs only that
 * case, for profiling. */
int main(int argc, char **argv)
{
    const int sizes[] = {1000, 10000, 100000};
    printf("sorter: %d agents; update = one allocated()/unallocated() of cpus:1;mem:128 "
           "(target < 1 us at 10,000 clients); CPU time\n",
           AGENTS);
    if (argc == 3) {
        run(atoi(argv[1]), strcmp(argv[2], "nested") == 0);
        return 0;
    }
    for (int k = 0; k < 3; k++) {
        run(sizes[k], false);
        run(sizes[k], true);
    }
    printf("sorter: peak RSS %.1f MiB\n", bench_peak_rss_mib());
    return 0;
}
