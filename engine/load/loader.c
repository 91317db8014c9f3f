/*
 * loader.c — shared loader pieces: located errors, key checks, expressions from nodes.
 */
#include "load/loader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"
#include "util/alloc.h"

wa_loc lc_loc(const yd_node *n)
{
    wa_loc l = {n ? n->line : 0, n ? n->col : 0};
    return l;
}

static void vreport(lctx *lc, wa_severity sev, const wa_source *src, int line, int col,
                    const char *fmt, va_list ap)
{
    wa_diag_vadd(lc->d, sev, WA_EINVALID, src ? src : lc->src, line, col, fmt, ap);
    if (sev == WA_ERROR)
        lc->nerr++;
}

void lc_oom(lctx *lc, const wa_source *src, const yd_node *n)
{
    wa_diag_add(lc->d, WA_ERROR, WA_ENOMEM, src ? src : lc->src, n ? n->line : 0,
                n ? n->col : 0, "out of memory");
    lc->nerr++;
}

void lc_fail(lctx *lc, const wa_source *src, const yd_node *n, int nomem, const char *msg)
{
    if (nomem)
        lc_oom(lc, src, n);
    else
        lc_error(lc, src, n, "%s", msg);
}

void lc_fail_at(lctx *lc, const wa_source *src, int line, int col, int nomem, const char *msg)
{
    if (nomem) {
        wa_diag_add(lc->d, WA_ERROR, WA_ENOMEM, src ? src : lc->src, line, col, "out of memory");
        lc->nerr++;
    } else {
        lc_error_at(lc, src, line, col, "%s", msg);
    }
}

void lc_error(lctx *lc, const wa_source *src, const yd_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(lc, WA_ERROR, src, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
}

void lc_error_at(lctx *lc, const wa_source *src, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(lc, WA_ERROR, src, line, col, fmt, ap);
    va_end(ap);
}

void lc_warning(lctx *lc, const wa_source *src, const yd_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(lc, WA_WARNING, src, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
}

int lc_check_keys(lctx *lc, const wa_source *src, const yd_node *map,
                  const char *const *allowed, size_t n, const char *where)
{
    int bad = 0;
    if (!map || map->kind != YD_MAP)
        return 0;
    for (size_t i = 0; i < map->n; i++) {
        const yd_node *k = yd_key(map, i);
        size_t j;
        for (j = 0; j < n; j++)
            if (strcmp(k->str, allowed[j]) == 0)
                break;
        if (j < n)
            continue;
        const char *s = wa_suggest(k->str, k->len, allowed, n);
        /* a key like "b)" or "5000]" is the rest of an expression that a comma inside
           {...} cut off (SPEC 1.1: such an expression must be quoted) */
        int cut = strpbrk(k->str, "()[]*/+^<>=") != NULL;
        if (cut)
            lc_error(lc, src, k,
                     "unknown key '%s' in %s: an expression holding a comma inside {...} "
                     "must be quoted, as in amount: \"min(a, b)\"",
                     k->str, where);
        else if (s)
            lc_error(lc, src, k, "unknown key '%s' in %s; did you mean '%s'?", k->str, where, s);
        else
            lc_error(lc, src, k, "unknown key '%s' in %s", k->str, where);
        bad++;
    }
    return bad;
}

const char *lc_written(const yd_node *n, double v, char *buf, size_t size)
{
    if (!n || n->kind != YD_SCALAR || !n->len) {
        snprintf(buf, size, "%g", v);
        return buf;
    }
    int number = strspn(n->str, "0123456789._eE+-%kMB") == n->len;
    if (number)
        snprintf(buf, size, "%s", n->str);
    else
        snprintf(buf, size, "%s = %.6g", n->str, v);
    return buf;
}

int lc_want(lctx *lc, const wa_source *src, const yd_node *n, yd_kind kind, const char *what)
{
    if (n && n->kind == kind)
        return 1;
    if (n)
        lc_error(lc, src, n, "'%s' must be %s, not %s", what, yd_kind_name(kind),
                 yd_kind_name(n->kind));
    return 0;
}

ex_ast *lc_parse(lctx *lc, const wa_source *src, const yd_node *n, const char *what)
{
    if (!src)
        src = lc->src;
    if (n->kind != YD_SCALAR) {
        lc_error(lc, src, n, "'%s' must be a number or an expression, not %s", what,
                 yd_kind_name(n->kind));
        return NULL;
    }
    if (n->len == 0 && n->style == 0) {
        lc_error(lc, src, n, "'%s' has no value", what);
        return NULL;
    }
    ex_error err;
    ex_ast *ast = ex_parse(n->str, n->len, &err);
    if (!ast) {
        int line = n->line;
        int col = yd_scalar_column(src, n, err.offset, &line);
        /* an expression that ends in the middle of a call or a list was most likely cut
           by a comma inside {...}, where it needed quotes */
        int cut = err.offset >= n->len && (!strcmp(err.message, "expected ')'") ||
                                           !strcmp(err.message, "expected ']'"));
        if (err.nomem)
            lc_fail_at(lc, src, line, col, 1, err.message);
        else
            lc_error_at(lc, src, line, col, "%s%s", err.message,
                        cut ? ": if it holds a comma inside {...}, quote it, as in "
                              "amount: \"min(a, b)\""
                            : "");
    }
    return ast;
}

int lc_bind(lctx *lc, const wa_source *src, const yd_node *n, const ex_ast *ast,
            ex_binding *binds, int const_only, int allow_t, const char *what)
{
    int rc = 0;
    if (!src)
        src = lc->src;
    for (size_t i = 0; i < ex_ast_nnames(ast); i++) {
        size_t off = 0;
        const char *name = ex_ast_name(ast, i, &off);
        lc_name r = lc->resolve(lc, name);
        binds[i].is_const = 1;
        binds[i].value = 0;
        binds[i].slot = -1;
        binds[i].inline_ast = NULL;
        binds[i].inline_binds = NULL;
        if (!r.found) {
            int line = n->line;
            int col = yd_scalar_column(src, n, off, &line);
            size_t nn = 0;
            const char *const *names = lc->names(lc, &nn);
            const char *s = wa_suggest(name, strlen(name), names, nn);
            if (s)
                lc_error_at(lc, src, line, col, "unknown input '%s'; did you mean '%s'?", name, s);
            else
                lc_error_at(lc, src, line, col, "unknown input '%s'", name);
            rc = -1;
        } else if (r.bad) {
            rc = -1; /* already reported where it is defined */
        } else if (r.is_const) {
            binds[i].value = r.value;
        } else if (r.ast && !allow_t) {
            /* SPEC 1.1: t has a value only where a cash flow is evaluated */
            int line = n->line;
            int col = yd_scalar_column(src, n, off, &line);
            lc_error_at(lc, src, line, col,
                        "'%s' depends on the year t, which %s does not have: only an "
                        "item's amount, growth, probability and currency rate, and a "
                        "price_units count, are evaluated at a cash flow's year",
                        name, what);
            rc = -1;
        } else if (r.ast) {
            binds[i].is_const = 0;
            binds[i].inline_ast = r.ast;
            binds[i].inline_binds = r.binds;
        } else if (const_only) {
            int line = n->line;
            int col = yd_scalar_column(src, n, off, &line);
            lc_error_at(lc, src, line, col, "%s must be a constant, but '%s' is uncertain", what,
                        name);
            rc = -1;
        } else {
            binds[i].is_const = 0;
            binds[i].slot = r.slot;
        }
    }
    return rc;
}

/* Parse, bind and compile; the program or NULL after reporting. */
static ex_prog *compile_node(lctx *lc, const wa_source *src, const yd_node *n, const char *what,
                             int const_only, int allow_t)
{
    ex_ast *ast = lc_parse(lc, src, n, what);
    if (!ast)
        return NULL;
    size_t nn = ex_ast_nnames(ast);
    ex_binding *binds = wa_calloc(nn ? nn : 1, sizeof *binds);
    ex_prog *p = NULL;
    if (!binds) {
        lc_oom(lc, src, n);
    } else if (!allow_t && ex_ast_uses_t(ast)) {
        /* SPEC 1.1: no construct reads t as 0 */
        int line = n->line;
        int col = yd_scalar_column(src ? src : lc->src, n, ex_ast_t_offset(ast), &line);
        lc_error_at(lc, src, line, col,
                    "%s cannot use t: t is the year of a cash flow, and only an item's amount, "
                    "growth, probability and currency rate, and a price_units count, are "
                    "evaluated at one",
                    what);
    } else if (lc_bind(lc, src, n, ast, binds, const_only, allow_t, what) == 0) {
        ex_error err;
        p = ex_compile(ast, binds, !allow_t, &err);
        if (!p) {
            int line = n->line;
            int col = yd_scalar_column(src ? src : lc->src, n, err.offset, &line);
            lc_fail_at(lc, src, line, col, err.nomem, err.message);
        }
    }
    wa_free(binds);
    ex_ast_free(ast);
    return p;
}

int lc_const(lctx *lc, const wa_source *src, const yd_node *n, const char *what, double *out)
{
    ex_prog *p = compile_node(lc, src, n, what, 1, 0);
    if (!p)
        return -1;
    double v = 0;
    int ok = ex_prog_const(p, &v);
    ex_prog_free(p);
    if (!ok) { /* cannot happen with const_only binding and t folded; keep the guard */
        lc_error(lc, src, n, "%s must be a constant", what);
        return -1;
    }
    if (!isfinite(v)) {
        lc_error(lc, src, n, "%s is not a finite number (%s gives %g)", what, n->str, v);
        return -1;
    }
    *out = v;
    return 0;
}

int lc_const_int(lctx *lc, const wa_source *src, const yd_node *n, const char *what,
                 double lo, double hi, double *out)
{
    double v;
    if (lc_const(lc, src, n, what, &v))
        return -1;
    if (v != floor(v) || v < lo || v > hi) {
        lc_error(lc, src, n, "%s must be a whole number from %.15g to %.15g, not %.15g", what, lo,
                 hi, v);
        return -1;
    }
    *out = v;
    return 0;
}

int lc_compile(lctx *lc, const wa_source *src, const yd_node *n, const char *what,
               int allow_t, wa_expr *e)
{
    memset(e, 0, sizeof *e);
    ex_prog *p = compile_node(lc, src, n, what, 0, allow_t);
    if (!p)
        return -1;
    e->prog = p;
    e->loc = lc_loc(n);
    e->src = src ? src : lc->src;
    e->text = lc_strdup(n->kind == YD_SCALAR ? n->str : "");
    if (!e->text) {
        lc_oom(lc, src, n);
        wa_expr_clear(e);
        return -1;
    }
    return 0;
}

void wa_expr_clear(wa_expr *e)
{
    if (!e)
        return;
    ex_prog_free(e->prog);
    wa_free(e->text);
    memset(e, 0, sizeof *e);
}

char *lc_strdup(const char *s)
{
    size_t n = strlen(s);
    char *r = wa_malloc(n + 1);
    if (r)
        memcpy(r, s, n + 1);
    return r;
}
