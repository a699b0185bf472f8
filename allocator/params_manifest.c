/* params_manifest.c: the allocator's parameters read from a whole
 * modules.json (see hdrf/params.h).
 *
 * Mesos's manifest (the Modules message as JSON) lists libraries, each
 * with modules, each with a name and `parameters`, an array of
 * {"key": string, "value": string}. Fields hdrf does not look at are left
 * alone, as Mesos's own reader would accept them; the path to what hdrf
 * does read is checked step by step so that an error says exactly where
 * the manifest is wrong. */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/jpath.h"
#include "allocator/params_internal.h"

/* snprintf whose cut is meant: paths are cut to the error's token size. */
static void cut(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cut(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* Case-insensitive substring test. */
static bool holds(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && tolower((unsigned char)s[i]) == word[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool wanted(const char *name, const char *module)
{
    return module ? strcmp(name, module) == 0 : holds(name, "hdrf") && holds(name, "allocator");
}

/* Finds the module; on success *where is its path ("libraries[0].modules[1]"). */
static int find_module(const json_t *root, const char *source, const char *module,
                       const json_t **found, char *where, size_t wherelen, hdrf_error *e)
{
    const json_t *libraries = json_object_get(root, "libraries");
    if (!json_is_object(root))
        return error_named(e, source, "(top)", "expected an object with \"libraries\"");
    if (!json_is_array(libraries))
        return error_named(e, source, "libraries", "expected an array of libraries");
    for (size_t i = 0; i < json_array_size(libraries); i++) {
        const json_t *lib = json_array_get(libraries, i);
        const json_t *modules = json_object_get(lib, "modules");
        char path[64];
        cut(path, sizeof path, "libraries[%zu]", i);
        if (!json_is_object(lib))
            return error_named(e, source, path, "expected an object with \"modules\"");
        if (!modules)
            continue;
        cut(path, sizeof path, "libraries[%zu].modules", i);
        if (!json_is_array(modules))
            return error_named(e, source, path, "expected an array of modules");
        for (size_t j = 0; j < json_array_size(modules); j++) {
            const json_t *m = json_array_get(modules, j);
            const json_t *name = json_object_get(m, "name");
            cut(path, sizeof path, "libraries[%zu].modules[%zu].name", i, j);
            if (!json_is_string(name))
                return error_named(e, source, path, "expected the module's name as a string");
            if (wanted(json_string_value(name), module)) {
                cut(where, wherelen, "libraries[%zu].modules[%zu]", i, j);
                *found = m;
                return HDRF_OK;
            }
        }
    }
    if (module)
        return error_named(e, source, "libraries", "no module named '%s'", module);
    return error_named(e, source, "libraries",
                       "no allocator module: none has a name holding 'hdrf' and 'allocator'");
}

/* The parameters array as pairs borrowed from the JSON. */
static int read_pairs(const json_t *m, const char *source, const char *where, hdrf_param **out,
                      size_t *n, hdrf_error *e)
{
    const json_t *params = json_object_get(m, "parameters");
    char path[128];
    *out = NULL;
    *n = 0;
    if (!params)
        return HDRF_OK; /* no parameters: every default */
    cut(path, sizeof path, "%s.parameters", where);
    if (!json_is_array(params))
        return error_named(e, source, path, "expected an array of {\"key\", \"value\"}");
    size_t count = json_array_size(params);
    hdrf_param *v = calloc(count ? count : 1, sizeof *v);
    if (!v)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const json_t *item = json_array_get(params, i);
        const json_t *key = json_object_get(item, "key");
        const json_t *value = json_object_get(item, "value");
        const char *bad = !json_is_object(item)             ? ""
                          : !json_is_string(key)            ? ".key"
                          : value && !json_is_string(value) ? ".value"
                                                            : NULL;
        if (bad) {
            free(v);
            cut(path, sizeof path, "%s.parameters[%zu]%s", where, i, bad);
            return error_named(e, source, path,
                               *bad ? "expected a string (Mesos's Parameter has string key and "
                                      "value)"
                                    : "expected an object {\"key\": ..., \"value\": ...}");
        }
        /* Mesos's Parameter requires a value; an absent one reads as "" so
         * that the key's own rule says what it wants. */
        v[i] = (hdrf_param){json_string_value(key), value ? json_string_value(value) : ""};
    }
    *out = v;
    *n = count;
    return HDRF_OK;
}

int hdrf_params_from_modules_json(const char *text, const char *source, const char *module,
                                  hdrf_params **out, hdrf_error *error)
{
    json_error_t jerr = {0};
    const json_t *m = NULL;
    hdrf_param *pairs = NULL;
    size_t n = 0, failed = 0;
    char where[96];
    int rc;
    *out = NULL;
    if (!source)
        source = "modules.json";
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!root && jpath_load_out_of_memory(&jerr))
        return HDRF_ENOMEM; /* not the input's fault */
    if (!root) {
        if (error) {
            error_named(error, source, "(syntax)", "%s", jerr.text);
            error->line = jerr.line;
            error->column = jerr.column;
            error->position = (int)jerr.position;
        }
        return HDRF_EINVAL;
    }
    rc = find_module(root, source, module, &m, where, sizeof where, error);
    if (rc == HDRF_OK)
        rc = read_pairs(m, source, where, &pairs, &n, error);
    if (rc == HDRF_OK) {
        rc = params_parse_pairs(pairs, n, out, error, &failed);
        /* Keep the parser's line, but say where in the manifest it is. */
        if (rc == HDRF_EINVAL && error) {
            cut(error->source, sizeof error->source, "%s", source);
            if (failed < n)
                cut(error->token, sizeof error->token, "%s.parameters[%zu]", where, failed);
            else
                cut(error->token, sizeof error->token, "%s.parameters", where);
        }
    }
    free(pairs);
    json_decref(root);
    return rc;
}
