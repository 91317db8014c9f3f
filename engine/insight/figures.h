/*
 * figures.h — the insight's figures from the pass's sums (sensitivity.c, voi.c) and from
 * the options' quantile grids (ranking.c).
 */
#ifndef WA_FIGURES_H
#define WA_FIGURES_H

#include "insight/pass.h"
#include "walkaway.h"

/* The total of lane l of input j's bin b over every group. */
double wa_pass_total(const wa_pass *p, size_t j, size_t b, size_t l);

/* Offer k's sensitivity to each of the pass's J inputs into out[0..J) (input names left to
   the caller, who sets them first: entries are then reordered, strongest first). walk:
   the walk's option index. */
void wa_sensitivity_compute(const wa_pass *p, const wa_model *m, size_t k, size_t walk,
                            uint64_t n, wa_sensitivity *out);

/* EVPI with its standard error, and each input's EVPPI with its own, into out[0..J) in
   input order (the caller ranks them). */
void wa_voi_compute(const wa_pass *p, const wa_model *m, uint64_t n, double *evpi,
                    double *evpi_se, wa_voi *out);

/* The order of the nopt options by mean (ties in file order) into order, and the pairs
   where one dominates another, read from each option's grid of WA_NGRID quantiles
   (p = 0.001 ... 0.999; NULL: none), in ranking order of the better then the worse: *nd
   of them into dom (room for nopt * (nopt - 1)). */
#define WA_NGRID 999
typedef struct wa_pair {
    size_t better, worse;
    int order;
} wa_pair;
void wa_ranking_compute(size_t nopt, const double *mean, const double *const *grid,
                        size_t *order, wa_pair *dom, size_t *nd);

#endif
