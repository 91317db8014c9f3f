/* consumer.c — a program built against the installed library only (pkg-config), as a
   user of libwalkaway would: proves the header, the library and walkaway.pc install, and
   that a result written through the library is what the installed CLI prints.
   Usage: consumer SCENARIO; prints the base run's report as CSV on stdout. */
#include <stdio.h>
#include <string.h>
#include <walkaway.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    if (strcmp(wa_version(), WA_VERSION) != 0 || wa_version_number() != WA_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %s, library %s\n", WA_VERSION, wa_version());
        return 1;
    }
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    wa_result *r = NULL;
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 5000;
    int rc = 1;
    if (wa_scenario_load(argv[1], &sc, d) == WA_OK && wa_run(sc, &o, &r, d) == WA_OK) {
        const wa_offer_summary *of = wa_result_offer(r, 0);
        /* every view this program reads is there in the library it runs with */
        if (WA_HAS(wa_offer_summary, of, nsensitivity) &&
            WA_HAS(wa_summary, wa_result_summary(r), nwarnings) &&
            wa_report_write(stdout, WA_FORMAT_CSV, (const wa_result *const *)&r, 1) == WA_OK)
            rc = 0;
    }
    for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
        char line[1024];
        wa_diagnostic_format(wa_diagnostics_get(d, i), line, sizeof line);
        fputs(line, stderr);
    }
    wa_result_free(r);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return rc;
}
