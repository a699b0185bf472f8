/* zk_detector.h: following the leading Mesos master through ZooKeeper.
 *
 * Mesos masters contend under one node (the path of `--master=zk://.../mesos`)
 * by each creating an ephemeral sequential child `json.info_<sequence>`
 * holding its MasterInfo as JSON; the lowest sequence leads. The detector
 * does what Mesos's ZooKeeperMasterDetector does (src/master/detector/
 * zookeeper.cpp over src/zookeeper/detector.cpp): it watches the children,
 * reads the lowest `json.info_*` node, parses it with master_info_parse(),
 * and reports each change of leader:
 *  - a new leading node: the callback gets its master_info;
 *  - no contender left, or the path missing: the callback gets NULL;
 *  - the leader's data unreadable (or ZooKeeper refusing to let us read):
 *    NULL and why, once per unreadable node;
 *  - the session expired (or was disconnected for its whole timeout): from
 *    the client's point of view every membership is gone, so the detector
 *    reports no leader at once, as Mesos's group does, and reports the
 *    leader again once the new session has read the children.
 * A disconnection shorter than the session timeout changes nothing: the
 * leader's ephemeral node, and so its leadership, outlives it.
 *
 * The callback runs from zk_session_dispatch(), only when the leader
 * changed (another node, or none). Leaders are told apart by their node,
 * so a master that restarts and contends again is a new leader even with
 * the same address.
 *
 * Ownership: the caller owns the detector and its session, and frees the
 * detector first. The master_info and error given to the callback, and the
 * pointer zk_detector_leader() returns, are the detector's: valid until
 * the callback returns or the next dispatch, respectively.
 */
#ifndef HDRF_SCHED_ZK_DETECTOR_H
#define HDRF_SCHED_ZK_DETECTOR_H

#include "scheduler/master_info.h"
#include "scheduler/zk_session.h"

typedef struct zk_detector zk_detector;

/* `leader`: the new leading master, or NULL when there is none; `why`: NULL,
 * or why the leader is unknown although there may be one: its node does not
 * parse, ZooKeeper refused a read, or the session expired. */
typedef void (*zk_detector_fn)(void *arg, const master_info *leader, const sched_error *why);

/* Starts following the masters under `path` (e.g. master_spec.zk_path) on
 * `s`; the first report comes once the session is connected. */
int zk_detector_new(zk_session *s, const char *path, zk_detector_fn fn, void *arg,
                    zk_detector **out, sched_error *err);

/* Stops following; no callback runs afterwards. NULL is ignored. */
void zk_detector_free(zk_detector *d);

/* The current leader, or NULL. */
const master_info *zk_detector_leader(const zk_detector *d);

#endif
