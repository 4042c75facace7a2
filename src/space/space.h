/* The agreement-space engine: exact answers over every complete package,
 * without listing the space. Issues are searched depth-first in an order that
 * puts the issues tested by expressions first, so that red lines and
 * interaction terms are decided early; per-actor suffix bounds prune whole
 * subtrees, and subtrees entirely inside the zone of agreement are counted
 * without being visited. Internal. */
#ifndef PL_SPACE_H
#define PL_SPACE_H

#include <stdint.h>
#include "core/model.h"

/* A count that cannot overflow silently: exact up to 2^64 - 1, saturated and
 * flagged above. */
typedef struct sp_total {
    uint64_t n;
    int overflow;
} sp_total;

/* An expression the search must honour, with the depth at which all the
 * issues it tests are assigned (it is decided there at the latest). */
typedef struct sp_rule {
    const px_expr *ex;
    pl_rule_kind kind;
    int owner;         /* considered-actor index of its actor, -1 for constraints */
    size_t decided_at; /* depth after which every tested issue is assigned */
} sp_rule;

typedef struct sp_inter {
    const px_expr *ex;
    double bonus;
    int owner;         /* considered-actor index */
    size_t decided_at;
} sp_inter;

typedef struct sp_ctx {
    const pl_scenario *sc;
    size_t I;            /* issues */
    size_t K;            /* actors considered */
    size_t *act;         /* their scenario indices */
    double *res;         /* thresholds (reservation values; -inf when ignored) */
    size_t *order;       /* order[d] = issue searched at depth d */
    size_t *pos;         /* pos[i] = depth of issue i */
    size_t *nopt;        /* options at depth d */
    size_t *vbase;       /* offset of depth d's first option in val, in options */
    double *val;         /* val[(vbase[d] + o) * K + k] = weighted score */
    double *sufmax;      /* sufmax[d * K + k] = sum over depths >= d of the max */
    double *sufmin;
    double *sufprod;     /* product of option counts of depths >= d (as double) */
    uint64_t *sufcount;  /* the same, exact; UINT64_MAX when it overflows */
    size_t free_from;    /* first depth after which no expression tests an issue */
    sp_rule *rule;
    size_t n_rule;
    sp_inter *inter;
    size_t n_inter;
    double *posb, *negb; /* per actor: sum of positive / negative bonuses */
    /* Rules and interaction terms by the depth that decides them, so that a
     * step of the walk looks only at its own: the indices into rule (inter)
     * sorted stably by decided_at, and rule_from[d] (inter_from[d]) the first
     * position whose decided_at >= d, for d = 0..I+1. The arrays themselves
     * keep scenario order, which the canonical utility's sum follows. */
    uint32_t *rule_by, *inter_by;
    size_t *rule_from, *inter_from;
    /* The last depths, when no expression tests them, as one table of every
     * combination sorted by the first actor's value: counting a subtree
     * there is a scan, not a walk. */
    size_t tbl_depth;    /* == I when there is no table */
    size_t tbl_n;
    double *tbl_v;       /* tbl_n * K */
    uint32_t *tbl_combo; /* combination index (last depth fastest) */
    /* Per actor k: the table's values sorted in descending order
     * (tbl_sv[k * tbl_n + j]) and, for every j, the set of the table entries
     * (bit x = entry x) among the j best for k, as tbl_w 64-bit words
     * (tbl_mask[(k * (tbl_n + 1) + j) * tbl_w + w]). Counting at the table is
     * then a binary search and an AND per actor, and a popcount. */
    size_t tbl_w;
    double *tbl_sv;
    uint64_t *tbl_mask;
} sp_ctx;

typedef struct sp_spec {
    int veto_only;         /* consider only veto actors (else every actor with preferences) */
    int red_lines;         /* honour the considered actors' red lines */
    int reservations;      /* require utility >= reservation */
    long drop_rule;        /* pool index of a red line to ignore, -1 none */
    long relax_actor;      /* scenario index of an actor whose reservation is ignored, -1 */
    long actor_weight_issue; /* with weight_delta: change one raw weight... -1 none */
    long weight_actor;
    double weight_delta;
} sp_spec;

void sp_spec_default(sp_spec *s);

/* Build the search context for the current as-of state of sc. */
int sp_ctx_init(sp_ctx *c, const pl_scenario *sc, const sp_spec *spec);
void sp_ctx_free(sp_ctx *c);

/* Exact number of complete packages that keep every constraint and, for every
 * considered actor, its red lines and reservation. With stop_at_one, stops at
 * the first such package (an existence test) and returns it in *witness (if
 * not NULL, I entries). threads: 1 or 2 (results identical). */
int sp_count(const sp_ctx *c, int threads, int stop_at_one, sp_total *out, long *witness);

/* Objective for sp_best. */
typedef enum {
    SP_NASH, SP_NASH_WEIGHTED, SP_KS, SP_EGALITARIAN, SP_UTILITARIAN, SP_ACTOR
} sp_objective;

typedef struct sp_pkg {
    long *opt;       /* I entries, scenario issue order */
    double *u;       /* K utilities (considered actors) */
    double score;
} sp_pkg;

typedef struct sp_best_args {
    sp_objective obj;
    size_t actor_k;        /* SP_ACTOR: considered-actor index */
    const double *ideal;   /* SP_KS: per considered actor, the ideal utility */
    const double *weight;  /* SP_NASH_WEIGHTED: per considered actor, > 0 */
    size_t top_k;          /* keep the best top_k packages */
    int ties;              /* also keep every package tying with the best */
    const long *hint;      /* a package (issue order) likely to be good, or NULL:
                            * only speeds the search; never changes its result */
} sp_best_args;

/* The top_k acceptable packages by the objective, best first (ties broken by
 * package order). Returns the number found (<= top_k, or more with ties) in
 * *n and the packages in *out (free with sp_pkgs_free). */
int sp_best(const sp_ctx *c, const sp_best_args *a, sp_pkg **out, size_t *n);
void sp_pkgs_free(sp_pkg *p, size_t n);

/* Objective value of a utility vector (gains over res). -inf when a gain is
 * negative for Nash. */
double sp_score(const sp_ctx *c, const sp_best_args *a, const double *u);

/* The Pareto-optimal acceptable packages (over the considered actors): one
 * representative package per distinct utility vector (utilities compared on a
 * 1e-9 grid), sorted by descending utilitarian sum, then package order;
 * *count is the number of packages on the frontier, equal vectors included
 * (saturating at UINT64_MAX). */
int sp_pareto(const sp_ctx *c, sp_pkg **out, size_t *n, uint64_t *count);

/* ---- a frontier kept for many Nash searches (the simulation) ------------ */

/* The packages that can be the Nash package for some disagreement point at or
 * above c->res, over at most three considered actors, with the issues where
 * fixed[i] >= 0 held at that option. A package is left out only when a kept
 * one is at least as good for every actor (to within SP_FRONT_GRID per step of
 * the build, SP_FRONT_SLACK in all) and better by SP_FRONT_MARGIN for one, so
 * packages that merely round differently both stay; sp_front's user decides
 * between near ties on canonical utilities. Points come with their package as
 * a mixed-radix code in issue order (code order is package order) and a flag
 * for "another package has the very same sums in search order" (the build
 * keeps the first; a caller that needs the exact tie-break must then ask
 * sp_best). Returns 0, -1 out of memory, 1 not supported here (more than
 * three actors, or more than 2^63 packages). */
#define SP_FRONT_GRID 1e-10
#define SP_FRONT_SLACK 1e-8
#define SP_FRONT_MARGIN 1e-3
typedef struct sp_front {
    size_t n, K;
    double *u;       /* n * K: utilities summed in search order */
    uint64_t *code;  /* n */
    uint8_t *shared; /* n */
} sp_front;

/* Scratch reused from one build to the next (fresh large buffers cost a page
 * fault per page); one per thread at a time. */
typedef struct sp_front_work sp_front_work;
sp_front_work *sp_front_work_new(void);
void sp_front_work_free(sp_front_work *w);
int sp_front_build(const sp_ctx *c, const long *fixed, sp_front_work *ws, sp_front *out);
/* For the tests only: 1 makes every build take the plain enumeration of the
 * tested issues, which otherwise serves only spaces whose grouped build
 * needs more reductions than the slack allows (some 50 issues). */
extern int pl__sp_front_plain;
void sp_front_free(sp_front *f);
/* The package of a code (n_opts per issue, scenario order). */
void sp_front_decode(const size_t *n_opts, size_t I, uint64_t code, long *pkg);

/* Utility of a complete package (scenario issue order) for considered actor k,
 * computed in canonical (issue) order so that results do not depend on the
 * search order. */
double sp_utility(const sp_ctx *c, size_t k, const long *pkg);

#endif
