/* constraints_plain.h: what the constraint readers share (private).
 *
 * The JSON and protobuf readers translate their input into the plain
 * hdrf_role_constraints arrays of hdrf/constraints.h, with strings borrowed
 * from the input, and hand them to hdrf_constraints_compile(): one compiler,
 * one set of checks and messages for every form. Paths and refusals are
 * the reader's of lib/jpath.h, reporting into the hdrf_error: the path of
 * the value at fault, as
 * `role_constraints.eng.groups[0].attribute_constraints[1].selector`, is
 * the error's token (its front elided when too long). */
#ifndef HDRF_CONSTRAINTS_PLAIN_H
#define HDRF_CONSTRAINTS_PLAIN_H

#include <stddef.h>

#include "hdrf/constraints.h"

/* Frees arrays a reader built with calloc: `roles`, each role's `groups`
 * and each group's `constraints` (not the borrowed strings). NULL-safe, and
 * safe on arrays filled only in part. */
void constraints_plain_free(hdrf_role_constraints *roles, size_t nroles);

/* A reader's last step: when `status` is HDRF_OK, compiles what it read
 * into *out; reports HDRF_ENOMEM (other failures are reported already);
 * frees the arrays either way. Returns the final status. */
int constraints_plain_compile(int status, hdrf_role_constraints *roles, size_t nroles,
                              const hdrf_regex_limits *limits, hdrf_constraints **out,
                              hdrf_error *error);

#endif
