/* test_sim_charts.c: the simulator's charts (sim/plot.c through
 * sim/output.c), read back from the SVG files a run writes.
 *
 * The nested-roles example under hdrf ends with n1 and n2/b both at a
 * dominant share of 1/2 and n2, n2/a both at 1: lines that lie on one
 * another. The checks:
 *  - every series has its own colour and its own stroke-dasharray, and
 *    markers of its own shape; the legend names each with its style;
 *  - lines are not moved off their values: n1's and n2/b's last points sit
 *    on the same pixel row, the one of 0.5 on the y axis;
 *  - a thin dashed reference line per role at its weighted fair share,
 *    worked out by hand: n1 and n2 are siblings of weight 1, so 1/2 each;
 *    n2/a and n2/b split n2's: 1/4 each. Each sits where the y axis's
 *    ticks put that value; lines of equal value interleave their dashes
 *    (different offsets) so both colours show;
 *  - the comparison chart has both panels, each with its series and
 *    reference lines;
 *  - PNG copies are written when rsvg-convert is on PATH. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/output.h"
#include "sim/plot.h"
#include "test/sim_fixture.h"
#include "test/test.h"

/* ---- reading SVG back ----------------------------------------------------------------------- */

/* The value of attribute `name` of the element starting at `elem`, in buf
 * ("" when absent). */
static const char *attr(const char *elem, const char *name, char *buf, size_t len)
{
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *end = strchr(elem, '>'), *at = strstr(elem, key);
    buf[0] = '\0';
    if (at && (!end || at < end)) {
        at += strlen(key);
        size_t n = strcspn(at, "\"");
        snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), at);
    }
    return buf;
}

static double attr_num(const char *elem, const char *name)
{
    char buf[64];
    return atof(attr(elem, name, buf, sizeof buf));
}

/* The text of the <title> inside the element at `elem`, in buf. */
static const char *title_of(const char *elem, char *buf, size_t len)
{
    const char *t = strstr(elem, "<title>");
    buf[0] = '\0';
    if (t) {
        t += strlen("<title>");
        snprintf(buf, len, "%.*s", (int)strcspn(t, "<"), t);
    }
    return buf;
}

/* Up to `max` elements starting with `open` (e.g. `<line class="reference"`). */
static size_t find_all(const char *svg, const char *open, const char **out, size_t max)
{
    size_t n = 0;
    for (const char *p = strstr(svg, open); p; p = strstr(p + 1, open))
        if (n < max)
            out[n++] = p;
        else
            n++;
    return n;
}

/* The value a y-axis tick is labelled with: the text after its line. */
static double tick_value(const char *tick)
{
    const char *text = strstr(tick, "<text");
    const char *gt = text ? strchr(text, '>') : NULL;
    return gt ? atof(gt + 1) : NAN;
}

/* The pixel row of y-axis value v, from the axis's labelled ticks (the
 * first, 0, and the last): y = y(0) + v (y(top) - y(0)) / top. */
static double row_of(const char *svg, double v)
{
    const char *ticks[32];
    size_t n = find_all(svg, "<line class=\"ytick\"", ticks, 32);
    CU_ASSERT_TRUE(n >= 2 && n <= 32);
    if (n < 2 || n > 32)
        return NAN;
    double y0 = attr_num(ticks[0], "y1"), top = tick_value(ticks[n - 1]);
    CU_ASSERT_DOUBLE_EQUAL(tick_value(ticks[0]), 0, 1e-12);
    return y0 + v * (attr_num(ticks[n - 1], "y1") - y0) / top;
}

/* The y of the last point of a polyline. */
static double last_y(const char *elem)
{
    char points[65536];
    attr(elem, "points", points, sizeof points);
    size_t n = strlen(points);
    while (n && points[n - 1] == ' ')
        points[--n] = '\0';
    const char *comma = strrchr(points, ',');
    return comma ? atof(comma + 1) : NAN;
}

static char *read_svg(const char *dir, const char *name)
{
    char path[4200];
    char *text = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CU_ASSERT_TRUE(test_read_file(path, &text) > 0);
    return text;
}

/* Removes the files a run wrote in dir (no subdirectories), then dir. */
static void remove_dir(const char *dir)
{
    static const char *const files[] = {"summary.txt",
                                        "timeseries.csv",
                                        "shares.svg",
                                        "shares.png",
                                        "utilisation.svg",
                                        "utilisation.png",
                                        "compare.txt",
                                        "compare-shares.svg",
                                        "compare-shares.png",
                                        "compare-utilisation.svg",
                                        "compare-utilisation.png"};
    char path[4200];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* ---- the checks ---------------------------------------------------------------------------- */

static const struct {
    const char *role;
    double fair; /* by hand, see the top of the file */
} nested_fair[] = {{"n1", 0.5}, {"n2", 0.5}, {"n2/a", 0.25}, {"n2/b", 0.25}};
#define NROLES (sizeof nested_fair / sizeof *nested_fair)

/* Whether the markers of two series differ in shape: each marker's path
 * is "M x,y " then its shape, up to the next marker's "M". */
static bool same_shape(const char *marks_a, const char *marks_b)
{
    char a[256], b[256];
    attr(marks_a, "d", a, sizeof a);
    attr(marks_b, "d", b, sizeof b);
    const char *sa = strchr(a, ','), *sb = strchr(b, ',');
    if (!sa || !sb)
        return true;
    sa = strchr(sa, ' ');
    sb = strchr(sb, ' ');
    size_t na = strcspn(sa, "M"), nb = strcspn(sb, "M");
    return na == nb && strncmp(sa, sb, na) == 0;
}

/* Series: one per role in name order, in each panel; within a panel,
 * distinct colours, dash patterns and marker shapes. */
static void check_series(const char *svg, size_t panels)
{
    const char *lines[16], *marks[16], *legend[32];
    char a[256], b[256], t[256];
    size_t n = find_all(svg, "<polyline class=\"series\"", lines, 16);
    REQUIRE_TRUE(n == NROLES * panels);
    REQUIRE_TRUE(find_all(svg, "<path class=\"markers\"", marks, 16) == n);
    REQUIRE_TRUE(find_all(svg, "<g class=\"legend\">", legend, 32) == 2 * NROLES * panels);
    for (size_t p = 0; p < panels; p++)
        for (size_t i = p * NROLES; i < (p + 1) * NROLES; i++) {
            const char *role = nested_fair[i - p * NROLES].role;
            ASSERT_STR(title_of(lines[i], t, sizeof t), role);
            CU_ASSERT_TRUE(strlen(attr(lines[i], "stroke-dasharray", a, sizeof a)) > 0);
            for (size_t j = i + 1; j < (p + 1) * NROLES; j++) {
                CU_ASSERT_TRUE(strcmp(attr(lines[i], "stroke", a, sizeof a),
                                      attr(lines[j], "stroke", b, sizeof b)) != 0);
                CU_ASSERT_TRUE(strcmp(attr(lines[i], "stroke-dasharray", a, sizeof a),
                                      attr(lines[j], "stroke-dasharray", b, sizeof b)) != 0);
                CU_ASSERT_FALSE(same_shape(marks[i], marks[j]));
            }
            /* The legend: the series' own style and name, then its reference. */
            const char *entry = legend[i + p * NROLES], *ref = legend[i + (p + 1) * NROLES];
            snprintf(t, sizeof t, ">%s</text>", role);
            CU_ASSERT_TRUE(strstr(entry, t) != NULL);
            CU_ASSERT_TRUE(strstr(entry, attr(lines[i], "stroke-dasharray", a, sizeof a)) != NULL);
            snprintf(t, sizeof t, ">%s fair share %g</text>", role,
                     nested_fair[i - p * NROLES].fair);
            CU_ASSERT_TRUE(strstr(ref, t) != NULL);
        }
}

/* Reference lines at the hand-worked fair shares, on the axis's scale. */
static void check_references(const char *svg)
{
    const char *refs[8];
    char t[256], want[256], o1[32], o2[32];
    REQUIRE_TRUE(find_all(svg, "<line class=\"reference\"", refs, 8) == NROLES);
    for (size_t i = 0; i < NROLES; i++) {
        double y = row_of(svg, nested_fair[i].fair);
        snprintf(want, sizeof want, "%s fair share %g", nested_fair[i].role, nested_fair[i].fair);
        ASSERT_STR(title_of(refs[i], t, sizeof t), want);
        CU_ASSERT_DOUBLE_EQUAL(attr_num(refs[i], "y1"), y, 0.11);
        CU_ASSERT_DOUBLE_EQUAL(attr_num(refs[i], "y2"), y, 0.11);
        CU_ASSERT_DOUBLE_EQUAL(attr_num(refs[i], "stroke-width"), 1.0, 1e-9);
        CU_ASSERT_TRUE(strlen(attr(refs[i], "stroke-dasharray", t, sizeof t)) > 0);
    }
    /* n1, n2 at 1/2 and n2/a, n2/b at 1/4: each pair interleaves. */
    CU_ASSERT_TRUE(strcmp(attr(refs[0], "stroke-dashoffset", o1, sizeof o1),
                          attr(refs[1], "stroke-dashoffset", o2, sizeof o2)) != 0);
    CU_ASSERT_TRUE(strcmp(attr(refs[2], "stroke-dashoffset", o1, sizeof o1),
                          attr(refs[3], "stroke-dashoffset", o2, sizeof o2)) != 0);
}

static void test_share_chart(void)
{
    sim_example x;
    char dir[] = "/tmp/hdrf-sim-charts-XXXXXX", why[1024];
    if (!sim_example_load(&x, "nested-roles", "modules-hdrf.json", NULL) || !mkdtemp(dir))
        return sim_example_unload(&x);
    sim_result *r = sim_example_run(&x, 0);
    char *svg = NULL, *use = NULL;
    if (r && output_run(dir, r, "hdrf", NULL, why, sizeof why) == 0) {
        svg = read_svg(dir, "shares.svg");
        use = read_svg(dir, "utilisation.svg");
    }
    if (svg && use) {
        const char *lines[4];
        check_series(svg, 1);
        check_references(svg);
        /* hdrf ends with n1 and n2/b at 1/2, n2 and n2/a at 1: the lines
         * lie on one another, on their true rows. */
        REQUIRE_TRUE(find_all(svg, "<polyline class=\"series\"", lines, 4) == 4);
        CU_ASSERT_DOUBLE_EQUAL(last_y(lines[0]), row_of(svg, 0.5), 0.11);
        CU_ASSERT_DOUBLE_EQUAL(last_y(lines[3]), row_of(svg, 0.5), 0.11);
        CU_ASSERT_DOUBLE_EQUAL(last_y(lines[1]), row_of(svg, 1.0), 0.11);
        CU_ASSERT_DOUBLE_EQUAL(last_y(lines[2]), row_of(svg, 1.0), 0.11);
        /* Utilisation: cpus and mem, no reference lines. */
        CU_ASSERT_EQUAL(find_all(use, "<polyline class=\"series\"", lines, 4), 2);
        CU_ASSERT_EQUAL(find_all(use, "<line class=\"reference\"", lines, 4), 0);
        CU_ASSERT_TRUE(strstr(svg, "role_sorter=hdrf") != NULL); /* the configuration */
    }
    char path[4200], *png = NULL;
    if (svg && plot_renderer(path, sizeof path)) {
        snprintf(path, sizeof path, "%s/shares.png", dir);
        CU_ASSERT_TRUE(test_read_file(path, &png) > 8);
        CU_ASSERT_TRUE(png && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
        free(png);
    }
    free(svg);
    free(use);
    sim_result_free(r);
    sim_example_unload(&x);
    remove_dir(dir);
}

static void test_compare_chart(void)
{
    sim_example x, y;
    char dir[] = "/tmp/hdrf-sim-charts-XXXXXX", why[1024];
    bool loaded = sim_example_load(&x, "nested-roles", "modules.json", NULL) &
                  sim_example_load(&y, "nested-roles", "modules-hdrf.json", NULL);
    sim_result *a = loaded && mkdtemp(dir) ? sim_example_run(&x, 0) : NULL;
    sim_result *b = a ? sim_example_run(&y, 0) : NULL;
    char *svg = NULL;
    if (b && output_compare(dir, a, "drf", b, "hdrf", NULL, why, sizeof why) == 0)
        svg = read_svg(dir, "compare-shares.svg");
    if (svg) {
        const char *refs[16];
        check_series(svg, 2);
        CU_ASSERT_EQUAL(find_all(svg, "<line class=\"reference\"", refs, 16), 2 * NROLES);
        CU_ASSERT_TRUE(strstr(svg, ">drf</text>") && strstr(svg, ">hdrf</text>"));
    }
    free(svg);
    sim_result_free(a);
    sim_result_free(b);
    sim_example_unload(&x);
    sim_example_unload(&y);
    if (loaded)
        remove_dir(dir);
}

int suite_sim_charts(void)
{
    static const test_case cases[] = {
        {"equal shares: distinct dashes and markers, fair-share lines", test_share_chart},
        {"comparison: both panels, each with its lines", test_compare_chart},
        {NULL, NULL}};
    return test_add_suite("sim_charts", cases);
}
