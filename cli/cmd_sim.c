/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate, robust, sensitivity: the simulation lens (docs/simulate.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#ifdef PARLEY_HAVE_MPI
#include "sim_mpi.h"
#endif

#include "cli.h"
#include "parley.h"

const char SIMULATE_HELP[] =
    "Usage: parley simulate [FILE] [--runs N] [--horizon 24m] [--seed S] [--threads T]\n"
    "                       [--mpi] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "Bargaining while fighting: a Monte Carlo over the uncertain numbers and the\n"
    "battlefield of the scenario's war: section (docs/simulate.md). Each month the\n"
    "front lines move, fighting costs each side, deadlines pass and the mediator\n"
    "proposes (the Nash package of the current ZOPA, or the next named draft); a\n"
    "deal signed by every veto party goes to ratification after a ceasefire and\n"
    "is implemented under the chosen sequencing, where a side may renege.\n"
    "Reports the probability of a lasting deal by each month, the terms agreed,\n"
    "control and cost at the deal, collapses, and how often each sequencing held.\n"
    "\n"
    "  --runs N       runs (default 1000)\n"
    "  --horizon H    months to simulate, e.g. 24m or 2y (default: the section's)\n"
    "  --seed S       random seed (default 1); same seed, same bytes\n"
    "  --threads T    worker threads (1-8, default 1); never changes results\n"
    "  --mpi          split the runs over the ranks of mpirun; rank 0 prints exactly\n"
    "                 what one process would (needs a build with MPI)\n"
    "A progress bar is drawn on standard error when it is a terminal.\n";

const char ROBUST_HELP[] =
    "Usage: parley robust [FILE] [--runs N] [--seed S] [--threads T] [--as-of DATE]\n"
    "                     [--json] [-o OUT]\n"
    "\n"
    "The static question under uncertainty: draw every uncertain number (weights,\n"
    "scores, reservations, bonuses; a red line with credence c is in force with\n"
    "probability c) N times (default 1000) and report the probability that the\n"
    "ZOPA is non-empty, that each proposal on the table is accepted by each actor\n"
    "and agreed by all veto actors, that it lies on the Pareto frontier, and the\n"
    "most frequent Nash packages.\n";

const char SENSITIVITY_HELP[] =
    "Usage: parley sensitivity [FILE] [--runs N] [--seed S] [--threads T]\n"
    "                          [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "A tornado table: each uncertain number moved from its low to its high value\n"
    "(the others at their central values), and how much the ZOPA size, the Nash\n"
    "package and, with a war: section, the probability of a deal within 12 months\n"
    "(N runs, default 200, common random numbers) change, and the probability of\n"
    "a deal within the war section's horizon. Largest swing first.\n";

static void fill_opts(const common_opts *c, pl_sim_options *so, long dflt_runs)
{
    pl_sim_options_init(so);
    so->runs = c->runs > 0 ? c->runs : dflt_runs;
    so->seed = (uint64_t)c->seed;
    so->threads = c->threads > 0 ? c->threads : 1;
    so->horizon = c->horizon;
}

/* ---- text renderings of the JSON results -------------------------------- */

static double jnum(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void text_simulate(out *w, const char *json)
{
    json_t *r = json_loads(json, 0, NULL);
    if (!r) {
        w->oom = 1;
        return;
    }
    out_printf(w, "%sSimulation%s: %lld runs, %lld months from %s, seed %lld\n",
               c_on(w, "\033[1m"), c_off(w), (long long)json_integer_value(json_object_get(r, "runs")),
               (long long)json_integer_value(json_object_get(r, "horizon")),
               json_string_value(json_object_get(r, "start")),
               (long long)json_integer_value(json_object_get(r, "seed")));
    out_printf(w, "  P(lasting deal within the horizon)  %.3f\n", jnum(r, "p_deal"));
    const json_t *bm = json_object_get(r, "deal_by_month");
    size_t H = json_array_size(bm);
    out_puts(w, "  P(deal by month):");
    for (size_t m = 1; m <= H; m++)
        if (m == 3 || m == 6 || m == 12 || m == 18 || m == 24 || m == 36 || m == H)
            out_printf(w, "  %zu: %.3f", m, json_number_value(json_array_get(bm, m - 1)));
    out_puts(w, "\n");
    const json_t *md = json_object_get(r, "month_of_deal");
    if (jnum(md, "n") > 0)
        out_printf(w, "  month of the deal: median %.1f (10%%: %.1f, 90%%: %.1f)\n",
                   jnum(md, "p50"), jnum(md, "p10"), jnum(md, "p90"));
    out_puts(w, "  terms agreed (share of deals):\n");
    const char *ik;
    json_t *iv;
    json_object_foreach(json_object_get(r, "terms"), ik, iv) {
        out_printf(w, "    %-22s", ik);
        const char *ok;
        json_t *ov;
        json_object_foreach(iv, ok, ov) {
            if (json_is_number(ov) && json_number_value(ov) > 0)
                out_printf(w, " %s %.2f", ok, json_number_value(ov));
        }
        out_puts(w, "\n");
    }
    json_object_foreach(json_object_get(r, "control_at_deal"), ik, iv) {
        const json_t *hz = json_object_get(json_object_get(r, "control_at_horizon"), ik);
        out_printf(w, "  front %-16s control at deal %.3f, at the horizon %.3f (median)\n", ik,
                   jnum(iv, "p50"), jnum(hz, "p50"));
    }
    const json_t *col = json_object_get(r, "collapse");
    out_printf(w, "  collapses: %.3f per run (referendum %.3f, reneging %.3f)\n",
               jnum(col, "mean"), jnum(json_object_get(col, "by_cause"), "rejected_referendum"),
               jnum(json_object_get(col, "by_cause"), "reneged"));
    json_object_foreach(json_object_get(r, "sequencing"), ik, iv) {
        out_printf(w, "  sequencing %-20s held %.3f%s\n", ik, jnum(iv, "held"),
                   json_is_true(json_object_get(iv, "used")) ? "  (used)" : "");
    }
    json_decref(r);
}

static void text_robust(out *w, const char *json)
{
    json_t *r = json_loads(json, 0, NULL);
    if (!r) {
        w->oom = 1;
        return;
    }
    out_printf(w, "%sRobustness%s: %lld runs, seed %lld\n", c_on(w, "\033[1m"), c_off(w),
               (long long)json_integer_value(json_object_get(r, "runs")),
               (long long)json_integer_value(json_object_get(r, "seed")));
    const json_t *z = json_object_get(r, "zopa_nonempty");
    out_printf(w, "  P(ZOPA non-empty)  %.3f  (+- %.3f)\n", jnum(z, "p"), jnum(z, "se"));
    const json_t *zc = json_object_get(r, "zopa_count");
    out_printf(w, "  ZOPA size: mean %.1f, median %.0f (10%%: %.0f, 90%%: %.0f)\n",
               jnum(zc, "mean"), jnum(zc, "p50"), jnum(zc, "p10"), jnum(zc, "p90"));
    const char *pk;
    json_t *pv;
    json_object_foreach(json_object_get(r, "proposals"), pk, pv) {
        out_printf(w, "  %-20s agreed %.3f  pareto %.3f  accept:", pk, jnum(pv, "agreed"),
                   jnum(pv, "pareto"));
        const char *ak;
        json_t *av;
        json_object_foreach(json_object_get(pv, "accept"), ak, av)
            out_printf(w, " %s %.3f", ak, json_number_value(av));
        out_puts(w, "\n");
    }
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(r, "nash"), k, e) {
        out_printf(w, "  Nash package (%.3f of runs):", jnum(e, "p"));
        const char *ik;
        json_t *iv;
        json_object_foreach(json_object_get(e, "package"), ik, iv)
            out_printf(w, " %s=%s", ik, json_string_value(iv));
        out_puts(w, "\n");
    }
    if (jnum(r, "failed_runs") > 0)
        out_printf(w, "  %.0f runs drew an invalid sample and were left out\n",
                   jnum(r, "failed_runs"));
    json_decref(r);
}

static void text_sensitivity(out *w, const char *json)
{
    json_t *r = json_loads(json, 0, NULL);
    if (!r) {
        w->oom = 1;
        return;
    }
    out_printf(w, "%sSensitivity%s (largest swing first)\n", c_on(w, "\033[1m"), c_off(w));
    out_printf(w, "  %-48s %10s %10s %8s %8s %6s\n", "number", "low", "high", "ZOPA lo",
               "ZOPA hi", "Nash");
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(r, "rows"), k, e) {
        out_printf(w, "  %-48s %10.4g %10.4g %8.0f %8.0f %6s", json_string_value(json_object_get(e, "path")),
                   jnum(e, "low"), jnum(e, "high"), jnum(e, "zopa_low"), jnum(e, "zopa_high"),
                   json_is_true(json_object_get(e, "nash_changes")) ? "moves" : "-");
        if (!isnan(jnum(e, "deal12_low")))
            out_printf(w, "  P(deal<=12m) %.3f..%.3f  P(deal<=%lldm) %.3f..%.3f",
                       jnum(e, "deal12_low"), jnum(e, "deal12_high"),
                       (long long)json_integer_value(json_object_get(r, "horizon")),
                       jnum(e, "deal_horizon_low"), jnum(e, "deal_horizon_high"));
        out_puts(w, "\n");
    }
    json_decref(r);
}

/* ---- simulate ------------------------------------------------------------- */

static void progress(long done, long total)
{
    int width = 40, fill = (int)(width * done / (total ? total : 1));
    fprintf(stderr, "\r[");
    for (int k = 0; k < width; k++)
        fputc(k < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %ld/%ld runs", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int emit(const common_opts *c, char *json, void (*text)(out *, const char *))
{
    out w = {0};
    w.color = cli_want_color(c);
    if (c->json)
        out_puts(&w, json);
    else
        text(&w, json);
    pl_free(json);
    return cli_finish(&w, c->output, EXIT_OK);
}

/* One process: all runs, in chunks so that a terminal sees progress. */
static int simulate_local(const common_opts *c, pl_scenario *sc, const pl_sim_options *so)
{
    pl_diag d;
    memset(&d, 0, sizeof d);
    size_t sz = pl_sim_record_size(sc);
    unsigned char *rec = malloc(sz * (size_t)so->runs + 1);
    if (!rec) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    int tty = isatty(fileno(stderr)) && !c->json;
    long chunk = tty ? (so->runs + 99) / 100 : so->runs;
    /* One cache for all chunks: what the first builds, the rest use. */
    pl_sim_cache *cache = NULL;
    pl_status st = pl_sim_cache_new(sc, so, &cache, &d);
    for (long first = 0; first < so->runs && st == PL_OK; first += chunk) {
        long n = so->runs - first < chunk ? so->runs - first : chunk;
        st = pl_sim_cache_run_range(cache, first, n, rec + sz * (size_t)first, &d);
        if (tty && st == PL_OK)
            progress(first + n, so->runs);
    }
    pl_sim_cache_free(cache);
    char *json = NULL;
    if (st == PL_OK)
        st = pl_sim_summary_json(sc, so, rec, &json, &d);
    free(rec);
    if (st != PL_OK)
        return cli_fail(NULL, st, &d);
    return emit(c, json, text_simulate);
}

#ifdef PARLEY_HAVE_MPI
/* Ranks take contiguous blocks of runs; rank 0 gathers every record in run
 * order and summarises exactly as one process would. */
static int simulate_mpi(const common_opts *c, pl_scenario *sc, const pl_sim_options *so)
{
    int rank = 0, size = 1, rc = EXIT_OK;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    pl_diag d;
    memset(&d, 0, sizeof d);
    size_t sz = pl_sim_record_size(sc);
    if ((long)size > so->runs) {
        if (rank == 0)
            cli_error("more MPI ranks (%d) than runs (%ld): give --runs at least %d", size,
                      so->runs, size);
        MPI_Finalize();
        return EXIT_INPUT;
    }
    if (sz * (size_t)so->runs > (size_t)2147483647) {
        if (rank == 0)
            cli_error("%ld runs of %zu bytes exceed what one MPI gather carries (2 GiB); "
                      "use fewer runs per call", so->runs, sz);
        MPI_Finalize();
        return EXIT_INPUT;
    }
    unsigned char *all = NULL;
    int here = 0;
    pl_status st = sim_mpi_run(MPI_COMM_WORLD, sc, so, &all, NULL, &here, &d);
    if (st != PL_OK) {
        if (here)
            cli_print_diag(&d);
        MPI_Finalize();
        return cli_exit_code(st);
    }
    if (rank == 0) {
        char *json = NULL;
        st = pl_sim_summary_json(sc, so, all, &json, &d);
        rc = st != PL_OK ? cli_fail(NULL, st, &d) : emit(c, json, text_simulate);
        free(all);
    }
    MPI_Finalize();
    return rc;
}
#endif

int cmd_simulate(int argc, char **argv)
{
    common_opts c;
    int rc = cli_parse(argc, argv, "simulate", X_THREADS | X_RUNS | X_HORIZON | X_MPI, &c);
    if (rc >= 0)
        return rc;
#ifndef PARLEY_HAVE_MPI
    if (c.mpi) {
        cli_error("this parley was built without MPI: rebuild with -DPARLEY_MPI=ON "
                  "(libopenmpi-dev)");
        return EXIT_INPUT;
    }
#endif
    pl_scenario *sc = NULL;
    if ((rc = cli_load(&c, &sc)) != EXIT_OK)
        return rc;
    pl_sim_options so;
    fill_opts(&c, &so, 1000);
    if (!pl_scenario_has_war(sc)) {
        cli_error("%s has no 'war:' section to simulate; see docs/simulate.md",
                  c.file ? c.file : CLI_REFERENCE_NAME);
        pl_scenario_free(sc);
        return EXIT_INPUT;
    }
#ifdef PARLEY_HAVE_MPI
    if (c.mpi)
        rc = simulate_mpi(&c, sc, &so);
    else
#endif
        rc = simulate_local(&c, sc, &so);
    pl_scenario_free(sc);
    return rc;
}

/* robust and sensitivity: load, one library call that answers JSON, print. */
typedef pl_status (*sim_json_fn)(const pl_scenario *, const pl_sim_options *, char **,
                                 pl_diag *);

static int run_json_command(int argc, char **argv, const char *name, long default_runs,
                            sim_json_fn fn, void (*text)(out *, const char *))
{
    common_opts c;
    int rc = cli_parse(argc, argv, name, X_THREADS | X_RUNS, &c);
    if (rc >= 0)
        return rc;
    pl_scenario *sc = NULL;
    if ((rc = cli_load(&c, &sc)) != EXIT_OK)
        return rc;
    pl_sim_options so;
    fill_opts(&c, &so, default_runs);
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *json = NULL;
    pl_status st = fn(sc, &so, &json, &d);
    if (st != PL_OK)
        return cli_fail(sc, st, &d);
    pl_scenario_free(sc);
    return emit(&c, json, text);
}

int cmd_robust(int argc, char **argv)
{
    return run_json_command(argc, argv, "robust", 1000, pl_robust_json, text_robust);
}

int cmd_sensitivity(int argc, char **argv)
{
    return run_json_command(argc, argv, "sensitivity", 200, pl_sensitivity_json,
                            text_sensitivity);
}

/* ---- game ----------------------------------------------------------------- */

const char GAME_HELP[] =
    "Usage: parley game [FILE] [--rounds T] [--offers K] [--efg] [--as-of DATE]\n"
    "                   [--json] [-o OUT]\n"
    "\n"
    "The talks as a game of alternating offers between the veto parties over T\n"
    "rounds (default 12, one a month), over the K best packages of the ZOPA by\n"
    "Nash (default 10): agreement at round t pays each side its utility less t\n"
    "months of the war's cost; after a rejection the talks break down with\n"
    "probability 0.05 (each side then gets its reservation value). When the war:\n"
    "section names sequencings, an offer is a package and a sequencing: a late\n"
    "mover (not in the sequencing's 'first') may keep what the first movers\n"
    "delivered and renege, and each side may fail with the sequencing's renege\n"
    "probability (docs/simulate.md). Solved exactly by backward induction: prints\n"
    "the subgame-perfect equilibrium path and, for every sequencing, whether it\n"
    "is self-enforcing and the equilibrium if it were the only one allowed.\n"
    "\n"
    "  --efg   write the game tree as a Gambit .efg file instead (two veto\n"
    "          parties, at most 100000 offer paths (K x sequencings)^T), to check\n"
    "          in Gambit\n";

static void text_payoffs(out *w, const json_t *pay)
{
    const char *ak;
    json_t *av;
    json_object_foreach((json_t *)pay, ak, av)
        out_printf(w, " %s %.2f", ak, json_number_value(av));
}

/* The issues on which pkg differs from ref, as "issue: option" pairs. */
static void text_pkg_diff(out *w, const json_t *pkg, const json_t *ref)
{
    const char *ik;
    json_t *iv;
    int any = 0;
    json_object_foreach((json_t *)pkg, ik, iv) {
        const char *r = json_string_value(json_object_get(ref, ik));
        const char *o = json_string_value(iv);
        if (r && o && strcmp(r, o) != 0) {
            out_printf(w, "%s%s: %s", any ? ", " : "", ik, o);
            any = 1;
        }
    }
    if (!any)
        out_puts(w, "nothing");
}

static void text_game(out *w, const char *json)
{
    json_t *r = json_loads(json, 0, NULL);
    if (!r) {
        w->oom = 1;
        return;
    }
    const json_t *eq = json_object_get(r, "equilibrium");
    const json_t *seqs = json_object_get(r, "sequencings");
    size_t ns = json_array_size(seqs);
    out_printf(w, "%sAlternating offers%s: %lld rounds, %lld candidate packages",
               c_on(w, "\033[1m"), c_off(w),
               (long long)json_integer_value(json_object_get(r, "rounds")),
               (long long)json_integer_value(json_object_get(r, "candidates")));
    if (ns)
        out_printf(w, " x %zu sequencings", ns);
    out_puts(w, "\n");
    if (json_is_integer(json_object_get(eq, "round"))) {
        long long round = (long long)json_integer_value(json_object_get(eq, "round"));
        if (round > 1)
            out_printf(w, "  rounds 1-%lld pass without an acceptable offer\n", round - 1);
        out_printf(w, "  equilibrium: %s proposes package #%lld in round %lld and everyone "
                      "accepts:\n",
                   json_string_value(json_object_get(eq, "proposer")),
                   (long long)json_integer_value(json_object_get(eq, "rank")), round);
        const char *ik;
        json_t *iv;
        json_object_foreach(json_object_get(eq, "package"), ik, iv)
            out_printf(w, "    %-22s %s\n", ik, json_string_value(iv));
        const char *sid = json_string_value(json_object_get(eq, "sequencing"));
        if (sid) {
            const char *ren = json_string_value(json_object_get(eq, "reneger"));
            out_printf(w, "  sequencing: %s; P(the deal holds) %.3f; ", sid,
                       jnum(eq, "p_holds"));
            if (ren) {
                out_printf(w, "not self-enforcing: %s reneges, taking back ", ren);
                text_pkg_diff(w, json_object_get(eq, "implemented"),
                              json_object_get(eq, "package"));
                out_puts(w, "\n");
            } else {
                out_puts(w, "self-enforcing\n");
            }
        }
    } else {
        out_puts(w, "  equilibrium: no agreement (the ZOPA is empty or no offer beats waiting)\n");
    }
    out_puts(w, "  expected payoffs:");
    text_payoffs(w, json_object_get(eq, "payoffs"));
    out_puts(w, "\n");
    int tested = json_is_integer(json_object_get(r, "tested_rank"));
    if (ns && !tested)
        out_printf(w, "\n%sSequencings%s (no candidate package to test them on):\n",
                   c_on(w, "\033[1m"), c_off(w));
    else if (ns)
        out_printf(w, "\n%sSequencings%s, tested on package #%lld:\n", c_on(w, "\033[1m"),
                   c_off(w), (long long)json_integer_value(json_object_get(r, "tested_rank")));
    if (ns) {
        for (size_t k = 0; k < ns; k++) {
            const json_t *s = json_array_get(seqs, k);
            const json_t *first = json_object_get(s, "first");
            out_printf(w, "  %s: ", json_string_value(json_object_get(s, "id")));
            if (json_array_size(first) == 0) {
                out_puts(w, "everyone at once");
            } else {
                out_puts(w, "first");
                for (size_t f = 0; f < json_array_size(first); f++)
                    out_printf(w, "%s%s", f ? ", " : " ",
                               json_string_value(json_array_get(first, f)));
            }
            out_printf(w, "; P(holds) %.3f", jnum(s, "p_holds"));
            if (!tested) {
                out_puts(w, "\n");
                continue;
            }
            out_printf(w, "; %s\n", json_is_true(json_object_get(s, "self_enforcing"))
                                         ? "self-enforcing"
                                         : "NOT self-enforcing");
            const char *ak;
            json_t *av;
            json_object_foreach(json_object_get(s, "late_movers"), ak, av) {
                out_printf(w, "      %s's gain from reneging %+.2f (would take back ", ak,
                           jnum(av, "gain"));
                text_pkg_diff(w, json_object_get(av, "package"),
                              json_object_get(r, "tested_package"));
                out_puts(w, ")\n");
            }
            out_puts(w, "      expected payoffs if agreed in round 1:");
            text_payoffs(w, json_object_get(s, "payoffs_if_agreed"));
            out_puts(w, "\n");
            const json_t *al = json_object_get(s, "alone");
            if (json_is_integer(json_object_get(al, "round")))
                out_printf(w, "      if the only one allowed: package #%lld in round %lld,",
                           (long long)json_integer_value(json_object_get(al, "rank")),
                           (long long)json_integer_value(json_object_get(al, "round")));
            else
                out_puts(w, "      if the only one allowed: no agreement,");
            text_payoffs(w, json_object_get(al, "payoffs"));
            out_puts(w, "\n");
        }
    }
    json_decref(r);
}

int cmd_game(int argc, char **argv)
{
    common_opts c;
    int rc = cli_parse(argc, argv, "game", X_GAME, &c);
    if (rc >= 0)
        return rc;
    pl_scenario *sc = NULL;
    if ((rc = cli_load(&c, &sc)) != EXIT_OK)
        return rc;
    pl_game_options go;
    pl_game_options_init(&go);
    if (c.rounds)
        go.rounds = c.rounds;
    if (c.offers)
        go.offers = c.offers;
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *text = NULL;
    pl_status st = c.efg ? pl_game_efg(sc, &go, &text, &d) : pl_game_json(sc, &go, &text, &d);
    pl_scenario_free(sc);
    if (st != PL_OK)
        return cli_fail(NULL, st, &d);
    if (!c.efg)
        return emit(&c, text, text_game);
    out w = {0};
    out_puts(&w, text);
    pl_free(text);
    rc = out_commit(&w, c.output);
    out_free(&w);
    return rc;
}
