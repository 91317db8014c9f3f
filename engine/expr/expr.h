/*
 * expr.h — the expression language of scenario values (SPEC §1.1): parse once, compile
 * once, evaluate over whole columns of trials.
 *
 * Pipeline: ex_parse (text → syntax tree, names left unresolved) → the caller binds each
 * referenced name to a constant or to a column slot → ex_compile (tree → flat program,
 * constants folded) → ex_eval (program × columns → column), with no allocation and no
 * parsing per trial.
 *
 * Grammar, lowest precedence first:
 *   expr    := or ('?' expr ':' expr)?                 right-associative
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := add (('<'|'<='|'>'|'>='|'=='|'!=') add)*  yields 1 or 0
 *   add     := mul (('+'|'-') mul)*
 *   mul     := unary (('*'|'/') unary)*
 *   unary   := '-' unary | '+' unary | pow
 *   pow     := atom ('^' unary)?                      right-associative: 2^3^2 = 2^9, -2^2 = -4
 *   atom    := NUMBER | NAME | NAME '(' args ')' | '(' expr ')'
 * NUMBER: digits with optional '_' between digits, optional fraction and exponent, then an
 * optional suffix k (1e3), M (1e6), B (1e9) or % (1e-2), e.g. 1_200, 2.5M, 8%, 1e-3.
 * NAME: [A-Za-z_][A-Za-z0-9_]*; `t` is the cash flow's year; `and`, `or`, `not` are words
 * of the language. Functions: min, max (1 or more arguments), abs, sqrt, exp, ln, log10,
 * floor, ceil, round (half away from zero) with 1; pow with 2; clamp(x, lo, hi) and
 * if(c, a, b) with 3. Truth: nonzero. Both branches of `?:`/if are evaluated column-wise;
 * only the chosen one reaches the result, so a NaN in the other does not leak. A NaN
 * operand of a comparison, of and/or/not, of min/max or a NaN condition gives NaN, so that
 * no NaN is silently turned into a choice: the caller's finiteness check sees it.
 */
#ifndef WA_EXPR_H
#define WA_EXPR_H

#include <stddef.h>

typedef struct ex_ast ex_ast;
typedef struct ex_prog ex_prog;

/* A parse or compile error: byte offset into the expression text and a one-line message,
   e.g. "unknown function 'mx'; did you mean 'max'?". */
typedef struct ex_error {
    size_t offset;
    char message[256];
    int nomem; /* 1: the failure was a lack of memory (set by the callee, either way) */
} ex_error;

/* Parses text[0..len) (need not be NUL-terminated). NULL on error, with *err filled; or on
   out of memory, with err->message "out of memory". Caller frees with ex_ast_free. */
ex_ast *ex_parse(const char *text, size_t len, ex_error *err);
void ex_ast_free(ex_ast *ast);

/* The distinct names the expression refers to (not functions, not t), in order of first
   appearance; *offset (may be NULL) gets the byte offset of the first appearance.
   The string is NUL-terminated and borrowed from ast. */
size_t ex_ast_nnames(const ex_ast *ast);
const char *ex_ast_name(const ex_ast *ast, size_t i, size_t *offset);
/* Nonzero when the expression mentions t; the byte offset of its first t. */
int ex_ast_uses_t(const ex_ast *ast);
size_t ex_ast_t_offset(const ex_ast *ast);

/* What a name stands for when compiling: a constant, column `slot` of the slot table
   passed to ex_eval, or (inline_ast not NULL) another expression compiled in its place,
   its own names bound by inline_binds: a value that depends on the year t, which only the
   expression that reads it can evaluate, at its cash flow's year. */
typedef struct ex_binding {
    int is_const;
    double value;
    int slot;
    const struct ex_ast *inline_ast;
    const struct ex_binding *inline_binds;
} ex_binding;

/* Compiles ast with binds[i] for ex_ast_name(ast, i). When t_is_zero, t is the constant 0
   (outside cost items); otherwise t is the value passed to ex_eval. Constant
   subexpressions are folded. Inline bindings nest at most EX_MAX_INLINE deep. NULL on
   out of memory or too deep a nesting (err filled). */
#define EX_MAX_INLINE 64
ex_prog *ex_compile(const ex_ast *ast, const ex_binding *binds, int t_is_zero,
                    ex_error *err);
void ex_prog_free(ex_prog *p);

/* Nonzero when the program is a constant (no slot, no free t); *value gets it. */
int ex_prog_const(const ex_prog *p, double *value);
/* Nonzero when the program reads t. */
int ex_prog_uses_t(const ex_prog *p);
/* Slots the program reads: count and the i-th (for tracing non-finite values). */
size_t ex_prog_nslots(const ex_prog *p);
int ex_prog_slot(const ex_prog *p, size_t i);
/* Doubles of workspace ex_eval needs for n trials. */
size_t ex_prog_workspace(const ex_prog *p, size_t n);

/* Whether slot sa of one model and slot sb of another hold the same column. */
typedef int (*ex_slot_same_fn)(void *ctx, int sa, int sb);

/* Nonzero when a and b are the same program: the same instructions and constants (bit
   for bit), reading slots that `same` pairs; so that, given the same columns, they give
   the same bits. Two NULLs are the same. */
int ex_prog_same(const ex_prog *a, const ex_prog *b, ex_slot_same_fn same, void *ctx);

/* out[i] = the expression for trial i, 0 <= i < n, where slot s holds column slots[s]
   (n doubles) and t is the year. ws: ex_prog_workspace(p, n) doubles. Never allocates;
   out may not alias a slot column. IEEE arithmetic: results may be NaN or infinite, the
   caller checks. */
void ex_eval(const ex_prog *p, const double *const *slots, double t, size_t n, double *out,
             double *ws);

/* The same for another year t of the same trials: with again nonzero, after a call on
   the same slots and the same ws with nothing else written to ws in between, only the
   instructions that depend on t run again (the t-free part of an amount is computed once
   per trial, not once per year); the result is bit for bit ex_eval's. */
void ex_eval_year(const ex_prog *p, const double *const *slots, double t, size_t n,
                  double *out, double *ws, int again);

#endif
