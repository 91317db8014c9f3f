/*
 * stats.h — the summary statistics of SPEC §2 over one series of per-trial values.
 *
 * Quantiles are type 7 (numpy's default): for probability p over n sorted values x,
 * h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). They are found by
 * selection (no full sort). Functions that reorder their array say so.
 */
#ifndef WA_STATS_H
#define WA_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "walkaway.h"

/* Mean and sample standard deviation (n - 1; 0 when n == 1), two-pass with compensated
   sums, in array order (so the bits do not depend on anything but the data). */
void wa_mean_sd(const double *a, size_t n, double *mean, double *sd);

/* The type-7 quantiles of a[0..n) for the np probabilities p (each in [0,1], any order)
   into out. Reorders a. n >= 1. */
void wa_quantiles(double *a, size_t n, const double *p, size_t np, double *out);

/* mean, sd, min, max, p5 ... p95 of a[0..n). Reorders a (after the mean and sd). n >= 1. */
void wa_stats_compute(double *a, size_t n, wa_stats *out);

/* A series read in place, never reordered: x_i = a[i], or a[i] - b[i] when b is not NULL
   (an offer's advantage D = O - W without storing it). */
typedef struct wa_series {
    const double *a, *b;
    size_t n;
    int share; /* with b: x_i = (a[i] - b[i]) / a[i] (D / O); wa_series_grid only */
    const double *u; /* with b: x_i = (a[i] - b[i]) / u[i] (D / U); wa_series_grid only */
} wa_series;

/* Mean and sd (n - 1) of a series read in place, n >= 1. Vectorised: eight interleaved
   lanes of plain sums over pieces of 2,048 elements, the pieces' sums added with
   compensation (Neumaier); the sd by the corrected two-pass formula. The grouping depends
   on n alone, so the bits do not depend on threads or the instruction set. */
void wa_series_mean_sd(const wa_series *s, double *mean, double *sd);

/* wa_stats_compute, the type-7 quantiles of the nextra (at most 9) probabilities extra_p
   into extra_q, and, when mean_smallest is not NULL, the mean of the k smallest values,
   from a series left untouched, in three passes: mean, min and max; deviations (for the
   sd) with every value's bin among 4,096 over [min, max] and the bins' counts; then the
   gathering of the bins that hold a wanted rank, where selection runs on those bins alone.
   The order statistics are the same values a sort would give. No per-value scratch: the
   gathering pass bins each chunk again. Returns 0, or -1 when out of memory. */
int wa_series_stats(const wa_series *s, const double *extra_p, size_t nextra, double *extra_q,
                    size_t k, double *mean_smallest, wa_stats *out);

/* The type-7 quantiles of many probabilities p[0..np) (any order; a grid such as p1 ...
   p99) of a series left untouched, into q, given its min and max: the values' bins among
   65,536 over [min, max] are counted, the bins holding a wanted rank gathered, and
   selection runs on those alone; the same values a sort would give. Returns 0, or -1 when
   out of memory. */
int wa_series_grid(const wa_series *s, double min, double max, const double *p, size_t np,
                   double *q);

/* The type-7 p-quantile of a series left untouched (wa_series_grid after a pass for its
   min and max). Returns 0, or -1 when out of memory. */
int wa_series_quantile(const wa_series *s, double p, double *q);

/* Mean of the k smallest values of a[0..n), 1 <= k <= n. Reorders a. */
double wa_mean_smallest(double *a, size_t n, size_t k);

/* p_walk_beats, the fraction of trials with W < O, and its 95% interval into ci: Wilson's
   for independent draws (replicates 0 or 1), else (sobol, SPEC 5) Student's t over the
   spread of the replicates' own fractions, weighted by their trials (uniforms.h says which
   trial belongs to which), clamped to [0, 1]. */
double wa_beats_interval(const double *O, const double *W, uint64_t n, unsigned replicates,
                         double ci[2]);

/* Wilson score interval for k successes in n trials at normal quantile z. */
void wa_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

#endif
