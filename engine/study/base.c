/*
 * base.c — the options, label and clock every study shares (see base.h).
 */
#include "study/base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/diag.h"
#include "load/model.h"
#include "run/run.h"
#include "util/alloc.h"

wa_status wa_study_options(const wa_scenario *sc, const wa_run_options *opt, wa_run_options *o,
                           wa_diagnostics *d)
{
    if (wa_run_options_read(opt, o, d) != WA_OK)
        return WA_EUSAGE;
    if (o->variant < -1 || (o->variant >= 0 && (size_t)o->variant >= sc->nvariants)) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "no variant number %ld in %s",
                    o->variant, sc->src->name);
        return WA_EUSAGE;
    }
    return WA_OK;
}

int wa_study_label(const wa_scenario *sc, const wa_run_options *o, char **label)
{
    *label = NULL;
    if (o->variant < 0 && o->nsets == 0)
        return 0;
    size_t len = 1;
    if (o->variant >= 0)
        len += strlen(sc->variants[o->variant].name);
    for (size_t k = 0; k < o->nsets; k++)
        len += strlen(o->sets[k] ? o->sets[k] : "") + 2;
    char *s = wa_malloc(len);
    if (!s)
        return -1;
    s[0] = '\0';
    if (o->variant >= 0)
        strcat(s, sc->variants[o->variant].name);
    for (size_t k = 0; k < o->nsets; k++) {
        if (s[0])
            strcat(s, ", ");
        strcat(s, o->sets[k] ? o->sets[k] : "");
    }
    *label = s;
    return 0;
}

int wa_study_sets_input(const wa_run_options *o, const char *input)
{
    size_t n = strlen(input);
    for (size_t k = 0; k < o->nsets; k++)
        if (o->sets[k] && !strncmp(o->sets[k], input, n) && o->sets[k][n] == '=')
            return 1;
    return 0;
}

wa_status wa_study_usage(wa_diagnostics *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wa_diag_vadd(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return WA_EUSAGE;
}

double wa_study_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
