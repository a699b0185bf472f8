/* hdrf/resources_json.h: resources in the JSON array form, as jansson values.
 *
 * The JSON form is mesos.v1.Resource as JSON (what Mesos's --resources flag,
 * its HTTP API and hdrf's cluster and application files use):
 *   [{"name":"cpus","type":"SCALAR","scalar":{"value":4}},
 *    {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":9}]}}]
 * Separate from resources.h so that only callers that speak jansson see it.
 * Range bounds are limited to jansson's integers (signed 64-bit).
 */
#ifndef HDRF_RESOURCES_JSON_H
#define HDRF_RESOURCES_JSON_H

#include <jansson.h>

#include "hdrf/export.h"
#include "hdrf/resources.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads a JSON array of Resource objects (`json` is borrowed). Resources
 * with neither `role` nor `reservations` get `default_role` (NULL or "*":
 * unreserved); the pre-refinement `role`/`reservation` fields are upgraded
 * to a reservation stack as Mesos does. Unknown keys are refused. On failure
 * *out is NULL and `error` names the JSON path of the offending value
 * (`[2].ranges.range[0].begin`). */
HDRF_API int hdrf_resources_from_json(const json_t *json, const char *default_role,
                                      hdrf_resources **out, hdrf_error *error);

/* A new reference to a JSON array holding every resource, losslessly. NULL
 * when out of memory. */
HDRF_API json_t *hdrf_resources_to_json(const hdrf_resources *resources);

#ifdef __cplusplus
}
#endif

#endif
