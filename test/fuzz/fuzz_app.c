/* fuzz_app.c: libFuzzer target for application definitions (make fuzz).
 *
 * Input: an `{"apps": [...]}` document as the operator submits it. A
 * refusal says why in one non-empty line. What a definition means depends
 * on its JSON value only, not on how the text spells it: the document
 * written back by jansson (compact, keys in their order) gives the same
 * verdict, the same message or apps equal field by field, and with its keys
 * sorted the same verdict and equal apps. An accepted app holds what the
 * parser promises (an id, instances in range, a command or containers, an
 * instance's resources). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app.h"
#include "lib/sbuf.h"

static void put_resources(sbuf *b, const hdrf_resources *r)
{
    char *text = r ? hdrf_resources_format(r) : NULL;
    if (r && !text)
        abort();
    sbuf_printf(b, "[%s]", text ? text : "-");
    free(text);
}

static void put_command(sbuf *b, const app_command *c)
{
    sbuf_printf(b, " shell %s argv", c->shell ? c->shell : "-");
    for (size_t i = 0; i < c->argc; i++)
        sbuf_printf(b, " '%s'", c->argv[i]);
}

static void put_pairs(sbuf *b, const char *what, const app_pair *p, size_t n)
{
    sbuf_printf(b, " %s", what);
    for (size_t i = 0; i < n; i++)
        sbuf_printf(b, " %s=%s", p[i].key, p[i].value);
}

/* Every field of every app, as text: two lists mean the same when these are
 * equal. */
static char *describe(const app_list *list)
{
    sbuf b = SBUF_INIT;
    for (size_t i = 0; i < list->n; i++) {
        const app *a = &list->apps[i];
        if (!a->id || !a->id[0] || a->instances < 0 || a->instances > APP_MAX_INSTANCES ||
            !a->instance_resources || (a->n_containers == 0) != (a->resources != NULL))
            abort();
        sbuf_printf(&b, "%s x%ld role %s gang %d restart %.17g %.17g %.17g %.17g ", a->id,
                    a->instances, a->role ? a->role : "-", a->gang, a->restart.backoff_seconds,
                    a->restart.backoff_factor, a->restart.max_backoff_seconds,
                    a->restart.reset_after_seconds);
        put_resources(&b, a->resources);
        put_resources(&b, a->executor_resources);
        put_resources(&b, a->instance_resources);
        put_command(&b, &a->command);
        for (size_t k = 0; k < a->n_containers; k++) {
            sbuf_printf(&b, " container %s ", a->containers[k].name);
            put_resources(&b, a->containers[k].resources);
            put_command(&b, &a->containers[k].command);
            put_pairs(&b, "env", a->containers[k].env, a->containers[k].n_env);
        }
        put_pairs(&b, "env", a->env, a->n_env);
        put_pairs(&b, "labels", a->labels, a->n_labels);
        for (size_t k = 0; k < a->n_constraints; k++) {
            const app_constraint *c = &a->constraints[k];
            sbuf_printf(&b, " [%s %s %s %ld]", c->field, app_constraint_op_name(c->op),
                        c->value ? c->value : "-", c->number);
        }
        sbuf_putc(&b, '\n');
    }
    char *text = sbuf_finish(&b);
    if (!text)
        abort();
    return text;
}

typedef struct outcome {
    int status;
    char *apps; /* describe() of what was accepted */
    char message[SCHED_ERROR_LENGTH];
} outcome;

static outcome parse(const char *text, size_t len)
{
    outcome out = {0, NULL, ""};
    app_list list;
    sched_error err;
    out.status = app_list_parse(text, len, &list, &err);
    if (out.status == HDRF_OK) {
        out.apps = describe(&list);
        app_list_free(&list);
    } else {
        if (!err.text[0] || strchr(err.text, '\n') || err.status != out.status)
            abort();
        memcpy(out.message, err.text, sizeof out.message);
    }
    return out;
}

/* The document written back with `flags` parses to the same outcome
 * (`same_message`: the same refusal text too). */
static void again(const json_t *doc, size_t flags, const outcome *first, bool same_message)
{
    char *text = json_dumps(doc, flags | JSON_ENCODE_ANY);
    if (!text)
        abort();
    outcome second = parse(text, strlen(text));
    if (second.status != first->status || (first->apps && strcmp(first->apps, second.apps) != 0) ||
        (same_message && strcmp(first->message, second.message) != 0))
        abort();
    free(second.apps);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    outcome first = parse(text, size);
    json_error_t jerr;
    json_t *doc = json_loadb(text, size, JSON_REJECT_DUPLICATES, &jerr);
    if (doc) {
        again(doc, JSON_COMPACT, &first, true);
        again(doc, JSON_COMPACT | JSON_SORT_KEYS, &first, false);
        json_decref(doc);
    }
    free(first.apps);
    return 0;
}
