/* api_auth.h: who may call hdrf-scheduler's HTTP API (api_server.h).
 *
 * --http_credentials names a file of one credential a line:
 *   basic USER:PASSWORD     HTTP Basic authentication (RFC 7617)
 *   bearer TOKEN            a bearer token (RFC 6750)
 * Blank lines and lines starting with # are ignored. A request passes when
 * its Authorization header carries one of them ("Basic <base64 of
 * USER:PASSWORD>" or "Bearer TOKEN", the scheme in any case).
 *
 * The check compares what the request presents with every credential of
 * its kind, each over the longer of the two lengths, and never stops at a
 * match or a difference: how long it takes tells nothing of which byte
 * differs nor of which credential matched (only of how many there are).
 *
 * Ownership: the caller owns the set; checks only read it, from any thread.
 */
#ifndef HDRF_SCHED_PROG_API_AUTH_H
#define HDRF_SCHED_PROG_API_AUTH_H

#include <stdbool.h>

#include "lib/sched_error.h"

typedef struct api_auth api_auth;

/* Reads the file. HDRF_EINVAL names the file, the line and what is
 * allowed; a file without any credential is refused too. */
int api_auth_load(const char *file, api_auth **out, sched_error *err);
void api_auth_free(api_auth *a); /* NULL ignored */

/* Whether the Authorization header's value (NULL: none) is one of them. */
bool api_auth_check(const api_auth *a, const char *authorization);

#endif
