/*
 * result.c — the result object: its storage, its accessors and its one free.
 *
 * Views are handed out one entry at a time (wa_result_offer(r, k)), never as arrays, so a
 * view that grows in a later version changes no stride a compiled program relies on.
 */
#include "summary/result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

wa_result *wa_result_new(size_t nalts, size_t noffers, size_t nwarnings)
{
    wa_result *r = wa_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->alts = wa_calloc(nalts ? nalts : 1, sizeof *r->alts);
    r->offers = wa_calloc(noffers ? noffers : 1, sizeof *r->offers);
    r->sens = wa_calloc(noffers ? noffers : 1, sizeof *r->sens);
    r->warnings = wa_calloc(nwarnings ? nwarnings : 1, sizeof *r->warnings);
    if (!r->alts || !r->offers || !r->sens || !r->warnings) {
        wa_result_free(r);
        return NULL;
    }
    r->s.size = sizeof r->s;
    r->s.nalternatives = nalts;
    r->s.noffers = noffers;
    r->s.nwarnings = nwarnings;
    for (size_t a = 0; a < nalts; a++)
        r->alts[a].size = sizeof r->alts[a];
    for (size_t k = 0; k < noffers; k++)
        r->offers[k].size = sizeof r->offers[k];
    return r;
}

const char *wa_result_keep(wa_result *r, const char *s, int *oom)
{
    if (!s)
        return NULL;
    if (r->nstrings == r->capstrings) {
        size_t cap = r->capstrings ? 2 * r->capstrings : 16;
        char **v = wa_realloc(r->strings, cap * sizeof *v);
        if (!v) {
            *oom = 1;
            return NULL;
        }
        r->strings = v;
        r->capstrings = cap;
    }
    size_t n = strlen(s);
    char *c = wa_malloc(n + 1);
    if (!c) {
        *oom = 1;
        return NULL;
    }
    memcpy(c, s, n + 1);
    r->strings[r->nstrings++] = c;
    return c;
}

int wa_result_add_warning(wa_result *r, const char *text)
{
    int oom = 0;
    const char *c = wa_result_keep(r, text, &oom);
    const char **v = oom ? NULL : wa_realloc((void *)r->warnings, (r->s.nwarnings + 1) * sizeof *v);
    if (!v)
        return -1;
    v[r->s.nwarnings++] = c;
    r->warnings = v;
    return 0;
}

void wa_result_free(wa_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrings; i++)
        wa_free(r->strings[i]);
    wa_free(r->strings);
    for (size_t k = 0; r->sens && k < r->s.noffers; k++)
        wa_free(r->sens[k]);
    wa_free(r->sens);
    wa_free(r->pct);
    wa_free(r->ranking);
    wa_free(r->dominance);
    wa_free(r->voi);
    wa_free(r->inputs);
    wa_free(r->vtables);
    wa_free(r->dhist);
    wa_free(r->whist);
    wa_free(r->rhist);
    wa_free(r->rpct);
    wa_free(r->alts);
    wa_free(r->offers);
    wa_free((void *)r->warnings);
    wa_free(r);
}

const wa_summary *wa_result_summary(const wa_result *r) { return r ? &r->s : NULL; }

const wa_alternative_summary *wa_result_alternative(const wa_result *r, size_t i)
{
    return r && i < r->s.nalternatives ? &r->alts[i] : NULL;
}

const wa_offer_summary *wa_result_offer(const wa_result *r, size_t k)
{
    return r && k < r->s.noffers ? &r->offers[k] : NULL;
}

const wa_sensitivity *wa_result_sensitivity(const wa_result *r, size_t k, size_t i)
{
    if (!r || k >= r->s.noffers || i >= r->offers[k].nsensitivity)
        return NULL;
    return &r->sens[k][i];
}

const char *wa_result_warning(const wa_result *r, size_t i)
{
    return r && i < r->s.nwarnings ? r->warnings[i] : NULL;
}

const wa_input_summary *wa_result_input(const wa_result *r, size_t i)
{
    return r && r->inputs && i < r->s.ninputs ? &r->inputs[i] : NULL;
}

const wa_rank *wa_result_ranking(const wa_result *r, size_t i)
{
    return r && r->ranking && i < r->s.nranking ? &r->ranking[i] : NULL;
}

const wa_dominance *wa_result_dominance(const wa_result *r, size_t i)
{
    return r && r->dominance && i < r->s.ndominance ? &r->dominance[i] : NULL;
}

const wa_voi *wa_result_voi(const wa_result *r, size_t i)
{
    return r && r->voi && i < r->s.nvoi ? &r->voi[i] : NULL;
}

const wa_vendor_table_summary *wa_result_vendor_table(const wa_result *r, size_t k, size_t t)
{
    if (!r || !r->vtables || k >= r->s.noffers || t >= r->offers[k].nvendor_tables)
        return NULL;
    return &r->vtables[k * r->offers[k].nvendor_tables + t];
}

/* The p1 ... p99 array of a series, or NULL. */
static const double *percentiles_of(const wa_result *r, wa_series_of of, size_t k)
{
    switch (of) {
    case WA_OF_OFFER:
        return k < r->s.noffers ? r->offers[k].cost_percentiles : NULL;
    case WA_OF_ADVANTAGE:
        return k < r->s.noffers ? r->offers[k].advantage_percentiles : NULL;
    case WA_OF_WALK:
        return k == 0 && r->s.walk < r->s.nalternatives ? r->alts[r->s.walk].percentiles : NULL;
    case WA_OF_ALTERNATIVE:
        return k < r->s.nalternatives ? r->alts[k].percentiles : NULL;
    case WA_OF_VENDOR_WALK:
        return k == 0 ? r->rpct : NULL;
    }
    return NULL;
}

double wa_result_percentile(const wa_result *r, wa_series_of of, size_t k, unsigned p)
{
    const double *pct = r && p >= 1 && p <= 99 ? percentiles_of(r, of, k) : NULL;
    return pct ? pct[p - 1] : NAN;
}

static const wa_result_hist *hist_of(const wa_result *r, wa_series_of of, size_t k)
{
    if (!r)
        return NULL;
    const wa_result_hist *h = of == WA_OF_ADVANTAGE && r->dhist && k < r->s.noffers ? &r->dhist[k]
                              : of == WA_OF_WALK && k == 0                            ? r->whist
                              : of == WA_OF_VENDOR_WALK && k == 0                     ? r->rhist
                                                                                      : NULL;
    return h && h->h.nbins ? h : NULL;
}

const wa_histogram *wa_result_histogram(const wa_result *r, wa_series_of of, size_t k)
{
    const wa_result_hist *h = hist_of(r, of, k);
    return h ? &h->view : NULL;
}

double wa_result_histogram_edge(const wa_result *r, wa_series_of of, size_t k, size_t i)
{
    const wa_result_hist *h = hist_of(r, of, k);
    return h && i <= h->h.nbins ? h->h.edge[i] : NAN;
}

uint64_t wa_result_histogram_count(const wa_result *r, wa_series_of of, size_t k, size_t i)
{
    const wa_result_hist *h = hist_of(r, of, k);
    return h && i < h->h.nbins ? h->h.count[i] : 0;
}
