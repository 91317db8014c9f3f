/*
 * ranks.c — blocks split across MPI processes, and what they simulated shared with all
 * (ranks.h). Built with WA_HAVE_MPI when CMake finds MPI; without it every function is the
 * one-process case. The library never starts MPI itself: the caller (the CLI) initialises
 * it when a launcher started the process.
 */
#include "simulate/ranks.h"

#ifdef WA_HAVE_MPI
#include <limits.h>
#include <mpi.h>
#endif

wa_ranks wa_ranks_get(void)
{
    wa_ranks r = {0, 1};
#ifdef WA_HAVE_MPI
    int up = 0, down = 0;
    if (MPI_Initialized(&up) == MPI_SUCCESS && up && MPI_Finalized(&down) == MPI_SUCCESS &&
        !down) {
        MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
        MPI_Comm_size(MPI_COMM_WORLD, &r.size);
    }
#endif
    return r;
}

void wa_ranks_blocks(wa_ranks r, uint64_t nblocks, uint64_t *lo, uint64_t *hi)
{
    uint64_t n = (uint64_t)r.size;
    *lo = nblocks * (uint64_t)r.rank / n;
    *hi = nblocks * (uint64_t)(r.rank + 1) / n;
}

int wa_ranks_share(wa_ranks r, double *x, uint64_t x0, uint64_t b0, uint64_t nblocks,
                   uint64_t block, uint64_t end)
{
    if (r.size <= 1)
        return 0;
#ifdef WA_HAVE_MPI
    /* each process's trials in turn, broadcast from it in pieces an int can count */
    for (int p = 0; p < r.size; p++) {
        wa_ranks q = {p, r.size};
        uint64_t lo, hi;
        wa_ranks_blocks(q, nblocks, &lo, &hi);
        uint64_t from = (b0 + lo) * block, to = (b0 + hi) * block;
        to = to < end ? to : end;
        for (uint64_t at = from; at < to;) {
            uint64_t n = to - at < (uint64_t)INT_MAX / 2 ? to - at : (uint64_t)INT_MAX / 2;
            if (MPI_Bcast(x + (at - x0), (int)n, MPI_DOUBLE, p, MPI_COMM_WORLD) != MPI_SUCCESS)
                return -1;
            at += n;
        }
    }
    return 0;
#else
    (void)x, (void)x0, (void)b0, (void)nblocks, (void)block, (void)end;
    return -1;
#endif
}

int wa_ranks_counters(wa_ranks r, uint64_t *cnt, uint64_t *first, size_t n)
{
    if (r.size <= 1 || n == 0)
        return 0;
#ifdef WA_HAVE_MPI
    for (size_t i = 0; i < n; i++)
        if (!cnt[i])
            first[i] = UINT64_MAX;
    if (n > (size_t)INT_MAX ||
        MPI_Allreduce(MPI_IN_PLACE, cnt, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD) !=
            MPI_SUCCESS ||
        MPI_Allreduce(MPI_IN_PLACE, first, (int)n, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD) !=
            MPI_SUCCESS)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!cnt[i])
            first[i] = 0;
    return 0;
#else
    (void)cnt, (void)first;
    return -1;
#endif
}

int wa_ranks_any(wa_ranks r, int flag)
{
#ifdef WA_HAVE_MPI
    if (r.size > 1) {
        int all = flag != 0;
        if (MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
            return 1;
        return all;
    }
#endif
    (void)r;
    return flag != 0;
}
