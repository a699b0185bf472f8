/* main.c: hdrf-sim, the simulator's command line.
 *
 * For now it loads a cluster file and prints what each agent offers and the
 * cluster's totals; the discrete-event simulation over the allocator core
 * grows here (issue: the simulator). Exit status: 0 on success, 1 on bad
 * input (with one line on stderr saying what and where), 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: hdrf-sim CLUSTER.json\n"
                 "  Loads a simulated cluster and prints its agents and total resources.\n");
}

static int print_cluster(const char *path, const sim_cluster *c)
{
    hdrf_resources *total = sim_cluster_total(c);
    hdrf_quantities *quantities = total ? hdrf_quantities_of(total) : NULL;
    int status = 1;
    if (!quantities) {
        fprintf(stderr, "hdrf-sim: out of memory\n");
        goto out;
    }
    printf("cluster %s: %zu agents in %zu groups\n\n", path, c->nagents, c->ngroups);
    printf("%-20s %6s  %s\n", "agents", "count", "resources of each agent");
    for (size_t i = 0; i < c->ngroups; i++) {
        char *text = hdrf_resources_format(c->groups[i].resources);
        if (!text) {
            fprintf(stderr, "hdrf-sim: out of memory\n");
            goto out;
        }
        printf("%-20s %6zu  %s\n", c->groups[i].hostname, c->groups[i].count, text);
        free(text);
    }
    printf("\n%-20s %16s\n", "resource", "cluster total");
    for (size_t i = 0; i < hdrf_quantities_size(quantities); i++) {
        long long milli = (long long)hdrf_quantities_value(quantities, i);
        printf("%-20s %12lld.%03lld\n", hdrf_quantities_name(quantities, i), milli / 1000,
               milli % 1000);
    }
    status = 0;
out:
    hdrf_quantities_free(quantities);
    hdrf_resources_free(total);
    return status;
}

int main(int argc, char **argv)
{
    char why[512];
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc != 2) {
        usage(stderr);
        return 2;
    }
    sim_cluster *c = sim_cluster_load(argv[1], why, sizeof why);
    if (!c) {
        fprintf(stderr, "hdrf-sim: %s\n", why);
        return 1;
    }
    int status = print_cluster(argv[1], c);
    sim_cluster_free(c);
    return status;
}
