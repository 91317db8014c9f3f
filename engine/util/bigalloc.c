/*
 * bigalloc.c — 2 MiB-aligned, huge-page-advised allocations (see bigalloc.h).
 */
#define _DEFAULT_SOURCE /* madvise and MADV_HUGEPAGE, beside POSIX */
#include "util/bigalloc.h"

#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "util/alloc.h"

#define HUGE_PAGE ((size_t)2 << 20)

void *wa_big_alloc(size_t bytes)
{
    if (bytes < HUGE_PAGE)
        return wa_aligned_alloc(64, bytes ? bytes : 1);
    /* round up so that the advice covers whole huge pages */
    size_t len = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = len >= bytes ? wa_aligned_alloc(HUGE_PAGE, len) : NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p && wa_alloc_is_default())
        (void)madvise(p, len, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
    return p;
}

void wa_big_free(void *p)
{
    wa_aligned_free(p);
}
