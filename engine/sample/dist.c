/*
 * dist.c — the distributions of SPEC §1.2: parameters checked and converted to canonical
 * form (wa_dist_make, wa_dist_truncate), inverse CDFs (wa_dist_quantiles), exact moments.
 *
 * Invariants. A wa_dist that wa_dist_make accepted maps every u in (0,1) to a number that is
 * not NaN, non-decreasing in u, inside the support (and inside the truncation window). All
 * parameters are checked at set-up so that sampling calls GSL only with arguments in its
 * domain. flo/fhi/qlo/qhi are always set (0, 1, 1, 0 without truncation), so the sampling
 * code has one path for truncated and untruncated draws.
 *
 * Numerics (why not simply GSL's *_Pinv):
 *  - gsl_cdf_beta_Pinv and gsl_cdf_gamma_Pinv fail ("inverse failed to converge", through
 *    the error handler) or return wrong values silently for valid parameters: beta with a
 *    or b below ~0.3 or above ~1e3, gamma with shape below ~0.1 or above ~1e5 (shape 1e6,
 *    u = 0.99 gives 578001 instead of 1002327). So beta and gamma are inverted here by
 *    Halley's method on ln G against ln x (G the CDF or its complement), kept inside a
 *    bracket (geometric bisection when a step leaves it), on GSL's CDFs: about 3 CDF
 *    evaluations and 1 us a draw. Every solve targets a tail probability of at most 1/2
 *    (P below the median, Q above it), and a beta answer above 1/2 is solved as 1 - x on
 *    beta(b, a), so both tails and both ends keep full relative precision.
 *  - GSL's regularised incomplete gamma loses accuracy above shape ~3e4 (1e-7 at 1e5) and
 *    is wrong above 1e6 (it picks its large-x series near the bulk). For a >= 2e4 this file
 *    uses Temme's uniform asymptotic expansion (terms c0, c1, c2; measured against 50-digit
 *    references: relative error below 5e-13 over |z| <= 37). Poisson CDFs go through the
 *    same function, which keeps poisson exact up to mean 1e9.
 *  - GSL's incomplete beta returns NaN for a, b >= 1e6 and loses digits above 1e5, so beta
 *    a and b (and pert's lambda) are limited to 1e5.
 *  - GSL special functions call the error handler on underflow; every gamma and beta CDF
 *    evaluation first checks a cheap upper bound of the tail and returns 0 when it is below
 *    e^-700, so the handler is never reached from here.
 */
#include "sample/dist.h"
#include "sample/metalog.h"
#include "sample/normq.h"
#include "sample/qtable.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>

#include "util/suggest.h"
#include "util/vmath.h"
#include "util/simd.h"
#include "util/alloc.h"

#define BETA_MAX_SHAPE 1e5     /* see the top comment */
#define POISSON_MAX_MEAN 1e9
#define TEMME_MIN_SHAPE 2e4    /* gamma shapes at or above this use the asymptotic form */
#define TRUNC_MIN_KEEP 1e-12   /* a truncation window must keep more probability than this */
#define LOG_TINY (-700.0)      /* tails below e^-700 are taken as 0 without asking GSL */
#define SQRT_2PI 2.5066282746310002   /* sqrt(2 pi): M_PI is not C11 */
#define LN_SQRT_2PI 0.91893853320467274

/* ------------------------------------------------------------------------------------- */
/* Names and keys                                                                         */

static const char *const kind_names[] = {
    "constant", "uniform", "triangular", "pert", "normal", "lognormal",
    "beta", "gamma", "bernoulli", "poisson", "discrete",
};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

/* The named keys of each kind, in the order used for slots below; `quantiles` says whether
   pNN keys are accepted too. */
typedef struct kind_keys {
    const char *const keys[5];
    size_t nkeys;
    int quantiles;
    const char *listed; /* for "unknown parameter" without a suggestion */
} kind_keys;

static const kind_keys kind_table[NKINDS] = {
    [WA_DIST_CONSTANT] = {{"value"}, 1, 0, "value"},
    [WA_DIST_UNIFORM] = {{"min", "max"}, 2, 0, "min, max"},
    [WA_DIST_TRIANGULAR] = {{"min", "mode", "max"}, 3, 0, "min, mode, max"},
    [WA_DIST_PERT] = {{"min", "mode", "max", "lambda"}, 4, 0, "min, mode, max, lambda"},
    [WA_DIST_NORMAL] = {{"mean", "sd"}, 2, 1, "mean, sd, p1 ... p99"},
    [WA_DIST_LOGNORMAL] = {{"mean", "sd", "mu", "sigma"}, 4, 1, "mean, sd, mu, sigma, p1 ... p99"},
    [WA_DIST_BETA] = {{"a", "b", "min", "max"}, 4, 0, "a, b, min, max"},
    [WA_DIST_GAMMA] = {{"shape", "scale", "mean", "sd"}, 4, 0, "shape, scale, mean, sd"},
    [WA_DIST_BERNOULLI] = {{"p"}, 1, 0, "p"},
    [WA_DIST_POISSON] = {{"mean"}, 1, 0, "mean"},
    [WA_DIST_DISCRETE] = {{"values", "weights"}, 2, 0, "values, weights"},
};

const char *wa_dist_name(wa_dist_kind k)
{
    if (k == WA_DIST_METALOG)
        return "metalog";
    return (unsigned)k < NKINDS ? kind_names[k] : "unknown";
}

int wa_dist_kind_of(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------------------------- */
/* Errors                                                                                 */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(wa_dist_error *err, int arg, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->arg = arg;
        err->nomem = 0;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int fail_nomem(wa_dist_error *err)
{
    fail(err, -1, "out of memory");
    if (err)
        err->nomem = 1;
    return -1;
}

/* ------------------------------------------------------------------------------------- */
/* Special functions, guarded                                                             */

static double std_normal_P(double z) { return gsl_cdf_ugaussian_P(z); }
static double std_normal_Q(double z) { return gsl_cdf_ugaussian_Q(z); }

/* Probability of (alpha, beta) under the standard normal, computed on the side where it
   does not cancel. */
static double normal_window(double alpha, double beta)
{
    if (alpha >= 0)
        return std_normal_Q(alpha) - std_normal_Q(beta);
    if (beta <= 0)
        return std_normal_P(beta) - std_normal_P(alpha);
    return 1.0 - std_normal_P(alpha) - std_normal_Q(beta);
}

/* Temme's uniform asymptotic expansion of the regularised incomplete gamma (DLMF 8.12.3,
   8.12.8; the c0/c1 forms as in GSL's gamma_inc_Q_asymp_unif, plus the constant term of
   c2). Accurate to ~5e-13 relative for a >= 2e4. x > 0. */
static void gamma_temme(double a, double x, double *P, double *Q)
{
    double eps = (x - a) / a;
    double lnt = gsl_sf_log_1plusx_mx(eps); /* ln(1+eps) - eps, without cancellation */
    double eta = copysign(sqrt(-2.0 * lnt), eps);
    double c0, c1;
    if (fabs(eps) < 7.4e-4) { /* the closed forms cancel here: use their series */
        c0 = -1.0 / 3.0 +
             eps * (1.0 / 12.0 - eps * (23.0 / 540.0 - eps * (353.0 / 12960.0 - eps * 589.0 / 30240.0)));
        c1 = -1.0 / 540.0 - eps / 288.0;
    } else {
        c0 = 1.0 / eps - 1.0 / eta;
        c1 = 1.0 / (eta * eta * eta) - (12.0 + eps * (12.0 + eps)) / (12.0 * eps * eps * eps);
    }
    double R = exp(-0.5 * a * eta * eta) / (SQRT_2PI * sqrt(a)) *
               (c0 + (c1 + (25.0 / 6048.0) / a) / a);
    double t = eta * sqrt(0.5 * a);
    double q = 0.5 * erfc(t) + R, p = 0.5 * erfc(-t) - R;
    *P = p < 0 ? 0 : p > 1 ? 1 : p;
    *Q = q < 0 ? 0 : q > 1 ? 1 : q;
}

/* Regularised lower (upper = 0) or upper (upper = 1) incomplete gamma of shape a at x,
   i.e. the standard gamma CDF or survival function. */
static double gamma_tail(double a, double x, int upper)
{
    if (!(x > 0))
        return upper ? 1.0 : 0.0;
    if (x == INFINITY)
        return upper ? 0.0 : 1.0;
    if (a >= TEMME_MIN_SHAPE) {
        double P, Q;
        gamma_temme(a, x, &P, &Q);
        return upper ? Q : P;
    }
    /* Bounds on the small tail (A&S 6.5.29 and the continued fraction): when the tail we
       want is below e^-700 GSL would underflow through its error handler. */
    double lx = log(x);
    if (!upper && x < a + 1) {
        double bound = a * lx - x - gsl_sf_lngamma(a + 1) - log1p(-x / (a + 1));
        if (bound < LOG_TINY)
            return 0.0;
    } else if (upper && x > a) {
        double bound = (a - 1) * lx - x - gsl_sf_lngamma(a) + (a > 1 ? log(x / (x - a + 1)) : 0.0);
        if (bound < LOG_TINY)
            return 0.0;
    }
    return upper ? gsl_cdf_gamma_Q(x, a, 1.0) : gsl_cdf_gamma_P(x, a, 1.0);
}

/* Regularised incomplete beta: I_x(a, b) (upper = 0) or 1 - I_x(a, b) (upper = 1, which
   GSL computes without cancellation), guarded like gamma_tail. lnbeta = ln B(a, b). */
static double beta_tail(double x, double a, double b, double lnbeta, int upper)
{
    if (!(x > 0))
        return upper ? 1.0 : 0.0;
    if (!(x < 1))
        return upper ? 0.0 : 1.0;
    /* I_x(a,b) <= x^a (1-x)^min(0,b-1) / (a B(a,b)), and the mirror image for 1 - I_x */
    double bound = upper ? b * log1p(-x) - log(b) - lnbeta + (a < 1 ? (a - 1) * log(x) : 0.0)
                         : a * log(x) - log(a) - lnbeta + (b < 1 ? (b - 1) * log1p(-x) : 0.0);
    if (bound < LOG_TINY)
        return 0.0;
    return upper ? gsl_cdf_beta_Q(x, a, b) : gsl_cdf_beta_P(x, a, b);
}

/* ------------------------------------------------------------------------------------- */
/* Root finding for beta and gamma                                                        */

/* What the solver inverts: the standard gamma (shape a; upper selects Q instead of P) or
   the beta(a, b) lower CDF. */
typedef struct cdf_target {
    int is_beta;
    int upper;
    double a, b;
    double lnnorm; /* ln B(a,b) for beta, ln Gamma(a) for gamma */
} cdf_target;

/* G(x) (the tail selected by t), ln f(x) and x d(ln f)/dx. */
static double cdf_eval(const cdf_target *t, double x, double *logpdf, double *xdlogpdf)
{
    double lx = log(x);
    if (t->is_beta) {
        *logpdf = (t->a - 1) * lx + (t->b - 1) * log1p(-x) - t->lnnorm;
        *xdlogpdf = (t->a - 1) - (t->b - 1) * x / (1 - x);
        return beta_tail(x, t->a, t->b, t->lnnorm, t->upper);
    }
    *logpdf = (t->a - 1) * lx - x - t->lnnorm;
    *xdlogpdf = (t->a - 1) - x;
    return gamma_tail(t->a, x, t->upper);
}

/* Solves G(x) = target (0 < target <= 1/2) for x inside (lo, hi), where G is the tail in t
   (increasing P or decreasing Q). Halley steps on h(s) = ln(G(e^s)/target) — near-linear in
   both tails — applied multiplicatively, x *= exp(step), so x keeps its relative precision
   even when tiny; a step that leaves the bracket is replaced by the geometric midpoint.
   With g(s) = G(e^s): g' = ±x f(x), g'' = g' (1 + x f'/f), so h' = g'/g and
   h'' = h' (1 + x f'/f) - h'^2. x0 is the starting guess. */
static double cdf_solve(const cdf_target *t, double target, double x0, double lo, double hi)
{
    double x = x0;
    if (!(x > lo && x < hi))
        x = (lo > 0 && isfinite(hi)) ? sqrt(lo) * sqrt(hi) : lo > 0 ? 2 * lo : isfinite(hi) ? hi / 2 : 1;
    double ltarget = log(target);
    for (int it = 0; it < 200; it++) {
        double lf, xdlf;
        double g = cdf_eval(t, x, &lf, &xdlf);
        if (g == target)
            return x;
        int too_big = t->upper ? g < target : g > target;
        if (too_big)
            hi = x;
        else
            lo = x;
        double step = NAN;
        if (g > 0) {
            double h = log(g) - ltarget;
            double d1 = exp(log(x) + lf - log(g)); /* x f(x) / G(x) */
            if (t->upper)
                d1 = -d1;
            double d2 = d1 * (1 + xdlf) - d1 * d1;
            /* Halley: -h / (h' - h h'' / (2 h')) = newton / (1 + newton h'' / (2 h'));
               plain Newton when that correction is not modest */
            double newton = -h / d1, corr = 1 + newton * d2 / (2 * d1);
            step = (corr > 0.5 && corr < 2) ? newton / corr : newton;
        }
        double xn = isfinite(step) ? x * exp(step) : NAN;
        if (!(xn > lo && xn < hi)) {
            if (lo > 0 && isfinite(hi))
                xn = sqrt(lo) * sqrt(hi);
            else if (lo > 0)
                xn = lo * 16;
            else
                xn = hi / 16;
            step = 1; /* not converged */
        }
        /* Halley converges cubically (Newton quadratically): once a step is below 1e-9 the
           error left after taking it is far under the CDF's own noise (~1e-14). Also done
           when the bracket has closed. */
        if (fabs(step) < 1e-9 || xn == x)
            return xn;
        if (lo > 0 && hi - lo <= 4 * DBL_EPSILON * lo)
            return xn;
        x = xn;
    }
    return x;
}

/* Standard gamma quantile: x with P(x) = p (upper = 0) or Q(x) = p (upper = 1); lnga =
   ln Gamma(a). p in (0, 1/2]. */
static double gamma_inv(double a, double p, int upper, double lnga)
{
    /* Starting guess: the small-x series P(x) ~ x^a / Gamma(a+1) where it applies, else
       Wilson–Hilferty. */
    double pl = upper ? 1.0 - p : p; /* lower-tail probability (rounded, for the guess) */
    double xs = exp((log(pl) + lnga + log(a)) / a);
    if (!upper && xs < 1e-17 * (a + 1))
        return xs; /* the series' next term is below rounding (or x underflows) */
    double x0;
    if (xs < 0.3 * (a + 1)) {
        x0 = xs;
    } else {
        double z = upper ? gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Pinv(p);
        double c = 1 - 1 / (9 * a) + z / (3 * sqrt(a));
        x0 = c > 0 ? a * c * c * c : a; /* the solver brackets from either */
    }
    cdf_target t = {0, upper, a, 0, lnga};
    return cdf_solve(&t, p, x0, 0, INFINITY);
}

/* Beta(a, b) quantile in (0, 1/2]: x with I_x(a, b) = p (upper = 0) or 1 - I_x(a, b) = p
   (upper = 1), p in (0, 1/2], for a p whose answer is known to lie at or below 1/2. */
static double beta_inv(double a, double b, double p, int upper, double lnbeta)
{
    /* starting guess: the small-x series I_x ~ x^a / (a B(a,b)), else the normal */
    double pl = upper ? 1.0 - p : p;
    double xs = exp((log(pl) + log(a) + lnbeta) / a);
    if (!upper && xs < 1e-17 / (b > 1 ? b : 1))
        return xs; /* the series' next term is below rounding (or x underflows) */
    double m = a / (a + b), x0 = xs;
    if (!(xs < 0.5 * m)) {
        double s = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
        x0 = m + s * (upper ? gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Pinv(p));
    }
    cdf_target t = {1, upper, a, b, lnbeta};
    return cdf_solve(&t, p, x0, 0, 0.5);
}

/* ------------------------------------------------------------------------------------- */
/* Poisson                                                                                */

/* P(X <= k) >= u, evaluated on the tail where it is precise. */
static int poisson_reaches(double k, double mean, double u)
{
    if (k < 0)
        return 0;
    if (u <= 0.5)
        return gamma_tail(k + 1, mean, 1) >= u;  /* P(X <= k) = Q(k+1, mean) */
    return gamma_tail(k + 1, mean, 0) <= 1 - u;  /* P(X > k) = P(k+1, mean) */
}

/* Smallest k with P(X <= k) >= u: a Cornish–Fisher guess, then steps doubling away from it
   until the answer is bracketed, then bisection — two or three CDF evaluations in the usual
   case, O(log) in the worst. */
static double poisson_inv(double mean, double u)
{
    if (mean == 0)
        return 0;
    double z = u <= 0.5 ? gsl_cdf_ugaussian_Pinv(u) : gsl_cdf_ugaussian_Qinv(1 - u);
    double k = floor(mean + sqrt(mean) * z + (z * z - 1) / 6);
    if (k < 0)
        k = 0;
    double lo, hi; /* !reaches(lo), reaches(hi) */
    if (poisson_reaches(k, mean, u)) {
        hi = k;
        double step = 1;
        for (;;) {
            lo = hi - step;
            if (lo < 0) {
                lo = -1;
                break;
            }
            if (!poisson_reaches(lo, mean, u))
                break;
            hi = lo;
            step *= 2;
        }
    } else {
        lo = k;
        double step = 1;
        for (;;) {
            hi = lo + step;
            if (poisson_reaches(hi, mean, u))
                break;
            lo = hi;
            step *= 2;
        }
    }
    while (hi - lo > 1) {
        double mid = floor(lo + (hi - lo) / 2);
        if (poisson_reaches(mid, mean, u))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* ------------------------------------------------------------------------------------- */
/* Set-up                                                                                 */

/* "p5" -> 5; -1 when key is not p followed by digits; 0 when out of range p1..p99 (or
   written with a leading zero). */
static int quantile_key(const char *key)
{
    if (key[0] != 'p' || key[1] == '\0')
        return -1;
    for (const char *c = key + 1; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    if (key[1] == '0' || strlen(key + 1) > 2)
        return 0;
    return atoi(key + 1);
}

typedef struct quant {
    int arg;
    int pct;
    double x;
} quant;

static int check_range(const char *what, double lo, double hi, wa_dist_error *err)
{
    if (!isfinite(hi - lo))
        return fail(err, -1, "%s range from %g to %g is too wide", what, lo, hi);
    return 0;
}

/* Two quantiles -> (location, scale) of the normal they fix, on x or on ln x. */
static int from_quantiles(const char *name, quant q0, quant q1, int on_logs, double *loc,
                          double *scale, wa_dist_error *err)
{
    if (q0.pct > q1.pct) {
        quant t = q0;
        q0 = q1;
        q1 = t;
    }
    if (on_logs) {
        if (!(q0.x > 0))
            return fail(err, q0.arg, "lognormal quantiles must be positive (p%d = %g)", q0.pct, q0.x);
        if (!(q1.x > 0))
            return fail(err, q1.arg, "lognormal quantiles must be positive (p%d = %g)", q1.pct, q1.x);
    }
    if (!(q0.x < q1.x))
        return fail(err, -1, "quantiles must increase with probability: p%d = %g is not below p%d = %g",
                    q0.pct, q0.x, q1.pct, q1.x);
    double z0 = gsl_cdf_ugaussian_Pinv(q0.pct / 100.0), z1 = gsl_cdf_ugaussian_Pinv(q1.pct / 100.0);
    double x0 = on_logs ? log(q0.x) : q0.x, x1 = on_logs ? log(q1.x) : q1.x;
    double s = (x1 - x0) / (z1 - z0);
    double m = x0 - s * z0;
    if (!(s > 0 && isfinite(s) && isfinite(m)))
        return fail(err, -1, "%s from p%d = %g and p%d = %g has no finite parameters", name,
                    q0.pct, q0.x, q1.pct, q1.x);
    *loc = m;
    *scale = s;
    return 0;
}

/* Values sorted ascending with their weights; equal values merged; zero weights dropped
   (they can never be drawn, and leaving them out keeps the table and the moments plain). */
typedef struct vw {
    double v, w;
} vw;

static int vw_cmp(const void *a, const void *b)
{
    double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
    return (x > y) - (x < y);
}

static int make_discrete(wa_dist *d, const wa_dist_arg *va, int vi, const wa_dist_arg *wa, int wi,
                         wa_dist_error *err)
{
    size_t n = va->n;
    if (n == 0)
        return fail(err, vi, "'values' must not be empty");
    if (wa && wa->n != n)
        return fail(err, -1, "'values' and 'weights' must have the same length (%zu values, %zu weights)",
                    n, wa->n);
    double wmax = 0;
    if (wa) {
        for (size_t i = 0; i < n; i++) {
            if (!(wa->v[i] >= 0))
                return fail(err, wi, "weights must be >= 0 (item %zu is %g)", i + 1, wa->v[i]);
            if (wa->v[i] > wmax)
                wmax = wa->v[i];
        }
        if (!(wmax > 0))
            return fail(err, wi, "weights must sum to more than 0");
    }
    vw *t = wa_malloc(n * sizeof *t);
    if (!t)
        return fail_nomem(err);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        /* scaled by the largest weight, so the sum cannot overflow */
        double w = wa ? wa->v[i] / wmax : 1.0;
        if (w > 0)
            t[m++] = (vw){va->v[i], w};
    }
    qsort(t, m, sizeof *t, vw_cmp);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k > 0 && t[k - 1].v == t[i].v)
            t[k - 1].w += t[i].w;
        else
            t[k++] = t[i];
    }
    d->values = wa_malloc(k * sizeof *d->values);
    d->cum = wa_malloc(k * sizeof *d->cum);
    if (!d->values || !d->cum) {
        wa_free(t);
        wa_free(d->values);
        wa_free(d->cum);
        d->values = d->cum = NULL;
        return fail_nomem(err);
    }
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += t[i].w;
    double run = 0;
    for (size_t i = 0; i < k; i++) {
        run += t[i].w; /* same order as sum, so run <= sum and the last ratio is 1 */
        d->values[i] = t[i].v;
        d->cum[i] = run / sum;
    }
    d->cum[k - 1] = 1.0;
    d->nvalues = k;
    wa_free(t);
    return 0;
}

static int make(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                wa_dist_error *err);

int wa_dist_make_metalog(wa_dist *d, const double *p, const double *x, int k, int has_lo,
                         double lo, int has_hi, double hi, wa_dist_error *err)
{
    memset(d, 0, sizeof *d);
    d->kind = WA_DIST_METALOG;
    d->flo = 0, d->fhi = 1, d->qlo = 1, d->qhi = 0;
    d->lo = -INFINITY, d->hi = INFINITY;
    d->ml = wa_malloc(sizeof *d->ml);
    if (!d->ml)
        return fail_nomem(err);
    if (wa_metalog_fit(d->ml, p, x, k, has_lo, lo, has_hi, hi, err->message,
                       sizeof err->message)) {
        err->arg = -1;
        err->nomem = 0;
        wa_free(d->ml);
        d->ml = NULL;
        return -1;
    }
    return 0;
}

static void beta_params(const wa_dist *d, double *a, double *b, double *lo, double *hi);

/* The constants every exact solve of d needs, computed once (each costs about as much as
   a step of the solve): ln B(a, b) and I_1/2(a, b) for beta and PERT, ln Gamma(shape). */
static void precompute(wa_dist *d)
{
    if (d->kind == WA_DIST_PERT || d->kind == WA_DIST_BETA) {
        double a, b, lo, hi;
        beta_params(d, &a, &b, &lo, &hi);
        d->lnnorm = gsl_sf_lnbeta(a, b);
        d->fhalf = beta_tail(0.5, a, b, d->lnnorm, 0);
    } else if (d->kind == WA_DIST_GAMMA) {
        d->lnnorm = gsl_sf_lngamma(d->p[0]);
    }
}

int wa_dist_define(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                   wa_dist_error *err)
{
    if (make(d, name, args, nargs, err))
        return -1;
    precompute(d);
    return 0;
}

static double curve_quantile_tail(const void *d, double p, int upper)
{
    return wa_dist_quantile_tail(d, p, upper);
}

static double curve_log_pdf(const void *d, double x)
{
    return wa_dist_log_pdf(d, x);
}

int wa_dist_build_table(wa_dist *d)
{
    int tabled = d->kind == WA_DIST_PERT || d->kind == WA_DIST_BETA || d->kind == WA_DIST_GAMMA;
    if (!tabled || d->has_lo || d->has_hi || d->table)
        return 0; /* a truncated gamma takes the exact path (wa_dist_truncate) */
    wa_qtable_curve c = {0, 0, curve_quantile_tail, curve_log_pdf, d};
    wa_dist_support(d, &c.lo, &c.hi);
    d->table = wa_qtable_build(&c);
    return d->table ? 0 : -1;
}

int wa_dist_same(const wa_dist *x, const wa_dist *y)
{
    if (x->kind != y->kind || memcmp(x->p, y->p, sizeof x->p) || x->has_lo != y->has_lo ||
        x->has_hi != y->has_hi || memcmp(&x->lo, &y->lo, sizeof x->lo) ||
        memcmp(&x->hi, &y->hi, sizeof x->hi) || x->nvalues != y->nvalues)
        return 0;
    if (x->nvalues && (memcmp(x->values, y->values, x->nvalues * sizeof *x->values) ||
                       memcmp(x->cum, y->cum, x->nvalues * sizeof *x->cum)))
        return 0;
    if ((x->ml == NULL) != (y->ml == NULL))
        return 0;
    return !x->ml || !memcmp(x->ml, y->ml, sizeof *x->ml);
}

int wa_dist_share_table(wa_dist *d, const wa_dist *from)
{
    if (d->table || !from->table || d->kind != from->kind || d->has_lo || d->has_hi ||
        from->has_lo || from->has_hi || memcmp(d->p, from->p, sizeof d->p) != 0)
        return 0;
    d->table = wa_malloc(sizeof *d->table);
    if (!d->table)
        return -1;
    memcpy(d->table, from->table, sizeof *d->table);
    return 1;
}

int wa_dist_make(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                 wa_dist_error *err)
{
    if (wa_dist_define(d, name, args, nargs, err))
        return -1;
    if (wa_dist_build_table(d)) {
        wa_dist_free(d);
        return fail_nomem(err);
    }
    return 0;
}

static int make(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                wa_dist_error *err)
{
    memset(d, 0, sizeof *d);
    d->flo = 0, d->fhi = 1, d->qlo = 1, d->qhi = 0;
    d->lo = -INFINITY, d->hi = INFINITY;
    if (!name)
        return fail(err, -2, "missing distribution name");
    int kind = wa_dist_kind_of(name);
    if (kind < 0) {
        if (strcmp(name, "metalog") == 0)
            return fail(err, -2, "metalog takes 'quantiles', a mapping of probabilities to values");
        const char *s = wa_suggest(name, strlen(name), kind_names, NKINDS);
        if (s)
            return fail(err, -2, "unknown distribution '%s'; did you mean '%s'?", name, s);
        return fail(err, -2,
                    "unknown distribution '%s' (expected constant, uniform, triangular, pert, normal, lognormal, beta, gamma, bernoulli, poisson or discrete)",
                    name);
    }
    d->kind = (wa_dist_kind)kind;
    const kind_keys *kk = &kind_table[kind];

    /* Collect: slot[j] = index of the argument for kk->keys[j], quantiles apart. */
    int slot[5] = {-1, -1, -1, -1, -1};
    quant q[2];
    size_t nq = 0;
    for (size_t i = 0; i < nargs; i++) {
        const wa_dist_arg *a = &args[i];
        int ai = (int)i;
        const char *key = a->key ? a->key : "";
        int j = -1;
        for (size_t k = 0; k < kk->nkeys; k++)
            if (strcmp(key, kk->keys[k]) == 0)
                j = (int)k;
        int pct = j < 0 && kk->quantiles ? quantile_key(key) : -1;
        if (pct == 0)
            return fail(err, ai, "quantile key '%s' must be p1 ... p99", key);
        if (j < 0 && pct < 0) {
            const char *s = wa_suggest(key, strlen(key), kk->keys, kk->nkeys);
            if (s)
                return fail(err, ai, "unknown parameter '%s' for %s; did you mean '%s'?", key, name, s);
            return fail(err, ai, "unknown parameter '%s' for %s (parameters: %s)", key, name, kk->listed);
        }
        int want_list = kind == WA_DIST_DISCRETE;
        if (want_list && !a->is_list)
            return fail(err, ai, "'%s' must be a list of numbers", key);
        if (!want_list && a->is_list)
            return fail(err, ai, "'%s' must be a number, not a list", key);
        if (want_list) {
            for (size_t k = 0; k < a->n; k++)
                if (!isfinite(a->v[k]))
                    return fail(err, ai, "'%s' item %zu must be a finite number", key, k + 1);
        } else if (!a->v || !isfinite(a->v[0])) {
            return fail(err, ai, "'%s' must be a finite number", key);
        }
        if (j >= 0) {
            if (slot[j] >= 0)
                return fail(err, ai, "parameter '%s' is given twice", key);
            slot[j] = ai;
        } else {
            for (size_t k = 0; k < nq && k < 2; k++)
                if (q[k].pct == pct)
                    return fail(err, ai, "parameter '%s' is given twice", key);
            if (nq < 2)
                q[nq] = (quant){ai, pct, a->v[0]};
            nq++;
        }
    }
#define HAS(j) (slot[j] >= 0)
#define VAL(j) (args[slot[j]].v[0])
#define ARG(j) (slot[j])
    size_t nnamed = 0;
    for (size_t k = 0; k < kk->nkeys; k++)
        nnamed += HAS(k);

    switch (d->kind) {
    case WA_DIST_CONSTANT:
        if (!HAS(0))
            return fail(err, -1, "constant needs 'value'");
        d->p[0] = VAL(0);
        return 0;

    case WA_DIST_UNIFORM: {
        if (!HAS(0) || !HAS(1))
            return fail(err, -1, "uniform needs 'min' and 'max'");
        double lo = VAL(0), hi = VAL(1);
        if (!(lo < hi))
            return fail(err, -1, "uniform needs min < max (min %g is not below max %g)", lo, hi);
        if (check_range("uniform", lo, hi, err))
            return -1;
        d->p[0] = lo, d->p[1] = hi;
        return 0;
    }

    case WA_DIST_TRIANGULAR:
    case WA_DIST_PERT: {
        const char *nm = kind_names[kind];
        if (!HAS(0) || !HAS(1) || !HAS(2))
            return fail(err, -1, "%s needs 'min', 'mode' and 'max'", nm);
        double lo = VAL(0), mode = VAL(1), hi = VAL(2);
        if (!(lo < hi))
            return fail(err, -1, "%s needs min < max (min %g is not below max %g)", nm, lo, hi);
        if (mode < lo)
            return fail(err, ARG(1), "%s needs min <= mode <= max (mode %g is below min %g)", nm, mode, lo);
        if (mode > hi)
            return fail(err, ARG(1), "%s needs min <= mode <= max (mode %g is above max %g)", nm, mode, hi);
        if (check_range(nm, lo, hi, err))
            return -1;
        if (d->kind == WA_DIST_TRIANGULAR) {
            d->p[0] = lo, d->p[1] = mode, d->p[2] = hi;
            return 0;
        }
        double lambda = HAS(3) ? VAL(3) : 4.0;
        if (!(lambda > 0))
            return fail(err, ARG(3), "lambda must be > 0 (got %g)", lambda);
        if (lambda > BETA_MAX_SHAPE)
            return fail(err, ARG(3), "lambda must be at most %g (got %g)", BETA_MAX_SHAPE, lambda);
        double r = hi - lo;
        d->p[0] = lo, d->p[1] = hi;
        d->p[2] = 1 + lambda * (mode - lo) / r;
        d->p[3] = 1 + lambda * (hi - mode) / r;
        return 0;
    }

    case WA_DIST_NORMAL: {
        double m, s;
        if (nq == 2 && nnamed == 0) {
            if (from_quantiles("normal", q[0], q[1], 0, &m, &s, err))
                return -1;
        } else if (nq == 0 && HAS(0) && HAS(1) && nnamed == 2) {
            m = VAL(0), s = VAL(1);
            if (!(s > 0))
                return fail(err, ARG(1), "sd must be > 0 (got %g)", s);
        } else {
            return fail(err, -1, "normal takes 'mean' and 'sd', or two quantiles such as 'p10' and 'p90'");
        }
        d->p[0] = m, d->p[1] = s;
        return 0;
    }

    case WA_DIST_LOGNORMAL: {
        double mu, sigma;
        /* slots: 0 mean, 1 sd, 2 mu, 3 sigma */
        if (nq == 2 && nnamed == 0) {
            if (from_quantiles("lognormal", q[0], q[1], 1, &mu, &sigma, err))
                return -1;
        } else if (nq == 0 && HAS(0) && HAS(1) && nnamed == 2) {
            double mean = VAL(0), sd = VAL(1);
            if (!(mean > 0))
                return fail(err, ARG(0), "mean must be > 0 (got %g)", mean);
            if (!(sd > 0))
                return fail(err, ARG(1), "sd must be > 0 (got %g)", sd);
            double r = sd / mean;
            /* ln(1 + r^2) without overflowing r^2 */
            double s2 = r < 1e150 ? log1p(r * r) : 2 * log(r);
            sigma = sqrt(s2);
            mu = log(mean) - s2 / 2;
            if (!(sigma > 0 && isfinite(sigma) && isfinite(mu)))
                return fail(err, -1, "lognormal with mean %g and sd %g has no finite mu and sigma", mean, sd);
        } else if (nq == 0 && HAS(2) && HAS(3) && nnamed == 2) {
            mu = VAL(2), sigma = VAL(3);
            if (!(sigma > 0))
                return fail(err, ARG(3), "sigma must be > 0 (got %g)", sigma);
        } else {
            return fail(err, -1,
                        "lognormal takes two quantiles such as 'p10' and 'p90', or 'mean' and 'sd', or 'mu' and 'sigma'");
        }
        d->p[0] = mu, d->p[1] = sigma;
        return 0;
    }

    case WA_DIST_BETA: {
        if (!HAS(0) || !HAS(1))
            return fail(err, -1, "beta needs 'a' and 'b'");
        double a = VAL(0), b = VAL(1);
        double lo = HAS(2) ? VAL(2) : 0.0, hi = HAS(3) ? VAL(3) : 1.0;
        if (!(a > 0))
            return fail(err, ARG(0), "a must be > 0 (got %g)", a);
        if (!(b > 0))
            return fail(err, ARG(1), "b must be > 0 (got %g)", b);
        if (a > BETA_MAX_SHAPE)
            return fail(err, ARG(0), "a must be at most %g (got %g)", BETA_MAX_SHAPE, a);
        if (b > BETA_MAX_SHAPE)
            return fail(err, ARG(1), "b must be at most %g (got %g)", BETA_MAX_SHAPE, b);
        if (!(lo < hi))
            return fail(err, -1, "beta needs min < max (min %g is not below max %g)", lo, hi);
        if (check_range("beta", lo, hi, err))
            return -1;
        d->p[0] = a, d->p[1] = b, d->p[2] = lo, d->p[3] = hi;
        return 0;
    }

    case WA_DIST_GAMMA: {
        double shape, scale;
        /* slots: 0 shape, 1 scale, 2 mean, 3 sd */
        if (HAS(0) && HAS(1) && nnamed == 2) {
            shape = VAL(0), scale = VAL(1);
            if (!(shape > 0))
                return fail(err, ARG(0), "shape must be > 0 (got %g)", shape);
            if (!(scale > 0))
                return fail(err, ARG(1), "scale must be > 0 (got %g)", scale);
        } else if (HAS(2) && HAS(3) && nnamed == 2) {
            double mean = VAL(2), sd = VAL(3);
            if (!(mean > 0))
                return fail(err, ARG(2), "mean must be > 0 (got %g)", mean);
            if (!(sd > 0))
                return fail(err, ARG(3), "sd must be > 0 (got %g)", sd);
            double r = mean / sd;
            shape = r * r;
            scale = sd / r;
            if (!(shape > 0 && isfinite(shape) && scale > 0 && isfinite(scale)))
                return fail(err, -1, "gamma with mean %g and sd %g has no finite shape and scale", mean, sd);
        } else {
            return fail(err, -1, "gamma takes 'shape' and 'scale', or 'mean' and 'sd'");
        }
        d->p[0] = shape, d->p[1] = scale;
        return 0;
    }

    case WA_DIST_BERNOULLI: {
        if (!HAS(0))
            return fail(err, -1, "bernoulli needs 'p'");
        double p = VAL(0);
        if (!(p >= 0 && p <= 1))
            return fail(err, ARG(0), "p must be between 0 and 1 (got %g)", p);
        d->p[0] = p;
        return 0;
    }

    case WA_DIST_POISSON: {
        if (!HAS(0))
            return fail(err, -1, "poisson needs 'mean'");
        double m = VAL(0);
        if (!(m >= 0 && m <= POISSON_MAX_MEAN))
            return fail(err, ARG(0), "mean must be between 0 and %g (got %g)", POISSON_MAX_MEAN, m);
        d->p[0] = m;
        return 0;
    }

    case WA_DIST_METALOG: /* not in kind_names: wa_dist_kind_of never gives it */
        break;
    case WA_DIST_DISCRETE:
        if (!HAS(0))
            return fail(err, -1, "discrete needs 'values'");
        return make_discrete(d, &args[ARG(0)], ARG(0), HAS(1) ? &args[ARG(1)] : NULL, ARG(1), err);
    }
#undef HAS
#undef VAL
#undef ARG
    return fail(err, -2, "unknown distribution '%s'", name);
}

/* ------------------------------------------------------------------------------------- */
/* Truncation                                                                             */

/* Lower and upper tail of the untruncated distribution at x: *F = P(X <= x), *Q = P(X > x). */
static void tails_at(const wa_dist *d, double x, double *F, double *Q)
{
    switch (d->kind) {
    case WA_DIST_NORMAL: {
        double z = (x - d->p[0]) / d->p[1];
        *F = std_normal_P(z), *Q = std_normal_Q(z);
        return;
    }
    case WA_DIST_LOGNORMAL: {
        if (!(x > 0)) {
            *F = 0, *Q = 1;
            return;
        }
        double z = (log(x) - d->p[0]) / d->p[1];
        *F = std_normal_P(z), *Q = std_normal_Q(z);
        return;
    }
    case WA_DIST_GAMMA: {
        double y = x / d->p[1];
        *F = gamma_tail(d->p[0], y, 0), *Q = gamma_tail(d->p[0], y, 1);
        return;
    }
    default:
        *F = 0, *Q = 1;
    }
}

/* The probability the window keeps, from whichever pair of tails is precise. */
static double kept(const wa_dist *d)
{
    if (d->flo >= 0.5)
        return d->qlo - d->qhi;
    if (d->fhi <= 0.5)
        return d->fhi - d->flo;
    return 1.0 - d->flo - d->qhi;
}

int wa_dist_truncate(wa_dist *d, int has_lo, double lo, int has_hi, double hi, wa_dist_error *err)
{
    if (d->kind != WA_DIST_NORMAL && d->kind != WA_DIST_LOGNORMAL && d->kind != WA_DIST_GAMMA)
        return fail(err, -1, "truncate applies to normal, lognormal and gamma, not to %s",
                    wa_dist_name(d->kind));
    if (!has_lo && !has_hi)
        return fail(err, -1, "truncate needs 'min', 'max' or both");
    if (has_lo && !isfinite(lo))
        return fail(err, 0, "'min' must be a finite number");
    if (has_hi && !isfinite(hi))
        return fail(err, 1, "'max' must be a finite number");
    if (has_lo && has_hi && !(lo < hi))
        return fail(err, -1, "truncate keeps no probability: min %g is not below max %g", lo, hi);
    wa_dist t = *d;
    t.has_lo = has_lo, t.has_hi = has_hi;
    t.lo = has_lo ? lo : -INFINITY, t.hi = has_hi ? hi : INFINITY;
    t.flo = 0, t.qlo = 1, t.fhi = 1, t.qhi = 0;
    if (has_lo)
        tails_at(&t, lo, &t.flo, &t.qlo);
    if (has_hi)
        tails_at(&t, hi, &t.fhi, &t.qhi);
    double w = kept(&t);
    if (!(w > TRUNC_MIN_KEEP)) {
        if (has_lo && has_hi)
            return fail(err, -1, "truncate keeps no probability: P(%g < x < %g) = %g (must be above %g)",
                        lo, hi, w, TRUNC_MIN_KEEP);
        if (has_lo)
            return fail(err, 0, "truncate keeps no probability: P(x > %g) = %g (must be above %g)", lo, w,
                        TRUNC_MIN_KEEP);
        return fail(err, 1, "truncate keeps no probability: P(x < %g) = %g (must be above %g)", hi, w,
                    TRUNC_MIN_KEEP);
    }
    /* The table is of the untruncated quantile: a truncated gamma takes the exact path,
       which computes the conditional draw on the precise tail. */
    wa_free(t.table);
    t.table = NULL;
    *d = t;
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Sampling                                                                               */

static inline double clamp(double x, double lo, double hi)
{
    /* a NaN becomes the lower bound: never let one out. Comparisons, not fmin/fmax,
       which are calls that stop a loop from vectorising. */
    return !(x >= lo) ? lo : x > hi ? hi : x;
}

static size_t discrete_index(const double *cum, size_t n, double u)
{
    size_t lo = 0, hi = n - 1; /* cum[n-1] == 1 >= u */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The beta shape and range of a pert (min, max, alpha, beta) or a beta (a, b, min, max). */
static void beta_params(const wa_dist *d, double *a, double *b, double *lo, double *hi)
{
    const double *p = d->p;
    if (d->kind == WA_DIST_PERT)
        *lo = p[0], *hi = p[1], *a = p[2], *b = p[3];
    else
        *a = p[0], *b = p[1], *lo = p[2], *hi = p[3];
}

static void quantiles_exact(const wa_dist *d, const double *u, double *x, size_t n);

void wa_dist_quantiles(const wa_dist *d, const double *u, double *x, size_t n)
{
    if (d->table)
        wa_qtable_eval(d->table, u, x, n);
    else
        quantiles_exact(d, u, x, n);
}

int wa_dist_takes_z(const wa_dist *d)
{
    switch (d->kind) {
    case WA_DIST_NORMAL:
    case WA_DIST_LOGNORMAL:
        return !d->table && !d->has_lo && !d->has_hi;
    case WA_DIST_BERNOULLI:
        return 1;
    default:
        return d->table != NULL;
    }
}

WA_VECTORISED
void wa_dist_from_z(const wa_dist *d, const double *z, double *x, size_t n)
{
    if (d->table) {
        wa_qtable_from_z(d->table, z, x, n);
        return;
    }
    /* the scores of the least and greatest uniforms, 2^-53 and 1 - 2^-53 */
    double zb[2] = {0x1.0p-53, 1.0 - 0x1.0p-53};
    wa_normal_quantiles(zb, zb, 2);
    const double zlo = zb[0], zhi = zb[1], m = d->p[0], s = d->p[1];
    if (d->kind == WA_DIST_BERNOULLI) {
        /* u > 1 - p, u = Phi(z): z above the score of 1 - p (infinite at p = 0 or 1) */
        double t = 1 - d->p[0];
        double zt = t <= 0 ? -INFINITY : t >= 1 ? INFINITY : gsl_cdf_ugaussian_Pinv(t);
        for (size_t i = 0; i < n; i++)
            x[i] = z[i] > zt ? 1.0 : 0.0;
    } else if (d->kind == WA_DIST_LOGNORMAL) {
        for (size_t i = 0; i < n; i++)
            x[i] = wa_exp(m + s * (z[i] < zlo ? zlo : z[i] > zhi ? zhi : z[i]));
    } else {
        for (size_t i = 0; i < n; i++)
            x[i] = m + s * (z[i] < zlo ? zlo : z[i] > zhi ? zhi : z[i]);
    }
}

WA_VECTORISED
static void quantiles_exact(const wa_dist *d, const double *u, double *x, size_t n)
{
    /* One switch per block; constants hoisted out of the loops. */
    const double *p = d->p;
    switch (d->kind) {
    case WA_DIST_CONSTANT:
        for (size_t i = 0; i < n; i++)
            x[i] = p[0];
        return;

    case WA_DIST_UNIFORM: {
        double lo = p[0], hi = p[1], r = hi - lo; /* locals: x might alias p */
        for (size_t i = 0; i < n; i++)
            x[i] = clamp(lo + u[i] * r, lo, hi);
        return;
    }

    case WA_DIST_TRIANGULAR: {
        double a = p[0], c = p[1], b = p[2], r = b - a;
        double fc = (c - a) / r, gc = (b - c) / r; /* F(mode) and 1 - F(mode) */
        /* branch-free, both sides computed, so that it vectorises: u is below or above
           F(mode) at random */
        for (size_t i = 0; i < n; i++) {
            double v = u[i];
            double yl = a + r * sqrt(v * fc), yu = b - r * sqrt((1 - v) * gc);
            yl = yl < c ? yl : c;
            yu = yu > c ? yu : c;
            x[i] = clamp(v <= fc ? yl : yu, a, b);
        }
        return;
    }

    case WA_DIST_PERT:
    case WA_DIST_BETA: {
        double a, b, lo, hi;
        beta_params(d, &a, &b, &lo, &hi);
        /* Answers at or below 1/2 are solved for x on beta(a, b), those above for 1 - x on
           beta(b, a), so that neither side loses digits to 1 - x; each on the tail (P or
           1 - P) that is at most 1/2, so that u near 0 or 1 keeps its precision too. */
        double r = hi - lo, lnb = d->lnnorm, fhalf = d->fhalf;
        for (size_t i = 0; i < n; i++) {
            double v = u[i], y;
            if (v <= fhalf)
                y = lo + r * (v <= 0.5 ? beta_inv(a, b, v, 0, lnb) : beta_inv(a, b, 1 - v, 1, lnb));
            else
                y = hi - r * (v >= 0.5 ? beta_inv(b, a, 1 - v, 0, lnb) : beta_inv(b, a, v, 1, lnb));
            x[i] = clamp(y, lo, hi);
        }
        return;
    }

    case WA_DIST_NORMAL:
    case WA_DIST_LOGNORMAL: {
        /* The conditional quantile: p = F(lo) + u w on the lower side, 1 - p = Q(hi) +
           (1 - u) w on the upper, w the kept probability (1 untruncated). */
        double m = p[0], s = p[1], flo = d->flo, qhi = d->qhi, w = kept(d);
        int logn = d->kind == WA_DIST_LOGNORMAL;
        double lo = d->lo, hi = d->hi;
        if (logn && lo < 0)
            lo = 0;
        if (!d->has_lo && !d->has_hi) {
            /* untruncated: the block normal quantile (normq.h), then location and scale */
            wa_normal_quantiles(u, x, n);
            if (logn)
                for (size_t i = 0; i < n; i++)
                    x[i] = wa_exp(m + s * x[i]); /* vmath.h: vectorises */
            else
                for (size_t i = 0; i < n; i++)
                    x[i] = m + s * x[i];
            return;
        }
        for (size_t i = 0; i < n; i++) {
            double v = u[i], pl = flo + v * w, z;
            if (pl <= 0.5)
                z = gsl_cdf_ugaussian_Pinv(pl);
            else
                z = gsl_cdf_ugaussian_Qinv(qhi + (1 - v) * w);
            double y = m + s * z;
            x[i] = clamp(logn ? exp(y) : y, lo, hi);
        }
        return;
    }

    case WA_DIST_GAMMA: {
        double a = p[0], sc = p[1], flo = d->flo, qhi = d->qhi, w = kept(d);
        double lnga = d->lnnorm;
        double lo = d->lo < 0 ? 0 : d->lo, hi = d->hi;
        for (size_t i = 0; i < n; i++) {
            double v = u[i], pl = flo + v * w, y;
            if (pl <= 0.5)
                y = gamma_inv(a, pl, 0, lnga);
            else
                y = gamma_inv(a, qhi + (1 - v) * w, 1, lnga);
            x[i] = clamp(sc * y, lo, hi);
        }
        return;
    }

    case WA_DIST_METALOG:
        wa_metalog_quantiles(d->ml, u, x, n);
        return;

    case WA_DIST_BERNOULLI: {
        double t = 1 - p[0];
        for (size_t i = 0; i < n; i++)
            x[i] = u[i] > t ? 1.0 : 0.0;
        return;
    }

    case WA_DIST_POISSON:
        for (size_t i = 0; i < n; i++)
            x[i] = poisson_inv(p[0], u[i]);
        return;

    case WA_DIST_DISCRETE:
        for (size_t i = 0; i < n; i++)
            x[i] = d->values[discrete_index(d->cum, d->nvalues, u[i])];
        return;
    }
}

double wa_dist_midrank(const wa_dist *d, double u)
{
    switch (d->kind) {
    case WA_DIST_BERNOULLI: {
        double t = 1 - d->p[0]; /* u <= t gives 0, above it 1 (quantiles_exact) */
        return u > t ? (t + 1) / 2 : t / 2;
    }
    case WA_DIST_DISCRETE: {
        size_t j = discrete_index(d->cum, d->nvalues, u);
        return ((j ? d->cum[j - 1] : 0) + d->cum[j]) / 2;
    }
    case WA_DIST_POISSON: {
        double k = poisson_inv(d->p[0], u);
        double hi = gsl_cdf_poisson_P((unsigned)k, d->p[0]);
        double lo = k > 0 ? gsl_cdf_poisson_P((unsigned)k - 1, d->p[0]) : 0;
        return (lo + hi) / 2;
    }
    default:
        return u; /* continuous: u is the value's rank among all values */
    }
}

double wa_dist_quantile(const wa_dist *d, double u)
{
    double x;
    quantiles_exact(d, &u, &x, 1);
    return x;
}

double wa_dist_quantile_tail(const wa_dist *d, double p, int upper)
{
    const double *q = d->p;
    if (d->kind == WA_DIST_GAMMA && !d->has_lo && !d->has_hi) {
        double a = q[0], lnga = d->lnnorm;
        /* solve on the tail that is at most 1/2, given exactly or by its complement */
        double y = p <= 0.5 ? gamma_inv(a, p, upper, lnga) : gamma_inv(a, 1 - p, !upper, lnga);
        return q[1] * y;
    }
    if (d->kind == WA_DIST_PERT || d->kind == WA_DIST_BETA) {
        double a, b, lo, hi;
        beta_params(d, &a, &b, &lo, &hi);
        double r = hi - lo, lnb = d->lnnorm, fhalf = d->fhalf, y;
        /* pl, pu: the lower and upper tail probabilities, the given one exact */
        double pl = upper ? 1 - p : p, pu = upper ? p : 1 - p;
        if (pl <= fhalf) /* the answer is at most 1/2: solve for x on beta(a, b) */
            y = lo + r * (pl <= 0.5 ? beta_inv(a, b, pl, 0, lnb) : beta_inv(a, b, pu, 1, lnb));
        else /* above 1/2: solve for 1 - x on beta(b, a) */
            y = hi - r * (pu <= 0.5 ? beta_inv(b, a, pu, 0, lnb) : beta_inv(b, a, pl, 1, lnb));
        return clamp(y, lo, hi);
    }
    return wa_dist_quantile(d, upper ? 1 - p : p);
}

/* ------------------------------------------------------------------------------------- */
/* Moments                                                                                */

/* ln f(x) of the untruncated distribution. */
double wa_dist_log_pdf(const wa_dist *d, double x)
{
    const double *p = d->p;
    switch (d->kind) {
    case WA_DIST_PERT:
    case WA_DIST_BETA: {
        double a, b, lo, hi;
        beta_params(d, &a, &b, &lo, &hi);
        double y = (x - lo) / (hi - lo);
        if (!(y >= 0 && y <= 1))
            return -INFINITY;
        return (a - 1) * log(y) + (b - 1) * log1p(-y) - d->lnnorm - log(hi - lo);
    }
    case WA_DIST_NORMAL: {
        double z = (x - p[0]) / p[1];
        return -0.5 * z * z - log(p[1]) - LN_SQRT_2PI;
    }
    case WA_DIST_LOGNORMAL: {
        if (!(x > 0))
            return -INFINITY;
        double z = (log(x) - p[0]) / p[1];
        return -0.5 * z * z - log(x * p[1]) - LN_SQRT_2PI;
    }
    case WA_DIST_GAMMA: {
        if (!(x > 0))
            return -INFINITY;
        double y = x / p[1];
        return (p[0] - 1) * log(y) - y - d->lnnorm - log(p[1]);
    }
    default:
        return -INFINITY;
    }
}

/* Mean and variance over a finite window [lo, hi] by composite 10-point Gauss–Legendre
   (64 panels), the density taken relative to its largest sampled value. Used only for
   windows so narrow that the closed forms cancel; there the density is smooth across the
   window and the rule is exact to rounding. */
static void window_moments(const wa_dist *d, double lo, double hi, double *mean, double *var)
{
    static const double gx[5] = {0.14887433898163121, 0.43339539412924719, 0.67940956829902441,
                                 0.86506336668898451, 0.97390652851717172};
    static const double gw[5] = {0.29552422471475287, 0.26926671930999636, 0.21908636251598204,
                                 0.14945134915058059, 0.06667134430868814};
    enum { PANELS = 64 };
    double h = (hi - lo) / PANELS, ref = -INFINITY;
    for (int k = 0; k <= PANELS; k++) {
        double l = wa_dist_log_pdf(d, lo + k * h);
        if (l > ref)
            ref = l;
    }
    if (!isfinite(ref))
        ref = 0;
    double s0 = 0, s1 = 0, s2 = 0, c = lo + (hi - lo) / 2;
    for (int pass = 0; pass < 2; pass++) {
        s0 = s1 = s2 = 0;
        for (int k = 0; k < PANELS; k++) {
            double mid = lo + (k + 0.5) * h;
            for (int j = 0; j < 10; j++) {
                double t = (j < 5 ? -gx[j] : gx[j - 5]) * h / 2, wt = gw[j % 5];
                double xx = mid + t, f = wt * exp(wa_dist_log_pdf(d, xx) - ref), dx = xx - c;
                s0 += f, s1 += f * dx, s2 += f * dx * dx;
            }
        }
        c += s1 / s0; /* second pass centred on the mean: no cancellation in s2 */
    }
    *mean = c;
    *var = s2 / s0 - (s1 / s0) * (s1 / s0);
}

/* Probability of (lo, hi) (y units) under the standard gamma of shape s, from the precise
   pair of tails. */
static double gamma_window(double s, double lo, double hi)
{
    double Fa = gamma_tail(s, lo, 0), Qa = gamma_tail(s, lo, 1);
    double Fb = gamma_tail(s, hi, 0), Qb = gamma_tail(s, hi, 1);
    if (Fa >= 0.5)
        return Qa - Qb;
    if (Fb <= 0.5)
        return Fb - Fa;
    return 1.0 - Fa - Qb;
}

static double phi(double z) { return isfinite(z) ? exp(-0.5 * z * z) / SQRT_2PI : 0.0; }

/* Moments of the truncated normal, lognormal and gamma by their closed forms (Johnson, Kotz
   & Balakrishnan: the normal's standard formulas; for the lognormal and the gamma the
   partial moments are window probabilities of a shifted normal, or of the gamma with shape
   k+1 and k+2). E[X^2] - m^2 cancels when the window is narrow against its distance from 0;
   when that would lose more than six digits and the window is finite, window_moments
   integrates instead. */
static void truncated_moments(const wa_dist *d, double *mean, double *var)
{
    const double *p = d->p;
    double w = kept(d), m, v, scale;
    switch (d->kind) {
    case WA_DIST_NORMAL: {
        double al = (d->lo - p[0]) / p[1], be = (d->hi - p[0]) / p[1];
        double pa = phi(al), pb = phi(be);
        double apa = isfinite(al) ? al * pa : 0, bpb = isfinite(be) ? be * pb : 0;
        double r = (pa - pb) / w;
        m = p[0] + p[1] * r;
        v = p[1] * p[1] * (1 + (apa - bpb) / w - r * r);
        scale = p[1] * p[1] * (1 + fabs(apa / w) + fabs(bpb / w) + r * r);
        break;
    }
    case WA_DIST_LOGNORMAL: {
        double mu = p[0], s = p[1];
        double al = d->lo > 0 ? (log(d->lo) - mu) / s : -INFINITY, be = (log(d->hi) - mu) / s;
        double lw = log(w);
        m = exp(mu + s * s / 2 + log(normal_window(al - s, be - s)) - lw);
        double ex2 = exp(2 * mu + 2 * s * s + log(normal_window(al - 2 * s, be - 2 * s)) - lw);
        v = ex2 - m * m;
        scale = ex2;
        break;
    }
    default: { /* gamma */
        double k = p[0], th = p[1];
        double a = d->lo / th, b = d->hi / th;
        m = k * th * (gamma_window(k + 1, a, b) / w);
        double ex2 = k * (k + 1) * th * th * (gamma_window(k + 2, a, b) / w);
        v = ex2 - m * m;
        scale = ex2;
        break;
    }
    }
    if (d->has_lo && d->has_hi && !(v > 1e-6 * scale))
        window_moments(d, d->lo > 0 || d->kind == WA_DIST_NORMAL ? d->lo : 0, d->hi, &m, &v);
    *mean = clamp(m, d->lo, d->hi);
    *var = v > 0 ? v : 0;
}

static void moments(const wa_dist *d, double *mean, double *var)
{
    const double *p = d->p;
    switch (d->kind) {
    case WA_DIST_METALOG: {
        /* No closed form: the integrals of Q(u) and Q(u)^2 over (0,1) by the midpoint rule
           on 2^16 points, in one pass (fine for tests and reports; the tails' share of
           the error is below 1e-4 of the sd for the shapes feasibility allows) */
        enum { M = 1 << 16 };
        double s1 = 0, s2 = 0;
        for (int i = 0; i < M; i++) {
            double x = wa_metalog_quantile(d->ml, (i + 0.5) / M);
            s1 += x;
            s2 += x * x;
        }
        *mean = s1 / M;
        *var = s2 / M - *mean * *mean;
        return;
    }
    case WA_DIST_CONSTANT:
        *mean = p[0], *var = 0;
        return;
    case WA_DIST_UNIFORM: {
        double r = p[1] - p[0];
        *mean = p[0] + r / 2, *var = r * r / 12;
        return;
    }
    case WA_DIST_TRIANGULAR: { /* shifted to min, so nothing cancels */
        double c = p[1] - p[0], b = p[2] - p[0];
        *mean = p[0] + (b + c) / 3;
        *var = (b * b + c * c - b * c) / 18;
        return;
    }
    case WA_DIST_PERT:
    case WA_DIST_BETA: {
        double a, b, lo, r;
        if (d->kind == WA_DIST_PERT)
            lo = p[0], r = p[1] - p[0], a = p[2], b = p[3];
        else
            a = p[0], b = p[1], lo = p[2], r = p[3] - p[2];
        double s = a + b;
        *mean = lo + r * (a / s);
        *var = r * r * (a / s) * (b / s) / (s + 1);
        return;
    }
    case WA_DIST_NORMAL:
    case WA_DIST_LOGNORMAL:
    case WA_DIST_GAMMA:
        if (d->has_lo || d->has_hi) {
            truncated_moments(d, mean, var);
            return;
        }
        if (d->kind == WA_DIST_NORMAL) {
            *mean = p[0], *var = p[1] * p[1];
        } else if (d->kind == WA_DIST_LOGNORMAL) {
            double s2 = p[1] * p[1];
            *mean = exp(p[0] + s2 / 2);
            *var = expm1(s2) * exp(2 * p[0] + s2);
        } else {
            *mean = p[0] * p[1], *var = p[0] * p[1] * p[1];
        }
        return;
    case WA_DIST_BERNOULLI:
        *mean = p[0], *var = p[0] * (1 - p[0]);
        return;
    case WA_DIST_POISSON:
        *mean = p[0], *var = p[0];
        return;
    case WA_DIST_DISCRETE: {
        double m = 0, v = 0, prev = 0;
        for (size_t i = 0; i < d->nvalues; i++) {
            m += (d->cum[i] - prev) * d->values[i];
            prev = d->cum[i];
        }
        prev = 0;
        for (size_t i = 0; i < d->nvalues; i++) {
            double e = d->values[i] - m;
            v += (d->cum[i] - prev) * e * e;
            prev = d->cum[i];
        }
        *mean = m, *var = v;
        return;
    }
    }
    *mean = *var = NAN;
}

double wa_dist_mean(const wa_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return m;
}

double wa_dist_variance(const wa_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return v;
}

void wa_dist_support(const wa_dist *d, double *lo, double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (d->kind) {
    case WA_DIST_PERT:
    case WA_DIST_BETA: {
        double a, b;
        beta_params(d, &a, &b, lo, hi);
        break;
    }
    case WA_DIST_METALOG:
        if (d->ml->has_lo)
            *lo = d->ml->lo;
        if (d->ml->has_hi)
            *hi = d->ml->hi;
        break;
    case WA_DIST_LOGNORMAL:
    case WA_DIST_GAMMA:
        *lo = 0;
        break;
    default:
        break;
    }
}

void wa_dist_free(wa_dist *d)
{
    if (!d)
        return;
    wa_free(d->values);
    wa_free(d->cum);
    wa_free(d->table);
    wa_free(d->ml);
    d->values = d->cum = NULL;
    d->table = NULL;
    d->ml = NULL;
    d->nvalues = 0;
}
