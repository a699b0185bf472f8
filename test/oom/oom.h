/* oom.h: the fault-injection harness, SQLite's malloc tests for hdrf.
 *
 * A scenario is a function making a fixed sequence of public calls, each
 * wrapped in OOM_CALL. oom_run() runs it once cleanly, recording a
 * transcript (each call's outcome and the state dump after it), then again
 * with the 1st, 2nd, 3rd... allocation failing, until a run makes no
 * allocation that could fail. In each run one allocation fails, in one call:
 *  - that call must report the failure (`failed`: HDRF_ENOMEM, a NULL
 *    result), or succeed as if nothing had happened;
 *  - when it reports it, the state dump taken after must equal the one
 *    taken before (nothing changed), and the call is made again, which must
 *    now succeed;
 *  - the run then goes on to the end, and its transcript must equal the
 *    clean run's: a refusal changed nothing that any later call could see.
 * A call that reports a failure when none was injected fails the test too.
 * Objects whose header allows a failed call to leave them changed set
 * `partial`: their first failure ends the run instead (`stopped`), and the
 * run must still free everything.
 * Leaks are ASan's: the sanitizer build runs the same binary. With
 * HDRF_OOM_TRACE=N in the environment, the transcript of the run failing
 * allocation N is printed as it is written (0: the clean run's). */
#ifndef HDRF_TEST_OOM_H
#define HDRF_TEST_OOM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct oom oom;

/* A new string describing everything the scenario's objects show, or NULL. */
typedef char *(*oom_dump_fn)(void *arg);

struct oom {
    long fail_at;  /* the allocation that fails, counted over the run; 0: none */
    long made;     /* allocations made inside calls so far */
    bool injected; /* the failure happened in this run */
    int failures;  /* checks that failed in this run */
    /* The objects' header allows a failed call to leave them changed (the
     * allocator's: "free the allocator"): a failure then ends the scenario,
     * which frees everything (the leak check is ASan's). */
    bool partial;
    bool stopped; /* such a failure happened: the scenario must stop */
    oom_dump_fn dump;
    void *arg;
    char *before;         /* the dump before the current call */
    const char *absorbed; /* the call that succeeded though its allocation failed */
    int absorbed_line;
    char *log; /* the transcript */
    size_t len, cap;
};

/* Appends a line to the transcript (never fails the scenario's calls). */
void oom_log(oom *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Around one call: see OOM_CALL. */
void oom_begin(oom *o);
bool oom_end(oom *o, bool failed, const char *call, int line);
/* Runs `scenario` until no allocation is left to fail; false when any check
 * failed (each printed on stderr). */
bool oom_run(const char *name, void (*scenario)(oom *o));

/* Makes `call` (a statement) with injection, as many times as the harness
 * asks: `failed` says whether it reported a failure. */
#define OOM_CALL(o, failed, call)                                                                  \
    do {                                                                                           \
        oom_begin(o);                                                                              \
        call;                                                                                      \
    } while (oom_end((o), (failed), #call, __LINE__))

#endif
