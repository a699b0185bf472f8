/* jread.c: strict readers for the simulator's JSON files (see jread.h). */
#include "sim/jread.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hdrf/params.h"
#include "hdrf/resources_json.h"
#include "lib/line.h"

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
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return jr_leave(r, mark);
    int rc = jr_duration_value(r, v, out);
    return rc == HDRF_OK ? jr_leave(r, mark) : rc;
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
    return rc == HDRF_OK ? HDRF_OK : jr_fail_nested(r, &e);
}

int jr_resources(jread *r, const json_t *obj, const char *name, bool required, hdrf_resources **out)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return required ? jr_fail(r, NULL, "missing: expected resources (e.g. \"cpus:1;mem:128\")")
                        : jr_leave(r, mark);
    int rc = jr_resources_value(r, v, out);
    return rc == HDRF_OK ? jr_leave(r, mark) : rc;
}

void jr_message(const char *file, const sched_error *err, char *why, size_t whylen)
{
    snprintf(why, whylen, "%s: %s", file, err->text);
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
    line_escape(why, whylen); /* jansson quotes the raw text it stopped at */
    return NULL;
}
