/*
 * test_normq.c — the block normal quantile (AS 241) against GSL's implementation of the
 * same algorithm, at random and at the generator's extremes; one value alone equals the
 * same value inside a block; in place and out of place agree.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "sample/normq.h"
#include "sample/rng.h"

/* Both compute AS 241: they may differ by the rounding of a few operations. 1e-15
   relative is ten times the largest difference seen (3.3e-16). */
#define TOL 1e-15

Test(normq, agrees_with_gsl)
{
    enum { N = 4096 };
    double u[N], z[N];
    wa_rng r;
    wa_rng_seed(&r, 9, 9, 9);
    for (int k = 0; k < 50; k++) {
        wa_rng_fill_uniform(&r, u, N);
        wa_normal_quantiles(u, z, N);
        for (int i = 0; i < N; i++) {
            double g = gsl_cdf_ugaussian_Pinv(u[i]);
            cr_assert(fabs(z[i] - g) <= TOL * fabs(g) + 1e-300, "u %.17g: %.17g vs %.17g", u[i], z[i], g);
        }
    }
    /* the branch points of AS 241 and the generator's extremes */
    static const double edge[] = {0x1p-53, 1e-300, 1e-11, 1.3e-11, 0.0749999, 0.075, 0.0750001,
                                  0.5, 0.9249999, 0.925, 0.9250001, 1 - 1e-11, 1 - 0x1p-53};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        double g = gsl_cdf_ugaussian_Pinv(edge[i]), a = wa_normal_quantile(edge[i]);
        cr_assert(fabs(a - g) <= TOL * fabs(g) + 1e-300, "u %.17g: %.17g vs %.17g", edge[i], a, g);
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
