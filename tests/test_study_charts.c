/*
 * test_study_charts.c — the pages and charts of sweeps and solves, checked against an
 * exact answer: an offer whose cost is O = price + extra against a walk-away W uniform on
 * [0, 1000], so that P(walk beats) = P(W < O) = O / 1000 exactly.
 *
 * Every point of a sweep (and every run of a solve) uses the same draws of W, so its
 * P(walk beats) is the empirical CDF F_n of W at O. By the Dvoretzky–Kiefer–Wolfowitz
 * inequality, sup |F_n - F| > 0.015 has probability at most 2 exp(-2 n 0.015^2) = 2.5e-4
 * at n = 20,000 trials: that is each tolerance below, in P, or 1000 times it (15) in O,
 * plus what drawing to a tenth of a unit loses.
 *
 * The page is read as text; tests/html/check.sh renders it in a real browser.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom/failing_alloc.h"
#include "walkaway.h"

#define TRIALS 20000
#define EPS 0.015 /* the DKW bound on |F_n - F| (failure probability 2.5e-4) */

static const char *SCENARIO =
    "walkaway: 1\nname: Exact\nhorizon: 1\nsimulation: {seed: 11}\n"
    "inputs:\n  w: {dist: uniform, min: 0, max: 1000}\n  price: 700\n  extra: 0\n"
    "offers:\n  - name: Offer A\n    costs:\n      - {label: fee, amount: price + extra, year: 0}\n"
    "alternatives:\n  - name: walk\n    costs:\n      - {label: c, amount: w, year: 0}\n";

static wa_scenario *load(void)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(SCENARIO, strlen(SCENARIO), "dir/exact.yaml", &sc, d),
                 WA_OK);
    wa_diagnostics_free(d);
    return sc;
}

static void options(wa_run_options *o)
{
    wa_run_options_init(o, sizeof *o);
    o->trials = TRIALS;
    o->threads = 2;
}

static wa_sweep *sweep(const wa_scenario *sc, const char *const *vary, size_t n)
{
    wa_run_options o;
    options(&o);
    wa_diagnostics *d = wa_diagnostics_new();
    wa_sweep *s = NULL;
    cr_assert_eq(wa_sweep_run(sc, &o, vary, n, &s, d), WA_OK);
    wa_diagnostics_free(d);
    return s;
}

static wa_solve *solve(const wa_scenario *sc, const char *target)
{
    wa_run_options o;
    options(&o);
    wa_diagnostics *d = wa_diagnostics_new();
    wa_solve *s = NULL;
    cr_assert_eq(wa_solve_run(sc, &o, "price=500:900", "Offer A", target, &s, d), WA_OK);
    wa_diagnostics_free(d);
    return s;
}

/* Chart i of a sweep (solve: s NULL) as a standalone document; free it. */
static char *chart(const wa_sweep *sw, const wa_solve *so, size_t i)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sw ? wa_sweep_chart_write(m, sw, i) : wa_solve_chart_write(m, so, i), WA_OK);
    fclose(m);
    return text;
}

static size_t count(const char *s, const char *sub)
{
    size_t n = 0;
    for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub))
        n++;
    return n;
}

/* The centres of the <circle class="pt"> marks, in order, into x and y (room for max). */
static size_t dots(const char *svg, double *x, double *y, size_t max)
{
    size_t n = 0;
    for (const char *p = strstr(svg, "<circle class=\"pt\""); p && n < max;
         p = strstr(p + 1, "<circle class=\"pt\"")) {
        cr_assert_eq(sscanf(p, "<circle class=\"pt\" cx=\"%lf\" cy=\"%lf\"", &x[n], &y[n]), 2);
        n++;
    }
    return n;
}

/* ---- a sweep of one name: lines ------------------------------------------------------------- */

Test(study_charts, a_line_has_a_dot_per_value_at_its_exact_height)
{
    wa_scenario *sc = load();
    const char *vary[] = {"price=900,500,700,600,800"}; /* listed out of order */
    wa_sweep *s = sweep(sc, vary, 1);
    cr_assert_eq(wa_sweep_chart_count(s), 1);
    char name[128];
    wa_sweep_chart_name(s, 0, name, sizeof name);
    cr_expect_str_eq(name, "exact-base-offer-a-sweep.svg");
    char *svg = chart(s, NULL, 0);
    double x[8], y[8];
    cr_assert_eq(dots(svg, x, y, 8), 5);
    /* the plot: y from 0 at 264 up to 1 at 48 (report/study_charts.c's margins); x placed
       by value, so the dots come in increasing order whatever the list's */
    for (size_t j = 0; j < 5; j++) {
        double p = (264 - y[j]) / 216, o = 500 + 100 * (double)j;
        cr_expect(fabs(p - o / 1000) <= EPS + 0.05 / 216, "value %g: P %g, exact %g", o, p,
                  o / 1000);
        if (j)
            cr_expect_gt(x[j], x[j - 1]);
    }
    cr_expect_eq(count(svg, "<polygon class=\"pb\""), 1); /* the 95% band */
    cr_expect_eq(count(svg, "<polyline"), 1);             /* no P(deal) without a vendor */
    free(svg);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

/* ---- a sweep of two names: a heat map ----------------------------------------------------- */

/* The segments of the first <path class="CLS" d="M x y Lx y M ..."> into seg (x1 y1 x2 y2
   each, room for max); how many. */
static size_t segments(const char *svg, const char *cls, double *seg, size_t max)
{
    char open[64];
    snprintf(open, sizeof open, "<path class=\"%s\" d=\"", cls);
    const char *p = strstr(svg, open);
    if (!p)
        return 0;
    p += strlen(open);
    size_t n = 0;
    int used = 0;
    while (n < max && sscanf(p, " M%lf %lfL%lf %lf%n", &seg[4 * n], &seg[4 * n + 1],
                             &seg[4 * n + 2], &seg[4 * n + 3], &used) == 4) {
        n++;
        p += used;
    }
    return n;
}

Test(study_charts, the_heat_map_contour_lies_where_p_crosses_c)
{
    wa_scenario *sc = load();
    const char *vary[] = {"price=500:900:5", "extra=0:200:5"};
    wa_sweep *s = sweep(sc, vary, 2);
    cr_assert_eq(wa_sweep_chart_count(s), 1);
    char name[128];
    wa_sweep_chart_name(s, 0, name, sizeof name);
    cr_expect_str_eq(name, "exact-base-offer-a-heatmap.svg");
    char *svg = chart(s, NULL, 0);
    cr_expect_eq(count(svg, "<rect class=\"cell\""), 25);
    /* The contour at c = 80% is the line price + extra = 800. Cell centres: column j at
       84 + 108 (j + 1/2) (5 columns over 540 units), row i at 242 - 36 (i + 1/2) (rows of
       36 from the plot's top at 62); a column is 50 of extra, a row 100 of price. */
    double seg[4 * 64];
    size_t n = segments(svg, "ct", seg, 64);
    cr_expect_geq(n, 3);
    for (size_t k = 0; k < 2 * n; k++) {
        double px = seg[2 * k], py = seg[2 * k + 1];
        double extra = 50 * ((px - 84) / 108 - 0.5), price = 500 + 100 * ((242 - py) / 36 - 0.5);
        /* P is F_n(O) on every edge; the interpolated crossing is within EPS / slope of
           O = 800, the slope of F_n over an edge being at least 0.97 / 1000 here */
        cr_expect(fabs(price + extra - 800) <= EPS * 1000 / 0.97 + 0.2,
                  "contour point price %g + extra %g, expected 800", price, extra);
    }
    /* P is at least 50% everywhere: nothing crosses 1 - c = 20% */
    cr_expect_eq(segments(svg, "ct a", seg, 64), 0);
    free(svg);
    wa_sweep_free(s);
    wa_scenario_free(sc);
}

Test(study_charts, three_names_or_a_huge_grid_have_no_chart_but_a_page)
{
    wa_scenario *sc = load();
    const char *vary[] = {"price=500,600", "extra=0,10", "w.max=900,1000"};
    wa_run_options o;
    options(&o);
    o.trials = 1000;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_sweep *s = NULL;
    cr_assert_eq(wa_sweep_run(sc, &o, vary, 3, &s, d), WA_OK);
    cr_expect_eq(wa_sweep_chart_count(s), 0);
    cr_expect_eq(wa_sweep_chart_name(s, 0, NULL, 0), 0);
    FILE *f = tmpfile();
    cr_expect_eq(wa_sweep_chart_write(f, s, 0), WA_EUSAGE);
    fclose(f);
    size_t len = 0;
    const wa_sweep *const one[1] = {s};
    cr_assert_eq(wa_report_sweep_buffer(WA_FORMAT_HTML, one, 1, NULL, 0, &len), WA_OK);
    char *page = malloc(len + 1);
    cr_assert_eq(wa_report_sweep_buffer(WA_FORMAT_HTML, one, 1, page, len + 1, NULL), WA_OK);
    cr_expect_null(strstr(page, "<svg"));
    cr_expect_eq(count(page, "<tr><td class=\"n\">"), 8); /* a row per point */
    free(page);
    wa_sweep_free(s);
    /* 101 x 100 points: more than a chart draws */
    const char *big[] = {"price=500:900:101", "extra=0:200:100"};
    o.trials = 64;
    cr_assert_eq(wa_sweep_run(sc, &o, big, 2, &s, d), WA_OK);
    cr_expect_eq(wa_sweep_chart_count(s), 0);
    wa_sweep_free(s);
    wa_diagnostics_free(d);
    wa_scenario_free(sc);
}

/* ---- a solve ---------------------------------------------------------------------------------- */

Test(study_charts, a_solve_keeps_every_run_and_draws_it_with_the_crossing)
{
    wa_scenario *sc = load();
    wa_solve *s = solve(sc, NULL);
    const wa_solution *so = wa_solve_solution(s);
    cr_assert(so->found);
    cr_assert_eq(so->ncrossings, 1);
    cr_expect(fabs(wa_solve_crossing(s, 0)->value - 800) <= EPS * 1000 / 0.97);
    size_t n = wa_solve_eval_count(s);
    cr_assert_eq(n, so->runs);
    cr_expect_null(wa_solve_evaluation(s, n));
    /* by value, within the range, each the figure of the run at that value to the bit */
    for (size_t i = 0; i < n; i++) {
        const wa_solve_eval *e = wa_solve_evaluation(s, i);
        cr_expect_eq(e->size, sizeof *e);
        cr_expect(e->value >= 500 && e->value <= 900);
        if (i)
            cr_expect_geq(e->value, wa_solve_evaluation(s, i - 1)->value);
        cr_expect(e->ci95[0] <= e->figure && e->figure <= e->ci95[1]);
        cr_expect(fabs(e->figure - e->value / 1000) <= EPS);
    }
    const wa_solve_eval *first = wa_solve_evaluation(s, 0), *last = wa_solve_evaluation(s, n - 1);
    cr_expect_eq(first->value, 500);
    cr_expect_eq(last->value, 900);
    char set[64];
    snprintf(set, sizeof set, "price=%.17g", wa_solve_evaluation(s, n / 2)->value);
    const char *sets[1] = {set};
    wa_run_options o;
    options(&o);
    o.sets = sets;
    o.nsets = 1;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    cr_expect_eq(wa_result_offer(r, 0)->p_walk_beats, wa_solve_evaluation(s, n / 2)->figure);
    wa_result_free(r);
    wa_diagnostics_free(d);

    cr_assert_eq(wa_solve_chart_count(s), 1);
    char name[128];
    wa_solve_chart_name(s, 0, name, sizeof name);
    cr_expect_str_eq(name, "exact-base-offer-a-solve.svg");
    char *svg = chart(NULL, s, 0);
    double x[512], y[512];
    cr_expect_eq(dots(svg, x, y, 512), n);
    cr_expect_eq(count(svg, "<rect class=\"xi\""), 1);
    cr_expect(strstr(svg, "Walking away beats Offer A with 80% confidence once price exceeds") !=
              NULL);
    free(svg);
    wa_solve_free(s);
    wa_scenario_free(sc);
}

Test(study_charts, a_page_of_a_sweep_and_of_a_solve)
{
    wa_scenario *sc = load();
    const char *vary[] = {"price=500,600,700,850,900"};
    wa_sweep *s = sweep(sc, vary, 1);
    const wa_sweep *const one[1] = {s};
    size_t len = 0;
    cr_assert_eq(wa_report_sweep_buffer(WA_FORMAT_HTML, one, 1, NULL, 0, &len), WA_OK);
    char *page = malloc(len + 1);
    cr_assert_eq(wa_report_sweep_buffer(WA_FORMAT_HTML, one, 1, page, len + 1, NULL), WA_OK);
    cr_expect_eq(count(page, "<figure class=\"chart sweep\">"), 1);
    cr_expect_eq(count(page, "<svg"), 1);
    cr_expect_null(strstr(page, "<script"));
    /* the answer: P = O / 1000 is between 20% and 80% (negotiate) up to 700, and above 80%
       (walk) from 850, each further than EPS from the level */
    cr_expect(strstr(page, "<span class=\"v negotiate\">negotiate</span> for price from 500 to "
                           "700; <span class=\"v walk\">walk</span> from 850 to 900") != NULL);
    free(page);
    wa_sweep_free(s);

    wa_solve *so = solve(sc, "1-c");
    const wa_solve *const two[1] = {so};
    cr_assert_eq(wa_report_solve_buffer(WA_FORMAT_HTML, two, 1, NULL, 0, &len), WA_OK);
    page = malloc(len + 1);
    cr_assert_eq(wa_report_solve_buffer(WA_FORMAT_HTML, two, 1, page, len + 1, NULL), WA_OK);
    cr_expect_eq(count(page, "<figure class=\"chart solve\">"), 1);
    /* 1 - c = 20% is never reached (P >= 50%): said as such, with the ends */
    cr_expect(strstr(page, "No crossing in the range: P(walk beats) is ") != NULL);
    free(page);
    wa_solve_free(so);
    wa_scenario_free(sc);
}

/* ---- every allocation failure in turn ----------------------------------------------------- */

/* Renders what: 0 the page of sweep sw, 1 the page of solve so, 2 sw's first chart, 3 so's
   chart, into buf. */
static wa_status render(int what, const wa_sweep *sw, const wa_solve *so, char *buf,
                        size_t size)
{
    const wa_sweep *const one[1] = {sw};
    const wa_solve *const two[1] = {so};
    if (what == 0)
        return wa_report_sweep_buffer(WA_FORMAT_HTML, one, 1, buf, size, NULL);
    if (what == 1)
        return wa_report_solve_buffer(WA_FORMAT_HTML, two, 1, buf, size, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_not_null(m);
    wa_status st = what == 2 ? wa_sweep_chart_write(m, sw, 0) : wa_solve_chart_write(m, so, 0);
    fclose(m);
    snprintf(buf, size, "%s", text ? text : "");
    free(text);
    return st;
}

/* The page of a heat-map sweep and of a solve, and each of their charts: every allocation
   of rendering them fails in turn, and each time the call gives WA_ENOMEM and leaks
   nothing, or gets round it with the clean output. */
Test(study_charts, every_allocation_failure_of_the_pages_and_charts)
{
    cr_assert_eq(failing_alloc_install(), WA_OK);
    wa_scenario *sc = load();
    const char *vary[] = {"price=500:900:4", "extra=0:200:3"};
    wa_sweep *sw = sweep(sc, vary, 2);
    wa_solve *so = solve(sc, NULL);
    static char clean[1 << 17], got[1 << 17];
    for (int what = 0; what < 4; what++) {
        fail_at = 0;
        atomic_store(&calls, 0);
        cr_assert_eq(render(what, sw, so, clean, sizeof clean), WA_OK);
        long total = atomic_load(&calls);
        cr_assert_gt(total, 0);
        for (long k = 1; k <= total; k++) {
            long before = atomic_load(&live);
            atomic_store(&calls, 0);
            fail_at = k;
            wa_status st = render(what, sw, so, got, sizeof got);
            fail_at = 0;
            cr_expect(st == WA_ENOMEM || (st == WA_OK && !strcmp(got, clean)),
                      "rendering %d, allocation %ld of %ld: status %d", what, k, total, st);
            cr_expect_eq(atomic_load(&live), before, "rendering %d, allocation %ld: a leak", what,
                         k);
        }
    }
    wa_sweep_free(sw);
    wa_solve_free(so);
    wa_scenario_free(sc);
}
