/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifdef PARLEY_HAVE_MPI
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_mpi.h"

/* How work is dealt. A machine's ranks take items (frontiers to build,
 * batches of runs) from counters in memory they share, so a rank on a busier
 * or slower core simply takes fewer. Between machines there is no such
 * counter (one in a window on another machine would wait on that machine's
 * progress), so machines get fixed shares in proportion to their ranks:
 * P slots numbered across machines, machine j owning n_j consecutive ones,
 * and item g going to the machine owning slot g mod P. */
typedef struct deal {
    MPI_Comm node; /* this machine's ranks */
    MPI_Win win;
    atomic_long *next; /* shared by them: [0] items to build, [1] batches */
    long base, n, P;   /* this machine's slots [base, base + n) of P */
} deal;

/* Without lock-free (hence address-free) atomics a counter cannot be shared
 * between processes: every rank is then a machine of its own. */
#if ATOMIC_LONG_LOCK_FREE == 2
#define SHARE_COUNTERS 1
#else
#define SHARE_COUNTERS 0
#endif

static void deal_open(MPI_Comm comm, deal *s)
{
    int rank, size, nrank, nsize;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    /* PARLEY_MPI_NO_SHARED=1 deals as if every rank had a machine of its
     * own: for the tests of that path, and for an MPI whose shared windows
     * misbehave. */
    const char *no = getenv("PARLEY_MPI_NO_SHARED");
    if (SHARE_COUNTERS && !(no && *no && strcmp(no, "0") != 0))
        MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &s->node);
    else
        MPI_Comm_split(comm, rank, 0, &s->node);
    MPI_Comm_rank(s->node, &nrank);
    MPI_Comm_size(s->node, &nsize);
    /* The machines' first slots: a prefix sum over one rank of each. */
    MPI_Comm heads;
    MPI_Comm_split(comm, nrank == 0 ? 0 : MPI_UNDEFINED, rank, &heads);
    long mine = nsize, base = 0;
    if (heads != MPI_COMM_NULL) {
        int hrank;
        MPI_Comm_rank(heads, &hrank);
        MPI_Exscan(&mine, &base, 1, MPI_LONG, MPI_SUM, heads);
        if (hrank == 0)
            base = 0; /* MPI_Exscan leaves the first one undefined */
        MPI_Comm_free(&heads);
    }
    MPI_Bcast(&base, 1, MPI_LONG, 0, s->node);
    s->base = base;
    s->n = nsize;
    s->P = size;
    void *mem = NULL;
    MPI_Aint bytes = nrank == 0 ? (MPI_Aint)(2 * sizeof(atomic_long)) : 0;
    MPI_Win_allocate_shared(bytes, (int)sizeof(atomic_long), MPI_INFO_NULL, s->node, &mem,
                            &s->win);
    MPI_Aint got;
    int unit;
    MPI_Win_shared_query(s->win, 0, &got, &unit, &mem);
    s->next = mem;
    MPI_Win_lock_all(MPI_MODE_NOCHECK, s->win);
    if (nrank == 0) {
        atomic_init(&s->next[0], 0);
        atomic_init(&s->next[1], 0);
    }
    MPI_Win_sync(s->win);
    MPI_Barrier(s->node);
    MPI_Win_sync(s->win);
}

static void deal_close(deal *s)
{
    MPI_Win_unlock_all(s->win);
    MPI_Win_free(&s->win);
    MPI_Comm_free(&s->node);
}

/* The next item of this machine's share from counter which: the k-th the
 * machine takes is slot base + k mod n of round k / n. Increasing in k, so
 * the first past the end ends the machine's share. */
static long deal_next(deal *s, int which)
{
    long k = atomic_fetch_add_explicit(&s->next[which], 1, memory_order_relaxed);
    return k / s->n * s->P + s->base + k % s->n;
}

static long claim_build(void *arg)
{
    return deal_next(arg, 0);
}

/* The frontiers every rank's runs need, built once between them: the ranks
 * claim what to build, then exchange what they built. Every rank reaches
 * the exchange whatever failed before it, so that none waits for ever. */
static pl_status share_cache(MPI_Comm comm, deal *s, const pl_scenario *sc,
                             const pl_sim_options *so, pl_sim_cache **cp, sim_mpi_times *t,
                             pl_diag *d)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    unsigned char *bytes = NULL, *all = NULL;
    size_t len = 0;
    double t0 = MPI_Wtime();
    pl_status st = pl_sim_cache_new(sc, so, cp, d);
    if (st == PL_OK)
        st = pl_sim_cache_prepare_claimed(*cp, claim_build, s, d);
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

/* The batches a rank other than 0 ran: their numbers, and their records
 * one after the other (rank 0 runs its batches in place). */
typedef struct batches {
    long *id;
    int n, cap;
    unsigned char *rec;
    size_t len, cap_rec;
} batches;

/* Room for batch id's records (bytes of them) at *at. */
static int batches_add(batches *b, long id, size_t bytes, unsigned char **at)
{
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        long *id2 = realloc(b->id, sizeof *id2 * (size_t)cap);
        if (!id2)
            return -1;
        b->id = id2;
        b->cap = cap;
    }
    if (b->len + bytes > b->cap_rec) {
        size_t cap = b->cap_rec ? 2 * b->cap_rec : bytes;
        cap = cap < b->len + bytes ? b->len + bytes : cap;
        unsigned char *r = realloc(b->rec, cap);
        if (!r)
            return -1;
        b->rec = r;
        b->cap_rec = cap;
    }
    *at = b->rec + b->len;
    b->len += bytes;
    b->id[b->n++] = id;
    return 0;
}

/* Rank 0 takes every other rank's batches and puts them in run order. */
static void gather_batches(MPI_Comm comm, batches *b, long runs, long per, size_t sz,
                           unsigned char *all)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int *nb = NULL, *bd = NULL, *rl = NULL, *rd = NULL;
    long *ids = NULL;
    unsigned char *tmp = NULL;
    long total = 0, bytes = 0;
    if (rank == 0) {
        nb = malloc(sizeof *nb * (size_t)size);
        bd = malloc(sizeof *bd * (size_t)size);
        rl = malloc(sizeof *rl * (size_t)size);
        rd = malloc(sizeof *rd * (size_t)size);
        if (!nb || !bd || !rl || !rd)
            MPI_Abort(comm, 70);
    }
    int mine = b->n;
    int mylen = (int)b->len; /* the caller keeps all under 2 GiB */
    MPI_Gather(&mine, 1, MPI_INT, nb, 1, MPI_INT, 0, comm);
    MPI_Gather(&mylen, 1, MPI_INT, rl, 1, MPI_INT, 0, comm);
    if (rank == 0) {
        for (int k = 0; k < size; k++) {
            bd[k] = (int)total;
            total += nb[k];
            rd[k] = (int)bytes;
            bytes += rl[k];
        }
        ids = malloc(sizeof *ids * (size_t)(total + 1));
        tmp = malloc((size_t)bytes + 1);
        if (!ids || !tmp)
            MPI_Abort(comm, 70);
    }
    MPI_Gatherv(b->id, mine, MPI_LONG, ids, nb, bd, MPI_LONG, 0, comm);
    MPI_Gatherv(b->rec, mylen, MPI_UNSIGNED_CHAR, tmp, rl, rd, MPI_UNSIGNED_CHAR, 0, comm);
    if (rank == 0) {
        /* Batches arrive rank by rank, each rank's in the order it ran them,
         * their records in the same order. */
        size_t at = 0;
        for (long k = 0; k < total; k++) {
            long first = ids[k] * per;
            long count = runs - first < per ? runs - first : per;
            memcpy(all + sz * (size_t)first, tmp + at, sz * (size_t)count);
            at += sz * (size_t)count;
        }
    }
    free(nb);
    free(bd);
    free(rl);
    free(rd);
    free(ids);
    free(tmp);
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
    deal s;
    deal_open(comm, &s);
    pl_sim_cache *cache = NULL;
    /* Every rank takes part in the exchange, even one that cannot run. */
    pl_status st = share_cache(comm, &s, sc, so, &cache, t, d);
    /* Batches: some 64 per rank, so that the last ones even out the ranks,
     * of at least 16 runs, so that a batch's set-up stays small. */
    long per = so->runs / ((long)size * 64);
    per = per < 16 ? 16 : per;
    long n_batch = (so->runs + per - 1) / per;
    batches b = {0};
    if (rank == 0 && !(*all = malloc(sz * (size_t)so->runs + 1))) {
        st = PL_E_NOMEM;
        oom(d);
    }
    double t0 = MPI_Wtime();
    /* A rank that failed takes no more batches: the others run them, and all
     * learn of the failure below. */
    while (st == PL_OK) {
        long g = deal_next(&s, 1);
        if (g >= n_batch)
            break;
        long first = g * per;
        long count = so->runs - first < per ? so->runs - first : per;
        unsigned char *at = rank == 0 ? *all + sz * (size_t)first : NULL;
        if (rank != 0 && batches_add(&b, g, sz * (size_t)count, &at) != 0) {
            st = PL_E_NOMEM;
            oom(d);
            break;
        }
        st = pl_sim_cache_run_range(cache, first, count, at, d);
    }
    pl_sim_cache_free(cache);
    double t1 = MPI_Wtime();
    t->runs = t1 - t0;
    /* Every rank learns of a failure (the largest status), so that none waits
     * in the gather. */
    int mine_st = (int)st, first_st = 0;
    MPI_Allreduce(&mine_st, &first_st, 1, MPI_INT, MPI_MAX, comm);
    if (first_st == PL_OK)
        gather_batches(comm, &b, so->runs, per, sz, *all);
    deal_close(&s);
    free(b.id);
    free(b.rec);
    t->gather = MPI_Wtime() - t1;
    if (first_st != PL_OK) {
        *here = st != PL_OK;
        free(*all);
        *all = NULL;
        return (pl_status)first_st;
    }
    return PL_OK;
}
#else
/* Built without MPI: nothing here (ISO C wants a declaration). */
typedef int sim_mpi_unused;
#endif
