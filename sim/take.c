/* take.c: the resources a task takes out of an offer (see take.h).
 *
 * The placement library judges fit on a view of the offer with reservations
 * and the allocation mark set aside; a launch must name the offer's real
 * resources, metadata included, or the allocator would not recognise them
 * when they come back. Most offers are unreserved: then the need, marked
 * with the role, is the answer. Otherwise the need is taken resource by
 * resource from the offer's JSON form (lossless, and the only public way
 * to build a resource with the offer's metadata and a smaller amount),
 * reserved resources first, as frameworks do to keep unreserved ones for
 * others. */
#include "sim/take.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources_json.h"

static bool any_reserved(const hdrf_resources *r)
{
    for (size_t i = 0; i < hdrf_resources_size(r); i++)
        if (hdrf_resource_reservation_count(hdrf_resources_at(r, i)) > 0)
            return true;
    return false;
}

static bool reserved_json(const json_t *e)
{
    return json_array_size(json_object_get(e, "reservations")) > 0;
}

static int64_t milli_of(const json_t *e)
{
    return (int64_t)llround(
        json_number_value(json_object_get(json_object_get(e, "scalar"), "value")) * 1000.0);
}

/* Appends pieces of the offer's scalars named like `ne` until its amount
 * is covered: reserved pieces first. */
static int take_scalar(const json_t *offer, const json_t *ne, json_t *out)
{
    const char *name = json_string_value(json_object_get(ne, "name"));
    int64_t left = milli_of(ne);
    for (int pass = 0; pass < 2 && left > 0; pass++) {
        size_t i;
        json_t *e;
        json_array_foreach(offer, i, e)
        {
            const char *type = json_string_value(json_object_get(e, "type"));
            if (left <= 0 || strcmp(json_string_value(json_object_get(e, "name")), name) != 0 ||
                !type || strcmp(type, "SCALAR") != 0 || reserved_json(e) != (pass == 0))
                continue;
            int64_t have = milli_of(e), take = have < left ? have : left;
            if (take <= 0)
                continue;
            json_t *piece = json_deep_copy(e);
            json_t *scalar = json_object_get(piece, "scalar");
            if (!piece || json_object_set_new(scalar, "value", json_real((double)take / 1000.0)) ||
                json_array_append_new(out, piece)) {
                json_decref(piece);
                return HDRF_ENOMEM;
            }
            left -= take;
        }
    }
    return left > 0 ? HDRF_ENOFIT : HDRF_OK;
}

/* Ranges and sets: the first offer resource of the name that holds the
 * needed values whole, with its metadata and the needed values. */
static int take_values(const hdrf_resources *offer_res, const json_t *offer, const json_t *ne,
                       json_t *out)
{
    const char *name = json_string_value(json_object_get(ne, "name"));
    const char *type = json_string_value(json_object_get(ne, "type"));
    const char *field = strcmp(type, "RANGES") == 0 ? "ranges" : "set";
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        json_t *e;
        json_array_foreach(offer, i, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "name")), name) != 0 ||
                reserved_json(e) != (pass == 0))
                continue;
            json_t *piece = json_deep_copy(e), *one = json_array();
            hdrf_resources *r = NULL;
            bool fits = false;
            if (piece && one && !json_object_set(piece, field, json_object_get(ne, field)) &&
                !json_array_append(one, piece) &&
                hdrf_resources_from_json(one, NULL, &r, NULL) == HDRF_OK)
                fits = hdrf_resources_contains(offer_res, r);
            hdrf_resources_free(r);
            json_decref(one);
            if (fits)
                return json_array_append_new(out, piece) ? HDRF_ENOMEM : HDRF_OK;
            json_decref(piece);
        }
    }
    return HDRF_ENOFIT;
}

static int take_slow(const hdrf_resources *offer, const hdrf_resources *need, hdrf_resources **out)
{
    json_t *oj = hdrf_resources_to_json(offer), *nj = hdrf_resources_to_json(need);
    json_t *taken = json_array();
    int rc = oj && nj && taken ? HDRF_OK : HDRF_ENOMEM;
    size_t i;
    json_t *ne;
    if (rc == HDRF_OK)
        json_array_foreach(nj, i, ne)
        {
            const char *type = json_string_value(json_object_get(ne, "type"));
            rc = type && strcmp(type, "SCALAR") == 0 ? take_scalar(oj, ne, taken)
                                                     : take_values(offer, oj, ne, taken);
            if (rc != HDRF_OK)
                break;
        }
    if (rc == HDRF_OK && hdrf_resources_from_json(taken, NULL, out, NULL) != HDRF_OK)
        rc = HDRF_ENOMEM;
    if (rc == HDRF_OK && !hdrf_resources_contains(offer, *out)) {
        hdrf_resources_free(*out);
        *out = NULL;
        rc = HDRF_ENOFIT;
    }
    json_decref(oj);
    json_decref(nj);
    json_decref(taken);
    return rc;
}

int take_resources(const hdrf_resources *offer, const hdrf_resources *need, const char *role,
                   hdrf_resources **out)
{
    *out = NULL;
    if (!any_reserved(offer)) {
        hdrf_resources *r = hdrf_resources_copy(need);
        if (!r || hdrf_resources_allocate(r, role) != HDRF_OK) {
            hdrf_resources_free(r);
            return HDRF_ENOMEM;
        }
        if (!hdrf_resources_contains(offer, r)) {
            hdrf_resources_free(r);
            return HDRF_ENOFIT;
        }
        *out = r;
        return HDRF_OK;
    }
    return take_slow(offer, need, out); /* pieces keep the offer's allocation mark */
}
