/* hdrf/params.h: the allocator module's `parameters` block, parsed and checked.
 *
 * An operator tunes hdrf in the `parameters` array of the allocator's entry
 * in modules.json, a list of {"key": ..., "value": ...} strings. The shim
 * hands those pairs over untouched; the simulator reads the same block from
 * the same file. This parser turns them into an opaque configuration:
 * allocator options (hdrf_allocator_options), role weights and quotas to
 * apply once the allocator exists, and two switches for the shim and the
 * simulator (explanations on/off, the log level of allocation decisions).
 *
 * Keys (docs/module.md and modules.json.example document each with its default
 * and an example):
 *   weights                      role=weight,...   eng=3,eng/batch=0.5,ads=1
 *   role_sorter                  drf | hdrf | random
 *   framework_sorter             drf | hdrf | random
 *   random_seed                  0 .. 2^64-1
 *   fairness_excluded_resources  name,...          gpus (empty: none)
 *   filter_gpu_resources         true | false
 *   min_allocatable_resources    Mesos's flag      cpus:0.01|mem:32 (empty: none)
 *   agent_recovery_factor        (0, 1]            0.8
 *   recovery_timeout             Mesos duration    10mins
 *   allocation_interval          Mesos duration    1secs
 *   quota_guarantees             role=quantities,... prod=cpus:10;mem:4096,ads=cpus:2
 *   quota_limits                 role=quantities,... batch=cpus:20;mem:8192
 *   explain                      true | false
 *   log_level                    off | error | warning | info | debug
 * Durations take Mesos's syntax: a number and one of ns, us, ms, secs,
 * mins, hrs, days, weeks (`30secs`, `0.5secs`, `10mins`). Booleans take
 * true/false or on/off. Quantities take Mesos's scalar syntax
 * (`cpus:10;mem:4096`); a limit may be 0 (it forbids), a guarantee may not
 * exceed its role's limit.
 *
 * Errors. Parsing stops at the first bad pair and fills the hdrf_error:
 * `text` is one self-contained line naming the key, the value and what is
 * allowed, e.g.
 *   weights = 'eng=-1': role 'eng': weight '-1' must be a positive finite number
 * `token` holds the key and `source` "parameters" (for a manifest: the file
 * name and the JSON path of the pair). Unknown and repeated keys are errors.
 *
 * Ownership. An hdrf_params owns everything it holds; pointers it returns
 * (the options' lists and strings, role names, quotas) are borrowed from it
 * and valid until hdrf_params_free(). Inputs are borrowed for the call. */
#ifndef HDRF_PARAMS_H
#define HDRF_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "hdrf/allocator.h"
#include "hdrf/export.h"
#include "hdrf/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdrf_params hdrf_params;

/* One `parameters` entry of a module, as Mesos's Parameter message. */
typedef struct hdrf_param {
    const char *key;
    const char *value;
} hdrf_param;

/* How much the shim (or the simulator) logs of allocation decisions. */
typedef enum hdrf_log_level {
    HDRF_LOG_OFF = 0,
    HDRF_LOG_ERROR = 1,
    HDRF_LOG_WARNING = 2,
    HDRF_LOG_INFO = 3, /* default: one line per allocation run */
    HDRF_LOG_DEBUG = 4 /* every offer, decline and explanation */
} hdrf_log_level;

/* Parses `n` pairs (n may be 0: every default). HDRF_OK with *out a new
 * configuration; HDRF_EINVAL with `error` filled (see above); HDRF_ENOMEM.
 * On failure *out is NULL. `error` may be NULL. */
HDRF_API int hdrf_params_parse(const hdrf_param *params, size_t n, hdrf_params **out,
                               hdrf_error *error);

/* Reads a whole modules.json text (`source` names it in errors, e.g. the
 * file name) and parses the `parameters` of the allocator module: the one
 * named `module` when it is not NULL, else the first module whose name
 * holds both "hdrf" and "allocator" (any case). Errors name the JSON path
 * (`libraries[0].modules[1].parameters[2].value`) in `token`. */
HDRF_API int hdrf_params_from_modules_json(const char *text, const char *source, const char *module,
                                           hdrf_params **out, hdrf_error *error);

HDRF_API void hdrf_params_free(hdrf_params *params); /* NULL is a no-op */

/* The allocator options; pointers inside are borrowed from `params`. */
HDRF_API const hdrf_allocator_options *hdrf_params_options(const hdrf_params *params);

/* Applies the weights and quotas to a new allocator (before any agent, so
 * that no run sees the defaults). HDRF_OK, or the allocator's status with
 * hdrf_allocator_errmsg() saying why. */
HDRF_API int hdrf_params_apply(const hdrf_params *params, hdrf_allocator *allocator);

HDRF_API bool hdrf_params_explain(const hdrf_params *params);
HDRF_API hdrf_log_level hdrf_params_log_level(const hdrf_params *params);
HDRF_API const char *hdrf_log_level_name(hdrf_log_level level); /* "info", ...; static */

/* Weights as given, in the order given. */
HDRF_API size_t hdrf_params_weight_count(const hdrf_params *params);
HDRF_API const char *hdrf_params_weight_role(const hdrf_params *params, size_t i);
HDRF_API double hdrf_params_weight_value(const hdrf_params *params, size_t i);
/* The weight configured for `role`, 1.0 when none is. */
HDRF_API double hdrf_params_weight(const hdrf_params *params, const char *role);

/* Quotas, one per role named in quota_guarantees or quota_limits, sorted
 * by role. */
HDRF_API size_t hdrf_params_quota_count(const hdrf_params *params);
HDRF_API const hdrf_role_quota *hdrf_params_quota(const hdrf_params *params, size_t i);

/* The effective value of a key, as text (the value given, or the default);
 * NULL for an unknown key. Borrowed. */
HDRF_API const char *hdrf_params_value(const hdrf_params *params, const char *key);
/* Mesos's duration syntax, as the parameters read it (`30secs`, `0.5secs`,
 * `10mins`): true with *out in nanoseconds, false for anything else
 * (negative, no unit, a unit Mesos does not know, above ~292 years). */
HDRF_API bool hdrf_duration_parse(const char *text, hdrf_time *out);

/* Whether the key was given explicitly (false for a default, an unknown
 * key). */
HDRF_API bool hdrf_params_given(const hdrf_params *params, const char *key);

/* ---- under a master ---------------------------------------------------------------------- */

/* What a mesos-master's own flags say of the settings an allocator gets
 * (Mesos 1.11's mesos::allocator::Options). */
typedef struct hdrf_master_options {
    hdrf_time allocation_interval; /* --allocation_interval */
    /* --fair_sharing_excluded_resource_names: NULL when not given (Mesos
     * then excludes nothing) */
    const char *const *fairness_excluded;
    size_t nfairness_excluded;
    bool filter_gpu_resources;             /* --filter_gpu_resources */
    const char *min_allocatable_resources; /* --min_allocatable_resources, or NULL: none */
    double agent_recovery_factor;          /* --allocator_agent_recovery_factor */
    hdrf_time recovery_timeout;            /* --allocator_recovery_timeout */
} hdrf_master_options;

/* Told of a parameter given for a setting the master owns: `applies` when
 * it overrides the master's `flag`, false when the master's value stands
 * (its --allocation_interval paces the runs, whatever is given). */
typedef void (*hdrf_master_note)(void *arg, const char *parameter, const char *flag,
                                 const char *value, bool applies);

/* The allocator's options in a master: every setting the master has a flag
 * for takes the master's value unless its parameter was given explicitly,
 * which then wins (except allocation_interval); `note` (or NULL) hears of
 * each parameter given for such a setting, once, in key order. The other
 * settings come from the parameters. Strings in *out are borrowed from
 * `params` and `master`. */
HDRF_API void hdrf_params_under_master(const hdrf_params *params, const hdrf_master_options *master,
                                       hdrf_allocator_options *out, hdrf_master_note note,
                                       void *arg);
/* The mesos-master flag that owns a key ("--filter_gpu_resources"), or NULL
 * for a key only hdrf has (and an unknown one). */
HDRF_API const char *hdrf_params_master_flag(const char *key);

/* Every key in documentation order: hdrf_params_key(i) for i < count. */
HDRF_API size_t hdrf_params_key_count(void);
HDRF_API const char *hdrf_params_key(size_t i);
HDRF_API const char *hdrf_params_default(size_t i);

#ifdef __cplusplus
}
#endif

#endif
