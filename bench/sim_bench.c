/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulation lens benchmark: runs and simulated months per second of
 * `simulate` and runs per second of `robust`, with 1 and 2 threads.
 * Usage: sim_bench [SCENARIO [RUNS [REPS [ROBUST_RUNS]]]] (default
 * tests/data/sim/war-mini.yaml, 20000 runs, the median of 3 repetitions;
 * robust gets ROBUST_RUNS runs, by default a tenth of the runs, at most
 * 2000; 0 leaves robust out). "months/CPU-s" divides by the process's CPU time: the rate
 * per core. "months/s" counts the months actually simulated (a run stops
 * once its deal holds): runs x sum over m of P(no deal signed by month m - 1),
 * read back from deal_by_month; the months of a ceasefire before the vote are
 * not counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley.h"

/* Months simulated per run, from the JSON's deal_by_month. */
static double months_per_run(const char *json, int H)
{
    const char *p = strstr(json, "\"deal_by_month\": [");
    if (!p)
        return H;
    p += strlen("\"deal_by_month\": [");
    double sum = 0, prev = 0;
    for (int m = 0; m < H; m++) {
        sum += 1 - prev;
        char *end;
        prev = strtod(p, &end);
        p = strchr(end, ',');
        if (!p)
            break;
        p++;
    }
    return sum;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : PL_SIM_DEFAULT;
    long runs = argc > 2 ? atol(argv[2]) : 20000;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    long rr = runs / 10 > 2000 ? 2000 : runs / 10 > 0 ? runs / 10 : 1;
    rr = argc > 4 ? atol(argv[4]) : rr;
    if (runs < 1 || reps < 1 || reps > 99 || rr < 0) {
        fprintf(stderr, "usage: sim_bench [SCENARIO [RUNS [REPS [ROBUST_RUNS]]]]\n");
        return 2;
    }
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    if (pl_scenario_load_file(path, &sc, &d) != PL_OK) {
        fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
        return 2;
    }
    printf("scenario %s, %ld runs, median of %d\n", path, runs, reps);
    printf("%-10s %7s %10s %12s %14s %14s %8s\n", "command", "threads", "seconds", "runs/s",
           "months/s", "months/CPU-s", "speedup");
    double t1 = 0;
    char *first = NULL;
    for (int th = 1; th <= 2; th++) {
        double wall[99], cpu[99];
        double months = 0;
        for (int r = 0; r < reps; r++) {
            pl_sim_options o;
            pl_sim_options_init(&o);
            o.runs = runs;
            o.threads = th;
            o.horizon = 24;
            char *json = NULL;
            double t = now(), c = cpu_now();
            if (pl_simulate_json(sc, &o, &json, &d) != PL_OK) {
                fprintf(stderr, "simulate: %s\n", d.message);
                return 3;
            }
            wall[r] = now() - t;
            cpu[r] = cpu_now() - c;
            months = runs * months_per_run(json, 24);
            if (!first) {
                first = json;
            } else {
                if (strcmp(first, json) != 0)
                    printf("OUTPUT DIFFERS between runs (%d threads)\n", th);
                pl_free(json);
            }
        }
        qsort(wall, (size_t)reps, sizeof *wall, cmp_dbl);
        qsort(cpu, (size_t)reps, sizeof *cpu, cmp_dbl);
        double t = wall[reps / 2], c = cpu[reps / 2];
        if (th == 1)
            t1 = t;
        printf("%-10s %7d %10.3f %12.0f %14.0f %14.0f %8.2f\n", "simulate", th, t, runs / t,
               months / t, months / c, t1 / t);
    }
    pl_free(first);
    for (int th = 1; th <= 2 && rr > 0; th++) {
        pl_sim_options o;
        pl_sim_options_init(&o);
        o.runs = rr;
        o.threads = th;
        char *json = NULL;
        double t = now();
        if (pl_robust_json(sc, &o, &json, &d) != PL_OK) {
            fprintf(stderr, "robust: %s\n", d.message);
            return 3;
        }
        t = now() - t;
        if (th == 1)
            t1 = t;
        pl_free(json);
        printf("%-10s %7d %10.3f %12.2f %14s %8.2f\n", "robust", th, t, rr / t, "-", t1 / t);
    }
    pl_scenario_free(sc);
    return 0;
}
