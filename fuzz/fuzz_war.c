/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the `war:` section (src/sim/war.c) and what it feeds:
 * the Monte Carlo simulation, robust and the bargaining game. Beyond crashes,
 * leaks and undefined behaviour it aborts when a promise is broken:
 *   - a failed load returns PL_E_INPUT, no scenario, and a diagnostic that
 *     names the input with a message;
 *   - a scenario with a war section simulates (or refuses with PL_E_INPUT and
 *     a message -- an invalid sample, say), and its JSON is the same bytes
 *     with one thread and with two, and when the runs are computed in two
 *     ranges instead of one (what MPI ranks do);
 *   - the game solves or refuses with a message.
 * Runs and horizon are kept small so that an input costs milliseconds.
 *
 *   CC=clang-14 cmake -S . -B fuzz-build -DPARLEY_FUZZ=ON -DPARLEY_SANITIZE=ON \
 *       -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF && cmake --build fuzz-build
 *   ./fuzz-build/fuzz/fuzz_war -dict=fuzz/war.dict -max_len=4096 fuzz/corpus/war
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.yaml"

static void broken(const char *what, const pl_diag *d)
{
    fprintf(stderr, "fuzz_war: promise broken: %s\n", what);
    if (d)
        fprintf(stderr, "  diag: status %d, %s:%d:%d: %s\n", (int)d->status, d->file, d->line,
                d->col, d->message);
    abort();
}

/* A refusal must say why; anything but a refusal of the input is a bug. */
static void refused(pl_status st, const pl_diag *d, const char *what)
{
    if (st != PL_E_INPUT && st != PL_E_ARG)
        broken(what, d);
    if (!d->message[0])
        broken("a refusal without a message", d);
}

static void simulate(const pl_scenario *sc)
{
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 3;
    o.seed = 7;
    o.horizon = 6;
    o.threads = 1;
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *one = NULL, *two = NULL;
    pl_status st = pl_simulate_json(sc, &o, &one, &d);
    if (st != PL_OK) {
        refused(st, &d, "pl_simulate_json failed on a loaded scenario");
        if (one)
            broken("a failed simulation returned JSON", &d);
        return;
    }
    if (!one || one[0] != '{')
        broken("pl_simulate_json returned no object", NULL);
    o.threads = 2;
    if (pl_simulate_json(sc, &o, &two, &d) != PL_OK || strcmp(one, two) != 0)
        broken("simulate: two threads gave other bytes than one", &d);
    pl_free(two);

    /* Runs [0, 1) and [1, 3) computed apart, then summarised together. */
    size_t rs = pl_sim_record_size(sc);
    unsigned char *rec = malloc(rs * 3 + 1);
    if (!rec)
        return;
    o.threads = 1;
    if (pl_sim_run_range(sc, &o, 0, 1, rec, &d) != PL_OK ||
        pl_sim_run_range(sc, &o, 1, 2, rec + rs, &d) != PL_OK)
        broken("pl_sim_run_range failed where pl_simulate_json succeeded", &d);
    char *split = NULL;
    if (pl_sim_summary_json(sc, &o, rec, &split, &d) != PL_OK || strcmp(one, split) != 0)
        broken("simulate: split ranges gave other bytes", &d);
    pl_free(split);
    free(rec);
    pl_free(one);
}

static void robust_and_game(const pl_scenario *sc)
{
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 2;
    o.seed = 3;
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *j = NULL;
    pl_status st = pl_robust_json(sc, &o, &j, &d);
    if (st != PL_OK)
        refused(st, &d, "pl_robust_json failed on a loaded scenario");
    pl_free(j);
    j = NULL;

    pl_game_options g;
    pl_game_options_init(&g);
    g.rounds = 3;
    g.offers = 3;
    st = pl_game_json(sc, &g, &j, &d);
    if (st != PL_OK)
        refused(st, &d, "pl_game_json failed on a loaded scenario");
    else if (!j || j[0] != '{')
        broken("pl_game_json returned no object", NULL);
    pl_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_status st = pl_scenario_load_buffer(NAME, (const char *)data, size, &sc, &d);
    if (st != PL_OK) {
        if (sc || st != PL_E_INPUT || d.status != st || !d.message[0] ||
            strcmp(d.file, NAME) != 0)
            broken("a failed load broke the diagnostic contract", &d);
        return 0;
    }
    /* Exact searches are exponential in the worst case: keep each input
     * cheap (the reader is what is fuzzed; the searches have their own
     * brute-force tests). */
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    double space = 1;
    for (size_t i = 0; i < in.n_issues; i++) {
        pl_issue_info ii;
        if (pl_scenario_issue(sc, i, &ii) == PL_OK)
            space *= (double)ii.n_options;
    }
    if (pl_scenario_has_war(sc) && space <= 1e5) {
        simulate(sc);
        robust_and_game(sc);
    }
    pl_scenario_free(sc);
    return 0;
}
