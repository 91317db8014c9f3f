/*
 * load_corr.c — the correlations of one model: which sampled inputs they join, the Gaussian
 * copula that realises them (correlate.h), and what to say when the matrix asked for is
 * not a valid correlation matrix.
 *
 * The correlated inputs are numbered in order of first appearance in `correlations`; the
 * matrix is the identity but for the entries given. Each model (the base, every variant,
 * a --set model) gets its own plan, since a variant may change which inputs are sampled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"

static long find_sampled(const wa_model *m, const char *name, int *kind)
{
    for (size_t i = 0; i < m->ninputs; i++)
        if (!m->inputs[i].hidden && !strcmp(m->inputs[i].name, name)) {
            *kind = m->inputs[i].kind;
            return (long)i;
        }
    *kind = -1;
    return -1;
}

/* "asked for:\n<matrix>used instead:\n<matrix>" — NULL on out of memory. */
static char *both_matrices(const wa_corr_plan *p, const char *const *names)
{
    char *a = wa_corr_format(p->k, names, p->spearman_target);
    char *b = wa_corr_format(p->k, names, p->spearman_used);
    char *r = NULL;
    if (a && b) {
        static const char head[] =
            "the rank correlations asked for are not a valid correlation matrix; the nearest valid one is used instead.\nasked for:\n";
        size_t n = strlen(head) + strlen(a) + strlen("used instead:\n") + strlen(b) + 1;
        r = malloc(n);
        if (r)
            snprintf(r, n, "%s%sused instead:\n%s", head, a, b);
        /* no trailing newline: a diagnostic's message is printed with its own */
        if (r && r[0] && r[strlen(r) - 1] == '\n')
            r[strlen(r) - 1] = '\0';
    }
    free(a);
    free(b);
    return r;
}

wa_status wa_model_correlate(wa_model *m, const wa_source *src, const wa_corr *corrs,
                             size_t ncorrs, int strict, const char *variant, wa_diagnostics *d)
{
    if (!ncorrs)
        return WA_OK;
    size_t *idx = calloc(2 * ncorrs, sizeof *idx); /* input index of each correlated input */
    const char **names = calloc(2 * ncorrs, sizeof *names);
    double *rho = NULL;
    size_t k = 0;
    wa_status st = WA_OK;
    if (!idx || !names) {
        st = WA_ENOMEM;
        goto done;
    }
    for (size_t c = 0; c < ncorrs; c++) {
        const char *pair[2] = {corrs[c].a, corrs[c].b};
        for (int e = 0; e < 2; e++) {
            int kind;
            long i = find_sampled(m, pair[e], &kind);
            if (kind != WA_IN_SAMPLED) {
                /* the base was checked at load; a variant may have changed the input */
                wa_diag_error(d, src, corrs[c].loc.line, corrs[c].loc.col,
                              "'%s' is correlated here, but %s%s%s makes it %s", pair[e],
                              variant ? "variant '" : "", variant ? variant : "the scenario",
                              variant ? "'" : "",
                              kind == WA_IN_CONST ? "a constant" : "derived from others");
                st = WA_EINVALID;
                continue;
            }
            size_t j = 0;
            while (j < k && idx[j] != (size_t)i)
                j++;
            if (j == k) {
                idx[k] = (size_t)i;
                names[k] = m->inputs[i].name;
                k++;
            }
        }
    }
    if (st != WA_OK)
        goto done;
    rho = calloc(k * k, sizeof *rho);
    m->corr_slots = calloc(k, sizeof *m->corr_slots);
    if (!rho || !m->corr_slots) {
        st = WA_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < k; j++) {
        rho[j * k + j] = 1;
        m->corr_slots[j] = m->inputs[idx[j]].slot;
    }
    for (size_t c = 0; c < ncorrs; c++) {
        size_t a = 0, b = 0;
        while (strcmp(names[a], corrs[c].a))
            a++;
        while (strcmp(names[b], corrs[c].b))
            b++;
        rho[a * k + b] = rho[b * k + a] = corrs[c].rho;
    }
    if (wa_corr_plan_make(&m->corr, k, rho)) {
        st = WA_ENOMEM; /* the entries were checked at load: only memory can fail here */
        goto done;
    }
    if (m->corr.repaired) {
        char *msg = both_matrices(&m->corr, names);
        if (!msg) {
            st = WA_ENOMEM;
            goto done;
        }
        if (strict) {
            wa_diag_error(d, src, corrs[0].loc.line, corrs[0].loc.col, "%s (simulation.strict is true)", msg);
            free(msg);
            st = WA_EINVALID;
        } else {
            wa_diag_warning(d, src, corrs[0].loc.line, corrs[0].loc.col, "%s", msg);
            m->corr_warning = msg;
        }
    }
done:
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory");
    free(idx);
    free((void *)names);
    free(rho);
    return st;
}
