/* resources_json.c: the JSON array form of resources (jansson), both ways.
 *
 * A small reader walks each object with the JSON path of where it is, so an
 * error names exactly the value at fault (`[1].reservations[0].role`), the
 * way jansson names a line and column for syntax errors. Every key is
 * checked against the fields of mesos.v1.Resource: a typo is an error, not a
 * silently ignored field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources_json.h"
#include "allocator/resources_internal.h"
#include "allocator/resources_text.h"
#include "lib/error.h"
#include "lib/jpath.h"
#include "lib/sbuf.h"

#define SRC "json"

/* The reader is lib/jpath.h's, reporting into the caller's hdrf_error. */
static int bad(jread *rd, const char *message) { return jr_fail(rd, NULL, "%s", message); }

/* Reads optional string field `key`; *out is a new copy or NULL if absent. */
static int get_string(jread *rd, const json_t *obj, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v)
        return HDRF_OK;
    size_t mark = jpath_field(&rd->path, key);
    int status = HDRF_OK;
    if (!json_is_string(v))
        status = bad(rd, "expected a string");
    else if (!(*out = strdup(json_string_value(v))))
        status = HDRF_ENOMEM;
    jpath_restore(&rd->path, mark);
    return status;
}

/* get_string() into an rstr (rstr.h). */
static int get_rstr(jread *rd, const json_t *obj, const char *key, char **out)
{
    char *plain;
    int status = get_string(rd, obj, key, &plain);
    bool ok = true;
    *out = status == HDRF_OK ? rstr_dup(plain, &ok) : NULL;
    free(plain);
    return ok ? status : HDRF_ENOMEM;
}

/* Reads optional object field `key` into *out (borrowed, NULL if absent). */
static int get_object(jread *rd, const json_t *obj, const char *key, json_t **out,
                      const char *const *allowed)
{
    *out = json_object_get(obj, key);
    if (!*out)
        return HDRF_OK;
    size_t mark = jpath_field(&rd->path, key);
    int status = jr_object(rd, *out, allowed, JR_UNKNOWN_FIELD);
    jpath_restore(&rd->path, mark);
    return status;
}

static int read_labels(jread *rd, const json_t *obj, const char *key, labels *out)
{
    static const char *const fields[] = {"labels", NULL};
    static const char *const label_fields[] = {"key", "value", NULL};
    json_t *l, *array;
    int status = get_object(rd, obj, key, &l, fields);
    if (status != HDRF_OK || !l)
        return status;
    out->present = true;
    size_t mark = jpath_field(&rd->path, key);
    array = json_object_get(l, "labels");
    if (array && !json_is_array(array)) {
        status = bad(rd, "expected .labels to be an array");
        goto out;
    }
    if (array && json_array_size(array) &&
        !(out->v = calloc(json_array_size(array), sizeof *out->v))) {
        status = HDRF_ENOMEM;
        goto out;
    }
    for (size_t i = 0; array && i < json_array_size(array) && status == HDRF_OK; i++) {
        json_t *item = json_array_get(array, i);
        size_t inner = jpath_item(&rd->path, "labels", i);
        if (!json_is_object(item))
            status = bad(rd, "expected an object");
        else if ((status = jr_keys(rd, item, label_fields, JR_UNKNOWN_FIELD)) == HDRF_OK &&
                 (status = get_string(rd, item, "key", &out->v[i].key)) == HDRF_OK) {
            out->n++; /* its key is out's to free from here, whatever follows */
            if ((status = get_string(rd, item, "value", &out->v[i].value)) == HDRF_OK &&
                !out->v[i].key)
                status = bad(rd, "a label needs a key");
        }
        jpath_restore(&rd->path, inner);
    }
out:
    jpath_restore(&rd->path, mark);
    return status;
}

static int read_reservation(jread *rd, const json_t *obj, reservation *res)
{
    static const char *const fields[] = {"type", "role", "principal", "labels", NULL};
    char *type = NULL;
    int status = jr_keys(rd, obj, fields, JR_UNKNOWN_FIELD);
    if (status == HDRF_OK && (status = get_string(rd, obj, "type", &type)) == HDRF_OK &&
        (status = get_string(rd, obj, "role", &res->role)) == HDRF_OK &&
        (status = get_string(rd, obj, "principal", &res->principal)) == HDRF_OK)
        status = read_labels(rd, obj, "labels", &res->labels);
    if (status == HDRF_OK) {
        if (type && strcmp(type, "STATIC") == 0)
            res->type = HDRF_RESERVATION_STATIC;
        else if (type && strcmp(type, "DYNAMIC") == 0)
            res->type = HDRF_RESERVATION_DYNAMIC;
        else
            status = bad(rd, "a reservation needs \"type\": \"STATIC\" or \"DYNAMIC\"");
    }
    if (status == HDRF_OK && !res->role)
        status = bad(rd, "a reservation needs a \"role\"");
    free(type);
    return status;
}

static int read_reservations(jread *rd, const json_t *obj, hdrf_resource *r)
{
    json_t *array = json_object_get(obj, "reservations");
    if (!array)
        return HDRF_OK;
    size_t mark = jpath_field(&rd->path, "reservations");
    int status = HDRF_OK;
    if (!json_is_array(array))
        status = bad(rd, "expected an array");
    else if (json_array_size(array) &&
             !(r->reservations = calloc(json_array_size(array), sizeof *r->reservations)))
        status = HDRF_ENOMEM;
    for (size_t i = 0; status == HDRF_OK && i < json_array_size(array); i++) {
        size_t inner = jpath_index(&rd->path, i);
        json_t *item = json_array_get(array, i);
        r->nreservations++;
        status = json_is_object(item) ? read_reservation(rd, item, &r->reservations[i])
                                      : bad(rd, "expected an object");
        jpath_restore(&rd->path, inner);
    }
    jpath_restore(&rd->path, mark);
    return status;
}

/* Mesos's upgradeResource: `role` (+ `reservation`) becomes one stack entry. */
static int read_legacy_role(jread *rd, const json_t *obj, const char *default_role,
                            hdrf_resource *r)
{
    static const char *const legacy_fields[] = {"principal", "labels", NULL};
    char *role = NULL;
    json_t *legacy;
    reservation res = {HDRF_RESERVATION_STATIC, NULL, NULL, {NULL, 0, false}};
    int status = get_string(rd, obj, "role", &role);
    if (status == HDRF_OK)
        status = get_object(rd, obj, "reservation", &legacy, legacy_fields);
    if (status != HDRF_OK)
        goto out;
    if (r->nreservations > 0) {
        if (role || legacy)
            status = bad(rd, "\"role\" and \"reservation\" cannot be used with \"reservations\"");
        goto out;
    }
    const char *effective = role ? role : default_role;
    if (role && hdrf_role_invalid(role)) {
        status = bad(rd, hdrf_role_invalid(role));
        goto out;
    }
    if (!effective || strcmp(effective, "*") == 0) {
        if (legacy)
            status = bad(rd, "role \"*\" cannot be dynamically reserved");
        goto out;
    }
    if (legacy) {
        size_t mark = jpath_field(&rd->path, "reservation");
        res.type = HDRF_RESERVATION_DYNAMIC;
        if ((status = get_string(rd, legacy, "principal", &res.principal)) == HDRF_OK)
            status = read_labels(rd, legacy, "labels", &res.labels);
        jpath_restore(&rd->path, mark);
        if (status != HDRF_OK)
            goto out;
    }
    if (!(res.role = strdup(effective)) ||
        !(r->reservations = calloc(1, sizeof *r->reservations))) {
        status = HDRF_ENOMEM;
        goto out;
    }
    r->reservations[0] = res;
    r->nreservations = 1;
    res = (reservation){0};
out:
    reservation_free(&res);
    free(role);
    return status;
}

static int read_scalar(jread *rd, const json_t *obj, hdrf_resource *r)
{
    static const char *const fields[] = {"value", NULL};
    json_t *scalar, *value;
    int status = get_object(rd, obj, "scalar", &scalar, fields);
    if (status != HDRF_OK)
        return status;
    if (!scalar || !json_is_number(value = json_object_get(scalar, "value")))
        return bad(rd, "a SCALAR resource needs \"scalar\": {\"value\": <number>}");
    char token[64];
    const char *why = NULL;
    snprintf(token, sizeof token, "%.17g", json_number_value(value));
    if (text_parse_scalar(token, &r->scalar, &why) != HDRF_OK) {
        size_t mark = jpath_field(&rd->path, "scalar.value");
        status = bad(rd, why);
        jpath_restore(&rd->path, mark);
    }
    return status;
}

static int read_ranges(jread *rd, const json_t *obj, hdrf_resource *r)
{
    static const char *const fields[] = {"range", NULL};
    static const char *const range_fields[] = {"begin", "end", NULL};
    json_t *ranges, *array;
    int status = get_object(rd, obj, "ranges", &ranges, fields);
    if (status != HDRF_OK)
        return status;
    array = ranges ? json_object_get(ranges, "range") : NULL;
    if (!ranges || (array && !json_is_array(array)))
        return bad(rd, "a RANGES resource needs \"ranges\": {\"range\": [...]}");
    for (size_t i = 0; status == HDRF_OK && array && i < json_array_size(array); i++) {
        json_t *item = json_array_get(array, i), *b, *e;
        size_t mark = jpath_item(&rd->path, "ranges.range", i);
        if (!json_is_object(item))
            status = bad(rd, "expected an object");
        else if ((status = jr_keys(rd, item, range_fields, JR_UNKNOWN_FIELD)) != HDRF_OK)
            ;
        else if (!json_is_integer(b = json_object_get(item, "begin")) ||
                 !json_is_integer(e = json_object_get(item, "end")) || json_integer_value(b) < 0 ||
                 json_integer_value(e) < 0)
            status = bad(rd, "a range needs non-negative integers \"begin\" and \"end\"");
        else {
            const char *why = NULL;
            status = resource_append_range(r, (uint64_t)json_integer_value(b),
                                           (uint64_t)json_integer_value(e), &why);
            if (why)
                status = bad(rd, why);
        }
        jpath_restore(&rd->path, mark);
    }
    rangelist_normalize(&r->ranges);
    return status;
}

static int read_set(jread *rd, const json_t *obj, hdrf_resource *r)
{
    static const char *const fields[] = {"item", NULL};
    json_t *set, *array;
    int status = get_object(rd, obj, "set", &set, fields);
    if (status != HDRF_OK)
        return status;
    array = set ? json_object_get(set, "item") : NULL;
    if (!set || (array && !json_is_array(array)))
        return bad(rd, "a SET resource needs \"set\": {\"item\": [...]}");
    for (size_t i = 0; status == HDRF_OK && array && i < json_array_size(array); i++) {
        json_t *item = json_array_get(array, i);
        size_t mark = jpath_item(&rd->path, "set.item", i);
        if (!json_is_string(item))
            status = bad(rd, "expected a string");
        else {
            const char *why = NULL;
            status = resource_insert_item(r, json_string_value(item), &why);
            if (why)
                status = bad(rd, why);
        }
        jpath_restore(&rd->path, mark);
    }
    return status;
}

static int read_source(jread *rd, const json_t *source, disk_info *d)
{
    static const char *const dir_fields[] = {"root", NULL};
    static const char *const names[] = {"PATH", "MOUNT", "BLOCK", "RAW"};
    char *type = NULL;
    json_t *path, *mount;
    int status = get_string(rd, source, "type", &type);
    for (int i = 0; status == HDRF_OK && type && i < 4; i++)
        if (strcmp(type, names[i]) == 0)
            d->source_type = (hdrf_disk_source_type)(i + 1);
    if (status == HDRF_OK && d->source_type == HDRF_DISK_SOURCE_NONE)
        status = bad(rd, "a disk source needs \"type\": PATH, MOUNT, BLOCK or RAW");
    free(type);
    if (status != HDRF_OK ||
        (status = get_object(rd, source, "path", &path, dir_fields)) != HDRF_OK ||
        (status = get_object(rd, source, "mount", &mount, dir_fields)) != HDRF_OK)
        return status;
    json_t *dir = d->source_type == HDRF_DISK_SOURCE_PATH    ? path
                  : d->source_type == HDRF_DISK_SOURCE_MOUNT ? mount
                                                             : NULL;
    if ((path && path != dir) || (mount && mount != dir))
        return bad(rd, "\"path\" goes with PATH sources and \"mount\" with MOUNT sources");
    d->source_has_dir = dir != NULL;
    if (dir && (status = get_string(rd, dir, "root", &d->source_root)) != HDRF_OK)
        return status;
    if ((status = get_string(rd, source, "vendor", &d->source_vendor)) != HDRF_OK ||
        (status = get_string(rd, source, "id", &d->source_id)) != HDRF_OK ||
        (status = get_string(rd, source, "profile", &d->source_profile)) != HDRF_OK)
        return status;
    return read_labels(rd, source, "metadata", &d->source_metadata);
}

static int read_disk(jread *rd, const json_t *obj, hdrf_resource *r)
{
    static const char *const fields[] = {"persistence", "volume", "source", NULL};
    static const char *const persistence_fields[] = {"id", "principal", NULL};
    static const char *const volume_fields[] = {"container_path", "host_path", "mode", NULL};
    static const char *const source_fields[] = {"type", "path",     "mount",   "vendor",
                                                "id",   "metadata", "profile", NULL};
    json_t *disk, *persistence, *volume, *source;
    int status = get_object(rd, obj, "disk", &disk, fields);
    if (status != HDRF_OK || !disk)
        return status;
    if (!(r->disk = calloc(1, sizeof *r->disk)))
        return HDRF_ENOMEM;
    disk_info *d = r->disk;
    size_t mark = jpath_field(&rd->path, "disk");
    if ((status = get_object(rd, disk, "persistence", &persistence, persistence_fields)) ||
        (status = get_object(rd, disk, "volume", &volume, volume_fields)) ||
        (status = get_object(rd, disk, "source", &source, source_fields)))
        goto out;
    if (persistence) {
        d->has_persistence = true;
        if ((status = get_string(rd, persistence, "id", &d->persistence_id)) ||
            (status = get_string(rd, persistence, "principal", &d->persistence_principal)))
            goto out;
    }
    if (volume) {
        char *mode = NULL;
        d->has_volume = true;
        if ((status = get_string(rd, volume, "container_path", &d->volume_container_path)) ||
            (status = get_string(rd, volume, "host_path", &d->volume_host_path)) ||
            (status = get_string(rd, volume, "mode", &mode)))
            goto out;
        d->volume_mode = !mode ? 0 : strcmp(mode, "RW") == 0 ? 1 : strcmp(mode, "RO") == 0 ? 2 : -1;
        free(mode);
        if (d->volume_mode <= 0 || !d->volume_container_path) {
            status = bad(rd, "a volume needs \"container_path\" and a mode of RW or RO");
            goto out;
        }
    }
    if (source) {
        size_t inner = jpath_field(&rd->path, "source");
        status = read_source(rd, source, d);
        jpath_restore(&rd->path, inner);
    }
out:
    jpath_restore(&rd->path, mark);
    return status;
}

static int read_resource(jread *rd, const json_t *obj, const char *default_role, hdrf_resource *r)
{
    static const char *const fields[] = {
        "name",        "type",      "scalar",      "ranges",
        "set",         "role",      "reservation", "reservations",
        "disk",        "revocable", "shared",      "allocation_info",
        "provider_id", NULL};
    static const char *const none[] = {NULL};
    static const char *const role_fields[] = {"role", NULL};
    static const char *const id_fields[] = {"value", NULL};
    char *type = NULL;
    json_t *revocable, *shared, *allocation, *provider;
    int status = jr_keys(rd, obj, fields, JR_UNKNOWN_FIELD);
    if (status || (status = get_rstr(rd, obj, "name", &r->name)) ||
        (status = get_string(rd, obj, "type", &type)))
        goto out;
    if (!r->name || !r->name[0]) {
        status = bad(rd, "a resource needs a non-empty \"name\"");
        goto out;
    }
    if (type && strcmp(type, "SCALAR") == 0)
        r->type = HDRF_SCALAR, status = read_scalar(rd, obj, r);
    else if (type && strcmp(type, "RANGES") == 0)
        r->type = HDRF_RANGES, status = read_ranges(rd, obj, r);
    else if (type && strcmp(type, "SET") == 0)
        r->type = HDRF_SET, status = read_set(rd, obj, r);
    else
        status = bad(rd, "\"type\" must be SCALAR, RANGES or SET");
    if (status || (status = read_reservations(rd, obj, r)) ||
        (status = read_legacy_role(rd, obj, default_role, r)) || (status = read_disk(rd, obj, r)) ||
        (status = get_object(rd, obj, "revocable", &revocable, none)) ||
        (status = get_object(rd, obj, "shared", &shared, none)) ||
        (status = get_object(rd, obj, "allocation_info", &allocation, role_fields)) ||
        (status = get_object(rd, obj, "provider_id", &provider, id_fields)))
        goto out;
    r->revocable = revocable != NULL;
    r->shared = shared != NULL;
    r->shared_count = r->shared;
    if (allocation) {
        size_t mark = jpath_field(&rd->path, "allocation_info");
        status = get_rstr(rd, allocation, "role", &r->allocation_role);
        jpath_restore(&rd->path, mark);
    }
    if (status == HDRF_OK && provider) {
        size_t mark = jpath_field(&rd->path, "provider_id");
        status = get_string(rd, provider, "value", &r->provider_id);
        if (status == HDRF_OK && !r->provider_id)
            status = bad(rd, "a provider id needs a \"value\"");
        jpath_restore(&rd->path, mark);
    }
    if (status == HDRF_OK) {
        char where[64];
        const char *why = resource_check(r, where, sizeof where);
        if (why) {
            size_t mark = jpath_raw(&rd->path, where);
            status = bad(rd, why);
            jpath_restore(&rd->path, mark);
        }
    }
out:
    free(type);
    return status;
}

static int read_array(const void *input, const char *default_role, hdrf_resources *out,
                      hdrf_error *error)
{
    const json_t *json = input;
    jread rd;
    jr_init_core(&rd, error, SRC, NULL);
    if (!json_is_array(json))
        return bad(&rd, "expected a JSON array of resources");
    for (size_t i = 0; i < json_array_size(json); i++) {
        hdrf_resource r = {0};
        json_t *item = json_array_get(json, i);
        int status;
        jpath_index(&rd.path, i);
        status = json_is_object(item) ? read_resource(&rd, item, default_role, &r)
                                      : bad(&rd, "expected an object");
        jpath_restore(&rd.path, 0);
        if (status != HDRF_OK) {
            resource_free(&r);
            return status;
        }
        if ((status = resources_add_owned(out, &r)) != HDRF_OK)
            return status;
    }
    return HDRF_OK;
}

int json_parse_resources_text(const char *text, const char *default_role, hdrf_resources *out,
                              hdrf_error *error)
{
    json_error_t jerr = {0};
    json_t *json = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!json && jpath_load_out_of_memory(&jerr))
        return HDRF_ENOMEM; /* not the input's fault */
    if (!json) {
        int status = error_at(error, SRC, text, (size_t)jerr.position, 1, "%s", jerr.text);
        if (error) {
            error->line = jerr.line;
            error->column = jerr.column;
        }
        return status;
    }
    int status = read_array(json, default_role, out, error);
    json_decref(json);
    return status;
}

int hdrf_resources_from_json(const json_t *json, const char *default_role, hdrf_resources **out,
                             hdrf_error *error)
{
    return resources_read_new(read_array, json, default_role, out, error);
}

/* ---- writing ------------------------------------------------------------- */

/* json_object_set_new that remembers a failure instead of returning it. */
static void put(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static void put_string(json_t *obj, const char *key, const char *s, bool *ok)
{
    if (s)
        put(obj, key, json_string(s), ok);
}

static json_t *write_labels(const labels *l, bool *ok)
{
    json_t *array = json_array(), *obj = json_object();
    for (size_t i = 0; array && i < l->n; i++) {
        json_t *item = json_object();
        put_string(item, "key", l->v[i].key, ok);
        put_string(item, "value", l->v[i].value, ok);
        if (!item || json_array_append_new(array, item) != 0)
            *ok = false;
    }
    put(obj, "labels", array, ok);
    return obj;
}

static json_t *write_disk(const disk_info *d, bool *ok)
{
    json_t *disk = json_object();
    if (d->has_persistence) {
        json_t *p = json_object();
        put_string(p, "id", d->persistence_id, ok);
        put_string(p, "principal", d->persistence_principal, ok);
        put(disk, "persistence", p, ok);
    }
    if (d->has_volume) {
        json_t *v = json_object();
        put_string(v, "container_path", d->volume_container_path, ok);
        put_string(v, "host_path", d->volume_host_path, ok);
        if (d->volume_mode)
            put_string(v, "mode", d->volume_mode == 1 ? "RW" : "RO", ok);
        put(disk, "volume", v, ok);
    }
    if (d->source_type != HDRF_DISK_SOURCE_NONE) {
        static const char *const names[] = {"", "PATH", "MOUNT", "BLOCK", "RAW"};
        json_t *s = json_object();
        put_string(s, "type", names[d->source_type], ok);
        if (d->source_has_dir) {
            json_t *dir = json_object();
            put_string(dir, "root", d->source_root, ok);
            put(s, d->source_type == HDRF_DISK_SOURCE_PATH ? "path" : "mount", dir, ok);
        }
        put_string(s, "vendor", d->source_vendor, ok);
        put_string(s, "id", d->source_id, ok);
        put_string(s, "profile", d->source_profile, ok);
        if (d->source_metadata.present)
            put(s, "metadata", write_labels(&d->source_metadata, ok), ok);
        put(disk, "source", s, ok);
    }
    return disk;
}

static json_t *write_value(const hdrf_resource *r, bool *ok)
{
    json_t *value = json_object(), *items = json_array();
    switch (r->type) {
    case HDRF_SCALAR:
        json_decref(items);
        put(value, "value",
            r->scalar % HDRF_MILLI == 0 ? json_integer(r->scalar / HDRF_MILLI)
                                        : json_real((double)r->scalar / 1000.0),
            ok);
        return value;
    case HDRF_RANGES:
        for (size_t i = 0; i < r->ranges.n; i++) {
            json_t *range = json_object();
            put(range, "begin", json_integer((json_int_t)r->ranges.v[i].begin), ok);
            put(range, "end", json_integer((json_int_t)r->ranges.v[i].end), ok);
            if (!range || json_array_append_new(items, range) != 0)
                *ok = false;
        }
        put(value, "range", items, ok);
        return value;
    case HDRF_SET:
        for (size_t i = 0; i < r->set.n; i++)
            if (json_array_append_new(items, json_string(r->set.v[i])) != 0)
                *ok = false;
        put(value, "item", items, ok);
        return value;
    }
    return value;
}

static json_t *write_resource(const hdrf_resource *r, bool *ok)
{
    static const char *const types[] = {"SCALAR", "RANGES", "SET"};
    static const char *const keys[] = {"scalar", "ranges", "set"};
    json_t *obj = json_object();
    put_string(obj, "name", r->name, ok);
    put_string(obj, "type", types[r->type], ok);
    put(obj, keys[r->type], write_value(r, ok), ok);
    if (r->nreservations) {
        json_t *stack = json_array();
        for (size_t i = 0; i < r->nreservations; i++) {
            const reservation *res = &r->reservations[i];
            json_t *item = json_object();
            put_string(item, "type", res->type == HDRF_RESERVATION_STATIC ? "STATIC" : "DYNAMIC",
                       ok);
            put_string(item, "role", res->role, ok);
            put_string(item, "principal", res->principal, ok);
            if (res->labels.present)
                put(item, "labels", write_labels(&res->labels, ok), ok);
            if (!item || json_array_append_new(stack, item) != 0)
                *ok = false;
        }
        put(obj, "reservations", stack, ok);
    }
    if (r->allocation_role) {
        json_t *allocation = json_object();
        put_string(allocation, "role", r->allocation_role, ok);
        put(obj, "allocation_info", allocation, ok);
    }
    if (r->disk)
        put(obj, "disk", write_disk(r->disk, ok), ok);
    if (r->revocable)
        put(obj, "revocable", json_object(), ok);
    if (r->shared)
        put(obj, "shared", json_object(), ok);
    if (r->provider_id) {
        json_t *provider = json_object();
        put_string(provider, "value", r->provider_id, ok);
        put(obj, "provider_id", provider, ok);
    }
    return obj;
}

json_t *hdrf_resources_to_json(const hdrf_resources *rs)
{
    bool ok = true;
    json_t *array = json_array();
    if (!array)
        return NULL;
    for (size_t i = 0; i < rs->n; i++) {
        /* A shared resource held k times is written k times. */
        int64_t copies = rs->v[i].shared ? rs->v[i].shared_count : 1;
        for (int64_t k = 0; k < copies; k++)
            if (json_array_append_new(array, write_resource(&rs->v[i], &ok)) != 0)
                ok = false;
    }
    if (!ok) {
        json_decref(array);
        return NULL;
    }
    return array;
}

char *hdrf_resources_format_json(const hdrf_resources *rs)
{
    json_t *json = hdrf_resources_to_json(rs);
    char *text = json ? json_dumps(json, JSON_COMPACT | JSON_REAL_PRECISION(16)) : NULL;
    json_decref(json);
    return text;
}
