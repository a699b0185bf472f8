/* alloc_fixture.c: the allocator test harness (see alloc_fixture.h). */
#include "test/alloc_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/test.h"

void af_options(hdrf_allocator_options *o)
{
    static const char *const none[1] = {NULL};
    hdrf_allocator_options_init(o);
    o->fairness_excluded = none; /* Mesos's harness excludes nothing */
    o->nfairness_excluded = 0;
    o->seed = 1;
}

static void on_offer(void *arg, const char *framework, const hdrf_offer_role *roles, size_t nroles)
{
    af *f = arg;
    if (f->noffers == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->offers = realloc(f->offers, f->cap * sizeof *f->offers);
    }
    af_offer *o = &f->offers[f->noffers++];
    o->framework = strdup(framework);
    o->n = 0;
    for (size_t i = 0; i < nroles; i++)
        o->n += roles[i].nagents;
    o->items = calloc(o->n, sizeof *o->items);
    size_t k = 0;
    for (size_t i = 0; i < nroles; i++)
        for (size_t j = 0; j < roles[i].nagents; j++, k++) {
            o->items[k].role = strdup(roles[i].role);
            o->items[k].agent = strdup(roles[i].agents[j].agent);
            o->items[k].resources = hdrf_resources_copy(roles[i].agents[j].resources);
        }
}

static void on_inverse(void *arg, const char *framework, const hdrf_inverse_offer *offers, size_t n)
{
    af *f = arg;
    if (f->ninverse == f->icap) {
        f->icap = f->icap ? 2 * f->icap : 8;
        f->inverse = realloc(f->inverse, f->icap * sizeof *f->inverse);
    }
    af_inverse *v = &f->inverse[f->ninverse++];
    v->framework = strdup(framework);
    v->n = n;
    v->agents = calloc(n, sizeof *v->agents);
    v->unavailability = calloc(n, sizeof *v->unavailability);
    for (size_t i = 0; i < n; i++) {
        v->agents[i] = strdup(offers[i].agent);
        v->unavailability[i] = offers[i].unavailability;
    }
}

static bool on_excluded(void *arg, const char *framework, const char *role, const char *agent)
{
    af *f = arg;
    return f->excluded && f->excluded(f->excluded_arg, framework, role, agent);
}

af *af_new(const hdrf_allocator_options *options)
{
    hdrf_allocator_options o;
    if (!options) {
        af_options(&o);
        options = &o;
    }
    af *f = calloc(1, sizeof *f);
    hdrf_allocator_callbacks cb = {
        .offer = on_offer, .inverse_offer = on_inverse, .arg = f, .agent_excluded = on_excluded};
    hdrf_error e;
    f->interval = options->allocation_interval;
    CU_ASSERT_EQUAL_FATAL(hdrf_allocator_new(options, &cb, &f->a, &e), HDRF_OK);
    return f;
}

static void offer_free(af_offer *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->items[i].role);
        free(o->items[i].agent);
        hdrf_resources_free(o->items[i].resources);
    }
    free(o->items);
    free(o->framework);
}

void af_free(af *f)
{
    if (!f)
        return;
    hdrf_allocator_free(f->a);
    for (size_t i = 0; i < f->noffers; i++)
        offer_free(&f->offers[i]);
    free(f->offers);
    for (size_t i = 0; i < f->ninverse; i++) {
        for (size_t j = 0; j < f->inverse[i].n; j++)
            free(f->inverse[i].agents[j]);
        free(f->inverse[i].agents);
        free(f->inverse[i].unavailability);
        free(f->inverse[i].framework);
    }
    free(f->inverse);
    free(f);
}

hdrf_resources *af_res(const char *text, const char *role)
{
    hdrf_resources *r = NULL;
    hdrf_error e;
    int rc = hdrf_resources_parse(text, NULL, &r, &e);
    CU_ASSERT_EQUAL_FATAL(rc, HDRF_OK);
    if (role)
        CU_ASSERT_EQUAL(hdrf_resources_allocate(r, role), HDRF_OK);
    return r;
}

const char *af_agent_full(af *f, const char *resources, unsigned capabilities,
                          const hdrf_unavailability *u, const char *used_by, const char *used_role,
                          const char *used)
{
    snprintf(f->name, sizeof f->name, "agent%d", ++f->agents);
    hdrf_agent_info info = {f->name, f->name, NULL, 0, NULL, NULL, capabilities};
    hdrf_resources *total = af_res(resources, NULL);
    hdrf_resources *u_res = used ? af_res(used, used_role) : NULL;
    hdrf_holding h = {used_by, u_res};
    int rc = hdrf_allocator_add_agent(f->a, &info, total, u, &h, used ? 1 : 0);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "add_agent: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_resources_free(total);
    hdrf_resources_free(u_res);
    return f->name;
}

const char *af_agent_used(af *f, const char *resources, const char *used_by, const char *used_role,
                          const char *used)
{
    return af_agent_full(f, resources, HDRF_AGENT_DEFAULT, NULL, used_by, used_role, used);
}

const char *af_agent(af *f, const char *resources)
{
    return af_agent_used(f, resources, NULL, NULL, NULL);
}

const char *af_framework_full(af *f, const char *roles, unsigned capabilities, bool active,
                              const char *used_on, const char *used_role, const char *used)
{
    char id[64], list[256];
    snprintf(id, sizeof id, "framework%d", ++f->frameworks);
    snprintf(list, sizeof list, "%s", roles);
    const char *v[16];
    size_t n = 0;
    char *save = NULL;
    for (char *p = strtok_r(list, ",", &save); p && n < 16; p = strtok_r(NULL, ",", &save))
        v[n++] = p;
    hdrf_framework_info info = {.id = id,
                                .name = id,
                                .roles = v,
                                .nroles = n,
                                .capabilities = capabilities | HDRF_FRAMEWORK_MULTI_ROLE};
    hdrf_resources *u_res = used ? af_res(used, used_role) : NULL;
    hdrf_holding h = {used_on, u_res};
    int rc = hdrf_allocator_add_framework(f->a, &info, &h, used ? 1 : 0, active);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "add_framework: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_resources_free(u_res);
    snprintf(f->name, sizeof f->name, "%s", id);
    return f->name;
}

const char *af_framework(af *f, const char *roles, unsigned capabilities)
{
    return af_framework_full(f, roles, capabilities, true, NULL, NULL, NULL);
}

void af_settle(af *f) { CU_ASSERT_EQUAL(hdrf_allocator_flush(f->a, f->now), HDRF_OK); }

void af_batch(af *f)
{
    af_settle(f); /* Mesos settles queued events before the clock moves */
    f->now += f->interval;
    /* The batch timer fires at its own time: one interval after the last
     * batch, however far the test moved the clock. */
    f->tick += f->interval;
    CU_ASSERT_EQUAL(hdrf_allocator_allocate(f->a, f->tick), HDRF_OK);
}

void af_advance(af *f, double seconds) { f->now += (hdrf_time)(seconds * (double)HDRF_SECOND); }

const af_offer *af_take(af *f)
{
    af_settle(f);
    CU_ASSERT_TRUE(f->head < f->noffers);
    return f->head < f->noffers ? &f->offers[f->head++] : NULL;
}

void af_expect_none(af *f)
{
    af_settle(f);
    CU_ASSERT_EQUAL(f->noffers - f->head, 0);
    for (size_t i = f->head; i < f->noffers; i++) {
        char *s = hdrf_resources_format(f->offers[i].items[0].resources);
        fprintf(stderr, "unexpected offer to %s: %s@%s=%s\n", f->offers[i].framework,
                f->offers[i].items[0].role, f->offers[i].items[0].agent, s);
        free(s);
    }
    f->head = f->noffers;
}

void af_print_offer(const af_offer *o)
{
    fprintf(stderr, "  got %s:", o->framework);
    for (size_t i = 0; i < o->n; i++) {
        char *s = hdrf_resources_format(o->items[i].resources);
        fprintf(stderr, " %s@%s=%s", o->items[i].role, o->items[i].agent, s);
        free(s);
    }
    fprintf(stderr, "\n");
}

/* Whether the offer holds exactly the entries of `spec`. */
bool af_offer_is(const af_offer *o, const char *framework, const char *spec)
{
    if (strcmp(o->framework, framework) != 0)
        return false;
    char *copy = strdup(spec), *save = NULL;
    size_t n = 0;
    bool ok = true;
    for (char *e = strtok_r(copy, "|", &save); e && ok; e = strtok_r(NULL, "|", &save), n++) {
        while (*e == ' ')
            e++;
        char *at = strchr(e, '@'), *eq = at ? strchr(at, '=') : NULL;
        if (!at || !eq)
            return free(copy), false;
        *at = *eq = '\0';
        char *agent = at + 1, *res = eq + 1;
        size_t len = strlen(agent);
        while (len && agent[len - 1] == ' ')
            agent[--len] = '\0';
        hdrf_resources *want = af_res(res, e);
        bool found = false;
        for (size_t i = 0; i < o->n && !found; i++)
            found = strcmp(o->items[i].role, e) == 0 && strcmp(o->items[i].agent, agent) == 0 &&
                    hdrf_resources_equal(o->items[i].resources, want);
        hdrf_resources_free(want);
        ok = found;
    }
    free(copy);
    return ok && n == o->n;
}

void af_expect(af *f, const char *framework, const char *spec)
{
    const af_offer *o = af_take(f);
    if (!o) {
        fprintf(stderr, "expected an offer to %s: %s, got none\n", framework, spec);
        return;
    }
    bool ok = af_offer_is(o, framework, spec);
    CU_ASSERT_TRUE(ok);
    if (!ok) {
        fprintf(stderr, "expected %s: %s\n", framework, spec);
        af_print_offer(o);
    }
}

void af_recover(af *f, const char *framework, const char *agent, const char *role,
                const char *resources, double refuse_seconds)
{
    hdrf_resources *r = af_res(resources, NULL);
    af_recover_res(f, framework, agent, role, r, refuse_seconds);
    hdrf_resources_free(r);
}

void af_decline(af *f, const af_offer *o, double refuse_seconds)
{
    for (size_t i = 0; o && i < o->n; i++) {
        int rc = hdrf_allocator_recover_resources(
            f->a, o->framework, o->items[i].agent, o->items[i].resources,
            refuse_seconds < -1e300 ? NULL : &refuse_seconds, false, f->now);
        CU_ASSERT_EQUAL(rc, HDRF_OK);
    }
}

const af_inverse *af_take_inverse(af *f)
{
    af_settle(f);
    CU_ASSERT_TRUE(f->ihead < f->ninverse);
    return f->ihead < f->ninverse ? &f->inverse[f->ihead++] : NULL;
}

void af_expect_no_inverse(af *f)
{
    af_settle(f);
    CU_ASSERT_EQUAL(f->ninverse - f->ihead, 0);
    f->ihead = f->ninverse;
}

typedef struct metric_query {
    const char *name;
    double value;
} metric_query;

static void find_metric(void *arg, const char *name, double value)
{
    metric_query *q = arg;
    if (strcmp(name, q->name) == 0)
        q->value = value;
}

double af_metric(af *f, const char *name)
{
    metric_query q = {name, NAN};
    hdrf_allocator_metrics(f->a, find_metric, &q);
    return q.value;
}

void af_quota(af *f, const char *role, const char *guarantees, const char *limits)
{
    hdrf_quantities *g = NULL;
    hdrf_error e;
    if (guarantees && *guarantees)
        CU_ASSERT_EQUAL_FATAL(hdrf_quantities_parse(guarantees, &g, &e), HDRF_OK);
    hdrf_limit l[8];
    size_t n = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", limits ? limits : "");
    char *save = NULL;
    for (char *p = strtok_r(copy, ";", &save); p && n < 8; p = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(p, ':');
        CU_ASSERT_PTR_NOT_NULL_FATAL(colon);
        *colon = '\0';
        l[n].name = p;
        l[n].milli = (int64_t)llround(atof(colon + 1) * 1000);
        n++;
    }
    hdrf_quota q = {g, l, n};
    int rc = hdrf_allocator_update_quota(f->a, role, &q);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "update_quota: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_quantities_free(g);
}

void af_weight(af *f, const char *role, double weight)
{
    CU_ASSERT_EQUAL(hdrf_allocator_update_weights(f->a, &role, &weight, 1), HDRF_OK);
}

/* Splits a comma-separated list in place into v (at most 16). */
static size_t split_roles(char *list, const char **v)
{
    size_t n = 0;
    char *save = NULL;
    for (char *p = strtok_r(list, ",", &save); p && n < 16; p = strtok_r(NULL, ",", &save))
        v[n++] = p;
    return n;
}

static void suppress_or_revive(af *f, const char *framework, const char *roles, bool revive)
{
    char list[256];
    const char *v[16];
    snprintf(list, sizeof list, "%s", roles ? roles : "");
    size_t n = split_roles(list, v);
    int rc = revive ? hdrf_allocator_revive(f->a, framework, v, n)
                    : hdrf_allocator_suppress(f->a, framework, v, n);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "%s: %s\n", revive ? "revive" : "suppress", hdrf_allocator_errmsg(f->a));
}

void af_suppress(af *f, const char *framework, const char *roles)
{
    suppress_or_revive(f, framework, roles, false);
}

void af_revive(af *f, const char *framework, const char *roles)
{
    suppress_or_revive(f, framework, roles, true);
}

hdrf_resources *af_reserve(const char *text, hdrf_reservation_type type, const char *role,
                           const char *principal)
{
    hdrf_resources *r = af_res(text, NULL);
    CU_ASSERT_EQUAL(hdrf_resources_push_reservation(r, type, role, principal, NULL, 0), HDRF_OK);
    return r;
}

const char *af_agent_with(af *f, const hdrf_resources *total, const char *used_by,
                          const hdrf_resources *used)
{
    snprintf(f->name, sizeof f->name, "agent%d", ++f->agents);
    hdrf_agent_info info = {f->name, f->name, NULL, 0, NULL, NULL, HDRF_AGENT_DEFAULT};
    hdrf_holding h = {used_by, used};
    int rc = hdrf_allocator_add_agent(f->a, &info, total, NULL, &h, used ? 1 : 0);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "add_agent: %s\n", hdrf_allocator_errmsg(f->a));
    return f->name;
}

void af_expect_res(af *f, const char *framework, const char *role, const char *agent,
                   const hdrf_resources *resources)
{
    const af_offer *o = af_take(f);
    hdrf_resources *want = hdrf_resources_copy(resources);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_allocate(want, role), HDRF_OK);
    bool ok = o && strcmp(o->framework, framework) == 0 && o->n == 1 &&
              strcmp(o->items[0].role, role) == 0 && strcmp(o->items[0].agent, agent) == 0 &&
              hdrf_resources_equal(o->items[0].resources, want);
    CU_ASSERT_TRUE(ok);
    if (!ok) {
        char *s = hdrf_resources_format(want);
        fprintf(stderr, "expected %s: %s@%s=%s\n", framework, role, agent, s);
        free(s);
        if (o)
            af_print_offer(o);
        else
            fprintf(stderr, "  got none\n");
    }
    hdrf_resources_free(want);
}

hdrf_resources *af_offer_sum(const af_offer *o)
{
    hdrf_resources *sum = hdrf_resources_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sum);
    for (size_t i = 0; o && i < o->n; i++)
        CU_ASSERT_EQUAL(hdrf_resources_add(sum, o->items[i].resources), HDRF_OK);
    return sum;
}

void af_recover_res(af *f, const char *framework, const char *agent, const char *role,
                    const hdrf_resources *resources, double refuse_seconds)
{
    hdrf_resources *r = hdrf_resources_copy(resources);
    CU_ASSERT_EQUAL_FATAL(hdrf_resources_allocate(r, role), HDRF_OK);
    int rc = hdrf_allocator_recover_resources(
        f->a, framework, agent, r, refuse_seconds < -1e300 ? NULL : &refuse_seconds, false, f->now);
    CU_ASSERT_EQUAL(rc, HDRF_OK);
    if (rc != HDRF_OK)
        fprintf(stderr, "recover_resources: %s\n", hdrf_allocator_errmsg(f->a));
    hdrf_resources_free(r);
}
