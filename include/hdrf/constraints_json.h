/* hdrf/constraints_json.h: offer constraints from their JSON form.
 *
 * The JSON form is mesos.v1.scheduler.OfferConstraints as Mesos maps it
 * (the map of roles as an object, enum values by name):
 *   {"role_constraints": {"eng": {"groups": [{"attribute_constraints": [
 *     {"selector": {"attribute_name": "rack"},
 *      "predicate": {"text_matches": {"regex": "r[0-9]+"}}},
 *     {"selector": {"pseudoattribute_type": "ZONE"},
 *      "predicate": {"exists": {}}}]}]}}}
 * The simulator and the tests read constraints this way. Separate from
 * constraints.h so that only callers that speak jansson see it.
 */
#ifndef HDRF_CONSTRAINTS_JSON_H
#define HDRF_CONSTRAINTS_JSON_H

#include <jansson.h>

#include "hdrf/constraints.h"
#include "hdrf/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads and compiles the OfferConstraints object `json` (borrowed); limits
 * as for hdrf_constraints_compile(). Unknown keys are refused (they are
 * typos here, not newer fields); a oneof with two members set is refused; a
 * missing selector, predicate or value is refused by the compiler. On
 * failure *out is NULL and `error` names the JSON path of the value at
 * fault (`role_constraints.eng.groups[0].attribute_constraints[1].selector`). */
HDRF_API int hdrf_constraints_from_json(const json_t *json, const hdrf_regex_limits *limits,
                                        hdrf_constraints **out, hdrf_error *error);

#ifdef __cplusplus
}
#endif

#endif
