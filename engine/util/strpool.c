/*
 * strpool.c — the string pool of strpool.h: a list of blocks, each filled from the front,
 * doubling from 1 KiB to 64 KiB; a string longer than a quarter block gets a block of its own behind the current one.
 */
#include "util/strpool.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"

#define BLOCK_BYTES 65536u

struct wa_strpool_block {
    wa_strpool_block *next;
    size_t used, cap;
    char mem[];
};

char *wa_strpool_dup(wa_strpool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    wa_strpool_block *b = p->blocks;
    if (!b || b->cap - b->used < n) {
        /* Blocks double from 1 KiB, so that a small model's few names take little. */
        size_t grow = !b ? 1024 : b->cap < BLOCK_BYTES ? 2 * b->cap : BLOCK_BYTES;
        int own = n > grow / 4;
        size_t cap = own ? n : grow;
        if (cap > SIZE_MAX - sizeof *b) /* Catch size_t overflow. */
            return NULL;
        wa_strpool_block *nb = wa_malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (own && b) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            p->blocks = nb;
        }
        b = nb;
    }
    char *d = b->mem + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

void wa_strpool_free(wa_strpool *p)
{
    for (wa_strpool_block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        wa_free(b);
    }
    p->blocks = NULL;
}
