/*
 * insight.h — what drives the answer and what is worth finding out (SPEC §2): the figures
 * that need more than one series at a time, added to a summarised result.
 *
 *   percentiles   p1 ... p99 of every option's cost and every offer's advantage, and the
 *                 0.1% grid of every cost that the dominance is read from;
 *   ranking       every option by mean cost, with p_best, and stochastic dominance;
 *   certainty     with risk_tolerance, every option's certainty equivalent;
 *   share         concession_needed_share, the c-quantile of D / O;
 *   sensitivity   per offer and sampled input: Spearman, tornado swings, contribution,
 *                 decile means (pass.c, sensitivity.c);
 *   voi           EVPI and each sampled input's EVPPI (pass.c, voi.c).
 *
 * Every figure comes from accumulators of blocks of trials merged in block order, or from
 * one series read by one thread, so it is the same for any number of threads.
 */
#ifndef WA_INSIGHT_H
#define WA_INSIGHT_H

#include <stdint.h>

#include "load/model.h"
#include "simulate/trials.h"
#include "walkaway.h"

typedef struct wa_insight_request {
    const wa_model *model;
    wa_trials *trials_of; /* per option, every trial's present value */
    uint64_t trials, seed;
    wa_method method;
    int threads;
    unsigned replicates;  /* sobol: simulation.replicates */
} wa_insight_request;

/* Adds the insight to r, a result wa_summarise made from the same trials. Returns 0, or -1
   when out of memory (r is then left without some of the figures). */
int wa_insight(const wa_insight_request *rq, wa_result *r);

#endif
