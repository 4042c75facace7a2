/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run store: every analysis run of the CLI is kept in an SQLite database
 * (issue #7; docs/runs.md in docs/api.md's sibling, see `parley help runs`).
 *
 * It lives in the CLI, not in libparley: the library stays free of SQLite and
 * of files it did not ask for. A run is recorded in two transactions: the
 * row is inserted as 'running' before the analysis starts and completed (with
 * its result, exit code and timings) after. Killing parley in between leaves
 * a consistent database (WAL journal) with that run still 'running', which
 * `parley runs` reports as incomplete.
 *
 * The store never makes an analysis fail: when the default database cannot
 * be opened the run is simply not recorded (silently, so scripts reading
 * stderr see nothing new). With an explicit --db, failures are reported.
 */
#include "run_store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " started TEXT NOT NULL,"          /* UTC, ISO 8601 */
    " finished TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('running','complete','failed')),"
    " command TEXT NOT NULL,"
    " args TEXT NOT NULL,"             /* the argument vector, tab-separated */
    " scenario TEXT,"                  /* the file named, or '' for the bundled one */
    " scenario_hash TEXT,"             /* FNV-1a of its bytes, as parley prints it */
    " as_of TEXT,"
    " seed TEXT,"
    " version TEXT NOT NULL,"
    " pid INTEGER NOT NULL,"
    " exit_code INTEGER,"
    " wall_ms REAL,"
    " cpu_ms REAL,"
    " result TEXT"                     /* what the command wrote (stdout or -o) */
    ");"
    "CREATE INDEX IF NOT EXISTS runs_hash ON runs(scenario_hash);";

static sqlite3 *g_db;
static sqlite3_int64 g_run = -1;
static char *g_result;
static size_t g_result_len;
static struct timespec g_t0;
static clock_t g_c0;

static void capture(const char *s, size_t len)
{
    /* A command may commit more than once; the store keeps the last. */
    char *c = malloc(len + 1);
    if (!c)
        return;
    memcpy(c, s, len);
    c[len] = '\0';
    free(g_result);
    g_result = c;
    g_result_len = len;
}

static void now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* mkdir -p for the directory part of path. */
static int make_parent(const char *path)
{
    char *d = strdup(path);
    if (!d)
        return -1;
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0700) != 0 && errno != EEXIST) {
            free(d);
            return -1;
        }
        *p = '/';
    }
    free(d);
    return 0;
}

char *run_store_default_path(void)
{
    const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char buf[4096];
    if (x && x[0] == '/')
        snprintf(buf, sizeof buf, "%s/parley/runs.db", x);
    else if (home && home[0])
        snprintf(buf, sizeof buf, "%s/.local/share/parley/runs.db", home);
    else
        return NULL;
    return strdup(buf);
}

sqlite3 *run_store_open(const char *path, int create, int verbose)
{
    if (create && make_parent(path) != 0) {
        if (verbose)
            cli_error("cannot create the directory of '%s': %s", path, strerror(errno));
        return NULL;
    }
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        if (verbose)
            cli_error("cannot open the run store '%s': %s", path,
                      db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    /* Concurrent parley processes share one store: wait for the lock. */
    sqlite3_busy_timeout(db, 5000);
    /* Each run is a short-lived connection: leave checkpointing to SQLite's
     * automatic one instead of an fsync-heavy checkpoint at every exit (the
     * WAL keeps the database consistent either way). */
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    char *err = NULL;
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL,
                     &err) != SQLITE_OK ||
        sqlite3_exec(db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        if (verbose)
            cli_error("run store '%s': %s", path, err ? err : "error");
        sqlite3_free(err);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static uint64_t fnv1a_file(const char *path, int *ok)
{
    uint64_t h = 1469598103934665603ull;
    FILE *f = fopen(path, "rb");
    *ok = f != NULL;
    if (!f)
        return 0;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ull;
        }
    fclose(f);
    return h;
}

static uint64_t fnv1a_mem(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The scenario argument: a readable file, or a name that looks like one. */
static int looks_like_file(const char *a)
{
    size_t n = strlen(a);
    return access(a, R_OK) == 0 || strchr(a, '/') ||
           (n > 5 && strcmp(a + n - 5, ".yaml") == 0) || (n > 4 && strcmp(a + n - 4, ".yml") == 0);
}

void run_store_begin(const char *db_path, int explicit_db, int argc, char **argv)
{
    g_db = run_store_open(db_path, 1, explicit_db);
    if (!g_db)
        return;
    /* What the run was: command, scenario (first argument naming a file),
     * --as-of and --seed, all read from argv so every command is covered
     * without knowing its options. */
    const char *scn = "", *as_of = NULL, *seed = NULL;
    size_t alen = 0;
    for (int k = 0; k < argc; k++)
        alen += strlen(argv[k]) + 1;
    char *args = malloc(alen + 1);
    if (!args)
        return;
    args[0] = '\0';
    for (int k = 0; k < argc; k++) {
        if (k)
            strcat(args, "\t");
        strcat(args, argv[k]);
        if (k + 1 < argc && strcmp(argv[k], "--as-of") == 0)
            as_of = argv[k + 1];
        else if (k + 1 < argc && strcmp(argv[k], "--seed") == 0)
            seed = argv[k + 1];
        else if (k >= 1 && !scn[0] && argv[k][0] != '-' && looks_like_file(argv[k]))
            scn = argv[k];
    }
    char hash[17];
    int ok;
    /* An unreadable file gets no hash (the run will fail anyway). */
    uint64_t h = scn[0] ? fnv1a_file(scn, &ok)
                        : (ok = 1, fnv1a_mem(pl_cli_reference_scenario,
                                             pl_cli_reference_scenario_len));
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)h);
    char started[32];
    now_iso(started);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(g_db,
                           "INSERT INTO runs (started, status, command, args, scenario,"
                           " scenario_hash, as_of, seed, version, pid)"
                           " VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, started, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, argc > 0 ? argv[0] : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, args, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, scn, -1, SQLITE_TRANSIENT);
        if (ok)
            sqlite3_bind_text(st, 5, hash, -1, SQLITE_TRANSIENT);
        if (as_of)
            sqlite3_bind_text(st, 6, as_of, -1, SQLITE_TRANSIENT);
        if (seed)
            sqlite3_bind_text(st, 7, seed, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, pl_version(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, (sqlite3_int64)getpid());
        if (sqlite3_step(st) == SQLITE_DONE)
            g_run = sqlite3_last_insert_rowid(g_db);
        else if (explicit_db)
            cli_error("run store: %s", sqlite3_errmsg(g_db));
    }
    sqlite3_finalize(st);
    free(args);
    if (g_run < 0) {
        sqlite3_close(g_db);
        g_db = NULL;
        return;
    }
    cli_out_hook = capture;
    clock_gettime(CLOCK_MONOTONIC, &g_t0);
    g_c0 = clock();
}

void run_store_end(int exit_code)
{
    if (!g_db)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - g_t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - g_t0.tv_nsec) / 1e6;
    double cpu = (double)(clock() - g_c0) * 1e3 / CLOCKS_PER_SEC;
    char fin[32];
    now_iso(fin);
    sqlite3_stmt *st = NULL;
    sqlite3_exec(g_db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(g_db,
                           "UPDATE runs SET finished = ?, status = ?, exit_code = ?, wall_ms = ?,"
                           " cpu_ms = ?, result = ? WHERE id = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, fin, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, exit_code == 0 ? "complete" : "failed", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, exit_code);
        sqlite3_bind_double(st, 4, wall);
        sqlite3_bind_double(st, 5, cpu);
        if (g_result)
            sqlite3_bind_text(st, 6, g_result, (int)g_result_len, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, g_run);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(g_db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(g_db);
    g_db = NULL;
    cli_out_hook = NULL;
    free(g_result);
    g_result = NULL;
}

/* Analyses whose runs are recorded; check, show, import, serve and runs
 * itself are not analyses. */
static const char *const RECORDED[] = {"evaluate", "zopa", "pareto", "solve", "bridge",
                                       "timeline", "stability", "forecast", "simulate",
                                       "robust", "sensitivity", "report"};

int run_recorded(const char *name, int (*fn)(int, char **), int argc, char **argv)
{
    int recorded = 0;
    for (size_t k = 0; k < sizeof RECORDED / sizeof RECORDED[0]; k++)
        recorded |= strcmp(name, RECORDED[k]) == 0;
    if (!recorded)
        return fn(argc, argv);
    const char *db = NULL;
    int no_db = 0, w = 1;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--no-db") == 0) {
            no_db = 1;
        } else if (strcmp(argv[k], "--db") == 0) {
            if (k + 1 >= argc) {
                cli_error("--db needs a path");
                return EXIT_INPUT;
            }
            db = argv[++k];
        } else {
            argv[w++] = argv[k];
        }
    }
    argv[w] = NULL;
    argc = w;
    char *dflt = NULL;
    if (!no_db) {
        if (!db)
            db = dflt = run_store_default_path();
        if (db)
            run_store_begin(db, dflt == NULL, argc, argv);
    }
    int rc = fn(argc, argv);
    run_store_end(rc);
    free(dflt);
    return rc;
}
