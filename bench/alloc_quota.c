/* alloc_quota.c: Mesos 1.11's LargeAndSmallQuota benchmark
 * (src/tests/hierarchical_allocator_benchmarks.cpp; docs/reference/
 * mesos-allocator-semantics.md §G.4): one batch run over roles whose quota
 * is half an agent (small: the agents are chopped) or two agents (large).
 *
 * Agents of cpus:2;mem:2048;disk:2048, small/5 + 5·large of them; role
 * smallQuotaRole<i> has guarantee = limit cpus:1;mem:1024;disk:1024,
 * largeQuotaRole<i> cpus:4;mem:4096;disk:4096, each with `per_role`
 * frameworks. As in Mesos's fixture the agents come first, then the
 * frameworks and the quotas while allocation is paused; the first batch
 * satisfies every quota, and a second one must offer nothing. Mesos runs
 * (small, large, per role) = (25,5,1), (250,50,1), (2500,500,1) under the
 * drf and the random sorter. */
#include <stdio.h>
#include <stdlib.h>

#include "bench/alloc_cases.h"
#include "bench/alloc_harness.h"

typedef struct quota_roles {
    int small, per_role;
} quota_roles;

/* Frameworks come per_role at a time: the small roles' first, then the
 * large roles'. */
static void quota_role(const void *arg, int i, char *out, size_t size)
{
    const quota_roles *q = arg;
    int role = i / q->per_role;
    if (role < q->small)
        snprintf(out, size, "smallQuotaRole%d", role);
    else
        snprintf(out, size, "largeQuotaRole%d", role - q->small);
}

/* Sets guarantee = limit = `text` on the role of framework `i`. */
static void set_quota(ab *b, int i, const char *text)
{
    hdrf_quantities *q = NULL;
    hdrf_error e;
    if (hdrf_quantities_parse(text, &q, &e) != HDRF_OK) {
        fprintf(stderr, "bench: quota '%s': %s\n", text, e.text);
        exit(1);
    }
    hdrf_limit limits[3]; /* cpus, mem, disk */
    size_t n = hdrf_quantities_size(q);
    if (n > 3)
        ab_check(NULL, HDRF_EINVAL, "quota of more than cpus, mem and disk");
    for (size_t k = 0; k < n; k++)
        limits[k] = (hdrf_limit){hdrf_quantities_name(q, k), hdrf_quantities_value(q, k)};
    hdrf_quota quota = {q, limits, n};
    ab_check(b, hdrf_allocator_update_quota(b->a, b->framework_roles[i], &quota), "update_quota");
    hdrf_quantities_free(q);
}

void case_large_and_small_quota(int small, int large, int per_role, hdrf_order order)
{
    int nagents = small / 5 + large * 5, nroles = small + large;
    const char *sorter = order == HDRF_ORDER_RANDOM ? "random" : "drf";
    printf("LargeAndSmallQuota: %d agents, %d roles, %d frameworks, with %s sorter\n", nagents,
           nroles, nroles * per_role, sorter);
    ab *b = ab_new(order, false);
    ab_agents agents = {nagents, "cpus:2;mem:2048;disk:2048", NULL, NULL};
    ab_add_agents(b, &agents);
    hdrf_allocator_pause(b->a); /* the fixture's: no run while frameworks arrive */
    quota_roles q = {small, per_role};
    ab_add_frameworks(b, nroles * per_role, quota_role, &q, HDRF_FRAMEWORK_RESERVATION_REFINEMENT);
    for (int r = 0; r < nroles; r++)
        set_quota(b, r * per_role,
                  r < small ? "cpus:1;mem:1024;disk:1024" : "cpus:4;mem:4096;disk:4096");
    hdrf_allocator_resume(b->a);

    char took[64];
    bench_watch w = ab_batch(b);
    printf("  Made %zu allocations in %s\n", b->records, bench_format(w, took, sizeof took));
    w = ab_batch(b);
    printf("  Made %zu allocations in %s (Mesos expects 0: every quota is met)\n", b->records,
           bench_format(w, took, sizeof took));
    ab_free(b);
}
