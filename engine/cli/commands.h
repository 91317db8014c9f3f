/*
 * commands.h — `run`, `check` and `sweep` over the files of the command line.
 */
#ifndef WA_CLI_COMMANDS_H
#define WA_CLI_COMMANDS_H

#include "cli/args.h"

/*
 * Loads every file of c; for `check` says "FILE: ok" (unless quiet), for `run` runs the
 * selected variants of each, for `sweep` its grid, and writes the report (stdout, or -o FILE atomically and
 * only when every file succeeded). Diagnostics go to stderr. Returns the worst exit
 * status of the files.
 */
int run_files(const cli *c);

/* Flushes stdout. Returns 0, or EXIT_IO after saying why; a reader that went away (EPIPE,
   `| head`) is not an error. err is a write error already seen, or 0. */
int finish_stdout(int err);

#endif
