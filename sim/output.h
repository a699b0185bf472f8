/* output.h: a simulation's files in its output directory.
 *
 * One run writes, in `dir` (created with its parents when missing):
 *   summary.txt        the table printed on stdout
 *   timeseries.csv     per sample: every role, framework and the cluster
 *   shares.svg         dominant share per role over time, with each role's
 *                      weighted fair share as a reference line
 *   utilisation.svg    use of each resource over time
 *   *.png              the same charts, where rsvg-convert is installed
 * A comparison writes both runs' files in dir/<label>/ and, in dir,
 * compare.txt, compare-shares.svg and compare-utilisation.svg (the two
 * runs side by side on one scale).
 *
 * The summaries average over `w` (NULL: the default window, report.h).
 * Functions return 0, or -1 with one line in `why`. */
#ifndef HDRF_SIM_OUTPUT_H
#define HDRF_SIM_OUTPUT_H

#include <stddef.h>

#include "sim/engine.h"
#include "sim/report.h"

/* Writes a message into the caller's buffer (cut to fit: still one line). */
void output_say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int output_mkdirs(const char *dir, char *why, size_t whylen);
int output_run(const char *dir, const sim_result *r, const char *title, const report_window *w,
               char *why, size_t whylen);
int output_compare(const char *dir, const sim_result *a, const char *la, const sim_result *b,
                   const char *lb, const report_window *w, char *why, size_t whylen);

#endif
