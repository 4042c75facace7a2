/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parley runs list | show ID | diff ID ID: the run store (cli/run_store.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_web.h"
#include "run_store.h"

const char RUNS_HELP[] =
    "Usage: parley runs list [--limit N] [--db PATH]\n"
    "       parley runs show ID [--db PATH]\n"
    "       parley runs diff ID ID [--db PATH]\n"
    "\n"
    "Every analysis run of parley is recorded in an SQLite database (WAL mode):\n"
    "the command and its arguments, the scenario file and the hash of its\n"
    "content, --as-of, --seed, the parley version, the result it wrote, the exit\n"
    "status and the wall and CPU time. A run is inserted as 'running' before the\n"
    "analysis starts and completed after it, so a run that was killed midway is\n"
    "listed as incomplete and the database stays consistent.\n"
    "\n"
    "  list        the most recent runs (default 20), newest first\n"
    "  show ID     one run: everything recorded, then its result\n"
    "  diff ID ID  what differs between two runs: scenario, options, version,\n"
    "              and the result (for JSON results, each differing value by path)\n"
    "  --db PATH   the database (default $XDG_DATA_HOME/parley/runs.db or\n"
    "              ~/.local/share/parley/runs.db); every command accepts --db,\n"
    "              and --no-db to record nothing\n";

static const char *col(sqlite3_stmt *st, int k)
{
    const unsigned char *s = sqlite3_column_text(st, k);
    return s ? (const char *)s : "";
}

/* 'running' rows whose process is gone were killed midway. */
static const char *status_word(sqlite3_stmt *st, int k_status, int k_pid)
{
    const char *s = col(st, k_status);
    if (strcmp(s, "running") == 0) {
        long pid = (long)sqlite3_column_int64(st, k_pid);
        if (pid > 0 && pid != (long)getpid() && access("/proc/self", F_OK) == 0) {
            char p[64];
            snprintf(p, sizeof p, "/proc/%ld", pid);
            if (access(p, F_OK) == 0)
                return "running";
        }
        return "incomplete";
    }
    return s;
}

static int runs_list(sqlite3 *db, long limit)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, started, status, pid, command, scenario, scenario_hash,"
                           " as_of, wall_ms FROM runs ORDER BY id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK) {
        cli_error("run store: %s", sqlite3_errmsg(db));
        return EXIT_INTERNAL;
    }
    sqlite3_bind_int64(st, 1, limit);
    printf("%5s  %-20s  %-10s  %-10s  %-16s  %-10s  %9s  %s\n", "id", "started (UTC)", "status",
           "command", "scenario hash", "as of", "wall ms", "scenario");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *scn = col(st, 5);
        printf("%5lld  %-20s  %-10s  %-10s  %-16s  %-10s  %9.1f  %s\n",
               (long long)sqlite3_column_int64(st, 0), col(st, 1), status_word(st, 2, 3),
               col(st, 4), col(st, 6), col(st, 7)[0] ? col(st, 7) : "-",
               sqlite3_column_double(st, 8), scn[0] ? scn : "(bundled)");
    }
    sqlite3_finalize(st);
    return EXIT_OK;
}

static const char *FIELDS[] = {"id", "started", "finished", "status", "command", "args",
                               "scenario", "scenario_hash", "as_of", "seed", "version", "pid",
                               "exit_code", "wall_ms", "cpu_ms", "result"};
enum { N_FIELDS = 16, F_STATUS = 3, F_PID = 11, F_RESULT = 15 };

static sqlite3_stmt *get_run(sqlite3 *db, const char *id_s)
{
    char *end;
    long long id = strtoll(id_s, &end, 10);
    if (*end || id <= 0) {
        cli_error("a run id is a positive number, got '%s'", id_s);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, started, finished, status, command, args, scenario,"
                           " scenario_hash, as_of, seed, version, pid, exit_code, wall_ms,"
                           " cpu_ms, result FROM runs WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        cli_error("run store: %s", sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        cli_error("no run %lld in the store", id);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static const char *field(sqlite3_stmt *st, int k)
{
    return k == F_STATUS ? status_word(st, F_STATUS, F_PID) : col(st, k);
}

static int runs_show(sqlite3 *db, const char *id)
{
    sqlite3_stmt *st = get_run(db, id);
    if (!st)
        return EXIT_INPUT;
    for (int k = 0; k < F_RESULT; k++) {
        const char *v = field(st, k);
        if (k == 5) { /* args: tab-separated */
            printf("%-14s ", "args:");
            for (const char *p = v; *p; p++)
                putchar(*p == '\t' ? ' ' : *p);
            putchar('\n');
        } else {
            printf("%-14s %s\n", FIELDS[k], v[0] ? v : "-");
        }
    }
    printf("result:\n%s", col(st, F_RESULT));
    size_t n = strlen(col(st, F_RESULT));
    if (n && col(st, F_RESULT)[n - 1] != '\n')
        putchar('\n');
    sqlite3_finalize(st);
    return EXIT_OK;
}

/* Print each value that differs between two JSON documents, by path. */
static void json_diff(const char *path, json_t *a, json_t *b, size_t *n)
{
    if (*n >= 200)
        return;
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v) {
            char p[512];
            snprintf(p, sizeof p, "%s.%s", path, k);
            json_diff(p, v, json_object_get(b, k), n);
        }
        json_object_foreach(b, k, v) {
            if (!json_object_get(a, k)) {
                char p[512];
                snprintf(p, sizeof p, "%s.%s", path, k);
                json_diff(p, NULL, v, n);
            }
        }
        return;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t na = json_array_size(a), nb = json_array_size(b);
        for (size_t k = 0; k < (na > nb ? na : nb); k++) {
            char p[512];
            snprintf(p, sizeof p, "%s[%zu]", path, k);
            json_diff(p, json_array_get(a, k), json_array_get(b, k), n);
        }
        return;
    }
    if (a && b && json_equal(a, b))
        return;
    char *sa = a ? json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    char *sb = b ? json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    printf("  %s: %.120s -> %.120s\n", path[0] ? path : ".", sa ? sa : "(absent)",
           sb ? sb : "(absent)");
    free(sa);
    free(sb);
    (*n)++;
}

/* Arguments are stored tab-separated; shown space-separated. */
static void print_untab(const char *v)
{
    if (!v[0])
        putchar('-');
    for (; *v; v++)
        putchar(*v == '\t' ? ' ' : *v);
}

static int runs_diff(sqlite3 *db, const char *id1, const char *id2)
{
    sqlite3_stmt *a = get_run(db, id1);
    if (!a)
        return EXIT_INPUT;
    sqlite3_stmt *b = get_run(db, id2);
    if (!b) {
        sqlite3_finalize(a);
        return EXIT_INPUT;
    }
    printf("run %s vs run %s\n", id1, id2);
    static const int SHOWN[] = {3, 4, 5, 6, 7, 8, 9, 10, 12};
    int same = 1;
    for (size_t k = 0; k < sizeof SHOWN / sizeof SHOWN[0]; k++) {
        const char *x = field(a, SHOWN[k]), *y = field(b, SHOWN[k]);
        if (strcmp(x, y) != 0) {
            printf("%-14s ", FIELDS[SHOWN[k]]);
            print_untab(x);
            printf(" -> ");
            print_untab(y);
            putchar('\n');
            same = 0;
        }
    }
    printf("%-14s %.1f -> %.1f\n", "wall_ms", sqlite3_column_double(a, 13),
           sqlite3_column_double(b, 13));
    const char *ra = col(a, F_RESULT), *rb = col(b, F_RESULT);
    if (strcmp(ra, rb) == 0) {
        printf("results: identical%s\n", same ? "" : " (despite the differences above)");
    } else {
        json_t *ja = json_loads(ra, 0, NULL), *jb = json_loads(rb, 0, NULL);
        if (ja && jb) {
            size_t n = 0;
            printf("results differ (JSON, by path):\n");
            json_diff("", ja, jb, &n);
            if (n >= 200)
                printf("  ... (first 200 differences)\n");
        } else {
            /* Text: the first line that differs. */
            size_t line = 1, k = 0;
            while (ra[k] && ra[k] == rb[k]) {
                if (ra[k] == '\n')
                    line++;
                k++;
            }
            printf("results differ (text), first at line %zu\n", line);
        }
        json_decref(ja);
        json_decref(jb);
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return EXIT_OK;
}

int cmd_runs(int argc, char **argv)
{
    const char *db_path = NULL, *limit_s = NULL;
    int help = 0, h2 = 0;
    const web_opt spec[] = {
        {"--db", NULL, &db_path},
        {"--limit", NULL, &limit_s},
        {"--help", &help, NULL},
        {"-h", &h2, NULL},
    };
    argc = web_take_opts(argc, argv, spec, sizeof spec / sizeof spec[0]);
    if (argc < 0)
        return EXIT_INPUT;
    if (help || h2) {
        fputs(RUNS_HELP, stdout);
        return EXIT_OK;
    }
    if (argc < 2) {
        cli_error("runs needs list, show ID or diff ID ID; see 'parley help runs'");
        return EXIT_INPUT;
    }
    const char *sub = argv[1];
    int want = strcmp(sub, "list") == 0 ? 2 : strcmp(sub, "show") == 0 ? 3
             : strcmp(sub, "diff") == 0 ? 4 : -1;
    if (want < 0) {
        cli_error("unknown runs command '%s'; see 'parley help runs'", sub);
        return EXIT_INPUT;
    }
    if (argc != want) {
        cli_error("usage: parley runs %s; see 'parley help runs'",
                  want == 2 ? "list" : want == 3 ? "show ID" : "diff ID ID");
        return EXIT_INPUT;
    }
    long limit = 20;
    if (limit_s) {
        char *end;
        limit = strtol(limit_s, &end, 10);
        if (*end || limit <= 0) {
            cli_error("--limit needs a positive number, got '%s'", limit_s);
            return EXIT_INPUT;
        }
    }
    char *dflt = db_path ? NULL : run_store_default_path();
    const char *path = db_path ? db_path : dflt;
    if (!path || access(path, F_OK) != 0) {
        cli_error("no run store at '%s' yet: run an analysis first", path ? path : "(unknown)");
        free(dflt);
        return EXIT_INPUT;
    }
    sqlite3 *db = run_store_open(path, 0, 1);
    free(dflt);
    if (!db)
        return EXIT_INPUT;
    int rc = want == 2   ? runs_list(db, limit)
             : want == 3 ? runs_show(db, argv[2])
                         : runs_diff(db, argv[2], argv[3]);
    sqlite3_close(db);
    return rc;
}
