/* zk_detector.c: following the leading Mesos master (see zk_detector.h).
 *
 * One loop: list the children with a watch, pick the lowest json.info_*
 * node, read it, report. Every trigger (connection, a child watch, the
 * path appearing) restarts the loop from the listing, so there is no state
 * to repair after a lost request: a request that fails for want of a
 * connection is simply superseded by the listing that the reconnection
 * starts. A read is tagged with a counter so that only the read of the
 * latest listing may report.
 */
#include "scheduler/zk_detector.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODE_NAME 64 /* json.info_ and up to 19 digits fit */

struct zk_detector {
    zk_user *user;
    char *path;
    zk_detector_fn fn;
    void *arg;
    /* What was last reported: a leader (node and info), no leader (node ""),
     * or an unreadable leader node (node set, has_leader false). */
    bool has_leader;
    char node[NODE_NAME];
    master_info leader;
    uint64_t fetch;           /* the latest read; older reads are stale */
    char fetching[NODE_NAME]; /* the node that read is for */
};

static void list(zk_detector *d);

/* Reports "no leader" when something else was reported last. */
static void report_none(zk_detector *d, const sched_error *why)
{
    if (!d->has_leader && d->node[0] == '\0')
        return;
    d->has_leader = false;
    d->node[0] = '\0';
    d->fn(d->arg, NULL, why);
}

/* A request that could not even be recorded: say so, as no leader. */
static void out_of_memory(zk_detector *d)
{
    sched_error err;
    sched_error_set(&err, HDRF_ENOMEM, "master detector %s: out of memory", d->path);
    d->has_leader = true; /* force the report */
    report_none(d, &err);
}

static void on_data(void *owner, void *arg, const zk_result *r)
{
    zk_detector *d = owner;
    sched_error err;
    master_info mi;
    if ((uintptr_t)arg != d->fetch || r->rc == ZNONODE)
        return; /* superseded; a vanished node fires the child watch */
    if (r->rc != ZOK) {
        if (zk_status(r->rc, "master detector", &err) != ZK_EUNAVAILABLE)
            report_none(d, &err);
        return; /* unavailable: the reconnection lists again */
    }
    if (master_info_parse(r->data ? r->data : "", (size_t)(r->data ? r->len : 0), &mi, &err) !=
        HDRF_OK) {
        /* As Mesos: an unreadable leader is no leader, with the reason, once. */
        if (!d->has_leader && strcmp(d->node, d->fetching) == 0)
            return;
        sched_error_wrap(&err, err.status, "%s/%s", d->path, d->fetching);
        d->has_leader = false;
        memcpy(d->node, d->fetching, sizeof d->node);
        d->fn(d->arg, NULL, &err);
        return;
    }
    d->leader = mi;
    d->has_leader = true;
    memcpy(d->node, d->fetching, sizeof d->node);
    d->fn(d->arg, &d->leader, NULL);
}

static void on_exists(void *owner, void *arg, const zk_result *r)
{
    (void)arg;
    if (r->rc == ZOK)
        list(owner); /* created between the listing and this check */
}

static void on_children(void *owner, void *arg, const zk_result *r)
{
    zk_detector *d = owner;
    sched_error err;
    char path[1024];
    size_t i;
    (void)arg;
    if (r->rc == ZNONODE) {
        /* No masters' node yet: be told when it appears. */
        if (zk_exists(d->user, d->path, true, on_exists, NULL) != HDRF_OK)
            out_of_memory(d);
        report_none(d, NULL);
        return;
    }
    if (r->rc != ZOK) {
        if (zk_status(r->rc, "master detector", &err) != ZK_EUNAVAILABLE)
            report_none(d, &err);
        return;
    }
    if (master_info_leader(r->names, r->n_names, &i, &err) != HDRF_OK) {
        report_none(d, NULL);
        return;
    }
    if (strcmp(r->names[i], d->node) == 0)
        return; /* the same leader, or the same unreadable node */
    d->fetch++;
    snprintf(d->fetching, sizeof d->fetching, "%s", r->names[i]);
    snprintf(path, sizeof path, "%s/%s", d->path, d->fetching);
    if (zk_get(d->user, path, false, on_data, (void *)(uintptr_t)d->fetch) != HDRF_OK)
        out_of_memory(d);
}

static void list(zk_detector *d)
{
    if (zk_children(d->user, d->path, true, on_children, NULL) != HDRF_OK)
        out_of_memory(d);
}

static void on_event(void *owner, const zk_event *ev)
{
    zk_detector *d = owner;
    sched_error err;
    switch (ev->kind) {
    case ZK_EVENT_CONNECTED:
        list(d); /* a new session has no watches; an old one may have missed a change */
        break;
    case ZK_EVENT_EXPIRED:
        zk_user_cancel(d->user);
        sched_error_set(&err, ZK_EUNAVAILABLE,
                        "master detector %s: ZooKeeper session expired; masters unknown "
                        "until the new session reads them",
                        d->path);
        report_none(d, &err);
        break;
    case ZK_EVENT_NODE:
        if (strcmp(ev->path, d->path) == 0)
            list(d);
        break;
    case ZK_EVENT_DISCONNECTED:
    case ZK_EVENT_AUTH_FAILED:
        break;
    }
}

int zk_detector_new(zk_session *s, const char *path, zk_detector_fn fn, void *arg,
                    zk_detector **out, sched_error *err)
{
    zk_detector *d = calloc(1, sizeof *d);
    int status = HDRF_ENOMEM;
    *out = NULL;
    if (!d || !(d->path = strdup(path)))
        goto fail;
    if (path[0] != '/' || strlen(path) > 512) {
        status = sched_error_set(err, HDRF_EINVAL,
                                 "master detector: path '%s': must be absolute and at most "
                                 "512 characters",
                                 path);
        goto fail;
    }
    d->fn = fn;
    d->arg = arg;
    if ((status = zk_user_new(s, on_event, d, &d->user, err)) != HDRF_OK)
        goto fail;
    if (zk_session_connected(s))
        list(d);
    *out = d;
    return HDRF_OK;
fail:
    if (status == HDRF_ENOMEM)
        sched_error_set(err, HDRF_ENOMEM, "master detector: out of memory");
    if (d)
        free(d->path);
    free(d);
    return status;
}

void zk_detector_free(zk_detector *d)
{
    if (!d)
        return;
    zk_user_free(d->user);
    free(d->path);
    free(d);
}

const master_info *zk_detector_leader(const zk_detector *d)
{
    return d->has_leader ? &d->leader : NULL;
}
