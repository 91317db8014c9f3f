/*
 * voi.c — value of information (SPEC §2) from the pass's sums.
 *
 * EVPI = min_o E[C_o] - E[min_o C_o]: the mean of Y = C_o* - min_o C_o over the trials
 * (o* the option with the lowest mean), with the standard error of that mean.
 *
 * EVPPI of an input X = min_o E[C_o] - E_X[min_o E[C_o | X]]. E[C_o | X] is estimated by
 * the mean of C_o over the trials in each of B equal-probability bins of X's uniform draw
 * (Sadatsafavi et al. 2013's binning of the run's own trials, no nested simulation; Strong
 * and Oakley 2013 regress instead). Two biases: the minimum of noisy bin means is too
 * low, which inflates EVPPI, most when options are close and bins hold few trials; and
 * a bin's mean hides any variation of E[C | X] inside the bin, which deflates it (of
 * order 1/B^2 for a smooth E[C | X]). The first is the larger; it shrinks like 1/n, and a
 * delete-a-group jackknife over G groups of blocks removes its 1/n term:
 * theta = G T - (G - 1) mean_g T_(-g), with standard error
 * sqrt((G - 1) / G sum_g (T_(-g) - mean)^2). The estimate is kept in [0, EVPI].
 */
#include "insight/figures.h"

#include <math.h>
#include <stdlib.h>
#include "util/alloc.h"

/* T for input j from the sums S = total - (group g's, when g < G): (min_o sum_o -
   sum_b min_o S_bo) / count. */
static double naive(const wa_pass *p, size_t O, size_t j, size_t skip)
{
    size_t B = p->B, L = p->L, G = p->G, J = p->J;
    double count = 0, sum_min = 0;
    double *tot = wa_calloc(O, sizeof *tot);
    if (!tot)
        return NAN;
    for (size_t b = 0; b < B; b++) {
        double best = 0, c = 0;
        for (size_t o = 0; o <= O; o++) {
            double s = 0;
            for (size_t g = 0; g < G; g++)
                if (g != skip)
                    s += p->bins[((g * J + j) * B + b) * L + o];
            if (o == 0) {
                c = s;
                continue;
            }
            tot[o - 1] += s;
            if (o == 1 || s < best)
                best = s;
        }
        count += c;
        if (c > 0)
            sum_min += best;
    }
    double mn = tot[0];
    for (size_t o = 1; o < O; o++)
        if (tot[o] < mn)
            mn = tot[o];
    wa_free(tot);
    return count > 0 ? (mn - sum_min) / count : NAN;
}

void wa_voi_compute(const wa_pass *p, const wa_model *m, uint64_t n, double *evpi,
                    double *evpi_se, wa_voi *out)
{
    size_t O = m->noptions, G = p->G;
    double nn = (double)n;
    *evpi = p->sy / nn;
    double var = n > 1 ? (p->syy - p->sy * p->sy / nn) / (nn - 1) : NAN;
    *evpi_se = sqrt((var > 0 ? var : 0) / nn);
    for (size_t j = 0; j < p->J; j++) {
        double full = naive(p, O, j, (size_t)-1), est = full, se = NAN;
        if (G >= 2) {
            double loo[64], mean = 0;
            for (size_t g = 0; g < G; g++) {
                loo[g] = naive(p, O, j, g);
                mean += loo[g];
            }
            mean /= (double)G;
            double ss = 0;
            for (size_t g = 0; g < G; g++)
                ss += (loo[g] - mean) * (loo[g] - mean);
            est = (double)G * full - (double)(G - 1) * mean;
            se = sqrt((double)(G - 1) / (double)G * ss);
        }
        if (!(est > 0))
            est = 0;
        if (est > *evpi)
            est = *evpi;
        out[j].evppi = est;
        out[j].evppi_se = se;
        out[j].share = *evpi > 0 ? est / *evpi : 0;
    }
}
