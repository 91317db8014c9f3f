/*
 * solve_text.c — `walkaway solve` as text: a header, then the answer in a sentence, in
 * NAME's own units, with the interval Monte Carlo error leaves ("Walking stops beating
 * renewal with 80% confidence once migration.p90 exceeds 2.31M; 2.27M–2.36M given Monte
 * Carlo error."), every crossing when there are several, or that there is none, with the
 * figure at both ends of the range.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "report/format.h"
#include "report/report.h"

/* x with the fewest significant figures (3 and up, k/M/B) that keep it apart from the
   others given: a crossing is shown as precisely as its interval needs. */
static void fmt_value(char *out, size_t size, double x, const double *apart, size_t n)
{
    for (int sig = 3; sig <= 12; sig++) {
        char mine[48];
        rf_fmt_sig(mine, sizeof mine, x, sig);
        int distinct = 1;
        for (size_t i = 0; i < n && distinct; i++) {
            char other[48];
            rf_fmt_sig(other, sizeof other, apart[i], sig);
            distinct = apart[i] == x || strcmp(mine, other) != 0;
        }
        if (distinct || sig == 12) {
            snprintf(out, size, "%s", mine);
            return;
        }
    }
}

/* The figure at an end of the range: a percentage, or money for the mean advantage. */
static void fmt_figure(char *out, size_t size, const wa_solution *s, double v)
{
    if (s->target_is_mean)
        rf_fmt_compact(out, size, v);
    else
        rf_fmt_pct(out, size, v);
}

/* What happens as NAME grows past the crossing, in words, into out. */
static void sentence(char *out, size_t size, const wa_solution *s, const wa_crossing *c)
{
    char level[16], conf[16];
    rf_fmt_level(level, sizeof level, s->level);
    rf_fmt_level(conf, sizeof conf, s->confidence);
    int up = c->rising;
    if (s->target_is_mean)
        snprintf(out, size, "Walking away %s cheaper than %s on average",
                 up ? "becomes" : "stops being", s->offer);
    else if (!strcmp(s->target, "c") || s->level == s->confidence)
        snprintf(out, size, "Walking away %s %s with %s confidence",
                 up ? "beats" : "stops beating", s->offer, conf);
    else if (!strcmp(s->target, "1-c") || s->level == 1 - s->confidence)
        snprintf(out, size, "%s %s walking away with %s confidence", s->offer,
                 up ? "stops beating" : "beats", conf);
    else
        snprintf(out, size, "P(walking away beats %s) %s through %s", s->offer,
                 up ? "rises" : "falls", level);
}

void wa_solve_answer(char *out, size_t size, const wa_solve *sv, size_t i)
{
    const wa_solution *s = wa_solve_solution(sv);
    char a[48], b[48], ef[32], et[32];
    double ends[2] = {s->from, s->to};
    fmt_value(a, sizeof a, s->from, ends + 1, 1);
    fmt_value(b, sizeof b, s->to, ends, 1);
    fmt_figure(ef, sizeof ef, s, s->end_from);
    fmt_figure(et, sizeof et, s, s->end_to);
    const char *what = s->target_is_mean ? "the mean advantage of walking away" : "P(walk beats)";
    if (!s->found) {
        char level[16];
        rf_fmt_level(level, sizeof level, s->level);
        if (s->target_is_mean)
            snprintf(out, size,
                     "No crossing in the range: %s is %s at %s=%s and %s at %s=%s, never 0 in "
                     "between.",
                     what, ef, s->name, a, et, s->name, b);
        else
            snprintf(out, size,
                     "No crossing in the range: %s is %s at %s=%s and %s at %s=%s. It stays %s "
                     "%s over the whole range.",
                     what, ef, s->name, a, et, s->name, b,
                     s->end_from >= s->level ? "at or above" : "below", level);
        return;
    }
    const wa_crossing *c = wa_solve_crossing(sv, i < s->ncrossings ? i : 0);
    char v[48], lo[48], hi[48], says[512];
    double around[2] = {c->interval[0], c->interval[1]};
    fmt_value(v, sizeof v, c->value, around, 2);
    double lv[2] = {c->value, c->interval[1]}, hv[2] = {c->value, c->interval[0]};
    fmt_value(lo, sizeof lo, c->interval[0], lv, 2);
    fmt_value(hi, sizeof hi, c->interval[1], hv, 2);
    sentence(says, sizeof says, s, c);
    snprintf(out, size, "%s once %s exceeds %s; %s\u2013%s given Monte Carlo error.", says,
             s->name, v, lo, hi);
}

static void one(FILE *f, const wa_solve *sv)
{
    const wa_solution *s = wa_solve_solution(sv);
    char trials[32], conf[16], a[48], b[48];
    rf_fmt_whole(trials, sizeof trials, (double)s->trials);
    rf_fmt_level(conf, sizeof conf, s->confidence);
    fprintf(f, "%s\n", s->scenario && s->scenario[0] ? s->scenario : "(unnamed scenario)");
    fprintf(f, "  File:        %s\n", s->file ? s->file : "");
    fprintf(f, "  Variant:     %s\n", s->variant ? s->variant : "(base scenario)");
    fprintf(f, "  Trials:      %s a run (%s, seed %llu), the same draws in every run\n", trials,
            wa_method_name(s->method), (unsigned long long)s->seed);
    fprintf(f, "  Confidence:  %s\n", conf);
    double ends[2] = {s->from, s->to};
    fmt_value(a, sizeof a, s->from, ends + 1, 1);
    fmt_value(b, sizeof b, s->to, ends, 1);
    fprintf(f, "  Solved for:  %s from %s to %s\n", s->name, a, b);
    fprintf(f, "  Offer:       %s\n", s->offer);
    if (s->target_is_mean) {
        fputs("  Target:      mean advantage of walking away = 0\n", f);
    } else {
        char level[16];
        rf_fmt_level(level, sizeof level, s->level);
        fprintf(f, "  Target:      P(walk beats) = %s\n", level);
    }
    fprintf(f, "  Runs:        %zu (%.2f s)\n\n", s->runs, s->elapsed_s);

    char text[2048];
    if (!s->found) {
        wa_solve_answer(text, sizeof text, sv, 0);
        rf_wrap(f, text, 79);
        return;
    }
    for (size_t i = 0; i < s->ncrossings; i++) {
        char says[2000], num[24] = "";
        wa_solve_answer(says, sizeof says, sv, i);
        if (s->ncrossings > 1) /* several: numbered, lowest value first */
            snprintf(num, sizeof num, "%zu. ", i + 1);
        snprintf(text, sizeof text, "%s%s", num, says);
        rf_wrap(f, text, 79);
    }
    fputc('\n', f);
    char ef[32], et[32];
    fmt_figure(ef, sizeof ef, s, s->end_from);
    fmt_figure(et, sizeof et, s, s->end_to);
    snprintf(text, sizeof text, "%s at %s=%s: %s; at %s=%s: %s.",
             s->target_is_mean ? "The mean advantage of walking away" : "P(walk beats)",
             s->name, a, ef, s->name, b, et);
    rf_wrap(f, text, 79);
}

int wa_report_solve_text_item(FILE *f, const wa_solve *s)
{
    one(f, s);
    return ferror(f) ? -1 : 0;
}
