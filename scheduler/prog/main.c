/* main.c: hdrf-scheduler, the companion scheduler program.
 *
 * Reads the command line (flags.h) and runs the command: the scheduler
 * itself (daemon.h) or an operator command (opcmd.h). Exit status 0 on
 * success, 1 when the command failed, 2 for a bad command line (or none:
 * the short usage on stderr). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <zookeeper/zookeeper.h>

#include "scheduler/prog/daemon.h"
#include "scheduler/prog/flags.h"
#include "scheduler/prog/opcmd.h"

int main(int argc, char **argv)
{
    sched_options o;
    sched_error err;
    int rc;
    if (flags_parse(argc, argv, &o, &err) != HDRF_OK) {
        fprintf(stderr, "hdrf-scheduler: %s\n", err.text);
        return 2;
    }
    if (o.command == SCHED_CMD_HELP || o.command == SCHED_CMD_VERSION)
        return flags_print_info(&o, o.bare ? stderr : stdout);
    /* The ZooKeeper client's own lines (every failed connection attempt)
     * only when asked for: our lines say what matters. */
    zoo_set_debug_level(o.log_level == SCHED_LOG_DEBUG ? ZOO_LOG_LEVEL_INFO
                        : o.command == SCHED_CMD_RUN   ? ZOO_LOG_LEVEL_ERROR
                                                       : (ZooLogLevel)0);
    if (o.command != SCHED_CMD_RUN) {
        rc = opcmd_run(&o, stdout, &err);
    } else if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = sched_error_set(&err, HDRF_ENOMEM, "libcurl failed to initialise");
    } else {
        rc = daemon_run(&o, &err);
        curl_global_cleanup();
    }
    if (rc != HDRF_OK)
        fprintf(stderr, "hdrf-scheduler: %s\n", err.text);
    return rc == HDRF_OK ? 0 : 1;
}
