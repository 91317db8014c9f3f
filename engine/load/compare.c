/*
 * compare.c — which options of a model compute exactly what the same option of another
 * model of the same scenario computes (a what-if's point against its base), so that a
 * study re-simulates only the others.
 *
 * Same means same bits, never "probably the same": every item's programs equal
 * (ex_prog_same) and reading inputs that are the same — a sampled input with the same
 * name (so the same stream and Sobol' dimension) and the same distribution, a derived
 * input whose program is the same on the same inputs — and the same cash-flow years,
 * discount factors and signs. Anything this cannot prove the same counts as changed.
 */
#include <stdlib.h>
#include <string.h>

#include "load/model.h"
#include "util/alloc.h"

typedef struct pair {
    const wa_model *a, *b;
    signed char *memo; /* per input of b: 0 unknown, 1 same, -1 different, 2 in progress */
} pair;

static int input_same(pair *p, size_t ia, size_t ib);

static int slot_same(void *ctx, int sa, int sb)
{
    pair *p = ctx;
    if (sa < 0 || sb < 0 || (size_t)sa >= p->a->nslots || (size_t)sb >= p->b->nslots)
        return 0;
    /* ghost columns are the copula's only, never read by a program */
    const wa_input *x = NULL, *y = NULL;
    size_t ia = p->a->slot_input[sa], ib = p->b->slot_input[sb];
    if (ia < p->a->ninputs && p->a->inputs[ia].slot == sa)
        x = &p->a->inputs[ia];
    if (ib < p->b->ninputs && p->b->inputs[ib].slot == sb)
        y = &p->b->inputs[ib];
    return x && y && input_same(p, ia, ib);
}

static int input_same(pair *p, size_t ia, size_t ib)
{
    if (p->memo[ib] == 1 || p->memo[ib] == -1)
        return p->memo[ib] == 1;
    if (p->memo[ib] == 2)
        return 0; /* a cycle cannot happen in a valid model; refuse it rather than loop */
    const wa_input *x = &p->a->inputs[ia], *y = &p->b->inputs[ib];
    int same = 0;
    p->memo[ib] = 2;
    if (x->kind == y->kind && !strcmp(x->name, y->name) && x->hidden == y->hidden) {
        if (x->kind == WA_IN_CONST)
            same = !memcmp(&x->value, &y->value, sizeof x->value);
        else if (x->kind == WA_IN_SAMPLED)
            same = x->dim == y->dim && wa_dist_same(x->dist, y->dist); /* same name: same stream */
        else if (x->kind == WA_IN_YEARLY)
            same = 0; /* no column of its own; the items that read it are compared */
        else
            same = ex_prog_same(x->formula->expr.prog, y->formula->expr.prog, slot_same, p);
    }
    p->memo[ib] = same ? 1 : -1;
    return same;
}

static int item_same(pair *p, const wa_item *x, const wa_item *y)
{
    if (x->sign != y->sign || x->nflows != y->nflows || x->has_growth != y->has_growth ||
        x->has_prob != y->has_prob || x->has_year != y->has_year ||
        memcmp(&x->first, &y->first, sizeof x->first) ||
        memcmp(&x->factor, &y->factor, sizeof x->factor) ||
        memcmp(&x->discount_rate, &y->discount_rate, sizeof x->discount_rate) ||
        memcmp(wa_item_cdisc(x), wa_item_cdisc(y), (size_t)x->nflows * sizeof(double)))
        return 0;
    if ((x->happens_slot < 0) != (y->happens_slot < 0) ||
        (x->happens_slot >= 0 && !slot_same(p, x->happens_slot, y->happens_slot)))
        return 0;
    if (!ex_prog_same(x->amount.prog, y->amount.prog, slot_same, p) ||
        (!x->amount.prog && memcmp(&x->amount_value, &y->amount_value, sizeof x->amount_value)))
        return 0;
    if (x->has_prob && !ex_prog_same(x->more->prob.prog, y->more->prob.prog, slot_same, p))
        return 0;
    if (x->has_year && !ex_prog_same(x->more->year.prog, y->more->year.prog, slot_same, p))
        return 0;
    if (x->has_rate != y->has_rate ||
        (x->has_rate && !ex_prog_same(x->more->rate.prog, y->more->rate.prog, slot_same, p)))
        return 0;
    return !x->has_growth ||
           ex_prog_same(x->more->growth.prog, y->more->growth.prog, slot_same, p);
}

int wa_model_options_same(const wa_model *a, const wa_model *b, unsigned char *same)
{
    if (wa_model_nseries(a) != wa_model_nseries(b) || a->noptions != b->noptions)
        return -1;
    pair p = {a, b, wa_calloc(b->ninputs ? b->ninputs : 1, 1)};
    if (!p.memo)
        return -1;
    for (size_t o = 0; o < wa_model_nseries(a); o++) {
        const wa_option *x = &a->options[o], *y = &b->options[o];
        int s = x->nitems == y->nitems && !strcmp(x->name, y->name);
        for (size_t j = 0; s && j < x->nitems; j++)
            s = item_same(&p, &x->items[j], &y->items[j]);
        s = s && x->nincludes == y->nincludes &&
            (!x->nincludes ||
             !memcmp(x->includes, y->includes, x->nincludes * sizeof *x->includes));
        same[o] = (unsigned char)s;
    }
    /* an option that includes a changed one has changed too: in b's order, the included
       first */
    for (size_t r = 0; r < b->ninclude_order; r++) {
        const wa_option *y = &b->options[b->include_order[r]];
        for (size_t j = 0; j < y->nincludes; j++)
            if (!same[y->includes[j]])
                same[b->include_order[r]] = 0;
    }
    wa_free(p.memo);
    return 0;
}

int wa_model_slot_map(const wa_model *a, const wa_model *b, int *map)
{
    pair p = {a, b, wa_calloc(b->ninputs ? b->ninputs : 1, 1)};
    if (!p.memo)
        return -1;
    for (size_t sl = 0; sl < b->nslots; sl++) {
        map[sl] = -1;
        size_t ib = b->slot_input[sl];
        if (ib >= b->ninputs || b->inputs[ib].slot != (int)sl)
            continue; /* a ghost's column: no input */
        for (size_t ia = 0; ia < a->ninputs; ia++)
            if (a->inputs[ia].slot >= 0 && !strcmp(a->inputs[ia].name, b->inputs[ib].name)) {
                if (input_same(&p, ia, ib))
                    map[sl] = a->inputs[ia].slot;
                break;
            }
    }
    wa_free(p.memo);
    return 0;
}
