/*
 * dimensions.c — the Sobol' dimension of every column a model draws: a name's, never a
 * position's (SPEC 1.5).
 *
 * The base model numbers its sampled inputs 0, 1, ... in model order (so a scenario's base
 * run is what it always was). Every other model of the scenario — a declared variant, a
 * --set model — looks each name up in the base: an input the variant left alone keeps its
 * coordinate of the Sobol' sequence, whatever the variant pinned, changed or added before
 * it, and so keeps its draws. A name the base does not sample takes the next dimension
 * past the base's. Monte Carlo and Latin hypercube streams are keyed by the name already
 * (wa_stream_key); this makes the third method agree.
 */
#include <string.h>

#include "load/model.h"

/* The dimension of name among the base's sampled inputs, or -1. A linear search: a model
   has at most a few thousand inputs, and this runs once per model, at load. */
static long base_dim(const wa_model *base, const char *name)
{
    for (size_t i = 0; i < base->ninputs; i++)
        if (base->inputs[i].kind == WA_IN_SAMPLED && !strcmp(base->inputs[i].name, name))
            return (long)base->inputs[i].dim;
    return -1;
}

unsigned wa_model_assign_dims(wa_model *m, const wa_model *base)
{
    unsigned next = 0, end = 0;
    if (base)
        for (size_t i = 0; i < base->ninputs; i++)
            if (base->inputs[i].kind == WA_IN_SAMPLED && base->inputs[i].dim + 1 > next)
                next = base->inputs[i].dim + 1;
    for (size_t i = 0; i < m->ninputs; i++) {
        wa_input *in = &m->inputs[i];
        if (in->kind != WA_IN_SAMPLED)
            continue;
        long d = base ? base_dim(base, in->name) : -1;
        in->dim = d >= 0 ? (unsigned)d : next++;
        if (in->dim + 1 > end)
            end = in->dim + 1;
    }
    for (size_t j = 0; j < m->nghosts; j++) {
        wa_ghost *g = &m->ghosts[j];
        long d = base ? base_dim(base, g->name) : -1;
        g->dim = d >= 0 ? (unsigned)d : next++; /* a ghost is always the base's */
        if (g->dim + 1 > end)
            end = g->dim + 1;
    }
    return end;
}
