/*
 * report.c — the public report calls: a format's name, and a set of results or sweeps
 * written in it to a stream (wa_report_write, wa_report_sweep_write) or a caller's buffer
 * (the _buffer forms). The CLI prints through the same calls, so an embedder gets exactly
 * what it prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/html.h"
#include "report/memo.h"
#include "report/report.h"
#include "util/alloc.h"

static const char *const format_names[] = {"text", "json", "csv", "markdown", "html"};
#define NFORMATS (sizeof format_names / sizeof format_names[0])

const char *wa_format_name(wa_format f)
{
    return (unsigned)f < NFORMATS ? format_names[f] : NULL;
}

wa_status wa_format_parse(const char *s, wa_format *out)
{
    for (size_t i = 0; s && out && i < NFORMATS; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *out = (wa_format)i;
            return WA_OK;
        }
    return WA_EUSAGE;
}

struct wa_report {
    FILE *f;
    wa_format fmt;
    wa_report_kind kind;
    size_t n;          /* items written */
    wa_csv_columns cols; /* CSV: the columns, decided by the first item */
    wa_status st;      /* the first failure; nothing more is written after one */
    wa_memo *memo;     /* text and Markdown runs: what the variant table needs */
    wa_html *html;     /* HTML: the page, kept until the close */
};

wa_status wa_report_open(FILE *f, wa_format fmt, wa_report_kind kind, wa_report **out)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!f || !wa_format_name(fmt) || (unsigned)kind > WA_REPORT_SOLVES)
        return WA_EUSAGE;
    wa_report *rp = wa_calloc(1, sizeof *rp);
    if (!rp)
        return WA_ENOMEM;
    rp->f = f;
    rp->fmt = fmt;
    rp->kind = kind;
    if (kind == WA_REPORT_RUNS && (fmt == WA_FORMAT_TEXT || fmt == WA_FORMAT_MARKDOWN) &&
        !(rp->memo = wa_memo_new(fmt == WA_FORMAT_MARKDOWN))) {
        wa_free(rp);
        return WA_ENOMEM;
    }
    if (fmt == WA_FORMAT_HTML && !(rp->html = wa_html_new())) {
        wa_free(rp);
        return WA_ENOMEM;
    }
    *out = rp;
    return WA_OK;
}

/* The status of a writer's -1: out of memory, a usage error (EINVAL), or the write. */
static wa_status failure(const wa_report *rp)
{
    if (errno == ENOMEM && !ferror(rp->f))
        return WA_ENOMEM;
    if (errno == EINVAL && !ferror(rp->f))
        return WA_EUSAGE;
    return WA_EIO;
}

/* The head of the document, before its first item (or at its close without any). */
static int begin(wa_report *rp, const void *first)
{
    if (rp->fmt == WA_FORMAT_JSON)
        return wa_report_json_begin(rp->f, rp->kind);
    if (rp->fmt == WA_FORMAT_CSV)
        return wa_report_csv_columns(rp->kind, first, &rp->cols)
                   ? -1
                   : wa_report_csv_begin(rp->f, rp->kind, first, rp->cols.deal);
    return 0;
}

static wa_status add(wa_report *rp, wa_report_kind kind, const void *item)
{
    if (!rp || !item || kind != rp->kind)
        return WA_EUSAGE;
    if (rp->st != WA_OK)
        return rp->st;
    errno = 0;
    int rc = rp->n == 0 ? begin(rp, item) : 0;
    if (rc == 0) {
        if (rp->fmt == WA_FORMAT_JSON) {
            rc = wa_report_json_item(rp->f, kind, item, rp->n);
        } else if (rp->fmt == WA_FORMAT_CSV) {
            rc = wa_report_csv_item(rp->f, kind, item, &rp->cols);
        } else if (rp->fmt == WA_FORMAT_HTML) {
            rc = kind == WA_REPORT_RUNS     ? wa_html_item(rp->html, item)
                 : kind == WA_REPORT_SWEEPS ? wa_html_sweep(rp->html, item)
                                            : wa_html_solve(rp->html, item);
        } else if (kind == WA_REPORT_RUNS) {
            rc = wa_memo_item(rp->f, rp->memo, item);
        } else {
            /* sweeps and solves: their text, fenced as a block in Markdown */
            int md = rp->fmt == WA_FORMAT_MARKDOWN;
            if (rp->n > 0) { /* a rule between two reports */
                fputc('\n', rp->f);
                rf_rule(rp->f);
                fputc('\n', rp->f);
            }
            if (md)
                fputs("```text\n", rp->f);
            rc = kind == WA_REPORT_SWEEPS ? wa_report_sweep_text_item(rp->f, item)
                                          : wa_report_solve_text_item(rp->f, item);
            if (md && rc == 0)
                fputs("```\n", rp->f);
        }
    }
    if (rc != 0) {
        wa_status st = failure(rp);
        if (st == WA_EUSAGE)
            return st; /* nothing of this item was written: the report goes on */
        rp->st = st;
        return st;
    }
    rp->n++;
    return WA_OK;
}

wa_status wa_report_add(wa_report *rp, const wa_result *r) { return add(rp, WA_REPORT_RUNS, r); }

wa_status wa_report_add_sweep(wa_report *rp, const wa_sweep *s)
{
    return add(rp, WA_REPORT_SWEEPS, s);
}

wa_status wa_report_add_solve(wa_report *rp, const wa_solve *s)
{
    return add(rp, WA_REPORT_SOLVES, s);
}

wa_status wa_report_close(wa_report *rp)
{
    if (!rp)
        return WA_OK;
    wa_status st = rp->st;
    int saved = errno; /* a failed write's errno stays for the caller */
    if (st == WA_OK) {
        errno = 0;
        if ((rp->n == 0 && begin(rp, NULL)) ||
            (rp->fmt == WA_FORMAT_JSON && wa_report_json_end(rp->f)) ||
            (rp->memo && wa_memo_end(rp->f, rp->memo)) ||
            (rp->html && wa_html_end(rp->f, rp->html)) || ferror(rp->f))
            st = failure(rp);
        else
            errno = saved;
    }
    wa_memo_free(rp->memo);
    wa_html_free(rp->html);
    wa_free(rp->cols.key);
    wa_free(rp);
    return st;
}

/* The n items at v written as one report of `kind`. */
static wa_status write_all(FILE *f, wa_format fmt, wa_report_kind kind, const void *const *v,
                           size_t n)
{
    if (n > 0 && !v)
        return WA_EUSAGE;
    for (size_t i = 0; i < n; i++)
        if (!v[i])
            return WA_EUSAGE;
    wa_report *rp = NULL;
    wa_status st = wa_report_open(f, fmt, kind, &rp);
    for (size_t i = 0; i < n && st == WA_OK; i++)
        st = add(rp, kind, v[i]);
    wa_status sc = wa_report_close(rp);
    return st != WA_OK ? st : sc;
}

/* The same into a caller's buffer, through a memory stream. */
static wa_status to_buffer(wa_format fmt, wa_report_kind kind, const void *const *v, size_t n,
                           char *buf, size_t size, size_t *length)
{
    if (!buf && size > 0)
        return WA_EUSAGE;
    /* Rendered once into memory (POSIX open_memstream), then copied: the writers stream,
       and the whole length must be known to report it. */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return WA_ENOMEM;
    wa_status st = write_all(m, fmt, kind, v, n);
    if (fclose(m) != 0 && st == WA_OK)
        st = WA_ENOMEM;
    if (st == WA_EIO)
        st = WA_ENOMEM; /* a memory stream fails only for lack of memory */
    if (st != WA_OK) {
        free(text);
        return st;
    }
    if (length)
        *length = len;
    if (size > 0) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    free(text);
    return WA_OK;
}

wa_status wa_report_write(FILE *f, wa_format fmt, const wa_result *const *r, size_t n)
{
    return write_all(f, fmt, WA_REPORT_RUNS, (const void *const *)r, n);
}

wa_status wa_report_buffer(wa_format fmt, const wa_result *const *r, size_t n, char *buf,
                           size_t size, size_t *length)
{
    return to_buffer(fmt, WA_REPORT_RUNS, (const void *const *)r, n, buf, size, length);
}

wa_status wa_report_sweep_write(FILE *f, wa_format fmt, const wa_sweep *const *s, size_t n)
{
    return write_all(f, fmt, WA_REPORT_SWEEPS, (const void *const *)s, n);
}

wa_status wa_report_sweep_buffer(wa_format fmt, const wa_sweep *const *s, size_t n, char *buf,
                                 size_t size, size_t *length)
{
    return to_buffer(fmt, WA_REPORT_SWEEPS, (const void *const *)s, n, buf, size, length);
}

wa_status wa_report_solve_write(FILE *f, wa_format fmt, const wa_solve *const *s, size_t n)
{
    return write_all(f, fmt, WA_REPORT_SOLVES, (const void *const *)s, n);
}

wa_status wa_report_solve_buffer(wa_format fmt, const wa_solve *const *s, size_t n, char *buf,
                                 size_t size, size_t *length)
{
    return to_buffer(fmt, WA_REPORT_SOLVES, (const void *const *)s, n, buf, size, length);
}
