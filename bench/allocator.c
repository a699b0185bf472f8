/* bench/allocator.c: Mesos 1.11's allocator benchmarks, replayed on hdrf.
 *
 * Each case uses the parameters of its Mesos original and prints lines that
 * compare with Mesos's own output (the cases: alloc_grid.c, alloc_update.c,
 * alloc_quota.c; their shared set-up: alloc_harness.c). Without arguments
 * every case runs at sizes that finish in a few minutes on a small machine;
 * with a case name and parameters, that case runs alone, e.g. at the sizes
 * the issue sets targets for (bench/README.md).
 *
 * Each case runs in a child process of its own, so that the peak resident
 * set it prints (getrusage's ru_maxrss) is that case's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/alloc_cases.h"
#include "bench/bench.h"

typedef struct bench_case {
    const char *name;
    const char *params;
    const char *about;
    int min_args, max_args;
    void (*run)(char **args, int nargs);
} bench_case;

/* Argument i as a positive integer, `fallback` when absent; exits when bad. */
static int arg_int(char **args, int nargs, int i, int fallback)
{
    if (i >= nargs)
        return fallback;
    char *end;
    long v = strtol(args[i], &end, 10);
    if (*end || v <= 0 || v > 10000000) {
        fprintf(stderr, "bench: '%s' is not a positive count\n", args[i]);
        exit(2);
    }
    return (int)v;
}

/* Mesos runs 2F DeclineOffers rounds; the default here is fewer, since all
 * but the last F + 1 make the same N offers. */
#define DEFAULT_ROUNDS 5

static void run_add_update(char **a, int n)
{
    case_add_and_update_agents(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0));
}

static void run_decline(char **a, int n)
{
    case_decline_offers(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0), arg_int(a, n, 2, DEFAULT_ROUNDS));
}

static void run_decline_nested(char **a, int n)
{
    case_decline_offers_nested(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0),
                               arg_int(a, n, 2, DEFAULT_ROUNDS));
}

static void run_labels(char **a, int n)
{
    case_resource_labels(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0),
                         arg_int(a, n, 2, DEFAULT_ROUNDS));
}

static void run_suppress(char **a, int n)
{
    case_suppress_offers(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0));
}

static void run_extreme(char **a, int n)
{
    case_extreme_suppress_offers(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0));
}

static void run_update_allocation(char **a, int n)
{
    case_update_allocation(arg_int(a, n, 0, 0), arg_int(a, n, 1, 1), arg_int(a, n, 2, 1));
}

static void run_quota(char **a, int n)
{
    hdrf_order order = HDRF_ORDER_DRF;
    if (n > 3 && strcmp(a[3], "random") == 0)
        order = HDRF_ORDER_RANDOM;
    else if (n > 3 && strcmp(a[3], "drf") != 0) {
        fprintf(stderr, "bench: sorter '%s' is neither drf nor random\n", a[3]);
        exit(2);
    }
    case_large_and_small_quota(arg_int(a, n, 0, 0), arg_int(a, n, 1, 0), arg_int(a, n, 2, 1),
                               order);
}

static const bench_case cases[] = {
    {"add-update", "N F", "AddAndUpdateSlave", 2, 2, run_add_update},
    {"decline", "N F [ROUNDS]", "DeclineOffers (Mesos: 2F rounds; default 5)", 2, 3, run_decline},
    {"decline-nested", "N F [ROUNDS]", "DeclineOffers, roles a<i%50>/b<i/50%10>/c<i>", 2, 3,
     run_decline_nested},
    {"labels", "N F [ROUNDS]", "ResourceLabels", 2, 3, run_labels},
    {"suppress", "N F", "SuppressOffers (5 rounds)", 2, 2, run_suppress},
    {"extreme-suppress", "N F", "ExtremeSuppressOffers (5 rounds)", 2, 2, run_extreme},
    {"update-allocation", "ROLES [RESERVATIONS [PORT_RANGES]]",
     "UpdateAllocation: 4*ROLES*RESERVATIONS resources on one agent", 1, 3, run_update_allocation},
    {"quota", "SMALL LARGE [PER_ROLE [drf|random]]", "LargeAndSmallQuota: SMALL/5 + 5*LARGE agents",
     2, 4, run_quota},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* What `make bench` runs: every case at the smallest of Mesos's sizes (and
 * every UpdateAllocation size), so that a loaded 2-core machine finishes in
 * a minute or two; the target sizes are run by name (bench/README.md). */
static const char *const default_runs[][5] = {
    {"add-update", "1000", "100"},         {"decline", "1000", "100"},
    {"decline-nested", "1000", "100"},     {"labels", "1000", "100"},
    {"suppress", "1000", "100"},           {"extreme-suppress", "1000", "100"},
    {"update-allocation", "50"},           {"update-allocation", "100"},
    {"update-allocation", "200"},          {"quota", "25", "5", "1", "drf"},
    {"quota", "25", "5", "1", "random"},   {"quota", "250", "50", "1", "drf"},
    {"quota", "250", "50", "1", "random"},
};
#define NDEFAULT (sizeof default_runs / sizeof default_runs[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: allocator [CASE PARAMS...]   (no arguments: every case, small sizes)\n"
                 "cases (N agents, F frameworks):\n");
    for (size_t i = 0; i < NCASES; i++)
        fprintf(out, "  %-18s %-36s %s\n", cases[i].name, cases[i].params, cases[i].about);
}

/* Runs a case in a child process and waits for it; false when it failed. */
static bool run_case(const bench_case *c, char **args, int nargs)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        return false;
    }
    if (pid == 0) {
        c->run(args, nargs);
        printf("  peak RSS %.1f MiB\n\n", bench_peak_rss_mib());
        fflush(stdout);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: case %s failed\n", c->name);
        return false;
    }
    return true;
}

static const bench_case *find_case(const char *name)
{
    for (size_t i = 0; i < NCASES; i++)
        if (strcmp(cases[i].name, name) == 0)
            return &cases[i];
    return NULL;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows as it comes, even in a log */
    if (argc == 1) {
        bool ok = true;
        for (size_t i = 0; i < NDEFAULT; i++) {
            int n = 0;
            while (n + 1 < 5 && default_runs[i][n + 1])
                n++;
            ok &= run_case(find_case(default_runs[i][0]), (char **)&default_runs[i][1], n);
        }
        return ok ? 0 : 1;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    const bench_case *c = find_case(argv[1]);
    int nargs = argc - 2;
    if (!c || nargs < c->min_args || nargs > c->max_args) {
        usage(stderr);
        return 2;
    }
    return run_case(c, argv + 2, nargs) ? 0 : 1;
}
