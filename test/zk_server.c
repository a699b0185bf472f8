/* zk_server.c: a real ZooKeeper server for the tests (see zk_server.h). */
#include "test/zk_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#define ZK_JAR "/usr/share/java/zookeeper.jar"
#define ZK_MAIN "org.apache.zookeeper.server.ZooKeeperServerMain"
#define START_SECONDS 60 /* a cold JVM on a loaded 2-core machine */

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int zk_server_free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Sends a four-letter word and reads the whole answer into buf. */
static int four_letters(int port, const char *word, char *buf, size_t size)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {1, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t got = 0;
    ssize_t n;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        write(fd, word, strlen(word)) != (ssize_t)strlen(word)) {
        close(fd);
        return -1;
    }
    while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
    return 0;
}

static int write_config(const zk_server *z)
{
    char path[PATH_MAX + 16];
    FILE *f;
    snprintf(path, sizeof path, "%s/zoo.cfg", z->dir);
    if (!(f = fopen(path, "w")))
        return -1;
    /* forceSync=no: the tests kill servers, they do not crash machines;
     * what was acknowledged is in the page cache and survives a kill. */
    fprintf(f,
            "tickTime=100\n"
            "minSessionTimeout=200\n"
            "maxSessionTimeout=10000\n"
            "dataDir=%s/data\n"
            "clientPort=%d\n"
            "clientPortAddress=127.0.0.1\n"
            "admin.enableServer=false\n"
            "4lw.commands.whitelist=srvr,ruok\n"
            "forceSync=no\n",
            z->dir, z->port);
    return fclose(f) == 0 ? 0 : -1;
}

static void exec_server(const zk_server *z)
{
    char cfg[PATH_MAX + 16], log[PATH_MAX + 16];
    int fd;
    snprintf(cfg, sizeof cfg, "%s/zoo.cfg", z->dir);
    snprintf(log, sizeof log, "%s/server.log", z->dir);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
    if ((fd = open("/dev/null", O_RDONLY)) >= 0)
        dup2(fd, 0);
    /* The server must not hold the test's client sockets open. */
    for (int i = 3; i < 1024; i++)
        close(i);
    execlp("java", "java", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
           "-Djava.net.preferIPv4Stack=true", "-cp", ZK_JAR, ZK_MAIN, cfg, (char *)NULL);
    fprintf(stderr, "zk_server: cannot run java: %s\n", strerror(errno));
    _exit(127);
}

int zk_server_resume(zk_server *z)
{
    char answer[1024];
    double deadline = now_s() + START_SECONDS;
    int wstatus;
    fflush(NULL);
    if ((z->pid = fork()) < 0) {
        z->pid = 0;
        fprintf(stderr, "zk_server: fork: %s\n", strerror(errno));
        return -1;
    }
    if (z->pid == 0)
        exec_server(z);
    while (now_s() < deadline) {
        if (waitpid(z->pid, &wstatus, WNOHANG) == z->pid) {
            fprintf(stderr, "zk_server: the server exited at start; see %s/server.log\n", z->dir);
            z->pid = 0;
            return -1;
        }
        if (four_letters(z->port, "srvr", answer, sizeof answer) == 0 &&
            strstr(answer, "Mode: standalone"))
            return 0;
        sleep_ms(50);
    }
    fprintf(stderr, "zk_server: no answer on port %d after %d s; see %s/server.log\n", z->port,
            START_SECONDS, z->dir);
    zk_server_stop(z, true);
    return -1;
}

int zk_server_start(zk_server *z)
{
    const char *tmp = getenv("TMPDIR");
    memset(z, 0, sizeof *z);
    snprintf(z->dir, sizeof z->dir, "%s/hdrf-zk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(z->dir)) {
        fprintf(stderr, "zk_server: mkdtemp %s: %s\n", z->dir, strerror(errno));
        z->dir[0] = '\0';
        return -1;
    }
    if ((z->port = zk_server_free_port()) < 0 || write_config(z) != 0) {
        fprintf(stderr, "zk_server: cannot prepare %s: %s\n", z->dir, strerror(errno));
        return -1;
    }
    snprintf(z->servers, sizeof z->servers, "127.0.0.1:%d", z->port);
    return zk_server_resume(z);
}

void zk_server_stop(zk_server *z, bool crash)
{
    double deadline = now_s() + 10;
    if (!z->pid)
        return;
    kill(z->pid, crash ? SIGKILL : SIGTERM);
    while (waitpid(z->pid, NULL, WNOHANG) == 0) {
        if (now_s() > deadline) {
            kill(z->pid, SIGKILL);
            waitpid(z->pid, NULL, 0);
            break;
        }
        sleep_ms(20);
    }
    z->pid = 0;
}

/* rm -rf, for a tree the tests made: no symbolic links to follow. */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char child[PATH_MAX];
    if (!d) {
        unlink(path);
        return;
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child)
            remove_tree(child);
    }
    closedir(d);
    rmdir(path);
}

void zk_server_destroy(zk_server *z)
{
    zk_server_stop(z, false);
    if (z->dir[0])
        remove_tree(z->dir);
    z->dir[0] = '\0';
}

static FILE *client_log; /* the one client library's log: one per process */

int zk_server_start_quiet(zk_server *z)
{
    char path[PATH_MAX + 16];
    if (zk_server_start(z) != 0) {
        zk_server_destroy(z);
        return -1;
    }
    snprintf(path, sizeof path, "%s/client.log", z->dir);
    if ((client_log = fopen(path, "w")))
        zoo_set_log_stream(client_log);
    return 0;
}

void zk_server_destroy_quiet(zk_server *z)
{
    zoo_set_log_stream(NULL);
    if (client_log)
        fclose(client_log);
    client_log = NULL;
    zk_server_destroy(z);
}
