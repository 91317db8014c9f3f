/*
 * metalog.c — the exact k-term metalog fit, its feasibility check and its evaluators (see
 * metalog.h for the definition and the contract).
 *
 * Invariants. A fit either returns 0 with a metalog whose M'(y) was found positive all
 * over (0,1) (grid, refinement and both limits, see feasible()) and whose Q is finite at
 * the generator's extremes, or returns -1 with a one-line message; GSL is called only
 * with correctly sized views of stack arrays, so its error handler (which aborts by
 * default) cannot be reached, and every status it returns is still checked. Nothing
 * allocates; there is no mutable static state.
 *
 * Numerics.
 *  - L = ln(u / (1 - u)) is one log: for u >= 1/2, 1 - u is exact (Sterbenz), and below
 *    1/2 its rounding moves L by at most 2.2e-16, so both tails keep full precision at the
 *    generator's extremes 2^-53 and 1 - 2^-53.
 *  - M = mu(c) + s(c) L by two Horner polynomials of degree 4 in c = u - 1/2 (the unused
 *    coefficients are zero), identical in the single and block evaluators.
 *  - Each transform back from M (lo + e^M, hi - e^-M, lo + w / (1 + e^-M)) is a chain of
 *    correctly rounded operations each non-decreasing in M, so Q is non-decreasing in the
 *    computed M and never leaves [lo, hi]; e^-M overflowing to inf gives lo, not NaN.
 *  - The linear system is scaled to unit max-norm columns before QR with column pivoting,
 *    so the condition estimate measures the geometry of the probabilities rather than the
 *    basis's units; one step of iterative refinement polishes the solution.
 *  - Feasibility is checked on g(y) = y (1 - y) M'(y) = y (1 - y) (mu'(c) + s'(c) L) + s(c),
 *    which has the sign of M' but stays bounded, parametrised by the logit t = L so that
 *    points 1e-300 from either end are as easy to place as the median.
 */
#include "sample/metalog.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>

#define RCOND_MIN 1e-13        /* scaled systems worse than this are called singular */
#define GRID_CENTRE_N 9800     /* intervals of 1e-4 in y over [0.01, 0.99] */
#define GRID_CENTRE_LO 0.01
#define TAIL_STEP 0.05         /* logit step beyond the centre */
#define TAIL_T_MIN (-690.77552789821368) /* ln(1e-300): y = 1e-300 */
#define GOLDEN_ITERS 50        /* bracket shrinks by 0.618^50 = 4e-11 */
#define BISECT_ITERS 100
#define U_MIN 0x1p-53          /* the generator's extremes */
#define U_MAX (1.0 - 0x1p-53)

enum form { FREE, LOWER, UPPER, BOUNDED };

static enum form form_of(const wa_metalog *m)
{
    return m->has_lo ? (m->has_hi ? BOUNDED : LOWER) : (m->has_hi ? UPPER : FREE);
}

static int fail(char *msg, size_t msgsz, const char *fmt, ...)
{
    if (msg && msgsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msgsz, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- The metalog in transformed space ------------------------------------------------ */

/* The ten basis functions at y, standard term order. */
static void basis(double y, double b[WA_METALOG_MAX_TERMS])
{
    double L = log(y / (1 - y)), c = y - 0.5, c2 = c * c;
    b[0] = 1;
    b[1] = L;
    b[2] = c * L;
    b[3] = c;
    b[4] = c2;
    b[5] = c2 * L;
    b[6] = c2 * c;
    b[7] = c2 * c * L;
    b[8] = c2 * c2;
    b[9] = c2 * c2 * L;
}

/* mu(c) = a1 + a4 c + a5 c^2 + a7 c^3 + a9 c^4, s(c) = a2 + a3 c + a6 c^2 + a8 c^3 + a10 c^4 */
static inline double poly_mu(const double *a, double c)
{
    return a[0] + c * (a[3] + c * (a[4] + c * (a[6] + c * a[8])));
}
static inline double poly_s(const double *a, double c)
{
    return a[1] + c * (a[2] + c * (a[5] + c * (a[7] + c * a[9])));
}
static inline double poly_dmu(const double *a, double c)
{
    return a[3] + c * (2 * a[4] + c * (3 * a[6] + c * 4 * a[8]));
}
static inline double poly_ds(const double *a, double c)
{
    return a[2] + c * (2 * a[5] + c * (3 * a[7] + c * 4 * a[9]));
}

/* M(u), the value in transformed space. */
static inline double eval_M(const double *a, double u)
{
    double L = log(u / (1 - u)), c = u - 0.5;
    return poly_mu(a, c) + poly_s(a, c) * L;
}

/* T(x), the transform of the bounds. */
static double to_space(enum form f, double lo, double hi, double x)
{
    switch (f) {
    case LOWER: return log(x - lo);
    case UPPER: return -log(hi - x);
    case BOUNDED: return log(x - lo) - log(hi - x);
    default: return x;
    }
}

/* ---- Feasibility ------------------------------------------------------------------- */

/* g at logit t: y (1 - y) M'(y) with y = 1 / (1 + e^-t), y and 1 - y both from e^-|t| so
   that neither tail rounds; the limits t = -inf and +inf give s(-1/2) and s(1/2). */
static double g_at(const double *a, double t)
{
    if (isinf(t))
        return poly_s(a, t < 0 ? -0.5 : 0.5);
    double e = exp(-fabs(t)), d = 1 + e;
    double small = e / d;                        /* min(y, 1 - y) */
    double c = t < 0 ? small - 0.5 : 0.5 - small;
    double yq = e / (d * d);
    return yq * (poly_dmu(a, c) + poly_ds(a, c) * t) + poly_s(a, c);
}

/* The grid, by index: -1 is t = -inf, 0 .. n_tail-1 the lower tail, then the centre, then
   the upper tail mirrored, and grid_n(..) is t = +inf. */
typedef struct grid {
    int n_tail;    /* points in each tail */
    int n;         /* finite points */
} grid;

static grid grid_make(void)
{
    double t_c = log(GRID_CENTRE_LO / (1 - GRID_CENTRE_LO));
    grid gr;
    gr.n_tail = (int)ceil((t_c - TAIL_T_MIN) / TAIL_STEP); /* TAIL_T_MIN + j step < t_c */
    gr.n = 2 * gr.n_tail + GRID_CENTRE_N + 1;
    return gr;
}

static double grid_t(const grid *gr, int i)
{
    if (i < 0)
        return -INFINITY;
    if (i >= gr->n)
        return INFINITY;
    if (i < gr->n_tail)
        return TAIL_T_MIN + i * TAIL_STEP;
    i -= gr->n_tail;
    if (i <= GRID_CENTRE_N) {
        double y = GRID_CENTRE_LO + (1 - 2 * GRID_CENTRE_LO) * i / GRID_CENTRE_N;
        return log(y / (1 - y));
    }
    i -= GRID_CENTRE_N + 1;
    return -(TAIL_T_MIN + (gr->n_tail - 1 - i) * TAIL_STEP);
}

/* A point is a failure when M' is not positive there. At the limits g may reach 0 (then
   the sign of M' is that of the next order, which the points 1e-300 from the ends saw). */
static int is_bad(double t, double g) { return isinf(t) ? !(g >= 0) : !(g > 0); }

/* The smallest g on [ta, tb] by golden section; stops early at a failing point. */
static double golden_min(const double *a, double ta, double tb, double *t_at)
{
    const double r = 0.61803398874989485; /* (sqrt 5 - 1) / 2 */
    double x1 = tb - r * (tb - ta), x2 = ta + r * (tb - ta);
    double g1 = g_at(a, x1), g2 = g_at(a, x2);
    for (int it = 0; it < GOLDEN_ITERS && !is_bad(x1, g1) && !is_bad(x2, g2); it++) {
        if (g1 <= g2) {
            tb = x2;
            x2 = x1;
            g2 = g1;
            x1 = tb - r * (tb - ta);
            g1 = g_at(a, x1);
        } else {
            ta = x1;
            x1 = x2;
            g1 = g2;
            x2 = ta + r * (tb - ta);
            g2 = g_at(a, x2);
        }
    }
    if (g1 <= g2 || is_bad(x1, g1)) {
        *t_at = x1;
        return g1;
    }
    *t_at = x2;
    return g2;
}

/* Where g changes sign between t_good and t_bad (either may be infinite: then the search
   starts from the finite grid end). */
static double crossing(const double *a, double t_good, double t_bad)
{
    for (int it = 0; it < BISECT_ITERS; it++) {
        double mid = 0.5 * (t_good + t_bad);
        if (mid == t_good || mid == t_bad)
            break;
        if (is_bad(mid, g_at(a, mid)))
            t_bad = mid;
        else
            t_good = mid;
    }
    return t_bad;
}

/* Writes y = 1 / (1 + e^-t) for a message: "0.93", "1e-12", "1 - 3e-07". */
static void format_p(char *buf, size_t sz, double t)
{
    double e = exp(-fabs(t)), small = e / (1 + e);
    if (t < 0 || small == 0) /* "0" and "1" at the limits */
        snprintf(buf, sz, "%.2g", t < 0 ? small : 1.0);
    else if (small >= 1e-4) /* two significant digits of 1 - y */
        snprintf(buf, sz, "%.*g", (int)ceil(-log10(small)) + 1, 1 / (1 + e));
    else
        snprintf(buf, sz, "1 - %.2g", small);
}

/*
 * 1 when M' > 0 on (0,1) as far as the grid, the refinement and the limits tell; else 0
 * with *t_where the logit of where the fitted Q decreases: the inner end of a failing
 * region that runs into a tail (where Q starts to turn), else the lowest g of the region.
 * Points are visited in increasing y and the first failure found is the one reported.
 */
static int feasible(const double *a, double *t_where)
{
    grid gr = grid_make();
    double tp = 0, gp = 0, tpp = 0, gpp = 0; /* the previous two points */
    for (int i = -1; i <= gr.n; i++) {
        double t = grid_t(&gr, i), g = g_at(a, t);
        /* Was the previous point a local minimum between two finite neighbours? A dip
           narrower than the grid spacing shows up there, if anywhere. */
        if (i >= 2 && i <= gr.n - 1 && gp < gpp && gp <= g) {
            double tm, gm = golden_min(a, tpp, t, &tm);
            if (is_bad(tm, gm)) {
                *t_where = tm;
                return 0;
            }
        }
        if (is_bad(t, g)) {
            /* The failing region: from i to the last consecutive failing point. */
            int first = i, last = i;
            double t_min = t, g_min = g;
            for (int j = i + 1; j <= gr.n; j++) {
                double tj = grid_t(&gr, j), gj = g_at(a, tj);
                if (!is_bad(tj, gj))
                    break;
                last = j;
                if (gj < g_min || isinf(t_min)) {
                    t_min = tj;
                    g_min = gj;
                }
            }
            if (first == -1)
                *t_where = last == -1 ? -INFINITY
                                      : crossing(a, grid_t(&gr, last + 1), grid_t(&gr, last));
            else if (last == gr.n)
                *t_where = first == gr.n ? INFINITY : crossing(a, tp, grid_t(&gr, first));
            else
                *t_where = t_min;
            return 0;
        }
        tpp = tp;
        gpp = gp;
        tp = t;
        gp = g;
    }
    return 1;
}

/* ---- Fit --------------------------------------------------------------------------- */

/* Solves B a = z (k x k, B row-major, overwritten) by scaled, pivoted QR with one step of
   refinement. Returns 0, or -1 when the system is singular to working precision. */
static int solve(double *B, const double *z, int k, double *a)
{
    double orig[WA_METALOG_MAX_TERMS * WA_METALOG_MAX_TERMS], scale[WA_METALOG_MAX_TERMS];
    double tau[WA_METALOG_MAX_TERMS], norm[WA_METALOG_MAX_TERMS];
    double work[3 * WA_METALOG_MAX_TERMS], sol[WA_METALOG_MAX_TERMS];
    double resid[WA_METALOG_MAX_TERMS], delta[WA_METALOG_MAX_TERMS];
    size_t perm_data[WA_METALOG_MAX_TERMS];
    size_t n = (size_t)k;

    /* Column scaling: each column's largest entry becomes 1 (no column is zero: the first
       is all ones and each other is zero at most at p = 1/2, which appears once). */
    for (int j = 0; j < k; j++) {
        double s = 0;
        for (int i = 0; i < k; i++)
            s = fmax(s, fabs(B[i * k + j]));
        if (!(s > 0) || !isfinite(s))
            return -1;
        scale[j] = s;
    }
    for (int i = 0; i < k * k; i++) {
        orig[i] = B[i];
        B[i] /= scale[i % k];
    }

    gsl_matrix_view QR = gsl_matrix_view_array(B, n, n);
    gsl_vector_view tauv = gsl_vector_view_array(tau, n);
    gsl_vector_view normv = gsl_vector_view_array(norm, n);
    gsl_vector_view workv = gsl_vector_view_array(work, 3 * n);
    gsl_vector_const_view zv = gsl_vector_const_view_array(z, n);
    gsl_vector_view solv = gsl_vector_view_array(sol, n);
    gsl_vector_view residv = gsl_vector_view_array(resid, n);
    gsl_vector_view deltav = gsl_vector_view_array(delta, n);
    gsl_permutation perm = {n, perm_data};
    int signum;

    if (gsl_linalg_QRPT_decomp(&QR.matrix, &tauv.vector, &perm, &signum, &normv.vector) !=
        GSL_SUCCESS)
        return -1;
    /* A zero pivot would make the condition estimate divide by zero; catch it first. */
    for (size_t i = 0; i < n; i++) {
        double r = gsl_matrix_get(&QR.matrix, i, i);
        if (!(r != 0) || !isfinite(r))
            return -1;
    }
    double rcond;
    if (gsl_linalg_QRPT_rcond(&QR.matrix, &rcond, &workv.vector) != GSL_SUCCESS ||
        !(rcond >= RCOND_MIN))
        return -1;
    if (gsl_linalg_QRPT_solve(&QR.matrix, &tauv.vector, &perm, &zv.vector, &solv.vector) !=
        GSL_SUCCESS)
        return -1;

    /* One step of refinement against the unscaled system (solution in scaled units). */
    for (int i = 0; i < k; i++) {
        double r = z[i];
        for (int j = 0; j < k; j++)
            r -= orig[i * k + j] * (sol[j] / scale[j]);
        resid[i] = r;
    }
    if (gsl_linalg_QRPT_solve(&QR.matrix, &tauv.vector, &perm, &residv.vector,
                              &deltav.vector) != GSL_SUCCESS)
        return -1;
    for (int j = 0; j < k; j++) {
        a[j] = (sol[j] + delta[j]) / scale[j];
        if (!isfinite(a[j]))
            return -1;
    }
    return 0;
}

int wa_metalog_fit(wa_metalog *m, const double *p, const double *x, int k, int has_lo,
                   double lo, int has_hi, double hi, char *msg, size_t msgsz)
{
    if (k < 2 || k > WA_METALOG_MAX_TERMS)
        return fail(msg, msgsz, "metalog needs between 2 and 10 quantiles, got %d", k);
    for (int i = 0; i < k; i++) {
        if (!(p[i] > 0 && p[i] < 1))
            return fail(msg, msgsz, "metalog quantile probability %g is not between 0 and 1", p[i]);
        if (i > 0 && !(p[i] > p[i - 1]))
            return fail(msg, msgsz, "metalog quantile probabilities must increase: %g after %g", p[i], p[i - 1]);
    }
    if (has_lo && !isfinite(lo))
        return fail(msg, msgsz, "metalog lower bound %g is not a finite number", lo);
    if (has_hi && !isfinite(hi))
        return fail(msg, msgsz, "metalog upper bound %g is not a finite number", hi);
    if (has_lo && has_hi && !(lo < hi))
        return fail(msg, msgsz, "metalog lower bound %g is not below the upper bound %g", lo, hi);
    if (has_lo && has_hi && !isfinite(hi - lo))
        return fail(msg, msgsz, "metalog quantiles span too wide a range: the fitted quantile function overflows");
    for (int i = 0; i < k; i++) {
        if (!isfinite(x[i]))
            return fail(msg, msgsz, "quantile %g = %g is not a finite number", p[i], x[i]);
        if (i > 0 && !(x[i] > x[i - 1]))
            return fail(msg, msgsz, "metalog quantiles must increase with probability: quantile %g = %g is not above quantile %g = %g", p[i], x[i], p[i - 1], x[i - 1]);
        if (has_lo && !(x[i] > lo))
            return fail(msg, msgsz, "quantile %g = %g is not above the lower bound %g", p[i], x[i], lo);
        if (has_hi && !(x[i] < hi))
            return fail(msg, msgsz, "quantile %g = %g is not below the upper bound %g", p[i], x[i], hi);
    }

    wa_metalog f = {0};
    f.k = k;
    f.has_lo = has_lo != 0;
    f.has_hi = has_hi != 0;
    f.lo = has_lo ? lo : 0;
    f.hi = has_hi ? hi : 0;
    enum form form = form_of(&f);

    double B[WA_METALOG_MAX_TERMS * WA_METALOG_MAX_TERMS], z[WA_METALOG_MAX_TERMS];
    for (int i = 0; i < k; i++) {
        double b[WA_METALOG_MAX_TERMS];
        basis(p[i], b);
        for (int j = 0; j < k; j++)
            B[i * k + j] = b[j];
        z[i] = to_space(form, lo, hi, x[i]);
        if (!isfinite(z[i])) /* x - lo or hi - x overflowed */
            return fail(msg, msgsz, "metalog quantiles span too wide a range: the fitted quantile function overflows");
    }
    if (solve(B, z, k, f.a) != 0) {
        /* The seven terms hold four odd functions of c (L, c, c^2 L, c^3), which take only
           three independent values on probabilities in three pairs p, 1 - p around 1/2:
           a singular system however well spread the probabilities are. */
        int symmetric = k == 7;
        for (int i = 0; symmetric && i < k; i++)
            symmetric = fabs(p[i] + p[k - 1 - i] - 1) <= 1e-9;
        if (symmetric)
            return fail(msg, msgsz, "metalog quantiles are not feasible: 7 probabilities symmetric about 0.5 make the 7-term fit singular (move one of them, or give 6 or 8 quantiles)");
        return fail(msg, msgsz, "metalog quantiles are not feasible: the %d-term fit is singular (probabilities too close together; spread them out or give fewer quantiles)", k);
    }

    double t_bad;
    if (!feasible(f.a, &t_bad)) {
        char where[40];
        format_p(where, sizeof where, t_bad);
        return fail(msg, msgsz, "metalog quantiles are not feasible: the fitted quantile function decreases near p = %s (give quantiles that rise more smoothly, or fewer quantiles)", where);
    }

    /* The generator's extremes must map to finite numbers (a lower-bounded tail e^M, or
       the bounded form's hi - lo, can overflow although the fit itself is finite). */
    double ue[2] = {U_MIN, U_MAX}, xe[2];
    wa_metalog_quantiles(&f, ue, xe, 2);
    for (int i = 0; i < 2; i++)
        if (!isfinite(eval_M(f.a, ue[i])) || !isfinite(xe[i]))
            return fail(msg, msgsz, "metalog quantiles span too wide a range: the fitted quantile function overflows");

    *m = f;
    return 0;
}

/* ---- Evaluation -------------------------------------------------------------------- */

void wa_metalog_quantiles(const wa_metalog *m, const double *u, double *x, size_t n)
{
    /* Locals, so that stores to x (which may alias anything) do not force reloads. */
    double a[WA_METALOG_MAX_TERMS];
    for (int j = 0; j < WA_METALOG_MAX_TERMS; j++)
        a[j] = m->a[j];
    double lo = m->lo, hi = m->hi, w = hi - lo;
    switch (form_of(m)) {
    case FREE:
        for (size_t i = 0; i < n; i++)
            x[i] = eval_M(a, u[i]);
        break;
    case LOWER:
        for (size_t i = 0; i < n; i++)
            x[i] = lo + exp(eval_M(a, u[i]));
        break;
    case UPPER:
        for (size_t i = 0; i < n; i++)
            x[i] = hi - exp(-eval_M(a, u[i]));
        break;
    case BOUNDED:
        /* fmin: lo + w can round above hi when e^-M is below rounding. */
        for (size_t i = 0; i < n; i++)
            x[i] = fmin(lo + w / (1 + exp(-eval_M(a, u[i]))), hi);
        break;
    }
}

double wa_metalog_quantile(const wa_metalog *m, double u)
{
    double x;
    wa_metalog_quantiles(m, &u, &x, 1);
    return x;
}

double wa_metalog_density(const wa_metalog *m, double u)
{
    const double *a = m->a;
    double uq = u * (1 - u), L = log(u / (1 - u)), c = u - 0.5;
    double g = uq * (poly_dmu(a, c) + poly_ds(a, c) * L) + poly_s(a, c); /* uq M'(u) */
    if (!(g > 0))
        return NAN;
    double M = poly_mu(a, c) + poly_s(a, c) * L;
    double r = uq / g; /* 1 / M'(u) */
    /* The transforms' derivatives dQ/dM, in logs: e^M (and e^-M) alone can overflow where
       the density itself is still a number. */
    switch (form_of(m)) {
    case LOWER: return exp(log(r) - M);
    case UPPER: return exp(log(r) + M);
    case BOUNDED: {
        double e = exp(-fabs(M));
        return exp(log(r) + fabs(M) + 2 * log1p(e) - log(m->hi - m->lo));
    }
    default: return r;
    }
}
