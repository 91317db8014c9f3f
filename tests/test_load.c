/*
 * test_load.c — the loader: every rule of SPEC §1 it enforces, each error asserted as the
 * exact first line the user sees (file:line:column: error: message), and that all problems
 * of a file are reported, not just the first.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"
#include "sample/correlate.h"

/* A minimal valid scenario's tail, appended to fragments under test. */
#define OPTS                                                                          \
    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"   \
    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n"

typedef struct loaded {
    wa_status st;
    size_t nerr;
    char first[1024]; /* first line of the first error */
    char all[8192];   /* every diagnostic, formatted */
} loaded;

static loaded load(const char *yaml)
{
    loaded l;
    memset(&l, 0, sizeof l);
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    l.st = wa_scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &sc, d);
    l.nerr = wa_diagnostics_errors(d);
    size_t pos = 0;
    for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
        const wa_diagnostic *e = wa_diagnostics_get(d, i);
        pos += wa_diagnostic_format(e, l.all + pos, sizeof l.all - pos);
        if (pos >= sizeof l.all)
            pos = sizeof l.all - 1;
        if (e->severity == WA_ERROR && !l.first[0]) {
            wa_diagnostic_format(e, l.first, sizeof l.first);
            char *nl = strchr(l.first, '\n');
            if (nl)
                *nl = '\0';
        }
    }
    cr_assert((l.st == WA_OK) == (sc != NULL));
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return l;
}

static void expect_error(const char *yaml, const char *first)
{
    loaded l = load(yaml);
    cr_expect_eq(l.st, WA_EINVALID, "status %d for:\n%s", l.st, yaml);
    cr_expect_str_eq(l.first, first, "all diagnostics:\n%s", l.all);
}

Test(load, minimal_scenario_is_valid)
{
    loaded l = load("walkaway: 1\nhorizon: 5\n" OPTS);
    cr_expect_eq(l.st, WA_OK, "%s", l.all);
    cr_expect_eq(l.nerr, 0);
}

Test(load, the_spec_example_is_valid_but_for_unsupported_features)
{
    /* SPEC §1's example, with the metalog-free features of this version. */
    const char *y =
        "walkaway: 1\nname: IBM audit 2026 — settle or dispute\ncurrency: USD\nhorizon: 5\n"
        "discount_rate: 8%\nrisk_tolerance: 5M\n"
        "simulation:\n  trials: 2000\n  seed: 20261122\n  method: monte-carlo\n  confidence: 0.8\n"
        "inputs:\n  claimed_pvu: 5000\n  price_per_pvu: {dist: uniform, min: 180, max: 220}\n"
        "  subcap_share: {dist: pert, min: 0.25, mode: 0.35, max: 0.6}\n"
        "  migration: {dist: lognormal, p10: 400k, p90: 1.2M}\n"
        "  retraining: {dist: triangular, min: 50k, mode: 80k, max: 150k}\n"
        "  overrun: {dist: normal, mean: 20%, sd: 10%, truncate: {min: 0}}\n"
        "  migration_fails: {dist: bernoulli, p: 0.1}\n"
        "  uplift: {dist: discrete, values: [3%, 5%, 7%], weights: [0.5, 0.3, 0.2]}\n"
        "  claim: claimed_pvu * price_per_pvu\n"
        "correlations:\n  - [migration, retraining, 0.6]\n  - [migration, overrun, 0.4]\n"
        "offers:\n  - name: opening-claim\n    costs:\n"
        "      - {label: settlement, amount: claim, year: 0}\n"
        "      - {label: S&S, amount: 20% * claim, years: [1, 5], growth: uplift}\n"
        "  - name: restructured\n    description: new licences\n    costs:\n"
        "      - {label: new licences, amount: 900k, year: 0}\n"
        "      - {label: S&S, amount: 180k, years: [1, 5], growth: uplift}\n"
        "    concessions:\n      - {label: free professional services, amount: 150k, year: 0}\n"
        "alternatives:\n  - name: dispute\n    costs:\n"
        "      - {label: defensible exposure, amount: claim * subcap_share, year: 0}\n"
        "      - {label: advisory and legal, amount: {dist: triangular, min: 50k, mode: 120k, max: 300k}, year: 0}\n"
        "  - name: migrate\n    costs:\n"
        "      - {label: migration, amount: migration * (1 + overrun), year: 0}\n"
        "      - {label: retraining, amount: retraining, year: 1}\n"
        "      - {label: failed cut-over, amount: migration_fails * 2M, year: 1}\n"
        "      - {label: new platform, amount: 300k, years: [1, 5], growth: 3%}\n"
        "    savings:\n      - {label: decommissioned hardware, amount: 40k, year: 1}\n"
        "walk: dispute\n"
        "variants:\n  - name: vendor-narrative\n    set:\n"
        "      migration: {dist: lognormal, p10: 900k, p90: 3M}\n"
        "  - name: flat-uplift\n    set: {uplift: 3%}\n";
    loaded l = load(y);
    cr_expect_eq(l.st, WA_OK, "%s", l.all);
}

Test(load, unknown_top_level_key_suggests)
{
    expect_error("walkaway: 1\nhorizn: 5\n" OPTS,
                 "t.yaml:2:1: error: unknown key 'horizn' in the scenario; did you mean 'horizon'?");
}

Test(load, missing_horizon)
{
    expect_error("walkaway: 1\n" OPTS, "t.yaml:1:1: error: missing required key 'horizon'");
}

Test(load, missing_version)
{
    expect_error("horizon: 1\n" OPTS,
                 "t.yaml:1:1: error: missing required key 'walkaway' (the format version: walkaway: 1)");
}

Test(load, unsupported_version)
{
    expect_error("walkaway: 2\nhorizon: 1\n" OPTS,
                 "t.yaml:1:11: error: unsupported format version '2': this walkaway reads version 1");
}

Test(load, empty_file)
{
    expect_error("", "t.yaml:1:1: error: the file is empty: a scenario starts with 'walkaway: 1'");
    expect_error("# only a comment\n",
                 "t.yaml:1:1: error: the file is empty: a scenario starts with 'walkaway: 1'");
}

Test(load, root_must_be_a_mapping)
{
    expect_error("- a\n- b\n",
                 "t.yaml:1:1: error: a scenario must be a mapping of keys (walkaway, horizon, inputs, offers, alternatives ...), not a sequence");
}

Test(load, horizon_range)
{
    expect_error("walkaway: 1\nhorizon: 101\n" OPTS,
                 "t.yaml:2:10: error: horizon must be a whole number from 1 to 100, not 101");
    expect_error("walkaway: 1\nhorizon: 2.5\n" OPTS,
                 "t.yaml:2:10: error: horizon must be a whole number from 1 to 100, not 2.5");
}

Test(load, unknown_input_suggests_nearest)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  migration: 5\n  cost: 2 * migraton\n" OPTS,
                 "t.yaml:5:13: error: unknown input 'migraton'; did you mean 'migration'?");
}

Test(load, cycle_lists_names)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  a: b + 1\n  b: c * 2\n  c: a\n" OPTS,
                 "t.yaml:4:3: error: inputs form a cycle: a -> b -> c -> a");
}

Test(load, self_reference_is_a_cycle)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  a: a + 1\n" OPTS,
                 "t.yaml:4:3: error: inputs form a cycle: a -> a");
}

Test(load, uncertain_distribution_parameter)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  base: {dist: uniform, min: 1, max: 2}\n"
                 "  x: {dist: normal, mean: base, sd: 1}\n" OPTS,
                 "t.yaml:5:27: error: distribution parameter 'mean' must be a constant, but 'base' is uncertain");
}

Test(load, constant_inputs_may_set_parameters)
{
    loaded l = load("walkaway: 1\nhorizon: h\ninputs:\n  h: 3\n  lo: 10\n"
                    "  x: {dist: uniform, min: lo, max: 2 * lo}\n" OPTS);
    cr_expect_eq(l.st, WA_OK, "%s", l.all);
}

Test(load, year_outside_horizon)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 4}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:39: error: year 4 is outside the horizon 0..3");
}

Test(load, years_must_be_ordered_pair)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, years: [3, 1]}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:40: error: 'years' must be [first, last] with first <= last, not [3, 1]");
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, years: [1]}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:40: error: 'years' must be [first, last], not a list of 1");
}

Test(load, year_and_years_exclusive)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 1, years: [1, 2]}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:9: error: item 'fee' needs exactly one of 'year' and 'years'");
}

Test(load, years_must_be_constant)
{
    expect_error("walkaway: 1\nhorizon: 3\ninputs:\n  y: {dist: uniform, min: 0, max: 1}\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, years: [y, 3]}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:8:41: error: years must be a constant, but 'y' is uncertain");
}

Test(load, unknown_item_key_suggests)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amout: 1, year: 1}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:22: error: unknown key 'amout' in an item; did you mean 'amount'?");
}

Test(load, duplicate_option_name)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 1}\n"
                 "alternatives:\n  - name: o\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:8:11: error: duplicate option name 'o' (first at line 4)");
}

Test(load, duplicate_label)
{
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 1}\n"
                 "      - {label: fee, amount: 1, year: 2}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:7:17: error: duplicate label 'fee' in 'o' (first at line 6)");
}

Test(load, walk_must_name_an_alternative)
{
    expect_error("walkaway: 1\nhorizon: 1\n" OPTS "walk: x\n",
                 "t.yaml:11:7: error: 'walk' names 'x', which is not an alternative (write an alternative's name, or 'best')");
    expect_error("walkaway: 1\nhorizon: 1\n" OPTS "walk: ww\n",
                 "t.yaml:11:7: error: 'walk' names 'ww', which is not an alternative; did you mean 'w'?");
    expect_error("walkaway: 1\nhorizon: 1\n" OPTS "walk: o\n",
                 "t.yaml:11:7: error: 'walk' must name an alternative, and 'o' is an offer");
}

Test(load, walk_required_with_several_alternatives)
{
    expect_error("walkaway: 1\nhorizon: 1\n" OPTS "  - name: w2\n    costs: []\n",
                 "t.yaml:1:1: error: 'walk' is required when there are several alternatives: name one, or write 'walk: best'");
}

Test(load, offers_required)
{
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:1:1: error: missing required key 'offers'");
    expect_error("walkaway: 1\nhorizon: 1\noffers: []\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:3:9: error: 'offers' needs at least one offer");
}

Test(load, invalid_and_reserved_input_names)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  2x: 1\n" OPTS,
                 "t.yaml:4:3: error: input name '2x' is not valid: use letters, digits and '_', not starting with a digit");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  t: 1\n" OPTS,
                 "t.yaml:4:3: error: 't' is reserved and cannot name an input");
}

Test(load, wrong_types)
{
    expect_error("walkaway: 1\nhorizon: [1]\n" OPTS,
                 "t.yaml:2:10: error: 'horizon' must be a number or an expression, not a sequence");
    expect_error("walkaway: 1\nhorizon: 1\ninputs: [a]\n" OPTS,
                 "t.yaml:3:9: error: 'inputs' must be a mapping, not a sequence");
    expect_error("walkaway: 1\nhorizon:\n" OPTS, "t.yaml:2:9: error: 'horizon' has no value");
}

Test(load, input_mapping_without_dist)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {min: 1}\n" OPTS,
                 "t.yaml:4:6: error: 'x' is a mapping without 'dist': write a number, an expression, or a distribution such as {dist: uniform, min: 1, max: 2}");
}

Test(load, constant_overflow_is_an_error)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: 1e300 * 1e300\n" OPTS,
                 "t.yaml:4:6: error: input 'x' is not a finite number (1e300 * 1e300 gives inf)");
}

Test(load, simulation_settings)
{
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {trails: 10}\n" OPTS,
                 "t.yaml:3:14: error: unknown key 'trails' in simulation; did you mean 'trials'?");
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {trials: 0}\n" OPTS,
                 "t.yaml:3:22: error: trials must be a whole number from 1 to 10000000000, not 0");
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {confidence: 1}\n" OPTS,
                 "t.yaml:3:26: error: confidence must be between 0 and 1 (exclusive), not 1");
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {method: sobel}\n" OPTS,
                 "t.yaml:3:22: error: unknown method 'sobel'; did you mean 'sobol'?");
    cr_expect_eq(load("walkaway: 1\nhorizon: 1\nsimulation: {method: sobol}\n" OPTS).st, WA_OK);
    cr_expect_eq(load("walkaway: 1\nhorizon: 1\nsimulation: {method: latin-hypercube}\n" OPTS).st, WA_OK);
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {seed: 18446744073709551616}\n" OPTS,
                 "t.yaml:3:20: error: seed must be a whole number from 0 to 18446744073709551615, not 18446744073709551616");
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {strict: maybe}\n" OPTS,
                 "t.yaml:3:22: error: strict must be true or false, not 'maybe'");
}

Test(load, correlations_checked)
{
    const char *in = "walkaway: 1\nhorizon: 1\ninputs:\n  a: {dist: uniform, min: 0, max: 1}\n"
                     "  b: {dist: uniform, min: 0, max: 1}\n  c: a + b\n" OPTS;
    char y[2048];
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, c, 0.5]\n", in);
    expect_error(y, "t.yaml:16:9: error: correlations apply to sampled inputs, and 'c' is derived from others");
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, b, 1]\n", in);
    expect_error(y, "t.yaml:16:12: error: a correlation must be above -1 and below 1, not 1");
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, a, 0.1]\n", in);
    expect_error(y, "t.yaml:16:5: error: an input cannot be correlated with itself ('a')");
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, bb, 0.1]\n", in);
    expect_error(y, "t.yaml:16:9: error: unknown input 'bb'; did you mean 'b'?");
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, b, 0.1]\n  - [b, a, 0.2]\n", in);
    expect_error(y, "t.yaml:17:5: error: the correlation of 'b' and 'a' is already given at line 16");
}

/* A chain of n uniform inputs, each correlated with the next at rho: its first entry is at
   the returned line, column 5. The Pearson matrix of rho 0.5 (0.518 after the Spearman
   conversion) is tridiagonal with off-diagonal above 1/2: not valid once n is large. */
static char *chain(size_t n, double rho, int *line)
{
    size_t size = 64 + n * 120 + sizeof(OPTS), at = 0;
    char *y = malloc(size);
    cr_assert(y);
    at += (size_t)snprintf(y + at, size - at, "walkaway: 1\nhorizon: 1\n" OPTS "inputs:\n");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(y + at, size - at, "  x%zu: {dist: uniform, min: 0, max: 1}\n", i);
    at += (size_t)snprintf(y + at, size - at, "correlations:\n");
    *line = 1;
    for (size_t i = 0; i < at; i++)
        *line += y[i] == '\n';
    for (size_t i = 0; i + 1 < n; i++)
        at += (size_t)snprintf(y + at, size - at, "  - [x%zu, x%zu, %g]\n", i, i + 1, rho);
    return y;
}

Test(load, correlated_inputs_are_capped)
{
    int line;
    char want[512];
    /* 1001 inputs, valid or not: refused before any matrix is made */
    char *y = chain(WA_CORR_MAX_INPUTS + 1, 0.1, &line);
    snprintf(want, sizeof want,
             "t.yaml:%d:5: error: the correlations name 1001 inputs, and at most 1000 can be correlated (the copula's set-up grows with the cube of their number)",
             line);
    expect_error(y, want);
    free(y);
    /* a valid matrix of 1000 loads */
    y = chain(WA_CORR_MAX_INPUTS, 0.1, &line);
    cr_expect_eq(load(y).st, WA_OK);
    free(y);
    /* an invalid one of 301 is not repaired; one of 300 is, to the nearest valid matrix */
    y = chain(WA_CORR_REPAIR_MAX + 1, 0.5, &line);
    snprintf(want, sizeof want,
             "t.yaml:%d:5: error: the rank correlations asked for are not a valid correlation matrix, and with 301 correlated inputs it is too large to repair (at most 300): make it valid, or correlate fewer inputs",
             line);
    expect_error(y, want);
    free(y);
    y = chain(WA_CORR_REPAIR_MAX, 0.5, &line);
    loaded l = load(y);
    cr_expect_eq(l.st, WA_OK, "%s", l.all);
    snprintf(want, sizeof want,
             "t.yaml:%d:5: warning: the rank correlations asked for are not a valid correlation matrix; the nearest valid one is used instead.",
             line);
    cr_expect(strncmp(l.all, want, strlen(want)) == 0, "%s", l.all);
    free(y);
}

Test(load, variants_checked)
{
    const char *in = "walkaway: 1\nhorizon: 1\ninputs:\n  migration: 5\n" OPTS;
    char y[2048];
    snprintf(y, sizeof y, "%svariants:\n  - name: v\n    set: {migraton: 3}\n", in);
    expect_error(y, "t.yaml:15:11: error: cannot set 'migraton': there is no such input; did you mean 'migration'?");
    snprintf(y, sizeof y, "%svariants:\n  - name: v\n    set: {migration: 3}\n  - name: v\n    set: {}\n",
             in);
    expect_error(y, "t.yaml:16:11: error: duplicate variant name 'v' (first at line 14)");
    snprintf(y, sizeof y, "%svariants:\n  - name: v\n", in);
    expect_error(y, "t.yaml:14:5: error: variant 'v' needs 'set': the inputs it changes");
}

Test(load, every_problem_is_reported)
{
    loaded l = load("walkaway: 1\nhorizn: 5\ninputs:\n  a: b\n  c: {dist: normal, mean: 0, sd: 1, foo: 2}\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: zz, year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 9}\n");
    cr_expect_eq(l.st, WA_EINVALID);
    /* horizn unknown, horizon missing, b unknown, foo unknown, zz unknown, year 9 */
    cr_expect(strstr(l.all, "t.yaml:2:1: error: unknown key 'horizn'") != NULL, "%s", l.all);
    cr_expect(strstr(l.all, "t.yaml:4:6: error: unknown input 'b'") != NULL, "%s", l.all);
    cr_expect(strstr(l.all, "t.yaml:9:30: error: unknown input 'zz'") != NULL, "%s", l.all);
    cr_expect(strstr(l.all, "t.yaml:1:1: error: missing required key 'horizon'") != NULL, "%s", l.all);
    /* with the horizon unknown, year 9 is not reported as outside it */
    cr_expect(strstr(l.all, "outside the horizon") == NULL, "%s", l.all);
    cr_expect_eq(l.nerr, 5, "%s", l.all);
}

Test(load, caret_under_the_column)
{
    loaded l = load("walkaway: 1\nhorizon: 1\ninputs:\n  x: 2 * (3 + \n" OPTS);
    cr_expect_eq(l.st, WA_EINVALID);
    cr_expect(strstr(l.all, "  x: 2 * (3 +\n") != NULL || strstr(l.all, "  x: 2 * (3 + \n") != NULL,
              "%s", l.all);
}

Test(load, option_and_item_shapes)
{
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - costs: []\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:4:5: error: an offer needs a 'name'");
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: ''\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:4:11: error: 'name' must not be empty");
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n      - {amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:6:9: error: item needs a 'label'");
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n      - {label: '', amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:6:17: error: 'label' must not be empty");
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n      - {label: f, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:6:9: error: item 'f' needs an 'amount'");
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n      - {label: f, amount: 1, year: 0, probability: 1.5}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:6:53: error: probability must be between 0 and 1, not 1.5");
}

Test(load, input_shapes)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: [1, 2]\n" OPTS,
                 "t.yaml:4:6: error: input 'x' must be a number, an expression or a distribution, not a sequence");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: [normal]}\n" OPTS,
                 "t.yaml:4:13: error: 'dist' must name a distribution (constant, uniform, triangular, pert, normal, lognormal, beta, gamma, bernoulli, poisson, discrete)");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: normal, mean: {a: 1}, sd: 1}\n" OPTS,
                 "t.yaml:4:27: error: 'mean' must be a number or a list, not a mapping");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  u: {dist: uniform, min: 0, max: 1}\n"
                 "  x: {dist: normal, mean: 0, sd: 1, truncate: {min: u}}\n" OPTS,
                 "t.yaml:5:53: error: truncate 'min' must be a constant, but 'u' is uncertain");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: normal, mean: 0, sd: 1, truncate: {max: 1 +}}\n" OPTS,
                 "t.yaml:4:56: error: expected an expression");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  x: {dist: triangular, min: 0, mode: 12, max: 10}\n" OPTS,
                 "t.yaml:4:33: error: triangular needs min <= mode <= max (mode 12 is above max 10)");
}

Test(load, economics_ranges)
{
    expect_error("walkaway: 1\nhorizon: 1\ndiscount_rate: -100%\n" OPTS,
                 "t.yaml:3:16: error: discount_rate must be above -100%, not -100%");
    expect_error("walkaway: 1\nhorizon: 1\nrisk_tolerance: -5M\n" OPTS,
                 "t.yaml:3:17: error: risk_tolerance must be positive, not -5M");
    expect_error("walkaway: 1\nhorizon: 1\nsimulation: {precision: 0.5}\n" OPTS,
                 "t.yaml:3:25: error: precision must be above 0 and below 0.5, not 0.5");
}

Test(load, correlation_and_variant_shapes)
{
    const char *in = "walkaway: 1\nhorizon: 1\ninputs:\n  a: {dist: uniform, min: 0, max: 1}\n" OPTS;
    char y[2048];
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, 0.5]\n", in);
    expect_error(y, "t.yaml:14:5: error: a correlation is [input, input, rho], not a list of 2");
    snprintf(y, sizeof y, "%scorrelations:\n  - [a, [b], 0.5]\n", in);
    expect_error(y, "t.yaml:14:9: error: 'a correlated input' must be a scalar, not a sequence");
    snprintf(y, sizeof y, "%svariants:\n  - set: {a: 1}\n", in);
    expect_error(y, "t.yaml:14:5: error: a variant needs a 'name'");
    /* a variant's own problems are reported at the place they are written */
    snprintf(y, sizeof y, "%svariants:\n  - name: v\n    set: {a: {dist: uniform, min: 2, max: 1}}\n", in);
    expect_error(y, "t.yaml:15:14: error: uniform needs min < max (min 2 is not below max 1)");
    /* a variant that makes a constant uncertain is checked whole: the option that needs
       it constant says so (variants are built only when they run, but checked at load) */
    expect_error("walkaway: 1\nhorizon: 2\ninputs:\n  a: {dist: uniform, min: 0, max: 1}\n"
                 "  n: 1\noffers:\n  - {name: o, costs: [{label: x, amount: a, years: [0, n]}]}\n"
                 "alternatives:\n  - {name: w, costs: [{label: x, amount: 1, year: 0}]}\n"
                 "variants:\n  - name: v\n    set: {n: {dist: uniform, min: 1, max: 2}}\n",
                 "t.yaml:7:56: error: years must be a constant, but 'n' is uncertain");
}

Test(load, metalog_checked)
{
    const char *head = "walkaway: 1\nhorizon: 1\ninputs:\n";
    char y[2048];
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {0.1: 0, 0.5: 10, 0.9: 10.01}}\n" OPTS, head);
    expect_error(y, "t.yaml:4:33: error: metalog quantiles are not feasible: the fitted quantile function decreases near p = 0.71 (give quantiles that rise more smoothly, or fewer quantiles)");
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: [1, 2]}\n" OPTS, head);
    expect_error(y, "t.yaml:4:33: error: 'quantiles' must be a mapping, not a sequence");
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {0.5: 1}}\n" OPTS, head);
    expect_error(y, "t.yaml:4:33: error: metalog needs between 2 and 10 quantiles, got 1");
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {0.5: 1, 50%%: 2}}\n" OPTS, head);
    expect_error(y, "t.yaml:4:42: error: metalog quantile probability 0.5 is given twice");
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {0.1: 1, 0.9: 2}, lowr: 0}\n" OPTS, head);
    expect_error(y, "t.yaml:4:51: error: unknown key 'lowr' in a metalog; did you mean 'lower'?");
    snprintf(y, sizeof y, "%s  m: {dist: metalog}\n" OPTS, head);
    expect_error(y, "t.yaml:4:6: error: metalog needs 'quantiles', a mapping such as {0.1: 100k, 0.5: 150k, 0.9: 300k}");
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {0.1: 5, 0.9: 9}, lower: 5}\n" OPTS, head);
    expect_error(y, "t.yaml:4:33: error: quantile 0.1 = 5 is not above the lower bound 5");
    /* keys in any order and any form: pNN, a number, a percentage */
    snprintf(y, sizeof y, "%s  m: {dist: metalog, quantiles: {p90: 300k, 0.1: 100k, 50%%: 150k}, lower: 0}\n" OPTS, head);
    cr_expect_eq(load(y).st, WA_OK);
}

/* SPEC 1.1, Time: t is the year of a cash flow; nothing reads it as 0. */
Test(load, t_where_no_year_exists_is_an_error_at_the_t)
{
    expect_error("walkaway: 1\nhorizon: 3\ninputs:\n  y: {dist: uniform, min: t, max: 5}\n" OPTS,
                 "t.yaml:4:27: error: distribution parameter 'min' cannot use t: t is the year "
                 "of a cash flow, and only an item's amount, growth, probability and currency rate, and a "
                 "price_units count, are evaluated at one");
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    costs:\n"
                 "      - {label: fee, amount: 100, years: [t, 3]}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n",
                 "t.yaml:6:43: error: years cannot use t: t is the year of a cash flow, "
                 "and only an item's amount, growth, probability and currency rate, and a price_units "
                 "count, are evaluated at one");
    expect_error("walkaway: 1\nhorizon: t\n" OPTS,
                 "t.yaml:2:10: error: horizon cannot use t: t is the year of a cash flow, and "
                 "only an item's amount, growth, probability and currency rate, and a price_units count, "
                 "are evaluated at one");
}

Test(load, an_input_that_depends_on_t_is_per_year_and_refused_where_no_year_exists)
{
    expect_error("walkaway: 1\nhorizon: 3\ninputs:\n  staff_t: 5000 * (1 + 5%)^t\n"
                 "  rate: staff_t / 1000\n"
                 "  x: {dist: normal, mean: rate, sd: 10}\n" OPTS,
                 "t.yaml:6:27: error: 'rate' depends on the year t, which distribution "
                 "parameter 'mean' does not have: only an item's amount, growth, probability "
                 "and currency rate, and a price_units count, are evaluated at a cash flow's year");
    /* correlating one: it is not a sampled input */
    loaded l = load("walkaway: 1\nhorizon: 3\ninputs:\n  staff_t: 5000 * (1 + 5%)^t\n"
                    "  x: {dist: normal, mean: 0, sd: 1}\n"
                    "correlations:\n  - [staff_t, x, 0.5]\n" OPTS);
    cr_expect_eq(l.st, WA_EINVALID);
    cr_expect(strstr(l.all, "correlations apply to sampled inputs, and 'staff_t' is a per-year value (it uses t)"),
              "%s", l.all);
}

Test(load, a_price_list_with_unsorted_breaks_is_refused_at_the_break)
{
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  seats: {dist: uniform, min: 0, max: 9000}\n"
                 "offers:\n  - name: o\n    costs:\n"
                 "      - label: fee\n        amount: band(seats, [5000, 1000], [15, 12, 10])\n"
                 "        year: 0\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:9:36: error: band(): the breaks must increase strictly, but 1000 comes "
                 "after 5000");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  seats: {dist: uniform, min: 0, max: 9000}\n"
                 "offers:\n  - name: o\n    costs:\n"
                 "      - label: fee\n        amount: tiered(seats, [1000], [15])\n"
                 "        year: 0\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:9:39: error: tiered(): 1 break need 2 rates, one below the first break "
                 "and one from each break on, not 1");
}

Test(load, a_misspelt_list_of_an_option_gets_a_suggestion)
{
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "    saving:\n      - {label: x, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:7:5: error: unknown key 'saving' in an offer; did you mean 'savings'?");
}

Test(load, an_uncertain_year_with_t_in_its_amount_is_refused)
{
    expect_error("walkaway: 1\nhorizon: 5\ninputs:\n  resolved: {dist: uniform, min: 1, max: 3}\n"
                 "offers:\n  - name: o\n    costs:\n"
                 "      - {label: fee, amount: 100 * t, year: resolved}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:8:45: error: 'fee' of 'o' has an uncertain year, so t would differ from "
                 "trial to trial: write its amount and probability without t");
}

Test(load, includes_name_options_without_cycles)
{
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: claim\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    includes: [clam]\n"
                 "    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:9:16: error: 'w' includes 'clam', which is no offer or alternative; did "
                 "you mean 'claim'?");
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: a\n    includes: [b]\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: b\n    includes: [a]\n"
                 "    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:4:5: error: options include each other in a cycle: a -> b -> a");
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: a\n    includes: [a]\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:4:5: error: options include each other in a cycle: a -> a");
}

Test(load, a_variant_sets_an_inline_distribution_by_option_and_label)
{
    const char *base =
        "walkaway: 1\nhorizon: 1\n"
        "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
        "alternatives:\n  - name: migrate\n    costs:\n"
        "      - label: advisory and legal\n        amount: {dist: uniform, min: 100, max: 300}\n"
        "        year: 0\n"
        "variants:\n  - name: v\n    set:\n";
    char y[2048];
    snprintf(y, sizeof y, "%s      \"migrate/advisory and legal\": {dist: uniform, min: 1, max: 2}\n", base);
    loaded l = load(y);
    cr_expect_eq(l.st, WA_OK, "%s", l.all);
    snprintf(y, sizeof y, "%s      \"migrate/advisory and legl\": 5\n", base);
    expect_error(y, "t.yaml:16:7: error: cannot set 'migrate/advisory and legl': there is no such "
                    "input, nor an item with an inline distribution so named (option/label)");
}

Test(load, per_year_wants_year_a_plain_horizon_and_no_correlation)
{
    expect_error("walkaway: 1\nhorizon: 3\ninputs:\n  i: {dist: uniform, min: 0, max: 1, per: month}\n" OPTS,
                 "t.yaml:4:43: error: 'per' must be 'year' (an input drawn afresh every year), not 'month'");
    expect_error("walkaway: 1\nhorizon: h\ninputs:\n  h: 3\n  i: {dist: uniform, min: 0, max: 1, per: year}\n" OPTS,
                 "t.yaml:5:43: error: input 'i' is drawn per year, so horizon must be a whole number "
                 "(from 0 to 1000) written as such");
    expect_error("walkaway: 1\nhorizon: 3\ninputs:\n  i: {dist: uniform, min: 0, max: 1, per: year}\n"
                 "  y: {dist: normal, mean: 0, sd: 1}\ncorrelations:\n  - [i, y, 0.5]\n" OPTS,
                 "t.yaml:7:6: error: correlations apply to sampled inputs, and 'i' is drawn per "
                 "year (not correlated in this version)");
}

Test(load, an_item_in_a_currency_without_a_rate_is_refused_with_a_suggestion)
{
    expect_error("walkaway: 1\nhorizon: 1\ncurrencies:\n  EUR: 1.1\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0, currency: EURO}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:8:52: error: 'fee' of 'o' is in EURO, which has no rate under "
                 "'currencies'; did you mean 'EUR'?");
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0, currency: GBP}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:6:52: error: 'fee' of 'o' is in GBP, which has no rate: add it under "
                 "'currencies' (GBP: the rate into USD)");
}

Test(load, an_expression_cut_by_a_comma_in_a_flow_mapping_gets_the_quoting_hint)
{
    loaded l = load("walkaway: 1\nhorizon: 1\ninputs:\n  a: 1\n  b: 2\n"
                    "offers:\n  - name: o\n    costs:\n      - {label: x, amount: min(a, b), year: 0}\n"
                    "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 1, year: 0}\n");
    cr_expect_eq(l.st, WA_EINVALID);
    cr_expect(strstr(l.all, "t.yaml:9:35: error: unknown key 'b)' in an item: an expression "
                            "holding a comma inside {...} must be quoted, as in amount: "
                            "\"min(a, b)\""),
              "%s", l.all);
    cr_expect(strstr(l.all, "t.yaml:9:33: error: expected ')': if it holds a comma inside {...}, "
                            "quote it, as in amount: \"min(a, b)\""),
              "%s", l.all);
}

Test(load, values_in_messages_are_shown_as_written)
{
    expect_error("walkaway: 1\nhorizon: 1\noffers:\n  - name: o\n    costs:\n      - {label: f, amount: 1, year: 0, probability: 150%}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:6:53: error: probability must be between 0 and 1, not 150%");
    expect_error("walkaway: 1\nhorizon: 1\ninputs:\n  k: 2\noffers:\n  - name: o\n    costs:\n      - {label: f, amount: 1, year: \"k + 0.5\"}\n"
                 "alternatives:\n  - name: w\n    costs: []\n",
                 "t.yaml:8:37: error: year k + 0.5 = 2.5 is outside the horizon 0..1");
}

Test(load, price_units_belong_to_offers_within_the_horizon_and_come_to_a_positive_number)
{
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: o\n    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    price_units: {label: seat, count: 1, year: 0}\n"
                 "    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:9:18: error: price_units belong to offers: the units a vendor's price is quoted in");
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: o\n    price_units: {label: seat, count: 2 - 4 * t, years: [0, 1]}\n"
                 "    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:5:39: error: price_units: the units come to 0 (present value), not a positive number");
    expect_error("walkaway: 1\nhorizon: 1\n"
                 "offers:\n  - name: o\n    price_units: {label: seat, count: 1, years: [0, 2]}\n"
                 "    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:5:53: error: year 2 is outside the horizon 0..1");
    expect_error("walkaway: 1\nhorizon: 3\n"
                 "offers:\n  - name: o\n    price_units: {label: seat, count: 1, years: [2, 1]}\n"
                 "    costs:\n      - {label: fee, amount: 1, year: 0}\n"
                 "alternatives:\n  - name: w\n    costs:\n      - {label: c, amount: 2, year: 0}\n",
                 "t.yaml:5:49: error: 'years' must be [first, last] with first <= last, not [2, 1]");
}
