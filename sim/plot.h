/* plot.h: line charts as hand-written SVG, and PNG copies where a renderer
 * is installed.
 *
 * A chart is one or more panels side by side (two for a comparison), each
 * with its title, an optional smaller subtitle (the configuration), axes
 * with round ticks, one polyline per series and a legend; every panel of a
 * chart shares the y range so that they compare at a glance. Series longer
 * than the panel's width in pixels are thinned to one point per pixel
 * column (every point is kept for small series).
 *
 * Telling series apart. Lines of equal values lie on one another (two
 * roles at the same share), so colour alone would let the last one drawn
 * hide the others. Series i has colour i of a palette of 10, dash pattern
 * i of 8 (the first solid) and marker shape i of 8; markers sit every
 * ~64 px, each series' at its own phase, so coinciding lines show every
 * series' markers side by side, each on a real data point. Nothing is
 * moved off its value. The legend shows each series' colour, dash and
 * marker with its name.
 *
 * Reference lines. A series may carry a reference value (e.g. its weighted
 * fair share): a thin dashed horizontal line in the series' colour, listed
 * in the legend as "<name> <reference_name> <value>". References of equal
 * value interleave their dashes, so each colour shows along the line.
 *
 * For tools and tests, each element says what it is: series polylines are
 * class "series", their markers class "markers", reference lines class
 * "reference", the y axis's grid lines class "ytick" followed by their
 * label; series and reference lines hold a <title> naming them (a tooltip
 * in browsers).
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
    const double *y;  /* n values, at the panel's x */
    double reference; /* the y of this series' reference line; < 0: none */
} plot_series;

typedef struct plot_panel {
    const char *title;
    const char *subtitle; /* smaller, under the title (cut to two lines), or NULL */
    const double *x;      /* n values, increasing */
    size_t n;
    const plot_series *series;
    size_t nseries;
    const char *reference_name; /* names reference lines in the legend, e.g. "fair share" */
} plot_panel;

/* Writes `path`: the panels side by side under `title`, y from 0 to ymax
 * (ymax <= 0: the panels' largest value or reference, rounded up to a
 * tick), labelled `ylabel`,
 * x labelled `xlabel`. */
int plot_svg(const char *path, const char *title, const char *xlabel, const char *ylabel,
             double ymax, const plot_panel *panels, size_t npanels);

/* Whether rsvg-convert is on PATH; its path in `buf`. */
bool plot_renderer(char *buf, size_t len);

/* Renders `svg` to `png` with rsvg-convert. 1 when done, 0 when no
 * renderer is installed, -1 when it failed. */
int plot_png(const char *svg, const char *png);

#endif
