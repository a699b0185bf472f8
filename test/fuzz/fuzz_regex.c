/* fuzz_regex.c: libFuzzer target for the regex engine (make fuzz).
 *
 * Input: one byte choosing the memory limit, then the pattern, then
 * optionally a NUL and a text to match. Beyond "no crash, no leak, no
 * sanitizer report", every input must keep these promises of lib/regex.h:
 *
 * - a refusal says why (a non-empty, NUL-terminated text) and builds nothing;
 * - what compiles has RE2's fixed four instructions at least and fits the
 *   memory budget it was given;
 * - matching is a pure function of program and text (the same answer twice,
 *   with the scratch space reused in between);
 * - a group changes nothing: `(?:P)` gives P's verdict on the text;
 * - `\QP\E` is the literal P: it matches P's own bytes and nothing longer
 *   (for any P that is valid UTF-8 and holds no `\E`). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/status.h"
#include "lib/regex.h"

static const size_t max_mems[] = {0, 4096, 1u << 16, 1u << 20};

/* Compiles, checks the refusal's contract, and returns the program or NULL. */
static regex_prog *compile(const char *p, size_t len, size_t max_mem)
{
    regex_prog *prog = (regex_prog *)1; /* must be overwritten */
    char why[160];
    memset(why, 'x', sizeof why);
    int status = regex_compile(p, len, max_mem, &prog, why, sizeof why);
    if (!memchr(why, '\0', sizeof why))
        abort();
    if (status != HDRF_OK) {
        if (prog != NULL || !why[0] || (status != HDRF_EINVAL && status != HDRF_ENOMEM))
            abort();
        return NULL;
    }
    if (!prog || why[0])
        abort();
    size_t size = regex_program_size(prog);
    /* RE2's two thirds of max_mem, or its 100,000 instructions for 0 */
    uint64_t budget =
        max_mem ? max_mem / 3 * 2 + max_mem % 3 * 2 / 3
                : REGEX_RE2_PROG_BYTES + (uint64_t)REGEX_RE2_INST_BYTES * REGEX_RE2_UNLIMITED_INSTS;
    if (size < 4 || REGEX_RE2_PROG_BYTES + (uint64_t)REGEX_RE2_INST_BYTES * size > budget)
        abort();
    return prog;
}

static bool match(const regex_prog *prog, const char *text, size_t len)
{
    bool once = regex_full_match(prog, text, len);
    if (regex_full_match(prog, "", 0) != regex_full_match(prog, NULL, 0))
        abort();
    if (regex_full_match(prog, text, len) != once)
        abort();
    return once;
}

/* Whether s[0..len) is valid UTF-8 (as the pattern parser demands). */
static bool valid_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = 0;
        if (c < 0x80)
            n = 1;
        else if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4;
        if (!n || i + n > len)
            return false;
        uint32_t v = n == 1 ? c : c & (0xFF >> (n + 1));
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            v = v << 6 | (s[i + k] & 0x3F);
        }
        if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
            return false;
        i += n;
    }
    return true;
}

static bool has(const char *s, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, what, n) == 0)
            return true;
    return false;
}

/* `before` + s[0..len) + `after`, NUL-terminated; aborts when out of memory. */
static char *wrap(const char *before, const char *s, size_t len, const char *after, size_t *out)
{
    size_t a = strlen(before), b = strlen(after);
    char *w = malloc(a + len + b + 1);
    if (!w)
        abort();
    memcpy(w, before, a);
    if (len)
        memcpy(w + a, s, len);
    memcpy(w + a + len, after, b + 1);
    *out = a + len + b;
    return w;
}

static void check_literal(const char *p, size_t len)
{
    if (!valid_utf8((const unsigned char *)p, len) || has(p, len, "\\E"))
        return;
    size_t qlen, longer_len;
    char *quoted = wrap("\\Q", p, len, "\\E", &qlen);
    char *longer = wrap("", p, len, "a", &longer_len);
    regex_prog *prog = compile(quoted, qlen, 1u << 20);
    if (!prog && len < 1000)
        abort(); /* a literal of fewer than 1000 bytes always fits */
    if (prog && (!match(prog, p, len) || match(prog, longer, longer_len)))
        abort();
    regex_free(prog);
    free(quoted);
    free(longer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t max_mem = max_mems[data[0] % (sizeof max_mems / sizeof max_mems[0])];
    const char *p = (const char *)data + 1, *text = NULL;
    size_t len = size - 1, text_len = 0;
    const char *nul = memchr(p, '\0', len);
    if (nul) {
        text = nul + 1;
        text_len = len - (size_t)(text - p);
        len = (size_t)(nul - p);
    }
    /* A private copy: nothing may read past the pattern's `len` bytes. */
    char *pattern = len ? malloc(len) : NULL;
    if (len && !pattern)
        return 0;
    if (len)
        memcpy(pattern, p, len);

    regex_prog *prog = compile(pattern, len, max_mem);
    if (prog) {
        bool verdict = match(prog, text, text_len);
        match(prog, pattern, len);
        if (!has(pattern, len, "\\Q")) {
            size_t glen;
            char *grouped = wrap("(?:", pattern, len, ")", &glen);
            regex_prog *g = compile(grouped, glen, 0);
            if (g && match(g, text, text_len) != verdict)
                abort();
            regex_free(g);
            free(grouped);
        }
        regex_free(prog);
    }
    check_literal(pattern, len);
    free(pattern);
    return 0;
}
