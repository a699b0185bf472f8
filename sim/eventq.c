/* eventq.c: a binary min-heap of events (see eventq.h). */
#include "sim/eventq.h"

#include <stdlib.h>

static int before(const sim_event *a, const sim_event *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->seq < b->seq;
}

static void swap(sim_event *a, sim_event *b)
{
    sim_event t = *a;
    *a = *b;
    *b = t;
}

int eventq_push(eventq *q, hdrf_time t, int kind, size_t id)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 256;
        sim_event *v = realloc(q->v, cap * sizeof *v);
        if (!v)
            return HDRF_ENOMEM;
        q->v = v;
        q->cap = cap;
    }
    size_t i = q->n++;
    q->v[i] = (sim_event){t, kind, q->seq++, id};
    while (i > 0 && before(&q->v[i], &q->v[(i - 1) / 2])) {
        swap(&q->v[i], &q->v[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    return HDRF_OK;
}

const sim_event *eventq_peek(const eventq *q) { return q->n ? &q->v[0] : NULL; }

void eventq_pop(eventq *q)
{
    if (!q->n)
        return;
    q->v[0] = q->v[--q->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->n && before(&q->v[l], &q->v[m]))
            m = l;
        if (r < q->n && before(&q->v[r], &q->v[m]))
            m = r;
        if (m == i)
            break;
        swap(&q->v[i], &q->v[m]);
        i = m;
    }
}

void eventq_free(eventq *q)
{
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
}
