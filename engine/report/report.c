/*
 * report.c — the public report calls: a format's name, and a set of results written in
 * it to a stream (wa_report_write) or a caller's buffer (wa_report_buffer). The CLI
 * prints through the same calls, so an embedder gets exactly what it prints.
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

/* Whether (fmt, r, n) can be rendered: a known format and n results, none NULL. */
static int valid(wa_format fmt, const wa_result *const *r, size_t n)
{
    if (!wa_format_name(fmt) || (n > 0 && !r))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!r[i])
            return 0;
    return 1;
}

static int render(FILE *f, wa_format fmt, const wa_result *const *r, size_t n)
{
    switch (fmt) {
    case WA_FORMAT_JSON:
        return wa_report_json(f, r, n);
    case WA_FORMAT_CSV:
        return wa_report_csv(f, r, n);
    default:
        return wa_report_text(f, r, n);
    }
}

wa_status wa_report_write(FILE *f, wa_format fmt, const wa_result *const *r, size_t n)
{
    if (!f || !valid(fmt, r, n))
        return WA_EUSAGE;
    errno = 0;
    if (render(f, fmt, r, n) == 0)
        return WA_OK;
    return errno == ENOMEM && !ferror(f) ? WA_ENOMEM : WA_EIO;
}

wa_status wa_report_buffer(wa_format fmt, const wa_result *const *r, size_t n, char *buf,
                           size_t size, size_t *length)
{
    if ((!buf && size > 0) || !valid(fmt, r, n))
        return WA_EUSAGE;
    /* Rendered once into memory (POSIX open_memstream), then copied: the writers stream,
       and the whole length must be known to report it. */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return WA_ENOMEM;
    int rc = render(m, fmt, r, n);
    if (fclose(m) != 0)
        rc = -1;
    if (rc != 0) {
        free(text);
        return WA_ENOMEM; /* a memory stream fails only for lack of memory */
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
