/*
 * diag.c — the diagnostics list: every problem found, with its location and the text of
 * its source line, and the one formatter that renders them compiler-style.
 *
 * Entries own copies of their strings, so a list outlives the sources it describes. The
 * list grows by doubling; an entry that cannot be stored for lack of memory is dropped
 * and counted, and the caller's status still says the call failed.
 */
#include "load/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/text.h"
#include "util/alloc.h"

struct wa_diagnostics {
    wa_diagnostic *v;
    size_t n, cap;
    size_t errors;
    size_t nomem; /* out-of-memory errors added, or entries dropped for lack of memory */
};

wa_diagnostics *wa_diagnostics_new(void)
{
    return wa_calloc(1, sizeof(wa_diagnostics));
}

static void entry_free(wa_diagnostic *e)
{
    wa_free((char *)e->file);
    wa_free((char *)e->message);
    wa_free((char *)e->source_line);
}

void wa_diagnostics_clear(wa_diagnostics *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        entry_free(&d->v[i]);
    d->n = 0;
    d->errors = 0;
}

void wa_diagnostics_free(wa_diagnostics *d)
{
    if (!d)
        return;
    wa_diagnostics_clear(d);
    wa_free(d->v);
    wa_free(d);
}

size_t wa_diagnostics_count(const wa_diagnostics *d) { return d ? d->n : 0; }
size_t wa_diagnostics_errors(const wa_diagnostics *d) { return d ? d->errors : 0; }

const wa_diagnostic *wa_diagnostics_get(const wa_diagnostics *d, size_t i)
{
    return d && i < d->n ? &d->v[i] : NULL;
}

static char *dup_n(const char *s, size_t n)
{
    char *r = wa_malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

void wa_diag_vadd(wa_diagnostics *d, wa_severity sev, wa_status code, const wa_source *src,
                  int line, int column, const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (code == WA_ENOMEM)
        d->nomem++;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        wa_diagnostic *v = wa_realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->nomem += code != WA_ENOMEM;
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    wa_diagnostic e = {sizeof e, sev, code, NULL, line, column, NULL, NULL};
    const char *name = src && src->name ? src->name : "";
    e.file = dup_n(name, strlen(name));
    e.message = dup_n(msg, strlen(msg));
    if (src && line > 0) {
        size_t len;
        const char *l = wa_source_line(src, line, &len);
        if (l)
            e.source_line = dup_n(l, len);
    }
    if (!e.file || !e.message) {
        entry_free(&e);
        d->nomem += code != WA_ENOMEM;
        return;
    }
    d->v[d->n++] = e;
    if (sev == WA_ERROR)
        d->errors++;
}

wa_diag_mark wa_diag_mark_now(const wa_diagnostics *d)
{
    wa_diag_mark m = {d ? d->n : 0, d ? d->nomem : 0};
    return m;
}

wa_status wa_diag_settle(wa_diagnostics *d, wa_diag_mark m, wa_status st)
{
    if (st == WA_OK || !d || d->nomem == m.nomem)
        return st;
    size_t k = m.n < d->n ? m.n : d->n;
    for (size_t i = k; i < d->n; i++) {
        if (d->v[i].code == WA_ENOMEM) {
            d->v[k++] = d->v[i];
        } else {
            if (d->v[i].severity == WA_ERROR)
                d->errors--;
            entry_free(&d->v[i]);
        }
    }
    d->n = k;
    return WA_ENOMEM;
}

wa_diagnostics *wa_diag_scope_open(wa_diag_scope *s, wa_diagnostics *d)
{
    s->own = d ? NULL : wa_diagnostics_new();
    d = d ? d : s->own;
    s->mark = wa_diag_mark_now(d);
    return d;
}

wa_status wa_diag_scope_close(wa_diag_scope *s, wa_diagnostics *d, wa_status st)
{
    st = wa_diag_settle(d, s->mark, st);
    wa_diagnostics_free(s->own);
    s->own = NULL;
    return st;
}

void wa_diag_add(wa_diagnostics *d, wa_severity sev, wa_status code, const wa_source *src,
                 int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wa_diag_vadd(d, sev, code, src, line, column, fmt, ap);
    va_end(ap);
}

/* Appends printf-style into buf at *pos, counting what would be needed beyond size. */
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = *pos < size ? size - *pos : 0;
    int k = vsnprintf(room ? buf + *pos : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        *pos += (size_t)k;
}

/* The position k characters (UTF-8 code points) into s, or its end. */
static const char *skip_chars(const char *s, int k)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && k > 0) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        k--;
    }
    return (const char *)p;
}

size_t wa_diagnostic_format(const wa_diagnostic *e, char *buf, size_t size)
{
    static const char *const sev_name[] = {"error", "warning", "note"};
    size_t pos = 0;
    if (size)
        buf[0] = '\0';
    if (!e)
        return 0;
    const char *sev = (unsigned)e->severity < 3 ? sev_name[e->severity] : "error";
    if (e->file && e->file[0] && e->line > 0)
        put(buf, size, &pos, "%s:%d:%d: %s: %s\n", e->file, e->line, e->column > 0 ? e->column : 1,
            sev, e->message);
    else if (e->file && e->file[0])
        put(buf, size, &pos, "%s: %s: %s\n", e->file, sev, e->message);
    else
        put(buf, size, &pos, "%s: %s\n", sev, e->message);
    if (e->source_line && e->source_line[0] && e->line > 0) {
        /* A very long line (minified YAML, a one-line file) is shown as a window of
           WINDOW characters around the column, marked with "..." where cut. */
        enum { WINDOW = 160, BEFORE = 60 };
        const char *line = e->source_line;
        int first = e->column > BEFORE ? e->column - BEFORE : 1; /* first column shown */
        const char *from = skip_chars(line, first - 1);
        const char *to = skip_chars(from, WINDOW);
        int cut_left = from != line, cut_right = *to != '\0';
        put(buf, size, &pos, "%s", cut_left ? "..." : "");
        /* Control characters (a binary file's, an escape sequence) never reach the
           user's terminal: each shows as '?', one column for one, so the caret still
           lines up. */
        for (const unsigned char *c = (const unsigned char *)from;
             c < (const unsigned char *)to; c++)
            put(buf, size, &pos, "%c", (*c < 0x20 && *c != '\t') || *c == 0x7f ? '?' : *c);
        put(buf, size, &pos, "%s\n", cut_right ? "..." : "");
        /* The caret goes under the column-th character: copy tabs so it lines up, and
           step over UTF-8 continuation bytes, which take no column of their own. */
        if (cut_left)
            put(buf, size, &pos, "   ");
        int col = first;
        for (const unsigned char *s = (const unsigned char *)from;
             *s && s < (const unsigned char *)to && col < e->column; s++) {
            if ((*s & 0xC0) == 0x80)
                continue;
            put(buf, size, &pos, "%c", *s == '\t' ? '\t' : ' ');
            col++;
        }
        put(buf, size, &pos, "^\n");
    }
    return pos;
}
