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
 *
 * Threads.    A scenario or a result is immutable after creation (except through
 *             functions documented as modifying it), so distinct threads may read
 *             the same handle concurrently. Functions that modify a handle need
 *             exclusive access to it.
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

/* Numbers in the selected model that cite no evidence and carry no assumption,
 * as a list of "path (FILE:LINE:COL)" strings, one per line, "" when none.
 * What `parley check --strict` reports. Caller frees with pl_free. */
pl_status pl_scenario_uncited(const pl_scenario *sc, char **report, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_H */
