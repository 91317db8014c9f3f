/*
 * sweep_text.c — `walkaway sweep` as text: a header, then per offer a table of how the
 * answer moves with the varied names.
 *
 * One varied name: a row per value with P(walk beats) and its 95% interval, the mean
 * advantage of walking, the concession needed, the verdict and the walk position. Two: a
 * decision table per offer, the first name down, the second across, each cell
 * P(walk beats) marked with its verdict's letter. More: the one-name layout, a column per
 * name. Values are printed with just the digits that tell neighbours apart.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/report.h"
#include "util/alloc.h"

/* Labels for every value of every varied name; NULL when out of memory. */
static char (**all_labels(const wa_sweep *s))[24]
{
    size_t nv = wa_sweep_vary_count(s);
    char(**lab)[24] = wa_calloc(nv, sizeof *lab);
    if (!lab)
        return NULL;
    for (size_t v = 0; v < nv; v++) {
        size_t n = wa_sweep_value_count(s, v);
        double *vals = wa_malloc(n * sizeof *vals);
        lab[v] = wa_malloc(n * sizeof *lab[v]);
        if (!vals || !lab[v]) {
            wa_free(vals);
            for (size_t w = 0; w <= v; w++)
                wa_free(lab[w]);
            wa_free(lab);
            return NULL;
        }
        for (size_t j = 0; j < n; j++)
            vals[j] = wa_sweep_value(s, v, j);
        rf_value_labels(vals, n, lab[v]);
        wa_free(vals);
    }
    return lab;
}

static void free_labels(const wa_sweep *s, char (**lab)[24])
{
    for (size_t v = 0; lab && v < wa_sweep_vary_count(s); v++)
        wa_free(lab[v]);
    wa_free(lab);
}

static void header(FILE *f, const wa_sweep *s, char (**lab)[24])
{
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    char trials[32], level[16];
    rf_fmt_whole(trials, sizeof trials, (double)h->trials);
    rf_fmt_level(level, sizeof level, h->confidence);
    fprintf(f, "%s\n", h->scenario && h->scenario[0] ? h->scenario : "(unnamed scenario)");
    fprintf(f, "  File:        %s\n", h->file ? h->file : "");
    fprintf(f, "  Variant:     %s\n", wa_sweep_variant(s) ? wa_sweep_variant(s) : "(base scenario)");
    fprintf(f, "  Trials:      %s a point (%s, seed %llu), the same draws at every point\n",
            trials, wa_method_name(h->method), (unsigned long long)h->seed);
    fprintf(f, "  Confidence:  %s\n", level);
    fprintf(f, "  Money:       %s, present value over %d year%s\n",
            h->currency && h->currency[0] ? h->currency : "USD", h->horizon,
            h->horizon == 1 ? "" : "s");
    fprintf(f, "  Run time:    %.2f s\n", wa_sweep_elapsed(s));
    size_t nv = wa_sweep_vary_count(s);
    fprintf(f, "  Swept:       %zu point%s", wa_sweep_point_count(s),
            wa_sweep_point_count(s) == 1 ? "" : "s");
    for (size_t v = 0; v < nv; v++) {
        size_t n = wa_sweep_value_count(s, v);
        fprintf(f, "%s%s from %s to %s (%zu value%s)%s\n", nv == 1 ? ": " : v ? "               " : "\n               ",
                wa_sweep_vary_name(s, v), lab[v][0], lab[v][n - 1], n, n == 1 ? "" : "s",
                nv == 2 ? (v ? ", across" : ", down") : "");
    }
}

/* The walk position at every point, or NULL when it changes from point to point. */
static const char *same_walk(const wa_sweep *s)
{
    const char *w = wa_result_summary(wa_sweep_point(s, 0))->walk_name;
    for (size_t p = 1; p < wa_sweep_point_count(s); p++)
        if (strcmp(wa_result_summary(wa_sweep_point(s, p))->walk_name, w))
            return NULL;
    return w;
}

void wa_offer_ci_text(char *out, size_t size, const wa_offer_summary *o)
{
    char lo[24], hi[24];
    int dec = isfinite(o->p_walk_beats) ? rf_pct_decimals(o->p_walk_beats) : 1;
    rf_fmt_pct_dec(lo, sizeof lo, o->p_walk_beats_ci95[0], dec);
    rf_fmt_pct_dec(hi, sizeof hi, o->p_walk_beats_ci95[1], dec);
    if (lo[0] && lo[strlen(lo) - 1] == '%')
        lo[strlen(lo) - 1] = '\0';
    snprintf(out, size, "%s\u2013%s", lo, hi);
}

int wa_sweep_has_deal(const wa_sweep *s)
{
    const wa_offer_summary *o = wa_result_offer(wa_sweep_point(s, 0), 0);
    return o && WA_HAS(wa_offer_summary, o, joint_gain) && o->has_vendor;
}

/* "61%", and " *" when both sides prefer the deal with confidence c (p_deal >= c). */
static void fmt_deal(char *out, size_t size, const wa_result *r, size_t k)
{
    const wa_offer_summary *o = wa_result_offer(r, k);
    char pd[24];
    rf_fmt_pct_dec(pd, sizeof pd, o->p_deal, 0);
    snprintf(out, size, "%s%s", pd, o->p_deal >= wa_result_summary(r)->confidence ? " *" : "  ");
}

/* A row per point: the varied values, then the offer's figures. -1 when out of memory
   (nothing written). */
static int rows_table(FILE *f, const wa_sweep *s, size_t k, char (**lab)[24])
{
    size_t nv = wa_sweep_vary_count(s);
    size_t *w = wa_calloc(nv, sizeof *w);
    if (!w)
        return -1;
    for (size_t v = 0; v < nv; v++) {
        w[v] = rf_width(wa_sweep_vary_name(s, v));
        for (size_t j = 0; j < wa_sweep_value_count(s, v); j++)
            if (strlen(lab[v][j]) > w[v])
                w[v] = strlen(lab[v][j]);
    }
    size_t wci = rf_width("95% CI");
    for (size_t p = 0; p < wa_sweep_point_count(s); p++) {
        char ci[64];
        wa_offer_ci_text(ci, sizeof ci, wa_result_offer(wa_sweep_point(s, p), k));
        if (rf_width(ci) > wci)
            wci = rf_width(ci);
    }
    fputs("  ", f);
    for (size_t v = 0; v < nv; v++) {
        rf_pad(f, wa_sweep_vary_name(s, v), w[v]);
        fputs("  ", f);
    }
    fputs("P(walk beats)  ", f);
    rf_pad(f, "95% CI", wci);
    int deal = wa_sweep_has_deal(s);
    fputs(deal ? "  Mean advantage  Concession needed  Verdict    P(deal)  Walk\n"
               : "  Mean advantage  Concession needed  Verdict    Walk\n",
          f);
    for (size_t p = 0; p < wa_sweep_point_count(s); p++) {
        const wa_result *r = wa_sweep_point(s, p);
        const wa_offer_summary *o = wa_result_offer(r, k);
        char pw[24], ci[64], adv[24], cn[24];
        rf_fmt_pct(pw, sizeof pw, o->p_walk_beats);
        wa_offer_ci_text(ci, sizeof ci, o);
        rf_fmt_compact(adv, sizeof adv, o->advantage.mean);
        rf_fmt_compact(cn, sizeof cn, o->concession_needed);
        fputs("  ", f);
        for (size_t v = 0; v < nv; v++) {
            rf_rpad(f, lab[v][wa_sweep_point_index(s, p, v)], w[v]);
            fputs("  ", f);
        }
        rf_rpad(f, pw, 13);
        fputs("  ", f);
        rf_pad(f, ci, wci);
        rf_rpad(f, adv, 16);
        rf_rpad(f, cn, 19);
        fputs("  ", f);
        rf_pad(f, o->verdict, 9);
        if (deal) {
            char pd[32];
            fmt_deal(pd, sizeof pd, r, k);
            fputs("  ", f);
            rf_rpad(f, pd, 7);
        }
        fprintf(f, "  %s\n", wa_result_summary(r)->walk_name);
    }
    wa_free(w);
    return 0;
}

/* A cell of a two-name table: its text for point p (k: the offer, where it matters). */
typedef void (*cell_fn)(char *out, size_t size, const wa_sweep *s, size_t p, size_t k);

/* P(walk beats) and the verdict's letter: "71% N". */
static void decision_cell(char *out, size_t size, const wa_sweep *s, size_t p, size_t k)
{
    const wa_offer_summary *o = wa_result_offer(wa_sweep_point(s, p), k);
    char pw[24];
    rf_fmt_pct_dec(pw, sizeof pw, o->p_walk_beats, 0);
    snprintf(out, size, "%s %c", pw, (char)(o->verdict[0] - 'a' + 'A'));
}

/* p_deal, marked where both sides prefer the deal with confidence c. */
static void deal_cell(char *out, size_t size, const wa_sweep *s, size_t p, size_t k)
{
    fmt_deal(out, size, wa_sweep_point(s, p), k);
}

/* The walk position chosen at the point (under `walk: best` it may change). */
static void walk_cell(char *out, size_t size, const wa_sweep *s, size_t p, size_t k)
{
    (void)k;
    snprintf(out, size, "%s", wa_result_summary(wa_sweep_point(s, p))->walk_name);
}

/* Two names: the first down, the second across, a cell per point, right-aligned. */
static void grid_table(FILE *f, const wa_sweep *s, size_t k, char (**lab)[24], cell_fn cell)
{
    size_t nr = wa_sweep_value_count(s, 0), nc = wa_sweep_value_count(s, 1);
    size_t w0 = rf_width(wa_sweep_vary_name(s, 0)), cw = 0;
    char text[256];
    for (size_t j = 0; j < nr; j++)
        if (strlen(lab[0][j]) > w0)
            w0 = strlen(lab[0][j]);
    for (size_t j = 0; j < nc; j++)
        if (strlen(lab[1][j]) > cw)
            cw = strlen(lab[1][j]);
    for (size_t p = 0; p < nr * nc; p++) {
        cell(text, sizeof text, s, p, k);
        if (rf_width(text) > cw)
            cw = rf_width(text);
    }
    fputs("  ", f);
    rf_pad(f, "", w0);
    fprintf(f, "  %s across\n  ", wa_sweep_vary_name(s, 1));
    rf_pad(f, wa_sweep_vary_name(s, 0), w0);
    for (size_t c = 0; c < nc; c++) {
        fputs("  ", f);
        rf_rpad(f, lab[1][c], cw);
    }
    fputc('\n', f);
    for (size_t r = 0; r < nr; r++) {
        fputs("  ", f);
        rf_rpad(f, lab[0][r], w0);
        for (size_t c = 0; c < nc; c++) {
            cell(text, sizeof text, s, r * nc + c, k);
            fputs("  ", f);
            rf_rpad(f, text, cw);
        }
        fputc('\n', f);
    }
}

int wa_report_sweep_text_item(FILE *f, const wa_sweep *s)
{
    char(**lab)[24] = all_labels(s);
    if (!lab) {
        errno = ENOMEM;
        return -1;
    }
    header(f, s, lab);
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    char level[16], anti[16];
    rf_fmt_level(level, sizeof level, h->confidence);
    rf_fmt_level(anti, sizeof anti, 1 - h->confidence);
    const char *walk = same_walk(s);
    if (walk)
        fprintf(f, "\nWalk-away position at every point: %s\n", walk);
    int two = wa_sweep_vary_count(s) == 2;
    for (size_t k = 0; k < h->noffers; k++) {
        fprintf(f, "\nOffer: %s\n", wa_result_offer(wa_sweep_point(s, 0), k)->name);
        if (two) {
            grid_table(f, s, k, lab, decision_cell);
        } else if (rows_table(f, s, k, lab)) {
            free_labels(s, lab);
            errno = ENOMEM;
            return -1;
        }
        if (two && wa_sweep_has_deal(s)) {
            fputs("  A deal both sides prefer, P(deal):\n", f);
            grid_table(f, s, k, lab, deal_cell);
        }
    }
    if (two && !walk) {
        fputs("\nWalk-away position at each point\n", f);
        grid_table(f, s, 0, lab, walk_cell);
    }
    fprintf(f, "\nVerdict: walk (W) when walking beats the offer in at least %s of trials,\n"
               "accept (A) when in at most %s, otherwise negotiate (N) for the\n"
               "concession needed.\n",
            level, anti);
    if (wa_sweep_has_deal(s))
        fprintf(f, "P(deal): the share of trials in which the buyer prefers the offer to walking\n"
                   "and every vendor table prefers it to no deal; * marks the points where\n"
                   "both sides prefer it with %s confidence.\n",
                level);
    free_labels(s, lab);
    return ferror(f) ? -1 : 0;
}
