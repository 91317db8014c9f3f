/*
 * vary.c — `--vary` specifications parsed and checked against the scenario (see vary.h).
 *
 * A value becomes the `--set` change that makes it, so a study's point is, by
 * construction, the run `walkaway run --set ...` would make: an input is set to the
 * number (written with 17 significant digits, which read back to the same double); a
 * distribution parameter is set by restating the input's whole mapping with that one
 * parameter replaced.
 */
#include "study/vary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "load/diag.h"
#include "load/model.h"
#include "study/base.h"
#include "load/yamldoc.h"
#include "util/suggest.h"
#include "util/alloc.h"


/* A number in scenario syntax ("40%", "1.2M", "2_500"): a constant expression without
   names. 0; -1 when s is none; NOMEM when memory ran out reading it. */
#define NOMEM (-2)
static int parse_number(const char *s, size_t len, double *out)
{
    ex_error err = {0};
    ex_ast *ast = ex_parse(s, len, &err);
    if (!ast)
        return err.nomem ? NOMEM : -1;
    int ok = ex_ast_nnames(ast) == 0 && !ex_ast_uses_t(ast);
    ex_prog *p = ok ? ex_compile(ast, NULL, 1, &err) : NULL;
    ex_ast_free(ast);
    double v = 0;
    if (ok && !p && err.nomem)
        return NOMEM;
    ok = p && ex_prog_const(p, &v) && isfinite(v);
    ex_prog_free(p);
    if (ok)
        *out = v;
    return ok ? 0 : -1;
}

/* The two ends of FROM:TO, read: 0, -1 or NOMEM as parse_number. */
static int parse_ends(const char *from, size_t lf, const char *to, size_t lt, double *a,
                      double *b)
{
    int rc = parse_number(from, lf, a);
    return rc ? rc : parse_number(to, lt, b);
}

static wa_status out_of_memory(wa_diagnostics *d)
{
    wa_diag_add(d, WA_ERROR, WA_ENOMEM, NULL, 0, 0, "out of memory");
    return WA_ENOMEM;
}

/* ---- text building -------------------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t n, cap;
    int oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *t = wa_realloc(b->s, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* A scalar double-quoted, so that no character of it means anything to YAML. */
static void put_quoted(buf *b, const char *s)
{
    puts_(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            put(b, "\\", 1);
        if (*s == '\n')
            puts_(b, "\\n");
        else
            put(b, s, 1);
    }
    puts_(b, "\"");
}

/* n as flow YAML, with the value under key `replace` (in n itself) written as `with`. */
static void put_flow(buf *b, const yd_node *n, const char *replace, const char *with)
{
    if (n->kind == YD_SCALAR) {
        put_quoted(b, n->str);
    } else if (n->kind == YD_SEQ) {
        puts_(b, "[");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                puts_(b, ", ");
            put_flow(b, yd_val(n, i), NULL, NULL);
        }
        puts_(b, "]");
    } else {
        puts_(b, "{");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                puts_(b, ", ");
            put_quoted(b, yd_key(n, i)->str);
            puts_(b, ": ");
            if (replace && !strcmp(yd_key(n, i)->str, replace))
                puts_(b, with);
            else
                put_flow(b, yd_val(n, i), NULL, NULL);
        }
        puts_(b, "}");
    }
}

/* ---- the definition varied ------------------------------------------------------------ */

/* The node that defines input `name` in variant `variant` (its `set` first, then the
   base's `inputs`), or NULL. */
static const yd_node *definition(const wa_scenario *sc, long variant, const char *name)
{
    if (variant >= 0) {
        const yd_node *v = yd_get(sc->variants[variant].set, name);
        if (v)
            return v;
    }
    return yd_get(yd_get(yd_root(sc->doc), "inputs"), name);
}

/* The base's input names, for suggestions; NULL-free array of *n, malloc'ed. */
static const char **input_names(const wa_scenario *sc, size_t *n)
{
    const yd_node *inputs = yd_get(yd_root(sc->doc), "inputs");
    *n = 0;
    if (!inputs || inputs->kind != YD_MAP)
        return NULL;
    const char **v = wa_malloc((inputs->n + 1) * sizeof *v);
    if (v)
        for (size_t i = 0; i < inputs->n; i++)
            v[(*n)++] = yd_key(inputs, i)->str;
    return v;
}

static wa_status check_name(const wa_vary *v, const char *param, const wa_scenario *sc,
                            long variant, const yd_node **def, wa_diagnostics *d)
{
    *def = definition(sc, variant, v->input);
    if (!*def) {
        size_t n;
        const char **names = input_names(sc, &n);
        const char *s = names ? wa_suggest(v->input, strlen(v->input), names, n) : NULL;
        wa_status st = s ? wa_study_usage(d, "--vary: no input named '%s' (did you mean '%s'?)", v->input, s)
                         : wa_study_usage(d, "--vary: no input named '%s'", v->input);
        wa_free((void *)names);
        return st;
    }
    if (!param)
        return WA_OK;
    const yd_node *n = *def;
    if (n->kind != YD_MAP || !yd_get(n, "dist"))
        return wa_study_usage(d, "--vary %s: '%s' is not a distribution, so it has no parameter '%s'",
                     v->name, v->input, param);
    const yd_node *val = yd_get(n, param);
    if (!val || !strcmp(param, "dist")) {
        const char **keys = wa_malloc((n->n + 1) * sizeof *keys);
        size_t nk = 0;
        char listed[512] = "";
        for (size_t i = 0; keys && i < n->n; i++) {
            if (!strcmp(yd_key(n, i)->str, "dist"))
                continue;
            keys[nk++] = yd_key(n, i)->str;
            size_t len = strlen(listed);
            snprintf(listed + len, sizeof listed - len, "%s%s", len ? ", " : "",
                     yd_key(n, i)->str);
        }
        const char *s = keys ? wa_suggest(param, strlen(param), keys, nk) : NULL;
        char hint[600];
        if (s)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", s);
        else
            snprintf(hint, sizeof hint, " (its mapping writes %s)", listed);
        wa_free((void *)keys);
        return wa_study_usage(d, "--vary %s: '%s' has no parameter '%s'%s", v->name, v->input, param,
                     hint);
    }
    if (val->kind != YD_SCALAR)
        return wa_study_usage(d, "--vary %s: '%s' is %s; only a single number can be varied", v->name,
                     param, yd_kind_name(val->kind));
    return WA_OK;
}

/* ---- values --------------------------------------------------------------------------- */

static wa_status parse_values(wa_vary *v, const char *spec, wa_diagnostics *d)
{
    const char *c1 = strchr(spec, ':');
    if (c1) {
        const char *c2 = strchr(c1 + 1, ':');
        double from, to;
        if (!c2 || strchr(c2 + 1, ':'))
            return wa_study_usage(d, "--vary %s: expected FROM:TO:STEPS, not '%s'", v->name, spec);
        int rc = parse_ends(spec, (size_t)(c1 - spec), c1 + 1, (size_t)(c2 - c1 - 1), &from, &to);
        if (rc == NOMEM)
            return out_of_memory(d);
        if (rc)
            return wa_study_usage(d, "--vary %s: FROM and TO must be numbers, in '%s'", v->name, spec);
        const char *st = c2 + 1;
        long steps = 0;
        int ok = *st != '\0';
        for (const char *p = st; *p && ok; p++) {
            ok = *p >= '0' && *p <= '9';
            steps = steps * 10 + (*p - '0');
            if (steps > WA_MAX_POINTS)
                ok = 0;
        }
        if (!ok || steps < 2)
            return wa_study_usage(d, "--vary %s: STEPS must be a whole number from 2 to 1000000, not '%s'",
                         v->name, st);
        v->values = wa_malloc((size_t)steps * sizeof *v->values);
        if (!v->values)
            return WA_ENOMEM;
        v->nvalues = (size_t)steps;
        for (long j = 0; j < steps; j++) /* the ends exactly as written */
            v->values[j] = j == steps - 1 ? to : from + (to - from) * (double)j / (double)(steps - 1);
        return WA_OK;
    }
    size_t n = 1;
    for (const char *p = spec; *p; p++)
        n += *p == ',';
    if (n > WA_MAX_POINTS)
        return wa_study_usage(d, "--vary %s: more than 1000000 values", v->name);
    v->values = wa_malloc(n * sizeof *v->values);
    if (!v->values)
        return WA_ENOMEM;
    const char *p = spec;
    for (size_t j = 0; j < n; j++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)(len < 100 ? len : 100), p);
        int rc = parse_number(p, len, &v->values[j]);
        if (rc == NOMEM)
            return out_of_memory(d);
        if (rc)
            return wa_study_usage(d, "--vary %s: '%s' is not a number", v->name, item);
        p += len + 1;
    }
    v->nvalues = n;
    return WA_OK;
}

/* FROM:TO with FROM < TO, for a solve. */
static wa_status parse_range(wa_vary *v, const char *spec, wa_diagnostics *d)
{
    const char *c1 = strchr(spec, ':');
    double from, to;
    if (!c1 || strchr(c1 + 1, ':'))
        return wa_study_usage(d, "--vary %s: expected FROM:TO, not '%s'", v->name, spec);
    int rc = parse_ends(spec, (size_t)(c1 - spec), c1 + 1, strlen(c1 + 1), &from, &to);
    if (rc == NOMEM)
        return out_of_memory(d);
    if (rc)
        return wa_study_usage(d, "--vary %s: FROM and TO must be numbers, in '%s'", v->name, spec);
    if (!(from < to))
        return wa_study_usage(d, "--vary %s: FROM must be below TO, in '%s'", v->name, spec);
    v->values = wa_malloc(2 * sizeof *v->values);
    if (!v->values)
        return WA_ENOMEM;
    v->values[0] = from;
    v->values[1] = to;
    v->nvalues = 2;
    return WA_OK;
}

/* ---- the whole ------------------------------------------------------------------------ */

char *wa_vary_set(const wa_vary *v, double x)
{
    char num[40];
    snprintf(num, sizeof num, "%.17g", x);
    buf b = {0};
    puts_(&b, v->input);
    puts_(&b, "=");
    if (v->param)
        put_flow(&b, v->def, v->param, num);
    else
        puts_(&b, num);
    if (b.oom) {
        wa_free(b.s);
        return NULL;
    }
    return b.s;
}

/* NAME checked, then its values by values(); range: the spec is FROM:TO. */
static wa_status parse(const char *spec, const wa_scenario *sc, long variant, wa_vary *v,
                       int range, wa_diagnostics *d)
{
    memset(v, 0, sizeof *v);
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec || !eq[1])
        return range ? wa_study_usage(d, "--vary needs NAME=FROM:TO, not '%s'", spec ? spec : "")
                     : wa_study_usage(d, "--vary needs NAME=FROM:TO:STEPS or NAME=V1,V2,..., not '%s'",
                             spec ? spec : "");
    v->name = wa_strndup(spec, (size_t)(eq - spec));
    if (!v->name)
        return WA_ENOMEM;
    char *dot = strchr(v->name, '.');
    v->input = wa_strndup(v->name, dot ? (size_t)(dot - v->name) : strlen(v->name));
    if (!v->input)
        return WA_ENOMEM;
    v->param = dot ? dot + 1 : NULL;
    wa_status st = check_name(v, v->param, sc, variant, &v->def, d);
    if (st == WA_OK)
        st = range ? parse_range(v, eq + 1, d) : parse_values(v, eq + 1, d);
    if (st != WA_OK || range)
        return st;
    v->sets = wa_calloc(v->nvalues, sizeof *v->sets);
    if (!v->sets)
        return WA_ENOMEM;
    for (size_t j = 0; j < v->nvalues; j++)
        if (!(v->sets[j] = wa_vary_set(v, v->values[j])))
            return WA_ENOMEM;
    return WA_OK;
}

wa_status wa_vary_parse(const char *spec, const wa_scenario *sc, long variant, wa_vary *v,
                        wa_diagnostics *d)
{
    return parse(spec, sc, variant, v, 0, d);
}

wa_status wa_vary_parse_range(const char *spec, const wa_scenario *sc, long variant,
                              wa_vary *v, wa_diagnostics *d)
{
    return parse(spec, sc, variant, v, 1, d);
}

void wa_vary_clear(wa_vary *v)
{
    if (!v)
        return;
    for (size_t j = 0; v->sets && j < v->nvalues; j++)
        wa_free(v->sets[j]);
    wa_free(v->sets);
    wa_free(v->values);
    wa_free(v->input);
    wa_free(v->name);
    memset(v, 0, sizeof *v);
}
