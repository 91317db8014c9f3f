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
 * One reader at a time, or several side by side through wa_trials_readers, which share
 * the windows they ask for; otherwise a window moves under every pointer taken from it.
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
    uint64_t drawn;      /* trials simulated at least once (wa_trials_defer) */
    uint64_t defer0;     /* the first trial of those deferred */
    wa_diagnostics *d;
    wa_status st;        /* WA_OK, or why a window could not be simulated */
    struct wa_readers *readers; /* wa_trials_readers running, else NULL */
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

/* The trials [t->n, to) are the run's too (t->n becomes `to`) but are not simulated now:
   the first reader that asks for them draws them, window by window, with the first
   simulation's progress and counting the non-finite values; once the last is drawn a
   non-finite value is said (wa_sim_tally_report) and t->st is its status, so that the
   readers' first pass shares the draw's simulation. The readers must go over the
   trials from the first deferred one up, as every summary does. */
void wa_trials_defer(wa_trials *t, uint64_t to);

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

/* Runs fn(ctx, i) for i < n, readers of t's regenerated trials side by side: each on a
   thread of its own (at most 32 at a time) while the calling thread simulates the windows
   they ask for. A window moves on only when every reader waits for trials it does not
   hold, to the next window one of them wants, in trial order round and round: the readers
   share the simulations, and a run costs about as many as its longest chain of passes
   rather than their sum. Each reader's figures are its own, read in trial order, so they
   do not depend on the threads. The calling thread is the only one that simulates (and
   so asks the cancel callback). Only for windowed trials in one process (under MPI every
   process must simulate the same windows in the same order): use wa_trials_side_by_side.
   When no thread can be started the readers run one after the other. */
typedef void (*wa_reader_fn)(void *ctx, size_t i);
void wa_trials_readers(wa_trials *t, size_t n, wa_reader_fn fn, void *ctx);

/* A gate between readers side by side: one reader finds something (the walk, say) that
   others need before they can start. wa_trials_wait blocks a reader until the gate is
   open, without holding back the windows the other readers wait for meanwhile;
   wa_trials_open opens it (always: a reader that failed opens it too, and says so some
   other way). Readers run one after the other (no thread, or no readers at all) when the
   opener comes before every waiter. */
typedef struct wa_gate {
    int open;
} wa_gate;
void wa_trials_wait(wa_trials *t, wa_gate *g);
void wa_trials_open(wa_trials *t, wa_gate *g);

/* Whether wa_trials_readers may run: trials regenerated by window, in one process. */
int wa_trials_side_by_side(const wa_trials *t);

/* Whether the trials are regenerated rather than held whole. */
static inline int wa_trials_windowed(const wa_trials *t) { return t->cap != 0; }

void wa_trials_free(wa_trials *t);

#endif
