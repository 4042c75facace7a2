/* The parley command-line tool. It uses only the public header: everything it
 * shows comes through the same API an embedding program would use. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "parley.h"

enum { EXIT_OK = 0, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

/* Output is built in memory and written only when the command succeeds, so a
 * failure never leaves half an answer on stdout or in an -o file. */
typedef struct out {
    char *s;
    size_t len, cap;
    int oom;
    int color; /* ANSI colours allowed */
} out;

void out_printf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_puts(out *o, const char *s);
/* s as a JSON string literal, escaped. */
void out_json_string(out *o, const char *s);
void out_free(out *o);
/* Write to path atomically (temp file + rename), or to stdout when path is
 * NULL or "-". Returns an exit code. */
int out_commit(out *o, const char *path);
/* Called by out_commit with the result about to be written (set by the run
 * store, cli/run_store.c); NULL when no run is being recorded. */
extern void (*cli_out_hook)(const char *s, size_t len);

const char *c_on(const out *o, const char *code);
const char *c_off(const out *o);

/* Options shared by every command that reads a scenario, and the extras a
 * command may allow (X_* flags to cli_parse). */
typedef struct common_opts {
    const char *file;   /* NULL: the bundled reference scenario */
    const char *as_of;
    const char *output;
    int json;
    int help;
    int strict;           /* X_STRICT */
    const char *proposal; /* X_PROPOSAL */
    long top;             /* X_TOP; -1 when not given */
    const char *by;       /* X_BY / X_RULE */
    int weighted;         /* X_WEIGHTED */
    int threads;          /* X_THREADS; 0 when not given */
    long runs;            /* X_RUNS; -1 when not given */
    unsigned long long seed; /* X_SEED */
    int seed_given;
    int horizon;          /* X_HORIZON, months; 0 when not given */
    int mpi;              /* X_MPI */
    int rounds;           /* X_GAME: --rounds; 0 when not given */
    int offers;           /* X_GAME: --offers; 0 when not given */
    int efg;              /* X_GAME: --efg */
    int quick;            /* X_QUICK: --quick */
} common_opts;

enum {
    X_STRICT = 1 << 0,
    X_PROPOSAL = 1 << 1,
    X_TOP = 1 << 2,
    X_BY = 1 << 3,
    X_RULE = 1 << 4,
    X_WEIGHTED = 1 << 5,
    X_THREADS = 1 << 6,
    X_RUNS = 1 << 7,      /* --runs N, --seed S (simulation lens) */
    X_HORIZON = 1 << 8,   /* --horizon 24m */
    X_MPI = 1 << 9,       /* --mpi */
    X_GAME = 1 << 10,     /* --rounds T, --offers K, --efg */
    X_QUICK = 1 << 11     /* --quick (bridge: zones not counted) */
};

/* Parse argv (argv[0] is the command). Returns -1 to go on, or an exit code
 * (0 after printing help). */
int cli_parse(int argc, char **argv, const char *cmd, unsigned allowed, common_opts *o);
int cli_want_color(const common_opts *o);
/* Append json (freed) to w, or print the diagnostic; returns an exit code. */
int cli_emit_json(out *w, char *json, pl_status st, const pl_diag *d);

/* Load the scenario named in opts (or the bundled one) and select as_of.
 * On failure prints the diagnostic and returns an exit code; *sc is NULL. */
int cli_load(const common_opts *opts, pl_scenario **sc);

/* Print "FILE:LINE:COL: error: message", the line and a caret (on a tty). */
void cli_print_diag(const pl_diag *d);
int cli_exit_code(pl_status st);
/* An analysis failed: print its diagnostic, free the scenario, give the exit code. */
int cli_fail(pl_scenario *sc, pl_status st, const pl_diag *d);
/* Commit w to output when rc is EXIT_OK, free it, and return the exit code. */
int cli_finish(out *w, const char *output, int rc);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_stability(int argc, char **argv);   /* cli/cmd_stability.c (GMCR lens) */
int cmd_forecast(int argc, char **argv);    /* cli/cmd_forecast.c (SMP lens) */
int cmd_import(int argc, char **argv);      /* cli/cmd_import.c: dispatcher */
int cmd_import_gmcr(int argc, char **argv); /* cli/cmd_import_gmcr.c */
int cmd_import_ktab(int argc, char **argv); /* cli/cmd_import_ktab.c */
int cmd_import_genius(int argc, char **argv); /* cli/cmd_import_genius.c */
int cmd_zopa(int argc, char **argv);        /* cli/cmd_space.c */
int cmd_pareto(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_bridge(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_simulate(int argc, char **argv);    /* cli/cmd_sim.c (simulation lens) */
int cmd_robust(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_game(int argc, char **argv);

/* Help texts defined next to each command. */
extern const char ZOPA_HELP[], PARETO_HELP[], SOLVE_HELP[], BRIDGE_HELP[], TIMELINE_HELP[];
extern const char SIMULATE_HELP[], ROBUST_HELP[], SENSITIVITY_HELP[], GAME_HELP[];
extern const char STABILITY_HELP[], FORECAST_HELP[], IMPORT_HELP[], IMPORT_GMCR_HELP[],
    IMPORT_KTAB_HELP[], IMPORT_GENIUS_HELP[];

/* Help texts, one per command; NULL for unknown commands. */
const char *cli_help_text(const char *command);

extern const char pl_cli_reference_scenario[];
extern const size_t pl_cli_reference_scenario_len;
#define CLI_REFERENCE_NAME "donbas-2025.yaml (bundled)"

#endif
