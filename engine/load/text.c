/*
 * text.c — a scenario text in memory and its lines, counted the way libyaml counts them.
 */
#include "load/text.h"

#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

/* Length of the line break at p (0 when there is none): libyaml's set, CR LF as one. */
size_t wa_text_break_len(const unsigned char *p, const unsigned char *end)
{
    if (p >= end)
        return 0;
    if (p[0] == '\n')
        return 1;
    if (p[0] == '\r')
        return end - p >= 2 && p[1] == '\n' ? 2 : 1;
    if (p[0] == 0xC2 && end - p >= 2 && p[1] == 0x85)
        return 2; /* U+0085 NEL */
    if (p[0] == 0xE2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3; /* U+2028 LS, U+2029 PS */
    return 0;
}

size_t wa_text_bom_len(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

void wa_source_free(wa_source *s)
{
    if (!s)
        return;
    wa_free(s->name);
    wa_free(s->text);
    wa_free(s);
}

/* Lines are the text between breaks, so text with k breaks has k + 1 lines, the last one
   possibly empty (that is where libyaml puts the end of a file that ends with a newline).
   Line 1 starts after the BOM. Works on any bytes, checked or not: diagnostics about
   invalid text quote their line too. */
const char *wa_source_line(const wa_source *s, int line, size_t *len)
{
    if (len)
        *len = 0;
    if (!s || !s->text || line < 1)
        return NULL;
    const unsigned char *end = (const unsigned char *)s->text + s->len;
    const unsigned char *p = (const unsigned char *)s->text + wa_text_bom_len(s->text, s->len);
    for (int l = 1; l < line; l++) {
        while (p < end && !wa_text_break_len(p, end))
            p++;
        if (p == end)
            return NULL;
        p += wa_text_break_len(p, end);
    }
    const unsigned char *q = p;
    while (q < end && !wa_text_break_len(q, end))
        q++;
    if (len)
        *len = (size_t)(q - p);
    return (const char *)p;
}
