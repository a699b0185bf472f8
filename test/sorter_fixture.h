/* sorter_fixture.h: short steps for sorter tests, so that each test reads
 * like the scenario it checks ("add a, give it cpus:5;mem:5, expect b,a").
 * Every helper asserts its own success with CUnit. */
#ifndef HDRF_TEST_SORTER_FIXTURE_H
#define HDRF_TEST_SORTER_FIXTURE_H

#include "hdrf/sorter.h"

#define FX_AGENT "agent1"

hdrf_sorter *fx_sorter(hdrf_order order);
/* Parses Mesos's text form; the caller frees. */
hdrf_resources *fx_res(const char *text);
void fx_agent(hdrf_sorter *s, const char *agent, const char *total);
void fx_remove_agent(hdrf_sorter *s, const char *agent);
/* add + activate, as Mesos's tests do for most clients */
void fx_add_active(hdrf_sorter *s, const char *client);
void fx_alloc(hdrf_sorter *s, const char *client, const char *agent, const char *text);
void fx_unalloc(hdrf_sorter *s, const char *client, const char *agent, const char *text);
void fx_update(hdrf_sorter *s, const char *client, const char *agent, const char *before,
               const char *after);
/* The order sort() gives, joined by commas, in a static buffer. */
const char *fx_order(hdrf_sorter *s);
/* The clients sort() gives in alphabetical order, joined by commas (Mesos's
 * `sort(clients.begin(), clients.end())`, for orders that are not fixed),
 * in a static buffer of its own. */
const char *fx_client_set(hdrf_sorter *s);
/* A quantity of the client's (or, for NULL, the whole) allocation, milli. */
long long fx_allocated(const hdrf_sorter *s, const char *path, const char *name);
/* Whether the client holds exactly `want` on `agent` (Mesos's
 * `sorter.allocation(client, agent)`). */
bool fx_holds(const hdrf_sorter *s, const char *client, const char *agent,
              const hdrf_resources *want);
bool fx_holds_text(const hdrf_sorter *s, const char *client, const char *agent, const char *want);
/* How many agents the client holds resources on (Mesos's
 * `sorter.allocation(client).size()`). */
size_t fx_agents_held(const hdrf_sorter *s, const char *client);
/* Whether the scalar quantities allocated to `path` (NULL: to all) are
 * exactly `want`, e.g. "cpus:4;mem:1024" (Mesos's
 * allocationScalarQuantities()). */
bool fx_quantities_are(const hdrf_sorter *s, const char *path, const char *want);

#endif
