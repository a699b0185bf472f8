/* test_api.c: the library's version, and what libhdrf.so exports.
 *
 * The shared library exports exactly its API (see "what libhdrf.so exports"
 * in the Makefile): the hdrf_* functions the public headers declare and the
 * mesos__v1__* protobuf-c code behind the message types those headers take.
 * The test reads the dynamic symbol table of $(BUILD)/libhdrf.so, the very
 * file `make install` copies, with `nm -D --defined-only`, and checks both
 * ways: nothing else is exported (an internal name such as regex_compile or
 * strmap_get would be), and every function a public header declares is (a
 * declaration without HDRF_API would be hidden, which the tests, linking
 * libhdrf.a, could not notice). */
#include "test/test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/version.h"
#include "lib/array.h"

/* ---- the version --------------------------------------------------------- */

static void test_version(void)
{
    char spelled[32];
    snprintf(spelled, sizeof spelled, "%d.%d.%d", HDRF_VERSION_MAJOR, HDRF_VERSION_MINOR,
             HDRF_VERSION_PATCH);
    ASSERT_STR(HDRF_VERSION, spelled);
    ASSERT_STR(hdrf_version(), HDRF_VERSION);
    /* The Makefile reads the numbers from hdrf/version.h (hdrf.pc's Version). */
    ASSERT_STR(HDRF_MAKE_VERSION, HDRF_VERSION);
}

/* ---- the exported names -------------------------------------------------- */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *s, const char *name, size_t len)
{
    if (array_reserve(&s->v, &s->cap, s->n + 1, sizeof *s->v) != HDRF_OK)
        return -1;
    if (!(s->v[s->n] = malloc(len + 1)))
        return -1;
    memcpy(s->v[s->n], name, len);
    s->v[s->n++][len] = '\0';
    return 0;
}

static bool names_has(const names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return true;
    return false;
}

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The defined names of the dynamic symbol table. ASan (the SAN=1 build)
 * adds "__odr_asan.<name>" next to each exported variable; it is recorded as
 * <name>, so the policy judges the variable it stands for. Returns -1 when
 * nm could not run. */
static int read_exports(const char *so, names *out)
{
    char cmd[4200], line[1024];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s'", so);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, p)) {
        /* "<address> <type> <name>[@<version>]" */
        char *name = strrchr(line, ' ');
        name = name ? name + 1 : line;
        size_t len = strcspn(name, "@\n");
        if (has_prefix(name, "__odr_asan.")) {
            name += strlen("__odr_asan.");
            len -= strlen("__odr_asan.");
        }
        rc = names_add(out, name, len);
    }
    return pclose(p) == 0 ? rc : -1;
}

/* The functions the public headers declare: a line at column 0 (so neither a
 * comment nor a struct member), not a typedef, whose first identifier
 * followed by '(' starts with hdrf_. That is how every declaration in
 * include/hdrf is written: `HDRF_API int hdrf_sorter_new(...`. */
static int read_declared(names *out)
{
    char dir[4096], path[4400], line[1024];
    snprintf(dir, sizeof dir, "%s/include/hdrf", HDRF_SRCDIR);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".h") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) {
            rc = -1;
            break;
        }
        while (rc == 0 && fgets(line, sizeof line, f)) {
            if (!is_ident(line[0]) || has_prefix(line, "typedef"))
                continue;
            for (const char *s = line; *s; s++) {
                if (!is_ident(*s) || (s > line && is_ident(s[-1])))
                    continue;
                const char *end = s;
                while (is_ident(*end))
                    end++;
                if (*end == '(') {
                    if (has_prefix(s, "hdrf_"))
                        rc = names_add(out, s, (size_t)(end - s));
                    break;
                }
            }
        }
        fclose(f);
    }
    closedir(d);
    return rc;
}

static void test_exports(void)
{
    names exported = {0}, declared = {0};
    CU_ASSERT_EQUAL(read_declared(&declared), 0);
    if (read_exports(HDRF_LIB_SO, &exported) != 0)
        CU_FAIL("nm -D --defined-only could not read " HDRF_LIB_SO);

    size_t unexpected = 0, hidden = 0;
    for (size_t i = 0; i < exported.n; i++) {
        const char *name = exported.v[i];
        bool allowed = has_prefix(name, "mesos__v1__") || strcmp(name, "_init") == 0 ||
                       strcmp(name, "_fini") == 0 ||
                       (has_prefix(name, "hdrf_") && names_has(&declared, name));
        if (!allowed) {
            fprintf(stderr, "exports: %s exports %s, which no public header declares\n",
                    HDRF_LIB_SO, name);
            unexpected++;
        }
    }
    for (size_t i = 0; i < declared.n; i++)
        if (!names_has(&exported, declared.v[i])) {
            fprintf(stderr, "exports: %s does not export %s (HDRF_API missing?)\n", HDRF_LIB_SO,
                    declared.v[i]);
            hidden++;
        }
    CU_ASSERT_EQUAL(unexpected, 0);
    CU_ASSERT_EQUAL(hidden, 0);
    /* The reading itself worked: the headers' declarations were found and
     * the messages' code is there. */
    CU_ASSERT(names_has(&declared, "hdrf_version"));
    CU_ASSERT(names_has(&declared, "hdrf_allocator_new"));
    CU_ASSERT(names_has(&exported, "mesos__v1__resource__descriptor"));
    names_free(&exported);
    names_free(&declared);
}

int suite_api(void)
{
    static const test_case cases[] = {
        {"HDRF_VERSION, hdrf_version() and the Makefile agree", test_version},
        {"libhdrf.so exports its API and nothing else", test_exports},
        {NULL, NULL},
    };
    return test_add_suite("api", cases);
}
