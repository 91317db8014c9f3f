/*
 * test_qtable.c — the tabulated quantile (qtable.h) against the exact solver it is built
 * from: its largest error over the whole range the generator reaches, its monotonicity,
 * and that the engine's draws go through it.
 *
 * The bound asserted, 1e-9 (relative to x for gamma, to max - min for beta and PERT), is
 * about 100 times the largest error measured over these shapes (1e-11 typical, 1.6e-10 for
 * beta(0.5, 0.5)); a Monte Carlo figure from 10^8 trials has a standard error above 1e-5
 * of the spread, so the table is invisible in any result. The copula's body in scores, a
 * polynomial, is closer (about 1e-15 for PERT, beta(2, 5) and gamma(2.5); 1.3e-11 for
 * beta(0.5, 0.5)) and held to the same bound.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "sample/dist.h"
#include "sample/qtable.h"

/* A distribution of two or three parameters (k3 NULL: two). */
static wa_dist make_any(const char *name, const char *k1, double v1, const char *k2, double v2,
                        const char *k3, double v3)
{
    wa_dist d;
    wa_dist_error e;
    double a[3] = {v1, v2, v3};
    wa_dist_arg args[3] = {{k1, &a[0], 1, 0}, {k2, &a[1], 1, 0}, {k3, &a[2], 1, 0}};
    cr_assert_eq(wa_dist_make(&d, name, args, k3 ? 3 : 2, &e), 0, "%s", e.message);
    return d;
}

/* One that has a table. */
static wa_dist make3(const char *name, const char *k1, double v1, const char *k2, double v2,
                     const char *k3, double v3)
{
    wa_dist d = make_any(name, k1, v1, k2, v2, k3, v3);
    cr_assert_not_null(d.table, "%s has a table", name);
    return d;
}

/* Largest error of the table against the exact quantile: a fine grid of u, plus the tails
   on a log scale down to the generator's extremes 2^-53 and 1 - 2^-53. */
static double worst_error(const wa_dist *d, int relative)
{
    double lo, hi, worst = 0;
    wa_dist_support(d, &lo, &hi);
    enum { M = 100000, T = 400 };
    for (int i = 0; i < M + 2 * T; i++) {
        double u;
        if (i < M)
            u = (i + 0.5) / M;
        else if (i < M + T)
            u = fmax(0x1p-53, pow(10, -15.95 + 14.0 * (i - M) / T)); /* lower tail */
        else
            u = 1 - fmax(0x1p-53, pow(10, -15.95 + 14.0 * (i - M - T) / T)); /* upper */
        double x, ex = wa_dist_quantile(d, u);
        wa_dist_quantiles(d, &u, &x, 1);
        double e = relative ? (ex > 0 ? fabs(x - ex) / ex : 0) : fabs(x - ex) / (hi - lo);
        if (e > worst)
            worst = e;
    }
    return worst;
}

Test(qtable, gamma_within_1e_9_relative)
{
    static const double shapes[] = {0.1, 0.5, 1, 2.5, 30, 1e4};
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        wa_dist d = make3("gamma", "shape", shapes[k], "scale", 3, NULL, 0);
        double e = worst_error(&d, 1);
        cr_expect(e <= 1e-9, "gamma shape %g: worst relative error %g", shapes[k], e);
        wa_dist_free(&d);
    }
}

Test(qtable, beta_and_pert_within_1e_9_of_the_range)
{
    static const double ab[][2] = {{0.5, 0.5}, {0.05, 3}, {2, 50}, {1000, 1000}, {1, 1}, {5, 1}};
    for (size_t k = 0; k < sizeof ab / sizeof *ab; k++) {
        wa_dist d = make3("beta", "a", ab[k][0], "b", ab[k][1], NULL, 0);
        double e = worst_error(&d, 0);
        cr_expect(e <= 1e-9, "beta(%g, %g): worst error %g of the range", ab[k][0], ab[k][1], e);
        wa_dist_free(&d);
    }
    static const double modes[] = {0, 0.35, 0.5, 0.99, 1};
    for (size_t k = 0; k < sizeof modes / sizeof *modes; k++) {
        wa_dist d = make3("pert", "min", 0, "mode", modes[k] * 250e3, "max", 250e3);
        double e = worst_error(&d, 0);
        cr_expect(e <= 1e-9, "pert mode %g: worst error %g of the range", modes[k], e);
        wa_dist_free(&d);
    }
}

Test(qtable, monotone_in_u_across_every_interval)
{
    /* x must never decrease with u: check at 2 million sorted points (several per table
       interval in the body, and the generator's extremes) */
    wa_dist d = make3("pert", "min", 1, "mode", 1.2, "max", 9);
    wa_dist g = make3("gamma", "shape", 0.3, "scale", 2, NULL, 0);
    enum { M = 2000000 };
    double prev_d = -INFINITY, prev_g = -INFINITY;
    for (int i = 0; i < M; i++) {
        double u = i == 0 ? 0x1p-53 : i == M - 1 ? 1 - 0x1p-53 : (double)i / (M - 1), x, y;
        wa_dist_quantiles(&d, &u, &x, 1);
        wa_dist_quantiles(&g, &u, &y, 1);
        cr_assert(x >= prev_d && y >= prev_g, "decrease at u = %.17g", u);
        cr_assert(x >= 1 && x <= 9 && y >= 0);
        prev_d = x;
        prev_g = y;
    }
    wa_dist_free(&d);
    wa_dist_free(&g);
}

Test(qtable, truncated_gamma_takes_the_exact_path)
{
    wa_dist d = make3("gamma", "shape", 2, "scale", 1, NULL, 0);
    wa_dist_error e;
    cr_assert_eq(wa_dist_truncate(&d, 1, 1, 0, 0, &e), 0);
    cr_expect_null(d.table);
    double u = 0.3, x;
    wa_dist_quantiles(&d, &u, &x, 1);
    cr_expect_eq(x, wa_dist_quantile(&d, u));
    wa_dist_free(&d);
}

/* The body table (u in [0.075, 0.925], x read directly) is kept where the quantile is
   smooth enough to match the z-table there, and refused where it is not: the accuracy
   tests above then cover both paths (gamma of shape 0.1 takes the z-table throughout). */
Test(qtable, body_table_where_smooth_only)
{
    wa_dist p = make3("pert", "min", 0, "mode", 0.35 * 250e3, "max", 250e3);
    wa_dist b = make3("beta", "a", 0.5, "b", 0.5, NULL, 0);
    wa_dist g = make3("gamma", "shape", 2.5, "scale", 3, NULL, 0);
    wa_dist s = make3("gamma", "shape", 0.1, "scale", 3, NULL, 0);
    cr_expect(p.table->central && b.table->central && g.table->central);
    cr_expect(!s.table->central);
    cr_expect(p.table->zpoly && b.table->zpoly && g.table->zpoly);
    cr_expect(!s.table->zpoly);
    /* at the ends of the body the two paths meet without a step back */
    double u[4] = {nextafter(WA_QTABLE_ULO, 0), WA_QTABLE_ULO, 1 - WA_QTABLE_ULO,
                   nextafter(1 - WA_QTABLE_ULO, 1)}, x[4];
    wa_dist_quantiles(&p, u, x, 4);
    cr_expect(x[0] <= x[1] && x[1] < x[2] && x[2] <= x[3], "%.17g %.17g %.17g %.17g", x[0], x[1],
              x[2], x[3]);
    /* the same in scores (the copula's path), at z = -zc and zc */
    double zc = p.table->zc, z[4] = {nextafter(-zc, -INFINITY), -zc, zc, nextafter(zc, INFINITY)};
    wa_dist_from_z(&p, z, x, 4);
    cr_expect(x[0] <= x[1] && x[1] < x[2] && x[2] <= x[3], "%.17g %.17g %.17g %.17g", x[0], x[1],
              x[2], x[3]);
    cr_expect(fabs(zc - 1.4395314709384564) < 1e-14, "zc %.17g: Phi^-1(0.925)", zc);
    wa_dist_free(&p);
    wa_dist_free(&b);
    wa_dist_free(&g);
    wa_dist_free(&s);
}

/* In a block, scores in the body and in the tails side by side (the tails listed and done
   together), every value is the one it takes alone, and the block never steps back where
   the scores are sorted. */
Test(qtable, scores_in_a_block_as_alone)
{
    wa_dist p = make3("pert", "min", 10, "mode", 25, "max", 80);
    enum { N = 1500 };
    double z[N], x[N];
    for (int i = 0; i < N; i++)
        z[i] = 3.2 * sin(1.7 * i) * (i % 7 == 3 ? 2.5 : 1); /* a third in the body */
    wa_dist_from_z(&p, z, x, N);
    for (int i = 0; i < N; i++) {
        double a;
        wa_dist_from_z(&p, &z[i], &a, 1);
        cr_assert_eq(x[i], a, "z %.17g at %d", z[i], i);
    }
    for (int i = 0; i < N; i++)
        z[i] = -8.5 + 17.0 * i / (N - 1);
    wa_dist_from_z(&p, z, x, N);
    for (int i = 1; i < N; i++)
        cr_assert(x[i] >= x[i - 1], "a step back at z %.17g", z[i]);
    wa_dist_free(&p);
}

Test(qtable, a_shared_table_is_the_table_built)
{
    double mn = 1, mo = 3, mx = 8;
    wa_dist_arg args[3] = {{"min", &mn, 1, 0}, {"mode", &mo, 1, 0}, {"max", &mx, 1, 0}};
    wa_dist a, b, c;
    cr_assert_eq(wa_dist_make(&a, "pert", args, 3, NULL), 0);
    cr_assert_eq(wa_dist_define(&b, "pert", args, 3, NULL), 0);
    cr_expect_eq(wa_dist_share_table(&b, &a), 1);
    cr_assert(b.table && b.table != a.table);
    cr_expect(!memcmp(a.table, b.table, sizeof *a.table));
    cr_expect(wa_dist_same(&a, &b));
    mo = 4; /* another distribution: nothing shared */
    cr_assert_eq(wa_dist_define(&c, "pert", args, 3, NULL), 0);
    cr_expect(!wa_dist_same(&a, &c));
    cr_expect_eq(wa_dist_share_table(&c, &a), 0);
    cr_expect_null(c.table);
    wa_dist_free(&a);
    wa_dist_free(&b);
    wa_dist_free(&c);
}

/* wa_dist_from_z, the copula's shortcut (dist.h): Q(Phi(z)) from the score itself, against
   the exact quantile at u = Phi(z) (GSL's Phi). Below z = 0 u keeps its relative
   precision, so the comparison is as tight as the table's bound (1e-9 of the range, or
   relative); above it, u's spacing below 1 limits the reference, so the scores stop where
   1 - u still has 7 digits (z = 5). For the normal and the lognormal (m + s z and
   exp(m + s z)) the reference's own round trip through GSL's Phi and Phi^-1 is what
   limits: 1e-10 of the sd, or relative. */
static double phi(double z) { return gsl_cdf_ugaussian_P(z); }

static void from_z_matches(const wa_dist *d, int relative, double tol, double sd)
{
    double lo, hi;
    wa_dist_support(d, &lo, &hi);
    cr_assert(wa_dist_takes_z(d));
    for (int i = 0; i <= 2000; i++) {
        double z = -8.1 + 13.1 * i / 2000, u = phi(z), x, ex = wa_dist_quantile(d, u);
        wa_dist_from_z(d, &z, &x, 1);
        double scale = sd > 0 ? sd : relative ? fabs(ex) : hi - lo;
        cr_assert(fabs(x - ex) <= tol * scale, "z %.17g: %.17g, exact %.17g", z, x, ex);
    }
}

Test(qtable, scores_give_the_quantile_of_their_uniform)
{
    wa_dist g = make3("gamma", "shape", 2.5, "scale", 3, NULL, 0);
    wa_dist b = make3("beta", "a", 0.5, "b", 2, NULL, 0);
    wa_dist p = make3("pert", "min", 10, "mode", 25, "max", 80);
    wa_dist n = make_any("normal", "mean", 100, "sd", 15, NULL, 0);
    wa_dist l = make_any("lognormal", "p10", 80e3, "p90", 250e3, NULL, 0);
    from_z_matches(&g, 1, 1e-9, 0);
    from_z_matches(&b, 0, 1e-9, 0);
    from_z_matches(&p, 0, 1e-9, 0);
    from_z_matches(&n, 0, 1e-10, 15);
    from_z_matches(&l, 1, 1e-10, 0);
    /* beyond the uniforms' extremes the scores stop where Phi's clamp stops u */
    double z[2] = {-40, 40}, x[2], u[2] = {0x1p-53, 1 - 0x1p-53}, y[2];
    wa_dist_from_z(&n, z, x, 2);
    wa_dist_quantiles(&n, u, y, 2);
    cr_assert(fabs(x[0] - y[0]) <= 1e-12 * fabs(y[0]) && fabs(x[1] - y[1]) <= 1e-12 * fabs(y[1]),
              "%.17g %.17g against %.17g %.17g", x[0], x[1], y[0], y[1]);
    /* a Bernoulli: 1 exactly when u = Phi(z) is above 1 - p */
    wa_dist_error e;
    double pv = 0.35;
    wa_dist_arg arg = {"p", &pv, 1, 0};
    wa_dist bern;
    cr_assert_eq(wa_dist_make(&bern, "bernoulli", &arg, 1, &e), 0, "%s", e.message);
    cr_assert(wa_dist_takes_z(&bern));
    for (int i = 0; i <= 2000; i++) {
        double s = -4 + 8.0 * i / 2000, v = phi(s), xs, xu;
        if (fabs(v - 0.65) < 1e-12)
            continue; /* at the threshold itself Phi's rounding may decide either way */
        wa_dist_from_z(&bern, &s, &xs, 1);
        wa_dist_quantiles(&bern, &v, &xu, 1);
        cr_assert_eq(xs, xu, "z %.17g", s);
    }
    cr_assert(!wa_dist_takes_z(&(wa_dist){.kind = WA_DIST_UNIFORM}));
    wa_dist_free(&g);
    wa_dist_free(&b);
    wa_dist_free(&p);
    wa_dist_free(&n);
    wa_dist_free(&l);
    wa_dist_free(&bern);
}
