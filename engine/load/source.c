/*
 * source.c — a scenario file's bytes in memory, checked to be text that libyaml will read.
 *
 * What is accepted, checked in one pass; the first problem found is reported:
 *
 *     source ::= [bom] char*                     at most WA_SOURCE_MAX bytes
 *     bom    ::= EF BB BF                        (UTF-8's; a UTF-16 one is refused by name)
 *     char   ::= well-formed UTF-8 (shortest form, no surrogates, at most U+10FFFF) of a
 *                character libyaml's reader allows: TAB | LF | CR | U+0020..U+007E | U+0085
 *                | U+00A0..U+D7FF | U+E000..U+FFFD | U+10000..U+10FFFF
 *     break  ::= CR LF | LF | CR | U+0085 | U+2028 | U+2029      (libyaml's line breaks)
 *
 * Refusing here the control characters libyaml would refuse gives the message a position:
 * libyaml reports them with a byte offset only.
 *
 * Invariants: a wa_source's text is NUL-terminated, holds no other NUL and passed the
 * checks above. Positions are counted the way libyaml counts its marks, so that a line
 * number from either names the same text: lines are split at `break`, columns count
 * characters (not bytes) from 1, and the BOM takes no column.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* fstat, fileno, XSI strerror_r */
#endif

#include "load/source.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util/alloc.h"

#define READ_CHUNK 4096u /* first buffer for a file whose size stat cannot tell */

/* Decodes the UTF-8 character at p (p < end) into *cp and returns its length in bytes, or
   0 when the bytes there are not well-formed: a stray continuation byte, a truncated
   sequence, an overlong form, a surrogate or a value beyond U+10FFFF. */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    static const uint32_t min_value[5] = {0, 0, 0x80, 0x800, 0x10000};
    size_t n;
    uint32_t v;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        n = 2;
        v = p[0] & 0x1Fu;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3;
        v = p[0] & 0x0Fu;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4;
        v = p[0] & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min_value[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* The characters libyaml's reader lets through (reader.c, yaml_parser_update_buffer). */
static int yaml_allows(uint32_t c)
{
    return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
           (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

/* Refuses, with a diagnostic at its position, the first thing in s that is not a
   `char` of the grammar above. */
static wa_status check_text(const wa_source *s, wa_diagnostics *d)
{
    const unsigned char *t = (const unsigned char *)s->text, *end = t + s->len;
    if (s->len >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF))) {
        wa_diag_error(d, s, 1, 1, "file is UTF-16 (byte order mark %02X %02X); save it as UTF-8",
                      t[0], t[1]);
        return WA_EINVALID;
    }
    int line = 1, col = 1;
    for (const unsigned char *p = t + wa_text_bom_len(s->text, s->len); p < end;) {
        size_t b = wa_text_break_len(p, end);
        if (b) {
            p += b;
            line++;
            col = 1;
            continue;
        }
        uint32_t c;
        size_t n = utf8_decode(p, end, &c);
        if (n == 1 && c == 0) {
            wa_diag_error(d, s, line, col, "file is not text: NUL byte at line %d, column %d",
                          line, col);
            return WA_EINVALID;
        }
        if (n == 0) {
            wa_diag_error(d, s, line, col, "file is not valid UTF-8");
            return WA_EINVALID;
        }
        if (!yaml_allows(c)) {
            wa_diag_error(d, s, line, col,
                          "file is not text: control character U+%04X at line %d, column %d",
                          (unsigned)c, line, col);
            return WA_EINVALID;
        }
        p += n;
        col++;
    }
    return WA_OK;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = wa_malloc(n);
    if (r)
        memcpy(r, s, n);
    return r;
}

/* "cannot <verb> 'path': <strerror>", WA_EIO, at no line. */
static void io_error(wa_diagnostics *d, const wa_source *named, const char *verb, int err)
{
    char why[256];
    /* XSI strerror_r (POSIX 2008, asked for above): thread-safe, unlike strerror. */
    if (strerror_r(err, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", err);
    wa_diag_add(d, WA_ERROR, WA_EIO, named, 0, 0, "cannot %s '%s': %s", verb, named->name, why);
}

static void too_large(wa_diagnostics *d, const wa_source *named, unsigned long long bytes)
{
    wa_diag_error(d, named, 1, 1, "file is too large (%llu bytes; the limit is %u MiB)", bytes,
                  WA_SOURCE_MAX >> 20);
}

static void out_of_memory(wa_diagnostics *d, const wa_source *named)
{
    wa_diag_add(d, WA_ERROR, WA_ENOMEM, named, 0, 0, "out of memory reading '%s'", named->name);
}

/* Wraps text[0..len), already NUL-terminated and owned, with a copy of name; checks it.
   Takes ownership of text whatever happens. */
static wa_status finish(char *text, size_t len, const wa_source *named, wa_source **out,
                        wa_diagnostics *d)
{
    wa_source *s = wa_malloc(sizeof *s);
    char *name = dup_str(named->name);
    if (!s || !name) {
        wa_free(s);
        wa_free(name);
        wa_free(text);
        out_of_memory(d, named);
        return WA_ENOMEM;
    }
    s->name = name;
    s->text = text;
    s->len = len;
    wa_status st = check_text(s, d);
    if (st != WA_OK) {
        wa_source_free(s);
        return st;
    }
    *out = s;
    return WA_OK;
}

wa_status wa_source_read(const char *path, wa_source **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!path) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, NULL, 0, 0, "no file name given");
        return WA_EUSAGE;
    }
    /* Names the file in diagnostics until there is text; it has no lines to quote. */
    wa_source named = {(char *)path, NULL, 0};

    FILE *f = fopen(path, "rb");
    if (!f) {
        io_error(d, &named, "open", errno);
        return WA_EIO;
    }
    wa_status st = WA_OK;
    char *buf = NULL;
    size_t n = 0;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        io_error(d, &named, "read", errno);
        st = WA_EIO;
        goto cleanup;
    }
    /* fopen succeeds on a directory on Linux; only the first read would fail. */
    if (S_ISDIR(sb.st_mode)) {
        io_error(d, &named, "read", EISDIR);
        st = WA_EIO;
        goto cleanup;
    }
    if (S_ISREG(sb.st_mode) && sb.st_size > (off_t)WA_SOURCE_MAX) {
        too_large(d, &named, (unsigned long long)sb.st_size);
        st = WA_EINVALID;
        goto cleanup;
    }

    /* Read to the end: the size from stat is only a hint (files in /proc report 0, pipes
       and devices have none, a file may grow). One byte past the limit is enough to know
       a file is too large, so a device like /dev/zero ends too. */
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : READ_CHUNK;
    if (cap < READ_CHUNK)
        cap = READ_CHUNK;
    if (cap > WA_SOURCE_MAX + 1)
        cap = WA_SOURCE_MAX + 1;
    buf = wa_malloc(cap + 1); /* + the NUL */
    if (!buf)
        goto nomem;
    for (;;) {
        if (n == cap) {
            if (cap > WA_SOURCE_MAX)
                break;
            size_t grown = cap > (WA_SOURCE_MAX + 1) / 2 ? WA_SOURCE_MAX + 1 : cap * 2;
            char *b = wa_realloc(buf, grown + 1);
            if (!b)
                goto nomem;
            buf = b;
            cap = grown;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        io_error(d, &named, "read", errno);
        st = WA_EIO;
        goto cleanup;
    }
    if (n > WA_SOURCE_MAX) {
        /* Only a stream (or a file that grew while read) gets here: its size is unknown. */
        wa_diag_error(d, &named, 1, 1, "file is too large (more than %u bytes; the limit is %u MiB)",
                      WA_SOURCE_MAX, WA_SOURCE_MAX >> 20);
        st = WA_EINVALID;
        goto cleanup;
    }
    fclose(f);
    buf[n] = '\0';
    return finish(buf, n, &named, out, d);

nomem:
    out_of_memory(d, &named);
    st = WA_ENOMEM;
cleanup:
    wa_free(buf);
    fclose(f);
    return st;
}

wa_status wa_source_from_buffer(const char *text, size_t len, const char *name,
                                wa_source **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    wa_source named = {(char *)(name ? name : ""), NULL, 0};
    if (!text && len > 0) {
        wa_diag_add(d, WA_ERROR, WA_EUSAGE, &named, 0, 0, "no text given");
        return WA_EUSAGE;
    }
    if (len > WA_SOURCE_MAX) {
        too_large(d, &named, (unsigned long long)len);
        return WA_EINVALID;
    }
    char *copy = wa_malloc(len + 1);
    if (!copy) {
        out_of_memory(d, &named);
        return WA_ENOMEM;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return finish(copy, len, &named, out, d);
}
