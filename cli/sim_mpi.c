/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifdef PARLEY_HAVE_MPI
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_mpi.h"

/* The search structures every rank's runs need, built once between them:
 * each rank builds its share, and all ranks exchange what they built. Every
 * rank reaches the exchange whatever failed before it, so that none waits
 * for ever. */
static pl_status share_cache(MPI_Comm comm, const pl_scenario *sc, const pl_sim_options *so,
                             pl_sim_cache **cp, sim_mpi_times *t, pl_diag *d)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    unsigned char *bytes = NULL, *all = NULL;
    size_t len = 0;
    double t0 = MPI_Wtime();
    pl_status st = pl_sim_cache_new(sc, so, cp, d);
    if (st == PL_OK)
        st = pl_sim_cache_prepare(*cp, rank, size, d);
    double t1 = MPI_Wtime();
    t->prepare = t1 - t0;
    if (size == 1)
        return st;
    if (st == PL_OK)
        st = pl_sim_cache_export(*cp, &bytes, &len, d);
    int mylen = st == PL_OK && len <= INT_MAX ? (int)len : -1;
    int *lens = malloc(sizeof *lens * (size_t)size);
    int *displs = malloc(sizeof *displs * (size_t)size);
    if (!lens || !displs)
        MPI_Abort(comm, 70);
    MPI_Allgather(&mylen, 1, MPI_INT, lens, 1, MPI_INT, comm);
    long long total = 0;
    for (int k = 0; k < size && total >= 0; k++) {
        if (lens[k] < 0 || total + lens[k] > INT_MAX) {
            total = -1;
            break;
        }
        displs[k] = (int)total;
        total += lens[k];
    }
    /* total < 0: a rank failed (all learn it after the runs), or the caches
     * outgrow one exchange; each rank's runs then build what they lack. */
    if (total >= 0) {
        all = malloc((size_t)total + 1);
        if (!all)
            MPI_Abort(comm, 70);
        MPI_Allgatherv(bytes, mylen, MPI_UNSIGNED_CHAR, all, lens, displs, MPI_UNSIGNED_CHAR,
                       comm);
        for (int k = 0; k < size && st == PL_OK; k++)
            if (k != rank)
                st = pl_sim_cache_import(*cp, all + displs[k], (size_t)lens[k], d);
    }
    free(all);
    free(lens);
    free(displs);
    pl_free(bytes);
    t->exchange = MPI_Wtime() - t1;
    return st;
}

static void oom(pl_diag *d)
{
    memset(d, 0, sizeof *d);
    d->status = PL_E_NOMEM;
    snprintf(d->message, sizeof d->message, "out of memory");
}

pl_status sim_mpi_run(MPI_Comm comm, const pl_scenario *sc, const pl_sim_options *so,
                      unsigned char **all, sim_mpi_times *t, int *here, pl_diag *d)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    sim_mpi_times local;
    t = t ? t : &local;
    memset(t, 0, sizeof *t);
    *all = NULL;
    *here = 0;
    size_t sz = pl_sim_record_size(sc);
    long first = (long)((long long)so->runs * rank / size);
    long last = (long)((long long)so->runs * (rank + 1) / size);
    unsigned char *mine = malloc(sz * (size_t)(last - first) + 1);
    pl_sim_cache *cache = NULL;
    /* Every rank takes part in the exchange, even one that cannot run. */
    pl_status st = share_cache(comm, sc, so, &cache, t, d);
    if (!mine) {
        st = PL_E_NOMEM;
        oom(d);
    }
    double t0 = MPI_Wtime();
    if (st == PL_OK)
        st = pl_sim_cache_run_range(cache, first, last - first, mine, d);
    pl_sim_cache_free(cache);
    double t1 = MPI_Wtime();
    t->runs = t1 - t0;
    /* Every rank learns of a failure (the largest status), so that none waits
     * in the gather. */
    int mine_st = (int)st, first_st = 0;
    MPI_Allreduce(&mine_st, &first_st, 1, MPI_INT, MPI_MAX, comm);
    if (first_st != PL_OK) {
        *here = st != PL_OK;
        free(mine);
        return (pl_status)first_st;
    }
    int *counts = NULL, *displs = NULL;
    if (rank == 0) {
        counts = malloc(sizeof *counts * (size_t)size);
        displs = malloc(sizeof *displs * (size_t)size);
        *all = malloc(sz * (size_t)so->runs + 1);
        if (!counts || !displs || !*all)
            MPI_Abort(comm, 70);
        for (int k = 0; k < size; k++) {
            long f = (long)((long long)so->runs * k / size);
            long l = (long)((long long)so->runs * (k + 1) / size);
            counts[k] = (int)(sz * (size_t)(l - f));
            displs[k] = (int)(sz * (size_t)f);
        }
    }
    MPI_Gatherv(mine, (int)(sz * (size_t)(last - first)), MPI_UNSIGNED_CHAR, *all, counts,
                displs, MPI_UNSIGNED_CHAR, 0, comm);
    free(mine);
    free(counts);
    free(displs);
    t->gather = MPI_Wtime() - t1;
    return PL_OK;
}
#else
/* Built without MPI: nothing here (ISO C wants a declaration). */
typedef int sim_mpi_unused;
#endif
