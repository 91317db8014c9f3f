/*
 * rng.c — stream keys and seeding for xoshiro256** (see rng.h for the why).
 */
#include "rng.h"

/* splitmix64: the seeding function recommended by xoshiro's authors; every output of a
   distinct input is distinct, and it never yields the all-zero xoshiro state in practice. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t wa_stream_key(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a offset basis */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return splitmix64(&h);
}

void wa_rng_seed(wa_rng *r, uint64_t seed, uint64_t key, uint64_t block)
{
    /* Chain the three parts through the mixer so that nearby seeds, keys and blocks give
       unrelated states. */
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ key;
    uint64_t b = splitmix64(&x);
    x = b ^ (block * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the one forbidden state */
}

void wa_rng_fill_uniform(wa_rng *r, double *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        u[i] = wa_rng_uniform(r);
}
