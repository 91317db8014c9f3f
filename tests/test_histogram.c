/*
 * test_histogram.c — the charts' data (walkaway.h, "chart data"): round steps, histograms on
 * round edges against exact distributions, percentiles of every charted series, and the
 * same bits for any number of threads.
 *
 * Each bin's count is checked against n times the exact probability of the bin, within 4
 * standard errors of a binomial count, sqrt(n p (1 - p)), stated next to the check; with
 * about 40 bins a correct engine fails one about once in 400 seeds (the seeds are fixed).
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary/histogram.h"
#include "util/nice.h"
#include "walkaway.h"

static wa_scenario *load_yaml(const char *yaml)
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
    wa_diagnostics_free(d);
    return sc;
}

static wa_result *run_sc(const wa_scenario *sc, uint64_t trials, int threads, int no_insight)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = trials;
    o.threads = threads;
    o.no_insight = no_insight;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    wa_diagnostics_free(d);
    return r;
}

static wa_result *run_yaml(const char *yaml, uint64_t trials, int threads)
{
    wa_scenario *sc = load_yaml(yaml);
    wa_result *r = run_sc(sc, trials, threads, 0);
    wa_scenario_free(sc);
    return r;
}

/* Whether w is 1, 2 or 5 times a power of ten (to the double's precision). */
static int is_round_step(double w)
{
    double e = floor(log10(w)), m = w / pow(10, e);
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

/* ---- round steps ------------------------------------------------------------------------ */

Test(histogram, nice_steps_are_the_smallest_round_step_that_reaches)
{
    struct {
        double raw, want;
    } cases[] = {{1, 1},       {1.01, 2},   {2, 2},         {2.5, 5},       {4.9, 5},
                 {5.1, 10},    {0.3, 0.5},  {0.07, 0.1},    {37e3, 50e3},   {123456, 200e3},
                 {9.99e6, 1e7}, {1e-5, 1e-5}, {0.00021, 0.0005}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got = wa_nice_value(wa_nice_step(cases[i].raw));
        cr_expect_eq(got, cases[i].want, "step for %g: %.17g, want %g", cases[i].raw, got,
                     cases[i].want);
    }
    /* nonsense gets 1 */
    cr_expect_eq(wa_nice_value(wa_nice_step(0)), 1);
    cr_expect_eq(wa_nice_value(wa_nice_step(-3)), 1);
    cr_expect_eq(wa_nice_value(wa_nice_step(NAN)), 1);
}

Test(histogram, multiples_of_a_step_are_the_decimals_they_name)
{
    wa_nice s = wa_nice_step(0.1);
    cr_expect_eq(wa_nice_mul(s, 3), 0.3); /* 3 * 0.1 would be 0.30000000000000004 */
    cr_expect_eq(wa_nice_mul(s, -7), -0.7);
    cr_expect_eq(wa_nice_floor(s, 0.3), 3);
    cr_expect_eq(wa_nice_floor(s, 0.29999), 2);
    cr_expect_eq(wa_nice_ceil(s, 0.30001), 4);
    cr_expect_eq(wa_nice_ceil(s, -0.25), -2);
    wa_nice big = wa_nice_step(2e5);
    cr_expect_eq(wa_nice_mul(big, 6), 1.2e6);
    cr_expect_eq(wa_nice_floor(big, -1), -1);
}

Test(histogram, plan_covers_the_range_on_round_edges)
{
    wa_hist h;
    cr_assert_eq(wa_hist_plan(&h, -1234.5, 98765.4, 40), 0);
    cr_expect(h.edge[0] <= -1234.5 && h.edge[h.nbins] > 98765.4);
    cr_expect(h.nbins >= 20 && h.nbins <= 42, "%zu bins", h.nbins);
    cr_expect(is_round_step(wa_nice_value(h.step)));
    int zero = 0;
    for (size_t i = 0; i <= h.nbins; i++)
        zero |= h.edge[i] == 0;
    cr_expect(zero, "0 is an edge when in range");
    /* a single value gets a bin of its own; so does a value on an edge */
    cr_assert_eq(wa_hist_plan(&h, 500, 500, 40), 0);
    cr_expect(h.nbins >= 1 && h.edge[0] <= 500 && h.edge[h.nbins] > 500);
    cr_assert_eq(wa_hist_plan(&h, 0, 0, 40), 0);
    cr_expect(h.nbins >= 1 && h.edge[0] <= 0 && h.edge[h.nbins] > 0);
    cr_expect_eq(wa_hist_plan(&h, 0, INFINITY, 40), -1);
    cr_expect_eq(h.nbins, 0);
    /* the largest round step is 5 x 10^22: a range of 2 x 10^24 still gets round bins, as
       does one near 10^37 (within 2^52 steps of 0); one of 2 x 10^37 (more than
       WA_HIST_MAXBINS of the largest step) and values near 10^40 get none: the first used
       to loop for ever, the second to overflow the bin numbers */
    cr_assert_eq(wa_hist_plan(&h, -1e24, 1e24, 40), 0);
    cr_expect(h.edge[0] <= -1e24 && h.edge[h.nbins] > 1e24 && h.nbins <= WA_HIST_MAXBINS);
    cr_assert_eq(wa_hist_plan(&h, 1e37, 1e37 + 1e24, 40), 0);
    cr_expect(h.edge[0] <= 1e37 && h.edge[h.nbins] > 1e37 + 1e24 && h.nbins <= WA_HIST_MAXBINS);
    cr_expect_eq(wa_hist_plan(&h, -1e37, 1e37, 40), -1);
    cr_expect_eq(h.nbins, 0);
    cr_expect_eq(wa_hist_plan(&h, 1e40, 1e40, 40), -1);
    cr_expect_eq(h.nbins, 0);
    cr_expect_eq(wa_hist_plan(&h, -1.7e308, 1.7e308, 40), -1);
    cr_expect_eq(h.nbins, 0);
}

Test(histogram, a_value_on_an_edge_counts_in_the_bin_it_starts)
{
    wa_hist h;
    cr_assert_eq(wa_hist_plan(&h, 0, 1, 10), 0); /* edges 0, 0.1, ..., 1, 1.1 */
    double x[] = {0.3, 0.29999999999999999, 0.7, -0.1, 1.1, 5};
    double *arr[1] = {x};
    wa_trials t;
    wa_trials_whole(&t, arr, 1, 6);
    wa_series s = wa_series_one(&t, 0);
    wa_hist_count(&h, &s);
    cr_expect_eq(h.count[3], 2); /* 0.3 (the same double twice) in [0.3, 0.4) */
    cr_expect_eq(h.count[7], 1);
    cr_expect_eq(h.below, 1);
    cr_expect_eq(h.above, 2);
}

/* ---- against exact answers ---------------------------------------------------------------- */

/* D = O - W with W = 1000 and O ~ Normal(1000, 100): D ~ Normal(0, 100). */
static const char *NORMAL_D =
    "walkaway: 1\nhorizon: 1\nsimulation: {seed: 5}\n"
    "inputs:\n  x: {dist: normal, mean: 1000, sd: 100}\n"
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: x, year: 0}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1000, year: 0}\n";

Test(histogram, normal_advantage_bins_match_the_exact_cdf)
{
    enum { N = 200000 };
    wa_result *r = run_yaml(NORMAL_D, N, 2);
    const wa_histogram *h = wa_result_histogram(r, WA_OF_ADVANTAGE, 0);
    cr_assert(h);
    cr_expect_eq(h->trials, N);
    cr_expect(is_round_step(h->width), "width %g", h->width);
    /* the central 99% is about +-258: a round width of 10 or 20 */
    cr_expect(h->nbins >= 20 && h->nbins <= 42, "%zu bins", h->nbins);
    uint64_t total = h->below + h->above;
    int zero = 0;
    for (size_t i = 0; i < h->nbins; i++) {
        double a = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, i);
        double b = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, i + 1);
        cr_expect(fabs(b - a - h->width) < 1e-9 * h->width);
        zero |= a == 0;
        double p = gsl_cdf_gaussian_P(b, 100) - gsl_cdf_gaussian_P(a, 100);
        double got = (double)wa_result_histogram_count(r, WA_OF_ADVANTAGE, 0, i);
        double se = sqrt(N * p * (1 - p)); /* binomial count: 4 SE */
        cr_expect(fabs(got - N * p) <= 4 * se + 1, "bin [%g, %g): %g vs %g (se %g)", a, b, got,
                  N * p, se);
        total += (uint64_t)got;
    }
    cr_expect(zero, "0 is an edge");
    cr_expect_eq(total, N);
    /* the tails: below and above hold about 0.5% each, less the outward rounding */
    double lo = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, 0);
    double hi = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, h->nbins);
    double pb = gsl_cdf_gaussian_P(lo, 100), pa = gsl_cdf_gaussian_Q(hi, 100);
    cr_expect(fabs((double)h->below - N * pb) <= 4 * sqrt(N * pb * (1 - pb)) + 1);
    cr_expect(fabs((double)h->above - N * pa) <= 4 * sqrt(N * pa * (1 - pa)) + 1);
    cr_expect(lo <= wa_result_offer(r, 0)->advantage.p5);
    cr_expect(isnan(wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, h->nbins + 1)));
    cr_expect_eq(wa_result_histogram_count(r, WA_OF_ADVANTAGE, 0, h->nbins), 0);
    /* the percentiles: type 7 of the sample, near the exact quantiles (SE of a quantile:
       sqrt(p(1-p)/n) / density; 4 SE) */
    for (unsigned p = 1; p <= 99; p += 7) {
        double q = wa_result_percentile(r, WA_OF_ADVANTAGE, 0, p);
        double exact = gsl_cdf_gaussian_Pinv(p / 100.0, 100);
        double dens = exp(-exact * exact / 2e4) / (100 * sqrt(2 * 3.14159265358979323846));
        double se = sqrt(p / 100.0 * (1 - p / 100.0) / N) / dens;
        cr_expect(fabs(q - exact) < 4 * se, "p%u %g vs %g", p, q, exact);
    }
    wa_result_free(r);
}

/* D ~ Uniform(0, 1000): its central 99% [5, 995] starts within a quarter of its range of
   0, so the histogram starts at 0; bins of 50, each holding exactly a twentieth. */
static const char *UNIFORM_D =
    "walkaway: 1\nhorizon: 1\nsimulation: {seed: 9}\n"
    "inputs:\n  x: {dist: uniform, min: 0, max: 1000}\n"
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: x, year: 0}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 0, year: 0}\n";

Test(histogram, uniform_advantage_bins_hold_equal_shares)
{
    enum { N = 100000 };
    wa_result *r = run_yaml(UNIFORM_D, N, 1);
    const wa_histogram *h = wa_result_histogram(r, WA_OF_ADVANTAGE, 0);
    cr_assert(h);
    cr_expect_eq(h->width, 50);
    cr_expect_eq(h->nbins, 20);
    cr_expect_eq(wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, 0), 0);
    cr_expect_eq(wa_result_histogram_edge(r, WA_OF_ADVANTAGE, 0, 20), 1000);
    cr_expect_eq(h->below, 0);
    cr_expect_eq(h->above, 0);
    double p = 1.0 / 20, se = sqrt(N * p * (1 - p)); /* 4 SE = 276 */
    for (size_t i = 0; i < h->nbins; i++) {
        double got = (double)wa_result_histogram_count(r, WA_OF_ADVANTAGE, 0, i);
        cr_expect(fabs(got - N * p) <= 4 * se, "bin %zu: %g", i, got);
    }
    /* W is the constant 0: one bin holds every trial */
    const wa_histogram *w = wa_result_histogram(r, WA_OF_WALK, 0);
    cr_assert(w);
    uint64_t in = 0;
    for (size_t i = 0; i < w->nbins; i++)
        in += wa_result_histogram_count(r, WA_OF_WALK, 0, i);
    cr_expect_eq(in, N);
    cr_expect_eq(wa_result_percentile(r, WA_OF_WALK, 0, 50), 0);
    /* the S-curves' percentiles are the ones the views hold */
    cr_expect_eq(wa_result_percentile(r, WA_OF_OFFER, 0, 37),
                 wa_result_offer(r, 0)->cost_percentiles[36]);
    cr_expect_eq(wa_result_percentile(r, WA_OF_ALTERNATIVE, 0, 1),
                 wa_result_alternative(r, 0)->percentiles[0]);
    /* no vendor section: no R */
    cr_expect_null(wa_result_histogram(r, WA_OF_VENDOR_WALK, 0));
    cr_expect(isnan(wa_result_percentile(r, WA_OF_VENDOR_WALK, 0, 50)));
    /* out of range */
    cr_expect(isnan(wa_result_percentile(r, WA_OF_OFFER, 0, 0)));
    cr_expect(isnan(wa_result_percentile(r, WA_OF_OFFER, 0, 100)));
    cr_expect(isnan(wa_result_percentile(r, WA_OF_OFFER, 1, 50)));
    cr_expect_null(wa_result_histogram(r, WA_OF_ADVANTAGE, 1));
    cr_expect_null(wa_result_histogram(r, WA_OF_OFFER, 0));
    cr_expect_null(wa_result_histogram(NULL, WA_OF_WALK, 0));
    wa_result_free(r);
}

Test(histogram, a_run_without_insight_has_no_chart_data)
{
    wa_scenario *sc = load_yaml(UNIFORM_D);
    wa_result *r = run_sc(sc, 1000, 1, 1);
    cr_expect_null(wa_result_histogram(r, WA_OF_ADVANTAGE, 0));
    cr_expect_null(wa_result_histogram(r, WA_OF_WALK, 0));
    cr_expect(isnan(wa_result_percentile(r, WA_OF_OFFER, 0, 50)));
    wa_result_free(r);
    wa_scenario_free(sc);
}

/* ---- the same bits for any number of threads -------------------------------------------- */

/* Every chart figure of a and b, bit for bit. */
static void expect_same_chart_data(const wa_result *a, const wa_result *b)
{
    const wa_summary *s = wa_result_summary(a);
    struct {
        wa_series_of of;
        size_t n;
    } series[] = {{WA_OF_OFFER, s->noffers},
                  {WA_OF_ADVANTAGE, s->noffers},
                  {WA_OF_WALK, 1},
                  {WA_OF_ALTERNATIVE, s->nalternatives},
                  {WA_OF_VENDOR_WALK, 1}};
    for (size_t j = 0; j < sizeof series / sizeof series[0]; j++)
        for (size_t k = 0; k < series[j].n; k++) {
            for (unsigned p = 1; p <= 99; p++) {
                double x = wa_result_percentile(a, series[j].of, k, p);
                double y = wa_result_percentile(b, series[j].of, k, p);
                cr_expect(memcmp(&x, &y, sizeof x) == 0, "series %d/%zu p%u", series[j].of, k, p);
            }
            const wa_histogram *ha = wa_result_histogram(a, series[j].of, k);
            const wa_histogram *hb = wa_result_histogram(b, series[j].of, k);
            cr_expect_eq(ha == NULL, hb == NULL);
            if (!ha || !hb)
                continue;
            cr_expect_eq(ha->nbins, hb->nbins);
            cr_expect_eq(ha->below, hb->below);
            cr_expect_eq(ha->above, hb->above);
            for (size_t i = 0; i < ha->nbins; i++) {
                cr_expect_eq(wa_result_histogram_count(a, series[j].of, k, i),
                             wa_result_histogram_count(b, series[j].of, k, i));
                double x = wa_result_histogram_edge(a, series[j].of, k, i);
                double y = wa_result_histogram_edge(b, series[j].of, k, i);
                cr_expect(memcmp(&x, &y, sizeof x) == 0);
            }
        }
}

Test(histogram, bit_identical_for_any_thread_count)
{
    const char *files[] = {WA_SCENARIOS "/java-settlement.yaml", WA_SCENARIOS "/ibm-audit.yaml"};
    for (size_t f = 0; f < 2; f++) {
        wa_diagnostics *d = wa_diagnostics_new();
        wa_scenario *sc = NULL;
        cr_assert_eq(wa_scenario_load(files[f], &sc, d), WA_OK);
        wa_diagnostics_free(d);
        /* 50,001 trials: the last block is a partial one */
        wa_result *one = run_sc(sc, 50001, 1, 0), *two = run_sc(sc, 50001, 2, 0),
                  *three = run_sc(sc, 50001, 3, 0);
        expect_same_chart_data(one, two);
        expect_same_chart_data(one, three);
        wa_result_free(one);
        wa_result_free(two);
        wa_result_free(three);
        wa_scenario_free(sc);
    }
}

Test(histogram, walk_and_vendor_walk_share_their_edges)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load(WA_SCENARIOS "/java-settlement.yaml", &sc, d), WA_OK);
    wa_diagnostics_free(d);
    wa_result *r = run_sc(sc, 20000, 2, 0);
    const wa_histogram *w = wa_result_histogram(r, WA_OF_WALK, 0);
    const wa_histogram *v = wa_result_histogram(r, WA_OF_VENDOR_WALK, 0);
    cr_assert(w && v);
    cr_expect_eq(w->nbins, v->nbins);
    for (size_t i = 0; i <= w->nbins; i++)
        cr_expect_eq(wa_result_histogram_edge(r, WA_OF_WALK, 0, i),
                     wa_result_histogram_edge(r, WA_OF_VENDOR_WALK, 0, i));
    /* R's percentiles are those of its statistics where they meet */
    cr_expect_eq(wa_result_percentile(r, WA_OF_VENDOR_WALK, 0, 50),
                 wa_result_summary(r)->vendor_walk.p50);
    cr_expect_eq(wa_result_percentile(r, WA_OF_VENDOR_WALK, 0, 95),
                 wa_result_summary(r)->vendor_walk.p95);
    wa_result_free(r);
    wa_scenario_free(sc);
}
