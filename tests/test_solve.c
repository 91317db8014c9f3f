/*
 * test_solve.c — wa_solve_run (SPEC 3, solve) against break-evens solvable by hand, its
 * Monte Carlo intervals, several crossings, none, and usage errors with their exact text.
 *
 * The model: the walk W ~ uniform(0, 1000) and offers whose price is a function of x.
 * P(W < price) = price / 1000, so for `fixed` (price x) p_walk_beats = x / 1000 crosses
 * the target c = 0.8 at x = 800 exactly; its mean advantage x - 500 crosses 0 at 500; for
 * `vee` (price 200 + 2 |x - 500|) p crosses 0.5 twice, falling at 350 and rising at 650.
 *
 * Tolerances: near the crossing x* the estimate p(x) is the empirical CDF of n draws of W,
 * so the estimated crossing has the standard error of the p-quantile of W,
 * 1000 sqrt(p (1 - p) / n); every check allows 4 of them.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "walkaway.h"

#define N 40000.0

static const char *model =
    "walkaway: 1\nhorizon: 1\nsimulation: {trials: 40000, seed: 11}\n"
    "inputs:\n"
    "  x: 500\n"
    "  w: {dist: uniform, min: 0, max: 1000}\n"
    "offers:\n"
    "  - {name: fixed, costs: [{label: price, amount: x, year: 0}]}\n"
    "  - {name: vee, costs: [{label: price, amount: '200 + 2 * abs(x - 500)', year: 0}]}\n"
    "alternatives:\n  - {name: walk, costs: [{label: c, amount: w, year: 0}]}\n";

static wa_scenario *load(void)
{
    wa_scenario *sc = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_status st = wa_scenario_load_buffer(model, strlen(model), "solve.yaml", &sc, d);
    char msg[512] = "";
    if (wa_diagnostics_count(d))
        wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, sizeof msg);
    cr_assert_eq(st, WA_OK, "%s", msg);
    wa_diagnostics_free(d);
    return sc;
}

static wa_solve *solve(const wa_scenario *sc, const char *vary, const char *offer,
                       const char *target)
{
    wa_solve *s = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_status st = wa_solve_run(sc, NULL, vary, offer, target, &s, d);
    char msg[512] = "";
    if (wa_diagnostics_count(d))
        wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, sizeof msg);
    cr_assert_eq(st, WA_OK, "%s", msg);
    wa_diagnostics_free(d);
    return s;
}

/* The standard error, in x, of a crossing at level p of a price with slope `slope`. */
static double se_x(double p, double slope) { return 1000 * sqrt(p * (1 - p) / N) / slope; }

Test(solve, break_even_of_a_linear_price_at_confidence_c)
{
    wa_scenario *sc = load();
    wa_solve *s = solve(sc, "x=100:1000", "fixed", NULL);
    const wa_solution *r = wa_solve_solution(s);
    cr_assert(r->found);
    cr_assert_eq(r->ncrossings, 1);
    const wa_crossing *c = wa_solve_crossing(s, 0);
    double se = se_x(0.8, 1);
    cr_expect(fabs(c->value - 800) < 4 * se, "%g vs 800 (4 SE %g)", c->value, 4 * se);
    cr_expect(c->rising);
    /* the 95% interval: where 0.8 lies within the Wilson interval of p(x), about
       +- 1.96 SE around the crossing; its width is the spacing of 2 * 1.96 * 0.002 * n
       = 314 order statistics of W, 7.84 with a relative sd of 1/sqrt(314) */
    double width = c->interval[1] - c->interval[0], want = 2 * 1.959964 * se;
    cr_expect(c->interval[0] <= c->value && c->value <= c->interval[1]);
    cr_expect(fabs(width - want) < 4 * want / sqrt(314), "width %g vs %g", width, want);
    cr_expect_str_eq(r->target, "c");
    cr_expect_eq(r->level, 0.8);
    cr_expect(fabs(r->end_from - 0.1) < 4 * sqrt(0.09 / N));
    cr_expect(fabs(r->end_to - 1) < 1e-12);
    wa_solve_free(s);
    wa_scenario_free(sc);
}

Test(solve, targets_one_minus_c_a_level_and_the_mean)
{
    wa_scenario *sc = load();
    static const struct {
        const char *target;
        double at, p;
    } cases[] = {{"1-c", 200, 0.2}, {"0.5", 500, 0.5}, {"35%", 350, 0.35}};
    for (size_t i = 0; i < 3; i++) {
        wa_solve *s = solve(sc, "x=0:1000", "fixed", cases[i].target);
        const wa_crossing *c = wa_solve_crossing(s, 0);
        cr_assert(c, "%s", cases[i].target);
        cr_expect(fabs(c->value - cases[i].at) < 4 * se_x(cases[i].p, 1), "%s: %g vs %g",
                  cases[i].target, c->value, cases[i].at);
        cr_expect(fabs(wa_solve_solution(s)->level - cases[i].p) < 1e-15); /* 1 - 0.8 */
        wa_solve_free(s);
    }
    /* mean advantage x - E[W] crosses 0 at E[W] = 500: 4 SE of a mean of n uniforms */
    wa_solve *s = solve(sc, "x=0:1000", "fixed", "mean");
    const wa_crossing *c = wa_solve_crossing(s, 0);
    double se = 1000 / sqrt(12 * N);
    cr_assert(c);
    cr_expect(fabs(c->value - 500) < 4 * se, "%g", c->value);
    /* the interval: mean +- 1.96 SE, in x with slope 1 */
    cr_expect(fabs((c->interval[1] - c->interval[0]) - 2 * 1.959964 * se) < 0.05 * se,
              "%g", c->interval[1] - c->interval[0]);
    cr_expect(wa_solve_solution(s)->target_is_mean);
    wa_solve_free(s);
    wa_scenario_free(sc);
}

Test(solve, every_crossing_of_a_curve_that_is_not_monotone)
{
    wa_scenario *sc = load();
    wa_solve *s = solve(sc, "x=0:1000", "vee", "0.5");
    const wa_solution *r = wa_solve_solution(s);
    cr_assert_eq(r->ncrossings, 2);
    const wa_crossing *a = wa_solve_crossing(s, 0), *b = wa_solve_crossing(s, 1);
    double se = se_x(0.5, 2); /* the price moves twice as fast as x */
    cr_expect(fabs(a->value - 350) < 4 * se, "%g", a->value);
    cr_expect(fabs(b->value - 650) < 4 * se, "%g", b->value);
    cr_expect(!a->rising);
    cr_expect(b->rising);
    cr_expect_null(wa_solve_crossing(s, 2));
    wa_solve_free(s);
    wa_scenario_free(sc);
}

Test(solve, no_crossing_in_the_range_gives_both_ends)
{
    wa_scenario *sc = load();
    wa_solve *s = solve(sc, "x=100:300", "fixed", NULL);
    const wa_solution *r = wa_solve_solution(s);
    cr_expect(!r->found);
    cr_expect_eq(r->ncrossings, 0);
    cr_expect_null(wa_solve_crossing(s, 0));
    cr_expect(fabs(r->end_from - 0.1) < 4 * sqrt(0.09 / N));
    cr_expect(fabs(r->end_to - 0.3) < 4 * sqrt(0.21 / N));
    cr_expect_eq(r->from, 100);
    cr_expect_eq(r->to, 300);
    size_t len = 0;
    cr_assert_eq(wa_report_solve_buffer(WA_FORMAT_TEXT, (const wa_solve *const *)&s, 1, NULL, 0,
                                        &len),
                 WA_OK);
    char text[4096];
    cr_assert(len < sizeof text);
    wa_report_solve_buffer(WA_FORMAT_TEXT, (const wa_solve *const *)&s, 1, text, sizeof text,
                           NULL);
    cr_expect(strstr(text, "No crossing in the range:") != NULL, "%s", text);
    cr_expect(strstr(text, "It stays below 80% over the whole range.") != NULL, "%s", text);
    wa_solve_free(s);
    wa_scenario_free(sc);
}

Test(solve, the_same_answer_every_time_for_a_seed)
{
    wa_scenario *sc = load();
    wa_solve *a = solve(sc, "x=100:1000", "fixed", NULL), *b = solve(sc, "x=100:1000", "fixed", NULL);
    cr_expect(!memcmp(&wa_solve_crossing(a, 0)->value, &wa_solve_crossing(b, 0)->value,
                      sizeof(double)));
    cr_expect(!memcmp(wa_solve_crossing(a, 0)->interval, wa_solve_crossing(b, 0)->interval,
                      2 * sizeof(double)));
    wa_solve_free(a);
    wa_solve_free(b);
    wa_scenario_free(sc);
}

Test(solve, usage_errors_before_anything_runs)
{
    static const struct {
        const char *vary, *offer, *target, *message;
    } cases[] = {
        {"x=1:2", "fixd", NULL, "error: --offer: no offer named 'fixd' (did you mean 'fixed'?)\n"},
        {"x=1:2", "walk", NULL, "error: --offer: no offer named 'walk'\n"},
        {"x=1:2", NULL, NULL, "error: solve needs --offer OFFER: the offer whose decision flips\n"},
        {"x=1:2", "fixed", "2", "error: --target: expected c, 1-c, mean or a level strictly "
                                "between 0 and 1 (0.5, 90%), not '2'\n"},
        {"x=1:2", "fixed", "median", "error: --target: expected c, 1-c, mean or a level "
                                     "strictly between 0 and 1 (0.5, 90%), not 'median'\n"},
        {"x=2:1", "fixed", NULL, "error: --vary x: FROM must be below TO, in '2:1'\n"},
        {"x=1:2:3", "fixed", NULL, "error: --vary x: expected FROM:TO, not '1:2:3'\n"},
        {"x=1,2", "fixed", NULL, "error: --vary x: expected FROM:TO, not '1,2'\n"},
        {"xx=1:2", "fixed", NULL, "error: --vary: no input named 'xx' (did you mean 'x'?)\n"},
        {"x", "fixed", NULL, "error: --vary needs NAME=FROM:TO, not 'x'\n"},
        {NULL, "fixed", NULL, "error: solve needs --vary NAME=FROM:TO\n"},
    };
    wa_scenario *sc = load();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wa_solve *s = (wa_solve *)1;
        wa_diagnostics *d = wa_diagnostics_new();
        cr_expect_eq(wa_solve_run(sc, NULL, cases[i].vary, cases[i].offer, cases[i].target, &s, d),
                     WA_EUSAGE, "case %zu", i);
        cr_expect_null(s);
        char msg[512] = "";
        if (wa_diagnostics_count(d))
            wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, sizeof msg);
        cr_expect_str_eq(msg, cases[i].message, "case %zu", i);
        wa_diagnostics_free(d);
    }
    wa_scenario_free(sc);
}
