/* alloc_helpers.h: more of Mesos's allocator test harness, for the tests of
 * operations, agents, maintenance, metrics and hdrf's own behaviours
 * (test_alloc_*.c). Builds on alloc_fixture.h; every helper asserts its own
 * success, as the fixture's do.
 *
 * Resources that Mesos's text form cannot express (dynamic and refined
 * reservations, persistent volumes, shared and revocable resources) are
 * written in the JSON form the parser also accepts; ah_res() sums several
 * parts, text or JSON. */
#ifndef HDRF_TEST_ALLOC_HELPERS_H
#define HDRF_TEST_ALLOC_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "test/alloc_fixture.h"

/* The sum of the parts (each text or a JSON array), allocated to `role`
 * (NULL: not allocated). The parts end with NULL. */
hdrf_resources *ah_res(const char *role, ...);

/* JSON array of one disk resource (MB): a persistent volume `id` (NULL: a
 * plain disk), reserved to `role` statically (NULL: unreserved), with
 * `container_path` (NULL: no volume info), shared or not. In `buf`. */
const char *ah_disk(char *buf, size_t len, double size, const char *role, const char *id,
                    const char *container_path, bool shared);
/* JSON array of one revocable scalar. In `buf`. */
const char *ah_revocable(char *buf, size_t len, const char *name, double value);
/* JSON array of scalars `name:value` reserved along `roles` (a stack,
 * comma-separated: "a,a/b"), the first STATIC or DYNAMIC as `first_static`
 * says, the others DYNAMIC with principal "ops". In `buf`. */
const char *ah_reserved(char *buf, size_t len, const char *name, double value, const char *roles,
                        bool first_static);

/* Takes the next offer and checks it is one entry, role@agent, exactly `want`
 * (allocated to `role`). */
void ah_expect(af *f, const char *framework, const char *role, const char *agent,
               const hdrf_resources *want);

/* An operation on offered resources: hdrf_operation_conversions() then
 * hdrf_allocator_update_allocation(); returns `offered` with the operation
 * applied (what the framework now holds), or NULL after a failed check. */
hdrf_resources *ah_update_allocation(af *f, const char *framework, const char *agent,
                                     const hdrf_resources *offered, const hdrf_operation *op);

/* Adds agentN (hostname = id) with `total`, `capabilities`, a fault-domain
 * region (or NULL) and attributes. Returns the id, valid until the next
 * agent is added. */
const char *ah_agent(af *f, const hdrf_resources *total, unsigned capabilities, const char *region,
                     const hdrf_attribute *attributes, size_t nattributes);

/* update_agent with the fixture's hostname (= id); `total` NULL keeps it. */
void ah_update_agent(af *f, const char *agent, const hdrf_resources *total,
                     const unsigned *capabilities, const hdrf_attribute *attributes,
                     size_t nattributes);

/* The reason explain() gives for (role, framework), or -1 when it lists
 * nothing for them (they were offered something). */
int ah_reason(af *f, const char *role, const char *framework);

/* Checks that two fixtures are in the same state as far as anyone can see:
 * the same metrics, the same explanations, then (after a settle and one
 * batch run in each) the same offers, inverse offers included. Used to show
 * that a refused call changed nothing: `x` got it, `y` did not. */
void ah_expect_same(af *x, af *y);

/* Whether the last call failed with a message naming `what`. */
void ah_expect_error(af *f, int rc, int want, const char *what);

#endif
