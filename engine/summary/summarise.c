/*
 * summarise.c — the statistics of SPEC §2 from the stored per-trial present values.
 *
 * W is the walk position's PV, O an offer's, D = O - W. Every figure is computed from the
 * arrays read in place (stats.h: sums in a fixed grouping, order statistics by histogram
 * selection), each series by one thread, so the result depends only on the numbers,
 * never on how many threads produced or summarised them.
 */
#include "summary/summarise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary/result.h"
#include "summary/stats.h"
#include "util/simd.h"
#include "util/alloc.h"

void wa_result_set_elapsed(wa_result *r, double seconds)
{
    if (r)
        r->s.elapsed_s = seconds;
}

/* The inputs the user wrote (not those the loader made for item probabilities), for the
   report's assumptions. -1 when out of memory. */
static int inputs(wa_result *r, const wa_model *m)
{
    int oom = 0;
    r->inputs = wa_calloc(m->ninputs ? m->ninputs : 1, sizeof *r->inputs);
    if (!r->inputs)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < m->ninputs; i++) {
        const wa_input *in = &m->inputs[i];
        if (in->hidden)
            continue;
        wa_input_summary *e = &r->inputs[n++];
        wa_input_describe(in, e); /* then the strings the result keeps */
        e->name = wa_result_keep(r, in->name, &oom);
        if (in->kind != WA_IN_SAMPLED)
            e->distribution = wa_result_keep(r, e->distribution, &oom);
    }
    r->s.ninputs = n;
    return oom ? -1 : 0;
}

/* Each offer's concession per unit of its price_units: the c-quantile of D / U. When U is
   the same in every trial that is the concession needed over U (units_end, once it is
   known); otherwise U is the hidden series o->units_series (positive in every trial: the
   simulation checked) and D / U is read in place (units_task). -1 when out of memory. */
static int units_begin(wa_result *r, const wa_model *m)
{
    int oom = 0;
    for (size_t k = 0; k < m->noffers; k++) {
        const wa_option *o = &m->options[k];
        r->offers[k].price_units = o->has_units ? wa_result_keep(r, o->units_label, &oom) : NULL;
        r->offers[k].concession_needed_per_unit = NAN;
    }
    return oom ? -1 : 0;
}

static int units_task(wa_result *r, const wa_model *m, wa_trials *tr, size_t k)
{
    const wa_option *o = &m->options[k];
    if (!o->has_units || !o->units_series || tr->n == 0)
        return 0;
    wa_series s = wa_series_minus(tr, k, m->noffers + r->s.walk);
    s.u = o->units_series;
    return wa_series_quantile(&s, r->s.confidence, &r->offers[k].concession_needed_per_unit);
}

static void units_end(wa_result *r, const wa_model *m, uint64_t n)
{
    for (size_t k = 0; k < m->noffers; k++) {
        const wa_option *o = &m->options[k];
        if (o->has_units && !o->units_series && n)
            r->offers[k].concession_needed_per_unit = r->offers[k].concession_needed / o->units_pv;
    }
}

/* The figures that need the walk besides the offers' own: per unit, then the vendor's
   side (vendor_figures.c), task i of late_count, each reading its own series. */
static size_t late_count(const wa_model *m, uint64_t n)
{
    return m->noffers + wa_vendor_tasks(m, n);
}

static int late_task(wa_result *r, const wa_model *m, wa_trials *tr, size_t i)
{
    return i < m->noffers ? units_task(r, m, tr, i)
                          : wa_vendor_task(r, m, tr, i - m->noffers);
}

/* All of them on nth threads (trials held whole, or one thread), between their
   beginnings and ends. -1 when out of memory. */
static int late_figures(wa_result *r, const wa_model *m, wa_trials *tr, int nth)
{
    if (units_begin(r, m) || wa_vendor_begin(r, m, tr->n))
        return -1;
    int oom = 0;
    long nl = (long)late_count(m, tr->n);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth)
    for (long i = 0; i < nl; i++)
        if (late_task(r, m, tr, (size_t)i)) {
#pragma omp atomic write
            oom = 1;
        }
    units_end(r, m, tr->n);
    wa_vendor_end(r, m, tr->n);
    return oom ? -1 : 0;
}

/* The alternative the walk stands on: named, the only one, or the lowest mean PV (ties to
   the first in file order); the means are the alternatives' own, or `means`. */
static size_t pick_walk(const wa_model *m, const wa_alternative_summary *alts,
                        const double *means)
{
    if (m->walk_rule != WA_WALK_BEST)
        return m->walk;
    size_t best = 0;
    for (size_t a = 1; a < m->noptions - m->noffers; a++)
        if (means ? means[a] < means[best] : alts[a].cost.mean < alts[best].cost.mean)
            best = a;
    return best;
}

/* Offer k's figures against the walk: the statistics of D = O - W read in place. -1 when
   out of memory. */
static void offer_beats(wa_offer_summary *os, wa_trials *tr, size_t O, size_t W,
                        unsigned replicates)
{
    wa_series adv = wa_series_minus(tr, O, W);
    os->p_walk_beats = wa_beats_interval(&adv, replicates, os->p_walk_beats_ci95);
}

/* D's statistics, concession_needed and expected_shortfall in one selection. */
static int offer_advantage(wa_offer_summary *os, wa_trials *tr, size_t O, size_t W,
                           double confidence)
{
    wa_series adv = wa_series_minus(tr, O, W);
    os->nsensitivity = 0;
    os->concession_needed_share = NAN; /* the insight's, when O > 0 in every trial */
    return wa_series_stats(&adv, &confidence, 1, &os->concession_needed,
                           (size_t)((tr->n + 19) / 20), &os->expected_shortfall,
                           &os->advantage);
}

/* SPEC 2: walk when walking beats the offer with confidence c, accept when the offer beats
   walking with it, otherwise negotiate (ask for the concession needed). */
static void offer_verdict(wa_offer_summary *os, double confidence)
{
    os->verdict = os->p_walk_beats >= confidence       ? "walk"
                  : os->p_walk_beats <= 1 - confidence ? "accept"
                                                       : "negotiate";
}

static int summarise_offer(wa_offer_summary *os, wa_trials *tr, size_t O, size_t W,
                           double confidence, unsigned replicates)
{
    offer_beats(os, tr, O, W, replicates);
    if (offer_advantage(os, tr, O, W, confidence))
        return -1;
    offer_verdict(os, confidence);
    return 0;
}

/* wins[a]: the trials in which alternative a is the cheapest, ties to the first in file
   order. Block by block: the index of the cheapest is found for a block with choices, not
   branches, then counted. */
WA_VECTORISED
static void count_cheapest(wa_trials *tr, size_t alt0, size_t nalts, uint64_t *wins)
{
    enum { CHUNK = 2048 };
    double bv[CHUNK];
    uint32_t bi[CHUNK];
    uint64_t n = tr->n;
    for (uint64_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t m = (size_t)(n - i0 < CHUNK ? n - i0 : CHUNK);
        const double *p0 = wa_trials_read(tr, alt0, i0, m);
        for (size_t i = 0; i < m; i++)
            bv[i] = p0[i], bi[i] = 0;
        for (size_t a = 1; a < nalts; a++) {
            const double *p = wa_trials_read(tr, alt0 + a, i0, m);
            for (size_t i = 0; i < m; i++) {
                int lt = p[i] < bv[i];
                bv[i] = lt ? p[i] : bv[i];
                bi[i] = lt ? (uint32_t)a : bi[i];
            }
        }
        for (size_t i = 0; i < m; i++)
            wins[bi[i]]++;
    }
}

/* What the summary's tasks share. */
typedef struct sum_ctx {
    const wa_model *m;
    const wa_run_info *info;
    wa_trials *tr;
    wa_result *r;
    long left;  /* alternatives not yet summarised */
    size_t w;   /* the walk, once they all are */
    int oom;
    double (*q)[2];  /* each alternative's ceilings */
    uint64_t *wins;  /* the trials in which each alternative is the cheapest */
    wa_gate walk_known; /* side by side: the offers' readers wait for the walk */
    int walk_ok;        /* and then read whether it was found */
} sum_ctx;

static void failed(sum_ctx *c)
{
#pragma omp atomic write
    c->oom = 1;
}

/* The summary's tasks, each a series (or the alternatives together) read alone. */
static void alt_task(sum_ctx *c, size_t a)
{
    double p2[2] = {c->info->confidence, 1 - c->info->confidence};
    wa_series alt = wa_series_one(c->tr, c->m->noffers + a);
    if (wa_series_stats(&alt, p2, 2, c->q[a], 0, NULL, &c->r->alts[a].cost))
        failed(c);
}

static void cost_task(sum_ctx *c, size_t k)
{
    wa_series cost = wa_series_one(c->tr, k);
    if (wa_series_stats(&cost, NULL, 0, NULL, 0, NULL, &c->r->offers[k].cost))
        failed(c);
}

static void offer_task(sum_ctx *c, size_t k)
{
    if (summarise_offer(&c->r->offers[k], c->tr, k, c->m->noffers + c->w, c->info->confidence,
                        c->info->replicates))
        failed(c);
}

/* Picks the walk (every alternative is summarised) and queues each offer against it. */
static void offer_tasks(sum_ctx *c)
{
    c->w = pick_walk(c->m, c->r->alts, NULL);
    for (size_t k = 0; k < c->m->noffers; k++) {
#pragma omp task
        offer_task(c, k);
    }
}

/* Side by side (trials regenerated by window, trials.h), one reader each: the walk (from
   the alternatives' means, read together), each alternative, each offer's cost, the
   cheapest alternative, each offer against the walk (offer_reader), and, once the walk is
   known, the late figures. The walk is known after one pass, and each offer's first pass
   is made against every alternative the walk may be, so the offers' figures take no
   more passes than the alternatives': a summary of two simulations (the first of them the
   draw itself, trials.h), three with late figures. */
static void walk_reader(sum_ctx *c)
{
    const wa_model *m = c->m;
    size_t nalts = m->noptions - m->noffers;
    double *means = NULL;
    int ok = 1;
    if (m->walk_rule == WA_WALK_BEST && nalts) {
        wa_series *alts = wa_calloc(nalts, sizeof *alts);
        means = wa_calloc(nalts, sizeof *means);
        for (size_t a = 0; alts && means && a < nalts; a++)
            alts[a] = wa_series_one(c->tr, m->noffers + a);
        ok = alts && means && wa_series_means(alts, nalts, means) == 0;
        wa_free(alts);
    }
    if (ok) {
        c->w = c->r->s.walk = pick_walk(m, c->r->alts, means);
        c->walk_ok = 1;
    } else {
        failed(c);
    }
    wa_free(means);
    wa_trials_open(c->tr, &c->walk_known);
}

/* Offer k: the first pass of D = O - A and its p_walk_beats counts for every alternative A
   the walk may be, read together; then, once the walk is known, the walk's D on to its
   second pass. The same figures, bit for bit, as offer_beats and offer_advantage. */
static void offer_reader(sum_ctx *c, size_t k)
{
    const wa_model *m = c->m;
    size_t K = m->noffers, nalts = m->noptions - K;
    int best = m->walk_rule == WA_WALK_BEST && nalts > 1;
    size_t a0 = best ? 0 : pick_walk(m, NULL, NULL), na = best ? nalts : 1;
    uint64_t n = c->tr->n;
    wa_first *f = wa_calloc(na, sizeof *f);
    wa_series *d = wa_calloc(na, sizeof *d);
    int bad = !f || !d;
    for (size_t j = 0; j < na && !bad; j++) {
        d[j] = wa_series_minus(c->tr, k, K + a0 + j);
        bad = wa_first_init(&f[j], WA_FIRST_STATS | WA_FIRST_BEATS, c->info->replicates, n) != 0;
    }
    for (uint64_t i0 = 0; i0 < n && !bad; i0 += WA_FIRST_CHUNK)
        for (size_t j = 0; j < na; j++)
            wa_first_chunk(&f[j], &d[j], i0, (size_t)(n - i0 < WA_FIRST_CHUNK ? n - i0 : WA_FIRST_CHUNK));
    wa_trials_wait(c->tr, &c->walk_known);
    size_t w = c->walk_ok ? c->w - a0 : 0;
    for (size_t j = 0; f && j < na; j++)
        if (j != w || bad || !c->walk_ok)
            wa_first_free(&f[j]); /* before the second pass: only the walk's is read on */
    if (bad)
        failed(c);
    if (!bad && c->walk_ok) {
        wa_offer_summary *os = &c->r->offers[k];
        os->p_walk_beats = wa_beats_from(&f[w], n, os->p_walk_beats_ci95);
        os->nsensitivity = 0;
        os->concession_needed_share = NAN; /* the insight's, when O > 0 in every trial */
        double conf = c->info->confidence;
        if (wa_series_stats_from(&d[w], &f[w], &conf, 1, &os->concession_needed,
                                 (size_t)((n + 19) / 20), &os->expected_shortfall, &os->advantage))
            failed(c);
    }
    wa_free(f);
    wa_free(d);
}

static void side_reader(void *ctx, size_t i)
{
    sum_ctx *c = ctx;
    size_t nalts = c->m->noptions - c->m->noffers, K = c->m->noffers;
    if (i == 0) {
        walk_reader(c);
        return;
    }
    i--;
    if (i < nalts) {
        alt_task(c, i);
        return;
    }
    i -= nalts;
    if (i < K) {
        cost_task(c, i);
        return;
    }
    i -= K;
    if (i < K) {
        offer_reader(c, i);
        return;
    }
    i -= K;
    if (nalts && i == 0) {
        count_cheapest(c->tr, K, nalts, c->wins);
        return;
    }
    i -= nalts ? 1 : 0;
    wa_trials_wait(c->tr, &c->walk_known);
    if (!c->walk_ok)
        return; /* failed, and said so */
    if (late_task(c->r, c->m, c->tr, i))
        failed(c);
}

/* The summary when some series are the very same as in `reuse` (same[o]): their figures
   are copied, the others computed by the same functions as a whole summary, so every
   figure is bit for bit what a whole summary gives. Returns 0, or -1 when out of memory. */
static int summarise_reusing(wa_result *r, const wa_model *m, const wa_run_info *info,
                             wa_trials *tr, const wa_result *reuse, const unsigned char *same)
{
    uint64_t n = info->trials;
    size_t nalts = m->noptions - m->noffers, nk = m->noffers;
    int nth = wa_trials_windowed(tr) || info->threads < 1 ? 1 : info->threads;
    const wa_summary *rs = wa_result_summary(reuse);
    int oom = 0, alts_same = 1;
    for (size_t a = 0; a < nalts; a++)
        alts_same &= same[nk + a] != 0;

    /* the alternatives: each changed one summarised with both ceilings at hand */
    double(*q)[2] = wa_calloc(nalts ? nalts : 1, sizeof *q);
    if (!q)
        return -1;
    double p2[2] = {info->confidence, 1 - info->confidence};
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth)
    for (size_t a = 0; a < nalts; a++) {
        if (same[nk + a]) {
            r->alts[a].cost = wa_result_alternative(reuse, a)->cost;
            continue;
        }
        wa_series alt = wa_series_one(tr, nk + a);
        if (wa_series_stats(&alt, p2, 2, q[a], 0, NULL, &r->alts[a].cost)) {
#pragma omp atomic write
            oom = 1;
        }
    }
    size_t w = pick_walk(m, r->alts, NULL);
    /* the walk's series is reuse's walk series when it is the same alternative, unchanged */
    int walk_same = same[nk + w] && w == rs->walk;
    if (walk_same) {
        q[w][0] = rs->ceiling_confident;
        q[w][1] = rs->ceiling_accept_below;
    } else if (same[nk + w]) { /* a walk of its own now, unchanged: its ceilings */
        wa_series alt = wa_series_one(tr, nk + w);
        wa_stats unused;
        if (wa_series_stats(&alt, p2, 2, q[w], 0, NULL, &unused))
            oom = 1;
    }
    r->s.walk = w;
    r->s.walk_cost = r->alts[w].cost;
    r->s.ceiling_expected = r->s.walk_cost.mean;
    r->s.ceiling_confident = q[w][0];
    r->s.ceiling_accept_below = q[w][1];
    wa_free(q);
    if (alts_same) {
        for (size_t a = 0; a < nalts; a++)
            r->alts[a].p_cheapest = wa_result_alternative(reuse, a)->p_cheapest;
    } else if (nalts) {
        uint64_t *wins = wa_calloc(nalts, sizeof *wins);
        if (!wins)
            return -1;
        count_cheapest(tr, nk, nalts, wins);
        for (size_t a = 0; a < nalts; a++)
            r->alts[a].p_cheapest = (double)wins[a] / (double)n;
        wa_free(wins);
    }

    /* the offers: cost when changed; against the walk when either changed */
    size_t W = nk + w;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth)
    for (size_t k = 0; k < nk; k++) {
        wa_offer_summary *os = &r->offers[k];
        const wa_offer_summary *old = wa_result_offer(reuse, k);
        const char *name = os->name, *desc = os->description;
        int bad = 0;
        if (same[k] && walk_same) {
            *os = *old; /* every figure */
            os->name = name;
            os->description = desc;
            continue;
        }
        if (same[k]) {
            os->cost = old->cost;
        } else {
            wa_series cost = wa_series_one(tr, k);
            bad |= wa_series_stats(&cost, NULL, 0, NULL, 0, NULL, &os->cost) != 0;
        }
        bad |= summarise_offer(os, tr, k, W, info->confidence, info->replicates) != 0;
        if (bad) {
#pragma omp atomic write
            oom = 1;
        }
    }
    return oom ? -1 : 0;
}

wa_result *wa_summarise(const wa_model *m, const wa_run_info *info, wa_trials *tr,
                        const wa_result *reuse, const unsigned char *same)
{
    uint64_t n = info->trials;
    size_t nalts = m->noptions - m->noffers;
    /* regenerated trials have one reader at a time (trials.h) */
    int nth = wa_trials_windowed(tr) || info->threads < 1 ? 1 : info->threads;
    wa_result *r = wa_result_new(nalts, m->noffers, info->nwarnings);
    int oom = 0;
    if (!r)
        return NULL;

    wa_summary *s = &r->s;
    s->file = wa_result_keep(r, info->file, &oom);
    s->scenario = wa_result_keep(r, info->scenario, &oom);
    s->variant = wa_result_keep(r, info->variant, &oom);
    s->currency = wa_result_keep(r, info->currency, &oom);
    s->trials = n;
    s->seed = info->seed;
    s->method = info->method;
    s->confidence = info->confidence;
    s->horizon = m->horizon;
    for (size_t i = 0; i < info->nwarnings; i++)
        r->warnings[i] = wa_result_keep(r, info->warnings[i], &oom);
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].name = wa_result_keep(r, m->options[m->noffers + a].name, &oom);
    for (size_t k = 0; k < m->noffers; k++)
        r->offers[k].name = wa_result_keep(r, m->options[k].name, &oom);
    s->description = wa_result_keep(r, info->description, &oom);
    s->discount_rate = m->discount_rate;
    s->has_risk_tolerance = m->has_risk_tolerance;
    s->risk_tolerance = m->risk_tolerance;
    if (inputs(r, m))
        goto fail;
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].description = wa_result_keep(r, m->options[m->noffers + a].description, &oom);
    for (size_t k = 0; k < m->noffers; k++)
        r->offers[k].description = wa_result_keep(r, m->options[k].description, &oom);
    if (oom)
        goto fail;

    if (reuse && same) {
        if (summarise_reusing(r, m, info, tr, reuse, same))
            goto fail;
        s->walk_name = r->alts[s->walk].name;
        s->walk_chosen_by = m->walk_rule == WA_WALK_NAMED ? "named"
                            : m->walk_rule == WA_WALK_BEST ? "best" : "only";
        return late_figures(r, m, tr, nth) ? (wa_result_free(r), NULL) : r;
    }

    /* OpenMP tasks, one per series, each summarised alone and read in place, so the number
       of threads cannot change a bit: each alternative (with its ceilings), each offer's
       cost, which alternative is cheapest in each trial; and, as soon as the last
       alternative is done (the walk rule `best` needs their means), each offer against the
       walk. The alternatives are queued first, so the walk is known early and the other
       tasks fill the threads meanwhile. */
    double(*q)[2] = wa_calloc(nalts ? nalts : 1, sizeof *q); /* each alternative's ceilings */
    uint64_t *wins = wa_calloc(nalts ? nalts : 1, sizeof *wins);
    if (!q || !wins) {
        wa_free(q);
        wa_free(wins);
        goto fail;
    }
    sum_ctx c = {m, info, tr, r, (long)nalts, 0, 0, q, wins, {0}, 0};
    if (wa_trials_side_by_side(tr)) {
        if (units_begin(r, m) || wa_vendor_begin(r, m, n))
            c.oom = 1;
        else
            wa_trials_readers(tr, 1 + nalts + 2 * m->noffers + (nalts ? 1 : 0) + late_count(m, n),
                              side_reader, &c);
        for (size_t k = 0; k < m->noffers; k++)
            offer_verdict(&r->offers[k], info->confidence);
    } else {
#pragma omp parallel num_threads(nth)
#pragma omp single
        {
            for (size_t a = 0; a < nalts; a++) {
#pragma omp task
                {
                    alt_task(&c, a);
                    long left;
#pragma omp atomic capture
                    left = --c.left;
                    if (left == 0)
                        offer_tasks(&c);
                }
            }
            for (size_t k = 0; k < m->noffers; k++) {
#pragma omp task
                cost_task(&c, k);
            }
            if (nalts) {
#pragma omp task
                count_cheapest(tr, m->noffers, nalts, wins);
            } else {
                offer_tasks(&c);
            }
        }
    }
    size_t w = c.w;
    if (c.oom) {
        wa_free(q);
        wa_free(wins);
        goto fail;
    }

    s->walk = w;
    s->walk_name = r->alts[w].name;
    s->walk_chosen_by = m->walk_rule == WA_WALK_NAMED ? "named"
                        : m->walk_rule == WA_WALK_BEST ? "best" : "only";
    s->walk_cost = r->alts[w].cost;
    s->ceiling_expected = s->walk_cost.mean;
    s->ceiling_confident = q[w][0];
    s->ceiling_accept_below = q[w][1];
    wa_free(q);
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].p_cheapest = (double)wins[a] / (double)n;
    wa_free(wins);
    if (wa_trials_side_by_side(tr)) { /* the late figures were read with the offers */
        units_end(r, m, n);
        wa_vendor_end(r, m, n);
    } else if (late_figures(r, m, tr, nth)) {
        goto fail;
    }
    return r;
fail:
    wa_result_free(r);
    return NULL;
}
