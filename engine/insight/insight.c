/*
 * insight.c — the insight added to a summarised result (see insight.h): the quantile grids
 * and percentiles, concession_needed_share, then the pass (pass.c) and the figures made
 * from it (sensitivity.c, voi.c, ranking.c), and the certainty equivalents.
 */
#include "insight/insight.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insight/figures.h"
#include "insight/pass.h"
#include "summary/histogram.h"
#include "summary/result.h"
#include "summary/stats.h"
#include "util/alloc.h"

#define NPCT 99
#define NCHART (NPCT + 2) /* p0.5, p1 ... p99, p99.5: a histogram's range and percentiles */
#define HIST_BINS 40       /* about as many bins in a chart's histogram */

/* The probabilities asked of the options: the grid 0.001 ... 0.999, in which p1 ... p99
   are every tenth (k / 100 and 10k / 1000 are the same double: each is the correctly
   rounded value of the same number); then p1 ... p99 alone, for the advantages. */
static void probabilities(double *p)
{
    for (size_t i = 0; i < WA_NGRID; i++)
        p[i] = (double)(i + 1) / 1000;
    for (size_t j = 0; j < NPCT; j++)
        p[WA_NGRID + j] = (double)(j + 1) / 100;
}

/* p0.5, then p1 ... p99 (the same doubles as probabilities()'s), then p99.5. */
static void chart_probabilities(double *p)
{
    p[0] = 0.005;
    for (size_t j = 0; j < NPCT; j++)
        p[1 + j] = (double)(j + 1) / 100;
    p[NCHART - 1] = 0.995;
}

/* A histogram's view, from what was counted. */
static void hist_view(wa_result_hist *rh, uint64_t n)
{
    rh->view.size = sizeof rh->view;
    rh->view.nbins = rh->h.nbins;
    rh->view.width = wa_nice_value(rh->h.step);
    rh->view.below = rh->h.below;
    rh->view.above = rh->h.above;
    rh->view.trials = n;
}

/* D's histogram over its central 99% (q: its chart quantiles), stretched to take in 0 when
   0 lies within a quarter of that range of it: the line between walking and the deal is
   what the chart is read by, and a bar chart that stops just short of it hides it. */
static void advantage_hist(wa_result_hist *rh, const wa_series *s, const double *q)
{
    double lo = q[0], hi = q[NCHART - 1], reach = (hi - lo) / 4;
    if (lo > 0 && lo <= reach)
        lo = 0;
    if (hi < 0 && -hi <= reach)
        hi = 0;
    if (wa_hist_plan(&rh->h, lo, hi, HIST_BINS) == 0)
        wa_hist_count(&rh->h, s);
    hist_view(rh, s->n);
}

typedef struct hists_ctx {
    wa_result *r;
    wa_trials *tr;
    size_t W, R;
} hists_ctx;

/* W's histogram (0) or R's (1), counted on the edges planned. */
static void hist_reader(void *ctx, size_t i)
{
    hists_ctx *c = ctx;
    wa_series s = wa_series_one(c->tr, i == 0 ? c->W : c->R);
    wa_hist_count(i == 0 ? &c->r->whist->h : &c->r->rhist->h, &s);
}

/* W's histogram, and with a vendor section R's on the same edges (over the central 99% of
   both), so that a chart can lay one over the other. wq: W's 0.1% grid; rq: R's chart
   quantiles, or NULL. */
static void walk_hists(wa_result *r, wa_trials *tr, size_t W, size_t R, uint64_t n,
                       const double *wq, const double *rq)
{
    double lo = wq[4], hi = wq[994]; /* p0.5, p99.5: the grid is (i + 1) / 1000 */
    if (rq) {
        lo = rq[0] < lo ? rq[0] : lo;
        hi = rq[NCHART - 1] > hi ? rq[NCHART - 1] : hi;
    }
    wa_hist plan;
    if (wa_hist_plan(&plan, lo, hi, HIST_BINS) != 0)
        memset(&plan, 0, sizeof plan);
    r->whist->h = plan;
    if (rq)
        r->rhist->h = plan;
    hists_ctx c = {r, tr, W, R};
    size_t nh = rq ? 2 : 1;
    if (wa_trials_side_by_side(tr))
        wa_trials_readers(tr, nh, hist_reader, &c); /* side by side: trials.h */
    else
        for (size_t i = 0; i < nh; i++)
            hist_reader(&c, i);
    hist_view(r->whist, n);
    if (rq)
        hist_view(r->rhist, n);
}

/* The c-quantile of D / O, for an offer whose cost is positive in every trial; NaN
   otherwise. -1 when out of memory. */
static int share_needed(wa_trials *tr, size_t O, size_t W, double c, double min_cost,
                        double *out)
{
    *out = NAN;
    if (!(min_cost > 0) || tr->n == 0)
        return 0;
    wa_series s = wa_series_minus(tr, O, W);
    s.share = 1;
    return wa_series_quantile(&s, c, out);
}

/* The certainty equivalents, and a warning for each that rests on few trials. */
static int certainty(const wa_model *m, const wa_pass *p, uint64_t n, wa_result *r)
{
    if (!m->has_risk_tolerance)
        return 0;
    double R = m->risk_tolerance;
    for (size_t o = 0; o < m->noptions; o++) {
        int offer = o < m->noffers;
        const wa_stats *st = offer ? &r->offers[o].cost : &r->alts[o - m->noffers].cost;
        double ce = st->max + R * log(p->ce[o] / (double)n);
        double ess = p->ce2[o] > 0 ? p->ce[o] * p->ce[o] / p->ce2[o] : 0;
        if (offer) {
            r->offers[o].has_certainty_equivalent = 1;
            r->offers[o].certainty_equivalent = ce;
        } else {
            r->alts[o - m->noffers].has_certainty_equivalent = 1;
            r->alts[o - m->noffers].certainty_equivalent = ce;
        }
        double few = (double)n / 10 < 1000 ? (double)n / 10 : 1000;
        if (ess < few) {
            char w[512];
            snprintf(w, sizeof w,
                     "the certainty equivalent of '%s' rests on few trials (as many as %.0f of %llu equally weighted ones): its cost has a heavy right tail for risk_tolerance %g, so the figure is unstable",
                     m->options[o].name, ess, (unsigned long long)n, R);
            if (wa_result_add_warning(r, w))
                return -1;
        }
    }
    return 0;
}

static int sensitivity(const wa_model *m, const wa_pass *p, uint64_t n, size_t walk,
                       wa_result *r)
{
    int oom = 0;
    for (size_t k = 0; k < m->noffers; k++) {
        wa_free(r->sens[k]);
        r->sens[k] = wa_calloc(p->J ? p->J : 1, sizeof *r->sens[k]);
        if (!r->sens[k])
            return -1;
        for (size_t j = 0; j < p->J; j++) {
            r->sens[k][j].size = sizeof r->sens[k][j];
            r->sens[k][j].input = wa_result_keep(r, m->inputs[p->input[j]].name, &oom);
        }
        wa_sensitivity_compute(p, m, k, walk, n, r->sens[k]);
        r->offers[k].nsensitivity = p->J;
    }
    return oom ? -1 : 0;
}

static int voi(const wa_model *m, const wa_pass *p, uint64_t n, wa_result *r)
{
    int oom = 0;
    wa_free(r->voi);
    r->voi = wa_calloc(p->J ? p->J : 1, sizeof *r->voi);
    if (!r->voi)
        return -1;
    for (size_t j = 0; j < p->J; j++) {
        r->voi[j].size = sizeof r->voi[j];
        r->voi[j].input = wa_result_keep(r, m->inputs[p->input[j]].name, &oom);
    }
    wa_voi_compute(p, m, n, &r->s.evpi, &r->s.evpi_se, r->voi);
    /* largest first, ties in input order (stable insertion) */
    for (size_t i = 1; i < p->J; i++)
        for (size_t j = i; j > 0 && r->voi[j].evppi > r->voi[j - 1].evppi; j--) {
            wa_voi t = r->voi[j];
            r->voi[j] = r->voi[j - 1];
            r->voi[j - 1] = t;
        }
    r->s.nvoi = p->J;
    r->s.best_in_expectation = wa_result_keep(r, m->options[p->opt_star].name, &oom);
    r->s.voi_method = "bins-jackknife";
    return oom ? -1 : 0;
}

static int ranking(const wa_model *m, const wa_pass *p, uint64_t n, const double *const *grid,
                   const double *mean, wa_result *r)
{
    size_t O = m->noptions;
    size_t *order = wa_malloc(O * sizeof *order);
    wa_pair *pairs = wa_malloc((O * O + 1) * sizeof *pairs);
    wa_free(r->ranking);
    wa_free(r->dominance);
    r->ranking = wa_calloc(O, sizeof *r->ranking);
    r->dominance = NULL;
    int oom = !order || !pairs || !r->ranking;
    size_t nd = 0;
    if (!oom) {
        wa_ranking_compute(O, mean, grid, order, pairs, &nd);
        r->dominance = wa_calloc(nd ? nd : 1, sizeof *r->dominance);
        oom = !r->dominance;
    }
    for (size_t i = 0; i < O && !oom; i++) {
        size_t o = order[i];
        wa_rank *e = &r->ranking[i];
        e->size = sizeof *e;
        e->name = o < m->noffers ? r->offers[o].name : r->alts[o - m->noffers].name;
        e->role = o < m->noffers ? "offer" : "alternative";
        e->mean = mean[o];
        e->p_best = (double)p->best[o] / (double)n;
    }
    for (size_t i = 0; i < nd && !oom; i++) {
        wa_dominance *dm = &r->dominance[i];
        dm->size = sizeof *dm;
        size_t a = pairs[i].better, b = pairs[i].worse;
        dm->better = a < m->noffers ? r->offers[a].name : r->alts[a - m->noffers].name;
        dm->worse = b < m->noffers ? r->offers[b].name : r->alts[b - m->noffers].name;
        dm->order = pairs[i].order;
    }
    r->s.nranking = oom ? 0 : O;
    r->s.ndominance = oom ? 0 : nd;
    wa_free(order);
    wa_free(pairs);
    return oom ? -1 : 0;
}

/* What the insight's tasks over one series share. */
typedef struct series_ctx {
    const wa_model *m;
    wa_result *r;
    wa_trials *tr;
    const double *P, *PC; /* the grid's and the charts' probabilities */
    double *grid;         /* [noptions][WA_NGRID] */
    const double *max, *dmin, *dmax;
    double *rchart;       /* R's chart quantiles */
    wa_drank *dr;         /* [noffers] D's ranks, for the pass */
    int oom;
} series_ctx;

/* Task t: option t's grid and percentiles; then each offer's advantage percentiles and
   histogram; then each offer's share; then R's percentiles, when there is a vendor; then
   each offer's D ranks for the pass. */
static void series_task(series_ctx *c, size_t t)
{
    const wa_model *m = c->m;
    wa_result *r = c->r;
    size_t K = m->noffers, O = m->noptions, walk = K + r->s.walk;
    size_t first_rank = O + 2 * K + (m->vendor ? 1 : 0);
    double q[WA_NGRID + NPCT];
    int bad = 0;
    if (t >= first_rank) {
        size_t k = t - first_rank;
        bad = wa_drank_make(&c->dr[k], c->tr, k, walk, c->dmin[k], c->dmax[k]);
    } else if (t < O) {
        size_t o = t;
        wa_series s = wa_series_one(c->tr, o);
        double lo = o < K ? r->offers[o].cost.min : r->alts[o - K].cost.min;
        bad = wa_series_grid(&s, lo, c->max[o], c->P, WA_NGRID, q);
        memcpy(c->grid + o * WA_NGRID, q, WA_NGRID * sizeof *q);
        for (size_t j = 0; j < NPCT; j++)
            r->pct[o * NPCT + j] = q[10 * j + 9];
    } else if (t < O + K) {
        size_t k = t - O;
        wa_series s = wa_series_minus(c->tr, k, walk);
        bad = wa_series_grid(&s, c->dmin[k], c->dmax[k], c->PC, NCHART, q);
        memcpy(r->pct + (O + k) * NPCT, q + 1, NPCT * sizeof *q);
        if (!bad)
            advantage_hist(&r->dhist[k], &s, q);
    } else if (t == O + 2 * K) {
        wa_series s = wa_series_one(c->tr, m->vendor->walk_all);
        bad = wa_series_grid(&s, r->s.vendor_walk.min, r->s.vendor_walk.max, c->PC, NCHART,
                             c->rchart);
        memcpy(r->rpct, c->rchart + 1, NPCT * sizeof *c->rchart);
    } else {
        size_t k = t - O - K;
        bad = share_needed(c->tr, k, walk, r->s.confidence, r->offers[k].cost.min,
                           &r->offers[k].concession_needed_share);
    }
    if (bad) {
#pragma omp atomic write
        c->oom = 1;
    }
}

static void series_reader(void *ctx, size_t t) { series_task(ctx, t); }

int wa_insight(const wa_insight_request *rq, wa_result *r)
{
    const wa_model *m = rq->model;
    size_t K = m->noffers, O = m->noptions, walk = K + r->s.walk;
    uint64_t n = rq->trials;
    wa_trials *tr = rq->trials_of;
    double P[WA_NGRID + NPCT];
    probabilities(P);
    double *mean = wa_malloc(O * sizeof *mean), *max = wa_malloc(O * sizeof *max);
    double *dmin = wa_malloc((K ? K : 1) * sizeof *dmin), *dmax = wa_malloc((K ? K : 1) * sizeof *dmax);
    double *grid = wa_malloc(O * WA_NGRID * sizeof *grid);
    const double **gp = wa_malloc(O * sizeof *gp);
    wa_free(r->pct);
    r->pct = wa_malloc((O + K) * NPCT * sizeof *r->pct);
    /* the charts' data: D's histograms, W's and R's, R's percentiles */
    const wa_vendor *vd = m->vendor;
    double PC[NCHART], rchart[NCHART]; /* R's chart quantiles */
    chart_probabilities(PC);
    wa_free(r->dhist);
    wa_free(r->whist);
    wa_free(r->rhist);
    wa_free(r->rpct);
    r->dhist = wa_calloc(K ? K : 1, sizeof *r->dhist);
    r->whist = wa_calloc(1, sizeof *r->whist);
    r->rhist = vd ? wa_calloc(1, sizeof *r->rhist) : NULL;
    r->rpct = vd ? wa_malloc(NPCT * sizeof *r->rpct) : NULL;
    wa_drank *dr = wa_calloc(K ? K : 1, sizeof *dr);
    int oom = !mean || !max || !dmin || !dmax || !grid || !gp || !r->pct || !r->dhist ||
              !r->whist || (vd && (!r->rhist || !r->rpct)) || !dr;
    for (size_t o = 0; o < O && !oom; o++) {
        const wa_stats *st = o < K ? &r->offers[o].cost : &r->alts[o - K].cost;
        mean[o] = st->mean;
        max[o] = st->max;
        gp[o] = grid + o * WA_NGRID;
    }
    for (size_t k = 0; k < K && !oom; k++) {
        dmin[k] = r->offers[k].advantage.min;
        dmax[k] = r->offers[k].advantage.max;
    }

    /* every option's grid and percentiles, every offer's advantage percentiles, histogram,
       share and ranks, R's percentiles: one series per task, each read by one thread (side
       by side when the trials are regenerated: trials.h) */
    if (!oom) {
        series_ctx c = {m, r, tr, P, PC, grid, max, dmin, dmax, rchart, dr, 0};
        size_t ntask = O + 2 * K + (vd ? 1 : 0) + K;
        if (wa_trials_side_by_side(tr)) {
            wa_trials_readers(tr, ntask, series_reader, &c);
        } else {
            int nth = wa_trials_windowed(tr) || rq->threads < 1 ? 1 : rq->threads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth)
            for (size_t t = 0; t < ntask; t++)
                series_task(&c, t);
        }
        oom = c.oom;
    }
    for (size_t o = 0; o < O && !oom; o++) {
        if (o < K)
            r->offers[o].cost_percentiles = r->pct + o * NPCT;
        else
            r->alts[o - K].percentiles = r->pct + o * NPCT;
    }
    for (size_t k = 0; k < K && !oom; k++)
        r->offers[k].advantage_percentiles = r->pct + (O + k) * NPCT;
    if (!oom)
        walk_hists(r, tr, walk, vd ? vd->walk_all : WA_NO_SERIES, n, grid + walk * WA_NGRID,
                   vd ? rchart : NULL);

    wa_pass p;
    memset(&p, 0, sizeof p);
    if (!oom) {
        wa_pass_request prq = {m, tr, n, rq->seed, rq->method, rq->threads,
                               walk, mean, max, dmin, dmax, dr, rq->replicates};
        oom = wa_pass_run(&prq, &p) != 0;
    }
    if (!oom)
        oom = sensitivity(m, &p, n, walk, r) || voi(m, &p, n, r) ||
              ranking(m, &p, n, gp, mean, r) || certainty(m, &p, n, r);
    wa_pass_free(&p);
    for (size_t k = 0; dr && k < K; k++)
        wa_drank_free(&dr[k]);
    wa_free(dr);
    wa_free(mean);
    wa_free(max);
    wa_free(dmin);
    wa_free(dmax);
    wa_free(grid);
    wa_free(gp);
    return oom ? -1 : 0;
}
