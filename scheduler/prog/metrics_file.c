/* metrics_file.c: atomic rewrite of the metrics file (see metrics_file.h). */
#include "scheduler/prog/metrics_file.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int metrics_file_write(const char *path, const char *text, sched_error *err)
{
    char tmp[PATH_MAX + 8];
    FILE *f;
    size_t len = strlen(text);
    bool ok;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w")))
        return sched_error_set(err, HDRF_EINVAL, "metrics file %s: %s", tmp, strerror(errno));
    ok = fwrite(text, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return sched_error_set(err, HDRF_EINVAL, "metrics file %s: %s", path, strerror(e));
    }
    return HDRF_OK;
}
