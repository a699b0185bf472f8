/* fuzz_sim_inputs.c: libFuzzer target for the simulator's input files (make fuzz).
 *
 * Input: a file's bytes, written to a temporary file and read both as a
 * cluster.json (sim_cluster_load) and as a workload.json
 * (sim_workload_load), the readers taking a path. A refusal is one line
 * that names the file, then where in it: a line and column when the text
 * is not JSON, else the path of a value inside the document or of a field
 * missing under one (its front elided when long), then what is wrong. The document written back by jansson (compact) gives the same verdict, and the same message. What is accepted
 * holds what the headers promise: agent groups of at least one agent that
 * add up to the cluster's count, each with resources; frameworks with an
 * id, roles and jobs whose instance ranges are ordered. Seeds: every
 * shipped example's cluster and workload and the sim suites' documents. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cluster.h"
#include "sim/workload.h"
#include "test/fuzz/json_paths.h"

#define WHY_LENGTH 512
#define SHOWN_PATH 120 /* a longer path loses its front (lib/jpath.h) */

static char path[4096];

static void write_file(const char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* ---- refusals --------------------------------------------------------------- */

/* Whether `s` starts with `.field` components (letters, digits and '_'),
 * then ':'. */
static bool missing_then_colon(const char *s)
{
    while (*s == '.') {
        const char *start = ++s;
        while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')
            s++;
        if (s == start)
            return false;
    }
    return *s == ':';
}

/* Whether the `len` bytes at `s` are `.field` components (or none). */
static bool missing_fields(const char *s, size_t len)
{
    char run[SHOWN_PATH + 2];
    snprintf(run, sizeof run, "%.*s:", (int)len, s);
    return missing_then_colon(run);
}

/* Whether the `len` bytes at `end` end `path`, or a field missing under it. */
static bool ends_path(const char *path, const char *end, size_t len)
{
    size_t n = strlen(path);
    for (size_t head = 0; head <= len; head++)
        if (missing_fields(end + head, len - head) && n >= head &&
            memcmp(path + n - head, end, head) == 0)
            return true;
    return false;
}

/* Whether `rest`, "..." and at most SHOWN_PATH - 3 bytes then ':', shows
 * the end of `path` or of a field missing under it; or a part of it, when
 * the reader's path buffer (512 bytes) cut a long key. */
static bool elided_path(const char *path, const void *arg)
{
    const char *end = (const char *)arg + 3;
    char part[SHOWN_PATH];
    for (size_t len = 1; len <= SHOWN_PATH - 3 && end[len - 1]; len++) {
        snprintf(part, sizeof part, "%.*s", (int)len, end);
        if (end[len] == ':' &&
            (ends_path(path, end, len) ||
             (len + 6 >= SHOWN_PATH && strlen(path) > 512 && strstr(path, part))))
            return true;
    }
    return false;
}

/* Whether `rest` starts with `path`, or a field missing under it, then ':'
 * (a field missing at the top has no dot: `agents: ...`). */
static bool starts_with_path(const char *path, const void *arg)
{
    const char *rest = arg;
    size_t len = strlen(path);
    char dotted[SHOWN_PATH + 2];
    if (strcmp(path, "(top)") == 0) {
        snprintf(dotted, sizeof dotted, ".%s", rest);
        if (missing_then_colon(dotted))
            return true;
    }
    return strncmp(rest, path, len) == 0 && missing_then_colon(rest + len);
}

/* "<file>:<line>:<column>: ..." for text that is not JSON, else
 * "<file>: <path>...: ...". */
static void check_refusal(const char *why, const json_t *doc)
{
    size_t n = strlen(path);
    const char *rest = why + n;
    if (strncmp(why, path, n) != 0 || strchr(why, '\n') || strchr(why, '\r'))
        abort();
    if (!doc) {
        int line, column, used = 0;
        if (sscanf(rest, ":%d:%d: %n", &line, &column, &used) != 2 || !used || !rest[used])
            abort();
        return;
    }
    rest += 2;
    if (strncmp(why + n, ": ", 2) != 0 ||
        !fuzz_any_path(doc, strncmp(rest, "...", 3) == 0 ? elided_path : starts_with_path, rest))
        abort();
}

/* ---- what is accepted --------------------------------------------------------- */

static void check_cluster(const sim_cluster *c)
{
    size_t agents = 0;
    for (size_t i = 0; i < c->ngroups; i++) {
        const sim_agent_group *g = &c->groups[i];
        if (!g->hostname || g->count < 1 || !g->resources || (g->nzones && !g->region))
            abort();
        agents += g->count;
    }
    if (c->ngroups < 1 || agents != c->nagents)
        abort();
    if (agents <= 1000) { /* the total adds agent by agent */
        hdrf_resources *total = sim_cluster_total(c);
        if (!total)
            abort();
        hdrf_resources_free(total);
    }
}

static void check_workload(const sim_workload *w)
{
    for (size_t i = 0; i < w->nframeworks; i++) {
        const sim_framework *fw = &w->frameworks[i];
        if (!fw->id || !fw->id[0] || !fw->name || fw->nroles < 1)
            abort();
        for (size_t k = 0; k < fw->njobs; k++)
            if (!fw->jobs[k].role || fw->jobs[k].instances_min < 0 ||
                fw->jobs[k].instances_min > fw->jobs[k].instances_max)
                abort();
    }
}

/* ---- both readers, twice -------------------------------------------------------- */

typedef struct verdicts {
    bool cluster, workload;
    char cluster_why[WHY_LENGTH], workload_why[WHY_LENGTH];
} verdicts;

static void read_both(const json_t *doc, verdicts *v)
{
    sim_cluster *c;
    sim_workload *w;
    v->cluster_why[0] = v->workload_why[0] = '\0';
    if ((v->cluster = (c = sim_cluster_load(path, v->cluster_why, WHY_LENGTH)) != NULL))
        check_cluster(c);
    else
        check_refusal(v->cluster_why, doc);
    if ((v->workload = (w = sim_workload_load(path, NULL, v->workload_why, WHY_LENGTH)) != NULL))
        check_workload(w);
    else
        check_refusal(v->workload_why, doc);
    sim_cluster_free(c);
    sim_workload_free(w);
}

static void remove_file(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/fuzz_sim_inputs.XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(remove_file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    verdicts first, second;
    write_file((const char *)data, size);
    read_both(doc, &first);
    if (doc) {
        char *text = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text)
            abort();
        write_file(text, strlen(text));
        free(text);
        read_both(doc, &second);
        if (first.cluster != second.cluster || first.workload != second.workload ||
            strcmp(first.cluster_why, second.cluster_why) != 0 ||
            strcmp(first.workload_why, second.workload_why) != 0)
            abort();
        json_decref(doc);
    }
    return 0;
}
