/* regex.h: hdrf's one regex dialect, RE2's (private).
 *
 * Frameworks attach TextMatches / TextNotMatches predicates written for RE2,
 * and the allocator tests them against agent attributes on every allocation
 * cycle; the scheduler's LIKE / UNLIKE app constraints (apps/app.h) use the
 * same engine, so that one pattern means one thing everywhere in hdrf. It
 * must accept RE2's syntax with RE2's meaning and never take more than
 * linear time: a framework must not be able to stall the allocator with a
 * pattern such as `(a*)*b`. It therefore has no
 * backtracking: a pattern is parsed into a tree, compiled into a Thompson
 * NFA, and matched by simulating all NFA states at once (Pike's method), in
 * O(program size x text length) time and O(program size) memory.
 *
 * Semantics are RE2's FullMatch: the whole text must match (anchored at both
 * ends); only whether it matches is computed (no submatches), so greedy and
 * lazy forms and capturing groups accept the same texts.
 *
 * Syntax (RE2's; anything else is refused with RE2's error text):
 *   literals, UTF-8 included; escaped punctuation `\.`; `\a \f \t \n \r \v`,
 *   `\x41`, `\x{263a}`, octal `\0`, `\012`, `\12`; `\Q...\E`
 *   `.` (any character but newline; with the s flag, any character)
 *   classes `[a-z]`, `[^...]`, with escapes, `\d \w \s \D \W \S` and POSIX
 *   `[:alpha:]` / `[:^alpha:]` inside; `\d \w \s \D \W \S` outside
 *   groups `(...)`, `(?:...)`, `(?P<name>...)`; alternation `|`
 *   repetition `* + ? {n} {n,} {n,m}` and lazy `*? +? ?? {n,m}?`, with
 *   RE2's rules for counts: n, m <= 1000, and nested counts multiply to at
 *   most 1000 (`(a{2}){500}` but not `(a{2}){501}`; `{0}` counts as 1),
 *   else "invalid repetition size"; a count with a leading zero or of more
 *   than nine digits is no count, and its braces are literal text, as RE2
 *   reads them (`a{01}` matches "a{01}", `a{1000000000}` itself)
 *   empty-width `^ $ \A \z \b \B`; flags `(?imsU)`, `(?i-s)`, `(?i:...)`
 * Refused although RE2 has them: Unicode classes `\p{Greek}` `\pL`, the
 * any-byte `\C`, and case-insensitive matching (flag i) of non-ASCII
 * characters other than U+017F and U+212A (they need Unicode's case tables;
 * ASCII letters fold exactly as in RE2, including k ~ U+212A KELVIN SIGN and
 * s ~ U+017F LONG S). Backreferences do not exist in RE2 and here either.
 * Text that is not valid UTF-8 is matched byte by byte, an invalid byte
 * matching nothing (not even `.` or a negated class), as in RE2.
 *
 * Limits, as RE2 applies them for Mesos (RE2::Options::max_mem and
 * RE2::ProgramSize(), checked in that order):
 *
 * - Program size. RE2 compiles to byte-level instructions. hdrf counts the
 *   program RE2 would build for the same tree, instruction for instruction
 *   where that count does not depend on UTF-8 encoding:
 *     4                      fixed: RE2's fail instruction, match
 *                            instruction and the two-instruction `.*?`
 *                            loop it adds for unanchored search
 *   + 1 per literal character, character class, `.` and empty-width assertion
 *   + 1 per `*`, `+`, `?`, and per `|` (k alternatives: k - 1)
 *   + 2 per capturing group (RE2 keeps its two capture instructions)
 *   with counted repetitions expanded as RE2's simplifier does (`x{n,m}` is
 *   n copies of x and m - n nested optional copies, `x{n,}` is n copies with
 *   the last one repeated): n*s + (m-n)*(s+1), n*s + 1 (n >= 1) or s + 1.
 *   This equals RE2 2020-07-06's ProgramSize() for patterns made of ASCII
 *   literals, single-range classes, groups and repetition: `(a+){10}` is 44,
 *   `(a+){50}` 204, `a{2,5}` 12, `(a)` 7, `host-[0-9]+` 11, `node[0-9]{2,3}`
 *   12. It is lower where RE2 spends several byte instructions on one
 *   character (`.` and negated classes are 12 in RE2 and 5 here, `\w` 7 and
 *   5) and can be a little higher where RE2 rewrites the program: its parser
 *   turns `a|b|c` into `[a-c]` (5 in RE2, 9 here), its Flatten() folds a loop
 *   into what follows (`a*` is 5 in RE2, 6 here), and it drops a leading `^`
 *   and a trailing `$` (`^a$` is 4 in RE2, 7 here). On realistic attribute
 *   patterns the two differ by at most a few instructions (`rack-(1|2|3)`:
 *   16 here, 12 in RE2; `eu-(west|central)-[0-9]`: 23 and 22).
 * - Memory. RE2 gives two thirds of max_mem to the forward program, of which
 *   the Prog object takes 416 bytes and each instruction 8 (x86-64, RE2
 *   2020-07-06), and fails with "pattern too large - compile failed" when
 *   the instructions do not fit. hdrf applies the same budget to the size
 *   above: refused when 416 + 8 * size > max_mem * 2 / 3; max_mem 0 means
 *   RE2's "unlimited" (100,000 instructions); never more than 2^24. With
 *   Mesos's defaults (4096 bytes, 100 instructions) a pattern may have 289
 *   instructions before it is too large and 100 before it is too complex.
 *
 * hdrf's own NFA has at most twice as many instructions as that size (a `*`
 * or an alternative adds a jump RE2 does not count), so the limits also bound
 * the time and memory of every match.
 */
#ifndef HDRF_REGEX_H
#define HDRF_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct regex_prog regex_prog;

/* RE2's fixed numbers, for the mapping above. */
#define REGEX_RE2_PROG_BYTES 416
#define REGEX_RE2_INST_BYTES 8
#define REGEX_RE2_UNLIMITED_INSTS 100000
#define REGEX_MAX_INSTS (1u << 24)
#define REGEX_MAX_REPEAT 1000
#define REGEX_MAX_DEPTH 1000      /* nested groups, as RE2's parser allows */
#define REGEX_MAX_TREE_DEPTH 4000 /* parse tree, bounding the compiler's recursion */

/* Compiles the `len` bytes at `pattern` (borrowed). On success *out owns the
 * program (free with regex_free). Returns HDRF_OK; HDRF_EINVAL with RE2's
 * error text in `why` (NUL-terminated, truncated to `whylen`) for a syntax
 * error ("missing ]: [a-d") or the memory limit ("pattern too large - compile
 * failed"); HDRF_ENOMEM. The program-size limit is the caller's to check
 * against regex_program_size(), so that it can word the error as Mesos does. */
int regex_compile(const char *pattern, size_t len, size_t max_mem, regex_prog **out, char *why,
                  size_t whylen);

/* The RE2-equivalent program size described above. */
size_t regex_program_size(const regex_prog *prog);

/* Whether the whole of the `len` bytes at `text` matches. Uses scratch space
 * inside `prog`: a program must not be matched from two threads at once (the
 * allocator core is single-threaded). Allocation-free; never fails. */
bool regex_full_match(const regex_prog *prog, const char *text, size_t len);

void regex_free(regex_prog *prog);

#endif
