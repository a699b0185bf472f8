/* constraints_pb.c: OfferConstraints from protobuf-c (see hdrf/constraints_pb.h).
 *
 * Like the JSON reader, a translation into the plain arrays of
 * hdrf/constraints.h (strings borrowed from the message) followed by
 * hdrf_constraints_compile(), which makes every check the forms share. What
 * only the wire form has is handled here: map entries repeating a role (the
 * last one counts) and pseudoattribute enum values. */
#include <stdlib.h>
#include <string.h>

#include "allocator/constraints_plain.h"
#include "hdrf/constraints_pb.h"
#include "lib/error.h"
#include "lib/jpath.h"

#define SRC "protobuf"

typedef Mesos__V1__Scheduler__AttributeConstraint pb_constraint;
typedef Mesos__V1__Scheduler__OfferConstraints__RoleConstraints pb_role;

static int read_constraint(jread *r, const pb_constraint *in, hdrf_attribute_constraint *k)
{
    const Mesos__V1__Scheduler__AttributeConstraint__Selector *sel = in ? in->selector : NULL;
    const Mesos__V1__Scheduler__AttributeConstraint__Predicate *pred = in ? in->predicate : NULL;
    if (sel && sel->selector_case ==
                   MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__SELECTOR__SELECTOR_ATTRIBUTE_NAME) {
        k->selector = HDRF_SELECT_ATTRIBUTE;
        k->attribute = sel->attribute_name;
    } else if (
        sel &&
        sel->selector_case ==
            MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__SELECTOR__SELECTOR_PSEUDOATTRIBUTE_TYPE) {
        switch (sel->pseudoattribute_type) {
        case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__SELECTOR__PSEUDOATTRIBUTE_TYPE__HOSTNAME:
            k->selector = HDRF_SELECT_HOSTNAME;
            break;
        case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__SELECTOR__PSEUDOATTRIBUTE_TYPE__REGION:
            k->selector = HDRF_SELECT_REGION;
            break;
        case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__SELECTOR__PSEUDOATTRIBUTE_TYPE__ZONE:
            k->selector = HDRF_SELECT_ZONE;
            break;
        default:
            jpath_field(&r->path, "selector.pseudoattribute_type");
            return jr_fail(r, NULL, "%d: expected HOSTNAME (1), REGION (2) or ZONE (3)",
                           (int)sel->pseudoattribute_type);
        }
    }
    if (!pred)
        return HDRF_OK;
    switch (pred->predicate_case) {
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_EXISTS:
        k->predicate = HDRF_EXISTS;
        break;
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_NOT_EXISTS:
        k->predicate = HDRF_NOT_EXISTS;
        break;
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_TEXT_EQUALS:
        k->predicate = HDRF_TEXT_EQUALS;
        k->value = pred->text_equals ? pred->text_equals->value : NULL;
        break;
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_TEXT_NOT_EQUALS:
        k->predicate = HDRF_TEXT_NOT_EQUALS;
        k->value = pred->text_not_equals ? pred->text_not_equals->value : NULL;
        break;
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_TEXT_MATCHES:
        k->predicate = HDRF_TEXT_MATCHES;
        k->value = pred->text_matches ? pred->text_matches->regex : NULL;
        break;
    case MESOS__V1__SCHEDULER__ATTRIBUTE_CONSTRAINT__PREDICATE__PREDICATE_TEXT_NOT_MATCHES:
        k->predicate = HDRF_TEXT_NOT_MATCHES;
        k->value = pred->text_not_matches ? pred->text_not_matches->regex : NULL;
        break;
    default:
        break; /* not set: the compiler refuses it */
    }
    return HDRF_OK;
}

static int read_role(jread *r, const pb_role *in, hdrf_role_constraints *role)
{
    if (!in || in->n_groups == 0)
        return HDRF_OK; /* no groups: the compiler refuses it */
    hdrf_constraint_group *groups = calloc(in->n_groups, sizeof *groups);
    if (!groups)
        return HDRF_ENOMEM;
    role->groups = groups;
    role->ngroups = in->n_groups;
    for (size_t g = 0; g < in->n_groups; g++) {
        const Mesos__V1__Scheduler__OfferConstraints__RoleConstraints__Group *group = in->groups[g];
        size_t n = group ? group->n_attribute_constraints : 0;
        if (n == 0)
            continue;
        hdrf_attribute_constraint *ks = calloc(n, sizeof *ks);
        if (!ks)
            return HDRF_ENOMEM;
        groups[g].constraints = ks;
        groups[g].n = n;
        for (size_t i = 0; i < n; i++) {
            size_t mark = jpath_item(&r->path, "groups", g);
            jpath_item(&r->path, "attribute_constraints", i);
            int status = read_constraint(r, group->attribute_constraints[i], &ks[i]);
            if (status != HDRF_OK)
                return status;
            jpath_restore(&r->path, mark);
        }
    }
    return HDRF_OK;
}

int hdrf_constraints_from_pb(const Mesos__V1__Scheduler__OfferConstraints *msg,
                             const hdrf_regex_limits *limits, hdrf_constraints **out,
                             hdrf_error *error)
{
    jread r;
    hdrf_role_constraints *roles = NULL;
    size_t n = msg ? msg->n_role_constraints : 0, nroles = 0;
    int status = HDRF_OK;
    *out = NULL;
    jr_init_core(&r, error, SRC, "role_constraints");
    if (n && !(roles = calloc(n, sizeof *roles)))
        status = HDRF_ENOMEM;
    for (size_t i = 0; i < n && status == HDRF_OK; i++) {
        const Mesos__V1__Scheduler__OfferConstraints__RoleConstraintsEntry *e =
            msg->role_constraints[i];
        const char *key = e && e->key ? e->key : "";
        bool later = false; /* protobuf maps: the last entry for a key wins */
        for (size_t j = i + 1; j < n && !later; j++) {
            const char *other = msg->role_constraints[j] && msg->role_constraints[j]->key
                                    ? msg->role_constraints[j]->key
                                    : "";
            later = strcmp(key, other) == 0;
        }
        if (later)
            continue;
        size_t mark = jpath_field(&r.path, key);
        roles[nroles].role = key;
        status = read_role(&r, e ? e->value : NULL, &roles[nroles++]);
        jpath_restore(&r.path, mark);
    }
    return constraints_plain_compile(status, roles, nroles, limits, out, error);
}

int hdrf_constraints_from_packed(const uint8_t *data, size_t len, const hdrf_regex_limits *limits,
                                 hdrf_constraints **out, hdrf_error *error)
{
    Mesos__V1__Scheduler__OfferConstraints *msg =
        mesos__v1__scheduler__offer_constraints__unpack(NULL, len, data);
    *out = NULL;
    if (!msg)
        return error_named(error, SRC, "OfferConstraints",
                           "not a valid serialized mesos.v1.scheduler.OfferConstraints");
    int status = hdrf_constraints_from_pb(msg, limits, out, error);
    mesos__v1__scheduler__offer_constraints__free_unpacked(msg, NULL);
    return status;
}
