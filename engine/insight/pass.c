/*
 * pass.c — the insight's pass over a run's trials (see pass.h).
 */
#include "insight/pass.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sample/block.h"
#include "simulate/simulate.h"
#include "util/simd.h"
#include "util/vmath.h"
#include "util/alloc.h"

#define HBINS 16384 /* buckets of D's histogram, for its ranks */
#define GROUPS 8    /* groups of blocks, for the jackknife */

void wa_pass_free(wa_pass *p)
{
    wa_free(p->input);
    wa_free(p->bins);
    wa_free(p->sgh);
    wa_free(p->sg);
    wa_free(p->sgg);
    wa_free(p->sh);
    wa_free(p->shh);
    wa_free(p->best);
    wa_free(p->ce);
    wa_free(p->ce2);
    memset(p, 0, sizeof *p);
}

/* Bins per input: about sqrt(n)/100 tens (10 to 100), so that a bin holds at least
   about a thousand trials from 10^4 trials on; fewer when the accumulators would be
   large (many inputs and options). */
static size_t bins_for(uint64_t n, size_t J, size_t L)
{
    size_t tens = (size_t)(sqrt((double)n) / 100);
    tens = tens < 1 ? 1 : tens > 10 ? 10 : tens;
    while (tens > 1 && (double)GROUPS * (double)J * (double)(10 * tens) * (double)L * 8 > 256e6)
        tens--;
    return 10 * tens;
}

static size_t hbin(double x, double lo, double scale)
{
    double t = (x - lo) * scale;
    t = !(t > 0) ? 0 : !(t < HBINS) ? HBINS - 1 : t;
    return (size_t)(int)t;
}

int wa_drank_make(wa_drank *r, wa_trials *tr, size_t O, size_t W, double lo, double hi)
{
    uint64_t n = tr->n;
    r->lo = lo;
    r->scale = hi > lo ? HBINS / (hi - lo) : 0;
    if (!(r->scale < INFINITY))
        r->scale = 0;
    uint64_t *count = wa_calloc(HBINS, sizeof *count);
    r->mid = wa_malloc(HBINS * sizeof *r->mid);
    if (!count || !r->mid) {
        wa_free(count);
        return -1;
    }
    for (uint64_t i0 = 0; i0 < n; i0 += WA_BLOCK) {
        size_t m = (size_t)(n - i0 < WA_BLOCK ? n - i0 : WA_BLOCK);
        const double *o = wa_trials_read(tr, O, i0, m), *w = wa_trials_read(tr, W, i0, m);
        for (size_t i = 0; i < m; i++)
            count[hbin(o[i] - w[i], r->lo, r->scale)]++;
    }
    uint64_t below = 0;
    for (size_t b = 0; b < HBINS; b++) {
        /* ranks below + 1 .. below + count: their mean, over n */
        r->mid[b] = ((double)below + ((double)count[b] + 1) / 2) / (double)n;
        below += count[b];
    }
    wa_free(count);
    return 0;
}

void wa_drank_free(wa_drank *r)
{
    wa_free(r->mid);
    r->mid = NULL;
}

/* A thread's block accumulators and columns. */
typedef struct tls {
    double *bins;   /* [J][B][L] */
    double *sgh, *sg, *sgg, *sh, *shh, *ce, *ce2;
    double sy, syy, sum_min;
    uint64_t *best;
    double *cols;   /* the model's columns (uniforms) */
    uint32_t *perm;
    double **zcols;
    double *row;    /* [WA_BLOCK][L]: each trial's lanes */
    double *h;      /* [noffers][WA_BLOCK]: D's ranks - 1/2 */
    double *g;      /* [WA_BLOCK] */
    uint16_t *bin;  /* [J][WA_BLOCK] */
    uint32_t *idx;  /* [WA_BLOCK]: each trial's cheapest option */
    const double **pv; /* [noptions]: the block's values of each option */
} tls;

static void tls_free(tls *t)
{
    wa_aligned_free(t->bins);
    wa_free(t->sgh);
    wa_free(t->sg);
    wa_free(t->sgg);
    wa_free(t->sh);
    wa_free(t->shh);
    wa_free(t->ce);
    wa_free(t->ce2);
    wa_free(t->best);
    wa_free(t->cols);
    wa_free(t->perm);
    wa_free(t->zcols);
    wa_aligned_free(t->row);
    wa_free(t->h);
    wa_free(t->g);
    wa_free(t->bin);
    wa_free(t->idx);
    wa_free(t->pv);
}

static int tls_alloc(tls *t, const wa_model *m, const wa_pass *p)
{
    size_t K = m->noffers, O = m->noptions, J = p->J;
    memset(t, 0, sizeof *t);
    t->bins = wa_aligned_alloc(64, (J * p->B * p->SL + 8) * sizeof *t->bins);
    t->sgh = wa_malloc((J * K + 1) * sizeof(double));
    t->sg = wa_malloc((J ? J : 1) * sizeof(double));
    t->sgg = wa_malloc((J ? J : 1) * sizeof(double));
    t->sh = wa_malloc((K ? K : 1) * sizeof(double));
    t->shh = wa_malloc((K ? K : 1) * sizeof(double));
    t->ce = wa_malloc(O * sizeof(double));
    t->ce2 = wa_malloc(O * sizeof(double));
    t->best = wa_calloc(O, sizeof *t->best);
    t->cols = wa_malloc((m->nslots ? m->nslots : 1) * WA_BLOCK * sizeof(double));
    t->perm = wa_malloc(WA_BLOCK * sizeof *t->perm);
    t->zcols = wa_malloc((m->corr.k ? m->corr.k : 1) * sizeof *t->zcols);
    t->row = wa_aligned_alloc(64, WA_BLOCK * p->SL * sizeof(double));
    t->idx = wa_malloc(WA_BLOCK * sizeof *t->idx);
    t->h = wa_malloc((K ? K : 1) * WA_BLOCK * sizeof(double));
    t->g = wa_malloc(WA_BLOCK * sizeof(double));
    t->bin = wa_malloc((J ? J : 1) * WA_BLOCK * sizeof *t->bin);
    t->pv = wa_malloc(O * sizeof *t->pv);
    return t->pv && t->bins && t->sgh && t->sg && t->sgg && t->sh && t->shh && t->ce && t->ce2 &&
                   t->best && t->cols && t->perm && t->zcols && t->row && t->h && t->g && t->bin &&
                   t->idx
               ? 0
               : -1;
}

/* A sum of x[0..n) in a fixed order: eight lanes, then the lanes in order. */
WA_KERNEL double sum8(const double *x, size_t n)
{
    double l[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            l[k] += x[i + k];
    for (; i < n; i++)
        l[i % 8] += x[i];
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

WA_KERNEL double dot8(const double *x, const double *y, size_t n)
{
    double l[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            l[k] += x[i + k] * y[i + k];
    for (; i < n; i++)
        l[i % 8] += x[i] * y[i];
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

typedef double v8d __attribute__((vector_size(64)));

/* acc[bin[i]] += row i, for rows of L doubles (L a multiple of 8), vectors of 8 at a
   time; the same additions in the same order on every instruction set. */
WA_KERNEL void scatter_of(double *restrict acc, const uint16_t *restrict bin,
                          const double *restrict rows, size_t n, const size_t L)
{
    for (size_t i = 0; i < n; i++) {
        double *a = acc + (size_t)bin[i] * L;
        const double *row = rows + i * L;
        for (size_t l = 0; l < L; l += 8) {
            v8d x, y;
            memcpy(&x, a + l, sizeof x);
            memcpy(&y, row + l, sizeof y);
            x += y;
            memcpy(a + l, &x, sizeof x);
        }
    }
}

/* One input's block: its bins and ranks from its uniforms u, then its sums. */
WA_VECTORISED
static void input_block(const wa_dist *dist, const double *u, size_t n, size_t B, size_t K,
                        const double *h, double *g, uint16_t *bin, double *sg, double *sgg,
                        double *sgh)
{
    int bern = dist->kind == WA_DIST_BERNOULLI;
    int atoms = dist->kind == WA_DIST_POISSON || dist->kind == WA_DIST_DISCRETE;
    double t = 1 - dist->p[0], r0 = t / 2 - 0.5, r1 = (t + 1) / 2 - 0.5;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(u[i] * (double)B);
        bin[i] = (uint16_t)(b < B ? b : B - 1);
    }
    if (bern)
        for (size_t i = 0; i < n; i++)
            g[i] = u[i] > t ? r1 : r0; /* wa_dist_midrank's, centred */
    else if (atoms)
        for (size_t i = 0; i < n; i++)
            g[i] = wa_dist_midrank(dist, u[i]) - 0.5;
    else
        for (size_t i = 0; i < n; i++)
            g[i] = u[i] - 0.5;
    *sg = sum8(g, n);
    *sgg = dot8(g, g, n);
    for (size_t k = 0; k < K; k++)
        sgh[k] = dot8(g, h + k * WA_BLOCK, n);
}

/* Every input's sums of rows by bin, a few trials at a time so that their rows stay in
   the first-level cache while every input reads them. */
#define SUB 128
WA_VECTORISED
static void scatter_all(double *acc, const uint16_t *bins, const double *rows, size_t n,
                        size_t J, size_t B, size_t L)
{
    for (size_t i0 = 0; i0 < n; i0 += SUB) {
        size_t m = n - i0 < SUB ? n - i0 : SUB;
        for (size_t j = 0; j < J; j++) {
            double *a = acc + j * B * L;
            const uint16_t *bin = bins + j * WA_BLOCK + i0;
            const double *row = rows + i0 * L;
            if (L == 8)
                scatter_of(a, bin, row, m, 8);
            else if (L == 16)
                scatter_of(a, bin, row, m, 16);
            else
                scatter_of(a, bin, row, m, L);
        }
    }
}

/* Per trial of a block: the cheapest option (ties to the first) counted in best, and
   y = PV(star) - the minimum; the sums of the minimum, of y and of y^2. */
WA_VECTORISED
static void cheapest(const double *const *pv, size_t O, size_t n, size_t star, double *y,
                     uint32_t *bi, uint64_t *best, double *sum_min, double *sy, double *syy)
{
    const double *p0 = pv[0];
    for (size_t i = 0; i < n; i++)
        y[i] = p0[i], bi[i] = 0;
    for (size_t o = 1; o < O; o++) {
        const double *q = pv[o];
        for (size_t i = 0; i < n; i++) {
            int lt = q[i] < y[i];
            y[i] = lt ? q[i] : y[i];
            bi[i] = lt ? (uint32_t)o : bi[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        best[bi[i]]++;
    *sum_min = sum8(y, n);
    const double *ps = pv[star];
    for (size_t i = 0; i < n; i++)
        y[i] = ps[i] - y[i];
    *sy = sum8(y, n);
    *syy = dot8(y, y, n);
}

/* One block's accumulators in t (zeroed here). 0, or -1 when out of memory. */
static int run_block(const wa_pass_request *rq, const wa_pass *p, const wa_drank *dr, tls *t,
                      uint64_t block)
{
    const wa_model *m = rq->model;
    size_t K = m->noffers, O = m->noptions, J = p->J, B = p->B;
    uint64_t start = block * WA_BLOCK;
    size_t n = (size_t)(rq->trials - start < WA_BLOCK ? rq->trials - start : WA_BLOCK);
    /* the block's trials are held (wa_pass_run): pointers into them, for this thread */
    const double **pv = t->pv;
    for (size_t o = 0; o < O; o++)
        pv[o] = wa_trials_at(rq->trials_of, o, start);
    const double *W = pv[rq->walk];
    int has_ce = m->has_risk_tolerance;
    double R = m->risk_tolerance;

    size_t SL = p->SL;
    memset(t->bins, 0, J * B * SL * sizeof *t->bins);
    /* each trial's lanes: every option's PV, then the counts packed three to a lane (16
       bits each: the trial, then 1 per offer when walking is cheaper); a block's sums of
       them are whole numbers below 2^48, exact in a double */
    for (size_t i = 0; i < n; i++) {
        double *row = t->row + i * SL;
        memset(row, 0, SL * sizeof *row);
        for (size_t o = 0; o < O; o++)
            row[o] = pv[o][i];
        row[O] = 1;
        for (size_t k = 0; k < K; k++)
            if (W[i] < pv[k][i])
                row[O + (1 + k) / 3] += (double)((uint64_t)1 << (16 * ((1 + k) % 3)));
    }
    /* D's ranks, centred */
    for (size_t k = 0; k < K; k++) {
        double *h = t->h + k * WA_BLOCK;
        const double *Ok = pv[k];
        for (size_t i = 0; i < n; i++)
            h[i] = dr[k].mid[hbin(Ok[i] - W[i], dr[k].lo, dr[k].scale)] - 0.5;
        t->sh[k] = sum8(h, n);
        t->shh[k] = dot8(h, h, n);
    }
    /* the cheapest option of each trial, and EVPI's sums */
    cheapest(pv, O, n, p->opt_star, t->g, t->idx, t->best, &t->sum_min, &t->sy, &t->syy);
    /* the certainty equivalent's sums: every term at most 1, so nothing overflows */
    for (size_t o = 0; has_ce && o < O; o++) {
        double *e = t->g;
        const double *x = pv[o];
        double mx = rq->max[o];
        for (size_t i = 0; i < n; i++)
            e[i] = wa_exp((x[i] - mx) / R);
        t->ce[o] = sum8(e, n);
        t->ce2[o] = dot8(e, e, n);
    }
    if (!J)
        return 0;
    /* the inputs' uniforms, as the simulation drew them */
    if (wa_sim_uniforms(m, rq->method, rq->replicates, rq->seed, block, n, t->cols, t->perm, t->zcols))
        return -1;
    for (size_t j = 0; j < J; j++) {
        const wa_input *in = &m->inputs[p->input[j]];
        input_block(in->dist, t->cols + (size_t)in->slot * WA_BLOCK, n, B, K, t->h, t->g,
                    t->bin + j * WA_BLOCK, &t->sg[j], &t->sgg[j], &t->sgh[j * K]);
    }
    scatter_all(t->bins, t->bin, t->row, n, J, B, SL);
    return 0;
}

/* A block's bin sums (packed lanes, SL a bin) added to a group's (L = 1 + O + K a bin:
   count, PVs, beats). */
static void unpack_to(double *into, const double *from, size_t nbins, size_t O, size_t K,
                      size_t SL)
{
    size_t L = 1 + O + K;
    for (size_t b = 0; b < nbins; b++) {
        const double *s = from + b * SL;
        double *d = into + b * L;
        for (size_t o = 0; o < O; o++)
            d[1 + o] += s[o];
        for (size_t f = 0; f <= K; f++) {
            uint64_t v = (uint64_t)s[O + f / 3];
            double c = (double)((v >> (16 * (f % 3))) & 0xFFFF);
            d[f == 0 ? 0 : 1 + O + (f - 1)] += c;
        }
    }
}

/* into += from, element by element. */
static void add_to(double *into, const double *from, size_t n)
{
    for (size_t i = 0; i < n; i++)
        into[i] += from[i];
}

int wa_pass_run(const wa_pass_request *rq, wa_pass *p)
{
    const wa_model *m = rq->model;
    size_t K = m->noffers, O = m->noptions;
    uint64_t n = rq->trials;
    memset(p, 0, sizeof *p);
    p->input = wa_malloc((m->ninputs ? m->ninputs : 1) * sizeof *p->input);
    if (!p->input)
        return -1;
    for (size_t i = 0; i < m->ninputs; i++)
        if (m->inputs[i].kind == WA_IN_SAMPLED && m->inputs[i].hidden != 2)
            p->input[p->J++] = i; /* not the years of an input drawn per year (SPEC 1.2) */
    uint64_t nblocks = (n + WA_BLOCK - 1) / WA_BLOCK;
    p->G = nblocks < GROUPS ? (size_t)nblocks : GROUPS;
    p->L = 1 + O + K;                        /* count, PVs, beats */
    p->SL = (O + (1 + K + 2) / 3 + 7) / 8 * 8; /* PVs, packed counts; vectors of 8 */
    p->B = bins_for(n, p->J, p->L);
    size_t J = p->J, B = p->B, L = p->L, G = p->G;
    /* the option with the lowest mean, ties to the first */
    for (size_t o = 1; o < O; o++)
        if (rq->mean[o] < rq->mean[p->opt_star])
            p->opt_star = o;
    p->bins = wa_calloc(G * J * B * L + 1, sizeof *p->bins);
    p->sgh = wa_calloc(J * K + 1, sizeof(double));
    p->sg = wa_calloc(J ? J : 1, sizeof(double));
    p->sgg = wa_calloc(J ? J : 1, sizeof(double));
    p->sh = wa_calloc(K ? K : 1, sizeof(double));
    p->shh = wa_calloc(K ? K : 1, sizeof(double));
    p->best = wa_calloc(O, sizeof *p->best);
    p->ce = wa_calloc(O, sizeof(double));
    p->ce2 = wa_calloc(O, sizeof(double));
    const wa_drank *dr = rq->dr;
    int failed = !p->bins || !p->sgh || !p->sg || !p->sgg || !p->sh || !p->shh || !p->best ||
                 !p->ce || !p->ce2;

    /* window by window when the trials are regenerated (trials.h), each window's blocks
       in parallel: the blocks' accumulators merge in block order all the same */
    wa_trials *tr = rq->trials_of;
    uint64_t span = wa_trials_windowed(tr) ? tr->cap : n;
    for (uint64_t w0 = 0; w0 < n && !failed; w0 += span) {
        uint64_t wend = n - w0 < span ? n : w0 + span;
        if (wa_trials_need(tr, w0, wend - w0)) {
            failed = 1;
            break;
        }
        uint64_t b0 = w0 / WA_BLOCK, b1 = (wend + WA_BLOCK - 1) / WA_BLOCK;
        int nth = rq->threads > 0 ? rq->threads : 1;
        if ((uint64_t)nth > b1 - b0)
            nth = (int)(b1 - b0);
#pragma omp parallel num_threads(nth)
        {
            tls t;
            int ok = tls_alloc(&t, m, p) == 0;
            if (!ok) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for ordered schedule(dynamic, 1)
            for (uint64_t b = b0; b < b1; b++) {
                if (ok && run_block(rq, p, dr, &t, b)) {
                    ok = 0;
#pragma omp atomic write
                    failed = 1;
                }
#pragma omp ordered
                if (ok) {
                    /* merged in block order: the same sums for any number of threads */
                    unpack_to(p->bins + (size_t)(b % G) * J * B * L, t.bins, J * B, O, K,
                              p->SL);
                    add_to(p->sgh, t.sgh, J * K);
                    add_to(p->sg, t.sg, J);
                    add_to(p->sgg, t.sgg, J);
                    add_to(p->sh, t.sh, K);
                    add_to(p->shh, t.shh, K);
                    if (m->has_risk_tolerance) {
                        add_to(p->ce, t.ce, O);
                        add_to(p->ce2, t.ce2, O);
                    }
                    p->sy += t.sy;
                    p->syy += t.syy;
                    p->sum_min += t.sum_min;
                }
            }
#pragma omp critical
            if (ok)
                for (size_t o = 0; o < O; o++)
                    p->best[o] += t.best[o]; /* integers: any order */
            tls_free(&t);
        }
    }
    if (failed) {
        wa_pass_free(p);
        return -1;
    }
    return 0;
}
