/*
 * fuzz_vary.c — a harness for --vary specifications and sweep points: the bytes, split at
 * newlines, are up to 2 "NAME=FROM:TO:STEPS" or "NAME=V1,V2,..." grids over a small fixed
 * scenario, swept at 64 trials a point (grids of more than 64 points are left alone, as
 * the sweep itself would take long, not fail: a first sweep of 1 trial a point is
 * cancelled as soon as its progress says the grid is larger). Replayed on tests/fuzz/corpus/vary.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scenario[] =
    "walkaway: 1\nhorizon: 2\n"
    "inputs:\n  price: 100\n  m: {dist: pert, min: 50, mode: 80, max: 200}\n"
    "  p: {dist: bernoulli, p: 0.3}\n"
    "offers:\n  - name: renew\n    costs:\n      - {label: f, amount: price, years: [0, 2]}\n"
    "alternatives:\n  - name: move\n    costs:\n      - {label: g, amount: m + 50 * p, year: 0}\n";

/* Stops a 1-trial sweep whose grid has more than 64 points: total is the trials of the
   whole grid. */
static int too_many(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx, (void)done;
    return total > 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *vary[2];
    size_t n = 0;
    char *nl = memchr(text, '\n', size);
    vary[n++] = text;
    if (nl) {
        *nl = '\0';
        vary[n++] = nl + 1;
    }
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (d && wa_scenario_load_buffer(scenario, sizeof scenario - 1, "fixed.yaml", &sc, d) == WA_OK) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = 64;
        o.threads = 1;
        /* count the grid first with a sweep of 1 trial a point, which the progress check
           cancels as soon as it says the grid has more than 64 points */
        wa_sweep *sw = NULL;
        o.trials = 1;
        o.progress_cancel = too_many;
        if (wa_sweep_run(sc, &o, vary, n, &sw, d) == WA_OK && wa_sweep_point_count(sw) <= 64) {
            o.progress_cancel = NULL;
            wa_sweep_free(sw);
            sw = NULL;
            o.trials = 64;
            if (wa_sweep_run(sc, &o, vary, n, &sw, d) == WA_OK) {
                static char buf[1 << 16];
                const wa_sweep *const one[1] = {sw};
                for (int f = 0; f < 4; f++)
                    (void)wa_report_sweep_buffer((wa_format)f, one, 1, buf, sizeof buf, NULL);
            }
        }
        wa_sweep_free(sw);
    }
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    free(text);
    return 0;
}
