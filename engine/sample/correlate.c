/*
 * correlate.c — the Gaussian copula of SPEC §1.3 (see correlate.h): Spearman to Pearson,
 * the positive-definiteness check, the nearest-correlation-matrix repair, the Cholesky
 * factor, its application to a block of normal scores, and the warning's matrix layout.
 *
 * Invariants. Every matrix here is k×k, row-major, symmetric (only the lower triangle is
 * computed, then mirrored, so symmetry is exact), and a correlation matrix has a diagonal of
 * exactly 1. The plan's L has exact zeros above its diagonal. GSL only ever sees views of
 * our own arrays and matrices already known to be positive definite.
 */
#include "sample/correlate.h"
#include "util/simd.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

static const double PI = 3.14159265358979323846;

/* Dykstra iterations stop when X, Y and their gap all move by less than this, relative to
   their Frobenius norms (Higham 2002, §3); the iteration converges linearly, and past the
   cap the eigenvalue floor still makes whatever it reached valid, only not the nearest. */
static const double REPAIR_TOL = 1e-12;
static const int REPAIR_MAXIT = 10000;
/* The most rounds times k^3: 10000 rounds up to k = 49, 44 at k = WA_CORR_REPAIR_MAX
   (each round about 0.065 s there, on one core: about 3 s in all). */
static const double REPAIR_BUDGET = 1.2e9;

/* ------------------------------------------------------------------------------------- */
/* Conversions                                                                            */

double wa_spearman_to_pearson(double rho) { return 2.0 * sin(PI * rho / 6.0); }

double wa_pearson_to_spearman(double r)
{
    /* Clamped against rounding just outside [-1, 1]. */
    r = r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
    return 6.0 / PI * asin(r / 2.0);
}

/* ------------------------------------------------------------------------------------- */
/* Eigen-decomposition and the projections                                                */

/* Workspace of the eigen-decompositions and of the repair. M and V are borrowed from the
   plan (its spearman_used and L), which are written only after each decomposition they
   hold has been used; the repair's matrices are allocated only when a repair is needed, so
   that a valid matrix costs the plan's own three matrices of k x k doubles, not 13. */
typedef struct repair_ws {
    size_t k;
    double *M;   /* copy destroyed by the eigensolver */
    double *V;   /* eigenvectors, column m is the m-th */
    double *lam; /* eigenvalues */
    double *Y, *dS, *R, *X, *Xold, *Yold; /* the repair's, or NULL */
    gsl_eigen_symmv_workspace *w;
} repair_ws;

static void repair_ws_free(repair_ws *ws)
{
    wa_free(ws->lam);
    wa_free(ws->Y);
    wa_free(ws->dS);
    wa_free(ws->R);
    wa_free(ws->X);
    wa_free(ws->Xold);
    wa_free(ws->Yold);
    if (ws->w)
        gsl_eigen_symmv_free(ws->w);
    memset(ws, 0, sizeof *ws);
}

/* The eigensolver's workspace, with M and V borrowed (k x k doubles each). 0, or -1 when
   out of memory (nothing is kept). */
static int repair_ws_alloc(repair_ws *ws, size_t k, double *M, double *V)
{
    memset(ws, 0, sizeof *ws);
    ws->k = k;
    ws->M = M;
    ws->V = V;
    ws->lam = wa_malloc(k * sizeof(double));
    ws->w = ws->lam ? gsl_eigen_symmv_alloc(k) : NULL;
    if (!ws->lam || !ws->w) {
        repair_ws_free(ws);
        return -1;
    }
    return 0;
}

/* The repair's own matrices. 0, or -1 when out of memory (repair_ws_free frees those
   that were made). */
static int repair_ws_grow(repair_ws *ws)
{
    size_t kk = ws->k * ws->k;
    ws->Y = wa_malloc(kk * sizeof(double));
    ws->dS = wa_malloc(kk * sizeof(double));
    ws->R = wa_malloc(kk * sizeof(double));
    ws->X = wa_malloc(kk * sizeof(double));
    ws->Xold = wa_malloc(kk * sizeof(double));
    ws->Yold = wa_malloc(kk * sizeof(double));
    return ws->Y && ws->dS && ws->R && ws->X && ws->Xold && ws->Yold ? 0 : -1;
}

/* Eigenvalues (ws->lam) and eigenvectors (ws->V) of the symmetric a; the smallest
   eigenvalue is returned. a is not modified. */
static double eigen(repair_ws *ws, const double *a)
{
    size_t k = ws->k;
    memcpy(ws->M, a, k * k * sizeof(double));
    gsl_matrix_view M = gsl_matrix_view_array(ws->M, k, k);
    gsl_matrix_view V = gsl_matrix_view_array(ws->V, k, k);
    gsl_vector_view lam = gsl_vector_view_array(ws->lam, k);
    /* Cannot fail: the sizes match by construction. */
    gsl_eigen_symmv(&M.matrix, &lam.vector, &V.matrix, ws->w);
    double mn = ws->lam[0];
    for (size_t m = 1; m < k; m++)
        mn = fmin(mn, ws->lam[m]);
    return mn;
}

/* out = V diag(max(lam, eig_floor)) V^T from the decomposition in ws: with eig_floor 0, the
   projection onto the positive semidefinite matrices in the Frobenius norm. */
static void rebuild(const repair_ws *ws, double eig_floor, double *out)
{
    size_t k = ws->k;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0.0;
            for (size_t m = 0; m < k; m++) {
                double l = ws->lam[m] > eig_floor ? ws->lam[m] : eig_floor;
                if (l != 0.0)
                    s += l * ws->V[i * k + m] * ws->V[j * k + m];
            }
            out[i * k + j] = out[j * k + i] = s;
        }
}

static double frob(const double *a, size_t kk)
{
    double s = 0.0;
    for (size_t i = 0; i < kk; i++)
        s += a[i] * a[i];
    return sqrt(s);
}

static double frob_diff(const double *a, const double *b, size_t kk)
{
    double s = 0.0;
    for (size_t i = 0; i < kk; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

/* The nearest correlation matrix to the symmetric a, into out: Higham (2002) Algorithm 3.3
   with W = I — alternating projections onto S (positive semidefinite) and U (unit
   diagonal), with Dykstra's correction dS applied before each projection onto S (U is an
   affine subspace and needs none). Stops when
       max(|X - X_prev|, |Y - Y_prev|, |Y - X|) / norms <= REPAIR_TOL
   or after REPAIR_MAXIT iterations. Then the eigenvalues of Y are floored at eig_floor and the
   diagonal rescaled to exactly 1 (D^-1/2 X D^-1/2: the smallest eigenvalue stays above
   eig_floor / (1 + eig_floor)). The rounds are capped by REPAIR_BUDGET as well. Returns
   1 when the iteration converged, 0 when it stopped at its cap. */
static int nearest_correlation(repair_ws *ws, const double *a, double eig_floor, double *out)
{
    size_t k = ws->k, kk = k * k;
    double cube = (double)k * (double)k * (double)k;
    int maxit = cube * REPAIR_MAXIT <= REPAIR_BUDGET ? REPAIR_MAXIT : (int)(REPAIR_BUDGET / cube);
    maxit = maxit < 10 ? 10 : maxit;
    int converged = 0;
    memcpy(ws->Y, a, kk * sizeof(double));
    memcpy(ws->X, a, kk * sizeof(double));
    memset(ws->dS, 0, kk * sizeof(double));
    int it = 0;
    while (it < maxit) {
        it++;
        memcpy(ws->Xold, ws->X, kk * sizeof(double));
        memcpy(ws->Yold, ws->Y, kk * sizeof(double));
        for (size_t i = 0; i < kk; i++)
            ws->R[i] = ws->Y[i] - ws->dS[i];
        eigen(ws, ws->R);
        rebuild(ws, 0.0, ws->X);
        for (size_t i = 0; i < kk; i++)
            ws->dS[i] = ws->X[i] - ws->R[i];
        memcpy(ws->Y, ws->X, kk * sizeof(double));
        for (size_t i = 0; i < k; i++)
            ws->Y[i * k + i] = 1.0;
        double nx = frob(ws->X, kk), ny = frob(ws->Y, kk);
        double dx = frob_diff(ws->X, ws->Xold, kk) / nx;
        double dy = frob_diff(ws->Y, ws->Yold, kk) / ny;
        double dxy = frob_diff(ws->Y, ws->X, kk) / ny;
        if (fmax(dx, fmax(dy, dxy)) <= REPAIR_TOL) {
            converged = 1;
            break;
        }
    }
    eigen(ws, ws->Y);
    rebuild(ws, eig_floor, out);
    for (size_t i = 0; i < k; i++)
        ws->lam[i] = sqrt(out[i * k + i]); /* lam is free again: reuse it for D^1/2 */
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < i; j++)
            out[i * k + j] = out[j * k + i] = out[i * k + j] / (ws->lam[i] * ws->lam[j]);
        out[i * k + i] = 1.0;
    }
    return converged;
}

/* L = the lower Cholesky factor of the positive definite a (upper triangle zeroed). work
   is k×k scratch. Returns 0, or -1 when GSL finds a is not positive definite — callers make
   sure it is, so that GSL's error handler, if still the aborting default, is not reached. */
static int cholesky(const double *a, size_t k, double *work, double *L)
{
    memcpy(work, a, k * k * sizeof(double));
    gsl_matrix_view W = gsl_matrix_view_array(work, k, k);
    if (gsl_linalg_cholesky_decomp1(&W.matrix) != GSL_SUCCESS)
        return -1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            L[i * k + j] = j <= i ? work[i * k + j] : 0.0;
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* The plan                                                                               */

static int valid_spearman(size_t k, const double *s)
{
    for (size_t i = 0; i < k; i++) {
        if (s[i * k + i] != 1.0)
            return 0;
        for (size_t j = 0; j < i; j++) {
            double v = s[i * k + j];
            /* !(|v| <= 1) also rejects NaN */
            if (!(fabs(v) <= 1.0) || v != s[j * k + i])
                return 0;
        }
    }
    return 1;
}

int wa_corr_plan_make(wa_corr_plan *plan, size_t k, const double *spearman)
{
    memset(plan, 0, sizeof *plan);
    if (k == 0)
        return 0;
    /* Catch size_t overflow in k * k * sizeof(double), before reading k * k entries. */
    if (k > SIZE_MAX / sizeof(double) / k)
        return -1;
    if (!valid_spearman(k, spearman))
        return -1;
    size_t kk = k * k;
    int rc = -1;
    double *pearson = NULL, *fixed = NULL;
    double eig_floor = WA_CORR_EIG_FLOOR;
    repair_ws ws = {0};
    plan->k = k;
    plan->L = wa_malloc(kk * sizeof(double));
    plan->spearman_target = wa_malloc(kk * sizeof(double));
    plan->spearman_used = wa_malloc(kk * sizeof(double));
    if (!plan->L || !plan->spearman_target || !plan->spearman_used ||
        repair_ws_alloc(&ws, k, plan->spearman_used, plan->L) != 0)
        goto cleanup;

    /* The Pearson matrix is made in the target's room, which gets its copy of the
       Spearman values last: no k x k matrix of its own unless a repair needs one */
    pearson = plan->spearman_target;
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < i; j++)
            pearson[i * k + j] = pearson[j * k + i] = wa_spearman_to_pearson(spearman[i * k + j]);
        pearson[i * k + i] = 1.0;
    }

    /* The eigenvalue check first, so that Cholesky is only tried on a matrix it will
       accept; its return code is still the last word. */
    if (eigen(&ws, pearson) >= WA_CORR_PD_MIN && cholesky(pearson, k, ws.M, plan->L) == 0) {
        memcpy(plan->spearman_used, spearman, kk * sizeof(double));
        rc = 0;
        goto cleanup;
    }

    plan->repaired = 1;
    if (k > WA_CORR_REPAIR_MAX) {
        rc = -2;
        goto cleanup;
    }
    fixed = wa_malloc(kk * sizeof(double));
    if (!fixed || repair_ws_grow(&ws) != 0)
        goto cleanup;
    /* The floored result has its smallest eigenvalue near the floor, far above what
       Cholesky needs for any practical k; should it still fail, a higher floor is tried. */
    for (int attempt = 0; attempt < 5 && rc != 0; attempt++, eig_floor *= 10.0) {
        plan->nearest = nearest_correlation(&ws, pearson, eig_floor, fixed);
        if (eigen(&ws, fixed) > 0.0 && cholesky(fixed, k, ws.M, plan->L) == 0) {
            for (size_t i = 0; i < k; i++) {
                for (size_t j = 0; j < i; j++)
                    plan->spearman_used[i * k + j] = plan->spearman_used[j * k + i] =
                        wa_pearson_to_spearman(fixed[i * k + j]);
                plan->spearman_used[i * k + i] = 1.0;
            }
            rc = 0;
        }
    }

cleanup:
    if (rc == 0)
        memcpy(plan->spearman_target, spearman, kk * sizeof(double));
    wa_free(fixed);
    repair_ws_free(&ws);
    if (rc != 0)
        wa_corr_plan_free(plan);
    return rc;
}

void wa_corr_plan_free(wa_corr_plan *plan)
{
    if (!plan)
        return;
    wa_free(plan->L);
    wa_free(plan->spearman_target);
    wa_free(plan->spearman_used);
    memset(plan, 0, sizeof *plan);
}

/* ------------------------------------------------------------------------------------- */
/* The simulation loop                                                                    */

/* The mixing of one run of RUN trials, copied into a tile of its own: the k columns lie a
   block apart (32 KiB), so their runs would fall on the same sets of the first-level cache
   and evict one another; contiguous, they stay there for all k rows. Each row's sums are
   kept in registers: GCC's vectors of W doubles, NV chains side by side, the same
   arithmetic per element whatever W. W = 8 on AVX-512 (one instruction a vector; the
   mixing of the dense copula takes 15 ns a trial against 25 ns with W = 4, and its whole
   run 1% to 3% less time); W = 4 elsewhere (with AVX2, W = 8 would need all 16 registers for
   the sums and spill: 171 ns a trial). */
enum { RUN = 64, TILE_K = 64 };
#define MIX_RUN(name, W)                                                                       \
    typedef double name##_vec __attribute__((vector_size(8 * (W))));                           \
    WA_KERNEL void name(const double *restrict L, size_t k, double *const *z, size_t at)       \
    {                                                                                          \
        enum { NV = RUN / (W) };                                                               \
        name##_vec tile[TILE_K][NV];                                                           \
        for (size_t j = 0; j < k; j++)                                                         \
            memcpy(tile[j], z[j] + at, sizeof tile[j]);                                        \
        for (size_t j = k; j > 0 ? (j--, 1) : 0;) /* down, no wrap */ {                        \
            const double *Lj = L + j * k;                                                      \
            double d = Lj[j];                                                                  \
            name##_vec acc[NV];                                                                \
            for (int v = 0; v < NV; v++)                                                       \
                acc[v] = d != 1.0 ? tile[j][v] * d : tile[j][v];                               \
            for (size_t l = 0; l < j; l++) {                                                   \
                double c = Lj[l];                                                              \
                if (c == 0.0)                                                                  \
                    continue;                                                                  \
                for (int v = 0; v < NV; v++) /* NV chains of additions, side by side */        \
                    acc[v] += c * tile[l][v];                                                  \
            }                                                                                  \
            for (int v = 0; v < NV; v++)                                                       \
                tile[j][v] = acc[v];                                                           \
            memcpy(z[j] + at, tile[j], sizeof tile[j]);                                        \
        }                                                                                      \
    }
MIX_RUN(mix_run4, 4)
MIX_RUN(mix_run8, 8)

WA_VECTORISED
void wa_corr_apply(const wa_corr_plan *plan, double *const *z, size_t n)
{
    size_t k = plan->k;
    /* Row j of L reads columns 0..j; going from the last row up, those are all still the
       independent scores when row j is written. Per trial the order of operations is fixed:
       L[j][j] z_j, then + L[j][l] z_l for l = 0, 1, ..., j-1 (zeros skipped, identically
       for every trial), whether the trial falls in a run of RUN or in the rest. Trial by
       trial the rows are independent, so runs of trials are mixed whole, one after the
       other (up to TILE_K correlated inputs; more go row by row over the block). */
    size_t whole = k <= TILE_K ? n - n % RUN : 0;
    if (WA_AVX512())
        for (size_t at = 0; at < whole; at += RUN)
            mix_run8(plan->L, k, z, at);
    else
        for (size_t at = 0; at < whole; at += RUN)
            mix_run4(plan->L, k, z, at);
    for (size_t j = k; whole < n && (j > 0 ? (j--, 1) : 0);) {
        const double *Lj = plan->L + j * k;
        double *restrict zj = z[j];
        double d = Lj[j];
        if (d != 1.0)
            for (size_t i = whole; i < n; i++)
                zj[i] *= d;
        for (size_t l = 0; l < j; l++) {
            double c = Lj[l];
            if (c == 0.0)
                continue;
            const double *restrict zl = z[l];
            for (size_t i = whole; i < n; i++)
                zj[i] += c * zl[i];
        }
    }
}


/* ------------------------------------------------------------------------------------- */
/* The warning's matrix                                                                   */

/* Characters in a UTF-8 string: bytes that do not continue a sequence. */
static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* "%.3f", with "-0.000" written "0.000". buf holds 330 bytes: enough for any double. */
static size_t fmt_value(char *buf, double v)
{
    int len = snprintf(buf, 330, "%.3f", v);
    if (strcmp(buf, "-0.000") == 0) {
        memmove(buf, buf + 1, 6);
        len--;
    }
    return (size_t)len;
}

/* Appends n bytes of s (or n spaces when s is NULL) at *pos if out is not NULL; counts. */
static void emit(char *out, size_t *pos, const char *s, size_t n)
{
    if (out) {
        if (s)
            memcpy(out + *pos, s, n);
        else
            memset(out + *pos, ' ', n);
    }
    *pos += n;
}

char *wa_corr_format(size_t k, const char *const *names, const double *m)
{
    char buf[330];
    size_t *width = wa_calloc(k + 1, sizeof *width); /* width[0]: the names; width[1 + j] */
    if (!width)
        return NULL;
    for (size_t j = 0; j < k; j++) {
        size_t w = utf8_width(names[j]);
        width[0] = w > width[0] ? w : width[0];
        width[1 + j] = w;
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            size_t w = fmt_value(buf, m[i * k + j]);
            width[1 + j] = w > width[1 + j] ? w : width[1 + j];
        }

    /* Two passes: the first (out == NULL) measures, the second writes. */
    char *out = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t pos = 0;
        emit(out, &pos, NULL, width[0]);
        for (size_t j = 0; j < k; j++) {
            size_t len = strlen(names[j]);
            emit(out, &pos, NULL, 2 + width[1 + j] - utf8_width(names[j]));
            emit(out, &pos, names[j], len);
        }
        emit(out, &pos, "\n", 1);
        for (size_t i = 0; i < k; i++) {
            emit(out, &pos, names[i], strlen(names[i]));
            emit(out, &pos, NULL, width[0] - utf8_width(names[i]));
            for (size_t j = 0; j < k; j++) {
                size_t len = fmt_value(buf, m[i * k + j]);
                emit(out, &pos, NULL, 2 + width[1 + j] - len);
                emit(out, &pos, buf, len);
            }
            emit(out, &pos, "\n", 1);
        }
        if (out) {
            out[pos] = '\0';
        } else {
            out = wa_malloc(pos + 1);
            if (!out)
                break;
        }
    }
    wa_free(width);
    return out;
}
