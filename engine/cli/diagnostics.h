/*
 * diagnostics.h — what the library found, printed to stderr the way compilers print it,
 * each problem once per file however many variants raise it again.
 */
#ifndef WA_CLI_DIAGNOSTICS_H
#define WA_CLI_DIAGNOSTICS_H

#include "walkaway.h"

/* What has been printed for the current file. Each variant's run can raise the same
   problem again (a repaired correlation matrix, a bad --set NAME): it is printed once.
   Warnings are keyed by their message, so a warning the library puts both in the
   diagnostics and in the result's warnings shows once; everything else by its whole
   rendered text. Start it zeroed; seen_clear empties it. */
typedef struct seen {
    char **v;
    size_t n;
} seen;

/* Returns 1 if (kind, key) was seen before; otherwise remembers it and returns 0. */
int seen_check_add(seen *s, const char *kind, const char *key);
void seen_clear(seen *s);

/*
 * Prints every entry of d to stderr, each once per file. Errors always; warnings unless
 * quiet; a note goes with the entry before it (it explains that entry). An entry the
 * library could not tie to a file (a run option it refused, say) is prefixed with path,
 * so that with several files the reader still knows which one it is about.
 */
void print_diagnostics(const wa_diagnostics *d, const char *path, int quiet, seen *shown);

/* The exit status a library status stands for (args.h). */
int exit_code(wa_status st);

#endif
