/* bench/allocator.c: Mesos 1.11's allocator benchmarks, replayed on hdrf.
 *
 * Each workload uses the parameters of its Mesos original
 * (src/tests/hierarchical_allocator_tests.cpp; docs/reference/
 * mesos-allocator-semantics.md §G) and prints lines that compare with
 * Mesos's own output. A burst of events is followed by one flush, as
 * Mesos coalesces the allocations a burst triggers.
 *
 *   build/bench/allocator                       every workload, default sizes
 *   build/bench/allocator decline N F [rounds]  DeclineOffers only
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "hdrf/allocator.h"

/* Offers collected from the callback, to be declined or counted. */
typedef struct outstanding {
    char framework[32];
    char agent[32];
    hdrf_resources *resources;
} outstanding;

typedef struct sink {
    outstanding *v;
    size_t n, cap;
    size_t callbacks;
} sink;

static void on_offer(void *arg, const char *framework, const hdrf_offer_role *roles,
                     size_t nroles)
{
    sink *s = arg;
    s->callbacks++;
    for (size_t i = 0; i < nroles; i++)
        for (size_t j = 0; j < roles[i].nagents; j++) {
            if (s->n == s->cap) {
                s->cap = s->cap ? 2 * s->cap : 1024;
                s->v = realloc(s->v, s->cap * sizeof *s->v);
                if (!s->v)
                    exit(1);
            }
            outstanding *o = &s->v[s->n++];
            snprintf(o->framework, sizeof o->framework, "%s", framework);
            snprintf(o->agent, sizeof o->agent, "%s", roles[i].agents[j].agent);
            o->resources = hdrf_resources_copy(roles[i].agents[j].resources);
        }
}

static void sink_clear(sink *s)
{
    for (size_t i = 0; i < s->n; i++)
        hdrf_resources_free(s->v[i].resources);
    s->n = 0;
}

static void check(hdrf_allocator *a, int rc, const char *what)
{
    if (rc != HDRF_OK) {
        fprintf(stderr, "bench: %s: %s (%s)\n", what, hdrf_strerror(rc),
                a ? hdrf_allocator_errmsg(a) : "");
        exit(1);
    }
}

static hdrf_allocator *new_allocator(sink *s)
{
    static const char *const none[1] = {NULL};
    hdrf_allocator_options o;
    hdrf_allocator_options_init(&o);
    o.fairness_excluded = none; /* Mesos's benchmarks exclude nothing */
    o.nfairness_excluded = 0;
    hdrf_allocator_callbacks cb = {on_offer, NULL, s};
    hdrf_allocator *a;
    hdrf_error e;
    check(NULL, hdrf_allocator_new(&o, &cb, &a, &e), "new");
    return a;
}

static void add_frameworks(hdrf_allocator *a, int n, const char *const *roles, size_t nroles,
                           unsigned caps)
{
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "framework%d", i + 1);
        const char *role = roles[i % nroles];
        hdrf_framework_info info = {id, id, &role, 1, caps | HDRF_FRAMEWORK_MULTI_ROLE,
                                    NULL, 0, NULL, NULL, 0};
        check(a, hdrf_allocator_add_framework(a, &info, NULL, 0, true), "add_framework");
    }
}

/* Adds n agents, agent i used by framework i % f (allocated to `role`). */
static void add_agents(hdrf_allocator *a, int n, int f, const char *total_text,
                       const char *used_text, const char *role)
{
    hdrf_resources *total = bench_parse(total_text);
    hdrf_resources *used = used_text ? bench_parse(used_text) : NULL;
    if (used)
        hdrf_resources_allocate(used, role);
    for (int i = 0; i < n; i++) {
        char id[32], fw[32];
        snprintf(id, sizeof id, "agent%d", i + 1);
        snprintf(fw, sizeof fw, "framework%d", i % f + 1);
        hdrf_agent_info info = {id, id, NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
        hdrf_holding h = {fw, used};
        check(a, hdrf_allocator_add_agent(a, &info, total, NULL, &h, used ? 1 : 0), "add_agent");
    }
    hdrf_resources_free(total);
    hdrf_resources_free(used);
}

static void decline_all(hdrf_allocator *a, sink *s, const double *refuse, hdrf_time now)
{
    for (size_t i = 0; i < s->n; i++)
        check(a,
              hdrf_allocator_recover_resources(a, s->v[i].framework, s->v[i].agent,
                                               s->v[i].resources, refuse, false, now),
              "recover_resources");
    sink_clear(s);
}

/* The 16 port fragments Mesos's benchmarks mark as used. */
#define FRAGMENT_PORTS                                                                             \
    "ports:[31000-31000,31002-31002,31004-31004,31006-31006,31008-31008,31010-31010,"            \
    "31012-31012,31014-31014,31016-31016,31018-31018,31020-31020,31022-31022,31024-31024,"        \
    "31026-31026,31028-31028,31030-32000]"

/* DeclineOffers: every offer is declined with refuse_seconds = INT_MAX, so
 * each round every agent is offered to the next framework in fair order
 * that has not refused it yet. */
static void decline_offers(int nagents, int nframeworks, int rounds, const char *const *roles,
                           size_t nroles, const char *label)
{
    sink s = {0};
    hdrf_allocator *a = new_allocator(&s);
    printf("DeclineOffers%s: %d agents, %d frameworks\n", label, nagents, nframeworks);
    double t0 = bench_now();
    add_frameworks(a, nframeworks, roles, nroles, 0);
    check(a, hdrf_allocator_flush(a, 0), "flush");
    printf("  Added %d frameworks in %.3f ms\n", nframeworks, (bench_now() - t0) * 1e3);
    t0 = bench_now();
    add_agents(a, nagents, nframeworks, "cpus:24;mem:4096;disk:4096;ports:[31000-32000]",
               "cpus:16;mem:2014;disk:1024;" FRAGMENT_PORTS, roles[0]);
    check(a, hdrf_allocator_flush(a, 0), "flush");
    printf("  Added %d agents in %.3f ms; made %zu offers\n", nagents, (bench_now() - t0) * 1e3,
           s.n);
    double refuse = (double)INT_MAX, total = 0, worst = 0;
    size_t declined = 0;
    for (int r = 0; r < rounds; r++) {
        hdrf_time now = (hdrf_time)(r + 1) * HDRF_SECOND;
        declined += s.n;
        decline_all(a, &s, &refuse, now - 1);
        t0 = bench_now();
        check(a, hdrf_allocator_allocate(a, now), "allocate");
        double dt = bench_now() - t0;
        total += dt;
        if (dt > worst)
            worst = dt;
        printf("  round %d allocate() took %.3f ms to make %zu offers after filtering %zu "
               "offers\n",
               r, dt * 1e3, s.n, declined);
    }
    printf("  mean round %.3f ms, worst %.3f ms; peak RSS %.1f MiB\n", total / rounds * 1e3,
           worst * 1e3, bench_peak_rss_mib());
    sink_clear(&s);
    free(s.v);
    hdrf_allocator_free(a);
}

int main(int argc, char **argv)
{
    static const char *const star[] = {"*"};
    if (argc >= 4 && strcmp(argv[1], "decline") == 0) {
        decline_offers(atoi(argv[2]), atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 10, star, 1, "");
        return 0;
    }
    decline_offers(1000, 100, 5, star, 1, "");
    decline_offers(10000, 1000, 5, star, 1, "");
    return 0;
}
