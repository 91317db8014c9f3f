/*
 * vendor_figures.c — the vendor's side of SPEC 2: per offer, what each of the vendor's
 * tables gains from the deal (V_T), whether it prefers it, the chance of a deal both sides
 * prefer and the joint gain; per scenario, the vendor's reservation value R and the zone of
 * possible agreement for a cash settlement.
 *
 * Everything is read in place from the per-trial series the simulation wrote (the offers,
 * the walk, and the vendor's hidden series, load/vendor.c), in trial order, so the figures
 * depend on the numbers alone, not on threads.
 */
#include <math.h>
#include <stdlib.h>

#include "summary/result.h"
#include "summary/stats.h"
#include "summary/summarise.h"
#include "util/alloc.h"

/* Trials at a time in the counting loops: within a block, as trials.h asks. */
#define CHUNK 2048

/* Before the tasks: the names and the tables' summaries. -1 when out of memory. */
int wa_vendor_begin(wa_result *r, const wa_model *m, uint64_t n)
{
    const wa_vendor *v = m->vendor;
    if (!v || n == 0)
        return 0;
    int oom = 0;
    size_t nt = v->ntables;
    r->s.vendor = wa_result_keep(r, v->name, &oom);
    r->vtables = wa_calloc(m->noffers * nt + 1, sizeof *r->vtables);
    if (oom || !r->vtables)
        return -1;
    for (size_t k = 0; k < m->noffers; k++) {
        r->offers[k].has_vendor = 1;
        r->offers[k].nvendor_tables = nt;
        for (size_t t = 0; t < nt; t++) {
            wa_vendor_table_summary *vt = &r->vtables[k * nt + t];
            vt->size = sizeof *vt;
            vt->name = wa_result_keep(r, v->tables[t].name, &oom);
        }
    }
    return oom ? -1 : 0;
}

size_t wa_vendor_tasks(const wa_model *m, uint64_t n)
{
    const wa_vendor *v = m->vendor;
    if (!v || n == 0)
        return 0;
    /* each offer's tables' gains, and whether they prefer it; each offer's deal; R, the
       width of the zone, its existence */
    return 2 * m->noffers * v->ntables + m->noffers + 3;
}

/* The fraction of trials with a - b > 0 (a, b series of tr), or with a > b (greater). */
static double share_above(wa_trials *tr, size_t a, size_t b, int greater)
{
    uint64_t n = tr->n, yes = 0;
    for (uint64_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t mc = (size_t)(n - i0 < CHUNK ? n - i0 : CHUNK);
        const double *pa = wa_trials_read(tr, a, i0, mc), *pb = wa_trials_read(tr, b, i0, mc);
        if (greater)
            for (size_t i = 0; i < mc; i++)
                yes += pa[i] > pb[i];
        else
            for (size_t i = 0; i < mc; i++)
                yes += pa[i] - pb[i] > 0;
    }
    return (double)yes / (double)n;
}

/* Offer k's deal: whether the buyer prefers it, whether every table does, both; and the
   mean of what the deal creates for the vendor (the joint gain, once the advantage is
   known: wa_vendor_end). */
static int deal(wa_result *r, const wa_model *m, wa_trials *tr, size_t k)
{
    const wa_vendor *v = m->vendor;
    size_t nt = v->ntables, W = m->noffers + r->s.walk;
    uint64_t n = tr->n, buyer = 0, accepts = 0, both = 0;
    const double **ta = wa_malloc(2 * nt * sizeof *ta + 1), **tb = ta + nt;
    if (!ta)
        return -1;
    for (uint64_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t mc = (size_t)(n - i0 < CHUNK ? n - i0 : CHUNK);
        const double *O = wa_trials_read(tr, k, i0, mc), *Wc = wa_trials_read(tr, W, i0, mc);
        for (size_t t = 0; t < nt; t++) {
            ta[t] = wa_trials_read(tr, v->offer_series[k * nt + t], i0, mc);
            tb[t] = wa_trials_read(tr, v->walk_series[t], i0, mc);
        }
        for (size_t i = 0; i < mc; i++) {
            int all = 1;
            for (size_t t = 0; t < nt && all; t++)
                all = ta[t][i] - tb[t][i] > 0;
            int b = O[i] < Wc[i];
            buyer += b;
            accepts += all;
            both += b && all;
        }
    }
    wa_free(ta);
    wa_offer_summary *os = &r->offers[k];
    os->p_buyer_prefers = (double)buyer / (double)n;
    os->p_accepts = (double)accepts / (double)n;
    os->p_deal = (double)both / (double)n;
    /* what the deal creates: the buyer's gain W - O and the vendor's V, every item; V's
       mean waits in joint_gain for the buyer's */
    double vm, vsd;
    wa_series vall = wa_series_minus(tr, v->offer_all[k], v->walk_all);
    wa_series_mean_sd(&vall, &vm, &vsd);
    os->joint_gain = vm;
    return 0;
}

int wa_vendor_task(wa_result *r, const wa_model *m, wa_trials *tr, size_t i)
{
    const wa_vendor *v = m->vendor;
    size_t nt = v->ntables, K = m->noffers, W = K + r->s.walk, R = v->walk_all;
    if (i < 2 * K * nt) {
        size_t j = i % (K * nt), a = v->offer_series[j], b = v->walk_series[j % nt];
        wa_vendor_table_summary *vt = &r->vtables[j];
        if (i >= K * nt) {
            vt->p_prefers = share_above(tr, a, b, 0);
            return 0;
        }
        wa_series s = wa_series_minus(tr, a, b);
        return wa_series_stats(&s, NULL, 0, NULL, 0, NULL, &vt->value);
    }
    i -= 2 * K * nt;
    if (i < K)
        return deal(r, m, tr, i);
    i -= K;
    if (i == 0) { /* R, and its c-quantile: the settlement range's low end */
        const double c = r->s.confidence;
        wa_series rs = wa_series_one(tr, R);
        return wa_series_stats(&rs, &c, 1, &r->s.settlement_range[0], 0, NULL,
                               &r->s.vendor_walk);
    }
    if (i == 1) {
        wa_series width = wa_series_minus(tr, W, R);
        return wa_series_stats(&width, NULL, 0, NULL, 0, NULL, &r->s.zopa_width);
    }
    /* the zone of possible agreement for a cash settlement S paid today: the buyer
       prefers S to walking when S < W, the vendor when S > R */
    r->s.zopa_p_exists = share_above(tr, W, R, 1);
    return 0;
}

void wa_vendor_end(wa_result *r, const wa_model *m, uint64_t n)
{
    if (!m->vendor || n == 0)
        return;
    for (size_t k = 0; k < m->noffers; k++) {
        wa_offer_summary *os = &r->offers[k];
        os->joint_gain = -os->advantage.mean + os->joint_gain;
    }
    r->s.settlement_range[1] = r->s.ceiling_accept_below; /* the (1 - c)-quantile of W */
    r->s.has_settlement_range = r->s.settlement_range[0] <= r->s.ceiling_accept_below;
}
