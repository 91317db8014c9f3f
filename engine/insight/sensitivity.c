/*
 * sensitivity.c — per offer and sampled input: Spearman, tornado swings, contribution and
 * decile means, from the pass's sums (SPEC §2; pass.h).
 */
#include "insight/figures.h"

#include <math.h>

/* The total of lane l of input j's bin b over every group. */
double wa_pass_total(const wa_pass *p, size_t j, size_t b, size_t l)
{
    double s = 0;
    for (size_t g = 0; g < p->G; g++)
        s += p->bins[((g * p->J + j) * p->B + b) * p->L + l];
    return s;
}

static int by_strength(const void *x, const void *y)
{
    const wa_sensitivity *a = x, *b = y;
    double fa = fabs(a->spearman), fb = fabs(b->spearman);
    if (fa != fb)
        return fa > fb ? -1 : 1;
    return 0; /* equal: the stable sort below keeps the inputs' order */
}

void wa_sensitivity_compute(const wa_pass *p, const wa_model *m, size_t k, size_t walk,
                            uint64_t n, wa_sensitivity *out)
{
    size_t K = m->noffers, J = p->J, per = p->B / 10;
    double nn = (double)n, sum2 = 0;
    double mh = p->sh[k] / nn, vh = p->shh[k] / nn - mh * mh;
    for (size_t j = 0; j < J; j++) {
        wa_sensitivity *s = &out[j];
        double mg = p->sg[j] / nn, vg = p->sgg[j] / nn - mg * mg;
        double cov = p->sgh[j * K + k] / nn - mg * mh;
        s->spearman = vg > 0 && vh > 0 ? cov / sqrt(vg * vh) : 0;
        if (s->spearman > 1)
            s->spearman = 1;
        if (s->spearman < -1)
            s->spearman = -1;
        sum2 += s->spearman * s->spearman;
        for (size_t d = 0; d < 10; d++) {
            double cnt = 0, so = 0, sw = 0, beats = 0;
            for (size_t b = d * per; b < (d + 1) * per; b++) {
                cnt += wa_pass_total(p, j, b, 0);
                so += wa_pass_total(p, j, b, 1 + k);
                sw += wa_pass_total(p, j, b, 1 + walk);
                beats += wa_pass_total(p, j, b, 1 + m->noptions + k);
            }
            s->deciles_mean_advantage[d] = cnt > 0 ? (so - sw) / cnt : NAN;
            s->deciles_p_walk_beats[d] = cnt > 0 ? beats / cnt : NAN;
        }
        s->swing_mean_advantage = s->deciles_mean_advantage[9] - s->deciles_mean_advantage[0];
        s->swing_p_walk_beats = s->deciles_p_walk_beats[9] - s->deciles_p_walk_beats[0];
    }
    for (size_t j = 0; j < J; j++)
        out[j].contribution = sum2 > 0 ? out[j].spearman * out[j].spearman / sum2 : 0;
    /* strongest first; equal strengths keep the inputs' order (a stable insertion sort:
       qsort's order of equal elements is not fixed) */
    for (size_t i = 1; i < J; i++)
        for (size_t j = i; j > 0 && by_strength(&out[j - 1], &out[j]) > 0; j--) {
            wa_sensitivity t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
}
