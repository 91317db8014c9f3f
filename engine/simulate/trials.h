/*
 * trials.h — a run's per-trial present values, as the summaries read them: held whole in
 * memory, or, beyond the memory budget (SPEC 5), regenerated a window at a time.
 *
 * A window is cap trials from a multiple of cap (cap a multiple of WA_BLOCK), every series
 * at once. The streams are keyed by block, so a window simulated again holds the very
 * bits it held the first time: a reader that goes over the trials in order sees the same
 * values as in a whole run, and each of its passes costs one more simulation of the run.
 * Readers ask for ranges that never cross a multiple of WA_BLOCK (chunks of 2,048 from a
 * multiple of 2,048, or blocks), so a range is always within one window.
 *
 * One reader at a time: a window moves under every pointer taken from it.
 */
#ifndef WA_TRIALS_H
#define WA_TRIALS_H

#include <stddef.h>
#include <stdint.h>

#include "simulate/simulate.h"

typedef struct wa_trials {
    uint64_t n;          /* the run's trials */
    size_t nseries;
    double *const *pv;   /* per series: the trials [w0, w0 + wn) */
    uint64_t w0, wn;
    /* regenerated (wa_trials_windows) */
    uint64_t cap;        /* a window's trials; 0 when the trials are held whole */
    double **own;        /* the window's arrays */
    wa_sim_request rq;   /* how a window is simulated again (no progress) */
    wa_progress_fn progress; /* the first simulation's */
    uint64_t *tally;     /* non-finite values seen by wa_trials_extend (wa_sim_request) */
    wa_diagnostics *d;
    wa_status st;        /* WA_OK, or why a window could not be simulated */
} wa_trials;

/* Trials held whole: pv[k][0..n) for each of nseries series (not owned). */
void wa_trials_whole(wa_trials *t, double *const *pv, size_t nseries, uint64_t n);

/* No trials yet, to be simulated by rq (its model, seed, method, threads, options, pool,
   cancel) a window of cap trials at a time (cap rounded up to a multiple of WA_BLOCK);
   nseries arrays of cap doubles are allocated now. WA_OK or WA_ENOMEM (said in d). */
wa_status wa_trials_windows(wa_trials *t, const wa_sim_request *rq, size_t nseries,
                            uint64_t cap, wa_diagnostics *d);

/* Simulates the trials [t->n, to) for the first time, window by window, counting the
   non-finite values in t->tally; t->n becomes `to`. The last window is kept. WA_OK or
   the simulation's status (said in d); the tally is said by wa_sim_tally_report. */
wa_status wa_trials_extend(wa_trials *t, uint64_t to);

/* Makes the trials [i0, i0 + m) held, simulating their window again when they are not.
   0, or -1 when that fails (t->st says why; d has the message). */
int wa_trials_need(wa_trials *t, uint64_t i0, uint64_t m);

/* Series k's value of trial i, held (wa_trials_need): a pointer to it, and to the trials
   after it in its window. */
static inline const double *wa_trials_at(const wa_trials *t, size_t k, uint64_t i)
{
    return t->pv[k] + (i - t->w0);
}

/* wa_trials_need, then series k's m values from trial i0 (m <= WA_BLOCK). When the window
   cannot be made, zeros, and t->st says why: a reader goes on, and whoever asked for the
   reading looks at t->st at the end, as with ferror. */
const double *wa_trials_read(wa_trials *t, size_t k, uint64_t i0, size_t m);

/* Whether the trials are regenerated rather than held whole. */
static inline int wa_trials_windowed(const wa_trials *t) { return t->cap != 0; }

void wa_trials_free(wa_trials *t);

#endif
