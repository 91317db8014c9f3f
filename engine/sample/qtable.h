/*
 * qtable.h — a fast inverse CDF for distributions whose exact one is an iterative solve
 * (PERT, beta, gamma): a table of the quantile function in normal-score space.
 *
 * g(z) = Q(Phi(z)) is tabulated at WA_QTABLE_N + 1 equally spaced z over the whole range
 * the generator can reach (|z| <= Phi^-1(1 - 2^-53) ~ 8.21) — not g itself but y = T(g),
 * a transform that keeps the tails smooth: ln x for gamma (its lower tail, a power of u,
 * becomes quadratic in z), the logit ln((x - lo) / (hi - x)) for beta and PERT (smooth
 * against both bounds). Each node has its exact slope, y'(z) = T'(x) phi(z) / f(x), and y
 * is evaluated by cubic Hermite interpolation, then mapped back. Slopes are clamped
 * (Fritsch–Carlson) and every value kept between its two nodes' x, so x is a
 * non-decreasing function of u, as SPEC §1.2 requires. Accuracy: tests/test_qtable.c
 * (largest relative error against the exact solver over the generator's range).
 *
 * In the body, u in [0.075, 0.925] (85% of draws), a second table reads x directly as a
 * cubic in u at 1,025 equally spaced u, slopes 1 / f(x): no normal quantile, no transform,
 * about twice as fast. Its nodes come from the z-table; it is kept only where it agrees
 * with the z-table at every midpoint (a smooth quantile: PERT, beta, gamma of shape 1 or
 * more), and the tails are clamped to its end nodes, so x stays non-decreasing across.
 * The tables are immutable once built and shared by threads.
 */
#ifndef WA_QTABLE_H
#define WA_QTABLE_H

#include <stddef.h>
#include "util/alloc.h"

#define WA_QTABLE_N 1024 /* intervals */
#define WA_QTABLE_NC 1024 /* intervals of the central table */
#define WA_QTABLE_ULO 0.075 /* its lower end; the upper is 1 - WA_QTABLE_ULO */
#define WA_QTABLE_ZDEG 24 /* the degree of the body's polynomial in scores */

typedef struct wa_qtable {
    double z0, h, inv_h;          /* first node, spacing */
    double lo, hi;                /* the support */
    int logit;                    /* y = logit((x - lo) / (hi - lo)), else y = ln x */
    double y[WA_QTABLE_N + 1];    /* T(g) at the nodes */
    double m[WA_QTABLE_N + 1];    /* h * y' at the nodes (slopes per interval width) */
    double x[WA_QTABLE_N + 1];    /* g at the nodes, for the monotone clamp */
    /* The body, u in [WA_QTABLE_ULO, 1 - WA_QTABLE_ULO], when `central`: x itself at
       WA_QTABLE_NC + 1 equally spaced u, with slopes (per interval), read by monotone
       cubic Hermite interpolation without a normal quantile or transform. */
    int central;
    double uc_lo, inv_hu;
    double xc[WA_QTABLE_NC + 1];
    double mc[WA_QTABLE_NC + 1];
    /* The same body for scores (the copula's path), z in [-zc, zc] with zc = -Phi^-1(
       WA_QTABLE_ULO), when `zpoly`: x as one polynomial of degree WA_QTABLE_ZDEG in
       t = z / zc (monomial coefficients zp), read without a table: no gathers. Its values
       at the ends, zx_lo and zx_hi, bound the body and the tails beyond it. */
    int zpoly;
    double zc, inv_zc, zx_lo, zx_hi;
    double zp[WA_QTABLE_ZDEG + 1];
} wa_qtable;

/* What a table is built from: the support and two exact functions of the distribution,
   its quantile from a tail probability (upper: p is 1 - F, else F) and its log-density.
   The table knows nothing else of the distribution, so sampling's distributions
   (dist.h) use tables without tables depending on them. */
typedef struct wa_qtable_curve {
    double lo, hi; /* the support; hi = +inf for gamma (then y = ln x) */
    double (*quantile_tail)(const void *ctx, double p, int upper);
    double (*log_pdf)(const void *ctx, double x);
    const void *ctx;
} wa_qtable_curve;

/* A new table for the curve (PERT, beta or gamma, untruncated), built from exact quantiles
   and the density; NULL on out of memory. Free with wa_free(). */
wa_qtable *wa_qtable_build(const wa_qtable_curve *c);

/* x[i] = the tabulated quantile of u[i] in (0,1); u and x may alias. */
void wa_qtable_eval(const wa_qtable *t, const double *u, double *x, size_t n);

/* x[i] = the tabulated quantile at the normal score z[i] (u = Phi(z)): the table in z
   read directly, scores beyond it at its ends. z and x may alias. */
void wa_qtable_from_z(const wa_qtable *t, const double *z, double *x, size_t n);

#endif
