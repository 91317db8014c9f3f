/*
 * internal.h — what the three stages of the expression module share: the postfix
 * syntax tree (parse.c), the flat program (compile.c) and the scalar meaning of
 * every operator (used by constant folding and by ex_eval alike).
 *
 * Invariants:
 *  - The syntax tree is stored in postfix order: evaluating the nodes left to right with a
 *    value stack leaves exactly one value. Nothing walks it recursively, so a long
 *    expression (a + b + c + ...) cannot exhaust the C stack; only the parser recurses, and
 *    it stops at EX_MAX_NESTING.
 *  - Folding, the scalar prologue and the column loops are all generated from one list of
 *    operator expressions (EX_UNARY_OPS, EX_BINARY_OPS, EX_SELECT_EXPR), so a folded
 *    constant is bit-for-bit the value the column loop would have produced.
 */
#ifndef WA_EXPR_INTERNAL_H
#define WA_EXPR_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "expr/expr.h"
#include "util/alloc.h"

/* Deepest nesting the parser accepts: parentheses, calls, ?: branches, not, unary signs
   and ^ all count one level. Far beyond any hand-written formula, far below what would
   threaten the C stack (each level is about ten small frames). */
#define EX_MAX_NESTING 200

/* Operators. Leaves only occur in the syntax tree; the rest in both tree and program.
   Functions with a fixed meaning in terms of others are lowered by the parser: pow → POW,
   if → SELECT, clamp(x, lo, hi) → MIN(MAX(x, lo), hi), min/max of k arguments → k-1
   binary MIN/MAX folded from the left. */
typedef enum ex_op {
    /* leaves */
    EX_NUM,
    EX_NAME,
    EX_T,
    /* unary */
    EX_NEG,
    EX_NOT,
    EX_ABS,
    EX_SQRT,
    EX_EXP,
    EX_LN,
    EX_LOG10,
    EX_FLOOR,
    EX_CEIL,
    EX_ROUND,
    /* binary */
    EX_ADD,
    EX_SUB,
    EX_MUL,
    EX_DIV,
    EX_POW,
    EX_LT,
    EX_LE,
    EX_GT,
    EX_GE,
    EX_EQ,
    EX_NE,
    EX_AND,
    EX_OR,
    EX_MIN,
    EX_MAX,
    /* ternary: c ? a : b */
    EX_SELECT,
    /* price lists, tree only (compile.c turns them into the operators above): x, then
       the two lists' entries; the node's `name` indexes ex_ast.lists */
    EX_BAND,
    EX_TIERED,
    EX_INTERP
} ex_op;

/* A price list call's two lists: nb breaks (or xs) and nv values (or ys), and the byte
   offset of every entry (breaks first) and of the call, for messages. */
typedef struct ex_list {
    size_t call;
    size_t nb, nv;
    size_t *off;
} ex_list;

/* Operands an operator pops from the value stack. */
static inline int ex_op_arity(ex_op op)
{
    if (op <= EX_T)
        return 0;
    if (op <= EX_ROUND)
        return 1;
    if (op <= EX_MAX)
        return 2;
    return 3; /* EX_SELECT; the price lists' arity is their lists' (ex_node_arity) */
}

static inline int ex_is_list_op(ex_op op)
{
    return op == EX_BAND || op == EX_TIERED || op == EX_INTERP;
}

/* One postfix node: a number (value), a name (index into ex_ast.names), t, or an operator. */
typedef struct ex_node {
    ex_op op;
    size_t name;
    double value;
} ex_node;

typedef struct ex_name {
    char *text;    /* NUL-terminated, owned */
    size_t len;
    size_t offset; /* byte offset of the first appearance */
} ex_name;

struct ex_ast {
    ex_node *nodes; /* postfix */
    size_t nnodes;
    ex_list *lists; /* the price list calls' lists */
    size_t nlists;
    ex_name *names; /* distinct, in order of first appearance */
    size_t nnames;
    int uses_t;
    size_t t_offset;  /* byte offset of the first t */
    size_t max_stack; /* deepest value stack the postfix order reaches */
};

/* Operands a node pops: its operator's, or for a price list 1 + its lists' entries. */
static inline size_t ex_node_arity(const struct ex_ast *a, const ex_node *nd)
{
    if (ex_is_list_op(nd->op))
        return 1 + a->lists[nd->name].nb + a->lists[nd->name].nv;
    return (size_t)ex_op_arity(nd->op);
}

/* ---- the program ---- */

/* Where an operand lives. Columns (slot, register) hold n values; scalars are the same for
   every trial: a constant, or an entry of the scalar table (t, or a value computed from t
   once per ex_eval call). */
typedef enum ex_kind {
    EX_K_CONST, /* value */
    EX_K_SCAL,  /* scalar table[index]; index 0 is t */
    EX_K_SLOT,  /* slots[index] */
    EX_K_REG,   /* workspace column register index */
    EX_K_OUT    /* the caller's out column (only as a destination / final result) */
} ex_kind;

typedef struct ex_operand {
    ex_kind kind;
    int index;
    double value;
} ex_operand;

/* Operand layout of a column instruction, fixed at compile time so that ex_eval picks the
   loop once per instruction, not per trial. C = column, S = scalar. */
typedef enum ex_shape {
    EX_SH_C,    /* unary on a column */
    EX_SH_CC,   /* binary; select with a column condition: a and b */
    EX_SH_CS,
    EX_SH_SC,
    EX_SH_SS,   /* select only: column condition, both branches scalar */
    EX_SH_PICK  /* select only: scalar condition, at least one branch a column */
} ex_shape;

/* A column instruction: dst[i] = op(a[i], b[i], c[i]) for every trial. dst is a register
   or EX_K_OUT. For EX_SELECT, a is the condition and b, c the branches. */
typedef struct ex_insn {
    ex_op op;
    ex_shape shape;
    ex_operand dst;
    ex_operand a, b, c;
} ex_insn;

/* A scalar instruction: table[dst] = op(a, b, c), run once per ex_eval call. Operands are
   EX_K_CONST or EX_K_SCAL. */
typedef struct ex_sinsn {
    ex_op op;
    int dst;
    ex_operand a, b, c;
} ex_sinsn;

struct ex_prog {
    ex_sinsn *scode; /* scalar prologue */
    size_t nscode;
    ex_insn *code;   /* column instructions, in order */
    size_t ncode;
    size_t nscal;    /* scalar table entries (t and temporaries); 0 when none is read */
    size_t nregs;    /* column registers in the workspace */
    ex_operand result; /* CONST, SCAL, SLOT or OUT (the last instruction wrote out) */
    int uses_t;
    int *slots;      /* distinct slots read, in order of first appearance */
    size_t nslots;
    /* per column instruction: whether it depends on t (NULL: the program does not use t,
       or cannot skip). The values of the others that t-dependent ones read have registers
       of their own, so that a later year can skip them (ex_eval_year). */
    unsigned char *tdep;
};

/* Returns arr grown to hold at least need elements of elem bytes (doubling), or NULL with
   arr untouched when memory or size_t runs out. */
static inline void *ex_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return arr;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return NULL; /* catch size_t overflow */
        c *= 2;
    }
    void *q = wa_realloc(arr, c * elem);
    if (q)
        *cap = c;
    return q;
}

/* ---- meaning of the operators, shared by folding and evaluation ---- */

/* min and max return NaN when either argument is NaN. fmin/fmax would silently drop it,
   and a plain `x < y ? x : y` only propagates a NaN in second place; a NaN must reach the
   caller's finiteness check so the user hears about it. */
static inline double ex_min(double x, double y)
{
    return (x < y || isnan(x)) ? x : y;
}

static inline double ex_max(double x, double y)
{
    return (x > y || isnan(x)) ? x : y;
}

/* x^y. A whole exponent of at most 16 in size — the usual (1 + g)^3 or x^2 — is
   square-and-multiply over its bits, in a fixed five steps with choices rather than
   branches, so that a loop over a column of x vectorises (glibc's pow is a call of some
   twenty nanoseconds). Each squaring doubles the relative error carried, so x^n is within
   about n - 1 roundings (|n| + 1 ulps with the reciprocal of a negative n): 17 ulps at
   worst, 2e-15. Any other exponent goes to pow(). One definition for folding and for
   columns, so a constant and a column give the same bits. */
static inline double ex_pow(double x, double y)
{
    double ay = fabs(y);
    int n = (int)(ay <= 16 ? ay : 0);
    if (!(ay <= 16 && (double)n == ay))
        return pow(x, y);
    double r = 1, p = x;
    for (int k = 0; k < 5; k++) {
        r = (n >> k) & 1 ? r * p : r;
        p *= p;
    }
    return y < 0 ? 1 / r : r;
}

/* Truth is "nonzero"; results are exactly 1.0 or 0.0 — except that a comparison, a logical
   operator or a condition with a NaN operand gives NaN. Otherwise `ln(x) > 0 ? a : b`
   would turn a NaN into a silent choice of b, and SPEC §1.1 wants every NaN reported. */
static inline double ex_truth(int b)
{
    return b ? 1.0 : 0.0;
}

static inline double ex_truth1(int b, double x)
{
    return x != x ? x : ex_truth(b);
}

static inline double ex_truth2(int b, double x, double y)
{
    return x != x ? x : y != y ? y : ex_truth(b);
}

/* The meaning of each operator as one C expression over x (and y), listed once: the
   folding functions below and ex_eval's column loops are both generated from these lists,
   so they cannot drift apart. */
#define EX_UNARY_OPS(X)             \
    X(EX_NEG, -x)                   \
    X(EX_NOT, ex_truth1(x == 0, x)) \
    X(EX_ABS, fabs(x))              \
    X(EX_SQRT, sqrt(x))             \
    X(EX_EXP, exp(x))               \
    X(EX_LN, log(x))                \
    X(EX_LOG10, log10(x))           \
    X(EX_FLOOR, floor(x))           \
    X(EX_CEIL, ceil(x))             \
    X(EX_ROUND, round(x))

#define EX_BINARY_OPS(X)                          \
    X(EX_ADD, x + y)                              \
    X(EX_SUB, x - y)                              \
    X(EX_MUL, x * y)                              \
    X(EX_DIV, x / y)                              \
    X(EX_POW, ex_pow(x, y))                       \
    X(EX_LT, ex_truth2(x < y, x, y))              \
    X(EX_LE, ex_truth2(x <= y, x, y))             \
    X(EX_GT, ex_truth2(x > y, x, y))              \
    X(EX_GE, ex_truth2(x >= y, x, y))             \
    X(EX_EQ, ex_truth2(x == y, x, y))             \
    X(EX_NE, ex_truth2(x != y, x, y))             \
    X(EX_AND, ex_truth2((x != 0) & (y != 0), x, y)) \
    X(EX_OR, ex_truth2((x != 0) | (y != 0), x, y))  \
    X(EX_MIN, ex_min(x, y))                       \
    X(EX_MAX, ex_max(x, y))

/* c ? a : b, the only ternary operator (EX_SELECT), over doubles; a NaN condition gives
   NaN. EX_PICK chooses between operands or columns when c is known not to be NaN. */
#define EX_SELECT_EXPR(c, a, b) ((c) != (c) ? (c) : (c) != 0 ? (a) : (b))
#define EX_PICK(c, a, b) ((c) != 0 ? (a) : (b))

static inline double ex_op1(ex_op op, double x)
{
    switch (op) {
#define EX_CASE(o, e) \
    case o:           \
        return e;
        EX_UNARY_OPS(EX_CASE)
#undef EX_CASE
    default:
        return NAN; /* not unary: unreachable */
    }
}

static inline double ex_op2(ex_op op, double x, double y)
{
    switch (op) {
#define EX_CASE(o, e) \
    case o:           \
        return e;
        EX_BINARY_OPS(EX_CASE)
#undef EX_CASE
    default:
        return NAN; /* not binary: unreachable */
    }
}

#endif
