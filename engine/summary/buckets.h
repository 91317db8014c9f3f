/*
 * buckets.h — fixed bucket boundaries for order statistics (SPEC 5).
 *
 * A value's bucket is the top 24 bits of its IEEE 754 bits turned into an unsigned integer
 * that orders as the values do (the sign bit flipped for x >= 0, every bit for x < 0; -0
 * counts as +0): the sign, the exponent and the first 12 bits of the significand. That is
 * 4,096 buckets to an octave, each 1/4,096 (0.024%) of its values wide, the same for every
 * series, block, window and process, known before the first value is seen. So a series'
 * counts are gathered in the same pass as its mean and range, and counts from anywhere
 * merge by addition. Bucket order is value order: every value of bucket j is below every
 * value of bucket j + 1.
 *
 * The counts are kept in groups of 256 buckets (1/16 of an octave of one sign), made when a
 * value first falls in them: a series costs 4 KiB for each group its values reach (a few
 * hundred for a series that spans many octaves, as a difference around 0 does), and a
 * directory of 32 KiB.
 */
#ifndef WA_BUCKETS_H
#define WA_BUCKETS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WA_BUCKET_SHIFT 40 /* 64 - 24 */
#define WA_BUCKET_PAGE 4096
#define WA_BUCKET_PAGES 4096
#define WA_BUCKET_GROUP 256 /* buckets counted together */
#define WA_BUCKET_GROUPS (WA_BUCKET_PAGE / WA_BUCKET_GROUP)

/* The bucket of x. Buckets order as the values they hold; an infinity has the last bucket
   on its side, and a NaN one of its own past it, so no value is left without one. */
static inline uint32_t wa_bucket_of(double x)
{
    uint64_t u;
    x += 0.0; /* -0 to +0 */
    memcpy(&u, &x, sizeof u);
    u ^= (uint64_t)((int64_t)u >> 63) | (UINT64_C(1) << 63);
    return (uint32_t)(u >> WA_BUCKET_SHIFT);
}

/* Coarser buckets for fewer values: 4,096 >> drop an octave (drop 0 to 8), in the same
   24-bit space (the octave's index shifted down), so that a series of few values reaches
   few groups of counts. wa_bucket_drop(n) is the resolution for n values: about n / 256
   buckets an octave, 16 at least and 4,096 (drop 0) from 2^20 values up. It depends on n
   alone, so a run's buckets are the same however its trials are held. */
static inline uint32_t wa_bucket_coarse(uint32_t b, unsigned drop)
{
    return (b & ~UINT32_C(4095)) | ((b & UINT32_C(4095)) >> drop);
}

unsigned wa_bucket_drop(uint64_t n);

/* The least value of bucket b (which holds some finite value) at resolution drop:
   x < wa_bucket_floor(b, drop) exactly when x's bucket is below b. */
double wa_bucket_floor(uint32_t b, unsigned drop);

/* One series' counts. */
typedef struct wa_buckets {
    uint32_t ***page; /* WA_BUCKET_PAGES pages (octaves), each NULL or WA_BUCKET_GROUPS
                         groups, each NULL or 4 x WA_BUCKET_GROUP counts and the group's
                         own 4: 32 bits are enough, as a lane counts every fourth value of
                         at most 10^10 */
    int oom;         /* a page could not be made: the counts are incomplete */
} wa_buckets;

/* Empty counts: 0, or -1 when out of memory. */
int wa_buckets_init(wa_buckets *b);

/* Counts m buckets (from wa_bucket_of). Each of four interleaved counters takes every
   fourth value, so that a run of equal buckets does not wait on one counter. */
void wa_buckets_add(wa_buckets *b, const uint32_t *bucket, size_t m);

void wa_buckets_free(wa_buckets *b);

/* The buckets holding some ranks (0-based, ascending, each below the count total). */
typedef struct wa_wanted {
    size_t n;          /* wanted buckets */
    uint32_t *id;      /* ascending */
    uint64_t *first;   /* the rank of each one's least value */
    uint64_t *count;   /* its values */
    int16_t **slot;    /* per page: NULL, or each bucket's index among the wanted, or -1 */
} wa_wanted;

/* The buckets holding ranks[0..nr) (ascending). 0, or -1 when out of memory. */
int wa_wanted_make(const wa_buckets *b, const uint64_t *ranks, size_t nr, wa_wanted *w);

/* The index among the wanted of bucket `bucket`, or -1. */
static inline int wa_wanted_slot(const wa_wanted *w, uint32_t bucket)
{
    const int16_t *s = w->slot[bucket / WA_BUCKET_PAGE];
    return s ? s[bucket % WA_BUCKET_PAGE] : -1;
}

/* The wanted bucket holding rank r (one of the ranks it was made for). */
size_t wa_wanted_find(const wa_wanted *w, uint64_t r);

void wa_wanted_free(wa_wanted *w);

#endif
