/*
 * buckets.c — counts on fixed bucket boundaries, and the buckets that hold wanted ranks.
 */
#include "summary/buckets.h"

#include "util/alloc.h"

unsigned wa_bucket_drop(uint64_t n)
{
    unsigned drop = 8;
    while (drop > 0 && (UINT64_C(4096) >> drop) * 256 < n)
        drop--;
    return drop;
}

double wa_bucket_floor(uint32_t b, unsigned drop)
{
    b = (b & ~UINT32_C(4095)) | ((b & UINT32_C(4095)) << drop);
    uint64_t key = (uint64_t)b << WA_BUCKET_SHIFT, u;
    u = key >> 63 ? key ^ (UINT64_C(1) << 63) : ~key;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

int wa_buckets_init(wa_buckets *b)
{
    b->oom = 0;
    b->page = wa_calloc(WA_BUCKET_PAGES, sizeof *b->page);
    return b->page ? 0 : -1;
}

/* The counts of bucket k's group (4 lanes of WA_BUCKET_GROUP, then the group's own in 4
   lanes), made when first needed; NULL when that fails (b->oom). */
static uint32_t *new_group(wa_buckets *b, uint32_t k)
{
    if (b->oom)
        return NULL;
    uint32_t ***d = &b->page[k / WA_BUCKET_PAGE];
    if (!*d && !(*d = wa_calloc(WA_BUCKET_GROUPS, sizeof **d))) {
        b->oom = 1;
        return NULL;
    }
    uint32_t **g = &(*d)[k % WA_BUCKET_PAGE / WA_BUCKET_GROUP];
    if (!*g && !(*g = wa_calloc(4 * WA_BUCKET_GROUP + 4, sizeof **g)))
        b->oom = 1;
    return *g;
}

void wa_buckets_add(wa_buckets *b, const uint32_t *bucket, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        uint32_t k = bucket[i];
        uint32_t **d = b->page[k / WA_BUCKET_PAGE];
        uint32_t *g = d ? d[k % WA_BUCKET_PAGE / WA_BUCKET_GROUP] : NULL;
        if (!g && !(g = new_group(b, k)))
            continue; /* b->oom says the counts are incomplete */
        g[(i % 4) * WA_BUCKET_GROUP + k % WA_BUCKET_GROUP]++;
        g[4 * WA_BUCKET_GROUP + i % 4]++; /* the group's own count, in four lanes too */
    }
}

void wa_buckets_free(wa_buckets *b)
{
    for (size_t j = 0; b->page && j < WA_BUCKET_PAGES; j++) {
        for (size_t s = 0; b->page[j] && s < WA_BUCKET_GROUPS; s++)
            wa_free(b->page[j][s]);
        wa_free(b->page[j]);
    }
    wa_free(b->page);
    b->page = NULL;
}

void wa_wanted_free(wa_wanted *w)
{
    for (size_t j = 0; w->slot && j < WA_BUCKET_PAGES; j++)
        wa_free(w->slot[j]);
    wa_free(w->slot);
    wa_free(w->id);
    wa_free(w->first);
    wa_free(w->count);
    memset(w, 0, sizeof *w);
}

/* Adds bucket k (count c, least rank `first`) to the wanted. 0, or -1 when out of memory. */
static int want_bucket(wa_wanted *w, uint32_t k, uint64_t first, uint64_t c)
{
    int16_t **s = &w->slot[k / WA_BUCKET_PAGE];
    if (!*s) {
        *s = wa_malloc(WA_BUCKET_PAGE * sizeof **s);
        if (!*s)
            return -1;
        for (size_t j = 0; j < WA_BUCKET_PAGE; j++)
            (*s)[j] = -1;
    }
    (*s)[k % WA_BUCKET_PAGE] = (int16_t)w->n;
    w->id[w->n] = k;
    w->first[w->n] = first;
    w->count[w->n] = c;
    w->n++;
    return 0;
}

int wa_wanted_make(const wa_buckets *b, const uint64_t *ranks, size_t nr, wa_wanted *w)
{
    memset(w, 0, sizeof *w);
    size_t cap = nr ? nr : 1;
    if (nr > INT16_MAX)
        return -1;
    w->slot = wa_calloc(WA_BUCKET_PAGES, sizeof *w->slot);
    w->id = wa_malloc(cap * sizeof *w->id);
    w->first = wa_malloc(cap * sizeof *w->first);
    w->count = wa_malloc(cap * sizeof *w->count);
    if (!w->slot || !w->id || !w->first || !w->count)
        goto oom;
    /* the buckets in order, the ranks below each counted as we go */
    uint64_t below = 0;
    size_t r = 0;
    for (size_t j = 0; j < WA_BUCKET_PAGES && r < nr; j++) {
        for (size_t s = 0; b->page[j] && s < WA_BUCKET_GROUPS && r < nr; s++) {
            const uint32_t *p = b->page[j][s];
            if (!p)
                continue;
            const uint32_t *gc = p + 4 * WA_BUCKET_GROUP;
            uint64_t all = (uint64_t)gc[0] + gc[1] + gc[2] + gc[3];
            if (ranks[r] >= below + all) { /* no wanted rank in the group */
                below += all;
                continue;
            }
            for (uint32_t k = 0; k < WA_BUCKET_GROUP && r < nr; k++) {
                uint64_t c = (uint64_t)p[k] + p[WA_BUCKET_GROUP + k] + p[2 * WA_BUCKET_GROUP + k] +
                             p[3 * WA_BUCKET_GROUP + k];
                if (c && ranks[r] < below + c) {
                    uint32_t id = (uint32_t)(j * WA_BUCKET_PAGE + s * WA_BUCKET_GROUP + k);
                    if (want_bucket(w, id, below, c))
                        goto oom;
                    while (r < nr && ranks[r] < below + c)
                        r++;
                }
                below += c;
            }
        }
    }
    return 0;
oom:
    wa_wanted_free(w);
    return -1;
}

size_t wa_wanted_find(const wa_wanted *w, uint64_t r)
{
    size_t lo = 0, hi = w->n; /* the last wanted bucket whose first rank is <= r */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->first[mid] <= r)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}
