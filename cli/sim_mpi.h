/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One simulation split over the ranks of an MPI communicator: the command
 * line's `simulate --mpi` and bench/sim_mpi_bench. Only the public header. */
#ifndef PL_CLI_SIM_MPI_H
#define PL_CLI_SIM_MPI_H

#include <mpi.h>

#include "parley.h"

/* Seconds (MPI_Wtime) this rank spent in each part. */
typedef struct sim_mpi_times {
    double prepare;  /* probing and building its share of the frontiers */
    double exchange; /* sending its share and taking in everyone else's */
    double runs;     /* its block of runs */
    double gather;   /* waiting for the slowest rank and collecting records */
} sim_mpi_times;

/* Runs so->runs runs over comm's ranks (the caller checks that there are at
 * least as many runs as ranks and that the records fit in one gather), the
 * ranks first sharing the work of building the search structures
 * (pl_sim_cache_prepare_claimed), then taking batches of runs as they come
 * free: the ranks of one machine from a shared counter, machines in fixed
 * shares (sim_mpi.c). Rank 0 gets every record in run order in *all (free()
 * it), the others NULL. Every rank returns the same status: PL_OK, or a
 * failure (the largest status met), with *here set on the ranks where it
 * happened (their diagnostic in *d) and clear on the others. */
pl_status sim_mpi_run(MPI_Comm comm, const pl_scenario *sc, const pl_sim_options *so,
                      unsigned char **all, sim_mpi_times *t, int *here, pl_diag *d);

#endif
