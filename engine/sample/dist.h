/*
 * dist.h — the distributions of SPEC §1.2: set up from the scenario's parameters,
 * validated, and sampled as an inverse CDF of a uniform.
 *
 * Every distribution is a monotone non-decreasing function of its uniform draw u in (0,1):
 * x = Q(u). That is what makes rank correlations, Latin hypercube, Sobol and common random
 * numbers mean what they say. Discrete ones too: a bernoulli is 1 when u > 1 - p; a
 * discrete takes its values in ascending order (the smallest value whose cumulative weight
 * reaches u); a poisson is the smallest k with P(X <= k) >= u.
 *
 * Truncation (normal, lognormal, gamma) draws from the conditional distribution:
 * x = Q(F(lo) + u (F(hi) - F(lo))), computed on the upper tail where that is more precise.
 */
#ifndef WA_DIST_H
#define WA_DIST_H

#include <stddef.h>

typedef enum wa_dist_kind {
    WA_DIST_CONSTANT,
    WA_DIST_UNIFORM,
    WA_DIST_TRIANGULAR,
    WA_DIST_PERT,
    WA_DIST_NORMAL,
    WA_DIST_LOGNORMAL,
    WA_DIST_BETA,
    WA_DIST_GAMMA,
    WA_DIST_BERNOULLI,
    WA_DIST_POISSON,
    WA_DIST_DISCRETE,
    WA_DIST_METALOG /* set up by wa_dist_make_metalog: its quantiles are a mapping */
} wa_dist_kind;

/* A ready distribution, canonical parameters only. */
typedef struct wa_dist {
    wa_dist_kind kind;
    /* constant: value | uniform: min, max | triangular: min, mode, max |
       pert: min, max, alpha, beta | normal: mean, sd | lognormal: mu, sigma (of the log) |
       beta: a, b, min, max | gamma: shape, scale | bernoulli: p | poisson: mean */
    double p[4];
    int has_lo, has_hi;  /* truncation bounds present */
    double lo, hi;
    double flo, fhi;     /* F(lo), F(hi) (0 and 1 when absent) */
    double qlo, qhi;     /* Q(lo) = 1 - F(lo), Q(hi) = 1 - F(hi): the upper-tail form */
    size_t nvalues;      /* discrete: distinct values, ascending */
    double *values;
    double *cum;         /* cumulative normalised weights; cum[nvalues-1] == 1 exactly */
    double lnnorm;       /* pert, beta: ln B(a, b); gamma: ln Gamma(shape) (computed once) */
    double fhalf;        /* pert, beta: I_1/2(a, b), which side of 1/2 a quantile lies */
    struct wa_qtable *table; /* untruncated pert, beta, gamma: the fast quantile (qtable.h) */
    struct wa_metalog *ml;   /* metalog: the fit (metalog.h) */
} wa_dist;

/* One parameter as written in the scenario: a key and one number, or a list (values,
   weights). */
typedef struct wa_dist_arg {
    const char *key;
    const double *v;
    size_t n;
    int is_list;
} wa_dist_arg;

/* Why set-up failed: the message, and which argument it is about (index into args, or -1
   for the mapping as a whole, or -2 for the `dist` key itself). */
typedef struct wa_dist_error {
    int arg;
    char message[256];
    int nomem; /* 1: the failure was a lack of memory */
} wa_dist_error;

/*
 * Sets up *d from the `dist` name and its arguments (every key of the mapping but `dist`
 * and `truncate`). Returns 0, or -1 with *err filled, e.g.:
 *   unknown distribution 'gama'; did you mean 'gamma'?
 *   unknown parameter 'mod' for triangular; did you mean 'mode'?
 *   triangular needs 'min', 'mode' and 'max'
 *   normal takes 'mean' and 'sd', or two quantiles such as 'p10' and 'p90'
 *   triangular needs min <= mode <= max (mode 12 is above max 10)
 *   sd must be > 0 (got 0)
 * A parameterisation is one of those in SPEC §1.2; moments and quantiles are converted to
 * the canonical parameters here. On error *d needs no wa_dist_free.
 */
int wa_dist_make(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                 wa_dist_error *err);

/* wa_dist_make in two steps, for a caller that builds many tables at once (the loader,
   on all threads): wa_dist_define checks and sets up *d without its quantile table;
   wa_dist_build_table then builds the table where the kind has one (pert, beta and gamma,
   untruncated), and does nothing otherwise. It returns 0, or -1 when out of memory. A
   distribution without its table still samples, by the exact (slow) path. */
int wa_dist_define(wa_dist *d, const char *name, const wa_dist_arg *args, size_t nargs,
                   wa_dist_error *err);
int wa_dist_build_table(wa_dist *d);
/* Nonzero when x and y are the same distribution: the same kind, canonical parameters,
   truncation and values, bit for bit (so the same draws from the same uniforms). */
int wa_dist_same(const wa_dist *x, const wa_dist *y);
/* When from is the same distribution as d (kind, parameters, no truncation) and has its
   table, gives d a copy of it: the table is a function of those alone, so the copy is the
   table d would build, bit for bit, at a thirtieth of the cost. Returns 1 when copied, 0
   when not (d unchanged), -1 when out of memory. */
int wa_dist_share_table(wa_dist *d, const wa_dist *from);

/* Sets up *d as the exact k-term metalog through the pairs (p[i], x[i]), p increasing,
   with optional bounds (SPEC §1.2; metalog.h). Returns 0, or -1 with *err filled (arg -1)
   by the fit's message, e.g. "metalog quantiles are not feasible: the fitted quantile
   function decreases near p = 0.93 (...)". */
int wa_dist_make_metalog(wa_dist *d, const double *p, const double *x, int k, int has_lo,
                         double lo, int has_hi, double hi, wa_dist_error *err);

/* Adds truncation to a ready distribution. has_lo/has_hi say which bounds are given.
   Returns 0, or -1 with a message (arg 0: lo is at fault, 1: hi, -1: the pair), e.g.
   "truncate applies to normal, lognormal and gamma, not to uniform" or
   "truncate keeps no probability: min 5 is not below max 3". */
int wa_dist_truncate(wa_dist *d, int has_lo, double lo, int has_hi, double hi,
                     wa_dist_error *err);

/* x = Q(u) for each of n uniforms in (0,1), the engine's hot path: through the table for
   pert, beta and gamma (see qtable.h for its accuracy), exact otherwise. u and x may
   alias. */
void wa_dist_quantiles(const wa_dist *d, const double *u, double *x, size_t n);
/* Whether Q(Phi(z)) is computed from a normal score z itself, with no Phi
   (wa_dist_from_z): an untruncated normal or lognormal (m + s z, exp(m + s z)), a
   Bernoulli (1 when z > Phi^-1(1 - p)), and pert, beta and gamma, whose table is one in z
   (qtable.h). The copula (correlate.h) hands these its mixed scores directly. */
int wa_dist_takes_z(const wa_dist *d);

/* x = Q(Phi(z)) for each of n scores, for a d that wa_dist_takes_z; the scores are first
   kept within those of the uniforms' range [2^-53, 1 - 2^-53], as Phi's clamp keeps u.
   z and x may alias. */
void wa_dist_from_z(const wa_dist *d, const double *z, double *x, size_t n);

/* The exact Q(u), by closed form or a safeguarded solve: the reference the table is built
   from and checked against. */
double wa_dist_quantile(const wa_dist *d, double u);

/* The rank in (0, 1) of the value that u draws, among all the distribution's values: u
   itself for a continuous distribution; for one with atoms (bernoulli, poisson, discrete)
   the middle of the interval of u that draws the same value (a mid-rank, as for ties). */
double wa_dist_midrank(const wa_dist *d, double u);

/* The exact quantile for lower-tail probability p (upper = 0: P(X <= x) = p) or for
   upper-tail probability p (upper = 1: P(X > x) = p), the given tail kept exact — so that
   p = 1e-15 in the upper tail is not first rounded through 1 - p. Untruncated pert, beta
   and gamma; the others through wa_dist_quantile. */
double wa_dist_quantile_tail(const wa_dist *d, double p, int upper);

/* ln f(x) of the untruncated distribution (continuous kinds; -inf outside the support). */
double wa_dist_log_pdf(const wa_dist *d, double x);
/* The support of the untruncated distribution: [lo, hi], infinite where unbounded. */
void wa_dist_support(const wa_dist *d, double *lo, double *hi);

/* Exact mean and variance of the (truncated) distribution, for tests and reports. */
double wa_dist_mean(const wa_dist *d);
double wa_dist_variance(const wa_dist *d);

/* "normal", ...; and the kind for a name (-1 when unknown). */
const char *wa_dist_name(wa_dist_kind k);
int wa_dist_kind_of(const char *name);

void wa_dist_free(wa_dist *d); /* frees the discrete arrays; NULL is fine */

#endif
