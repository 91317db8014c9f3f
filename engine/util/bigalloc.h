/*
 * bigalloc.h — allocation of the large per-trial arrays (present values, scratch series).
 *
 * Arrays of several megabytes are aligned to 2 MiB, so that where the system backs all
 * memory with transparent huge pages (enabled = always) they are whole huge pages; they
 * are not advised to be (MADV_HUGEPAGE). With the advice, on the 2-core virtual machine
 * of the README (Debian's defaults, enabled and defrag = madvise), touching 480 MB for the
 * first time took 1.0 s against 0.21 s in 4 KiB pages (each huge page is compacted and
 * cleared as it is touched), and a 10^7-trial run on one thread 2.93 s against 1.87 s.
 * Elsewhere, or for small arrays, it is plain aligned allocation. Contents are
 * uninitialised, as with malloc.
 */
#ifndef WA_BIGALLOC_H
#define WA_BIGALLOC_H

#include <stddef.h>

/* NULL on out of memory; free with wa_big_free. */
void *wa_big_alloc(size_t bytes);
void wa_big_free(void *p); /* NULL is fine */

#endif
