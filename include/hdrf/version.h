/* hdrf/version.h: the version of hdrf.
 *
 * The three numbers below are the only place the version is written: the
 * Makefile reads them (hdrf.pc's Version), and HDRF_VERSION is spelled from
 * them. HDRF_VERSION is the version a program was compiled against;
 * hdrf_version() is the version of the library it runs with, which differ
 * when a program linked against libhdrf.so meets another release of it.
 */
#ifndef HDRF_VERSION_H
#define HDRF_VERSION_H

#include "hdrf/export.h"

#define HDRF_VERSION_MAJOR 0
#define HDRF_VERSION_MINOR 1
#define HDRF_VERSION_PATCH 0

/* "MAJOR.MINOR.PATCH", a string literal: "0.1.0". */
#define HDRF_VERSION HDRF_VERSION_SPELL_(HDRF_VERSION_MAJOR, HDRF_VERSION_MINOR, HDRF_VERSION_PATCH)
#define HDRF_VERSION_SPELL_(major, minor, patch)                                                   \
    HDRF_VERSION_STRING_(major) "." HDRF_VERSION_STRING_(minor) "." HDRF_VERSION_STRING_(patch)
#define HDRF_VERSION_STRING_(n) #n

#ifdef __cplusplus
extern "C" {
#endif

/* The library's HDRF_VERSION, as it was compiled: static, never NULL. */
HDRF_API const char *hdrf_version(void);

#ifdef __cplusplus
}
#endif

#endif
