/*
 * suggest.h — "did you mean" for misspelt keys, names and functions.
 */
#ifndef WA_SUGGEST_H
#define WA_SUGGEST_H

#include <stddef.h>

/* Optimal-string-alignment (Damerau–Levenshtein) distance between a[0..alen) and
   b[0..blen), case-sensitive. */
size_t wa_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/* The candidate nearest to word[0..len): the smallest distance, ties to the earliest
   candidate, and only when that distance is at most max(1, len / 3) for words of two or
   more bytes (never for a one-letter word) — or when the two
   differ only in letter case. NULL when none is close enough. Borrowed from cands. */
const char *wa_suggest(const char *word, size_t len, const char *const *cands, size_t n);

#endif
