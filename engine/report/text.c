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

#include "report/report.h"

#define RULE_WIDTH 72
#define MAX_DRIVERS 5 /* inputs listed per offer; the JSON output has them all */

/* ---- number formatting -------------------------------------------------------------- */

/* Writes v rounded to a whole number with thousands separators ("-1,234,567"). Values
   too large for whole-number printing to be meaningful fall back to %.3g. */
static void fmt_whole(char *out, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(out, size, "n/a");
        return;
    }
    if (fabs(v) >= 1e15) {
        snprintf(out, size, "%.3g", v);
        return;
    }
    char digits[32];
    double r = round(v);
    if (r == 0)
        r = 0; /* no "-0" */
    snprintf(digits, sizeof digits, "%.0f", fabs(r));
    size_t nd = strlen(digits), pos = 0;
    if (r < 0 && pos + 1 < size)
        out[pos++] = '-';
    for (size_t i = 0; i < nd && pos + 1 < size; i++) {
        if (i > 0 && (nd - i) % 3 == 0 && pos + 2 < size)
            out[pos++] = ',';
        out[pos++] = digits[i];
    }
    out[pos] = '\0';
}

/* "USD 1,234,567" */
static void fmt_money(char *out, size_t size, const char *currency, double v)
{
    char num[48];
    fmt_whole(num, sizeof num, v);
    snprintf(out, size, "%s %s", currency && currency[0] ? currency : "USD", num);
}

/* Three significant figures with a k/M/B/T suffix: "950", "12.3k", "1.23M", "-4.5B". */
static void fmt_compact(char *out, size_t size, double v)
{
    static const char *const suffix[] = {"", "k", "M", "B", "T"};
    if (!isfinite(v)) {
        snprintf(out, size, "n/a");
        return;
    }
    double a = fabs(v);
    size_t u = 0;
    while (u + 1 < sizeof suffix / sizeof suffix[0] && a >= 999.5) {
        a /= 1000;
        u++;
    }
    /* Decimals so that three significant figures show; 999.96k rounds to 1000k, which is
       why the loop above steps up a unit at 999.5 rather than 1000. */
    int dec = u == 0 ? 0 : a < 9.995 ? 2 : a < 99.95 ? 1 : 0;
    if (u == 0)
        a = round(a);
    snprintf(out, size, "%s%.*f%s", v < 0 && a != 0 ? "-" : "", dec, a, suffix[u]);
}

/* Decimals for showing probability p as a percentage: one, or more near 0% and 100% so
   that 99.95% does not read as a certain 100.0%, nor 0.04% as 0.0%. */
static int pct_decimals(double p)
{
    double m = p < 1 - p ? p : 1 - p;
    return !(m < 0.01) ? 1 : m >= 0.001 ? 2 : 3;
}

/* p as a percentage with dec decimals; exactly 0 and 1 print as "0%" and "100%", and a
   value that would still round to either prints as "<0.001%" or ">99.999%". */
static void fmt_pct_dec(char *out, size_t size, double p, int dec)
{
    if (!isfinite(p)) {
        snprintf(out, size, "n/a");
        return;
    }
    if (p <= 0 || p >= 1) {
        snprintf(out, size, "%.0f%%", p <= 0 ? 0.0 : 100.0);
        return;
    }
    snprintf(out, size, "%.*f%%", dec, p * 100);
    double shown = strtod(out, NULL);
    if (shown <= 0)
        snprintf(out, size, "<%.*f%%", dec, pow(10, -dec));
    else if (shown >= 100)
        snprintf(out, size, ">%.*f%%", dec, 100 - pow(10, -dec));
}

static void fmt_pct(char *out, size_t size, double p)
{
    fmt_pct_dec(out, size, p, isfinite(p) ? pct_decimals(p) : 1);
}

/* The confidence level as a percentage without trailing zeros: 0.8 -> "80%". */
static void fmt_level(char *out, size_t size, double c)
{
    snprintf(out, size, "%.4g%%", c * 100);
}

/* ---- layout --------------------------------------------------------------------------- */

/* Display width of a UTF-8 string: its code points (continuation bytes take no column). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* s, then spaces up to w columns (nothing extra when s is already wider). */
static void pad(FILE *f, const char *s, size_t w)
{
    fputs(s ? s : "", f);
    for (size_t k = width(s); k < w; k++)
        fputc(' ', f);
}

/* Spaces up to w columns, then s: right alignment for numbers. */
static void rpad(FILE *f, const char *s, size_t w)
{
    for (size_t k = width(s); k < w; k++)
        fputc(' ', f);
    fputs(s, f);
}

static void rule(FILE *f)
{
    for (int i = 0; i < RULE_WIDTH; i++)
        fputc('=', f);
    fputc('\n', f);
}

/* ---- sections ------------------------------------------------------------------------- */

static void header(FILE *f, const wa_summary *s)
{
    char level[16];
    fmt_level(level, sizeof level, s->confidence);
    fprintf(f, "%s\n", s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)");
    fprintf(f, "  File:        %s\n", s->file ? s->file : "");
    fprintf(f, "  Variant:     %s\n", s->variant ? s->variant : "(base scenario)");
    char trials[32];
    fmt_whole(trials, sizeof trials, (double)s->trials);
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
    fmt_level(level, sizeof level, s->confidence);
    fprintf(f, "\nWalk-away position: %s (%s)\n", s->walk_name ? s->walk_name : "",
            chosen_by_text(s->walk_chosen_by));
    fmt_money(m, sizeof m, s->currency, s->ceiling_expected);
    fprintf(f, "  Expected cost of walking away:  %s  (the risk-neutral ceiling)\n", m);
    fmt_money(m, sizeof m, s->currency, s->ceiling_confident);
    char label[48];
    snprintf(label, sizeof label, "Ceiling at %s confidence:", level);
    fputs("  ", f);
    pad(f, label, 32);
    fprintf(f, "%s\n", m);
    fmt_money(m, sizeof m, s->currency, s->ceiling_accept_below);
    fprintf(f, "  Accept below:                   %s\n", m);
    fprintf(f, "  A fixed price above the ceiling costs more than walking away, and one\n"
               "  below the accept-below figure costs less, in at least %s of trials.\n",
            level);
}

static void option_row(FILE *f, size_t namew, const char *name, const char *role,
                       const wa_stats *st)
{
    char v[4][24];
    fmt_compact(v[0], sizeof v[0], st->mean);
    fmt_compact(v[1], sizeof v[1], st->p5);
    fmt_compact(v[2], sizeof v[2], st->p50);
    fmt_compact(v[3], sizeof v[3], st->p95);
    fputs("  ", f);
    pad(f, name, namew);
    fputs("  ", f);
    pad(f, role, 11);
    for (int k = 0; k < 4; k++) {
        fputs("  ", f);
        rpad(f, v[k], 8);
    }
    fputc('\n', f);
}

static void options_table(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    size_t namew = width("Option");
    for (size_t i = 0; i < s->nalternatives; i++)
        if (width(wa_result_alternative(r, i)->name) > namew)
            namew = width(wa_result_alternative(r, i)->name);
    for (size_t i = 0; i < s->noffers; i++)
        if (width(wa_result_offer(r, i)->name) > namew)
            namew = width(wa_result_offer(r, i)->name);

    fprintf(f, "\nPresent value of each option (%s)\n",
            s->currency && s->currency[0] ? s->currency : "USD");
    fputs("  ", f);
    pad(f, "Option", namew);
    fputs("  ", f);
    pad(f, "Role", 11);
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
    fmt_level(level, sizeof level, s->confidence);

    fprintf(f, "\nOffer: %s\n", o->name ? o->name : "");
    /* the interval in the estimate's own precision, so the three read alike */
    int dec = isfinite(o->p_walk_beats) ? pct_decimals(o->p_walk_beats) : 1;
    fmt_pct_dec(p, sizeof p, o->p_walk_beats, dec);
    fmt_pct_dec(lo, sizeof lo, o->p_walk_beats_ci95[0], dec);
    fmt_pct_dec(hi, sizeof hi, o->p_walk_beats_ci95[1], dec);
    if (lo[0] && lo[strlen(lo) - 1] == '%')
        lo[strlen(lo) - 1] = '\0'; /* "70.9–71.5%": one percent sign for the range */
    fprintf(f, "  Walking away beats this offer in %s of trials (95%% CI %s\u2013%s).\n", p, lo,
            hi);

    double adv = o->advantage.mean;
    fmt_money(m, sizeof m, cur, fabs(adv));
    if (adv > 0)
        fprintf(f, "  On average walking away costs %s less than this offer.\n", m);
    else if (adv < 0)
        fprintf(f, "  On average walking away costs %s more than this offer.\n", m);
    else
        fputs("  On average walking away costs the same as this offer.\n", f);

    double cn = o->concession_needed;
    fmt_money(m, sizeof m, cur, fabs(cn));
    if (cn > 0)
        fprintf(f, "  Concession needed: %s off this offer's present value before it\n"
                   "  beats walking away with %s confidence.\n",
                m, level);
    else
        fprintf(f, "  No concession needed: this offer already beats walking away with\n"
                   "  %s confidence (headroom %s).\n",
                level, m);

    double es = o->expected_shortfall;
    fmt_money(m, sizeof m, cur, fabs(es));
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
    size_t namew = width("Input");
    for (size_t k = 0; k < nd; k++)
        if (width(wa_result_sensitivity(r, offer, idx[k])->input) > namew)
            namew = width(wa_result_sensitivity(r, offer, idx[k])->input);
    fputs("  What drives it (swing: from the input's lowest tenth of draws to its highest):\n",
          f);
    fputs("    ", f);
    pad(f, "Input", namew);
    fputs("  Rank corr.  Swing in P(walk beats)  Swing in mean advantage\n", f);
    for (size_t k = 0; k < nd; k++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, offer, idx[k]);
        char rc[24], sp[32], c[24], sm[32];
        snprintf(rc, sizeof rc, "%+.2f", sv->spearman);
        snprintf(sp, sizeof sp, "%+.1f pts", sv->swing_p_walk_beats * 100);
        fmt_compact(c, sizeof c, sv->swing_mean_advantage);
        snprintf(sm, sizeof sm, "%s%s", c[0] != '-' && c[0] != '0' ? "+" : "", c);
        fputs("    ", f);
        pad(f, sv->input, namew);
        rpad(f, rc, 12);
        rpad(f, sp, 24);
        rpad(f, sm, 25);
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
        if (width(wa_result_alternative(r, i)->name) > namew)
            namew = width(wa_result_alternative(r, i)->name);
    fputs("\nChance each alternative is the cheapest alternative\n", f);
    for (size_t i = 0; i < s->nalternatives; i++) {
        char p[24];
        fmt_pct(p, sizeof p, wa_result_alternative(r, i)->p_cheapest);
        fputs("  ", f);
        pad(f, wa_result_alternative(r, i)->name, namew);
        fputs("  ", f);
        rpad(f, p, 7);
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

int wa_report_text(FILE *f, const wa_result *const *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            fputc('\n', f);
            rule(f);
            fputc('\n', f);
        }
        const wa_summary *s = wa_result_summary(r[i]);
        header(f, s);
        walk_section(f, s);
        options_table(f, r[i]);
        for (size_t k = 0; k < s->noffers; k++)
            offer_section(f, r[i], k);
        cheapest_section(f, r[i]);
        warnings_section(f, r[i]);
        if (ferror(f))
            return -1;
    }
    return ferror(f) ? -1 : 0;
}
