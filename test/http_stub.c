/* http_stub.c: a loopback HTTP/1.1 server playing a Mesos master (see
 * http_stub.h).
 *
 * One thread polls the listening socket and every connection with a short
 * timeout; all shared state (reply queue, request log, connections) is
 * touched only under the stub's mutex, which the thread drops while it
 * sleeps in poll(). Sockets are non-blocking; a reply is prepared whole
 * (head, chunks, terminator) and written as the socket accepts it. */
#include "test/http_stub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 32

typedef struct owned_reply {
    char *head;
    uint8_t *body;
    size_t body_len, chunk;
    stub_end end;
} owned_reply;

enum { READING, WRITING, HELD };

typedef struct conn {
    int fd;
    int state;
    char *in;
    size_t in_len, in_cap;
    uint8_t *out;
    size_t out_len, out_sent;
    stub_end end;
} conn;

struct http_stub {
    int listen_fd;
    uint16_t port;
    pthread_t thread;
    pthread_mutex_t lock;
    bool stopping;
    bool close_held;
    owned_reply *queue;
    size_t queued, next;
    owned_reply call_reply;
    stub_request *log;
    size_t logged, subscribes;
    conn conns[MAX_CONNS];
    size_t n_conns;
};

/* Made up, not recorded: what a master that does not lead (yet) answers. */
static const char busy_head[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                "Content-Type: text/plain; charset=utf-8\r\n"
                                "Content-Length: 30\r\n\r\n";
static const char busy_body[] = "No master is currently leading";
static const char accepted_head[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";

/* ---- growing buffers -------------------------------------------------------------- */

static int append(void *bufp, size_t *len, size_t *cap, const void *data, size_t n)
{
    uint8_t **buf = bufp;
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 1024;
        uint8_t *grown;
        while (c < *len + n)
            c *= 2;
        if (!(grown = realloc(*buf, c)))
            return -1;
        *buf = grown;
        *cap = c;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    return 0;
}

static int copy_reply(owned_reply *dst, const stub_reply *src)
{
    memset(dst, 0, sizeof *dst);
    dst->head = strdup(src->head);
    dst->body = malloc(src->body_len ? src->body_len : 1);
    if (!dst->head || !dst->body) {
        free(dst->head);
        free(dst->body);
        return -1;
    }
    if (src->body_len)
        memcpy(dst->body, src->body, src->body_len);
    dst->body_len = src->body_len;
    dst->chunk = src->chunk;
    dst->end = src->end;
    return 0;
}

/* ---- requests ------------------------------------------------------------------------ */

/* The value of header `name` in the header block [head, end), or NULL. */
static const char *header(const char *head, const char *end, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *line = head; line < end;) {
        const char *eol = memchr(line, '\r', (size_t)(end - line));
        if (!eol)
            eol = end;
        if ((size_t)(eol - line) > n && line[n] == ':' && strncasecmp(line, name, n) == 0) {
            const char *v = line + n + 1;
            while (v < eol && *v == ' ')
                v++;
            *len = (size_t)(eol - v);
            return v;
        }
        line = eol + 2;
    }
    return NULL;
}

static void copy_field(char *dst, size_t size, const char *v, size_t len)
{
    if (len >= size)
        len = size - 1;
    memcpy(dst, v, len);
    dst[len] = '\0';
}

/* Parses one whole request at the start of c->in, if there is one.
 * Returns 1 and fills *r (body malloc'd), 0 when more bytes are needed,
 * -1 on garbage or no memory. Consumes the request from c->in. */
static int take_request(conn *c, stub_request *r)
{
    char *end = NULL, *sp1, *sp2;
    const char *v;
    size_t vlen, head_len, body_len = 0;
    for (size_t i = 0; i + 3 < c->in_len && !end; i++)
        if (memcmp(c->in + i, "\r\n\r\n", 4) == 0)
            end = c->in + i + 2;
    if (!end)
        return 0;
    head_len = (size_t)(end - c->in) + 2;
    if ((v = header(c->in, end, "Content-Length", &vlen)))
        body_len = strtoul(v, NULL, 10);
    if (c->in_len < head_len + body_len)
        return 0;
    memset(r, 0, sizeof *r);
    sp1 = memchr(c->in, ' ', head_len);
    sp2 = sp1 ? memchr(sp1 + 1, ' ', head_len - (size_t)(sp1 + 1 - c->in)) : NULL;
    if (!sp2)
        return -1;
    copy_field(r->method, sizeof r->method, c->in, (size_t)(sp1 - c->in));
    copy_field(r->path, sizeof r->path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    if ((v = header(c->in, end, "Content-Type", &vlen)))
        copy_field(r->content_type, sizeof r->content_type, v, vlen);
    if ((v = header(c->in, end, "Accept", &vlen)))
        copy_field(r->accept, sizeof r->accept, v, vlen);
    if ((v = header(c->in, end, "Mesos-Stream-Id", &vlen))) {
        copy_field(r->stream_id, sizeof r->stream_id, v, vlen);
        r->has_stream_id = true;
    }
    if (!(r->body = malloc(body_len ? body_len : 1)))
        return -1;
    memcpy(r->body, c->in + head_len, body_len);
    r->body_len = body_len;
    memmove(c->in, c->in + head_len + body_len, c->in_len - head_len - body_len);
    c->in_len -= head_len + body_len;
    return 1;
}

/* Lays out the whole reply in c->out. */
static int prepare(conn *c, const owned_reply *r)
{
    size_t cap = 0, pos = 0;
    char size_line[32];
    bool chunked = strstr(r->head, "Transfer-Encoding: chunked") != NULL;
    c->out_len = c->out_sent = 0;
    if (append(&c->out, &c->out_len, &cap, r->head, strlen(r->head)) != 0)
        return -1;
    while (pos < r->body_len) {
        size_t n = r->chunk && chunked ? r->chunk : r->body_len;
        if (n > r->body_len - pos)
            n = r->body_len - pos;
        if (chunked) {
            int k = snprintf(size_line, sizeof size_line, "%zx\r\n", n);
            if (append(&c->out, &c->out_len, &cap, size_line, (size_t)k) != 0)
                return -1;
        }
        if (append(&c->out, &c->out_len, &cap, r->body + pos, n) != 0 ||
            (chunked && append(&c->out, &c->out_len, &cap, "\r\n", 2) != 0))
            return -1;
        pos += n;
    }
    if (chunked && r->end == STUB_END && append(&c->out, &c->out_len, &cap, "0\r\n\r\n", 5) != 0)
        return -1;
    c->end = r->end;
    c->state = WRITING;
    return 0;
}

static void answer(http_stub *s, conn *c, stub_request *r)
{
    owned_reply busy = {(char *)busy_head, (uint8_t *)busy_body, sizeof busy_body - 1, 0, STUB_END};
    const owned_reply *reply = &s->call_reply;
    stub_request *grown = realloc(s->log, (s->logged + 1) * sizeof *s->log);
    if (grown) {
        s->log = grown;
        s->log[s->logged++] = *r;
    } else {
        free(r->body);
    }
    if (!r->has_stream_id) {
        s->subscribes++;
        reply = s->next < s->queued ? &s->queue[s->next++] : &busy;
    }
    if (prepare(c, reply) != 0)
        c->state = HELD; /* out of memory in a test: leave the client waiting */
}

/* ---- connections --------------------------------------------------------------------- */

static void close_conn(http_stub *s, size_t i)
{
    close(s->conns[i].fd);
    free(s->conns[i].in);
    free(s->conns[i].out);
    s->conns[i] = s->conns[--s->n_conns];
}

/* Reads what the peer sent; false when the connection is to be closed. */
static bool readable(http_stub *s, conn *c)
{
    char buf[4096];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    stub_request r;
    int got;
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return false;
    if (n < 0 || c->state == HELD)
        return true;
    if (append(&c->in, &c->in_len, &c->in_cap, buf, (size_t)n) != 0)
        return false;
    if (c->state == READING && (got = take_request(c, &r)) != 0) {
        if (got < 0)
            return false;
        answer(s, c, &r);
    }
    return true;
}

/* Writes what the socket takes; false when the connection is to be closed. */
static bool writable(http_stub *s, conn *c)
{
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
    stub_request r;
    int got;
    if (n < 0)
        return errno == EAGAIN || errno == EINTR;
    c->out_sent += (size_t)n;
    if (c->out_sent < c->out_len)
        return true;
    if (c->end == STUB_CUT)
        return false;
    if (c->end == STUB_HOLD) {
        c->state = HELD;
        return true;
    }
    c->state = READING; /* keep-alive: maybe a request is already waiting */
    if ((got = take_request(c, &r)) < 0)
        return false;
    if (got)
        answer(s, c, &r);
    return true;
}

static void accept_new(http_stub *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    if (s->n_conns == MAX_CONNS || fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        close(fd);
        return;
    }
    memset(&s->conns[s->n_conns], 0, sizeof s->conns[0]);
    s->conns[s->n_conns].fd = fd;
    s->conns[s->n_conns++].state = READING;
}

static void *serve(void *arg)
{
    http_stub *s = arg;
    struct pollfd fds[MAX_CONNS + 1];
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        size_t n = s->n_conns;
        fds[0] = (struct pollfd){s->listen_fd, POLLIN, 0};
        for (size_t i = 0; i < n; i++)
            fds[i + 1] = (struct pollfd){
                s->conns[i].fd, (short)(POLLIN | (s->conns[i].state == WRITING ? POLLOUT : 0)), 0};
        pthread_mutex_unlock(&s->lock);
        poll(fds, n + 1, 5);
        pthread_mutex_lock(&s->lock);
        /* Connections only change under the lock, in this thread: the
         * descriptors polled are still conns[0..n) in order. */
        for (size_t i = n; i-- > 0;) {
            conn *c = &s->conns[i];
            bool keep = true;
            if (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))
                keep = readable(s, c);
            if (keep && c->state == WRITING && (fds[i + 1].revents & POLLOUT))
                keep = writable(s, c);
            if (keep && s->close_held && c->state == HELD)
                keep = false;
            if (!keep)
                close_conn(s, i);
        }
        s->close_held = false;
        if (fds[0].revents & POLLIN)
            accept_new(s);
    }
    while (s->n_conns)
        close_conn(s, s->n_conns - 1);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---- the public verbs ------------------------------------------------------------------ */

http_stub *stub_start(void)
{
    http_stub *s = calloc(1, sizeof *s);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof addr;
    stub_reply accepted = {accepted_head, "", 0, 0, STUB_END};
    if (!s)
        return NULL;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listen_fd, 16) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) != 0 ||
        fcntl(s->listen_fd, F_SETFL, O_NONBLOCK) != 0 || copy_reply(&s->call_reply, &accepted) != 0)
        goto fail;
    s->port = ntohs(addr.sin_port);
    if (pthread_mutex_init(&s->lock, NULL) != 0)
        goto fail;
    if (pthread_create(&s->thread, NULL, serve, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        goto fail;
    }
    return s;
fail:
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s->call_reply.head);
    free(s->call_reply.body);
    free(s);
    return NULL;
}

void stub_stop(http_stub *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    close(s->listen_fd);
    for (size_t i = 0; i < s->queued; i++) {
        free(s->queue[i].head);
        free(s->queue[i].body);
    }
    free(s->queue);
    free(s->call_reply.head);
    free(s->call_reply.body);
    for (size_t i = 0; i < s->logged; i++)
        free(s->log[i].body);
    free(s->log);
    free(s);
}

uint16_t stub_port(const http_stub *s) { return s->port; }

int stub_push(http_stub *s, const stub_reply *r)
{
    int rc = -1;
    owned_reply *grown;
    pthread_mutex_lock(&s->lock);
    if ((grown = realloc(s->queue, (s->queued + 1) * sizeof *s->queue))) {
        s->queue = grown;
        if (copy_reply(&s->queue[s->queued], r) == 0) {
            s->queued++;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int stub_set_call_reply(http_stub *s, const stub_reply *r)
{
    owned_reply copy;
    if (copy_reply(&copy, r) != 0)
        return -1;
    pthread_mutex_lock(&s->lock);
    free(s->call_reply.head);
    free(s->call_reply.body);
    s->call_reply = copy;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

void stub_close_held(http_stub *s)
{
    pthread_mutex_lock(&s->lock);
    s->close_held = true;
    pthread_mutex_unlock(&s->lock);
}

/* Reads a counter the thread updates. */
static size_t locked_read(http_stub *s, const size_t *counter)
{
    size_t n;
    pthread_mutex_lock(&s->lock);
    n = *counter;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t stub_count(http_stub *s) { return locked_read(s, &s->logged); }

size_t stub_subscribes(http_stub *s) { return locked_read(s, &s->subscribes); }

int stub_request_get(http_stub *s, size_t i, stub_request *out)
{
    int rc = -1;
    pthread_mutex_lock(&s->lock);
    if (i < s->logged) {
        *out = s->log[i];
        if ((out->body = malloc(out->body_len ? out->body_len : 1))) {
            memcpy(out->body, s->log[i].body, out->body_len);
            rc = 0;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void stub_request_free(stub_request *r)
{
    free(r->body);
    r->body = NULL;
}
