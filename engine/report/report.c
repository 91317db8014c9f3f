/*
 * report.c — the public report calls: a format's name, and a set of results or sweeps
 * written in it to a stream (wa_report_write, wa_report_sweep_write) or a caller's buffer
 * (the _buffer forms). The CLI prints through the same calls, so an embedder gets exactly
 * what it prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const char *const format_names[] = {"text", "json", "csv"};
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

/* Whether n items at v can be rendered in fmt: a known format and n items, none NULL. */
static int valid(wa_format fmt, const void *const *v, size_t n)
{
    if (!wa_format_name(fmt) || (n > 0 && !v))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i])
            return 0;
    return 1;
}

/* A writer of n items (results or sweeps) in one format. */
typedef int (*writer)(FILE *f, wa_format fmt, const void *const *v, size_t n);

static int write_results(FILE *f, wa_format fmt, const void *const *v, size_t n)
{
    const wa_result *const *r = (const wa_result *const *)v;
    return fmt == WA_FORMAT_JSON  ? wa_report_json(f, r, n)
           : fmt == WA_FORMAT_CSV ? wa_report_csv(f, r, n)
                                  : wa_report_text(f, r, n);
}

static int write_sweeps(FILE *f, wa_format fmt, const void *const *v, size_t n)
{
    const wa_sweep *const *s = (const wa_sweep *const *)v;
    return fmt == WA_FORMAT_JSON  ? wa_report_sweep_json(f, s, n)
           : fmt == WA_FORMAT_CSV ? wa_report_sweep_csv(f, s, n)
                                  : wa_report_sweep_text(f, s, n);
}

static int write_solves(FILE *f, wa_format fmt, const void *const *v, size_t n)
{
    const wa_solve *const *s = (const wa_solve *const *)v;
    return fmt == WA_FORMAT_JSON  ? wa_report_solve_json(f, s, n)
           : fmt == WA_FORMAT_CSV ? wa_report_solve_csv(f, s, n)
                                  : wa_report_solve_text(f, s, n);
}

static wa_status to_stream(writer w, FILE *f, wa_format fmt, const void *const *v, size_t n)
{
    if (!f || !valid(fmt, v, n))
        return WA_EUSAGE;
    errno = 0;
    if (w(f, fmt, v, n) == 0)
        return WA_OK;
    if (errno == EINVAL && !ferror(f))
        return WA_EUSAGE; /* sweeps that cannot share one CSV */
    return errno == ENOMEM && !ferror(f) ? WA_ENOMEM : WA_EIO;
}

static wa_status to_buffer(writer w, wa_format fmt, const void *const *v, size_t n, char *buf,
                           size_t size, size_t *length)
{
    if ((!buf && size > 0) || !valid(fmt, v, n))
        return WA_EUSAGE;
    /* Rendered once into memory (POSIX open_memstream), then copied: the writers stream,
       and the whole length must be known to report it. */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return WA_ENOMEM;
    errno = 0;
    int rc = w(m, fmt, v, n);
    int einval = rc != 0 && errno == EINVAL;
    if (fclose(m) != 0)
        rc = -1;
    if (rc != 0) {
        free(text);
        return einval ? WA_EUSAGE : WA_ENOMEM; /* a memory stream fails only for lack of memory */
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
    return to_stream(write_results, f, fmt, (const void *const *)r, n);
}

wa_status wa_report_buffer(wa_format fmt, const wa_result *const *r, size_t n, char *buf,
                           size_t size, size_t *length)
{
    return to_buffer(write_results, fmt, (const void *const *)r, n, buf, size, length);
}

wa_status wa_report_sweep_write(FILE *f, wa_format fmt, const wa_sweep *const *s, size_t n)
{
    return to_stream(write_sweeps, f, fmt, (const void *const *)s, n);
}

wa_status wa_report_sweep_buffer(wa_format fmt, const wa_sweep *const *s, size_t n, char *buf,
                                 size_t size, size_t *length)
{
    return to_buffer(write_sweeps, fmt, (const void *const *)s, n, buf, size, length);
}

wa_status wa_report_solve_write(FILE *f, wa_format fmt, const wa_solve *const *s, size_t n)
{
    return to_stream(write_solves, f, fmt, (const void *const *)s, n);
}

wa_status wa_report_solve_buffer(wa_format fmt, const wa_solve *const *s, size_t n, char *buf,
                                 size_t size, size_t *length)
{
    return to_buffer(write_solves, fmt, (const void *const *)s, n, buf, size, length);
}
