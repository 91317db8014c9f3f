/*
 * qtable.c — tabulated quantile functions in normal-score space (see qtable.h).
 */
#include "sample/qtable.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample/normq.h"
#include "util/vmath.h"
#include "util/simd.h"
#include "util/alloc.h"

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

/* Fritsch–Carlson on nodes y[0..n] with slopes m[0..n] (per interval width): a slope that
   is not finite takes the neighbouring secants' mean; then in every interval the two
   slopes are scaled down where they would let the cubic overshoot, which keeps it
   monotone. */
static void monotone_slopes(const double *y, double *m, int n)
{
    for (int i = 0; i <= n; i++) {
        if (isfinite(m[i]))
            continue;
        double l = i > 0 ? y[i] - y[i - 1] : y[i + 1] - y[i];
        double r = i < n ? y[i + 1] - y[i] : l;
        m[i] = 0.5 * (l + r);
    }
    for (int i = 0; i < n; i++) {
        double delta = y[i + 1] - y[i]; /* the secant times h */
        if (!(delta > 0)) {
            m[i] = m[i + 1] = 0;
            continue;
        }
        double a = m[i] / delta, b = m[i + 1] / delta;
        if (a < 0)
            m[i] = a = 0;
        if (b < 0)
            m[i + 1] = b = 0;
        double s = a * a + b * b;
        if (s > 9) {
            double tau = 3 / sqrt(s);
            m[i] = tau * a * delta;
            m[i + 1] = tau * b * delta;
        }
    }
}

static void central_build(wa_qtable *t, const wa_qtable_curve *c);

wa_qtable *wa_qtable_build(const wa_qtable_curve *c)
{
    wa_qtable *t = wa_malloc(sizeof *t);
    if (!t)
        return NULL;
    /* The reach of the generator: u in [2^-53, 1 - 2^-53], symmetric in z. */
    double zmax = -gsl_cdf_ugaussian_Pinv(0x1p-53);
    t->z0 = -zmax;
    t->h = 2 * zmax / WA_QTABLE_N;
    t->inv_h = 1 / t->h;
    t->lo = c->lo;
    t->hi = c->hi;
    t->logit = isfinite(t->hi);
    for (int i = 0; i <= WA_QTABLE_N; i++) {
        double z = i == WA_QTABLE_N ? zmax : t->z0 + i * t->h;
        /* from the tail probability, never through 1 - p: above the median, 1 - Phi(z)
           as a double would move a 1e-15 tail by several percent */
        double tail = gsl_cdf_ugaussian_P(-fabs(z));
        double x = c->quantile_tail(c->ctx, tail, z > 0), y, dydx;
        t->x[i] = x;
        transform(t, x, &y, &dydx);
        /* dy/dz = dy/dx * phi(z) / f(x), in logs against overflow */
        double slope = exp(log(dydx) - 0.5 * z * z - c->log_pdf(c->ctx, x)) * INV_SQRT_2PI;
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
    monotone_slopes(t->y, t->m, WA_QTABLE_N);
    central_build(t, c);
    return t;
}

/* The interval of pos = (t - t0) / h among n equally spaced nodes, and the fraction s
   within it; pos is clamped to the table, the last node belonging to the last interval. */
static inline int interval(double pos, int n, double *s)
{
    pos = pos < 0 ? 0 : pos > n ? n : pos;
    int i = (int)pos;
    i = i == n ? n - 1 : i;
    *s = pos - i;
    return i;
}

/* The cubic Hermite through y0, y1 with slopes m0, m1 (per interval width), at s in [0, 1]. */
static inline double hermite(double y0, double y1, double m0, double m1, double s)
{
    double s2 = s * s, rs = 1 - s;
    return (1 + 2 * s) * rs * rs * y0 + s * rs * rs * m0 + s2 * (3 - 2 * s) * y1 - s2 * rs * m1;
}

/* v kept between its interval's nodes a <= b, as the monotone cubic is up to rounding: so
   x never decreases from one interval to the next, and stays in the support. Where the two
   nodes are a few ulps apart (against a bound) rounding could still step back within the
   interval: there a + s (b - a), which cannot, loses nothing. */
static inline double between(double v, double a, double b, double s)
{
    double lin = a + s * (b - a);
    v = b - a <= 64 * DBL_EPSILON * fabs(a) ? lin : v;
    return v < a ? a : v > b ? b : v;
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
        double s;
        int i = interval((x[k] - z0) * inv_h, WA_QTABLE_N, &s);
        double y = hermite(ty[i], ty[i + 1], tm[i], tm[i + 1], s);
        /* x = T^-1(y), from the nearer bound so that neither end loses digits */
        double e = wa_exp(logit ? fabs(y) : y);
        double w = r / (1 + e);
        double v = !logit ? e : y <= 0 ? lo + w : hi - w;
        x[k] = between(v, tx[i], tx[i + 1], s);
    }
}

/* The z-table path for n values of u, in place in x (x may be u). */
WA_VECTORISED
static void z_path(const wa_qtable *t, const double *u, double *x, size_t n)
{
    wa_normal_quantiles(u, x, n); /* z for the whole block first: it vectorises */
    /* logit as a constant in each call, so that each loop is specialised (a choice on a
       runtime flag inside the loop would keep it from vectorising) */
    if (t->logit)
        interpolate(t, t->y, t->m, t->x, x, n, 1);
    else
        interpolate(t, t->y, t->m, t->x, x, n, 0);
}

WA_VECTORISED
void wa_qtable_from_z(const wa_qtable *t, const double *z, double *x, size_t n)
{
    if (x != z)
        memcpy(x, z, n * sizeof *x);
    if (t->logit)
        interpolate(t, t->y, t->m, t->x, x, n, 1);
    else
        interpolate(t, t->y, t->m, t->x, x, n, 0);
}

/* The central table: x itself by cubic Hermite interpolation on equally spaced u, for u
   in the body [WA_QTABLE_ULO, 1 - WA_QTABLE_ULO] (AS 241's central region, where the
   normal quantile is one rational function): no normal quantile, no transform. Kept only
   where it is as accurate as the z-table (central_build checks). */
#define CENTRAL(u) (!(fabs((u) - 0.5) > 0.5 - WA_QTABLE_ULO)) /* as normq.c splits */

WA_KERNEL void central_eval(const double *restrict xc, const double *restrict mc, double ulo,
                            double inv_hu, const double *restrict u, double *restrict x,
                            size_t n)
{
    for (size_t k = 0; k < n; k++) {
        double s;
        int i = interval((u[k] - ulo) * inv_hu, WA_QTABLE_NC, &s);
        x[k] = between(hermite(xc[i], xc[i + 1], mc[i], mc[i + 1], s), xc[i], xc[i + 1], s);
    }
}

static void central_build(wa_qtable *t, const wa_qtable_curve *c)
{
    enum { NC = WA_QTABLE_NC };
    double hu = (1 - 2 * WA_QTABLE_ULO) / NC, u[2 * NC + 1], x[2 * NC + 1];
    t->central = 0;
    t->uc_lo = WA_QTABLE_ULO;
    t->inv_hu = 1 / hu;
    /* nodes and midpoints through the z-table (within about 1e-11 of the exact quantile),
       slopes dx/du = 1 / f(x) from the density */
    for (int j = 0; j <= 2 * NC; j++)
        u[j] = WA_QTABLE_ULO + (j / 2) * hu + (j % 2) * 0.5 * hu;
    z_path(t, u, x, 2 * NC + 1);
    for (int i = 0; i <= NC; i++) {
        t->xc[i] = x[2 * i];
        double f = exp(c->log_pdf(c->ctx, t->xc[i]));
        t->mc[i] = f > 0 && isfinite(f) ? hu / f : NAN;
    }
    for (int i = 1; i <= NC; i++)
        if (t->xc[i] < t->xc[i - 1])
            t->xc[i] = t->xc[i - 1];
    monotone_slopes(t->xc, t->mc, NC);
    /* Kept only if it agrees with the z-table at every midpoint, where a cubic's error
       peaks, to 1e-10 of the support's width (bounded) or of x (unbounded), ten times below
       the bound tests/test_qtable.c asserts against the exact quantile: smooth
       quantiles (PERT, beta with both shapes at least 1, gamma of larger shape) pass; a
       density that vanishes or blows up inside the body does not, and keeps the z-table. */
    double um[NC], mid[NC];
    for (int i = 0; i < NC; i++)
        um[i] = u[2 * i + 1];
    central_eval(t->xc, t->mc, t->uc_lo, t->inv_hu, um, mid, NC);
    for (int i = 0; i < NC; i++) {
        double ref = x[2 * i + 1];
        double tol = 1e-10 * (t->logit ? t->hi - t->lo : fabs(ref));
        if (!(fabs(mid[i] - ref) <= tol))
            return;
    }
    t->central = 1;
}

WA_VECTORISED
void wa_qtable_eval(const wa_qtable *t, const double *u, double *x, size_t n)
{
    if (!t->central) {
        z_path(t, u, x, n);
        return;
    }
    enum { CHUNK = 512 };
    double v[CHUNK], tu[CHUNK];
    size_t idx[CHUNK];
    const double xlo = t->xc[0], xhi = t->xc[WA_QTABLE_NC];
    for (size_t s0 = 0; s0 < n; s0 += CHUNK) {
        size_t m = n - s0 < CHUNK ? n - s0 : CHUNK, k = 0;
        memcpy(v, u + s0, m * sizeof *v); /* x may overwrite u */
        central_eval(t->xc, t->mc, t->uc_lo, t->inv_hu, v, x + s0, m);
        /* the tails (about 15%), listed without a branch and done together through the
           z-table; clamped to the body's end nodes, so x never decreases across them */
        for (size_t i = 0; i < m; i++) {
            idx[k] = i;
            k += !CENTRAL(v[i]);
        }
        for (size_t j = 0; j < k; j++)
            tu[j] = v[idx[j]];
        z_path(t, tu, tu, k);
        for (size_t j = 0; j < k; j++) {
            double w = tu[j];
            x[s0 + idx[j]] = v[idx[j]] < 0.5 ? (w < xlo ? w : xlo) : (w > xhi ? w : xhi);
        }
    }
}
