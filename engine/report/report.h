/*
 * report.h — the CLI's report formatters: text for people, JSON and CSV for programs.
 *
 * Each formatter renders n run summaries (borrowed; in the order the runs were made) to a
 * stream, and nothing else: no diagnostics, no progress. They return 0, or -1 when a write
 * failed (errno says why, ferror(f) is set) or memory ran out (errno ENOMEM). Output is
 * locale-independent: the program never calls setlocale, and thousands separators are
 * inserted by hand.
 */
#ifndef WA_REPORT_H
#define WA_REPORT_H

#include <stdio.h>

#include "walkaway.h"

typedef enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV } cli_format;

/*
 * A readable report per summary: header, walk position and ceilings, the options' present
 * values, then per offer how often walking beats it, by how much, the concession needed
 * and the inputs that drive it. Several summaries are separated by a blank line and a rule.
 */
int cli_report_text(FILE *f, const wa_summary *const *s, size_t n);

/*
 * SPEC section 4: {"walkaway": version, "results": [...]}, pretty-printed, ending with a
 * newline. The seed is written as its exact decimal digits; a non-finite number (which
 * the library promises never to produce) is written as null.
 */
int cli_report_json(FILE *f, const wa_summary *const *s, size_t n);

/*
 * A header row, then one row per (summary, offer) with the columns of SPEC section 4.
 * RFC 4180 quoting, "\n" line ends, numbers in the shortest form that reads back to the
 * same double, an empty variant field for the base scenario and empty fields for
 * non-finite numbers.
 */
int cli_report_csv(FILE *f, const wa_summary *const *s, size_t n);

#endif
