/*
 * test_engine.c — the engine end to end (load → simulate → summarise) against exact
 * answers: present values computed by hand, and probabilities, quantiles and tail means
 * known in closed form.
 *
 * Statistical checks use fixed seeds and a tolerance of 4 standard errors of the estimate,
 * stated next to each check (for a proportion p over n trials, SE = sqrt(p(1-p)/n); for a
 * mean, sd/sqrt(n); for a quantile x_p, sqrt(p(1-p)/n) / f(x_p)). A correct engine fails
 * such a check with probability about 6e-5.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sample/metalog.h"
#include "load/model.h"
#include "sample/qtable.h"
#include "walkaway.h"

static wa_result *run_text(const char *yaml, uint64_t trials, int threads)
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
    st = wa_run(sc, &o, &r, d);
    if (st != WA_OK) {
        char buf[2048];
        wa_diagnostic_format(wa_diagnostics_get(d, 0), buf, sizeof buf);
        cr_log_error("%s", buf);
    }
    cr_assert_eq(st, WA_OK);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return r;
}

#define N 200000
#define PI 3.14159265358979323846

static double se_prop(double p, double n) { return sqrt(p * (1 - p) / n); }

/* W ~ Normal(100, 20), O = 110: D = O - W ~ Normal(10, 20). */
Test(engine, normal_walk_against_constant_offer)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 7, confidence: 0.8}\n"
                    "inputs:\n  w: {dist: normal, mean: 100, sd: 20}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 110, year: 0}\n"
                    "alternatives:\n  - name: walk\n    costs:\n      - {label: c, amount: w, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, 0);
    double p = gsl_cdf_ugaussian_P(0.5);
    /* proportion: 4 SE = 4 sqrt(p(1-p)/n) ~ 0.0041 */
    cr_expect(fabs(o->p_walk_beats - p) < 4 * se_prop(p, N), "p_walk_beats %g vs %g", o->p_walk_beats, p);
    cr_expect(o->p_walk_beats_ci95[0] < o->p_walk_beats && o->p_walk_beats < o->p_walk_beats_ci95[1]);
    /* mean of D: 4 SE = 4 * 20 / sqrt(n) */
    cr_expect(fabs(o->advantage.mean - 10) < 4 * 20 / sqrt(N), "mean D %g", o->advantage.mean);
    /* sd of D: SE of a normal sample sd = sd / sqrt(2(n-1)) */
    cr_expect(fabs(o->advantage.sd - 20) < 4 * 20 / sqrt(2.0 * (N - 1)), "sd D %g", o->advantage.sd);
    /* concession_needed = 0.8-quantile of D = 10 + 20 z_0.8; SE = sqrt(.16/n) / (phi(z)/20) */
    double z = gsl_cdf_ugaussian_Pinv(0.8);
    double f = exp(-z * z / 2) / sqrt(2 * PI) / 20;
    double se_q = sqrt(0.8 * 0.2 / N) / f;
    cr_expect(fabs(o->concession_needed - (10 + 20 * z)) < 4 * se_q, "concession %g", o->concession_needed);
    /* expected shortfall: E[D | D < q_0.05] = 10 - 20 phi(z05)/0.05. Asymptotic variance of
       the tail mean: (Var(D | D < q) + (1-p)(ES - q)^2) / (n p), p = 0.05. */
    double z5 = gsl_cdf_ugaussian_Pinv(0.05), phi5 = exp(-z5 * z5 / 2) / sqrt(2 * PI);
    double es_z = -phi5 / 0.05;
    double var_tail = 1 - z5 * phi5 / 0.05 - es_z * es_z;
    double se_es = 20 * sqrt((var_tail + 0.95 * (es_z - z5) * (es_z - z5)) / (N * 0.05));
    cr_expect(fabs(o->expected_shortfall - (10 + 20 * es_z)) < 4 * se_es, "ES %g vs %g (se %g)",
              o->expected_shortfall, 10 + 20 * es_z, se_es);
    /* ceilings: mean and quantiles of W */
    cr_expect(fabs(s->ceiling_expected - 100) < 4 * 20 / sqrt(N));
    cr_expect(fabs(s->ceiling_confident - (100 + 20 * z)) < 4 * se_q);
    cr_expect(fabs(s->ceiling_accept_below - (100 - 20 * z)) < 4 * se_q);
    cr_expect_eq(wa_result_alternative(r, 0)->p_cheapest, 1.0);
    cr_expect_str_eq(s->walk_chosen_by, "only");
    /* the offer is a constant: every statistic of its cost is exact */
    cr_expect_eq(o->cost.mean, 110);
    cr_expect_eq(o->cost.sd, 0);
    cr_expect_eq(o->cost.p5, 110);
    wa_result_free(r);
}

/* Lognormal from p10/p90 against a constant: P(W < 800k) = Phi((ln 800k - mu) / sigma). */
Test(engine, lognormal_from_quantiles)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 11}\n"
                    "inputs:\n  m: {dist: lognormal, p10: 400k, p90: 1.2M}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 800k, year: 0}\n"
                    "alternatives:\n  - name: migrate\n    costs:\n      - {label: m, amount: m, year: 0}\n";
    wa_result *r = run_text(y, N, 1);
    const wa_summary *s = wa_result_summary(r);
    double z9 = gsl_cdf_ugaussian_Pinv(0.9);
    double mu = (log(400e3) + log(1.2e6)) / 2, sigma = (log(1.2e6) - log(400e3)) / (2 * z9);
    double p = gsl_cdf_ugaussian_P((log(800e3) - mu) / sigma);
    cr_expect(fabs(wa_result_offer(r, 0)->p_walk_beats - p) < 4 * se_prop(p, N), "%g vs %g",
              wa_result_offer(r, 0)->p_walk_beats, p);
    /* quantiles of W reproduce the given ones: SE of p10 = sqrt(.09/n) / f(x10) */
    double x10 = 400e3, f10 = exp(-(-z9) * (-z9) / 2) / sqrt(2 * PI) / (x10 * sigma);
    cr_expect(fabs(s->walk_cost.p10 - x10) < 4 * sqrt(0.09 / N) / f10, "p10 %g", s->walk_cost.p10);
    double x90 = 1.2e6, f90 = exp(-z9 * z9 / 2) / sqrt(2 * PI) / (x90 * sigma);
    cr_expect(fabs(s->walk_cost.p90 - x90) < 4 * sqrt(0.09 / N) / f90, "p90 %g", s->walk_cost.p90);
    /* mean exp(mu + sigma^2/2); SE = sd/sqrt(n), sd = mean sqrt(exp(sigma^2) - 1) */
    double mean = exp(mu + sigma * sigma / 2), sd = mean * sqrt(exp(sigma * sigma) - 1);
    cr_expect(fabs(s->walk_cost.mean - mean) < 4 * sd / sqrt(N));
    wa_result_free(r);
}

/* A sum of two items: W = X + Y, X ~ N(50, 10), Y ~ N(30, 5) independent, O = 90. */
Test(engine, sum_of_items)
{
    const char *y = "walkaway: 1\nhorizon: 2\nsimulation: {seed: 3}\n"
                    "inputs:\n  x: {dist: normal, mean: 50, sd: 10}\n  y: {dist: normal, mean: 30, sd: 5}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 90, year: 0}\n"
                    "alternatives:\n  - name: a\n    costs:\n      - {label: x, amount: x, year: 0}\n"
                    "      - {label: y, amount: y, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    double p = gsl_cdf_ugaussian_P(10 / sqrt(125));
    cr_expect(fabs(wa_result_offer(r, 0)->p_walk_beats - p) < 4 * se_prop(p, N));
    cr_expect(fabs(s->walk_cost.sd - sqrt(125)) < 4 * sqrt(125) / sqrt(2.0 * (N - 1)));
    wa_result_free(r);
}

/* A Bernoulli event: W = 100 + 1000 with probability 0.3 (item probability), O = 500:
   P(W < O) = 0.7 and E[W] = 400. The same event as a bernoulli input must agree. */
Test(engine, bernoulli_events)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 5}\n"
                    "inputs:\n  fails: {dist: bernoulli, p: 0.3}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 500, year: 0}\n"
                    "alternatives:\n"
                    "  - name: a\n    costs:\n      - {label: base, amount: 100, year: 0}\n"
                    "      - {label: rollback, amount: 1000, year: 0, probability: 0.3}\n"
                    "  - name: b\n    costs:\n      - {label: base, amount: 100 + fails * 1000, year: 0}\n"
                    "walk: a\n";
    wa_result *r = run_text(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    cr_expect(fabs(wa_result_offer(r, 0)->p_walk_beats - 0.7) < 4 * se_prop(0.7, N));
    /* SE of the mean: 1000 sqrt(.21) / sqrt(n) */
    cr_expect(fabs(s->walk_cost.mean - 400) < 4 * 1000 * sqrt(0.21 / N));
    cr_expect(fabs(wa_result_alternative(r, 1)->cost.mean - 400) < 4 * 1000 * sqrt(0.21 / N));
    cr_expect_eq(s->walk_cost.min, 100);
    cr_expect_eq(s->walk_cost.max, 1100);
    /* The two events are independent draws: a is cheapest when a's event does not happen
       and b's does (0.7 * 0.3), or both agree and the tie goes to a, the first in file
       order (0.7^2 + 0.3^2): 0.79 in all. */
    cr_expect(fabs(wa_result_alternative(r, 0)->p_cheapest - 0.79) < 4 * se_prop(0.79, N), "%g",
              wa_result_alternative(r, 0)->p_cheapest);
    wa_result_free(r);
}

/* Present values by hand: 100 a year for years 1..5 growing 5%, discounted at 8%; one
   payment of 1000 at year 2.5; a concession of 50 at year 0; amount depending on t. */
Test(engine, present_values_by_hand)
{
    const char *y = "walkaway: 1\nhorizon: 5\ndiscount_rate: 8%\n"
                    "offers:\n  - name: o\n    costs:\n"
                    "      - {label: s, amount: 100, years: [1, 5], growth: 5%}\n"
                    "      - {label: late, amount: 1000, year: 2.5}\n"
                    "      - {label: by-year, amount: 10 * t, years: [0, 3]}\n"
                    "    concessions:\n      - {label: free, amount: 50, year: 0}\n"
                    "alternatives:\n  - name: a\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, 1000, 1);
    double pv = 0;
    for (int t = 1; t <= 5; t++)
        pv += 100 * pow(1.05, t - 1) * pow(1.08, -t);
    pv += 1000 * pow(1.08, -2.5);
    for (int t = 0; t <= 3; t++)
        pv += 10 * t * pow(1.08, -t);
    pv -= 50;
    cr_expect(fabs(wa_result_offer(r, 0)->cost.mean - pv) <= 1e-12 * pv, "%.17g vs %.17g", wa_result_offer(r, 0)->cost.mean, pv);
    cr_expect_eq(wa_result_offer(r, 0)->cost.sd, 0);
    cr_expect_eq(wa_result_offer(r, 0)->p_walk_beats, 1.0);
    /* Wilson interval at p = 1: upper bound 1, lower n/(n + z^2) */
    double z = 1.959963984540054;
    cr_expect(fabs(wa_result_offer(r, 0)->p_walk_beats_ci95[0] - 1000 / (1000 + z * z)) < 1e-12);
    cr_expect_eq(wa_result_offer(r, 0)->p_walk_beats_ci95[1], 1.0);
    wa_result_free(r);
}

/* Uncertain growth: the per-trial compounding equals the closed form for each draw, so the
   mean PV equals E[sum_k 100 (1+g)^k d^k] with g uniform on [0, 10%]: integrate exactly. */
Test(engine, uncertain_growth)
{
    const char *y = "walkaway: 1\nhorizon: 3\ndiscount_rate: 0\nsimulation: {seed: 9}\n"
                    "inputs:\n  g: {dist: uniform, min: 0, max: 10%}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: s, amount: 100, years: [0, 2], growth: g}\n"
                    "alternatives:\n  - name: a\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    /* E[1 + (1+g) + (1+g)^2] for g ~ U(0, .1): 1 + 1.05 + (1.1^3 - 1)/(3 * .1) */
    double mean = 100 * (1 + 1.05 + (pow(1.1, 3) - 1) / 0.3);
    cr_expect(fabs(wa_result_offer(r, 0)->cost.mean - mean) < 4 * wa_result_offer(r, 0)->cost.sd / sqrt(N),
              "%g vs %g", wa_result_offer(r, 0)->cost.mean, mean);
    cr_expect_eq(wa_result_offer(r, 0)->cost.min >= 300, 1);
    cr_expect(wa_result_offer(r, 0)->cost.max <= 100 * (1 + 1.1 + 1.21) + 1e-9);
    wa_result_free(r);
}

/* walk: best takes the alternative with the lowest mean; p_cheapest counts per trial. */
Test(engine, best_walk_and_p_cheapest)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 2}\n"
                    "inputs:\n  u: {dist: uniform, min: 0, max: 1}\n  v: {dist: uniform, min: 0, max: 1}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 0.5, year: 0}\n"
                    "alternatives:\n"
                    "  - name: high\n    costs:\n      - {label: c, amount: u + 0.25, year: 0}\n"
                    "  - name: low\n    costs:\n      - {label: c, amount: v, year: 0}\n"
                    "walk: best\n";
    wa_result *r = run_text(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    cr_expect_str_eq(s->walk_name, "low");
    cr_expect_str_eq(s->walk_chosen_by, "best");
    /* P(v < u + .25) for independent uniforms = 1 - .75^2 / 2 = 0.71875 */
    cr_expect(fabs(wa_result_alternative(r, 1)->p_cheapest - 0.71875) < 4 * se_prop(0.71875, N));
    cr_expect(fabs(wa_result_alternative(r, 0)->p_cheapest + wa_result_alternative(r, 1)->p_cheapest - 1) < 1e-12);
    cr_expect(fabs(wa_result_offer(r, 0)->p_walk_beats - 0.5) < 4 * se_prop(0.5, N));
    wa_result_free(r);
}

static int same_stats(const wa_stats *a, const wa_stats *b) { return !memcmp(a, b, sizeof *a); }

/* The same seed gives the same bits with 1, 2 and 3 threads, and a different seed does not. */
Test(engine, bit_identical_across_threads)
{
    const char *y = "walkaway: 1\nhorizon: 5\ndiscount_rate: 7%\nsimulation: {seed: 42}\n"
                    "inputs:\n  a: {dist: pert, min: 1, mode: 2, max: 5}\n  b: {dist: lognormal, p10: 1, p90: 3}\n"
                    "  g: {dist: triangular, min: 0, mode: 2%, max: 9%}\n  c: a * b\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: s, amount: c, years: [1, 5], growth: g}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: x, amount: 3 * a + b, year: 0}\n";
    wa_result *r1 = run_text(y, 50001, 1), *r2 = run_text(y, 50001, 2), *r3 = run_text(y, 50001, 3);
    const wa_summary *s1 = wa_result_summary(r1), *s3 = wa_result_summary(r3);
    cr_expect(same_stats(&wa_result_offer(r1, 0)->cost, &wa_result_offer(r2, 0)->cost));
    cr_expect(same_stats(&wa_result_offer(r1, 0)->advantage, &wa_result_offer(r3, 0)->advantage));
    cr_expect(same_stats(&s1->walk_cost, &s3->walk_cost));
    cr_expect_eq(wa_result_offer(r1, 0)->expected_shortfall, wa_result_offer(r2, 0)->expected_shortfall);
    cr_expect_eq(wa_result_offer(r1, 0)->p_walk_beats, wa_result_offer(r3, 0)->p_walk_beats);
    wa_result_free(r1);
    wa_result_free(r2);
    wa_result_free(r3);
}

/* Common random numbers: adding an unrelated input leaves another input's draws alone. */
Test(engine, streams_keyed_by_input_name)
{
    const char *y1 = "walkaway: 1\nhorizon: 1\ninputs:\n  a: {dist: normal, mean: 0, sd: 1}\n"
                     "offers:\n  - name: o\n    costs:\n      - {label: s, amount: a, year: 0}\n"
                     "alternatives:\n  - name: w\n    costs:\n      - {label: x, amount: 0, year: 0}\n";
    const char *y2 = "walkaway: 1\nhorizon: 1\ninputs:\n  z: {dist: uniform, min: 0, max: 1}\n"
                     "  a: {dist: normal, mean: 0, sd: 1}\n"
                     "offers:\n  - name: o\n    costs:\n      - {label: s, amount: a, year: 0}\n"
                     "alternatives:\n  - name: w\n    costs:\n      - {label: x, amount: z, year: 0}\n";
    wa_result *r1 = run_text(y1, 10000, 1), *r2 = run_text(y2, 10000, 2);
    cr_expect(same_stats(&wa_result_offer(r1, 0)->cost,
                         &wa_result_offer(r2, 0)->cost));
    wa_result_free(r1);
    wa_result_free(r2);
}

/* A non-finite value is an error naming the expression, its place and the trials hit. */
Test(engine, nonfinite_is_an_error)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 1}\n"
                    "inputs:\n  x: {dist: uniform, min: -1, max: 1}\n  y: ln(x)\n  z: y * 2\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: s, amount: z, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 1000;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_EINVALID);
    cr_assert_null(r);
    /* Only y is reported: z and the amount inherit its NaN. */
    cr_assert_eq(wa_diagnostics_errors(d), 1);
    const wa_diagnostic *e = wa_diagnostics_get(d, 0);
    cr_expect_eq(e->line, 6);
    cr_expect_eq(e->column, 6);
    unsigned long long k = 0;
    cr_assert_eq(sscanf(e->message, "input 'y' = 'ln(x)' is NaN or infinite in %llu of 1000 trials", &k), 1,
                 "%s", e->message);
    /* about half the draws are negative: 4 SE of a proportion over 1000 */
    cr_expect(fabs(k / 1000.0 - 0.5) < 4 * se_prop(0.5, 1000), "%llu", k);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

static wa_status run_status(const char *yaml, const wa_run_options *o, char *first, size_t n)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d), WA_OK);
    wa_result *r = NULL;
    wa_status st = wa_run(sc, o, &r, d);
    cr_assert((st == WA_OK) == (r != NULL));
    first[0] = '\0';
    if (wa_diagnostics_count(d))
        wa_diagnostic_format(wa_diagnostics_get(d, 0), first, n);
    char *nl = strchr(first, '\n');
    if (nl)
        *nl = '\0';
    wa_result_free(r);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return st;
}

#define SMALL                                                                          \
    "walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: uniform, min: -1, max: 1}\n"          \
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1 / x, year: 0}\n"   \
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1e308, year: 0}\n" \
    "      - {label: d, amount: 1e308, year: 0}\n"

Test(engine, nonfinite_amount_and_overflow)
{
    char first[1024];
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 100;
    /* 1 / x is finite for every draw but the PV of w overflows in every trial */
    cr_expect_eq(run_status(SMALL, &o, first, sizeof first), WA_EINVALID);
    cr_expect_str_eq(first, "t.yaml:10:5: error: the present value of 'w' overflows in 100 of 100 trials (first in trial 1)");
    const char *y = "walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: bernoulli, p: 0.5}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: ln(x), year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    cr_expect_eq(run_status(y, &o, first, sizeof first), WA_EINVALID);
    unsigned k = 0;
    cr_expect_eq(sscanf(first, "t.yaml:8:30: error: 'fee' of 'o': amount 'ln(x)' gives a NaN or infinite value in %u of 100 trials", &k), 1, "%s", first);
    /* ln(0) = -inf in the trials where x = 0: about half, within 4 SE of a proportion */
    cr_expect(fabs(k / 100.0 - 0.5) < 4 * se_prop(0.5, 100), "%u", k);
}

Test(engine, run_options_checked)
{
    char first[1024];
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 10000000001ULL;
    cr_expect_eq(run_status(SMALL, &o, first, sizeof first), WA_EUSAGE);
    cr_expect_str_eq(first, "error: trials must be from 1 to 10000000000, not 10000000001");
    wa_run_options_init(&o, sizeof o);
    o.threads = -1;
    cr_expect_eq(run_status(SMALL, &o, first, sizeof first), WA_EUSAGE);
    cr_expect_str_eq(first, "error: threads must be 0 (all cores) or more, not -1");
    wa_run_options_init(&o, sizeof o);
    o.variant = 0;
    cr_expect_eq(run_status(SMALL, &o, first, sizeof first), WA_EUSAGE);
    cr_expect_str_eq(first, "error: no variant number 0 in t.yaml");
    /* 10^6 trials of 2 options (16 MB) with a budget one byte short of it: a run all the
       same, its trials regenerated (run_beyond_the_memory_budget, below) */
    const char *fits = "walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n"
                       "      - {label: fee, amount: 1, year: 0}\n"
                       "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n";
    wa_run_options_init(&o, sizeof o);
    o.trials = 1000000;
    o.no_insight = 1;
    cr_expect_eq(run_status(fits, &o, first, sizeof first), WA_OK, "%s", first);
    o.memory = 1000000 * 2 * 8 - 1; /* one byte short */
    cr_expect_eq(run_status(fits, &o, first, sizeof first), WA_OK, "%s", first);
    o.memory = -1;
    cr_expect_eq(run_status(SMALL, &o, first, sizeof first), WA_EUSAGE);
    cr_expect_str_eq(first, "error: wa_run_options.memory is -1: a number of bytes, or 0 for the default");
}

/* Every figure of two summaries, to the bit (elapsed_s aside). */
static void same_summary(const wa_result *ra, const wa_result *rb)
{
    const wa_summary *a = wa_result_summary(ra), *b = wa_result_summary(rb);
    cr_assert_eq(a->noffers, b->noffers);
    cr_assert_eq(a->nalternatives, b->nalternatives);
    cr_assert(same_stats(&a->walk_cost, &b->walk_cost));
    cr_assert_str_eq(a->walk_name, b->walk_name);
    cr_assert(!memcmp(&a->ceiling_expected, &b->ceiling_expected, sizeof(double)));
    cr_assert(!memcmp(&a->ceiling_confident, &b->ceiling_confident, sizeof(double)));
    cr_assert(!memcmp(&a->ceiling_accept_below, &b->ceiling_accept_below, sizeof(double)));
    for (size_t k = 0; k < a->nalternatives; k++) {
        cr_assert(same_stats(&wa_result_alternative(ra, k)->cost, &wa_result_alternative(rb, k)->cost));
        cr_assert(!memcmp(&wa_result_alternative(ra, k)->p_cheapest, &wa_result_alternative(rb, k)->p_cheapest,
                          sizeof(double)));
    }
    for (size_t k = 0; k < a->noffers; k++) {
        const wa_offer_summary *x = wa_result_offer(ra, k), *y = wa_result_offer(rb, k);
        cr_assert(same_stats(&x->cost, &y->cost));
        cr_assert(same_stats(&x->advantage, &y->advantage));
        cr_assert(!memcmp(&x->p_walk_beats, &y->p_walk_beats, sizeof(double)));
        cr_assert(!memcmp(x->p_walk_beats_ci95, y->p_walk_beats_ci95, 2 * sizeof(double)));
        cr_assert(!memcmp(&x->concession_needed, &y->concession_needed, sizeof(double)));
        cr_assert(!memcmp(&x->expected_shortfall, &y->expected_shortfall, sizeof(double)));
    }
}

/* Every diagnostic of a run, formatted, one per line. */
static void run_diagnostics(const char *yaml, const wa_run_options *o, char *out, size_t n)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d), WA_OK);
    wa_result *r = NULL;
    wa_run(sc, o, &r, d);
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < wa_diagnostics_count(d) && at + 1 < n; i++) {
        wa_diagnostic_format(wa_diagnostics_get(d, i), out + at, n - at);
        at += strlen(out + at);
    }
    wa_result_free(r);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* Beyond the memory budget (SPEC 5) the trials are simulated a window at a time and again
   for each pass of the summary: every figure is the in-memory run's, to the bit, under
   every method, with the walk chosen by the lowest mean, with precision stopping, and
   with a budget too small for one block (a window is one block then). Non-finite values
   are said as a whole run says them: once, with the counts of all the trials. */
Test(engine, run_beyond_the_memory_budget)
{
    const char *y = "walkaway: 1\nhorizon: 3\nwalk: best\nsimulation: {seed: 5, trials: 50000}\n"
                    "inputs:\n  w: {dist: normal, mean: 100, sd: 20}\n"
                    "  v: {dist: lognormal, p10: 50, p90: 200}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 110, year: 0}\n"
                    "  - name: p\n    costs:\n      - {label: fee, amount: v, years: [0, 2]}\n"
                    "alternatives:\n  - name: a\n    costs:\n      - {label: c, amount: w, year: 0}\n"
                    "  - name: b\n    costs:\n      - {label: c, amount: 0.8 * v + 20, year: 0}\n";
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, NULL), WA_OK);
    static const wa_method methods[] = {WA_METHOD_MONTE_CARLO, WA_METHOD_LATIN_HYPERCUBE,
                                        WA_METHOD_SOBOL};
    /* 4 options of 50,000 trials: 1.6 MB; 200 KB is a window of 4 blocks, 1 byte of 1 */
    static const double budgets[] = {200e3, 1};
    for (int k = 0; k < 3; k++) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.method = methods[k];
        o.threads = 2;
        wa_result *whole = NULL, *win = NULL;
        cr_assert_eq(wa_run(sc, &o, &whole, NULL), WA_OK);
        for (int b = 0; b < 2; b++) {
            o.memory = budgets[b];
            cr_assert_eq(wa_run(sc, &o, &win, NULL), WA_OK);
            same_summary(whole, win);
            cr_assert_eq(wa_result_summary(win)->trials, 50000);
            wa_result_free(win);
        }
        wa_result_free(whole);
    }
    wa_scenario_free(sc);

    char a[4096], b[4096];
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 30000;
    run_diagnostics(SMALL, &o, a, sizeof a);
    o.memory = 1;
    run_diagnostics(SMALL, &o, b, sizeof b);
    cr_expect(strstr(a, "in 30000 of 30000 trials"), "%s", a);
    cr_expect_str_eq(b, a);
}

/* Precision stopping: rounds of 65536, 131072, 262144 ... trials; the run stops after the
   first round in which every offer's 95% interval has half-width <= precision. Here
   p = Phi(0.5) = 0.6915, so the half-width 1.96 sqrt(p(1-p)/n) reaches 0.002 near
   n = 205,000: the run stops at 262,144, and is then bit for bit the fixed run of 262,144
   trials (the same blocks), whatever the thread count. */
Test(engine, precision_stopping)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 8, precision: 0.002, trials: 10M}\n"
                    "inputs:\n  w: {dist: normal, mean: 100, sd: 20}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 110, year: 0}\n"
                    "alternatives:\n  - name: a\n    costs:\n      - {label: c, amount: w, year: 0}\n";
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, NULL), WA_OK);
    wa_result *r[3];
    for (int t = 0; t < 2; t++) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.threads = t + 1;
        cr_assert_eq(wa_run(sc, &o, &r[t], NULL), WA_OK);
    }
    const wa_summary *a = wa_result_summary(r[0]);
    cr_expect_eq(a->trials, 262144);
    cr_expect_eq(a->nwarnings, 0);
    cr_expect((wa_result_offer(r[0], 0)->p_walk_beats_ci95[1] - wa_result_offer(r[0], 0)->p_walk_beats_ci95[0]) / 2 <= 0.002);
    same_summary(r[0], r[1]);
    /* beyond a budget of 1 MB the windows are 61,440 trials, and the rounds end within
       them: the same stop, the same figures */
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.memory = 1e6;
    wa_result *win = NULL;
    cr_assert_eq(wa_run(sc, &o, &win, NULL), WA_OK);
    same_summary(r[0], win);
    wa_result_free(win);
    wa_scenario_free(sc);
    /* the same scenario without precision, run for exactly that many trials */
    const char *fixed = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 8, trials: 262144}\n"
                        "inputs:\n  w: {dist: normal, mean: 100, sd: 20}\n"
                        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 110, year: 0}\n"
                        "alternatives:\n  - name: a\n    costs:\n      - {label: c, amount: w, year: 0}\n";
    cr_assert_eq(wa_scenario_load_buffer(fixed, strlen(fixed), "f.yaml", &sc, NULL), WA_OK);
    cr_assert_eq(wa_run(sc, NULL, &r[2], NULL), WA_OK);
    same_summary(r[0], r[2]);
    for (int t = 0; t < 3; t++)
        wa_result_free(r[t]);
    wa_scenario_free(sc);
}

Test(engine, precision_not_reached_warns)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {precision: 0.01}\n"
                    "inputs:\n  a: {dist: uniform, min: 0, max: 1}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: a, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0.5, year: 0}\n";
    wa_result *r = run_text(y, 1000, 1);
    const wa_summary *s = wa_result_summary(r);
    cr_expect_eq(s->trials, 1000);
    cr_assert_eq(s->nwarnings, 1);
    double hw = (wa_result_offer(r, 0)->p_walk_beats_ci95[1] - wa_result_offer(r, 0)->p_walk_beats_ci95[0]) / 2;
    char want[300];
    snprintf(want, sizeof want,
             "precision 0.01 not reached: after 1000 trials (simulation.trials) the widest 95%% interval of p_walk_beats, for offer 'o', has half-width %.3g",
             hw);
    cr_expect_str_eq(wa_result_warning(r, 0), want);
    wa_result_free(r);
}

/* Correlated normals, exact answer: X ~ N(0, 1), Y ~ N(0, 2) with Spearman rho have
   normal-score (and so value) Pearson correlation r = 2 sin(pi rho / 6), and
   Var(X - Y) = 1 + 4 - 2 r 2. Under every sampling method. The SE of a normal sample's
   variance is var sqrt(2 / (n - 1)); 4 SE. */
Test(engine, correlation_sets_the_variance_of_a_difference)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 21}\n"
                    "inputs:\n  x: {dist: normal, mean: 0, sd: 1}\n  y: {dist: normal, mean: 0, sd: 2}\n"
                    "correlations:\n  - [x, y, 0.6]\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: d, amount: x - y, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0, year: 0}\n";
    double r = 2 * sin(PI * 0.6 / 6), var = 5 - 4 * r;
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, NULL), WA_OK);
    wa_method ms[3] = {WA_METHOD_MONTE_CARLO, WA_METHOD_LATIN_HYPERCUBE, WA_METHOD_SOBOL};
    for (int k = 0; k < 3; k++) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = N;
        o.method = ms[k];
        wa_result *res = NULL;
        cr_assert_eq(wa_run(sc, &o, &res, NULL), WA_OK);
        const wa_summary *s = wa_result_summary(res);
        double got = wa_result_offer(res, 0)->cost.sd * wa_result_offer(res, 0)->cost.sd;
        cr_expect(fabs(got - var) < 4 * var * sqrt(2.0 / (N - 1)), "%s: variance %g vs %g",
                  wa_method_name(ms[k]), got, var);
        cr_expect_eq(s->nwarnings, 0);
        wa_result_free(res);
    }
    wa_scenario_free(sc);
}

/* An item's inline distribution is a sampled input named option/label, and can be
   correlated like a named one: the same exact variance as above, Y now the inline amount
   of a concession (O = X - Y), Monte Carlo. */
Test(engine, an_inline_amount_can_be_correlated)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 22}\n"
                    "inputs:\n  x: {dist: normal, mean: 0, sd: 1}\n"
                    "correlations:\n  - [x, o/credit, 0.6]\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: d, amount: x, year: 0}\n"
                    "    concessions:\n      - {label: credit, amount: {dist: normal, mean: 0, sd: 2}, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0, year: 0}\n";
    double r = 2 * sin(PI * 0.6 / 6), var = 5 - 4 * r;
    wa_result *res = run_text(y, N, 0);
    double got = wa_result_offer(res, 0)->cost.sd * wa_result_offer(res, 0)->cost.sd;
    cr_expect(fabs(got - var) < 4 * var * sqrt(2.0 / (N - 1)), "variance %g vs %g", got, var);
    cr_expect_eq(wa_result_summary(res)->nwarnings, 0);
    wa_result_free(res);
}

/* The copula hands a correlated normal, lognormal, PERT and Bernoulli their mixed scores
   directly (dist.h, wa_dist_from_z): their marginals are unchanged. Each offer costs one
   input, whose mean is exact: 0.3 (Bernoulli; SE sqrt(0.21 / n)), (0 + 4 * 3 + 10) / 6
   (PERT; its sd is sqrt((mu - a)(b - mu) / 7) = 2.05), exp(mu + s^2 / 2) for the lognormal
   with median 2 and p90 / p10 = 4 (s = ln 2 / 1.2816, sd from the closed form), and 10
   (normal, sd 2). 4 SE each. */
Test(engine, correlated_inputs_keep_their_marginals)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 5}\n"
                    "inputs:\n  x: {dist: normal, mean: 10, sd: 2}\n  b: {dist: bernoulli, p: 0.3}\n"
                    "  g: {dist: pert, min: 0, mode: 3, max: 10}\n  l: {dist: lognormal, p10: 1, p90: 4}\n"
                    "correlations:\n  - [x, b, 0.5]\n  - [x, g, 0.4]\n  - [g, l, -0.3]\n  - [b, l, 0.2]\n"
                    "offers:\n  - name: ox\n    costs:\n      - {label: c, amount: x, year: 0}\n"
                    "  - name: ob\n    costs:\n      - {label: c, amount: b, year: 0}\n"
                    "  - name: og\n    costs:\n      - {label: c, amount: g, year: 0}\n"
                    "  - name: ol\n    costs:\n      - {label: c, amount: l, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0, year: 0}\n";
    double s = log(4.0) / 2 / 1.2815515655446004, ml = exp(log(2.0) + s * s / 2);
    double sdl = ml * sqrt(exp(s * s) - 1), mg = 22.0 / 6, sdg = sqrt(mg * (10 - mg) / 7);
    const double mean[4] = {10, 0.3, mg, ml}, sd[4] = {2, sqrt(0.21), sdg, sdl};
    wa_result *r = run_text(y, N, 2);
    for (size_t k = 0; k < 4; k++) {
        double got = wa_result_offer(r, k)->cost.mean;
        cr_expect(fabs(got - mean[k]) < 4 * sd[k] / sqrt((double)N), "offer %zu: mean %.6g, exact %.6g",
                  k, got, mean[k]);
    }
    wa_result_free(r);
}

/* A matrix that is not positive definite is repaired with a warning showing both; strict
   makes it an error. */
Test(engine, invalid_correlation_matrix)
{
    const char *fmt = "walkaway: 1\nhorizon: 1\nsimulation: {strict: %s}\n"
                      "inputs:\n  a: {dist: uniform, min: 0, max: 1}\n  b: {dist: uniform, min: 0, max: 1}\n"
                      "  c: {dist: uniform, min: 0, max: 1}\n"
                      "correlations:\n  - [a, b, 0.9]\n  - [a, c, 0.9]\n  - [b, c, -0.9]\n"
                      "offers:\n  - name: o\n    costs:\n      - {label: d, amount: a + b + c, year: 0}\n"
                      "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1.5, year: 0}\n";
    char y[2048];
    snprintf(y, sizeof y, fmt, "false");
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    cr_assert_eq(wa_diagnostics_count(d), 1);
    const wa_diagnostic *w = wa_diagnostics_get(d, 0);
    cr_expect_eq(w->severity, WA_WARNING);
    cr_expect_eq(w->line, 9); /* the first entry */
    cr_expect(strstr(w->message, "asked for:\n       a       b       c\na  1.000   0.900   0.900\n") != NULL,
              "%s", w->message);
    cr_expect(strstr(w->message, "used instead:\n") != NULL, "%s", w->message);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 1000;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, NULL), WA_OK);
    cr_assert_eq(wa_result_summary(r)->nwarnings, 1);
    cr_expect_str_eq(wa_result_warning(r, 0), w->message);
    wa_result_free(r);
    wa_scenario_free(sc);
    wa_diagnostics_clear(d);
    snprintf(y, sizeof y, fmt, "true");
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_EINVALID);
    const char *msg = wa_diagnostics_get(d, 0)->message;
    cr_expect(strstr(msg, "(simulation.strict is true, so nothing is repaired)") != NULL, "%s", msg);
    cr_expect(strstr(msg, "the nearest valid one would be:") != NULL, "%s", msg);
    cr_expect(strstr(msg, "is used instead") == NULL, "an error must not say a repair was used");
    wa_diagnostics_free(d);
}

/* A variant replaces only what it sets; every other input keeps its draws. */
Test(engine, variants_use_common_random_numbers)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 4}\n"
                    "inputs:\n  a: {dist: normal, mean: 10, sd: 2}\n  b: {dist: uniform, min: 0, max: 1}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: a, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 10 * b, year: 0}\n"
                    "variants:\n  - name: v\n    set: {b: 0.5}\n";
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    cr_assert_eq(wa_scenario_variant_count(sc), 1);
    cr_assert_str_eq(wa_scenario_variant_name(sc, 0), "v");
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 20000;
    wa_result *base = NULL, *var = NULL;
    cr_assert_eq(wa_run(sc, &o, &base, d), WA_OK);
    o.variant = 0;
    cr_assert_eq(wa_run(sc, &o, &var, d), WA_OK);
    const wa_summary *sb = wa_result_summary(base), *sv = wa_result_summary(var);
    cr_expect(same_stats(&wa_result_offer(base, 0)->cost, &wa_result_offer(var, 0)->cost)); /* a untouched */
    cr_expect_eq(sv->walk_cost.sd, 0);                                /* b fixed at 0.5 */
    cr_expect_eq(sv->walk_cost.mean, 5);
    cr_expect_str_eq(sv->variant, "v");
    cr_expect_null(sb->variant);
    /* --set makes a model of its own, on the same draws */
    const char *sets[] = {"a=12"};
    o.variant = -1;
    o.sets = sets;
    o.nsets = 1;
    wa_result *adhoc = NULL;
    cr_assert_eq(wa_run(sc, &o, &adhoc, d), WA_OK);
    cr_expect_str_eq(wa_result_summary(adhoc)->variant, "a=12");
    cr_expect(same_stats(&wa_result_summary(adhoc)->walk_cost, &sb->walk_cost));
    cr_expect_eq(wa_result_offer(adhoc, 0)->cost.mean, 12);
    wa_result_free(adhoc);
    wa_result_free(base);
    wa_result_free(var);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* Every figure of every variant of every bundled scenario is the same to the bit with 1,
   2 and 3 threads (elapsed_s aside). 3 threads on a 2-core machine also exercises an
   uneven split of blocks. */
Test(engine, bundled_scenarios_identical_for_any_thread_count)
{
    static const char *const files[] = {"ibm-audit.yaml", "microsoft-ea.yaml",
                                        "java-settlement.yaml", "migration-plans.yaml",
                                        "vmware-renewal.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", WA_SCENARIOS, files[f]);
        wa_diagnostics *d = wa_diagnostics_new();
        wa_scenario *sc = NULL;
        cr_assert_eq(wa_scenario_load(path, &sc, d), WA_OK, "%s", path);
        for (long v = -1; v < (long)wa_scenario_variant_count(sc); v++) {
            wa_result *r[3] = {NULL, NULL, NULL};
            for (int t = 0; t < 3; t++) {
                wa_run_options o;
                wa_run_options_init(&o, sizeof o);
                o.trials = 30011; /* not a multiple of the block size */
                o.threads = t + 1;
                o.variant = v;
                cr_assert_eq(wa_run(sc, &o, &r[t], d), WA_OK);
            }
            same_summary(r[0], r[1]);
            same_summary(r[0], r[2]);
            for (int t = 0; t < 3; t++)
                wa_result_free(r[t]);
        }
        wa_scenario_free(sc);
        wa_diagnostics_free(d);
    }
}

/* A metalog elicited as "p10 100k, p50 150k, p90 300k", bounded below at 0: the run's
   quantiles of the walk cost reproduce the three given ones. SE of a sample quantile:
   sqrt(p(1-p)/n) / f(x_p), with f from the fit itself; 4 SE. */
Test(engine, metalog_reproduces_its_quantiles)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 12}\n"
                    "inputs:\n  m: {dist: metalog, quantiles: {p50: 150k, p10: 100k, p90: 300k}, lower: 0}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: 200k, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: m, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_summary *s = wa_result_summary(r);
    wa_metalog ml;
    double p[3] = {0.1, 0.5, 0.9}, x[3] = {100e3, 150e3, 300e3};
    cr_assert_eq(wa_metalog_fit(&ml, p, x, 3, 1, 0, 0, 0, NULL, 0), 0);
    double got[3] = {s->walk_cost.p10, s->walk_cost.p50, s->walk_cost.p90};
    for (int i = 0; i < 3; i++) {
        double se = sqrt(p[i] * (1 - p[i]) / N) / wa_metalog_density(&ml, p[i]);
        cr_expect(fabs(got[i] - x[i]) < 4 * se, "p%g: %g vs %g (4 SE %g)", 100 * p[i], got[i], x[i], 4 * se);
    }
    cr_expect(s->walk_cost.min > 0);
    wa_result_free(r);
}

/* The loader builds the quantile tables of PERT, beta and gamma inputs on OpenMP's default
   team: one thread or three, every table is the same to the bit, and so is every run. A
   truncated gamma has no table (it takes the exact path). */
Test(engine, tables_identical_for_any_loading_team)
{
    const char *y = "walkaway: 1\nhorizon: 1\nsimulation: {seed: 4}\n"
                    "inputs:\n"
                    "  a: {dist: pert, min: 1, mode: 3, max: 8}\n"
                    "  b: {dist: beta, a: 2.5, b: 0.7}\n"
                    "  c: {dist: gamma, shape: 0.4, scale: 2}\n"
                    "  d: {dist: gamma, shape: 3, scale: 1, truncate: {max: 5}}\n"
                    "  e: {dist: pert, min: 10, mode: 11, max: 30}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: a + b + c + d + e, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: g, amount: 12, year: 0}\n";
    wa_scenario *sc[2] = {NULL, NULL};
    wa_result *r[2] = {NULL, NULL};
    wa_diagnostics *d = wa_diagnostics_new();
    for (int k = 0; k < 2; k++) {
        omp_set_num_threads(k ? 3 : 1);
        cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc[k], d), WA_OK);
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = 20000;
        o.threads = 1;
        cr_assert_eq(wa_run(sc[k], &o, &r[k], d), WA_OK);
    }
    const wa_model *m0 = sc[0]->base, *m1 = sc[1]->base;
    size_t tables = 0;
    for (size_t i = 0; i < m0->ninputs; i++) {
        const wa_dist *d0 = m0->inputs[i].dist, *d1 = m1->inputs[i].dist;
        if (m0->inputs[i].kind != WA_IN_SAMPLED)
            continue;
        int truncated = !strcmp(m0->inputs[i].name, "d");
        cr_assert_eq(d0->table == NULL, truncated, "input %s", m0->inputs[i].name);
        if (truncated)
            continue;
        cr_assert_not_null(d1->table);
        const wa_qtable *t0 = d0->table, *t1 = d1->table; /* field by field: padding aside */
        cr_assert(t0->z0 == t1->z0 && t0->h == t1->h && t0->lo == t1->lo && t0->hi == t1->hi &&
                      t0->logit == t1->logit && !memcmp(t0->y, t1->y, sizeof t0->y) &&
                      !memcmp(t0->m, t1->m, sizeof t0->m) && !memcmp(t0->x, t1->x, sizeof t0->x),
                  "table of %s differs", m0->inputs[i].name);
        tables++;
    }
    cr_assert_eq(tables, 4);
    same_summary(r[0], r[1]);
    for (int k = 0; k < 2; k++) {
        wa_result_free(r[k]);
        wa_scenario_free(sc[k]);
    }
    wa_diagnostics_free(d);
    omp_set_num_threads(omp_get_num_procs());
}

/* SPEC 1.1, Time: an input that uses t is evaluated at each cash flow's year, also through
   another input, in an amount and in a growth; hand-computed PVs. */
Test(engine, per_year_inputs_are_evaluated_at_each_cash_flows_year)
{
    const char *y =
        "walkaway: 1\nhorizon: 4\ndiscount_rate: 10%\nsimulation: {seed: 3}\n"
        "inputs:\n  staff: 5000\n  staff_t: staff * (1 + 5%)^t\n"
        "  cost_t: staff_t * per_head\n  per_head: {dist: uniform, min: 9, max: 11}\n"
        "  ramp_t: min(t / 2, 1)\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: seats, amount: cost_t, years: [0, 3]}\n"
        "      - {label: ramped, amount: 1000, years: [1, 4], growth: ramp_t}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, 20000, 2);
    /* seats: sum_t 5000 * 1.05^t * per_head / 1.1^t, per_head uniform(9, 11): the PV is
       linear in per_head, so its mean is at per_head's mean 10 (4 SE of the mean: the PV's
       sd is 2 / sqrt(12) * sum_t 5000 (1.05/1.1)^t, over sqrt(n)) */
    double k = 0;
    for (int t = 0; t <= 3; t++)
        k += 5000 * pow(1.05, t) / pow(1.1, t);
    /* ramped: growth g(t) = min(t/2, 1) varies with the year and compounds year by year:
       the flow at t is 1000 * prod_{s=2..t} (1 + g(s)) / 1.1^t */
    double ramp = 0, f = 1;
    for (int t = 1; t <= 4; t++) {
        double g = t / 2.0 < 1 ? t / 2.0 : 1;
        if (t > 1)
            f *= 1 + g;
        ramp += 1000 * f / pow(1.1, t);
    }
    const wa_offer_summary *o = wa_result_offer(r, 0);
    double se = 2 / sqrt(12.0) * k / sqrt(20000.0);
    cr_expect(fabs(o->cost.mean - (10 * k + ramp)) < 4 * se, "mean %.6f vs %.6f", o->cost.mean,
              10 * k + ramp);
    /* the extremes are exact: per_head's draws span almost its whole range */
    cr_expect(o->cost.min > 9 * k + ramp && o->cost.max < 11 * k + ramp);
    wa_result_free(r);
}

/* SPEC 1.4: costs, concessions and savings on every option; the last two subtracted. */
Test(engine, every_option_takes_costs_concessions_and_savings)
{
    const char *y =
        "walkaway: 1\nhorizon: 2\ndiscount_rate: 0%\nsimulation: {seed: 1}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1000, years: [0, 2]}\n"
        "    concessions:\n      - {label: credit, amount: 100, year: 0}\n"
        "    savings:\n      - {label: retired tool, amount: 50, years: [1, 2]}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2000, year: 0}\n"
        "    concessions:\n      - {label: partner credit, amount: 300, year: 1}\n"
        "    savings:\n      - {label: hardware, amount: 200, year: 2}\n";
    wa_result *r = run_text(y, 100, 1);
    cr_expect_eq(wa_result_offer(r, 0)->cost.mean, 3000 - 100 - 100);
    cr_expect_eq(wa_result_alternative(r, 0)->cost.mean, 2000 - 300 - 200);
    wa_result_free(r);
}


/* The first line of the first error of a run of yaml that loads but fails (WA_EINVALID). */
static void first_run_error(const char *yaml, uint64_t trials, char *buf, size_t size)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d), WA_OK);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = trials;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_EINVALID);
    cr_assert_null(r);
    wa_diagnostic_format(wa_diagnostics_get(d, 0), buf, size);
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* SPEC 1.4: an uncertain or per-year probability; one uniform u per item and trial, the
   cash flow at year t happening when u > 1 - p(t). */
Test(engine, a_probability_that_rises_with_t_or_is_uncertain)
{
    const char *y =
        "walkaway: 1\nhorizon: 4\ndiscount_rate: 0%\nsimulation: {seed: 12}\n"
        "inputs:\n  hazard: {dist: uniform, min: 0, max: 0.2}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: rising, amount: 1000, years: [0, 4], probability: \"10% * t\"}\n"
        "  - name: o2\n    costs:\n"
        "      - {label: uncertain, amount: 500, year: 1, probability: hazard}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    /* one u for all the flows: the PV is 1000 * #{t : u > 1 - t/10}, 0 with probability
       0.6 and 1000, 2000, 3000, 4000 with 0.1 each: mean 1000, sd sqrt(3e6 - 1e6) */
    const wa_offer_summary *o = wa_result_offer(r, 0);
    cr_expect(fabs(o->cost.mean - 1000) < 4 * sqrt(2e6 / N), "mean %g", o->cost.mean);
    cr_expect_eq(o->cost.min, 0);
    cr_expect_eq(o->cost.max, 4000);
    cr_expect_eq(o->cost.p50, 0);
    /* p90 is at the edge of 3000 and 4000; p95 is 4000 */
    cr_expect_eq(o->cost.p95, 4000);
    /* the uncertain one: 500 with probability E[hazard] = 0.1; sd 500 sqrt(0.1 * 0.9) */
    const wa_offer_summary *o2 = wa_result_offer(r, 1);
    cr_expect(fabs(o2->cost.mean - 50) < 4 * 500 * sqrt(0.09 / N), "mean %g", o2->cost.mean);
    wa_result_free(r);
}

Test(engine, a_probability_outside_0_to_1_is_an_error_with_its_trials)
{
    const char *y =
        "walkaway: 1\nhorizon: 4\nsimulation: {seed: 12}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: rising, amount: 1000, years: [0, 4], probability: \"30% * t\"}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    char buf[1024];
    first_run_error(y, 1000, buf, sizeof buf);
    cr_expect_str_eq(buf, "t.yaml:7:67: error: 'rising' of 'o': probability '30% * t' is outside "
                          "0..1 (or not a number) in 1000 of 1000 trials (first in trial 1)");
}

/* SPEC 1.4: an uncertain year, discounted at the year each trial draws. */
Test(engine, an_uncertain_year_is_discounted_at_its_sampled_year)
{
    const char *y =
        "walkaway: 1\nhorizon: 5\ndiscount_rate: 10%\nsimulation: {seed: 8}\n"
        "inputs:\n  resolved: {dist: uniform, min: 1, max: 3}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: settlement, amount: 1M, year: resolved}\n"
        "      - {label: maybe, amount: 100k, year: resolved, probability: 50%}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    /* E[1.1^-Y], Y ~ U(1, 3): (1.1^-1 - 1.1^-3) / (2 ln 1.1); the second item adds half of
       100k times it (independent events). SE from the PV's sd over sqrt(n), the PV lying
       within [1.1^-3, 1.1^-1] * 1.1M: sd at most half that range */
    double e = (pow(1.1, -1) - pow(1.1, -3)) / (2 * log(1.1));
    double want = 1e6 * e + 0.5 * 1e5 * e;
    double sd = 0.5 * 1.1e6 * (pow(1.1, -1) - pow(1.1, -3));
    const wa_offer_summary *o = wa_result_offer(r, 0);
    cr_expect(fabs(o->cost.mean - want) < 4 * sd / sqrt(N), "mean %.2f vs %.2f", o->cost.mean, want);
    cr_expect(o->cost.min >= 1e6 * pow(1.1, -3) - 1e-6 && o->cost.max <= 1.1e6 * pow(1.1, -1) + 1e-6);
    wa_result_free(r);
}

Test(engine, an_uncertain_year_outside_the_horizon_is_an_error_with_its_trials)
{
    const char *y =
        "walkaway: 1\nhorizon: 2\nsimulation: {seed: 8}\n"
        "inputs:\n  resolved: {dist: uniform, min: 1, max: 3}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: settlement, amount: 1M, year: resolved}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    char buf[1024];
    first_run_error(y, 10000, buf, sizeof buf);
    /* about half the trials draw a year past 2 */
    const char *pre = "t.yaml:9:47: error: 'settlement' of 'o': year 'resolved' is outside "
                      "the horizon 0..2 (or not a number) in ";
    cr_expect(!strncmp(buf, pre, strlen(pre)), "%s", buf);
    unsigned long long bad = 0, all = 0;
    cr_assert(sscanf(strstr(buf, "in ") + 3, "%llu of %llu", &bad, &all) == 2);
    cr_expect_eq(all, 10000);
    cr_expect(fabs((double)bad - 5000) < 4 * sqrt(2500.0), "%llu", bad);
}

/* SPEC 1.4: includes adds other options' PVs trial by trial; a what-if that changes an
   included option changes the options that include it, and a study's shared run gives
   the bits a whole run gives. */
Test(engine, includes_add_other_options_trial_by_trial)
{
    const char *y =
        "walkaway: 1\nhorizon: 1\ndiscount_rate: 0%\nsimulation: {seed: 4}\n"
        "inputs:\n  x: {dist: uniform, min: 0, max: 100}\n"
        "offers:\n  - name: claim\n    costs:\n      - {label: c, amount: 1000 + x, year: 0}\n"
        "alternatives:\n"
        "  - name: migrate\n    includes: [claim]\n    costs:\n      - {label: m, amount: 500, year: 0}\n"
        "  - name: both\n    includes: [migrate, claim]\n    costs:\n      - {label: e, amount: 1, year: 0}\n"
        "walk: migrate\n"
        "variants:\n  - name: dearer\n    set:\n      x: {dist: uniform, min: 100, max: 200}\n";
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 5000;
    wa_result *whole = NULL, *first = NULL, *shared = NULL;
    wa_runs *rs = NULL;
    o.variant = 0;
    cr_assert_eq(wa_run(sc, &o, &whole, d), WA_OK);
    o.variant = -1;
    cr_assert_eq(wa_runs_new(sc, &o, &rs, &first, d), WA_OK);
    /* the base: migrate = 500 + claim, both = 1 + migrate + claim, trial by trial */
    double c = wa_result_offer(first, 0)->cost.mean;
    cr_expect(fabs(wa_result_alternative(first, 0)->cost.mean - (500 + c)) < 1e-9);
    cr_expect(fabs(wa_result_alternative(first, 1)->cost.mean - (1 + 500 + 2 * c)) < 1e-9);
    cr_expect(fabs(wa_result_alternative(first, 1)->cost.sd - 2 * wa_result_offer(first, 0)->cost.sd) < 1e-6);
    o.variant = 0;
    cr_assert_eq(wa_runs_run(rs, &o, &shared, d), WA_OK);
    const wa_result *v[2] = {whole, shared};
    char *buf[2];
    for (int k = 0; k < 2; k++) {
        size_t need = 0;
        wa_report_buffer(WA_FORMAT_JSON, &v[k], 1, NULL, 0, &need);
        buf[k] = malloc(need + 1);
        wa_report_buffer(WA_FORMAT_JSON, &v[k], 1, buf[k], need + 1, &need);
        char *e = strstr(buf[k], "\"elapsed_s\"");
        char *comma = strchr(e, ',');
        memmove(e, comma, strlen(comma) + 1);
    }
    cr_expect_str_eq(buf[0], buf[1], "the shared run of the variant differs from a whole run");
    cr_expect(wa_result_alternative(shared, 1)->cost.mean > wa_result_alternative(first, 1)->cost.mean + 150);
    free(buf[0]);
    free(buf[1]);
    wa_result_free(whole);
    wa_result_free(first);
    wa_result_free(shared);
    wa_runs_free(rs);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* SPEC 1.2: `per: year` draws the input afresh every year, independently; as a growth it
   compounds year by year. */
Test(engine, an_input_drawn_per_year_compounds_year_by_year)
{
    const char *y =
        "walkaway: 1\nhorizon: 3\ndiscount_rate: 0%\nsimulation: {seed: 5}\n"
        "inputs:\n  inflation: {dist: uniform, min: 0, max: 10%, per: year}\n"
        "  fx: {dist: normal, mean: 1.1, sd: 0.05, per: year}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: fee, amount: 1000, years: [0, 3], growth: inflation}\n"
        "  - name: eur\n    costs:\n      - {label: e, amount: 100 * fx, years: [0, 3]}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    /* fee: 1000 (1 + 1.05 + 1.05^2 + 1.05^3) in expectation (independent years, each
       E[1 + g] = 1.05); its sd is below 1000 * 3 * 0.1 (a loose bound), so 4 SE < 4 * 300 /
       sqrt(n) */
    double want = 1000 * (1 + 1.05 + 1.05 * 1.05 + 1.05 * 1.05 * 1.05);
    cr_expect(fabs(wa_result_offer(r, 0)->cost.mean - want) < 4 * 300 / sqrt(N), "mean %g vs %g",
              wa_result_offer(r, 0)->cost.mean, want);
    /* eur: four independent years: sd 100 * 0.05 * 2, where one draw for all years would
       give 100 * 0.05 * 4; the sd of a normal sample's sd is sd / sqrt(2(n - 1)) */
    double sd = wa_result_offer(r, 1)->cost.sd;
    cr_expect(fabs(sd - 10) < 4 * 10 / sqrt(2.0 * (N - 1)), "sd %g", sd);
    cr_expect(fabs(wa_result_offer(r, 1)->cost.mean - 440) < 4 * 10 / sqrt(N));
    /* the insight leaves them out, with a note */
    cr_expect_eq(wa_result_offer(r, 0)->nsensitivity, 0);
    cr_assert_eq(wa_result_summary(r)->nwarnings, 1);
    cr_expect_str_eq(wa_result_warning(r, 0), "'inflation' and 'fx' are drawn per year: the "
                                              "sensitivity and the value of information leave "
                                              "them out");
    wa_result_free(r);
}

/* `per: year` works on every distribution, metalog included: a 3-term metalog through
   (0.1, 10), (0.5, 20), (0.9, 40) has a1 = 20, a3 = 10 / (0.8 ln 9) and mean a1 + a3 / 2;
   drawn afresh in each of 4 years its sum has 4 times the mean and twice the sd of one
   draw, where one draw for all years has 4 times the sd. */
Test(engine, a_metalog_can_be_drawn_per_year)
{
    const char *y =
        "walkaway: 1\nhorizon: 3\ndiscount_rate: 0%\nsimulation: {seed: 8}\n"
        "inputs:\n  x: {dist: metalog, quantiles: {0.1: 10, 0.5: 20, 0.9: 40}, per: year}\n"
        "  z: {dist: metalog, quantiles: {0.1: 10, 0.5: 20, 0.9: 40}}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: f, amount: x, years: [0, 3]}\n"
        "  - name: p\n    costs:\n      - {label: f, amount: z, years: [0, 3]}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_offer_summary *o = wa_result_offer(r, 0), *p = wa_result_offer(r, 1);
    double mean = 4 * (20 + 10 / (0.8 * log(9.0)) / 2);
    cr_expect(fabs(o->cost.mean - mean) < 4 * o->cost.sd / sqrt(N), "mean %g vs %g",
              o->cost.mean, mean);
    /* each sd within a relative SE of sqrt((kurtosis - 1) / 4N), at most sqrt(2 / N) for a
       kurtosis up to 9; the ratio's within sqrt(2) times that: 4 SE below 0.009 */
    cr_expect(fabs(o->cost.sd / p->cost.sd - 0.5) < 0.5 * 4 * sqrt(2.0) * sqrt(2.0 / N),
              "sd ratio %g", o->cost.sd / p->cost.sd);
    wa_result_free(r);
}

/* SPEC 1.4: an item's currency, converted at its cash flow's year by a constant, an
   uncertain or a per-year rate. */
Test(engine, items_in_other_currencies_are_converted_at_their_year)
{
    const char *y =
        "walkaway: 1\nhorizon: 2\ndiscount_rate: 10%\ncurrency: USD\nsimulation: {seed: 2}\n"
        "currencies:\n  EUR: eur_usd\n  GBP: 1.25\n  CHF: chf_t\n"
        "inputs:\n  eur_usd: {dist: uniform, min: 1.0, max: 1.2}\n  chf_t: 1.1 + 0.1 * t\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: eu, amount: 1000, years: [0, 2], currency: EUR}\n"
        "      - {label: uk, amount: 100, year: 1, currency: GBP}\n"
        "      - {label: ch, amount: 10, years: [0, 2], currency: CHF}\n"
        "      - {label: us, amount: 1, year: 0, currency: USD}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    double d[3] = {1, 1 / 1.1, 1 / 1.21}, eu = 0, ch = 0;
    for (int t = 0; t < 3; t++) {
        eu += 1000 * d[t];
        ch += 10 * (1.1 + 0.1 * t) * d[t];
    }
    /* the EUR item is eu * eur_usd, uniform(1, 1.2): mean 1.1 eu, sd eu * 0.2 / sqrt(12) */
    double want = 1.1 * eu + 125 / 1.1 + ch + 1;
    const wa_offer_summary *o = wa_result_offer(r, 0);
    cr_expect(fabs(o->cost.mean - want) < 4 * eu * 0.2 / sqrt(12.0) / sqrt(N), "mean %.6f vs %.6f",
              o->cost.mean, want);
    /* the extremes: eur_usd near 1 and near 1.2 */
    cr_expect(o->cost.min >= 1.0 * eu + 125 / 1.1 + ch + 1 - 1e-6);
    cr_expect(o->cost.max <= 1.2 * eu + 125 / 1.1 + ch + 1 + 1e-6);
    wa_result_free(r);
}

/* SPEC 1.4 and 2: price_units, and the concession needed per unit, the c-quantile of
   D / U with U the units' present value (the same in every trial here). */
Test(engine, the_concession_needed_per_unit_is_in_the_offers_units)
{
    const char *y =
        "walkaway: 1\nhorizon: 1\ndiscount_rate: 10%\nsimulation: {seed: 6, confidence: 0.8}\n"
        "inputs:\n  w: {dist: normal, mean: 100k, sd: 10k}\n  seats: 100\n"
        "offers:\n  - name: o\n    price_units: {label: seat-year, count: seats, years: [0, 1]}\n"
        "    costs:\n      - {label: fee, amount: 120k, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: w, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_offer_summary *o = wa_result_offer(r, 0);
    double u = 100 * (1 + 1 / 1.1);
    cr_assert_str_eq(o->price_units, "seat-year");
    cr_expect(fabs(o->concession_needed_per_unit - o->concession_needed / u) <=
              1e-12 * fabs(o->concession_needed / u));
    /* D = 120k - W ~ N(20k, 10k): its 0.8-quantile 20k + 10k z_0.8, over U; the quantile's
       SE sqrt(.16/n) / (phi(z)/10k) */
    double z = gsl_cdf_ugaussian_Pinv(0.8), f = exp(-z * z / 2) / sqrt(2 * PI) / 1e4;
    double want = (20000 + 10000 * z) / u;
    cr_expect(fabs(o->concession_needed_per_unit - want) < 4 * sqrt(0.16 / N) / f / u, "%g vs %g",
              o->concession_needed_per_unit, want);
    wa_result_free(r);
}

/* SPEC 2: a price_units count that varies by trial. O = P N S and U = N S (S the discount
   factors summed over the units' years), so D / U = P - W / (N S), increasing in N: its
   c-quantile is P - W / (N_c S), N_c = a + c (b - a) for N uniform on [a, b]. The sample
   quantile's SE is sqrt(c (1 - c) / n) / f, f the density of D / U there:
   f_N(N_c) dN/dx = N_c^2 S / ((b - a) W). */
Test(engine, the_concession_per_unit_follows_a_count_that_varies_by_trial)
{
    const char *y =
        "walkaway: 1\nhorizon: 2\ndiscount_rate: 10%\nsimulation: {seed: 9, confidence: 0.8}\n"
        "inputs:\n  employees: {dist: uniform, min: 4000, max: 6000}\n"
        "offers:\n  - name: java\n"
        "    price_units: {label: employee-year, count: employees, years: [1, 2]}\n"
        "    costs:\n      - {label: subscription, amount: 15 * employees, years: [1, 2]}\n"
        "alternatives:\n  - name: openjdk\n    costs:\n      - {label: move, amount: 120k, year: 0}\n";
    const double S = 1 / 1.1 + 1 / 1.21, P = 15, W = 120000, a = 4000, b = 6000, c = 0.8;
    double Nc = a + c * (b - a), want = P - W / (Nc * S);
    double f = Nc * Nc * S / ((b - a) * W), se = sqrt(c * (1 - c) / N) / f;
    double one_thread = NAN;
    for (int th = 1; th <= 2; th++) {
        wa_result *r = run_text(y, N, th);
        const wa_offer_summary *o = wa_result_offer(r, 0);
        cr_assert_str_eq(o->price_units, "employee-year");
        if (th == 1)
            one_thread = o->concession_needed_per_unit;
        else /* the same bits on any number of threads */
            cr_expect(memcmp(&one_thread, &o->concession_needed_per_unit, sizeof one_thread) == 0);
        cr_expect(fabs(o->concession_needed_per_unit - want) < 4 * se, "%.6f vs %.6f (se %.2g)",
                  o->concession_needed_per_unit, want, se);
        /* the PV figure is still the c-quantile of D, here 15 N_c S - W */
        double dse = sqrt(c * (1 - c) / N) * (b - a) * P * S;
        cr_expect(fabs(o->concession_needed - (P * Nc * S - W)) < 4 * dse, "%g", o->concession_needed);
        wa_result_free(r);
    }
}

/* A count whose units come to zero or less in some trial is an error at the count. */
Test(engine, units_that_are_not_positive_in_some_trial_are_an_error)
{
    const char *y =
        "walkaway: 1\nhorizon: 1\nsimulation: {seed: 3}\n"
        "inputs:\n  seats: {dist: uniform, min: -1, max: 3}\n"
        "offers:\n  - name: o\n    price_units: {label: seat, count: seats, year: 0}\n"
        "    costs:\n      - {label: fee, amount: 100, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n";
    char buf[1024];
    first_run_error(y, 4000, buf, sizeof buf);
    const char *pre = "t.yaml:8:39: error: price_units of 'o': the units' present value (count "
                      "'seats') is not a positive number in ";
    cr_expect(!strncmp(buf, pre, strlen(pre)), "%s", buf);
    unsigned long long bad = 0, all = 0;
    cr_assert(sscanf(buf + strlen(pre), "%llu of %llu", &bad, &all) == 2, "%s", buf);
    /* a quarter of the draws is below 0: binomial(4000, 1/4), sd sqrt(750) */
    cr_expect_eq(all, 4000);
    cr_expect(fabs((double)bad - 1000) < 4 * sqrt(750.0), "%llu", bad);
}

/* The library for embedders: a progress_cancel callback that answers nonzero stops the run
   (WA_ECANCELLED, no result, a diagnostic saying so), from a run's first block or later,
   under one thread or two, and in a sweep; one that answers 0 changes no bit. */
typedef struct stopper {
    uint64_t after; /* stop once this many trials are done */
    int calls;
} stopper;

static int stop_after(void *ctx, uint64_t done, uint64_t total)
{
    stopper *s = ctx;
    (void)total;
    s->calls++;
    return done >= s->after;
}

typedef struct grid_ask {
    int grid_calls;      /* asked with the grid's total */
    uint64_t points_done; /* trials of points done when it was asked */
} grid_ask;

static int refuse_big(void *ctx, uint64_t done, uint64_t total)
{
    grid_ask *g = ctx;
    if (total != 300000)
        return 0;
    g->grid_calls++;
    g->points_done = done;
    return 1;
}

/* The scenario of the cancelling tests: an offer of 1 against a walk uniform on [0, 2]. */
static wa_scenario *load_uniform_walk(wa_diagnostics *d)
{
    const char *y = "walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: uniform, min: 0, max: 2}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: 1, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: x, year: 0}\n";
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    return sc;
}

Test(engine, a_progress_callback_can_cancel_a_run)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = load_uniform_walk(d);
    for (int th = 1; th <= 2; th++) {
        stopper s = {40000, 0};
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = 1000000;
        o.threads = th;
        o.progress_cancel = stop_after;
        o.progress_ctx = &s;
        wa_result *r = (wa_result *)1;
        cr_expect_eq(wa_run(sc, &o, &r, d), WA_ECANCELLED);
        cr_expect_null(r);
        cr_expect(s.calls >= 1 && s.calls < 244, "%d calls: the run went on", s.calls);
        char buf[256];
        wa_diagnostic_format(wa_diagnostics_get(d, wa_diagnostics_count(d) - 1), buf, sizeof buf);
        cr_expect(strstr(buf, "the run was cancelled") != NULL, "%s", buf);
    }
    /* a sweep stops too */
    stopper s = {1, 0};
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 100000;
    o.progress_cancel = stop_after;
    o.progress_ctx = &s;
    const char *vary[] = {"x.max=1,2,3"};
    wa_sweep *sw = NULL;
    cr_expect_eq(wa_sweep_run(sc, &o, vary, 1, &sw, d), WA_ECANCELLED);
    cr_expect_null(sw);
    /* a sweep asks with the whole grid's trials before its first point runs, so a caller
       can refuse a grid too large: 3 points of 100,000 trials (the calls before it, if
       any, are the shared start's, with its own trials) */
    grid_ask g = {0, 0};
    o.progress_cancel = refuse_big;
    o.progress_ctx = &g;
    cr_expect_eq(wa_sweep_run(sc, &o, vary, 1, &sw, d), WA_ECANCELLED);
    cr_expect_eq(g.grid_calls, 1);
    cr_expect_eq(g.points_done, 0);
    cr_expect_null(sw);
    /* a callback that never stops changes nothing */
    stopper never = {UINT64_MAX, 0};
    o.progress_cancel = stop_after;
    o.progress_ctx = &never;
    o.trials = 50000;
    wa_result *a = NULL, *b = NULL;
    cr_assert_eq(wa_run(sc, &o, &a, d), WA_OK);
    o.progress_cancel = NULL;
    cr_assert_eq(wa_run(sc, &o, &b, d), WA_OK);
    cr_expect(never.calls > 0);
    cr_expect(wa_result_offer(a, 0)->p_walk_beats == wa_result_offer(b, 0)->p_walk_beats);
    wa_result_free(a);
    wa_result_free(b);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* The calling thread answers for the cancel callback, after each block it runs. Here it
   stalls in its first answer for a sweep's points (as when a busy machine does not
   schedule it), the other thread takes every other block meanwhile, and the wish to stop
   it has once every block is done must still be heard: the sweep is cancelled, not
   finished. The wish comes with the last trial (done == total), so the test holds
   however the threads share the blocks: on a loaded machine the calling thread may get
   no block at all, and its only answer is then the one asked at the end. (A sweep asks
   with the whole grid's trials, 300,000 here, just before its points run.) */
typedef struct staller {
    int grid_seen, stalled, calls;
} staller;

static int stall_then_stop(void *ctx, uint64_t done, uint64_t total)
{
    staller *s = ctx;
    s->calls++;
    if (total == 300000) {
        s->grid_seen = 1;
        return 0;
    }
    if (s->grid_seen && !s->stalled) {
        s->stalled = 1;
        struct timespec t = {0, 200000000}; /* 0.2 s: the 24 other blocks take about 10 ms */
        nanosleep(&t, NULL);
    }
    return s->stalled && done >= total;
}

Test(engine, a_stop_asked_while_the_other_threads_finish_is_heard)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = load_uniform_walk(d);
    staller s = {0, 0, 0};
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 100000; /* 25 blocks a point */
    o.threads = 2;
    o.progress_cancel = stall_then_stop;
    o.progress_ctx = &s;
    const char *vary[] = {"x.max=1,2,3"};
    wa_sweep *sw = NULL;
    cr_expect_eq(wa_sweep_run(sc, &o, vary, 1, &sw, d), WA_ECANCELLED, "%d calls", s.calls);
    cr_expect_null(sw);
    cr_expect_eq(s.stalled, 1);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* The library for embedders: inputs set to numbers from C (no text), the same run as the
   --set that writes them; and what a scenario's inputs are, before any run. */
Test(engine, inputs_set_from_c_and_described_before_a_run)
{
    const char *y = "walkaway: 1\nhorizon: 1\n"
                    "inputs:\n  price: 100\n  x: {dist: uniform, min: 0, max: 200}\n  y: price * 2\n"
                    "  half: x / 2\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: y, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: x, year: 0}\n";
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(y, strlen(y), "t.yaml", &sc, d), WA_OK);
    const wa_input_summary *x = wa_scenario_input_info(sc, 1), *p = wa_scenario_input_info(sc, 0);
    cr_assert(x && p);
    cr_expect_str_eq(x->name, "x");
    cr_expect_str_eq(x->kind, "sampled");
    cr_expect_str_eq(x->distribution, "uniform");
    cr_expect(fabs(x->p10 - 20) < 1e-9 && fabs(x->p50 - 100) < 1e-9 && fabs(x->p90 - 180) < 1e-9);
    cr_expect_str_eq(p->kind, "constant");
    cr_expect_eq(p->value, 100);
    /* a derived input of constants is a constant; of a sampled one, derived */
    cr_expect_str_eq(wa_scenario_input_info(sc, 2)->kind, "constant");
    cr_expect_eq(wa_scenario_input_info(sc, 2)->value, 200);
    cr_expect_str_eq(wa_scenario_input_info(sc, 3)->kind, "derived");
    cr_expect_str_eq(wa_scenario_input_info(sc, 3)->distribution, "x / 2");
    cr_expect_null(wa_scenario_input_info(sc, 4));

    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 20000;
    wa_input_value v = {"price", 0.1 + 50}; /* not a short decimal: it must come back exactly */
    o.values = &v;
    o.nvalues = 1;
    wa_result *a = NULL, *b = NULL;
    cr_assert_eq(wa_run(sc, &o, &a, d), WA_OK);
    char set[64];
    snprintf(set, sizeof set, "price=%.17g", 0.1 + 50);
    const char *sets[] = {set};
    o.values = NULL;
    o.nvalues = 0;
    o.sets = sets;
    o.nsets = 1;
    cr_assert_eq(wa_run(sc, &o, &b, d), WA_OK);
    cr_expect_eq(wa_result_offer(a, 0)->cost.min, 2 * (0.1 + 50)); /* every trial, exactly */
    cr_expect_eq(wa_result_offer(a, 0)->cost.max, 2 * (0.1 + 50));
    cr_expect(wa_result_offer(a, 0)->p_walk_beats == wa_result_offer(b, 0)->p_walk_beats);
    cr_expect_str_eq(wa_result_summary(a)->variant, wa_result_summary(b)->variant);
    wa_result_free(a);
    wa_result_free(b);
    /* not a finite number, or a name that is no input */
    wa_input_value bad = {"price", NAN};
    o.sets = NULL;
    o.nsets = 0;
    o.values = &bad;
    o.nvalues = 1;
    wa_result *r = NULL;
    cr_expect_eq(wa_run(sc, &o, &r, d), WA_EUSAGE);
    wa_input_value typo = {"prise", 1};
    o.values = &typo;
    cr_expect_eq(wa_run(sc, &o, &r, d), WA_EINVALID);
    char buf[512];
    wa_diagnostic_format(wa_diagnostics_get(d, wa_diagnostics_count(d) - 1), buf, sizeof buf);
    cr_expect(strstr(buf, "cannot set 'prise': there is no such input; did you mean 'price'?") != NULL,
              "%s", buf);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

/* A growth that takes a finite amount past the largest double is the growth's fault, and
   the message says so, at the growth (it used to blame the amount). */
Test(engine, a_growth_that_overflows_is_blamed_on_the_growth)
{
    char buf[1024];
    first_run_error("walkaway: 1\nhorizon: 5\ninputs:\n  g: {dist: uniform, min: 1e100, max: 1e101}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: 40k, years: [0, 5], growth: g}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n",
                    1000, buf, sizeof buf);
    cr_expect_str_eq(buf, "t.yaml:8:56: error: 'f' of 'o': growth 'g' takes amount '40k' past the "
                          "largest number in 1000 of 1000 trials (first in trial 1)");
    first_run_error("walkaway: 1\nhorizon: 5\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: 40k, years: [0, 5], growth: 1e100}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n",
                    1000, buf, sizeof buf);
    cr_expect_str_eq(buf, "t.yaml:6:56: error: 'f' of 'o': growth '1e100' takes amount '40k' past "
                          "the largest number in 1000 of 1000 trials (first in trial 1)");
    /* an amount that is not finite itself is still the amount's */
    first_run_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: uniform, min: -1, max: 1}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: sqrt(x), years: [0, 1], growth: 2%}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n",
                    1000, buf, sizeof buf);
    cr_expect(strstr(buf, "'f' of 'o': amount 'sqrt(x)' gives a NaN or infinite value in ") != NULL, "%s",
              buf);
}

/* What each status means, for a caller with nothing else to say (no diagnostic could be
   recorded): the CLI's last resort when memory runs out. */
Test(engine, every_status_has_its_words)
{
    cr_expect_str_eq(wa_status_text(WA_ENOMEM), "out of memory");
    cr_expect_str_eq(wa_status_text(WA_EIO), "input or output error");
    cr_expect_str_eq(wa_status_text(WA_ECANCELLED), "cancelled");
    cr_expect_str_eq(wa_status_text(WA_EINVALID), "invalid scenario or failed run");
    cr_expect_str_eq(wa_status_text(WA_EUSAGE), "usage error");
    cr_expect_str_eq(wa_status_text(WA_OK), "success");
    cr_expect_str_eq(wa_status_text((wa_status)99), "unknown status");
}
