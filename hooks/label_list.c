/* label_list.c: parsing and filling the hook's label lists (see label_list.h).
 *
 * One pass over the parameter value, entry by entry. Escapes are resolved
 * while parsing, so the compiled key and literal parts are final text and
 * filling a label at launch only concatenates. Every refusal names the
 * parameter, shows its value and points at the offending piece. */
#include "hooks/label_list.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/error.h"
#include "lib/sbuf.h"

static const char *const field_names[FIELD_COUNT] = {
    [FIELD_ROLE] = "role",
    [FIELD_DOMINANT_SHARE] = "role.dominant_share",
    [FIELD_FRAMEWORK_ID] = "framework.id",
    [FIELD_FRAMEWORK_NAME] = "framework.name",
    [FIELD_AGENT_ID] = "agent.id",
    [FIELD_AGENT_HOSTNAME] = "agent.hostname",
};

#define KNOWN_PLACEHOLDERS                                                                         \
    "{role} {role.dominant_share} {framework.id} {framework.name} {agent.id} {agent.hostname}"

/* Characters a backslash may precede. */
#define ESCAPABLE "\\,={} "

/* An unknown placeholder is shown shorter: its message lists the known ones. */
#define PLACEHOLDER_SHOWN_MAX 24

typedef struct parser {
    const char *param;
    const char *text;
    size_t pos;
    size_t entry; /* 1-based number of the entry being parsed */
    hdrf_error *e;
} parser;

void quote_for_message(char *buf, size_t size, const char *s, size_t len, size_t max)
{
    size_t out = 0;
    bool cut = len > max;
    /* Bytes of a broken UTF-8 sequence would break the message too. */
    bool escape_high = !str_is_clean_utf8(s);
    if (cut) {
        len = max;
        /* Back off to a character boundary: never end inside a UTF-8 sequence. */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    for (size_t i = 0; i < len && out + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || (escape_high && c >= 0x80))
            out += (size_t)snprintf(buf + out, size - out, "\\x%02X", c);
        else
            buf[out++] = (char)c;
    }
    buf[out] = '\0';
    if (cut && out + 4 <= size)
        memcpy(buf + out, "...", 4);
}

void quote_value(char buf[QUOTED_SIZE], const char *s)
{
    quote_for_message(buf, QUOTED_SIZE, s, strlen(s), SHOWN_MAX);
}

/* Refuses the value: `fmt` says what is wrong with the piece of `len`
 * bytes at `pos` and what is allowed. The message starts with the parameter
 * and its (shortened) value. */
static int refuse(parser *p, size_t pos, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse(parser *p, size_t pos, size_t len, const char *fmt, ...)
{
    char why[HDRF_ERROR_TEXT_LENGTH], shown[QUOTED_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    quote_value(shown, p->text);
    return error_at(p->e, p->param, p->text, pos, len, "%s = '%s': %s", p->param, shown, why);
}

static void skip_spaces(parser *p)
{
    while (p->text[p->pos] == ' ')
        p->pos++;
}

/* Reads the escape at p->pos (a backslash) into `b`. */
static int take_escape(parser *p, sbuf *b)
{
    char next = p->text[p->pos + 1];
    if (next == '\0' || !strchr(ESCAPABLE, next))
        return refuse(p, p->pos, next ? 2 : 1,
                      "a backslash at position %zu escapes nothing; it may precede only "
                      "\\ , = { } or a space",
                      p->pos);
    sbuf_putc(b, next);
    p->pos += 2;
    return HDRF_OK;
}

/* Drops the unescaped spaces that end `b` after its first `keep` bytes. */
static void trim_to(sbuf *b, size_t keep)
{
    if (b->data) {
        b->len = keep;
        b->data[keep] = '\0';
    }
}

static int add_part(label_template *t, size_t *cap, launch_field field, char *text)
{
    if (array_reserve(&t->parts, cap, t->nparts + 1, sizeof *t->parts) != HDRF_OK) {
        free(text);
        return HDRF_ENOMEM;
    }
    t->parts[t->nparts++] = (label_part){field, text};
    t->fields |= field == FIELD_TEXT ? 0u : 1u << field;
    return HDRF_OK;
}

/* Moves the literal text gathered in `lit` (if any) into a part. */
static int flush_text(label_template *t, size_t *cap, sbuf *lit)
{
    if (lit->len == 0)
        return lit->failed ? HDRF_ENOMEM : HDRF_OK;
    char *text = sbuf_finish(lit);
    return text ? add_part(t, cap, FIELD_TEXT, text) : HDRF_ENOMEM;
}

/* Reads `{name}` at p->pos into a part. */
static int take_placeholder(parser *p, label_template *t, size_t *cap, sbuf *lit)
{
    size_t start = p->pos, end = start + 1;
    while (p->text[end] && p->text[end] != '}' && p->text[end] != ',')
        end++;
    if (p->text[end] != '}')
        return refuse(p, start, end - start,
                      "the placeholder at position %zu has no closing }; write \\{ for a "
                      "literal brace",
                      start);
    size_t len = end - start - 1;
    for (int f = 0; f < FIELD_COUNT; f++) {
        if (strlen(field_names[f]) == len &&
            memcmp(field_names[f], p->text + start + 1, len) == 0) {
            int status = flush_text(t, cap, lit);
            if (status == HDRF_OK)
                status = add_part(t, cap, (launch_field)f, NULL);
            p->pos = end + 1;
            return status;
        }
    }
    char name[QUOTED_SIZE];
    quote_for_message(name, sizeof name, p->text + start, end + 1 - start, PLACEHOLDER_SHOWN_MAX);
    return refuse(p, start, end + 1 - start, "unknown placeholder %s; known: " KNOWN_PLACEHOLDERS,
                  name);
}

/* The key: literal text up to the first unescaped `=` or `,`. */
static int parse_key(parser *p, label_template *t)
{
    sbuf key = SBUF_INIT;
    size_t start = p->pos, keep = 0;
    int status = HDRF_OK;
    for (char c; status == HDRF_OK && (c = p->text[p->pos]) && c != '=' && c != ',';) {
        if (c == '\\') {
            status = take_escape(p, &key);
            keep = key.len;
        } else if (c == '{' || c == '}') {
            status = refuse(p, p->pos, 1,
                            "keys are literal: %c at position %zu; placeholders belong in values, "
                            "write \\%c for a brace in a key",
                            c, p->pos, c);
        } else {
            sbuf_putc(&key, c);
            keep = c == ' ' ? keep : key.len;
            p->pos++;
        }
    }
    if (status == HDRF_OK && key.failed)
        status = HDRF_ENOMEM;
    if (status == HDRF_OK && keep == 0) {
        status = p->text[p->pos] == '='
                     ? refuse(p, start, p->pos - start + 1,
                              "entry %zu has an empty key; write key=value, or key alone for a "
                              "label without a value",
                              p->entry)
                     : refuse(p, start, 1,
                              "entry %zu is empty; write key=value entries separated by commas",
                              p->entry);
    }
    if (status == HDRF_OK) {
        trim_to(&key, keep);
        t->key = sbuf_finish(&key);
        status = t->key ? HDRF_OK : HDRF_ENOMEM;
    }
    sbuf_discard(&key);
    return status;
}

/* The value after `=`: literal text and placeholders up to the next unescaped `,`. */
static int parse_value(parser *p, label_template *t)
{
    sbuf lit = SBUF_INIT;
    size_t cap = 0, keep = 0;
    int status = HDRF_OK;
    t->has_value = true;
    skip_spaces(p);
    for (char c; status == HDRF_OK && (c = p->text[p->pos]) && c != ',';) {
        if (c == '\\') {
            status = take_escape(p, &lit);
            keep = lit.len;
        } else if (c == '{') {
            /* Spaces before a placeholder are inside the value: keep them. */
            status = take_placeholder(p, t, &cap, &lit);
            keep = 0;
        } else if (c == '}') {
            status = refuse(p, p->pos, 1,
                            "} at position %zu closes no placeholder; write \\} for a literal "
                            "brace",
                            p->pos);
        } else {
            sbuf_putc(&lit, c);
            keep = c == ' ' ? keep : lit.len;
            p->pos++;
        }
    }
    if (status == HDRF_OK) {
        trim_to(&lit, keep);
        status = flush_text(t, &cap, &lit);
    }
    sbuf_discard(&lit);
    return status;
}

static void template_free(label_template *t)
{
    for (size_t i = 0; i < t->nparts; i++)
        free(t->parts[i].text);
    free(t->parts);
    free(t->key);
    memset(t, 0, sizeof *t);
}

long label_list_find(const label_list *list, const char *key)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->v[i].key, key) == 0)
            return (long)i;
    return -1;
}

/* Checks the entry just parsed, starting at `start`, against the list so far. */
static int check_entry(parser *p, const label_list *list, const label_template *t, size_t start,
                       unsigned forbidden)
{
    char key[QUOTED_SIZE];
    if (label_list_find(list, t->key) >= 0) {
        quote_value(key, t->key);
        return refuse(p, start, p->pos - start, "key '%s' is given twice; each key at most once",
                      key);
    }
    for (int f = 0; f < FIELD_COUNT; f++)
        if (t->fields & forbidden & (1u << f))
            return refuse(p, start, p->pos - start,
                          "{%s} is known only to the master hook, where the allocator runs",
                          field_names[f]);
    return HDRF_OK;
}

int label_list_parse(const char *param, const char *text, unsigned forbidden, label_list *out,
                     hdrf_error *e)
{
    parser p = {param, text, 0, 0, e};
    label_list list = {NULL, 0};
    size_t cap = 0;
    int status = HDRF_OK;
    if (!str_is_clean_utf8(text)) {
        char shown[QUOTED_SIZE];
        quote_value(shown, text);
        status = error_named(e, param, shown,
                             "%s = '%s': not valid UTF-8 or holds a control character; labels are "
                             "UTF-8 text without control characters",
                             param, shown);
    }
    skip_spaces(&p);
    /* A blank value is an empty list: the way to say "no labels" explicitly.
     * Otherwise every comma owes an entry after it, so `a=1,` is refused. */
    while (status == HDRF_OK && text[p.pos]) {
        label_template t = {0};
        size_t start;
        if (p.entry > 0)
            p.pos++; /* the comma that ended the previous entry */
        p.entry++;
        skip_spaces(&p);
        start = p.pos;
        status = parse_key(&p, &t);
        if (status == HDRF_OK && text[p.pos] == '=') {
            p.pos++;
            status = parse_value(&p, &t);
        }
        if (status == HDRF_OK)
            status = check_entry(&p, &list, &t, start, forbidden);
        if (status == HDRF_OK)
            status = array_reserve(&list.v, &cap, list.n + 1, sizeof *list.v);
        if (status == HDRF_OK)
            list.v[list.n++] = t;
        else
            template_free(&t);
    }
    if (status != HDRF_OK)
        label_list_free(&list);
    *out = list;
    return status;
}

void label_list_free(label_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        template_free(&list->v[i]);
    free(list->v);
    list->v = NULL;
    list->n = 0;
}

size_t label_fill(const label_template *t, const char *const values[FIELD_COUNT], char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < t->nparts; i++) {
        const label_part *part = &t->parts[i];
        const char *s = part->field == FIELD_TEXT ? part->text : values[part->field];
        size_t n = strlen(s);
        if (out)
            memcpy(out + len, s, n);
        len += n;
    }
    if (out)
        out[len] = '\0';
    return len;
}
