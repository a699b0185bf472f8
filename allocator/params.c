/* params.c: the allocator module's parameters (see hdrf/params.h).
 *
 * One table row per key: its name, its default as text, and a reader that
 * checks the text and stores what it means. Every key is read the same way
 * whether the operator gave it or not (the default text goes through the
 * same reader), so a default can never be something the parser would
 * refuse. A reader fails through bad(), which writes the one-line message:
 * `key = 'value': problem; what is allowed`. Everything built hangs off the
 * hdrf_params, and hdrf_params_free() accepts a half-built one: that is the
 * single cleanup path. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "allocator/params_internal.h"

/* A role's quota as the parameters give it; `view` is what the allocator
 * takes, pointing into the rest. */
typedef struct quota_entry {
    char *role;
    hdrf_quantities *guarantees; /* NULL: none given */
    hdrf_limit *limits;          /* names owned */
    size_t nlimits;
    bool has_limits;
} quota_entry;

enum {
    K_WEIGHTS,
    K_ROLE_SORTER,
    K_FRAMEWORK_SORTER,
    K_RANDOM_SEED,
    K_EXCLUDED,
    K_FILTER_GPU,
    K_MIN_ALLOCATABLE,
    K_RECOVERY_FACTOR,
    K_RECOVERY_TIMEOUT,
    K_INTERVAL,
    K_GUARANTEES,
    K_LIMITS,
    K_NESTED_QUOTA,
    K_EXPLAIN,
    K_LOG_LEVEL,
    NKEYS
};

struct hdrf_params {
    hdrf_allocator_options options;
    char *values[NKEYS]; /* effective text of each key */
    char **excluded;
    size_t nexcluded;
    char *minimum; /* NULL: no minimum */
    char **weight_roles;
    double *weights;
    size_t nweights;
    quota_entry *quotas; /* sorted by role once parsing is done */
    size_t nquotas;
    hdrf_role_quota *views; /* what hdrf_params_quota() returns */
    bool explain;
    hdrf_log_level log_level;
    bool given[NKEYS]; /* set explicitly, not defaulted */
};

typedef int (*reader)(hdrf_params *p, const char *key, const char *value, hdrf_error *e);

typedef struct key_spec {
    const char *name;
    const char *fallback; /* the default, as the operator would write it */
    reader read;
    const char *master_flag; /* the mesos-master flag that owns it, or NULL */
} key_spec;

/* ---- messages ---------------------------------------------------------------------- */

#define VALUE_SHOWN 48 /* longer values are cut: the message must stay one line */

static int bad(hdrf_error *e, const char *key, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bad(hdrf_error *e, const char *key, const char *value, const char *fmt, ...)
{
    char what[HDRF_ERROR_TEXT_LENGTH];
    char shown[VALUE_SHOWN + 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (strlen(value) > VALUE_SHOWN)
        snprintf(shown, sizeof shown, "%.*s...", VALUE_SHOWN - 3, value);
    else
        snprintf(shown, sizeof shown, "%s", value);
    return error_named(e, "parameters", key, "%s = '%s': %s", key, shown, what);
}

static int no_memory(hdrf_error *e, const char *key)
{
    if (e)
        error_named(e, "parameters", key, "%s: out of memory", key);
    return HDRF_ENOMEM;
}

/* ---- small text helpers ---------------------------------------------------------------- */

/* A copy of [begin, end) without surrounding blanks; NULL when out of memory. */
static char *trimmed(const char *begin, const char *end)
{
    while (begin < end && isspace((unsigned char)*begin))
        begin++;
    while (end > begin && isspace((unsigned char)end[-1]))
        end--;
    char *s = malloc((size_t)(end - begin) + 1);
    if (s) {
        memcpy(s, begin, (size_t)(end - begin));
        s[end - begin] = '\0';
    }
    return s;
}

/* Calls `item` on each comma-separated, trimmed item of `value` (none for
 * an empty or blank value). */
typedef int (*item_reader)(hdrf_params *p, const char *key, const char *value, const char *item,
                           hdrf_error *e);

static int each_item(hdrf_params *p, const char *key, const char *value, item_reader item,
                     hdrf_error *e)
{
    const char *s = value;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return HDRF_OK;
    for (;;) {
        const char *comma = strchr(s, ',');
        const char *end = comma ? comma : s + strlen(s);
        char *one = trimmed(s, end);
        if (!one)
            return no_memory(e, key);
        int rc = item(p, key, value, one, e);
        free(one);
        if (rc != HDRF_OK || !comma)
            return rc;
        s = comma + 1;
    }
}

/* A finite decimal number filling the whole text (no hex, inf or nan). */
static bool read_number(const char *text, double *out)
{
    const char *s = text;
    if (*s == '+' || *s == '-')
        s++;
    if (!isdigit((unsigned char)*s) && *s != '.')
        return false;
    for (const char *c = s; *c; c++)
        if (!isdigit((unsigned char)*c) && !strchr(".eE+-", *c))
            return false;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool read_bool(const char *text, bool *out)
{
    if (strcmp(text, "true") == 0 || strcmp(text, "on") == 0)
        return *out = true, true;
    if (strcmp(text, "false") == 0 || strcmp(text, "off") == 0)
        return *out = false, true;
    return false;
}

/* Mesos's Duration syntax (stout): a number, then exactly one unit. */
bool hdrf_duration_parse(const char *text, hdrf_time *out)
{
    static const struct {
        const char *unit;
        double ns;
    } units[] = {{"ns", 1.0},    {"us", 1e3},     {"ms", 1e6},       {"secs", 1e9},
                 {"mins", 60e9}, {"hrs", 3600e9}, {"days", 86400e9}, {"weeks", 604800e9}};
    size_t len = strlen(text), digits = 0;
    while (digits < len && (isdigit((unsigned char)text[digits]) || text[digits] == '.'))
        digits++;
    if (digits == 0 || digits > 64)
        return false;
    char number[65];
    memcpy(number, text, digits);
    number[digits] = '\0';
    double v;
    if (!read_number(number, &v))
        return false;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(text + digits, units[i].unit) != 0)
            continue;
        double ns = v * units[i].ns;
        if (!(ns < 9.2e18))
            return false;
        *out = (hdrf_time)llround(ns);
        return true;
    }
    return false;
}

#define DURATION_RULE                                                                              \
    "expected a number and a unit of ns, us, ms, secs, mins, hrs, days, weeks (e.g. 30secs)"

/* ---- readers, one per key ------------------------------------------------------------------ */

static int read_weight_item(hdrf_params *p, const char *key, const char *value, const char *item,
                            hdrf_error *e)
{
    const char *eq = strchr(item, '=');
    if (!eq)
        return bad(e, key, value, "'%s' is not role=weight; expected e.g. eng=3,eng/batch=0.5",
                   item);
    char *role = trimmed(item, eq), *number = trimmed(eq + 1, eq + strlen(eq));
    int rc = HDRF_OK;
    double w = 0;
    const char *why = role ? hdrf_role_invalid(role) : NULL;
    if (!role || !number) {
        rc = no_memory(e, key);
    } else if (why) {
        rc = bad(e, key, value, "role '%s' is invalid: %s", role, why);
    } else if (!read_number(number, &w) || !(w > 0.0)) {
        rc = bad(e, key, value, "role '%s': weight '%s' must be a positive finite number", role,
                 number);
    } else {
        for (size_t i = 0; i < p->nweights && rc == HDRF_OK; i++)
            if (strcmp(p->weight_roles[i], role) == 0)
                rc = bad(e, key, value, "role '%s' is given twice", role);
    }
    if (rc == HDRF_OK) {
        char **roles = realloc(p->weight_roles, (p->nweights + 1) * sizeof *roles);
        if (roles)
            p->weight_roles = roles;
        double *weights = realloc(p->weights, (p->nweights + 1) * sizeof *weights);
        if (weights)
            p->weights = weights;
        if (!roles || !weights) {
            rc = no_memory(e, key);
        } else {
            p->weight_roles[p->nweights] = role;
            p->weights[p->nweights++] = w;
            role = NULL; /* now the params' */
        }
    }
    free(role);
    free(number);
    return rc;
}

static int read_weights(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return each_item(p, key, value, read_weight_item, e);
}

static bool read_order(const char *text, hdrf_order *out)
{
    static const char *const names[] = {"drf", "hdrf", "random"};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0)
            return *out = (hdrf_order)i, true;
    return false;
}

static int read_role_sorter(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return read_order(value, &p->options.role_order)
               ? HDRF_OK
               : bad(e, key, value, "must be drf, hdrf or random");
}

static int read_framework_sorter(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return read_order(value, &p->options.framework_order)
               ? HDRF_OK
               : bad(e, key, value, "must be drf, hdrf or random");
}

static int read_seed(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (!isdigit((unsigned char)*value) || *end || errno == ERANGE)
        return bad(e, key, value, "must be an integer from 0 to 18446744073709551615");
    p->options.seed = (uint64_t)v;
    return HDRF_OK;
}

static int read_excluded_item(hdrf_params *p, const char *key, const char *value, const char *item,
                              hdrf_error *e)
{
    if (!*item || strpbrk(item, " \t;:()[]{}|="))
        return bad(e, key, value,
                   "'%s' is not a resource name; expected names separated by commas (e.g. gpus)",
                   item);
    for (size_t i = 0; i < p->nexcluded; i++)
        if (strcmp(p->excluded[i], item) == 0)
            return bad(e, key, value, "resource '%s' is given twice", item);
    char **v = realloc(p->excluded, (p->nexcluded + 1) * sizeof *v);
    if (!v)
        return no_memory(e, key);
    p->excluded = v;
    if (!(p->excluded[p->nexcluded] = strdup(item)))
        return no_memory(e, key);
    p->nexcluded++;
    return HDRF_OK;
}

static int read_excluded(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return each_item(p, key, value, read_excluded_item, e);
}

static int read_filter_gpu(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return read_bool(value, &p->options.filter_gpu_resources)
               ? HDRF_OK
               : bad(e, key, value, "must be true or false (or on/off)");
}

static int read_explain(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return read_bool(value, &p->explain) ? HDRF_OK
                                         : bad(e, key, value, "must be true or false (or on/off)");
}

/* Mesos's --min_allocatable_resources: alternatives `a|b`, each a list of
 * scalar quantities; the allocator parses it again, so only check here. */
static int read_minimum(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    char *copy = trimmed(value, value + strlen(value));
    int rc = HDRF_OK;
    if (!copy)
        return no_memory(e, key);
    if (!*copy) {
        free(copy); /* empty: no minimum */
        return HDRF_OK;
    }
    const char *s = copy;
    for (;;) {
        const char *bar = strchr(s, '|');
        char *one = trimmed(s, bar ? bar : s + strlen(s));
        hdrf_quantities *q = NULL;
        hdrf_error qe;
        if (!one) {
            rc = no_memory(e, key);
        } else if (!*one) {
            rc = bad(e, key, value,
                     "an alternative is empty; expected name:amount lists separated by '|' "
                     "(e.g. cpus:0.01|mem:32)");
        } else if ((rc = hdrf_quantities_parse(one, &q, &qe)) == HDRF_EINVAL) {
            rc = bad(e, key, value, "'%s': %s", one, qe.text);
        } else if (rc == HDRF_ENOMEM) {
            rc = no_memory(e, key);
        }
        hdrf_quantities_free(q);
        free(one);
        if (rc != HDRF_OK || !bar)
            break;
        s = bar + 1;
    }
    if (rc == HDRF_OK)
        p->minimum = copy;
    else
        free(copy);
    return rc;
}

static int read_recovery_factor(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    double v;
    if (!read_number(value, &v) || !(v > 0.0 && v <= 1.0))
        return bad(e, key, value, "must be a number in (0, 1], e.g. 0.8");
    p->options.agent_recovery_factor = v;
    return HDRF_OK;
}

static int read_recovery_timeout(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return hdrf_duration_parse(value, &p->options.recovery_timeout)
               ? HDRF_OK
               : bad(e, key, value, DURATION_RULE);
}

static int read_interval(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    hdrf_time t;
    if (!hdrf_duration_parse(value, &t))
        return bad(e, key, value, DURATION_RULE);
    if (t <= 0)
        return bad(e, key, value, "must be a positive duration (e.g. 1secs)");
    p->options.allocation_interval = t;
    return HDRF_OK;
}

/* The entry of `role`, added when missing; NULL when out of memory. */
static quota_entry *quota_of(hdrf_params *p, const char *role)
{
    for (size_t i = 0; i < p->nquotas; i++)
        if (strcmp(p->quotas[i].role, role) == 0)
            return &p->quotas[i];
    quota_entry *v = realloc(p->quotas, (p->nquotas + 1) * sizeof *v);
    if (!v)
        return NULL;
    p->quotas = v;
    quota_entry *q = &p->quotas[p->nquotas];
    memset(q, 0, sizeof *q);
    if (!(q->role = strdup(role)))
        return NULL;
    p->nquotas++;
    return q;
}

#define QUOTA_RULE "expected role=name:amount;...,role=... (e.g. prod=cpus:10;mem:4096,ads=cpus:2)"

/* A limit list keeps zero amounts (a limit of 0 forbids), which
 * hdrf_quantities drops: each `name:amount` is read on its own. */
static int read_limits(quota_entry *q, const char *key, const char *value, const char *text,
                       hdrf_error *e)
{
    int rc = HDRF_OK;
    const char *s = text;
    while (rc == HDRF_OK) {
        const char *semi = strchr(s, ';');
        char *one = trimmed(s, semi ? semi : s + strlen(s));
        const char *colon = one ? strchr(one, ':') : NULL;
        hdrf_quantities *amount = NULL;
        hdrf_error qe;
        if (!one) {
            rc = no_memory(e, key);
        } else if ((rc = hdrf_quantities_parse(one, &amount, &qe)) == HDRF_EINVAL) {
            rc = bad(e, key, value, "role '%s': '%s': %s", q->role, one, qe.text);
        } else if (rc == HDRF_OK && (!colon || hdrf_quantities_size(amount) > 1)) {
            rc = bad(e, key, value, "role '%s': '%s' is not name:amount", q->role, one);
        } else if (rc == HDRF_OK) {
            char *name = trimmed(one, colon);
            hdrf_limit *v = realloc(q->limits, (q->nlimits + 1) * sizeof *v);
            if (v)
                q->limits = v;
            if (!name || !v) {
                free(name);
                rc = no_memory(e, key);
            } else {
                for (size_t i = 0; i < q->nlimits && rc == HDRF_OK; i++)
                    if (strcmp(q->limits[i].name, name) == 0)
                        rc = bad(e, key, value, "role '%s': resource '%s' is given twice", q->role,
                                 name);
                if (rc == HDRF_OK)
                    q->limits[q->nlimits++] = (hdrf_limit){name, hdrf_quantities_get(amount, name)};
                else
                    free(name);
            }
        } else {
            rc = no_memory(e, key);
        }
        hdrf_quantities_free(amount);
        free(one);
        if (!semi)
            break;
        s = semi + 1;
    }
    return rc;
}

static int read_quota_item(hdrf_params *p, const char *key, const char *value, const char *item,
                           bool limits, hdrf_error *e)
{
    const char *eq = strchr(item, '=');
    if (!eq)
        return bad(e, key, value, "'%s' is not role=quantities; %s", item, QUOTA_RULE);
    char *role = trimmed(item, eq), *amounts = trimmed(eq + 1, eq + strlen(eq));
    int rc = HDRF_OK;
    const char *why = role ? hdrf_role_invalid(role) : NULL;
    quota_entry *q = NULL;
    hdrf_error qe;
    if (!role || !amounts)
        rc = no_memory(e, key);
    else if (why)
        rc = bad(e, key, value, "role '%s' is invalid: %s", role, why);
    else if (strcmp(role, "*") == 0)
        rc = bad(e, key, value, "role '*' cannot have a quota");
    else if (!*amounts)
        rc = bad(e, key, value, "role '%s' has no quantities; %s", role, QUOTA_RULE);
    else if (!(q = quota_of(p, role)))
        rc = no_memory(e, key);
    else if (limits ? q->has_limits : q->guarantees != NULL)
        rc = bad(e, key, value, "role '%s' is given twice", role);
    else if (limits)
        q->has_limits = true, rc = read_limits(q, key, value, amounts, e);
    else if ((rc = hdrf_quantities_parse(amounts, &q->guarantees, &qe)) == HDRF_EINVAL)
        rc = bad(e, key, value, "role '%s': %s", role, qe.text);
    else if (rc == HDRF_ENOMEM)
        rc = no_memory(e, key);
    free(role);
    free(amounts);
    return rc;
}

static int read_guarantee_item(hdrf_params *p, const char *key, const char *value, const char *item,
                               hdrf_error *e)
{
    return read_quota_item(p, key, value, item, false, e);
}

static int read_limit_item(hdrf_params *p, const char *key, const char *value, const char *item,
                           hdrf_error *e)
{
    return read_quota_item(p, key, value, item, true, e);
}

static int read_guarantees(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return each_item(p, key, value, read_guarantee_item, e);
}

static int read_limits_key(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    return each_item(p, key, value, read_limit_item, e);
}

static int read_nested_quota(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    if (strcmp(value, "mesos") == 0)
        p->options.nested_quota = HDRF_NESTED_QUOTA_MESOS;
    else if (strcmp(value, "hdrf") == 0)
        p->options.nested_quota = HDRF_NESTED_QUOTA_HDRF;
    else
        return bad(e, key, value,
                   "must be mesos (a role is held to its own limits) or hdrf "
                   "(to its ancestors' too)");
    return HDRF_OK;
}

static const char *const level_names[] = {"off", "error", "warning", "info", "debug"};

static int read_log_level(hdrf_params *p, const char *key, const char *value, hdrf_error *e)
{
    for (size_t i = 0; i < sizeof level_names / sizeof *level_names; i++)
        if (strcmp(value, level_names[i]) == 0) {
            p->log_level = (hdrf_log_level)i;
            return HDRF_OK;
        }
    return bad(e, key, value, "must be off, error, warning, info or debug");
}

static const key_spec keys[NKEYS] = {
    [K_WEIGHTS] = {"weights", "", read_weights},
    [K_ROLE_SORTER] = {"role_sorter", "drf", read_role_sorter},
    [K_FRAMEWORK_SORTER] = {"framework_sorter", "drf", read_framework_sorter},
    [K_RANDOM_SEED] = {"random_seed", "0", read_seed},
    [K_EXCLUDED] = {"fairness_excluded_resources", "gpus", read_excluded,
                    "--fair_sharing_excluded_resource_names"},
    [K_FILTER_GPU] = {"filter_gpu_resources", "true", read_filter_gpu, "--filter_gpu_resources"},
    [K_MIN_ALLOCATABLE] = {"min_allocatable_resources", "cpus:0.01|mem:32", read_minimum,
                           "--min_allocatable_resources"},
    [K_RECOVERY_FACTOR] = {"agent_recovery_factor", "0.8", read_recovery_factor,
                           "--allocator_agent_recovery_factor"},
    [K_RECOVERY_TIMEOUT] = {"recovery_timeout", "10mins", read_recovery_timeout,
                            "--allocator_recovery_timeout"},
    [K_INTERVAL] = {"allocation_interval", "1secs", read_interval, "--allocation_interval"},
    [K_GUARANTEES] = {"quota_guarantees", "", read_guarantees},
    [K_LIMITS] = {"quota_limits", "", read_limits_key},
    [K_NESTED_QUOTA] = {"nested_quota", "mesos", read_nested_quota},
    [K_EXPLAIN] = {"explain", "true", read_explain},
    [K_LOG_LEVEL] = {"log_level", "info", read_log_level},
};

/* ---- unknown keys ------------------------------------------------------------------------- */

/* Levenshtein distance, capped: enough to suggest the key meant. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return SIZE_MAX;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int unknown_key(hdrf_error *e, const char *key, const char *value)
{
    size_t best = SIZE_MAX, which = 0;
    for (size_t i = 0; i < NKEYS; i++) {
        size_t d = distance(key, keys[i].name);
        if (d < best)
            best = d, which = i;
    }
    if (best <= 3)
        return bad(e, key, value, "unknown parameter; did you mean '%s'?", keys[which].name);
    return bad(e, key, value,
               "unknown parameter; hdrf knows %d keys (docs/module.md and modules.json.example "
               "list them)",
               NKEYS);
}

/* ---- the whole ---------------------------------------------------------------------------- */

static int by_role(const void *x, const void *y)
{
    return strcmp(((const quota_entry *)x)->role, ((const quota_entry *)y)->role);
}

static char *limit_text(const hdrf_limit *l, char *buf, size_t len)
{
    snprintf(buf, len, "%s:%lld.%03lld", l->name, (long long)(l->milli / 1000),
             (long long)(l->milli % 1000));
    return buf;
}

/* A guarantee above the role's limit could never be honoured (Mesos
 * refuses such a quota too). */
static int check_quotas(hdrf_params *p, hdrf_error *e)
{
    for (size_t i = 0; i < p->nquotas; i++) {
        const quota_entry *q = &p->quotas[i];
        for (size_t j = 0; q->guarantees && j < q->nlimits; j++) {
            int64_t g = hdrf_quantities_get(q->guarantees, q->limits[j].name);
            if (g > q->limits[j].milli) {
                char gl[64], ll[64];
                hdrf_limit as_limit = {q->limits[j].name, g};
                return bad(e, keys[K_GUARANTEES].name, p->values[K_GUARANTEES],
                           "role '%s': guarantee %s exceeds its limit %s (quota_limits)", q->role,
                           limit_text(&as_limit, gl, sizeof gl),
                           limit_text(&q->limits[j], ll, sizeof ll));
            }
        }
    }
    return HDRF_OK;
}

static int finish(hdrf_params *p, hdrf_error *e)
{
    if (p->nquotas)
        qsort(p->quotas, p->nquotas, sizeof *p->quotas, by_role);
    int rc = check_quotas(p, e);
    if (rc != HDRF_OK)
        return rc;
    if (!(p->views = calloc(p->nquotas ? p->nquotas : 1, sizeof *p->views)))
        return no_memory(e, "quota_guarantees");
    for (size_t i = 0; i < p->nquotas; i++)
        p->views[i] =
            (hdrf_role_quota){p->quotas[i].role,
                              {p->quotas[i].guarantees, p->quotas[i].limits, p->quotas[i].nlimits}};
    /* An explicit list, even for the default or an empty one: NULL would
     * mean the core's own default, which need not stay the parameters' one
     * (and is not "nothing"). */
    static const char *const none[1] = {NULL};
    p->options.fairness_excluded = p->excluded ? (const char *const *)p->excluded : none;
    p->options.nfairness_excluded = p->nexcluded;
    p->options.min_allocatable_resources = p->minimum;
    return HDRF_OK;
}

int params_parse_pairs(const hdrf_param *params, size_t n, hdrf_params **out, hdrf_error *error,
                       size_t *failed)
{
    size_t given[NKEYS];
    int rc = HDRF_OK;
    hdrf_params *p = calloc(1, sizeof *p);
    *out = NULL;
    *failed = n;
    if (!p)
        return no_memory(error, "parameters");
    hdrf_allocator_options_init(&p->options);
    p->explain = true;
    p->log_level = HDRF_LOG_INFO;
    for (size_t k = 0; k < NKEYS; k++)
        given[k] = n;
    for (size_t i = 0; i < n && rc == HDRF_OK; i++) {
        const char *key = params[i].key ? params[i].key : "";
        const char *value = params[i].value ? params[i].value : "";
        size_t k = 0;
        while (k < NKEYS && strcmp(keys[k].name, key) != 0)
            k++;
        *failed = i;
        if (k == NKEYS)
            rc = unknown_key(error, key, value);
        else if (given[k] < n)
            rc = bad(error, key, value, "given twice (first as '%s')",
                     params[given[k]].value ? params[given[k]].value : "");
        else if (!(p->values[k] = strdup(value)))
            rc = no_memory(error, key);
        else
            given[k] = i, p->given[k] = true, rc = keys[k].read(p, key, value, error);
    }
    for (size_t k = 0; k < NKEYS && rc == HDRF_OK; k++) {
        if (given[k] < n)
            continue;
        *failed = n; /* a default that fails is hdrf's bug, not the operator's */
        if (!(p->values[k] = strdup(keys[k].fallback)))
            rc = no_memory(error, keys[k].name);
        else
            rc = keys[k].read(p, keys[k].name, keys[k].fallback, error);
    }
    if (rc == HDRF_OK) {
        *failed = given[K_GUARANTEES];
        rc = finish(p, error);
    }
    if (rc != HDRF_OK) {
        hdrf_params_free(p);
        return rc;
    }
    *failed = n;
    *out = p;
    return HDRF_OK;
}

int hdrf_params_parse(const hdrf_param *params, size_t n, hdrf_params **out, hdrf_error *error)
{
    size_t failed;
    return params_parse_pairs(params, n, out, error, &failed);
}

void hdrf_params_free(hdrf_params *p)
{
    if (!p)
        return;
    for (size_t k = 0; k < NKEYS; k++)
        free(p->values[k]);
    for (size_t i = 0; i < p->nexcluded; i++)
        free(p->excluded[i]);
    free(p->excluded);
    free(p->minimum);
    for (size_t i = 0; i < p->nweights; i++)
        free(p->weight_roles[i]);
    free(p->weight_roles);
    free(p->weights);
    for (size_t i = 0; i < p->nquotas; i++) {
        free(p->quotas[i].role);
        hdrf_quantities_free(p->quotas[i].guarantees);
        for (size_t j = 0; j < p->quotas[i].nlimits; j++)
            free((char *)p->quotas[i].limits[j].name);
        free(p->quotas[i].limits);
    }
    free(p->quotas);
    free(p->views);
    free(p);
}

/* ---- reading it back ---------------------------------------------------------------------- */

const hdrf_allocator_options *hdrf_params_options(const hdrf_params *p) { return &p->options; }

int hdrf_params_apply(const hdrf_params *p, hdrf_allocator *a)
{
    int rc = HDRF_OK;
    if (p->nweights)
        rc = hdrf_allocator_update_weights(a, (const char *const *)p->weight_roles, p->weights,
                                           p->nweights);
    for (size_t i = 0; i < p->nquotas && rc == HDRF_OK; i++)
        rc = hdrf_allocator_update_quota(a, p->views[i].role, &p->views[i].quota);
    return rc;
}

bool hdrf_params_explain(const hdrf_params *p) { return p->explain; }

hdrf_log_level hdrf_params_log_level(const hdrf_params *p) { return p->log_level; }

const char *hdrf_log_level_name(hdrf_log_level level)
{
    return (unsigned)level < sizeof level_names / sizeof *level_names ? level_names[level]
                                                                      : "unknown";
}

size_t hdrf_params_weight_count(const hdrf_params *p) { return p->nweights; }

const char *hdrf_params_weight_role(const hdrf_params *p, size_t i)
{
    return i < p->nweights ? p->weight_roles[i] : NULL;
}

double hdrf_params_weight_value(const hdrf_params *p, size_t i)
{
    return i < p->nweights ? p->weights[i] : 0.0;
}

double hdrf_params_weight(const hdrf_params *p, const char *role)
{
    for (size_t i = 0; i < p->nweights; i++)
        if (strcmp(p->weight_roles[i], role) == 0)
            return p->weights[i];
    return 1.0;
}

size_t hdrf_params_quota_count(const hdrf_params *p) { return p->nquotas; }

const hdrf_role_quota *hdrf_params_quota(const hdrf_params *p, size_t i)
{
    return i < p->nquotas ? &p->views[i] : NULL;
}

const char *hdrf_params_value(const hdrf_params *p, const char *key)
{
    for (size_t k = 0; k < NKEYS; k++)
        if (strcmp(keys[k].name, key) == 0)
            return p->values[k];
    return NULL;
}

size_t hdrf_params_key_count(void) { return NKEYS; }

const char *hdrf_params_key(size_t i) { return i < NKEYS ? keys[i].name : NULL; }

const char *hdrf_params_default(size_t i) { return i < NKEYS ? keys[i].fallback : NULL; }

/* ---- under a master -------------------------------------------------------------------- */

static long key_index(const char *key)
{
    for (size_t k = 0; key && k < NKEYS; k++)
        if (strcmp(keys[k].name, key) == 0)
            return (long)k;
    return -1;
}

bool hdrf_params_given(const hdrf_params *params, const char *key)
{
    long k = key_index(key);
    return k >= 0 && params->given[k];
}

const char *hdrf_params_master_flag(const char *key)
{
    long k = key_index(key);
    return k >= 0 ? keys[k].master_flag : NULL;
}

/* Whether the master's value of key k wins; tells `note` about a parameter
 * that was given all the same. */
static bool master_wins(const hdrf_params *p, size_t k, bool parameter_applies,
                        hdrf_master_note note, void *arg)
{
    if (!p->given[k])
        return true;
    if (note)
        note(arg, keys[k].name, keys[k].master_flag, p->values[k], parameter_applies);
    return !parameter_applies;
}

void hdrf_params_under_master(const hdrf_params *p, const hdrf_master_options *m,
                              hdrf_allocator_options *out, hdrf_master_note note, void *arg)
{
    static const char *const none[1] = {NULL};
    *out = p->options;
    if (master_wins(p, K_EXCLUDED, true, note, arg)) {
        out->fairness_excluded = m->fairness_excluded ? m->fairness_excluded : none;
        out->nfairness_excluded = m->fairness_excluded ? m->nfairness_excluded : 0;
    }
    if (master_wins(p, K_FILTER_GPU, true, note, arg))
        out->filter_gpu_resources = m->filter_gpu_resources;
    if (master_wins(p, K_MIN_ALLOCATABLE, true, note, arg))
        out->min_allocatable_resources = m->min_allocatable_resources;
    if (master_wins(p, K_RECOVERY_FACTOR, true, note, arg))
        out->agent_recovery_factor = m->agent_recovery_factor;
    if (master_wins(p, K_RECOVERY_TIMEOUT, true, note, arg))
        out->recovery_timeout = m->recovery_timeout;
    /* The master paces the runs: its interval, whatever is given. */
    master_wins(p, K_INTERVAL, false, note, arg);
    out->allocation_interval = m->allocation_interval;
}
