/*
 * test_insight.c — sensitivity, certainty equivalents, value of information, ranking and
 * dominance, and concession_needed_share (SPEC §2) against exact answers.
 *
 * Each statistical check has a tolerance of 4 standard errors of the estimate, stated next
 * to it; a correct engine fails one with probability about 6e-5. Exact answers come from
 * closed forms (normal models) or from numerical integration written out here.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

#define PI 3.14159265358979323846

static wa_result *run_yaml(const char *yaml, uint64_t trials, int threads)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    wa_status st = wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d);
    if (st != WA_OK) {
        char buf[2048];
        wa_diagnostic_format(wa_diagnostics_get(d, 0), buf, sizeof buf);
        cr_log_error("%s", buf);
    }
    cr_assert_eq(st, WA_OK);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = trials;
    o.threads = threads;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return r;
}

static const wa_sensitivity *sens_of(const wa_result *r, size_t k, const char *input)
{
    const wa_offer_summary *o = wa_result_offer(r, k);
    for (size_t i = 0; i < o->nsensitivity; i++)
        if (!strcmp(wa_result_sensitivity(r, k, i)->input, input))
            return wa_result_sensitivity(r, k, i);
    cr_assert_fail("no sensitivity entry for %s", input);
    return NULL;
}

static const wa_voi *voi_of(const wa_result *r, const char *input)
{
    for (size_t i = 0; i < wa_result_summary(r)->nvoi; i++)
        if (!strcmp(wa_result_voi(r, i)->input, input))
            return wa_result_voi(r, i);
    cr_assert_fail("no value of information for %s", input);
    return NULL;
}

static double phi(double z) { return exp(-z * z / 2) / sqrt(2 * PI); }

/* E[min(c, Z)] for Z ~ Normal(m, s^2). */
static double emin_const_normal(double c, double m, double s)
{
    double d = m - c;
    return m - (d * gsl_cdf_ugaussian_P(d / s) + s * phi(d / s));
}

/* O = 1000; W = 1000 + 30 x + 20 y, x and y standard normal: D = -30 x - 20 y. */
static const char *LINEAR =
    "walkaway: 1\nhorizon: 1\nsimulation: {seed: 11, confidence: 0.8}\n"
    "inputs:\n  x: {dist: normal, mean: 0, sd: 1}\n  y: {dist: normal, mean: 0, sd: 1}\n"
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1000, year: 0}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1000 + 30 * x + 20 * y, year: 0}\n";

Test(insight, spearman_of_a_linear_normal_model)
{
    enum { N = 200000 };
    wa_result *r = run_yaml(LINEAR, N, 2);
    double s = sqrt(30.0 * 30 + 20 * 20);
    double rho[2] = {-30 / s, -20 / s};
    const char *name[2] = {"x", "y"};
    double sum2 = 0, sp[2];
    for (int i = 0; i < 2; i++) {
        /* Spearman of a bivariate normal pair: (6/pi) asin(rho/2). SE at most 1/sqrt(n)
           (its value when rho = 0; smaller otherwise): 4 SE = 0.0089 */
        double exact = 6 / PI * asin(rho[i] / 2);
        sp[i] = sens_of(r, 0, name[i])->spearman;
        cr_expect(fabs(sp[i] - exact) < 4 / sqrt(N), "spearman %s %g vs %g", name[i], sp[i], exact);
        sum2 += sp[i] * sp[i];
    }
    /* ranked by |spearman|: x first; contributions are the squared shares */
    cr_expect_str_eq(wa_result_sensitivity(r, 0, 0)->input, "x");
    cr_expect(fabs(sens_of(r, 0, "x")->contribution - sp[0] * sp[0] / sum2) < 1e-12);
    wa_result_free(r);
}

/* Simpson's rule for f on [a, b] with n (even) intervals. */
static double simpson(double (*f)(double, void *), void *ctx, double a, double b, int n)
{
    double h = (b - a) / n, s = f(a, ctx) + f(b, ctx);
    for (int i = 1; i < n; i++)
        s += (i % 2 ? 4 : 2) * f(a + i * h, ctx);
    return s * h / 3;
}

/* P(D > 0 | x) phi(x) for D = -30 x - 20 y: P(y < -1.5 x) phi(x). */
static double beats_density(double x, void *ctx)
{
    (void)ctx;
    return gsl_cdf_ugaussian_P(-1.5 * x) * phi(x);
}

Test(insight, decile_swings_by_numerical_integration)
{
    enum { N = 200000 };
    wa_result *r = run_yaml(LINEAR, N, 2);
    const wa_sensitivity *sx = sens_of(r, 0, "x");
    double z = gsl_cdf_ugaussian_Pinv(0.9);
    /* mean D in the top tenth of x minus the bottom tenth: -30 (E[x | top] - E[x | bottom])
       = -30 * 2 phi(z_0.9) / 0.1. Each decile mean has variance Var(D | decile) / (n/10),
       Var(D | top) = 900 Var(x | top) + 400; the swing's SE is the two combined. */
    double ex_top = phi(z) / 0.1, var_top = 1 + z * ex_top - ex_top * ex_top;
    double swing = -30 * 2 * ex_top;
    double se = sqrt(2 * (900 * var_top + 400) / (N / 10.0));
    cr_expect(fabs(sx->swing_mean_advantage - swing) < 4 * se, "swing %g vs %g (se %g)",
              sx->swing_mean_advantage, swing, se);
    /* p_walk_beats in the top and bottom tenths: the integral of P(D > 0 | x) over the
       tenth, over 0.1; each a proportion over n/10 trials */
    double top = simpson(beats_density, NULL, z, 12, 4000) / 0.1;
    double bottom = simpson(beats_density, NULL, -12, -z, 4000) / 0.1;
    double se_p = sqrt(top * (1 - top) / (N / 10.0) + bottom * (1 - bottom) / (N / 10.0));
    cr_expect(fabs(sx->swing_p_walk_beats - (top - bottom)) < 4 * se_p, "swing p %g vs %g",
              sx->swing_p_walk_beats, top - bottom);
    cr_expect(fabs(sx->deciles_p_walk_beats[9] - top) < 4 * sqrt(top * (1 - top) / (N / 10.0)));
    /* the deciles are in order of x: mean D falls from the first to the last */
    for (int d = 1; d < 10; d++)
        cr_expect(sx->deciles_mean_advantage[d] < sx->deciles_mean_advantage[d - 1]);
    wa_result_free(r);
}

Test(insight, bernoulli_swing_is_the_effect_of_the_event)
{
    enum { N = 200000 };
    const char *y =
        "walkaway: 1\nhorizon: 1\nsimulation: {seed: 5, confidence: 0.8}\n"
        "inputs:\n  e: {dist: bernoulli, p: 0.3}\n  x: {dist: normal, mean: 0, sd: 1}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1100, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1000 + 500 * e + 30 * x, year: 0}\n";
    wa_result *r = run_yaml(y, N, 2);
    const wa_sensitivity *se = sens_of(r, 0, "e");
    /* top tenth of e's draws: e = 1; bottom: e = 0. Swing of mean D = -500, the only
       noise x's: SE = sqrt(2 * 900 / (n/10)) */
    cr_expect(fabs(se->swing_mean_advantage + 500) < 4 * sqrt(2 * 900 / (N / 10.0)), "swing %g",
              se->swing_mean_advantage);
    /* Spearman of e with D = 100 - 500 e - 30 x, e's ranks at its two mid-ranks: the
       Pearson correlation of e with -(500 e + 30 x) times the correction for ranks of D
       is not closed; its sign and the ordering are */
    cr_expect(se->spearman < -0.5);
    cr_expect_str_eq(wa_result_sensitivity(r, 0, 0)->input, "e");
    wa_result_free(r);
}

Test(insight, certainty_equivalent_of_a_normal_cost)
{
    enum { N = 200000 };
    const char *y =
        "walkaway: 1\nhorizon: 1\nrisk_tolerance: 1000\nsimulation: {seed: 3}\n"
        "inputs:\n  x: {dist: normal, mean: 1000, sd: 100}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1100, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: x, year: 0}\n";
    wa_result *r = run_yaml(y, N, 2);
    const wa_alternative_summary *a = wa_result_alternative(r, 0);
    cr_assert(a->has_certainty_equivalent);
    /* R ln E[exp(X/R)] = mu + sigma^2 / 2R = 1005. Delta method: SE = R sqrt((e^(s^2/R^2)
       - 1) / n) = 0.224 */
    double se = 1000 * sqrt((exp(0.01) - 1) / N);
    cr_expect(fabs(a->certainty_equivalent - 1005) < 4 * se, "ce %g", a->certainty_equivalent);
    /* a sure cost is its own certainty equivalent */
    cr_expect(fabs(wa_result_offer(r, 0)->certainty_equivalent - 1100) < 1e-9);
    cr_expect_eq(wa_result_summary(r)->nwarnings, 0);
    wa_result_free(r);
}

Test(insight, certainty_equivalent_of_a_discrete_cost_without_overflow)
{
    enum { N = 200000 };
    /* PV 0 or 1,000,000 with equal chance, R = 500,000: exp(PV / R) alone would be fine,
       but at R = 1,000 exp(1000) overflows; both must come out right. */
    const char *y =
        "walkaway: 1\nhorizon: 1\nrisk_tolerance: 1000\nsimulation: {seed: 9}\n"
        "inputs:\n  e: {dist: bernoulli, p: 0.5}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1000000 * e, year: 0}\n";
    wa_result *r = run_yaml(y, N, 2);
    double ce = wa_result_alternative(r, 0)->certainty_equivalent;
    /* CE = R ln(q + (1-q) e^(1e6/R)) = 1e6 + R ln(1 - q) + R ln(1 + q/(1-q) e^-1000) with
       q the share of zeros: the share in this run is p_hat; ln(1 - p_hat) has SE
       sqrt(p(1-p)/n)/(1-p), times R = 1000: SE = 2.24 */
    double exact = 1e6 + 1000 * log(0.5);
    cr_expect(isfinite(ce));
    cr_expect(fabs(ce - exact) < 4 * 1000 * sqrt(0.25 / N) / 0.5, "ce %g vs %g", ce, exact);
    wa_result_free(r);
}

/* Two options linear in standard normals x and y: the offer costs 1000, the walk
   980 + 60 x + 30 y. */
static const char *TWO =
    "walkaway: 1\nhorizon: 1\nsimulation: {seed: 21}\n"
    "inputs:\n  x: {dist: normal, mean: 0, sd: 1}\n  y: {dist: normal, mean: 0, sd: 1}\n"
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1000, year: 0}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 980 + 60 * x + 30 * y, year: 0}\n";

Test(insight, evpi_and_evppi_of_two_linear_options)
{
    enum { N = 1000000 };
    wa_result *r = run_yaml(TWO, N, 2);
    const wa_summary *s = wa_result_summary(r);
    cr_expect_str_eq(s->best_in_expectation, "w");
    /* EVPI = min(1000, 980) - E[min(1000, C)], C ~ N(980, 60^2 + 30^2) */
    double evpi = 980 - emin_const_normal(1000, 980, sqrt(3600.0 + 900));
    cr_expect(fabs(s->evpi - evpi) < 4 * s->evpi_se, "evpi %g vs %g (se %g)", s->evpi, evpi,
              s->evpi_se);
    /* EVPPI of x: E[C | x] = 980 + 60 x ~ N(980, 60^2); of y: N(980, 30^2). Within 4 of
       the stated standard errors, the binning's own bias (below 1% here) included in the
       tolerance as 1% of the value. */
    double ex = 980 - emin_const_normal(1000, 980, 60), ey = 980 - emin_const_normal(1000, 980, 30);
    const wa_voi *vx = voi_of(r, "x"), *vy = voi_of(r, "y");
    cr_expect(fabs(vx->evppi - ex) < 4 * vx->evppi_se + 0.01 * ex, "evppi x %g vs %g (se %g)",
              vx->evppi, ex, vx->evppi_se);
    cr_expect(fabs(vy->evppi - ey) < 4 * vy->evppi_se + 0.01 * ey, "evppi y %g vs %g (se %g)",
              vy->evppi, ey, vy->evppi_se);
    cr_expect(vx->evppi <= s->evpi && vy->evppi <= s->evpi);
    cr_expect_str_eq(wa_result_voi(r, 0)->input, "x");
    cr_expect(fabs(vx->share - vx->evppi / s->evpi) < 1e-12);
    wa_result_free(r);
}

/* min over three lines at x, times phi(x): for EVPPI of x with three options. */
typedef struct lines {
    double a[3], b[3];
} lines;

static double min_lines_density(double x, void *ctx)
{
    const lines *l = ctx;
    double m = l->a[0] + l->b[0] * x;
    for (int k = 1; k < 3; k++)
        if (l->a[k] + l->b[k] * x < m)
            m = l->a[k] + l->b[k] * x;
    return m * phi(x);
}

Test(insight, evppi_of_three_linear_options_by_integration)
{
    enum { N = 1000000 };
    /* C1 = 1000, C2 = 990 + 50 x + 20 y, C3 = 1005 - 40 x + 10 y */
    const char *y =
        "walkaway: 1\nhorizon: 1\nsimulation: {seed: 4}\n"
        "inputs:\n  x: {dist: normal, mean: 0, sd: 1}\n  y: {dist: normal, mean: 0, sd: 1}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1000, year: 0}\n"
        "alternatives:\n"
        "  - name: a\n    costs:\n      - {label: c, amount: 990 + 50 * x + 20 * y, year: 0}\n"
        "  - name: b\n    costs:\n      - {label: c, amount: 1005 - 40 * x + 10 * y, year: 0}\n"
        "walk: a\n";
    wa_result *r = run_yaml(y, N, 2);
    /* EVPPI of x = 990 - E_x[min(1000, 990 + 50 x, 1005 - 40 x)] */
    lines l = {{1000, 990, 1005}, {0, 50, -40}};
    double ex = 990 - simpson(min_lines_density, &l, -12, 12, 20000);
    const wa_voi *vx = voi_of(r, "x");
    cr_expect(fabs(vx->evppi - ex) < 4 * vx->evppi_se + 0.01 * ex, "evppi x %g vs %g (se %g)",
              vx->evppi, ex, vx->evppi_se);
    lines ly = {{1000, 990, 1005}, {0, 20, 10}};
    double ey = 990 - simpson(min_lines_density, &ly, -12, 12, 20000);
    const wa_voi *vy = voi_of(r, "y");
    cr_expect(fabs(vy->evppi - ey) < 4 * vy->evppi_se + 0.01 * ey + 0.05,
              "evppi y %g vs %g (se %g)", vy->evppi, ey, vy->evppi_se);
    wa_result_free(r);
}

Test(insight, ranking_and_dominance_of_known_options)
{
    enum { N = 100000 };
    /* sure: 100; risky: Normal(100, 10), the same mean; worse: risky + 10. */
    const char *y =
        "walkaway: 1\nhorizon: 1\nsimulation: {seed: 2}\n"
        "inputs:\n  x: {dist: normal, mean: 100, sd: 10}\n"
        "offers:\n  - name: sure\n    costs:\n      - {label: fee, amount: 100, year: 0}\n"
        "  - name: worse\n    costs:\n      - {label: fee, amount: x + 10, year: 0}\n"
        "alternatives:\n  - name: risky\n    costs:\n      - {label: c, amount: x, year: 0}\n";
    wa_result *r = run_yaml(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    cr_assert_eq(s->nranking, 3);
    cr_expect_str_eq(wa_result_ranking(r, 2)->name, "worse");
    /* sure is cheapest when x > 100: p_best 0.5 (4 SE = 4 sqrt(.25/n)) */
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(wa_result_ranking(r, i)->name, "sure"))
            cr_expect(fabs(wa_result_ranking(r, i)->p_best - 0.5) < 4 * sqrt(0.25 / N));
    int risky_worse = 0, sure_worse = 0, sure_risky = 0, risky_sure = 0;
    for (size_t i = 0; i < s->ndominance; i++) {
        const wa_dominance *d = wa_result_dominance(r, i);
        if (!strcmp(d->better, "risky") && !strcmp(d->worse, "worse"))
            risky_worse = d->order;
        if (!strcmp(d->better, "sure") && !strcmp(d->worse, "worse"))
            sure_worse = d->order;
        if (!strcmp(d->better, "sure") && !strcmp(d->worse, "risky"))
            sure_risky = d->order;
        if (!strcmp(d->better, "risky") && !strcmp(d->worse, "sure"))
            risky_sure = d->order;
    }
    cr_expect_eq(risky_worse, 1, "a cost shifted up by 10 is dominated at first order");
    cr_expect_eq(sure_risky, 2, "a sure cost at the same mean dominates at second order only");
    cr_expect_eq(risky_sure, 0);
    cr_expect(sure_worse >= 1);
    wa_result_free(r);
}

Test(insight, concession_needed_share_and_verdicts)
{
    enum { N = 200000 };
    const char *y =
        "walkaway: 1\nhorizon: 1\nsimulation: {seed: 8, confidence: 0.8}\n"
        "inputs:\n  w: {dist: normal, mean: 900, sd: 50}\n"
        "offers:\n  - name: dear\n    costs:\n      - {label: fee, amount: 1000, year: 0}\n"
        "  - name: cheap\n    costs:\n      - {label: fee, amount: 800, year: 0}\n"
        "  - name: close\n    costs:\n      - {label: fee, amount: 910, year: 0}\n"
        "alternatives:\n  - name: walk\n    costs:\n      - {label: c, amount: w, year: 0}\n";
    wa_result *r = run_yaml(y, N, 2);
    /* share = the 0.8-quantile of (1000 - W) / 1000 = (1000 - q_0.2(W)) / 1000; the
       quantile's SE sqrt(.16/n) / f(q) with f the normal density over 50, / 1000 */
    double z = gsl_cdf_ugaussian_Pinv(0.2);
    double exact = (1000 - (900 + 50 * z)) / 1000;
    double se = sqrt(0.16 / N) / (phi(z) / 50) / 1000;
    cr_expect(fabs(wa_result_offer(r, 0)->concession_needed_share - exact) < 4 * se, "share %g vs %g",
              wa_result_offer(r, 0)->concession_needed_share, exact);
    cr_expect_str_eq(wa_result_offer(r, 0)->verdict, "walk");      /* P(W < 1000) = 0.98 */
    cr_expect_str_eq(wa_result_offer(r, 1)->verdict, "accept");    /* P(W < 800) = 0.02 */
    cr_expect_str_eq(wa_result_offer(r, 2)->verdict, "negotiate"); /* P(W < 910) = 0.58 */
    wa_result_free(r);
}

Test(insight, same_bits_on_one_and_two_threads)
{
    const char *y =
        "walkaway: 1\nhorizon: 1\nrisk_tolerance: 500\nsimulation: {seed: 13}\n"
        "inputs:\n  x: {dist: pert, min: 1, mode: 3, max: 9}\n  e: {dist: bernoulli, p: 0.2}\n"
        "  k: {dist: poisson, mean: 3}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 100, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 20 * x + 50 * e + k, year: 0}\n";
    char *buf[2];
    for (int t = 0; t < 2; t++) {
        wa_result *r = run_yaml(y, 50000, t + 1);
        const wa_result *rr = r;
        size_t need = 0;
        wa_report_buffer(WA_FORMAT_JSON, &rr, 1, NULL, 0, &need);
        buf[t] = malloc(need + 1);
        wa_report_buffer(WA_FORMAT_JSON, &rr, 1, buf[t], need + 1, &need);
        char *e = strstr(buf[t], "\"elapsed_s\"");
        cr_assert(e);
        char *comma = strchr(e, ',');
        memmove(e, comma, strlen(comma) + 1); /* the time is the only difference allowed */
        wa_result_free(r);
    }
    cr_expect_str_eq(buf[0], buf[1]);
    free(buf[0]);
    free(buf[1]);
}

Test(insight, a_heavy_right_tail_warns_about_the_certainty_equivalent)
{
    /* a lognormal cost with sigma 2 and R a tenth of its median: exp(PV/R) is carried by a
       handful of trials */
    const char *y =
        "walkaway: 1\nhorizon: 1\nrisk_tolerance: 100\nsimulation: {seed: 6}\n"
        "inputs:\n  x: {dist: lognormal, mu: 7, sigma: 2}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1000, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: x, year: 0}\n";
    wa_result *r = run_yaml(y, 100000, 2);
    const wa_summary *s = wa_result_summary(r);
    int found = 0;
    for (size_t i = 0; i < s->nwarnings; i++)
        found |= strstr(wa_result_warning(r, i), "certainty equivalent of 'w' rests on few trials") != NULL;
    cr_expect(found, "no heavy-tail warning");
    cr_expect(isfinite(wa_result_alternative(r, 0)->certainty_equivalent));
    wa_result_free(r);
}
