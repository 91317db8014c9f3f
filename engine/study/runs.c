/*
 * runs.c — runs of one scenario that cost only what they change (wa_runs, walkaway.h).
 *
 * The start (the first options: variant and --set changes) is simulated once. Each run
 * after it simulates again only the options whose every program and input are not
 * provably the same as the start's (wa_model_options_same), reading only the inputs they
 * need, into arrays reused from run to run; the other options keep the start's series and
 * their figures are copied. Each result is still, bit for bit, the one wa_run gives: the
 * same draws (streams and Sobol' dimensions belong to names), the same code on the same
 * numbers. A run whose trials, seed, method or confidence differ from the start's, and
 * every run under precision stopping (its trials depend on its results), is a whole
 * wa_run.
 */
#include "walkaway.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/diag.h"
#include "load/model.h"
#include "run/run.h"
#include "summary/result.h"
#include "summary/summarise.h"
#include "simulate/simulate.h"
#include "study/runs.h"
#include "util/bigalloc.h"
#include "util/alloc.h"

struct wa_runs {
    const wa_scenario *sc;
    int whole;           /* precision stopping, or trials beyond the memory budget: every
                            run a whole one (wa_run_plan_result) */
    wa_run_plan base;    /* the start */
    size_t nopt;
    double **pv0;        /* the start's series */
    double **scratch;    /* a run's own series, allocated when first needed */
    double **pv;         /* a run's series: the start's or its own */
    unsigned char *same, *changed;
    wa_result *r0;       /* the start's result */
    wa_sim_pool *pool;   /* the simulations' workspaces, reused from run to run */
    double **spare;      /* per-trial arrays of finished batches, for the next ones */
    size_t nspare, capspare;
};

/* A per-trial array of the start's trials: one a finished batch gave back (memory
   already touched), or a new one. NULL when out of memory. */
static double *array_get(wa_runs *r)
{
    return r->nspare ? r->spare[--r->nspare] : wa_big_alloc(r->base.trials * sizeof(double));
}

/* Gives an array back for the next batch (freed when it cannot be kept). */
static void array_put(wa_runs *r, double *a)
{
    if (!a)
        return;
    if (r->nspare == r->capspare) {
        size_t cap = r->capspare ? 2 * r->capspare : 16;
        double **v = wa_realloc(r->spare, cap * sizeof *v);
        if (!v) {
            wa_big_free(a);
            return;
        }
        r->spare = v;
        r->capspare = cap;
    }
    r->spare[r->nspare++] = a;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void free_arrays(double **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        wa_big_free(v[i]);
    wa_free(v);
}

void wa_runs_free(wa_runs *r)
{
    if (!r)
        return;
    wa_result_free(r->r0);
    free_arrays(r->pv0, r->nopt);
    free_arrays(r->scratch, r->nopt);
    wa_free(r->pv);
    wa_free(r->same);
    wa_free(r->changed);
    wa_run_plan_free(&r->base);
    wa_sim_pool_free(r->pool);
    free_arrays(r->spare, r->nspare);
    wa_free(r);
}

static wa_status runs_new_unsettled(const wa_scenario *sc, const wa_run_options *o,
                                    wa_runs **out, wa_result **first, wa_diagnostics *d);

wa_status wa_runs_new(const wa_scenario *sc, const wa_run_options *o, wa_runs **out,
                      wa_result **first, wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, runs_new_unsettled(sc, o, out, first, use));
}

static wa_status runs_new_unsettled(const wa_scenario *sc, const wa_run_options *o,
                                    wa_runs **out, wa_result **first, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (first)
        *first = NULL;
    if (!sc)
        return WA_EUSAGE;
    double t0 = now_s();
    wa_runs *r = wa_calloc(1, sizeof *r);
    if (!r) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        return WA_ENOMEM;
    }
    r->sc = sc;
    if (sc->settings.has_precision) {
        r->whole = 1;
        wa_status st = first ? wa_run(sc, o, first, d) : WA_OK;
        if (st != WA_OK) {
            wa_runs_free(r);
            return st;
        }
        *out = r;
        return WA_OK;
    }
    wa_status st = wa_run_plan_make(sc, o, &r->base, d);
    if (st != WA_OK) {
        wa_runs_free(r);
        return st;
    }
    if (!wa_run_plan_fits(&r->base, 2)) {
        /* the start's series and a run's own do not fit the memory budget: each run is
           a whole one, its trials regenerated as its summary reads them (SPEC 5) */
        r->whole = 1;
        st = first ? wa_run_plan_result(&r->base, 1, 1, first, d) : WA_OK;
        if (st != WA_OK) {
            wa_runs_free(r);
            return st;
        }
        if (first)
            wa_result_set_elapsed(*first, now_s() - t0);
        *out = r;
        return WA_OK;
    }
    size_t n = r->nopt = wa_model_nseries(r->base.m);
    r->pv0 = wa_calloc(n, sizeof *r->pv0);
    r->scratch = wa_calloc(n, sizeof *r->scratch);
    r->pv = wa_calloc(n, sizeof *r->pv);
    r->same = wa_calloc(n ? n : 1, 1);
    r->changed = wa_calloc(n ? n : 1, 1);
    r->pool = wa_sim_pool_new();
    if (!r->pv0 || !r->scratch || !r->pv || !r->same || !r->changed || !r->pool) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        st = WA_ENOMEM;
    }
    if (st == WA_OK)
        st = wa_run_plan_alloc(&r->base, r->pv0, d);
    if (st == WA_OK)
        st = wa_run_plan_simulate(&r->base, NULL, r->pv0, r->pool, d);
    wa_trials tr0;
    wa_trials_whole(&tr0, r->pv0, n, r->base.trials);
    if (st == WA_OK && !(r->r0 = wa_run_plan_summarise(&r->base, &tr0, NULL, NULL, NULL))) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        st = WA_ENOMEM;
    }
    if (st == WA_OK && first) {
        /* the start's own result: every figure copied from r0, the time its whole run */
        memset(r->same, 1, n);
        if (!(*first = wa_run_plan_summarise(&r->base, &tr0, NULL, r->r0, r->same)) ||
            wa_run_plan_insight(&r->base, &tr0, *first)) {
            wa_result_free(*first);
            *first = NULL;
            wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
            st = WA_ENOMEM;
        } else {
            wa_result_set_elapsed(*first, now_s() - t0);
        }
    }
    if (st != WA_OK) {
        wa_runs_free(r);
        return st;
    }
    *out = r;
    return WA_OK;
}

static wa_status runs_run_unsettled(wa_runs *r, const wa_run_options *po, wa_result **out,
                                    wa_diagnostics *d);

wa_status wa_runs_run(wa_runs *r, const wa_run_options *po, wa_result **out,
                        wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, runs_run_unsettled(r, po, out, use));
}

static wa_status runs_run_unsettled(wa_runs *r, const wa_run_options *po, wa_result **out,
                                    wa_diagnostics *d)
{
    if (!r || !po || !out)
        return WA_EUSAGE;
    *out = NULL;
    if (r->whole)
        return wa_run(r->sc, po, out, d);
    double t0 = now_s();
    wa_run_plan plan;
    wa_status st = wa_run_plan_make(r->sc, po, &plan, d);
    if (st != WA_OK)
        return st;
    /* another start, or another set of series (a --set value that makes an offer's units
       vary by trial adds a hidden one): nothing to share */
    if (plan.trials != r->base.trials || plan.seed != r->base.seed ||
        plan.method != r->base.method || plan.conf != r->base.conf ||
        wa_model_nseries(plan.m) != r->nopt) {
        wa_run_plan_free(&plan);
        return wa_run(r->sc, po, out, d);
    }
    if (wa_model_options_same(r->base.m, plan.m, r->same))
        memset(r->same, 0, r->nopt); /* nothing proved the same: every option again */
    int any = 0;
    for (size_t k = 0; k < r->nopt && st == WA_OK; k++) {
        r->changed[k] = !r->same[k];
        any |= r->changed[k];
        if (r->changed[k] && !r->scratch[k] &&
            !(r->scratch[k] = wa_big_alloc(r->base.trials * sizeof(double))))
            st = WA_ENOMEM;
        r->pv[k] = r->changed[k] ? r->scratch[k] : r->pv0[k];
    }
    if (st == WA_OK && any)
        st = wa_run_plan_simulate(&plan, r->changed, r->pv, r->pool, d);
    wa_trials tr;
    wa_trials_whole(&tr, r->pv, r->nopt, plan.trials);
    if (st == WA_OK && !(*out = wa_run_plan_summarise(&plan, &tr, NULL, r->r0, r->same)))
        st = WA_ENOMEM;
    if (st == WA_OK && wa_run_plan_insight(&plan, &tr, *out)) {
        wa_result_free(*out);
        *out = NULL;
        st = WA_ENOMEM;
    }
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for %llu trials",
                    (unsigned long long)plan.trials);
    if (st == WA_OK)
        wa_result_set_elapsed(*out, now_s() - t0);
    wa_run_plan_free(&plan);
    return st;
}

/* A batch's point as a whole run, without the insight that a batch's points do not
   report: regenerated trials are read once more for each of its passes. */
static wa_status whole_point(wa_runs *r, const wa_run_options *po, wa_result **out,
                             wa_diagnostics *d)
{
    double t0 = now_s();
    wa_run_plan plan;
    wa_status st = wa_run_plan_make(r->sc, po, &plan, d);
    if (st == WA_OK)
        st = wa_run_plan_result(&plan, 1, 0, out, d);
    if (st == WA_OK)
        wa_result_set_elapsed(*out, now_s() - t0);
    wa_run_plan_free(&plan);
    return st;
}

/* One point of a batch: its plan, which options it shares, its own arrays. */
typedef struct batch_point {
    wa_run_plan plan;
    int planned;
    unsigned char *same, *changed;
    int *from_base;
    double **pv;  /* per option: the start's or its own */
    double **own; /* its own arrays, allocated for changed options */
} batch_point;

static void batch_point_free(wa_runs *r, batch_point *bp)
{
    if (bp->planned)
        wa_run_plan_free(&bp->plan);
    wa_free(bp->same);
    wa_free(bp->changed);
    wa_free(bp->from_base);
    wa_free(bp->pv);
    for (size_t k = 0; bp->own && k < r->nopt; k++)
        array_put(r, bp->own[k]);
    wa_free(bp->own);
}

wa_status wa_runs_run_batch(wa_runs *r, const wa_run_options *const *opts, size_t n,
                            wa_result **out, size_t *failed_at, wa_diagnostics *d)
{
    for (size_t q = 0; q < n; q++)
        out[q] = NULL;
    double t0 = now_s();
    batch_point *bp = r->whole ? NULL : wa_calloc(n ? n : 1, sizeof *bp);
    wa_sim_point *pts = r->whole ? NULL : wa_calloc(n ? n : 1, sizeof *pts);
    int batch = bp && pts;
    wa_status st = WA_OK;
    /* the plans and what each shares; any point that cannot share the batch makes it a
       sequence of single runs, with the same results */
    for (size_t q = 0; q < n && batch && st == WA_OK; q++) {
        batch_point *b = &bp[q];
        st = wa_run_plan_make(r->sc, opts[q], &b->plan, d);
        if (st != WA_OK) {
            *failed_at = q;
            break;
        }
        b->planned = 1;
        const wa_model *m = b->plan.m;
        if (b->plan.trials != r->base.trials || b->plan.seed != r->base.seed ||
            b->plan.method != r->base.method || b->plan.conf != r->base.conf ||
            wa_model_nseries(m) != r->nopt) {
            batch = 0;
            break;
        }
        b->same = wa_calloc(r->nopt ? r->nopt : 1, 1);
        b->changed = wa_calloc(r->nopt ? r->nopt : 1, 1);
        b->from_base = wa_calloc(m->nslots ? m->nslots : 1, sizeof *b->from_base);
        b->pv = wa_calloc(r->nopt ? r->nopt : 1, sizeof *b->pv);
        b->own = wa_calloc(r->nopt ? r->nopt : 1, sizeof *b->own);
        if (!b->same || !b->changed || !b->from_base || !b->pv || !b->own ||
            wa_model_slot_map(r->base.m, m, b->from_base)) {
            st = WA_ENOMEM;
            break;
        }
        if (wa_model_options_same(r->base.m, m, b->same))
            memset(b->same, 0, r->nopt);
        for (size_t k = 0; k < r->nopt && st == WA_OK; k++) {
            b->changed[k] = !b->same[k];
            if (b->changed[k] && !(b->own[k] = array_get(r)))
                st = WA_ENOMEM;
            b->pv[k] = b->changed[k] ? b->own[k] : r->pv0[k];
        }
        pts[q] = (wa_sim_point){m, b->changed, b->from_base, b->pv};
        if (st == WA_OK && !wa_sim_point_batchable(&pts[q]))
            batch = 0;
    }
    if (st == WA_OK && batch) {
        wa_sim_request rq = {r->base.m,    0,              r->base.trials,  r->base.trials,
                             r->base.seed, r->base.method, r->base.threads, NULL,
                             r->base.o.progress_ctx, NULL, r->pool,         r->base.replicates,
                             r->base.o.progress_cancel, 0, NULL};
        size_t bad = 0;
        st = wa_simulate_batch(&rq, pts, n, &bad, d);
        if (st != WA_OK)
            *failed_at = bad;
        double each = (now_s() - t0) / (double)(n ? n : 1);
        for (size_t q = 0; q < n && st == WA_OK; q++) {
            double t1 = now_s();
            wa_trials tr;
            wa_trials_whole(&tr, bp[q].pv, r->nopt, r->base.trials);
            out[q] = wa_run_plan_summarise(&bp[q].plan, &tr, NULL, r->r0, bp[q].same);
            if (!out[q]) {
                st = WA_ENOMEM;
                *failed_at = q;
            } else {
                wa_result_set_elapsed(out[q], each + now_s() - t1);
            }
        }
    }
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for %llu trials",
                    (unsigned long long)r->base.trials);
    for (size_t q = 0; bp && q < n; q++)
        batch_point_free(r, &bp[q]);
    wa_free(bp);
    wa_free(pts);
    if (st == WA_OK && !batch) /* one by one, as wa_runs_run */
        for (size_t q = 0; q < n && st == WA_OK; q++) {
            st = r->whole ? whole_point(r, opts[q], &out[q], d) : wa_runs_run(r, opts[q], &out[q], d);
            if (st != WA_OK)
                *failed_at = q;
        }
    if (st != WA_OK)
        for (size_t q = 0; q < n; q++) {
            wa_result_free(out[q]);
            out[q] = NULL;
        }
    return st;
}
