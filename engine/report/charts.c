/*
 * charts.c — the report's charts of one run (see charts.h), and the public calls that
 * write them one per file (wa_chart_count, wa_chart_name, wa_chart_write).
 *
 * Where @RISK and Crystal Ball draw a chart the same way, the same chart is drawn, with
 * what Tufte and Cleveland would change: no chart junk (light grid, no frames, no 3-D),
 * labels on the data where a legend would send the eye away and back, the reference lines
 * a negotiator reads the chart by (break-even, the ceilings, the concession needed), and
 * meaning carried by pattern and words as well as colour. Everything is read through the
 * public accessors, as an embedder would.
 */
#include "report/charts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/svg.h"
#include "util/alloc.h"

#define WIDTH 640
#define MAX_ROWS 10    /* inputs in a tornado or an EVPPI chart */
#define MAX_LINES 6    /* inputs in a spider */
#define LABEL_CHARS 26 /* an input's name beside a bar, at most: the left margin */

static const char *const kind_names[] = {"scurves", "histogram", "tornado",
                                         "spider",  "evppi",     "vendor"};

const char *wa_chart_kind_name(wa_chart_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "";
}

/* ---- what a run has ------------------------------------------------------------------- */

/* EVPPI rows: inputs worth something, largest first (as ranked), at most MAX_ROWS. */
static size_t evppi_rows(const wa_result *r)
{
    const wa_summary *s = wa_result_summary(r);
    size_t n = 0;
    for (size_t i = 0; i < s->nvoi && n < MAX_ROWS; i++)
        n += wa_result_voi(r, i)->evppi > 0;
    return n;
}

int wa_chart_has(const wa_result *r, wa_chart_ref c)
{
    const wa_summary *s = wa_result_summary(r);
    if (!s)
        return 0;
    int offer = c.k < s->noffers;
    switch (c.kind) {
    case WA_CHART_SCURVES:
        return !isnan(wa_result_percentile(r, WA_OF_WALK, 0, 50));
    case WA_CHART_HISTOGRAM:
        return offer && wa_result_histogram(r, WA_OF_ADVANTAGE, c.k) != NULL;
    case WA_CHART_TORNADO:
    case WA_CHART_SPIDER:
        return offer && wa_result_offer(r, c.k)->nsensitivity > 0;
    case WA_CHART_EVPPI:
        return WA_HAS(wa_summary, s, nvoi) && evppi_rows(r) > 0;
    case WA_CHART_VENDOR:
        return WA_HAS(wa_summary, s, settlement_range) && s->vendor &&
               wa_result_histogram(r, WA_OF_WALK, 0) &&
               wa_result_histogram(r, WA_OF_VENDOR_WALK, 0);
    }
    return 0;
}

size_t wa_chart_list(const wa_result *r, wa_chart_ref *out, size_t cap)
{
    const wa_summary *s = wa_result_summary(r);
    size_t n = 0;
    if (!s)
        return 0;
    wa_chart_ref all[] = {{WA_CHART_SCURVES, 0}};
    if (wa_chart_has(r, all[0]) && n++ < cap)
        out[n - 1] = all[0];
    for (size_t k = 0; k < s->noffers; k++) {
        wa_chart_kind per[] = {WA_CHART_HISTOGRAM, WA_CHART_TORNADO, WA_CHART_SPIDER};
        for (size_t j = 0; j < 3; j++) {
            wa_chart_ref c = {per[j], k};
            if (wa_chart_has(r, c) && n++ < cap)
                out[n - 1] = c;
        }
    }
    wa_chart_ref tail[] = {{WA_CHART_EVPPI, 0}, {WA_CHART_VENDOR, 0}};
    for (size_t j = 0; j < 2; j++)
        if (wa_chart_has(r, tail[j]) && n++ < cap)
            out[n - 1] = tail[j];
    return n;
}

/* ---- words ------------------------------------------------------------------------------ */

static const char *cur_of(const wa_summary *s)
{
    return s->currency && s->currency[0] ? s->currency : "USD";
}

/* "Not shown: 0.4% of trials below −2M and 0.5% above 3M." for a histogram's tails. */
static void tails_note(char *out, size_t size, const wa_histogram *h, double lo, double hi)
{
    out[0] = '\0';
    if (!h->below && !h->above)
        return;
    char pb[24], pa[24], l[32], u[32];
    rf_fmt_pct(pb, sizeof pb, (double)h->below / (double)h->trials);
    rf_fmt_pct(pa, sizeof pa, (double)h->above / (double)h->trials);
    svg_money3(l, sizeof l, lo);
    svg_money3(u, sizeof u, hi);
    if (h->below && h->above)
        snprintf(out, size, "Not shown: %s of trials below %s and %s above %s.", pb, l, pa, u);
    else if (h->below)
        snprintf(out, size, "Not shown: %s of trials below %s.", pb, l);
    else
        snprintf(out, size, "Not shown: %s of trials above %s.", pa, u);
}

/* ---- the histogram of D ----------------------------------------------------------------- */

static void draw_histogram(FILE *f, const wa_result *r, size_t k, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, k);
    const wa_histogram *h = wa_result_histogram(r, WA_OF_ADVANTAGE, k);
    size_t nb = h->nbins;
    double e0 = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, k, 0);
    double eN = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, k, nb);
    double n = (double)h->trials, ymax = 0;
    for (size_t i = 0; i < nb; i++) {
        double y = (double)wa_result_histogram_count(r, WA_OF_ADVANTAGE, k, i) / n;
        ymax = y > ymax ? y : ymax;
    }
    char title[512], sub[512], desc[1024], pw[24], po[24], wd[32], lv[16], a[32], b[32];
    rf_fmt_pct(pw, sizeof pw, o->p_walk_beats);
    rf_fmt_pct(po, sizeof po, 1 - o->p_walk_beats);
    rf_fmt_level(lv, sizeof lv, s->confidence);
    svg_money3(wd, sizeof wd, h->width);
    svg_money3(a, sizeof a, e0);
    svg_money3(b, sizeof b, eN);
    snprintf(title, sizeof title, "%s: what walking away saves, trial by trial", o->name);
    snprintf(sub, sizeof sub,
             "Walking away is cheaper in %s of trials. Dashed: the concession needed at %s.", pw,
             lv);
    snprintf(desc, sizeof desc,
             "Histogram of D, the cost of offer %s minus that of walking away (%s), over %.0f "
             "trials, in %zu bins of %s %s from %s to %s. Bins from 0 up (hatched) are trials "
             "in which walking away is cheaper: %s of them.",
             o->name, s->walk_name ? s->walk_name : "", n, nb, cur_of(s), wd, a, b, pw);
    svg_chart c;
    svg_begin(&c, f, id, standalone, WIDTH, 320, 64, 16, 66, 62, title, desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, e0, eN, 6, c.left, c.right);
    svg_axis_plan(&c.y, 0, ymax, 4, c.bottom, c.top);
    char xl[128];
    char wn[64];
    svg_clip(wn, sizeof wn, s->walk_name, 40);
    snprintf(xl, sizeof xl, "D = offer \u2212 walk-away (%s), present value (%s)", wn, cur_of(s));
    svg_x_axis(&c, 0, xl);
    svg_y_axis(&c, 1, "Share of trials");
    char hatch[64];
    snprintf(hatch, sizeof hatch, "url(#%s-h)", id);
    for (size_t i = 0; i < nb; i++) {
        double lo = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, k, i);
        double hi = wa_result_histogram_edge(r, WA_OF_ADVANTAGE, k, i + 1);
        double y = (double)wa_result_histogram_count(r, WA_OF_ADVANTAGE, k, i) / n;
        double x0 = svg_map(&c.x, lo), x1 = svg_map(&c.x, hi), py = svg_map(&c.y, y);
        int walk = lo >= 0; /* 0 is an edge when in range: the bin is all on one side */
        svg_rect(&c, x0, py, x1 - x0, c.bottom - py, walk ? "bar w" : "bar", walk ? hatch : NULL);
    }
    if (e0 <= 0 && eN >= 0) {
        double zx = svg_map(&c.x, 0);
        svg_line(&c, zx, c.top - 4, zx, c.bottom, "zero");
        svg_text(&c, zx + 4, c.top + 10, 's', NULL, "break-even");
    }
    double cn = o->concession_needed;
    if (cn >= c.x.lo && cn <= c.x.hi) {
        double cx = svg_map(&c.x, cn);
        char t[64], m[32];
        svg_money3(m, sizeof m, cn);
        snprintf(t, sizeof t, "%s at %s", m, lv);
        svg_line(&c, cx, c.top, cx, c.bottom, "mark");
        svg_text(&c, cx + 4, c.top + 24, 's', NULL, t);
    }
    /* what the two fills mean, in words, above the plot */
    char t1[64], t2[64];
    snprintf(t1, sizeof t1, "offer cheaper: %s", po);
    snprintf(t2, sizeof t2, "walking away cheaper: %s", pw);
    double x = svg_legend_item(&c, c.left - 6, c.top - 12, "bar", NULL, NULL, t1);
    svg_legend_item(&c, x, c.top - 12, "bar w", hatch, NULL, t2);
    char note[256];
    tails_note(note, sizeof note, h, e0, eN);
    if (note[0])
        svg_text(&c, c.left, c.height - 8, 's', "note", note);
    svg_end(&c);
}

/* ---- S-curves ----------------------------------------------------------------------------- */

static void draw_scurves(FILE *f, const wa_result *r, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    size_t ns = 1 + s->noffers;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t j = 0; j < ns; j++) {
        wa_series_of of = j == 0 ? WA_OF_WALK : WA_OF_OFFER;
        size_t k = j == 0 ? 0 : j - 1;
        double a = wa_result_percentile(r, of, k, 1), b = wa_result_percentile(r, of, k, 99);
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
    }
    double marks[2] = {s->ceiling_accept_below, s->ceiling_confident};
    for (int j = 0; j < 2; j++) {
        lo = marks[j] < lo ? marks[j] : lo;
        hi = marks[j] > hi ? marks[j] : hi;
    }
    char title[512], sub[512], desc[1024], lv[16], m0[32], m1[32];
    rf_fmt_level(lv, sizeof lv, s->confidence);
    svg_money3(m0, sizeof m0, marks[0]);
    svg_money3(m1, sizeof m1, marks[1]);
    snprintf(title, sizeof title, "The cost of each option: S-curves");
    snprintf(sub, sizeof sub,
             "Share of trials in which an option costs at most x. Dashed: the ceilings at %s.",
             lv);
    snprintf(desc, sizeof desc,
             "Cumulative distributions of the present value of walking away (%s) and of each "
             "of %zu offers, from their 1st to their 99th percentile. A fixed price below %s "
             "%s beats walking away, and walking away beats one above %s %s, each with %s "
             "confidence.",
             s->walk_name ? s->walk_name : "", s->noffers, cur_of(s), m0, cur_of(s), m1, lv);
    double legend = 18.0 * (double)ns;
    svg_chart c;
    svg_begin(&c, f, id, standalone, WIDTH, 300 + legend, 64, 16, 48, 56 + legend, title, desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, lo, hi, 6, c.left, c.right);
    svg_axis_plan(&c.y, 0, 1, 4, c.bottom, c.top);
    char xl[96];
    snprintf(xl, sizeof xl, "Present value (%s)", cur_of(s));
    svg_x_axis(&c, 0, xl);
    svg_y_axis(&c, 1, "Share of trials at or below");
    const char *anchor_text[2] = {"accept below ", "walk above "};
    for (int j = 0; j < 2; j++) {
        double x = svg_map(&c.x, marks[j]);
        char t[64];
        snprintf(t, sizeof t, "%s%s", anchor_text[j], j ? m1 : m0);
        svg_line(&c, x, c.top, x, c.bottom, "mark");
        svg_text(&c, x + 4, c.top + 12 + 14 * j, 's', NULL, t);
    }
    double px[99], py[99];
    for (size_t j = 0; j < ns; j++) {
        wa_series_of of = j == 0 ? WA_OF_WALK : WA_OF_OFFER;
        size_t k = j == 0 ? 0 : j - 1;
        for (unsigned p = 1; p <= 99; p++) {
            px[p - 1] = wa_result_percentile(r, of, k, p);
            py[p - 1] = p / 100.0;
        }
        char cls[16], name[256], words[320];
        snprintf(cls, sizeof cls, "ln s%zu", j % 8);
        svg_polyline(&c, px, py, 99, cls);
        svg_clip(name, sizeof name, j == 0 ? s->walk_name : wa_result_offer(r, k)->name, 60);
        snprintf(words, sizeof words, j == 0 ? "walk away: %s" : "offer: %s", name);
        svg_legend_item(&c, c.left - 6, c.bottom + 52 + 18 * (double)j, NULL, NULL, cls, words);
    }
    svg_end(&c);
}

/* ---- tornado ------------------------------------------------------------------------------ */

/* The rows of offer k's tornado: its inputs by the length of their bar (the swing of
   mean D), longest first, ties in the order of the sensitivity list; at most MAX_ROWS. */
static size_t tornado_rows(const wa_result *r, size_t k, const wa_sensitivity **row)
{
    const wa_offer_summary *o = wa_result_offer(r, k);
    size_t n = 0;
    for (size_t i = 0; i < o->nsensitivity; i++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, k, i);
        double len = fabs(sv->swing_mean_advantage);
        size_t j = n < MAX_ROWS ? n++ : MAX_ROWS;
        /* insertion into the sorted rows; the shortest falls off the end */
        while (j > 0 && fabs(row[j - 1]->swing_mean_advantage) < len) {
            if (j < MAX_ROWS)
                row[j] = row[j - 1];
            j--;
        }
        if (j < MAX_ROWS)
            row[j] = sv;
    }
    return n;
}

static void draw_tornado(FILE *f, const wa_result *r, size_t k, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, k);
    const wa_sensitivity *row[MAX_ROWS];
    size_t n = tornado_rows(r, k, row);
    double base = o->advantage.mean, lo = base, hi = base;
    for (size_t i = 0; i < n; i++) {
        const wa_sensitivity *sv = row[i];
        double d[2] = {sv->deciles_mean_advantage[0], sv->deciles_mean_advantage[9]};
        for (int j = 0; j < 2; j++) {
            lo = d[j] < lo ? d[j] : lo;
            hi = d[j] > hi ? d[j] : hi;
        }
    }
    char title[512], sub[512], desc[1024], mb[32];
    svg_money3(mb, sizeof mb, base);
    snprintf(title, sizeof title, "%s: what moves the advantage of walking away", o->name);
    snprintf(sub, sizeof sub,
             "Mean D with each input in its lowest or its highest tenth of draws; strongest "
             "first.");
    snprintf(desc, sizeof desc,
             "Tornado chart of offer %s: for each of the %zu inputs that move D (offer minus "
             "walk-away) most, longest bar first, a bar from the mean of D (%s %s) to "
             "its mean in the trials where the input is in its lowest tenth of draws (solid) "
             "and in its highest tenth (hatched).",
             o->name, n, cur_of(s), mb);
    svg_chart c;
    double rows = 24.0 * (double)n;
    svg_begin(&c, f, id, standalone, WIDTH, 118 + rows, 190, 70, 66, 52, title, desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, lo, hi, 5, c.left, c.right);
    char xl[96];
    snprintf(xl, sizeof xl, "Mean D, present value (%s)", cur_of(s));
    svg_x_axis(&c, 0, xl);
    char hatch[64];
    snprintf(hatch, sizeof hatch, "url(#%s-h)", id);
    double bx = svg_map(&c.x, base);
    for (size_t i = 0; i < n; i++) {
        const wa_sensitivity *sv = row[i];
        double y = c.top + 24.0 * (double)i + 4;
        double x0 = svg_map(&c.x, sv->deciles_mean_advantage[0]);
        double x9 = svg_map(&c.x, sv->deciles_mean_advantage[9]);
        svg_rect(&c, bx, y, x0 - bx, 16, "lo", NULL);
        svg_rect(&c, bx, y, x9 - bx, 16, "hi", hatch);
        char name[96], sw[40], m[32];
        svg_clip(name, sizeof name, sv->input, LABEL_CHARS);
        svg_text(&c, c.left - 8, y + 12, 'e', NULL, name);
        svg_money3(m, sizeof m, sv->swing_mean_advantage);
        snprintf(sw, sizeof sw, "%s%s", sv->swing_mean_advantage > 0 ? "+" : "", m);
        svg_text(&c, c.right + 6, y + 12, 's', "note", sw);
    }
    svg_line(&c, bx, c.top - 4, bx, c.bottom, "mark");
    if (0 >= c.x.lo && 0 <= c.x.hi && base != 0) {
        double zx = svg_map(&c.x, 0);
        svg_line(&c, zx, c.top - 4, zx, c.bottom, "zero");
    }
    svg_text(&c, c.right + 6, c.top - 8, 's', "note", "swing");
    double x = svg_legend_item(&c, c.left - 6, c.top - 14, "lo", NULL, NULL, "lowest tenth");
    x = svg_legend_item(&c, x, c.top - 14, "hi", hatch, NULL, "highest tenth");
    char t[64];
    snprintf(t, sizeof t, "mean D %s", mb);
    svg_legend_item(&c, x, c.top - 14, NULL, NULL, "mark", t);
    svg_end(&c);
}

/* ---- spider -------------------------------------------------------------------------------- */

static void draw_spider(FILE *f, const wa_result *r, size_t k, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_offer_summary *o = wa_result_offer(r, k);
    size_t n = o->nsensitivity < MAX_LINES ? o->nsensitivity : MAX_LINES;
    double lo = o->advantage.mean, hi = lo;
    for (size_t i = 0; i < n; i++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, k, i);
        for (int d = 0; d < 10; d++) {
            double v = sv->deciles_mean_advantage[d];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    char title[512], sub[512], desc[1024];
    snprintf(title, sizeof title, "%s: the advantage of walking away across each input's range",
             o->name);
    snprintf(sub, sizeof sub,
             "Mean D in each tenth of an input's draws, lowest to highest; the %zu strongest "
             "inputs.",
             n);
    snprintf(desc, sizeof desc,
             "Spider chart of offer %s: for each of the %zu inputs with the strongest rank "
             "correlation with D (offer minus walk-away), the mean of D in each tenth of the "
             "input's draws, from the lowest tenth (1) to the highest (10).",
             o->name, n);
    double legend = 18.0 * (double)n;
    svg_chart c;
    svg_begin(&c, f, id, standalone, WIDTH, 300 + legend, 64, 16, 48, 56 + legend, title, desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, 1, 10, 9, c.left, c.right);
    svg_axis_plan(&c.y, lo, hi, 5, c.bottom, c.top);
    svg_x_axis(&c, 0, "Tenth of the input's draws (1: lowest, 10: highest)");
    char yl[96];
    snprintf(yl, sizeof yl, "Mean D (%s)", cur_of(s));
    svg_y_axis(&c, 0, yl);
    if (0 >= c.y.lo && 0 <= c.y.hi) {
        double zy = svg_map(&c.y, 0);
        svg_line(&c, c.left, zy, c.right, zy, "zero");
        svg_text(&c, c.right - 4, zy - 4, 'e', NULL, "break-even");
    }
    double dx[10], dy[10];
    for (size_t i = 0; i < n; i++) {
        const wa_sensitivity *sv = wa_result_sensitivity(r, k, i);
        for (int d = 0; d < 10; d++) {
            dx[d] = d + 1;
            dy[d] = sv->deciles_mean_advantage[d];
        }
        char cls[16], name[96];
        snprintf(cls, sizeof cls, "ln s%zu", (i + 1) % 8);
        svg_polyline(&c, dx, dy, 10, cls);
        svg_clip(name, sizeof name, sv->input, 60);
        svg_legend_item(&c, c.left - 6, c.bottom + 52 + 18 * (double)i, NULL, NULL, cls, name);
    }
    svg_end(&c);
}

/* ---- EVPPI ---------------------------------------------------------------------------------- */

static void draw_evppi(FILE *f, const wa_result *r, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    size_t n = evppi_rows(r);
    double hi = s->evpi > 0 ? s->evpi : 0;
    for (size_t i = 0, j = 0; i < s->nvoi && j < n; i++) {
        const wa_voi *v = wa_result_voi(r, i);
        if (!(v->evppi > 0))
            continue;
        double top = v->evppi + (isfinite(v->evppi_se) ? v->evppi_se : 0);
        hi = top > hi ? top : hi;
        j++;
    }
    char title[256], sub[512], desc[1024], ev[32];
    svg_money3(ev, sizeof ev, s->evpi);
    snprintf(title, sizeof title, "What is worth finding out first");
    snprintf(sub, sizeof sub,
             "Learning one input before deciding (EVPPI), \u00b1 one standard error. Dashed: "
             "learning all.");
    snprintf(desc, sizeof desc,
             "Bar chart of the expected value of partial perfect information of the %zu inputs "
             "worth most, with their standard errors; perfect information on every input "
             "(EVPI) is worth %s %s. Deciding now on expected cost means taking %s.",
             n, cur_of(s), ev, s->best_in_expectation ? s->best_in_expectation : "");
    svg_chart c;
    svg_begin(&c, f, id, standalone, WIDTH, 118 + 24.0 * (double)n, 190, 70, 66, 52, title,
              desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, 0, hi, 5, c.left, c.right);
    char xl[96];
    snprintf(xl, sizeof xl, "Expected value of the information (%s)", cur_of(s));
    svg_x_axis(&c, 0, xl);
    for (size_t i = 0, j = 0; i < s->nvoi && j < n; i++) {
        const wa_voi *v = wa_result_voi(r, i);
        if (!(v->evppi > 0))
            continue;
        double y = c.top + 24.0 * (double)j + 4, x0 = svg_map(&c.x, 0);
        double x1 = svg_map(&c.x, v->evppi);
        svg_rect(&c, x0, y, x1 - x0, 16, "ev", NULL);
        double se = isfinite(v->evppi_se) ? v->evppi_se : 0;
        double wl = svg_map(&c.x, v->evppi - se > 0 ? v->evppi - se : 0);
        double wr = svg_map(&c.x, v->evppi + se);
        svg_line(&c, wl, y + 8, wr, y + 8, "wsk");
        svg_line(&c, wl, y + 4, wl, y + 12, "wsk");
        svg_line(&c, wr, y + 4, wr, y + 12, "wsk");
        char name[96], m[32];
        svg_clip(name, sizeof name, v->input, LABEL_CHARS);
        svg_text(&c, c.left - 8, y + 12, 'e', NULL, name);
        svg_money3(m, sizeof m, v->evppi);
        svg_text(&c, c.right + 6, y + 12, 's', "note", m);
        j++;
    }
    if (s->evpi > 0) {
        double x = svg_map(&c.x, s->evpi);
        char t[64];
        snprintf(t, sizeof t, "EVPI %s", ev);
        svg_line(&c, x, c.top - 4, x, c.bottom, "mark");
        svg_text(&c, x - 4, c.top - 8, 'e', NULL, t);
    }
    svg_end(&c);
}

/* ---- the vendor's side ---------------------------------------------------------------------- */

/* A histogram as a closed step outline, in data units. */
static void step_outline(svg_chart *c, const wa_result *r, wa_series_of of, const char *cls)
{
    const wa_histogram *h = wa_result_histogram(r, of, 0);
    size_t nb = h->nbins, m = 0;
    double *x = wa_malloc((2 * nb + 2) * sizeof *x), *y = wa_malloc((2 * nb + 2) * sizeof *y);
    if (!x || !y) {
        wa_free(x);
        wa_free(y);
        return;
    }
    x[m] = wa_result_histogram_edge(r, of, 0, 0), y[m++] = 0;
    for (size_t i = 0; i < nb; i++) {
        double v = (double)wa_result_histogram_count(r, of, 0, i) / (double)h->trials;
        x[m] = wa_result_histogram_edge(r, of, 0, i), y[m++] = v;
        x[m] = wa_result_histogram_edge(r, of, 0, i + 1), y[m++] = v;
    }
    x[m] = wa_result_histogram_edge(r, of, 0, nb), y[m++] = 0;
    svg_polyline(c, x, y, m, cls);
    wa_free(x);
    wa_free(y);
}

static void draw_vendor(FILE *f, const wa_result *r, const char *id, int standalone)
{
    const wa_summary *s = wa_result_summary(r);
    const wa_histogram *hw = wa_result_histogram(r, WA_OF_WALK, 0);
    const wa_histogram *hr = wa_result_histogram(r, WA_OF_VENDOR_WALK, 0);
    size_t nb = hw->nbins;
    double e0 = wa_result_histogram_edge(r, WA_OF_WALK, 0, 0);
    double eN = wa_result_histogram_edge(r, WA_OF_WALK, 0, nb), ymax = 0;
    for (size_t i = 0; i < nb; i++) {
        double a = (double)wa_result_histogram_count(r, WA_OF_WALK, 0, i) / (double)hw->trials;
        double b = (double)wa_result_histogram_count(r, WA_OF_VENDOR_WALK, 0, i) /
                   (double)hr->trials;
        ymax = a > ymax ? a : ymax;
        ymax = b > ymax ? b : ymax;
    }
    char title[512], sub[512], desc[1024], lv[16], a[32], b[32], pe[24];
    rf_fmt_level(lv, sizeof lv, s->confidence);
    svg_money3(a, sizeof a, s->settlement_range[0]);
    svg_money3(b, sizeof b, s->settlement_range[1]);
    rf_fmt_pct(pe, sizeof pe, s->zopa_p_exists);
    snprintf(title, sizeof title, "Both walk-aways: where a cash settlement suits both sides");
    if (s->has_settlement_range)
        snprintf(sub, sizeof sub,
                 "Shaded: settlements from %s to %s suit both sides at %s; some suits both in "
                 "%s of trials.",
                 a, b, lv, pe);
    else
        snprintf(sub, sizeof sub,
                 "No cash settlement suits both sides at %s; some suits both in %s of "
                 "trials.",
                 lv, pe);
    snprintf(desc, sizeof desc,
             "Histograms, on the same bins, of the buyer's cost of walking away W (%s) and of "
             "the vendor's walk-away value R (%s), present values in %s. %s",
             s->walk_name ? s->walk_name : "", s->vendor, cur_of(s), sub);
    svg_chart c;
    svg_begin(&c, f, id, standalone, WIDTH, 356, 64, 16, 66, 98, title, desc);
    svg_heading(&c, title, sub);
    svg_axis_plan(&c.x, e0, eN, 6, c.left, c.right);
    svg_axis_plan(&c.y, 0, ymax, 4, c.bottom, c.top);
    char xl[96];
    snprintf(xl, sizeof xl, "Present value (%s)", cur_of(s));
    if (s->has_settlement_range) {
        double x0 = svg_map(&c.x, s->settlement_range[0] > c.x.lo ? s->settlement_range[0] : c.x.lo);
        double x1 = svg_map(&c.x, s->settlement_range[1] < c.x.hi ? s->settlement_range[1] : c.x.hi);
        if (x1 > x0)
            svg_rect(&c, x0, c.top, x1 - x0, c.bottom - c.top, "band", NULL);
    }
    svg_x_axis(&c, 0, xl);
    svg_y_axis(&c, 1, "Share of trials");
    step_outline(&c, r, WA_OF_VENDOR_WALK, "rh");
    step_outline(&c, r, WA_OF_WALK, "wh");
    char w[256], v[256], nm[96];
    svg_clip(nm, sizeof nm, s->walk_name, 50);
    snprintf(w, sizeof w, "buyer's walk-away W: %s", nm);
    svg_clip(nm, sizeof nm, s->vendor, 50);
    snprintf(v, sizeof v, "%s's walk-away R", nm);
    double x = svg_legend_item(&c, c.left - 6, c.bottom + 52, "wh", NULL, NULL, w);
    svg_legend_item(&c, x, c.bottom + 52, "rh", NULL, NULL, v);
    if (s->has_settlement_range)
        svg_legend_item(&c, c.left - 6, c.bottom + 70, "band", NULL, NULL, "settlement range");
    char note[600], nw[256], nr[256];
    tails_note(nw, sizeof nw, hw, e0, eN);
    tails_note(nr, sizeof nr, hr, e0, eN);
    if (nw[0] || nr[0]) {
        /* "Not shown: 0.4% of trials above 6.5M." twice over: say whose */
        snprintf(note, sizeof note, "%s%s%s%s%s", nw[0] ? "W: " : "", nw[0] ? nw : "",
                 nw[0] && nr[0] ? " " : "", nr[0] ? "R: " : "", nr[0] ? nr : "");
        svg_text(&c, c.left, c.height - 8, 's', "note", note);
    }
    svg_end(&c);
}

/* ---- drawing, and the public calls --------------------------------------------------------- */

int wa_chart_draw(FILE *f, const wa_result *r, wa_chart_ref c, const char *id, int standalone)
{
    if (!wa_chart_has(r, c)) {
        errno = EINVAL;
        return -1;
    }
    switch (c.kind) {
    case WA_CHART_SCURVES:
        draw_scurves(f, r, id, standalone);
        break;
    case WA_CHART_HISTOGRAM:
        draw_histogram(f, r, c.k, id, standalone);
        break;
    case WA_CHART_TORNADO:
        draw_tornado(f, r, c.k, id, standalone);
        break;
    case WA_CHART_SPIDER:
        draw_spider(f, r, c.k, id, standalone);
        break;
    case WA_CHART_EVPPI:
        draw_evppi(f, r, id, standalone);
        break;
    case WA_CHART_VENDOR:
        draw_vendor(f, r, id, standalone);
        break;
    }
    return ferror(f) ? -1 : 0;
}

size_t wa_chart_count(const wa_result *r) { return r ? wa_chart_list(r, NULL, 0) : 0; }

/* Chart i of r; 0 when there is none. */
static int chart_at(const wa_result *r, size_t i, wa_chart_ref *out)
{
    size_t n = wa_chart_count(r);
    if (i >= n)
        return 0;
    wa_chart_ref *all = wa_malloc(n * sizeof *all);
    if (!all)
        return -1;
    wa_chart_list(r, all, n);
    *out = all[i];
    wa_free(all);
    return 1;
}

/* Appends s to the name, sanitised: ASCII letters (lowered), digits, '.' and '_' kept,
   every other run of bytes one '-', no '-' at either end of the part. */
static size_t put_part(char *buf, size_t size, size_t at, const char *s)
{
    size_t start = at;
    int dash = 0;
    if (at > 0) { /* the separator between parts */
        if (at + 1 < size)
            buf[at] = '-';
        at++;
        start = at;
    }
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || ch == '.' || ch == '_';
        if (!keep) {
            dash = at > start;
            continue;
        }
        if (dash) {
            if (at + 1 < size)
                buf[at] = '-';
            at++;
            dash = 0;
        }
        if (at + 1 < size)
            buf[at] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        at++;
    }
    return at;
}

size_t wa_chart_file_name(char *buf, size_t size, const char *file, const char *scenario,
                          const char *variant, const char *offer, const char *chart)
{
    if (!buf)
        size = 0;
    if (size)
        buf[0] = '\0';
    /* the scenario: its file's name without folder and extension, else its name */
    char stem[256] = "";
    if (file && file[0]) {
        const char *slash = strrchr(file, '/');
        snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : file);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = '\0';
    } else {
        snprintf(stem, sizeof stem, "%s", scenario && scenario[0] ? scenario : "scenario");
    }
    size_t at = put_part(buf, size, 0, stem);
    if (at == 0)
        at = put_part(buf, size, 0, "scenario");
    at = put_part(buf, size, at, variant ? variant : "base");
    if (offer)
        at = put_part(buf, size, at, offer);
    at = put_part(buf, size, at, chart);
    const char ext[] = ".svg";
    for (size_t j = 0; j < sizeof ext - 1; j++, at++)
        if (at + 1 < size)
            buf[at] = ext[j];
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

size_t wa_chart_name(const wa_result *r, size_t i, char *buf, size_t size)
{
    wa_chart_ref c;
    if (buf && size)
        buf[0] = '\0';
    if (chart_at(r, i, &c) != 1)
        return 0;
    const wa_summary *s = wa_result_summary(r);
    int per_offer =
        c.kind == WA_CHART_HISTOGRAM || c.kind == WA_CHART_TORNADO || c.kind == WA_CHART_SPIDER;
    return wa_chart_file_name(buf, size, s->file, s->scenario, s->variant,
                              per_offer ? wa_result_offer(r, c.k)->name : NULL,
                              wa_chart_kind_name(c.kind));
}

wa_status wa_chart_write(FILE *f, const wa_result *r, size_t i)
{
    wa_chart_ref c;
    if (!f || !r)
        return WA_EUSAGE;
    int got = chart_at(r, i, &c);
    if (got < 0)
        return WA_ENOMEM;
    if (got == 0)
        return WA_EUSAGE;
    errno = 0;
    if (wa_chart_draw(f, r, c, "c", 1) != 0 || fflush(f) != 0 || ferror(f))
        return WA_EIO;
    return WA_OK;
}
