/*
 * format.h — numbers and columns shared by the text reports (run and sweep).
 */
#ifndef WA_REPORT_FORMAT_H
#define WA_REPORT_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* v rounded to a whole number with thousands separators ("-1,234,567"); %.3g from 1e15. */
void rf_fmt_whole(char *out, size_t size, double v);
/* "USD 1,234,567" */
void rf_fmt_money(char *out, size_t size, const char *currency, double v);
/* Three significant figures with a k/M/B/T suffix: "950", "12.3k", "1.23M", "-4.5B". */
void rf_fmt_compact(char *out, size_t size, double v);
/* sig significant figures with a k/M/B suffix, no trailing zeros: "2.31M", "0.05", "950". */
void rf_fmt_sig(char *out, size_t size, double v, int sig);
/* Decimals for showing probability p as a percentage: one, more near 0% and 100%. */
int rf_pct_decimals(double p);
/* p as a percentage with dec decimals; "0%", "100%", "<0.001%", ">99.999%" at the ends. */
void rf_fmt_pct_dec(char *out, size_t size, double p, int dec);
/* p as a percentage with rf_pct_decimals(p) decimals. */
void rf_fmt_pct(char *out, size_t size, double p);
/* The confidence level without trailing zeros: 0.8 -> "80%". */
void rf_fmt_level(char *out, size_t size, double c);

/* Display width of a UTF-8 string: its code points. */
size_t rf_width(const char *s);
/* s, then spaces up to w columns. */
void rf_pad(FILE *f, const char *s, size_t w);
/* Spaces up to w columns, then s. */
void rf_rpad(FILE *f, const char *s, size_t w);
/* text with its spaces turned into line breaks where a line would pass width columns
   (newlines in text are kept), ending with a newline. */
void rf_wrap(FILE *f, const char *text, size_t width);
/* A line of '=' separating reports. */
void rf_rule(FILE *f);

/* The indices of values[0..n) in increasing order of value (ties by index) into ord.
   0, or -1 when out of memory. */
int rf_order(const double *values, size_t n, size_t *ord);
/* The labels of values[0..n): compact (k/M/B) with the fewest significant figures, from
   3 up, that keep different values apart (values in any order). Each label has room for
   24 bytes. */
void rf_value_labels(const double *values, size_t n, char (*out)[24]);

#endif
