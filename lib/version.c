/* version.c: hdrf_version() (see hdrf/version.h). */
#include "hdrf/version.h"

const char *hdrf_version(void) { return HDRF_VERSION; }
