/* metrics_file.h: the Prometheus text file the leader rewrites.
 *
 * node_exporter's textfile collector (and any reader) must never see half
 * a file: the text goes to "<path>.tmp" first, then rename() replaces the
 * file in one step.
 */
#ifndef HDRF_SCHED_PROG_METRICS_FILE_H
#define HDRF_SCHED_PROG_METRICS_FILE_H

#include "lib/sched_error.h"

/* Replaces the file at `path` with `text`. HDRF_EINVAL names the path and
 * the system's reason. */
int metrics_file_write(const char *path, const char *text, sched_error *err);

#endif
