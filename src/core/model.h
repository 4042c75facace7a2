/* The in-memory scenario model shared by the loader and every analysis.
 * Internal: the public view is the accessor API in parley.h.
 *
 * Everything the file defines lives in immutable pools (numbers, rules,
 * interactions); the state "as of" a date is a set of indices into those pools
 * rebuilt by model_apply(), plus dense derived arrays for fast evaluation.
 * This keeps timeline replay cheap and exact: an event never edits a pool
 * entry, it only re-points the state at another one. */
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "parley.h"
#include "expr/expr.h"

#define PL_MAX_OPTIONS 64
#define PL_MAX_ISSUES 1024
#define PL_MAX_ACTORS 256
#define PL_MAX_ID 63
#define PL_MAX_FILE_BYTES (64u << 20)

/* Bump allocator: a scenario's strings and arrays die together. */
typedef struct pl_arena_block pl_arena_block;
typedef struct pl_arena {
    pl_arena_block *head;
} pl_arena;

void *arena_alloc(pl_arena *a, size_t n);   /* zeroed, 16-byte aligned */
char *arena_strndup(pl_arena *a, const char *s, size_t n);
char *arena_strdup(pl_arena *a, const char *s);
void arena_free(pl_arena *a);

typedef enum {
    DIST_NONE = 0, /* a plain number */
    DIST_POINT,
    DIST_UNIFORM,    /* p[0]=low p[1]=high */
    DIST_TRIANGULAR, /* p[0]=low p[1]=mode p[2]=high */
    DIST_NORMAL,     /* p[0]=mean p[1]=sd p[2]=low p[3]=high (+-inf when absent) */
    DIST_DISCRETE    /* alternatives */
} pl_dist_kind;

/* Where a number's justification comes from. */
typedef struct pl_cite {
    const uint32_t *ev;  /* evidence indices */
    uint32_t n_ev;
    const char *assume;  /* rationale, or NULL */
} pl_cite;

typedef struct pl_alt {
    double value, p;
    pl_cite cite;
} pl_alt;

typedef struct pl_num {
    double value;          /* central value (expectation) */
    pl_dist_kind dist;
    double p[4];
    pl_alt *alt;
    uint32_t n_alt;
    pl_cite cite;          /* own citation, or the inherited one */
    int own_cite;          /* 1: written on the number itself */
    int line, col;
    const char *path;      /* e.g. "preferences.ua.weights.donbas" */
} pl_num;

typedef struct pl_option {
    const char *id, *label;
    double position;
    uint32_t n_attrs;
    const char **attr_name;
    double *attr_value;
} pl_option;

typedef struct pl_issue {
    const char *id, *name;
    uint32_t n_opt;
    pl_option *opt;
    uint32_t sq;          /* status quo in the file */
    uint32_t opt_base;    /* offset of option 0 in per-option arrays */
    const char *transfer_attr; /* side payments measured in this attribute, or NULL */
    int line, col;
} pl_issue;

typedef struct pl_actor {
    const char *id, *name;
    pl_role role;
    int veto;
    int has_pref;
    int cap_num, res_num;         /* -1: not given */
    int rat_required;
    const char *rat_kind;         /* "" when none */
    const char *rat_note;
    int sup_num;                  /* -1: not given */
    int line, col;
} pl_actor;

/* A red line (actor >= 0) or a global constraint (actor == -1). */
typedef struct pl_rule {
    const char *id;
    long actor;
    pl_rule_kind kind;
    const char *src, *text;
    int credence_num;             /* -1: credence 1 */
    px_expr ex;
    pl_cite cite;
    int line, col;
} pl_rule;

typedef struct pl_inter {
    const char *id;
    long actor;
    const char *when, *note;
    int bonus_num;
    px_expr ex;
    int line, col;
} pl_inter;

typedef struct pl_proposal {
    const char *id, *name, *date, *author, *note;
    long *opt;                    /* n_issues; -1 open */
    uint32_t n_specified;
    pl_cite cite;
    int line, col;
} pl_proposal;

typedef struct pl_evidence {
    const char *id, *outlet, *title, *url, *date, *quote, *reliability, *note;
    const char **contra;
    uint32_t n_contra;
    int line, col;
} pl_evidence;

typedef enum {
    CH_SET_WEIGHT, CH_SET_SCORE, CH_SET_RESERVATION, CH_SET_CAPABILITY, CH_SET_SUPPORT,
    CH_ADD_RED_LINE, CH_DROP_RED_LINE, CH_ADD_INTERACTION, CH_DROP_INTERACTION,
    CH_SET_STATUS_QUO, CH_WITHDRAW_PROPOSAL
} pl_change_op;

typedef struct pl_change {
    pl_change_op op;
    long actor, issue, option, proposal;
    int num;                      /* set_*: number pool index */
    long rule, inter;             /* add_*: pool index */
    const char *id;               /* drop_*: the id */
    int line, col;
} pl_change;

typedef struct pl_event {
    const char *id, *date, *title;
    pl_change *ch;
    uint32_t n_ch;
    pl_cite cite;
    const char **ev_ids;
    uint32_t order;               /* file order, to break date ties */
    int line, col;
} pl_event;

/* The state of the model under some as-of date: indices into the pools, and
 * the derived dense arrays every analysis reads. */
typedef struct pl_state {
    int *w_num;          /* n_actors * n_issues; -1 = weight 0 */
    int *s_num;          /* n_actors * total_opts; -1 = no score */
    int *res_num, *cap_num, *sup_num; /* n_actors */
    uint32_t *sq;        /* n_issues */
    unsigned char *rule_on;   /* n_rules */
    unsigned char *inter_on;  /* n_inters */
    unsigned char *withdrawn; /* n_proposals */
    /* derived */
    double *w;           /* normalised weights */
    double *s;           /* central scores (0 when absent) */
    double *ws;          /* w * s, n_actors * total_opts */
    double *res, *cap, *sup;
    /* per actor: active red lines and interactions (pool indices) */
    uint32_t **red, **inter;
    uint32_t *n_red, *n_inter;
    uint32_t *cons;      /* active global constraints */
    uint32_t n_cons;
    size_t n_applied;    /* events applied */
} pl_state;

/* Slots for the models of lens sections (docs/format.md, later issues). */
enum { PL_EXT_CONFLICT = 0, PL_EXT_FORECAST = 1, PL_EXT_WAR = 2, PL_EXT_MAX = 4 };

struct pl_scenario {
    pl_arena arena;
    void *ext[PL_EXT_MAX];
    void (*ext_free[PL_EXT_MAX])(void *);
    const char *file;
    char hash[17];
    const char *id, *name, *description, *date;
    char as_of[11];      /* "" when all events apply */

    pl_actor *actor; size_t n_actors;
    pl_issue *issue; size_t n_issues; size_t total_opts;
    size_t *n_opts;      /* n_issues, for px_eval3 */
    pl_evidence *ev; size_t n_ev;
    pl_proposal *prop; size_t n_props;
    pl_event *event; size_t n_events;   /* sorted by (date, order) */
    pl_num *num; size_t n_nums;
    pl_rule *rule; size_t n_rules;
    pl_inter *inter; size_t n_inters;

    pl_state base;       /* as written, before any event */
    pl_state cur;        /* as of the selected date */
};

/* Build the derived arrays of st. Returns 0, or -1 with diag filled when the
 * state is invalid (e.g. all weights of an actor zero). */
int model_derive(pl_scenario *sc, pl_state *st, pl_diag *diag);

/* Allocate a state's arrays in the arena, copying src when given. */
int model_state_init(pl_scenario *sc, pl_state *st, const pl_state *src);
void model_state_copy(pl_scenario *sc, pl_state *dst, const pl_state *src);

/* Apply one change to st; returns 0, or -1 with diag filled (file/line/col of
 * the change) when it cannot apply in this state. */
int model_apply_change(pl_scenario *sc, pl_state *st, const pl_change *ch,
                       const pl_event *ev, pl_diag *diag);

/* Recompute sc->cur for the given date (NULL: all events). */
int model_select(pl_scenario *sc, const char *date, pl_diag *diag);

/* Validate "YYYY-MM-DD" as a real calendar date. */
int model_valid_date(const char *s, size_t len);

static inline double model_ws(const pl_scenario *sc, size_t a, size_t i, size_t o)
{
    return sc->cur.ws[a * sc->total_opts + sc->issue[i].opt_base + o];
}

/* Utility of a complete package (choice[i] = option) for actor a, in cur. */
double model_utility(const pl_scenario *sc, size_t a, const long *pkg);

/* px_symbols over the scenario's issues (for compiling expressions). */
void model_symbols(pl_scenario *sc, px_symbols *sym);

#endif
