/*
 * test_correlate.c — the Gaussian copula (SPEC §1.3): the Spearman/Pearson conversion, plans
 * for valid and invalid matrices, the nearest-correlation repair against known answers and
 * its optimality condition, the achieved rank correlation and unchanged marginals over
 * 200,000 trials, a variance whose exact value depends on the correlation, Phi in both
 * tails, block independence of the arithmetic, and the warning's exact layout.
 *
 * Statistical checks use fixed seeds and 4 standard errors, each SE stated where used.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/correlate.h"
#include "sample/normq.h"
#include "sample/rng.h"

static const double PI = 3.14159265358979323846;

/* The library turns GSL's aborting handler off when it loads a scenario; the plan must not
   need that, so these tests leave the default handler on: any GSL error aborts the test. */

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                                */

static double min_eigenvalue(size_t k, const double *a)
{
    double *m = malloc(k * k * sizeof *m), *e = malloc(k * sizeof *e);
    cr_assert(m && e);
    memcpy(m, a, k * k * sizeof *m);
    gsl_matrix_view mv = gsl_matrix_view_array(m, k, k);
    gsl_vector_view ev = gsl_vector_view_array(e, k);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(k);
    cr_assert(w);
    gsl_eigen_symm(&mv.matrix, &ev.vector, w);
    double mn = e[0];
    for (size_t i = 1; i < k; i++)
        mn = fmin(mn, e[i]);
    gsl_eigen_symm_free(w);
    free(m);
    free(e);
    return mn;
}

static void to_pearson(size_t k, const double *s, double *p)
{
    for (size_t i = 0; i < k * k; i++)
        p[i] = wa_spearman_to_pearson(s[i]);
    for (size_t i = 0; i < k; i++)
        p[i * k + i] = 1.0;
}

/* max |L L^T - p| */
static double llt_error(size_t k, const double *L, const double *p)
{
    double worst = 0.0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0.0;
            for (size_t l = 0; l < k; l++)
                s += L[i * k + l] * L[j * k + l];
            worst = fmax(worst, fabs(s - p[i * k + j]));
        }
    return worst;
}

static double frob_diff(size_t kk, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t i = 0; i < kk; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

static void assert_correlation_matrix(size_t k, const double *m)
{
    for (size_t i = 0; i < k; i++) {
        cr_assert_eq(m[i * k + i], 1.0, "diagonal %zu: %.17g", i, m[i * k + i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_eq(m[i * k + j], m[j * k + i], "not symmetric at %zu,%zu", i, j);
    }
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
    return (x > y) - (x < y);
}

/* r[i] = the rank (0-based) of x[i]; the draws are continuous, so there are no ties. */
static void rank(const double *x, double *r, size_t n, ranked *w)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (ranked){x[i], i};
    qsort(w, n, sizeof *w, cmp_ranked);
    for (size_t i = 0; i < n; i++)
        r[w[i].i] = (double)i;
}

/* The sample Spearman correlation, 1 - 6 sum d^2 / (n (n^2 - 1)), from ranks. */
static double spearman(const double *ra, const double *rb, size_t n)
{
    double d2 = 0.0;
    for (size_t i = 0; i < n; i++)
        d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
    double dn = (double)n;
    return 1.0 - 6.0 * d2 / (dn * (dn * dn - 1.0));
}

/* SE of the sample Spearman correlation of a Gaussian copula with rank correlation rho:
   Var(atanh r_s) ~ (1 + rho^2 / 2) / n (Bonett & Wright, Psychometrika 65, 2000), so by the
   delta method SE ~ (1 - rho^2) sqrt((1 + rho^2 / 2) / n). Checked by simulation with this
   module (1,000 runs of n = 20,000): sd x sqrt(n) = 1.027, 0.946, 0.559, 0.216 against
   1.000, 0.930, 0.569, 0.225 at rho = 0, 0.3, 0.7, 0.9 — (1 - rho^2) alone (the SE of
   Pearson's r) would be 10-14% too small at 0.7-0.9. */
static double spearman_se(double rho, size_t n)
{
    return (1.0 - rho * rho) * sqrt((1.0 + rho * rho / 2.0) / (double)n);
}

/* k columns of n correlated normal scores for plan p: each input's own stream (seed 42,
   key = its name, block 0) of uniforms, through wa_normal_quantiles, then the copula. */
static double **correlated_scores(const wa_corr_plan *p, const char *const *names, size_t n)
{
    double **z = malloc(p->k * sizeof *z);
    cr_assert(z);
    for (size_t j = 0; j < p->k; j++) {
        z[j] = malloc(n * sizeof **z);
        cr_assert(z[j]);
        wa_rng r;
        wa_rng_seed(&r, 42, wa_stream_key(names[j]), 0);
        wa_rng_fill_uniform(&r, z[j], n);
        wa_normal_quantiles(z[j], z[j], n);
    }
    wa_corr_apply(p, z, n);
    return z;
}

static void free_columns(double **z, size_t k)
{
    for (size_t j = 0; j < k; j++)
        free(z[j]);
    free(z);
}

/* ------------------------------------------------------------------------------------- */
/* Conversion                                                                             */

Test(correlate, conversion_known_values_and_round_trip)
{
    /* 2 sin(pi/12) = (sqrt 6 - sqrt 2) / 2; 2 sin(pi/10) = (sqrt 5 - 1) / 2. */
    cr_assert_float_eq(wa_spearman_to_pearson(0.5), (sqrt(6.0) - sqrt(2.0)) / 2.0, 1e-15);
    cr_assert_float_eq(wa_spearman_to_pearson(0.6), (sqrt(5.0) - 1.0) / 2.0, 1e-15);
    cr_assert_float_eq(wa_spearman_to_pearson(-0.6), -(sqrt(5.0) - 1.0) / 2.0, 1e-15);
    cr_assert_eq(wa_spearman_to_pearson(0.0), 0.0);
    cr_assert_float_eq(wa_spearman_to_pearson(1.0), 1.0, 1e-15);
    cr_assert_float_eq(wa_pearson_to_spearman(0.5), 6.0 / PI * asin(0.25), 1e-15);
    /* Clamped: rounding just past 1 is not a NaN. */
    cr_assert_float_eq(wa_pearson_to_spearman(1.0 + 1e-15), 1.0, 1e-15);
    for (int i = -1000; i <= 1000; i++) {
        double rho = i / 1000.0;
        double back = wa_pearson_to_spearman(wa_spearman_to_pearson(rho));
        cr_assert(fabs(back - rho) <= 4e-16, "rho %.3f came back as %.17g", rho, back);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Plans                                                                                  */

Test(correlate, positive_definite_matrix_passes_untouched)
{
    enum { K = 4 };
    /* Input 3 is uncorrelated with the rest (an unlisted pair is 0). */
    const double s[K * K] = {1.0,  0.7, -0.3, 0.0,
                             0.7,  1.0, 0.2,  0.0,
                             -0.3, 0.2, 1.0,  0.0,
                             0.0,  0.0, 0.0,  1.0};
    double p[K * K];
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.k, K);
    cr_assert_eq(plan.repaired, 0);
    cr_assert_eq(memcmp(plan.spearman_target, s, sizeof s), 0);
    cr_assert_eq(memcmp(plan.spearman_used, s, sizeof s), 0);
    to_pearson(K, s, p);
    double err = llt_error(K, plan.L, p);
    cr_assert(err <= 1e-14, "|L L^T - R| = %g", err);
    for (size_t i = 0; i < K; i++)
        for (size_t j = i + 1; j < K; j++)
            cr_assert_eq(plan.L[i * K + j], 0.0);
    /* The uncorrelated input's row is e_3 exactly, so applying it costs nothing. */
    cr_assert_eq(plan.L[3 * K + 0], 0.0);
    cr_assert_eq(plan.L[3 * K + 3], 1.0);
    wa_corr_plan_free(&plan);
    cr_assert_null(plan.L);
    wa_corr_plan_free(&plan); /* a zeroed plan: no-op */
    wa_corr_plan_free(NULL);
}

/* The pattern (a, a, -a) has eigenvalues 1 + a (twice) and 1 - 2a, eigenvector (1, -1, -1).
   Its nearest correlation matrix keeps the pattern (the problem is symmetric under it and
   has a unique solution) with the largest b <= 1/2 that is PSD: b = 1/2 exactly. (Shrinking
   towards I gives the same matrix here; see repair_beats_shrinking for a case where not.) */
Test(correlate, non_positive_definite_is_repaired_to_known_answer)
{
    enum { K = 3 };
    const double s[K * K] = {1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0};
    double p[K * K], q[K * K];
    to_pearson(K, s, p);
    cr_assert_lt(min_eigenvalue(K, p), -0.8); /* 1 - 2 (0.908) */
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 1);
    cr_assert_eq(memcmp(plan.spearman_target, s, sizeof s), 0);
    assert_correlation_matrix(K, plan.spearman_used);
    to_pearson(K, plan.spearman_used, q);
    cr_assert_gt(min_eigenvalue(K, q), 0.5 * WA_CORR_EIG_FLOOR);
    /* Pearson 1/2 up to the eigenvalue floor (1e-8 moves b by ~ 1e-8 / 2). */
    cr_assert(fabs(q[1] - 0.5) <= 1e-7 && fabs(q[2] - 0.5) <= 1e-7 && fabs(q[5] + 0.5) <= 1e-7,
              "%.17g %.17g %.17g", q[1], q[2], q[5]);
    cr_assert_float_eq(plan.spearman_used[1], 6.0 / PI * asin(0.25), 1e-7);
    /* L is the factor of the matrix actually used (to the rounding of the Spearman trip). */
    double err = llt_error(K, plan.L, q);
    cr_assert(err <= 1e-14, "|L L^T - R_used| = %g", err);
    wa_corr_plan_free(&plan);
}

/* Higham (2002, §4): the nearest correlation matrix to [1 1 0; 1 1 1; 0 1 1] has 0.7607 and
   0.1573 off the diagonal. Spearman 1 is Pearson 1 (allowed here, not by the loader). */
Test(correlate, higham_example)
{
    enum { K = 3 };
    const double s[K * K] = {1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0};
    double q[K * K];
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 1);
    to_pearson(K, plan.spearman_used, q);
    cr_assert(fabs(q[1] - 0.7607) <= 5e-5 && fabs(q[5] - 0.7607) <= 5e-5, "%.6f %.6f", q[1], q[5]);
    cr_assert(fabs(q[2] - 0.1573) <= 5e-5, "%.6f", q[2]);
    wa_corr_plan_free(&plan);
}

/* Repaired X is nearer to the Pearson matrix A than shrinking A towards I by the least
   factor that makes it PSD — A(t) = (1 - t) A + t I, t = -lmin / (1 - lmin), at distance
   t |A - I|_F. And X satisfies the optimality condition of a projection onto a convex set:
   <A - X, C - X>_F <= 0 for every correlation matrix C, checked on 2,000 random ones. The
   eigenvalue floor moves X by ~1e-8 (Frobenius) and |A - X| < 1, |C - X| < 3, so 1e-8
   bounds what that may add; without Dykstra's correction the same check gives 3.2e-7. */
Test(correlate, repair_beats_shrinking_and_is_optimal)
{
    enum { K = 3 };
    const double s[K * K] = {1.0, 0.95, 0.95, 0.95, 1.0, 0.5, 0.95, 0.5, 1.0};
    double a[K * K], x[K * K], eye[K * K] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    to_pearson(K, s, a);
    double lmin = min_eigenvalue(K, a);
    cr_assert_lt(lmin, 0.0);
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 1);
    to_pearson(K, plan.spearman_used, x);
    double t = -lmin / (1.0 - lmin);
    double shrink = t * frob_diff(K * K, a, eye), nearest = frob_diff(K * K, a, x);
    /* Both are exact computations, not estimates: a strict comparison (0.154 vs 0.212). */
    cr_log_info("distance to the repaired matrix %.4f, after shrinking %.4f", nearest, shrink);
    cr_assert_lt(nearest, shrink, "nearest %.6f, shrinking %.6f", nearest, shrink);

    wa_rng r;
    wa_rng_seed(&r, 7, 7, 7);
    double worst = -INFINITY;
    for (int rep = 0; rep < 2000; rep++) {
        /* C = D^-1/2 G G^T D^-1/2 with G 3×2 (rank 2: boundary points count most) */
        double g[K][2], c[K * K];
        for (int i = 0; i < K; i++)
            for (int m = 0; m < 2; m++)
                g[i][m] = wa_normal_quantile(wa_rng_uniform(&r));
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++)
                c[i * K + j] = g[i][0] * g[j][0] + g[i][1] * g[j][1];
        double d[K];
        for (int i = 0; i < K; i++)
            d[i] = sqrt(c[i * K + i]);
        double ip = 0.0;
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++) {
                double cij = i == j ? 1.0 : c[i * K + j] / (d[i] * d[j]);
                ip += (a[i * K + j] - x[i * K + j]) * (cij - x[i * K + j]);
            }
        worst = fmax(worst, ip);
    }
    cr_log_info("largest <A - X, C - X> = %.3g", worst);
    cr_assert_leq(worst, 1e-8, "<A - X, C - X> = %g", worst);
    wa_corr_plan_free(&plan);
}

/* A symmetric k x k matrix with a unit diagonal and the other entries uniform in
   (-0.9, 0.9), drawn from r: far from a valid correlation matrix once k is 6 or more. */
static void random_spearman(size_t k, wa_rng *r, double *s)
{
    for (size_t i = 0; i < k; i++) {
        s[i * k + i] = 1.0;
        for (size_t j = 0; j < i; j++)
            s[i * k + j] = s[j * k + i] = 1.8 * wa_rng_uniform(r) - 0.9;
    }
}

/* A 6×6 with random entries in (-1, 1): far from PD; the repair is valid, and feeding the
   Spearman matrix it used back in is accepted as is (the floor is 10x the threshold). */
Test(correlate, repair_of_random_matrix_is_valid_and_idempotent)
{
    enum { K = 6 };
    double s[K * K], q[K * K];
    wa_rng r;
    wa_rng_seed(&r, 3, 1, 4);
    random_spearman(K, &r, s);
    to_pearson(K, s, q);
    cr_assert_lt(min_eigenvalue(K, q), -0.5);
    wa_corr_plan plan, again;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 1);
    cr_assert_eq(plan.nearest, 1);
    assert_correlation_matrix(K, plan.spearman_used);
    to_pearson(K, plan.spearman_used, q);
    cr_assert_gt(min_eigenvalue(K, q), WA_CORR_PD_MIN);
    cr_assert(llt_error(K, plan.L, q) <= 1e-14);
    cr_assert_eq(wa_corr_plan_make(&again, K, plan.spearman_used), 0);
    cr_assert_eq(again.repaired, 0);
    wa_corr_plan_free(&again);
    wa_corr_plan_free(&plan);
}

/* The repair's rounds are capped so that its work stays bounded: a random 300 x 300 does
   not converge within them, and what it gives is still a valid correlation matrix, said to
   be near, not nearest; the 6 x 6 above converges (nearest). One larger than
   WA_CORR_REPAIR_MAX that needs a repair is refused (-2) with the plan zeroed. */
Test(correlate, repair_is_bounded, .timeout = 120)
{
    enum { K = WA_CORR_REPAIR_MAX };
    double *s = malloc(sizeof(double) * (K + 1) * (K + 1)), *q = malloc(sizeof(double) * K * K);
    cr_assert(s && q);
    wa_rng r;
    wa_rng_seed(&r, 3, 1, 4);
    random_spearman(K, &r, s);
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 1);
    cr_assert_eq(plan.nearest, 0);
    assert_correlation_matrix(K, plan.spearman_used);
    to_pearson(K, plan.spearman_used, q);
    cr_assert_gt(min_eigenvalue(K, q), WA_CORR_PD_MIN);
    cr_assert(llt_error(K, plan.L, q) <= 1e-12);
    wa_corr_plan_free(&plan);

    enum { K1 = WA_CORR_REPAIR_MAX + 1 };
    random_spearman(K1, &r, s);
    memset(&plan, 0xAB, sizeof plan);
    cr_assert_eq(wa_corr_plan_make(&plan, K1, s), -2);
    cr_assert_null(plan.L);
    cr_assert_eq(plan.k, 0);
    wa_corr_plan_free(&plan);
    free(s);
    free(q);
}

Test(correlate, rejects_invalid_matrices)
{
    wa_corr_plan plan;
    const double nan2[4] = {1.0, NAN, NAN, 1.0};
    const double inf2[4] = {1.0, INFINITY, INFINITY, 1.0};
    const double big2[4] = {1.0, 1.5, 1.5, 1.0};
    const double asym[4] = {1.0, 0.5, 0.4, 1.0};
    const double diag[4] = {0.9, 0.5, 0.5, 1.0};
    const double *bad[] = {nan2, inf2, big2, asym, diag};
    for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
        memset(&plan, 0xAB, sizeof plan);
        cr_assert_eq(wa_corr_plan_make(&plan, 2, bad[t]), -1, "case %zu", t);
        cr_assert_null(plan.L);
        cr_assert_null(plan.spearman_target);
        cr_assert_eq(plan.k, 0);
        wa_corr_plan_free(&plan);
    }
    /* k * k * 8 overflows size_t: refused before the matrix is read. */
    cr_assert_eq(wa_corr_plan_make(&plan, (size_t)1 << (sizeof(size_t) * 4), nan2), -1);
    /* k = 0: an empty plan, and applying it does nothing. */
    cr_assert_eq(wa_corr_plan_make(&plan, 0, NULL), 0);
    cr_assert_null(plan.L);
    wa_corr_apply(&plan, NULL, 10);
    wa_corr_plan_free(&plan);
}

/* ------------------------------------------------------------------------------------- */
/* The copula at work                                                                     */

/* Three inputs over 200,000 trials: a uniform on [10, 20], an exponential (mean 1) and a
   lognormal (mu 0, sigma 0.5), all through their inverse CDFs from the correlated
   uniforms. The rank correlations are those asked for, and the marginals are unchanged. */
Test(correlate, achieved_spearman_and_unchanged_marginals, .timeout = 60)
{
    enum { K = 3 };
    const size_t n = 200000;
    const char *const names[K] = {"licence_fee", "seats", "migration"};
    const double s[K * K] = {1.0, 0.6, -0.4, 0.6, 1.0, 0.3, -0.4, 0.3, 1.0};
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    cr_assert_eq(plan.repaired, 0);
    double **z = correlated_scores(&plan, names, n);
    double *x[K], *rk[K];
    ranked *w = malloc(n * sizeof *w);
    cr_assert(w);
    for (size_t j = 0; j < K; j++) {
        x[j] = malloc(n * sizeof(double));
        rk[j] = malloc(n * sizeof(double));
        cr_assert(x[j] && rk[j]);
        wa_normal_cdfs(z[j], z[j], n); /* z[j] now holds the correlated uniforms */
    }

    /* Marginals of the uniforms: mean 1/2 (SE sqrt(1/12 / n) = 6.5e-4); the 10% and 90%
       quantiles (SE of a sample quantile of U(0,1): sqrt(p (1 - p) / n) = 6.7e-4). */
    for (size_t j = 0; j < K; j++) {
        double mean = 0.0;
        size_t below10 = 0, below90 = 0;
        for (size_t i = 0; i < n; i++) {
            mean += z[j][i];
            below10 += z[j][i] < 0.1;
            below90 += z[j][i] < 0.9;
        }
        mean /= (double)n;
        cr_assert_leq(fabs(mean - 0.5), 4 * sqrt(1.0 / 12.0 / n), "input %zu: mean %.5f", j, mean);
        /* The fraction below q has SE sqrt(q (1 - q) / n) too, the same test stated as counts. */
        double f10 = (double)below10 / (double)n, f90 = (double)below90 / (double)n;
        cr_assert_leq(fabs(f10 - 0.1), 4 * sqrt(0.09 / n), "input %zu: P(u < 0.1) = %.5f", j, f10);
        cr_assert_leq(fabs(f90 - 0.9), 4 * sqrt(0.09 / n), "input %zu: P(u < 0.9) = %.5f", j, f90);
        cr_log_info("input %zu: mean u %.5f, P(u<0.1) %.5f, P(u<0.9) %.5f", j, mean, f10, f90);
    }

    /* The inputs' values, and their means against the exact ones (SE = sd / sqrt n). */
    double m[K] = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < n; i++) {
        x[0][i] = 10.0 + 10.0 * z[0][i];
        x[1][i] = -log1p(-z[1][i]);
        x[2][i] = exp(0.5 * wa_normal_quantile(z[2][i]));
        for (size_t j = 0; j < K; j++)
            m[j] += x[j][i];
    }
    const double want[K] = {15.0, 1.0, exp(0.125)};
    const double sd[K] = {10.0 / sqrt(12.0), 1.0, sqrt((exp(0.25) - 1.0) * exp(0.25))};
    for (size_t j = 0; j < K; j++) {
        m[j] /= (double)n;
        cr_assert_leq(fabs(m[j] - want[j]), 4 * sd[j] / sqrt((double)n), "input %zu: mean %.5f, want %.5f",
                      j, m[j], want[j]);
    }

    for (size_t j = 0; j < K; j++)
        rank(x[j], rk[j], n, w);
    for (size_t a = 0; a < K; a++)
        for (size_t b = a + 1; b < K; b++) {
            double rho = s[a * K + b], got = spearman(rk[a], rk[b], n), se = spearman_se(rho, n);
            cr_log_info("Spearman %zu,%zu: target %.3f achieved %.5f (%+.2f SE)", a, b, rho, got,
                        (got - rho) / se);
            cr_assert_leq(fabs(got - rho), 4 * se, "pair %zu,%zu: %.5f for %.3f (SE %.5f)", a, b, got, rho, se);
        }

    for (size_t j = 0; j < K; j++) {
        free(x[j]);
        free(rk[j]);
    }
    free(w);
    free_columns(z, K);
    wa_corr_plan_free(&plan);
}

/* X ~ N(0, 1) and Y ~ N(0, 2^2) with Spearman 0.6: the scores have Pearson
   r = 2 sin(pi / 10) = (sqrt 5 - 1) / 2, and for normal inputs so do the values, so
   Var(X - Y) = 1 + 4 - 2 r (1)(2) = 7 - 2 sqrt 5 = 2.5279. The sample variance of a normal
   has SE sigma^2 sqrt(2 / (n - 1)) = 0.0080 at n = 200,000; 4 SE = 0.032, while using
   rho as the Pearson correlation (no conversion) would give 2.6, 0.072 away. */
Test(correlate, variance_of_difference_of_normals, .timeout = 30)
{
    const size_t n = 200000;
    const char *const names[2] = {"x", "y"};
    const double s[4] = {1.0, 0.6, 0.6, 1.0};
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, 2, s), 0);
    double **z = correlated_scores(&plan, names, n);
    double *d = malloc(n * sizeof *d);
    cr_assert(d);
    /* The full round trip: u = Phi(z), then each input's inverse CDF. */
    wa_normal_cdfs(z[0], z[0], n);
    wa_normal_cdfs(z[1], z[1], n);
    wa_normal_quantiles(z[0], z[0], n);
    wa_normal_quantiles(z[1], z[1], n);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++) {
        d[i] = z[0][i] - 2.0 * z[1][i];
        mean += d[i];
    }
    mean /= (double)n;
    double var = 0.0;
    for (size_t i = 0; i < n; i++)
        var += (d[i] - mean) * (d[i] - mean);
    var /= (double)(n - 1);
    double want = 7.0 - 2.0 * sqrt(5.0), se = want * sqrt(2.0 / (double)(n - 1));
    cr_log_info("Var(X - Y) = %.5f, exact %.5f (%+.2f SE)", var, want, (var - want) / se);
    cr_assert_leq(fabs(var - want), 4 * se, "Var(X - Y) = %.5f, want %.5f (SE %.5f)", var, want, se);
    free(d);
    free_columns(z, 2);
    wa_corr_plan_free(&plan);
}

/* The arithmetic for a trial depends only on that trial: applying the plan to a whole block,
   to a part of it at an odd offset, or to one trial alone gives the same bits. */
Test(correlate, apply_is_independent_of_block)
{
    enum { K = 4, N = 1000, OFF = 3, LEN = 517 };
    const double s[K * K] = {1.0, 0.5, 0.0, 0.2, 0.5, 1.0, -0.3, 0.0,
                             0.0, -0.3, 1.0, 0.4, 0.2, 0.0, 0.4, 1.0};
    wa_corr_plan plan;
    cr_assert_eq(wa_corr_plan_make(&plan, K, s), 0);
    static double whole[K][N], part[K][LEN], one[K][1];
    wa_rng r;
    wa_rng_seed(&r, 11, 12, 13);
    for (size_t j = 0; j < K; j++) {
        wa_rng_fill_uniform(&r, whole[j], N);
        wa_normal_quantiles(whole[j], whole[j], N);
        memcpy(part[j], whole[j] + OFF, sizeof part[j]);
        one[j][0] = whole[j][OFF + 100];
    }
    double *zw[K] = {whole[0], whole[1], whole[2], whole[3]};
    double *zp[K] = {part[0], part[1], part[2], part[3]};
    double *zo[K] = {one[0], one[1], one[2], one[3]};
    wa_corr_apply(&plan, zw, N);
    wa_corr_apply(&plan, zp, LEN);
    wa_corr_apply(&plan, zo, 1);
    for (size_t j = 0; j < K; j++) {
        cr_assert_eq(memcmp(part[j], whole[j] + OFF, sizeof part[j]), 0, "column %zu", j);
        cr_assert_eq(memcmp(one[j], whole[j] + OFF + 100, sizeof one[j]), 0, "column %zu", j);
    }
    wa_corr_plan_free(&plan);

    /* The identity plan leaves the scores bit for bit as they were. */
    const double id[4] = {1.0, 0.0, 0.0, 1.0};
    double before[2][8], after[2][8];
    for (size_t j = 0; j < 2; j++)
        for (size_t i = 0; i < 8; i++)
            before[j][i] = after[j][i] = wa_normal_quantile(wa_rng_uniform(&r));
    double *za[2] = {after[0], after[1]};
    cr_assert_eq(wa_corr_plan_make(&plan, 2, id), 0);
    wa_corr_apply(&plan, za, 8);
    cr_assert_eq(memcmp(before, after, sizeof before), 0);
    wa_corr_plan_free(&plan);
}

/* The mixing is the sum of its definition, in its order: L[j][j] z_j, then + L[j][l] z_l
   for l = 0 .. j-1, bit for bit, whether a trial falls in a run the tile takes whole or in
   the rest, and with more correlated inputs than a tile holds (70). */
Test(correlate, apply_is_the_sum_in_its_order)
{
    enum { N = 4096 + 37 };
    const size_t ks[2] = {24, 70};
    for (size_t c = 0; c < 2; c++) {
        size_t k = ks[c];
        double *s = malloc(k * k * sizeof *s), *col[70], *ref[70];
        cr_assert_not_null(s);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                s[i * k + j] = i == j ? 1.0 : (i + j) % 5 == 0 ? 0.0 : 0.2;
        wa_corr_plan plan;
        cr_assert_eq(wa_corr_plan_make(&plan, k, s), 0);
        wa_rng r;
        wa_rng_seed(&r, 5, 6, 7);
        for (size_t j = 0; j < k; j++) {
            col[j] = malloc(N * sizeof *col[j]);
            ref[j] = malloc(N * sizeof *ref[j]);
            cr_assert(col[j] && ref[j]);
            wa_rng_fill_uniform(&r, col[j], N);
            wa_normal_quantiles(col[j], col[j], N);
        }
        for (size_t j = 0; j < k; j++)
            for (size_t i = 0; i < N; i++) {
                const double *Lj = plan.L + j * k;
                double v = Lj[j] != 1.0 ? col[j][i] * Lj[j] : col[j][i];
                for (size_t l = 0; l < j; l++)
                    if (Lj[l] != 0.0)
                        v += Lj[l] * col[l][i];
                ref[j][i] = v;
            }
        wa_corr_apply(&plan, col, N);
        for (size_t j = 0; j < k; j++) {
            cr_assert_eq(memcmp(col[j], ref[j], N * sizeof *ref[j]), 0, "k %zu, column %zu", k, j);
            free(col[j]);
            free(ref[j]);
        }
        wa_corr_plan_free(&plan);
        free(s);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Phi                                                                                    */

Test(correlate, normal_cdfs_accurate_in_both_tails)
{
    /* Against GSL's Phi and Q (Cody's algorithm, relative error < 1e-15 here). For z < 0 the
       relative error allowed is (z^2 + 4) eps: one rounding of z itself, which every score
       carries, costs z^2 eps in Phi (d ln Phi / dz ~ -z), plus a few ulps of the series
       (against 30-digit arithmetic: worst 3.5 eps in the tails, at z = -5.84; 4.4 eps in
       the body's polynomial, at z = -1.44, where its sum passes through 1/2 on the way to
       0.075, while 6.1 eps are allowed there). For z > 0 it is 1 - u that is compared with
       Q: exact to the spacing of doubles below 1, 2^-53, plus the same relative term. */
    enum { N = 4001 };
    static double z[N], u[N];
    for (int i = 0; i < N; i++)
        z[i] = -8.2 + 16.4 * i / (N - 1);
    wa_normal_cdfs(z, u, N);
    for (int i = 0; i < N; i++) {
        double p = gsl_cdf_ugaussian_P(z[i]), q = gsl_cdf_ugaussian_Q(z[i]);
        double tol = (z[i] * z[i] + 4.0) * DBL_EPSILON;
        if (z[i] <= 0)
            cr_assert(fabs(u[i] - p) <= tol * p, "z %.4f: %.17g vs %.17g", z[i], u[i], p);
        else
            cr_assert(fabs((1.0 - u[i]) - q) <= tol * q + 0x1.0p-53, "z %.4f: 1-u %.17g vs %.17g",
                      z[i], 1.0 - u[i], q);
    }
    /* A score's Phi does not depend on its neighbours: the block (runs of 32 and a padded
       rest) against each score alone. */
    for (int i = 0; i < N; i += 7) {
        double one;
        wa_normal_cdfs(&z[i], &one, 1);
        cr_assert_eq(memcmp(&one, &u[i], sizeof one), 0, "z %.4f", z[i]);
    }
    double e[6] = {0.0, -40.0, 40.0, -INFINITY, INFINITY, NAN}, v[6];
    wa_normal_cdfs(e, v, 6);
    cr_assert_eq(v[0], 0.5);
    cr_assert_eq(v[1], 0x1.0p-53);
    cr_assert_eq(v[2], 1.0 - 0x1.0p-53);
    cr_assert_eq(v[3], 0x1.0p-53);
    cr_assert_eq(v[4], 1.0 - 0x1.0p-53);
    cr_assert(isnan(v[5]));
    /* The generator's extremes come back through Phi^-1 and Phi to themselves: within the
       quantile's own error (a relative 2 eps in z, costing z * 2 eps * z in Phi, d ln Phi /
       dz being about -z in the tail) plus Phi's (z^2 + 4) eps; at z = -8.21 that is 3.0e-14.
       Phi itself agrees with GSL's there to (z^2 + 4) eps. */
    double g[2] = {0x1.0p-53, 1.0 - 0x1.0p-53};
    wa_normal_quantiles(g, g, 2);
    double z0 = g[0], p0 = gsl_cdf_ugaussian_P(z0);
    wa_normal_cdfs(g, g, 2);
    cr_assert(fabs(g[0] - p0) <= (z0 * z0 + 4.0) * DBL_EPSILON * p0, "%.17g vs %.17g", g[0], p0);
    cr_assert_float_eq(g[0], 0x1.0p-53, (3.0 * z0 * z0 + 4.0) * DBL_EPSILON * 0x1.0p-53);
    cr_assert_eq(g[1], 1.0 - 0x1.0p-53);
}

/* ------------------------------------------------------------------------------------- */
/* The warning's matrices                                                                 */

Test(correlate, format_two_by_two)
{
    const char *const names[2] = {"uplift", "seats"};
    const double m[4] = {1.0, 0.5, 0.5, 1.0};
    char *s = wa_corr_format(2, names, m);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "        uplift  seats\n"
                        "uplift   1.000  0.500\n"
                        "seats    0.500  1.000\n");
    free(s);
}

Test(correlate, format_negative_values_and_utf8_names)
{
    /* Widths count characters: "coût" is 4 wide though 5 bytes. -0.0001 prints as 0.000. */
    const char *const names[3] = {"coût", "a", "licences"};
    const double m[9] = {1.0, -0.25, -0.0001, -0.25, 1.0, 0.482, -0.0001, 0.482, 1.0};
    char *s = wa_corr_format(3, names, m);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "            coût       a  licences\n"
                        "coût       1.000  -0.250     0.000\n"
                        "a         -0.250   1.000     0.482\n"
                        "licences   0.000   0.482     1.000\n");
    free(s);
}
