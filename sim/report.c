/* report.c: the summary table, the comparison and the CSV (see report.h). */
#include "sim/report.h"

#include <stdlib.h>
#include <string.h>

#include "sim/output.h"

#define NS_PER_S ((double)HDRF_SECOND)

/* ---- the window ------------------------------------------------------------------------- */

report_window report_default_window(hdrf_time duration)
{
    return (report_window){duration / 2, duration};
}

/* "600 s", or "0.5 s" for a time that is no whole second. */
static const char *secs(char *buf, size_t len, hdrf_time t)
{
    if (t % HDRF_SECOND == 0)
        snprintf(buf, len, "%lld s", (long long)(t / HDRF_SECOND));
    else
        snprintf(buf, len, "%.3f s", (double)t / NS_PER_S);
    return buf;
}

#define WINDOW_SYNTAX "expected FROM[-TO], Mesos durations such as 10mins-30mins or 10mins"

int report_window_parse(const char *text, hdrf_time duration, report_window *w, char *why,
                        size_t whylen)
{
    char from[128], a[32], b[32], d[32];
    const char *dash = *text ? strchr(text + 1, '-') : NULL;
    size_t n = dash ? (size_t)(dash - text) : strlen(text);
    hdrf_time f, t = duration;
    snprintf(from, sizeof from, "%.*s", (int)(n < sizeof from ? n : sizeof from - 1), text);
    if (!*text || !hdrf_duration_parse(from, &f) || (dash && !hdrf_duration_parse(dash + 1, &t))) {
        const char *bad = !*text || !hdrf_duration_parse(from, &f) ? from : dash + 1;
        output_say(why, whylen, "--window %s: \"%s\" is not a duration (" WINDOW_SYNTAX ")", text,
                   bad);
        return -1;
    }
    secs(a, sizeof a, f);
    secs(b, sizeof b, t);
    secs(d, sizeof d, duration);
    if (dash && f >= t)
        output_say(why, whylen, "--window %s: FROM (%s) must come before TO (%s)", text, a, b);
    else if (t > duration)
        output_say(why, whylen, "--window %s: TO (%s) is past the end of the run (%s)", text, b, d);
    else if (f >= duration)
        output_say(why, whylen, "--window %s: FROM (%s) must come before the end of the run (%s)",
                   text, a, d);
    else {
        *w = (report_window){f, t};
        return 0;
    }
    return -1;
}

static report_window window_of(const sim_result *r, const report_window *w)
{
    return w ? *w : report_default_window(r->duration);
}

static bool in_window(const sim_result *r, size_t s, report_window w)
{
    return r->times[s] >= w.from && r->times[s] < w.to;
}

size_t report_window_samples(const sim_result *r, const report_window *w)
{
    report_window v = window_of(r, w);
    size_t n = 0;
    for (size_t s = 0; s < r->nsamples; s++)
        n += in_window(r, s, v);
    return n;
}

double report_avg_share(const sim_result *r, size_t e, const report_window *w)
{
    report_window v = window_of(r, w);
    double sum = 0;
    size_t n = 0;
    for (size_t s = 0; s < r->nsamples; s++)
        if (in_window(r, s, v)) {
            sum += r->share[sim_at(r, s, e)];
            n++;
        }
    return n ? sum / (double)n : 0;
}

/* The mean over the window of v[s * stride + k], as a fraction of
 * resource k's total. */
static double held_mean(const sim_result *r, const report_window *w, const int64_t *v,
                        size_t stride, size_t k)
{
    report_window x = window_of(r, w);
    double sum = 0;
    size_t n = 0;
    for (size_t s = 0; s < r->nsamples; s++)
        if (in_window(r, s, x)) {
            sum += (double)v[s * stride + k];
            n++;
        }
    return n && r->res_total[k] ? sum / (double)n / (double)r->res_total[k] : 0;
}

double report_avg_res_share(const sim_result *r, size_t e, size_t k, const report_window *w)
{
    return held_mean(r, w, &r->held[e * r->nres], r->nentities * r->nres, k);
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

double report_avg_use(const sim_result *r, size_t k, const report_window *w)
{
    return held_mean(r, w, r->used, r->nres, k);
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

/* The entity's name, indented by depth for roles. */
static const char *indented(const sim_entity *s, char *buf, size_t len)
{
    snprintf(buf, len, "%*s%s", s->is_role ? 2 * s->depth : 0, "", s->name);
    return buf;
}

static void entity_row(FILE *out, const sim_result *r, size_t i, const report_window *w)
{
    const sim_entity *s = &r->entities[i];
    char name[64];
    char weight[16] = "";
    if (s->is_role)
        snprintf(weight, sizeof weight, "%.2f", s->weight);
    fprintf(out, "%-28s %6s %6.3f %9.3f %9.3f %9ld %9ld %9.2f %9.2f\n",
            indented(s, name, sizeof name), weight, s->fair, report_avg_share(r, i, w),
            report_final_share(r, i), s->launched, s->finished, report_mean_wait(s),
            report_p99_wait(s));
}

/* The width of resource k's column: its name, at least a share's. */
static int res_width(const sim_result *r, size_t k)
{
    size_t n = strlen(r->res_names[k]);
    return n > 8 ? (int)n : 8;
}

/* Per role and framework, the average share of each resource. */
static void resource_rows(FILE *out, const sim_result *r, const report_window *w)
{
    char name[64];
    fprintf(out, "%-28s", "role / framework");
    for (size_t k = 0; k < r->nres; k++)
        fprintf(out, " %*s", res_width(r, k), r->res_names[k]);
    fputc('\n', out);
    for (size_t i = 0; i < r->nentities; i++) {
        if (i == r->nroles)
            fprintf(out, "frameworks\n");
        fprintf(out, "%-28s", indented(&r->entities[i], name, sizeof name));
        for (size_t k = 0; k < r->nres; k++)
            fprintf(out, " %*.3f", res_width(r, k), report_avg_res_share(r, i, k, w));
        fputc('\n', out);
    }
}

/* "from 60 s to 120 s of 120 s (60 samples)". */
static void window_text(FILE *out, const sim_result *r, const report_window *w)
{
    report_window v = window_of(r, w);
    char a[32], b[32], d[32];
    fprintf(out, "from %s to %s of %s (%zu samples)", secs(a, sizeof a, v.from),
            secs(b, sizeof b, v.to), secs(d, sizeof d, r->duration), report_window_samples(r, w));
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

int report_summary(FILE *out, const sim_result *r, const char *title, const report_window *w)
{
    double simulated = (double)r->duration / NS_PER_S;
    fprintf(out,
            "%s: %zu agents, %zu frameworks, %.0f s simulated in %.2f s wall (%.0f "
            "simulated s per wall s)\nconfiguration: %s\n",
            title, r->nagents, r->nframeworks, simulated, r->wall,
            r->wall > 0 ? simulated / r->wall : 0, r->config);
    if (r->description)
        wrapped(out, "scenario: ", r->description, 92);
    for (size_t i = 0; i < r->nwarnings; i++)
        wrapped(out, "warning: ", r->warnings[i], 92);
    fprintf(out, "window: averages ");
    window_text(out, r, w);
    fprintf(out, "; counts and waits over the whole run\n\n");
    fprintf(out, "%-28s %6s %6s %9s %9s %9s %9s %9s %9s\n", "role / framework", "weight", "fair",
            "avg share", "final", "launched", "finished", "mean wait", "p99 wait");
    for (size_t i = 0; i < r->nentities; i++) {
        if (i == r->nroles)
            fprintf(out, "frameworks\n");
        entity_row(out, r, i, w);
    }
    fprintf(out, "(avg share: the dominant share of what running tasks hold, averaged over the "
                 "window; final: at the end; fair: the weighted fair share; waits in seconds)\n\n");
    fprintf(out, "average share of each resource over the window (held / cluster total):\n");
    resource_rows(out, r, w);
    fputc('\n', out);
    fprintf(out, "%-12s %14s %10s %10s\n", "resource", "total", "avg used", "final");
    for (size_t k = 0; k < r->nres; k++)
        fprintf(out, "%-12s %14.3f %9.1f%% %9.1f%%%s\n", r->res_names[k],
                (double)r->res_total[k] / 1000.0, 100 * report_avg_use(r, k, w),
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
                   const char *lb, const report_window *w)
{
    report_window v = window_of(a, w); /* one window for both */
    char name[64];
    fprintf(out, "comparison: A = %s (%s)\n            B = %s (%s)\nwindow: averages of both ", la,
            a->config, lb, b->config);
    window_text(out, a, &v);
    if (report_window_samples(b, &v) != report_window_samples(a, &v))
        fprintf(out, " (B: %zu samples)", report_window_samples(b, &v));
    fprintf(out, "\n\n%-24s %8s %8s %8s %9s %8s %8s %10s %10s %9s\n", "role / framework", "fair",
            "avg A", "avg B", "avg B-A", "final A", "final B", "launched A", "launched B",
            "p99 wait A/B");
    for (size_t i = 0; i < a->nentities; i++) {
        const sim_entity *s = &a->entities[i];
        long j = report_entity(b, s->name, s->is_role);
        if (j < 0)
            continue;
        if (i == a->nroles)
            fprintf(out, "frameworks\n");
        double aa = report_avg_share(a, i, &v), ab = report_avg_share(b, (size_t)j, &v);
        fprintf(out, "%-24s %8.3f %8.3f %8.3f %+9.3f %8.3f %8.3f %10ld %10ld %6.1f/%.1f\n",
                indented(s, name, sizeof name), s->fair, aa, ab, ab - aa, report_final_share(a, i),
                report_final_share(b, (size_t)j), s->launched, b->entities[j].launched,
                report_p99_wait(s), report_p99_wait(&b->entities[j]));
    }
    fprintf(out, "\naverage share of each resource over the window, A/B:\n%-24s",
            "role / framework");
    for (size_t k = 0; k < a->nres; k++)
        fprintf(out, " %13s", a->res_names[k]);
    fputc('\n', out);
    for (size_t i = 0; i < a->nentities; i++) {
        const sim_entity *s = &a->entities[i];
        long j = report_entity(b, s->name, s->is_role);
        if (j < 0)
            continue;
        if (i == a->nroles)
            fprintf(out, "frameworks\n");
        fprintf(out, "%-24s", indented(s, name, sizeof name));
        for (size_t k = 0; k < a->nres; k++) {
            long kb = -1;
            for (size_t x = 0; x < b->nres; x++)
                if (strcmp(b->res_names[x], a->res_names[k]) == 0)
                    kb = (long)x;
            double sb = kb < 0 ? 0 : report_avg_res_share(b, (size_t)j, (size_t)kb, &v);
            fprintf(out, "   %5.3f/%5.3f", report_avg_res_share(a, i, k, &v), sb);
        }
        fputc('\n', out);
    }
    fprintf(out, "\n%-12s %10s %10s\n", "resource", "avg use A", "avg use B");
    for (size_t k = 0; k < a->nres && k < b->nres; k++)
        fprintf(out, "%-12s %9.1f%% %9.1f%%\n", a->res_names[k], 100 * report_avg_use(a, k, &v),
                100 * report_avg_use(b, k, &v));
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
        csv_row(out, r, s, "cluster_total", "*", 1.0, 1.0, r->res_total, 0, 0);
    }
    return ferror(out) ? -1 : 0;
}
