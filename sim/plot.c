/* plot.c: SVG line charts (see plot.h).
 *
 * Plain SVG 1.1 written with fprintf: no library, and files a browser or
 * any viewer opens. Coordinates are printed with one decimal, so a chart's
 * bytes depend only on its data. */
#include "plot.h"

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
#define MARGIN_T 56.0
#define LEGEND_W 190.0
#define MARGIN_B 48.0

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define NCOLORS (sizeof palette / sizeof *palette)

/* Text goes into XML: escape what XML reserves. */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
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
            fputc(*s, f);
        }
    }
}

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

static void axes(FILE *f, double ox, const plot_panel *p, double xmax, double ymax,
                 const char *xlabel, const char *ylabel)
{
    double x0 = ox + MARGIN_L, y0 = MARGIN_T + PANEL_H;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" font-weight=\"bold\">", x0,
            MARGIN_T - 12);
    put_text(f, p->title);
    fputs("</text>\n", f);
    double ys = tick_step(ymax, 5), xs = tick_step(xmax > 0 ? xmax : 1, 6);
    for (double v = 0; v <= ymax + 1e-9; v += ys) {
        double y = y0 - v / ymax * PANEL_H;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%g</text>\n",
                x0, y, x0 + PANEL_W, y, x0 - 6, y + 4, round(v * 1e6) / 1e6);
    }
    for (double v = 0; xmax > 0 && v <= xmax + 1e-9; v += xs) {
        double x = x0 + v / xmax * PANEL_W;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%g</text>\n",
                x, MARGIN_T, x, y0, x, y0 + 16, round(v * 1e6) / 1e6);
    }
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#444\"/>\n",
            x0, MARGIN_T, PANEL_W, PANEL_H);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">",
            x0 + PANEL_W / 2, y0 + 36);
    put_text(f, xlabel);
    fprintf(f, "</text>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
               "transform=\"rotate(-90 %.1f %.1f)\">",
            ox + 16, MARGIN_T + PANEL_H / 2, ox + 16, MARGIN_T + PANEL_H / 2);
    put_text(f, ylabel);
    fputs("</text>\n", f);
}

static void line(FILE *f, double ox, const plot_panel *p, size_t s, double xmax, double ymax)
{
    const plot_series *ser = &p->series[s];
    double x0 = ox + MARGIN_L, y0 = MARGIN_T + PANEL_H;
    size_t stride = p->n > 2 * (size_t)PANEL_W ? p->n / (size_t)PANEL_W : 1;
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s points=\"",
            palette[s % NCOLORS],
            ser->dashed || (s / NCOLORS) % 2 ? " stroke-dasharray=\"6 3\"" : "");
    for (size_t i = 0; i < p->n; i += stride) {
        double y = ser->y[i] > ymax ? ymax : ser->y[i];
        fprintf(f, "%.1f,%.1f ", x0 + (xmax > 0 ? p->x[i] / xmax : 0) * PANEL_W,
                y0 - y / ymax * PANEL_H);
    }
    fputs("\"/>\n", f);
    double ly = MARGIN_T + 8 + 16.0 * (double)s, lx = x0 + PANEL_W + 12;
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
            "stroke-width=\"2\"%s/>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
            lx, ly, lx + 18, ly, palette[s % NCOLORS],
            ser->dashed || (s / NCOLORS) % 2 ? " stroke-dasharray=\"6 3\"" : "", lx + 24, ly + 4);
    put_text(f, ser->name);
    fputs("</text>\n", f);
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
        for (size_t s = 0; s < panels[p].nseries; s++)
            for (size_t i = 0; i < panels[p].n; i++)
                if (panels[p].series[s].y[i] > top)
                    top = panels[p].series[s].y[i];
        if (panels[p].nseries > most)
            most = panels[p].nseries;
    }
    if (ymax <= 0)
        ymax = round_up(top);
    double w = (MARGIN_L + PANEL_W + LEGEND_W) * (double)npanels;
    double h = MARGIN_T + PANEL_H + MARGIN_B;
    if (MARGIN_T + 16.0 * (double)most + 16 > h)
        h = MARGIN_T + 16.0 * (double)most + 16;
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
        double ox = (MARGIN_L + PANEL_W + LEGEND_W) * (double)p;
        axes(f, ox, &panels[p], xmax, ymax, xlabel, ylabel);
        for (size_t s = 0; s < panels[p].nseries; s++)
            line(f, ox, &panels[p], s, xmax, ymax);
    }
    fputs("</svg>\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return -1;
    return 0;
}

/* The renderer's path when it is on PATH, in `buf`. */
static bool find_renderer(char *buf, size_t len)
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
    if (!find_renderer(exe, sizeof exe))
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
