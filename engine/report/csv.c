/*
 * csv.c — `--format csv`: one row per (file, variant, offer), SPEC section 4; for a sweep,
 * long: one row per (point, offer), a column per varied name; for a solve, a row each.
 *
 * Quoting follows RFC 4180 (a field holding a comma, a double quote, CR or LF is quoted,
 * its quotes doubled); lines end with "\n", as Unix tools expect (spreadsheets and CSV
 * libraries accept both). Numbers are printed in the shortest %g form that reads back to
 * the identical double, so nothing is lost and nothing is padded with noise digits.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/alloc.h"

static const char header[] =
    "file,scenario,variant,offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,"
    "offer_mean,walk_mean,advantage_mean,advantage_p5,advantage_p50,advantage_p95,"
    "concession_needed,ceiling_expected,ceiling_confident,walk,ceiling_accept_below,"
    "expected_shortfall,verdict,concession_needed_share,concession_needed_per_unit";

/* Whether a result has the vendor's side (SPEC 1.6), whose p_deal takes a column: the
   first result of a document decides, and later ones leave the column empty without. */
static int has_vendor(const wa_result *res)
{
    const wa_summary *s = wa_result_summary(res);
    return s && WA_HAS(wa_summary, s, settlement_range) && s->vendor;
}

static void put_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ",number": the shortest of %.15g..%.17g that round-trips; empty if not finite. */
static void put_num(FILE *f, double v)
{
    fputc(',', f);
    if (!isfinite(v))
        return;
    char buf[32];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

/* "file,scenario,variant" of a row. */
static void put_start(FILE *f, const wa_summary *r, const char *variant)
{
    put_field(f, r->file);
    fputc(',', f);
    put_field(f, r->scenario);
    fputc(',', f);
    put_field(f, variant);
}

/* ",offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,offer_mean,walk_mean,
   advantage_mean": the columns every row of runs and sweeps has after its start. */
static void put_offer(FILE *f, const wa_summary *r, const wa_offer_summary *o)
{
    fputc(',', f);
    put_field(f, o->name);
    fprintf(f, ",%" PRIu64, r->trials);
    put_num(f, o->p_walk_beats);
    put_num(f, o->p_walk_beats_ci95[0]);
    put_num(f, o->p_walk_beats_ci95[1]);
    put_num(f, o->cost.mean);
    put_num(f, r->walk_cost.mean);
    put_num(f, o->advantage.mean);
}

static void put_deal(FILE *f, const wa_offer_summary *o)
{
    put_num(f, WA_HAS(wa_offer_summary, o, joint_gain) && o->has_vendor ? o->p_deal : NAN);
}

/* The rows of one run: one per offer. */
static void run_rows(FILE *f, const wa_result *res, int deal)
{
    const wa_summary *r = wa_result_summary(res);
    for (size_t k = 0; k < r->noffers; k++) {
        const wa_offer_summary *o = wa_result_offer(res, k);
        put_start(f, r, r->variant); /* empty for the base */
        put_offer(f, r, o);
        put_num(f, o->advantage.p5);
        put_num(f, o->advantage.p50);
        put_num(f, o->advantage.p95);
        put_num(f, o->concession_needed);
        put_num(f, r->ceiling_expected);
        put_num(f, r->ceiling_confident);
        fputc(',', f);
        put_field(f, r->walk_name);
        put_num(f, r->ceiling_accept_below);
        put_num(f, o->expected_shortfall);
        fputc(',', f);
        put_field(f, o->verdict);
        put_num(f, o->concession_needed_share);
        put_num(f, o->concession_needed_per_unit);
        if (deal)
            put_deal(f, o);
        fputc('\n', f);
    }
}

/* The names sweep s varies, in order, joined by a unit separator: the key its rows'
   columns follow. NULL when out of memory. */
static char *names_key(const wa_sweep *s)
{
    size_t len = 1;
    for (size_t v = 0; v < wa_sweep_vary_count(s); v++)
        len += strlen(wa_sweep_vary_name(s, v)) + 1;
    char *k = wa_malloc(len), *p = k;
    for (size_t v = 0; k && v < wa_sweep_vary_count(s); v++)
        p += sprintf(p, "%s\x1f", wa_sweep_vary_name(s, v));
    if (k)
        *p = '\0';
    return k;
}

static int sweep_deal(const wa_sweep *s)
{
    return wa_sweep_point_count(s) && has_vendor(wa_sweep_point(s, 0));
}

/* The header of a long sweep CSV: a column per name first varies (none without it). */
static void sweep_header(FILE *f, const wa_sweep *first, int deal)
{
    fputs("file,scenario,variant", f);
    for (size_t v = 0; first && v < wa_sweep_vary_count(first); v++) {
        fputc(',', f);
        put_field(f, wa_sweep_vary_name(first, v));
    }
    fputs(",offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,offer_mean,walk_mean,"
          "advantage_mean,concession_needed,verdict,walk",
          f);
    fputs(deal ? ",p_deal\n" : "\n", f);
}

/* The rows of one sweep: one per point and offer. */
static void sweep_rows(FILE *f, const wa_sweep *s, int deal)
{
    for (size_t p = 0; p < wa_sweep_point_count(s); p++) {
        const wa_result *res = wa_sweep_point(s, p);
        const wa_summary *r = wa_result_summary(res);
        for (size_t k = 0; k < r->noffers; k++) {
            const wa_offer_summary *o = wa_result_offer(res, k);
            put_start(f, r, wa_sweep_variant(s)); /* empty for the base */
            for (size_t v = 0; v < wa_sweep_vary_count(s); v++)
                put_num(f, wa_sweep_value(s, v, wa_sweep_point_index(s, p, v)));
            put_offer(f, r, o);
            put_num(f, o->concession_needed);
            fputc(',', f);
            put_field(f, o->verdict);
            fputc(',', f);
            put_field(f, r->walk_name);
            if (deal)
                put_deal(f, o);
            fputc('\n', f);
        }
        if (ferror(f))
            return;
    }
}

static const char solve_header[] =
    "file,scenario,variant,name,offer,target,level,from,to,found,value,interval_lo,"
    "interval_hi,direction,crossings,end_from,end_to\n";

/* The row of one solve. */
static void solve_row(FILE *f, const wa_solve *s)
{
    const wa_solution *r = wa_solve_solution(s);
    const wa_crossing *c = wa_solve_crossing(s, 0);
    put_field(f, r->file);
    fputc(',', f);
    put_field(f, r->scenario);
    fputc(',', f);
    put_field(f, r->variant);
    fputc(',', f);
    put_field(f, r->name);
    fputc(',', f);
    put_field(f, r->offer);
    fputc(',', f);
    put_field(f, r->target);
    put_num(f, r->target_is_mean ? NAN : r->level);
    put_num(f, r->from);
    put_num(f, r->to);
    fputs(r->found ? ",true" : ",false", f);
    put_num(f, c ? c->value : NAN);
    put_num(f, c ? c->interval[0] : NAN);
    put_num(f, c ? c->interval[1] : NAN);
    fputs(c ? (c->rising ? ",rising" : ",falling") : ",", f);
    fprintf(f, ",%zu", r->ncrossings);
    put_num(f, r->end_from);
    put_num(f, r->end_to);
    fputc('\n', f);
}

/* ---- a document, item by item ------------------------------------------------------ */

int wa_report_csv_columns(wa_report_kind kind, const void *first, wa_csv_columns *out)
{
    out->deal = 0;
    out->key = NULL;
    if (!first)
        return 0;
    out->deal = kind == WA_REPORT_RUNS ? has_vendor(first)
                                       : kind == WA_REPORT_SWEEPS && sweep_deal(first);
    if (kind == WA_REPORT_SWEEPS && !(out->key = names_key(first))) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

int wa_report_csv_begin(FILE *f, wa_report_kind kind, const void *first, int deal)
{
    if (kind == WA_REPORT_RUNS) {
        fputs(header, f);
        fputs(deal ? ",p_deal\n" : "\n", f);
    }
    else if (kind == WA_REPORT_SWEEPS)
        sweep_header(f, first, deal);
    else
        fputs(solve_header, f);
    return ferror(f) ? -1 : 0;
}

int wa_report_csv_item(FILE *f, wa_report_kind kind, const void *item,
                       const wa_csv_columns *cols)
{
    if (kind == WA_REPORT_RUNS) {
        run_rows(f, item, cols->deal);
    } else if (kind == WA_REPORT_SWEEPS) {
        char *key = names_key(item);
        if (!key) {
            errno = ENOMEM;
            return -1;
        }
        int same = cols->key && !strcmp(key, cols->key);
        wa_free(key);
        if (!same) {
            errno = EINVAL; /* one long CSV has one set of columns */
            return -1;
        }
        sweep_rows(f, item, cols->deal);
    } else {
        solve_row(f, item);
    }
    return ferror(f) ? -1 : 0;
}
