/*
 * test_metalog.c — the metalog (metalog.h): exact fits for 2..10 terms in all four bound
 * forms, closed forms (the 2-term logistic and log-logistic, the 3-term coefficients),
 * monotonicity, bounds at the generator's extremes, the density, every error message, and
 * the mean of draws against the integral of Q.
 *
 * The sample-mean check draws n = 100000 values from a fixed stream and accepts
 * |sample mean - mean| <= 4 SE with SE = sd / sqrt(n), mean and sd from the integrals of Q
 * and Q^2 over (0,1) (GSL's QAGS to 1e-10 relative; the quadrature error is far below SE).
 * For the metalog used (bounded to [0, 1e6]) sd is about 175,000, so SE is about 550 on a
 * mean near 435,000.
 * Four SE: a false alarm about once in 16000 runs, and with a fixed seed never.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "sample/metalog.h"
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

TestSuite(metalog, .init = setup);

#define NO_GSL_ERRORS() cr_assert_eq(gsl_errors, 0, "GSL error handler reached: %s", gsl_last)

#define U_MIN 0x1p-53 /* the generator's extremes */
#define U_MAX (1.0 - 0x1p-53)

enum form { FREE, LOWER, UPPER, BOUNDED };
static const char *const form_names[] = {"unbounded", "lower-bounded", "upper-bounded",
                                         "bounded"};

/* Fits or fails the test with the message. */
static wa_metalog fit(const double *p, const double *x, int k, int has_lo, double lo,
                      int has_hi, double hi)
{
    wa_metalog m;
    char msg[256] = "";
    int rc = wa_metalog_fit(&m, p, x, k, has_lo, lo, has_hi, hi, msg, sizeof msg);
    cr_assert_eq(rc, 0, "fit failed: %s", msg);
    NO_GSL_ERRORS();
    return m;
}

/* Expects the fit to fail with exactly this message. */
static void expect_error(const double *p, const double *x, int k, int has_lo, double lo,
                         int has_hi, double hi, const char *want)
{
    wa_metalog m;
    char msg[256] = "";
    int rc = wa_metalog_fit(&m, p, x, k, has_lo, lo, has_hi, hi, msg, sizeof msg);
    cr_expect_eq(rc, -1, "fit should fail with: %s", want);
    cr_expect_str_eq(msg, want);
    NO_GSL_ERRORS();
}

/* Probabilities for k terms: spread over [0.03, 0.96], deliberately not symmetric about
   1/2 (a symmetric 7-term set is singular, see errors_7_symmetric_terms). */
static void probabilities(int k, double *p)
{
    for (int i = 0; i < k; i++)
        p[i] = 0.03 + 0.93 * pow((double)i / (k - 1), 1.15);
}

/* Quantiles of a distribution that is normal in the form's transformed space, so the fit
   is a smooth, feasible one for every k. */
static void quantiles(enum form f, int k, const double *p, double *x, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (int i = 0; i < k; i++) {
        double z = gsl_cdf_ugaussian_Pinv(p[i]);
        switch (f) {
        case FREE: x[i] = 150000 + 50000 * z; break;
        case LOWER: x[i] = 150000 * exp(0.5 * z); break;
        case UPPER: *hi = 1e6; x[i] = 1e6 - 850000 * exp(-0.5 * z); break;
        case BOUNDED: *hi = 1; x[i] = 1 / (1 + exp(-(0.3 + 0.8 * z))); break;
        }
    }
}

static wa_metalog fit_form(enum form f, int k)
{
    double p[10], x[10], lo, hi;
    probabilities(k, p);
    quantiles(f, k, p, x, &lo, &hi);
    return fit(p, x, k, f == LOWER || f == BOUNDED, lo, f == UPPER || f == BOUNDED, hi);
}

/* ---- Exact fits ---------------------------------------------------------------------- */

Test(metalog, reproduces_quantiles_2_to_10_terms_every_bound_form)
{
    for (int f = FREE; f <= BOUNDED; f++)
        for (int k = 2; k <= 10; k++) {
            double p[10], x[10], lo, hi;
            probabilities(k, p);
            quantiles(f, k, p, x, &lo, &hi);
            wa_metalog m = fit(p, x, k, f == LOWER || f == BOUNDED, lo,
                               f == UPPER || f == BOUNDED, hi);
            cr_expect_eq(m.k, k);
            for (int j = k; j < 10; j++)
                cr_expect_eq(m.a[j], 0.0, "%s k %d: unused a%d is %g", form_names[f], k,
                             j + 1, m.a[j]);
            for (int i = 0; i < k; i++) {
                double q = wa_metalog_quantile(&m, p[i]);
                cr_expect(fabs(q - x[i]) <= 1e-12 * fabs(x[i]),
                          "%s k %d: Q(%g) = %.17g, want %.17g (rel %g)", form_names[f], k,
                          p[i], q, x[i], fabs(q - x[i]) / fabs(x[i]));
            }
        }
}

Test(metalog, reproduces_p10_100k_p50_150k_p90_300k_above_0)
{
    static const double p[] = {0.1, 0.5, 0.9}, x[] = {100e3, 150e3, 300e3};
    wa_metalog m = fit(p, x, 3, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        cr_expect(fabs(wa_metalog_quantile(&m, p[i]) - x[i]) <= 1e-12 * x[i], "Q(%g) = %.17g",
                  p[i], wa_metalog_quantile(&m, p[i]));
    /* Closed form for p = a, 1/2, 1 - a (see symmetric_three_terms...), in ln x space. */
    double l = log(9), d = 0.4;
    cr_expect(fabs(m.a[0] - log(150e3)) <= 1e-13 * log(150e3));
    cr_expect(fabs(m.a[1] - (log(300e3) - log(100e3)) / (2 * l)) <= 1e-13);
    cr_expect(fabs(m.a[2] - (log(300e3) + log(100e3) - 2 * log(150e3)) / (2 * d * l)) <= 1e-13);
    cr_expect(wa_metalog_quantile(&m, U_MIN) > 0);
}

/* For p = a, 1/2, 1 - a with l = ln((1 - a) / a) and d = 1/2 - a:
   a1 = x(1/2), a2 = (x(1-a) - x(a)) / (2 l), a3 = (x(1-a) + x(a) - 2 x(1/2)) / (2 d l). */
Test(metalog, three_terms_closed_form_and_symmetric_median)
{
    static const double p[] = {0.25, 0.5, 0.75};
    double l = log(3), d = 0.25;
    {
        static const double x[] = {10, 20, 30}; /* symmetric */
        wa_metalog m = fit(p, x, 3, 0, 0, 0, 0);
        cr_expect(fabs(m.a[0] - 20) <= 1e-14 * 20);
        cr_expect(fabs(m.a[1] - 20 / (2 * l)) <= 1e-14);
        cr_expect(fabs(m.a[2]) <= 1e-14, "a3 = %g", m.a[2]);
        cr_expect(fabs(wa_metalog_quantile(&m, 0.5) - 20) <= 1e-14 * 20, "median %.17g",
                  wa_metalog_quantile(&m, 0.5));
        /* symmetric about the median all over */
        for (int i = 1; i < 1000; i++) {
            double u = i / 1000.0, s = wa_metalog_quantile(&m, u) + wa_metalog_quantile(&m, 1 - u);
            cr_expect(fabs(s - 40) <= 1e-12 * 40, "Q(%g) + Q(1 - %g) = %.17g", u, u, s);
        }
    }
    {
        static const double x[] = {10, 20, 40}; /* right-skewed */
        wa_metalog m = fit(p, x, 3, 0, 0, 0, 0);
        cr_expect(fabs(m.a[0] - 20) <= 1e-14 * 20);
        cr_expect(fabs(m.a[1] - 30 / (2 * l)) <= 1e-14 * m.a[1]);
        cr_expect(fabs(m.a[2] - 10 / (2 * d * l)) <= 1e-14 * m.a[2]);
        cr_expect(fabs(wa_metalog_quantile(&m, 0.5) - 20) <= 1e-14 * 20);
    }
}

/* k = 2 unbounded is the logistic with location a1 and scale a2; k = 2 above lo is the
   log-logistic lo + e^a1 (u / (1 - u))^a2. */
Test(metalog, two_terms_are_logistic_and_log_logistic)
{
    static const double p[] = {0.25, 0.75}, x[] = {90, 110};
    wa_metalog m = fit(p, x, 2, 0, 0, 0, 0);
    double s = 10 / log(3);
    cr_expect(fabs(m.a[0] - 100) <= 1e-14 * 100 && fabs(m.a[1] - s) <= 1e-14 * s,
              "a = %.17g, %.17g", m.a[0], m.a[1]);
    for (int i = 0; i <= 2000; i++) {
        double u = i == 0 ? U_MIN : i == 2000 ? U_MAX : i / 2000.0;
        double want = 100 + gsl_cdf_logistic_Pinv(u, s);
        double q = wa_metalog_quantile(&m, u);
        cr_expect(fabs(q - want) <= 1e-13 * fmax(1, fabs(want)), "Q(%g) = %.17g, logistic %.17g",
                  u, q, want);
        double f = wa_metalog_density(&m, u), fwant = gsl_ran_logistic_pdf(want - 100, s);
        cr_expect(fabs(f - fwant) <= 1e-12 * fwant, "f at u = %g: %.17g, logistic %.17g", u, f,
                  fwant);
    }

    static const double xl[] = {50e3, 200e3};
    wa_metalog ml = fit(p, xl, 2, 1, 10e3, 0, 0);
    double a2 = (log(190e3) - log(40e3)) / (2 * log(3)), a1 = 0.5 * (log(190e3) + log(40e3));
    for (int i = 1; i < 1000; i++) {
        double u = i / 1000.0, want = 10e3 + exp(a1) * pow(u / (1 - u), a2);
        double q = wa_metalog_quantile(&ml, u);
        cr_expect(fabs(q - want) <= 1e-13 * want, "Q(%g) = %.17g, log-logistic %.17g", u, q, want);
    }
}

Test(metalog, two_terms_always_feasible)
{
    static const double p[] = {0.001, 0.999}, x[] = {0, 1e-12};
    wa_metalog m = fit(p, x, 2, 0, 0, 0, 0);
    cr_expect(m.a[1] > 0);
    static const double p2[] = {0.4999, 0.5001}, x2[] = {-1e9, 1e9};
    fit(p2, x2, 2, 0, 0, 0, 0);
}

/* ---- Shape --------------------------------------------------------------------------- */

/* Q over a fine grid plus both tails down to the generator's extremes is non-decreasing,
   and strictly increasing at a coarser spacing. */
static void check_monotone(const wa_metalog *m, const char *what)
{
    enum { M = 200000, T = 300 };
    double prev = -INFINITY;
    for (int i = 0; i < M + 2 * T; i++) {
        double u;
        if (i < T)
            u = fmax(U_MIN, pow(10, -15.96 + 12.0 * i / T));
        else if (i < T + M)
            u = (i - T + 0.5) / M * (1 - 2e-4) + 1e-4;
        else
            u = 1 - fmax(U_MIN, pow(10, -3.99 - 12.0 * (i - T - M) / T));
        double q = wa_metalog_quantile(m, u);
        cr_assert(q >= prev, "%s: Q(%.17g) = %.17g below the previous %.17g", what, u, q, prev);
        prev = q;
    }
    for (int i = 1; i < 1000; i++) {
        double u0 = (i - 1 + 0.5) / 1000, u1 = (i + 0.5) / 1000;
        cr_assert(wa_metalog_quantile(m, u1) > wa_metalog_quantile(m, u0), "%s: flat at %g",
                  what, u1);
    }
}

Test(metalog, monotone_over_many_u)
{
    char what[64];
    for (int f = FREE; f <= BOUNDED; f++)
        for (int k = 2; k <= 10; k++) {
            wa_metalog m = fit_form(f, k);
            snprintf(what, sizeof what, "%s k %d", form_names[f], k);
            check_monotone(&m, what);
        }
}

Test(metalog, bounds_respected_at_generator_extremes)
{
    for (int k = 2; k <= 10; k++) {
        wa_metalog lo = fit_form(LOWER, k), up = fit_form(UPPER, k), b = fit_form(BOUNDED, k);
        double u[2] = {U_MIN, U_MAX};
        for (int i = 0; i < 2; i++) {
            double ql = wa_metalog_quantile(&lo, u[i]), qu = wa_metalog_quantile(&up, u[i]);
            double qb = wa_metalog_quantile(&b, u[i]);
            cr_expect(isfinite(ql) && ql > 0, "k %d: lower-bounded Q(%g) = %g", k, u[i], ql);
            cr_expect(isfinite(qu) && qu < 1e6, "k %d: upper-bounded Q(%g) = %.17g", k, u[i], qu);
            cr_expect(qb > 0 && qb < 1, "k %d: bounded Q(%g) = %.17g", k, u[i], qb);
        }
    }
    /* Mass piled against both bounds: the tails round onto them, never past. */
    static const double p[] = {0.1, 0.5, 0.9}, x[] = {1e-6, 0.5, 1 - 1e-6};
    wa_metalog m = fit(p, x, 3, 1, 0, 1, 1);
    double a = wa_metalog_quantile(&m, U_MIN), z = wa_metalog_quantile(&m, U_MAX);
    cr_expect(a >= 0 && a < 1e-30, "Q(2^-53) = %g", a);
    cr_expect(z <= 1 && z > 1 - 1e-15, "Q(1 - 2^-53) = %.17g", z);
    static const double p2[] = {0.1, 0.9}, xs[] = {1.0000001, 3};
    wa_metalog ms = fit(p2, xs, 2, 1, 1, 0, 0); /* lower bound 1, very close to p10 */
    cr_expect(wa_metalog_quantile(&ms, U_MIN) >= 1);
}

Test(metalog, block_form_bit_identical_and_may_alias)
{
    wa_metalog m = fit_form(BOUNDED, 6);
    enum { N = 1000 };
    double u[N], x[N];
    for (int i = 0; i < N; i++)
        u[i] = i == 0 ? U_MIN : i == N - 1 ? U_MAX : (i + 0.5) / N;
    wa_metalog_quantiles(&m, u, x, N);
    for (int i = 0; i < N; i++)
        cr_expect(x[i] == wa_metalog_quantile(&m, u[i]), "u = %g", u[i]);
    wa_metalog_quantiles(&m, u, u, N);
    cr_expect(memcmp(u, x, sizeof x) == 0);
}

/* f(Q(u)) against 2h / (Q(u + h) - Q(u - h)): central difference, error O(h^2). */
Test(metalog, density_is_reciprocal_slope)
{
    static const double us[] = {1e-9, 1e-4, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-6};
    for (int f = FREE; f <= BOUNDED; f++)
        for (int k = 2; k <= 10; k += 4) {
            wa_metalog m = fit_form(f, k);
            for (size_t i = 0; i < sizeof us / sizeof *us; i++) {
                double u = us[i], h = 1e-5 * fmin(u, 1 - u);
                double num = 2 * h / (wa_metalog_quantile(&m, u + h) - wa_metalog_quantile(&m, u - h));
                double d = wa_metalog_density(&m, u);
                cr_expect(fabs(d - num) <= 1e-6 * num, "%s k %d u %g: density %.10g, slope %.10g",
                          form_names[f], k, u, d, num);
            }
        }
}

/* ---- Errors -------------------------------------------------------------------------- */

Test(metalog, errors_count_of_quantiles)
{
    static const double p[11] = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    static const double x[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    expect_error(p, x, 11, 0, 0, 0, 0, "metalog needs between 2 and 10 quantiles, got 11");
    expect_error(p, x, 1, 0, 0, 0, 0, "metalog needs between 2 and 10 quantiles, got 1");
    expect_error(NULL, NULL, 0, 0, 0, 0, 0, "metalog needs between 2 and 10 quantiles, got 0");
}

Test(metalog, errors_probabilities)
{
    static const double x[] = {1, 2, 3};
    double p[3] = {0.1, 0.9, 0.5};
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probabilities must increase: 0.5 after 0.9");
    p[2] = 0.9;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probabilities must increase: 0.9 after 0.9");
    p[2] = 1;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probability 1 is not between 0 and 1");
    p[0] = 0;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probability 0 is not between 0 and 1");
    p[0] = -0.1;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probability -0.1 is not between 0 and 1");
    p[0] = NAN;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantile probability nan is not between 0 and 1");
}

Test(metalog, errors_values)
{
    static const double p[] = {0.1, 0.5, 0.9};
    double x[3] = {100, 150, INFINITY};
    expect_error(p, x, 3, 0, 0, 0, 0, "quantile 0.9 = inf is not a finite number");
    x[2] = NAN;
    expect_error(p, x, 3, 0, 0, 0, 0, "quantile 0.9 = nan is not a finite number");
    x[2] = 100;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantiles must increase with probability: quantile 0.9 = 100 is not above quantile 0.5 = 150");
    x[2] = 150;
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantiles must increase with probability: quantile 0.9 = 150 is not above quantile 0.5 = 150");
}

Test(metalog, errors_bounds)
{
    static const double p[] = {0.1, 0.5, 0.9};
    double x[3] = {5, 7, 9};
    expect_error(p, x, 3, 1, 5, 0, 0, "quantile 0.1 = 5 is not above the lower bound 5");
    expect_error(p, x, 3, 1, 6, 1, 20, "quantile 0.1 = 5 is not above the lower bound 6");
    expect_error(p, x, 3, 0, 0, 1, 9, "quantile 0.9 = 9 is not below the upper bound 9");
    expect_error(p, x, 3, 1, 0, 1, 8.5, "quantile 0.9 = 9 is not below the upper bound 8.5");
    expect_error(p, x, 3, 1, 10, 1, 5, "metalog lower bound 10 is not below the upper bound 5");
    expect_error(p, x, 3, 1, 5, 1, 5, "metalog lower bound 5 is not below the upper bound 5");
    expect_error(p, x, 3, 1, -INFINITY, 0, 0, "metalog lower bound -inf is not a finite number");
    expect_error(p, x, 3, 1, NAN, 0, 0, "metalog lower bound nan is not a finite number");
    expect_error(p, x, 3, 0, 0, 1, INFINITY, "metalog upper bound inf is not a finite number");
    /* an absent bound is not looked at */
    fit(p, x, 3, 0, NAN, 0, NAN);
}

Test(metalog, errors_infeasible_three_terms)
{
    static const double p[] = {0.1, 0.5, 0.9};
    static const double x[] = {0, 10, 10.01}; /* flat above the median: Q turns down */
    expect_error(p, x, 3, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.71 (give quantiles that rise more smoothly, or fewer quantiles)");
    static const double xm[] = {0, 0.01, 10}; /* its mirror image */
    expect_error(p, xm, 3, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.29 (give quantiles that rise more smoothly, or fewer quantiles)");
    /* the same in every bound form: feasibility is a property of M */
    static const double xl[] = {1, 11, 11.01};
    expect_error(p, xl, 3, 1, 0, 1, 12, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.71 (give quantiles that rise more smoothly, or fewer quantiles)");
}

Test(metalog, errors_infeasible_wild_five_terms)
{
    static const double p[] = {0.1, 0.3, 0.5, 0.7, 0.9}, x[] = {0, 1, 1.1, 5, 5.1};
    expect_error(p, x, 5, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.29 (give quantiles that rise more smoothly, or fewer quantiles)");
}

/* For k >= 4 the derivative can turn negative far out in a tail only, where a grid of
   1e-4 would never look: a region running into a tail is reported at its inner end, an
   enclosed one at its lowest slope; and below the generator's reach (2^-53 = 1.1e-16) a
   decreasing Q is still not a distribution. */
Test(metalog, errors_infeasible_far_in_the_tails)
{
    static const double p5[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    static const double p6[] = {0.05, 0.2, 0.4, 0.6, 0.8, 0.95};
    static const double p4[] = {0.1, 0.4, 0.6, 0.9};
    static const double xa[] = {3.2, 5.2, 8.3, 12.2, 15.9};      /* (1 - 5.7e-5, 1) */
    expect_error(p5, xa, 5, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 1 - 5.8e-05 (give quantiles that rise more smoothly, or fewer quantiles)");
    static const double xb[] = {3.3, 5.6, 7.6, 9.1, 10.8, 13.4}; /* (0, 4.7e-5) */
    expect_error(p6, xb, 6, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 4.6e-05 (give quantiles that rise more smoothly, or fewer quantiles)");
    static const double xc[] = {1.9, 4.5, 6.9, 9.2, 11};        /* (1 - 9e-8, 1 - 2.3e-16) */
    expect_error(p5, xc, 5, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 1 - 3.5e-08 (give quantiles that rise more smoothly, or fewer quantiles)");
    static const double xd[] = {3.5, 5.3, 6.5, 8.3};            /* (0, 9.7e-17) */
    expect_error(p4, xd, 4, 0, 0, 0, 0, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 9.4e-17 (give quantiles that rise more smoothly, or fewer quantiles)");
    /* the same shapes in a bounded form fail at the same places */
    double xs[6];
    for (int i = 0; i < 6; i++)
        xs[i] = 100 / (1 + exp(-(xb[i] - 8)));
    expect_error(p6, xs, 6, 1, 0, 1, 100, "metalog quantiles are not feasible: the fitted quantile function decreases near p = 4.6e-05 (give quantiles that rise more smoothly, or fewer quantiles)");
}

Test(metalog, errors_singular_system)
{
    double p[] = {0.1, 0.5, 0.5, 0.9};
    p[2] = nextafter(0.5, 1);
    static const double x[] = {1, 2, 3, 4};
    expect_error(p, x, 4, 0, 0, 0, 0, "metalog quantiles are not feasible: the 4-term fit is singular (probabilities too close together; spread them out or give fewer quantiles)");
}

/* Seven terms carry four odd functions of c; probabilities in pairs p, 1 - p around 1/2
   leave them three independent values: singular however well spread. */
Test(metalog, errors_7_symmetric_terms)
{
    static const double p[] = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
    double x[7];
    for (int i = 0; i < 7; i++)
        x[i] = 150 + 50 * gsl_cdf_ugaussian_Pinv(p[i]);
    expect_error(p, x, 7, 0, 0, 0, 0, "metalog quantiles are not feasible: 7 probabilities symmetric about 0.5 make the 7-term fit singular (move one of them, or give 6 or 8 quantiles)");
    static const double p2[] = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98};
    for (int i = 0; i < 7; i++)
        x[i] = 150 + 50 * gsl_cdf_ugaussian_Pinv(p2[i]);
    fit(p2, x, 7, 0, 0, 0, 0); /* one moved: fine */
}

Test(metalog, errors_overflow)
{
    static const double p[] = {0.1, 0.9};
    static const double x[] = {1e308, 1.5e308};
    expect_error(p, x, 2, 1, -1e308, 0, 0, "metalog quantiles span too wide a range: the fitted quantile function overflows");
    static const double xl[] = {1e200, 1e300}; /* e^M overflows in the upper tail */
    expect_error(p, xl, 2, 1, 0, 0, 0, "metalog quantiles span too wide a range: the fitted quantile function overflows");
    static const double xu[] = {-5e307, 5e307}; /* Q(2^-53) = 2.3e307 ln(2^-53) */
    expect_error(p, xu, 2, 0, 0, 0, 0, "metalog quantiles span too wide a range: the fitted quantile function overflows");
    static const double xb[] = {-1, 1}; /* hi - lo overflows */
    expect_error(p, xb, 2, 1, -1e308, 1, 1e308, "metalog quantiles span too wide a range: the fitted quantile function overflows");
}

Test(metalog, error_without_message_buffer)
{
    static const double p[] = {0.1, 0.5}, x[] = {2, 1};
    wa_metalog m;
    cr_expect_eq(wa_metalog_fit(&m, p, x, 2, 0, 0, 0, 0, NULL, 0), -1);
}

/* ---- Sampling ------------------------------------------------------------------------ */

static double q_fn(double u, void *params) { return wa_metalog_quantile(params, u); }
static double q2_fn(double u, void *params)
{
    double q = wa_metalog_quantile(params, u);
    return q * q;
}

static double integrate(double (*fn)(double, void *), wa_metalog *m)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    cr_assert_not_null(w);
    gsl_function F = {fn, m};
    double r, err;
    int status = gsl_integration_qags(&F, 0, 1, 0, 1e-10, 1000, w, &r, &err);
    gsl_integration_workspace_free(w);
    cr_assert_eq(status, GSL_SUCCESS, "qags: %s", gsl_strerror(status));
    NO_GSL_ERRORS();
    return r;
}

Test(metalog, sample_mean_of_bounded_matches_integral)
{
    static const double p[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    static const double x[] = {200e3, 320e3, 400e3, 520e3, 800e3};
    wa_metalog m = fit(p, x, 5, 1, 0, 1, 1e6);
    double mean = integrate(q_fn, &m), var = integrate(q2_fn, &m) - mean * mean;

    enum { N = 100000 };
    static double u[N];
    wa_rng r;
    wa_rng_seed(&r, 20261122, wa_stream_key("metalog"), 0);
    wa_rng_fill_uniform(&r, u, N);
    wa_metalog_quantiles(&m, u, u, N);
    double sum = 0;
    for (int i = 0; i < N; i++) {
        cr_assert(u[i] > 0 && u[i] < 1e6);
        sum += u[i];
    }
    double se = sqrt(var / N);
    cr_expect(fabs(sum / N - mean) <= 4 * se, "sample mean %.6g, integral %.6g, SE %.3g",
              sum / N, mean, se);
    cr_expect(se > 300 && se < 1000, "SE %g (the header's figure)", se);
}
