/* fuzz_orch_state.c: libFuzzer target for the orchestrator's stored state (make fuzz).
 *
 * Input: the document orch_to_json() writes and a new leader loads
 * (orch.h, "Serialization"). A refusal builds nothing and says why on one
 * non-empty line. An accepted document, loaded and saved, gives the same
 * document back: every member the input holds, with the same value (times
 * rebased on the same clock, so equal up to rounding), except what the
 * reader documents as meaningless (a hold that has already ended, the end
 * of a transaction still pending), and nothing it does not hold but nulls.
 * That document loads again into an orchestrator equal, app by app, task
 * by task and transaction by transaction, to the first, which saves the
 * same document once more. The clock reads NOW, as a freshly booted
 * standby's monotonic clock would. Seeds: the suite's documents and states
 * saved along a scripted run (submit, launch, failure and backoff, scale,
 * delete). */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/orch.h"

#define NOW 1000.0

static bool near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(NOW, fmax(fabs(a), fabs(b)));
}

static bool same_string(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- documents ---------------------------------------------------------------- */

static bool same_json(const json_t *in, const json_t *out, bool lenient);

/* A member of `in` the saved document may leave out. */
static bool meaningless(const json_t *in, const char *key, const json_t *v)
{
    if (strcmp(key, "held_for") == 0)
        return json_number_value(v) <= 0;
    if (strcmp(key, "finished_ago") == 0)
        return same_string(json_string_value(json_object_get(in, "status")), "pending");
    return false;
}

static bool same_object(const json_t *in, const json_t *out, bool lenient)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)in, key, v)
    {
        const json_t *w = json_object_get(out, key);
        if (w ? !same_json(v, w, lenient) : !(lenient && meaningless(in, key, v)))
            return false;
    }
    json_object_foreach((json_t *)out, key, v) if (!json_object_get(in, key) &&
                                                   !(lenient && json_is_null(v))) return false;
    return true;
}

/* `out` holds what `in` holds; `lenient`: `in` is the input, `out` what
 * was saved of it. */
static bool same_json(const json_t *in, const json_t *out, bool lenient)
{
    if (json_is_integer(in) && json_is_integer(out))
        return json_integer_value(in) == json_integer_value(out);
    if (json_is_number(in) && json_is_number(out))
        return near(json_number_value(in), json_number_value(out));
    if (json_typeof(in) != json_typeof(out))
        return false;
    if (json_is_object(in))
        return same_object(in, out, lenient);
    if (json_is_array(in)) {
        if (json_array_size(in) != json_array_size(out))
            return false;
        for (size_t i = 0; i < json_array_size(in); i++)
            if (!same_json(json_array_get(in, i), json_array_get(out, i), lenient))
                return false;
        return true;
    }
    return json_equal((json_t *)in, (json_t *)out);
}

/* ---- orchestrators ------------------------------------------------------------ */

static bool same_apps(const orch *a, const orch *b)
{
    orch_app_info x, y;
    if (orch_app_count(a) != orch_app_count(b))
        return false;
    for (size_t i = 0; orch_app_at(a, i, &x); i++)
        if (!orch_app_at(b, i, &y) || strcmp(x.def->id, y.def->id) != 0 || x.version != y.version ||
            x.desired != y.desired || x.live != y.live || x.running != y.running ||
            x.pending != y.pending || x.failures != y.failures ||
            !near(x.held_until, y.held_until) || x.deleting != y.deleting)
            return false;
    return true;
}

static bool same_tasks(const orch *a, const orch *b)
{
    orch_task_info x, y;
    if (orch_task_count(a) != orch_task_count(b))
        return false;
    for (size_t i = 0; orch_task_at(a, i, &x); i++)
        if (!orch_task_at(b, i, &y) || strcmp(x.id, y.id) != 0 || strcmp(x.app_id, y.app_id) != 0 ||
            !same_string(x.agent_id, y.agent_id) || !same_string(x.hostname, y.hostname) ||
            x.state != y.state || x.version != y.version || x.killing != y.killing ||
            x.running != y.running || !near(x.launched_at, y.launched_at) ||
            !near(x.running_since, y.running_since))
            return false;
    return true;
}

static bool same_txns(const orch *a, const orch *b)
{
    if (orch_txn_count(a) != orch_txn_count(b))
        return false;
    for (size_t i = 0; i < orch_txn_count(a); i++) {
        const orch_txn *x = orch_txn_at(a, i), *y = orch_txn_at(b, i);
        if (strcmp(x->id, y->id) != 0 || strcmp(x->app_id, y->app_id) != 0 || x->kind != y->kind ||
            x->status != y->status || x->target != y->target || x->max_down != y->max_down ||
            !near(x->created_at, y->created_at) || !near(x->deadline, y->deadline) ||
            !near(x->finished_at, y->finished_at))
            return false;
    }
    return true;
}

static orch *load(const json_t *doc, bool must)
{
    orch *o = (orch *)&o; /* must become NULL on refusal */
    sched_error err;
    int status = orch_from_json(NULL, doc, NOW, &o, &err);
    if (status == HDRF_OK)
        return o;
    if (must || o || status != HDRF_EINVAL || !err.text[0] || strchr(err.text, '\n'))
        abort();
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, 0, &jerr);
    orch *first = doc ? load(doc, false) : NULL;
    if (first) {
        json_t *saved = orch_to_json(first, NOW), *again;
        orch *second;
        if (!saved || !same_json(doc, saved, true) || !(second = load(saved, true)) ||
            !same_apps(first, second) || !same_tasks(first, second) || !same_txns(first, second) ||
            !(again = orch_to_json(second, NOW)) || !same_json(saved, again, false))
            abort();
        json_decref(again);
        json_decref(saved);
        orch_free(second);
        orch_free(first);
    }
    json_decref(doc);
    return 0;
}
