/*
 * test_rankcorr.c — rank correlations with ties (rankcorr.h): the population Spearman
 * formula against closed forms, and through the whole engine the achieved mid-rank
 * Spearman of discrete inputs against the target.
 *
 * Tolerance for an achieved correlation over n trials: 4 SE with SE = 1/sqrt(n), a bound
 * for a sample Spearman correlation's standard deviation (it is about (1 - rho^2)/sqrt(n)
 * for continuous inputs, and ties do not raise it above 1/sqrt(n)). At n = 200,000 that is
 * 0.009, against the 0.13 by which the uncalibrated copula misses for bernoulli(0.3).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/model.h"
#include "sample/rankcorr.h"
#include "simulate/simulate.h"
#include "walkaway.h"

#define PI 3.14159265358979323846

static wa_dist make(const char *name, const char *k1, double v1, const char *k2, double v2)
{
    wa_dist d;
    wa_dist_error e;
    double a[2] = {v1, v2};
    wa_dist_arg args[2] = {{k1, &a[0], 1, 0}, {k2, &a[1], 1, 0}};
    cr_assert_eq(wa_dist_make(&d, name, args, k2 ? 2 : 1, &e), 0, "%s", e.message);
    return d;
}

Test(rankcorr, continuous_pairs_follow_the_closed_form)
{
    wa_dist a = make("normal", "mean", 0, "sd", 1), b = make("uniform", "min", 0, "max", 1);
    cr_expect(!wa_rankcorr_has_ties(&a) && !wa_rankcorr_has_ties(&b));
    for (double r = -0.9; r <= 0.91; r += 0.3) {
        double want = 6 / PI * asin(r / 2), got = wa_rankcorr_spearman(&a, &b, r);
        cr_expect(fabs(got - want) < 1e-9, "r %g: %.12g vs %.12g", r, got, want);
    }
    wa_dist_free(&a);
    wa_dist_free(&b);
}

Test(rankcorr, bernoulli_maximum_and_solution)
{
    /* the largest rank correlation of a bernoulli(p) with a continuous input is
       sqrt(3 p (1 - p)): reached as r -> 1 */
    wa_dist a = make("bernoulli", "p", 0.3, NULL, 0), b = make("normal", "mean", 0, "sd", 1);
    cr_expect(wa_rankcorr_has_ties(&a));
    int ok;
    double best, r = wa_rankcorr_solve(&a, &b, 0.95, &ok, &best);
    cr_expect_eq(ok, 0);
    cr_expect(fabs(best - sqrt(3 * 0.21)) < 2e-3, "%g", best);
    cr_expect_eq(r, 0.9999);
    r = wa_rankcorr_solve(&a, &b, 0.6, &ok, &best);
    cr_expect_eq(ok, 1);
    cr_expect(fabs(wa_rankcorr_spearman(&a, &b, r) - 0.6) < 1e-9);
    cr_expect(r > 2 * sin(PI * 0.6 / 6), "ties need a stronger normal-score correlation");
    r = wa_rankcorr_solve(&a, &b, -0.4, &ok, &best);
    cr_expect(fabs(wa_rankcorr_spearman(&a, &b, r) + 0.4) < 1e-9);
    wa_dist_free(&a);
    wa_dist_free(&b);
}

/* mid-ranks of x[0..n) into rk */
static const double *sort_key;
static int by_key(const void *p, const void *q)
{
    double u = sort_key[*(const size_t *)p], v = sort_key[*(const size_t *)q];
    return u < v ? -1 : u > v;
}

static void midranks(const double *x, size_t n, double *rk)
{
    size_t *idx = malloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_key = x;
    qsort(idx, n, sizeof *idx, by_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && x[idx[j + 1]] == x[idx[i]])
            j++;
        for (size_t k = i; k <= j; k++)
            rk[idx[k]] = (i + j) / 2.0 + 1;
        i = j + 1;
    }
    free(idx);
}

static double spearman(const double *x, const double *y, size_t n)
{
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    midranks(x, n, a);
    midranks(y, n, b);
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++)
        ma += a[i], mb += b[i];
    ma /= n, mb /= n;
    for (size_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    free(a);
    free(b);
    return sab / sqrt(saa * sbb);
}

/* Two inputs through the engine: offer 0 costs x, offer 1 costs y; their per-trial
   present values are the draws. */
static double achieved(const char *x, const char *y, double rho)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "walkaway: 1\nhorizon: 1\nsimulation: {seed: 17}\ninputs:\n  x: %s\n  y: %s\n"
             "correlations:\n  - [x, y, %g]\n"
             "offers:\n  - name: o1\n    costs:\n      - {label: c, amount: x, year: 0}\n"
             "  - name: o2\n    costs:\n      - {label: c, amount: y, year: 0}\n"
             "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0, year: 0}\n",
             x, y, rho);
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, NULL), WA_OK);
    enum { N = 200000 };
    double *pv[3];
    for (int i = 0; i < 3; i++)
        pv[i] = malloc(N * sizeof(double));
    wa_sim_request rq = {sc->base, 0, N, N, 17, WA_METHOD_MONTE_CARLO, 2, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL};
    cr_assert_eq(wa_simulate(&rq, pv, NULL), WA_OK);
    double s = spearman(pv[0], pv[1], N);
    for (int i = 0; i < 3; i++)
        free(pv[i]);
    wa_scenario_free(sc);
    return s;
}

Test(rankcorr, achieved_with_discrete_inputs)
{
    const double tol = 4 / sqrt(200000.0);
    struct { const char *x, *y; double rho; } cases[] = {
        {"{dist: bernoulli, p: 0.3}", "{dist: normal, mean: 0, sd: 1}", 0.6},
        {"{dist: discrete, values: [1, 2, 3], weights: [0.5, 0.3, 0.2]}", "{dist: uniform, min: 0, max: 1}", -0.5},
        {"{dist: poisson, mean: 2}", "{dist: lognormal, p10: 1, p90: 3}", 0.7},
        {"{dist: bernoulli, p: 0.5}", "{dist: discrete, values: [0, 1, 2]}", 0.4},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double got = achieved(cases[k].x, cases[k].y, cases[k].rho);
        cr_expect(fabs(got - cases[k].rho) < tol, "%s ~ %s: achieved %.4f, target %g", cases[k].x,
                  cases[k].y, got, cases[k].rho);
    }
}

/* Inputs alike to the rank correlation: both continuous, or the same steps; only then may
   one pair's solved r stand for another's. */
Test(rankcorr, alike_inputs)
{
    wa_dist n = make("normal", "mean", 0, "sd", 1), u = make("uniform", "min", 0, "max", 1);
    wa_dist b3 = make("bernoulli", "p", 0.3, NULL, 0), b3b = make("bernoulli", "p", 0.3, NULL, 0);
    wa_dist b2 = make("bernoulli", "p", 0.2, NULL, 0);
    cr_expect(wa_rankcorr_alike(&n, &u));
    cr_expect(wa_rankcorr_alike(&b3, &b3b));
    cr_expect(!wa_rankcorr_alike(&b3, &b2));
    cr_expect(!wa_rankcorr_alike(&b3, &n));
    cr_expect(!wa_rankcorr_alike(&n, &b2));
    int ok1, ok2;
    double best1, best2;
    double r1 = wa_rankcorr_solve(&b3, &n, 0.3, &ok1, &best1);
    double r2 = wa_rankcorr_solve(&b3b, &u, 0.3, &ok2, &best2);
    cr_expect_eq(r1, r2, "%.17g vs %.17g", r1, r2);
    wa_dist_free(&n);
    wa_dist_free(&u);
    wa_dist_free(&b3);
    wa_dist_free(&b3b);
    wa_dist_free(&b2);
}
