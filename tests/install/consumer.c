/* consumer.c — a program built against the installed library only (pkg-config), as a
   user of libwalkaway would: proves the header, the library and walkaway.pc install. */
#include <stdio.h>
#include <walkaway.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    wa_result *r = NULL;
    wa_run_options o;
    wa_run_options_init(&o);
    o.trials = 5000;
    int rc = 1;
    if (wa_scenario_load(argv[1], &sc, d) == WA_OK && wa_run(sc, &o, &r, d) == WA_OK) {
        const wa_summary *s = wa_result_summary(r);
        printf("%s %s %.4f\n", s->walk_name, s->offers[0].name, s->offers[0].p_walk_beats);
        rc = 0;
    }
    wa_result_free(r);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return rc;
}
