/* jread.c: strict readers for the simulator's JSON files (see jread.h). */
#include "sim/jread.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hdrf/params.h"
#include "hdrf/resources_json.h"

void jr_init(jread *r, const char *file)
{
    memset(r, 0, sizeof *r);
    r->file = file;
}

int jr_fail(jread *r, const json_t *v, const char *fmt, ...)
{
    char what[SCHED_ERROR_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return jpath_fail(&r->path, &r->err, HDRF_EINVAL, v, "%s", what);
}

int jr_no_memory(jread *r)
{
    return sched_error_set(&r->err, HDRF_ENOMEM, "out of memory");
}

int jr_keys(jread *r, const json_t *obj, const char *const *allowed, const char *list)
{
    if (!json_is_object(obj))
        return jr_fail(r, obj, "expected an object");
    const char *key = jpath_unknown_key(obj, allowed);
    if (!key)
        return HDRF_OK;
    jpath_field(&r->path, key);
    return jr_fail(r, NULL, "unknown field; allowed: %s", list);
}

/* obj[name] unless absent or null, with `name` pushed; *mark to restore. */
static const json_t *enter(jread *r, const json_t *obj, const char *name, size_t *mark)
{
    const json_t *v = json_object_get(obj, name);
    *mark = jpath_field(&r->path, name);
    return v && !json_is_null(v) ? v : NULL;
}

static int leave(jread *r, size_t mark)
{
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

int jr_string(jread *r, const json_t *obj, const char *name, bool required, const char **out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return required ? jr_fail(r, NULL, "missing: expected a string") : leave(r, mark);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return jr_fail(r, v, "expected a non-empty string");
    *out = json_string_value(v);
    return leave(r, mark);
}

int jr_long(jread *r, const json_t *obj, const char *name, long min, long max, long *out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return leave(r, mark);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return jr_fail(r, v, "expected an integer from %ld to %ld", min, max);
    *out = (long)json_integer_value(v);
    return leave(r, mark);
}

int jr_number(jread *r, const json_t *obj, const char *name, double min, double max,
              double *out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return leave(r, mark);
    if (!json_is_number(v) || !(json_number_value(v) >= min && json_number_value(v) <= max))
        return jr_fail(r, v, "expected a number from %g to %g", min, max);
    *out = json_number_value(v);
    return leave(r, mark);
}

int jr_bool(jread *r, const json_t *obj, const char *name, bool *out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return leave(r, mark);
    if (!json_is_boolean(v))
        return jr_fail(r, v, "expected true or false");
    *out = json_is_true(v);
    return leave(r, mark);
}

int jr_duration_value(jread *r, const json_t *v, hdrf_time *out)
{
    if (json_is_number(v)) {
        double s = json_number_value(v);
        if (!(s >= 0 && s < 9e9))
            return jr_fail(r, v, "expected a duration: seconds from 0, or e.g. \"30secs\"");
        *out = (hdrf_time)llround(s * (double)HDRF_SECOND);
        return HDRF_OK;
    }
    if (!json_is_string(v) || !hdrf_duration_parse(json_string_value(v), out))
        return jr_fail(r, v,
                       "expected a duration: a number of seconds, or a number and a unit of "
                       "ns, us, ms, secs, mins, hrs, days, weeks (e.g. \"30secs\")");
    return HDRF_OK;
}

int jr_duration(jread *r, const json_t *obj, const char *name, hdrf_time *out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return leave(r, mark);
    int rc = jr_duration_value(r, v, out);
    return rc == HDRF_OK ? leave(r, mark) : rc;
}

int jr_resources_value(jread *r, const json_t *v, hdrf_resources **out)
{
    hdrf_error e;
    int rc;
    if (json_is_string(v))
        rc = hdrf_resources_parse(json_string_value(v), NULL, out, &e);
    else if (json_is_array(v))
        rc = hdrf_resources_from_json(v, NULL, out, &e);
    else
        return jr_fail(r, v, "expected resources: Mesos's text form or a JSON array");
    if (rc == HDRF_ENOMEM)
        return jr_no_memory(r);
    if (rc != HDRF_OK && e.position >= 0)
        return jr_fail(r, NULL, "%s at '%s' (column %d)", e.text, e.token, e.column);
    if (rc != HDRF_OK) {
        jpath_raw(&r->path, e.token);
        return jr_fail(r, NULL, "%s", e.text);
    }
    return HDRF_OK;
}

int jr_resources(jread *r, const json_t *obj, const char *name, bool required,
                 hdrf_resources **out)
{
    size_t mark;
    const json_t *v = enter(r, obj, name, &mark);
    if (!v)
        return required ? jr_fail(r, NULL, "missing: expected resources (e.g. \"cpus:1;mem:128\")")
                        : leave(r, mark);
    int rc = jr_resources_value(r, v, out);
    return rc == HDRF_OK ? leave(r, mark) : rc;
}

void jr_message(const jread *r, char *why, size_t whylen)
{
    snprintf(why, whylen, "%s: %s", r->file, r->err.text);
}

json_t *jr_load(const char *path, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    const char *reason = strrchr(jerr.text, ':'); /* jansson's "unable to open <path>: <why>" */
    if (root)
        return root;
    if (json_error_code(&jerr) == json_error_cannot_open_file && reason)
        snprintf(why, whylen, "%s: cannot open: %s", path, reason + 2);
    else if (jerr.line < 1)
        snprintf(why, whylen, "%s: %s", path, jerr.text);
    else
        snprintf(why, whylen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    return NULL;
}
