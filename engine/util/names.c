/*
 * names.c — the name table of names.h.
 */
#include "util/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

uint64_t wa_hash(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static uint64_t hash(const char *s) { return wa_hash(s, strlen(s)); }

void wa_names_free(wa_names *t)
{
    wa_free(t->key);
    wa_free(t->val);
    memset(t, 0, sizeof *t);
}

long wa_names_find(const wa_names *t, const char *key)
{
    if (!t->cap)
        return -1;
    for (size_t i = (size_t)hash(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->key[i])
            return -1;
        if (!strcmp(t->key[i], key))
            return (long)t->val[i];
    }
}

/* Grows to twice the slots (16 at first), placing every name again. */
static int grow(wa_names *t)
{
    size_t cap = t->cap ? 2 * t->cap : 16;
    const char **key = wa_calloc(cap, sizeof *key);
    size_t *val = wa_malloc(cap * sizeof *val);
    if (!key || !val) {
        wa_free(key);
        wa_free(val);
        return -1;
    }
    for (size_t j = 0; j < t->cap; j++) {
        if (!t->key[j])
            continue;
        size_t i = (size_t)hash(t->key[j]) & (cap - 1);
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

int wa_names_add(wa_names *t, const char *key, size_t val, size_t *old)
{
    if ((t->n + 1) * 10 > t->cap * 7 && grow(t)) /* at most 70% full */
        return -1;
    size_t i = (size_t)hash(key) & (t->cap - 1);
    for (; t->key[i]; i = (i + 1) & (t->cap - 1))
        if (!strcmp(t->key[i], key)) {
            if (old)
                *old = t->val[i];
            return 1;
        }
    t->key[i] = key;
    t->val[i] = val;
    t->n++;
    return 0;
}

int wa_name_index_make(wa_name_index *x, const char *const *names, size_t n)
{
    memset(x, 0, sizeof *x);
    if (n >= UINT32_MAX)
        return -1;
    size_t cap = 16;
    while (cap * 7 < n * 10) /* at most 70% full, as the table */
        cap *= 2;
    uint32_t *slot = wa_calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (!names[k])
            continue;
        size_t i = (size_t)hash(names[k]) & (cap - 1);
        while (slot[i] && strcmp(names[slot[i] - 1], names[k]))
            i = (i + 1) & (cap - 1);
        if (!slot[i])
            slot[i] = (uint32_t)k + 1;
    }
    x->cap = cap;
    x->slot = slot;
    x->names = names;
    return 0;
}

long wa_name_index_find(const wa_name_index *x, const char *name)
{
    if (!x->cap)
        return -1;
    for (size_t i = (size_t)hash(name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
        if (!x->slot[i])
            return -1;
        if (!strcmp(x->names[x->slot[i] - 1], name))
            return (long)x->slot[i] - 1;
    }
}

void wa_name_index_free(wa_name_index *x)
{
    wa_free(x->slot);
    memset(x, 0, sizeof *x);
}

long wa_name_slots_find(const wa_name_slots *x, const char *name, wa_name_of name_of,
                        const void *ctx)
{
    if (!x->cap)
        return -1;
    for (size_t i = (size_t)hash(name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
        if (!x->slot[i])
            return -1;
        if (!strcmp(name_of(ctx, x->slot[i] - 1), name))
            return (long)x->slot[i] - 1;
    }
}

int wa_name_slots_add(wa_name_slots *x, const char *name, size_t pos, wa_name_of name_of,
                      const void *ctx)
{
    if (pos >= UINT32_MAX)
        return -1;
    if ((x->n + 1) * 10 > x->cap * 7) { /* at most 70% full: twice the slots (16 at first) */
        size_t cap = x->cap ? 2 * x->cap : 16;
        uint32_t *slot = wa_calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t j = 0; j < x->cap; j++) {
            if (!x->slot[j])
                continue;
            size_t i = (size_t)hash(name_of(ctx, x->slot[j] - 1)) & (cap - 1);
            while (slot[i])
                i = (i + 1) & (cap - 1);
            slot[i] = x->slot[j];
        }
        wa_free(x->slot);
        x->slot = slot;
        x->cap = cap;
    }
    size_t i = (size_t)hash(name) & (x->cap - 1);
    for (; x->slot[i]; i = (i + 1) & (x->cap - 1))
        if (!strcmp(name_of(ctx, x->slot[i] - 1), name))
            return 1;
    x->slot[i] = (uint32_t)pos + 1;
    x->n++;
    return 0;
}

void wa_name_slots_free(wa_name_slots *x)
{
    wa_free(x->slot);
    memset(x, 0, sizeof *x);
}
