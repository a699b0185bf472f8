/* hdrf/constraints.h: offer constraints, Mesos 1.11's per-role agent filter.
 *
 * A framework may attach mesos.v1.scheduler.OfferConstraints when it
 * subscribes or updates itself: per role, groups of predicates on agent
 * attributes. The allocator then offers an agent to the framework in that
 * role only if at least one group has all its predicates true (an OR of
 * ANDs); a role without constraints is not filtered. This module compiles
 * the constraints once (regular expressions included) and answers "is this
 * agent excluded for this role?" for every (framework, role, agent) the
 * allocator considers, without allocating.
 *
 * Semantics are Mesos's (src/master/allocator/mesos/offer_constraints_filter.cpp
 * at 1.11.0), which the table below summarises. The selected value is the
 * first attribute of the agent with the given name (absent if none), the
 * agent's hostname, or its fault domain's region or zone (absent without a
 * fault domain):
 *
 *   predicate         absent  string s / TEXT attribute t   SCALAR, RANGES, SET
 *   EXISTS            false   true                          true
 *   NOT_EXISTS        true    false                         false
 *   TEXT_EQUALS v     false   s == v                        true
 *   TEXT_NOT_EQUALS v true    s != v                        true
 *   TEXT_MATCHES re   false   re matches all of s           true
 *   TEXT_NOT_MATCHES  true    re does not match all of s    true
 *
 * Non-TEXT attributes satisfy every text predicate, positive and negative
 * alike: Mesos leaves them to the scheduler's own filtering.
 *
 * Regular expressions use RE2's syntax and must match the whole value; they
 * run in linear time, and their size is bounded as RE2 bounds it for Mesos
 * (max_mem and a program-size limit, see hdrf_regex_limits and docs/architecture.md).
 *
 * Ownership: compile functions copy everything they keep; the caller's
 * arrays and strings are borrowed for the call only. A compiled
 * hdrf_constraints is owned by the caller (hdrf_constraints_free) and never
 * changes; evaluating it reuses scratch memory inside it, so one object must
 * not be evaluated from two threads at once (the allocator core is
 * single-threaded). Readers of the JSON and protobuf forms are in
 * constraints_json.h and constraints_pb.h.
 */
#ifndef HDRF_CONSTRAINTS_H
#define HDRF_CONSTRAINTS_H

#include <stdbool.h>
#include <stddef.h>

#include "hdrf/export.h"
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what an agent offers to select on --------------------------------- */

typedef enum hdrf_attribute_type {
    HDRF_ATTR_SCALAR,
    HDRF_ATTR_RANGES,
    HDRF_ATTR_SET,
    HDRF_ATTR_TEXT
} hdrf_attribute_type;

/* text: the TEXT value, or Mesos's text form of the others ("123",
 * "[1-17]", "{a,b}"). Only TEXT values are ever compared. */
typedef struct hdrf_attribute {
    const char *name;
    hdrf_attribute_type type;
    const char *text;
} hdrf_attribute;

/* What constraints can select on an agent, borrowed for one evaluation.
 * hostname NULL reads as "" (Mesos's SlaveInfo always has one). region and
 * zone are NULL for an agent without a fault domain; a NULL one is absent.
 * Attributes keep the agent's order: the first of a name is the one tested. */
typedef struct hdrf_agent_facts {
    const char *hostname;
    const char *region;
    const char *zone;
    const hdrf_attribute *attributes;
    size_t nattributes;
} hdrf_agent_facts;

/* ---- constraints as plain data ------------------------------------------ */

/* The UNSET values exist so that a zero-initialised constraint is
 * incomplete rather than silently meaningful: compiling it fails, as Mesos
 * refuses a constraint whose selector or predicate is not set. */
typedef enum hdrf_selector {
    HDRF_SELECT_UNSET,
    HDRF_SELECT_ATTRIBUTE, /* the agent attribute named `attribute` */
    HDRF_SELECT_HOSTNAME,
    HDRF_SELECT_REGION,
    HDRF_SELECT_ZONE
} hdrf_selector;

typedef enum hdrf_predicate {
    HDRF_PREDICATE_UNSET,
    HDRF_EXISTS,
    HDRF_NOT_EXISTS,
    HDRF_TEXT_EQUALS,     /* value: the text */
    HDRF_TEXT_NOT_EQUALS, /* value: the text */
    HDRF_TEXT_MATCHES,    /* value: an RE2 pattern */
    HDRF_TEXT_NOT_MATCHES /* value: an RE2 pattern */
} hdrf_predicate;

typedef struct hdrf_attribute_constraint {
    hdrf_selector selector;
    const char *attribute; /* HDRF_SELECT_ATTRIBUTE only; "" is a valid name */
    hdrf_predicate predicate;
    const char *value; /* the text predicates only */
} hdrf_attribute_constraint;

/* All constraints must hold (AND); must not be empty. */
typedef struct hdrf_constraint_group {
    const hdrf_attribute_constraint *constraints;
    size_t n;
} hdrf_constraint_group;

/* Any group may hold (OR); must not be empty. Roles are not validated
 * against the framework's roles (as in Mesos, MESOS-10176): constraints for
 * a role the framework is not subscribed to are simply never consulted. */
typedef struct hdrf_role_constraints {
    const char *role;
    const hdrf_constraint_group *groups;
    size_t ngroups;
} hdrf_role_constraints;

/* RE2's limits as Mesos sets them (--offer_constraints_re2_max_mem,
 * --offer_constraints_re2_max_program_size). max_mem 0 means RE2's
 * "unlimited" program budget of 100,000 instructions. */
typedef struct hdrf_regex_limits {
    size_t max_mem;          /* bytes; Mesos's default 4096 */
    size_t max_program_size; /* instructions; Mesos's default 100 */
} hdrf_regex_limits;

#define HDRF_REGEX_DEFAULT_MAX_MEM 4096
#define HDRF_REGEX_DEFAULT_MAX_PROGRAM_SIZE 100

/* ---- compiled constraints ----------------------------------------------- */

typedef struct hdrf_constraints hdrf_constraints;

/* Compiles `nroles` role constraints (borrowed). limits NULL: Mesos's
 * defaults. nroles 0 gives a filter that excludes nothing. Refused, with
 * *out NULL and `error` naming the path of the value at fault
 * (`role_constraints.eng.groups[0].attribute_constraints[1].predicate`, the
 * front elided when long) and what is allowed: a role listed twice or with
 * no groups, an empty group, a constraint without selector, attribute name,
 * predicate or value, a regular expression that does not parse or exceeds
 * the limits (Mesos's "is too complex" and "pattern too large - compile
 * failed"). HDRF_EINVAL or HDRF_ENOMEM. */
HDRF_API int hdrf_constraints_compile(const hdrf_role_constraints *roles, size_t nroles,
                                      const hdrf_regex_limits *limits, hdrf_constraints **out,
                                      hdrf_error *error);

/* Whether `role` must not be offered `agent` (borrowed). c NULL or a role
 * without constraints: false. Never fails, never allocates. */
HDRF_API bool hdrf_constraints_excludes(const hdrf_constraints *c, const char *role,
                                        const hdrf_agent_facts *agent);

/* Whether any constraints are set for `role` (false for c NULL). */
HDRF_API bool hdrf_constraints_has_role(const hdrf_constraints *c, const char *role);

HDRF_API void hdrf_constraints_free(hdrf_constraints *c);

#ifdef __cplusplus
}
#endif

#endif
