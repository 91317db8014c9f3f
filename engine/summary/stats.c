/*
 * stats.c — summary statistics of one series (SPEC §2): mean and sd, type-7 quantiles,
 * mean of the k smallest, Wilson intervals.
 *
 * Invariants. Results depend only on the data and its order, never on threads, timing or
 * the instruction set: sums run in eight interleaved lanes of plain sums over fixed pieces
 * of the array, the pieces' sums added with compensation (Neumaier), a grouping fixed by n
 * alone; selection uses deterministic pivots. Order statistics are found by selection,
 * not by sorting: a 3-way (Dutch flag) quickselect that recurses only into the parts
 * holding a requested rank, with ninther pivots and a heapsort fallback past 2 log2(n)
 * levels (introselect), so sorted, reversed and all-equal inputs stay O(n) and nothing is
 * ever quadratic.
 */
#include "summary/stats.h"
#include "summary/buckets.h"
#include "sample/uniforms.h"
#include "util/simd.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include "util/alloc.h"

/* ------------------------------------------------------------------------------------- */
/* Compensated sums                                                                       */

typedef struct ksum {
    double s, c;
} ksum;

/* Neumaier's variant of Kahan summation: exact to within a couple of ulps of the true sum
   whatever the magnitudes, where a plain loop loses log2(n) bits. */
static void ksum_add(ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double ksum_value(const ksum *k) { return k->s + k->c; }

void wa_mean_sd(const double *a, size_t n, double *mean, double *sd)
{
    /* the series' algorithm (below), so that an array and a series give the same bits */
    double *const one[1] = {(double *)a}; /* only read */
    wa_trials t;
    wa_trials_whole(&t, one, 1, n);
    wa_series s = wa_series_one(&t, 0);
    wa_series_mean_sd(&s, mean, sd);
}

wa_series wa_series_one(wa_trials *t, size_t a)
{
    wa_series s = {t, a, WA_NO_SERIES, t->n, 0, WA_NO_SERIES};
    return s;
}

wa_series wa_series_minus(wa_trials *t, size_t a, size_t b)
{
    wa_series s = {t, a, b, t->n, 0, WA_NO_SERIES};
    return s;
}

/* ------------------------------------------------------------------------------------- */
/* Selection                                                                              */

static void swap(double *a, size_t i, size_t j)
{
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void insertion_sort(double *a, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i < hi; i++) {
        double x = a[i];
        size_t j = i;
        for (; j > lo && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static void sift_down(double *a, size_t base, size_t root, size_t len)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= len)
            return;
        if (child + 1 < len && a[base + child] < a[base + child + 1])
            child++;
        if (!(a[base + root] < a[base + child]))
            return;
        swap(a, base + root, base + child);
        root = child;
    }
}

static void heap_sort(double *a, size_t lo, size_t hi)
{
    size_t len = hi - lo;
    for (size_t i = len / 2; i > 0 ? (i--, 1) : 0;) /* down, no wrap */
        sift_down(a, lo, i, len);
    for (size_t end = len; end-- > 1;) {
        swap(a, lo, lo + end);
        sift_down(a, lo, 0, end);
    }
}

/* The ranks wanted: for each type-7 probability floor(h) and, when h is not whole,
   floor(h) + 1 (h = (n-1) p); or one explicit rank. */
typedef struct rank_set {
    const double *p;
    size_t np, n;
    const size_t *ranks; /* explicit ranks as well */
    size_t nranks;
    int sorted;          /* ranks ascending: found by bisection */
} rank_set;

static int wants_rank_in(const rank_set *rs, size_t lo, size_t hi)
{
    if (rs->sorted) {
        size_t a = 0, b = rs->nranks; /* the first rank >= lo */
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (rs->ranks[mid] < lo)
                a = mid + 1;
            else
                b = mid;
        }
        if (a < rs->nranks && rs->ranks[a] < hi)
            return 1;
    }
    for (size_t j = 0; !rs->sorted && j < rs->nranks; j++)
        if (rs->ranks[j] >= lo && rs->ranks[j] < hi)
            return 1;
    for (size_t j = 0; j < rs->np; j++) {
        double h = (double)(rs->n - 1) * rs->p[j];
        size_t r = (size_t)floor(h);
        if (r >= lo && r < hi)
            return 1;
        if ((double)r != h && r + 1 < rs->n && r + 1 >= lo && r + 1 < hi)
            return 1;
    }
    return 0;
}

static double median3(double x, double y, double z)
{
    if (x < y)
        return y < z ? y : (x < z ? z : x);
    return x < z ? x : (y < z ? z : y);
}

/* Tukey's ninther (median of three medians of three) on larger ranges, median of three on
   small ones: deterministic, and robust against sorted, reversed and organ-pipe input. */
static double choose_pivot(const double *a, size_t lo, size_t hi)
{
    size_t m = hi - lo, mid = lo + m / 2;
    if (m < 64)
        return median3(a[lo], a[mid], a[hi - 1]);
    size_t s = m / 8;
    return median3(median3(a[lo], a[lo + s], a[lo + 2 * s]), median3(a[mid - s], a[mid], a[mid + s]),
                   median3(a[hi - 1 - 2 * s], a[hi - 1 - s], a[hi - 1]));
}

/* Puts every wanted rank in [lo, hi) at its sorted position, each part left of it no greater
   and right of it no smaller. depth counts down to the heapsort fallback. */
static void multiselect(double *a, size_t lo, size_t hi, const rank_set *rs, int depth)
{
    while (hi - lo > 1 && wants_rank_in(rs, lo, hi)) {
        if (hi - lo <= 16) {
            insertion_sort(a, lo, hi);
            return;
        }
        if (depth-- <= 0) {
            heap_sort(a, lo, hi);
            return;
        }
        double pivot = choose_pivot(a, lo, hi);
        /* Hoare's partition: both scans stop at the pivot's value, so a run of equal
           values is split evenly (no quadratic case) and each element moves at most once.
           Afterwards [lo, j] <= pivot <= [j + 1, hi). The pivot value lies in the range,
           so neither scan runs off its end. */
        size_t i = lo - 1, j = hi;
        for (;;) {
            do
                i++;
            while (a[i] < pivot);
            do
                j--;
            while (a[j] > pivot);
            if (i >= j)
                break;
            swap(a, i, j);
        }
        size_t mid = j + 1;
        /* Recurse into the smaller side, loop on the other, so the stack stays O(log n). */
        if (mid - lo < hi - mid) {
            multiselect(a, lo, mid, rs, depth);
            lo = mid;
        } else {
            multiselect(a, mid, hi, rs, depth);
            hi = mid;
        }
    }
}

static int depth_limit(size_t n)
{
    int d = 0;
    while (n > 1) {
        n >>= 1;
        d++;
    }
    return 2 * d + 2;
}

/* numpy's _lerp: exact at both ends and monotone in t. */
static double lerp(double x, double y, double t)
{
    double diff = y - x;
    return t >= 0.5 ? y - diff * (1 - t) : x + diff * t;
}

static void read_quantiles(const double *a, size_t n, const double *p, size_t np, double *out);

void wa_quantiles(double *a, size_t n, const double *p, size_t np, double *out)
{
    if (n == 0) {
        for (size_t j = 0; j < np; j++)
            out[j] = NAN;
        return;
    }
    rank_set rs = {p, np, n, NULL, 0, 0};
    multiselect(a, 0, n, &rs, depth_limit(n));
    read_quantiles(a, n, p, np, out);
}

/* The type-7 quantiles from an array whose needed ranks are in place. */
static void read_quantiles(const double *a, size_t n, const double *p, size_t np, double *out)
{
    for (size_t j = 0; j < np; j++) {
        double h = (double)(n - 1) * p[j];
        size_t r = (size_t)floor(h);
        if (r >= n - 1) {
            out[j] = a[n - 1];
            continue;
        }
        double g = h - (double)r;
        out[j] = g == 0 ? a[r] : lerp(a[r], a[r + 1], g);
    }
}

void wa_stats_compute(double *a, size_t n, wa_stats *out)
{
    static const double probs[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    double q[7];
    wa_mean_sd(a, n, &out->mean, &out->sd);
    double lo = n ? a[0] : NAN, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (a[i] < lo)
            lo = a[i];
        if (a[i] > hi)
            hi = a[i];
    }
    out->min = lo;
    out->max = hi;
    wa_quantiles(a, n, probs, 7, q);
    out->p5 = q[0], out->p10 = q[1], out->p25 = q[2], out->p50 = q[3];
    out->p75 = q[4], out->p90 = q[5], out->p95 = q[6];
}

double wa_mean_smallest(double *a, size_t n, size_t k)
{
    if (n == 0 || k == 0)
        return NAN;
    if (k > n)
        k = n;
    /* rank k-1 in place means a[0..k) are the k smallest */
    size_t rank = k - 1;
    rank_set rs = {NULL, 0, n, &rank, 1, 1};
    multiselect(a, 0, n, &rs, depth_limit(n));
    ksum s = {0, 0};
    for (size_t i = 0; i < k; i++)
        ksum_add(&s, a[i]);
    return ksum_value(&s) / (double)k;
}

void wa_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0, *hi = 1;
        return;
    }
    /* (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), multiplied through by n */
    double kd = (double)k, nd = (double)n, z2 = z * z;
    double denom = nd + z2;
    double centre = (kd + z2 / 2) / denom;
    double half = z * sqrt(kd * (nd - kd) / nd + z2 / 4) / denom;
    double l = centre - half, h = centre + half;
    *lo = k == 0 ? 0 : l < 0 ? 0 : l;
    *hi = k == n ? 1 : h > 1 ? 1 : h;
}

/* ------------------------------------------------------------------------------------- */
/* Series read in place: histogram selection                                             */

/* A chunk of a series: the values of trials [i0, i0 + m) of a, and of b when the series
   has one (else NULL) and of u (else NULL). m <= WA_BLOCK, within one block. */
typedef struct chunk {
    const double *a, *b, *u;
} chunk;

static chunk chunk_of(const wa_series *s, uint64_t i0, size_t m)
{
    chunk c = {wa_trials_read(s->t, s->a, i0, m), NULL, NULL};
    if (s->b != WA_NO_SERIES)
        c.b = wa_trials_read(s->t, s->b, i0, m);
    if (s->u != WA_NO_SERIES)
        c.u = wa_trials_read(s->t, s->u, i0, m);
    return c;
}

/* Buckets (buckets.h) of x_i for i in [i0, i0 + m), m <= SUM_PIECE: one vectorised pass, so
   that the counting and gathering loops that read them do no arithmetic. */
WA_KERNEL void bucket_chunk_of(const double *restrict a, const double *restrict b,
                               const int diff, size_t m, unsigned drop, uint32_t *restrict bk)
{
    for (size_t i = 0; i < m; i++)
        bk[i] = wa_bucket_coarse(wa_bucket_of(diff ? a[i] - b[i] : a[i]), drop);
}

WA_VECTORISED
static void bucket_chunk(const chunk *c, size_t m, unsigned drop, uint32_t *bk)
{
    if (c->b)
        bucket_chunk_of(c->a, c->b, 1, m, drop, bk);
    else
        bucket_chunk_of(c->a, c->a, 0, m, drop, bk);
}

/* Lanes: the sums over a series run in LANES interleaved lanes (element i goes to lane
   i % LANES), combined in lane order at the end (see SUM_PIECE for the two levels). The
   order is fixed by the data alone, so the result is the same on every machine, and the
   lanes are independent, so they run side by side (one running sum is a chain of
   dependent additions). The lanes are GCC's generic vectors (clang has them too):
   element-wise IEEE arithmetic that each clone maps to its own registers. */
#define LANES 8
typedef double v8d __attribute__((vector_size(LANES * sizeof(double))));
typedef int64_t v8l __attribute__((vector_size(LANES * sizeof(double))));
/* The helpers below are always inlined: no call passes a vector, so the warning that the
   calling convention for 64-byte vectors differs between instruction sets is moot. */
#pragma GCC diagnostic ignored "-Wpsabi" /* GCC's and clang's name */

WA_KERNEL v8d v8_load(const double *p)
{
    v8d v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* m ? x : y, m a comparison's all-ones or zero lanes; |x| */
#define V8_SELECT(m, x, y) ((v8d)(((v8l)(x) & (m)) | ((v8l)(y) & ~(m))))
#define V8_ABS(x) ((v8d)((v8l)(x) & ((v8l){0} + INT64_MAX)))

/* One Neumaier step (as ksum_add) in every lane: s + x, the lost low part into c. */
WA_KERNEL void v8_kstep(v8d *s, v8d *c, const v8d *xp)
{
    v8d x = *xp, t = *s + x;
    v8l sbig = V8_ABS(*s) >= V8_ABS(x);
    *c += (V8_SELECT(sbig, *s, x) - t) + V8_SELECT(sbig, x, *s);
    *s = t;
}

WA_KERNEL double lanes_value(const v8d *sp, const v8d *cp)
{
    v8d s = *sp, c = *cp;
    ksum k = {0, 0};
    for (int j = 0; j < LANES; j++)
        ksum_add(&k, s[j]);
    for (int j = 0; j < LANES; j++)
        k.c += c[j];
    return ksum_value(&k);
}

/* x for elements [i, i + LANES) of a - b (diff) or a; past n, `pad`. */
WA_KERNEL v8d v8_series(const double *a, const double *b, const int diff, size_t i, size_t n,
                        double pad)
{
    if (i + LANES <= n)
        return diff ? v8_load(a + i) - v8_load(b + i) : v8_load(a + i);
    v8d x;
    for (int j = 0; j < LANES; j++)
        x[j] = i + (size_t)j < n ? (diff ? a[i + (size_t)j] - b[i + (size_t)j] : a[i + (size_t)j])
                                 : pad;
    return x;
}

/* Sums in two levels: plain sums in each lane over a piece of SUM_PIECE elements (256
   additions a lane, so at most 256 roundings of a piece's sum), then the pieces' sums
   added with compensation. As accurate as compensating every addition, to a few parts in
   10^14 of the sum, at a sixth of the work. Pieces start at multiples of SUM_PIECE in the
   series, whatever range a call covers, so the grouping, and so every bit of the result,
   depends on the data alone. */
#define SUM_PIECE 2048
_Static_assert(SUM_PIECE == WA_FIRST_CHUNK, "a first pass's chunks are the sums' pieces");

/* The first of the two passes, over one piece of m <= SUM_PIECE values of x = a - b (diff)
   or x = a: their sum into st[0..1] (sum and compensation), their range into st[2..3]
   (least and greatest, which start at x_0). The series' last piece is padded to a whole
   group with 0 for the sum (adding 0 changes nothing) and x0 for the range. */
WA_KERNEL void first_piece(const double *a, const double *b, size_t m, const int diff,
                           double x0, v8d *st)
{
    v8d lo = st[2], hi = st[3], ps = {0};
    for (size_t i = 0; i < m; i += LANES) {
        v8d x = v8_series(a, b, diff, i, m, x0);
        lo = V8_SELECT(x < lo, x, lo);
        hi = V8_SELECT(x > hi, x, hi);
        if (i + LANES > m)
            x = v8_series(a, b, diff, i, m, 0);
        ps += x;
    }
    v8_kstep(&st[0], &st[1], &ps);
    st[2] = lo, st[3] = hi;
}

/* The second pass, over one piece of m <= SUM_PIECE values (a whole piece, or the
   series' last): the deviations from the mean and their squares, into dev[0..3] (sum and
   compensation of each). The tail is padded with the mean itself, whose deviation is 0. */
WA_KERNEL void dev_piece(const double *a, const double *b, size_t m, const int diff,
                         double mean, v8d *dev)
{
    v8d ps = {0}, ps2 = {0};
    for (size_t i = 0; i < m; i += LANES) {
        v8d e = v8_series(a, b, diff, i, m, mean) - mean;
        ps += e;
        ps2 += e * e;
    }
    v8_kstep(&dev[0], &dev[1], &ps);
    v8_kstep(&dev[2], &dev[3], &ps2);
}

/* sd (n - 1) from the deviations' sums: the corrected two-pass variance (Chan, Golub &
   LeVeque 1983), in which the sum of the deviations, zero in exact arithmetic, removes
   what rounding in the mean left. */
static double dev_sd(const v8d *dev, size_t n)
{
    if (n < 2)
        return 0;
    double de = lanes_value(&dev[0], &dev[1]);
    double v = (lanes_value(&dev[2], &dev[3]) - de * de / (double)n) / (double)(n - 1);
    return v > 0 ? sqrt(v) : 0;
}

WA_VECTORISED
static void first_chunk(const chunk *c, size_t m, double x0, v8d *st)
{
    if (c->b)
        first_piece(c->a, c->b, m, 1, x0, st);
    else
        first_piece(c->a, c->a, m, 0, x0, st);
}

int wa_first_init(wa_first *f, int what, unsigned replicates, uint64_t n)
{
    memset(f, 0, sizeof *f);
    f->what = what;
    f->drop = wa_bucket_drop(n);
    f->by_replicate = replicates > 1 && replicates <= 256 ? replicates : 0;
    return what & WA_FIRST_BUCKETS ? wa_buckets_init(&f->bk) : 0;
}

void wa_first_free(wa_first *f)
{
    wa_buckets_free(&f->bk);
}

void wa_first_chunk(wa_first *f, const wa_series *s, uint64_t i0, size_t m)
{
    chunk c = chunk_of(s, i0, m);
    if (f->what & WA_FIRST_SUMS) {
        v8d st[4];
        memcpy(st, f->st, sizeof st);
        if (i0 == 0)
            st[2] = st[3] = (v8d){0} + (c.b ? c.a[0] - c.b[0] : c.a[0]);
        first_chunk(&c, m, st[2][0], st);
        memcpy(f->st, st, sizeof st);
    }
    if (f->what & WA_FIRST_BUCKETS) {
        uint32_t ids[SUM_PIECE];
        bucket_chunk(&c, m, f->drop, ids);
        wa_buckets_add(&f->bk, ids, m);
    }
    if (f->what & WA_FIRST_BEATS) { /* a: O, b: W */
        if (f->by_replicate) {
            for (size_t i = 0; i < m; i++) {
                unsigned r = wa_replicate_of(i0 + i, f->by_replicate);
                f->rb[r] += (uint64_t)(c.b[i] < c.a[i]);
                f->rn[r]++;
            }
        } else {
            for (size_t i = 0; i < m; i++)
                f->beats += c.b[i] < c.a[i];
        }
    }
}

/* The mean and range gathered by a first pass over n >= 1 values. */
static void first_result(const wa_first *f, uint64_t n, double *mean, double *min, double *max)
{
    v8d st[4];
    memcpy(st, f->st, sizeof st);
    double l = st[2][0], h = st[3][0];
    for (int j = 1; j < LANES; j++) {
        l = st[2][j] < l ? st[2][j] : l;
        h = st[3][j] > h ? st[3][j] : h;
    }
    *mean = lanes_value(&st[0], &st[1]) / (double)n, *min = l, *max = h;
}

/* A whole first pass over a series, n >= 1; f made with `what`. */
static void series_first(const wa_series *s, wa_first *f)
{
    for (uint64_t i0 = 0; i0 < s->n; i0 += SUM_PIECE)
        wa_first_chunk(f, s, i0, (size_t)(s->n - i0 < SUM_PIECE ? s->n - i0 : SUM_PIECE));
}

WA_VECTORISED
static void dev_chunk(const chunk *c, size_t m, double mean, v8d *dev)
{
    if (c->b)
        dev_piece(c->a, c->b, m, 1, mean, dev);
    else
        dev_piece(c->a, c->a, m, 0, mean, dev);
}

/* The sd (n - 1) of a series of n >= 1 values about its mean: the second pass, piece by
   piece. */
static double series_sd(const wa_series *s, double mean)
{
    v8d dev[4] = {{0}, {0}, {0}, {0}};
    for (uint64_t i0 = 0; i0 < s->n; i0 += SUM_PIECE) {
        size_t m = (size_t)(s->n - i0 < SUM_PIECE ? s->n - i0 : SUM_PIECE);
        chunk c = chunk_of(s, i0, m);
        dev_chunk(&c, m, mean, dev);
    }
    return dev_sd(dev, s->n);
}

int wa_series_means(const wa_series *s, size_t ns, double *mean)
{
    uint64_t n = ns ? s[0].n : 0;
    v8d(*st)[4] = wa_aligned_alloc(sizeof(v8d), (ns ? ns : 1) * sizeof *st);
    if (!st)
        return -1;
    memset(st, 0, (ns ? ns : 1) * sizeof *st);
    for (uint64_t i0 = 0; i0 < n; i0 += SUM_PIECE) {
        size_t m = (size_t)(n - i0 < SUM_PIECE ? n - i0 : SUM_PIECE);
        for (size_t j = 0; j < ns; j++) {
            chunk c = chunk_of(&s[j], i0, m);
            if (i0 == 0)
                st[j][2] = st[j][3] = (v8d){0} + (c.b ? c.a[0] - c.b[0] : c.a[0]);
            first_chunk(&c, m, st[j][2][0], st[j]);
        }
    }
    for (size_t j = 0; j < ns; j++)
        mean[j] = n ? lanes_value(&st[j][0], &st[j][1]) / (double)n : NAN;
    wa_aligned_free(st);
    return 0;
}

void wa_series_mean_sd(const wa_series *s, double *mean, double *sd)
{
    double lo, hi;
    if (s->n == 0) {
        *mean = *sd = NAN;
        return;
    }
    wa_first f;
    wa_first_init(&f, WA_FIRST_SUMS, 0, s->n);
    series_first(s, &f);
    first_result(&f, s->n, mean, &lo, &hi);
    *sd = series_sd(s, *mean);
}

/* Adds the x_i of one piece (m <= SUM_PIECE values) below `bound` to the lane sums, as
   first_piece does. The tail is padded with bound itself, which is not below it. */
WA_KERNEL void low_piece(const double *a, const double *b, const int diff, size_t m,
                         double bound, v8d *ls, v8d *lc)
{
    v8d ps = {0}, vb = (v8d){0} + bound;
    for (size_t i = 0; i < m; i += LANES) {
        v8d x = v8_series(a, b, diff, i, m, bound);
        ps += V8_SELECT(x < vb, x, (v8d){0});
    }
    v8_kstep(ls, lc, &ps);
}

WA_VECTORISED
static void low_chunk(const chunk *c, size_t m, double bound, v8d *ls, v8d *lc)
{
    if (c->b)
        low_piece(c->a, c->b, 1, m, bound, ls, lc);
    else
        low_piece(c->a, c->a, 0, m, bound, ls, lc);
}

/* A few ranks in ascending order (insertion sort). */
static void sort_ranks(uint64_t *r, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && r[j - 1] > r[j]; j--) {
            uint64_t t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
}

#define GRID_CHUNK 2048

/* Values and bins (among nb over [lo, lo + nb / scale]) of x_i for i in [i0, i0 + m),
   m <= GRID_CHUNK; mode 0: a, 1: a - b, 2: (a - b) / a, 3: (a - b) / u. */
WA_KERNEL void grid_chunk_of(const double *restrict a, const double *restrict b,
                             const double *restrict u, const int mode, size_t m,
                             double lo, double scale, const double nb, double *restrict x,
                             uint16_t *restrict bins)
{
    for (size_t i = 0; i < m; i++) {
        double v = mode == 0   ? a[i]
                   : mode == 1 ? a[i] - b[i]
                   : mode == 2 ? (a[i] - b[i]) / a[i]
                               : (a[i] - b[i]) / u[i];
        x[i] = v;
        double t = (v - lo) * scale;
        t = !(t > 0) ? 0 : !(t < nb) ? nb - 1 : t;
        bins[i] = (uint16_t)(int)t;
    }
}

WA_VECTORISED
static void grid_chunk_mode(const chunk *c, int share, size_t m, double lo, double scale,
                            double nb, double *x, uint16_t *bins)
{
    if (c->u)
        grid_chunk_of(c->a, c->b, c->u, 3, m, lo, scale, nb, x, bins);
    else if (share)
        grid_chunk_of(c->a, c->b, c->a, 2, m, lo, scale, nb, x, bins);
    else if (c->b)
        grid_chunk_of(c->a, c->b, c->a, 1, m, lo, scale, nb, x, bins);
    else
        grid_chunk_of(c->a, c->a, c->a, 0, m, lo, scale, nb, x, bins);
}

/* Values and bins of x_i for trials [i0, i0 + m) of a series, m <= GRID_CHUNK. */
static void grid_chunk(const wa_series *s, uint64_t i0, size_t m, double lo, double scale,
                       double nb, double *x, uint16_t *bins)
{
    chunk c = chunk_of(s, i0, m);
    grid_chunk_mode(&c, s->share, m, lo, scale, nb, x, bins);
}

/* The gathering of the wanted buckets' values (buckets.h), side by side in bucket order
   and trial order. A bucket of more than big_bucket(n) values is only watched at first
   (its least and greatest value): if they are equal, its order statistics are that value
   and it is never gathered (a cost that many trials share, beyond the memory budget,
   would otherwise be gathered whole); if not, gather_rest reads it in one more pass.
   Either way the figures are those of gathering everything, bit for bit. The threshold,
   1/64 of the trials and at least 2^20, keeps that pass for values crowding onto few:
   a bucket of a continuous series holds far fewer. */
static uint64_t big_bucket(uint64_t n)
{
    return n / 64 > ((uint64_t)1 << 20) ? n / 64 : (uint64_t)1 << 20;
}
#define MAX_WANTED 33 /* 2 ranks for each of 16 quantiles, and k - 1 */
enum { GATHERED, WATCHED, ONE_VALUE };

typedef struct gather {
    wa_wanted wt;
    unsigned drop; /* the buckets' resolution */
    double *buf;
    uint64_t at[MAX_WANTED], fill[MAX_WANTED];
    double lo[MAX_WANTED], hi[MAX_WANTED];
    unsigned char state[MAX_WANTED];
} gather;

/* The buckets of bk holding the nw ranks want (ascending, nw <= MAX_WANTED). 0, or -1 when
   out of memory. */
static int gather_begin(gather *g, const wa_buckets *bk, unsigned drop, const uint64_t *want,
                        size_t nw, uint64_t n)
{
    memset(g, 0, sizeof *g);
    g->drop = drop;
    if (nw > MAX_WANTED || wa_wanted_make(bk, want, nw, &g->wt))
        return -1;
    uint64_t total = 0;
    for (size_t w = 0; w < g->wt.n; w++) {
        g->state[w] = g->wt.count[w] > big_bucket(n) ? WATCHED : GATHERED;
        g->at[w] = g->fill[w] = total;
        g->lo[w] = INFINITY;
        g->hi[w] = -INFINITY;
        total += g->state[w] == GATHERED ? g->wt.count[w] : 0;
    }
    g->buf = wa_malloc((total ? total : 1) * sizeof *g->buf);
    return g->buf ? 0 : -1;
}

/* x, a value of wanted bucket w. */
static inline void gather_one(gather *g, int w, double x)
{
    if (g->state[w] == GATHERED) {
        if (g->fill[w] < g->at[w] + g->wt.count[w]) /* more only if a read failed */
            g->buf[g->fill[w]++] = x;
    } else {
        g->lo[w] = x < g->lo[w] ? x : g->lo[w];
        g->hi[w] = x > g->hi[w] ? x : g->hi[w];
    }
}

/* After the gathering pass: the watched buckets of one value are settled; the others are
   gathered in one more pass over s. 0, or -1 when out of memory. */
static int gather_rest(gather *g, const wa_series *s)
{
    uint64_t total = 0, more = 0;
    unsigned char again[MAX_WANTED] = {0};
    for (size_t w = 0; w < g->wt.n; w++) {
        if (g->state[w] == WATCHED && g->lo[w] == g->hi[w])
            g->state[w] = ONE_VALUE;
        if (g->state[w] == WATCHED) {
            again[w] = 1;
            more += g->wt.count[w];
        } else if (g->state[w] == GATHERED) {
            total += g->wt.count[w];
        }
    }
    if (!more)
        return 0;
    double *buf = wa_realloc(g->buf, (total + more) * sizeof *buf);
    if (!buf)
        return -1;
    g->buf = buf;
    for (size_t w = 0; w < g->wt.n; w++) /* after those gathered already */
        if (again[w]) {
            g->state[w] = GATHERED;
            g->at[w] = g->fill[w] = total;
            total += g->wt.count[w];
        }
    double xs[GRID_CHUNK];
    uint16_t bs[GRID_CHUNK];
    for (uint64_t i0 = 0; i0 < s->n; i0 += GRID_CHUNK) {
        size_t m = (size_t)(s->n - i0 < GRID_CHUNK ? s->n - i0 : GRID_CHUNK);
        grid_chunk(s, i0, m, 0, 0, 1, xs, bs);
        for (size_t i = 0; i < m; i++) {
            int w = wa_wanted_slot(&g->wt, wa_bucket_coarse(wa_bucket_of(xs[i]), g->drop));
            if (w >= 0 && again[w])
                gather_one(g, w, xs[i]);
        }
    }
    return 0;
}

static void gather_free(gather *g)
{
    wa_wanted_free(&g->wt);
    wa_free(g->buf);
    g->buf = NULL;
}

/* Puts the wanted ranks of each gathered bucket's values in place. */
static void select_buckets(gather *g, const uint64_t *want, size_t nw)
{
    const wa_wanted *wt = &g->wt;
    size_t rel[MAX_WANTED];
    for (size_t w = 0, r = 0; w < wt->n; w++) {
        size_t nrel = 0;
        while (r < nw && want[r] < wt->first[w] + wt->count[w]) {
            if (nrel < MAX_WANTED)
                rel[nrel++] = (size_t)(want[r] - wt->first[w]);
            r++;
        }
        size_t c = (size_t)wt->count[w];
        rank_set rs = {NULL, 0, c, rel, nrel, 1};
        if (c > 1 && g->state[w] == GATHERED)
            multiselect(g->buf + g->at[w], 0, c, &rs, depth_limit(c));
    }
}

/* Rank r of the series (one of the wanted), once select_buckets has put it in place. */
static double ranked(const gather *g, uint64_t r)
{
    size_t w = wa_wanted_find(&g->wt, r);
    return g->state[w] == ONE_VALUE ? g->lo[w] : g->buf[g->at[w] + (r - g->wt.first[w])];
}

/* The type-7 quantile of probability p over n values from their ranks in place. */
static double quantile_of(const gather *g, uint64_t n, double p)
{
    double h = (double)(n - 1) * p;
    uint64_t r = (uint64_t)floor(h);
    if (r >= n - 1)
        return ranked(g, n - 1);
    double gg = h - (double)r, v = ranked(g, r);
    return gg == 0 ? v : lerp(v, ranked(g, r + 1), gg);
}

/* The ranks a type-7 quantile of probability p over n values reads. */
static size_t quantile_ranks(uint64_t n, double p, uint64_t *want)
{
    double h = (double)(n - 1) * p;
    uint64_t r = (uint64_t)floor(h);
    want[0] = r < n ? r : n - 1;
    if (r + 1 < n && (double)r != h)
        want[1] = r + 1;
    return 1 + (r + 1 < n && (double)r != h);
}

int wa_series_stats(const wa_series *s, const double *extra_p, size_t nextra, double *extra_q,
                    size_t k, double *mean_smallest, wa_stats *out)
{
    wa_first f;
    int bad = wa_first_init(&f, WA_FIRST_STATS, 0, s->n);
    if (!bad && s->n)
        series_first(s, &f);
    return wa_series_stats_from(s, bad ? NULL : &f, extra_p, nextra, extra_q, k, mean_smallest,
                                out);
}

int wa_series_stats_from(const wa_series *s, wa_first *f, const double *extra_p, size_t nextra,
                         double *extra_q, size_t k, double *mean_smallest, wa_stats *out)
{
    enum { NSTD = 7, MAXP = 16 };
    static const double probs[NSTD] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    uint64_t n = s->n;
    double p[MAXP], q[MAXP];
    size_t np = 0;
    for (; np < NSTD; np++)
        p[np] = probs[np];
    for (size_t j = 0; j < nextra && np < MAXP; j++)
        p[np++] = extra_p[j];
    for (size_t j = 0; j < np; j++)
        q[j] = NAN;
    if (k > n)
        k = n;
    if (!mean_smallest)
        k = 0;
    gather g;
    memset(&g, 0, sizeof g);
    int rc = -1;
    if (n == 0) {
        out->mean = out->sd = out->min = out->max = NAN;
        rc = 0;
        goto done;
    }
    if (!f || !(f->what & WA_FIRST_SUMS) || !(f->what & WA_FIRST_BUCKETS) || f->bk.oom)
        goto done;
    first_result(f, n, &out->mean, &out->min, &out->max);
    if (out->min == out->max) {
        /* every value the same: so is every order statistic */
        wa_first_free(f);
        out->sd = series_sd(s, out->mean);
        for (size_t j = 0; j < np; j++)
            q[j] = out->min;
        if (k)
            *mean_smallest = out->min;
        rc = 0;
        goto done;
    }
    /* The ranks wanted: those of every quantile, and k - 1. */
    uint64_t want[2 * MAXP + 1];
    size_t nw = 0;
    for (size_t j = 0; j < np; j++)
        nw += quantile_ranks(n, p[j], want + nw);
    if (k)
        want[nw++] = k - 1;
    sort_ranks(want, nw);
    int bad = gather_begin(&g, &f->bk, f->drop, want, nw, n);
    wa_first_free(f);
    if (bad)
        goto done;
    /* The second pass: the deviations (for the sd), the wanted buckets' values gathered,
       and the sum of every value in a bucket below that of rank k - 1 (its least value is
       `bound`), in the fixed grouping of the sums. */
    double bound = k ? wa_bucket_floor(g.wt.id[wa_wanted_find(&g.wt, k - 1)], g.drop) : 0;
    v8d dev[4] = {{0}, {0}, {0}, {0}}, ls = {0}, lc = {0};
    uint32_t ids[SUM_PIECE];
    for (uint64_t i0 = 0; i0 < n; i0 += SUM_PIECE) {
        size_t m = (size_t)(n - i0 < SUM_PIECE ? n - i0 : SUM_PIECE);
        chunk c = chunk_of(s, i0, m);
        dev_chunk(&c, m, out->mean, dev);
        bucket_chunk(&c, m, g.drop, ids);
        for (size_t i = 0; i < m; i++) {
            int w = wa_wanted_slot(&g.wt, ids[i]);
            if (w >= 0)
                gather_one(&g, w, c.b ? c.a[i] - c.b[i] : c.a[i]);
        }
        if (k)
            low_chunk(&c, m, bound, &ls, &lc);
    }
    out->sd = dev_sd(dev, n);
    if (gather_rest(&g, s))
        goto done;
    select_buckets(&g, want, nw);
    for (size_t j = 0; j < np; j++)
        q[j] = quantile_of(&g, n, p[j]);
    if (k) {
        /* the values below the bucket of rank k - 1, then its own up to that rank */
        ksum low = {lanes_value(&ls, &lc), 0};
        size_t w = wa_wanted_find(&g.wt, k - 1);
        for (uint64_t i = 0; g.wt.first[w] + i < k; i++)
            ksum_add(&low, g.state[w] == ONE_VALUE ? g.lo[w] : g.buf[g.at[w] + i]);
        *mean_smallest = ksum_value(&low) / (double)k;
    }
    rc = 0;
done:
    if (f)
        wa_first_free(f);
    gather_free(&g);
    out->p5 = q[0], out->p10 = q[1], out->p25 = q[2], out->p50 = q[3];
    out->p75 = q[4], out->p90 = q[5], out->p95 = q[6];
    for (size_t j = 0; j < nextra; j++)
        extra_q[j] = NSTD + j < np ? q[NSTD + j] : NAN;
    if (mean_smallest && !k)
        *mean_smallest = NAN;
    return rc;
}

/* ------------------------------------------------------------------------------------- */
/* Many quantiles at once                                                                 */

int wa_series_quantile(const wa_series *s, double p, double *q)
{
    uint64_t n = s->n, want[2];
    double xs[GRID_CHUNK];
    uint16_t bs[GRID_CHUNK];
    uint32_t ids[GRID_CHUNK];
    *q = NAN;
    if (n == 0)
        return 0;
    /* two passes: the buckets counted, then the wanted ones gathered */
    wa_buckets bk;
    gather g;
    memset(&g, 0, sizeof g);
    int rc = -1;
    unsigned drop = wa_bucket_drop(n);
    if (wa_buckets_init(&bk))
        return -1;
    for (uint64_t i0 = 0; i0 < n; i0 += GRID_CHUNK) {
        size_t m = (size_t)(n - i0 < GRID_CHUNK ? n - i0 : GRID_CHUNK);
        grid_chunk(s, i0, m, 0, 0, 1, xs, bs);
        for (size_t i = 0; i < m; i++)
            ids[i] = wa_bucket_coarse(wa_bucket_of(xs[i]), drop);
        wa_buckets_add(&bk, ids, m);
    }
    size_t nw = quantile_ranks(n, p, want);
    int bad = bk.oom || gather_begin(&g, &bk, drop, want, nw, n);
    wa_buckets_free(&bk);
    if (bad)
        goto done;
    for (uint64_t i0 = 0; i0 < n; i0 += GRID_CHUNK) {
        size_t m = (size_t)(n - i0 < GRID_CHUNK ? n - i0 : GRID_CHUNK);
        grid_chunk(s, i0, m, 0, 0, 1, xs, bs);
        for (size_t i = 0; i < m; i++) {
            int w = wa_wanted_slot(&g.wt, wa_bucket_coarse(wa_bucket_of(xs[i]), drop));
            if (w >= 0)
                gather_one(&g, w, xs[i]);
        }
    }
    if (gather_rest(&g, s))
        goto done;
    select_buckets(&g, want, nw);
    *q = quantile_of(&g, n, p);
    rc = 0;
done:
    gather_free(&g);
    return rc;
}

static int by_rank(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

int wa_series_grid(const wa_series *s, double min, double max, const double *p, size_t np,
                   double *q)
{
    size_t n = s->n;
    if (n == 0 || !(min < max)) {
        for (size_t j = 0; j < np; j++)
            q[j] = n ? min : NAN;
        return 0;
    }
    /* finer bins for many quantiles of many values, so that the bins gathered stay few */
    size_t nb = np <= 16 || n < ((size_t)1 << 15) ? 4096 : 65536;
    uint64_t *start = wa_malloc((nb + 1) * sizeof *start); /* counts, then each bin's first rank */
    uint32_t *c32 = wa_calloc(nb, sizeof *c32);            /* counts of the current segment */
    int16_t *slot = wa_malloc(nb * sizeof *slot);          /* a wanted bin's index, or -1 */
    size_t *want = wa_malloc((2 * np + 1) * sizeof *want), *rel = NULL;
    uint64_t *base = NULL, *fill = NULL;                /* per wanted bin */
    size_t *wbin = NULL;
    double *buf = NULL;
    int rc = -1;
    if (!start || !c32 || !slot || !want || 2 * np + 1 > 32767)
        goto done;
    double scale = (double)nb / (max - min);
    if (!(scale < INFINITY))
        scale = 0;
    double xs[GRID_CHUNK];
    uint16_t bs[GRID_CHUNK];
    memset(start, 0, (nb + 1) * sizeof *start);
    uint64_t seg = 0;
    for (size_t i0 = 0; i0 < n; i0 += GRID_CHUNK) {
        size_t m = n - i0 < GRID_CHUNK ? n - i0 : GRID_CHUNK;
        grid_chunk(s, i0, m, min, scale, (double)nb, xs, bs);
        for (size_t i = 0; i < m; i++)
            c32[bs[i]]++;
        if ((seg += m) >= ((uint64_t)1 << 31) || i0 + m >= n) { /* before a count overflows */
            for (size_t b = 0; b < nb; b++)
                start[b] += c32[b];
            memset(c32, 0, nb * sizeof *c32);
            seg = 0;
        }
    }
    /* counts to first ranks: start[b] = elements in bins below b; start[nb] = n */
    uint64_t below = 0;
    for (size_t b = 0; b <= nb; b++) {
        uint64_t c = b < nb ? start[b] : 0;
        start[b] = below;
        below += c;
    }
    /* the wanted ranks, ascending */
    size_t nw = 0;
    for (size_t j = 0; j < np; j++) {
        double h = (double)(n - 1) * p[j];
        size_t r = (size_t)floor(h);
        want[nw++] = r < n ? r : n - 1;
        if (r + 1 < n)
            want[nw++] = r + 1;
    }
    int sorted = 1; /* p is usually ascending, and want then is too */
    for (size_t i = 1; i < nw && sorted; i++)
        sorted = want[i - 1] <= want[i];
    if (!sorted)
        qsort(want, nw, sizeof *want, by_rank);
    /* the wanted bins, in bin order, each with its place in buf */
    for (size_t b = 0; b < nb; b++)
        slot[b] = -1;
    wbin = wa_malloc((nw ? nw : 1) * sizeof *wbin);
    base = wa_malloc((nw ? nw : 1) * sizeof *base);
    fill = wa_malloc((nw ? nw : 1) * sizeof *fill);
    rel = wa_malloc((nw ? nw : 1) * sizeof *rel);
    if (!wbin || !base || !fill || !rel)
        goto done;
    size_t nwb = 0;
    uint64_t nbuf = 0;
    for (size_t w = 0, b = 0; w < nw; w++) {
        /* ranks ascending: the bin moves forward only (the last b with start[b] <= rank) */
        while (b + 1 < nb && start[b + 1] <= want[w])
            b++;
        if (slot[b] < 0) { /* bins come in ascending order */
            slot[b] = (int16_t)nwb;
            wbin[nwb] = b;
            base[nwb] = nbuf;
            fill[nwb] = nbuf;
            nbuf += start[b + 1] - start[b];
            nwb++;
        }
    }
    buf = wa_malloc((nbuf ? nbuf : 1) * sizeof *buf);
    if (!buf)
        goto done;
    for (size_t i0 = 0; i0 < n; i0 += GRID_CHUNK) {
        size_t m = n - i0 < GRID_CHUNK ? n - i0 : GRID_CHUNK;
        grid_chunk(s, i0, m, min, scale, (double)nb, xs, bs);
        for (size_t i = 0; i < m; i++) {
            int w = slot[bs[i]];
            /* a wanted bin holds no more than its count, but for a read that failed */
            if (w >= 0 && fill[w] < base[w] + (start[bs[i] + 1] - start[bs[i]]))
                buf[fill[w]++] = xs[i];
        }
    }
    /* each wanted bin selected at the ranks it holds (a run of the sorted ranks) */
    for (size_t w = 0, w0 = 0; w < nwb; w++) {
        size_t b = wbin[w];
        uint64_t first = start[b], c = start[b + 1] - first;
        while (w0 < nw && want[w0] < first)
            w0++;
        size_t w1 = w0;
        for (; w1 < nw && want[w1] < first + c; w1++)
            rel[w1 - w0] = (size_t)(want[w1] - first);
        rank_set rs = {NULL, 0, (size_t)c, rel, w1 - w0, 1};
        if (c > 1)
            multiselect(buf + base[w], 0, (size_t)c, &rs, depth_limit((size_t)c));
    }
    for (size_t j = 0, wb0 = 0; j < np; j++) {
        double h = (double)(n - 1) * p[j];
        size_t r = (size_t)floor(h);
        double v[2];
        if (j && p[j] < p[j - 1])
            wb0 = 0; /* p not ascending: search the wanted bins from the start again */
        for (int e = 0; e < 2; e++) {
            size_t rr = r + (size_t)e < n ? r + (size_t)e : n - 1;
            /* the wanted bin holding rank rr: wanted bins are in ascending order */
            size_t w = wb0;
            while (w + 1 < nwb && start[wbin[w + 1]] <= rr)
                w++;
            if (e == 0)
                wb0 = w;
            size_t b = wbin[w];
            v[e] = buf[base[w] + (rr - start[b])];
        }
        double g = h - (double)r;
        q[j] = r >= n - 1 ? v[0] : g == 0 ? v[0] : lerp(v[0], v[1], g);
    }
    rc = 0;
done:
    wa_free(start);
    wa_free(c32);
    wa_free(slot);
    wa_free(want);
    wa_free(rel);
    wa_free(base);
    wa_free(fill);
    wa_free(wbin);
    wa_free(buf);
    return rc;
}

double wa_beats_interval(const wa_series *d, unsigned replicates, double ci[2])
{
    wa_first f;
    wa_first_init(&f, WA_FIRST_BEATS, replicates, d->n); /* makes nothing: cannot fail */
    series_first(d, &f);
    return wa_beats_from(&f, d->n, ci);
}

double wa_beats_from(const wa_first *f, uint64_t n, double ci[2])
{
    if (n == 0) {
        ci[0] = ci[1] = NAN;
        return NAN;
    }
    uint64_t beats = f->beats;
    const uint64_t *rb = f->rb, *rn = f->rn;
    unsigned replicates = f->by_replicate;
    int by_replicate = replicates != 0;
    for (unsigned r = 0; by_replicate && r < replicates; r++)
        beats += rb[r];
    double p = (double)beats / (double)n;
    unsigned live = 0;
    for (unsigned r = 0; replicates > 1 && r < replicates; r++)
        live += rn[r] > 0;
    if (live < 2) { /* independent draws (or too few trials for two replicates): Wilson */
        wa_wilson(beats, n, 1.959963984540054, &ci[0], &ci[1]);
        return p;
    }
    /* the replicates' estimates, weighted by their trials: var = R/(R-1) sum w^2 (p_r - p)^2 */
    double ss = 0;
    for (unsigned r = 0; r < replicates; r++) {
        if (!rn[r])
            continue;
        double w = (double)rn[r] / (double)n, dev = (double)rb[r] / (double)rn[r] - p;
        ss += w * w * dev * dev;
    }
    double se = sqrt(ss * live / (live - 1.0)), t = gsl_cdf_tdist_Pinv(0.975, live - 1.0);
    ci[0] = p - t * se < 0 ? 0 : p - t * se;
    ci[1] = p + t * se > 1 ? 1 : p + t * se;
    return p;
}
