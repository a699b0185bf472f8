/* zk_session.h: one ZooKeeper session, shared by the master detector, the
 * leader election and the state store.
 *
 * Threads. The scheduler is single-threaded; the ZooKeeper C client comes
 * from Debian in two flavours whose -dev packages conflict (one header set):
 * libzookeeper-mt, with an I/O thread and a completion thread, and
 * libzookeeper-st, driven by the caller through zookeeper_interest() and
 * zookeeper_process(). We use the mt flavour and marshal everything it
 * reports onto the caller's thread:
 *  - the client's I/O thread keeps the session alive (pings, reconnection)
 *    whatever the scheduler's loop is doing, so a long placement round or a
 *    slow HTTP exchange cannot let the session expire and cost leadership;
 *  - completions and watches, which the library runs on its own thread, only
 *    copy what they carry into a queue and wake the caller through a pipe;
 *    zk_session_dispatch(), called from the caller's poll loop when
 *    zk_session_fd() is readable, runs every callback on the caller's
 *    thread. Nothing above this file takes a lock or sees a second thread.
 *
 * Users. Each module that uses the session registers a zk_user: its event
 * callback and the owner of its requests. Events (connected, disconnected,
 * expired, a watch fired) go to every user; a request's result goes to the
 * user that made it, unless that user was freed or cancelled its requests
 * meanwhile: then the result is dropped, so a user never hears of requests
 * it has given up on.
 *
 * Watches are ZooKeeper's boolean watches on the session's one watcher: a
 * fired watch reaches every user as a ZK_EVENT_NODE with the node's path, and
 * each user keeps what concerns it. No per-watch context exists, so nothing
 * leaks when a watch never fires.
 *
 * Expiry. ZooKeeper ends a session that has not been heard from within the
 * negotiated timeout; the client learns it only when it reaches a server
 * again. As Mesos's group does (src/zookeeper/group.cpp, "timedout"), the
 * session also decides expiry locally when it has been disconnected for the
 * whole negotiated timeout, since the ensemble has then dropped it or soon
 * will. Either way every user hears ZK_EVENT_EXPIRED (its ephemeral nodes
 * and watches are gone) and the session replaces the client handle with a
 * new session at once, announced by ZK_EVENT_CONNECTED with new_session set.
 * The local deadline is why the caller's poll must also honour
 * zk_session_timeout().
 *
 * Ownership: the caller owns the session and each zk_user; users must be
 * freed before their session. Strings and buffers passed in are copied or
 * used only during the call. What a callback receives is valid only during
 * that callback.
 */
#ifndef HDRF_SCHED_ZK_SESSION_H
#define HDRF_SCHED_ZK_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zookeeper/zookeeper.h>

#include "lib/sched_error.h"

/* Status codes of the ZooKeeper modules, beside hdrf/status.h's. */
enum {
    ZK_ECONFLICT = -110,    /* a versioned write lost: the node changed, exists or is gone */
    ZK_EUNAVAILABLE = -111, /* no connection, or the session ended, before an answer */
    ZK_EFAILED = -112       /* any other ZooKeeper error; the message names it */
};

typedef struct zk_session zk_session;
typedef struct zk_user zk_user;

typedef enum zk_event_kind {
    ZK_EVENT_CONNECTED,    /* connected; see new_session */
    ZK_EVENT_DISCONNECTED, /* the connection is lost; the session, its ephemeral nodes
                              and watches live on if it is back within the timeout */
    ZK_EVENT_EXPIRED,      /* the session is over: its ephemeral nodes and watches are
                              gone; a new session is being established */
    ZK_EVENT_AUTH_FAILED,  /* the servers refused the credentials; the session is unusable
                              and is not re-established */
    ZK_EVENT_NODE          /* a watch fired on `path` */
} zk_event_kind;

typedef struct zk_event {
    zk_event_kind kind;
    bool new_session; /* CONNECTED: a session other than the last connected one */
    int node_event;   /* NODE: ZOO_CREATED_EVENT, ZOO_DELETED_EVENT, ZOO_CHANGED_EVENT
                         or ZOO_CHILD_EVENT */
    const char *path; /* NODE: the watched node; valid during the callback only */
} zk_event;

/* What a request returns. Every pointer is valid during the callback only. */
typedef struct zk_result {
    int rc;                   /* ZOK or a ZooKeeper code (ZNONODE, ZBADVERSION, ...) */
    const struct Stat *stat;  /* get, exists, set: the node's stat; else NULL */
    const char *data;         /* get: the node's data (not NUL-terminated), else NULL */
    int len;                  /* get: its length */
    const char *const *names; /* children: the children's names */
    size_t n_names;
    const char *path; /* create: the created node's path (with its sequence number) */
} zk_result;

/* A user's event callback and a request's result callback. `owner` is the
 * pointer given to zk_user_new(); `arg` the one given to the request. */
typedef void (*zk_event_fn)(void *owner, const zk_event *ev);
typedef void (*zk_done_fn)(void *owner, void *arg, const zk_result *r);

/* ---- the session ---------------------------------------------------------------- */

/* Starts a session with `servers` ("host:port[,host:port...]", as
 * master_spec.zk_servers) and a requested timeout in milliseconds (the
 * servers bound it to [2, 20] ticks); `auth` is "user:password" for digest
 * authentication, or NULL/"" for none. Connecting goes on in the
 * background: users hear ZK_EVENT_CONNECTED. */
int zk_session_new(const char *servers, int timeout_ms, const char *auth, zk_session **out,
                   sched_error *err);

/* Closes the session (its ephemeral nodes go at once) and frees it. Every
 * zk_user must have been freed before. May block while the client flushes
 * what it has to send, and, while connected, up to 2 s until the requests
 * it accepted are answered (answers then dropped): the client would leak
 * the ones it has not answered when it closes. */
void zk_session_free(zk_session *s);

/* The file descriptor to poll for reading: readable when
 * zk_session_dispatch() has callbacks to run. Constant for the session. */
int zk_session_fd(const zk_session *s);

/* Milliseconds until zk_session_dispatch() must run even if the fd is not
 * readable (the local expiry deadline while disconnected), or -1. */
int zk_session_timeout(const zk_session *s);

/* Runs, on the caller's thread, every callback due: events, then results,
 * in the order ZooKeeper produced them. Callbacks may issue requests and
 * free users (not the session). */
void zk_session_dispatch(zk_session *s);

/* Polls the sessions' fds for at most `timeout_ms` (-1: no limit; shortened
 * by each zk_session_timeout()) and dispatches those with work: a loop for
 * programs and tests that have nothing else to poll. Returns how many
 * sessions dispatched, or -1 when poll() failed. */
int zk_session_poll(zk_session *const *sessions, size_t n, int timeout_ms);

bool zk_session_connected(const zk_session *s);

/* The current session's id (0 before the first connection): it changes
 * when a session expires and a new one is made. */
int64_t zk_session_id(const zk_session *s);

/* The client id (session id and password) of the current session, for
 * tests that make the ensemble expire it; NULL before a connection. */
const clientid_t *zk_session_client_id(const zk_session *s);

/* The negotiated session timeout in milliseconds (the requested one before
 * the first connection). */
int zk_session_negotiated_timeout(const zk_session *s);

/* ---- users ---------------------------------------------------------------------- */

/* Registers a user of `s`. `on_event` (may be NULL) hears every event; the
 * results of the user's requests go to their own callbacks. */
int zk_user_new(zk_session *s, zk_event_fn on_event, void *owner, zk_user **out, sched_error *err);

/* Unregisters and frees the user: results of its requests still in flight
 * are dropped. Safe inside any callback. NULL is ignored. */
void zk_user_free(zk_user *u);

/* Drops the results of every request the user has in flight, e.g. when a
 * session expired and the user starts over. */
void zk_user_cancel(zk_user *u);

zk_session *zk_user_session(const zk_user *u);

/* ---- requests ------------------------------------------------------------------- */

/* Each request is asynchronous: `done` runs from zk_session_dispatch() with
 * the result, exactly once unless the user is freed or cancels first. A
 * request the client refuses at once (no session, a bad path) is reported
 * the same way, with its code. These return HDRF_OK, or HDRF_ENOMEM when the
 * request could not even be recorded (then `done` never runs). `watch`
 * leaves a watch on the node (get, exists) or its children (children). */
int zk_get(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg);
int zk_exists(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg);
int zk_children(zk_user *u, const char *path, bool watch, zk_done_fn done, void *arg);

/* `flags`: ZOO_PERSISTENT, ZOO_EPHEMERAL, ZOO_SEQUENCE ... The node is open
 * to everyone (ZOO_OPEN_ACL_UNSAFE), as Mesos creates its own. */
int zk_create(zk_user *u, const char *path, const char *data, int len, int flags, zk_done_fn done,
              void *arg);

/* `version` -1 matches any version; else the write happens only at that
 * version (ZBADVERSION otherwise). */
int zk_set(zk_user *u, const char *path, const char *data, int len, int version, zk_done_fn done,
           void *arg);
int zk_delete(zk_user *u, const char *path, int version, zk_done_fn done, void *arg);

/* Creates every missing ancestor of `path` and `path` itself, as persistent
 * empty nodes; `done` (may be NULL) gets the result of the last one, with
 * ZNODEEXISTS read as success. Requests of a session are served in order,
 * so a request made after this one sees the nodes. */
int zk_create_path(zk_user *u, const char *path, zk_done_fn done, void *arg);

/* A scheduler status for a ZooKeeper code: HDRF_OK, HDRF_ENOTFOUND (ZNONODE),
 * ZK_ECONFLICT (ZBADVERSION, ZNODEEXISTS), ZK_EUNAVAILABLE (connection loss,
 * expiry, closing) or ZK_EFAILED; and a message naming `what` and the code. */
int zk_status(int rc, const char *what, sched_error *err);

#endif
