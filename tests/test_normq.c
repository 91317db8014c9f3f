/*
 * test_normq.c — the block normal quantile (AS 241) against the exact quantile, at random
 * and at the generator's extremes; one value alone equals the same value inside a block;
 * in place and out of place agree.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "sample/normq.h"
#include "sample/rng.h"

/* AS 241 is accurate to about 1e-16 relative, and its evaluation adds a few roundings
   (fused multiply-adds in the polynomials): the largest error measured against 30-digit
   arithmetic over 20,480 draws was 6.0e-16 (GSL's implementation of the same algorithm,
   without fused operations: 6.3e-16). 1e-15 relative is the bound. */
#define TOL 1e-15

/* The exact quantile, to about 1e-18 relative: GSL's value refined by one Newton step in
   long double (x87, 64-bit mantissa) on the lower tail probability min(u, 1 - u), so that
   the step keeps its relative precision in both tails (1 - u is exact for u >= 1/2). */
static double exact(double u)
{
    double p = u < 0.5 ? u : 1 - u;
    long double z = gsl_cdf_ugaussian_Pinv(p);
    long double F = 0.5L * erfcl(-z / sqrtl(2.0L));
    long double f = expl(-z * z / 2) / sqrtl(2 * 3.14159265358979323846264338327950288L);
    z -= (F - p) / f;
    return (double)(u < 0.5 ? z : -z);
}

Test(normq, accurate_against_the_exact_quantile)
{
    enum { N = 4096 };
    double u[N], z[N];
    wa_rng r;
    wa_rng_seed(&r, 9, 9, 9);
    for (int k = 0; k < 50; k++) {
        wa_rng_fill_uniform(&r, u, N);
        wa_normal_quantiles(u, z, N);
        for (int i = 0; i < N; i++) {
            double e = exact(u[i]);
            cr_assert(fabs(z[i] - e) <= TOL * fabs(e) + 1e-300, "u %.17g: %.17g vs %.17g", u[i], z[i], e);
        }
    }
    /* the branch points of AS 241 and the generator's extremes */
    static const double edge[] = {0x1p-53, 1e-300, 1e-11, 1.3e-11, 0.0749999, 0.075, 0.0750001,
                                  0.5, 0.9249999, 0.925, 0.9250001, 1 - 1e-11, 1 - 0x1p-53};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        double e = exact(edge[i]), a = wa_normal_quantile(edge[i]);
        cr_assert(fabs(a - e) <= TOL * fabs(e) + 1e-300, "u %.17g: %.17g vs %.17g", edge[i], a, e);
    }
    cr_assert_eq(wa_normal_quantile(0.5), 0.0);
}

Test(normq, block_equals_single_and_in_place)
{
    enum { N = 1500 }; /* spans chunks of the implementation */
    double u[N], z[N], w[N];
    wa_rng r;
    wa_rng_seed(&r, 1, 2, 3);
    wa_rng_fill_uniform(&r, u, N);
    wa_normal_quantiles(u, z, N);
    memcpy(w, u, sizeof w);
    wa_normal_quantiles(w, w, N);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(z[i], wa_normal_quantile(u[i]));
        cr_assert_eq(w[i], z[i]);
    }
    /* symmetric: Phi^-1(1 - u) = -Phi^-1(u) where 1 - u is exact */
    cr_assert_eq(wa_normal_quantile(0.25), -wa_normal_quantile(0.75));
}

/* The block's far tails (r > 5, u below about 1.4e-11 from either end) are found among the
   tails and redone: at the edges of its words of eight, of its chunks and of the block,
   with neighbours in the near tail and the body, they equal the value alone and the
   exact quantile. */
Test(normq, block_far_tails_at_any_position)
{
    enum { N = 1500 };
    static const double far[] = {0x1p-53, 1e-300, 1e-11, 1.3e-11, 1 - 1e-11, 1 - 0x1p-53};
    static const size_t at[] = {0, 1, 7, 8, 9, 63, 64, 511, 512, 513, 1023, 1024, 1498, 1499};
    double u[N], z[N];
    wa_rng r;
    wa_rng_seed(&r, 4, 5, 6);
    wa_rng_fill_uniform(&r, u, N);
    for (size_t i = 0; i < sizeof at / sizeof *at; i++)
        u[at[i]] = far[i % (sizeof far / sizeof *far)];
    wa_normal_quantiles(u, z, N);
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        double v = u[at[i]], e = exact(v);
        cr_assert_eq(z[at[i]], wa_normal_quantile(v), "u %.17g at %zu", v, at[i]);
        cr_assert(fabs(z[at[i]] - e) <= TOL * fabs(e), "u %.17g: %.17g vs %.17g", v, z[at[i]], e);
    }
    for (int i = 0; i < N; i++)
        cr_assert_eq(z[i], wa_normal_quantile(u[i]), "u %.17g at %d", u[i], i);
}
