/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the simulation lens's analyses. Internal. */
#ifndef PL_SIMI_H
#define PL_SIMI_H

#include <stdatomic.h>

#include <jansson.h>
#include "sim/sim.h"

#define SIM_MAX_RUNS 100000000L
#define SIM_MAX_HORIZON 1200

int sim_check_options(const pl_sim_options *o, pl_diag *d);

/* One run: r is the run's global index (its stream), slot its index in the
 * caller's range. Returns 0, or -1 with diag. */
typedef int (*sim_worker_fn)(void *ctx, sim_view *v, gsl_rng *rng, long r, long slot,
                             pl_diag *diag);

/* Views and generators kept from one sim_parallel call to the next on the
 * same scenario (zeroed to start; sim_pool_clear frees what it holds): what
 * a view learns in its runs (which sets of rules are feasible, the last
 * Nash package) then outlives a call. Thread t of a call uses entry t. */
#define SIM_MAX_THREADS 64
typedef struct sim_pool {
    sim_view *v[SIM_MAX_THREADS];
    gsl_rng *rng[SIM_MAX_THREADS];
} sim_pool;
void sim_pool_clear(sim_pool *p);

/* Run slots [0, count) (global runs first + slot) on up to threads threads,
 * each with its own view and generator (from pool when not NULL, made for
 * the call otherwise). On failure, the diagnostic of the earliest failing
 * run. */
int sim_parallel(const pl_scenario *sc, int threads, long first, long count, sim_worker_fn fn,
                 void *ctx, sim_pool *pool, pl_diag *d);

/* P(a lasting deal signed within `months`) and within the whole horizon
 * (o->horizon, or the war section's), with pool number fix_num (>= 0) held at
 * fix_val in every run; same streams as pl_simulate_json. front: frontiers
 * kept across such calls (sim_front_shared), or NULL. */
typedef struct sim_front sim_front;
int sim_deal_within(const pl_scenario *sc, const pl_sim_options *o, int months, int fix_num,
                    double fix_val, sim_front *front, double *p, double *p_horizon,
                    pl_diag *diag);

/* The monthly Nash package from frontiers kept per sample (front.c), one
 * cache shared by a simulation's threads (runs: how many it will do).
 * sim_front_nash: 1 found (into pkg, I entries), 0 no
 * acceptable package, -1 out of memory, 2 undecided here: ask sp_best. The
 * answer is always sp_best's. */
sim_front *sim_front_new(const pl_scenario *sc, const war_model *w, long runs);
/* Frontiers for `runs` runs over several calls on sc (*out NULL when its
 * mediator searches no Nash package); -1 out of memory. */
int sim_front_shared(const pl_scenario *sc, long runs, sim_front **out);
/* A run starts (the cache weighs what a frontier would save against the
 * runs still to come). */
void sim_front_run(sim_front *f);
void sim_front_free(sim_front *f);
/* What a thread keeps for its own calls (zeroed to start;
 * sim_front_local_free frees what it holds). */
typedef struct sim_front_local {
    unsigned char *buf; /* the key being looked up */
    size_t cap;
} sim_front_local;
void sim_front_local_free(sim_front_local *L);
int sim_front_nash(sim_front *f, sim_front_local *L, const pl_scenario *vs, long *pkg);
/* Frontiers prepared ahead of the runs (pl_sim_cache_prepare): a probe of
 * the runs, assuming no deal, notes each month's key and reservations
 * (build 0; probe: the probe run's index). sim_front_items then lists the
 * frontiers that will pay for `runs` runs, from what `probes` probe runs
 * met, in an order every part that probed the same runs agrees on (-1 out
 * of memory); sim_front_claim(i) makes item i one for this part to build and
 * gives the probe run that first met it (-1 no such item, -2 out of memory):
 * that probe run again (build 1) builds it. */
int sim_front_probe(sim_front *f, sim_front_local *L, const pl_scenario *vs, int build,
                    long probe);
long sim_front_items(sim_front *f, long runs, long probes);
long sim_front_claim(sim_front *f, long item);
/* Every built frontier as bytes (pl__free them) and back; import checks
 * everything (-1 with why: not a cache of this scenario, malformed; -2 out of
 * memory) before it publishes anything, and skips what is already here. */
int sim_front_export(sim_front *f, unsigned char **out, size_t *len);
int sim_front_import(sim_front *f, const unsigned char *b, size_t len, char *why,
                     size_t whylen);
/* For the tests only: 0 as shipped, 1 never use the frontiers, 2 check every
 * answer they give against sp_best (counting checks and disagreements). */
extern int pl__sim_front_mode;
extern atomic_long pl__sim_front_checked, pl__sim_front_mismatch;

typedef struct sim_jb {
    int err;
} sim_jb;

json_t *sim_chk(sim_jb *J, json_t *v);
json_t *sim_jreal(sim_jb *J, double v);
void sim_set(sim_jb *J, json_t *o, const char *k, json_t *v);
void sim_push(sim_jb *J, json_t *a, json_t *v);
/* {"n", "mean", "p10", "p50", "p90"} of x[0..n) (order-independent). */
json_t *sim_jstats(sim_jb *J, const double *x, size_t n);
json_t *sim_jscen(sim_jb *J, const pl_scenario *sc);
json_t *sim_jpkg(sim_jb *J, const pl_scenario *sc, const long *pkg);
pl_status sim_finish(sim_jb *J, json_t *root, char **json, pl_diag *d);

#endif
