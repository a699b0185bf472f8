/* main.c: the CUnit runner for every hdrf suite.
 *
 * `hdrf-tests` runs all suites; `hdrf-tests NAME...` runs only the named ones;
 * `hdrf-tests --help`, or a name that is no suite's, lists the suites and
 * exits with status 2, so a typo never passes as an empty run.
 * The exit status is non-zero when any assertion failed or a suite could not
 * be set up, so make and CI see failures. */
#include "test/test.h"

#include <CUnit/Basic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int test_add_suite(const char *name, const test_case *cases)
{
    return test_add_suite_with(name, NULL, NULL, cases);
}

int test_add_suite_with(const char *name, CU_InitializeFunc init, CU_CleanupFunc cleanup,
                        const test_case *cases)
{
    CU_pSuite suite = CU_add_suite(name, init, cleanup);
    if (!suite)
        return -1;
    for (const test_case *c = cases; c->name; c++)
        if (!CU_add_test(suite, c->name, c->run))
            return -1;
    return 0;
}

const char *test_data_path(const char *file)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/test/data/%s", HDRF_SRCDIR, file);
    return path;
}

long test_read_file(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    long size = -1;
    char *buf = NULL;
    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
        buf[size] = '\0';
        *out = buf;
    } else {
        free(buf);
        size = -1;
    }
    fclose(f);
    return size;
}

typedef struct suite_entry {
    const char *name;
    int (*add)(void);
} suite_entry;

static const suite_entry all_suites[] = {
#define SUITE(name) {#name, suite_##name},
#include "test/suites.def"
#undef SUITE
};

static int wanted(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

enum { N_SUITES = sizeof all_suites / sizeof all_suites[0] };

static bool is_suite(const char *name)
{
    for (size_t i = 0; i < N_SUITES; i++)
        if (strcmp(all_suites[i].name, name) == 0)
            return true;
    return false;
}

static int usage(FILE *out, const char *unknown)
{
    if (unknown)
        fprintf(out, "hdrf-tests: '%s' is not a suite\n", unknown);
    fprintf(out, "usage: hdrf-tests [SUITE...]   (no suite: all of them)\nsuites:");
    for (size_t i = 0; i < N_SUITES; i++)
        fprintf(out, "%s%s", i % 6 ? " " : "\n  ", all_suites[i].name);
    fprintf(out, "\n");
    return 2;
}

int main(int argc, char **argv)
{
    int status = EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout, NULL);
        if (!is_suite(argv[i]))
            return usage(stderr, argv[i]);
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return status;
    for (size_t i = 0; i < N_SUITES; i++) {
        if (wanted(all_suites[i].name, argc, argv) && all_suites[i].add() != 0) {
            fprintf(stderr, "hdrf-tests: cannot set up suite %s: %s\n", all_suites[i].name,
                    CU_get_error_msg());
            goto out;
        }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    if (CU_basic_run_tests() == CUE_SUCCESS && CU_get_number_of_failures() == 0 &&
        CU_get_number_of_suites_failed() == 0)
        status = EXIT_SUCCESS;
out:
    CU_cleanup_registry();
    return status;
}
