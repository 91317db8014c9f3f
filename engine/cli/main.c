/*
 * main.c — the `walkaway` program: the command read from argv, run, and its exit status.
 *
 * A thin layer over the public API (walkaway.h): args.c parses the command line,
 * commands.c loads each scenario, runs it and writes the report through the library's
 * own report calls, diagnostics.c prints what the library found, progress.c draws the
 * bar, output.c replaces -o FILE atomically and interrupt.c stops a run on SIGINT,
 * SIGTERM or SIGHUP.
 *
 * Exit status: 0 success; 1 a scenario is invalid or a run failed; 2 usage error; 3 a
 * file could not be read or written. With several scenario files every file is processed
 * and the status is the worst of them. An interrupted command dies by its signal.
 *
 * SIGPIPE is ignored: `walkaway run x.yaml | head` then sees EPIPE when head exits, stops
 * writing and exits quietly with the status the runs earned (not 141, which would fail
 * scripts running with `set -o pipefail`). Any other write error on stdout is an I/O
 * error (exit 3) with a message. Ignoring the signal also guarantees that a temporary
 * -o file is always cleaned up by the code path that owns it.
 *
 * Under an MPI launcher (launch.h) every process runs the same command on its share of
 * the blocks; the first writes the output and the messages, the others keep quiet, and
 * all exit with the same status.
 */
#include <signal.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/launch.h"

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* see the top of the file */
    if (launch_start(&argc, &argv)) /* under mpirun or srun (launch.h) */
        return 1;

    cli c;
    parse_result pr = cli_parse(&c, argc, argv);
    if (launch_quiet())
        c.output = c.report = c.charts = NULL; /* one process writes: the first */
    int status;
    if (pr.stop) {
        status = pr.status == EXIT_OK ? finish_stdout(0) : pr.status;
    } else {
        status = run_files(&c);
        if (c.command == CMD_CHECK) {
            int st = finish_stdout(0);
            status = st > status ? st : status;
        }
    }
    cli_free(&c);
    launch_end();
    return status;
}
