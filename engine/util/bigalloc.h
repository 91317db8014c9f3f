/*
 * bigalloc.h — allocation of the large per-trial arrays (present values, scratch series).
 *
 * Arrays of several megabytes are aligned to 2 MiB and, on Linux, marked for transparent
 * huge pages: touching them for the first time then costs one page fault per 2 MiB instead
 * of one per 4 KiB (47,000 faults, a tenth of a 3-million-trial run on a virtual machine,
 * become about a hundred). Elsewhere, or for small arrays, it is plain malloc. Contents are
 * uninitialised, as with malloc.
 */
#ifndef WA_BIGALLOC_H
#define WA_BIGALLOC_H

#include <stddef.h>

/* NULL on out of memory; free with wa_big_free. */
void *wa_big_alloc(size_t bytes);
void wa_big_free(void *p); /* NULL is fine */

#endif
