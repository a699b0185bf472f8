/* fuzz_hooks.c: libFuzzer target for the hook's label lists (make fuzz).
 *
 * Any input, taken as the `labels` parameter, must either build a policy or
 * fail with a message about `labels` whose position lies inside the input;
 * nothing may crash, leak or trip a sanitizer. A policy that builds must
 * decorate a task by keeping its unprotected labels first and in order, and
 * the labels it adds, written back in the list syntax with every special
 * character escaped, must parse again into exactly the same labels: the
 * escapes and the trimming of spaces lose nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/hooks.h"

static const hdrf_hooks_launch launch = {"eng/batch", "fw-1", "spark", "agent-1", "a1", true, 0.5};

static const hdrf_label task[] = {{"app", "etl"}, {"hdrf.forged", "x"}, {"solo", NULL}};

static int same(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

/* Appends `s` to `out` with every character the syntax treats specially escaped. */
static char *put_escaped(char *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\,={} ", *s))
            *out++ = '\\';
        *out++ = *s;
    }
    return out;
}

/* The added labels as a list of static labels. Caller frees. */
static char *as_list(const hdrf_label *labels, size_t n)
{
    size_t size = 1;
    for (size_t i = 0; i < n; i++)
        size += 2 * strlen(labels[i].key) + 2 * (labels[i].value ? strlen(labels[i].value) : 0) + 2;
    char *text = malloc(size), *out = text;
    if (!text)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *out++ = ',';
        out = put_escaped(out, labels[i].key);
        if (labels[i].value) {
            *out++ = '=';
            out = put_escaped(out, labels[i].value);
        }
    }
    *out = '\0';
    return text;
}

static void check_round_trip(const hdrf_label *added, size_t n)
{
    char *text = as_list(added, n);
    hdrf_hooks_param param = {"labels", text};
    hdrf_hooks *again = NULL;
    hdrf_hooks_result r;
    if (hdrf_hooks_new(&param, 1, &again, NULL) != HDRF_OK ||
        hdrf_hooks_decorate(again, HDRF_HOOKS_MASTER, NULL, 0, &launch, &r, NULL) != HDRF_OK)
        abort();
    if (n == 0 ? r.verdict != HDRF_HOOKS_KEEP : r.nlabels != n)
        abort();
    for (size_t i = 0; i < r.nlabels; i++)
        if (!same(r.labels[i].key, added[i].key) || !same(r.labels[i].value, added[i].value))
            abort();
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    hdrf_hooks_param param = {"labels", text};
    hdrf_hooks *h = NULL;
    hdrf_hooks_result r;
    hdrf_error err;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (hdrf_hooks_new(&param, 1, &h, &err) != HDRF_OK) {
        if (err.position > (int)strlen(text) || strncmp(err.text, "labels = '", 10) != 0)
            abort();
        free(text);
        return 0;
    }
    if (hdrf_hooks_decorate(h, HDRF_HOOKS_MASTER, task, 3, &launch, &r, NULL) != HDRF_OK ||
        r.verdict != HDRF_HOOKS_REPLACE || r.nlabels < 2 || !same(r.labels[0].key, "app") ||
        !same(r.labels[1].key, "solo"))
        abort();
    check_round_trip(r.labels + 2, r.nlabels - 2);
    hdrf_hooks_result_free(&r);
    hdrf_hooks_free(h);
    free(text);
    return 0;
}
