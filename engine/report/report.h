/*
 * report.h — the report writers: text for people, JSON and CSV for programs, of runs,
 * sweeps and solves. The public entry points are wa_report_write, wa_report_sweep_write and their
 * _buffer forms (report.c); these are the writers behind them.
 *
 * Each writer renders n results (borrowed; in the order the runs were made) to a stream,
 * reading them through the public accessors of walkaway.h only, and writes nothing else:
 * no diagnostics, no progress. They return 0, or -1 when a write failed (errno says why,
 * ferror(f) is set) or memory ran out (errno ENOMEM). Output is locale-independent: the
 * library never calls setlocale, and thousands separators are inserted by hand.
 */
#ifndef WA_REPORT_H
#define WA_REPORT_H

#include <stdio.h>

#include "walkaway.h"

/*
 * A readable report per result: header, walk position and ceilings, the options' present
 * values, then per offer how often walking beats it, by how much, the concession needed
 * and the inputs that drive it. Several results are separated by a blank line and a rule.
 */
int wa_report_text(FILE *f, const wa_result *const *r, size_t n);

/*
 * SPEC section 4: {"walkaway": version, "results": [...]}, pretty-printed, ending with a
 * newline. The seed is written as its exact decimal digits; a non-finite number (which
 * the library promises never to produce) is written as null.
 */
int wa_report_json(FILE *f, const wa_result *const *r, size_t n);

/*
 * A header row, then one row per (result, offer) with the columns of SPEC section 4.
 * RFC 4180 quoting, "\n" line ends, numbers in the shortest form that reads back to the
 * same double, an empty variant field for the base scenario and empty fields for
 * non-finite numbers.
 */
int wa_report_csv(FILE *f, const wa_result *const *r, size_t n);

/* The sweep reports (walkaway.h, wa_report_sweep_write): text tables per offer, SPEC 4's
   "sweeps" JSON, long CSV (EINVAL when the sweeps vary different names). Same returns. */
int wa_report_sweep_text(FILE *f, const wa_sweep *const *s, size_t n);
int wa_report_sweep_json(FILE *f, const wa_sweep *const *s, size_t n);
int wa_report_sweep_csv(FILE *f, const wa_sweep *const *s, size_t n);

/* The solve reports (wa_report_solve_write): the answer in sentences, SPEC 4's "solves"
   JSON, a CSV row per solve. Same returns. */
int wa_report_solve_text(FILE *f, const wa_solve *const *s, size_t n);
int wa_report_solve_json(FILE *f, const wa_solve *const *s, size_t n);
int wa_report_solve_csv(FILE *f, const wa_solve *const *s, size_t n);

#endif
