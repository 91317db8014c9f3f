/*
 * sweep.c — wa_sweep_run: a grid of what-ifs, each point the run wa_run makes with the
 * point's values as --set changes, all on the scenario's seed (common random numbers).
 *
 * Every point is a whole run today: correct by construction (a point is, to the bit, the
 * `run --set` a user would type). Re-evaluating only what the varied names reach is the
 * study stage's next step; it must keep that identity (tests/test_sweep.c checks it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/diag.h"
#include "load/model.h"
#include "run/run.h"
#include "study/base.h"
#include "summary/summarise.h"
#include "util/bigalloc.h"
#include "study/vary.h"

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
    free(s->vary);
    for (size_t p = 0; s->points && p < s->npoints; p++)
        wa_result_free(s->points[p]);
    free(s->points);
    free(s->variant);
    free(s);
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

/* The caller's progress callback, told about the whole grid. */
typedef struct grid_progress {
    wa_progress_fn fn;
    void *ctx;
    uint64_t point, npoints;
} grid_progress;

static void on_point_progress(void *ctx, uint64_t done, uint64_t total)
{
    grid_progress *g = ctx;
    g->fn(g->ctx, g->point * total + done, g->npoints * total);
}

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
   o->nsets + nvary), and o's progress callback told about the whole grid through gp. */
static wa_run_options point_options(const wa_sweep *s, const wa_run_options *o, size_t p,
                                    const char **sets, grid_progress *gp)
{
    for (size_t k = 0; k < o->nsets; k++)
        sets[k] = o->sets[k];
    for (size_t v = 0; v < s->nvary; v++)
        sets[o->nsets + v] = s->vary[v].sets[wa_sweep_point_index(s, p, v)];
    wa_run_options po = *o;
    po.sets = sets;
    po.nsets = o->nsets + s->nvary;
    if (o->progress) {
        gp->point = p;
        po.progress = on_point_progress;
        po.progress_ctx = gp;
    }
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

/* Every point a whole run: for precision stopping, where each point's trials depend on
   its own results. */
static wa_status sweep_whole(wa_sweep *s, const wa_scenario *sc, const wa_run_options *o,
                             const char **sets, wa_diagnostics *d)
{
    grid_progress gp = {o->progress, o->progress_ctx, 0, s->npoints};
    for (size_t p = 0; p < s->npoints; p++) {
        wa_run_options po = point_options(s, o, p, sets, &gp);
        wa_status st = wa_run(sc, &po, &s->points[p], d);
        if (st != WA_OK) {
            note_point(s, p, st, d);
            return st;
        }
    }
    return WA_OK;
}

/* Frees n big arrays and the array of them. */
static void free_arrays(double **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        wa_big_free(v[i]);
    free(v);
}

/*
 * The grid on one simulation of the starting point and, per point, only what the point
 * changes: the options whose every program and input are not provably the same as the
 * start's (wa_model_options_same) are simulated again, reading only the inputs they need,
 * into arrays reused from point to point; the others keep the start's series, and their
 * figures are copied. Each point is still, bit for bit, the run `--set` makes: the same
 * draws (streams and dimensions belong to names), the same code on the same numbers.
 */
static wa_status sweep_reusing(wa_sweep *s, const wa_scenario *sc, const wa_run_options *o,
                               const char **sets, wa_diagnostics *d)
{
    wa_run_plan base;
    wa_run_options bo = *o;
    bo.progress = NULL;
    wa_status st = wa_run_plan_make(sc, &bo, &base, d);
    if (st != WA_OK)
        return st;
    size_t nopt = base.m->noptions;
    double **pv0 = calloc(nopt, sizeof *pv0), **scratch = calloc(nopt, sizeof *scratch);
    double **pv = calloc(nopt, sizeof *pv);
    unsigned char *same = calloc(nopt, 1), *changed = calloc(nopt, 1);
    wa_result *r0 = NULL;
    if (!pv0 || !scratch || !pv || !same || !changed)
        st = WA_ENOMEM;
    if (st == WA_OK)
        st = wa_run_plan_alloc(&base, pv0, d);
    if (st == WA_OK)
        st = wa_run_plan_simulate(&base, NULL, pv0, d);
    if (st == WA_OK && !(r0 = wa_run_plan_summarise(&base, pv0, base.trials, NULL, NULL, NULL)))
        st = WA_ENOMEM;
    grid_progress gp = {o->progress, o->progress_ctx, 0, s->npoints};
    for (size_t p = 0; st == WA_OK && p < s->npoints; p++) {
        double t0 = wa_study_now();
        wa_run_options po = point_options(s, o, p, sets, &gp);
        wa_run_plan plan;
        st = wa_run_plan_make(sc, &po, &plan, d);
        if (st != WA_OK) {
            note_point(s, p, st, d);
            break;
        }
        if (wa_model_options_same(base.m, plan.m, same))
            memset(same, 0, nopt); /* nothing proved the same: every option again */
        int any = 0;
        for (size_t k = 0; k < nopt && st == WA_OK; k++) {
            changed[k] = !same[k];
            any |= changed[k];
            if (changed[k] && !scratch[k] && !(scratch[k] = wa_big_alloc(base.trials * sizeof(double))))
                st = WA_ENOMEM;
            pv[k] = changed[k] ? scratch[k] : pv0[k];
        }
        if (st == WA_OK && any)
            st = wa_run_plan_simulate(&plan, changed, pv, d);
        if (st == WA_OK &&
            !(s->points[p] = wa_run_plan_summarise(&plan, pv, plan.trials, NULL, r0, same)))
            st = WA_ENOMEM;
        if (st == WA_OK)
            wa_result_set_elapsed(s->points[p], wa_study_now() - t0);
        else
            note_point(s, p, st, d);
        wa_run_plan_free(&plan);
    }
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for the sweep");
    wa_result_free(r0);
    free_arrays(pv0, nopt);
    free_arrays(scratch, nopt);
    free(pv);
    free(same);
    free(changed);
    wa_run_plan_free(&base);
    return st;
}

wa_status wa_sweep_run(const wa_scenario *sc, const wa_run_options *opt,
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
    wa_sweep *s = calloc(1, sizeof *s);
    if (!s || !(s->vary = calloc(nvary, sizeof *s->vary))) {
        free(s);
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
    const char **sets = NULL;
    if (st == WA_OK) {
        s->npoints = 1;
        for (size_t v = 0; v < nvary; v++)
            s->npoints *= s->vary[v].nvalues;
        s->points = calloc(s->npoints, sizeof *s->points);
        sets = calloc(o.nsets + nvary + 1, sizeof *sets);
        if (!s->points || !sets || wa_study_label(sc, &o, &s->variant))
            st = WA_ENOMEM;
    }
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");

    if (st == WA_OK)
        st = sc->settings.has_precision ? sweep_whole(s, sc, &o, sets, d)
                                        : sweep_reusing(s, sc, &o, sets, d);
    free((void *)sets);
    if (st != WA_OK) {
        wa_sweep_free(s);
        return st;
    }
    s->elapsed_s = wa_study_now() - t0;
    *out = s;
    return WA_OK;
}
