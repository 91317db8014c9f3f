/*
 * table.c — a table of strings printed as aligned plain-text columns or as a Markdown
 * pipe table (table.h).
 */
#include "report/table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "util/alloc.h"

int rt_init(rt_table *t, size_t ncols, const char *const *head, const int *right)
{
    memset(t, 0, sizeof *t);
    t->nc = ncols;
    t->head = wa_calloc(ncols, sizeof *t->head);
    t->right = wa_calloc(ncols, sizeof *t->right);
    if (!t->head || !t->right) {
        t->failed = 1;
        return -1;
    }
    for (size_t c = 0; c < ncols; c++) {
        t->head[c] = wa_strdup(head[c] ? head[c] : "");
        t->right[c] = right ? right[c] : 0;
        if (!t->head[c]) {
            t->failed = 1;
            return -1;
        }
    }
    return 0;
}

int rt_row(rt_table *t, const char *const *cells)
{
    if (t->failed)
        return -1;
    if (t->nr == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        char **v = wa_realloc(t->cell, cap * t->nc * sizeof *v);
        if (!v) {
            t->failed = 1;
            return -1;
        }
        t->cell = v;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->nc; c++) {
        char *s = wa_strdup(cells[c] ? cells[c] : "");
        if (!s) { /* the row's cells so far go, as the row does not count */
            while (c > 0)
                wa_free(t->cell[t->nr * t->nc + --c]);
            t->failed = 1;
            return -1;
        }
        t->cell[t->nr * t->nc + c] = s;
    }
    t->nr++;
    return 0;
}

/* s with '|' escaped, for a Markdown cell. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

void rt_print(FILE *f, const rt_table *t, int markdown)
{
    if (t->failed)
        return; /* the caller reports the failure */
    if (markdown) {
        fputs("\n|", f);
        for (size_t c = 0; c < t->nc; c++) {
            fputc(' ', f);
            md_cell(f, t->head[c]);
            fputs(" |", f);
        }
        fputs("\n|", f);
        for (size_t c = 0; c < t->nc; c++)
            fputs(t->right[c] ? "---:|" : "---|", f);
        fputc('\n', f);
        for (size_t r = 0; r < t->nr; r++) {
            fputc('|', f);
            for (size_t c = 0; c < t->nc; c++) {
                fputc(' ', f);
                md_cell(f, t->cell[r * t->nc + c]);
                fputs(" |", f);
            }
            fputc('\n', f);
        }
        return;
    }
    size_t *w = wa_calloc(t->nc ? t->nc : 1, sizeof *w);
    if (!w)
        return;
    for (size_t c = 0; c < t->nc; c++) {
        w[c] = rf_width(t->head[c]);
        for (size_t r = 0; r < t->nr; r++)
            if (rf_width(t->cell[r * t->nc + c]) > w[c])
                w[c] = rf_width(t->cell[r * t->nc + c]);
    }
    for (size_t r = 0; r <= t->nr; r++) {
        char *const *row = r == 0 ? t->head : t->cell + (r - 1) * t->nc;
        size_t last = t->nc; /* cells after the last non-empty one are not printed */
        while (last > 0 && !row[last - 1][0])
            last--;
        fputs("  ", f);
        for (size_t c = 0; c < last; c++) {
            if (c)
                fputs("  ", f);
            if (t->right[c])
                rf_rpad(f, row[c], w[c]);
            else if (c + 1 < last)
                rf_pad(f, row[c], w[c]);
            else
                fputs(row[c], f); /* no trailing spaces */
        }
        fputc('\n', f);
    }
    wa_free(w);
}

void rt_free(rt_table *t)
{
    for (size_t c = 0; t->head && c < t->nc; c++)
        wa_free(t->head[c]);
    for (size_t i = 0; i < t->nr * t->nc; i++)
        wa_free(t->cell[i]);
    wa_free(t->head);
    wa_free(t->right);
    wa_free(t->cell);
    memset(t, 0, sizeof *t);
}
