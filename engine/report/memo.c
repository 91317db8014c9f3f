/*
 * memo.c — the run report for people (SPEC §2), as plain text or as Markdown: the same
 * sections, the same figures, in two markups.
 *
 * It opens with the answer: one line per offer, cheapest on average first, with its verdict
 * and what to ask for. Then the walk-away position and its ceilings, every option's
 * present value, each offer in plain words with what drives it, what is worth finding out
 * first (value of information), dominance, and the assumptions (horizon, discounting,
 * descriptions, each input with its p10/p50/p90). A file run with several variants gets
 * the whole report for its first run, the answer alone for the others, and then one table
 * of variant x offer. Money in sentences is rounded to what its Monte Carlo error
 * supports; tables use three significant figures. Nothing but the report is written: no
 * colours, no terminal escapes.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/memo.h"
#include "report/table.h"
#include "util/alloc.h"

#define MAX_DRIVERS 5   /* inputs listed per offer (JSON has them all) */
#define MAX_VOI 8       /* inputs listed by value of information */
#define MAX_PAIRS 8     /* dominance pairs listed */

/* One run of the current file, for the variant table. */
typedef struct run_row {
    char *variant, *walk;
    char **cell; /* per offer: "48% negotiate" */
} run_row;

struct wa_memo {
    int md;
    char *file;        /* the current file */
    char **offers;     /* its offers' names (from its first run) */
    size_t noffers;
    run_row *rows;
    size_t nrows, cap;
    size_t nitems;     /* runs written */
    int oom;           /* a table could not be built for lack of memory */
};

/* Frees a table, remembering whether it could be built. */
static void table_done(wa_memo *m, rt_table *t)
{
    m->oom |= t->failed;
    rt_free(t);
}

wa_memo *wa_memo_new(int markdown)
{
    wa_memo *m = wa_calloc(1, sizeof *m);
    if (m)
        m->md = markdown;
    return m;
}

static void forget_file(wa_memo *m)
{
    for (size_t i = 0; i < m->nrows; i++) {
        wa_free(m->rows[i].variant);
        wa_free(m->rows[i].walk);
        for (size_t k = 0; m->rows[i].cell && k < m->noffers; k++)
            wa_free(m->rows[i].cell[k]);
        wa_free(m->rows[i].cell);
    }
    for (size_t k = 0; k < m->noffers; k++)
        wa_free(m->offers[k]);
    wa_free(m->offers);
    wa_free(m->rows);
    wa_free(m->file);
    m->offers = NULL;
    m->rows = NULL;
    m->file = NULL;
    m->noffers = m->nrows = m->cap = 0;
}

void wa_memo_free(wa_memo *m)
{
    if (!m)
        return;
    forget_file(m);
    wa_free(m);
}

/* ---- markup ------------------------------------------------------------------------------ */

static void heading(FILE *f, wa_memo *m, int level, const char *text)
{
    if (m->md)
        fprintf(f, "\n%s %s\n", level == 1 ? "#" : level == 2 ? "##" : "###", text);
    else
        fprintf(f, "\n%s\n", text);
}

/* A paragraph: wrapped at 72 columns and indented in text, one line in Markdown. */
static void para(FILE *f, wa_memo *m, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (m->md) {
        fprintf(f, "\n%s\n", buf);
        return;
    }
    /* wrap at 70 after two spaces of indent */
    char *line = buf;
    while (*line) {
        size_t len = strlen(line);
        if (len <= 70) {
            fprintf(f, "  %s\n", line);
            break;
        }
        size_t cut = 70;
        while (cut > 0 && line[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = len; /* one long word */
        fprintf(f, "  %.*s\n", (int)cut, line);
        line += cut;
        while (*line == ' ')
            line++;
    }
}

/* ---- figures as people read them ---------------------------------------------------------- */

/* v rounded to a round unit no larger than its standard error se (a power of ten, at
   least 1), with thousands separators: "USD 16,860,000" for 16,859,522 with SE 21,000. */
static void money_se(char *out, size_t size, const char *cur, double v, double se)
{
    if (isfinite(se) && se > 1) {
        double unit = pow(10, floor(log10(se)));
        v = round(v / unit) * unit;
    }
    rf_fmt_money(out, size, cur, v);
}

/* Three significant figures, and no more than the standard error supports. */
static void compact_se(char *out, size_t size, double v, double se)
{
    if (isfinite(se) && se > 0) {
        double unit = pow(10, floor(log10(se)));
        v = round(v / unit) * unit;
    }
    rf_fmt_compact(out, size, v);
}

/* The standard error of the q-quantile of an offer's D over n trials, from its
   percentiles (the density near the quantile); NaN when they do not say. */
static double quantile_se(const wa_offer_summary *o, double q, uint64_t n)
{
    if (!WA_HAS(wa_offer_summary, o, advantage_percentiles) || !o->advantage_percentiles)
        return NAN;
    long j = lround(q * 100) - 1; /* percentiles[j] is p(j+1) */
    if (j < 1 || j > 97 || fabs(q * 100 - (double)(j + 1)) > 1e-9)
        return NAN;
    double spread = o->advantage_percentiles[j + 1] - o->advantage_percentiles[j - 1];
    return sqrt(q * (1 - q) / (double)n) * spread / 0.02;
}

static const char *cur_of(const wa_summary *s)
{
    return s->currency && s->currency[0] ? s->currency : "USD";
}

/* "85%" or "85.3%" for a share such as 0.853. */
static void share_text(char *out, size_t size, double x)
{
    if (!isfinite(x))
        snprintf(out, size, "n/a");
    else if (fabs(x) >= 0.1)
        snprintf(out, size, "%.0f%%", x * 100);
    else
        snprintf(out, size, "%.1f%%", x * 100);
}

/* ---- sections ------------------------------------------------------------------------------ */

static void title(FILE *f, wa_memo *m, const wa_summary *s)
{
    const char *name = s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)";
    char trials[32], level[16];
    rf_fmt_whole(trials, sizeof trials, (double)s->trials);
    rf_fmt_level(level, sizeof level, s->confidence);
    const char *method = wa_method_name(s->method);
    if (m->md)
        fprintf(f, "# %s\n\n", name);
    else
        fprintf(f, "%s\n", name);
    char rate[64] = "";
    if (WA_HAS(wa_summary, s, discount_rate))
        snprintf(rate, sizeof rate, ", discounted at %.4g%% a year", s->discount_rate * 100);
    const char *lines[3];
    char l0[512], l1[256], l2[256];
    snprintf(l0, sizeof l0, "%s, %s", s->file ? s->file : "",
             s->variant ? s->variant : "base scenario");
    snprintf(l1, sizeof l1, "%s trials (%s, seed %" PRIu64 "), %s confidence; run time %.2f s", trials,
             method ? method : "?", s->seed, level, s->elapsed_s);
    snprintf(l2, sizeof l2, "%s, present value over %d year%s%s", cur_of(s), s->horizon,
             s->horizon == 1 ? "" : "s", rate);
    lines[0] = l0, lines[1] = l1, lines[2] = l2;
    for (int i = 0; i < 3; i++)
        fprintf(f, m->md ? "%s  \n" : "  %s\n", lines[i]);
}

/* Offers' indices by mean cost, cheapest first (ties in file order). */
static void by_cost(const wa_result *r, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && wa_result_offer(r, idx[j])->cost.mean <
                                        wa_result_offer(r, idx[j - 1])->cost.mean;
             j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

/* What to do about offer o, in a few words: "walk away unless they take 16.9M off (about
   88%)". */
static void advice(char *out, size_t size, const wa_summary *s, const wa_offer_summary *o)
{
    double se = quantile_se(o, s->confidence, s->trials);
    char ask[32], share[160] = "", level[16];
    compact_se(ask, sizeof ask, fabs(o->concession_needed), se);
    rf_fmt_level(level, sizeof level, s->confidence);
    if (WA_HAS(wa_offer_summary, o, concession_needed_share) &&
        isfinite(o->concession_needed_share) && o->concession_needed > 0) {
        char sh[16];
        share_text(sh, sizeof sh, o->concession_needed_share);
        snprintf(share, sizeof share, ", about %s", sh);
    }
    if (WA_HAS(wa_offer_summary, o, price_units) && o->price_units &&
        isfinite(o->concession_needed_per_unit) && o->concession_needed > 0) {
        char pu[32];
        rf_fmt_sig(pu, sizeof pu, o->concession_needed_per_unit, 3);
        size_t len = strlen(share);
        snprintf(share + len, sizeof share - len, ", %s %s per %s", cur_of(s), pu,
                 o->price_units);
    }
    const char *v = o->verdict ? o->verdict : "";
    if (!strcmp(v, "walk"))
        snprintf(out, size, "walk away unless they take %s off%s", ask, share);
    else if (!strcmp(v, "accept"))
        snprintf(out, size, "take it: it beats walking away with %s confidence%s%s", level,
                 o->concession_needed < 0 ? ", headroom " : "",
                 o->concession_needed < 0 ? ask : "");
    else
        snprintf(out, size, "ask for %s off%s", ask, share);
}

static void answer(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    char h[256];
    snprintf(h, sizeof h, "The answer%s%s%s", s->variant ? " (" : "",
             s->variant ? s->variant : "", s->variant ? ")" : "");
    heading(f, m, 2, h);
    size_t *idx = wa_malloc((s->noffers ? s->noffers : 1) * sizeof *idx);
    if (!idx) {
        m->oom = 1;
        return;
    }
    by_cost(r, idx, s->noffers);
    const char *head[] = {"Offer", "Verdict", "What to do", "Walking is cheaper in"};
    int right[] = {0, 0, 0, 1};
    rt_table t;
    if (rt_init(&t, 4, head, right) == 0) {
        for (size_t i = 0; i < s->noffers; i++) {
            const wa_offer_summary *o = wa_result_offer(r, idx[i]);
            char what[256], p[24], pt[48];
            advice(what, sizeof what, s, o);
            rf_fmt_pct(p, sizeof p, o->p_walk_beats);
            snprintf(pt, sizeof pt, "%s of trials", p);
            const char *cells[] = {o->name, o->verdict, what, pt};
            rt_row(&t, cells);
        }
        rt_print(f, &t, m->md);
    }
    table_done(m, &t);
    wa_free(idx);
    char w[64];
    money_se(w, sizeof w, cur_of(s), s->ceiling_expected, s->walk_cost.sd / sqrt((double)s->trials));
    para(f, m, "Walking away means %s, expected to cost %s.", s->walk_name ? s->walk_name : "",
         w);
}

/* SPEC 1.6 and 2: the other side of the table, as a negotiator says it: per offer, who
   prefers it to no deal and how often both sides do; then the cash settlement that suits
   both. Nothing without a vendor section. */
static void vendor_section(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!WA_HAS(wa_summary, s, settlement_range) || !s->vendor)
        return;
    char h[256], level[16];
    snprintf(h, sizeof h, "The other side of the table: %s", s->vendor);
    heading(f, m, 2, h);
    rf_fmt_level(level, sizeof level, s->confidence);
    size_t *idx = wa_malloc((s->noffers ? s->noffers : 1) * sizeof *idx);
    if (!idx) {
        m->oom = 1;
        return;
    }
    by_cost(r, idx, s->noffers);
    for (size_t i = 0; i < s->noffers; i++) {
        const wa_offer_summary *o = wa_result_offer(r, idx[i]);
        char line[1536], p[24], g[32];
        rf_fmt_pct(p, sizeof p, o->p_buyer_prefers);
        int len = snprintf(line, sizeof line, "%s: the buyer prefers it to walking in %s of trials",
                           o->name, p);
        for (size_t t = 0; t < o->nvendor_tables && len > 0 && (size_t)len < sizeof line; t++) {
            const wa_vendor_table_summary *vt = wa_result_vendor_table(r, idx[i], t);
            rf_fmt_pct(p, sizeof p, vt->p_prefers);
            len += snprintf(line + len, sizeof line - (size_t)len, ", the %s in %s", vt->name,
                            p);
        }
        rf_fmt_pct(p, sizeof p, o->p_deal);
        rf_fmt_compact(g, sizeof g, o->joint_gain);
        if (len > 0 && (size_t)len < sizeof line)
            snprintf(line + len, sizeof line - (size_t)len,
                     ": a deal both sides prefer in %s. It creates %s %s for the two sides "
                     "together on average.",
                     p, cur_of(s), g);
        if (i && !m->md)
            fputc('\n', f);
        para(f, m, "%s", line);
    }
    wa_free(idx);
    if (!m->md)
        fputc('\n', f);
    /* "the vendor" for the default name, a company's name as it is */
    char who[160];
    snprintf(who, sizeof who, "%s%s", strcmp(s->vendor, "vendor") ? "" : "the ", s->vendor);
    char lo[32], hi[32], pe[24], rm[32];
    rf_fmt_compact(lo, sizeof lo, s->settlement_range[0]);
    rf_fmt_compact(hi, sizeof hi, s->settlement_range[1]);
    rf_fmt_pct(pe, sizeof pe, s->zopa_p_exists);
    rf_fmt_compact(rm, sizeof rm, s->vendor_walk.mean);
    if (s->has_settlement_range)
        para(f, m,
             "A cash settlement between %s %s and %s %s suits both sides with %s confidence: "
             "%s gets less than %s %s from walking away (%s %s on average), and walking "
             "away costs the buyer more than %s %s, each in at least %s of trials. Some "
             "settlement suits both in %s of trials.",
             cur_of(s), lo, cur_of(s), hi, level, who, cur_of(s), lo, cur_of(s), rm, cur_of(s),
             hi, level, pe);
    else
        para(f, m,
             "No cash settlement suits both sides with %s confidence: %s would want more "
             "than %s %s (its walk-away, %s %s on average), and the buyer would pay no more "
             "than %s %s. Some settlement suits both in %s of trials.",
             level, who, cur_of(s), lo, cur_of(s), rm, cur_of(s), hi, pe);
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

static void walk_section(FILE *f, wa_memo *m, const wa_summary *s)
{
    char e[64], c[64], a[64], level[16], h[256];
    rf_fmt_level(level, sizeof level, s->confidence);
    snprintf(h, sizeof h, "Walk-away position: %s (%s)", s->walk_name ? s->walk_name : "",
             chosen_by_text(s->walk_chosen_by));
    heading(f, m, 2, h);
    double se = s->walk_cost.sd / sqrt((double)s->trials);
    money_se(e, sizeof e, cur_of(s), s->ceiling_expected, se);
    rf_fmt_money(c, sizeof c, cur_of(s), s->ceiling_confident);
    rf_fmt_money(a, sizeof a, cur_of(s), s->ceiling_accept_below);
    char l2[64];
    snprintf(l2, sizeof l2, "Ceiling at %s confidence", level);
    const char *head[] = {"", ""};
    rt_table t;
    if (rt_init(&t, 2, head, NULL) == 0) {
        const char *r0[] = {"Expected cost of walking away (the risk-neutral ceiling)", e};
        const char *r1[] = {l2, c};
        const char *r2[] = {"Accept below", a};
        rt_row(&t, r0);
        rt_row(&t, r1);
        rt_row(&t, r2);
        if (m->md) {
            rt_print(f, &t, 1);
        } else {
            for (size_t i = 0; i < t.nr; i++) {
                fputs("  ", f);
                rf_pad(f, t.cell[i * 2], 58);
                fprintf(f, "%s\n", t.cell[i * 2 + 1]);
            }
        }
    }
    table_done(m, &t);
    para(f, m,
         "A fixed price above the ceiling costs more than walking away, and one below the "
         "accept-below figure costs less, in at least %s of trials.",
         level);
}

static void options_section(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    char h[128];
    snprintf(h, sizeof h, "Present value of each option (%s)", cur_of(s));
    heading(f, m, 2, h);
    int ce = WA_HAS(wa_summary, s, has_risk_tolerance) && s->has_risk_tolerance;
    const char *head[] = {"Option", "Role", "Mean", "P5", "P50", "P95", "P(cheapest)",
                          "Certainty eq."};
    int right[] = {0, 0, 1, 1, 1, 1, 1, 1};
    rt_table t;
    if (rt_init(&t, ce ? 8 : 7, head, right) != 0) {
        table_done(m, &t);
        return;
    }
    /* by the ranking (cheapest first); without one (--no-insight), alternatives then
       offers in file order */
    size_t nopt = s->nalternatives + s->noffers;
    for (size_t i = 0; i < nopt; i++) {
        const wa_rank *rk = s->nranking ? wa_result_ranking(r, i) : NULL;
        const char *name = NULL, *role = NULL;
        const wa_stats *st = NULL;
        double cev = NAN, pb = rk ? rk->p_best : NAN;
        for (size_t a = 0; a < s->nalternatives; a++) {
            const wa_alternative_summary *al = wa_result_alternative(r, a);
            if (rk ? (!strcmp(al->name, rk->name) && !strcmp(rk->role, "alternative")) : i == a) {
                name = al->name, st = &al->cost;
                cev = al->has_certainty_equivalent ? al->certainty_equivalent : NAN;
                role = a == s->walk ? "walk-away" : "alternative";
            }
        }
        for (size_t k = 0; k < s->noffers; k++) {
            const wa_offer_summary *o = wa_result_offer(r, k);
            if (rk ? (!strcmp(o->name, rk->name) && !strcmp(rk->role, "offer"))
                   : i == s->nalternatives + k) {
                name = o->name, st = &o->cost, role = "offer";
                cev = o->has_certainty_equivalent ? o->certainty_equivalent : NAN;
            }
        }
        if (!st)
            continue;
        char v[6][24];
        rf_fmt_compact(v[0], sizeof v[0], st->mean);
        rf_fmt_compact(v[1], sizeof v[1], st->p5);
        rf_fmt_compact(v[2], sizeof v[2], st->p50);
        rf_fmt_compact(v[3], sizeof v[3], st->p95);
        if (isfinite(pb))
            rf_fmt_pct(v[4], sizeof v[4], pb);
        else
            v[4][0] = '\0';
        rf_fmt_compact(v[5], sizeof v[5], cev);
        const char *cells[] = {name, role, v[0], v[1], v[2], v[3], v[4], v[5]};
        rt_row(&t, cells);
    }
    rt_print(f, &t, m->md);
    table_done(m, &t);
    if (s->nranking)
        para(f, m, "Cheapest first on average. P(cheapest): the share of trials in which the "
                   "option costs least of all%s.",
             ce ? "; the certainty equivalent is the sure cost a buyer with the scenario's "
                  "risk tolerance would trade the gamble for" : "");
}

static void offer_section(FILE *f, wa_memo *m, const wa_result *r, size_t k)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, k);
    char h[256], p[24], lo[24], hi[24], mm[64], level[16];
    const char *cur = cur_of(s);
    rf_fmt_level(level, sizeof level, s->confidence);
    snprintf(h, sizeof h, "Offer: %s", o->name ? o->name : "");
    heading(f, m, 2, h);
    if (WA_HAS(wa_offer_summary, o, description) && o->description && o->description[0])
        para(f, m, "%s", o->description);
    int dec = isfinite(o->p_walk_beats) ? rf_pct_decimals(o->p_walk_beats) : 1;
    rf_fmt_pct_dec(p, sizeof p, o->p_walk_beats, dec);
    rf_fmt_pct_dec(lo, sizeof lo, o->p_walk_beats_ci95[0], dec);
    rf_fmt_pct_dec(hi, sizeof hi, o->p_walk_beats_ci95[1], dec);
    if (lo[0] && lo[strlen(lo) - 1] == '%')
        lo[strlen(lo) - 1] = '\0';
    char s1[256], s2[256], s3[512], s4[256];
    snprintf(s1, sizeof s1, "Walking away beats this offer in %s of trials (95%% CI %s\u2013%s).",
             p, lo, hi);
    double adv = o->advantage.mean;
    money_se(mm, sizeof mm, cur, fabs(adv), o->advantage.sd / sqrt((double)s->trials));
    if (adv > 0)
        snprintf(s2, sizeof s2, "On average walking away costs %s less than this offer.", mm);
    else if (adv < 0)
        snprintf(s2, sizeof s2, "On average walking away costs %s more than this offer.", mm);
    else
        snprintf(s2, sizeof s2, "On average walking away costs the same as this offer.");
    double cn = o->concession_needed;
    money_se(mm, sizeof mm, cur, fabs(cn), quantile_se(o, s->confidence, s->trials));
    char share[192] = "";
    if (WA_HAS(wa_offer_summary, o, concession_needed_share) &&
        isfinite(o->concession_needed_share) && cn > 0) {
        char sh[16];
        share_text(sh, sizeof sh, o->concession_needed_share);
        snprintf(share, sizeof share, " (%s of its price)", sh);
    }
    if (WA_HAS(wa_offer_summary, o, price_units) && o->price_units &&
        isfinite(o->concession_needed_per_unit) && cn > 0) {
        char pu[32], per[96];
        rf_fmt_sig(pu, sizeof pu, o->concession_needed_per_unit, 3);
        snprintf(per, sizeof per, "%s %s per %s", cur, pu, o->price_units);
        size_t len = strlen(share);
        if (len) /* " (18% of its price)" -> " (18% of its price; USD 95 per core-year)" */
            snprintf(share + len - 1, sizeof share - len + 1, "; %s)", per);
        else
            snprintf(share, sizeof share, " (%s)", per);
    }
    if (cn > 0)
        snprintf(s3, sizeof s3,
                 "Concession needed: %s off this offer's present value%s before it beats "
                 "walking away with %s confidence.",
                 mm, share, level);
    else
        snprintf(s3, sizeof s3,
                 "No concession needed: this offer already beats walking away with %s "
                 "confidence (headroom %s).",
                 level, mm);
    double es = o->expected_shortfall;
    rf_fmt_money(mm, sizeof mm, cur, fabs(es));
    if (es < 0)
        snprintf(s4, sizeof s4,
                 "In the worst 5%% of trials walking away costs on average %s more than this "
                 "offer.",
                 mm);
    else
        snprintf(s4, sizeof s4,
                 "Even in the worst 5%% of trials walking away is cheaper, by %s on average.",
                 mm);
    para(f, m, "%s %s %s %s", s1, s2, s3, s4);

    size_t nd = o->nsensitivity < MAX_DRIVERS ? o->nsensitivity : MAX_DRIVERS;
    if (nd == 0)
        return;
    para(f, m, "What drives it (swings from each input's lowest tenth of draws to its "
               "highest):");
    const char *head[] = {"Input", "Rank corr.", "Swing in P(walk beats)",
                          "Swing in mean advantage", "Share of variance"};
    int right[] = {0, 1, 1, 1, 1};
    rt_table t;
    if (rt_init(&t, 5, head, right) == 0) {
        for (size_t i = 0; i < nd; i++) {
            const wa_sensitivity *sv = wa_result_sensitivity(r, k, i);
            char rc[24], sp[32], c[24], sm[32], sh[16] = "";
            snprintf(rc, sizeof rc, "%+.2f", sv->spearman);
            snprintf(sp, sizeof sp, "%+.1f pts", sv->swing_p_walk_beats * 100);
            rf_fmt_compact(c, sizeof c, sv->swing_mean_advantage);
            snprintf(sm, sizeof sm, "%s%s", c[0] != '-' && c[0] != '0' ? "+" : "", c);
            if (WA_HAS(wa_sensitivity, sv, contribution))
                share_text(sh, sizeof sh, sv->contribution);
            const char *cells[] = {sv->input, rc, sp, sm, sh};
            rt_row(&t, cells);
        }
        rt_print(f, &t, m->md);
    }
    table_done(m, &t);
    if (o->nsensitivity > nd) {
        para(f, m, "(%zu more input%s in the JSON output.)", o->nsensitivity - nd,
             o->nsensitivity - nd == 1 ? "" : "s");
    }
}

static void voi_section(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!WA_HAS(wa_summary, s, nvoi) || !s->best_in_expectation)
        return;
    heading(f, m, 2, "What is worth finding out first");
    char e[64], se[64];
    money_se(e, sizeof e, cur_of(s), s->evpi, s->evpi_se);
    rf_fmt_compact(se, sizeof se, s->evpi_se);
    para(f, m,
         "Deciding now on expected cost means taking %s. Knowing every uncertain figure "
         "before deciding would save %s on average (the expected value of perfect "
         "information, \u00b1 %s); what knowing one input alone is worth:",
         s->best_in_expectation, e, se);
    const char *head[] = {"Input", "Worth knowing", "\u00b1", "Share of all"};
    int right[] = {0, 1, 1, 1};
    rt_table t;
    size_t shown = 0;
    if (rt_init(&t, 4, head, right) == 0) {
        for (size_t i = 0; i < s->nvoi && shown < MAX_VOI; i++) {
            const wa_voi *v = wa_result_voi(r, i);
            if (!(v->evppi > 0))
                continue;
            char a[24], b[24], c[16];
            compact_se(a, sizeof a, v->evppi, v->evppi_se);
            rf_fmt_compact(b, sizeof b, v->evppi_se);
            share_text(c, sizeof c, v->share);
            const char *cells[] = {v->input, a, b, c};
            rt_row(&t, cells);
            shown++;
        }
        if (shown)
            rt_print(f, &t, m->md);
    }
    table_done(m, &t);
    if (!shown)
        para(f, m, "No single input is worth researching: learning any one of them would "
                   "not change the decision.");
}

static void dominance_section(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!WA_HAS(wa_summary, s, ndominance) || s->ndominance == 0)
        return;
    heading(f, m, 2, "Dominance");
    if (m->md)
        fputc('\n', f);
    size_t n = s->ndominance < MAX_PAIRS ? s->ndominance : MAX_PAIRS;
    for (size_t i = 0; i < n; i++) {
        const wa_dominance *d = wa_result_dominance(r, i);
        if (d->order == 1)
            fprintf(f, m->md ? "- %s costs less than %s at every quantile (first order)\n"
                             : "  - %s costs less than %s at every quantile (first order)\n",
                    d->better, d->worse);
        else
            fprintf(f, m->md ? "- every risk-averse buyer prefers %s to %s (second order)\n"
                             : "  - every risk-averse buyer prefers %s to %s (second order)\n",
                    d->better, d->worse);
    }
    if (s->ndominance > n)
        fprintf(f, m->md ? "- (%zu more pairs in the JSON output)\n"
                         : "  - (%zu more pairs in the JSON output)\n",
                s->ndominance - n);
}

static void assumptions(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    heading(f, m, 2, "Assumptions");
    if (WA_HAS(wa_summary, s, description) && s->description && s->description[0])
        para(f, m, "%s", s->description);
    char rt[96] = "";
    if (WA_HAS(wa_summary, s, has_risk_tolerance) && s->has_risk_tolerance) {
        char v[64];
        rf_fmt_money(v, sizeof v, cur_of(s), s->risk_tolerance);
        snprintf(rt, sizeof rt, " Risk tolerance %s.", v);
    }
    para(f, m, "Horizon %d year%s; every cash flow discounted at %.4g%% a year to today.%s",
         s->horizon, s->horizon == 1 ? "" : "s", s->discount_rate * 100, rt);
    /* the options with their descriptions */
    int any = 0;
    for (size_t k = 0; k < s->noffers; k++)
        any |= wa_result_offer(r, k)->description != NULL;
    for (size_t a = 0; a < s->nalternatives; a++)
        any |= wa_result_alternative(r, a)->description != NULL;
    if (any) {
        const char *head[] = {"Option", "Role", "Description"};
        rt_table t;
        if (rt_init(&t, 3, head, NULL) == 0) {
            for (size_t k = 0; k < s->noffers; k++) {
                const wa_offer_summary *o = wa_result_offer(r, k);
                const char *cells[] = {o->name, "offer", o->description};
                rt_row(&t, cells);
            }
            for (size_t a = 0; a < s->nalternatives; a++) {
                const wa_alternative_summary *al = wa_result_alternative(r, a);
                const char *cells[] = {al->name, "alternative", al->description};
                rt_row(&t, cells);
            }
            rt_print(f, &t, m->md);
            if (!m->md)
                fputc('\n', f);
        }
        table_done(m, &t);
    }
    if (!WA_HAS(wa_summary, s, ninputs) || s->ninputs == 0)
        return;
    const char *head[] = {"Input", "Distribution or formula", "P10", "P50", "P90"};
    int right[] = {0, 0, 1, 1, 1};
    rt_table t;
    if (rt_init(&t, 5, head, right) == 0) {
        for (size_t i = 0; i < s->ninputs; i++) {
            const wa_input_summary *in = wa_result_input(r, i);
            char a[24] = "", b[24] = "", c[24] = "", what[1024];
            const char *d = in->distribution ? in->distribution : "";
            if (!strcmp(in->kind, "sampled")) {
                rf_fmt_sig(a, sizeof a, in->p10, 3);
                rf_fmt_sig(b, sizeof b, in->p50, 3);
                rf_fmt_sig(c, sizeof c, in->p90, 3);
                snprintf(what, sizeof what, "%s", d);
            } else if (!strcmp(in->kind, "constant")) {
                char v[24];
                rf_fmt_sig(v, sizeof v, in->value, 6);
                snprintf(what, sizeof what, "= %s", v);
            } else if (!m->md && strlen(d) > 44) { /* a long formula: its start (JSON and
                                                      Markdown have it whole) */
                snprintf(what, sizeof what, "= %.40s...", d);
            } else {
                snprintf(what, sizeof what, "= %s", d);
            }
            const char *cells[] = {in->name, what, a, b, c};
            rt_row(&t, cells);
        }
        rt_print(f, &t, m->md);
    }
    table_done(m, &t);
}

static void warnings(FILE *f, wa_memo *m, const wa_result *r)
{
    size_t n = wa_result_summary(r)->nwarnings;
    if (n == 0)
        return;
    heading(f, m, 2, "Warnings");
    if (m->md)
        fputc('\n', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, m->md ? "- %s\n" : "  - %s\n", wa_result_warning(r, i));
}

/* ---- the variant table ---------------------------------------------------------------------- */

static char *dup(const char *s)
{
    if (!s)
        return NULL;
    char *c = wa_malloc(strlen(s) + 1);
    if (c)
        strcpy(c, s);
    return c;
}

static int remember(wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!m->file) {
        m->file = dup(s->file ? s->file : "");
        m->offers = wa_calloc(s->noffers ? s->noffers : 1, sizeof *m->offers);
        if (!m->file || !m->offers)
            return -1;
        m->noffers = s->noffers;
        for (size_t k = 0; k < s->noffers; k++)
            if (!(m->offers[k] = dup(wa_result_offer(r, k)->name)))
                return -1;
    }
    if (m->nrows == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 4;
        run_row *v = wa_realloc(m->rows, cap * sizeof *v);
        if (!v)
            return -1;
        m->rows = v;
        m->cap = cap;
    }
    run_row *row = &m->rows[m->nrows++];
    row->variant = dup(s->variant ? s->variant : "(base)");
    row->walk = dup(s->walk_name);
    row->cell = wa_calloc(m->noffers ? m->noffers : 1, sizeof *row->cell);
    if (!row->variant || !row->walk || !row->cell)
        return -1;
    for (size_t k = 0; k < m->noffers && k < s->noffers; k++) {
        const wa_offer_summary *o = wa_result_offer(r, k);
        char p[24], c[64];
        rf_fmt_pct(p, sizeof p, o->p_walk_beats);
        snprintf(c, sizeof c, "%s %s", p, o->verdict ? o->verdict : "");
        if (!(row->cell[k] = dup(c)))
            return -1;
    }
    return 0;
}

/* 0, or -1 with errno ENOMEM when some table could not be built (the report is then
   incomplete and must not be used), or -1 on a stream error. */
static int settled(FILE *f, const wa_memo *m)
{
    if (m->oom) {
        errno = ENOMEM;
        return -1;
    }
    return ferror(f) ? -1 : 0;
}

/* The table of the file's runs, when there were several; then the file is forgotten. */
static int flush_file(FILE *f, wa_memo *m)
{
    if (m->nrows >= 2) {
        heading(f, m, 2, "Variants compared (walking is cheaper in, and the verdict)");
        size_t nc = 2 + m->noffers;
        const char **head = wa_calloc(nc, sizeof *head);
        int *right = wa_calloc(nc, sizeof *right);
        const char **cells = wa_calloc(nc, sizeof *cells);
        rt_table t;
        memset(&t, 0, sizeof t);
        if (head && right && cells) {
            head[0] = "Variant";
            for (size_t k = 0; k < m->noffers; k++) {
                head[1 + k] = m->offers[k];
                right[1 + k] = 1;
            }
            head[nc - 1] = "Walk-away";
            if (rt_init(&t, nc, head, right) == 0) {
                for (size_t i = 0; i < m->nrows; i++) {
                    cells[0] = m->rows[i].variant;
                    for (size_t k = 0; k < m->noffers; k++)
                        cells[1 + k] = m->rows[i].cell[k];
                    cells[nc - 1] = m->rows[i].walk;
                    rt_row(&t, cells);
                }
                rt_print(f, &t, m->md);
            }
        }
        table_done(m, &t);
        m->oom |= !head || !right || !cells;
        wa_free(head);
        wa_free(right);
        wa_free(cells);
    }
    forget_file(m);
    return settled(f, m);
}

int wa_memo_item(FILE *f, wa_memo *m, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    int same_file = m->file && s->file && !strcmp(m->file, s->file);
    if (!same_file && m->file && flush_file(f, m))
        return -1;
    if (m->nitems > 0) {
        if (m->md) {
            fputs("\n---\n\n", f);
        } else {
            fputc('\n', f);
            rf_rule(f);
            fputc('\n', f);
        }
    }
    if (same_file) {
        /* a further variant of the file: its answer, the table at the end compares them */
        char h[512];
        snprintf(h, sizeof h, "%s: variant %s", s->scenario ? s->scenario : "",
                 s->variant ? s->variant : "(base)");
        if (m->md)
            fprintf(f, "# %s\n", h);
        else
            fprintf(f, "%s\n", h);
        answer(f, m, r);
        vendor_section(f, m, r);
        warnings(f, m, r);
    } else {
        title(f, m, s);
        answer(f, m, r);
        vendor_section(f, m, r);
        walk_section(f, m, s);
        options_section(f, m, r);
        for (size_t k = 0; k < s->noffers; k++)
            offer_section(f, m, r, k);
        voi_section(f, m, r);
        dominance_section(f, m, r);
        assumptions(f, m, r);
        warnings(f, m, r);
    }
    m->nitems++;
    m->oom |= remember(m, r) != 0;
    return settled(f, m);
}

int wa_memo_end(FILE *f, wa_memo *m)
{
    return flush_file(f, m);
}

/* ---- the memo's words, for the HTML page (html.c) ------------------------------------------ */

void wa_memo_advice(char *out, size_t size, const wa_summary *s, const wa_offer_summary *o)
{
    advice(out, size, s, o);
}

void wa_memo_money_se(char *out, size_t size, const char *cur, double v, double se)
{
    money_se(out, size, cur, v, se);
}

double wa_memo_quantile_se(const wa_offer_summary *o, double q, uint64_t n)
{
    return quantile_se(o, q, n);
}

void wa_memo_share_text(char *out, size_t size, double x) { share_text(out, size, x); }

const char *wa_memo_chosen_by(const char *how) { return chosen_by_text(how); }
