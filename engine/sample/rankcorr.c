/*
 * rankcorr.c — normal-score correlations for rank correlations with ties (see rankcorr.h).
 *
 * An input is described in normal-score space by its steps: cut points c_0 < ... < c_{m-2}
 * where its value changes (c_k = Phi^-1(F(x_k))) and the mid-distribution value g_k of each
 * step. A continuous input is the limit: g(z) = Phi(z). With Z2 = r Z1 + s W, s^2 = 1 - r^2:
 *   E[g2(Z2) | Z1 = z] = sum_k g2_k (Phi((c_k - r z)/s) - Phi((c_{k-1} - r z)/s))  (steps)
 *                      = Phi(r z / sqrt(1 + s^2))                                (continuous)
 * and E[g1(Z1) g2(Z2)] is one integral over z, split at a's cut points and taken by
 * 32-point Gauss–Legendre on pieces at most one unit wide.
 */
#include "sample/rankcorr.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>

#define ZMAX 8.5 /* beyond, the normal density is below 1e-15 */
#define RMAX 0.9999

typedef struct steps {
    size_t m;          /* 0: continuous */
    double cut[WA_RANKCORR_MAXSTEPS];
    double g[WA_RANKCORR_MAXSTEPS];
    double mean, var;  /* of the mid-distribution transform */
} steps;

/* The cumulative probabilities of d's values, ascending; the count, or 0 when d has no
   ties worth the name (continuous, or too many values). */
static size_t cumulative(const wa_dist *d, double *cum)
{
    switch (d->kind) {
    case WA_DIST_BERNOULLI:
        if (d->p[0] <= 0 || d->p[0] >= 1)
            return 0; /* a constant: no rank correlation to speak of */
        cum[0] = 1 - d->p[0];
        cum[1] = 1;
        return 2;
    case WA_DIST_DISCRETE:
        if (d->nvalues < 2 || d->nvalues > WA_RANKCORR_MAXSTEPS)
            return 0;
        for (size_t k = 0; k < d->nvalues; k++)
            cum[k] = d->cum[k];
        return d->nvalues;
    case WA_DIST_POISSON: {
        size_t k = 0;
        double F = 0;
        while (k < WA_RANKCORR_MAXSTEPS && F < 1 - 1e-12) {
            F = gsl_cdf_poisson_P((unsigned)k, d->p[0]);
            cum[k++] = F;
        }
        if (F < 1 - 1e-12 || k < 2)
            return 0;
        cum[k - 1] = 1;
        return k;
    }
    default:
        return 0;
    }
}

static void make_steps(const wa_dist *d, steps *s)
{
    double cum[WA_RANKCORR_MAXSTEPS];
    s->m = cumulative(d, cum);
    if (!s->m) {
        s->mean = 0.5, s->var = 1.0 / 12;
        return;
    }
    double prev = 0, m1 = 0, m2 = 0;
    for (size_t k = 0; k < s->m; k++) {
        double pk = cum[k] - prev;
        s->g[k] = (cum[k] + prev) / 2;
        m1 += pk * s->g[k];
        m2 += pk * s->g[k] * s->g[k];
        if (k + 1 < s->m)
            s->cut[k] = cum[k] <= 0 ? -INFINITY : gsl_cdf_ugaussian_Pinv(cum[k]);
        prev = cum[k];
    }
    s->mean = m1, s->var = m2 - m1 * m1;
}

/* E[g_b(Z2) | Z1 = z] */
static double inner(const steps *b, double r, double z)
{
    double s = sqrt(1 - r * r);
    if (!b->m)
        return gsl_cdf_ugaussian_P(r * z / sqrt(1 + s * s));
    double acc = 0, lo = 0; /* Phi((c_{k-1} - r z) / s) */
    for (size_t k = 0; k < b->m; k++) {
        double hi = k + 1 < b->m ? gsl_cdf_ugaussian_P((b->cut[k] - r * z) / s) : 1;
        acc += b->g[k] * (hi - lo);
        lo = hi;
    }
    return acc;
}

static double spearman(const steps *a, const steps *b, double r,
                       const gsl_integration_glfixed_table *gl)
{
    /* the pieces of [-ZMAX, ZMAX] between a's cut points, each on a constant g_a (steps)
       or on g_a = Phi (continuous) */
    double e = 0;
    size_t nseg = a->m ? a->m : 1;
    for (size_t k = 0; k < nseg; k++) {
        double lo = a->m && k > 0 ? a->cut[k - 1] : -ZMAX;
        double hi = a->m && k + 1 < a->m ? a->cut[k] : ZMAX;
        lo = lo < -ZMAX ? -ZMAX : lo;
        hi = hi > ZMAX ? ZMAX : hi;
        if (!(hi > lo))
            continue;
        int pieces = (int)ceil(hi - lo);
        double w = (hi - lo) / pieces;
        for (int p = 0; p < pieces; p++) {
            double a0 = lo + p * w;
            for (size_t i = 0; i < gl->n; i++) {
                double z, wi;
                gsl_integration_glfixed_point(a0, a0 + w, i, &z, &wi, gl);
                double ga = a->m ? a->g[k] : gsl_cdf_ugaussian_P(z);
                double phi = exp(-0.5 * z * z) * 0.39894228040143267794;
                e += wi * ga * inner(b, r, z) * phi;
            }
        }
    }
    return (e - a->mean * b->mean) / sqrt(a->var * b->var);
}

int wa_rankcorr_has_ties(const wa_dist *d)
{
    double cum[WA_RANKCORR_MAXSTEPS];
    return cumulative(d, cum) > 0;
}

double wa_rankcorr_spearman(const wa_dist *a, const wa_dist *b, double r)
{
    steps sa, sb;
    make_steps(a, &sa);
    make_steps(b, &sb);
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(32);
    if (!gl)
        return NAN;
    double v = spearman(&sa, &sb, r, gl);
    gsl_integration_glfixed_table_free(gl);
    return v;
}

double wa_rankcorr_solve(const wa_dist *a, const wa_dist *b, double rho, int *reachable,
                         double *best)
{
    steps sa, sb;
    make_steps(a, &sa);
    make_steps(b, &sb);
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(32);
    if (!gl)
        return NAN;
    double r = NAN;
    double lim = spearman(&sa, &sb, rho > 0 ? RMAX : -RMAX, gl);
    *reachable = 1;
    *best = rho;
    if ((rho > 0 && rho > lim) || (rho < 0 && rho < lim)) {
        *reachable = 0;
        *best = lim;
        r = rho > 0 ? RMAX : -RMAX;
    } else {
        /* bisection: the Spearman is increasing in r; 50 halvings reach 1e-15 */
        double lo = rho > 0 ? 0 : -RMAX, hi = rho > 0 ? RMAX : 0;
        for (int it = 0; it < 50; it++) {
            double mid = (lo + hi) / 2;
            if (spearman(&sa, &sb, mid, gl) < rho)
                lo = mid;
            else
                hi = mid;
        }
        r = (lo + hi) / 2;
    }
    gsl_integration_glfixed_table_free(gl);
    return r;
}
