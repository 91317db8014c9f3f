/*
 * fuzz_load.c — a harness for the loader and a short run of whatever loads: the bytes are
 * a scenario file (wa_scenario_load_buffer); a file that loads runs at 256 trials on one
 * thread, the base and every variant (up to 8), and its report is rendered in every
 * format. Whatever the bytes, nothing may crash, leak, hang or read out of bounds; errors
 * are the normal outcome. Built with libFuzzer by scripts/fuzz, and replayed on its
 * corpus (tests/fuzz/corpus/load) by the normal suite through replay.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "walkaway.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render(const wa_result *r)
{
    static char buf[1 << 16];
    for (int f = 0; f <= WA_FORMAT_HTML; f++)
        (void)wa_report_buffer((wa_format)f, &r, 1, buf, sizeof buf, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (d && wa_scenario_load_buffer((const char *)data, size, "fuzz.yaml", &sc, d) == WA_OK) {
        long nv = (long)wa_scenario_variant_count(sc);
        for (long v = -1; v < nv && v < 8; v++) {
            wa_run_options o;
            wa_run_options_init(&o, sizeof o);
            o.trials = 256;
            o.threads = 1;
            o.variant = v;
            wa_result *r = NULL;
            if (wa_run(sc, &o, &r, d) == WA_OK)
                render(r);
            wa_result_free(r);
        }
    }
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return 0;
}
