/*
 * run.c — wa_run: options → the model to run (base, variant, --set changes) → simulate →
 * summarise.
 *
 * The scenario is only read: a variant's model was built at load time; --set changes are
 * compiled here into a model of their own, from the scenario's kept YAML tree, and freed
 * with the run. Per-trial storage is one array of present values per option (the series
 * the quantiles need) when it fits the memory budget, else one window of them.
 */
#include <math.h>
#include <stddef.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "util/bigalloc.h"
#include "load/model.h"
#include "simulate/simulate.h"
#include "simulate/trials.h"
#include "sample/sobol.h"
#include "load/source.h"
#include "summary/stats.h"
#include "summary/summarise.h"
#include "insight/insight.h"
#include "load/yamldoc.h"
#include "run/run.h"
#include "util/alloc.h"

/* Per-trial results kept in memory at most (bytes): wa_run_options.memory, by default
   half the physical memory. Beyond it a run keeps a window of trials instead (trials.h)
   rather than being left to the operating system's out-of-memory killer. */
static double memory_budget(const wa_run_options *o)
{
    if (o->memory > 0)
        return o->memory;
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0)
        return (double)pages * (double)size / 2;
    return 4.0 * 1024 * 1024 * 1024; /* the machine does not say: a small machine's half */
}

/* The size of the first version's wa_run_options: a caller compiled against it (or a
   later header) passes at least this much. */
#define RUN_OPTIONS_V1 (offsetof(wa_run_options, progress_ctx) + sizeof(void *))

void wa_run_options_init(wa_run_options *o, size_t size)
{
    if (!o)
        return;
    /* Fill what both sides know: a caller compiled against an older header has a
       smaller struct, and nothing past its size may be written. */
    wa_run_options d;
    memset(&d, 0, sizeof d);
    d.method = WA_METHOD_DEFAULT;
    d.variant = -1;
    d.size = size;
    memcpy(o, &d, size < sizeof d ? size : sizeof d);
}

wa_status wa_run_options_read(const wa_run_options *opt, wa_run_options *o, wa_diagnostics *d)
{
    wa_run_options_init(o, sizeof *o);
    if (!opt)
        return WA_OK;
    if (opt->size < RUN_OPTIONS_V1) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "wa_run_options.size is %zu: call wa_run_options_init(&o, sizeof o) first",
                    opt->size);
        return WA_EUSAGE;
    }
    memcpy(o, opt, opt->size < sizeof *o ? opt->size : sizeof *o);
    o->size = sizeof *o;
    if (!(o->memory >= 0) || !isfinite(o->memory)) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "wa_run_options.memory is %g: a number of bytes, or 0 for the default",
                    o->memory);
        return WA_EUSAGE;
    }
    return WA_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sets_free(sets *s)
{
    for (size_t i = 0; i < s->n; i++) {
        yd_free(s->doc[i]);
        wa_source_free(s->src[i]);
    }
    wa_free(s->src);
    wa_free(s->doc);
    wa_free(s->ov);
    wa_free(s->label);
}

/* Parses each "NAME=VALUE" of opt->sets (VALUE in scenario syntax); base_ov are the
   variant's own changes, kept first so that --set wins. */
static wa_status sets_parse(const wa_run_options *opt, const wa_variant *var, sets *s,
                            wa_diagnostics *d)
{
    memset(s, 0, sizeof *s);
    size_t nv = var ? var->set->n : 0;
    size_t total = nv + opt->nsets;
    s->src = wa_calloc(opt->nsets + 1, sizeof *s->src);
    s->doc = wa_calloc(opt->nsets + 1, sizeof *s->doc);
    s->ov = wa_calloc(total + 1, sizeof *s->ov);
    size_t label_len = 1;
    for (size_t i = 0; i < opt->nsets; i++)
        label_len += strlen(opt->sets[i]) + 2;
    s->label = wa_calloc(label_len, 1);
    if (!s->src || !s->doc || !s->ov || !s->label)
        return WA_ENOMEM;
    for (size_t i = 0; i < nv; i++) {
        s->ov[i].name = yd_key(var->set, i)->str;
        s->ov[i].value = yd_val(var->set, i);
        s->ov[i].loc.line = yd_key(var->set, i)->line;
        s->ov[i].loc.col = yd_key(var->set, i)->col;
    }
    wa_status st = WA_OK;
    size_t k = nv;
    for (size_t i = 0; i < opt->nsets; i++) {
        const char *arg = opt->sets[i];
        const char *eq = arg ? strchr(arg, '=') : NULL;
        if (!eq || eq == arg) {
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                        "--set needs NAME=VALUE, not '%s'", arg ? arg : "");
            st = WA_EUSAGE;
            continue;
        }
        /* The value is parsed as YAML on its own; the source is named after the option so
           that an error reads "--set migration:1:7: error: ...". */
        char name[160];
        snprintf(name, sizeof name, "--set %.*s", (int)(eq - arg > 100 ? 100 : eq - arg), arg);
        if (wa_source_from_buffer(eq + 1, strlen(eq + 1), name, &s->src[s->n], d) != WA_OK) {
            st = WA_EINVALID;
            continue;
        }
        wa_status ps = yd_parse(s->src[s->n], &s->doc[s->n], d);
        s->n++;
        if (ps != WA_OK) {
            st = WA_EINVALID;
            continue;
        }
        const yd_node *v = yd_root(s->doc[s->n - 1]);
        if (!v) {
            wa_diag_add(d, WA_ERROR, WA_EINVALID, s->src[s->n - 1], 0, 0, "--set %s has no value",
                        arg);
            st = WA_EINVALID;
            continue;
        }
        /* the name is the text before '=', kept in the source's name after "--set " */
        s->ov[k].name = s->src[s->n - 1]->name + 6;
        s->ov[k].value = v;
        s->ov[k].src = s->src[s->n - 1];
        /* a name that is no input is reported against "--set NAME" alone: there is no
           line of a file to show */
        s->ov[k].loc.line = 0;
        s->ov[k].loc.col = 0;
        k++;
        if (s->label[0])
            strcat(s->label, ", ");
        strcat(s->label, arg);
    }
    return st;
}

/* The first round of a run with precision stopping: 16 blocks. */
#define PRECISION_FIRST ((uint64_t)16 * WA_BLOCK)

/* Grows each option's per-trial array from `have` to `want` trials, keeping what it holds
   (within the memory budget: the callers checked, wa_run_plan_fits). */
static wa_status grow(double **pv, size_t nopt, uint64_t have, uint64_t want, wa_diagnostics *d)
{
    for (size_t o = 0; o < nopt; o++) {
        double *p = wa_big_alloc(want * sizeof *p);
        if (!p) {
            wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for %llu trials",
                        (unsigned long long)want);
            return WA_ENOMEM;
        }
        if (have)
            memcpy(p, pv[o], have * sizeof *p);
        wa_big_free(pv[o]);
        pv[o] = p;
    }
    return WA_OK;
}

/* Whether every offer's 95% interval of p_walk_beats (wa_beats_interval) over the first n
   trials has a
   half-width of at most h; *widest and *which get the widest one. The walk is the one the
   summary would choose: named, the only one, or the lowest mean so far. */
static int precision_reached(const wa_model *m, wa_trials *tr, double h, unsigned replicates,
                             double *widest, size_t *which)
{
    size_t walk = m->walk;
    if (m->walk_rule == WA_WALK_BEST) {
        double best = 0;
        for (size_t a = 0; a < m->noptions - m->noffers; a++) {
            wa_series s = wa_series_one(tr, m->noffers + a);
            double mean, sd;
            wa_series_mean_sd(&s, &mean, &sd);
            if (a == 0 || mean < best) {
                best = mean;
                walk = a;
            }
        }
    }
    *widest = 0;
    *which = 0;
    for (size_t k = 0; k < m->noffers; k++) {
        double ci[2];
        wa_series d = wa_series_minus(tr, k, m->noffers + walk);
        wa_beats_interval(&d, replicates, ci);
        if ((ci[1] - ci[0]) / 2 > *widest || k == 0) {
            *widest = (ci[1] - ci[0]) / 2;
            *which = k;
        }
    }
    return *widest <= h;
}

void wa_run_plan_free(wa_run_plan *p)
{
    if (!p)
        return;
    if (p->has_sets) {
        wa_model_free(p->own);
        sets_free(&p->ss);
    }
    wa_free(p->label);
    for (size_t i = 0; p->value_sets && i < p->o.nvalues; i++)
        wa_free(p->value_sets[i]);
    wa_free(p->value_sets);
    wa_free((void *)p->all_sets);
    memset(p, 0, sizeof *p);
}

/* o.values become --set changes "NAME=VALUE" after o.sets, printed with 17 significant
   digits (the double comes back exactly), so that they are checked and applied the same
   way. WA_OK, WA_EUSAGE for a value that is not a finite number, WA_ENOMEM. */
static wa_status merge_values(wa_run_plan *p, wa_diagnostics *d)
{
    size_t nv = p->o.nvalues, ns = p->o.nsets;
    if (!nv)
        return WA_OK;
    for (size_t i = 0; i < nv; i++)
        if (!p->o.values[i].name || !isfinite(p->o.values[i].value)) {
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                        "wa_run_options.values[%zu]: a name and a finite number, not %s = %g", i,
                        p->o.values[i].name ? p->o.values[i].name : "(null)", p->o.values[i].value);
            return WA_EUSAGE;
        }
    p->value_sets = wa_calloc(nv, sizeof *p->value_sets);
    p->all_sets = wa_calloc(ns + nv, sizeof *p->all_sets);
    if (!p->value_sets || !p->all_sets)
        return WA_ENOMEM;
    for (size_t i = 0; i < ns; i++)
        p->all_sets[i] = p->o.sets[i];
    for (size_t i = 0; i < nv; i++) {
        size_t len = strlen(p->o.values[i].name) + 32;
        if (!(p->value_sets[i] = wa_malloc(len)))
            return WA_ENOMEM;
        snprintf(p->value_sets[i], len, "%s=%.17g", p->o.values[i].name, p->o.values[i].value);
        p->all_sets[ns + i] = p->value_sets[i];
    }
    p->o.sets = p->all_sets;
    p->o.nsets = ns + nv;
    return WA_OK;
}

wa_status wa_run_plan_make(const wa_scenario *sc, const wa_run_options *opt, wa_run_plan *p,
                           wa_diagnostics *d)
{
    memset(p, 0, sizeof *p);
    if (wa_run_options_read(opt, &p->o, d) != WA_OK)
        return WA_EUSAGE;
    wa_status vs = merge_values(p, d);
    if (vs != WA_OK) {
        if (vs == WA_ENOMEM)
            wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
        return vs;
    }
    opt = &p->o;
    p->sc = sc;
    const wa_settings *st = &sc->settings;
    p->trials = opt->trials ? opt->trials : st->trials;
    p->seed = opt->has_seed ? opt->seed : st->seed;
    p->method = opt->method != WA_METHOD_DEFAULT ? opt->method : st->method;
    p->replicates = p->method == WA_METHOD_SOBOL ? st->replicates : 0;
    p->conf = opt->confidence != 0 ? opt->confidence : st->confidence;
    const char *file = sc->src->name;

    if (p->trials > 10000000000ULL) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "trials must be from 1 to 10000000000, not %llu", (unsigned long long)p->trials);
        return WA_EUSAGE;
    }
    if (!(p->conf > 0 && p->conf < 1)) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                    "confidence must be between 0 and 1 (exclusive), not %g", p->conf);
        return WA_EUSAGE;
    }
    if (!wa_method_name(p->method)) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "unknown sampling method %d", (int)p->method);
        return WA_EUSAGE;
    }
    if (opt->threads < 0) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "threads must be 0 (all cores) or more, not %d",
                    opt->threads);
        return WA_EUSAGE;
    }
    if (opt->variant < -1 || (opt->variant >= 0 && (size_t)opt->variant >= sc->nvariants)) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "no variant number %ld in %s", opt->variant,
                    file);
        return WA_EUSAGE;
    }
    p->threads = opt->threads ? opt->threads : omp_get_num_procs();
    const wa_variant *var = opt->variant >= 0 ? &sc->variants[opt->variant] : NULL;
    p->m = sc->base;

    /* a variant or --set changes: a model of their own, its quantile tables copied from
       the base's where the distribution is the same */
    wa_status rc = WA_OK;
    if (opt->nsets || var) {
        p->has_sets = 1;
        rc = sets_parse(opt, var, &p->ss, d);
        if (rc == WA_OK) {
            for (size_t i = 0; i < (var ? var->set->n : 0); i++)
                p->ss.ov[i].src = sc->src;
            rc = wa_model_build(sc->src, yd_root(sc->doc), p->ss.ov,
                                (var ? var->set->n : 0) + p->ss.n, sc->base, WA_BUILD_FULL, &p->own,
                                d);
            if (rc == WA_OK && wa_model_share_copula(p->own, sc->base) != WA_OK) {
                wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
                rc = WA_ENOMEM;
            }
        }
        if (rc != WA_OK) {
            wa_run_plan_free(p);
            return rc;
        }
        p->m = p->own;
    }
    const wa_model *m = p->m;

    /* Sobol' dimensions belong to names (load/dimensions.c): a --set model's are given now */
    unsigned ndims = p->own ? wa_model_assign_dims(p->own, sc->base) : 0;
    for (size_t i = 0; i < m->ninputs; i++)
        if (m->inputs[i].kind == WA_IN_SAMPLED && m->inputs[i].dim + 1 > ndims)
            ndims = m->inputs[i].dim + 1;
    for (size_t j = 0; j < m->nghosts; j++)
        if (m->ghosts[j].dim + 1 > ndims)
            ndims = m->ghosts[j].dim + 1;
    if (p->method == WA_METHOD_SOBOL && ndims > WA_SOBOL_MAXDIM) {
        wa_diag_add(d, WA_ERROR, WA_EINVALID, sc->src, 0, 0,
                    "sobol sampling has %d dimensions and this scenario needs %u (one per sampled input); use latin-hypercube or monte-carlo",
                    WA_SOBOL_MAXDIM, ndims);
        wa_run_plan_free(p);
        return WA_EINVALID;
    }
    if (opt->nsets) {
        size_t len = strlen(p->ss.label) + (var ? strlen(var->name) + 2 : 0) + 1;
        p->label = wa_malloc(len);
        if (!p->label) {
            wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
            wa_run_plan_free(p);
            return WA_ENOMEM;
        }
        snprintf(p->label, len, "%s%s%s", var ? var->name : "", var ? ", " : "", p->ss.label);
    } else if (var) {
        p->label = wa_strdup(var->name);
        if (!p->label) {
            wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
            wa_run_plan_free(p);
            return WA_ENOMEM;
        }
    }
    return WA_OK;
}

wa_status wa_run_plan_alloc(const wa_run_plan *p, double **pv, wa_diagnostics *d)
{
    return grow(pv, wa_model_nseries(p->m), 0, p->trials, d);
}

wa_status wa_run_plan_simulate(const wa_run_plan *p, const unsigned char *options,
                               double *const *pv, struct wa_sim_pool *pool, wa_diagnostics *d)
{
    wa_sim_request rq = {p->m,      0,          p->trials,     p->trials,          p->seed,
                         p->method, p->threads, p->o.progress, p->o.progress_ctx, options,
                         pool,      p->replicates, p->o.progress_cancel, 0, NULL};
    return wa_simulate(&rq, pv, d);
}

wa_result *wa_run_plan_summarise(const wa_run_plan *p, wa_trials *tr,
                                 const char *extra_warning, const wa_result *reuse,
                                 const unsigned char *same)
{
    uint64_t trials = tr->n;
    const wa_model *m = p->m;
    const char *warnings[5];
    size_t nw = 0;
    if (m->corr_note)
        warnings[nw++] = m->corr_note;
    if (m->per_year_note && !p->o.no_insight)
        warnings[nw++] = m->per_year_note;
    if (m->corr_warning)
        warnings[nw++] = m->corr_warning;
    if (extra_warning)
        warnings[nw++] = extra_warning;
    wa_run_info info = {p->sc->src->name, p->sc->name,    p->label,  p->sc->currency,
                        p->sc->description, trials,       p->seed,   p->method,
                        p->conf,            warnings,     nw,        p->threads,
                        p->replicates};
    return wa_summarise(m, &info, tr, reuse, same);
}

int wa_run_plan_insight(const wa_run_plan *p, wa_trials *tr, wa_result *r)
{
    if (p->o.no_insight)
        return 0;
    wa_insight_request rq = {p->m, tr, tr->n, p->seed, p->method, p->threads, p->replicates};
    return wa_insight(&rq, r);
}

static wa_status run_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                               wa_result **out, wa_diagnostics *d);

wa_status wa_run(const wa_scenario *sc, const wa_run_options *opt, wa_result **out,
                 wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, run_unsettled(sc, opt, out, use));
}

int wa_run_plan_fits(const wa_run_plan *p, double copies)
{
    double bytes = copies * (double)wa_model_nseries(p->m) * (double)p->trials * sizeof(double);
    return bytes <= memory_budget(&p->o);
}

/* The trials of a run beyond the memory budget: windows as large as the budget allows. */
static wa_status windows(const wa_run_plan *p, uint64_t cap, wa_trials *tr, wa_diagnostics *d)
{
    size_t ns = wa_model_nseries(p->m);
    double fit = memory_budget(&p->o) / ((double)(ns ? ns : 1) * sizeof(double));
    uint64_t wcap = fit < (double)cap ? (uint64_t)fit : cap;
    wa_sim_request rq = {p->m,      0,          0,           cap,
                         p->seed,   p->method,  p->threads,  p->o.progress,
                         p->o.progress_ctx, NULL, NULL, p->replicates,
                         p->o.progress_cancel, 0, NULL};
    return wa_trials_windows(tr, &rq, ns, wcap, d);
}

wa_status wa_run_plan_result(const wa_run_plan *p, int rounds, int insight, wa_result **out,
                             wa_diagnostics *d)
{
    const wa_settings *st = &p->sc->settings;
    const wa_model *m = p->m;
    size_t ns = wa_model_nseries(m);
    double **pv = NULL;
    wa_result *r = NULL;
    wa_trials tr;
    memset(&tr, 0, sizeof tr);
    wa_status rc = WA_OK;
    *out = NULL;
    int precision = rounds && st->has_precision;

    /* Precision stopping (simulation.precision): rounds of PRECISION_FIRST trials, then
       twice as many each time, up to `trials`; after each round every offer's 95% interval
       is checked. Round sizes depend on nothing but the settings, so where a run stops
       depends only on its results: the same for any thread count. The per-trial arrays
       grow with the rounds, so a generous cap costs nothing until it is needed. Beyond
       the memory budget (SPEC 5) the trials are simulated window by window, and a
       summary's every pass over them simulates them again (trials.h). */
    uint64_t cap = p->trials, done_n = 0;
    uint64_t target = precision && cap > PRECISION_FIRST ? PRECISION_FIRST : cap;
    int windowed = !wa_run_plan_fits(p, 1);
    if (windowed) {
        if ((rc = windows(p, cap, &tr, d)) != WA_OK)
            goto done;
    } else if (!(pv = wa_calloc(ns ? ns : 1, sizeof *pv))) {
        goto oom;
    }
    double widest = 0;
    size_t widest_offer = 0;
    int reached = 0;
    for (;;) {
        if (windowed && !precision) {
            /* drawn by the summary's first pass (trials.h): one simulation fewer */
            memset(tr.tally, 0, wa_sim_tally_size(m) * sizeof *tr.tally);
            wa_trials_defer(&tr, target);
        } else if (windowed) {
            /* the round's non-finite values are said at its end, as a whole round says them */
            memset(tr.tally, 0, wa_sim_tally_size(m) * sizeof *tr.tally);
            rc = wa_trials_extend(&tr, target);
            if (rc == WA_OK)
                rc = wa_sim_tally_report(m, tr.tally, target - done_n, d);
            if (rc != WA_OK)
                goto done;
        } else {
            rc = grow(pv, ns, done_n, target, d);
            if (rc != WA_OK)
                goto done;
            wa_sim_request rq = {m,           done_n,         target,           cap,
                                 p->seed,     p->method,      p->threads,       p->o.progress,
                                 p->o.progress_ctx, NULL, NULL, p->replicates,
                                 p->o.progress_cancel, 0, NULL};
            rc = wa_simulate(&rq, pv, d);
            if (rc != WA_OK)
                goto done;
            wa_trials_whole(&tr, pv, ns, target);
        }
        done_n = target;
        if (!precision)
            break;
        reached = precision_reached(m, &tr, st->precision, p->replicates, &widest,
                                    &widest_offer);
        if (tr.st != WA_OK)
            break;
        if (reached || done_n == cap)
            break;
        target = cap / 2 < done_n ? cap : 2 * done_n;
    }

    char wbuf[1024]; /* the precision warning names an offer: room for a long name */
    const char *extra = NULL;
    if (precision && !reached) {
        snprintf(wbuf, sizeof wbuf,
                 "precision %g not reached: after %llu trials (simulation.trials) the widest 95%% interval of p_walk_beats, for offer '%s', has half-width %.3g",
                 st->precision, (unsigned long long)done_n, m->options[widest_offer].name, widest);
        extra = wbuf;
    }
    if (tr.st == WA_OK)
        r = wa_run_plan_summarise(p, &tr, extra, NULL, NULL);
    if (tr.st != WA_OK) {
        rc = tr.st;
        goto done;
    }
    if (!r)
        goto oom;
    /* the insight's pass is long too: the caller may stop before it */
    if (insight && p->o.progress_cancel && p->o.progress_cancel(p->o.progress_ctx, done_n, done_n)) {
        wa_diag_add(d, WA_ERROR, WA_ECANCELLED, NULL, 0, 0, "the run was cancelled");
        rc = WA_ECANCELLED;
        goto done;
    }
    int failed = insight && wa_run_plan_insight(p, &tr, r);
    if (tr.st != WA_OK) {
        rc = tr.st;
        goto done;
    }
    if (failed)
        goto oom;
    *out = r;
    r = NULL;
    goto done;
oom:
    wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory for %llu trials",
                (unsigned long long)p->trials);
    rc = WA_ENOMEM;
done:
    wa_result_free(r);
    for (size_t o = 0; pv && o < ns; o++)
        wa_big_free(pv[o]);
    wa_free(pv);
    if (windowed)
        wa_trials_free(&tr);
    return rc;
}

static wa_status run_unsettled(const wa_scenario *sc, const wa_run_options *opt,
                               wa_result **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!sc)
        return WA_EUSAGE;
    double t0 = now_s();
    wa_run_plan plan;
    wa_status rc = wa_run_plan_make(sc, opt, &plan, d);
    if (rc != WA_OK)
        return rc;
    rc = wa_run_plan_result(&plan, 1, 1, out, d);
    if (rc == WA_OK)
        wa_result_set_elapsed(*out, now_s() - t0);
    wa_run_plan_free(&plan);
    return rc;
}
