/*
 * rankcorr.h — which normal-score correlation gives a wanted rank correlation when an
 * input is discrete.
 *
 * Under the Gaussian copula two continuous inputs with normal-score correlation r have
 * Spearman correlation (6/pi) asin(r/2) exactly. A discrete input (bernoulli, discrete,
 * poisson) has ties, and its rank correlation with anything is smaller in size: a
 * bernoulli(0.3) and a normal reach 0.47 where 0.6 was asked. SPEC §1.3 wants the achieved
 * rank correlation to be the target, so for such a pair r is solved for instead: the
 * population Spearman correlation of discrete variables — the correlation of their
 * mid-distribution transforms (F(x) + F(x-))/2, which is what mid-ranks estimate — is
 * computed for a given r in closed form over the inputs' steps (Phi of the cut points, one
 * Gauss–Legendre integral outside) and r found by Brent's method, the Spearman being
 * increasing in r.
 */
#ifndef WA_RANKCORR_H
#define WA_RANKCORR_H

#include <stdint.h>

#include "sample/dist.h"

/* Discrete inputs with more distinct values than this are treated as continuous: their
   ties change a rank correlation by less than about 1/WA_RANKCORR_MAXSTEPS^2. */
#define WA_RANKCORR_MAXSTEPS 64

/* Nonzero when d has ties worth calibrating for. */
int wa_rankcorr_has_ties(const wa_dist *d);

/* Nonzero when a and b are the same to the rank correlation: both continuous, or with the
   same steps. Two pairs of alike inputs asking the same rank correlation get the same r. */
int wa_rankcorr_alike(const wa_dist *a, const wa_dist *b);

/* A hash of what wa_rankcorr_solve(a, b, rho) depends on: the two inputs' steps and rho.
   Alike pairs with the same rho have the same key. */
uint64_t wa_rankcorr_key(const wa_dist *a, const wa_dist *b, double rho);

/* The population Spearman correlation of inputs a and b when their normal scores have
   correlation r (|r| < 1). */
double wa_rankcorr_spearman(const wa_dist *a, const wa_dist *b, double r);

/* The normal-score correlation r with wa_rankcorr_spearman(a, b, r) = rho. When |rho| is
   beyond what the two distributions allow, the extreme r (±0.9999) is returned and
   *reachable set to 0, *best to the rank correlation it gives; else *reachable = 1.
   Returns NaN on out of memory. */
double wa_rankcorr_solve(const wa_dist *a, const wa_dist *b, double rho, int *reachable,
                         double *best);

#endif
