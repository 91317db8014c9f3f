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

int wa_vendor_figures(wa_result *r, const wa_model *m, wa_trials *tr)
{
    const wa_vendor *v = m->vendor;
    uint64_t n = tr->n;
    if (!v || n == 0)
        return 0;
    int oom = 0;
    size_t nt = v->ntables;
    r->s.vendor = wa_result_keep(r, v->name, &oom);
    r->vtables = wa_calloc(m->noffers * nt + 1, sizeof *r->vtables);
    if (oom || !r->vtables)
        return -1;
    const double c = r->s.confidence;
    const size_t W = m->noffers + r->s.walk, R = v->walk_all;
    for (size_t k = 0; k < m->noffers; k++) {
        wa_offer_summary *os = &r->offers[k];
        os->has_vendor = 1;
        os->nvendor_tables = nt;
        for (size_t t = 0; t < nt; t++) {
            wa_vendor_table_summary *vt = &r->vtables[k * nt + t];
            size_t a = v->offer_series[k * nt + t], b = v->walk_series[t];
            vt->size = sizeof *vt;
            vt->name = wa_result_keep(r, v->tables[t].name, &oom);
            wa_series s = wa_series_minus(tr, a, b);
            if (oom || wa_series_stats(&s, NULL, 0, NULL, 0, NULL, &vt->value))
                return -1;
            uint64_t yes = 0;
            for (uint64_t i0 = 0; i0 < n; i0 += CHUNK) {
                size_t mc = (size_t)(n - i0 < CHUNK ? n - i0 : CHUNK);
                const double *pa = wa_trials_read(tr, a, i0, mc), *pb = wa_trials_read(tr, b, i0, mc);
                for (size_t i = 0; i < mc; i++)
                    yes += pa[i] - pb[i] > 0;
            }
            vt->p_prefers = (double)yes / (double)n;
        }
        uint64_t buyer = 0, accepts = 0, deal = 0;
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
                deal += b && all;
            }
        }
        wa_free(ta);
        os->p_buyer_prefers = (double)buyer / (double)n;
        os->p_accepts = (double)accepts / (double)n;
        os->p_deal = (double)deal / (double)n;
        /* what the deal creates: the buyer's gain W - O and the vendor's V, every item */
        double vm, vsd;
        wa_series vall = wa_series_minus(tr, v->offer_all[k], R);
        wa_series_mean_sd(&vall, &vm, &vsd);
        os->joint_gain = -os->advantage.mean + vm;
    }
    /* the zone of possible agreement for a cash settlement S paid today: the buyer prefers
       S to walking when S < W, the vendor when S > R */
    double rc;
    wa_series rs = wa_series_one(tr, R);
    if (wa_series_stats(&rs, &c, 1, &rc, 0, NULL, &r->s.vendor_walk))
        return -1;
    wa_series width = wa_series_minus(tr, W, R);
    if (wa_series_stats(&width, NULL, 0, NULL, 0, NULL, &r->s.zopa_width))
        return -1;
    uint64_t exists = 0;
    for (uint64_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t mc = (size_t)(n - i0 < CHUNK ? n - i0 : CHUNK);
        const double *Wc = wa_trials_read(tr, W, i0, mc), *Rc = wa_trials_read(tr, R, i0, mc);
        for (size_t i = 0; i < mc; i++)
            exists += Wc[i] > Rc[i];
    }
    r->s.zopa_p_exists = (double)exists / (double)n;
    r->s.settlement_range[0] = rc;
    r->s.settlement_range[1] = r->s.ceiling_accept_below; /* the (1 - c)-quantile of W */
    r->s.has_settlement_range = rc <= r->s.ceiling_accept_below;
    return 0;
}
