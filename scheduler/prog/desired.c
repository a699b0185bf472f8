/* desired.c: ZooKeeper layout and desired application documents (see desired.h). */
#include "scheduler/prog/desired.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apps/app.h"

void desired_paths_make(const char *root, desired_paths *out)
{
    snprintf(out->desired, sizeof out->desired, "%s/desired", root);
    snprintf(out->state, sizeof out->state, "%s/state", root);
    snprintf(out->leader, sizeof out->leader, "%s/leader", root);
}

int desired_read(const json_t *doc, desired_app *out, sched_error *err)
{
    const json_t *app = json_object_get(doc, "app"), *id = json_object_get(app, "id"),
                 *instances = json_object_get(app, "instances"),
                 *deleted = json_object_get(doc, "deleted"), *force = json_object_get(doc, "force");
    if (!json_is_object(app) || !json_is_string(id))
        return sched_error_set(err, HDRF_EINVAL, "desired app: expected {\"app\": {\"id\": ...}}");
    if (instances && !json_is_integer(instances))
        return sched_error_set(err, HDRF_EINVAL, "desired app %s: app.instances: not an integer",
                               json_string_value(id));
    if ((deleted && !json_is_boolean(deleted)) || (force && !json_is_boolean(force)))
        return sched_error_set(err, HDRF_EINVAL,
                               "desired app %s: deleted and force must be true or false",
                               json_string_value(id));
    out->id = json_string_value(id);
    out->app = app;
    out->instances = instances ? (long)json_integer_value(instances) : 1;
    out->deleted = json_is_true(deleted);
    out->force = json_is_true(force);
    return HDRF_OK;
}

json_t *desired_make(const json_t *app, bool deleted, bool force)
{
    json_t *copy = json_deep_copy(app);
    json_t *doc =
        copy ? json_pack("{s:o, s:b, s:b}", "app", copy, "deleted", deleted, "force", force) : NULL;
    return doc;
}

int desired_check_app(const json_t *json, const char *path, sched_error *err)
{
    app a;
    int rc = app_parse(json, path, &a, err);
    if (rc == HDRF_OK)
        app_free(&a);
    return rc;
}

/* The file's JSON, or NULL with the reason in plain words: a file that is
 * missing, a directory or unreadable is said so, not as a JSON error at
 * line -1. */
static json_t *read_json_file(const char *file, sched_error *err)
{
    json_error_t jerr;
    struct stat st;
    FILE *f = fopen(file, "r");
    json_t *doc = NULL;
    if (!f && errno == ENOENT)
        sched_error_set(err, HDRF_ENOTFOUND, "%s: no such file", file);
    else if (!f)
        sched_error_set(err, HDRF_EINVAL, "%s: cannot be read: %s", file, strerror(errno));
    else if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
        sched_error_set(err, HDRF_EINVAL, "%s: a directory, not an application file", file);
    else if (!(doc = json_loadf(f, 0, &jerr)))
        sched_error_set(err, HDRF_EINVAL, "%s: line %d, column %d: %s", file, jerr.line,
                        jerr.column, jerr.text);
    if (f)
        fclose(f);
    return doc;
}

int desired_apps_from_json(const json_t *doc, json_t **apps, sched_error *err)
{
    const json_t *listed = json_object_get(doc, "apps");
    int rc = HDRF_OK;
    *apps = NULL;
    if (json_is_array(listed))
        *apps = json_incref((json_t *)listed);
    else if (json_is_object(doc) && json_object_get(doc, "id"))
        *apps = json_pack("[O]", doc);
    else
        return sched_error_set(err, HDRF_EINVAL,
                               "expected an application {\"id\": ...} or {\"apps\": [...]}");
    for (size_t i = 0; rc == HDRF_OK && i < json_array_size(*apps); i++) {
        const json_t *app = json_array_get(*apps, i);
        char path[32];
        snprintf(path, sizeof path, "apps[%zu]", i);
        rc = desired_check_app(app, json_is_array(listed) ? path : "", err);
        for (size_t j = 0; rc == HDRF_OK && j < i; j++)
            if (json_equal(json_object_get(app, "id"),
                           json_object_get(json_array_get(*apps, j), "id")))
                rc = sched_error_set(err, HDRF_EINVAL, "%s.id: \"%s\" given twice", path,
                                     json_string_value(json_object_get(app, "id")));
    }
    if (rc != HDRF_OK) {
        json_decref(*apps);
        *apps = NULL;
    }
    return rc;
}

int desired_load_apps(const char *file, json_t **apps, sched_error *err)
{
    json_t *doc = read_json_file(file, err);
    int rc = doc ? desired_apps_from_json(doc, apps, err) : (err ? err->status : HDRF_EINVAL);
    *apps = rc == HDRF_OK ? *apps : NULL;
    if (doc && rc != HDRF_OK)
        sched_error_wrap(err, rc, "%s", file);
    json_decref(doc);
    return rc;
}
