/*
 * essential.c — the benchmark's essential kernel (bench/README.md).
 *
 * What any single-threaded program must do to give walkaway's summary of
 * bench/reference.yaml exactly, and nothing more: the draws of bench/floor.c (the engine's
 * own samplers, block by block, input by input), the reference's model written out by hand
 * for these inputs (five derived inputs, three offers and three alternatives as present
 * values, fused into one loop over a block, with each series' sum, least and greatest
 * value), the per-trial present values kept (exact order statistics need them: keeping
 * them costs the kernel's zeroing of fresh pages, simulating them again costs the draws
 * again), then for each of the nine series (three alternatives, three offers, three
 * differences D = O - W against the walk) two passes: bucket counts on fixed linear bins,
 * then the sum of squared deviations (sd), the sum below the shortfall's bucket and the
 * values of the buckets holding the wanted ranks (nine quantiles, two ranks each), which
 * are then sorted. p_cheapest and p_walk_beats are counted on the way.
 *
 * It has none of walkaway's generality (no expression programs, no options' items, no
 * diagnostics of non-finite values, no JSON of every figure): it is the floor of the whole
 * run, as bench/floor.c is the floor of the draws. It prints its figures as JSON; bench/run
 * checks that its means and quantiles are walkaway's (the same draws, the same model, the
 * arithmetic in another order: within 1e-9 relative).
 *
 *     wa_essential [-n TRIALS] [--seed S] bench/reference.yaml
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/model.h"
#include "sample/dist.h"
#include "sample/rng.h"
#include "simulate/simulate.h"
#include "util/simd.h"
#include "walkaway.h"

/* --until: how far the kernel goes (bench/run times each stage) */
enum { UNTIL_MODEL, UNTIL_KEEP, UNTIL_FIRST, UNTIL_ALL };

enum { NALT = 3, NOFF = 3, NSER = NALT + NOFF, NH = NSER + NOFF * NALT, NBINS = 1 << 13,
       NLEVELS = 9 };
static const double levels[NLEVELS] = {0.05, 0.10, 0.20, 0.25, 0.50, 0.75, 0.80, 0.90, 0.95};

/* the sampled inputs the model reads, in this order */
static const char *const names[] = {
    "effort_per_vm_hours", "hardware_refresh_share", "cloud_rightsizing", "downtime_hours",
    "day_rate", "dual_running_months", "training_cost", "cloud_egress_per_year",
    "tooling_cost", "downtime_cost_per_hour", "cloud_compute_per_year", "overrun",
    "nutanix_per_core", "kvm_support_per_host", "core_growth", "kvm_staff_per_year",
    "price_hike", "nutanix_cutover_fails", "kvm_cutover_fails", "cloud_commit_shortfall",
    "hardware_per_host", "cloud_price_change", "support_uplift", "vms"};
enum {
    EFFORT, HW_SHARE, RIGHTSIZING, DOWNTIME_H, DAY_RATE, DUAL_MONTHS, TRAINING, EGRESS,
    TOOLING, DOWNTIME_COST, COMPUTE, OVERRUN, NUTANIX_CORE, KVM_HOST, CORE_GROWTH, KVM_STAFF,
    PRICE_HIKE, NUTANIX_FAILS, KVM_FAILS, SHORTFALL, HW_PER_HOST, CLOUD_CHANGE, UPLIFT, VMS,
    NIN
};

/* the reference's constants */
#define CORES 2400.0
#define HOSTS 75.0
#define VCF_LIST 350.0
#define VVF_LIST 135.0
#define VVF_TOOLING 380e3
#define VCF_ANNUAL (CORES * VCF_LIST)

static double disc[6]; /* 1.08^-t */

/* sum over t = first..last of q^(t - first) disc[t], by Horner's rule */
static inline double flows(const double *dk, int first, int last, double q)
{
    double f = dk[last];
    for (int t = last - 1; t >= first; t--)
        f = f * q + dk[t];
    return f;
}

/* One block: the six present values of trials 0..n of the block into pv[s], the
   cheapest alternative counted. */
WA_VECTORISED
static void model_block(const double *const *in, size_t n, double *const *pv,
                        uint64_t *cheapest)
{
    const double f05_3 = flows(disc, 1, 5, 1.03), f05_4 = flows(disc, 1, 5, 1.04),
                 f25 = flows(disc, 2, 5, 1.0), f02 = flows(disc, 0, 2, 1.0),
                 f05_5 = flows(disc, 0, 5, 1.05);
    /* the discount factors as scalars: the loop's flows by Horner's rule written out */
    const double d0 = disc[0], d1 = disc[1], d2 = disc[2], d3 = disc[3], d4 = disc[4],
                 d5 = disc[5];
    /* the columns and the outputs never overlap: ivdep says so, and the loop vectorises
       without a run-time check of every pair of its 30 arrays (more than GCC makes) */
#define COL(k) const double *x##k = in[k]
    COL(0); COL(1); COL(2); COL(3); COL(4); COL(5); COL(6); COL(7); COL(8); COL(9); COL(10);
    COL(11); COL(12); COL(13); COL(14); COL(15); COL(16); COL(17); COL(18); COL(19); COL(20);
    COL(21); COL(22); COL(23);
#undef COL
    double *p0 = pv[0], *p1 = pv[1], *p2 = pv[2], *p3 = pv[3], *p4 = pv[4], *p5 = pv[5];
#pragma GCC ivdep
    for (size_t t = 0; t < n; t++) {
        double ml = x23[t] * x0[t] / 8 * x4[t] * (1 + x11[t]);
        double down = x3[t] * x9[t];
        double hr = HOSTS * x1[t] * x20[t];
        double qu = 1 + x22[t], after = VCF_ANNUAL * qu * qu * qu;
        double run = x10[t] * (1 - x2[t]);
        double qg = 1 + x14[t], qc = 1 + x21[t];
        double up35 = (d5 * qu + d4) * qu + d3, up05 = ((up35 * qu + d2) * qu + d1) * qu + d0;
        double g15 = (((d5 * qg + d4) * qg + d3) * qg + d2) * qg + d1;
        double c15 = (((d5 * qc + d4) * qc + d3) * qc + d2) * qc + d1;
        double hike = x16[t] * 0.2 * after * up35;
        double trueup = CORES * x14[t] * g15;
        double fail = (VCF_ANNUAL / 2 + ml / 2) * d1;
        p0[t] = VCF_ANNUAL + CORES * x12[t] * f05_3 + ml + x8[t] + hr +
                   x6[t] + down + x17[t] * fail;
        p1[t] = VCF_ANNUAL + HOSTS * x13[t] * f05_3 + x15[t] * f05_4 +
                   1.4 * ml + x8[t] + 0.5 * hr + 1.5 * x6[t] + 1.5 * down +
                   x18[t] * fail;
        p2[t] = VCF_ANNUAL + run * c15 + x7[t] * c15 + 1.2 * ml + x8[t] +
                   x5[t] / 12 * run + x6[t] +
                   x19[t] * 250e3 * f25 - 300e3 * d1 - 200e3 * f05_3;
        p3[t] = VCF_ANNUAL * up05 + hike + trueup * VCF_LIST;
        p4[t] = VCF_ANNUAL * 0.8 * f02 + after * up35 + hike + trueup * VCF_LIST * 0.8 - 150e3;
        p5[t] = CORES * VVF_LIST * up05 + VVF_TOOLING * f05_5 + 0.25 * ml + trueup * VVF_LIST;
    }
    for (size_t t = 0; t < n; t++) {
        int c = p1[t] < p0[t];
        c = p2[t] < (c ? p1[t] : p0[t]) ? 2 : c;
        cheapest[c]++;
    }
}

/* A series' first pass: counts on NBINS linear bins fixed by the first block (its range
   widened by its width on each side; bins 0 and NBINS - 1 take what falls outside), its
   sum, its sum of squares about the first block's mean, its values above 0. */
typedef struct hist {
    double lo, inv, shift, sum, sq;
    uint64_t positive;
    uint32_t count[NBINS];
} hist;

/* x, or x - w with w */
static void hist_start(hist *h, const double *x, const double *w, size_t n)
{
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (size_t t = 0; t < n; t++) {
        double v = w ? x[t] - w[t] : x[t];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        sum += v;
    }
    double width = hi > lo ? hi - lo : fabs(lo) * 1e-3 + 1;
    h->lo = lo - width;
    h->inv = (NBINS - 2) / (3 * width);
    h->shift = sum / (double)n;
}

/* The block's values (x, or x - w into diff) and their bins; returns the values. Bin 0
   and NBINS - 1 take what falls below and above the fixed range. */
WA_KERNEL const double *values_and_bins(const hist *h, const double *x, const double *w,
                                        size_t n, double *diff, uint32_t *bins)
{
    if (w) {
        for (size_t t = 0; t < n; t++)
            diff[t] = x[t] - w[t];
        x = diff;
    }
    const double lo = h->lo, inv = h->inv;
    for (size_t t = 0; t < n; t++) {
        double p = (x[t] - lo) * inv;
        bins[t] = p < 0 ? 0 : p >= NBINS - 2 ? NBINS - 1 : 1 + (uint32_t)p;
    }
    return x;
}

/* Vectorised: the bins, the sums and the count above 0 over the block, in eight lanes;
   then the counts, one by one (a scatter). */
WA_VECTORISED
static void hist_add(hist *h, const double *x, const double *w, size_t n)
{
    uint32_t bins[WA_BLOCK];
    double diff[WA_BLOCK];
    x = values_and_bins(h, x, w, n, diff, bins);
    double sum[8] = {0}, sq[8] = {0}, pos[8] = {0};
    const double shift = h->shift;
    size_t t = 0;
    for (; t + 8 <= n; t += 8)
        for (int j = 0; j < 8; j++) {
            double v = x[t + j], d = v - shift;
            sum[j] += v;
            sq[j] += d * d;
            pos[j] += v > 0 ? 1.0 : 0.0;
        }
    for (; t < n; t++) {
        double v = x[t], d = v - shift;
        sum[0] += v;
        sq[0] += d * d;
        pos[0] += v > 0 ? 1.0 : 0.0;
    }
    for (size_t i = 0; i < n; i++)
        h->count[bins[i]]++;
    for (int j = 0; j < 8; j++) {
        h->sum += sum[j];
        h->sq += sq[j];
        h->positive += (uint64_t)pos[j];
    }
}

typedef struct figures {
    double mean, sd, q[NLEVELS], shortfall;
    uint64_t positive; /* values above 0 */
} figures;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The ranks a series wants: two a quantile (type 7), then the last of its worst 20% (the
   shortfall's). */
enum { NR = 2 * NLEVELS + 1 };

/* What the second pass keeps of a series: the bin of each wanted rank and the rank the bin
   starts at, a slot per bin (-1: not wanted), the gathered values of the wanted bins, and
   the sum of the values in bins below the shortfall's. */
typedef struct wanted {
    size_t rank[NR], bin[NR], start[NR], where[NR], have[NR], es_bin, es_n;
    int16_t slot[NBINS];
    double *gathered, below;
} wanted;

static int wanted_make(wanted *g, const hist *h, size_t n)
{
    size_t order[NR];
    for (int k = 0; k < NLEVELS; k++) {
        double q = (double)(n - 1) * levels[k];
        g->rank[2 * k] = (size_t)q;
        g->rank[2 * k + 1] = (size_t)q + 1 < n ? (size_t)q + 1 : (size_t)q;
    }
    g->es_n = (size_t)((double)n * 0.2);
    g->rank[NR - 1] = g->es_n ? g->es_n - 1 : 0;
    for (size_t r = 0; r < NR; r++) { /* the ranks' order, by insertion */
        size_t j = r;
        for (; j > 0 && g->rank[order[j - 1]] > g->rank[r]; j--)
            order[j] = order[j - 1];
        order[j] = r;
    }
    memset(g->slot, 0xff, sizeof g->slot);
    size_t nb = 0, cum = 0, b = 0, total = 0;
    for (size_t i = 0; i < NR; i++) {
        size_t r = order[i];
        while (cum + h->count[b] <= g->rank[r])
            cum += h->count[b++];
        g->bin[r] = b, g->start[r] = cum;
        if (g->slot[b] < 0) {
            g->slot[b] = (int16_t)nb;
            g->where[nb] = total;
            g->have[nb++] = 0;
            total += h->count[b];
        }
    }
    g->es_bin = g->bin[NR - 1];
    g->below = 0;
    g->gathered = malloc((total ? total : 1) * sizeof *g->gathered);
    return g->gathered ? 0 : -1;
}

/* The second pass over trials 0..n of x (or x - w): the sum below the shortfall's bin and
   the values of the wanted bins. Vectorised: the bins and the sum, in eight lanes; then the
   gathering, one by one (a wanted bin is rare, so its branch is well predicted). */
WA_VECTORISED
static void wanted_add(wanted *g, const hist *h, const double *x, const double *w, size_t n)
{
    uint32_t bins[WA_BLOCK];
    double diff[WA_BLOCK];
    x = values_and_bins(h, x, w, n, diff, bins);
    double below[8] = {0};
    const uint32_t es_bin = (uint32_t)g->es_bin;
    /* the values below the shortfall's bin, else 0, into an array first: GCC 12.2 at -O3
       vectorises `below[j] += bins[t + j] < es_bin ? x[t + j] : 0` wrongly (the sums come
       out too large, on AVX2 and AVX-512 alike; bench/run's agreement check caught it) */
    double under[WA_BLOCK];
    for (size_t t = 0; t < n; t++)
        under[t] = bins[t] < es_bin ? x[t] : 0;
    size_t t = 0;
    for (; t + 8 <= n; t += 8)
        for (int j = 0; j < 8; j++)
            below[j] += under[t + j];
    for (; t < n; t++)
        below[0] += under[t];
    for (size_t i = 0; i < n; i++) {
        int sl = g->slot[bins[i]];
        if (sl >= 0)
            g->gathered[g->where[sl] + g->have[sl]++] = x[i];
    }
    for (int j = 0; j < 8; j++)
        g->below += below[j];
}

static void figures_of(figures *f, wanted *g, const hist *h, size_t n)
{
    for (size_t k = 0; k < NR; k++)
        if (g->slot[g->bin[k]] >= 0) {
            int sl = g->slot[g->bin[k]];
            if (g->have[sl]) /* sorted once */
                qsort(g->gathered + g->where[sl], g->have[sl], sizeof *g->gathered, by_value);
            g->have[sl] = 0;
        }
    double val[NR];
    for (size_t r = 0; r < NR; r++)
        val[r] = g->gathered[g->where[g->slot[g->bin[r]]] + (g->rank[r] - g->start[r])];
    for (int k = 0; k < NLEVELS; k++) {
        double q = (double)(n - 1) * levels[k], fr = q - floor(q);
        f->q[k] = val[2 * k] + fr * (val[2 * k + 1] - val[2 * k]);
    }
    double under = g->below;
    for (size_t i = 0; g->es_n && i <= g->rank[NR - 1] - g->start[NR - 1]; i++)
        under += g->gathered[g->where[g->slot[g->es_bin]] + i];
    f->shortfall = g->es_n ? under / (double)g->es_n : NAN;
    f->mean = h->sum / (double)n;
    double s1 = h->sum - (double)n * h->shift; /* the sum of v - shift */
    f->sd = n > 1 ? sqrt((h->sq - s1 * s1 / (double)n) / (double)(n - 1)) : 0;
    f->positive = h->positive;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static void print_figures(const char *name, const figures *f, int last)
{
    printf("    \"%s\": {\"mean\": %.17g, \"sd\": %.17g, \"quantiles\": [", name, f->mean, f->sd);
    for (int k = 0; k < NLEVELS; k++)
        printf("%.17g%s", f->q[k], k + 1 < NLEVELS ? ", " : "");
    printf("], \"shortfall\": %.17g, \"positive\": %llu}%s\n", f->shortfall,
           (unsigned long long)f->positive, last ? "" : ",");
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t trials = 0, seed = 0;
    int has_trials = 0, has_seed = 0, until = UNTIL_ALL;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "--trials")) && i + 1 < argc) {
            if (parse_u64(argv[++i], &trials) || trials < 2)
                return 2;
            has_trials = 1;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            if (parse_u64(argv[++i], &seed))
                return 2;
            has_seed = 1;
        } else if (!strcmp(argv[i], "--until") && i + 1 < argc) {
            const char *u = argv[++i];
            until = !strcmp(u, "model") ? UNTIL_MODEL : !strcmp(u, "keep") ? UNTIL_KEEP
                    : !strcmp(u, "first") ? UNTIL_FIRST : !strcmp(u, "all") ? UNTIL_ALL : -1;
            if (until < 0)
                return 2;
        } else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "usage: wa_essential [-n TRIALS] [--seed S] [--until STAGE] bench/reference.yaml\n");
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, "usage: wa_essential [-n TRIALS] [--seed S] [--until STAGE] bench/reference.yaml\n");
        return 2;
    }
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (!d || wa_scenario_load(path, &sc, d) != WA_OK) {
        fprintf(stderr, "wa_essential: cannot load %s\n", path);
        return 1;
    }
    if (!has_trials)
        trials = sc->settings.trials;
    if (!has_seed)
        seed = sc->settings.seed;
    const wa_model *m = sc->base;
    const wa_input *in[NIN];
    for (int k = 0; k < NIN; k++) {
        in[k] = NULL;
        for (size_t i = 0; i < m->ninputs; i++)
            if (!strcmp(m->inputs[i].name, names[k]) && m->inputs[i].kind == WA_IN_SAMPLED)
                in[k] = &m->inputs[i];
        if (!in[k]) {
            fprintf(stderr, "wa_essential: %s has no sampled input '%s': this kernel is "
                            "bench/reference.yaml's model written out\n", path, names[k]);
            return 1;
        }
    }
    for (int t = 0; t < 6; t++)
        disc[t] = pow(1.08, -t);

    size_t n = (size_t)trials;
    double *cols = malloc((size_t)NIN * WA_BLOCK * sizeof *cols);
    double *pv[NSER];
    hist *h = calloc(NH, sizeof *h);
    wanted *g = malloc(NSER + NOFF > 0 ? (NSER + NOFF) * sizeof *g : 1);
    if (!cols || !h || !g)
        return 4;
    /* kept: fresh pages, which the kernel zeroes as they are first written; else one
       block's worth, written over block after block */
    for (int s = 0; s < NSER; s++)
        if (!(pv[s] = malloc((until >= UNTIL_KEEP ? n : WA_BLOCK) * sizeof *pv[s])))
            return 4;
    double checksum = 0;
    uint64_t keys[NIN];
    const double *colp[NIN];
    for (int k = 0; k < NIN; k++) {
        keys[k] = wa_stream_key(in[k]->name);
        colp[k] = cols + (size_t)k * WA_BLOCK;
    }
    uint64_t cheapest[NALT] = {0};
    uint64_t nblocks = (trials + WA_BLOCK - 1) / WA_BLOCK;
    for (uint64_t block = 0; block < nblocks; block++) {
        uint64_t start = block * WA_BLOCK;
        size_t nb = (size_t)(trials - start < WA_BLOCK ? trials - start : WA_BLOCK);
        for (int k = 0; k < NIN; k++) { /* bench/floor.c's draws, in model order */
            double *col = cols + (size_t)k * WA_BLOCK;
            wa_rng_block_uniforms(seed, keys[k], block, col, nb);
            wa_dist_quantiles(in[k]->dist, col, col, nb);
        }
        double *out[NSER];
        for (int s = 0; s < NSER; s++)
            out[s] = until >= UNTIL_KEEP ? pv[s] + start : pv[s];
        model_block(colp, nb, out, cheapest);
        if (until < UNTIL_FIRST) { /* a checksum, so that nothing is optimised away */
            for (int s = 0; s < NSER; s++)
                checksum += out[s][0] + out[s][nb - 1];
            continue;
        }
        /* the first pass of every series while the block is in the cache: the six present
           values and the nine differences offer - alternative (the walk is not known yet) */
        for (int s = 0; s < NH; s++) {
            const double *x = s < NSER ? out[s] : out[NALT + (s - NSER) / NALT];
            const double *w = s < NSER ? NULL : out[(s - NSER) % NALT];
            if (block == 0)
                hist_start(&h[s], x, w, nb);
            hist_add(&h[s], x, w, nb);
        }
    }
    if (until < UNTIL_ALL) {
        double total = checksum;
        for (int s = 0; s < NH; s++)
            total += h[s].sum + h[s].count[NBINS / 2];
        printf("{\"file\": \"%s\", \"trials\": %llu, \"until\": %d, \"checksum\": %.17g}\n",
               path, (unsigned long long)trials, until, total);
        return 0;
    }
    /* walk: best, the alternative of least mean (ties: the first) */
    int walk = 0;
    for (int a = 1; a < NALT; a++)
        if (h[a].sum / (double)n < h[walk].sum / (double)n)
            walk = a;
    /* the nine series reported: the alternatives, the offers, D = O - W */
    const hist *hs[NSER + NOFF];
    const double *xs[NSER + NOFF], *ws[NSER + NOFF];
    for (int s = 0; s < NSER; s++)
        hs[s] = &h[s], xs[s] = pv[s], ws[s] = NULL;
    for (int o = 0; o < NOFF; o++) {
        hs[NSER + o] = &h[NSER + o * NALT + walk];
        xs[NSER + o] = pv[NALT + o];
        ws[NSER + o] = pv[walk];
    }
    for (int s = 0; s < NSER + NOFF; s++)
        if (wanted_make(&g[s], hs[s], n))
            return 4;
    /* the second pass, block by block, every series in turn while the block is in cache */
    for (size_t t0 = 0; t0 < n; t0 += WA_BLOCK) {
        size_t m = n - t0 < WA_BLOCK ? n - t0 : WA_BLOCK;
        for (int s = 0; s < NSER + NOFF; s++)
            wanted_add(&g[s], hs[s], xs[s] + t0, ws[s] ? ws[s] + t0 : NULL, m);
    }
    figures f[NSER + NOFF];
    for (int s = 0; s < NSER + NOFF; s++)
        figures_of(&f[s], &g[s], hs[s], n);
    const char *sname[NSER + NOFF] = {"nutanix", "kvm-open-source", "public-cloud",
                                      "vcf-yearly", "vcf-3yr-commit", "vvf-downgrade",
                                      "D vcf-yearly", "D vcf-3yr-commit", "D vvf-downgrade"};
    printf("{\"file\": \"%s\", \"trials\": %llu, \"seed\": %llu, \"walk\": \"%s\",\n", path,
           (unsigned long long)trials, (unsigned long long)seed, sname[walk]);
    printf("  \"p_cheapest\": [%.17g, %.17g, %.17g],\n  \"levels\": [", (double)cheapest[0] / n,
           (double)cheapest[1] / n, (double)cheapest[2] / n);
    for (int k = 0; k < NLEVELS; k++)
        printf("%g%s", levels[k], k + 1 < NLEVELS ? ", " : "");
    printf("],\n  \"series\": {\n");
    for (int s = 0; s < NSER + NOFF; s++)
        print_figures(sname[s], &f[s], s + 1 == NSER + NOFF);
    printf("  }\n}\n");
    for (int s = 0; s < NSER; s++)
        free(pv[s]);
    for (int s = 0; s < NSER + NOFF; s++)
        free(g[s].gathered);
    free(cols);
    free(h);
    free(g);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return 0;
}
