/*
 * model.c — from the YAML tree to a wa_model: inputs in dependency order, the horizon,
 * discounting and currencies, then the options (items.c), and the model finished.
 *
 * Inputs are first collected as definitions (with a variant's or --set's replacements
 * applied), then resolved depth-first so that every input is compiled after the inputs it
 * names; a cycle is reported with its names. A definition in error is marked bad and its
 * users stay quiet, so each mistake is reported once. The DFS is iterative: a hostile file
 * with a 100,000-long chain of inputs cannot overflow the stack.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"
#include "sample/block.h"
#include "sample/rng.h"
#include "util/suggest.h"
#include "util/alloc.h"

static builder *B(lctx *lc) { return (builder *)lc->owner; }

/* What a file of a million inputs costs per input (docs/scenario-format.md, Limits): kept
   so, on 64-bit machines, by these checks rather than by a comment. */
_Static_assert(sizeof(void *) != 8 || sizeof(wa_input) == 48, "wa_input grew past 48 bytes");
_Static_assert(sizeof(def) == 20, "a definition grew past 20 bytes");

/* The name of def pos, for the index of names (ctx: the builder). */
static const char *def_name_of(const void *ctx, size_t pos)
{
    const builder *b = ctx;
    return yd_key(b->inputs, pos)->str;
}

static long find_def(const builder *b, const char *name)
{
    return wa_name_slots_find(&b->def_index, name, def_name_of, b);
}

/* A definition's name (its key in the inputs mapping), its value (the override's, when one
   replaces it) and the source that value is in. */
static const yd_node *def_key(const builder *b, const def *df)
{
    return yd_key(b->inputs, (size_t)(df - b->defs));
}

static const yd_node *def_node(const builder *b, const def *df)
{
    return df->ov ? b->ovs[df->ov - 1].value : yd_val(b->inputs, (size_t)(df - b->defs));
}

static const wa_source *def_src(const builder *b, const def *df)
{
    const wa_source *src = df->ov ? b->ovs[df->ov - 1].src : NULL;
    return src ? src : b->lc.src;
}

static lc_name resolve(lctx *lc, const char *name)
{
    builder *b = B(lc);
    lc_name r = {0, 0, 0, 0, -1, NULL, NULL};
    long i = find_def(b, name);
    if (i < 0)
        return r;
    r.found = 1;
    const def *df = &b->defs[i];
    if (df->bad || df->state != 2) {
        r.bad = 1;
        return r;
    }
    const wa_input *in = &b->m->inputs[df->input];
    r.is_const = in->kind == WA_IN_CONST;
    r.value = in->value;
    r.slot = in->slot;
    if (in->kind == WA_IN_YEARLY) {
        r.ast = in->formula->ast;
        r.binds = in->formula->binds;
    }
    return r;
}

/* Every input's name, for a suggestion: listed on the first call (a message is being
   written), so that a large file's load does not keep a pointer per input for nothing. */
static const char *const *all_names(lctx *lc, size_t *n)
{
    builder *b = B(lc);
    *n = 0;
    if (!b->names && b->ndefs) {
        if (!(b->names = wa_malloc(b->ndefs * sizeof *b->names))) {
            b->oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < b->ndefs; i++)
            b->names[i] = def_name_of(b, i);
    }
    *n = b->names ? b->ndefs : 0;
    return b->names;
}

/* A new input at the end of m->inputs (zeroed, slot -1); NULL on OOM. */
wa_input *lb_new_input(builder *b, const char *name, int borrow)
{
    wa_model *m = b->m;
    if (m->ninputs == b->cap_inputs) {
        size_t cap = b->cap_inputs ? b->cap_inputs * 2 : 16;
        wa_input *v = wa_realloc(m->inputs, cap * sizeof *v);
        if (!v)
            return NULL;
        m->inputs = v;
        b->cap_inputs = cap;
    }
    wa_input *in = &m->inputs[m->ninputs];
    memset(in, 0, sizeof *in);
    in->name = borrow ? name : wa_strpool_dup(&m->names, name);
    if (!in->name)
        return NULL;
    in->slot = -1;
    m->ninputs++;
    return in;
}

void lb_give_slot(wa_model *m, wa_input *in) { in->slot = (int)m->nslots++; }

/* ---- collecting definitions --------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

static int reserved_name(const char *s)
{
    return !strcmp(s, "t") || !strcmp(s, "and") || !strcmp(s, "or") || !strcmp(s, "not");
}

/* Adds the names an expression node refers to as dependencies of df, the last def
   collected (its dependencies end b->deps). */
static void add_deps_of(builder *b, def *df, const yd_node *n)
{
    if (!n || n->kind != YD_SCALAR || n->len == 0)
        return;
    ex_error err;
    ex_ast *ast = ex_parse(n->str, n->len, &err);
    if (!ast) {
        b->oom |= err.nomem; /* any other error is reported when the definition is resolved */
        return;
    }
    for (size_t i = 0; i < ex_ast_nnames(ast); i++) {
        long j = find_def(b, ex_ast_name(ast, i, NULL));
        if (j < 0)
            continue;
        if (b->ndeps == b->cap_deps) {
            size_t cap = b->cap_deps ? 2 * b->cap_deps : 64;
            uint32_t *v = cap < UINT32_MAX ? wa_realloc(b->deps, cap * sizeof *v) : NULL;
            if (!v) {
                b->oom = 1;
                break;
            }
            b->deps = v;
            b->cap_deps = cap;
        }
        b->deps[b->ndeps++] = (uint32_t)j;
        df->ndeps++;
    }
    ex_ast_free(ast);
}

static void collect_deps(builder *b, def *df)
{
    const yd_node *n = def_node(b, df);
    df->dep0 = (uint32_t)b->ndeps;
    if (n->kind == YD_SCALAR) {
        add_deps_of(b, df, n);
    } else if (n->kind == YD_MAP) {
        for (size_t i = 0; i < n->n; i++) {
            const yd_node *v = yd_val(n, i);
            if (!strcmp(yd_key(n, i)->str, "dist") || !strcmp(yd_key(n, i)->str, "per"))
                continue;
            if (v->kind == YD_SCALAR)
                add_deps_of(b, df, v);
            else
                for (size_t j = 0; j < v->n; j++)
                    add_deps_of(b, df, yd_val(v, j));
        }
    }
}

static int collect_defs(builder *b, const yd_node *inputs, const wa_override *ov, size_t nov)
{
    lctx *lc = &b->lc;
    size_t n = inputs ? inputs->n : 0;
    if (n >= UINT32_MAX || nov >= UINT32_MAX) /* far beyond what the size cap lets in */
        return -1;
    b->inputs = inputs;
    b->ovs = ov;
    b->defs = wa_calloc(n ? n : 1, sizeof *b->defs);
    if (!b->defs)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const yd_node *key = yd_key(inputs, i);
        if (!valid_name(key->str)) {
            lc_error(lc, NULL, key,
                     "input name '%s' is not valid: use letters, digits and '_', not starting with a digit",
                     key->str);
            b->defs[i].bad = 1;
        } else if (reserved_name(key->str)) {
            lc_error(lc, NULL, key, "'%s' is reserved and cannot name an input", key->str);
            b->defs[i].bad = 1;
        }
        /* (the YAML layer reported any duplicate key) */
        if (wa_name_slots_add(&b->def_index, key->str, i, def_name_of, b) < 0)
            return -1;
    }
    b->ndefs = n;
    b->inl = wa_calloc(nov ? nov : 1, sizeof *b->inl);
    b->inl_used = wa_calloc(nov ? nov : 1, 1);
    if (!b->inl || !b->inl_used)
        return -1;
    for (size_t i = 0; i < nov; i++) {
        long j = find_def(b, ov[i].name);
        if (j < 0 && strchr(ov[i].name, '/')) { /* an item's inline distribution, perhaps */
            b->inl[b->ninl++] = &ov[i];
            continue;
        }
        if (j < 0) {
            size_t nn;
            const char *const *names = all_names(lc, &nn);
            const char *s = wa_suggest(ov[i].name, strlen(ov[i].name), names, nn);
            lc_error_at(lc, ov[i].src, ov[i].loc.line, ov[i].loc.col,
                        s ? "cannot set '%s': there is no such input; did you mean '%s'?"
                          : "cannot set '%s': there is no such input",
                        ov[i].name, s);
            continue;
        }
        b->defs[j].ov = (uint32_t)i + 1;
    }
    for (size_t i = 0; i < b->ndefs; i++)
        collect_deps(b, &b->defs[i]);
    return b->oom ? -1 : 0;
}

/* ---- resolving one definition ------------------------------------------------------- */

static const char *const dist_keys_hint =
    "constant, uniform, triangular, pert, normal, lognormal, beta, gamma, bernoulli, poisson, discrete";

/* A quantile key: a probability as a constant expression (0.1, 10%), or pNN (p10). */
static int quantile_prob(builder *b, const wa_source *src, const yd_node *k, double *p)
{
    const char *s = k->str;
    if (s[0] == 'p' && s[1] >= '1' && s[1] <= '9' &&
        (s[2] == '\0' || (s[2] >= '0' && s[2] <= '9' && s[3] == '\0'))) {
        *p = atoi(s + 1) / 100.0;
        return 0;
    }
    return lc_const(&b->lc, src, k, "a metalog quantile's probability", p);
}

typedef struct qpair {
    double p, x;
    const yd_node *key;
} qpair;

static int qpair_cmp(const void *a, const void *b)
{
    double x = ((const qpair *)a)->p, y = ((const qpair *)b)->p;
    return x < y ? -1 : x > y;
}

/* {dist: metalog, quantiles: {0.1: x, 0.5: y, ...}, lower: .., upper: ..}: the exact fit
   through the given quantiles (metalog.h), in order of probability whatever the order
   written. */
static int make_metalog(builder *b, const wa_source *src, const yd_node *n, wa_dist *out)
{
    static const char *const keys[] = {"dist", "quantiles", "lower", "upper", "per"};
    lctx *lc = &b->lc;
    int rc = 0;
    if (lc_check_keys(lc, src, n, keys, 5, "a metalog"))
        rc = -1;
    const yd_node *q = yd_get(n, "quantiles"), *lo = yd_get(n, "lower"), *hi = yd_get(n, "upper");
    double vlo = 0, vhi = 0;
    if (lo && lc_const(lc, src, lo, "metalog 'lower'", &vlo))
        rc = -1;
    if (hi && lc_const(lc, src, hi, "metalog 'upper'", &vhi))
        rc = -1;
    if (!q) {
        lc_error(lc, src, n, "metalog needs 'quantiles', a mapping such as {0.1: 100k, 0.5: 150k, 0.9: 300k}");
        return -1;
    }
    if (!lc_want(lc, src, q, YD_MAP, "quantiles"))
        return -1;
    if (q->n < 2 || q->n > 10) {
        lc_error(lc, src, q, "metalog needs between 2 and 10 quantiles, got %zu", (size_t)q->n);
        return -1;
    }
    qpair pairs[10];
    for (size_t i = 0; i < q->n; i++) {
        pairs[i].key = yd_key(q, i);
        if (quantile_prob(b, src, yd_key(q, i), &pairs[i].p) ||
            lc_const(lc, src, yd_val(q, i), "a metalog quantile", &pairs[i].x))
            rc = -1;
    }
    if (rc)
        return -1;
    qsort(pairs, q->n, sizeof *pairs, qpair_cmp);
    double p[10], x[10];
    for (size_t i = 0; i < q->n; i++) {
        if (i && pairs[i].p == pairs[i - 1].p) {
            lc_error(lc, src, pairs[i].key, "metalog quantile probability %g is given twice",
                     pairs[i].p);
            return -1;
        }
        p[i] = pairs[i].p;
        x[i] = pairs[i].x;
    }
    wa_dist_error err;
    if (wa_dist_make_metalog(out, p, x, (int)q->n, lo != NULL, vlo, hi != NULL, vhi, &err)) {
        lc_fail(lc, src, q, err.nomem, err.message);
        return -1;
    }
    return 0;
}

/* Sets up a distribution from mapping n (an input's definition or an inline amount). */
int lb_make_dist(builder *b, const wa_source *src, const yd_node *n, const char *owner,
                     wa_dist *out)
{
    lctx *lc = &b->lc;
    const yd_node *dn = yd_get(n, "dist");
    if (!dn) {
        lc_error(lc, src, n, "'%s' is a mapping without 'dist': write a number, an expression, or a distribution such as {dist: uniform, min: 1, max: 2}",
                 owner);
        return -1;
    }
    if (dn->kind != YD_SCALAR || dn->len == 0) {
        lc_error(lc, src, dn, "'dist' must name a distribution (%s)", dist_keys_hint);
        return -1;
    }
    if (!strcmp(dn->str, "metalog"))
        return make_metalog(b, src, n, out);
    if (wa_dist_kind_of(dn->str) < 0) {
        /* the name first: its parameters mean nothing until it is known */
        wa_dist_error err;
        if (wa_dist_make(out, dn->str, NULL, 0, &err) == 0) {
            wa_dist_free(out); /* cannot happen for an unknown name; keep the guard */
            return -1;
        }
        lc_fail(lc, src, dn, err.nomem, err.message);
        return -1;
    }
    size_t cap = n->n;
    wa_dist_arg *args = wa_calloc(cap ? cap : 1, sizeof *args);
    double **vals = wa_calloc(cap ? cap : 1, sizeof *vals);
    const yd_node **argkeys = wa_calloc(cap ? cap : 1, sizeof *argkeys);
    const yd_node *trunc = NULL;
    size_t nargs = 0;
    int rc = 0;
    if (!args || !vals || !argkeys) {
        b->oom = 1;
        rc = -1;
        goto done;
    }
    for (size_t i = 0; i < n->n; i++) {
        const yd_node *k = yd_key(n, i), *v = yd_val(n, i);
        if (!strcmp(k->str, "dist") || !strcmp(k->str, "per"))
            continue;
        if (!strcmp(k->str, "truncate")) {
            trunc = v;
            continue;
        }
        char what[96];
        snprintf(what, sizeof what, "distribution parameter '%s'", k->str);
        size_t cnt = v->kind == YD_SEQ ? v->n : 1;
        vals[nargs] = wa_calloc(cnt ? cnt : 1, sizeof(double));
        if (!vals[nargs]) {
            b->oom = 1;
            rc = -1;
            goto done;
        }
        if (v->kind == YD_SEQ) {
            for (size_t j = 0; j < v->n; j++)
                if (lc_const(lc, src, yd_val(v, j), what, &vals[nargs][j]))
                    rc = -1;
        } else if (v->kind == YD_MAP) {
            lc_error(lc, src, v, "'%s' must be a number or a list, not a mapping", k->str);
            rc = -1;
        } else if (lc_const(lc, src, v, what, &vals[nargs][0])) {
            rc = -1;
        }
        args[nargs].key = k->str;
        args[nargs].v = vals[nargs];
        args[nargs].n = cnt;
        args[nargs].is_list = v->kind == YD_SEQ;
        argkeys[nargs] = k;
        nargs++;
    }
    if (rc)
        goto done;
    wa_dist_error err;
    if (wa_dist_define(out, dn->str, args, nargs, &err)) { /* tables: build_tables() */
        const yd_node *at = err.arg >= 0 ? argkeys[err.arg] : err.arg == -2 ? dn : n;
        lc_fail(lc, src, at, err.nomem, err.message);
        rc = -1;
        goto done;
    }
    if (trunc) {
        static const char *const tkeys[] = {"min", "max"};
        double lo = 0, hi = 0;
        const yd_node *ln = NULL, *hn = NULL;
        if (!lc_want(lc, src, trunc, YD_MAP, "truncate") ||
            lc_check_keys(lc, src, trunc, tkeys, 2, "truncate")) {
            rc = -1;
        } else {
            ln = yd_get(trunc, "min");
            hn = yd_get(trunc, "max");
            if (!ln && !hn) {
                lc_error(lc, src, trunc, "truncate needs 'min', 'max' or both");
                rc = -1;
            }
            if (ln && lc_const(lc, src, ln, "truncate 'min'", &lo))
                rc = -1;
            if (hn && lc_const(lc, src, hn, "truncate 'max'", &hi))
                rc = -1;
        }
        if (!rc && wa_dist_truncate(out, ln != NULL, lo, hn != NULL, hi, &err)) {
            const yd_node *at = err.arg == 0 ? ln : err.arg == 1 ? hn : trunc;
            lc_fail(lc, src, at ? at : trunc, err.nomem, err.message);
            rc = -1;
        }
        if (rc)
            wa_dist_free(out);
    }
done:
    for (size_t i = 0; vals && i < nargs; i++)
        wa_free(vals[i]);
    if (vals && nargs < cap)
        wa_free(vals[nargs]); /* allocated before a failure in the same round */
    wa_free(vals);
    wa_free(args);
    wa_free((void *)argkeys);
    return rc;
}

/* Whether the expression input `in` depends on the year t, directly or through another
   such input: then it keeps its tree and bindings (and its text and place, for messages)
   to be compiled in place by the items that read it, and returns 1; 0 when it does not;
   -1 after reporting a problem. */
static int yearly_input(builder *b, def *df, wa_input *in, const char *what)
{
    lctx *lc = &b->lc;
    const yd_node *n = def_node(b, df);
    ex_ast *ast = lc_parse(lc, def_src(b, df), n, what);
    if (!ast)
        return -1;
    size_t nn = ex_ast_nnames(ast);
    ex_binding *binds = wa_calloc(nn ? nn : 1, sizeof *binds);
    if (!binds) {
        b->oom = 1;
        ex_ast_free(ast);
        return -1;
    }
    if (lc_bind(lc, def_src(b, df), n, ast, binds, 0, 1, what)) {
        wa_free(binds);
        ex_ast_free(ast);
        return -1;
    }
    int yearly = ex_ast_uses_t(ast);
    for (size_t i = 0; i < nn; i++)
        yearly |= binds[i].inline_ast != NULL;
    if (!yearly) {
        wa_free(binds);
        ex_ast_free(ast);
        return 0;
    }
    if (!(in->formula = wa_calloc(1, sizeof *in->formula))) {
        wa_free(binds);
        ex_ast_free(ast);
        b->oom = 1;
        return -1;
    }
    in->formula->ast = ast;
    in->formula->binds = binds;
    in->formula->expr.text = lc_strdup(n->str);
    in->formula->expr.loc = lc_loc(n);
    in->formula->expr.src = def_src(b, df);
    if (!in->formula->expr.text) {
        b->oom = 1;
        return -1;
    }
    return 1;
}

/* The horizon, read before the economics for an input drawn per year: it must then be a
   plain number. -1 after reporting. */
static int early_horizon(builder *b, const def *df, const yd_node *per)
{
    lctx *lc = &b->lc;
    const yd_node *hn = yd_get(b->root, "horizon");
    ex_error err = {0};
    ex_ast *ast = hn && hn->kind == YD_SCALAR ? ex_parse(hn->str, hn->len, &err) : NULL;
    if (!ast && err.nomem) {
        b->oom = 1;
        return -1;
    }
    double h = -1;
    if (ast && ex_ast_nnames(ast) == 0 && !ex_ast_uses_t(ast)) {
        ex_prog *p = ex_compile(ast, NULL, 1, &err);
        if (!p && err.nomem) {
            ex_ast_free(ast);
            b->oom = 1;
            return -1;
        }
        if (p && ex_prog_const(p, &h) && !(h >= 0 && h <= 1000 && h == floor(h)))
            h = -1;
        ex_prog_free(p);
    }
    ex_ast_free(ast);
    if (h < 0)
        lc_error(lc, def_src(b, df), per,
                 "input '%s' is drawn per year, so horizon must be a whole number (from 0 to "
                 "1000) written as such",
                 def_key(b, df)->str);
    return (int)h;
}

/* `per: year` (SPEC 1.2): the input is drawn afresh for every year 0..horizon, each year
   from its own stream (the hidden sampled inputs NAME@0, NAME@1, ...); the input itself is
   a per-year value whose expression picks the year's draw, compiled in place by the items
   that read it. 0, or -1 after reporting. */
static int per_year_input(builder *b, def *df, size_t idx)
{
    lctx *lc = &b->lc;
    const yd_node *per = yd_get(def_node(b, df), "per");
    if (per->kind != YD_SCALAR || strcmp(per->str, "year")) {
        lc_error(lc, def_src(b, df), per, "'per' must be 'year' (an input drawn afresh every year)%s%s%s",
                 per->kind == YD_SCALAR ? ", not '" : "", per->kind == YD_SCALAR ? per->str : "",
                 per->kind == YD_SCALAR ? "'" : "");
        return -1;
    }
    int h = early_horizon(b, df, per);
    if (h < 0)
        return -1;
    size_t ny = (size_t)h + 1, cap = 32 * ny + 16;
    char *text = wa_malloc(cap);
    ex_binding *binds = wa_calloc(ny, sizeof *binds);
    if (!text || !binds) {
        wa_free(text);
        wa_free(binds);
        b->oom = 1;
        return -1;
    }
    /* t < 1 ? y0 : t < 2 ? y1 : ... : yH: the year's draw (a fractional year takes the
       draw of the whole year it falls in) */
    size_t pos = 0;
    for (size_t k = 0; k + 1 < ny; k++)
        pos += (size_t)snprintf(text + pos, cap - pos, "t < %zu ? y%zu : ", k + 1, k);
    snprintf(text + pos, cap - pos, "y%zu", ny - 1);
    int rc = 0;
    for (size_t k = 0; k < ny && rc == 0; k++) {
        char name[600];
        snprintf(name, sizeof name, "%s@%zu", def_key(b, df)->str, k);
        wa_dist d;
        if (lb_make_dist(b, def_src(b, df), def_node(b, df), def_key(b, df)->str, &d)) {
            rc = -1;
            break;
        }
        int slot = lb_anon_input(b, name, &d, 2);
        if (slot < 0)
            rc = -1;
        binds[k] = (ex_binding){0, 0, slot, NULL, NULL};
    }
    ex_error err;
    ex_ast *ast = rc == 0 ? ex_parse(text, strlen(text), &err) : NULL;
    wa_free(text);
    wa_input *in = &b->m->inputs[idx]; /* after the new inputs: the array may have moved */
    if (!ast || rc) {
        wa_free(binds);
        if (!rc)
            b->oom = 1;
        return -1;
    }
    if (!(in->formula = wa_calloc(1, sizeof *in->formula))) {
        wa_free(binds);
        ex_ast_free(ast);
        b->oom = 1;
        return -1;
    }
    in->kind = WA_IN_YEARLY;
    in->per_year = 1;
    in->formula->ast = ast;
    in->formula->binds = binds;
    in->formula->expr.text = lc_strdup("per: year");
    in->formula->expr.loc = lc_loc(def_node(b, df));
    in->formula->expr.src = def_src(b, df);
    if (!in->formula->expr.text) {
        b->oom = 1;
        return -1;
    }
    return 0;
}

static void resolve_def(builder *b, def *df)
{
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    wa_input *in = lb_new_input(b, def_key(b, df)->str, 1);
    if (!in) {
        b->oom = 1;
        df->bad = 1;
        return;
    }
    size_t idx = m->ninputs - 1;
    const yd_node *n = def_node(b, df);
    if (n->kind == YD_MAP && yd_get(n, "per")) {
        if (per_year_input(b, df, idx))
            df->bad = 1;
    } else if (n->kind == YD_MAP) {
        wa_dist *dist = wa_malloc(sizeof *dist);
        if (!dist) {
            b->oom = 1;
            df->bad = 1;
        } else if (lb_make_dist(b, def_src(b, df), n, def_key(b, df)->str, dist)) {
            wa_free(dist);
            df->bad = 1;
        } else {
            in->dist = dist;
            in->kind = WA_IN_SAMPLED;
            lb_give_slot(m, in);
        }
    } else if (n->kind == YD_SEQ) {
        lc_error(lc, def_src(b, df), n,
                 "input '%s' must be a number, an expression or a distribution, not a sequence",
                 def_key(b, df)->str);
        df->bad = 1;
    } else {
        char what[128];
        snprintf(what, sizeof what, "input '%s'", def_key(b, df)->str);
        wa_expr e;
        int yearly = yearly_input(b, df, in, what);
        if (yearly < 0) {
            df->bad = 1;
        } else if (yearly) {
            in->kind = WA_IN_YEARLY; /* no column: items compile it in place */
        } else if (lc_compile(lc, def_src(b, df), n, what, 0, &e)) {
            df->bad = 1;
        } else if (ex_prog_const(e.prog, &in->value)) {
            if (!isfinite(in->value)) {
                lc_error(lc, def_src(b, df), n, "input '%s' is not a finite number (%s gives %g)",
                         def_key(b, df)->str, n->str, in->value);
                df->bad = 1;
            }
            in->kind = WA_IN_CONST;
            wa_expr_clear(&e);
        } else {
            in->kind = WA_IN_DERIVED;
            if (!(in->formula = wa_calloc(1, sizeof *in->formula))) {
                wa_expr_clear(&e);
                b->oom = 1;
                df->bad = 1;
            } else {
                in->formula->expr = e;
            }
            lb_give_slot(m, in);
        }
    }
    df->input = (uint32_t)idx; /* below ndefs plus the hidden inputs: far below 2^32 */
}

/* Depth-first resolution in dependency order, iterative, reporting each cycle once. */
static int resolve_all(builder *b)
{
    size_t n = b->ndefs;
    /* Every definition makes one input: room for them all at once, not by doubling (which
       would leave up to half of a large file's inputs array unused). */
    if (n > b->cap_inputs) {
        wa_input *in = wa_realloc(b->m->inputs, n * sizeof *in);
        if (!in)
            return -1;
        b->m->inputs = in;
        b->cap_inputs = n;
    }
    /* The DFS stack grows as deep as the longest chain of dependencies, which is short in
       any real file: it starts small rather than at one entry per definition. */
    size_t cap = 64, *stack = wa_malloc(cap * sizeof *stack), *pos = wa_malloc(cap * sizeof *pos);
    if (!stack || !pos) {
        wa_free(stack);
        wa_free(pos);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        if (b->defs[r].state)
            continue;
        size_t top = 0;
        stack[top] = r;
        pos[top] = 0;
        b->defs[r].state = 1;
        top = 1;
        while (top) {
            def *v = &b->defs[stack[top - 1]];
            if (pos[top - 1] < v->ndeps) {
                size_t w = b->deps[v->dep0 + pos[top - 1]++];
                def *dw = &b->defs[w];
                if (dw->state == 0) {
                    if (top == cap) {
                        size_t *s2 = wa_realloc(stack, 2 * cap * sizeof *s2);
                        if (s2)
                            stack = s2;
                        size_t *p2 = s2 ? wa_realloc(pos, 2 * cap * sizeof *p2) : NULL;
                        if (!p2) {
                            wa_free(stack);
                            wa_free(pos);
                            return -1;
                        }
                        pos = p2;
                        cap *= 2;
                    }
                    dw->state = 1;
                    stack[top] = w;
                    pos[top] = 0;
                    top++;
                } else if (dw->state == 1 && !dw->bad) {
                    /* A cycle: w ... v on the stack, back to w. */
                    size_t from = top;
                    while (from > 0 && stack[from - 1] != w)
                        from--;
                    from--;
                    char msg[900];
                    size_t len = 0;
                    len += (size_t)snprintf(msg + len, sizeof msg - len, "inputs form a cycle: ");
                    for (size_t k = from; k < top && len < sizeof msg; k++) {
                        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s -> ",
                                                def_key(b, &b->defs[stack[k]])->str);
                        b->defs[stack[k]].bad = 1;
                    }
                    if (len < sizeof msg)
                        snprintf(msg + len, sizeof msg - len, "%s", def_key(b, dw)->str);
                    lc_error(&b->lc, def_src(b, dw), def_key(b, dw), "%s", msg);
                }
            } else {
                if (!v->bad) {
                    for (size_t k = 0; k < v->ndeps; k++)
                        if (b->defs[b->deps[v->dep0 + k]].bad)
                            v->bad = 1; /* quietly: its dependency was reported */
                }
                v->state = 2;
                if (!v->bad)
                    resolve_def(b, v);
                else {
                    /* still give an index so lookups stay in range */
                    v->input = UINT32_MAX;
                }
                top--;
            }
        }
    }
    wa_free(stack);
    wa_free(pos);
    return b->oom ? -1 : 0;
}

/* ---- the model ---------------------------------------------------------------------- */

static void load_economics(builder *b, const yd_node *root)
{
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    const yd_node *h = yd_get(root, "horizon");
    double v;
    /* m->horizon stays 0 when it is missing or invalid: years are then checked only for
       being >= 0, so one mistake does not cascade into every item */
    if (!h)
        lc_error(lc, NULL, root, "missing required key 'horizon'");
    else if (lc_const_int(lc, NULL, h, "horizon", 1, 100, &v) == 0)
        m->horizon = (int)v;
    const yd_node *r = yd_get(root, "discount_rate");
    if (r && lc_const(lc, NULL, r, "discount_rate", &v) == 0) {
        if (v <= -1)
            {
            char w[160];
            lc_error(lc, NULL, r, "discount_rate must be above -100%%, not %s", lc_written(r, v, w, sizeof w));
        }
        else
            m->discount_rate = v;
    }
    const yd_node *cs = yd_get(root, "currencies");
    if (cs && lc_want(lc, NULL, cs, YD_MAP, "currencies")) {
        /* each rate checked once here, so that its items do not repeat a problem */
        b->bad_currency = wa_calloc(cs->n ? cs->n : 1, 1);
        if (!b->bad_currency) {
            b->oom = 1;
            return;
        }
        for (size_t i = 0; i < cs->n; i++) {
            wa_expr e;
            if (lc_compile(lc, NULL, yd_val(cs, i), "a currency's rate", 1, &e))
                b->bad_currency[i] = 1;
            else
                wa_expr_clear(&e);
        }
        b->currencies = cs;
    }
    const yd_node *rt = yd_get(root, "risk_tolerance");
    if (rt && lc_const(lc, NULL, rt, "risk_tolerance", &v) == 0) {
        if (v <= 0)
            {
            char w[160];
            lc_error(lc, NULL, rt, "risk_tolerance must be positive, not %s", lc_written(rt, v, w, sizeof w));
        }
        else {
            m->has_risk_tolerance = 1;
            m->risk_tolerance = v;
        }
    }
}

/* An item's expression: its program (its text is in the model's pool). */
static void item_expr_clear(wa_expr *e)
{
    ex_prog_free(e->prog);
    memset(e, 0, sizeof *e);
}

void wa_item_clear(wa_item *it)
{
    if (it->nflows > 1)
        wa_free(it->disc.many);
    if (it->borrowed) /* a copy: the original owns the rest */
        return;
    item_expr_clear(&it->amount);
    if (it->more) {
        wa_free(it->more->booked_as);
        item_expr_clear(&it->more->growth);
        item_expr_clear(&it->more->prob);
        item_expr_clear(&it->more->year);
        item_expr_clear(&it->more->rate);
        item_expr_clear(&it->more->vendor_value);
        wa_free(it->more);
    }
}

static void option_clear(wa_option *o)
{
    wa_expr_clear(&o->units_count);
    for (size_t j = 0; j < o->nitems; j++)
        wa_item_clear(&o->items[j]);
    wa_free(o->items);
    wa_free(o->name);
    wa_free(o->description);
    wa_free(o->includes);
    wa_free(o->units_label);
}

void wa_input_describe(const wa_input *in, wa_input_summary *e)
{
    e->size = sizeof *e;
    e->name = in->name;
    e->p10 = e->p50 = e->p90 = e->value = NAN;
    if (in->kind == WA_IN_SAMPLED) {
        e->kind = "sampled";
        e->distribution = wa_dist_name(in->dist->kind);
        double u[3] = {0.1, 0.5, 0.9}, x[3];
        wa_dist_quantiles(in->dist, u, x, 3);
        e->p10 = x[0], e->p50 = x[1], e->p90 = x[2];
    } else if (in->kind == WA_IN_DERIVED || in->kind == WA_IN_YEARLY) {
        e->kind = "derived";
        e->distribution = in->formula->expr.text;
    } else {
        e->kind = "constant";
        e->distribution = NULL;
        e->value = in->value;
    }
}

void wa_model_free(wa_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->ninputs; i++) {
        wa_input *in = &m->inputs[i];
        if (in->formula) {
            wa_expr_clear(&in->formula->expr);
            ex_ast_free(in->formula->ast);
            wa_free(in->formula->binds);
            wa_free(in->formula);
        }
        wa_dist_free(in->dist);
        wa_free(in->dist);
    }
    wa_free(m->inputs);
    wa_strpool_free(&m->names);
    for (size_t i = 0; i < wa_model_nseries(m); i++)
        option_clear(&m->options[i]);
    wa_free(m->options);
    wa_strpool_free(&m->texts);
    if (m->vendor) {
        wa_vendor *v = m->vendor;
        wa_free(v->name);
        for (size_t t = 0; t < v->ntables; t++) {
            wa_free(v->tables[t].name);
            for (size_t j = 0; j < v->tables[t].ncounts; j++)
                wa_free(v->tables[t].counts[j]);
            wa_free(v->tables[t].counts);
        }
        wa_free(v->tables);
        option_clear(&v->walk);
        wa_free(v->offer_series);
        wa_free(v->walk_series);
        wa_free(v->offer_all);
        wa_free(v);
    }
    wa_free(m->include_order);
    wa_free(m->slot_input);
    wa_corr_plan_free(&m->corr);
    wa_free(m->corr_slots);
    for (size_t j = 0; j < m->ncorr_names; j++)
        wa_free(m->corr_names[j]);
    wa_free(m->corr_names);
    wa_free(m->corr_rho);
    for (size_t j = 0; j < m->nghosts; j++)
        wa_free(m->ghosts[j].name);
    wa_free(m->ghosts);
    wa_free(m->corr_warning);
    wa_free(m->corr_note);
    wa_free(m->per_year_note);
    wa_free(m);
}

static void finish(wa_model *m)
{
    /* slot -> input, and the largest expression workspace a block needs */
    for (size_t i = 0; i < m->ninputs; i++)
        if (m->inputs[i].slot >= 0)
            m->slot_input[m->inputs[i].slot] = i;
    size_t ws = 0, w;
    for (size_t i = 0; i < m->ninputs; i++)
        if (m->inputs[i].kind == WA_IN_DERIVED &&
            (w = ex_prog_workspace(m->inputs[i].formula->expr.prog, WA_BLOCK)) > ws)
            ws = w;
    for (size_t i = 0; i < wa_model_nseries(m); i++)
        for (size_t j = 0; j < m->options[i].nitems; j++) {
            const wa_item *it = &m->options[i].items[j];
            if (it->amount.prog && (w = ex_prog_workspace(it->amount.prog, WA_BLOCK)) > ws)
                ws = w;
            if (it->has_growth && (w = ex_prog_workspace(it->more->growth.prog, WA_BLOCK)) > ws)
                ws = w;
            if (it->has_prob && (w = ex_prog_workspace(it->more->prob.prog, WA_BLOCK)) > ws)
                ws = w;
            if (it->has_year && (w = ex_prog_workspace(it->more->year.prog, WA_BLOCK)) > ws)
                ws = w;
            if (it->has_rate && (w = ex_prog_workspace(it->more->rate.prog, WA_BLOCK)) > ws)
                ws = w;
        }
    m->workspace = ws;
}

/* The quantile tables of the sampled inputs, about a millisecond each: copied from the
   input of the same name in `share` where it has the same distribution (a variant's
   untouched inputs), the others built together once the model is known to be valid,
   shared among OpenMP's default team (each table is the same whoever builds it). Returns
   0, or -1 when out of memory. */
static int build_tables(wa_model *m, const wa_model *share)
{
    int oom = 0;
    long n = (long)m->ninputs;
    for (size_t i = 0; share && i < m->ninputs; i++) {
        wa_input *in = &m->inputs[i];
        if (in->kind != WA_IN_SAMPLED)
            continue;
        for (size_t j = 0; j < share->ninputs; j++)
            if (share->inputs[j].kind == WA_IN_SAMPLED &&
                !strcmp(share->inputs[j].name, in->name)) {
                if (wa_dist_share_table(in->dist, share->inputs[j].dist) < 0)
                    return -1;
                break;
            }
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (long i = 0; i < n; i++) {
        wa_input *in = &m->inputs[i];
        if (in->kind == WA_IN_SAMPLED && wa_dist_build_table(in->dist)) {
#pragma omp atomic write
            oom = 1;
        }
    }
    return oom ? -1 : 0;
}

/* "'a' and 'b' are drawn per year: ..." when the model has such inputs (SPEC 1.2: the
   insight leaves them out, with a note). -1 when out of memory. */
static int per_year_note(wa_model *m)
{
    size_t len = 0, k = 0;
    for (size_t i = 0; i < m->ninputs; i++)
        if (m->inputs[i].per_year)
            len += strlen(m->inputs[i].name) + 8, k++;
    if (!k)
        return 0;
    m->per_year_note = wa_malloc(len + 160);
    if (!m->per_year_note)
        return -1;
    size_t pos = 0, j = 0;
    for (size_t i = 0; i < m->ninputs; i++) {
        if (!m->inputs[i].per_year)
            continue;
        pos += (size_t)sprintf(m->per_year_note + pos, "%s'%s'",
                               j == 0 ? "" : j + 1 == k ? " and " : ", ", m->inputs[i].name);
        j++;
    }
    sprintf(m->per_year_note + pos,
            " %s drawn per year: the sensitivity and the value of information leave %s out",
            k == 1 ? "is" : "are", k == 1 ? "it" : "them");
    return 0;
}

wa_status wa_model_build(const wa_source *src, const yd_node *root, const wa_override *ov,
                         size_t nov, const wa_model *share, wa_build mode, wa_model **out,
                         wa_diagnostics *d)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.lc.src = src;
    b.lc.d = d;
    b.lc.resolve = resolve;
    b.lc.names = all_names;
    b.lc.owner = &b;
    b.root = root;
    b.variant = nov > 0;
    *out = NULL;
    b.m = wa_calloc(1, sizeof *b.m);
    if (!b.m)
        return WA_ENOMEM;
    wa_model *m = b.m;

    const yd_node *inputs = yd_get(root, "inputs");
    if (inputs && !lc_want(&b.lc, NULL, inputs, YD_MAP, "inputs"))
        inputs = NULL;
    if (collect_defs(&b, inputs, ov, nov) || resolve_all(&b))
        b.oom = 1;
    if (!b.oom && mode != WA_BUILD_CHECK_INPUTS) {
        load_economics(&b, root);
        lb_load_options(&b, root, "offers", 1);
        m->noffers = m->noptions;
        lb_load_options(&b, root, "alternatives", 0);
        lb_load_includes(&b);
        lb_load_walk(&b, root);
        lb_load_vendor(&b, root);
        lb_units_series(&b);
        lb_vendor_series(&b);
        lb_unused_overrides(&b);
    }
    if (!b.oom && !b.lc.nerr && per_year_note(m))
        b.oom = 1;
    if (!b.oom && !b.lc.nerr) {
        m->slot_input = wa_calloc(m->nslots ? m->nslots : 1, sizeof *m->slot_input);
        if (!m->slot_input)
            b.oom = 1;
        else
            finish(m);
    }
    if (!b.oom && !b.lc.nerr && mode == WA_BUILD_FULL && build_tables(m, share))
        b.oom = 1;
    wa_free(b.deps);
    wa_free(b.defs);
    wa_free((void *)b.names);
    wa_name_slots_free(&b.def_index);
    wa_name_slots_free(&b.labels);
    wa_free((void *)b.inl);
    wa_free(b.inl_used);
    wa_free(b.bad_currency);
    if (b.oom) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory");
        wa_model_free(m);
        return WA_ENOMEM;
    }
    if (b.lc.nerr) {
        wa_model_free(m);
        return WA_EINVALID;
    }
    *out = m;
    return WA_OK;
}
