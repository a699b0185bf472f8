/* bench/orch.c: what the scheduler's orchestrator costs per event.
 *
 * A: apps of I instances each (cpus 0.1, mem 32) over N agents of cpus 32,
 * mem 65536, all offered at once: the first offer round places every
 * instance; then every task reports RUNNING; then a round with nothing to
 * do declines every offer; then the whole state goes to JSON and back.
 * Each line gives the figure per event, so that sizes compare.
 *
 *   build/bench/orch [apps instances agents]     defaults 200 10 100
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/orch.h"
#include "bench/bench.h"

static void check(int status, const sched_error *err, const char *what)
{
    if (status != HDRF_OK) {
        fprintf(stderr, "bench/orch: %s: %s\n", what, err->text);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    long apps = argc > 3 ? atol(argv[1]) : 200, instances = argc > 3 ? atol(argv[2]) : 10,
         agents = argc > 3 ? atol(argv[3]) : 100;
    orch *o = NULL, *restored = NULL;
    orch_out out = {0};
    sched_error err;
    orch_offer *offers = calloc((size_t)agents, sizeof *offers);
    hdrf_resources *res = bench_parse("cpus:32;mem:65536");
    char(*ids)[32] = calloc((size_t)agents, sizeof *ids);
    char **tasks;
    size_t n_tasks = 0;
    double t0, t1, t2;
    json_t *doc;
    char *text;
    if (!offers || !ids)
        return 1;
    check(orch_new(NULL, &o, &err), &err, "orch_new");
    for (long a = 0; a < apps; a++) {
        char def[160];
        json_t *j;
        snprintf(def, sizeof def,
                 "{\"id\":\"app%ld\",\"instances\":%ld,\"resources\":\"cpus:0.1;mem:32\","
                 "\"command\":\"run\"}",
                 a, instances);
        j = json_loads(def, 0, NULL);
        check(orch_submit(o, j, 0, 0, NULL, &out, &err), &err, "submit");
        json_decref(j);
        orch_out_free(&out);
    }
    for (long i = 0; i < agents; i++) {
        snprintf(ids[i], sizeof ids[i], "agent%ld", i);
        offers[i] = (orch_offer){ids[i], NULL, {{ids[i], ids[i], NULL, 0}, res, 0}};
    }
    printf("orch: %ld apps x %ld instances over %ld agents\n", apps, instances, agents);

    t0 = bench_now();
    check(orch_offers(o, offers, (size_t)agents, 1, &out, &err), &err, "offers");
    t1 = bench_now();
    printf("  first round: %zu launches on %zu offers in %.3f s (%.1f us per launch)\n",
           out.n_launches, out.n_accepts, t1 - t0, (t1 - t0) * 1e6 / (double)out.n_launches);
    tasks = calloc(out.n_launches ? out.n_launches : 1, sizeof *tasks);
    for (size_t i = 0; tasks && i < out.n_launches; i++) {
        tasks[n_tasks++] = out.launches[i].task_id;
        out.launches[i].task_id = NULL;
    }
    orch_out_free(&out);

    t0 = bench_now();
    for (size_t i = 0; i < n_tasks; i++) {
        check(orch_status_update(o, tasks[i], ORCH_TASK_RUNNING, NULL, 2, &out, &err), &err,
              "update");
        orch_out_free(&out);
    }
    t1 = bench_now();
    printf("  status updates: %zu RUNNING in %.3f s (%.1f us each)\n", n_tasks, t1 - t0,
           (t1 - t0) * 1e6 / (double)(n_tasks ? n_tasks : 1));

    t0 = bench_now();
    check(orch_offers(o, offers, (size_t)agents, 3, &out, &err), &err, "offers");
    t1 = bench_now();
    printf("  idle round: %zu declines in %.3f ms\n", out.n_declines, (t1 - t0) * 1e3);
    orch_out_free(&out);

    t0 = bench_now();
    doc = orch_to_json(o, 4);
    t1 = bench_now();
    text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    t2 = bench_now();
    check(orch_from_json(NULL, doc, 4, &restored, &err), &err, "from_json");
    printf("  state: %zu bytes of JSON; to_json %.3f s, from_json %.3f s\n",
           text ? strlen(text) : 0, t1 - t0, bench_now() - t2);
    printf("  peak RSS %.1f MiB\n", bench_peak_rss_mib());
    free(text);
    json_decref(doc);
    orch_free(restored);
    for (size_t i = 0; i < n_tasks; i++)
        free(tasks[i]);
    free(tasks);
    orch_free(o);
    hdrf_resources_free(res);
    free(offers);
    free(ids);
    return 0;
}
