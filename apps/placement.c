/* placement.c: planning where new instances go (see placement.h).
 *
 * One instance at a time: every offer is tried against what is left of it
 * and against the constraints, given all instances so far (the app's
 * running ones, then the ones this plan placed); the least loaded survivor
 * takes the instance. Constraints read agents only through value_of(), so
 * `hostname` and attributes are one thing to them. */
#include "apps/placement.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources_pb.h"

/* What the constraints look at while planning. */
typedef struct planner {
    const app *a;
    const placement_offer *offers;
    size_t n_offers;
    const placement_agent **placed; /* the app's instances: running, then planned */
    size_t n_placed;
    unsigned *extra; /* instances this plan put on each offer */
} planner;

/* ---- constraints ----------------------------------------------------------------- */

static const char *value_of(const placement_agent *agent, const char *field)
{
    if (strcmp(field, "hostname") == 0)
        return agent->hostname;
    for (size_t i = 0; i < agent->n_attrs; i++)
        if (strcmp(agent->attrs[i].name, field) == 0)
            return agent->attrs[i].value;
    return NULL;
}

/* Instances so far on agents whose `field` is `value`. */
static size_t count_on(const planner *p, const char *field, const char *value)
{
    size_t n = 0;
    for (size_t k = 0; k < p->n_placed; k++) {
        const char *v = value_of(p->placed[k], field);
        n += v && strcmp(v, value) == 0;
    }
    return n;
}

/* The agent of known agent k: the placed ones, then the offered ones. */
static const placement_agent *known(const planner *p, size_t k)
{
    return k < p->n_placed ? p->placed[k] : &p->offers[k - p->n_placed].agent;
}

/* GROUP_BY: the fewest instances on any known value of the field (values
 * of instances and of offers); 0 while fewer than n values are known. */
static size_t emptiest(const planner *p, const app_constraint *c)
{
    size_t min = SIZE_MAX, distinct = 0, total = p->n_placed + p->n_offers;
    for (size_t k = 0; k < total; k++) {
        const char *v = value_of(known(p, k), c->field);
        bool seen = false;
        for (size_t j = 0; v && j < k && !seen; j++) {
            const char *u = value_of(known(p, j), c->field);
            seen = u && strcmp(u, v) == 0;
        }
        if (!v || seen)
            continue;
        distinct++;
        size_t n = count_on(p, c->field, v);
        if (n < min)
            min = n;
    }
    return c->number > 0 && distinct < (size_t)c->number ? 0 : min;
}

/* CLUSTER without a value: the value of the first instance that has one,
 * or NULL when none has. */
static const char *cluster_value(const planner *p, const char *field)
{
    for (size_t k = 0; k < p->n_placed; k++) {
        const char *v = value_of(p->placed[k], field);
        if (v)
            return v;
    }
    return NULL;
}

static bool allows(const planner *p, const app_constraint *c, const placement_agent *agent)
{
    const char *v = value_of(agent, c->field), *want;
    switch (c->op) {
    case APP_UNIQUE:
        return v && count_on(p, c->field, v) == 0;
    case APP_CLUSTER:
        want = c->value ? c->value : cluster_value(p, c->field);
        return v && (!want || strcmp(v, want) == 0);
    case APP_LIKE:
        return v && app_constraint_matches(c, v);
    case APP_UNLIKE:
        return !v || !app_constraint_matches(c, v);
    case APP_GROUP_BY:
        return v && count_on(p, c->field, v) <= emptiest(p, c);
    case APP_MAX_PER:
        return v && count_on(p, c->field, v) < (size_t)c->number;
    }
    return false;
}

/* The first constraint that refuses the agent, or NULL. */
static const app_constraint *refused_by(const planner *p, const placement_agent *agent)
{
    for (size_t i = 0; i < p->a->n_constraints; i++)
        if (!allows(p, &p->a->constraints[i], agent))
            return &p->a->constraints[i];
    return NULL;
}

/* ---- host ports ---------------------------------------------------------------------- */

/* The ranges of room's i-th resource when it is ports (else none). */
static const hdrf_range *port_ranges(const hdrf_resources *room, size_t i, size_t *n)
{
    const hdrf_resource *r = hdrf_resources_at(room, i);
    *n = 0;
    return strcmp(hdrf_resource_name(r), "ports") == 0 ? hdrf_resource_ranges(r, n) : NULL;
}

static bool port_in(long port, const hdrf_resources *room)
{
    for (size_t i = 0; i < hdrf_resources_size(room); i++) {
        size_t n;
        const hdrf_range *v = port_ranges(room, i, &n);
        for (size_t k = 0; v && k < n; k++)
            if ((uint64_t)port >= v[k].begin && (uint64_t)port <= v[k].end)
                return true;
    }
    return false;
}

static bool port_taken(long port, const long *chosen, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (chosen[i] == port)
            return true;
    return false;
}

/* The lowest port of `room` not among chosen[0..n), or 0. */
static long lowest_free(const hdrf_resources *room, const long *chosen, size_t n)
{
    long best = 0;
    for (size_t i = 0; i < hdrf_resources_size(room); i++) {
        size_t nr;
        const hdrf_range *v = port_ranges(room, i, &nr);
        for (size_t k = 0; v && k < nr; k++)
            for (uint64_t p = v[k].begin; p <= v[k].end && p <= 65535; p++)
                if (p > 0 && !port_taken((long)p, chosen, n)) {
                    if (!best || (long)p < best)
                        best = (long)p;
                    break;
                }
    }
    return best;
}

/* The app's host ports out of `room` (fixed ones as asked, each 0 as the
 * lowest free one left), into out[]; false when the room lacks one. */
static bool pick_ports(const app *a, const hdrf_resources *room, long *out)
{
    for (size_t i = 0; i < a->n_ports; i++) /* the fixed ones first: any must avoid them */
        if ((out[i] = a->ports[i].port) && !port_in(out[i], room))
            return false;
    for (size_t i = 0; i < a->n_ports; i++)
        if (!a->ports[i].port && !(out[i] = lowest_free(room, out, a->n_ports)))
            return false;
    return true;
}

static int by_port(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return a < b ? -1 : a > b;
}

hdrf_resources *placement_ports_resources(const long *ports, size_t n)
{
    long sorted[APP_MAX_PORTS];
    char text[APP_MAX_PORTS * 16 + 16];
    size_t len = 0;
    hdrf_resources *r = NULL;
    if (n > APP_MAX_PORTS)
        return NULL;
    memcpy(sorted, ports, n * sizeof *ports);
    qsort(sorted, n, sizeof *sorted, by_port);
    len += (size_t)snprintf(text + len, sizeof text - len, "ports:[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%ld-%ld", i ? "," : "", sorted[i],
                                sorted[i]);
    snprintf(text + len, sizeof text - len, "]");
    return hdrf_resources_parse(text, NULL, &r, NULL) == HDRF_OK ? r : NULL;
}

/* `need` plus the ports, new. */
static hdrf_resources *with_ports(const hdrf_resources *need, const long *ports, size_t n)
{
    hdrf_resources *r = placement_ports_resources(ports, n), *sum = hdrf_resources_copy(need);
    if (!r || !sum || hdrf_resources_add(sum, r) != HDRF_OK) {
        hdrf_resources_free(sum);
        sum = NULL;
    }
    hdrf_resources_free(r);
    return sum;
}

/* What an instance takes from offer i: the app's resources and, when it
 * asks for ports, the ones picked there (written to ports); NULL when it
 * does not fit, *nomem when out of memory. */
static hdrf_resources *need_on(const planner *p, const hdrf_resources *need,
                               const hdrf_resources *room, long *ports, bool *nomem)
{
    if (p->a->n_ports && !pick_ports(p->a, room, ports))
        return NULL;
    hdrf_resources *n =
        p->a->n_ports ? with_ports(need, ports, p->a->n_ports) : hdrf_resources_copy(need);
    if (!n) {
        *nomem = true;
        return NULL;
    }
    if (!hdrf_resources_contains(room, n)) {
        hdrf_resources_free(n);
        return NULL;
    }
    return n;
}

/* ---- choosing an offer ------------------------------------------------------------- */

/* The offer the next instance goes to, or n_offers with plan->why set. */
static size_t choose(const planner *p, const hdrf_resources *need, placement_plan *plan,
                     bool *nomem)
{
    size_t best = p->n_offers;
    unsigned best_load = 0;
    const app_constraint *blocking = NULL;
    bool room = false;
    for (size_t i = 0; i < p->n_offers; i++) {
        const app_constraint *c;
        unsigned load = p->offers[i].load + p->extra[i];
        long ports[APP_MAX_PORTS];
        hdrf_resources *takes = need_on(p, need, plan->remaining[i], ports, nomem);
        if (!takes)
            continue;
        hdrf_resources_free(takes);
        room = true;
        if ((c = refused_by(p, &p->offers[i].agent))) {
            if (!blocking)
                blocking = c;
            continue;
        }
        if (best == p->n_offers || load < best_load) {
            best = i;
            best_load = load;
        }
    }
    if (best < p->n_offers)
        return best;
    if (!room)
        snprintf(plan->why, sizeof plan->why, "no offer has room for one more instance");
    else
        snprintf(plan->why, sizeof plan->why,
                 "every offer with room is refused by a constraint (first: %s %s%s%s)",
                 blocking->field, app_constraint_op_name(blocking->op), blocking->value ? " " : "",
                 blocking->value ? blocking->value : "");
    return p->n_offers;
}

/* The fit view: no allocation mark, no reservations (see placement.h). */
static hdrf_resources *fit_view(const hdrf_resources *r)
{
    hdrf_resources *copy = hdrf_resources_copy(r);
    if (copy && (hdrf_resources_allocate(copy, NULL) != HDRF_OK ||
                 hdrf_resources_flatten(copy, NULL) != HDRF_OK)) {
        hdrf_resources_free(copy);
        copy = NULL;
    }
    return copy;
}

/* Every offer's remaining resources, as it came. */
static int fill_remaining(const planner *p, placement_plan *plan)
{
    for (size_t i = 0; i < p->n_offers; i++) {
        hdrf_resources_free(plan->remaining[i]);
        if (!(plan->remaining[i] = fit_view(p->offers[i].resources)))
            return HDRF_ENOMEM;
    }
    return HDRF_OK;
}

static int plan_all(planner *p, size_t count, const hdrf_resources *need, placement_plan *plan)
{
    int status = fill_remaining(p, plan);
    while (status == HDRF_OK && plan->n_placed < count) {
        bool nomem = false;
        size_t i = choose(p, need, plan, &nomem);
        if (nomem)
            status = HDRF_ENOMEM;
        if (i == p->n_offers || nomem)
            break;
        long *ports = &plan->ports[plan->n_placed * APP_MAX_PORTS];
        hdrf_resources *takes = need_on(p, need, plan->remaining[i], ports, &nomem);
        status = takes ? hdrf_resources_subtract(plan->remaining[i], takes) : HDRF_ENOMEM;
        hdrf_resources_free(takes);
        if (status != HDRF_OK)
            break;
        p->extra[i]++;
        p->placed[p->n_placed++] = &p->offers[i].agent;
        plan->offer[plan->n_placed++] = i;
    }
    if (status == HDRF_OK && p->a->gang && plan->n_placed < count) {
        snprintf(plan->why, sizeof plan->why, "gang: only %zu of %zu instances fit, none placed",
                 plan->n_placed, count);
        plan->n_placed = 0;
        status = fill_remaining(p, plan);
    }
    return status;
}

int placement_place(const app *a, size_t count, const placement_agent *running, size_t n_running,
                    const placement_offer *offers, size_t n_offers, placement_plan *plan,
                    sched_error *err)
{
    planner p = {a, offers, n_offers, NULL, 0, NULL};
    hdrf_resources *need = fit_view(a->instance_resources);
    int status = HDRF_ENOMEM;
    memset(plan, 0, sizeof *plan);
    plan->n_offers = n_offers;
    plan->remaining = calloc(n_offers ? n_offers : 1, sizeof *plan->remaining);
    plan->offer = malloc((count ? count : 1) * sizeof *plan->offer);
    plan->ports = calloc((count ? count : 1) * APP_MAX_PORTS, sizeof *plan->ports);
    p.placed = malloc((n_running + count ? n_running + count : 1) * sizeof *p.placed);
    p.extra = calloc(n_offers ? n_offers : 1, sizeof *p.extra);
    if (need && plan->remaining && plan->offer && plan->ports && p.placed && p.extra) {
        for (; p.n_placed < n_running; p.n_placed++)
            p.placed[p.n_placed] = &running[p.n_placed];
        status = plan_all(&p, count, need, plan);
    }
    hdrf_resources_free(need);
    free(p.placed);
    free(p.extra);
    if (status != HDRF_OK) {
        placement_plan_free(plan);
        return sched_error_set(err, status, "placement of %s: out of memory", a->id);
    }
    return HDRF_OK;
}

void placement_plan_free(placement_plan *plan)
{
    for (size_t i = 0; plan->remaining && i < plan->n_offers; i++)
        hdrf_resources_free(plan->remaining[i]);
    free(plan->remaining);
    free(plan->offer);
    free(plan->ports);
    memset(plan, 0, sizeof *plan);
}

/* ---- offers from the wire ------------------------------------------------------------ */

/* An attribute's value as text (see placement.h), new, or NULL. */
static char *attribute_text(const Mesos__V1__Attribute *attr)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    if (attr->type == MESOS__V1__VALUE__TYPE__SCALAR && attr->scalar)
        fprintf(f, "%g", attr->scalar->value);
    else if (attr->type == MESOS__V1__VALUE__TYPE__RANGES && attr->ranges)
        for (size_t i = 0; i < attr->ranges->n_range; i++)
            fprintf(f, "%s%llu-%llu%s", i ? "," : "[",
                    (unsigned long long)attr->ranges->range[i]->begin,
                    (unsigned long long)attr->ranges->range[i]->end,
                    i + 1 == attr->ranges->n_range ? "]" : "");
    else if (attr->type == MESOS__V1__VALUE__TYPE__SET && attr->set)
        for (size_t i = 0; i < attr->set->n_item; i++)
            fprintf(f, "%s%s%s", i ? "," : "{", attr->set->item[i],
                    i + 1 == attr->set->n_item ? "}" : "");
    else if (attr->text && attr->text->value)
        fputs(attr->text->value, f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int placement_offer_from_pb(const Mesos__V1__Offer *msg, placement_pb_offer *out, sched_error *err)
{
    hdrf_error e;
    int status = HDRF_OK;
    memset(out, 0, sizeof *out);
    if (!(out->attrs = calloc(msg->n_attributes ? msg->n_attributes : 1, sizeof *out->attrs)))
        status = HDRF_ENOMEM;
    for (size_t i = 0; status == HDRF_OK && i < msg->n_attributes; i++) {
        out->attrs[i].name = msg->attributes[i]->name;
        if (!(out->attrs[i].value = attribute_text(msg->attributes[i])))
            status = HDRF_ENOMEM;
        out->offer.agent.n_attrs++;
    }
    if (status == HDRF_OK)
        status =
            hdrf_resources_from_pb(msg->resources, msg->n_resources, NULL, &out->resources, &e);
    if (status != HDRF_OK) {
        placement_pb_offer_free(out);
        return status == HDRF_EINVAL
                   ? sched_error_set(err, status, "offer %s: resources %s: %s",
                                     msg->id ? msg->id->value : "?", e.token, e.text)
                   : sched_error_set(err, status, "offer: out of memory");
    }
    out->offer.agent.agent_id = msg->agent_id ? msg->agent_id->value : NULL;
    out->offer.agent.hostname = msg->hostname;
    out->offer.agent.attrs = out->attrs;
    out->offer.resources = out->resources;
    return HDRF_OK;
}

void placement_pb_offer_free(placement_pb_offer *o)
{
    for (size_t i = 0; o->attrs && i < o->offer.agent.n_attrs; i++)
        free((char *)o->attrs[i].value);
    free(o->attrs);
    hdrf_resources_free(o->resources);
    memset(o, 0, sizeof *o);
}
