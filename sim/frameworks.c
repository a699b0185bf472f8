/* frameworks.c: what the simulated frameworks do (see engine.h).
 *
 * A framework here is the companion scheduler's decision code with the
 * network taken away: work arrives for its jobs; offers come from the
 * allocator's callback; placement_place() says which offer each pending
 * task goes to; the framework launches those (the allocator hears
 * transition_offered_to_allocated), declines what is left of each offer
 * with its refuse_seconds filter, and suppresses a role with nothing
 * pending, reviving it when work arrives. Tasks give their resources back
 * when they end (recover_resources with is_allocated).
 *
 * Offers are copied in the callback (its data lives only during the call,
 * and a callback must not call back into the allocator) and answered once
 * the run is over, in the order they came. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine_internal.h"
#include "sim/take.h"

#define MIN_TASK_TIME (HDRF_SECOND / 1000) /* a zero-length task still ends later */

/* ---- the offer callback ---------------------------------------------------------------------- */

void fw_offer_callback(void *arg, const char *framework, const hdrf_offer_role *roles,
                       size_t nroles)
{
    engine *e = arg;
    size_t f = engine_framework(e, framework), first = e->nitems;
    if (e->failed)
        return;
    if (f == e->nfws) {
        engine_fail(e, HDRF_ENOTFOUND, "offer to an unknown framework %s", framework);
        return;
    }
    const sim_framework *d = e->fws[f].def;
    for (size_t r = 0; r < nroles; r++) {
        size_t role = 0;
        while (role < d->nroles && strcmp(d->roles[role], roles[r].role) != 0)
            role++;
        if (role == d->nroles) {
            engine_fail(e, HDRF_EINVAL, "offer to %s for role %s it does not have", framework,
                        roles[r].role);
            return;
        }
        for (size_t k = 0; k < roles[r].nagents; k++) {
            size_t ag = engine_agent(e, roles[r].agents[k].agent);
            hdrf_resources *copy = hdrf_resources_copy(roles[r].agents[k].resources);
            if (ag == e->nagents) {
                hdrf_resources_free(copy);
                engine_fail(e, HDRF_ENOTFOUND, "offer on an unknown agent %s",
                            roles[r].agents[k].agent);
                return;
            }
            if (!copy ||
                array_reserve((void **)&e->items, &e->capitems, e->nitems + 1, sizeof *e->items)) {
                hdrf_resources_free(copy);
                engine_fail(e, HDRF_ENOMEM, "offer: out of memory");
                return;
            }
            e->items[e->nitems++] = (offer_item){ag, role, copy};
            if (e->level >= HDRF_LOG_DEBUG && e->in->log) {
                char *text = hdrf_resources_format(copy);
                engine_log(e, HDRF_LOG_DEBUG, "offer %s %s on %s: %s", framework, roles[r].role,
                           e->agents[ag].id, text ? text : "?");
                free(text);
            }
        }
    }
    if (array_reserve((void **)&e->batches, &e->capbatches, e->nbatches + 1, sizeof *e->batches)) {
        engine_fail(e, HDRF_ENOMEM, "offer: out of memory");
        return;
    }
    e->batches[e->nbatches++] = (offer_batch){f, first, e->nitems - first};
    e->res->offers += (long)(e->nitems - first);
}

void fw_explain(void *arg, const char *role, const char *framework, hdrf_reason reason)
{
    engine *e = arg;
    size_t f = engine_framework(e, framework);
    if (f == e->nfws || (unsigned)reason >= SIM_REASONS)
        return;
    const fw_rt *fw = &e->fws[f];
    for (size_t r = 0; r < fw->def->nroles; r++)
        if (strcmp(fw->def->roles[r], role) == 0 && fw->pending[r] > 0)
            e->res->entities[fw->ent].reasons[reason]++;
}

/* ---- pending work ---------------------------------------------------------------------------- */

static int push_pending(engine *e, job_rt *j, pending_task t)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 16;
        pending_task *q = malloc(cap * sizeof *q);
        if (!q)
            return engine_fail(e, HDRF_ENOMEM, "out of memory");
        for (size_t i = 0; i < j->n; i++)
            q[i] = j->q[(j->head + i) % j->cap];
        free(j->q);
        j->q = q;
        j->head = 0;
        j->cap = cap;
    }
    j->q[(j->head + j->n++) % j->cap] = t;
    return HDRF_OK;
}

static pending_task pop_pending(job_rt *j)
{
    pending_task t = j->q[j->head];
    j->head = (j->head + 1) % j->cap;
    j->n--;
    return t;
}

static void count_pending(engine *e, job_rt *j, long n)
{
    fw_rt *f = &e->fws[j->fw];
    f->pending[j->role] += n;
    e->role_pending[j->role_ent] += n;
    f->dirty = true;
}

/* When the job's next arrival comes after one at `now`. */
static hdrf_time next_arrival(job_rt *j, hdrf_time now)
{
    const sim_arrivals *a = &j->def->arrivals;
    hdrf_time gap;
    if (a->process == ARRIVE_FIXED)
        return now + a->every;
    if (a->process == ARRIVE_POISSON) {
        gap = rng_exponential(&j->draw, a->every);
        return now + (gap > 0 ? gap : 1);
    }
    /* Bursty: the same mean rate squeezed into the on windows. */
    hdrf_time period = a->on + a->off;
    gap = rng_exponential(&j->draw, (hdrf_time)((double)a->every * (double)a->on / (double)period));
    hdrf_time t = now + (gap > 0 ? gap : 1);
    hdrf_time phase = (t - a->first) % period;
    return phase >= a->on ? t + period - phase : t;
}

int fw_arrival(engine *e, size_t index)
{
    job_rt *j = &e->jobs[index];
    long n = rng_range(&j->draw, j->def->instances_min, j->def->instances_max);
    for (long i = 0; i < n; i++) {
        pending_task t = {e->now, rng_duration(&j->draw, &j->def->duration)};
        if (push_pending(e, j, t) != HDRF_OK)
            return e->failed;
    }
    count_pending(e, j, n);
    engine_log(e, HDRF_LOG_DEBUG, "arrive %s/%s: %ld tasks", e->fws[j->fw].def->id, j->def->app.id,
               n);
    j->arrivals++;
    if (j->def->arrivals.repeat && j->arrivals >= j->def->arrivals.repeat)
        return HDRF_OK;
    hdrf_time t = next_arrival(j, e->now);
    return t <= e->duration ? engine_push(e, t, EV_ARRIVAL, index) : HDRF_OK;
}

/* ---- tasks ----------------------------------------------------------------------------------- */

static int launch(engine *e, size_t jid, size_t agent, hdrf_resources *offer)
{
    job_rt *j = &e->jobs[jid];
    fw_rt *f = &e->fws[j->fw];
    hdrf_resources *used = NULL;
    int rc = take_resources(offer, j->need, f->def->roles[j->role], &used);
    if (rc != HDRF_OK)
        return rc == HDRF_ENOFIT ? HDRF_OK /* placement saw room the offer lacks: skip */
                                 : engine_fail(e, rc, "launch: out of memory");
    if (hdrf_resources_subtract(offer, used) != HDRF_OK ||
        array_reserve((void **)&e->tasks, &e->captasks, e->ntasks + 1, sizeof *e->tasks) ||
        array_reserve((void **)&j->running, &j->caprunning, j->nrunning + 1, sizeof *j->running)) {
        hdrf_resources_free(used);
        return engine_fail(e, HDRF_ENOMEM, "launch: out of memory");
    }
    if ((rc = hdrf_allocator_transition_offered_to_allocated(e->a, e->agents[agent].id, used)) !=
        HDRF_OK) {
        hdrf_resources_free(used);
        return engine_fail(e, rc, "launch on %s: %s", e->agents[agent].id,
                           hdrf_allocator_errmsg(e->a));
    }
    size_t id = e->nfree ? e->free_tasks[--e->nfree] : e->ntasks++;
    pending_task p = pop_pending(j);
    e->tasks[id] = (task_rt){jid, agent, j->nrunning, ++j->launches, e->now, used, true};
    j->running[j->nrunning++] = id;
    f->load[agent]++;
    count_pending(e, j, -1);
    engine_hold(e, j, used, +1);
    if (e->level >= HDRF_LOG_DEBUG && e->in->log) {
        char *text = hdrf_resources_format(used);
        engine_log(e, HDRF_LOG_DEBUG, "launch %s %s.%ld on %s: %s (waited %.3f s)", f->def->id,
                   j->def->app.id, j->launches, e->agents[agent].id, text ? text : "?",
                   (double)(e->now - p.submitted) / (double)HDRF_SECOND);
        free(text);
    }
    if ((rc = engine_count_launch(e, j, e->now - p.submitted)) != HDRF_OK)
        return rc;
    if (p.duration < 0)
        return HDRF_OK; /* runs until the end */
    return engine_push(e, e->now + (p.duration > MIN_TASK_TIME ? p.duration : MIN_TASK_TIME),
                       EV_END, id);
}

int fw_task_end(engine *e, size_t id)
{
    task_rt *t = &e->tasks[id];
    job_rt *j = &e->jobs[t->job];
    fw_rt *f = &e->fws[j->fw];
    int rc = hdrf_allocator_recover_resources(e->a, f->def->id, e->agents[t->agent].id, t->used,
                                              NULL, true, e->now);
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "task end on %s: %s", e->agents[t->agent].id,
                           hdrf_allocator_errmsg(e->a));
    engine_hold(e, j, t->used, -1);
    engine_count_finish(e, j);
    engine_log(e, HDRF_LOG_DEBUG, "end %s %s.%ld on %s: TASK_FINISHED (ran %.3f s)", f->def->id,
               j->def->app.id, t->seq, e->agents[t->agent].id,
               (double)(e->now - t->started) / (double)HDRF_SECOND);
    f->load[t->agent]--;
    /* Swap-remove from the job's running list, fixing the moved task's slot. */
    size_t last = j->running[--j->nrunning];
    j->running[t->slot] = last;
    e->tasks[last].slot = t->slot;
    hdrf_resources_free(t->used);
    t->used = NULL;
    t->live = false;
    if (array_reserve((void **)&e->free_tasks, &e->capfree, e->nfree + 1, sizeof *e->free_tasks))
        return engine_fail(e, HDRF_ENOMEM, "out of memory");
    e->free_tasks[e->nfree++] = id;
    return HDRF_OK;
}

/* ---- answering offers ------------------------------------------------------------------------ */

/* At most how many tasks of `need` the offers can hold (scalars only), so
 * that placement is never asked for far more than could fit. */
static size_t room_for(const hdrf_resources *need, const placement_offer *po, size_t n, long cap)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        long fits = cap > 0 ? cap : LONG_MAX;
        for (size_t k = 0; k < hdrf_resources_size(need); k++) {
            const hdrf_resource *r = hdrf_resources_at(need, k);
            int64_t want = hdrf_resource_type(r) == HDRF_SCALAR ? hdrf_resource_scalar(r) : 0;
            if (want <= 0)
                continue;
            int64_t have = hdrf_resources_scalar(po[i].resources, hdrf_resource_name(r));
            if (have / want < fits)
                fits = (long)(have / want);
        }
        total += fits == LONG_MAX ? (size_t)1 << 20 : (size_t)fits;
    }
    return total;
}

/* Whether the plan puts more than `cap` tasks on an offer, counting the
 * tasks already taken from it (left as they were). */
static bool over_cap(const placement_plan *plan, unsigned *taken, long cap)
{
    bool over = false;
    for (size_t k = 0; k < plan->n_placed; k++)
        over |= ++taken[plan->offer[k]] > (unsigned)cap;
    for (size_t k = 0; k < plan->n_placed; k++)
        taken[plan->offer[k]]--;
    return over;
}

/* Places the pending tasks of job `jid` over the offers of one role. */
static int place_job(engine *e, size_t jid, offer_item *items, placement_offer *po, unsigned *taken,
                     size_t n)
{
    job_rt *j = &e->jobs[jid];
    fw_rt *f = &e->fws[j->fw];
    long cap = f->def->max_tasks_per_offer;
    size_t count = room_for(j->need, po, n, cap);
    if (count > j->n)
        count = j->n;
    if (j->def->app.gang && count < j->n)
        return HDRF_OK; /* a gang launches all its pending tasks or none */
    if (count == 0)
        return HDRF_OK;
    /* Constraints look at where the job's tasks run; without any, skip
     * building that list. */
    placement_agent *running = NULL;
    size_t nrunning = j->def->app.n_constraints ? j->nrunning : 0;
    if (nrunning && !(running = malloc(nrunning * sizeof *running)))
        return engine_fail(e, HDRF_ENOMEM, "out of memory");
    for (size_t i = 0; i < nrunning; i++)
        running[i] = e->agents[e->tasks[j->running[i]].agent].pa;
    placement_plan plan;
    sched_error err;
    int rc = placement_place(&j->def->app, count, running, nrunning, po, n, &plan, &err);
    free(running);
    if (rc != HDRF_OK)
        return engine_fail(e, rc, "placement: %s", err.text);
    if (cap > 0 && j->def->app.gang && over_cap(&plan, taken, cap))
        plan.n_placed = 0; /* the gang would not fit within the per-offer limit */
    for (size_t k = 0; rc == HDRF_OK && k < plan.n_placed; k++) {
        size_t i = plan.offer[k];
        if (cap > 0 && taken[i] >= (unsigned)cap)
            continue; /* this offer has its share of tasks: the rest wait */
        taken[i]++;
        rc = launch(e, jid, items[i].agent, items[i].res);
        po[i].load = f->load[items[i].agent];
    }
    if (plan.n_placed == 0 && plan.why[0])
        engine_log(e, HDRF_LOG_DEBUG, "no launch for %s/%s: %s", f->def->id, j->def->app.id,
                   plan.why);
    placement_plan_free(&plan);
    return rc;
}

/* Answers the offers of one role of a framework: items[0..n). */
static int answer_role(engine *e, size_t fwi, offer_item *items, size_t n)
{
    fw_rt *f = &e->fws[fwi];
    size_t role = items[0].role;
    placement_offer *po = calloc(n, sizeof *po);
    unsigned *taken = calloc(n, sizeof *taken);
    int rc = po && taken ? HDRF_OK : engine_fail(e, HDRF_ENOMEM, "out of memory");
    for (size_t i = 0; rc == HDRF_OK && i < n; i++)
        po[i] =
            (placement_offer){e->agents[items[i].agent].pa, items[i].res, f->load[items[i].agent]};
    for (size_t jid = 0; rc == HDRF_OK && jid < e->njobs; jid++)
        if (e->jobs[jid].fw == fwi && e->jobs[jid].role == role && e->jobs[jid].n > 0)
            rc = place_job(e, jid, items, po, taken, n);
    double refuse = f->def->refuse_seconds;
    for (size_t i = 0; rc == HDRF_OK && i < n; i++) {
        if (hdrf_resources_empty(items[i].res))
            continue;
        rc = hdrf_allocator_recover_resources(e->a, f->def->id, e->agents[items[i].agent].id,
                                              items[i].res, &refuse, false, e->now);
        if (rc != HDRF_OK)
            rc = engine_fail(e, rc, "decline: %s", hdrf_allocator_errmsg(e->a));
        e->res->declines++;
        if (e->level >= HDRF_LOG_DEBUG && e->in->log) {
            char *text = hdrf_resources_format(items[i].res);
            engine_log(e, HDRF_LOG_DEBUG, "decline %s %s on %s: %s (filter %g s)", f->def->id,
                       f->def->roles[role], e->agents[items[i].agent].id, text ? text : "?",
                       refuse);
            free(text);
        }
    }
    free(po);
    free(taken);
    return rc;
}

int fw_answer_offers(engine *e)
{
    int rc = HDRF_OK;
    for (size_t b = 0; rc == HDRF_OK && b < e->nbatches; b++) {
        offer_item *items = &e->items[e->batches[b].first];
        size_t n = e->batches[b].n;
        /* The callback lists a framework's offers role by role. */
        for (size_t i = 0; rc == HDRF_OK && i < n;) {
            size_t k = i;
            while (k < n && items[k].role == items[i].role)
                k++;
            rc = answer_role(e, e->batches[b].fw, items + i, k - i);
            i = k;
        }
        e->fws[e->batches[b].fw].dirty = true;
    }
    for (size_t i = 0; i < e->nitems; i++)
        hdrf_resources_free(e->items[i].res);
    e->nitems = 0;
    e->nbatches = 0;
    return rc;
}

/* ---- suppress and revive --------------------------------------------------------------------- */

int fw_update_suppression(engine *e)
{
    for (size_t i = 0; i < e->nfws; i++) {
        fw_rt *f = &e->fws[i];
        if (!f->dirty)
            continue;
        f->dirty = false;
        for (size_t r = 0; r < f->def->nroles; r++) {
            const char *role = f->def->roles[r];
            int rc = HDRF_OK;
            if (f->pending[r] == 0 && !f->suppressed[r] && f->def->suppress_idle) {
                rc = hdrf_allocator_suppress(e->a, f->def->id, &role, 1);
                f->suppressed[r] = true;
                engine_log(e, HDRF_LOG_DEBUG, "suppress %s %s", f->def->id, role);
            } else if (f->pending[r] > 0 && f->suppressed[r]) {
                rc = hdrf_allocator_revive(e->a, f->def->id, &role, 1);
                f->suppressed[r] = false;
                engine_log(e, HDRF_LOG_DEBUG, "revive %s %s", f->def->id, role);
            }
            if (rc != HDRF_OK)
                return engine_fail(e, rc, "suppress/revive %s: %s", f->def->id,
                                   hdrf_allocator_errmsg(e->a));
        }
    }
    return HDRF_OK;
}
