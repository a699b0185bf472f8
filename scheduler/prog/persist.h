/* persist.h: the leader's state in ZooKeeper, written so that only the
 * leader can write it.
 *
 * The state is the orchestrator's document (orch.h, "Serialization"):
 * its members apps, tasks and txns are stored one document each (zk_store
 * kinds APP, TASK, TXN), the rest (format, framework id, sequences, roles)
 * as the FRAMEWORK document "state", with two members of persist's own:
 *   "leader": the owner's name (its election node), "epoch": n.
 *
 * Fencing. A new leader loads the state and then claims it: it writes the
 * framework document with epoch + 1 at the version it loaded. Every save
 * then begins with a compare-and-set write of the framework document at the
 * version the last save left, and writes the other documents only once
 * that write succeeded. Another instance that claimed meanwhile has moved
 * the framework document on, so a deposed leader's save fails at its first
 * write with ZK_ECONFLICT and changes nothing: it must stop acting (the
 * daemon leaves the election and starts over). Each other document is
 * compare-and-set too, at the version this instance last wrote.
 *
 * What a save writes. Only documents that changed since the last save are
 * written (and those gone, deleted). Changed means: differs in a member
 * other than a top-level number with a fraction. orch.h stores times as
 * ages relative to the time of saving ("launched_ago": 12.5), which move at
 * every save; an age that is not rewritten makes the next leader believe
 * less time has passed, so it waits longer, never shorter (a launch timeout
 * or a backoff comes late, not early). Every other change is written.
 *
 * Ownership: the caller owns the persister and its session, and frees the
 * persister first. State documents passed in are borrowed; the one handed
 * to the load callback is valid during the callback only.
 */
#ifndef HDRF_SCHED_PROG_PERSIST_H
#define HDRF_SCHED_PROG_PERSIST_H

#include <jansson.h>

#include "scheduler/zk_session.h"

typedef struct persist persist;

typedef void (*persist_done_fn)(void *arg, int status, const sched_error *err);
/* `state`: the stored document without persist's members, or NULL when
 * nothing was stored yet. A framework document that holds nothing but
 * those members, with no other document beside it (what a claim of an
 * empty state wrote before claims carried the state), is nothing stored
 * yet too: its epoch is kept, so the next claim still fences. */
typedef void (*persist_load_fn)(void *arg, int status, const json_t *state, const sched_error *err);

/* A persister of the state under `root` (a zk_store root), writing as
 * `owner` (copied). */
int persist_new(zk_session *s, const char *root, const char *owner, persist **out,
                sched_error *err);
void persist_free(persist *p); /* callbacks in flight never run; NULL ignored */

/* Reads every document; remembers their versions for the writes to come. */
int persist_load(persist *p, persist_load_fn fn, void *arg, sched_error *err);

/* Claims the state loaded last: writes the framework document with
 * epoch + 1 and leader = owner, its other members those of `state` (the
 * orchestrator's document, orch_to_json's shape, borrowed: its apps, tasks
 * and txns are not written), so that what a claim leaves loads even if no
 * save follows (a leader stopped before anything changed). */
int persist_claim(persist *p, const json_t *state, persist_done_fn fn, void *arg, sched_error *err);

/* Saves `state` (orch_to_json's shape). One save at a time: HDRF_EINVAL
 * while one is in flight or before a claim. The save takes a reference to
 * `state` (no copy: it is the whole state, saved after every change), so
 * the caller must not change it until the save ends. */
int persist_save(persist *p, const json_t *state, persist_done_fn fn, void *arg, sched_error *err);

/* The epoch claimed (0 before a claim). */
long persist_epoch(const persist *p);

#endif
