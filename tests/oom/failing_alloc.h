/*
 * failing_alloc.h — an allocator for wa_config_allocator whose k-th request fails, shared
 * by tests/test_oom.c and tests/oom/failing_cli.c: it counts the requests (calls) and the
 * blocks still live (live), and fails request fail_at alone, or with persistent set every
 * request from it on. fail_at 0 fails none.
 */
#ifndef WA_TESTS_FAILING_ALLOC_H
#define WA_TESTS_FAILING_ALLOC_H

#include <stdatomic.h>
#include <stdlib.h>

#include "walkaway.h"

static atomic_long calls, live;
static long fail_at;
static int persistent;

static int fails(void)
{
    long c = atomic_fetch_add(&calls, 1) + 1;
    return fail_at > 0 && (c == fail_at || (persistent && c > fail_at));
}

static void *t_malloc(void *ctx, size_t n)
{
    (void)ctx;
    void *p = fails() ? NULL : malloc(n);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *t_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return fails() ? NULL : realloc(p, n);
}

static void t_free(void *ctx, void *p)
{
    (void)ctx;
    atomic_fetch_sub(&live, 1);
    free(p);
}

/* Makes it the library's allocator: WA_OK, or what wa_config_allocator said. */
static wa_status failing_alloc_install(void)
{
    wa_allocator a = {sizeof a, t_malloc, t_realloc, t_free, NULL};
    return wa_config_allocator(&a);
}

#endif
