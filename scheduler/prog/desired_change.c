/* desired_change.c: the operator commands' changes to a desired
 * application (see desired_change.h). */
#include "scheduler/prog/desired_change.h"

#include <stdio.h>

#include "scheduler/prog/desired.h"

static const json_t *current_app(const json_t *current, const char *id, sched_error *err)
{
    desired_app d;
    if (!current) {
        sched_error_set(err, HDRF_ENOTFOUND, "%s: no such application", id);
        return NULL;
    }
    if (desired_read(current, &d, err) != HDRF_OK)
        return NULL;
    if (d.deleted) {
        sched_error_set(err, HDRF_EEXIST, "%s: being deleted", id);
        return NULL;
    }
    return d.app;
}

json_t *desired_change_submit(const char *id, const json_t *current, const void *arg, char *said,
                              size_t size, sched_error *err)
{
    const json_t *app = arg;
    const json_t *instances = json_object_get(app, "instances");
    desired_app d = {0};
    if (current && desired_read(current, &d, err) != HDRF_OK)
        return NULL;
    if (current && d.deleted) {
        sched_error_set(err, HDRF_EEXIST,
                        "%s: being deleted; submit it again once `status %s` shows it gone", id,
                        id);
        return NULL;
    }
    snprintf(said, size, "%s: %s, %" JSON_INTEGER_FORMAT " instance(s)", id,
             !current                 ? "submitted"
             : json_equal(d.app, app) ? "unchanged"
                                      : "updated",
             instances ? json_integer_value(instances) : 1);
    return desired_make(app, false, false);
}

json_t *desired_change_scale(const char *id, const json_t *current, const void *arg, char *said,
                             size_t size, sched_error *err)
{
    const long *n = arg;
    const json_t *app = current_app(current, id, err);
    json_t *copy = app ? json_deep_copy(app) : NULL, *doc = NULL;
    const json_t *was = app ? json_object_get(app, "instances") : NULL;
    if (copy && json_object_set_new(copy, "instances", json_integer(*n)) == 0)
        doc = desired_make(copy, false, false);
    if (app && !doc)
        sched_error_set(err, HDRF_ENOMEM, "out of memory");
    if (doc)
        snprintf(said, size, "%s: scaled from %" JSON_INTEGER_FORMAT " to %ld instance(s)", id,
                 was ? json_integer_value(was) : 1, *n);
    json_decref(copy);
    return doc;
}

json_t *desired_change_delete(const char *id, const json_t *current, const void *arg, char *said,
                              size_t size, sched_error *err)
{
    const bool *force = arg;
    desired_app d;
    json_t *doc;
    if (!current) {
        sched_error_set(err, HDRF_ENOTFOUND, "%s: no such application", id);
        return NULL;
    }
    if (desired_read(current, &d, err) != HDRF_OK)
        return NULL;
    if (!(doc = desired_make(d.app, true, *force || d.force)))
        sched_error_set(err, HDRF_ENOMEM, "out of memory");
    else
        snprintf(said, size, "%s: deleting%s", d.id,
                 *force || d.force ? " (forced: forgotten at once)" : " (its tasks are killed)");
    return doc;
}
