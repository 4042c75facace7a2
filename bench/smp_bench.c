/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of the spatial forecast (KTAB's SMP): synthetic actor tables of N
 * actors and D dimensions drawn from a seeded generator the way KTAB's own
 * randomize() draws them (capability 10..200, total salience 0.75..0.99
 * split at random over the dimensions, positions uniform on 0..100), played
 * to convergence with default parameters. Prints a Markdown table.
 *
 *   smp_bench [--threads T] [--seed S] [--max-rounds R] [NxD ...]
 *   default sizes: 10x1 10x10 60x10 100x1 100x10 250x10 1000x10 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "parley.h"

static uint64_t g_state;

static double uniform(double lo, double hi)
{
    uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + (hi - lo) * ((double)(z >> 11) / 9007199254740992.0);
}

static pl_smp_model *synthetic(size_t n, size_t d, uint64_t seed)
{
    pl_smp_model *m;
    if (pl_smp_model_new(n, d, &m, NULL) != PL_OK)
        return NULL;
    g_state = seed * 1000003u + n * 131u + d;
    double *w = malloc(d * sizeof *w);
    if (!w) {
        pl_smp_model_free(m);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        pl_smp_model_set_actor(m, i, NULL, NULL, uniform(10, 200));
        double total = uniform(0.75, 0.99), sum = 0;
        for (size_t k = 0; k < d; k++)
            sum += (w[k] = uniform(0.1, 1.0));
        for (size_t k = 0; k < d; k++) {
            /* Round to the 2 decimals a KTAB CSV would carry. */
            double s = (double)(long)(100 * 100 * total * w[k] / sum) / 100;
            double x = (double)(long)(100 * uniform(0, 100)) / 100;
            pl_smp_model_set_value(m, i, k, x, s);
        }
    }
    free(w);
    return m;
}

static double clock_s(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    unsigned threads = 0, max_rounds = 100;
    uint64_t seed = 20260101;
    const char *defaults[] = {"10x1", "10x10", "60x10", "100x1", "100x10", "250x10", "1000x10"};
    const char *sizes[64];
    size_t ns = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--threads") == 0 && a + 1 < argc)
            threads = (unsigned)strtoul(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc)
            seed = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--max-rounds") == 0 && a + 1 < argc)
            max_rounds = (unsigned)strtoul(argv[++a], NULL, 10);
        else if (ns < 64)
            sizes[ns++] = argv[a];
    }
    if (ns == 0)
        for (size_t k = 0; k < sizeof defaults / sizeof defaults[0]; k++)
            sizes[ns++] = defaults[k];
    /* CPU seconds (all threads) beside the wall clock: on a shared machine
     * the wall clock also measures the other users. */
    printf("| actors | dims | threads | rounds | converged | seconds | CPU s | s/round | peak RSS "
           "MiB |\n");
    printf("|---:|---:|---:|---:|:---:|---:|---:|---:|---:|\n");
    for (size_t s = 0; s < ns; s++) {
        size_t n = 0, d = 0;
        if (sscanf(sizes[s], "%zux%zu", &n, &d) != 2 || n < 2 || d < 1) {
            fprintf(stderr, "smp_bench: bad size '%s' (want NxD)\n", sizes[s]);
            return 2;
        }
        pl_smp_model *m = synthetic(n, d, seed);
        if (!m) {
            fprintf(stderr, "smp_bench: out of memory\n");
            return 3;
        }
        pl_smp_params p;
        pl_smp_params_default(&p);
        p.threads = threads;
        p.max_rounds = max_rounds;
        /* Position probabilities of the final state only, as KTAB with --logmin. */
        p.probabilities = 1;
        pl_smp_result *r;
        pl_diag dg;
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (pl_smp_run(m, &p, &r, &dg) != PL_OK) {
            fprintf(stderr, "smp_bench: %s\n", dg.message);
            return 3;
        }
        double dt = clock_s(CLOCK_MONOTONIC) - t0, dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        size_t rounds = pl_smp_result_states(r) - 1;
        printf("| %zu | %zu | %u | %zu | %s | %.3f | %.3f | %.4f | %.1f |\n", n, d, threads,
               rounds, pl_smp_result_converged(r) ? "yes" : "no", dt, dc,
               rounds ? dt / (double)rounds : 0, (double)ru.ru_maxrss / 1024.0);
        fflush(stdout);
        pl_smp_result_free(r);
        pl_smp_model_free(m);
    }
    return 0;
}
