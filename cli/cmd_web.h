/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the report, serve and runs commands (issue #7). */
#ifndef PARLEY_CMD_WEB_H
#define PARLEY_CMD_WEB_H

#include <stddef.h>

/* A command-specific option: a flag (flag != NULL) or one taking a value. */
typedef struct web_opt {
    const char *name;
    int *flag;
    const char **value;
} web_opt;

int web_take_opts(int argc, char **argv, const web_opt *spec, size_t n_spec);

extern const char REPORT_HELP[], SERVE_HELP[], RUNS_HELP[];
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_runs(int argc, char **argv);

#endif
