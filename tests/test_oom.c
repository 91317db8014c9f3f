/*
 * test_oom.c — every allocation failure, provoked in turn (as SQLite's malloc tests do).
 *
 * The library's allocator hook (wa_config_allocator) is pointed at a counting allocator
 * that fails the k-th request. Each bundled scenario is worked through in phases — loading
 * it; the run of the base and of every variant with its report in every format; a sweep;
 * a solve, with their reports — and each phase is first run with no failure to count its
 * N allocations, then once for every k in 1..N. Every time, each call must end in WA_OK (the code got round the
 * failure) or WA_ENOMEM and nothing else; a WA_ENOMEM must say it was memory (its error
 * diagnostic, or none at all when not even that could be allocated, which is where
 * wa_status_text's static text takes over); and once everything is freed no block may be
 * left (the allocator counts the live ones). A second pass makes every request from the
 * k-th on fail ("persistent" failures), for every 7th k. A solve is some forty runs of
 * the same code, so only its first 2,000 requests are failed in turn, then every 997th.
 *
 * One thread, so that the k-th request is the same one every time.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom/failing_alloc.h"
#include "walkaway.h"

/* Every k by default; the sanitized build, several times slower, takes every 13th. */
#ifndef WA_OOM_STRIDE
#define WA_OOM_STRIDE 1
#endif

/* ---- the counting allocator (fail_at, persistent, calls, live) ------------------- */

static void install(void)
{
    cr_assert_eq(failing_alloc_install(), WA_OK);
}

/* ---- the phases --------------------------------------------------------------------- */

/* How one phase ended. Its calls are numbered in order (a failed one ends the phase), so
   that each can be compared with the same call of the clean run. */
typedef struct {
    wa_status st[512]; /* each call's status */
    int ncalls;
    int enomem;     /* some call gave WA_ENOMEM */
    int bad;        /* some call gave a status other than WA_OK and WA_ENOMEM */
    int silent;     /* a WA_ENOMEM whose diagnostics name another cause */
    char what[256]; /* the first bad or silent call */
} outcome;

static const outcome *reference; /* the clean run's, once known */

/* Each call must end as in the clean run, or in WA_ENOMEM; a WA_ENOMEM must say "memory"
   in its first error, if it could record one. */
static void judge(outcome *o, wa_status st, const wa_diagnostics *d, const char *call)
{
    int i = o->ncalls < 512 ? o->ncalls++ : 511;
    o->st[i] = st;
    wa_status expected = reference ? reference->st[i] : st;
    if (st == expected && st != WA_ENOMEM)
        return;
    if (st != WA_ENOMEM) {
        if (!o->bad)
            snprintf(o->what, sizeof o->what, "%s (call %d) gave '%s', not '%s'", call, i,
                     wa_status_text(st), wa_status_text(expected));
        o->bad = 1;
        return;
    }
    o->enomem = 1;
    for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
        const wa_diagnostic *g = wa_diagnostics_get(d, i);
        if (g->severity != WA_ERROR)
            continue;
        if (!strstr(g->message, "memory")) {
            if (!o->silent && !o->bad)
                snprintf(o->what, sizeof o->what, "%s: '%s'", call, g->message);
            o->silent = 1;
        }
        return;
    }
}

static void reports(outcome *o, const wa_result *r)
{
    static char buf[1 << 16];
    for (int f = 0; f <= WA_FORMAT_HTML; f++)
        judge(o, wa_report_buffer((wa_format)f, &r, 1, buf, sizeof buf, NULL), NULL, "report");
}

/* Chart i of a sweep (or, sw NULL, of a solve) into buf, through a memory stream (the C
   library's allocator, not the one under test). */
static wa_status chart_into(char *buf, size_t size, const wa_sweep *sw, const wa_solve *so,
                            size_t i)
{
    FILE *m = fmemopen(buf, size, "w");
    if (!m)
        return WA_EIO;
    wa_status st = sw ? wa_sweep_chart_write(m, sw, i) : wa_solve_chart_write(m, so, i);
    fclose(m);
    return st;
}

/* A constant input to sweep and solve over, with its value. */
static const char *constant_input(const wa_scenario *sc, double *value)
{
    for (size_t i = 0; i < wa_scenario_input_count(sc); i++) {
        const wa_input_summary *in = wa_scenario_input_info(sc, i);
        if (in && strcmp(in->kind, "constant") == 0 && in->value > 0) {
            *value = in->value;
            return in->name;
        }
    }
    return NULL;
}

/* What a phase works on: made before the counting starts, freed after it ends. */
typedef struct {
    const char *path;
    wa_scenario *sc;
    long variant;
    uint64_t trials;
    const char *vary;   /* a constant input to sweep and solve over, and its value: found */
    double vary_value;  /* before the counting, since the inputs' summaries are made once */
} job;

typedef void (*phase)(job *j, outcome *o);

static void load_phase(job *j, outcome *o)
{
    wa_diagnostics *d = wa_diagnostics_new();
    if (!d) {
        o->enomem = 1; /* said by the NULL, as documented */
        return;
    }
    wa_scenario *sc = NULL;
    judge(o, wa_scenario_load(j->path, &sc, d), d, "load");
    /* The inputs' summaries are made on the first call: a NULL when that runs out of
       memory (said by the NULL, as documented), else every one as in the clean run. */
    static size_t clean_got;
    size_t n = wa_scenario_input_count(sc), got = 0;
    if (n && reference && clean_got && !wa_scenario_input_info(sc, 0)) {
        o->enomem = 1;
    } else {
        for (size_t i = 0; i < n; i++)
            got += wa_scenario_input_info(sc, i) != NULL;
        if (!reference)
            clean_got = got;
        else if (sc && got != clean_got) {
            if (!o->bad)
                snprintf(o->what, sizeof o->what, "%zu input summaries, not %zu", got, clean_got);
            o->bad = 1;
        }
    }
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
}

static void run_phase(job *j, outcome *o)
{
    wa_diagnostics *d = wa_diagnostics_new();
    if (!d) {
        o->enomem = 1;
        return;
    }
    wa_run_options opt;
    wa_run_options_init(&opt, sizeof opt);
    opt.trials = j->trials;
    opt.threads = 1;
    opt.variant = j->variant;
    wa_result *r = NULL;
    wa_status st = wa_run(j->sc, &opt, &r, d);
    judge(o, st, d, "run");
    wa_diagnostics_clear(d);
    if (st == WA_OK)
        reports(o, r);
    wa_result_free(r);
    wa_diagnostics_free(d);
}

/* What a study phase starts from: its diagnostics, options and the input it varies.
   NULL when there is nothing to vary or no list could be made (o says which). */
static wa_diagnostics *study_start(job *j, outcome *o, wa_run_options *opt, const char **name,
                                   double *v)
{
    *name = j->vary;
    *v = j->vary_value;
    wa_diagnostics *d = *name ? wa_diagnostics_new() : NULL;
    if (*name && !d)
        o->enomem = 1;
    wa_run_options_init(opt, sizeof *opt);
    opt->trials = j->trials;
    opt->threads = 1;
    return d;
}

static void sweep_phase(job *j, outcome *o)
{
    wa_run_options opt;
    const char *name;
    double v = 0;
    wa_diagnostics *d = study_start(j, o, &opt, &name, &v);
    if (!d)
        return;
    char vary[256];
    snprintf(vary, sizeof vary, "%s=%.17g:%.17g:3", name, 0.5 * v, 1.5 * v);
    const char *const grid[1] = {vary};
    wa_sweep *sw = NULL;
    wa_status st = wa_sweep_run(j->sc, &opt, grid, 1, &sw, d);
    judge(o, st, d, "sweep");
    wa_diagnostics_clear(d);
    if (st == WA_OK) {
        static char buf[1 << 16];
        const wa_sweep *const one[1] = {sw};
        for (int f = 0; f <= WA_FORMAT_HTML; f++)
            judge(o, wa_report_sweep_buffer((wa_format)f, one, 1, buf, sizeof buf, NULL), NULL,
                  "sweep report");
        for (size_t i = 0; i < wa_sweep_chart_count(sw); i++)
            judge(o, chart_into(buf, sizeof buf, sw, NULL, i), NULL, "sweep chart");
    }
    wa_sweep_free(sw);
    wa_diagnostics_free(d);
}

static void solve_phase(job *j, outcome *o)
{
    wa_run_options opt;
    const char *name;
    double v = 0;
    wa_diagnostics *d = study_start(j, o, &opt, &name, &v);
    if (!d)
        return;
    char vary[256];
    snprintf(vary, sizeof vary, "%s=%.17g:%.17g", name, 0.5 * v, 2 * v);
    wa_solve *so = NULL;
    wa_status st = wa_solve_run(j->sc, &opt, vary, wa_scenario_offer_name(j->sc, 0), "0.5", &so, d);
    judge(o, st, d, "solve");
    wa_diagnostics_clear(d);
    if (st == WA_OK) {
        static char buf[1 << 16];
        const wa_solve *const one[1] = {so};
        for (int f = 0; f <= WA_FORMAT_HTML; f++)
            judge(o, wa_report_solve_buffer((wa_format)f, one, 1, buf, sizeof buf, NULL), NULL,
                  "solve report");
        judge(o, chart_into(buf, sizeof buf, NULL, so, 0), NULL, "solve chart");
    }
    wa_solve_free(so);
    wa_diagnostics_free(d);
}

/* ---- the sweep over k --------------------------------------------------------------- */

/* Runs the phase clean to count its N allocations, then once for every stride-th k up
   to dense and every stride·sparse-th beyond (and every stride·stride_persistent-th,
   likewise thinned beyond dense, in the persistent mode): nothing but its clean
   statuses or WA_ENOMEM, said, and no block left beyond those live before. */
static void every_failure(const char *what, phase f, job *j, long stride_persistent,
                          long dense, long sparse, long stride)
{
    static outcome clean;
    fail_at = 0;
    reference = NULL;
    long before = atomic_load(&live);
    atomic_store(&calls, 0);
    memset(&clean, 0, sizeof clean);
    f(j, &clean);
    long n = atomic_load(&calls);
    cr_assert(!clean.enomem, "%s: the clean run ran out of memory", what);
    cr_assert_eq(atomic_load(&live), before, "%s: the clean run leaked %ld blocks", what,
                 atomic_load(&live) - before);
    reference = &clean;
    long ok = 0, oom = 0;
    for (int mode = 0; mode < 2; mode++) {
        persistent = mode;
        long step = mode ? stride_persistent * stride : stride;
        for (long k = 1; k <= n; k += k < dense ? step : step * sparse) {
            static outcome o;
            memset(&o, 0, sizeof o);
            fail_at = k;
            atomic_store(&calls, 0);
            f(j, &o);
            const char *how = mode ? "and every one after" : "alone";
            cr_assert(!o.bad, "%s: allocation %ld of %ld failed (%s): %s", what, k, n, how, o.what);
            cr_assert(!o.silent, "%s: allocation %ld of %ld failed (%s), not said: %s", what, k, n,
                      how, o.what);
            cr_assert_eq(atomic_load(&live), before,
                         "%s: allocation %ld of %ld failed (%s): %ld blocks leaked", what, k, n,
                         how, atomic_load(&live) - before);
            o.enomem ? oom++ : ok++;
        }
    }
    fail_at = 0;
    persistent = 0;
    reference = NULL;
    if (n > 0) /* the failures must have been seen: most give a clean WA_ENOMEM */
        cr_assert_gt(oom, ok, "%s: %ld failures gave WA_ENOMEM, %ld were absorbed", what, oom, ok);
    cr_log_info("%s: %ld allocations; %ld failures reported, %ld absorbed", what, n, oom, ok);
}

/* Every phase of one scenario: loading it, the run of the base and of each variant with
   their reports, a sweep and a solve with theirs. */
static void scenario(const char *file, uint64_t trials, long stride, long stride_persistent)
{
    char path[4096], what[4400];
    snprintf(path, sizeof path, "%s/%s", WA_SCENARIOS, file);
    install();
    job j = {.path = path, .trials = trials, .variant = -1};
    snprintf(what, sizeof what, "%s, load", file);
    every_failure(what, load_phase, &j, stride_persistent, LONG_MAX, 1, stride);
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_scenario_load(path, &j.sc, d), WA_OK);
    wa_diagnostics_free(d);
    j.vary = constant_input(j.sc, &j.vary_value);
    for (long v = -1; v < (long)wa_scenario_variant_count(j.sc); v++) {
        j.variant = v;
        snprintf(what, sizeof what, "%s, run of %s", file,
                 v < 0 ? "the base" : wa_scenario_variant_name(j.sc, (size_t)v));
        every_failure(what, run_phase, &j, stride_persistent, LONG_MAX, 1, stride);
    }
    j.trials = trials / 4;
    snprintf(what, sizeof what, "%s, sweep", file);
    every_failure(what, sweep_phase, &j, stride_persistent, LONG_MAX, 1, stride);
    snprintf(what, sizeof what, "%s, solve", file);
    /* a solve is some forty runs of the same code: every k over its first run, then a
       sample */
    every_failure(what, solve_phase, &j, stride_persistent, 2000, 997, stride);
    wa_scenario_free(j.sc);
    cr_assert_eq(atomic_load(&live), 0, "%s: %ld blocks left", file, atomic_load(&live));
    wa_config_allocator(NULL);
}

Test(oom, the_hook_refuses_an_incomplete_allocator)
{
    wa_allocator a = {sizeof a, t_malloc, NULL, t_free, NULL};
    cr_assert_eq(wa_config_allocator(&a), WA_EUSAGE);
    a.realloc_fn = t_realloc;
    a.size = 8;
    cr_assert_eq(wa_config_allocator(&a), WA_EUSAGE);
    cr_assert_eq(wa_config_allocator(NULL), WA_OK);
}

/* Every bundled scenario, so that a new one is covered without editing this file. */
Test(oom, every_allocation_failure_over_every_bundled_scenario, .timeout = 1800)
{
    DIR *dir = opendir(WA_SCENARIOS);
    cr_assert_not_null(dir);
    char names[64][256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) && n < 64;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(dir);
    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++)
        scenario(names[i], 128, WA_OOM_STRIDE, 7);
}
