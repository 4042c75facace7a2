/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GMCR lens, internal. Every front end (the scenario's `conflict:`
 * section, gmcr-json/1, GMCR+ .gmcr) fills a gm_builder; gm_build() checks it
 * and turns it into a pl_conflict whose states live on the full cube of 2^n
 * option combinations. Working on the cube (not on a list of feasible states)
 * lets every move be generated from the option structure: a DM's moves from x
 * are x XOR d for the subsets d of its option mask, so the engines never
 * store a move graph. */
#ifndef PL_GMCR_H
#define PL_GMCR_H

#include <stddef.h>
#include <stdint.h>

#include "parley.h"

/* ---- boolean formulas over options (statements, patterns) --------------- */

enum { GX_VAR = 1, GX_TRUE, GX_FALSE, GX_NOT, GX_AND, GX_OR, GX_IMPLIES, GX_IFF };

typedef struct gx_op {
    uint8_t op;
    uint8_t var; /* GX_VAR: option index */
} gx_op;

/* Postfix program. */
typedef struct gx_expr {
    gx_op *code;
    size_t n;
} gx_expr;

int gx_push(gx_expr *e, uint8_t op, uint8_t var); /* -1 when out of memory */
void gx_free(gx_expr *e);
/* Truth of e on every state of the cube of n options, as a bitset of
 * ceil(2^n / 64) words (bits beyond 2^n cleared). NULL when out of memory. */
uint64_t *gx_truth(const gx_expr *e, int n);
/* A Y/N/- pattern of length n as a conjunction; -1 on a bad character (index
 * in *bad) or out of memory (*bad = -1). */
int gx_pattern(gx_expr *e, const char *pat, int n, int *bad);

/* ---- builder ----------------------------------------------------------- */

typedef struct gb_rank_item {
    gx_expr *alts;   /* a tie group: the states matching any alternative */
    size_t n_alts;
    int line, col;
} gb_rank_item;

typedef struct gb_dm {
    char *id, *name;
    int prioritization;          /* 1: statements; 0: ranking */
    gx_expr *stmt;               /* most important first */
    size_t n_stmt;
    gb_rank_item *rank;          /* most preferred first */
    size_t n_rank;
    int rank_exact;              /* 1: every feasible state must be listed exactly once */
    gx_expr misp;                /* states it misperceives (GX_FALSE: none) */
    int has_misp;
    char **evidence;
    size_t n_evidence;
    char **text;                 /* statements as text (export), may be empty */
    size_t n_text;
    int line, col;               /* its preferences (diagnostics) */
    int dline, dcol;             /* where it was declared */
} gb_dm;

typedef struct gb_option {
    char *id, *name;
    int dm;
    int dir;
    int line, col;
} gb_option;

typedef struct gm_builder {
    char *name, *source;
    gb_option *opt;
    size_t n_opt, cap_opt;
    gb_dm *dm;
    size_t n_dm, cap_dm;
    gx_expr *infeas;             /* states matching any are infeasible */
    size_t n_infeas, cap_infeas;
    long sq;                     /* status quo decimal, -1 none */
    uint32_t *coal;              /* bitmasks of DM indices */
    size_t n_coal;
    char **itext;                /* infeasibility conditions as text (export) */
    size_t n_itext;
    /* Where to point errors that concern the whole model. */
    const char *file;
    int line, col;
    int sq_line, sq_col;
} gm_builder;

void gb_init(gm_builder *b);
void gb_free(gm_builder *b);
gb_option *gb_add_option(gm_builder *b);  /* NULL when out of memory */
gb_dm *gb_add_dm(gm_builder *b);
gx_expr *gb_add_infeasible(gm_builder *b);
int gb_dm_add_stmt(gb_dm *d, gx_expr **out);
int gb_dm_add_rank(gb_dm *d, gb_rank_item **out);
int gb_rank_add_alt(gb_rank_item *r, gx_expr **out);
int gb_dm_add_evidence(gb_dm *d, const char *id);
/* Append a string (copied) to a string vector; -1 when out of memory. */
int gb_strv_add(char ***v, size_t *n, const char *s);

/* Check the model and build the conflict. Errors: an option controlled by no
 * DM, a DM without options or preferences, too many options, no feasible
 * state, an infeasible status quo, a ranking that misses or repeats states,
 * coalitions that do not partition the DMs. */
pl_status gm_build(gm_builder *b, pl_conflict **out, pl_diag *diag);

/* ---- the conflict ------------------------------------------------------ */

typedef struct gm_option {
    char *id, *name;
    int dm;
    pl_gmcr_direction dir;
} gm_option;

typedef struct gm_dm {
    char *id, *name;
    uint32_t mask;               /* its options */
    uint32_t *pay;               /* cube-indexed preference level (>= 1 when feasible) */
    uint64_t *misp;              /* cube bitset of misperceived states, NULL: none */
    char **evidence;
    size_t n_evidence;
    /* The statements or ranking as text, for export (may be NULL). */
    char **pref_text;
    size_t n_pref_text;
    int prioritization;
} gm_dm;

struct pl_conflict {
    char *name, *source;
    int n;                       /* options */
    uint32_t cube;               /* 2^n */
    gm_option *opt;
    int n_dm;
    gm_dm *dm;
    uint64_t *feas;              /* cube bitset */
    uint32_t n_states;
    uint32_t *states;            /* feasible decimals, increasing (ordinal = index + 1) */
    int32_t *ord;                /* cube -> index into states, -1 infeasible */
    uint32_t fwd, back;          /* options N->Y only, Y->N only */
    long sq;                     /* status quo decimal, -1 none */
    uint32_t *coal;
    size_t n_coal;
    char **infeas_text;          /* patterns as written, for export */
    size_t n_infeas_text;
};

static inline int gm_feasible(const pl_conflict *c, uint32_t x)
{
    return (int)((c->feas[x >> 6] >> (x & 63)) & 1u);
}

static inline int gm_misp(const gm_dm *d, uint32_t x)
{
    return d->misp && ((d->misp[x >> 6] >> (x & 63)) & 1u);
}

/* The options a mover may change from x (irreversible ones only in their
 * direction): any non-empty subset d of the result gives a candidate x ^ d. */
static inline uint32_t gm_free_bits(const pl_conflict *c, uint32_t mask, uint32_t x)
{
    return mask & ~(c->fwd & x) & ~(c->back & ~x);
}

void gm_state_string(const pl_conflict *c, uint32_t x, char *buf);
/* Parse a Y/N string of length n into a decimal; -1 when malformed. */
long gm_parse_state(const pl_conflict *c, const char *s);

/* Copy a conflict (for pl_scenario_conflict). */
pl_conflict *gm_clone(const pl_conflict *c);

/* ---- stability --------------------------------------------------------- */

typedef struct gm_unit {
    uint32_t members;            /* DM bitmask */
    uint32_t mask;               /* options */
    char *name;
} gm_unit;

struct pl_stability {
    const pl_conflict *c;
    pl_gmcr_opts opts;
    int n_units;
    gm_unit *unit;
    unsigned have;               /* concepts computed */
    /* stable[k][u]: cube bitset */
    uint64_t *stable[PL_GMCR_N_CONCEPTS][PL_GMCR_MAX_DMS];
};

/* The fast engine: individual DMs, any size. */
pl_status gm_fast(pl_stability *st, pl_diag *diag);
/* The generic engine: coalitions and GMCR+ SIM; small conflicts. */
pl_status gm_slow(pl_stability *st, pl_diag *diag);

/* Unit helpers shared by the engines and the explanations. */
int gm_improves(const pl_conflict *c, uint32_t members, uint32_t from, uint32_t to);
/* 1 when `to` is not an improvement over `ref` for the unit (some member does
 * not strictly prefer it): what a sanction must reach. */
int gm_not_better(const pl_conflict *c, uint32_t members, uint32_t ref, uint32_t to);
/* 1 when the unit may move from x to y (y != x) in one step. */
int gm_can_move(const pl_conflict *c, const gm_unit *u, uint32_t x, uint32_t y);

/* ---- scenario section -------------------------------------------------- */

struct ld;
struct ynode;
int gmcr_parse_section(struct ld *L, const struct ynode *section);

#endif
