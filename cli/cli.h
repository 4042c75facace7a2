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
void out_free(out *o);
/* Write to path atomically (temp file + rename), or to stdout when path is
 * NULL or "-". Returns an exit code. */
int out_commit(out *o, const char *path);

const char *c_on(const out *o, const char *code);
const char *c_off(const out *o);

/* Options shared by every command that reads a scenario. */
typedef struct common_opts {
    const char *file;   /* NULL: the bundled reference scenario */
    const char *as_of;
    const char *output;
    int json;
    int help;
} common_opts;

/* Load the scenario named in opts (or the bundled one) and select as_of.
 * On failure prints the diagnostic and returns an exit code; *sc is NULL. */
int cli_load(const common_opts *opts, pl_scenario **sc);

/* Print "FILE:LINE:COL: error: message", the line and a caret (on a tty). */
void cli_print_diag(const pl_diag *d);
int cli_exit_code(pl_status st);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_stability(int argc, char **argv);   /* cli/cmd_stability.c (GMCR lens) */
int cmd_forecast(int argc, char **argv);    /* cli/cmd_forecast.c (SMP lens) */
int cmd_import(int argc, char **argv);      /* cli/cmd_import.c: dispatcher */
int cmd_import_gmcr(int argc, char **argv); /* cli/cmd_import_gmcr.c */
int cmd_import_ktab(int argc, char **argv); /* cli/cmd_import_ktab.c */

/* Help texts defined next to each command. */
extern const char STABILITY_HELP[], FORECAST_HELP[], IMPORT_HELP[], IMPORT_GMCR_HELP[],
    IMPORT_KTAB_HELP[];

/* Help texts, one per command; NULL for unknown commands. */
const char *cli_help_text(const char *command);

extern const char pl_cli_reference_scenario[];
extern const size_t pl_cli_reference_scenario_len;
#define CLI_REFERENCE_NAME "donbas-2025.yaml (bundled)"

#endif
