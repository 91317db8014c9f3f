/*
 * located.h — values that remember where in a scenario file they were written: a line and
 * column, and a compiled expression with its text and file, so that a problem found at run
 * time ("'ln(x)' is not finite ...") points at the text that caused it. The loader makes
 * them (loader.h) and the model holds them (model.h).
 */
#ifndef WA_LOAD_LOCATED_H
#define WA_LOAD_LOCATED_H

#include "expr/expr.h"
#include "load/text.h"

typedef struct wa_loc {
    int line, col;
} wa_loc;

/* An expression with its origin. */
typedef struct wa_expr {
    char *text;
    wa_loc loc;
    const wa_source *src; /* the file it was written in */
    ex_prog *prog;
} wa_expr;

#endif
