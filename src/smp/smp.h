/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the spatial forecast lens, shared by its files and its tests.
 * Internal. */
#ifndef PL_SMP_H
#define PL_SMP_H

#include <stddef.h>
#include <stdint.h>
#include "parley.h"

struct pl_smp_model {
    char *name, *description;
    size_t n, d;              /* actors, dimensions */
    char **actor_id, **actor_name, **actor_desc;
    char **dim_id, **dim_name;
    double *cap;              /* n */
    double *pos;              /* n*d, 0..100 as given */
    double *sal;              /* n*d, 0..100 as given */
    char **actor_ev;          /* n, NUL-separated lists or NULL */
    pl_smp_params params;
};

/* ---- one round's building blocks, exposed for the unit tests ------------ */

/* KTAB's utility of a (salience-weighted, normalised) distance d for risk
 * attitude r. */
static inline double smp_util(double d, double r)
{
    return d <= 1 ? (1 - d) * (1 + d * r) : (1 - d) * (1 + r);
}

/* Salience-weighted distance between a and b under saliences s (length d). */
double smp_distance(const double *a, const double *b, const double *s, size_t d);

double smp_vote(pl_smp_vote rule, double w, double u1, double u2);
/* Victory probabilities of coalition strengths (s1, s2): *p1 + *p2 = 1. */
void smp_vprob(pl_smp_vpm vpm, double s1, double s2, double *p1, double *p2);

/* Probability of each of m options from the coalition strengths c (m x m,
 * c[a*m+b] = strength for a against b). pv (m x m) receives the pairwise
 * victory probabilities. Returns 0, or -1 when out of memory or when a
 * Markov model fails to converge. */
int smp_pce(pl_smp_pce pce, pl_smp_vpm vpm, const double *c, size_t m, double *pv, double *p);

/* Coalition strengths of m options under n voters with weights w and
 * utilities u (n x m, u[k*m+a]). */
void smp_coalitions(pl_smp_vote rule, const double *w, const double *u, size_t n, size_t m,
                    double *c);

/* Risk attitudes from option probabilities p (n). */
void smp_big_r(pl_smp_risk_range rr, const double *p, size_t n, double *r);
double smp_est_r(pl_smp_risk_adjust ra, double rh, double ri);

/* Bargain interpolation of positions ti, tj (length d) with saliences si, sj
 * and probabilities pi, pj; results in bi, bj. */
void smp_interp(pl_smp_interp ivb, const double *ti, const double *si, double pi,
                const double *tj, const double *sj, double pj, size_t d, double *bi,
                double *bj);

/* Round to 4 decimals as KTAB does (on the 0..1 scale). */
double smp_round4(double x);

/* The scenario's forecast: section, parsed (smp_section.c). */
typedef struct smp_spec smp_spec;
void smp_spec_free(void *spec);

/* splitmix64: the seed expander of the stochastic mode. */
static inline uint64_t smp_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1) for (seed, round, actor): one independent stream
 * per draw site, so thread scheduling cannot change a draw. */
double smp_uniform(uint64_t seed, uint64_t round, uint64_t actor);

/* The classic Bueno de Mesquita model (smp_bdm.c); fills r like pl_smp_run. */
pl_status smp_run_bdm(const pl_smp_model *m, const pl_smp_params *p, pl_smp_result *r,
                      pl_diag *diag);

/* pl_smp_run without the exact shortcuts (target pruning, blocked kernels):
 * every quantity computed in full, the yardstick of the tests. */
pl_status smp_run_reference(const pl_smp_model *m, const pl_smp_params *params,
                            pl_smp_result **out, pl_diag *diag);

struct pl_smp_result {
    size_t n, d;
    size_t n_states, cap_states;
    double *pos;      /* n_states * n * d, 0..100 */
    double *prob;     /* n_states * n */
    double *change;   /* n_states */
    int converged;
    double *w_cs;     /* n*d: capability x salience, for the weighted means */
    double *init_mean, *final_mean; /* d */
    double *modal;    /* d */
    double modal_p;
    double *expected; /* d */
    size_t distinct;
    size_t *group;    /* n: the first actor of each actor's group of equal final
                         positions (KTAB's grouping); NULL without probabilities */
};

/* Append a state (positions on 0..1, n*d) to r; 0 or -1 (out of memory). */
int smp_result_push(pl_smp_result *r, const double *x01);
/* Fill the final summaries of r from its last state and probabilities. */
int smp_result_finish(pl_smp_result *r, const pl_smp_model *m);

/* Internal helpers of the model (smp_model.c). */
char *smp_strdup(const char *s);
/* Make a valid, unique parley id from free text into out (64 bytes);
 * used[] holds the n ids already taken. */
void smp_make_id(const char *text, const char *prefix, size_t idx, char *const *used, size_t n,
                 char out[64]);

#endif
