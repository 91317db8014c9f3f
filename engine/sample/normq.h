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

#include <stddef.h>

/* z[i] = Phi^-1(u[i]) for u[i] in (0, 1); u and z may alias. */
void wa_normal_quantiles(const double *u, double *z, size_t n);

/* The same for one value. */
double wa_normal_quantile(double u);

#endif
