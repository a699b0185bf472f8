/* zk_wait.h: waiting for ZooKeeper from a short-lived command.
 *
 * The operator commands and the tests do one thing at a time: start a
 * request, then dispatch the session until its callback has run. These
 * helpers bound every wait by a deadline, so that a command against an
 * unreachable ensemble ends with a message instead of hanging.
 */
#ifndef HDRF_SCHED_PROG_ZK_WAIT_H
#define HDRF_SCHED_PROG_ZK_WAIT_H

#include <stdbool.h>

#include "scheduler/zk_session.h"

/* A connected session to `servers` (auth "user:password" or ""), with
 * the requested session timeout `timeout_ms`; ZK_EUNAVAILABLE when no
 * server answered within `wait_ms`. */
int zk_wait_connect(const char *servers, const char *auth, int timeout_ms, int wait_ms,
                    zk_session **out, sched_error *err);

/* Dispatches `s` until *flag is true or `wait_ms` passed; returns *flag. */
bool zk_wait_flag(zk_session *s, const bool *flag, int wait_ms);

/* One request's outcome, for zk_wait_flag(&call.done): start the request
 * with zk_wait_done as its callback and the call as its argument. */
typedef struct zk_wait_call {
    bool done;
    int rc; /* the ZooKeeper code, once done */
} zk_wait_call;

void zk_wait_done(void *owner, void *arg, const zk_result *r);

/* Milliseconds on the monotonic clock. */
long long zk_wait_now_ms(void);

#endif
