/*
 * strpool.h — strings copied into shared blocks and freed all at once.
 *
 * A million short strings (a large file's input names) each malloc'd cost 32 bytes apiece
 * in glibc's smallest chunk; packed into 64 KiB blocks they cost their length plus one.
 * A string stays where it was put until wa_strpool_free, so pointers to it stay valid.
 */
#ifndef WA_STRPOOL_H
#define WA_STRPOOL_H

#include <stddef.h>

typedef struct wa_strpool_block wa_strpool_block;

/* An empty pool: {0}. */
typedef struct wa_strpool {
    wa_strpool_block *blocks; /* the newest first; only the first is filled */
} wa_strpool;

/* A copy of s in the pool, or NULL when out of memory. */
char *wa_strpool_dup(wa_strpool *p, const char *s);
/* Frees every string of the pool; it is empty again. */
void wa_strpool_free(wa_strpool *p);

#endif
