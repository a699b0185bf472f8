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

#include <jansson.h>
#include <stdio.h>

#include "scheduler/prog/flags.h"

/* Every application of the files, read and checked as submit does, as one
 * array of {"file": name, "app": {...}} (ids unique within and across
 * files), or NULL with the first refusal in err. */
int opcmd_load_files(const char *const *files, size_t n, json_t **out, sched_error *err);

/* `scale`'s count: an integer from 0 to APP_MAX_INSTANCES, or HDRF_EINVAL
 * ("scale web -1: instances must be an integer from 0 to 100000"). */
int opcmd_scale_count(const char *id, const char *count, long *n, sched_error *err);

/* The commands through a scheduler's HTTP API (--api, opcmd_api.c): the
 * same checks first, the same lines out as far as the API tells (`status`
 * says no "known to the leader" count, nor an application's version). */
int opcmd_api_run(const sched_options *o, FILE *out, sched_error *err);

/* Runs the command of `o` (not RUN, HELP or VERSION), writing its report to
 * `out`; through the API when o->api is set.
 * HDRF_OK, or the failure with its message in err (a bad file, an unknown
 * application, ZooKeeper unreachable). */
int opcmd_run(const sched_options *o, FILE *out, sched_error *err);

#endif
