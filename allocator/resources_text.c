/* resources_text.c: Mesos's text form of resources, both ways.
 *
 * Parsing follows what mesos-agent's --resources flag accepts
 * (Resources::fromSimpleString in Mesos 1.11): `;`-separated items
 * `name[(role)]:value`, where value is a scalar, `[b-e,...]` ranges or a
 * `{a,...}` set, spaces ignored inside values, empty items skipped. Where
 * Mesos would accept and then reject in validation (overlapping ranges,
 * duplicate set items, negative scalars) the parser rejects at once with the
 * token and its position. Text that starts with '[' is the JSON array form,
 * which hdrf_resources_parse (resources_parse.c) hands to resources_json.c
 * instead, as Mesos does.
 *
 * Formatting writes the flag syntax where it can express a resource and
 * Mesos's log annotations where it cannot (see hdrf_resources_format). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "allocator/resources_internal.h"
#include "allocator/resources_text.h"
#include "lib/sbuf.h"

#define SRC "text"

/* The largest scalar whose milli-units a double still holds exactly. */
#define MAX_SCALAR_MILLI INT64_C(9007199254740991)

typedef struct span {
    size_t begin, end; /* [begin, end) into the input */
} span;

typedef struct parser {
    const char *in;
    hdrf_error *error;
} parser;

static span trim(const parser *p, span s)
{
    while (s.begin < s.end && isspace((unsigned char)p->in[s.begin]))
        s.begin++;
    while (s.end > s.begin && isspace((unsigned char)p->in[s.end - 1]))
        s.end--;
    return s;
}

static size_t span_len(span s) { return s.end - s.begin; }

static int fail(const parser *p, span at, const char *message)
{
    size_t len = span_len(at) ? span_len(at) : 1;
    return error_at(p->error, SRC, p->in, at.begin, len, "%s", message);
}

/* Copies the span without whitespace (Mesos drops spaces inside values). */
static char *squeeze(const parser *p, span s)
{
    char *out = malloc(span_len(s) + 1), *w = out;
    if (!out)
        return NULL;
    for (size_t i = s.begin; i < s.end; i++)
        if (!isspace((unsigned char)p->in[i]))
            *w++ = p->in[i];
    *w = '\0';
    return out;
}

/* Parses "123" into *v; the whole token must be decimal digits. */
static bool parse_u64(const char *s, size_t n, uint64_t *v)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)buf[i]))
            return false;
    errno = 0;
    unsigned long long x = strtoull(buf, NULL, 10);
    if (errno == ERANGE)
        return false;
    *v = x;
    return true;
}

int text_parse_scalar(const char *token, int64_t *milli, const char **why)
{
    char *end;
    if (!*token || strspn(token, "0123456789.eE+-") != strlen(token)) {
        *why = "expected a number, [ranges] or {set}";
        return HDRF_EINVAL;
    }
    errno = 0;
    double v = strtod(token, &end);
    if (*end || errno == ERANGE || !isfinite(v)) {
        *why = "not a finite number";
        return HDRF_EINVAL;
    }
    if (v < 0) {
        *why = "a scalar cannot be negative";
        return HDRF_EINVAL;
    }
    if (v * 1000.0 > (double)MAX_SCALAR_MILLI) {
        *why = "a scalar cannot exceed 9007199254740.991";
        return HDRF_EINVAL;
    }
    *milli = llround(v * 1000.0);
    if (*milli == 0 && v != 0) {
        *why = "a non-zero scalar below 0.0005 rounds to 0 at Mesos's three decimals";
        return HDRF_EINVAL;
    }
    return HDRF_OK;
}

typedef int (*item_parser)(const parser *p, span item, hdrf_resource *r, const char **why);

/* Calls `parse` on each non-empty comma-separated item of `inner` (the value
 * without its brackets); empty items are skipped, as Mesos's tokenizer does. */
static int each_item(const parser *p, span inner, hdrf_resource *r, item_parser parse)
{
    for (size_t i = inner.begin; i < inner.end;) {
        size_t comma = i;
        while (comma < inner.end && p->in[comma] != ',')
            comma++;
        span item = trim(p, (span){i, comma});
        const char *why = NULL;
        int status = span_len(item) ? parse(p, item, r, &why) : HDRF_OK;
        if (status != HDRF_OK)
            return why ? fail(p, item, why) : status;
        i = comma + 1;
    }
    return HDRF_OK;
}

static int parse_range(const parser *p, span item, hdrf_resource *r, const char **why)
{
    const char *dash = memchr(p->in + item.begin, '-', span_len(item));
    uint64_t b, e;
    if (!dash) {
        *why = "expected a range 'begin-end'";
        return HDRF_EINVAL;
    }
    span bs = trim(p, (span){item.begin, (size_t)(dash - p->in)});
    span es = trim(p, (span){(size_t)(dash - p->in) + 1, item.end});
    if (!parse_u64(p->in + bs.begin, span_len(bs), &b) ||
        !parse_u64(p->in + es.begin, span_len(es), &e)) {
        *why = "range bounds must be unsigned 64-bit integers";
        return HDRF_EINVAL;
    }
    return resource_append_range(r, b, e, why);
}

static int parse_set_item(const parser *p, span item, hdrf_resource *r, const char **why)
{
    char *text = squeeze(p, item);
    int status = text ? resource_insert_item(r, text, why) : HDRF_ENOMEM;
    free(text);
    return status;
}

static int parse_value(const parser *p, span value, hdrf_resource *r)
{
    value = trim(p, value);
    if (span_len(value) == 0)
        return fail(p, value, "missing value after ':'");
    char open = p->in[value.begin], close = p->in[value.end - 1];
    span inner = {value.begin + 1, value.end - 1};
    if (open == '[' || open == '{') {
        char want = open == '[' ? ']' : '}';
        if (close != want || span_len(value) < 2)
            return fail(p, value,
                        want == ']' ? "ranges have no closing ']'" : "set has no closing '}'");
        r->type = open == '[' ? HDRF_RANGES : HDRF_SET;
        int status = each_item(p, inner, r, open == '[' ? parse_range : parse_set_item);
        rangelist_normalize(&r->ranges);
        return status;
    }
    char *token = squeeze(p, value);
    const char *why = NULL;
    if (!token)
        return HDRF_ENOMEM;
    r->type = HDRF_SCALAR;
    int status = text_parse_scalar(token, &r->scalar, &why);
    free(token);
    return status == HDRF_OK ? HDRF_OK : fail(p, value, why);
}

static bool bad_name_char(char c) { return isspace((unsigned char)c) || strchr("()[]{},:;", c); }

int text_static_reservation(hdrf_resource *r, const char *role)
{
    if (!role || strcmp(role, "*") == 0)
        return HDRF_OK;
    r->reservations = calloc(1, sizeof *r->reservations);
    if (!r->reservations || !(r->reservations[0].role = strdup(role)))
        return HDRF_ENOMEM;
    r->reservations[0].type = HDRF_RESERVATION_STATIC;
    r->nreservations = 1;
    return HDRF_OK;
}

/* One `name[(role)]:value` item, [begin, end) without the ';'. */
static int parse_item(const parser *p, span item, const char *default_role, hdrf_resource *r)
{
    size_t colon = item.begin, open = SIZE_MAX;
    char *role = NULL;
    int status;
    while (colon < item.end && p->in[colon] != ':') {
        if (p->in[colon] == '(' && open == SIZE_MAX)
            open = colon;
        colon++;
    }
    if (colon == item.end)
        return fail(p, item, "expected 'name:value' or 'name(role):value'");
    span name = trim(p, (span){item.begin, open != SIZE_MAX ? open : colon});
    if (span_len(name) == 0)
        return fail(p, (span){item.begin, colon}, "missing resource name");
    for (size_t i = name.begin; i < name.end; i++)
        if (bad_name_char(p->in[i]))
            return fail(p, name, "a resource name cannot contain spaces or any of ()[]{},:;");
    if (open != SIZE_MAX) {
        span tail = trim(p, (span){open, colon});
        if (p->in[tail.end - 1] != ')')
            return fail(p, tail, "missing ')' after the role");
        span rs = trim(p, (span){open + 1, tail.end - 1});
        if (!(role = strndup(p->in + rs.begin, span_len(rs))))
            return HDRF_ENOMEM;
        const char *why = hdrf_role_invalid(role);
        if (why) {
            free(role);
            return fail(p, rs.begin == rs.end ? tail : rs, why);
        }
    }
    if (!(r->name = rstr_ndup(p->in + name.begin, span_len(name))))
        status = HDRF_ENOMEM;
    else if ((status = parse_value(p, (span){colon + 1, item.end}, r)) == HDRF_OK)
        status = text_static_reservation(r, open != SIZE_MAX ? role : default_role);
    free(role);
    char where[64];
    const char *why = status == HDRF_OK ? resource_check(r, where, sizeof where) : NULL;
    return why ? fail(p, item, why) : status;
}

int text_parse(const char *text, const char *default_role, hdrf_resources *out, hdrf_error *error)
{
    parser p = {text, error};
    size_t len = strlen(text), i = 0;
    while (i < len) {
        size_t semi = i;
        while (semi < len && text[semi] != ';')
            semi++;
        span item = trim(&p, (span){i, semi});
        if (span_len(item) > 0) {
            hdrf_resource r = {0};
            int status = parse_item(&p, item, default_role, &r);
            if (status != HDRF_OK) {
                resource_free(&r);
                return status;
            }
            if ((status = resources_add_owned(out, &r)) != HDRF_OK)
                return status;
        }
        i = semi + 1;
    }
    return HDRF_OK;
}

/* ---- formatting --------------------------------------------------------- */

void text_format_value(sbuf *b, const hdrf_resource *r)
{
    switch (r->type) {
    case HDRF_SCALAR:
        sbuf_put_milli(b, r->scalar);
        break;
    case HDRF_RANGES:
        sbuf_putc(b, '[');
        for (size_t i = 0; i < r->ranges.n; i++)
            sbuf_printf(b, "%s%llu-%llu", i ? ", " : "", (unsigned long long)r->ranges.v[i].begin,
                        (unsigned long long)r->ranges.v[i].end);
        sbuf_putc(b, ']');
        break;
    case HDRF_SET:
        sbuf_putc(b, '{');
        for (size_t i = 0; i < r->set.n; i++)
            sbuf_printf(b, "%s%s", i ? ", " : "", r->set.v[i]);
        sbuf_putc(b, '}');
        break;
    }
}

/* Whether `name(role):value` says all there is to say about r. */
static bool flag_expressible(const hdrf_resource *r)
{
    return !r->allocation_role && !r->disk && !r->revocable && !r->shared && !r->provider_id &&
           (r->nreservations == 0 ||
            (r->nreservations == 1 && r->reservations[0].type == HDRF_RESERVATION_STATIC &&
             !r->reservations[0].principal && !r->reservations[0].labels.present));
}

static void format_labels(sbuf *b, const labels *l)
{
    sbuf_putc(b, '{');
    for (size_t i = 0; i < l->n; i++) {
        sbuf_puts(b, l->v[i].key);
        if (l->v[i].value)
            sbuf_printf(b, ": %s", l->v[i].value);
        if (i + 1 < l->n)
            sbuf_puts(b, ", ");
    }
    sbuf_putc(b, '}');
}

static const char *const source_names[] = {"UNKNOWN", "PATH", "MOUNT", "BLOCK", "RAW"};

static void format_disk(sbuf *b, const disk_info *d)
{
    if (d->source_type != HDRF_DISK_SOURCE_NONE) {
        sbuf_puts(b, source_names[d->source_type]);
        if (d->source_id || d->source_profile)
            sbuf_printf(b, "(%s,%s,%s)", d->source_vendor ? d->source_vendor : "",
                        d->source_id ? d->source_id : "",
                        d->source_profile ? d->source_profile : "");
        else if (d->source_root && (d->source_type == HDRF_DISK_SOURCE_PATH ||
                                    d->source_type == HDRF_DISK_SOURCE_MOUNT))
            sbuf_printf(b, ":%s", d->source_root);
    }
    if (d->has_persistence)
        sbuf_printf(b, "%s%s", d->source_type != HDRF_DISK_SOURCE_NONE ? "," : "",
                    d->persistence_id);
    if (d->has_volume) {
        sbuf_putc(b, ':');
        if (d->volume_host_path)
            sbuf_printf(b, "%s:", d->volume_host_path);
        sbuf_puts(b, d->volume_container_path ? d->volume_container_path : "");
        if (d->volume_host_path && d->volume_mode)
            sbuf_puts(b, d->volume_mode == 1 ? ":rw" : ":ro");
    }
}

/* Mesos's operator<<(ostream&, const Resource&), annotation for annotation. */
static void format_annotated(sbuf *b, const hdrf_resource *r)
{
    sbuf_puts(b, r->name);
    if (r->allocation_role)
        sbuf_printf(b, "(allocated: %s)", r->allocation_role);
    if (r->nreservations) {
        sbuf_puts(b, "(reservations: [");
        for (size_t i = 0; i < r->nreservations; i++) {
            const reservation *res = &r->reservations[i];
            sbuf_printf(b, "%s(%s,%s", i ? "," : "",
                        res->type == HDRF_RESERVATION_STATIC ? "STATIC" : "DYNAMIC", res->role);
            if (res->principal)
                sbuf_printf(b, ",%s", res->principal);
            if (res->labels.present) {
                sbuf_putc(b, ',');
                format_labels(b, &res->labels);
            }
            sbuf_putc(b, ')');
        }
        sbuf_puts(b, "])");
    }
    if (r->disk) {
        sbuf_putc(b, '[');
        format_disk(b, r->disk);
        sbuf_putc(b, ']');
    }
    if (r->revocable)
        sbuf_puts(b, "{REV}");
    if (r->shared)
        sbuf_puts(b, "<SHARED>");
}

char *hdrf_resources_format(const hdrf_resources *rs)
{
    sbuf b = SBUF_INIT;
    for (size_t i = 0; i < rs->n; i++) {
        const hdrf_resource *r = &rs->v[i];
        if (i)
            sbuf_puts(&b, "; ");
        if (flag_expressible(r)) {
            sbuf_puts(&b, r->name);
            if (r->nreservations)
                sbuf_printf(&b, "(%s)", r->reservations[0].role);
        } else {
            format_annotated(&b, r);
        }
        sbuf_putc(&b, ':');
        text_format_value(&b, r);
    }
    return sbuf_finish(&b);
}
