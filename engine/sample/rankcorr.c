/*
 * rankcorr.c — normal-score correlations for rank correlations with ties (see rankcorr.h).
 *
 * An input is described in normal-score space by its steps: cut points c_0 < ... < c_{m-2}
 * where its value changes (c_k = Phi^-1(F(x_k))) and the mid-distribution value g_k of each
 * step. A continuous input is the limit: g(z) = Phi(z). With Z2 = r Z1 + s W, s^2 = 1 - r^2:
 *   E[g2(Z2) | Z1 = z] = sum_k g2_k (Phi((c_k - r z)/s) - Phi((c_{k-1} - r z)/s))  (steps)
 *                      = Phi(r z / sqrt(1 + s^2))                                (continuous)
 * and E[g1(Z1) g2(Z2)] is one integral over z, split at a's cut points and taken by
 * 32-point Gauss–Legendre on pieces at most one unit wide: a weighted sum over nodes that
 * do not depend on r, so the solve for r (Brent's method) only takes Phi again.
 */
#include "sample/rankcorr.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

#include "sample/correlate.h"
#include "util/alloc.h"
#include "util/names.h"

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

/* The integral E[g_a(Z1) g_b(Z2)] as a weighted sum over fixed nodes: the nodes, and their
   weights times g_a(z) phi(z), do not depend on r, so they are worked out once a pair; each
   evaluation at an r then takes Phi of all its arguments in one vectorised call
   (wa_normal_cdfs, 5e-16 relative) instead of one C library call each. */
typedef struct integral {
    const steps *a, *b;
    size_t n, nc;  /* nodes; b's cut points (1 for a continuous b) */
    double *z, *w; /* n nodes and their weights */
    double *arg;   /* n * nc arguments of Phi, then its values */
} integral;

static void integral_free(integral *in)
{
    wa_free(in->z);
    wa_free(in->w);
    wa_free(in->arg);
}

/* The nodes: [-ZMAX, ZMAX] cut at a's cut points, each piece on a constant g_a (steps) or
   on g_a = Phi (continuous), split into parts at most one unit wide, 32-point
   Gauss–Legendre on each. Returns -1 on out of memory. */
static int integral_make(integral *in, const steps *a, const steps *b,
                         const gsl_integration_glfixed_table *gl)
{
    /* the pieces' parts: at most the whole width plus one a piece */
    size_t nseg = a->m ? a->m : 1, cap = ((size_t)ceil(2 * ZMAX) + nseg) * gl->n;
    in->a = a, in->b = b, in->n = 0, in->nc = b->m ? b->m - 1 : 1;
    in->z = wa_malloc(cap * sizeof *in->z);
    in->w = wa_malloc(cap * sizeof *in->w);
    in->arg = wa_malloc(cap * (in->nc ? in->nc : 1) * sizeof *in->arg);
    double *ga = wa_malloc(cap * sizeof *ga);
    if (!in->z || !in->w || !in->arg || !ga) {
        wa_free(ga);
        integral_free(in);
        return -1;
    }
    for (size_t k = 0; k < nseg; k++) {
        double lo = a->m && k > 0 ? a->cut[k - 1] : -ZMAX;
        double hi = a->m && k + 1 < a->m ? a->cut[k] : ZMAX;
        lo = lo < -ZMAX ? -ZMAX : lo;
        hi = hi > ZMAX ? ZMAX : hi;
        if (!(hi > lo))
            continue;
        int pieces = (int)ceil(hi - lo);
        double width = (hi - lo) / pieces;
        for (int p = 0; p < pieces; p++)
            for (size_t i = 0; i < gl->n; i++, in->n++) {
                gsl_integration_glfixed_point(lo + p * width, lo + (p + 1) * width, i,
                                              &in->z[in->n], &in->w[in->n], gl);
                ga[in->n] = a->m ? a->g[k] : 0;
            }
    }
    if (!a->m)
        wa_normal_cdfs(in->z, ga, in->n);
    for (size_t i = 0; i < in->n; i++)
        in->w[i] *= ga[i] * exp(-0.5 * in->z[i] * in->z[i]) * 0.39894228040143267794;
    wa_free(ga);
    return 0;
}

/* The population Spearman correlation at normal-score correlation r. With steps,
   E[g_b(Z2) | Z1 = z] = sum_k g_k (Phi((c_k - r z)/s) - Phi((c_{k-1} - r z)/s));
   continuous, Phi(r z / sqrt(1 + s^2)). */
static double spearman(integral *in, double r)
{
    const steps *b = in->b;
    double s = sqrt(1 - r * r), e = 0;
    size_t n = in->n, nc = in->nc;
    if (!b->m) {
        double f = r / sqrt(1 + s * s);
        for (size_t i = 0; i < n; i++)
            in->arg[i] = f * in->z[i];
    } else {
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < nc; k++)
                in->arg[i * nc + k] = (b->cut[k] - r * in->z[i]) / s;
    }
    wa_normal_cdfs(in->arg, in->arg, n * nc);
    for (size_t i = 0; i < n; i++) {
        double inner;
        if (!b->m) {
            inner = in->arg[i];
        } else {
            double lo = 0;
            inner = 0;
            for (size_t k = 0; k < b->m; k++) {
                double hi = k < nc ? in->arg[i * nc + k] : 1;
                inner += b->g[k] * (hi - lo);
                lo = hi;
            }
        }
        e += in->w[i] * inner;
    }
    return (e - in->a->mean * b->mean) / sqrt(in->a->var * b->var);
}

int wa_rankcorr_has_ties(const wa_dist *d)
{
    double cum[WA_RANKCORR_MAXSTEPS];
    return cumulative(d, cum) > 0;
}

uint64_t wa_rankcorr_key(const wa_dist *a, const wa_dist *b, double rho)
{
    double buf[2 * WA_RANKCORR_MAXSTEPS + 3];
    size_t ma = cumulative(a, buf + 1);
    buf[0] = (double)ma;
    size_t mb = cumulative(b, buf + ma + 2);
    buf[ma + 1] = (double)mb;
    buf[ma + mb + 2] = rho;
    return wa_hash((const char *)buf, (ma + mb + 3) * sizeof *buf);
}

int wa_rankcorr_alike(const wa_dist *a, const wa_dist *b)
{
    double ca[WA_RANKCORR_MAXSTEPS], cb[WA_RANKCORR_MAXSTEPS];
    size_t m = cumulative(a, ca);
    if (m != cumulative(b, cb))
        return 0;
    for (size_t k = 0; k < m; k++)
        if (ca[k] != cb[k])
            return 0;
    return 1;
}

double wa_rankcorr_spearman(const wa_dist *a, const wa_dist *b, double r)
{
    steps sa, sb;
    make_steps(a, &sa);
    make_steps(b, &sb);
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(32);
    integral in;
    if (!gl)
        return NAN;
    if (integral_make(&in, &sa, &sb, gl)) {
        gsl_integration_glfixed_table_free(gl);
        return NAN;
    }
    double v = spearman(&in, r);
    integral_free(&in);
    gsl_integration_glfixed_table_free(gl);
    return v;
}

typedef struct target {
    integral *in;
    double rho;
} target;

static double miss(double r, void *p)
{
    target *t = p;
    return spearman(t->in, r) - t->rho;
}

/* The root of spearman(r) = rho in [lo, hi], where the Spearman is increasing in r and
   crosses rho: Brent's method (GSL), to 1e-15 in r, in about ten evaluations where
   halving took fifty. */
static double solve(integral *in, double rho, double lo, double hi)
{
    target t = {in, rho};
    double flo = miss(lo, &t), fhi = miss(hi, &t);
    if (!(flo < 0))
        return lo;
    if (!(fhi > 0))
        return hi;
    gsl_function f = {miss, &t};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    double r = (lo + hi) / 2;
    if (gsl_root_fsolver_set(s, &f, lo, hi) == GSL_SUCCESS)
        for (int it = 0; it < 100; it++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            r = gsl_root_fsolver_root(s);
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                       1e-15, 0) == GSL_SUCCESS)
                break;
        }
    gsl_root_fsolver_free(s);
    return r;
}

double wa_rankcorr_solve(const wa_dist *a, const wa_dist *b, double rho, int *reachable,
                         double *best)
{
    steps sa, sb;
    make_steps(a, &sa);
    make_steps(b, &sb);
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(32);
    integral in;
    if (!gl)
        return NAN;
    if (integral_make(&in, &sa, &sb, gl)) {
        gsl_integration_glfixed_table_free(gl);
        return NAN;
    }
    double r;
    double lim = spearman(&in, rho > 0 ? RMAX : -RMAX);
    *reachable = 1;
    *best = rho;
    if ((rho > 0 && rho > lim) || (rho < 0 && rho < lim)) {
        *reachable = 0;
        *best = lim;
        r = rho > 0 ? RMAX : -RMAX;
    } else if (rho == 0) {
        r = 0;
    } else {
        r = rho > 0 ? solve(&in, rho, 0, RMAX) : solve(&in, rho, -RMAX, 0);
    }
    integral_free(&in);
    gsl_integration_glfixed_table_free(gl);
    return r;
}
