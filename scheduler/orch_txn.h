/* orch_txn.h: the transactions of the scheduler's orchestrator.
 *
 * Every change an operator or a failure asks of an application is a
 * transaction with an id, a kind, a deadline and a status, so that an
 * operator can ask "is my update done?" and a standby knows what was under
 * way. A transaction is PENDING until its application has converged
 * (orch.h says when), then DONE; when its deadline passes first it is
 * FAILED ("deadline expired") and the work goes on regardless: the desired
 * state stays what the operator asked, only the report changes. A newer
 * operator transaction on the same application SUPERSEDES a pending one
 * (an update after a scale: the scale's target no longer holds).
 *
 * Ids are "txn-" and a sequence number padded to six digits ("txn-000042"):
 * names zk_store accepts, in creation order when sorted as text up to
 * txn-999999 (orch_from_json() sorts by the number).
 *
 * Ownership: a transaction owns its strings; a list owns its transactions.
 */
#ifndef HDRF_SCHED_ORCH_TXN_H
#define HDRF_SCHED_ORCH_TXN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/sched_error.h"

typedef enum orch_txn_kind {
    ORCH_TXN_LAUNCH,     /* a new application: its instances started */
    ORCH_TXN_SCALE,      /* instances up or down */
    ORCH_TXN_UPDATE,     /* a new definition, rolled out with a bound on instances down */
    ORCH_TXN_DELETE,     /* every task killed, then the application forgotten */
    ORCH_TXN_RESCHEDULE, /* a failed or lost task replaced */
    ORCH_TXN_KINDS
} orch_txn_kind;

typedef enum orch_txn_status {
    ORCH_TXN_PENDING,
    ORCH_TXN_DONE,
    ORCH_TXN_FAILED,     /* the deadline passed before the application converged */
    ORCH_TXN_SUPERSEDED, /* a newer operator transaction replaced it */
    ORCH_TXN_STATUSES
} orch_txn_status;

#define ORCH_TXN_ID_LENGTH 32

typedef struct orch_txn {
    char id[ORCH_TXN_ID_LENGTH];
    char *app_id;
    orch_txn_kind kind;
    orch_txn_status status;
    long target;        /* instances asked for (delete: 0) */
    long max_down;      /* update: instances that may be down at once; else 0 */
    double created_at;  /* seconds on the caller's clock */
    double deadline;    /* PENDING until then at most */
    double finished_at; /* when it left PENDING; 0 while pending */
} orch_txn;

typedef struct orch_txn_list {
    orch_txn *items; /* in creation order */
    size_t n, cap;
    uint64_t next_seq; /* the number of the next id */
} orch_txn_list;

/* Names as operators see them: "launch", "scale", ...; "pending", "done",
 * "failed", "superseded". Static. */
const char *orch_txn_kind_name(orch_txn_kind kind);
const char *orch_txn_status_name(orch_txn_status status);

/* Appends a PENDING transaction with the next id; *out points into the
 * list (valid until the list changes). HDRF_ENOMEM leaves the list as it was. */
int orch_txn_add(orch_txn_list *l, orch_txn_kind kind, const char *app_id, long target,
                 long max_down, double now, double deadline, orch_txn **out);

/* Leaves PENDING for `status` at `now`. */
void orch_txn_finish(orch_txn *t, orch_txn_status status, double now);

/* The transaction with this id, or NULL. */
orch_txn *orch_txn_find(const orch_txn_list *l, const char *id);

/* Drops the oldest finished transactions beyond `keep` finished ones:
 * the history an operator can still query. Pending ones always stay. */
void orch_txn_trim(orch_txn_list *l, size_t keep);

void orch_txn_list_free(orch_txn_list *l);

/* One transaction as a JSON object, times stored as ages relative to `now`
 * (see orch.h, "Serialization"); new reference, NULL when out of memory. */
json_t *orch_txn_to_json(const orch_txn *t, double now);

/* Appends the transaction `json` (borrowed) describes under the id `id`,
 * times rebased on `now`. HDRF_EINVAL names the field at fault. */
int orch_txn_from_json(orch_txn_list *l, const char *id, const json_t *json, double now,
                       sched_error *err);

#endif
