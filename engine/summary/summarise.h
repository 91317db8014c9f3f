/*
 * summarise.h — from per-trial present values to the figures of SPEC §2 (a wa_result).
 */
#ifndef WA_SUMMARISE_H
#define WA_SUMMARISE_H

#include "load/model.h"
#include "simulate/trials.h"

/* What the run was, for the summary's header fields. Strings are copied. */
typedef struct wa_run_info {
    const char *file, *scenario, *variant, *currency, *description;
    uint64_t trials, seed;
    wa_method method;
    double confidence;
    const char *const *warnings;
    size_t nwarnings;
    int threads;    /* >= 1: series are summarised in parallel, each on its own */
    unsigned replicates; /* sobol: the intervals come from the replicates' spread */
} wa_run_info;

/* Summarises the trials tr (tr->n == info->trials) into a new result; they are only read
   (no copy, no per-trial scratch), by one thread at a time when they are regenerated. With reuse and same (NULL: none), the series o with same[o] != 0 are
   the very series reuse was summarised from (a study's point that leaves them untouched):
   their figures are copied rather than computed again, and every figure is still the one
   a whole summary gives, bit for bit. NULL when out of memory. */
wa_result *wa_summarise(const wa_model *m, const wa_run_info *info, wa_trials *tr,
                        const wa_result *reuse, const unsigned char *same);

/* vendor_figures.c: the vendor's side of a summary whose walk is set (SPEC 2), from the
   model's vendor series; nothing without a vendor section. In three steps, so that its
   tasks can read the trials side by side with others (trials.h): wa_vendor_begin, then
   every task i < wa_vendor_tasks in any order, each reading its own series, then, once
   the offers' advantages and the ceilings are known, wa_vendor_end. begin and task give
   -1 when out of memory. */
int wa_vendor_begin(wa_result *r, const wa_model *m, uint64_t n);
size_t wa_vendor_tasks(const wa_model *m, uint64_t n);
int wa_vendor_task(wa_result *r, const wa_model *m, wa_trials *tr, size_t i);
void wa_vendor_end(wa_result *r, const wa_model *m, uint64_t n);

/* Sets the elapsed time (measured by the caller, around simulation and summary). */
void wa_result_set_elapsed(wa_result *r, double seconds);

#endif
