/*
 * format.c — numbers and columns for the text reports: money with thousands separators,
 * compact figures (1.23M), percentages in the precision they deserve, and alignment that
 * counts UTF-8 code points. Locale-independent: separators are inserted by hand.
 */
#include "report/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define RULE_WIDTH 72

/* ---- number formatting -------------------------------------------------------------- */

/* Writes v rounded to a whole number with thousands separators ("-1,234,567"). Values
   too large for whole-number printing to be meaningful fall back to %.3g. */
void rf_fmt_whole(char *out, size_t size, double v)
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
void rf_fmt_money(char *out, size_t size, const char *currency, double v)
{
    char num[48];
    rf_fmt_whole(num, sizeof num, v);
    snprintf(out, size, "%s %s", currency && currency[0] ? currency : "USD", num);
}

/* Three significant figures with a k/M/B/T suffix: "950", "12.3k", "1.23M", "-4.5B". */
void rf_fmt_compact(char *out, size_t size, double v)
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

void rf_fmt_sig(char *out, size_t size, double v, int sig)
{
    double a = fabs(v);
    const char *suffix = a >= 1e9 ? "B" : a >= 1e6 ? "M" : a >= 1e3 ? "k" : "";
    double scale = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1;
    snprintf(out, size, "%.*g%s", sig, v / scale, suffix);
}

/* Decimals for showing probability p as a percentage: one, or more near 0% and 100% so
   that 99.95% does not read as a certain 100.0%, nor 0.04% as 0.0%. */
int rf_pct_decimals(double p)
{
    double m = p < 1 - p ? p : 1 - p;
    return !(m < 0.01) ? 1 : m >= 0.001 ? 2 : 3;
}

/* p as a percentage with dec decimals; exactly 0 and 1 print as "0%" and "100%", and a
   value that would still round to either prints as "<0.001%" or ">99.999%". */
void rf_fmt_pct_dec(char *out, size_t size, double p, int dec)
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

void rf_fmt_pct(char *out, size_t size, double p)
{
    rf_fmt_pct_dec(out, size, p, isfinite(p) ? rf_pct_decimals(p) : 1);
}

/* The confidence level as a percentage without trailing zeros: 0.8 -> "80%". */
void rf_fmt_level(char *out, size_t size, double c)
{
    snprintf(out, size, "%.4g%%", c * 100);
}

/* ---- layout --------------------------------------------------------------------------- */

/* Display width of a UTF-8 string: its code points (continuation bytes take no column). */
size_t rf_width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* s, then spaces up to w columns (nothing extra when s is already wider). */
void rf_pad(FILE *f, const char *s, size_t w)
{
    fputs(s ? s : "", f);
    for (size_t k = rf_width(s); k < w; k++)
        fputc(' ', f);
}

/* Spaces up to w columns, then s: right alignment for numbers. */
void rf_rpad(FILE *f, const char *s, size_t w)
{
    for (size_t k = rf_width(s); k < w; k++)
        fputc(' ', f);
    fputs(s, f);
}

void rf_rule(FILE *f)
{
    for (int i = 0; i < RULE_WIDTH; i++)
        fputc('=', f);
    fputc('\n', f);
}


void rf_wrap(FILE *f, const char *text, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            fputc('\n', f);
            col = 0;
            p++;
            continue;
        }
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        char word[512];
        size_t n = (size_t)(e - p) < sizeof word - 1 ? (size_t)(e - p) : sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        size_t w = rf_width(word);
        if (col > 0 && col + 1 + w > width) {
            fputc('\n', f);
            col = 0;
        } else if (col > 0) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, (size_t)(e - p), f);
        col += w;
        p = e;
        while (*p == ' ')
            p++;
    }
    if (col > 0)
        fputc('\n', f);
}

/* A value and where it came from: qsort has no context, so the value travels with its
   index. */
typedef struct rf_ranked {
    double x;
    size_t i;
} rf_ranked;

static int rf_by_value(const void *a, const void *b)
{
    const rf_ranked *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->i > q->i) - (p->i < q->i);
}

int rf_order(const double *values, size_t n, size_t *ord)
{
    rf_ranked *by = wa_malloc((n ? n : 1) * sizeof *by);
    if (!by)
        return -1;
    for (size_t j = 0; j < n; j++)
        by[j] = (rf_ranked){values[j], j};
    qsort(by, n, sizeof *by, rf_by_value);
    for (size_t j = 0; j < n; j++)
        ord[j] = by[j].i;
    wa_free(by);
    return 0;
}

/* The labels of values[0..n): compact (k/M/B) with the fewest significant figures, from
   3 up, that keep different values apart. Rounding is monotone, so two different values
   can share a label only if they are neighbours in value order: only neighbours are
   compared (n log n, not n^2). Each label has room for 24 bytes. */
void rf_value_labels(const double *values, size_t n, char (*out)[24])
{
    size_t *ord = wa_malloc((n ? n : 1) * sizeof *ord);
    if (ord && rf_order(values, n, ord)) { /* no memory: every pair is compared instead */
        wa_free(ord);
        ord = NULL;
    }
    for (int sig = 3; sig <= 12; sig++) {
        for (size_t j = 0; j < n; j++)
            rf_fmt_sig(out[j], 24, values[j], sig);
        int distinct = 1;
        for (size_t j = 1; ord && j < n && distinct; j++) {
            size_t a = ord[j - 1], b = ord[j];
            distinct = values[a] == values[b] || strcmp(out[a], out[b]) != 0;
        }
        for (size_t j = 1; !ord && j < n && distinct; j++)
            for (size_t k = 0; k < j && distinct; k++)
                distinct = values[j] == values[k] || strcmp(out[j], out[k]) != 0;
        if (distinct)
            break;
    }
    wa_free(ord);
}
