/*
 * parley.h — the public interface of libparley.
 *
 * parley models, analyses and forecasts multi-party negotiations. This header is
 * the manual: every function, every structure and every convention the library
 * follows is documented here. Nothing outside this header is part of the API.
 *
 * Copyright (C) 2026 the parley authors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ---------------------------------------------------------------------------
 * Conventions
 * ---------------------------------------------------------------------------
 *
 * Names.      Everything public starts with pl_ (functions, types) or PL_
 *             (constants and macros).
 *
 * Handles.    Objects are opaque handles created by a function ending in _new,
 *             _load_* or by an analysis, and released with the matching _free.
 *             Every _free accepts NULL and does nothing then.
 *
 * Errors.     Functions that can fail return a pl_status and, when given a
 *             non-NULL pl_diag, fill it with the status, the place (file, line,
 *             column; 1-based, 0 when unknown) and a one-line message. On failure
 *             no output handle is produced (*out is set to NULL).
 *
 * Silence.    The library never prints, never exits, never reads environment
 *             variables and never touches global state other than the allocator
 *             hook (pl_set_allocator), which is meant to be set once at start-up.
 *             One exception, forced by libxml2: while the GENIUS importer parses
 *             a file it swaps the calling thread's libxml2 error handlers for
 *             silent ones and restores them afterwards. A program that imports
 *             from several threads at once should call libxml2's
 *             xmlInitParser() first.
 *
 * Threads.    A scenario or a result is immutable after creation (except through
 *             functions documented as modifying it), so distinct threads may read
 *             the same handle concurrently. Functions that modify a handle need
 *             exclusive access to it. Several analyses (agreement space, GMCR,
 *             forecast, simulation) start worker threads of their own: results
 *             never depend on how many, and their scratch memory comes from the
 *             allocator hook, which must therefore be thread-safe.
 *
 * Strings.    All strings are UTF-8 and NUL-terminated. Strings returned through
 *             info structures are owned by the handle they came from and stay
 *             valid until that handle is freed or modified.
 *
 * Indices.    Actors, issues, options, proposals, evidence and events are
 *             addressed by 0-based indices in file order. Lookup functions map
 *             ids to indices and return -1 for an unknown id.
 *
 * Utility.    Each actor's utility for a complete package is
 *                 U = sum_i w_i * s_i(option on issue i) + sum of fired bonuses
 *             with weights w_i normalised to sum to 1 and scores conventionally in
 *             [0, 100], so U reads as "utility points". The reservation value
 *             (the worth of no deal, i.e. of continued conflict) is on the same
 *             scale; margin = U - reservation. See docs/format.md.
 */
#ifndef PARLEY_H
#define PARLEY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------- */

#define PL_VERSION_MAJOR 0
#define PL_VERSION_MINOR 1
#define PL_VERSION_PATCH 0
#define PL_VERSION_STRING "0.1.0"

/* The version of the library actually linked (may differ from the header's). */
const char *pl_version(void);

/* ---------------------------------------------------------------------------
 * Status codes and diagnostics
 * ------------------------------------------------------------------------- */

typedef enum pl_status {
    PL_OK = 0,
    PL_E_INPUT = 2,    /* the input (a scenario, an expression, an option) is invalid */
    PL_E_INTERNAL = 3, /* a bug in parley: please report it */
    PL_E_NOMEM = 4,    /* an allocation failed */
    PL_E_IO = 5,       /* a file could not be read or written */
    PL_E_ARG = 6,      /* a function was called with an invalid argument */
    PL_E_NOTFOUND = 7  /* an id or index names nothing */
} pl_status;

/* A short English name for a status ("bad input", "out of memory", ...). */
const char *pl_status_string(pl_status st);

/* Where and why something failed. file is empty and line/col are 0 when the
 * failure has no place in an input file. source_line holds the text of the
 * offending line (without its newline, possibly truncated) when known, so a
 * front end can draw a caret under column col. */
typedef struct pl_diag {
    pl_status status;
    int line;
    int col;
    char file[512];
    char message[1024];
    char source_line[512];
} pl_diag;

/* ---------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------- */

/* A Lua-style allocator: ptr == NULL allocates nsize bytes; nsize == 0 frees ptr
 * and returns NULL; otherwise it resizes ptr to nsize bytes (osize is the old
 * size when known, else 0). Must return NULL on failure, leaving ptr intact. */
typedef void *(*pl_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Route all of libparley's own allocations through fn (NULL restores the
 * default, based on realloc/free). Set it before creating any handle: memory
 * must be freed by the allocator that allocated it. Third-party parsers used by
 * the loader (libfyaml, jansson) keep their own allocators. */
void pl_set_allocator(pl_alloc_fn fn, void *ud);

/* Free a string or array that a pl_ function documented as "caller frees". */
void pl_free(void *p);

/* ---------------------------------------------------------------------------
 * Scenarios
 * ------------------------------------------------------------------------- */

typedef struct pl_scenario pl_scenario;

/* Load a scenario from a YAML file (format: docs/format.md). The whole file is
 * validated; on the first error, *out is NULL and diag names file, line and
 * column. Files over 64 MiB are refused. */
pl_status pl_scenario_load_file(const char *path, pl_scenario **out, pl_diag *diag);

/* Same, from memory. name is used in diagnostics (e.g. the file name). The
 * buffer need not be NUL-terminated and is not retained. */
pl_status pl_scenario_load_buffer(const char *name, const char *data, size_t len,
                                  pl_scenario **out, pl_diag *diag);

void pl_scenario_free(pl_scenario *sc);

/* Select the state of the scenario as of a date ("YYYY-MM-DD"): the base model
 * with every timeline event dated on or before it applied, and only proposals
 * tabled on or before it. NULL selects the default, all events applied. All
 * accessors and analyses see the selected state. Returns PL_E_INPUT for a
 * malformed date. */
pl_status pl_scenario_set_as_of(pl_scenario *sc, const char *date, pl_diag *diag);

/* The selected date, or NULL when all events are applied. */
const char *pl_scenario_as_of(const pl_scenario *sc);

typedef struct pl_scenario_info {
    const char *id;
    const char *name;
    const char *description; /* "" when absent */
    const char *date;        /* the date the base model describes, "" when absent */
    const char *file;        /* the name it was loaded under */
    char hash[17];           /* 64-bit FNV-1a of the file's bytes, in hex */
    size_t n_actors, n_issues, n_proposals, n_evidence, n_events, n_constraints;
    size_t n_events_applied; /* under the selected as-of date */
    double log10_packages;   /* log10 of the number of complete packages */
} pl_scenario_info;

void pl_scenario_get_info(const pl_scenario *sc, pl_scenario_info *out);

/* --- actors -------------------------------------------------------------- */

typedef enum pl_role {
    PL_ROLE_PARTY = 0,
    PL_ROLE_MEDIATOR = 1,
    PL_ROLE_GUARANTOR = 2,
    PL_ROLE_OBSERVER = 3
} pl_role;

/* "party", "mediator", "guarantor" or "observer". */
const char *pl_role_string(pl_role role);

typedef struct pl_actor_info {
    const char *id;
    const char *name;
    pl_role role;
    int veto;              /* 1 when its consent is required for a deal */
    int has_preferences;   /* 0: listed, but not evaluated */
    double capability;     /* central value */
    double reservation;    /* central value, in its utility points */
    int ratification_required;
    const char *ratification_kind; /* "referendum", ...; "" when none */
    double support;        /* central share in favour, 0..1; -1 when unknown */
    size_t n_red_lines;    /* active red lines (credence >= 0.5) */
    size_t n_interactions;
} pl_actor_info;

pl_status pl_scenario_actor(const pl_scenario *sc, size_t i, pl_actor_info *out);
long pl_scenario_find_actor(const pl_scenario *sc, const char *id);

/* --- issues and options -------------------------------------------------- */

typedef struct pl_issue_info {
    const char *id;
    const char *name;
    size_t n_options;
    size_t status_quo; /* option index */
} pl_issue_info;

typedef struct pl_option_info {
    const char *id;
    const char *label;
    double position; /* 0..100 */
    size_t n_attrs;
} pl_option_info;

pl_status pl_scenario_issue(const pl_scenario *sc, size_t i, pl_issue_info *out);
pl_status pl_scenario_option(const pl_scenario *sc, size_t issue, size_t opt,
                             pl_option_info *out);
/* The k-th attribute of an option: its name and value. */
pl_status pl_scenario_option_attr(const pl_scenario *sc, size_t issue, size_t opt,
                                  size_t k, const char **name, double *value);
long pl_scenario_find_issue(const pl_scenario *sc, const char *id);
long pl_scenario_find_option(const pl_scenario *sc, size_t issue, const char *id);

/* --- preferences ---------------------------------------------------------- */

/* Normalised weight (sums to 1 over issues) of an actor with preferences; 0 for
 * an actor without. */
double pl_scenario_weight(const pl_scenario *sc, size_t actor, size_t issue);
/* Score of an option for an actor (central value); 0 when the issue has weight 0
 * and no score was given. */
double pl_scenario_score(const pl_scenario *sc, size_t actor, size_t issue, size_t opt);

typedef enum pl_rule_kind { PL_RULE_REQUIRE = 0, PL_RULE_FORBID = 1 } pl_rule_kind;

/* A red line of an actor, or a global constraint (then actor is -1). */
typedef struct pl_rule_info {
    const char *id;
    pl_rule_kind kind;
    const char *expr;     /* the expression as written */
    const char *text;     /* the human sentence; "" when absent */
    double credence;      /* probability the rule is real (1 by default) */
    int active;           /* credence >= 0.5 */
} pl_rule_info;

size_t pl_scenario_red_line_count(const pl_scenario *sc, size_t actor);
pl_status pl_scenario_red_line(const pl_scenario *sc, size_t actor, size_t k,
                               pl_rule_info *out);
size_t pl_scenario_constraint_count(const pl_scenario *sc);
pl_status pl_scenario_constraint(const pl_scenario *sc, size_t k, pl_rule_info *out);

typedef struct pl_interaction_info {
    const char *id;
    const char *when;
    double bonus; /* central value, utility points; negative = penalty */
    const char *note;
} pl_interaction_info;

size_t pl_scenario_interaction_count(const pl_scenario *sc, size_t actor);
pl_status pl_scenario_interaction(const pl_scenario *sc, size_t actor, size_t k,
                                  pl_interaction_info *out);

/* --- proposals ------------------------------------------------------------ */

typedef struct pl_proposal_info {
    const char *id;
    const char *name;
    const char *date;    /* "" when undated */
    const char *author;  /* actor id, "" when absent */
    const char *note;
    size_t n_specified;  /* issues the proposal settles */
    int complete;        /* settles every issue */
    int on_table;        /* tabled by and not withdrawn as of the selected date */
} pl_proposal_info;

pl_status pl_scenario_proposal(const pl_scenario *sc, size_t p, pl_proposal_info *out);
/* The option a proposal picks on an issue, or -1 when it leaves the issue open. */
long pl_scenario_proposal_option(const pl_scenario *sc, size_t p, size_t issue);
long pl_scenario_find_proposal(const pl_scenario *sc, const char *id);

/* --- evidence and timeline ----------------------------------------------- */

typedef struct pl_evidence_info {
    const char *id;
    const char *outlet;
    const char *title;       /* "" when absent */
    const char *url;         /* "" when absent */
    const char *date;
    const char *quote;       /* "" when absent */
    const char *reliability; /* corroborated | single | disputed | unverified */
    const char *note;        /* "" when absent */
    size_t n_contradicts;
    const char *const *contradicts; /* evidence ids */
} pl_evidence_info;

pl_status pl_scenario_evidence(const pl_scenario *sc, size_t k, pl_evidence_info *out);
long pl_scenario_find_evidence(const pl_scenario *sc, const char *id);

typedef struct pl_event_info {
    const char *id;
    const char *date;
    const char *title;
    size_t n_changes;
    int applied;  /* under the selected as-of date */
    size_t n_evidence;
    const char *const *evidence;
} pl_event_info;

/* Events are returned in the order they apply (date, then file order). */
pl_status pl_scenario_event(const pl_scenario *sc, size_t k, pl_event_info *out);

/* ---------------------------------------------------------------------------
 * Packages and expressions
 * ------------------------------------------------------------------------- */

/* A package assigns one option index to every issue: an array of n_issues
 * longs; -1 marks an open issue (a partial package). */

/* Utility of a complete package for an actor (with preferences). */
pl_status pl_package_utility(const pl_scenario *sc, size_t actor, const long *package,
                             double *utility);

/* Evaluate an expression (same language as red lines, docs/format.md) on a
 * package. *value is 1 (true), 0 (false) or -1 (undecided: depends on open
 * issues). Errors in the expression are reported in diag with col pointing into
 * expr (file "<expr>", line 1). */
pl_status pl_expr_eval(const pl_scenario *sc, const char *expr, const long *package,
                       int *value, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Evaluate: would each actor accept each proposal, and if not, why not?
 * ------------------------------------------------------------------------- */

typedef struct pl_evaluation pl_evaluation;

/* One actor's verdict on one proposal.
 *
 * For a complete proposal everything refers to that package. For a partial one
 * the headline fields (accept, utility, margin, red lines) refer to the
 * status-quo completion: open issues stay at their status quo. If that
 * completion breaks a global constraint, the actor's best feasible completion is
 * used instead and a reason says so. best/worst give the actor's best and worst
 * feasible completions of the open issues (exact, interaction terms included).
 *
 * accept = every active red line kept, and margin >= 0. */
typedef struct pl_verdict {
    size_t actor;
    const char *actor_id;
    int accept;
    double utility;
    double margin;                 /* utility - reservation */
    size_t n_red_lines_broken;
    const char *const *red_lines_broken;   /* red line ids */
    size_t n_reasons;
    const char *const *reasons;            /* sentences, most important first */
    size_t n_evidence;
    const char *const *evidence;           /* evidence ids behind the verdict */
    int partial;                   /* the proposal leaves issues open */
    int has_completions;           /* best/worst exist (some feasible completion) */
    double best_utility, worst_utility;
    const long *best_package, *worst_package; /* n_issues entries each */
} pl_verdict;

/* Evaluate one proposal (index), or every proposal on the table when
 * proposal == -1, for every actor with preferences. */
pl_status pl_evaluate(const pl_scenario *sc, long proposal, pl_evaluation **out,
                      pl_diag *diag);

/* Evaluate an ad-hoc package (n_issues entries, -1 = open) under the name
 * "package". */
pl_status pl_evaluate_package(const pl_scenario *sc, const long *package,
                              pl_evaluation **out, pl_diag *diag);

void pl_evaluation_free(pl_evaluation *ev);

size_t pl_evaluation_count(const pl_evaluation *ev);      /* proposals evaluated */
long pl_evaluation_proposal(const pl_evaluation *ev, size_t k); /* its index, -1 ad hoc */
/* The package evaluated (status-quo completion for partial proposals). */
const long *pl_evaluation_package(const pl_evaluation *ev, size_t k);
/* Global constraints broken by the package (ids); 0 when feasible. */
size_t pl_evaluation_constraints_broken(const pl_evaluation *ev, size_t k,
                                        const char *const **ids);
size_t pl_evaluation_verdict_count(const pl_evaluation *ev, size_t k);
const pl_verdict *pl_evaluation_verdict(const pl_evaluation *ev, size_t k, size_t j);
/* 1 when every actor with a veto accepts. */
int pl_evaluation_agreed(const pl_evaluation *ev, size_t k);

/* ---------------------------------------------------------------------------
 * The agreement space: ZOPA, Pareto frontier, bargaining solutions, bridges
 *
 * Every analysis here is exact over all complete packages (one option per
 * issue) and never lists the space: a depth-first search over issues prunes
 * with per-actor bounds and compiled red lines, and counts subtrees that lie
 * wholly inside the zone of agreement without visiting them.
 *
 * Definitions (docs/space.md):
 *   feasible   keeps every active global constraint;
 *   acceptable feasible, and for every actor with a veto: keeps its active red
 *              lines and reaches its reservation value (u >= reservation);
 *   ZOPA       the set of acceptable packages;
 *   Pareto     an acceptable package such that no acceptable package is at
 *              least as good for every veto actor and better for one
 *              (utilities compared with a tolerance of 1e-9, relative);
 *   gains      g_a = u_a - reservation_a (the disagreement point is the vector
 *              of reservation values).
 * Rules (pl_solve): Nash maximises the product of gains (weighted: with
 * exponents proportional to capability); Kalai-Smorodinsky maximises
 * min_a g_a / (ideal_a - reservation_a) where ideal_a is a's best utility in
 * the ZOPA (the ratio definition); egalitarian maximises min_a g_a;
 * utilitarian maximises sum_a g_a. All are exact over the discrete space;
 * ties (within 1e-9, relative) are all listed.
 * ------------------------------------------------------------------------- */

typedef enum pl_objective {
    PL_OBJ_NASH = 0,
    PL_OBJ_KS = 1,
    PL_OBJ_EGALITARIAN = 2,
    PL_OBJ_UTILITARIAN = 3,
    PL_OBJ_ACTOR = 4     /* one actor's utility (by_actor) */
} pl_objective;

/* "nash", "ks", "egalitarian", "utilitarian", "actor". */
const char *pl_objective_string(pl_objective obj);

typedef struct pl_space_options {
    int threads;        /* worker threads for counting; 0 = 2. Results never depend on it */
    size_t top_k;       /* pl_zopa: packages to list, best first (default 10) */
    pl_objective by;    /* pl_zopa ordering and pl_solve rule (default Nash) */
    long by_actor;      /* with PL_OBJ_ACTOR: scenario index of the actor */
    int weighted;       /* Nash weighted by capability */
    int quick_bridges;  /* pl_bridges_find: only test that the ZOPA is empty
                           and that each red-line bridge opens a zone, without
                           counting them (the counts are most of the work on a
                           large space); pl_bridges_zopa_count() is then 1 for
                           any non-empty ZOPA, the JSON's counts are null, and
                           red-line bridges rank in file order. Default 0 */
} pl_space_options;

void pl_space_options_init(pl_space_options *opts);

/* A set of packages with their count: what zopa, pareto and solve return. */
typedef struct pl_space pl_space;

/* The ZOPA: its exact size and its top_k packages by opts->by. */
pl_status pl_zopa(const pl_scenario *sc, const pl_space_options *opts, pl_space **out,
                  pl_diag *diag);

/* The Pareto-optimal acceptable packages. When the ZOPA is empty, the frontier
 * of the feasible space instead (red lines and reservations ignored);
 * pl_space_scope() then says "feasible". */
pl_status pl_pareto(const pl_scenario *sc, const pl_space_options *opts, pl_space **out,
                    pl_diag *diag);

/* The optimum of rule opts->by over the ZOPA, with every tie. An empty ZOPA
 * gives an empty result (count 0), not an error. */
pl_status pl_solve(const pl_scenario *sc, const pl_space_options *opts, pl_space **out,
                   pl_diag *diag);

void pl_space_free(pl_space *s);

/* The exact count (ZOPA size for zopa/solve; frontier size for pareto).
 * Returns 1 when exact, 0 when it exceeds 2^64-1 (*count is then UINT64_MAX). */
int pl_space_count(const pl_space *s, uint64_t *count);
/* "zopa" or "feasible": the set the packages were drawn from. */
const char *pl_space_scope(const pl_space *s);
size_t pl_space_package_count(const pl_space *s);
/* Package k: n_issues option indices. */
const long *pl_space_package(const pl_space *s, size_t k);
/* Utility of package k for actor (scenario index); NAN for an actor without
 * preferences. */
double pl_space_utility(const pl_space *s, size_t k, size_t actor);
/* The objective value of package k (log of the Nash product for Nash). */
double pl_space_score(const pl_space *s, size_t k);

/* JSON: {"count", "scope", "packages": [{"options", "utility", "margin",
 * "score"}], ...} (docs/json.md). Caller frees with pl_free. */
pl_status pl_space_to_json(const pl_scenario *sc, const pl_space *s, char **json,
                           pl_diag *diag);

/* --- bridges: the smallest changes that open an empty ZOPA --------------- */

typedef enum pl_bridge_kind {
    PL_BRIDGE_RESERVATION = 0, /* an actor lowers its reservation value */
    PL_BRIDGE_RED_LINE = 1,    /* an actor drops one red line */
    PL_BRIDGE_SIDE_PAYMENT = 2,/* money on a transferable issue closes a gap */
    PL_BRIDGE_WEIGHT = 3       /* an actor's weight on one issue moves */
} pl_bridge_kind;

typedef struct pl_bridge_info {
    pl_bridge_kind kind;
    size_t actor;           /* who must change (the receiver, for a payment) */
    const char *red_line;   /* PL_BRIDGE_RED_LINE: its id; else "" */
    long issue;             /* PL_BRIDGE_SIDE_PAYMENT / _WEIGHT: the issue; else -1 */
    double amount;          /* reservation: points to drop; payment: units of the
                               issue's attribute; weight: change of the raw weight */
    double relative;        /* amount relative to the current value (0..), for ranking */
    long payer;             /* PL_BRIDGE_SIDE_PAYMENT: scenario index, -1 none */
    double payer_cost;      /* the payer's cost in its utility points */
    const long *package;    /* the package it opens (n_issues) */
    const char *explanation;/* one sentence a reader can act on */
} pl_bridge_info;

typedef struct pl_bridges pl_bridges;

/* When the ZOPA is empty: for each veto actor the smallest reservation drop;
 * each single red line whose removal opens the ZOPA (with the Nash package
 * then); the smallest side payment on each transferable issue; the smallest
 * change of one issue weight. Ranked by relative size. When the ZOPA is not
 * empty the result is empty. */
pl_status pl_bridges_find(const pl_scenario *sc, const pl_space_options *opts,
                          pl_bridges **out, pl_diag *diag);
void pl_bridges_free(pl_bridges *b);
size_t pl_bridges_count(const pl_bridges *b);
const pl_bridge_info *pl_bridges_get(const pl_bridges *b, size_t k);
uint64_t pl_bridges_zopa_count(const pl_bridges *b);
pl_status pl_bridges_to_json(const pl_scenario *sc, const pl_bridges *b, char **json,
                             pl_diag *diag);

/* --- the timeline -------------------------------------------------------- */

/* For the base model and after each dated event: the ZOPA count, the Nash
 * package and the binding actor. Leaves the scenario's as-of selection as it
 * was. JSON: {"steps": [{"date", "event", "count", "nash", "binding"}]}. */
pl_status pl_timeline_json(pl_scenario *sc, const pl_space_options *opts, char **json,
                           pl_diag *diag);

/* ---------------------------------------------------------------------------
 * The spatial forecast: KTAB's Spatial Model of Politics (SMP) and the
 * classic Bueno de Mesquita expected-utility model
 *
 * An SMP model is a table of actors (capability, and per dimension a position
 * on 0..100 and a salience on 0..100 whose sum over dimensions is at most 100)
 * plus the parameters of the model. It comes from a scenario (its `forecast:`
 * section, docs/forecast.md), from a KTAB SMP CSV file, or is built by hand.
 * pl_smp_run() plays it round after round until positions settle and returns
 * every round's positions and probabilities and the final forecast.
 *
 * Determinism. In deterministic mode (the default, as KTAB's smpc) the result
 * depends only on the model: the same bits whatever the thread count. The
 * arithmetic follows KTAB's order of operations, so final positions agree with
 * KTAB's to rounding. In stochastic mode each actor's draw in each round comes
 * from its own stream derived from (seed, round, actor), so a fixed seed gives
 * the same result whatever the thread count (KTAB's threads share one
 * generator, so its stochastic runs cannot be reproduced).
 *
 * ------------------------------------------------------------------------- */

/* --- parameters ----------------------------------------------------------- */

typedef enum pl_smp_kind {
    PL_SMP_KTAB = 0, /* KTAB's Spatial Model of Politics (default) */
    PL_SMP_BDM = 1   /* classic Bueno de Mesquita expected utility, one dimension */
} pl_smp_kind;

/* Probability that a coalition of strength a beats one of strength b. */
typedef enum pl_smp_vpm {
    PL_SMP_VPM_LINEAR = 0, /* a / (a + b) (KTAB default) */
    PL_SMP_VPM_SQUARE,     /* a^2 / (a^2 + b^2) */
    PL_SMP_VPM_QUARTIC,
    PL_SMP_VPM_OCTIC,
    PL_SMP_VPM_BINARY      /* certain beyond a 10% edge, linear ramp inside it */
} pl_smp_vpm;

/* An actor's vote between two options as a function of its utility difference. */
typedef enum pl_smp_vote {
    PL_SMP_VOTE_BINARY = 0,
    PL_SMP_VOTE_PROPBIN,
    PL_SMP_VOTE_PROP,      /* weight * difference (KTAB default) */
    PL_SMP_VOTE_PROPCBC,
    PL_SMP_VOTE_CUBIC,
    PL_SMP_VOTE_ASYMPROSP
} pl_smp_vote;

/* From pairwise victory probabilities to one probability per option. */
typedef enum pl_smp_pce {
    PL_SMP_PCE_CONDITIONAL = 0, /* KTAB default */
    PL_SMP_PCE_MARKOV_INCENTIVE,
    PL_SMP_PCE_MARKOV_UNIFORM
} pl_smp_pce;

typedef enum pl_smp_transition {
    PL_SMP_DETERMINISTIC = 0, /* each actor takes its most probable bargain */
    PL_SMP_STOCHASTIC = 1     /* each actor draws a bargain by probability */
} pl_smp_transition;

/* Range of the risk attitudes inferred from the probabilities. */
typedef enum pl_smp_risk_range {
    PL_SMP_RISK_MIN = 0, /* [0, 1] */
    PL_SMP_RISK_MID,     /* [-1/2, 1] (KTAB default) */
    PL_SMP_RISK_MAX      /* [-1, 1] */
} pl_smp_risk_range;

/* How actor h estimates i's risk attitude from R_h and R_i. */
typedef enum pl_smp_risk_adjust {
    PL_SMP_RISK_ADJ_FULL = 0,   /* R_i */
    PL_SMP_RISK_ADJ_TWO_THIRDS, /* (R_h + 2 R_i) / 3 */
    PL_SMP_RISK_ADJ_HALF,       /* (R_h + R_i) / 2 */
    PL_SMP_RISK_ADJ_ONE_THIRD,  /* (2 R_h + R_i) / 3 (KTAB default) */
    PL_SMP_RISK_ADJ_NONE        /* R_h */
} pl_smp_risk_adjust;

typedef enum pl_smp_third_party {
    PL_SMP_TP_NO_COMMIT = 0,
    PL_SMP_TP_SEMI_COMMIT, /* KTAB default */
    PL_SMP_TP_FULL_COMMIT
} pl_smp_third_party;

/* Interpolation of a bargain between two positions, dimension by dimension. */
typedef enum pl_smp_interp {
    PL_SMP_INTERP_S1P1 = 0, /* weights s * P */
    PL_SMP_INTERP_S2P2,     /* weights s^2 * P^2 (KTAB default) */
    PL_SMP_INTERP_S2PMAX
} pl_smp_interp;

/* Whose view of the contest shapes the bargain. */
typedef enum pl_smp_bargain {
    PL_SMP_BARGAIN_INIT_ONLY = 0, /* the initiator's (KTAB default) */
    PL_SMP_BARGAIN_INIT_RCVR,     /* both views, queued as two bargains */
    PL_SMP_BARGAIN_PW_COMP        /* power-weighted mix of both views */
} pl_smp_bargain;

typedef struct pl_smp_params {
    pl_smp_kind kind;
    pl_smp_vpm vpm;
    pl_smp_vote vote;
    pl_smp_pce pce;
    pl_smp_transition transition;
    pl_smp_risk_range risk_range;
    pl_smp_risk_adjust risk_adjust;
    pl_smp_third_party third_party;
    pl_smp_interp interp;
    pl_smp_bargain bargain;
    /* KTAB reads the receiver's view with the expected gain of the challenge
     * where a probability belongs (INIT_RCVR, PW_COMP). 1 keeps that (default,
     * for comparability); 0 uses the receiver's probability of victory. */
    int ktab_receiver_view;
    unsigned max_rounds;      /* stop after this many rounds (100) */
    unsigned min_rounds;      /* never stop before (2) */
    double stop_ratio;        /* stop when a round moves less than this share of round 1 (0.02) */
    double stop_epsilon;      /* added to round 1's movement (1e-4) */
    uint64_t seed;            /* stochastic mode */
    unsigned threads;         /* 0: one per online processor */
    int probabilities;        /* position probabilities: 2 every round (default),
                                 1 the final state only, 0 none */
} pl_smp_params;

/* KTAB's smpc defaults (deterministic). */
void pl_smp_params_default(pl_smp_params *p);

/* Names as written in a forecast: section ("linear", "proportional", ...), and
 * back; the _parse functions return -1 for an unknown name. */
const char *pl_smp_vpm_name(pl_smp_vpm v);
const char *pl_smp_vote_name(pl_smp_vote v);
const char *pl_smp_pce_name(pl_smp_pce v);
const char *pl_smp_transition_name(pl_smp_transition v);
const char *pl_smp_risk_range_name(pl_smp_risk_range v);
const char *pl_smp_risk_adjust_name(pl_smp_risk_adjust v);
const char *pl_smp_third_party_name(pl_smp_third_party v);
const char *pl_smp_interp_name(pl_smp_interp v);
const char *pl_smp_bargain_name(pl_smp_bargain v);
const char *pl_smp_kind_name(pl_smp_kind v);

/* --- the model ------------------------------------------------------------ */

typedef struct pl_smp_model pl_smp_model;

/* An empty model of n_actors x n_dims (all capabilities 1, positions 0,
 * saliences 0, ids "a1".., "d1"..), with default parameters. */
pl_status pl_smp_model_new(size_t n_actors, size_t n_dims, pl_smp_model **out,
                           pl_diag *diag);
void pl_smp_model_free(pl_smp_model *m);

/* Setters copy their strings. Positions and saliences are on 0..100. */
pl_status pl_smp_model_set_actor(pl_smp_model *m, size_t i, const char *id,
                                 const char *name, double capability);
pl_status pl_smp_model_set_actor_description(pl_smp_model *m, size_t i, const char *text);
pl_status pl_smp_model_set_value(pl_smp_model *m, size_t actor, size_t dim,
                                 double position, double salience);
pl_status pl_smp_model_set_dim(pl_smp_model *m, size_t k, const char *id,
                               const char *name);
pl_status pl_smp_model_set_name(pl_smp_model *m, const char *name, const char *description);
pl_status pl_smp_model_set_params(pl_smp_model *m, const pl_smp_params *p);

/* Check the model (capabilities > 0 and finite, positions and saliences in
 * range, each actor's saliences summing to more than 0 and at most 100, at
 * least 2 actors and 1 dimension). */
pl_status pl_smp_model_validate(const pl_smp_model *m, pl_diag *diag);

typedef struct pl_smp_model_info {
    const char *name, *description;
    size_t n_actors, n_dims;
    pl_smp_params params;
} pl_smp_model_info;

typedef struct pl_smp_actor_info {
    const char *id;
    const char *name;         /* as written (KTAB's actor name); "" when none */
    const char *description;  /* "" when none */
    double capability;
    const double *position;   /* n_dims, 0..100 */
    const double *salience;   /* n_dims, 0..100 */
} pl_smp_actor_info;

void pl_smp_model_get_info(const pl_smp_model *m, pl_smp_model_info *out);
pl_status pl_smp_model_actor(const pl_smp_model *m, size_t i, pl_smp_actor_info *out);
/* The id and name of dimension k (NULL when k is out of range). */
const char *pl_smp_model_dim_id(const pl_smp_model *m, size_t k);
const char *pl_smp_model_dim_name(const pl_smp_model *m, size_t k);

/* Read a KTAB SMP CSV (see docs/forecast.md). Errors carry the line and
 * column. Actor and dimension ids are derived from the names (made valid
 * parley ids and unique); the names are kept. */
pl_status pl_smp_read_ktab(const char *name, const char *data, size_t len,
                           pl_smp_model **out, pl_diag *diag);
pl_status pl_smp_read_ktab_file(const char *path, pl_smp_model **out, pl_diag *diag);

/* The forecast model of a scenario in its selected as-of state: the
 * `forecast:` section applied on top of the defaults derived from actors,
 * issues and preferences (docs/forecast.md). Works without a section too. */
pl_status pl_smp_model_from_scenario(const pl_scenario *sc, pl_smp_model **out,
                                     pl_diag *diag);

/* The evidence ids cited by the inputs of actor i (capability, positions,
 * saliences) in a model made from a scenario, as a NUL-separated list ending
 * in an empty string; NULL when none or not from a scenario. */
const char *pl_smp_model_actor_evidence(const pl_smp_model *m, size_t i);

/* --- running it ----------------------------------------------------------- */

typedef struct pl_smp_result pl_smp_result;

/* Play the model. params NULL: the model's own. */
pl_status pl_smp_run(const pl_smp_model *m, const pl_smp_params *params,
                     pl_smp_result **out, pl_diag *diag);
void pl_smp_result_free(pl_smp_result *r);

/* States recorded: the initial one (round 0) and one per round played. */
size_t pl_smp_result_states(const pl_smp_result *r);
/* 1 when the stopping rule fired before the round limit. */
int pl_smp_result_converged(const pl_smp_result *r);
/* Positions of every actor in state t: n_actors * n_dims, row-major, 0..100. */
const double *pl_smp_result_positions(const pl_smp_result *r, size_t t);
/* Probability of the position actor i holds in state t (actors sharing a
 * position, within 0.1 on the 0..100 scale, share its probability); NaN when
 * probabilities were not computed. */
double pl_smp_result_probability(const pl_smp_result *r, size_t t, size_t i);
/* Movement in round t (t >= 1) relative to round 1, as KTAB's stopping rule
 * measures it. */
double pl_smp_result_change(const pl_smp_result *r, size_t t);

/* The final forecast on dimension k, on 0..100:
 *   modal:         the coordinate of the most probable final position,
 *   expected:      the probability-weighted mean of the distinct final positions,
 *   weighted_mean: the capability x salience weighted mean of final positions,
 *   initial_mean:  the same weighted mean of the initial positions. */
typedef struct pl_smp_forecast {
    double modal, expected, weighted_mean, initial_mean;
} pl_smp_forecast;

pl_status pl_smp_result_forecast(const pl_smp_result *r, size_t k, pl_smp_forecast *out);
/* Probability of the modal final position and the number of distinct final positions. */
double pl_smp_result_modal_probability(const pl_smp_result *r);
size_t pl_smp_result_distinct(const pl_smp_result *r);

/* Euclidean distance (0..100 scale) actor i moved from round 0 to the end. */
double pl_smp_result_moved(const pl_smp_result *r, size_t i);
/* Actor indices by distance moved, largest first (ties in actor order);
 * order holds n_actors entries. */
void pl_smp_result_movers(const pl_smp_result *r, size_t *order);

/* The forecast as a JSON object (keys: docs/forecast.md): model, parameters,
 * actors, dimensions, converged, rounds_played, rounds (each with round,
 * positions: actor id -> list of positions one per dimension, probabilities,
 * change), final (dimension id -> modal, expected, weighted_mean,
 * initial_weighted_mean), modal_probability, distinct_positions, movers,
 * evidence. max_states > 0 keeps only the last max_states states. Caller frees
 * *json with pl_free. */
pl_status pl_smp_result_to_json(const pl_smp_model *m, const pl_smp_result *r, size_t max_states,
                                char **json, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * The Graph Model for Conflict Resolution (GMCR)
 *
 * The model (docs/gmcr.md)
 *
 * A conflict has decision makers (DMs) and binary options, each option
 * controlled by one DM. A state says, for every option, whether it is taken
 * (Y) or not (N); option k is bit k of the state's decimal code. Some states
 * are infeasible. Feasible states are numbered 1..N in increasing decimal
 * order ("ordinals", the numbering GMCR+ prints).
 *
 * A DM moves in one step from a feasible state to another feasible state that
 * differs only in options it controls (any number of them at once), except
 * that an irreversible option may change only in its allowed direction, and a
 * DM never moves into or out of a state it misperceives. A move is a
 * unilateral improvement (UI) when the mover strictly prefers where it lands.
 * Each DM's preference is a total preorder over the feasible states (ties
 * allowed), given by option prioritisation or by an explicit ranking.
 *
 * Stability of state s for DM i (textbook definitions, Fang, Hipel & Kilgour
 * 1993). "Sanction" of a UI s1 of i: a state s2 reachable from s1 by the other
 * DMs that i does not prefer to s (s2 <=_i s).
 *   Nash  i has no UI from s.
 *   GMR   every UI of i is sanctioned by some sequence of moves of the others.
 *   SMR   every UI of i is sanctioned by a sequence of moves of the others
 *         after which no move of i reaches a state it prefers to s.
 *   SEQ   every UI of i is sanctioned by a sequence of UIs of the others.
 *   SIM   every UI of i is sanctioned when the others simultaneously take UIs
 *         from s (each other DM takes one of its UIs or stays).
 *   SEQSIM  s is SEQ-stable or SIM-stable for i (GMCR II / GMCR+ convention).
 * An equilibrium under a concept is a state stable for every DM (or every
 * coalition, when a partition into coalitions is analysed).
 *
 * Sanction sequences ("semantics"; they differ only with 3 or more DMs):
 *   PL_GMCR_CLOSURE         textbook: any sequence of moves by the others, a DM
 *                           may move several times but never twice in a row.
 *   PL_GMCR_CHAIN_DISTINCT  each other DM moves at most once (GMCR+ since 2016).
 *   PL_GMCR_SINGLE          one move by one other DM (GMCR+ before 2016).
 * ------------------------------------------------------------------------- */

/* Analyses are exhaustive over the 2^n option combinations: at most this many
 * options. */
#define PL_GMCR_MAX_OPTIONS 26
#define PL_GMCR_MAX_DMS 16

typedef struct pl_conflict pl_conflict;

/* Read a conflict from a JSON file: the plain gmcr-json/1 form (format in
 * docs/gmcr.md) or a GMCR+ save file (.gmcr, as written by gmcr-py). The kind
 * is recognised from the content. Errors name file, line and column. */
pl_status pl_conflict_load_json(const char *path, pl_conflict **out, pl_diag *diag);
pl_status pl_conflict_load_json_buffer(const char *name, const char *data, size_t len,
                                       pl_conflict **out, pl_diag *diag);

/* The conflict described by a scenario's `conflict:` section, as a handle of
 * its own (independent of sc afterwards). PL_E_NOTFOUND when the scenario has
 * no such section. */
pl_status pl_scenario_conflict(const pl_scenario *sc, pl_conflict **out, pl_diag *diag);

void pl_conflict_free(pl_conflict *c);

typedef enum pl_gmcr_direction {
    PL_GMCR_BOTH = 0,      /* reversible */
    PL_GMCR_N_TO_Y = 1,    /* once taken, never withdrawn */
    PL_GMCR_Y_TO_N = 2     /* once dropped, never re-taken */
} pl_gmcr_direction;

typedef struct pl_conflict_info {
    const char *name;
    const char *source;     /* "" when unknown */
    size_t n_options, n_dms;
    size_t n_states;        /* feasible states */
    long status_quo;        /* ordinal (1-based) or -1 when none is given */
    size_t n_coalitions;    /* 0: every DM on its own */
} pl_conflict_info;

void pl_conflict_get_info(const pl_conflict *c, pl_conflict_info *out);

typedef struct pl_gmcr_option_info {
    const char *id;         /* identifier (parley) or a name-derived one (imports) */
    const char *name;
    size_t dm;              /* controller */
    pl_gmcr_direction direction;
} pl_gmcr_option_info;

typedef struct pl_gmcr_dm_info {
    const char *id;         /* actor id for scenarios */
    const char *name;
    size_t n_options;
    size_t n_evidence;      /* evidence ids its preferences cite */
    const char *const *evidence;
} pl_gmcr_dm_info;

pl_status pl_conflict_option(const pl_conflict *c, size_t k, pl_gmcr_option_info *out);
pl_status pl_conflict_dm(const pl_conflict *c, size_t i, pl_gmcr_dm_info *out);

/* The decimal code of feasible state `ordinal` (1..n_states), and its Y/N
 * string (n_options + 1 bytes written to buf). */
pl_status pl_conflict_state(const pl_conflict *c, size_t ordinal, uint32_t *decimal, char *buf,
                            size_t bufsize);
/* Ordinal of a decimal code, or -1 when the state is infeasible/out of range. */
long pl_conflict_find_state(const pl_conflict *c, uint32_t decimal);
/* DM i's preference level of a state: higher is more preferred, equal is
 * equally preferred. */
uint32_t pl_conflict_payoff(const pl_conflict *c, size_t dm, size_t ordinal);
/* Coalition k's members as a bitmask of DM indices (bit i = DM i). */
uint32_t pl_conflict_coalition(const pl_conflict *c, size_t k);

/* Replace the conflict's coalition partition: n groups, each a bitmask of DM
 * indices; together they must cover every DM exactly once. n = 0 removes it. */
pl_status pl_conflict_set_coalitions(pl_conflict *c, const uint32_t *groups, size_t n,
                                     pl_diag *diag);

/* The conflict as a parley scenario (YAML text, format version 1) with a
 * `conflict:` section: what `parley import gmcr` writes. Caller frees. */
pl_status pl_conflict_to_yaml(const pl_conflict *c, char **yaml, pl_diag *diag);

/* The conflict in the plain gmcr-json/1 form. Caller frees. */
pl_status pl_conflict_to_json(const pl_conflict *c, char **json, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Stability analysis
 * ------------------------------------------------------------------------- */

typedef enum pl_gmcr_concept {
    PL_GMCR_NASH = 0,
    PL_GMCR_GMR = 1,
    PL_GMCR_SMR = 2,
    PL_GMCR_SEQ = 3,
    PL_GMCR_SIM = 4,
    PL_GMCR_SEQSIM = 5,
    PL_GMCR_N_CONCEPTS = 6
} pl_gmcr_concept;

/* "nash", "gmr", "smr", "seq", "sim", "seqsim". */
const char *pl_gmcr_concept_name(pl_gmcr_concept k);
/* The concept named (case-insensitive; "seq&sim" accepted), or -1. */
int pl_gmcr_concept_find(const char *name);

typedef enum pl_gmcr_semantics {
    PL_GMCR_CLOSURE = 0,
    PL_GMCR_CHAIN_DISTINCT = 1,
    PL_GMCR_SINGLE = 2
} pl_gmcr_semantics;

/* "closure", "chain-distinct", "single". */
const char *pl_gmcr_semantics_name(pl_gmcr_semantics s);

typedef struct pl_gmcr_opts {
    unsigned concepts;          /* bit k = concept k; 0 means all six */
    pl_gmcr_semantics semantics;
    int gmcrplus_sim;           /* 1: GMCR+'s SIM, reproducing its defect (after the
                                   first UI it tries only the opponent combinations
                                   left over by earlier UIs); small conflicts only */
    int use_coalitions;         /* 1: analyse the conflict's coalition partition */
    int threads;                /* 0: one per online CPU, capped at 8; results never
                                   depend on it */
} pl_gmcr_opts;

/* Defaults: all concepts, closure semantics, no GMCR+ quirks, coalitions off. */
void pl_gmcr_opts_init(pl_gmcr_opts *o);

typedef struct pl_stability pl_stability;

/* Analyse every feasible state for every DM (or coalition) under the selected
 * concepts. The conflict must stay alive and unmodified while the result is
 * used. With coalitions, and for gmcrplus_sim, the conflict may have at most
 * 4,096 feasible states. */
pl_status pl_stability_analyse(const pl_conflict *c, const pl_gmcr_opts *o, pl_stability **out,
                               pl_diag *diag);
void pl_stability_free(pl_stability *st);

/* The units analysed: DMs, or coalitions when use_coalitions was set. */
size_t pl_stability_unit_count(const pl_stability *st);
/* A unit's name ("US", or "US+UK" for a coalition); owned by st. */
const char *pl_stability_unit_name(const pl_stability *st, size_t u);
/* 1 when the concept was computed. */
int pl_stability_has(const pl_stability *st, pl_gmcr_concept k);
/* 1 when `ordinal` is stable for unit u under k; -1 when k was not computed or
 * an argument is out of range. */
int pl_stability_is_stable(const pl_stability *st, pl_gmcr_concept k, size_t u, size_t ordinal);
/* Number of equilibria under k; when ords is not NULL, *ords receives them
 * (ordinals, increasing; caller frees with pl_free). */
size_t pl_stability_equilibria(const pl_stability *st, pl_gmcr_concept k, size_t **ords);

/* The results object of the gmcr-json/1 results format (conflict, tool,
 * semantics, states, stable, equilibria), as compact-free indented JSON with
 * sorted keys. Caller frees. */
pl_status pl_stability_to_json(const pl_stability *st, char **json, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Explanations and paths
 * ------------------------------------------------------------------------- */

/* One improvement of a unit from a state and what deters it. */
typedef struct pl_gmcr_step {
    size_t unit;        /* who moves (unit index; for SIM combos, one of the movers) */
    size_t to;          /* the state reached (ordinal) */
} pl_gmcr_step;

typedef struct pl_gmcr_ui {
    size_t to;                  /* the unilateral improvement (ordinal) */
    int sanctioned;             /* 1: deterred */
    size_t n_steps;             /* the sanction: opponents' moves from `to` */
    const pl_gmcr_step *steps;  /* (for SIM: the simultaneous moves from the state) */
    size_t sanction_state;      /* where the sanction ends (ordinal), 0 when none */
} pl_gmcr_ui;

typedef struct pl_gmcr_explanation pl_gmcr_explanation;

/* Why `ordinal` is (not) stable for unit u under concept k: every UI of u from
 * the state and, for each, the sanction found (the first in breadth-first
 * order) or none. For SEQSIM the SEQ explanation is given when the state is
 * SEQ-stable, else the SIM one. */
pl_status pl_stability_explain(const pl_stability *st, pl_gmcr_concept k, size_t u,
                               size_t ordinal, pl_gmcr_explanation **out, pl_diag *diag);
void pl_gmcr_explanation_free(pl_gmcr_explanation *ex);
int pl_gmcr_explanation_stable(const pl_gmcr_explanation *ex);
size_t pl_gmcr_explanation_count(const pl_gmcr_explanation *ex);
const pl_gmcr_ui *pl_gmcr_explanation_ui(const pl_gmcr_explanation *ex, size_t j);
/* One paragraph of English ("From state 3 (NYN), US can improve to 4 ..."),
 * owned by ex. */
const char *pl_gmcr_explanation_text(const pl_gmcr_explanation *ex);

/* The shortest path of unilateral improvements (each step a UI for its mover,
 * ties broken by lowest unit, then lowest ordinal) from state `from` to state
 * `to`. *steps receives n_steps steps (caller frees); *n_steps = 0 and
 * PL_E_NOTFOUND when `to` cannot be reached that way. */
pl_status pl_stability_path(const pl_stability *st, size_t from, size_t to, pl_gmcr_step **steps,
                            size_t *n_steps);

/* parley's full report as JSON: the results object of pl_stability_to_json
 * plus "options", "decision_makers" (names, evidence), "status_quo" (ordinal
 * or null), "explanations" (for each state in explain[0..n_explain), each
 * unit and each computed concept: {"state", "unit", "concept", "stable",
 * "improvements": [{"to", "sanctioned", "sanction": [{"by", "to"}],
 * "lands_in"}], "text"}) and, when paths_from >= 1, "paths" from that state
 * to every equilibrium of every computed concept ({"to", "steps": [{"by",
 * "to"}]} or "reachable": false). Keys documented in docs/gmcr.md. */
pl_status pl_stability_report_json(const pl_stability *st, const size_t *explain,
                                   size_t n_explain, long paths_from, char **json,
                                   pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Coalitions
 * ------------------------------------------------------------------------- */

/* Search the partitions of the DMs into coalitions (at most 8 DMs and 4,096
 * feasible states): for each partition, the equilibria under concept k when
 * the coalitions act as units. Returns a JSON array of
 *   {"partition": [["US","UK"],["RU"]], "equilibria": [3, 7]}
 * in the canonical order of partitions. Caller frees. */
pl_status pl_gmcr_coalition_search(const pl_conflict *c, const pl_gmcr_opts *o,
                                   pl_gmcr_concept k, char **json, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Importers: GENIUS
 * ------------------------------------------------------------------------- */

/* How GENIUS evaluations become parley scores (docs/genius.md).
 *
 * PL_GENIUS_SEM_GENIUS  GENIUS's own reading: each discrete evaluation is
 *                       divided by the largest evaluation in its issue (the
 *                       best item scores 100); the reservation value x 100 is
 *                       the disagreement point.
 * PL_GENIUS_SEM_NEGMAS  NegMAS's reading: raw evaluations (x 100 when all of a
 *                       profile's evaluations lie in [0, 1], else as written);
 *                       the disagreement point is max(reservation value, the
 *                       minimum utility over the whole outcome space). */
typedef enum pl_genius_semantics {
    PL_GENIUS_SEM_GENIUS = 0,
    PL_GENIUS_SEM_NEGMAS = 1
} pl_genius_semantics;

/* One input held in memory. name is used in diagnostics and, stripped of its
 * directories, in the scenario (ids, titles); data need not be NUL-terminated
 * and is not retained. */
typedef struct pl_genius_input {
    const char *name;
    const char *data;
    size_t len;
} pl_genius_input;

/* Convert a GENIUS domain (DOMAIN.xml: a <negotiation_template> or a bare
 * <utility_space>) and n_profiles >= 1 utility profiles of it into a parley
 * scenario in YAML (docs/format.md): one issue per GENIUS issue, one party
 * with a veto per profile. On success *yaml is a NUL-terminated string the
 * caller frees with pl_free(); the text depends only on the inputs' bytes,
 * their file names (not directories) and the semantics, so the same inputs
 * always give the same bytes, and it always loads with pl_scenario_load_*.
 * On failure *yaml is NULL and diag names the input file, line and column
 * (column 1 where the place is known only to the line). Errors: PL_E_INPUT
 * (malformed XML, a profile that does not fit the domain, a weight or
 * evaluation that is not a non-negative number, ...), PL_E_IO (a file cannot
 * be read), PL_E_NOMEM, PL_E_ARG. libxml2 is used with network access and
 * entity substitution off and never prints. */
pl_status pl_import_genius(const char *domain_path, const char *const *profile_paths,
                           size_t n_profiles, pl_genius_semantics semantics, char **yaml,
                           pl_diag *diag);

/* The same from memory (also the fuzzing entry point). */
pl_status pl_import_genius_buffers(const pl_genius_input *domain,
                                   const pl_genius_input *profiles, size_t n_profiles,
                                   pl_genius_semantics semantics, char **yaml,
                                   pl_diag *diag);

/* ---------------------------------------------------------------------------
 * The HTML report
 * ------------------------------------------------------------------------- */

typedef struct pl_report_options {
    const char *title;   /* NULL: the scenario's name */
    int timeline;        /* 1: the ZOPA count and Nash package along the timeline
                            (re-runs the agreement space once per event: the
                            slowest part on large scenarios). Default 1 */
    int pareto;          /* 1: the Pareto frontier in the utility-space charts.
                            Default 1 */
    size_t max_points;   /* most packages drawn per scatter panel (default 400) */
    int threads;         /* worker threads for the agreement space, the simulation
                            and the stability analysis (0 = 2; never changes
                            the document) */
    int war;             /* 1: with a `war:` section, the fan chart (pl_simulate_json)
                            and the tornado chart (pl_sensitivity_json). Default 1 */
    long runs;           /* Monte Carlo runs of the fan chart (default 200) */
    long tornado_runs;   /* runs per end of each uncertain number in the tornado
                            (default 50; its cost is 2 x numbers x tornado_runs) */
    uint64_t seed;       /* random seed of both (default 1) */
    int gmcr;            /* 1: with a `conflict:` section, the GMCR state graph
                            with its equilibria. Default 1 */
    size_t max_states;   /* most states drawn in that graph (default 24); above
                            it only the status quo, the equilibria and the
                            improvement paths from the status quo are drawn */
} pl_report_options;

void pl_report_options_init(pl_report_options *opts);

/* One self-contained HTML5 document (inline CSS and SVG, no scripts, no
 * network) describing the selected state of sc: the acceptability matrix
 * (proposals x actors, coloured by margin, reasons in tooltips), the proposals
 * and the Pareto frontier in utility space (one scatter per pair of veto
 * actors, and parallel coordinates), the ZOPA count and Nash package along the
 * timeline; with a `war:` section the probability of a lasting deal by month
 * (fan chart) and the tornado chart; with a `conflict:` section the GMCR state
 * graph with the equilibria of each concept; the bridges and the evidence
 * cited. A simulation or stability analysis that fails is reported in its
 * section, not as an error of the whole report. The document is well-formed
 * XML (polyglot HTML), so it can be checked with an XML parser.
 * Deterministic: the same scenario and options give the same bytes, whatever
 * the number of threads. Caller frees *html with pl_free. The scenario's as-of
 * selection is left as it was. */
pl_status pl_report_html(pl_scenario *sc, const pl_report_options *opts, char **html,
                         pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Live editing (src/edit/edit.c)
 *
 * An edit changes one number *as written in the file*: the number that the
 * selected (as-of) state reads. So an edit survives pl_scenario_set_as_of() and
 * is seen by pl_timeline_json(); when an event later overrides the edited
 * number, the event wins, exactly as if the file had been changed by hand.
 * pl_scenario_write_yaml() writes these edits back into the original text.
 * These functions modify sc (see Threads in parley.h).
 * ------------------------------------------------------------------------- */

/* Set actor's reservation value (central value; a distribution becomes this
 * plain number, its citation kept). PL_E_NOTFOUND when the actor has no
 * reservation written; PL_E_ARG for a bad index or a non-finite value. */
pl_status pl_scenario_set_reservation(pl_scenario *sc, size_t actor, double value,
                                      pl_diag *diag);

/* Set actor's raw weight on issue (before normalisation; >= 0). Only a weight
 * that is written in the file can be changed (PL_E_NOTFOUND otherwise). When
 * every weight of the actor would be 0, PL_E_INPUT and nothing changes. */
pl_status pl_scenario_set_weight(pl_scenario *sc, size_t actor, size_t issue, double raw,
                                 pl_diag *diag);

/* The raw weight (as written, before normalisation) the selected state reads;
 * 0 when none is written. */
double pl_scenario_weight_raw(const pl_scenario *sc, size_t actor, size_t issue);

/* Switch red line k of actor on or off. k counts every red line of the actor
 * in the selected state, active or not (pl_scenario_red_line_all_count); it is
 * switched by setting its credence to 1 (on) or 0 (off). */
pl_status pl_scenario_set_red_line_active(pl_scenario *sc, size_t actor, size_t k, int on,
                                          pl_diag *diag);
/* Red lines of actor in the selected state, inactive ones included. */
size_t pl_scenario_red_line_all_count(const pl_scenario *sc, size_t actor);
pl_status pl_scenario_red_line_all(const pl_scenario *sc, size_t actor, size_t k,
                                   pl_rule_info *out);

/* The scenario as YAML: src (len bytes) must be the text sc was loaded from
 * (checked by hash: PL_E_ARG otherwise); every number changed by the functions
 * above is rewritten in place, everything else (comments, order, lens
 * sections) is kept byte for byte. Loading the result gives the same model.
 * Caller frees *yaml with pl_free. */
pl_status pl_scenario_write_yaml(const pl_scenario *sc, const char *src, size_t len,
                                 char **yaml, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Bargaining while fighting: simulation, robustness, sensitivity, the
 * sequencing game (docs/simulate.md)
 *
 * Reproducibility. Every Monte Carlo run r draws from its own random stream,
 * seeded from (seed, r) alone, and results are merged in run order: the same
 * input and seed give the same bytes whatever the number of threads or
 * processes. A run range [first, first + count) computed anywhere yields the
 * same per-run records as the same runs computed in one call, so runs can be
 * split over MPI ranks and gathered (pl_sim_records_*).
 *
 * Sampling. Each run draws every uncertain number of the scenario (uniform,
 * triangular, normal truncated to [low, high], discrete) once, in pool order;
 * the credence of a red line or constraint becomes a coin: the rule is in force
 * in that run with probability credence. The scenario itself is never
 * modified: each thread evaluates a private view of it.
 * -------------------------------------------------------------------------
 * ------------------------------------------------------------------------- */

typedef struct pl_sim_options {
    long runs;         /* Monte Carlo runs, >= 1 (default 1000) */
    uint64_t seed;     /* default 1 */
    int threads;       /* 1..64, 0 = 1; never changes results */
    int horizon;       /* simulate: months, >= 1; 0 = the war section's horizon */
} pl_sim_options;

void pl_sim_options_init(pl_sim_options *o);

/* --- robust: the static question ----------------------------------------- */

/* Sample only the scenario's uncertain numbers, runs times, and for each run
 * recompute the ZOPA (non-empty?), evaluate every proposal on the table for
 * every actor (accepted?), and test whether each proposal's package lies on
 * the Pareto frontier of the ZOPA (never, in a run whose ZOPA is empty).
 * JSON (sorted keys):
 *   {"runs", "seed", "scenario", "zopa_nonempty": {"p", "se"},
 *    "zopa_count": {"mean", "p10", "p50", "p90"},
 *    "proposals": {ID: {"agreed": p, "pareto": p, "accept": {ACTOR: p}}},
 *    "nash": [{"package": {ISSUE: OPTION}, "p"}]   (most frequent first, <= 5),
 *    "failed_runs": n}
 * A run whose sample is invalid (all of an actor's weights drawn as zero)
 * counts in failed_runs and in no probability's denominator. */
pl_status pl_robust_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
                         pl_diag *diag);

/* --- simulate: bargaining while fighting ---------------------------------- */

/* The scenario's `war:` section is required (PL_E_INPUT otherwise). */
int pl_scenario_has_war(const pl_scenario *sc);

/* Per-run records of runs [first, first + count): an opaque, position-
 * independent byte string (little-endian fixed-size records) so that ranks
 * can exchange them. pl_sim_record_size() is the size of one run's record. */
size_t pl_sim_record_size(const pl_scenario *sc);
pl_status pl_sim_run_range(const pl_scenario *sc, const pl_sim_options *o, long first,
                           long count, unsigned char *records, pl_diag *diag);

/* The summary of o->runs records (all runs, in run order) as JSON:
 *   {"runs", "seed", "horizon", "scenario",
 *    "deal_by_month": [P(lasting deal signed by the end of month m), m = 1..H],
 *    "p_deal", "month_of_deal": {"mean", "p10", "p50", "p90"} (over deals),
 *    "terms": {ISSUE: {OPTION: share of deals}},
 *    "control_at_deal": {FRONT: {"mean", "p10", "p50", "p90"}},
 *    "control_at_horizon": {FRONT: {...}},
 *    "cost_at_deal": {ACTOR: {"mean", "p50"}},
 *    "collapse": {"p_any", "mean", "by_cause": {"rejected_referendum", "reneged"}},
 *    "sequencing": {ID: {"held": p, "used": bool}}} */
pl_status pl_sim_summary_json(const pl_scenario *sc, const pl_sim_options *o,
                              const unsigned char *records, char **json, pl_diag *diag);

/* Convenience: run all o->runs runs with o->threads threads and summarise. */
pl_status pl_simulate_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
                           pl_diag *diag);

/* A cache of what the monthly Nash search keeps between months and runs
 * (per sample of the veto actors' preferences and red lines, the packages
 * that can be the Nash package: docs/simulate.md, "How a month stays
 * cheap"), kept across calls and shared between processes. It never changes
 * a result, only how long the runs take: pl_sim_cache_run_range gives the
 * records pl_sim_run_range gives.
 *
 * pl_sim_run_range builds what it needs as it goes, and forgets it at the
 * end of the call: a simulation computed in chunks (for a progress bar, say)
 * should run them on one cache. A cache also lets parts of one simulation
 * (MPI ranks) split the building instead of each doing all of it: every
 * part calls pl_sim_cache_prepare(c, part, parts), which probes the same
 * runs (a fiftieth of o->runs, 512 to 4,096, never more than o->runs) and
 * builds every parts-th of what will pay for o->runs runs; each part then
 * exports its share and imports everyone else's before its runs. Without a
 * prepare, a cache builds as its runs go, like pl_sim_run_range. The cache
 * refers to sc, which must outlive it and must not change meanwhile; o is
 * copied. pl_sim_cache_free(NULL) is a no-op. Not to be used by two threads
 * at once (o->threads threads work inside each call). */
typedef struct pl_sim_cache pl_sim_cache;
pl_status pl_sim_cache_new(const pl_scenario *sc, const pl_sim_options *o, pl_sim_cache **out,
                           pl_diag *diag);
void pl_sim_cache_free(pl_sim_cache *c);
pl_status pl_sim_cache_prepare(pl_sim_cache *c, int part, int parts, pl_diag *diag);
/* The same with the share taken as it goes, so that faster parts build more:
 * the frontiers to build form a numbered list (from 0, the same in every
 * part, since every part probes the same runs), and the part builds item
 * claim(arg) for as long as that is a number on the list; a negative number
 * or one past the end stops it. claim is called from the o->threads
 * threads at once, so it must be thread-safe; parts that draw from one
 * shared counter (cli/sim_mpi.c: MPI ranks on one machine) between them
 * build each item once. pl_sim_cache_prepare(c, part, parts) claims part,
 * part + parts, part + 2 parts, ... */
typedef long (*pl_sim_claim_fn)(void *arg);
pl_status pl_sim_cache_prepare_claimed(pl_sim_cache *c, pl_sim_claim_fn claim, void *arg,
                                       pl_diag *diag);
/* Everything the cache holds as bytes (caller frees *bytes with pl_free), in
 * the machine's byte order, for processes of the same parley build; and back:
 * import checks the whole input before it adds anything (PL_E_INPUT, with the
 * byte offset in the message, for bytes that are not such a cache of this
 * scenario file, or that are malformed) and skips what the cache has. */
pl_status pl_sim_cache_export(pl_sim_cache *c, unsigned char **bytes, size_t *len,
                              pl_diag *diag);
pl_status pl_sim_cache_import(pl_sim_cache *c, const unsigned char *bytes, size_t len,
                              pl_diag *diag);
/* pl_sim_run_range over the cache's scenario and options. */
pl_status pl_sim_cache_run_range(pl_sim_cache *c, long first, long count,
                                 unsigned char *records, pl_diag *diag);

/* --- sensitivity: the tornado ---------------------------------------------- */

/* For each uncertain number, set it to its low and then its high value (the
 * others at their central values; discrete: smallest and largest alternative)
 * and recompute the headline results: ZOPA size and whether the Nash package
 * changes; with a war section, also the probability of a deal within 12
 * months and within the horizon (o->runs runs over the whole horizon, common
 * random numbers). Ranked by the larger swing of the two probabilities (with
 * a war section) or of log10(1 + ZOPA size).
 * JSON: {"base": {"zopa", "nash", "deal12", "deal_horizon"}, "horizon",
 *        "runs", "seed", "scenario", "rows": [{"path", "at", "low", "high",
 *        "zopa_low", "zopa_high", "nash_changes", "deal12_low", "deal12_high",
 *        "deal_horizon_low", "deal_horizon_high", "swing"}]} */
pl_status pl_sensitivity_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
                              pl_diag *diag);

/* --- game: the sequencing question as alternating offers ----------------- */

typedef struct pl_game_options {
    int rounds;        /* T, 1..1000 (default 12); one round = one month */
    int offers;        /* candidate packages: the top K of the ZOPA by Nash (default 10) */
    double breakdown;  /* probability that talks break down after a rejection (0.05) */
} pl_game_options;

void pl_game_options_init(pl_game_options *o);

/* The veto actors with preferences propose in turn (file order), the others
 * accept or reject; agreement on x at round t (0-based) pays u_a(x) - t c_a,
 * breakdown after a rejection at t pays res_a - (t + 1) c_a, no agreement
 * after T rounds res_a - T c_a (c_a: the war section's monthly cost, central
 * value; 0 without a war section). When the war section names sequencings,
 * an offer is (package, sequencing): a late mover (not in the sequencing's
 * `first`) whose cherry-picked package (each issue at the status quo where it
 * prefers that) beats complying by more than its reneging cost reneges, and
 * each actor fails with its renege probability; agreement then pays the
 * expectation (docs/simulate.md, "game"). Solved exactly by backward
 * induction (O(T K S n)); a responder indifferent accepts; ties go to the
 * better-ranked candidate, then the earlier sequencing. JSON (sorted keys):
 * {"players", "rounds", "candidates", "breakdown", "scenario",
 *  "equilibrium": {"round" (1-based or null), "proposer", "package", "rank",
 *    "sequencing" (or null), "p_holds", "self_enforcing", "reneger" (or null),
 *    "implemented", "payoffs": {ACTOR: expected value at the start}},
 *  "tested_rank", "tested_package" (the equilibrium's, else candidate 1),
 *  "sequencings": [{"id", "first", "p_holds", "self_enforcing", "reneger",
 *    "late_movers": {ACTOR: {"gain", "package"}},
 *    "payoffs_if_agreed": {ACTOR: expected payoff of agreeing in round 1},
 *    "alone": {as "equilibrium", with only this sequencing allowed}}]}. */
pl_status pl_game_json(const pl_scenario *sc, const pl_game_options *o, char **json,
                       pl_diag *diag);

/* The same game as a Gambit extensive-form file (.efg, format version 2),
 * for exactly two veto actors and at most 100,000 offer paths ((K S)^T):
 * after an acceptance, a chance node for the non-strategic failures and, when
 * the sequencing is not self-enforcing, the reneger's comply/renege node. */
pl_status pl_game_efg(const pl_scenario *sc, const pl_game_options *o, char **efg,
                      pl_diag *diag);

/* ---------------------------------------------------------------------------
 * JSON output (stable, documented keys; sorted; numbers that round-trip)
 * ------------------------------------------------------------------------- */

/* The evaluation as a JSON object {"proposals": [...], ...}; keys documented in
 * docs/json.md. *json is NUL-terminated; the caller frees it with pl_free. */
pl_status pl_evaluation_to_json(const pl_scenario *sc, const pl_evaluation *ev,
                                char **json, pl_diag *diag);

/* The (as-of selected) scenario as a JSON object: what `parley show --json`
 * prints. Caller frees with pl_free. */
pl_status pl_scenario_to_json(const pl_scenario *sc, char **json, pl_diag *diag);

/* ---------------------------------------------------------------------------
 * Traceability
 * ------------------------------------------------------------------------- */

/* Numbers anywhere in the file (base model and timeline) and red lines or
 * constraints that cite no evidence and carry no assumption,
 * as a list of "path (FILE:LINE:COL)" strings, one per line, "" when none.
 * What `parley check --strict` reports. Caller frees with pl_free. */
pl_status pl_scenario_uncited(const pl_scenario *sc, char **report, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_H */
