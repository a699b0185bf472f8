/* eventq.h: the simulator's future events, earliest first.
 *
 * A binary min-heap ordered by (time, kind, sequence): events at the same
 * virtual time come out by kind (the caller's numbering: tasks ending
 * before arrivals before the allocation tick), then in the order they were
 * pushed. That total order is what makes a run deterministic.
 * The queue owns its array; events are plain values. */
#ifndef HDRF_SIM_EVENTQ_H
#define HDRF_SIM_EVENTQ_H

#include <stddef.h>
#include <stdint.h>

#include "hdrf/allocator.h"

typedef struct sim_event {
    hdrf_time t;
    int kind;
    uint64_t seq;
    size_t id; /* what the event is about: a task, a job... */
} sim_event;

typedef struct eventq {
    sim_event *v;
    size_t n, cap;
    uint64_t seq;
} eventq;

/* HDRF_OK or HDRF_ENOMEM (the queue is unchanged). */
int eventq_push(eventq *q, hdrf_time t, int kind, size_t id);
/* The earliest event, or NULL when empty; borrowed until the next push/pop. */
const sim_event *eventq_peek(const eventq *q);
void eventq_pop(eventq *q);
void eventq_free(eventq *q);

#endif
