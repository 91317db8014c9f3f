/*
 * simulate.h — the block engine: every trial's present value of every option.
 *
 * Trials run in blocks of WA_BLOCK. In a block each sampled input fills a column from its
 * own stream, keyed by (seed, input, block) — never by thread — derived inputs are
 * evaluated in dependency order as column programs, and each option's present value
 * accumulates item by item straight into the caller's per-trial arrays. Blocks are
 * independent, so any number of threads gives the same bits.
 */
#ifndef WA_SIMULATE_H
#define WA_SIMULATE_H

#include <stdint.h>

#include "load/model.h"
#include "sample/block.h"

typedef struct wa_sim_request {
    const wa_model *model;
    uint64_t first;       /* the first trial to run, a multiple of WA_BLOCK (0 for a whole run) */
    uint64_t trials;      /* run trials first .. trials - 1 */
    uint64_t total;       /* for progress: the trials the whole run may take */
    uint64_t seed;
    wa_method method;     /* monte-carlo, latin-hypercube or sobol (uniforms.h) */
    int threads;          /* >= 1 */
    wa_progress_fn progress;
    void *progress_ctx;
    /* NULL: every option. Otherwise only the options o with options[o] != 0 are computed
       (pv[o] of the others is not touched, and may be NULL), with only the inputs they read
       drawn and evaluated: each, bit for bit, as a whole run computes it. */
    const unsigned char *options;
    /* NULL: workspaces made and freed by the call. Otherwise kept in the pool from one
       call to the next (a study's runs), so that memory already touched is reused. */
    struct wa_sim_pool *pool;
    unsigned replicates;  /* sobol: the scenario's simulation.replicates (uniforms.h) */
    wa_progress_cancel_fn cancel; /* nonzero from it (with progress_ctx) stops the run */
    uint64_t out0;        /* trial t goes to pv[o][t - out0]: 0, or a window's first trial */
    /* NULL: non-finite values are said (WA_EINVALID) at the end of the call. Otherwise
       their counts are added to tally (wa_sim_tally_size entries, zeroed by the caller)
       and said by wa_sim_tally_report: a run simulated window by window says them once */
    uint64_t *tally;
} wa_sim_request;

/* Per-thread workspaces kept from one simulation to the next; one user at a time. */
typedef struct wa_sim_pool wa_sim_pool;
wa_sim_pool *wa_sim_pool_new(void); /* NULL when out of memory */
void wa_sim_pool_free(wa_sim_pool *p);

/* The uniform draw u of every sampled input of m for one block of n trials, exactly as
   the simulation draws it (after the copula), into cols + slot * WA_BLOCK: what its
   inverse CDF turns into its value. cols holds m->nslots columns of WA_BLOCK, perm
   WA_BLOCK entries, zcols m->corr.k pointers. 0, or -1 when out of memory. */
int wa_sim_uniforms(const wa_model *m, wa_method method, unsigned replicates, uint64_t seed,
                    uint64_t block,
                    size_t n, double *cols, uint32_t *perm, double **zcols);

/* The entries of a tally (wa_sim_request.tally), and what it says: WA_OK when every value
   was finite, else WA_EINVALID with the errors a whole run of `trials` trials gives. */
size_t wa_sim_tally_size(const wa_model *m);
wa_status wa_sim_tally_report(const wa_model *m, const uint64_t *tally, uint64_t trials,
                              wa_diagnostics *d);

/* Fills pv[o][first - out0 .. trials - out0) with option o's present value for
   o < model->noptions. Returns WA_OK; WA_ENOMEM when a workspace cannot be had; WA_EINVALID when an expression or a
   present value came out NaN or infinite in some trial (one error per expression, naming
   it, its location and how many trials it affected). */
wa_status wa_simulate(const wa_sim_request *rq, double *const *pv, wa_diagnostics *d);

/* One what-if of a batch (wa_simulate_batch): its model, the options it computes
   (not NULL), for each of its slots the base model's slot that holds the very same column
   (-1: its own), and its per-trial arrays for those options. */
typedef struct wa_sim_point {
    const wa_model *model;
    const unsigned char *options;
    const int *from_base;
    double *const *pv;
} wa_sim_point;

/* Whether the point can share a batch: none of the inputs it computes itself is
   correlated (their draws would go through a copula of their own). */
int wa_sim_point_batchable(const wa_sim_point *pt);

/* Simulates npts batchable points on rq's trials, seed and method, rq->model being their
   base: per block, the base's inputs that any point shares are drawn and evaluated once,
   then each point computes its own inputs and its options, reading shared columns from
   the base's. Each point's arrays are bit for bit what wa_simulate gives it alone. Returns
   as wa_simulate; when a point's values are not finite, *bad (not NULL) gets its index. */
wa_status wa_simulate_batch(const wa_sim_request *rq, const wa_sim_point *pts, size_t npts,
                            size_t *bad, wa_diagnostics *d);

#endif
