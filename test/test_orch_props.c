/* test_orch_props.c: the orchestrator under random events.
 *
 * Owns the proof that orch.h's promises hold for any order of events, not
 * only the traced ones: 4 seeds x 2,000 random events (HDRF_PROPS_EVENTS
 * sets the count; `make check-long` runs 1,000,000) of offers, status
 * updates, ticks, scales, rolling updates, deletes and state round trips
 * (the run then goes on with the restored orchestrator), over three apps:
 * a plain one, a gang and a task group. After every event:
 *  - every offer of a round is accepted or declined, once;
 *  - every launched task id is new (its number higher than any earlier
 *    round's, and unique in its round), and no app has more live tasks of its
 *    current version (not being killed) than it wants;
 *  - an app held by its backoff launches nothing; a gang launches all it
 *    lacks or nothing;
 *  - the orchestrator's first KILL of a RUNNING old-version task leaves at
 *    least instances - max_down RUNNING tasks not being killed;
 *  - the master was last told SUPPRESS for the role only when no app has
 *    something to launch free of backoff, REVIVE only when one has (a
 *    backoff that ran out is the next tick's to tell);
 *  - a state written, read and written again is the same document. */
#include "test/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/orch_fixture.h"
#include "test/prng.h"

#define N_APPS 3
#define N_AGENTS 4
#define MAX_BEFORE 512

static const char *const app_ids[N_APPS] = {"a", "b", "c"};

/* The definition of app k at `instances`, in one of two versions. */
static void app_text(size_t k, long instances, int flavour, char *buf, size_t size)
{
    const char *cpus = flavour ? "0.5" : "1";
    if (k == 0)
        snprintf(buf, size,
                 "{\"id\":\"a\",\"instances\":%ld,\"resources\":\"cpus:%s\",\"command\":\"a\","
                 "\"restart\":{\"backoff_seconds\":2,\"reset_after_seconds\":30}}",
                 instances, cpus);
    else if (k == 1)
        snprintf(buf, size,
                 "{\"id\":\"b\",\"instances\":%ld,\"resources\":\"cpus:%s\",\"command\":\"b\","
                 "\"gang\":true}",
                 instances, cpus);
    else
        snprintf(buf, size,
                 "{\"id\":\"c\",\"instances\":%ld,\"executor_resources\":\"cpus:0.1\","
                 "\"containers\":[{\"name\":\"x\",\"resources\":\"cpus:%s\",\"command\":\"x\"},"
                 "{\"name\":\"y\",\"resources\":\"cpus:0.1\",\"command\":\"y\"}]}",
                 instances, cpus);
}

typedef struct run {
    orch_fx f;
    prng rng;
    long max_down[N_APPS];
    int flavour[N_APPS];
    uint64_t seed;
    long long last_seq; /* the highest task number launched: ids are "<app>.<n>" */
    bool failed;        /* stop at the first broken property: one report per seed */
    int told; /* what the master was last told for role "*": 0 nothing, 1 SUPPRESS, 2 REVIVE */
} run;

static void fail(run *r, const char *what, size_t event)
{
    if (!r->failed)
        fprintf(stderr, "\n  seed %llu, event %zu: %s\n", (unsigned long long)r->seed, event, what);
    r->failed = true;
}

static long long id_number(const char *id)
{
    const char *dot = strrchr(id, '.');
    return dot ? strtoll(dot + 1, NULL, 10) : -1;
}

/* Ids are "<app>.<n>" with n never reused: launch i of a round is new when
 * its n is above every earlier round's and differs from the round's
 * others. */
static bool new_id(const run *r, const orch_out *out, size_t i)
{
    long long n = id_number(out->launches[i].task_id);
    for (size_t k = 0; k < i; k++)
        if (id_number(out->launches[k].task_id) == n)
            return false;
    return n > r->last_seq;
}

static size_t app_index(const char *id)
{
    size_t k = 0;
    while (k < N_APPS && strcmp(app_ids[k], id) != 0)
        k++;
    return k;
}

static bool submit(run *r, size_t k, long instances, orch_out *out)
{
    char text[512];
    app_text(k, instances, r->flavour[k], text, sizeof text);
    return of_submit(&r->f, text, 0, NULL, out);
}

/* ---- the events ------------------------------------------------------------------- */

static void check_round(run *r, const orch_out *out, size_t n_offers, const size_t *pending,
                        const bool *held, size_t event)
{
    unsigned *used = calloc(n_offers + 1, sizeof *used);
    size_t per_app[N_APPS] = {0};
    if (!used)
        return;
    for (size_t i = 0; i < out->n_accepts; i++)
        used[out->accepts[i].offer]++;
    for (size_t i = 0; i < out->n_declines; i++)
        used[out->declines[i].offer]++;
    for (size_t i = 0; i < n_offers; i++)
        if (used[i] != 1)
            fail(r, "an offer neither accepted nor declined once", event);
    free(used);
    for (size_t i = 0; i < out->n_launches; i++) {
        size_t k = app_index(out->launches[i].app->id);
        if (!new_id(r, out, i))
            fail(r, "a task id launched twice", event);
        if (k < N_APPS)
            per_app[k]++;
    }
    for (size_t i = 0; i < out->n_launches; i++)
        if (id_number(out->launches[i].task_id) > r->last_seq)
            r->last_seq = id_number(out->launches[i].task_id);
    for (size_t k = 0; k < N_APPS; k++) {
        if (held[k] && per_app[k] > 0)
            fail(r, "a launch while held by backoff", event);
        if (k == 1 && per_app[k] != 0 && per_app[k] != pending[k])
            fail(r, "a gang launched in part", event);
    }
}

static void offers_event(run *r, orch_out *out, size_t event)
{
    size_t pending[N_APPS] = {0}, n;
    bool held[N_APPS] = {false};
    orch_app_info info;
    char agent[N_AGENTS][8];
    for (size_t k = 0; k < N_APPS; k++)
        if (orch_app_find(r->f.o, app_ids[k], &info)) {
            pending[k] = info.pending;
            held[k] = info.held_until > r->f.now;
        }
    for (size_t i = 0; i < N_AGENTS; i++)
        if (prng_below(&r->rng, 2)) {
            snprintf(agent[i], sizeof agent[i], "a%zu", i + 1);
            of_offer(&r->f, agent[i], prng_below(&r->rng, 2) ? "cpus:4" : "cpus:1");
        }
    n = r->f.n_offers;
    if (of_offers(&r->f, out))
        check_round(r, out, n, pending, held, event);
}

/* A random live task, or NULL. */
static bool random_task(run *r, orch_task_info *t)
{
    size_t n = orch_task_count(r->f.o);
    return n > 0 && orch_task_at(r->f.o, prng_below(&r->rng, n), t);
}

static void update_event(run *r, orch_out *out)
{
    static const orch_task_state states[] = {
        ORCH_TASK_RUNNING, ORCH_TASK_RUNNING, ORCH_TASK_STARTING, ORCH_TASK_FAILED,
        ORCH_TASK_KILLED,  ORCH_TASK_LOST,    ORCH_TASK_FINISHED};
    orch_task_info t;
    char id[128];
    if (!random_task(r, &t))
        return;
    /* Group instances report through a container. */
    snprintf(id, sizeof id, "%s%s", t.id, strcmp(t.app_id, "c") == 0 ? ".y" : "");
    orch_task_state s =
        t.killing ? ORCH_TASK_KILLED : states[prng_below(&r->rng, sizeof states / sizeof *states)];
    CU_ASSERT_EQUAL(orch_status_update(r->f.o, id, s, t.agent_id, r->f.now, out, NULL), HDRF_OK);
}

static void operator_event(run *r, orch_out *out, unsigned what)
{
    size_t k = prng_below(&r->rng, N_APPS);
    orch_app_info info;
    char text[512];
    if (!orch_app_find(r->f.o, app_ids[k], &info)) {
        r->max_down[k] = 0;
        submit(r, k, (long)prng_below(&r->rng, 4), out);
        return;
    }
    if (info.deleting)
        return;
    if (what == 0) {
        CU_ASSERT_EQUAL(orch_scale(r->f.o, app_ids[k], (long)prng_below(&r->rng, 5), 0, r->f.now,
                                   NULL, out, NULL),
                        HDRF_OK);
    } else if (what == 1) {
        long max_down = (long)prng_below(&r->rng, 3);
        r->flavour[k] = !r->flavour[k];
        app_text(k, info.desired, r->flavour[k], text, sizeof text);
        CU_ASSERT_EQUAL(orch_update(r->f.o, of_json(text), max_down, 0, r->f.now, NULL, out, NULL),
                        HDRF_OK);
        r->max_down[k] = max_down;
    } else {
        CU_ASSERT_EQUAL(
            orch_delete(r->f.o, app_ids[k], prng_below(&r->rng, 2), 0, r->f.now, NULL, out, NULL),
            HDRF_OK);
    }
}

static void round_trip_event(run *r, size_t event)
{
    json_t *doc = orch_to_json(r->f.o, r->f.now), *again = NULL;
    orch *restored = NULL;
    if (!doc || orch_from_json(NULL, doc, r->f.now, &restored, NULL) != HDRF_OK ||
        !(again = orch_to_json(restored, r->f.now)) || !json_equal(doc, again))
        fail(r, "the state does not survive a round trip", event);
    json_decref(doc);
    json_decref(again);
    if (restored) {
        orch_free(r->f.o);
        r->f.o = restored;
    }
}

/* ---- the properties after every event ------------------------------------------------ */

/* Killing flags before an event, to tell a first KILL from a retry. */
static bool was_killing(const orch_task_info *before, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(before[i].id, id) == 0)
            return before[i].killing;
    return false;
}

/* The task a KILL names: itself, or the group instance of a container. */
static bool find_instance(const orch *o, const char *id, orch_task_info *t)
{
    char instance[128];
    char *dot;
    if (orch_task_find(o, id, t))
        return true;
    snprintf(instance, sizeof instance, "%s", id);
    if (!(dot = strrchr(instance, '.')))
        return false;
    *dot = '\0';
    return orch_task_find(o, instance, t);
}

/* The master's view of role "*" after the event's calls, against whether
 * an app wants offers: with something to launch and no backoff, surely;
 * with a backoff over that no tick has seen yet, maybe (a tick says). */
static void check_role(run *r, const orch_out *out, size_t event)
{
    orch_app_info info;
    bool surely = false, maybe = false;
    for (size_t i = 0; i < out->n_suppress; i++)
        r->told = strcmp(out->suppress[i], "*") == 0 ? 1 : r->told;
    for (size_t i = 0; i < out->n_revive; i++)
        r->told = strcmp(out->revive[i], "*") == 0 ? 2 : r->told;
    for (size_t k = 0; k < N_APPS; k++)
        if (orch_app_find(r->f.o, app_ids[k], &info) && info.pending > 0) {
            surely = surely || info.held_until == 0;
            maybe = maybe || info.held_until <= r->f.now;
        }
    if (r->told == 1 && surely)
        fail(r, "work waits while the role is suppressed", event);
    if (r->told == 2 && !maybe)
        fail(r, "the role is revived with nothing to launch", event);
}

static void check_state(run *r, const orch_out *out, const orch_task_info *before, size_t n_before,
                        size_t event)
{
    orch_app_info info;
    orch_task_info t;
    check_role(r, out, event);
    for (size_t k = 0; k < N_APPS; k++) {
        size_t current = 0, up = 0;
        if (!orch_app_find(r->f.o, app_ids[k], &info))
            continue;
        for (size_t i = 0; orch_task_at(r->f.o, i, &t); i++) {
            if (strcmp(t.app_id, app_ids[k]) != 0 || t.killing)
                continue;
            current += t.version == info.version;
            up += t.state == ORCH_TASK_RUNNING;
        }
        if (!info.deleting && (long)current > info.desired)
            fail(r, "more tasks of the current version than wanted", event);
        for (size_t i = 0; i < out->n_kills; i++)
            if (find_instance(r->f.o, out->kills[i].task_id, &t) &&
                strcmp(t.app_id, app_ids[k]) == 0 && t.version != info.version &&
                t.state == ORCH_TASK_RUNNING && !was_killing(before, n_before, t.id) &&
                !info.deleting && (long)up < info.desired - r->max_down[k])
                fail(r, "an update took more than max_down instances down", event);
    }
}

static void run_seed(uint64_t seed, size_t events)
{
    run r;
    orch_config cfg = {.launch_timeout_seconds = 50,
                       .kill_retry_seconds = 20,
                       .reconcile_seconds = 100,
                       .sticky_seconds = 10};
    orch_task_info *before = calloc(MAX_BEFORE, sizeof *before);
    memset(&r, 0, sizeof r);
    r.rng.state = r.seed = seed;
    r.last_seq = -1;
    if (!before || !of_init(&r.f, &cfg)) {
        CU_FAIL("setup");
        goto out;
    }
    for (size_t k = 0; k < N_APPS; k++) {
        orch_out out = {0};
        submit(&r, k, 2, &out);
        orch_out_free(&out);
    }
    for (size_t e = 0; e < events && !r.failed; e++) {
        orch_out out = {0};
        size_t n_before = 0;
        unsigned kind = (unsigned)prng_below(&r.rng, 12);
        orch_task_info t;
        for (size_t i = 0; n_before < MAX_BEFORE && orch_task_at(r.f.o, i, &t); i++)
            before[n_before++] = t;
        r.f.now += (double)prng_below(&r.rng, 4);
        if (kind < 3) {
            offers_event(&r, &out, e);
        } else if (kind < 8) {
            update_event(&r, &out);
        } else if (kind < 9) {
            CU_ASSERT_EQUAL(orch_tick(r.f.o, r.f.now, &out, NULL), HDRF_OK);
        } else if (kind < 11) {
            operator_event(&r, &out, (unsigned)prng_below(&r.rng, 3));
        } else {
            round_trip_event(&r, e);
        }
        check_state(&r, &out, before, n_before, e);
        orch_out_free(&out);
    }
    CU_ASSERT_FALSE(r.failed);
out:
    free(before);
    of_free(&r.f);
}

static void test_random_events(void)
{
    const char *env = getenv("HDRF_PROPS_EVENTS");
    size_t events = env ? (size_t)strtoul(env, NULL, 10) : 2000;
    for (uint64_t seed = 1; seed <= 4; seed++)
        run_seed(seed, events);
}

int suite_orch_props(void)
{
    static const test_case cases[] = {
        {"4 seeds of random events: the promises hold", test_random_events},
        {NULL, NULL},
    };
    return test_add_suite("orch_props", cases);
}
