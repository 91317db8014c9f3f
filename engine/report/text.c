/*
 * text.c — the default `run` output: a plain-text report a negotiator can paste
 * into a memo.
 *
 * Layout per summary: a header (scenario, file, variant, trials, method, seed, confidence,
 * currency), the walk-away position with its ceilings, a table of every option's present
 * value, one paragraph per offer in plain English, the chance each alternative is the
 * cheapest, and the run's warnings. Summaries are separated by a blank line and a rule.
 * Sentences carry money in full ("USD 1,234,567"); tables use compact figures ("1.23M")
 * so that columns stay narrow and aligned. No colours or terminal escapes: the text
 * must survive being pasted anywhere. Column alignment counts UTF-8 code points, so
 * names with accents or dashes line up too.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/report.h"

#define MAX_DRIVERS 5 /* inputs listed per offer; the JSON output has them all */

/* ---- sections ------------------------------------------------------------------------- */

static void header(FILE *f, const wa_summary *s)
{
    char level[16];
    rf_fmt_level(level, sizeof level, s->confidence);
    fprintf(f, "%s\n", s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)");
    fprintf(f, "  File:        %s\n", s->file ? s->file : "");
    fprintf(f, "  Variant:     %s\n", s->variant ? s->variant : "(base scenario)");
    char trials[32];
    rf_fmt_whole(trials, sizeof trials, (double)s->trials);
    const char *method = wa_method_name(s->method);
    fprintf(f, "  Trials:      %s (%s, seed %" PRIu64 ")\n", trials, method ? method : "?",
            s->seed);
    fprintf(f, "  Confidence:  %s\n", level);
    fprintf(f, "  Money:       %s, present value over %d year%s\n",
            s->currency && s->currency[0] ? s->currency : "USD", s->horizon,
            s->horizon == 1 ? "" : "s");
    fprintf(f, "  Run time:    %.2f s\n", s->elapsed_s);
}

static const char *chosen_by_text(const char *how)
{
    if (how && strcmp(how, "named") == 0)
        return "named in the scenario";
    if (how && strcmp(how, "best") == 0)
        return "the alternative with the lowest expected cost";
    if (how && strcmp(how, "only") == 0)
        return "the only alternative";
    return how ? how : "";
}

static void walk_section(FILE *f, const wa_summary *s)
{
    char m[64], level[16];
    rf_fmt_level(level, sizeof level, s->confidence);
    fprintf(f, "\nWalk-away position: %s (%s)\n", s->walk_name ? s->walk_name : "",
            chosen_by_text(s->walk_chosen_by));
    rf_fmt_money(m, sizeof m, s->currency, s->ceiling_expected);
    fprintf(f, "  Expected cost of walking away:  %s  (the risk-neutral ceiling)\n", m);
    rf_fmt_money(m, sizeof m, s->currency, s->ceiling_confident);
    char label[48];
    snprintf(label, sizeof label, "Ceiling at %s confidence:", level);
    fputs("  ", f);
    rf_pad(f, label, 32);
    fprintf(f, "%s\n", m);
    rf_fmt_money(m, sizeof m, s->currency, s->ceiling_accept_below);
    fprintf(f, "  Accept below:                   %s\n", m);
    fprintf(f, "  A fixed price above the ceiling costs more than walking away, and one\n"
               "  below the accept-below figure costs less, in at least %s of trials.\n",
            level);
}

static void option_row(FILE *f, size_t namew, const char *name, const char *role,
                       const wa_stats *st)
{
    char v[4][24];
    rf_fmt_compact(v[0], sizeof v[0], st->mean);
    rf_fmt_compact(v[1], sizeof v[1], st->p5);
    rf_fmt_compact(v[2], sizeof v[2], st->p50);
    rf_fmt_compact(v[3], sizeof v[3], st->p95);
    fputs("  ", f);
    rf_pad(f, name, namew);
    fputs("  ", f);
    rf_pad(f, role, 11);
    for (int k = 0; k < 4; k++) {
        fputs("  ", f);
        rf_rpad(f, v[k], 8);
    }
    fputc('\n', f);
}

static void options_table(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    size_t namew = rf_width("Option");
    for (size_t i = 0; i < s->nalternatives; i++)
        if (rf_width(wa_result_alternative(r, i)->name) > namew)
            namew = rf_width(wa_result_alternative(r, i)->name);
    for (size_t i = 0; i < s->noffers; i++)
        if (rf_width(wa_result_offer(r, i)->name) > namew)
            namew = rf_width(wa_result_offer(r, i)->name);

    fprintf(f, "\nPresent value of each option (%s)\n",
            s->currency && s->currency[0] ? s->currency : "USD");
    fputs("  ", f);
    rf_pad(f, "Option", namew);
    fputs("  ", f);
    rf_pad(f, "Role", 11);
    fputs("      Mean        P5       P50       P95\n", f);
    for (size_t i = 0; i < s->nalternatives; i++) {
        const wa_alternative_summary *a = wa_result_alternative(r, i);
        int is_walk = a->name && s->walk_name && strcmp(a->name, s->walk_name) == 0;
        option_row(f, namew, a->name, is_walk ? "walk-away" : "alternative", &a->cost);
    }
    for (size_t i = 0; i < s->noffers; i++)
        option_row(f, namew, wa_result_offer(r, i)->name, "offer", &wa_result_offer(r, i)->cost);
}

static double strength(const wa_sensitivity *sv)
{
    double a = fabs(sv->spearman);
    return isfinite(a) ? a : 0;
}

/* Indices of the offer's sensitivities, strongest |spearman| first, at most max of them;
   ties keep the library's order. A partial insertion sort: the list is short. */
static size_t top_drivers(const wa_result *r, size_t offer, size_t *idx, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < wa_result_offer(r, offer)->nsensitivity; k++) {
        double a = strength(wa_result_sensitivity(r, offer, k));
        size_t j = n;
        while (j > 0 && strength(wa_result_sensitivity(r, offer, idx[j - 1])) < a)
            j--;
        if (j >= max)
            continue;
        for (size_t m = n < max ? n : max - 1; m > j; m--)
            idx[m] = idx[m - 1];
        idx[j] = k;
        if (n < max)
            n++;
    }
    return n;
}

static void offer_section(FILE *f, const wa_result *r, size_t offer)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, offer);
    char p[24], lo[24], hi[24], m[64], level[16];
    const char *cur = s->currency;
    rf_fmt_level(level, sizeof level, s->confidence);

    fprintf(f, "\nOffer: %s\n", o->name ? o->name : "");
    /* the interval in the estimate's own precision, so the three read alike */
    int dec = isfinite(o->p_walk_beats) ? rf_pct_decimals(o->p_walk_beats) : 1;
    rf_fmt_pct_dec(p, sizeof p, o->p_walk_beats, dec);
    rf_fmt_pct_dec(lo, sizeof lo, o->p_walk_beats_ci95[0], dec);
    rf_fmt_pct_dec(hi, sizeof hi, o->p_walk_beats_ci95[1], dec);
    if (lo[0] && lo[strlen(lo) - 1] == '%')
        lo[strlen(lo) - 1] = '\0'; /* "70.9–71.5%": one percent sign for the range */
    fprintf(f, "  Walking away beats this offer in %s of trials (95%% CI %s\u2013%s).\n", p, lo,
            hi);

    double adv = o->advantage.mean;
    rf_fmt_money(m, sizeof m, cur, fabs(adv));
    if (adv > 0)
        fprintf(f, "  On average walking away costs %s less than this offer.\n", m);
    else if (adv < 0)
        fprintf(f, "  On average walking away costs %s more than this offer.\n", m);
    else
        fputs("  On average walking away costs the same as this offer.\n", f);

    double cn = o->concession_needed;
    rf_fmt_money(m, sizeof m, cur, fabs(cn));
    if (cn > 0)
        fprintf(f, "  Concession needed: %s off this offer's present value before it\n"
                   "  beats walking away with %s confidence.\n",
                m, level);
    else
        fprintf(f, "  No concession needed: this offer already beats walking away with\n"
                   "  %s confidence (headroom %s).\n",
                level, m);

    double es = o->expected_shortfall;
    rf_fmt_money(m, sizeof m, cur, fabs(es));
    if (es < 0)
        fprintf(f, "  In the worst 5%% of trials walking away costs on average %s more\n"
                   "  than this offer.\n",
                m);
    else
        fprintf(f, "  Even in the worst 5%% of trials walking away is cheaper, by %s on\n"
                   "  average.\n",
                m);

    size_t idx[MAX_DRIVERS];
    size_t nd = top_drivers(r, offer, idx, MAX_DRIVERS);
    if (nd == 0)
        return;
    size_t namew = rf_width("Input");
    for (size_t k = 0; k < nd; k++)
        if (rf_width(wa_result_sensitivity(r, offer, idx[k])->input) > namew)
            namew = rf_width(wa_result_sensitivity(r, offer, idx[k])->input);
    fputs("  What drives it (swing: from the input's lowest tenth of draws to its highest):\n",
          f);
    fputs("    ", f);
    rf_pad(f, "Input", namew);
    fputs("  Rank corr.  Swing in P(walk beats)  Swing in mean advantage\n", f);
    for (size_t k = 0; k < nd; k++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, offer, idx[k]);
        char rc[24], sp[32], c[24], sm[32];
        snprintf(rc, sizeof rc, "%+.2f", sv->spearman);
        snprintf(sp, sizeof sp, "%+.1f pts", sv->swing_p_walk_beats * 100);
        rf_fmt_compact(c, sizeof c, sv->swing_mean_advantage);
        snprintf(sm, sizeof sm, "%s%s", c[0] != '-' && c[0] != '0' ? "+" : "", c);
        fputs("    ", f);
        rf_pad(f, sv->input, namew);
        rf_rpad(f, rc, 12);
        rf_rpad(f, sp, 24);
        rf_rpad(f, sm, 25);
        fputc('\n', f);
    }
    if (o->nsensitivity > nd)
        fprintf(f, "    (%zu more input%s in the JSON output)\n", o->nsensitivity - nd,
                o->nsensitivity - nd == 1 ? "" : "s");
}

static void cheapest_section(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (s->nalternatives < 2) /* one alternative is always the cheapest: nothing to say */
        return;
    size_t namew = 0;
    for (size_t i = 0; i < s->nalternatives; i++)
        if (rf_width(wa_result_alternative(r, i)->name) > namew)
            namew = rf_width(wa_result_alternative(r, i)->name);
    fputs("\nChance each alternative is the cheapest alternative\n", f);
    for (size_t i = 0; i < s->nalternatives; i++) {
        char p[24];
        rf_fmt_pct(p, sizeof p, wa_result_alternative(r, i)->p_cheapest);
        fputs("  ", f);
        rf_pad(f, wa_result_alternative(r, i)->name, namew);
        fputs("  ", f);
        rf_rpad(f, p, 7);
        fputc('\n', f);
    }
}

static void warnings_section(FILE *f, const wa_result *r)
{
    size_t n = wa_result_summary(r)->nwarnings;
    if (n == 0)
        return;
    fputs("\nWarnings\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  - %s\n", wa_result_warning(r, i));
}

int wa_report_text_item(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    header(f, s);
    walk_section(f, s);
    options_table(f, r);
    for (size_t k = 0; k < s->noffers; k++)
        offer_section(f, r, k);
    cheapest_section(f, r);
    warnings_section(f, r);
    return ferror(f) ? -1 : 0;
}
