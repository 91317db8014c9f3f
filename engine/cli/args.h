/*
 * args.h — the command line parsed: which command, its options, its files.
 *
 * parse_args prints its own usage errors (and --help, --version) and says whether to go
 * on; nothing here loads or runs anything.
 */
#ifndef WA_CLI_ARGS_H
#define WA_CLI_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "walkaway.h"

/* Exit statuses: SPEC section 3. */
enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum { CMD_RUN = 1, CMD_CHECK = 2, CMD_SWEEP = 4, CMD_SOLVE = 8 };
/* the studies (more runs than one), and every command: for the option table */
enum { CMD_STUDY = CMD_SWEEP | CMD_SOLVE, CMD_ALL = CMD_RUN | CMD_CHECK | CMD_STUDY };

typedef struct cli {
    int command;          /* CMD_RUN, CMD_CHECK, CMD_SWEEP or CMD_SOLVE */
    const char *command_name;
    wa_run_options run;   /* trials, seed, method, confidence, threads, sets */
    wa_format format;
    const char *output;   /* -o FILE, or NULL for stdout */
    const char *report;   /* run: --report FILE.html, or NULL */
    const char *charts;   /* run: --charts DIR, or NULL */
    const char **sets;    /* borrowed from argv */
    size_t nsets;
    const char **variants;
    size_t nvariants;
    const char **varies;  /* sweep, solve: the --vary specifications, borrowed from argv */
    size_t nvaries;
    const char *offer;    /* solve: --offer, --target (NULL: c) */
    const char *target;
    const char **files;
    size_t nfiles;
    int quiet;
    int keep_going;       /* -o: write what succeeded even when a file failed */
} cli;

/* What parsing decided: carry on, or exit now with a status (help, version, error). */
typedef struct parse_result {
    int stop;
    int status;
} parse_result;

/* Prints the whole --help text to f. */
void cli_print_help(FILE *f);

/*
 * Fills c from argv: argv[1] is the command (run, check, sweep, solve, --help, --version, or a near
 * miss that gets a suggestion), options anywhere after it (GNU style), "--" ends them.
 * Usage errors are printed to stderr with the hint; --help and --version print to stdout
 * and stop with EXIT_OK. Free c with cli_free whatever the result.
 */
parse_result cli_parse(cli *c, int argc, char **argv);

void cli_free(cli *c);

/* Prints "walkaway: <problem>" and the hint to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The candidate nearest to word (the engine's "did you mean", suggest.h); NULL if none is
   close enough. */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);

#endif
