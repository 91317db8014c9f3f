/*
 * test_dist.c — distributions: set-up and every error message, inverse CDFs against closed
 * forms, GSL and 40-digit references, sample moments against exact ones, truncation,
 * discrete boundaries, monotonicity, and that GSL's error handler is never reached.
 *
 * Sample-moment checks draw n = 100000 values from a fixed stream and accept
 * |sample mean - mean| <= 4 sd / sqrt(n) and |sample variance - variance| <= 4 SE, with
 * SE = sqrt((m4 - s^4) / n), m4 and s^2 the sample's fourth central moment and variance
 * (the asymptotic SE of a sample variance, plug-in; the laws tested have light enough
 * tails for m4 to be well estimated at this n). Four SE: a false alarm about once in 16000.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "sample/dist.h"
#include "sample/rng.h"

/* ---- GSL's error handler: counted, so a test can show it was never reached ---------- */

static int gsl_errors;
static char gsl_last[256];

static void count_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
    gsl_errors++;
    snprintf(gsl_last, sizeof gsl_last, "%s:%d: %s (%d)", file, line, reason, gsl_errno);
}

static void setup(void) { gsl_set_error_handler(count_gsl_error); }

TestSuite(dist, .init = setup);

#define NO_GSL_ERRORS() cr_assert_eq(gsl_errors, 0, "GSL error handler reached: %s", gsl_last)

/* ---- building distributions ---------------------------------------------------------- */

typedef struct kv {
    const char *key;
    double v;
} kv;

#define NKV(...) (sizeof((kv[]){__VA_ARGS__}) / sizeof(kv))

static int mk(wa_dist *d, wa_dist_error *e, const char *name, size_t n, const kv *kvs)
{
    wa_dist_arg args[8] = {{0}}; /* zeroed: with n = 0 GCC -O3 thinks it is read unset */
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        args[i] = (wa_dist_arg){kvs[i].key, &kvs[i].v, 1, 0};
    return wa_dist_make(d, name, args, n, e);
}

static wa_dist made_(const char *name, size_t n, const kv *kvs)
{
    wa_dist d;
    wa_dist_error e = {0, "", 0};
    int rc = mk(&d, &e, name, n, kvs);
    cr_assert_eq(rc, 0, "%s: %s", name, e.message);
    return d;
}
#define MADE(name, ...) made_(name, NKV(__VA_ARGS__), (kv[]){__VA_ARGS__})

static void expect_err_(const char *name, size_t n, const kv *kvs, int arg, const char *msg)
{
    wa_dist d;
    wa_dist_error e = {99, "", 0};
    cr_assert_eq(mk(&d, &e, name, n, kvs), -1, "expected: %s", msg);
    cr_assert_str_eq(e.message, msg);
    cr_assert_eq(e.arg, arg, "arg %d, want %d for: %s", e.arg, arg, msg);
}
#define EXPECT_ERR(arg, msg, name, ...) expect_err_(name, NKV(__VA_ARGS__), (kv[]){__VA_ARGS__}, arg, msg)

static void expect_args_err(const char *name, const wa_dist_arg *args, size_t n, int arg,
                            const char *msg)
{
    wa_dist d;
    wa_dist_error e = {99, "", 0};
    cr_assert_eq(wa_dist_make(&d, name, args, n, &e), -1, "expected: %s", msg);
    cr_assert_str_eq(e.message, msg);
    cr_assert_eq(e.arg, arg, "arg %d, want %d for: %s", e.arg, arg, msg);
}

static void expect_trunc_err(wa_dist d, int has_lo, double lo, int has_hi, double hi, int arg,
                             const char *msg)
{
    wa_dist_error e = {99, "", 0};
    cr_assert_eq(wa_dist_truncate(&d, has_lo, lo, has_hi, hi, &e), -1, "expected: %s", msg);
    cr_assert_str_eq(e.message, msg);
    cr_assert_eq(e.arg, arg, "arg %d, want %d for: %s", e.arg, arg, msg);
}

static void truncate_ok(wa_dist *d, int has_lo, double lo, int has_hi, double hi)
{
    wa_dist_error e = {0, "", 0};
    cr_assert_eq(wa_dist_truncate(d, has_lo, lo, has_hi, hi, &e), 0, "%s", e.message);
}

#define assert_rel(got, want, rel) assert_rel_((got), (want), (rel), #got, __LINE__)

static void assert_rel_(double got, double want, double rel, const char *what, int line)
{
    cr_assert(fabs(got - want) <= rel * fabs(want), "line %d: %s = %.17g, want %.17g (rel %.3g)", line,
              what, got, want, fabs(got - want) / fabs(want));
}

/* ---- sample checks -------------------------------------------------------------------- */

/* See the top comment for the tolerance. Draws in blocks of 4096 through the block API. */
static void check_moments(const wa_dist *d, uint64_t seed)
{
    enum { N = 100000, B = 4096 };
    static double x[N];
    wa_rng r;
    wa_rng_seed(&r, seed, wa_stream_key("moments"), 0);
    for (size_t i = 0; i < N; i += B) {
        size_t m = N - i < B ? N - i : B;
        wa_rng_fill_uniform(&r, x + i, m);
        wa_dist_quantiles(d, x + i, x + i, m); /* u and x alias */
    }
    long double s = 0;
    for (size_t i = 0; i < N; i++) {
        cr_assert(!isnan(x[i]));
        s += x[i];
    }
    double mean = (double)(s / N);
    long double m2 = 0, m4 = 0;
    for (size_t i = 0; i < N; i++) {
        long double e = x[i] - mean;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    double var = (double)(m2 / (N - 1)), c4 = (double)(m4 / N);
    double em = wa_dist_mean(d), ev = wa_dist_variance(d);
    double se_mean = sqrt(ev / N), se_var = sqrt((c4 - var * var) / N);
    cr_assert(fabs(mean - em) <= 4 * se_mean, "%s: sample mean %.10g, exact %.10g, 4 SE %.3g",
              wa_dist_name(d->kind), mean, em, 4 * se_mean);
    cr_assert(fabs(var - ev) <= 4 * se_var, "%s: sample variance %.10g, exact %.10g, 4 SE %.3g",
              wa_dist_name(d->kind), var, ev, 4 * se_var);
    NO_GSL_ERRORS();
}

/* Q(u) over a sorted sweep of u, the extremes of the generator included: never NaN,
   non-decreasing, inside [lo, hi]. */
static void check_monotone(const wa_dist *d, double lo, double hi)
{
    enum { N = 2003 };
    double u[N], x[N];
    u[0] = 0x1p-54;
    u[1] = 1e-300 / 1e-284; /* 1e-16 */
    u[2] = 1e-12;
    for (int i = 3; i < N - 3; i++)
        u[i] = (i - 2.5) / (N - 5);
    u[N - 3] = 1 - 1e-12;
    u[N - 2] = 1 - 1e-16;
    u[N - 1] = 1 - 0x1p-53;
    wa_dist_quantiles(d, u, x, N);
    for (int i = 0; i < N; i++) {
        cr_assert(!isnan(x[i]) && x[i] >= lo && x[i] <= hi, "%s: Q(%.17g) = %.17g outside [%g, %g]",
                  wa_dist_name(d->kind), u[i], x[i], lo, hi);
        if (i)
            cr_assert(x[i] >= x[i - 1], "%s: Q(%.17g) = %.17g < Q(%.17g) = %.17g",
                      wa_dist_name(d->kind), u[i], x[i], u[i - 1], x[i - 1]);
    }
    NO_GSL_ERRORS();
}

/* ====================================================================================== */
/* Names                                                                                  */

Test(dist, names_round_trip)
{
    for (int k = WA_DIST_CONSTANT; k <= WA_DIST_DISCRETE; k++)
        cr_assert_eq(wa_dist_kind_of(wa_dist_name((wa_dist_kind)k)), k);
    cr_assert_str_eq(wa_dist_name(WA_DIST_PERT), "pert");
    cr_assert_eq(wa_dist_kind_of("metalog"), -1);
    cr_assert_eq(wa_dist_kind_of("gama"), -1);
    cr_assert_eq(wa_dist_kind_of(NULL), -1);
}

/* ====================================================================================== */
/* Errors: every message, exactly, with the argument it points at                         */

Test(dist, error_unknown_distribution)
{
    EXPECT_ERR(-2, "unknown distribution 'gama'; did you mean 'gamma'?", "gama", {"shape", 1}, {"scale", 1});
    EXPECT_ERR(-2, "unknown distribution 'Normal'; did you mean 'normal'?", "Normal", {"mean", 1});
    EXPECT_ERR(-2,
               "unknown distribution 'zipf' (expected constant, uniform, triangular, pert, normal, lognormal, beta, gamma, bernoulli, poisson or discrete)",
               "zipf", {"s", 1});
    EXPECT_ERR(-2, "metalog takes 'quantiles', a mapping of probabilities to values", "metalog", {"p10", 1});
    wa_dist d;
    wa_dist_error e;
    cr_assert_eq(wa_dist_make(&d, NULL, NULL, 0, &e), -1);
    cr_assert_str_eq(e.message, "missing distribution name");
    cr_assert_eq(e.arg, -2);
}

Test(dist, error_unknown_parameter)
{
    EXPECT_ERR(1, "unknown parameter 'mod' for triangular; did you mean 'mode'?", "triangular",
               {"min", 1}, {"mod", 2}, {"max", 3});
    EXPECT_ERR(0, "unknown parameter 'xyzzy' for uniform (parameters: min, max)", "uniform", {"xyzzy", 1},
               {"min", 0}, {"max", 1});
    EXPECT_ERR(0, "unknown parameter 'p10' for uniform (parameters: min, max)", "uniform", {"p10", 1},
               {"max", 2});
    EXPECT_ERR(2, "unknown parameter 'sigam' for lognormal; did you mean 'sigma'?", "lognormal",
               {"mu", 0}, {"sigma", 1}, {"sigam", 1});
    EXPECT_ERR(0, "unknown parameter 'x' for normal (parameters: mean, sd, p1 ... p99)", "normal", {"x", 1});
}

Test(dist, error_quantile_key_out_of_range)
{
    EXPECT_ERR(1, "quantile key 'p100' must be p1 ... p99", "normal", {"p10", 1}, {"p100", 2});
    EXPECT_ERR(0, "quantile key 'p0' must be p1 ... p99", "normal", {"p0", 1}, {"p90", 2});
    EXPECT_ERR(0, "quantile key 'p05' must be p1 ... p99", "lognormal", {"p05", 1}, {"p95", 2});
}

Test(dist, error_list_and_number_mixed_up)
{
    double two[2] = {1, 2}, one = 1;
    wa_dist_arg a[2] = {{"min", two, 2, 1}, {"max", &one, 1, 0}};
    expect_args_err("uniform", a, 2, 0, "'min' must be a number, not a list");
    wa_dist_arg b[1] = {{"values", &one, 1, 0}};
    expect_args_err("discrete", b, 1, 0, "'values' must be a list of numbers");
    wa_dist_arg c[2] = {{"values", two, 2, 1}, {"weights", &one, 1, 0}};
    expect_args_err("discrete", c, 2, 1, "'weights' must be a list of numbers");
}

Test(dist, error_non_finite)
{
    EXPECT_ERR(1, "'max' must be a finite number", "uniform", {"min", 0}, {"max", INFINITY});
    EXPECT_ERR(0, "'mean' must be a finite number", "normal", {"mean", NAN}, {"sd", 1});
    EXPECT_ERR(0, "'p10' must be a finite number", "lognormal", {"p10", -INFINITY}, {"p90", 1});
    double v[3] = {1, NAN, 3};
    wa_dist_arg a[1] = {{"values", v, 3, 1}};
    expect_args_err("discrete", a, 1, 0, "'values' item 2 must be a finite number");
    double w[3] = {1, 1, INFINITY}, vv[3] = {1, 2, 3};
    wa_dist_arg b[2] = {{"values", vv, 3, 1}, {"weights", w, 3, 1}};
    expect_args_err("discrete", b, 2, 1, "'weights' item 3 must be a finite number");
}

Test(dist, error_given_twice)
{
    EXPECT_ERR(1, "parameter 'min' is given twice", "uniform", {"min", 0}, {"min", 1}, {"max", 2});
    EXPECT_ERR(2, "parameter 'p10' is given twice", "normal", {"p10", 0}, {"p90", 1}, {"p10", 2});
}

Test(dist, error_missing_parameters)
{
    expect_err_("constant", 0, NULL, -1, "constant needs 'value'");
    EXPECT_ERR(-1, "uniform needs 'min' and 'max'", "uniform", {"min", 1});
    EXPECT_ERR(-1, "triangular needs 'min', 'mode' and 'max'", "triangular", {"min", 1}, {"max", 2});
    EXPECT_ERR(-1, "pert needs 'min', 'mode' and 'max'", "pert", {"mode", 1}, {"max", 2}, {"lambda", 3});
    EXPECT_ERR(-1, "beta needs 'a' and 'b'", "beta", {"a", 1}, {"min", 0});
    expect_err_("bernoulli", 0, NULL, -1, "bernoulli needs 'p'");
    expect_err_("poisson", 0, NULL, -1, "poisson needs 'mean'");
    expect_err_("discrete", 0, NULL, -1, "discrete needs 'values'");
}

Test(dist, error_mixed_or_incomplete_parameterisation)
{
    const char *nm = "normal takes 'mean' and 'sd', or two quantiles such as 'p10' and 'p90'";
    EXPECT_ERR(-1, nm, "normal", {"mean", 1}, {"p90", 2});
    EXPECT_ERR(-1, nm, "normal", {"mean", 1});
    EXPECT_ERR(-1, nm, "normal", {"p10", 1});
    EXPECT_ERR(-1, nm, "normal", {"p10", 1}, {"p50", 2}, {"p90", 3});
    EXPECT_ERR(-1, nm, "normal", {"mean", 1}, {"sd", 1}, {"p90", 3});
    const char *ln =
        "lognormal takes two quantiles such as 'p10' and 'p90', or 'mean' and 'sd', or 'mu' and 'sigma'";
    EXPECT_ERR(-1, ln, "lognormal", {"mean", 1}, {"sigma", 1});
    EXPECT_ERR(-1, ln, "lognormal", {"mu", 1}, {"sigma", 1}, {"sd", 1});
    EXPECT_ERR(-1, ln, "lognormal", {"p10", 1}, {"mu", 1});
    const char *gm = "gamma takes 'shape' and 'scale', or 'mean' and 'sd'";
    EXPECT_ERR(-1, gm, "gamma", {"shape", 1}, {"sd", 1});
    EXPECT_ERR(-1, gm, "gamma", {"mean", 1});
    EXPECT_ERR(-1, gm, "gamma", {"shape", 1}, {"scale", 1}, {"mean", 1});
}

Test(dist, error_range_rules)
{
    EXPECT_ERR(-1, "uniform needs min < max (min 5 is not below max 3)", "uniform", {"min", 5}, {"max", 3});
    EXPECT_ERR(-1, "uniform needs min < max (min 2 is not below max 2)", "uniform", {"min", 2}, {"max", 2});
    EXPECT_ERR(-1, "uniform range from -1e+308 to 1e+308 is too wide", "uniform", {"min", -1e308},
               {"max", 1e308});
    EXPECT_ERR(-1, "triangular needs min < max (min 5 is not below max 5)", "triangular", {"min", 5},
               {"mode", 5}, {"max", 5});
    EXPECT_ERR(1, "triangular needs min <= mode <= max (mode 12 is above max 10)", "triangular", {"min", 0},
               {"mode", 12}, {"max", 10});
    EXPECT_ERR(1, "triangular needs min <= mode <= max (mode -1 is below min 0)", "triangular", {"min", 0},
               {"mode", -1}, {"max", 10});
    EXPECT_ERR(0, "pert needs min <= mode <= max (mode 12 is above max 10)", "pert", {"mode", 12},
               {"min", 0}, {"max", 10});
    EXPECT_ERR(-1, "pert range from -1e+308 to 1e+308 is too wide", "pert", {"min", -1e308}, {"mode", 0},
               {"max", 1e308});
    EXPECT_ERR(3, "lambda must be > 0 (got 0)", "pert", {"min", 0}, {"mode", 1}, {"max", 2}, {"lambda", 0});
    EXPECT_ERR(3, "lambda must be at most 100000 (got 1e+06)", "pert", {"min", 0}, {"mode", 1}, {"max", 2},
               {"lambda", 1e6});
    EXPECT_ERR(-1, "beta needs min < max (min 1 is not below max 0)", "beta", {"a", 1}, {"b", 1}, {"min", 1},
               {"max", 0});
    EXPECT_ERR(-1, "beta range from -1e+308 to 1e+308 is too wide", "beta", {"a", 1}, {"b", 1},
               {"min", -1e308}, {"max", 1e308});
}

Test(dist, error_positive_parameters)
{
    EXPECT_ERR(1, "sd must be > 0 (got 0)", "normal", {"mean", 1}, {"sd", 0});
    EXPECT_ERR(0, "mean must be > 0 (got -1)", "lognormal", {"mean", -1}, {"sd", 1});
    EXPECT_ERR(1, "sd must be > 0 (got 0)", "lognormal", {"mean", 1}, {"sd", 0});
    EXPECT_ERR(1, "sigma must be > 0 (got -1)", "lognormal", {"mu", 0}, {"sigma", -1});
    EXPECT_ERR(-1, "lognormal with mean 1e-300 and sd 1e+300 has no finite mu and sigma", "lognormal",
               {"mean", 1e-300}, {"sd", 1e300});
    EXPECT_ERR(0, "a must be > 0 (got 0)", "beta", {"a", 0}, {"b", 1});
    EXPECT_ERR(1, "b must be > 0 (got -2)", "beta", {"a", 1}, {"b", -2});
    EXPECT_ERR(0, "a must be at most 100000 (got 200000)", "beta", {"a", 2e5}, {"b", 1});
    EXPECT_ERR(1, "b must be at most 100000 (got 1e+06)", "beta", {"a", 1}, {"b", 1e6});
    EXPECT_ERR(0, "shape must be > 0 (got 0)", "gamma", {"shape", 0}, {"scale", 1});
    EXPECT_ERR(1, "scale must be > 0 (got -1)", "gamma", {"shape", 1}, {"scale", -1});
    EXPECT_ERR(0, "mean must be > 0 (got 0)", "gamma", {"mean", 0}, {"sd", 1});
    EXPECT_ERR(1, "sd must be > 0 (got -3)", "gamma", {"mean", 1}, {"sd", -3});
    EXPECT_ERR(-1, "gamma with mean 1e+300 and sd 1e-300 has no finite shape and scale", "gamma",
               {"mean", 1e300}, {"sd", 1e-300});
    EXPECT_ERR(0, "p must be between 0 and 1 (got 1.5)", "bernoulli", {"p", 1.5});
    EXPECT_ERR(0, "p must be between 0 and 1 (got -0.1)", "bernoulli", {"p", -0.1});
    EXPECT_ERR(0, "mean must be between 0 and 1e+09 (got -1)", "poisson", {"mean", -1});
    EXPECT_ERR(0, "mean must be between 0 and 1e+09 (got 2e+09)", "poisson", {"mean", 2e9});
}

Test(dist, error_quantile_pairs)
{
    const char *msg = "quantiles must increase with probability: p10 = 900 is not below p90 = 400";
    EXPECT_ERR(-1, msg, "normal", {"p10", 900}, {"p90", 400});
    EXPECT_ERR(-1, msg, "normal", {"p90", 400}, {"p10", 900});
    EXPECT_ERR(-1, msg, "lognormal", {"p90", 400}, {"p10", 900});
    EXPECT_ERR(-1, "quantiles must increase with probability: p5 = 3 is not below p95 = 3", "normal",
               {"p5", 3}, {"p95", 3});
    EXPECT_ERR(0, "lognormal quantiles must be positive (p10 = -5)", "lognormal", {"p10", -5}, {"p90", 10});
    EXPECT_ERR(0, "lognormal quantiles must be positive (p90 = 0)", "lognormal", {"p90", 0}, {"p10", 1});
    EXPECT_ERR(-1, "normal from p10 = -1e+308 and p90 = 1e+308 has no finite parameters", "normal",
               {"p10", -1e308}, {"p90", 1e308});
}

Test(dist, error_discrete)
{
    double v[3] = {1, 2, 3}, w2[2] = {1, 1}, wn[3] = {1, -1, 1}, w0[3] = {0, 0, 0};
    wa_dist_arg a[1] = {{"values", v, 0, 1}};
    expect_args_err("discrete", a, 1, 0, "'values' must not be empty");
    wa_dist_arg b[2] = {{"values", v, 3, 1}, {"weights", w2, 2, 1}};
    expect_args_err("discrete", b, 2, -1, "'values' and 'weights' must have the same length (3 values, 2 weights)");
    wa_dist_arg c[2] = {{"weights", wn, 3, 1}, {"values", v, 3, 1}};
    expect_args_err("discrete", c, 2, 0, "weights must be >= 0 (item 2 is -1)");
    wa_dist_arg d[2] = {{"values", v, 3, 1}, {"weights", w0, 3, 1}};
    expect_args_err("discrete", d, 2, 1, "weights must sum to more than 0");
}

Test(dist, error_truncate)
{
    wa_dist u = MADE("uniform", {"min", 0}, {"max", 1});
    expect_trunc_err(u, 1, 0, 0, 0, -1, "truncate applies to normal, lognormal and gamma, not to uniform");
    wa_dist b = MADE("beta", {"a", 2}, {"b", 2});
    expect_trunc_err(b, 1, 0, 0, 0, -1, "truncate applies to normal, lognormal and gamma, not to beta");
    wa_dist n = MADE("normal", {"mean", 0}, {"sd", 1});
    expect_trunc_err(n, 0, 0, 0, 0, -1, "truncate needs 'min', 'max' or both");
    expect_trunc_err(n, 1, INFINITY, 0, 0, 0, "'min' must be a finite number");
    expect_trunc_err(n, 1, 0, 1, NAN, 1, "'max' must be a finite number");
    expect_trunc_err(n, 1, 5, 1, 3, -1, "truncate keeps no probability: min 5 is not below max 3");
    expect_trunc_err(n, 1, 8, 0, 0, 0, "truncate keeps no probability: P(x > 8) = 6.22096e-16 (must be above 1e-12)");
    expect_trunc_err(n, 0, 0, 1, -8, 1, "truncate keeps no probability: P(x < -8) = 6.22096e-16 (must be above 1e-12)");
    expect_trunc_err(n, 1, 10, 1, 11, -1,
                     "truncate keeps no probability: P(10 < x < 11) = 7.61966e-24 (must be above 1e-12)");
    wa_dist ln = MADE("lognormal", {"mu", 0}, {"sigma", 1});
    expect_trunc_err(ln, 0, 0, 1, -1, 1, "truncate keeps no probability: P(x < -1) = 0 (must be above 1e-12)");
    wa_dist g = MADE("gamma", {"shape", 2}, {"scale", 1});
    expect_trunc_err(g, 1, 5000, 0, 0, 0, "truncate keeps no probability: P(x > 5000) = 0 (must be above 1e-12)");
    NO_GSL_ERRORS();
}

/* ====================================================================================== */
/* Quantile functions                                                                     */

Test(dist, constant_and_uniform)
{
    wa_dist c = MADE("constant", {"value", 3.5});
    cr_assert_eq(wa_dist_quantile(&c, 1e-9), 3.5);
    cr_assert_eq(wa_dist_quantile(&c, 0.999), 3.5);
    cr_assert_eq(wa_dist_mean(&c), 3.5);
    cr_assert_eq(wa_dist_variance(&c), 0.0);
    wa_dist u = MADE("uniform", {"min", 2}, {"max", 10});
    cr_assert_eq(wa_dist_quantile(&u, 0.25), 4.0);
    cr_assert_eq(wa_dist_quantile(&u, 0.5), 6.0);
    cr_assert_eq(wa_dist_mean(&u), 6.0);
    assert_rel(wa_dist_variance(&u), 64.0 / 12, 1e-15);
    check_monotone(&u, 2, 10);
    check_moments(&u, 1);
}

Test(dist, triangular_closed_form)
{
    /* min 0, mode 3, max 10: F(mode) = 0.3; Q(u) = 10 sqrt(0.3 u) below, 10 - 10 sqrt(0.7 (1-u))
       above */
    wa_dist t = MADE("triangular", {"min", 0}, {"mode", 3}, {"max", 10});
    assert_rel(wa_dist_quantile(&t, 0.1), 10 * sqrt(0.03), 1e-15);
    assert_rel(wa_dist_quantile(&t, 0.3), 3, 1e-15);
    assert_rel(wa_dist_quantile(&t, 0.8), 10 - 10 * sqrt(0.7 * 0.2), 1e-15);
    assert_rel(wa_dist_mean(&t), 13.0 / 3, 1e-15);
    /* (a² + b² + c² - ab - ac - bc) / 18 = (0 + 100 + 9 - 0 - 0 - 30) / 18 */
    assert_rel(wa_dist_variance(&t), 79.0 / 18, 1e-15);
    check_monotone(&t, 0, 10);
    check_moments(&t, 2);
    /* mode at either end */
    wa_dist l = MADE("triangular", {"min", 1}, {"mode", 1}, {"max", 2});
    assert_rel(wa_dist_quantile(&l, 0.75), 2 - sqrt(0.25), 1e-15);
    check_monotone(&l, 1, 2);
    wa_dist r = MADE("triangular", {"min", 1}, {"mode", 2}, {"max", 2});
    assert_rel(wa_dist_quantile(&r, 0.25), 1 + sqrt(0.25), 1e-15);
    check_monotone(&r, 1, 2);
}

Test(dist, pert_is_the_stated_beta)
{
    /* min 0, mode 3, max 10, lambda 4: alpha = 1 + 4 * 0.3 = 2.2, beta = 1 + 4 * 0.7 = 3.8,
       mean (min + 4 mode + max) / 6 = 22/6 */
    wa_dist p = MADE("pert", {"min", 0}, {"mode", 3}, {"max", 10});
    assert_rel(p.p[2], 2.2, 1e-15);
    assert_rel(p.p[3], 3.8, 1e-15);
    assert_rel(wa_dist_mean(&p), 22.0 / 6, 1e-15);
    /* var = range² αβ / ((α+β)² (α+β+1)) */
    assert_rel(wa_dist_variance(&p), 100 * 2.2 * 3.8 / (36 * 7), 1e-14);
    for (double u = 0.01; u < 1; u += 0.07)
        assert_rel(gsl_cdf_beta_P(wa_dist_quantile(&p, u) / 10, 2.2, 3.8), u, 1e-12);
    wa_dist q = MADE("pert", {"min", 10}, {"mode", 20}, {"max", 60}, {"lambda", 2});
    assert_rel(q.p[2], 1.4, 1e-15);
    assert_rel(q.p[3], 2.6, 1e-15);
    check_monotone(&p, 0, 10);
    check_moments(&p, 3);
    check_moments(&q, 4);
}

Test(dist, normal_closed_form_and_quantile_parameterisation)
{
    wa_dist n = MADE("normal", {"mean", 10}, {"sd", 2});
    assert_rel(wa_dist_quantile(&n, 0.975), 10 + 2 * 1.959963984540054, 1e-15);
    assert_rel(wa_dist_quantile(&n, 1e-10), 10 - 2 * 6.361340902404056, 1e-14);
    cr_assert_eq(wa_dist_quantile(&n, 0.5), 10.0);
    check_monotone(&n, -INFINITY, INFINITY);
    check_moments(&n, 5);
    /* p10 = 400, p90 = 1200 reproduce themselves, in either order */
    wa_dist q = MADE("normal", {"p10", 400}, {"p90", 1200});
    assert_rel(wa_dist_quantile(&q, 0.1), 400, 1e-13);
    assert_rel(wa_dist_quantile(&q, 0.9), 1200, 1e-13);
    assert_rel(wa_dist_mean(&q), 800, 1e-15);
    wa_dist r = MADE("normal", {"p95", 7}, {"p5", -3});
    assert_rel(wa_dist_quantile(&r, 0.05), -3, 1e-13);
    assert_rel(wa_dist_quantile(&r, 0.95), 7, 1e-13);
    /* asymmetric pair: p25 and p99 */
    wa_dist s = MADE("normal", {"p25", 1}, {"p99", 5});
    assert_rel(wa_dist_quantile(&s, 0.25), 1, 1e-13);
    assert_rel(wa_dist_quantile(&s, 0.99), 5, 1e-13);
}

Test(dist, lognormal_parameterisations)
{
    wa_dist a = MADE("lognormal", {"mu", 1}, {"sigma", 0.5});
    assert_rel(wa_dist_quantile(&a, 0.975), exp(1 + 0.5 * 1.959963984540054), 1e-15);
    assert_rel(wa_dist_mean(&a), exp(1.125), 1e-15);
    assert_rel(wa_dist_variance(&a), (exp(0.25) - 1) * exp(2.25), 1e-14);
    check_monotone(&a, 0, INFINITY);
    check_moments(&a, 6);
    wa_dist q = MADE("lognormal", {"p10", 400e3}, {"p90", 1.2e6});
    assert_rel(wa_dist_quantile(&q, 0.1), 400e3, 1e-13);
    assert_rel(wa_dist_quantile(&q, 0.9), 1.2e6, 1e-13);
    assert_rel(wa_dist_quantile(&q, 0.5), sqrt(400e3 * 1.2e6), 1e-13); /* geometric mean */
    wa_dist r = MADE("lognormal", {"p5", 2}, {"p95", 50});
    assert_rel(wa_dist_quantile(&r, 0.05), 2, 1e-13);
    assert_rel(wa_dist_quantile(&r, 0.95), 50, 1e-13);
    /* mean and sd of the value come back exactly */
    wa_dist m = MADE("lognormal", {"mean", 100}, {"sd", 30});
    assert_rel(wa_dist_mean(&m), 100, 1e-14);
    assert_rel(sqrt(wa_dist_variance(&m)), 30, 1e-13);
    check_moments(&m, 7);
}

Test(dist, beta_closed_forms_and_gsl)
{
    /* beta(a, 1): Q(u) = u^(1/a); beta(1, b): 1 - (1-u)^(1/b) — exact in both tails,
       for shapes where GSL's own inverse fails */
    static const double us[] = {0x1p-54, 1e-10, 0.001, 0.2, 0.5, 0.8, 0.999, 1 - 1e-10, 1 - 0x1p-53};
    static const double shapes[] = {0.05, 0.3, 1, 2.5, 40, 1e4};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        double a = shapes[i];
        wa_dist d = MADE("beta", {"a", a}, {"b", 1});
        wa_dist e = MADE("beta", {"a", 1}, {"b", a});
        for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
            double u = us[j];
            double want = pow(u, 1 / a);
            assert_rel(wa_dist_quantile(&d, u), want, 1e-12);
            /* 1 - Q is computed on the mirrored side, so compare there */
            double got = 1 - wa_dist_quantile(&e, u), mirror = pow(1 - u, 1 / a);
            if (mirror > 0.25) /* 1 - x keeps digits only there */
                assert_rel(got, mirror, 1e-12);
            else
                assert_rel(wa_dist_quantile(&e, u), -expm1(log1p(-u) / a), 1e-12);
        }
    }
    /* against GSL's CDF, on both tails, and against GSL's inverse where that works */
    wa_dist s = MADE("beta", {"a", 2}, {"b", 5});
    wa_dist g = MADE("beta", {"a", 2}, {"b", 5}, {"min", 10}, {"max", 20});
    for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
        double u = us[j], y = wa_dist_quantile(&s, u);
        if (u <= 0.5)
            assert_rel(gsl_cdf_beta_P(y, 2, 5), u, 1e-12);
        else
            assert_rel(gsl_cdf_beta_Q(y, 2, 5), 1 - u, 1e-12);
        /* min and max only shift and scale */
        cr_assert(fabs(wa_dist_quantile(&g, u) - (10 + 10 * y)) <= 4e-15 * 20);
    }
    assert_rel(wa_dist_quantile(&s, 0.3), gsl_cdf_beta_Pinv(0.3, 2, 5), 1e-8);
    assert_rel(wa_dist_mean(&g), 10 + 10 * 2.0 / 7, 1e-15);
    check_monotone(&g, 10, 20);
    check_moments(&g, 8);
    wa_dist u = MADE("beta", {"a", 0.5}, {"b", 0.5}); /* arcsine: Q(u) = sin²(πu/2) */
    assert_rel(wa_dist_quantile(&u, 0.3), pow(sin(0.15 * 3.14159265358979323846), 2), 1e-12);
    check_moments(&u, 9);
    NO_GSL_ERRORS();
}

Test(dist, gamma_closed_forms_gsl_and_references)
{
    /* shape 1 is the exponential: Q(u) = -scale ln(1-u) */
    wa_dist e = MADE("gamma", {"shape", 1}, {"scale", 3});
    static const double us[] = {0x1p-54, 1e-10, 0.001, 0.2, 0.5, 0.8, 0.999, 1 - 1e-10, 1 - 0x1p-53};
    for (size_t j = 0; j < sizeof us / sizeof us[0]; j++)
        assert_rel(wa_dist_quantile(&e, us[j]), -3 * log1p(-us[j]), 1e-13);
    /* small and moderate shapes against GSL's CDF, each tail in its precise form */
    static const double shapes[] = {0.01, 0.05, 0.3, 2.5, 40, 1000};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        double k = shapes[i];
        wa_dist d = MADE("gamma", {"shape", k}, {"scale", 1});
        for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
            double u = us[j], x = wa_dist_quantile(&d, u);
            if (x < 1e-300)
                continue; /* below the normal range: checked by monotonicity only */
            if (u <= 0.5)
                assert_rel(gsl_cdf_gamma_P(x, k, 1), u, 1e-11);
            else
                assert_rel(gsl_cdf_gamma_Q(x, k, 1), 1 - u, 1e-11);
        }
        check_monotone(&d, 0, INFINITY);
    }
    wa_dist g3 = MADE("gamma", {"shape", 3}, {"scale", 1});
    assert_rel(wa_dist_quantile(&g3, 0.7), gsl_cdf_gamma_Pinv(0.7, 3, 1), 1e-9);
    /* large shapes, where GSL is off (1e-7 at 1e5) or wrong (1e6): 40-digit references
       (bisection on the regularised incomplete gamma in mpmath) */
    wa_dist h = MADE("gamma", {"shape", 1e5}, {"scale", 1});
    assert_rel(wa_dist_quantile(&h, 1e-10), 98001.504165448296338, 1e-13);
    assert_rel(wa_dist_quantile(&h, 0.3), 99833.928639285127865, 1e-13);
    assert_rel(wa_dist_quantile(&h, 0.99), 100737.12609678282703, 1e-13);
    wa_dist m = MADE("gamma", {"mean", 1e6}, {"sd", 1e3}); /* shape 1e6, scale 1 */
    assert_rel(wa_dist_quantile(&m, 0.01), 997675.12285992522305, 1e-13);
    assert_rel(wa_dist_quantile(&m, 0.99), 1002327.8184027578274, 1e-13);
    assert_rel(wa_dist_quantile(&m, 1 - 1e-12), 1007050.656537416915, 1e-13);
    check_monotone(&m, 0, INFINITY);
    /* mean and sd come back */
    wa_dist s = MADE("gamma", {"mean", 50}, {"sd", 20});
    assert_rel(wa_dist_mean(&s), 50, 1e-15);
    assert_rel(sqrt(wa_dist_variance(&s)), 20, 1e-15);
    check_moments(&s, 10);
    wa_dist t = MADE("gamma", {"shape", 0.2}, {"scale", 5});
    check_moments(&t, 11);
    NO_GSL_ERRORS();
}

Test(dist, bernoulli_boundaries)
{
    wa_dist b = MADE("bernoulli", {"p", 0.25});
    cr_assert_eq(wa_dist_quantile(&b, 0.75), 0.0); /* 1 when u > 1 - p */
    cr_assert_eq(wa_dist_quantile(&b, nextafter(0.75, 1)), 1.0);
    cr_assert_eq(wa_dist_quantile(&b, 0x1p-54), 0.0);
    cr_assert_eq(wa_dist_quantile(&b, 1 - 0x1p-53), 1.0);
    wa_dist z = MADE("bernoulli", {"p", 0});
    cr_assert_eq(wa_dist_quantile(&z, 1 - 0x1p-53), 0.0);
    wa_dist o = MADE("bernoulli", {"p", 1});
    cr_assert_eq(wa_dist_quantile(&o, 0x1p-54), 1.0);
    cr_assert_eq(wa_dist_mean(&b), 0.25);
    cr_assert_eq(wa_dist_variance(&b), 0.1875);
    check_monotone(&b, 0, 1);
    check_moments(&b, 12);
}

Test(dist, discrete_sorted_merged_and_boundaries)
{
    /* values 5 1 3 1 with weights .2 .3 .5 0: 1 (.3), 3 (.5), 5 (.2) */
    double v[4] = {5, 1, 3, 1}, w[4] = {0.2, 0.3, 0.5, 0.0};
    wa_dist_arg a[2] = {{"values", v, 4, 1}, {"weights", w, 4, 1}};
    wa_dist d;
    wa_dist_error e;
    cr_assert_eq(wa_dist_make(&d, "discrete", a, 2, &e), 0);
    cr_assert_eq(d.nvalues, 3u);
    cr_assert_eq(d.values[0], 1.0);
    cr_assert_eq(d.values[1], 3.0);
    cr_assert_eq(d.values[2], 5.0);
    assert_rel(d.cum[0], 0.3, 1e-15);
    assert_rel(d.cum[1], 0.8, 1e-15);
    cr_assert_eq(d.cum[2], 1.0);
    /* the smallest value whose cumulative weight reaches u */
    cr_assert_eq(wa_dist_quantile(&d, d.cum[0]), 1.0);
    cr_assert_eq(wa_dist_quantile(&d, nextafter(d.cum[0], 1)), 3.0);
    cr_assert_eq(wa_dist_quantile(&d, d.cum[1]), 3.0);
    cr_assert_eq(wa_dist_quantile(&d, nextafter(d.cum[1], 1)), 5.0);
    cr_assert_eq(wa_dist_quantile(&d, 0x1p-54), 1.0);
    cr_assert_eq(wa_dist_quantile(&d, 1 - 0x1p-53), 5.0);
    assert_rel(wa_dist_mean(&d), 0.3 + 1.5 + 1.0, 1e-15);
    check_monotone(&d, 1, 5);
    check_moments(&d, 13);
    wa_dist_free(&d);
    wa_dist_free(&d); /* idempotent */
    wa_dist_free(NULL);
    /* zero weights are dropped; equal weights by default */
    double v2[3] = {1, 2, 3}, w2[3] = {1, 0, 1};
    wa_dist_arg b[2] = {{"weights", w2, 3, 1}, {"values", v2, 3, 1}};
    cr_assert_eq(wa_dist_make(&d, "discrete", b, 2, &e), 0);
    cr_assert_eq(d.nvalues, 2u);
    cr_assert_eq(d.values[1], 3.0);
    cr_assert_eq(d.cum[0], 0.5);
    wa_dist_free(&d);
    double v3[4] = {40, 10, 30, 20};
    wa_dist_arg c[1] = {{"values", v3, 4, 1}};
    cr_assert_eq(wa_dist_make(&d, "discrete", c, 1, &e), 0);
    cr_assert_eq(d.cum[0], 0.25);
    cr_assert_eq(d.cum[2], 0.75);
    cr_assert_eq(wa_dist_quantile(&d, 0.5), 20.0);
    cr_assert_eq(wa_dist_mean(&d), 25.0);
    cr_assert_eq(wa_dist_variance(&d), 125.0);
    wa_dist_free(&d);
    /* huge weights do not overflow the normalisation */
    double w4[2] = {1e308, 1e308}, v4[2] = {0, 1};
    wa_dist_arg f[2] = {{"values", v4, 2, 1}, {"weights", w4, 2, 1}};
    cr_assert_eq(wa_dist_make(&d, "discrete", f, 2, &e), 0);
    cr_assert_eq(d.cum[0], 0.5);
    wa_dist_free(&d);
}

/* k satisfies P(X <= k) >= u > P(X <= k-1), judged on the tail where GSL is precise (its
   poisson P and Q are the two incomplete gammas used inside). */
static void assert_poisson_exact(double mean, double u, double k)
{
    cr_assert(k >= 0 && k == floor(k));
    unsigned ki = (unsigned)k;
    if (u <= 0.5) {
        cr_assert(gsl_cdf_poisson_P(ki, mean) >= u, "mean %g u %.17g k %g", mean, u, k);
        if (ki > 0)
            cr_assert(gsl_cdf_poisson_P(ki - 1, mean) < u, "mean %g u %.17g k %g", mean, u, k);
    } else {
        cr_assert(gsl_cdf_poisson_Q(ki, mean) <= 1 - u, "mean %g u %.17g k %g", mean, u, k);
        if (ki > 0)
            cr_assert(gsl_cdf_poisson_Q(ki - 1, mean) > 1 - u, "mean %g u %.17g k %g", mean, u, k);
    }
}

Test(dist, poisson_exact_cdf_inverse)
{
    wa_dist z = MADE("poisson", {"mean", 0});
    cr_assert_eq(wa_dist_quantile(&z, 1 - 0x1p-53), 0.0);
    static const double means[] = {1e-3, 0.7, 3, 30, 1000, 15000};
    static const double us[] = {0x1p-54, 1e-10, 0.01, 0.3, 0.5, 0.6, 0.9, 1 - 1e-10, 1 - 0x1p-53};
    for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
        wa_dist d = MADE("poisson", {"mean", means[i]});
        for (size_t j = 0; j < sizeof us / sizeof us[0]; j++)
            assert_poisson_exact(means[i], us[j], wa_dist_quantile(&d, us[j]));
        /* exactly at P(X <= k), k is the answer; just above it, k + 1 */
        for (unsigned k = 0; k < 40; k++) {
            double pk = gsl_cdf_poisson_P(k, means[i]);
            if (pk > 0.5 || pk <= 0)
                continue;
            cr_assert_eq(wa_dist_quantile(&d, pk), (double)k);
            cr_assert_eq(wa_dist_quantile(&d, nextafter(pk, 1)), (double)k + 1);
        }
        check_monotone(&d, 0, INFINITY);
    }
    wa_dist d = MADE("poisson", {"mean", 3});
    check_moments(&d, 14);
    NO_GSL_ERRORS();
}

Test(dist, poisson_large_means)
{
    /* Verified with mpmath (40 digits): P(X <= k-1) < u <= P(X <= k) */
    wa_dist m = MADE("poisson", {"mean", 1e6});
    cr_assert_eq(wa_dist_quantile(&m, 1e-10), 993645.0);
    cr_assert_eq(wa_dist_quantile(&m, 0.01), 997674.0);
    cr_assert_eq(wa_dist_quantile(&m, 0.5), 1000000.0);
    cr_assert_eq(wa_dist_quantile(&m, 0.99), 1002327.0);
    cr_assert_eq(wa_dist_quantile(&m, 1 - 1e-10), 1006368.0);
    wa_dist b = MADE("poisson", {"mean", 1e9});
    cr_assert_eq(wa_dist_quantile(&b, 1e-10), 999798843.0);
    cr_assert_eq(wa_dist_quantile(&b, 0.01), 999926435.0);
    cr_assert_eq(wa_dist_quantile(&b, 0.5), 1000000000.0);
    cr_assert_eq(wa_dist_quantile(&b, 0.99), 1000073566.0);
    cr_assert_eq(wa_dist_quantile(&b, 1 - 1e-10), 1000201170.0);
    check_monotone(&m, 0, INFINITY);
    check_moments(&m, 15);
    NO_GSL_ERRORS();
}

/* ====================================================================================== */
/* Truncation                                                                             */

Test(dist, truncated_normal_draws_and_moments)
{
    /* standard normal above 0: mean sqrt(2/pi), variance 1 - 2/pi */
    wa_dist h = MADE("normal", {"mean", 0}, {"sd", 1});
    truncate_ok(&h, 1, 0, 0, 0);
    assert_rel(wa_dist_mean(&h), sqrt(2 / 3.14159265358979323846), 1e-14);
    assert_rel(wa_dist_variance(&h), 1 - 2 / 3.14159265358979323846, 1e-14);
    check_monotone(&h, 0, INFINITY);
    check_moments(&h, 16);
    /* [-1, 2]: mean and variance from mpmath quadrature (40 digits) */
    wa_dist w = MADE("normal", {"mean", 0}, {"sd", 1});
    truncate_ok(&w, 1, -1, 1, 2);
    assert_rel(wa_dist_mean(&w), 0.22963717909132896862, 1e-13);
    assert_rel(wa_dist_variance(&w), 0.51976253921153393591, 1e-13);
    check_monotone(&w, -1, 2);
    check_moments(&w, 17);
    /* the draw is conditional, not clamped: the median of the window's probability */
    double mid = gsl_cdf_ugaussian_Pinv((gsl_cdf_ugaussian_P(-1) + gsl_cdf_ugaussian_P(2)) / 2);
    assert_rel(wa_dist_quantile(&w, 0.5), mid, 1e-13);
    /* scaled: the overrun input of the SPEC example */
    wa_dist o = MADE("normal", {"mean", 0.2}, {"sd", 0.1});
    truncate_ok(&o, 1, 0, 0, 0);
    check_monotone(&o, 0, INFINITY);
    check_moments(&o, 18);
}

Test(dist, truncated_normal_far_tail)
{
    /* Above 7 sd (kept 1.28e-12): Q(u) = Qinv(Q(7) (1 - u)). Computed on the lower tail,
       F(7) = 1 - 1.3e-12 would leave only ~10^4 distinct values, all near 7. */
    wa_dist t = MADE("normal", {"mean", 0}, {"sd", 1});
    truncate_ok(&t, 1, 7, 0, 0);
    double q7 = gsl_cdf_ugaussian_Q(7);
    static const double us[] = {0x1p-54, 1e-10, 2e-10, 0.1, 0.5, 0.9, 1 - 1e-10, 1 - 0x1p-53};
    double prev = 7;
    for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
        double x = wa_dist_quantile(&t, us[j]);
        /* the first u moves the answer by 8e-18: below the resolution of doubles near 7 */
        cr_assert(j == 0 ? x >= prev : x > prev, "Q(%.17g) = %.17g not above %.17g", us[j], x, prev);
        assert_rel(x, gsl_cdf_ugaussian_Qinv(q7 * (1 - us[j])), 1e-13);
        prev = x;
    }
    /* mean and variance from mpmath: 7.13754561322650328, 0.01826191169662223147 */
    assert_rel(wa_dist_mean(&t), 7.1375456132265032765, 1e-12);
    assert_rel(wa_dist_variance(&t), 0.018261911696622231466, 1e-9);
    check_monotone(&t, 7, INFINITY);
    check_moments(&t, 19);
    /* the mirror image, below -7, with a location and scale */
    wa_dist l = MADE("normal", {"mean", 100}, {"sd", 10});
    truncate_ok(&l, 0, 0, 1, 30);
    assert_rel(wa_dist_mean(&l), 100 - 10 * 7.1375456132265032765, 1e-12);
    check_monotone(&l, -INFINITY, 30);
    NO_GSL_ERRORS();
}

Test(dist, truncated_narrow_windows)
{
    /* [1, 1 + 1e-6] under N(0,1): the closed-form variance would cancel to noise;
       mpmath: mean 1.0000004999999166666, variance 8.3333333333326388885e-14 */
    wa_dist n = MADE("normal", {"mean", 0}, {"sd", 1});
    truncate_ok(&n, 1, 1, 1, 1 + 1e-6);
    assert_rel(wa_dist_mean(&n), 1.0000004999999166666, 1e-15);
    assert_rel(wa_dist_variance(&n), 8.3333333333326388885e-14, 1e-6);
    check_monotone(&n, 1, 1 + 1e-6);
    /* gamma shape 100 on [100, 100.001]: mean 100.00049999916625417, var 8.3333333305e-8 */
    wa_dist g = MADE("gamma", {"shape", 100}, {"scale", 1});
    truncate_ok(&g, 1, 100, 1, 100.001);
    assert_rel(wa_dist_mean(&g), 100.00049999916625417, 1e-15);
    assert_rel(wa_dist_variance(&g), 8.3333333305416529068e-8, 1e-6);
    check_monotone(&g, 100, 100.001);
    NO_GSL_ERRORS();
}

Test(dist, truncated_lognormal)
{
    /* mu 0, sigma 0.5 below 2: mpmath mean 1.0035452704981864421, var 0.16199501305609975404 */
    wa_dist a = MADE("lognormal", {"mu", 0}, {"sigma", 0.5});
    truncate_ok(&a, 0, 0, 1, 2);
    assert_rel(wa_dist_mean(&a), 1.0035452704981864421, 1e-13);
    assert_rel(wa_dist_variance(&a), 0.16199501305609975404, 1e-12);
    check_monotone(&a, 0, 2);
    check_moments(&a, 20);
    /* [1, 3]: mean 1.5076896684025897394, var 0.18888943628379168312 */
    wa_dist b = MADE("lognormal", {"mu", 0}, {"sigma", 0.5});
    truncate_ok(&b, 1, 1, 1, 3);
    assert_rel(wa_dist_mean(&b), 1.5076896684025897394, 1e-13);
    assert_rel(wa_dist_variance(&b), 0.18888943628379168312, 1e-12);
    check_moments(&b, 21);
    /* a lower bound at or below 0 keeps everything below the upper one */
    wa_dist c = MADE("lognormal", {"mu", 0}, {"sigma", 1});
    truncate_ok(&c, 1, -5, 1, 10);
    check_monotone(&c, 0, 10);
    NO_GSL_ERRORS();
}

Test(dist, truncated_gamma)
{
    /* shape 2, scale 1 on [1, 3]: mpmath mean 1.8505356159319802606, var 0.30760912457740244293 */
    wa_dist g = MADE("gamma", {"shape", 2}, {"scale", 1});
    truncate_ok(&g, 1, 1, 1, 3);
    assert_rel(wa_dist_mean(&g), 1.8505356159319802606, 1e-13);
    assert_rel(wa_dist_variance(&g), 0.30760912457740244293, 1e-12);
    check_monotone(&g, 1, 3);
    check_moments(&g, 22);
    /* above 10: memoryless-like tail, mean 11.090909..., var 1.1735537190082644628 */
    wa_dist t = MADE("gamma", {"shape", 2}, {"scale", 1});
    truncate_ok(&t, 1, 10, 0, 0);
    assert_rel(wa_dist_mean(&t), 11.090909090909090909, 1e-13);
    assert_rel(wa_dist_variance(&t), 1.1735537190082644628, 1e-12);
    check_monotone(&t, 10, INFINITY);
    check_moments(&t, 23);
    NO_GSL_ERRORS();
}

/* ====================================================================================== */
/* Robustness across parameters                                                           */

Test(dist, extreme_parameters_stay_finite_monotone_and_quiet)
{
    static const double shapes[] = {1e-3, 0.01, 0.1, 0.5, 1, 3, 30, 1e3, 1e5};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++) {
            wa_dist b = MADE("beta", {"a", shapes[i]}, {"b", shapes[j]});
            check_monotone(&b, 0, 1);
        }
        wa_dist g = MADE("gamma", {"shape", shapes[i]}, {"scale", 2});
        check_monotone(&g, 0, INFINITY);
        wa_dist p = MADE("pert", {"min", 0}, {"mode", 0.01}, {"max", 1}, {"lambda", shapes[i]});
        check_monotone(&p, 0, 1);
    }
    static const double big[] = {2e4, 3e7, 1e12, 1e300};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        wa_dist g = MADE("gamma", {"shape", big[i]}, {"scale", 1});
        check_monotone(&g, 0, INFINITY);
    }
    static const double means[] = {1e-9, 0.1, 5, 123.5, 2e4, 3e6, 1e9};
    for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
        wa_dist p = MADE("poisson", {"mean", means[i]});
        check_monotone(&p, 0, INFINITY);
    }
    NO_GSL_ERRORS();
}

Test(dist, block_api_matches_single_calls)
{
    wa_dist g = MADE("gamma", {"shape", 2.5}, {"scale", 4});
    double u[100], x[100];
    wa_rng r;
    wa_rng_seed(&r, 5, 5, 5);
    wa_rng_fill_uniform(&r, u, 100);
    wa_dist_quantiles(&g, u, x, 100);
    /* gamma's block quantile is the table (qtable.h), within 1e-9 relative of the exact
       single call; a closed-form kind agrees to the bit */
    for (int i = 0; i < 100; i++)
        cr_assert(fabs(x[i] - wa_dist_quantile(&g, u[i])) <= 1e-9 * x[i]);
    wa_dist n = MADE("normal", {"mean", 2.5}, {"sd", 4});
    wa_dist_quantiles(&n, u, x, 100);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(x[i], wa_dist_quantile(&n, u[i]));
}
