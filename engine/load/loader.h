/*
 * loader.h — what every stage of the loader shares: error reporting with locations,
 * key checking with suggestions, and turning scalar nodes into expressions and constants.
 *
 * Every function reports its problems to the loader's diagnostics and counts them in
 * lc->nerr, so the loader goes on and reports all problems of a file, not just the first.
 */
#ifndef WA_LOAD_LOADER_H
#define WA_LOAD_LOADER_H

#include "load/diag.h"
#include "expr/expr.h"
#include "load/located.h"
#include "load/yamldoc.h"

/* How a name in an expression resolves. */
typedef struct lc_name {
    int found;       /* 0: no such input */
    int bad;         /* the input itself is in error: stay quiet about its users */
    int is_const;
    double value;
    int slot;        /* when not constant */
    /* a value that depends on the year t: its expression and bindings, compiled in
       place where a cash flow's year exists (ex_binding's inline_ast) */
    const struct ex_ast *ast;
    const struct ex_binding *binds;
} lc_name;

typedef struct lctx lctx;
struct lctx {
    const wa_source *src; /* the file being read (for nodes of other sources, see below) */
    wa_diagnostics *d;
    int nerr;
    /* Name resolution, provided by the stage that owns the inputs. */
    lc_name (*resolve)(lctx *lc, const char *name);
    const char *const *(*names)(lctx *lc, size_t *n); /* all input names, for suggestions */
    void *owner;
};

wa_loc lc_loc(const yd_node *n);

/* An error at node n of source src (NULL: lc->src). */
/* "out of memory" at n, as an error whose code is WA_ENOMEM. */
void lc_oom(lctx *lc, const wa_source *src, const yd_node *n);
/* The message of a parser's or a distribution's error at n, or at line:col for lc_fail_at:
   out of memory (lc_oom's) when nomem says it was that. */
void lc_fail(lctx *lc, const wa_source *src, const yd_node *n, int nomem, const char *msg);
void lc_fail_at(lctx *lc, const wa_source *src, int line, int col, int nomem, const char *msg);
void lc_error(lctx *lc, const wa_source *src, const yd_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lc_error_at(lctx *lc, const wa_source *src, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void lc_warning(lctx *lc, const wa_source *src, const yd_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports every key of map not in allowed[0..n) ("unknown key 'x' in where; did you mean
   'y'?"). Returns the number of unknown keys. */
int lc_check_keys(lctx *lc, const wa_source *src, const yd_node *map,
                  const char *const *allowed, size_t n, const char *where);

/* Checks that n is a mapping / sequence / scalar; reports "'what' must be a mapping, not
   a sequence" otherwise. Returns nonzero when it is. */
/* A value as the user wrote it, for messages (SPEC 1.1): the node's text ("3M", "150%"),
   followed by " = v" when it is an expression rather than a number. Into buf. */
const char *lc_written(const yd_node *n, double v, char *buf, size_t size);

int lc_want(lctx *lc, const wa_source *src, const yd_node *n, yd_kind kind, const char *what);

/* Parses scalar node n as an expression; NULL after reporting the problem. */
ex_ast *lc_parse(lctx *lc, const wa_source *src, const yd_node *n, const char *what);

/* Resolves ast's names into binds (ex_ast_nnames entries). With const_only, every name must
   be a constant input ("'what' must be a constant, but 'x' is uncertain"). Returns 0, or -1
   after reporting (or silently when a name's own definition is in error). */
int lc_bind(lctx *lc, const wa_source *src, const yd_node *n, const ex_ast *ast,
            ex_binding *binds, int const_only, int allow_t, const char *what);

/* The value of constant expression node n. Returns 0, or -1 after reporting. The value is
   finite. */
int lc_const(lctx *lc, const wa_source *src, const yd_node *n, const char *what, double *out);

/* A constant that must be a whole number in [lo, hi]. */
int lc_const_int(lctx *lc, const wa_source *src, const yd_node *n, const char *what,
                 double lo, double hi, double *out);

/* Compiles node n into e (text, location, program); t is the cash flow's year when
   allow_t, else 0. Returns 0, or -1 after reporting. */
int lc_compile(lctx *lc, const wa_source *src, const yd_node *n, const char *what,
               int allow_t, wa_expr *e);

void wa_expr_clear(wa_expr *e);

/* A malloc'd copy of a scalar's text (NULL on OOM). */
char *lc_strdup(const char *s);

#endif
