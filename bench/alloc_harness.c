/* alloc_harness.c: the shared set-up and timed steps of the allocator
 * benchmarks (see alloc_harness.h for what Mesos's fixtures do and how a
 * burst and a batch map onto hdrf's calls). */
#include "bench/alloc_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    return p;
}

void ab_check(const ab *b, int rc, const char *what)
{
    if (rc != HDRF_OK) {
        fprintf(stderr, "bench: %s: %s (%s)\n", what, hdrf_strerror(rc),
                b ? hdrf_allocator_errmsg(b->a) : "");
        exit(1);
    }
}

static void keep_offer(ab *b, const char *framework, const hdrf_offer_agent *agent)
{
    if (b->noffers == b->capacity) {
        b->capacity = b->capacity ? 2 * b->capacity : 1024;
        b->offers = xrealloc(b->offers, b->capacity * sizeof *b->offers);
    }
    ab_offer *o = &b->offers[b->noffers];
    snprintf(o->framework, sizeof o->framework, "%s", framework);
    snprintf(o->agent, sizeof o->agent, "%s", agent->agent);
    o->resources = hdrf_resources_copy(agent->resources);
    if (!o->resources)
        ab_check(NULL, HDRF_ENOMEM, "copy of an offer");
    b->noffers++;
}

static void on_offer(void *arg, const char *framework, const hdrf_offer_role *roles, size_t nroles)
{
    ab *b = arg;
    b->callbacks++;
    for (size_t i = 0; i < nroles; i++) {
        b->records += roles[i].nagents;
        for (size_t j = 0; b->keep_offers && j < roles[i].nagents; j++)
            keep_offer(b, framework, &roles[i].agents[j]);
    }
}

ab *ab_new(hdrf_order order, bool keep_offers)
{
    static const char *const none[1] = {NULL};
    ab *b = calloc(1, sizeof *b);
    if (!b)
        ab_check(NULL, HDRF_ENOMEM, "new");
    b->keep_offers = keep_offers;
    hdrf_allocator_options o;
    hdrf_allocator_options_init(&o); /* Mesos's defaults: interval, minimums */
    o.fairness_excluded = none;      /* Mesos's fixtures exclude nothing */
    o.nfairness_excluded = 0;
    o.role_order = order;
    o.framework_order = order;
    hdrf_allocator_callbacks cb = {.offer = on_offer, .inverse_offer = NULL, .arg = b};
    hdrf_error e;
    if (hdrf_allocator_new(&o, &cb, &b->a, &e) != HDRF_OK) {
        fprintf(stderr, "bench: new allocator: %s\n", e.text);
        exit(1);
    }
    return b;
}

static void forget_offers(ab *b)
{
    for (size_t i = 0; i < b->noffers; i++)
        hdrf_resources_free(b->offers[i].resources);
    b->noffers = 0;
}

void ab_free(ab *b)
{
    if (!b)
        return;
    forget_offers(b);
    free(b->offers);
    for (int i = 0; i < b->nframeworks; i++)
        free(b->framework_roles[i]);
    free(b->framework_roles);
    free(b->framework_ids);
    hdrf_allocator_free(b->a);
    free(b);
}

void ab_role_fixed(const void *role, int i, char *out, size_t size)
{
    (void)i;
    snprintf(out, size, "%s", (const char *)role);
}

void ab_role_listed(const void *roles, int i, char *out, size_t size)
{
    snprintf(out, size, "%s", ((char *const *)roles)[i]);
}

void ab_flush(ab *b) { ab_check(b, hdrf_allocator_flush(b->a, b->now), "flush"); }

void ab_reset_counts(ab *b)
{
    b->records = 0;
    b->callbacks = 0;
}

void ab_add_frameworks(ab *b, int n, ab_role_fn role_of, const void *arg, unsigned capabilities)
{
    int first = b->nframeworks, end = first + n;
    b->framework_ids = xrealloc(b->framework_ids, (size_t)end * sizeof *b->framework_ids);
    b->framework_roles = xrealloc(b->framework_roles, (size_t)end * sizeof *b->framework_roles);
    char role[256];
    for (int i = first; i < end; i++) {
        snprintf(b->framework_ids[i], AB_ID_SIZE, "framework%d", i + 1);
        role_of(arg, i, role, sizeof role);
        b->framework_roles[i] = strdup(role);
        if (!b->framework_roles[i])
            ab_check(NULL, HDRF_ENOMEM, "framework role");
        b->nframeworks = i + 1;
    }
    char took[64];
    bench_watch w = bench_start();
    for (int i = first; i < end; i++) {
        const char *roles[1] = {b->framework_roles[i]};
        hdrf_framework_info info = {.id = b->framework_ids[i],
                                    .name = b->framework_ids[i],
                                    .roles = roles,
                                    .nroles = 1,
                                    .capabilities = capabilities | HDRF_FRAMEWORK_MULTI_ROLE};
        ab_check(b, hdrf_allocator_add_framework(b->a, &info, NULL, 0, true), "add_framework");
    }
    ab_flush(b);
    printf("  Added %d frameworks in %s\n", n, bench_format(bench_elapsed(w), took, sizeof took));
}

void ab_agent_id(int i, char *out, size_t size) { snprintf(out, size, "agent%d", i + 1); }

/* `used` allocated to each framework's role, built before the timed loop
 * (Mesos's benchmarks build their allocation before starting the watch). */
static hdrf_resources **used_per_framework(const ab *b, const char *used_text)
{
    if (!used_text || b->nframeworks == 0)
        return NULL;
    hdrf_resources **v = xrealloc(NULL, (size_t)b->nframeworks * sizeof *v);
    hdrf_resources *used = bench_parse(used_text);
    for (int f = 0; f < b->nframeworks; f++) {
        v[f] = hdrf_resources_copy(used);
        if (!v[f])
            ab_check(NULL, HDRF_ENOMEM, "copy of used resources");
        ab_check(NULL, hdrf_resources_allocate(v[f], b->framework_roles[f]), "allocate");
    }
    hdrf_resources_free(used);
    return v;
}

void ab_add_agents(ab *b, const ab_agents *agents)
{
    hdrf_resources *total = bench_parse(agents->total);
    hdrf_resources **used = used_per_framework(b, agents->used);
    char took[64];
    ab_reset_counts(b);
    bench_watch w = bench_start();
    for (int i = 0; i < agents->n; i++) {
        char id[AB_ID_SIZE];
        ab_agent_id(i, id, sizeof id);
        int f = b->nframeworks ? i % b->nframeworks : 0;
        hdrf_resources *held = used ? used[f] : NULL;
        hdrf_resources *more = NULL;
        if (agents->more_used && b->nframeworks) {
            more = agents->more_used(i, b->framework_roles[f]);
            ab_check(b, held ? hdrf_resources_add(more, held) : HDRF_OK, "add used");
            held = more;
        }
        hdrf_agent_info info = {id, id, NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
        hdrf_holding h = {held ? b->framework_ids[f] : NULL, held};
        ab_check(b, hdrf_allocator_add_agent(b->a, &info, total, NULL, &h, held ? 1 : 0),
                 "add_agent");
        hdrf_resources_free(more);
    }
    ab_flush(b);
    printf("  Added %d agents in %s; made %zu offers in %zu callbacks\n", agents->n,
           bench_format(bench_elapsed(w), took, sizeof took), b->records, b->callbacks);
    for (int f = 0; used && f < b->nframeworks; f++)
        hdrf_resources_free(used[f]);
    free(used);
    hdrf_resources_free(total);
}

void ab_recover_offers(ab *b, const double *refuse_seconds)
{
    for (size_t i = 0; i < b->noffers; i++)
        ab_check(b,
                 hdrf_allocator_recover_resources(b->a, b->offers[i].framework, b->offers[i].agent,
                                                  b->offers[i].resources, refuse_seconds, false,
                                                  b->now),
                 "recover_resources");
    b->recovered += b->noffers;
    forget_offers(b);
}

bench_watch ab_batch(ab *b)
{
    ab_reset_counts(b);
    b->now += HDRF_SECOND; /* Mesos's default allocation interval */
    bench_watch w = bench_start();
    ab_check(b, hdrf_allocator_allocate(b->a, b->now), "allocate");
    return bench_elapsed(w);
}

void ab_print_median(const char *what, double *v, size_t n)
{
    double lo = v[0], hi = v[0];
    for (size_t i = 1; i < n; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    printf("  %s: median %.3f ms over %zu (min %.3f, max %.3f; cpu)\n", what,
           bench_median(v, n) * 1e3, n, lo * 1e3, hi * 1e3);
}

void ab_run_rounds(ab *b, const ab_rounds *spec)
{
    double *cpu = xrealloc(NULL, (size_t)(spec->rounds > 0 ? spec->rounds : 1) * sizeof *cpu);
    for (int r = 0; r < spec->rounds; r++) {
        ab_recover_offers(b, spec->refuse);
        if (spec->before)
            spec->before(b, r, spec->arg);
        bench_watch w = ab_batch(b);
        cpu[r] = w.cpu;
        char took[64], more[160] = "";
        if (spec->describe)
            spec->describe(b, r, more, sizeof more, spec->arg);
        printf("  round %d allocate() took %s to make %zu offers%s\n", r,
               bench_format(w, took, sizeof took), b->records, more);
    }
    if (spec->rounds > 0)
        ab_print_median("allocate() per round", cpu, (size_t)spec->rounds);
    free(cpu);
}
