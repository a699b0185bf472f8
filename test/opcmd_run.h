/* opcmd_run.h: an operator command of hdrf-scheduler, run in-process.
 *
 * Shared by the suites that drive the program (test_sched_cli.c defines it):
 * `args` (NULL-terminated, without the program name) get --zk=zk://<servers><root>
 * appended, are parsed by flags_parse() and run by opcmd_run(); *out receives
 * what the command printed (caller frees, maybe NULL), err its failure. */
#ifndef HDRF_TEST_OPCMD_RUN_H
#define HDRF_TEST_OPCMD_RUN_H

#include "lib/sched_error.h"

int test_opcmd_run(const char *servers, const char *root, char **out, sched_error *err,
                   const char *const *args);

/* The same with `flag` (e.g. --api=URL) appended instead of --zk. */
int test_opcmd_run_with(const char *flag, char **out, sched_error *err, const char *const *args);

#endif
