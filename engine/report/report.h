/*
 * report.h — the report writers: text for people, JSON and CSV for programs, of runs,
 * sweeps and solves. The public entry points are wa_report_write, wa_report_sweep_write and their
 * _buffer forms (report.c); these are the writers behind them.
 *
 * The writers render items (borrowed; in the order the runs were made) to a stream, one at
 * a time, reading them through the public accessors of walkaway.h only, and write nothing
 * else: no diagnostics, no progress. They return 0, or -1 when a write failed (errno says
 * why, ferror(f) is set) or memory ran out (errno ENOMEM). Output is locale-independent: the
 * library never calls setlocale, and thousands separators are inserted by hand.
 */
#ifndef WA_REPORT_H
#define WA_REPORT_H

#include <stdio.h>

#include "walkaway.h"

/* The parts of a document, per format: the items are results, sweeps or solves (kind).
   Text: each item's report, separated by a rule (report.c writes the rule). JSON (SPEC
   section 4): begin, each item (i: its index, for the separators), end; byte for byte the
   whole tree printed at once. CSV: a header (for sweeps, with first's varied names; first
   NULL without items), then each item's rows (EINVAL for a sweep that varies other names
   than first). All return 0, or -1 with errno set. */
int wa_report_sweep_text_item(FILE *f, const wa_sweep *s);
int wa_report_solve_text_item(FILE *f, const wa_solve *s);
/* Whether a sweep's points carry the vendor's side (SPEC 1.6): P(deal) at every point. */
int wa_sweep_has_deal(const wa_sweep *s);
/* "70.1–70.7%": an offer's 95% interval of P(walk beats), in the estimate's own precision. */
void wa_offer_ci_text(char *out, size_t size, const wa_offer_summary *o);
/* A solve's answer in one sentence, as the text says it: crossing i (lowest value first)
   with its Monte Carlo interval, or, when nothing crosses, that there is no crossing with
   the figure at both ends. */
void wa_solve_answer(char *out, size_t size, const wa_solve *sv, size_t i);
int wa_report_json_begin(FILE *f, wa_report_kind kind);
int wa_report_json_item(FILE *f, wa_report_kind kind, const void *item, size_t i);
int wa_report_json_end(FILE *f);
/* A CSV document's columns, decided by its first item and kept, as the first item may be
   freed before later ones come: the p_deal column (the vendor's side, SPEC 4), and for
   sweeps the varied names (key, owned: free it). */
typedef struct wa_csv_columns {
    int deal;
    char *key;
} wa_csv_columns;
int wa_report_csv_columns(wa_report_kind kind, const void *first, wa_csv_columns *out);
int wa_report_csv_begin(FILE *f, wa_report_kind kind, const void *first, int deal);
int wa_report_csv_item(FILE *f, wa_report_kind kind, const void *item,
                       const wa_csv_columns *cols);

#endif
