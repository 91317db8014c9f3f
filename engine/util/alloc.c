/*
 * alloc.c — the library's allocator and the hook that replaces it (see alloc.h).
 */
#define _DEFAULT_SOURCE
#include "util/alloc.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

/* Set once, before any other call of the library (wa_config_allocator's contract), and
   only read afterwards: no lock is needed. */
static wa_allocator hook;
static int custom;

wa_status wa_config_allocator(const wa_allocator *a)
{
    if (a && (a->size < offsetof(wa_allocator, ctx) + sizeof a->ctx || !a->malloc_fn ||
              !a->realloc_fn || !a->free_fn))
        return WA_EUSAGE;
    if (!a) {
        memset(&hook, 0, sizeof hook);
        custom = 0;
        cJSON_InitHooks(NULL);
        return WA_OK;
    }
    memset(&hook, 0, sizeof hook);
    memcpy(&hook, a, a->size < sizeof hook ? a->size : sizeof hook);
    custom = 1;
    /* cJSON keeps its own global hooks; the JSON writer's nodes then come from here too */
    cJSON_Hooks h = {.malloc_fn = wa_malloc, .free_fn = wa_free};
    cJSON_InitHooks(&h);
    return WA_OK;
}

void *wa_malloc(size_t n)
{
    if (n == 0)
        n = 1;
    return custom ? hook.malloc_fn(hook.ctx, n) : malloc(n);
}

void *wa_calloc(size_t n, size_t size)
{
    if (!custom)
        return calloc(n ? n : 1, size ? size : 1);
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = wa_malloc(bytes);
    if (p)
        memset(p, 0, bytes > 0 ? bytes : 1);
    return p;
}

void *wa_realloc(void *p, size_t n)
{
    if (!p)
        return wa_malloc(n);
    if (n == 0)
        n = 1;
    return custom ? hook.realloc_fn(hook.ctx, p, n) : realloc(p, n);
}

void wa_free(void *p)
{
    if (!p)
        return;
    if (custom)
        hook.free_fn(hook.ctx, p);
    else
        free(p);
}

char *wa_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = wa_malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

char *wa_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *c = wa_malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

/* Under a custom allocator: over-allocate, align inside, and keep the block's start just
   before the aligned address for the free. */
void *wa_aligned_alloc(size_t align, size_t n)
{
    if (!custom) {
        void *p = NULL;
        return posix_memalign(&p, align, n ? n : 1) == 0 ? p : NULL;
    }
    if (n > SIZE_MAX - align - sizeof(void *))
        return NULL;
    char *raw = wa_malloc(n + align + sizeof(void *));
    if (!raw)
        return NULL;
    uintptr_t a = ((uintptr_t)(raw + sizeof(void *)) + align - 1) & ~(uintptr_t)(align - 1);
    ((void **)a)[-1] = raw;
    return (void *)a;
}

void wa_aligned_free(void *p)
{
    if (!p)
        return;
    if (custom)
        wa_free(((void **)p)[-1]);
    else
        free(p);
}
