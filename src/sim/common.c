/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the simulation commands share: options, a deterministic parallel
 * runner and JSON helpers. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simi.h"
#include "util/json.h"
#include "util/util.h"

void pl_sim_options_init(pl_sim_options *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 1000;
    o->seed = 1;
    o->threads = 1;
}

int sim_check_options(const pl_sim_options *o, pl_diag *d)
{
    if (!o || o->runs <= 0) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "the number of runs must be at least 1 (got %ld)",
                     o ? o->runs : 0L);
        return -1;
    }
    if (o->runs > SIM_MAX_RUNS) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "at most %ld runs (got %ld)", (long)SIM_MAX_RUNS,
                     o->runs);
        return -1;
    }
    if (o->threads < 0 || o->threads > SIM_MAX_THREADS) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "threads must be from 1 to 64 (got %d)",
                     o->threads);
        return -1;
    }
    if (o->horizon < 0 || o->horizon > SIM_MAX_HORIZON) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "the horizon must be from 1 to %d months (got %d)",
                     SIM_MAX_HORIZON, o->horizon);
        return -1;
    }
    return 0;
}

/* ---- the parallel runner ------------------------------------------------- */

typedef struct job {
    const pl_scenario *sc;
    sim_worker_fn fn;
    void *ctx;
    long first, count;
    atomic_long *next; /* the first run of the next unclaimed batch */
    long batch;
    sim_view **pv;     /* kept view and generator, or NULL */
    gsl_rng **prng;
    int rc;
    long bad_run;
    pl_diag diag;
} job;

static void *job_main(void *arg)
{
    job *j = arg;
    sim_view own, *v = &own;
    gsl_rng *rng = NULL;
    int kept = j->pv != NULL;
    if (kept && *j->pv) {
        v = *j->pv;
        rng = *j->prng;
    } else {
        if (kept)
            v = pl__malloc(sizeof *v);
        rng = v ? sim_rng_new() : NULL;
        if (!rng || sim_view_init(v, j->sc) != 0) {
            if (rng)
                gsl_rng_free(rng);
            if (kept)
                pl__free(v);
            j->rc = -1;
            j->bad_run = j->first;
            pl__diag_set(&j->diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            return NULL;
        }
        if (kept) {
            *j->pv = v;
            *j->prng = rng;
        }
    }
    /* Threads take batches of runs as they come free, so that a slower core
     * (a shared machine's, or one with longer runs) holds no one up. Each run
     * writes only its own slot, so the merge (in run order, by the caller)
     * cannot depend on the schedule. */
    for (;;) {
        long k0 = atomic_fetch_add_explicit(j->next, j->batch, memory_order_relaxed);
        if (k0 >= j->count)
            break;
        long k1 = k0 + j->batch < j->count ? k0 + j->batch : j->count;
        long k = k0;
        for (; k < k1; k++)
            if (j->fn(j->ctx, v, rng, j->first + k, k, &j->diag) != 0)
                break;
        if (k < k1) {
            j->rc = -1;
            j->bad_run = j->first + k;
            break;
        }
    }
    if (!kept) {
        sim_view_free(v);
        gsl_rng_free(rng);
    }
    return NULL;
}

void sim_pool_clear(sim_pool *p)
{
    if (!p)
        return;
    for (int t = 0; t < SIM_MAX_THREADS; t++) {
        if (p->v[t]) {
            sim_view_free(p->v[t]);
            pl__free(p->v[t]);
        }
        if (p->rng[t])
            gsl_rng_free(p->rng[t]);
    }
    memset(p, 0, sizeof *p);
}

int sim_parallel(const pl_scenario *sc, int threads, long first, long count, sim_worker_fn fn,
                 void *ctx, sim_pool *pool, pl_diag *d)
{
    int T = threads < 1 ? 1 : threads;
    if (T > count)
        T = (int)count;
    if (T < 1)
        T = 1;
    job *jobs = pl__calloc((size_t)T, sizeof *jobs);
    pthread_t *tid = pl__calloc((size_t)T, sizeof *tid);
    unsigned char *started = pl__calloc((size_t)T, 1);
    if (!jobs || !tid || !started) {
        pl__free(jobs);
        pl__free(tid);
        pl__free(started);
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    /* Batches small enough that the last ones even out the threads, large
     * enough that the counter is not contended: 1 to 64 runs. */
    atomic_long next;
    atomic_init(&next, 0);
    long batch = count / ((long)T * 256);
    batch = batch < 1 ? 1 : batch > 64 ? 64 : batch;
    for (int t = 0; t < T; t++) {
        jobs[t] = (job){sc, fn, ctx, first, count, &next, batch, pool ? &pool->v[t] : NULL,
                        pool ? &pool->rng[t] : NULL, 0, -1, {0}};
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, job_main, &jobs[t]) == 0;
    }
    /* Threads that could not start run here, after the first job: slower,
     * same result. */
    job_main(&jobs[0]);
    for (int t = 1; t < T; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            job_main(&jobs[t]);
    }
    /* The error reported is that of the earliest failing run, so it does not
     * depend on the thread count either. */
    int rc = 0;
    long worst = -1;
    for (int t = 0; t < T; t++)
        if (jobs[t].rc != 0 && (worst < 0 || jobs[t].bad_run < worst)) {
            worst = jobs[t].bad_run;
            if (d)
                *d = jobs[t].diag;
            rc = -1;
        }
    pl__free(jobs);
    pl__free(tid);
    pl__free(started);
    return rc;
}

/* ---- statistics and JSON ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Quantile by linear interpolation between order statistics (type 7, as
 * gsl_stats_quantile_from_sorted_data and R's default). */
static double quant(const double *s, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return s[lo] + (h - (double)lo) * (s[hi] - s[lo]);
}

json_t *sim_jreal(sim_jb *J, double v)
{
    return sim_chk(J, isfinite(v) ? json_real(v) : json_null());
}

json_t *sim_chk(sim_jb *J, json_t *v)
{
    if (!v)
        J->err = 1;
    return v;
}

void sim_set(sim_jb *J, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        J->err = 1;
}

void sim_push(sim_jb *J, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        J->err = 1;
}

json_t *sim_jstats(sim_jb *J, const double *x, size_t n)
{
    json_t *o = sim_chk(J, json_object());
    double *s = pl__malloc(sizeof *s * (n ? n : 1));
    if (!s) {
        J->err = 1;
        return o;
    }
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        s[k] = x[k];
        sum += x[k];
    }
    if (n > 1)
        qsort(s, n, sizeof *s, cmp_double);
    sim_set(J, o, "n", sim_chk(J, json_integer((json_int_t)n)));
    sim_set(J, o, "mean", sim_jreal(J, n ? sum / (double)n : NAN));
    sim_set(J, o, "p10", sim_jreal(J, quant(s, n, 0.1)));
    sim_set(J, o, "p50", sim_jreal(J, quant(s, n, 0.5)));
    sim_set(J, o, "p90", sim_jreal(J, quant(s, n, 0.9)));
    pl__free(s);
    return o;
}

json_t *sim_jscen(sim_jb *J, const pl_scenario *sc)
{
    json_t *o = sim_chk(J, json_object());
    sim_set(J, o, "id", sim_chk(J, json_string(sc->id)));
    sim_set(J, o, "hash", sim_chk(J, json_string(sc->hash)));
    sim_set(J, o, "as_of", sc->as_of[0] ? sim_chk(J, json_string(sc->as_of))
                                        : sim_chk(J, json_null()));
    return o;
}

json_t *sim_jpkg(sim_jb *J, const pl_scenario *sc, const long *pkg)
{
    json_t *o = sim_chk(J, json_object());
    for (size_t i = 0; i < sc->n_issues; i++)
        if (pkg[i] >= 0)
            sim_set(J, o, sc->issue[i].id, sim_chk(J, json_string(sc->issue[i].opt[pkg[i]].id)));
    return o;
}

pl_status sim_finish(sim_jb *J, json_t *root, char **json, pl_diag *d)
{
    *json = NULL;
    if (!J->err)
        *json = pl__json_dump(root, 2);
    json_decref(root);
    if (!*json) {
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    return PL_OK;
}
