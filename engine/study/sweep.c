/*
 * sweep.c — wa_sweep_run: a grid of what-ifs, each point the run wa_run makes with the
 * point's values as --set changes, all on the scenario's seed (common random numbers).
 *
 * The points go through wa_runs (study/runs.c): the start is simulated once, and each point
 * only for the options it changes, with the inputs they read; every point is still, to
 * the bit, the `run --set` a user would type (tests/test_sweep.c checks it under every
 * method).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "load/diag.h"
#include "load/model.h"
#include "study/base.h"
#include "study/runs.h"
#include "walkaway.h"
#include "study/vary.h"
#include "util/alloc.h"

/* A batch of points keeps its own per-trial arrays within this, and has at most
   BATCH_POINTS points. */
#define BATCH_BYTES (256.0 * 1024 * 1024)
#define BATCH_POINTS 64

struct wa_sweep {
    wa_vary *vary;
    size_t nvary;
    size_t npoints;
    wa_result **points;
    double elapsed_s;
    char *variant; /* NULL: the base */
};

void wa_sweep_free(wa_sweep *s)
{
    if (!s)
        return;
    for (size_t v = 0; v < s->nvary; v++)
        wa_vary_clear(&s->vary[v]);
    wa_free(s->vary);
    for (size_t p = 0; s->points && p < s->npoints; p++)
        wa_result_free(s->points[p]);
    wa_free(s->points);
    wa_free(s->variant);
    wa_free(s);
}

const char *wa_sweep_variant(const wa_sweep *s) { return s ? s->variant : NULL; }

size_t wa_sweep_vary_count(const wa_sweep *s) { return s ? s->nvary : 0; }

const char *wa_sweep_vary_name(const wa_sweep *s, size_t v)
{
    return s && v < s->nvary ? s->vary[v].name : NULL;
}

size_t wa_sweep_value_count(const wa_sweep *s, size_t v)
{
    return s && v < s->nvary ? s->vary[v].nvalues : 0;
}

double wa_sweep_value(const wa_sweep *s, size_t v, size_t j)
{
    return s && v < s->nvary && j < s->vary[v].nvalues ? s->vary[v].values[j] : NAN;
}

size_t wa_sweep_point_count(const wa_sweep *s) { return s ? s->npoints : 0; }

size_t wa_sweep_point_index(const wa_sweep *s, size_t p, size_t v)
{
    if (!s || v >= s->nvary || p >= s->npoints)
        return 0;
    /* row-major, the first name outermost: the last name varies fastest */
    for (size_t w = s->nvary - 1; w > v; w--)
        p /= s->vary[w].nvalues;
    return p % s->vary[v].nvalues;
}

const wa_result *wa_sweep_point(const wa_sweep *s, size_t p)
{
    return s && p < s->npoints ? s->points[p] : NULL;
}

double wa_sweep_elapsed(const wa_sweep *s) { return s ? s->elapsed_s : 0; }


/* Checks the grid as a whole: no input varied twice or also --set, not too many points. */
static wa_status check_grid(const wa_sweep *s, const wa_run_options *o, wa_diagnostics *d)
{
    double points = 1;
    for (size_t v = 0; v < s->nvary; v++) {
        points *= (double)s->vary[v].nvalues;
        for (size_t w = 0; w < v; w++)
            if (!strcmp(s->vary[v].input, s->vary[w].input)) {
                wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                            "--vary %s and --vary %s both change '%s'; vary it once",
                            s->vary[w].name, s->vary[v].name, s->vary[v].input);
                return WA_EUSAGE;
            }
        if (wa_study_sets_input(o, s->vary[v].input)) {
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                        "'%s' is both set (--set) and varied (--vary %s); drop one",
                        s->vary[v].input, s->vary[v].name);
            return WA_EUSAGE;
        }
    }
    if (points > WA_MAX_POINTS) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "the grid has %.0f points; at most 1000000 can be swept", points);
        return WA_EUSAGE;
    }
    return WA_OK;
}

/* The options of point p: o's, with the point's changes after o's own in sets (room for
   o->nsets + nvary), without a progress callback (the grid reports its own). */
static wa_run_options point_options(const wa_sweep *s, const wa_run_options *o, size_t p,
                                    const char **sets)
{
    for (size_t k = 0; k < o->nsets; k++)
        sets[k] = o->sets[k];
    for (size_t v = 0; v < s->nvary; v++)
        sets[o->nsets + v] = s->vary[v].sets[wa_sweep_point_index(s, p, v)];
    wa_run_options po = *o;
    po.sets = sets;
    po.nsets = o->nsets + s->nvary;
    po.progress = NULL;
    return po;
}

/* A note naming the point that failed: "in the sweep's point a=1, b=2". */
static void note_point(const wa_sweep *s, size_t p, wa_status st, wa_diagnostics *d)
{
    char at[512] = "";
    for (size_t v = 0; v < s->nvary; v++) {
        size_t len = strlen(at);
        double x = s->vary[v].values[wa_sweep_point_index(s, p, v)];
        char num[32];
        for (int prec = 15; prec <= 17; prec++) /* the shortest that reads back */
            if (snprintf(num, sizeof num, "%.*g", prec, x) > 0 && strtod(num, NULL) == x)
                break;
        snprintf(at + len, sizeof at - len, "%s%s=%s", v ? ", " : "", s->vary[v].name, num);
    }
    wa_diag_add(d, WA_NOTE, st, NULL, 0, 0, "in the sweep's point %s", at);
}

/* Every point through wa_runs: the start simulated once, each point only
   what it changes. */
static wa_status sweep_points(wa_sweep *s, const wa_scenario *sc, const wa_run_options *o,
                               wa_diagnostics *d)
{
    wa_runs *ru = NULL;
    wa_run_options start = *o;
    start.progress = NULL; /* the bar is the grid's */
    wa_status st = wa_runs_new(sc, &start, &ru, NULL, d);
    /* Points in batches that share their unchanged draws block by block (runs.h): as many
       as keep their own per-trial arrays within BATCH_BYTES, at most BATCH_POINTS. */
    uint64_t trials = o->trials ? o->trials : sc->settings.trials;
    double per = (double)wa_model_nseries(sc->base) * (double)trials * sizeof(double);
    size_t batch = per > 0 ? (size_t)(BATCH_BYTES / per) : BATCH_POINTS;
    batch = batch < 1 ? 1 : batch > BATCH_POINTS ? BATCH_POINTS : batch;
    size_t per_point = o->nsets + s->nvary;
    const char **bsets = wa_calloc(batch * per_point + 1, sizeof *bsets);
    wa_run_options *bopt = wa_calloc(batch, sizeof *bopt);
    const wa_run_options **bptr = wa_calloc(batch, sizeof *bptr);
    if (st == WA_OK && (!bsets || !bopt || !bptr)) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        st = WA_ENOMEM;
    }
    for (size_t p0 = 0; st == WA_OK && p0 < s->npoints; p0 += batch) {
        size_t n = s->npoints - p0 < batch ? s->npoints - p0 : batch;
        /* asked with the whole grid's trials, as the progress is, before each batch (so
           before any point runs, too) */
        if (o->progress_cancel &&
            o->progress_cancel(o->progress_ctx, (uint64_t)p0 * trials,
                               (uint64_t)s->npoints * trials)) {
            wa_diag_add(d, WA_ERROR, WA_ECANCELLED, NULL, 0, 0, "the sweep was cancelled");
            st = WA_ECANCELLED;
            break;
        }
        for (size_t q = 0; q < n; q++) {
            bopt[q] = point_options(s, o, p0 + q, bsets + q * per_point);
            bptr[q] = &bopt[q];
        }
        size_t failed = 0;
        st = wa_runs_run_batch(ru, bptr, n, &s->points[p0], &failed, d);
        if (st != WA_OK)
            note_point(s, p0 + failed, st, d);
        else if (o->progress)
            o->progress(o->progress_ctx, (uint64_t)(p0 + n) * trials,
                        (uint64_t)s->npoints * trials);
    }
    wa_free((void *)bsets);
    wa_free(bopt);
    wa_free((void *)bptr);
    wa_runs_free(ru);
    return st;
}

static wa_status sweep_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                                 const char *const *vary, size_t nvary, wa_sweep **out,
                                 wa_diagnostics *d);

wa_status wa_sweep_run(const wa_scenario *sc, const wa_run_options *opt,
                       const char *const *vary, size_t nvary, wa_sweep **out,
                       wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, sweep_unsettled(sc, opt, vary, nvary, out, use));
}

static wa_status sweep_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                                 const char *const *vary, size_t nvary, wa_sweep **out,
                                 wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!sc || (nvary > 0 && !vary))
        return WA_EUSAGE;
    wa_run_options o;
    if (wa_study_options(sc, opt, &o, d) != WA_OK)
        return WA_EUSAGE;
    if (nvary == 0) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "a sweep needs at least one --vary NAME=FROM:TO:STEPS");
        return WA_EUSAGE;
    }
    double t0 = wa_study_now();
    wa_sweep *s = wa_calloc(1, sizeof *s);
    if (!s || !(s->vary = wa_calloc(nvary, sizeof *s->vary))) {
        wa_free(s);
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        return WA_ENOMEM;
    }
    wa_status st = WA_OK;
    for (size_t v = 0; v < nvary; v++) {
        wa_status sv = wa_vary_parse(vary[v], sc, o.variant, &s->vary[v], d);
        s->nvary = v + 1;
        if (sv != WA_OK && st == WA_OK)
            st = sv; /* go on: every misspelt name is reported */
    }
    if (st == WA_OK)
        st = check_grid(s, &o, d);
    if (st == WA_OK) {
        s->npoints = 1;
        for (size_t v = 0; v < nvary; v++)
            s->npoints *= s->vary[v].nvalues;
        s->points = wa_calloc(s->npoints, sizeof *s->points);
        if (!s->points || wa_study_label(sc, &o, &s->variant))
            st = WA_ENOMEM;
    }
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");

    if (st == WA_OK)
        st = sweep_points(s, sc, &o, d);
    if (st != WA_OK) {
        wa_sweep_free(s);
        return st;
    }
    s->elapsed_s = wa_study_now() - t0;
    *out = s;
    return WA_OK;
}
