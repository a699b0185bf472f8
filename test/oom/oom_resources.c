/* oom_resources.c: every call of hdrf/resources.h under allocation failure.
 *
 * The objects are four collections and two quantity sets; the dump is their
 * lossless JSON and their entries, so a refused add or reservation that left
 * one element behind shows. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "lib/sbuf.h"
#include "test/oom/oom.h"
#include "test/oom/oom_scenarios.h"

typedef struct objects {
    hdrf_resources *r[4];
    hdrf_quantities *q[2];
} objects;

static char *dump_objects(void *arg)
{
    objects *x = arg;
    sbuf b = SBUF_INIT;
    for (size_t i = 0; i < 4; i++) {
        char *json = x->r[i] ? hdrf_resources_format_json(x->r[i]) : NULL;
        sbuf_printf(&b, "r%zu=%s ", i, json ? json : "-");
        free(json);
    }
    for (size_t i = 0; i < 2; i++) {
        sbuf_printf(&b, "q%zu=", i);
        for (size_t k = 0; x->q[i] && k < hdrf_quantities_size(x->q[i]); k++)
            sbuf_printf(&b, "%s:%lld;", hdrf_quantities_name(x->q[i], k),
                        (long long)hdrf_quantities_value(x->q[i], k));
        sbuf_printf(&b, " ");
    }
    return sbuf_finish(&b);
}

#define SHARED_VOLUME                                                                              \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},"                            \
    "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"eng\",\"principal\":\"p\","                \
    "\"labels\":{\"labels\":[{\"key\":\"k\",\"value\":\"v\"}]}}],"                                 \
    "\"disk\":{\"persistence\":{\"id\":\"shared1\"},"                                              \
    "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}},\"shared\":{}}"
#define MOUNT_DISK                                                                                 \
    "{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":100},"                           \
    "\"disk\":{\"source\":{\"type\":\"MOUNT\",\"mount\":{\"root\":\"/mnt\"}}},"                    \
    "\"provider_id\":{\"value\":\"rp1\"}}"
#define REVOCABLE_CPUS                                                                             \
    "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2},\"revocable\":{}}"
#define RESOURCES_JSON "[" SHARED_VOLUME "," MOUNT_DISK "," REVOCABLE_CPUS "]"

static bool keep_disks(const hdrf_resource *r, void *arg)
{
    (void)arg;
    return strcmp(hdrf_resource_name(r), "disk") == 0;
}

/* Every getter and predicate on every element: none may need memory. */
static void inspect(oom *o, const hdrf_resources *r)
{
    oom_log(o, "size %zu empty %d scalar cpus %lld", hdrf_resources_size(r),
            hdrf_resources_empty(r), (long long)hdrf_resources_scalar(r, "cpus"));
    for (size_t i = 0; i < hdrf_resources_size(r); i++) {
        const hdrf_resource *e = hdrf_resources_at(r, i);
        size_t nranges = 0, nset = 0;
        const char *role = NULL, *principal = NULL;
        hdrf_resource_ranges(e, &nranges);
        hdrf_resource_set(e, &nset);
        hdrf_reservation_type t = hdrf_resource_reservation_count(e)
                                      ? hdrf_resource_reservation(e, 0, &role, &principal)
                                      : HDRF_RESERVATION_STATIC;
        const char *alloc = hdrf_resource_allocation_role(e);
        const char *rrole = hdrf_resource_reservation_role(e);
        const char *pid = hdrf_resource_persistence_id(e);
        const char *prov = hdrf_resource_provider_id(e);
        oom_log(o,
                "%s type %d scalar %lld ranges %zu set %zu alloc %s res %s (%d %s %s) "
                "revocable %d shared %d/%u volume %d %s source %d provider %s "
                "unreserved %d reserved %d/%d dynamic %d allocatable %d subtree %d",
                hdrf_resource_name(e), hdrf_resource_type(e), (long long)hdrf_resource_scalar(e),
                nranges, nset, alloc ? alloc : "-", rrole ? rrole : "-", t, role ? role : "-",
                principal ? principal : "-", hdrf_resource_is_revocable(e),
                hdrf_resource_is_shared(e), hdrf_resource_shared_count(e),
                hdrf_resource_is_persistent_volume(e), pid ? pid : "-",
                hdrf_resource_disk_source(e), prov ? prov : "-", hdrf_resource_is_unreserved(e),
                hdrf_resource_is_reserved(e, "eng"), hdrf_resource_is_reserved(e, NULL),
                hdrf_resource_is_dynamically_reserved(e),
                hdrf_resource_is_allocatable_to(e, "eng/batch"),
                hdrf_resource_is_reserved_to_subtree(e, "eng"));
    }
}

/* A filter's result, logged and freed. */
static void log_filtered(oom *o, const char *what, hdrf_resources *r)
{
    char *json = hdrf_resources_format_json(r);
    oom_log(o, "%s: %s", what, json ? json : "?");
    free(json);
    hdrf_resources_free(r);
}

#define FILTER(o, what, expr)                                                                      \
    do {                                                                                           \
        hdrf_resources *f_ = NULL;                                                                 \
        OOM_CALL(o, !f_, f_ = (expr));                                                             \
        log_filtered(o, what, f_);                                                                 \
    } while (0)

static void filters(oom *o, const hdrf_resources *r)
{
    FILTER(o, "filter", hdrf_resources_filter(r, keep_disks, NULL));
    FILTER(o, "unreserved", hdrf_resources_unreserved(r));
    FILTER(o, "reserved eng", hdrf_resources_reserved(r, "eng"));
    FILTER(o, "reserved any", hdrf_resources_reserved(r, NULL));
    FILTER(o, "allocatable", hdrf_resources_allocatable_to(r, "eng/batch"));
    FILTER(o, "revocable", hdrf_resources_revocable(r));
    FILTER(o, "non-revocable", hdrf_resources_non_revocable(r));
    FILTER(o, "volumes", hdrf_resources_persistent_volumes(r));
    FILTER(o, "shared", hdrf_resources_shared(r));
    FILTER(o, "non-shared", hdrf_resources_non_shared(r));
    FILTER(o, "scalars", hdrf_resources_scalars(r));
    FILTER(o, "allocated eng", hdrf_resources_allocated_to(r, "eng"));
    FILTER(o, "allocated none", hdrf_resources_allocated_to(r, NULL));
    FILTER(o, "copy", hdrf_resources_copy(r));
}

static void formats(oom *o, const hdrf_resources *r)
{
    char *s = NULL;
    OOM_CALL(o, !s, s = hdrf_resources_format(r));
    oom_log(o, "format: %s", s);
    free(s);
    s = NULL;
    OOM_CALL(o, !s, s = hdrf_resources_format_json(r));
    oom_log(o, "format_json: %s", s);
    free(s);
}

static void parse(oom *o, const char *text, const char *role, hdrf_resources **out)
{
    hdrf_error e = {0};
    int rc = HDRF_OK;
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_parse(text, role, out, &e));
    oom_log(o, "parse: %d %s %d %s", rc, rc ? e.text : "", rc ? e.position : 0, rc ? e.token : "");
}

static void reservations(oom *o, objects *x)
{
    hdrf_label labels[] = {{"owner", "alice"}, {"k", NULL}};
    const char *role = NULL;
    int rc = HDRF_OK;
    hdrf_resources **r = &x->r[3];
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_allocate(*r, "eng/batch"));
    OOM_CALL(o, false, rc = hdrf_resources_allocation_role(*r, &role));
    oom_log(o, "allocation role %d %s", rc, role ? role : "-");
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_allocate(*r, NULL));
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_resources_push_reservation(*r, HDRF_RESERVATION_DYNAMIC, "eng", "alice",
                                                  labels, 2));
    oom_log(o, "push %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_resources_push_reservation(*r, HDRF_RESERVATION_DYNAMIC, "eng/batch", NULL,
                                                  NULL, 0));
    oom_log(o, "refine %d", rc);
    OOM_CALL(
        o, rc == HDRF_ENOMEM,
        rc = hdrf_resources_push_reservation(*r, HDRF_RESERVATION_STATIC, "ads", NULL, NULL, 0));
    oom_log(o, "refused refinement %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_pop_reservation(*r));
    oom_log(o, "pop %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_flatten(*r, "eng"));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_to_unreserved(*r));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_pop_reservation(*r));
    oom_log(o, "pop unreserved %d", rc);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_flatten(*r, NULL));
}

static void quantities(oom *o, objects *x)
{
    hdrf_error e = {0};
    hdrf_quantities *q = NULL;
    int rc = HDRF_OK;
    OOM_CALL(o, !x->q[0], x->q[0] = hdrf_quantities_new());
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_set(x->q[0], "mem", 512000));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_set(x->q[0], "cpus", 1500));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_set(x->q[0], "zzz", 1));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_set(x->q[0], "zzz", 0));
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_quantities_parse("cpus:4;gpus:1;disk:10", &x->q[1], &e));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_parse("cpus:x", &q, &e));
    oom_log(o, "quantities parse %d %s %d", rc, e.text, e.position);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_add(x->q[0], x->q[1]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_subtract(x->q[1], x->q[0]));
    OOM_CALL(o, !q, q = hdrf_quantities_of(x->r[0]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_add(x->q[1], q));
    hdrf_quantities_free(q);
    q = NULL;
    OOM_CALL(o, !q, q = hdrf_quantities_of_scalars(x->r[0]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_quantities_subtract(x->q[0], q));
    hdrf_quantities_free(q);
    q = NULL;
    OOM_CALL(o, !q, q = hdrf_quantities_copy(x->q[0]));
    oom_log(o, "contains %d %d equal %d %d get %lld", hdrf_quantities_contains(x->q[0], q),
            hdrf_quantities_contains(x->q[1], x->q[0]), hdrf_quantities_equal(q, x->q[0]),
            hdrf_quantities_equal(q, x->q[1]), (long long)hdrf_quantities_get(q, "mem"));
    hdrf_quantities_free(q);
}

void oom_resources(oom *o)
{
    objects x = {{NULL}, {NULL}};
    int rc = HDRF_OK;
    o->dump = dump_objects;
    o->arg = &x;
    OOM_CALL(o, !x.r[0], x.r[0] = hdrf_resources_new());
    parse(o, "cpus:4;mem:1024;ports:[31000-31005,32000-32010];disk(eng):100;zones:{a,b}", NULL,
          &x.r[1]);
    parse(o, RESOURCES_JSON, NULL, &x.r[2]);
    parse(o, "cpus:2;ports:[1-3]", "eng", &x.r[3]);
    if (!x.r[1] || !x.r[2] || !x.r[3]) {
        oom_log(o, "a parse failed for good"); /* the clean run's transcript differs */
        goto out;
    }
    hdrf_resources *bad = NULL;
    parse(o, "cpus:2;mem:[1-2", NULL, &bad);
    parse(o, "[{\"name\":\"cpus\",\"type\":\"SCALAR\"}]", NULL, &bad);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_add(x.r[0], x.r[1]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_add(x.r[0], x.r[2]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_add(x.r[0], x.r[2])); /* shared: count 2 */
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_add(x.r[0], x.r[3]));
    inspect(o, x.r[0]);
    oom_log(o, "contains %d %d equal %d %d", hdrf_resources_contains(x.r[0], x.r[1]),
            hdrf_resources_contains(x.r[1], x.r[0]), hdrf_resources_equal(x.r[0], x.r[0]),
            hdrf_resources_equal(x.r[0], x.r[1]));
    formats(o, x.r[0]);
    filters(o, x.r[0]);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_subtract(x.r[0], x.r[2]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_subtract(x.r[0], x.r[1]));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_resources_subtract(x.r[1], x.r[3]));
    reservations(o, &x);
    quantities(o, &x);
    oom_log(o, "subtree %d %d invalid %s %s", hdrf_role_is_in_subtree("eng/batch", "eng"),
            hdrf_role_is_in_subtree("engx", "eng"), hdrf_role_invalid("a/../b"),
            hdrf_role_invalid("eng") ? "?" : "-");
out:
    for (size_t i = 0; i < 4; i++)
        hdrf_resources_free(x.r[i]);
    hdrf_quantities_free(x.q[0]);
    hdrf_quantities_free(x.q[1]);
}
