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

/* An index of names the caller keeps in an array (names[i], i < n; a NULL entry is left
   out): a name's position, found in constant time on average. Each slot is a 4-byte
   position, not a table's pointer and number, so a file of a million inputs is indexed in
   8 MB rather than 32. The names are borrowed. An empty index: {0}. */
typedef struct wa_name_index {
    size_t cap;               /* slots, a power of two (0 when empty) */
    uint32_t *slot;           /* 0: empty; else 1 + the name's position */
    const char *const *names;
} wa_name_index;

/* Indexes names[0..n); of equal names the first is found. 0, or -1 when out of memory
   (or n does not fit a slot). */
int wa_name_index_make(wa_name_index *x, const char *const *names, size_t n);
/* The position of name, or -1. */
long wa_name_index_find(const wa_name_index *x, const char *name);
void wa_name_index_free(wa_name_index *x);

/* A growing index of names the caller keeps in records of its own (an option's items, in
   an array that moves as it grows): each slot is a 4-byte position, and the name at a
   position is read through name_of(ctx, pos) when needed, so that a hundred thousand
   labels are indexed in 1 MB rather than 4. The names are borrowed. An empty index: {0}. */
typedef const char *(*wa_name_of)(const void *ctx, size_t pos);
typedef struct wa_name_slots {
    size_t cap, n;  /* slots (a power of two, or 0) and names held */
    uint32_t *slot; /* 0: empty; else 1 + the name's position */
} wa_name_slots;

/* The position of name, or -1. */
long wa_name_slots_find(const wa_name_slots *x, const char *name, wa_name_of name_of,
                        const void *ctx);
/* Adds name at position pos: 0 when added, 1 when the name was there already (nothing
   changes), -1 when out of memory (or pos does not fit a slot). */
int wa_name_slots_add(wa_name_slots *x, const char *name, size_t pos, wa_name_of name_of,
                      const void *ctx);
void wa_name_slots_free(wa_name_slots *x);

#endif
