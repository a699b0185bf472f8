/* test_regex.c: the offer constraints' regular expressions (lib/regex.h).
 *
 * Three kinds of evidence: hand-written cases for each part of the syntax;
 * 1,300 outcomes recorded from RE2 2020-07-06 itself (test/data/regex_re2.tsv:
 * matches, non-matches and exact error texts, on valid and invalid UTF-8);
 * and the limits, whose program sizes are RE2's own figures. Pathological
 * patterns assert their result on long texts: a backtracking engine would
 * not finish them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/regex.h"
#include "hdrf/status.h"
#include "test/test.h"

#define BIG (1u << 24) /* limits that never refuse the patterns below */

/* 1 match, 0 no match, -1 refused. */
static int full(const char *pattern, const char *text)
{
    regex_prog *p;
    char why[200];
    if (regex_compile(pattern, strlen(pattern), BIG, &p, why, sizeof why) != HDRF_OK)
        return -1;
    int m = regex_full_match(p, text, strlen(text));
    regex_free(p);
    return m;
}

/* The error text for a refused pattern ("" if it compiles). */
static const char *refusal(const char *pattern, size_t max_mem)
{
    static char why[200];
    regex_prog *p = NULL;
    if (regex_compile(pattern, strlen(pattern), max_mem, &p, why, sizeof why) == HDRF_OK)
        why[0] = '\0';
    regex_free(p);
    return why;
}

static size_t size_of(const char *pattern)
{
    regex_prog *p;
    char why[200];
    if (regex_compile(pattern, strlen(pattern), BIG, &p, why, sizeof why) != HDRF_OK)
        return 0;
    size_t n = regex_program_size(p);
    regex_free(p);
    return n;
}

typedef struct match_case {
    const char *pattern, *text;
    int want;
} match_case;

static void check_cases(const match_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = full(cases[i].pattern, cases[i].text);
        if (got != cases[i].want)
            fprintf(stderr, "\n  /%s/ on \"%s\": got %d, want %d", cases[i].pattern, cases[i].text,
                    got, cases[i].want);
        CU_ASSERT_EQUAL(got, cases[i].want);
    }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

static void test_full_match_anchoring(void)
{
    static const match_case cases[] = {
        {"abc", "abc", 1}, {"abc", "abcd", 0}, {"abc", "xabc", 0}, {"abc", "", 0},
        {"", "", 1},       {"", "a", 0},       {"a|ab", "ab", 1},  {"ab|a", "a", 1},
        {"a*", "", 1},     {"a*", "aaa", 1},   {"a*", "aab", 0},   {"^abc$", "abc", 1},
        {"b", "abc", 0},   {"a.*", "abc", 1},  {".*c", "abc", 1},  {"[a-d]+", "bcde", 0},
    };
    CHECK(cases);
}

static void test_literals_and_escapes(void)
{
    static const match_case cases[] = {
        {"a\\.b", "a.b", 1},
        {"a\\.b", "axb", 0},
        {"a.b", "axb", 1},
        {"\\x41", "A", 1},
        {"\\x{263a}", "\xe2\x98\xba", 1},
        {"\\101", "A", 1},
        {"\\0", "\x00", 0},
        {"\\t\\n", "\t\n", 1},
        {"\\_\\-\\]", "_-]", 1},
        {"\\Qa.b*\\E", "a.b*", 1},
        {"\\Qa.b*\\E", "axb", 0},
        {"a\\Qb\\E*", "abbb", 1},
        {"a{", "a{", 1},
        {"a{,2}", "a{,2}", 1},
        {"x{1", "x{1", 1},
        {"é+", "ééé", 1},
        {".", "é", 1},
        {"..", "é", 0},
        {"]", "]", 1},
        {"}", "}", 1},
    };
    CHECK(cases);
}

static void test_classes(void)
{
    static const match_case cases[] = {
        {"[a-c]", "b", 1},
        {"[a-c]", "d", 0},
        {"[^a-c]", "d", 1},
        {"[^a-c]", "b", 0},
        {"[^a]", "\n", 1},
        {".", "\n", 0},
        {"(?s).", "\n", 1},
        {"[]a]", "]", 1},
        {"[^]a]", "b", 1},
        {"[a-]", "-", 1},
        {"[\\d-z]", "-", 1},
        {"[\\]]", "]", 1},
        {"\\d+", "0123456789", 1},
        {"\\d", "a", 0},
        {"\\D", "a", 1},
        {"\\w+", "aZ0_", 1},
        {"\\w", "-", 0},
        {"\\W", "-", 1},
        {"\\s+", " \t\n\f\r", 1},
        {"\\s", "\v", 0},
        {"\\S", "x", 1},
        {"[[:alpha:]]+", "aZ", 1},
        {"[[:^alpha:]]", "1", 1},
        {"[[:digit:][:upper:]]+", "A1", 1},
        {"[[:space:]]", "\v", 1},
        {"[[:xdigit:]]+", "09afAF", 1},
        {"[[:punct:]]", "!", 1},
        {"[[:word:]]", "_", 1},
        {"[\\x{100}-\\x{200}]", "\xc4\x80", 1},
        {"[^\\x00-\\x{10FFFF}]", "a", 0},
        {"[é]", "é", 1},
    };
    CHECK(cases);
}

static void test_groups_and_alternation(void)
{
    static const match_case cases[] = {
        {"(ab)+", "abab", 1},          {"(ab)+", "aba", 0},   {"(?:ab|cd)*", "abcdab", 1},
        {"(?P<rack>r[0-9])", "r7", 1}, {"a(b|c|)d", "ad", 1}, {"(|a)b", "b", 1},
        {"((a|b)(c|d))+", "acbd", 1},  {"x|y|z", "y", 1},     {"()", "", 1},
        {"(?:a|b)|c", "c", 1},
    };
    CHECK(cases);
}

static void test_counted_repetition(void)
{
    static const match_case cases[] = {
        {"a{2,3}", "a", 0}, {"a{2,3}", "aa", 1},    {"a{2,3}", "aaa", 1}, {"a{2,3}", "aaaa", 0},
        {"a{2}", "aa", 1},  {"a{2}", "aaa", 0},     {"a{2,}", "a", 0},    {"a{2,}", "aaaaaa", 1},
        {"a{0}", "", 1},    {"a{0}b", "b", 1},      {"a{0,1}", "", 1},    {"(ab){2}", "abab", 1},
        {"a{1000}", "", 0}, {"(a|b){3}", "aba", 1}, {"a{0,}", "aaa", 1},  {"a{1,}", "", 0},
        {"a*?", "aa", 1},   {"a+?b", "aab", 1},     {"a??", "a", 1},      {"a{2,3}?", "aaa", 1},
    };
    CHECK(cases);
    char text[1001];
    memset(text, 'a', 1000);
    text[1000] = '\0';
    CU_ASSERT_EQUAL(full("a{1000}", text), 1);
    text[999] = '\0';
    CU_ASSERT_EQUAL(full("a{1000}", text), 0);
}

static void test_assertions_and_flags(void)
{
    static const match_case cases[] = {
        {"a\\b", "a", 1},
        {"a\\bb", "ab", 0},
        {"a\\Bb", "ab", 1},
        {"a \\bb", "a b", 1},
        {"\\Aab\\z", "ab", 1},
        {"a^b", "ab", 0},
        {"a$b", "ab", 0},
        {"(?m)a$\\nb", "a\nb", 1},
        {"a$\\nb", "a\nb", 0},
        {"(?m)a\\n^b", "a\nb", 1},
        {"(?i)HoSt", "host", 1},
        {"(?i)[a-c]+", "ABC", 1},
        {"(?i)k", "\xe2\x84\xaa", 1},
        {"(?i)s", "\xc5\xbf", 1},
        {"(?i)\\W", "\xe2\x84\xaa", 0},
        {"(?i)[^k]", "K", 0},
        {"(?i:a)b", "Ab", 1},
        {"(?i:a)b", "AB", 0},
        {"(?i)a|b", "B", 1},
        {"(?i)(?-i)a", "A", 0},
        {"(?U)a+", "aa", 1},
        {"a(?i)*", "aaa", 1},
        {"(?s:.)", "\n", 1},
    };
    CHECK(cases);
}

static void test_utf8_text(void)
{
    /* Invalid bytes match nothing; RE2's loose U+0080-U+10FFFF range takes
     * surrogates, overlong and out-of-range sequences (see regex.c). */
    static const match_case cases[] = {
        {".", "\xff", 0},
        {"[^a]", "\xff", 0},
        {".", "\xc3", 0},
        {".", "\xed\xa0\x80", 1},
        {".", "\xf4\x90\x80\x80", 1},
        {"[^\xc3\xa9]", "\xf4\x90\x80\x80", 0},
        {"..", "\xc3\xa9", 0},
        {"\\W", "\xc3\xa9", 1},
    };
    CHECK(cases);
    CU_ASSERT_EQUAL(full("a\xff", "a"), -1); /* a pattern must be valid UTF-8 */
}

typedef struct refusal_case {
    const char *pattern, *why;
} refusal_case;

static void test_syntax_errors(void)
{
    /* RE2's texts (each checked against RE2 2020-07-06), then hdrf's own. */
    static const refusal_case cases[] = {
        {"[a-d", "missing ]: [a-d"},
        {"x(a", "missing ): x(a"},
        {"xa)", "unexpected ): xa)"},
        {"a\\", "trailing \\"},
        {"\\q", "invalid escape sequence: \\q"},
        {"\\1", "invalid escape sequence: \\1"},
        {"\\8", "invalid escape sequence: \\8"},
        {"\\x4", "invalid escape sequence: \\x4"},
        {"\\x{110000}", "invalid escape sequence: \\x{110000"},
        {"[z-a]", "invalid character class range: z-a"},
        {"[a-\\d]", "invalid escape sequence: \\d"},
        {"[[:foo:]]", "invalid character class range: [:foo:]"},
        {"*a", "no argument for repetition operator: *"},
        {"a|+?", "no argument for repetition operator: +?"},
        {"a**", "bad repetition operator: **"},
        {"x{2}{3}", "bad repetition operator: {2}{3}"},
        {"a{2,1}", "invalid repetition size: {2,1}"},
        {"a{1001}", "invalid repetition size: {1001}"},
        {"(?z)a", "invalid perl operator: (?z"},
        {"(?P=n)", "invalid perl operator: (?P"},
        {"(?P<n", "invalid named capture group: (?P<n"},
        {"(?P<>a)", "invalid named capture group: (?P<>"},
        {"[a", "missing ]: [a"},
        /* RE2 decodes each character before judging it: bytes that are not
         * UTF-8 are "invalid UTF-8" wherever the parser meets them first */
        {"\\\xff", "invalid UTF-8"},
        {"\\x\xff", "invalid UTF-8"},
        {"\\x{1\xff", "invalid UTF-8"},
        {"[\\\xff]", "invalid UTF-8"},
        {"(?i\xff)", "invalid UTF-8"},
        {"(?P<n\xff", "invalid UTF-8"},
        {"(?P<\xff>a)", "invalid UTF-8"},
        {"\\xgh", "invalid escape sequence: \\xgh"},
        {"\\x{", "invalid UTF-8"}, /* RE2 decodes the end of the pattern too */
        {"(?P<", "invalid perl operator: (?P"},
        {"\\pL", "Unicode character classes are not supported by hdrf: \\p"},
        {"\\C", "\\C (any byte) is not supported by hdrf"},
        {"(?i)\xc3\xa9",
         "case-insensitive matching of non-ASCII characters is not supported by hdrf: \xc3\xa9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ASSERT_STR(refusal(cases[i].pattern, BIG), cases[i].why);
    char deep[2 * REGEX_MAX_DEPTH + 3];
    memset(deep, '(', REGEX_MAX_DEPTH + 1);
    memset(deep + REGEX_MAX_DEPTH + 1, ')', REGEX_MAX_DEPTH + 1);
    deep[2 * REGEX_MAX_DEPTH + 2] = '\0';
    ASSERT_STR(refusal(deep, 0), "expression nests too deeply");
    /* operators stacked across \Q\E nest without groups; bounded too */
    enum { STACKED = 5000 };
    char *stacked = malloc(1 + 5 * STACKED + 1);
    REQUIRE(stacked);
    stacked[0] = 'a';
    for (int i = 0; i < STACKED; i++)
        memcpy(stacked + 1 + 5 * i, "*\\Q\\E", 5);
    stacked[1 + 5 * STACKED] = '\0';
    ASSERT_STR(refusal(stacked, 0), "expression nests too deeply");
    stacked[1 + 5 * 100] = '\0';
    ASSERT_STR(refusal(stacked, 0), "");
    CU_ASSERT_EQUAL(full(stacked, "aaa"), 1);
    free(stacked);
}

static void test_program_size_and_memory(void)
{
    /* RE2 2020-07-06's ProgramSize() for each, where hdrf matches it exactly. */
    static const struct {
        const char *pattern;
        size_t size;
    } re2[] = {
        {"", 4},
        {"a", 5},
        {"abc", 7},
        {"(a)", 7},
        {"(?:a)", 5},
        {"[a-z]", 5},
        {"a+", 6},
        {"a?", 6},
        {"a{3}", 7},
        {"a{2,5}", 12},
        {"a{2,}", 7},
        {"(a+){10}", 44},
        {"(a+){50}", 204},
        {"host-[0-9]+", 11},
        {"us-east-1[a-f]", 14},
        {"[a-z]+\\.example\\.com", 18},
        {"node[0-9]{2,3}", 12},
    };
    for (size_t i = 0; i < sizeof re2 / sizeof re2[0]; i++)
        CU_ASSERT_EQUAL(size_of(re2[i].pattern), re2[i].size);
    /* Where RE2 spends several byte instructions on one character. */
    CU_ASSERT_EQUAL(size_of("."), 5);   /* RE2: 12 */
    CU_ASSERT_EQUAL(size_of("\\w"), 5); /* RE2: 7 */
    CU_ASSERT_EQUAL(size_of("a*"), 6);  /* RE2: 5, its Flatten() folds the loop */

    /* The memory budget: 416 + 8 x size <= max_mem x 2 / 3. (a+){50} (204
     * instructions) needs 2048 of it, i.e. max_mem 3072 as in RE2. */
    ASSERT_STR(refusal("(a+){50}", 3072), "");
    ASSERT_STR(refusal("(a+){50}", 3071), "pattern too large - compile failed");
    ASSERT_STR(refusal("(a+){500}", 4096), "pattern too large - compile failed");
    ASSERT_STR(refusal("(a+){500}", 0), ""); /* 0: RE2's 100,000 instructions */
    ASSERT_STR(refusal("a", 1), "pattern too large - compile failed");
    /* Nested counts are RE2's parse error before any size is reached (see
     * test_repetition_counts); a long flat pattern meets the budget, its
     * size computed before anything is expanded. */
    ASSERT_STR(refusal("((a{1000}){1000}){1000}", 0), "invalid repetition size: {1000}");
    enum { COPIES = 101 }; /* 101 x a{1000}: 101,004 instructions, RE2's 100,000 at max_mem 0 */
    char flat[7 * COPIES + 1];
    for (int i = 0; i < COPIES; i++)
        memcpy(flat + 7 * i, "a{1000}", 7);
    flat[7 * COPIES] = '\0';
    ASSERT_STR(refusal(flat, 0), "pattern too large - compile failed");
    flat[7 * (COPIES - 2)] = '\0';
    CU_ASSERT_EQUAL(size_of(flat), 99004);
}

/* RE2's rules for counts, from re2/parse.cc (RE2 2020-07-06): ParseInteger
 * takes no leading zero and at most nine digits, and MaybeParseRepetition
 * then reads the braces as literal text, not as an error; PushRepetition
 * checks the size (at most 1000) before the argument; RepetitionWalker
 * refuses nested counts whose product exceeds 1000. Each verdict was also
 * checked with RE2 itself (rows at the end of regex_re2.tsv). */
static void test_repetition_counts(void)
{
    static const match_case counted[] = {
        {"a{01}", "a{01}", 1},
        {"a{01}", "a", 0},
        {"a{00}", "a{00}", 1},
        {"a{2,0100}", "a{2,0100}", 1},
        {"a{2,0100}", "aa", 0},
        {"a{0100,}", "a{0100,}", 1},
        {"a{1000000000}", "a{1000000000}", 1}, /* ten digits */
        {"a{1000000000}", "a", 0},
        {"a{1,1000000000}", "a{1,1000000000}", 1},
        {"a{0}", "", 1},
        {"(a{0}){1000}", "", 1},  /* {0} counts as 1 */
        {"(a{1}){1000}", "a", 0}, /* 1 x 1000 */
        {"((a{10}){10}){10}", "", 0},
        {"(a{10}|b{200}){5}", "bbbbb", 0},
    };
    CHECK(counted);
    static const refusal_case refused[] = {
        {"a{100000000}", "invalid repetition size: {100000000}"}, /* nine digits: a count */
        {"a{999999999}", "invalid repetition size: {999999999}"},
        {"a{1001}", "invalid repetition size: {1001}"},
        {"a{0,1001}", "invalid repetition size: {0,1001}"},
        {"a{1001,}", "invalid repetition size: {1001,}"},
        {"a{1001}?", "invalid repetition size: {1001}?"},
        {"{1001}", "invalid repetition size: {1001}"}, /* the size first, then the argument */
        {"{2}", "no argument for repetition operator: {2}"},
        {"(a{1000}){1000}", "invalid repetition size: {1000}"},
        {"(?:(?:(?:){1000}){1000}){1000}", "invalid repetition size: {1000}"},
        {"(a{2}){501}", "invalid repetition size: {501}"},
        {"(a{2,}){501}", "invalid repetition size: {501}"},
        {"((a{10}){10}){11}", "invalid repetition size: {11}"},
        {"((a{2}){0}){1000}", "invalid repetition size: {1000}"},
        {"(a{10}|b{200}){6}", "invalid repetition size: {6}"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        ASSERT_STR(refusal(refused[i].pattern, BIG), refused[i].why);
    ASSERT_STR(refusal("(a{2}){500}", BIG), "");
    ASSERT_STR(refusal("(a{2,}){500}", BIG), "");
}

/* Patterns that once did pointer arithmetic on NULL (UBSan pointer-overflow,
 * seen with clang): an empty class has no ranges, so its program's range
 * array was NULL when it was the only class. And the other edge shapes. */
static void test_edge_patterns(void)
{
    static const match_case cases[] = {
        {"[^\\x00-\\x{10FFFF}]", "a", 0},
        {"[^\\x00-\\x{10FFFF}]", "", 0},
        {"x[^\\x00-\\x{10FFFF}]?", "x", 1},
        {"x[^\\x00-\\x{10FFFF}]*", "x", 1},
        {"", "", 1},
        {"()", "", 1},
        {"(?:)", "", 1},
        {"x{0}", "", 1},
        {"x{0}", "x", 0},
        {"\\z", "", 1},
        {"\\A\\z", "a", 0},
    };
    CHECK(cases);
    ASSERT_STR(refusal("a**", BIG), "bad repetition operator: **");
    regex_prog *p;
    char why[200];
    REQUIRE_TRUE(regex_compile(NULL, 0, BIG, &p, why, sizeof why) == HDRF_OK);
    CU_ASSERT_TRUE(regex_full_match(p, NULL, 0));
    CU_ASSERT_FALSE(regex_full_match(p, "a", 1));
    regex_free(p);
    REQUIRE_TRUE(regex_compile("[^\\x00-\\x{10FFFF}]", 18, BIG, &p, why, sizeof why) == HDRF_OK);
    CU_ASSERT_FALSE(regex_full_match(p, NULL, 0));
    CU_ASSERT_FALSE(regex_full_match(p, "\xe2\x84\xaa", 3));
    regex_free(p);
}

static void test_linear_time(void)
{
    /* Exponential for a backtracking engine; linear here. */
    enum { N = 20000 };
    char *text = malloc(N + 2);
    REQUIRE(text);
    memset(text, 'a', N);
    text[N] = '\0';
    CU_ASSERT_EQUAL(full("(a*)*b", text), 0);
    CU_ASSERT_EQUAL(full("(a|a)*b", text), 0);
    CU_ASSERT_EQUAL(full("(a|aa)*c", text), 0);
    CU_ASSERT_EQUAL(full("(a+a+)+b", text), 0);
    CU_ASSERT_EQUAL(full("(a*)*", text), 1);
    CU_ASSERT_EQUAL(full("(.*)*a", text), 1);
    text[N] = 'b', text[N + 1] = '\0';
    CU_ASSERT_EQUAL(full("(a*)*b", text), 1);
    CU_ASSERT_EQUAL(full("(a|a)*b", text), 1);
    free(text);

    /* (a?){n}a{n} on a^n: the classic case. */
    char pattern[64], small[31];
    snprintf(pattern, sizeof pattern, "(a?){30}a{30}");
    memset(small, 'a', 30);
    small[30] = '\0';
    CU_ASSERT_EQUAL(full(pattern, small), 1);
}

static size_t unescape(char *s)
{
    size_t out = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned v;
        if (s[i] == '%' && s[i + 1] && s[i + 2] && sscanf(s + i + 1, "%2x", &v) == 1) {
            s[out++] = (char)v;
            i += 2;
        } else {
            s[out++] = s[i];
        }
    }
    s[out] = '\0';
    return out;
}

static void test_agrees_with_re2(void)
{
    char *data;
    REQUIRE_TRUE(test_read_file(test_data_path("regex_re2.tsv"), &data) > 0);
    size_t checked = 0;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char *text = strchr(line, '\t'), *want = text ? strchr(text + 1, '\t') : NULL;
        CU_ASSERT_PTR_NOT_NULL(want);
        if (!want)
            continue;
        *text++ = '\0';
        *want++ = '\0';
        size_t len = unescape(text);
        regex_prog *p;
        char why[200], got[220];
        if (regex_compile(line, strlen(line), BIG, &p, why, sizeof why) != HDRF_OK) {
            snprintf(got, sizeof got, "E %s", why);
        } else {
            snprintf(got, sizeof got, "%d", regex_full_match(p, text, len));
            regex_free(p);
        }
        if (strcmp(got, want) != 0)
            fprintf(stderr, "\n  /%s/: got %s, RE2 %s", line, got, want);
        CU_ASSERT_STRING_EQUAL(got, want);
        checked++;
    }
    CU_ASSERT(checked > 1000);
    free(data);
}

int suite_regex(void)
{
    static const test_case cases[] = {
        {"full match is anchored at both ends", test_full_match_anchoring},
        {"literals and escapes", test_literals_and_escapes},
        {"character classes", test_classes},
        {"groups and alternation", test_groups_and_alternation},
        {"counted repetition", test_counted_repetition},
        {"assertions and flags", test_assertions_and_flags},
        {"UTF-8 text, valid or not", test_utf8_text},
        {"syntax errors with RE2's texts", test_syntax_errors},
        {"program size and memory budget as RE2's", test_program_size_and_memory},
        {"repetition counts read as RE2 reads them", test_repetition_counts},
        {"edge patterns, once undefined behaviour", test_edge_patterns},
        {"pathological patterns stay linear", test_linear_time},
        {"1,300 outcomes recorded from RE2", test_agrees_with_re2},
        {NULL, NULL},
    };
    return test_add_suite("regex", cases);
}
