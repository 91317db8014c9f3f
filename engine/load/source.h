/*
 * source.h — reading a scenario file into memory, refusing what cannot be a scenario.
 *
 * A file larger than WA_SOURCE_MAX bytes, holding a NUL byte or not valid UTF-8 is refused
 * with a diagnostic (WA_EINVALID); one that cannot be opened or read gives WA_EIO.
 */
#ifndef WA_SOURCE_H
#define WA_SOURCE_H

#include "load/diag.h"
#include "load/text.h"

#define WA_SOURCE_MAX (16u << 20) /* 16 MiB: far beyond any hand-written scenario */

/* On WA_OK *out owns a new source (wa_source_free). */
wa_status wa_source_read(const char *path, wa_source **out, wa_diagnostics *d);
/* A copy of text[0..len) named name; same checks as wa_source_read. */
wa_status wa_source_from_buffer(const char *text, size_t len, const char *name,
                                wa_source **out, wa_diagnostics *d);

#endif
