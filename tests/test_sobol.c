/*
 * test_sobol.c — randomised Sobol' points: known values (Joe & Kuo's algorithm, GSL), the
 * direction-number table's integrity, block independence, values inside (0,1), perfect 1-D
 * and 2-D stratification, the last dimensions, and faster convergence than Monte Carlo.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/rng.h"
#include "simulate/simulate.h"
#include "sample/sobol.h"

/* The unshifted value of a point whose 52 bits are x: the centre of its cell. */
static double centre(uint64_t x)
{
    return ((double)x + 0.5) * 0x1.0p-52;
}

Test(sobol, first_points_of_dimensions_1_to_4)
{
    /* Points 0..15 in sixteenths. Dimensions 1 and 2 are those printed in SciPy's manual
       (Sobol(d=2, scramble=False): (0,0), (.5,.5), (.75,.25), (.25,.75), (.375,.375), ...);
       all four were worked independently from the published lines "3 2 1 1 3" and
       "4 3 1 1 3 1" with Joe & Kuo's sobol.cc algorithm (X_i = X_(i-1) ^ V[C_(i-1)]). */
    static const uint64_t sixteenths[4][16] = {
        {0, 8, 12, 4, 6, 14, 10, 2, 3, 11, 15, 7, 5, 13, 9, 1},
        {0, 8, 4, 12, 6, 14, 2, 10, 5, 13, 1, 9, 3, 11, 7, 15},
        {0, 8, 4, 12, 10, 2, 14, 6, 15, 7, 11, 3, 5, 13, 1, 9},
        {0, 8, 4, 12, 14, 6, 10, 2, 7, 15, 3, 11, 9, 1, 13, 5},
    };
    for (unsigned d = 0; d < 4; d++) {
        uint64_t x[16];
        double u[16];
        wa_sobol_bits(d, 0, 16, x);
        wa_sobol_fill_shifted(d, 0, 0, 16, u);
        for (int i = 0; i < 16; i++) {
            uint64_t want = sixteenths[d][i] << (WA_SOBOL_BITS - 4);
            cr_assert_eq(x[i], want, "dim %u point %d", d + 1, i);
            cr_assert_eq(u[i], centre(want), "dim %u point %d", d + 1, i); /* exact */
        }
    }
}

Test(sobol, far_dimensions_and_indices_match_joe_kuo_algorithm)
{
    /* Worked independently (Python, arbitrary precision) from lines 1001 and 1111 of
       new-joe-kuo-6.21201 with sobol.cc's recurrence at 52 bits: points stepped one by one
       from 0 for indices < 1100, from the Gray code for the far ones. */
    uint64_t x[6];
    wa_sobol_bits(1000, 0, 6, x); /* dimension 1001 */
    static const uint64_t d1001[6] = {0, 0x8000000000000, 0x4000000000000, 0xc000000000000,
                                      0xe000000000000, 0x6000000000000};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(x[i], d1001[i], "point %d", i);
    wa_sobol_bits(1000, 1000, 4, x);
    cr_assert_eq(x[0], UINT64_C(0x90c0000000000));
    cr_assert_eq(x[1], UINT64_C(0x10c0000000000));
    cr_assert_eq(x[2], UINT64_C(0xd0c0000000000));
    cr_assert_eq(x[3], UINT64_C(0x50c0000000000));
    wa_sobol_bits(WA_SOBOL_MAXDIM - 1, 1000, 4, x); /* dimension 1111, the last */
    cr_assert_eq(x[0], UINT64_C(0x5ec0000000000));
    cr_assert_eq(x[1], UINT64_C(0xdec0000000000));
    cr_assert_eq(x[2], UINT64_C(0x9ec0000000000));
    cr_assert_eq(x[3], UINT64_C(0x1ec0000000000));
    wa_sobol_bits(WA_SOBOL_MAXDIM - 1, (UINT64_C(1) << 40) + 5, 2, x);
    cr_assert_eq(x[0], UINT64_C(0xa3278006c8800));
    cr_assert_eq(x[1], UINT64_C(0xe3278006c8800));
    wa_sobol_bits(2, WA_SOBOL_MAXPOINTS - 1, 1, x); /* the very last index */
    cr_assert_eq(x[0], UINT64_C(0x9000000055909));
}

Test(sobol, agrees_with_gsl_where_the_direction_numbers_agree)
{
    /* GSL's gsl_qrng_sobol (Bratley & Fox's initial numbers, 40 dimensions) skips the
       origin: its k-th point is our point k + 1. Its dimensions 1 and 2 are the same
       sequences as Joe & Kuo's by construction (van der Corput; polynomial x + 1 with
       m_1 = 1), and 30 bits are exact for 1024 points, so they must agree bit for bit.
       From dimension 3 on the initial m_k differ (GSL's dimension 3 has m_2 = 1, Joe &
       Kuo's m_2 = 3), so the sequences do — but both are (0,1)-sequences in each
       dimension: the first 1024 points of every dimension are the 1024 multiples of 2^-10
       in some order, for GSL's and for ours. */
    enum { DIMS = 40, N = 1024 };
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, DIMS);
    cr_assert_not_null(q);
    double *g = malloc(sizeof(double) * DIMS * N);
    uint64_t *x = malloc(sizeof(uint64_t) * (N + 1));
    cr_assert(g && x);
    for (int i = 0; i < N; i++)
        gsl_qrng_get(q, g + (size_t)i * DIMS);
    for (unsigned d = 0; d < DIMS; d++) {
        wa_sobol_bits(d, 0, N + 1, x);
        unsigned char gseen[N] = {0}, oseen[N] = {0};
        for (int i = 0; i < N; i++) {
            double gv = g[(size_t)i * DIMS + d], ov = (double)x[i + 1] * 0x1.0p-52;
            if (d < 2)
                cr_assert_eq(ov, gv, "dim %u point %d", d + 1, i + 1);
            /* point 0 and the GSL's first 1023 form the first 1024 of each sequence */
            double oc = (double)x[i] * 0x1.0p-52;
            double gc = i == 0 ? 0.0 : g[(size_t)(i - 1) * DIMS + d];
            cr_assert_eq(oc * N, floor(oc * N));
            cr_assert_eq(gc * N, floor(gc * N));
            oseen[(int)(oc * N)]++;
            gseen[(int)(gc * N)]++;
        }
        for (int c = 0; c < N; c++)
            cr_assert(oseen[c] == 1 && gseen[c] == 1, "dim %u cell %d", d + 1, c);
    }
    free(x);
    free(g);
    gsl_qrng_free(q);
}

/* Whether the degree-s polynomial p (bit k the coefficient of x^k) is primitive over
   GF(2): x has order exactly 2^s - 1 modulo p. */
static int primitive(unsigned p, int s)
{
    unsigned period = (1u << s) - 1, r = 1;
    for (unsigned k = 1; k <= period; k++) {
        r <<= 1;
        if (r >> s)
            r ^= p;
        if (r == 1)
            return k == period;
    }
    return 0;
}

Test(sobol, direction_table_is_every_primitive_polynomial_up_to_degree_13)
{
    /* The number of primitive polynomials of degree s is phi(2^s - 1) / s: 1, 1, 2, 2, 6,
       6, 18, 16, 48, 60, 176, 144, 630 for s = 1..13, 1110 in all — the table's rows. Joe &
       Kuo list each degree's polynomials by increasing a, and their m_k are odd and below
       2^k (else a dimension would not be a (0,1)-sequence). A slip copying the table breaks
       one of these. */
    static const int count[14] = {0, 1, 1, 2, 2, 6, 6, 18, 16, 48, 60, 176, 144, 630};
    int seen[14] = {0};
    cr_assert_eq(WA_SOBOL_MAXDIM - 1, 1110);
    for (int r = 0; r < WA_SOBOL_MAXDIM - 1; r++) {
        const wa_sobol_dirnum *d = &wa_sobol_dirs[r];
        int s = d->s;
        cr_assert(s >= 1 && s <= 13, "row %d", r);
        if (r > 0) {
            const wa_sobol_dirnum *prev = &wa_sobol_dirs[r - 1];
            cr_assert(prev->s < s || (prev->s == s && prev->a < d->a), "row %d", r);
        }
        cr_assert_lt(d->a, 1u << (s - 1), "row %d", r); /* s - 1 inner coefficients */
        unsigned p = (1u << s) | ((unsigned)d->a << 1) | 1u;
        cr_assert(primitive(p, s), "dimension %d: x^%d poly %#x is not primitive", r + 2, s, p);
        for (int k = 1; k <= 13; k++) {
            if (k <= s)
                cr_assert(d->m[k - 1] % 2 == 1 && d->m[k - 1] < (1u << k), "dim %d m_%d", r + 2, k);
            else
                cr_assert_eq(d->m[k - 1], 0, "dim %d m_%d", r + 2, k);
        }
        seen[s]++;
    }
    for (int s = 1; s <= 13; s++)
        cr_assert_eq(seen[s], count[s], "degree %d", s);
}

Test(sobol, block_alone_equals_the_middle_of_a_long_fill)
{
    const uint64_t key = wa_stream_key("migration");
    double *all = malloc(sizeof(double) * 3 * WA_BLOCK), part[50];
    cr_assert_not_null(all);
    static const unsigned dims[] = {0, 1, 7, 1000, WA_SOBOL_MAXDIM - 1};
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
        unsigned d = dims[k];
        wa_sobol_fill(d, 42, key, 0, 2000, all);
        wa_sobol_fill(d, 42, key, 1000, 50, part);
        cr_assert(memcmp(part, all + 1000, sizeof part) == 0, "dim %u", d);
        /* Blocks of WA_BLOCK filled separately, last first, as threads might. */
        wa_sobol_fill(d, 7, key, 0, 3 * WA_BLOCK, all);
        double *blk = malloc(sizeof(double) * WA_BLOCK);
        cr_assert_not_null(blk);
        for (int b = 2; b >= 0; b--) {
            wa_sobol_fill(d, 7, key, (uint64_t)b * WA_BLOCK, WA_BLOCK, blk);
            cr_assert(memcmp(blk, all + (size_t)b * WA_BLOCK, sizeof(double) * WA_BLOCK) == 0,
                      "dim %u block %d", d, b);
        }
        free(blk);
    }
    free(all);
}

Test(sobol, shift_depends_on_seed_and_key_only)
{
    /* Pinned so that a change to the shift (which changes every sobol result) shows; the
       value was also worked out independently from rng.c's seeding (Python). */
    const uint64_t key = wa_stream_key("migration");
    cr_assert_eq(wa_sobol_shift(20261122, key), UINT64_C(0x74b548b7a1d65));
    cr_assert_eq(wa_sobol_shift(20261122, key), wa_sobol_shift(20261122, key));
    cr_assert_neq(wa_sobol_shift(20261122, key), wa_sobol_shift(20261123, key));
    cr_assert_neq(wa_sobol_shift(20261122, key), wa_sobol_shift(20261122, key + 1));
    for (uint64_t s = 0; s < 100; s++)
        cr_assert_lt(wa_sobol_shift(s, key), WA_SOBOL_MAXPOINTS);
    /* fill is fill_shifted with that shift, and the shift is an XOR on the bits */
    double a[64], b[64];
    uint64_t x[64], sh = wa_sobol_shift(5, key);
    wa_sobol_fill(3, 5, key, 100, 64, a);
    wa_sobol_fill_shifted(3, sh, 100, 64, b);
    wa_sobol_bits(3, 100, 64, x);
    for (int i = 0; i < 64; i++) {
        cr_assert_eq(a[i], b[i]);
        cr_assert_eq(a[i], centre(x[i] ^ sh));
    }
}

Test(sobol, every_value_is_strictly_inside_0_1)
{
    /* The extremes: the origin unshifted is 2^-53, and shifted by all ones 1 - 2^-53. */
    double u[1];
    wa_sobol_fill_shifted(5, 0, 0, 1, u);
    cr_assert_eq(u[0], 0x1.0p-53);
    wa_sobol_fill_shifted(5, UINT64_MAX, 0, 1, u);
    cr_assert_eq(u[0], 1.0 - 0x1.0p-53);
    cr_assert_lt(u[0], 1.0);
    double *v = malloc(sizeof(double) * WA_BLOCK);
    cr_assert_not_null(v);
    for (unsigned d = 0; d < WA_SOBOL_MAXDIM; d += 37)
        for (uint64_t seed = 0; seed < 4; seed++) {
            wa_sobol_fill(d, seed, wa_stream_key("x"), seed * WA_BLOCK, WA_BLOCK, v);
            for (int i = 0; i < WA_BLOCK; i++)
                cr_assert(v[i] > 0.0 && v[i] < 1.0, "dim %u seed %lu point %d", d,
                          (unsigned long)seed, i);
        }
    free(v);
}

Test(sobol, every_dimension_is_perfectly_stratified_in_1d)
{
    /* The first 2^16 points of each coordinate put exactly one point in each cell
       [c 2^-16, (c+1) 2^-16): unshifted, because every m_k is odd (the generator matrix is
       triangular with a unit diagonal), and shifted too, since XOR with a fixed shift maps
       cells onto cells one to one. */
    enum { M = 16, N = 1 << M };
    uint64_t *x = malloc(sizeof(uint64_t) * N);
    double *u = malloc(sizeof(double) * N);
    unsigned char *seen = malloc(N);
    cr_assert(x && u && seen);
    for (unsigned d = 0; d < WA_SOBOL_MAXDIM; d++) {
        wa_sobol_bits(d, 0, N, x);
        memset(seen, 0, N);
        for (int i = 0; i < N; i++)
            seen[x[i] >> (WA_SOBOL_BITS - M)]++;
        for (int c = 0; c < N; c++)
            cr_assert_eq(seen[c], 1, "unshifted dim %u cell %d", d + 1, c);
        wa_sobol_fill(d, 99, wa_stream_key("stratum") + d, 0, N, u);
        memset(seen, 0, N);
        for (int i = 0; i < N; i++)
            seen[(int)(u[i] * N)]++;
        for (int c = 0; c < N; c++)
            cr_assert_eq(seen[c], 1, "shifted dim %u cell %d", d + 1, c);
    }
    free(seen);
    free(u);
    free(x);
}

Test(sobol, first_two_dimensions_form_a_0_m_2_net)
{
    /* Dimensions 1 and 2 form a (0,2)-sequence: among the first 2^10 points every
       elementary box 2^-k by 2^-(10-k) holds exactly one point, shifted or not. */
    enum { M = 10, N = 1 << M };
    double a[N], b[N];
    for (uint64_t seed = 0; seed < 3; seed++) {
        if (seed == 0) {
            wa_sobol_fill_shifted(0, 0, 0, N, a);
            wa_sobol_fill_shifted(1, 0, 0, N, b);
        } else {
            wa_sobol_fill(0, seed, wa_stream_key("a"), 0, N, a);
            wa_sobol_fill(1, seed, wa_stream_key("b"), 0, N, b);
        }
        for (int k = 0; k <= M; k++) {
            unsigned char seen[N] = {0};
            for (int i = 0; i < N; i++) {
                int ca = (int)(a[i] * (1 << k)), cb = (int)(b[i] * (1 << (M - k)));
                seen[(ca << (M - k)) | cb]++;
            }
            for (int c = 0; c < N; c++)
                cr_assert_eq(seen[c], 1, "seed %lu k %d box %d", (unsigned long)seed, k, c);
        }
    }
}

/* A smooth model with interactions: f(u) = prod_j (1 + (u_j - 1/2) / j), j = 1..8, whose
   mean is exactly 1 and variance prod_j (1 + 1/(12 j^2)) - 1 = 0.13169. */
enum { NIN = 8 };

static double model(double *const *u, size_t i)
{
    double p = 1.0;
    for (int j = 0; j < NIN; j++)
        p *= 1.0 + (u[j][i] - 0.5) / (j + 1);
    return p;
}

static double estimate(double *const *u, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += model(u, i);
    return s / (double)n;
}

Test(sobol, converges_faster_than_monte_carlo_on_a_smooth_model)
{
    /* Root-mean-square error of the mean of f over R = 32 seeds (independent shifts, or
       independent Monte Carlo streams), n = 2^10 and 2^14 points, each input its own key.
       Expected rates: Monte Carlo ~ n^-1/2 (sd 0.363 / sqrt n: 0.0028 at 2^14); randomised
       QMC ~ n^-1 (log n)^d at worst (Koksma-Hlawka), near n^-1 for smooth integrands in
       practice. Seen: at 2^14 the QMC RMSE is about 180 times smaller (1.7e-5 against
       3.2e-3), and from 2^10 to 2^14 it falls about 18 times where Monte Carlo's falls 4.
       With R = 32 each RMSE is known to about 1/sqrt(2R) = 12.5% (one standard error), so
       the bars below — 10 times smaller, a fall of more than 8 — sit many standard errors
       inside what is seen; Monte Carlo's RMSE must be within 3 of them (37.5%) of its
       theoretical value. Unbiasedness: the mean QMC error over the seeds must be within 4
       standard errors (rmse / sqrt R) of 0. */
    enum { R = 32, M0 = 10, M1 = 14, N1 = 1 << M1 };
    double *u[NIN];
    for (int j = 0; j < NIN; j++) {
        u[j] = malloc(sizeof(double) * N1);
        cr_assert_not_null(u[j]);
    }
    double qmc_sq[2] = {0, 0}, mc_sq[2] = {0, 0}, qmc_sum = 0;
    for (int r = 0; r < R; r++) {
        uint64_t seed = 1000 + (uint64_t)r;
        for (int j = 0; j < NIN; j++) {
            char name[8] = {'i', 'n', (char)('0' + j), 0};
            wa_sobol_fill((unsigned)j, seed, wa_stream_key(name), 0, N1, u[j]);
        }
        for (int t = 0; t < 2; t++) {
            double e = estimate(u, (size_t)1 << (t ? M1 : M0)) - 1.0;
            qmc_sq[t] += e * e;
            if (t)
                qmc_sum += e;
        }
        for (int j = 0; j < NIN; j++) {
            char name[8] = {'i', 'n', (char)('0' + j), 0};
            wa_rng g;
            wa_rng_seed(&g, seed, wa_stream_key(name), 0);
            wa_rng_fill_uniform(&g, u[j], N1);
        }
        for (int t = 0; t < 2; t++) {
            double e = estimate(u, (size_t)1 << (t ? M1 : M0)) - 1.0;
            mc_sq[t] += e * e;
        }
    }
    double q0 = sqrt(qmc_sq[0] / R), q1 = sqrt(qmc_sq[1] / R);
    double m0 = sqrt(mc_sq[0] / R), m1 = sqrt(mc_sq[1] / R);
    cr_log_info("RMSE n=2^%d: qmc %.3g mc %.3g; n=2^%d: qmc %.3g mc %.3g", M0, q0, m0, M1, q1,
                m1);
    double se1 = sqrt(0.13169 / N1);
    cr_assert(fabs(m1 / se1 - 1.0) < 0.375, "MC RMSE %g vs %g", m1, se1);
    cr_assert_lt(q1 * 10.0, m1, "QMC RMSE %g not 10x below MC %g", q1, m1);
    cr_assert_gt(q0 / q1, 8.0, "QMC RMSE fell only %gx from 2^%d to 2^%d", q0 / q1, M0, M1);
    cr_assert_lt(fabs(qmc_sum / R), 4.0 * q1 / sqrt((double)R), "QMC bias %g", qmc_sum / R);
    for (int j = 0; j < NIN; j++)
        free(u[j]);
}

#ifndef NDEBUG
Test(sobol, dimension_past_the_table_is_an_invariant_violation, .signal = SIGABRT)
{
    double u[1];
    wa_sobol_fill(WA_SOBOL_MAXDIM, 1, 2, 0, 1, u);
}
#endif
