/* label_list.h: the label-list syntax of the hook parameters (private).
 *
 * `labels` and `agent_labels` are lists such as
 *   team=ads, hdrf.owner={framework.name}@{agent.hostname}, canary
 * (the full grammar is in hdrf/hooks.h). Parsing compiles each entry once,
 * at module creation, into a literal key and a value made of parts: literal
 * text or a launch fact. Filling a label at launch is then a walk over the
 * parts with nothing left to parse or to fail but memory.
 */
#ifndef HDRF_HOOKS_LABEL_LIST_H
#define HDRF_HOOKS_LABEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "hdrf/status.h"

/* The launch facts a value may name, as {placeholder}s. */
typedef enum launch_field {
    FIELD_ROLE,
    FIELD_DOMINANT_SHARE,
    FIELD_FRAMEWORK_ID,
    FIELD_FRAMEWORK_NAME,
    FIELD_AGENT_ID,
    FIELD_AGENT_HOSTNAME,
    FIELD_COUNT,
    FIELD_TEXT = FIELD_COUNT /* a part that is literal text */
} launch_field;

typedef struct label_part {
    launch_field field;
    char *text; /* FIELD_TEXT only: unescaped, non-empty */
} label_part;

typedef struct label_template {
    char *key;
    bool has_value; /* false: a key-only label */
    label_part *parts;
    size_t nparts;
    unsigned fields; /* bit (1u << field) for each fact the value names */
} label_template;

typedef struct label_list {
    label_template *v;
    size_t n;
} label_list;

/* Parses `text`, the value of parameter `param` (used in messages), into
 * *out. `forbidden` is the set of fields (bits as in `fields`) the list may
 * not name, because its hook never knows them. On failure *out is empty,
 * nothing is leaked, and `e` says why as hdrf_hooks_new() documents.
 * Returns HDRF_OK, HDRF_EINVAL or HDRF_ENOMEM. */
int label_list_parse(const char *param, const char *text, unsigned forbidden, label_list *out,
                     hdrf_error *e);

void label_list_free(label_list *list);

/* The index of the first template of `list` with key `key`, or -1. */
long label_list_find(const label_list *list, const char *key);

/* Fills the value of `t` from values[field] (each non-NULL for the fields
 * `t` names) into `out`, which has room for the returned length plus a NUL;
 * with `out` NULL only measures. */
size_t label_fill(const label_template *t, const char *const values[FIELD_COUNT], char *out);

/* How much of a value a message shows: enough to recognise it, short
 * enough that the explanation after it fits an hdrf_error. QUOTED_SIZE holds
 * that much quoted (each byte may become \xNN), "..." and a NUL. */
#define SHOWN_MAX 32
#define QUOTED_SIZE (SHOWN_MAX * 4 + 8)

/* Writes the `len` bytes at `s` into buf[size] for a message: control
 * bytes as \xNN (and every byte from 0x80 too unless `s` is clean UTF-8, so
 * a broken sequence cannot break the message), and anything past `max`
 * bytes cut at a character boundary and marked "...". */
void quote_for_message(char *buf, size_t size, const char *s, size_t len, size_t max);

/* The same for all of `s`, SHOWN_MAX bytes at most. */
void quote_value(char buf[QUOTED_SIZE], const char *s);

#endif
