/*
 * test_stats.c — summary statistics: mean and sd, type-7 quantiles by selection, the mean of
 * the k smallest, Wilson intervals. Reference values are worked by hand (shown) or taken
 * from a sorted copy with the same type-7 formula, compared for exact equality.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample/rng.h"
#include "summary/stats.h"
#include "summary/buckets.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type 7 on a sorted array, written independently of stats.c: h = (n-1)p, then numpy's
   lerp (exact at both ends). */
static double ref_quantile(const double *s, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t r = (size_t)floor(h);
    if (r >= n - 1)
        return s[n - 1];
    double g = h - (double)r, d = s[r + 1] - s[r];
    if (g == 0)
        return s[r];
    return g >= 0.5 ? s[r + 1] - d * (1 - g) : s[r] + d * g;
}

static void assert_close(double got, double want, double rel)
{
    cr_assert(fabs(got - want) <= rel * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got, want);
}

Test(stats, mean_and_sd_use_n_minus_1)
{
    /* mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sd = sqrt(32/7) */
    const double a[] = {2, 4, 4, 4, 5, 5, 7, 9};
    double m, sd;
    wa_mean_sd(a, 8, &m, &sd);
    cr_assert_eq(m, 5.0);
    assert_close(sd, sqrt(32.0 / 7.0), 1e-15);
}

Test(stats, sd_of_one_value_is_zero)
{
    const double a[] = {42.5};
    double m, sd;
    wa_mean_sd(a, 1, &m, &sd);
    cr_assert_eq(m, 42.5);
    cr_assert_eq(sd, 0.0);
}

Test(stats, mean_sd_survive_a_large_offset)
{
    /* 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, variance (36+9+9+36)/3 = 30. A one-pass sum of
       squares loses every digit here. */
    const double a[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    double m, sd;
    wa_mean_sd(a, 4, &m, &sd);
    cr_assert_eq(m, 1e9 + 10);
    assert_close(sd, sqrt(30.0), 1e-12);
}

Test(stats, mean_sum_is_compensated)
{
    /* 1 + 1e100 + 1 - 1e100 = 2: a plain left-to-right sum gives 0 */
    const double a[] = {1, 1e100, 1, -1e100};
    double m, sd;
    wa_mean_sd(a, 4, &m, &sd);
    cr_assert_eq(m, 0.5);
}

Test(stats, quantiles_by_hand)
{
    /* sorted 1 2 3 4, h = 3p: p .25 -> h .75 -> 1.75; .5 -> 2.5; .9 -> 2.7 -> 3.7 */
    double a[] = {4, 1, 3, 2};
    const double p[] = {0.5, 0, 1, 0.25, 0.9};
    double q[5];
    wa_quantiles(a, 4, p, 5, q);
    assert_close(q[0], 2.5, 1e-15);
    cr_assert_eq(q[1], 1.0);
    cr_assert_eq(q[2], 4.0);
    assert_close(q[3], 1.75, 1e-15);
    assert_close(q[4], 3.7, 1e-15);
}

Test(stats, quantiles_of_one_value)
{
    double a[] = {7.25};
    const double p[] = {0, 0.05, 0.5, 0.95, 1};
    double q[5];
    wa_quantiles(a, 1, p, 5, q);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(q[i], 7.25);
}

Test(stats, quantiles_with_duplicates_and_all_equal)
{
    double a[] = {2, 1, 3, 2, 2, 1}; /* sorted 1 1 2 2 2 3 */
    const double p[] = {0.5, 0.2, 0.9};
    double q[3];
    wa_quantiles(a, 6, p, 3, q);
    cr_assert_eq(q[0], 2.0);               /* h 2.5 between 2 and 2 */
    cr_assert_eq(q[1], 1.0);               /* h 1.0 */
    assert_close(q[2], 2.5, 1e-15);        /* h 4.5 between 2 and 3 */
    double e[1000];
    for (int i = 0; i < 1000; i++)
        e[i] = -3.5;
    const double pe[] = {0, 0.05, 0.5, 0.95, 1};
    double qe[5];
    wa_quantiles(e, 1000, pe, 5, qe);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(qe[i], -3.5);
}

/* Random arrays (continuous, and with many ties) against a sorted copy: bit-identical. */
Test(stats, quantiles_match_sorted_reference)
{
    static const size_t sizes[] = {1, 2, 3, 5, 16, 17, 100, 1001, 65536, 200003};
    wa_rng r;
    wa_rng_seed(&r, 7, 1, 0);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        for (int ties = 0; ties < 2; ties++) {
            double *a = malloc(n * sizeof *a), *s = malloc(n * sizeof *s);
            for (size_t i = 0; i < n; i++) {
                double u = wa_rng_uniform(&r);
                a[i] = ties ? floor(u * 10) : (u - 0.5) * 1e6;
            }
            memcpy(s, a, n * sizeof *a);
            qsort(s, n, sizeof *s, cmp_double);
            double p[12] = {0, 1, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};
            for (int j = 9; j < 12; j++)
                p[j] = wa_rng_uniform(&r);
            double q[12];
            wa_quantiles(a, n, p, 12, q);
            for (int j = 0; j < 12; j++)
                cr_assert_eq(q[j], ref_quantile(s, n, p[j]), "n %zu ties %d p %.17g: %.17g vs %.17g",
                             n, ties, p[j], q[j], ref_quantile(s, n, p[j]));
            /* reordered, not altered */
            qsort(a, n, sizeof *a, cmp_double);
            cr_assert_eq(memcmp(a, s, n * sizeof *a), 0);
            free(a);
            free(s);
        }
    }
}

/* Sorted, reversed, all-equal and organ-pipe inputs of 4 million values: a quadratic
   selection would take hours, not the few milliseconds allowed here. */
Test(stats, selection_is_linear_on_adversarial_orders, .timeout = 4)
{
    size_t n = 4000000;
    double *a = malloc(n * sizeof *a);
    const double p[] = {0.05, 0.5, 0.95};
    double q[3];
    for (int pattern = 0; pattern < 4; pattern++) {
        for (size_t i = 0; i < n; i++)
            a[i] = pattern == 0   ? (double)i
                   : pattern == 1 ? (double)(n - i)
                   : pattern == 2 ? 1.0
                                  : (double)(i < n / 2 ? i : n - i);
        wa_quantiles(a, n, p, 3, q);
        if (pattern == 0)
            cr_assert_eq(q[1], (double)(n - 1) / 2);
        if (pattern == 2)
            cr_assert_eq(q[0], 1.0);
    }
    free(a);
}

Test(stats, stats_compute_on_1_to_100)
{
    /* 1..100 shuffled: mean 50.5, sd sqrt(100*101/12), h = 99p: p5 h 4.95 -> 5.95,
       p10 9.9 -> 10.9, p25 24.75 -> 25.75, p50 49.5 -> 50.5, p75 74.25 -> 75.25,
       p90 89.1 -> 90.1, p95 94.05 -> 95.05 */
    double a[100];
    for (int i = 0; i < 100; i++)
        a[i] = (double)((i * 37) % 100 + 1);
    wa_stats s;
    wa_stats_compute(a, 100, &s);
    cr_assert_eq(s.mean, 50.5);
    assert_close(s.sd, sqrt(100.0 * 101.0 / 12.0), 1e-15);
    cr_assert_eq(s.min, 1.0);
    cr_assert_eq(s.max, 100.0);
    assert_close(s.p5, 5.95, 1e-14);
    assert_close(s.p10, 10.9, 1e-14);
    assert_close(s.p25, 25.75, 1e-14);
    assert_close(s.p50, 50.5, 1e-14);
    assert_close(s.p75, 75.25, 1e-14);
    assert_close(s.p90, 90.1, 1e-14);
    assert_close(s.p95, 95.05, 1e-14);
}

Test(stats, mean_smallest_by_hand)
{
    double a[] = {5, 3, 9, 1, 7};
    cr_assert_eq(wa_mean_smallest(a, 5, 2), 2.0); /* (1 + 3) / 2 */
    double b[] = {5, 3, 9, 1, 7};
    cr_assert_eq(wa_mean_smallest(b, 5, 1), 1.0);
    double c[] = {5, 3, 9, 1, 7};
    cr_assert_eq(wa_mean_smallest(c, 5, 5), 5.0);
    double d[] = {4, 4, 4, 1, 4};
    cr_assert_eq(wa_mean_smallest(d, 5, 3), 3.0); /* (1 + 4 + 4) / 3 */
}

Test(stats, mean_smallest_matches_sorted_reference)
{
    wa_rng r;
    wa_rng_seed(&r, 11, 2, 0);
    size_t n = 100000;
    double *a = malloc(n * sizeof *a), *s = malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++)
        a[i] = s[i] = (wa_rng_uniform(&r) - 0.3) * 1e4;
    qsort(s, n, sizeof *s, cmp_double);
    size_t k = (size_t)ceil(0.05 * (double)n);
    long double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += s[i];
    double want = (double)(sum / (long double)k);
    assert_close(wa_mean_smallest(a, n, k), want, 1e-13);
    free(a);
    free(s);
}

Test(stats, wilson_by_hand)
{
    /* z = 1.959963984540054; (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n) */
    const double z = 1.959963984540054;
    double lo, hi;
    wa_wilson(0, 10, z, &lo, &hi);
    cr_assert_eq(lo, 0.0);
    assert_close(hi, 0.2775327998628892, 1e-14);
    wa_wilson(10, 10, z, &lo, &hi);
    assert_close(lo, 0.72246720013711074, 1e-14);
    cr_assert_eq(hi, 1.0);
    wa_wilson(5, 10, z, &lo, &hi);
    assert_close(lo, 0.236593090512564, 1e-14);
    assert_close(hi, 0.76340690948743606, 1e-14);
    wa_wilson(81, 263, z, &lo, &hi);
    assert_close(lo, 0.25528851987827422, 1e-14);
    assert_close(hi, 0.36620957698280004, 1e-14);
    wa_wilson(1, 1000000, z, &lo, &hi);
    cr_assert(fabs(lo - 1.7652457674537218e-07) < 1e-19);
    cr_assert(fabs(hi - 5.6649118043114428e-06) < 1e-18);
}

Test(stats, wilson_stays_in_unit_interval)
{
    double lo, hi;
    for (uint64_t k = 0; k <= 20; k++) {
        wa_wilson(k, 20, 3.5, &lo, &hi);
        cr_assert(lo >= 0 && lo <= (double)k / 20 && hi <= 1 && hi >= (double)k / 20);
    }
}

/* A series over arrays a and b (NULL: x = a) held whole, through t and arr[2]. */
static wa_series series_over(wa_trials *t, double **arr, const double *a, const double *b,
                             size_t n)
{
    arr[0] = (double *)a; /* only read */
    arr[1] = (double *)(b ? b : a);
    wa_trials_whole(t, arr, 2, n);
    return b ? wa_series_minus(t, 0, 1) : wa_series_one(t, 0);
}

/* The histogram selection on a series in place gives exactly the order statistics of the
   sorting selection, on data that stresses it: ties, all equal, a heavy tail that puts
   almost everything in one bin, a range too wide for doubles, tiny n, a difference. */
static void same_as_summary(const double *a, const double *b, size_t n)
{
    double *c = malloc((n ? n : 1) * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = b ? a[i] - b[i] : a[i];
    double extra[2] = {0.8, 0.2}, q1[2], q2[2], es1 = 0, es2 = 0;
    size_t k = (n + 19) / 20;
    wa_stats s1, s2;
    wa_trials t;
    double *arr[2];
    wa_series s = series_over(&t, arr, a, b, n);
    cr_assert_eq(wa_series_stats(&s, extra, 2, q1, k, &es1, &s1), 0);
    wa_stats_compute(c, n, &s2);
    wa_quantiles(c, n, extra, 2, q2);
    es2 = k ? wa_mean_smallest(c, n, k) : 0;
    cr_expect(!memcmp(&s1, &s2, sizeof s1), "n %zu: p50 %.17g %.17g, p95 %.17g %.17g, mean %.17g %.17g",
              n, s1.p50, s2.p50, s1.p95, s2.p95, s1.mean, s2.mean);
    cr_expect(q1[0] == q2[0] && q1[1] == q2[1], "n %zu", n);
    cr_expect(fabs(es1 - es2) <= 1e-14 * fabs(es2) + 1e-300, "n %zu: %.17g %.17g", n, es1, es2);
    free(c);
}

Test(stats, series_in_place_equals_selection)
{
    enum { N = 200003 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = ((double)(x >> 11) + 0.5) * 0x1p-53;
        a[i] = exp(6 * (u - 0.5)) * 1e5;       /* lognormal-ish */
        b[i] = (i % 7) * 1000.0 + 2e5;         /* many ties */
    }
    same_as_summary(a, NULL, N);
    same_as_summary(b, NULL, N);
    same_as_summary(a, b, N);                  /* a difference, D = O - W */
    a[17] = 1e300;                             /* one outlier: nearly all in one bin */
    same_as_summary(a, NULL, N);
    a[18] = -1e308, a[19] = 1e308;             /* max - min overflows */
    same_as_summary(a, NULL, N);
    for (size_t i = 0; i < N; i++)
        b[i] = 42;
    same_as_summary(b, NULL, N);               /* all equal */
    for (size_t n = 1; n < 40; n++)
        same_as_summary(a + 1000, NULL, n);     /* tiny */
    free(a);
    free(b);
}

/* Fixed buckets (buckets.h): bucket order is value order across signs, zeros and
   infinities, 4,096 buckets an octave (fewer for fewer values), and wa_bucket_floor(b) is
   the least value of bucket b: the value just below it is in the bucket before. */
Test(stats, buckets_order_as_values)
{
    const double v[] = {-INFINITY, -DBL_MAX, -1e300, -2.0, -1.0000001, -1.0, -DBL_MIN,
                        -0x1p-1074, -0.0, 0.0, 0x1p-1074, DBL_MIN, 1.0, 1.0 + 0x1p-12,
                        2.0, 1e300, DBL_MAX, INFINITY};
    size_t nv = sizeof v / sizeof *v;
    for (size_t i = 0; i + 1 < nv; i++)
        cr_assert(wa_bucket_of(v[i]) <= wa_bucket_of(v[i + 1]), "%g %g", v[i], v[i + 1]);
    cr_assert_eq(wa_bucket_of(-0.0), wa_bucket_of(0.0));
    cr_assert_eq(wa_bucket_of(1.0), wa_bucket_of(1.0 + 0x1p-13)); /* within 1/4,096 */
    cr_assert_eq(wa_bucket_of(1.0) + 1, wa_bucket_of(1.0 + 0x1p-12));
    cr_assert_eq(wa_bucket_of(2.0) - wa_bucket_of(1.0), 4096);
    cr_assert_eq(wa_bucket_of(-1.0) - wa_bucket_of(-2.0), 4096);
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = ldexp((double)(x >> 11) * 0x1p-53 + 0.5, (int)(x % 200) - 100);
        double y = (x >> 63) ? -u : u, f = wa_bucket_floor(wa_bucket_of(y), 0);
        cr_assert_eq(wa_bucket_of(f), wa_bucket_of(y), "%.17g", y);
        cr_assert(!(y < f) && f <= y, "%.17g floor %.17g", y, f);
        cr_assert_eq(wa_bucket_of(nextafter(f, -INFINITY)) + 1, wa_bucket_of(y), "%.17g", y);
        /* coarser resolutions: the same order, each floor the least value of its bucket */
        for (unsigned drop = 1; drop <= 8; drop += 7) {
            uint32_t c = wa_bucket_coarse(wa_bucket_of(y), drop);
            double g = wa_bucket_floor(c, drop);
            cr_assert(g <= y && wa_bucket_coarse(wa_bucket_of(g), drop) == c, "%.17g", y);
            cr_assert(wa_bucket_coarse(wa_bucket_of(nextafter(g, -INFINITY)), drop) < c, "%.17g", y);
        }
    }
    /* the resolution follows n: 4,096 an octave from 2^20 values, 16 at the fewest */
    cr_assert_eq(wa_bucket_drop(1), 8);
    cr_assert_eq(wa_bucket_drop(100000), 3);
    cr_assert_eq(wa_bucket_drop((uint64_t)1 << 20), 0);
    cr_assert_eq(wa_bucket_drop(10000000000ULL), 0);
    cr_assert_eq(wa_bucket_floor(wa_bucket_of(0.0), 0), 0.0);
    cr_assert(!signbit(wa_bucket_floor(wa_bucket_of(-0.0), 0)));
}

/* wa_series_means reads several series together and gives each the very mean of its own
   first pass. */
Test(stats, means_together_are_each_ones_own)
{
    enum { N = 100003 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    cr_assert(a && b);
    for (size_t i = 0; i < N; i++) {
        a[i] = 1e6 + sin((double)i) * 1e5;
        b[i] = 1e-3 * cos((double)i * 0.37);
    }
    double *arr[2] = {a, b};
    wa_trials t;
    wa_trials_whole(&t, arr, 2, N);
    wa_series s[2] = {wa_series_one(&t, 0), wa_series_one(&t, 1)};
    double both[2], mean, sd;
    cr_assert_eq(wa_series_means(s, 2, both), 0);
    for (int j = 0; j < 2; j++) {
        wa_series_mean_sd(&s[j], &mean, &sd);
        cr_assert_eq(both[j], mean, "%d: %.17g %.17g", j, both[j], mean);
    }
    free(a);
    free(b);
}

/* A wanted bucket of more than 2^20 values is watched rather than gathered: settled when
   all its values are one (a cost most trials share), gathered in one more pass when not.
   Either way the figures are the sorting selection's: two values in 70% and 30% of 3
   million trials (two big buckets of one value each), values all within one bucket
   (1e6 plus less than 2^-12 of it: one big bucket of many values), and both at once. */
Test(stats, big_buckets_give_the_same_order_statistics)
{
    enum { N = 3000000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    cr_assert(a && b);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = ((double)(x >> 11) + 0.5) * 0x1p-53;
        a[i] = u < 0.7 ? 1000.0 : 1200.0;
        b[i] = 1e6 + 100 * u; /* 1e6 .. 1e6 + 100, within one bucket (width 244) */
    }
    same_as_summary(a, NULL, N);
    same_as_summary(b, NULL, N);
    same_as_summary(a, b, N);
    free(a);
    free(b);
}

/* The two-level sums (plain lane sums over pieces of 2,048, pieces added with
   compensation) on a long series with a large offset, against the exact mean and sd from
   integer sums. x_i = 1e9 + k_i / 1024 with integer k_i < 2^20: every x_i is a double,
   and sum k_i, sum k_i^2 fit in 64 bits. Bounds: a piece's plain sum of n_p same-signed
   terms is within n_p 2^-53 of the sum of their magnitudes (256 terms a lane: 2.9e-14);
   the compensated sum of the pieces adds nothing of note. So the mean is within 2.9e-14
   relative. The sd sums squared deviations, same-signed too (2.9e-14), and the mean's
   error enters it at second order only (the corrected two-pass formula): 1e-13 allows for
   the square root and the final divisions. */
Test(stats, long_sums_are_accurate)
{
    enum { N = 1000003 };
    double *a = malloc(N * sizeof *a);
    uint64_t sk = 0, sk2 = 0, x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t k = x >> 44; /* 20 bits */
        sk += k, sk2 += k * k;
        a[i] = 1e9 + (double)k / 1024;
    }
    long double n = N, mk = (long double)sk / n;
    long double exact_mean = 1e9L + mk / 1024;
    long double exact_var = ((long double)sk2 - (long double)sk * mk) / (n - 1) / (1024.0L * 1024.0L);
    double exact_sd = (double)sqrtl(exact_var);
    double m, sd;
    wa_mean_sd(a, N, &m, &sd);
    cr_assert(fabsl(m - exact_mean) <= 2.9e-14L * exact_mean, "mean %.17g, exact %.17Lg", m,
              exact_mean);
    cr_assert(fabs(sd - exact_sd) <= 1e-13 * exact_sd, "sd %.17g, exact %.17g", sd, exact_sd);
    wa_trials t;
    double *arr[2];
    wa_series s = series_over(&t, arr, a, NULL, N);
    wa_stats st;
    cr_assert_eq(wa_series_stats(&s, NULL, 0, NULL, 0, NULL, &st), 0);
    cr_assert_eq(st.mean, m); /* one algorithm for both */
    cr_assert_eq(st.sd, sd);
    free(a);
}

/* wa_series_grid gives the type-7 quantiles a full sort gives, for many probabilities,
   ascending or not, small and large series (both bin counts), with ties and with D = a - b
   and D / a series. */
static void check_grid(const double *a, const double *b, size_t n, int share, const double *p,
                       size_t np)
{
    double *x = malloc(n * sizeof *x), lo = INFINITY, hi = -INFINITY;
    cr_assert(x);
    for (size_t i = 0; i < n; i++) {
        x[i] = share ? (a[i] - b[i]) / a[i] : b ? a[i] - b[i] : a[i];
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    double *want = malloc(np * sizeof *want), *got = malloc(np * sizeof *got);
    cr_assert(want && got);
    wa_quantiles(x, n, p, np, want);
    wa_trials t;
    double *arr[2];
    wa_series s = series_over(&t, arr, a, b, n);
    s.share = share;
    cr_assert_eq(wa_series_grid(&s, lo, hi, p, np, got), 0);
    for (size_t j = 0; j < np; j++)
        cr_assert_eq(got[j], want[j], "n %zu p %g: %.17g vs %.17g", n, p[j], got[j], want[j]);
    free(x);
    free(want);
    free(got);
}

Test(stats, grid_quantiles_equal_a_sort)
{
    size_t sizes[] = {1, 2, 7, 1000, 10000, 300000};
    double p[999 + 3];
    for (size_t i = 0; i < 999; i++)
        p[i] = (double)(i + 1) / 1000;
    p[999] = 0, p[1000] = 1, p[1001] = 0.5;
    double q[5] = {0.9, 0.1, 0.5, 0.99, 0.01}; /* not ascending */
    uint64_t st = 12345;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        cr_assert(a && b);
        for (size_t i = 0; i < n; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(st >> 11) / 9007199254740992.0;
            a[i] = 100 + (u < 0.3 ? 0 : u * u * 1000); /* an atom at 100, a skewed tail */
            b[i] = 50 + 10 * u;
        }
        check_grid(a, NULL, n, 0, p, 1002);
        check_grid(a, b, n, 0, p, 999);
        check_grid(a, b, n, 1, q, 5);
        check_grid(a, NULL, n, 0, q, 5);
        free(a);
        free(b);
    }
}
