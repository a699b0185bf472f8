/* zk_election.c: leader election among scheduler instances (see
 * zk_election.h).
 *
 * Like the detector, one loop restarted by every trigger: list the members,
 * then either adopt/create this instance's node, lead, or watch the
 * predecessor. Triggers are a connection, the creation of our node, and any
 * event on the watched predecessor. A request lost with the connection
 * needs no repair: the reconnection lists again.
 */
#include "scheduler/zk_election.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_SIZE 640    /* the election path (at most 512) and a member name */
#define MEMBER "member-" /* member-<16 hex digits>-<10 digits> */

struct zk_election {
    zk_user *user;
    char *path;
    char *data;
    size_t len;
    zk_election_fn fn;
    void *arg;
    bool leading;
    bool creating;           /* our create is in flight */
    int64_t session;         /* the session `prefix` and `node` belong to */
    char prefix[48];         /* "member-<session>-" */
    char node[PATH_SIZE];    /* our node, or "" */
    char watched[PATH_SIZE]; /* the predecessor we watch, or "" */
    sched_error error;       /* status HDRF_OK: none */
};

static void list(zk_election *e);

static void set_leading(zk_election *e, bool leading)
{
    if (e->leading == leading)
        return;
    e->leading = leading;
    e->fn(e->arg, leading);
}

static void fail(zk_election *e, int rc, const char *what)
{
    sched_error err;
    if (zk_status(rc, what, &err) == ZK_EUNAVAILABLE)
        return; /* the reconnection starts over */
    e->error = err;
    sched_error_wrap(&e->error, err.status, "election %s", e->path);
}

static void out_of_memory(zk_election *e)
{
    sched_error_set(&e->error, HDRF_ENOMEM, "election %s: out of memory", e->path);
}

long long zk_election_sequence(const char *name)
{
    const char *dash = strrchr(name, '-');
    long long seq = 0;
    if (strncmp(name, MEMBER, sizeof MEMBER - 1) != 0 || !dash || strlen(dash + 1) != 10)
        return -1;
    for (const char *p = dash + 1; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return -1;
        seq = seq * 10 + (*p - '0');
    }
    return seq;
}

static void on_predecessor(void *owner, void *arg, const zk_result *r)
{
    (void)arg;
    if (r->rc == ZNONODE)
        list(owner); /* gone before the watch was set */
    else if (r->rc != ZOK)
        fail(owner, r->rc, "watching the predecessor");
}

static void on_created(void *owner, void *arg, const zk_result *r)
{
    zk_election *e = owner;
    (void)arg;
    e->creating = false;
    if (r->rc == ZOK) {
        snprintf(e->node, sizeof e->node, "%s", r->path);
        sched_error_clear(&e->error);
        list(e);
    } else {
        fail(e, r->rc, "creating this instance's node");
    }
}

static void create(zk_election *e)
{
    char path[PATH_SIZE];
    snprintf(path, sizeof path, "%s/%s", e->path, e->prefix);
    if (zk_create(e->user, path, e->data, (int)e->len, ZOO_EPHEMERAL | ZOO_SEQUENCE, on_created,
                  NULL) == HDRF_OK)
        e->creating = true;
    else
        out_of_memory(e);
}

static void on_members(void *owner, void *arg, const zk_result *r)
{
    zk_election *e = owner;
    const char *ours = NULL, *pred = NULL;
    long long our_seq = -1, pred_seq = -1, lowest = -1;
    char path[PATH_SIZE];
    (void)arg;
    if (r->rc != ZOK) {
        fail(e, r->rc, "listing the members");
        return;
    }
    /* Ours: the node we created, or one of this session's whose creation
     * we did not hear about. */
    for (size_t i = 0; i < r->n_names; i++) {
        long long seq = zk_election_sequence(r->names[i]);
        if (seq < 0)
            continue;
        if (lowest < 0 || seq < lowest)
            lowest = seq;
        snprintf(path, sizeof path, "%s/%s", e->path, r->names[i]);
        if (strcmp(path, e->node) == 0 ||
            (!e->node[0] && strncmp(r->names[i], e->prefix, strlen(e->prefix)) == 0)) {
            ours = r->names[i];
            our_seq = seq;
        }
    }
    if (!ours) {
        e->node[0] = '\0'; /* deleted behind our back, or never made */
        set_leading(e, false);
        if (!e->creating)
            create(e);
        return;
    }
    snprintf(e->node, sizeof e->node, "%s/%s", e->path, ours);
    if (our_seq == lowest) {
        e->watched[0] = '\0';
        set_leading(e, true);
        return;
    }
    /* A leader's node is the lowest for as long as it exists: this changes
     * something only after ours was deleted and made again. */
    set_leading(e, false);
    for (size_t i = 0; i < r->n_names; i++) {
        long long seq = zk_election_sequence(r->names[i]);
        if (seq >= 0 && seq < our_seq && seq > pred_seq) {
            pred_seq = seq;
            pred = r->names[i];
        }
    }
    snprintf(e->watched, sizeof e->watched, "%s/%s", e->path, pred);
    if (zk_exists(e->user, e->watched, true, on_predecessor, NULL) != HDRF_OK)
        out_of_memory(e);
}

static void list(zk_election *e)
{
    if (zk_children(e->user, e->path, false, on_members, NULL) != HDRF_OK)
        out_of_memory(e);
}

/* (Re)joins after a connection: a new session starts with no node. */
static void join(zk_election *e)
{
    zk_session *s = zk_user_session(e->user);
    if (zk_session_id(s) != e->session) {
        e->session = zk_session_id(s);
        snprintf(e->prefix, sizeof e->prefix, MEMBER "%016" PRIx64 "-", (uint64_t)e->session);
        e->node[0] = e->watched[0] = '\0';
        e->creating = false;
    }
    /* Served in order: the path exists by the time the listing runs. */
    if (zk_create_path(e->user, e->path, NULL, NULL) != HDRF_OK)
        out_of_memory(e);
    list(e);
}

static void on_event(void *owner, const zk_event *ev)
{
    zk_election *e = owner;
    switch (ev->kind) {
    case ZK_EVENT_CONNECTED:
        join(e);
        break;
    case ZK_EVENT_EXPIRED:
        zk_user_cancel(e->user);
        e->node[0] = e->watched[0] = '\0';
        e->creating = false;
        set_leading(e, false);
        break;
    case ZK_EVENT_NODE:
        if (e->watched[0] && strcmp(ev->path, e->watched) == 0)
            list(e);
        break;
    case ZK_EVENT_DISCONNECTED:
    case ZK_EVENT_AUTH_FAILED:
        break;
    }
}

int zk_election_new(zk_session *s, const char *path, const char *data, size_t len,
                    zk_election_fn fn, void *arg, zk_election **out, sched_error *err)
{
    zk_election *e = calloc(1, sizeof *e);
    int status = HDRF_ENOMEM;
    *out = NULL;
    if (!e || !(e->path = strdup(path)) || (len && !(e->data = malloc(len))))
        goto fail;
    if (path[0] != '/' || strlen(path) > 512 || len > INT32_MAX) {
        status = sched_error_set(err, HDRF_EINVAL,
                                 "election: path '%s': must be absolute and at most 512 "
                                 "characters",
                                 path);
        goto fail;
    }
    if (len)
        memcpy(e->data, data, len);
    e->len = len;
    e->fn = fn;
    e->arg = arg;
    if ((status = zk_user_new(s, on_event, e, &e->user, err)) != HDRF_OK)
        goto fail;
    if (zk_session_connected(s))
        join(e);
    *out = e;
    return HDRF_OK;
fail:
    if (status == HDRF_ENOMEM)
        sched_error_set(err, HDRF_ENOMEM, "election: out of memory");
    if (e) {
        free(e->path);
        free(e->data);
    }
    free(e);
    return status;
}

void zk_election_free(zk_election *e)
{
    if (!e)
        return;
    /* Hand over now rather than when the session ends; the answer is not
     * needed (the session drops it with the user). */
    if (e->node[0])
        zk_delete(e->user, e->node, -1, NULL, NULL);
    zk_user_free(e->user);
    free(e->path);
    free(e->data);
    free(e);
}

bool zk_election_leading(const zk_election *e) { return e->leading; }

const char *zk_election_node(const zk_election *e) { return e->node[0] ? e->node : NULL; }

const char *zk_election_error(const zk_election *e)
{
    return e->error.status != HDRF_OK ? e->error.text : NULL;
}
