/* constraints.c: provisional, until the offer-constraints module lands:
 * nothing can build an hdrf_constraints yet, so nothing is excluded. */
#include "hdrf/constraints.h"

bool hdrf_constraints_excludes(const hdrf_constraints *c, const char *role,
                               const hdrf_agent_facts *agent)
{
    (void)c;
    (void)role;
    (void)agent;
    return false;
}

void hdrf_constraints_free(hdrf_constraints *c)
{
    (void)c;
}
