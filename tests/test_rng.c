/*
 * test_rng.c — xoshiro256** streams keyed by (seed, key, block): known values, determinism,
 * independence of keys and blocks, uniforms strictly inside (0,1) with the right moments.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sample/rng.h"

Test(rng, xoshiro_reference_outputs)
{
    /* xoshiro256** from state {1,2,3,4}: the first output is rotl(2*5, 7)*9 = 11520; the
       rest from the reference algorithm (Blackman & Vigna), worked independently. */
    wa_rng r = {{1, 2, 3, 4}};
    cr_assert_eq(wa_rng_next(&r), 11520u);
    cr_assert_eq(wa_rng_next(&r), 0u);
    cr_assert_eq(wa_rng_next(&r), 1509978240u);
    cr_assert_eq(wa_rng_next(&r), UINT64_C(1215971899390074240));
}

Test(rng, known_key_and_first_draw)
{
    /* Pinned so that a change to the seeding (which would change every result) shows. */
    uint64_t k = wa_stream_key("migration");
    cr_assert_eq(k, UINT64_C(0x4e78a3446febe18a));
    wa_rng r;
    wa_rng_seed(&r, 20261122, k, 3);
    cr_assert_eq(wa_rng_next(&r), UINT64_C(0x034455b7ee619651));
}

Test(rng, same_seed_key_block_same_stream)
{
    wa_rng a, b;
    wa_rng_seed(&a, 42, wa_stream_key("x"), 17);
    wa_rng_seed(&b, 42, wa_stream_key("x"), 17);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(wa_rng_next(&a), wa_rng_next(&b));
}

static int streams_share_a_value(const wa_rng *x, const wa_rng *y)
{
    /* 100 outputs of each: any coincidence among 64-bit values is a sign of a shared
       stream (chance about 1e-15 otherwise) */
    wa_rng a = *x, b = *y;
    uint64_t va[100], vb[100];
    for (int i = 0; i < 100; i++)
        va[i] = wa_rng_next(&a), vb[i] = wa_rng_next(&b);
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < 100; j++)
            if (va[i] == vb[j])
                return 1;
    return 0;
}

Test(rng, different_seeds_keys_blocks_differ)
{
    wa_rng base, other;
    uint64_t k = wa_stream_key("price");
    wa_rng_seed(&base, 1, k, 0);
    wa_rng_seed(&other, 2, k, 0);
    cr_assert(!streams_share_a_value(&base, &other));
    wa_rng_seed(&other, 1, wa_stream_key("pricf"), 0);
    cr_assert(!streams_share_a_value(&base, &other));
    wa_rng_seed(&other, 1, k, 1);
    cr_assert(!streams_share_a_value(&base, &other));
    /* a block is not a shifted copy of its neighbour */
    wa_rng_seed(&other, 1, k, 2);
    cr_assert(!streams_share_a_value(&base, &other));
    cr_assert_neq(wa_stream_key("a"), wa_stream_key("b"));
    cr_assert_eq(wa_stream_key("same"), wa_stream_key("same"));
}

Test(rng, fill_matches_single_draws)
{
    wa_rng a, b;
    wa_rng_seed(&a, 9, 9, 9);
    wa_rng_seed(&b, 9, 9, 9);
    double u[257];
    wa_rng_fill_uniform(&a, u, 257);
    for (int i = 0; i < 257; i++)
        cr_assert_eq(u[i], wa_rng_uniform(&b));
}

/* Multiplicative inverse of an odd number mod 2^64 (Newton: each step doubles the bits). */
static uint64_t inverse_mod64(uint64_t a)
{
    uint64_t x = a;
    for (int i = 0; i < 6; i++)
        x *= 2 - a * x;
    return x;
}

/* A state whose next output is `out`: output = rotl(s1 * 5, 7) * 9, so
   s1 = rotr(out * 9^-1, 7) * 5^-1. */
static wa_rng state_giving(uint64_t out)
{
    uint64_t t = out * inverse_mod64(9);
    t = (t >> 7) | (t << 57);
    wa_rng r = {{0x1234, t * inverse_mod64(5), 0x5678, 0x9abc}};
    return r;
}

Test(rng, uniform_extremes_stay_inside_open_interval)
{
    /* The smallest and the largest raw outputs are the ones that would give 0 or 1. */
    wa_rng r = state_giving(0);
    wa_rng probe = r;
    cr_assert_eq(wa_rng_next(&probe), 0u);
    double u0 = wa_rng_uniform(&r);
    cr_assert(u0 > 0 && u0 < 1, "u = %.17g", u0);
    r = state_giving(UINT64_MAX);
    probe = r;
    cr_assert_eq(wa_rng_next(&probe), UINT64_MAX);
    double u1 = wa_rng_uniform(&r);
    cr_assert(u1 > 0 && u1 < 1, "largest output gives u = %.17g", u1);
}

Test(rng, uniforms_inside_with_right_mean_and_variance)
{
    /* n = 10^6 uniforms. Mean 1/2, SE sqrt(1/12/n) = 2.89e-4. Variance 1/12, SE of the
       sample variance sqrt((mu4 - sigma^4)/n) with mu4 = 1/80, sigma^4 = 1/144:
       sqrt(1/180/n) = 7.45e-5. Tolerance 4 SE for each. */
    const int n = 1000000;
    wa_rng r;
    wa_rng_seed(&r, 123456789, wa_stream_key("u"), 0);
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double u = wa_rng_uniform(&r);
        cr_assert(u > 0 && u < 1);
        s += u;
        s2 += (u - 0.5) * (u - 0.5);
    }
    double mean = s / n, var = s2 / n - (mean - 0.5) * (mean - 0.5);
    cr_assert(fabs(mean - 0.5) < 4 * sqrt(1.0 / 12 / n), "mean %.6f", mean);
    cr_assert(fabs(var - 1.0 / 12) < 4 * sqrt(1.0 / 180 / n), "variance %.6f", var);
}

/* Trial t of a block takes draw t / LANES of lane t % LANES, the lane's state being
   wa_rng_seed(seed, key, block * SUBSTREAMS + lane): the block generator is checked
   against that definition, written with the scalar generator. */
Test(rng, block_uniforms_follow_their_definition)
{
    enum { N = 4096 };
    static double u[N], v[N];
    uint64_t seed = 77, key = wa_stream_key("effort"), block = 12345;
    wa_rng_block_uniforms(seed, key, block, u, N);
    wa_rng lane[WA_RNG_LANES];
    for (int j = 0; j < WA_RNG_LANES; j++)
        wa_rng_seed(&lane[j], seed, key, block * WA_RNG_SUBSTREAMS + (uint64_t)j);
    for (int t = 0; t < N; t++) {
        double want = wa_rng_uniform(&lane[t % WA_RNG_LANES]);
        cr_assert_eq(u[t], want, "trial %d: %.17g, want %.17g", t, u[t], want);
        cr_assert(u[t] > 0 && u[t] < 1);
    }
    /* a shorter block (the last of a run) gives the same values for its trials */
    for (size_t n = 1; n < 20; n++) {
        memset(v, 0, sizeof v);
        wa_rng_block_uniforms(seed, key, block, v, n);
        cr_assert(memcmp(u, v, n * sizeof *v) == 0, "first %zu trials differ", n);
        cr_assert_eq(v[n], 0.0, "wrote past %zu trials", n);
    }
}
