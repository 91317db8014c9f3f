/*
 * eval.c — runs a compiled expression over a block of trials, column by column.
 *
 * Each instruction is one tight loop over the n trials, chosen once per instruction by
 * operator and operand shape (column or scalar), so there is no per-trial interpretation
 * and the compiler can vectorise the simple loops. Scalars (constants, t, values computed
 * from t) are never broadcast into columns.
 *
 * Invariants: no allocation, no state outside the arguments (safe to call from many
 * threads on one program with separate workspaces); trial i of an instruction reads and
 * writes only index i of each column, which is what lets an instruction write one of its
 * operands' registers in place.
 */
#include "expr/internal.h"
#include "util/simd.h"

#include <assert.h>
#include <string.h>

static double scalar_of(const ex_operand *o, const double *sc)
{
    return o->kind == EX_K_CONST ? o->value : sc[o->index];
}

static const double *column_of(const ex_operand *o, const double *const *slots, double *ws,
                               size_t n)
{
    return o->kind == EX_K_SLOT ? slots[o->index] : ws + (size_t)o->index * n;
}

static void fill(double *r, double v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = v;
}

/* Runs the scalar prologue: table[0] = t, then each scalar instruction once. */
static void run_scalars(const ex_prog *p, double *sc, double t)
{
    sc[0] = t;
    for (size_t k = 0; k < p->nscode; k++) {
        const ex_sinsn *in = &p->scode[k];
        double x = scalar_of(&in->a, sc), y = scalar_of(&in->b, sc);
        int arity = ex_op_arity(in->op);
        sc[in->dst] = arity == 1   ? ex_op1(in->op, x)
                      : arity == 2 ? ex_op2(in->op, x, y)
                                   : EX_SELECT_EXPR(x, y, scalar_of(&in->c, sc));
    }
}

/* One loop per operand shape; x and y are the operands of trial i. */
#define BINARY_LOOPS(E)                                          \
    switch (in->shape) {                                         \
    case EX_SH_CC:                                               \
        for (size_t i = 0; i < n; i++) {                         \
            const double x = a[i], y = b[i];                     \
            r[i] = (E);                                          \
        }                                                        \
        break;                                                   \
    case EX_SH_CS:                                               \
        for (size_t i = 0; i < n; i++) {                         \
            const double x = a[i], y = bs;                       \
            r[i] = (E);                                          \
        }                                                        \
        break;                                                   \
    default: /* EX_SH_SC: both scalar would have been folded */  \
        for (size_t i = 0; i < n; i++) {                         \
            const double x = as, y = b[i];                       \
            r[i] = (E);                                          \
        }                                                        \
        break;                                                   \
    }

WA_VECTORISED
static void run_unary(const ex_insn *in, double *r, const double *a, size_t n)
{
    switch (in->op) {
#define UNARY_CASE(o, e)                   \
    case o:                                \
        for (size_t i = 0; i < n; i++) {   \
            const double x = a[i];         \
            r[i] = (e);                    \
        }                                  \
        break;
        EX_UNARY_OPS(UNARY_CASE)
#undef UNARY_CASE
    default:
        break; /* not unary: unreachable */
    }
}

/* a, b: operand columns (NULL when scalar); as, bs: operand scalars. */
WA_VECTORISED
static void run_binary(const ex_insn *in, double *r, const double *a, const double *b,
                       double as, double bs, size_t n)
{
    switch (in->op) {
#define BINARY_CASE(o, e) \
    case o:               \
        BINARY_LOOPS(e)   \
        break;
        EX_BINARY_OPS(BINARY_CASE)
#undef BINARY_CASE
    default:
        break; /* not binary: unreachable */
    }
}

/* c ? a : b, with c a column (shapes CC..SS) or a scalar (PICK). Both branches were
   computed for every trial; only the chosen value is stored, so a NaN or infinity in the
   branch not taken never reaches r. */
WA_VECTORISED
static void run_select(const ex_insn *in, double *r, const double *c, double cs,
                       const double *a, const double *b, double as, double bs, size_t n)
{
    assert(in->shape == EX_SH_PICK || c); /* the shape says which operands are columns */
    switch (in->shape) {
    case EX_SH_CC:
        for (size_t i = 0; i < n; i++)
            r[i] = EX_SELECT_EXPR(c[i], a[i], b[i]);
        break;
    case EX_SH_CS:
        for (size_t i = 0; i < n; i++)
            r[i] = EX_SELECT_EXPR(c[i], a[i], bs);
        break;
    case EX_SH_SC:
        for (size_t i = 0; i < n; i++)
            r[i] = EX_SELECT_EXPR(c[i], as, b[i]);
        break;
    case EX_SH_SS:
        for (size_t i = 0; i < n; i++)
            r[i] = EX_SELECT_EXPR(c[i], as, bs);
        break;
    default: { /* EX_SH_PICK: the same branch for every trial */
        const double *col = EX_PICK(cs, a, b);
        if (cs != cs) /* a NaN condition: NaN for every trial */
            fill(r, cs, n);
        else if (!col)
            fill(r, EX_SELECT_EXPR(cs, as, bs), n);
        else if (col != r) /* distinct columns never overlap */
            memcpy(r, col, n * sizeof *r);
        break;
    }
    }
}

static void eval(const ex_prog *p, const double *const *slots, double t, size_t n, double *out,
                 double *ws, int again);

void ex_eval(const ex_prog *p, const double *const *slots, double t, size_t n, double *out,
             double *ws)
{
    eval(p, slots, t, n, out, ws, 0);
}

void ex_eval_year(const ex_prog *p, const double *const *slots, double t, size_t n, double *out,
                  double *ws, int again)
{
    eval(p, slots, t, n, out, ws, again && p->tdep);
}

static void eval(const ex_prog *p, const double *const *slots, double t, size_t n, double *out,
                 double *ws, int again)
{
    if (n == 0)
        return;
    /* no pointer arithmetic on ws unless the program asked for a workspace */
    double *sc = p->nscal ? ws + p->nregs * n : NULL;
    if (sc)
        run_scalars(p, sc, t);
    for (size_t k = 0; k < p->ncode; k++) {
        if (again && !p->tdep[k])
            continue; /* t-free: its value is still in its register from the first year */
        const ex_insn *in = &p->code[k];
        double *r = in->dst.kind == EX_K_OUT ? out : ws + (size_t)in->dst.index * n;
        const ex_operand *o[3] = {&in->a, &in->b, &in->c};
        const double *col[3] = {NULL, NULL, NULL};
        double val[3] = {0, 0, 0};
        int arity = ex_op_arity(in->op);
        for (int j = 0; j < arity; j++) {
            if (o[j]->kind == EX_K_SLOT || o[j]->kind == EX_K_REG)
                col[j] = column_of(o[j], slots, ws, n);
            else
                val[j] = scalar_of(o[j], sc);
        }
        if (arity == 1)
            run_unary(in, r, col[0], n);
        else if (arity == 2)
            run_binary(in, r, col[0], col[1], val[0], val[1], n);
        else
            run_select(in, r, col[0], val[0], col[1], col[2], val[1], val[2], n);
    }
    switch (p->result.kind) {
    case EX_K_CONST:
        fill(out, p->result.value, n);
        break;
    case EX_K_SCAL:
        fill(out, sc[p->result.index], n);
        break;
    case EX_K_SLOT:
        memcpy(out, slots[p->result.index], n * sizeof *out);
        break;
    default: /* EX_K_OUT: the last instruction wrote out */
        break;
    }
}
