/* test_placement.c: where new instances go.
 *
 * Owns the proof that apps/placement.c fits instances into offers,
 * honours every constraint operator, spreads to the least loaded agent,
 * packs an offer while it stays the best choice, and launches gangs whole
 * or not at all. The first cases run on the offer the real Mesos 1.11.0
 * master made in the recorded session (cpus 4, mem 4096, disk 1000, ports
 * 31000-32000 on `localhost`, rack r1, zone a, allocated to role eng); the
 * others on small hand-made clusters whose expected placements are traced
 * by hand in the comments. Apps are written in the JSON of app.h. */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/pbjson.h"
#include "apps/placement.h"
#include "scheduler/wire.h"
#include "test/session.h"

#define MAX_AGENTS 6

/* ---- helpers ------------------------------------------------------------------------ */

/* One app from the JSON of app.h. */
static int load_app(const char *json, app_list *list)
{
    sched_error err;
    int status = app_list_parse(json, strlen(json), list, &err);
    if (status != HDRF_OK)
        fprintf(stderr, "\n  app: %s\n", err.text);
    CU_ASSERT_EQUAL(status, HDRF_OK);
    return status;
}

/* A hand-made cluster: hostnames, one attribute each (or none), resources. */
typedef struct cluster {
    size_t n;
    char words[MAX_AGENTS][3][64];
    placement_attr attrs[MAX_AGENTS][2];
    placement_offer offers[MAX_AGENTS];
    hdrf_resources *resources[MAX_AGENTS];
} cluster;

/* specs: "host attr=value resources" or "host - resources" per agent. */
static void cluster_make(cluster *c, const char *const *specs, size_t n)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        char(*words)[64] = c->words[i];
        char *eq;
        sscanf(specs[i], "%63s %63s %63s", words[0], words[1], words[2]);
        c->offers[i].agent.hostname = words[0];
        c->offers[i].agent.agent_id = words[0];
        if ((eq = strchr(words[1], '='))) {
            *eq = '\0';
            c->attrs[i][0].name = words[1];
            c->attrs[i][0].value = eq + 1;
            c->offers[i].agent.attrs = c->attrs[i];
            c->offers[i].agent.n_attrs = 1;
        }
        CU_ASSERT_EQUAL(hdrf_resources_parse(words[2], NULL, &c->resources[i], NULL), HDRF_OK);
        c->offers[i].resources = c->resources[i];
    }
    c->n = n;
}

static void cluster_free(cluster *c)
{
    for (size_t i = 0; i < c->n; i++)
        hdrf_resources_free(c->resources[i]);
}

/* Plans `count` instances of the list's first app; checks the chosen offers
 * against `want` (n_want of them). */
static void check_plan(const char *app_json, size_t count, const placement_agent *running,
                       size_t n_running, const cluster *c, const size_t *want, size_t n_want,
                       const char *why)
{
    app_list list;
    placement_plan plan;
    if (load_app(app_json, &list) != HDRF_OK)
        return;
    CU_ASSERT_EQUAL(
        placement_place(&list.apps[0], count, running, n_running, c->offers, c->n, &plan, NULL),
        HDRF_OK);
    CU_ASSERT_EQUAL(plan.n_placed, n_want);
    for (size_t i = 0; i < plan.n_placed && i < n_want; i++)
        CU_ASSERT_EQUAL(plan.offer[i], want[i]);
    CU_ASSERT_STRING_EQUAL(plan.why, why);
    if (plan.n_placed != n_want || strcmp(plan.why, why) != 0) {
        fprintf(stderr, "\n  placed %zu:", plan.n_placed);
        for (size_t i = 0; i < plan.n_placed; i++)
            fprintf(stderr, " %zu", plan.offer[i]);
        fprintf(stderr, " (%s)\n", plan.why);
    }
    placement_plan_free(&plan);
    app_list_free(&list);
}

#define APP(fields) "{\"apps\":[{\"id\":\"a\",\"command\":\"x\"," fields "}]}"
#define NO_ROOM "no offer has room for one more instance"
#define REFUSED "every offer with room is refused by a constraint (first: "

/* ---- the recorded offer ------------------------------------------------------------- */

/* Keeps the OFFERS event of a stream (the recorded one has one). */
static void test_recorded_offer(void)
{
    sched_event *ev = session_offers();
    placement_pb_offer o;
    app_list list;
    placement_plan plan;
    REQUIRE(ev);
    REQUIRE_TRUE(ev->offers && ev->offers->n_offers == 1);
    CU_ASSERT_EQUAL(placement_offer_from_pb(ev->offers->offers[0], &o, NULL), HDRF_OK);
    ASSERT_STR(o.offer.agent.agent_id, AGENT_ID);
    ASSERT_STR(o.offer.agent.hostname, "localhost");
    CU_ASSERT_EQUAL(o.offer.agent.n_attrs, 2);
    ASSERT_STR(o.attrs[0].name, "rack");
    ASSERT_STR(o.attrs[0].value, "r1");
    ASSERT_STR(o.attrs[1].name, "zone");
    ASSERT_STR(o.attrs[1].value, "a");
    CU_ASSERT_EQUAL(hdrf_resources_scalar(o.resources, "cpus"), 4000);
    /* three instances of cpus 0.5, mem 64 pack into it: 4 - 1.5 = 2.5 cpus
     * and 4096 - 192 = 3904 mem remain; disk and ports are untouched */
    if (load_app(APP("\"instances\":3,\"resources\":\"cpus:0.5;mem:64\""), &list) == HDRF_OK) {
        CU_ASSERT_EQUAL(placement_place(&list.apps[0], 3, NULL, 0, &o.offer, 1, &plan, NULL),
                        HDRF_OK);
        CU_ASSERT_EQUAL(plan.n_placed, 3);
        CU_ASSERT(plan.offer[0] == 0 && plan.offer[1] == 0 && plan.offer[2] == 0);
        CU_ASSERT_EQUAL(hdrf_resources_scalar(plan.remaining[0], "cpus"), 2500);
        CU_ASSERT_EQUAL(hdrf_resources_scalar(plan.remaining[0], "mem"), 3904000);
        CU_ASSERT_EQUAL(hdrf_resources_scalar(plan.remaining[0], "disk"), 1000000);
        CU_ASSERT_STRING_EQUAL(plan.why, "");
        placement_plan_free(&plan);
        app_list_free(&list);
    }
    placement_pb_offer_free(&o);
    wire_event_free(ev);
}

/* The recorded offer through the rest of the rules. */
static void test_recorded_offer_limits(void)
{
    sched_event *ev = session_offers();
    placement_pb_offer o;
    cluster one;
    static const size_t zeros[8] = {0};
    REQUIRE(ev);
    REQUIRE_TRUE(placement_offer_from_pb(ev->offers->offers[0], &o, NULL) == HDRF_OK);
    memset(&one, 0, sizeof one);
    one.n = 1;
    one.offers[0] = o.offer;
    /* 4 cpus hold 8 instances of 0.5: the 9th finds no room */
    check_plan(APP("\"resources\":\"cpus:0.5\""), 9, NULL, 0, &one, zeros, 8, NO_ROOM);
    check_plan(APP("\"resources\":\"cpus:0.5\",\"gang\":true"), 9, NULL, 0, &one, zeros, 0,
               "gang: only 8 of 9 instances fit, none placed");
    check_plan(APP("\"resources\":\"cpus:0.5\",\"gang\":true"), 8, NULL, 0, &one, zeros, 8, "");
    /* its attributes: rack r1, zone a; its hostname localhost */
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack CLUSTER r1\"]"), 2, NULL, 0,
               &one, zeros, 2, "");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"zone LIKE b\"]"), 1, NULL, 0, &one,
               zeros, 0, REFUSED "zone LIKE b)");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"hostname UNIQUE\"]"), 3, NULL, 0,
               &one, zeros, 1, REFUSED "hostname UNIQUE)");
    /* more memory than the agent has */
    check_plan(APP("\"resources\":\"cpus:1;mem:5000\""), 1, NULL, 0, &one, zeros, 0, NO_ROOM);
    placement_pb_offer_free(&o);
    wire_event_free(ev);
}

/* Attributes of every type become text: SCALAR as %g, RANGES as [a-b,c-d],
 * SET as {a,b}; a constraint compares that text. */
static void test_attribute_texts(void)
{
    static const char offer_json[] =
        "{\"id\":{\"value\":\"o1\"},\"framework_id\":{\"value\":\"f\"},"
        "\"agent_id\":{\"value\":\"s1\"},\"hostname\":\"h1\","
        "\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2}}],"
        "\"attributes\":[{\"name\":\"gen\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2.5}},"
        "{\"name\":\"slots\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":1,"
        "\"end\":2},{\"begin\":5,\"end\":9}]}},{\"name\":\"disks\",\"type\":\"SET\","
        "\"set\":{\"item\":[\"ssd\",\"nvme\"]}}]}";
    json_t *doc = json_loads(offer_json, 0, NULL);
    ProtobufCMessage *msg = NULL;
    placement_pb_offer o;
    cluster one;
    static const size_t want[] = {0};
    CU_ASSERT_EQUAL(pbjson_decode(&mesos__v1__offer__descriptor, doc, &msg, NULL), HDRF_OK);
    json_decref(doc);
    REQUIRE(msg);
    if (placement_offer_from_pb((const Mesos__V1__Offer *)msg, &o, NULL) == HDRF_OK) {
        REQUIRE_TRUE(o.offer.agent.n_attrs == 3);
        ASSERT_STR(o.attrs[0].value, "2.5");
        ASSERT_STR(o.attrs[1].value, "[1-2,5-9]");
        ASSERT_STR(o.attrs[2].value, "{ssd,nvme}");
        memset(&one, 0, sizeof one);
        one.n = 1;
        one.offers[0] = o.offer;
        check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"gen CLUSTER 2.5\","
                       "\"disks LIKE .*nvme.*\"]"),
                   1, NULL, 0, &one, want, 1, "");
        placement_pb_offer_free(&o);
    } else {
        CU_FAIL("offer not read");
    }
    protobuf_c_message_free_unpacked(msg, NULL);
}

/* ---- spreading and packing ------------------------------------------------------------ */

/* Loads 5, 0, 2: h2 takes instances at loads 0 and 1, then ties h3 at 2
 * and wins as the earlier offer, then h3 (2) beats h2 (3). */
static void test_least_loaded_first(void)
{
    static const char *const specs[] = {"h1 - cpus:4", "h2 - cpus:4", "h3 - cpus:4"};
    static const size_t want[] = {1, 1, 1, 2};
    cluster c;
    cluster_make(&c, specs, 3);
    c.offers[0].load = 5;
    c.offers[2].load = 2;
    check_plan(APP("\"resources\":\"cpus:1\""), 4, NULL, 0, &c, want, 4, "");
    cluster_free(&c);
}

/* Only port 31000 on each agent: one instance per agent. */
static void test_exact_ranges(void)
{
    static const char *const specs[] = {"h1 - cpus:4;ports:[31000-31000]",
                                        "h2 - cpus:4;ports:[31000-31000]"};
    static const size_t want[] = {0, 1};
    cluster c;
    cluster_make(&c, specs, 2);
    check_plan(APP("\"resources\":\"cpus:0.1;ports:[31000-31000]\""), 3, NULL, 0, &c, want, 2,
               NO_ROOM);
    cluster_free(&c);
}

/* Ports: each 0 is the lowest port the offer has left, after the fixed ones
 * and the ports of instances placed before: on [31000-31002,31005], the
 * first instance takes 31000 and 31001, the second 31002 and 31005, and a
 * third finds none. With a fixed 31005 and one any port, the first takes
 * 31005 and 31000; the second cannot have 31005 again. */
static void test_host_ports(void)
{
    static const char *const specs[] = {"h1 - cpus:4;ports:[31000-31002,31005-31005]"};
    cluster c;
    cluster_make(&c, specs, 1);
    app_list list;
    placement_plan plan;
    REQUIRE_TRUE(load_app(APP("\"resources\":\"cpus:0.1\",\"ports\":[0,{\"name\":\"http\"}]"),
                          &list) == HDRF_OK);
    REQUIRE_TRUE(placement_place(&list.apps[0], 3, NULL, 0, c.offers, 1, &plan, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(plan.n_placed, 2);
    CU_ASSERT_EQUAL(plan.ports[0], 31000);
    CU_ASSERT_EQUAL(plan.ports[1], 31001);
    CU_ASSERT_EQUAL(plan.ports[APP_MAX_PORTS + 0], 31002);
    CU_ASSERT_EQUAL(plan.ports[APP_MAX_PORTS + 1], 31005);
    ASSERT_STR(plan.why, NO_ROOM);
    placement_plan_free(&plan);
    app_list_free(&list);
    REQUIRE_TRUE(load_app(APP("\"resources\":\"cpus:0.1\",\"ports\":[31005,0]"), &list) == HDRF_OK);
    REQUIRE_TRUE(placement_place(&list.apps[0], 2, NULL, 0, c.offers, 1, &plan, NULL) == HDRF_OK);
    CU_ASSERT_EQUAL(plan.n_placed, 1);
    CU_ASSERT_EQUAL(plan.ports[0], 31005);
    CU_ASSERT_EQUAL(plan.ports[1], 31000);
    placement_plan_free(&plan);
    app_list_free(&list);
    cluster_free(&c);
}

/* A task group instance needs its containers' 1 + 1 cpus and the default
 * executor's 0.1: one fits in 4 cpus with 1.9 left, a second does not. */
static void test_task_group_fit(void)
{
    static const char *const specs[] = {"h1 - cpus:4;mem:1024;disk:100"};
    static const size_t want[] = {0};
    cluster c;
    cluster_make(&c, specs, 1);
    check_plan("{\"apps\":[{\"id\":\"g\",\"containers\":["
               "{\"name\":\"a\",\"resources\":\"cpus:1;mem:32\",\"command\":\"x\"},"
               "{\"name\":\"b\",\"resources\":\"cpus:1;mem:32\",\"command\":\"y\"}]}]}",
               2, NULL, 0, &c, want, 1, NO_ROOM);
    cluster_free(&c);
}

/* Resources reserved to the role fit an app that asks for plain cpus. */
static void test_reserved_offer(void)
{
    static const char *const specs[] = {"h1 - cpus(eng):4;mem(eng):512"};
    static const size_t want[] = {0, 0};
    cluster c;
    cluster_make(&c, specs, 1);
    check_plan(APP("\"role\":\"eng\",\"resources\":\"cpus:1;mem:128\""), 2, NULL, 0, &c, want, 2,
               "");
    cluster_free(&c);
}

static void test_nothing_to_do(void)
{
    static const char *const specs[] = {"h1 - cpus:4"};
    cluster c;
    cluster_make(&c, specs, 1);
    check_plan(APP("\"resources\":\"cpus:1\""), 0, NULL, 0, &c, NULL, 0, "");
    c.n = 0; /* no offers at all */
    check_plan(APP("\"resources\":\"cpus:1\""), 1, NULL, 0, &c, NULL, 0, NO_ROOM);
    c.n = 1;
    cluster_free(&c);
}

/* ---- constraints ------------------------------------------------------------------------ */

/* An instance already runs on h1: UNIQUE leaves h2 and h3. */
static void test_unique(void)
{
    static const char *const specs[] = {"h1 - cpus:4", "h2 - cpus:4", "h3 - cpus:4"};
    static const size_t want[] = {1, 2};
    placement_agent running = {"h1", "h1", NULL, 0};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[[\"hostname\",\"UNIQUE\"]]"), 5,
               &running, 1, &c, want, 2, REFUSED "hostname UNIQUE)");
    cluster_free(&c);
}

/* CLUSTER without a value follows the running instance to rack r2: h2 and
 * h3 alternate as each takes one more. With a value, only that rack. */
static void test_cluster(void)
{
    static const char *const specs[] = {"h1 rack=r1 cpus:4", "h2 rack=r2 cpus:4",
                                        "h3 rack=r2 cpus:4"};
    static const size_t on_r2[] = {1, 2, 1, 2}, on_r1[] = {0, 0};
    placement_attr r2 = {"rack", "r2"};
    placement_agent running = {"h9", "h9", &r2, 1};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[[\"rack\",\"CLUSTER\"]]"), 4,
               &running, 1, &c, on_r2, 4, "");
    /* without a running instance the first placed one decides: h1, rack r1 */
    check_plan(APP("\"resources\":\"cpus:2\",\"constraints\":[[\"rack\",\"CLUSTER\"]]"), 3, NULL, 0,
               &c, on_r1, 2, REFUSED "rack CLUSTER)");
    check_plan(APP("\"resources\":\"cpus:2\",\"constraints\":[\"rack CLUSTER r1\"]"), 3, NULL, 0,
               &c, on_r1, 2, REFUSED "rack CLUSTER r1)");
    cluster_free(&c);
}

/* h3 has no zone: it fails LIKE and passes UNLIKE. Each agent holds one
 * instance; then the others still have room but the constraint refuses
 * them, which is what the plan reports. */
static void test_like_unlike(void)
{
    static const char *const specs[] = {"h1 zone=eu-west cpus:1", "h2 zone=us-east cpus:1",
                                        "h3 - cpus:1"};
    static const size_t like[] = {0}, unlike[] = {1, 2};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"zone LIKE eu-.*\"]"), 3, NULL, 0,
               &c, like, 1, REFUSED "zone LIKE eu-.*)");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"zone UNLIKE eu-.*\"]"), 3, NULL, 0,
               &c, unlike, 2, REFUSED "zone UNLIKE eu-.*)");
    cluster_free(&c);
}

/* The patterns are RE2's (app.h), whole-value: `\d`, `\w` and `(?i)`, which
 * POSIX ERE refuses or reads as other letters, and a lazy `+?` that must
 * still reach the end of the value. */
static void test_like_unlike_re2(void)
{
    static const char *const specs[] = {"h1 rack=EU-r12 cpus:1", "h2 rack=eu-r7x cpus:1",
                                        "h3 rack=us-rx3 cpus:1"};
    static const size_t digits[] = {0}, folded[] = {0, 1}, unlike[] = {1, 2}, lazy[] = {2};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack LIKE \\\\w+-r\\\\d+\"]"), 3,
               NULL, 0, &c, digits, 1, REFUSED "rack LIKE \\w+-r\\d+)");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack LIKE (?i)eu-.*\"]"), 3, NULL,
               0, &c, folded, 2, REFUSED "rack LIKE (?i)eu-.*)");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack UNLIKE EU-r\\\\d{2}\"]"), 3,
               NULL, 0, &c, unlike, 2, REFUSED "rack UNLIKE EU-r\\d{2})");
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack LIKE u.+?3\"]"), 3, NULL, 0,
               &c, lazy, 1, REFUSED "rack LIKE u.+?3)");
    cluster_free(&c);
}

/* MAX_PER rack 2 over h1, h2 (r1) and h3 (r2): h1, h2 (r1 now full), h3,
 * h3 again (the r1 agents are refused), then nothing. */
static void test_max_per(void)
{
    static const char *const specs[] = {"h1 rack=r1 cpus:8", "h2 rack=r1 cpus:8",
                                        "h3 rack=r2 cpus:8"};
    static const size_t want[] = {0, 1, 2, 2};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack MAX_PER 2\"]"), 6, NULL, 0, &c,
               want, 4, REFUSED "rack MAX_PER 2)");
    cluster_free(&c);
}

/* GROUP_BY rack over h1, h2 (r1), h3 (r2), h4 (r3): the emptiest rack
 * first, the least loaded agent in it: h1 (r1), h3 (r2), h4 (r3), then all
 * racks hold 1 and h2 is the least loaded, then h3 and h4: 2 per rack. */
static void test_group_by(void)
{
    static const char *const specs[] = {"h1 rack=r1 cpus:8", "h2 rack=r1 cpus:8",
                                        "h3 rack=r2 cpus:8", "h4 rack=r3 cpus:8"};
    static const size_t even[] = {0, 2, 3, 1, 2, 3}, waiting[] = {0, 2, 3};
    cluster c;
    cluster_make(&c, specs, 4);
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[[\"rack\",\"GROUP_BY\"]]"), 6, NULL,
               0, &c, even, 6, "");
    /* 4 groups expected, 3 known: an unseen rack is emptier, so once each
     * known rack holds one the plan waits for offers from a fourth */
    check_plan(APP("\"resources\":\"cpus:1\",\"constraints\":[\"rack GROUP_BY 4\"]"), 6, NULL, 0,
               &c, waiting, 3, REFUSED "rack GROUP_BY 4)");
    cluster_free(&c);
}

/* Several constraints at once, with a gang: UNIQUE hostname within rack
 * r1 gives room for two, so a gang of three gets none and a gang of two
 * gets h1 and h2. */
static void test_constraints_together(void)
{
    static const char *const specs[] = {"h1 rack=r1 cpus:4", "h2 rack=r1 cpus:4",
                                        "h3 rack=r2 cpus:4"};
    static const size_t want[] = {0, 1};
    cluster c;
    cluster_make(&c, specs, 3);
    check_plan(APP("\"resources\":\"cpus:1\",\"gang\":true,\"constraints\":[\"hostname UNIQUE\","
                   "\"rack CLUSTER r1\"]"),
               3, NULL, 0, &c, NULL, 0, "gang: only 2 of 3 instances fit, none placed");
    check_plan(APP("\"resources\":\"cpus:1\",\"gang\":true,\"constraints\":[\"hostname UNIQUE\","
                   "\"rack CLUSTER r1\"]"),
               2, NULL, 0, &c, want, 2, "");
    cluster_free(&c);
}

int suite_placement(void)
{
    static const test_case cases[] = {
        {"the recorded offer: read, three instances packed", test_recorded_offer},
        {"the recorded offer: room, gang, its attributes", test_recorded_offer_limits},
        {"attributes of every type as text", test_attribute_texts},
        {"least loaded agent first, ties to the earlier offer", test_least_loaded_first},
        {"ranges keep their values", test_exact_ranges},
        {"a task group needs its executor too", test_task_group_fit},
        {"reserved offers fit plain requests", test_reserved_offer},
        {"nothing asked, nothing offered", test_nothing_to_do},
        {"UNIQUE with a running instance", test_unique},
        {"CLUSTER with and without a value", test_cluster},
        {"LIKE and UNLIKE, and a missing attribute", test_like_unlike},
        {"LIKE and UNLIKE in RE2's syntax", test_like_unlike_re2},
        {"MAX_PER", test_max_per},
        {"GROUP_BY, with and without a count", test_group_by},
        {"constraints together, as a gang", test_constraints_together},
        {"host ports: fixed, any, never the same twice", test_host_ports},
        {NULL, NULL},
    };
    return test_add_suite("placement", cases);
}
