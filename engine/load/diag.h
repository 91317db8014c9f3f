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

/* Where a list stood before a call: its length and how many times memory had run out
   while adding to it (an out-of-memory error added, or an entry dropped for lack of
   memory, a count that a clear does not reset). */
typedef struct wa_diag_mark {
    size_t n, nomem;
} wa_diag_mark;
wa_diag_mark wa_diag_mark_now(const wa_diagnostics *d);
/* The call's status once it has failed: when memory ran out during it, WA_ENOMEM, and its
   other entries, consequences of the missing memory ("... has no rate"), are dropped so
   that only what says "out of memory" remains. Otherwise st. */
wa_status wa_diag_settle(wa_diagnostics *d, wa_diag_mark m, wa_status st);

/* The same around a whole public call, with a private list when the caller gives none
   (so that a lack of memory is still told apart): open gives the list to use, NULL when
   not even the private one could be made (the call then fails with WA_ENOMEM); close
   settles the status and frees the private list. */
typedef struct wa_diag_scope {
    wa_diagnostics *own;
    wa_diag_mark mark;
} wa_diag_scope;
wa_diagnostics *wa_diag_scope_open(wa_diag_scope *s, wa_diagnostics *d);
wa_status wa_diag_scope_close(wa_diag_scope *s, wa_diagnostics *d, wa_status st);

/* Shorthands for the common cases. */
#define wa_diag_error(d, src, line, col, ...) \
    wa_diag_add((d), WA_ERROR, WA_EINVALID, (src), (line), (col), __VA_ARGS__)
#define wa_diag_warning(d, src, line, col, ...) \
    wa_diag_add((d), WA_WARNING, WA_EINVALID, (src), (line), (col), __VA_ARGS__)

#endif
