/*
 * correlate.h — rank correlation between sampled inputs (SPEC §1.3): a Gaussian copula.
 *
 * Method. Each input j is sampled from its own uniform u_j through its inverse CDF. For the
 * correlated inputs the uniforms are first turned into normal scores z_j = Phi^-1(u_j)
 * (wa_normal_quantiles), mixed as z' = L z with L the lower Cholesky factor of a Pearson
 * matrix R, and turned back, u'_j = Phi(z'_j) (wa_normal_cdfs). Each z'_j is again exactly
 * N(0,1), so u'_j is uniform and every marginal is unchanged; the pair (z'_a, z'_b) is
 * bivariate normal with correlation R_ab, whose Spearman correlation is exactly
 *     rho = (6/pi) asin(R_ab / 2),   i.e.   R_ab = 2 sin(pi rho / 6)
 * (Pearson 1907; Kruskal 1958), and ranks survive any non-decreasing inverse CDF. So the
 * asked-for Spearman matrix is converted entry by entry to R.
 *
 * Repair. R may fail to be positive definite even when every entry is in (-1, 1). It is
 * used as given when its smallest eigenvalue is at least WA_CORR_PD_MIN; otherwise it is
 * replaced by the nearest correlation matrix in the Frobenius norm, found by Higham's
 * alternating projections with Dykstra's correction (IMA J. Numer. Anal. 22, 2002,
 * Algorithm 3.3), then its eigenvalues are floored at WA_CORR_EIG_FLOOR and the diagonal
 * rescaled to 1, so the result is safely positive definite. The repaired R is converted
 * back to Spearman for the warning (wa_corr_format prints both matrices).
 *
 * GSL's aborting error handler is never reached: the eigenvalue check comes before
 * gsl_linalg_cholesky_decomp1, and its return code is checked as well.
 * Nothing here is global; a plan is immutable once made and may be shared by threads.
 */
#ifndef WA_CORRELATE_H
#define WA_CORRELATE_H

#include <stddef.h>

/* Smallest eigenvalue for a Pearson matrix to be used as given. At 1e-9, Cholesky is
   guaranteed to complete for k up to a few hundred (Higham, Accuracy and Stability, Thm
   10.7: 20 k^1.5 kappa u < 1 with kappa <= k / lambda_min). */
#define WA_CORR_PD_MIN 1e-9
/* Floor for the eigenvalues of a repaired matrix: ten times WA_CORR_PD_MIN, so a repaired
   matrix fed back in (after the Spearman round trip) is accepted as given. */
#define WA_CORR_EIG_FLOOR 1e-8

/* The most inputs that may be correlated (the loader refuses more): the copula's set-up
   is an eigen-decomposition and a Cholesky factorisation of a k x k matrix, whose time
   grows with k^3 (about a second at 1,000 on one core). */
#define WA_CORR_MAX_INPUTS 1000
/* The largest matrix that is repaired when not valid: each round of the repair is an
   eigen-decomposition, and their number is capped so that the repair's work stays within
   REPAIR_BUDGET k^3-units (correlate.c), about 3 seconds at most. */
#define WA_CORR_REPAIR_MAX 300

/* The normal-score Pearson correlation giving Spearman rho under the copula,
   2 sin(pi rho / 6), and its inverse (6/pi) asin(r / 2) (r clamped to [-1, 1] first).
   Both map [-1, 1] onto itself, fix -1, 0 and 1 (up to rounding), and differ from the
   identity by at most 0.0181 (at |rho| = 0.58). */
double wa_spearman_to_pearson(double rho);
double wa_pearson_to_spearman(double r);

/* A prepared correlation structure for k inputs. Owns its three arrays. */
typedef struct wa_corr_plan {
    size_t k;
    double *L;               /* k×k lower Cholesky factor of the Pearson (normal-score)
                                matrix, row-major; the upper triangle is 0 */
    double *spearman_target; /* k×k: as asked */
    double *spearman_used;   /* k×k: after repair (equal to the target when not repaired) */
    int repaired;            /* 1 when the Pearson matrix was not positive definite */
    int nearest;             /* repaired: 1 when the repair converged to the nearest valid
                                matrix, 0 when it stopped at its cap of rounds with a valid
                                one near it */
} wa_corr_plan;

/* Builds *plan from the k×k row-major matrix of target Spearman correlations spearman:
   symmetric, exactly 1 on the diagonal, every entry finite and in [-1, 1] (the loader
   keeps off-diagonal entries in (-1, 1); ±1 is accepted here and is repaired, being
   singular). Converts to Pearson, checks, repairs if needed (see the top comment) and
   factors. k == 0 gives an empty plan (all pointers NULL).
   Returns 0; or -1 on out of memory or an invalid matrix (non-finite, out of range, not
   symmetric, diagonal not 1), or -2 when the matrix needs a repair and k is above
   WA_CORR_REPAIR_MAX, with *plan zeroed. In every case wa_corr_plan_free(plan) is
   safe afterwards. Not for the simulation loop: it allocates, and is O(k^3) per repair
   iteration. */
int wa_corr_plan_make(wa_corr_plan *plan, size_t k, const double *spearman);

/* Frees the plan's arrays and zeroes it. NULL, or a zeroed plan, is a no-op. */
void wa_corr_plan_free(wa_corr_plan *plan);

/* Applies the copula to one block, in place: z[j] (j < plan->k) are k distinct,
   non-overlapping columns of n independent standard normal scores; on return
   z[j][i] = sum_{l <= j} L[j][l] z[l][i]. Rows are done from the last to the first, so each
   reads only columns not yet overwritten and no workspace is needed. Zero entries of L are
   skipped (an uncorrelated input costs nothing). The arithmetic for trial i depends only on
   z[.][i] and is the same for every trial, so results do not depend on the block size or a
   trial's place in it. No allocation. */
void wa_corr_apply(const wa_corr_plan *plan, double *const *z, size_t n);

/* u[i] = Phi(z[i]) = erfc(-z[i] / sqrt 2) / 2, clamped to [2^-53, 1 - 2^-53], the range
   of the generator's uniforms, so inverse CDFs never see 0 or 1 (ncdf.c: vectorised, the
   same bits on every instruction set). Accurate in both tails: for z < 0 relative error
   within (z^2 + 4) eps, z^2 eps being what a one-ulp change in z itself does to Phi, so
   nothing better is meaningful for a computed score (observed: at most 4.8 eps); for
   z > 0, 1 - u within 2^-53 plus the same relative term. NaN stays NaN. z and u may
   alias. */
void wa_normal_cdfs(const double *z, double *u, size_t n);

/* The k×k row-major matrix m with the k input names, for the repair warning: a header line
   of names, then one line per row — the row's name, left-aligned, and the values to 3
   decimals, each right-aligned under its name (widths counted in UTF-8 characters), two
   spaces between columns, no trailing spaces, every line ending in '\n'. Returns a
   malloc'd string the caller frees; NULL on out of memory. names and its k strings must
   not be NULL. */
char *wa_corr_format(size_t k, const char *const *names, const double *m);

#endif
