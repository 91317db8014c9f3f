/*
 * svg.c — chart primitives (see svg.h).
 *
 * Coordinates are written with one decimal at most (a tenth of a unit in a 640-wide
 * viewBox is far below a printed dot), which keeps a page of a hundred charts small.
 * Output is locale-independent: numbers are formatted with the C locale's "%.1f", which
 * the library never changes.
 */
#include "report/svg.h"

#include <math.h>
#include <string.h>

#include "report/format.h"

/* The palette is Okabe and Ito's, safe for the common colour-vision deficiencies; lines
   differ by dash pattern too, and meaning never rests on colour alone (patterns, labels,
   legends). */
static const char css[] =
    ".wa{max-width:100%;height:auto}"
    ".wa text{font:11px system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "fill:#222}"
    ".wa .t{font-size:14px;font-weight:600}"
    ".wa .st,.wa .note{fill:#555}"
    ".wa .tl{fill:#444}"
    ".wa .al{fill:#333;font-weight:600}"
    ".wa .ax{stroke:#333;stroke-width:1}"
    ".wa .gr{stroke:#e3e3e3;stroke-width:1}"
    ".wa .bar{fill:#56B4E9;stroke:#fff;stroke-width:.5}"
    ".wa .hb{fill:#E69F00}"
    ".wa .hl{stroke:#8a5a00;stroke-width:1.6}"
    ".wa .zero{stroke:#000;stroke-width:1.5}"
    ".wa .mark{stroke:#333;stroke-width:1.2;stroke-dasharray:4 3}"
    ".wa .ln{fill:none;stroke-width:2}"
    ".wa .s0{stroke:#000;stroke-width:3}"
    ".wa .s1{stroke:#E69F00;stroke-dasharray:8 3}"
    ".wa .s2{stroke:#0072B2;stroke-dasharray:2 2}"
    ".wa .s3{stroke:#009E73;stroke-dasharray:8 3 2 3}"
    ".wa .s4{stroke:#CC79A7}"
    ".wa .s5{stroke:#D55E00;stroke-dasharray:4 4}"
    ".wa .s6{stroke:#56B4E9;stroke-dasharray:12 4}"
    ".wa .s7{stroke:#999;stroke-dasharray:1 3}"
    ".wa .lo{fill:#0072B2}"
    ".wa .band{fill:#009E73;fill-opacity:.18}"
    ".wa .wh{fill:#0072B2;fill-opacity:.2;stroke:#0072B2;stroke-width:1.5}"
    ".wa .rh{fill:#D55E00;fill-opacity:.15;stroke:#D55E00;stroke-width:1.5;"
    "stroke-dasharray:5 3}"
    ".wa .wsk{stroke:#222;stroke-width:1.2}"
    ".wa .ev{fill:#009E73}"
    ".wa .pw{stroke:#0072B2;stroke-width:2.5}"
    ".wa .pt{fill:#0072B2}"
    ".wa .pb{fill:#0072B2;fill-opacity:.18}"
    ".wa .xi{fill:#E69F00;fill-opacity:.3}"
    ".wa .cell{stroke:#fff;stroke-width:.5}"
    ".wa .cv{font-size:10px;fill:#222}.wa .cv.w{fill:#fff}"
    ".wa .ct{fill:none;stroke:#000;stroke-width:2.2}"
    ".wa .ct.a{stroke-dasharray:6 3}"
    ".wa .deal{fill:none;stroke:#000;stroke-width:1.6}";

const char *svg_css(void) { return css; }

/* ---- axes ---------------------------------------------------------------------------- */

void svg_axis_plan(svg_axis *a, double lo, double hi, int target, double px0, double px1)
{
    if (!isfinite(lo) || !isfinite(hi))
        lo = 0, hi = 1;
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (!(hi > lo)) { /* a single value: a round range around it */
        double d = lo != 0 ? fabs(lo) / 10 : 1;
        lo -= d;
        hi += d;
    }
    if (target < 1)
        target = 1;
    a->step = wa_nice_step((hi - lo) / target);
    /* lo and hi within 2^52 steps of 0 (wa_nice_floor's domain), and a bounded number of
       ticks: else the next round step; past the largest (5 x 10^22), an axis wider than a
       few of it or of values beyond about 10^38 is drawn from lo to hi without ticks */
    for (;;) {
        double w = wa_nice_value(a->step);
        if (fabs(lo) / w < 0x1p52 && fabs(hi) / w < 0x1p52) {
            a->t0 = wa_nice_floor(a->step, lo);
            a->t1 = wa_nice_ceil(a->step, hi);
            if (a->t1 - a->t0 <= 4 * (int64_t)target + 2)
                break;
        }
        wa_nice next = wa_nice_step(w * 2);
        if (next.mant == a->step.mant && next.exp == a->step.exp) {
            a->t0 = 1, a->t1 = 0; /* no ticks */
            a->lo = lo;
            a->hi = hi;
            a->px0 = px0;
            a->px1 = px1;
            return;
        }
        a->step = next;
    }
    if (a->t1 == a->t0)
        a->t1++;
    a->lo = wa_nice_mul(a->step, a->t0);
    a->hi = wa_nice_mul(a->step, a->t1);
    a->px0 = px0;
    a->px1 = px1;
}

double svg_map(const svg_axis *a, double v)
{
    return a->px0 + (v - a->lo) / (a->hi - a->lo) * (a->px1 - a->px0);
}

double svg_tick(const svg_axis *a, int64_t j) { return wa_nice_mul(a->step, j); }

/* ---- labels -------------------------------------------------------------------------- */

/* Drops trailing zeros after a decimal point, and the point itself. */
static void trim_zeros(char *s)
{
    if (!strchr(s, '.'))
        return;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
}

/* Decimals that show a value on a grid of `step` in units of `unit`. */
static int decimals_for(double step, double unit)
{
    double r = step / unit;
    if (!(r > 0) || r >= 1)
        return 0;
    int d = (int)ceil(-log10(r) - 1e-9);
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

void svg_fmt_money(char *out, size_t size, double v, double step)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
    if (!isfinite(v)) {
        snprintf(out, size, "n/a");
        return;
    }
    double a = fabs(v);
    /* a tick at 0 may come out as a few ulps of the step: it is 0 */
    if (a < fabs(step) * 1e-9 || a == 0) {
        snprintf(out, size, "0");
        return;
    }
    size_t u = 0;
    while (u + 1 < sizeof units / sizeof units[0] && a < units[u].unit)
        u++;
    char num[64];
    snprintf(num, sizeof num, "%.*f", decimals_for(step, units[u].unit), a / units[u].unit);
    trim_zeros(num);
    snprintf(out, size, "%s%s%s", v < 0 ? "\u2212" : "", num, units[u].suffix);
}

void svg_fmt_share(char *out, size_t size, double v, double step)
{
    char num[64];
    double a = fabs(v) < fabs(step) * 1e-9 ? 0 : v;
    snprintf(num, sizeof num, "%.*f", decimals_for(step * 100, 1), fabs(a) * 100);
    trim_zeros(num);
    snprintf(out, size, "%s%s%%", a < 0 ? "\u2212" : "", num);
}

/* ---- output -------------------------------------------------------------------------- */

void svg_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* A coordinate: one decimal, without a trailing ".0". */
static void put_num(FILE *f, double v)
{
    char b[48];
    if (!isfinite(v))
        v = 0;
    snprintf(b, sizeof b, "%.1f", v);
    size_t n = strlen(b);
    if (n > 2 && b[n - 2] == '.' && b[n - 1] == '0')
        b[n - 2] = '\0';
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
    fputs(b, f);
}

void svg_begin(svg_chart *c, FILE *f, const char *id, int standalone, double width,
               double height, double ml, double mr, double mt, double mb, const char *title,
               const char *desc)
{
    c->f = f;
    c->id = id;
    c->width = width;
    c->height = height;
    c->left = ml;
    c->right = width - mr;
    c->top = mt;
    c->bottom = height - mb;
    /* the namespace only in a file of its own: in HTML an <svg> element is SVG anyway, and
       the page then names no URL at all */
    if (standalone)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\"", f);
    else
        fputs("<svg", f);
    fputs(" class=\"wa\" role=\"img\" viewBox=\"0 0 ", f);
    put_num(f, width);
    fputc(' ', f);
    put_num(f, height);
    fputs("\" width=\"", f);
    put_num(f, width);
    fputs("\" height=\"", f);
    put_num(f, height);
    /* the <title> and <desc> are the chart's accessible name and description (SVG's own
       rule; ids on them would be foreign to HTML checkers) */
    fputs("\">\n<title>", f);
    svg_escape(f, title);
    fputs("</title>\n<desc>", f);
    svg_escape(f, desc);
    fputs("</desc>\n", f);
    if (standalone)
        fprintf(f, "<style>%s</style>\n", css);
    /* the hatch for what favours walking away: a pattern, so that it does not rest on
       colour alone */
    fprintf(f,
            "<defs><pattern id=\"%s-h\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"hb\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hl\"/></pattern></defs>\n",
            id);
}

void svg_end(svg_chart *c) { fputs("</svg>\n", c->f); }

void svg_rect(svg_chart *c, double x, double y, double w, double h, const char *cls,
              const char *fill)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    fputs("<rect", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    if (fill) /* a style, not an attribute: the class's fill would win over an attribute */
        fprintf(c->f, " style=\"fill:%s\"", fill);
    fputs(" x=\"", c->f);
    put_num(c->f, x);
    fputs("\" y=\"", c->f);
    put_num(c->f, y);
    fputs("\" width=\"", c->f);
    put_num(c->f, w);
    fputs("\" height=\"", c->f);
    put_num(c->f, h);
    fputs("\"/>\n", c->f);
}

void svg_line(svg_chart *c, double x1, double y1, double x2, double y2, const char *cls)
{
    fputs("<line", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    fputs(" x1=\"", c->f);
    put_num(c->f, x1);
    fputs("\" y1=\"", c->f);
    put_num(c->f, y1);
    fputs("\" x2=\"", c->f);
    put_num(c->f, x2);
    fputs("\" y2=\"", c->f);
    put_num(c->f, y2);
    fputs("\"/>\n", c->f);
}

void svg_polyline(svg_chart *c, const double *x, const double *y, size_t n, const char *cls)
{
    fputs("<polyline", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    fputs(" points=\"", c->f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(' ', c->f);
        put_num(c->f, svg_map(&c->x, x[i]));
        fputc(',', c->f);
        put_num(c->f, svg_map(&c->y, y[i]));
    }
    fputs("\"/>\n", c->f);
}

void svg_band(svg_chart *c, const double *x, const double *lo, const double *hi, size_t n,
              const char *cls)
{
    if (n == 0)
        return;
    fputs("<polygon", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    fputs(" points=\"", c->f);
    for (size_t i = 0; i < 2 * n; i++) { /* along the upper bound, back along the lower */
        size_t j = i < n ? i : 2 * n - 1 - i;
        if (i)
            fputc(' ', c->f);
        put_num(c->f, svg_map(&c->x, x[j]));
        fputc(',', c->f);
        put_num(c->f, svg_map(&c->y, i < n ? hi[j] : lo[j]));
    }
    fputs("\"/>\n", c->f);
}

void svg_dot(svg_chart *c, double x, double y, double r, const char *cls)
{
    fputs("<circle", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    fputs(" cx=\"", c->f);
    put_num(c->f, x);
    fputs("\" cy=\"", c->f);
    put_num(c->f, y);
    fputs("\" r=\"", c->f);
    put_num(c->f, r);
    fputs("\"/>\n", c->f);
}

void svg_segments(svg_chart *c, const double *xy, size_t n, const char *cls)
{
    if (n == 0)
        return;
    fputs("<path", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    fputs(" d=\"", c->f);
    for (size_t i = 0; i < n; i++) {
        const double *s = xy + 4 * i;
        fputs(i ? " M" : "M", c->f);
        put_num(c->f, s[0]);
        fputc(' ', c->f);
        put_num(c->f, s[1]);
        fputc('L', c->f);
        put_num(c->f, s[2]);
        fputc(' ', c->f);
        put_num(c->f, s[3]);
    }
    fputs("\"/>\n", c->f);
}

void svg_text(svg_chart *c, double x, double y, char anchor, const char *cls, const char *text)
{
    fputs("<text", c->f);
    if (cls)
        fprintf(c->f, " class=\"%s\"", cls);
    if (anchor == 'm')
        fputs(" text-anchor=\"middle\"", c->f);
    else if (anchor == 'e')
        fputs(" text-anchor=\"end\"", c->f);
    fputs(" x=\"", c->f);
    put_num(c->f, x);
    fputs("\" y=\"", c->f);
    put_num(c->f, y);
    fputs("\">", c->f);
    svg_escape(c->f, text);
    fputs("</text>\n", c->f);
}

/* A tick's label by kind: money or share. */
static void tick_label(char *out, size_t size, int kind, double v, double step)
{
    if (kind == 1)
        svg_fmt_share(out, size, v, step);
    else
        svg_fmt_money(out, size, v, step);
}

void svg_x_axis(svg_chart *c, int kind, const char *label)
{
    double step = wa_nice_value(c->x.step);
    for (int64_t j = c->x.t0; j <= c->x.t1; j++) {
        double v = svg_tick(&c->x, j), px = svg_map(&c->x, v);
        char b[48];
        svg_line(c, px, c->top, px, c->bottom, "gr");
        svg_line(c, px, c->bottom, px, c->bottom + 4, "ax");
        tick_label(b, sizeof b, kind, v, step);
        svg_text(c, px, c->bottom + 16, 'm', "tl", b);
    }
    svg_line(c, c->left, c->bottom, c->right, c->bottom, "ax");
    if (label)
        svg_text(c, (c->left + c->right) / 2, c->bottom + 34, 'm', "al", label);
}

void svg_y_axis(svg_chart *c, int kind, const char *label)
{
    double step = wa_nice_value(c->y.step);
    for (int64_t j = c->y.t0; j <= c->y.t1; j++) {
        double v = svg_tick(&c->y, j), py = svg_map(&c->y, v);
        char b[48];
        svg_line(c, c->left, py, c->right, py, "gr");
        svg_line(c, c->left - 4, py, c->left, py, "ax");
        tick_label(b, sizeof b, kind, v, step);
        svg_text(c, c->left - 7, py + 4, 'e', "tl", b);
    }
    svg_line(c, c->left, c->top, c->left, c->bottom, "ax");
    if (label)
        svg_y_axis_label(c, label);
}

void svg_y_axis_label(svg_chart *c, const char *label)
{
    /* written along the axis, rotated about its own anchor */
    double x = 14, y = (c->top + c->bottom) / 2;
    fprintf(c->f, "<text class=\"al\" text-anchor=\"middle\" transform=\"rotate(-90 ");
    put_num(c->f, x);
    fputc(' ', c->f);
    put_num(c->f, y);
    fputs(")\" x=\"", c->f);
    put_num(c->f, x);
    fputs("\" y=\"", c->f);
    put_num(c->f, y);
    fputs("\">", c->f);
    svg_escape(c->f, label);
    fputs("</text>\n", c->f);
}

/* ---- pieces every chart uses ------------------------------------------------------ */

/* v with three significant figures, as the axes write money: "1.23M". */
void svg_money3(char *out, size_t size, double v)
{
    double a = fabs(v);
    svg_fmt_money(out, size, v, a > 0 ? pow(10, floor(log10(a)) - 2) : 1);
}

/* s cut to at most max bytes on a UTF-8 boundary, with an ellipsis when cut. */
void svg_clip(char *out, size_t size, const char *s, size_t max)
{
    size_t n = strlen(s ? s : "");
    if (n <= max) {
        snprintf(out, size, "%s", s ? s : "");
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    snprintf(out, size, "%.*s\u2026", (int)max, s);
}

/* A swatch and its words, for a legend: a rect (cls, fill) or a line (line_cls). */
double svg_legend_item(svg_chart *c, double x, double y, const char *cls, const char *fill,
                       const char *line_cls, const char *text)
{
    char key[64]; /* "key" first: a swatch is not a mark of the data */
    if (line_cls) {
        snprintf(key, sizeof key, "key %s", line_cls);
        svg_line(c, x, y - 4, x + 22, y - 4, key);
    } else {
        snprintf(key, sizeof key, "key %s", cls ? cls : "");
        svg_rect(c, x + 6, y - 9, 10, 10, key, fill);
    }
    svg_text(c, x + 28, y, 's', NULL, text);
    return x + 28 + 6.2 * (double)rf_width(text) + 18; /* the next item's place */
}

void svg_heading(svg_chart *c, const char *title, const char *subtitle)
{
    svg_text(c, 8, 18, 's', "t", title);
    if (subtitle)
        svg_text(c, 8, 34, 's', "st", subtitle);
}
