/* master_info.h: where the leading Mesos master is.
 *
 * The scheduler is told about masters in three ways, and this module reads
 * all three into one address (host, port, API path):
 *  - the `--master` flag: a plain `host:port`, or
 *    `zk://[user:password@]host:port[,host:port...]/path` naming the
 *    ZooKeeper ensemble and the node under which masters contend;
 *  - in ZooKeeper, each contending master owns an ephemeral sequential child
 *    `json.info_<10 digits>` of that node holding its MasterInfo as JSON; the
 *    lowest sequence number leads (Mesos's leader contender);
 *  - a master that does not lead answers `307 Temporary Redirect` with a
 *    scheme-relative `Location: //host:port/master/api/v1/scheduler`.
 * From a MasterInfo the address is taken as Mesos's own v1 scheduler library
 * takes it (src/scheduler/scheduler.cpp): the IP and port of the master's
 * libprocess `pid` ("master@10.0.0.1:5050"), the API under "/<id>/api/v1/
 * scheduler"; without a pid, `address` and then the legacy `ip`/`port`
 * fields. The advertised hostname is kept too, for messages.
 *
 * What is read becomes the URL the scheduler calls, so it is checked as such:
 * a host is an IPv4 or IPv6 address or a valid host name (RFC 1123 labels),
 * a port is 1 to 65535, a pid's process name and a redirect's path hold only
 * URL path characters (no query, fragment, space or control character).
 *
 * No I/O here: the ZooKeeper client and the HTTP client feed these parsers.
 * Every struct is caller-allocated with fixed-size strings; a value too long
 * for them is refused like any other bad input. Errors name the input and
 * say what is accepted.
 */
#ifndef HDRF_SCHED_MASTER_INFO_H
#define HDRF_SCHED_MASTER_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"

/* Where a master's scheduler API is. IPv6 hosts are kept without brackets. */
typedef struct master_addr {
    char host[256];
    uint16_t port;
    char path[256]; /* "/master/api/v1/scheduler" */
} master_addr;

/* A leading master as its ZooKeeper node describes it. */
typedef struct master_info {
    master_addr addr;   /* where to send calls */
    char id[128];       /* MasterInfo.id */
    char hostname[256]; /* advertised hostname, or "" */
    char version[64];   /* Mesos version, or "" */
} master_info;

typedef enum master_spec_kind {
    MASTER_SPEC_HOST, /* host:port */
    MASTER_SPEC_ZK    /* zk://... */
} master_spec_kind;

/* A parsed --master flag. */
typedef struct master_spec {
    master_spec_kind kind;
    master_addr addr;      /* HOST: the master, path "/master/api/v1/scheduler" */
    char zk_servers[1024]; /* ZK: "h1:2181,h2:2181", as zookeeper_init() takes it */
    char zk_path[512];     /* ZK: the contenders' parent node, e.g. "/mesos" */
    char zk_auth[256];     /* ZK: "user:password" for digest auth, or "" */
} master_spec;

/* Parses `--master`: `host:port` (host a name, IPv4, or [IPv6]) or
 * `zk://[user:password@]host:port[,host:port...]/path`. HDRF_EINVAL with a
 * message saying what is accepted. */
int master_info_parse_spec(const char *spec, master_spec *out, sched_error *err);

/* Picks the leading master's node among the `n` children of the master
 * path: the `json.info_<digits>` name with the lowest sequence number (other
 * names, e.g. Mesos's `log_replicas`, are ignored). Sets *index; returns
 * HDRF_OK, or HDRF_ENOTFOUND when no child is a master's. */
int master_info_leader(const char *const *children, size_t n, size_t *index, sched_error *err);

/* Reads the JSON content of a `json.info_*` node (Mesos's MasterInfo), `len`
 * bytes. HDRF_EINVAL when it is not a MasterInfo or gives no address. */
int master_info_parse(const char *json, size_t len, master_info *out, sched_error *err);

/* Reads a redirect's Location value (`len` bytes): `//host:port/path` as
 * Mesos sends it, or with an `http://` or `https://` scheme. */
int master_info_parse_location(const char *value, size_t len, master_addr *out, sched_error *err);

/* Writes "http://host:port/path" (IPv6 hosts bracketed) into buf. Returns
 * HDRF_OK, or HDRF_EINVAL when it does not fit in `size` bytes. */
int master_info_url(const master_addr *addr, char *buf, size_t size);

#endif
