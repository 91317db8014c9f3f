/*
 * launch.c — MPI for the CLI (launch.h). A process counts as launched when one of the
 * variables that Open MPI's mpirun, MPICH's hydra, PMIx or Slurm's srun set is there; a
 * plain `walkaway run` never touches MPI, so it starts no faster or slower for it.
 */
#include "cli/launch.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef WA_HAVE_MPI
#include <mpi.h>
#endif

static int started, quiet;

static int launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int launch_start(int *argc, char ***argv)
{
#ifdef WA_HAVE_MPI
    if (!launched())
        return 0;
    int got = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &got) != MPI_SUCCESS) {
        fputs("walkaway: error: MPI could not start\n", stderr);
        return -1;
    }
    started = 1;
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) {
        quiet = 1;
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return -1;
    }
#else
    (void)argc, (void)argv;
#endif
    return 0;
}

int launch_quiet(void) { return quiet; }

void launch_end(void)
{
#ifdef WA_HAVE_MPI
    if (started)
        MPI_Finalize();
#endif
    started = 0;
}
