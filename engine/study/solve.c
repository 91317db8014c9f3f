/*
 * solve.c — wa_solve_run: where a decision flips (SPEC 3, solve).
 *
 * The figure f(x) is the offer's p_walk_beats (or its mean advantage) in the run that
 * `--set NAME=x` makes (through wa_runs: only what x changes is simulated
 * again, to the same bits); every run uses the same seed, so f is a deterministic function of x
 * and bisection on it converges to a definite answer. The side of x is whether f(x)
 * reaches the target (f >= target): p_walk_beats >= c is "walking beats the offer with
 * confidence c", the SPEC 2 verdict's own test.
 *
 *   1. Scan: f at GRID evenly spaced values of [FROM, TO]; every change of side between
 *      neighbours is a crossing.
 *   2. Bisect each crossing's bracket until it is 2^-20 of the range wide; the crossing is
 *      its midpoint.
 *   3. The Monte Carlo interval of a crossing: the values of x around it at which the
 *      target lies within the 95% interval of f(x) (Wilson for p_walk_beats, mean +- 1.96
 *      standard errors for the mean). Its ends are where the upper and the lower bound of
 *      f cross the target, found the same way (scan outwards from the crossing, then
 *      bisect); an end the range cuts off is the range's end.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "load/diag.h"
#include "load/model.h"
#include "study/base.h"
#include "walkaway.h"
#include "study/vary.h"
#include "util/suggest.h"
#include "util/alloc.h"

#define GRID 17        /* values scanned: 16 intervals */
#define BISECTIONS 16  /* a sixteenth of the range halved 16 times: 2^-20 of it */

struct wa_solve {
    wa_solution sol;
    wa_crossing *crossings;
    wa_solve_eval *evals; /* every run made, by value once the solve is done */
    size_t nevals, capevals;
    char *file, *scenario, *variant, *name, *offer, *target;
};

void wa_solve_free(wa_solve *s)
{
    if (!s)
        return;
    wa_free(s->crossings);
    wa_free(s->evals);
    wa_free(s->file);
    wa_free(s->scenario);
    wa_free(s->variant);
    wa_free(s->name);
    wa_free(s->offer);
    wa_free(s->target);
    wa_free(s);
}

const wa_solution *wa_solve_solution(const wa_solve *s) { return s ? &s->sol : NULL; }

const wa_crossing *wa_solve_crossing(const wa_solve *s, size_t i)
{
    return s && i < s->sol.ncrossings ? &s->crossings[i] : NULL;
}

size_t wa_solve_eval_count(const wa_solve *s) { return s ? s->nevals : 0; }

const wa_solve_eval *wa_solve_evaluation(const wa_solve *s, size_t i)
{
    return s && i < s->nevals ? &s->evals[i] : NULL;
}

/* ---- evaluating f ------------------------------------------------------------------- */

/* One value of NAME and what the run there says: the figure and its 95% interval. */
typedef struct point {
    double x, f, lo, hi;
} point;

typedef struct solver {
    const wa_scenario *sc;
    wa_run_options o;     /* the caller's, with room for one more --set */
    const char **sets;
    const wa_vary *vary;
    size_t offer;
    int mean;
    double level;
    wa_diagnostics *d;
    wa_solve *out;
    size_t runs;
    wa_runs *ru;        /* the start simulated once; each run only what it changes */
} solver;

static wa_status eval(solver *sv, double x, point *p)
{
    char *set = wa_vary_set(sv->vary, x);
    if (!set) {
        wa_diag_add(sv->d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        return WA_ENOMEM;
    }
    wa_run_options po = sv->o;
    sv->sets[sv->o.nsets] = set;
    po.sets = sv->sets;
    po.nsets = sv->o.nsets + 1;
    wa_result *r = NULL;
    wa_status st = wa_runs_run(sv->ru, &po, &r, sv->d);
    sv->runs++;
    wa_free(set);
    if (st != WA_OK) {
        char num[32];
        snprintf(num, sizeof num, "%.17g", x);
        wa_diag_add(sv->d, WA_NOTE, st, NULL, 0, 0, "in the solve's run at %s=%s",
                    sv->vary->name, num);
        return st;
    }
    const wa_offer_summary *of = wa_result_offer(r, sv->offer);
    p->x = x;
    if (sv->mean) {
        double se = of->advantage.sd / sqrt((double)wa_result_summary(r)->trials);
        p->f = of->advantage.mean;
        p->lo = p->f - 1.959963984540054 * se;
        p->hi = p->f + 1.959963984540054 * se;
    } else {
        p->f = of->p_walk_beats;
        p->lo = of->p_walk_beats_ci95[0];
        p->hi = of->p_walk_beats_ci95[1];
    }
    if (sv->out->nevals == sv->out->capevals) { /* kept for the chart of the solve */
        size_t cap = sv->out->capevals ? 2 * sv->out->capevals : 64;
        wa_solve_eval *v = wa_realloc(sv->out->evals, cap * sizeof *v);
        if (!v) {
            wa_result_free(r);
            wa_diag_add(sv->d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
            return WA_ENOMEM;
        }
        sv->out->evals = v;
        sv->out->capevals = cap;
    }
    sv->out->evals[sv->out->nevals++] =
        (wa_solve_eval){sizeof(wa_solve_eval), x, p->f, {p->lo, p->hi}};
    if (!sv->out->file) { /* the header, from the first run */
        const wa_summary *h = wa_result_summary(r);
        sv->out->file = wa_strdup(h->file ? h->file : "");
        sv->out->scenario = wa_strdup(h->scenario ? h->scenario : "");
        if (!sv->out->file || !sv->out->scenario) {
            wa_free(sv->out->file);
            wa_free(sv->out->scenario);
            sv->out->file = sv->out->scenario = NULL;
            wa_result_free(r);
            wa_diag_add(sv->d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
            return WA_ENOMEM;
        }
        sv->out->sol.trials = h->trials;
        sv->out->sol.seed = h->seed;
        sv->out->sol.method = h->method;
        sv->out->sol.confidence = h->confidence;
    }
    wa_result_free(r);
    return WA_OK;
}

/* Which of a point's three numbers a search follows. */
enum { F, LO, HI };

static double pick(const point *p, int which)
{
    return which == F ? p->f : which == LO ? p->lo : p->hi;
}

static int side(const solver *sv, const point *p, int which)
{
    return pick(p, which) >= sv->level;
}

/* Bisects [a, b] (their sides differ for `which`) down to the tolerance; the boundary is
   the final bracket's midpoint, and the bracket's ends go to *fa and *fb if not NULL. */
static wa_status bisect(solver *sv, point a, point b, int which, double *at, point *fa,
                        point *fb)
{
    const double tol = (sv->vary->values[1] - sv->vary->values[0]) * 0x1p-20;
    int sa = side(sv, &a, which);
    while (b.x - a.x > tol) {
        point m;
        double x = a.x + (b.x - a.x) / 2;
        if (x <= a.x || x >= b.x)
            break; /* no double left between them */
        wa_status st = eval(sv, x, &m);
        if (st != WA_OK)
            return st;
        if (side(sv, &m, which) == sa)
            a = m;
        else
            b = m;
    }
    *at = a.x + (b.x - a.x) / 2;
    if (fa)
        *fa = a;
    if (fb)
        *fb = b;
    return WA_OK;
}

/* One end of a crossing's Monte Carlo interval: where bound `which` (LO or HI) changes
   side, starting from grid point `start` and going in direction dir (-1 or +1). far is the
   bound's side away from the crossing; near, a point by the crossing on the other side. */
static wa_status interval_end(solver *sv, const point *grid, long start, int dir, int which,
                              int far, point near, double *at)
{
    if (side(sv, &grid[start], which) == far) /* the end lies between start and the crossing */
        return dir < 0 ? bisect(sv, grid[start], near, which, at, NULL, NULL)
                       : bisect(sv, near, grid[start], which, at, NULL, NULL);
    for (long k = start;; k += dir) {
        long next = k + dir;
        if (next < 0 || next >= GRID) {
            *at = grid[k].x; /* the range cuts the interval off */
            return WA_OK;
        }
        if (side(sv, &grid[next], which) == far)
            return dir < 0 ? bisect(sv, grid[next], grid[k], which, at, NULL, NULL)
                           : bisect(sv, grid[k], grid[next], which, at, NULL, NULL);
    }
}

/* ---- checking what was asked ---------------------------------------------------------- */


/* The offer's index among the options of the model solved, or a usage error. */
static wa_status find_offer(const wa_scenario *sc, const char *offer, size_t *k,
                            wa_diagnostics *d)
{
    const wa_model *m = sc->base;
    const char *names[256];
    size_t n = 0;
    for (size_t i = 0; offer && i < m->noffers; i++) {
        if (!strcmp(m->options[i].name, offer)) {
            *k = i;
            return WA_OK;
        }
        if (n < 256)
            names[n++] = m->options[i].name;
    }
    if (!offer)
        return wa_study_usage(d, "solve needs --offer OFFER: the offer whose decision flips");
    const char *s = wa_suggest(offer, strlen(offer), names, n);
    if (s)
        return wa_study_usage(d, "--offer: no offer named '%s' (did you mean '%s'?)", offer, s);
    return wa_study_usage(d, "--offer: no offer named '%s'", offer);
}

/* target: "c", "1-c", "mean" or a level in (0, 1) in scenario syntax. */
static wa_status parse_target(const char *t, double c, int *mean, double *level,
                              wa_diagnostics *d)
{
    *mean = 0;
    if (!t || !strcmp(t, "c")) {
        *level = c;
        return WA_OK;
    }
    if (!strcmp(t, "1-c")) {
        *level = 1 - c;
        return WA_OK;
    }
    if (!strcmp(t, "mean")) {
        *mean = 1;
        *level = 0;
        return WA_OK;
    }
    ex_error err = {0};
    ex_ast *ast = ex_parse(t, strlen(t), &err);
    ex_prog *p = ast && ex_ast_nnames(ast) == 0 ? ex_compile(ast, NULL, 1, &err) : NULL;
    double v = NAN;
    int ok = p && ex_prog_const(p, &v) && v > 0 && v < 1;
    ex_prog_free(p);
    ex_ast_free(ast);
    if (!ok && err.nomem) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        return WA_ENOMEM;
    }
    if (!ok)
        return wa_study_usage(d,
                     "--target: expected c, 1-c, mean or a level strictly between 0 and 1 "
                     "(0.5, 90%%), not '%s'",
                     t);
    *level = v;
    return WA_OK;
}

/* Evaluations by value. A value met twice (an interval's bisection may land where the
   crossing's did) gives the same figures both times: the order among them is moot. */
static int by_value(const void *a, const void *b)
{
    double x = ((const wa_solve_eval *)a)->value, y = ((const wa_solve_eval *)b)->value;
    return (x > y) - (x < y);
}

/* ---- the solve ------------------------------------------------------------------------ */

static wa_status solve(solver *sv)
{
    const double from = sv->vary->values[0], to = sv->vary->values[1];
    point grid[GRID];
    for (int j = 0; j < GRID; j++) {
        double x = j == GRID - 1 ? to : from + (to - from) * j / (GRID - 1);
        wa_status st = eval(sv, x, &grid[j]);
        if (st != WA_OK)
            return st;
    }
    wa_solution *sol = &sv->out->sol;
    sol->end_from = grid[0].f;
    sol->end_to = grid[GRID - 1].f;
    sv->out->crossings = wa_calloc(GRID, sizeof *sv->out->crossings);
    if (!sv->out->crossings)
        return WA_ENOMEM;
    for (size_t j = 0; j + 1 < GRID; j++) {
        int s0 = side(sv, &grid[j], F), s1 = side(sv, &grid[j + 1], F);
        if (s0 == s1)
            continue;
        wa_crossing *c = &sv->out->crossings[sol->ncrossings++];
        c->size = sizeof *c;
        c->rising = s1 > s0;
        point a, b;
        wa_status st = bisect(sv, grid[j], grid[j + 1], F, &c->value, &a, &b);
        /* Rising, the upper bound reaches the target first (below the crossing: it is
           under the target far to the left) and the lower bound last; falling, the
           other way round. a and b straddle the crossing: the bounds there are on the
           near side (lo <= f <= hi). */
        int rising = c->rising;
        if (st == WA_OK)
            st = interval_end(sv, grid, (long)j, -1, rising ? HI : LO, rising ? 0 : 1, b,
                              &c->interval[0]);
        if (st == WA_OK)
            st = interval_end(sv, grid, (long)j + 1, +1, rising ? LO : HI, rising ? 1 : 0, a,
                              &c->interval[1]);
        if (st != WA_OK)
            return st;
        /* a bound's crossing always lies beyond the figure's own, but a scan from the
           grid points can stop short of it only by the tolerance: keep the order */
        if (c->interval[0] > c->value)
            c->interval[0] = c->value;
        if (c->interval[1] < c->value)
            c->interval[1] = c->value;
    }
    sol->found = sol->ncrossings > 0;
    return WA_OK;
}

static wa_status solve_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                                 const char *vary, const char *offer, const char *target,
                                 wa_solve **out, wa_diagnostics *d);

wa_status wa_solve_run(const wa_scenario *sc, const wa_run_options *opt, const char *vary,
                       const char *offer, const char *target, wa_solve **out,
                       wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, solve_unsettled(sc, opt, vary, offer, target, out, use));
}

static wa_status solve_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                                 const char *vary, const char *offer, const char *target,
                                 wa_solve **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!sc)
        return WA_EUSAGE;
    solver sv;
    memset(&sv, 0, sizeof sv);
    sv.sc = sc;
    sv.d = d;
    if (wa_study_options(sc, opt, &sv.o, d) != WA_OK)
        return WA_EUSAGE;
    double t0 = wa_study_now();
    wa_vary v;
    wa_status st = vary ? wa_vary_parse_range(vary, sc, sv.o.variant, &v, d)
                        : (memset(&v, 0, sizeof v),
                           wa_study_usage(d, "solve needs --vary NAME=FROM:TO"));
    wa_status so = find_offer(sc, offer, &sv.offer, d);
    double conf = sv.o.confidence != 0 ? sv.o.confidence : sc->settings.confidence;
    wa_status sg = parse_target(target, conf, &sv.mean, &sv.level, d);
    if (st == WA_OK && wa_study_sets_input(&sv.o, v.input))
        st = wa_study_usage(d, "'%s' is both set (--set) and varied (--vary %s); drop one", v.input,
                   v.name);
    if (st == WA_OK)
        st = so != WA_OK ? so : sg;
    wa_solve *s = NULL;
    if (st == WA_OK) {
        s = wa_calloc(1, sizeof *s);
        sv.sets = wa_calloc(sv.o.nsets + 1, sizeof *sv.sets);
        if (!s || !sv.sets)
            st = WA_ENOMEM;
    }
    if (st == WA_OK) {
        for (size_t k = 0; k < sv.o.nsets; k++)
            sv.sets[k] = sv.o.sets[k];
        sv.vary = &v;
        sv.out = s;
        s->sol.size = sizeof s->sol;
        s->name = wa_strdup(v.name);
        s->offer = wa_strdup(offer);
        s->target = wa_strdup(target ? target : "c");
        if (!s->name || !s->offer || !s->target || wa_study_label(sc, &sv.o, &s->variant))
            st = WA_ENOMEM;
    }
    if (st == WA_OK) {
        wa_run_options start = sv.o;
        start.progress = NULL; /* a solve's runs are not known ahead: no bar */
        sv.o.progress = NULL;
        st = wa_runs_new(sc, &start, &sv.ru, NULL, d);
    }
    if (st == WA_OK)
        st = solve(&sv);
    wa_runs_free(sv.ru);
    if (st == WA_OK && (!s->file || !s->scenario))
        st = WA_ENOMEM;
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
    wa_free((void *)sv.sets);
    if (st != WA_OK) {
        wa_vary_clear(&v);
        wa_solve_free(s);
        return st;
    }
    wa_solution *sol = &s->sol;
    sol->file = s->file;
    sol->scenario = s->scenario;
    sol->variant = s->variant;
    sol->name = s->name;
    sol->offer = s->offer;
    sol->target = s->target;
    sol->target_is_mean = sv.mean;
    sol->level = sv.level;
    sol->from = v.values[0];
    sol->to = v.values[1];
    sol->runs = sv.runs;
    sol->elapsed_s = wa_study_now() - t0;
    qsort(s->evals, s->nevals, sizeof *s->evals, by_value);
    wa_vary_clear(&v);
    *out = s;
    return WA_OK;
}
