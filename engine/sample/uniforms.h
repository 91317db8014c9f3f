/*
 * uniforms.h — the uniform draws of one sampled input for one block of trials, by method.
 *
 *   monte-carlo      independent uniforms from the input's stream (seed, key, block).
 *   latin-hypercube  each block of m trials is a Latin hypercube of its own: the input's
 *                    m draws fall one in each stratum [j/m, (j+1)/m), strata assigned to
 *                    trials by a random permutation from the same stream, so strata are
 *                    randomly paired across inputs.
 *   sobol            coordinate `dim` of a digitally shifted Sobol' sequence (sobol.h) at
 *                    point indices equal to the trial numbers; the shift is keyed by
 *                    (seed, key).
 * Every method is a function of (seed, key, dim, block) alone, so any thread may draw any
 * block and the results do not depend on the thread count. Values lie in [2^-53, 1 - 2^-53].
 */
#ifndef WA_UNIFORMS_H
#define WA_UNIFORMS_H

#include <stddef.h>
#include <stdint.h>

#include "walkaway.h"

/* u[0..n) for the block starting at trial block * WA_BLOCK. perm: n uint32 of workspace
   (latin-hypercube only). dim: the input's position among the sampled inputs (sobol). */
void wa_uniforms(wa_method method, uint64_t seed, uint64_t key, unsigned dim, uint64_t block,
                 size_t n, double *u, uint32_t *perm);

#endif
