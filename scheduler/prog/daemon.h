/* daemon.h: hdrf-scheduler's main loop: leader election, the master
 * connection, the orchestrator, and its state in ZooKeeper.
 *
 * Every instance joins the election under <root>/leader (zk_election.h),
 * publishing "<hostname>:<pid>". A standby does nothing else. The leader:
 *  1. loads the state under <root>/state and claims it (persist.h), so
 *     that a deposed leader's writes fail from then on; rebuilds the
 *     orchestrator from it (orch_from_json), or starts an empty one;
 *  2. seeds the desired state from --app_file (applications not there
 *     yet), watches <root>/desired/apps and brings the orchestrator to
 *     match the desired applications at every change and every second:
 *     a new one is submitted, a changed definition updated, a changed
 *     count scaled, a deleted one deleted (its document is removed once
 *     the orchestrator has forgotten the application);
 *  3. subscribes to the master (--master: a fixed address, or followed in
 *     ZooKeeper by zk_detector.h) with the framework id of the state, so
 *     that the master sees a failover of the same framework within
 *     --failover_timeout; a new id from SUBSCRIBED is persisted;
 *  4. feeds the orchestrator offers, status updates and a tick every
 *     second, and sends what it decides by the persist-then-send rule
 *     (orch.h): each decision waits for a save of the state that covers
 *     it; only then go its ACCEPTs (task_build.h), DECLINEs, KILLs,
 *     SUPPRESS/REVIVE, RECONCILE and, last, the explicit ACKNOWLEDGE of
 *     each status update that has a uuid;
 *  5. rewrites --metrics_file every --metrics_interval.
 * Leadership ends when the session ends (the election says so), or when a
 * save is refused (another instance claimed the state: this one was
 * deposed) or fails: the instance drops the subscription and everything it
 * held in memory, and joins the election again, at the back.
 *
 * SIGTERM and SIGINT stop the loop: the instance leaves the election (a
 * standby takes over at once) without tearing the framework down.
 */
#ifndef HDRF_SCHED_PROG_DAEMON_H
#define HDRF_SCHED_PROG_DAEMON_H

#include "scheduler/prog/flags.h"

/* Runs until SIGTERM or SIGINT; HDRF_OK then. A failure to start (ZooKeeper
 * session, bad app file) returns its status with the message in err. */
int daemon_run(const sched_options *o, sched_error *err);

#endif
