/* resources_pb.c: the model to and from protobuf-c mesos.v1.Resource.
 *
 * Messages written here are built with malloc throughout, so that
 * protobuf-c's free_unpacked (which frees every field with the system
 * allocator and skips default values) releases them, exactly as it releases
 * messages it unpacked itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "hdrf/resources_pb.h"
#include "allocator/resources_internal.h"
#include "allocator/resources_text.h"
#include "lib/sbuf.h"

#define SRC "protobuf"

/* ---- reading -------------------------------------------------------------- */

static int read_labels(const Mesos__V1__Labels *in, labels *out)
{
    bool ok = true;
    *out = (labels){NULL, 0, in != NULL};
    if (!in || in->n_labels == 0)
        return HDRF_OK;
    if (!(out->v = calloc(in->n_labels, sizeof *out->v)))
        return HDRF_ENOMEM;
    for (size_t i = 0; i < in->n_labels; i++, out->n++) {
        out->v[i].key = str_dup_opt(in->labels[i]->key, &ok);
        out->v[i].value = str_dup_opt(in->labels[i]->value, &ok);
    }
    return ok ? HDRF_OK : HDRF_ENOMEM;
}

static int read_reservation(const Mesos__V1__Resource__ReservationInfo *in,
                            hdrf_reservation_type type, const char *role, reservation *out)
{
    bool ok = true;
    out->type = type;
    out->role = str_dup_opt(role, &ok);
    out->principal = str_dup_opt(in ? in->principal : NULL, &ok);
    int status = read_labels(in ? in->labels : NULL, &out->labels);
    return ok ? status : HDRF_ENOMEM;
}

/* Resource.role is deprecated in the schema, and protoc-c marks it so; it is
 * read only to upgrade the pre-refinement format, as Mesos does. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static const char *legacy_role(const Mesos__V1__Resource *m) { return m->role; }
#pragma GCC diagnostic pop

static int read_reservations(const Mesos__V1__Resource *m, const char *default_role,
                             hdrf_resource *r, const char **why)
{
    const char *role = legacy_role(m);
    bool legacy = role != mesos__v1__resource__role__default_value || m->reservation;
    size_t n = m->n_reservations;
    if (n > 0 && legacy) {
        *why = "\"role\" and \"reservation\" cannot be used with \"reservations\"";
        return HDRF_EINVAL;
    }
    if (n == 0) {
        if (role == mesos__v1__resource__role__default_value)
            role = default_role;
        if (!role || strcmp(role, "*") == 0) {
            if (m->reservation) {
                *why = "role \"*\" cannot be dynamically reserved";
                return HDRF_EINVAL;
            }
            return HDRF_OK;
        }
        if (hdrf_role_invalid(role)) {
            *why = hdrf_role_invalid(role);
            return HDRF_EINVAL;
        }
        n = 1;
    }
    if (!(r->reservations = calloc(n, sizeof *r->reservations)))
        return HDRF_ENOMEM;
    if (m->n_reservations == 0) {
        r->nreservations = 1;
        return read_reservation(m->reservation,
                                m->reservation ? HDRF_RESERVATION_DYNAMIC : HDRF_RESERVATION_STATIC,
                                role, &r->reservations[0]);
    }
    for (size_t i = 0; i < n; i++) {
        const Mesos__V1__Resource__ReservationInfo *res = m->reservations[i];
        r->nreservations++;
        if (!res->has_type || (res->type != MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__STATIC &&
                               res->type != MESOS__V1__RESOURCE__RESERVATION_INFO__TYPE__DYNAMIC)) {
            *why = "a reservation needs a type: STATIC or DYNAMIC";
            return HDRF_EINVAL;
        }
        int status =
            read_reservation(res, (hdrf_reservation_type)res->type, res->role, &r->reservations[i]);
        if (status != HDRF_OK)
            return status;
    }
    return HDRF_OK;
}

static int read_disk(const Mesos__V1__Resource__DiskInfo *in, hdrf_resource *r, const char **why)
{
    bool ok = true;
    disk_info *d = r->disk = calloc(1, sizeof *r->disk);
    if (!d)
        return HDRF_ENOMEM;
    if (in->persistence) {
        d->has_persistence = true;
        d->persistence_id = str_dup_opt(in->persistence->id, &ok);
        d->persistence_principal = str_dup_opt(in->persistence->principal, &ok);
    }
    if (in->volume) {
        d->has_volume = true;
        d->volume_container_path = str_dup_opt(in->volume->container_path, &ok);
        d->volume_host_path = str_dup_opt(in->volume->host_path, &ok);
        d->volume_mode = in->volume->mode == MESOS__V1__VOLUME__MODE__RO ? 2 : 1;
    }
    if (in->source) {
        const Mesos__V1__Resource__DiskInfo__Source *s = in->source;
        if (s->type < MESOS__V1__RESOURCE__DISK_INFO__SOURCE__TYPE__PATH ||
            s->type > MESOS__V1__RESOURCE__DISK_INFO__SOURCE__TYPE__RAW) {
            *why = "a disk source needs a type: PATH, MOUNT, BLOCK or RAW";
            return HDRF_EINVAL;
        }
        d->source_type = (hdrf_disk_source_type)s->type;
        const char *root = s->path ? s->path->root : s->mount ? s->mount->root : NULL;
        if ((s->path && d->source_type != HDRF_DISK_SOURCE_PATH) ||
            (s->mount && d->source_type != HDRF_DISK_SOURCE_MOUNT)) {
            *why = "\"path\" goes with PATH sources and \"mount\" with MOUNT sources";
            return HDRF_EINVAL;
        }
        d->source_has_dir = s->path || s->mount;
        d->source_root = str_dup_opt(root, &ok);
        d->source_vendor = str_dup_opt(s->vendor, &ok);
        d->source_id = str_dup_opt(s->id, &ok);
        d->source_profile = str_dup_opt(s->profile, &ok);
        if (read_labels(s->metadata, &d->source_metadata) != HDRF_OK)
            ok = false;
    }
    return ok ? HDRF_OK : HDRF_ENOMEM;
}

static int read_value(const Mesos__V1__Resource *m, hdrf_resource *r, const char **why)
{
    char token[64];
    int status = HDRF_OK;
    switch (m->type) {
    case MESOS__V1__VALUE__TYPE__SCALAR:
        r->type = HDRF_SCALAR;
        if (!m->scalar || m->ranges || m->set) {
            *why = "a SCALAR resource needs a scalar and nothing else";
            return HDRF_EINVAL;
        }
        snprintf(token, sizeof token, "%.17g", m->scalar->value);
        return text_parse_scalar(token, &r->scalar, why);
    case MESOS__V1__VALUE__TYPE__RANGES:
        r->type = HDRF_RANGES;
        if (!m->ranges || m->scalar || m->set) {
            *why = "a RANGES resource needs ranges and nothing else";
            return HDRF_EINVAL;
        }
        for (size_t i = 0; i < m->ranges->n_range && status == HDRF_OK; i++)
            status =
                resource_append_range(r, m->ranges->range[i]->begin, m->ranges->range[i]->end, why);
        rangelist_normalize(&r->ranges);
        return status;
    case MESOS__V1__VALUE__TYPE__SET:
        r->type = HDRF_SET;
        if (!m->set || m->scalar || m->ranges) {
            *why = "a SET resource needs a set and nothing else";
            return HDRF_EINVAL;
        }
        for (size_t i = 0; i < m->set->n_item && status == HDRF_OK; i++)
            status = resource_insert_item(r, m->set->item[i], why);
        return status;
    default:
        *why = "the type must be SCALAR, RANGES or SET";
        return HDRF_EINVAL;
    }
}

static int read_resource(const Mesos__V1__Resource *m, const char *default_role, hdrf_resource *r,
                         const char **why, char *where, size_t wherelen)
{
    bool ok = true;
    int status;
    where[0] = '\0';
    r->name = rstr_dup(m->name, &ok);
    r->allocation_role = rstr_dup(m->allocation_info ? m->allocation_info->role : NULL, &ok);
    r->provider_id = str_dup_opt(m->provider_id ? m->provider_id->value : NULL, &ok);
    r->revocable = m->revocable != NULL;
    r->shared = m->shared != NULL;
    r->shared_count = r->shared;
    if (!ok)
        return HDRF_ENOMEM;
    if ((status = read_value(m, r, why)) != HDRF_OK ||
        (status = read_reservations(m, default_role, r, why)) != HDRF_OK ||
        (m->disk && (status = read_disk(m->disk, r, why)) != HDRF_OK))
        return status;
    if ((*why = resource_check(r, where, wherelen)))
        return HDRF_EINVAL;
    return HDRF_OK;
}

typedef struct messages {
    Mesos__V1__Resource *const *v;
    size_t n;
} messages;

/* Reads the messages into `out`, which the caller discards on failure. */
static int read_all(const void *input, const char *default_role, hdrf_resources *out,
                    hdrf_error *error)
{
    const messages *in = input;
    Mesos__V1__Resource *const *msgs = in->v;
    for (size_t i = 0; i < in->n; i++) {
        hdrf_resource r = {0};
        const char *why = NULL;
        char where[64], token[96];
        int status = read_resource(msgs[i], default_role, &r, &why, where, sizeof where);
        if (status != HDRF_OK) {
            resource_free(&r);
            if (!why)
                return status;
            snprintf(token, sizeof token, "[%zu]%s", i, where);
            return error_named(error, SRC, token, "%s", why);
        }
        if ((status = resources_add_owned(out, &r)) != HDRF_OK)
            return status;
    }
    return HDRF_OK;
}

int hdrf_resources_from_pb(Mesos__V1__Resource *const *msgs, size_t n, const char *default_role,
                           hdrf_resources **out, hdrf_error *error)
{
    messages in = {msgs, n};
    return resources_read_new(read_all, &in, default_role, out, error);
}

int hdrf_resources_add_packed(hdrf_resources *rs, const uint8_t *data, size_t len,
                              hdrf_error *error)
{
    hdrf_resources *one = NULL;
    Mesos__V1__Resource *m = mesos__v1__resource__unpack(NULL, len, data);
    if (!m)
        return error_named(error, SRC, "Resource", "not a valid serialized mesos.v1.Resource");
    int status = hdrf_resources_from_pb(&m, 1, NULL, &one, error);
    if (status == HDRF_OK)
        status = hdrf_resources_add(rs, one);
    hdrf_resources_free(one);
    mesos__v1__resource__free_unpacked(m, NULL);
    return status;
}

/* ---- writing ----------------------------------------------------------------- */

/* Allocates one message of `desc`'s type, initialised to its defaults;
 * *ok is cleared on failure. */
static void *new_msg(const ProtobufCMessageDescriptor *desc, bool *ok)
{
    void *msg = malloc(desc->sizeof_message);
    if (msg)
        protobuf_c_message_init(desc, msg);
    else
        *ok = false;
    return msg;
}

static Mesos__V1__Labels *write_labels(const labels *in, bool *ok)
{
    if (!in->present)
        return NULL;
    Mesos__V1__Labels *out = new_msg(&mesos__v1__labels__descriptor, ok);
    if (!out || in->n == 0)
        return out;
    if (!(out->labels = calloc(in->n, sizeof *out->labels))) {
        *ok = false;
        return out;
    }
    for (size_t i = 0; i < in->n; i++) {
        Mesos__V1__Label *l = new_msg(&mesos__v1__label__descriptor, ok);
        if (!l)
            break;
        out->labels[out->n_labels++] = l;
        l->key = str_dup_opt(in->v[i].key, ok);
        l->value = str_dup_opt(in->v[i].value, ok);
    }
    return out;
}

static void write_reservations(const hdrf_resource *r, Mesos__V1__Resource *m, bool *ok)
{
    if (r->nreservations == 0)
        return;
    if (!(m->reservations = calloc(r->nreservations, sizeof *m->reservations))) {
        *ok = false;
        return;
    }
    for (size_t i = 0; i < r->nreservations; i++) {
        const reservation *res = &r->reservations[i];
        Mesos__V1__Resource__ReservationInfo *out =
            new_msg(&mesos__v1__resource__reservation_info__descriptor, ok);
        if (!out)
            return;
        m->reservations[m->n_reservations++] = out;
        out->has_type = true;
        out->type = (Mesos__V1__Resource__ReservationInfo__Type)res->type;
        out->role = str_dup_opt(res->role, ok);
        out->principal = str_dup_opt(res->principal, ok);
        out->labels = write_labels(&res->labels, ok);
    }
}

static void write_source(const disk_info *d, Mesos__V1__Resource__DiskInfo *out, bool *ok)
{
    Mesos__V1__Resource__DiskInfo__Source *s =
        new_msg(&mesos__v1__resource__disk_info__source__descriptor, ok);
    if (!(out->source = s))
        return;
    s->type = (Mesos__V1__Resource__DiskInfo__Source__Type)d->source_type;
    if (d->source_has_dir && d->source_type == HDRF_DISK_SOURCE_PATH) {
        if ((s->path = new_msg(&mesos__v1__resource__disk_info__source__path__descriptor, ok)))
            s->path->root = str_dup_opt(d->source_root, ok);
    } else if (d->source_has_dir && d->source_type == HDRF_DISK_SOURCE_MOUNT) {
        if ((s->mount = new_msg(&mesos__v1__resource__disk_info__source__mount__descriptor, ok)))
            s->mount->root = str_dup_opt(d->source_root, ok);
    }
    s->vendor = str_dup_opt(d->source_vendor, ok);
    s->id = str_dup_opt(d->source_id, ok);
    s->profile = str_dup_opt(d->source_profile, ok);
    s->metadata = write_labels(&d->source_metadata, ok);
}

static void write_disk(const disk_info *d, Mesos__V1__Resource *m, bool *ok)
{
    Mesos__V1__Resource__DiskInfo *out = new_msg(&mesos__v1__resource__disk_info__descriptor, ok);
    if (!(m->disk = out))
        return;
    if (d->has_persistence && (out->persistence = new_msg(
                                   &mesos__v1__resource__disk_info__persistence__descriptor, ok))) {
        out->persistence->id = str_dup_opt(d->persistence_id, ok);
        out->persistence->principal = str_dup_opt(d->persistence_principal, ok);
    }
    if (d->has_volume && (out->volume = new_msg(&mesos__v1__volume__descriptor, ok))) {
        out->volume->container_path = str_dup_opt(d->volume_container_path, ok);
        out->volume->host_path = str_dup_opt(d->volume_host_path, ok);
        out->volume->mode =
            d->volume_mode == 2 ? MESOS__V1__VOLUME__MODE__RO : MESOS__V1__VOLUME__MODE__RW;
    }
    if (d->source_type != HDRF_DISK_SOURCE_NONE)
        write_source(d, out, ok);
}

static void write_value(const hdrf_resource *r, Mesos__V1__Resource *m, bool *ok)
{
    switch (r->type) {
    case HDRF_SCALAR:
        m->type = MESOS__V1__VALUE__TYPE__SCALAR;
        if ((m->scalar = new_msg(&mesos__v1__value__scalar__descriptor, ok)))
            m->scalar->value = (double)r->scalar / 1000.0;
        break;
    case HDRF_RANGES:
        m->type = MESOS__V1__VALUE__TYPE__RANGES;
        if (!(m->ranges = new_msg(&mesos__v1__value__ranges__descriptor, ok)) || !r->ranges.n)
            break;
        if (!(m->ranges->range = calloc(r->ranges.n, sizeof *m->ranges->range))) {
            *ok = false;
            break;
        }
        for (size_t i = 0; i < r->ranges.n; i++) {
            Mesos__V1__Value__Range *range = new_msg(&mesos__v1__value__range__descriptor, ok);
            if (!range)
                break;
            range->begin = r->ranges.v[i].begin;
            range->end = r->ranges.v[i].end;
            m->ranges->range[m->ranges->n_range++] = range;
        }
        break;
    case HDRF_SET:
        m->type = MESOS__V1__VALUE__TYPE__SET;
        if (!(m->set = new_msg(&mesos__v1__value__set__descriptor, ok)) || !r->set.n)
            break;
        if (!(m->set->item = calloc(r->set.n, sizeof *m->set->item))) {
            *ok = false;
            break;
        }
        for (size_t i = 0; i < r->set.n && *ok; i++)
            if ((m->set->item[i] = str_dup_opt(r->set.v[i], ok)))
                m->set->n_item++;
        break;
    }
}

static Mesos__V1__Resource *write_resource(const hdrf_resource *r, bool *ok)
{
    Mesos__V1__Resource *m = new_msg(&mesos__v1__resource__descriptor, ok);
    if (!m)
        return NULL;
    m->name = str_dup_opt(r->name, ok);
    write_value(r, m, ok);
    write_reservations(r, m, ok);
    if (r->allocation_role &&
        (m->allocation_info = new_msg(&mesos__v1__resource__allocation_info__descriptor, ok)))
        m->allocation_info->role = str_dup_opt(r->allocation_role, ok);
    if (r->disk)
        write_disk(r->disk, m, ok);
    if (r->revocable)
        m->revocable = new_msg(&mesos__v1__resource__revocable_info__descriptor, ok);
    if (r->shared)
        m->shared = new_msg(&mesos__v1__resource__shared_info__descriptor, ok);
    if (r->provider_id &&
        (m->provider_id = new_msg(&mesos__v1__resource_provider_id__descriptor, ok)))
        m->provider_id->value = str_dup_opt(r->provider_id, ok);
    return m;
}

void hdrf_resources_pb_free(Mesos__V1__Resource **msgs, size_t n)
{
    for (size_t i = 0; msgs && i < n; i++)
        if (msgs[i])
            mesos__v1__resource__free_unpacked(msgs[i], NULL);
    free(msgs);
}

int hdrf_resources_to_pb(const hdrf_resources *rs, Mesos__V1__Resource ***msgs, size_t *n)
{
    bool ok = true;
    size_t total = 0, k = 0;
    for (size_t i = 0; i < rs->n; i++)
        total += rs->v[i].shared ? (size_t)rs->v[i].shared_count : 1;
    Mesos__V1__Resource **out = calloc(total ? total : 1, sizeof *out);
    *msgs = NULL;
    *n = 0;
    if (!out)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < rs->n && ok; i++) {
        size_t copies = rs->v[i].shared ? (size_t)rs->v[i].shared_count : 1;
        for (size_t c = 0; c < copies && ok; c++)
            out[k++] = write_resource(&rs->v[i], &ok);
    }
    if (!ok) {
        hdrf_resources_pb_free(out, k);
        return HDRF_ENOMEM;
    }
    *msgs = out;
    *n = k;
    return HDRF_OK;
}
