/*
 * charts.h — the report's charts of one run (SPEC 3, --report and --charts), drawn from
 * the public accessors with the primitives of svg.h:
 *
 *   scurves    the CDFs of W and of every offer, with the ceilings marked
 *   histogram  per offer, D = O - W with the zero line and the walk-beats share hatched
 *   tornado    per offer, mean D in each input's lowest and highest tenth of draws
 *   spider     per offer, mean D across the ten tenths of the strongest inputs
 *   evppi      what learning each input before deciding is worth, with EVPI
 *   vendor     W and the vendor's R on the same bins, with the settlement range
 *
 * A chart exists when the run has its data (a run without insight has only what its
 * summary holds: none of these). The order of wa_chart_list is the page's order.
 */
#ifndef WA_REPORT_CHARTS_H
#define WA_REPORT_CHARTS_H

#include <stddef.h>
#include <stdio.h>

#include "walkaway.h"

typedef enum wa_chart_kind {
    WA_CHART_SCURVES,
    WA_CHART_HISTOGRAM,
    WA_CHART_TORNADO,
    WA_CHART_SPIDER,
    WA_CHART_EVPPI,
    WA_CHART_VENDOR
} wa_chart_kind;

/* One chart of a run: its kind, and for the per-offer ones the offer. */
typedef struct wa_chart_ref {
    wa_chart_kind kind;
    size_t k;
} wa_chart_ref;

/* "scurves", "histogram", "tornado", "spider", "evppi", "vendor". */
const char *wa_chart_kind_name(wa_chart_kind kind);

/* Whether r has the data for chart c. */
int wa_chart_has(const wa_result *r, wa_chart_ref c);

/* r's charts in the page's order, the first cap of them into out (may be NULL with cap 0);
   returns how many there are. */
size_t wa_chart_list(const wa_result *r, wa_chart_ref *out, size_t cap);

/* Draws chart c of r as an <svg> element whose inner ids start with id (unique in the
   page); standalone: a whole SVG document with its own styles. 0, or -1 when a write
   failed (ferror). */
int wa_chart_draw(FILE *f, const wa_result *r, wa_chart_ref c, const char *id, int standalone);

/* A chart file's name, "SCENARIO-VARIANT[-OFFER]-CHART.svg" (SCENARIO: file's name without
   folder and extension, else scenario; VARIANT "base" for NULL; OFFER when not NULL), each
   part lowered to ASCII letters, digits, '.', '_' and '-', into buf as snprintf does;
   returns the whole length. */
size_t wa_chart_file_name(char *buf, size_t size, const char *file, const char *scenario,
                          const char *variant, const char *offer, const char *chart);

#endif
