/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of the GMCR stability engine on synthetic conflicts: n binary
 * options split evenly among the decision makers, no infeasible states (2^n
 * states), each DM with random option-prioritization preferences (seeded).
 * Every run analyses the whole conflict and checksums the verdicts, so the
 * timed work cannot be skipped.
 *
 *   gmcr_bench [--quick] [--threads N] [--only N:DMS] [--seed S] [--no-sim]
 *
 * Without --only: all six concepts for each size of the table in the GMCR
 * section of docs/performance.md. --only N:DMS: that size, all six, then each
 * concept alone and the four without SIM and SEQ&SIM. --quick: sizes up to
 * n = 16 (for CI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "parley.h"

static uint64_t rng(uint64_t *s)
{
    /* splitmix64: tiny, seeded, identical everywhere */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The conflict as gmcr-json/1 text: it goes through the same reader users
 * use. Each DM gets 8 statements; each statement is 1-2 alternatives of 2-3
 * literals over random options of any DM. */
static char *synth(int n, int dms, uint64_t seed)
{
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
#define PUT(...) len += (size_t)snprintf(b + len, cap - len, __VA_ARGS__)
    PUT("{\"format\": \"gmcr-json/1\", \"name\": \"synthetic n=%d dms=%d seed=%llu\", "
        "\"options\": [", n, dms, (unsigned long long)seed);
    for (int k = 0; k < n; k++)
        PUT("%s{\"name\": \"o%d\", \"dm\": %d}", k ? "," : "", k, k * dms / n);
    PUT("], \"decision_makers\": [");
    uint64_t s = seed;
    for (int i = 0; i < dms; i++) {
        PUT("%s{\"name\": \"D%d\", \"preference\": {\"method\": \"prioritization\", "
            "\"statements\": [", i ? "," : "", i);
        for (int t = 0; t < 8; t++) {
            int alts = 1 + (int)(rng(&s) % 2);
            PUT("%s[", t ? "," : "");
            for (int a = 0; a < alts; a++) {
                char pat[64];
                memset(pat, '-', (size_t)n);
                pat[n] = '\0';
                int lits = 2 + (int)(rng(&s) % 2);
                for (int l = 0; l < lits; l++)
                    pat[rng(&s) % (uint64_t)n] = rng(&s) & 1 ? 'Y' : 'N';
                PUT("%s\"%s\"", a ? "," : "", pat);
            }
            PUT("]");
        }
        PUT("]}}");
    }
    PUT("], \"infeasible\": [], \"coalitions\": null, \"misperceived\": null}");
#undef PUT
    return b;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of the whole process (all threads): on a shared machine this is
 * the figure that does not depend on the neighbours' load. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int run(int n, int dms, int threads, uint64_t seed, unsigned concepts, const char *label)
{
    char *js = synth(n, dms, seed);
    pl_conflict *c;
    pl_diag d;
    double t0 = now();
    if (!js || pl_conflict_load_json_buffer("synthetic", js, strlen(js), &c, &d) != PL_OK) {
        fprintf(stderr, "gmcr_bench: cannot build the conflict: %s\n", d.message);
        free(js);
        return 1;
    }
    free(js);
    double t1 = now(), c1 = cpu_s();
    pl_gmcr_opts o;
    pl_gmcr_opts_init(&o);
    o.threads = threads;
    o.concepts = concepts;
    pl_stability *st;
    if (pl_stability_analyse(c, &o, &st, &d) != PL_OK) {
        fprintf(stderr, "gmcr_bench: %s\n", d.message);
        pl_conflict_free(c);
        return 1;
    }
    double t2 = now(), c2 = cpu_s();
    /* a checksum over every verdict keeps the work observable */
    char eq[160] = "";
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
        if (pl_stability_has(st, (pl_gmcr_concept)k) && ((concepts >> k) & 1u))
            snprintf(eq + strlen(eq), sizeof eq - strlen(eq), "%s%s=%zu", eq[0] ? " " : "",
                     pl_gmcr_concept_name((pl_gmcr_concept)k),
                     pl_stability_equilibria(st, (pl_gmcr_concept)k, NULL));
    pl_conflict_info in;
    pl_conflict_get_info(c, &in);
    printf("| %2d | %d | %9zu | %-8s | %7d | %8.2f | %9.2f | %8.2f | %8.0f | %s |\n", n, dms,
           in.n_states, label, threads, t1 - t0, t2 - t1, c2 - c1, peak_mib(), eq);
    fflush(stdout);
    pl_stability_free(st);
    pl_conflict_free(c);
    return 0;
}

int main(int argc, char **argv)
{
    int quick = 0, threads = 0, only_n = 0, only_d = 0;
    unsigned mask = 0x3f;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-sim") == 0)
            mask = 0x0f;
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc &&
                 sscanf(argv[i + 1], "%d:%d", &only_n, &only_d) == 2)
            i++;
        else {
            fprintf(stderr, "usage: gmcr_bench [--quick] [--threads N] [--only N:DMS] "
                            "[--seed S] [--no-sim]\n");
            return 2;
        }
    }
    printf("| n | DMs | states | concepts | threads | build s | analyse s | analyse CPU s | "
           "peak MiB | equilibria |\n|---|---|---|---|---|---|---|---|---|---|\n");
    static const int cases[][2] = {{12, 2}, {12, 3}, {16, 2}, {16, 3}, {20, 2}, {20, 3}, {24, 2}};
    int rc = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        int n = cases[k][0], d = cases[k][1];
        if (only_n && (n != only_n || d != only_d))
            continue;
        if (quick && n > 16)
            continue;
        rc |= run(n, d, threads, seed, mask, mask == 0x3f ? "all six" : "no SIM");
    }
    if (only_n && !quick && mask == 0x3f) {
        static const char *names[] = {"nash", "gmr", "smr", "seq", "sim", "seqsim"};
        for (int c = 0; c < 5; c++)
            rc |= run(only_n, only_d, threads, seed, 1u << c, names[c]);
        rc |= run(only_n, only_d, threads, seed, 0x0f, "no SIM");
    }
    return rc;
}
