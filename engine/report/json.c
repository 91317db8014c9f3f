/*
 * json.c — `--format json`: SPEC section 4, runs and sweeps, built as a cJSON tree and printed.
 *
 * Key names and nesting are the contract; keep them in the order SPEC shows. 64-bit
 * integers (seed, trials) go in as raw digits so they are never rounded through a double.
 * cJSON reports out-of-memory by returning NULL from any constructor; rather than check
 * each of the hundreds of calls, every object is built through helpers that remember the
 * failure in a flag, and the whole tree is dropped if it was set.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include <cjson/cJSON.h>

#include "report/report.h"

#include <stdio.h>

typedef struct builder {
    int failed; /* a cJSON allocation returned NULL somewhere */
} builder;

/* Attaches item to obj under key, or records the failure (freeing item if it exists). */
static cJSON *put(builder *b, cJSON *obj, const char *key, cJSON *item)
{
    if (!item || !obj) {
        cJSON_Delete(item);
        b->failed = 1;
        return NULL;
    }
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        b->failed = 1;
        return NULL;
    }
    return item;
}

/* Appends item to arr and returns it, or records the failure (freeing item if it exists)
   and returns NULL: what the caller goes on filling must be the returned pointer. */
static cJSON *append(builder *b, cJSON *arr, cJSON *item)
{
    if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        b->failed = 1;
        return NULL;
    }
    return item;
}

/* A number, or null if it is not finite: JSON has no NaN or infinity. */
static cJSON *num(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static void put_num(builder *b, cJSON *obj, const char *key, double v)
{
    put(b, obj, key, num(v));
}

static void put_str(builder *b, cJSON *obj, const char *key, const char *s)
{
    put(b, obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static void put_u64(builder *b, cJSON *obj, const char *key, uint64_t v)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%" PRIu64, v);
    put(b, obj, key, cJSON_CreateRaw(digits));
}

/* key: [x, y], an interval or a range. */
static void put_pair(builder *b, cJSON *obj, const char *key, double x, double y)
{
    cJSON *arr = put(b, obj, key, cJSON_CreateArray());
    append(b, arr, num(x));
    append(b, arr, num(y));
}

/* key: [x0, x1, ...], n numbers. */
static void put_array(builder *b, cJSON *obj, const char *key, const double *x, size_t n)
{
    cJSON *arr = put(b, obj, key, cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        append(b, arr, num(x[i]));
}

/* The statistics, and p1 ... p99 when there are (pct NULL: none). */
static void put_stats_pct(builder *b, cJSON *obj, const char *key, const wa_stats *st,
                          const double *pct)
{
    cJSON *o = put(b, obj, key, cJSON_CreateObject());
    put_num(b, o, "mean", st->mean);
    put_num(b, o, "sd", st->sd);
    put_num(b, o, "min", st->min);
    put_num(b, o, "max", st->max);
    put_num(b, o, "p5", st->p5);
    put_num(b, o, "p10", st->p10);
    put_num(b, o, "p25", st->p25);
    put_num(b, o, "p50", st->p50);
    put_num(b, o, "p75", st->p75);
    put_num(b, o, "p90", st->p90);
    put_num(b, o, "p95", st->p95);
    if (pct)
        put_array(b, o, "percentiles", pct, 99);
}

static void put_stats(builder *b, cJSON *obj, const char *key, const wa_stats *st)
{
    put_stats_pct(b, obj, key, st, NULL);
}

/* "histogram": {"edges": [nbins + 1 round numbers], "counts": [nbins], "below", "above"},
   the chart data of series `of`, when the run has it. */
static void put_histogram(builder *b, cJSON *obj, const wa_result *res, wa_series_of of,
                          size_t k)
{
    const wa_histogram *h = wa_result_histogram(res, of, k);
    if (!h || !obj)
        return;
    cJSON *o = put(b, obj, "histogram", cJSON_CreateObject());
    cJSON *e = put(b, o, "edges", cJSON_CreateArray());
    for (size_t i = 0; i <= h->nbins; i++)
        append(b, e, num(wa_result_histogram_edge(res, of, k, i)));
    cJSON *c = put(b, o, "counts", cJSON_CreateArray());
    for (size_t i = 0; i < h->nbins; i++) {
        char digits[24];
        snprintf(digits, sizeof digits, "%" PRIu64, wa_result_histogram_count(res, of, k, i));
        append(b, c, cJSON_CreateRaw(digits));
    }
    put_u64(b, o, "below", h->below);
    put_u64(b, o, "above", h->above);
}

/* An option's description, and its certainty equivalent when the scenario asks. */
static void put_option_extras(builder *b, cJSON *o, const char *description, int has_ce,
                              double ce)
{
    put_str(b, o, "description", description);
    if (has_ce)
        put_num(b, o, "certainty_equivalent", ce);
}

static void put_walk(builder *b, cJSON *res, const wa_result *r, const wa_summary *s)
{
    cJSON *w = put(b, res, "walk", cJSON_CreateObject());
    put_str(b, w, "name", s->walk_name);
    put_str(b, w, "chosen_by", s->walk_chosen_by);
    put_stats(b, w, "cost", &s->walk_cost);
    put_histogram(b, cJSON_GetObjectItemCaseSensitive(w, "cost"), r, WA_OF_WALK, 0);
    cJSON *c = put(b, w, "ceiling", cJSON_CreateObject());
    put_num(b, c, "expected", s->ceiling_expected);
    put_num(b, c, "confident", s->ceiling_confident);
    put_num(b, c, "accept_below", s->ceiling_accept_below);
}

static void put_offer(builder *b, cJSON *arr, const wa_result *res, size_t k)
{
    const wa_offer_summary *of = wa_result_offer(res, k);
    cJSON *o = append(b, arr, cJSON_CreateObject());
    if (!o)
        return;
    put_str(b, o, "name", of->name);
    put_option_extras(b, o, of->description, of->has_certainty_equivalent,
                      of->certainty_equivalent);
    put_stats_pct(b, o, "cost", &of->cost, of->cost_percentiles);
    put_num(b, o, "p_walk_beats", of->p_walk_beats);
    put_pair(b, o, "p_walk_beats_ci95", of->p_walk_beats_ci95[0], of->p_walk_beats_ci95[1]);
    put_stats_pct(b, o, "advantage", &of->advantage, of->advantage_percentiles);
    put_histogram(b, cJSON_GetObjectItemCaseSensitive(o, "advantage"), res, WA_OF_ADVANTAGE, k);
    put_num(b, o, "concession_needed", of->concession_needed);
    put_num(b, o, "concession_needed_share", of->concession_needed_share);
    if (WA_HAS(wa_offer_summary, of, price_units) && of->price_units) {
        put_str(b, o, "price_units", of->price_units);
        put_num(b, o, "concession_needed_per_unit", of->concession_needed_per_unit);
    }
    put_num(b, o, "expected_shortfall", of->expected_shortfall);
    put_str(b, o, "verdict", of->verdict);
    if (WA_HAS(wa_offer_summary, of, joint_gain) && of->has_vendor) {
        cJSON *v = put(b, o, "vendor", cJSON_CreateObject());
        cJSON *tl = put(b, v, "tables", cJSON_CreateArray());
        for (size_t t = 0; t < of->nvendor_tables; t++) {
            const wa_vendor_table_summary *vt = wa_result_vendor_table(res, k, t);
            cJSON *e = append(b, tl, cJSON_CreateObject());
            put_str(b, e, "name", vt->name);
            put_stats(b, e, "value", &vt->value);
            put_num(b, e, "p_prefers", vt->p_prefers);
        }
        put_num(b, v, "p_buyer_prefers", of->p_buyer_prefers);
        put_num(b, v, "p_accepts", of->p_accepts);
        put_num(b, v, "p_deal", of->p_deal);
        put_num(b, v, "joint_gain", of->joint_gain);
    }
    cJSON *sens = put(b, o, "sensitivity", cJSON_CreateArray());
    for (size_t i = 0; i < of->nsensitivity; i++) {
        const wa_sensitivity *sv = wa_result_sensitivity(res, k, i);
        cJSON *e = append(b, sens, cJSON_CreateObject());
        put_str(b, e, "input", sv->input);
        put_num(b, e, "spearman", sv->spearman);
        put_num(b, e, "swing_p_walk_beats", sv->swing_p_walk_beats);
        put_num(b, e, "swing_mean_advantage", sv->swing_mean_advantage);
        put_num(b, e, "contribution", sv->contribution);
        cJSON *dec = put(b, e, "deciles", cJSON_CreateObject());
        put_array(b, dec, "mean_advantage", sv->deciles_mean_advantage, 10);
        put_array(b, dec, "p_walk_beats", sv->deciles_p_walk_beats, 10);
    }
}

/* The ranking, dominance and value of information of a result. */
static void put_insight(builder *b, cJSON *r, const wa_result *res)
{
    const wa_summary *s = wa_result_summary(res);
    cJSON *rk = put(b, r, "ranking", cJSON_CreateArray());
    for (size_t i = 0; i < s->nranking; i++) {
        const wa_rank *e = wa_result_ranking(res, i);
        cJSON *o = append(b, rk, cJSON_CreateObject());
        put_str(b, o, "name", e->name);
        put_str(b, o, "role", e->role);
        put_num(b, o, "mean", e->mean);
        put_num(b, o, "p_best", e->p_best);
    }
    cJSON *dm = put(b, r, "dominance", cJSON_CreateArray());
    for (size_t i = 0; i < s->ndominance; i++) {
        const wa_dominance *e = wa_result_dominance(res, i);
        cJSON *o = append(b, dm, cJSON_CreateObject());
        put_str(b, o, "better", e->better);
        put_str(b, o, "worse", e->worse);
        put_num(b, o, "order", e->order);
    }
    cJSON *v = put(b, r, "value_of_information", cJSON_CreateObject());
    put_num(b, v, "evpi", s->evpi);
    put_num(b, v, "evpi_se", s->evpi_se);
    put_str(b, v, "best_in_expectation", s->best_in_expectation);
    put_str(b, v, "method", s->voi_method);
    cJSON *in = put(b, v, "inputs", cJSON_CreateArray());
    for (size_t i = 0; i < s->nvoi; i++) {
        const wa_voi *e = wa_result_voi(res, i);
        cJSON *o = append(b, in, cJSON_CreateObject());
        put_str(b, o, "input", e->input);
        put_num(b, o, "evppi", e->evppi);
        put_num(b, o, "evppi_se", e->evppi_se);
        put_num(b, o, "share", e->share);
    }
}

static void put_result(builder *b, cJSON *arr, const wa_result *res)
{
    const wa_summary *s = wa_result_summary(res);
    cJSON *r = append(b, arr, cJSON_CreateObject());
    if (!r)
        return;
    put_str(b, r, "file", s->file);
    put_str(b, r, "scenario", s->scenario);
    put_str(b, r, "variant", s->variant); /* null for the base scenario */
    put_u64(b, r, "trials", s->trials);
    put_u64(b, r, "seed", s->seed);
    put_str(b, r, "method", wa_method_name(s->method));
    put_num(b, r, "confidence", s->confidence);
    put_str(b, r, "currency", s->currency);
    put_num(b, r, "horizon", s->horizon);
    put_num(b, r, "discount_rate", s->discount_rate);
    put_str(b, r, "description", s->description);
    put_num(b, r, "elapsed_s", s->elapsed_s);
    put_walk(b, r, res, s);

    cJSON *alts = put(b, r, "alternatives", cJSON_CreateArray());
    for (size_t i = 0; i < s->nalternatives; i++) {
        const wa_alternative_summary *a = wa_result_alternative(res, i);
        cJSON *o = append(b, alts, cJSON_CreateObject());
        put_str(b, o, "name", a->name);
        put_option_extras(b, o, a->description, a->has_certainty_equivalent,
                          a->certainty_equivalent);
        put_stats_pct(b, o, "cost", &a->cost, a->percentiles);
        put_num(b, o, "p_cheapest", a->p_cheapest);
    }
    cJSON *offers = put(b, r, "offers", cJSON_CreateArray());
    for (size_t i = 0; i < s->noffers; i++)
        put_offer(b, offers, res, i);
    put_insight(b, r, res);
    if (WA_HAS(wa_summary, s, settlement_range) && s->vendor) {
        cJSON *v = put(b, r, "vendor", cJSON_CreateObject());
        put_str(b, v, "name", s->vendor);
        double rp[99];
        for (unsigned p = 1; p <= 99; p++)
            rp[p - 1] = wa_result_percentile(res, WA_OF_VENDOR_WALK, 0, p);
        put_stats_pct(b, v, "walk", &s->vendor_walk, isnan(rp[0]) ? NULL : rp);
        put_histogram(b, cJSON_GetObjectItemCaseSensitive(v, "walk"), res, WA_OF_VENDOR_WALK, 0);
        cJSON *z = put(b, v, "zopa", cJSON_CreateObject());
        put_num(b, z, "p_exists", s->zopa_p_exists);
        put_stats(b, z, "width", &s->zopa_width);
        if (s->has_settlement_range)
            put_pair(b, z, "settlement_range", s->settlement_range[0], s->settlement_range[1]);
        else
            put(b, z, "settlement_range", cJSON_CreateNull());
    }
    cJSON *warn = put(b, r, "warnings", cJSON_CreateArray());
    for (size_t i = 0; i < s->nwarnings; i++)
        append(b, warn, cJSON_CreateString(wa_result_warning(res, i)));
}

/* ---- sweeps ------------------------------------------------------------------------- */

static void put_point(builder *b, cJSON *arr, const wa_sweep *s, size_t p)
{
    const wa_result *res = wa_sweep_point(s, p);
    cJSON *o = append(b, arr, cJSON_CreateObject());
    if (!o)
        return;
    cJSON *vals = put(b, o, "values", cJSON_CreateObject());
    for (size_t v = 0; v < wa_sweep_vary_count(s); v++)
        put_num(b, vals, wa_sweep_vary_name(s, v),
                wa_sweep_value(s, v, wa_sweep_point_index(s, p, v)));
    put_str(b, o, "walk", wa_result_summary(res)->walk_name);
    cJSON *offers = put(b, o, "offers", cJSON_CreateArray());
    for (size_t k = 0; k < wa_result_summary(res)->noffers; k++) {
        const wa_offer_summary *of = wa_result_offer(res, k);
        cJSON *e = append(b, offers, cJSON_CreateObject());
        put_str(b, e, "name", of->name);
        put_num(b, e, "p_walk_beats", of->p_walk_beats);
        put_pair(b, e, "p_walk_beats_ci95", of->p_walk_beats_ci95[0], of->p_walk_beats_ci95[1]);
        put_num(b, e, "advantage_mean", of->advantage.mean);
        put_num(b, e, "concession_needed", of->concession_needed);
        put_str(b, e, "verdict", of->verdict);
        if (WA_HAS(wa_offer_summary, of, joint_gain) && of->has_vendor)
            put_num(b, e, "p_deal", of->p_deal);
    }
}

static void put_sweep(builder *b, cJSON *arr, const wa_sweep *s)
{
    const wa_summary *h = wa_result_summary(wa_sweep_point(s, 0));
    cJSON *o = append(b, arr, cJSON_CreateObject());
    if (!o)
        return;
    put_str(b, o, "file", h->file);
    put_str(b, o, "scenario", h->scenario);
    put_str(b, o, "variant", wa_sweep_variant(s)); /* null for the base scenario */
    put_u64(b, o, "trials", h->trials);
    put_u64(b, o, "seed", h->seed);
    put_str(b, o, "method", wa_method_name(h->method));
    put_num(b, o, "confidence", h->confidence);
    put_str(b, o, "currency", h->currency);
    put_num(b, o, "elapsed_s", wa_sweep_elapsed(s));
    cJSON *vary = put(b, o, "vary", cJSON_CreateArray());
    for (size_t v = 0; v < wa_sweep_vary_count(s); v++) {
        cJSON *e = append(b, vary, cJSON_CreateObject());
        put_str(b, e, "name", wa_sweep_vary_name(s, v));
        cJSON *vals = put(b, e, "values", cJSON_CreateArray());
        for (size_t j = 0; j < wa_sweep_value_count(s, v); j++)
            append(b, vals, num(wa_sweep_value(s, v, j)));
    }
    cJSON *points = put(b, o, "points", cJSON_CreateArray());
    for (size_t p = 0; p < wa_sweep_point_count(s) && !b->failed; p++)
        put_point(b, points, s, p);
}

/* ---- solves ------------------------------------------------------------------------- */

static void put_solve(builder *b, cJSON *arr, const wa_solve *sv)
{
    const wa_solution *s = wa_solve_solution(sv);
    cJSON *o = append(b, arr, cJSON_CreateObject());
    if (!o)
        return;
    put_str(b, o, "file", s->file);
    put_str(b, o, "scenario", s->scenario);
    put_str(b, o, "variant", s->variant);
    put_str(b, o, "name", s->name);
    put_str(b, o, "offer", s->offer);
    put_str(b, o, "target", s->target);
    put(b, o, "level", s->target_is_mean ? cJSON_CreateNull() : num(s->level));
    put_u64(b, o, "trials", s->trials);
    put_u64(b, o, "seed", s->seed);
    put_str(b, o, "method", wa_method_name(s->method));
    put_num(b, o, "confidence", s->confidence);
    put_pair(b, o, "range", s->from, s->to);
    put(b, o, "found", cJSON_CreateBool(s->found));
    const wa_crossing *c0 = wa_solve_crossing(sv, 0);
    put(b, o, "value", c0 ? num(c0->value) : cJSON_CreateNull());
    if (c0) {
        put_pair(b, o, "interval", c0->interval[0], c0->interval[1]);
        put_str(b, o, "direction", c0->rising ? "rising" : "falling");
    } else {
        put(b, o, "interval", cJSON_CreateNull());
        put(b, o, "direction", cJSON_CreateNull());
    }
    cJSON *cr = put(b, o, "crossings", cJSON_CreateArray());
    for (size_t i = 0; i < s->ncrossings; i++) {
        const wa_crossing *c = wa_solve_crossing(sv, i);
        cJSON *e = append(b, cr, cJSON_CreateObject());
        put_num(b, e, "value", c->value);
        put_pair(b, e, "interval", c->interval[0], c->interval[1]);
        put_str(b, e, "direction", c->rising ? "rising" : "falling");
    }
    cJSON *ends = put(b, o, "ends", cJSON_CreateObject());
    put_num(b, ends, "from", s->end_from);
    put_num(b, ends, "to", s->end_to);
    put_u64(b, o, "runs", s->runs);
    put_num(b, o, "elapsed_s", s->elapsed_s);
}

/* ---- a document, item by item ------------------------------------------------------
 *
 * {"walkaway": version, KEY: [item, ...]} printed as cJSON prints the whole tree: the head,
 * then each item as cJSON prints it at the depth of the list (its lines after the first
 * indented by two tabs; no raw newline can occur inside a JSON string), ", " between
 * items, then the end. So a document streams out as each result is ready, and is byte for
 * byte what printing the tree at once gives.
 */

int wa_report_json_begin(FILE *f, wa_report_kind kind)
{
    static const char *const keys[] = {"results", "sweeps", "solves"};
    return fprintf(f, "{\n\t\"walkaway\":\t\"%s\",\n\t\"%s\":\t[", WA_VERSION, keys[kind]) < 0
               ? -1
               : 0;
}

int wa_report_json_item(FILE *f, wa_report_kind kind, const void *item, size_t i)
{
    builder b = {0};
    cJSON *arr = cJSON_CreateArray();
    if (!arr) {
        errno = ENOMEM;
        return -1;
    }
    if (kind == WA_REPORT_RUNS)
        put_result(&b, arr, item);
    else if (kind == WA_REPORT_SWEEPS)
        put_sweep(&b, arr, item);
    else
        put_solve(&b, arr, item);
    char *text = b.failed ? NULL : cJSON_Print(cJSON_GetArrayItem(arr, 0));
    cJSON_Delete(arr);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    int rc = i > 0 && fputs(", ", f) == EOF ? -1 : 0;
    for (const char *p = text; *p && rc == 0; p++)
        if (fputc(*p, f) == EOF || (*p == '\n' && fputs("\t\t", f) == EOF))
            rc = -1;
    cJSON_free(text);
    return rc;
}

int wa_report_json_end(FILE *f) { return fputs("]\n}\n", f) == EOF ? -1 : 0; }
