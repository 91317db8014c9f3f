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

#include "summary/histogram.h"
#include "walkaway.h"

/* A histogram as the API shows it (view) and as it was counted (h). */
typedef struct wa_result_hist {
    wa_histogram view;
    wa_hist h;
} wa_result_hist;

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
    /* the charts' data (insight/): histograms and R's percentiles, NULL until computed */
    wa_result_hist *dhist;        /* per offer: D's */
    wa_result_hist *whist;        /* W's, on the same edges as R's */
    wa_result_hist *rhist;        /* R's, with a vendor section */
    double *rpct;                 /* R's p1 ... p99, with a vendor section */
};

/* A new result for nalts alternatives, noffers offers and nwarnings warnings, every view's
   size set and every other field zero; NULL when out of memory. */
wa_result *wa_result_new(size_t nalts, size_t noffers, size_t nwarnings);

/* A copy of s owned by r (NULL for NULL); NULL with *oom set when out of memory. */
const char *wa_result_keep(wa_result *r, const char *s, int *oom);

/* Appends a warning (copied); -1 when out of memory. */
int wa_result_add_warning(wa_result *r, const char *text);

#endif
