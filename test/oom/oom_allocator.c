/* oom_allocator.c: every call of hdrf/allocator.h under allocation failure.
 *
 * One allocator lives through frameworks (multi-role, with minimums, offer
 * constraints, suppressed roles, holdings from before), agents (reserved,
 * shared, revocable resources; maintenance; resource providers), quota and
 * weights, recovery, operations, filters, inverse offers and runs. The dump
 * is what the API shows of it: every metric, the explanations, the inverse
 * offers' statuses, paused and pending; the offers each run makes go into
 * the transcript, so a refused event that changed what later runs offer
 * shows there. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/allocator.h"
#include "lib/sbuf.h"
#include "test/oom/failalloc.h"
#include "test/oom/oom.h"
#include "test/oom/oom_scenarios.h"

/* The last offer of framework i (f1, f2) on agent j (agent1, agent2). */
typedef struct objects {
    hdrf_allocator *a;
    oom *o;
    hdrf_resources *offered[2][2];
    char role[2][2][32];
} objects;

static void emit_metric(void *arg, const char *name, double value)
{
    sbuf_printf(arg, "%s %g\n", name, value);
}

static void explain_line(void *arg, const char *role, const char *framework, hdrf_reason reason)
{
    sbuf_printf(arg, "explain %s %s %s\n", role, framework, hdrf_reason_name(reason));
}

static void status_line(void *arg, const char *agent, const char *framework,
                        hdrf_inverse_status status, hdrf_time at)
{
    sbuf_printf(arg, "status %s %s %d %lld\n", agent, framework, status, (long long)at);
}

static char *dump_objects(void *arg)
{
    objects *x = arg;
    if (!x->a)
        return strdup("no allocator");
    sbuf b = SBUF_INIT;
    if (hdrf_allocator_metrics(x->a, emit_metric, &b) != HDRF_OK ||
        hdrf_allocator_explain(x->a, explain_line, &b) != HDRF_OK ||
        hdrf_allocator_inverse_offer_statuses(x->a, status_line, &b) != HDRF_OK)
        sbuf_puts(&b, "?");
    sbuf_printf(&b, "paused %d pending %d", hdrf_allocator_paused(x->a),
                hdrf_allocator_pending(x->a));
    return sbuf_finish(&b);
}

static int index_of(const char *id, const char *first, const char *second)
{
    return strcmp(id, first) == 0 ? 0 : strcmp(id, second) == 0 ? 1 : -1;
}

static void offer(void *arg, const char *framework, const hdrf_offer_role *roles, size_t nroles)
{
    objects *x = arg;
    failalloc_hold();
    for (size_t i = 0; i < nroles; i++)
        for (size_t k = 0; k < roles[i].nagents; k++) {
            const hdrf_offer_agent *g = &roles[i].agents[k];
            char *text = hdrf_resources_format(g->resources);
            oom_log(x->o, "offer %s %s %s %s", framework, roles[i].role, g->agent, text);
            free(text);
            int f = index_of(framework, "f1", "f2"), j = index_of(g->agent, "agent1", "agent2");
            if (f < 0 || j < 0)
                continue;
            hdrf_resources_free(x->offered[f][j]);
            x->offered[f][j] = hdrf_resources_copy(g->resources);
            strncpy(x->role[f][j], roles[i].role, sizeof x->role[f][j] - 1);
        }
    failalloc_release();
}

static void inverse_offer(void *arg, const char *framework, const hdrf_inverse_offer *offers,
                          size_t n)
{
    objects *x = arg;
    for (size_t i = 0; i < n; i++)
        oom_log(x->o, "inverse offer %s %s %lld", framework, offers[i].agent,
                (long long)offers[i].unavailability.start);
}

static void log_metric(void *arg, const char *name, double value)
{
    oom_log(arg, "metric %s %g", name, value);
}

static hdrf_resources *res(const char *text, const char *role)
{
    hdrf_resources *r = NULL;
    if (hdrf_resources_parse(text, NULL, &r, NULL) != HDRF_OK ||
        (role && hdrf_resources_allocate(r, role) != HDRF_OK))
        abort();
    return r;
}

static hdrf_constraints *hostname_matches(const char *role, const char *pattern)
{
    hdrf_attribute_constraint c = {HDRF_SELECT_HOSTNAME, NULL, HDRF_TEXT_MATCHES, pattern};
    hdrf_constraint_group g = {&c, 1};
    hdrf_role_constraints rc = {role, &g, 1};
    hdrf_constraints *out = NULL;
    if (hdrf_constraints_compile(&rc, 1, NULL, &out, NULL) != HDRF_OK)
        abort();
    return out;
}

#define SHARED_VOLUME                                                                              \
    "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"                           \
    "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"eng\",\"principal\":\"p\"}],"              \
    "\"disk\":{\"persistence\":{\"id\":\"v1\"},"                                                   \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}},\"shared\":{}},"                    \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2},\"revocable\":{}},"           \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":8}},"                            \
    "{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":4096}},"                          \
    "{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":1,\"end\":9}]}},"   \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":500},"                           \
    "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"}]}]"
#define PROVIDER_DISK                                                                              \
    "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":100},"                          \
    "\"disk\":{\"source\":{\"type\":\"MOUNT\",\"mount\":{\"root\":\"/mnt\"}}},"                    \
    "\"provider_id\":{\"value\":\"rp1\"}}]"

/* A call that failed may have changed the allocator (allocator.h): the
 * scenario ends there. */
#define CALL(o, call)                                                                              \
    do {                                                                                           \
        if (!o->stopped)                                                                           \
            OOM_CALL(o, rc == HDRF_ENOMEM, rc = (call));                                           \
        if (o->stopped)                                                                            \
            goto out;                                                                              \
    } while (0)
#define LOGGED(o, call)                                                                            \
    do {                                                                                           \
        CALL(o, call);                                                                             \
        oom_log(o, "%s: %d", #call, rc);                                                           \
    } while (0)

/* Each operation as conversions, then freed. */
static void conversions(oom *o, hdrf_resources *reserved, hdrf_resources *volume)
{
    hdrf_resources *more = res("disk:10", NULL);
    hdrf_operation ops[] = {
        {HDRF_OP_RESERVE, reserved, NULL, 0},   {HDRF_OP_UNRESERVE, reserved, NULL, 0},
        {HDRF_OP_CREATE, volume, NULL, 0},      {HDRF_OP_DESTROY, volume, NULL, 0},
        {HDRF_OP_GROW_VOLUME, volume, more, 0}, {HDRF_OP_SHRINK_VOLUME, volume, NULL, 5000}};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        hdrf_conversion *c = NULL;
        size_t n = 0;
        hdrf_error e = {0};
        int rc = HDRF_OK;
        OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_operation_conversions(&ops[i], &c, &n, &e));
        oom_log(o, "conversions %zu: %d %zu %s", i, rc, n, rc ? e.text : "");
        hdrf_conversions_free(c, n);
    }
    hdrf_resources_free(more);
}

static void scenario(oom *o, hdrf_order order)
{
    objects x = {NULL, o, {{NULL}}, {{""}}};
    hdrf_allocator_options opt;
    hdrf_allocator_options_init(&opt);
    opt.region = "east";
    opt.role_order = order;
    opt.seed = 3;
    hdrf_allocator_callbacks cb = {.offer = offer, .inverse_offer = inverse_offer, .arg = &x};
    hdrf_error e = {0};
    int rc = HDRF_OK;
    o->dump = dump_objects;
    o->arg = &x;
    hdrf_quantities *guarantee = NULL, *half = NULL;
    hdrf_resources *held2 = res("cpus:1;mem:100", "eng/batch");
    hdrf_resources *total1 = res(SHARED_VOLUME, NULL);
    hdrf_resources *total2 = res("cpus:4;mem:2048", NULL);
    hdrf_resources *total2b = res("cpus:6;mem:2048;gpus:1", NULL);
    hdrf_resources *provided = res(PROVIDER_DISK, NULL);
    hdrf_resources *mem = res("mem:100", NULL);
    hdrf_resources *mem_prod = res("mem:100", NULL);
    hdrf_resources *held = NULL, *cpu = NULL, *reserved = NULL;
    hdrf_constraints *c1 = hostname_matches("eng", "host[0-9]+");
    hdrf_constraints *c2 = hostname_matches("ads", "host2");
    hdrf_allocator *a = NULL;
    o->partial = true;
    CALL(o, hdrf_allocator_new(&opt, &cb, &x.a, &e));
    a = x.a;

    const char *wroles[] = {"eng", "eng/batch"};
    double weights[] = {2, 0.5};
    CALL(o, hdrf_allocator_update_weights(a, wroles, weights, 2));
    hdrf_quantities_parse("cpus:2", &guarantee, NULL);
    hdrf_quantities_parse("cpus:0.5", &half, NULL);
    hdrf_limit limits[] = {{"cpus", 4000}, {"mem", 4096000}};
    hdrf_quota quota = {guarantee, limits, 2};
    hdrf_role_quota recovered = {"eng", {half, NULL, 0}};
    CALL(o, hdrf_allocator_recover(a, 1, &recovered, 1, 0));
    CALL(o, hdrf_allocator_update_quota(a, "prod", &quota));

    /* f1: multi-role, a minimum for eng, constraints; f2 holds on agent2
     * from before; f3 suppressed and inactive. */
    const char *roles1[] = {"eng", "prod"};
    const hdrf_quantities *alternatives[] = {half};
    hdrf_role_minimum minimum = {"eng", alternatives, 1};
    hdrf_framework_info f1 = {
        .id = "f1",
        .name = "spark",
        .roles = roles1,
        .nroles = 2,
        .capabilities = HDRF_FRAMEWORK_MULTI_ROLE | HDRF_FRAMEWORK_SHARED_RESOURCES |
                        HDRF_FRAMEWORK_REVOCABLE_RESOURCES | HDRF_FRAMEWORK_RESERVATION_REFINEMENT |
                        HDRF_FRAMEWORK_REGION_AWARE,
        .minimums = &minimum,
        .nminimums = 1,
        .constraints = c1};
    CALL(o, hdrf_allocator_add_framework(a, &f1, NULL, 0, true));
    c1 = NULL; /* the allocator's now */
    const char *roles2[] = {"eng/batch"};
    hdrf_holding on_agent2 = {"agent2", held2};
    hdrf_framework_info f2 = {.id = "f2",
                              .name = "batch",
                              .roles = roles2,
                              .nroles = 1,
                              .capabilities = HDRF_FRAMEWORK_MULTI_ROLE};
    CALL(o, hdrf_allocator_add_framework(a, &f2, &on_agent2, 1, true));
    const char *roles3[] = {"ads"};
    hdrf_framework_info f3 = {.id = "f3",
                              .name = "ads",
                              .roles = roles3,
                              .nroles = 1,
                              .suppressed_roles = roles3,
                              .nsuppressed_roles = 1};
    CALL(o, hdrf_allocator_add_framework(a, &f3, NULL, 0, false));

    hdrf_attribute rack1[] = {{"rack", HDRF_ATTR_TEXT, "r1"}};
    hdrf_attribute rack2[] = {{"rack", HDRF_ATTR_TEXT, "r2"}};
    hdrf_agent_info agent1 = {"agent1", "host1", rack1, 1, "east", "z1", HDRF_AGENT_DEFAULT};
    hdrf_agent_info agent2 = {"agent2", "host2", rack2, 1, "west", "z2", HDRF_AGENT_DEFAULT};
    hdrf_unavailability soon = {100 * HDRF_SECOND, true, 3600 * HDRF_SECOND};
    hdrf_holding by_f2 = {"f2", held2};
    CALL(o, hdrf_allocator_add_agent(a, &agent1, total1, NULL, NULL, 0));
    hdrf_resources_push_reservation(mem_prod, HDRF_RESERVATION_DYNAMIC, "prod", "ops", NULL, 0);
    hdrf_operation reserve = {HDRF_OP_RESERVE, mem_prod, mem, 0};
    LOGGED(o, hdrf_allocator_update_available(a, "agent1", &reserve, 1));
    CALL(o, hdrf_allocator_add_agent(a, &agent2, total2, &soon, &by_f2, 1));
    LOGGED(o, hdrf_allocator_flush(a, HDRF_SECOND));
    LOGGED(o, hdrf_allocator_allocate(a, 2 * HDRF_SECOND));

    /* What was offered goes back, is used, is converted. */
    double refuse = 30;
    if (x.offered[1][1])
        LOGGED(o, hdrf_allocator_recover_resources(a, "f2", "agent2", x.offered[1][1], &refuse,
                                                   false, 2 * HDRF_SECOND));
    if (x.offered[0][0]) {
        held = hdrf_resources_copy(x.offered[0][0]);
        LOGGED(o, hdrf_allocator_transition_offered_to_allocated(a, "agent1", held));
        cpu = res("cpus:1", x.role[0][0]);
        reserved = hdrf_resources_copy(cpu);
        hdrf_resources_push_reservation(reserved, HDRF_RESERVATION_DYNAMIC, x.role[0][0], "p", NULL,
                                        0);
        hdrf_conversion conv = {cpu, reserved};
        LOGGED(o, hdrf_allocator_update_allocation(a, "f1", "agent1", held, &conv, 1));
        conversions(o, reserved, held);
    }

    /* Maintenance. */
    hdrf_unavailability now = {50 * HDRF_SECOND, false, 0};
    double later = 10;
    CALL(o, hdrf_allocator_update_unavailability(a, "agent1", &now));
    LOGGED(o, hdrf_allocator_flush(a, 3 * HDRF_SECOND));
    LOGGED(o, hdrf_allocator_update_inverse_offer(a, "agent1", "f1", HDRF_INVERSE_ACCEPT, &later,
                                                  4 * HDRF_SECOND));
    CALL(o, hdrf_allocator_update_unavailability(a, "agent1", NULL));

    /* Frameworks change. */
    const char *eng[] = {"eng"};
    CALL(o, hdrf_allocator_suppress(a, "f1", eng, 1));
    CALL(o, hdrf_allocator_revive(a, "f1", NULL, 0));
    CALL(o, hdrf_allocator_deactivate_framework(a, "f2"));
    CALL(o, hdrf_allocator_activate_framework(a, "f2"));
    const char *roles1b[] = {"eng", "ads"};
    hdrf_framework_info f1b = f1;
    f1b.roles = roles1b;
    f1b.constraints = c2;
    f1b.suppressed_roles = eng;
    f1b.nsuppressed_roles = 1;
    CALL(o, hdrf_allocator_update_framework(a, &f1b));
    c2 = NULL;

    /* Agents change. */
    hdrf_agent_info agent1b = agent1;
    agent1b.attributes = rack2;
    CALL(o, hdrf_allocator_update_agent(a, &agent1b, NULL, false));
    agent2.capabilities = HDRF_AGENT_MULTI_ROLE;
    CALL(o, hdrf_allocator_update_agent(a, &agent2, total2b, true));
    CALL(o, hdrf_allocator_deactivate_agent(a, "agent2"));
    CALL(o, hdrf_allocator_activate_agent(a, "agent2"));
    CALL(o, hdrf_allocator_add_resource_provider(a, "agent2", provided, NULL, 0));
    const char *hosts[] = {"host1"};
    CALL(o, hdrf_allocator_update_whitelist(a, hosts, 1));
    LOGGED(o, hdrf_allocator_flush(a, 5 * HDRF_SECOND));
    CALL(o, hdrf_allocator_update_whitelist(a, NULL, 0));
    OOM_CALL(o, false, hdrf_allocator_pause(a));
    OOM_CALL(o, false, hdrf_allocator_resume(a));
    hdrf_quota none = {NULL, NULL, 0};
    CALL(o, hdrf_allocator_update_quota(a, "prod", &none));
    LOGGED(o, hdrf_allocator_allocate(a, 40 * HDRF_SECOND));
    CALL(o, hdrf_allocator_metrics(a, log_metric, o));
    CALL(o, hdrf_allocator_remove_agent(a, "agent2"));
    CALL(o, hdrf_allocator_remove_framework(a, "f2"));
    CALL(o, hdrf_allocator_remove_framework(a, "f1"));
    LOGGED(o, hdrf_allocator_allocate(a, 50 * HDRF_SECOND));

out:
    hdrf_allocator_free(a);
    o->dump = NULL;
    hdrf_constraints_free(c1);
    hdrf_constraints_free(c2);
    hdrf_resources_free(cpu);
    hdrf_resources_free(reserved);
    hdrf_resources_free(held);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++)
            hdrf_resources_free(x.offered[i][j]);
    hdrf_quantities_free(guarantee);
    hdrf_quantities_free(half);
    hdrf_resources_free(held2);
    hdrf_resources_free(total1);
    hdrf_resources_free(total2);
    hdrf_resources_free(total2b);
    hdrf_resources_free(provided);
    hdrf_resources_free(mem);
    hdrf_resources_free(mem_prod);
}

void oom_allocator_drf(oom *o) { scenario(o, HDRF_ORDER_DRF); }
void oom_allocator_hdrf(oom *o) { scenario(o, HDRF_ORDER_HDRF); }
