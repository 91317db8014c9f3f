/*
 * metalog.h — the metalog distribution of SPEC §1.2 (Keelin 2016, "The Metalog
 * Distributions", Decision Analysis 13(4)): the exact k-term fit through k given quantiles,
 * its feasibility check, and its quantile function and density.
 *
 * With y in (0,1), L = ln(y / (1 - y)) and c = y - 1/2, the k-term metalog is
 *     M(y) = a1 + a2 L + a3 c L + a4 c + a5 c^2 + a6 c^2 L + a7 c^3 + a8 c^3 L + a9 c^4
 *            + a10 c^4 L
 * (the standard term order, first k terms), i.e. M = mu(c) + s(c) L with
 * mu = a1 + a4 c + a5 c^2 + a7 c^3 + a9 c^4 and s = a2 + a3 c + a6 c^2 + a8 c^3 + a10 c^4.
 * The quantile function is Q = T^-1(M) for the transform T of the bounds:
 *     unbounded      T(x) = x                      Q = M
 *     lower lo       T(x) = ln(x - lo)             Q = lo + e^M
 *     upper hi       T(x) = -ln(hi - x)            Q = hi - e^-M
 *     bounded lo,hi  T(x) = ln((x - lo)/(hi - x))  Q = lo + (hi - lo) / (1 + e^-M)
 * Every T is strictly increasing, so Q is strictly increasing exactly when M'(y) > 0.
 *
 * Invariants of a wa_metalog filled by wa_metalog_fit: 2 <= k <= 10; a[0..k-1] are a1..ak
 * and a[k..9] are zero (the evaluators always run all ten terms, so they need no branch on
 * k); lo < hi when both are present; M'(y) > 0 on the whole of (0,1) as far as the check
 * described at wa_metalog_fit can tell; Q is finite at the generator's extremes 2^-53 and
 * 1 - 2^-53. The struct is plain data, immutable once fitted, shared freely by threads.
 * Nothing here allocates, prints or keeps state.
 */
#ifndef WA_METALOG_H
#define WA_METALOG_H

#include <stddef.h>

#define WA_METALOG_MAX_TERMS 10

typedef struct wa_metalog {
    int k;                            /* terms: 2..10 */
    double a[WA_METALOG_MAX_TERMS];   /* a1..ak, then zeros */
    int has_lo, has_hi;               /* which bounds apply */
    double lo, hi;                    /* the bounds (ignored when absent) */
} wa_metalog;

/*
 * Fits the exact k-term metalog through the k pairs (p[i], x[i]): Q(p[i]) = x[i] to
 * rounding. Requires 2 <= k <= 10, p strictly increasing inside (0,1), x finite and
 * strictly increasing; has_lo / has_hi select the bounds (semi-bounded lower ln(x - lo),
 * upper -ln(hi - x), bounded logit), and every x must lie strictly inside them. p and x
 * point to k numbers each (unread when k is out of range); msg may be NULL (or msgsz 0).
 *
 * Solves the k x k system in transformed space by column-scaled, column-pivoted QR (GSL),
 * rejecting it as singular when the reciprocal condition number of the scaled system is
 * below 1e-13 (the coefficients would be noise). Seven probabilities placed symmetrically
 * about 1/2 always give a singular 7-term system (four odd basis functions, three
 * independent values) and get a message of their own. Then checks feasibility: the sign of
 * y(1-y) M'(y) = y(1-y) (mu'(c) + s'(c) L) + s(c) at about 37,000 points (10^4 evenly
 * spaced in y over [0.01, 0.99] and logit-spaced beyond, down to y = 1e-300 and
 * 1 - y = 1e-300 in steps of 0.05 in L), each local minimum between points refined by a
 * golden-section search, and the limits y -> 0 and y -> 1 (where it tends to s(-1/2) and
 * s(1/2)). So a Q that decreases only beyond the generator's reach (below 2^-53) is
 * still rejected: it is not a distribution. Finally Q must be finite at u = 2^-53 and
 * 1 - 2^-53. About 0.6 ms.
 *
 * Returns 0 with *m filled, or -1 with msg holding one line and *m unspecified:
 *   metalog needs between 2 and 10 quantiles, got 11
 *   metalog quantile probability 1 is not between 0 and 1
 *   metalog quantile probabilities must increase: 0.5 after 0.9
 *   quantile 0.5 = inf is not a finite number
 *   metalog quantiles must increase with probability: quantile 0.9 = 100 is not above quantile 0.5 = 150
 *   metalog lower bound inf is not a finite number            (and upper)
 *   metalog lower bound 10 is not below the upper bound 5
 *   quantile 0.1 = 5 is not above the lower bound 5
 *   quantile 0.9 = 12 is not below the upper bound 10
 *   metalog quantiles are not feasible: the 4-term fit is singular (probabilities too close together; spread them out or give fewer quantiles)
 *   metalog quantiles are not feasible: 7 probabilities symmetric about 0.5 make the 7-term fit singular (move one of them, or give 6 or 8 quantiles)
 *   metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.93 (give quantiles that rise more smoothly, or fewer quantiles)
 *   metalog quantiles span too wide a range: the fitted quantile function overflows
 * Probabilities and values are printed with %g. The location "near p = ..." is the first
 * failing stretch in increasing p: its inner end when it runs into a tail (where Q turns
 * down), else its lowest slope; in the upper tail closer to 1 than 1e-4 it reads
 * "1 - 3e-07". The hi - lo of a bounded metalog overflowing is the overflow message.
 */
int wa_metalog_fit(wa_metalog *m, const double *p, const double *x, int k, int has_lo,
                   double lo, int has_hi, double hi, char *msg, size_t msgsz);

/* Q(u) for u in (0,1). Within [lo, hi] when bounded (a bound is reached only where the
   tail is closer to it than rounding can resolve); non-decreasing in u up to rounding of
   the polynomial sums (a few ulps where the density is highest relative to the scale). */
double wa_metalog_quantile(const wa_metalog *m, double u);

/* x[i] = Q(u[i]) for n uniforms in (0,1), bit-identical to wa_metalog_quantile; the
   bound form is decided once per call, no allocation. u and x may alias. */
void wa_metalog_quantiles(const wa_metalog *m, const double *u, double *x, size_t n);

/* The density at the u-quantile, f(Q(u)) = 1 / Q'(u), for u in (0,1); positive for a
   fitted metalog (inf where it overflows, 0 where it underflows). */
double wa_metalog_density(const wa_metalog *m, double u);

#endif
