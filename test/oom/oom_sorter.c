/* oom_sorter.c: every call of hdrf/sorter.h under allocation failure, for
 * each ordering and both ways of tracking allocations.
 *
 * The dump is the sorter's own (hdrf_sorter_dump: the tree, weights, shares,
 * counts, states, in order) and, per client, what the queries answer, with
 * the snapshot of the last sort() as the caller holds it: a refused call
 * must leave it valid and as it was. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/sorter.h"
#include "lib/sbuf.h"
#include "test/oom/oom.h"
#include "test/oom/oom_scenarios.h"

static const char *const clients[] = {"a", "a/x", "a/y", "b", "c/d", "*"};
enum { NCLIENTS = sizeof clients / sizeof clients[0] };

typedef struct objects {
    hdrf_sorter *s;
    const char *const *order; /* the last sort() */
    long norder;
} objects;

static void dump_quantities(sbuf *b, hdrf_quantities *q)
{
    for (size_t k = 0; q && k < hdrf_quantities_size(q); k++)
        sbuf_printf(b, "%s:%lld;", hdrf_quantities_name(q, k),
                    (long long)hdrf_quantities_value(q, k));
    hdrf_quantities_free(q);
}

static char *dump_objects(void *arg)
{
    objects *x = arg;
    if (!x->s)
        return strdup("no sorter");
    sbuf b = SBUF_INIT;
    char *tree = hdrf_sorter_dump(x->s);
    sbuf_printf(&b, "%s count %zu order", tree ? tree : "?", hdrf_sorter_count(x->s));
    free(tree);
    for (long i = 0; x->order && i < x->norder; i++)
        sbuf_printf(&b, " %s", x->order[i]);
    for (size_t i = 0; i < NCLIENTS; i++) {
        const char *c = clients[i];
        sbuf_printf(
            &b, "\n  %s: in %d active %d data %p weight %g share %g/%g count %llu rank %ld ", c,
            hdrf_sorter_contains(x->s, c), hdrf_sorter_is_active(x->s, c),
            hdrf_sorter_data(x->s, c), hdrf_sorter_weight(x->s, c), hdrf_sorter_share(x->s, c),
            hdrf_sorter_weighted_share(x->s, c),
            (unsigned long long)hdrf_sorter_allocation_count(x->s, c), hdrf_sorter_rank(x->s, c));
        dump_quantities(&b, hdrf_sorter_allocated_quantities(x->s, c));
        size_t cursor = 0;
        const char *agent;
        const hdrf_resources *r;
        while (hdrf_sorter_allocation_next(x->s, c, &cursor, &agent, &r)) {
            char *text = hdrf_resources_format(r);
            sbuf_printf(&b, " %s=%s", agent, text ? text : "?");
            free(text);
        }
    }
    sbuf_printf(&b, "\n  all ");
    dump_quantities(&b, hdrf_sorter_allocated_quantities(x->s, NULL));
    sbuf_printf(&b, " total ");
    dump_quantities(&b, hdrf_sorter_total_quantities(x->s));
    return sbuf_finish(&b);
}

static bool visit(void *arg, const char *client, void *data)
{
    oom *o = arg;
    oom_log(o, "visit %s %p", client, data);
    return strcmp(client, "b") != 0;
}

static hdrf_resources *res(const char *text)
{
    hdrf_resources *r = NULL;
    if (hdrf_resources_parse(text, NULL, &r, NULL) != HDRF_OK)
        abort();
    return r;
}

#define SHARED_VOLUME                                                                              \
    "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"                           \
    "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"a\",\"principal\":\"p\"}],"                \
    "\"disk\":{\"persistence\":{\"id\":\"v1\"},"                                                   \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}},\"shared\":{}}]"

static void sort(oom *o, objects *x)
{
    long n = 0;
    const char *const *order = NULL;
    OOM_CALL(o, n == HDRF_ENOMEM, n = hdrf_sorter_sort(x->s, &order));
    if (n >= 0) {
        x->order = order;
        x->norder = n;
    }
}

/* A remove() that succeeds ends the snapshot; one that fails keeps it. */
static void remove(oom *o, objects *x, const char *client)
{
    int rc = HDRF_OK;
    OOM_CALL(o, rc == HDRF_ENOMEM,
             (rc = hdrf_sorter_remove(x->s, client), x->order = rc ? x->order : NULL));
}

static void scenario(oom *o, hdrf_order ordering, bool track)
{
    static const char *const excluded[] = {"gpus"};
    static int data;
    hdrf_sorter_options options = {ordering, 7, excluded, 1};
    objects x = {NULL, NULL, 0};
    int rc = HDRF_OK;
    o->dump = dump_objects;
    o->arg = &x;
    hdrf_resources *total1 = res("cpus:10;mem:1000;disk:1000;gpus:1;ports:[1-10]");
    hdrf_resources *total2 = res("cpus:6;mem:3000");
    hdrf_resources *small = res("cpus:1;mem:100");
    hdrf_resources *big = res("cpus:3;mem:200;ports:[1-2]");
    hdrf_resources *shared = res(SHARED_VOLUME);
    hdrf_quantities *totals = NULL;
    const char *const saturated[] = {"mem", "disk"};
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_new(&options, &x.s));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_track_agents(x.s, track));
    for (size_t i = 0; i < NCLIENTS; i++)
        OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add(x.s, clients[i]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add(x.s, "a"));
    oom_log(o, "add again %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add(x.s, "a//b"));
    oom_log(o, "add invalid %d", rc);
    for (size_t i = 0; i < NCLIENTS; i++)
        OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_activate(x.s, clients[i]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_data(x.s, "b", &data));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_weight(x.s, "a", 2));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_weight(x.s, "c", 0.5));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_weight(x.s, "e/f", 3));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add_agent(x.s, "agent1", total1));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add_agent(x.s, "agent2", total2));
    sort(o, &x);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "a/x", "agent1", big));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "a/x", "agent1", shared));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "a/y", "agent1", shared));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "a", "agent2", small));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "b", "agent2", big));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "c/d", "agent1", small));
    sort(o, &x);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_walk(x.s, visit, o));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_update(x.s, "b", "agent2", big, small));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_unallocated(x.s, "a/x", "agent1", small));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_unallocated(x.s, "a/y", "agent1", shared));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_unallocated(x.s, "a", "agent2", big));
    oom_log(o, "unallocate too much %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_blocked(x.s, "b", true));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_saturated(x.s, saturated, 2));
    sort(o, &x);
    oom_log(o, "allocation %d", hdrf_sorter_allocation(x.s, "b", "agent2") != NULL);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_deactivate(x.s, "a/y"));
    remove(o, &x, "a/y");
    remove(o, &x, "a/x"); /* folds a/. */
    sort(o, &x);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_remove_agent(x.s, "agent1"));
    sort(o, &x);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_saturated(x.s, NULL, 0));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_walk(x.s, visit, o));
    hdrf_sorter_free(x.s);
    /* The other way to give totals. */
    x = (objects){NULL, NULL, 0};
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_new(&options, &x.s));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_track_agents(x.s, track));
    OOM_CALL(o, !totals, totals = hdrf_quantities_of(total1));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_totals(x.s, totals));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_add(x.s, "b"));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_allocated(x.s, "b", "agent1", big));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_sorter_set_totals(x.s, totals));
    sort(o, &x);
    hdrf_sorter_free(x.s);
    o->arg = NULL;
    o->dump = NULL;
    hdrf_quantities_free(totals);
    hdrf_resources_free(total1);
    hdrf_resources_free(total2);
    hdrf_resources_free(small);
    hdrf_resources_free(big);
    hdrf_resources_free(shared);
}

void oom_sorter_drf(oom *o) { scenario(o, HDRF_ORDER_DRF, true); }
void oom_sorter_drf_untracked(oom *o) { scenario(o, HDRF_ORDER_DRF, false); }
void oom_sorter_hdrf(oom *o) { scenario(o, HDRF_ORDER_HDRF, false); }
void oom_sorter_random(oom *o) { scenario(o, HDRF_ORDER_RANDOM, true); }
