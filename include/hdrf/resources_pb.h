/* hdrf/resources_pb.h: resources to and from protobuf-c mesos.v1.Resource.
 *
 * The bridge between hdrf's model and the wire: the companion scheduler
 * reads offers' resources with it, and the Mesos shim hands resources to the
 * core as serialized Resource messages. Separate from resources.h so that
 * only callers that use protobuf-c see the generated types.
 *
 * Of DiskInfo.volume, the model keeps container_path, host_path and mode
 * (what Mesos compares and prints); a volume's image and source are dropped.
 */
#ifndef HDRF_RESOURCES_PB_H
#define HDRF_RESOURCES_PB_H

#include <stddef.h>
#include <stdint.h>

#include "hdrf/export.h"
#include "hdrf/resources.h"
#include "mesos/v1/mesos.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads `n` borrowed Resource messages into a new collection (*out), with the
 * checks the text and JSON forms make; pre-refinement `role`/`reservation`
 * fields are upgraded, and resources with neither get `default_role`. On
 * failure *out is NULL and `error` names the message index and field. */
HDRF_API int hdrf_resources_from_pb(Mesos__V1__Resource *const *msgs, size_t n,
                                    const char *default_role, hdrf_resources **out,
                                    hdrf_error *error);

/* The same for one serialized Resource message, added to `resources`
 * (unchanged on failure). */
HDRF_API int hdrf_resources_add_packed(hdrf_resources *resources, const uint8_t *data, size_t len,
                                       hdrf_error *error);

/* Writes the collection as a new array of new messages (a shared resource
 * held k times is written k times). Free with hdrf_resources_pb_free(). */
HDRF_API int hdrf_resources_to_pb(const hdrf_resources *resources, Mesos__V1__Resource ***msgs,
                                  size_t *n);
HDRF_API void hdrf_resources_pb_free(Mesos__V1__Resource **msgs, size_t n);

#ifdef __cplusplus
}
#endif

#endif
