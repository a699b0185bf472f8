/* oom_scenarios.h: the scenarios the fault-injection binary runs, one per
 * public header (and per ordering where the code differs). */
#ifndef HDRF_TEST_OOM_SCENARIOS_H
#define HDRF_TEST_OOM_SCENARIOS_H

#include "test/oom/oom.h"

void oom_resources(oom *o);
void oom_sorter_drf(oom *o);
void oom_sorter_drf_untracked(oom *o);
void oom_sorter_hdrf(oom *o);
void oom_sorter_random(oom *o);
void oom_params(oom *o);
void oom_hooks(oom *o);
void oom_allocator_drf(oom *o);
void oom_allocator_hdrf(oom *o);

#endif
