/* protoc_harness.c: running Google's real protoc for the suites (see the header). */
#include "test/protoc_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test/test.h"

extern char **environ;

#define PROTO_DIR HDRF_SRCDIR "/proto"
#define SCHEDULER_PROTO PROTO_DIR "/mesos/v1/scheduler/scheduler.proto"

/* ---- running the real protoc ------------------------------------------------ */

/* An anonymous temp file: made by mkstemp under $TMPDIR (or /tmp) and unlinked
 * at once, so nothing is left behind whatever happens. Returns an fd or -1. */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd, n;
    if (!dir || !*dir)
        dir = "/tmp";
    n = snprintf(path, sizeof path, "%s/hdrf-proto-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof path)
        return -1;
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads the whole of fd from offset 0 into out. Returns 0 or -1. */
static int read_all(int fd, owned *out)
{
    off_t size = lseek(fd, 0, SEEK_END);
    size_t got = 0;
    if (size < 0 || lseek(fd, 0, SEEK_SET) != 0)
        return -1;
    out->data = malloc((size_t)size + 1);
    if (!out->data)
        return -1;
    while (got < (size_t)size) {
        ssize_t n = read(fd, out->data + got, (size_t)size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    out->data[got] = '\0';
    out->len = got;
    return got == (size_t)size ? 0 : -1;
}

/* Waits for pid; returns 0 when it exited with status 0. */
static int wait_ok(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs `protoc --proto_path=<project>/proto <mode> scheduler.proto` with `in`
 * on stdin; its stdout lands in *out (caller frees out->data, also on error).
 * stderr is inherited so protoc's complaints show up in the test log. */
int protoc_run(const char *mode, const void *in, size_t in_len, owned *out)
{
    char *argv[] = {"protoc", "--proto_path=" PROTO_DIR, (char *)mode, SCHEDULER_PROTO, NULL};
    posix_spawn_file_actions_t actions;
    int have_actions = 0, in_fd = temp_file(), out_fd = temp_file(), rc = -1;
    pid_t pid;
    out->data = NULL;
    out->len = 0;
    if (in_fd < 0 || out_fd < 0 || write_all(in_fd, in, in_len) != 0 ||
        lseek(in_fd, 0, SEEK_SET) != 0)
        goto out;
    if (posix_spawn_file_actions_init(&actions) != 0)
        goto out;
    have_actions = 1;
    if (posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO) != 0 ||
        posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO) != 0 ||
        posix_spawnp(&pid, "protoc", &actions, NULL, argv, environ) != 0)
        goto out;
    if (wait_ok(pid) == 0 && read_all(out_fd, out) == 0)
        rc = 0;
out:
    if (have_actions)
        posix_spawn_file_actions_destroy(&actions);
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0)
        close(out_fd);
    return rc;
}

/* ---- helpers around protobuf-c ---------------------------------------------- */

/* Packs msg into a new buffer. Returns 0 or -1. */
int pack(const ProtobufCMessage *msg, uint8_t **out, size_t *len)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    *out = malloc(size ? size : 1);
    if (!*out)
        return -1;
    *len = protobuf_c_message_pack(msg, *out);
    return *len == size ? 0 : -1;
}

/* Compares text exactly and shows both sides on stderr when they differ. */
void assert_same_text(const char *got, size_t got_len, const char *want, size_t want_len)
{
    int same = got_len == want_len && memcmp(got, want, want_len) == 0;
    CU_ASSERT_TRUE(same);
    if (!same)
        fprintf(stderr, "\n--- expected\n%.*s--- protoc printed\n%.*s---\n", (int)want_len, want,
                (int)got_len, got);
}

/* Packs msg in C and checks `protoc --decode=<type>` prints exactly `want`. */
void check_protoc_decodes(const ProtobufCMessage *msg, const char *type, const char *want)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    owned text = {NULL, 0};
    char mode[128];
    CU_ASSERT_TRUE(protobuf_c_message_check(msg));
    snprintf(mode, sizeof mode, "--decode=%s", type);
    if (pack(msg, &wire, &len) != 0) {
        CU_FAIL("protobuf-c could not pack the message");
        goto out;
    }
    if (protoc_run(mode, wire, len, &text) != 0) {
        CU_FAIL("protoc --decode failed");
        goto out;
    }
    assert_same_text(text.data, text.len, want, strlen(want));
out:
    free(wire);
    free(text.data);
}

/* Shows protoc's text of `len` bytes of a `type` message on stderr. */
static void show_decoded(const char *label, const void *wire, size_t len, const char *type)
{
    char mode[128];
    owned text = {NULL, 0};
    snprintf(mode, sizeof mode, "--decode=%s", type);
    if (protoc_run(mode, wire, len, &text) == 0)
        fprintf(stderr, "\n--- %s\n%.*s", label, (int)text.len, text.data);
    else
        fprintf(stderr, "\n--- %s: %zu bytes protoc cannot decode\n", label, len);
    free(text.data);
}

void check_protoc_encodes_bytes(const void *got, size_t len, const char *type, const char *text)
{
    char mode[128];
    owned want = {NULL, 0};
    int same;
    snprintf(mode, sizeof mode, "--encode=%s", type);
    if (protoc_run(mode, text, strlen(text), &want) != 0) {
        CU_FAIL("protoc --encode failed");
        free(want.data);
        return;
    }
    same = got && want.len == len && memcmp(want.data, got, len) == 0;
    CU_ASSERT_TRUE(same);
    if (!same) {
        show_decoded("expected", want.data, want.len, type);
        show_decoded("got", got, len, type);
    }
    free(want.data);
}

void check_protoc_encodes(const ProtobufCMessage *msg, const char *type, const char *text)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    if (pack(msg, &wire, &len) != 0) {
        CU_FAIL("protobuf-c could not pack the message");
    } else {
        check_protoc_encodes_bytes(wire, len, type, text);
    }
    free(wire);
}

/* Counts unknown fields in msg and every message below it: protobuf-c keeps
 * there whatever our schema does not declare. */
size_t count_unknown(const ProtobufCMessage *msg)
{
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    const char *base = (const char *)msg;
    size_t n = msg->n_unknown_fields;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; k < count; k++)
                n += count_unknown(items[k]);
            continue;
        }
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + f->quantifier_offset) != f->id)
            continue;
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + f->offset);
        if (sub)
            n += count_unknown(sub);
    }
    return n;
}
