/*
 * rng.c — stream keys and seeding for xoshiro256** (see rng.h for the why).
 */
#include "sample/rng.h"

#include <string.h>

#include "util/simd.h"

/* splitmix64: the seeding function recommended by xoshiro's authors; every output of a
   distinct input is distinct, and it never yields the all-zero xoshiro state in practice. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t wa_stream_key(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a offset basis */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return splitmix64(&h);
}

void wa_rng_seed(wa_rng *r, uint64_t seed, uint64_t key, uint64_t block)
{
    /* Chain the three parts through the mixer so that nearby seeds, keys and blocks give
       unrelated states. */
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ key;
    uint64_t b = splitmix64(&x);
    x = b ^ (block * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the one forbidden state */
}

void wa_rng_fill_uniform(wa_rng *r, double *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        u[i] = wa_rng_uniform(r);
}

/* The 52 top bits as a double in (0, 1), centred in their cell, without a 64-bit integer
   conversion (SSE2 and AVX2 have none): the bits under the exponent of 1.0 give
   1 + k 2^-52 exactly, and 1 + k 2^-52 - 1 + 2^-53 = (2k + 1) 2^-53 is exact: the same value
   as wa_rng_uniform's ((double)k + 0.5) 2^-52. */
static inline double top52(uint64_t x)
{
    uint64_t b = (x >> 12) | 0x3ff0000000000000ULL;
    double d;
    memcpy(&d, &b, sizeof d);
    return (d - 1.0) + 0x1p-53;
}

WA_VECTORISED
void wa_rng_block_uniforms(uint64_t seed, uint64_t key, uint64_t block, double *u, size_t n)
{
    enum { L = WA_RNG_LANES };
    uint64_t s0[L], s1[L], s2[L], s3[L];
    for (int j = 0; j < L; j++) {
        wa_rng r;
        wa_rng_seed(&r, seed, key, block * WA_RNG_SUBSTREAMS + (uint64_t)j);
        s0[j] = r.s[0], s1[j] = r.s[1], s2[j] = r.s[2], s3[j] = r.s[3];
    }
    /* wa_rng_next's xoshiro256** step, lane by lane; rounds past n are computed and not
       stored */
    for (size_t i = 0; i < n; i += L) {
        double v[L];
        for (int j = 0; j < L; j++) {
            uint64_t result = wa_rng_rotl(s1[j] * 5, 7) * 9;
            uint64_t t = s1[j] << 17;
            s2[j] ^= s0[j];
            s3[j] ^= s1[j];
            s1[j] ^= s2[j];
            s0[j] ^= s3[j];
            s2[j] ^= t;
            s3[j] = wa_rng_rotl(s3[j], 45);
            v[j] = top52(result);
        }
        if (n - i >= L)
            memcpy(u + i, v, sizeof v);
        else
            memcpy(u + i, v, (n - i) * sizeof *v);
    }
}
