/*
 * ncdf.c — the standard normal CDF of a column of scores, vectorised (correlate.h).
 *
 * Phi(-x) = exp(-y^2) erfcx(y) / 2 for x >= 0, y = x / sqrt 2, with erfcx(y) = exp(y^2)
 * erfc(y) from a Chebyshev series of degree 20 in t = (y - 3) / (y + 3) (times 1 + 2y, which
 * takes out its 1/y decay), fitted in 50-digit arithmetic by scripts/fit_normal_cdf.py:
 * relative error 5.1e-16 on y in [0, 6]. exp(-x^2 / 2) is taken from the exact square of x
 * (a sum of two doubles), so the rounding of x^2 or of y never reaches the exponent. Beyond y = 6 (|z| > 8.49) Phi is below the
 * smallest uniform, 2^-53, and the clamp decides. The lower tail comes straight from the
 * series, so it keeps its relative accuracy; the upper one is 1 - Phi(-x), accurate to the
 * spacing of doubles below 1, which is all a double near 1 can hold. One code path for every
 * score, with no branch and no call into the C library (whose scalar erfc cost a dense
 * copula most of its time), so the loop vectorises; wa_exp gives the same bits on every
 * instruction set.
 */
#include <math.h>
#include <string.h>

#include "sample/correlate.h"
#include "util/simd.h"
#include "util/vmath.h"

/* scripts/fit_normal_cdf.py 20 3: erfcx(y) (1 + 2y) in t = (y - 3) / (y + 3),
   s = 1.5 t + 0.5; largest relative error of erfcx 5.1e-16 */
#define NCDF_K 3.0
#define NCDF_A 1.5
static const double ncdf_cheb[21] = {
    1.2017950572578571,      0.06905016400669288,     -0.091593962251522124,
    0.033069990337371617,    -0.0071012016617085253,  0.00093170532646615956,
    -5.3014989154731394e-05, -4.1820991321588593e-06, 8.2252500849919436e-07,
    1.322419306314897e-08,   -1.0314281267736552e-08, -9.6081515013668728e-11,
    1.3920462832152128e-10,  4.1299330277434686e-12,  -1.9271013674705777e-12,
    -1.4436341075058336e-13, 2.3074744880157454e-14,  3.7624237306004362e-15,
    -1.2800442477745019e-16, -7.480690576795082e-17,  -4.2048900621803409e-18,
};

/* Phi over RUN scores (z and u may be the same array). RUN is a constant, so each step of
   the series is a few whole vectors whose chains are independent: Clenshaw's recurrence is
   a chain of 60 dependent operations per score, and one vector at a time would wait on
   each of them. Per score the arithmetic is the same whatever its neighbours. */
enum { RUN = 32 };
WA_KERNEL void cdf_run(const double *z, double *u)
{
    static const double lo = 0x1.0p-53, hi = 1.0 - 0x1.0p-53, sqrt1_2 = 0.70710678118654752440;
    double x[RUN], s[RUN], s2[RUN], dr[RUN], b1[RUN], b2[RUN];
    for (size_t i = 0; i < RUN; i++) {
        x[i] = z[i];
        double y = fabs(x[i]) * sqrt1_2;
        y = y > 6.0 ? 6.0 : y; /* a NaN stays a NaN */
        /* one division for both quotients: t = (y - K) / (y + K) and 1 / (1 + 2y) */
        const double d1 = y + NCDF_K, d2 = 1.0 + 2.0 * y, r = 1.0 / (d1 * d2);
        s[i] = NCDF_A * ((y - NCDF_K) * d2 * r) + (NCDF_A - 1.0);
        s2[i] = s[i] + s[i];
        dr[i] = d1 * r;
        b1[i] = 0.0;
        b2[i] = 0.0;
    }
    for (int k = 20; k >= 1; k--) /* Clenshaw */
        for (size_t i = 0; i < RUN; i++) {
            const double b0 = s2[i] * b1[i] - b2[i] + ncdf_cheb[k];
            b2[i] = b1[i];
            b1[i] = b0;
        }
    for (size_t i = 0; i < RUN; i++) {
        const double erfcx = (s[i] * b1[i] - b2[i] + ncdf_cheb[0]) * dr[i];
        /* exp(-x^2 / 2) with x^2 = p + e exactly (Dekker's product, Veltkamp's split), so
           that no rounding of the square reaches the exponent: exp(-p/2) (1 - e/2) */
        const double a = fabs(x[i]) > 12.0 ? 12.0 : fabs(x[i]), p = a * a, c = 134217729.0 * a;
        const double ah = c - (c - a), al = a - ah;
        const double e = ((ah * ah - p) + 2.0 * ah * al) + al * al;
        const double q = 0.5 * wa_exp(-0.5 * p) * (1.0 - 0.5 * e) * erfcx;
        double v = x[i] < 0 ? q : 1.0 - q;
        v = x[i] == 0 ? 0.5 : v;
        u[i] = v < lo ? lo : v > hi ? hi : v;
    }
}

WA_VECTORISED
void wa_normal_cdfs(const double *z, double *u, size_t n)
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
