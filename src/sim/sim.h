/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulation lens, internal: per-run random streams, private sampled views
 * of a scenario, and the `war:` model (docs/simulate.md). */
#ifndef PL_SIM_H
#define PL_SIM_H

#include <gsl/gsl_rng.h>
#include "core/model.h"
#include "load/ld.h"
#include "parley.h"

/* ---- random streams ------------------------------------------------------ */

uint64_t sim_splitmix64(uint64_t x);
/* The seed of run r's stream: depends on (seed, r) only. */
uint64_t sim_run_seed(uint64_t seed, uint64_t run);
/* A GSL generator backed by xoshiro256** (full 64-bit seeding, so distinct runs
 * never share a stream the way 32-bit-seeded generators can). */
gsl_rng *sim_rng_new(void);
void sim_rng_seed(gsl_rng *r, uint64_t seed);

/* One draw of number k of the pool (central value for plain numbers). */
double sim_draw_num(const pl_num *n, gsl_rng *r);

/* ---- a private, sampled view of a scenario ------------------------------ */

/* A shallow copy of the scenario whose number pool and derived arrays are
 * private, so a thread can overwrite them while others read the original.
 * The index arrays of the state (w_num, s_num, rule_on, ...) and every other
 * pool are shared read-only. */
typedef struct sim_view {
    pl_scenario sc;          /* the view: pass &v->sc to any analysis */
    const pl_scenario *src;
    unsigned char *is_cred;  /* per pool number: it is a rule's credence */
    double *base_ws;         /* ws after sampling, before war effects */
    double *base_res;
    uint32_t **base_red;     /* per actor: its red lines in force after sampling */
    uint32_t *base_nred;
    /* The last Nash package this view's thread found, in any run: a warm
     * start for the next search. It only speeds the search up (the search is
     * exact and breaks ties by package order), so results cannot depend on
     * which runs a thread happened to do before. */
    long *nash_hint;
    int has_hint;
    /* A per-thread cache an analysis may hang here (freed with the view). */
    void *cache;
    void (*cache_free)(void *);
} sim_view;

int sim_view_init(sim_view *v, const pl_scenario *src);
void sim_view_free(sim_view *v);
/* Draw every uncertain number (r != NULL) or reset to central values (r ==
 * NULL) and rebuild the derived arrays. Returns 0, or -1 with diag when the
 * sample is invalid (e.g. all weights of an actor zero). */
int sim_view_sample(sim_view *v, gsl_rng *r, pl_diag *diag);
/* Set pool number k to value and rebuild the derived arrays (sensitivity). */
int sim_view_rederive(sim_view *v, pl_diag *diag);

/* ---- the war model -------------------------------------------------------- */

typedef struct war_effect {   /* a front's control moves an actor's score or reservation */
    long actor;
    long issue, option;       /* -1/-1: the actor's reservation */
    int per_share_num;        /* points per unit of control share (0..1) */
} war_effect;

typedef struct war_threshold { /* crossed once control > above or < below */
    double above, below;      /* NAN: no bound on that side */
} war_threshold;

/* Has a front's control share crossed t? */
static inline int war_crossed(const war_threshold *t, double share)
{
    return share > t->above || share < t->below; /* false against NAN */
}

typedef struct war_gate {     /* an option stops being available past a threshold */
    long issue, option;
    war_threshold at;
} war_gate;

typedef struct war_lift {     /* a red line stops binding past a threshold */
    long actor;
    long rule;                /* rule pool index */
    war_threshold at;
} war_lift;

typedef struct war_front {
    const char *id;
    long holder;              /* the actor whose share 'control' is */
    int control_num, trend_num, vol_num;
    war_effect *eff; size_t n_eff;
    war_gate *gate; size_t n_gate;
    war_lift *lift; size_t n_lift;
} war_front;

typedef struct war_shock {
    long actor;
    unsigned months_mask;     /* calendar months (bit 1..12) in which it bites */
    int cost_num;             /* extra points lost that month */
    int trend_num;            /* extra control change that month (front 'front'); -1 none */
    long front;
} war_shock;

typedef struct war_deadline {
    const char *id;
    int month;                /* months after start */
    long actor;               /* whose reservation changes */
    int delta_num;            /* change of its reservation (negative = pressure) */
} war_deadline;

typedef struct war_seq {
    const char *id;
    int *renege_num;          /* per actor: probability it reneges; -1 = 0 */
    int *cost_num;            /* per actor: points it loses when it reneges; -1 = 0 */
    /* The actors that deliver their part before the others, in file order;
     * none: everyone at once. The game (game.c) lets a late mover pocket the
     * first movers' delivery; the simulation does not use it. */
    long *first; size_t n_first;
    unsigned char *is_first;  /* per actor */
} war_seq;

enum { WAR_RULE_NASH = 0, WAR_RULE_DRAFTS = 1 };

typedef struct war_model {
    const char *start;        /* YYYY-MM-DD */
    int start_month;          /* 1..12 */
    int horizon;              /* default months */
    war_front *front; size_t n_front;
    int *cost_num;            /* per actor monthly cost, -1 = 0 */
    war_shock *shock; size_t n_shock;
    war_deadline *dl; size_t n_dl;
    int rule;
    long *drafts; size_t n_drafts; int draft_every;
    int noise_num;            /* sd of acceptance noise, points */
    int ceasefire_num;        /* days of ceasefire before a referendum; -1 = 60 */
    war_seq *seq; size_t n_seq;
    size_t use_seq;           /* the sequencing actually used */
} war_model;

int war_parse_section(ld *L, const ynode *section);
const war_model *war_get(const pl_scenario *sc);

#endif
