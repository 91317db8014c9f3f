/*
 * html.h — the run report as one self-contained HTML page (SPEC 3, --report FILE.html).
 *
 * The page opens with the contents and the answer of every run it holds, so it cannot be
 * streamed: each run's section is rendered into memory as it comes (the run may be freed
 * afterwards), and the whole page is written at the end.
 */
#ifndef WA_REPORT_HTML_H
#define WA_REPORT_HTML_H

#include <stdio.h>

#include "walkaway.h"

typedef struct wa_html wa_html;

wa_html *wa_html_new(void); /* NULL when out of memory */
void wa_html_free(wa_html *h);
/* Renders one run's section, its entry in the contents and its answer. 0, or -1 with errno
   ENOMEM. */
int wa_html_item(wa_html *h, const wa_result *r);
/* The same for a sweep (its answer, then per offer its chart and table) and a solve
   (its answer in words and its chart). */
int wa_html_sweep(wa_html *h, const wa_sweep *s);
int wa_html_solve(wa_html *h, const wa_solve *s);
/* Writes the whole page to f. 0, or -1 when a write failed (errno, ferror) or memory ran
   out (ENOMEM). */
int wa_html_end(FILE *f, wa_html *h);

#endif
