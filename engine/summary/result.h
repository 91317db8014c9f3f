/*
 * result.h — the wa_result a run hands to the reports: the public views of walkaway.h
 * (each with its size set), the lists they are reached through, and the strings they
 * point at, all owned by the result.
 *
 * The summary stage fills it (summarise.c); everything after it, the reports included,
 * reads it through the public accessors only.
 */
#ifndef WA_RESULT_H
#define WA_RESULT_H

#include "walkaway.h"

struct wa_result {
    wa_summary s;
    wa_alternative_summary *alts; /* s.nalternatives */
    wa_offer_summary *offers;     /* s.noffers */
    wa_sensitivity **sens;        /* per offer: offers[k].nsensitivity entries, or NULL */
    const char **warnings;        /* s.nwarnings */
    char **strings;               /* every string the views point at, freed together */
    size_t nstrings, capstrings;
    /* the insight (insight/): percentiles, ranking, dominance, value of information */
    double *pct;                  /* 99 per option (offers, then alternatives), then 99 per
                                     offer's advantage; NULL until computed */
    wa_rank *ranking;             /* s.nranking */
    wa_dominance *dominance;      /* s.ndominance */
    wa_voi *voi;                  /* s.nvoi */
    wa_input_summary *inputs;     /* s.ninputs */
    wa_vendor_table_summary *vtables; /* [k * ntables + t], or NULL without a vendor */
};

/* A new result for nalts alternatives, noffers offers and nwarnings warnings, every view's
   size set and every other field zero; NULL when out of memory. */
wa_result *wa_result_new(size_t nalts, size_t noffers, size_t nwarnings);

/* A copy of s owned by r (NULL for NULL); NULL with *oom set when out of memory. */
const char *wa_result_keep(wa_result *r, const char *s, int *oom);

/* Appends a warning (copied); -1 when out of memory. */
int wa_result_add_warning(wa_result *r, const char *text);

#endif
