/*
 * svg.h — chart primitives for the HTML report and --charts: round ticks, axes with their
 * labels, bars, lines and text, written as compact SVG.
 *
 * A chart is a fixed-size viewBox (scaled to the page's width by CSS) with a plot box
 * inside its margins; data are mapped to it by two linear axes whose ends are round ticks
 * (1, 2 or 5 times a power of ten, util/nice.h), labelled in the scenario's currency the
 * way people write money (1.2M, 500k). Every chart opens with a <title> and a <desc>, for
 * screen readers and for whoever opens the file alone. Styles are CSS classes (svg_css):
 * the page holds them once, a standalone file its own copy. Nothing here knows what a
 * result is: charts.c draws the report's charts with these.
 */
#ifndef WA_REPORT_SVG_H
#define WA_REPORT_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/nice.h"

/* A linear axis whose ends are round ticks: the ticks are t0 .. t1 times step. */
typedef struct svg_axis {
    wa_nice step;
    int64_t t0, t1;
    double lo, hi;     /* t0 × step and t1 × step: the domain */
    double px0, px1;   /* where lo and hi are drawn */
} svg_axis;

/* Plans an axis over [lo, hi] (either order; a single value is widened) with about
   `target` (>= 1) intervals between round ticks, the ends rounded outwards to ticks so that
   the range is covered, drawn from px0 to px1. */
void svg_axis_plan(svg_axis *a, double lo, double hi, int target, double px0, double px1);
/* Where v is drawn. */
double svg_map(const svg_axis *a, double v);
/* Tick j (t0 .. t1), the round number itself. */
double svg_tick(const svg_axis *a, int64_t j);

/* Tick labels. Money as people write it, one suffix per value, as many decimals as the
   step needs, no trailing zeros, a real minus sign: "0", "500k", "1.2M", "−250k", "2.5B".
   A share as a percentage: "25%", "2.5%". */
void svg_fmt_money(char *out, size_t size, double v, double step);
void svg_fmt_share(char *out, size_t size, double v, double step);

/* The style sheet every chart's classes come from (no url(), no @import). */
const char *svg_css(void);

/* One chart being written. */
typedef struct svg_chart {
    FILE *f;
    const char *id;    /* unique in the page: prefixes the ids inside the chart */
    double width, height;
    double left, right, top, bottom; /* the plot box, in the viewBox's units */
    svg_axis x, y;
} svg_chart;

/* Opens a chart of width × height with the plot box inset by the margins: the <svg> (with
   its namespace and, standalone, its own <style>), <title> and <desc> (escaped), and the
   hatch pattern id-h (pattern_class: the class of its background). */
void svg_begin(svg_chart *c, FILE *f, const char *id, int standalone, double width,
               double height, double ml, double mr, double mt, double mb, const char *title,
               const char *desc);
void svg_end(svg_chart *c);

/* Axes: ticks, grid lines across the plot, tick labels, and the axis label. kind 0: money,
   1: share. The bottom axis uses c->x, the left one c->y. */
void svg_x_axis(svg_chart *c, int kind, const char *label);
void svg_y_axis(svg_chart *c, int kind, const char *label);
/* The left axis's label alone, written along it (for an axis of categories). */
void svg_y_axis_label(svg_chart *c, const char *label);

/* Shapes in the viewBox's units. cls may be NULL; fill, when not NULL, overrides the
   class's (a pattern: "url(#c3-h)"). */
void svg_rect(svg_chart *c, double x, double y, double w, double h, const char *cls,
              const char *fill);
void svg_line(svg_chart *c, double x1, double y1, double x2, double y2, const char *cls);
/* A polyline through n points (data mapped by the axes). */
void svg_polyline(svg_chart *c, const double *x, const double *y, size_t n, const char *cls);
/* A band through n points (data mapped by the axes): along hi, then back along lo. */
void svg_band(svg_chart *c, const double *x, const double *lo, const double *hi, size_t n,
              const char *cls);
/* A dot of radius r at (x, y), in the viewBox's units. */
void svg_dot(svg_chart *c, double x, double y, double r, const char *cls);
/* n line segments in one path, xy[4i .. 4i+3] = x1 y1 x2 y2 in the viewBox's units. */
void svg_segments(svg_chart *c, const double *xy, size_t n, const char *cls);
/* Text at (x, y): anchor 's' start, 'm' middle, 'e' end; the text is escaped. */
void svg_text(svg_chart *c, double x, double y, char anchor, const char *cls, const char *text);

/* v with three significant figures, as the axes write money: "1.23M". */
void svg_money3(char *out, size_t size, double v);
/* s cut to at most max bytes on a UTF-8 boundary, with an ellipsis when cut. */
void svg_clip(char *out, size_t size, const char *s, size_t max);
/* A legend's swatch and its words at (x, y): a rect (cls, fill) or, with line_cls, a
   line. Returns where the next item starts. */
double svg_legend_item(svg_chart *c, double x, double y, const char *cls, const char *fill,
                       const char *line_cls, const char *text);
/* The chart's title, and its subtitle below when not NULL, at the top left. */
void svg_heading(svg_chart *c, const char *title, const char *subtitle);

/* s with &, <, >, " and ' escaped, for text and attributes. */
void svg_escape(FILE *f, const char *s);

#endif
