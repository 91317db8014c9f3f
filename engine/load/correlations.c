/*
 * correlations.c — the correlations of one model: which sampled inputs they join, the Gaussian
 * copula that realises them (correlate.h), and what to say when the matrix asked for is
 * not a valid correlation matrix.
 *
 * The correlated inputs are numbered in order of first appearance in `correlations`; the
 * matrix is the identity but for the entries given. The base's plan is the scenario's
 * copula: a variant or a --set model takes it unchanged (wa_model_share_copula), even when
 * it pins a correlated input or changes its distribution, so that every input keeps its
 * normal score and every untouched input its draws (SPEC 1.5).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/diag.h"
#include "load/model.h"
#include "sample/rankcorr.h"
#include "sample/rng.h"
#include "util/names.h"
#include "util/alloc.h"

/* The input named name (not a hidden one) and its kind, through the table of names. */
static long find_sampled(const wa_model *m, const wa_names *byname, const char *name, int *kind)
{
    long i = wa_names_find(byname, name);
    *kind = i >= 0 ? (int)m->inputs[i].kind : -1;
    return i;
}
/* "asked for:\n<matrix>used instead:\n<matrix>" — NULL on out of memory. Under strict,
   nothing is used instead: the nearest valid matrix is shown as a suggestion. */
static char *both_matrices(const wa_corr_plan *p, const char *const *names, int strict)
{
    char *a = wa_corr_format(p->k, names, p->spearman_target);
    char *b = wa_corr_format(p->k, names, p->spearman_used);
    char *r = NULL;
    if (a && b) {
        /* the repair stops at a cap of rounds (correlate.c): then what it gives is valid
           and near, but not said to be the nearest */
        const char *head =
            strict ? "the rank correlations asked for are not a valid correlation matrix "
                     "(simulation.strict is true, so nothing is repaired).\nasked for:\n"
            : p->nearest ? "the rank correlations asked for are not a valid correlation matrix; the "
                           "nearest valid one is used instead.\nasked for:\n"
                         : "the rank correlations asked for are not a valid correlation matrix; a "
                           "valid one near it is used instead (the search for the nearest stopped "
                           "at its limit of rounds).\nasked for:\n";
        const char *mid = !strict ? "used instead:\n"
                          : p->nearest ? "the nearest valid one would be:\n"
                                       : "a valid one near it would be:\n";
        size_t n = strlen(head) + strlen(a) + strlen(mid) + strlen(b) + 1;
        r = wa_malloc(n);
        if (r)
            snprintf(r, n, "%s%s%s%s", head, a, mid, b);
        /* no trailing newline: a diagnostic's message is printed with its own */
        if (r && r[0] && r[strlen(r) - 1] == '\n')
            r[strlen(r) - 1] = '\0';
    }
    wa_free(a);
    wa_free(b);
    return r;
}

/* Appends to *note the line for a pair whose target ties make unreachable. -1 on OOM. */
static int add_note(char **note, const char *a, const char *b, double want, double best)
{
    char line[400];
    snprintf(line, sizeof line,
             "the rank correlation %g of '%s' and '%s' cannot be reached with their distributions (ties allow at most %.3f): the nearest reachable is used",
             want, a, b, best);
    size_t old = *note ? strlen(*note) + 1 : 0, len = old + strlen(line) + 1;
    char *r = wa_realloc(*note, len);
    if (!r)
        return -1;
    if (old)
        r[old - 1] = '\n';
    memcpy(r + old, line, strlen(line) + 1);
    *note = r;
    return 0;
}

/* A pair with ties whose normal-score correlation has been solved for. */
typedef struct rank_pair {
    const wa_dist *a, *b;
    double want, r, best;
    int reachable;
} rank_pair;

wa_status wa_model_correlate(wa_model *m, const wa_source *src, const wa_corr *corrs,
                             size_t ncorrs, int strict, wa_diagnostics *d)
{
    if (!ncorrs)
        return WA_OK;
    /* at most one entry per input: 2 * ncorrs may be far more (all pairs of k inputs) */
    size_t most = 2 * ncorrs < m->ninputs ? 2 * ncorrs : m->ninputs;
    size_t *idx = wa_calloc(most ? most : 1, sizeof *idx); /* input index of each correlated input */
    const char **names = wa_calloc(most ? most : 1, sizeof *names);
    double *rho = NULL;
    rank_pair *solved = NULL;
    size_t *table = NULL; /* open addressing: the index of a solved pair, or SIZE_MAX */
    const wa_corr *note_at = NULL; /* the first pair whose target cannot be reached */
    size_t k = 0;
    wa_status st = WA_OK;
    wa_names byname = {0}, inplan = {0}; /* inputs by name; the plan's positions by name */
    if (!idx || !names) {
        st = WA_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < m->ninputs; i++)
        if (!m->inputs[i].hidden && wa_names_add(&byname, m->inputs[i].name, i, NULL) < 0) {
            st = WA_ENOMEM;
            goto done;
        }
    for (size_t c = 0; c < ncorrs; c++) {
        const char *pair[2] = {corrs[c].a, corrs[c].b};
        for (int e = 0; e < 2; e++) {
            int kind;
            long i = find_sampled(m, &byname, pair[e], &kind);
            if (kind != WA_IN_SAMPLED) {
                /* load_correlations (scenario.c) refused this already, with its location;
                   this is only the guard of that invariant */
                st = WA_EINVALID;
                continue;
            }
            int added = wa_names_add(&inplan, m->inputs[i].name, k, NULL);
            if (added < 0) {
                st = WA_ENOMEM;
                goto done;
            }
            if (added == 0) {
                idx[k] = (size_t)i;
                names[k] = m->inputs[i].name;
                k++;
            }
        }
    }
    if (st != WA_OK)
        goto done;
    if (k > WA_CORR_MAX_INPUTS) {
        wa_diag_error(d, src, corrs[0].loc.line, corrs[0].loc.col,
                      "the correlations name %zu inputs, and at most %d can be correlated (the copula's set-up grows with the cube of their number)",
                      k, WA_CORR_MAX_INPUTS);
        st = WA_EINVALID;
        goto done;
    }
    rho = wa_calloc(k * k, sizeof *rho);
    m->corr_slots = wa_calloc(k, sizeof *m->corr_slots);
    m->corr_names = wa_calloc(k, sizeof *m->corr_names);
    if (!rho || !m->corr_slots || !m->corr_names) {
        st = WA_ENOMEM;
        goto done;
    }
    m->ncorr_names = k;
    for (size_t j = 0; j < k; j++) {
        rho[j * k + j] = 1;
        m->corr_slots[j] = m->inputs[idx[j]].slot;
        m->corr_names[j] = wa_strdup(names[j]);
        if (!m->corr_names[j]) {
            st = WA_ENOMEM;
            goto done;
        }
    }
    /* The copula takes Spearman values and converts them with the continuous formula; for
       a pair with ties the normal-score correlation is solved for (rankcorr.h) and given
       as the Spearman value that formula turns back into it. A pair alike one solved
       already (the same steps, the same rho) takes its answer, found by its key in a hash
       table of the solved pairs: a few bernoulli inputs correlated with many continuous
       ones ask the same question many times. */
    size_t cap = 16;
    while (cap < 2 * ncorrs)
        cap *= 2;
    for (size_t c = 0; c < ncorrs; c++) {
        size_t a = (size_t)wa_names_find(&inplan, corrs[c].a);
        size_t b = (size_t)wa_names_find(&inplan, corrs[c].b);
        double want = corrs[c].rho, use = want;
        const wa_dist *da = m->inputs[idx[a]].dist, *db = m->inputs[idx[b]].dist;
        if (wa_rankcorr_has_ties(da) || wa_rankcorr_has_ties(db)) {
            if (!table) { /* made at the first pair with ties: most files have none */
                solved = wa_calloc(ncorrs, sizeof *solved);
                table = wa_malloc(cap * sizeof *table);
                if (!solved || !table) {
                    st = WA_ENOMEM;
                    goto done;
                }
                for (size_t i = 0; i < cap; i++)
                    table[i] = SIZE_MAX;
            }
            size_t h = (size_t)wa_rankcorr_key(da, db, want) & (cap - 1), e;
            while ((e = table[h]) != SIZE_MAX &&
                   !(solved[e].want == want && wa_rankcorr_alike(solved[e].a, da) &&
                     wa_rankcorr_alike(solved[e].b, db)))
                h = (h + 1) & (cap - 1);
            if (e == SIZE_MAX) {
                solved[c] = (rank_pair){da, db, want, 0, 0, 1};
                solved[c].r = wa_rankcorr_solve(da, db, want, &solved[c].reachable,
                                                &solved[c].best);
                table[h] = c;
            } else {
                solved[c] = solved[e];
            }
            int reachable = solved[c].reachable;
            double best = solved[c].best, r = solved[c].r;
            if (isnan(r)) {
                st = WA_ENOMEM;
                goto done;
            }
            use = wa_pearson_to_spearman(r);
            if (!reachable) {
                if (!m->corr_note)
                    note_at = &corrs[c];
                if (add_note(&m->corr_note, corrs[c].a, corrs[c].b, want, best)) {
                    st = WA_ENOMEM;
                    goto done;
                }
            }
        }
        rho[a * k + b] = rho[b * k + a] = use;
    }
    int made = wa_corr_plan_make(&m->corr, k, rho);
    if (made == -2) {
        wa_diag_error(d, src, corrs[0].loc.line, corrs[0].loc.col,
                      "the rank correlations asked for are not a valid correlation matrix, and with %zu correlated inputs it is too large to repair (at most %d): make it valid, or correlate fewer inputs",
                      k, WA_CORR_REPAIR_MAX);
        st = WA_EINVALID;
        goto done;
    }
    if (made) {
        st = WA_ENOMEM; /* the entries were checked at load: only memory can fail here */
        goto done;
    }
    if (m->corr.repaired) { /* kept for the variants' copies of this plan */
        m->corr_rho = rho;
        rho = NULL;
    } /* else the plan's spearman_used is the very same matrix */
    /* what the user asked for, for the repair warning: the plan's copy of the matrix with
       each pair's own value where ties made another one used (written here rather than
       through a second k x k matrix) */
    for (size_t c = 0; c < ncorrs; c++) {
        size_t a = (size_t)wa_names_find(&inplan, corrs[c].a);
        size_t b = (size_t)wa_names_find(&inplan, corrs[c].b);
        m->corr.spearman_target[a * k + b] = m->corr.spearman_target[b * k + a] = corrs[c].rho;
    }
    if (m->corr_note) /* one warning for every unreachable pair, as the report repeats it */
        wa_diag_warning(d, src, note_at->loc.line, note_at->loc.col, "%s", m->corr_note);
    if (m->corr.repaired) {
        char *msg = both_matrices(&m->corr, names, strict);
        if (!msg) {
            st = WA_ENOMEM;
            goto done;
        }
        if (strict) {
            wa_diag_error(d, src, corrs[0].loc.line, corrs[0].loc.col, "%s", msg);
            wa_free(msg);
            st = WA_EINVALID;
        } else {
            wa_diag_warning(d, src, corrs[0].loc.line, corrs[0].loc.col, "%s", msg);
            m->corr_warning = msg;
        }
    }
done:
    if (st == WA_ENOMEM)
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory");
    wa_free(idx);
    wa_free((void *)names);
    wa_free(rho);
    wa_free(solved);
    wa_free(table);
    wa_names_free(&byname);
    wa_names_free(&inplan);
    return st;
}

/* A copy of s, or NULL for NULL; *oom set when out of memory. */
static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = wa_strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

wa_status wa_model_share_copula(wa_model *m, const wa_model *base)
{
    size_t k = base->corr.k;
    if (k == 0)
        return WA_OK;
    int oom = 0;
    m->corr_slots = wa_calloc(k, sizeof *m->corr_slots);
    m->corr_names = wa_calloc(k, sizeof *m->corr_names);
    m->ghosts = wa_calloc(k, sizeof *m->ghosts);
    /* room in slot -> input for the ghosts' slots, which stand for no input */
    size_t *si = wa_realloc(m->slot_input, (m->nslots + k) * sizeof *si);
    if (si)
        m->slot_input = si;
    if (!m->corr_slots || !m->corr_names || !m->ghosts || !si)
        return WA_ENOMEM;
    m->ncorr_names = k;
    wa_names byname = {0};
    for (size_t i = 0; i < m->ninputs; i++)
        if (!m->inputs[i].hidden && wa_names_add(&byname, m->inputs[i].name, i, NULL) < 0) {
            wa_names_free(&byname);
            return WA_ENOMEM;
        }
    for (size_t j = 0; j < k; j++) {
        const char *name = base->corr_names[j];
        m->corr_names[j] = dup_or_null(name, &oom);
        int kind;
        long i = find_sampled(m, &byname, name, &kind);
        if (kind == WA_IN_SAMPLED) {
            m->corr_slots[j] = m->inputs[i].slot;
            continue;
        }
        /* pinned or derived here: the copula still needs its normal score */
        wa_ghost *g = &m->ghosts[m->nghosts++];
        g->name = dup_or_null(name, &oom);
        g->key = wa_stream_key(name);
        g->slot = (int)m->nslots++;
        m->slot_input[g->slot] = m->ninputs; /* no input */
        m->corr_slots[j] = g->slot;
    }
    wa_names_free(&byname);
    /* The same matrix gives the same plan, bit for bit; its warnings are the base's, said
       at load, and go into every result as before. */
    const double *rho = base->corr_rho ? base->corr_rho : base->corr.spearman_used;
    if (oom || wa_corr_plan_make(&m->corr, k, rho))
        return WA_ENOMEM;
    memcpy(m->corr.spearman_target, base->corr.spearman_target,
           k * k * sizeof *m->corr.spearman_target);
    m->corr_warning = dup_or_null(base->corr_warning, &oom);
    m->corr_note = dup_or_null(base->corr_note, &oom);
    return oom ? WA_ENOMEM : WA_OK;
}
