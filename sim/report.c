/* report.c: the summary table, the comparison and the CSV (see report.h). */
#include "sim/report.h"

#include <stdlib.h>
#include <string.h>

#define NS_PER_S ((double)HDRF_SECOND)

double report_avg_share(const sim_result *r, size_t e)
{
    double sum = 0;
    for (size_t s = 0; s < r->nsamples; s++)
        sum += r->share[sim_at(r, s, e)];
    return r->nsamples ? sum / (double)r->nsamples : 0;
}

double report_final_share(const sim_result *r, size_t e)
{
    return r->nsamples ? r->share[sim_at(r, r->nsamples - 1, e)] : 0;
}

double report_mean_wait(const sim_entity *s)
{
    double sum = 0;
    for (size_t i = 0; i < s->nwaits; i++)
        sum += (double)s->waits[i];
    return s->nwaits ? sum / (double)s->nwaits / NS_PER_S : 0;
}

static int by_value(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

double report_p99_wait(const sim_entity *s)
{
    if (!s->nwaits)
        return 0;
    int64_t *v = malloc(s->nwaits * sizeof *v);
    if (!v)
        return -1; /* shown as such: the table still prints */
    memcpy(v, s->waits, s->nwaits * sizeof *v);
    qsort(v, s->nwaits, sizeof *v, by_value);
    size_t rank = (s->nwaits * 99 + 99) / 100; /* nearest rank, 1-based */
    double p = (double)v[rank - 1] / NS_PER_S;
    free(v);
    return p;
}

double report_avg_use(const sim_result *r, size_t k)
{
    double sum = 0;
    for (size_t s = 0; s < r->nsamples; s++)
        sum += (double)r->used[s * r->nres + k];
    return r->nsamples && r->res_total[k] ? sum / (double)r->nsamples / (double)r->res_total[k] : 0;
}

double report_final_use(const sim_result *r, size_t k)
{
    return r->nsamples && r->res_total[k]
               ? (double)r->used[(r->nsamples - 1) * r->nres + k] / (double)r->res_total[k]
               : 0;
}

long report_entity(const sim_result *r, const char *name, bool role)
{
    size_t lo = role ? 0 : r->nroles, hi = role ? r->nroles : r->nentities;
    for (size_t i = lo; i < hi; i++)
        if (strcmp(r->entities[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- the summary --------------------------------------------------------------------------- */

static int by_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Count, mean, p99 and max of the runs of one kind, in milliseconds. */
static void cycle_stats(FILE *out, const sim_result *r, bool batch, const char *what)
{
    size_t n = 0;
    double sum = 0, *v = malloc((r->ncycles + 1) * sizeof *v);
    for (size_t i = 0; v && i < r->ncycles; i++)
        if (r->cycles[i].batch == batch) {
            v[n++] = r->cycles[i].wall * 1e3;
            sum += r->cycles[i].wall * 1e3;
        }
    if (!v || n == 0) {
        fprintf(out, "  %-22s %8zu\n", what, n);
        free(v);
        return;
    }
    qsort(v, n, sizeof *v, by_double);
    fprintf(out, "  %-22s %8zu   mean %8.3f ms   p99 %8.3f ms   max %8.3f ms   total %8.3f s\n",
            what, n, sum / (double)n, v[(n * 99 + 99) / 100 - 1], v[n - 1], sum / 1e3);
    free(v);
}

static void entity_row(FILE *out, const sim_result *r, size_t i)
{
    const sim_entity *s = &r->entities[i];
    char name[64];
    snprintf(name, sizeof name, "%*s%s", s->is_role ? 2 * s->depth : 0, "", s->name);
    char weight[16] = "";
    if (s->is_role)
        snprintf(weight, sizeof weight, "%.2f", s->weight);
    fprintf(out, "%-28s %6s %6.3f %9.3f %9.3f %9ld %9ld %9.2f %9.2f\n", name, weight, s->fair,
            report_avg_share(r, i), report_final_share(r, i), s->launched, s->finished,
            report_mean_wait(s), report_p99_wait(s));
}

static void explain_rows(FILE *out, const sim_result *r)
{
    bool header = false;
    for (size_t i = r->nroles; i < r->nentities; i++) {
        const sim_entity *s = &r->entities[i];
        bool any = false;
        for (int k = 0; k < SIM_REASONS; k++)
            any |= s->reasons[k] > 0;
        if (!any)
            continue;
        if (!header)
            fprintf(out, "\nwhy frameworks with pending tasks got no offer (allocation runs):\n");
        header = true;
        fprintf(out, "  %-26s", s->name);
        for (int k = 0; k < SIM_REASONS; k++)
            if (s->reasons[k])
                fprintf(out, " %s %ld;", hdrf_reason_name((hdrf_reason)k), s->reasons[k]);
        fputc('\n', out);
    }
}

/* `lead` then `text`, its words wrapped under one another within `width`. */
static void wrapped(FILE *out, const char *lead, const char *text, size_t width)
{
    size_t indent = strlen(lead), col = indent;
    fputs(lead, out);
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + word > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, word, out);
        col += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

int report_summary(FILE *out, const sim_result *r, const char *title)
{
    double simulated = (double)r->duration / NS_PER_S;
    fprintf(out,
            "%s: %zu agents, %zu frameworks, %.0f s simulated in %.2f s wall (%.0f "
            "simulated s per wall s)\nconfiguration: %s\n",
            title, r->nagents, r->nframeworks, simulated, r->wall,
            r->wall > 0 ? simulated / r->wall : 0, r->config);
    if (r->description)
        wrapped(out, "scenario: ", r->description, 92);
    fputc('\n', out);
    fprintf(out, "%-28s %6s %6s %9s %9s %9s %9s %9s %9s\n", "role / framework", "weight", "fair",
            "avg share", "final", "launched", "finished", "mean wait", "p99 wait");
    for (size_t i = 0; i < r->nentities; i++) {
        if (i == r->nroles)
            fprintf(out, "frameworks\n");
        entity_row(out, r, i);
    }
    fprintf(out, "(shares: dominant share of what running tasks hold; fair: the weighted fair "
                 "share; waits in seconds)\n\n");
    fprintf(out, "%-12s %14s %10s %10s\n", "resource", "total", "avg used", "final");
    for (size_t k = 0; k < r->nres; k++)
        fprintf(out, "%-12s %14.3f %9.1f%% %9.1f%%%s\n", r->res_names[k],
                (double)r->res_total[k] / 1000.0, 100 * report_avg_use(r, k),
                100 * report_final_use(r, k), r->res_fair[k] ? "" : "  (not in shares)");
    fprintf(out, "\nallocation runs (wall clock of the allocator calls):\n");
    cycle_stats(out, r, true, "batch (allocate)");
    cycle_stats(out, r, false, "event-triggered (flush)");
    fprintf(out, "  offers %ld, declined %ld\n", r->offers, r->declines);
    explain_rows(out, r);
    return ferror(out) ? -1 : 0;
}

/* ---- the comparison ------------------------------------------------------------------------ */

int report_compare(FILE *out, const sim_result *a, const char *la, const sim_result *b,
                   const char *lb)
{
    fprintf(out, "comparison: A = %s (%s)\n            B = %s (%s)\n\n", la, a->config, lb,
            b->config);
    fprintf(out, "%-24s %8s %8s %8s %8s %8s %10s %10s %9s %9s\n", "role / framework", "fair",
            "avg A", "avg B", "final A", "final B", "final B-A", "launched A", "launched B",
            "p99 wait A/B");
    for (size_t i = 0; i < a->nentities; i++) {
        const sim_entity *s = &a->entities[i];
        long j = report_entity(b, s->name, s->is_role);
        if (j < 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%*s%s", s->is_role ? 2 * s->depth : 0, "", s->name);
        if (i == a->nroles)
            fprintf(out, "frameworks\n");
        double fa = report_final_share(a, i), fb = report_final_share(b, (size_t)j);
        fprintf(out, "%-24s %8.3f %8.3f %8.3f %8.3f %8.3f %+10.3f %10ld %10ld %6.1f/%.1f\n", name,
                s->fair, report_avg_share(a, i), report_avg_share(b, (size_t)j), fa, fb, fb - fa,
                s->launched, b->entities[j].launched, report_p99_wait(s),
                report_p99_wait(&b->entities[j]));
    }
    fprintf(out, "\n%-12s %10s %10s\n", "resource", "avg use A", "avg use B");
    for (size_t k = 0; k < a->nres && k < b->nres; k++)
        fprintf(out, "%-12s %9.1f%% %9.1f%%\n", a->res_names[k], 100 * report_avg_use(a, k),
                100 * report_avg_use(b, k));
    return ferror(out) ? -1 : 0;
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static void csv_row(FILE *out, const sim_result *r, size_t s, const char *kind, const char *name,
                    double share, double fair, const int64_t *held, long running, long pending)
{
    fprintf(out, "%.3f,%s,%s,%.6f,%.6f", (double)r->times[s] / NS_PER_S, kind, name, share, fair);
    for (size_t k = 0; k < r->nres; k++)
        fprintf(out, ",%.3f", (double)held[k] / 1000.0);
    fprintf(out, ",%ld,%ld\n", running, pending);
}

int report_csv(FILE *out, const sim_result *r)
{
    fprintf(out, "time_s,kind,name,share,fair");
    for (size_t k = 0; k < r->nres; k++)
        fprintf(out, ",%s", r->res_names[k]);
    fprintf(out, ",running,pending\n");
    for (size_t s = 0; s < r->nsamples; s++) {
        long running = 0, pending = 0;
        double top = 0;
        for (size_t i = 0; i < r->nentities; i++) {
            size_t x = sim_at(r, s, i);
            const sim_entity *e = &r->entities[i];
            csv_row(out, r, s, e->is_role ? "role" : "framework", e->name, r->share[x], e->fair,
                    &r->held[x * r->nres], r->running[x], r->pending[x]);
            if (!e->is_role)
                running += r->running[x], pending += r->pending[x];
        }
        for (size_t k = 0; k < r->nres; k++)
            if (r->res_fair[k] && r->res_total[k] > 0 &&
                (double)r->used[s * r->nres + k] / (double)r->res_total[k] > top)
                top = (double)r->used[s * r->nres + k] / (double)r->res_total[k];
        csv_row(out, r, s, "cluster", "*", top, 1.0, &r->used[s * r->nres], running, pending);
    }
    return ferror(out) ? -1 : 0;
}
