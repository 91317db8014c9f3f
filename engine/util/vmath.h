/*
 * vmath.h — exp and log written so that loops over them vectorise, with the same bits on
 * every machine.
 *
 * Why not libm: glibc's exp and log are calls the compiler cannot vectorise, and its
 * vector versions (libmvec) differ in the last bit from the scalar ones and from one
 * instruction set to another, so a draw would depend on the CPU. These are branch-free
 * C over +, -, *, /, explicit fma() and integer bit operations only; the compiler never
 * fuses a multiply and an add on its own (the build sets -ffp-contract=off). Every
 * operation is correctly rounded IEEE arithmetic, fma() included (one instruction from
 * AVX2 on, the C library's exact routine on older CPUs), so a scalar, SSE2, AVX2 or
 * AVX-512 build gives the same bits, element by element.
 *
 * Accuracy (tests/test_vmath.c, against glibc over the whole range): wa_exp within 2 ulp
 * for x in [-708, 709]; wa_log within 2 ulp for positive normal x. Edge cases as libm:
 * exp: NaN -> NaN, x > 709.78 -> +inf, x < -745.2 -> 0, subnormal results rounded once;
 * log: NaN or x < 0 -> NaN, 0 -> -inf, +inf -> +inf; subnormal x handled.
 */
#ifndef WA_VMATH_H
#define WA_VMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t wa_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static inline double wa_from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer, which
   then sits in the low bits of the sum's representation. */
#define WA_VM_SHIFT 0x1.8p52

static inline double wa_exp(double x)
{
    /* x = n ln2 + r, |r| <= ln2 / 2 (Cody and Waite: ln2 split so that n * LN2_HI is
       exact for |n| < 2^11) */
    const double LOG2E = 0x1.71547652b82fep0, LN2_HI = 0x1.62e42fefa3800p-1,
                 LN2_LO = 0x1.ef35793c76730p-45;
    double xc = x > 709.8 ? 709.8 : x < -745.2 ? -745.2 : x; /* NaN falls through */
    double t = xc * LOG2E + WA_VM_SHIFT;
    double n = t - WA_VM_SHIFT;
    int64_t k = (int64_t)(wa_bits(t) - wa_bits(WA_VM_SHIFT)); /* n as an integer */
    double r = (xc - n * LN2_HI) - n * LN2_LO;
    /* e^r by its Taylor series to r^13 / 13!, truncation below 2^-57 for |r| <= 0.347 */
    double p = 1.6059043836821614599e-10;
    p = fma(p, r, 2.0876756987868098979e-9);
    p = fma(p, r, 2.5052108385441718775e-8);
    p = fma(p, r, 2.7557319223985890653e-7);
    p = fma(p, r, 2.7557319223985890653e-6);
    p = fma(p, r, 2.4801587301587301587e-5);
    p = fma(p, r, 1.9841269841269841270e-4);
    p = fma(p, r, 1.3888888888888888889e-3);
    p = fma(p, r, 8.3333333333333333333e-3);
    p = fma(p, r, 4.1666666666666666667e-2);
    p = fma(p, r, 1.6666666666666666667e-1);
    p = fma(p, r, 0.5);
    p = p * r * r + r; /* r + r^2 (1/2 + ...): the small part apart, added to 1 last */
    p = p + 1;
    /* times 2^k in two exact halves, so that a subnormal result is rounded only once and
       k up to 1024 does not overflow the exponent field */
    int64_t k1 = k >> 1, k2 = k - k1;
    double s1 = wa_from_bits((uint64_t)(k1 + 1023) << 52);
    double s2 = wa_from_bits((uint64_t)(k2 + 1023) << 52);
    double y = p * s1 * s2;
    return x > 709.8 ? (double)INFINITY : x != x ? x : y;
}

static inline double wa_log(double x)
{
    const double LN2_HI = 0x1.62e42fefa3800p-1, LN2_LO = 0x1.ef35793c76730p-45;
    /* subnormals: scaled into the normal range first */
    int sub = x < 0x1p-1022;
    double xs = sub ? x * 0x1p54 : x;
    uint64_t b = wa_bits(xs);
    /* x = m 2^e with m in [sqrt(1/2), sqrt(2)): take the exponent of x / sqrt(1/2) */
    uint64_t bt = b - 0x3fe6a09e667f3bcdULL; /* bits of sqrt(1/2) */
    int64_t e = (int64_t)bt >> 52; /* arithmetic shift: e may be negative */
    double m = wa_from_bits(b - ((uint64_t)e << 52));
    e -= sub ? 54 : 0;
    double f = m - 1; /* exact: m within a factor 2 of 1 */
    /* ln m = 2 atanh(s), s = f / (2 + f), |s| <= 0.1716: the odd series to s^23 */
    double s = f / (2 + f), z = s * s;
    double q = 1.0 / 23;
    q = fma(q, z, 1.0 / 21);
    q = fma(q, z, 1.0 / 19);
    q = fma(q, z, 1.0 / 17);
    q = fma(q, z, 1.0 / 15);
    q = fma(q, z, 1.0 / 13);
    q = fma(q, z, 1.0 / 11);
    q = fma(q, z, 1.0 / 9);
    q = fma(q, z, 1.0 / 7);
    q = fma(q, z, 1.0 / 5);
    q = fma(q, z, 1.0 / 3);
    /* 2s + 2s z q, written around f so that the leading term loses nothing:
       2s = f - s f, exactly ln m = f - s f + 2 s z q */
    double hfsq = s * f;
    double lm = f - (hfsq - 2 * s * z * q);
    /* e as a double without an integer conversion instruction (SSE2 and AVX2 have none
       for 64 bits): through the same shift as in wa_exp */
    double ed = wa_from_bits(wa_bits(WA_VM_SHIFT) + (uint64_t)e) - WA_VM_SHIFT;
    double y = ed * LN2_HI + (lm + ed * LN2_LO);
    return x > 0 && x < (double)INFINITY ? y
           : x == 0                      ? -(double)INFINITY
           : x == (double)INFINITY       ? x
                                         : (double)NAN;
}

#endif
