/* zk_wait.c: bounded waits on a ZooKeeper session (see zk_wait.h). */
#include "scheduler/prog/zk_wait.h"

#include <time.h>

long long zk_wait_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool zk_wait_flag(zk_session *s, const bool *flag, int wait_ms)
{
    long long deadline = zk_wait_now_ms() + wait_ms;
    while (!*flag && zk_wait_now_ms() < deadline)
        zk_session_poll(&s, 1, 50);
    return *flag;
}

void zk_wait_done(void *owner, void *arg, const zk_result *r)
{
    zk_wait_call *call = arg;
    (void)owner;
    call->rc = r->rc;
    call->done = true;
}

int zk_wait_connect(const char *servers, const char *auth, int timeout_ms, int wait_ms,
                    zk_session **out, sched_error *err)
{
    zk_session *s = NULL;
    long long deadline = zk_wait_now_ms() + wait_ms;
    int rc = zk_session_new(servers, timeout_ms, auth, &s, err);
    if (rc != HDRF_OK)
        return rc;
    while (!zk_session_connected(s) && zk_wait_now_ms() < deadline)
        zk_session_poll(&s, 1, 50);
    if (!zk_session_connected(s)) {
        zk_session_free(s);
        return sched_error_set(err, ZK_EUNAVAILABLE,
                               "ZooKeeper %s: no server answered within %d ms", servers, wait_ms);
    }
    *out = s;
    return HDRF_OK;
}
