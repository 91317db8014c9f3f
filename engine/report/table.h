/*
 * table.h — a table of strings for the reports people read: aligned columns in plain
 * text (two spaces of indent, numbers right-aligned), or a Markdown pipe table.
 */
#ifndef WA_REPORT_TABLE_H
#define WA_REPORT_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct rt_table {
    size_t nc, nr, cap;
    char **head;
    int *right;   /* per column: right-aligned */
    char **cell;  /* nr rows of nc, copied */
    int failed;   /* memory ran out building it: it prints nothing */
} rt_table;

/* A table of ncols columns with these headings (right: per column, NULL for none). All
   return 0, or -1 when out of memory (free the table all the same). */
int rt_init(rt_table *t, size_t ncols, const char *const *head, const int *right);
/* Appends a row of ncols cells (NULL cells print empty); a row that cannot be stored
   marks the table failed, as does a failed rt_init. */
int rt_row(rt_table *t, const char *const *cells);
void rt_print(FILE *f, const rt_table *t, int markdown);
void rt_free(rt_table *t);

#endif
