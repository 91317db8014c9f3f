/*
 * ranks.h — the processes of an MPI run (SPEC 5): which blocks of trials this process
 * simulates, and sharing what each simulated, so that every process then holds every
 * trial and computes the same figures, to the bit, as one process would.
 *
 * Without MPI (a build without it, or a process not started by mpirun or srun) there is
 * one process: it takes every block and the sharing does nothing.
 */
#ifndef WA_RANKS_H
#define WA_RANKS_H

#include <stddef.h>
#include <stdint.h>

typedef struct wa_ranks {
    int rank, size;
} wa_ranks;

/* This process and how many there are: {0, 1} without MPI. */
wa_ranks wa_ranks_get(void);

/* The blocks [*lo, *hi) of nblocks this process simulates: contiguous, in rank order. */
void wa_ranks_blocks(wa_ranks r, uint64_t nblocks, uint64_t *lo, uint64_t *hi);

/* After each process filled x[t - x0] for the trials t of its blocks (block b holds trials
   (b0 + b) * block .. min(+block, end)), every process gets all of x for the trials
   (b0 * block) .. end. 0, or -1 when the exchange fails. */
int wa_ranks_share(wa_ranks r, double *x, uint64_t x0, uint64_t b0, uint64_t nblocks,
                   uint64_t block, uint64_t end);

/* Sums cnt[0..n) over the processes, and takes the least first[i] among those with
   cnt[i] > 0 (the first trial a problem occurred in). 0, or -1 when it fails. */
int wa_ranks_counters(wa_ranks r, uint64_t *cnt, uint64_t *first, size_t n);

/* Whether flag is set in any process (every process gets the answer). */
int wa_ranks_any(wa_ranks r, int flag);

#endif
