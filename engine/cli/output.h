/*
 * output.h — atomic file output for `walkaway run -o FILE` (and any other file a command
 * writes whole).
 *
 * The report is written to a temporary file in FILE's directory (so the final rename
 * stays on one file system and is atomic), flushed and fsync'ed, then renamed over FILE.
 * Readers of FILE therefore see either the old contents or the complete new ones, never
 * a partial report. The temporary file has no name until then (O_TMPFILE), so nothing is
 * left behind whatever stops the run; without O_TMPFILE, every failure path and SIGINT,
 * SIGTERM or SIGHUP remove it. A symbolic link's target is replaced (the link stays); a
 * device or a FIFO is written to, at the end, not replaced. A FILE that another program
 * replaced or wrote to while the run was going is not replaced (CLI_OUT_CHANGED).
 */
#ifndef WA_CLI_OUTPUT_H
#define WA_CLI_OUTPUT_H

#include <stdio.h>

typedef struct cli_outfile cli_outfile;

/* cli_out_commit's answer when FILE changed since cli_out_open (not an errno value). */
#define CLI_OUT_CHANGED (-1)

/*
 * Creates the temporary file for path. Returns a new handle, or NULL with *err set to
 * an errno value when path cannot be written: its directory is missing, not writable or
 * not a directory, or path itself names a directory (checked now, so that a long run is
 * not wasted on an output that could never be stored).
 */
cli_outfile *cli_out_open(const char *path, int *err);

/* The stream to write the report to; borrowed from o. */
FILE *cli_out_stream(cli_outfile *o);

/*
 * Flushes, fsyncs and closes the temporary file, gives it the mode FILE has (or
 * 0666 & ~umask for a new file), and renames it over FILE if FILE is still what
 * cli_out_open saw (the same file, size and modification time, or absent). Returns 0, or
 * an errno value or CLI_OUT_CHANGED after removing the temporary file (FILE is then
 * untouched). Frees o in both cases.
 */
int cli_out_commit(cli_outfile *o);

/* Closes and removes the temporary file, leaving FILE untouched; frees o. NULL is fine. */
void cli_out_abort(cli_outfile *o);

/* Says on stderr why shown (FILE as the user wrote it) was not written: err is an errno
   value from cli_out_open or cli_out_commit, or CLI_OUT_CHANGED. */
void cli_out_error(const char *shown, int err);

#endif
