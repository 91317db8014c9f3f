/*
 * uniforms.c — uniforms by sampling method (see uniforms.h).
 */
#include "sample/uniforms.h"

#include "sample/rng.h"
#include "sample/block.h"
#include "sample/sobol.h"

void wa_uniforms(wa_method method, unsigned replicates, uint64_t seed, uint64_t key,
                 unsigned dim, uint64_t block, size_t n, double *u, uint32_t *perm)
{
    if (method == WA_METHOD_SOBOL && replicates <= 1) {
        wa_sobol_fill(dim, seed, key, block * WA_BLOCK, n, u);
        return;
    }
    if (method == WA_METHOD_SOBOL) {
        size_t c = WA_BLOCK / replicates;
        for (unsigned r = 0; r < replicates && (size_t)r * c < n; r++) {
            size_t m = n - (size_t)r * c < c ? n - (size_t)r * c : c;
            wa_sobol_fill_replicate(dim, seed, key, r, block * c, m, u + (size_t)r * c);
        }
        return;
    }
    wa_rng_block_uniforms(seed, key, block, u, n);
    if (method != WA_METHOD_LATIN_HYPERCUBE)
        return;
    /* Fisher–Yates from the block's own sub-stream for it (rng.h), after the jitters:
       trial i gets stratum perm[i] */
    wa_rng r;
    wa_rng_seed(&r, seed, key, block * WA_RNG_SUBSTREAMS + WA_RNG_LANES);
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (size_t i = n; i > 1; i--) {
        /* an index below i: 53 random bits scaled to [0, i), exact for i <= 4096 */
        size_t j = (size_t)((double)(wa_rng_next(&r) >> 11) * 0x1p-53 * (double)i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    const double inv = 1.0 / (double)n, umin = 0x1p-53, umax = 1 - 0x1p-53;
    for (size_t i = 0; i < n; i++) {
        /* (stratum + jitter) / m: rounding may reach 1.0 at the top stratum; clamp */
        double v = ((double)perm[i] + u[i]) * inv;
        u[i] = v < umin ? umin : v > umax ? umax : v;
    }
}
