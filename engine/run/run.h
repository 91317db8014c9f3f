/*
 * run.h — what the run stage shares with the studies built on it (study/): the caller's
 * options read by their size.
 */
#ifndef WA_RUN_H
#define WA_RUN_H

#include "walkaway.h"

/* The caller's options read into this version's struct: the fields within opt->size, the
   defaults for the rest (opt NULL: all defaults). WA_EUSAGE, with a diagnostic, for a
   size no version ever had. */
wa_status wa_run_options_read(const wa_run_options *opt, wa_run_options *o, wa_diagnostics *d);

#endif
