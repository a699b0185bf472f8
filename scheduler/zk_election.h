/* zk_election.h: one leader among the scheduler's instances.
 *
 * ZooKeeper's leader-election recipe. Each instance owns an ephemeral
 * sequential child of the election path, `member-<session id>-<sequence>`,
 * holding what it chooses to publish (its address, say); the lowest
 * sequence leads. A follower watches only the member just before its own
 * (its predecessor), so a departure wakes one instance, not all of them;
 * when the predecessor goes, the follower lists the members again: it leads
 * if it is now the lowest, else it watches its new predecessor.
 *
 * The session id in the name makes creation safe to retry: when a create's
 * answer is lost with the connection, the node may exist nonetheless, and
 * the instance finds it by that prefix instead of creating a second one
 * that would sit behind the first forever.
 *
 * Leadership lives and dies with the session: when it expires (or has been
 * disconnected for its whole timeout, see zk_session.h) the instance's node
 * is gone, the callback says "not leading" at once, and the instance joins
 * again as a new member with the new session. A shorter disconnection
 * changes nothing: the node, and the leadership, outlive it. Freeing the
 * election deletes the node, handing leadership over without waiting for a
 * session to end.
 *
 * Ownership: the caller owns the election and its session, and frees the
 * election first. Strings passed in are copied.
 */
#ifndef HDRF_SCHED_ZK_ELECTION_H
#define HDRF_SCHED_ZK_ELECTION_H

#include <stdbool.h>
#include <stddef.h>

#include "scheduler/zk_session.h"

typedef struct zk_election zk_election;

/* Called from zk_session_dispatch() when this instance starts (`leading`
 * true) or stops leading; never twice with the same value in a row. */
typedef void (*zk_election_fn)(void *arg, bool leading);

/* Joins the election under `path` (created if missing) on `s`, publishing
 * `len` bytes of `data` (may be NULL) in this instance's node. Joining
 * happens once the session is connected. */
int zk_election_new(zk_session *s, const char *path, const char *data, size_t len,
                    zk_election_fn fn, void *arg, zk_election **out, sched_error *err);

/* Leaves the election: deletes this instance's node, so that the next one
 * leads at once. No callback runs afterwards. NULL is ignored. */
void zk_election_free(zk_election *e);

bool zk_election_leading(const zk_election *e);

/* This instance's node (its full path), or NULL while it has none. Valid
 * until the next dispatch. */
const char *zk_election_node(const zk_election *e);

/* The last ZooKeeper error that kept this instance out of the election
 * (e.g. no permission to create its node), or NULL. Valid until the next
 * dispatch. */
const char *zk_election_error(const zk_election *e);

/* The sequence number of a member node's name (`member-<session>-<10
 * digits>`), or -1 for any other name: the member with the lowest leads. */
long long zk_election_sequence(const char *name);

#endif
