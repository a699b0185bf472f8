/* jpath.c: JSON paths for error messages (see jpath.h). */
#include "lib/jpath.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int jpath_fail(const jpath *p, sched_error *err, int status, const json_t *value, const char *fmt,
               ...)
{
    char shown[64] = "", what[SCHED_ERROR_LENGTH];
    char *dump = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    va_list ap;
    if (dump && strlen(dump) >= sizeof shown)
        snprintf(shown, sizeof shown, "%.56s...", dump);
    else if (dump)
        snprintf(shown, sizeof shown, "%s", dump);
    free(dump);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sched_error_set(err, status, "%s: %s%s%s", jpath_str(p), shown, shown[0] ? ": " : "",
                           what);
}

const char *jpath_unknown_key(const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)obj, key, value) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a)
            return key;
    }
    return NULL;
}
