/*
 * nice.h — round numbers for axes and histogram bins: steps of 1, 2 or 5 times a power of
 * ten, and the multiples of such a step as the decimals they are (0.3, not
 * 0.30000000000000004).
 *
 * A step is kept as its mantissa and exponent, so that its multiples can be computed as
 * one correctly rounded operation: j m × 10^e for e >= 0, j m / 10^-e below (10^|e| is
 * exact up to 10^22). Shared by the histograms the engine counts and the charts' ticks, so
 * that a histogram's edges fall on the chart's ticks.
 */
#ifndef WA_NICE_H
#define WA_NICE_H

#include <stdint.h>

typedef struct wa_nice {
    int mant; /* 1, 2 or 5 */
    int exp;  /* power of ten, -22 .. 22 */
} wa_nice;

/* The smallest round step no smaller than raw (finite, > 0; otherwise 1). Steps past
   10^±22 are clamped there. */
wa_nice wa_nice_step(double raw);

/* The step's value, m × 10^e. */
double wa_nice_value(wa_nice s);

/* j times the step, correctly rounded from the exact decimal. */
double wa_nice_mul(wa_nice s, int64_t j);

/* floor(x / step) and ceil(x / step), exact against wa_nice_mul: the largest j with
   wa_nice_mul(s, j) <= x, the smallest with wa_nice_mul(s, j) >= x. x finite and within
   2^53 steps of 0. */
int64_t wa_nice_floor(wa_nice s, double x);
int64_t wa_nice_ceil(wa_nice s, double x);

#endif
