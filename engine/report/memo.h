/*
 * memo.h — the run report for people, plain text or Markdown (memo.c). It keeps what it
 * needs of a file's runs to compare its variants in one table once the file is done.
 */
#ifndef WA_REPORT_MEMO_H
#define WA_REPORT_MEMO_H

#include <stdio.h>

#include "walkaway.h"

typedef struct wa_memo wa_memo;

wa_memo *wa_memo_new(int markdown); /* NULL when out of memory */
void wa_memo_free(wa_memo *m);
/* One run's report (and, when it starts a new file, the table of the file before it).
   0, or -1 (errno set) when a write failed or memory ran out. */
int wa_memo_item(FILE *f, wa_memo *m, const wa_result *r);
/* The last file's table of variants, when it had several. */
int wa_memo_end(FILE *f, wa_memo *m);

/* The memo's words, so that the HTML page says the same (html.c): what to do about an
   offer ("walk away unless they take 16.9M off (about 88%)"); money rounded to what its
   standard error se supports ("USD 16,860,000"); the standard error of D's q-quantile
   (NaN when the percentiles do not say); a share ("85%", "8.5%"); how the walk was chosen,
   in words. */
void wa_memo_advice(char *out, size_t size, const wa_summary *s, const wa_offer_summary *o);
void wa_memo_money_se(char *out, size_t size, const char *cur, double v, double se);
double wa_memo_quantile_se(const wa_offer_summary *o, double q, uint64_t n);
void wa_memo_share_text(char *out, size_t size, double x);
const char *wa_memo_chosen_by(const char *how);

#endif
