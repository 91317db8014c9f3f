/*
 * failing_cli.c — the walkaway program with an allocator whose k-th request fails, for
 * tests/oom/check.sh: the CLI's own main (engine/cli/main.c) is compiled in under another
 * name, and this main installs the allocator (wa_config_allocator) before calling it.
 *
 *     WA_FAIL_AT=k walkaway-failing ARGS...   the k-th allocation of the library fails
 *     WA_FAIL_AT=0 walkaway-failing ARGS...   none fails; the count is printed to stderr
 *                                             as "allocations: N"
 *
 * On exit the blocks still live are counted: any left is a leak, said on stderr as
 * "leaked: N blocks" with exit status 98.
 */
#include <stdio.h>
#include <stdlib.h>

#include "failing_alloc.h"

#define main walkaway_main
#include "cli/main.c"
#undef main

int main(int argc, char **argv)
{
    const char *k = getenv("WA_FAIL_AT");
    fail_at = k ? atol(k) : 0;
    if (failing_alloc_install() != WA_OK)
        return 97;
    int status = walkaway_main(argc, argv);
    if (fail_at == 0)
        fprintf(stderr, "allocations: %ld\n", atomic_load(&calls));
    if (atomic_load(&live) != 0) {
        fprintf(stderr, "leaked: %ld blocks\n", atomic_load(&live));
        return 98;
    }
    return status;
}
