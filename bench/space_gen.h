/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A seeded generator of synthetic agreement spaces, written as ordinary
 * parley scenarios so that the benchmark measures exactly what a user runs.
 *
 * The space: `issues` issues of `options` options each, `parties` veto
 * actors. Each party's weights are uniform in [1, 10]; its option scores are
 * uniform integers in [0, 100], except that parties 1, 2, ... see the options
 * of every other issue in reverse order, so interests conflict. Each
 * reservation value sits at `quantile` standard deviations above the party's
 * mean utility over the space (computed exactly: issues are independent
 * under the uniform measure). With `red_lines` > 0, each party forbids one
 * random option on each of `red_lines` random issues. The generator is
 * splitmix64 seeded with `seed`: the same arguments give the same bytes. */
#ifndef PL_SPACE_GEN_H
#define PL_SPACE_GEN_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct space_gen {
    int issues, options, parties, red_lines;
    double quantile;
    uint64_t seed;
} space_gen;

typedef struct gen_buf {
    char *s;
    size_t len, cap;
} gen_buf;

static void gen_put(gen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gen_put(gen_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? b->cap * 2 : 65536;
        char *ns = realloc(b->s, b->cap);
        if (!ns) {
            fprintf(stderr, "out of memory\n");
            exit(3);
        }
        b->s = ns;
    }
}

static uint64_t gen_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int gen_int(uint64_t *st, int lo, int hi)
{
    return lo + (int)(gen_next(st) % (uint64_t)(hi - lo + 1));
}

/* The scenario as YAML (caller frees b->s). */
static void space_generate(const space_gen *g, gen_buf *b)
{
    uint64_t st = g->seed;
    int I = g->issues, M = g->options, P = g->parties;
    int *score = malloc(sizeof *score * (size_t)(P * I * M));
    int *weight = malloc(sizeof *weight * (size_t)(P * I));
    if (!score || !weight)
        exit(3);
    for (int p = 0; p < P; p++)
        for (int i = 0; i < I; i++) {
            weight[p * I + i] = gen_int(&st, 1, 10);
            for (int o = 0; o < M; o++)
                score[(p * I + i) * M + o] = gen_int(&st, 0, 100);
            if (p > 0 && i % 2 == 0)
                for (int o = 0; o < M / 2; o++) {
                    int t = score[(p * I + i) * M + o];
                    score[(p * I + i) * M + o] = score[(p * I + i) * M + M - 1 - o];
                    score[(p * I + i) * M + M - 1 - o] = t;
                }
        }
    gen_put(b, "# synthetic space: %d issues x %d options, %d parties, seed %llu\n", I, M, P,
            (unsigned long long)g->seed);
    gen_put(b, "parley: 1\nscenario: {id: synthetic, name: \"Synthetic %dx%d, %d parties\"}\n",
            I, M, P);
    gen_put(b, "actors:\n");
    for (int p = 0; p < P; p++) {
        double wsum = 0, mean = 0, var = 0;
        for (int i = 0; i < I; i++)
            wsum += weight[p * I + i];
        for (int i = 0; i < I; i++) {
            double w = weight[p * I + i] / wsum, m = 0, m2 = 0;
            for (int o = 0; o < M; o++) {
                double v = score[(p * I + i) * M + o];
                m += v / M;
                m2 += v * v / M;
            }
            mean += w * m;
            var += w * w * (m2 - m * m);
        }
        double res = mean + g->quantile * sqrt(var);
        gen_put(b, "  - {id: p%d, name: Party %d, role: party, veto: true, capability: 1, "
                   "reservation: %.4f}\n", p, p, res);
    }
    gen_put(b, "issues:\n");
    for (int i = 0; i < I; i++) {
        gen_put(b, "  - id: i%d\n    name: Issue %d\n    status_quo: o0\n    options: [", i, i);
        for (int o = 0; o < M; o++)
            gen_put(b, "%s{id: o%d, position: %d}", o ? ", " : "", o,
                    M > 1 ? o * 100 / (M - 1) : 0);
        gen_put(b, "]\n");
    }
    gen_put(b, "preferences:\n");
    for (int p = 0; p < P; p++) {
        gen_put(b, "  p%d:\n    weights: {", p);
        for (int i = 0; i < I; i++)
            gen_put(b, "%si%d: %d", i ? ", " : "", i, weight[p * I + i]);
        gen_put(b, "}\n    scores:\n");
        for (int i = 0; i < I; i++) {
            gen_put(b, "      i%d: [", i);
            for (int o = 0; o < M; o++)
                gen_put(b, "%s%d", o ? ", " : "", score[(p * I + i) * M + o]);
            gen_put(b, "]\n");
        }
        if (g->red_lines > 0) {
            gen_put(b, "    red_lines:\n");
            for (int r = 0; r < g->red_lines; r++)
                gen_put(b, "      - {id: r%d, forbid: \"i%d == o%d\"}\n", r,
                        gen_int(&st, 0, I - 1), gen_int(&st, 0, M - 1));
        }
    }
    free(score);
    free(weight);
}

#endif
