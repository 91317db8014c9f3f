/*
 * ranking.c — every option by mean cost, and stochastic dominance between them (SPEC §2),
 * read from each option's quantiles at p = 0.001, 0.002, ..., 0.999.
 *
 * Costs: smaller is better. a dominates b at first order when every quantile of a is at
 * most b's; at second order (for costs: every risk-averse buyer prefers a) when, for every
 * p on the grid, the mean of a's costs above its p-quantile is at most b's, those upper
 * tails being read from the grid (the mean of the quantiles above p). Options with the
 * very same quantiles dominate neither way.
 */
#include "insight/figures.h"

#include <stdlib.h>
#include "util/alloc.h"

static int all_le(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] <= b[i]))
            return 0;
    return 1;
}

static int same(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* tail[i] = mean of q[i .. n). */
static void upper_tails(const double *q, size_t n, double *tail)
{
    double s = 0;
    for (size_t i = n; i > 0 ? (i--, 1) : 0;) /* down, no wrap */ {
        s += q[i];
        tail[i] = s / (double)(n - i);
    }
}

void wa_ranking_compute(size_t nopt, const double *mean, const double *const *grid,
                        size_t *order, wa_pair *dom, size_t *nd)
{
    for (size_t i = 0; i < nopt; i++)
        order[i] = i;
    /* by mean, ties in file order (stable insertion) */
    for (size_t i = 1; i < nopt; i++)
        for (size_t j = i; j > 0 && mean[order[j]] < mean[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    *nd = 0;
    double *ta = wa_malloc(WA_NGRID * sizeof *ta), *tb = wa_malloc(WA_NGRID * sizeof *tb);
    for (size_t x = 0; x < nopt; x++)
        for (size_t y = 0; y < nopt; y++) {
            size_t a = order[x], b = order[y];
            if (a == b || !grid[a] || !grid[b] || same(grid[a], grid[b], WA_NGRID))
                continue;
            int ord = 0;
            if (all_le(grid[a], grid[b], WA_NGRID)) {
                ord = 1;
            } else if (ta && tb) {
                upper_tails(grid[a], WA_NGRID, ta);
                upper_tails(grid[b], WA_NGRID, tb);
                if (all_le(ta, tb, WA_NGRID))
                    ord = 2;
            }
            if (ord)
                dom[(*nd)++] = (wa_pair){a, b, ord};
        }
    wa_free(ta);
    wa_free(tb);
}
