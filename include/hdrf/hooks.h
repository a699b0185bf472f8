/* hdrf/hooks.h: the task-label policy of hdrf's Mesos hook module.
 *
 * Mesos lets a hook module rewrite a task's labels when the master launches
 * it (Hook::masterLaunchTaskLabelDecorator) and when an agent runs it
 * (Hook::slaveRunTaskLabelDecorator). The answer is a Result<Labels>: None
 * keeps the task's labels, Some replaces them all, Error is meant to fail
 * the launch. (Mesos 1.11's HookManager only logs an Error as a warning and
 * launches the task with its labels unchanged; the master applies its
 * hook's labels to the task it sends to the agent, not to its own record.)
 * hdrf's hook module is a thin C++ shim over this policy: it hands the
 * module's `parameters` block to hdrf_hooks_new() once, and at every
 * launch the task's labels and a few facts about the launch to
 * hdrf_hooks_decorate(), whose verdict maps one to one onto that Result.
 *
 * What the policy does, in the master hook (HDRF_HOOKS_MASTER):
 *  1. Protects a reserved key prefix (`reserved_prefix`, default `hdrf.`).
 *     A label under it that the framework set itself is forged: it is
 *     removed (`on_forged_label=strip`, the default) or it refuses the
 *     launch with a message naming its key (`on_forged_label=reject`).
 *     A key is under the prefix when it starts with those bytes, exactly
 *     (case matters; `hdrf` alone is not under `hdrf.`).
 *  2. Adds the labels of the `labels` parameter, filled from the launch.
 *  3. Keeps every other label of the task untouched (key-only labels too)
 *     and in order; the added labels follow, in the order the parameter
 *     lists them. An added label replaces nothing: when the framework set the
 *     same key outside the prefix, the task carries both, as Mesos allows.
 * In the agent hook (HDRF_HOOKS_AGENT) it only adds `agent_labels`. It does
 * not protect the prefix there: every launch passes through the master,
 * whose hook has already removed or refused forged labels, so what an agent
 * sees under the prefix is the master hook's own work and stripping it would
 * undo it. Protection therefore needs the hook loaded by the master.
 *
 * Keys are taken literally: the policy never prepends the prefix itself, so
 * a task carries exactly the keys the manifest spells. Consumers can trust a
 * label under the prefix to come from the hook and nothing else; a label
 * outside it (`team=ads`) may also have been set by the framework. Put the
 * facts filled from the launch under the prefix (`hdrf.role={role}`).
 *
 * Parameters (key/value pairs of the module's `parameters` block; every key
 * at most once; an unknown key, a repeated one or a bad value fails
 * creation with one message naming the key, the value and what is allowed):
 *
 *   labels           labels the master hook adds            default: none
 *   agent_labels     labels the agent hook adds             default: none
 *   reserved_prefix  the protected key prefix, non-empty    default: hdrf.
 *   on_forged_label  strip | reject                         default: strip
 *
 * Label lists: entries separated by commas, each `key=value`, or `key`
 * alone for a label without a value (`key=` gives an empty value). Spaces
 * around a key and around a value are dropped. A backslash takes the next
 * character literally and may precede only `\` `,` `=` `{` `}` or a space.
 * The first unescaped `=` ends the key; later ones belong to the value.
 * Keys are literal (no braces); a value mixes text with placeholders:
 *
 *   {role}                the role the task's resources are allocated to
 *   {framework.id}        the framework's id
 *   {framework.name}      the framework's name
 *   {agent.id}            the agent's id
 *   {agent.hostname}      the agent's hostname
 *   {role.dominant_share} the role's dominant share when the master
 *                         launches the task, from the allocator: fixed
 *                         point, four decimals, rounded half away from zero
 *                         (0.25 -> 0.2500, 1/3 -> 0.3333, 1 -> 1.0000);
 *                         master hook only (agents run no allocator), so
 *                         `agent_labels` may not use it.
 *
 * Example: labels = `team=ads, hdrf.role={role},
 * hdrf.owner={framework.name}@{agent.hostname},
 * hdrf.share={role.dominant_share}`. Two labels of one list may not share a
 * key, nor may `labels` and `agent_labels` (a task would carry both). A
 * label needing a launch fact the caller does not know (a NULL string, no
 * share) is left out of that launch rather than written wrong or failing it.
 *
 * Ownership: hdrf_hooks_new() copies what it needs; the parameters are
 * borrowed for the call only. A policy is immutable once created, so one
 * policy may decorate from several threads at once. hdrf_hooks_decorate()
 * borrows its arguments for the call only and returns labels the caller
 * owns: one block freed by hdrf_hooks_result_free().
 */
#ifndef HDRF_HOOKS_H
#define HDRF_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "hdrf/export.h"
#include "hdrf/resources.h" /* hdrf_label */
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdrf_hooks hdrf_hooks;

/* One entry of the module's `parameters` block, as Mesos's Parameter. */
typedef struct hdrf_hooks_param {
    const char *key;
    const char *value;
} hdrf_hooks_param;

/* Builds a policy from `nparams` parameters (none gives the defaults: no
 * labels added, forged `hdrf.` labels stripped). On success *out is a new
 * policy to free with hdrf_hooks_free(). On failure *out is NULL and `error`
 * (may be NULL) holds one message naming the parameter, its value and what
 * is allowed: `source` is the parameter's key, `token` the offending piece
 * of its value and `position` that piece's byte offset in the value (-1
 * when the whole value or the key is at fault). Returns HDRF_OK,
 * HDRF_EINVAL or HDRF_ENOMEM. */
HDRF_API int hdrf_hooks_new(const hdrf_hooks_param *params, size_t nparams, hdrf_hooks **out,
                            hdrf_error *error);

HDRF_API void hdrf_hooks_free(hdrf_hooks *hooks); /* NULL is a no-op */

/* Which Mesos hook is asking. */
typedef enum hdrf_hooks_stage {
    HDRF_HOOKS_MASTER = 0, /* masterLaunchTaskLabelDecorator */
    HDRF_HOOKS_AGENT = 1   /* slaveRunTaskLabelDecorator */
} hdrf_hooks_stage;

/* What the shim knows about a launch. A NULL string is a fact it does not
 * know; labels that need it are left out. Strings are borrowed. */
typedef struct hdrf_hooks_launch {
    const char *role;           /* the allocation role of the task's resources */
    const char *framework_id;   /* FrameworkInfo.id */
    const char *framework_name; /* FrameworkInfo.name */
    const char *agent_id;       /* SlaveInfo.id */
    const char *agent_hostname; /* SlaveInfo.hostname */
    /* The role's dominant share at launch, read from the allocator; only
     * when has_dominant_share (a zeroed struct knows no share). It must be
     * finite, >= 0 and below 1e9, or decorating fails with HDRF_EINVAL. */
    bool has_dominant_share;
    double dominant_share;
} hdrf_hooks_launch;

typedef enum hdrf_hooks_verdict {
    HDRF_HOOKS_KEEP = 0,    /* nothing to change: Mesos's None */
    HDRF_HOOKS_REPLACE = 1, /* the task's labels become `labels`: Some */
    HDRF_HOOKS_REFUSE = 2   /* a forged label and on_forged_label=reject: Error */
} hdrf_hooks_verdict;

typedef struct hdrf_hooks_result {
    hdrf_hooks_verdict verdict;
    /* REPLACE: the whole new label list, owned by the result (strings
     * included); NULL and 0 otherwise. The list may be empty when every
     * label of the task was forged and none is added. */
    hdrf_label *labels;
    size_t nlabels;
} hdrf_hooks_result;

/* Decorates one task whose labels are labels[0..nlabels) (each with a
 * non-NULL key; a NULL value is a key-only label). On HDRF_OK, *out holds
 * the verdict; for HDRF_HOOKS_REFUSE, `error` (may be NULL) names the first
 * forged key (`token`) and says why (`text`), a message for Mesos's Error.
 * Returns HDRF_OK, HDRF_EINVAL (a NULL argument or key, a bad share; `error`
 * says which) or HDRF_ENOMEM; on failure *out is KEEP with no labels. */
HDRF_API int hdrf_hooks_decorate(const hdrf_hooks *hooks, hdrf_hooks_stage stage,
                                 const hdrf_label *labels, size_t nlabels,
                                 const hdrf_hooks_launch *launch, hdrf_hooks_result *out,
                                 hdrf_error *error);

/* Frees the labels of a result and resets it to KEEP. NULL is a no-op. */
HDRF_API void hdrf_hooks_result_free(hdrf_hooks_result *result);

#ifdef __cplusplus
}
#endif

#endif
