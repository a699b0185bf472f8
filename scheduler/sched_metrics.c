/* sched_metrics.c: the scheduler's counters in Prometheus text (see
 * sched_metrics.h). One writer per metric family; each prints its HELP and
 * TYPE lines, then its samples, into a memory stream. */
#include "scheduler/sched_metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

const double sched_metrics_latency_bounds[SCHED_METRICS_LATENCY_BUCKETS] = {1,  5,   10,  30,
                                                                            60, 300, 600, 1800};

void sched_metrics_txn_finished(sched_metrics *m, orch_txn_kind kind, orch_txn_status status,
                                double seconds)
{
    m->txns[kind][status]++;
    if (status == ORCH_TXN_SUPERSEDED)
        return;
    for (size_t i = 0; i < SCHED_METRICS_LATENCY_BUCKETS; i++)
        if (seconds <= sched_metrics_latency_bounds[i]) {
            m->latency_buckets[i]++;
            break;
        }
    m->latency_count++;
    m->latency_sum += seconds;
}

static void header(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void counter(FILE *f, const char *name, const char *help, uint64_t value)
{
    header(f, name, "counter", help);
    fprintf(f, "%s %" PRIu64 "\n", name, value);
}

static void task_states(FILE *f, const sched_metrics *m)
{
    const char *name = "hdrf_sched_task_status_updates_total";
    header(f, name, "counter", "Task status updates received, by task state.");
    for (int s = 0; s < ORCH_TASK_STATES; s++)
        if (s != ORCH_TASK_LAUNCHING) /* no update ever carries it */
            fprintf(f, "%s{state=\"%s\"} %" PRIu64 "\n", name,
                    orch_task_state_name((orch_task_state)s), m->task_states[s]);
}

static void transactions(FILE *f, const sched_metrics *m)
{
    const char *name = "hdrf_sched_transactions_total";
    header(f, name, "counter", "Transactions finished, by kind and outcome.");
    for (int k = 0; k < ORCH_TXN_KINDS; k++)
        for (int s = ORCH_TXN_DONE; s < ORCH_TXN_STATUSES; s++)
            fprintf(f, "%s{kind=\"%s\",status=\"%s\"} %" PRIu64 "\n", name,
                    orch_txn_kind_name((orch_txn_kind)k), orch_txn_status_name((orch_txn_status)s),
                    m->txns[k][s]);
}

static void gauges(FILE *f, const sched_metrics *m)
{
    const char *name = "hdrf_sched_tasks";
    header(f, "hdrf_sched_apps", "gauge", "Applications kept running (being deleted included).");
    fprintf(f, "hdrf_sched_apps %" PRIu64 "\n", m->apps);
    header(f, name, "gauge", "Live tasks, by state.");
    for (int s = 0; s < ORCH_TASK_FINISHED; s++)
        fprintf(f, "%s{state=\"%s\"} %" PRIu64 "\n", name, orch_task_state_name((orch_task_state)s),
                m->tasks[s]);
    static const char *const health[] = {"unknown", "healthy", "unhealthy"};
    header(f, "hdrf_sched_tasks_health", "gauge",
           "Live tasks, by their health check's last report (unknown: none).");
    for (int h = 0; h < 3; h++)
        fprintf(f, "hdrf_sched_tasks_health{health=\"%s\"} %" PRIu64 "\n", health[h], m->health[h]);
}

static void latency(FILE *f, const sched_metrics *m)
{
    const char *name = "hdrf_sched_transaction_seconds";
    uint64_t cumulative = 0;
    header(f, name, "histogram", "Time from a transaction's creation to its end (done or failed).");
    for (size_t i = 0; i < SCHED_METRICS_LATENCY_BUCKETS; i++) {
        cumulative += m->latency_buckets[i];
        fprintf(f, "%s_bucket{le=\"%g\"} %" PRIu64 "\n", name, sched_metrics_latency_bounds[i],
                cumulative);
    }
    fprintf(f, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n", name, m->latency_count);
    fprintf(f, "%s_sum %.17g\n", name, m->latency_sum);
    fprintf(f, "%s_count %" PRIu64 "\n", name, m->latency_count);
}

char *sched_metrics_render(const sched_metrics *m)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    counter(f, "hdrf_sched_offers_received_total", "Offers received from the master.",
            m->offers_received);
    counter(f, "hdrf_sched_offers_used_total", "Offers accepted with at least one task.",
            m->offers_used);
    counter(f, "hdrf_sched_offers_declined_total", "Offers declined whole.", m->offers_declined);
    counter(f, "hdrf_sched_launches_total", "Tasks launched.", m->launches);
    counter(f, "hdrf_sched_kills_total", "Kill requests sent, repeats included.", m->kills);
    counter(f, "hdrf_sched_reconnects_total", "Connections to the master lost and tried again.",
            m->reconnects);
    task_states(f, m);
    transactions(f, m);
    latency(f, m);
    gauges(f, m);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
