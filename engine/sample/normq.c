/*
 * normq.c — AS 241 over blocks (see normq.h).
 *
 * Invariant: the result is the same for a value whether it is computed alone or in a
 * block, at any position (the passes do the same arithmetic per element), so a draw never
 * depends on its neighbours.
 */
#include "sample/normq.h"

#include <math.h>
#include <string.h>

#include "util/vmath.h"
#include "util/simd.h"

/* |u - 1/2| <= 0.425: z = q A(r) / B(r), r = 0.180625 - q^2 */
static const double A[8] = {3.3871328727963666080e0, 1.3314166789178437745e+2,
                            1.9715909503065514427e+3, 1.3731693765509461125e+4,
                            4.5921953931549871457e+4, 6.7265770927008700853e+4,
                            3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double B[8] = {1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2,
                            5.3941960214247511077e+3, 2.1213794301586595867e+4,
                            3.9307895800092710610e+4, 2.8729085735721942674e+4,
                            5.2264952788528545610e+3};
/* tails, r = sqrt(-ln min(u, 1-u)) <= 5: C(r - 1.6) / D(r - 1.6) */
static const double C[8] = {1.42343711074968357734e0, 4.63033784615654529590e0,
                            5.76949722146069140550e0, 3.64784832476320460504e0,
                            1.27045825245236838258e0, 2.41780725177450611770e-1,
                            2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double D[8] = {1.0, 2.05319162663775882187e0, 1.67638483018380384940e0,
                            6.89767334985100004550e-1, 1.48103976427480074590e-1,
                            1.51986665636164571966e-2, 5.47593808499534494600e-4,
                            1.05075007164441684324e-9};
/* far tails, r > 5: E(r - 5) / F(r - 5) */
static const double E[8] = {6.65790464350110377720e0, 5.46378491116411436990e0,
                            1.78482653991729133580e0, 2.96560571828504891230e-1,
                            2.65321895265761230930e-2, 1.24266094738807843860e-3,
                            2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double F[8] = {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1,
                            1.48753612908506148525e-2, 7.86869131145613259100e-4,
                            1.84631831751005468180e-5, 1.42151175831644588870e-7,
                            2.04426310338993978564e-15};

static inline double poly7(const double *c, double r)
{
    return ((((((c[7] * r + c[6]) * r + c[5]) * r + c[4]) * r + c[3]) * r + c[2]) * r + c[1]) *
               r + c[0];
}

/* The tails, |u - 1/2| > 0.425. Branch-free (both tail formulas, then a choice), with the
   vectorisable log of vmath.h, so that a loop over a list of tail draws vectorises. */
static inline double tail(double u)
{
    double q = u - 0.5;
    double r = sqrt(-wa_log(q < 0 ? u : 1 - u)); /* 1 - u is exact for u >= 1/2 */
    double r1 = r - 1.6, r2 = r - 5;
    double z1 = poly7(C, r1) / poly7(D, r1), z2 = poly7(E, r2) / poly7(F, r2);
    double z = r <= 5 ? z1 : z2;
    return q < 0 ? -z : z;
}

double wa_normal_quantile(double u)
{
    double q = u - 0.5;
    if (fabs(q) > 0.425)
        return tail(u);
    double r = 0.180625 - q * q;
    return q * poly7(A, r) / poly7(B, r);
}

WA_VECTORISED
void wa_normal_quantiles(const double *u, double *z, size_t n)
{
    enum { CHUNK = 512 };
    double v[CHUNK]; /* the chunk's uniforms: z may overwrite u */
    for (size_t s = 0; s < n; s += CHUNK) {
        size_t m = n - s < CHUNK ? n - s : CHUNK;
        double *zz = z + s;
        memcpy(v, u + s, m * sizeof *v);
        /* Pass 1, branch-free so that it vectorises: the central formula for every
           element (for a tail element, a finite placeholder replaced below). */
        for (size_t i = 0; i < m; i++) {
            double q = v[i] - 0.5, r = 0.180625 - q * q;
            zz[i] = q * poly7(A, r) / poly7(B, r);
        }
        /* Pass 2: the tails, about 15% of uniform draws, which come at random: list them
           without a branch (a branch per element would be mispredicted every seventh
           draw), gather them, run the vectorised tail formula over the list, scatter. */
        size_t idx[CHUNK], k = 0;
        double tv[CHUNK];
        for (size_t i = 0; i < m; i++) {
            idx[k] = i;
            k += fabs(v[i] - 0.5) > 0.425;
        }
        for (size_t j = 0; j < k; j++)
            tv[j] = v[idx[j]];
        for (size_t j = 0; j < k; j++)
            tv[j] = tail(tv[j]);
        for (size_t j = 0; j < k; j++)
            zz[idx[j]] = tv[j];
    }
}
