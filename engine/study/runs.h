/*
 * runs.h — what the studies add to wa_runs (walkaway.h): a batch of runs simulated
 * together, the inputs they share with the start drawn once per block for all of them.
 */
#ifndef WA_STUDY_RUNS_H
#define WA_STUDY_RUNS_H

#include "walkaway.h"

/*
 * out[q] = what wa_runs_run(r, opts[q]) gives, for q < n, bit for bit. The runs are
 * simulated together (simulate.h, wa_simulate_batch): per block, every input they read
 * unchanged from the start is drawn and evaluated once for all of them. Memory: one
 * per-trial array per option each run changes. Runs that cannot share (another number of
 * trials, a correlated input of their own) are made one by one. On failure every out[q]
 * is NULL and *failed_at is the run that failed; returns as wa_run.
 */
wa_status wa_runs_run_batch(wa_runs *r, const wa_run_options *const *opts, size_t n,
                            wa_result **out, size_t *failed_at, wa_diagnostics *d);

#endif
