/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmarks of the agreement space (issue #3). Prints a table of medians;
 * docs/performance.md records a run. Usage: space_bench [--quick] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley.h"
#include "space_gen.h"

static double now(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static pl_scenario *load_gen(const space_gen *g)
{
    gen_buf b = {0};
    space_generate(g, &b);
    pl_scenario *sc;
    pl_diag d;
    if (pl_scenario_load_buffer("synthetic.yaml", b.s, b.len, &sc, &d) != PL_OK) {
        fprintf(stderr, "generated scenario does not load: %d:%d: %s\n", d.line, d.col,
                d.message);
        exit(3);
    }
    free(b.s);
    return sc;
}

typedef enum { OP_COUNT, OP_NASH, OP_PARETO, OP_PARETO_NASH, OP_BRUTE_COUNT } op_kind;

/* A naive baseline on the same input: list every package and test it. */
static unsigned long long brute_count(pl_scenario *sc)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    long pkg[64] = {0};
    size_t nopt[64];
    for (size_t i = 0; i < in.n_issues; i++) {
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        nopt[i] = ii.n_options;
    }
    double res[16];
    for (size_t a = 0; a < in.n_actors; a++) {
        pl_actor_info ai;
        pl_scenario_actor(sc, a, &ai);
        res[a] = ai.reservation;
    }
    unsigned long long n = 0;
    for (;;) {
        int ok = 1;
        for (size_t a = 0; a < in.n_actors && ok; a++) {
            double u;
            pl_package_utility(sc, a, pkg, &u);
            ok = u >= res[a];
        }
        n += (unsigned long long)ok;
        size_t i = in.n_issues;
        while (i-- > 0) {
            if (++pkg[i] < (long)nopt[i])
                break;
            pkg[i] = 0;
        }
        if (i == (size_t)-1)
            break;
    }
    return n;
}

typedef struct result {
    double wall, cpu;
    unsigned long long count;
    size_t packages;
} result;

static result run_op(pl_scenario *sc, op_kind op, int threads)
{
    pl_space_options o;
    pl_space_options_init(&o);
    o.threads = threads;
    o.top_k = 1;
    result r = {0};
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    pl_space *s = NULL;
    uint64_t n = 0;
    switch (op) {
    case OP_COUNT:
    case OP_NASH:
        o.top_k = op == OP_NASH ? 1 : 0;
        pl_zopa(sc, &o, &s, NULL);
        pl_space_count(s, &n);
        r.packages = pl_space_package_count(s);
        break;
    case OP_PARETO:
    case OP_PARETO_NASH:
        pl_pareto(sc, &o, &s, NULL);
        pl_space_count(s, &n);
        r.packages = pl_space_package_count(s);
        if (op == OP_PARETO_NASH) {
            pl_space_free(s);
            s = NULL;
            pl_solve(sc, &o, &s, NULL);
        }
        break;
    case OP_BRUTE_COUNT:
        n = brute_count(sc);
        break;
    }
    pl_space_free(s);
    r.wall = now(CLOCK_MONOTONIC) - w0;
    r.cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    r.count = n;
    return r;
}

static void row(const char *name, const char *target, pl_scenario *sc, op_kind op, int threads,
                int reps)
{
    double wall[16], cpu[16];
    result r = {0};
    for (int k = 0; k < reps; k++) {
        r = run_op(sc, op, threads);
        wall[k] = r.wall;
        cpu[k] = r.cpu;
    }
    printf("| %-46s | %7d | %10.3f | %10.3f | %14llu | %8zu | %-10s |\n", name, threads,
           median(wall, reps), median(cpu, reps), r.count, r.packages, target);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int reps = quick ? 1 : 5;
    printf("| %-46s | %7s | %10s | %10s | %14s | %8s | %-10s |\n", "case", "threads",
           "wall s", "CPU s", "count", "packages", "target");
    printf("|%s|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------------",
           "---------", "------------", "------------", "----------------", "----------",
           "------------");

    /* 10^7 outcomes, 5 parties: the Pareto frontier and the Nash point. */
    space_gen g7 = {7, 10, 5, 0, 0.0, 7};
    pl_scenario *s7 = load_gen(&g7);
    row("1e7, 5 parties: Pareto frontier + Nash", "<= 1 s", s7, OP_PARETO_NASH, 1, reps);
    row("1e7, 5 parties: ZOPA count", "-", s7, OP_COUNT, 1, reps);
    row("1e7, 5 parties: ZOPA count", "-", s7, OP_COUNT, 2, reps);
    if (!quick)
        row("1e7, 5 parties: naive enumeration count", "baseline", s7, OP_BRUTE_COUNT, 1, 1);
    pl_scenario_free(s7);

    /* 10^10 outcomes, 3 parties, red lines: exact count and Nash point. */
    space_gen g10 = {10, 10, 3, 2, 0.5, 10};
    pl_scenario *s10 = load_gen(&g10);
    row("1e10, 3 parties, red lines: ZOPA count", "<= 5 s", s10, OP_COUNT, 2, quick ? 1 : 3);
    row("1e10, 3 parties, red lines: ZOPA count", "-", s10, OP_COUNT, 1, quick ? 1 : 3);
    row("1e10, 3 parties, red lines: count + Nash", "<= 5 s", s10, OP_NASH, 2, quick ? 1 : 3);
    pl_scenario_free(s10);
    return 0;
}
