/* report.h: what a simulation shows a person: the summary table, the CSV
 * time series, and the numbers both are made of.
 *
 * Summary (stdout and summary.txt): the title, the configuration (the
 * parameters that differ from the defaults) and the workload's description
 * (wrapped); then per role (ancestors included) and per
 * framework, the weight, the weighted fair share, the average and final
 * dominant share, tasks launched and finished, mean and 99th-percentile
 * wait from arrival to launch; per resource the cluster's average and
 * final use; allocation runs and their wall-clock cost; with `explain`,
 * why frameworks with pending tasks got no offer. A comparison prints two
 * results side by side with the differences.
 *
 * CSV (timeseries.csv), one row per sample and entity:
 *   time_s,kind,name,share,fair,<resource>...,running,pending
 * kind is role, framework or cluster (the cluster's share is its highest
 * use of a resource counted in shares; its resources are what tasks use).
 * Nothing in it depends on the wall clock: the same seed gives the same
 * bytes.
 *
 * Inputs are borrowed; writers return 0 or -1 when the stream fails. */
#ifndef HDRF_SIM_REPORT_H
#define HDRF_SIM_REPORT_H

#include <stdio.h>

#include "sim/engine.h"

double report_avg_share(const sim_result *r, size_t entity);
double report_final_share(const sim_result *r, size_t entity);
/* Mean and 99th-percentile (nearest rank) wait in seconds; 0 without tasks. */
double report_mean_wait(const sim_entity *s);
double report_p99_wait(const sim_entity *s);
/* Average and final use of resource k, as a fraction of its total. */
double report_avg_use(const sim_result *r, size_t k);
double report_final_use(const sim_result *r, size_t k);
/* The entity named `name` of the given kind, or -1. */
long report_entity(const sim_result *r, const char *name, bool role);

int report_summary(FILE *out, const sim_result *r, const char *title);
int report_compare(FILE *out, const sim_result *a, const char *la, const sim_result *b,
                   const char *lb);
int report_csv(FILE *out, const sim_result *r);

#endif
