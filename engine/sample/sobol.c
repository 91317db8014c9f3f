/*
 * sobol.c — Sobol' points straight from the Gray code, with a random digital shift.
 *
 * Direction numbers v_1 .. v_52 are 52-bit integers, v_k = m_k 2^(52-k). Coordinate 0 has
 * every m_k = 1 (van der Corput); coordinate d >= 1 takes m_1 .. m_s from the table and
 * extends them by the recurrence of its primitive polynomial (Bratley & Fox 1988):
 *
 *     v_k = c_1 v_(k-1) ^ c_2 v_(k-2) ^ ... ^ c_(s-1) v_(k-s+1) ^ v_(k-s) ^ (v_(k-s) >> s).
 *
 * Point i is x_i = XOR of v_(j+1) over the set bits j of its Gray code g(i) = i ^ (i >> 1),
 * and x_(i+1) = x_i ^ v_(c+1) where c is the lowest zero bit of i (Antonov & Saleev 1979).
 * A fill computes its first point from the Gray code and steps by the recurrence after, so
 * it costs O(52 s) to start plus one XOR a point, and needs nothing but its arguments.
 */
#include "sample/sobol.h"

#include <assert.h>

#include "sample/rng.h"

/* The direction numbers of coordinate dim, v[k - 1] = v_k. */
static void directions(unsigned dim, uint64_t v[WA_SOBOL_BITS])
{
    assert(dim < WA_SOBOL_MAXDIM);
    if (dim == 0) {
        for (int k = 1; k <= WA_SOBOL_BITS; k++)
            v[k - 1] = UINT64_C(1) << (WA_SOBOL_BITS - k);
        return;
    }
    const wa_sobol_dirnum *row = &wa_sobol_dirs[dim - 1];
    const int s = row->s;
    assert(s >= 1 && s <= 13);
    for (int k = 1; k <= s; k++)
        v[k - 1] = (uint64_t)row->m[k - 1] << (WA_SOBOL_BITS - k);
    for (int k = s + 1; k <= WA_SOBOL_BITS; k++) {
        uint64_t x = v[k - s - 1] ^ (v[k - s - 1] >> s);
        for (int j = 1; j < s; j++)
            if ((row->a >> (s - 1 - j)) & 1u)
                x ^= v[k - j - 1];
        v[k - 1] = x;
    }
}

/* The index of the lowest zero bit of i: the direction number that takes point i to i + 1.
   Half the indices end in 0, a quarter in 01, ..., so the loop runs twice on average. */
static int lowest_zero_bit(uint64_t i)
{
    int c = 0;
    while (i & 1u) {
        i >>= 1;
        c++;
    }
    return c;
}

/* x_first, from the Gray code of first. */
static uint64_t start_point(const uint64_t v[WA_SOBOL_BITS], uint64_t first)
{
    uint64_t g = first ^ (first >> 1), x = 0;
    for (int j = 0; g; j++, g >>= 1)
        if (g & 1u)
            x ^= v[j];
    return x;
}

void wa_sobol_bits(unsigned dim, uint64_t first, size_t n, uint64_t *x)
{
    assert(dim < WA_SOBOL_MAXDIM);
    assert(first <= WA_SOBOL_MAXPOINTS && n <= WA_SOBOL_MAXPOINTS - first);
    if (n == 0)
        return;
    uint64_t v[WA_SOBOL_BITS];
    directions(dim, v);
    uint64_t p = start_point(v, first), i = first;
    x[0] = p;
    for (size_t j = 1; j < n; j++, i++) {
        p ^= v[lowest_zero_bit(i)];
        x[j] = p;
    }
}

/* Points first .. first+n-1 from direction numbers v, XORed with shift, mapped to (0,1). */
static void fill_from(const uint64_t v[WA_SOBOL_BITS], uint64_t shift, uint64_t first,
                      size_t n, double *u)
{
    /* Shifting the start point shifts every point: the recurrence only XORs differences. */
    uint64_t p = start_point(v, first) ^ (shift & (WA_SOBOL_MAXPOINTS - 1)), i = first;
    /* x + 0.5 is exact for x < 2^52 (53 significant bits), so each value is its cell's
       centre; the largest, 1 - 2^-53, is still below 1. */
    u[0] = ((double)p + 0.5) * 0x1.0p-52;
    for (size_t j = 1; j < n; j++, i++) {
        p ^= v[lowest_zero_bit(i)];
        u[j] = ((double)p + 0.5) * 0x1.0p-52;
    }
}

void wa_sobol_fill_shifted(unsigned dim, uint64_t shift, uint64_t first, size_t n, double *u)
{
    assert(dim < WA_SOBOL_MAXDIM);
    assert(first <= WA_SOBOL_MAXPOINTS && n <= WA_SOBOL_MAXPOINTS - first);
    if (n == 0)
        return;
    uint64_t v[WA_SOBOL_BITS];
    directions(dim, v);
    fill_from(v, shift, first, n, u);
}

void wa_sobol_fill_replicate(unsigned dim, uint64_t seed, uint64_t key, unsigned replicate,
                             uint64_t first, size_t n, double *u)
{
    assert(dim < WA_SOBOL_MAXDIM);
    assert(first <= WA_SOBOL_MAXPOINTS && n <= WA_SOBOL_MAXPOINTS - first);
    if (n == 0)
        return;
    uint64_t v[WA_SOBOL_BITS], row[WA_SOBOL_BITS];
    directions(dim, v);
    wa_rng g;
    wa_rng_seed(&g, seed, key, WA_SOBOL_SHIFT_BLOCK - 1 - (uint64_t)replicate);
    uint64_t shift = wa_rng_next(&g) >> (64 - WA_SOBOL_BITS);
    /* row i gives digit i of the result (digit 0 the most significant, at bit 51): itself
       (the unit diagonal) plus random digits above it */
    for (int i = 0; i < WA_SOBOL_BITS; i++) {
        int at = WA_SOBOL_BITS - 1 - i;
        uint64_t above = i ? (wa_rng_next(&g) >> (64 - i)) << (at + 1) : 0;
        row[i] = above | (UINT64_C(1) << at);
    }
    /* L x is linear in x, and x is an XOR of direction numbers: scramble those */
    for (int k = 0; k < WA_SOBOL_BITS; k++) {
        uint64_t w = 0;
        for (int i = 0; i < WA_SOBOL_BITS; i++)
            w |= (uint64_t)__builtin_parityll(row[i] & v[k]) << (WA_SOBOL_BITS - 1 - i);
        v[k] = w;
    }
    fill_from(v, shift, first, n, u);
}

uint64_t wa_sobol_shift(uint64_t seed, uint64_t key)
{
    wa_rng r;
    wa_rng_seed(&r, seed, key, WA_SOBOL_SHIFT_BLOCK);
    return wa_rng_next(&r) >> (64 - WA_SOBOL_BITS);
}

void wa_sobol_fill(unsigned dim, uint64_t seed, uint64_t key, uint64_t first, size_t n,
                   double *u)
{
    wa_sobol_fill_shifted(dim, wa_sobol_shift(seed, key), first, n, u);
}
