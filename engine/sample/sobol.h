/*
 * sobol.h — randomised Sobol' points: a low-discrepancy sequence with a random digital shift.
 *
 * Coordinate `dim` of point i is the Sobol' (1967) point x_i, 52 bits, in Antonov & Saleev's
 * (1979) Gray-code order, built from Joe & Kuo's direction numbers
 * (new-joe-kuo-6.21201, "Constructing Sobol sequences with better two-dimensional
 * projections", SIAM J. Sci. Comput. 30, 2008; see sobol_dirs.c), XORed with a 52-bit shift
 * drawn from the project's generator keyed by (seed, key). The shift makes each point's
 * coordinate uniform on the 2^52 cell centres (the law of a wa_rng_uniform draw), so an
 * estimate from the points is unbiased, and repeats over seeds are
 * independent, so their spread is an honest error estimate — while every shift keeps the
 * net structure (a digital shift only permutes the dyadic cells).
 *
 * Invariants: no allocation and no state; a point is a function of (dim, seed, key, index)
 * alone, computed straight from the index's Gray code, so any range of indices (a block of
 * WA_BLOCK trials, say) can be filled by any thread, in any order, with the same bits.
 */
#ifndef WA_SOBOL_H
#define WA_SOBOL_H

#include <stddef.h>
#include <stdint.h>

/* Coordinates 0 .. WA_SOBOL_MAXDIM - 1 exist: coordinate 0 is van der Corput's sequence,
   coordinate d >= 1 is Joe & Kuo's dimension d + 1 — all the primitive polynomials over
   GF(2) of degree 1 to 13. Callers with more sampled inputs must check against it. */
#define WA_SOBOL_MAXDIM 1111

/* Points have 52 bits, so indices run from 0 to 2^52 - 1. */
#define WA_SOBOL_BITS 52
#define WA_SOBOL_MAXPOINTS (UINT64_C(1) << WA_SOBOL_BITS)

/* The shift's stream: block WA_SOBOL_SHIFT_BLOCK of (seed, key), a block no run of trials
   reaches (it would take 2^64 blocks), so the shift is independent of the same input's
   plain Monte Carlo draws. */
#define WA_SOBOL_SHIFT_BLOCK UINT64_MAX

/* 52-bit Sobol' points (Gray-code order), coordinate `dim` (0-based, < WA_SOBOL_MAXDIM),
   point indices first .. first+n-1 (first + n <= WA_SOBOL_MAXPOINTS), randomised by a
   digital shift (XOR with wa_sobol_shift(seed, key)) — key identifies the coordinate's
   owner (an input's stream key) — so that the estimate is unbiased and repeats over seeds
   give an error estimate; then mapped to (0,1) as ((bits) + 0.5) * 2^-52, so no value is 0
   or 1 (the extremes are 2^-53 and 1 - 2^-53, as wa_rng_uniform's).
   Index 0 is used: unshifted, point 0 is the origin (every coordinate 0); the shift moves
   it like any other point. Starting at 0 and taking n = 2^m points gives a full (t,m,s)-net,
   the best case. The start point comes from the Gray code of `first` directly (an XOR of
   direction numbers over its set bits), then the Gray-code recurrence steps one direction
   number per point. u must hold n doubles; n == 0 writes nothing. */
void wa_sobol_fill(unsigned dim, uint64_t seed, uint64_t key, uint64_t first, size_t n,
                   double *u);

/* The 52-bit digital shift for (seed, key): the top 52 bits of the first draw of
   wa_rng_seed(seed, key, WA_SOBOL_SHIFT_BLOCK). */
uint64_t wa_sobol_shift(uint64_t seed, uint64_t key);

/* wa_sobol_fill with an explicit shift (its low 52 bits are used): shift 0 gives the plain
   Sobol' points, each at the centre of its 2^-52 cell, (x_i + 0.5) * 2^-52. */
void wa_sobol_fill_shifted(unsigned dim, uint64_t shift, uint64_t first, size_t n, double *u);

/* Replicate `replicate` of (seed, key): the same points scrambled by Matoušek's random
   linear matrix scramble (a lower-triangular binary matrix with a unit diagonal times each
   point's digits) and then a digital shift, both drawn from the stream (seed, key,
   WA_SOBOL_SHIFT_BLOCK - 1 - replicate). Replicates are independent randomisations of the
   same net, so the spread of their estimates is an honest error (SPEC 5). */
void wa_sobol_fill_replicate(unsigned dim, uint64_t seed, uint64_t key, unsigned replicate,
                             uint64_t first, size_t n, double *u);

/* The raw 52-bit integers x_i (no shift, no mapping) of coordinate dim, indices first ..
   first+n-1; point i is x_i * 2^-52. For tests and for building other randomisations. */
void wa_sobol_bits(unsigned dim, uint64_t first, size_t n, uint64_t *x);

/* Internal: one row of the direction-number table (sobol_dirs.c), for coordinate d >= 1 at
   row d - 1. The primitive polynomial is x^s + c_1 x^(s-1) + ... + c_(s-1) x + 1 with c_k
   bit s-1-k of a (Joe & Kuo's convention); m[0..s) are the initial m_1 .. m_s, m_k odd and
   below 2^k. */
typedef struct wa_sobol_dirnum {
    uint8_t s;
    uint16_t a;
    uint16_t m[13];
} wa_sobol_dirnum;

extern const wa_sobol_dirnum wa_sobol_dirs[WA_SOBOL_MAXDIM - 1];

#endif
