/* regex.c: RE2-syntax regular expressions matched in linear time.
 *
 * Three stages, each owning its memory until the next takes over (see
 * regex.h for the dialect and the limits):
 *   parse    pattern -> a tree of nodes in one growable array, character
 *            classes as sorted, merged code-point ranges in another; each
 *            node also records RE2's instruction count for its subtree, so
 *            the limits are checked before anything is expanded (a pattern
 *            like `((a{1000}){1000}){1000}` is refused, not built);
 *   compile  tree -> a Thompson NFA: consuming instructions (one code point,
 *            a class, any character) and epsilon ones (split, jump,
 *            assertion), ending in one MATCH;
 *   match    Pike's simulation: the set of live instructions advances one
 *            code point at a time; a sparse set keeps each instruction at
 *            most once per step, so every step costs O(instructions) and no
 *            pattern can make matching exponential or unbounded.
 */
#include "lib/regex.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/status.h"

#define MAX_RUNE 0x10FFFFu
/* A byte that is not valid UTF-8 decodes to a value no instruction accepts. */
#define BAD_RUNE(byte) (0x110000u + (byte))
#define LOOSE_RUNE 0x110100u
#define NO_RUNE UINT32_MAX /* before the first or after the last character */
#define INF UINT32_MAX     /* unbounded repetition */
#define NONE (-1)          /* no node */
#define NOTHING (-2)       /* a flag group: parsed, but no node */

/* ---- UTF-8 ------------------------------------------------------------------ */

/* Decodes one code point at s[0..len) (len > 0) into *r; returns its width.
 * RE2 matches text as bytes and decodes as it does: surrogates (ED A0 80)
 * are code points like any other; overlong forms and values above U+10FFFF
 * are invalid, but RE2 compiles the range U+0080-U+10FFFF (part of `.` and
 * of most negated classes) loosely, as any lead byte C2-F4 followed by
 * enough continuation bytes, so such a sequence decodes to LOOSE_RUNE,
 * which only a range reaching from U+0080 or below to U+10FFFF accepts. Any
 * other invalid byte decodes to BAD_RUNE with width 1 and matches nothing. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *r)
{
    unsigned char c = s[0];
    uint32_t v;
    size_t n;
    if (c < 0x80) {
        *r = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        v = c & 0x1F, n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        v = c & 0x0F, n = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
        v = c & 0x07, n = 4;
    } else {
        *r = BAD_RUNE(c);
        return 1;
    }
    if (len < n) {
        *r = BAD_RUNE(c);
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *r = BAD_RUNE(c);
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    bool strict = !((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > MAX_RUNE)));
    *r = strict ? v : LOOSE_RUNE;
    return n;
}

static bool is_word(uint32_t r)
{
    return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || r == '_';
}

/* ---- the tree ---------------------------------------------------------------- */

enum node_op {
    N_EMPTY,
    N_LIT,    /* a: the code point */
    N_CLASS,  /* a: first range in the pool, b: number of ranges */
    N_ANY,    /* any code point but \n */
    N_ANYNL,  /* any code point */
    N_ASSERT, /* a: an assert kind */
    N_CAT,    /* children in order */
    N_ALT,    /* children in order */
    N_STAR,   /* one child */
    N_PLUS,
    N_QUEST,
    N_REPEAT,  /* one child; a: min, b: max or INF */
    N_CAPTURE, /* one child */
};

enum assert_kind { A_BOT, A_EOT, A_BOL, A_EOL, A_WORD, A_NOT_WORD };

typedef struct node {
    uint8_t op;
    uint32_t a, b;
    int32_t first, last, next; /* children as a list of indices */
    uint32_t depth;            /* of the subtree: compiling recurses this deep */
    uint32_t copies;           /* nested counts multiplied, saturating (see size_node) */
    uint64_t size;             /* RE2's instruction count, saturating */
} node;

enum flag { F_FOLD = 1, F_MULTILINE = 2, F_DOTNL = 4 };

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    unsigned flags;
    bool quoting; /* inside \Q...\E */
    int depth;
    node *nodes;
    size_t nnodes, capnodes;
    uint32_t *ranges; /* pairs lo, hi */
    size_t nranges, capranges;
    int status;
    char *why;
    size_t whylen;
} parser;

/* Records the first error: RE2's text, then ": " and the pattern bytes
 * [from, to) when there are any. Returns NONE for `return fail(...)`. */
static int32_t fail_arg(parser *ps, const char *what, size_t from, size_t to)
{
    if (ps->status == HDRF_OK) {
        ps->status = HDRF_EINVAL;
        if (to > from)
            snprintf(ps->why, ps->whylen, "%s: %.*s", what, (int)(to - from),
                     (const char *)ps->s + from);
        else
            snprintf(ps->why, ps->whylen, "%s", what);
    }
    return NONE;
}

static int32_t fail_nomem(parser *ps)
{
    if (ps->status == HDRF_OK) {
        ps->status = HDRF_ENOMEM;
        snprintf(ps->why, ps->whylen, "out of memory");
    }
    return NONE;
}

static int32_t new_node(parser *ps, enum node_op op, uint32_t a, uint32_t b)
{
    if (ps->nnodes == ps->capnodes) {
        size_t cap = ps->capnodes ? 2 * ps->capnodes : 32;
        node *grown = realloc(ps->nodes, cap * sizeof *grown);
        if (!grown)
            return fail_nomem(ps);
        ps->nodes = grown;
        ps->capnodes = cap;
    }
    node *n = &ps->nodes[ps->nnodes];
    *n = (node){.op = (uint8_t)op, .a = a, .b = b, .first = NONE, .last = NONE, .next = NONE};
    return (int32_t)ps->nnodes++;
}

static void add_child(parser *ps, int32_t parent, int32_t child)
{
    node *p = &ps->nodes[parent];
    if (p->last == NONE)
        p->first = child;
    else
        ps->nodes[p->last].next = child;
    p->last = child;
}

static uint64_t sat_add(uint64_t x, uint64_t y) { return x + y < x ? UINT64_MAX : x + y; }

static uint64_t sat_mul(uint64_t x, uint64_t y)
{
    return x && y > UINT64_MAX / x ? UINT64_MAX : x * y;
}

/* RE2's instruction count and the depth of a node whose children are
 * complete. Refuses trees deeper than groups alone can make them: repeated
 * operators (`a*\Q\E*\Q\E*...`) would otherwise nest without bound. */
static bool size_node(parser *ps, int32_t i)
{
    node *n = &ps->nodes[i];
    uint64_t kids = 0, nkids = 0;
    n->depth = 1;
    n->copies = 1;
    for (int32_t c = n->first; c != NONE; c = ps->nodes[c].next) {
        kids = sat_add(kids, ps->nodes[c].size), nkids++;
        if (ps->nodes[c].depth + 1 > n->depth)
            n->depth = ps->nodes[c].depth + 1;
        if (ps->nodes[c].copies > n->copies)
            n->copies = ps->nodes[c].copies;
    }
    /* RE2's RepetitionWalker: along any path of nested counted repetitions,
     * the counts (the maximum, or the minimum of `{n,}`; 0 counts as 1)
     * multiply to at most 1000, else "invalid repetition size". */
    if (n->op == N_REPEAT) {
        uint32_t m = n->b == INF ? n->a : n->b;
        if (m > 0)
            n->copies = n->copies > REGEX_MAX_REPEAT / m ? REGEX_MAX_REPEAT + 1 : n->copies * m;
    }
    if (n->depth > REGEX_MAX_TREE_DEPTH) {
        fail_arg(ps, "expression nests too deeply", 0, 0);
        return false;
    }
    switch ((enum node_op)n->op) {
    case N_EMPTY:
        n->size = 0;
        break;
    case N_LIT:
    case N_CLASS:
    case N_ANY:
    case N_ANYNL:
    case N_ASSERT:
        n->size = 1;
        break;
    case N_CAT:
        n->size = kids;
        break;
    case N_ALT:
        n->size = sat_add(kids, nkids - 1);
        break;
    case N_STAR:
    case N_PLUS:
    case N_QUEST:
        n->size = sat_add(kids, 1);
        break;
    case N_CAPTURE:
        n->size = sat_add(kids, 2);
        break;
    case N_REPEAT:
        if (n->b == INF)
            n->size = n->a == 0 ? sat_add(kids, 1) : sat_add(sat_mul(n->a, kids), 1);
        else
            n->size = sat_add(sat_mul(n->a, kids), sat_mul(n->b - n->a, sat_add(kids, 1)));
        break;
    }
    return true;
}

/* ---- character classes ------------------------------------------------------- */

/* A class under construction: ranges in a scratch array, normalised (sorted,
 * merged) before it joins the pool. */
typedef struct rset {
    uint32_t *r; /* pairs */
    size_t n, cap;
    bool nomem;
} rset;

static void rset_add(rset *s, uint32_t lo, uint32_t hi)
{
    if (s->nomem)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        uint32_t *grown = realloc(s->r, 2 * cap * sizeof *grown);
        if (!grown) {
            s->nomem = true;
            return;
        }
        s->r = grown;
        s->cap = cap;
    }
    s->r[2 * s->n] = lo;
    s->r[2 * s->n + 1] = hi;
    s->n++;
}

static int cmp_range(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static void rset_normalise(rset *s)
{
    if (s->n == 0)
        return;
    qsort(s->r, s->n, 2 * sizeof *s->r, cmp_range);
    size_t out = 0;
    for (size_t i = 1; i < s->n; i++) {
        uint32_t lo = s->r[2 * i], hi = s->r[2 * i + 1];
        if (lo <= s->r[2 * out + 1] + 1) {
            if (hi > s->r[2 * out + 1])
                s->r[2 * out + 1] = hi;
        } else {
            out++;
            s->r[2 * out] = lo;
            s->r[2 * out + 1] = hi;
        }
    }
    s->n = out + 1;
}

/* Replaces a normalised set by its complement within [0, MAX_RUNE]. */
static void rset_negate(rset *s)
{
    rset out = {0};
    uint32_t next = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[2 * i] > next)
            rset_add(&out, next, s->r[2 * i] - 1);
        next = s->r[2 * i + 1] + 1;
    }
    if (next <= MAX_RUNE)
        rset_add(&out, next, MAX_RUNE);
    out.nomem |= s->nomem;
    free(s->r);
    *s = out;
}

/* Adds [lo, hi] and, under flag i, every case variant of it. Only ASCII
 * letters and the two non-ASCII characters that fold to ASCII ones are
 * known; the caller refuses other non-ASCII ranges under flag i. */
static void rset_add_folded(rset *s, uint32_t lo, uint32_t hi, bool fold)
{
    rset_add(s, lo, hi);
    if (!fold)
        return;
    uint32_t a = lo > 'A' ? lo : 'A', b = hi < 'Z' ? hi : 'Z';
    if (a <= b)
        rset_add(s, a + 32, b + 32);
    a = lo > 'a' ? lo : 'a', b = hi < 'z' ? hi : 'z';
    if (a <= b)
        rset_add(s, a - 32, b - 32);
#define IN(c) ((c) >= lo && (c) <= hi)
    if (IN('k') || IN('K'))
        rset_add(s, 0x212A, 0x212A);
    if (IN(0x212A))
        rset_add(s, 'K', 'K'), rset_add(s, 'k', 'k');
    if (IN('s') || IN('S'))
        rset_add(s, 0x17F, 0x17F);
    if (IN(0x17F))
        rset_add(s, 'S', 'S'), rset_add(s, 's', 's');
#undef IN
}

/* Whether [lo, hi] holds a character whose case hdrf cannot fold. */
static bool unfoldable(uint32_t lo, uint32_t hi)
{
    for (uint32_t c = lo > 0x80 ? lo : 0x80; c <= hi; c++)
        if (c != 0x17F && c != 0x212A)
            return true;
    return false;
}

/* Named ASCII classes: \d \s \w and POSIX [:name:], as RE2 defines them.
 * `ranges` holds n pairs lo, hi (NUL is a bound of two of them, so the
 * pairs are counted rather than terminated). */
typedef struct named_class {
    const char *name;
    int n;
    unsigned char ranges[8];
} named_class;

static const named_class perl_classes[] = {
    {"d", 1, {'0', '9'}},
    {"s", 3, {'\t', '\n', '\f', '\r', ' ', ' '}},
    {"w", 4, {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}},
    {NULL, 0, {0}},
};

static const named_class posix_classes[] = {
    {"alnum", 3, {'0', '9', 'A', 'Z', 'a', 'z'}},
    {"alpha", 2, {'A', 'Z', 'a', 'z'}},
    {"ascii", 1, {0x00, 0x7F}},
    {"blank", 2, {'\t', '\t', ' ', ' '}},
    {"cntrl", 2, {0x00, 0x1F, 0x7F, 0x7F}},
    {"digit", 1, {'0', '9'}},
    {"graph", 1, {'!', '~'}},
    {"lower", 1, {'a', 'z'}},
    {"print", 1, {' ', '~'}},
    {"punct", 4, {'!', '/', ':', '@', '[', '`', '{', '~'}},
    {"space", 2, {'\t', '\r', ' ', ' '}},
    {"upper", 1, {'A', 'Z'}},
    {"word", 4, {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}},
    {"xdigit", 3, {'0', '9', 'A', 'F', 'a', 'f'}},
    {NULL, 0, {0}},
};

/* Adds a named class to `s`, case-folded under flag i and then negated if
 * asked: RE2 folds the positive set first, so (?i)\W excludes U+212A. */
static void rset_add_named(rset *s, const named_class *c, bool negate, bool fold)
{
    rset item = {0};
    for (int i = 0; i < c->n; i++)
        rset_add_folded(&item, c->ranges[2 * i], c->ranges[2 * i + 1], fold);
    rset_normalise(&item);
    if (negate)
        rset_negate(&item);
    for (size_t i = 0; i < item.n; i++)
        rset_add(s, item.r[2 * i], item.r[2 * i + 1]);
    s->nomem |= item.nomem;
    free(item.r);
}

static const named_class *find_named(const named_class *table, const unsigned char *name,
                                     size_t len)
{
    for (const named_class *c = table; c->name; c++)
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return c;
    return NULL;
}

/* Moves a finished set into the pool as a CLASS node. */
static int32_t class_node(parser *ps, rset *s)
{
    int32_t id = NONE;
    if (s->nomem)
        goto out;
    rset_normalise(s);
    if (ps->nranges + s->n > ps->capranges) {
        size_t cap = ps->capranges ? ps->capranges : 16;
        while (cap < ps->nranges + s->n)
            cap *= 2;
        uint32_t *grown = realloc(ps->ranges, 2 * cap * sizeof *grown);
        if (!grown)
            goto out;
        ps->ranges = grown;
        ps->capranges = cap;
    }
    if (s->n)
        memcpy(ps->ranges + 2 * ps->nranges, s->r, 2 * s->n * sizeof *s->r);
    id = new_node(ps, N_CLASS, (uint32_t)ps->nranges, (uint32_t)s->n);
    if (id != NONE)
        ps->nranges += s->n;
out:
    free(s->r);
    s->r = NULL;
    return id == NONE ? fail_nomem(ps) : id;
}

/* ---- escapes ----------------------------------------------------------------- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The width of the UTF-8 character at `pos`, for error arguments. */
static size_t char_width(const parser *ps, size_t pos)
{
    uint32_t r;
    return pos < ps->len ? utf8_decode(ps->s + pos, ps->len - pos, &r) : 0;
}

/* Whether the pattern bytes [from, to) are valid UTF-8 (as RE2's IsValidUTF8). */
static bool valid_utf8(const parser *ps, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        uint32_t r;
        i += utf8_decode(ps->s + i, to - i, &r);
        if (r > MAX_RUNE)
            return false;
    }
    return true;
}

/* Takes the code point at ps->pos, as RE2's StringPieceToRune: false, with
 * RE2's "invalid UTF-8", at the end or on bytes that are not UTF-8. */
static bool take_rune(parser *ps, uint32_t *r)
{
    size_t w = ps->pos < ps->len ? utf8_decode(ps->s + ps->pos, ps->len - ps->pos, r) : 0;
    if (w == 0 || *r > MAX_RUNE) {
        fail_arg(ps, "invalid UTF-8", 0, 0);
        return false;
    }
    ps->pos += w;
    return true;
}

/* `\x41` or `\x{263a}`; ps->pos is past the 'x'. Follows RE2's ParseEscape
 * step by step, which decides the error: each character is decoded before
 * it is judged ("invalid UTF-8" first), and "invalid escape sequence"
 * quotes what was read so far (`\xgh`, `\x{110000`). */
static bool parse_hex_escape(parser *ps, size_t start, uint32_t *out)
{
    uint32_t c, c1, v = 0;
    if (ps->pos >= ps->len)
        goto bad;
    if (!take_rune(ps, &c))
        return false;
    if (c == '{') {
        int digits = 0;
        if (!take_rune(ps, &c))
            return false;
        for (; c < 0x80 && hexval((unsigned char)c) >= 0; digits++) {
            v = v * 16 + (uint32_t)hexval((unsigned char)c);
            if (v > MAX_RUNE || ps->pos >= ps->len)
                goto bad;
            if (!take_rune(ps, &c))
                return false;
        }
        if (c != '}' || digits == 0)
            goto bad;
        *out = v;
        return true;
    }
    if (ps->pos >= ps->len)
        goto bad;
    if (!take_rune(ps, &c1))
        return false;
    if (c >= 0x80 || c1 >= 0x80 || hexval((unsigned char)c) < 0 || hexval((unsigned char)c1) < 0)
        goto bad;
    *out = (uint32_t)(hexval((unsigned char)c) * 16 + hexval((unsigned char)c1));
    return true;
bad:
    fail_arg(ps, "invalid escape sequence", start, ps->pos);
    return false;
}

/* Parses an escape that stands for one code point; ps->pos is at the
 * backslash and moves past the escape. Returns false after an error. */
static bool parse_escaped_rune(parser *ps, uint32_t *out)
{
    size_t start = ps->pos++;
    uint32_t first;
    if (ps->pos >= ps->len) {
        fail_arg(ps, "trailing \\", 0, 0);
        return false;
    }
    utf8_decode(ps->s + ps->pos, ps->len - ps->pos, &first);
    if (first > MAX_RUNE) {
        fail_arg(ps, "invalid UTF-8", 0, 0); /* RE2 decodes before it judges */
        return false;
    }
    unsigned char c = ps->s[ps->pos];
    if (c >= '1' && c <= '7' &&
        !(ps->pos + 1 < ps->len && ps->s[ps->pos + 1] >= '0' && ps->s[ps->pos + 1] <= '7'))
        goto bad; /* \1 alone would be a backreference: RE2 has none */
    if (c >= '0' && c <= '7') {
        uint32_t v = c - '0';
        ps->pos++;
        for (int i = 0;
             i < 2 && ps->pos < ps->len && ps->s[ps->pos] >= '0' && ps->s[ps->pos] <= '7'; i++)
            v = v * 8 + (ps->s[ps->pos++] - '0');
        *out = v;
        return true;
    }
    if (c == 'x') {
        ps->pos++;
        return parse_hex_escape(ps, start, out);
    }
    static const char controls[] = "a\af\ft\tn\nr\rv\v";
    for (const char *p = controls; *p; p += 2)
        if (c == (unsigned char)p[0]) {
            ps->pos++;
            *out = (unsigned char)p[1];
            return true;
        }
    if (c < 0x80 && !is_alnum(c)) { /* punctuation, '_' included, is itself */
        ps->pos++;
        *out = c;
        return true;
    }
bad:
    ps->pos += char_width(ps, ps->pos);
    fail_arg(ps, "invalid escape sequence", start, ps->pos);
    return false;
}

/* A literal character or an escape for one, inside or outside a class. */
static bool parse_rune(parser *ps, uint32_t *out)
{
    if (ps->s[ps->pos] == '\\')
        return parse_escaped_rune(ps, out);
    size_t w = utf8_decode(ps->s + ps->pos, ps->len - ps->pos, out);
    if (*out > MAX_RUNE) {
        fail_arg(ps, "invalid UTF-8", 0, 0);
        return false;
    }
    ps->pos += w;
    return true;
}

/* Refuses what hdrf cannot fold: RE2 would fold it with Unicode's tables. */
static bool check_foldable(parser *ps, uint32_t lo, uint32_t hi, size_t from)
{
    if ((ps->flags & F_FOLD) && unfoldable(lo, hi)) {
        fail_arg(ps, "case-insensitive matching of non-ASCII characters is not supported by hdrf",
                 from, ps->pos);
        return false;
    }
    return true;
}

/* \d \s \w \D \S \W at ps->pos (a backslash), if it is one. */
static const named_class *perl_class_at(const parser *ps, bool *negate)
{
    if (ps->pos + 1 >= ps->len || ps->s[ps->pos] != '\\')
        return NULL;
    unsigned char c = ps->s[ps->pos + 1], lower = c | 0x20;
    *negate = c != lower;
    return (c == 'd' || c == 's' || c == 'w' || c == 'D' || c == 'S' || c == 'W')
               ? find_named(perl_classes, &lower, 1)
               : NULL;
}

static bool unsupported_escape_at(parser *ps)
{
    if (ps->pos + 1 >= ps->len || ps->s[ps->pos] != '\\')
        return false;
    unsigned char c = ps->s[ps->pos + 1];
    if (c == 'p' || c == 'P')
        fail_arg(ps, "Unicode character classes are not supported by hdrf", ps->pos, ps->pos + 2);
    else if (c == 'C')
        fail_arg(ps, "\\C (any byte) is not supported by hdrf", 0, 0);
    else
        return false;
    return true;
}

/* A bracketed class; ps->pos is at '['. */
static int32_t parse_class(parser *ps)
{
    size_t start = ps->pos++;
    bool negated = false, first = true, fold = ps->flags & F_FOLD;
    rset s = {0};
    if (ps->pos < ps->len && ps->s[ps->pos] == '^')
        negated = true, ps->pos++;
    for (;;) {
        if (ps->pos >= ps->len) {
            free(s.r);
            return fail_arg(ps, "missing ]", start, ps->len);
        }
        unsigned char c = ps->s[ps->pos];
        if (c == ']' && !first)
            break;
        first = false;
        bool neg;
        const named_class *named = NULL;
        if (c == '[' && ps->pos + 1 < ps->len && ps->s[ps->pos + 1] == ':') {
            /* [:name:] or [:^name:]; without a closing ":]" the '[' is literal */
            const unsigned char *end = NULL;
            for (size_t i = ps->pos + 2; i + 1 < ps->len && !end; i++)
                if (ps->s[i] == ':' && ps->s[i + 1] == ']')
                    end = ps->s + i;
            if (end) {
                const unsigned char *name = ps->s + ps->pos + 2;
                neg = *name == '^';
                named = find_named(posix_classes, name + neg, (size_t)(end - name) - neg);
                if (!named) {
                    free(s.r);
                    return fail_arg(ps, "invalid character class range", ps->pos,
                                    (size_t)(end - ps->s) + 2);
                }
                ps->pos = (size_t)(end - ps->s) + 2;
            }
        } else if ((named = perl_class_at(ps, &neg)) != NULL) {
            ps->pos += 2;
        } else if (unsupported_escape_at(ps)) {
            free(s.r);
            return NONE;
        }
        if (named) {
            rset_add_named(&s, named, neg, fold);
            continue;
        }
        size_t from = ps->pos;
        uint32_t lo, hi;
        if (!parse_rune(ps, &lo)) {
            free(s.r);
            return NONE;
        }
        hi = lo;
        if (ps->pos + 1 < ps->len && ps->s[ps->pos] == '-' && ps->s[ps->pos + 1] != ']') {
            ps->pos++;
            if (!parse_rune(ps, &hi)) {
                free(s.r);
                return NONE;
            }
            if (hi < lo) {
                free(s.r);
                return fail_arg(ps, "invalid character class range", from, ps->pos);
            }
        }
        if (!check_foldable(ps, lo, hi, from)) {
            free(s.r);
            return NONE;
        }
        rset_add_folded(&s, lo, hi, fold);
    }
    ps->pos++; /* ']' */
    rset_normalise(&s);
    if (negated)
        rset_negate(&s);
    return class_node(ps, &s);
}

/* A literal outside a class: under flag i, the class of its case variants. */
static int32_t literal_node(parser *ps, uint32_t r, size_t from)
{
    if (!(ps->flags & F_FOLD) || !((r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || r >= 0x80))
        return new_node(ps, N_LIT, r, 0);
    if (!check_foldable(ps, r, r, from))
        return NONE;
    rset s = {0};
    rset_add_folded(&s, r, r, true);
    return class_node(ps, &s);
}

/* ---- the grammar ---------------------------------------------------------------- */

static int32_t parse_alt(parser *ps);

/* A repetition count at s[*p], read as RE2's ParseInteger reads it: no
 * leading zero (`{01}`) and at most nine digits (RE2 stops at 10^8 to avoid
 * overflow). Anything else makes the braces literal text, not an error. */
static bool read_count(const parser *ps, size_t *p, uint32_t *out)
{
    size_t i = *p;
    uint32_t n = 0;
    if (i >= ps->len || ps->s[i] < '0' || ps->s[i] > '9')
        return false;
    if (ps->s[i] == '0' && i + 1 < ps->len && ps->s[i + 1] >= '0' && ps->s[i + 1] <= '9')
        return false;
    for (; i < ps->len && ps->s[i] >= '0' && ps->s[i] <= '9'; i++) {
        if (n >= 100000000)
            return false;
        n = n * 10 + (uint32_t)(ps->s[i] - '0');
    }
    *p = i;
    *out = n;
    return true;
}

/* Reads `{n}`, `{n,}` or `{n,m}` at ps->pos, as RE2's MaybeParseRepetition.
 * Returns false, leaving pos, when the text is not a repetition (RE2 then
 * reads '{' as a literal: `a{01}` and `a{1000000000}` match themselves). */
static bool read_counts(parser *ps, uint32_t *min, uint32_t *max)
{
    size_t p = ps->pos + 1;
    if (!read_count(ps, &p, min) || p >= ps->len)
        return false;
    if (ps->s[p] != ',') {
        *max = *min;
    } else if (++p < ps->len && ps->s[p] == '}') {
        *max = INF;
    } else if (!read_count(ps, &p, max)) {
        return false;
    }
    if (p >= ps->len || ps->s[p] != '}')
        return false;
    ps->pos = p + 1;
    return true;
}

/* Reads a repetition operator (with its lazy '?') at ps->pos, if any. */
static bool read_repeat_op(parser *ps, enum node_op *op, uint32_t *min, uint32_t *max)
{
    if (ps->pos >= ps->len)
        return false;
    unsigned char c = ps->s[ps->pos];
    if (c == '*' || c == '+' || c == '?') {
        *op = c == '*' ? N_STAR : c == '+' ? N_PLUS : N_QUEST;
        ps->pos++;
    } else if (c == '{' && read_counts(ps, min, max)) {
        *op = N_REPEAT;
    } else {
        return false;
    }
    if (ps->pos < ps->len && ps->s[ps->pos] == '?')
        ps->pos++; /* lazy: the same texts match */
    return true;
}

/* `(?flags)`, `(?flags:`, `(?:`, `(?P<name>`; ps->pos is past "(?".
 * Returns 1 for a group to parse (with *capture set), 0 for a bare flag
 * group (flags changed, nothing to parse), -1 after an error. */
static int parse_perl_group(parser *ps, size_t start, bool *capture)
{
    /* As RE2's ParsePerlFlags: "(?P<" needs something after it, and bytes
     * that are not UTF-8 are "invalid UTF-8" wherever the parser meets them,
     * before any other verdict on the group. */
    if (ps->pos + 2 < ps->len && ps->s[ps->pos] == 'P' && ps->s[ps->pos + 1] == '<') {
        size_t name = ps->pos + 2, end = name;
        while (end < ps->len && ps->s[end] != '>')
            end++;
        if (!valid_utf8(ps, end < ps->len ? name : start, end)) {
            fail_arg(ps, "invalid UTF-8", 0, 0);
            return -1;
        }
        if (end >= ps->len) {
            fail_arg(ps, "invalid named capture group", start, ps->len);
            return -1;
        }
        bool ok = end > name;
        for (size_t i = name; i < end; i++)
            ok = ok && (is_alnum(ps->s[i]) || ps->s[i] == '_');
        if (!ok) {
            fail_arg(ps, "invalid named capture group", start, end + 1);
            return -1;
        }
        ps->pos = end + 1;
        *capture = true;
        return 1;
    }
    unsigned flags = ps->flags;
    bool negated = false, dangling = false;
    for (; ps->pos < ps->len; ps->pos++) {
        unsigned char c = ps->s[ps->pos];
        unsigned bit = c == 'i' ? F_FOLD : c == 'm' ? F_MULTILINE : c == 's' ? F_DOTNL : 0;
        if (bit || c == 'U') { /* U swaps greedy and lazy: no effect on a full match */
            flags = negated ? flags & ~bit : flags | bit;
            dangling = false;
        } else if (c == '-' && !negated) {
            negated = dangling = true;
        } else if ((c == ')' || c == ':') && !dangling) {
            ps->pos++;
            ps->flags = flags;
            *capture = false;
            return c == ':';
        } else {
            break;
        }
    }
    if (!valid_utf8(ps, ps->pos, ps->pos + char_width(ps, ps->pos))) {
        fail_arg(ps, "invalid UTF-8", 0, 0);
        return -1;
    }
    fail_arg(ps, "invalid perl operator", start, ps->pos + char_width(ps, ps->pos));
    return -1;
}

/* One atom, or NOTHING for a bare flag group, `\Q` or `\E`. Repetition
 * operators never get here: parse_concat takes them first. */
static int32_t parse_atom(parser *ps)
{
    size_t start = ps->pos;
    unsigned char c = ps->s[ps->pos];
    bool neg;
    const named_class *named;
    uint32_t r;
    if (ps->quoting) {
        /* \Q...\E: every character is literal up to \E or the end */
        if (c == '\\' && ps->pos + 1 < ps->len && ps->s[ps->pos + 1] == 'E') {
            ps->pos += 2;
            ps->quoting = false;
            return NOTHING;
        }
        ps->pos += utf8_decode(ps->s + ps->pos, ps->len - ps->pos, &r);
        if (r > MAX_RUNE)
            return fail_arg(ps, "invalid UTF-8", 0, 0);
        return literal_node(ps, r, start);
    }
    switch (c) {
    case '(': {
        bool capture = true;
        unsigned saved = ps->flags;
        ps->pos++;
        if (ps->pos < ps->len && ps->s[ps->pos] == '?') {
            ps->pos++;
            int r = parse_perl_group(ps, start, &capture);
            if (r <= 0)
                return r < 0 ? NONE : NOTHING;
        }
        if (++ps->depth > REGEX_MAX_DEPTH)
            return fail_arg(ps, "expression nests too deeply", 0, 0);
        int32_t inner = parse_alt(ps);
        ps->depth--;
        ps->flags = saved; /* flags set inside a group end with it */
        if (inner == NONE)
            return NONE;
        if (ps->pos >= ps->len)
            return fail_arg(ps, "missing )", 0, ps->len);
        ps->pos++;
        if (!capture)
            return inner;
        int32_t group = new_node(ps, N_CAPTURE, 0, 0);
        if (group != NONE)
            add_child(ps, group, inner);
        return group;
    }
    case '[':
        return parse_class(ps);
    case '.':
        ps->pos++;
        return new_node(ps, ps->flags & F_DOTNL ? N_ANYNL : N_ANY, 0, 0);
    case '^':
        ps->pos++;
        return new_node(ps, N_ASSERT, ps->flags & F_MULTILINE ? A_BOL : A_BOT, 0);
    case '$':
        ps->pos++;
        return new_node(ps, N_ASSERT, ps->flags & F_MULTILINE ? A_EOL : A_EOT, 0);
    case '\\':
        if (unsupported_escape_at(ps))
            return NONE;
        if ((named = perl_class_at(ps, &neg)) != NULL) {
            rset s = {0};
            ps->pos += 2;
            rset_add_named(&s, named, neg, ps->flags & F_FOLD);
            return class_node(ps, &s);
        }
        if (ps->pos + 1 < ps->len) {
            static const char asserts[] = "AzbB";
            static const enum assert_kind kinds[] = {A_BOT, A_EOT, A_WORD, A_NOT_WORD};
            const char *a = memchr(asserts, ps->s[ps->pos + 1], 4);
            if (a) {
                ps->pos += 2;
                return new_node(ps, N_ASSERT, kinds[a - asserts], 0);
            }
            if (ps->s[ps->pos + 1] == 'Q') {
                ps->pos += 2;
                ps->quoting = true;
                return NOTHING;
            }
        }
        break;
    default:
        break;
    }
    if (!parse_rune(ps, &r))
        return NONE;
    return literal_node(ps, r, start);
}

/* Wraps the last item of `cat` in a repetition, in place: the item moves to
 * a new node and its slot in the list becomes the repetition. */
static int32_t repeat_last(parser *ps, int32_t cat, enum node_op op, uint32_t min, uint32_t max)
{
    int32_t moved = new_node(ps, N_EMPTY, 0, 0);
    if (moved == NONE)
        return NONE;
    int32_t slot = ps->nodes[cat].last;
    ps->nodes[moved] = ps->nodes[slot];
    ps->nodes[moved].next = NONE;
    ps->nodes[slot] =
        (node){.op = (uint8_t)op, .a = min, .b = max, .first = moved, .last = moved, .next = NONE};
    return size_node(ps, slot) ? slot : NONE;
}

/* A sequence of atoms, each with at most one repetition operator (RE2
 * refuses `a**`). As in RE2, an operator applies to the last item before it,
 * even across `\E` or a flag group: `a(?i)*` is `a*`. */
static int32_t parse_concat(parser *ps)
{
    int32_t cat = new_node(ps, N_CAT, 0, 0);
    size_t last_op_start = 0, last_op_end = SIZE_MAX;
    while (cat != NONE && ps->pos < ps->len) {
        unsigned char c = ps->s[ps->pos];
        if (!ps->quoting && (c == '|' || c == ')'))
            break;
        size_t op_start = ps->pos;
        enum node_op op;
        uint32_t min = 0, max = 0;
        if (!ps->quoting && read_repeat_op(ps, &op, &min, &max)) {
            if (last_op_end == op_start)
                return fail_arg(ps, "bad repetition operator", last_op_start, ps->pos);
            /* RE2's order: a counted repetition's size, then its argument */
            if (op == N_REPEAT &&
                (max < min || min > REGEX_MAX_REPEAT || (max != INF && max > REGEX_MAX_REPEAT)))
                return fail_arg(ps, "invalid repetition size", op_start, ps->pos);
            if (ps->nodes[cat].last == NONE)
                return fail_arg(ps, "no argument for repetition operator", op_start, ps->pos);
            int32_t rep = repeat_last(ps, cat, op, min, max);
            if (rep == NONE)
                return NONE;
            if (ps->nodes[rep].copies > REGEX_MAX_REPEAT)
                return fail_arg(ps, "invalid repetition size", op_start, ps->pos);
            last_op_start = op_start, last_op_end = ps->pos;
            continue;
        }
        int32_t item = parse_atom(ps);
        if (item == NONE)
            return NONE;
        if (item != NOTHING) {
            if (!size_node(ps, item))
                return NONE;
            add_child(ps, cat, item);
        }
    }
    return cat != NONE && size_node(ps, cat) ? cat : NONE;
}

static int32_t parse_alt(parser *ps)
{
    int32_t first = parse_concat(ps);
    if (first == NONE || ps->pos >= ps->len || ps->s[ps->pos] != '|')
        return first;
    int32_t alt = new_node(ps, N_ALT, 0, 0);
    if (alt == NONE)
        return NONE;
    add_child(ps, alt, first);
    while (ps->pos < ps->len && ps->s[ps->pos] == '|') {
        ps->pos++;
        int32_t next = parse_concat(ps);
        if (next == NONE)
            return NONE;
        add_child(ps, alt, next);
    }
    return size_node(ps, alt) ? alt : NONE;
}

/* ---- the NFA ----------------------------------------------------------------------- */

enum inst_op { I_CHAR, I_CLASS, I_ANY, I_ANYNL, I_ASSERT, I_SPLIT, I_JMP, I_MATCH };

typedef struct inst {
    uint8_t op;
    uint32_t x; /* CHAR: code point; CLASS: first range; ASSERT: kind; SPLIT/JMP: target */
    uint32_t y; /* CLASS: number of ranges; SPLIT: second target */
} inst;

/* Live instructions of one step: a sparse set over instruction indices. */
typedef struct thread_list {
    uint32_t *dense, *sparse;
    uint32_t n;
} thread_list;

struct regex_prog {
    inst *insts;
    uint32_t ninsts;
    uint32_t *ranges; /* pairs, sorted and disjoint per class */
    size_t size;      /* RE2-equivalent program size */
    /* Scratch for matching, sized once at compile time. */
    thread_list lists[2];
    uint32_t *stack;
};

typedef struct emitter {
    const parser *ps;
    regex_prog *prog;
} emitter;

static uint32_t emit(emitter *em, enum inst_op op, uint32_t x, uint32_t y)
{
    /* The capacity is computed from the sizes, so this cannot overflow. */
    uint32_t at = em->prog->ninsts++;
    em->prog->insts[at] = (inst){.op = (uint8_t)op, .x = x, .y = y};
    return at;
}

/* Points every SPLIT (second target) or JMP chained through `head` at `to`.
 * Pending targets are chained through the field they will fill. */
static void patch(emitter *em, uint32_t head, uint32_t to)
{
    while (head != UINT32_MAX) {
        inst *i = &em->prog->insts[head];
        uint32_t *field = i->op == I_SPLIT ? &i->y : &i->x;
        head = *field;
        *field = to;
    }
}

static void compile_node(emitter *em, int32_t id)
{
    const node *n = &em->ps->nodes[id];
    if (n->size == 0)
        return; /* matches only the empty string and has no assertion */
    switch ((enum node_op)n->op) {
    case N_EMPTY:
        break;
    case N_LIT:
        emit(em, I_CHAR, n->a, 0);
        break;
    case N_CLASS:
        emit(em, I_CLASS, n->a, n->b);
        break;
    case N_ANY:
        emit(em, I_ANY, 0, 0);
        break;
    case N_ANYNL:
        emit(em, I_ANYNL, 0, 0);
        break;
    case N_ASSERT:
        emit(em, I_ASSERT, n->a, 0);
        break;
    case N_CAT:
    case N_CAPTURE:
        for (int32_t c = n->first; c != NONE; c = em->ps->nodes[c].next)
            compile_node(em, c);
        break;
    case N_ALT: {
        uint32_t ends = UINT32_MAX;
        for (int32_t c = n->first; c != NONE; c = em->ps->nodes[c].next) {
            if (em->ps->nodes[c].next == NONE) {
                compile_node(em, c);
                break;
            }
            uint32_t split = emit(em, I_SPLIT, em->prog->ninsts + 1, UINT32_MAX);
            compile_node(em, c);
            ends = emit(em, I_JMP, ends, 0);
            em->prog->insts[split].y = em->prog->ninsts;
        }
        patch(em, ends, em->prog->ninsts);
        break;
    }
    case N_STAR: {
        uint32_t split = emit(em, I_SPLIT, em->prog->ninsts + 1, 0);
        compile_node(em, n->first);
        emit(em, I_JMP, split, 0);
        em->prog->insts[split].y = em->prog->ninsts;
        break;
    }
    case N_PLUS: {
        uint32_t top = em->prog->ninsts;
        compile_node(em, n->first);
        emit(em, I_SPLIT, top, em->prog->ninsts + 1);
        break;
    }
    case N_QUEST: {
        uint32_t split = emit(em, I_SPLIT, em->prog->ninsts + 1, 0);
        compile_node(em, n->first);
        em->prog->insts[split].y = em->prog->ninsts;
        break;
    }
    case N_REPEAT: {
        /* x{n,m}: n copies, then m - n optional ones that all skip to the
         * end; x{n,}: n - 1 copies and x+ (x* when n is 0). */
        uint32_t min = n->a, max = n->b;
        if (max == INF) {
            for (uint32_t i = 1; i < min; i++)
                compile_node(em, n->first);
            uint32_t top = em->prog->ninsts;
            if (min == 0) {
                uint32_t split = emit(em, I_SPLIT, top + 1, 0);
                compile_node(em, n->first);
                emit(em, I_JMP, split, 0);
                em->prog->insts[split].y = em->prog->ninsts;
            } else {
                compile_node(em, n->first);
                emit(em, I_SPLIT, top, em->prog->ninsts + 1);
            }
            break;
        }
        for (uint32_t i = 0; i < min; i++)
            compile_node(em, n->first);
        uint32_t skips = UINT32_MAX;
        for (uint32_t i = min; i < max; i++) {
            skips = emit(em, I_SPLIT, em->prog->ninsts + 1, skips);
            compile_node(em, n->first);
        }
        patch(em, skips, em->prog->ninsts);
        break;
    }
    }
}

/* ---- public ----------------------------------------------------------------------- */

/* RE2's instruction budget for max_mem (see regex.h). */
static uint64_t inst_budget(size_t max_mem)
{
    if (max_mem == 0)
        return REGEX_RE2_UNLIMITED_INSTS;
    uint64_t forward = (uint64_t)(max_mem / 3) * 2 + (uint64_t)(max_mem % 3) * 2 / 3;
    if (forward <= REGEX_RE2_PROG_BYTES)
        return 0;
    uint64_t n = (forward - REGEX_RE2_PROG_BYTES) / REGEX_RE2_INST_BYTES;
    return n < REGEX_MAX_INSTS ? n : REGEX_MAX_INSTS;
}

void regex_free(regex_prog *prog)
{
    if (!prog)
        return;
    free(prog->insts);
    free(prog->ranges);
    for (int i = 0; i < 2; i++) {
        free(prog->lists[i].dense);
        free(prog->lists[i].sparse);
    }
    free(prog->stack);
    free(prog);
}

int regex_compile(const char *pattern, size_t len, size_t max_mem, regex_prog **out, char *why,
                  size_t whylen)
{
    parser ps = {.s = (const unsigned char *)pattern,
                 .len = len,
                 .status = HDRF_OK,
                 .why = why,
                 .whylen = whylen};
    regex_prog *prog = NULL;
    *out = NULL;
    if (whylen)
        why[0] = '\0';

    int32_t root = parse_alt(&ps);
    if (root != NONE && ps.pos < ps.len) /* parse_alt stops only at the end or a ')' */
        root = fail_arg(&ps, "unexpected )", 0, ps.len);
    if (root == NONE)
        goto done;

    /* Four instructions RE2 always has: fail, match, and the `.*?` prefix. */
    uint64_t size = sat_add(ps.nodes[root].size, 4);
    if (size > inst_budget(max_mem)) {
        fail_arg(&ps, "pattern too large - compile failed", 0, 0);
        goto done;
    }

    prog = calloc(1, sizeof *prog);
    uint32_t cap = (uint32_t)(2 * size + 1); /* see regex.h: NFA <= 2 x size */
    if (!prog || !(prog->insts = malloc(cap * sizeof *prog->insts)) ||
        !(prog->stack = malloc(cap * sizeof *prog->stack))) {
        fail_nomem(&ps);
        goto done;
    }
    for (int i = 0; i < 2; i++)
        if (!(prog->lists[i].dense = calloc(cap, sizeof(uint32_t))) ||
            !(prog->lists[i].sparse = calloc(cap, sizeof(uint32_t)))) {
            fail_nomem(&ps);
            goto done;
        }
    if (ps.nranges && !(prog->ranges = malloc(2 * ps.nranges * sizeof *prog->ranges))) {
        fail_nomem(&ps);
        goto done;
    }
    if (ps.nranges)
        memcpy(prog->ranges, ps.ranges, 2 * ps.nranges * sizeof *prog->ranges);
    prog->size = (size_t)size;

    emitter em = {.ps = &ps, .prog = prog};
    compile_node(&em, root);
    emit(&em, I_MATCH, 0, 0);
    *out = prog;
    prog = NULL;
done:
    regex_free(prog);
    free(ps.nodes);
    free(ps.ranges);
    return ps.status;
}

size_t regex_program_size(const regex_prog *prog) { return prog->size; }

static bool class_has(const regex_prog *prog, const inst *i, uint32_t r)
{
    size_t lo = 0, hi = i->y;
    if (hi == 0)
        return false; /* an empty class ([^\x00-\x{10FFFF}]): prog->ranges may be NULL */
    const uint32_t *rg = prog->ranges + 2 * (size_t)i->x;
    if (r == LOOSE_RUNE) /* see utf8_decode */
        return rg[2 * hi - 2] <= 0x80 && rg[2 * hi - 1] == MAX_RUNE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r < rg[2 * mid])
            hi = mid;
        else if (r > rg[2 * mid + 1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

static bool assertion_holds(uint32_t kind, uint32_t prev, uint32_t next)
{
    switch ((enum assert_kind)kind) {
    case A_BOT:
        return prev == NO_RUNE;
    case A_EOT:
        return next == NO_RUNE;
    case A_BOL:
        return prev == NO_RUNE || prev == '\n';
    case A_EOL:
        return next == NO_RUNE || next == '\n';
    case A_WORD:
        return is_word(prev) != is_word(next);
    case A_NOT_WORD:
        return is_word(prev) == is_word(next);
    }
    return false;
}

/* Adds `pc` and everything reachable from it without consuming a character
 * (between `prev` and `next`) to `list`. Iterative: the stack never holds
 * more than one entry per instruction, since an entry is pushed only when
 * its instruction joins the list. */
static void add_thread(const regex_prog *prog, thread_list *list, uint32_t pc, uint32_t prev,
                       uint32_t next)
{
    uint32_t *stack = prog->stack, top = 0;
#define PUSH(t)                                                                                    \
    do {                                                                                           \
        uint32_t t_ = (t);                                                                         \
        uint32_t s_ = list->sparse[t_];                                                            \
        if (!(s_ < list->n && list->dense[s_] == t_)) {                                            \
            list->sparse[t_] = list->n;                                                            \
            list->dense[list->n++] = t_;                                                           \
            stack[top++] = t_;                                                                     \
        }                                                                                          \
    } while (0)
    PUSH(pc);
    while (top) {
        const inst *i = &prog->insts[stack[--top]];
        switch ((enum inst_op)i->op) {
        case I_JMP:
            PUSH(i->x);
            break;
        case I_SPLIT:
            PUSH(i->y);
            PUSH(i->x);
            break;
        case I_ASSERT:
            if (assertion_holds(i->x, prev, next))
                PUSH((uint32_t)(i - prog->insts) + 1);
            break;
        default:
            break; /* consuming instructions and MATCH wait for the step */
        }
    }
#undef PUSH
}

static bool consumes(const regex_prog *prog, const inst *i, uint32_t r)
{
    switch ((enum inst_op)i->op) {
    case I_CHAR:
        return r == i->x;
    case I_CLASS:
        return class_has(prog, i, r);
    case I_ANY:
        return (r <= MAX_RUNE && r != '\n') || r == LOOSE_RUNE;
    case I_ANYNL:
        return r <= MAX_RUNE || r == LOOSE_RUNE;
    default:
        return false;
    }
}

bool regex_full_match(const regex_prog *prog, const char *text, size_t len)
{
    regex_prog *p = (regex_prog *)prog; /* scratch only: see regex.h */
    const unsigned char *s = (const unsigned char *)text;
    thread_list *cur = &p->lists[0], *nxt = &p->lists[1];
    size_t pos = 0;
    uint32_t prev = NO_RUNE, r = NO_RUNE;
    size_t w = len ? utf8_decode(s, len, &r) : 0;

    cur->n = 0;
    add_thread(prog, cur, 0, prev, r);
    while (pos < len && cur->n) {
        uint32_t after = NO_RUNE;
        size_t w2 = pos + w < len ? utf8_decode(s + pos + w, len - pos - w, &after) : 0;
        nxt->n = 0;
        for (uint32_t k = 0; k < cur->n; k++) {
            uint32_t pc = cur->dense[k];
            if (consumes(prog, &prog->insts[pc], r))
                add_thread(prog, nxt, pc + 1, r, after);
        }
        thread_list *t = cur;
        cur = nxt, nxt = t;
        pos += w, prev = r, r = after, w = w2;
    }
    if (pos < len)
        return false; /* every thread died before the end */
    uint32_t match = prog->ninsts - 1, slot = cur->sparse[match];
    return slot < cur->n && cur->dense[slot] == match;
}
