/*
 * floor.c — the benchmark's sampling floor (bench/README.md).
 *
 * Loads a scenario with wa_scenario_load and, for the given number of trials, does only
 * what the engine must do in any case: draw every sampled input of the base model, block by
 * block, exactly as engine/simulate/simulate.c's run_block does (per block of WA_BLOCK trials and
 * per sampled input, in model order: wa_rng_block_uniforms(seed, input key, block), then
 * wa_dist_quantiles into the input's column). Nothing else: no
 * derived inputs, no present values, no summaries; one thread. The time it takes is a
 * lower bound for a run of the same trials on one thread with these samplers.
 *
 * It prints the number of values drawn and their sum (a checksum, so that nothing can be
 * optimised away), and that sum does not depend on anything but file, trials and seed.
 *
 *     wa_floor [-n TRIALS] [--seed S] SCENARIO
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample/dist.h"
#include "load/model.h"
#include "sample/rng.h"
#include "simulate/simulate.h"
#include "walkaway.h"

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: wa_floor [-n TRIALS] [--seed S] SCENARIO\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t trials = 0, seed = 0;
    int has_trials = 0, has_seed = 0;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "--trials")) && i + 1 < argc) {
            if (parse_u64(argv[++i], &trials) || trials == 0)
                return usage();
            has_trials = 1;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            if (parse_u64(argv[++i], &seed))
                return usage();
            has_seed = 1;
        } else if (argv[i][0] == '-' || path) {
            return usage();
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return usage();

    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (!d)
        return 1;
    wa_status st = wa_scenario_load(path, &sc, d);
    if (st != WA_OK) {
        char buf[1024];
        for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
            wa_diagnostic_format(wa_diagnostics_get(d, i), buf, sizeof buf);
            fputs(buf, stderr);
        }
        wa_diagnostics_free(d);
        return (int)st;
    }
    if (!has_trials)
        trials = sc->settings.trials;
    if (!has_seed)
        seed = sc->settings.seed;

    const wa_model *m = sc->base;
    /* one column per slot, as the engine's workspace lays them out */
    double *cols = malloc((m->nslots ? m->nslots : 1) * WA_BLOCK * sizeof *cols);
    if (!cols) {
        fprintf(stderr, "wa_floor: out of memory\n");
        return 4;
    }
    /* each sampled input's stream key, worked out once (the engine hashes the name as it
       draws a block: the floor does not even pay that) */
    uint64_t *keys = malloc((m->ninputs ? m->ninputs : 1) * sizeof *keys);
    if (!keys) {
        fprintf(stderr, "wa_floor: out of memory\n");
        return 4;
    }
    size_t nsampled = 0;
    for (size_t i = 0; i < m->ninputs; i++) {
        nsampled += m->inputs[i].kind == WA_IN_SAMPLED;
        keys[i] = wa_stream_key(m->inputs[i].name);
    }

    double checksum = 0;
    uint64_t nblocks = (trials + WA_BLOCK - 1) / WA_BLOCK;
    for (uint64_t block = 0; block < nblocks; block++) {
        uint64_t start = block * WA_BLOCK;
        size_t n = (size_t)(trials - start < WA_BLOCK ? trials - start : WA_BLOCK);
        for (size_t i = 0; i < m->ninputs; i++) {
            const wa_input *in = &m->inputs[i];
            if (in->kind != WA_IN_SAMPLED)
                continue;
            double *col = cols + (size_t)in->slot * WA_BLOCK;
            wa_rng_block_uniforms(seed, keys[i], block, col, n);
            wa_dist_quantiles(in->dist, col, col, n);
            /* the checksum keeps the draws from being optimised away; eight partial sums,
               so that it vectorises and costs next to nothing beside the draws */
            double s[8] = {0};
            size_t t = 0;
            for (; t + 8 <= n; t += 8)
                for (int j = 0; j < 8; j++)
                    s[j] += col[t + j];
            for (; t < n; t++)
                s[0] += col[t];
            for (int j = 0; j < 8; j++)
                checksum += s[j];
        }
    }
    printf("{\"file\": \"%s\", \"trials\": %llu, \"seed\": %llu, \"sampled_inputs\": %zu, "
           "\"draws\": %llu, \"checksum\": %.17g}\n",
           path, (unsigned long long)trials, (unsigned long long)seed, nsampled,
           (unsigned long long)(trials * nsampled), checksum);
    free(cols);
    free(keys);
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return 0;
}
