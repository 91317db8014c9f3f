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

#endif
