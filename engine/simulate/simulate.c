/*
 * simulate.c — the block engine (see simulate.h).
 *
 * Invariants: a block's numbers depend only on (seed, method, block index, model); each block
 * writes only its own range of the output arrays; per-thread workspaces are made before
 * the loop, and nothing is allocated inside it. Non-finite values are counted per
 * expression where they arise (a NaN inherited from a NaN input is not counted again), and
 * the counts are integers, so their sum does not depend on the order of blocks.
 */
#include "simulate/simulate.h"
#include "simulate/ranks.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/diag.h"
#include "sample/normq.h"
#include "sample/rng.h"
#include "sample/uniforms.h"
#include "util/vmath.h"
#include "util/simd.h"
#include "util/alloc.h"

typedef struct counters {
    uint64_t *input;  /* per input (derived ones): trials where it turned non-finite */
    uint64_t *item;   /* per item, flattened in option order */
    uint64_t *option; /* per option: non-finite present values */
    uint64_t *first;  /* per counter: first trial affected (min over blocks) */
} counters;

typedef struct work {
    double *cols;      /* nslots columns */
    const double **slots;
    double *ws;        /* expression workspace */
    double *a, *g, *c, *p; /* amount, growth, contribution, compounded growth */
    double *q, *f;         /* an item's probability at a year, and its trials out of 0..1 */
    double *r;             /* an item's currency rate at a year */
    uint64_t *cnt;     /* ninputs + nitems + noptions counters, then as many first-trials */
    uint32_t *perm;    /* latin-hypercube strata */
    double **zcols;    /* the correlated inputs' columns */
    size_t cap_slots, cap_ws, cap_k, cap_cnt; /* what the arrays hold */
} work;

/* A study's workspaces, two per thread (a batch's base and point), kept from one
   simulation to the next. */
struct wa_sim_pool {
    work *w;
    size_t n;
};

static size_t total_items(const wa_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < wa_model_nseries(m); i++)
        n += m->options[i].nitems;
    return n;
}

/* Counters of non-finite values: per input, per item, per option, then per item again for
   a probability outside 0..1, again for an uncertain year outside the horizon, and again
   for a growth that makes a finite amount overflow. */
static size_t ncounters(const wa_model *m)
{
    return m->ninputs + 4 * total_items(m) + wa_model_nseries(m);
}

/* Nonzero when some slot the program reads is non-finite at trial i: the non-finite value
   was inherited, not produced here. */
static int inherited(const ex_prog *p, const double *const *slots, size_t i)
{
    for (size_t k = 0; p && k < ex_prog_nslots(p); k++)
        if (!isfinite(slots[ex_prog_slot(p, k)][i]))
            return 1;
    return 0;
}

/* Item it's amount for n trials at year t (again as ex_eval_year's): its program's, or
   the number it is, filled in as a constant program would (an amount that is a number
   has no program). */
static void amount_eval(const wa_item *it, const double *const *slots, double t, size_t n,
                        double *out, double *ws, int again)
{
    if (!it->amount.prog) {
        for (size_t i = 0; i < n; i++)
            out[i] = it->amount_value;
    } else if (again) {
        ex_eval_year(it->amount.prog, slots, t, n, out, ws, again);
    } else {
        ex_eval(it->amount.prog, slots, t, n, out, ws);
    }
}

static void count_bad(uint64_t *cnt, uint64_t *first, uint64_t start, size_t i)
{
    if (*cnt == 0 || start + i < *first)
        *first = start + i;
    (*cnt)++;
}

static int any_nonfinite(const double *x, size_t n)
{
    /* an exponent field of all ones is an infinity or a NaN; or-ing integer flags is a
       reduction the vectoriser may reorder (a floating-point sum is not) */
    const uint64_t EXP = 0x7ff0000000000000ULL;
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= (wa_bits(x[i]) & EXP) == EXP;
    return bad;
}

/* out[t] = (or += when add) sign * v, v = src[t] * f, or 0 where a `probability` column h
   is 0; returns whether some v is NaN or infinite. add and h are constants at each call
   (WA_KERNEL), so that every case is a loop of its own that vectorises. */
WA_KERNEL int accumulate(double *restrict out, const double *restrict src, double f, double sg,
                         const double *restrict h, const int add, size_t n)
{
    const uint64_t EXP = 0x7ff0000000000000ULL;
    int bad = 0;
    for (size_t t = 0; t < n; t++) {
        double v = src[t] * f;
        bad |= (wa_bits(v) & EXP) == EXP;
        double x = sg * (h ? (h[t] != 0 ? v : 0.0) : v);
        out[t] = add ? out[t] + x : x;
    }
    return bad;
}

/* Completes need[0..ninputs]: the inputs that needed derived inputs read, and, when a
   correlated input is needed, the copula (need[ninputs]) and every correlated input, as
   the copula mixes them all. */
static void close_needs(const wa_model *m, unsigned char *need)
{
    /* inputs come in dependency order: a derived input's own inputs are before it */
    for (size_t i = m->ninputs; i > 0 ? (i--, 1) : 0;) /* down, no wrap */ {
        const wa_input *in = &m->inputs[i];
        if (need[i] && in->kind == WA_IN_DERIVED)
            for (size_t k = 0; k < ex_prog_nslots(in->formula->expr.prog); k++)
                need[m->slot_input[ex_prog_slot(in->formula->expr.prog, k)]] = 1;
    }
    for (size_t j = 0; j < m->corr.k && !need[m->ninputs]; j++)
        for (size_t i = 0; i < m->ninputs; i++)
            if (need[i] && m->inputs[i].slot == m->corr_slots[j])
                need[m->ninputs] = 1;
    if (need[m->ninputs])
        for (size_t j = 0; j < m->corr.k; j++)
            for (size_t i = 0; i < m->ninputs; i++)
                if (m->inputs[i].slot == m->corr_slots[j])
                    need[i] = 1;
}

/* need[i] for every input of m: read, directly or through derived inputs, by an option
   with options[o] != 0 (every input when options is NULL: a whole run evaluates them all,
   so that any NaN is reported); need[ninputs]: the copula runs. NULL when out of
   memory. */
static unsigned char *needed(const wa_model *m, const unsigned char *options)
{
    unsigned char *need = wa_calloc(m->ninputs + 1, 1);
    if (!need)
        return NULL;
    if (!options) {
        memset(need, 1, m->ninputs + 1);
        return need;
    }
    for (size_t o = 0; o < wa_model_nseries(m); o++) {
        if (!options[o])
            continue;
        for (size_t j = 0; j < m->options[o].nitems; j++) {
            const wa_item *it = &m->options[o].items[j];
            for (size_t k = 0; it->amount.prog && k < ex_prog_nslots(it->amount.prog); k++)
                need[m->slot_input[ex_prog_slot(it->amount.prog, k)]] = 1;
            for (size_t k = 0; it->has_growth && k < ex_prog_nslots(it->more->growth.prog); k++)
                need[m->slot_input[ex_prog_slot(it->more->growth.prog, k)]] = 1;
            if (it->happens_slot >= 0)
                need[m->slot_input[it->happens_slot]] = 1;
            for (size_t k = 0; it->has_prob && k < ex_prog_nslots(it->more->prob.prog); k++)
                need[m->slot_input[ex_prog_slot(it->more->prob.prog, k)]] = 1;
            for (size_t k = 0; it->has_year && k < ex_prog_nslots(it->more->year.prog); k++)
                need[m->slot_input[ex_prog_slot(it->more->year.prog, k)]] = 1;
            for (size_t k = 0; it->has_rate && k < ex_prog_nslots(it->more->rate.prog); k++)
                need[m->slot_input[ex_prog_slot(it->more->rate.prog, k)]] = 1;
        }
    }
    close_needs(m, need);
    return need;
}

/* Whether the copula leaves correlated column j of m as its mixed normal score: a ghost's
   (no one reads it), and an input's whose quantile is taken from the score
   (wa_dist_takes_z). */
static int keeps_score(const wa_model *m, size_t j)
{
    size_t i = m->slot_input[m->corr_slots[j]];
    return i >= m->ninputs || wa_dist_takes_z(m->inputs[i].dist);
}

/* Whether the column of sampled input `in` holds a normal score after draw_uniforms with
   scores (the copula ran and kept it). */
static int holds_score(const wa_model *m, const unsigned char *need, const wa_input *in)
{
    if (!m->corr.k || !need[m->ninputs] || !wa_dist_takes_z(in->dist))
        return 0;
    for (size_t j = 0; j < m->corr.k; j++)
        if (m->corr_slots[j] == in->slot)
            return 1;
    return 0;
}

/* The uniform draw of every needed sampled input of m for one block of n trials (after
   the copula when one runs), into its column of cols: each from its name's stream and
   Sobol' dimension, and every ghost (a correlated input of the base that this model
   pinned: the copula needs its column); then the copula. With `scores`, the copula leaves
   the columns that keeps_score says as their mixed normal scores, with no Phi. */
static void draw_uniforms(const wa_model *m, const unsigned char *need, wa_method method,
                          unsigned replicates,
                          uint64_t seed, uint64_t block, size_t n, double *cols,
                          uint32_t *perm, double **zcols, int scores)
{
    const int copula = m->corr.k && need[m->ninputs];
    for (size_t i = 0; i < m->ninputs; i++) {
        const wa_input *in = &m->inputs[i];
        if (in->kind == WA_IN_SAMPLED && need[i])
            wa_uniforms(method, replicates, seed, wa_stream_key(in->name), in->dim, block, n,
                        cols + (size_t)in->slot * WA_BLOCK, perm);
    }
    for (size_t j = 0; copula && j < m->nghosts; j++) {
        const wa_ghost *g = &m->ghosts[j];
        wa_uniforms(method, replicates, seed, g->key, g->dim, block, n,
                    cols + (size_t)g->slot * WA_BLOCK, perm);
    }
    if (copula) {
        /* the Gaussian copula: to normal scores, mixed, back to uniforms (correlate.h) */
        for (size_t j = 0; j < m->corr.k; j++) {
            zcols[j] = cols + (size_t)m->corr_slots[j] * WA_BLOCK;
            wa_normal_quantiles(zcols[j], zcols[j], n);
        }
        wa_corr_apply(&m->corr, zcols, n);
        for (size_t j = 0; j < m->corr.k; j++)
            if (!scores || !keeps_score(m, j))
                wa_normal_cdfs(zcols[j], zcols[j], n);
    }
}

int wa_sim_uniforms(const wa_model *m, wa_method method, unsigned replicates, uint64_t seed,
                    uint64_t block,
                    size_t n, double *cols, uint32_t *perm, double **zcols)
{
    unsigned char *need = needed(m, NULL);
    if (!need)
        return -1;
    draw_uniforms(m, need, method, replicates, seed, block, n, cols, perm, zcols, 0);
    wa_free(need);
    return 0;
}

/* The needed inputs of model m for one block of n trials: sampled ones drawn into their
   columns of cols, derived ones evaluated there, reading every column through slots (which
   may point some slots at another model's columns: a batch's shared inputs). A derived
   input that turns non-finite is counted in cnt/first (input i at i). */
WA_VECTORISED
static void fill_inputs(const wa_model *m, const unsigned char *need, wa_method method,
                        unsigned replicates,
                        uint64_t seed, uint64_t block, size_t n, double *cols,
                        const double *const *slots, work *w, uint64_t *cnt, uint64_t *first)
{
    uint64_t start = block * WA_BLOCK;

    draw_uniforms(m, need, method, replicates, seed, block, n, cols, w->perm, w->zcols, 1);
    for (size_t i = 0; i < m->ninputs; i++) {
        const wa_input *in = &m->inputs[i];
        if (in->kind == WA_IN_CONST || in->kind == WA_IN_YEARLY || !need[i])
            continue; /* folded or compiled into the programs (no column), or not read */
        double *col = cols + (size_t)in->slot * WA_BLOCK;
        if (in->kind == WA_IN_SAMPLED) {
            if (holds_score(m, need, in))
                wa_dist_from_z(in->dist, col, col, n);
            else
                wa_dist_quantiles(in->dist, col, col, n);
        } else {
            ex_eval(in->formula->expr.prog, slots, 0, n, col, w->ws);
            if (any_nonfinite(col, n))
                for (size_t t = 0; t < n; t++)
                    if (!isfinite(col[t]) && !inherited(in->formula->expr.prog, slots, t))
                        count_bad(&cnt[i], &first[i], start, t);
        }
    }
}

/* The present values of model m's options (those with options[o] != 0, or all when
   options is NULL) for the block of trials start .., into pv[o][at ..), reading inputs
   through slots;
   non-finite contributions and sums counted in cnt/first (item ids after the inputs,
   then the options). */
WA_VECTORISED
static void fill_options(const wa_model *m, const unsigned char *options,
                         const double *const *slots, double *const *pv, uint64_t start,
                         uint64_t at, size_t n, work *w, uint64_t *cnt, uint64_t *first)
{
    size_t item_id = m->ninputs;
    const size_t prob_id = m->ninputs + total_items(m) + wa_model_nseries(m); /* then per item */
    const size_t year_id = prob_id + total_items(m);
    const size_t growth_id = year_id + total_items(m);
    for (size_t o = 0; o < wa_model_nseries(m); o++) {
        const wa_option *opt = &m->options[o];
        if (options && !options[o]) {
            item_id += opt->nitems;
            continue;
        }
        double *out = pv[o] + at;
        if (opt->nitems == 0)
            memset(out, 0, n * sizeof *out);
        for (size_t j = 0; j < opt->nitems; j++, item_id++) {
            const wa_item *it = &opt->items[j];
            const ex_prog *ap = it->amount.prog, *gp = it->has_growth ? it->more->growth.prog : NULL;
            double g0 = 0;
            int const_growth = !gp || (ex_prog_const(gp, &g0));
            double *a = w->a, *g = w->g, *c = w->c;
            /* the item's contribution is src[t] * f: a * factor when the amount and the
               growth are the same every year (the common case: no separate pass for c),
               else c, summed flow by flow below */
            const double *src = c;
            double f = 1.0;
            const int has_prob = it->has_prob; /* per flow: evaluated at each year */
            double rc = 1; /* a constant currency rate; a varying one goes flow by flow */
            const int var_rate = it->has_rate && !ex_prog_const(it->more->rate.prog, &rc);
            if (has_prob)
                memset(w->f, 0, n * sizeof *w->f);
            if (it->has_year) {
                /* one cash flow at the year each trial draws, discounted there: an amount
                   without t; (1 + r)^-y as exp(-y ln(1 + r)), the same bits on every
                   instruction set (vmath.h); a year outside the horizon is flagged */
                double *yr = g, *fy = w->p;
                const double lr = log1p(it->discount_rate), hz = m->horizon;
                amount_eval(it, slots, 0, n, a, w->ws, 0);
                ex_eval(it->more->year.prog, slots, 0, n, yr, w->ws);
                for (size_t t = 0; t < n; t++) {
                    fy[t] = yr[t] >= 0 && yr[t] <= hz ? 0 : 1;
                    c[t] = a[t] * wa_exp(-yr[t] * lr);
                }
                if (var_rate) {
                    ex_eval(it->more->rate.prog, slots, 0, n, w->r, w->ws);
                    for (size_t t = 0; t < n; t++)
                        c[t] *= w->r[t];
                } else if (it->has_rate) {
                    for (size_t t = 0; t < n; t++)
                        c[t] *= rc;
                }
                if (has_prob) {
                    const double *u = slots[it->happens_slot];
                    double *q = w->q, *fl = w->f;
                    ex_eval(it->more->prob.prog, slots, 0, n, q, w->ws);
                    for (size_t t = 0; t < n; t++) {
                        fl[t] = q[t] >= 0 && q[t] <= 1 ? 0 : 1;
                        c[t] = u[t] > 1 - q[t] ? c[t] : 0;
                    }
                }
                for (size_t t = 0; t < n; t++)
                    if (fy[t] != 0)
                        count_bad(&cnt[year_id + item_id - m->ninputs],
                                  &first[year_id + item_id - m->ninputs], start, t);
            } else if (!has_prob && !var_rate && !(ap && ex_prog_uses_t(ap)) && const_growth) {
                amount_eval(it, slots, 0, n, a, w->ws, 0);
                src = a;
                f = it->has_rate ? it->factor * rc : it->factor;
            } else if (!has_prob && !var_rate && !(ap && ex_prog_uses_t(ap)) && !ex_prog_uses_t(gp)) {
                /* uncertain growth: sum the compounding per trial */
                amount_eval(it, slots, 0, n, a, w->ws, 0);
                ex_eval(gp, slots, 0, n, g, w->ws);
                /* flow by flow over the block, so that the loops vectorise: c sums
                   (1 + g)^k disc_k, p holds (1 + g)^k */
                double *restrict cs = c, *restrict gk = w->p;
                const double *restrict gg = g;
                for (size_t t = 0; t < n; t++)
                    cs[t] = 0, gk[t] = 1;
                const double *disc = wa_item_cdisc(it);
                for (int k = 0; k < it->nflows; k++) {
                    const double dk = disc[k];
                    for (size_t t = 0; t < n; t++) {
                        cs[t] += gk[t] * dk;
                        gk[t] *= 1 + gg[t];
                    }
                }
                for (size_t t = 0; t < n; t++)
                    cs[t] *= a[t];
                if (it->has_rate)
                    for (size_t t = 0; t < n; t++)
                        cs[t] *= rc;
            } else {
                /* the amount or the growth depends on the year: evaluate per cash flow,
                   compounding by running products */
                double *gk = w->p;
                int growth_uses_t = gp && !const_growth && ex_prog_uses_t(gp);
                memset(c, 0, n * sizeof *c);
                if (gp && !const_growth && !growth_uses_t) {
                    ex_eval(gp, slots, 0, n, g, w->ws);
                    for (size_t t = 0; t < n; t++)
                        gk[t] = 1;
                }
                double ck = 1; /* (1 + g0)^k for a constant growth */
                const double *u = has_prob ? slots[it->happens_slot] : NULL;
                const double *disc = wa_item_cdisc(it);
                for (int k = 0; k < it->nflows; k++) {
                    double year = it->first + k, dk = disc[k];
                    /* each program in a workspace region of its own, so that a later year
                       reuses its t-free part (ex_eval_year) */
                    amount_eval(it, slots, year, n, a, w->ws, k > 0);
                    if (var_rate) { /* the currency's rate at this year */
                        ex_eval_year(it->more->rate.prog, slots, year, n, w->r,
                                     w->ws + 3 * m->workspace, k > 0);
                        for (size_t t = 0; t < n; t++)
                            a[t] *= w->r[t];
                    } else if (it->has_rate) {
                        for (size_t t = 0; t < n; t++)
                            a[t] *= rc;
                    }
                    if (has_prob) {
                        /* the cash flow happens when u > 1 - p(year); a p outside 0..1
                           (or NaN) is an error, counted per trial below */
                        double *q = w->q, *fl = w->f;
                        ex_eval_year(it->more->prob.prog, slots, year, n, q,
                                     w->ws + 2 * m->workspace, k > 0);
                        for (size_t t = 0; t < n; t++) {
                            int ok = q[t] >= 0 && q[t] <= 1;
                            fl[t] = ok ? fl[t] : 1;
                            a[t] = u[t] > 1 - q[t] ? a[t] : 0;
                        }
                    }
                    if (growth_uses_t) {
                        /* a growth that changes with the year compounds year by year:
                           the product of (1 + g(s)) over the years after the first */
                        if (k == 0) {
                            for (size_t t = 0; t < n; t++)
                                gk[t] = 1;
                        } else {
                            ex_eval_year(gp, slots, year, n, g, w->ws + m->workspace, k > 1);
                            for (size_t t = 0; t < n; t++)
                                gk[t] *= 1 + g[t];
                        }
                        for (size_t t = 0; t < n; t++)
                            c[t] += a[t] * gk[t] * dk;
                    } else if (gp && !const_growth) {
                        for (size_t t = 0; t < n; t++) {
                            c[t] += a[t] * gk[t] * dk;
                            gk[t] *= 1 + g[t];
                        }
                    } else {
                        double f = ck * dk;
                        for (size_t t = 0; t < n; t++)
                            c[t] += a[t] * f;
                        ck *= 1 + g0;
                    }
                }
            }
            /* one pass: the contribution into the option's column (the first item writes
               it, the others add to it) and a flag for any non-finite contribution */
            if (has_prob)
                for (size_t t = 0; t < n; t++)
                    if (w->f[t] != 0)
                        count_bad(&cnt[prob_id + item_id - m->ninputs],
                                  &first[prob_id + item_id - m->ninputs], start, t);
            const double *h =
                !has_prob && it->happens_slot >= 0 ? slots[it->happens_slot] : NULL;
            double sg = it->sign;
            int bad;
            if (h)
                bad = j ? accumulate(out, src, f, sg, h, 1, n) : accumulate(out, src, f, sg, h, 0, n);
            else
                bad = j ? accumulate(out, src, f, sg, NULL, 1, n)
                        : accumulate(out, src, f, sg, NULL, 0, n);
            if (bad) { /* rare: find the trials, naming only values produced here */
                for (size_t t = 0; t < n; t++)
                    c[t] = src[t] * f;
                /* a finite amount that its growth takes past the doubles is the growth's
                   doing, and said so */
                const size_t g_id = growth_id + item_id - m->ninputs;
                for (size_t t = 0; t < n; t++)
                    if (!isfinite(c[t]) && !inherited(ap, slots, t) &&
                        !(gp && inherited(gp, slots, t))) {
                        if (gp && isfinite(a[t]))
                            count_bad(&cnt[g_id], &first[g_id], start, t);
                        else
                            count_bad(&cnt[item_id], &first[item_id], start, t);
                    }
            }
        }
    }
    /* includes (SPEC 1.4): each option adds the PVs of those it includes, in an order where
       they are complete first; an included option this call does not compute holds its
       values already */
    for (size_t r = 0; r < m->ninclude_order; r++) {
        size_t o = m->include_order[r];
        if (options && !options[o])
            continue;
        double *out = pv[o] + at;
        for (size_t j = 0; j < m->options[o].nincludes; j++) {
            const double *in = pv[m->options[o].includes[j]] + at;
            for (size_t t = 0; t < n; t++)
                out[t] += in[t];
        }
    }
    size_t opt_id = m->ninputs + total_items(m);
    for (size_t o = 0; o < wa_model_nseries(m); o++) {
        if (options && !options[o])
            continue;
        const double *out = pv[o] + at;
        if (m->options[o].is_units) { /* an offer's units: positive in every trial */
            for (size_t t = 0; t < n; t++)
                if (!(out[t] > 0) || !isfinite(out[t]))
                    count_bad(&cnt[opt_id + o], &first[opt_id + o], start, t);
        } else if (any_nonfinite(out, n)) {
            for (size_t t = 0; t < n; t++)
                if (!isfinite(out[t]))
                    count_bad(&cnt[opt_id + o], &first[opt_id + o], start, t);
        }
    }
}

static void run_block(const wa_sim_request *rq, work *w, uint64_t block, double *const *pv,
                      size_t ncnt, const unsigned char *need)
{
    const wa_model *m = rq->model;
    uint64_t start = block * WA_BLOCK;
    size_t n = (size_t)(rq->trials - start < WA_BLOCK ? rq->trials - start : WA_BLOCK);
    uint64_t *cnt = w->cnt, *first = w->cnt + ncnt;
    fill_inputs(m, need, rq->method, rq->replicates, rq->seed, block, n, w->cols, w->slots, w, cnt, first);
    fill_options(m, rq->options, w->slots, pv, start, start - rq->out0, n, w, cnt, first);
}

/* Makes w (zeroed, or from an earlier call) a thread's workspace for models of at most
   nslots slots, workspace doubles of expression workspace, k correlated inputs and ncnt
   counters, keeping the arrays it already has when they are large enough (memory already
   touched is reused, not asked of the system again), and zeroes the counters. -1 when out
   of memory (free it with work_free all the same). */
static int work_reserve(work *w, size_t nslots, size_t workspace, size_t k, size_t ncnt)
{
    nslots = nslots ? nslots : 1;
    workspace = workspace ? workspace : 1;
    k = k ? k : 1;
    if (nslots > w->cap_slots) {
        wa_free(w->cols);
        wa_free((void *)w->slots);
        w->cols = wa_malloc(nslots * WA_BLOCK * sizeof(double));
        w->slots = wa_malloc(nslots * sizeof *w->slots);
        if (!w->cols || !w->slots)
            return -1;
        w->cap_slots = nslots;
    }
    if (workspace > w->cap_ws) {
        wa_free(w->ws);
        if (!(w->ws = wa_malloc(workspace * sizeof(double))))
            return -1;
        w->cap_ws = workspace;
    }
    if (k > w->cap_k) {
        wa_free(w->zcols);
        if (!(w->zcols = wa_malloc(k * sizeof *w->zcols)))
            return -1;
        w->cap_k = k;
    }
    if (ncnt > w->cap_cnt || !w->cnt) {
        wa_free(w->cnt);
        if (!(w->cnt = wa_malloc((2 * ncnt + 1) * sizeof *w->cnt)))
            return -1;
        w->cap_cnt = ncnt;
    }
    memset(w->cnt, 0, (2 * ncnt + 1) * sizeof *w->cnt);
    if (!w->a && !(w->a = wa_malloc(7 * WA_BLOCK * sizeof(double))))
        return -1;
    if (!w->perm && !(w->perm = wa_malloc(WA_BLOCK * sizeof *w->perm)))
        return -1;
    w->g = w->a + WA_BLOCK;
    w->c = w->g + WA_BLOCK;
    w->p = w->c + WA_BLOCK;
    w->q = w->p + WA_BLOCK;
    w->f = w->q + WA_BLOCK;
    w->r = w->f + WA_BLOCK;
    for (size_t s = 0; s < nslots; s++)
        w->slots[s] = w->cols + s * WA_BLOCK;
    return 0;
}

static int work_init(work *w, const wa_model *m, size_t ncnt)
{
    /* four regions of expression workspace: an item's amount, growth, probability and
       currency rate, each kept from one cash-flow year to the next */
    return work_reserve(w, m->nslots, 4 * m->workspace, m->corr.k, ncnt);
}

static void work_free(work *w)
{
    wa_free(w->cols);
    wa_free((void *)w->slots);
    wa_free(w->ws);
    wa_free(w->a);
    wa_free(w->cnt);
    wa_free(w->perm);
    wa_free(w->zcols);
    memset(w, 0, sizeof *w);
}

wa_sim_pool *wa_sim_pool_new(void)
{
    return wa_calloc(1, sizeof(wa_sim_pool));
}

void wa_sim_pool_free(wa_sim_pool *p)
{
    for (size_t i = 0; p && i < p->n; i++)
        work_free(&p->w[i]);
    if (p)
        wa_free(p->w);
    wa_free(p);
}

/* Room for nth threads' two workspaces in the request's pool (none: nothing to do); -1
   when out of memory. Called before a parallel region, by one thread. */
static int pool_reserve(wa_sim_pool *p, int nth)
{
    size_t want = 2 * (size_t)nth;
    if (!p || p->n >= want)
        return 0;
    work *w = wa_realloc(p->w, want * sizeof *w);
    if (!w)
        return -1;
    memset(w + p->n, 0, (want - p->n) * sizeof *w);
    p->w = w;
    p->n = want;
    return 0;
}

/* Thread t's workspace j (0 or 1): the pool's, or local (zeroed) when there is no pool. */
static work *work_of(wa_sim_pool *p, int t, int j, work *local)
{
    if (p)
        return &p->w[2 * (size_t)t + (size_t)j];
    memset(local, 0, sizeof *local);
    return local;
}

/* Ends a thread's use of a workspace: kept in the pool, freed when local. */
static void work_done(wa_sim_pool *p, work *w)
{
    if (!p)
        work_free(w);
}

/* One error per expression that produced non-finite values, in model order. */
static void report(const wa_model *m, const uint64_t *cnt, const uint64_t *first,
                   uint64_t trials, wa_diagnostics *d)
{
    size_t id = 0;
    int any = 0;
    for (size_t i = 0; i < m->ninputs; i++, id++) {
        const wa_input *in = &m->inputs[i];
        if (!cnt[id])
            continue;
        any = 1;
        wa_diag_error(d, in->formula->expr.src, in->formula->expr.loc.line, in->formula->expr.loc.col,
                      "input '%s' = '%s' is NaN or infinite in %llu of %llu trials (first in trial %llu)",
                      in->name, in->formula->expr.text, (unsigned long long)cnt[id],
                      (unsigned long long)trials, (unsigned long long)first[id] + 1);
    }
    const size_t nit = total_items(m), growth_id = m->ninputs + 3 * nit + wa_model_nseries(m);
    for (size_t o = 0; o < wa_model_nseries(m); o++)
        for (size_t j = 0; j < m->options[o].nitems; j++, id++) {
            const wa_item *it = &m->options[o].items[j];
            const size_t g = growth_id + id - m->ninputs;
            if (cnt[g] && it->borrowed < 2) {
                any = 1;
                const wa_expr *ge = &it->more->growth; /* counted only with a growth */
                wa_diag_error(d, ge->src, ge->loc.line, ge->loc.col,
                              "'%s' of '%s': growth '%s' takes amount '%s' past the largest "
                              "number in %llu of %llu trials (first in trial %llu)",
                              it->label, m->options[o].name, ge->text, it->amount.text,
                              (unsigned long long)cnt[g], (unsigned long long)trials,
                              (unsigned long long)first[g] + 1);
            }
            if (!cnt[id] || it->borrowed == 3) /* a copy: another copy or the item says it */
                continue;
            any = 1;
            wa_diag_error(d, it->amount.src, it->amount.loc.line, it->amount.loc.col,
                          "'%s' of '%s': %s '%s' gives a NaN or infinite value in %llu of %llu trials (first in trial %llu)",
                          it->label, m->options[o].name,
                          it->borrowed == 2 ? "vendor_value" : "amount", it->amount.text,
                          (unsigned long long)cnt[id], (unsigned long long)trials,
                          (unsigned long long)first[id] + 1);
        }
    for (size_t o = 0; o < wa_model_nseries(m); o++, id++) {
        if (!cnt[id] || any)
            continue;
        const wa_option *opt = &m->options[o];
        const wa_expr *e = opt->nitems ? &opt->items[0].amount : NULL;
        if (opt->is_units) {
            wa_diag_error(d, e->src, e->loc.line, e->loc.col,
                          "price_units of '%s': the units' present value (count '%s') is not a positive number "
                          "in %llu of %llu trials (first in trial %llu)",
                          opt->name, e->text, (unsigned long long)cnt[id],
                          (unsigned long long)trials, (unsigned long long)first[id] + 1);
            continue;
        }
        wa_diag_error(d, e ? e->src : NULL, opt->loc.line, opt->loc.col,
                      "the present value of '%s' overflows in %llu of %llu trials (first in trial %llu)",
                      opt->name, (unsigned long long)cnt[id], (unsigned long long)trials,
                      (unsigned long long)first[id] + 1);
    }
    /* an item's probability outside 0..1, then its uncertain year outside the horizon */
    for (int kind = 0; kind < 2; kind++)
        for (size_t o = 0; o < wa_model_nseries(m); o++)
            for (size_t j = 0; j < m->options[o].nitems; j++, id++) {
                const wa_item *it = &m->options[o].items[j];
                if (!cnt[id] || it->borrowed >= 2)
                    continue;
                /* counted only with an uncertain probability or year: it->more is there */
                const wa_expr *e = kind == 0 ? &it->more->prob : &it->more->year;
                char range[64];
                snprintf(range, sizeof range, kind == 0 ? "0..1" : "the horizon 0..%d", m->horizon);
                wa_diag_error(d, e->src, e->loc.line, e->loc.col,
                              "'%s' of '%s': %s '%s' is outside %s (or not a number) in %llu of "
                              "%llu trials (first in trial %llu)",
                              it->label, m->options[o].name, kind == 0 ? "probability" : "year",
                              e->text, range, (unsigned long long)cnt[id],
                              (unsigned long long)trials, (unsigned long long)first[id] + 1);
            }
}

/* Under MPI: every process gets every trial of the series it computed (ranks.h). */
static int share(wa_ranks rk, const wa_model *m, const unsigned char *options,
                 double *const *pv, uint64_t x0, uint64_t b0, uint64_t nblocks, uint64_t end)
{
    for (size_t o = 0; rk.size > 1 && o < wa_model_nseries(m); o++)
        if ((!options || options[o]) && wa_ranks_share(rk, pv[o], x0, b0, nblocks, WA_BLOCK, end))
            return -1;
    return 0;
}

/* Whether the run stops: the calling thread asks after each block it runs (wa_progress_
   cancel_fn is called from that thread only), but on a busy machine the other threads may
   take every block while it waits to be scheduled, so it asks once more at the end. A
   caller that wants to stop is always heard. */
static int stop_asked(const wa_sim_request *rq, int cancelled, uint64_t done, uint64_t total)
{
    return cancelled || (rq->cancel && rq->cancel(rq->progress_ctx, done, total));
}

static wa_status cancelled_status(wa_diagnostics *d)
{
    wa_diag_add(d, WA_ERROR, WA_ECANCELLED, NULL, 0, 0, "the run was cancelled");
    return WA_ECANCELLED;
}

static wa_status shared_failed(wa_diagnostics *d)
{
    wa_diag_add(d, WA_ERROR, WA_EIO, NULL, 0, 0,
                "the processes of the MPI run could not share their trials");
    return WA_EIO;
}

size_t wa_sim_tally_size(const wa_model *m) { return 2 * ncounters(m) + 1; }

wa_status wa_sim_tally_report(const wa_model *m, const uint64_t *tally, uint64_t trials,
                              wa_diagnostics *d)
{
    size_t ncnt = ncounters(m);
    for (size_t i = 0; i < ncnt; i++)
        if (tally[i]) {
            report(m, tally, tally + ncnt, trials, d);
            return WA_EINVALID;
        }
    return WA_OK;
}

wa_status wa_simulate(const wa_sim_request *rq, double *const *pv, wa_diagnostics *d)
{
    const wa_model *m = rq->model;
    size_t ncnt = ncounters(m);
    uint64_t b0 = rq->first / WA_BLOCK, nblocks = (rq->trials + WA_BLOCK - 1) / WA_BLOCK - b0;
    uint64_t total = rq->total ? rq->total : rq->trials;
    uint64_t *cnt = wa_calloc(2 * ncnt + 1, sizeof *cnt);
    unsigned char *need = needed(rq->model, rq->options);
    if (!cnt || !need) {
        wa_free(cnt);
        wa_free(need);
        return WA_ENOMEM;
    }
    uint64_t *first = cnt + ncnt;
    int failed = 0, cancelled = 0;
    uint64_t done = 0;
    /* under MPI this process simulates its share of the blocks (ranks.h) */
    wa_ranks rk = wa_ranks_get();
    uint64_t lo, hi;
    wa_ranks_blocks(rk, nblocks, &lo, &hi);
    int nth = rq->threads > 0 ? rq->threads : 1;
    if ((uint64_t)nth > hi - lo)
        nth = (int)(hi > lo ? hi - lo : 1);
    if (pool_reserve(rq->pool, nth) != 0) {
        wa_free(cnt);
        wa_free(need);
        return WA_ENOMEM;
    }

#pragma omp parallel num_threads(nth)
    {
        work local, *w = work_of(rq->pool, omp_get_thread_num(), 0, &local);
        int ok = work_init(w, m, ncnt) == 0;
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
        /* No barrier here: a thread starts on blocks as soon as it is up, whatever the
           others are doing (a new thread can take milliseconds to be scheduled). A thread
           without its workspace skips the blocks it takes, and the run fails as a whole. */
        {
#pragma omp for schedule(dynamic, 1)
            for (uint64_t k = lo; k < hi; k++) {
                uint64_t b = b0 + k;
                int stop;
#pragma omp atomic read
                stop = cancelled;
                if (!ok || stop)
                    continue;
                run_block(rq, w, b, pv, ncnt, need);
                uint64_t now;
#pragma omp atomic capture
                now = done += (k + 1 == nblocks ? rq->trials - b * WA_BLOCK : WA_BLOCK);
                if (rq->progress && omp_get_thread_num() == 0)
                    rq->progress(rq->progress_ctx, rq->first + now, total);
                if (rq->cancel && omp_get_thread_num() == 0 &&
                    rq->cancel(rq->progress_ctx, rq->first + now, total)) {
#pragma omp atomic write
                    cancelled = 1;
                }
            }
#pragma omp critical
            if (ok) {
                /* integer sums and minima: the same whatever the order of threads */
                for (size_t i = 0; i < ncnt; i++) {
                    if (w->cnt[i] && (!cnt[i] || w->cnt[ncnt + i] < first[i]))
                        first[i] = w->cnt[ncnt + i];
                    cnt[i] += w->cnt[i];
                }
            }
        }
        work_done(rq->pool, w);
    }
    wa_status st = WA_OK;
    cancelled = !failed && stop_asked(rq, cancelled, rq->first + done, total);
    failed = wa_ranks_any(rk, failed);
    cancelled = wa_ranks_any(rk, cancelled);
    if (failed) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0,
                    "out of memory for the simulation workspaces");
        st = WA_ENOMEM;
    } else if (cancelled) {
        st = cancelled_status(d);
    } else if (wa_ranks_counters(rk, cnt, first, ncnt)) {
        st = shared_failed(d);
    } else if (rq->tally) {
        /* a window of a longer run: its counts join the run's, said at its end */
        uint64_t *tc = rq->tally, *tf = rq->tally + ncnt;
        for (size_t i = 0; i < ncnt; i++) {
            if (cnt[i] && (!tc[i] || first[i] < tf[i]))
                tf[i] = first[i];
            tc[i] += cnt[i];
        }
        if (share(rk, m, rq->options, pv, rq->out0, b0, nblocks, rq->trials))
            st = shared_failed(d);
    } else {
        for (size_t i = 0; i < ncnt; i++)
            if (cnt[i])
                st = WA_EINVALID;
        if (st != WA_OK)
            report(m, cnt, first, rq->trials - rq->first, d);
        else if (share(rk, m, rq->options, pv, rq->out0, b0, nblocks, rq->trials))
            st = shared_failed(d);
    }
    wa_free(cnt);
    wa_free(need);
    return st;
}

/* ---- a batch of points sharing a base ------------------------------------------------ */

/* What the batch knows of one point. */
typedef struct point_plan {
    unsigned char *own;   /* inputs it computes itself (needed, not shared) */
    size_t ncnt;
} point_plan;


int wa_sim_point_batchable(const wa_sim_point *pt)
{
    const wa_model *m = pt->model;
    unsigned char *need = needed(m, pt->options);
    if (!need)
        return 0;
    int ok = 1;
    for (size_t i = 0; i < m->ninputs && ok; i++) {
        const wa_input *in = &m->inputs[i];
        if (!need[i] || in->slot < 0 || pt->from_base[in->slot] >= 0)
            continue;
        for (size_t j = 0; j < m->corr.k; j++)
            ok &= m->corr_slots[j] != in->slot; /* its own draws would go through the copula */
    }
    wa_free(need);
    return ok;
}

wa_status wa_simulate_batch(const wa_sim_request *rq, const wa_sim_point *pts, size_t npts,
                            size_t *bad, wa_diagnostics *d)
{
    const wa_model *b = rq->model;
    uint64_t nblocks = (rq->trials + WA_BLOCK - 1) / WA_BLOCK;
    unsigned char *bneed = wa_calloc(b->ninputs + 1, 1);
    point_plan *pp = wa_calloc(npts ? npts : 1, sizeof *pp);
    size_t maxslots = 0, maxws = b->workspace, maxcnt = 0, total = 0;
    int failed = !bneed || !pp;
    for (size_t q = 0; q < npts && !failed; q++) {
        const wa_model *m = pts[q].model;
        unsigned char *need = needed(m, pts[q].options);
        if (!need) {
            failed = 1;
            break;
        }
        /* a shared input is the base's column: the base computes it, with what it reads */
        for (size_t i = 0; i < m->ninputs; i++) {
            const wa_input *in = &m->inputs[i];
            if (need[i] && in->slot >= 0 && pts[q].from_base[in->slot] >= 0) {
                bneed[b->slot_input[pts[q].from_base[in->slot]]] = 1;
                need[i] = 0;
            }
        }
        need[m->ninputs] = 0; /* a batchable point has no copula of its own */
        pp[q].own = need;
        pp[q].ncnt = ncounters(m);
        total += 2 * pp[q].ncnt + 1;
        if (m->nslots > maxslots)
            maxslots = m->nslots;
        if (m->workspace > maxws)
            maxws = m->workspace;
        if (pp[q].ncnt > maxcnt)
            maxcnt = pp[q].ncnt;
    }
    if (!failed)
        close_needs(b, bneed);
    uint64_t *cnt = failed ? NULL : wa_calloc(total + 1, sizeof *cnt);
    failed |= !cnt;
    uint64_t done = 0;
    int cancelled = 0;
    wa_ranks rk = wa_ranks_get();
    uint64_t lo, hi;
    wa_ranks_blocks(rk, nblocks, &lo, &hi);
    int nth = rq->threads > 0 ? rq->threads : 1;
    if ((uint64_t)nth > hi - lo)
        nth = (int)(hi > lo ? hi - lo : 1);
    failed |= pool_reserve(rq->pool, nth) != 0;

    if (!failed) {
#pragma omp parallel num_threads(nth)
        {
            int th = omp_get_thread_num();
            work lb, lp, *wb = work_of(rq->pool, th, 0, &lb), *wp = work_of(rq->pool, th, 1, &lp);
            uint64_t *pc = wa_calloc(total + 1, sizeof *pc); /* this thread's counters */
            int ok = work_init(wb, b, ncounters(b)) == 0 &&
                     work_reserve(wp, maxslots, 4 * maxws, 0, maxcnt) == 0 && pc;
            if (!ok) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 1)
            for (uint64_t blk = lo; blk < hi; blk++) {
                int stop;
#pragma omp atomic read
                stop = cancelled;
                if (!ok || stop)
                    continue;
                uint64_t start = blk * WA_BLOCK;
                size_t n = (size_t)(rq->trials - start < WA_BLOCK ? rq->trials - start : WA_BLOCK);
                /* the base's shared inputs, once for the block; their values were checked
                   in the base's own run */
                fill_inputs(b, bneed, rq->method, rq->replicates, rq->seed, blk, n, wb->cols, wb->slots, wb,
                            wb->cnt, wb->cnt + ncounters(b));
                uint64_t *c = pc;
                for (size_t q = 0; q < npts; q++) {
                    const wa_model *m = pts[q].model;
                    for (size_t sl = 0; sl < m->nslots; sl++)
                        wp->slots[sl] = pts[q].from_base[sl] >= 0
                                            ? wb->cols + (size_t)pts[q].from_base[sl] * WA_BLOCK
                                            : wp->cols + sl * WA_BLOCK;
                    fill_inputs(m, pp[q].own, rq->method, rq->replicates, rq->seed, blk, n, wp->cols, wp->slots,
                                wp, c, c + pp[q].ncnt);
                    fill_options(m, pts[q].options, wp->slots, pts[q].pv, start, start, n, wp, c,
                                 c + pp[q].ncnt);
                    c += 2 * pp[q].ncnt + 1;
                }
                uint64_t now;
#pragma omp atomic capture
                now = done += n;
                if (rq->progress && omp_get_thread_num() == 0)
                    rq->progress(rq->progress_ctx, now, rq->trials);
                if (rq->cancel && omp_get_thread_num() == 0 &&
                    rq->cancel(rq->progress_ctx, now, rq->trials)) {
#pragma omp atomic write
                    cancelled = 1;
                }
            }
#pragma omp critical
            if (ok) {
                /* integer sums and minima: the same whatever the order of threads */
                uint64_t *c = pc, *into = cnt;
                for (size_t q = 0; q < npts; q++) {
                    size_t k = pp[q].ncnt;
                    for (size_t i = 0; i < k; i++) {
                        if (c[i] && (!into[i] || c[k + i] < into[k + i]))
                            into[k + i] = c[k + i];
                        into[i] += c[i];
                    }
                    c += 2 * k + 1;
                    into += 2 * k + 1;
                }
            }
            work_done(rq->pool, wb);
            work_done(rq->pool, wp);
            wa_free(pc);
        }
    }
    wa_status st = WA_OK;
    cancelled = !failed && stop_asked(rq, cancelled, done, rq->trials);
    failed = wa_ranks_any(rk, failed);
    cancelled = wa_ranks_any(rk, cancelled);
    if (failed) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for the simulation workspaces");
        st = WA_ENOMEM;
    } else if (cancelled) {
        st = cancelled_status(d);
    } else {
        uint64_t *c = cnt;
        for (size_t q = 0; q < npts && st == WA_OK; q++) { /* every process's problems */
            if (wa_ranks_counters(rk, c, c + pp[q].ncnt, pp[q].ncnt))
                st = shared_failed(d);
            c += 2 * pp[q].ncnt + 1;
        }
        c = cnt;
        for (size_t q = 0; q < npts && st == WA_OK; q++) {
            size_t k = pp[q].ncnt;
            for (size_t i = 0; i < k; i++)
                if (c[i])
                    st = WA_EINVALID;
            if (st != WA_OK) {
                report(pts[q].model, c, c + k, rq->trials, d);
                if (bad)
                    *bad = q;
            }
            c += 2 * k + 1;
        }
        for (size_t q = 0; q < npts && st == WA_OK; q++)
            if (share(rk, pts[q].model, pts[q].options, pts[q].pv, 0, 0, nblocks, rq->trials))
                st = shared_failed(d);
    }
    for (size_t q = 0; pp && q < npts; q++)
        wa_free(pp[q].own);
    wa_free(pp);
    wa_free(bneed);
    wa_free(cnt);
    return st;
}
