/*
 * text.h — a scenario text in memory (wa_source: its name and bytes) and where its lines
 * are. The lowest layer of the loader: diagnostics (diag.h) quote a line of a source, and
 * reading a source (source.h) reports diagnostics, so both build on this and neither on
 * the other.
 *
 * Lines and columns are counted as libyaml counts its marks, so that a line number from
 * either names the same text: lines are split at CR LF, LF, CR, U+0085, U+2028 and U+2029;
 * columns count characters (not bytes) from 1; a UTF-8 byte order mark takes no column.
 */
#ifndef WA_TEXT_H
#define WA_TEXT_H

#include <stddef.h>

typedef struct wa_source {
    char *name;  /* file name as given (for messages) */
    char *text;  /* the bytes, NUL-terminated */
    size_t len;  /* bytes, without the NUL */
} wa_source;

/* Frees s, its name and its text; NULL is fine. */
void wa_source_free(wa_source *s);

/* Start of line `line` (1-based) and its length without the line break; NULL if none. */
const char *wa_source_line(const wa_source *s, int line, size_t *len);

/* Length in bytes of the line break at p (0 when there is none), CR LF as one. */
size_t wa_text_break_len(const unsigned char *p, const unsigned char *end);

/* 3 when text starts with UTF-8's byte order mark, else 0. */
size_t wa_text_bom_len(const char *text, size_t len);

#endif
