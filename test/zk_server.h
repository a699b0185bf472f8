/* zk_server.h: a real ZooKeeper server for the integration tests.
 *
 * Runs Debian's `zookeeper` package (Java, /usr/share/java/zookeeper.jar) as
 * a standalone server on 127.0.0.1 and a free port, with its configuration,
 * data and log in a fresh temporary directory, and waits until it answers
 * the `srvr` four-letter word with its mode (`ruok` answers `imok` before
 * the server is ready to serve). Short ticks (100 ms) allow session
 * timeouts from 200 ms, so tests of expiry and failover take a second, not
 * minutes.
 *
 * The server is a child of the test process and dies with it (it is started
 * with the parent-death signal set), so a crashing test leaves no server
 * running; zk_server_destroy() also removes the directory.
 *
 * Ownership: the caller owns the struct; the functions fill and use it.
 * Failures are printed to stderr with the server's log file named.
 */
#ifndef HDRF_TEST_ZK_SERVER_H
#define HDRF_TEST_ZK_SERVER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct zk_server {
    pid_t pid; /* 0 while stopped */
    int port;
    char dir[PATH_MAX]; /* zoo.cfg, data/, server.log, client.log */
    char servers[64];   /* "127.0.0.1:<port>", for zk_session_new() */
} zk_server;

/* A new directory and port, then zk_server_resume(). 0, or -1. */
int zk_server_start(zk_server *z);

/* Starts the server again on the same port and data, and waits until it
 * serves. 0, or -1 (the server is then stopped). */
int zk_server_resume(zk_server *z);

/* Stops the server: `crash` kills it (SIGKILL), else SIGTERM. Data stays. */
void zk_server_stop(zk_server *z, bool crash);

/* Stops the server and removes its directory. */
void zk_server_destroy(zk_server *z);

/* For a suite's setup and teardown: zk_server_start(), then the client
 * library's log (it logs every connection attempt, and tests provoke many
 * on purpose) sent to client.log next to the server's; and the reverse.
 * 0, or -1 (the server is then destroyed). */
int zk_server_start_quiet(zk_server *z);

/* A port the kernel considers free on loopback right now (for any server
 * a test starts). */
int zk_server_free_port(void);
void zk_server_destroy_quiet(zk_server *z);

#endif
