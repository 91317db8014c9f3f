/*
 * html.c — the run report as one self-contained page (see html.h): inline CSS and SVG,
 * no script, no font, image or style fetched from anywhere (a Content-Security-Policy says
 * so to the browser), readable on a laptop and printed on A4.
 *
 * The page: the contents; the answer of every run (the memo's answer table, in its words);
 * then a section per run (a file's base, then its variants), each on a new printed page:
 * the walk-away and its ceilings with the S-curves, every option's present value, each
 * offer with its figures, its histogram of D, what drives it (table, tornado, spider), what
 * is worth finding out first (table, EVPPI bars), the vendor's side, and, for a file's
 * first run, the assumptions. Runs are read through the public accessors only.
 */
#include "report/html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/charts.h"
#include "report/format.h"
#include "report/memo.h"
#include "report/report.h"
#include "report/study_charts.h"
#include "report/svg.h"
#include "util/alloc.h"

#define MAX_DRIVERS 5 /* inputs in an offer's table of drivers (the tornado has more) */
#define MAX_VOI 8

/* A stream into memory: the page's parts until the end. */
typedef struct part {
    char *text;
    size_t len;
    FILE *f;
} part;

struct wa_html {
    part toc, answer, body;
    size_t nruns, ncharts;
    char *file;       /* the current file: its first run has the assumptions */
    char *title;      /* the first run's scenario, for <title> */
    int several;      /* runs of more than one scenario */
};

static int part_open(part *p)
{
    p->text = NULL;
    p->len = 0;
    p->f = open_memstream(&p->text, &p->len);
    return p->f ? 0 : -1;
}

static void part_free(part *p)
{
    if (p->f)
        fclose(p->f);
    free(p->text); /* open_memstream's: the C library's malloc */
    memset(p, 0, sizeof *p);
}

static char *dup(const char *s)
{
    char *c = wa_malloc(strlen(s) + 1);
    if (c)
        strcpy(c, s);
    return c;
}

wa_html *wa_html_new(void)
{
    wa_html *h = wa_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (part_open(&h->toc) || part_open(&h->answer) || part_open(&h->body)) {
        wa_html_free(h);
        return NULL;
    }
    return h;
}

void wa_html_free(wa_html *h)
{
    if (!h)
        return;
    part_free(&h->toc);
    part_free(&h->answer);
    part_free(&h->body);
    wa_free(h->file);
    wa_free(h->title);
    wa_free(h);
}

/* ---- markup ----------------------------------------------------------------------------- */

static void esc(FILE *f, const char *s) { svg_escape(f, s); }

/* <tag>text</tag>, the text escaped. */
static void element(FILE *f, const char *tag, const char *text)
{
    fprintf(f, "<%s>", tag);
    esc(f, text);
    fprintf(f, "</%s>\n", tag);
}

/* A table: the head row, then rows of cells (escaped); right[i] marks a numeric column. */
static void table_head(FILE *f, size_t n, const char *const *head, const int *right)
{
    fputs("<table>\n<thead><tr>", f);
    for (size_t i = 0; i < n; i++) {
        fputs(right && right[i] ? "<th class=\"n\">" : "<th>", f);
        esc(f, head[i]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
}

static void table_row(FILE *f, size_t n, const char *const *cells, const int *right)
{
    fputs("<tr>", f);
    for (size_t i = 0; i < n; i++) {
        fputs(right && right[i] ? "<td class=\"n\">" : "<td>", f);
        esc(f, cells[i] ? cells[i] : "");
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

static void table_end(FILE *f) { fputs("</tbody>\n</table>\n", f); }

/* A chart as a figure, with a new id in the page. */
static void figure(FILE *f, wa_html *h, const wa_result *r, wa_chart_kind kind, size_t k)
{
    wa_chart_ref c = {kind, k};
    if (!wa_chart_has(r, c))
        return;
    char id[32];
    snprintf(id, sizeof id, "c%zu", ++h->ncharts);
    fprintf(f, "<figure class=\"chart %s\">\n", wa_chart_kind_name(kind));
    wa_chart_draw(f, r, c, id, 0);
    fputs("</figure>\n", f);
}

static const char *cur_of(const wa_summary *s)
{
    return s->currency && s->currency[0] ? s->currency : "USD";
}

/* "IBM audit — settle or dispute (base scenario)" */
static void run_label(char *out, size_t size, const wa_summary *s)
{
    snprintf(out, size, "%s \u2014 %s",
             s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)",
             s->variant ? s->variant : "base scenario");
}

/* Offers' indices by mean cost, cheapest first (ties in file order), as the memo. */
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

/* ---- sections ------------------------------------------------------------------------------ */

/* The answer: one row per offer, cheapest first, the memo's words; then what walking away
   means. Both at the top of the page and in the run's section. */
static void answer_table(FILE *f, const wa_result *r, size_t run)
{
    const wa_summary *s = wa_result_summary(r);
    size_t *idx = wa_malloc((s->noffers ? s->noffers : 1) * sizeof *idx);
    if (!idx)
        return;
    by_cost(r, idx, s->noffers);
    const char *head[] = {"Offer", "Verdict", "What to do", "Walking is cheaper in"};
    int right[] = {0, 0, 0, 1};
    table_head(f, 4, head, right);
    for (size_t i = 0; i < s->noffers; i++) {
        const wa_offer_summary *o = wa_result_offer(r, idx[i]);
        char what[256], p[24];
        wa_memo_advice(what, sizeof what, s, o);
        rf_fmt_pct(p, sizeof p, o->p_walk_beats);
        fprintf(f, "<tr><td><a href=\"#r%zu-o%zu\">", run, idx[i] + 1);
        esc(f, o->name);
        fprintf(f, "</a></td><td><span class=\"v %s\">", o->verdict ? o->verdict : "");
        esc(f, o->verdict ? o->verdict : "");
        fputs("</span></td><td>", f);
        esc(f, what);
        fputs("</td><td class=\"n\">", f);
        esc(f, p);
        fputs("</td></tr>\n", f);
    }
    table_end(f);
    wa_free(idx);
    char w[64];
    wa_memo_money_se(w, sizeof w, cur_of(s), s->ceiling_expected,
                     s->walk_cost.sd / sqrt((double)s->trials));
    fputs("<p>Walking away means <strong>", f);
    esc(f, s->walk_name ? s->walk_name : "");
    fputs("</strong>, expected to cost ", f);
    esc(f, w);
    fputs(".</p>\n", f);
}

static void run_header(FILE *f, const wa_result *r, size_t run)
{
    const wa_summary *s = wa_result_summary(r);
    char label[768], trials[32], lv[16];
    run_label(label, sizeof label, s);
    rf_fmt_whole(trials, sizeof trials, (double)s->trials);
    rf_fmt_level(lv, sizeof lv, s->confidence);
    fprintf(f, "<section class=\"run\" id=\"r%zu\">\n<h2>", run);
    esc(f, label);
    fputs("</h2>\n<p class=\"meta\">", f);
    esc(f, s->file ? s->file : "");
    fprintf(f, " \u00b7 %s trials (%s, seed %llu) \u00b7 %s confidence \u00b7 %s, present "
               "value over %d year%s, discounted at %.4g%% a year</p>\n",
            trials, wa_method_name(s->method) ? wa_method_name(s->method) : "?",
            (unsigned long long)s->seed, lv, cur_of(s), s->horizon, s->horizon == 1 ? "" : "s",
            s->discount_rate * 100);
    if (s->description && s->description[0])
        element(f, "p", s->description);
}

static void walk_section(FILE *f, wa_html *h, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    char head[512], e[64], c[64], a[64], lv[16], l2[64];
    rf_fmt_level(lv, sizeof lv, s->confidence);
    snprintf(head, sizeof head, "Walk-away position: %s (%s)", s->walk_name ? s->walk_name : "",
             wa_memo_chosen_by(s->walk_chosen_by));
    element(f, "h3", head);
    wa_memo_money_se(e, sizeof e, cur_of(s), s->ceiling_expected,
                     s->walk_cost.sd / sqrt((double)s->trials));
    rf_fmt_money(c, sizeof c, cur_of(s), s->ceiling_confident);
    rf_fmt_money(a, sizeof a, cur_of(s), s->ceiling_accept_below);
    snprintf(l2, sizeof l2, "Ceiling at %s confidence", lv);
    const char *th[] = {"", ""};
    int right[] = {0, 1};
    table_head(f, 2, th, right);
    const char *r0[] = {"Expected cost of walking away (the risk-neutral ceiling)", e};
    const char *r1[] = {l2, c};
    const char *r2[] = {"Accept below", a};
    table_row(f, 2, r0, right);
    table_row(f, 2, r1, right);
    table_row(f, 2, r2, right);
    table_end(f);
    fprintf(f, "<p>A fixed price above the ceiling costs more than walking away, and one below "
               "the accept-below figure costs less, in at least %s of trials.</p>\n",
            lv);
    figure(f, h, r, WA_CHART_SCURVES, 0);
}

static void options_section(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    char head[128];
    snprintf(head, sizeof head, "Present value of each option (%s)", cur_of(s));
    element(f, "h3", head);
    const char *th[] = {"Option", "Role", "Mean", "P5", "P50", "P95", "P(cheapest)"};
    int right[] = {0, 0, 1, 1, 1, 1, 1};
    table_head(f, 7, th, right);
    size_t nopt = s->nalternatives + s->noffers;
    for (size_t i = 0; i < nopt; i++) {
        /* by the ranking when there is one, else alternatives then offers */
        const wa_rank *rk = s->nranking ? wa_result_ranking(r, i) : NULL;
        const char *name = NULL, *role = NULL;
        const wa_stats *st = NULL;
        for (size_t a = 0; a < s->nalternatives; a++) {
            const wa_alternative_summary *al = wa_result_alternative(r, a);
            if (rk ? (!strcmp(al->name, rk->name) && !strcmp(rk->role, "alternative")) : i == a)
                name = al->name, st = &al->cost, role = a == s->walk ? "walk-away" : "alternative";
        }
        for (size_t k = 0; k < s->noffers; k++) {
            const wa_offer_summary *o = wa_result_offer(r, k);
            if (rk ? (!strcmp(o->name, rk->name) && !strcmp(rk->role, "offer"))
                   : i == s->nalternatives + k)
                name = o->name, st = &o->cost, role = "offer";
        }
        if (!st)
            continue;
        char v[5][24];
        rf_fmt_compact(v[0], sizeof v[0], st->mean);
        rf_fmt_compact(v[1], sizeof v[1], st->p5);
        rf_fmt_compact(v[2], sizeof v[2], st->p50);
        rf_fmt_compact(v[3], sizeof v[3], st->p95);
        if (rk)
            rf_fmt_pct(v[4], sizeof v[4], rk->p_best);
        else
            v[4][0] = '\0';
        const char *cells[] = {name, role, v[0], v[1], v[2], v[3], v[4]};
        table_row(f, 7, cells, right);
    }
    table_end(f);
}

/* An offer's figures in words, as the memo says them. */
static void offer_words(FILE *f, const wa_result *r, const wa_offer_summary *o)
{
    const wa_summary *s = wa_result_summary(r);
    const char *cur = cur_of(s);
    char p[24], lo[24], hi[24], mm[64], lv[16];
    rf_fmt_level(lv, sizeof lv, s->confidence);
    int dec = isfinite(o->p_walk_beats) ? rf_pct_decimals(o->p_walk_beats) : 1;
    rf_fmt_pct_dec(p, sizeof p, o->p_walk_beats, dec);
    rf_fmt_pct_dec(lo, sizeof lo, o->p_walk_beats_ci95[0], dec);
    rf_fmt_pct_dec(hi, sizeof hi, o->p_walk_beats_ci95[1], dec);
    fprintf(f, "<p>Walking away beats this offer in <strong>%s</strong> of trials (95%% "
               "interval %s to %s). ",
            p, lo, hi);
    double adv = o->advantage.mean;
    wa_memo_money_se(mm, sizeof mm, cur, fabs(adv), o->advantage.sd / sqrt((double)s->trials));
    fprintf(f, adv > 0   ? "On average walking away costs %s less than this offer. "
               : adv < 0 ? "On average walking away costs %s more than this offer. "
                         : "On average walking away costs the same as this offer.%s ",
            adv != 0 ? mm : "");
    double cn = o->concession_needed;
    wa_memo_money_se(mm, sizeof mm, cur, fabs(cn),
                     wa_memo_quantile_se(o, s->confidence, s->trials));
    if (cn > 0) {
        char sh[16] = "";
        if (isfinite(o->concession_needed_share))
            wa_memo_share_text(sh, sizeof sh, o->concession_needed_share);
        fprintf(f, "Concession needed: <strong>%s</strong> off its present value%s%s%s before "
                   "it beats walking away with %s confidence.",
                mm, sh[0] ? " (" : "", sh, sh[0] ? " of its price)" : "", lv);
    } else {
        fprintf(f, "No concession needed: it already beats walking away with %s confidence "
                   "(headroom %s).",
                lv, mm);
    }
    fputs("</p>\n", f);
}

static void drivers_table(FILE *f, const wa_result *r, size_t k)
{
    const wa_offer_summary *o = wa_result_offer(r, k);
    size_t nd = o->nsensitivity < MAX_DRIVERS ? o->nsensitivity : MAX_DRIVERS;
    if (nd == 0)
        return;
    fputs("<p>What drives it (swings from each input's lowest tenth of draws to its "
          "highest):</p>\n",
          f);
    const char *th[] = {"Input", "Rank corr.", "Swing in P(walk beats)",
                        "Swing in mean advantage", "Share of variance"};
    int right[] = {0, 1, 1, 1, 1};
    table_head(f, 5, th, right);
    for (size_t i = 0; i < nd; i++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, k, i);
        char rc[24], sp[32], c[24], sm[32], sh[16];
        snprintf(rc, sizeof rc, "%+.2f", sv->spearman);
        snprintf(sp, sizeof sp, "%+.1f pts", sv->swing_p_walk_beats * 100);
        rf_fmt_compact(c, sizeof c, sv->swing_mean_advantage);
        snprintf(sm, sizeof sm, "%s%s", c[0] != '-' && c[0] != '0' ? "+" : "", c);
        wa_memo_share_text(sh, sizeof sh, sv->contribution);
        const char *cells[] = {sv->input, rc, sp, sm, sh};
        table_row(f, 5, cells, right);
    }
    table_end(f);
}

static void offer_section(FILE *f, wa_html *h, const wa_result *r, size_t run, size_t k)
{
    const wa_offer_summary *o = wa_result_offer(r, k);
    fprintf(f, "<h3 id=\"r%zu-o%zu\">Offer: ", run, k + 1);
    esc(f, o->name);
    fputs("</h3>\n", f);
    if (o->description && o->description[0])
        element(f, "p", o->description);
    offer_words(f, r, o);
    figure(f, h, r, WA_CHART_HISTOGRAM, k);
    drivers_table(f, r, k);
    /* one below the other, each at its full size: side by side their words would be too
       small to read on a laptop or on A4 */
    figure(f, h, r, WA_CHART_TORNADO, k);
    figure(f, h, r, WA_CHART_SPIDER, k);
}

static void voi_section(FILE *f, wa_html *h, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!s->best_in_expectation)
        return;
    element(f, "h3", "What is worth finding out first");
    char e[64], se[32];
    wa_memo_money_se(e, sizeof e, cur_of(s), s->evpi, s->evpi_se);
    rf_fmt_compact(se, sizeof se, s->evpi_se);
    fputs("<p>Deciding now on expected cost means taking ", f);
    esc(f, s->best_in_expectation);
    fputs(". Knowing every uncertain figure before deciding would save ", f);
    esc(f, e);
    fputs(" on average (the expected value of perfect information, \u00b1 ", f);
    esc(f, se);
    fputs("); what knowing one input alone is worth:</p>\n", f);
    const char *th[] = {"Input", "Worth knowing", "\u00b1", "Share of all"};
    int right[] = {0, 1, 1, 1};
    size_t shown = 0;
    for (size_t i = 0; i < s->nvoi && shown < MAX_VOI; i++) {
        const wa_voi *v = wa_result_voi(r, i);
        if (!(v->evppi > 0))
            continue;
        if (shown++ == 0)
            table_head(f, 4, th, right);
        char a[24], b[24], c[16];
        rf_fmt_compact(a, sizeof a, v->evppi);
        rf_fmt_compact(b, sizeof b, v->evppi_se);
        wa_memo_share_text(c, sizeof c, v->share);
        const char *cells[] = {v->input, a, b, c};
        table_row(f, 4, cells, right);
    }
    if (shown)
        table_end(f);
    else
        fputs("<p>No single input is worth researching: learning any one of them would not "
              "change the decision.</p>\n",
              f);
    figure(f, h, r, WA_CHART_EVPPI, 0);
}

static void vendor_section(FILE *f, wa_html *h, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    if (!WA_HAS(wa_summary, s, settlement_range) || !s->vendor)
        return;
    char head[256];
    snprintf(head, sizeof head, "The other side of the table: %s", s->vendor);
    element(f, "h3", head);
    /* one column per vendor table (the first offer says which) */
    size_t nt = s->noffers ? wa_result_offer(r, 0)->nvendor_tables : 0;
    size_t nc = 4 + nt;
    const char **th = wa_calloc(nc, sizeof *th), **cells = wa_calloc(nc, sizeof *cells);
    int *right = wa_calloc(nc, sizeof *right);
    char(*buf)[64] = wa_calloc(nc, sizeof *buf);
    if (th && cells && right && buf) {
        th[0] = "Offer";
        th[1] = "Buyer prefers it";
        for (size_t t = 0; t < nt; t++) {
            const wa_vendor_table_summary *vt = wa_result_vendor_table(r, 0, t);
            snprintf(buf[t], sizeof buf[t], "%s prefers it", vt ? vt->name : "");
            th[2 + t] = buf[t];
        }
        th[2 + nt] = "Deal both prefer";
        th[3 + nt] = "Joint gain";
        for (size_t i = 1; i < nc; i++)
            right[i] = 1;
        table_head(f, nc, th, right);
        for (size_t k = 0; k < s->noffers; k++) {
            const wa_offer_summary *o = wa_result_offer(r, k);
            char v[4][24], (*tv)[24] = wa_calloc(nt ? nt : 1, sizeof *tv);
            if (!tv)
                break;
            rf_fmt_pct(v[0], sizeof v[0], o->p_buyer_prefers);
            for (size_t t = 0; t < nt; t++) {
                const wa_vendor_table_summary *vt = wa_result_vendor_table(r, k, t);
                rf_fmt_pct(tv[t], sizeof tv[t], vt ? vt->p_prefers : NAN);
                cells[2 + t] = tv[t];
            }
            rf_fmt_pct(v[1], sizeof v[1], o->p_deal);
            rf_fmt_compact(v[2], sizeof v[2], o->joint_gain);
            cells[0] = o->name;
            cells[1] = v[0];
            cells[2 + nt] = v[1];
            cells[3 + nt] = v[2];
            table_row(f, nc, cells, right);
            wa_free(tv);
        }
        table_end(f);
    }
    wa_free(th);
    wa_free(cells);
    wa_free(right);
    wa_free(buf);
    char lv[16], lo[32], hi[32], pe[24];
    rf_fmt_level(lv, sizeof lv, s->confidence);
    rf_fmt_compact(lo, sizeof lo, s->settlement_range[0]);
    rf_fmt_compact(hi, sizeof hi, s->settlement_range[1]);
    rf_fmt_pct(pe, sizeof pe, s->zopa_p_exists);
    if (s->has_settlement_range)
        fprintf(f, "<p>A cash settlement between %s %s and %s %s suits both sides with %s "
                   "confidence; some settlement suits both in %s of trials.</p>\n",
                cur_of(s), lo, cur_of(s), hi, lv, pe);
    else
        fprintf(f, "<p>No cash settlement suits both sides with %s confidence; some settlement "
                   "suits both in %s of trials.</p>\n",
                lv, pe);
    figure(f, h, r, WA_CHART_VENDOR, 0);
}

static void assumptions(FILE *f, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    element(f, "h3", "Assumptions");
    const char *th[] = {"Option", "Role", "Description"};
    table_head(f, 3, th, NULL);
    for (size_t k = 0; k < s->noffers; k++) {
        const wa_offer_summary *o = wa_result_offer(r, k);
        const char *cells[] = {o->name, "offer", o->description};
        table_row(f, 3, cells, NULL);
    }
    for (size_t a = 0; a < s->nalternatives; a++) {
        const wa_alternative_summary *al = wa_result_alternative(r, a);
        const char *cells[] = {al->name, "alternative", al->description};
        table_row(f, 3, cells, NULL);
    }
    table_end(f);
    if (s->ninputs == 0)
        return;
    const char *ih[] = {"Input", "Distribution or formula", "P10", "P50", "P90"};
    int right[] = {0, 0, 1, 1, 1};
    table_head(f, 5, ih, right);
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
        } else {
            snprintf(what, sizeof what, "= %s", d);
        }
        const char *cells[] = {in->name, what, a, b, c};
        table_row(f, 5, cells, right);
    }
    table_end(f);
}

static void warnings(FILE *f, const wa_result *r)
{
    size_t n = wa_result_summary(r)->nwarnings;
    if (n == 0)
        return;
    element(f, "h3", "Warnings");
    fputs("<ul>\n", f);
    for (size_t i = 0; i < n; i++)
        element(f, "li", wa_result_warning(r, i));
    fputs("</ul>\n", f);
}

/* ---- the page ------------------------------------------------------------------------------ */

/* An item's place in the page: its number (*run), whether it opens a file (the contents
   and the answers are grouped by file), and the file's group opened in the contents and
   the answer when it does. 0, or -1 with errno ENOMEM. */
static int open_item(wa_html *h, const char *file, const char *scenario, size_t *run,
                     int *first_of_file)
{
    *run = ++h->nruns;
    file = file ? file : "";
    *first_of_file = !h->file || strcmp(h->file, file) != 0;
    if (*first_of_file) {
        if (h->file)
            h->several = 1;
        wa_free(h->file);
        if (!(h->file = dup(file))) {
            errno = ENOMEM;
            return -1;
        }
    }
    if (!h->title && !(h->title = dup(scenario && scenario[0] ? scenario : "report"))) {
        errno = ENOMEM;
        return -1;
    }
    const char *name = scenario && scenario[0] ? scenario : "(unnamed scenario)";
    if (*first_of_file) {
        if (*run > 1)
            fputs("</ol></li>\n", h->toc.f);
        fputs("<li>", h->toc.f);
        esc(h->toc.f, name);
        fputs("<ol>\n", h->toc.f);
        element(h->answer.f, "h3", name);
    }
    return 0;
}

/* Whether the page's parts all took what was written to them. */
static int parts_ok(const wa_html *h)
{
    if (ferror(h->toc.f) || ferror(h->answer.f) || ferror(h->body.f)) {
        errno = ENOMEM; /* a memory stream fails only for lack of memory */
        return -1;
    }
    return 0;
}

int wa_html_item(wa_html *h, const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    size_t run;
    int first_of_file;
    if (open_item(h, s->file, s->scenario, &run, &first_of_file))
        return -1;
    const char *variant = s->variant ? s->variant : "base scenario";

    /* the contents, by file: the scenario, then each run with links to its offers */
    fprintf(h->toc.f, "<li><a href=\"#r%zu\">", run);
    esc(h->toc.f, variant);
    fputs("</a>:", h->toc.f);
    for (size_t k = 0; k < s->noffers; k++) {
        fprintf(h->toc.f, "%s<a href=\"#r%zu-o%zu\">", k ? " \u00b7 " : " ", run, k + 1);
        esc(h->toc.f, wa_result_offer(r, k)->name);
        fputs("</a>", h->toc.f);
    }
    fputs("</li>\n", h->toc.f);

    /* the answer, at the top of the page: by file, then by run */
    fprintf(h->answer.f, "<h4><a href=\"#r%zu\">", run);
    esc(h->answer.f, variant);
    fputs("</a></h4>\n", h->answer.f);
    answer_table(h->answer.f, r, run);

    /* the run's section */
    FILE *f = h->body.f;
    run_header(f, r, run);
    element(f, "h3", "The answer");
    answer_table(f, r, run);
    walk_section(f, h, r);
    options_section(f, r);
    for (size_t k = 0; k < s->noffers; k++)
        offer_section(f, h, r, run, k);
    voi_section(f, h, r);
    vendor_section(f, h, r);
    if (first_of_file)
        assumptions(f, r);
    warnings(f, r);
    fputs("</section>\n", f);
    return parts_ok(h);
}

/* ---- studies --------------------------------------------------------------------------- */

#define MAX_TABLE_POINTS 2000 /* a sweep's table on the page; the CSV has them all */

/* A study's chart as a figure, with a new id in the page: k the offer (sweeps). */
static int study_figure(FILE *f, wa_html *h, const wa_sweep *sw, const wa_solve *sv, size_t k)
{
    const char *kind = sw ? wa_sweep_chart_kind(sw) : "solve";
    if (!kind || (sv && wa_solve_chart_count(sv) == 0))
        return 0;
    char id[32];
    snprintf(id, sizeof id, "c%zu", ++h->ncharts);
    fprintf(f, "<figure class=\"chart %s\">\n", kind);
    int rc = sw ? wa_sweep_chart_draw(f, sw, k, id, 0) : wa_solve_chart_draw(f, sv, id, 0);
    fputs("</figure>\n", f);
    return rc;
}

/* A study's heading and the line under it: where it comes from and how it was made. */
static void study_header(FILE *f, size_t run, const char *what, const char *variant,
                         const char *file, uint64_t trials, wa_method method, uint64_t seed,
                         double confidence, const char *extra)
{
    char tr[32], lv[16];
    rf_fmt_whole(tr, sizeof tr, (double)trials);
    rf_fmt_level(lv, sizeof lv, confidence);
    fprintf(f, "<section class=\"run\" id=\"r%zu\">\n<h2>", run);
    esc(f, what);
    fputs(" \u2014 ", f);
    esc(f, variant ? variant : "base scenario");
    fputs("</h2>\n<p class=\"meta\">", f);
    esc(f, file ? file : "");
    fprintf(f, " \u00b7 %s trials a run (%s, seed %llu), the same draws in every run \u00b7 %s "
               "confidence \u00b7 ",
            tr, wa_method_name(method) ? wa_method_name(method) : "?", (unsigned long long)seed,
            lv);
    esc(f, extra);
    fputs("</p>\n", f);
}

/* A study's line in the contents and its heading in the answer: "VARIANT: WHAT". */
static void study_entry(wa_html *h, size_t run, const char *variant, const char *what)
{
    FILE *to[2] = {h->toc.f, h->answer.f};
    for (int i = 0; i < 2; i++) {
        fprintf(to[i], i ? "<h4><a href=\"#r%zu\">" : "<li><a href=\"#r%zu\">", run);
        esc(to[i], variant);
        fputs(": ", to[i]);
        esc(to[i], what);
        fputs(i ? "</a></h4>\n" : "</a></li>\n", to[i]);
    }
}

/* "walk for uplift from 0 to 10%; negotiate from 15% to 25%; accept at 40%": offer k's
   verdicts along a sweep of one name, in increasing order of its value. */
static int verdict_runs(FILE *f, const wa_sweep *s, size_t k)
{
    size_t n = wa_sweep_point_count(s);
    size_t *ord = wa_malloc(n * sizeof *ord);
    double *vals = wa_malloc(n * sizeof *vals);
    char(*lab)[24] = wa_malloc(n * sizeof *lab);
    if (!ord || !vals || !lab) {
        wa_free(ord);
        wa_free(vals);
        wa_free(lab);
        return -1;
    }
    /* one name: point p takes value p; walked in increasing order of value */
    for (size_t p = 0; p < n; p++)
        vals[p] = wa_sweep_value(s, 0, wa_sweep_point_index(s, p, 0));
    if (rf_order(vals, n, ord)) {
        wa_free(ord);
        wa_free(vals);
        wa_free(lab);
        return -1;
    }
    rf_value_labels(vals, n, lab);
    const char *name = wa_sweep_vary_name(s, 0);
    for (size_t a = 0; a < n;) {
        const char *v = wa_result_offer(wa_sweep_point(s, ord[a]), k)->verdict;
        size_t b = a;
        while (b + 1 < n && !strcmp(wa_result_offer(wa_sweep_point(s, ord[b + 1]), k)->verdict, v))
            b++;
        fprintf(f, "%s<span class=\"v %s\">", a ? "; " : "", v);
        esc(f, v);
        fputs("</span> ", f);
        if (a == 0) {
            fputs(b == a ? "at " : "for ", f);
            esc(f, name);
            fputs(b == a ? "=" : " from ", f);
        } else {
            fputs(b == a ? "at " : "from ", f);
        }
        esc(f, lab[ord[a]]);
        if (b > a) {
            fputs(" to ", f);
            esc(f, lab[ord[b]]);
        }
        a = b + 1;
    }
    wa_free(ord);
    wa_free(vals);
    wa_free(lab);
    return 0;
}

/* The answer of a sweep: per offer, where each verdict holds. */
static int sweep_answer(FILE *f, const wa_sweep *s, size_t run)
{
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    const char *head[] = {"Offer", "Verdicts across the sweep"};
    table_head(f, 2, head, NULL);
    size_t n = wa_sweep_point_count(s);
    for (size_t k = 0; k < h->noffers; k++) {
        fprintf(f, "<tr><td><a href=\"#r%zu-o%zu\">", run, k + 1);
        esc(f, wa_result_offer(wa_sweep_point(s, 0), k)->name);
        fputs("</a></td><td>", f);
        if (wa_sweep_vary_count(s) == 1) {
            if (verdict_runs(f, s, k))
                return -1;
        } else {
            static const char *const verdicts[] = {"walk", "negotiate", "accept"};
            int any = 0;
            for (int v = 0; v < 3; v++) {
                size_t m = 0;
                for (size_t p = 0; p < n; p++)
                    m += !strcmp(wa_result_offer(wa_sweep_point(s, p), k)->verdict, verdicts[v]);
                if (m)
                    fprintf(f, "%s<span class=\"v %s\">%s</span> at %zu of %zu points",
                            any++ ? "; " : "", verdicts[v], verdicts[v], m, n);
            }
        }
        fputs("</td></tr>\n", f);
    }
    table_end(f);
    return 0;
}

/* Offer k's table of a sweep of one name (or more): a row per point, as the text has it. */
static void sweep_rows(FILE *f, const wa_sweep *s, size_t k, char (**lab)[24])
{
    size_t nv = wa_sweep_vary_count(s), nc = nv + 6 + (size_t)wa_sweep_has_deal(s);
    const char *fixed[] = {"P(walk beats)", "95% CI", "Mean advantage", "Concession needed",
                           "Verdict", "P(deal)", "Walk"};
    fputs("<table>\n<thead><tr>", f);
    for (size_t v = 0; v < nv; v++) {
        fputs("<th class=\"n\">", f);
        esc(f, wa_sweep_vary_name(s, v));
        fputs("</th>", f);
    }
    for (size_t i = 0; i < 7; i++)
        if (i != 5 || nc > nv + 6)
            fprintf(f, "<th%s>%s</th>", i == 4 || i == 6 ? "" : " class=\"n\"", fixed[i]);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t p = 0; p < wa_sweep_point_count(s); p++) {
        const wa_result *r = wa_sweep_point(s, p);
        const wa_offer_summary *o = wa_result_offer(r, k);
        char pw[24], ci[64], adv[24], cn[24], pd[24];
        rf_fmt_pct(pw, sizeof pw, o->p_walk_beats);
        wa_offer_ci_text(ci, sizeof ci, o);
        rf_fmt_compact(adv, sizeof adv, o->advantage.mean);
        rf_fmt_compact(cn, sizeof cn, o->concession_needed);
        fputs("<tr>", f);
        for (size_t v = 0; v < nv; v++) {
            fputs("<td class=\"n\">", f);
            esc(f, lab[v][wa_sweep_point_index(s, p, v)]);
            fputs("</td>", f);
        }
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">", pw);
        esc(f, ci);
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td><span class=\"v %s\">%s"
                   "</span></td>",
                adv, cn, o->verdict, o->verdict);
        if (nc > nv + 6) {
            rf_fmt_pct_dec(pd, sizeof pd, o->p_deal, 0);
            fprintf(f, "<td class=\"n\">%s%s</td>", pd,
                    o->p_deal >= wa_result_summary(r)->confidence ? " *" : "");
        }
        fputs("<td>", f);
        esc(f, wa_result_summary(r)->walk_name);
        fputs("</td></tr>\n", f);
    }
    table_end(f);
}

/* Offer k's decision table of a sweep of two names: the first down, the second across. */
static void sweep_grid(FILE *f, const wa_sweep *s, size_t k, char (**lab)[24])
{
    size_t nr = wa_sweep_value_count(s, 0), nc = wa_sweep_value_count(s, 1);
    int deal = wa_sweep_has_deal(s);
    fputs("<table class=\"grid\">\n<thead><tr><th>", f);
    esc(f, wa_sweep_vary_name(s, 0));
    fputs(" \u2193 ", f);
    esc(f, wa_sweep_vary_name(s, 1));
    fputs(" \u2192</th>", f);
    for (size_t c = 0; c < nc; c++) {
        fputs("<th class=\"n\">", f);
        esc(f, lab[1][c]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r < nr; r++) {
        fputs("<tr><th class=\"n\">", f);
        esc(f, lab[0][r]);
        fputs("</th>", f);
        for (size_t c = 0; c < nc; c++) {
            const wa_result *pr = wa_sweep_point(s, r * nc + c);
            const wa_offer_summary *o = wa_result_offer(pr, k);
            char pw[24], pd[24] = "";
            rf_fmt_pct_dec(pw, sizeof pw, o->p_walk_beats, 0);
            if (deal && o->p_deal >= wa_result_summary(pr)->confidence)
                snprintf(pd, sizeof pd, " *");
            fprintf(f, "<td class=\"n\"><span class=\"v %s\">%s %c</span>%s</td>", o->verdict,
                    pw, (char)(o->verdict[0] - 'a' + 'A'), pd);
        }
        fputs("</tr>\n", f);
    }
    table_end(f);
}

int wa_html_sweep(wa_html *h, const wa_sweep *s)
{
    const wa_result *r0 = wa_sweep_point(s, 0);
    const wa_summary *sm = wa_result_summary(r0);
    size_t run, nv = wa_sweep_vary_count(s), n = wa_sweep_point_count(s);
    int first_of_file;
    if (open_item(h, sm->file, sm->scenario, &run, &first_of_file))
        return -1;
    const char *variant = wa_sweep_variant(s) ? wa_sweep_variant(s) : "base scenario";
    /* "sweep of uplift (9 values) and price (5 values)" */
    char what[512];
    size_t at = (size_t)snprintf(what, sizeof what, "sweep of ");
    for (size_t v = 0; v < nv && at < sizeof what; v++)
        at += (size_t)snprintf(what + at, sizeof what - at, "%s%s (%zu value%s)",
                               v == 0 ? "" : v + 1 == nv ? " and " : ", ",
                               wa_sweep_vary_name(s, v), wa_sweep_value_count(s, v),
                               wa_sweep_value_count(s, v) == 1 ? "" : "s");
    study_entry(h, run, variant, what);
    if (sweep_answer(h->answer.f, s, run)) {
        errno = ENOMEM;
        return -1;
    }

    FILE *f = h->body.f;
    char extra[256], heading[640];
    snprintf(extra, sizeof extra, "%zu point%s in %.2f s \u00b7 %s, present value over %d year%s",
             n, n == 1 ? "" : "s", wa_sweep_elapsed(s), cur_of(sm), sm->horizon,
             sm->horizon == 1 ? "" : "s");
    snprintf(heading, sizeof heading, "%s: %s",
             sm->scenario && sm->scenario[0] ? sm->scenario : "(unnamed scenario)", what);
    study_header(f, run, heading, variant, sm->file, sm->trials, sm->method, sm->seed,
                 sm->confidence, extra);
    element(f, "h3", "The answer");
    if (sweep_answer(f, s, run)) {
        errno = ENOMEM;
        return -1;
    }
    char(**lab)[24] = wa_calloc(nv, sizeof *lab);
    int fail = !lab;
    for (size_t v = 0; !fail && v < nv; v++) {
        size_t m = wa_sweep_value_count(s, v);
        double *vals = wa_malloc(m * sizeof *vals);
        lab[v] = wa_malloc(m * sizeof *lab[v]);
        fail = !vals || !lab[v];
        for (size_t j = 0; !fail && j < m; j++)
            vals[j] = wa_sweep_value(s, v, j);
        if (!fail)
            rf_value_labels(vals, m, lab[v]);
        wa_free(vals);
    }
    for (size_t k = 0; !fail && k < sm->noffers; k++) {
        fprintf(f, "<h3 id=\"r%zu-o%zu\">Offer: ", run, k + 1);
        esc(f, wa_result_offer(r0, k)->name);
        fputs("</h3>\n", f);
        fail = study_figure(f, h, s, NULL, k) != 0;
        if (n > MAX_TABLE_POINTS)
            fprintf(f, "<p>The table of its %zu points is left to <code>--format csv</code>.</p>\n",
                    n);
        else if (nv == 2)
            sweep_grid(f, s, k, lab);
        else
            sweep_rows(f, s, k, lab);
    }
    for (size_t v = 0; lab && v < nv; v++)
        wa_free(lab[v]);
    wa_free(lab);
    if (fail) {
        errno = ENOMEM;
        return -1;
    }
    char lv[16], av[16];
    rf_fmt_level(lv, sizeof lv, sm->confidence);
    rf_fmt_level(av, sizeof av, 1 - sm->confidence);
    fprintf(f, "<p class=\"meta\">Verdict: walk (W) when walking away beats the offer in at least "
               "%s of trials, accept (A) when in at most %s, otherwise negotiate (N) for the "
               "concession needed.%s</p>\n",
            lv, av,
            wa_sweep_has_deal(s) ? " P(deal): the share of trials in which the buyer prefers "
                                   "the offer to walking away and every vendor table prefers it "
                                   "to no deal; * marks the points where both sides prefer it "
                                   "with the confidence above."
                                 : "");
    fputs("</section>\n", f);
    return parts_ok(h);
}

int wa_html_solve(wa_html *h, const wa_solve *sv)
{
    const wa_solution *s = wa_solve_solution(sv);
    size_t run;
    int first_of_file;
    if (open_item(h, s->file, s->scenario, &run, &first_of_file))
        return -1;
    const char *variant = s->variant ? s->variant : "base scenario";
    char what[512];
    snprintf(what, sizeof what, "solve for %s, offer %s", s->name, s->offer);
    study_entry(h, run, variant, what);

    FILE *f = h->body.f;
    char extra[256], heading[640], target[64], lv[16];
    rf_fmt_level(lv, sizeof lv, s->level);
    snprintf(target, sizeof target, s->target_is_mean ? "mean advantage of walking away = 0"
                                                      : "P(walk beats) = %s",
             lv);
    snprintf(extra, sizeof extra, "target: %s \u00b7 %zu runs in %.2f s", target, s->runs,
             s->elapsed_s);
    snprintf(heading, sizeof heading, "%s: %s",
             s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)", what);
    study_header(f, run, heading, variant, s->file, s->trials, s->method, s->seed,
                 s->confidence, extra);
    element(f, "h3", "The answer");
    size_t n = s->found ? s->ncrossings : 1;
    for (size_t i = 0; i < n; i++) {
        char text[2048];
        wa_solve_answer(text, sizeof text, sv, i);
        element(h->answer.f, "p", text);
        element(f, "p", text);
    }
    if (study_figure(f, h, NULL, sv, 0)) {
        errno = ENOMEM;
        return -1;
    }
    fputs("</section>\n", f);
    return parts_ok(h);
}

static const char page_css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,"
    "sans-serif;color:#1d1d1d;background:#fff;max-width:980px;margin:0 auto;padding:1.5rem}"
    "h1{font-size:1.6rem;margin:0 0 .3rem}"
    "h2{font-size:1.3rem;border-bottom:2px solid #222;padding-bottom:.2rem;margin:2.4rem 0 .6rem}"
    "h3{font-size:1.05rem;margin:1.4rem 0 .4rem}h4{font-size:.95rem;margin:1rem 0 .3rem}"
    "a{color:#0057a0}"
    "table{border-collapse:collapse;margin:.4rem 0 .9rem;font-size:.9rem}"
    "th,td{padding:.25rem .6rem;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}"
    "th{border-bottom:2px solid #888}"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".meta{color:#555;font-size:.85rem}"
    ".v{font-weight:600;padding:0 .35rem;border-radius:3px}"
    ".v.walk{background:#fbe3c4}.v.accept{background:#cde8f6}.v.negotiate{background:#eee}"
    "figure{margin:1rem 0;break-inside:avoid}"
    "nav ol{padding-left:1.4rem}nav li ol{font-size:.9rem}"
    "footer{margin-top:3rem;color:#666;font-size:.8rem}"
    "table.grid td,table.grid th{padding:.2rem .45rem}"
    "@media print{@page{size:A4;margin:14mm}"
    "body{max-width:none;padding:0;font-size:10pt}"
    "section.run{break-before:page}"
    "h2,h3{break-after:avoid}table,figure{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

int wa_html_end(FILE *f, wa_html *h)
{
    /* the parts are complete: their text is at hand once flushed */
    if (fflush(h->toc.f) || fflush(h->answer.f) || fflush(h->body.f)) {
        errno = ENOMEM;
        return -1;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          /* nothing may be fetched: no script, font, image or style from anywhere */
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<meta name=\"generator\" content=\"walkaway ",
          f);
    fputs(wa_version(), f);
    fputs("\">\n<title>walkaway: ", f);
    esc(f, h->several ? "several scenarios" : h->title ? h->title : "no results");
    fprintf(f, "</title>\n<style>%s%s</style>\n</head>\n<body>\n<header>\n<h1>", page_css,
            svg_css());
    esc(f, h->several ? "What walking away is worth" : h->title ? h->title : "walkaway");
    fputs("</h1>\n<p class=\"meta\">What walking away from each vendor offer is worth, by "
          "Monte Carlo simulation: walkaway ",
          f);
    fputs(wa_version(), f);
    fputs(".</p>\n</header>\n", f);
    if (h->nruns == 0) {
        fputs("<p>No results.</p>\n", f);
    } else {
        fputs("<nav id=\"contents\">\n<h2>Contents</h2>\n<ol>\n<li><a href=\"#answer\">The "
              "answer</a></li>\n",
              f);
        fwrite(h->toc.text, 1, h->toc.len, f);
        fputs("</ol></li>\n</ol>\n</nav>\n<section id=\"answer\">\n<h2>The answer</h2>\n", f);
        fwrite(h->answer.text, 1, h->answer.len, f);
        fputs("</section>\n", f);
        fwrite(h->body.text, 1, h->body.len, f);
    }
    fputs("<footer>Present values in the scenario's currency; D = offer \u2212 walk-away per "
          "trial (positive: walking away is cheaper). Figures are rounded to what their Monte "
          "Carlo error supports.</footer>\n</body>\n</html>\n",
          f);
    return ferror(f) ? -1 : 0;
}
