/* jpath.c: the one JSON reader (see jpath.h). */
#include "lib/jpath.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/line.h"

/* ---- paths ---------------------------------------------------------------- */

size_t jpath_field(jpath *p, const char *name)
{
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "%s%s", len ? "." : "", name);
    return len;
}

size_t jpath_index(jpath *p, size_t index)
{
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "[%zu]", index);
    return len;
}

size_t jpath_item(jpath *p, const char *name, size_t index)
{
    size_t len = jpath_field(p, name);
    jpath_index(p, index);
    return len;
}

size_t jpath_key(jpath *p, const char *key)
{
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "[\"%s\"]", key);
    return len;
}

size_t jpath_raw(jpath *p, const char *text)
{
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "%s", text);
    return len;
}

void jpath_restore(jpath *p, size_t len) { p->text[len] = '\0'; }

const char *jpath_str(const jpath *p) { return p->text[0] ? p->text : "(top)"; }

bool jpath_load_out_of_memory(const json_error_t *e)
{
    return json_error_code(e) == json_error_out_of_memory || !e->text[0];
}

const char *jpath_unknown_key(const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a)
            return key;
    }
    return NULL;
}

/* ---- the two reports ------------------------------------------------------ */

void jr_init(jread *r, sched_error *err, const char *path)
{
    memset(r, 0, sizeof *r);
    r->err = err;
    snprintf(r->path.text, sizeof r->path.text, "%s", path ? path : "");
}

void jr_init_core(jread *r, hdrf_error *error, const char *source, const char *path)
{
    jr_init(r, NULL, path);
    r->error = error;
    r->source = source;
}

/* The bytes of a path a scheduler's line shows: its front is elided past
 * them, as the core's token is, so that the value and what is wrong always
 * fit. Measured escaped: a control character of a key takes four. */
#define SHOWN_PATH_LENGTH 120

/* The bytes `c` takes once escaped (lib/line.h's rule). */
static size_t escaped_width(char c)
{
    char one[8] = {c, '\0'};
    line_escape(one, sizeof one);
    return strlen(one);
}

static void shown_path(const jread *r, char out[SHOWN_PATH_LENGTH + 1])
{
    const char *path = jpath_str(&r->path);
    size_t start = strlen(path), width = 0, total = 0;
    for (size_t i = 0; path[i]; i++)
        total += escaped_width(path[i]);
    if (total > SHOWN_PATH_LENGTH) /* keep whole escapes of the end */
        while (width + escaped_width(path[start - 1]) <= SHOWN_PATH_LENGTH - 3)
            width += escaped_width(path[--start]);
    else
        start = 0;
    snprintf(out, SHOWN_PATH_LENGTH + 1, "%s%s", start ? "..." : "", path + start);
    line_escape(out, SHOWN_PATH_LENGTH + 1);
}

/* The scheduler's line: "<path>: <value>: <what>". */
static int to_sched(const jread *r, int status, const json_t *v, const char *what)
{
    char shown[64] = "", path[SHOWN_PATH_LENGTH + 1];
    char *dump = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    if (dump && strlen(dump) >= sizeof shown)
        snprintf(shown, sizeof shown, "%.56s...", dump);
    else if (dump)
        snprintf(shown, sizeof shown, "%s", dump);
    free(dump);
    shown_path(r, path);
    return sched_error_set(r->err, status, "%s: %s%s%s", path, shown, shown[0] ? ": " : "", what);
}

/* The core's report: the path as token, its front elided when it does not
 * fit (the end names the field). */
static int to_core(const jread *r, int status, const char *what)
{
    char token[HDRF_ERROR_TOKEN_LENGTH];
    const char *path = jpath_str(&r->path);
    size_t len = strlen(path), room = sizeof token - 1;
    if (len <= room)
        memcpy(token, path, len + 1);
    else
        snprintf(token, sizeof token, "...%s", path + len - (room - 3));
    error_named(r->error, r->source ? r->source : "json", token, "%s", what);
    return status;
}

static int vfail(jread *r, int status, const json_t *v, const char *fmt, va_list ap)
{
    char what[SCHED_ERROR_LENGTH];
    vsnprintf(what, sizeof what, fmt, ap);
    return r->error ? to_core(r, status, what) : to_sched(r, status, v, what);
}

int jr_fail(jread *r, const json_t *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = vfail(r, HDRF_EINVAL, v, fmt, ap);
    va_end(ap);
    return status;
}

int jr_fail_status(jread *r, int status, const json_t *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(r, status, v, fmt, ap);
    va_end(ap);
    return status;
}

int jr_no_memory(jread *r) { return jr_fail_status(r, HDRF_ENOMEM, NULL, "out of memory"); }

int jr_fail_nested(jread *r, const hdrf_error *e)
{
    if (strcmp(e->token, "(top)") != 0)
        jpath_raw(&r->path, e->token);
    return jr_fail(r, NULL, "%s", e->text);
}

/* ---- keys ----------------------------------------------------------------- */

int jr_keys(jread *r, const json_t *obj, const char *const *allowed, jr_unknown says)
{
    char list[SCHED_ERROR_LENGTH] = "";
    const char *key = jpath_unknown_key(obj, allowed);
    if (!key)
        return HDRF_OK;
    jpath_field(&r->path, key);
    if (says == JR_UNKNOWN_MEMBER)
        return jr_fail(r, NULL, "unknown member");
    if (says == JR_UNKNOWN_FIELD)
        return jr_fail(r, NULL, "unknown field");
    for (size_t i = 0, len = 0; allowed[i] && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", allowed[i]);
    return jr_fail(r, NULL, "unknown field; allowed: %s", list);
}

int jr_object(jread *r, const json_t *obj, const char *const *allowed, jr_unknown says)
{
    if (!json_is_object(obj))
        return jr_fail(r, obj, "expected an object");
    return jr_keys(r, obj, allowed, says);
}

/* ---- typed getters -------------------------------------------------------- */

const json_t *jr_enter(jread *r, const json_t *obj, const char *name, size_t *mark)
{
    const json_t *v = json_object_get(obj, name);
    *mark = jpath_field(&r->path, name);
    return v && !json_is_null(v) ? v : NULL;
}

int jr_leave(jread *r, size_t mark)
{
    jpath_restore(&r->path, mark);
    return HDRF_OK;
}

int jr_string(jread *r, const json_t *obj, const char *name, bool required, const char **out)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return required ? jr_fail(r, NULL, "missing: expected a string") : jr_leave(r, mark);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return jr_fail(r, v, "expected a non-empty string");
    *out = json_string_value(v);
    return jr_leave(r, mark);
}

int jr_long(jread *r, const json_t *obj, const char *name, long min, long max, long *out)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return jr_leave(r, mark);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return jr_fail(r, v, "expected an integer from %ld to %ld", min, max);
    *out = (long)json_integer_value(v);
    return jr_leave(r, mark);
}

int jr_number(jread *r, const json_t *obj, const char *name, double min, double max, double *out)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return jr_leave(r, mark);
    if (!json_is_number(v) || !(json_number_value(v) >= min && json_number_value(v) <= max))
        return jr_fail(r, v, "expected a number from %g to %g", min, max);
    *out = json_number_value(v);
    return jr_leave(r, mark);
}

int jr_bool(jread *r, const json_t *obj, const char *name, bool *out)
{
    size_t mark;
    const json_t *v = jr_enter(r, obj, name, &mark);
    if (!v)
        return jr_leave(r, mark);
    if (!json_is_boolean(v))
        return jr_fail(r, v, "expected true or false");
    *out = json_is_true(v);
    return jr_leave(r, mark);
}
