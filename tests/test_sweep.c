/*
 * test_sweep.c — wa_sweep_run and its reports (SPEC 3, sweep): every point is, to the bit,
 * the run `--set` would make; the grid's order; exact answers on a model solvable by hand;
 * usage errors before anything runs, with their exact text.
 *
 * The model: the walk W ~ uniform(0, 1000), one offer at a fixed price x. Then
 * p_walk_beats = P(W < x) = x / 1000 exactly, and since every point draws the same W the
 * estimate is nondecreasing in x, point by point, without noise between points.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

static const char *model =
    "walkaway: 1\nhorizon: 1\nsimulation: {trials: 40000, seed: 3}\n"
    "inputs:\n"
    "  x: 500\n"
    "  w: {dist: uniform, min: 0, max: 1000}\n"
    "  fee: {dist: triangular, min: 10, mode: 20, max: 60}\n"
    "offers:\n"
    "  - {name: fixed, costs: [{label: price, amount: x, year: 0}]}\n"
    "  - {name: with-fee, costs: [{label: price, amount: x + fee, year: 0}]}\n"
    "alternatives:\n  - {name: walk, costs: [{label: c, amount: w, year: 0}]}\n"
    "variants:\n  - {name: dearer, set: {fee: 100}}\n";

static wa_scenario *load(void)
{
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(model, strlen(model), "sweep.yaml", &sc, NULL), WA_OK);
    return sc;
}

static wa_sweep *sweep(const wa_scenario *sc, const wa_run_options *o, const char *a,
                       const char *b)
{
    const char *v[2] = {a, b};
    wa_sweep *s = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_status st = wa_sweep_run(sc, o, v, b ? 2 : 1, &s, d);
    char msg[512] = "";
    if (wa_diagnostics_count(d))
        wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, sizeof msg);
    cr_assert_eq(st, WA_OK, "%s", msg);
    wa_diagnostics_free(d);
    return s;
}

static wa_result *run_set(const wa_scenario *sc, long variant, const char *s1, const char *s2)
{
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.variant = variant;
    const char *sets[2] = {s1, s2};
    o.sets = sets;
    o.nsets = s2 ? 2 : 1;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, NULL), WA_OK);
    return r;
}

/* Every figure of offer k of two results, to the bit. */
static int same_offer(const wa_result *a, const wa_result *b, size_t k)
{
    const wa_offer_summary *x = wa_result_offer(a, k), *y = wa_result_offer(b, k);
    return !memcmp(&x->cost, &y->cost, sizeof x->cost) &&
           !memcmp(&x->advantage, &y->advantage, sizeof x->advantage) &&
           !memcmp(&x->p_walk_beats, &y->p_walk_beats, sizeof(double)) &&
           !memcmp(x->p_walk_beats_ci95, y->p_walk_beats_ci95, 2 * sizeof(double)) &&
           !memcmp(&x->concession_needed, &y->concession_needed, sizeof(double)) &&
           !strcmp(x->verdict, y->verdict);
}

Test(sweep, p_walk_beats_is_exact_and_monotone_on_common_random_numbers)
{
    wa_scenario *sc = load();
    wa_sweep *s = sweep(sc, NULL, "x=100:900:9", NULL);
    cr_assert_eq(wa_sweep_point_count(s), 9);
    double n = 40000, prev = -1;
    for (size_t p = 0; p < 9; p++) {
        double x = wa_sweep_value(s, 0, p), want = x / 1000;
        cr_expect_eq(x, 100 + 100 * (double)p);
        const wa_offer_summary *o = wa_result_offer(wa_sweep_point(s, p), 0);
        /* 4 standard errors of a proportion of n independent trials */
        cr_expect(fabs(o->p_walk_beats - want) < 4 * sqrt(want * (1 - want) / n),
                  "x = %g: %g vs %g", x, o->p_walk_beats, want);
        cr_expect(o->p_walk_beats >= prev, "not monotone at x = %g", x);
        prev = o->p_walk_beats;
        /* the concession needed is the 0.8-quantile of x - W: x - 200, to 4 SE of the
           quantile (sd of the 0.2-quantile of U(0, 1000): 1000 sqrt(0.16 / n)) */
        cr_expect(fabs(o->concession_needed - (x - 200)) < 4 * 1000 * sqrt(0.16 / n),
                  "x = %g: concession %g", x, o->concession_needed);
        const char *verdict = want >= 0.8 + 4 * sqrt(0.16 / n) ? "walk"
                            : want <= 0.2 - 4 * sqrt(0.16 / n) ? "accept"
                                                               : NULL;
        if (verdict)
            cr_expect_str_eq(o->verdict, verdict, "x = %g", x);
    }
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(sweep, every_point_is_the_run_set_makes_to_the_bit)
{
    wa_scenario *sc = load();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.method = WA_METHOD_SOBOL;
    o.trials = 5000;
    /* a parameter of a distribution and an input, as a two-way grid */
    wa_sweep *s = sweep(sc, &o, "fee.max=40:80:3", "x=300,700");
    cr_assert_eq(wa_sweep_point_count(s), 6);
    for (size_t p = 0; p < 6; p++) {
        char a[128], b[64];
        snprintf(a, sizeof a, "fee={dist: triangular, min: 10, mode: 20, max: %g}",
                 wa_sweep_value(s, 0, wa_sweep_point_index(s, p, 0)));
        snprintf(b, sizeof b, "x=%g", wa_sweep_value(s, 1, wa_sweep_point_index(s, p, 1)));
        wa_run_options ro = o;
        const char *sets[2] = {a, b};
        ro.sets = sets;
        ro.nsets = 2;
        wa_result *r = NULL;
        cr_assert_eq(wa_run(sc, &ro, &r, NULL), WA_OK);
        for (size_t k = 0; k < 2; k++)
            cr_expect(same_offer(wa_sweep_point(s, p), r, k), "point %zu (%s, %s), offer %zu", p,
                      a, b, k);
        wa_result_free(r);
    }
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(sweep, the_grid_is_row_major_with_the_first_name_outermost)
{
    wa_scenario *sc = load();
    wa_sweep *s = sweep(sc, NULL, "x=1,2,3", "fee=5,6");
    cr_assert_eq(wa_sweep_vary_count(s), 2);
    cr_expect_str_eq(wa_sweep_vary_name(s, 0), "x");
    cr_expect_str_eq(wa_sweep_vary_name(s, 1), "fee");
    static const size_t want[6][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}};
    for (size_t p = 0; p < 6; p++) {
        cr_expect_eq(wa_sweep_point_index(s, p, 0), want[p][0]);
        cr_expect_eq(wa_sweep_point_index(s, p, 1), want[p][1]);
        /* with-fee costs x + fee exactly */
        double cost = wa_result_offer(wa_sweep_point(s, p), 1)->cost.mean;
        cr_expect_eq(cost, (double)(want[p][0] + 1) + (double)(want[p][1] + 5));
    }
    cr_expect_null(wa_sweep_point(s, 6));
    cr_expect(isnan(wa_sweep_value(s, 0, 3)));
    cr_expect_null(wa_sweep_variant(s));
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(sweep, a_variant_and_sets_apply_at_every_point)
{
    wa_scenario *sc = load();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.variant = wa_scenario_variant_find(sc, "dearer");
    const char *sets[1] = {"w={dist: uniform, min: 0, max: 2000}"};
    o.sets = sets;
    o.nsets = 1;
    wa_sweep *s = sweep(sc, &o, "x=200:600:3", NULL);
    cr_expect_str_eq(wa_sweep_variant(s), "dearer, w={dist: uniform, min: 0, max: 2000}");
    for (size_t p = 0; p < 3; p++) {
        char b[64];
        snprintf(b, sizeof b, "x=%g", wa_sweep_value(s, 0, p));
        wa_result *r = run_set(sc, o.variant, sets[0], b);
        cr_expect(same_offer(wa_sweep_point(s, p), r, 1), "point %zu", p);
        cr_expect_eq(wa_result_offer(r, 1)->cost.mean, wa_sweep_value(s, 0, p) + 100);
        wa_result_free(r);
    }
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

/* The first error's text for vary[0..n) (and the sets), and the status. */
static wa_status sweep_error(const char *const *vary, size_t n, const char *set, char *msg,
                             size_t size)
{
    wa_scenario *sc = load();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    const char *sets[1] = {set};
    o.sets = sets;
    o.nsets = set ? 1 : 0;
    wa_sweep *s = (wa_sweep *)1;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_status st = wa_sweep_run(sc, &o, vary, n, &s, d);
    cr_expect_null(s);
    msg[0] = '\0';
    if (wa_diagnostics_count(d))
        wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, size);
    wa_diagnostics_free(d);
    wa_scenario_free(sc);
    return st;
}

Test(sweep, usage_errors_before_anything_runs)
{
    static const struct {
        const char *vary[2];
        const char *set;
        const char *message;
    } cases[] = {
        {{"feee=1,2"}, NULL, "error: --vary: no input named 'feee' (did you mean 'fee'?)\n"},
        {{"zzz=1,2"}, NULL, "error: --vary: no input named 'zzz'\n"},
        {{"x.max=1,2"}, NULL,
         "error: --vary x.max: 'x' is not a distribution, so it has no parameter 'max'\n"},
        {{"fee.mx=1,2"}, NULL,
         "error: --vary fee.mx: 'fee' has no parameter 'mx'; did you mean 'max'?\n"},
        {{"fee.lambda=1,2"}, NULL,
         "error: --vary fee.lambda: 'fee' has no parameter 'lambda' (its mapping writes min, "
         "mode, max)\n"},
        {{"x=1:2"}, NULL, "error: --vary x: expected FROM:TO:STEPS, not '1:2'\n"},
        {{"x=1:b:3"}, NULL, "error: --vary x: FROM and TO must be numbers, in '1:b:3'\n"},
        {{"x=1:2:1"}, NULL,
         "error: --vary x: STEPS must be a whole number from 2 to 1000000, not '1'\n"},
        {{"x=1:2:3.5"}, NULL,
         "error: --vary x: STEPS must be a whole number from 2 to 1000000, not '3.5'\n"},
        {{"x=1,,3"}, NULL, "error: --vary x: '' is not a number\n"},
        {{"x=1,w"}, NULL, "error: --vary x: 'w' is not a number\n"},
        {{"x"}, NULL, "error: --vary needs NAME=FROM:TO:STEPS or NAME=V1,V2,..., not 'x'\n"},
        {{"x=1,2", "x=3"}, NULL, "error: --vary x and --vary x both change 'x'; vary it once\n"},
        {{"fee.max=50,60", "fee=3"}, NULL,
         "error: --vary fee.max and --vary fee both change 'fee'; vary it once\n"},
        {{"x=1,2"}, "x=4", "error: 'x' is both set (--set) and varied (--vary x); drop one\n"},
        {{"x=1:2:1000", "fee=1:2:1001"}, NULL,
         "error: the grid has 1001000 points; at most 1000000 can be swept\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[512];
        size_t n = cases[i].vary[1] ? 2 : 1;
        cr_expect_eq(sweep_error(cases[i].vary, n, cases[i].set, msg, sizeof msg), WA_EUSAGE,
                     "case %zu", i);
        cr_expect_str_eq(msg, cases[i].message, "case %zu", i);
    }
    char msg[512];
    cr_expect_eq(sweep_error(NULL, 0, NULL, msg, sizeof msg), WA_EUSAGE);
    cr_expect_str_eq(msg, "error: a sweep needs at least one --vary NAME=FROM:TO:STEPS\n");
}

Test(sweep, a_point_that_fails_is_named)
{
    wa_scenario *sc = load();
    /* a triangular max below its mode at the third point */
    const char *v[1] = {"fee.max=60,40,15"};
    wa_sweep *s = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_sweep_run(sc, NULL, v, 1, &s, d), WA_EINVALID);
    cr_assert_null(s);
    size_t n = wa_diagnostics_count(d);
    cr_assert(n >= 2);
    const wa_diagnostic *last = wa_diagnostics_get(d, n - 1);
    cr_expect_eq(last->severity, WA_NOTE);
    cr_expect_str_eq(last->message, "in the sweep's point fee.max=15");
    wa_diagnostics_free(d);
    wa_scenario_free(sc);
}

/* ---- reports -------------------------------------------------------------------------- */

static char *report(wa_format fmt, const wa_sweep *s)
{
    size_t len = 0;
    cr_assert_eq(wa_report_sweep_buffer(fmt, &s, 1, NULL, 0, &len), WA_OK);
    char *t = malloc(len + 1);
    cr_assert(t);
    cr_assert_eq(wa_report_sweep_buffer(fmt, &s, 1, t, len + 1, NULL), WA_OK);
    return t;
}

Test(sweep, csv_is_long_with_a_column_per_name)
{
    wa_scenario *sc = load();
    wa_sweep *s = sweep(sc, NULL, "x=100,900", "fee=5,6");
    char *t = report(WA_FORMAT_CSV, s);
    const char *head = "file,scenario,variant,x,fee,offer,trials,p_walk_beats,p_walk_beats_lo,"
                       "p_walk_beats_hi,offer_mean,walk_mean,advantage_mean,concession_needed,"
                       "verdict,walk\n";
    cr_assert(strncmp(t, head, strlen(head)) == 0, "%s", t);
    size_t rows = 0;
    for (const char *p = t; *p; p++)
        rows += *p == '\n';
    cr_expect_eq(rows, 1 + 4 * 2); /* 4 points, 2 offers */
    /* the first row: x = 100, fee = 5, offer fixed; p_walk_beats about 0.1: accept */
    const char *row = t + strlen(head);
    cr_expect(strncmp(row, "sweep.yaml,sweep,,100,5,fixed,40000,", 36) == 0, "%.80s", row);
    cr_expect(strstr(row, ",accept,walk\n") != NULL);
    free(t);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(sweep, json_has_the_keys_of_spec_section_4)
{
    wa_scenario *sc = load();
    wa_sweep *s = sweep(sc, NULL, "x=100,900", NULL);
    char *t = report(WA_FORMAT_JSON, s);
    static const char *const keys[] = {
        "\"walkaway\":\t\"" WA_VERSION "\"", "\"sweeps\":", "\"file\":\t\"sweep.yaml\"",
        "\"scenario\":", "\"trials\":\t40000", "\"seed\":\t3", "\"method\":\t\"monte-carlo\"",
        "\"confidence\":\t0.8", "\"vary\":", "\"name\":\t\"x\"", "\"values\":\t[100, 900]",
        "\"points\":", "\"values\":\t{", "\"x\":\t100", "\"walk\":\t\"walk\"", "\"offers\":",
        "\"p_walk_beats\":", "\"p_walk_beats_ci95\":", "\"advantage_mean\":",
        "\"concession_needed\":", "\"verdict\":\t\"accept\"", "\"verdict\":\t\"walk\""};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_expect(strstr(t, keys[i]) != NULL, "missing %s in\n%s", keys[i], t);
    free(t);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(sweep, text_tables_one_and_two_way)
{
    wa_scenario *sc = load();
    wa_sweep *s = sweep(sc, NULL, "x=100,900", NULL);
    char *t = report(WA_FORMAT_TEXT, s);
    cr_expect(strstr(t, "  Swept:       2 points: x from 100 to 900 (2 values)\n") != NULL, "%s", t);
    cr_expect(strstr(t, "\nOffer: fixed\n  x    P(walk beats)  95% CI") != NULL, "%s", t);
    cr_expect(strstr(t, "Walk-away position at every point: walk\n") != NULL);
    free(t);
    wa_sweep_free(s);
    s = sweep(sc, NULL, "x=100,900", "fee=5,6");
    t = report(WA_FORMAT_TEXT, s);
    /* rows down, columns across, each cell P(walk beats) and its verdict's letter */
    cr_expect(strstr(t, "\nOffer: fixed\n       fee across\n  x        5      6\n"
                        "  100  10% A  10% A\n  900  90% W  90% W\n") != NULL,
              "%s", t);
    cr_expect(strstr(t, "  Swept:       4 points\n"
                        "               x from 100 to 900 (2 values), down\n"
                        "               fee from 5 to 6 (2 values), across\n") != NULL, "%s", t);
    free(t);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

/* ---- every point bit for bit, on a model that exercises what a point may leave alone --- */

/* Every figure of two results, to the bit (elapsed_s aside). */
static void expect_same_result(const wa_result *a, const wa_result *b, const char *what)
{
    const wa_summary *x = wa_result_summary(a), *y = wa_result_summary(b);
    cr_assert_eq(x->noffers, y->noffers);
    cr_assert_eq(x->nalternatives, y->nalternatives);
    cr_expect_str_eq(x->walk_name, y->walk_name, "%s", what);
    cr_expect(!memcmp(&x->walk_cost, &y->walk_cost, sizeof x->walk_cost), "%s: walk", what);
    cr_expect(!memcmp(&x->ceiling_confident, &y->ceiling_confident, sizeof(double)) &&
                  !memcmp(&x->ceiling_accept_below, &y->ceiling_accept_below, sizeof(double)),
              "%s: ceilings", what);
    for (size_t i = 0; i < x->nalternatives; i++) {
        const wa_alternative_summary *p = wa_result_alternative(a, i), *q = wa_result_alternative(b, i);
        cr_expect(!memcmp(&p->cost, &q->cost, sizeof p->cost) &&
                      !memcmp(&p->p_cheapest, &q->p_cheapest, sizeof(double)),
                  "%s: alternative %zu", what, i);
    }
    for (size_t k = 0; k < x->noffers; k++)
        cr_expect(same_offer(a, b, k), "%s: offer %zu", what, k);
    cr_expect_eq(x->nwarnings, y->nwarnings, "%s", what);
    cr_expect_str_eq(x->variant ? x->variant : "", y->variant ? y->variant : "", "%s", what);
}

/* Three offers and three alternatives, correlated inputs, derived inputs, an item
   probability, growth, and `walk: best`, whose choice moves with the varied names. */
static const char *rich =
    "walkaway: 1\nhorizon: 3\ndiscount_rate: 6%\nsimulation: {trials: 9000, seed: 5}\n"
    "inputs:\n"
    "  list: 100\n"
    "  a: {dist: pert, min: 10, mode: 20, max: 45}\n"
    "  b: {dist: normal, mean: 30, sd: 6}\n"
    "  c: {dist: lognormal, p10: 5, p90: 25}\n"
    "  g: {dist: uniform, min: 0%, max: 8%}\n"
    "  k: {dist: triangular, min: 40, mode: 55, max: 90}\n"
    "  d: a + b\n"
    "correlations:\n  - [a, b, 0.5]\n  - [b, c, -0.3]\n"
    "offers:\n"
    "  - {name: o1, costs: [{label: x, amount: list, years: [0, 2], growth: g}]}\n"
    "  - {name: o2, costs: [{label: x, amount: 0.7 * list + c, years: [0, 2]}]}\n"
    "  - {name: o3, costs: [{label: x, amount: k, year: 0}, {label: y, amount: 50, year: 1, "
    "probability: 30%}]}\n"
    "alternatives:\n"
    "  - {name: w1, costs: [{label: x, amount: d, years: [0, 2]}]}\n"
    "  - {name: w2, costs: [{label: x, amount: 2 * a, years: [0, 2]}]}\n"
    "  - {name: w3, costs: [{label: x, amount: k + c, years: [0, 2]}]}\n"
    "walk: best\n";

Test(sweep, points_are_the_runs_set_makes_under_every_method)
{
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(rich, strlen(rich), "rich.yaml", &sc, NULL), WA_OK);
    /* a constant one offer reads; a correlated input's parameter (alternatives move, and
       the walk with them); an uncorrelated input that an offer and an alternative read */
    static const char *const grids[][2] = {
        {"list=60:140:5", NULL}, {"b.mean=10:60:6", "list=80,120"}, {"k.mode=41,60,85", NULL}};
    for (int m = WA_METHOD_MONTE_CARLO; m <= WA_METHOD_SOBOL; m++)
        for (size_t g = 0; g < 3; g++) {
            wa_run_options o;
            wa_run_options_init(&o, sizeof o);
            o.method = (wa_method)m;
            o.threads = 2;
            wa_sweep *s = sweep(sc, &o, grids[g][0], grids[g][1]);
            for (size_t p = 0; p < wa_sweep_point_count(s); p++) {
                const char *sets[2];
                char *own[2] = {NULL, NULL};
                for (size_t v = 0; v < wa_sweep_vary_count(s); v++) {
                    /* the change as a user types it: a number, or the whole mapping */
                    const char *name = wa_sweep_vary_name(s, v);
                    double x = wa_sweep_value(s, v, wa_sweep_point_index(s, p, v));
                    own[v] = malloc(160);
                    if (!strcmp(name, "b.mean"))
                        snprintf(own[v], 160, "b={dist: normal, mean: %.17g, sd: 6}", x);
                    else if (!strcmp(name, "k.mode"))
                        snprintf(own[v], 160, "k={dist: triangular, min: 40, mode: %.17g, max: 90}", x);
                    else
                        snprintf(own[v], 160, "%s=%.17g", name, x);
                    sets[v] = own[v];
                }
                wa_run_options ro = o;
                ro.sets = sets;
                ro.nsets = wa_sweep_vary_count(s);
                wa_result *r = NULL;
                cr_assert_eq(wa_run(sc, &ro, &r, NULL), WA_OK);
                char what[200];
                snprintf(what, sizeof what, "%s, grid %zu, point %zu", wa_method_name((wa_method)m),
                         g, p);
                const wa_result *pt = wa_sweep_point(s, p);
                /* the labels differ in how the change is written: compare the figures */
                const wa_summary *a = wa_result_summary(pt), *b = wa_result_summary(r);
                cr_expect_str_eq(a->walk_name, b->walk_name, "%s", what);
                for (size_t k = 0; k < b->noffers; k++)
                    cr_expect(same_offer(pt, r, k), "%s: offer %zu", what, k);
                for (size_t i = 0; i < b->nalternatives; i++)
                    cr_expect(!memcmp(&wa_result_alternative(pt, i)->cost,
                                      &wa_result_alternative(r, i)->cost, sizeof(wa_stats)) &&
                                  !memcmp(&wa_result_alternative(pt, i)->p_cheapest,
                                          &wa_result_alternative(r, i)->p_cheapest, sizeof(double)),
                              "%s: alternative %zu", what, i);
                cr_expect(!memcmp(&a->ceiling_confident, &b->ceiling_confident, sizeof(double)) &&
                              !memcmp(&a->ceiling_accept_below, &b->ceiling_accept_below,
                                      sizeof(double)),
                          "%s: ceilings", what);
                wa_result_free(r);
                free(own[0]);
                free(own[1]);
            }
            wa_sweep_free(s);
        }
    wa_scenario_free(sc);
}

Test(sweep, a_point_equal_to_the_start_is_the_whole_run)
{
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(rich, strlen(rich), "rich.yaml", &sc, NULL), WA_OK);
    /* list=100 is the file's own value: nothing changes, every figure is copied */
    wa_sweep *s = sweep(sc, NULL, "list=100,101", NULL);
    wa_result *r = run_set(sc, -1, "list=100", NULL);
    expect_same_result(wa_sweep_point(s, 0), r, "list=100");
    wa_result_free(r);
    r = run_set(sc, -1, "list=101", NULL);
    expect_same_result(wa_sweep_point(s, 1), r, "list=101");
    wa_result_free(r);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}
