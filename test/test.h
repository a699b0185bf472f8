/* test.h: what every CUnit suite of hdrf shares.
 *
 * Each test/<name>.c owns one suite and exposes it as `int suite_<name>(void)`,
 * listed once in test/suites.def; test/main.c registers and runs them all.
 * HDRF_SRCDIR (set by the Makefile) locates test data without depending on the
 * working directory. */
#ifndef HDRF_TEST_H
#define HDRF_TEST_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <string.h>

typedef struct test_case {
    const char *name;
    CU_TestFunc run;
} test_case;

/* Adds a suite running `cases` (terminated by {NULL, NULL}) in order.
 * Returns 0, or -1 after CUnit refused it. */
int test_add_suite(const char *name, const test_case *cases);

/* The same with a setup run before the suite's first case and a teardown run
 * after its last, whatever the outcome (e.g. a server the suite needs). A
 * setup that returns non-zero fails the suite, and its cases do not run. */
int test_add_suite_with(const char *name, CU_InitializeFunc init, CU_CleanupFunc cleanup,
                        const test_case *cases);

/* Path of a file under test/data/, in a static buffer valid until the next call. */
const char *test_data_path(const char *file);

/* Reads a whole file; the caller frees *out. Returns bytes read, or -1. */
long test_read_file(const char *path, char **out);

/* Records a failure and leaves the current (void) test when `c` is false;
 * unlike CU_ASSERT_FATAL it does not longjmp, so a test that must free what
 * it holds can use plain checks after it. `c` is evaluated once. */
#define REQUIRE_TRUE(c)                                                                            \
    do {                                                                                           \
        int required_ = !!(c);                                                                     \
        CU_assertImplementation(required_, __LINE__, "REQUIRE_TRUE(" #c ")", __FILE__, "",         \
                                CU_FALSE);                                                         \
        if (!required_)                                                                            \
            return;                                                                                \
    } while (0)

/* The same for a pointer that must not be NULL. */
#define REQUIRE(p) REQUIRE_TRUE((p) != NULL)

/* A string equal to `want` (a NULL `got` fails). Each evaluated once. */
#define ASSERT_STR(got, want)                                                                      \
    do {                                                                                           \
        const char *got_ = (got);                                                                  \
        CU_assertImplementation(got_ &&strcmp(got_, (want)) == 0, __LINE__,                        \
                                "ASSERT_STR(" #got ", " #want ")", __FILE__, "", CU_FALSE);        \
    } while (0)

#define SUITE(name) int suite_##name(void);
#include "test/suites.def"
#undef SUITE

#endif
