/*
 * fuzz_set.c — a harness for --set values and the expression language: the bytes, split at
 * newlines, are up to 4 "NAME=VALUE" changes (a number, an expression, a distribution
 * mapping) applied to a small fixed scenario, checked (wa_scenario_check_sets) and run at
 * 128 trials. Replayed on tests/fuzz/corpus/set by the normal suite.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scenario[] =
    "walkaway: 1\nhorizon: 3\ndiscount_rate: 5%\n"
    "inputs:\n  a: {dist: uniform, min: 1, max: 2}\n  b: {dist: normal, mean: 10, sd: 2}\n"
    "  c: a * b\n  k: 4\n  r: 10% * t\n"
    "offers:\n  - name: o\n    costs:\n      - {label: f, amount: c + k, years: [0, 2], growth: r}\n"
    "      - {label: g, amount: {dist: triangular, min: 1, mode: 2, max: 5}, year: 1}\n"
    "alternatives:\n  - name: w\n    costs:\n      - {label: h, amount: b * (1 + r), years: [0, 3]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[4];
    size_t n = 0;
    for (char *p = text; n < 4;) { /* lines, up to 4; a last empty one is not a change */
        sets[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
        if (!*p)
            break;
    }
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (d && wa_scenario_load_buffer(scenario, sizeof scenario - 1, "fixed.yaml", &sc, d) == WA_OK &&
        wa_scenario_check_sets(sc, sets, n, d) == WA_OK) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = 128;
        o.threads = 1;
        o.sets = sets;
        o.nsets = n;
        wa_result *r = NULL;
        (void)wa_run(sc, &o, &r, d);
        wa_result_free(r);
    }
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    free(text);
    return 0;
}
