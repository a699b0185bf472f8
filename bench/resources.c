/* resources.c: cost of the resource operations on an allocator's hot path.
 *
 * The agent of Mesos's DeclineOffers benchmark: cpus:24;mem:4096;disk:4096;
 * ports:[31000-32000], from which 16 port fragments and cpus:16;mem:2014;
 * disk:1024 are allocated. Prints ns per operation for add, subtract,
 * contains and copy of such sets, and for parsing the text form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "hdrf/resources.h"

#define ROUNDS 200000

static void report(const char *what, double seconds, int ops)
{
    printf("resources: %-44s %8.1f ns/op\n", what, seconds * 1e9 / ops);
}

int main(void)
{
    char used_text[512] = "cpus:16;mem:2014;disk:1024;ports:[";
    for (int i = 0; i < 16; i++)
        snprintf(used_text + strlen(used_text), sizeof used_text - strlen(used_text), "%s%d-%d",
                 i ? "," : "", 31000 + 60 * i, 31000 + 60 * i + 9);
    strcat(used_text, "]");
    const char *total_text = "cpus:24;mem:4096;disk:4096;ports:[31000-32000]";
    hdrf_resources *total = bench_parse(total_text), *used = bench_parse(used_text);
    hdrf_resources *available = hdrf_resources_copy(total);
    int ok = 1;

    printf("resources: agent %s, allocation %s, %d rounds\n", total_text, used_text, ROUNDS);
    double t0 = bench_now();
    for (int i = 0; i < ROUNDS; i++) {
        ok &= hdrf_resources_subtract(available, used) == HDRF_OK;
        ok &= hdrf_resources_add(available, used) == HDRF_OK;
    }
    report("subtract + add allocation (4 res, 16 ranges)", bench_now() - t0, ROUNDS);

    t0 = bench_now();
    for (int i = 0; i < ROUNDS; i++)
        ok &= hdrf_resources_contains(total, used);
    report("contains", bench_now() - t0, ROUNDS);

    t0 = bench_now();
    for (int i = 0; i < ROUNDS; i++)
        hdrf_resources_free(hdrf_resources_copy(used));
    report("copy + free", bench_now() - t0, ROUNDS);

    t0 = bench_now();
    for (int i = 0; i < ROUNDS / 10; i++)
        hdrf_resources_free(bench_parse(used_text));
    report("parse text form", bench_now() - t0, ROUNDS / 10);

    printf("resources: equal after all rounds: %s, peak RSS %.1f MiB\n",
           ok && hdrf_resources_equal(available, total) ? "yes" : "NO", bench_peak_rss_mib());
    hdrf_resources_free(total);
    hdrf_resources_free(used);
    hdrf_resources_free(available);
    return ok ? 0 : 1;
}
