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

typedef struct test_case {
    const char *name;
    CU_TestFunc run;
} test_case;

/* Adds a suite running `cases` (terminated by {NULL, NULL}) in order.
 * Returns 0, or -1 after CUnit refused it. */
int test_add_suite(const char *name, const test_case *cases);

/* Path of a file under test/data/, in a static buffer valid until the next call. */
const char *test_data_path(const char *file);

/* Reads a whole file; the caller frees *out. Returns bytes read, or -1. */
long test_read_file(const char *path, char **out);

#define SUITE(name) int suite_##name(void);
#include "suites.def"
#undef SUITE

#endif
