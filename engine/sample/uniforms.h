/*
 * uniforms.h — the uniform draws of one sampled input for one block of trials, by method.
 *
 *   monte-carlo      independent uniforms from the input's stream (seed, key, block).
 *   latin-hypercube  each block of m trials is a Latin hypercube of its own: the input's
 *                    m draws fall one in each stratum [j/m, (j+1)/m), strata assigned to
 *                    trials by a random permutation from the same stream, so strata are
 *                    randomly paired across inputs.
 *   sobol            coordinate `dim` of `replicates` independently scrambled Sobol'
 *                    sequences (sobol.h): each block is cut into as many equal runs of
 *                    trials, run r of block b taking replicate r's points b * c .. b * c +
 *                    c - 1 (c = WA_BLOCK / replicates), so every replicate's points are a
 *                    run from 0 and the replicates' estimates are independent. With
 *                    replicates 1: one digitally shifted sequence, at the trial numbers.
 * Every method is a function of (seed, key, dim, block) alone, so any thread may draw any
 * block and the results do not depend on the thread count. Values lie in [2^-53, 1 - 2^-53].
 */
#ifndef WA_UNIFORMS_H
#define WA_UNIFORMS_H

#include <stddef.h>
#include <stdint.h>

#include "sample/block.h"
#include "walkaway.h"

/* u[0..n) for the block starting at trial block * WA_BLOCK. perm: n uint32 of workspace
   (latin-hypercube only). dim: the input's position among the sampled inputs (sobol);
   replicates: a power of two dividing WA_BLOCK (sobol). */
void wa_uniforms(wa_method method, unsigned replicates, uint64_t seed, uint64_t key,
                 unsigned dim, uint64_t block, size_t n, double *u, uint32_t *perm);

/* The sobol replicate of trial i of a run with `replicates` (0 for every trial without). */
static inline unsigned wa_replicate_of(uint64_t i, unsigned replicates)
{
    return replicates > 1 ? (unsigned)((i % WA_BLOCK) / (WA_BLOCK / replicates)) : 0;
}

#endif
