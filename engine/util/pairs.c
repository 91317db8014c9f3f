/*
 * pairs.c — the pair table of pairs.h.
 */
#include "util/pairs.h"

#include <string.h>

#include "util/alloc.h"

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t x = a;
        a = b;
        b = x;
    }
    return ((uint64_t)b << 32 | a) + 1; /* 0 only for the pair {2^32 - 1, 2^32 - 1} */
}

/* splitmix64's finaliser: the slots of nearby pairs spread over the table */
static size_t slot_of(uint64_t k, size_t cap)
{
    k ^= k >> 30;
    k *= UINT64_C(0xbf58476d1ce4e5b9);
    k ^= k >> 27;
    k *= UINT64_C(0x94d049bb133111eb);
    k ^= k >> 31;
    return (size_t)k & (cap - 1);
}

void wa_pairs_free(wa_pairs *t)
{
    wa_free(t->key);
    wa_free(t->val);
    memset(t, 0, sizeof *t);
}

/* Grows to twice the slots (16 at first), placing every pair again. */
static int grow(wa_pairs *t)
{
    size_t cap = t->cap ? 2 * t->cap : 16;
    uint64_t *key = wa_calloc(cap, sizeof *key);
    size_t *val = wa_malloc(cap * sizeof *val);
    if (!key || !val) {
        wa_free(key);
        wa_free(val);
        return -1;
    }
    for (size_t j = 0; j < t->cap; j++) {
        if (!t->key[j])
            continue;
        size_t i = slot_of(t->key[j], cap);
        while (key[i])
            i = (i + 1) & (cap - 1);
        key[i] = t->key[j];
        val[i] = t->val[j];
    }
    wa_free(t->key);
    wa_free(t->val);
    t->key = key;
    t->val = val;
    t->cap = cap;
    return 0;
}

int wa_pairs_add(wa_pairs *t, uint32_t a, uint32_t b, size_t val, size_t *old)
{
    if ((t->n + 1) * 10 > t->cap * 7 && grow(t)) /* at most 70% full */
        return -1;
    uint64_t k = pair_key(a, b);
    size_t i = slot_of(k, t->cap);
    for (; t->key[i]; i = (i + 1) & (t->cap - 1))
        if (t->key[i] == k) {
            if (old)
                *old = t->val[i];
            return 1;
        }
    t->key[i] = k;
    t->val[i] = val;
    t->n++;
    return 0;
}
