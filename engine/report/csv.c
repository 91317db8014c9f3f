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

static const char header[] =
    "file,scenario,variant,offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,"
    "offer_mean,walk_mean,advantage_mean,advantage_p5,advantage_p50,advantage_p95,"
    "concession_needed,ceiling_expected,ceiling_confident\n";

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

int wa_report_csv(FILE *f, const wa_result *const *res, size_t n)
{
    fputs(header, f);
    for (size_t i = 0; i < n; i++) {
        const wa_summary *r = wa_result_summary(res[i]);
        for (size_t k = 0; k < r->noffers; k++) {
            const wa_offer_summary *o = wa_result_offer(res[i], k);
            put_start(f, r, r->variant); /* empty for the base */
            fputc(',', f);
            put_field(f, o->name);
            fprintf(f, ",%" PRIu64, r->trials);
            put_num(f, o->p_walk_beats);
            put_num(f, o->p_walk_beats_ci95[0]);
            put_num(f, o->p_walk_beats_ci95[1]);
            put_num(f, o->cost.mean);
            put_num(f, r->walk_cost.mean);
            put_num(f, o->advantage.mean);
            put_num(f, o->advantage.p5);
            put_num(f, o->advantage.p50);
            put_num(f, o->advantage.p95);
            put_num(f, o->concession_needed);
            put_num(f, r->ceiling_expected);
            put_num(f, r->ceiling_confident);
            fputc('\n', f);
        }
        /* Stop at the first failed write rather than format the rest into the void. */
        if (ferror(f))
            return -1;
    }
    return ferror(f) ? -1 : 0;
}

/* Whether every sweep varies the names of the first, in its order. */
static int same_names(const wa_sweep *const *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (wa_sweep_vary_count(s[i]) != wa_sweep_vary_count(s[0]))
            return 0;
        for (size_t v = 0; v < wa_sweep_vary_count(s[0]); v++)
            if (strcmp(wa_sweep_vary_name(s[i], v), wa_sweep_vary_name(s[0], v)))
                return 0;
    }
    return 1;
}

int wa_report_sweep_csv(FILE *f, const wa_sweep *const *s, size_t n)
{
    if (n > 0 && !same_names(s, n)) {
        errno = EINVAL;
        return -1;
    }
    fputs("file,scenario,variant", f);
    for (size_t v = 0; n > 0 && v < wa_sweep_vary_count(s[0]); v++) {
        fputc(',', f);
        put_field(f, wa_sweep_vary_name(s[0], v));
    }
    fputs(",offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,offer_mean,walk_mean,"
          "advantage_mean,concession_needed,verdict,walk\n",
          f);
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < wa_sweep_point_count(s[i]); p++) {
            const wa_result *res = wa_sweep_point(s[i], p);
            const wa_summary *r = wa_result_summary(res);
            for (size_t k = 0; k < r->noffers; k++) {
                const wa_offer_summary *o = wa_result_offer(res, k);
                put_start(f, r, wa_sweep_variant(s[i])); /* empty for the base */
                for (size_t v = 0; v < wa_sweep_vary_count(s[i]); v++)
                    put_num(f, wa_sweep_value(s[i], v, wa_sweep_point_index(s[i], p, v)));
                fputc(',', f);
                put_field(f, o->name);
                fprintf(f, ",%" PRIu64, r->trials);
                put_num(f, o->p_walk_beats);
                put_num(f, o->p_walk_beats_ci95[0]);
                put_num(f, o->p_walk_beats_ci95[1]);
                put_num(f, o->cost.mean);
                put_num(f, r->walk_cost.mean);
                put_num(f, o->advantage.mean);
                put_num(f, o->concession_needed);
                fputc(',', f);
                put_field(f, o->verdict);
                fputc(',', f);
                put_field(f, r->walk_name);
                fputc('\n', f);
            }
            if (ferror(f))
                return -1;
        }
    }
    return ferror(f) ? -1 : 0;
}

int wa_report_solve_csv(FILE *f, const wa_solve *const *s, size_t n)
{
    fputs("file,scenario,variant,name,offer,target,level,from,to,found,value,interval_lo,"
          "interval_hi,direction,crossings,end_from,end_to\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const wa_solution *r = wa_solve_solution(s[i]);
        const wa_crossing *c = wa_solve_crossing(s[i], 0);
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
        if (ferror(f))
            return -1;
    }
    return ferror(f) ? -1 : 0;
}
