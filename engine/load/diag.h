/*
 * diag.h — the library's side of wa_diagnostics: adding entries with a location.
 *
 * An entry copies the text of the line it points at from its wa_source (text.h), so a
 * diagnostic outlives the source it came from. Adding to a NULL
 * list is a no-op; when memory runs out an entry is dropped (the caller still sees the
 * failing status).
 */
#ifndef WA_DIAG_H
#define WA_DIAG_H

#include <stdarg.h>
#include "walkaway.h"
#include "load/text.h"

/* Appends an entry; line/column 1-based, 0 when unknown; src may be NULL. The message is
   printf-formatted and must not end with a newline. */
void wa_diag_add(wa_diagnostics *d, wa_severity sev, wa_status code, const wa_source *src,
                 int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void wa_diag_vadd(wa_diagnostics *d, wa_severity sev, wa_status code, const wa_source *src,
                  int line, int column, const char *fmt, va_list ap);

/* Shorthands for the common cases. */
#define wa_diag_error(d, src, line, col, ...) \
    wa_diag_add((d), WA_ERROR, WA_EINVALID, (src), (line), (col), __VA_ARGS__)
#define wa_diag_warning(d, src, line, col, ...) \
    wa_diag_add((d), WA_WARNING, WA_EINVALID, (src), (line), (col), __VA_ARGS__)

#endif
