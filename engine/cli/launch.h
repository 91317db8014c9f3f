/*
 * launch.h — a CLI started by an MPI launcher (mpirun, srun): MPI is set up for the
 * library to split the blocks of trials across the processes (SPEC 5), and every process
 * but the first keeps quiet, so that one process writes the output and the messages.
 */
#ifndef WA_CLI_LAUNCH_H
#define WA_CLI_LAUNCH_H

/* Starts MPI when a launcher started this process (and the build has MPI). On a process
   other than the first, stdout and stderr go nowhere and -o is not written. Returns 0, or
   -1 when MPI is wanted and cannot start (after a message). */
int launch_start(int *argc, char ***argv);

/* Whether this is a process other than the first of an MPI run. */
int launch_quiet(void);

/* Ends MPI when launch_start started it. */
void launch_end(void);

#endif
