/* opcmd.h: the operator commands of hdrf-scheduler.
 *
 * `submit`, `scale` and `delete` change the desired applications in
 * ZooKeeper (desired.h) with compare-and-set writes, retried when another
 * operator wrote in between; `list` and `status` read the desired state
 * beside the leader's state (what it launched, what runs, which
 * transactions are under way). `submit` is all or none: every application
 * of every file is checked, and every change decided, before the first
 * write, so that a bad field or an application being deleted writes
 * nothing (only a race lost to another writer between the reads and the
 * writes, retried, can leave part of a submit written: there is no
 * multi-document transaction). `validate` checks files offline, with
 * submit's messages. None of them talks to a scheduler instance:
 * they work whichever instance leads, and while none does (the leader
 * picks the changes up when it comes). Each command connects, does its
 * work and returns; output is plain text for people, one line per fact.
 *
 * Ownership: nothing outlives the call.
 */
#ifndef HDRF_SCHED_PROG_OPCMD_H
#define HDRF_SCHED_PROG_OPCMD_H

#include <stdio.h>

#include "scheduler/prog/flags.h"

/* Runs the command of `o` (not RUN, HELP or VERSION), writing its report to `out`.
 * HDRF_OK, or the failure with its message in err (a bad file, an unknown
 * application, ZooKeeper unreachable). */
int opcmd_run(const sched_options *o, FILE *out, sched_error *err);

#endif
