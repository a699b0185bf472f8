/* hooks.c: the label policy of the hook module (see hdrf/hooks.h).
 *
 * Creation does all the judging: it reads the parameters into a policy that
 * cannot be wrong at launch. Decorating is then one scan of the task's
 * labels for forged keys and one copy into a single block that the caller
 * frees at once, so the shim converts it to Mesos's Labels and lets go. */
#include "hdrf/hooks.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/sbuf.h"
#include "hooks/label_list.h"

#define DEFAULT_PREFIX "hdrf."

/* Share formatting: four decimals. Below this bound share * 10^4 is under
 * 10^13, far below 2^53, so the product is off by less than 0.002 of a unit
 * and rounding it gives the nearest ten-thousandth. A dominant share is at
 * most 1 in any sane cluster; the bound only keeps nonsense out. */
#define SHARE_SCALE 10000.0
#define SHARE_LIMIT 1e9

/* Long enough for any share below SHARE_LIMIT: 9 digits, point, 4 digits. */
#define SHARE_TEXT 32

struct hdrf_hooks {
    char *prefix;
    size_t prefix_len;
    bool reject; /* on_forged_label=reject */
    label_list master_labels;
    label_list agent_labels;
};

enum param_id { P_LABELS, P_AGENT_LABELS, P_PREFIX, P_ON_FORGED, P_COUNT };

static const char *const param_names[P_COUNT] = {
    [P_LABELS] = "labels",
    [P_AGENT_LABELS] = "agent_labels",
    [P_PREFIX] = "reserved_prefix",
    [P_ON_FORGED] = "on_forged_label",
};

#define KNOWN_PARAMS "labels, agent_labels, reserved_prefix, on_forged_label"

void hdrf_hooks_free(hdrf_hooks *hooks)
{
    if (!hooks)
        return;
    free(hooks->prefix);
    label_list_free(&hooks->master_labels);
    label_list_free(&hooks->agent_labels);
    free(hooks);
}

/* Refuses a whole parameter value (or its key): the message names both. */
static int refuse_param(hdrf_error *e, const char *key, const char *value, const char *why)
{
    char shown_key[QUOTED_SIZE], shown_value[QUOTED_SIZE];
    quote_value(shown_key, key);
    quote_value(shown_value, value);
    return error_named(e, shown_key, shown_value, "%s = '%s': %s", shown_key, shown_value, why);
}

static int read_prefix(hdrf_hooks *h, const char *value, hdrf_error *e)
{
    if (value[0] == '\0')
        return refuse_param(e, "reserved_prefix", value,
                            "must be a non-empty key prefix such as " DEFAULT_PREFIX
                            " (an empty one would claim every label)");
    if (!str_is_clean_utf8(value))
        return refuse_param(e, "reserved_prefix", value,
                            "must be UTF-8 text without control characters");
    char *copy = strdup(value);
    if (!copy)
        return HDRF_ENOMEM;
    free(h->prefix);
    h->prefix = copy;
    h->prefix_len = strlen(copy);
    return HDRF_OK;
}

static int read_on_forged(hdrf_hooks *h, const char *value, hdrf_error *e)
{
    if (strcmp(value, "strip") == 0 || strcmp(value, "reject") == 0) {
        h->reject = value[0] == 'r';
        return HDRF_OK;
    }
    return refuse_param(e, "on_forged_label", value,
                        "allowed values are strip (the default: forged labels are removed) and "
                        "reject (a forged label fails the launch)");
}

static int read_param(hdrf_hooks *h, enum param_id id, const char *value, hdrf_error *e)
{
    switch (id) {
    case P_LABELS:
        return label_list_parse("labels", value, 0, &h->master_labels, e);
    case P_AGENT_LABELS:
        return label_list_parse("agent_labels", value, 1u << FIELD_DOMINANT_SHARE, &h->agent_labels,
                                e);
    case P_PREFIX:
        return read_prefix(h, value, e);
    case P_ON_FORGED:
        return read_on_forged(h, value, e);
    case P_COUNT:
        break;
    }
    return HDRF_EINVAL;
}

/* A key in both lists would be on the task twice once both hooks ran. */
static int check_lists_apart(const hdrf_hooks *h, const char *agent_value, hdrf_error *e)
{
    for (size_t i = 0; i < h->agent_labels.n; i++) {
        const char *key = h->agent_labels.v[i].key;
        if (label_list_find(&h->master_labels, key) >= 0) {
            char shown[QUOTED_SIZE], why[HDRF_ERROR_TEXT_LENGTH];
            quote_value(shown, key);
            snprintf(why, sizeof why, "key '%s' is also in labels; a task would carry it twice",
                     shown);
            return refuse_param(e, "agent_labels", agent_value, why);
        }
    }
    return HDRF_OK;
}

int hdrf_hooks_new(const hdrf_hooks_param *params, size_t nparams, hdrf_hooks **out,
                   hdrf_error *error)
{
    const char *seen[P_COUNT] = {NULL};
    int status = HDRF_OK;
    hdrf_hooks *h = NULL;
    if (!out || (nparams > 0 && !params)) {
        status = error_named(error, "hooks", "", "hdrf_hooks_new: NULL argument");
        goto done;
    }
    h = calloc(1, sizeof *h);
    if (!h || !(h->prefix = strdup(DEFAULT_PREFIX))) {
        status = HDRF_ENOMEM;
        goto done;
    }
    h->prefix_len = strlen(h->prefix);
    for (size_t i = 0; i < nparams && status == HDRF_OK; i++) {
        const char *key = params[i].key, *value = params[i].value;
        int id = 0;
        if (!key || !value) {
            status = error_named(error, key ? key : "", "",
                                 "parameter %zu has no %s; each needs a key and a value", i + 1,
                                 key ? "value" : "key");
            break;
        }
        while (id < P_COUNT && strcmp(key, param_names[id]) != 0)
            id++;
        if (id == P_COUNT) {
            status = refuse_param(error, key, value, "unknown parameter; known: " KNOWN_PARAMS);
        } else if (seen[id]) {
            char shown[QUOTED_SIZE], why[HDRF_ERROR_TEXT_LENGTH];
            quote_value(shown, seen[id]);
            snprintf(why, sizeof why, "given twice (first as '%s'); give each parameter once",
                     shown);
            status = refuse_param(error, key, value, why);
        } else {
            seen[id] = value;
            status = read_param(h, (enum param_id)id, value, error);
        }
    }
    if (status == HDRF_OK)
        status = check_lists_apart(h, seen[P_AGENT_LABELS], error);
done:
    if (status == HDRF_ENOMEM)
        error_named(error, "hooks", "", "out of memory while reading the parameters");
    if (status != HDRF_OK) {
        hdrf_hooks_free(h);
        h = NULL;
    }
    if (out)
        *out = h;
    return status;
}

/* ---- decorating ----------------------------------------------------------- */

void hdrf_hooks_result_free(hdrf_hooks_result *result)
{
    if (!result)
        return;
    free(result->labels);
    result->verdict = HDRF_HOOKS_KEEP;
    result->labels = NULL;
    result->nlabels = 0;
}

/* Four decimals, rounded half away from zero. Done with integers rather than
 * printf("%.4f") so that the text never depends on the host's locale (the
 * master is someone else's process) nor on printf's ties-to-even. */
static void format_share(double share, char buf[SHARE_TEXT])
{
    uint64_t units = (uint64_t)round(share * SHARE_SCALE);
    snprintf(buf, SHARE_TEXT, "%llu.%04llu", (unsigned long long)(units / 10000),
             (unsigned long long)(units % 10000));
}

static bool under_prefix(const hdrf_hooks *h, const char *key)
{
    return strncmp(key, h->prefix, h->prefix_len) == 0;
}

static int check_launch(const hdrf_label *labels, size_t nlabels, const hdrf_hooks_launch *launch,
                        hdrf_error *e)
{
    if (!launch || (nlabels > 0 && !labels))
        return error_named(e, "hooks", "", "hdrf_hooks_decorate: NULL argument");
    for (size_t i = 0; i < nlabels; i++)
        if (!labels[i].key)
            return error_named(e, "task labels", "",
                               "task label %zu has no key; Mesos requires one", i + 1);
    if (launch->has_dominant_share &&
        !(launch->dominant_share >= 0 && launch->dominant_share < SHARE_LIMIT)) {
        char shown[64];
        snprintf(shown, sizeof shown, "%g", launch->dominant_share);
        return error_named(e, "launch", shown,
                           "dominant share %s: must be finite, >= 0 and below 1e9", shown);
    }
    return HDRF_OK;
}

/* Refuses the launch for `key`, the first of `count` forged labels. */
static void refuse_forged(const hdrf_hooks *h, const char *key, size_t count, hdrf_error *e)
{
    char shown_key[QUOTED_SIZE], shown_prefix[QUOTED_SIZE], more[48] = "";
    quote_value(shown_key, key);
    quote_value(shown_prefix, h->prefix);
    if (count > 1)
        snprintf(more, sizeof more, " (and %zu more)", count - 1);
    error_named(e, "task labels", shown_key,
                "label '%s'%s set by the framework: keys under '%s' are reserved to hdrf's "
                "label hook (on_forged_label=reject)",
                shown_key, more, shown_prefix);
}

/* One decoration: the policy's choices for the stage, the launch as text. */
typedef struct decoration {
    const hdrf_hooks *hooks;
    bool protect;            /* the master hook: forged labels are judged */
    const label_list *added; /* the labels this stage adds */
    const char *values[FIELD_COUNT];
    unsigned known; /* bit per field with a value */
    char share[SHARE_TEXT];
} decoration;

static void decoration_init(decoration *d, const hdrf_hooks *hooks, hdrf_hooks_stage stage,
                            const hdrf_hooks_launch *launch)
{
    d->hooks = hooks;
    d->protect = stage == HDRF_HOOKS_MASTER;
    d->added = stage == HDRF_HOOKS_MASTER ? &hooks->master_labels : &hooks->agent_labels;
    d->values[FIELD_ROLE] = launch->role;
    d->values[FIELD_FRAMEWORK_ID] = launch->framework_id;
    d->values[FIELD_FRAMEWORK_NAME] = launch->framework_name;
    d->values[FIELD_AGENT_ID] = launch->agent_id;
    d->values[FIELD_AGENT_HOSTNAME] = launch->agent_hostname;
    d->values[FIELD_DOMINANT_SHARE] = NULL;
    if (launch->has_dominant_share) {
        format_share(launch->dominant_share, d->share);
        d->values[FIELD_DOMINANT_SHARE] = d->share;
    }
    d->known = 0;
    for (int f = 0; f < FIELD_COUNT; f++)
        d->known |= d->values[f] ? 1u << f : 0u;
}

/* Whether a task label survives: everything but forged labels does. */
static bool keeps(const decoration *d, const hdrf_label *label)
{
    return !(d->protect && under_prefix(d->hooks, label->key));
}

/* Whether a configured label is added: a label needing a fact nobody knows
 * is left out (hdrf/hooks.h). */
static bool fills(const decoration *d, const label_template *t)
{
    return (t->fields & ~d->known) == 0;
}

/* Adds `len` bytes to *total, noting an overflow in *ok. */
static void add_size(size_t *total, size_t len, bool *ok)
{
    if (len > SIZE_MAX - *total)
        *ok = false;
    else
        *total += len;
}

/* Bytes of the result's block: `total` labels, then every string they
 * point to. *ok is cleared on an overflow. */
static size_t block_size(const decoration *d, const hdrf_label *labels, size_t nlabels,
                         size_t total, bool *ok)
{
    size_t size = 0;
    if (total > SIZE_MAX / sizeof(hdrf_label))
        *ok = false;
    else
        size = total * sizeof(hdrf_label);
    for (size_t i = 0; i < nlabels; i++) {
        if (!keeps(d, &labels[i]))
            continue;
        add_size(&size, strlen(labels[i].key) + 1, ok);
        if (labels[i].value)
            add_size(&size, strlen(labels[i].value) + 1, ok);
    }
    for (size_t i = 0; i < d->added->n; i++) {
        const label_template *t = &d->added->v[i];
        if (!fills(d, t))
            continue;
        add_size(&size, strlen(t->key) + 1, ok);
        if (t->has_value)
            add_size(&size, label_fill(t, d->values, NULL) + 1, ok);
    }
    return size;
}

/* Copies `s` into the string area at *at, moving *at past it. */
static const char *put_string(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = memcpy(*at, s, n);
    *at += n;
    return copy;
}

/* Writes the kept labels, then the added ones, into `block` as sized above. */
static void fill_block(const decoration *d, const hdrf_label *labels, size_t nlabels, char *block,
                       size_t total, hdrf_hooks_result *out)
{
    char *strings = block + total * sizeof(hdrf_label);
    out->labels = (hdrf_label *)(void *)block;
    out->nlabels = 0;
    for (size_t i = 0; i < nlabels; i++) {
        if (!keeps(d, &labels[i]))
            continue;
        out->labels[out->nlabels].key = put_string(&strings, labels[i].key);
        out->labels[out->nlabels++].value = put_string(&strings, labels[i].value);
    }
    for (size_t i = 0; i < d->added->n; i++) {
        const label_template *t = &d->added->v[i];
        const char *value = NULL;
        if (!fills(d, t))
            continue;
        out->labels[out->nlabels].key = put_string(&strings, t->key);
        if (t->has_value) {
            value = strings;
            strings += label_fill(t, d->values, strings) + 1;
        }
        out->labels[out->nlabels++].value = value;
    }
    out->verdict = HDRF_HOOKS_REPLACE;
}

int hdrf_hooks_decorate(const hdrf_hooks *hooks, hdrf_hooks_stage stage, const hdrf_label *labels,
                        size_t nlabels, const hdrf_hooks_launch *launch, hdrf_hooks_result *out,
                        hdrf_error *error)
{
    decoration d;
    size_t forged = 0, nadded = 0, total, size;
    const char *first_forged = NULL;
    bool ok = true;
    char *block;
    int status;

    if (!out)
        return error_named(error, "hooks", "", "hdrf_hooks_decorate: NULL argument");
    *out = (hdrf_hooks_result){HDRF_HOOKS_KEEP, NULL, 0};
    if (!hooks || (stage != HDRF_HOOKS_MASTER && stage != HDRF_HOOKS_AGENT))
        return error_named(error, "hooks", "", "hdrf_hooks_decorate: bad policy or stage");
    status = check_launch(labels, nlabels, launch, error);
    if (status != HDRF_OK)
        return status;
    decoration_init(&d, hooks, stage, launch);

    for (size_t i = 0; i < nlabels; i++)
        if (!keeps(&d, &labels[i]) && forged++ == 0)
            first_forged = labels[i].key;
    if (forged > 0 && hooks->reject) {
        refuse_forged(hooks, first_forged, forged, error);
        out->verdict = HDRF_HOOKS_REFUSE;
        return HDRF_OK;
    }
    for (size_t i = 0; i < d.added->n; i++)
        nadded += fills(&d, &d.added->v[i]);
    if (forged == 0 && nadded == 0)
        return HDRF_OK; /* nothing to change: Mesos keeps the labels as they are */

    total = nlabels - forged + nadded;
    size = block_size(&d, labels, nlabels, total, &ok);
    /* An empty result (every label forged, none added) still gets a block. */
    block = ok ? malloc(size > 0 ? size : 1) : NULL;
    if (!block) {
        error_named(error, "hooks", "", "out of memory while decorating labels");
        return HDRF_ENOMEM;
    }
    fill_block(&d, labels, nlabels, block, total, out);
    return HDRF_OK;
}
