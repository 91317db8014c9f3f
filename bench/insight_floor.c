/*
 * insight_floor.c — the least work any per-input binning of the trials must do (bench/README.md).
 *
 * The insight's sensitivity deciles and EVPPI (SPEC §2) need, for every sampled input and
 * every trial, the trial's present values added into the sums of the bin of the input's
 * draw that the trial falls in. This program does only that, for the reference model's
 * shape: 24 inputs, 6 options (one vector of 8 doubles a trial), 100 bins, blocks of 4,096
 * trials, the trials' values already in cache: per block, every input's bins from its
 * uniforms, then one vector addition per trial and input. No drawing, no ranks, no
 * quantiles, one thread. Its time is a lower bound for the insight's pass.
 *
 *     wa_insight_floor [-n TRIALS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/simd.h"

typedef double v8d __attribute__((vector_size(64)));
enum { J = 24, B = 100, BLOCK = 4096, SUB = 128 };

/* One block: every input's bins, then the additions; compiled for each instruction set as
   the engine's own loops are (simd.h). */
WA_VECTORISED
static void block(const double *u, const double *rows, double *acc, uint16_t *bin, size_t m)
{
    for (size_t j = 0; j < J; j++)
        for (size_t i = 0; i < m; i++) {
            size_t b = (size_t)(u[j * BLOCK + i] * B);
            bin[j * BLOCK + i] = (uint16_t)(b < B ? b : B - 1);
        }
    for (size_t i0 = 0; i0 < m; i0 += SUB)
        for (size_t j = 0; j < J; j++) {
            double *a = acc + j * B * 8;
            size_t end = i0 + SUB < m ? i0 + SUB : m;
            for (size_t i = i0; i < end; i++) {
                v8d x, y;
                memcpy(&x, a + (size_t)bin[j * BLOCK + i] * 8, sizeof x);
                memcpy(&y, rows + i * 8, sizeof y);
                x += y;
                memcpy(a + (size_t)bin[j * BLOCK + i] * 8, &x, sizeof x);
            }
        }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    size_t n = 1000000;
    if (argc == 3 && !strcmp(argv[1], "-n"))
        n = (size_t)strtoull(argv[2], NULL, 10);
    else if (argc != 1) {
        fprintf(stderr, "usage: wa_insight_floor [-n TRIALS]\n");
        return 2;
    }
    double *u = aligned_alloc(64, (size_t)J * BLOCK * sizeof(double));
    double *rows = aligned_alloc(64, (size_t)BLOCK * 8 * sizeof(double));
    double *acc = aligned_alloc(64, (size_t)J * B * 8 * sizeof(double));
    uint16_t *bin = malloc((size_t)J * BLOCK * sizeof *bin);
    if (!u || !rows || !acc || !bin)
        return 1;
    uint64_t s = 1;
    for (size_t i = 0; i < (size_t)J * BLOCK; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        u[i] = (double)(s >> 11) / 9007199254740992.0;
    }
    for (size_t i = 0; i < (size_t)BLOCK * 8; i++)
        rows[i] = (double)i;
    memset(acc, 0, (size_t)J * B * 8 * sizeof(double));
    double t0 = now_s();
    for (size_t done = 0; done < n; done += BLOCK)
        block(u, rows, acc, bin, n - done < BLOCK ? n - done : BLOCK);
    double t1 = now_s();
    double sum = 0;
    for (size_t i = 0; i < (size_t)J * B * 8; i++)
        sum += acc[i];
    printf("{\"trials\": %zu, \"inputs\": %d, \"seconds\": %.6f, \"checksum\": %.17g}\n", n, J,
           t1 - t0, sum);
    free(u);
    free(rows);
    free(acc);
    free(bin);
    return 0;
}
