/*
 * rng.h — random streams keyed by (seed, input, block of trials), never by thread.
 *
 * The generator is xoshiro256** (Blackman & Vigna, 2018): 256 bits of state, period
 * 2^256 - 1, passes BigCrush and PractRand, about 1 ns a draw. Each (seed, key, block)
 * triple seeds its own state through splitmix64, so a block can be drawn by any thread in
 * any order and still give the same numbers, and an input keeps its draws when another
 * input is added, removed or changed (its key is a hash of its name, not its position).
 */
#ifndef WA_RNG_H
#define WA_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct wa_rng {
    uint64_t s[4];
} wa_rng;

/* A 64-bit key for a stream name (FNV-1a, then mixed). */
uint64_t wa_stream_key(const char *name);

/* The state for (seed, key, block). */
void wa_rng_seed(wa_rng *r, uint64_t seed, uint64_t key, uint64_t block);

static inline uint64_t wa_rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t wa_rng_next(wa_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = wa_rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = wa_rng_rotl(s[3], 45);
    return result;
}

/* A uniform in the open interval (0,1): the 52 top bits, centred in their cell, so that
   inverse CDFs never see 0 or 1. (With 53 bits the top cell's centre, 1 - 2^-54, would
   round to 1.0.) The extremes are 2^-53 and 1 - 2^-53. */
static inline double wa_rng_uniform(wa_rng *r)
{
    return ((double)(wa_rng_next(r) >> 12) + 0.5) * 0x1.0p-52;
}

void wa_rng_fill_uniform(wa_rng *r, double *u, size_t n);

/* A block's uniforms for one input: WA_RNG_LANES interleaved xoshiro256** streams, so that
   the generator itself vectorises (eight states advance side by side; one state is a chain
   of dependent steps). Trial t of block b takes draw t / WA_RNG_LANES of lane t %
   WA_RNG_LANES, whose state is wa_rng_seed(seed, key, b * WA_RNG_SUBSTREAMS + lane): a
   trial's uniform depends on (seed, key, b, t) only, never on n, threads or the CPU.
   Sub-stream WA_RNG_LANES of each block is left for the Latin hypercube's permutation. */
#define WA_RNG_LANES 8
#define WA_RNG_SUBSTREAMS (WA_RNG_LANES + 1)
void wa_rng_block_uniforms(uint64_t seed, uint64_t key, uint64_t block, double *u, size_t n);

#endif
