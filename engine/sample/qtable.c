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
static void zpoly_build(wa_qtable *t, const wa_qtable_curve *c);

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
    zpoly_build(t, c);
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

/* The z-table for n scores, in place in x (x may be z). */
WA_KERNEL void z_table(const wa_qtable *t, const double *z, double *x, size_t n)
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

/* Kept only if the body table agrees with the z-table at every midpoint, where a cubic's
   error peaks, to 1e-10 of the support's width (bounded) or of x (unbounded), ten times
   below the bound tests/test_qtable.c asserts against the exact quantile: smooth quantiles
   (PERT, beta with both shapes at least 1, gamma of larger shape) pass; a density that
   vanishes or blows up inside the body does not, and keeps the z-table. */
static int agrees(const wa_qtable *t, const double *mid, const double *ref, int n)
{
    for (int i = 0; i < n; i++) {
        double tol = 1e-10 * (t->logit ? t->hi - t->lo : fabs(ref[i]));
        if (!(fabs(mid[i] - ref[i]) <= tol))
            return 0;
    }
    return 1;
}

/* The body's polynomial at t = z / zc, by Horner's rule in fused multiply-adds, kept
   between its values at the ends. In runs of ZRUN values, each step of the rule a few
   whole vectors whose chains are independent (one vector at a time would wait on each of
   the 24 dependent steps; the same arithmetic per value whatever its neighbours). */
enum { ZRUN = 64 };
WA_KERNEL void zpoly_run(const double *restrict zp, double inv_zc, double lo, double hi,
                         const double *restrict z, double *restrict x)
{
    double s[ZRUN], p[ZRUN];
    for (int k = 0; k < ZRUN; k++) {
        s[k] = z[k] * inv_zc;
        p[k] = zp[WA_QTABLE_ZDEG];
    }
    for (int d = WA_QTABLE_ZDEG - 1; d >= 0; d--)
        for (int k = 0; k < ZRUN; k++)
            p[k] = fma(p[k], s[k], zp[d]);
    for (int k = 0; k < ZRUN; k++)
        x[k] = p[k] < lo ? lo : p[k] > hi ? hi : p[k];
}

WA_KERNEL void zpoly_eval(const wa_qtable *t, const double *z, double *x, size_t n)
{
    size_t whole = n - n % ZRUN;
    for (size_t k = 0; k < whole; k += ZRUN)
        zpoly_run(t->zp, t->inv_zc, t->zx_lo, t->zx_hi, z + k, x + k);
    if (whole < n) { /* the rest, padded with zeros */
        double zz[ZRUN] = {0}, xx[ZRUN];
        memcpy(zz, z + whole, (n - whole) * sizeof *zz);
        zpoly_run(t->zp, t->inv_zc, t->zx_lo, t->zx_hi, zz, xx);
        memcpy(x + whole, xx, (n - whole) * sizeof *xx);
    }
}

/* The body in scores as one polynomial: the Chebyshev interpolant of the exact quantile at
   the WA_QTABLE_ZDEG + 1 extrema of T_ZDEG on [-zc, zc], turned into powers of t = z / zc.
   The quantile of a smooth density is an analytic function of z there: Phi reaches 0 or 1
   only off the real line, nearest at z = 1.92 +- 2.82i (a zero of erfc), about 2.9 from
   the body, so the coefficients fall about fivefold a degree; for PERT shapes they are
   below 1e-15 of the range by degree 20. Kept only if it agrees with the z-table (within about 1e-11 of the exact
   quantile) at 2,048 points across the body by the same bound as the u-body, rises
   there and stays in the support; otherwise scores take the z-table throughout. */
static void zpoly_build(wa_qtable *t, const wa_qtable_curve *c)
{
    enum { D = WA_QTABLE_ZDEG, M = 2048 };
    static const double PI = 3.14159265358979323846;
    double f[D + 1], ch[D + 1], tk[D + 1], tk1[D + 1], tmp[D + 1];
    t->zpoly = 0;
    t->zc = -gsl_cdf_ugaussian_Pinv(WA_QTABLE_ULO);
    t->inv_zc = 1 / t->zc;
    for (int k = 0; k <= D; k++) {
        double z = t->zc * cos(PI * k / D);
        f[k] = c->quantile_tail(c->ctx, gsl_cdf_ugaussian_P(-fabs(z)), z > 0);
        if (!isfinite(f[k]))
            return;
    }
    /* Chebyshev coefficients (a discrete cosine transform, the ends halved) */
    for (int j = 0; j <= D; j++) {
        double sum = 0;
        for (int k = 0; k <= D; k++)
            sum += (k == 0 || k == D ? 0.5 : 1.0) * f[k] * cos(PI * j * k / D);
        ch[j] = (j == 0 || j == D ? 1.0 : 2.0) * sum / D;
    }
    /* to powers of t: T_0 = 1, T_1 = t, T_{j+1} = 2t T_j - T_{j-1} (integer coefficients,
       exact in doubles at this degree) */
    memset(t->zp, 0, sizeof t->zp);
    memset(tk1, 0, sizeof tk1); /* T_{j-1} */
    memset(tk, 0, sizeof tk);   /* T_j */
    tk1[0] = 1;
    tk[1] = 1;
    t->zp[0] = ch[0];
    for (int j = 1; j <= D; j++) {
        for (int d = 0; d <= D; d++)
            t->zp[d] += ch[j] * tk[d];
        for (int d = 0; d <= D; d++)
            tmp[d] = (d > 0 ? 2 * tk[d - 1] : 0) - tk1[d];
        memcpy(tk1, tk, sizeof tk);
        memcpy(tk, tmp, sizeof tk);
    }
    /* the ends, inside the support, then the check */
    double ends[2] = {-t->zc, t->zc}, xe[2], z[M], ref[M], got[M];
    t->zx_lo = -INFINITY;
    t->zx_hi = INFINITY;
    zpoly_eval(t, ends, xe, 2);
    if (!(xe[0] >= t->lo && xe[1] <= t->hi && xe[0] < xe[1]))
        return;
    t->zx_lo = xe[0];
    t->zx_hi = xe[1];
    for (int i = 0; i < M; i++)
        z[i] = t->zc * (-1 + (2.0 * i + 1) / M);
    z_table(t, z, ref, M);
    zpoly_eval(t, z, got, M);
    for (int i = 1; i < M; i++)
        if (!(got[i] >= got[i - 1]))
            return;
    t->zpoly = agrees(t, got, ref, M);
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
    double um[NC], mid[NC], ref[NC];
    for (int i = 0; i < NC; i++) {
        um[i] = u[2 * i + 1];
        ref[i] = x[2 * i + 1];
    }
    central_eval(t->xc, t->mc, t->uc_lo, t->inv_hu, um, mid, NC);
    t->central = agrees(t, mid, ref, NC);
}

/* The body over n values in (uniforms through the u-body's table, or scores through the
   z-body's polynomial when `scores`), into x (x may be in), chunk by chunk: every value
   as if in the body, then the tails (|v - centre| > bound: about 15%) listed (normq.h),
   done together through the z-table and clamped to the body's ends xlo, xhi, so that x
   never decreases across them. */
WA_KERNEL void body(const wa_qtable *t, const double *in, double *x, size_t n, double centre,
                    double bound, double xlo, double xhi, const int scores)
{
    enum { CHUNK = WA_TAILS_MAX };
    double v[CHUNK], tv[CHUNK];
    uint16_t idx[CHUNK + 8];
    for (size_t s0 = 0; s0 < n; s0 += CHUNK) {
        size_t m = n - s0 < CHUNK ? n - s0 : CHUNK;
        double *xx = x + s0;
        memcpy(v, in + s0, m * sizeof *v); /* x may overwrite in */
        if (scores)
            zpoly_eval(t, v, xx, m);
        else
            central_eval(t->xc, t->mc, t->uc_lo, t->inv_hu, v, xx, m);
        size_t k = wa_tails(v, m, centre, bound, idx);
        for (size_t j = 0; j < k; j++)
            tv[j] = v[idx[j]];
        if (scores)
            z_table(t, tv, tv, k);
        else
            z_path(t, tv, tv, k);
        for (size_t j = 0; j < k; j++) {
            double w = tv[j];
            xx[idx[j]] = v[idx[j]] < centre ? (w < xlo ? w : xlo) : (w > xhi ? w : xhi);
        }
    }
}

WA_VECTORISED
void wa_qtable_eval(const wa_qtable *t, const double *u, double *x, size_t n)
{
    if (t->central)
        body(t, u, x, n, 0.5, 0.5 - WA_QTABLE_ULO, t->xc[0], t->xc[WA_QTABLE_NC], 0);
    else
        z_path(t, u, x, n);
}

WA_VECTORISED
void wa_qtable_from_z(const wa_qtable *t, const double *z, double *x, size_t n)
{
    if (t->zpoly)
        body(t, z, x, n, 0.0, t->zc, t->zx_lo, t->zx_hi, 1);
    else
        z_table(t, z, x, n);
}
