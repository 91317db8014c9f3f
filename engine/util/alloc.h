/*
 * alloc.h — every allocation of the library goes through these, so that an embedder can
 * install its own allocator (wa_config_allocator, as sqlite3_config does) and the suite can
 * make the k-th allocation fail (tests/test_oom.c). With no allocator installed they are
 * the C library's functions, called directly.
 *
 * What they do not cover: the C library's own buffers (stdio streams, open_memstream) and
 * the internal allocations of libyaml and of two GSL workspaces. Those fail cleanly too
 * (their failure is checked and reported as WA_ENOMEM), they just cannot be redirected.
 */
#ifndef WA_ALLOC_H
#define WA_ALLOC_H

#include <stddef.h>

void *wa_malloc(size_t n);              /* n == 0 gives a unique pointer, as malloc(1) */
void *wa_calloc(size_t n, size_t size); /* NULL when n * size overflows */
void *wa_realloc(void *p, size_t n);    /* p NULL: wa_malloc; n == 0 keeps one byte */
void wa_free(void *p);                  /* NULL is fine */
char *wa_strdup(const char *s);
char *wa_strndup(const char *s, size_t n); /* at most n bytes of s, NUL-terminated */

/* Aligned blocks (align a power of two); freed with wa_aligned_free, never wa_free. */
void *wa_aligned_alloc(size_t align, size_t n);
void wa_aligned_free(void *p);

#endif
