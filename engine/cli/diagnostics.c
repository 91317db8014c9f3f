/*
 * diagnostics.c — the library's diagnostics on stderr, rendered by its own formatter,
 * each once per file; and the exit status each library status stands for.
 */
#include "cli/diagnostics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

int seen_check_add(seen *s, const char *kind, const char *key)
{
    size_t lk = strlen(kind), lt = strlen(key);
    for (size_t i = 0; i < s->n; i++)
        if (strncmp(s->v[i], kind, lk) == 0 && strcmp(s->v[i] + lk, key) == 0)
            return 1;
    char **nv = realloc(s->v, (s->n + 1) * sizeof *nv);
    if (!nv)
        return 0; /* print it again rather than lose it */
    s->v = nv;
    char *copy = malloc(lk + lt + 1);
    if (!copy)
        return 0;
    memcpy(copy, kind, lk);
    memcpy(copy + lk, key, lt + 1);
    s->v[s->n++] = copy;
    return 0;
}

void seen_clear(seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* e rendered by the library's formatter; malloc'ed, NULL when out of memory. */
static char *render_diagnostic(const wa_diagnostic *e)
{
    size_t need = wa_diagnostic_format(e, NULL, 0);
    char *text = malloc(need + 1);
    if (text)
        wa_diagnostic_format(e, text, need + 1);
    return text;
}

void print_diagnostics(const wa_diagnostics *d, const char *path, int quiet,
                              seen *shown)
{
    int last_shown = 1;
    for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
        const wa_diagnostic *e = wa_diagnostics_get(d, i);
        char *text = render_diagnostic(e);
        int show;
        if (e->severity == WA_NOTE)
            show = last_shown;
        else if (e->severity == WA_WARNING)
            show = !quiet && !seen_check_add(shown, "W", e->message);
        else
            show = !text || !seen_check_add(shown, "E", text);
        if (show && text && (!e->file || !e->file[0]))
            fprintf(stderr, "%s: ", path);
        if (show)
            fputs(text ? text : "walkaway: out of memory\n", stderr);
        if (e->severity != WA_NOTE)
            last_shown = show;
        free(text);
    }
}

int exit_code(wa_status st)
{
    switch (st) {
    case WA_OK:
        return EXIT_OK;
    case WA_EUSAGE:
        return EXIT_USAGE;
    case WA_EIO:
        return EXIT_IO;
    default:
        return EXIT_INVALID; /* WA_EINVALID, WA_ENOMEM: the run failed */
    }
}

