/*
 * scenario.c — wa_scenario_load: file → YAML tree → checked top level, simulation settings,
 * correlations and variants, and the compiled model of the base and of every variant.
 *
 * Top-level grammar (SPEC §1):
 *   walkaway: 1            required
 *   name, description, currency: text
 *   horizon, discount_rate, risk_tolerance, inputs, offers, alternatives, walk
 *                          compiled by wa_model_build (load/model.c)
 *   simulation: {trials, seed, method, confidence, precision, strict, replicates}
 *   correlations: [[a, b, rho], ...]
 *   variants: [{name, description, set: {input: value, ...}}, ...]
 * Every problem is reported; the scenario is returned only when there are none.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include "load/loader.h"
#include "load/model.h"
#include "load/source.h"
#include "util/names.h"
#include "util/pairs.h"
#include "util/suggest.h"
#include "load/yamldoc.h"
#include "util/alloc.h"

static const char *const root_keys[] = {
    "walkaway", "name",   "description", "currency",     "horizon",      "discount_rate",
    "risk_tolerance", "simulation", "inputs", "correlations", "offers", "alternatives",
    "walk",     "variants", "currencies", "vendor"};

/* Settings and correlations may name constant inputs: resolve against the base model
   when it was built, else only tell known names (quietly in error) from unknown ones. */
typedef struct top {
    lctx lc;
    const wa_model *m;
    const yd_node *inputs;
    const char **names;
    size_t nnames;
} top;

static lc_name top_resolve(lctx *lc, const char *name)
{
    top *t = lc->owner;
    lc_name r = {0, 0, 0, 0, -1, NULL, NULL};
    if (t->m) {
        for (size_t i = 0; i < t->m->ninputs; i++) {
            const wa_input *in = &t->m->inputs[i];
            if (!in->hidden && !strcmp(in->name, name)) {
                r.found = 1;
                r.is_const = in->kind == WA_IN_CONST;
                r.value = in->value;
                r.slot = in->slot;
                return r;
            }
        }
        return r;
    }
    if (yd_get(t->inputs, name)) {
        r.found = 1;
        r.bad = 1;
    }
    return r;
}

static const char *const *top_names(lctx *lc, size_t *n)
{
    top *t = lc->owner;
    *n = t->nnames;
    return t->names;
}

const char *wa_method_name(wa_method m)
{
    switch (m) {
    case WA_METHOD_MONTE_CARLO: return "monte-carlo";
    case WA_METHOD_LATIN_HYPERCUBE: return "latin-hypercube";
    case WA_METHOD_SOBOL: return "sobol";
    default: return NULL;
    }
}

wa_method wa_method_parse(const char *s)
{
    for (int m = WA_METHOD_MONTE_CARLO; m <= WA_METHOD_SOBOL; m++)
        if (s && !strcmp(s, wa_method_name((wa_method)m)))
            return (wa_method)m;
    return WA_METHOD_DEFAULT;
}

static char *text_of(top *t, const yd_node *n, const char *what, const char *dflt)
{
    if (!n)
        return lc_strdup(dflt);
    if (!lc_want(&t->lc, NULL, n, YD_SCALAR, what))
        return lc_strdup(dflt);
    return lc_strdup(n->str);
}

/* A seed written as digits is read exactly (all 64 bits); any other form is a constant
   expression, exact only up to 2^53. */
static void load_seed(top *t, const yd_node *n, uint64_t *out)
{
    if (n->kind == YD_SCALAR && n->len > 0 && n->str[0] >= '0' && n->str[0] <= '9') {
        uint64_t v = 0;
        int digits_only = 1, overflow = 0;
        for (const char *p = n->str; *p; p++) {
            if (*p == '_')
                continue;
            if (*p < '0' || *p > '9') {
                digits_only = 0;
                break;
            }
            unsigned d = (unsigned)(*p - '0');
            if (overflow || v > (UINT64_MAX - d) / 10)
                overflow = 1; /* the digits are still checked: another form is an expression */
            else
                v = v * 10 + d;
        }
        if (digits_only) {
            if (overflow)
                lc_error(&t->lc, NULL, n,
                         "seed must be a whole number from 0 to 18446744073709551615, not %s",
                         n->str);
            else
                *out = v;
            return;
        }
    }
    double v;
    if (lc_const_int(&t->lc, NULL, n, "seed", 0, 9007199254740992.0, &v) == 0)
        *out = (uint64_t)v;
}

static void load_simulation(top *t, const yd_node *sim, wa_settings *s)
{
    static const char *const keys[] = {"trials", "seed",   "method",    "confidence",
                                       "precision", "strict", "replicates"};
    lctx *lc = &t->lc;
    s->trials = 100000;
    s->seed = 1;
    s->method = WA_METHOD_MONTE_CARLO;
    s->confidence = 0.8;
    s->replicates = 16;
    if (!sim)
        return;
    if (!lc_want(lc, NULL, sim, YD_MAP, "simulation"))
        return;
    lc_check_keys(lc, NULL, sim, keys, 7, "simulation");
    const yd_node *n;
    double v;
    if ((n = yd_get(sim, "trials")) && lc_const_int(lc, NULL, n, "trials", 1, 1e10, &v) == 0)
        s->trials = (uint64_t)v;
    if ((n = yd_get(sim, "seed")))
        load_seed(t, n, &s->seed);
    if ((n = yd_get(sim, "method")) && lc_want(lc, NULL, n, YD_SCALAR, "method")) {
        static const char *const methods[] = {"monte-carlo", "latin-hypercube", "sobol"};
        wa_method m = wa_method_parse(n->str);
        const char *sug = wa_suggest(n->str, n->len, methods, 3);
        if (m == WA_METHOD_DEFAULT && sug)
            lc_error(lc, NULL, n, "unknown method '%s'; did you mean '%s'?", n->str, sug);
        else if (m == WA_METHOD_DEFAULT)
            lc_error(lc, NULL, n, "unknown method '%s' (monte-carlo, latin-hypercube or sobol)",
                     n->str);
        else
            s->method = m;
    }
    if ((n = yd_get(sim, "confidence")) && lc_const(lc, NULL, n, "confidence", &v) == 0) {
        if (!(v > 0 && v < 1))
            {
            char w[160];
            lc_error(lc, NULL, n, "confidence must be between 0 and 1 (exclusive), not %s", lc_written(n, v, w, sizeof w));
        }
        else
            s->confidence = v;
    }
    if ((n = yd_get(sim, "precision")) && lc_const(lc, NULL, n, "precision", &v) == 0) {
        if (!(v > 0 && v < 0.5))
            {
            char w[160];
            lc_error(lc, NULL, n, "precision must be above 0 and below 0.5, not %s", lc_written(n, v, w, sizeof w));
        }
        else {
            s->has_precision = 1;
            s->precision = v;
        }
    }
    if ((n = yd_get(sim, "replicates")) && lc_const_int(lc, NULL, n, "replicates", 2, 256, &v) == 0) {
        /* a power of two, so that each block splits into equal runs, each a net (uniforms.h) */
        unsigned r = (unsigned)v;
        if (r & (r - 1))
            lc_error(lc, NULL, n, "replicates must be a power of two from 2 to 256 (8, 16, 32 ...), not %u", r);
        else
            s->replicates = r;
    }
    if ((n = yd_get(sim, "strict")) && lc_want(lc, NULL, n, YD_SCALAR, "strict")) {
        if (!strcmp(n->str, "true"))
            s->strict = 1;
        else if (strcmp(n->str, "false"))
            lc_error(lc, NULL, n, "strict must be true or false, not '%s'", n->str);
    }
}

/* A number for the name s, the same for the same name (its order of first appearance):
   the pair check compares two numbers, not two strings. -1 when out of memory. */
static long name_id(wa_names *ids, const char *s)
{
    size_t id = ids->n, old = 0;
    int r = wa_names_add(ids, s, id, &old);
    return r < 0 ? -1 : r ? (long)old : (long)id;
}

static void load_correlations(top *t, const yd_node *list, wa_scenario *sc)
{
    lctx *lc = &t->lc;
    if (!list || !lc_want(lc, NULL, list, YD_SEQ, "correlations"))
        return;
    sc->corrs = wa_calloc(list->n ? list->n : 1, sizeof *sc->corrs);
    wa_names inputs = {0}, ids = {0}; /* the model's inputs by name; the names' numbers */
    wa_pairs pairs = {0};             /* the pairs seen, by their names' numbers */
    int oom = !sc->corrs;
    /* the model's inputs by name, and the pairs seen: each check in constant time */
    for (size_t i = 0; !oom && t->m && i < t->m->ninputs; i++)
        if (!t->m->inputs[i].hidden)
            oom = wa_names_add(&inputs, t->m->inputs[i].name, i, NULL) < 0;
    if (oom) {
        lc_oom(lc, NULL, list);
        wa_names_free(&inputs);
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        const yd_node *e = yd_val(list, i);
        if (!lc_want(lc, NULL, e, YD_SEQ, "a correlation"))
            continue;
        if (e->n != 3) {
            lc_error(lc, NULL, e, "a correlation is [input, input, rho], not a list of %zu", (size_t)e->n);
            continue;
        }
        int ok = 1;
        /* the names as the model keeps them (its pool outlives the entries), or as
           written when the inputs are in error */
        const char *name[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
            const yd_node *nm = yd_val(e, k);
            if (!lc_want(lc, NULL, nm, YD_SCALAR, "a correlated input")) {
                ok = 0;
                continue;
            }
            name[k] = nm->str;
            long at = wa_names_find(&inputs, nm->str);
            const wa_input *in = at >= 0 ? &t->m->inputs[at] : NULL;
            if (!t->m)
                continue; /* the inputs are in error; their names cannot be checked */
            if (!in) {
                const char *s = wa_suggest(nm->str, nm->len, t->names, t->nnames);
                if (s)
                    lc_error(lc, NULL, nm, "unknown input '%s'; did you mean '%s'?", nm->str, s);
                else
                    lc_error(lc, NULL, nm, "unknown input '%s'", nm->str);
                ok = 0;
            } else if (in->kind != WA_IN_SAMPLED) {
                lc_error(lc, NULL, nm,
                         "correlations apply to sampled inputs, and '%s' is %s", nm->str,
                         in->kind == WA_IN_CONST ? "a constant"
                         : in->per_year          ? "drawn per year (not correlated in this version)"
                         : in->kind == WA_IN_YEARLY ? "a per-year value (it uses t)"
                                                    : "derived from others");
                ok = 0;
            } else {
                name[k] = in->name;
            }
        }
        double rho = 0;
        if (lc_const(lc, NULL, yd_val(e, 2), "a correlation", &rho))
            ok = 0;
        else if (!(rho > -1 && rho < 1)) {
            {
            char w[160];
            lc_error(lc, NULL, yd_val(e, 2), "a correlation must be above -1 and below 1, not %s", lc_written(yd_val(e, 2), rho, w, sizeof w));
        }
            ok = 0;
        }
        if (!ok)
            continue;
        const char *a = name[0], *b = name[1];
        if (!strcmp(a, b)) {
            lc_error(lc, NULL, e, "an input cannot be correlated with itself ('%s')", a);
            continue;
        }
        size_t first = 0;
        long ia = name_id(&ids, a), ib = ia < 0 ? -1 : name_id(&ids, b);
        int seen = ib < 0 ? -1 : wa_pairs_add(&pairs, (uint32_t)ia, (uint32_t)ib, sc->ncorrs, &first);
        if (seen < 0) { /* the load fails: stop here */
            lc_oom(lc, NULL, e);
            break;
        }
        if (seen) {
            lc_error(lc, NULL, e, "the correlation of '%s' and '%s' is already given at line %d",
                     a, b, sc->corrs[first].loc.line);
            continue;
        }
        wa_corr *c = &sc->corrs[sc->ncorrs];
        c->a = a;
        c->b = b;
        c->rho = rho;
        c->loc = lc_loc(e);
        sc->ncorrs++;
    }
    wa_names_free(&inputs);
    wa_names_free(&ids);
    wa_pairs_free(&pairs);
}

/* Builds the model of scenario sc's root with overrides ov (a variant's and/or --set). */
/* Whether every change of a variant's `set` gives an input that the base samples another
   distribution: the options then see the same kinds of input as in the base (an uncertain
   value where there was one), so every check of the options passed already, and only the
   new distributions need checking. */
static int only_redistributes(const wa_model *base, const yd_node *set)
{
    for (size_t k = 0; k < set->n; k++) {
        const yd_node *v = yd_val(set, k);
        if (v->kind != YD_MAP || !yd_get(v, "dist"))
            return 0;
        int sampled = 0;
        for (size_t i = 0; i < base->ninputs && !sampled; i++)
            sampled = !base->inputs[i].hidden && base->inputs[i].kind == WA_IN_SAMPLED &&
                      !strcmp(base->inputs[i].name, yd_key(set, k)->str);
        if (!sampled)
            return 0;
    }
    return 1;
}

static void load_variants(top *t, const yd_node *list, wa_scenario *sc)
{
    static const char *const keys[] = {"name", "description", "set"};
    lctx *lc = &t->lc;
    if (!list || !lc_want(lc, NULL, list, YD_SEQ, "variants"))
        return;
    sc->variants = wa_calloc(list->n ? list->n : 1, sizeof *sc->variants);
    if (!sc->variants) {
        lc_oom(lc, NULL, list);
        return;
    }
    wa_names seen = {0}; /* the variants' names so far, each with its index */
    for (size_t i = 0; i < list->n; i++) {
        const yd_node *v = yd_val(list, i);
        if (!lc_want(lc, NULL, v, YD_MAP, "a variant"))
            continue;
        lc_check_keys(lc, NULL, v, keys, 3, "a variant");
        const yd_node *name = yd_get(v, "name"), *set = yd_get(v, "set");
        if (!name) {
            lc_error(lc, NULL, v, "a variant needs a 'name'");
            continue;
        }
        if (!lc_want(lc, NULL, name, YD_SCALAR, "name"))
            continue;
        if (!set) {
            lc_error(lc, NULL, v, "variant '%s' needs 'set': the inputs it changes", name->str);
            continue;
        }
        if (!lc_want(lc, NULL, set, YD_MAP, "set"))
            continue;
        long dup = wa_names_find(&seen, name->str);
        if (dup >= 0) {
            lc_error(lc, NULL, name, "duplicate variant name '%s' (first at line %d)",
                     name->str, sc->variants[dup].loc.line);
            continue;
        }
        wa_variant *var = &sc->variants[sc->nvariants];
        var->name = lc_strdup(name->str);
        var->loc = lc_loc(v);
        var->set = set;
        if (!var->name || wa_names_add(&seen, var->name, sc->nvariants, NULL) < 0) {
            wa_free(var->name);
            var->name = NULL;
            lc_oom(lc, NULL, v);
            continue;
        }
        sc->nvariants++;
        if (!sc->base)
            continue; /* the base is in error: the variant's own problems would repeat it */
        wa_override *ov = wa_calloc(set->n ? set->n : 1, sizeof *ov);
        if (!ov) {
            lc_oom(lc, NULL, v);
            continue;
        }
        for (size_t k = 0; k < set->n; k++) {
            ov[k].name = yd_key(set, k)->str;
            ov[k].value = yd_val(set, k);
            ov[k].src = t->lc.src;
            ov[k].loc = lc_loc(yd_key(set, k));
        }
        /* Checked now, so that every problem of the file is reported at load; built for
           real (with its quantile tables) only when it runs (run.c), and freed after. */
        size_t before = wa_diagnostics_errors(lc->d);
        wa_model *checked = NULL;
        wa_status st = wa_model_build(t->lc.src, yd_root(sc->doc), ov, set->n, NULL,
                                      only_redistributes(sc->base, set) ? WA_BUILD_CHECK_INPUTS
                                                                        : WA_BUILD_CHECK,
                                      &checked, lc->d);
        wa_model_free(checked);
        if (st == WA_ENOMEM)
            wa_diag_add(lc->d, WA_ERROR, WA_ENOMEM, t->lc.src, 0, 0, "out of memory");
        lc->nerr += (int)(wa_diagnostics_errors(lc->d) - before);
        if (st != WA_OK && wa_diagnostics_errors(lc->d) == before)
            lc->nerr++;
        wa_free(ov);
    }
    wa_names_free(&seen);
}

void wa_scenario_free(wa_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nvariants; i++) {
        wa_free(sc->variants[i].name);
    }
    wa_free(sc->variants);
    wa_free(sc->corrs);
    wa_free(atomic_load(&sc->input_info));
    wa_model_free(sc->base);
    wa_free(sc->name);
    wa_free(sc->description);
    wa_free(sc->currency);
    yd_free(sc->doc);
    wa_source_free(sc->src);
    wa_free(sc);
}

/* The scenario's name when it has none: the file name without directory and extension. */
static char *default_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *r = wa_malloc(n + 1);
    if (r) {
        memcpy(r, base, n);
        r[n] = '\0';
    }
    return r;
}

/* Each declared input as the base model defines it (wa_scenario_input_info), found by
   name in the model's order; NULL when out of memory. Made when first asked for, not at
   load: a file of a million constants would otherwise carry 64 MB nobody reads. */
static wa_input_summary *describe_inputs(const wa_scenario *sc)
{
    size_t n = wa_scenario_input_count(sc);
    const wa_model *m = sc->base;
    wa_name_index byname = {0};
    wa_input_summary *info = wa_calloc(n ? n : 1, sizeof *info);
    const char **names = wa_calloc(m->ninputs ? m->ninputs : 1, sizeof *names);
    int bad = !info || !names;
    for (size_t i = 0; !bad && i < m->ninputs; i++)
        names[i] = m->inputs[i].hidden ? NULL : m->inputs[i].name;
    if (!bad)
        bad = wa_name_index_make(&byname, names, m->ninputs) < 0;
    for (size_t i = 0; !bad && i < n; i++) {
        long j = wa_name_index_find(&byname, wa_scenario_input_name(sc, i));
        if (j >= 0)
            wa_input_describe(&m->inputs[j], &info[i]);
    }
    wa_name_index_free(&byname);
    wa_free((void *)names);
    if (bad) {
        wa_free(info);
        return NULL;
    }
    return info;
}

static wa_status load_from_source(wa_source *src, const wa_scenario *like, wa_scenario **out,
                                  wa_diagnostics *d)
{
    /* Every parameter is validated before GSL sees it and every result is checked, so the
       library never wants GSL's default handler, which aborts. */
    gsl_set_error_handler_off();
    *out = NULL;
    wa_scenario *sc = wa_calloc(1, sizeof *sc);
    if (!sc) {
        wa_source_free(src);
        return WA_ENOMEM;
    }
    sc->src = src;
    wa_status st = yd_parse(src, &sc->doc, d);
    if (st != WA_OK) {
        wa_scenario_free(sc);
        return st;
    }
    const yd_node *root = yd_root(sc->doc);
    top t;
    memset(&t, 0, sizeof t);
    t.lc.src = src;
    t.lc.d = d;
    t.lc.resolve = top_resolve;
    t.lc.names = top_names;
    t.lc.owner = &t;
    if (!root) {
        lc_error_at(&t.lc, src, 1, 1, "the file is empty: a scenario starts with 'walkaway: 1'");
        wa_scenario_free(sc);
        return WA_EINVALID;
    }
    if (root->kind != YD_MAP) {
        lc_error(&t.lc, NULL, root, "a scenario must be a mapping of keys (walkaway, horizon, inputs, offers, alternatives ...), not %s",
                 yd_kind_name(root->kind));
        wa_scenario_free(sc);
        return WA_EINVALID;
    }
    lc_check_keys(&t.lc, NULL, root, root_keys, sizeof root_keys / sizeof *root_keys,
                  "the scenario");
    const yd_node *ver = yd_get(root, "walkaway");
    if (!ver)
        lc_error(&t.lc, NULL, root, "missing required key 'walkaway' (the format version: walkaway: 1)");
    else if (ver->kind != YD_SCALAR || strcmp(ver->str, "1") != 0)
        lc_error(&t.lc, NULL, ver, "unsupported format version '%s': this walkaway reads version 1",
                 ver->kind == YD_SCALAR ? ver->str : yd_kind_name(ver->kind));

    const yd_node *n = yd_get(root, "name");
    sc->name = n ? text_of(&t, n, "name", "") : default_name(src->name);
    sc->description = text_of(&t, yd_get(root, "description"), "description", "");
    sc->currency = text_of(&t, yd_get(root, "currency"), "currency", "USD");

    /* The base model, then whatever may name its constants. */
    size_t before = wa_diagnostics_errors(d);
    st = wa_model_build(src, root, NULL, 0, like ? like->base : NULL, WA_BUILD_FULL, &sc->base, d);
    if (st == WA_ENOMEM) {
        wa_scenario_free(sc);
        return WA_ENOMEM;
    }
    t.lc.nerr += (int)(wa_diagnostics_errors(d) - before);
    t.m = sc->base;
    t.inputs = yd_get(root, "inputs");
    if (t.inputs && t.inputs->kind == YD_MAP) {
        t.names = wa_calloc(t.inputs->n + 1, sizeof *t.names);
        if (t.names)
            for (size_t i = 0; i < t.inputs->n; i++)
                t.names[t.nnames++] = yd_key(t.inputs, i)->str;
    }
    load_simulation(&t, yd_get(root, "simulation"), &sc->settings);
    load_correlations(&t, yd_get(root, "correlations"), sc);
    if (sc->base && !t.lc.nerr) {
        before = wa_diagnostics_errors(d);
        wa_model_assign_dims(sc->base, NULL);
        if (wa_model_correlate(sc->base, src, sc->corrs, sc->ncorrs, sc->settings.strict, d) !=
                WA_OK &&
            wa_diagnostics_errors(d) == before)
            t.lc.nerr++;
        t.lc.nerr += (int)(wa_diagnostics_errors(d) - before);
    }
    load_variants(&t, yd_get(root, "variants"), sc);
    wa_free((void *)t.names);

    if (!sc->name || !sc->description || !sc->currency) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory");
        wa_scenario_free(sc);
        return WA_ENOMEM;
    }
    if (t.lc.nerr || st != WA_OK) {
        wa_scenario_free(sc);
        return WA_EINVALID;
    }
    *out = sc;
    return WA_OK;
}

wa_status wa_scenario_load(const char *path, wa_scenario **out, wa_diagnostics *d)
{
    return wa_scenario_load_sharing(path, NULL, out, d);
}

/* The source is loaded with a diagnostics list even when the caller gives none, so that
   a failure caused by a lack of memory is told apart from an invalid file. */
static wa_status load_settled(const char *path, const char *text, size_t len, const char *name,
                              const wa_scenario *like, wa_scenario **out, wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    wa_source *src = NULL;
    wa_status st = path ? wa_source_read(path, &src, use)
                        : wa_source_from_buffer(text, len, name, &src, use);
    if (st == WA_OK)
        st = load_from_source(src, like, out, use);
    return wa_diag_scope_close(&scope, use, st);
}

wa_status wa_scenario_load_sharing(const char *path, const wa_scenario *like, wa_scenario **out,
                                   wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!path)
        return WA_EUSAGE;
    return load_settled(path, NULL, 0, NULL, like, out, d);
}

wa_status wa_scenario_load_buffer(const char *text, size_t len, const char *name,
                                  wa_scenario **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!text || !name)
        return WA_EUSAGE;
    return load_settled(NULL, text, len, name, NULL, out, d);
}

const char *wa_scenario_name(const wa_scenario *sc) { return sc ? sc->name : NULL; }
const char *wa_scenario_file(const wa_scenario *sc) { return sc ? sc->src->name : NULL; }
size_t wa_scenario_variant_count(const wa_scenario *sc) { return sc ? sc->nvariants : 0; }

const char *wa_scenario_variant_name(const wa_scenario *sc, size_t i)
{
    return sc && i < sc->nvariants ? sc->variants[i].name : NULL;
}

long wa_scenario_variant_find(const wa_scenario *sc, const char *name)
{
    for (size_t i = 0; sc && name && i < sc->nvariants; i++)
        if (strcmp(sc->variants[i].name, name) == 0)
            return (long)i;
    return -1;
}

static wa_status check_sets_unsettled(const wa_scenario *sc, const char *const *sets,
                                      size_t n, wa_diagnostics *d);

wa_status wa_scenario_check_sets(const wa_scenario *sc, const char *const *sets, size_t n,
                                 wa_diagnostics *d)
{
    wa_diag_scope scope;
    wa_diagnostics *use = wa_diag_scope_open(&scope, d);
    if (!use)
        return WA_ENOMEM;
    return wa_diag_scope_close(&scope, use, check_sets_unsettled(sc, sets, n, use));
}

static wa_status check_sets_unsettled(const wa_scenario *sc, const char *const *sets,
                                      size_t n, wa_diagnostics *d)
{
    if (!sc || (n > 0 && !sets))
        return WA_EUSAGE;
    const yd_node *root = yd_root(sc->doc), *inputs = yd_get(root, "inputs");
    size_t nin = inputs && inputs->kind == YD_MAP ? inputs->n : 0, nnames = nin, cap = nin + 16;
    const char **names = wa_calloc(cap, sizeof *names);
    char **inl = NULL; /* "option/label" of every item with an inline distribution */
    size_t ninl = 0;
    if (!names)
        return WA_ENOMEM;
    for (size_t i = 0; i < nin; i++)
        names[i] = yd_key(inputs, i)->str;
    static const char *const lists[] = {"offers", "alternatives"};
    static const char *const items[] = {"costs", "concessions", "savings"};
    for (int l = 0; l < 2; l++) {
        const yd_node *opts = yd_get(root, lists[l]);
        for (size_t o = 0; opts && opts->kind == YD_SEQ && o < opts->n; o++) {
            const yd_node *op = yd_val(opts, o), *nm = yd_get(op, "name");
            for (int k = 0; nm && nm->kind == YD_SCALAR && k < 3; k++) {
                const yd_node *its = yd_get(op, items[k]);
                for (size_t i = 0; its && its->kind == YD_SEQ && i < its->n; i++) {
                    const yd_node *it = yd_val(its, i), *lb = yd_get(it, "label"),
                                  *am = yd_get(it, "amount");
                    if (!lb || lb->kind != YD_SCALAR || !am || am->kind != YD_MAP)
                        continue;
                    char **v = wa_realloc(inl, (ninl + 1) * sizeof *v);
                    const char **w = nnames + 1 >= cap ? wa_realloc(names, (cap *= 2) * sizeof *w)
                                                       : names;
                    if (v)
                        inl = v;
                    if (w)
                        names = w;
                    char *s = v && w ? wa_malloc(nm->len + lb->len + 2) : NULL;
                    if (!s) {
                        for (size_t j = 0; j < ninl; j++)
                            wa_free(inl[j]);
                        wa_free(inl);
                        wa_free((void *)names);
                        return WA_ENOMEM;
                    }
                    snprintf(s, nm->len + lb->len + 2, "%s/%s", nm->str, lb->str);
                    inl[ninl++] = s;
                    names[nnames++] = s;
                }
            }
        }
    }
    wa_status st = WA_OK;
    for (size_t k = 0; k < n; k++) {
        const char *eq = sets[k] ? strchr(sets[k], '=') : NULL;
        if (!eq || eq == sets[k]) {
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "--set needs NAME=VALUE, not '%s'",
                        sets[k] ? sets[k] : "");
            st = WA_EUSAGE;
            continue;
        }
        size_t len = (size_t)(eq - sets[k]);
        int found = 0;
        for (size_t i = 0; i < nnames && !found; i++)
            found = strlen(names[i]) == len && !strncmp(names[i], sets[k], len);
        if (found)
            continue;
        const char *hint = wa_suggest(sets[k], len, names, nnames);
        if (hint)
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                        "--set %.*s: cannot set '%.*s': there is no such input; did you mean '%s'?",
                        (int)len, sets[k], (int)len, sets[k], hint);
        else
            wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0,
                        "--set %.*s: cannot set '%.*s': there is no such input", (int)len,
                        sets[k], (int)len, sets[k]);
        st = WA_EUSAGE;
    }
    for (size_t j = 0; j < ninl; j++)
        wa_free(inl[j]);
    wa_free(inl);
    wa_free((void *)names);
    return st;
}

const wa_input_summary *wa_scenario_input_info(const wa_scenario *sc, size_t i)
{
    if (!sc || i >= wa_scenario_input_count(sc))
        return NULL;
    /* The first call describes them all; callers on other threads may race to it, and
       the first to publish wins (the others free theirs). */
    wa_scenario *w = (wa_scenario *)sc; /* only the cache changes */
    wa_input_summary *info = atomic_load_explicit(&w->input_info, memory_order_acquire);
    if (!info) {
        wa_input_summary *mine = describe_inputs(sc), *none = NULL;
        if (!mine)
            return NULL;
        if (atomic_compare_exchange_strong_explicit(&w->input_info, &none, mine,
                                                    memory_order_acq_rel, memory_order_acquire))
            info = mine;
        else {
            wa_free(mine);
            info = none;
        }
    }
    return info[i].size ? &info[i] : NULL;
}

size_t wa_scenario_input_count(const wa_scenario *sc)
{
    const yd_node *in = sc ? yd_get(yd_root(sc->doc), "inputs") : NULL;
    return in && in->kind == YD_MAP ? in->n : 0;
}

const char *wa_scenario_input_name(const wa_scenario *sc, size_t i)
{
    return i < wa_scenario_input_count(sc) ? yd_key(yd_get(yd_root(sc->doc), "inputs"), i)->str
                                           : NULL;
}

size_t wa_scenario_offer_count(const wa_scenario *sc) { return sc ? sc->base->noffers : 0; }

const char *wa_scenario_offer_name(const wa_scenario *sc, size_t i)
{
    return i < wa_scenario_offer_count(sc) ? sc->base->options[i].name : NULL;
}

size_t wa_scenario_alternative_count(const wa_scenario *sc)
{
    return sc ? sc->base->noptions - sc->base->noffers : 0;
}

const char *wa_scenario_alternative_name(const wa_scenario *sc, size_t i)
{
    return i < wa_scenario_alternative_count(sc) ? sc->base->options[sc->base->noffers + i].name
                                                 : NULL;
}
