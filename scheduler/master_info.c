/* master_info.c: finding the leading master (see master_info.h).
 *
 * All inputs come down to the same piece, a `host:port` authority, read by
 * host_port(); it returns why a piece is refused (a static phrase) and each
 * caller puts that phrase into a message naming its own input. The MasterInfo
 * JSON is read with the generic protobuf JSON converter into the generated
 * mesos.v1.MasterInfo, so its field names and types are Mesos's by
 * construction. */
#include "scheduler/master_info.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mesos/v1/mesos.pb-c.h"
#include "scheduler/pbjson.h"

#define API_PATH "/api/v1/scheduler"
#define ACCEPTED_SPECS "host:port or zk://host:port[,host:port...]/path"

/* Copies len bytes and a NUL into dst; false when they do not fit. */
static bool copy_to(char *dst, size_t size, const char *src, size_t len)
{
    if (len >= size)
        return false;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return true;
}

/* Why `host` (len bytes, without brackets) is not an IP address or a valid
 * host name, or NULL. Whatever is accepted here becomes the authority of a
 * URL the scheduler calls, so nothing else may pass: no '/', '?', '@', space
 * or control character can smuggle a path, a query or another host in. */
static const char *host_problem(const char *host, size_t len)
{
    char text[256];
    unsigned char bin[16];
    bool digits_and_dots = true;
    if (len == 0)
        return "no host before the port";
    if (!copy_to(text, sizeof text, host, len))
        return "the host name is too long";
    if (memchr(host, ':', len))
        return inet_pton(AF_INET6, text, bin) == 1 ? NULL : "not an IPv6 address";
    for (size_t i = 0; i < len; i++)
        digits_and_dots = digits_and_dots && (isdigit((unsigned char)host[i]) || host[i] == '.');
    if (digits_and_dots)
        return inet_pton(AF_INET, text, bin) == 1 ? NULL : "not an IPv4 address";
    /* RFC 1123 names (and '_', which some resolvers allow): labels of 1 to
     * 63 letters, digits, '-' and '_', neither first nor last a '-'. */
    if (len > 253)
        return "the host name is too long";
    for (size_t start = 0, end; start <= len; start = end + 1) {
        const char *dot = memchr(host + start, '.', len - start);
        end = dot ? (size_t)(dot - host) : len;
        if (end == start || end - start > 63)
            return "the host name needs labels of 1 to 63 characters between its dots";
        if (host[start] == '-' || host[end - 1] == '-')
            return "a label of the host name must not begin or end with '-'";
        for (size_t i = start; i < end; i++)
            if (!isalnum((unsigned char)host[i]) && host[i] != '-' && host[i] != '_')
                return "the host may hold only letters, digits, '-', '.' and '_' (or an IPv6 "
                       "address in brackets)";
    }
    return NULL;
}

/* Reads a port of 1 to 65535 from s[0..len). */
static const char *port_number(const char *s, size_t len, uint16_t *port)
{
    unsigned long v = 0;
    if (len == 0)
        return "no port after ':'";
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]) || len > 5)
            return "the port must be a number from 1 to 65535";
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return "the port must be a number from 1 to 65535";
    *port = (uint16_t)v;
    return NULL;
}

/* Reads `host:port` (host a name, an IPv4 address, or an IPv6 address in
 * brackets) from s[0..len). Returns NULL, or why it is refused. */
static const char *host_port(const char *s, size_t len, master_addr *addr)
{
    const char *host = s, *colon, *why;
    size_t host_len;
    if (len == 0)
        return "empty";
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return "an IPv6 address needs its closing ']'";
        host = s + 1;
        host_len = (size_t)(close - host);
        colon = close + 1;
        if (colon == s + len || *colon != ':')
            return "no port after the IPv6 address";
        if (host_len && !memchr(host, ':', host_len))
            return "not an IPv6 address";
    } else {
        if (!(colon = memchr(s, ':', len)))
            return "no port";
        if (memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)))
            return "more than one ':' (an IPv6 address goes in brackets: [::1]:5050)";
        host_len = (size_t)(colon - s);
    }
    if ((why = host_problem(host, host_len)))
        return why;
    if (!copy_to(addr->host, sizeof addr->host, host, host_len))
        return "the host name is too long";
    return port_number(colon + 1, len - (size_t)(colon + 1 - s), &addr->port);
}

/* Why `path` (len bytes) is not a URL path to call, or NULL: it starts with
 * '/' and holds only RFC 3986 path characters (no query, no fragment, no
 * space or control character). */
static const char *url_path_problem(const char *path, size_t len)
{
    static const char allowed[] = "-._~!$&'()*+,;=:@/%";
    if (len == 0 || path[0] != '/')
        return "the path must start with '/'";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c >= 0x80 || !(isalnum(c) || (c && strchr(allowed, c))))
            return "the path may hold only letters, digits and -._~!$&'()*+,;=:@/% (no "
                   "query, fragment, space or control character)";
    }
    return NULL;
}

/* ---- the --master flag ---------------------------------------------------------- */

/* ZooKeeper's path rules: absolute, no empty, "." or ".." component, no
 * trailing '/', no control characters. */
static const char *zk_path_problem(const char *path)
{
    const char *p = path;
    if (*p != '/')
        return "the path must start with '/'";
    if (strcmp(path, "/") == 0)
        return NULL;
    while (*p == '/') {
        const char *start = ++p;
        while (*p && *p != '/') {
            if (iscntrl((unsigned char)*p) || *p == ' ')
                return "the path must not contain spaces or control characters";
            p++;
        }
        if (p == start)
            return "the path must not contain an empty component or end with '/'";
        if ((p - start == 1 && start[0] == '.') ||
            (p - start == 2 && start[0] == '.' && start[1] == '.'))
            return "the path must not contain '.' or '..' components";
    }
    return NULL;
}

static int parse_zk(const char *spec, master_spec *out, sched_error *err)
{
    const char *rest = spec + 5, *slash = strchr(rest, '/'), *at, *servers, *s;
    const char *why = NULL;
    master_addr scratch;
    if (!slash)
        return sched_error_set(err, HDRF_EINVAL,
                               "master '%s': no path after the servers; expected " ACCEPTED_SPECS,
                               spec);
    at = memchr(rest, '@', (size_t)(slash - rest));
    for (const char *a = at; a && (a = memchr(a + 1, '@', (size_t)(slash - a - 1)));)
        at = a; /* the last '@': a password may hold one */
    servers = at ? at + 1 : rest;
    if (at && (!memchr(rest, ':', (size_t)(at - rest)) ||
               !copy_to(out->zk_auth, sizeof out->zk_auth, rest, (size_t)(at - rest))))
        return sched_error_set(err, HDRF_EINVAL,
                               "master '%s': the credentials before '@' must be user:password "
                               "(at most %zu characters)",
                               spec, sizeof out->zk_auth - 1);
    for (s = servers; s <= slash && !why;) {
        const char *end = memchr(s, ',', (size_t)(slash - s));
        if (!end)
            end = slash;
        if ((why = host_port(s, (size_t)(end - s), &scratch)))
            return sched_error_set(err, HDRF_EINVAL,
                                   "master '%s': ZooKeeper server '%.*s': %s; expected host:port",
                                   spec, (int)(end - s), s, why);
        s = end + 1;
    }
    if (!copy_to(out->zk_servers, sizeof out->zk_servers, servers, (size_t)(slash - servers)) ||
        !copy_to(out->zk_path, sizeof out->zk_path, slash, strlen(slash)))
        return sched_error_set(err, HDRF_EINVAL, "master '%s': too long", spec);
    if ((why = zk_path_problem(out->zk_path)))
        return sched_error_set(err, HDRF_EINVAL, "master '%s': ZooKeeper path '%s': %s", spec,
                               out->zk_path, why);
    out->kind = MASTER_SPEC_ZK;
    return HDRF_OK;
}

int master_info_parse_spec(const char *spec, master_spec *out, sched_error *err)
{
    const char *why;
    memset(out, 0, sizeof *out);
    if (strncmp(spec, "zk://", 5) == 0)
        return parse_zk(spec, out, err);
    if (strstr(spec, "://"))
        return sched_error_set(err, HDRF_EINVAL,
                               "master '%s': unsupported scheme; expected " ACCEPTED_SPECS, spec);
    if ((why = host_port(spec, strlen(spec), &out->addr)))
        return sched_error_set(err, HDRF_EINVAL, "master '%s': %s; expected " ACCEPTED_SPECS, spec,
                               why);
    strcpy(out->addr.path, "/master" API_PATH);
    out->kind = MASTER_SPEC_HOST;
    return HDRF_OK;
}

/* ---- ZooKeeper children ------------------------------------------------------------ */

/* The sequence number of a master's node name, or false for other names. */
static bool master_sequence(const char *name, unsigned long long *seq)
{
    static const char prefix[] = "json.info_";
    const char *p = name + sizeof prefix - 1;
    unsigned long long v = 0;
    if (strncmp(name, prefix, sizeof prefix - 1) != 0 || !*p || strlen(p) > 19)
        return false;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return false;
        v = v * 10 + (unsigned long long)(*p - '0');
    }
    *seq = v;
    return true;
}

int master_info_leader(const char *const *children, size_t n, size_t *index, sched_error *err)
{
    unsigned long long best = 0, seq;
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        if (master_sequence(children[i], &seq) && (!found || seq < best)) {
            best = seq;
            *index = i;
            found = true;
        }
    }
    return found ? HDRF_OK
                 : sched_error_set(err, HDRF_ENOTFOUND,
                                   "no master: none of the %zu nodes is a json.info_<sequence> "
                                   "node",
                                   n);
}

/* ---- MasterInfo ---------------------------------------------------------------------- */

/* The address of a pid "name@host:port", the API under "/name". */
static const char *addr_of_pid(const char *pid, master_addr *addr)
{
    const char *at = strchr(pid, '@');
    const char *why;
    if (!at || at == pid)
        return "expected name@host:port";
    for (const char *c = pid; c < at; c++)
        if (!isalnum((unsigned char)*c) && !strchr("-_.()", *c))
            return "the process name may hold only letters, digits and -_.()";
    if ((why = host_port(at + 1, strlen(at + 1), addr)))
        return why;
    if ((size_t)(at - pid) + sizeof API_PATH + 1 > sizeof addr->path)
        return "the name is too long";
    snprintf(addr->path, sizeof addr->path, "/%.*s" API_PATH, (int)(at - pid), pid);
    return NULL;
}

/* Without a pid: `address`, else the legacy ip (network byte order, first
 * octet lowest) and port. */
static int addr_of_fields(const Mesos__V1__MasterInfo *mi, master_addr *addr, sched_error *err)
{
    const Mesos__V1__Address *a = mi->address;
    const char *host = a ? (a->ip ? a->ip : a->hostname) : NULL;
    long port = a && host ? (long)a->port : (long)mi->port;
    if (port < 1 || port > 65535)
        return sched_error_set(err, HDRF_EINVAL, "master info: port %ld: must be from 1 to 65535",
                               port);
    const char *why = host ? host_problem(host, strlen(host)) : NULL;
    if (why)
        return sched_error_set(err, HDRF_EINVAL, "master info: address '%.200s': %s", host, why);
    if (host && !copy_to(addr->host, sizeof addr->host, host, strlen(host)))
        return sched_error_set(err, HDRF_EINVAL, "master info: host too long");
    if (!host)
        snprintf(addr->host, sizeof addr->host, "%u.%u.%u.%u", mi->ip & 0xff, mi->ip >> 8 & 0xff,
                 mi->ip >> 16 & 0xff, mi->ip >> 24);
    addr->port = (uint16_t)port;
    strcpy(addr->path, "/master" API_PATH);
    return HDRF_OK;
}

/* Fills `out` from a decoded MasterInfo. */
static int from_master_info(const Mesos__V1__MasterInfo *mi, master_info *out, sched_error *err)
{
    const char *hostname = mi->hostname                           ? mi->hostname
                           : mi->address && mi->address->hostname ? mi->address->hostname
                                                                  : "";
    const char *why;
    if (!copy_to(out->id, sizeof out->id, mi->id, strlen(mi->id)) ||
        !copy_to(out->hostname, sizeof out->hostname, hostname, strlen(hostname)) ||
        !copy_to(out->version, sizeof out->version, mi->version ? mi->version : "",
                 mi->version ? strlen(mi->version) : 0))
        return sched_error_set(err, HDRF_EINVAL, "master info: id, hostname or version too long");
    if (!mi->pid)
        return addr_of_fields(mi, &out->addr, err);
    if ((why = addr_of_pid(mi->pid, &out->addr)))
        return sched_error_set(err, HDRF_EINVAL, "master info: pid '%s': %s", mi->pid, why);
    return HDRF_OK;
}

int master_info_parse(const char *json, size_t len, master_info *out, sched_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    ProtobufCMessage *msg = NULL;
    int status;
    memset(out, 0, sizeof *out);
    if (!doc)
        return sched_error_set(err, HDRF_EINVAL, "master info: not JSON: line %d, column %d: %s",
                               jerr.line, jerr.column, jerr.text);
    status = pbjson_decode(&mesos__v1__master_info__descriptor, doc, &msg, err);
    json_decref(doc);
    if (status != HDRF_OK)
        return sched_error_wrap(err, status, "master info");
    status = from_master_info((const Mesos__V1__MasterInfo *)msg, out, err);
    protobuf_c_message_free_unpacked(msg, NULL);
    return status;
}

/* ---- redirects -------------------------------------------------------------------------- */

int master_info_parse_location(const char *value, size_t len, master_addr *out, sched_error *err)
{
    static const char *const prefixes[] = {"//", "http://", "https://"};
    const char *rest = NULL, *slash, *why;
    size_t rest_len = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < 3 && !rest; i++) {
        size_t n = strlen(prefixes[i]);
        if (len >= n && strncmp(value, prefixes[i], n) == 0) {
            rest = value + n;
            rest_len = len - n;
        }
    }
    if (!rest)
        return sched_error_set(err, HDRF_EINVAL,
                               "redirect to '%.*s': expected //host:port/path or "
                               "http://host:port/path",
                               (int)(len > 200 ? 200 : len), value);
    slash = memchr(rest, '/', rest_len);
    if (!slash)
        slash = rest + rest_len;
    if ((why = host_port(rest, (size_t)(slash - rest), out)))
        return sched_error_set(err, HDRF_EINVAL, "redirect to '%.*s': %s",
                               (int)(len > 200 ? 200 : len), value, why);
    if (slash == rest + rest_len)
        strcpy(out->path, "/");
    else if ((why = url_path_problem(slash, rest_len - (size_t)(slash - rest))))
        return sched_error_set(err, HDRF_EINVAL, "redirect to '%.*s': %s",
                               (int)(len > 200 ? 200 : len), value, why);
    else if (!copy_to(out->path, sizeof out->path, slash, rest_len - (size_t)(slash - rest)))
        return sched_error_set(err, HDRF_EINVAL, "redirect: path too long");
    return HDRF_OK;
}

int master_info_url(const master_addr *addr, char *buf, size_t size)
{
    bool v6 = strchr(addr->host, ':') != NULL;
    int n = snprintf(buf, size, "http://%s%s%s:%u%s", v6 ? "[" : "", addr->host, v6 ? "]" : "",
                     (unsigned)addr->port, addr->path);
    return n >= 0 && (size_t)n < size ? HDRF_OK : HDRF_EINVAL;
}
