/*
 * ncdf.c — the standard normal CDF of a column of scores, vectorised (correlate.h).
 *
 * In the body, |z| <= Phi^-1(0.925) (85% of scores): Phi(z) = 1/2 + z B(z^2), B a
 * polynomial of degree 12 (scripts/fit_normal_cdf.py, error below 1e-18 of the smaller tail
 * probability before rounding). Beyond it, the tails, listed and done together:
 * Phi(-x) = exp(-y^2) erfcx(y) / 2 for x >= 0, y = x / sqrt 2, with erfcx(y) = exp(y^2)
 * erfc(y) from a polynomial of degree 20 in t = (y - 3) / (y + 3) (times 1 + 2y, which
 * takes out its 1/y decay), a Chebyshev interpolant fitted in 50-digit arithmetic by
 * scripts/fit_normal_cdf.py and summed by Horner's rule in fused multiply-adds (exactly
 * rounded, util/simd.h): relative error 4.8e-16 on y in [0, 6]. exp(-x^2 / 2) is taken
 * from the exact square of x (a sum of two doubles), so the rounding of x^2 or of y never
 * reaches the exponent. Beyond y = 6 (|z| > 8.49) Phi is below the smallest uniform,
 * 2^-53, and the clamp decides. The lower tail comes straight from the series, so it keeps
 * its relative accuracy; the upper one is 1 - Phi(-x), accurate to the spacing of doubles
 * below 1, which is all a double near 1 can hold. No branch on a score and no call to the
 * C library's erfc (whose scalar calls cost a dense copula most of its time), so the
 * loops vectorise; wa_exp gives the same bits on every instruction set.
 */
#include <math.h>
#include <string.h>

#include "sample/correlate.h"
#include "sample/normq.h"
#include "util/simd.h"
#include "util/vmath.h"

/* scripts/fit_normal_cdf.py 20 3: erfcx(y) (1 + 2y) in powers of s, s = 1.5 t + 0.5,
   t = (y - 3) / (y + 3); largest relative error of erfcx 4.8e-16 */
#define NCDF_K 3.0
#define NCDF_A 1.5
static const double ncdf_poly[21] = {
    1.2863416658172699, -0.02547188554861186, -0.12735942774305922,
    0.11341004764036695, -0.054129044084241254, 0.01538152449404786,
    -0.0019191155912259698, -0.00027558771830592721, 0.00011950144022907115,
    3.7357968459801969e-06, -6.2163936401422017e-06, -1.6850502018138573e-07,
    3.4538320942015035e-07, 2.7823551304824252e-08, -1.8925272849189344e-08,
    -3.5994872028777563e-09, 8.0818972968815489e-10, 3.3972256376039028e-10,
    -5.7549289598279176e-12, -1.96101815056337e-11, -2.2045734009204066e-12,
};

/* Phi over RUN scores (z and u may be the same array). RUN is a constant, so each step of
   the polynomial is a few whole vectors whose chains are independent: Horner's rule is a
   chain of 20 dependent operations per score, and one vector at a time would wait on each
   of them. Per score the arithmetic is the same whatever its neighbours. */
enum { RUN = 64 };
WA_KERNEL void cdf_run(const double *z, double *u)
{
    static const double lo = 0x1.0p-53, hi = 1.0 - 0x1.0p-53, sqrt1_2 = 0.70710678118654752440;
    double x[RUN], s[RUN], dr[RUN], p[RUN];
    for (size_t i = 0; i < RUN; i++) {
        x[i] = z[i];
        double y = fabs(x[i]) * sqrt1_2;
        y = y > 6.0 ? 6.0 : y; /* a NaN stays a NaN */
        /* one division for both quotients: t = (y - K) / (y + K) and 1 / (1 + 2y) */
        const double d1 = y + NCDF_K, d2 = 1.0 + 2.0 * y, r = 1.0 / (d1 * d2);
        s[i] = NCDF_A * ((y - NCDF_K) * d2 * r) + (NCDF_A - 1.0);
        dr[i] = d1 * r;
        p[i] = ncdf_poly[20];
    }
    for (int k = 19; k >= 0; k--) /* Horner */
        for (size_t i = 0; i < RUN; i++)
            p[i] = fma(p[i], s[i], ncdf_poly[k]);
    for (size_t i = 0; i < RUN; i++) {
        const double erfcx = p[i] * dr[i];
        /* exp(-x^2 / 2) with x^2 = sq + e exactly (the fused multiply-add gives the
           square's rounding error), so that no rounding of the square reaches the
           exponent: exp(-sq/2) (1 - e/2) */
        const double a = fabs(x[i]) > 12.0 ? 12.0 : fabs(x[i]), sq = a * a;
        const double e = fma(a, a, -sq);
        const double q = 0.5 * wa_exp(-0.5 * sq) * (1.0 - 0.5 * e) * erfcx;
        double v = x[i] < 0 ? q : 1.0 - q;
        v = x[i] == 0 ? 0.5 : v;
        u[i] = v < lo ? lo : v > hi ? hi : v;
    }
}

/* Phi by cdf_run over n scores (z and u may be the same array). */
WA_KERNEL void cdf_tails(const double *z, double *u, size_t n)
{
    size_t whole = n - n % RUN;
    for (size_t i = 0; i < whole; i += RUN)
        cdf_run(z + i, u + i);
    if (whole < n) { /* the rest, padded with zeros */
        double t[RUN] = {0};
        memcpy(t, z + whole, (n - whole) * sizeof *t);
        cdf_run(t, t);
        memcpy(u + whole, t, (n - whole) * sizeof *t);
    }
}

/* scripts/fit_normal_cdf.py: the body, |z| <= Phi^-1(0.925): Phi(z) = 1/2 + z B(z^2), B in powers of z^2; largest error 1.6e-15 of min(Phi, 1 - Phi) */
#define NCDF_BODY 1.4395314709384559
static const double ncdf_body[13] = {
    0.3989422804014327, -0.066490380066905441, 0.0099735570100354994,
    -0.001187328215477074, 0.00011543468759745698, -9.4446561978861216e-06,
    6.6596922112132541e-07, -4.1226488565784814e-08, 2.2733486794162286e-09,
    -1.1288975301229133e-10, 5.0565225498238588e-12, -1.9535358936330536e-13,
    5.058403367786542e-15,
};

/* Every score of a chunk through the body's polynomial, 1/2 + z B(z^2) (13 fused
   multiply-adds, no exponential, no division: a quarter of cdf_run's work; its sum passes
   through 1/2, so below the median its relative error grows to 4.4 eps at Phi = 0.075,
   against cdf_run's 3.5 eps at worst), then the tails, |z| > NCDF_BODY (15% of standard
   normal scores), listed (normq.h) and done together by cdf_run. A NaN stays in the body
   and comes out a NaN. */
WA_VECTORISED
void wa_normal_cdfs(const double *z, double *u, size_t n)
{
    enum { CHUNK = WA_TAILS_MAX };
    double v[CHUNK], tv[CHUNK];
    uint16_t idx[CHUNK + 8];
    for (size_t s0 = 0; s0 < n; s0 += CHUNK) {
        size_t m = n - s0 < CHUNK ? n - s0 : CHUNK;
        double *uu = u + s0;
        memcpy(v, z + s0, m * sizeof *v); /* u may overwrite z */
        for (size_t i = 0; i < m; i++) {
            double w = v[i] * v[i], p = ncdf_body[12];
            for (int k = 11; k >= 0; k--)
                p = fma(p, w, ncdf_body[k]);
            uu[i] = fma(v[i], p, 0.5);
        }
        size_t k = wa_tails(v, m, 0.0, NCDF_BODY, idx);
        for (size_t j = 0; j < k; j++)
            tv[j] = v[idx[j]];
        cdf_tails(tv, tv, k);
        for (size_t j = 0; j < k; j++)
            uu[idx[j]] = tv[j];
    }
}
