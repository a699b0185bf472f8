/* orch_fixture.c: an orchestrator on a test clock (see orch_fixture.h). */
#include "test/orch_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/test.h"

static json_t *last_json;

const json_t *of_json(const char *text)
{
    json_error_t e;
    json_decref(last_json);
    last_json = text ? json_loads(text, 0, &e) : NULL;
    if (text && !last_json)
        fprintf(stderr, "\n  fixture JSON: %s: %s\n", text, e.text);
    return last_json;
}

bool of_init(orch_fx *f, const orch_config *cfg)
{
    memset(f, 0, sizeof *f);
    if (orch_new(cfg, &f->o, &f->err) != HDRF_OK) {
        fprintf(stderr, "\n  orch_new: %s\n", f->err.text);
        return false;
    }
    return true;
}

static void drop_offers(orch_fx *f)
{
    for (size_t i = 0; i < f->n_offers; i++)
        hdrf_resources_free(f->resources[i]);
    f->n_offers = 0;
}

void of_free(orch_fx *f)
{
    drop_offers(f);
    orch_free(f->o);
    of_json(NULL);
}

bool of_submit(orch_fx *f, const char *app_text, double timeout, char *txn, orch_out *out)
{
    int status = orch_submit(f->o, of_json(app_text), timeout, f->now, txn, out, &f->err);
    if (status != HDRF_OK)
        fprintf(stderr, "\n  submit: %s\n", f->err.text);
    return status == HDRF_OK;
}

void of_offer_role(orch_fx *f, const char *agent, const char *res, const char *role)
{
    size_t i = f->n_offers;
    int status;
    CU_ASSERT_FATAL(i < OF_MAX_OFFERS);
    status = hdrf_resources_parse(res, NULL, &f->resources[i], NULL);
    CU_ASSERT_EQUAL_FATAL(status, HDRF_OK);
    snprintf(f->offer_ids[i], sizeof f->offer_ids[i], "o%u", ++f->offer_seq);
    f->offers[i] =
        (orch_offer){f->offer_ids[i], role, {{agent, agent, NULL, 0}, f->resources[i], 0}};
    f->n_offers++;
}

void of_offer(orch_fx *f, const char *agent, const char *res)
{
    of_offer_role(f, agent, res, NULL);
}

bool of_offers(orch_fx *f, orch_out *out)
{
    int status = orch_offers(f->o, f->offers, f->n_offers, f->now, out, &f->err);
    drop_offers(f);
    if (status != HDRF_OK)
        fprintf(stderr, "\n  offers: %s\n", f->err.text);
    CU_ASSERT_EQUAL(status, HDRF_OK);
    return status == HDRF_OK;
}

void of_update_out(orch_fx *f, double now, const char *task_id, orch_task_state state,
                   orch_out *out)
{
    int status;
    f->now = now;
    status = orch_status_update(f->o, task_id, state, "a1", now, out, &f->err);
    CU_ASSERT_EQUAL(status, HDRF_OK);
}

void of_update(orch_fx *f, double now, const char *task_id, orch_task_state state)
{
    orch_out out = {0};
    of_update_out(f, now, task_id, state, &out);
    orch_out_free(&out);
}

void of_tick(orch_fx *f, double now, orch_out *out)
{
    f->now = now;
    CU_ASSERT_EQUAL(orch_tick(f->o, now, out, &f->err), HDRF_OK);
}

bool of_start(orch_fx *f, const char *app_text, const char *agent, const char *res)
{
    orch_out out = {0};
    bool ok = of_submit(f, app_text, 0, NULL, &out);
    size_t n;
    char **ids;
    orch_out_free(&out);
    of_offer(f, agent, res);
    if (!ok || !of_offers(f, &out))
        return false;
    n = out.n_launches;
    ids = out.n_launches ? calloc(n, sizeof *ids) : NULL;
    for (size_t i = 0; ids && i < n; i++) {
        ids[i] = out.launches[i].task_id;
        out.launches[i].task_id = NULL;
    }
    orch_out_free(&out);
    for (size_t i = 0; ids && i < n; i++) {
        of_update(f, f->now + (i == 0), ids[i], ORCH_TASK_RUNNING);
        free(ids[i]);
    }
    free(ids);
    return n > 0;
}

const orch_txn *of_txn(orch_fx *f, const char *id)
{
    static const orch_txn none = {.status = ORCH_TXN_STATUSES, .kind = ORCH_TXN_KINDS};
    const orch_txn *t = orch_txn_get(f->o, id);
    CU_ASSERT_PTR_NOT_NULL(t);
    return t ? t : &none;
}

void of_expect_task(orch_fx *f, const char *id, orch_task_state state, const char *agent)
{
    orch_task_info t;
    bool found = orch_task_find(f->o, id, &t);
    CU_ASSERT_TRUE(found);
    if (!found)
        return;
    CU_ASSERT_EQUAL(t.state, state);
    ASSERT_STR(t.agent_id, agent);
}

size_t of_up(orch_fx *f, const char *app_id)
{
    orch_task_info t;
    size_t n = 0;
    for (size_t i = 0; orch_task_at(f->o, i, &t); i++)
        n += strcmp(t.app_id, app_id) == 0 && t.state == ORCH_TASK_RUNNING && !t.killing;
    return n;
}

static void push(of_queue *q, const char *id, orch_task_state state)
{
    char **ids = realloc(q->ids, (q->n + 1) * sizeof *ids);
    orch_task_state *states;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ids);
    q->ids = ids;
    states = realloc(q->states, (q->n + 1) * sizeof *states);
    CU_ASSERT_PTR_NOT_NULL_FATAL(states);
    q->states = states;
    q->ids[q->n] = strdup(id);
    q->states[q->n++] = state;
}

void of_queue_take(of_queue *q, const orch_out *out)
{
    for (size_t i = 0; i < out->n_kills; i++)
        push(q, out->kills[i].task_id, ORCH_TASK_KILLED);
    for (size_t i = 0; i < out->n_launches; i++)
        push(q, out->launches[i].task_id, ORCH_TASK_RUNNING);
}

void of_queue_pop(of_queue *q)
{
    free(q->ids[0]);
    memmove(q->ids, q->ids + 1, (q->n - 1) * sizeof *q->ids);
    memmove(q->states, q->states + 1, (q->n - 1) * sizeof *q->states);
    q->n--;
}

void of_queue_free(of_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->ids[i]);
    free(q->ids);
    free(q->states);
    memset(q, 0, sizeof *q);
}
