/*
 * summarise.c — the statistics of SPEC §2 from the stored per-trial present values.
 *
 * W is the walk position's PV, O an offer's, D = O - W. Every figure is computed from the
 * arrays in trial order or by selection on a scratch copy, in a fixed sequence, so the
 * result depends only on the numbers, never on how they were produced.
 */
#include "summarise.h"

#include <stdlib.h>
#include <string.h>

#include "stats.h"

struct wa_result {
    wa_summary s;
    wa_alternative_summary *alts;
    wa_offer_summary *offers;
    char **strings; /* everything the summary points at, freed together */
    size_t nstrings;
    const char **warnings;
};

static const char *keep(wa_result *r, const char *s, int *oom)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (!c) {
        *oom = 1;
        return NULL;
    }
    memcpy(c, s, n + 1);
    r->strings[r->nstrings++] = c;
    return c;
}

void wa_result_free(wa_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r->alts);
    free(r->offers);
    free((void *)r->warnings);
    free(r);
}

const wa_summary *wa_result_summary(const wa_result *r) { return r ? &r->s : NULL; }

void wa_result_set_elapsed(wa_result *r, double seconds)
{
    if (r)
        r->s.elapsed_s = seconds;
}

/* The alternative the walk stands on: named, the only one, or the lowest mean PV (ties to
   the first in file order). */
static size_t pick_walk(const wa_model *m, const wa_alternative_summary *alts)
{
    if (m->walk_rule != WA_WALK_BEST)
        return m->walk;
    size_t best = 0;
    for (size_t a = 1; a < m->noptions - m->noffers; a++)
        if (alts[a].cost.mean < alts[best].cost.mean)
            best = a;
    return best;
}

/* Offer k's figures: its cost, and the statistics of D = O - W read in place. -1 when
   out of memory. */
static int summarise_offer(wa_offer_summary *os, const double *O, const double *W, uint64_t n,
                           double confidence)
{
    wa_series cost = {O, NULL, n}, adv = {O, W, n};
    if (wa_series_stats(&cost, NULL, 0, NULL, 0, NULL, &os->cost))
        return -1;
    uint64_t beats = 0;
    for (uint64_t i = 0; i < n; i++)
        beats += W[i] < O[i];
    os->p_walk_beats = (double)beats / (double)n;
    wa_wilson(beats, n, 1.959963984540054, &os->p_walk_beats_ci95[0], &os->p_walk_beats_ci95[1]);
    /* D's statistics, concession_needed and expected_shortfall in one selection */
    if (wa_series_stats(&adv, &confidence, 1, &os->concession_needed, (size_t)((n + 19) / 20),
                        &os->expected_shortfall, &os->advantage))
        return -1;
    os->sensitivity = NULL;
    os->nsensitivity = 0;
    return 0;
}

wa_result *wa_summarise(const wa_model *m, const wa_run_info *info, double *const *pv)
{
    uint64_t n = info->trials;
    size_t nalts = m->noptions - m->noffers;
    int nth = info->threads > 0 ? info->threads : 1;
    wa_result *r = calloc(1, sizeof *r);
    size_t nstr = 8 + m->noptions + info->nwarnings;
    int oom = 0;
    if (!r)
        return NULL;
    r->strings = calloc(nstr, sizeof *r->strings);
    r->alts = calloc(nalts ? nalts : 1, sizeof *r->alts);
    r->offers = calloc(m->noffers ? m->noffers : 1, sizeof *r->offers);
    r->warnings = calloc(info->nwarnings + 1, sizeof *r->warnings);
    if (!r->strings || !r->alts || !r->offers || !r->warnings)
        goto fail;

    wa_summary *s = &r->s;
    s->file = keep(r, info->file, &oom);
    s->scenario = keep(r, info->scenario, &oom);
    s->variant = keep(r, info->variant, &oom);
    s->currency = keep(r, info->currency, &oom);
    s->trials = n;
    s->seed = info->seed;
    s->method = info->method;
    s->confidence = info->confidence;
    s->horizon = m->horizon;
    for (size_t i = 0; i < info->nwarnings; i++)
        r->warnings[i] = keep(r, info->warnings[i], &oom);
    s->warnings = r->warnings;
    s->nwarnings = info->nwarnings;
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].name = keep(r, m->options[m->noffers + a].name, &oom);
    for (size_t k = 0; k < m->noffers; k++)
        r->offers[k].name = keep(r, m->options[k].name, &oom);
    if (oom)
        goto fail;

    /* Phase 1: each alternative's cost (the walk rule `best` needs their means). Phase 2:
       each offer. Every series is summarised alone, read in place, so the number of
       threads cannot change a bit. */
    size_t w = 0;
    double p2[2] = {info->confidence, 1 - info->confidence};
    double(*q)[2] = calloc(nalts ? nalts : 1, sizeof *q); /* each alternative's ceilings */
    if (!q)
        goto fail;
    for (int phase = 1; phase <= 2 && !oom; phase++) {
        long ntasks = phase == 1 ? (long)nalts : (long)m->noffers;
        const double *W = phase == 2 ? pv[m->noffers + w] : NULL;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth)
        for (long t = 0; t < ntasks; t++) {
            int bad;
            if (phase == 1) {
                /* the ceilings of every alternative, in the same selection: the walk is
                   known only once all the means are */
                wa_series alt = {pv[m->noffers + t], NULL, n};
                bad = wa_series_stats(&alt, p2, 2, q[t], 0, NULL, &r->alts[t].cost);
            } else {
                bad = summarise_offer(&r->offers[t], pv[t], W, n, info->confidence);
            }
            if (bad) {
#pragma omp atomic write
                oom = 1;
            }
        }
        if (phase == 1)
            w = pick_walk(m, r->alts);
    }
    if (oom) {
        free(q);
        goto fail;
    }

    s->alternatives = r->alts;
    s->nalternatives = nalts;
    s->walk_name = r->alts[w].name;
    s->walk_chosen_by = m->walk_rule == WA_WALK_NAMED ? "named"
                        : m->walk_rule == WA_WALK_BEST ? "best" : "only";
    s->walk_cost = r->alts[w].cost;
    s->ceiling_expected = s->walk_cost.mean;
    s->ceiling_confident = q[w][0];
    s->ceiling_accept_below = q[w][1];
    free(q);

    /* p_cheapest: ties go to the first alternative in file order */
    uint64_t *wins = calloc(nalts ? nalts : 1, sizeof *wins);
    if (!wins)
        goto fail;
    for (uint64_t i = 0; i < n; i++) {
        size_t best = 0;
        double bv = pv[m->noffers][i];
        for (size_t a = 1; a < nalts; a++)
            if (pv[m->noffers + a][i] < bv) {
                bv = pv[m->noffers + a][i];
                best = a;
            }
        wins[best]++;
    }
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].p_cheapest = (double)wins[a] / (double)n;
    free(wins);

    s->offers = r->offers;
    s->noffers = m->noffers;
    return r;
fail:
    wa_result_free(r);
    return NULL;
}
