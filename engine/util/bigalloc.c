/*
 * bigalloc.c — the large per-trial arrays, 2 MiB-aligned (see bigalloc.h).
 */
#include "util/bigalloc.h"

#include "util/alloc.h"

#define HUGE_PAGE ((size_t)2 << 20)

void *wa_big_alloc(size_t bytes)
{
    if (bytes < HUGE_PAGE)
        return wa_aligned_alloc(64, bytes ? bytes : 1);
    size_t len = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    return len >= bytes ? wa_aligned_alloc(HUGE_PAGE, len) : NULL;
}

void wa_big_free(void *p)
{
    wa_aligned_free(p);
}
