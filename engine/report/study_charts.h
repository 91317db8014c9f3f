/*
 * study_charts.h — the charts of the studies (SPEC 3, --report and --charts for sweep and
 * solve), drawn from the public accessors with the primitives of svg.h:
 *
 *   sweep    one varied name: per offer, P(walk beats) against its values, with the 95%
 *            band, the verdicts' lines at c and 1 - c, and P(deal) with a vendor section
 *   heatmap  two varied names: per offer, P(walk beats) over the grid, with its c and
 *            1 - c contours and the cells both sides prefer outlined
 *   solve    the solve's figure at every run against NAME, with the 95% band, the target
 *            and each crossing with its Monte Carlo interval
 */
#ifndef WA_REPORT_STUDY_CHARTS_H
#define WA_REPORT_STUDY_CHARTS_H

#include <stdio.h>

#include "walkaway.h"

/* The most points a sweep's chart draws: a grid of 100 x 100 cells, or a line of 10,000
   points. */
#define WA_SWEEP_CHART_POINTS 10000

/* "sweep" (one varied name) or "heatmap" (two), or NULL when the sweep has no charts (more
   names, or more points than WA_SWEEP_CHART_POINTS). */
const char *wa_sweep_chart_kind(const wa_sweep *s);

/* Draws offer k's chart of sweep s (which has one) as an <svg> element whose inner ids
   start with id; standalone: a whole SVG document. 0, or -1 when a write failed or memory
   ran out (errno ENOMEM). */
int wa_sweep_chart_draw(FILE *f, const wa_sweep *s, size_t k, const char *id, int standalone);

/* Draws the chart of solve s, as wa_sweep_chart_draw. */
int wa_solve_chart_draw(FILE *f, const wa_solve *s, const char *id, int standalone);

#endif
