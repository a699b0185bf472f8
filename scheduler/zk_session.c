/* zk_session.c: a ZooKeeper session whose callbacks run on the caller's
 * thread (see zk_session.h).
 *
 * Everything the library's threads hand us becomes a `zk_rec` appended to
 * one mutex-protected queue: a request's result, copied out of the
 * library's buffers (they are freed when the completion returns), or a
 * watcher notification. The first record into an empty queue writes a byte
 * to a pipe; dispatch empties the pipe before taking the queue, so a record
 * queued after the take always leaves a byte behind and is never stranded.
 *
 * Each client handle gets its own small context {session, generation}: a
 * notification from a handle that was since replaced (after an expiry) is
 * recognised by its generation and dropped. Results carry their user's id
 * and epoch instead, so they reach their user even across a handle change
 * (a write's outcome matters whatever happened since), unless that user is
 * gone or cancelled them.
 *
 * zookeeper_close() answers every request still pending with ZCLOSING
 * before it returns, so once the handle is closed every record is in the
 * queue and freeing the queue frees them all.
 */
#include "scheduler/zk_session.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef enum rec_kind { REC_RESULT, REC_WATCH } rec_kind;

/* What a handle's watcher is given: the handle's session and generation. */
typedef struct handle_ctx {
    zk_session *s;
    unsigned generation;
} handle_ctx;

typedef struct zk_rec {
    struct zk_rec *next;
    zk_session *s;
    rec_kind kind;
    /* REC_RESULT */
    uint64_t user_id, user_epoch;
    zk_done_fn done;
    void *arg;
    bool exists_ok; /* ZNODEEXISTS counts as success (zk_create_path) */
    int rc;
    bool has_stat;
    struct Stat stat;
    char *data; /* get: the data; create: the created path, NUL-terminated */
    int len;
    char **names;
    size_t n_names;
    /* REC_WATCH */
    unsigned generation;
    int type, state;
    char *path;
} zk_rec;

struct zk_user {
    zk_user *next;
    zk_session *s;
    uint64_t id, epoch;
    zk_event_fn on_event;
    void *owner;
};

struct zk_session {
    char *servers;
    char *auth; /* NULL: none */
    int timeout_ms;
    zhandle_t *zh;
    handle_ctx *ctx;
    unsigned generation;
    /* shared with the library's threads, under `lock` */
    pthread_mutex_t lock;
    zk_rec *head, *tail;
    int in_flight; /* requests the client accepted and has not answered yet */
    int pipe_rd, pipe_wr;
    /* the caller's thread only */
    zk_user *users; /* in increasing id order */
    uint64_t next_user_id;
    bool connected, auth_failed;
    int64_t session_id;
    clientid_t client_id;
    int negotiated_ms;
    bool has_deadline;
    struct timespec deadline;
};

/* ---- records ------------------------------------------------------------------ */

static void rec_free(zk_rec *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_names; i++)
        free(r->names[i]);
    free(r->names);
    free(r->data);
    free(r->path);
    free(r);
}

/* Appends a record (library threads or the caller's) and wakes dispatch. */
static void push(zk_session *s, zk_rec *r)
{
    bool was_empty;
    pthread_mutex_lock(&s->lock);
    was_empty = s->head == NULL;
    r->next = NULL;
    if (s->tail)
        s->tail->next = r;
    else
        s->head = r;
    s->tail = r;
    if (was_empty) {
        /* The only failure of a non-blocking write to our own pipe is a
         * full pipe, which wakes the reader all the same. */
        ssize_t n = write(s->pipe_wr, "", 1);
        (void)n;
    }
    pthread_mutex_unlock(&s->lock);
}

/* Copies what a completion carries; a copy that cannot be made turns the
 * result into ZSYSTEMERROR rather than losing it. */
static void complete(const void *data, int rc, const struct Stat *stat, const char *value, int len,
                     const struct String_vector *names)
{
    zk_rec *r = (zk_rec *)data;
    pthread_mutex_lock(&r->s->lock);
    r->s->in_flight--;
    pthread_mutex_unlock(&r->s->lock);
    r->rc = rc;
    if (rc == ZOK && stat) {
        r->stat = *stat;
        r->has_stat = true;
    }
    if (rc == ZOK && value && len >= 0) {
        if ((r->data = malloc((size_t)len + 1))) {
            memcpy(r->data, value, (size_t)len);
            r->data[len] = '\0';
            r->len = len;
        } else
            r->rc = ZSYSTEMERROR;
    }
    if (rc == ZOK && names && names->count > 0) {
        if ((r->names = calloc((size_t)names->count, sizeof *r->names))) {
            for (int i = 0; i < names->count; i++, r->n_names++)
                if (!(r->names[i] = strdup(names->data[i]))) {
                    r->rc = ZSYSTEMERROR;
                    break;
                }
        } else
            r->rc = ZSYSTEMERROR;
    }
    push(r->s, r);
}

static void on_data(int rc, const char *value, int len, const struct Stat *stat, const void *data)
{
    complete(data, rc, stat, value, value ? len : -1, NULL);
}

static void on_stat(int rc, const struct Stat *stat, const void *data)
{
    complete(data, rc, stat, NULL, -1, NULL);
}

static void on_strings(int rc, const struct String_vector *names, const void *data)
{
    complete(data, rc, NULL, NULL, -1, names);
}

static void on_string(int rc, const char *value, const void *data)
{
    complete(data, rc, NULL, value, value ? (int)strlen(value) : -1, NULL);
}

static void on_void(int rc, const void *data) { complete(data, rc, NULL, NULL, -1, NULL); }

static void on_watch(zhandle_t *zh, int type, int state, const char *path, void *context)
{
    handle_ctx *ctx = context;
    zk_rec *r = calloc(1, sizeof *r);
    (void)zh;
    /* Out of memory on the library's thread: nothing to report to. A lost
     * session event is recovered at the next one; a lost node event is a
     * missed change, which the users' next read after a reconnection sees. */
    if (!r)
        return;
    r->s = ctx->s;
    r->kind = REC_WATCH;
    r->generation = ctx->generation;
    r->type = type;
    r->state = state;
    if (path && *path && !(r->path = strdup(path))) {
        free(r);
        return;
    }
    push(ctx->s, r);
}

/* ---- handles ------------------------------------------------------------------ */

/* Why zookeeper_init() refused `servers`, in plain words when a host name
 * does not resolve (the client says only errno, e.g. "No such file or
 * directory", for a DNS failure): the first such host and the resolver's
 * reason; false when every host resolves. */
static bool unresolvable_host(const char *servers, char *why, size_t size)
{
    const char *at = servers;
    while (*at) {
        size_t len = strcspn(at, ",");
        char host[256];
        const char *colon = memchr(at, ':', len);
        size_t host_len = colon ? (size_t)(colon - at) : len;
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
        int rc;
        if (host_len > 0 && host_len < sizeof host) {
            memcpy(host, at, host_len);
            host[host_len] = '\0';
            if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0) {
                snprintf(why, size, "host %s not found (%s)", host,
                         rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
                return true;
            }
            freeaddrinfo(res);
        }
        at += len + (at[len] == ',');
    }
    return false;
}

static int open_handle(zk_session *s, sched_error *err)
{
    handle_ctx *ctx = malloc(sizeof *ctx);
    if (!ctx)
        return sched_error_set(err, HDRF_ENOMEM, "ZooKeeper %s: out of memory", s->servers);
    ctx->s = s;
    ctx->generation = ++s->generation;
    s->zh = zookeeper_init(s->servers, on_watch, s->timeout_ms, NULL, ctx, 0);
    if (!s->zh) {
        int e = errno;
        char why[320];
        free(ctx);
        if (unresolvable_host(s->servers, why, sizeof why))
            return sched_error_set(err, ZK_EUNAVAILABLE, "ZooKeeper %s: %s", s->servers, why);
        return sched_error_set(err, e == EINVAL ? HDRF_EINVAL : ZK_EFAILED,
                               "ZooKeeper %s: cannot start a session: %s", s->servers, strerror(e));
    }
    s->ctx = ctx;
    if (s->auth)
        zoo_add_auth(s->zh, "digest", s->auth, (int)strlen(s->auth), NULL, NULL);
    return HDRF_OK;
}

static void close_handle(zk_session *s)
{
    if (s->zh)
        zookeeper_close(s->zh);
    free(s->ctx);
    s->zh = NULL;
    s->ctx = NULL;
}

/* ---- the session ----------------------------------------------------------------- */

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
                   fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
               ? -1
               : 0;
}

int zk_session_new(const char *servers, int timeout_ms, const char *auth, zk_session **out,
                   sched_error *err)
{
    zk_session *s = calloc(1, sizeof *s);
    int fds[2], status = HDRF_ENOMEM;
    bool locked = false;
    *out = NULL;
    if (!s)
        return sched_error_set(err, HDRF_ENOMEM, "ZooKeeper %s: out of memory", servers);
    s->pipe_rd = s->pipe_wr = -1;
    s->timeout_ms = s->negotiated_ms = timeout_ms;
    if (timeout_ms <= 0) {
        status = sched_error_set(err, HDRF_EINVAL, "ZooKeeper %s: timeout %d ms: must be > 0",
                                 servers, timeout_ms);
        goto fail;
    }
    if (!(s->servers = strdup(servers)) || (auth && *auth && !(s->auth = strdup(auth))) ||
        pthread_mutex_init(&s->lock, NULL) != 0) {
        status = sched_error_set(err, HDRF_ENOMEM, "ZooKeeper %s: out of memory", servers);
        goto fail;
    }
    locked = true;
    if (pipe(fds) != 0) {
        status =
            sched_error_set(err, ZK_EFAILED, "ZooKeeper %s: pipe: %s", servers, strerror(errno));
        goto fail;
    }
    s->pipe_rd = fds[0];
    s->pipe_wr = fds[1];
    if (set_nonblocking(s->pipe_rd) || set_nonblocking(s->pipe_wr)) {
        status = sched_error_set(err, ZK_EFAILED, "ZooKeeper %s: pipe flags: %s", servers,
                                 strerror(errno));
        goto fail;
    }
    if ((status = open_handle(s, err)) != HDRF_OK)
        goto fail;
    *out = s;
    return HDRF_OK;
fail:
    if (s->pipe_rd >= 0)
        close(s->pipe_rd);
    if (s->pipe_wr >= 0)
        close(s->pipe_wr);
    if (locked)
        pthread_mutex_destroy(&s->lock);
    free(s->servers);
    free(s->auth);
    free(s);
    return status;
}

static int64_t ms_until(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

#define CLOSE_WAIT_SECONDS 2

/* Waits, a bounded time, until the client has answered every request it
 * accepted. zookeeper_close() fails what is still unanswered with
 * ZCLOSING through the completion thread it has already stopped, so those
 * completions, and our records with them, would never run nor be freed
 * (a leak ASan reports when a program stops right after a request). The
 * answers are left queued, never delivered: users are gone by now. */
static void await_answers(zk_session *s)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += CLOSE_WAIT_SECONDS;
    for (;;) {
        struct pollfd p = {s->pipe_rd, POLLIN, 0};
        int left;
        pthread_mutex_lock(&s->lock);
        left = s->in_flight;
        pthread_mutex_unlock(&s->lock);
        if (left <= 0 || !s->connected || ms_until(&deadline) <= 0)
            return;
        if (poll(&p, 1, 20) > 0) {
            char buf[64];
            while (read(s->pipe_rd, buf, sizeof buf) > 0)
                ;
        }
    }
}

void zk_session_free(zk_session *s)
{
    zk_rec *r, *next;
    if (!s)
        return;
    if (s->zh)
        await_answers(s);
    close_handle(s);
    for (r = s->head; r; r = next) {
        next = r->next;
        rec_free(r);
    }
    /* Users should be gone; free any left so that nothing leaks. */
    while (s->users) {
        zk_user *u = s->users;
        s->users = u->next;
        free(u);
    }
    close(s->pipe_rd);
    close(s->pipe_wr);
    pthread_mutex_destroy(&s->lock);
    free(s->servers);
    free(s->auth);
    free(s);
}

int zk_session_fd(const zk_session *s) { return s->pipe_rd; }

int zk_session_timeout(const zk_session *s)
{
    int64_t ms;
    if (!s->has_deadline)
        return -1;
    ms = ms_until(&s->deadline);
    return ms < 0 ? 0 : ms > 1000000 ? 1000000 : (int)ms + 1;
}

bool zk_session_connected(const zk_session *s) { return s->connected; }

int64_t zk_session_id(const zk_session *s) { return s->session_id; }

const clientid_t *zk_session_client_id(const zk_session *s)
{
    return s->session_id ? &s->client_id : NULL;
}

int zk_session_negotiated_timeout(const zk_session *s) { return s->negotiated_ms; }

/* The first user with an id above `after`: iteration that survives
 * callbacks freeing or adding users. */
static zk_user *user_after(zk_session *s, uint64_t after)
{
    for (zk_user *u = s->users; u; u = u->next)
        if (u->id > after)
            return u;
    return NULL;
}

static void broadcast(zk_session *s, const zk_event *ev)
{
    uint64_t last = s->next_user_id; /* users added meanwhile do not hear it */
    for (zk_user *u = user_after(s, 0); u && u->id <= last; u = user_after(s, u->id))
        if (u->on_event)
            u->on_event(u->owner, ev);
}

/* The session is over: replace the handle, then tell the users, so that
 * what they request in response goes to the new session. */
static void expire(zk_session *s)
{
    zk_event ev = {.kind = ZK_EVENT_EXPIRED};
    s->connected = false;
    s->has_deadline = false;
    close_handle(s);
    /* Without a handle every request fails with ZK_EUNAVAILABLE until the
     * next expiry deadline retries; open_handle() fails only when out of
     * memory or on a server list zookeeper_init() already accepted once. */
    if (open_handle(s, NULL) != HDRF_OK) {
        clock_gettime(CLOCK_MONOTONIC, &s->deadline);
        s->deadline.tv_sec += 1;
        s->has_deadline = true;
    }
    broadcast(s, &ev);
}

static void session_event(zk_session *s, int state)
{
    zk_event ev = {.kind = ZK_EVENT_CONNECTED};
    if (state == ZOO_CONNECTED_STATE) {
        const clientid_t *id = zoo_client_id(s->zh);
        ev.new_session = id->client_id != s->session_id;
        s->session_id = id->client_id;
        s->client_id = *id;
        s->negotiated_ms = zoo_recv_timeout(s->zh);
        s->connected = true;
        s->has_deadline = false;
        broadcast(s, &ev);
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
        expire(s);
    } else if (state == ZOO_AUTH_FAILED_STATE) {
        s->connected = false;
        s->auth_failed = true;
        s->has_deadline = false;
        ev.kind = ZK_EVENT_AUTH_FAILED;
        broadcast(s, &ev);
    } else if (s->connected) { /* connecting again */
        s->connected = false;
        clock_gettime(CLOCK_MONOTONIC, &s->deadline);
        s->deadline.tv_sec += s->negotiated_ms / 1000;
        s->deadline.tv_nsec += (long)(s->negotiated_ms % 1000) * 1000000;
        if (s->deadline.tv_nsec >= 1000000000) {
            s->deadline.tv_sec++;
            s->deadline.tv_nsec -= 1000000000;
        }
        s->has_deadline = true;
        ev.kind = ZK_EVENT_DISCONNECTED;
        broadcast(s, &ev);
    }
}

static zk_user *find_user(zk_session *s, uint64_t id)
{
    for (zk_user *u = s->users; u; u = u->next)
        if (u->id == id)
            return u;
    return NULL;
}

static void deliver(zk_session *s, zk_rec *r)
{
    zk_user *u = find_user(s, r->user_id);
    zk_result res = {.rc = r->rc};
    if (!u || u->epoch != r->user_epoch || !r->done)
        return;
    if (r->exists_ok && res.rc == ZNODEEXISTS)
        res.rc = ZOK;
    res.stat = r->has_stat ? &r->stat : NULL;
    res.data = r->data;
    res.len = r->len;
    res.path = r->data;
    res.names = (const char *const *)r->names;
    res.n_names = r->n_names;
    r->done(u->owner, r->arg, &res);
}

void zk_session_dispatch(zk_session *s)
{
    char buf[64];
    zk_rec *r, *next;
    while (read(s->pipe_rd, buf, sizeof buf) > 0)
        ;
    if (s->has_deadline && ms_until(&s->deadline) <= 0) {
        if (s->zh)
            expire(s); /* disconnected for the whole session timeout */
        else if (open_handle(s, NULL) == HDRF_OK)
            s->has_deadline = false;
    }
    pthread_mutex_lock(&s->lock);
    r = s->head;
    s->head = s->tail = NULL;
    pthread_mutex_unlock(&s->lock);
    for (; r; r = next) {
        next = r->next;
        if (r->kind == REC_RESULT) {
            deliver(s, r);
        } else if (r->generation == s->generation) {
            if (r->type == ZOO_SESSION_EVENT) {
                session_event(s, r->state);
            } else {
                zk_event ev = {.kind = ZK_EVENT_NODE, .node_event = r->type, .path = r->path};
                if (r->path)
                    broadcast(s, &ev);
            }
        }
        rec_free(r);
    }
}

int zk_session_poll(zk_session *const *sessions, size_t n, int timeout_ms)
{
    struct pollfd *fds = calloc(n ? n : 1, sizeof *fds);
    int ready, dispatched = 0;
    if (!fds)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int t = zk_session_timeout(sessions[i]);
        fds[i].fd = zk_session_fd(sessions[i]);
        fds[i].events = POLLIN;
        if (t >= 0 && (timeout_ms < 0 || t < timeout_ms))
            timeout_ms = t;
    }
    ready = poll(fds, (nfds_t)n, timeout_ms);
    if (ready < 0 && errno != EINTR) {
        free(fds);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((ready > 0 && (fds[i].revents & POLLIN)) || zk_session_timeout(sessions[i]) == 0) {
            zk_session_dispatch(sessions[i]);
            dispatched++;
        }
    }
    free(fds);
    return dispatched;
}

/* ---- users ----------------------------------------------------------------------- */

int zk_user_new(zk_session *s, zk_event_fn on_event, void *owner, zk_user **out, sched_error *err)
{
    zk_user *u = calloc(1, sizeof *u), **tail = &s->users;
    *out = NULL;
    if (!u)
        return sched_error_set(err, HDRF_ENOMEM, "ZooKeeper: out of memory");
    u->s = s;
    u->id = ++s->next_user_id;
    u->on_event = on_event;
    u->owner = owner;
    while (*tail)
        tail = &(*tail)->next;
    *tail = u;
    *out = u;
    return HDRF_OK;
}

void zk_user_free(zk_user *u)
{
    zk_user **p;
    if (!u)
        return;
    for (p = &u->s->users; *p && *p != u; p = &(*p)->next)
        ;
    if (*p)
        *p = u->next;
    free(u);
}

void zk_user_cancel(zk_user *u) { u->epoch++; }

zk_session *zk_user_session(const zk_user *u) { return u->s; }

/* ---- requests -------------------------------------------------------------------- */

static zk_rec *request(zk_user *u, zk_done_fn done, void *arg)
{
    zk_rec *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->s = u->s;
    r->kind = REC_RESULT;
    r->user_id = u->id;
    r->user_epoch = u->epoch;
    r->done = done;
    r->arg = arg;
    return r;
}

/* A request the client refused at once is answered through the queue
 * too, so callers handle every outcome in one place. */
static int submitted(zk_rec *r, int rc)
{
    if (rc != ZOK) {
        r->rc = rc;
        push(r->s, r);
    } else {
        pthread_mutex_lock(&r->s->lock);
        r->s->in_flight++;
        pthread_mutex_unlock(&r->s->lock);
    }
    return HDRF_OK;
}

int zk_get(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    return submitted(r, !u->s->zh ? ZINVALIDSTATE : zoo_aget(u->s->zh, path, watch, on_data, r));
}

int zk_exists(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    return submitted(r, !u->s->zh ? ZINVALIDSTATE : zoo_aexists(u->s->zh, path, watch, on_stat, r));
}

int zk_children(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    return submitted(r, !u->s->zh ? ZINVALIDSTATE
                                  : zoo_aget_children(u->s->zh, path, watch, on_strings, r));
}

static int create(zk_user *u, const char *path, const char *data, int len, int flags,
                  bool exists_ok, zk_done_fn done, void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    r->exists_ok = exists_ok;
    return submitted(r, !u->s->zh ? ZINVALIDSTATE
                                  : zoo_acreate(u->s->zh, path, data, data ? len : -1,
                                                &ZOO_OPEN_ACL_UNSAFE, flags, on_string, r));
}

int zk_create(zk_user *u, const char *path, const char *data, int len, int flags, zk_done_fn done,
              void *arg)
{
    return create(u, path, data, len, flags, false, done, arg);
}

int zk_set(zk_user *u, const char *path, const char *data, int len, int version, zk_done_fn done,
           void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    return submitted(r, !u->s->zh
                            ? ZINVALIDSTATE
                            : zoo_aset(u->s->zh, path, data, data ? len : -1, version, on_stat, r));
}

int zk_delete(zk_user *u, const char *path, int version, zk_done_fn done, void *arg)
{
    zk_rec *r = request(u, done, arg);
    if (!r)
        return HDRF_ENOMEM;
    return submitted(r,
                     !u->s->zh ? ZINVALIDSTATE : zoo_adelete(u->s->zh, path, version, on_void, r));
}

int zk_create_path(zk_user *u, const char *path, zk_done_fn done, void *arg)
{
    char *copy = strdup(path);
    int status = HDRF_OK;
    if (!copy)
        return HDRF_ENOMEM;
    /* Each ancestor in turn, root first; only the last one reports. */
    for (char *p = strchr(copy + 1, '/'); p && status == HDRF_OK; p = strchr(p + 1, '/')) {
        *p = '\0';
        status = create(u, copy, NULL, -1, ZOO_PERSISTENT, true, NULL, NULL);
        *p = '/';
    }
    if (status == HDRF_OK)
        status = create(u, copy, NULL, -1, ZOO_PERSISTENT, true, done, arg);
    free(copy);
    return status;
}

int zk_status(int rc, const char *what, sched_error *err)
{
    int status;
    switch (rc) {
    case ZOK:
        return HDRF_OK;
    case ZNONODE:
        status = HDRF_ENOTFOUND;
        break;
    case ZBADVERSION:
    case ZNODEEXISTS:
    case ZNOTEMPTY:
        status = ZK_ECONFLICT;
        break;
    case ZCONNECTIONLOSS:
    case ZOPERATIONTIMEOUT:
    case ZSESSIONEXPIRED:
    case ZSESSIONMOVED:
    case ZCLOSING:
    case ZINVALIDSTATE:
        status = ZK_EUNAVAILABLE;
        break;
    default:
        status = ZK_EFAILED;
    }
    return sched_error_set(err, status, "%s: %s", what, zerror(rc));
}
