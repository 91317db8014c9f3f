/*
 * same.c — whether two compiled programs compute the same thing: the same instructions on
 * the same constants (bit for bit), reading slots that the caller says hold the same
 * column. What a study uses to know which options a what-if leaves untouched.
 */
#include <string.h>

#include "expr/internal.h"

static int same_operand(const ex_operand *a, const ex_operand *b, ex_slot_same_fn same,
                        void *ctx)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case EX_K_CONST:
        return !memcmp(&a->value, &b->value, sizeof a->value);
    case EX_K_SLOT:
        return same(ctx, a->index, b->index);
    default:
        return a->index == b->index;
    }
}

int ex_prog_same(const ex_prog *a, const ex_prog *b, ex_slot_same_fn same, void *ctx)
{
    if (!a || !b)
        return a == b;
    if (a->nscode != b->nscode || a->ncode != b->ncode || a->nscal != b->nscal ||
        a->nregs != b->nregs || a->uses_t != b->uses_t || a->nslots != b->nslots ||
        !same_operand(&a->result, &b->result, same, ctx))
        return 0;
    for (size_t i = 0; i < a->nscode; i++) {
        const ex_sinsn *x = &a->scode[i], *y = &b->scode[i];
        if (x->op != y->op || x->dst != y->dst || !same_operand(&x->a, &y->a, same, ctx) ||
            !same_operand(&x->b, &y->b, same, ctx) || !same_operand(&x->c, &y->c, same, ctx))
            return 0;
    }
    for (size_t i = 0; i < a->ncode; i++) {
        const ex_insn *x = &a->code[i], *y = &b->code[i];
        if (x->op != y->op || x->shape != y->shape || !same_operand(&x->dst, &y->dst, same, ctx) ||
            !same_operand(&x->a, &y->a, same, ctx) || !same_operand(&x->b, &y->b, same, ctx) ||
            !same_operand(&x->c, &y->c, same, ctx))
            return 0;
    }
    return 1;
}
