/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite run store of the CLI (cli/run_store.c, issue #7). */
#ifndef PARLEY_RUN_STORE_H
#define PARLEY_RUN_STORE_H

#include <sqlite3.h>

/* $XDG_DATA_HOME/parley/runs.db, else ~/.local/share/parley/runs.db; NULL
 * when neither is known. Caller frees. */
char *run_store_default_path(void);

/* Open (and with create, create) the store in WAL mode with its schema.
 * verbose: print why it failed. */
sqlite3 *run_store_open(const char *path, int create, int verbose);

/* Record the start of a run of argv (argv[0] is the command) as 'running';
 * run_store_end() completes it with the exit code, the timings and the
 * result the command committed. Errors are reported only with explicit_db. */
void run_store_begin(const char *db_path, int explicit_db, int argc, char **argv);
void run_store_end(int exit_code);

/* Run command name (fn) with argv, recording it when it is an analysis:
 * takes --db PATH and --no-db out of argv first. */
int run_recorded(const char *name, int (*fn)(int, char **), int argc, char **argv);

#endif
