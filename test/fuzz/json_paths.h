/* json_paths.h: the paths of a document's values, for fuzz targets that
 * check a refusal names a place inside their input.
 *
 * The readers of lib/jpath.h write a path as `agents[0].attributes.rack`
 * (`.key` under an object, no dot at the top, `[i]` in an array, "(top)"
 * for the document itself) and messages escape its control characters
 * (lib/line.h). fuzz_any_path() hands every value's path, written so, to a
 * test until one passes. Header-only: each target of test/fuzz/ is one
 * source file. */
#ifndef HDRF_TEST_FUZZ_JSON_PATHS_H
#define HDRF_TEST_FUZZ_JSON_PATHS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "lib/line.h"
#include "lib/sbuf.h"

typedef bool (*fuzz_path_test)(const char *path, const void *arg);

static void fuzz_path_truncate(sbuf *p, size_t len)
{
    p->len = len;
    if (p->data)
        p->data[len] = '\0';
}

static bool fuzz_path_walk(const json_t *v, sbuf *p, fuzz_path_test test, const void *arg)
{
    char shown[4096];
    snprintf(shown, sizeof shown, "%s", p->len ? p->data : "(top)");
    line_escape(shown, sizeof shown);
    if (test(shown, arg))
        return true;
    size_t mark = p->len;
    bool found = false;
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach((json_t *)v, key, child)
        {
            sbuf_printf(p, "%s%s", mark ? "." : "", key);
            found = fuzz_path_walk(child, p, test, arg);
            fuzz_path_truncate(p, mark);
            if (found)
                break;
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; !found && i < json_array_size(v); i++) {
            sbuf_printf(p, "[%zu]", i);
            found = fuzz_path_walk(json_array_get(v, i), p, test, arg);
            fuzz_path_truncate(p, mark);
        }
    }
    return found;
}

/* Whether `test` passes for the path of some value of `doc`. */
static bool fuzz_any_path(const json_t *doc, fuzz_path_test test, const void *arg)
{
    sbuf p = SBUF_INIT;
    bool found = fuzz_path_walk(doc, &p, test, arg);
    sbuf_discard(&p);
    return found;
}

#endif
