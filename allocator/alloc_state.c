/* alloc_state.c: what every event file shares of the allocator's state,
 * below all of them: finding a framework or an agent by id, the failing
 * call's message, pause and resume, marking agents for the pending run, and
 * the random stream.
 *
 * These lived in allocator.c, and the event files (alloc_agents.c,
 * alloc_frameworks.c, operations.c, alloc_run.c) called back into it while
 * it called them: here they call nothing of the allocator but the state
 * itself, so every file can use them without a cycle (see alloc_internal.h
 * for the layers). */
#include <stdarg.h>
#include <stdio.h>

#include "allocator/alloc_internal.h"
#include "lib/line.h"

int alloc_fail(hdrf_allocator *a, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line_vformat(a->errmsg, sizeof a->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

const char *hdrf_allocator_errmsg(const hdrf_allocator *a) { return a->errmsg; }

framework *frameworks_find(const hdrf_allocator *a, const char *id)
{
    return id ? strmap_get(&a->frameworks, id) : NULL;
}

agent *agents_find(const hdrf_allocator *a, const char *id)
{
    return id ? strmap_get(&a->agents_by_id, id) : NULL;
}

int alloc_find_pair(hdrf_allocator *a, const char *call, const char *framework_id,
                    const char *agent_id, framework **fw, agent **ag)
{
    *fw = frameworks_find(a, framework_id);
    *ag = agents_find(a, agent_id);
    if (!*fw)
        return alloc_fail(a, HDRF_ENOTFOUND, "%s: unknown framework %s", call,
                          id_text(framework_id));
    if (!*ag)
        return alloc_fail(a, HDRF_ENOTFOUND, "%s: unknown agent %s", call, id_text(agent_id));
    return HDRF_OK;
}

uint64_t alloc_random(hdrf_allocator *a)
{
    uint64_t z = (a->rng += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void alloc_trigger(hdrf_allocator *a, agent *ag)
{
    if (a->paused)
        return; /* Mesos drops what is triggered while paused (spec §C.0) */
    if (ag) {
        ag->candidate = true;
    } else {
        for (size_t i = 0; i < a->nagents; i++)
            a->agents[i]->candidate = true;
    }
    a->pending = true;
}

/* ---- pause and resume ---------------------------------------------------------------- */

void hdrf_allocator_pause(hdrf_allocator *a) { a->paused = true; }

void hdrf_allocator_resume(hdrf_allocator *a) { a->paused = false; }

bool hdrf_allocator_paused(const hdrf_allocator *a) { return a->paused; }

bool hdrf_allocator_pending(const hdrf_allocator *a) { return a->pending && !a->paused; }

const hdrf_resources *agent_holding(const agent *ag, const char *framework)
{
    holding *h = strmap_get(&ag->held, framework);
    return h ? h->resources : NULL;
}
