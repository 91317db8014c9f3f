/*
 * pairs.h — a table from unordered pairs of numbers (two inputs' positions) to numbers,
 * looked up in constant time on average: the duplicate check of a file's correlations,
 * which may give every pair of a thousand inputs, without a string per pair. Open
 * addressing on one 64-bit key per pair.
 */
#ifndef WA_PAIRS_H
#define WA_PAIRS_H

#include <stddef.h>
#include <stdint.h>

typedef struct wa_pairs {
    size_t cap, n;  /* slots (a power of two, or 0) and pairs held */
    uint64_t *key;  /* 0: an empty slot; else 1 + (larger << 32 | smaller) */
    size_t *val;
} wa_pairs;

/* An empty table: {0}. */
void wa_pairs_free(wa_pairs *t);

/* Stores val for the pair {a, b} (in either order): 0 when added, 1 when the pair was
   there already (*old, when not NULL, gets its number; nothing changes), -1 when out of
   memory. */
int wa_pairs_add(wa_pairs *t, uint32_t a, uint32_t b, size_t val, size_t *old);

#endif
