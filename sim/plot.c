/* plot.c: SVG line charts (see plot.h).
 *
 * Plain SVG 1.1 written with fprintf: no library, and files a browser or
 * any viewer opens. Coordinates are printed with one decimal, so a chart's
 * bytes depend only on its data. */
#include "sim/plot.h"

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define PANEL_W 560.0
#define PANEL_H 300.0
#define MARGIN_L 60.0
#define MARGIN_T 84.0
#define LEGEND_W 240.0
#define MARGIN_B 48.0
#define LEGEND_ROW 16.0
#define PAD 0.04          /* of the y range, above ymax and below 0: lines clear the frame */
#define MARKER_EVERY 64.0 /* px between one series' markers */
#define CHAR_W 5.6        /* a 10 px sans-serif character, on average */

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define NCOLORS (sizeof palette / sizeof *palette)

/* Dash patterns, the first solid: each distinct, so that a line lying on
 * another shows both in turn. */
static const char *const dashes[] = {"none", "10 4", "3 3",          "10 3 3 3",
                                     "16 5", "2 6",  "16 3 3 3 3 3", "6 6"};
#define NDASHES (sizeof dashes / sizeof *dashes)

/* Marker shapes as path commands relative to the point marked. */
static const char *const markers[] = {
    "m -3.5,0 a 3.5,3.5 0 1,0 7,0 a 3.5,3.5 0 1,0 -7,0 z", /* circle */
    "m -3.2,-3.2 h 6.4 v 6.4 h -6.4 z",                    /* square */
    "m 0,-4.2 l 4,7 h -8 z",                               /* triangle up */
    "m 0,-4.5 l 4.5,4.5 l -4.5,4.5 l -4.5,-4.5 z",         /* diamond */
    "m 0,4.2 l 4,-7 h -8 z",                               /* triangle down */
    "m -3.5,-3.5 l 7,7 m -7,0 l 7,-7",                     /* x */
    "m -4.5,0 h 9 m -4.5,-4.5 v 9",                        /* + */
    "m 0,-4.2 l 4,2.9 l -1.5,4.7 h -5 l -1.5,-4.7 z",      /* pentagon */
};
#define NMARKERS (sizeof markers / sizeof *markers)

/* Reference lines: one dash of REF_DASH then a gap, per line of a group
 * of equal values, each line's dash after the previous one's. */
#define REF_DASH 6.0
#define REF_GAP 3.0

/* Where a panel's data goes on the page. */
typedef struct frame {
    double x0, y0; /* the plot area's left and bottom edges */
    double xmax, lo, hi;
} frame;

static double px(const frame *fr, double x)
{
    return fr->x0 + (fr->xmax > 0 ? x / fr->xmax : 0) * PANEL_W;
}

static double py(const frame *fr, double y)
{
    return fr->y0 - (y - fr->lo) / (fr->hi - fr->lo) * PANEL_H;
}

/* Text goes into XML: escape what XML reserves. */
static void put_text_n(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(s[i], f);
        }
    }
}

static void put_text(FILE *f, const char *s) { put_text_n(f, s, strlen(s)); }

/* A round step giving about `want` ticks over [0, max]. */
static double tick_step(double max, int want)
{
    double raw = max / want, mag = pow(10, floor(log10(raw))), r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

static double round_up(double v)
{
    if (v <= 0)
        return 1;
    double step = tick_step(v, 5);
    return ceil(v / step - 1e-9) * step;
}

/* `text` at (x, y) in lines of at most `width` characters, cut at spaces;
 * at most `lines` lines, the last one ending in "..." when text is left. */
static void put_lines(FILE *f, double x, double y, const char *text, size_t width, int lines)
{
    for (int l = 0; l < lines && *text; l++) {
        size_t n = strlen(text);
        bool last = l + 1 == lines;
        if (n > width) {
            n = width - (last ? 3 : 0);
            while (n > width / 2 && text[n] != ' ')
                n--;
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#444\">", x, y + 12.0 * l);
        put_text_n(f, text, n);
        fputs(last && text[n] ? "...</text>\n" : "</text>\n", f);
        text += n;
        text += strspn(text, " ");
    }
}

static void axes(FILE *f, const frame *fr, const plot_panel *p, double ymax, const char *xlabel,
                 const char *ylabel)
{
    double ox = fr->x0 - MARGIN_L, top = fr->y0 - PANEL_H;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">", fr->x0, 46.0);
    put_text(f, p->title);
    fputs("</text>\n", f);
    if (p->subtitle)
        put_lines(f, fr->x0, 60, p->subtitle, (size_t)((PANEL_W + LEGEND_W - 20) / CHAR_W), 2);
    double ys = tick_step(ymax, 5), xs = tick_step(fr->xmax > 0 ? fr->xmax : 1, 6);
    for (double v = 0; v <= ymax + 1e-9; v += ys) {
        double y = py(fr, v);
        fprintf(f,
                "<line class=\"ytick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#e0e0e0\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%g</text>\n",
                fr->x0, y, fr->x0 + PANEL_W, y, fr->x0 - 6, y + 4, round(v * 1e6) / 1e6);
    }
    for (double v = 0; fr->xmax > 0 && v <= fr->xmax + 1e-9; v += xs) {
        double x = px(fr, v);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%g</text>\n",
                x, top, x, fr->y0, x, fr->y0 + 16, round(v * 1e6) / 1e6);
    }
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#444\"/>\n",
            fr->x0, top, PANEL_W, PANEL_H);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">",
            fr->x0 + PANEL_W / 2, fr->y0 + 36);
    put_text(f, xlabel);
    fprintf(f,
            "</text>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 %.1f %.1f)\">",
            ox + 16, top + PANEL_H / 2, ox + 16, top + PANEL_H / 2);
    put_text(f, ylabel);
    fputs("</text>\n", f);
}

static double clamp(double v, double ymax) { return v > ymax ? ymax : v; }

/* The index of the point whose x is nearest to `x`. */
static size_t nearest(const plot_panel *p, double x)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->x[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == p->n)
        return p->n - 1;
    return lo > 0 && x - p->x[lo - 1] < p->x[lo] - x ? lo - 1 : lo;
}

/* One marker of series s at (x, y), as path data. */
static void marker_at(FILE *f, size_t s, double x, double y)
{
    fprintf(f, "M %.1f,%.1f %s ", x, y, markers[s % NMARKERS]);
}

static void series_line(FILE *f, const frame *fr, const plot_panel *p, size_t s, double ymax)
{
    const plot_series *ser = &p->series[s];
    const char *color = palette[s % NCOLORS];
    size_t stride = p->n > 2 * (size_t)PANEL_W ? p->n / (size_t)PANEL_W : 1;
    fprintf(f,
            "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
            "stroke-dasharray=\"%s\" points=\"",
            color, s % NDASHES == 0 ? "2.4" : "1.8", dashes[s % NDASHES]);
    for (size_t i = 0; i < p->n; i += stride)
        fprintf(f, "%.1f,%.1f ", px(fr, p->x[i]), py(fr, clamp(ser->y[i], ymax)));
    fputs("\"><title>", f);
    put_text(f, ser->name);
    fputs("</title></polyline>\n", f);
    if (p->n == 0)
        return;
    /* Markers every MARKER_EVERY px, this series' phase after the previous one's. */
    double phase = MARKER_EVERY * ((double)s + 0.5) / (double)p->nseries;
    fprintf(f, "<path class=\"markers\" fill=\"white\" stroke=\"%s\" stroke-width=\"1.4\" d=\"",
            color);
    for (double x = phase; x <= PANEL_W; x += MARKER_EVERY) {
        size_t i = nearest(p, x / PANEL_W * fr->xmax);
        marker_at(f, s, px(fr, p->x[i]), py(fr, clamp(ser->y[i], ymax)));
    }
    fputs("\"/>\n", f);
}

/* The dash pattern of series s's reference line: its dash after those of
 * the earlier series whose reference lies on the same pixel row. */
static void reference_dash(const frame *fr, const plot_panel *p, size_t s, double ymax, double *gap,
                           double *offset)
{
    double y = round(py(fr, clamp(p->series[s].reference, ymax)) * 10);
    size_t same = 0, before = 0;
    for (size_t k = 0; k < p->nseries; k++)
        if (p->series[k].reference >= 0 &&
            round(py(fr, clamp(p->series[k].reference, ymax)) * 10) == y) {
            same++;
            before += k < s;
        }
    double period = (double)same * (REF_DASH + REF_GAP);
    *gap = period - REF_DASH;
    *offset = before ? period - (double)before * (REF_DASH + REF_GAP) : 0;
}

static void reference_line(FILE *f, const frame *fr, const plot_panel *p, size_t s, double ymax)
{
    const plot_series *ser = &p->series[s];
    double gap, offset, y = py(fr, clamp(ser->reference, ymax));
    reference_dash(fr, p, s, ymax, &gap, &offset);
    fprintf(f,
            "<line class=\"reference\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"%g %g\" "
            "stroke-dashoffset=\"%g\"><title>",
            fr->x0, y, fr->x0 + PANEL_W, y, palette[s % NCOLORS], REF_DASH, gap, offset);
    put_text(f, ser->name);
    fprintf(f, " %s %.3g</title></line>\n", p->reference_name ? p->reference_name : "reference",
            ser->reference);
}

/* The legend: each series' style and name, then each reference line. */
static void legend(FILE *f, const frame *fr, const plot_panel *p)
{
    double lx = fr->x0 + PANEL_W + 12, ly = fr->y0 - PANEL_H + 10;
    for (size_t s = 0; s < p->nseries; s++, ly += LEGEND_ROW) {
        const char *color = palette[s % NCOLORS];
        fprintf(f,
                "<g class=\"legend\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"%s\" stroke-dasharray=\"%s\"/>"
                "<path fill=\"white\" stroke=\"%s\" stroke-width=\"1.4\" d=\"",
                lx, ly, lx + 30, ly, color, s % NDASHES == 0 ? "2.4" : "1.8", dashes[s % NDASHES],
                color);
        marker_at(f, s, lx + 15, ly);
        fprintf(f, "\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", lx + 36, ly + 4);
        put_text(f, p->series[s].name);
        fputs("</text></g>\n", f);
    }
    for (size_t s = 0; s < p->nseries; s++) {
        if (p->series[s].reference < 0)
            continue;
        fprintf(f,
                "<g class=\"legend\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"%g %g\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
                lx, ly, lx + 30, ly, palette[s % NCOLORS], REF_DASH, REF_GAP, lx + 36, ly + 4);
        put_text(f, p->series[s].name);
        fprintf(f, " %s %.3g</text></g>\n", p->reference_name ? p->reference_name : "reference",
                p->series[s].reference);
        ly += LEGEND_ROW;
    }
}

static size_t legend_rows(const plot_panel *p)
{
    size_t rows = p->nseries;
    for (size_t s = 0; s < p->nseries; s++)
        rows += p->series[s].reference >= 0;
    return rows;
}

int plot_svg(const char *path, const char *title, const char *xlabel, const char *ylabel,
             double ymax, const plot_panel *panels, size_t npanels)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    double xmax = 0, top = 0;
    size_t most = 0;
    for (size_t p = 0; p < npanels; p++) {
        if (panels[p].n && panels[p].x[panels[p].n - 1] > xmax)
            xmax = panels[p].x[panels[p].n - 1];
        for (size_t s = 0; s < panels[p].nseries; s++) {
            if (panels[p].series[s].reference > top)
                top = panels[p].series[s].reference;
            for (size_t i = 0; i < panels[p].n; i++)
                if (panels[p].series[s].y[i] > top)
                    top = panels[p].series[s].y[i];
        }
        if (legend_rows(&panels[p]) > most)
            most = legend_rows(&panels[p]);
    }
    if (ymax <= 0)
        ymax = round_up(top);
    double w = (MARGIN_L + PANEL_W + LEGEND_W) * (double)npanels;
    double h = MARGIN_T + PANEL_H + MARGIN_B;
    if (MARGIN_T + LEGEND_ROW * (double)most + 16 > h)
        h = MARGIN_T + LEGEND_ROW * (double)most + 16;
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\">",
            w, h, w, h);
    put_text(f, title);
    fputs("</text>\n", f);
    for (size_t p = 0; p < npanels; p++) {
        const plot_panel *pn = &panels[p];
        frame fr = {(MARGIN_L + PANEL_W + LEGEND_W) * (double)p + MARGIN_L, MARGIN_T + PANEL_H,
                    xmax, -PAD * ymax, (1 + PAD) * ymax};
        axes(f, &fr, pn, ymax, xlabel, ylabel);
        for (size_t s = 0; s < pn->nseries; s++)
            if (pn->series[s].reference >= 0)
                reference_line(f, &fr, pn, s, ymax);
        for (size_t s = 0; s < pn->nseries; s++)
            series_line(f, &fr, pn, s, ymax);
        legend(f, &fr, pn);
    }
    fputs("</svg>\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return -1;
    return 0;
}

bool plot_renderer(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, len, "%.*s/rsvg-convert", (int)n, path);
        if (n && access(buf, X_OK) == 0)
            return true;
        path = colon ? colon + 1 : NULL;
    }
    return false;
}

int plot_png(const char *svg, const char *png)
{
    char exe[4096];
    if (!plot_renderer(exe, sizeof exe))
        return 0;
    char *argv[] = {exe, "-b", "white", "-o", (char *)png, (char *)svg, NULL};
    pid_t pid;
    int status;
    if (posix_spawn(&pid, exe, NULL, NULL, argv, environ) != 0)
        return -1;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 1;
}
