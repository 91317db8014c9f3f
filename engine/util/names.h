/*
 * names.h — a table from names to numbers (an input's index, a correlation's), looked up
 * in constant time on average, so that a file's checks grow with the file and not with its
 * square (SPEC: every file under the size cap loads in seconds). Open addressing with
 * FNV-1a; the names are borrowed, not copied: they must outlive the table.
 */
#ifndef WA_NAMES_H
#define WA_NAMES_H

#include <stddef.h>
#include <stdint.h>

typedef struct wa_names {
    size_t cap, n;        /* slots (a power of two, or 0) and names held */
    const char **key;     /* NULL: an empty slot */
    size_t *val;
} wa_names;

/* FNV-1a of s[0..n): the hash every table of names uses (wrapping modulo 2^64). */
uint64_t wa_hash(const char *s, size_t n);

/* An empty table: {0}. */
void wa_names_free(wa_names *t);

/* The number stored for key, or -1. */
long wa_names_find(const wa_names *t, const char *key);

/* Stores val for key: 0 when added, 1 when key was there already (*old, when not NULL,
   gets its number; nothing changes), -1 when out of memory. */
int wa_names_add(wa_names *t, const char *key, size_t val, size_t *old);

#endif
