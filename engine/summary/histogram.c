/*
 * histogram.c — a series counted on round bin edges (see histogram.h).
 */
#include "summary/histogram.h"

#include <math.h>
#include <string.h>

#include "sample/block.h"

int wa_hist_plan(wa_hist *h, double lo, double hi, size_t target)
{
    memset(h, 0, sizeof *h);
    if (!isfinite(lo) || !isfinite(hi))
        return -1;
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (target < 1)
        target = 1;
    if (target > WA_HIST_MAXBINS / 2)
        target = WA_HIST_MAXBINS / 2;
    double span = hi - lo;
    if (!isfinite(span))
        return -1;
    /* a single value: a bin of a round width about a tenth of its size (or 1) */
    double raw = span > 0 ? span / (double)target : (lo != 0 ? fabs(lo) / 10 : 1);
    wa_nice step = wa_nice_step(raw);
    for (;;) {
        /* lo and hi within 2^52 steps of 0, as wa_nice_floor needs */
        double w = wa_nice_value(step);
        if (fabs(lo) / w < 0x1p52 && fabs(hi) / w < 0x1p52) {
            int64_t first = wa_nice_floor(step, lo), last = wa_nice_ceil(step, hi);
            /* hi on an edge would count as above: one more bin takes it in */
            if (wa_nice_mul(step, last) <= hi)
                last++;
            if (last - first <= WA_HIST_MAXBINS) {
                h->step = step;
                h->first = first;
                h->nbins = (size_t)(last - first);
                break;
            }
        }
        /* more bins than room (rounding outwards added a few), or values too far from 0
           for this step: the next round step; past the largest (5 x 10^22), a range wider
           than WA_HIST_MAXBINS of it or values beyond about 10^38 have no histogram */
        wa_nice next = wa_nice_step(w * 1.5);
        if (next.mant == step.mant && next.exp == step.exp)
            return -1;
        step = next;
    }
    for (size_t i = 0; i <= h->nbins; i++)
        h->edge[i] = wa_nice_mul(h->step, h->first + (int64_t)i);
    return 0;
}

/* The bin of x: -1 below edge 0, nbins from the last edge on. A first guess from the
   step, then settled against the edges themselves, so that a value on an edge counts in
   the bin it starts, exactly as the edges say. */
static long bin_of(const wa_hist *h, double w, double x)
{
    long nb = (long)h->nbins;
    double t = (x - h->edge[0]) / w;
    long g = !(t > -1) ? -1 : !(t < (double)nb) ? nb : (long)floor(t);
    while (g >= 0 && x < h->edge[g])
        g--;
    while (g < nb && x >= h->edge[g + 1])
        g++;
    return g;
}

void wa_hist_add_block(wa_hist *h, const wa_series *s, size_t i0, size_t m)
{
    if (h->nbins == 0)
        return;
    /* the block's own counts (below, the bins, above), added to h at the end: the
       accumulator a block's owner would send to be merged */
    uint32_t c[WA_HIST_MAXBINS + 2];
    memset(c, 0, (h->nbins + 2) * sizeof *c);
    double w = wa_nice_value(h->step);
    const double *a = wa_trials_read(s->t, s->a, i0, m);
    const double *b = s->b != WA_NO_SERIES ? wa_trials_read(s->t, s->b, i0, m) : NULL;
    for (size_t i = 0; i < m; i++) {
        double x = b ? a[i] - b[i] : a[i];
        c[bin_of(h, w, x) + 1]++;
    }
    h->below += c[0];
    for (size_t b = 0; b < h->nbins; b++)
        h->count[b] += c[b + 1];
    h->above += c[h->nbins + 1];
}

void wa_hist_count(wa_hist *h, const wa_series *s)
{
    h->below = h->above = 0;
    memset(h->count, 0, sizeof h->count);
    for (size_t i0 = 0; i0 < s->n; i0 += WA_BLOCK)
        wa_hist_add_block(h, s, i0, s->n - i0 < WA_BLOCK ? s->n - i0 : WA_BLOCK);
}
