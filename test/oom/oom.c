/* oom.c: the fault-injection harness (see oom.h). */
#include "test/oom/oom.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/oom/failalloc.h"

/* A run that never ends: a scenario whose allocations keep growing. */
enum { MAX_RUNS = 200000, MAX_REPORTS = 20 };

static int reports;

static void report(oom *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(oom *o, const char *fmt, ...)
{
    o->failures++;
    if (reports++ >= MAX_REPORTS)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "oom: allocation %ld: ", o->fail_at);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void oom_log(oom *o, const char *fmt, ...)
{
    failalloc_hold();
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && o->len + (size_t)n + 2 > o->cap) {
        size_t cap = (o->len + (size_t)n + 2) * 2;
        char *log = realloc(o->log, cap);
        if (!log)
            abort();
        o->log = log;
        o->cap = cap;
    }
    if (n >= 0) {
        vsnprintf(o->log + o->len, (size_t)n + 1, fmt, again);
        o->len += (size_t)n;
        o->log[o->len++] = '\n';
        o->log[o->len] = '\0';
        const char *trace = getenv("HDRF_OOM_TRACE");
        if (trace && atol(trace) == o->fail_at)
            fputs(o->log + o->len - (size_t)n - 1, stdout);
    }
    va_end(again);
    failalloc_release();
}

static char *dump(oom *o)
{
    char *d = o->dump ? o->dump(o->arg) : strdup("");
    if (!d)
        abort(); /* nothing is injected here: a real failure */
    return d;
}

void oom_begin(oom *o)
{
    free(o->before);
    o->before = dump(o);
    failalloc_arm(o->fail_at && !o->injected ? o->fail_at - o->made : 0);
}

/* Where two texts first differ, with some context, for the report. */
static void first_difference(const char *a, const char *b, char *out, size_t size)
{
    size_t i = 0, line = 0;
    while (a[i] && a[i] == b[i])
        if (a[i++] == '\n')
            line = i;
    size_t from = i - line > 60 ? i - 60 : line;
    size_t na = strcspn(a + from, "\n"), nb = strcspn(b + from, "\n");
    snprintf(out, size, "was '...%.*s', now '...%.*s'", (int)(na < 200 ? na : 200), a + from,
             (int)(nb < 200 ? nb : 200), b + from);
}

bool oom_end(oom *o, bool failed, const char *call, int line)
{
    o->made += failalloc_disarm();
    bool fired = failalloc_fired() && !o->injected;
    char *after = dump(o);
    bool again = false;
    if (fired)
        o->injected = true;
    if (fired && failed && o->partial) {
        o->stopped = true;
    } else if (fired && failed) {
        if (strcmp(o->before, after) != 0) {
            char diff[600];
            first_difference(o->before, after, diff, sizeof diff);
            report(o, "line %d: %s failed and changed the state: %s", line, call, diff);
        }
        again = true;
    } else if (failed) {
        report(o, "line %d: %s failed with no allocation failing", line, call);
    } else {
        if (fired) {
            o->absorbed_line = line;
            o->absorbed = call;
        }
        oom_log(o, "%d: %s", line, after);
    }
    free(after);
    return again;
}

static void reset(oom *o, long fail_at)
{
    free(o->before);
    free(o->log);
    *o = (oom){.fail_at = fail_at};
}

bool oom_run(const char *name, void (*scenario)(oom *o))
{
    oom clean = {0}, o = {0};
    scenario(&clean);
    bool ok = clean.failures == 0;
    long n = 1;
    for (; n < MAX_RUNS; n++) {
        reset(&o, n);
        scenario(&o);
        ok = ok && o.failures == 0;
        if (!o.injected)
            break;
        if (!o.stopped && strcmp(o.log ? o.log : "", clean.log ? clean.log : "") != 0) {
            char diff[600];
            first_difference(clean.log, o.log ? o.log : "", diff, sizeof diff);
            report(&o, "%s: the run differs from the clean run%s%s (line %d): %s", name,
                   o.absorbed ? ", after the failure in " : "", o.absorbed ? o.absorbed : "",
                   o.absorbed_line, diff);
            ok = false;
        }
    }
    printf("oom: %s: %ld allocations, each failed in turn%s\n", name, n - 1, ok ? "" : ": FAILED");
    reset(&o, 0);
    reset(&clean, 0);
    return ok && n < MAX_RUNS;
}
