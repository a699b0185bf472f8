/* failalloc.h: allocation failure on demand, for the fault-injection tests.
 *
 * The fault-injection binary is linked with -Wl,--wrap for malloc, calloc,
 * realloc, strdup, strndup and aligned_alloc, so every call the core makes
 * to them passes through here (a shared library's, jansson's, does not).
 * Armed with n, the n-th allocation from then on fails, once; every
 * allocation made while armed is counted. Harness code that must not fail
 * (a callback recording an offer) holds the injection off around itself. */
#ifndef HDRF_TEST_FAILALLOC_H
#define HDRF_TEST_FAILALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Starts counting; the n-th allocation from now fails (n 0: none does). */
void failalloc_arm(long n);
/* Stops counting; returns how many allocations were made while armed. */
long failalloc_disarm(void);
/* Whether the armed failure happened since the last failalloc_arm(). */
bool failalloc_fired(void);
/* Suspends counting and failing until the matching release (they nest). */
void failalloc_hold(void);
void failalloc_release(void);

#endif
