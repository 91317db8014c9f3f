/*
 * compile.c — postfix syntax tree + name bindings → flat program for ex_eval.
 *
 * One pass over the postfix nodes with a stack of operand descriptors (constant, scalar
 * table entry, slot column, register column):
 *   - an operator over constants only is folded now, with the very expression ex_eval
 *     would use (EX_*_OPS in internal.h);
 *   - `c ? a : b` with a constant c keeps the chosen branch and drops the other;
 *   - an operator over scalars only (constants, t and values computed from them) becomes a
 *     scalar instruction, run once per ex_eval call instead of once per trial;
 *   - anything else becomes a column instruction writing a workspace register.
 * Then instructions whose result nobody reads are dropped (the branch a constant
 * condition discarded), the last column instruction is retargeted to the caller's out
 * column, and registers and scalar entries are renumbered densely.
 *
 * Invariants:
 *  - A new register is numbered above every register still on the descriptor stack, so an
 *    instruction never overwrites a value that is still needed. It may reuse one of its
 *    own operands' registers: each trial i reads and writes only index i, so that is safe.
 *  - Scalar entry 0 is t; the other scalar entries are written once each (SSA).
 *  - Nothing here recurses: the tree is postfix.
 */
#include "expr/internal.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

typedef struct compiler {
    ex_prog *p;
    size_t code_cap, scode_cap;
    ex_operand *stack; /* descriptors of the values computed so far */
    int *maxreg;       /* maxreg[i]: highest register among stack[0..i], or -1 */
    size_t top, cap;
    int too_deep;      /* inline bindings nested past EX_MAX_INLINE */
    int bad;           /* a price list is not valid: err_off, err_msg say why */
    size_t err_off;
    char err_msg[256];
    int nregs; /* registers allocated so far */
    int nscal; /* scalar entries allocated so far (0 = t) */
} compiler;

static int is_column(const ex_operand *o)
{
    return o->kind == EX_K_SLOT || o->kind == EX_K_REG;
}

/* Pushes a descriptor, keeping maxreg[] the running maximum register (grown as needed:
   the parser measured one tree's depth, inline expressions add theirs). -1 on out of
   memory. */
static int push(compiler *c, ex_operand v)
{
    if (c->top == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        ex_operand *s = wa_realloc(c->stack, cap * sizeof *s);
        if (s)
            c->stack = s;
        int *m = s ? wa_realloc(c->maxreg, cap * sizeof *m) : NULL;
        if (!s || !m)
            return -1;
        c->maxreg = m;
        c->cap = cap;
    }
    int below = c->top ? c->maxreg[c->top - 1] : -1;
    c->stack[c->top] = v;
    c->maxreg[c->top] = v.kind == EX_K_REG && v.index > below ? v.index : below;
    c->top++;
    return 0;
}

/* Compiles operator op over its k operands x[0..k), which the caller popped; *res gets
   the descriptor of the result. -1 on out of memory. */
static int compile_op(compiler *c, ex_op op, const ex_operand *x, int k, ex_operand *res)
{
    int nconst = 0, ncol = 0;
    for (int i = 0; i < k; i++) {
        nconst += x[i].kind == EX_K_CONST;
        ncol += is_column(&x[i]);
    }
    if (nconst == k) {
        double v = k == 1   ? ex_op1(op, x[0].value)
                   : k == 2 ? ex_op2(op, x[0].value, x[1].value)
                            : EX_SELECT_EXPR(x[0].value, x[1].value, x[2].value);
        *res = (ex_operand){.kind = EX_K_CONST, .value = v};
        return 0;
    }
    if (op == EX_SELECT && x[0].kind == EX_K_CONST) {
        if (x[0].value != x[0].value) /* a NaN condition: the result is that NaN */
            *res = x[0];
        else
            *res = EX_PICK(x[0].value, x[1], x[2]);
        return 0;
    }
    ex_prog *p = c->p;
    ex_operand none = {.kind = EX_K_CONST};
    if (ncol == 0) {
        ex_sinsn *q = ex_grow(p->scode, &c->scode_cap, p->nscode + 1, sizeof *q);
        if (!q)
            return -1;
        p->scode = q;
        if (c->nscal == INT_MAX)
            return -1; /* cannot happen before memory runs out; keeps the int honest */
        int dst = c->nscal++;
        p->scode[p->nscode++] = (ex_sinsn){.op = op, .dst = dst, .a = x[0],
                                           .b = k > 1 ? x[1] : none, .c = k > 2 ? x[2] : none};
        *res = (ex_operand){.kind = EX_K_SCAL, .index = dst};
        return 0;
    }
    ex_insn in = {.op = op, .a = x[0], .b = k > 1 ? x[1] : none, .c = k > 2 ? x[2] : none};
    if (k == 1) {
        in.shape = EX_SH_C;
    } else {
        /* binary: a, b; select with a column condition: b, c are the branches */
        const ex_operand *l = k == 2 ? &in.a : &in.b, *r = k == 2 ? &in.b : &in.c;
        if (k == 3 && !is_column(&in.a))
            in.shape = EX_SH_PICK;
        else if (is_column(l))
            in.shape = is_column(r) ? EX_SH_CC : EX_SH_CS;
        else
            in.shape = is_column(r) ? EX_SH_SC : EX_SH_SS;
    }
    /* above every register still on the stack; the operands were popped, so their
       registers may be reused */
    int reg = (c->top ? c->maxreg[c->top - 1] : -1) + 1;
    if (reg >= c->nregs)
        c->nregs = reg + 1;
    in.dst = (ex_operand){.kind = EX_K_REG, .index = reg};
    ex_insn *q = ex_grow(p->code, &c->code_cap, p->ncode + 1, sizeof *q);
    if (!q)
        return -1;
    p->code = q;
    p->code[p->ncode++] = in;
    *res = in.dst;
    return 0;
}

/* op over a and b into *r, with a and b (and the values below) kept safe while it is
   computed: -1 on out of memory. */
static int op2(compiler *c, ex_op op, ex_operand a, ex_operand b, ex_operand *r)
{
    ex_operand x[2] = {a, b};
    return compile_op(c, op, x, 2, r);
}

static ex_operand num(double v)
{
    return (ex_operand){.kind = EX_K_CONST, .value = v};
}

/* A price list (SPEC 1.1) in terms of the plain operators, x and the lists' entries on
   top of the stack (k of them after x): every entry must be a constant, the breaks (or
   xs) strictly increasing. Leaves the result in x's place. -1 with c->bad, or on out of
   memory. */
static int compile_list(compiler *c, const ex_ast *ast, const ex_node *nd)
{
    const ex_list *l = &ast->lists[nd->name];
    size_t k = l->nb + l->nv;
    const char *fname = nd->op == EX_BAND ? "band" : nd->op == EX_TIERED ? "tiered" : "interp";
    assert(c->top >= k + 1);
    ex_operand *e = &c->stack[c->top - k];
    for (size_t i = 0; i < k; i++)
        if (e[i].kind != EX_K_CONST) {
            c->bad = 1;
            c->err_off = l->off[i];
            snprintf(c->err_msg, sizeof c->err_msg,
                     "%s(): a price list takes constants (numbers and constant inputs), "
                     "not uncertain or per-year values",
                     fname);
            return -1;
        }
    for (size_t i = 1; i < l->nb; i++)
        if (!(e[i].value > e[i - 1].value)) {
            c->bad = 1;
            c->err_off = l->off[i];
            snprintf(c->err_msg, sizeof c->err_msg,
                     "%s(): the %s must increase strictly, but %.15g comes after %.15g", fname,
                     nd->op == EX_INTERP ? "x values" : "breaks", e[i].value, e[i - 1].value);
            return -1;
        }
    double *b = wa_malloc(k * sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < k; i++)
        b[i] = e[i].value;
    const double *v = b + l->nb;
    size_t nb = l->nb;
    c->top -= k; /* x stays on the stack, safe, until the result is made */
    ex_operand x = c->stack[c->top - 1], r = num(0), t, u;
    int rc = -1;
    if (nd->op == EX_BAND) {
        /* x < b1 ? v0 : x < b2 ? v1 : ... : vk, built from the last price back */
        r = num(v[nb]);
        for (size_t j = nb; j > 0 ? (j--, 1) : 0;) /* down, no wrap */ {
            if (push(c, r) || op2(c, EX_LT, x, num(b[j]), &t) || push(c, t))
                goto done;
            ex_operand sel[3] = {t, num(v[j]), r};
            c->top -= 2;
            if (compile_op(c, EX_SELECT, sel, 3, &r))
                goto done;
        }
    } else if (nd->op == EX_TIERED) {
        /* r0 min(x, b1) + sum_j rj max(0, min(x, b(j+1)) - bj) + rk max(0, x - bk) */
        if (op2(c, EX_MIN, x, num(b[0]), &t) || op2(c, EX_MUL, num(v[0]), t, &r))
            goto done;
        for (size_t j = 0; j < nb; j++) {
            if (push(c, r))
                goto done;
            if (j + 1 < nb) {
                if (op2(c, EX_MIN, x, num(b[j + 1]), &t) || push(c, t))
                    goto done;
                c->top--;
                if (op2(c, EX_SUB, t, num(b[j]), &u))
                    goto done;
            } else if (op2(c, EX_SUB, x, num(b[j]), &u)) {
                goto done;
            }
            if (push(c, u))
                goto done;
            c->top--;
            if (op2(c, EX_MAX, num(0), u, &t) || push(c, t))
                goto done;
            c->top--;
            if (op2(c, EX_MUL, num(v[j + 1]), t, &u) || push(c, u))
                goto done;
            c->top -= 2; /* u and r */
            if (op2(c, EX_ADD, r, u, &r))
                goto done;
        }
    } else {
        /* flat below x1 and above xk, straight between neighbouring points */
        r = num(v[nb - 1]);
        for (size_t j = nb - 1; j > 0 ? (j--, 1) : 0;) /* down, no wrap */ {
            double slope = (v[j + 1] - v[j]) / (b[j + 1] - b[j]);
            ex_operand seg;
            if (push(c, r) || op2(c, EX_SUB, x, num(b[j]), &t) || push(c, t))
                goto done;
            c->top--;
            if (op2(c, EX_MUL, t, num(slope), &u) || push(c, u))
                goto done;
            c->top--;
            if (op2(c, EX_ADD, num(v[j]), u, &seg) || push(c, seg))
                goto done;
            if (op2(c, EX_LT, x, num(b[j + 1]), &t) || push(c, t))
                goto done;
            ex_operand sel[3] = {t, seg, r};
            c->top -= 3;
            if (compile_op(c, EX_SELECT, sel, 3, &r))
                goto done;
        }
        if (push(c, r) || op2(c, EX_LT, x, num(b[0]), &t) || push(c, t))
            goto done;
        ex_operand sel[3] = {t, num(v[0]), r};
        c->top -= 2;
        if (compile_op(c, EX_SELECT, sel, 3, &r))
            goto done;
    }
    c->top--; /* x */
    rc = push(c, r);
done:
    wa_free(b);
    return rc;
}

/* Walks the postfix nodes, leaving the expression's value pushed; a name bound to an
   inline expression compiles that expression in place (depth: how many are open). */
static int compile_nodes(compiler *c, const ex_ast *ast, const ex_binding *binds, int t_is_zero,
                         int depth)
{
    for (size_t i = 0; i < ast->nnodes; i++) {
        const ex_node *nd = &ast->nodes[i];
        ex_operand v = {.kind = EX_K_CONST};
        switch (nd->op) {
        case EX_NUM:
            v.value = nd->value;
            break;
        case EX_T:
            if (!t_is_zero) {
                v.kind = EX_K_SCAL; /* index 0 */
                if (c->nscal == 0)
                    c->nscal = 1;
            }
            break;
        case EX_NAME: {
            const ex_binding *b = &binds[nd->name];
            if (b->inline_ast) {
                if (depth >= EX_MAX_INLINE) {
                    c->too_deep = 1;
                    return -1;
                }
                if (compile_nodes(c, b->inline_ast, b->inline_binds, t_is_zero, depth + 1))
                    return -1;
                continue; /* its value is pushed */
            }
            if (b->is_const) {
                v.value = b->value;
            } else {
                assert(b->slot >= 0); /* the caller's contract */
                v.kind = EX_K_SLOT;
                v.index = b->slot;
            }
            break;
        }
        case EX_BAND:
        case EX_TIERED:
        case EX_INTERP:
            if (compile_list(c, ast, nd))
                return -1;
            continue; /* its value is pushed */
        default: {
            int k = ex_op_arity(nd->op);
            assert(c->top >= (size_t)k);
            c->top -= (size_t)k;
            ex_operand x[3];
            memcpy(x, &c->stack[c->top], (size_t)k * sizeof x[0]);
            if (compile_op(c, nd->op, x, k, &v))
                return -1;
            break;
        }
        }
        if (push(c, v))
            return -1;
    }
    return 0;
}

static void mark(const ex_operand *o, char *need, char *sneed)
{
    if (o->kind == EX_K_REG)
        need[o->index] = 1;
    else if (o->kind == EX_K_SCAL)
        sneed[o->index] = 1;
}

/* Drops instructions whose result is never read, working backwards from the result: a
   register is needed from its last read back to its latest write. need/sneed are zeroed
   arrays of nregs/nscal flags. */
static void drop_dead(compiler *c, char *need, char *sneed)
{
    ex_prog *p = c->p;
    mark(&p->result, need, sneed);
    size_t kept = p->ncode;
    for (size_t i = p->ncode; i > 0 ? (i--, 1) : 0;) /* down, no wrap */ {
        ex_insn *in = &p->code[i];
        if (!need[in->dst.index])
            continue;
        need[in->dst.index] = 0; /* before its own operands: it may read its own register */
        mark(&in->a, need, sneed);
        mark(&in->b, need, sneed);
        mark(&in->c, need, sneed);
        p->code[--kept] = *in; /* kept instructions pack toward the end, in order */
    }
    if (kept > 0) /* (p->code may be NULL when there is no instruction at all) */
        memmove(p->code, p->code + kept, (p->ncode - kept) * sizeof *p->code);
    p->ncode -= kept;

    kept = p->nscode;
    for (size_t i = p->nscode; i > 0 ? (i--, 1) : 0;) /* down, no wrap */ {
        ex_sinsn *in = &p->scode[i];
        if (!sneed[in->dst])
            continue;
        mark(&in->a, need, sneed);
        mark(&in->b, need, sneed);
        mark(&in->c, need, sneed);
        p->scode[--kept] = *in;
    }
    if (kept > 0)
        memmove(p->scode, p->scode + kept, (p->nscode - kept) * sizeof *p->scode);
    p->nscode -= kept;
}

static void renumber(ex_operand *o, const int *rmap, const int *smap)
{
    if (o->kind == EX_K_REG)
        o->index = rmap[o->index];
    else if (o->kind == EX_K_SCAL)
        o->index = smap[o->index];
}

/* After drop_dead: numbers the registers and scalar entries still in use densely, t
   staying at scalar 0, so the workspace is no larger than needed. rmap/smap are zeroed
   int arrays of nregs/nscal entries: first flags "in use", then the new numbers. */
static void compact(compiler *c, int *rmap, int *smap)
{
    ex_prog *p = c->p;
    for (size_t i = 0; i < p->ncode; i++) {
        const ex_operand *o[4] = {&p->code[i].dst, &p->code[i].a, &p->code[i].b, &p->code[i].c};
        for (int j = 0; j < 4; j++) {
            if (o[j]->kind == EX_K_REG)
                rmap[o[j]->index] = 1;
            else if (o[j]->kind == EX_K_SCAL)
                smap[o[j]->index] = 1;
        }
    }
    for (size_t i = 0; i < p->nscode; i++) {
        smap[p->scode[i].dst] = 1;
        const ex_operand *o[3] = {&p->scode[i].a, &p->scode[i].b, &p->scode[i].c};
        for (int j = 0; j < 3; j++)
            if (o[j]->kind == EX_K_SCAL)
                smap[o[j]->index] = 1;
    }
    if (p->result.kind == EX_K_SCAL)
        smap[p->result.index] = 1;

    int nr = 0, ns = 1;
    for (int i = 0; i < c->nregs; i++)
        rmap[i] = rmap[i] ? nr++ : -1;
    p->uses_t = c->nscal > 0 && smap[0];
    int any = p->uses_t;
    for (int i = 1; i < c->nscal; i++) {
        any |= smap[i];
        smap[i] = smap[i] ? ns++ : -1;
    }
    if (c->nscal > 0)
        smap[0] = 0;
    p->nregs = (size_t)nr;
    p->nscal = any ? (size_t)ns : 0;

    for (size_t i = 0; i < p->ncode; i++) {
        renumber(&p->code[i].dst, rmap, smap);
        renumber(&p->code[i].a, rmap, smap);
        renumber(&p->code[i].b, rmap, smap);
        renumber(&p->code[i].c, rmap, smap);
    }
    for (size_t i = 0; i < p->nscode; i++) {
        p->scode[i].dst = smap[p->scode[i].dst];
        renumber(&p->scode[i].a, rmap, smap);
        renumber(&p->scode[i].b, rmap, smap);
        renumber(&p->scode[i].c, rmap, smap);
    }
    renumber(&p->result, rmap, smap);
}

/* Whether operand o depends on t, given the scalars' (sdep) and the registers' current
   writers' (rdep). */
static int depends(const ex_operand *o, const unsigned char *sdep, const unsigned char *rdep)
{
    return (o->kind == EX_K_SCAL && sdep[o->index]) || (o->kind == EX_K_REG && rdep[o->index]);
}

/* Marks each column instruction by whether it depends on t, and gives every value that a
   t-free instruction computes for a t-dependent one a register of its own, so that
   ex_eval_year can compute the t-free part once and only the rest for each later year
   (the same operations on the same values: the same bits). -1 on out of memory. */
static int hoist(ex_prog *p)
{
    size_t nc = p->ncode;
    if (!p->uses_t || nc == 0)
        return 0;
    unsigned char *sdep = wa_calloc(p->nscal + 1, 1), *rdep = wa_calloc(p->nregs + nc + 1, 1);
    p->tdep = wa_calloc(nc, 1);
    if (!sdep || !rdep || !p->tdep) {
        wa_free(sdep);
        wa_free(rdep);
        return -1;
    }
    sdep[0] = 1; /* t */
    for (size_t i = 0; i < p->nscode; i++) {
        const ex_sinsn *in = &p->scode[i];
        sdep[in->dst] = depends(&in->a, sdep, rdep) || depends(&in->b, sdep, rdep) ||
                        depends(&in->c, sdep, rdep);
    }
    for (size_t i = 0; i < nc; i++) {
        ex_insn *in = &p->code[i];
        p->tdep[i] = (unsigned char)(depends(&in->a, sdep, rdep) || depends(&in->b, sdep, rdep) ||
                                     depends(&in->c, sdep, rdep));
        if (in->dst.kind == EX_K_REG)
            rdep[in->dst.index] = p->tdep[i];
    }
    if (!p->tdep[nc - 1]) { /* the result itself is t-free: nothing to skip safely */
        wa_free(p->tdep);
        p->tdep = NULL;
    }
    for (size_t i = 0; p->tdep && i < nc; i++) {
        ex_insn *in = &p->code[i];
        if (p->tdep[i] || in->dst.kind != EX_K_REG)
            continue;
        int old = in->dst.index, needed = 0;
        for (size_t j = i + 1; j < nc && !needed; j++) {
            ex_insn *x = &p->code[j];
            int reads = (x->a.kind == EX_K_REG && x->a.index == old) ||
                        (x->b.kind == EX_K_REG && x->b.index == old) ||
                        (x->c.kind == EX_K_REG && x->c.index == old);
            needed = reads && p->tdep[j];
            if (x->dst.kind == EX_K_REG && x->dst.index == old)
                break;
        }
        if (!needed)
            continue;
        int fresh = (int)p->nregs++;
        in->dst.index = fresh;
        for (size_t j = i + 1; j < nc; j++) {
            ex_insn *x = &p->code[j];
            ex_operand *o[3] = {&x->a, &x->b, &x->c};
            for (int k = 0; k < 3; k++)
                if (o[k]->kind == EX_K_REG && o[k]->index == old)
                    o[k]->index = fresh;
            if (x->dst.kind == EX_K_REG && x->dst.index == old)
                break;
        }
    }
    wa_free(sdep);
    wa_free(rdep);
    return 0;
}

/* Lists the distinct slots the program reads, in order of first appearance. */
static int list_slots(ex_prog *p)
{
    int maxslot = -1;
    size_t nref = p->result.kind == EX_K_SLOT;
    if (nref)
        maxslot = p->result.index;
    for (size_t i = 0; i < p->ncode; i++) {
        const ex_operand *o[3] = {&p->code[i].a, &p->code[i].b, &p->code[i].c};
        for (int j = 0; j < 3; j++) {
            if (o[j]->kind == EX_K_SLOT) {
                nref++;
                if (o[j]->index > maxslot)
                    maxslot = o[j]->index;
            }
        }
    }
    if (nref == 0)
        return 0;
    char *seen = wa_calloc((size_t)maxslot + 1, 1);
    p->slots = wa_malloc(nref * sizeof *p->slots);
    if (!seen || !p->slots) {
        wa_free(seen);
        return -1;
    }
    for (size_t i = 0; i < p->ncode; i++) {
        const ex_operand *o[3] = {&p->code[i].a, &p->code[i].b, &p->code[i].c};
        for (int j = 0; j < 3; j++) {
            if (o[j]->kind == EX_K_SLOT && !seen[o[j]->index]) {
                seen[o[j]->index] = 1;
                p->slots[p->nslots++] = o[j]->index;
            }
        }
    }
    if (p->result.kind == EX_K_SLOT && !seen[p->result.index])
        p->slots[p->nslots++] = p->result.index;
    wa_free(seen);
    return 0;
}

ex_prog *ex_compile(const ex_ast *ast, const ex_binding *binds, int t_is_zero, ex_error *err)
{
    compiler c = {0};
    char *need = NULL, *sneed = NULL;
    int *rmap = NULL, *smap = NULL;
    int ok = 0;
    c.p = wa_calloc(1, sizeof *c.p);
    if (!c.p || compile_nodes(&c, ast, binds, t_is_zero, 0))
        goto cleanup;
    assert(c.top == 1);
    c.p->result = c.stack[0];

    /* +1: wa_calloc(0) may return NULL, which would read as failure */
    need = wa_calloc((size_t)c.nregs + 1, 1);
    sneed = wa_calloc((size_t)c.nscal + 1, 1);
    rmap = wa_calloc((size_t)c.nregs + 1, sizeof *rmap);
    smap = wa_calloc((size_t)c.nscal + 1, sizeof *smap);
    if (!need || !sneed || !rmap || !smap)
        goto cleanup;
    drop_dead(&c, need, sneed);
    if (c.p->result.kind == EX_K_REG) {
        /* the last instruction computes the result: let it write out directly */
        assert(c.p->ncode > 0);
        ex_insn *last = &c.p->code[c.p->ncode - 1];
        assert(last->dst.kind == EX_K_REG && last->dst.index == c.p->result.index);
        last->dst = (ex_operand){.kind = EX_K_OUT};
        c.p->result = last->dst;
    }
    compact(&c, rmap, smap);
    if (list_slots(c.p) || hoist(c.p))
        goto cleanup;
    ok = 1;

cleanup:
    wa_free(c.stack);
    wa_free(c.maxreg);
    wa_free(need);
    wa_free(sneed);
    wa_free(rmap);
    wa_free(smap);
    if (!ok) {
        ex_prog_free(c.p);
        if (err) {
            err->offset = 0;
            err->offset = c.bad ? c.err_off : 0;
            err->nomem = !c.bad && !c.too_deep;
            snprintf(err->message, sizeof err->message, "%s",
                     c.bad        ? c.err_msg
                     : c.too_deep ? "year-dependent inputs nest too deeply (more than 64 levels)"
                                  : "out of memory");
        }
        return NULL;
    }
    return c.p;
}

void ex_prog_free(ex_prog *p)
{
    if (!p)
        return;
    wa_free(p->code);
    wa_free(p->scode);
    wa_free(p->slots);
    wa_free(p->tdep);
    wa_free(p);
}

int ex_prog_const(const ex_prog *p, double *value)
{
    if (p->result.kind != EX_K_CONST)
        return 0;
    if (value)
        *value = p->result.value;
    return 1;
}

int ex_prog_uses_t(const ex_prog *p)
{
    return p->uses_t;
}

size_t ex_prog_nslots(const ex_prog *p)
{
    return p->nslots;
}

/* -1 when i is out of range. */
int ex_prog_slot(const ex_prog *p, size_t i)
{
    return i < p->nslots ? p->slots[i] : -1;
}

/* Registers of n doubles, then the scalar table. SIZE_MAX if that overflows size_t. */
size_t ex_prog_workspace(const ex_prog *p, size_t n)
{
    if (p->nregs && n > (SIZE_MAX - p->nscal) / p->nregs)
        return SIZE_MAX;
    return p->nregs * n + p->nscal;
}
