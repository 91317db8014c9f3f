/*
 * qtable.c — tabulated quantile functions in normal-score space (see qtable.h).
 */
#include "qtable.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "dist.h"
#include "normq.h"
#include "vmath.h"
#include "simd.h"

#define INV_SQRT_2PI 0.39894228040143267794

/* Largest |y| kept: e^-700 is far below any spread the generator can resolve, and the
   bound keeps exp() finite. */
#define YMAX 700.0

/* y = T(x) and dy/dx. */
static void transform(const wa_qtable *t, double x, double *y, double *dydx)
{
    if (t->logit) {
        double r = t->hi - t->lo, w = (x - t->lo) / r, v = (t->hi - x) / r; /* w, 1 - w */
        *y = log(w) - log(v);
        *dydx = 1 / (r * w) + 1 / (r * v);
    } else {
        *y = log(x);
        *dydx = 1 / x;
    }
    if (*y > YMAX)
        *y = YMAX;
    if (*y < -YMAX)
        *y = -YMAX;
}

wa_qtable *wa_qtable_build(const wa_dist *d)
{
    wa_qtable *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    /* The reach of the generator: u in [2^-53, 1 - 2^-53], symmetric in z. */
    double zmax = -gsl_cdf_ugaussian_Pinv(0x1p-53);
    t->z0 = -zmax;
    t->h = 2 * zmax / WA_QTABLE_N;
    t->inv_h = 1 / t->h;
    wa_dist_support(d, &t->lo, &t->hi);
    t->logit = isfinite(t->hi);
    for (int i = 0; i <= WA_QTABLE_N; i++) {
        double z = i == WA_QTABLE_N ? zmax : t->z0 + i * t->h;
        /* from the tail probability, never through 1 - p: above the median, 1 - Phi(z)
           as a double would move a 1e-15 tail by several percent */
        double tail = gsl_cdf_ugaussian_P(-fabs(z));
        double x = wa_dist_quantile_tail(d, tail, z > 0), y, dydx;
        t->x[i] = x;
        transform(t, x, &y, &dydx);
        /* dy/dz = dy/dx * phi(z) / f(x), in logs against overflow */
        double slope = exp(log(dydx) - 0.5 * z * z - wa_dist_log_pdf(d, x)) * INV_SQRT_2PI;
        t->y[i] = y;
        t->m[i] = isfinite(slope) && fabs(y) < YMAX ? slope * t->h : NAN;
    }
    /* The exact solver may wobble by an ulp where the quantile is flat (at a bound): the
       nodes themselves must not decrease. */
    for (int i = 1; i <= WA_QTABLE_N; i++) {
        if (t->x[i] < t->x[i - 1])
            t->x[i] = t->x[i - 1];
        if (t->y[i] < t->y[i - 1])
            t->y[i] = t->y[i - 1];
    }
    /* Fritsch–Carlson: a slope that is not finite takes the neighbouring secants' mean;
       then in every interval the two slopes are scaled down where they would let the cubic
       overshoot, which keeps it monotone. */
    for (int i = 0; i <= WA_QTABLE_N; i++) {
        if (isfinite(t->m[i]))
            continue;
        double l = i > 0 ? t->y[i] - t->y[i - 1] : t->y[i + 1] - t->y[i];
        double r = i < WA_QTABLE_N ? t->y[i + 1] - t->y[i] : l;
        t->m[i] = 0.5 * (l + r);
    }
    for (int i = 0; i < WA_QTABLE_N; i++) {
        double delta = t->y[i + 1] - t->y[i]; /* the secant times h */
        if (!(delta > 0)) {
            t->m[i] = t->m[i + 1] = 0;
            continue;
        }
        double a = t->m[i] / delta, b = t->m[i + 1] / delta;
        if (a < 0)
            t->m[i] = a = 0;
        if (b < 0)
            t->m[i + 1] = b = 0;
        double s = a * a + b * b;
        if (s > 9) {
            double tau = 3 / sqrt(s);
            t->m[i] = tau * a * delta;
            t->m[i + 1] = tau * b * delta;
        }
    }
    return t;
}

/* The interpolation over a block of normal scores z, in place. restrict: the table is never
   the output, which lets its reads become gathers and the loop vectorise. Branch-free, with
   vmath.h's exp, for the same reason. */
WA_KERNEL void interpolate(const wa_qtable *t, const double *restrict ty,
                               const double *restrict tm, const double *restrict tx,
                               double *restrict x, size_t n, const int logit)
{
    const double z0 = t->z0, inv_h = t->inv_h, lo = t->lo, hi = t->hi, r = hi - lo;
    for (size_t k = 0; k < n; k++) {
        double pos = (x[k] - z0) * inv_h;
        pos = pos < 0 ? 0 : pos > WA_QTABLE_N ? WA_QTABLE_N : pos;
        int i = (int)pos;
        i = i == WA_QTABLE_N ? WA_QTABLE_N - 1 : i;
        double s = pos - i, s2 = s * s, rs = 1 - s;
        /* cubic Hermite basis on [0, 1] */
        double y = (1 + 2 * s) * rs * rs * ty[i] + s * rs * rs * tm[i] +
                   s2 * (3 - 2 * s) * ty[i + 1] - s2 * rs * tm[i + 1];
        /* x = T^-1(y), from the nearer bound so that neither end loses digits */
        double e = wa_exp(logit ? fabs(y) : y);
        double w = r / (1 + e);
        double v = !logit ? e : y <= 0 ? lo + w : hi - w;
        /* Between its nodes, as the monotone cubic is up to rounding: so x never
           decreases from one interval to the next, and stays in the support. Where the
           two nodes are a few ulps apart (against a bound) rounding could still step back
           within the interval: there a + s (b - a), which cannot, loses nothing. */
        double a = tx[i], b = tx[i + 1];
        double lin = a + s * (b - a);
        v = b - a <= 64 * DBL_EPSILON * fabs(a) ? lin : v;
        x[k] = v < a ? a : v > b ? b : v;
    }
}

WA_VECTORISED
void wa_qtable_eval(const wa_qtable *t, const double *u, double *x, size_t n)
{
    wa_normal_quantiles(u, x, n); /* z for the whole block first: it vectorises */
    /* logit as a constant in each call, so that each loop is specialised (a choice on a
       runtime flag inside the loop would keep it from vectorising) */
    if (t->logit)
        interpolate(t, t->y, t->m, t->x, x, n, 1);
    else
        interpolate(t, t->y, t->m, t->x, x, n, 0);
}
