/* report.h: what a simulation shows a person: the summary table, the CSV
 * time series, and the numbers both are made of.
 *
 * The window. Averages are taken over a window of virtual time, by
 * default the second half of the run (a steady state, past the start):
 * the samples at times t with FROM <= t < TO, each standing for the state
 * during the sample interval after it, so that a window of whole sample
 * intervals averages over exactly that stretch of time. Counts and waits
 * are over the whole run.
 *
 * Summary (stdout and summary.txt): the title, the configuration (the
 * parameters that differ from the defaults), the workload's description
 * (wrapped), the warnings of the run (sim_result.warnings) and the window;
 * then per role (ancestors included) and per framework, the weight, the
 * weighted fair share, the average dominant share over the window and the
 * final one, tasks launched and finished, mean and 99th-percentile wait
 * from arrival to launch; then per role and framework the average share
 * of each resource over the window (held / the cluster's total); per
 * resource the cluster's total, average use over the window and final
 * use; allocation runs and their wall-clock cost; with `explain`, why
 * frameworks with pending tasks got no offer. A comparison prints two
 * results side by side over the same window, with the differences.
 *
 * CSV (timeseries.csv), one row per sample and entity:
 *   time_s,kind,name,share,fair,<resource>...,running,pending
 * time_s is virtual seconds; kind is role, framework, cluster or
 * cluster_total. A role's, framework's or the cluster's <resource> columns
 * are what its running tasks hold (a role's: its subtree's), in Mesos's
 * units (cpus, mem MB, disk MB, gpus); share is the dominant share over
 * the resources in fairness and fair the weighted fair share. The cluster
 * row (name `*`) is what every task holds, its share the highest use of a
 * resource counted in shares, fair 1, running and pending the sums over
 * frameworks. The cluster_total row (name `*`, after the cluster row of
 * each sample) holds the cluster's total of each resource, share and fair
 * 1, running and pending 0: a held amount divided by the total of its
 * sample is a share of that resource. Nothing in it depends on the wall
 * clock: the same seed gives the same bytes.
 *
 * Inputs are borrowed; writers return 0 or -1 when the stream fails. */
#ifndef HDRF_SIM_REPORT_H
#define HDRF_SIM_REPORT_H

#include <stdio.h>

#include "sim/engine.h"

/* A window of virtual time: the samples at from <= t < to. */
typedef struct report_window {
    hdrf_time from, to;
} report_window;

/* The second half of a run of `duration`. */
report_window report_default_window(hdrf_time duration);
/* Reads --window's value, FROM[-TO] in Mesos's duration syntax (`10mins`,
 * `10mins-30mins`; TO defaults to the end), for a run of `duration`:
 * 0 with *w, or -1 and one line in `why` naming the flag, the value and
 * what is allowed (durations, FROM < TO <= the duration). */
int report_window_parse(const char *text, hdrf_time duration, report_window *w, char *why,
                        size_t whylen);
/* How many samples fall in the window. */
size_t report_window_samples(const sim_result *r, const report_window *w);

/* Averages over the window `w` (NULL: the default), 0 when no sample is
 * in it: the dominant share of an entity; its share of resource k. */
double report_avg_share(const sim_result *r, size_t entity, const report_window *w);
double report_avg_res_share(const sim_result *r, size_t entity, size_t k, const report_window *w);
double report_final_share(const sim_result *r, size_t entity);
/* Mean and 99th-percentile (nearest rank) wait in seconds; 0 without tasks. */
double report_mean_wait(const sim_entity *s);
double report_p99_wait(const sim_entity *s);
/* Average use of resource k over the window (NULL: the default) and final
 * use, as fractions of its total. */
double report_avg_use(const sim_result *r, size_t k, const report_window *w);
double report_final_use(const sim_result *r, size_t k);
/* The entity named `name` of the given kind, or -1. */
long report_entity(const sim_result *r, const char *name, bool role);

/* `w` NULL: the default window (a comparison: of a's duration). */
int report_summary(FILE *out, const sim_result *r, const char *title, const report_window *w);
int report_compare(FILE *out, const sim_result *a, const char *la, const sim_result *b,
                   const char *lb, const report_window *w);
int report_csv(FILE *out, const sim_result *r);

#endif
