/*
 * normq.h — the standard normal quantile over a block of uniforms, fast.
 *
 * Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988), relative accuracy
 * about 1e-16 — the algorithm behind GSL's gsl_cdf_ugaussian_Pinv — laid out for a block:
 * one branch-free pass computes the central rational approximation for every draw (85%
 * of them need nothing more, and the pass vectorises), a second pass redoes the tails.
 * The normal and lognormal samplers and every quantile table (qtable.h) go through it.
 */
#ifndef WA_NORMQ_H
#define WA_NORMQ_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/simd.h"

/* z[i] = Phi^-1(u[i]) for u[i] in (0, 1); u and z may alias. */
void wa_normal_quantiles(const double *u, double *z, size_t n);

/* The same for one value. */
double wa_normal_quantile(double u);

/* The most draws wa_tails lists at once; its list needs 8 entries more. */
#define WA_TAILS_MAX 512

/* wa_set_bytes[b]: the positions of the set bits of b, lowest first, one a byte. */
extern const uint64_t wa_set_bytes[256];

/* The positions i of the tail draws among v[0 .. m), |v[i] - centre| > bound, into idx
   (room for m + 8) in ascending order; returns how many (m <= WA_TAILS_MAX). The tails
   come at random (15% of uniform draws for AS 241's bound): a branch per draw, or per
   word of flags, would be mispredicted all the time, and a branch-free listing draw by
   draw costs several instructions each. Instead the tests are done in one vectorised pass
   into bytes of 0 or 1, read eight at a time: a multiplication gathers a word's bytes
   into the bits of one byte, whose set bits' positions come from a table, written whole
   (the entries past the count are overwritten or ignored), and another multiplication
   sums the bytes, the count. Branch-free, about 2.5 times faster than the listing draw by
   draw. A helper of vectorised loops (WA_KERNEL: compiled for each clone). */
WA_KERNEL size_t wa_tails(const double *v, size_t m, double centre, double bound, uint16_t *idx)
{
    unsigned char f[WA_TAILS_MAX + 8];
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        f[i] = fabs(v[i] - centre) > bound;
    memset(f + m, 0, 8); /* the last word's bytes past m */
    for (size_t i = 0; i < m; i += 8) {
        uint64_t w;
        memcpy(&w, f + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w); /* f[i + j] in byte j counted from the least significant */
#endif
        uint64_t pos = wa_set_bytes[(w * UINT64_C(0x0102040810204080)) >> 56];
        for (int j = 0; j < 8; j++)
            idx[k + j] = (uint16_t)(i + ((pos >> 8 * j) & 0xff));
        k += (w * UINT64_C(0x0101010101010101)) >> 56;
    }
    return k;
}

#endif
