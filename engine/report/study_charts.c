/*
 * study_charts.c — the charts of a sweep and of a solve (see study_charts.h), and the
 * public calls that write them one per file (wa_sweep_chart_*, wa_solve_chart_*).
 *
 * A sweep with one varied name is a line, as @RISK's and Crystal Ball's what-if charts
 * are: P(walk beats) at each value with its 95% band, and the two lines a negotiator
 * reads it by, c (walk from here up) and 1 - c (accept from here down), labelled on the
 * plot. With two names it is a heat map of P(walk beats) on a diverging scale centred on
 * 50% (blue: the offer is cheaper, vermilion: walking is), its numbers written in the
 * cells when they fit, and the contours where it crosses c and 1 - c drawn as lines of
 * their own, so that the verdicts' borders do not rest on colour. Values are placed in
 * increasing order whatever order they were listed in. Everything is read through the
 * public accessors, as an embedder would.
 */
#include "report/study_charts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/charts.h"
#include "report/format.h"
#include "report/report.h"
#include "report/svg.h"
#include "util/alloc.h"

#define WIDTH 640

/* ---- what a sweep has ------------------------------------------------------------------ */

const char *wa_sweep_chart_kind(const wa_sweep *s)
{
    if (!s || wa_sweep_point_count(s) == 0 || wa_sweep_point_count(s) > WA_SWEEP_CHART_POINTS)
        return NULL;
    size_t nv = wa_sweep_vary_count(s);
    return nv == 1 ? "sweep" : nv == 2 ? "heatmap" : NULL;
}

/* The indices of name v's values in increasing order of value, into ord (value_count),
   with tmp room for the values. 0, or -1 when out of memory. */
static int values_in_order(const wa_sweep *s, size_t v, size_t *ord, double *tmp)
{
    size_t n = wa_sweep_value_count(s, v);
    for (size_t j = 0; j < n; j++)
        tmp[j] = wa_sweep_value(s, v, j);
    return rf_order(tmp, n, ord);
}

/* The title, and a subtitle on up to two lines: text cut at the last space before max
   bytes goes on to the second line (with an ellipsis past two). */
static void heading2(svg_chart *c, const char *title, const char *text, size_t max)
{
    char one[512], two[512] = "";
    size_t n = strlen(text);
    if (n <= max) {
        snprintf(one, sizeof one, "%s", text);
    } else {
        size_t cut = max;
        while (cut > 0 && text[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = max;
        snprintf(one, sizeof one, "%.*s", (int)cut, text);
        svg_clip(two, sizeof two, text + cut + (text[cut] == ' '), max);
    }
    svg_heading(c, title, one);
    if (two[0])
        svg_text(c, 8, 48, 's', "st", two);
}

/* ---- one varied name: lines ---------------------------------------------------------- */

static int draw_lines(FILE *f, const wa_sweep *s, size_t k, const char *id, int standalone)
{
    size_t n = wa_sweep_point_count(s);
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    const char *name = wa_sweep_vary_name(s, 0);
    int deal = wa_sweep_has_deal(s);
    size_t *ord = wa_malloc(n * sizeof *ord);
    double *x = wa_malloc(5 * n * sizeof *x);
    int ok = ord && x;
    for (size_t p = 0; ok && p < n; p++) /* the points' values (in x + n), in value order */
        x[n + p] = wa_sweep_value(s, 0, wa_sweep_point_index(s, p, 0));
    if (!ok || rf_order(x + n, n, ord)) {
        wa_free(ord);
        wa_free(x);
        errno = ENOMEM;
        return -1;
    }
    double *y = x + n, *lo = y + n, *hi = lo + n, *pd = hi + n;
    for (size_t j = 0; j < n; j++)
        x[j] = y[ord[j]];
    for (size_t j = 0; j < n; j++) {
        const wa_offer_summary *o = wa_result_offer(wa_sweep_point(s, ord[j]), k);
        y[j] = o->p_walk_beats;
        lo[j] = o->p_walk_beats_ci95[0];
        hi[j] = o->p_walk_beats_ci95[1];
        pd[j] = deal ? o->p_deal : NAN;
    }
    const char *offer = wa_result_offer(wa_sweep_point(s, 0), k)->name;
    double c = h->confidence;
    char on[256], lv[16], av[16], title[512], sub[512], desc[1536], a[32], b[32], ya[24], yb[24];
    svg_clip(on, sizeof on, offer, 60);
    rf_fmt_level(lv, sizeof lv, c);
    rf_fmt_level(av, sizeof av, 1 - c);
    svg_money3(a, sizeof a, x[0]);
    svg_money3(b, sizeof b, x[n - 1]);
    rf_fmt_pct(ya, sizeof ya, y[0]);
    rf_fmt_pct(yb, sizeof yb, y[n - 1]);
    snprintf(title, sizeof title, "%s: P(walking away beats it) as %s varies", on, name);
    snprintf(sub, sizeof sub,
             "Walk where it is at least %s, accept where at most %s, otherwise negotiate.", lv,
             av);
    snprintf(desc, sizeof desc,
             "Line chart of the share of trials in which walking away (%s) costs less than "
             "offer %s, at each of %zu values of %s from %s to %s (a dot per value, the same "
             "draws at every value), with its 95%% interval as a band%s. It is %s at %s=%s "
             "and %s at %s=%s. Horizontal lines at %s and %s mark the verdicts.",
             h->walk_name ? h->walk_name : "", offer, n, name, a, b,
             deal ? ", and the share of trials in which both sides prefer the deal (dashed)"
                  : "",
             ya, name, a, yb, name, b, lv, av);
    svg_chart ch;
    svg_begin(&ch, f, id, standalone, WIDTH, 330, 64, 16, 48, 66, title, desc);
    svg_heading(&ch, title, sub);
    svg_axis_plan(&ch.x, x[0], x[n - 1], 6, ch.left, ch.right);
    svg_axis_plan(&ch.y, 0, 1, 4, ch.bottom, ch.top);
    svg_x_axis(&ch, 0, name);
    svg_y_axis(&ch, 1, "P(walk beats)");
    /* the verdicts' lines, named where they are read */
    double yc = svg_map(&ch.y, c), ya_ = svg_map(&ch.y, 1 - c);
    char t[64];
    svg_line(&ch, ch.left, yc, ch.right, yc, "mark");
    svg_line(&ch, ch.left, ya_, ch.right, ya_, "mark");
    snprintf(t, sizeof t, "walk: %s and up", lv);
    svg_text(&ch, ch.right - 4, yc - 5, 'e', "note", t);
    snprintf(t, sizeof t, "accept: %s and down", av);
    svg_text(&ch, ch.right - 4, ya_ + 14, 'e', "note", t);
    svg_band(&ch, x, lo, hi, n, "pb");
    if (deal)
        svg_polyline(&ch, x, pd, n, "ln s1");
    svg_polyline(&ch, x, y, n, "ln pw");
    for (size_t j = 0; j < n; j++)
        svg_dot(&ch, svg_map(&ch.x, x[j]), svg_map(&ch.y, y[j]), n > 60 ? 1.5 : 3, "pt");
    double lx = svg_legend_item(&ch, ch.left - 6, ch.bottom + 52, NULL, NULL, "ln pw",
                                "P(walk beats)");
    lx = svg_legend_item(&ch, lx, ch.bottom + 52, "pb", NULL, NULL, "its 95% interval");
    if (deal)
        svg_legend_item(&ch, lx, ch.bottom + 52, NULL, NULL, "ln s1",
                        "P(deal): both sides prefer it");
    svg_end(&ch);
    wa_free(ord);
    wa_free(x);
    return ferror(f) ? -1 : 0;
}

/* ---- two varied names: a heat map ------------------------------------------------------ */

/* P on the diverging scale: 0 blue (#0072B2), 50% near-white (#F7F7F7), 1 vermilion
   (#D55E00), linear in RGB on each side; dark says whether its words go in white (WCAG's
   contrast: white wins below a relative luminance of 0.179). */
static void scale_colour(char *out, size_t size, double p, int *dark)
{
    static const double ends[3][3] = {{0, 114, 178}, {247, 247, 247}, {213, 94, 0}};
    if (!isfinite(p)) {
        snprintf(out, size, "#bbbbbb");
        *dark = 0;
        return;
    }
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    const double *u = p < 0.5 ? ends[0] : ends[1], *v = p < 0.5 ? ends[1] : ends[2];
    double t = p < 0.5 ? p / 0.5 : (p - 0.5) / 0.5, rgb[3];
    for (int i = 0; i < 3; i++)
        rgb[i] = u[i] + (v[i] - u[i]) * t;
    snprintf(out, size, "#%02x%02x%02x", (unsigned)lround(rgb[0]), (unsigned)lround(rgb[1]),
             (unsigned)lround(rgb[2]));
    /* white words where they contrast more than black: relative luminance below 0.179 */
    double lin[3];
    for (int i = 0; i < 3; i++) {
        double u = rgb[i] / 255;
        lin[i] = u <= 0.04045 ? u / 12.92 : pow((u + 0.055) / 1.055, 2.4);
    }
    *dark = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] < 0.179;
}

/* The contour of g (nr x nc, row i at y[i], column j at x[j]) at level L, by marching
   squares over the cell centres: segments into seg (4 numbers each; room for 2 per
   square), returns how many. A value at the level counts as above it; a saddle is
   resolved by the mean of its corners. */
static size_t contour(const double *g, size_t nr, size_t nc, const double *x, const double *y,
                      double L, double *seg)
{
    size_t n = 0;
    for (size_t i = 0; i + 1 < nr; i++)
        for (size_t j = 0; j + 1 < nc; j++) {
            /* corners counter-clockwise from the bottom left: a b c d */
            double v[4] = {g[i * nc + j], g[i * nc + j + 1], g[(i + 1) * nc + j + 1],
                           g[(i + 1) * nc + j]};
            double px[4] = {x[j], x[j + 1], x[j + 1], x[j]};
            double py[4] = {y[i], y[i], y[i + 1], y[i + 1]};
            if (!isfinite(v[0]) || !isfinite(v[1]) || !isfinite(v[2]) || !isfinite(v[3]))
                continue;
            int up[4], nup = 0;
            for (int q = 0; q < 4; q++)
                nup += up[q] = v[q] >= L;
            if (nup == 0 || nup == 4)
                continue;
            /* where the level crosses edge e (corner e to corner e+1) */
            double ex[4], ey[4];
            int cross[4], m = 0, which[4];
            for (int e = 0; e < 4; e++) {
                int q = (e + 1) % 4;
                cross[e] = up[e] != up[q];
                if (!cross[e])
                    continue;
                double t = (L - v[e]) / (v[q] - v[e]);
                ex[e] = px[e] + (px[q] - px[e]) * t;
                ey[e] = py[e] + (py[q] - py[e]) * t;
                which[m++] = e;
            }
            if (m == 2) {
                double *o = seg + 4 * n++;
                o[0] = ex[which[0]], o[1] = ey[which[0]];
                o[2] = ex[which[1]], o[3] = ey[which[1]];
                continue;
            }
            /* a saddle: a and c on one side, b and d on the other. The edges round corner
               q are q-1 and q; the corners cut off are those on the centre's other side. */
            int centre_up = (v[0] + v[1] + v[2] + v[3]) / 4 >= L;
            for (int q = 0; q < 4; q++) {
                if (up[q] == centre_up)
                    continue;
                int e0 = (q + 3) % 4, e1 = q;
                double *o = seg + 4 * n++;
                o[0] = ex[e0], o[1] = ey[e0];
                o[2] = ex[e1], o[3] = ey[e1];
            }
        }
    return n;
}

/* The heat map's working memory, for nr x nc cells. */
typedef struct heat {
    size_t *ord;   /* the rows', then the columns' values in increasing order */
    double *tmp;   /* one name's values, for sorting them */
    double *g;     /* P by cell (row-major in value order), then the centres' x and y */
    double *seg;   /* a contour's segments: 2 a square at most */
    char (*lab)[24];
    double *vals;  /* one name's values, for their labels */
} heat;

static void heat_free(heat *m)
{
    wa_free(m->ord);
    wa_free(m->tmp);
    wa_free(m->g);
    wa_free(m->seg);
    wa_free(m->lab);
    wa_free(m->vals);
}

static int heat_alloc(heat *m, size_t nr, size_t nc)
{
    size_t nmax = nr > nc ? nr : nc;
    m->ord = wa_malloc((nr + nc) * sizeof *m->ord);
    m->tmp = wa_malloc(nmax * sizeof *m->tmp);
    m->g = wa_malloc((nr * nc + nr + nc) * sizeof *m->g);
    m->seg = wa_malloc(8 * (nr * nc + 1) * sizeof *m->seg);
    m->lab = wa_malloc(nmax * sizeof *m->lab);
    m->vals = wa_malloc(nmax * sizeof *m->vals);
    if (m->ord && m->tmp && m->g && m->seg && m->lab && m->vals)
        return 0;
    heat_free(m);
    errno = ENOMEM;
    return -1;
}

static int draw_heat(FILE *f, const wa_sweep *s, size_t k, const char *id, int standalone,
                     heat *m)
{
    size_t nr = wa_sweep_value_count(s, 0), nc = wa_sweep_value_count(s, 1);
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    const char *n0 = wa_sweep_vary_name(s, 0), *n1 = wa_sweep_vary_name(s, 1);
    int deal = wa_sweep_has_deal(s);
    size_t *ord = m->ord;
    double *tmp = m->tmp;
    double *g = m->g, *seg = m->seg, *vals = m->vals;
    char(*lab)[24] = m->lab;
    size_t *o0 = ord, *o1 = ord + nr;
    if (values_in_order(s, 0, o0, tmp) || values_in_order(s, 1, o1, tmp)) {
        errno = ENOMEM;
        return -1;
    }
    /* the grid in value order: row i (name 0's i-th smallest value) from the bottom */
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++)
            g[i * nc + j] = wa_result_offer(wa_sweep_point(s, o0[i] * nc + o1[j]), k)->p_walk_beats;
    const char *offer = wa_result_offer(wa_sweep_point(s, 0), k)->name;
    double c = h->confidence;
    char on[256], lv[16], av[16], title[512], sub[512], desc[1536];
    svg_clip(on, sizeof on, offer, 60);
    rf_fmt_level(lv, sizeof lv, c);
    rf_fmt_level(av, sizeof av, 1 - c);
    size_t nwalk = 0, naccept = 0;
    for (size_t p = 0; p < nr * nc; p++) {
        nwalk += g[p] >= c;
        naccept += g[p] <= 1 - c;
    }
    snprintf(title, sizeof title, "%s: P(walking away beats it)", on);
    snprintf(sub, sizeof sub,
             "Over %s (up) and %s (across). Solid: P = %s (walk from here up); dashed: P = %s "
             "(accept from here down).",
             n0, n1, lv, av);
    snprintf(desc, sizeof desc,
             "Heat map of the share of trials in which walking away (%s) costs less than offer "
             "%s, over %zu values of %s (up) and %zu of %s (across), the same draws in every "
             "cell: blue where the offer is cheaper, vermilion where walking away is. Walking "
             "away beats the offer with %s confidence in %zu of the %zu cells, and the offer "
             "beats walking away with %s confidence in %zu; contour lines mark both borders%s.",
             h->walk_name ? h->walk_name : "", offer, nr, n0, nc, n1, lv, nwalk,
             nr * nc, lv, naccept, deal ? "; outlined cells are deals both sides prefer" : "");
    double ml = 84, mr = 16, mt = 62, mb = deal ? 102 : 76;
    double cw = (WIDTH - ml - mr) / (double)nc;
    double chh = 300.0 / (double)nr < 36 ? 300.0 / (double)nr : 36;
    double height = mt + chh * (double)nr + mb;
    svg_chart ch;
    svg_begin(&ch, f, id, standalone, WIDTH, height, ml, mr, mt, mb, title, desc);
    heading2(&ch, title, sub, 100);
    /* the cells, then the words in them where they fit */
    double *cx = g + nr * nc, *cy = cx + nc;
    for (size_t j = 0; j < nc; j++)
        cx[j] = ch.left + cw * ((double)j + 0.5);
    for (size_t i = 0; i < nr; i++)
        cy[i] = ch.bottom - chh * ((double)i + 0.5);
    int words = cw >= 32 && chh >= 14;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            char fill[16], pc[24];
            int dark;
            double p = g[i * nc + j];
            scale_colour(fill, sizeof fill, p, &dark);
            svg_rect(&ch, cx[j] - cw / 2, cy[i] - chh / 2, cw, chh, "cell", fill);
            if (words) {
                rf_fmt_pct_dec(pc, sizeof pc, p, 0);
                svg_text(&ch, cx[j], cy[i] + 4, 'm', dark ? "cv w" : "cv", pc);
            }
        }
    if (deal)
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < nc; j++) {
                const wa_offer_summary *o =
                    wa_result_offer(wa_sweep_point(s, o0[i] * nc + o1[j]), k);
                if (o->p_deal >= c)
                    svg_rect(&ch, cx[j] - cw / 2 + 1, cy[i] - chh / 2 + 1, cw - 2, chh - 2,
                             "deal", NULL);
            }
    size_t ns = contour(g, nr, nc, cx, cy, c, seg);
    svg_segments(&ch, seg, ns, "ct");
    ns = contour(g, nr, nc, cx, cy, 1 - c, seg);
    svg_segments(&ch, seg, ns, "ct a");
    /* the axes: each value's label under its column or beside its row, thinned to fit */
    svg_line(&ch, ch.left, ch.bottom, ch.right, ch.bottom, "ax");
    svg_line(&ch, ch.left, ch.top, ch.left, ch.bottom, "ax");
    for (size_t j = 0; j < nc; j++)
        vals[j] = wa_sweep_value(s, 1, o1[j]);
    rf_value_labels(vals, nc, lab);
    size_t every = (size_t)ceil(60.0 / cw);
    for (size_t j = 0; j < nc; j += every ? every : 1) {
        svg_line(&ch, cx[j], ch.bottom, cx[j], ch.bottom + 4, "ax");
        svg_text(&ch, cx[j], ch.bottom + 16, 'm', "tl", lab[j]);
    }
    svg_text(&ch, (ch.left + ch.right) / 2, ch.bottom + 34, 'm', "al", n1);
    for (size_t i = 0; i < nr; i++)
        vals[i] = wa_sweep_value(s, 0, o0[i]);
    rf_value_labels(vals, nr, lab);
    every = (size_t)ceil(14.0 / chh);
    for (size_t i = 0; i < nr; i += every ? every : 1) {
        svg_line(&ch, ch.left - 4, cy[i], ch.left, cy[i], "ax");
        svg_text(&ch, ch.left - 7, cy[i] + 4, 'e', "tl", lab[i]);
    }
    svg_y_axis_label(&ch, n0);
    /* the legend: the scale in steps, then the lines */
    double ly = ch.bottom + 58, lx = ch.left - 6;
    svg_text(&ch, lx, ly, 's', NULL, "P(walk beats):");
    lx += 92;
    for (int q = 0; q <= 4; q++) {
        char fill[16], pc[16];
        int dark;
        scale_colour(fill, sizeof fill, q / 4.0, &dark);
        svg_rect(&ch, lx, ly - 10, 30, 12, "key cell", fill);
        snprintf(pc, sizeof pc, "%d%%", q * 25);
        svg_text(&ch, lx + 15, ly + 14, 'm', "tl", pc);
        lx += 32;
    }
    char t[96];
    snprintf(t, sizeof t, "P = %s", lv);
    lx = svg_legend_item(&ch, lx + 10, ly, NULL, NULL, "ct", t);
    snprintf(t, sizeof t, "P = %s", av);
    svg_legend_item(&ch, lx, ly, NULL, NULL, "ct a", t);
    if (deal) {
        snprintf(t, sizeof t, "outlined: a deal both sides prefer with %s confidence", lv);
        svg_legend_item(&ch, ch.left - 6, ly + 26, "deal", NULL, NULL, t);
    }
    svg_end(&ch);
    return ferror(f) ? -1 : 0;
}

static int draw_heatmap(FILE *f, const wa_sweep *s, size_t k, const char *id, int standalone)
{
    heat m;
    if (heat_alloc(&m, wa_sweep_value_count(s, 0), wa_sweep_value_count(s, 1)))
        return -1;
    int rc = draw_heat(f, s, k, id, standalone, &m);
    heat_free(&m);
    return rc;
}

int wa_sweep_chart_draw(FILE *f, const wa_sweep *s, size_t k, const char *id, int standalone)
{
    const char *kind = wa_sweep_chart_kind(s);
    if (!kind)
        return 0;
    return kind[0] == 's' ? draw_lines(f, s, k, id, standalone)
                          : draw_heatmap(f, s, k, id, standalone);
}

/* ---- a solve ---------------------------------------------------------------------------- */

int wa_solve_chart_draw(FILE *f, const wa_solve *sv, const char *id, int standalone)
{
    const wa_solution *s = wa_solve_solution(sv);
    size_t n = wa_solve_eval_count(sv);
    if (n == 0)
        return 0;
    double *x = wa_malloc(4 * n * sizeof *x);
    char *desc = wa_malloc(4096);
    if (!x || !desc) {
        wa_free(x);
        wa_free(desc);
        errno = ENOMEM;
        return -1;
    }
    double *y = x + n, *lo = y + n, *hi = lo + n;
    double ymin = 0, ymax = s->target_is_mean ? 0 : 1; /* the mean: its range and 0 */
    for (size_t j = 0; j < n; j++) {
        const wa_solve_eval *e = wa_solve_evaluation(sv, j);
        x[j] = e->value;
        y[j] = e->figure;
        lo[j] = e->ci95[0];
        hi[j] = e->ci95[1];
        if (s->target_is_mean) {
            ymin = lo[j] < ymin ? lo[j] : ymin;
            ymax = hi[j] > ymax ? hi[j] : ymax;
        }
    }
    char on[256], title[512], lv[16];
    svg_clip(on, sizeof on, s->offer, 60);
    rf_fmt_level(lv, sizeof lv, s->level);
    snprintf(title, sizeof title, "%s: where the decision flips on %s", on, s->name);
    char first[1024];
    wa_solve_answer(first, sizeof first, sv, 0);
    size_t at = (size_t)snprintf(desc, 4096,
                                 "Line chart of %s at each of the %zu values of %s the solve "
                                 "ran, from %.6g to %.6g (a dot per run, the same draws in "
                                 "every run), with its 95%% interval as a band and the target "
                                 "(%s) as a horizontal line. ",
                                 s->target_is_mean ? "the mean advantage of walking away"
                                                   : "P(walking away beats the offer)",
                                 n, s->name, s->from, s->to, s->target_is_mean ? "0" : lv);
    for (size_t i = 0; i < (s->found ? s->ncrossings : 1) && at < 4000; i++) {
        char one[1024];
        wa_solve_answer(one, sizeof one, sv, i);
        at += (size_t)snprintf(desc + at, 4096 - at, "%s ", one);
    }
    svg_chart ch;
    svg_begin(&ch, f, id, standalone, WIDTH, 344, 64, 16, 62, 66, title, desc);
    heading2(&ch, title, first, 100);
    svg_axis_plan(&ch.x, s->from, s->to, 6, ch.left, ch.right);
    svg_axis_plan(&ch.y, ymin, ymax, 4, ch.bottom, ch.top);
    svg_x_axis(&ch, 0, s->name);
    svg_y_axis(&ch, s->target_is_mean ? 0 : 1,
               s->target_is_mean ? "Mean advantage of walking away" : "P(walk beats)");
    /* each crossing: its Monte Carlo interval shaded, the crossing itself a line */
    for (size_t i = 0; s->found && i < s->ncrossings; i++) {
        const wa_crossing *c = wa_solve_crossing(sv, i);
        double x0 = svg_map(&ch.x, c->interval[0]), x1 = svg_map(&ch.x, c->interval[1]);
        double xc = svg_map(&ch.x, c->value);
        char v[32];
        svg_rect(&ch, x0, ch.top, x1 - x0 > 1 ? x1 - x0 : 1, ch.bottom - ch.top, "xi", NULL);
        svg_line(&ch, xc, ch.top - 4, xc, ch.bottom, "zero");
        svg_money3(v, sizeof v, c->value);
        svg_text(&ch, xc + 4, ch.top + 10 + 14 * (double)(i % 2), 's', NULL, v);
    }
    double level = s->target_is_mean ? 0 : s->level, yt = svg_map(&ch.y, level);
    char t[64];
    svg_line(&ch, ch.left, yt, ch.right, yt, "mark");
    snprintf(t, sizeof t, "target %s", s->target_is_mean ? "0" : lv);
    svg_text(&ch, ch.left + 4, yt - 5, 's', "note", t);
    svg_band(&ch, x, lo, hi, n, "pb");
    svg_polyline(&ch, x, y, n, "ln pw");
    for (size_t j = 0; j < n; j++)
        svg_dot(&ch, svg_map(&ch.x, x[j]), svg_map(&ch.y, y[j]), 2.5, "pt");
    double lx = svg_legend_item(&ch, ch.left - 6, ch.bottom + 52, NULL, NULL, "ln pw",
                                s->target_is_mean ? "mean advantage" : "P(walk beats)");
    lx = svg_legend_item(&ch, lx, ch.bottom + 52, "pb", NULL, NULL, "its 95% interval");
    if (s->found)
        svg_legend_item(&ch, lx, ch.bottom + 52, "xi", NULL, NULL,
                        "where the crossing lies, given Monte Carlo error");
    svg_end(&ch);
    wa_free(x);
    wa_free(desc);
    return ferror(f) ? -1 : 0;
}

/* ---- one chart per file ------------------------------------------------------------------ */

size_t wa_sweep_chart_count(const wa_sweep *s)
{
    return wa_sweep_chart_kind(s) ? wa_result_summary(wa_sweep_point(s, 0))->noffers : 0;
}

size_t wa_sweep_chart_name(const wa_sweep *s, size_t i, char *buf, size_t size)
{
    if (buf && size)
        buf[0] = '\0';
    if (i >= wa_sweep_chart_count(s))
        return 0;
    const wa_result *r = wa_sweep_point(s, 0);
    const wa_summary *h = wa_result_summary(r);
    return wa_chart_file_name(buf, size, h->file, h->scenario, wa_sweep_variant(s),
                              wa_result_offer(r, i)->name, wa_sweep_chart_kind(s));
}

/* The status of a chart written standalone to f. */
static wa_status written(FILE *f, int rc)
{
    if (rc != 0 && errno == ENOMEM && !ferror(f))
        return WA_ENOMEM;
    if (rc != 0 || fflush(f) != 0 || ferror(f))
        return WA_EIO;
    return WA_OK;
}

wa_status wa_sweep_chart_write(FILE *f, const wa_sweep *s, size_t i)
{
    if (!f || !s || i >= wa_sweep_chart_count(s))
        return WA_EUSAGE;
    errno = 0;
    return written(f, wa_sweep_chart_draw(f, s, i, "c", 1));
}

size_t wa_solve_chart_count(const wa_solve *s) { return s && wa_solve_eval_count(s) ? 1 : 0; }

size_t wa_solve_chart_name(const wa_solve *s, size_t i, char *buf, size_t size)
{
    if (buf && size)
        buf[0] = '\0';
    if (i >= wa_solve_chart_count(s))
        return 0;
    const wa_solution *so = wa_solve_solution(s);
    return wa_chart_file_name(buf, size, so->file, so->scenario, so->variant, so->offer,
                              "solve");
}

wa_status wa_solve_chart_write(FILE *f, const wa_solve *s, size_t i)
{
    if (!f || !s || i >= wa_solve_chart_count(s))
        return WA_EUSAGE;
    errno = 0;
    return written(f, wa_solve_chart_draw(f, s, "c", 1));
}
