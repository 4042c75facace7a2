/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MPI split of `parley simulate --mpi`, timed in one launch:
 *   mpirun -np 2 ./bench/sim_mpi_bench [SCENARIO [RUNS [REPS]]]
 * (default tests/data/sim/war-mini.yaml, 20000 runs, median of 3). Each
 * repetition runs the simulation first on rank 0 alone (the other ranks
 * wait, asleep) and then on every rank, through the code the command uses
 * (cli/sim_mpi.c), and prints per part the slowest rank's seconds: probing
 * and building its share of the frontiers, the exchange, its runs, the
 * gather, then rank 0's summary and the total from the start to the JSON.
 * MPI start-up (MPI_Init) is timed once, apart: `mpirun` adds its own launch
 * (about 0.1 s here) before any of it. The outputs must be the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_mpi.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A rank outside the timed communicator waits without spinning a core. */
static void idle_barrier(void)
{
    MPI_Request q;
    int done = 0;
    MPI_Ibarrier(MPI_COMM_WORLD, &q);
    while (!done) {
        MPI_Test(&q, &done, MPI_STATUS_IGNORE);
        if (!done)
            nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
}

enum { P_PREPARE, P_EXCHANGE, P_RUNS, P_GATHER, P_SUMMARY, P_TOTAL, P_N };

/* One simulation on comm; rank 0 of comm gets the JSON and the times. */
static int once(MPI_Comm comm, const pl_scenario *sc, const pl_sim_options *o, double *t,
                char **json)
{
    pl_diag d;
    memset(&d, 0, sizeof d);
    int rank;
    MPI_Comm_rank(comm, &rank);
    MPI_Barrier(comm);
    double t0 = MPI_Wtime();
    unsigned char *all = NULL;
    sim_mpi_times mt;
    int here = 0;
    if (sim_mpi_run(comm, sc, o, &all, &mt, &here, &d) != PL_OK) {
        if (here)
            fprintf(stderr, "simulate: %s\n", d.message);
        return -1;
    }
    double mine[4] = {mt.prepare, mt.exchange, mt.runs, mt.gather}, worst[4];
    MPI_Reduce(mine, worst, 4, MPI_DOUBLE, MPI_MAX, 0, comm);
    if (rank == 0) {
        double t1 = MPI_Wtime();
        if (pl_sim_summary_json(sc, o, all, json, &d) != PL_OK) {
            fprintf(stderr, "summary: %s\n", d.message);
            free(all);
            return -1;
        }
        double t2 = MPI_Wtime();
        memcpy(t, worst, sizeof worst);
        t[P_SUMMARY] = t2 - t1;
        t[P_TOTAL] = t2 - t0;
    }
    free(all);
    return 0;
}

int main(int argc, char **argv)
{
    double s0 = now();
    MPI_Init(&argc, &argv);
    double init = now() - s0;
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *path = argc > 1 ? argv[1] : PL_SIM_DEFAULT;
    long runs = argc > 2 ? atol(argv[2]) : 20000;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    if (runs < size || reps < 1 || reps > 99) {
        if (rank == 0)
            fprintf(stderr, "usage: mpirun -np K sim_mpi_bench [SCENARIO [RUNS >= K [REPS]]]\n");
        MPI_Finalize();
        return 2;
    }
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    if (pl_scenario_load_file(path, &sc, &d) != PL_OK) {
        if (rank == 0)
            fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
        MPI_Finalize();
        return 2;
    }
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = runs;
    o.horizon = 24;
    MPI_Comm solo;
    MPI_Comm_split(MPI_COMM_WORLD, rank == 0 ? 0 : MPI_UNDEFINED, 0, &solo);
    double t[2][P_N][99];
    char *first = NULL;
    int same = 1, failed = 0;
    for (int r = 0; r < reps && !failed; r++) {
        for (int cfg = 0; cfg < 2 && !failed; cfg++) {
            char *json = NULL;
            double tt[P_N] = {0};
            int rc = 0;
            if (cfg == 0) {
                if (rank == 0)
                    rc = once(solo, sc, &o, tt, &json);
                idle_barrier();
            } else {
                rc = once(MPI_COMM_WORLD, sc, &o, tt, &json);
            }
            MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
            failed = rc != 0;
            if (rank != 0 || failed) {
                pl_free(json);
                continue;
            }
            for (int p = 0; p < P_N; p++)
                t[cfg][p][r] = tt[p];
            if (!first)
                first = json;
            else {
                same &= strcmp(first, json) == 0;
                pl_free(json);
            }
        }
    }
    if (rank == 0 && !failed) {
        printf("scenario %s, %ld runs, median of %d, MPI_Init %.3f s\n", path, runs, reps, init);
        printf("%5s %9s %9s %9s %9s %9s %9s %8s\n", "ranks", "prepare", "exchange", "runs",
               "gather", "summary", "total", "speedup");
        double base = 0;
        for (int cfg = 0; cfg < 2; cfg++) {
            double m[P_N];
            for (int p = 0; p < P_N; p++) {
                qsort(t[cfg][p], (size_t)reps, sizeof(double), cmp_dbl);
                m[p] = t[cfg][p][reps / 2];
            }
            if (cfg == 0)
                base = m[P_TOTAL];
            printf("%5d %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %8.2f\n", cfg ? size : 1,
                   m[P_PREPARE], m[P_EXCHANGE], m[P_RUNS], m[P_GATHER], m[P_SUMMARY], m[P_TOTAL],
                   base / m[P_TOTAL]);
        }
        printf("outputs %s\n", same ? "identical" : "DIFFER");
    }
    pl_free(first);
    if (solo != MPI_COMM_NULL)
        MPI_Comm_free(&solo);
    pl_scenario_free(sc);
    MPI_Finalize();
    return failed ? 3 : same ? 0 : 1;
}
