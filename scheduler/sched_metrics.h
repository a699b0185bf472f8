/* sched_metrics.h: the companion scheduler's counters, in Prometheus text.
 *
 * What an operator graphs: offers received, used and declined; tasks
 * launched; status updates by task state; transactions by kind and outcome
 * with their latency (creation to leaving PENDING) as a histogram; and the
 * reconnects to the master, which the program counts (the orchestrator
 * never sees a connection). The orchestrator (orch.h) counts everything
 * else as it decides. Two gauges say what is now: applications, and live
 * tasks by state (LAUNCHING to KILLING); orch_metrics_text() sets them
 * from the orchestrator's state before rendering.
 *
 * sched_metrics_render() writes the Prometheus text exposition format
 * 0.0.4: per metric a `# HELP` and a `# TYPE` line, then its samples, one
 * per line, labels in a fixed order, numbers printed as integers where they
 * are counts and with %.17g for sums so that nothing is lost. Every series
 * is printed even at zero (a dashboard sees a flat line, not a gap); task
 * states appear in the order of orch_task_state, transactions in the order
 * of orch_txn_kind then orch_txn_status. The histogram follows Prometheus's
 * rules: cumulative `_bucket{le="..."}` counts ending in le="+Inf", then
 * `_sum` and `_count`.
 *
 * Ownership: plain values in the caller's struct; the rendered text is new
 * (free()).
 */
#ifndef HDRF_SCHED_METRICS_H
#define HDRF_SCHED_METRICS_H

#include <stdint.h>

#include "scheduler/orch_task.h"
#include "scheduler/orch_txn.h"

/* Upper bounds (seconds) of the transaction latency buckets; +Inf follows. */
#define SCHED_METRICS_LATENCY_BUCKETS 8
extern const double sched_metrics_latency_bounds[SCHED_METRICS_LATENCY_BUCKETS];

typedef struct sched_metrics {
    uint64_t offers_received;
    uint64_t offers_used;                             /* offers that took at least one task */
    uint64_t offers_declined;                         /* offers declined whole */
    uint64_t launches;                                /* tasks decided for launch */
    uint64_t kills;                                   /* kill requests decided (repeats included) */
    uint64_t reconnects;                              /* counted by the program */
    uint64_t task_states[ORCH_TASK_STATES];           /* status updates received, by state */
    uint64_t txns[ORCH_TXN_KINDS][ORCH_TXN_STATUSES]; /* transactions finished, by outcome */
    /* Latency of finished transactions (any outcome but SUPERSEDED), all kinds. */
    uint64_t latency_buckets[SCHED_METRICS_LATENCY_BUCKETS]; /* not cumulative */
    uint64_t latency_count;
    double latency_sum;
    /* Gauges. */
    uint64_t apps;
    uint64_t tasks[ORCH_TASK_FINISHED]; /* live tasks by state, LAUNCHING .. KILLING */
    uint64_t health[3];                 /* live tasks: not reported, healthy, unhealthy */
} sched_metrics;

/* Counts a finished transaction of `kind` that took `seconds`. */
void sched_metrics_txn_finished(sched_metrics *m, orch_txn_kind kind, orch_txn_status status,
                                double seconds);

/* The text exposition of `m`: a new NUL-terminated string, or NULL when
 * out of memory. */
char *sched_metrics_render(const sched_metrics *m);

#endif
