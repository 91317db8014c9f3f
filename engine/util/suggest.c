/*
 * suggest.c — "did you mean": the nearest candidate by optimal-string-alignment distance.
 *
 * Words here are keys and names (a few dozen bytes), so the quadratic table is small; it
 * lives on the stack for words up to 64 bytes, and longer words get no suggestion.
 */
#include "util/suggest.h"

#include <ctype.h>
#include <string.h>

#define MAXW 64

size_t wa_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > MAXW || blen > MAXW)
        return alen > blen ? alen : blen; /* too long to be a typo of each other */
    size_t d[MAXW + 1][MAXW + 1];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= alen; i++) {
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            /* a transposition of two neighbours counts as one edit ("mdoe" → "mode") */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[alen][blen];
}

static int same_ignoring_case(const char *a, size_t alen, const char *b)
{
    if (strlen(b) != alen)
        return 0;
    for (size_t i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

const char *wa_suggest(const char *word, size_t len, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    /* One edit per three characters, at least one — but none for a one-letter word,
       which is one edit away from every other one-letter word. */
    size_t limit = len < 2 ? 0 : len / 3 > 1 ? len / 3 : 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        if (same_ignoring_case(word, len, cands[i]))
            return cands[i];
        size_t d = wa_edit_distance(word, len, cands[i], strlen(cands[i]));
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best_d <= limit && best_d > 0 ? best : NULL;
}
