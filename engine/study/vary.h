/*
 * vary.h — what a study varies: `--vary NAME=FROM:TO:STEPS` or `--vary NAME=V1,V2,...`
 * for a sweep, `--vary NAME=FROM:TO` for a solve (SPEC 3), NAME an input (`uplift`) or a parameter of an input's distribution
 * (`migration.p90`), each value turned into the `--set` change that makes it.
 *
 * Checked against the scenario before anything runs: a misspelt name, an unknown
 * parameter or a malformed range is a usage error (WA_EUSAGE) with a suggestion.
 */
#ifndef WA_STUDY_VARY_H
#define WA_STUDY_VARY_H

#include <stddef.h>

#include "walkaway.h"

struct yd_node;

typedef struct wa_vary {
    char *name;     /* as written: "uplift" or "migration.p90" */
    char *input;    /* the input it changes: "migration" */
    const char *param; /* "p90" (inside name), or NULL for the input itself */
    const struct yd_node *def; /* the input's definition (borrowed from the scenario) */
    double *values; /* in the order given; a range's two ends for wa_vary_parse_range */
    size_t nvalues;
    char **sets;    /* per value, the --set change "migration={dist: ..., p90: 2.5e6}" */
} wa_vary;

/* Parses spec ("NAME=FROM:TO:STEPS" or "NAME=V1,V2,...") against sc, whose inputs are
   those of variant `variant` (-1: the base). Returns WA_OK with *out filled (free with
   wa_vary_clear), WA_EUSAGE with a diagnostic, or WA_ENOMEM. */
wa_status wa_vary_parse(const char *spec, const wa_scenario *sc, long variant, wa_vary *out,
                        wa_diagnostics *d);

/* The same for a range "NAME=FROM:TO" (FROM < TO): values holds the two ends and sets is
   NULL; what each value sets comes from wa_vary_set. */
wa_status wa_vary_parse_range(const char *spec, const wa_scenario *sc, long variant,
                              wa_vary *out, wa_diagnostics *d);

/* The --set change that gives the varied name the value x; malloc'ed, NULL when out of
   memory. */
char *wa_vary_set(const wa_vary *v, double x);

void wa_vary_clear(wa_vary *v);

/* The largest number of points a study may have: a grid beyond it is a usage error (it
   would hold every point's result). */
#define WA_MAX_POINTS 1000000

#endif
