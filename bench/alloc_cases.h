/* alloc_cases.h: the allocator benchmark's cases, each a replay of one of
 * Mesos 1.11's allocator benchmarks with its parameters (bench/allocator.c
 * runs them; alloc_grid.c, alloc_update.c and alloc_quota.c define them).
 * Each prints its lines on stdout and exits on any failure. */
#ifndef HDRF_BENCH_ALLOC_CASES_H
#define HDRF_BENCH_ALLOC_CASES_H

#include "hdrf/sorter.h"

void case_add_and_update_agents(int nagents, int nframeworks);
void case_decline_offers(int nagents, int nframeworks, int rounds);
void case_decline_offers_nested(int nagents, int nframeworks, int rounds);
void case_resource_labels(int nagents, int nframeworks, int rounds);
void case_suppress_offers(int nagents, int nframeworks);
void case_extreme_suppress_offers(int nagents, int nframeworks);
void case_update_allocation(int nroles, int nreservations, int port_ranges);
void case_large_and_small_quota(int small, int large, int per_role, hdrf_order order);

#endif
