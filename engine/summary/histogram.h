/*
 * histogram.h — a series counted on round bin edges, for the charts (SPEC 3, --report).
 *
 * The edges are the multiples of a round step (1, 2 or 5 times a power of ten, util/nice.h)
 * between two round bounds, so that a chart's ticks fall on them and 0, when in range, is
 * an edge. Counting is mergeable: each block of WA_BLOCK trials is counted on its own and
 * its counts added to the histogram in block order, as a run beyond the memory budget or a
 * process of an MPI run will do with the blocks it holds. The counts are integers, so the
 * result is the same for any split of the blocks among threads or processes.
 */
#ifndef WA_HISTOGRAM_H
#define WA_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "summary/stats.h"
#include "util/nice.h"

#define WA_HIST_MAXBINS 64

typedef struct wa_hist {
    wa_nice step;          /* the bins' width */
    int64_t first;         /* edge 0 is first × step */
    size_t nbins;          /* 0: no histogram */
    double edge[WA_HIST_MAXBINS + 1]; /* edge i = (first + i) × step, exactly rounded */
    uint64_t below, above; /* x < edge[0]; x >= edge[nbins] (NaN counts below) */
    uint64_t count[WA_HIST_MAXBINS]; /* edge[i] <= x < edge[i + 1] */
} wa_hist;

/* Plans bins over [lo, hi] (either order): about `target` of them (1 .. WA_HIST_MAXBINS /
   2), the bounds rounded outwards to the step, so that lo and hi are inside; a single value
   gets a bin of its own. Counts are zeroed. Returns 0, or -1 when lo or hi is not finite
   or the largest round step (5 x 10^22) cannot serve: a range wider than WA_HIST_MAXBINS
   of it (about 3 x 10^24), or values beyond 2^52 of it (about 10^38) (nbins is then 0). */
int wa_hist_plan(wa_hist *h, double lo, double hi, size_t target);

/* Adds the values x_i, i in [i0, i0 + m), of a series (a, or a - b) to h: one block's
   counts, made on their own and then added. */
void wa_hist_add_block(wa_hist *h, const wa_series *s, size_t i0, size_t m);

/* Counts a whole series into h (zeroed first), block by block in block order. */
void wa_hist_count(wa_hist *h, const wa_series *s);

#endif
