/* output.c: writing a simulation's files (see output.h). */
#include "sim/output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/line.h"
#include "sim/plot.h"
#include "sim/report.h"

void output_say(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line_vformat(why, len, fmt, ap);
    va_end(ap);
}

int output_mkdirs(const char *dir, char *why, size_t whylen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            output_say(why, whylen, "%s: cannot create: %s", path, strerror(errno));
            return -1;
        }
        *p = c;
        if (!c)
            return 0;
    }
}

static int with_file(const char *dir, const char *name, int (*write)(FILE *, const void *),
                     const void *arg, char *why, size_t whylen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    int rc = f ? write(f, arg) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        output_say(why, whylen, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}

/* ---- charts --------------------------------------------------------------------------------- */

/* The series of one chart of a result, with the storage they point to. */
typedef struct chart {
    double *x;
    double *y; /* nseries rows of n */
    plot_series *series;
    size_t nseries;
    char **names;
    const char *reference_name; /* what the series' reference lines are, or NULL */
} chart;

static void chart_free(chart *c)
{
    free(c->x);
    free(c->y);
    free(c->series);
    for (size_t i = 0; c->names && i < c->nseries; i++)
        free(c->names[i]);
    free(c->names);
    memset(c, 0, sizeof *c);
}

static int chart_alloc(chart *c, const sim_result *r, size_t nseries)
{
    memset(c, 0, sizeof *c);
    size_t n = r->nsamples ? r->nsamples : 1;
    if (!(c->x = calloc(n, sizeof *c->x)) || !(c->y = calloc(n * (nseries + 1), sizeof *c->y)) ||
        !(c->series = calloc(nseries + 1, sizeof *c->series)) ||
        !(c->names = calloc(nseries + 1, sizeof *c->names)))
        return -1;
    for (size_t s = 0; s < r->nsamples; s++)
        c->x[s] = (double)r->times[s] / (double)HDRF_SECOND;
    return 0;
}

/* Adds the series whose values the caller wrote in the next row of c->y;
 * `reference` < 0: none. */
static int add_series(chart *c, const sim_result *r, const char *name, double reference)
{
    size_t i = c->nseries;
    if (!(c->names[i] = strdup(name)))
        return -1;
    c->series[i] =
        (plot_series){c->names[i], &c->y[i * (r->nsamples ? r->nsamples : 1)], reference};
    c->nseries++;
    return 0;
}

/* Roles that frameworks subscribe to, or with children: at most a dozen
 * lines stay readable, so a deep tree shows its top levels. */
static bool charted(const sim_result *r, size_t i)
{
    size_t depth_limit = r->nroles > 12 ? 0 : 99;
    return (size_t)r->entities[i].depth <= depth_limit;
}

static int share_chart(chart *c, const sim_result *r)
{
    if (chart_alloc(c, r, 2 * r->nroles) != 0)
        return -1;
    for (size_t i = 0; i < r->nroles; i++) {
        if (!charted(r, i))
            continue;
        double *y = &c->y[c->nseries * (r->nsamples ? r->nsamples : 1)];
        for (size_t s = 0; s < r->nsamples; s++)
            y[s] = r->share[sim_at(r, s, i)];
        if (add_series(c, r, r->entities[i].name, r->entities[i].fair) != 0)
            return -1;
    }
    c->reference_name = "fair share";
    return 0;
}

static int use_chart(chart *c, const sim_result *r)
{
    if (chart_alloc(c, r, r->nres) != 0)
        return -1;
    for (size_t k = 0; k < r->nres; k++) {
        double *y = &c->y[c->nseries * (r->nsamples ? r->nsamples : 1)];
        for (size_t s = 0; s < r->nsamples; s++)
            y[s] = r->res_total[k] ? (double)r->used[s * r->nres + k] / (double)r->res_total[k] : 0;
        if (add_series(c, r, r->res_names[k], -1) != 0)
            return -1;
    }
    return 0;
}

/* Writes dir/name.svg (and .png) from one chart per result. */
static int draw(const char *dir, const char *name, const char *title, const char *ylabel,
                double ymax, const sim_result *const *rs, const char *const *labels, size_t n,
                int (*fill)(chart *, const sim_result *), char *why, size_t whylen)
{
    chart c[2];
    plot_panel panels[2];
    char svg[4096], png[4096];
    int rc = 0;
    memset(c, 0, sizeof c);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = fill(&c[i], rs[i]);
        panels[i] =
            (plot_panel){labels[i],    rs[i]->config,      c[i].x, rs[i]->nsamples, c[i].series,
                         c[i].nseries, c[i].reference_name};
    }
    snprintf(svg, sizeof svg, "%s/%s.svg", dir, name);
    snprintf(png, sizeof png, "%s/%s.png", dir, name);
    if (rc != 0)
        output_say(why, whylen, "%s: out of memory", svg);
    else if ((rc = plot_svg(svg, title, "virtual time (s)", ylabel, ymax, panels, n)) != 0)
        output_say(why, whylen, "%s: cannot write: %s", svg, strerror(errno));
    else if (plot_png(svg, png) < 0)
        output_say(why, whylen, "%s: rsvg-convert failed", png), rc = -1;
    for (size_t i = 0; i < n; i++)
        chart_free(&c[i]);
    return rc;
}

/* ---- files ---------------------------------------------------------------------------------- */

typedef struct summary_args {
    const sim_result *r;
    const char *title;
    const report_window *w;
} summary_args;

static int write_summary(FILE *f, const void *arg)
{
    const summary_args *s = arg;
    return report_summary(f, s->r, s->title, s->w);
}

static int write_csv(FILE *f, const void *arg) { return report_csv(f, arg); }

int output_run(const char *dir, const sim_result *r, const char *title, const report_window *w,
               char *why, size_t whylen)
{
    summary_args s = {r, title, w};
    const char *label = title;
    if (output_mkdirs(dir, why, whylen) != 0 ||
        with_file(dir, "summary.txt", write_summary, &s, why, whylen) != 0 ||
        with_file(dir, "timeseries.csv", write_csv, r, why, whylen) != 0)
        return -1;
    if (draw(dir, "shares", "Dominant share per role", "dominant share", 0, &r, &label, 1,
             share_chart, why, whylen) != 0)
        return -1;
    return draw(dir, "utilisation", "Cluster utilisation per resource", "fraction used", 1.0, &r,
                &label, 1, use_chart, why, whylen);
}

typedef struct compare_args {
    const sim_result *a, *b;
    const char *la, *lb;
    const report_window *w;
} compare_args;

static int write_compare(FILE *f, const void *arg)
{
    const compare_args *c = arg;
    return report_compare(f, c->a, c->la, c->b, c->lb, c->w);
}

int output_compare(const char *dir, const sim_result *a, const char *la, const sim_result *b,
                   const char *lb, const report_window *w, char *why, size_t whylen)
{
    compare_args c = {a, b, la, lb, w};
    const sim_result *rs[2] = {a, b};
    const char *labels[2] = {la, lb};
    if (output_mkdirs(dir, why, whylen) != 0 ||
        with_file(dir, "compare.txt", write_compare, &c, why, whylen) != 0)
        return -1;
    if (draw(dir, "compare-shares", "Dominant share per role: A | B", "dominant share", 0, rs,
             labels, 2, share_chart, why, whylen) != 0)
        return -1;
    return draw(dir, "compare-utilisation", "Cluster utilisation: A | B", "fraction used", 1.0, rs,
                labels, 2, use_chart, why, whylen);
}
