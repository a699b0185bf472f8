/* plot.h: line charts as hand-written SVG, and PNG copies where a renderer
 * is installed.
 *
 * A chart is one or more panels side by side (two for a comparison), each
 * with its title, axes with round ticks, one polyline per series and a
 * legend; every panel of a chart shares the y range so that they compare
 * at a glance. Series longer than the panel's width in pixels are thinned
 * to one point per pixel column (keeping each column's extremes would hide
 * nothing at that size, but every point is kept for small series).
 *
 * PNG: `rsvg-convert` (Debian package librsvg2-bin) renders each SVG when
 * it is on PATH; without it only SVG is written.
 *
 * Inputs are borrowed. Functions return 0, or -1 with errno set. */
#ifndef HDRF_SIM_PLOT_H
#define HDRF_SIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct plot_series {
    const char *name;
    const double *y; /* n values, at the panel's x */
    bool dashed;
} plot_series;

typedef struct plot_panel {
    const char *title;
    const double *x; /* n values, increasing */
    size_t n;
    const plot_series *series;
    size_t nseries;
} plot_panel;

/* Writes `path`: the panels side by side under `title`, y from 0 to ymax
 * (ymax <= 0: the panels' largest value, rounded up), labelled `ylabel`,
 * x labelled `xlabel`. */
int plot_svg(const char *path, const char *title, const char *xlabel, const char *ylabel,
             double ymax, const plot_panel *panels, size_t npanels);

/* Renders `svg` to `png` with rsvg-convert. 1 when done, 0 when no
 * renderer is installed, -1 when it failed. */
int plot_png(const char *svg, const char *png);

#endif
