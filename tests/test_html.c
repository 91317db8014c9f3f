/*
 * test_html.c — the HTML report and its charts as library calls: the ticks' algorithm
 * (round steps that cover the range), the money and share labels, the page's structure
 * (one <svg> per chart, each with a <title> and a <desc>, one bar per histogram bin,
 * nothing fetched, no script), the standalone charts and their names.
 *
 * The page is read as text: counting tags is what matters here; a real browser renders it
 * in tests/html/check.sh.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"
#include "walkaway.h"

/* ---- ticks and labels --------------------------------------------------------------------- */

/* Whether w is 1, 2 or 5 times a power of ten. */
static int round_step(double w)
{
    double e = floor(log10(w)), m = w / pow(10, e);
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

Test(html, ticks_are_round_steps_that_cover_the_range)
{
    const double ranges[][2] = {{0, 1},         {0, 1.2e6},     {-2.3e6, 4.1e6}, {123, 456},
                                {-15e6, 2.5e6}, {0.001, 0.004}, {5e9, 5.0001e9}, {-7, -3},
                                {2.35e6, 6.2e6}, {0, 19.6e6}};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        for (int target = 3; target <= 9; target += 3) {
            double lo = ranges[i][0], hi = ranges[i][1];
            svg_axis a;
            svg_axis_plan(&a, lo, hi, target, 0, 100);
            double step = wa_nice_value(a.step);
            cr_expect(round_step(step), "step %g for [%g, %g]", step, lo, hi);
            cr_expect(a.lo <= lo && a.hi >= hi, "[%g, %g] covers [%g, %g]", a.lo, a.hi, lo, hi);
            /* no more intervals than asked for, plus the two rounded ends; at least a
               fifth of them (a step is at most 2.5 times the raw one) */
            int64_t nint = a.t1 - a.t0;
            cr_expect(nint <= target + 2 && nint * 5 >= target, "%lld intervals for %d",
                      (long long)nint, target);
            /* every tick is the round number itself: j times the step, correctly rounded */
            for (int64_t j = a.t0; j <= a.t1; j++) {
                double t = svg_tick(&a, j), q = t / step;
                cr_expect(fabs(q - (double)j) < 1e-9 * (fabs(q) + 1), "tick %g", t);
            }
            cr_expect_eq(svg_map(&a, a.lo), 0);
            cr_expect_eq(svg_map(&a, a.hi), 100);
        }
    /* a single value is widened to a round range around it */
    svg_axis a;
    svg_axis_plan(&a, 500, 500, 4, 0, 1);
    cr_expect(a.lo < 500 && a.hi > 500);
    svg_axis_plan(&a, 0, 0, 4, 0, 1);
    cr_expect(a.lo < 0 && a.hi > 0);
    /* 0.1 times 3 is 0.30000000000000004; the tick is 0.3 */
    svg_axis_plan(&a, 0, 1, 10, 0, 1);
    cr_expect_eq(svg_tick(&a, 3), 0.3);
}

Test(html, money_labels_read_as_people_write_money)
{
    struct {
        double v, step;
        const char *want;
    } cases[] = {{1.2e6, 2e5, "1.2M"},    {500e3, 1e5, "500k"},     {0, 1e5, "0"},
                 {-250e3, 5e4, "\u2212250k"}, {2.5e9, 5e8, "2.5B"}, {1.25e6, 5e4, "1.25M"},
                 {1e6, 5e5, "1M"},        {750, 250, "750"},        {0.3, 0.1, "0.3"},
                 {3e12, 1e12, "3T"},      {1e-12, 1e5, "0"},        {-15e6, 5e6, "\u221215M"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[32];
        svg_fmt_money(b, sizeof b, cases[i].v, cases[i].step);
        cr_expect_str_eq(b, cases[i].want, "%g step %g", cases[i].v, cases[i].step);
    }
    char b[32];
    svg_fmt_share(b, sizeof b, 0.25, 0.25);
    cr_expect_str_eq(b, "25%");
    svg_fmt_share(b, sizeof b, 0.025, 0.005);
    cr_expect_str_eq(b, "2.5%");
    svg_fmt_share(b, sizeof b, 1, 0.25);
    cr_expect_str_eq(b, "100%");
}

/* ---- the page ---------------------------------------------------------------------------- */

/* Two offers against a walk-away with two uncertain inputs, and a variant: every chart. */
static const char *SCENARIO =
    "walkaway: 1\nname: Test & <page>\nhorizon: 2\ncurrency: EUR\nsimulation: {seed: 3}\n"
    "inputs:\n  x: {dist: normal, mean: 1000, sd: 100}\n"
    "  y: {dist: uniform, min: 800, max: 1300}\n"
    "offers:\n  - name: Big Offer/2026\n    costs:\n      - {label: fee, amount: x, year: 0}\n"
    "  - name: small\n    costs:\n      - {label: fee, amount: 0.9 * y, year: 0}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1000, year: 0}\n"
    "variants:\n  - name: dear\n    set: {y: 1400}\n";

static wa_result *run(const wa_scenario *sc, long variant, int threads)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 20000;
    o.threads = threads;
    o.variant = variant;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    wa_diagnostics_free(d);
    return r;
}

static wa_scenario *load(void)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_assert_eq(wa_scenario_load_buffer(SCENARIO, strlen(SCENARIO), "dir/t.yaml", &sc, d),
                 WA_OK);
    wa_diagnostics_free(d);
    return sc;
}

static char *page_of(const wa_result *const *r, size_t n)
{
    size_t len = 0;
    cr_assert_eq(wa_report_buffer(WA_FORMAT_HTML, r, n, NULL, 0, &len), WA_OK);
    char *page = malloc(len + 1);
    cr_assert_eq(wa_report_buffer(WA_FORMAT_HTML, r, n, page, len + 1, NULL), WA_OK);
    cr_assert_eq(strlen(page), len);
    return page;
}

static size_t count(const char *s, const char *sub)
{
    size_t n = 0;
    for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub))
        n++;
    return n;
}

Test(html, page_has_every_chart_with_its_title_and_nothing_fetched)
{
    wa_scenario *sc = load();
    wa_result *r[2] = {run(sc, -1, 2), run(sc, 0, 2)};
    char *page = page_of((const wa_result *const *)r, 2);

    cr_expect(!strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">", 32));
    cr_expect(strstr(page, "</html>\n") != NULL);
    /* one <svg> per chart of each run, each opening with its <title> and <desc> */
    size_t charts = wa_chart_count(r[0]) + wa_chart_count(r[1]);
    cr_expect_eq(charts, 2 * (1 + 2 * 3 + 1), "S-curves, 3 per offer, EVPPI");
    cr_expect_eq(count(page, "<svg"), charts);
    cr_expect_eq(count(page, "</svg>"), charts);
    for (const char *p = strstr(page, "<svg"); p; p = strstr(p + 1, "<svg")) {
        const char *gt = strchr(p, '>');
        cr_assert(gt);
        cr_expect(!strncmp(gt + 1, "\n<title>", 8), "an <svg> without its <title> first");
        const char *t = strstr(gt, "</title>\n<desc>");
        const char *next = strstr(gt, "<svg");
        cr_expect(t && (!next || t < next), "an <svg> without its <desc>");
        cr_expect(strncmp(gt + 9, "</title>", 8), "an empty <title>");
    }
    /* one bar per bin of each offer's histogram of D */
    size_t bins = 0;
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < 2; k++)
            bins += wa_result_histogram(r[i], WA_OF_ADVANTAGE, k)->nbins;
    cr_expect_eq(count(page, "<rect class=\"bar"), bins);
    /* nothing fetched, nothing run */
    cr_expect_null(strstr(page, "http://"));
    cr_expect_null(strstr(page, "https://"));
    cr_expect_null(strstr(page, "<script"));
    cr_expect_null(strstr(page, "<img"));
    cr_expect_null(strstr(page, "<link"));
    cr_expect_null(strstr(page, "@import"));
    cr_expect_null(strstr(page, "@font-face"));
    cr_expect(strstr(page, "default-src 'none'") != NULL);
    /* printed on A4, a new page per run */
    cr_expect(strstr(page, "@media print{@page{size:A4") != NULL);
    cr_expect(strstr(page, "section.run{break-before:page}") != NULL);
    cr_expect_eq(count(page, "<section class=\"run\""), 2);
    /* the contents link every run and offer to a section that exists */
    const char *links[] = {"href=\"#r1\"", "href=\"#r2\"", "href=\"#r1-o1\"", "href=\"#r2-o2\""};
    const char *ids[] = {"id=\"r1\"", "id=\"r2\"", "id=\"r1-o1\"", "id=\"r2-o2\""};
    for (int i = 0; i < 4; i++) {
        cr_expect(strstr(page, links[i]) != NULL, "%s", links[i]);
        cr_expect_eq(count(page, ids[i]), 1, "%s", ids[i]);
    }
    /* ids unique across charts: c1, c2 ... */
    cr_expect_eq(count(page, "id=\"c1-h\""), 1);
    cr_expect_eq(count(page, "id=\"c10-h\""), 1);
    /* the answer first: before the first run's section */
    cr_expect(strstr(page, "<h2>The answer</h2>") < strstr(page, "<section class=\"run\""));
    /* names are escaped */
    cr_expect(strstr(page, "Test &amp; &lt;page&gt;") != NULL);
    cr_expect_null(strstr(page, "<page>"));
    free(page);
    wa_result_free(r[0]);
    wa_result_free(r[1]);
    wa_scenario_free(sc);
}

Test(html, page_is_the_same_for_any_thread_count)
{
    wa_scenario *sc = load();
    wa_result *a = run(sc, -1, 1), *b = run(sc, -1, 3);
    char *pa = page_of((const wa_result *const *)&a, 1), *pb = page_of((const wa_result *const *)&b, 1);
    cr_expect_str_eq(pa, pb);
    free(pa);
    free(pb);
    wa_result_free(a);
    wa_result_free(b);
    wa_scenario_free(sc);
}

Test(html, tornado_has_two_bars_per_input)
{
    wa_scenario *sc = load();
    wa_result *r = run(sc, -1, 1);
    char *page = page_of((const wa_result *const *)&r, 1);
    /* each offer reads one input: one row in its tornado */
    size_t rows = 0;
    for (size_t k = 0; k < 2; k++)
        rows += wa_result_offer(r, k)->nsensitivity;
    cr_expect_eq(count(page, "<rect class=\"lo\""), rows);
    cr_expect_eq(count(page, "<rect class=\"hi\""), rows);
    free(page);
    wa_result_free(r);
    wa_scenario_free(sc);
}

Test(html, empty_page_of_every_kind)
{
    char *page = page_of(NULL, 0);
    cr_expect(strstr(page, "<p>No results.</p>") != NULL);
    cr_expect_null(strstr(page, "<svg"));
    free(page);
    /* sweeps and solves have pages too (tests/test_study_charts.c): none is no results */
    size_t len = 0;
    char buf[8192];
    cr_expect_eq(wa_report_sweep_buffer(WA_FORMAT_HTML, NULL, 0, buf, sizeof buf, &len), WA_OK);
    cr_expect(strstr(buf, "<p>No results.</p>") != NULL);
    cr_expect_eq(wa_report_solve_buffer(WA_FORMAT_HTML, NULL, 0, buf, sizeof buf, &len), WA_OK);
    cr_expect(strstr(buf, "<p>No results.</p>") != NULL);
    cr_expect_str_eq(wa_format_name(WA_FORMAT_HTML), "html");
}

/* ---- charts one by one ------------------------------------------------------------------- */

Test(html, charts_are_named_after_scenario_variant_offer_and_chart)
{
    wa_scenario *sc = load();
    wa_result *r = run(sc, -1, 1), *v = run(sc, 0, 1);
    const char *want[] = {"t-base-scurves.svg",
                          "t-base-big-offer-2026-histogram.svg",
                          "t-base-big-offer-2026-tornado.svg",
                          "t-base-big-offer-2026-spider.svg",
                          "t-base-small-histogram.svg",
                          "t-base-small-tornado.svg",
                          "t-base-small-spider.svg",
                          "t-base-evppi.svg"};
    cr_assert_eq(wa_chart_count(r), 8);
    for (size_t i = 0; i < 8; i++) {
        char name[128];
        size_t len = wa_chart_name(r, i, name, sizeof name);
        cr_expect_str_eq(name, want[i]);
        cr_expect_eq(len, strlen(want[i]));
    }
    char name[128];
    wa_chart_name(v, 0, name, sizeof name);
    cr_expect_str_eq(name, "t-dear-scurves.svg");
    /* like snprintf: cut to fit, the whole length returned; 0 out of range */
    char small[8];
    cr_expect_eq(wa_chart_name(r, 0, small, sizeof small), strlen(want[0]));
    cr_expect_str_eq(small, "t-base-");
    cr_expect_eq(wa_chart_name(r, 0, NULL, 0), strlen(want[0]));
    cr_expect_eq(wa_chart_name(r, 8, name, sizeof name), 0);
    cr_expect_str_eq(name, "");
    wa_result_free(r);
    wa_result_free(v);
    wa_scenario_free(sc);
}

Test(html, a_chart_alone_is_a_whole_svg_document)
{
    wa_scenario *sc = load();
    wa_result *r = run(sc, -1, 1);
    for (size_t i = 0; i < wa_chart_count(r); i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        cr_assert_eq(wa_chart_write(m, r, i), WA_OK);
        fclose(m);
        cr_expect(!strncmp(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 50));
        cr_expect(strstr(text, "<title>") && strstr(text, "<desc>") && strstr(text, "<style>"));
        cr_expect_eq(count(text, "<svg"), 1);
        cr_expect(len > 8 && !strcmp(text + len - 7, "</svg>\n"));
        cr_expect_null(strstr(text, "<script"));
        free(text);
    }
    FILE *f = tmpfile();
    cr_expect_eq(wa_chart_write(f, r, wa_chart_count(r)), WA_EUSAGE);
    cr_expect_eq(wa_chart_write(NULL, r, 0), WA_EUSAGE);
    cr_expect_eq(wa_chart_write(f, NULL, 0), WA_EUSAGE);
    fclose(f);
    cr_expect_eq(wa_chart_count(NULL), 0);
    wa_result_free(r);
    wa_scenario_free(sc);
}

Test(html, a_run_without_insight_has_no_charts_but_a_page)
{
    wa_scenario *sc = load();
    wa_diagnostics *d = wa_diagnostics_new();
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 1000;
    o.no_insight = 1;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    cr_expect_eq(wa_chart_count(r), 0);
    char *page = page_of((const wa_result *const *)&r, 1);
    cr_expect_null(strstr(page, "<svg"));
    cr_expect(strstr(page, "<h2>The answer</h2>") != NULL);
    free(page);
    wa_result_free(r);
    wa_diagnostics_free(d);
    wa_scenario_free(sc);
}
