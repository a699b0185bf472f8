/* pbjson.c: the descriptor-driven JSON <-> protobuf-c converter (see
 * pbjson.h).
 *
 * protobuf-c describes every message with a ProtobufCMessageDescriptor: for
 * each field its name, label, type, the offset of its member in the C struct
 * and of its quantifier (the `has_` flag, the element count of a repeated
 * field, the case of a oneof). Both directions walk those descriptors and
 * read or write members through the offsets, so no message needs code of
 * its own. Decoded messages are built exactly as protobuf_c_message_unpack
 * builds them (malloc'd members, counts always matching initialised
 * elements), so protobuf_c_message_free_unpacked frees a finished message
 * and a half-built one alike: that is the single cleanup path on failure. */
#include "scheduler/pbjson.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/base64.h"
#include "lib/jpath.h"

/* read_value()'s "leave this field out": an enum name we do not know. */
#define SKIP 1

/* Where in the document we are, and where a failure is reported: the
 * reader of lib/jpath.h. */
typedef jread walk;

#define MEMBER(msg, offset) ((char *)(msg) + (offset))
#define CMEMBER(msg, offset) ((const char *)(msg) + (offset))

/* ---- paths and errors -------------------------------------------------------- */

static size_t path_field(walk *w, const char *name) { return jpath_field(&w->path, name); }
static size_t path_index(walk *w, size_t i) { return jpath_index(&w->path, i); }
static size_t path_key(walk *w, const char *key) { return jpath_key(&w->path, key); }
static void path_restore(walk *w, size_t len) { jpath_restore(&w->path, len); }

static int fail(walk *w, const json_t *value, const char *what)
{
    return jr_fail(w, value, "%s", what);
}

static int out_of_memory(walk *w) { return jr_no_memory(w); }

/* protoc compiles `map<string, V> f` into `repeated FEntry f` where FEntry
 * has `key = 1` and `value = 2`; protobuf-c keeps no flag for it, so the
 * entry's shape identifies it. Maps are JSON objects keyed by the key, as
 * in Mesos's and proto3's JSON (TaskInfo.limits: {"cpus": {"value": 2}}). */
static bool is_string_map(const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *entry = f->descriptor;
    size_t len;
    if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE ||
        entry->n_fields != 2)
        return false;
    len = strlen(entry->short_name);
    return len > 5 && strcmp(entry->short_name + len - 5, "Entry") == 0 &&
           entry->fields[0].id == 1 && strcmp(entry->fields[0].name, "key") == 0 &&
           entry->fields[0].type == PROTOBUF_C_TYPE_STRING && entry->fields[1].id == 2 &&
           strcmp(entry->fields[1].name, "value") == 0;
}

/* ---- JSON -> protobuf-c: scalars ---------------------------------------------- */

/* The size of one element of a repeated field of type t. */
static size_t slot_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return sizeof(uint32_t);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return sizeof(uint64_t);
    case PROTOBUF_C_TYPE_FLOAT:
        return sizeof(float);
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_ENUM:
        return sizeof(int);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    }
    return sizeof(uint64_t);
}

/* Reads an integer given as a JSON integer, an integral real or a decimal
 * string, as a sign and a magnitude. Returns false when it is none. */
static bool integer_parts(const json_t *v, bool *negative, uint64_t *magnitude)
{
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        *negative = x < 0;
        *magnitude = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || d != trunc(d) || fabs(d) >= 18446744073709551616.0)
            return false;
        *negative = d < 0;
        *magnitude = (uint64_t)fabs(d);
        return true;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        uint64_t m = 0;
        *negative = *s == '-';
        s += *negative;
        if (!*s || json_string_length(v) != strlen(json_string_value(v)))
            return false;
        for (; *s; s++) {
            if (*s < '0' || *s > '9' || m > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
                return false;
            m = m * 10 + (uint64_t)(*s - '0');
        }
        *magnitude = m;
        return true;
    }
    return false;
}

static int read_signed(walk *w, const json_t *v, int64_t min, int64_t max, int64_t *out)
{
    char what[96];
    bool negative;
    uint64_t m;
    if (integer_parts(v, &negative, &m)) {
        if (!negative && m <= (uint64_t)max) {
            *out = (int64_t)m;
            return HDRF_OK;
        }
        if (negative && m <= (uint64_t)0 - (uint64_t)min) {
            *out = m == (uint64_t)0 - (uint64_t)INT64_MIN ? INT64_MIN : -(int64_t)m;
            return HDRF_OK;
        }
    }
    snprintf(what, sizeof what, "expected an integer from %" PRId64 " to %" PRId64, min, max);
    return fail(w, v, what);
}

static int read_unsigned(walk *w, const json_t *v, uint64_t max, uint64_t *out)
{
    char what[96];
    bool negative;
    uint64_t m;
    if (integer_parts(v, &negative, &m) && (!negative || m == 0) && m <= max) {
        *out = m;
        return HDRF_OK;
    }
    snprintf(what, sizeof what, "expected an integer from 0 to %" PRIu64, max);
    return fail(w, v, what);
}

static int read_number(walk *w, const json_t *v, double *out)
{
    if (!json_is_number(v))
        return fail(w, v, "expected a number");
    *out = json_number_value(v);
    return HDRF_OK;
}

/* An enum by name. An unknown name is SKIP, unless the field is required. */
static int read_enum(walk *w, const ProtobufCFieldDescriptor *f, const json_t *v, int *out)
{
    const ProtobufCEnumDescriptor *ed = f->descriptor;
    const ProtobufCEnumValue *ev;
    char what[SCHED_ERROR_LENGTH];
    size_t len;
    if (json_is_string(v) &&
        (ev = protobuf_c_enum_descriptor_get_value_by_name(ed, json_string_value(v)))) {
        *out = ev->value;
        return HDRF_OK;
    }
    if (json_is_string(v) && f->label != PROTOBUF_C_LABEL_REQUIRED)
        return SKIP;
    len = (size_t)snprintf(what, sizeof what, "expected a name of %s:", ed->name);
    for (unsigned i = 0; i < ed->n_values && len < sizeof what; i++)
        len += (size_t)snprintf(what + len, sizeof what - len, " %s", ed->values[i].name);
    return fail(w, v, what);
}

static int read_string(walk *w, const json_t *v, char **out)
{
    if (!json_is_string(v))
        return fail(w, v, "expected a string");
    if (json_string_length(v) != strlen(json_string_value(v)))
        return fail(w, v, "a string must not contain NUL characters");
    *out = strdup(json_string_value(v));
    return *out ? HDRF_OK : out_of_memory(w);
}

static int read_bytes(walk *w, const json_t *v, ProtobufCBinaryData *out)
{
    char what[96];
    size_t bad = 0;
    int status;
    if (!json_is_string(v))
        return fail(w, v, "expected a base64 string");
    status =
        base64_decode(json_string_value(v), json_string_length(v), &out->data, &out->len, &bad);
    if (status == HDRF_ENOMEM)
        return out_of_memory(w);
    if (status != HDRF_OK) {
        snprintf(what, sizeof what, "not base64 (at character %zu)", bad);
        return fail(w, v, what);
    }
    return HDRF_OK;
}

static int read_message(walk *w, const ProtobufCMessageDescriptor *d, const json_t *obj,
                        ProtobufCMessage **out);

/* Reads one value of field f (one element, for a repeated field) into the
 * member or array slot `slot`. Returns HDRF_OK, SKIP, or a failure. */
static int read_value(walk *w, const ProtobufCFieldDescriptor *f, const json_t *v, void *slot)
{
    int64_t s;
    uint64_t u;
    double d = 0;
    int status;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if ((status = read_signed(w, v, INT32_MIN, INT32_MAX, &s)) == HDRF_OK)
            *(int32_t *)slot = (int32_t)s;
        return status;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if ((status = read_unsigned(w, v, UINT32_MAX, &u)) == HDRF_OK)
            *(uint32_t *)slot = (uint32_t)u;
        return status;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return read_signed(w, v, INT64_MIN, INT64_MAX, (int64_t *)slot);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return read_unsigned(w, v, UINT64_MAX, (uint64_t *)slot);
    case PROTOBUF_C_TYPE_FLOAT:
        if ((status = read_number(w, v, &d)) == HDRF_OK)
            *(float *)slot = (float)d;
        return status;
    case PROTOBUF_C_TYPE_DOUBLE:
        return read_number(w, v, (double *)slot);
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v))
            return fail(w, v, "expected true or false");
        *(protobuf_c_boolean *)slot = json_is_true(v);
        return HDRF_OK;
    case PROTOBUF_C_TYPE_ENUM:
        return read_enum(w, f, v, (int *)slot);
    case PROTOBUF_C_TYPE_STRING:
        return read_string(w, v, (char **)slot);
    case PROTOBUF_C_TYPE_BYTES:
        return read_bytes(w, v, (ProtobufCBinaryData *)slot);
    case PROTOBUF_C_TYPE_MESSAGE:
        return read_message(w, f->descriptor, v, (ProtobufCMessage **)slot);
    }
    return fail(w, v, "a field type this converter does not know");
}

/* ---- JSON -> protobuf-c: fields and messages ----------------------------------- */

static int read_field(walk *w, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                      const json_t *v);

/* One "key": value pair of a map, as a new entry message in *out. */
static int read_map_entry(walk *w, const ProtobufCMessageDescriptor *d, const char *key,
                          const json_t *v, ProtobufCMessage **out)
{
    ProtobufCMessage *entry = malloc(d->sizeof_message);
    char **key_member;
    int status = HDRF_OK;
    *out = NULL;
    if (!entry)
        return out_of_memory(w);
    protobuf_c_message_init(d, entry);
    key_member = (char **)MEMBER(entry, d->fields[0].offset);
    if (!(*key_member = strdup(key)))
        status = out_of_memory(w);
    else if (!json_is_null(v))
        status = read_field(w, entry, &d->fields[1], v);
    if (status != HDRF_OK) {
        protobuf_c_message_free_unpacked(entry, NULL);
        return status;
    }
    *out = entry;
    return HDRF_OK;
}

static int read_map(walk *w, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                    const json_t *v)
{
    size_t *count = (size_t *)MEMBER(msg, f->quantifier_offset);
    ProtobufCMessage ***array = (ProtobufCMessage ***)MEMBER(msg, f->offset);
    const char *key;
    json_t *item;
    int status = HDRF_OK;
    if (json_object_size(v) == 0)
        return HDRF_OK;
    if (!(*array = calloc(json_object_size(v), sizeof **array)))
        return out_of_memory(w);
    json_object_foreach((json_t *)v, key, item)
    {
        size_t mark = path_key(w, key);
        if ((status = read_map_entry(w, f->descriptor, key, item, &(*array)[*count])) != HDRF_OK)
            break;
        (*count)++;
        path_restore(w, mark);
    }
    return status;
}

static int read_repeated(walk *w, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                         const json_t *v)
{
    size_t *count = (size_t *)MEMBER(msg, f->quantifier_offset);
    void **array = (void **)MEMBER(msg, f->offset);
    size_t size = slot_size(f->type), n;
    int status = HDRF_OK;
    if (is_string_map(f) && json_is_object(v))
        return read_map(w, msg, f, v);
    if (!json_is_array(v))
        return fail(w, v, is_string_map(f) ? "expected an object (a map)" : "expected an array");
    if ((n = json_array_size(v)) == 0)
        return HDRF_OK;
    if (!(*array = calloc(n, size)))
        return out_of_memory(w);
    for (size_t i = 0; i < n && status == HDRF_OK; i++) {
        const json_t *item = json_array_get(v, i);
        size_t mark = path_index(w, i);
        if (!json_is_null(item)) /* Mesos reads null as "absent" */
            status = read_value(w, f, item, (char *)*array + *count * size);
        if (status == HDRF_OK && !json_is_null(item))
            (*count)++;
        if (status == SKIP)
            status = HDRF_OK;
        path_restore(w, mark);
    }
    return status;
}

static int read_field(walk *w, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                      const json_t *v)
{
    uint32_t *oneof_case = (uint32_t *)MEMBER(msg, f->quantifier_offset);
    int status;
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return read_repeated(w, msg, f, v);
    if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && *oneof_case != 0 && *oneof_case != f->id)
        return fail(w, NULL, "a second member of a oneof: only one may be set");
    status = read_value(w, f, v, MEMBER(msg, f->offset));
    if (status == SKIP)
        return HDRF_OK;
    if (status != HDRF_OK)
        return status;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *oneof_case = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
             f->type != PROTOBUF_C_TYPE_MESSAGE)
        *(protobuf_c_boolean *)MEMBER(msg, f->quantifier_offset) = 1;
    return HDRF_OK;
}

/* Every required field of d must be in obj (and not null). */
static int check_required(walk *w, const ProtobufCMessageDescriptor *d, const json_t *obj)
{
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const json_t *v = json_object_get(obj, f->name);
        if (f->label == PROTOBUF_C_LABEL_REQUIRED && (!v || json_is_null(v))) {
            path_field(w, f->name);
            return fail(w, NULL, "missing, and required");
        }
    }
    return HDRF_OK;
}

static int read_message(walk *w, const ProtobufCMessageDescriptor *d, const json_t *obj,
                        ProtobufCMessage **out)
{
    ProtobufCMessage *msg;
    const char *key;
    json_t *value;
    int status = HDRF_OK;
    *out = NULL;
    if (!json_is_object(obj))
        return fail(w, obj, "expected an object");
    if (!(msg = malloc(d->sizeof_message)))
        return out_of_memory(w);
    protobuf_c_message_init(d, msg);
    json_object_foreach((json_t *)obj, key, value)
    {
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, key);
        size_t mark;
        if (!f || json_is_null(value)) /* Mesos ignores what it cannot name */
            continue;
        mark = path_field(w, key);
        status = read_field(w, msg, f, value);
        if (status != HDRF_OK)
            break;
        path_restore(w, mark);
    }
    if (status == HDRF_OK)
        status = check_required(w, d, obj);
    if (status != HDRF_OK) {
        protobuf_c_message_free_unpacked(msg, NULL);
        return status;
    }
    *out = msg;
    return HDRF_OK;
}

int pbjson_decode(const ProtobufCMessageDescriptor *desc, const json_t *json,
                  ProtobufCMessage **out, sched_error *err)
{
    walk w;
    jr_init(&w, err, NULL);
    return read_message(&w, desc, json, out);
}

/* ---- protobuf-c -> JSON -------------------------------------------------------- */

static int write_message(walk *w, const ProtobufCMessage *msg, json_t **out);

/* A new JSON string for s: HDRF_EINVAL when s is not UTF-8. */
static int write_string(walk *w, const char *s, json_t **out)
{
    if ((*out = json_string(s)))
        return HDRF_OK;
    /* jansson refuses invalid UTF-8 and an allocation failure alike; a
     * string it takes unchecked tells the two apart. */
    json_t *probe = json_string_nocheck(s);
    if (!probe)
        return out_of_memory(w);
    json_decref(probe);
    return fail(w, NULL, "a string that is not valid UTF-8");
}

static int write_double(walk *w, double d, json_t **out)
{
    if (!isfinite(d))
        return fail(w, NULL, "not a finite number: JSON cannot carry it");
    *out = json_real(d);
    return *out ? HDRF_OK : out_of_memory(w);
}

/* One value of field f from `slot` into a new JSON value *out; *out stays
 * NULL with HDRF_OK for an enum value our schema cannot name. */
static int write_value(walk *w, const ProtobufCFieldDescriptor *f, const void *slot, json_t **out)
{
    const ProtobufCEnumValue *ev;
    char digits[24];
    char *text;
    *out = NULL;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        *out = json_integer(*(const int32_t *)slot);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        *out = json_integer(*(const uint32_t *)slot);
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        *out = json_integer(*(const int64_t *)slot);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (*(const uint64_t *)slot <= INT64_MAX) {
            *out = json_integer((json_int_t) * (const uint64_t *)slot);
            break;
        }
        snprintf(digits, sizeof digits, "%" PRIu64, *(const uint64_t *)slot);
        *out = json_string(digits);
        break;
    case PROTOBUF_C_TYPE_FLOAT:
        return write_double(w, *(const float *)slot, out);
    case PROTOBUF_C_TYPE_DOUBLE:
        return write_double(w, *(const double *)slot, out);
    case PROTOBUF_C_TYPE_BOOL:
        *out = json_boolean(*(const protobuf_c_boolean *)slot);
        break;
    case PROTOBUF_C_TYPE_ENUM:
        ev = protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)slot);
        if (!ev)
            return HDRF_OK;
        *out = json_string(ev->name);
        break;
    case PROTOBUF_C_TYPE_STRING:
        return write_string(w, *(char *const *)slot, out);
    case PROTOBUF_C_TYPE_BYTES:
        text = base64_encode(((const ProtobufCBinaryData *)slot)->data,
                             ((const ProtobufCBinaryData *)slot)->len);
        *out = text ? json_string(text) : NULL;
        free(text);
        break;
    case PROTOBUF_C_TYPE_MESSAGE:
        return write_message(w, *(ProtobufCMessage *const *)slot, out);
    }
    return *out ? HDRF_OK : out_of_memory(w);
}

static int field_present(walk *w, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                         bool *present);

/* A map as a JSON object; an entry without a value is left out. */
static int write_map(walk *w, ProtobufCMessage *const *entries, size_t n,
                     const ProtobufCFieldDescriptor *f, json_t **out)
{
    const ProtobufCFieldDescriptor *value_field =
        &((const ProtobufCMessageDescriptor *)f->descriptor)->fields[1];
    int status = HDRF_OK;
    if (!(*out = json_object()))
        return out_of_memory(w);
    for (size_t i = 0; i < n && status == HDRF_OK; i++) {
        const char *key =
            *(char *const *)CMEMBER(entries[i], entries[i]->descriptor->fields[0].offset);
        size_t mark = path_key(w, key ? key : "");
        json_t *value = NULL;
        bool present = false;
        status = field_present(w, entries[i], value_field, &present);
        if (status == HDRF_OK && present)
            status = write_value(w, value_field, CMEMBER(entries[i], value_field->offset), &value);
        if (status == HDRF_OK && value && json_object_set_new(*out, key ? key : "", value) != 0)
            status = out_of_memory(w);
        path_restore(w, mark);
    }
    if (status != HDRF_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return status;
}

static int write_repeated(walk *w, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                          json_t **out)
{
    size_t n = *(const size_t *)CMEMBER(msg, f->quantifier_offset), size = slot_size(f->type);
    const char *items = *(char *const *)CMEMBER(msg, f->offset);
    int status = HDRF_OK;
    if (is_string_map(f))
        return write_map(w, (ProtobufCMessage *const *)items, n, f, out);
    if (!(*out = json_array()))
        return out_of_memory(w);
    for (size_t i = 0; i < n && status == HDRF_OK; i++) {
        size_t mark = path_index(w, i);
        json_t *item;
        status = write_value(w, f, items + i * size, &item);
        if (status == HDRF_OK && item && json_array_append_new(*out, item) != 0)
            status = out_of_memory(w);
        path_restore(w, mark);
    }
    if (status != HDRF_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return status;
}

/* Whether a non-repeated field holds a value worth writing; a required
 * pointer that is NULL is an error. */
static int field_present(walk *w, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                         bool *present)
{
    const void *ptr = NULL;
    bool pointer = f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE;
    if (pointer)
        ptr = *(const void *const *)CMEMBER(msg, f->offset);
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *present =
            *(const uint32_t *)CMEMBER(msg, f->quantifier_offset) == f->id && (!pointer || ptr);
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
        *present = pointer ? ptr && ptr != f->default_value
                           : *(const protobuf_c_boolean *)CMEMBER(msg, f->quantifier_offset);
    else
        *present = !pointer || ptr;
    if (!*present && f->label == PROTOBUF_C_LABEL_REQUIRED)
        return fail(w, NULL, "missing, and required");
    return HDRF_OK;
}

static int write_field(walk *w, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                       json_t *obj)
{
    json_t *value = NULL;
    bool present = true;
    int status;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        if (*(const size_t *)CMEMBER(msg, f->quantifier_offset) == 0)
            return HDRF_OK;
        status = write_repeated(w, msg, f, &value);
    } else if ((status = field_present(w, msg, f, &present)) == HDRF_OK && present) {
        status = write_value(w, f, CMEMBER(msg, f->offset), &value);
    }
    if (status == HDRF_OK && value && json_object_set_new(obj, f->name, value) != 0)
        status = out_of_memory(w);
    return status;
}

static int write_message(walk *w, const ProtobufCMessage *msg, json_t **out)
{
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    int status = HDRF_OK;
    if (!(*out = json_object()))
        return out_of_memory(w);
    for (unsigned i = 0; i < d->n_fields && status == HDRF_OK; i++) {
        size_t mark = path_field(w, d->fields[i].name);
        status = write_field(w, msg, &d->fields[i], *out);
        if (status == HDRF_OK)
            path_restore(w, mark);
    }
    if (status != HDRF_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return status;
}

int pbjson_encode(const ProtobufCMessage *msg, json_t **out, sched_error *err)
{
    walk w;
    jr_init(&w, err, NULL);
    return write_message(&w, msg, out);
}
