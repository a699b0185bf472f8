/* hdrf/constraints.h: offer constraints on agent attributes (provisional:
 * the types the allocator needs; the compiler and evaluator land with the
 * offer-constraints module). */
#ifndef HDRF_CONSTRAINTS_H
#define HDRF_CONSTRAINTS_H

#include <stdbool.h>
#include <stddef.h>

#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hdrf_attribute_type {
    HDRF_ATTR_SCALAR,
    HDRF_ATTR_RANGES,
    HDRF_ATTR_SET,
    HDRF_ATTR_TEXT
} hdrf_attribute_type;

/* text: the TEXT value, or Mesos's text form of the others ("123",
 * "[1-17]", "{a,b}"). */
typedef struct hdrf_attribute {
    const char *name;
    hdrf_attribute_type type;
    const char *text;
} hdrf_attribute;

/* What constraints can select on an agent. region/zone NULL: no fault domain. */
typedef struct hdrf_agent_facts {
    const char *hostname;
    const char *region;
    const char *zone;
    const hdrf_attribute *attributes;
    size_t nattributes;
} hdrf_agent_facts;

typedef struct hdrf_constraints hdrf_constraints;

bool hdrf_constraints_excludes(const hdrf_constraints *c, const char *role,
                               const hdrf_agent_facts *agent);
void hdrf_constraints_free(hdrf_constraints *c);

#ifdef __cplusplus
}
#endif

#endif
