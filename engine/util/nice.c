/*
 * nice.c — round steps and their exact multiples (see nice.h).
 */
#include "util/nice.h"

#include <math.h>

/* 10^0 .. 10^22: every one exact in a double. */
static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

wa_nice wa_nice_step(double raw)
{
    wa_nice s = {1, 0};
    if (!(raw > 0) || !isfinite(raw))
        return s;
    int e = (int)floor(log10(raw));
    e = e < -22 ? -22 : e > 22 ? 22 : e;
    /* the first of 1, 2, 5, 10 times 10^e that reaches raw; log10's rounding may put e one
       off, which the loop absorbs (it only ever moves up) */
    static const int mants[3] = {1, 2, 5};
    for (int guard = 0; guard < 8; guard++) {
        for (int i = 0; i < 3; i++) {
            s.mant = mants[i];
            s.exp = e;
            if (wa_nice_value(s) >= raw)
                return s;
        }
        if (e == 22)
            return s;
        e++;
    }
    return s;
}

double wa_nice_mul(wa_nice s, int64_t j)
{
    /* j m is exact below 2^53; one multiplication or division rounds it once */
    double jm = (double)j * s.mant;
    return s.exp >= 0 ? jm * pow10_exact[s.exp] : jm / pow10_exact[-s.exp];
}

double wa_nice_value(wa_nice s) { return wa_nice_mul(s, 1); }

int64_t wa_nice_floor(wa_nice s, double x)
{
    int64_t j = (int64_t)floor(x / wa_nice_value(s));
    /* the quotient's rounding can put j one off either way: settle against the exact
       multiples themselves, which are monotone in j */
    while (wa_nice_mul(s, j) > x)
        j--;
    while (wa_nice_mul(s, j + 1) <= x)
        j++;
    return j;
}

int64_t wa_nice_ceil(wa_nice s, double x)
{
    int64_t j = wa_nice_floor(s, x);
    return wa_nice_mul(s, j) < x ? j + 1 : j;
}
