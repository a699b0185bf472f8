/* resources_text.h: helpers the text and JSON forms share (private). */
#ifndef HDRF_RESOURCES_TEXT_H
#define HDRF_RESOURCES_TEXT_H

#include "hdrf/resources.h"
#include "allocator/resource.h"
#include "lib/sbuf.h"

/* Parses the text form into `out` (which keeps what was added on failure;
 * the caller discards it). */
int text_parse(const char *text, const char *default_role, hdrf_resources *out, hdrf_error *error);
/* Parses the JSON array form held in `text` into `out` (resources_json.c). */
int json_parse_resources_text(const char *text, const char *default_role, hdrf_resources *out,
                              hdrf_error *error);
/* Validates a scalar token and converts it to milli-units; on failure *why
 * says what is allowed. */
int text_parse_scalar(const char *token, int64_t *milli, const char **why);
/* Gives r a static reservation to `role` unless role is NULL or "*". */
int text_static_reservation(hdrf_resource *r, const char *role);
void text_format_value(sbuf *b, const hdrf_resource *r);

#endif
