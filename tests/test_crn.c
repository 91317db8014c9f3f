/*
 * test_crn.c — common random numbers across variants (SPEC 1.5): an input a variant does
 * not touch receives exactly the same draws as in the base, under every sampling method,
 * whatever the variant pins, changes, derives or adds, correlated inputs included (the
 * copula is kept). Checked to the bit on the statistics of offers that read one input
 * each: any shifted stream or Sobol' dimension changes them.
 *
 * The model: five sampled inputs a..e, a, b and c joined by a copula, one offer per input
 * costing that input, and a constant input x that one variant makes uncertain.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "walkaway.h"

static const char *model =
    "walkaway: 1\nhorizon: 1\n"
    "inputs:\n"
    "  a: {dist: normal, mean: 10, sd: 2}\n"
    "  b: {dist: uniform, min: 0, max: 1}\n"
    "  x: 5\n"
    "  c: {dist: triangular, min: 0, mode: 3, max: 12}\n"
    "  d: {dist: pert, min: 1, mode: 2, max: 6}\n"
    "  e: {dist: lognormal, p10: 10, p90: 30}\n"
    "correlations:\n  - [a, b, 0.6]\n  - [b, c, 0.5]\n"
    "offers:\n"
    "  - {name: oa, costs: [{label: v, amount: a, year: 0}]}\n"
    "  - {name: ob, costs: [{label: v, amount: b, year: 0}]}\n"
    "  - {name: oc, costs: [{label: v, amount: c, year: 0}]}\n"
    "  - {name: od, costs: [{label: v, amount: d, year: 0}]}\n"
    "  - {name: oe, costs: [{label: v, amount: e, year: 0}]}\n"
    "  - {name: ox, costs: [{label: v, amount: x, year: 0}]}\n"
    "alternatives:\n  - {name: w, costs: [{label: v, amount: 1, year: 0}]}\n"
    "variants:\n"
    "  - {name: pin-b, set: {b: 0.5}}\n"                             /* a correlated input pinned */
    "  - {name: change-b, set: {b: {dist: uniform, min: 0, max: 2}}}\n" /* ... re-distributed */
    "  - {name: derive-b, set: {b: 'd / 10'}}\n"                     /* ... derived */
    "  - {name: pin-a, set: {a: 3}}\n"                               /* the copula's first */
    "  - {name: pin-d, set: {d: 2}}\n"                               /* an independent one */
    "  - {name: add-x, set: {x: {dist: uniform, min: 4, max: 6}}}\n" /* a new sampled input */
    "  - {name: many, set: {a: 1, d: 2, x: {dist: normal, mean: 5, sd: 1}}}\n";

/* offer index of each input: oa ob oc od oe ox */
static const char *const offers = "abcdex";

/* Which inputs each variant touches, in the order declared. */
static const char *const touched[] = {"b", "b", "b", "a", "d", "x", "adx"};

static wa_result *run(const wa_scenario *sc, wa_method m, long variant, const char *set)
{
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 10007; /* not a multiple of the block size */
    o.method = m;
    o.variant = variant;
    o.threads = 2;
    const char *sets[1] = {set};
    if (set) {
        o.sets = sets;
        o.nsets = 1;
    }
    wa_result *r = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_OK, "%s variant %ld",
                 wa_method_name(m), variant);
    wa_diagnostics_free(d);
    return r;
}

static int same(const wa_result *x, const wa_result *y, size_t k)
{
    return !memcmp(&wa_result_offer(x, k)->cost, &wa_result_offer(y, k)->cost, sizeof(wa_stats));
}

static wa_scenario *load(void)
{
    wa_scenario *sc = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_scenario_load_buffer(model, strlen(model), "crn.yaml", &sc, d), WA_OK);
    wa_diagnostics_free(d);
    return sc;
}

Test(crn, untouched_inputs_keep_their_draws_under_every_method)
{
    static const wa_method ms[] = {WA_METHOD_MONTE_CARLO, WA_METHOD_LATIN_HYPERCUBE,
                                   WA_METHOD_SOBOL};
    wa_scenario *sc = load();
    cr_assert_eq(wa_scenario_variant_count(sc), sizeof touched / sizeof touched[0]);
    for (size_t mi = 0; mi < 3; mi++) {
        wa_result *base = run(sc, ms[mi], -1, NULL);
        for (long v = 0; v < (long)wa_scenario_variant_count(sc); v++) {
            wa_result *var = run(sc, ms[mi], v, NULL);
            for (size_t k = 0; k < strlen(offers); k++) {
                int changed = strchr(touched[v], offers[k]) != NULL;
                /* derive-b reads d: b changes, d does not */
                if (!changed)
                    cr_expect(same(base, var, k), "%s, variant %s: input %c moved",
                              wa_method_name(ms[mi]), wa_scenario_variant_name(sc, (size_t)v),
                              offers[k]);
                else
                    cr_expect(!same(base, var, k), "%s, variant %s: input %c did not change",
                              wa_method_name(ms[mi]),
                              wa_scenario_variant_name(sc, (size_t)v), offers[k]);
            }
            wa_result_free(var);
        }
        wa_result_free(base);
    }
    wa_scenario_free(sc);
}

Test(crn, a_set_is_the_declared_variant_to_the_bit)
{
    static const wa_method ms[] = {WA_METHOD_MONTE_CARLO, WA_METHOD_LATIN_HYPERCUBE,
                                   WA_METHOD_SOBOL};
    wa_scenario *sc = load();
    long pin_b = wa_scenario_variant_find(sc, "pin-b"), add_x = wa_scenario_variant_find(sc, "add-x");
    for (size_t mi = 0; mi < 3; mi++) {
        wa_result *v1 = run(sc, ms[mi], pin_b, NULL), *s1 = run(sc, ms[mi], -1, "b=0.5");
        wa_result *v2 = run(sc, ms[mi], add_x, NULL),
                  *s2 = run(sc, ms[mi], -1, "x={dist: uniform, min: 4, max: 6}");
        for (size_t k = 0; k < strlen(offers); k++) {
            cr_expect(same(v1, s1, k), "%s: --set b=0.5, offer %zu", wa_method_name(ms[mi]), k);
            cr_expect(same(v2, s2, k), "%s: --set x=..., offer %zu", wa_method_name(ms[mi]), k);
        }
        wa_result_free(v1);
        wa_result_free(s1);
        wa_result_free(v2);
        wa_result_free(s2);
    }
    wa_scenario_free(sc);
}

/* With the copula kept, a correlated input the variant redistributes keeps its rank
   correlation with the others: b ~ U(0, 2) is a monotone map of b ~ U(0, 1) draw for
   draw, so under every method each trial's b is exactly twice the base's, and the offer
   that costs b has every statistic doubled (exact in binary floating point). */
Test(crn, a_redistributed_correlated_input_keeps_its_copula)
{
    wa_scenario *sc = load();
    long v = wa_scenario_variant_find(sc, "change-b");
    for (int m = WA_METHOD_MONTE_CARLO; m <= WA_METHOD_SOBOL; m++) {
        wa_result *base = run(sc, (wa_method)m, -1, NULL), *var = run(sc, (wa_method)m, v, NULL);
        const wa_stats *x = &wa_result_offer(base, 1)->cost, *y = &wa_result_offer(var, 1)->cost;
        cr_expect_eq(y->min, 2 * x->min);
        cr_expect_eq(y->p50, 2 * x->p50);
        cr_expect_eq(y->max, 2 * x->max);
        wa_result_free(base);
        wa_result_free(var);
    }
    wa_scenario_free(sc);
}
