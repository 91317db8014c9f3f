/*
 * base.h — what every study starts from: the caller's options read and checked, the
 * label of the variant and --set changes the study is built on, and a clock.
 */
#ifndef WA_STUDY_BASE_H
#define WA_STUDY_BASE_H

#include "walkaway.h"

/* The caller's options (NULL: defaults) read into o, the variant number checked.
   WA_EUSAGE with a diagnostic otherwise. */
wa_status wa_study_options(const wa_scenario *sc, const wa_run_options *opt, wa_run_options *o,
                           wa_diagnostics *d);

/* "variant, a=1, b=2" for o's variant and --set changes; *label NULL for the base with no
   --set. -1 when out of memory. */
int wa_study_label(const wa_scenario *sc, const wa_run_options *o, char **label);

/* Whether one of o's --set changes sets input. */
int wa_study_sets_input(const wa_run_options *o, const char *input);

/* A usage error of the study (WA_EUSAGE, no location) added to d; returns WA_EUSAGE. */
wa_status wa_study_usage(wa_diagnostics *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* CLOCK_MONOTONIC seconds. */
double wa_study_now(void);

#endif
