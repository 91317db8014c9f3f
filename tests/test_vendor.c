/*
 * test_vendor.c — the vendor's side of the table (SPEC 1.6 and 2): the section's loading and
 * its errors, and every vendor figure against an exact answer, with tolerances of four
 * standard errors stated where they are used.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "walkaway.h"

#define N 200000
#define PI 3.14159265358979323846

static wa_scenario *load_ok(const char *yaml, wa_diagnostics *d)
{
    wa_scenario *sc = NULL;
    wa_status st = wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d);
    if (st != WA_OK) {
        char buf[2048];
        wa_diagnostic_format(wa_diagnostics_get(d, 0), buf, sizeof buf);
        cr_log_error("%s", buf);
    }
    cr_assert_eq(st, WA_OK);
    return sc;
}

static wa_result *run_text(const char *yaml, uint64_t trials, int threads)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = load_ok(yaml, d);
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

/* The first error's first line, and every diagnostic, of a file that does not load. */
static void load_fails(const char *yaml, const char *first)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    cr_expect_eq(wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d), WA_EINVALID);
    cr_assert_null(sc);
    char buf[2048] = "";
    for (size_t i = 0; i < wa_diagnostics_count(d); i++)
        if (wa_diagnostics_get(d, i)->severity == WA_ERROR) {
            wa_diagnostic_format(wa_diagnostics_get(d, i), buf, sizeof buf);
            break;
        }
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    cr_expect_str_eq(buf, first);
    wa_diagnostics_free(d);
}

static double se_prop(double p, double n) { return sqrt(p * (1 - p) / n); }

/* The buyer's walk W ~ Normal(2M, 300k) and the vendor's walk R ~ Normal(1M, 200k),
   independent: P(W > R) = Phi(1M / sqrt(300k^2 + 200k^2)); W - R ~ Normal(1M, 360.6k); the
   settlement range [1M + 200k z_c, 2M - 300k z_c]. A quantile's SE is
   sqrt(c (1 - c) / n) / density there: sigma sqrt(c (1 - c) / n) / phi(z_c). */
static const char *normal_walks =
    "walkaway: 1\nhorizon: 1\ndiscount_rate: 0%\nsimulation: {seed: 5, confidence: 0.8}\n"
    "inputs:\n  w: {dist: normal, mean: 2M, sd: 300k}\n  r: {dist: normal, mean: 1M, sd: 200k}\n"
    "vendor:\n  name: Supplier\n  tables:\n"
    "    - {name: account-executive, counts: [new-licence]}\n"
    "    - {name: back-table, counts: all}\n"
    "  walk:\n    revenue:\n      - {label: recovery, amount: r, year: 0, booked_as: compliance}\n"
    "offers:\n  - name: pay-claim\n    costs:\n"
    "      - {label: claim, amount: 1.5M, year: 0, booked_as: compliance}\n"
    "  - name: buy\n    costs:\n"
    "      - {label: licences, amount: 1.2M, year: 0, booked_as: new-licence}\n"
    "    concessions:\n      - {label: services, amount: 150k, year: 0, vendor_value: 60k}\n"
    "    savings:\n      - {label: smaller estate, amount: 40k, year: 0}\n"
    "alternatives:\n  - name: fight\n    costs:\n      - {label: fight, amount: w, year: 0}\n";

Test(vendor, the_zone_of_agreement_of_two_normal_walks_is_in_closed_form)
{
    wa_result *r = run_text(normal_walks, N, 2);
    const wa_summary *s = wa_result_summary(r);
    cr_assert_str_eq(s->vendor, "Supplier");
    double c = 0.8, z = gsl_cdf_ugaussian_Pinv(c), phi = exp(-z * z / 2) / sqrt(2 * PI);
    double sw = sqrt(300e3 * 300e3 + 200e3 * 200e3);
    double p = gsl_cdf_ugaussian_P(1e6 / sw);
    cr_expect(fabs(s->zopa_p_exists - p) < 4 * se_prop(p, N), "%g vs %g", s->zopa_p_exists, p);
    cr_expect(fabs(s->zopa_width.mean - 1e6) < 4 * sw / sqrt(N), "%g", s->zopa_width.mean);
    cr_expect(fabs(s->vendor_walk.mean - 1e6) < 4 * 200e3 / sqrt(N));
    double qse = sqrt(c * (1 - c) / N) / phi;
    cr_assert(s->has_settlement_range);
    cr_expect(fabs(s->settlement_range[0] - (1e6 + 200e3 * z)) < 4 * 200e3 * qse, "%g",
              s->settlement_range[0]);
    cr_expect(fabs(s->settlement_range[1] - (2e6 - 300e3 * z)) < 4 * 300e3 * qse, "%g",
              s->settlement_range[1]);
    wa_result_free(r);
}

Test(vendor, a_table_that_counts_new_licences_values_a_compliance_payment_at_zero)
{
    wa_result *r = run_text(normal_walks, N, 2);
    const wa_offer_summary *pay = wa_result_offer(r, 0);
    cr_assert(pay->has_vendor);
    cr_assert_eq(pay->nvendor_tables, 2);
    const wa_vendor_table_summary *ae = wa_result_vendor_table(r, 0, 0);
    cr_assert_str_eq(ae->name, "account-executive");
    /* neither the claim nor the vendor's walk is booked as new-licence: 0 in every trial */
    cr_expect_eq(ae->value.mean, 0);
    cr_expect_eq(ae->value.min, 0);
    cr_expect_eq(ae->value.max, 0);
    cr_expect_eq(ae->p_prefers, 0);
    cr_expect_eq(pay->p_accepts, 0);
    cr_expect_eq(pay->p_deal, 0);
    /* the back table counts all: V = 1.5M - R, R ~ N(1M, 200k); P(V > 0) = Phi(2.5) */
    const wa_vendor_table_summary *bt = wa_result_vendor_table(r, 0, 1);
    cr_expect(fabs(bt->value.mean - 0.5e6) < 4 * 200e3 / sqrt(N));
    double p = gsl_cdf_ugaussian_P(2.5);
    cr_expect(fabs(bt->p_prefers - p) < 4 * se_prop(p, N), "%g", bt->p_prefers);
    cr_expect_null(wa_result_vendor_table(r, 0, 2));
    wa_result_free(r);
}

Test(vendor, vendor_value_prices_the_services_and_savings_count_only_with_one)
{
    wa_result *r = run_text(normal_walks, N, 1);
    const wa_offer_summary *buy = wa_result_offer(r, 1);
    /* to the account executive: the licences alone, 1.2M in every trial */
    const wa_vendor_table_summary *ae = wa_result_vendor_table(r, 1, 0);
    cr_expect_eq(ae->value.min, 1.2e6);
    cr_expect_eq(ae->value.max, 1.2e6);
    cr_expect_eq(ae->p_prefers, 1);
    /* to the back table: 1.2M - 60k (the services cost it 60k, not the buyer's 150k; the
       saving is nothing to it) - R */
    const wa_vendor_table_summary *bt = wa_result_vendor_table(r, 1, 1);
    cr_expect(fabs(bt->value.mean - 0.14e6) < 4 * 200e3 / sqrt(N), "%g", bt->value.mean);
    cr_expect(fabs(bt->value.sd - 200e3) < 4 * 200e3 / sqrt(2.0 * N), "%g", bt->value.sd);
    /* the buyer: O = 1.2M - 150k - 40k = 1.01M against W ~ N(2M, 300k) */
    double pb = gsl_cdf_ugaussian_P(0.99e6 / 300e3);
    cr_expect(fabs(buy->p_buyer_prefers - pb) < 4 * se_prop(pb, N) + 1.0 / N);
    /* joint gain: E[W - O] + E[V] = 0.99M + 0.14M */
    cr_expect(fabs(buy->joint_gain - 1.13e6) < 4 * sqrt(300e3 * 300e3 + 200e3 * 200e3) / sqrt(N),
              "%g", buy->joint_gain);
    wa_result_free(r);
}

/* The buyer prefers the offer (O = 1M) when the fight happens (W = 2M, p1 = 0.6, else 0);
   the vendor's single table prefers it (V = 1M - R) unless its recovery happens (R = 3M,
   p2 = 0.3): independent events, so p_deal = p1 (1 - p2) = 0.42. */
Test(vendor, p_deal_of_independent_events_is_their_product)
{
    const char *y =
        "walkaway: 1\nhorizon: 1\ndiscount_rate: 0%\nsimulation: {seed: 11}\n"
        "inputs:\n  fight: {dist: bernoulli, p: 0.6}\n  recover: {dist: bernoulli, p: 0.3}\n"
        "vendor:\n  walk:\n    revenue:\n      - {label: recovery, amount: 3M * recover, year: 0}\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1M, year: 0}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2M * fight, year: 0}\n";
    wa_result *r = run_text(y, N, 2);
    const wa_offer_summary *o = wa_result_offer(r, 0);
    cr_expect_str_eq(wa_result_summary(r)->vendor, "vendor");
    cr_assert_eq(o->nvendor_tables, 1);
    cr_expect_str_eq(wa_result_vendor_table(r, 0, 0)->name, "vendor");
    cr_expect(fabs(o->p_buyer_prefers - 0.6) < 4 * se_prop(0.6, N));
    cr_expect(fabs(o->p_accepts - 0.7) < 4 * se_prop(0.7, N));
    cr_expect(fabs(o->p_deal - 0.42) < 4 * se_prop(0.42, N), "%g", o->p_deal);
    wa_result_free(r);
}

/* The vendor's own discount rate; the same bits on any thread count. */
Test(vendor, the_vendor_discounts_at_its_own_rate_and_threads_change_no_bit)
{
    const char *y =
        "walkaway: 1\nhorizon: 2\ndiscount_rate: 0%\nsimulation: {seed: 3}\n"
        "inputs:\n  x: {dist: uniform, min: 0, max: 1M}\n"
        "vendor:\n  discount_rate: 10%\n  walk:\n    costs:\n"
        "      - {label: litigation, amount: 100k, year: 0}\n"
        "offers:\n  - name: o\n    costs:\n"
        "      - {label: fee, amount: 1.21M, year: 2, booked_as: subscription}\n"
        "      - {label: u, amount: x, year: 1, probability: 0.5}\n"
        "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1M, year: 0}\n";
    wa_result *a = run_text(y, 50000, 1), *b = run_text(y, 50000, 2);
    const wa_vendor_table_summary *va = wa_result_vendor_table(a, 0, 0);
    /* 1.21M / 1.1^2 = 1M, plus x / 1.1 in the half of trials where it happens, plus the
       100k of litigation it saves: min 1.1M */
    cr_expect(fabs(va->value.min - 1.1e6) < 1e-6 * 1.1e6, "%.3f", va->value.min);
    cr_expect(fabs(va->value.mean - (1.1e6 + 0.5 * 0.5e6 / 1.1)) < 4 * 0.4e6 / sqrt(50000.0),
              "%g", va->value.mean);
    const wa_vendor_table_summary *vb = wa_result_vendor_table(b, 0, 0);
    cr_expect(memcmp(&va->value, &vb->value, sizeof va->value) == 0);
    const wa_offer_summary *oa = wa_result_offer(a, 0), *ob = wa_result_offer(b, 0);
    cr_expect(oa->p_deal == ob->p_deal && oa->joint_gain == ob->joint_gain);
    wa_result_free(a);
    wa_result_free(b);
}

/* A sweep's point is the run that --set makes, vendor figures included, to the bit. */
Test(vendor, a_sweep_point_is_the_run_with_its_value_set)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = load_ok(normal_walks, d);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 20000;
    const char *vary[] = {"r=0.5M,1.5M"};
    wa_sweep *sw = NULL;
    cr_assert_eq(wa_sweep_run(sc, &o, vary, 1, &sw, d), WA_OK);
    const char *set[] = {"r=1.5M"};
    o.sets = set;
    o.nsets = 1;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK);
    const wa_result *p = wa_sweep_point(sw, 1);
    for (size_t k = 0; k < 2; k++) {
        cr_expect(wa_result_offer(p, k)->p_deal == wa_result_offer(r, k)->p_deal);
        cr_expect(wa_result_vendor_table(p, k, 1)->value.mean ==
                  wa_result_vendor_table(r, k, 1)->value.mean);
    }
    cr_expect(wa_result_summary(p)->settlement_range[0] == 1.5e6);
    /* with R = 1.5M the back table gains nothing from pay-claim: 1.5M - 1.5M */
    cr_expect_eq(wa_result_vendor_table(r, 0, 1)->p_prefers, 0);
    wa_result_free(r);
    wa_sweep_free(sw);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

#define TAIL                                                                              \
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0, booked_as: new-licence}\n" \
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n"

Test(vendor, the_section_is_checked_like_the_rest)
{
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  nmae: X\n" TAIL,
               "t.yaml:4:3: error: unknown key 'nmae' in vendor; did you mean 'name'?");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  tables:\n    - {name: ae, counts: new-licence}\n" TAIL,
               "t.yaml:5:26: error: 'counts' must be a list of booked_as words, or all");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  tables:\n    - {name: ae, counts: all}\n"
               "    - {name: ae, counts: [x]}\n" TAIL,
               "t.yaml:6:14: error: duplicate vendor table 'ae' (first at line 5)");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  tables: []\n" TAIL,
               "t.yaml:4:11: error: 'tables' needs at least one table (or leave it out: one "
               "table that counts every item)");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  discount_rate: -100%\n" TAIL,
               "t.yaml:4:18: error: discount_rate must be above -100%, not -100%");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  walk:\n    revenues: []\n" TAIL,
               "t.yaml:5:5: error: unknown key 'revenues' in the vendor's walk; did you mean "
               "'revenue'?");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  walk:\n    revenue:\n"
               "      - {label: r, amount: 1, year: 0, vendor_value: 2}\n" TAIL,
               "t.yaml:6:54: error: vendor_value belongs to an offer's items: what one of its "
               "cash flows is worth to the vendor");
    load_fails("walkaway: 1\nhorizon: 1\n"
               "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
               "alternatives:\n  - name: w\n    costs:\n"
               "      - {label: c, amount: 2, year: 0, booked_as: compliance}\n",
               "t.yaml:10:51: error: booked_as belongs to an offer's items and the vendor's "
               "walk: 'w' is an alternative, the buyer's own");
    load_fails("walkaway: 1\nhorizon: 1\nvendor:\n  walk:\n    costs:\n"
               "      - {label: r, amount: nope, year: 0}\n" TAIL,
               "t.yaml:6:28: error: unknown input 'nope'");
}

Test(vendor, a_table_counting_a_word_no_item_uses_is_a_warning)
{
    const char *y = "walkaway: 1\nhorizon: 1\nvendor:\n  tables:\n"
                    "    - {name: ae, counts: [new-licence, subscripton]}\n" TAIL;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = load_ok(y, d);
    cr_assert_eq(wa_diagnostics_count(d), 1);
    char buf[1024];
    wa_diagnostic_format(wa_diagnostics_get(d, 0), buf, sizeof buf);
    *strchr(buf, '\n') = '\0';
    cr_expect_str_eq(buf, "t.yaml:5:40: warning: vendor table 'ae' counts 'subscripton', which "
                          "no item is booked_as: it adds nothing to the table");
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}
