/*
 * pass.h — one pass over a run's trials that gathers, per sampled input, what sensitivity
 * and value of information are computed from (insight.h).
 *
 * Each sampled input's uniform draw u (the simulation's own, regenerated block by block
 * from the input's stream: nothing per input and trial is kept) puts each trial in one of
 * B equal-probability bins of that input. Per bin the pass sums, for every option, the
 * trials' present values, and counts the trials and, per offer, those where walking is
 * cheaper. Per input it also sums the products of the input's rank (u, or the middle of
 * u's interval for a value with an atom) and D's rank (mid-ranks, from a histogram of D),
 * for Spearman. Per trial: the cheapest option (p_best), and the sums EVPI needs.
 *
 * Blocks are summed trial by trial, then merged in block order (an ordered loop), into one
 * of G groups by block index, for the jackknife of voi.c: the sums do not depend on the
 * number of threads.
 */
#ifndef WA_PASS_H
#define WA_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "load/model.h"
#include "simulate/trials.h"

/* Per offer, D's mid-rank in (0, 1) by bucket of its histogram over [dmin, dmax]: the
   trials in a bucket share the mid-rank of the bucket's ranks (exact for a value shared
   by many trials that has its bucket alone). */
typedef struct wa_drank {
    double lo, scale;
    double *mid; /* [16,384 buckets] */
} wa_drank;

/* D = O - W's ranks from one reading of the trials; 0, or -1 when out of memory. */
int wa_drank_make(wa_drank *r, wa_trials *tr, size_t O, size_t W, double lo, double hi);
void wa_drank_free(wa_drank *r);

typedef struct wa_pass {
    size_t J;         /* sampled inputs */
    size_t *input;    /* their indices in model->inputs */
    size_t B;         /* bins per input, a multiple of 10 */
    size_t G;         /* groups of blocks */
    size_t L;         /* lanes per bin: count, each option's PV sum, each offer's beats */
    size_t SL;        /* lanes per bin of a block's own sums (pass.c: packed counts) */
    double *bins;     /* [G][J][B][L] */
    double *sgh;      /* [J][noffers]: sum (g - 1/2)(h - 1/2), g the input's rank in (0,1),
                         h D's */
    double *sg, *sgg; /* [J]: sums of g - 1/2 and its square */
    double *sh, *shh; /* [noffers] */
    uint64_t *best;   /* [noptions]: trials in which each is the cheapest of all options */
    size_t opt_star;  /* the option with the lowest mean cost */
    double sy, syy;   /* sums of Y = PV(opt_star) - min over options, and of Y^2 */
    double sum_min;   /* sum of the min over options */
    double *ce, *ce2; /* [noptions] with risk tolerance R: sums of exp((PV - max) / R) and of
                         its square */
} wa_pass;

/* What the pass needs besides the trials. */
typedef struct wa_pass_request {
    const wa_model *model;
    wa_trials *trials_of;   /* read a window at a time */
    uint64_t trials, seed;
    wa_method method;
    int threads;
    size_t walk;            /* the walk's option index (offers first) */
    const double *mean;     /* [noptions] mean cost */
    const double *max;      /* [noptions] max cost (for the certainty equivalent) */
    const double *dmin, *dmax; /* [noffers] range of D */
    const wa_drank *dr;     /* [noffers] D's ranks (wa_drank_make) */
    unsigned replicates;    /* sobol: simulation.replicates */
} wa_pass_request;

/* Runs the pass; 0, or -1 when out of memory (*p then freed). */
int wa_pass_run(const wa_pass_request *rq, wa_pass *p);
void wa_pass_free(wa_pass *p);

#endif
